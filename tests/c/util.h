/* Helpers shared by test_generic.c, test_wakeup.c, test_raise.c and
 * test_extras.c: a recording unraisable hook, stderr capture through a pipe,
 * non-blocking pipes, bounded waits for children, and sigaction queries.
 * Everything is static inline so unused helpers cost nothing. */
#ifndef RSSIGNAL_TEST_UTIL_H
#define RSSIGNAL_TEST_UTIL_H

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

/* ---- unraisable hook recorder ------------------------------------------- */

#define HOOK_MAX 16
struct hook_log {
    int n; /* reports received (may exceed HOOK_MAX; only the first are kept) */
    int status[HOOK_MAX];
    int os_errno[HOOK_MAX];
    int signum[HOOK_MAX];
    int main_thread[HOOK_MAX];
    char message[HOOK_MAX][256];
};

static inline void hook_record(const rs_signal_unraisable *r, void *user_data) {
    struct hook_log *log = user_data;
    if (log->n < HOOK_MAX) {
        log->status[log->n] = r->status;
        log->os_errno[log->n] = r->os_errno;
        log->signum[log->n] = r->signum;
        log->main_thread[log->n] = rs_signal_is_main_thread();
        snprintf(log->message[log->n], sizeof log->message[0], "%s",
                 r->message ? r->message : "(null)");
    }
    log->n++;
}

static inline void hook_install(struct hook_log *log) {
    memset(log, 0, sizeof *log);
    CHECK_OK(rs_signal_set_unraisable_hook(hook_record, log));
}

/* ---- stderr capture ------------------------------------------------------ */

struct capture {
    int saved_fd;
    int rd;
    char text[8192];
};

/* Redirect fd 2 into a non-blocking pipe. */
static inline void capture_stderr_begin(struct capture *c) {
    int p[2];
    fflush(stderr);
    CHECK(pipe2(p, O_NONBLOCK | O_CLOEXEC) == 0);
    c->saved_fd = dup(2);
    CHECK(c->saved_fd >= 0);
    CHECK(dup2(p[1], 2) == 2);
    close(p[1]);
    c->rd = p[0];
    c->text[0] = 0;
}

/* Restore fd 2 and collect what was written to it into c->text. */
static inline const char *capture_stderr_end(struct capture *c) {
    fflush(stderr);
    CHECK(dup2(c->saved_fd, 2) == 2);
    close(c->saved_fd);
    size_t n = 0;
    for (;;) {
        ssize_t r = read(c->rd, c->text + n, sizeof c->text - 1 - n);
        if (r <= 0) break;
        n += (size_t)r;
        if (n == sizeof c->text - 1) break;
    }
    c->text[n] = 0;
    close(c->rd);
    return c->text;
}

/* ---- pipes and bytes ----------------------------------------------------- */

/* p[0] read end (non-blocking), p[1] write end (non-blocking). */
static inline void nonblocking_pipe(int p[2]) { CHECK(pipe2(p, O_NONBLOCK | O_CLOEXEC) == 0); }

/* Read what is available right now from a non-blocking fd. */
static inline int drain_bytes(int fd, unsigned char *buf, int max) {
    int n = 0;
    while (n < max) {
        ssize_t r = read(fd, buf + n, (size_t)(max - n));
        if (r <= 0) break;
        n += (int)r;
    }
    return n;
}

static inline double monotonic_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- children ------------------------------------------------------------ */

/* waitpid with a bound: returns 1 and the status when the child ended within
 * `seconds`, else kills it, reaps it and returns 0. Polls every 5 ms. */
static inline int wait_child(pid_t pid, int *status, double seconds) {
    double deadline = monotonic_now() + seconds;
    for (;;) {
        pid_t w = waitpid(pid, status, WNOHANG);
        if (w == pid) return 1;
        if (w < 0 && errno != EINTR) return 0;
        if (monotonic_now() > deadline) {
            kill(pid, SIGKILL);
            while (waitpid(pid, status, 0) < 0 && errno == EINTR) {
            }
            return 0;
        }
        struct timespec ts = {0, 5 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
}

/* ---- OS dispositions ----------------------------------------------------- */

/* The numbers the C library keeps for itself below SIGRTMIN (glibc: 32 and
 * 33; musl: 32, 33 and 34): sigaction refuses them. */
static inline int os_reserved(int s) {
#ifdef SIGRTMIN
    return s >= 32 && s < SIGRTMIN;
#else
    (void)s;
    return 0;
#endif
}

static inline struct sigaction os_action(int signum) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    CHECK(sigaction(signum, NULL, &sa) == 0);
    return sa;
}

/* Set a raw OS disposition (bypassing the library). */
static inline void os_set(int signum, void (*fn)(int)) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = fn;
    sigemptyset(&sa.sa_mask);
    CHECK(sigaction(signum, &sa, NULL) == 0);
}

static inline int os_is(int signum, void (*fn)(int)) {
    struct sigaction sa = os_action(signum);
    return !(sa.sa_flags & SA_SIGINFO) && sa.sa_handler == fn;
}

/* Neither SIG_DFL nor SIG_IGN: some handler function. */
static inline int os_is_handler(int signum) {
    struct sigaction sa = os_action(signum);
    if (sa.sa_flags & SA_SIGINFO) return sa.sa_sigaction != NULL;
    return sa.sa_handler != SIG_DFL && sa.sa_handler != SIG_IGN;
}

#endif
