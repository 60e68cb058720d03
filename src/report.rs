//! Unraisable reports (Python's `sys.unraisablehook`): what cannot be
//! returned to a caller — wakeup-fd write failures, signals ignored due to a
//! race, invalid signal numbers skipped in a set. The hook is set with
//! rs_signal_set_unraisable_hook(); without one, a report is one line on
//! stderr.

use std::ffi::CString;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::error;
use crate::state;
use crate::sys;
use crate::types::*;

/// A report for the unraisable hook.
pub struct Report {
    pub status: i32,
    pub os_errno: i32,
    pub signum: i32,
    pub message: String,
}

static HOOK: AtomicUsize = AtomicUsize::new(0);
static HOOK_DATA: AtomicUsize = AtomicUsize::new(0);

type HookFn = unsafe extern "C" fn(*const rs_signal_unraisable, *mut libc::c_void);

/// Set the hook (None: back to the default line on stderr).
pub fn set_hook(hook: rs_signal_unraisable_hook, data: *mut libc::c_void) {
    let _g = state::lock();
    HOOK.store(hook.map_or(0, |f| f as usize), Ordering::Release);
    HOOK_DATA.store(data as usize, Ordering::Release);
}

fn hook() -> Option<(HookFn, *mut libc::c_void)> {
    let _g = state::lock();
    let f = HOOK.load(Ordering::Acquire);
    if f == 0 {
        return None;
    }
    // SAFETY: a non-zero HOOK always came from a valid HookFn.
    let f: HookFn = unsafe { std::mem::transmute::<usize, HookFn>(f) };
    Some((f, HOOK_DATA.load(Ordering::Acquire) as *mut libc::c_void))
}

/// Give `r` to the unraisable hook, or print it as one line on stderr.
/// The caller's last error is kept.
pub fn report(r: &Report) {
    let message = CString::new(r.message.replace('\0', " ")).unwrap_or_default();
    match hook() {
        Some((hook, data)) => {
            let c = rs_signal_unraisable {
                status: r.status,
                os_errno: r.os_errno,
                signum: r.signum,
                message: message.as_ptr(),
            };
            let saved = error::last();
            // SAFETY: the hook was registered by the application for exactly
            // this call; the report and its message live across the call.
            unsafe { hook(&c, data) };
            // Only a failing call inside the hook changes the last error; put
            // the caller's back then (and only then, so a message pointer the
            // caller holds stays valid).
            if error::last() != saved {
                error::restore_last(saved);
            }
        }
        None => {
            let mut line = message.into_bytes();
            line.push(b'\n');
            sys::write_stderr(&line);
        }
    }
}
