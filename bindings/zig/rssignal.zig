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
//! Beyond CPython (0.2): who sent a signal, several owners, restore.
//!
//!     fn onTerm(d: rssignal.Delivery, log: *Log) anyerror!void { log.add(d.pid, d.arrivals); }
//!     const id = try rssignal.addListener(Log, rssignal.SIGTERM, onTerm, &log, .{});
//!     var ch = try rssignal.Channel.open(&.{ rssignal.SIGHUP, rssignal.SIGUSR2 });
//!     defer ch.close();
//!     ...            // poll ch.fd() (any thread)
//!     var buf: [8]rssignal.Delivery = undefined;
//!     for (try ch.read(&buf)) |d| { ... d.signum, d.pid, d.uid, d.code, d.arrivals ... }
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

pub const SIGHUP: c_int = c.RS_SIGHUP;
pub const SIGINT: c_int = c.RS_SIGINT;
pub const SIGUSR1: c_int = c.RS_SIGUSR1;
pub const SIGUSR2: c_int = c.RS_SIGUSR2;
pub const SIGTERM: c_int = c.RS_SIGTERM;
pub const SIGKILL: c_int = c.RS_SIGKILL;
pub const SIGSTOP: c_int = c.RS_SIGSTOP;
pub const SIGCHLD: c_int = c.RS_SIGCHLD;
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

/// Who sent a signal and how many arrivals it stands for: `signum`,
/// `arrivals`, `code` (si_code), `pid`, `uid`, `status` (SIGCHLD), `value`
/// (sigqueue), `first_ns`/`last_ns` (CLOCK_MONOTONIC). The C record itself,
/// so a slice of them is what rs_signal_channel_read fills.
pub const Delivery = c.rs_signal_delivery;

/// A signal's counters since the library started: `arrivals`, `dispatches`,
/// `listener_calls`, `wakeup_failures`, `last_arrival_ns`, `last_dispatch_ns`.
pub const Stats = c.rs_signal_stats;

/// A listener's handle (never 0).
pub const ListenerId = c.rs_signal_listener_id;

/// The record of the signal being dispatched, inside a handler or a
/// listener (main thread); elsewhere error.Value.
pub fn deliveryInfo() Error!Delivery {
    var d = std.mem.zeroes(Delivery);
    _ = try toError(c.rs_signal_delivery_info(&d));
    return d;
}

pub const ListenerOptions = struct {
    /// Removed before its first call.
    oneshot: bool = false,
};

/// Add `func(delivery, ctx)` as a listener of `sig` (any thread): it runs at
/// a dispatch point on the main thread, after the signal's handler, in the
/// order listeners were added. An error it returns stops the dispatch and
/// comes out of the call that dispatched (the listeners after it run at the
/// next dispatch point). While `sig` has a listener, rssignal's handler is
/// its OS disposition, even for SIG_DFL or SIG_IGN in the table.
pub fn addListener(
    comptime Ctx: type,
    sig: c_int,
    comptime func: fn (d: Delivery, ctx: *Ctx) anyerror!void,
    ctx: *Ctx,
    options: ListenerOptions,
) Error!ListenerId {
    const Wrap = struct {
        fn callback(signum: c_int, user_data: ?*anyopaque) callconv(.c) c_int {
            const p: *Ctx = @ptrCast(@alignCast(user_data.?));
            var d = std.mem.zeroes(Delivery);
            if (c.rs_signal_delivery_info(&d) != c.RS_SIGNAL_OK) {
                d.signum = signum;
                d.arrivals = 1;
            }
            func(d, p) catch |e| {
                handler_error = e;
                return c.RS_SIGNAL_EUSER;
            };
            return 0;
        }
    };
    var id: ListenerId = 0;
    const flags: c_uint = if (options.oneshot) c.RS_SIGNAL_LISTENER_ONESHOT else 0;
    _ = try toError(c.rs_signal_add_listener(sig, Wrap.callback, ctx, flags, &id));
    return id;
}

/// Remove a listener (any thread, also from inside a listener); it is never
/// called again once this returns. Unknown (or a oneshot that ran): error.Value.
pub fn removeListener(id: ListenerId) Error!void {
    _ = try toError(c.rs_signal_remove_listener(id));
}

/// An rssignal channel: every arrival of its signals is counted in it,
/// independently of the main-thread dispatch and of other channels; it never
/// runs a handler and needs no main thread. Poll `fd()`, then `read`.
/// Any thread may use it, one at a time.
pub const Channel = struct {
    ptr: *c.rs_signal_channel,

    /// Open a channel for `signals` (not empty; no SIGKILL/SIGSTOP).
    pub fn open(signals: []const c_int) Error!Channel {
        var set = std.mem.zeroes(c.rs_sigset);
        _ = try toError(c.rs_sigset_from_array(signals.ptr, signals.len, &set));
        var p: ?*c.rs_signal_channel = null;
        _ = try toError(c.rs_signal_channel_open(&set, 0, &p));
        return .{ .ptr = p.? };
    }

    /// Readable while something is pending; do not read it yourself.
    pub fn fd(self: Channel) c_int {
        return c.rs_signal_channel_fd(self.ptr);
    }

    /// The records pending now, one per signal in ascending order (arrivals
    /// since the last read), at most `buf.len`: the filled front of `buf`.
    /// Never blocks; empty when nothing is pending.
    pub fn read(self: Channel, buf: []Delivery) Error![]Delivery {
        var n: usize = 0;
        _ = try toError(c.rs_signal_channel_read(self.ptr, buf.ptr, buf.len, &n));
        return buf[0..n];
    }

    /// Close and free the channel; its signals' dispositions go back as for
    /// a removed listener. Do not use it afterwards.
    pub fn close(self: Channel) void {
        _ = c.rs_signal_channel_close(self.ptr);
    }
};

/// Give back what rssignal took from `sig` (0: every signal it ever
/// changed): the OS disposition found before its first change, only if the
/// current one is still rssignal's. Its listeners and channel subscriptions go.
pub fn restore(sig: c_int) Error!void {
    _ = try toError(c.rs_signal_restore(sig));
}

/// `sig`'s counters since the library started (any thread).
pub fn getStats(sig: c_int) Error!Stats {
    var st = std.mem.zeroes(Stats);
    _ = try toError(c.rs_signal_get_stats(sig, &st));
    return st;
}

pub fn version() [:0]const u8 {
    return std.mem.span(c.rs_signal_version());
}
