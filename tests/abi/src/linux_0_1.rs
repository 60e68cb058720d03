//! The platform constants of rssignal 0.1 on Linux (x86-64 glibc; the same
//! on aarch64 and i686 glibc): the header must still give exactly these
//! values there. ctest2 checks each against the header's RS_ macro, and
//! (through the generated `sys` module) against <signal.h>/<sys/time.h>.
#![allow(dead_code)]

use libc::c_int;

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

