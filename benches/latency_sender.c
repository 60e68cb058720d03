/* bench-sender: wakeup latency across processes.
 *
 *   bench-sender N WARMUP GAP_US OUTFILE -- receiver-command [args...]
 *
 * Starts the receiver with BENCH_ACK_FD (the write end of a pipe) and
 * BENCH_N = WARMUP + N in its environment, waits for its "ready" word, then
 * N + WARMUP times: sleeps GAP_US (plus jitter), takes CLOCK_MONOTONIC, and
 * kill()s the receiver with SIGUSR1. The receiver, blocked in poll() (or its
 * library's event loop), wakes, dispatches, and its callback writes the
 * CLOCK_MONOTONIC time at which it ran to the pipe. Latency = callback time -
 * send time, both on the same clock. The N latencies after the warm-up go to
 * OUTFILE in nanoseconds, one per line. */
#include "common.h"

#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/wait.h>

static int read_word(int fd, int64_t *v, int timeout_ms) {
    size_t got = 0;
    while (got < sizeof *v) {
        struct pollfd p = {fd, POLLIN, 0};
        int rc = poll(&p, 1, timeout_ms);
        if (rc < 0 && errno == EINTR) continue;
        if (rc <= 0) return -1;
        ssize_t k = read(fd, (char *)v + got, sizeof *v - got);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) return -1;
        got += (size_t)k;
    }
    return 0;
}

int main(int argc, char **argv) {
    if (argc < 7 || strcmp(argv[5], "--") != 0) {
        fprintf(stderr, "usage: bench-sender N WARMUP GAP_US OUTFILE -- cmd [args...]\n");
        return 2;
    }
    long n = atol(argv[1]), warm = atol(argv[2]), gap_us = atol(argv[3]);
    const char *out = argv[4];
    /* BENCH_PIN=1: the sender on the first CPU it may use, the receiver on
     * the second, so that every library is measured with the same placement
     * (unpinned, the scheduler's choice of CPU makes the distribution
     * bimodal and moves the p50 from run to run). */
    int pin_rx = -1;
    const char *pin = getenv("BENCH_PIN");
    cpu_set_t allowed;
    int same = pin && strcmp(pin, "same") == 0;
    if (pin && (atoi(pin) || same) && sched_getaffinity(0, sizeof allowed, &allowed) == 0 && CPU_COUNT(&allowed) >= 2) {
        int first = -1;
        for (int c = 0; c < CPU_SETSIZE; c++) {
            if (!CPU_ISSET(c, &allowed)) continue;
            if (first < 0) first = c;
            else if (!same) { pin_rx = c; break; }
        }
        if (same) pin_rx = first;
        cpu_set_t one;
        CPU_ZERO(&one);
        CPU_SET(first, &one);
        if (sched_setaffinity(0, sizeof one, &one) != 0) die("sched_setaffinity");
    }
    int ack[2];
    if (pipe(ack) != 0) die("pipe");
    pid_t pid = fork();
    if (pid < 0) die("fork");
    if (pid == 0) {
        char buf[32];
        if (pin_rx >= 0) {
            cpu_set_t one;
            CPU_ZERO(&one);
            CPU_SET(pin_rx, &one);
            if (sched_setaffinity(0, sizeof one, &one) != 0) die("sched_setaffinity");
        }
        close(ack[0]);
        snprintf(buf, sizeof buf, "%d", ack[1]);
        setenv("BENCH_ACK_FD", buf, 1);
        snprintf(buf, sizeof buf, "%ld", n + warm);
        setenv("BENCH_N", buf, 1);
        execvp(argv[6], argv + 6);
        fprintf(stderr, "bench-sender: exec %s: %s\n", argv[6], strerror(errno));
        _exit(127);
    }
    close(ack[1]);
    int64_t v;
    if (read_word(ack[0], &v, 30000) != 0) {
        fprintf(stderr, "bench-sender: %s never got ready\n", argv[6]);
        kill(pid, SIGKILL);
        return 2;
    }
    int64_t *lat = calloc((size_t)n, sizeof *lat);
    if (!lat) die("calloc");
    unsigned seed = 12345;
    int rc = 0;
    for (long i = 0; i < n + warm; i++) {
        seed = seed * 1103515245u + 12345u;
        long us = gap_us + (long)((seed >> 16) % (unsigned)(gap_us + 1));
        struct timespec ts = {us / 1000000, (us % 1000000) * 1000};
        while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
        }
        int64_t t0 = now_ns();
        if (kill(pid, SIGUSR1) != 0) die("kill");
        if (read_word(ack[0], &v, 5000) != 0) {
            fprintf(stderr, "bench-sender: %s: no callback for signal %ld within 5 s\n", argv[6], i);
            kill(pid, SIGKILL);
            rc = 2;
            break;
        }
        if (i >= warm) lat[i - warm] = v - t0;
    }
    int status;
    waitpid(pid, &status, 0);
    if (rc == 0 && !(WIFEXITED(status) && WEXITSTATUS(status) == 0)) {
        fprintf(stderr, "bench-sender: %s exited abnormally (status %d)\n", argv[6], status);
        rc = 2;
    }
    if (rc == 0) {
        FILE *f = fopen(out, "w");
        if (!f) die(out);
        for (long i = 0; i < n; i++) fprintf(f, "%lld\n", (long long)lat[i]);
        fclose(f);
    }
    return rc;
}
