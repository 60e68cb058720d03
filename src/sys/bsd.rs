//! What macOS and FreeBSD share: the BSD signal numbers 1..31.

use std::ffi::CStr;

/// Every SIG* name of CPython's list that the BSDs define, aliases
/// included, in value order: the first name of a value is the canonical one.
pub(crate) const SIGNALS: &[(&CStr, i32)] = &[
    (c"SIGHUP", libc::SIGHUP),
    (c"SIGINT", libc::SIGINT),
    (c"SIGQUIT", libc::SIGQUIT),
    (c"SIGILL", libc::SIGILL),
    (c"SIGTRAP", libc::SIGTRAP),
    (c"SIGABRT", libc::SIGABRT),
    (c"SIGIOT", libc::SIGABRT),
    (c"SIGEMT", libc::SIGEMT),
    (c"SIGFPE", libc::SIGFPE),
    (c"SIGKILL", libc::SIGKILL),
    (c"SIGBUS", libc::SIGBUS),
    (c"SIGSEGV", libc::SIGSEGV),
    (c"SIGSYS", libc::SIGSYS),
    (c"SIGPIPE", libc::SIGPIPE),
    (c"SIGALRM", libc::SIGALRM),
    (c"SIGTERM", libc::SIGTERM),
    (c"SIGURG", libc::SIGURG),
    (c"SIGSTOP", libc::SIGSTOP),
    (c"SIGTSTP", libc::SIGTSTP),
    (c"SIGCONT", libc::SIGCONT),
    (c"SIGCHLD", libc::SIGCHLD),
    (c"SIGTTIN", libc::SIGTTIN),
    (c"SIGTTOU", libc::SIGTTOU),
    (c"SIGIO", libc::SIGIO),
    (c"SIGXCPU", libc::SIGXCPU),
    (c"SIGXFSZ", libc::SIGXFSZ),
    (c"SIGVTALRM", libc::SIGVTALRM),
    (c"SIGPROF", libc::SIGPROF),
    (c"SIGWINCH", libc::SIGWINCH),
    (c"SIGINFO", libc::SIGINFO),
    (c"SIGUSR1", libc::SIGUSR1),
    (c"SIGUSR2", libc::SIGUSR2),
];

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
