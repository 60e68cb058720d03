/* Shared helpers for the rssignal benchmarks (make bench). */
#ifndef RSSIGNAL_BENCH_COMMON_H
#define RSSIGNAL_BENCH_COMMON_H

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static inline int64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static inline void die(const char *what) {
    fprintf(stderr, "bench: %s: %s\n", what, strerror(errno));
    exit(2);
}

/* Latency receivers: the sender (latency_sender.c) starts the receiver with
 * BENCH_ACK_FD (write end of a pipe) and BENCH_N (callbacks to serve). The
 * receiver writes 8 bytes (0) when ready, then, from inside each callback,
 * the CLOCK_MONOTONIC time at which the callback ran. */
static inline int bench_ack_fd(void) {
    const char *s = getenv("BENCH_ACK_FD");
    if (!s) {
        fprintf(stderr, "bench: BENCH_ACK_FD not set (run through bench-sender)\n");
        exit(2);
    }
    return atoi(s);
}

static inline long bench_n(void) {
    const char *s = getenv("BENCH_N");
    return s ? atol(s) : 1000;
}

static inline void bench_ack(int fd, int64_t t) {
    while (write(fd, &t, sizeof t) < 0 && errno == EINTR) {
    }
}

/* Key/value output read by benches/run.py. */
static inline void emit(const char *key, double v) { printf("%s %.6g\n", key, v); }

#endif
