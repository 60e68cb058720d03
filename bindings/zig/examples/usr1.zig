//! A Zig handler for SIGUSR1, run at the dispatch point after poll() saw the
//! wakeup byte. From another shell: kill -USR1 <pid> (twice to finish).
const std = @import("std");
const rssignal = @import("rssignal");
const c = rssignal.c;

extern "c" fn pipe(fds: *[2]c_int) c_int;
extern "c" fn fcntl(fd: c_int, cmd: c_int, ...) c_int;
extern "c" fn poll(fds: [*]std.posix.pollfd, n: c_ulong, timeout: c_int) c_int;
extern "c" fn read(fd: c_int, buf: [*]u8, n: usize) isize;
extern "c" fn getpid() c_int;

const Counter = struct { calls: u32 = 0 };

fn onUsr1(sig: c_int, counter: *Counter) anyerror!void {
    counter.calls += 1;
    std.debug.print("handler: {s} (#{d})\n", .{ rssignal.name(sig).?, counter.calls });
}

pub fn main() !void {
    var counter: Counter = .{};
    try rssignal.handle(Counter, rssignal.SIGUSR1, onUsr1, &counter);

    rssignal.handle(Counter, rssignal.SIGKILL, onUsr1, &counter) catch |e| {
        std.debug.print("handle(SIGKILL): error.{s}: {s}\n", .{ @errorName(e), rssignal.lastError().message });
    };

    var fds: [2]c_int = undefined;
    if (pipe(&fds) != 0) return error.Pipe;
    const F_SETFL = 4;
    const O_NONBLOCK = 0o4000;
    _ = fcntl(fds[0], F_SETFL, @as(c_int, O_NONBLOCK));
    _ = fcntl(fds[1], F_SETFL, @as(c_int, O_NONBLOCK));
    _ = try rssignal.setWakeupFd(fds[1], true);

    std.debug.print("pid {d}: send me SIGUSR1 (kill -USR1 {d}), twice to finish\n", .{ getpid(), getpid() });
    while (counter.calls < 2) {
        var p = [1]std.posix.pollfd{.{ .fd = fds[0], .events = std.posix.POLL.IN, .revents = 0 }};
        if (poll(&p, 1, -1) < 1) continue; // EINTR: the signal interrupted poll
        var buf: [64]u8 = undefined;
        _ = read(fds[0], &buf, buf.len);
        try rssignal.check(); // the dispatch point: onUsr1 runs here
    }
    _ = try rssignal.setWakeupFd(-1, true);
    try rssignal.finalize();
}
