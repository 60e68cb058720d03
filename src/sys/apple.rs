//! macOS facts (x86_64 and aarch64).

use libc::c_int;

pub(crate) use super::bsd::{is_eventfd, is_initial_thread, is_tkill, pidfd_send_signal, SIGNALS};
use super::Errno;
pub(crate) use super::PipeNotifier as Notifier;

pub(crate) const PLATFORM: &str = "macOS";

/// <signal.h>'s NSIG: signals are 1..31.
pub(crate) const NSIG: i32 = 32;

/// macOS has neither sigwaitinfo nor sigtimedwait.
/// si_code values of <sys/signal.h>: kill(2) and sigqueue(3) (libc has no binding).
pub(crate) const SI_USER: i32 = 0x10001;
pub(crate) const SI_QUEUE: i32 = 0x10002;

pub(crate) const HAS_SIGWAITINFO: bool = false;
pub(crate) const HAS_PIDFD: bool = false;

/// macOS has no coarse clock on CLOCK_MONOTONIC's time line: the precise one.
pub(crate) const COARSE_MONOTONIC: libc::clockid_t = libc::CLOCK_MONOTONIC;

/// SIGPIPE is turned off on the socket itself (SO_NOSIGPIPE) when it
/// becomes the wakeup fd.
pub(crate) const SEND_FLAGS: c_int = 0;

pub(crate) fn prepare_wakeup_socket(fd: i32) {
    let on: c_int = 1;
    // SAFETY: setsockopt reads one int from a live stack variable.
    unsafe {
        libc::setsockopt(
            fd,
            libc::SOL_SOCKET,
            libc::SO_NOSIGPIPE,
            (&on as *const c_int).cast(),
            std::mem::size_of::<c_int>() as libc::socklen_t,
        )
    };
}

/// No real-time signals on macOS.
pub(crate) fn sigrtmin() -> Option<i32> {
    None
}

pub(crate) fn sigrtmax() -> Option<i32> {
    None
}

#[inline]
pub(crate) fn errno_location() -> *mut c_int {
    // SAFETY: __error has no preconditions and is async-signal-safe.
    unsafe { libc::__error() }
}

pub(crate) fn sigwaitinfo(_set: &super::OsSet) -> Result<crate::types::rs_signal_siginfo, Errno> {
    Err(libc::ENOSYS)
}

pub(crate) fn sigtimedwait(
    _set: &super::OsSet,
    _ns: u64,
) -> Result<Option<crate::types::rs_signal_siginfo>, Errno> {
    Err(libc::ENOSYS)
}
