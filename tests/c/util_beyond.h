/* Helpers of the tests of the 0.2 functions (test_beyond_*.c, slow_beyond_*.c): a call
 * log that callbacks and listeners append to (with the delivery record each
 * saw), channels, masks, children that signal the parent, helper threads and
 * sigaction comparisons.
 * Everything is static inline so unused helpers cost nothing. */
#ifndef RSSIGNAL_TEST_UTIL_BEYOND_H
#define RSSIGNAL_TEST_UTIL_BEYOND_H

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

/* glibc adds SA_RESTORER to every action it installs on x86; not ours to compare. */
#ifndef SA_RESTORER
#define SA_RESTORER 0x04000000
#endif
#define BEYOND_FLAGS(sa) ((sa).sa_flags & ~SA_RESTORER)

/* ---- call log ------------------------------------------------------------ */

#define LOG_MAX 64
struct call_rec {
    int tag;    /* who: the int at user_data (callbacks and listeners) */
    int signum; /* the signum argument */
    int info_status;
    rs_signal_delivery info; /* what rs_signal_delivery_info() said */
};
static struct call_rec call_log[LOG_MAX];
static int n_calls;

static inline void log_call(int tag, int signum) {
    if (n_calls < LOG_MAX) {
        struct call_rec *r = &call_log[n_calls];
        memset(r, 0, sizeof *r);
        r->tag = tag;
        r->signum = signum;
        r->info_status = rs_signal_delivery_info(&r->info);
    }
    n_calls++;
}

/* user_data: pointer to an int tag. Logs and returns 0. */
static inline int log_cb(int signum, void *data) {
    log_call(data ? *(int *)data : -1, signum);
    return 0;
}

/* The tags of the calls so far must be exactly `expected[0..n-1]`. */
#define CHECK_TAGS(...)                                                                    \
    do {                                                                                   \
        int check_exp_[] = {__VA_ARGS__};                                                  \
        check_tags_(__FILE__, __LINE__, check_exp_, (int)(sizeof check_exp_ / sizeof(int))); \
    } while (0)
#define CHECK_NO_CALLS() CHECK_EQ(n_calls, 0)

static inline void check_tags_(const char *file, int line, const int *exp, int n) {
    char got[256] = "", want[256] = "";
    for (int i = 0; i < n_calls && i < LOG_MAX; i++)
        snprintf(got + strlen(got), sizeof got - strlen(got), "%d ", call_log[i].tag);
    for (int i = 0; i < n; i++)
        snprintf(want + strlen(want), sizeof want - strlen(want), "%d ", exp[i]);
    if (n_calls != n) harness_fail(file, line, "calls [%s], expected [%s]", got, want);
    for (int i = 0; i < n; i++)
        if (call_log[i].tag != exp[i]) harness_fail(file, line, "calls [%s], expected [%s]", got, want);
}

static inline void log_reset(void) { n_calls = 0; }

/* ---- handlers and table -------------------------------------------------- */

static inline void set_callback(int signum, rs_signal_callback cb, void *data) {
    rs_signal_handler h = {RS_SIGNAL_HANDLER_CALLBACK, cb, data};
    CHECK_OK(rs_signal_signal(signum, &h, NULL));
}
static inline void set_kind(int signum, int kind) {
    rs_signal_handler h = {kind, NULL, NULL};
    CHECK_OK(rs_signal_signal(signum, &h, NULL));
}
static inline int table_kind(int signum) {
    rs_signal_handler h;
    memset(&h, 0, sizeof h);
    CHECK_OK(rs_signal_getsignal(signum, &h));
    return h.kind;
}

static inline rs_signal_stats stats_of(int signum) {
    rs_signal_stats st;
    memset(&st, 0, sizeof st);
    CHECK_OK(rs_signal_get_stats(signum, &st));
    return st;
}

/* ---- channels ------------------------------------------------------------ */

/* The rs_sigset holding just `signum`. */
static inline rs_sigset sigset_of(int signum) {
    rs_sigset set;
    rs_sigset_empty(&set);
    CHECK_OK(rs_sigset_add(&set, signum));
    return set;
}

/* Every channel opened by open_on stays reachable from a static, so a forked
 * child that _exit()s with it open does not count as a leak under valgrind. */
static rs_signal_channel *volatile opened_channels[8];
static int n_opened_channels;

/* A channel on sigs[0..n-1] (flags 0). */
static inline rs_signal_channel *open_on(const int *sigs, int n) {
    rs_sigset set;
    rs_sigset_empty(&set);
    for (int i = 0; i < n; i++) CHECK_OK(rs_sigset_add(&set, sigs[i]));
    rs_signal_channel *ch = NULL;
    CHECK_OK(rs_signal_channel_open(&set, 0, &ch));
    CHECK(ch != NULL);
    if (n_opened_channels < 8) opened_channels[n_opened_channels++] = ch;
    return ch;
}
static inline rs_signal_channel *open_one(int signum) { return open_on(&signum, 1); }

static inline int64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* The step of the coarse clock behind last_dispatch_ns (see the header):
 * the stamp may be up to one step earlier than the call. */
static inline int64_t coarse_step_ns(void) {
    struct timespec ts = {0, 0};
#if defined(CLOCK_MONOTONIC_COARSE)
    clock_getres(CLOCK_MONOTONIC_COARSE, &ts);
#elif defined(CLOCK_MONOTONIC_FAST)
    clock_getres(CLOCK_MONOTONIC_FAST, &ts);
#endif
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* ---- masks --------------------------------------------------------------- */

static inline void mask_signal(int signum, int how) {
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, signum);
    CHECK(pthread_sigmask(how, &s, NULL) == 0);
}
static inline int os_pending(int signum) {
    sigset_t s;
    CHECK(sigpending(&s) == 0);
    return sigismember(&s, signum) == 1;
}
/* kill(getpid()) from the main thread with the signal unblocked there: the
 * handler has run once when kill returns. */
static inline void kill_self(int signum) { CHECK(kill(getpid(), signum) == 0); }

/* ---- OS dispositions ----------------------------------------------------- */

static inline struct sigaction sa_now(int signum) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    CHECK(sigaction(signum, NULL, &sa) == 0);
    return sa;
}
static inline void *sa_fn(const struct sigaction *sa) {
    return (sa->sa_flags & SA_SIGINFO) ? (void *)sa->sa_sigaction : (void *)sa->sa_handler;
}
/* SIG_DFL / SIG_IGN whatever the flags (SA_RESETHAND leaves SA_SIGINFO set
 * when the kernel resets the handler to SIG_DFL). */
static inline int os_is_dfl(int signum) {
    struct sigaction sa = sa_now(signum);
    return sa.sa_handler == SIG_DFL;
}
static inline int os_is_ign(int signum) {
    struct sigaction sa = sa_now(signum);
    return sa.sa_handler == SIG_IGN;
}
/* rssignal's real handler (as include/rssignal.h says): SA_SIGINFO|SA_ONSTACK, a function. */
static inline int os_is_rssignal(int signum) {
    struct sigaction sa = sa_now(signum);
    return (sa.sa_flags & SA_SIGINFO) && (sa.sa_flags & SA_ONSTACK) && sa.sa_sigaction != NULL &&
           (void *)sa.sa_handler != (void *)SIG_DFL && (void *)sa.sa_handler != (void *)SIG_IGN;
}

/* Every field the kernel keeps: handler, flags (without SA_RESTORER), each mask bit. */
static inline void check_same_action_(const char *file, int line, const struct sigaction *got,
                                      const struct sigaction *want) {
    if (sa_fn(got) != sa_fn(want))
        harness_fail(file, line, "handler %p, expected %p", sa_fn(got), sa_fn(want));
    if (BEYOND_FLAGS(*got) != BEYOND_FLAGS(*want))
        harness_fail(file, line, "sa_flags %#x, expected %#x", (unsigned)BEYOND_FLAGS(*got),
                     (unsigned)BEYOND_FLAGS(*want));
    for (int s = 1; s < NSIG; s++) {
        int g = sigismember(&got->sa_mask, s), w = sigismember(&want->sa_mask, s);
        if (g < 0) g = 0; /* glibc's own 32/33 */
        if (w < 0) w = 0;
        if (g != w) harness_fail(file, line, "mask bit %d is %d, expected %d", s, g, w);
    }
}
#define CHECK_SAME_ACTION(got, want) check_same_action_(__FILE__, __LINE__, &(got), &(want))

/* The OS action of `signum` is exactly `want` again (a foreign one), and the
 * table says FOREIGN. */
#define CHECK_BACK_TO_FOREIGN(signum, want)                                        \
    do {                                                                           \
        struct sigaction check_now_ = sa_now(signum);                              \
        CHECK_SAME_ACTION(check_now_, want);                                       \
        CHECK_EQ(table_kind(signum), RS_SIGNAL_HANDLER_FOREIGN);                   \
    } while (0)

/* ---- children ------------------------------------------------------------ */

/* Reap `pid` (no time bound needed: the children here do a few syscalls and
 * exit; the runner's time limit covers a hang). Returns the wait status. */
static inline int reap(pid_t pid) {
    int st = 0;
    pid_t w;
    do w = waitpid(pid, &st, 0);
    while (w < 0 && errno == EINTR);
    CHECK_EQ(w, pid);
    return st;
}
#define CHECK_CHILD_OK(pid)                                                        \
    do {                                                                           \
        int check_st_ = reap(pid);                                                 \
        if (!WIFEXITED(check_st_) || WEXITSTATUS(check_st_) != 0)                  \
            harness_fail(__FILE__, __LINE__, "child %d ended with status %#x",     \
                         (int)(pid), check_st_);                                   \
    } while (0)

/* A child that kill()s the parent with `signum` `n` times and exits 0 (1 on
 * a failed kill). */
static inline pid_t child_kills_parent(int signum, int n) {
    pid_t parent = getpid();
    fflush(NULL);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        for (int i = 0; i < n; i++)
            if (kill(parent, signum) != 0) _exit(1);
        _exit(0);
    }
    return pid;
}

/* A child that sigqueue()s `signum` to the parent `n` times, with the values
 * first, first + 1, ... (as sival_ptr), and exits 0 (1 on a failed sigqueue). */
static inline pid_t child_queues_parent(int signum, int n, uintptr_t first) {
    pid_t parent = getpid();
    fflush(NULL);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        for (int i = 0; i < n; i++) {
            union sigval v;
            memset(&v, 0, sizeof v);
            v.sival_ptr = (void *)(first + (uintptr_t)i);
            if (sigqueue(parent, signum, v) != 0) _exit(1);
        }
        _exit(0);
    }
    return pid;
}

/* ---- threads ------------------------------------------------------------- */

/* Runs fn(arg) on a new thread and waits for it. */
static inline void run_thread(void *(*fn)(void *), void *arg) {
    pthread_t t;
    CHECK(pthread_create(&t, NULL, fn, arg) == 0);
    CHECK(pthread_join(t, NULL) == 0);
}

#endif
