//! The lock-free protocol of the core, with no OS call in it, so that a model
//! checker can run it (tests/loom compiles this file with loom's atomics).
//!
//! Per signal, a [`Slot`]:
//! - `pending` counts the arrivals meant for the main-thread dispatch (only
//!   while `forward` is set: the signal has a callback or listeners); the
//!   dispatcher remembers in `taken` how many it has handed out, so
//!   `pending - taken` arrivals are waiting, and draining needs no
//!   read-modify-write on the slot.
//! - the latest record (code, pid, uid, status, value, time) behind a
//!   sequence lock: a writer takes it by turning `seq` odd with a CAS, and a
//!   second writer that finds it taken leaves the record to the first, so a
//!   reader sees every field from one arrival, never a mix of two.
//! - `sim_ns`: the time of the latest simulated arrival
//!   (rs_signal_set_interrupt). Its other fields are the same for every such
//!   arrival (SI_USER, this process's pid and uid), so one atomic store keeps
//!   it whole and no writer takes the sequence lock; a reader takes whichever
//!   of the two records is newer.
//! - `channels`: which channels subscribe to the signal.
//! - counters for rs_signal_get_stats.
//!
//! The tripped words hold one bit per signal (bit (s-1)%64 of word
//! (s-1)/64); an arrival adds its bit with an RMW and then sets the global
//! flag, and the dispatcher stores 0 in the flag before it exchanges the
//! words, so an arrival missed by the exchange always sets the flag again
//! after that 0 (its RMW reads the exchange's value, which orders it after
//! the 0). The wakeup write comes after the flags (bpo-30038).
//!
//! Channels: a fixed table; a channel's per-signal counts are exchanged to
//! 0 by its (single) reader; `armed` says its fd has been made readable. The
//! handler makes the fd readable only when it sets `armed`, and the reader
//! clears `armed` only after draining the fd and then checks the counts
//! again, so a count is never left without a readable fd. A handler holds
//! `users` while it looks at a channel, and closing waits for it to drop to
//! 0 before the fd is closed.

use super::atomic::{fence, spin_wait, AtomicBool, AtomicI32, AtomicI64, AtomicU32, AtomicU64, Ordering::*};
use super::{Arrival, WakeupKind};

/// Wait while `busy()` says so, spinning briefly, then yielding the CPU.
pub fn spin_while(mut busy: impl FnMut() -> bool) {
    let mut tries = 0;
    while busy() {
        tries += 1;
        spin_wait(tries);
    }
}

/// The latest arrival of a signal.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Record {
    pub code: i32,
    pub pid: i32,
    pub uid: u32,
    pub status: i32,
    pub value: i64,
    pub last_ns: i64,
    /// A simulated arrival (code, pid and uid are the caller's to fill).
    pub simulated: bool,
}

/// Counters of one signal.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    pub arrivals: u64,
    pub dispatches: u64,
    pub listener_calls: u64,
    pub wakeup_failures: u64,
    pub last_arrival_ns: i64,
    pub last_dispatch_ns: i64,
}

/// What the handler must do after [`Core::arrive`]: write the wakeup fd
/// (`trip`), and make these channels' fds readable (`notify`, one bit per
/// channel, each held until [`Core::channel_done`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Forward {
    pub trip: bool,
    pub notify: u64,
}

pub struct Slot {
    pending: AtomicU64,
    taken: AtomicU64,
    first_ns: AtomicI64,
    forward: AtomicBool,
    channels: AtomicU64,
    seq: AtomicU32,
    code: AtomicI32,
    pid: AtomicI32,
    uid: AtomicU32,
    status: AtomicI32,
    value: AtomicI64,
    last_ns: AtomicI64,
    sim_ns: AtomicI64,
    total: AtomicU64,
    dispatches: AtomicU64,
    listener_calls: AtomicU64,
    wakeup_failures: AtomicU64,
    last_dispatch_ns: AtomicI64,
}

pub struct Channel<const NS: usize> {
    /// The slot belongs to an open channel (claimed by open, freed at the
    /// end of close).
    claimed: AtomicBool,
    /// Handlers may count into it.
    open: AtomicBool,
    users: AtomicU32,
    write_fd: AtomicI32,
    armed: AtomicBool,
    subs: [AtomicU64; 2],
    counts: [AtomicU64; NS],
    first_ns: [AtomicI64; NS],
}

/// The whole core for signals 1..NS-1 and NC channels (NC <= 64).
pub struct Core<const NS: usize, const NC: usize> {
    flag: &'static AtomicU32,
    tripped: [AtomicU64; 2],
    slots: [Slot; NS],
    channels: [Channel<NS>; NC],
    /// -1 when none, else `fd << 3 | warn << 2 | kind`: one word, so the
    /// handler reads a consistent triple while the main thread swaps it.
    wakeup: AtomicI64,
    /// Handlers between [`Core::wakeup_enter`] and [`Core::wakeup_leave`]:
    /// a new wakeup fd is installed only when none of them can still write
    /// to the old one.
    wakeup_users: AtomicU32,
    wakeup_errno: AtomicI32,
    wakeup_fails: AtomicU32,
    /// The wakeup word whose write failed with a broken pipe (-1: none),
    /// until that failure is reported or the word is replaced: while it is
    /// the word in place, a SIGPIPE arrival writes nothing (see
    /// [`Core::wakeup_enter_unless_broken`]).
    wakeup_broken: AtomicI64,
}

/// Constructors, `const` for the statics of the library and plain for the
/// model checker (whose atomics have no const constructor).
macro_rules! constructors {
    ($($konst:ident)?) => {
        impl Slot {
            pub $($konst)? fn new() -> Slot {
                Slot {
                    pending: AtomicU64::new(0),
                    taken: AtomicU64::new(0),
                    first_ns: AtomicI64::new(0),
                    forward: AtomicBool::new(false),
                    channels: AtomicU64::new(0),
                    seq: AtomicU32::new(0),
                    code: AtomicI32::new(0),
                    pid: AtomicI32::new(0),
                    uid: AtomicU32::new(0),
                    status: AtomicI32::new(0),
                    value: AtomicI64::new(0),
                    last_ns: AtomicI64::new(0),
                    sim_ns: AtomicI64::new(0),
                    total: AtomicU64::new(0),
                    dispatches: AtomicU64::new(0),
                    listener_calls: AtomicU64::new(0),
                    wakeup_failures: AtomicU64::new(0),
                    last_dispatch_ns: AtomicI64::new(0),
                }
            }
        }
    };
}

#[cfg(not(loom))]
constructors!(const);
#[cfg(loom)]
constructors!();

#[cfg(not(loom))]
impl<const NS: usize> Channel<NS> {
    pub const fn new() -> Channel<NS> {
        Channel {
            claimed: AtomicBool::new(false),
            open: AtomicBool::new(false),
            users: AtomicU32::new(0),
            write_fd: AtomicI32::new(-1),
            armed: AtomicBool::new(false),
            subs: [const { AtomicU64::new(0) }; 2],
            counts: [const { AtomicU64::new(0) }; NS],
            first_ns: [const { AtomicI64::new(0) }; NS],
        }
    }
}

#[cfg(not(loom))]
impl<const NS: usize, const NC: usize> Core<NS, NC> {
    pub const fn new(flag: &'static AtomicU32) -> Core<NS, NC> {
        Core {
            flag,
            tripped: [const { AtomicU64::new(0) }; 2],
            slots: [const { Slot::new() }; NS],
            channels: [const { Channel::new() }; NC],
            wakeup: AtomicI64::new(-1),
            wakeup_users: AtomicU32::new(0),
            wakeup_errno: AtomicI32::new(0),
            wakeup_fails: AtomicU32::new(0),
            wakeup_broken: AtomicI64::new(-1),
        }
    }
}

#[cfg(loom)]
impl<const NS: usize> Channel<NS> {
    pub fn new() -> Channel<NS> {
        Channel {
            claimed: AtomicBool::new(false),
            open: AtomicBool::new(false),
            users: AtomicU32::new(0),
            write_fd: AtomicI32::new(-1),
            armed: AtomicBool::new(false),
            subs: std::array::from_fn(|_| AtomicU64::new(0)),
            counts: std::array::from_fn(|_| AtomicU64::new(0)),
            first_ns: std::array::from_fn(|_| AtomicI64::new(0)),
        }
    }
}

#[cfg(loom)]
impl<const NS: usize, const NC: usize> Core<NS, NC> {
    pub fn new(flag: &'static AtomicU32) -> Core<NS, NC> {
        Core {
            flag,
            tripped: std::array::from_fn(|_| AtomicU64::new(0)),
            slots: std::array::from_fn(|_| Slot::new()),
            channels: std::array::from_fn(|_| Channel::new()),
            wakeup: AtomicI64::new(-1),
            wakeup_users: AtomicU32::new(0),
            wakeup_errno: AtomicI32::new(0),
            wakeup_fails: AtomicU32::new(0),
            wakeup_broken: AtomicI64::new(-1),
        }
    }
}

#[inline(always)]
fn word_bit(signum: i32) -> (usize, u64) {
    let i = (signum - 1) as usize;
    (i / 64, 1u64 << (i % 64))
}

/// The tripped bits of one signal, as (word 0, word 1).
#[inline]
pub fn bits_of(signum: i32) -> [u64; 2] {
    let (w, b) = word_bit(signum);
    let mut bits = [0; 2];
    bits[w] = b;
    bits
}

/// The tripped bits of the signals above `signum`, as (word 0, word 1).
#[inline]
pub fn above(signum: i32) -> [u64; 2] {
    let n = signum as u32; // bits 0..n-1 hold signals 1..n
    let w0 = if n >= 64 { 0 } else { u64::MAX << n };
    let w1 = if n <= 64 {
        u64::MAX
    } else if n >= 128 {
        0
    } else {
        u64::MAX << (n - 64)
    };
    [w0, w1]
}

/// The lowest signal of a pair of tripped words, or None.
#[inline(always)]
pub fn lowest(bits: [u64; 2]) -> Option<i32> {
    if bits[0] != 0 {
        Some(bits[0].trailing_zeros() as i32 + 1)
    } else if bits[1] != 0 {
        Some(bits[1].trailing_zeros() as i32 + 65)
    } else {
        None
    }
}

impl<const NS: usize, const NC: usize> Core<NS, NC> {
    /// How many tripped words hold signals here (1 for NS <= 65).
    const WORDS: usize = if NS <= 65 { 1 } else { 2 };

    #[inline(always)]
    fn slot(&self, signum: i32) -> &Slot {
        &self.slots[signum as usize]
    }

    /* ---- the handler's side: async-signal-safe ---------------------------- */

    /// Count one arrival of `signum` (1..NS-1) with its record. The caller
    /// then does what the [`Forward`] says. `force` sends it to the main
    /// dispatch even when the slot does not forward (set_interrupt on a
    /// foreign entry: CPython trips it and reports the race).
    #[inline]
    pub fn arrive(&self, signum: i32, a: &Arrival, now: i64, force: bool) -> Forward {
        let slot = self.slot(signum);
        self.write_record(slot, a, now);
        self.count(signum, slot, now, force)
    }

    /// Count one simulated arrival (rs_signal_set_interrupt) at `now`: its
    /// record is its time alone (see [`Record::simulated`]).
    #[inline]
    pub fn arrive_simulated(&self, signum: i32, now: i64, force: bool) -> Forward {
        let slot = self.slot(signum);
        slot.sim_ns.store(now, Release);
        self.count(signum, slot, now, force)
    }

    #[inline(always)]
    fn count(&self, signum: i32, slot: &Slot, now: i64, force: bool) -> Forward {
        // `pending` is monotonic and counts every forwarded arrival; `total`
        // counts the others (stats adds the two).
        let forwarded = force || slot.forward.load(Acquire);
        if !forwarded {
            slot.total.fetch_add(1, Relaxed);
        }
        let mut out = Forward::default();
        let subscribed = slot.channels.load(Acquire);
        if subscribed != 0 {
            out.notify = self.feed_channels(signum, subscribed, now);
        }
        if forwarded {
            let prev = slot.pending.fetch_add(1, AcqRel);
            if prev == slot.taken.load(Acquire) {
                slot.first_ns.store(now, Relaxed);
            }
            self.trip_bit(signum);
            out.trip = true;
        }
        out
    }

    /// The signal's bit, then the global flag.
    #[inline(always)]
    fn trip_bit(&self, signum: i32) {
        let (w, b) = word_bit(signum);
        self.tripped[w].fetch_or(b, AcqRel);
        self.flag.store(1, Release);
    }

    #[inline]
    fn write_record(&self, slot: &Slot, a: &Arrival, now: i64) {
        let s = slot.seq.load(Relaxed);
        if s & 1 != 0 || slot.seq.compare_exchange(s, s.wrapping_add(1), Acquire, Relaxed).is_err() {
            // Another arrival is writing its record: the latest is theirs.
            return;
        }
        fence(Release);
        slot.code.store(a.code, Relaxed);
        slot.pid.store(a.pid, Relaxed);
        slot.uid.store(a.uid, Relaxed);
        slot.status.store(a.status, Relaxed);
        slot.value.store(a.value, Relaxed);
        slot.last_ns.store(now, Relaxed);
        slot.seq.store(s.wrapping_add(2), Release);
    }

    /// Count the arrival into every open channel subscribed to `signum`.
    /// Indexing is checked with `get` (no panic path in the handler).
    #[cold]
    fn feed_channels(&self, signum: i32, mut subscribed: u64, now: i64) -> u64 {
        let (w, b) = word_bit(signum + 1); // subs: bit n of the 128 is signal n
        let mut notify = 0;
        while subscribed != 0 {
            let i = subscribed.trailing_zeros() as usize;
            subscribed &= subscribed - 1;
            let Some(ch) = self.channels.get(i) else { continue };
            let (Some(subs), Some(count), Some(first)) =
                (ch.subs.get(w), ch.counts.get(signum as usize), ch.first_ns.get(signum as usize))
            else {
                continue;
            };
            // The fence pairs with channel_close's: either close sees this
            // handler in `users` and waits, or this handler sees `open` false.
            ch.users.fetch_add(1, SeqCst);
            fence(SeqCst);
            let mut keep = false;
            if ch.open.load(SeqCst) && subs.load(Acquire) & b != 0 {
                if count.fetch_add(1, AcqRel) == 0 {
                    first.store(now, Relaxed);
                }
                if !ch.armed.swap(true, AcqRel) {
                    notify |= 1u64 << i;
                    keep = true;
                }
            }
            if !keep {
                ch.users.fetch_sub(1, Release);
            }
        }
        notify
    }

    /// The write fd of a channel the handler must notify (held since arrive).
    #[inline]
    pub fn channel_write_fd(&self, i: usize) -> i32 {
        self.channels.get(i).map_or(-1, |c| c.write_fd.load(Acquire))
    }

    /// The handler is done with channel `i` (after notifying it).
    #[inline]
    pub fn channel_done(&self, i: usize) {
        if let Some(c) = self.channels.get(i) {
            c.users.fetch_sub(1, Release);
        }
    }

    /// The wakeup word (see the field): a quick look, before
    /// [`Core::wakeup_enter`], whether there is a wakeup fd at all.
    #[inline]
    pub fn wakeup_word(&self) -> i64 {
        self.wakeup.load(Acquire)
    }

    /// Before a wakeup write: count this handler in and read the word to
    /// write to (-1: none). [`Core::wakeup_leave`] must follow.
    #[inline]
    pub fn wakeup_enter(&self) -> i64 {
        // Paired with swap_wakeup's RMW on the count: if that RMW comes
        // first, this one reads from it and so sees the new word; if this one
        // comes first, the swapper sees this handler counted and waits.
        self.wakeup_users.fetch_add(1, AcqRel);
        self.wakeup.load(Acquire)
    }

    /// As [`Core::wakeup_enter`], but -1 when `skip_broken` and the word in
    /// place is the one whose write broke the pipe: a wakeup pipe whose
    /// reader is gone raises SIGPIPE on each write, and a SIGPIPE arrival
    /// that wrote again would raise the next one for ever.
    /// [`Core::wakeup_leave`] must follow.
    #[inline]
    pub fn wakeup_enter_unless_broken(&self, skip_broken: bool) -> i64 {
        let word = self.wakeup_enter();
        if skip_broken && word >= 0 && self.wakeup_broken.load(Acquire) == word {
            return -1;
        }
        word
    }

    /// After the wakeup write (or none).
    #[inline]
    pub fn wakeup_leave(&self) {
        self.wakeup_users.fetch_sub(1, Release);
    }

    /// A wakeup write failed with `errno`; reported at the next dispatch point.
    /// `word` is the wakeup word written to; `broken`: the failure was a
    /// broken pipe.
    #[cold]
    pub fn wakeup_failed(&self, signum: i32, errno: i32, word: i64, broken: bool) {
        if broken {
            self.wakeup_broken.store(word, Release);
        }
        self.wakeup_fails.fetch_add(1, Relaxed);
        if let Some(slot) = self.slots.get(signum as usize) {
            slot.wakeup_failures.fetch_add(1, Relaxed);
        }
        self.wakeup_errno.store(errno, Release);
        // An RMW on the tripped word after a dispatcher's exchange orders our
        // 1 after its 0, so the report cannot wait for the next signal.
        self.tripped[0].fetch_or(0, AcqRel);
        self.flag.store(1, SeqCst);
    }

    /* ---- the dispatcher's side (main thread) -------------------------------- */

    /// Start a dispatch: if the global flag is set, clear it and take every
    /// tripped bit (possibly none).
    #[inline]
    pub fn begin(&self) -> Option<[u64; 2]> {
        if self.flag.load(Acquire) == 0 {
            return None;
        }
        Some(self.take_bits())
    }

    #[inline(always)]
    fn take_bits(&self) -> [u64; 2] {
        self.flag.store(0, Relaxed);
        let mut bits = [0; 2];
        // One exchange per word that can hold signals here (one on Linux
        // and macOS, two on FreeBSD): each RMW orders the flag's 0 before
        // any later arrival's bit, so no arrival is left behind a 0 flag.
        for (w, b) in bits.iter_mut().enumerate().take(Self::WORDS) {
            *b = self.tripped[w].swap(0, AcqRel);
        }
        bits
    }

    /// After a callback: bits that arrived meanwhile (None when the flag
    /// says nothing did). The caller keeps those above the current signal
    /// and gives the rest back with [`Core::put_back`].
    #[inline(always)]
    pub fn more(&self) -> Option<[u64; 2]> {
        if self.flag.load(Acquire) == 0 {
            return None;
        }
        Some(self.take_bits())
    }

    /// Give taken bits back for the next dispatch point (a callback raised,
    /// or they belong below the scan position), and set the flag.
    #[cold]
    pub fn put_back(&self, bits: [u64; 2]) {
        for (w, b) in bits.iter().enumerate() {
            if *b != 0 {
                self.tripped[w].fetch_or(*b, AcqRel);
            }
        }
        self.flag.store(1, Release);
    }

    /// Set the global flag again so the next dispatch point rescans.
    pub fn rearm(&self) {
        self.flag.store(1, Release);
    }

    /// Take the arrivals of a signal whose bit was taken: how many the
    /// dispatch stands for (0 when its bit was a leftover of a dispatch that
    /// already counted them), saturated at u32::MAX.
    #[inline(always)]
    pub fn drain(&self, signum: i32) -> u32 {
        let slot = self.slot(signum);
        let p = slot.pending.load(Acquire);
        let t = slot.taken.load(Relaxed);
        if p == t {
            return 0;
        }
        slot.taken.store(p, Relaxed);
        u32::try_from(p.wrapping_sub(t)).unwrap_or(u32::MAX)
    }

    /// Consume one signal's bit and arrivals alone (PyOS_InterruptOccurred):
    /// true when it had arrived.
    pub fn take_one(&self, signum: i32) -> bool {
        let (w, b) = word_bit(signum);
        if self.tripped[w].load(Acquire) & b == 0 {
            return false;
        }
        self.tripped[w].fetch_and(!b, AcqRel) & b != 0 && self.drain(signum) > 0
    }

    /// Is any signal bit set, or a wakeup error waiting to be reported?
    pub fn anything_to_do(&self) -> bool {
        self.tripped.iter().any(|w| w.load(Acquire) != 0) || self.wakeup_errno.load(Relaxed) != 0
    }

    /// Forget the waiting arrivals of one signal (restore).
    pub fn forget(&self, signum: i32) {
        let (w, b) = word_bit(signum);
        self.tripped[w].fetch_and(!b, AcqRel);
        let slot = self.slot(signum);
        slot.taken.store(slot.pending.load(Acquire), Relaxed);
    }

    /// Forget every waiting arrival (fork child, finalize).
    pub fn forget_all(&self) {
        self.flag.store(0, SeqCst);
        for s in 1..NS as i32 {
            self.forget(s);
        }
    }

    /// Take the unreported wakeup write failures: the last errno and how many
    /// writes failed since the last report.
    #[inline]
    pub fn take_wakeup_failures(&self) -> Option<(i32, u32)> {
        // A plain load first: the dispatch path stays free of a locked swap.
        if self.wakeup_errno.load(Relaxed) == 0 {
            return None;
        }
        // Reported: the next SIGPIPE may try the pipe again (once).
        self.wakeup_broken.store(-1, Relaxed);
        let errno = self.wakeup_errno.swap(0, Acquire);
        let count = self.wakeup_fails.swap(0, Relaxed).max(1);
        (errno != 0).then_some((errno, count))
    }

    /// Install a new wakeup fd (-1 for none); returns the old fd, which no
    /// handler writes to once this returns: handlers that may have read the
    /// old word are waited for.
    pub fn swap_wakeup(&self, fd: i32, kind: WakeupKind, warn: bool) -> i32 {
        let word = if fd < 0 { -1 } else { (i64::from(fd) << 3) | (i64::from(warn) << 2) | kind as i64 };
        let old = self.wakeup.swap(word, AcqRel);
        // An RMW, not a load: it reads the latest count (see wakeup_enter).
        spin_while(|| self.wakeup_users.fetch_add(0, AcqRel) != 0);
        // The broken pipe was the old fd's (its failure is still reported);
        // after the wait no handler writes there any more, and the new fd,
        // even under the same number, has not failed.
        self.wakeup_broken.store(-1, Release);
        wakeup_fd_of(old)
    }

    /// In a fork child: the handlers that were running on other threads of
    /// the parent are gone, and nobody must wait for them.
    pub fn after_fork_child(&self) {
        self.wakeup_users.store(0, Relaxed);
        for ch in self.channels.iter() {
            ch.users.store(0, Relaxed);
        }
    }

    /// Should arrivals of `signum` go to the main-thread dispatch?
    pub fn set_forward(&self, signum: i32, on: bool) {
        let slot = self.slot(signum);
        if on && !slot.forward.load(Acquire) {
            // Arrivals counted while off belong to no dispatch.
            slot.taken.store(slot.pending.load(Acquire), Relaxed);
        }
        slot.forward.store(on, Release);
    }

    /// Record a dispatch of `signum` (callback run) at `now`, a coarse
    /// reading of the clock (see [`Core::dispatch_time`]). Main thread only.
    #[inline(always)]
    pub fn note_dispatch(&self, signum: i32, now: i64) {
        let slot = self.slot(signum);
        // One writer (the dispatching thread): no RMW needed.
        slot.dispatches.store(slot.dispatches.load(Relaxed) + 1, Relaxed);
        slot.last_dispatch_ns.store(Self::dispatch_time(slot, now), Relaxed);
    }

    /// Record one listener call at `now` (coarse, as for [`Core::note_dispatch`]).
    pub fn note_listener(&self, signum: i32, now: i64) {
        let slot = self.slot(signum);
        slot.listener_calls.store(slot.listener_calls.load(Relaxed) + 1, Relaxed);
        slot.last_dispatch_ns.store(Self::dispatch_time(slot, now), Relaxed);
    }

    /// A coarse clock reading lags by up to a tick: a dispatch is never
    /// stamped before the latest arrival it can have taken.
    #[inline(always)]
    fn dispatch_time(slot: &Slot, now: i64) -> i64 {
        now.max(slot.last_ns.load(Relaxed)).max(slot.sim_ns.load(Relaxed))
    }

    /* ---- readers (any thread) ------------------------------------------------ */

    /// The latest record of `signum`, whole.
    pub fn record(&self, signum: i32) -> Record {
        let slot = self.slot(signum);
        let mut tries = 0u32;
        loop {
            let s1 = slot.seq.load(Acquire);
            if s1 & 1 == 0 {
                let r = Record {
                    code: slot.code.load(Relaxed),
                    pid: slot.pid.load(Relaxed),
                    uid: slot.uid.load(Relaxed),
                    status: slot.status.load(Relaxed),
                    value: slot.value.load(Relaxed),
                    last_ns: slot.last_ns.load(Relaxed),
                    simulated: false,
                };
                fence(Acquire);
                if slot.seq.load(Relaxed) == s1 {
                    let sim = slot.sim_ns.load(Acquire);
                    if sim > r.last_ns {
                        return Record { last_ns: sim, simulated: true, ..Record::default() };
                    }
                    return r;
                }
            }
            tries += 1;
            spin_wait(tries);
        }
    }

    /// The time of the first of the arrivals a dispatch took.
    pub fn first_ns(&self, signum: i32) -> i64 {
        self.slot(signum).first_ns.load(Relaxed)
    }

    pub fn stats(&self, signum: i32) -> Stats {
        let slot = self.slot(signum);
        Stats {
            arrivals: slot.total.load(Acquire) + slot.pending.load(Acquire),
            dispatches: slot.dispatches.load(Relaxed),
            listener_calls: slot.listener_calls.load(Relaxed),
            wakeup_failures: slot.wakeup_failures.load(Relaxed),
            last_arrival_ns: if slot.total.load(Relaxed) + slot.pending.load(Relaxed) == 0 {
                0
            } else {
                self.record(signum).last_ns
            },
            last_dispatch_ns: slot.last_dispatch_ns.load(Relaxed),
        }
    }

    /* ---- channels (one thread at a time per channel) ---------------------------- */

    /// Take a free channel slot for a notifier whose write end is `write_fd`,
    /// subscribed to `signals` (bit n = signal n). None when all are in use.
    pub fn channel_open(&self, write_fd: i32, signals: [u64; 2]) -> Option<usize> {
        let i = self
            .channels
            .iter()
            .position(|c| c.claimed.compare_exchange(false, true, AcqRel, Acquire).is_ok())?;
        let ch = &self.channels[i];
        // Wait for handlers still looking at a previous owner of the slot.
        spin_while(|| ch.users.load(Acquire) != 0);
        for c in ch.counts.iter() {
            c.store(0, Relaxed);
        }
        ch.armed.store(false, Relaxed);
        ch.write_fd.store(write_fd, Release);
        ch.subs[0].store(signals[0], Release);
        ch.subs[1].store(signals[1], Release);
        ch.open.store(true, SeqCst);
        for s in 1..NS as i32 {
            let (w, b) = word_bit(s + 1);
            if signals[w] & b != 0 {
                self.slot(s).channels.fetch_or(1u64 << i, AcqRel);
            }
        }
        Some(i)
    }

    /// Move up to `out.len()` pending (signal, arrivals, first_ns) of channel
    /// `i` into `out`, ascending; returns how many. When the channel is
    /// empty afterwards, `drained` must make its fd unreadable: it is called
    /// before `armed` is cleared, and the counts are checked again after.
    pub fn channel_read(
        &self,
        i: usize,
        out: &mut [(i32, u64, i64)],
        drained: impl FnOnce(),
    ) -> (usize, bool) {
        let ch = &self.channels[i];
        let mut n = 0;
        let mut s = 1;
        while s < NS && n < out.len() {
            if ch.counts[s].load(Acquire) != 0 {
                let first = ch.first_ns[s].load(Relaxed);
                let c = ch.counts[s].swap(0, AcqRel);
                if c != 0 {
                    out[n] = (s as i32, c, first);
                    n += 1;
                }
            }
            s += 1;
        }
        let rest_empty = (s..NS).all(|t| ch.counts[t].load(Acquire) == 0);
        if !rest_empty {
            return (n, false);
        }
        drained();
        ch.armed.store(false, SeqCst);
        // Arrivals between the scan and the disarm found `armed` set and did
        // not notify: if any count is non-zero now, arm and notify for them.
        let again = (1..NS).any(|t| ch.counts[t].load(SeqCst) != 0);
        let notify = again && !ch.armed.swap(true, AcqRel);
        (n, notify)
    }

    /// Close channel `i`: no handler touches it after this returns.
    pub fn channel_close(&self, i: usize) {
        let ch = &self.channels[i];
        // New handlers see `open` false (SeqCst, paired with the handler's
        // users increment and open load); those already inside are waited for.
        ch.open.store(false, SeqCst);
        fence(SeqCst);
        for s in 1..NS as i32 {
            self.slot(s).channels.fetch_and(!(1u64 << i), AcqRel);
        }
        spin_while(|| ch.users.load(SeqCst) != 0);
        ch.subs[0].store(0, Release);
        ch.subs[1].store(0, Release);
        ch.write_fd.store(-1, Release);
        ch.claimed.store(false, Release);
    }

    /// Remove `signum` from every channel (restore).
    pub fn channels_forget(&self, signum: i32) {
        let (w, b) = word_bit(signum + 1);
        let subscribed = self.slot(signum).channels.swap(0, AcqRel);
        for (i, ch) in self.channels.iter().enumerate() {
            if subscribed & (1u64 << i) != 0 {
                ch.subs[w].fetch_and(!b, AcqRel);
                ch.counts[signum as usize].store(0, Release);
            }
        }
    }

    /// Does any open channel subscribe to `signum`?
    pub fn has_channels(&self, signum: i32) -> bool {
        self.slot(signum).channels.load(Acquire) != 0
    }
}

pub fn wakeup_fd_of(word: i64) -> i32 {
    if word < 0 {
        -1
    } else {
        (word >> 3) as i32
    }
}
