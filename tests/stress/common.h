/* Shared helpers of the rssignal stress programs (tests/stress/stress.c and the
 * containment tests): failure counting, clocks, pipes, a bounded child wait.
 * Everything is static so each program takes what it uses. */
#ifndef RSSIGNAL_STRESS_COMMON_H
#define RSSIGNAL_STRESS_COMMON_H

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "rssignal.h"

static int g_failures;

__attribute__((format(printf, 1, 2), unused)) static void fail(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "FAIL: ");
    vfprintf(stderr, fmt, ap);
    fprintf(stderr, "\n");
    va_end(ap);
    fflush(stderr);
    g_failures++;
}

#define EXPECT(cond, ...)                                                                   \
    do {                                                                                    \
        if (!(cond)) {                                                                      \
            fprintf(stderr, "%s:%d: EXPECT(%s) ", __FILE__, __LINE__, #cond);               \
            fail(__VA_ARGS__);                                                              \
        }                                                                                   \
    } while (0)

__attribute__((unused)) static const char *last_message(void) {
    rs_signal_error e;
    rs_signal_last_error(&e);
    return e.message ? e.message : "(null)";
}

__attribute__((unused)) static int last_errno(void) {
    rs_signal_error e;
    rs_signal_last_error(&e);
    return e.os_errno;
}

__attribute__((unused)) static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A non-blocking, close-on-exec pipe; exits on failure. */
__attribute__((unused)) static void nb_pipe(int p[2]) {
    if (pipe2(p, O_NONBLOCK | O_CLOEXEC) != 0) {
        perror("pipe2");
        exit(2);
    }
}

/* waitpid that retries after EINTR (the stress signals interrupt it).
 * `between` runs after each interruption (a dispatch point), may be NULL. */
__attribute__((unused)) static pid_t wait_retry(pid_t pid, int *status, void (*between)(void)) {
    for (;;) {
        pid_t w = waitpid(pid, status, 0);
        if (w >= 0 || errno != EINTR) return w;
        if (between) between();
    }
}

#endif
