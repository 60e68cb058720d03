//! The functions beyond CPython (version 0.2), in safe Rust: who sent a
//! signal and how many arrivals a dispatch stands for, listeners (several
//! owners of one signal), channels (an event loop of one's own), restoring
//! the dispositions rssignal found, and per-signal counters.

use crate::asyncsafe::{self, MAX_CHANNELS};
use crate::error::{Error, Result};
use crate::module::{check_range, in_range};
use crate::state::{self, CallbackFn, Change};
use crate::sys::{self, Notifier};
use crate::types::*;

/* ---- 6.1 delivery records ------------------------------------------------ */

/// The record of one signal with `arrivals` and `first_ns` from the caller
/// (the dispatch frame or a channel), the rest from the latest arrival.
fn delivery(signum: i32, arrivals: u64, first_ns: i64) -> rs_signal_delivery {
    let r = asyncsafe::record(signum);
    rs_signal_delivery {
        signum,
        arrivals: u32::try_from(arrivals).unwrap_or(u32::MAX).max(1),
        code: r.code,
        pid: r.pid,
        uid: r.uid,
        status: r.status,
        value: r.value,
        // A first time racing with a newer dispatch is never after the latest.
        first_ns: if first_ns == 0 || first_ns > r.last_ns { r.last_ns } else { first_ns },
        last_ns: r.last_ns,
    }
}

/// `rs_signal_delivery_info`: inside a callback or listener, on the
/// dispatching thread, the record of the signal being dispatched.
pub fn delivery_info() -> Result<rs_signal_delivery> {
    match state::frame() {
        Some((s, arrivals)) if state::is_main_thread() => {
            Ok(delivery(s, u64::from(arrivals), asyncsafe::first_ns(s)))
        }
        _ => Err(Error::value("no signal is being dispatched")),
    }
}

/* ---- 6.2 listeners ------------------------------------------------------------ */

/// `rs_signal_add_listener`: any thread.
pub fn add_listener(signum: i32, callback: rs_signal_callback, user_data: usize, flags: u32) -> Result<u64> {
    check_range(signum)?;
    if !sys::signal_accepted(signum) {
        return Err(Error::value("invalid signal value").with_signum(signum));
    }
    let callback: CallbackFn = callback.ok_or_else(|| Error::null("callback"))?;
    if flags & !RS_SIGNAL_LISTENER_ONESHOT != 0 {
        return Err(Error::value(format!(
            "unknown listener flags {:#x}",
            flags & !RS_SIGNAL_LISTENER_ONESHOT
        )));
    }
    state::ensure_init();
    state::add_listener(signum, callback, user_data, flags & RS_SIGNAL_LISTENER_ONESHOT != 0)
}

/// `rs_signal_remove_listener`: any thread, also from inside a callback.
pub fn remove_listener(id: u64) -> Result<()> {
    if state::remove_listener(id, state::is_main_thread())? {
        Ok(())
    } else {
        Err(Error::value("no such listener"))
    }
}

/* ---- 6.3 channels -------------------------------------------------------------- */

/// An open channel: its slot in the core's table, its fd, its signals.
pub struct Channel {
    index: usize,
    notifier: Notifier,
    signals: rs_sigset,
}

impl Channel {
    pub fn fd(&self) -> i32 {
        self.notifier.read_fd
    }
}

/// `rs_signal_channel_open`.
pub fn channel_open(signals: &rs_sigset, flags: u32) -> Result<Box<Channel>> {
    if !sys::HAS_CHANNELS {
        return Err(Error::unsupported("rs_signal_channel_open"));
    }
    if flags != 0 {
        return Err(Error::value(format!("unknown channel flags {flags:#x}")));
    }
    // The same range rules as every set (bit 0 and bits >= NSIG refused).
    signals.to_os()?;
    if signals.count() == 0 {
        return Err(Error::value("the signal set is empty"));
    }
    if let Some(s) = signals.iter().find(|&s| !sys::signal_accepted(s)) {
        return Err(Error::value("invalid signal value").with_signum(s));
    }
    state::ensure_init();
    let notifier = Notifier::open().map_err(Error::os)?;
    let mut g = state::lock();
    let Some(index) = asyncsafe::channel_open(notifier.write_fd, signals.bits) else {
        drop(g);
        notifier.close();
        let mut e = Error::os(sys::ENOSPC);
        e.message = format!("too many channels (at most {MAX_CHANNELS})");
        return Err(e);
    };
    let mut done = Vec::new();
    for s in signals.iter() {
        if let Err(e) = state::apply(&mut g, s, Change::Keep) {
            asyncsafe::channel_close(index);
            for &t in &done {
                let _ = state::apply(&mut g, t, Change::Keep);
            }
            drop(g);
            notifier.close();
            return Err(e);
        }
        done.push(s);
    }
    Ok(Box::new(Channel { index, notifier, signals: *signals }))
}

/// `rs_signal_channel_read`: up to `out.len()` records, ascending.
pub fn channel_read(ch: &mut Channel, out: &mut [rs_signal_delivery]) -> Result<usize> {
    if out.is_empty() {
        return Ok(0);
    }
    let mut raw = [(0i32, 0u64, 0i64); 128];
    let max = out.len().min(raw.len());
    let notifier = ch.notifier;
    let n = asyncsafe::channel_read(ch.index, &mut raw[..max], || notifier.drain());
    for (slot, &(s, count, first)) in out.iter_mut().zip(&raw[..n]) {
        *slot = delivery(s, count, first);
    }
    Ok(n)
}

/// `rs_signal_channel_close`.
pub fn channel_close(ch: Channel) -> Result<()> {
    let mut g = state::lock();
    asyncsafe::channel_close(ch.index);
    let mut first_error = None;
    for s in ch.signals.iter() {
        if let Err(e) = state::apply(&mut g, s, Change::Keep) {
            first_error.get_or_insert(e);
        }
    }
    drop(g);
    ch.notifier.close();
    first_error.map_or(Ok(()), Err)
}

/* ---- 6.4 restore ----------------------------------------------------------------- */

/// `rs_signal_restore`: 0 = every signal rssignal changed.
pub fn restore(signum: i32) -> Result<()> {
    if signum != 0 {
        check_range(signum)?;
    }
    state::ensure_init();
    let mut g = state::lock();
    let signals = if signum == 0 { state::changed_signals(&mut g) } else { vec![signum] };
    let mut first_error = None;
    for s in signals {
        if let Err(e) = state::restore(&mut g, s) {
            first_error.get_or_insert(e);
        }
    }
    first_error.map_or(Ok(()), Err)
}

/* ---- 6.5 stats ------------------------------------------------------------------- */

/// `rs_signal_get_stats`: any thread.
pub fn get_stats(signum: i32) -> Result<rs_signal_stats> {
    if !in_range(signum) {
        return Err(Error::out_of_range(signum));
    }
    let s = asyncsafe::stats(signum);
    Ok(rs_signal_stats {
        arrivals: s.arrivals,
        dispatches: s.dispatches,
        listener_calls: s.listener_calls,
        wakeup_failures: s.wakeup_failures,
        last_arrival_ns: s.last_arrival_ns,
        last_dispatch_ns: s.last_dispatch_ns,
    })
}
