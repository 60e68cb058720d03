//! Plain C types and constants of the ABI.
//!
//! This file is read by cbindgen (to write `include/rssignal.h`) and by the
//! ctest2 crate in `tests/abi` (to check the header against these
//! definitions). Keep it to `#[repr(C)]` structs, type aliases and literal
//! constants in plain edition-2018 syntax: no macros, no expressions.
//!
//! The constants whose values are the platform's (signal numbers, `RS_NSIG`,
//! `RS_SIG_BLOCK`…, `RS_ITIMER_*`) are not here: build.rs writes them into
//! the header from `<signal.h>`'s own macros, and the library takes them
//! from the platform layer (`src/sys/`).
#![allow(non_camel_case_types)]

use libc::{c_char, c_int, c_uint, c_void};

/* ---- status codes ---------------------------------------------------- */

/// Success.
pub const RS_SIGNAL_OK: c_int = 0;
/// `rs_signal_sigtimedwait()` timed out (Python's `sigtimedwait` returned None).
pub const RS_SIGNAL_TIMEOUT: c_int = 1;
/// A bad value, or a call from the wrong thread (Python's `ValueError`).
pub const RS_SIGNAL_EVALUE: c_int = -1;
/// The operating system refused; `os_errno` says why (Python's `OSError`).
pub const RS_SIGNAL_EOS: c_int = -2;
/// `setitimer`/`getitimer` failed; `os_errno` says why (Python's `ItimerError`).
pub const RS_SIGNAL_EITIMER: c_int = -3;
/// A NULL pointer, a malformed handler, a non-NULL siginfo (Python's `TypeError`).
pub const RS_SIGNAL_ETYPE: c_int = -4;
/// A time too large for the platform (Python's `OverflowError`).
pub const RS_SIGNAL_EOVERFLOW: c_int = -5;
/// A handler callback "raised" by returning a positive value.
pub const RS_SIGNAL_EHANDLER: c_int = -6;
/// `KeyboardInterrupt`, returned by `rs_signal_default_int_handler`.
pub const RS_SIGNAL_EKEYBOARDINTERRUPT: c_int = -7;
/// The function or signal is not available on this platform.
pub const RS_SIGNAL_EUNSUPPORTED: c_int = -8;
/// A bug in rssignal (a caught Rust panic). Please report it.
pub const RS_SIGNAL_EINTERNAL: c_int = -9;
/// The first status free for applications' callbacks: use values <= -1000.
pub const RS_SIGNAL_EUSER: c_int = -1000;

/* ---- handler kinds (Python's Handlers enum, plus two of ours) --------- */

/// The default action of the signal (Python's `signal.SIG_DFL`).
pub const RS_SIG_DFL: c_int = 0;
/// Ignore the signal (Python's `signal.SIG_IGN`).
pub const RS_SIG_IGN: c_int = 1;
/// A C callback run at the next dispatch point on the main thread.
pub const RS_SIGNAL_HANDLER_CALLBACK: c_int = 2;
/// Python's `None`: the disposition was not installed through rssignal.
/// Reported by `rs_signal_getsignal()`; refused by `rs_signal_signal()`.
pub const RS_SIGNAL_HANDLER_FOREIGN: c_int = 3;

/* ---- 0.2: listeners and channels ------------------------------------ */

/// rs_signal_add_listener() flag: remove the listener after its first call.
pub const RS_SIGNAL_LISTENER_ONESHOT: c_uint = 1;
/// The most listeners a process may have at once (more: RS_SIGNAL_EOS, ENOSPC).
pub const RS_SIGNAL_MAX_LISTENERS: c_int = 256;
/// The most channels a process may have open at once (more: RS_SIGNAL_EOS, ENOSPC).
pub const RS_SIGNAL_MAX_CHANNELS: c_int = 64;

/* ---- types ------------------------------------------------------------ */

/// A handler callback. It runs on the main thread at a dispatch point, never
/// in signal context, so it may do anything ordinary code may do. Return 0
/// when done; a non-zero value "raises": dispatch stops and the dispatching
/// call returns that value if negative, or RS_SIGNAL_EHANDLER if positive.
pub type rs_signal_callback = Option<unsafe extern "C" fn(signum: c_int, user_data: *mut c_void) -> c_int>;

/// A signal handler as Python sees one: `kind` is RS_SIG_DFL, RS_SIG_IGN,
/// RS_SIGNAL_HANDLER_CALLBACK (with a non-NULL `callback`) or, when read back,
/// RS_SIGNAL_HANDLER_FOREIGN. `user_data` is passed to the callback untouched.
#[repr(C)]
pub struct rs_signal_handler {
    pub kind: c_int,
    pub callback: rs_signal_callback,
    pub user_data: *mut c_void,
}

/// The calling thread's last error (see rs_signal_last_error()).
#[repr(C)]
pub struct rs_signal_error {
    /// An RS_SIGNAL_E* status, or a callback's own negative value.
    pub status: c_int,
    /// errno for RS_SIGNAL_EOS / RS_SIGNAL_EITIMER, else 0.
    pub os_errno: c_int,
    /// The signal concerned, or 0.
    pub signum: c_int,
    /// The value a handler callback returned, for a raised handler, else 0.
    pub handler_result: c_int,
    /// UTF-8, owned by the library, valid until this thread's next failing call.
    pub message: *const c_char,
}

/// A report that cannot be returned to a caller (Python's unraisable
/// exceptions): wakeup-fd write errors, signals ignored due to a race,
/// invalid signal numbers skipped in a set.
#[repr(C)]
pub struct rs_signal_unraisable {
    /// The status the report would have had as an error.
    pub status: c_int,
    /// errno, when the report is about a failed system call, else 0.
    pub os_errno: c_int,
    /// The signal concerned, or 0.
    pub signum: c_int,
    /// UTF-8; valid only during the hook call.
    pub message: *const c_char,
}

/// The unraisable hook: runs on the main thread at a dispatch point (or in
/// the calling thread for set conversions), never in signal context.
pub type rs_signal_unraisable_hook =
    Option<unsafe extern "C" fn(report: *const rs_signal_unraisable, user_data: *mut c_void)>;

/// A set of signal numbers: bit n of the 128 is signal n (bit 0 unused).
/// Plain data: zero it or use rs_sigset_empty() before use.
#[repr(C)]
#[derive(Clone, Copy, Default, PartialEq, Eq, Debug)]
pub struct rs_sigset {
    pub bits: [u64; 2],
}

/// Python's `signal.struct_siginfo`, fields in Python's order without the
/// `si_` prefix (glibc's <signal.h> defines si_pid & co as macros).
#[repr(C)]
#[derive(Clone, Copy, Default, PartialEq, Eq, Debug)]
pub struct rs_signal_siginfo {
    pub signo: i32,
    pub code: i32,
    pub errnum: i32,
    pub pid: i32,
    pub uid: u32,
    pub status: i32,
    pub band: i64,
}

/// Python's `(delay, interval)` tuple from setitimer()/getitimer(), in seconds.
#[repr(C)]
#[derive(Clone, Copy, Default, PartialEq, Debug)]
pub struct rs_signal_itimer_value {
    pub delay: f64,
    pub interval: f64,
}

/// Who sent a signal and how many arrivals one dispatch stands for: filled by
/// rs_signal_delivery_info() inside a callback or listener, and by
/// rs_signal_channel_read(). `code`, `pid`, `uid`, `status`, `value` and
/// `last_ns` come from one arrival, the latest (never a mix of two).
#[repr(C)]
#[derive(Clone, Copy, Default, PartialEq, Eq, Debug)]
pub struct rs_signal_delivery {
    pub signum: i32,
    /// Handler entries for this signal since it was last dispatched (>= 1;
    /// saturates at UINT32_MAX).
    pub arrivals: u32,
    /// si_code of the latest arrival (SI_USER, SI_QUEUE, SI_TKILL, SI_KERNEL,
    /// CLD_EXITED, ...).
    pub code: i32,
    /// si_pid of the latest arrival when the platform gives one (kill,
    /// sigqueue, tgkill, SIGCHLD), else 0.
    pub pid: i32,
    /// si_uid likewise, else 0.
    pub uid: u32,
    /// si_status for SIGCHLD (exit code or signal number), else 0.
    pub status: i32,
    /// si_value.sival_ptr of the latest SI_QUEUE arrival, else 0.
    pub value: i64,
    /// CLOCK_MONOTONIC time of the first of these arrivals, in ns.
    pub first_ns: i64,
    /// ... and of the latest one.
    pub last_ns: i64,
}

/// A listener's handle: never 0.
pub type rs_signal_listener_id = u64;

/// Counters of one signal since the library started (rs_signal_get_stats()).
#[repr(C)]
#[derive(Clone, Copy, Default, PartialEq, Eq, Debug)]
pub struct rs_signal_stats {
    /// Handler entries (and rs_signal_set_interrupt / rs_signal_raise_signal).
    pub arrivals: u64,
    /// Callback calls.
    pub dispatches: u64,
    /// Listener calls.
    pub listener_calls: u64,
    /// Failed wakeup fd writes.
    pub wakeup_failures: u64,
    /// CLOCK_MONOTONIC of the latest arrival, in ns; 0 = never.
    pub last_arrival_ns: i64,
    /// CLOCK_MONOTONIC of the latest callback or listener call, in ns; 0 = never.
    /// Read at the kernel tick's resolution (Linux CLOCK_MONOTONIC_COARSE,
    /// FreeBSD CLOCK_MONOTONIC_FAST; `clock_getres` gives the step, often
    /// 1-4 ms; the precise clock on macOS and Windows), so that a dispatch
    /// pays no precise clock read: never later than the call, up to one tick
    /// earlier, and never earlier than the latest arrival it dispatched.
    pub last_dispatch_ns: i64,
}

/// An open channel (opaque): see rs_signal_channel_open().
pub struct rs_signal_channel {
    _private: [u8; 0],
}
