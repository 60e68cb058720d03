//! The functions of Python's `signal` module, in safe Rust, with CPython's
//! check order and messages. The FFI layer (`ffi.rs`) turns their results
//! into status codes and the thread's last error.

use std::ffi::{CStr, CString};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use crate::asyncsafe::{self, WakeupKind};
use crate::error::{self, Error, Result};
use crate::state;
pub use crate::state::Handler;
use crate::types::*;

/* ---- unraisable reports ------------------------------------------------ */

/// A report for the unraisable hook.
pub struct Report {
    pub status: i32,
    pub os_errno: i32,
    pub signum: i32,
    pub message: String,
}

/// Give `r` to the unraisable hook, or print it as one line on stderr.
/// The caller's last error is kept.
pub fn report(r: &Report) {
    let message = CString::new(r.message.replace('\0', " ")).unwrap_or_default();
    match state::hook() {
        Some((hook, data)) => {
            let c = rs_signal_unraisable {
                status: r.status,
                os_errno: r.os_errno,
                signum: r.signum,
                message: message.as_ptr(),
            };
            let saved = error::last();
            // SAFETY: the hook was registered by the application for exactly
            // this call; the report and its message live across the call.
            unsafe { hook(&c, data) };
            // Only a failing call inside the hook changes the last error; put
            // the caller's back then (and only then, so a message pointer the
            // caller holds stays valid).
            if error::last() != saved {
                error::restore_last(saved);
            }
        }
        None => {
            let mut line = message.into_bytes();
            line.push(b'\n');
            // SAFETY: writes a live buffer to stderr; errors are ignored on
            // purpose (nowhere left to report them).
            unsafe { libc::write(2, line.as_ptr().cast(), line.len()) };
        }
    }
}

/* ---- dispatch ------------------------------------------------------------ */

/// The check fast path: false when no dispatch point has anything to do.
#[inline(always)]
pub fn maybe_pending() -> bool {
    asyncsafe::any_tripped()
}

/// `PyErr_CheckSignals`: on the main thread, run the callbacks of tripped
/// signals; elsewhere do nothing.
#[inline]
pub fn check() -> Result<()> {
    if !asyncsafe::any_tripped() {
        return Ok(());
    }
    check_slow()
}

/// The dispatch behind a fast path that saw the global flag set: on the
/// main thread run the tripped callbacks, elsewhere do nothing.
#[cold]
pub fn check_slow() -> Result<()> {
    if !state::is_main_thread() {
        return Ok(());
    }
    dispatch()
}

/// CPython's `_PyErr_CheckSignalsTstate`: clear the global flag, scan in
/// ascending order clearing each flag before its callback; a callback that
/// raises stops the scan and re-arms the global flag.
fn dispatch() -> Result<()> {
    let Some(bits) = asyncsafe::begin_dispatch() else {
        return Ok(());
    };
    let result = scan(bits);
    if let Some((errno, count)) = asyncsafe::take_wakeup_failures() {
        report_wakeup_failures(errno, count);
    }
    result
}

/// One ascending pass over the tripped bits. Each flag is cleared just
/// before its callback; after a callback the bits are read again, so a higher
/// signal that arrived during it runs in this same pass, as in CPython's loop
/// over 1..NSIG. A raising callback leaves the rest for the next dispatch.
fn scan(mut bits: u64) -> Result<()> {
    while bits != 0 {
        let s = bits.trailing_zeros() as i32 + 1;
        let before = asyncsafe::take_signal(s);
        if before & asyncsafe::bit(s) != 0 {
            run_handler(s)?;
            bits = asyncsafe::tripped_bits();
        } else {
            bits = before;
        }
        bits &= asyncsafe::above(s);
    }
    Ok(())
}

/// Run the callback of a tripped signal, or report the race when its entry
/// is no longer a callback. A callback that raises re-arms the global flag.
#[inline]
fn run_handler(s: i32) -> Result<()> {
    match state::get(s) {
        Handler::Callback(f, data) => {
            // SAFETY: the application installed `f` with `data` for this
            // signal; it runs outside signal context, as promised.
            let r = unsafe { f(s, data as *mut libc::c_void) };
            if r != 0 {
                return Err(raised(s, r));
            }
        }
        _ => report_race(s),
    }
    Ok(())
}

#[cold]
#[inline(never)]
fn raised(s: i32, r: i32) -> Error {
    asyncsafe::rearm();
    Error::raised(s, r)
}

#[cold]
#[inline(never)]
fn report_race(s: i32) {
    report(&Report {
        status: RS_SIGNAL_EOS,
        os_errno: 0,
        signum: s,
        message: format!("Exception ignored while calling signal handler: OSError: Signal {s} ignored due to race condition"),
    })
}

#[cold]
#[inline(never)]
fn report_wakeup_failures(errno: i32, count: u32) {
    // One report per dispatch point, however many writes failed (a storm
    // on a full pipe must not flood stderr); the count says how many.
    let times = if count > 1 {
        format!(" ({count} failed writes since the last dispatch point)")
    } else {
        String::new()
    };
    report(&Report {
        status: RS_SIGNAL_EOS,
        os_errno: errno,
        signum: 0,
        message: format!(
            "Exception ignored when trying to write to the signal wakeup fd: {}: {}{times}",
            if errno == libc::EAGAIN { "BlockingIOError" } else { "OSError" },
            error::errno_message(errno)
        ),
    });
}

/// Is there something a dispatch point would run now?
pub fn pending() -> bool {
    asyncsafe::any_tripped() && state::is_main_thread() && asyncsafe::anything_to_do()
}

/// `PyErr_SetInterruptEx`: async-signal-safe, touches no thread-local state.
pub fn set_interrupt(signum: i32) -> i32 {
    if !in_range(signum) {
        return RS_SIGNAL_EVALUE;
    }
    let finalized = state::is_finalized();
    if !state::is_ready() && !finalized {
        return RS_SIGNAL_OK;
    }
    let kind = state::kind_relaxed(signum);
    if finalized || (kind != RS_SIG_DFL && kind != RS_SIG_IGN) {
        asyncsafe::trip(signum);
    }
    RS_SIGNAL_OK
}

/// `PyOS_InterruptOccurred`: consume SIGINT's flag only.
pub fn interrupt_occurred() -> bool {
    state::is_main_thread()
        && asyncsafe::is_signal_tripped(RS_SIGINT)
        && asyncsafe::take_signal(RS_SIGINT) & asyncsafe::bit(RS_SIGINT) != 0
}

/* ---- handlers ------------------------------------------------------------ */

fn require_main(what: &str) -> Result<()> {
    if state::is_main_thread() {
        Ok(())
    } else {
        Err(Error::value(format!("{what} only works in main thread of the main interpreter")))
    }
}

/// Is `signum` a valid signal number, 1..NSIG-1?
fn in_range(signum: i32) -> bool {
    (1..RS_NSIG).contains(&signum)
}

fn check_range(signum: i32) -> Result<()> {
    if !in_range(signum) {
        return Err(Error::out_of_range(signum));
    }
    Ok(())
}

/// Validate a handler given by C.
pub fn handler_from_c(h: Option<&rs_signal_handler>) -> Result<Handler> {
    let h = h.ok_or_else(|| Error::null("handler"))?;
    match (h.kind, h.callback) {
        (RS_SIG_DFL, _) => Ok(Handler::Default),
        (RS_SIG_IGN, _) => Ok(Handler::Ignore),
        (RS_SIGNAL_HANDLER_CALLBACK, Some(f)) => Ok(Handler::Callback(f, h.user_data as usize)),
        _ => Err(Error::type_error("signal handler must be RS_SIG_IGN, RS_SIG_DFL, or a callback")),
    }
}

pub fn handler_to_c(h: Handler) -> rs_signal_handler {
    let (callback, user_data) = match h {
        Handler::Callback(f, d) => (Some(f), d as *mut libc::c_void),
        _ => (None, std::ptr::null_mut()),
    };
    rs_signal_handler { kind: h.kind(), callback, user_data }
}

/// `sigaction` with CPython's flags: SA_ONSTACK, empty mask, no SA_RESTART.
fn set_os_handler(signum: i32, h: Handler) -> Result<()> {
    // SAFETY: an all-zero sigaction is valid; the fields are set below.
    let mut sa: libc::sigaction = unsafe { std::mem::zeroed() };
    sa.sa_sigaction = match h {
        Handler::Default => libc::SIG_DFL,
        Handler::Ignore => libc::SIG_IGN,
        Handler::Callback(..) => asyncsafe::handler_address(),
        Handler::Foreign => unreachable!("foreign handlers are never installed"),
    };
    sa.sa_flags = libc::SA_ONSTACK;
    // SAFETY: sa.sa_mask is a valid sigset_t; sa is fully initialised.
    let rc = unsafe {
        libc::sigemptyset(&mut sa.sa_mask);
        libc::sigaction(signum, &sa, std::ptr::null_mut())
    };
    if rc != 0 {
        return Err(Error::last_os().with_signum(signum));
    }
    Ok(())
}

/// Install `new` for `signum` in the OS and the table; nothing changes on error.
fn install(g: &state::Guard, signum: i32, new: Handler) -> Result<()> {
    let old = state::get(signum);
    if let Handler::Callback(..) = new {
        // Table first: an arrival right after sigaction finds its callback.
        state::put(g, signum, new);
        if let Err(e) = set_os_handler(signum, new) {
            state::put(g, signum, old);
            return Err(e);
        }
    } else {
        set_os_handler(signum, new)?;
        state::put(g, signum, new);
    }
    Ok(())
}

/// `signal.signal(signum, handler)`: returns the previous handler.
pub fn signal(signum: i32, handler: Option<&rs_signal_handler>) -> Result<Handler> {
    require_main("signal")?;
    check_range(signum)?;
    let new = handler_from_c(handler)?;
    state::ensure_init();
    // Pending callbacks run with the old table; if one raises, nothing changes.
    check()?;
    let g = state::lock();
    let old = state::get(signum);
    install(&g, signum, new)?;
    Ok(old)
}

/// `signal.getsignal(signum)`, from any thread.
pub fn getsignal(signum: i32) -> Result<Handler> {
    check_range(signum)?;
    state::ensure_init();
    Ok(state::get_locked(signum))
}

/// Python start-up: SIGPIPE and SIGXFSZ ignored; SIGINT → the default int
/// handler if it is SIG_DFL.
pub fn install_default_handlers() -> Result<()> {
    require_main("install_default_handlers")?;
    state::ensure_init();
    let g = state::lock();
    install(&g, RS_SIGPIPE, Handler::Ignore)?;
    install(&g, RS_SIGXFSZ, Handler::Ignore)?;
    if let Handler::Default = state::get(RS_SIGINT) {
        install(&g, RS_SIGINT, Handler::Callback(crate::ffi::rs_signal_default_int_handler, 0))?;
    }
    Ok(())
}

/// `_PySignal_Fini`: every signal with a callback back to SIG_DFL, the table
/// cleared (entries read back as foreign), flags cleared.
pub fn finalize() -> Result<()> {
    let g = state::lock();
    let mut first_error = None;
    for s in 1..RS_NSIG {
        asyncsafe::take_signal(s);
        let h = state::get(s);
        state::put(&g, s, Handler::Foreign);
        if let Handler::Callback(..) = h {
            if let Err(e) = set_os_handler(s, Handler::Default) {
                first_error.get_or_insert(e);
            }
        }
    }
    state::mark_finalized();
    first_error.map_or(Ok(()), Err)
}

pub fn set_main_thread() {
    state::set_main_thread();
}

pub fn is_main_thread() -> bool {
    state::is_main_thread()
}

pub fn thread_id() -> u64 {
    // SAFETY: pthread_self has no preconditions.
    unsafe { libc::pthread_self() as u64 }
}

/* ---- simple functions ----------------------------------------------------- */

/// `signal.strsignal`: None when the C library has no description.
pub fn strsignal(signum: i32) -> Result<Option<&'static CStr>> {
    check_range(signum)?;
    static TABLE: OnceLock<Vec<Option<CString>>> = OnceLock::new();
    let table = TABLE.get_or_init(|| {
        (0..RS_NSIG)
            .map(|n| {
                if n == 0 {
                    return None;
                }
                // SAFETY: errno is this thread's; strsignal returns NULL or a
                // NUL-terminated string that we copy at once (OnceLock makes
                // this the only caller).
                unsafe {
                    *libc::__errno_location() = 0;
                    let p = libc::strsignal(n);
                    if p.is_null() || *libc::__errno_location() != 0 {
                        return None;
                    }
                    let s = CStr::from_ptr(p);
                    if s.to_bytes().windows(14).any(|w| w == b"Unknown signal") {
                        return None;
                    }
                    Some(s.to_owned())
                }
            })
            .collect()
    });
    Ok(table[signum as usize].as_deref())
}

/// `signal.valid_signals()`.
pub fn valid_signals() -> Result<rs_sigset> {
    // SAFETY: zeroed sigset_t is valid; sigfillset fills it.
    let mut set: libc::sigset_t = unsafe { std::mem::zeroed() };
    // SAFETY: set is a valid sigset_t.
    if unsafe { libc::sigfillset(&mut set) } != 0 {
        return Err(Error::last_os());
    }
    Ok(rs_sigset::from_os(&set))
}

/// `signal.raise_signal`: no range check (the OS decides), then dispatch.
pub fn raise_signal(signum: i32) -> Result<()> {
    // SAFETY: raise has no memory preconditions.
    if unsafe { libc::raise(signum) } != 0 {
        return Err(Error::last_os().with_signum(signum));
    }
    check()
}

pub fn alarm(seconds: u32) -> u32 {
    // SAFETY: alarm has no preconditions.
    unsafe { libc::alarm(seconds) }
}

/// `signal.pause`, then dispatch.
pub fn pause() -> Result<()> {
    // SAFETY: pause has no preconditions.
    unsafe { libc::pause() };
    check()
}

/// `signal.pidfd_send_signal`; `siginfo` must be NULL. No dispatch after.
pub fn pidfd_send_signal(pidfd: i32, signum: i32, siginfo_given: bool, flags: u32) -> Result<()> {
    if siginfo_given {
        return Err(Error::type_error("siginfo must be NULL"));
    }
    // SAFETY: the syscall takes plain integers and a NULL siginfo.
    let rc = unsafe {
        libc::syscall(libc::SYS_pidfd_send_signal, pidfd, signum, std::ptr::null::<libc::siginfo_t>(), flags)
    };
    if rc < 0 {
        let mut e = Error::last_os().with_signum(signum);
        if e.os_errno == libc::ENOSYS {
            e.status = RS_SIGNAL_EUNSUPPORTED;
        }
        return Err(e);
    }
    Ok(())
}

/// `signal.pthread_kill`, then dispatch (the signal may be for this thread).
pub fn pthread_kill(thread_id: u64, signum: i32) -> Result<()> {
    if thread_id == 0 {
        // glibc dereferences the id: 0 would crash instead of failing.
        return Err(Error::os(libc::ESRCH).with_signum(signum));
    }
    // SAFETY: thread_id is a pthread_t from rs_signal_thread_id(), as the
    // contract requires; pthread_kill reports bad signals itself.
    let err = unsafe { libc::pthread_kill(thread_id as libc::pthread_t, signum) };
    if err != 0 {
        return Err(Error::os(err).with_signum(signum));
    }
    check()
}

/// `signal.pthread_sigmask`: the mask is applied even when the dispatch that
/// follows raises; `old` is filled before that dispatch.
pub fn pthread_sigmask(how: i32, mask: &rs_sigset, old: Option<&mut rs_sigset>) -> Result<()> {
    let set = mask.to_os()?;
    // SAFETY: zeroed sigset_t is valid.
    let mut prev: libc::sigset_t = unsafe { std::mem::zeroed() };
    // SAFETY: set and prev are valid sigset_t values.
    let err = unsafe { libc::pthread_sigmask(how, &set, &mut prev) };
    if err != 0 {
        return Err(Error::os(err));
    }
    if let Some(old) = old {
        *old = rs_sigset::from_os(&prev);
    }
    check()
}

/// `signal.sigpending`.
pub fn sigpending() -> Result<rs_sigset> {
    // SAFETY: zeroed sigset_t is valid.
    let mut set: libc::sigset_t = unsafe { std::mem::zeroed() };
    // SAFETY: set is a valid out-parameter.
    if unsafe { libc::sigpending(&mut set) } != 0 {
        return Err(Error::last_os());
    }
    Ok(rs_sigset::from_os(&set))
}

/// `signal.sigwait`: no retry, no dispatch.
pub fn sigwait(set: &rs_sigset) -> Result<i32> {
    let os = set.to_os()?;
    let mut sig = 0;
    // SAFETY: os is a valid set, sig a valid out-pointer.
    let err = unsafe { libc::sigwait(&os, &mut sig) };
    if err != 0 {
        return Err(Error::os(err));
    }
    Ok(sig)
}

fn siginfo_from_os(si: &libc::siginfo_t) -> rs_signal_siginfo {
    // SAFETY: si was filled by the kernel; the accessors read the union
    // fields glibc defines for every siginfo_t, and si_band is the long at
    // the start of the union (offset 16 on 64-bit Linux, after three ints
    // and padding), which the kernel always writes.
    unsafe {
        let base = (si as *const libc::siginfo_t).cast::<u8>();
        // Three ints, then the union, aligned for a long.
        let union_offset = if cfg!(target_pointer_width = "64") { 16 } else { 12 };
        let band = std::ptr::read_unaligned(base.add(union_offset).cast::<libc::c_long>());
        rs_signal_siginfo {
            signo: si.si_signo,
            code: si.si_code,
            errnum: si.si_errno,
            pid: si.si_pid(),
            uid: si.si_uid(),
            status: si.si_status(),
            band: band as i64,
        }
    }
}

/// `signal.sigwaitinfo` (PEP 475: retried after EINTR when no callback raised).
pub fn sigwaitinfo(set: &rs_sigset) -> Result<rs_signal_siginfo> {
    let os = set.to_os()?;
    loop {
        // SAFETY: zeroed siginfo_t is valid.
        let mut si: libc::siginfo_t = unsafe { std::mem::zeroed() };
        // SAFETY: os and si are valid.
        let rc = unsafe { libc::sigwaitinfo(&os, &mut si) };
        if rc >= 0 {
            return Ok(siginfo_from_os(&si));
        }
        let e = Error::last_os();
        if e.os_errno != libc::EINTR {
            return Err(e);
        }
        check()?;
    }
}

/* ---- times ------------------------------------------------------------------- */

const NS_LIMIT: f64 = 9_223_372_036_854_775_808.0; // 2^63

/// Seconds to nanoseconds rounded up, as CPython's `_PyTime_FromSecondsObject`.
fn seconds_to_ns(seconds: f64) -> Result<i64> {
    if seconds.is_nan() {
        return Err(Error::value("Invalid value NaN (not a number)"));
    }
    let ns = (seconds * 1e9).ceil();
    if !(-NS_LIMIT..NS_LIMIT).contains(&ns) {
        return Err(Error::new(RS_SIGNAL_EOVERFLOW, "timestamp out of range for platform time_t"));
    }
    Ok(ns as i64)
}

/// Nanoseconds to a timeval, rounded up to the next microsecond (bpo-30807).
fn ns_to_timeval(ns: i64) -> libc::timeval {
    let us = ns.div_euclid(1000) + i64::from(ns.rem_euclid(1000) != 0);
    libc::timeval { tv_sec: us.div_euclid(1_000_000) as libc::time_t, tv_usec: us.rem_euclid(1_000_000) as _ }
}

fn timeval_to_seconds(tv: &libc::timeval) -> f64 {
    tv.tv_sec as f64 + tv.tv_usec as f64 / 1e6
}

fn itimer_value(v: &libc::itimerval) -> rs_signal_itimer_value {
    rs_signal_itimer_value {
        delay: timeval_to_seconds(&v.it_value),
        interval: timeval_to_seconds(&v.it_interval),
    }
}

/// `signal.setitimer`: the OS checks `which` and negative times.
pub fn setitimer(which: i32, seconds: f64, interval: f64) -> Result<rs_signal_itimer_value> {
    let new = libc::itimerval {
        it_value: ns_to_timeval(seconds_to_ns(seconds)?),
        it_interval: ns_to_timeval(seconds_to_ns(interval)?),
    };
    // SAFETY: zeroed itimerval is valid.
    let mut old: libc::itimerval = unsafe { std::mem::zeroed() };
    // SAFETY: new and old are valid; `which` is checked by the kernel.
    if unsafe { libc::setitimer(which as _, &new, &mut old) } != 0 {
        return Err(Error::itimer(Error::last_os().os_errno));
    }
    Ok(itimer_value(&old))
}

/// `signal.getitimer`.
pub fn getitimer(which: i32) -> Result<rs_signal_itimer_value> {
    // SAFETY: zeroed itimerval is valid.
    let mut cur: libc::itimerval = unsafe { std::mem::zeroed() };
    // SAFETY: cur is a valid out-pointer.
    if unsafe { libc::getitimer(which as _, &mut cur) } != 0 {
        return Err(Error::itimer(Error::last_os().os_errno));
    }
    Ok(itimer_value(&cur))
}

/// `signal.sigtimedwait`: `None` on timeout. PEP 475: after EINTR, dispatch
/// and retry with the time left to the original deadline.
pub fn sigtimedwait(set: &rs_sigset, timeout: f64) -> Result<Option<rs_signal_siginfo>> {
    let os = set.to_os()?;
    let ns = seconds_to_ns(timeout)?;
    if ns < 0 {
        return Err(Error::value("timeout must be non-negative"));
    }
    let start = Instant::now();
    let total = Duration::from_nanos(ns as u64);
    let mut left = total;
    loop {
        let ts = libc::timespec { tv_sec: left.as_secs() as libc::time_t, tv_nsec: left.subsec_nanos() as _ };
        // SAFETY: zeroed siginfo_t is valid.
        let mut si: libc::siginfo_t = unsafe { std::mem::zeroed() };
        // SAFETY: os, si and ts are valid.
        let rc = unsafe { libc::sigtimedwait(&os, &mut si, &ts) };
        if rc >= 0 {
            return Ok(Some(siginfo_from_os(&si)));
        }
        let e = Error::last_os();
        match e.os_errno {
            libc::EAGAIN => return Ok(None),
            libc::EINTR => {}
            _ => return Err(e),
        }
        check()?;
        match total.checked_sub(start.elapsed()) {
            Some(l) => left = l,
            None => return Ok(None),
        }
    }
}

/* ---- wakeup fd and siginterrupt ------------------------------------------------ */

/// `signal.set_wakeup_fd(fd, warn_on_full_buffer=...)`: returns the old fd.
pub fn set_wakeup_fd(fd: i32, warn_on_full_buffer: bool) -> Result<i32> {
    require_main("set_wakeup_fd")?;
    let mut kind = WakeupKind::Write;
    if fd != -1 {
        // SAFETY: zeroed stat is a valid out-parameter.
        let mut st: libc::stat = unsafe { std::mem::zeroed() };
        // SAFETY: fstat only writes st.
        if unsafe { libc::fstat(fd, &mut st) } != 0 {
            return Err(Error::last_os());
        }
        // SAFETY: F_GETFL takes no argument.
        let flags = unsafe { libc::fcntl(fd, libc::F_GETFL) };
        if flags < 0 {
            return Err(Error::last_os());
        }
        if flags & libc::O_NONBLOCK == 0 {
            return Err(Error::value(format!("the fd {fd} must be in non-blocking mode")));
        }
        kind = if st.st_mode & libc::S_IFMT == libc::S_IFSOCK {
            WakeupKind::Send
        } else if is_eventfd(fd) {
            WakeupKind::EventFd
        } else {
            WakeupKind::Write
        };
    }
    Ok(asyncsafe::swap_wakeup(fd, kind, warn_on_full_buffer))
}

/// Is `fd` an eventfd? Linux names it "anon_inode:[eventfd]" in /proc.
fn is_eventfd(fd: i32) -> bool {
    std::fs::read_link(format!("/proc/self/fd/{fd}"))
        .map(|target| target.as_os_str() == "anon_inode:[eventfd]")
        .unwrap_or(false)
}

/// `signal.siginterrupt(signum, flag)`: toggle SA_RESTART, keep the handler.
pub fn siginterrupt(signum: i32, flag: bool) -> Result<()> {
    check_range(signum)?;
    // SAFETY: zeroed sigaction is a valid out-parameter.
    let mut act: libc::sigaction = unsafe { std::mem::zeroed() };
    // SAFETY: query only.
    unsafe { libc::sigaction(signum, std::ptr::null(), &mut act) };
    if flag {
        act.sa_flags &= !libc::SA_RESTART;
    } else {
        act.sa_flags |= libc::SA_RESTART;
    }
    // SAFETY: act is the disposition just read, with one flag changed.
    if unsafe { libc::sigaction(signum, &act, std::ptr::null_mut()) } != 0 {
        return Err(Error::last_os().with_signum(signum));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_round_up_to_the_microsecond() {
        let tv = ns_to_timeval(seconds_to_ns(1e-7).unwrap());
        assert_eq!((tv.tv_sec, tv.tv_usec), (0, 1), "1e-7 must arm, not disarm");
        let tv = ns_to_timeval(seconds_to_ns(1.5).unwrap());
        assert_eq!((tv.tv_sec, tv.tv_usec), (1, 500_000));
        let tv = ns_to_timeval(seconds_to_ns(-1.0).unwrap());
        assert_eq!((tv.tv_sec, tv.tv_usec), (-1, 0));
        assert_eq!(ns_to_timeval(0).tv_usec, 0);
    }

    #[test]
    fn bad_times_use_cpython_messages() {
        let e = seconds_to_ns(f64::NAN).unwrap_err();
        assert_eq!((e.status, e.message.as_str()), (RS_SIGNAL_EVALUE, "Invalid value NaN (not a number)"));
        for huge in [1e300, f64::INFINITY, -f64::INFINITY, 1e10] {
            let e = seconds_to_ns(huge).unwrap_err();
            assert_eq!(e.status, RS_SIGNAL_EOVERFLOW, "{huge}");
            assert_eq!(e.message, "timestamp out of range for platform time_t");
        }
    }

    #[test]
    fn handler_validation() {
        let bad = rs_signal_handler {
            kind: RS_SIGNAL_HANDLER_CALLBACK,
            callback: None,
            user_data: std::ptr::null_mut(),
        };
        let e = handler_from_c(Some(&bad)).unwrap_err();
        assert_eq!(e.status, RS_SIGNAL_ETYPE);
        assert_eq!(e.message, "signal handler must be RS_SIG_IGN, RS_SIG_DFL, or a callback");
        for kind in [RS_SIGNAL_HANDLER_FOREIGN, 4, -1] {
            let h = rs_signal_handler { kind, callback: None, user_data: std::ptr::null_mut() };
            assert_eq!(handler_from_c(Some(&h)).unwrap_err().status, RS_SIGNAL_ETYPE);
        }
        assert_eq!(handler_from_c(None).unwrap_err().message, "handler must not be NULL");
    }

    #[test]
    fn strsignal_matches_glibc() {
        assert!(strsignal(2).unwrap().unwrap().to_str().unwrap().contains("Interrupt"));
        assert_eq!(strsignal(32).unwrap(), None);
        assert_eq!(strsignal(34).unwrap().unwrap().to_str().unwrap(), "Real-time signal 0");
        assert_eq!(strsignal(0).unwrap_err().message, "signal number out of range");
    }
}
