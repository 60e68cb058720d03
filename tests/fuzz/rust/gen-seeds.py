#!/usr/bin/env python3
"""Writes the checked-in seed corpus of the module_ops target (seeds/), one
file per scenario, in the target's byte format (see fuzz_targets/module_ops.rs:
an opcode byte, then the op's arguments). Rerun after changing the format."""
import os
import struct

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "seeds")

# opcodes (OPCODES order in module_ops.rs)
(SIGNAL, GETSIGNAL, RAISE, SETINTERRUPT, CHECK, PENDING, INTERRUPT_OCCURRED, SETITIMER, GETITIMER, ALARM,
 PTHREAD_KILL, SIGMASK, SIGPENDING, SIGWAIT, SIGTIMEDWAIT, SET_WAKEUP_FD, FILL_WAKEUP, SIGINTERRUPT, NAMES,
 SIGSET, VALID_SIGNALS, PIDFD_SEND, PAUSE, INSTALL_DEFAULT_HANDLERS, STORM, DELIVERY_INFO, HOOK, HOP,
 ADD_LISTENER, REMOVE_LISTENER, CHANNEL_OPEN, CHANNEL_READ, CHANNEL_CLOSE, RESTORE, GET_STATS) = range(35)

USR1, USR2, HUP, CHLD, WINCH, PIPE, VTALRM, PROF, RT0 = 10, 12, 1, 17, 28, 13, 26, 27, 34
# a callback byte c >= 16 picks CALLBACKS[c % 6]
CB_ZERO, CB_POSITIVE, CB_NEGATIVE, CB_REENTER, CB_DEFAULT_INT, CB_INFO = 24, 25, 26, 27, 28, 29


def u64(v):
    return struct.pack(">Q", v & (2**64 - 1))


def sig(s):  # 0..70 directly
    return bytes([s])


def handler(kind, cb=CB_ZERO, data=0):
    k = {"dfl": 0, "ign": 64, "cb": 150, "foreign": 230 + 0}[kind]
    return bytes([k, cb]) + u64(data)


def signal(s, kind, cb=CB_ZERO, data=0):
    return bytes([SIGNAL]) + sig(s) + handler(kind, cb, data) + bytes([200])


def reenter_data(other, action, ret=1):
    """user_data of cb_reenter: other signal, action 0..6, return the error when ret%5==0."""
    return other | action << 8 | ret << 16


# times: a byte 32..159 picks SPECIAL[b % 15]: 32 -> 1e-7, 33 -> 1e-6, 34 -> 0.5, 35 -> 1.0


def small_set(a, b):
    return bytes([64 + a % 64 if 64 + a % 64 <= 250 else 64, b])


seeds = {
    "callback-raise-check": signal(USR1, "cb") + bytes([RAISE]) + sig(USR1) + bytes([CHECK]),
    "callback-positive": signal(USR2, "cb", CB_POSITIVE) + bytes([RAISE]) + sig(USR2) + bytes([PENDING, CHECK]),
    "callback-negative": signal(HUP, "cb", CB_NEGATIVE) + bytes([RAISE]) + sig(HUP),
    "reenter-raise": signal(USR1, "cb", CB_REENTER, reenter_data(USR2, 0))
    + signal(USR2, "cb") + bytes([RAISE]) + sig(USR1),
    "reenter-own-handler": signal(USR1, "cb", CB_REENTER, reenter_data(USR1, 1) | 1 << 12)
    + bytes([RAISE]) + sig(USR1) + bytes([RAISE]) + sig(USR1),
    "reenter-wakeup": signal(USR2, "cb", CB_REENTER, reenter_data(0, 3) | 1 << 12)
    + bytes([RAISE]) + sig(USR2) + bytes([RAISE]) + sig(USR2),
    "reenter-mask": signal(USR1, "cb", CB_REENTER, reenter_data(USR2, 4))
    + signal(USR2, "cb") + bytes([RAISE]) + sig(USR1) + bytes([RAISE]) + sig(USR2),
    "default-int-handler": signal(USR1, "cb", CB_DEFAULT_INT) + bytes([RAISE]) + sig(USR1),
    "set-interrupt": signal(USR1, "cb") + bytes([SETINTERRUPT]) + sig(USR1) + bytes([SETINTERRUPT, 2, INTERRUPT_OCCURRED, CHECK]),
    "wakeup-pipe-raise": bytes([SET_WAKEUP_FD, 1, 1]) + signal(WINCH, "cb") + bytes([RAISE]) + sig(WINCH),
    "wakeup-full": bytes([SET_WAKEUP_FD, 1, 1, FILL_WAKEUP]) + signal(USR1, "cb") + bytes([RAISE]) + sig(USR1) + bytes([CHECK]),
    "wakeup-broken-pipe": bytes([SET_WAKEUP_FD, 7, 1]) + signal(USR1, "cb") + bytes([RAISE]) + sig(USR1) + bytes([CHECK]),
    "wakeup-socket-eventfd": bytes([SET_WAKEUP_FD, 5, 0]) + signal(USR2, "cb") + bytes([RAISE]) + sig(USR2)
    + bytes([SET_WAKEUP_FD, 4, 1, RAISE]) + sig(USR2),
    "wakeup-bad-fds": bytes([SET_WAKEUP_FD, 3, 0, SET_WAKEUP_FD, 8, 5, SET_WAKEUP_FD, 9, 0, SET_WAKEUP_FD, 11, 3]),
    "storm": signal(USR1, "cb") + signal(USR2, "cb") + signal(RT0, "cb") + signal(HUP, "ign")
    + bytes([STORM, 5, USR1, USR2, RT0, HUP, RT0, USR1]),
    "mask-then-unblock": signal(USR1, "cb") + bytes([SIGMASK, 0]) + small_set(USR1, USR1) + bytes([1])
    + bytes([RAISE]) + sig(USR1) + bytes([SIGPENDING, SIGMASK, 100]) + small_set(USR1, USR1) + bytes([0]),
    "sigwait": bytes([SIGWAIT]) + small_set(USR1, USR2) + bytes([0, SIGWAIT]) + small_set(WINCH, WINCH) + bytes([1]),
    "sigtimedwait": bytes([SIGTIMEDWAIT]) + small_set(USR1, USR1) + bytes([34, SIGTIMEDWAIT]) + small_set(USR1, USR1) + bytes([0]),
    "itimer-virtual-tiny": signal(VTALRM, "cb") + bytes([SETITIMER, 1, 33, 32, 1, GETITIMER, 1, CHECK]),
    "itimer-prof-tiny": signal(PROF, "cb") + bytes([SETITIMER, 2, 32, 33, 1, CHECK]),
    "itimer-real-borrowed": bytes([SETITIMER, 0, 32, 32, 0, ALARM, 100, 0, 0, 0, 1, GETITIMER, 0]),
    "itimer-bad": bytes([SETITIMER, 220, 128 + 1, 0, 0, 0, SETITIMER, 0, 0, 17, 0, GETITIMER, 220, 128 + 25]),
    "pthread-kill": signal(USR1, "cb") + bytes([PTHREAD_KILL, 0, USR1, PTHREAD_KILL, 160, USR1]),
    "pidfd": signal(USR2, "cb") + bytes([PIDFD_SEND, 0, USR2, 100, 0, PIDFD_SEND, 170, 3, 0, 0, 0]),
    "pause": signal(USR1, "cb") + bytes([PAUSE]),
    "names": bytes([NAMES, 130, 6]) + b"SIGINT" + bytes([3, 5, NAMES, 200, 10]) + b"SIGRTMIN+3" + bytes([250, 1, 2, 3, 4, 5, 6, 7, 8, 130]),
    "sigset-ops": bytes([SIGSET, 0]) + u64(2**64 - 1) + u64(2**64 - 1) + bytes([130, 0, 0])
    + bytes([SIGSET, 70, 3, 131, 4, 3, USR1, 32, 33, VALID_SIGNALS]),
    "siginterrupt": signal(USR1, "cb") + bytes([SIGINTERRUPT, USR1, 1, SIGINTERRUPT, USR1, 0, SIGINTERRUPT, 0, 1]),
    "install-defaults": bytes([INSTALL_DEFAULT_HANDLERS, GETSIGNAL, 2, GETSIGNAL, PIPE]),
    "hop-check-nonmain": signal(USR1, "cb") + bytes([HOP, 200, RAISE, USR1, HOP, 200, CHECK, HOP, 200, PENDING, CHECK]),
    "hop-take-main": bytes([HOP, 0]) + signal(USR2, "cb") + bytes([HOP, 0, RAISE, USR2, RAISE, USR2]),
    "hop-signal-refused": bytes([HOP, 200]) + signal(USR1, "cb") + bytes([HOP, 200, SET_WAKEUP_FD, 1, 0]),
    "hop-kill-main": signal(USR1, "cb") + bytes([HOP, 200, PTHREAD_KILL, 220, USR1, CHECK]),
    "hook-none-race": bytes([HOOK, 10, SETINTERRUPT, 11, CHECK, HOOK, 100, SETINTERRUPT, 11, CHECK]),
    "delivery-info": signal(USR1, "cb", CB_INFO) + bytes([RAISE, USR1, DELIVERY_INFO]),
    "listener": bytes([ADD_LISTENER, USR1, 24]) + u64(7) + bytes([0, 100, RAISE, USR1, CHECK, REMOVE_LISTENER, 0]),
    "listener-oneshot-info": bytes([ADD_LISTENER, USR2, 29]) + u64(0) + bytes([200, 100])
    + signal(USR2, "cb") + bytes([RAISE, USR2, RAISE, USR2, GET_STATS, USR2]),
    "listener-removed-in-dispatch": bytes([ADD_LISTENER, HUP, 24]) + u64(0) + bytes([0, 100])
    + bytes([ADD_LISTENER, HUP, 27]) + u64(reenter_data(HUP, 6) | 1 << 12) + bytes([0, 100])
    + bytes([RAISE, HUP, RAISE, HUP]),
    "listener-bad": bytes([ADD_LISTENER, 0, 24]) + u64(0) + bytes([0, 100, ADD_LISTENER, 9, 24]) + u64(0)
    + bytes([0, 100, ADD_LISTENER, USR1, 2]) + u64(0) + bytes([0, 100, ADD_LISTENER, USR1, 24]) + u64(0)
    + bytes([250, 0, 0, 0, 9, 100, REMOVE_LISTENER, 240]) + u64(12345),
    "channel": bytes([CHANNEL_OPEN]) + small_set(USR1, USR2) + bytes([0, RAISE, USR1, RAISE, USR2,
                                                                      CHANNEL_READ, 0, 8, CHANNEL_READ, 0, 0, CHANNEL_CLOSE, 0]),
    "channel-hop": bytes([CHANNEL_OPEN]) + small_set(WINCH, RT0) + bytes([0, HOP, 200, RAISE, WINCH,
                                                                         HOP, 200, CHANNEL_READ, 0, 4, CHANNEL_CLOSE, 0]),
    "channel-bad": bytes([CHANNEL_OPEN, 0]) + u64(0) + u64(0) + bytes([0, CHANNEL_OPEN]) + small_set(9, 9)
    + bytes([0, CHANNEL_OPEN]) + small_set(USR1, USR1) + bytes([250, 0, 0, 0, 3, CHANNEL_READ, 0, 1, CHANNEL_CLOSE, 0]),
    "restore": signal(USR1, "cb") + signal(USR2, "ign") + bytes([RESTORE, 100, USR1, RESTORE, 0, GETSIGNAL, USR1,
                                                                  RAISE, PIPE, GET_STATS, USR1, GET_STATS, 0]),
    "race-report": bytes([SETINTERRUPT, 11, SETINTERRUPT, 6, CHECK]),
    # SIGPIPE with rssignal's handler while the wakeup fd is a pipe without
    # reader: each failed wakeup write raises SIGPIPE (the loop the library
    # ends); then a good pipe again, and SIGPIPE raised, listened, channelled.
    "sigpipe-broken-wakeup": signal(PIPE, "cb") + bytes([SET_WAKEUP_FD, 7, 1]) + signal(USR1, "cb")
    + bytes([RAISE, USR1, RAISE, PIPE, CHECK, RAISE, PIPE]),
    "sigpipe-broken-then-good": bytes([SET_WAKEUP_FD, 7, 0]) + signal(USR1, "cb") + bytes([RAISE, USR1])
    + signal(PIPE, "cb") + bytes([RAISE, PIPE, SET_WAKEUP_FD, 1, 1, RAISE, PIPE, CHECK]),
    # The broken pipe's EPIPE left unreported (set_interrupt is no dispatch
    # point), then a good pipe: SIGPIPE's byte must reach the good one.
    "sigpipe-broken-unreported-then-good": signal(PIPE, "cb") + bytes([SET_WAKEUP_FD, 7, 0, SETINTERRUPT, PIPE,
                                                                       SET_WAKEUP_FD, 1, 1, RAISE, PIPE]),
    "sigpipe-listener-channel": bytes([SET_WAKEUP_FD, 7, 1, ADD_LISTENER, PIPE, 24]) + u64(0) + bytes([0, 100])
    + bytes([CHANNEL_OPEN]) + small_set(PIPE, PIPE) + bytes([0, RAISE, PIPE, CHECK, CHANNEL_READ, 0, 8,
                                                            RESTORE, 100, PIPE, RAISE, PIPE]),
}

os.makedirs(OUT, exist_ok=True)
for name, data in seeds.items():
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(data)
print(f"{len(seeds)} seeds in {OUT}")
