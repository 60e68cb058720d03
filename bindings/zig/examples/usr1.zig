//! A Zig handler for SIGUSR1, run at the dispatch point after poll() saw
//! the wakeup byte. The signal comes from another process: a forked child
//! sends it to this one.
//!
//!     zig build example
const std = @import("std");
const rssignal = @import("rssignal");

extern "c" fn pipe(fds: *[2]c_int) c_int;
extern "c" fn fcntl(fd: c_int, cmd: c_int, ...) c_int;
extern "c" fn poll(fds: [*]std.posix.pollfd, n: c_ulong, timeout: c_int) c_int;
extern "c" fn read(fd: c_int, buf: [*]u8, n: usize) isize;
extern "c" fn fork() c_int;
extern "c" fn getppid() c_int;
extern "c" fn kill(pid: c_int, sig: c_int) c_int;
extern "c" fn waitpid(pid: c_int, status: ?*c_int, options: c_int) c_int;
extern "c" fn _exit(status: c_int) noreturn;

const Counter = struct { calls: u32 = 0 };

// A handler: an ordinary Zig function with an error union.
fn onUsr1(sig: c_int, counter: *Counter) anyerror!void {
    counter.calls += 1;
    std.debug.print("handler: {s}, call #{d}\n", .{ rssignal.name(sig).?, counter.calls });
}

pub fn main() !void {
    var counter: Counter = .{};
    try rssignal.handle(Counter, rssignal.SIGUSR1, onUsr1, &counter);

    // Failures are errors of rssignal.Error; lastError() has the details.
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

    const child = fork(); // another process sends the signal
    if (child == 0) {
        _ = kill(getppid(), rssignal.SIGUSR1);
        _exit(0);
    }
    var p = [1]std.posix.pollfd{.{ .fd = fds[0], .events = std.posix.POLL.IN, .revents = 0 }};
    while (poll(&p, 1, -1) < 1) {} // -1 (EINTR) when the signal interrupts poll: poll again
    var buf: [64]u8 = undefined;
    const n = read(fds[0], &buf, buf.len);
    std.debug.print("wakeup: {d} byte(s), {s}; handler calls so far: {d}\n", .{ n, rssignal.name(buf[0]).?, counter.calls });
    try rssignal.check(); // the dispatch point: onUsr1 runs here
    _ = waitpid(child, null, 0);

    _ = try rssignal.setWakeupFd(-1, true);
    try rssignal.reset(rssignal.SIGUSR1);
}
