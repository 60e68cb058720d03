//! Zig consumer: a Zig handler for SIGUSR1, a real SIGUSR1 from the run
//! script (another process), poll() on the wakeup fd, dispatch at
//! rssignal.check(); errors as error unions. Then the 0.2 API: a channel
//! read into a slice and listeners get signals sent by forked children, with
//! the children's pids; counters; restore puts SIG_DFL back.
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

/// A forked child that sends `sig` to this process once told to: the
/// handshake is a byte on a pipe, written by `send` after everything is set
/// up. The child calls only read, kill and _exit.
const Sender = struct {
    pid: c.pid_t,
    go: c_int,

    fn start(sig: c_int) !Sender {
        var p: [2]c_int = undefined;
        try expect(c.pipe(&p) == 0, "pipe");
        const parent = c.getpid();
        const pid = c.fork();
        try expect(pid >= 0, "fork");
        if (pid == 0) {
            _ = c.close(p[1]);
            var b: u8 = 0;
            if (c.read(p[0], &b, 1) == 1 and c.kill(parent, sig) == 0) c._exit(0);
            c._exit(1);
        }
        _ = c.close(p[0]);
        return .{ .pid = pid, .go = p[1] };
    }

    fn send(self: Sender) !c.pid_t {
        const b: u8 = 'g';
        try expect(c.write(self.go, &b, 1) == 1, "handshake with the sender");
        _ = c.close(self.go);
        return self.pid;
    }

    fn wait(self: Sender) !void {
        var status: c_int = 0;
        try expect(c.waitpid(self.pid, &status, 0) == self.pid, "waitpid");
        try expect(c.consumer_exited_ok(status) != 0, "the sender exited with 0");
    }
};

/// Waits (poll, EINTR retried) until the channel is readable, then reads
/// into `buf`; 30 s without a record is a failure.
fn waitRead(ch: rssignal.Channel, buf: []rssignal.Delivery) ![]rssignal.Delivery {
    var p = [1]c.struct_pollfd{.{ .fd = ch.fd(), .events = c.POLLIN, .revents = 0 }};
    var n: c_int = -1;
    while (n < 0) n = c.poll(&p, 1, 30000);
    try expect(n == 1, "the channel fd became readable");
    return ch.read(buf);
}

const Heard = struct {
    recs: [8]rssignal.Delivery = undefined,
    n: usize = 0,

    fn add(self: *Heard, d: rssignal.Delivery) void {
        if (self.n < self.recs.len) self.recs[self.n] = d;
        self.n += 1;
    }
};

fn onHup(d: rssignal.Delivery, h: *Heard) anyerror!void {
    h.add(d);
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

    // 0.2: bad input as error unions.
    if (rssignal.deliveryInfo()) |_| try expect(false, "deliveryInfo outside a dispatch") else |e| try expect(e == error.Value, "deliveryInfo: error.Value");
    if (rssignal.Channel.open(&.{rssignal.SIGKILL})) |_| try expect(false, "a channel for SIGKILL") else |e| try expect(e == error.OS and rssignal.lastError().os_errno == 22, "Channel.open(SIGKILL): error.OS, EINVAL");
    if (rssignal.Channel.open(&.{})) |_| try expect(false, "an empty channel") else |e| try expect(e == error.Value, "Channel.open(empty): error.Value");
    if (rssignal.getStats(0)) |_| try expect(false, "getStats(0)") else |e| try expect(e == error.Value, "getStats(0): error.Value");
    try expect(c.consumer_os_handler(c.SIGUSR2) == 0 and c.consumer_os_handler(c.SIGHUP) == 0, "SIGUSR2, SIGHUP start at SIG_DFL");

    // A channel for SIGUSR2 (nothing else: SIG_DFL in the table, made inert)
    // and SIGHUP (also with listeners).
    const ch = try rssignal.Channel.open(&.{ rssignal.SIGUSR2, rssignal.SIGHUP });
    try expect(c.consumer_os_handler(c.SIGUSR2) != 0, "rssignal's handler while the channel is open");
    var buf: [4]rssignal.Delivery = undefined;
    {
        const s = try Sender.start(c.SIGUSR2);
        const spid = try s.send();
        const recs = try waitRead(ch, &buf);
        try s.wait();
        try expect(recs.len == 1, "one record");
        const d = recs[0];
        say("channel read: {s} from pid {d} (sender {d}) uid {d} code {d} arrivals {d}", .{ rssignal.name(d.signum).?, d.pid, spid, d.uid, d.code, d.arrivals });
        try expect(d.signum == c.SIGUSR2 and d.pid == spid and d.uid == c.getuid() and d.code == 0 and d.arrivals == 1, "the SIGUSR2 record: the sender's pid and uid, SI_USER, 1 arrival");
        try expect(d.first_ns > 0 and d.first_ns <= d.last_ns, "first_ns <= last_ns");
        try expect(!rssignal.pending(), "a channel-only signal is not pending for the main thread");
        try expect((try ch.read(&buf)).len == 0, "the channel is empty after the read");
        const ust = try rssignal.getStats(c.SIGUSR2);
        try expect(ust.arrivals == 1 and ust.dispatches == 0, "SIGUSR2 stats: 1 arrival, no dispatch");
    }

    var heard: Heard = .{};
    var once: Heard = .{};
    const lid = try rssignal.addListener(Heard, rssignal.SIGHUP, onHup, &heard, .{});
    const oid = try rssignal.addListener(Heard, rssignal.SIGHUP, onHup, &once, .{ .oneshot = true });
    var senders: [2]c.pid_t = undefined;
    for (&senders) |*spid| {
        const s = try Sender.start(c.SIGHUP);
        spid.* = try s.send();
        const recs = try waitRead(ch, &buf);
        try s.wait();
        try expect(recs.len == 1 and recs[0].signum == c.SIGHUP and recs[0].pid == spid.*, "the SIGHUP record on the channel");
        try expect(rssignal.pending(), "SIGHUP with listeners is pending");
        try rssignal.check();
    }
    try expect(heard.n == 2 and heard.recs[0].pid == senders[0] and heard.recs[1].pid == senders[1], "the listener got both senders' pids");
    try expect(heard.recs[0].signum == c.SIGHUP and heard.recs[0].arrivals == 1 and heard.recs[1].arrivals == 1, "listener records: SIGHUP, 1 arrival each");
    try expect(once.n == 1 and once.recs[0].pid == senders[0], "the oneshot listener ran once");
    say("listener: SIGHUP from pids {d}, {d} (senders {d}, {d}); oneshot ran once", .{ heard.recs[0].pid, heard.recs[1].pid, senders[0], senders[1] });
    if (rssignal.removeListener(oid)) |_| try expect(false, "removing a oneshot that ran") else |e| try expect(e == error.Value, "removeListener(oneshot that ran): error.Value");
    try rssignal.removeListener(lid);
    const hst = try rssignal.getStats(c.SIGHUP);
    try expect(hst.arrivals == 2 and hst.listener_calls == 3 and hst.dispatches == 0, "SIGHUP stats: 2 arrivals, 3 listener calls");
    say("getStats(SIGHUP): {d} arrivals, {d} listener calls", .{ hst.arrivals, hst.listener_calls });
    ch.close();
    try expect(c.consumer_os_handler(c.SIGUSR2) == 0 and c.consumer_os_handler(c.SIGHUP) == 0, "SIG_DFL again once the channel and listeners are gone");
    try rssignal.restore(0);
    try expect(c.consumer_os_handler(c.SIGUSR1) == 0, "SIGUSR1 at SIG_DFL after restore");
    say("restore: every signal back to what rssignal found (SIG_DFL)", .{});
    try rssignal.finalize();
    say("OK", .{});
}
