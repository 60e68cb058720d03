//! The ABI check of rssignal: ctest2's generated tests (built by build.rs)
//! plus the checks that need a run-time value. Prints one line
//! `ctest2: N passed, M failed` and exits non-zero on any mismatch.
//!
//! Run: `cargo run --release --manifest-path tests/abi/Cargo.toml`
//! (`make test-abi`). RSSIGNAL_INCDIR / RSSIGNAL_LIBDIR choose the header
//! and library (default: ../../include and ../../build/lib).
#![allow(bad_style, dead_code, unused_imports, improper_ctypes, clippy::all)]
// ctest2 0.4.10's generated code casts fn items straight to usize.
#![allow(unknown_lints, function_casts_as_integer)]
// The typedef probes of ffi.rs reuse symbols with another signature.
#![allow(clashing_extern_declarations)]

/// The function declarations checked against the header.
mod ffi;
/// The real definitions, never a copy.
#[path = "../../../src/types.rs"]
mod types;
/// The platform constants as 0.1 had them on Linux.
mod linux_0_1;
use linux_0_1 as consts;
/// `SIGINT = RS_SIGINT` …, checked against <signal.h> and <sys/time.h>.
mod sys {
    include!(concat!(env!("OUT_DIR"), "/sys.rs"));
}

// Names ctest2's generated code uses unqualified.
use ffi::*;
use libc::{c_char, c_int, c_uint, c_void};
use sys::*;
use consts::*;
use types::*;

// The probes of ffi.rs have exactly the callback types of types.rs.
const _: rs_signal_callback = Some(probe_rs_signal_callback);
const _: rs_signal_unraisable_hook = Some(probe_rs_signal_unraisable_hook);

/// Failed checks (ctest2 only keeps a flag; build.rs makes it count here).
static NFAILED: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

// ctest2's output: `run_all()`, `same()`, FAILED, NTESTS, one fn per check.
include!(concat!(env!("OUT_DIR"), "/all.rs"));

/// Values C only has at run time: glibc's SIGRTMIN/SIGRTMAX are calls.
fn run_time_checks() {
    let (rtmin, rtmax) = (libc::SIGRTMIN(), libc::SIGRTMAX());
    same(RS_SIGRTMIN, rtmin, "RS_SIGRTMIN == SIGRTMIN");
    same(RS_SIGRTMAX, rtmax, "RS_SIGRTMAX == SIGRTMAX");
    unsafe {
        same(rs_signal_sigrtmin(), rtmin, "rs_signal_sigrtmin() == SIGRTMIN");
        same(rs_signal_sigrtmax(), rtmax, "rs_signal_sigrtmax() == SIGRTMAX");
    }
}

fn main() {
    use std::sync::atomic::Ordering::SeqCst;
    eprintln!("RUNNING ALL TESTS");
    run_all();
    run_time_checks();
    let passed = NTESTS.load(SeqCst);
    let mut failed = NFAILED.load(SeqCst);
    if FAILED.load(SeqCst) && failed == 0 {
        failed = 1;
    }
    println!("ctest2: {passed} passed, {failed} failed");
    if failed > 0 {
        eprintln!("rssignal ABI check FAILED: Rust definitions, rssignal.h and system headers differ");
        std::process::exit(1);
    }
}
