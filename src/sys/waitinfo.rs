//! sigwaitinfo(2) and sigtimedwait(2), where the platform has them.

use super::{errno, os, Errno, OsSet};
use crate::types::rs_signal_siginfo;

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

/// The seven fields of Python's struct_siginfo.
pub(crate) fn siginfo_fields(si: &libc::siginfo_t) -> crate::types::rs_signal_siginfo {
    // SAFETY: si was filled by the kernel; the accessors read the union
    // members every siginfo_t has.
    unsafe {
        crate::types::rs_signal_siginfo {
            signo: si.si_signo,
            code: si.si_code,
            errnum: si.si_errno,
            pid: si.si_pid(),
            uid: si.si_uid() as u32,
            status: si.si_status(),
            band: os::si_band(si),
        }
    }
}
