//! The async-signal-safe core: per-signal slots (arrival counts, the latest
//! record, channel subscriptions, counters), the global pending flag, the
//! wakeup fd, the channel table and the real signal handler.
//!
//! Everything the handler runs may run inside a signal handler, on any
//! thread, at any moment: only atomics and the async-signal-safe calls of
//! the platform layer (`write`, `send`, `clock_gettime`, errno). No
//! allocation, no lock, no thread-local storage, no formatting, no panic
//! path. The protocol is in `protocol.rs`; this file holds the one instance
//! of it and the OS actions around it. Nothing outside this folder touches
//! its atomics: the rest of the crate uses the functions below (the drain
//! API for dispatch, readers for records and counters).

pub mod protocol;

/// The atomics the protocol is written against: std's here, loom's in the
/// model-checking tests (tests/loom).
pub(crate) mod atomic {
    pub use std::sync::atomic::*;

    /// Back off while another thread finishes a short critical step.
    #[inline]
    pub fn spin_wait(tries: u32) {
        if tries < 64 {
            std::hint::spin_loop();
        } else {
            std::thread::yield_now();
        }
    }
}

use std::sync::atomic::{AtomicU32, Ordering};

use crate::sys::{self, Arrival, Disposition, Sink, WakeupKind};
pub use protocol::{above, bits_of, lowest, spin_while, Record, Stats};

/// Slots for signals 0..=127 (0 unused): rs_sigset's range on every platform.
pub(crate) const SLOTS: usize = 128;
/// The size of the channel table (one bit each in a slot's subscription word).
pub(crate) const MAX_CHANNELS: usize = 64;

/// Non-zero while a signal may be waiting for a dispatch point (CPython's
/// `is_tripped`). The only word the check fast path reads.
///
/// Exported (read-only by contract) for the header's `static inline`
/// `rs_signal_check_inline()`, which skips the call when nothing is pending;
/// build.rs declares it as `const volatile uint32_t`. Everything else of the
/// core stays private.
///
/// cbindgen:ignore
#[no_mangle]
pub static rs_signal_pending_word: AtomicU32 = AtomicU32::new(0);

/// Slots for the platform's signals 1..NSIG-1, so the dispatcher exchanges
/// only the tripped words that can hold them.
static CORE: protocol::Core<{ sys::NSIG as usize }, MAX_CHANNELS> =
    protocol::Core::new(&rs_signal_pending_word);

/// The receiver of the real handler.
pub(crate) struct Handler;

impl Sink for Handler {
    #[inline(always)]
    fn arrive(signum: i32, arrival: &Arrival) {
        if signum > 0 && (signum as usize) < SLOTS && signum < sys::NSIG {
            arrive(signum, Some(arrival), false);
        }
    }
}

/// One arrival: count and record it, feed the channels, and for the
/// main-thread dispatch trip its flag and write the wakeup fd.
#[inline(always)]
fn arrive(signum: i32, arrival: Option<&Arrival>, force: bool) {
    // Also lets the compiler drop every bounds check (no panic path here).
    if signum <= 0 || signum >= sys::NSIG {
        return;
    }
    let now = sys::monotonic_ns();
    let fwd = match arrival {
        Some(a) => CORE.arrive(signum, a, now, force),
        None => CORE.arrive_simulated(signum, now, force),
    };
    if fwd.notify != 0 {
        notify_channels(fwd.notify);
    }
    if fwd.trip && CORE.wakeup_word() >= 0 {
        write_wakeup(signum);
    }
}

#[cold]
#[inline(never)]
fn notify_channels(mut mask: u64) {
    while mask != 0 {
        let i = mask.trailing_zeros() as usize;
        mask &= mask - 1;
        let fd = CORE.channel_write_fd(i);
        if fd >= 0 {
            sys::Notifier::notify(fd);
        }
        CORE.channel_done(i);
    }
}

#[cold]
#[inline(never)]
fn write_wakeup(signum: i32) {
    // Counted in, so that rs_signal_set_wakeup_fd returns only once no
    // handler can still write to the fd it replaced. A SIGPIPE arrival skips
    // a wakeup pipe that it broke itself, until that EPIPE is reported or
    // the fd replaced (it is still counted and dispatched).
    let word = CORE.wakeup_enter_unless_broken(Some(signum) == sys::SIGPIPE);
    if word >= 0 {
        let fd = protocol::wakeup_fd_of(word);
        let warn = word & 4 != 0;
        if let Err(err) = sys::wakeup_write(fd, WakeupKind::from_bits(word), signum) {
            if warn || !sys::is_would_block(err) {
                CORE.wakeup_failed(signum, err, word, err == sys::EPIPE);
            }
        }
    }
    CORE.wakeup_leave();
}

/// The OS disposition that installs the real handler.
pub(crate) fn handler_disposition(restart: bool) -> Disposition {
    Disposition::handler::<Handler>(restart)
}

/// Is `action` the real handler of this library?
pub(crate) fn is_our_handler(action: sys::Action) -> bool {
    sys::is_entry::<Handler>(action)
}

/// `rs_signal_set_interrupt` without a real signal: one arrival with code
/// SI_USER from this process (its record is its time: the reader fills in
/// the code, pid and uid); `force` sends it to the main dispatch whatever
/// the slot forwards. Async-signal-safe.
pub(crate) fn simulate(signum: i32, force: bool) {
    arrive(signum, None, force);
}

/* ---- the drain API (main thread) ---------------------------------------------- */

/// The check fast path: one load of the exported word itself (not through
/// the core's reference to it).
#[inline(always)]
pub(crate) fn any_tripped() -> bool {
    rs_signal_pending_word.load(Ordering::Acquire) != 0
}

/// Start a dispatch: Some(tripped bits) when the flag was set.
#[inline(always)]
pub(crate) fn begin_dispatch() -> Option<[u64; 2]> {
    CORE.begin()
}

/// Bits that arrived during a callback, if the flag says any did.
#[inline(always)]
pub(crate) fn more_tripped() -> Option<[u64; 2]> {
    CORE.more()
}

/// Give bits back to the next dispatch point.
pub(crate) fn put_back(bits: [u64; 2]) {
    CORE.put_back(bits)
}

pub(crate) fn rearm() {
    CORE.rearm()
}

/// How many arrivals of `signum` this dispatch stands for (0: nothing new).
#[inline(always)]
pub(crate) fn drain(signum: i32) -> u32 {
    CORE.drain(signum)
}

pub(crate) fn take_one(signum: i32) -> bool {
    CORE.take_one(signum)
}

pub(crate) fn anything_to_do() -> bool {
    CORE.anything_to_do()
}

pub(crate) fn forget(signum: i32) {
    CORE.forget(signum)
}

pub(crate) fn forget_all() {
    CORE.forget_all()
}

/// In a fork child: forget the handlers of the parent's other threads.
pub(crate) fn after_fork_child() {
    CORE.after_fork_child()
}

pub(crate) fn take_wakeup_failures() -> Option<(i32, u32)> {
    CORE.take_wakeup_failures()
}

pub(crate) fn swap_wakeup(fd: i32, kind: WakeupKind, warn: bool) -> i32 {
    CORE.swap_wakeup(fd, kind, warn)
}

/// Whether arrivals of `signum` go to the main-thread dispatch.
pub(crate) fn set_forward(signum: i32, on: bool) {
    CORE.set_forward(signum, on)
}

#[inline(always)]
pub(crate) fn note_dispatch(signum: i32) {
    CORE.note_dispatch(signum, sys::coarse_monotonic_ns())
}

pub(crate) fn note_listener(signum: i32) {
    CORE.note_listener(signum, sys::coarse_monotonic_ns())
}

/* ---- readers -------------------------------------------------------------------- */

pub(crate) fn record(signum: i32) -> Record {
    let mut r = CORE.record(signum);
    if r.simulated {
        // This process, now (two system calls, on the reader's side only).
        (r.pid, r.uid) = (sys::getpid(), sys::getuid());
        r.code = sys::SI_USER;
    }
    r
}

pub(crate) fn first_ns(signum: i32) -> i64 {
    CORE.first_ns(signum)
}

pub(crate) fn stats(signum: i32) -> Stats {
    CORE.stats(signum)
}

/* ---- channels ---------------------------------------------------------------------- */

pub(crate) fn channel_open(write_fd: i32, signals: [u64; 2]) -> Option<usize> {
    CORE.channel_open(write_fd, signals)
}

/// Read channel `i` into `out` as (signal, arrivals, first_ns); `drain`
/// empties its fd when the channel is empty.
pub(crate) fn channel_read(i: usize, out: &mut [(i32, u64, i64)], drain: impl FnOnce()) -> usize {
    let (n, notify) = CORE.channel_read(i, out, drain);
    if notify {
        let fd = CORE.channel_write_fd(i);
        if fd >= 0 {
            sys::Notifier::notify(fd);
        }
    }
    n
}

pub(crate) fn channel_close(i: usize) {
    CORE.channel_close(i)
}

pub(crate) fn channels_forget(signum: i32) {
    CORE.channels_forget(signum)
}

pub(crate) fn has_channels(signum: i32) -> bool {
    CORE.has_channels(signum)
}

#[cfg(test)]
mod tests {
    use super::protocol::*;
    use crate::sys::Arrival;
    use std::sync::atomic::AtomicU32;

    fn core() -> &'static Core<8, 2> {
        let flag: &'static AtomicU32 = Box::leak(Box::new(AtomicU32::new(0)));
        Box::leak(Box::new(Core::new(flag)))
    }

    #[test]
    fn arrivals_are_counted_and_drained_once() {
        let c = core();
        c.set_forward(3, true);
        let a = Arrival { code: 0, pid: 42, uid: 7, status: 0, value: 0 };
        for t in 0..5 {
            assert!(c.arrive(3, &a, 100 + t, false).trip);
        }
        let bits = c.begin().expect("flag set");
        assert_eq!(lowest(bits), Some(3));
        assert_eq!(c.drain(3), 5);
        assert_eq!(c.drain(3), 0, "drained once");
        assert!(c.begin().is_none());
        let r = c.record(3);
        assert_eq!((r.pid, r.uid, r.last_ns), (42, 7, 104));
        assert_eq!(c.first_ns(3), 100);
        assert_eq!(c.stats(3).arrivals, 5);
    }

    #[test]
    fn unforwarded_signals_do_not_trip() {
        let c = core();
        let f = c.arrive(2, &Arrival::default(), 1, false);
        assert!(!f.trip);
        assert!(c.begin().is_none());
        c.set_forward(2, true);
        c.arrive(2, &Arrival::default(), 2, false);
        c.begin().unwrap();
        assert_eq!(c.drain(2), 1, "arrivals before forwarding belong to no dispatch");
        assert_eq!(c.stats(2).arrivals, 2);
    }

    /// A handler that was feeding a channel on another thread when the
    /// process forked never leaves in the child: after the child's reset,
    /// closing the channel does not wait for it.
    #[test]
    fn fork_child_does_not_wait_for_the_parents_handlers() {
        let c = core();
        let i = c.channel_open(99, [1 << 4, 0]).unwrap();
        // A handler inside: it counted into the channel and holds it until
        // channel_done, which the vanished thread never calls.
        assert_eq!(c.arrive(4, &Arrival::default(), 10, false).notify, 1 << i);
        c.after_fork_child();
        let (tx, rx) = std::sync::mpsc::channel();
        let closer = std::thread::spawn(move || {
            c.channel_close(i);
            tx.send(()).unwrap();
        });
        assert!(
            rx.recv_timeout(std::time::Duration::from_secs(10)).is_ok(),
            "close waited for a thread of the parent"
        );
        closer.join().unwrap();
    }

    #[test]
    fn channels_see_every_arrival_and_notify_once() {
        let c = core();
        let i = c.channel_open(99, [1 << 4, 0]).unwrap();
        let f = c.arrive(4, &Arrival::default(), 10, false);
        assert_eq!(f.notify, 1 << i);
        assert_eq!(c.channel_write_fd(i), 99);
        c.channel_done(i);
        assert_eq!(c.arrive(4, &Arrival::default(), 11, false).notify, 0, "already armed");
        let mut out = [(0, 0, 0); 4];
        let mut drained = false;
        let (n, again) = c.channel_read(i, &mut out, || drained = true);
        assert_eq!((n, again, drained), (1, false, true));
        assert_eq!(out[0], (4, 2, 10));
        assert_eq!(c.arrive(4, &Arrival::default(), 12, false).notify, 1 << i, "re-armed after the read");
        c.channel_done(i);
        c.channel_close(i);
        assert_eq!(c.arrive(4, &Arrival::default(), 13, false).notify, 0);
    }

    #[test]
    fn above_and_lowest() {
        assert_eq!(above(1), [!1u64, u64::MAX]);
        assert_eq!(above(64), [0, u64::MAX]);
        assert_eq!(above(65), [0, !1u64]);
        assert_eq!(above(127), [0, 1u64 << 63]);
        assert_eq!(lowest([0, 1]), Some(65));
        assert_eq!(lowest([1 << 63, 0]), Some(64));
        assert_eq!(lowest([0, 0]), None);
    }
}
