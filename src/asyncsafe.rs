//! The async-signal-safe core: the tripped-flag table, the global flag, the
//! wakeup fd and the real signal handler.
//!
//! Everything here may run inside a signal handler, on any thread, at any
//! moment: only atomics, `write(2)` and errno. No allocation, no lock, no
//! thread-local storage, no formatting, no panic path. The statics are private;
//! the rest of the crate goes through the functions below. Nothing here is
//! exported from the shared library.

use std::sync::atomic::{AtomicBool, AtomicI32, AtomicU32, AtomicU64, Ordering};

use crate::types::RS_NSIG;

/// Number of 64-bit words holding one tripped bit per signal number.
pub(crate) const WORDS: usize = (RS_NSIG as usize).div_ceil(64);

/// One bit per signal: set by the handler, cleared by dispatch before the
/// callback runs (CPython's `Handlers[i].tripped`).
static TRIPPED: [AtomicU64; WORDS] = [const { AtomicU64::new(0) }; WORDS];

/// Set (1) after a tripped bit or a wakeup error, cleared by dispatch before
/// it scans (CPython's `is_tripped`). The only word the check fast path reads.
///
/// The one exported item outside `ffi.rs`: the header's `static inline`
/// `rs_signal_check_inline()` reads it (read-only by contract) to skip the
/// call when nothing is pending. The per-signal table stays private.
/// (Declared in the header by build.rs, as `const volatile uint32_t`.)
///
/// cbindgen:ignore
#[no_mangle]
pub static rs_signal_pending_word: AtomicU32 = AtomicU32::new(0);
use rs_signal_pending_word as IS_TRIPPED;

/// The wakeup fd, -1 when none.
static WAKEUP_FD: AtomicI32 = AtomicI32::new(-1);
/// Report EAGAIN/EWOULDBLOCK on the wakeup fd (`warn_on_full_buffer`).
static WAKEUP_WARN: AtomicBool = AtomicBool::new(true);
/// errno of the last failed wakeup write not yet reported, 0 when none.
static WAKEUP_ERRNO: AtomicI32 = AtomicI32::new(0);
/// How many wakeup writes failed since the last report.
static WAKEUP_FAILS: AtomicU32 = AtomicU32::new(0);

#[inline]
fn slot(signum: i32) -> (usize, u64) {
    let n = signum as usize;
    (n / 64, 1u64 << (n % 64))
}

#[inline]
fn errno_location() -> *mut libc::c_int {
    // SAFETY: __errno_location has no preconditions and is async-signal-safe;
    // it returns the calling thread's errno slot.
    unsafe { libc::__errno_location() }
}

/// Mark `signum` tripped and write the wakeup byte: the body of the handler
/// and of `rs_signal_set_interrupt`. `signum` must be in 1..RS_NSIG.
pub(crate) fn trip(signum: i32) {
    let (w, bit) = slot(signum);
    // The signal's flag first, then the global flag: dispatch clears the
    // global flag before it reads the signal flags, so nothing is missed.
    // Release is enough: dispatch clears the global flag with an RMW swap,
    // which reads the latest store and acquires the bit set just before it.
    TRIPPED[w].fetch_or(bit, Ordering::Release);
    IS_TRIPPED.store(1, Ordering::Release);

    // The wakeup byte comes after the flags (bpo-30038): a loop woken by it
    // must find the flags already set.
    let fd = WAKEUP_FD.load(Ordering::Acquire);
    if fd < 0 {
        return;
    }
    let byte = signum as u8;
    loop {
        // SAFETY: writes one byte from a live stack variable; write(2) is
        // async-signal-safe. A stale fd number is harmless: at worst EBADF.
        let rc = unsafe { libc::write(fd, (&byte as *const u8).cast(), 1) };
        if rc >= 0 {
            return;
        }
        // SAFETY: errno_location() points at this thread's errno.
        let err = unsafe { *errno_location() };
        if err == libc::EINTR {
            continue;
        }
        let would_block = err == libc::EAGAIN || err == libc::EWOULDBLOCK;
        if WAKEUP_WARN.load(Ordering::Relaxed) || !would_block {
            WAKEUP_FAILS.fetch_add(1, Ordering::Relaxed);
            WAKEUP_ERRNO.store(err, Ordering::Release);
            IS_TRIPPED.store(1, Ordering::SeqCst);
        }
        return;
    }
}

/// The real signal handler, installed with `SA_ONSTACK` and an empty mask for
/// every signal that has a callback.
pub(crate) extern "C" fn signal_handler(signum: libc::c_int) {
    let errp = errno_location();
    // SAFETY: errp is this thread's errno slot; saving and restoring it keeps
    // the interrupted code's errno intact (CPython issue #10311).
    let saved = unsafe { *errp };
    if signum > 0 && signum < RS_NSIG {
        trip(signum);
    }
    // SAFETY: as above.
    unsafe { *errp = saved };
}

/// The handler's address, as `sigaction` wants it.
pub(crate) fn handler_address() -> libc::sighandler_t {
    signal_handler as extern "C" fn(libc::c_int) as libc::sighandler_t
}

/// The check fast path: is anything possibly pending?
#[inline(always)]
pub(crate) fn any_tripped() -> bool {
    IS_TRIPPED.load(Ordering::Acquire) != 0
}

/// Clear the global flag before a scan; returns whether it was set.
#[inline]
pub(crate) fn take_global() -> bool {
    IS_TRIPPED.swap(0, Ordering::SeqCst) != 0
}

/// Set the global flag again so the next dispatch point rescans
/// (after a callback raised).
pub(crate) fn rearm() {
    IS_TRIPPED.store(1, Ordering::SeqCst);
}

/// Word `w` of the tripped bits (bit n of word w is signal 64*w + n).
#[inline]
pub(crate) fn tripped_word(w: usize) -> u64 {
    TRIPPED[w].load(Ordering::Acquire)
}

/// Clear `signum`'s flag; returns whether it was set.
#[inline]
pub(crate) fn take_signal(signum: i32) -> bool {
    let (w, bit) = slot(signum);
    TRIPPED[w].fetch_and(!bit, Ordering::AcqRel) & bit != 0
}

/// Is `signum`'s flag set?
pub(crate) fn is_signal_tripped(signum: i32) -> bool {
    let (w, bit) = slot(signum);
    TRIPPED[w].load(Ordering::Acquire) & bit != 0
}

/// Is any signal flag set, or a wakeup error waiting to be reported?
pub(crate) fn anything_to_do() -> bool {
    TRIPPED.iter().any(|w| w.load(Ordering::Acquire) != 0) || WAKEUP_ERRNO.load(Ordering::Relaxed) != 0
}

/// Clear every flag (fork child, finalize).
pub(crate) fn clear_all() {
    IS_TRIPPED.store(0, Ordering::SeqCst);
    for w in &TRIPPED {
        w.store(0, Ordering::SeqCst);
    }
}

/// Take the unreported wakeup write failures: the last errno and how many
/// writes failed since the last report.
pub(crate) fn take_wakeup_failures() -> Option<(i32, u32)> {
    // A plain load first: the dispatch path stays free of a locked swap.
    if WAKEUP_ERRNO.load(Ordering::Relaxed) == 0 {
        return None;
    }
    let errno = WAKEUP_ERRNO.swap(0, Ordering::Acquire);
    let count = WAKEUP_FAILS.swap(0, Ordering::Relaxed).max(1);
    (errno != 0).then_some((errno, count))
}

/// Install a new wakeup fd (-1 for none) and warn flag; returns the old fd.
pub(crate) fn swap_wakeup(fd: i32, warn: bool) -> i32 {
    WAKEUP_WARN.store(warn, Ordering::Relaxed);
    WAKEUP_FD.swap(fd, Ordering::AcqRel)
}

/// The current wakeup fd, -1 when none.
pub(crate) fn wakeup_fd() -> i32 {
    WAKEUP_FD.load(Ordering::Acquire)
}
