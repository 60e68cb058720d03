//! Windows (x86_64, MinGW): the C runtime's `signal()` underneath, as
//! CPython uses there. The CRT resets a handler to SIG_DFL when it delivers
//! a signal, so the entry point installs itself again first. Console
//! Ctrl+C / Ctrl+Break arrive as SIGINT / SIGBREAK on a console thread the
//! CRT starts; the wakeup fd (a CRT fd, or a socket written with send())
//! wakes the main thread.
//!
//! What Windows lacks (sigaction, masks, waits, timers, alarm, pause,
//! pthread_kill, pidfds, real-time signals) reports `HAS_* = false`, and the
//! functions below for it return ENOSYS.

use std::ffi::{CStr, CString};
use std::sync::atomic::{AtomicU32, Ordering};

use libc::c_int;

use super::{Action, Arrival, Errno, Sink, WakeupKind};

pub(crate) const PLATFORM: &str = "Windows";

/// The CRT's NSIG.
pub(crate) const NSIG: i32 = 23;

pub(crate) const SIGINT: i32 = 2;
const SIGILL: i32 = 4;
const SIGFPE: i32 = 8;
const SIGSEGV: i32 = 11;
const SIGTERM: i32 = 15;
const SIGBREAK: i32 = 21;
const SIGABRT: i32 = 22;

/// The seven signals the CRT's signal() takes, in value order.
pub(crate) const SIGNALS: &[(&CStr, i32)] = &[
    (c"SIGINT", SIGINT),
    (c"SIGILL", SIGILL),
    (c"SIGFPE", SIGFPE),
    (c"SIGSEGV", SIGSEGV),
    (c"SIGTERM", SIGTERM),
    (c"SIGBREAK", SIGBREAK),
    (c"SIGABRT", SIGABRT),
];

pub(crate) const OTHER_CONSTANTS: &[(&CStr, i32)] =
    &[(c"NSIG", NSIG), (c"SIG_DFL", 0), (c"SIG_IGN", 1), (c"CTRL_C_EVENT", 0), (c"CTRL_BREAK_EVENT", 1)];

pub(crate) const STARTUP_IGNORED: &[i32] = &[];

/// Only the seven signals above (CPython: "invalid signal value", checked
/// before the range).
pub(crate) const RESTRICTED_SIGNALS: bool = true;

pub(crate) fn signal_accepted(signum: i32) -> bool {
    SIGNALS.iter().any(|&(_, v)| v == signum)
}

pub(crate) const HAS_SIGACTION: bool = false;
pub(crate) const HAS_MASKS: bool = false;
pub(crate) const HAS_ITIMERS: bool = false;
pub(crate) const HAS_SIGWAITINFO: bool = false;
pub(crate) const HAS_PIDFD: bool = false;
pub(crate) const HAS_CHANNELS: bool = false;

pub(crate) const SI_USER: i32 = 0;

pub(crate) const EAGAIN: Errno = libc::EAGAIN;
pub(crate) const EPIPE: Errno = libc::EPIPE;
/// No SIGPIPE on Windows.
pub(crate) const SIGPIPE: Option<i32> = None;
pub(crate) const EINTR: Errno = libc::EINTR;
pub(crate) const EINVAL: Errno = libc::EINVAL;
pub(crate) const ENOSPC: Errno = libc::ENOSPC;
pub(crate) const ENOSYS: Errno = libc::ENOSYS;
const EBADF: Errno = libc::EBADF;

pub(crate) fn sigrtmin() -> Option<i32> {
    None
}

pub(crate) fn sigrtmax() -> Option<i32> {
    None
}

/* ---- the few Win32 and CRT entry points libc does not bind ----------------- */

type Socket = usize;
const SOL_SOCKET: c_int = 0xffff;
const SO_TYPE: c_int = 0x1008;
const WSAEWOULDBLOCK: c_int = 10035;
const WSAENOTSOCK: c_int = 10038;

#[link(name = "kernel32")]
extern "system" {
    fn QueryPerformanceCounter(count: *mut i64) -> i32;
    fn QueryPerformanceFrequency(freq: *mut i64) -> i32;
    fn GetCurrentThreadId() -> u32;
    fn GetCurrentProcessId() -> u32;
}

#[link(name = "ws2_32")]
extern "system" {
    fn send(s: Socket, buf: *const libc::c_char, len: c_int, flags: c_int) -> c_int;
    fn getsockopt(s: Socket, level: c_int, name: c_int, val: *mut libc::c_char, len: *mut c_int) -> c_int;
    fn WSAGetLastError() -> c_int;
}

extern "C" {
    /// cbindgen:ignore
    fn _errno() -> *mut c_int;
}

/* ---- errno, clock, ids ------------------------------------------------------ */

#[inline]
pub(crate) fn errno() -> Errno {
    // SAFETY: _errno() points at this thread's CRT errno.
    unsafe { *_errno() }
}

#[inline]
pub(crate) fn set_errno(value: Errno) {
    // SAFETY: as in errno().
    unsafe { *_errno() = value }
}

/// The performance counter in nanoseconds (monotonic).
pub(crate) fn monotonic_ns() -> i64 {
    let (mut count, mut freq) = (0i64, 0i64);
    // SAFETY: both out-pointers are live stack variables.
    unsafe {
        QueryPerformanceCounter(&mut count);
        QueryPerformanceFrequency(&mut freq);
    }
    if freq <= 0 {
        return 0;
    }
    ((count as i128 * 1_000_000_000) / freq as i128) as i64
}

/// Windows has no cheaper counter on the same time line: the same one.
pub(crate) fn coarse_monotonic_ns() -> i64 {
    monotonic_ns()
}

pub(crate) fn getpid() -> i32 {
    // SAFETY: no preconditions.
    unsafe { GetCurrentProcessId() as i32 }
}

pub(crate) fn getuid() -> u32 {
    0
}

#[inline]
pub(crate) fn thread_self() -> u64 {
    // SAFETY: no preconditions.
    u64::from(unsafe { GetCurrentThreadId() })
}

/// The thread that loaded the library (CPython: the thread that imported
/// `signal`), recorded by a CRT initializer.
static INITIAL_THREAD: AtomicU32 = AtomicU32::new(0);

extern "C" fn record_initial_thread() {
    // SAFETY: no preconditions.
    INITIAL_THREAD.store(unsafe { GetCurrentThreadId() }, Ordering::Release);
}

#[used]
#[link_section = ".CRT$XCU"]
static RECORD_INITIAL_THREAD: extern "C" fn() = record_initial_thread;

pub(crate) fn is_initial_thread() -> bool {
    let t = INITIAL_THREAD.load(Ordering::Acquire);
    // SAFETY: no preconditions.
    t != 0 && t == unsafe { GetCurrentThreadId() }
}

/// No fork on Windows.
pub(crate) fn atfork(_prepare: extern "C" fn(), _parent: extern "C" fn(), _child: extern "C" fn()) {}

pub(crate) fn strerror(errno: Errno) -> String {
    // SAFETY: the CRT returns a NUL-terminated string for any value.
    let p = unsafe { libc::strerror(errno) };
    if p.is_null() {
        return format!("Unknown error {errno}");
    }
    // SAFETY: p is NUL-terminated.
    unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned()
}

/// CPython's table where the C library has no strsignal.
pub(crate) fn strsignal(signum: i32) -> Option<CString> {
    let text: &CStr = match signum {
        SIGINT => c"Interrupt",
        SIGILL => c"Illegal instruction",
        SIGABRT => c"Aborted",
        SIGFPE => c"Floating-point exception",
        SIGSEGV => c"Segmentation fault",
        SIGTERM => c"Terminated",
        _ => return None,
    };
    Some(text.to_owned())
}

pub(crate) fn write_stderr(bytes: &[u8]) {
    // SAFETY: writes a live buffer of the given length to the CRT's fd 2.
    unsafe { libc::write(2, bytes.as_ptr().cast(), bytes.len() as libc::c_uint) };
}

/* ---- dispositions -------------------------------------------------------------- */

/// A disposition as the CRT knows it: a handler address (SIG_DFL 0, SIG_IGN 1).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Disposition(usize);

/// The entry point for `S`: re-installs itself (the CRT reset it to SIG_DFL)
/// and hands the arrival on.
extern "C" fn entry<S: Sink>(signum: c_int) {
    let saved = errno();
    // SAFETY: re-installing the same handler for the signal being delivered.
    unsafe { libc::signal(signum, Disposition::entry_address::<S>()) };
    S::arrive(signum, &Arrival::default());
    set_errno(saved);
}

impl Disposition {
    pub(crate) fn default_action() -> Disposition {
        Disposition(libc::SIG_DFL)
    }

    pub(crate) fn ignore() -> Disposition {
        Disposition(libc::SIG_IGN)
    }

    pub(crate) fn handler<S: Sink>(_restart: bool) -> Disposition {
        Disposition(Disposition::entry_address::<S>())
    }

    pub(crate) fn entry_address<S: Sink>() -> usize {
        entry::<S> as extern "C" fn(c_int) as usize
    }

    /// What the CRT has for `signum`: signal() twice, as CPython does
    /// without sigaction.
    pub(crate) fn query(signum: i32) -> Result<Disposition, Errno> {
        let old = Disposition::default_action().install(signum)?;
        old.install(signum)?;
        Ok(old)
    }

    pub(crate) fn install(&self, signum: i32) -> Result<Disposition, Errno> {
        // The CRT's invalid-parameter handler would end the process.
        if !signal_accepted(signum) {
            return Err(EINVAL);
        }
        // SAFETY: self.0 is SIG_DFL, SIG_IGN or a handler of this library
        // (or one the CRT returned earlier).
        let old = unsafe { libc::signal(signum, self.0) };
        if old == usize::MAX {
            return Err(if errno() != 0 { errno() } else { EINVAL });
        }
        Ok(Disposition(old))
    }

    pub(crate) fn action(&self) -> Action {
        match self.0 {
            libc::SIG_DFL => Action::Default,
            libc::SIG_IGN => Action::Ignore,
            h => Action::Handler(h),
        }
    }

    pub(crate) fn with_restart(self, _restart: bool) -> Disposition {
        self
    }

    pub(crate) fn same_as(&self, other: &Disposition) -> bool {
        self.0 == other.0
    }
}

pub(crate) fn is_entry<S: Sink>(action: Action) -> bool {
    action == Action::Handler(Disposition::entry_address::<S>())
}

/* ---- signal sets: only the seven ------------------------------------------------ */

#[derive(Clone, Copy, Debug)]
pub(crate) struct OsSet(u64);

impl OsSet {
    pub(crate) fn empty() -> OsSet {
        OsSet(0)
    }

    pub(crate) fn full() -> Result<OsSet, Errno> {
        Ok(OsSet(SIGNALS.iter().fold(0, |m, &(_, v)| m | 1 << v)))
    }

    pub(crate) fn add(&mut self, signum: i32) -> Result<(), Errno> {
        if !signal_accepted(signum) {
            return Err(EINVAL);
        }
        self.0 |= 1 << signum;
        Ok(())
    }

    pub(crate) fn contains(&self, signum: i32) -> bool {
        (0..64).contains(&signum) && self.0 & (1 << signum) != 0
    }
}

/* ---- sending; what Windows lacks ---------------------------------------------------- */

pub(crate) fn raise(signum: i32) -> Result<(), Errno> {
    // The CRT's invalid-parameter handler would end the process.
    if !signal_accepted(signum) {
        return Err(EINVAL);
    }
    set_errno(0);
    // SAFETY: raise has no memory preconditions.
    if unsafe { libc::raise(signum) } != 0 {
        return Err(if errno() != 0 { errno() } else { EINVAL });
    }
    Ok(())
}

pub(crate) fn alarm(_seconds: u32) -> u32 {
    0
}

pub(crate) fn pause() {}

pub(crate) fn pthread_kill(_thread: u64, _signum: i32) -> Result<(), Errno> {
    Err(ENOSYS)
}

pub(crate) fn pidfd_send_signal(_pidfd: i32, _signum: i32, _flags: u32) -> Result<(), Errno> {
    Err(ENOSYS)
}

pub(crate) fn pthread_sigmask(_how: i32, _set: &OsSet) -> Result<OsSet, Errno> {
    Err(ENOSYS)
}

pub(crate) fn sigpending() -> Result<OsSet, Errno> {
    Err(ENOSYS)
}

pub(crate) fn sigwait(_set: &OsSet) -> Result<i32, Errno> {
    Err(ENOSYS)
}

pub(crate) fn sigwaitinfo(_set: &OsSet) -> Result<crate::types::rs_signal_siginfo, Errno> {
    Err(ENOSYS)
}

pub(crate) fn sigtimedwait(_set: &OsSet, _ns: u64) -> Result<Option<crate::types::rs_signal_siginfo>, Errno> {
    Err(ENOSYS)
}

pub(crate) fn setitimer(_which: i32, _value_us: i64, _interval_us: i64) -> Result<(f64, f64), Errno> {
    Err(ENOSYS)
}

pub(crate) fn getitimer(_which: i32) -> Result<(f64, f64), Errno> {
    Err(ENOSYS)
}

/* ---- the wakeup fd ---------------------------------------------------------------- */

/// A socket (written with send()) or a CRT fd (written with _write()).
/// Whether a socket is non-blocking cannot be asked on Windows: as in
/// CPython that is the caller's duty, reported as non-blocking here.
pub(crate) fn wakeup_fd_kind(fd: i32) -> Result<(WakeupKind, bool), Errno> {
    let mut ty: c_int = 0;
    let mut len = std::mem::size_of::<c_int>() as c_int;
    // SAFETY: getsockopt writes at most `len` bytes into `ty`.
    let rc =
        unsafe { getsockopt(fd as Socket, SOL_SOCKET, SO_TYPE, (&mut ty as *mut c_int).cast(), &mut len) };
    if rc == 0 {
        return Ok((WakeupKind::Send, true));
    }
    // SAFETY: no preconditions.
    let wsa = unsafe { WSAGetLastError() };
    if wsa != WSAENOTSOCK && wsa != 10093 {
        return Err(EBADF);
    }
    // SAFETY: zeroed stat is a valid out-parameter.
    let mut st: libc::stat = unsafe { std::mem::zeroed() };
    // SAFETY: fstat only writes st.
    if unsafe { libc::fstat(fd, &mut st) } != 0 {
        return Err(EBADF);
    }
    Ok((WakeupKind::Write, true))
}

pub(crate) fn wakeup_write(fd: i32, kind: WakeupKind, signum: i32) -> Result<(), Errno> {
    let byte = signum as u8;
    // SAFETY: both calls read one byte from a live stack variable.
    match kind {
        WakeupKind::Send => {
            if unsafe { send(fd as Socket, (&byte as *const u8).cast(), 1, 0) } < 0 {
                // SAFETY: no preconditions.
                let wsa = unsafe { WSAGetLastError() };
                return Err(if wsa == WSAEWOULDBLOCK { EAGAIN } else { wsa });
            }
        }
        _ => {
            if unsafe { libc::write(fd, (&byte as *const u8).cast(), 1) } < 0 {
                return Err(errno());
            }
        }
    }
    Ok(())
}

pub(crate) fn is_would_block(err: Errno) -> bool {
    err == EAGAIN
}

/// No channels on Windows (HAS_CHANNELS is false): the type exists so the
/// layers above compile the same everywhere.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Notifier {
    pub(crate) read_fd: i32,
    pub(crate) write_fd: i32,
}

impl Notifier {
    pub(crate) fn open() -> Result<Notifier, Errno> {
        Err(ENOSYS)
    }
    pub(crate) fn notify(_write_fd: i32) {}
    pub(crate) fn drain(&self) {}
    pub(crate) fn close(self) {}
}
