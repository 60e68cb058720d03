//! Model checks of the slot protocol: no lost arrival in the counts, no torn
//! record, no dispatch or channel record without an arrival, a readable
//! channel fd whenever a channel has something to read, a consistent wakeup
//! word while the main thread swaps it.

use crate::protocol::{lowest, Core};
use crate::{Arrival, WakeupKind};
use loom::sync::atomic::AtomicU32;
use loom::sync::Arc;
use loom::thread;

type SmallCore = Core<4, 2>;

fn core() -> Arc<SmallCore> {
    let flag: &'static AtomicU32 = Box::leak(Box::new(AtomicU32::new(0)));
    Arc::new(Core::new(flag))
}

/// Run `f` on a new model thread with its own handle on the core.
fn on_thread<T: 'static>(
    c: &Arc<SmallCore>,
    f: impl FnOnce(&SmallCore) -> T + 'static,
) -> thread::JoinHandle<T> {
    let c = c.clone();
    thread::spawn(move || f(&c))
}

fn arrival(pid: i32) -> Arrival {
    Arrival { code: 0, pid, uid: pid as u32, status: pid, value: pid as i64 }
}

/// Drain everything the dispatcher can see now: (signal, arrivals) summed.
fn dispatch_once(c: &SmallCore, seen: &mut [u64; 4]) {
    if let Some(bits) = c.begin() {
        let mut bits = bits;
        while let Some(s) = lowest(bits) {
            bits[0] &= !(1u64 << (s - 1));
            seen[s as usize] += u64::from(c.drain(s));
        }
    }
}

/// Two arrivals on another thread (one signal twice, as two handler entries
/// on two threads would) against a dispatcher running concurrently: every
/// arrival is counted exactly once, and after the handler is done the flag
/// still leads the dispatcher to whatever it has not taken.
#[test]
fn no_lost_arrival_between_handler_and_dispatch() {
    loom::model(|| {
        let c = core();
        c.set_forward(1, true);
        c.set_forward(2, true);
        let h = on_thread(&c, |c| {
            c.arrive(1, &arrival(1), 10, false);
            c.arrive(2, &arrival(2), 11, false);
        });
        let mut seen = [0u64; 4];
        dispatch_once(&c, &mut seen);
        h.join().unwrap();
        dispatch_once(&c, &mut seen);
        assert_eq!(seen[1], 1, "signal 1 counted once");
        assert_eq!(seen[2], 1, "signal 2 counted once");
        assert!(c.begin().is_none(), "nothing left behind a set flag");
    });
}

/// Two concurrent arrivals of one signal: the counts add up and the
/// dispatcher never reports more arrivals than happened.
#[test]
fn concurrent_arrivals_of_one_signal_add_up() {
    loom::model(|| {
        let c = core();
        c.set_forward(3, true);
        let hs: Vec<_> = (0..2)
            .map(|i| {
                on_thread(&c, move |c| {
                    c.arrive(3, &arrival(i + 1), 5, false);
                })
            })
            .collect();
        let mut seen = [0u64; 4];
        dispatch_once(&c, &mut seen);
        assert!(seen[3] <= 2);
        for h in hs {
            h.join().unwrap();
        }
        dispatch_once(&c, &mut seen);
        assert_eq!(seen[3], 2);
        assert_eq!(c.stats(3).arrivals, 2);
    });
}

/// Two writers racing on one record and a reader: the reader sees one
/// arrival's fields, never a mix (pid, uid, status and value agree).
#[test]
fn no_torn_record() {
    loom::model(|| {
        let c = core();
        let hs: Vec<_> = [7, 9]
            .into_iter()
            .map(|pid| {
                on_thread(&c, move |c| {
                    c.arrive(1, &arrival(pid), i64::from(pid), false);
                })
            })
            .collect();
        let r = c.record(1);
        assert_eq!(r.pid as u32, r.uid);
        assert_eq!(r.pid, r.status);
        assert_eq!(i64::from(r.pid), r.value);
        assert!(r.pid == 0 || r.last_ns == i64::from(r.pid));
        for h in hs {
            h.join().unwrap();
        }
        let r = c.record(1);
        assert!(r.pid == 7 || r.pid == 9, "a record of one of the arrivals");
    });
}

/// A real arrival and a simulated one (rs_signal_set_interrupt) racing, and
/// a reader: the record is the real one whole, or the simulated one (its
/// time alone, no field of the real one), or none yet; afterwards, the newer.
#[test]
fn real_and_simulated_records_never_mix() {
    loom::model(|| {
        let c = core();
        let real = on_thread(&c, |c| {
            c.arrive(1, &arrival(7), 7, false);
        });
        let sim = on_thread(&c, |c| {
            c.arrive_simulated(1, 9, false);
        });
        let r = c.record(1);
        if r.simulated {
            assert_eq!((r.pid, r.uid, r.status, r.value, r.last_ns), (0, 0, 0, 0, 9));
        } else {
            assert!(r.pid == 0 || (r.pid, r.uid, r.status, r.value, r.last_ns) == (7, 7, 7, 7, 7));
        }
        real.join().unwrap();
        sim.join().unwrap();
        let r = c.record(1);
        assert!(r.simulated && r.last_ns == 9, "the newer arrival's record");
    });
}

/// An unforwarded signal (channels only, or DFL) never reaches the
/// dispatcher: no callback without an arrival meant for it.
#[test]
fn no_dispatch_without_a_forwarded_arrival() {
    loom::model(|| {
        let c = core();
        let h = on_thread(&c, |c| {
            c.arrive(2, &arrival(1), 1, false);
        });
        let mut seen = [0u64; 4];
        dispatch_once(&c, &mut seen);
        h.join().unwrap();
        dispatch_once(&c, &mut seen);
        assert_eq!(seen, [0; 4]);
    });
}

/// The handler against a channel reader: every arrival is read once, a
/// record is only produced for an arrival, and whenever the channel still
/// holds a count after the reader finished, a notification was made for it
/// (the fd is readable), so a reader polling the fd never misses one.
#[test]
fn channel_reads_every_arrival_and_stays_readable_while_not_empty() {
    loom::model(|| {
        let c = core();
        let i = c.channel_open(100, [1 << 1, 0]).unwrap();
        let notified = Arc::new(AtomicU32::new(0));
        let h = {
            let notified = notified.clone();
            on_thread(&c, move |c| {
                for t in 0..2 {
                    let f = c.arrive(1, &arrival(1), t, false);
                    if f.notify != 0 {
                        notified.fetch_add(1, loom::sync::atomic::Ordering::SeqCst);
                        c.channel_done(i);
                    }
                }
            })
        };
        let mut total = 0;
        let mut reader_notified = 0;
        let mut out = [(0, 0, 0); 4];
        let (n, again) = c.channel_read(i, &mut out, || {});
        for r in &out[..n] {
            assert_eq!(r.0, 1);
            total += r.1;
        }
        if again {
            reader_notified += 1;
        }
        h.join().unwrap();
        let pending_notifications = notified.load(loom::sync::atomic::Ordering::SeqCst) + reader_notified;
        let (n, _) = c.channel_read(i, &mut out, || {});
        let rest: u64 = out[..n].iter().map(|r| r.1).sum();
        assert!(rest == 0 || pending_notifications > 0, "a count without a readable fd");
        total += rest;
        assert_eq!(total, 2, "every arrival read exactly once");
    });
}

/// Closing a channel while a handler looks at it: a handler that still
/// holds the channel sees its fd only while close() has not returned (so it
/// never writes to a closed, maybe reused, fd), else -1.
#[test]
fn close_waits_for_the_handler() {
    use loom::sync::atomic::{AtomicBool, Ordering::SeqCst};
    loom::model(|| {
        let c = core();
        let closed = Arc::new(AtomicBool::new(false));
        let i = c.channel_open(100, [1 << 2, 0]).unwrap();
        let h = {
            let closed = closed.clone();
            on_thread(&c, move |c| {
                let f = c.arrive(2, &arrival(1), 1, false);
                if f.notify != 0 {
                    let fd = c.channel_write_fd(i);
                    assert!(fd == 100 || fd == -1, "fd {fd}");
                    if fd == 100 {
                        assert!(!closed.load(SeqCst), "the fd is used after close returned");
                    }
                    c.channel_done(i);
                }
            })
        };
        c.channel_close(i);
        closed.store(true, SeqCst);
        assert_eq!(c.channel_write_fd(i), -1);
        h.join().unwrap();
    });
}

/// The wakeup word changes while the handler reads it: the handler sees the
/// old or the new (fd, kind, warn), never a mix.
#[test]
fn wakeup_word_is_read_whole() {
    loom::model(|| {
        let c = core();
        c.swap_wakeup(5, WakeupKind::Write, false);
        let h = on_thread(&c, |c| c.wakeup_word());
        c.swap_wakeup(9, WakeupKind::Send, true);
        let w = h.join().unwrap();
        let (fd, warn, kind) = (w >> 3, w & 4 != 0, WakeupKind::from_bits(w));
        assert!(
            (fd, warn, kind) == (5, false, WakeupKind::Write)
                || (fd, warn, kind) == (9, true, WakeupKind::Send),
            "mixed wakeup word {w:#x}"
        );
    });
}

/// A handler writing to the wakeup fd while the main thread replaces it and
/// then closes the old one: the handler writes to the new fd, or to the old
/// one before the close, never after.
#[test]
fn no_wakeup_write_after_the_swap_returns() {
    use loom::sync::atomic::{AtomicBool, Ordering::SeqCst};
    loom::model(|| {
        let c = core();
        let closed = Arc::new(AtomicBool::new(false));
        c.swap_wakeup(5, WakeupKind::Write, false);
        let h = {
            let closed = closed.clone();
            on_thread(&c, move |c| {
                let w = c.wakeup_enter();
                // The write: to fd 5 only while it is open.
                if w >= 0 && w >> 3 == 5 {
                    assert!(!closed.load(SeqCst), "wrote to the old fd after the swap returned");
                }
                c.wakeup_leave();
            })
        };
        assert_eq!(c.swap_wakeup(9, WakeupKind::Write, false), 5);
        closed.store(true, SeqCst);
        h.join().unwrap();
    });
}
