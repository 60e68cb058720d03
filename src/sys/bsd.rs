//! What macOS and FreeBSD share: the BSD signal numbers 1..31.

use std::ffi::CStr;

/// Every SIG* name of CPython's list that the BSDs define, aliases
/// included, in value order: the first name of a value is the canonical one.
pub(crate) const SIGNALS: &[(&CStr, i32)] = signal_table! {
    SIGHUP, SIGINT, SIGQUIT, SIGILL,
    SIGTRAP, SIGABRT, SIGIOT = SIGABRT, SIGEMT,
    SIGFPE, SIGKILL, SIGBUS, SIGSEGV,
    SIGSYS, SIGPIPE, SIGALRM, SIGTERM,
    SIGURG, SIGSTOP, SIGTSTP, SIGCONT,
    SIGCHLD, SIGTTIN, SIGTTOU, SIGIO,
    SIGXCPU, SIGXFSZ, SIGVTALRM, SIGPROF,
    SIGWINCH, SIGINFO, SIGUSR1, SIGUSR2,
};

/// The initial thread, as the BSD threads library knows it.
pub(crate) fn is_initial_thread() -> bool {
    // SAFETY: no preconditions.
    unsafe { libc::pthread_main_np() == 1 }
}

/// The BSDs have no tkill code: raise and pthread_kill report SI_USER.
pub(crate) fn is_tkill(_code: i32) -> bool {
    false
}

/// No eventfds: channels use a pipe.
pub(crate) fn is_eventfd(_fd: i32) -> bool {
    false
}

pub(crate) fn pidfd_send_signal(_pidfd: i32, _signum: i32, _flags: u32) -> Result<(), super::Errno> {
    Err(libc::ENOSYS)
}
