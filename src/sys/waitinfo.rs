//! The fields of a siginfo_t filled by sigwaitinfo(2) / sigtimedwait(2), where the platform has them.

use super::os;

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
