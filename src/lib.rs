//! rssignal: Python's `signal` module with CPython's deferred-dispatch
//! semantics, as a C library.
//!
//! Layers, from the inside out (each uses only those above it in this list):
//! - `sys`: the platform layer — every OS call and OS fact, the only place
//!   with platform `cfg`s.
//! - `types`, `error`: the C types and constants of the ABI; errors and the
//!   thread's last error.
//! - `asyncsafe`: the async-signal-safe core — per-signal slots, the real
//!   handler, the wakeup write, the channel table. Its atomics are private;
//!   it offers a drain API. Its one exported item is the read-only
//!   `rs_signal_pending_word` that the header's inline check reads.
//! - `state`, `report`: the handler table, listeners, original dispositions
//!   and the install transaction, main thread, fork; unraisable reports.
//! - `sigset`, `names`, `module`, `beyond`: the module's functions in safe
//!   Rust (CPython's surface, then the functions beyond it).
//! - `ffi`: the only `extern "C"` functions; checks pointers, catches
//!   panics, sets the thread's last error.

mod asyncsafe;
mod beyond;
pub mod error;
mod ffi;
pub mod module;
mod names;
mod report;
mod sigset;
mod state;
mod sys;
pub mod types;

pub use error::{Error, Result};
pub use ffi::*;
pub use types::*;

#[cfg(test)]
mod tests {
    /// include/rssignal.h must be what build.rs generates from the sources.
    #[test]
    #[cfg_attr(miri, ignore = "reads include/rssignal.h from disk, which Miri's isolation forbids")]
    fn checked_in_header_is_current() {
        let generated = include_str!(concat!(env!("OUT_DIR"), "/rssignal.h"));
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/include/rssignal.h");
        let checked_in = std::fs::read_to_string(path).expect("include/rssignal.h is missing");
        assert!(generated == checked_in, "include/rssignal.h is stale: run `make header` and commit it");
    }
}
