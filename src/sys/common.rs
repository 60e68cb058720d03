//! The platform layer's plain data, the same on every platform (no OS
//! call here; the model-checking tests in tests/loom compile this file too).

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
