//! Plain C types and constants of the ABI.
//!
//! This file is read by cbindgen (to write `include/rssignal.h`) and by the
//! ctest2 crate in `c-tests/abi` (to check the header against these
//! definitions). Keep it to `#[repr(C)]` structs, type aliases and literal
//! constants in plain edition-2018 syntax: no macros, no expressions.
#![allow(non_camel_case_types)]

use libc::{c_char, c_int, c_void};

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

/* ---- pthread_sigmask `how` (Python's Sigmasks enum) ------------------- */

/// Add the set to the thread's mask.
pub const RS_SIG_BLOCK: c_int = 0;
/// Remove the set from the thread's mask.
pub const RS_SIG_UNBLOCK: c_int = 1;
/// Replace the thread's mask with the set.
pub const RS_SIG_SETMASK: c_int = 2;

/* ---- interval timers -------------------------------------------------- */

/// Real time; delivers SIGALRM.
pub const RS_ITIMER_REAL: c_int = 0;
/// Process user CPU time; delivers SIGVTALRM.
pub const RS_ITIMER_VIRTUAL: c_int = 1;
/// Process user + system CPU time; delivers SIGPROF.
pub const RS_ITIMER_PROF: c_int = 2;

/* ---- signal numbers (Linux) ------------------------------------------ */

/// One more than the largest signal number: valid signals are 1..RS_NSIG-1.
pub const RS_NSIG: c_int = 65;
/// Hangup.
pub const RS_SIGHUP: c_int = 1;
/// Interrupt (Ctrl-C).
pub const RS_SIGINT: c_int = 2;
/// Quit.
pub const RS_SIGQUIT: c_int = 3;
/// Illegal instruction.
pub const RS_SIGILL: c_int = 4;
/// Trace/breakpoint trap.
pub const RS_SIGTRAP: c_int = 5;
/// Aborted.
pub const RS_SIGABRT: c_int = 6;
/// Alias of RS_SIGABRT.
pub const RS_SIGIOT: c_int = 6;
/// Bus error.
pub const RS_SIGBUS: c_int = 7;
/// Floating-point exception.
pub const RS_SIGFPE: c_int = 8;
/// Killed (cannot be caught, blocked or ignored).
pub const RS_SIGKILL: c_int = 9;
/// User-defined signal 1.
pub const RS_SIGUSR1: c_int = 10;
/// Segmentation fault.
pub const RS_SIGSEGV: c_int = 11;
/// User-defined signal 2.
pub const RS_SIGUSR2: c_int = 12;
/// Broken pipe.
pub const RS_SIGPIPE: c_int = 13;
/// Alarm clock.
pub const RS_SIGALRM: c_int = 14;
/// Terminated.
pub const RS_SIGTERM: c_int = 15;
/// Stack fault.
pub const RS_SIGSTKFLT: c_int = 16;
/// Child exited.
pub const RS_SIGCHLD: c_int = 17;
/// Alias of RS_SIGCHLD.
pub const RS_SIGCLD: c_int = 17;
/// Continued.
pub const RS_SIGCONT: c_int = 18;
/// Stopped (cannot be caught, blocked or ignored).
pub const RS_SIGSTOP: c_int = 19;
/// Stopped from the terminal.
pub const RS_SIGTSTP: c_int = 20;
/// Stopped (tty input).
pub const RS_SIGTTIN: c_int = 21;
/// Stopped (tty output).
pub const RS_SIGTTOU: c_int = 22;
/// Urgent I/O condition.
pub const RS_SIGURG: c_int = 23;
/// CPU time limit exceeded.
pub const RS_SIGXCPU: c_int = 24;
/// File size limit exceeded.
pub const RS_SIGXFSZ: c_int = 25;
/// Virtual timer expired.
pub const RS_SIGVTALRM: c_int = 26;
/// Profiling timer expired.
pub const RS_SIGPROF: c_int = 27;
/// Window changed.
pub const RS_SIGWINCH: c_int = 28;
/// I/O possible.
pub const RS_SIGIO: c_int = 29;
/// Alias of RS_SIGIO.
pub const RS_SIGPOLL: c_int = 29;
/// Power failure.
pub const RS_SIGPWR: c_int = 30;
/// Bad system call.
pub const RS_SIGSYS: c_int = 31;
/// glibc's SIGRTMIN when the library was built; call rs_signal_sigrtmin() at run time.
pub const RS_SIGRTMIN: c_int = 34;
/// glibc's SIGRTMAX when the library was built; call rs_signal_sigrtmax() at run time.
pub const RS_SIGRTMAX: c_int = 64;

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
