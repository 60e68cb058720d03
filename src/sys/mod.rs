//! The platform layer: every call into the operating system and every fact
//! that differs between platforms (signal numbers and names, `NSIG`, the
//! real-time range, errno, thread ids, siginfo fields, the wakeup write,
//! which functions exist). Nothing outside this folder uses
//! `cfg(target_os)`, `cfg(unix)`/`cfg(windows)` or a `libc` item whose
//! meaning differs between platforms.
//!
//! The interface is the same on every platform family:
//! - `unix.rs` (Linux, macOS, FreeBSD) with one file of facts per OS:
//!   `linux.rs`, `apple.rs`, `freebsd.rs`;
//! - `windows.rs` (the C runtime's `signal()`, as CPython uses there).
//!
//! Functions return `Result<T, Errno>`; the layers above turn an errno into
//! their own errors. Functions a platform lacks still exist here and return
//! `Err(ENOSYS)`; the module layer asks `HAS_*` first and answers
//! `RS_SIGNAL_EUNSUPPORTED` naming the function and [`PLATFORM`].

// Casts that are no-ops on one platform are needed on another (c_long is
// 32 bits on i686, the itimer `which` type differs between C libraries).
#![allow(clippy::unnecessary_cast)]

/// An errno value.
pub(crate) type Errno = i32;

/// What the real handler learns about one arrival (from `siginfo_t` where
/// the platform has one; zeros elsewhere).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Arrival {
    pub code: i32,
    pub pid: i32,
    pub uid: u32,
    pub status: i32,
    pub value: i64,
}

/// The receiver of the real handler: the async-signal-safe core implements
/// it, and [`Disposition::handler`] installs an entry point that calls
/// `S::arrive` (monomorphised, so no pointer is read in the handler and the
/// platform layer never names the core).
pub(crate) trait Sink {
    /// Called in signal context, errno already saved (restored afterwards).
    fn arrive(signum: i32, arrival: &Arrival);
}

/// How the handler writes to the wakeup fd.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum WakeupKind {
    /// write(2) of one byte, the signal number: pipes and other fds.
    Write = 0,
    /// send(2) of one byte without SIGPIPE on a closed peer: sockets.
    Send = 1,
    /// An eventfd takes 8-byte counter increments of 1.
    EventFd = 2,
}

impl WakeupKind {
    pub(crate) fn from_bits(bits: i64) -> WakeupKind {
        match bits & 3 {
            1 => WakeupKind::Send,
            2 => WakeupKind::EventFd,
            _ => WakeupKind::Write,
        }
    }
}

/// An OS disposition in table terms.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Action {
    Default,
    Ignore,
    /// A handler function at this address (ours or someone else's).
    Handler(usize),
}

#[cfg(unix)]
mod unix;
#[cfg(unix)]
pub(crate) use unix::*;

#[cfg(windows)]
mod windows;
#[cfg(windows)]
pub(crate) use windows::*;
