//! rssignal for Zig: a thin wrapper of the rssignal C library (Python's
//! signal module with CPython's deferred dispatch) with error unions.
//! Handlers run at a dispatch point (`check()`, or a call that dispatches)
//! on the main thread, never in signal context; the wakeup fd wakes a poll
//! loop when a signal arrives.
//!
//!     const rssignal = @import("rssignal");
//!     fn onUsr1(sig: c_int, count: *u32) anyerror!void { _ = sig; count.* += 1; }
//!     try rssignal.handle(u32, rssignal.SIGUSR1, onUsr1, &count);
//!     ...            // poll the wakeup fd
//!     try rssignal.check();  // onUsr1 runs here; its error comes out here
//!
//! `c` is the whole C API (translate-c of rssignal.h) for what is not wrapped.
const std = @import("std");
pub const c = @import("rssignal_c");

/// The library's failure statuses as Zig errors.
pub const Error = error{
    Value, // RS_SIGNAL_EVALUE: ValueError
    OS, // RS_SIGNAL_EOS: OSError (lastError().os_errno)
    Itimer, // RS_SIGNAL_EITIMER: ItimerError
    Type, // RS_SIGNAL_ETYPE: TypeError
    Overflow, // RS_SIGNAL_EOVERFLOW: OverflowError
    Handler, // RS_SIGNAL_EHANDLER, or a C callback's own code
    KeyboardInterrupt, // RS_SIGNAL_EKEYBOARDINTERRUPT
    Unsupported, // RS_SIGNAL_EUNSUPPORTED
    Internal, // RS_SIGNAL_EINTERNAL: a bug in rssignal
};

pub const SIGINT: c_int = c.RS_SIGINT;
pub const SIGUSR1: c_int = c.RS_SIGUSR1;
pub const SIGUSR2: c_int = c.RS_SIGUSR2;
pub const SIGTERM: c_int = c.RS_SIGTERM;
pub const SIGKILL: c_int = c.RS_SIGKILL;
pub const NSIG: c_int = c.RS_NSIG;

/// Turns a status into an error union: values >= 0 pass through.
pub fn toError(rc: c_int) Error!c_int {
    return switch (rc) {
        c.RS_SIGNAL_EVALUE => error.Value,
        c.RS_SIGNAL_EOS => error.OS,
        c.RS_SIGNAL_EITIMER => error.Itimer,
        c.RS_SIGNAL_ETYPE => error.Type,
        c.RS_SIGNAL_EOVERFLOW => error.Overflow,
        c.RS_SIGNAL_EKEYBOARDINTERRUPT => error.KeyboardInterrupt,
        c.RS_SIGNAL_EUNSUPPORTED => error.Unsupported,
        c.RS_SIGNAL_EINTERNAL => error.Internal,
        else => if (rc < 0) error.Handler else rc,
    };
}

/// The calling thread's last error (details of the last failure).
pub const LastError = struct {
    status: c_int,
    os_errno: c_int,
    signum: c_int,
    handler_result: c_int,
    message: [:0]const u8,
};

pub fn lastError() LastError {
    var e: c.rs_signal_error = std.mem.zeroes(c.rs_signal_error);
    _ = c.rs_signal_last_error(&e);
    return .{
        .status = e.status,
        .os_errno = e.os_errno,
        .signum = e.signum,
        .handler_result = e.handler_result,
        .message = if (e.message) |m| std.mem.span(m) else "",
    };
}

/// The error a Zig handler returned, when that is what stopped a dispatch
/// (check() and the like then return it). Main thread only, like handlers.
var handler_error: ?anyerror = null;

fn callResult(rc: c_int) anyerror!c_int {
    if (rc == c.RS_SIGNAL_EUSER) {
        if (handler_error) |e| {
            handler_error = null;
            return e;
        }
    }
    return toError(rc);
}

/// Make `func(signum, ctx)` the handler of `sig` (Python's signal.signal).
/// An error it returns comes out of the call that dispatched it.
pub fn handle(
    comptime Ctx: type,
    sig: c_int,
    comptime func: fn (sig: c_int, ctx: *Ctx) anyerror!void,
    ctx: *Ctx,
) Error!void {
    const Wrap = struct {
        fn callback(signum: c_int, user_data: ?*anyopaque) callconv(.c) c_int {
            const p: *Ctx = @ptrCast(@alignCast(user_data.?));
            func(signum, p) catch |e| {
                handler_error = e;
                return c.RS_SIGNAL_EUSER;
            };
            return 0;
        }
    };
    const h = c.rs_signal_handler{ .kind = c.RS_SIGNAL_HANDLER_CALLBACK, .callback = Wrap.callback, .user_data = ctx };
    _ = try toError(c.rs_signal_signal(sig, &h, null));
}

/// SIG_IGN for `sig`.
pub fn ignore(sig: c_int) Error!void {
    const h = c.rs_signal_handler{ .kind = c.RS_SIG_IGN, .callback = null, .user_data = null };
    _ = try toError(c.rs_signal_signal(sig, &h, null));
}

/// SIG_DFL for `sig`.
pub fn reset(sig: c_int) Error!void {
    const h = c.rs_signal_handler{ .kind = c.RS_SIG_DFL, .callback = null, .user_data = null };
    _ = try toError(c.rs_signal_signal(sig, &h, null));
}

/// The dispatch point: runs the handlers of the signals that arrived.
pub fn check() anyerror!void {
    _ = try callResult(c.rs_signal_check());
}

/// Whether check() would run something now.
pub fn pending() bool {
    return c.rs_signal_pending() == 1;
}

/// Send `sig` to the calling thread, then dispatch.
pub fn raiseSignal(sig: c_int) anyerror!void {
    _ = try callResult(c.rs_signal_raise_signal(sig));
}

/// One byte, the signal number, is written to `fd` (non-blocking) for each
/// arrival of a signal with a handler; -1 disables. Returns the old fd.
pub fn setWakeupFd(fd: c_int, warn_on_full_buffer: bool) Error!c_int {
    var old: c_int = -1;
    _ = try toError(c.rs_signal_set_wakeup_fd(fd, @intFromBool(warn_on_full_buffer), &old));
    return old;
}

/// "SIGUSR1" for 10; null for a number that names no signal.
pub fn name(sig: c_int) ?[:0]const u8 {
    return if (c.rs_signal_name(sig)) |p| std.mem.span(p) else null;
}

/// The number of a signal name or alias ("SIGIOT", "SIGRTMIN+2").
pub fn fromName(signal_name: [:0]const u8) Error!c_int {
    var n: c_int = 0;
    _ = try toError(c.rs_signal_from_name(signal_name.ptr, &n));
    return n;
}

/// Every signal with a handler back to SIG_DFL.
pub fn finalize() Error!void {
    _ = try toError(c.rs_signal_finalize());
}

pub fn version() [:0]const u8 {
    return std.mem.span(c.rs_signal_version());
}
