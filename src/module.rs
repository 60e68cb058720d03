//! The functions of Python's `signal` module, in safe Rust, with CPython's
//! check order and messages, and the dispatch. The FFI layer (`ffi.rs`)
//! turns their results into status codes and the thread's last error; the
//! functions beyond CPython are in `beyond.rs`.

use std::ffi::{CStr, CString};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use crate::asyncsafe::{self, above, bits_of, lowest};
use crate::error::{self, Error, Result};
use crate::report::{report, Report};
pub use crate::state::Handler;
use crate::state::{self, Change};
use crate::sys::{self, WakeupKind};
use crate::types::*;

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
/// ascending order taking each signal's arrivals before its callback; a
/// callback that raises stops the scan and re-arms the global flag.
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

/// One ascending pass over the tripped bits. After a callback, bits that
/// arrived during it are taken too: a higher signal runs in this same pass,
/// as in CPython's loop over 1..NSIG, a lower one at the next dispatch
/// point. A raising callback leaves the rest for the next dispatch point.
fn scan(mut bits: [u64; 2]) -> Result<()> {
    while let Some(s) = lowest(bits) {
        let hi = above(s);
        bits = [bits[0] & hi[0], bits[1] & hi[1]];
        let arrivals = asyncsafe::drain(s);
        if arrivals == 0 && !state::has_resume(s) {
            continue;
        }
        if let Err(e) = run_signal(s, arrivals) {
            asyncsafe::put_back(bits);
            return Err(e);
        }
        if let Some(new) = asyncsafe::more_tripped() {
            let low = [new[0] & !hi[0], new[1] & !hi[1]];
            bits = [bits[0] | (new[0] & hi[0]), bits[1] | (new[1] & hi[1])];
            if low != [0, 0] {
                asyncsafe::put_back(low);
            }
        }
    }
    Ok(())
}

/// Run the callback of a tripped signal, then its listeners; report the
/// race when the entry is no longer a callback and nobody listens. With no
/// new arrival (`arrivals == 0`) only the listeners left over by a raising
/// listener run, for the arrivals of that dispatch.
#[inline]
fn run_signal(s: i32, arrivals: u32) -> Result<()> {
    let (arrivals, resume) = match state::take_resume(s) {
        Some((after, old)) if arrivals == 0 => (old, Some(after)),
        _ => (arrivals, None),
    };
    let _frame = state::enter_frame(s, arrivals);
    if resume.is_none() {
        match state::get(s) {
            Handler::Callback(f, data) => {
                asyncsafe::note_dispatch(s);
                // SAFETY: the application installed `f` with `data` for this
                // signal; it runs outside signal context, as promised.
                let r = unsafe { f(s, data as *mut libc::c_void) };
                if r != 0 {
                    if state::has_listeners(s) {
                        // The listeners run at the next dispatch point.
                        state::set_resume(s, 0, arrivals);
                        asyncsafe::put_back(bits_of(s));
                    }
                    return Err(raised(s, r));
                }
            }
            _ if state::has_listeners(s) => {}
            _ => report_race(s),
        }
    }
    if state::has_listeners(s) {
        run_listeners(s, arrivals, resume.unwrap_or(0))?;
    }
    Ok(())
}

/// The listeners of `s` added after listener `after`, in adding order, each
/// looked up again after the previous one returned (so one removed
/// meanwhile is never called). A raising listener leaves the rest for the
/// next dispatch point.
#[cold]
fn run_listeners(s: i32, arrivals: u32, mut after: u64) -> Result<()> {
    while let Some(l) = state::next_listener(s, after) {
        after = l.id;
        asyncsafe::note_listener(s);
        // SAFETY: the application added the callback with its user data for
        // this signal.
        let r = unsafe { (l.callback)(s, l.user_data as *mut libc::c_void) };
        state::listener_done();
        if r != 0 {
            state::set_resume(s, l.id, arrivals);
            asyncsafe::put_back(bits_of(s));
            return Err(raised(s, r));
        }
        if !l.may_follow() {
            break;
        }
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
            if errno == sys::EAGAIN { "BlockingIOError" } else { "OSError" },
            error::errno_message(errno)
        ),
    });
}

/// Is there something a dispatch point would run now?
pub fn pending() -> bool {
    asyncsafe::any_tripped() && state::is_main_thread() && asyncsafe::anything_to_do()
}

/// `PyErr_SetInterruptEx`: async-signal-safe, touches no thread-local
/// state. Counts as one arrival (code SI_USER, this process's pid and uid)
/// for the callback, the listeners and the channels of the signal.
pub fn set_interrupt(signum: i32) -> i32 {
    if !in_range(signum) {
        return RS_SIGNAL_EVALUE;
    }
    if state::is_finalized() {
        asyncsafe::simulate(signum, true);
        return RS_SIGNAL_OK;
    }
    if !state::is_ready() {
        return RS_SIGNAL_OK;
    }
    let kind = state::kind_relaxed(signum);
    let trips = kind != RS_SIG_DFL && kind != RS_SIG_IGN;
    if trips || state::has_listeners(signum) || asyncsafe::has_channels(signum) {
        asyncsafe::simulate(signum, trips);
    }
    RS_SIGNAL_OK
}

/// `PyOS_InterruptOccurred`: consume SIGINT's arrivals only.
pub fn interrupt_occurred() -> bool {
    state::is_main_thread() && asyncsafe::take_one(sys::SIGINT)
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
pub(crate) fn in_range(signum: i32) -> bool {
    (1..sys::NSIG).contains(&signum)
}

pub(crate) fn check_range(signum: i32) -> Result<()> {
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

/// `signal.signal(signum, handler)`: returns the previous handler.
pub fn signal(signum: i32, handler: Option<&rs_signal_handler>) -> Result<Handler> {
    require_main("signal")?;
    // Windows: only its seven signals, checked before the range (as CPython).
    if sys::RESTRICTED_SIGNALS && !sys::signal_accepted(signum) {
        return Err(Error::value("invalid signal value").with_signum(signum));
    }
    check_range(signum)?;
    let new = handler_from_c(handler)?;
    state::ensure_init();
    // Pending callbacks run with the old table; if one raises, nothing changes.
    check()?;
    let mut g = state::lock();
    let old = state::get(signum);
    state::apply(&mut g, signum, Change::Entry(new))?;
    Ok(old)
}

/// `signal.getsignal(signum)`, from any thread.
pub fn getsignal(signum: i32) -> Result<Handler> {
    check_range(signum)?;
    state::ensure_init();
    if !sys::signal_accepted(signum) {
        return Ok(Handler::Foreign);
    }
    Ok(state::get_locked(signum))
}

/// Python start-up: SIGPIPE and SIGXFSZ ignored (where the platform has
/// them); SIGINT → `default_int_handler` (the FFI layer passes the exported
/// one, so getsignal shows its address) if it is SIG_DFL.
pub fn install_default_handlers(default_int_handler: state::CallbackFn) -> Result<()> {
    require_main("install_default_handlers")?;
    state::ensure_init();
    let mut g = state::lock();
    for &s in sys::STARTUP_IGNORED {
        state::apply(&mut g, s, Change::Entry(Handler::Ignore))?;
    }
    if let Handler::Default = state::get(sys::SIGINT) {
        state::apply(&mut g, sys::SIGINT, Change::Entry(Handler::Callback(default_int_handler, 0)))?;
    }
    Ok(())
}

/// Python's signal.default_int_handler: raises KeyboardInterrupt.
pub extern "C" fn default_int_handler(signum: libc::c_int, user_data: *mut libc::c_void) -> libc::c_int {
    let _ = (signum, user_data);
    RS_SIGNAL_EKEYBOARDINTERRUPT
}

/// `_PySignal_Fini`: every signal with a callback back to SIG_DFL, the table
/// cleared (entries read back as foreign), listeners removed, flags cleared.
pub fn finalize() -> Result<()> {
    state::finalize()
}

pub fn set_main_thread() {
    state::set_main_thread();
}

pub fn is_main_thread() -> bool {
    state::is_main_thread()
}

pub fn thread_id() -> u64 {
    sys::thread_self()
}

/* ---- simple functions ----------------------------------------------------- */

/// `signal.strsignal`: None when the C library has no description.
pub fn strsignal(signum: i32) -> Result<Option<&'static CStr>> {
    check_range(signum)?;
    static TABLE: OnceLock<Vec<Option<CString>>> = OnceLock::new();
    // OnceLock makes this the only caller of the C library's strsignal.
    let table =
        TABLE.get_or_init(|| (0..sys::NSIG).map(|n| if n == 0 { None } else { sys::strsignal(n) }).collect());
    Ok(table[signum as usize].as_deref())
}

/// `signal.valid_signals()`.
pub fn valid_signals() -> Result<rs_sigset> {
    let set = sys::OsSet::full().map_err(Error::os)?;
    Ok(rs_sigset::from_os(&set))
}

/// `signal.raise_signal`: no range check (the OS decides), then dispatch.
pub fn raise_signal(signum: i32) -> Result<()> {
    sys::raise(signum).map_err(|e| Error::os(e).with_signum(signum))?;
    check()
}

pub fn alarm(seconds: u32) -> Result<u32> {
    if !sys::HAS_ITIMERS {
        return Err(Error::unsupported("alarm"));
    }
    Ok(sys::alarm(seconds))
}

/// `signal.pause`, then dispatch.
pub fn pause() -> Result<()> {
    if !sys::HAS_MASKS {
        return Err(Error::unsupported("pause"));
    }
    sys::pause();
    check()
}

/// `signal.pidfd_send_signal`; `siginfo` must be NULL. No dispatch after.
pub fn pidfd_send_signal(pidfd: i32, signum: i32, siginfo_given: bool, flags: u32) -> Result<()> {
    if siginfo_given {
        return Err(Error::type_error("siginfo must be NULL"));
    }
    if !sys::HAS_PIDFD {
        return Err(Error::unsupported("pidfd_send_signal"));
    }
    sys::pidfd_send_signal(pidfd, signum, flags).map_err(|errno| {
        let mut e = Error::os(errno).with_signum(signum);
        if errno == sys::ENOSYS {
            e.status = RS_SIGNAL_EUNSUPPORTED;
        }
        e
    })
}

/// `signal.pthread_kill`, then dispatch (the signal may be for this thread).
pub fn pthread_kill(thread_id: u64, signum: i32) -> Result<()> {
    if !sys::HAS_MASKS {
        return Err(Error::unsupported("pthread_kill"));
    }
    sys::pthread_kill(thread_id, signum).map_err(|e| Error::os(e).with_signum(signum))?;
    check()
}

/// `signal.pthread_sigmask`: the mask is applied even when the dispatch that
/// follows raises; `old` is filled before that dispatch.
pub fn pthread_sigmask(how: i32, mask: &rs_sigset, old: Option<&mut rs_sigset>) -> Result<()> {
    if !sys::HAS_MASKS {
        return Err(Error::unsupported("pthread_sigmask"));
    }
    let set = mask.to_os()?;
    let prev = sys::pthread_sigmask(how, &set).map_err(Error::os)?;
    if let Some(old) = old {
        *old = rs_sigset::from_os(&prev);
    }
    check()
}

/// `signal.sigpending`.
pub fn sigpending() -> Result<rs_sigset> {
    if !sys::HAS_MASKS {
        return Err(Error::unsupported("sigpending"));
    }
    Ok(rs_sigset::from_os(&sys::sigpending().map_err(Error::os)?))
}

/// `signal.sigwait`: no retry, no dispatch.
pub fn sigwait(set: &rs_sigset) -> Result<i32> {
    if !sys::HAS_MASKS {
        return Err(Error::unsupported("sigwait"));
    }
    let os = set.to_os()?;
    sys::sigwait(&os).map_err(Error::os)
}

/// `signal.sigwaitinfo` (PEP 475: retried after EINTR when no callback raised).
pub fn sigwaitinfo(set: &rs_sigset) -> Result<rs_signal_siginfo> {
    if !sys::HAS_SIGWAITINFO {
        return Err(Error::unsupported("sigwaitinfo"));
    }
    let os = set.to_os()?;
    loop {
        match sys::sigwaitinfo(&os) {
            Ok(si) => return Ok(si),
            Err(e) if e == sys::EINTR => check()?,
            Err(e) => return Err(Error::os(e)),
        }
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

/// Nanoseconds to microseconds, rounded up (bpo-30807: 1e-7 must arm).
fn ns_to_us(ns: i64) -> i64 {
    ns.div_euclid(1000) + i64::from(ns.rem_euclid(1000) != 0)
}

fn itimer_value((delay, interval): (f64, f64)) -> rs_signal_itimer_value {
    rs_signal_itimer_value { delay, interval }
}

/// `signal.setitimer`: the OS checks `which` and negative times.
pub fn setitimer(which: i32, seconds: f64, interval: f64) -> Result<rs_signal_itimer_value> {
    if !sys::HAS_ITIMERS {
        return Err(Error::unsupported("setitimer"));
    }
    let (value, interval) = (ns_to_us(seconds_to_ns(seconds)?), ns_to_us(seconds_to_ns(interval)?));
    sys::setitimer(which, value, interval).map(itimer_value).map_err(Error::itimer)
}

/// `signal.getitimer`.
pub fn getitimer(which: i32) -> Result<rs_signal_itimer_value> {
    if !sys::HAS_ITIMERS {
        return Err(Error::unsupported("getitimer"));
    }
    sys::getitimer(which).map(itimer_value).map_err(Error::itimer)
}

/// `signal.sigtimedwait`: `None` on timeout. PEP 475: after EINTR, dispatch
/// and retry with the time left to the original deadline.
pub fn sigtimedwait(set: &rs_sigset, timeout: f64) -> Result<Option<rs_signal_siginfo>> {
    if !sys::HAS_SIGWAITINFO {
        return Err(Error::unsupported("sigtimedwait"));
    }
    let os = set.to_os()?;
    let ns = seconds_to_ns(timeout)?;
    if ns < 0 {
        return Err(Error::value("timeout must be non-negative"));
    }
    let start = Instant::now();
    let total = Duration::from_nanos(ns as u64);
    let mut left = total;
    loop {
        match sys::sigtimedwait(&os, left.as_nanos() as u64) {
            Ok(r) => return Ok(r),
            Err(e) if e == sys::EINTR => {}
            Err(e) => return Err(Error::os(e)),
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
        let (k, nonblocking) = sys::wakeup_fd_kind(fd).map_err(Error::os)?;
        if !nonblocking {
            return Err(Error::value(format!("the fd {fd} must be in non-blocking mode")));
        }
        kind = k;
    }
    Ok(asyncsafe::swap_wakeup(fd, kind, warn_on_full_buffer))
}

/// `signal.siginterrupt(signum, flag)`: toggle SA_RESTART, keep the handler.
pub fn siginterrupt(signum: i32, flag: bool) -> Result<()> {
    if !sys::HAS_SIGACTION {
        return Err(Error::unsupported("siginterrupt"));
    }
    check_range(signum)?;
    let mut g = state::lock();
    state::set_restart(&mut g, signum, !flag)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_round_up_to_the_microsecond() {
        assert_eq!(ns_to_us(seconds_to_ns(1e-7).unwrap()), 1, "1e-7 must arm, not disarm");
        assert_eq!(ns_to_us(seconds_to_ns(1.5).unwrap()), 1_500_000);
        assert_eq!(ns_to_us(seconds_to_ns(-1.0).unwrap()), -1_000_000);
        assert_eq!(ns_to_us(0), 0);
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
    #[cfg_attr(miri, ignore = "calls the C library's strsignal")]
    fn strsignal_matches_the_c_library() {
        assert!(strsignal(2).unwrap().unwrap().to_str().unwrap().contains("Interrupt"));
        assert_eq!(strsignal(32).unwrap(), None);
        assert_eq!(strsignal(34).unwrap().unwrap().to_str().unwrap(), "Real-time signal 0");
        assert_eq!(strsignal(0).unwrap_err().message, "signal number out of range");
    }
}
