//! The C ABI: every exported function. Each one checks its pointers, catches
//! panics and records failures as the calling thread's last error; the work
//! is done in `module.rs` and `beyond.rs`. Every `extern "C"` function is
//! here; the one other exported item is the core's read-only pending word
//! (`rs_signal_pending_word`, for the header's inline check).

use std::ffi::CStr;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr;

use libc::{c_char, c_int, c_uint, c_void, size_t};

use crate::beyond;
use crate::error::{self, Error, Result};
use crate::module;
use crate::names;
use crate::types::*;

/// Run `f`, turning an error into its status (recorded as the last error)
/// and a panic into RS_SIGNAL_EINTERNAL.
fn guard(f: impl FnOnce() -> Result<c_int>) -> c_int {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(Ok(v)) => v,
        Ok(Err(e)) => {
            error::set_last(&e);
            e.status
        }
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown".into());
            error::set_last(&Error::new(RS_SIGNAL_EINTERNAL, format!("internal error in rssignal: {what}")));
            RS_SIGNAL_EINTERNAL
        }
    }
}

/// Run `f` for a function without a status; a panic yields `fallback`.
fn guard_value<T>(fallback: T, f: impl FnOnce() -> T) -> T {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or(fallback)
}

/// A required input pointer.
///
/// # Safety
/// `p` is NULL or points to a valid `T` for the duration of the call.
unsafe fn required<'a, T>(p: *const T, name: &str) -> Result<&'a T> {
    // SAFETY: guaranteed by the caller.
    unsafe { p.as_ref() }.ok_or_else(|| Error::null(name))
}

/// A required output pointer.
///
/// # Safety
/// `p` is NULL or points to writable memory for a `T`.
unsafe fn required_mut<'a, T>(p: *mut T, name: &str) -> Result<&'a mut T> {
    // SAFETY: guaranteed by the caller.
    unsafe { p.as_mut() }.ok_or_else(|| Error::null(name))
}

/// Write `v` through an optional output pointer.
///
/// # Safety
/// `p` is NULL or points to writable memory for a `T`.
unsafe fn put<T>(p: *mut T, v: T) {
    // SAFETY: guaranteed by the caller.
    if let Some(p) = unsafe { p.as_mut() } {
        *p = v;
    }
}

/// The pointer parameters of the `extern "C"` functions below, borrowed
/// for the call: `arg!(p)` / `arg!(mut p)` for a required `*const T` /
/// `*mut T` (NULL returns RS_SIGNAL_EVALUE "p must not be NULL" through `?`),
/// `opt!(p)` / `opt!(mut p)` for an optional one (`Option<&T>`), and
/// `put_out!(p, v)` to store `v` through an optional output pointer.
///
/// The one SAFETY argument for all of them: they are used only on the
/// parameters of the exported function they appear in, and each such
/// function's `# Safety` section (its header documentation) requires the C
/// caller to pass NULL or a pointer valid (and writable, for output) for the
/// duration of the call.
macro_rules! arg {
    (mut $p:ident) => {
        // SAFETY: see the macro's documentation.
        unsafe { required_mut($p, stringify!($p)) }?
    };
    ($p:ident) => {
        // SAFETY: see the macro's documentation.
        unsafe { required($p, stringify!($p)) }?
    };
}

macro_rules! opt {
    (mut $p:ident) => {
        // SAFETY: see arg!'s documentation.
        unsafe { $p.as_mut() }
    };
    ($p:ident) => {
        // SAFETY: see arg!'s documentation.
        unsafe { $p.as_ref() }
    };
}

macro_rules! put_out {
    ($p:ident, $v:expr) => {{
        let v = $v;
        // SAFETY: see arg!'s documentation.
        unsafe { put($p, v) }
    }};
}

fn ok(_: ()) -> c_int {
    RS_SIGNAL_OK
}

/* ---- version, errors --------------------------------------------------- */

/// The library's version at run time, e.g. "0.2.0" (compare RSSIGNAL_VERSION_STRING).
#[no_mangle]
pub extern "C" fn rs_signal_version() -> *const c_char {
    static V: &CStr = match CStr::from_bytes_with_nul(concat!(env!("CARGO_PKG_VERSION"), "\0").as_bytes()) {
        Ok(v) => v,
        Err(_) => c"",
    };
    V.as_ptr()
}

/// Copy the calling thread's last error into `*out` (may be NULL) and return
/// its status; 0 (with message "") when no call on this thread has failed yet.
/// Successful calls leave the last error alone, like errno.
///
/// # Safety
/// `out` is NULL or points to writable memory for an rs_signal_error.
#[no_mangle]
pub unsafe extern "C" fn rs_signal_last_error(out: *mut rs_signal_error) -> c_int {
    guard_value(RS_SIGNAL_EINTERNAL, || error::fill_last(opt!(mut out)))
}

/// The name of a status: "RS_SIGNAL_EVALUE" for -1 …, "RS_SIGNAL_EUSER" for
/// any value <= -1000; NULL for values that are no status.
#[no_mangle]
pub extern "C" fn rs_signal_status_name(status: c_int) -> *const c_char {
    guard_value(ptr::null(), || error::status_name(status).map_or(ptr::null(), |s| s.as_ptr()))
}

/// The Python exception a status mirrors: "ValueError", "OSError",
/// "ItimerError", "TypeError", "OverflowError", "KeyboardInterrupt" …;
/// "" for RS_SIGNAL_OK and RS_SIGNAL_TIMEOUT; NULL for values that are no status.
#[no_mangle]
pub extern "C" fn rs_signal_status_exception(status: c_int) -> *const c_char {
    guard_value(ptr::null(), || error::status_exception_c(status).map_or(ptr::null(), |s| s.as_ptr()))
}

/* ---- dispatch ------------------------------------------------------------ */

/// The dispatch point (Python's PyErr_CheckSignals). On the main thread, runs
/// the callbacks of the signals that arrived since the last dispatch, in
/// ascending signal order, one call per signal however often it arrived.
/// Returns 0, or the status of the first callback that raised (the others
/// run at the next dispatch point). On any other thread: returns 0 and
/// touches nothing. Costs one atomic load when nothing is pending.
#[no_mangle]
pub extern "C" fn rs_signal_check() -> c_int {
    if !module::maybe_pending() {
        return RS_SIGNAL_OK;
    }
    check_slow()
}

/// Out of line, so the fast path above pays no prologue.
#[cold]
#[inline(never)]
extern "C" fn check_slow() -> c_int {
    // catch_unwind costs nothing until a panic; the Result is one word.
    match catch_unwind(module::check_slow) {
        Ok(Ok(())) => RS_SIGNAL_OK,
        Ok(Err(e)) => check_failed(e),
        Err(_) => guard(|| panic!("a panic while dispatching signals")),
    }
}

#[cold]
#[inline(never)]
fn check_failed(e: Error) -> c_int {
    error::set_last(&e);
    e.status
}

/// Containment check for tests: panics inside the FFI guard, so it returns
/// RS_SIGNAL_EINTERNAL. Only in builds with the `debug-panic` feature.
#[cfg(feature = "debug-panic")]
#[no_mangle]
pub extern "C" fn rs_signal_debug_panic() -> c_int {
    guard(|| panic!("rs_signal_debug_panic was called"))
}

/// 1 if a dispatch point on this thread would run something now, else 0.
/// Cheap; never dispatches.
#[no_mangle]
pub extern "C" fn rs_signal_pending() -> c_int {
    guard_value(0, || module::pending() as c_int)
}

/// Trip `signum` as if it had arrived, without a real signal (Python's
/// PyErr_SetInterruptEx): its flag is set and the wakeup byte written, unless
/// its handler is RS_SIG_DFL or RS_SIG_IGN. Async-signal-safe and callable
/// from any thread or from a signal handler: it never sets the last error and
/// does nothing before the library's first use. Returns RS_SIGNAL_EVALUE when
/// `signum` is out of range, else 0.
#[no_mangle]
pub extern "C" fn rs_signal_set_interrupt(signum: c_int) -> c_int {
    module::set_interrupt(signum)
}

/// Python's PyOS_InterruptOccurred: on the main thread, if SIGINT has arrived
/// since the last dispatch, clear its flag (its callback will not run for that
/// arrival) and return 1; else 0.
#[no_mangle]
pub extern "C" fn rs_signal_interrupt_occurred() -> c_int {
    guard_value(0, || module::interrupt_occurred() as c_int)
}

/// What Python does at start-up: SIGPIPE and SIGXFSZ ignored, and SIGINT gets
/// rs_signal_default_int_handler if (and only if) it is SIG_DFL. Main thread only.
#[no_mangle]
pub extern "C" fn rs_signal_install_default_handlers() -> c_int {
    guard(|| module::install_default_handlers(rs_signal_default_int_handler).map(ok))
}

/// Python's _PySignal_Fini: every signal with an rssignal callback goes back to
/// SIG_DFL, pending flags are dropped and the table is cleared (getsignal then
/// reports RS_SIGNAL_HANDLER_FOREIGN). Call it before dlclose(). Afterwards
/// rs_signal_set_interrupt trips any signal, and dispatch reports
/// "Signal N ignored due to race condition".
/// Before dlclose(): a signal the kernel began delivering before this call
/// changed the disposition can still enter rssignal's handler afterwards, on
/// a thread that was descheduled between the kernel setting up the handler's
/// frame and the handler's first instruction (no system call can tell such a
/// thread). So that unloading cannot pull the code from under it, have every
/// thread that may receive those signals block them itself first (a thread
/// running ordinary code has no such frame left), or keep the library loaded.
#[no_mangle]
pub extern "C" fn rs_signal_finalize() -> c_int {
    guard(|| module::finalize().map(ok))
}

/// Make the calling thread the main thread: the one that runs callbacks and
/// may call rs_signal_signal and rs_signal_set_wakeup_fd. Beyond CPython; for
/// Go, embedders and programs whose event loop is not the initial thread.
#[no_mangle]
pub extern "C" fn rs_signal_set_main_thread() -> c_int {
    guard(|| {
        module::set_main_thread();
        Ok(RS_SIGNAL_OK)
    })
}

/// 1 if the calling thread is the main thread, else 0.
#[no_mangle]
pub extern "C" fn rs_signal_is_main_thread() -> c_int {
    guard_value(0, || module::is_main_thread() as c_int)
}

/// The calling thread's id for rs_signal_pthread_kill (Python's threading.get_ident()).
#[no_mangle]
pub extern "C" fn rs_signal_thread_id() -> u64 {
    guard_value(0, module::thread_id)
}

/// Set the unraisable hook (Python's sys.unraisablehook); NULL restores the
/// default, which prints one line to stderr. The hook receives reports that
/// cannot be returned to a caller: wakeup-fd write failures, signals ignored
/// due to a race, invalid signal numbers skipped in a set.
#[no_mangle]
pub extern "C" fn rs_signal_set_unraisable_hook(
    hook: rs_signal_unraisable_hook,
    user_data: *mut c_void,
) -> c_int {
    guard(|| {
        crate::report::set_hook(hook, user_data);
        Ok(RS_SIGNAL_OK)
    })
}

/// Python's signal.default_int_handler as a callback: returns
/// RS_SIGNAL_EKEYBOARDINTERRUPT.
#[no_mangle]
pub extern "C" fn rs_signal_default_int_handler(signum: c_int, user_data: *mut c_void) -> c_int {
    module::default_int_handler(signum, user_data)
}

/* ---- handlers -------------------------------------------------------------- */

/// Set the handler of `signum` (Python's signal.signal). Main thread only
/// (RS_SIGNAL_EVALUE); `signum` in 1..RS_NSIG-1 (RS_SIGNAL_EVALUE); `handler`
/// RS_SIG_DFL, RS_SIG_IGN or RS_SIGNAL_HANDLER_CALLBACK with a callback
/// (RS_SIGNAL_ETYPE). Pending callbacks run first, with the old handlers; if
/// one raises, its status is returned and nothing changes. The OS refusing
/// (SIGKILL, SIGSTOP, 32, 33) is RS_SIGNAL_EOS with EINVAL. Callbacks are
/// installed with SA_ONSTACK, an empty mask and without SA_RESTART.
/// The previous handler is written to `*old` (may be NULL).
///
/// # Safety
/// `handler` is NULL or valid; `old` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn rs_signal_signal(
    signum: c_int,
    handler: *const rs_signal_handler,
    old: *mut rs_signal_handler,
) -> c_int {
    guard(|| {
        let prev = module::signal(signum, opt!(handler))?;
        put_out!(old, module::handler_to_c(prev));
        Ok(RS_SIGNAL_OK)
    })
}

/// The current handler of `signum` (Python's signal.getsignal), from any
/// thread. RS_SIGNAL_HANDLER_FOREIGN means a handler not installed through
/// rssignal (Python's None). A callback comes back with its user_data.
///
/// # Safety
/// `out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn rs_signal_getsignal(signum: c_int, out: *mut rs_signal_handler) -> c_int {
    guard(|| {
        let out = arg!(mut out);
        *out = module::handler_to_c(module::getsignal(signum)?);
        Ok(RS_SIGNAL_OK)
    })
}

/// The system's description of `signum`, e.g. "Interrupt" (Python's
/// signal.strsignal). `*description` is set to NULL when there is none (glibc's
/// 32 and 33). The string is static.
///
/// # Safety
/// `description` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn rs_signal_strsignal(signum: c_int, description: *mut *const c_char) -> c_int {
    guard(|| {
        let out = arg!(mut description);
        *out = module::strsignal(signum)?.map_or(ptr::null(), |s| s.as_ptr());
        Ok(RS_SIGNAL_OK)
    })
}

/// Every signal number valid on this platform (Python's valid_signals()).
///
/// # Safety
/// `out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn rs_signal_valid_signals(out: *mut rs_sigset) -> c_int {
    guard(|| {
        let out = arg!(mut out);
        *out = module::valid_signals()?;
        Ok(RS_SIGNAL_OK)
    })
}

/// Send `signum` to the calling thread, then dispatch (Python's
/// raise_signal): a callback's error is returned. No range check: the OS
/// refuses bad numbers (RS_SIGNAL_EOS, EINVAL); 0 succeeds.
#[no_mangle]
pub extern "C" fn rs_signal_raise_signal(signum: c_int) -> c_int {
    guard(|| module::raise_signal(signum).map(ok))
}

/// alarm(2): SIGALRM in `seconds` (0 cancels); returns the seconds that were
/// left of the previous alarm. Where the platform has no alarm (Windows) it
/// returns 0 and sets the last error to RS_SIGNAL_EUNSUPPORTED.
#[no_mangle]
pub extern "C" fn rs_signal_alarm(seconds: c_uint) -> c_uint {
    guard_value(0, || match module::alarm(seconds) {
        Ok(left) => left,
        Err(e) => {
            error::set_last(&e);
            0
        }
    })
}

/// Sleep until a signal arrives, then dispatch (Python's signal.pause):
/// returns 0 or a callback's error.
#[no_mangle]
pub extern "C" fn rs_signal_pause() -> c_int {
    guard(|| module::pause().map(ok))
}

/// pidfd_send_signal(2). `siginfo` must be NULL (RS_SIGNAL_ETYPE "siginfo must
/// be NULL", checked first). No dispatch follows: call rs_signal_check().
/// A kernel without pidfds gives RS_SIGNAL_EUNSUPPORTED (os_errno ENOSYS).
///
/// # Safety
/// Nothing is read through `siginfo`.
#[no_mangle]
pub unsafe extern "C" fn rs_signal_pidfd_send_signal(
    pidfd: c_int,
    signum: c_int,
    siginfo: *const c_void,
    flags: c_uint,
) -> c_int {
    guard(|| module::pidfd_send_signal(pidfd, signum, !siginfo.is_null(), flags).map(ok))
}

/// Send `signum` to a thread of this process (Python's pthread_kill), then
/// dispatch. `thread_id` must come from rs_signal_thread_id() of a live
/// thread (POSIX leaves dead ids undefined); 0 is refused with ESRCH.
/// `signum` 0 only checks that the thread exists.
#[no_mangle]
pub extern "C" fn rs_signal_pthread_kill(thread_id: u64, signum: c_int) -> c_int {
    guard(|| module::pthread_kill(thread_id, signum).map(ok))
}

/// Change the calling thread's signal mask (Python's pthread_sigmask), then
/// dispatch: unblocked pending signals run their callbacks before it returns.
/// `how` is RS_SIG_BLOCK, RS_SIG_UNBLOCK or RS_SIG_SETMASK (others:
/// RS_SIGNAL_EOS, EINVAL). The previous mask goes to `*old` (may be NULL),
/// and the new mask stays applied even when a callback raised.
///
/// # Safety
/// `mask` is NULL or valid; `old` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn rs_signal_pthread_sigmask(
    how: c_int,
    mask: *const rs_sigset,
    old: *mut rs_sigset,
) -> c_int {
    guard(|| {
        let mask = arg!(mask);
        module::pthread_sigmask(how, mask, opt!(mut old)).map(ok)
    })
}

/// Arm interval timer `which` (Python's setitimer): fire after `seconds`,
/// then every `interval` (0 = once; 0 seconds disarms). Times round up to the
/// next microsecond. NaN: RS_SIGNAL_EVALUE; too large: RS_SIGNAL_EOVERFLOW;
/// a bad `which` or a negative time: RS_SIGNAL_EITIMER (EINVAL). The previous
/// setting goes to `*old` (may be NULL).
///
/// # Safety
/// `old` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn rs_signal_setitimer(
    which: c_int,
    seconds: f64,
    interval: f64,
    old: *mut rs_signal_itimer_value,
) -> c_int {
    guard(|| {
        let prev = module::setitimer(which, seconds, interval)?;
        put_out!(old, prev);
        Ok(RS_SIGNAL_OK)
    })
}

/// The current setting of interval timer `which` (Python's getitimer).
///
/// # Safety
/// `out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn rs_signal_getitimer(which: c_int, out: *mut rs_signal_itimer_value) -> c_int {
    guard(|| {
        let out = arg!(mut out);
        *out = module::getitimer(which)?;
        Ok(RS_SIGNAL_OK)
    })
}

/// Set the wakeup fd (Python's set_wakeup_fd): for every arrival of a signal
/// with a callback, the handler writes one byte, the signal number, to `fd`.
/// -1 disables. Main thread only. The fd must be open (RS_SIGNAL_EOS, EBADF)
/// and non-blocking (RS_SIGNAL_EVALUE). A failed write is reported at the next
/// dispatch point through the unraisable hook; a full buffer (EAGAIN) only
/// when `warn_on_full_buffer` is non-zero. The previous fd goes to `*old_fd`
/// (may be NULL), -1 when none. An eventfd gets the 8-byte increment 1 per
/// arrival instead of the byte (its counter tells how many arrived, not which
/// signals). A socket whose peer has closed gives an EPIPE
/// report (the byte is sent with MSG_NOSIGNAL); a pipe whose read end has
/// closed raises SIGPIPE, as in CPython, which ignores SIGPIPE at start-up
/// (so does rs_signal_install_default_handlers()): keep the read end open.
/// With rssignal's handler on SIGPIPE, that SIGPIPE's own arrival writes
/// nothing to the broken pipe (it would raise the next one, for ever) until
/// the EPIPE has been reported or the fd replaced; it is still counted and
/// dispatched.
/// Once it returns, no handler writes to the previous fd any more (a handler
/// still writing to it on another thread is waited for: the length of one
/// write), so the caller may close that fd at once. Not from a signal handler.
///
/// # Safety
/// `old_fd` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn rs_signal_set_wakeup_fd(
    fd: c_int,
    warn_on_full_buffer: c_int,
    old_fd: *mut c_int,
) -> c_int {
    guard(|| {
        let prev = module::set_wakeup_fd(fd, warn_on_full_buffer != 0)?;
        put_out!(old_fd, prev);
        Ok(RS_SIGNAL_OK)
    })
}

/// Python's siginterrupt: `flag` non-zero makes system calls interrupted by
/// `signum` fail with EINTR (the default for callbacks); 0 makes them restart
/// (SA_RESTART). The handler is kept; the next rs_signal_signal() for the
/// signal makes it interruptible again.
#[no_mangle]
pub extern "C" fn rs_signal_siginterrupt(signum: c_int, flag: c_int) -> c_int {
    guard(|| module::siginterrupt(signum, flag != 0).map(ok))
}

/// The signals pending for this thread or the process (Python's sigpending).
///
/// # Safety
/// `out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn rs_signal_sigpending(out: *mut rs_sigset) -> c_int {
    guard(|| {
        let out = arg!(mut out);
        *out = module::sigpending()?;
        Ok(RS_SIGNAL_OK)
    })
}

/// Wait for a signal of `set` (which the caller has blocked) and store its
/// number in `*signum` (Python's sigwait). No callback runs.
///
/// # Safety
/// `set` is NULL or valid; `signum` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn rs_signal_sigwait(set: *const rs_sigset, signum: *mut c_int) -> c_int {
    guard(|| {
        let set = arg!(set);
        let out = arg!(mut signum);
        *out = module::sigwait(set)?;
        Ok(RS_SIGNAL_OK)
    })
}

/// Like rs_signal_sigwait, filling `*info` (Python's sigwaitinfo). When
/// another signal interrupts the wait its callback runs; if it raises, its
/// status is returned, else the wait goes on (PEP 475).
///
/// # Safety
/// `set` is NULL or valid; `info` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn rs_signal_sigwaitinfo(set: *const rs_sigset, info: *mut rs_signal_siginfo) -> c_int {
    guard(|| {
        let set = arg!(set);
        let out = arg!(mut info);
        *out = module::sigwaitinfo(set)?;
        Ok(RS_SIGNAL_OK)
    })
}

/// Like rs_signal_sigwaitinfo with a timeout in seconds (Python's
/// sigtimedwait): RS_SIGNAL_OK with `*info` filled, or RS_SIGNAL_TIMEOUT.
/// Interruptions keep the original deadline. A negative timeout is
/// RS_SIGNAL_EVALUE "timeout must be non-negative", NaN RS_SIGNAL_EVALUE,
/// too large RS_SIGNAL_EOVERFLOW, all before any system call.
///
/// # Safety
/// `set` is NULL or valid; `info` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn rs_signal_sigtimedwait(
    set: *const rs_sigset,
    timeout: f64,
    info: *mut rs_signal_siginfo,
) -> c_int {
    guard(|| {
        let set = arg!(set);
        let out = arg!(mut info);
        match module::sigtimedwait(set, timeout)? {
            Some(si) => {
                *out = si;
                Ok(RS_SIGNAL_OK)
            }
            None => Ok(RS_SIGNAL_TIMEOUT),
        }
    })
}

/// The C library's SIGRTMIN at run time (34 on glibc, 35 on musl, 65 on
/// FreeBSD); 0 where the platform has no real-time signals (macOS, Windows).
#[no_mangle]
pub extern "C" fn rs_signal_sigrtmin() -> c_int {
    guard_value(0, names::sigrtmin)
}

/// The C library's SIGRTMAX at run time; 0 where there are no real-time signals.
#[no_mangle]
pub extern "C" fn rs_signal_sigrtmax() -> c_int {
    guard_value(0, names::sigrtmax)
}

/* ---- names and constants ----------------------------------------------------- */

/// The canonical name of `signum` as Python's Signals enum has it ("SIGABRT"
/// for 6, "SIGCHLD" for 17, "SIGRTMIN", "SIGRTMAX"; beyond CPython
/// "SIGRTMIN+n" between them); NULL for other numbers. The string is static.
#[no_mangle]
pub extern "C" fn rs_signal_name(signum: c_int) -> *const c_char {
    guard_value(ptr::null(), || names::name(signum).map_or(ptr::null(), |s| s.as_ptr()))
}

/// The number of a signal name: every member and alias ("SIGINT", "SIGIOT",
/// "SIGRTMIN", "SIGRTMIN+3", "SIGRTMAX-1"). Unknown: RS_SIGNAL_EVALUE.
///
/// # Safety
/// `name` is NULL or a NUL-terminated string; `signum` NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn rs_signal_from_name(name: *const c_char, signum: *mut c_int) -> c_int {
    guard(|| {
        if name.is_null() {
            return Err(Error::null("name"));
        }
        let out = arg!(mut signum);
        // SAFETY: name is non-NULL and NUL-terminated, as the caller guarantees.
        let s = unsafe { CStr::from_ptr(name) };
        let s = s.to_str().map_err(|_| Error::value("signal name is not valid UTF-8"))?;
        *out = names::from_name(s)?;
        Ok(RS_SIGNAL_OK)
    })
}

/// How many constants rs_signal_constant_at() lists.
#[no_mangle]
pub extern "C" fn rs_signal_constant_count() -> size_t {
    guard_value(0, || names::constants().len())
}

/// Constant number `index` (0 .. count-1) of the module: NSIG, SIG_DFL,
/// SIG_IGN, SIG_BLOCK, SIG_UNBLOCK, SIG_SETMASK, ITIMER_*, every signal name
/// with its aliases, SIGRTMIN and SIGRTMAX. `name` and `value` may be NULL.
///
/// # Safety
/// `name` and `value` are NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn rs_signal_constant_at(
    index: size_t,
    name: *mut *const c_char,
    value: *mut c_int,
) -> c_int {
    guard(|| {
        let all = names::constants();
        let (n, v) = all.get(index).ok_or_else(|| {
            Error::value(format!("constant index {index} out of range [0; {}]", all.len() as i64 - 1))
        })?;
        put_out!(name, n.as_ptr());
        put_out!(value, *v);
        Ok(RS_SIGNAL_OK)
    })
}

/* ---- signal sets -------------------------------------------------------------- */

/// Make `*set` empty.
///
/// # Safety
/// `set` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn rs_sigset_empty(set: *mut rs_sigset) -> c_int {
    guard(|| {
        *arg!(mut set) = rs_sigset::new();
        Ok(RS_SIGNAL_OK)
    })
}

/// Add `signum` (RS_SIGNAL_EVALUE "signal number N out of range [1; 64]").
///
/// # Safety
/// `set` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn rs_sigset_add(set: *mut rs_sigset, signum: c_int) -> c_int {
    guard(|| arg!(mut set).add(signum).map(ok))
}

/// Remove `signum` (same range as rs_sigset_add).
///
/// # Safety
/// `set` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn rs_sigset_del(set: *mut rs_sigset, signum: c_int) -> c_int {
    guard(|| arg!(mut set).del(signum).map(ok))
}

/// 1 if `signum` is in `*set`, 0 if not, a negative status on bad input.
///
/// # Safety
/// `set` is NULL or valid.
#[no_mangle]
pub unsafe extern "C" fn rs_sigset_contains(set: *const rs_sigset, signum: c_int) -> c_int {
    guard(|| arg!(set).contains(signum).map(c_int::from))
}

/// The number of members, or a negative status.
///
/// # Safety
/// `set` is NULL or valid.
#[no_mangle]
pub unsafe extern "C" fn rs_sigset_count(set: *const rs_sigset) -> c_int {
    guard(|| Ok(arg!(set).count()))
}

/// The smallest member greater than `after`, 0 when none, or a negative
/// status: `for (s = rs_sigset_next(&set, 0); s > 0; s = rs_sigset_next(&set, s))`.
///
/// # Safety
/// `set` is NULL or valid.
#[no_mangle]
pub unsafe extern "C" fn rs_sigset_next(set: *const rs_sigset, after: c_int) -> c_int {
    guard(|| Ok(arg!(set).next(after)))
}

/// Build `*out` from `count` signal numbers (`signums` may be NULL when
/// `count` is 0). Any number out of range: RS_SIGNAL_EVALUE, `*out` untouched.
///
/// # Safety
/// `signums` points to `count` ints (or is NULL with count 0); `out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn rs_sigset_from_array(
    signums: *const c_int,
    count: size_t,
    out: *mut rs_sigset,
) -> c_int {
    guard(|| {
        let out = arg!(mut out);
        let items: &[c_int] = if count == 0 {
            &[]
        } else if signums.is_null() {
            return Err(Error::null("signums"));
        } else {
            // SAFETY: the caller guarantees `count` readable ints.
            unsafe { std::slice::from_raw_parts(signums, count) }
        };
        *out = rs_sigset::from_slice(items)?;
        Ok(RS_SIGNAL_OK)
    })
}

/* ---- beyond CPython: delivery records, listeners, channels, restore, stats ---- */

/// Who sent the signal being dispatched, and how many arrivals this dispatch
/// stands for. Inside a callback or listener, on the dispatching (main)
/// thread, fills `*out` for the signal being dispatched (the innermost, in a
/// nested dispatch) and returns RS_SIGNAL_OK; anywhere else
/// RS_SIGNAL_EVALUE "no signal is being dispatched".
///
/// `arrivals` counts the handler entries since the signal's previous dispatch
/// (coalesced: one callback call stands for all of them);
/// rs_signal_set_interrupt() and rs_signal_raise_signal() count as one each.
/// The other fields are those of the latest arrival, read when you call
/// this: an arrival during the callback (which will be dispatched again)
/// may already show there. `first_ns` is never after `last_ns`.
///
/// # Safety
/// `out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn rs_signal_delivery_info(out: *mut rs_signal_delivery) -> c_int {
    guard(|| {
        let v = beyond::delivery_info()?;
        *arg!(mut out) = v;
        Ok(RS_SIGNAL_OK)
    })
}

/// Add a listener: `cb(signum, user_data)` runs at dispatch on the main
/// thread after the signal's callback (if any), in the order listeners were
/// added; it does not replace the handler. Any thread may call this. Flags:
/// RS_SIGNAL_LISTENER_ONESHOT (removed before its first call); others are
/// RS_SIGNAL_EVALUE. A raising listener (non-zero return) stops the scan
/// like a callback; the listeners after it run at the next dispatch point.
///
/// While a signal has a listener or a channel, rssignal's handler is its OS
/// disposition: RS_SIG_DFL / RS_SIG_IGN in the handler table are then inert
/// (rs_signal_getsignal still reports them). When the last listener and
/// channel go, the disposition becomes what the table says again, with the
/// guest's care of rs_signal_restore(): if someone else has replaced
/// rssignal's handler meanwhile, theirs stays (and a table entry that only
/// mirrored the OS becomes RS_SIGNAL_HANDLER_FOREIGN); an RS_SIG_DFL /
/// RS_SIG_IGN that rs_signal_signal() set is installed; any other entry
/// gets back the disposition rssignal's handler replaced when it went in
/// (a host's handler installed after rssignal read its table included).
/// Listeners survive rs_signal_signal(); rs_signal_finalize() and
/// rs_signal_restore() remove them. At most RS_SIGNAL_MAX_LISTENERS per
/// process (RS_SIGNAL_EOS, ENOSPC beyond). SIGKILL, SIGSTOP and numbers the
/// OS refuses: RS_SIGNAL_EOS (EINVAL), nothing changed. The new id goes to
/// `*id` (may be NULL).
///
/// # Safety
/// `id` is NULL or writable; `cb` is a valid callback for `user_data`.
#[no_mangle]
pub unsafe extern "C" fn rs_signal_add_listener(
    signum: c_int,
    cb: rs_signal_callback,
    user_data: *mut c_void,
    flags: c_uint,
    id: *mut rs_signal_listener_id,
) -> c_int {
    guard(|| {
        let new = beyond::add_listener(signum, cb, user_data as usize, flags)?;
        put_out!(id, new);
        Ok(RS_SIGNAL_OK)
    })
}

/// Remove a listener (any thread; also from inside a callback or listener,
/// also its own). Once this returns the listener is never called again, even
/// later in the same dispatch; called from another thread while the listener
/// runs, it waits for that call to return. Unknown id: RS_SIGNAL_EVALUE
/// "no such listener".
#[no_mangle]
pub extern "C" fn rs_signal_remove_listener(id: rs_signal_listener_id) -> c_int {
    guard(|| beyond::remove_listener(id).map(ok))
}

/// Open a channel for the signals of `*signals`: every arrival of them is
/// counted in the channel, independently of the main-thread dispatch and of
/// every other channel; a channel never runs callbacks and never needs the
/// main thread. Poll rs_signal_channel_fd() for readability and call
/// rs_signal_channel_read(). `flags` must be 0. Bad input changes nothing:
/// NULL (RS_SIGNAL_ETYPE), an empty set or numbers out of range
/// (RS_SIGNAL_EVALUE), SIGKILL/SIGSTOP or numbers the OS refuses
/// (RS_SIGNAL_EOS, EINVAL). At most RS_SIGNAL_MAX_CHANNELS open at once
/// (RS_SIGNAL_EOS, ENOSPC). Any thread may open, read and close; one thread
/// at a time per channel.
///
/// # Safety
/// `signals` is NULL or valid; `out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn rs_signal_channel_open(
    signals: *const rs_sigset,
    flags: c_uint,
    out: *mut *mut rs_signal_channel,
) -> c_int {
    guard(|| {
        let signals = arg!(signals);
        let out = arg!(mut out);
        let ch = beyond::channel_open(signals, flags)?;
        *out = Box::into_raw(ch).cast::<rs_signal_channel>();
        Ok(RS_SIGNAL_OK)
    })
}

/// The channel's fd: poll it for readability; do not read it yourself. It
/// becomes readable when the channel goes from empty to non-empty, and
/// unreadable when rs_signal_channel_read() empties the channel (an eventfd
/// on Linux, a pipe elsewhere). NULL: RS_SIGNAL_ETYPE.
///
/// # Safety
/// `ch` is NULL or an open channel.
#[no_mangle]
pub unsafe extern "C" fn rs_signal_channel_fd(ch: *const rs_signal_channel) -> c_int {
    guard(|| {
        // SAFETY: `ch` is NULL or a channel from rs_signal_channel_open not
        // yet closed (the caller's promise): a live beyond::Channel.
        let ch = unsafe { required(ch.cast::<beyond::Channel>(), "ch") }?;
        Ok(ch.fd())
    })
}

/// Move up to `max` records into `out`: one per signal pending in this
/// channel, in ascending signal order, with the fields of
/// rs_signal_delivery_info() (`arrivals`: how many arrived since the last
/// read). Never blocks; `*count` gets how many were written. `max == 0` is
/// RS_SIGNAL_OK with `*count = 0` (`out` may then be NULL).
///
/// # Safety
/// `ch` is NULL or an open channel; `out` has room for `max` records;
/// `count` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn rs_signal_channel_read(
    ch: *mut rs_signal_channel,
    out: *mut rs_signal_delivery,
    max: size_t,
    count: *mut size_t,
) -> c_int {
    guard(|| {
        // SAFETY: `ch` is NULL or a channel from rs_signal_channel_open not
        // yet closed, used by one thread at a time (the caller's promise).
        let ch = unsafe { required_mut(ch.cast::<beyond::Channel>(), "ch") }?;
        let count = arg!(mut count);
        let records: &mut [rs_signal_delivery] = if max == 0 {
            &mut []
        } else if out.is_null() {
            return Err(Error::null("out"));
        } else {
            // SAFETY: the caller guarantees room for `max` records.
            unsafe { std::slice::from_raw_parts_mut(out, max) }
        };
        *count = beyond::channel_read(ch, records)?;
        Ok(RS_SIGNAL_OK)
    })
}

/// Close a channel and free it; its signals' dispositions follow the rules of
/// rs_signal_add_listener(). A closed channel must not be used again (like
/// memory after free()). NULL: RS_SIGNAL_ETYPE.
///
/// # Safety
/// `ch` is NULL or an open channel, not used again afterwards.
#[no_mangle]
pub unsafe extern "C" fn rs_signal_channel_close(ch: *mut rs_signal_channel) -> c_int {
    guard(|| {
        if ch.is_null() {
            return Err(Error::null("ch"));
        }
        // SAFETY: a non-NULL `ch` came from rs_signal_channel_open's Box.
        let ch = unsafe { Box::from_raw(ch.cast::<beyond::Channel>()) };
        beyond::channel_close(*ch).map(ok)
    })
}

/// Give back what rssignal took: for `signum` (0 = every signal rssignal
/// ever changed), put back the whole OS disposition it found before its
/// first change (handler or SA_SIGINFO action, flags including
/// SA_RESETHAND/SA_ONSTACK, mask), but only if the current disposition is
/// still rssignal's own (its handler, or the SIG_DFL/SIG_IGN that the last
/// rs_signal_signal set). If someone else has replaced it since, theirs
/// stays and the call returns RS_SIGNAL_OK with nothing changed for that
/// signal. Restored signals lose their waiting arrivals, listeners and
/// channel subscriptions, and their table entry becomes what was restored
/// (RS_SIGNAL_HANDLER_FOREIGN, RS_SIG_DFL or RS_SIG_IGN). The first record is
/// kept for good: a later install never overwrites it. For rssignal as a
/// guest in someone else's process: a plug-in, a binding, a test harness
/// (rs_signal_finalize keeps CPython's behaviour, back to SIG_DFL).
/// Out of range: RS_SIGNAL_EVALUE.
/// Before dlclose(): a signal the kernel began delivering before this call
/// changed the disposition can still enter rssignal's handler afterwards, on
/// a thread that was descheduled between the kernel setting up the handler's
/// frame and the handler's first instruction (no system call can tell such a
/// thread). So that unloading cannot pull the code from under it, have every
/// thread that may receive those signals block them itself first (a thread
/// running ordinary code has no such frame left), or keep the library loaded.
#[no_mangle]
pub extern "C" fn rs_signal_restore(signum: c_int) -> c_int {
    guard(|| beyond::restore(signum).map(ok))
}

/// Counters of `signum` since the library started: exact counts, any thread,
/// any time. Out of 1..RS_NSIG-1 (0 included): RS_SIGNAL_EVALUE "signal
/// number out of range".
///
/// # Safety
/// `out` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn rs_signal_get_stats(signum: c_int, out: *mut rs_signal_stats) -> c_int {
    guard(|| {
        let v = beyond::get_stats(signum)?;
        *arg!(mut out) = v;
        Ok(RS_SIGNAL_OK)
    })
}
