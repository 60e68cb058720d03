"""CPython's signal module as a baseline for `make bench` (the machine's python3).

    python3 cpython_bench.py latency   receiver for bench-sender: set_wakeup_fd +
                                       selectors; the Python handler answers
    python3 cpython_bench.py micro     per-signal costs, printed as "key value":
        cpython_raise_ns        signal.raise_signal(SIGUSR1) + counting handler
        cpython_interrupt_ns    _thread.interrupt_main(SIGUSR1) + the handler
                                running at the next eval-breaker check
        cpython_loop_ns         the empty loop, for reference
"""
import os
import selectors
import signal
import socket
import struct
import sys
import time


def latency():
    ack = int(os.environ["BENCH_ACK_FD"])
    wanted = int(os.environ.get("BENCH_N", "1000"))
    served = 0
    clock = time.CLOCK_MONOTONIC
    pack = struct.Struct("q").pack

    def handler(signum, frame):
        nonlocal served
        os.write(ack, pack(time.clock_gettime_ns(clock)))
        served += 1

    r, w = socket.socketpair()
    r.setblocking(False)
    w.setblocking(False)
    signal.set_wakeup_fd(w.fileno())
    signal.signal(signal.SIGUSR1, handler)
    sel = selectors.DefaultSelector()
    sel.register(r, selectors.EVENT_READ)
    os.write(ack, pack(0))
    while served < wanted:
        sel.select()
        try:
            while r.recv(4096):
                pass
        except BlockingIOError:
            pass


def best(fn, n, reps=9):
    out = []
    for _ in range(reps):
        t0 = time.perf_counter_ns()
        fn(n)
        out.append((time.perf_counter_ns() - t0) / n)
    return min(out)


def micro():
    import _thread

    count = 0

    def handler(signum, frame):
        nonlocal count
        count += 1

    signal.signal(signal.SIGUSR1, handler)
    raise_signal = signal.raise_signal
    interrupt_main = _thread.interrupt_main
    SIGUSR1 = signal.SIGUSR1

    def loop_raise(n):
        for _ in range(n):
            raise_signal(SIGUSR1)

    def loop_interrupt(n):
        for _ in range(n):
            interrupt_main(SIGUSR1)

    def loop_empty(n):
        for _ in range(n):
            pass

    scale = float(sys.argv[2]) if len(sys.argv) > 2 else 1.0
    print("cpython_raise_ns %.6g" % best(loop_raise, int(20000 * scale)))
    print("cpython_interrupt_ns %.6g" % best(loop_interrupt, int(200000 * scale)))
    print("cpython_loop_ns %.6g" % best(loop_empty, int(200000 * scale)))
    if count == 0:
        sys.exit("no handler ran")


if __name__ == "__main__":
    {"latency": latency, "micro": micro}[sys.argv[1]]()
