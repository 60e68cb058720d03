/* Helpers for test_bad_input.c, test_pending.c, test_itimer.c, test_pidfd.c
 * and the slow_*.c files: bounded waits for children, forked sub-tests,
 * sigaction and mask queries, a recording unraisable hook, and set helpers.
 * Everything is static inline with a us_ prefix so it never clashes with
 * util.h (owned by another part of the suite). */
#ifndef RSSIGNAL_UTIL_SLOW_H
#define RSSIGNAL_UTIL_SLOW_H

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

/* ---- time ---------------------------------------------------------------- */

static inline double us_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static inline struct timespec us_timespec(double seconds) {
    struct timespec ts;
    if (seconds < 0) seconds = 0;
    ts.tv_sec = (time_t)seconds;
    ts.tv_nsec = (long)((seconds - (double)ts.tv_sec) * 1e9);
    if (ts.tv_nsec >= 1000000000L) ts.tv_nsec = 999999999L;
    return ts;
}

/* ---- children ------------------------------------------------------------ */

/* Wait for `pid` at most `seconds`, sleeping in sigtimedwait on SIGCHLD (no
 * polling). Returns 1 with *status when it ended in time; otherwise kills it
 * with SIGKILL, reaps it and returns 0. The caller's mask is restored and a
 * SIGCHLD left pending by this wait is consumed. */
static inline int us_wait_child(pid_t pid, int *status, double seconds) {
    sigset_t chld, old;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    CHECK(pthread_sigmask(SIG_BLOCK, &chld, &old) == 0);
    int was_blocked = sigismember(&old, SIGCHLD);
    double deadline = us_now() + seconds;
    int done = 0;
    for (;;) {
        pid_t w = waitpid(pid, status, WNOHANG);
        if (w == pid) {
            done = 1;
            break;
        }
        CHECK(w == 0 || (w < 0 && errno == EINTR));
        double left = deadline - us_now();
        if (left <= 0) break;
        struct timespec ts = us_timespec(left);
        sigtimedwait(&chld, NULL, &ts); /* SIGCHLD, EAGAIN at the deadline, or EINTR */
    }
    if (!done) {
        kill(pid, SIGKILL);
        while (waitpid(pid, status, 0) < 0 && errno == EINTR) {
        }
    }
    if (!was_blocked) {
        struct timespec zero = {0, 0};
        while (sigtimedwait(&chld, NULL, &zero) == SIGCHLD) {
        }
        CHECK(pthread_sigmask(SIG_SETMASK, &old, NULL) == 0);
    }
    return done;
}

/* Run `fn` in a forked child (the forking thread becomes the library's main
 * thread there); the child exits 0 when fn returns, 1 when a CHECK failed.
 * The parent waits at most `seconds` and fails unless the child exited 0.
 * Output of the child goes to the test's own output. */
static inline void us_run_in_child(void (*fn)(void), double seconds, const char *what) {
    fflush(NULL);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        fn();
        fflush(NULL);
        _exit(0);
    }
    int status = 0;
    if (!us_wait_child(pid, &status, seconds))
        harness_fail(__FILE__, __LINE__, "%s: child still running after %.1f s (killed)", what,
                     seconds);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        if (WIFSIGNALED(status))
            harness_fail(__FILE__, __LINE__, "%s: child killed by signal %d", what,
                         WTERMSIG(status));
        harness_fail(__FILE__, __LINE__, "%s: child exit status %d", what,
                     WEXITSTATUS(status));
    }
}

/* ---- OS state ------------------------------------------------------------ */

static inline struct sigaction us_action(int signum) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    CHECK(sigaction(signum, NULL, &sa) == 0);
    return sa;
}

static inline sigset_t us_thread_mask(void) {
    sigset_t cur;
    sigemptyset(&cur);
    CHECK(pthread_sigmask(SIG_BLOCK, NULL, &cur) == 0);
    return cur;
}

static inline int us_os_blocked(int signum) {
    sigset_t cur = us_thread_mask();
    return sigismember(&cur, signum) == 1;
}

static inline int us_os_pending(int signum) {
    sigset_t p;
    sigemptyset(&p);
    CHECK(sigpending(&p) == 0);
    return sigismember(&p, signum) == 1;
}

/* Block or unblock one signal with the OS directly (bypassing the library). */
static inline void us_os_block(int signum, int block) {
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, signum);
    CHECK(pthread_sigmask(block ? SIG_BLOCK : SIG_UNBLOCK, &s, NULL) == 0);
}

/* ---- sets ---------------------------------------------------------------- */

static inline rs_sigset us_set0(void) {
    rs_sigset s;
    memset(&s, 0, sizeof s);
    return s;
}

static inline rs_sigset us_set1(int a) {
    rs_sigset s = us_set0();
    if (a > 0) s.bits[a / 64] |= (uint64_t)1 << (a % 64);
    return s;
}

static inline rs_sigset us_set2(int a, int b) {
    rs_sigset s = us_set1(a);
    if (b > 0) s.bits[b / 64] |= (uint64_t)1 << (b % 64);
    return s;
}

static inline int us_in(const rs_sigset *s, int n) {
    return n >= 0 && n < 128 && ((s->bits[n / 64] >> (n % 64)) & 1) != 0;
}

static inline int us_count(const rs_sigset *s) {
    return __builtin_popcountll(s->bits[0]) + __builtin_popcountll(s->bits[1]);
}

static inline int us_set_eq(const rs_sigset *a, const rs_sigset *b) {
    return a->bits[0] == b->bits[0] && a->bits[1] == b->bits[1];
}

/* a ^ b == {n} */
static inline int us_xor_is(const rs_sigset *a, const rs_sigset *b, int n) {
    rs_sigset x;
    x.bits[0] = a->bits[0] ^ b->bits[0];
    x.bits[1] = a->bits[1] ^ b->bits[1];
    rs_sigset want = us_set1(n);
    return us_set_eq(&x, &want);
}

/* The thread's mask read through the library (pthread_sigmask(SIG_BLOCK, {})). */
static inline rs_sigset us_read_sigmask(void) {
    rs_sigset empty = us_set0(), old = us_set0();
    CHECK_OK(rs_signal_pthread_sigmask(RS_SIG_BLOCK, &empty, &old));
    return old;
}

/* ---- misc ---------------------------------------------------------------- */

/* p[0] read end, p[1] write end, both non-blocking and close-on-exec. */
static inline void us_pipe_nb(int p[2]) { CHECK(pipe2(p, O_NONBLOCK | O_CLOEXEC) == 0); }

static inline int us_drain(int fd) {
    unsigned char buf[4096];
    int n = 0;
    for (;;) {
        ssize_t r = read(fd, buf, sizeof buf);
        if (r <= 0) break;
        n += (int)r;
    }
    return n;
}

/* A callback that "raises" (returns 1, Python's ZeroDivisionError from 1/0)
 * and counts its calls in *(int *)user_data when user_data is not NULL. */
static inline int us_raising_cb(int signum, void *user_data) {
    (void)signum;
    if (user_data) (*(int *)user_data)++;
    return 1;
}

/* A callback that counts its calls and returns 0. */
static inline int us_counting_cb(int signum, void *user_data) {
    (void)signum;
    if (user_data) (*(volatile int *)user_data)++;
    return 0;
}

static inline void us_set_callback(int signum, rs_signal_callback cb, void *data) {
    rs_signal_handler h = {RS_SIGNAL_HANDLER_CALLBACK, cb, data};
    CHECK_OK(rs_signal_signal(signum, &h, NULL));
}

/* ---- CPython's PendingSignalsTests.wait_helper ------------------------------ */

__attribute__((unused)) static int us_wh_calls;
__attribute__((unused)) static void (*us_wh_test)(int signum);
__attribute__((unused)) static int us_wh_blocked;

/* The body of wait_helper, run in a forked child: a raising SIGALRM handler,
 * `blocked` blocked, test(SIGALRM), then unblocking must not raise — the
 * signal was consumed by the sig*wait* call and the handler never ran. */
static inline void us_wait_helper_child(void) {
    us_set_callback(RS_SIGALRM, us_raising_cb, &us_wh_calls);
    rs_sigset blocked = us_set1(us_wh_blocked);
    CHECK_OK(rs_signal_pthread_sigmask(RS_SIG_BLOCK, &blocked, NULL));
    us_wh_test(RS_SIGALRM);
    CHECK_EQ(us_wh_calls, 0);
    CHECK_OK(rs_signal_pthread_sigmask(RS_SIG_UNBLOCK, &blocked, NULL));
    CHECK_EQ(us_wh_calls, 0);
    CHECK_EQ(rs_signal_pending(), 0);
}

/* wait_helper(blocked, test): "sig*wait* must be called with the signal
 * blocked: ... use a subprocess to have a single thread". */
static inline void us_wait_helper(int blocked, void (*test)(int)) {
    us_wh_blocked = blocked;
    us_wh_test = test;
    us_run_in_child(us_wait_helper_child, 30.0, "wait_helper");
}

#endif
