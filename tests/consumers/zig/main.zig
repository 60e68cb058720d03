//! Zig consumer: a Zig handler for SIGUSR1, a real SIGUSR1 from the run
//! script (another process), poll() on the wakeup fd, dispatch at
//! rssignal.check(); errors as error unions.
const std = @import("std");
const c = @import("c"); // translate-c of rssignal.h + libc
const rssignal = @import("rssignal"); // bindings/zig

fn say(comptime fmt: []const u8, args: anytype) void {
    var buf: [512]u8 = undefined;
    const s = std.fmt.bufPrint(&buf, fmt ++ "\n", args) catch return;
    _ = c.write(1, s.ptr, s.len);
}

fn expect(ok: bool, what: []const u8) !void {
    if (!ok) {
        std.debug.print("FAIL: {s} (last error: {s})\n", .{ what, rssignal.lastError().message });
        return error.CheckFailed;
    }
}

const State = struct { calls: u32 = 0, last: c_int = 0 };

fn onUsr1(sig: c_int, st: *State) anyerror!void {
    st.calls += 1;
    st.last = sig;
}

fn failing(sig: c_int, st: *State) anyerror!void {
    _ = sig;
    _ = st;
    return error.Boom;
}

pub fn main() !void {
    try expect(std.mem.eql(u8, rssignal.version(), c.RSSIGNAL_VERSION_STRING), "version");
    try expect(c.RS_SIGUSR1 == rssignal.SIGUSR1, "constants agree");

    var fds: [2]c_int = undefined;
    try expect(c.pipe(&fds) == 0, "pipe");
    for (fds) |fd| try expect(c.fcntl(fd, c.F_SETFL, c.fcntl(fd, c.F_GETFL) | c.O_NONBLOCK) == 0, "O_NONBLOCK");
    try expect(try rssignal.setWakeupFd(fds[1], true) == -1, "no wakeup fd before");

    var st: State = .{};
    try rssignal.handle(State, c.RS_SIGUSR1, onUsr1, &st);

    say("SEND SIGUSR1 {d}", .{c.getpid()});
    var p = [1]c.struct_pollfd{.{ .fd = fds[0], .events = c.POLLIN, .revents = 0 }};
    var n: c_int = -1;
    while (n < 0) {
        n = c.poll(&p, 1, 30000); // -1 with EINTR when the signal interrupts it: poll again
    }
    try expect(n == 1, "wakeup fd readable");
    var byte: u8 = 0;
    try expect(c.read(fds[0], &byte, 1) == 1, "read the wakeup byte");
    try expect(byte == c.RS_SIGUSR1, "the wakeup byte is SIGUSR1");
    say("wakeup fd: {s}", .{rssignal.name(byte).?});

    try expect(st.calls == 0, "no handler before the dispatch point");
    try expect(rssignal.pending(), "pending");
    try rssignal.check();
    try expect(st.calls == 1 and st.last == c.RS_SIGUSR1, "the Zig handler ran once");
    say("Zig handler ran at rssignal.check() for {s}", .{rssignal.name(st.last).?});

    // Error unions.
    if (rssignal.handle(State, c.RS_SIGKILL, onUsr1, &st)) |_| {
        try expect(false, "SIGKILL must be refused");
    } else |e| {
        const le = rssignal.lastError();
        try expect(e == error.OS and le.os_errno == 22, "error.OS with EINVAL");
        say("handle(SIGKILL): error.{s}: {s}", .{ @errorName(e), le.message });
    }
    try rssignal.handle(State, c.RS_SIGUSR1, failing, &st);
    if (rssignal.raiseSignal(c.RS_SIGUSR1)) |_| {
        try expect(false, "the handler's error must come out");
    } else |e| {
        try expect(e == error.Boom, "the handler's own error");
        say("raiseSignal(SIGUSR1) with a failing handler: error.{s}", .{@errorName(e)});
    }

    try rssignal.reset(c.RS_SIGUSR1);
    _ = try rssignal.setWakeupFd(-1, true);
    try rssignal.finalize();
    say("OK", .{});
}
