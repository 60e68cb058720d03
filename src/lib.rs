//! rssignal: Python's `signal` module with CPython's deferred-dispatch
//! semantics, as a C library.
//!
//! Layers, from the inside out:
//! - `asyncsafe`: the async-signal-safe core — the tripped-flag table, the
//!   real handler and the wakeup write. Private; never exported.
//! - `state`: the handler table, lazy initialisation, main thread, fork hooks.
//! - `module`: the module's functions in safe Rust, with CPython's messages.
//! - `ffi`: the only `extern "C"` layer; checks pointers, catches panics,
//!   sets the thread's last error.

mod asyncsafe;
pub mod error;
mod ffi;
pub mod module;
mod names;
mod sigset;
mod state;
pub mod types;

pub use error::{Error, Result};
pub use ffi::*;
pub use types::*;
