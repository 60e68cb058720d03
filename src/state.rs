//! Process-wide state outside signal context: the handler table (Python's
//! `Handlers[i].func`), lazy initialisation from the OS dispositions, the
//! main thread, the fork hooks and the unraisable hook.
//!
//! Writers take `LOCK`, a spin lock that the fork hooks can hand over to the
//! child. Dispatch reads the table with atomics and no lock.

use std::sync::atomic::{AtomicBool, AtomicI32, AtomicPtr, AtomicU64, AtomicU8, AtomicUsize, Ordering};

use crate::asyncsafe;
use crate::types::*;

/* ---- a fork-safe spin lock --------------------------------------------- */

static LOCK: AtomicBool = AtomicBool::new(false);

/// Holds `LOCK` until dropped.
pub(crate) struct Guard(());

pub(crate) fn lock() -> Guard {
    let mut spins = 0u32;
    while LOCK.compare_exchange_weak(false, true, Ordering::Acquire, Ordering::Relaxed).is_err() {
        spins += 1;
        if spins < 64 {
            std::hint::spin_loop();
        } else {
            std::thread::yield_now();
        }
    }
    Guard(())
}

impl Drop for Guard {
    fn drop(&mut self) {
        LOCK.store(false, Ordering::Release);
    }
}

/* ---- the handler table -------------------------------------------------- */

/// A handler table entry.
#[derive(Clone, Copy, Debug)]
pub enum Handler {
    Default,
    Ignore,
    Callback(unsafe extern "C" fn(libc::c_int, *mut libc::c_void) -> libc::c_int, usize),
    /// Not installed through rssignal (Python's None), or cleared by finalize.
    Foreign,
}

impl Handler {
    /// The RS_SIG_DFL / RS_SIG_IGN / RS_SIGNAL_HANDLER_* kind.
    pub fn kind(&self) -> i32 {
        match self {
            Handler::Default => RS_SIG_DFL,
            Handler::Ignore => RS_SIG_IGN,
            Handler::Callback(..) => RS_SIGNAL_HANDLER_CALLBACK,
            Handler::Foreign => RS_SIGNAL_HANDLER_FOREIGN,
        }
    }
}

struct Entry {
    kind: AtomicI32,
    callback: AtomicUsize,
    user_data: AtomicPtr<libc::c_void>,
}

const N: usize = RS_NSIG as usize;

static TABLE: [Entry; N] = [const {
    Entry {
        kind: AtomicI32::new(RS_SIGNAL_HANDLER_FOREIGN),
        callback: AtomicUsize::new(0),
        user_data: AtomicPtr::new(std::ptr::null_mut()),
    }
}; N];

/// Read entry `signum` (1..NSIG). Lock-free: the writers are the main thread
/// (which is also the only dispatcher) and finalize.
pub(crate) fn get(signum: i32) -> Handler {
    let e = &TABLE[signum as usize];
    match e.kind.load(Ordering::Acquire) {
        RS_SIG_DFL => Handler::Default,
        RS_SIG_IGN => Handler::Ignore,
        RS_SIGNAL_HANDLER_CALLBACK => {
            let f = e.callback.load(Ordering::Acquire);
            let data = e.user_data.load(Ordering::Acquire) as usize;
            if f == 0 {
                return Handler::Foreign;
            }
            // SAFETY: a non-zero value stored in `callback` always came from
            // a valid `unsafe extern "C" fn(c_int, *mut c_void) -> c_int`.
            let f: unsafe extern "C" fn(libc::c_int, *mut libc::c_void) -> libc::c_int =
                unsafe { std::mem::transmute::<usize, _>(f) };
            Handler::Callback(f, data)
        }
        _ => Handler::Foreign,
    }
}

/// Read entry `signum` consistently from any thread.
pub(crate) fn get_locked(signum: i32) -> Handler {
    let _g = lock();
    get(signum)
}

/// Write entry `signum`; the caller holds the lock.
pub(crate) fn put(_g: &Guard, signum: i32, h: Handler) {
    let e = &TABLE[signum as usize];
    // Mark it foreign while the pair changes, so a reader never pairs a new
    // callback with old data.
    e.kind.store(RS_SIGNAL_HANDLER_FOREIGN, Ordering::Release);
    let (f, data) = match h {
        Handler::Callback(f, data) => (f as usize, data),
        _ => (0, 0),
    };
    e.callback.store(f, Ordering::Release);
    e.user_data.store(data as *mut libc::c_void, Ordering::Release);
    e.kind.store(h.kind(), Ordering::Release);
}

/// Quick kind read for the async-signal-safe `set_interrupt`.
pub(crate) fn kind_relaxed(signum: i32) -> i32 {
    TABLE[signum as usize].kind.load(Ordering::Relaxed)
}

/* ---- initialisation ------------------------------------------------------ */

const UNINIT: u8 = 0;
const READY: u8 = 2;
static STATE: AtomicU8 = AtomicU8::new(UNINIT);
static FINALIZED: AtomicBool = AtomicBool::new(false);
static ATFORK: AtomicBool = AtomicBool::new(false);

pub(crate) fn is_ready() -> bool {
    STATE.load(Ordering::Acquire) == READY
}

pub(crate) fn is_finalized() -> bool {
    FINALIZED.load(Ordering::Acquire)
}

/// Read the table from the OS dispositions on first use (CPython does this
/// when `signal` is imported): SIG_DFL, SIG_IGN, or foreign.
#[inline]
pub(crate) fn ensure_init() {
    if STATE.load(Ordering::Acquire) != READY {
        init_slow();
    }
}

#[cold]
fn init_slow() {
    register_atfork();
    let g = lock();
    if STATE.load(Ordering::Acquire) == READY {
        return;
    }
    for s in 1..RS_NSIG {
        put(&g, s, os_disposition(s));
    }
    STATE.store(READY, Ordering::Release);
}

/// What the OS has for `signum`, in table terms.
pub(crate) fn os_disposition(signum: i32) -> Handler {
    // SAFETY: an all-zero sigaction is a valid out-parameter.
    let mut old: libc::sigaction = unsafe { std::mem::zeroed() };
    // SAFETY: querying only (act is NULL); old is a valid out-pointer.
    let rc = unsafe { libc::sigaction(signum, std::ptr::null(), &mut old) };
    if rc != 0 {
        return Handler::Foreign;
    }
    match old.sa_sigaction {
        libc::SIG_DFL => Handler::Default,
        libc::SIG_IGN => Handler::Ignore,
        _ => Handler::Foreign,
    }
}

/// finalize: mark the table cleared (CPython sets every entry to NULL).
pub(crate) fn mark_finalized() {
    FINALIZED.store(true, Ordering::Release);
}

/* ---- threads ------------------------------------------------------------- */

/// `pthread_self()` of the main thread; 0 until known. A pthread_t compare
/// is one `%fs` load, where a thread-local in a shared library costs a
/// `__tls_get_addr` call: this is on every dispatch.
static MAIN_THREAD: AtomicU64 = AtomicU64::new(0);

fn gettid() -> i32 {
    // SAFETY: gettid has no preconditions.
    unsafe { libc::syscall(libc::SYS_gettid) as i32 }
}

fn self_id() -> u64 {
    // SAFETY: pthread_self has no preconditions.
    unsafe { libc::pthread_self() as u64 }
}

/// Python's `_PyOS_IsMainThread`. The main thread is the process's initial
/// thread (its kernel tid equals the pid) until `rs_signal_set_main_thread`.
#[inline]
pub(crate) fn is_main_thread() -> bool {
    let me = self_id();
    let main = MAIN_THREAD.load(Ordering::Acquire);
    if main != 0 {
        return me == main;
    }
    identify_main_thread(me)
}

#[cold]
fn identify_main_thread(me: u64) -> bool {
    register_atfork();
    // SAFETY: getpid has no preconditions.
    if gettid() != unsafe { libc::getpid() } {
        return false;
    }
    // This is the initial thread; unless another thread just named itself.
    match MAIN_THREAD.compare_exchange(0, me, Ordering::AcqRel, Ordering::Acquire) {
        Ok(_) => true,
        Err(main) => main == me,
    }
}

/// `rs_signal_set_main_thread`: the calling thread becomes the main thread.
pub(crate) fn set_main_thread() {
    register_atfork();
    MAIN_THREAD.store(self_id(), Ordering::Release);
}

/* ---- fork ------------------------------------------------------------------ */

fn register_atfork() {
    if ATFORK.swap(true, Ordering::AcqRel) {
        return;
    }
    // SAFETY: the three hooks are plain extern "C" functions of this library.
    // glibc ties them to this DSO, so dlclose unregisters them.
    unsafe { libc::pthread_atfork(Some(before_fork), Some(after_fork_parent), Some(after_fork_child)) };
}

extern "C" fn before_fork() {
    // Hold the lock across fork so the child never inherits it half-taken.
    std::mem::forget(lock());
}

extern "C" fn after_fork_parent() {
    LOCK.store(false, Ordering::Release);
}

extern "C" fn after_fork_child() {
    // The child starts with no tripped flags (CPython's _PySignal_AfterFork),
    // and the thread that called fork() is its main thread.
    asyncsafe::clear_all();
    MAIN_THREAD.store(self_id(), Ordering::Release);
    LOCK.store(false, Ordering::Release);
}

/* ---- the unraisable hook --------------------------------------------------- */

static HOOK: AtomicUsize = AtomicUsize::new(0);
static HOOK_DATA: AtomicUsize = AtomicUsize::new(0);

pub(crate) fn set_hook(hook: rs_signal_unraisable_hook, data: *mut libc::c_void) {
    let _g = lock();
    HOOK.store(hook.map_or(0, |f| f as usize), Ordering::Release);
    HOOK_DATA.store(data as usize, Ordering::Release);
}

pub(crate) type HookFn = unsafe extern "C" fn(*const rs_signal_unraisable, *mut libc::c_void);

pub(crate) fn hook() -> Option<(HookFn, *mut libc::c_void)> {
    let _g = lock();
    let f = HOOK.load(Ordering::Acquire);
    if f == 0 {
        return None;
    }
    // SAFETY: a non-zero HOOK always came from a valid HookFn.
    let f: HookFn = unsafe { std::mem::transmute::<usize, HookFn>(f) };
    Some((f, HOOK_DATA.load(Ordering::Acquire) as *mut libc::c_void))
}
