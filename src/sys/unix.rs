//! POSIX systems: Linux (glibc, musl), macOS, FreeBSD. What is the same on
//! all of them is here; what differs is in the OS's own file (`os::`).

use std::ffi::{CStr, CString};

use libc::c_int;

use super::{Action, Arrival, Errno, Sink, WakeupKind};

#[cfg(any(target_os = "linux", target_os = "android"))]
#[path = "linux.rs"]
mod os;

#[cfg(target_vendor = "apple")]
#[path = "apple.rs"]
mod os;

#[cfg(target_os = "freebsd")]
#[path = "freebsd.rs"]
mod os;

#[cfg(any(target_vendor = "apple", target_os = "freebsd"))]
#[path = "bsd.rs"]
mod bsd;

#[cfg(not(target_vendor = "apple"))]
#[path = "waitinfo.rs"]
mod waitinfo;

pub(crate) use os::{
    is_eventfd, sigrtmax, sigrtmin, Notifier, HAS_PIDFD, HAS_SIGWAITINFO, NSIG, PLATFORM, SIGNALS,
};

/* ---- facts ------------------------------------------------------------- */

pub(crate) const SIGINT: i32 = libc::SIGINT;

/// Signals Python ignores at start-up (`install_default_handlers`).
pub(crate) const STARTUP_IGNORED: &[i32] = &[libc::SIGPIPE, libc::SIGXFSZ];

/// Every number in range may be named (the OS decides what it refuses).
pub(crate) const RESTRICTED_SIGNALS: bool = false;

/// Signals `rs_signal_signal` accepts: every number in range (the OS decides).
pub(crate) fn signal_accepted(signum: i32) -> bool {
    (1..NSIG).contains(&signum)
}

/// The module's non-signal constants with this platform's values, in the
/// order bindings see them.
pub(crate) const OTHER_CONSTANTS: &[(&CStr, i32)] = &[
    (c"NSIG", NSIG),
    (c"SIG_DFL", 0),
    (c"SIG_IGN", 1),
    (c"SIG_BLOCK", libc::SIG_BLOCK),
    (c"SIG_UNBLOCK", libc::SIG_UNBLOCK),
    (c"SIG_SETMASK", libc::SIG_SETMASK),
    (c"ITIMER_REAL", libc::ITIMER_REAL as i32),
    (c"ITIMER_VIRTUAL", libc::ITIMER_VIRTUAL as i32),
    (c"ITIMER_PROF", libc::ITIMER_PROF as i32),
];

/// Whole families of functions this platform has.
pub(crate) const HAS_SIGACTION: bool = true;
pub(crate) const HAS_MASKS: bool = true;
pub(crate) const HAS_ITIMERS: bool = true;
pub(crate) const HAS_CHANNELS: bool = true;

/* ---- errno, clock, ids --------------------------------------------------- */

/// The calling thread's errno. Async-signal-safe.
#[inline]
pub(crate) fn errno() -> Errno {
    // SAFETY: errno_location() points at this thread's errno slot.
    unsafe { *os::errno_location() }
}

/// Set the calling thread's errno. Async-signal-safe.
#[inline]
pub(crate) fn set_errno(value: Errno) {
    // SAFETY: as in errno().
    unsafe { *os::errno_location() = value }
}

/// CLOCK_MONOTONIC in nanoseconds. Async-signal-safe.
#[inline]
pub(crate) fn monotonic_ns() -> i64 {
    clock_ns(libc::CLOCK_MONOTONIC)
}

/// CLOCK_MONOTONIC's time line at the kernel tick's resolution (never
/// ahead of [`monotonic_ns`]; behind it by up to one tick): for times that
/// are information only, on paths where a precise read would cost more
/// than the work it stamps.
#[inline]
pub(crate) fn coarse_monotonic_ns() -> i64 {
    clock_ns(os::COARSE_MONOTONIC)
}

#[inline(always)]
fn clock_ns(clock: libc::clockid_t) -> i64 {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: ts is a valid out-pointer; clock_gettime is async-signal-safe.
    unsafe { libc::clock_gettime(clock, &mut ts) };
    ts.tv_sec as i64 * 1_000_000_000 + ts.tv_nsec as i64
}

/// getpid(2). Async-signal-safe.
pub(crate) fn getpid() -> i32 {
    // SAFETY: no preconditions.
    unsafe { libc::getpid() }
}

/// getuid(2). Async-signal-safe.
pub(crate) fn getuid() -> u32 {
    // SAFETY: no preconditions.
    unsafe { libc::getuid() as u32 }
}

/// The calling thread's `pthread_t`, as a number (Python's threading.get_ident()).
#[inline]
pub(crate) fn thread_self() -> u64 {
    // SAFETY: no preconditions.
    unsafe { libc::pthread_self() as usize as u64 }
}

/// Is the calling thread the process's initial thread?
pub(crate) fn is_initial_thread() -> bool {
    os::is_initial_thread()
}

/// Register fork hooks (pthread_atfork).
pub(crate) fn atfork(prepare: extern "C" fn(), parent: extern "C" fn(), child: extern "C" fn()) {
    // SAFETY: the three hooks are plain extern "C" functions of this library;
    // the C library ties them to this DSO, so dlclose unregisters them.
    unsafe { libc::pthread_atfork(Some(prepare), Some(parent), Some(child)) };
}

/// The C library's description of an errno value.
pub(crate) fn strerror(errno: Errno) -> String {
    let mut buf = [0 as libc::c_char; 256];
    // SAFETY: buf is writable for its whole length; the XSI strerror_r that
    // libc binds writes a NUL-terminated string into it.
    let rc = unsafe { libc::strerror_r(errno, buf.as_mut_ptr(), buf.len()) };
    if rc != 0 {
        return format!("Unknown error {errno}");
    }
    // SAFETY: strerror_r NUL-terminated buf.
    unsafe { CStr::from_ptr(buf.as_ptr()) }.to_string_lossy().into_owned()
}

/// The C library's description of a signal; None when it has none.
pub(crate) fn strsignal(signum: i32) -> Option<CString> {
    set_errno(0);
    // SAFETY: strsignal returns NULL or a NUL-terminated string that we copy
    // at once; the caller serialises calls (the table is built once).
    let p = unsafe { libc::strsignal(signum) };
    if p.is_null() || errno() != 0 {
        return None;
    }
    // SAFETY: p is a NUL-terminated string.
    let s = unsafe { CStr::from_ptr(p) };
    let text = s.to_bytes();
    let unknown = |w: &[u8]| text.windows(w.len()).any(|x| x == w);
    if unknown(b"Unknown signal") || text.is_empty() {
        return None;
    }
    Some(s.to_owned())
}

/// Write all of `bytes` to stderr, ignoring errors (nowhere left to report them).
pub(crate) fn write_stderr(bytes: &[u8]) {
    // SAFETY: writes a live buffer of the given length.
    unsafe { libc::write(2, bytes.as_ptr().cast(), bytes.len()) };
}

/* ---- dispositions -------------------------------------------------------- */

/// A complete OS disposition: handler, flags and mask (`struct sigaction`).
#[derive(Clone, Copy)]
pub(crate) struct Disposition(libc::sigaction);

impl std::fmt::Debug for Disposition {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Disposition({:?}, flags {:#x})", self.action(), self.0.sa_flags)
    }
}

/// The real handler's entry: saves errno, reads the siginfo, calls the sink.
extern "C" fn entry<S: Sink>(signum: c_int, info: *mut libc::siginfo_t, _ctx: *mut libc::c_void) {
    let saved = errno();
    // SAFETY: the kernel passes a valid siginfo_t for an SA_SIGINFO handler
    // (NULL is tolerated for callers that invoke the handler by hand).
    let arrival = unsafe { info.as_ref() }.map(arrival_of).unwrap_or_default();
    S::arrive(signum, &arrival);
    set_errno(saved);
}

/// The fields of one arrival. The union members are read only where the
/// code says the kernel wrote them.
fn arrival_of(si: &libc::siginfo_t) -> Arrival {
    let code = si.si_code;
    let mut a = Arrival { code, ..Arrival::default() };
    let from_process = code == os::SI_USER || code == os::SI_QUEUE || os::is_tkill(code);
    let chld = si.si_signo == libc::SIGCHLD && code > 0;
    if from_process || chld {
        // SAFETY: for these codes the sender fields are the ones written.
        unsafe {
            a.pid = si.si_pid();
            a.uid = si.si_uid() as u32;
        }
    }
    if chld {
        // SAFETY: SIGCHLD with a CLD_* code carries si_status.
        a.status = unsafe { si.si_status() };
    }
    if code == os::SI_QUEUE {
        // SAFETY: SI_QUEUE carries si_value.
        a.value = unsafe { si.si_value().sival_ptr } as usize as i64;
    }
    a
}

const EMPTY_ACTION: libc::sigaction = {
    // SAFETY: an all-zero sigaction is a valid value (SIG_DFL, no flags,
    // an empty mask on every platform we build for).
    unsafe { std::mem::zeroed() }
};

impl Disposition {
    fn with(handler: libc::sighandler_t, flags: c_int) -> Disposition {
        let mut sa = EMPTY_ACTION;
        sa.sa_sigaction = handler;
        sa.sa_flags = flags;
        // SAFETY: sa_mask is a valid sigset_t.
        unsafe { libc::sigemptyset(&mut sa.sa_mask) };
        Disposition(sa)
    }

    /// SIG_DFL with CPython's flags (SA_ONSTACK, empty mask).
    pub(crate) fn default_action() -> Disposition {
        Disposition::with(libc::SIG_DFL, libc::SA_ONSTACK)
    }

    /// SIG_IGN with CPython's flags.
    pub(crate) fn ignore() -> Disposition {
        Disposition::with(libc::SIG_IGN, libc::SA_ONSTACK)
    }

    /// The real handler feeding `S`: SA_SIGINFO | SA_ONSTACK, empty mask,
    /// SA_RESTART only when `restart`.
    pub(crate) fn handler<S: Sink>(restart: bool) -> Disposition {
        let flags = libc::SA_SIGINFO | libc::SA_ONSTACK | if restart { libc::SA_RESTART } else { 0 };
        Disposition::with(Disposition::entry_address::<S>(), flags)
    }

    /// The address the handler of `S` has in a disposition.
    pub(crate) fn entry_address<S: Sink>() -> usize {
        entry::<S> as extern "C" fn(c_int, *mut libc::siginfo_t, *mut libc::c_void) as usize
    }

    /// The disposition the OS has for `signum`.
    pub(crate) fn query(signum: i32) -> Result<Disposition, Errno> {
        let mut old = EMPTY_ACTION;
        // SAFETY: query only (act is NULL); old is a valid out-pointer.
        if unsafe { libc::sigaction(signum, std::ptr::null(), &mut old) } != 0 {
            return Err(errno());
        }
        Ok(Disposition(old))
    }

    /// Make this the OS disposition of `signum`; returns the previous one.
    pub(crate) fn install(&self, signum: i32) -> Result<Disposition, Errno> {
        let mut old = EMPTY_ACTION;
        // SAFETY: self.0 is a complete sigaction; old is a valid out-pointer.
        if unsafe { libc::sigaction(signum, &self.0, &mut old) } != 0 {
            return Err(errno());
        }
        Ok(Disposition(old))
    }

    pub(crate) fn action(&self) -> Action {
        match self.0.sa_sigaction {
            libc::SIG_DFL => Action::Default,
            libc::SIG_IGN => Action::Ignore,
            h => Action::Handler(h),
        }
    }

    /// The same disposition with SA_RESTART set or cleared.
    pub(crate) fn with_restart(mut self, restart: bool) -> Disposition {
        if restart {
            self.0.sa_flags |= libc::SA_RESTART;
        } else {
            self.0.sa_flags &= !libc::SA_RESTART;
        }
        self
    }

    /// Handler, flags and every signal of the mask equal.
    pub(crate) fn same_as(&self, other: &Disposition) -> bool {
        self.0.sa_sigaction == other.0.sa_sigaction
            && self.0.sa_flags == other.0.sa_flags
            && (1..NSIG).all(|s| {
                // SAFETY: both masks are valid sigset_t values.
                unsafe { libc::sigismember(&self.0.sa_mask, s) == libc::sigismember(&other.0.sa_mask, s) }
            })
    }
}

/* ---- signal sets ------------------------------------------------------- */

/// An OS signal set (`sigset_t`).
#[derive(Clone, Copy)]
pub(crate) struct OsSet(libc::sigset_t);

impl std::fmt::Debug for OsSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_set().entries((1..NSIG).filter(|&s| self.contains(s))).finish()
    }
}

impl OsSet {
    pub(crate) fn empty() -> OsSet {
        // SAFETY: an all-zero sigset_t is a valid value; sigemptyset fills it.
        let mut set: libc::sigset_t = unsafe { std::mem::zeroed() };
        // SAFETY: set is a valid, writable sigset_t.
        unsafe { libc::sigemptyset(&mut set) };
        OsSet(set)
    }

    /// Every signal the OS accepts in a set.
    pub(crate) fn full() -> Result<OsSet, Errno> {
        let mut set = OsSet::empty();
        // SAFETY: set.0 is a valid sigset_t.
        if unsafe { libc::sigfillset(&mut set.0) } != 0 {
            return Err(errno());
        }
        Ok(set)
    }

    /// Add `signum`; EINVAL for numbers the OS refuses (glibc's 32 and 33).
    pub(crate) fn add(&mut self, signum: i32) -> Result<(), Errno> {
        // SAFETY: self.0 is a valid sigset_t.
        if unsafe { libc::sigaddset(&mut self.0, signum) } != 0 {
            return Err(errno());
        }
        Ok(())
    }

    pub(crate) fn contains(&self, signum: i32) -> bool {
        // SAFETY: self.0 is a valid sigset_t.
        unsafe { libc::sigismember(&self.0, signum) == 1 }
    }
}

/* ---- sending, waiting, masks ---------------------------------------------- */

pub(crate) fn raise(signum: i32) -> Result<(), Errno> {
    // SAFETY: raise has no memory preconditions.
    if unsafe { libc::raise(signum) } != 0 {
        return Err(errno());
    }
    Ok(())
}

pub(crate) fn alarm(seconds: u32) -> u32 {
    // SAFETY: alarm has no preconditions.
    unsafe { libc::alarm(seconds) }
}

pub(crate) fn pause() {
    // SAFETY: pause has no preconditions.
    unsafe { libc::pause() };
}

/// pthread_kill(3); `thread` is a value of [`thread_self`] for a live thread.
pub(crate) fn pthread_kill(thread: u64, signum: i32) -> Result<(), Errno> {
    if thread == 0 {
        // The C library dereferences the id: 0 would crash instead of failing.
        return Err(libc::ESRCH);
    }
    // SAFETY: the caller passes a pthread_t of a live thread, as the
    // contract requires; pthread_kill reports bad signals itself.
    let err = unsafe { libc::pthread_kill(thread as usize as libc::pthread_t, signum) };
    if err != 0 {
        return Err(err);
    }
    Ok(())
}

pub(crate) use os::pidfd_send_signal;

pub(crate) fn pthread_sigmask(how: i32, set: &OsSet) -> Result<OsSet, Errno> {
    let mut prev = OsSet::empty();
    // SAFETY: set and prev are valid sigset_t values.
    let err = unsafe { libc::pthread_sigmask(how, &set.0, &mut prev.0) };
    if err != 0 {
        return Err(err);
    }
    Ok(prev)
}

pub(crate) fn sigpending() -> Result<OsSet, Errno> {
    let mut set = OsSet::empty();
    // SAFETY: set is a valid out-parameter.
    if unsafe { libc::sigpending(&mut set.0) } != 0 {
        return Err(errno());
    }
    Ok(set)
}

pub(crate) fn sigwait(set: &OsSet) -> Result<i32, Errno> {
    let mut sig = 0;
    // SAFETY: set is valid, sig a valid out-pointer.
    let err = unsafe { libc::sigwait(&set.0, &mut sig) };
    if err != 0 {
        return Err(err);
    }
    Ok(sig)
}

pub(crate) use os::{sigtimedwait, sigwaitinfo};

/* ---- interval timers ------------------------------------------------------ */

fn timeval_of_us(us: i64) -> libc::timeval {
    libc::timeval { tv_sec: us.div_euclid(1_000_000) as _, tv_usec: us.rem_euclid(1_000_000) as _ }
}

fn seconds_of(tv: &libc::timeval) -> f64 {
    tv.tv_sec as f64 + tv.tv_usec as f64 / 1e6
}

/// setitimer(2) with times in microseconds; the previous (delay, interval) in seconds.
pub(crate) fn setitimer(which: i32, value_us: i64, interval_us: i64) -> Result<(f64, f64), Errno> {
    let new = libc::itimerval { it_value: timeval_of_us(value_us), it_interval: timeval_of_us(interval_us) };
    // SAFETY: zeroed itimerval is valid.
    let mut old: libc::itimerval = unsafe { std::mem::zeroed() };
    // SAFETY: new and old are valid; `which` is checked by the kernel.
    if unsafe { libc::setitimer(which as _, &new, &mut old) } != 0 {
        return Err(errno());
    }
    Ok((seconds_of(&old.it_value), seconds_of(&old.it_interval)))
}

pub(crate) fn getitimer(which: i32) -> Result<(f64, f64), Errno> {
    // SAFETY: zeroed itimerval is valid.
    let mut cur: libc::itimerval = unsafe { std::mem::zeroed() };
    // SAFETY: cur is a valid out-pointer.
    if unsafe { libc::getitimer(which as _, &mut cur) } != 0 {
        return Err(errno());
    }
    Ok((seconds_of(&cur.it_value), seconds_of(&cur.it_interval)))
}

/* ---- fds: wakeup and channel notifiers -------------------------------------- */

/// Check a would-be wakeup fd: open (EBADF otherwise), and report whether
/// it is non-blocking and how the handler must write to it.
pub(crate) fn wakeup_fd_kind(fd: i32) -> Result<(WakeupKind, bool), Errno> {
    // SAFETY: zeroed stat is a valid out-parameter.
    let mut st: libc::stat = unsafe { std::mem::zeroed() };
    // SAFETY: fstat only writes st.
    if unsafe { libc::fstat(fd, &mut st) } != 0 {
        return Err(errno());
    }
    // SAFETY: F_GETFL takes no argument.
    let flags = unsafe { libc::fcntl(fd, libc::F_GETFL) };
    if flags < 0 {
        return Err(errno());
    }
    let nonblocking = flags & libc::O_NONBLOCK != 0;
    let kind = if st.st_mode & libc::S_IFMT == libc::S_IFSOCK {
        os::prepare_wakeup_socket(fd);
        WakeupKind::Send
    } else if is_eventfd(fd) {
        WakeupKind::EventFd
    } else {
        WakeupKind::Write
    };
    Ok((kind, nonblocking))
}

/// The handler's wakeup write: one byte (the signal number) or, for an
/// eventfd, the increment 1. Retries on EINTR. Async-signal-safe.
#[inline(never)]
pub(crate) fn wakeup_write(fd: i32, kind: WakeupKind, signum: i32) -> Result<(), Errno> {
    let byte = signum as u8;
    let one = 1u64;
    loop {
        // SAFETY: each call writes from a live stack variable of the length
        // given; write(2) and send(2) are async-signal-safe. A stale fd number
        // is harmless: at worst an error.
        let rc = unsafe {
            match kind {
                WakeupKind::Send => libc::send(fd, (&byte as *const u8).cast(), 1, os::SEND_FLAGS),
                WakeupKind::EventFd => libc::write(fd, (&one as *const u64).cast(), 8),
                WakeupKind::Write => libc::write(fd, (&byte as *const u8).cast(), 1),
            }
        };
        if rc >= 0 {
            return Ok(());
        }
        let err = errno();
        if err != libc::EINTR {
            return Err(err);
        }
    }
}

/// Is this errno a full buffer?
pub(crate) fn is_would_block(err: Errno) -> bool {
    err == libc::EAGAIN || err == libc::EWOULDBLOCK
}

pub(crate) const EAGAIN: Errno = libc::EAGAIN;
pub(crate) const EPIPE: Errno = libc::EPIPE;
/// SIGPIPE, where the platform has it.
pub(crate) const SIGPIPE: Option<i32> = Some(libc::SIGPIPE);
pub(crate) const EINTR: Errno = libc::EINTR;
pub(crate) const EINVAL: Errno = libc::EINVAL;
pub(crate) const ENOSPC: Errno = libc::ENOSPC;
pub(crate) const ENOSYS: Errno = libc::ENOSYS;

/// si_code of a signal sent by kill(2) (and of a simulated arrival).
pub(crate) use os::SI_USER;

/// Make `fd` non-blocking and close-on-exec.
#[cfg_attr(target_os = "linux", allow(dead_code))]
fn nonblocking_cloexec(fd: i32) -> Result<(), Errno> {
    // SAFETY: fcntl on an fd we own, with plain integer arguments.
    unsafe {
        let fl = libc::fcntl(fd, libc::F_GETFL);
        if fl < 0 || libc::fcntl(fd, libc::F_SETFL, fl | libc::O_NONBLOCK) < 0 {
            return Err(errno());
        }
        let fd_flags = libc::fcntl(fd, libc::F_GETFD);
        if fd_flags < 0 || libc::fcntl(fd, libc::F_SETFD, fd_flags | libc::FD_CLOEXEC) < 0 {
            return Err(errno());
        }
    }
    Ok(())
}

/// A non-blocking, close-on-exec pipe: (read end, write end).
#[cfg_attr(target_os = "linux", allow(dead_code))]
pub(super) fn pipe_pair() -> Result<(i32, i32), Errno> {
    let mut fds = [-1; 2];
    // SAFETY: fds has room for the two descriptors.
    if unsafe { libc::pipe(fds.as_mut_ptr()) } != 0 {
        return Err(errno());
    }
    for fd in fds {
        if let Err(e) = nonblocking_cloexec(fd) {
            close(fds[0]);
            close(fds[1]);
            return Err(e);
        }
    }
    Ok((fds[0], fds[1]))
}

pub(super) fn close(fd: i32) {
    // SAFETY: closes an fd this library owns.
    unsafe { libc::close(fd) };
}

/// Read and discard everything readable from a non-blocking fd.
pub(super) fn drain_fd(fd: i32) {
    let mut buf = [0u8; 64];
    loop {
        // SAFETY: buf is writable for its length.
        let rc = unsafe { libc::read(fd, buf.as_mut_ptr().cast(), buf.len()) };
        if rc <= 0 && !(rc < 0 && errno() == libc::EINTR) {
            return;
        }
    }
}

/// Write 8 bytes (an eventfd increment, or 8 bytes into a pipe). Async-signal-safe.
pub(super) fn write_u64(fd: i32, v: u64) {
    loop {
        // SAFETY: writes a live stack variable of 8 bytes.
        let rc = unsafe { libc::write(fd, (&v as *const u64).cast(), 8) };
        if rc >= 0 || errno() != libc::EINTR {
            return;
        }
    }
}

/// Does a signal with this action need the real handler to forward it?
/// (Used by tests: a disposition is "ours" when it has our entry point.)
pub(crate) fn is_entry<S: Sink>(action: Action) -> bool {
    action == Action::Handler(Disposition::entry_address::<S>())
}

/// A channel's readiness fd where there is no eventfd: a pipe.
#[cfg_attr(target_os = "linux", allow(dead_code))]
#[derive(Clone, Copy, Debug)]
pub(crate) struct PipeNotifier {
    pub read_fd: i32,
    pub write_fd: i32,
}

#[cfg_attr(target_os = "linux", allow(dead_code))]
impl PipeNotifier {
    pub(crate) fn open() -> Result<PipeNotifier, Errno> {
        let (read_fd, write_fd) = pipe_pair()?;
        Ok(PipeNotifier { read_fd, write_fd })
    }

    /// Make the read end readable. Async-signal-safe.
    #[inline]
    pub(crate) fn notify(write_fd: i32) {
        write_u64(write_fd, 1);
    }

    /// Make the read end unreadable again.
    pub(crate) fn drain(&self) {
        drain_fd(self.read_fd);
    }

    pub(crate) fn close(self) {
        close(self.read_fd);
        close(self.write_fd);
    }
}
