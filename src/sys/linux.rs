//! Linux facts (glibc and musl; every architecture the kernel's generic
//! signal numbers apply to: x86_64, aarch64, i686).

use std::ffi::CStr;

use libc::c_int;

use super::Errno;

pub(crate) const PLATFORM: &str = "Linux";

/// One more than the largest signal number (the kernel's _NSIG).
pub(crate) const NSIG: i32 = 65;

/// si_code values: kill(2) and sigqueue(3).
pub(crate) const SI_USER: i32 = libc::SI_USER;
pub(crate) const SI_QUEUE: i32 = libc::SI_QUEUE;

pub(crate) const HAS_SIGWAITINFO: bool = true;
pub(crate) const HAS_PIDFD: bool = true;

/// CLOCK_MONOTONIC at the resolution of the kernel tick, read without the
/// time counter (a few ns where CLOCK_MONOTONIC costs tens in a VM).
pub(crate) const COARSE_MONOTONIC: libc::clockid_t = libc::CLOCK_MONOTONIC_COARSE;

/// send(2) flags for the wakeup byte: no SIGPIPE on a closed peer.
pub(crate) const SEND_FLAGS: c_int = libc::MSG_NOSIGNAL;

/// Nothing to prepare: MSG_NOSIGNAL does it per call.
pub(crate) fn prepare_wakeup_socket(_fd: i32) {}

/// Every SIG* name of CPython's list that Linux defines, aliases included,
/// in value order: the first name of a value is the canonical one.
pub(crate) const SIGNALS: &[(&CStr, i32)] = signal_table! {
    SIGHUP, SIGINT, SIGQUIT, SIGILL,
    SIGTRAP, SIGABRT, SIGIOT, SIGBUS,
    SIGFPE, SIGKILL, SIGUSR1, SIGSEGV,
    SIGUSR2, SIGPIPE, SIGALRM, SIGTERM,
    SIGSTKFLT, SIGCHLD,
    // musl's <signal.h> has no SIGCLD.
    #[cfg(target_env = "gnu")]
    SIGCLD = SIGCHLD,
    SIGCONT, SIGSTOP, SIGTSTP, SIGTTIN,
    SIGTTOU, SIGURG, SIGXCPU, SIGXFSZ,
    SIGVTALRM, SIGPROF, SIGWINCH, SIGIO,
    SIGPOLL, SIGPWR, SIGSYS,
};

/// The C library's SIGRTMIN at run time (34 on glibc, 35 on musl).
pub(crate) fn sigrtmin() -> Option<i32> {
    Some(libc::SIGRTMIN())
}

pub(crate) fn sigrtmax() -> Option<i32> {
    Some(libc::SIGRTMAX())
}

#[inline]
pub(crate) fn errno_location() -> *mut c_int {
    // SAFETY: __errno_location has no preconditions and is async-signal-safe.
    unsafe { libc::__errno_location() }
}

/// The initial thread is the one whose kernel thread id is the pid.
pub(crate) fn is_initial_thread() -> bool {
    // SAFETY: gettid and getpid have no preconditions.
    unsafe { libc::syscall(libc::SYS_gettid) as i32 == libc::getpid() }
}

/// SI_TKILL: tgkill/tkill (raise, pthread_kill) carry the sender too.
pub(crate) fn is_tkill(code: i32) -> bool {
    code == libc::SI_TKILL
}

/// Linux's siginfo_t as <bits/types/siginfo_t.h> lays it out for SIGPOLL:
/// three ints, then the union (aligned for a long) whose `_sigpoll` member
/// starts with `long si_band`. libc exposes no accessor for it.
#[repr(C)]
struct SigpollInfo {
    si_signo: c_int,
    si_errno: c_int,
    si_code: c_int,
    si_band: libc::c_long,
}

pub(crate) fn si_band(si: &libc::siginfo_t) -> i64 {
    const _: () = assert!(std::mem::size_of::<SigpollInfo>() <= std::mem::size_of::<libc::siginfo_t>());
    // SAFETY: SigpollInfo is a prefix of Linux's siginfo_t layout; the kernel
    // always writes the union's first word.
    unsafe { (*(si as *const libc::siginfo_t).cast::<SigpollInfo>()).si_band as i64 }
}

/// Is `fd` an eventfd? Linux names it "anon_inode:[eventfd]" in /proc.
pub(crate) fn is_eventfd(fd: i32) -> bool {
    std::fs::read_link(format!("/proc/self/fd/{fd}"))
        .map(|target| target.as_os_str() == "anon_inode:[eventfd]")
        .unwrap_or(false)
}

pub(crate) fn pidfd_send_signal(pidfd: i32, signum: i32, flags: u32) -> Result<(), Errno> {
    // SAFETY: the syscall takes plain integers and a NULL siginfo.
    let rc = unsafe {
        libc::syscall(libc::SYS_pidfd_send_signal, pidfd, signum, std::ptr::null::<libc::siginfo_t>(), flags)
    };
    if rc < 0 {
        return Err(super::errno());
    }
    Ok(())
}

/// rt_sigtimedwait(2) itself: the C library's wrappers may retry EINTR
/// themselves (musl does, with the whole timeout), which would keep the
/// library from dispatching and from keeping the deadline (PEP 475).
fn rt_sigtimedwait(set: &super::OsSet, ts: Option<&libc::timespec>) -> Result<libc::siginfo_t, Errno> {
    // SAFETY: zeroed siginfo_t is valid.
    let mut si: libc::siginfo_t = unsafe { std::mem::zeroed() };
    let tsp = ts.map_or(std::ptr::null(), |t| t as *const libc::timespec);
    // SAFETY: set, si and ts are valid for the call; the kernel reads
    // _NSIG/8 bytes of the set, which every C library's sigset_t holds.
    let rc = unsafe {
        libc::syscall(
            libc::SYS_rt_sigtimedwait,
            &set.0 as *const libc::sigset_t,
            &mut si,
            tsp,
            (NSIG / 8) as usize,
        )
    };
    if rc < 0 {
        return Err(super::errno());
    }
    Ok(si)
}

pub(crate) fn sigwaitinfo(set: &super::OsSet) -> Result<crate::types::rs_signal_siginfo, Errno> {
    rt_sigtimedwait(set, None).map(|si| super::waitinfo::siginfo_fields(&si))
}

/// sigtimedwait(2); Ok(None) on timeout (EAGAIN).
pub(crate) fn sigtimedwait(
    set: &super::OsSet,
    ns: u64,
) -> Result<Option<crate::types::rs_signal_siginfo>, Errno> {
    let ts = libc::timespec { tv_sec: (ns / 1_000_000_000) as _, tv_nsec: (ns % 1_000_000_000) as _ };
    match rt_sigtimedwait(set, Some(&ts)) {
        Ok(si) => Ok(Some(super::waitinfo::siginfo_fields(&si))),
        Err(e) if e == libc::EAGAIN => Ok(None),
        Err(e) => Err(e),
    }
}

/// A channel's readiness fd: an eventfd (one fd for both ends).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Notifier {
    pub read_fd: i32,
    pub write_fd: i32,
}

impl Notifier {
    pub(crate) fn open() -> Result<Notifier, Errno> {
        // SAFETY: eventfd takes plain integers.
        let fd = unsafe { libc::eventfd(0, libc::EFD_NONBLOCK | libc::EFD_CLOEXEC) };
        if fd < 0 {
            return Err(super::errno());
        }
        Ok(Notifier { read_fd: fd, write_fd: fd })
    }

    /// Make the fd readable. Async-signal-safe.
    #[inline]
    pub(crate) fn notify(write_fd: i32) {
        super::write_u64(write_fd, 1);
    }

    /// Make the fd unreadable again.
    pub(crate) fn drain(&self) {
        super::drain_fd(self.read_fd);
    }

    pub(crate) fn close(self) {
        super::close(self.read_fd);
    }
}
