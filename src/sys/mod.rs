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

/// A table of signal names in value order, each name written once:
/// `SIGHUP` is `(c"SIGHUP", libc::SIGHUP)`; `SIGIOT = SIGABRT` names an
/// alias whose value the C library spells by the other name. Elements may
/// carry `#[cfg(...)]`.
#[allow(unused_macros)]
macro_rules! signal_table {
    ($($(#[$m:meta])* $name:ident $(= $value:ident)?),* $(,)?) => {
        &[$($(#[$m])* (signal_table!(@name $name), signal_table!(@value $name $($value)?))),*]
    };
    (@name $name:ident) => {
        match std::ffi::CStr::from_bytes_with_nul(concat!(stringify!($name), "\0").as_bytes()) {
            Ok(c) => c,
            Err(_) => panic!("a signal name with a NUL"),
        }
    };
    (@value $name:ident) => { libc::$name };
    (@value $name:ident $value:ident) => { libc::$value };
}

mod common;
pub(crate) use common::*;

#[cfg(unix)]
mod unix;
#[cfg(unix)]
pub(crate) use unix::*;

#[cfg(windows)]
mod windows;
#[cfg(windows)]
pub(crate) use windows::*;
