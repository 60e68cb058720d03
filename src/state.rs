//! Process-wide state outside signal context: the handler table (Python's
//! `Handlers[i].func`), the listeners, the original OS disposition of every
//! signal rssignal changed, lazy initialisation, the main thread, the fork
//! hooks, the dispatch frame, and the one install transaction that turns
//! all of it into an OS disposition ([`apply`]).
//!
//! Writers take `LOCK`, a spin lock that the fork hooks can hand over to the
//! child. Dispatch reads the table and the listener counts with atomics and
//! no lock.

use std::cell::UnsafeCell;
use std::sync::atomic::{
    AtomicBool, AtomicI32, AtomicPtr, AtomicU32, AtomicU64, AtomicU8, AtomicUsize, Ordering,
};

use crate::asyncsafe::{self, SLOTS};
use crate::error::{Error, Result};
use crate::sys::{self, Action, Disposition};
use crate::types::*;

/* ---- a fork-safe spin lock --------------------------------------------- */

static LOCK: AtomicBool = AtomicBool::new(false);

/// Holds `LOCK` until dropped.
pub(crate) struct Guard(());

pub(crate) fn lock() -> Guard {
    asyncsafe::spin_while(|| {
        LOCK.compare_exchange_weak(false, true, Ordering::Acquire, Ordering::Relaxed).is_err()
    });
    Guard(())
}

impl Drop for Guard {
    fn drop(&mut self) {
        LOCK.store(false, Ordering::Release);
    }
}

/// Data reached only through a held [`Guard`] (`&mut`, so one borrow at a time).
struct Locked<T>(UnsafeCell<T>);

// SAFETY: every access goes through `get`, which needs the exclusive borrow
// of a Guard, i.e. LOCK held by this thread.
unsafe impl<T: Send> Sync for Locked<T> {}

impl<T> Locked<T> {
    const fn new(v: T) -> Locked<T> {
        Locked(UnsafeCell::new(v))
    }
    fn get<'a>(&'a self, _g: &'a mut Guard) -> &'a mut T {
        // SAFETY: LOCK is held (the guard exists) and the guard is borrowed
        // mutably for as long as the reference lives, so no second one exists.
        unsafe { &mut *self.0.get() }
    }
}

/* ---- the handler table -------------------------------------------------- */

/// A C callback with its user data.
pub type CallbackFn = unsafe extern "C" fn(libc::c_int, *mut libc::c_void) -> libc::c_int;

/// A handler table entry.
#[derive(Clone, Copy, Debug)]
pub enum Handler {
    Default,
    Ignore,
    Callback(CallbackFn, usize),
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

static TABLE: [Entry; SLOTS] = [const {
    Entry {
        kind: AtomicI32::new(RS_SIGNAL_HANDLER_FOREIGN),
        callback: AtomicUsize::new(0),
        user_data: AtomicPtr::new(std::ptr::null_mut()),
    }
}; SLOTS];

/// Read entry `signum` (1..NSIG). Lock-free: the writers hold the lock and
/// mark the entry foreign while its pair changes.
#[inline]
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
            // a valid CallbackFn.
            let f: CallbackFn = unsafe { std::mem::transmute::<usize, CallbackFn>(f) };
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

/// Write entry `signum`. The caller holds the lock.
fn put(signum: i32, h: Handler) {
    let e = &TABLE[signum as usize];
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

/* ---- per-signal OS state and listeners (under the lock) -------------------- */

/// What rssignal last made the OS disposition of a signal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Set {
    Nothing,
    Ours,
    Default,
    Ignore,
    /// The original put back (restore).
    Original,
    /// Someone else's disposition left in place or put back: what rssignal's
    /// handler had displaced when its last listener or channel went.
    Theirs,
}

#[derive(Clone, Copy)]
struct OsState {
    /// The whole disposition found before rssignal's first change; kept for good.
    original: Option<Disposition>,
    set: Set,
    /// SA_RESTART for our handler (siginterrupt(s, 0)); signal() clears it.
    restart: bool,
    /// The disposition rssignal's handler replaced the latest time it went
    /// in (the original, or a host's newer handler).
    displaced: Option<Disposition>,
    /// The table entry was set by rs_signal_signal (or rssignal's start-up),
    /// not only read from the OS at initialisation.
    chosen: bool,
}

struct Listener {
    id: u64,
    signum: i32,
    callback: CallbackFn,
    user_data: usize,
    oneshot: bool,
}

struct Shared {
    os: [OsState; SLOTS],
    listeners: Vec<Listener>,
    next_id: u64,
}

static SHARED: Locked<Shared> = Locked::new(Shared {
    os: [OsState { original: None, set: Set::Nothing, restart: false, displaced: None, chosen: false };
        SLOTS],
    listeners: Vec::new(),
    next_id: 1,
});

/// Listeners per signal, readable without the lock by dispatch.
static LISTENER_COUNT: [AtomicU32; SLOTS] = [const { AtomicU32::new(0) }; SLOTS];

/// How many listeners were ever added: the dispatcher looks for another
/// listener after a call only when the last lookup saw one or one was added
/// since (so the last call of a dispatch costs no second lookup).
static LISTENERS_ADDED: AtomicU64 = AtomicU64::new(0);

/// The listener being called by the dispatcher (0 when none): removal from
/// another thread waits for that call to end.
static CALLING: AtomicU64 = AtomicU64::new(0);

#[inline]
pub(crate) fn has_listeners(signum: i32) -> bool {
    LISTENER_COUNT[signum as usize].load(Ordering::Acquire) != 0
}

/* ---- the install transaction ------------------------------------------------ */

/// What a table entry change asks of [`apply`].
pub(crate) enum Change {
    /// Keep the entry; recompute the disposition (listeners or channels changed).
    Keep,
    /// A new entry from rs_signal_signal (resets SA_RESTART).
    Entry(Handler),
}

/// The one install transaction: make the OS disposition of `signum` what
/// the table entry, its listeners and its channels call for, recording the
/// original disposition before rssignal's first change. On error nothing
/// has changed.
///
/// - a callback, a listener or a channel: rssignal's handler (SA_SIGINFO |
///   SA_ONSTACK, empty mask, SA_RESTART only after siginterrupt(s, 0));
/// - otherwise, for a new entry, DFL or IGN as it says;
/// - otherwise (the last listener or channel went, `Change::Keep`): if the
///   OS disposition is no longer rssignal's handler, it is someone else's
///   and stays; else a DFL/IGN entry that rs_signal_signal chose is
///   installed, and any other entry gets back what rssignal's handler
///   displaced when it went in (the host's handler, not a stale table
///   entry read before the host installed it).
pub(crate) fn apply(g: &mut Guard, signum: i32, change: Change) -> Result<()> {
    let old_entry = get(signum);
    let mut entry = match change {
        Change::Keep => old_entry,
        Change::Entry(h) => h,
    };
    let reset = matches!(change, Change::Entry(_));
    let forward = matches!(entry, Handler::Callback(..)) || has_listeners(signum);
    let ours = forward || asyncsafe::has_channels(signum);
    let shared = SHARED.get(g);
    let st = &mut shared.os[signum as usize];
    let restart = st.restart && !reset;
    let chosen = reset || st.chosen;
    let (target, set) = if ours {
        (Some(asyncsafe::handler_disposition(restart)), Set::Ours)
    } else if reset {
        match entry {
            Handler::Default => (Some(Disposition::default_action()), Set::Default),
            Handler::Ignore => (Some(Disposition::ignore()), Set::Ignore),
            _ => (None, st.set),
        }
    } else if st.set == Set::Ours {
        let current = Disposition::query(signum).map_err(|e| Error::os(e).with_signum(signum))?;
        if !asyncsafe::is_our_handler(current.action()) {
            // Replaced by someone else since: theirs stays.
            if !chosen {
                entry = table_entry_of(current.action());
            }
            (None, Set::Theirs)
        } else {
            match (entry, st.displaced) {
                (Handler::Default, _) if chosen => (Some(Disposition::default_action()), Set::Default),
                (Handler::Ignore, _) if chosen => (Some(Disposition::ignore()), Set::Ignore),
                (_, Some(d)) => {
                    entry = table_entry_of(d.action());
                    (Some(d), Set::Theirs)
                }
                (Handler::Ignore, None) => (Some(Disposition::ignore()), Set::Ignore),
                _ => (Some(Disposition::default_action()), Set::Default),
            }
        }
    } else {
        (None, st.set)
    };
    if ours {
        // Table and forwarding first: an arrival right after sigaction finds them.
        put(signum, entry);
        asyncsafe::set_forward(signum, forward);
    }
    if let Some(target) = target {
        match target.install(signum) {
            Ok(previous) => {
                let st = &mut SHARED.get(g).os[signum as usize];
                if st.original.is_none() {
                    st.original = Some(previous);
                }
                if ours && !asyncsafe::is_our_handler(previous.action()) {
                    st.displaced = Some(previous);
                }
                st.restart = restart;
            }
            Err(errno) => {
                if ours {
                    put(signum, old_entry);
                    asyncsafe::set_forward(
                        signum,
                        matches!(old_entry, Handler::Callback(..)) || has_listeners(signum),
                    );
                }
                return Err(Error::os(errno).with_signum(signum));
            }
        }
    }
    let st = &mut SHARED.get(g).os[signum as usize];
    st.set = set;
    st.chosen = chosen;
    if !ours {
        // After sigaction: arrivals before it still trip and are reported as
        // a race at the next dispatch, as in CPython.
        put(signum, entry);
        asyncsafe::set_forward(signum, false);
    }
    Ok(())
}

/// siginterrupt: remember SA_RESTART for our handler and set it on whatever
/// the OS has now.
pub(crate) fn set_restart(g: &mut Guard, signum: i32, restart: bool) -> Result<()> {
    let current = Disposition::query(signum).map_err(|e| Error::os(e).with_signum(signum))?;
    current.with_restart(restart).install(signum).map_err(|e| Error::os(e).with_signum(signum))?;
    let st = &mut SHARED.get(g).os[signum as usize];
    st.restart = restart;
    Ok(())
}

/// Put back the original disposition of `signum` if the OS disposition is
/// still rssignal's own; drop its waiting arrivals, listeners and channel
/// subscriptions. Ok(false) when someone else's disposition was left in place
/// (or rssignal never changed the signal).
pub(crate) fn restore(g: &mut Guard, signum: i32) -> Result<bool> {
    let st = SHARED.get(g).os[signum as usize];
    let Some(original) = st.original else { return Ok(false) };
    let current = Disposition::query(signum).map_err(|e| Error::os(e).with_signum(signum))?;
    let still_ours = match current.action() {
        a @ Action::Handler(_) => asyncsafe::is_our_handler(a),
        Action::Default => st.set == Set::Default,
        Action::Ignore => st.set == Set::Ignore,
    } || (st.set == Set::Original && current.same_as(&original));
    if !still_ours {
        return Ok(false);
    }
    original.install(signum).map_err(|e| Error::os(e).with_signum(signum))?;
    asyncsafe::set_forward(signum, false);
    asyncsafe::channels_forget(signum);
    asyncsafe::forget(signum);
    let shared = SHARED.get(g);
    shared.listeners.retain(|l| l.signum != signum);
    LISTENER_COUNT[signum as usize].store(0, Ordering::Release);
    let st = &mut shared.os[signum as usize];
    st.set = Set::Original;
    st.restart = false;
    // The entry mirrors the OS again: no rs_signal_signal choice remains.
    st.chosen = false;
    put(signum, table_entry_of(original.action()));
    Ok(true)
}

/// Every signal rssignal has an original disposition for.
pub(crate) fn changed_signals(g: &mut Guard) -> Vec<i32> {
    let shared = SHARED.get(g);
    (1..sys::NSIG).filter(|&s| shared.os[s as usize].original.is_some()).collect()
}

fn table_entry_of(a: Action) -> Handler {
    match a {
        Action::Default => Handler::Default,
        Action::Ignore => Handler::Ignore,
        Action::Handler(_) => Handler::Foreign,
    }
}

/* ---- listeners ------------------------------------------------------------------ */

/// Add a listener (any thread); its id.
pub(crate) fn add_listener(
    signum: i32,
    callback: CallbackFn,
    user_data: usize,
    oneshot: bool,
) -> Result<u64> {
    let mut g = lock();
    let shared = SHARED.get(&mut g);
    if shared.listeners.len() >= RS_SIGNAL_MAX_LISTENERS as usize {
        let mut e = Error::os(sys::ENOSPC).with_signum(signum);
        e.message = format!("too many listeners (at most {RS_SIGNAL_MAX_LISTENERS})");
        return Err(e);
    }
    let id = shared.next_id;
    shared.next_id += 1;
    shared.listeners.push(Listener { id, signum, callback, user_data, oneshot });
    LISTENER_COUNT[signum as usize].fetch_add(1, Ordering::AcqRel);
    LISTENERS_ADDED.fetch_add(1, Ordering::AcqRel);
    if let Err(e) = apply(&mut g, signum, Change::Keep) {
        SHARED.get(&mut g).listeners.retain(|l| l.id != id);
        LISTENER_COUNT[signum as usize].fetch_sub(1, Ordering::AcqRel);
        return Err(e);
    }
    Ok(id)
}

/// Remove a listener; false when there is no such listener.
pub(crate) fn remove_listener(id: u64, on_dispatcher: bool) -> Result<bool> {
    let mut g = lock();
    let shared = SHARED.get(&mut g);
    let Some(pos) = shared.listeners.iter().position(|l| l.id == id) else { return Ok(false) };
    let signum = shared.listeners.remove(pos).signum;
    LISTENER_COUNT[signum as usize].fetch_sub(1, Ordering::AcqRel);
    let result = apply(&mut g, signum, Change::Keep);
    drop(g);
    // Never called after this returns: wait out a call in progress elsewhere.
    if !on_dispatcher {
        asyncsafe::spin_while(|| CALLING.load(Ordering::Acquire) == id);
    }
    result.map(|_| true)
}

/// One listener to call, from [`next_listener`].
pub(crate) struct NextListener {
    pub id: u64,
    pub callback: CallbackFn,
    pub user_data: usize,
    /// The value of the added-listeners counter when it was found.
    added: u64,
    /// Another listener of the signal followed it then.
    more: bool,
}

impl NextListener {
    /// Can a listener follow this one now that it has returned? (Not when
    /// none followed at the lookup and none has been added since.)
    #[inline]
    pub(crate) fn may_follow(&self) -> bool {
        self.more || LISTENERS_ADDED.load(Ordering::Acquire) != self.added
    }
}

/// The next listener of `signum` added after `after` (ids grow in adding
/// order), marked as being called; a one-shot one is removed first.
pub(crate) fn next_listener(signum: i32, after: u64) -> Option<NextListener> {
    let mut g = lock();
    let added = LISTENERS_ADDED.load(Ordering::Acquire);
    let shared = SHARED.get(&mut g);
    let pos = shared.listeners.iter().position(|l| l.signum == signum && l.id > after)?;
    let l = &shared.listeners[pos];
    let more = shared.listeners[pos + 1..].iter().any(|l| l.signum == signum);
    let found = NextListener { id: l.id, callback: l.callback, user_data: l.user_data, added, more };
    CALLING.store(l.id, Ordering::Release);
    if l.oneshot {
        shared.listeners.remove(pos);
        LISTENER_COUNT[signum as usize].fetch_sub(1, Ordering::AcqRel);
        // Re-installing can only fail where installing succeeded before:
        // the listener is gone either way.
        let _ = apply(&mut g, signum, Change::Keep);
    }
    Some(found)
}

/// The listener call has returned.
pub(crate) fn listener_done() {
    CALLING.store(0, Ordering::Release);
}

/// finalize: drop every listener.
pub(crate) fn remove_all_listeners(g: &mut Guard) -> Vec<i32> {
    let shared = SHARED.get(g);
    let mut signals: Vec<i32> = shared.listeners.iter().map(|l| l.signum).collect();
    signals.sort_unstable();
    signals.dedup();
    shared.listeners.clear();
    for c in LISTENER_COUNT.iter() {
        c.store(0, Ordering::Release);
    }
    signals
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
    let _g = lock();
    if STATE.load(Ordering::Acquire) == READY {
        return;
    }
    for s in 1..sys::NSIG {
        let h = if sys::signal_accepted(s) {
            Disposition::query(s).map_or(Handler::Foreign, |d| table_entry_of(d.action()))
        } else {
            Handler::Foreign
        };
        put(s, h);
    }
    STATE.store(READY, Ordering::Release);
}

/// finalize: every callback back to SIG_DFL, listeners dropped, the table
/// cleared (entries read back as foreign), flags dropped.
pub(crate) fn finalize() -> Result<()> {
    let mut g = lock();
    let mut first_error = None;
    let listened = remove_all_listeners(&mut g);
    for s in 1..sys::NSIG {
        let h = get(s);
        let change = match h {
            Handler::Callback(..) => Some(Change::Entry(Handler::Default)),
            _ if listened.contains(&s) => Some(Change::Keep),
            _ => None,
        };
        if let Some(change) = change {
            if let Err(e) = apply(&mut g, s, change) {
                first_error.get_or_insert(e);
            }
        }
        put(s, Handler::Foreign);
    }
    asyncsafe::forget_all();
    FINALIZED.store(true, Ordering::Release);
    first_error.map_or(Ok(()), Err)
}

/* ---- threads ------------------------------------------------------------- */

/// `pthread_self()` of the main thread; 0 until known. A pthread_t compare
/// is one `%fs` load, where a thread-local in a shared library costs a
/// `__tls_get_addr` call: this is on every dispatch.
static MAIN_THREAD: AtomicU64 = AtomicU64::new(0);

/// Python's `_PyOS_IsMainThread`. The main thread is the process's initial
/// thread until `rs_signal_set_main_thread`.
#[inline]
pub(crate) fn is_main_thread() -> bool {
    let me = sys::thread_self();
    let main = MAIN_THREAD.load(Ordering::Acquire);
    if main != 0 {
        return me == main;
    }
    identify_main_thread(me)
}

#[cold]
fn identify_main_thread(me: u64) -> bool {
    register_atfork();
    if !sys::is_initial_thread() {
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
    MAIN_THREAD.store(sys::thread_self(), Ordering::Release);
}

/* ---- the dispatch frame ------------------------------------------------------ */

/// The signal being dispatched on the main thread and how many arrivals it
/// stands for (0 when none): what rs_signal_delivery_info reads.
static FRAME_SIGNUM: AtomicI32 = AtomicI32::new(0);
static FRAME_ARRIVALS: AtomicU32 = AtomicU32::new(0);

/// Enter a frame for `signum`; the previous one comes back on drop (nested
/// dispatch sees the innermost).
pub(crate) struct Frame(i32, u32);

#[inline(always)]
pub(crate) fn enter_frame(signum: i32, arrivals: u32) -> Frame {
    let prev = Frame(FRAME_SIGNUM.load(Ordering::Relaxed), FRAME_ARRIVALS.load(Ordering::Relaxed));
    FRAME_SIGNUM.store(signum, Ordering::Relaxed);
    FRAME_ARRIVALS.store(arrivals, Ordering::Relaxed);
    prev
}

impl Drop for Frame {
    #[inline(always)]
    fn drop(&mut self) {
        FRAME_SIGNUM.store(self.0, Ordering::Relaxed);
        FRAME_ARRIVALS.store(self.1, Ordering::Relaxed);
    }
}

/// The current frame (signum, arrivals), if a dispatch is running.
pub(crate) fn frame() -> Option<(i32, u32)> {
    let s = FRAME_SIGNUM.load(Ordering::Relaxed);
    (s != 0).then(|| (s, FRAME_ARRIVALS.load(Ordering::Relaxed)))
}

/* ---- listeners left over by a raising listener (main thread) --------------- */

/// Per signal: one more than the id of the listener that raised (0 when
/// none; 1 when the callback raised, so every listener is left) and the
/// arrivals of its dispatch; the listeners after it run at the next
/// dispatch point.
static RESUME_AFTER: [AtomicU64; SLOTS] = [const { AtomicU64::new(0) }; SLOTS];
static RESUME_ARRIVALS: [AtomicU32; SLOTS] = [const { AtomicU32::new(0) }; SLOTS];

/// Leave the listeners of `signum` added after listener `after` (0: all of
/// them) for the next dispatch point.
pub(crate) fn set_resume(signum: i32, after: u64, arrivals: u32) {
    RESUME_ARRIVALS[signum as usize].store(arrivals, Ordering::Relaxed);
    RESUME_AFTER[signum as usize].store(after + 1, Ordering::Relaxed);
}

#[inline]
pub(crate) fn has_resume(signum: i32) -> bool {
    RESUME_AFTER[signum as usize].load(Ordering::Relaxed) != 0
}

/// Take the resume point of `signum`: (listener id, arrivals).
#[inline]
pub(crate) fn take_resume(signum: i32) -> Option<(u64, u32)> {
    if !has_resume(signum) {
        return None;
    }
    let after = RESUME_AFTER[signum as usize].swap(0, Ordering::Relaxed) - 1;
    Some((after, RESUME_ARRIVALS[signum as usize].load(Ordering::Relaxed)))
}

/* ---- fork ------------------------------------------------------------------ */

fn register_atfork() {
    if ATFORK.swap(true, Ordering::AcqRel) {
        return;
    }
    sys::atfork(before_fork, after_fork_parent, after_fork_child);
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
    asyncsafe::forget_all();
    asyncsafe::after_fork_child();
    FRAME_SIGNUM.store(0, Ordering::Relaxed);
    CALLING.store(0, Ordering::Relaxed);
    MAIN_THREAD.store(sys::thread_self(), Ordering::Release);
    LOCK.store(false, Ordering::Release);
}
