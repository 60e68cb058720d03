//! Every function of the C API, declared with the Rust types of
//! src/types.rs. ctest2 compiles, for each one, a C function returning a
//! pointer to the header's declaration typed as this signature: a different
//! return or parameter type (const-ness of pointees included) fails the C
//! build under -Werror, and the run compares the two addresses.
//!
//! Parsed by ctest2's own (edition-2021) parser: plain syntax only.

use super::types::*;
use libc::{c_char, c_int, c_uint, c_void};

extern "C" {
    /* ---- errors, version --------------------------------------------- */
    pub fn rs_signal_version() -> *const c_char;
    pub fn rs_signal_last_error(out: *mut rs_signal_error) -> c_int;
    pub fn rs_signal_status_name(status: c_int) -> *const c_char;
    pub fn rs_signal_status_exception(status: c_int) -> *const c_char;

    /* ---- dispatch, threads, hooks ---------------------------------------- */
    pub fn rs_signal_check() -> c_int;
    pub fn rs_signal_pending() -> c_int;
    pub fn rs_signal_set_interrupt(signum: c_int) -> c_int;
    pub fn rs_signal_interrupt_occurred() -> c_int;
    pub fn rs_signal_install_default_handlers() -> c_int;
    pub fn rs_signal_finalize() -> c_int;
    pub fn rs_signal_set_main_thread() -> c_int;
    pub fn rs_signal_is_main_thread() -> c_int;
    pub fn rs_signal_thread_id() -> u64;
    pub fn rs_signal_set_unraisable_hook(hook: rs_signal_unraisable_hook, user_data: *mut c_void) -> c_int;
    pub fn rs_signal_default_int_handler(signum: c_int, user_data: *mut c_void) -> c_int;

    /* ---- the module surface --------------------------------------------- */
    pub fn rs_signal_signal(
        signum: c_int,
        handler: *const rs_signal_handler,
        old: *mut rs_signal_handler,
    ) -> c_int;
    pub fn rs_signal_getsignal(signum: c_int, out: *mut rs_signal_handler) -> c_int;
    pub fn rs_signal_strsignal(signum: c_int, description: *mut *const c_char) -> c_int;
    pub fn rs_signal_valid_signals(out: *mut rs_sigset) -> c_int;
    pub fn rs_signal_raise_signal(signum: c_int) -> c_int;
    pub fn rs_signal_alarm(seconds: c_uint) -> c_uint;
    pub fn rs_signal_pause() -> c_int;
    pub fn rs_signal_pidfd_send_signal(
        pidfd: c_int,
        signum: c_int,
        siginfo: *const c_void,
        flags: c_uint,
    ) -> c_int;
    pub fn rs_signal_pthread_kill(thread_id: u64, signum: c_int) -> c_int;
    pub fn rs_signal_pthread_sigmask(how: c_int, mask: *const rs_sigset, old: *mut rs_sigset) -> c_int;
    pub fn rs_signal_setitimer(
        which: c_int,
        seconds: f64,
        interval: f64,
        old: *mut rs_signal_itimer_value,
    ) -> c_int;
    pub fn rs_signal_getitimer(which: c_int, out: *mut rs_signal_itimer_value) -> c_int;
    pub fn rs_signal_set_wakeup_fd(fd: c_int, warn_on_full_buffer: c_int, old_fd: *mut c_int) -> c_int;
    pub fn rs_signal_siginterrupt(signum: c_int, flag: c_int) -> c_int;
    pub fn rs_signal_sigpending(out: *mut rs_sigset) -> c_int;
    pub fn rs_signal_sigwait(set: *const rs_sigset, signum: *mut c_int) -> c_int;
    pub fn rs_signal_sigwaitinfo(set: *const rs_sigset, info: *mut rs_signal_siginfo) -> c_int;
    pub fn rs_signal_sigtimedwait(set: *const rs_sigset, timeout: f64, info: *mut rs_signal_siginfo)
        -> c_int;

    /* ---- names and constants ---------------------------------------------- */
    pub fn rs_signal_sigrtmin() -> c_int;
    pub fn rs_signal_sigrtmax() -> c_int;
    pub fn rs_signal_name(signum: c_int) -> *const c_char;
    pub fn rs_signal_from_name(name: *const c_char, signum: *mut c_int) -> c_int;
    pub fn rs_signal_constant_count() -> usize;
    pub fn rs_signal_constant_at(index: usize, name: *mut *const c_char, value: *mut c_int) -> c_int;

    /* ---- signal sets --------------------------------------------------------- */
    pub fn rs_sigset_empty(set: *mut rs_sigset) -> c_int;
    pub fn rs_sigset_add(set: *mut rs_sigset, signum: c_int) -> c_int;
    pub fn rs_sigset_del(set: *mut rs_sigset, signum: c_int) -> c_int;
    pub fn rs_sigset_contains(set: *const rs_sigset, signum: c_int) -> c_int;
    pub fn rs_sigset_count(set: *const rs_sigset) -> c_int;
    pub fn rs_sigset_next(set: *const rs_sigset, after: c_int) -> c_int;
    pub fn rs_sigset_from_array(signums: *const c_int, count: usize, out: *mut rs_sigset) -> c_int;

    /* ---- beyond CPython (0.2) -------------------------------------------------- */
    pub fn rs_signal_delivery_info(out: *mut rs_signal_delivery) -> c_int;
    pub fn rs_signal_add_listener(
        signum: c_int,
        cb: rs_signal_callback,
        user_data: *mut c_void,
        flags: c_uint,
        id: *mut rs_signal_listener_id,
    ) -> c_int;
    pub fn rs_signal_remove_listener(id: rs_signal_listener_id) -> c_int;
    pub fn rs_signal_channel_open(signals: *const rs_sigset, flags: c_uint, out: *mut *mut rs_signal_channel) -> c_int;
    pub fn rs_signal_channel_fd(ch: *const rs_signal_channel) -> c_int;
    pub fn rs_signal_channel_read(
        ch: *mut rs_signal_channel,
        out: *mut rs_signal_delivery,
        max: usize,
        count: *mut usize,
    ) -> c_int;
    pub fn rs_signal_channel_close(ch: *mut rs_signal_channel) -> c_int;
    pub fn rs_signal_restore(signum: c_int) -> c_int;
    pub fn rs_signal_get_stats(signum: c_int, out: *mut rs_signal_stats) -> c_int;

    /* ---- data ---------------------------------------------------------------- */
    /// `extern const volatile uint32_t rs_signal_pending_word;` (read by
    /// the header's static inline rs_signal_check_inline()).
    pub static rs_signal_pending_word: u32;
}

/* ---- callback typedef probes ------------------------------------------------ */
// Not part of the API. Each has the signature of a callback type alias of
// types.rs (main.rs fails to compile otherwise), and build.rs's fn_cname
// makes ctest2 return `(<typedef>)<link_name>` as that signature: a header
// typedef that differs fails the C build. The addresses compare equal.
extern "C" {
    #[link_name = "rs_signal_default_int_handler"]
    pub fn probe_rs_signal_callback(signum: c_int, user_data: *mut c_void) -> c_int;
    #[link_name = "rs_signal_check"]
    pub fn probe_rs_signal_unraisable_hook(report: *const rs_signal_unraisable, user_data: *mut c_void);
}
