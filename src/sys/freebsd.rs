//! FreeBSD facts (x86_64).

use libc::c_int;

pub(crate) use super::bsd::{is_eventfd, is_initial_thread, is_tkill, pidfd_send_signal, SIGNALS};
use super::waitinfo::siginfo_fields;
pub(crate) use super::PipeNotifier as Notifier;
use super::{errno, Errno, OsSet};
use crate::types::rs_signal_siginfo;

pub(crate) const PLATFORM: &str = "FreeBSD";

/// FreeBSD's NSIG is 32, but signals go up to _SIG_MAXSIG (128), as CPython
/// counts them; rssignal's sets hold 1..127, which covers the real-time
/// range 65..126 (32 and 33 are the threads library's own).
pub(crate) const NSIG: i32 = 128;

/// si_code values of <sys/signal.h>: kill(2) and sigqueue(3) (libc has no binding).
pub(crate) const SI_USER: i32 = 0x10001;
pub(crate) const SI_QUEUE: i32 = 0x10002;

pub(crate) const HAS_SIGWAITINFO: bool = true;
pub(crate) const HAS_PIDFD: bool = false;

/// CLOCK_MONOTONIC at tick resolution, without reading the time counter.
pub(crate) const COARSE_MONOTONIC: libc::clockid_t = libc::CLOCK_MONOTONIC_FAST;

pub(crate) const SEND_FLAGS: c_int = libc::MSG_NOSIGNAL;

pub(crate) fn prepare_wakeup_socket(_fd: i32) {}

/// <sys/signal.h>: SIGRTMIN 65, SIGRTMAX 126.
pub(crate) fn sigrtmin() -> Option<i32> {
    Some(65)
}

pub(crate) fn sigrtmax() -> Option<i32> {
    Some(126)
}

#[inline]
pub(crate) fn errno_location() -> *mut c_int {
    // SAFETY: __error has no preconditions and is async-signal-safe.
    unsafe { libc::__error() }
}

/// FreeBSD's siginfo_t: the `_reason` union after si_value starts with
/// `long _band` for SIGPOLL.
#[repr(C)]
struct BandInfo {
    si_signo: c_int,
    si_errno: c_int,
    si_code: c_int,
    si_pid: libc::pid_t,
    si_uid: libc::uid_t,
    si_status: c_int,
    si_addr: *mut libc::c_void,
    si_value: libc::sigval,
    si_band: libc::c_long,
}

pub(crate) fn si_band(si: &libc::siginfo_t) -> i64 {
    const _: () = assert!(std::mem::size_of::<BandInfo>() <= std::mem::size_of::<libc::siginfo_t>());
    // SAFETY: BandInfo is a prefix of FreeBSD's siginfo_t.
    unsafe { (*(si as *const libc::siginfo_t).cast::<BandInfo>()).si_band as i64 }
}

pub(crate) fn sigwaitinfo(set: &OsSet) -> Result<rs_signal_siginfo, Errno> {
    // SAFETY: zeroed siginfo_t is valid.
    let mut si: libc::siginfo_t = unsafe { std::mem::zeroed() };
    // SAFETY: set and si are valid.
    if unsafe { libc::sigwaitinfo(&set.0, &mut si) } < 0 {
        return Err(errno());
    }
    Ok(siginfo_fields(&si))
}

/// sigtimedwait(2); Ok(None) on timeout (EAGAIN).
pub(crate) fn sigtimedwait(set: &OsSet, ns: u64) -> Result<Option<rs_signal_siginfo>, Errno> {
    let ts = libc::timespec { tv_sec: (ns / 1_000_000_000) as _, tv_nsec: (ns % 1_000_000_000) as _ };
    // SAFETY: zeroed siginfo_t is valid.
    let mut si: libc::siginfo_t = unsafe { std::mem::zeroed() };
    // SAFETY: set, si and ts are valid.
    if unsafe { libc::sigtimedwait(&set.0, &mut si, &ts) } < 0 {
        let e = errno();
        return if e == libc::EAGAIN { Ok(None) } else { Err(e) };
    }
    Ok(Some(siginfo_fields(&si)))
}
