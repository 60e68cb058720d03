//! The core's protocol (src/asyncsafe/protocol.rs) compiled with loom's
//! atomics, so that loom explores every interleaving (and every weak-memory
//! outcome loom models) of the handler, the dispatcher, channel readers and
//! wakeup-fd changes. Run with `RUSTFLAGS="--cfg loom"` (`make loom`).
//!
//! This crate root stands where src/asyncsafe/mod.rs stands for the
//! library: it gives the protocol its `atomic` module and plain data.

#[path = "../../../src/sys/common.rs"]
#[allow(dead_code)]
mod sys_common;

use sys_common::{Arrival, WakeupKind};

pub mod atomic {
    pub use loom::sync::atomic::*;

    pub fn spin_wait(_tries: u32) {
        loom::thread::yield_now();
    }
}

#[path = "../../../src/asyncsafe/protocol.rs"]
#[allow(dead_code)]
mod protocol;

#[cfg(all(test, loom))]
mod model;
