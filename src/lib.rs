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

// The header's constants are literals (cbindgen cannot evaluate paths):
// pin each one to the platform's value at compile time.
const _: () = {
    use libc::*;
    let pairs: &[(i32, i32)] = &[
        (RS_NSIG, 65),
        (RS_SIG_BLOCK, SIG_BLOCK),
        (RS_SIG_UNBLOCK, SIG_UNBLOCK),
        (RS_SIG_SETMASK, SIG_SETMASK),
        (RS_ITIMER_REAL, ITIMER_REAL),
        (RS_ITIMER_VIRTUAL, ITIMER_VIRTUAL),
        (RS_ITIMER_PROF, ITIMER_PROF),
        (RS_SIGHUP, SIGHUP),
        (RS_SIGINT, SIGINT),
        (RS_SIGQUIT, SIGQUIT),
        (RS_SIGILL, SIGILL),
        (RS_SIGTRAP, SIGTRAP),
        (RS_SIGABRT, SIGABRT),
        (RS_SIGIOT, SIGIOT),
        (RS_SIGBUS, SIGBUS),
        (RS_SIGFPE, SIGFPE),
        (RS_SIGKILL, SIGKILL),
        (RS_SIGUSR1, SIGUSR1),
        (RS_SIGSEGV, SIGSEGV),
        (RS_SIGUSR2, SIGUSR2),
        (RS_SIGPIPE, SIGPIPE),
        (RS_SIGALRM, SIGALRM),
        (RS_SIGTERM, SIGTERM),
        (RS_SIGSTKFLT, SIGSTKFLT),
        (RS_SIGCHLD, SIGCHLD),
        (RS_SIGCLD, SIGCHLD),
        (RS_SIGCONT, SIGCONT),
        (RS_SIGSTOP, SIGSTOP),
        (RS_SIGTSTP, SIGTSTP),
        (RS_SIGTTIN, SIGTTIN),
        (RS_SIGTTOU, SIGTTOU),
        (RS_SIGURG, SIGURG),
        (RS_SIGXCPU, SIGXCPU),
        (RS_SIGXFSZ, SIGXFSZ),
        (RS_SIGVTALRM, SIGVTALRM),
        (RS_SIGPROF, SIGPROF),
        (RS_SIGWINCH, SIGWINCH),
        (RS_SIGIO, SIGIO),
        (RS_SIGPOLL, SIGPOLL),
        (RS_SIGPWR, SIGPWR),
        (RS_SIGSYS, SIGSYS),
    ];
    let mut i = 0;
    while i < pairs.len() {
        assert!(pairs[i].0 == pairs[i].1, "a header constant differs from <signal.h>");
        i += 1;
    }
};

#[cfg(test)]
mod tests {
    /// include/rssignal.h must be what build.rs generates from the sources.
    #[test]
    fn checked_in_header_is_current() {
        let generated = include_str!(concat!(env!("OUT_DIR"), "/rssignal.h"));
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/include/rssignal.h");
        let checked_in = std::fs::read_to_string(path).expect("include/rssignal.h is missing");
        assert!(generated == checked_in, "include/rssignal.h is stale: run `make header` and commit it");
    }
}
