//! libFuzzer target for rssignal's Rust API: each input is a program, a
//! sequence of [`Op`]s decoded from the bytes (one opcode byte, then the op's
//! arguments), run against `rssignal::module` (the functions behind the C
//! surface) and a few exported functions, with the library instrumented for
//! coverage.
//!
//! Adding an operation: a variant in `Op`, its opcode at the end of `OPCODES`
//! (existing opcodes keep their numbers, so seeds keep their meaning), an arm
//! in `Op::decode` and one in `exec`. Mark it in `hop_safe` if it may run on
//! a spawned thread.
//!
//! The 0.2 functions (listeners, channels, restore, stats) are driven through their exported
//! functions (their Rust module is private): listeners (also oneshot, also
//! removed from inside a dispatch), channels (open, read, close, from any
//! thread), delivery_info (inside callbacks, and refused outside), restore
//! and get_stats. Set `FUZZ_TRACE=1` to print each op as it runs.
//!
//! Arguments are hostile: any int as a signal number (biased to 0, -1, 1..64,
//! 65, 32, 33, extremes), NaN / inf / huge / negative / denormal / 1 us times,
//! any 128-bit set, any handler kind and user data, callbacks that return 0,
//! positive or negative values or call back into the library, closed,
//! blocking, foreign and out-of-range wakeup fds, calls from other threads
//! (`Hop`), one of which may make itself the main thread.
//!
//! Checked besides "no crash, no hang, no leak": errors have a known status
//! (never RS_SIGNAL_EINTERNAL, a caught panic) and a message; callbacks and
//! reports run on the main thread; the main-thread-only functions refuse other
//! threads, and the dispatch functions do nothing there; `getsignal` returns
//! what `signal` installed; `set_wakeup_fd` returns the fd set before; a
//! raised signal with a callback runs it and writes its byte to a wakeup pipe;
//! a storm of blocked signals is dispatched when unblocked; names round-trip;
//! the set methods agree with the exported set functions; listeners install
//! rssignal's handler and are never removed twice; channel reads return
//! ascending records of their own signals only; delivery_info inside a
//! callback names the signal with >= 1 arrival; get_stats counts never go
//! back and dispatches never exceed arrivals.
//!
//! Kept out, because libFuzzer or the process needs it: the dispositions of
//! the signals libFuzzer and ASan handle (SEGV BUS ILL FPE ABRT ALRM INT TERM
//! XFSZ TRAP) never change and they are never raised nor blocked; SIGPIPE,
//! SIGVTALRM and SIGPROF are always ignored or caught (SIG_DFL becomes
//! SIG_IGN for them; rssignal's handler is fine), so a wakeup write to a
//! broken pipe or a tiny itimer cannot end the run; a signal is delivered only when its disposition now
//! leaves the process running, and every pending instance is drained before a
//! signal becomes SIG_DFL; ITIMER_REAL (libFuzzer's timeout timer) is restored
//! right after use, with SIGALRM blocked meanwhile; every wait is bounded.
//! Finalize is not fuzzed: it is one-way for the process.
#![no_main]

use std::ffi::{c_int, c_void, CStr, CString};
use std::sync::atomic::{AtomicBool, AtomicI32, AtomicU32, AtomicU64, Ordering::SeqCst};
use std::sync::{Mutex, OnceLock};

use libfuzzer_sys::fuzz_target;
use rssignal::error::Error;
use rssignal::module::{self, Handler};
use rssignal::*;

const NS: i32 = 65;

/* ---- input reader --------------------------------------------------------- */

struct In<'a> {
    d: &'a [u8],
}

impl In<'_> {
    fn u8(&mut self) -> u8 {
        match self.d.split_first() {
            Some((&b, rest)) => {
                self.d = rest;
                b
            }
            None => 0,
        }
    }
    fn u32(&mut self) -> u32 {
        (0..4).fold(0, |v, _| v << 8 | u32::from(self.u8()))
    }
    fn u64(&mut self) -> u64 {
        u64::from(self.u32()) << 32 | u64::from(self.u32())
    }
    fn bool(&mut self) -> bool {
        self.u8() & 1 != 0
    }
    fn any_int(&mut self) -> i32 {
        const SPECIAL: [i32; 29] = [
            0,
            -1,
            1,
            2,
            9,
            10,
            12,
            17,
            19,
            28,
            31,
            32,
            33,
            34,
            35,
            63,
            64,
            65,
            66,
            128,
            255,
            256,
            -2,
            -64,
            i32::MIN,
            i32::MAX,
            i32::MIN + 1,
            4242,
            1 << 30,
        ];
        let b = self.u8();
        if b < 128 {
            self.u32() as i32
        } else {
            SPECIAL[b as usize % SPECIAL.len()]
        }
    }
    /// Mostly 0..70, sometimes anything.
    fn sig(&mut self) -> i32 {
        let b = self.u8();
        if b < 220 {
            i32::from(b % 71)
        } else {
            self.any_int()
        }
    }
    fn time(&mut self) -> f64 {
        const SPECIAL: [f64; 15] =
            [0.0, -0.0, 1e-7, 1e-6, 0.5, 1.0, -1.0, -1e-9, 1e300, -1e300, 9.2e9, 9.3e9, 5e-324, 1e-3, 3600.0];
        match self.u8() {
            0..=15 => f64::NAN,
            16..=23 => f64::INFINITY,
            24..=31 => f64::NEG_INFINITY,
            b @ 32..=159 => SPECIAL[b as usize % SPECIAL.len()],
            _ => f64::from_bits(self.u64()),
        }
    }
    fn set(&mut self) -> rs_sigset {
        let b = self.u8();
        if b < 64 {
            rs_sigset { bits: [self.u64(), self.u64()] }
        } else {
            let hi = if b > 250 { 1u64 << (self.u8() % 64) } else { 0 };
            rs_sigset { bits: [1u64 << (b % 64) | 1u64 << (self.u8() % 64), hi] }
        }
    }
    fn handler(&mut self) -> HandlerSpec {
        let kind = match self.u8() {
            0..=63 => RS_SIG_DFL,
            64..=109 => RS_SIG_IGN,
            110..=229 => RS_SIGNAL_HANDLER_CALLBACK,
            _ => self.any_int(), // FOREIGN, garbage
        };
        let c = self.u8();
        let callback = if c < 16 { None } else { Some(c as usize % CALLBACKS.len()) };
        HandlerSpec { kind, callback, user_data: self.u64() as usize }
    }
}

/* ---- the operations -------------------------------------------------------- */

#[derive(Clone, Copy, Debug)]
struct HandlerSpec {
    kind: i32,
    callback: Option<usize>, // index in CALLBACKS
    user_data: usize,
}

impl HandlerSpec {
    fn to_c(self) -> rs_signal_handler {
        rs_signal_handler {
            kind: self.kind,
            callback: self.callback.map(|i| CALLBACKS[i]),
            user_data: self.user_data as *mut c_void,
        }
    }
}

#[derive(Clone, Copy, Debug)]
enum FdSpec {
    None,
    Pipe,
    BlockingPipe,
    EventFd,
    Socket,
    DevNull,
    BrokenPipe,
    Closed(u8),
    Raw(i32),
}

#[derive(Clone, Debug)]
enum Op {
    Signal {
        sig: i32,
        handler: HandlerSpec,
        null: bool,
    },
    GetSignal {
        sig: i32,
    },
    Raise {
        sig: i32,
    },
    SetInterrupt {
        sig: i32,
    },
    Check,
    Pending,
    InterruptOccurred,
    SetItimer {
        which: i32,
        delay: f64,
        interval: f64,
        keep: bool,
    },
    GetItimer {
        which: i32,
    },
    Alarm {
        seconds: u32,
    },
    PthreadKill {
        target: u8,
        sig: i32,
    },
    Sigmask {
        how: i32,
        set: rs_sigset,
        want_old: bool,
    },
    Sigpending,
    Sigwait {
        set: rs_sigset,
        info: bool,
    },
    Sigtimedwait {
        set: rs_sigset,
        timeout: f64,
    },
    SetWakeupFd {
        fd: FdSpec,
        warn: bool,
    },
    FillWakeup,
    Siginterrupt {
        sig: i32,
        flag: bool,
    },
    Names {
        sig: i32,
        name: Vec<u8>,
        index: usize,
        status: i32,
    },
    Sigset {
        set: rs_sigset,
        sig: i32,
        op: u8,
        list: Vec<i32>,
    },
    ValidSignals,
    PidfdSend {
        sig: i32,
        siginfo: bool,
        flags: u32,
        bad_fd: Option<i32>,
    },
    Pause,
    InstallDefaultHandlers,
    Storm {
        sigs: Vec<i32>,
    },
    /// Outside any dispatch: must be refused.
    DeliveryInfo,
    /// Run `op` on a spawned thread; with `take_main` that thread first makes
    /// itself the main thread (given back after the join).
    Hop {
        op: Box<Op>,
        take_main: bool,
    },
    Hook {
        none: bool,
    },
    AddListener {
        sig: i32,
        callback: Option<usize>,
        user_data: usize,
        flags: u32,
        want_id: bool,
    },
    /// Remove a listener we added (`pick` into the list) or a made-up id.
    RemoveListener {
        pick: u8,
        raw: Option<u64>,
    },
    ChannelOpen {
        set: rs_sigset,
        flags: u32,
    },
    ChannelRead {
        pick: u8,
        max: u8,
    },
    ChannelClose {
        pick: u8,
    },
    Restore {
        sig: i32,
    },
    GetStats {
        sig: i32,
    },
}

/// Opcode bytes, in order: append new ones at the end.
const OPCODES: usize = 35;

impl Op {
    fn decode(r: &mut In, depth: u32) -> Op {
        let mut code = r.u8() as usize;
        if code >= OPCODES {
            code %= OPCODES;
        }
        match code {
            0 => Op::Signal { sig: r.sig(), handler: r.handler(), null: r.u8() < 12 },
            1 => Op::GetSignal { sig: r.sig() },
            2 => Op::Raise { sig: r.sig() },
            3 => Op::SetInterrupt { sig: r.sig() },
            4 => Op::Check,
            5 => Op::Pending,
            6 => Op::InterruptOccurred,
            7 => {
                let w = r.u8();
                let which = if w < 200 { i32::from(w % 3) } else { r.any_int() };
                Op::SetItimer { which, delay: r.time(), interval: r.time(), keep: r.bool() }
            }
            8 => {
                let w = r.u8();
                Op::GetItimer { which: if w < 200 { i32::from(w % 3) } else { r.any_int() } }
            }
            9 => Op::Alarm { seconds: if r.u8() < 64 { 0 } else { r.u32() } },
            10 => Op::PthreadKill { target: r.u8(), sig: r.sig() },
            11 => {
                let h = r.u8();
                let how = match h {
                    0..=79 => libc::SIG_BLOCK,
                    80..=159 => libc::SIG_UNBLOCK,
                    160..=219 => libc::SIG_SETMASK,
                    _ => r.any_int(),
                };
                Op::Sigmask { how, set: r.set(), want_old: r.bool() }
            }
            12 => Op::Sigpending,
            13 => Op::Sigwait { set: r.set(), info: r.bool() },
            14 => Op::Sigtimedwait { set: r.set(), timeout: r.time() },
            15 => {
                let fd = match r.u8() % 12 {
                    0 => FdSpec::None,
                    1 | 2 => FdSpec::Pipe,
                    3 => FdSpec::BlockingPipe,
                    4 => FdSpec::EventFd,
                    5 => FdSpec::Socket,
                    6 => FdSpec::DevNull,
                    7 => FdSpec::BrokenPipe,
                    8 => FdSpec::Closed(r.u8()),
                    9 => FdSpec::Raw(i32::MAX),
                    10 => FdSpec::Raw(i32::MIN),
                    _ => FdSpec::Raw(-2 - i32::from(r.u8() % 8)),
                };
                Op::SetWakeupFd { fd, warn: r.bool() }
            }
            16 => Op::FillWakeup,
            17 => Op::Siginterrupt { sig: r.sig(), flag: r.bool() },
            18 => {
                let sig = r.any_int();
                let n = r.u8() % 24;
                let name = (0..n).map(|_| r.u8()).collect();
                let index = if r.u8() < 200 { r.u8() as usize } else { r.u64() as usize };
                Op::Names { sig, name, index, status: r.any_int() }
            }
            19 => {
                let set = r.set();
                let sig = r.any_int();
                let op = r.u8();
                let n = r.u8() % 9;
                let list = (0..n).map(|_| r.sig()).collect();
                Op::Sigset { set, sig, op, list }
            }
            20 => Op::ValidSignals,
            21 => {
                let f = r.u8();
                let bad_fd = match f {
                    0..=159 => None,
                    160..=199 => Some(900 + i32::from(r.u8() % 64)),
                    _ => Some(r.any_int()),
                };
                Op::PidfdSend {
                    sig: r.sig(),
                    siginfo: r.u8() < 30,
                    flags: if r.u8() < 200 { 0 } else { r.u32() },
                    bad_fd,
                }
            }
            22 => Op::Pause,
            23 => Op::InstallDefaultHandlers,
            24 => {
                let n = r.u8() % 8 + 1;
                Op::Storm { sigs: (0..n).map(|_| r.sig()).collect() }
            }
            25 => Op::DeliveryInfo,
            26 => Op::Hook { none: r.u8() < 64 },
            27 => {
                let take_main = r.u8() < 100;
                let op = if depth == 0 { Op::decode(r, depth + 1) } else { Op::Check };
                let op = if op.hop_safe() { op } else { Op::Check };
                Op::Hop { op: Box::new(op), take_main }
            }
            28 => {
                let sig = r.sig();
                let c = r.u8();
                let callback = if c < 8 { None } else { Some(c as usize % CALLBACKS.len()) };
                let user_data = r.u64() as usize;
                let f = r.u8();
                let flags = match f {
                    0..=159 => 0,
                    160..=239 => RS_SIGNAL_LISTENER_ONESHOT,
                    _ => r.u32(),
                };
                Op::AddListener { sig, callback, user_data, flags, want_id: r.u8() >= 16 }
            }
            29 => {
                let pick = r.u8();
                Op::RemoveListener { pick, raw: if pick >= 230 { Some(r.u64()) } else { None } }
            }
            30 => {
                let set = r.set();
                Op::ChannelOpen { set, flags: if r.u8() < 240 { 0 } else { r.u32() } }
            }
            31 => Op::ChannelRead { pick: r.u8(), max: r.u8() },
            32 => Op::ChannelClose { pick: r.u8() },
            33 => Op::Restore { sig: if r.u8() < 64 { 0 } else { r.sig() } },
            34 => Op::GetStats { sig: r.sig() },
            _ => unreachable!(),
        }
    }

    /// May this op run on a spawned thread? Not the ones that borrow
    /// process-wide timers, need the waker, or report on purpose.
    fn hop_safe(&self) -> bool {
        !matches!(
            self,
            Op::SetItimer { .. }
                | Op::GetItimer { .. }
                | Op::Alarm { .. }
                | Op::Pause
                | Op::PidfdSend { .. }
                | Op::Restore { .. }
                | Op::Hook { .. }
                | Op::FillWakeup
                | Op::Hop { .. }
        )
    }
}

/* ---- harness state --------------------------------------------------------- */

struct Fds {
    wake: [c_int; 2],
    blocking: [c_int; 2],
    efd: c_int,
    sock: [c_int; 2],
    devnull: c_int,
    broken_w: c_int,
    pidfd: c_int,
    waker_req: c_int,
}

struct Harness {
    fuzz_thread: libc::pthread_t,
    leader: bool, // the fuzz thread is the process's initial thread
    pause_sig: i32,
    fds: Fds,
    baseline_mask: libc::sigset_t,
}

// SAFETY: plain data (fds, a pthread_t, a sigset) read by every thread.
unsafe impl Sync for Harness {}
unsafe impl Send for Harness {}

static H: OnceLock<Harness> = OnceLock::new();
static TRACE: OnceLock<bool> = OnceLock::new();
static CALLS: [AtomicU32; NS as usize] = [const { AtomicU32::new(0) }; NS as usize];
static REENTERED: AtomicU32 = AtomicU32::new(0);
static CB_DEPTH: AtomicU32 = AtomicU32::new(0);
static RESETTING: AtomicBool = AtomicBool::new(false);
static REPORTS: AtomicU64 = AtomicU64::new(0);
/// Is our hook installed (else reports go to stderr)?
static HOOK_ON: AtomicBool = AtomicBool::new(true);
static PAUSE_DONE: AtomicBool = AtomicBool::new(true);
/// The wakeup fd the library should have now (set by us or a callback).
static WAKEUP: AtomicI32 = AtomicI32::new(-1);
/// Listener ids we added (some may be gone: oneshot, restore).
static LISTENERS: Mutex<Vec<u64>> = Mutex::new(Vec::new());
/// Open channels (the pointer as usize) with the set they were opened for.
static CHANNELS: Mutex<Vec<(usize, rs_sigset)>> = Mutex::new(Vec::new());
/// The arrivals each get_stats saw last, to check they never go back.
static SEEN_ARRIVALS: [AtomicU64; NS as usize] = [const { AtomicU64::new(0) }; NS as usize];

fn h() -> &'static Harness {
    H.get_or_init(setup)
}

fn protected(s: i32) -> bool {
    matches!(
        s,
        libc::SIGSEGV
            | libc::SIGBUS
            | libc::SIGILL
            | libc::SIGFPE
            | libc::SIGABRT
            | libc::SIGALRM
            | libc::SIGINT
            | libc::SIGTERM
            | libc::SIGXFSZ
            | libc::SIGTRAP
            | libc::SIGKILL
            | libc::SIGSTOP
    ) || H.get().is_some_and(|h| s == h.pause_sig)
}

/// Signals that must never be SIG_DFL here: a SIG_DFL request becomes SIG_IGN.
/// (SIGPIPE's default would end the run at the first wakeup write to the
/// pipe without reader; it is fuzzed with rssignal's handler, listeners and
/// channels like any other signal.)
fn neutralised(s: i32) -> bool {
    matches!(s, libc::SIGPIPE | libc::SIGVTALRM | libc::SIGPROF)
}

/// Put the harness's SIG_IGNs back where a restore made them SIG_DFL.
fn reneutralise() {
    let main = module::is_main_thread();
    for n in [libc::SIGPIPE, libc::SIGVTALRM, libc::SIGPROF] {
        if os_handler(n).is_some_and(|sa| sa.sa_sigaction == libc::SIG_DFL) {
            // Pending callbacks run first; they must not refuse it.
            let was = RESETTING.swap(true, SeqCst);
            let ok = (0..4).any(|_| module::signal(n, Some(&handler_ign())).is_ok());
            RESETTING.store(was, SeqCst);
            assert!(ok || !main, "could not ignore {n} again");
        }
    }
}

fn os_handler(s: i32) -> Option<libc::sigaction> {
    // SAFETY: query only, into a zeroed out-parameter.
    unsafe {
        let mut sa: libc::sigaction = std::mem::zeroed();
        (libc::sigaction(s, std::ptr::null(), &mut sa) == 0).then_some(sa)
    }
}

/// Would delivering `s` now leave the process running?
fn deliverable(s: i32) -> bool {
    if !(1..NS).contains(&s) || protected(s) {
        return false;
    }
    let Some(sa) = os_handler(s) else { return false };
    sa.sa_sigaction != libc::SIG_DFL
        || matches!(s, libc::SIGCHLD | libc::SIGURG | libc::SIGWINCH | libc::SIGCONT)
}

/// A signal for an operation that delivers one: out-of-range numbers and
/// glibc's 32 and 33 go through (refused), undeliverable ones become SIGWINCH.
fn delivery_sig(s: i32) -> i32 {
    if !(1..NS).contains(&s) || s == 32 || s == 33 {
        return s;
    }
    if deliverable(s) {
        s
    } else {
        libc::SIGWINCH
    }
}

fn one_set(s: i32) -> libc::sigset_t {
    // SAFETY: sigemptyset/sigaddset on a local set.
    unsafe {
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        libc::sigaddset(&mut set, s);
        set
    }
}

fn blocked_here(s: i32) -> bool {
    // SAFETY: query of this thread's mask.
    unsafe {
        let mut cur: libc::sigset_t = std::mem::zeroed();
        libc::pthread_sigmask(libc::SIG_BLOCK, std::ptr::null(), &mut cur);
        libc::sigismember(&cur, s) == 1
    }
}

/// Drop every pending instance of `s` visible to this thread.
fn drain_pending(s: i32) {
    if !(1..NS).contains(&s) || s == 32 || s == 33 || s == libc::SIGKILL || s == libc::SIGSTOP {
        return;
    }
    let one = one_set(s);
    let zero = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    for _ in 0..100_000 {
        // SAFETY: local sets and timespec.
        unsafe {
            let mut pend: libc::sigset_t = std::mem::zeroed();
            libc::sigpending(&mut pend);
            if libc::sigismember(&pend, s) != 1 {
                return;
            }
            if libc::sigtimedwait(&one, std::ptr::null_mut(), &zero) < 0
                && *libc::__errno_location() != libc::EINTR
            {
                return;
            }
        }
    }
}

/// Drop every pending signal that may be drained (before a change that may
/// make signals SIG_DFL again).
fn drain_all_pending() {
    for s in 1..NS {
        if !protected(s) {
            drain_pending(s);
        }
    }
}

/// Before a mask is relaxed: drop the pending signals whose disposition now
/// would end the process (a listener or channel that went away, a oneshot
/// listener that ran, a restore, may have made one SIG_DFL again).
fn drain_undeliverable_pending() {
    // SAFETY: a local set filled by sigpending.
    let mut pend: libc::sigset_t = unsafe { std::mem::zeroed() };
    // SAFETY: as above.
    unsafe { libc::sigpending(&mut pend) };
    for s in 1..NS {
        // SAFETY: pend is a valid set.
        if unsafe { libc::sigismember(&pend, s) } == 1 && !protected(s) && !deliverable(s) {
            drain_pending(s);
        }
    }
}

/* ---- checks ------------------------------------------------------------------ */

fn check_err(e: &Error) {
    assert!(e.status < 0, "an error with status {} ({})", e.status, e.message);
    assert!(e.status != RS_SIGNAL_EINTERNAL, "RS_SIGNAL_EINTERNAL (a caught panic): {}", e.message);
    assert!(e.status > RS_SIGNAL_EINTERNAL || e.status <= RS_SIGNAL_EUSER, "unknown status {}", e.status);
    assert!(!e.message.is_empty() && e.message.len() < 4096, "bad message {:?}", e.message);
}

fn checked<T>(r: rssignal::Result<T>) -> Option<T> {
    match r {
        Ok(v) => Some(v),
        Err(e) => {
            check_err(&e);
            None
        }
    }
}

/// A status from an exported function: < 0 must be the thread's last error.
fn ffi_status(r: c_int) {
    if r >= 0 {
        return;
    }
    // SAFETY: rs_signal_error is plain data; the call fills it.
    let mut e: rs_signal_error = unsafe { std::mem::zeroed() };
    // SAFETY: a valid out-pointer.
    let last = unsafe { rs_signal_last_error(&mut e) };
    assert_eq!(last, r);
    assert_eq!(e.status, r);
    assert!(!e.message.is_null());
    assert!(r != RS_SIGNAL_EINTERNAL);
}

unsafe extern "C" fn hook(r: *const rs_signal_unraisable, _data: *mut c_void) {
    assert!(!r.is_null());
    // SAFETY: the library passes a live report.
    let r = unsafe { &*r };
    assert!(!r.message.is_null());
    // SAFETY: a NUL-terminated message, valid during the call.
    let msg = unsafe { CStr::from_ptr(r.message) }.to_bytes();
    assert!(msg.len() < 4096);
    // Reports come from dispatch on the main thread, except the warning about
    // a set member the OS refuses, made by the converting thread, and ours.
    let ours = msg.starts_with(b"fuzz:");
    if !ours && !msg.windows(26).any(|w| w == b"please use valid_signals()") {
        assert!(module::is_main_thread(), "a report off the main thread: {}", String::from_utf8_lossy(msg));
    }
    REPORTS.fetch_add(1, SeqCst);
}

/* ---- callbacks ----------------------------------------------------------------- */

fn on_callback(s: i32) {
    assert!(module::is_main_thread(), "callback for {s} off the main thread");
    assert!((1..NS).contains(&s));
    CALLS[s as usize].fetch_add(1, SeqCst);
}

unsafe extern "C" fn cb_zero(s: c_int, _d: *mut c_void) -> c_int {
    on_callback(s);
    0
}
unsafe extern "C" fn cb_positive(s: c_int, _d: *mut c_void) -> c_int {
    on_callback(s);
    if RESETTING.load(SeqCst) {
        0
    } else {
        1 + (s & 7)
    }
}
unsafe extern "C" fn cb_negative(s: c_int, _d: *mut c_void) -> c_int {
    on_callback(s);
    if RESETTING.load(SeqCst) {
        0
    } else {
        RS_SIGNAL_EUSER - s
    }
}

/// Calls back into the library (depth-bounded): raises another signal,
/// changes its own handler, dispatches recursively, swaps the wakeup fd,
/// changes the mask, reads a handler.
unsafe extern "C" fn cb_reenter(s: c_int, d: *mut c_void) -> c_int {
    on_callback(s);
    if RESETTING.load(SeqCst) || CB_DEPTH.load(SeqCst) >= 3 {
        return 0;
    }
    REENTERED.fetch_add(1, SeqCst);
    CB_DEPTH.fetch_add(1, SeqCst);
    let k = d as usize;
    let other = delivery_sig((k % 70) as i32);
    let r: rssignal::Result<()> = match (k >> 8) % 7 {
        0 => module::raise_signal(other),
        1 if !protected(s) => {
            let h = if k >> 12 & 1 == 0 {
                rs_signal_handler { kind: RS_SIG_IGN, callback: None, user_data: std::ptr::null_mut() }
            } else {
                rs_signal_handler { kind: RS_SIGNAL_HANDLER_CALLBACK, callback: Some(cb_zero), user_data: d }
            };
            module::signal(s, Some(&h)).map(drop)
        }
        2 => {
            let _ = module::set_interrupt(other);
            module::check()
        }
        3 => {
            let fd = if k >> 12 & 1 == 0 { -1 } else { h().fds.wake[1] };
            set_wakeup(fd, k >> 13 & 1 != 0)
        }
        4 => {
            let mut set = rs_sigset::new();
            if (1..NS).contains(&other) && !protected(other) {
                let _ = set.add(other);
            }
            let how = if k >> 12 & 1 == 0 { libc::SIG_BLOCK } else { libc::SIG_UNBLOCK };
            drain_undeliverable_pending();
            module::pthread_sigmask(how, &set, None)
        }
        5 => module::check(),
        6 if k >> 12 & 1 == 1 => {
            // Remove a listener from inside a dispatch (maybe this one).
            let id = LISTENERS.lock().unwrap().pop();
            if let Some(id) = id {
                drain_all_pending();
                ffi_status(rs_signal_remove_listener(id));
            }
            Ok(())
        }
        _ => module::getsignal(s).map(drop),
    };
    CB_DEPTH.fetch_sub(1, SeqCst);
    match r {
        Err(e) => {
            check_err(&e);
            if (k >> 16) % 5 == 0 {
                e.status.min(-1)
            } else {
                0
            }
        }
        Ok(()) => 0,
    }
}

/// The library's default SIGINT handler (KeyboardInterrupt), counted.
unsafe extern "C" fn cb_default_int(s: c_int, d: *mut c_void) -> c_int {
    on_callback(s);
    if RESETTING.load(SeqCst) {
        0
    } else {
        rs_signal_default_int_handler(s, d)
    }
}

/// Reads the delivery record of the signal being dispatched.
unsafe extern "C" fn cb_info(s: c_int, _d: *mut c_void) -> c_int {
    on_callback(s);
    // SAFETY: rs_signal_delivery is plain data.
    let mut d: rs_signal_delivery = unsafe { std::mem::zeroed() };
    // SAFETY: a valid out-pointer.
    let r = unsafe { rs_signal_delivery_info(&mut d) };
    assert_eq!(r, RS_SIGNAL_OK, "delivery_info inside the callback of {s}");
    assert_eq!(d.signum, s, "delivery_info names another signal");
    assert!(d.arrivals >= 1, "delivery_info: 0 arrivals");
    assert!(d.first_ns <= d.last_ns, "delivery_info: first {} after last {}", d.first_ns, d.last_ns);
    0
}

const CALLBACKS: [unsafe extern "C" fn(c_int, *mut c_void) -> c_int; 6] =
    [cb_zero, cb_positive, cb_negative, cb_reenter, cb_default_int, cb_info];

/* ---- setup and reset ------------------------------------------------------------- */

extern "C" fn pause_wake(_s: c_int) {}

fn pipe2(flags: c_int) -> [c_int; 2] {
    let mut p = [-1; 2];
    // SAFETY: p is a valid 2-int array.
    assert_eq!(unsafe { libc::pipe2(p.as_mut_ptr(), flags) }, 0);
    p
}

/// The waker thread: on request, sends the pause signal to the fuzz thread
/// until the pause is over (bounded). It blocks every signal.
fn waker(req: c_int, target: libc::pthread_t, sig: i32) {
    loop {
        let mut b = 0u8;
        // SAFETY: reads one byte into b.
        let n = unsafe { libc::read(req, (&mut b as *mut u8).cast(), 1) };
        if n == 0 {
            return;
        }
        if n < 0 {
            continue;
        }
        for _ in 0..4000 {
            if PAUSE_DONE.load(SeqCst) {
                break;
            }
            // SAFETY: the fuzz thread lives for the whole run.
            unsafe { libc::pthread_kill(target, sig) };
            std::thread::sleep(std::time::Duration::from_micros(250));
        }
    }
}

fn setup() -> Harness {
    module::set_main_thread();
    // SAFETY: plain libc calls on values owned here.
    unsafe {
        let fuzz_thread = libc::pthread_self();
        let leader = libc::syscall(libc::SYS_gettid) as i32 == libc::getpid();
        let pause_sig = libc::SIGRTMIN() + 10;
        assert_eq!(rs_signal_set_unraisable_hook(Some(hook), std::ptr::null_mut()), 0);
        let ign = rs_signal_handler { kind: RS_SIG_IGN, callback: None, user_data: std::ptr::null_mut() };
        for s in [libc::SIGPIPE, libc::SIGVTALRM, libc::SIGPROF] {
            module::signal(s, Some(&ign)).expect("ignore a neutralised signal");
        }
        let mut sa: libc::sigaction = std::mem::zeroed();
        sa.sa_sigaction = pause_wake as extern "C" fn(c_int) as libc::sighandler_t;
        libc::sigaction(pause_sig, &sa, std::ptr::null_mut());
        let wake = pipe2(libc::O_NONBLOCK | libc::O_CLOEXEC);
        let blocking = pipe2(libc::O_CLOEXEC);
        let efd = libc::eventfd(0, libc::EFD_NONBLOCK | libc::EFD_CLOEXEC);
        let mut sock = [-1; 2];
        assert_eq!(
            libc::socketpair(
                libc::AF_UNIX,
                libc::SOCK_STREAM | libc::SOCK_NONBLOCK | libc::SOCK_CLOEXEC,
                0,
                sock.as_mut_ptr()
            ),
            0
        );
        let devnull = libc::open(c"/dev/null".as_ptr(), libc::O_WRONLY | libc::O_NONBLOCK | libc::O_CLOEXEC);
        let bp = pipe2(libc::O_NONBLOCK | libc::O_CLOEXEC);
        libc::close(bp[0]); // a write end whose reader is gone: EPIPE
        let pidfd = libc::syscall(libc::SYS_pidfd_open, libc::getpid(), 0) as c_int;
        let mut baseline_mask: libc::sigset_t = std::mem::zeroed();
        libc::pthread_sigmask(libc::SIG_SETMASK, std::ptr::null(), &mut baseline_mask);
        let req = pipe2(libc::O_CLOEXEC);
        // The waker starts with every signal blocked.
        let mut all: libc::sigset_t = std::mem::zeroed();
        let mut old: libc::sigset_t = std::mem::zeroed();
        libc::sigfillset(&mut all);
        libc::pthread_sigmask(libc::SIG_BLOCK, &all, &mut old);
        let (r, t) = (req[0], fuzz_thread as usize);
        std::thread::spawn(move || waker(r, t as libc::pthread_t, pause_sig));
        libc::pthread_sigmask(libc::SIG_SETMASK, &old, std::ptr::null_mut());
        Harness {
            fuzz_thread,
            leader,
            pause_sig,
            fds: Fds { wake, blocking, efd, sock, devnull, broken_w: bp[1], pidfd, waker_req: req[1] },
            baseline_mask,
        }
    }
}

fn drain_fd(fd: c_int) {
    let mut buf = [0u8; 4096];
    for _ in 0..64 {
        // SAFETY: reads into a local buffer.
        if unsafe { libc::read(fd, buf.as_mut_ptr().cast(), buf.len()) } <= 0 {
            break;
        }
    }
}

fn dispatch_all() {
    for _ in 0..16 {
        if !module::pending() {
            break;
        }
        let _ = module::check();
    }
}

fn handler_dfl() -> rs_signal_handler {
    rs_signal_handler { kind: RS_SIG_DFL, callback: None, user_data: std::ptr::null_mut() }
}
fn handler_ign() -> rs_signal_handler {
    rs_signal_handler { kind: RS_SIG_IGN, callback: None, user_data: std::ptr::null_mut() }
}

fn reset() {
    let h = h();
    // SAFETY: pthread_self has no preconditions.
    assert!(unsafe { libc::pthread_equal(libc::pthread_self(), h.fuzz_thread) } != 0);
    RESETTING.store(true, SeqCst);
    module::set_main_thread();
    // SAFETY: zeroed itimervals disarm.
    unsafe {
        let zero: libc::itimerval = std::mem::zeroed();
        libc::setitimer(libc::ITIMER_VIRTUAL, &zero, std::ptr::null_mut());
        libc::setitimer(libc::ITIMER_PROF, &zero, std::ptr::null_mut());
    }
    drain_all_pending();
    let ids: Vec<u64> = std::mem::take(&mut *LISTENERS.lock().unwrap());
    for id in ids {
        let _ = rs_signal_remove_listener(id);
    }
    let chans: Vec<(usize, rs_sigset)> = std::mem::take(&mut *CHANNELS.lock().unwrap());
    for (ch, _) in chans {
        // SAFETY: a channel we opened and have not closed.
        ffi_status(unsafe { rs_signal_channel_close(ch as *mut rs_signal_channel) });
    }
    // Listeners added without asking for their id, and whatever else rssignal
    // changed: back to what it found (every input starts from there).
    ffi_status(rs_signal_restore(0));
    reneutralise();
    drain_undeliverable_pending();
    // Pending deliverable signals arrive when the mask is put back.
    // SAFETY: the baseline mask was read at setup.
    unsafe { libc::pthread_sigmask(libc::SIG_SETMASK, &h.baseline_mask, std::ptr::null_mut()) };
    dispatch_all();
    let _ = set_wakeup(-1, true);
    for fd in [h.fds.wake[0], h.fds.sock[1], h.fds.efd] {
        drain_fd(fd);
    }
    // SAFETY: the hook is ours; zeroed itimervals disarm.
    unsafe {
        rs_signal_set_unraisable_hook(Some(hook), std::ptr::null_mut());
        HOOK_ON.store(true, SeqCst);
        let zero: libc::itimerval = std::mem::zeroed();
        libc::setitimer(libc::ITIMER_VIRTUAL, &zero, std::ptr::null_mut());
        libc::setitimer(libc::ITIMER_PROF, &zero, std::ptr::null_mut());
    }
    for s in 1..NS {
        if protected(s) || s == 32 || s == 33 {
            continue;
        }
        let Ok(cur) = module::getsignal(s) else { continue };
        let want = if neutralised(s) { Handler::Ignore } else { Handler::Default };
        if cur.kind() == want.kind() || cur.kind() == RS_SIGNAL_HANDLER_FOREIGN {
            continue;
        }
        drain_pending(s);
        let new = if neutralised(s) { handler_ign() } else { handler_dfl() };
        for _ in 0..4 {
            if module::signal(s, Some(&new)).is_ok() {
                break;
            }
        }
    }
    dispatch_all();
    RESETTING.store(false, SeqCst);
}

/* ---- executing ops ---------------------------------------------------------------- */

/// set_wakeup_fd with the old-fd invariant; keeps WAKEUP current.
fn set_wakeup(fd: c_int, warn: bool) -> rssignal::Result<()> {
    let main = module::is_main_thread();
    let before = WAKEUP.load(SeqCst);
    match module::set_wakeup_fd(fd, warn) {
        Ok(old) => {
            assert!(main, "set_wakeup_fd worked off the main thread");
            assert_eq!(old, before, "set_wakeup_fd returned another old fd");
            WAKEUP.store(if fd < 0 { -1 } else { fd }, SeqCst);
            Ok(())
        }
        Err(e) => {
            if !main {
                assert_eq!(e.status, RS_SIGNAL_EVALUE);
            }
            Err(e)
        }
    }
}

fn fd_of(spec: FdSpec) -> c_int {
    let f = &h().fds;
    match spec {
        FdSpec::None => -1,
        FdSpec::Pipe => f.wake[1],
        FdSpec::BlockingPipe => f.blocking[1],
        FdSpec::EventFd => f.efd,
        FdSpec::Socket => f.sock[0],
        FdSpec::DevNull => f.devnull,
        FdSpec::BrokenPipe => f.broken_w,
        FdSpec::Closed(b) => {
            let fd = 900 + c_int::from(b % 64);
            // SAFETY: F_GETFD only asks.
            if unsafe { libc::fcntl(fd, libc::F_GETFD) } != -1 {
                -3
            } else {
                fd
            }
        }
        FdSpec::Raw(fd) => fd,
    }
}

/// Borrow ITIMER_REAL (libFuzzer's timeout timer) with SIGALRM blocked, and
/// put it back before SIGALRM is unblocked.
fn with_real_timer_saved<T>(f: impl FnOnce() -> T) -> T {
    let alrm = one_set(libc::SIGALRM);
    // SAFETY: local masks and itimervals.
    unsafe {
        let mut old_mask: libc::sigset_t = std::mem::zeroed();
        libc::pthread_sigmask(libc::SIG_BLOCK, &alrm, &mut old_mask);
        let mut saved: libc::itimerval = std::mem::zeroed();
        libc::getitimer(libc::ITIMER_REAL, &mut saved);
        let r = f();
        libc::setitimer(libc::ITIMER_REAL, &saved, std::ptr::null_mut());
        libc::pthread_sigmask(libc::SIG_SETMASK, &old_mask, std::ptr::null_mut());
        r
    }
}

/// Protected signals never enter the mask.
fn without_protected(mut set: rs_sigset) -> rs_sigset {
    for s in 1..NS {
        if protected(s) {
            set.bits[(s / 64) as usize] &= !(1u64 << (s % 64));
        }
    }
    set
}

fn exec(op: &Op) {
    let h = h();
    let main = module::is_main_thread();
    match op {
        Op::Signal { sig, handler, null } => {
            let s = *sig;
            if (1..NS).contains(&s) && protected(s) {
                checked(module::getsignal(s));
                return;
            }
            let mut spec = *handler;
            if neutralised(s) && spec.kind == RS_SIG_DFL {
                spec.kind = RS_SIG_IGN;
            }
            let c = spec.to_c();
            let dfl = spec.kind == RS_SIG_DFL && (1..NS).contains(&s);
            if dfl {
                drain_pending(s);
            }
            let reentered = REENTERED.load(SeqCst);
            let r = module::signal(s, if *null { None } else { Some(&c) });
            if dfl {
                drain_pending(s);
            }
            match r {
                Ok(_old) => {
                    assert!(main, "signal() worked off the main thread");
                    if REENTERED.load(SeqCst) == reentered {
                        let now = module::getsignal(s).expect("getsignal after signal");
                        assert_eq!(now.kind(), spec.kind, "getsignal({s}) after signal()");
                        if let Handler::Callback(f, d) = now {
                            assert_eq!(Some(f as usize), spec.callback.map(|i| CALLBACKS[i] as usize));
                            assert_eq!(d, spec.user_data);
                        }
                    }
                }
                Err(e) => {
                    check_err(&e);
                    if !main {
                        assert_eq!(e.status, RS_SIGNAL_EVALUE);
                    }
                }
            }
        }
        Op::GetSignal { sig } => {
            let r = module::getsignal(*sig);
            assert_eq!(r.is_ok(), (1..NS).contains(sig), "getsignal({sig})");
            checked(r);
        }
        Op::Raise { sig } => {
            let s = delivery_sig(*sig);
            let cb = (1..NS).contains(&s) && matches!(module::getsignal(s), Ok(Handler::Callback(..)));
            let watch = cb && main && !blocked_here(s) && WAKEUP.load(SeqCst) == h.fds.wake[1];
            if watch {
                drain_fd(h.fds.wake[0]);
            }
            let before = if (1..NS).contains(&s) { CALLS[s as usize].load(SeqCst) } else { 0 };
            let r = module::raise_signal(s);
            if cb && !blocked_here(s) {
                // The handler ran before raise returned; a callback that
                // raised may have stopped the scan before this one.
                if main && r.is_ok() {
                    assert!(CALLS[s as usize].load(SeqCst) > before, "raised {s} with a callback: not run");
                }
                if watch {
                    let mut buf = [0u8; 512];
                    // SAFETY: reads into a local buffer.
                    let n = unsafe { libc::read(h.fds.wake[0], buf.as_mut_ptr().cast(), buf.len()) };
                    if WAKEUP.load(SeqCst) == h.fds.wake[1] || n > 0 {
                        assert!(n > 0 && buf[..n as usize].contains(&(s as u8)), "no wakeup byte for {s}");
                    }
                }
            }
            checked(r);
        }
        Op::SetInterrupt { sig } => {
            let r = module::set_interrupt(*sig);
            let want = if (1..NS).contains(sig) { RS_SIGNAL_OK } else { RS_SIGNAL_EVALUE };
            assert_eq!(r, want, "set_interrupt({sig})");
        }
        Op::Check => {
            let r = module::check();
            if !main {
                assert!(r.is_ok(), "check() did something off the main thread");
            }
            checked(r);
        }
        Op::Pending => {
            let p = module::pending();
            if !main {
                assert!(!p, "pending() off the main thread");
            }
            let _ = module::maybe_pending();
        }
        Op::InterruptOccurred => {
            let r = module::interrupt_occurred();
            if !main {
                assert!(!r);
            }
        }
        Op::SetItimer { which, delay, interval, keep } => {
            let which = *which;
            with_real_timer_saved(|| checked(module::setitimer(which, *delay, *interval)));
            if which == libc::ITIMER_VIRTUAL as i32 || which == libc::ITIMER_PROF as i32 {
                if !*keep {
                    // SAFETY: a zeroed itimerval disarms.
                    unsafe {
                        let zero: libc::itimerval = std::mem::zeroed();
                        libc::setitimer(which as _, &zero, std::ptr::null_mut());
                    }
                }
            }
        }
        Op::GetItimer { which } => {
            let r = module::getitimer(*which);
            assert_eq!(r.is_ok(), (0..3).contains(which), "getitimer({which})");
            checked(r);
        }
        Op::Alarm { seconds } => {
            with_real_timer_saved(|| checked(module::alarm(*seconds)));
        }
        Op::PthreadKill { target, sig } => {
            // SAFETY: pthread_self has no preconditions.
            let me = unsafe { libc::pthread_self() } as u64;
            let id = match target {
                0..=149 => me,
                150..=199 => 0,
                _ => h.fuzz_thread as u64, // from a hop: the (waiting) fuzz thread
            };
            let s = delivery_sig(*sig);
            let r = module::pthread_kill(id, s);
            if id == 0 {
                assert!(r.is_err());
            }
            checked(r);
        }
        Op::Sigmask { how, set, want_old } => {
            let set = without_protected(*set);
            drain_undeliverable_pending();
            let mut old = rs_sigset::new();
            let r = module::pthread_sigmask(*how, &set, if *want_old { Some(&mut old) } else { None });
            checked(r);
        }
        Op::Sigpending => {
            checked(module::sigpending());
        }
        Op::Sigwait { set, info } => {
            let mut set = *set;
            let s = set.iter().find(|&n| n < NS && deliverable(n)).unwrap_or(libc::SIGWINCH);
            set.bits[(s / 64) as usize] |= 1u64 << (s % 64);
            let one = one_set(s);
            // SAFETY: local masks; raise of a deliverable signal.
            unsafe {
                let mut old: libc::sigset_t = std::mem::zeroed();
                libc::pthread_sigmask(libc::SIG_BLOCK, &one, &mut old);
                libc::raise(s);
                let ok = if *info {
                    checked(module::sigwaitinfo(&set)).map(|i| i.signo)
                } else {
                    checked(module::sigwait(&set))
                };
                match ok {
                    Some(got) => assert!(set.contains(got).unwrap_or(false), "sigwait returned {got}"),
                    None => drain_pending(s), // refused before waiting
                }
                drain_undeliverable_pending();
                libc::pthread_sigmask(libc::SIG_SETMASK, &old, std::ptr::null_mut());
            }
        }
        Op::Sigtimedwait { set, timeout } => {
            let mut t = *timeout;
            if t.is_finite() && t > 1e-4 && t * 1e9 < 9_223_372_036_854_775_808.0 {
                t = 1e-4;
            }
            checked(module::sigtimedwait(set, t));
        }
        Op::SetWakeupFd { fd, warn } => {
            let _ = set_wakeup(fd_of(*fd), *warn).map_err(|e| check_err(&e));
        }
        Op::FillWakeup => {
            let junk = [0u8; 65536];
            for _ in 0..32 {
                // SAFETY: writes a local buffer to our own pipe.
                if unsafe { libc::write(h.fds.wake[1], junk.as_ptr().cast(), junk.len()) } < 0 {
                    break;
                }
            }
        }
        Op::Siginterrupt { sig, flag } => {
            let r = module::siginterrupt(*sig, *flag);
            if !(1..NS).contains(sig) {
                assert!(r.is_err());
            }
            checked(r);
        }
        Op::Names { sig, name, index, status } => {
            let n = rs_signal_name(*sig);
            if !n.is_null() {
                let mut v = 0;
                // SAFETY: a name from the library, a valid out-pointer.
                let r = unsafe { rs_signal_from_name(n, &mut v) };
                assert_eq!((r, v), (0, *sig), "name({sig}) does not round-trip");
            }
            if let Some(d) = checked(module::strsignal(*sig)) {
                assert!(d.is_none_or(|d| !d.to_bytes().is_empty()));
            }
            let mut bytes = name.clone();
            bytes.retain(|&b| b != 0);
            let c = CString::new(bytes).expect("no NUL");
            let mut v = 0;
            // SAFETY: a valid C string and out-pointer.
            let r = unsafe { rs_signal_from_name(c.as_ptr(), &mut v) };
            ffi_status(r);
            if r == 0 {
                assert!((1..NS).contains(&v));
            }
            let mut cn: *const libc::c_char = std::ptr::null();
            // SAFETY: valid out-pointers.
            ffi_status(unsafe { rs_signal_constant_at(*index, &mut cn, &mut v) });
            assert!(*index < rs_signal_constant_count() || cn.is_null());
            let _ = rs_signal_status_name(*status);
            let _ = rs_signal_status_exception(*status);
        }
        Op::Sigset { set, sig, op, list } => {
            let mut set = *set;
            let s = *sig;
            match op % 6 {
                0 => {
                    if checked(set.add(s)).is_some() {
                        assert_eq!(set.contains(s).ok(), Some(true));
                    }
                }
                1 => {
                    if checked(set.del(s)).is_some() {
                        assert_eq!(set.contains(s).ok(), Some(false));
                    }
                }
                2 => {
                    checked(set.contains(s));
                }
                3 => {
                    let n = set.next(s);
                    assert!(n == 0 || n > s);
                }
                4 => {
                    if let Some(built) = checked(rs_sigset::from_slice(list)) {
                        for &m in list {
                            assert_eq!(built.contains(m).ok(), Some(true));
                        }
                        set = built;
                    }
                }
                _ => {}
            }
            let members = set.iter().count() as i32;
            assert_eq!(set.count(), members);
            // The exported functions agree with the methods.
            // SAFETY: a valid set.
            assert_eq!(unsafe { rs_sigset_count(&set) }, members);
            // SAFETY: as above.
            assert_eq!(unsafe { rs_sigset_next(&set, s) }, set.next(s));
        }
        Op::ValidSignals => {
            let v = checked(module::valid_signals()).expect("valid_signals");
            assert!(v.contains(1).unwrap() && v.contains(64).unwrap());
        }
        Op::PidfdSend { sig, siginfo, flags, bad_fd } => {
            let mut s = delivery_sig(*sig);
            // pidfd_send_signal sends glibc's 32 and 33 (fatal by default).
            // A process-directed signal goes to this thread only when it does
            // not block it (else another thread could take it late).
            if s == 32 || s == 33 || ((1..NS).contains(&s) && (!h.leader || blocked_here(s))) {
                s = 0;
            }
            let fd = match bad_fd {
                None if h.fds.pidfd < 0 => return,
                None => h.fds.pidfd,
                // SAFETY: F_GETFD only asks.
                Some(fd) if *fd >= 0 && unsafe { libc::fcntl(*fd, libc::F_GETFD) } != -1 => -1,
                Some(fd) => *fd,
            };
            checked(module::pidfd_send_signal(fd, s, *siginfo, *flags));
            checked(module::check());
        }
        Op::Pause => {
            PAUSE_DONE.store(false, SeqCst);
            // SAFETY: one byte to the waker; unblocking our own signal.
            unsafe {
                assert_eq!(libc::write(h.fds.waker_req, [1u8].as_ptr().cast(), 1), 1);
                let one = one_set(h.pause_sig);
                libc::pthread_sigmask(libc::SIG_UNBLOCK, &one, std::ptr::null_mut());
            }
            let r = module::pause();
            PAUSE_DONE.store(true, SeqCst);
            checked(r);
        }
        Op::InstallDefaultHandlers => {
            let r = module::install_default_handlers(rs_signal_default_int_handler);
            if !main {
                assert!(r.is_err());
            }
            checked(r);
        }
        Op::Storm { sigs } => {
            let mut set = rs_sigset::new();
            let mut with_cb = Vec::new();
            for &s in sigs {
                let s = delivery_sig(s);
                if (1..NS).contains(&s) && s != 32 && s != 33 {
                    let _ = set.add(s);
                }
            }
            if checked(module::pthread_sigmask(libc::SIG_BLOCK, &set, None)).is_none() {
                return;
            }
            for s in set.iter() {
                if matches!(module::getsignal(s), Ok(Handler::Callback(..))) {
                    with_cb.push((s, CALLS[s as usize].load(SeqCst)));
                }
                // SAFETY: a deliverable signal, blocked: it stays pending.
                unsafe { libc::raise(s) };
            }
            let reentered = REENTERED.load(SeqCst);
            drain_undeliverable_pending();
            let r = module::pthread_sigmask(libc::SIG_UNBLOCK, &set, None);
            if main && r.is_ok() && REENTERED.load(SeqCst) == reentered {
                for (s, before) in with_cb {
                    assert!(CALLS[s as usize].load(SeqCst) > before, "storm: {s} not dispatched");
                }
            }
            checked(r);
        }
        Op::DeliveryInfo => {
            // SAFETY: plain data and a valid out-pointer.
            let mut d: rs_signal_delivery = unsafe { std::mem::zeroed() };
            // SAFETY: as above.
            let r = unsafe { rs_signal_delivery_info(&mut d) };
            assert_eq!(r, RS_SIGNAL_EVALUE, "delivery_info outside a dispatch");
            ffi_status(r);
            // SAFETY: NULL out-pointer: refused.
            ffi_status(unsafe { rs_signal_delivery_info(std::ptr::null_mut()) });
        }
        Op::Hook { none } => {
            let hk: rs_signal_unraisable_hook = if *none { None } else { Some(hook) };
            assert_eq!(rs_signal_set_unraisable_hook(hk, std::ptr::null_mut()), 0);
            HOOK_ON.store(!*none, SeqCst);
        }
        Op::AddListener { sig, callback, user_data, flags, want_id } => {
            let s = *sig;
            // Never on the signals libFuzzer and ASan handle (a listener
            // installs rssignal's handler); SIGKILL/SIGSTOP go through, refused.
            if (1..NS).contains(&s) && protected(s) && s != libc::SIGKILL && s != libc::SIGSTOP {
                return;
            }
            let cb = callback.map(|i| CALLBACKS[i]);
            let mut id: rs_signal_listener_id = 0;
            let idp: *mut rs_signal_listener_id = if *want_id { &mut id } else { std::ptr::null_mut() };
            // SAFETY: a valid out-pointer or NULL.
            let r = unsafe { rs_signal_add_listener(s, cb, *user_data as *mut c_void, *flags, idp) };
            ffi_status(r);
            if r == RS_SIGNAL_OK {
                assert!((1..NS).contains(&s) && cb.is_some() && *flags & !RS_SIGNAL_LISTENER_ONESHOT == 0);
                if *want_id {
                    assert!(id != 0, "listener id 0");
                    LISTENERS.lock().unwrap().push(id);
                }
                let sa = os_handler(s).expect("sigaction");
                assert!(
                    sa.sa_sigaction != libc::SIG_DFL && sa.sa_sigaction != libc::SIG_IGN,
                    "signal {s} has a listener but no handler"
                );
            }
        }
        Op::RemoveListener { pick, raw } => {
            let id = match raw {
                Some(id) => Some(*id),
                None => {
                    let mut l = LISTENERS.lock().unwrap();
                    if l.is_empty() {
                        None
                    } else {
                        let i = *pick as usize % l.len();
                        Some(l.swap_remove(i))
                    }
                }
            };
            if let Some(id) = id {
                drain_all_pending();
                let r = rs_signal_remove_listener(id);
                ffi_status(r);
                if r == RS_SIGNAL_OK {
                    assert_eq!(rs_signal_remove_listener(id), RS_SIGNAL_EVALUE, "a listener removed twice");
                }
            }
        }
        Op::ChannelOpen { set, flags } => {
            if CHANNELS.lock().unwrap().len() >= 8 {
                return;
            }
            // Keep libFuzzer's and ASan's signals out; KILL and STOP stay (refused).
            let mut set = *set;
            for s in 1..NS {
                if protected(s) && s != libc::SIGKILL && s != libc::SIGSTOP {
                    set.bits[(s / 64) as usize] &= !(1u64 << (s % 64));
                }
            }
            let mut ch: *mut rs_signal_channel = std::ptr::null_mut();
            // SAFETY: valid pointers.
            let r = unsafe { rs_signal_channel_open(&set, *flags, &mut ch) };
            ffi_status(r);
            if r == RS_SIGNAL_OK {
                assert!(!ch.is_null());
                // SAFETY: a channel just opened.
                let fd = unsafe { rs_signal_channel_fd(ch) };
                assert!(fd >= 0, "channel fd {fd}");
                CHANNELS.lock().unwrap().push((ch as usize, set));
            }
        }
        Op::ChannelRead { pick, max } => {
            let chans = CHANNELS.lock().unwrap();
            if chans.is_empty() {
                drop(chans);
                let mut n = 0usize;
                // SAFETY: NULL channel: refused.
                ffi_status(unsafe {
                    rs_signal_channel_read(std::ptr::null_mut(), std::ptr::null_mut(), 1, &mut n)
                });
                return;
            }
            let (ch, set) = chans[*pick as usize % chans.len()];
            drop(chans);
            // SAFETY: plain data.
            let mut out: [rs_signal_delivery; 70] = unsafe { std::mem::zeroed() };
            let max = (*max as usize) % 71;
            let mut n = usize::MAX;
            // SAFETY: a live channel (used by this thread only), a buffer of `max`.
            let r = unsafe {
                rs_signal_channel_read(ch as *mut rs_signal_channel, out.as_mut_ptr(), max, &mut n)
            };
            ffi_status(r);
            assert_eq!(r, RS_SIGNAL_OK, "channel_read");
            assert!(n <= max, "channel_read: {n} records for {max}");
            let mut last = 0;
            for d in &out[..n] {
                assert!(d.signum > last, "channel records not ascending");
                last = d.signum;
                assert_eq!(
                    set.contains(d.signum).ok(),
                    Some(true),
                    "a record for {} outside the channel",
                    d.signum
                );
                assert!(d.arrivals >= 1);
                assert!(d.first_ns <= d.last_ns);
            }
        }
        Op::ChannelClose { pick } => {
            let mut chans = CHANNELS.lock().unwrap();
            if chans.is_empty() {
                drop(chans);
                // SAFETY: NULL channel: refused.
                ffi_status(unsafe { rs_signal_channel_close(std::ptr::null_mut()) });
                return;
            }
            let i = *pick as usize % chans.len();
            let (ch, _) = chans.swap_remove(i);
            drop(chans);
            drain_all_pending();
            // SAFETY: a channel we opened, closed once.
            ffi_status(unsafe { rs_signal_channel_close(ch as *mut rs_signal_channel) });
        }
        Op::Restore { sig } => {
            // Restored dispositions may be SIG_DFL: nothing may be pending or
            // armed that would then end the process.
            // SAFETY: zeroed itimervals disarm.
            unsafe {
                let zero: libc::itimerval = std::mem::zeroed();
                libc::setitimer(libc::ITIMER_VIRTUAL, &zero, std::ptr::null_mut());
                libc::setitimer(libc::ITIMER_PROF, &zero, std::ptr::null_mut());
            }
            drain_all_pending();
            let s = *sig;
            let r = rs_signal_restore(s);
            ffi_status(r);
            if !(0..NS).contains(&s) {
                assert_eq!(r, RS_SIGNAL_EVALUE);
            }
            // The harness's own SIG_IGNs may be gone (their original was SIG_DFL).
            reneutralise();
        }
        Op::GetStats { sig } => {
            // SAFETY: plain data.
            let mut st: rs_signal_stats = unsafe { std::mem::zeroed() };
            // SAFETY: a valid out-pointer.
            let r = unsafe { rs_signal_get_stats(*sig, &mut st) };
            ffi_status(r);
            if (1..NS).contains(sig) {
                assert_eq!(r, RS_SIGNAL_OK);
                let before = SEEN_ARRIVALS[*sig as usize].fetch_max(st.arrivals, SeqCst);
                assert!(st.arrivals >= before, "arrivals of {sig} went back: {} < {before}", st.arrivals);
                assert!(
                    st.dispatches <= st.arrivals,
                    "{sig}: {} dispatches > {} arrivals",
                    st.dispatches,
                    st.arrivals
                );
            } else {
                assert_eq!(r, RS_SIGNAL_EVALUE);
            }
        }
        Op::Hop { op, take_main } => {
            // A signal the hop makes SIG_DFL must not stay pending here.
            let dfl_sig = match **op {
                Op::Signal { sig, handler, .. } if handler.kind == RS_SIG_DFL => Some(sig),
                _ => None,
            };
            if let Some(s) = dfl_sig {
                drain_pending(s);
            }
            let (op, take_main) = ((**op).clone(), *take_main);
            std::thread::spawn(move || {
                if take_main {
                    module::set_main_thread();
                    assert!(module::is_main_thread());
                } else {
                    assert!(!module::is_main_thread());
                }
                exec(&op);
            })
            .join()
            .expect("the hop thread panicked");
            module::set_main_thread();
            if let Some(s) = dfl_sig {
                drain_pending(s);
            }
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let _ = h();
    let mut r = In { d: data };
    let mut ops = 0;
    let trace = TRACE.get_or_init(|| std::env::var_os("FUZZ_TRACE").is_some());
    while !r.d.is_empty() && ops < 64 {
        let op = Op::decode(&mut r, 0);
        if *trace {
            eprintln!("fuzz op: {op:?}");
        }
        exec(&op);
        ops += 1;
    }
    reset();
});
