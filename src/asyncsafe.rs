//! The async-signal-safe core: the tripped-flag table, the global flag, the
//! wakeup fd and the real signal handler.
//!
//! Everything here may run inside a signal handler, on any thread, at any
//! moment: only atomics, `write(2)` and errno. No allocation, no lock, no
//! thread-local storage, no formatting, no panic path. The statics are private;
//! the rest of the crate goes through the functions below. Nothing here is
//! exported from the shared library.

use std::sync::atomic::{AtomicI32, AtomicI64, AtomicU32, AtomicU64, Ordering};

use crate::types::RS_NSIG;

/// One bit per signal: bit s-1 is signal s (1..=64), set by the handler and
/// cleared by dispatch just before the signal's callback runs (CPython's
/// `Handlers[i].tripped`). One word, so a dispatch needs one locked
/// instruction per signal and none for the table as a whole.
static TRIPPED: AtomicU64 = AtomicU64::new(0);
const _: () = assert!(RS_NSIG - 1 <= 64, "the tripped word holds signals 1..=64");

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

/// How the handler writes to the wakeup fd.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum WakeupKind {
    /// write(2) of one byte, the signal number: pipes and other fds.
    Write = 0,
    /// send(2) with MSG_NOSIGNAL: a closed peer is an EPIPE report instead of
    /// a SIGPIPE that kills the process.
    Send = 1,
    /// An eventfd takes 8-byte counter increments: write 1 (it carries no
    /// signal number; its reader sees how many arrivals it missed).
    EventFd = 2,
}

/// The wakeup fd with its kind and `warn_on_full_buffer` in one word, so the
/// handler reads a consistent triple even while the main thread swaps them:
/// -1 when none, else `fd << 3 | warn << 2 | kind`.
static WAKEUP: AtomicI64 = AtomicI64::new(-1);

fn wakeup_fd_of(word: i64) -> i32 {
    if word < 0 {
        -1
    } else {
        (word >> 3) as i32
    }
}

/// errno of the last failed wakeup write not yet reported, 0 when none.
static WAKEUP_ERRNO: AtomicI32 = AtomicI32::new(0);
/// How many wakeup writes failed since the last report.
static WAKEUP_FAILS: AtomicU32 = AtomicU32::new(0);

/// The tripped bit of `signum` (1..NSIG).
#[inline]
pub(crate) fn bit(signum: i32) -> u64 {
    1u64 << (signum - 1)
}

/// The bits of the signals above `signum`.
#[inline]
pub(crate) fn above(signum: i32) -> u64 {
    if signum >= 64 {
        0
    } else {
        u64::MAX << signum
    }
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
    // The signal's flag first, then the global flag. Dispatch stores 0 in the
    // global flag and then takes a bit with a locked RMW on TRIPPED: an
    // arrival whose RMW comes after that one stores its 1 after the 0, and one
    // before it is seen by it. So no arrival is left with the flag at 0.
    TRIPPED.fetch_or(bit(signum), Ordering::AcqRel);
    IS_TRIPPED.store(1, Ordering::Release);

    // The wakeup byte comes after the flags (bpo-30038): a loop woken by it
    // must find the flags already set.
    let word = WAKEUP.load(Ordering::Acquire);
    if word >= 0 {
        write_wakeup(word, signum);
    }
}

#[cold]
#[inline(never)]
fn write_wakeup(word: i64, signum: i32) {
    let fd = wakeup_fd_of(word);
    let warn = word & 4 != 0;
    let byte = signum as u8;
    let one = 1u64;
    loop {
        // SAFETY: each call writes from a live stack variable of the length
        // given; write(2) and send(2) are async-signal-safe. A stale fd number
        // is harmless: at worst an error, reported like any failed write.
        let rc = unsafe {
            match word & 3 {
                1 => libc::send(fd, (&byte as *const u8).cast(), 1, libc::MSG_NOSIGNAL),
                2 => libc::write(fd, (&one as *const u64).cast(), 8),
                _ => libc::write(fd, (&byte as *const u8).cast(), 1),
            }
        };
        if rc >= 0 {
            return;
        }
        // SAFETY: errno_location() points at this thread's errno.
        let err = unsafe { *errno_location() };
        if err == libc::EINTR {
            continue;
        }
        let would_block = err == libc::EAGAIN || err == libc::EWOULDBLOCK;
        if warn || !would_block {
            WAKEUP_FAILS.fetch_add(1, Ordering::Relaxed);
            WAKEUP_ERRNO.store(err, Ordering::Release);
            // An RMW on TRIPPED after a dispatcher's take orders our 1 after
            // its 0, so the report cannot wait for the next signal.
            TRIPPED.fetch_or(0, Ordering::AcqRel);
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

/// Start a dispatch: if the global flag is set, clear it and return the
/// tripped bits (possibly 0). The caller then takes each bit with
/// [`take_signal`], whose locked RMW orders the plain store of 0 before it.
#[inline]
pub(crate) fn begin_dispatch() -> Option<u64> {
    if IS_TRIPPED.load(Ordering::Acquire) == 0 {
        return None;
    }
    IS_TRIPPED.store(0, Ordering::Relaxed);
    let bits = TRIPPED.load(Ordering::Acquire);
    if bits != 0 {
        return Some(bits);
    }
    // No bit to take, so no RMW would follow: make one here, so that an
    // arrival this read misses sets the flag again after our 0.
    Some(TRIPPED.fetch_or(0, Ordering::AcqRel))
}

/// Set the global flag again so the next dispatch point rescans
/// (after a callback raised).
pub(crate) fn rearm() {
    IS_TRIPPED.store(1, Ordering::Release);
}

/// The tripped bits now.
#[inline]
pub(crate) fn tripped_bits() -> u64 {
    TRIPPED.load(Ordering::Acquire)
}

/// Clear `signum`'s flag; returns the word as it was before (the flag was
/// set if `bit(signum)` is in it).
#[inline]
pub(crate) fn take_signal(signum: i32) -> u64 {
    TRIPPED.fetch_and(!bit(signum), Ordering::AcqRel)
}

/// Is `signum`'s flag set?
pub(crate) fn is_signal_tripped(signum: i32) -> bool {
    TRIPPED.load(Ordering::Acquire) & bit(signum) != 0
}

/// Is any signal flag set, or a wakeup error waiting to be reported?
pub(crate) fn anything_to_do() -> bool {
    TRIPPED.load(Ordering::Acquire) != 0 || WAKEUP_ERRNO.load(Ordering::Relaxed) != 0
}

/// Clear every flag (fork child, finalize).
pub(crate) fn clear_all() {
    IS_TRIPPED.store(0, Ordering::SeqCst);
    TRIPPED.store(0, Ordering::SeqCst);
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

/// Install a new wakeup fd (-1 for none) with its kind and warn flag;
/// returns the old fd.
pub(crate) fn swap_wakeup(fd: i32, kind: WakeupKind, warn: bool) -> i32 {
    let word = if fd < 0 { -1 } else { (i64::from(fd) << 3) | (i64::from(warn) << 2) | kind as i64 };
    wakeup_fd_of(WAKEUP.swap(word, Ordering::AcqRel))
}
