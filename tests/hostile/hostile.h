/* Helpers of the hostile-host tests (tests/hostile/run.sh runs them).
 *
 * Each test program runs one case, named by its first argument, in a
 * process of its own, and exits 0 when every CHECK held; a failing CHECK
 * prints where and why and exits 1. No sleeps: a signal sent from another
 * process is waited for on a pipe (rssignal's wakeup fd, or a host
 * handler's own pipe) with poll, bounded by WAIT_MS.
 */
#ifndef HOSTILE_H
#define HOSTILE_H

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rssignal.h"

/* How long a signal that was sent may take to show up before a test fails. */
#define WAIT_MS 10000

static const char *hostile_case __attribute__((unused)) = "?";

#define FAILF(...)                                                                   \
    do {                                                                             \
        fprintf(stderr, "FAIL %s: %s:%d: ", hostile_case, __FILE__, __LINE__);       \
        fprintf(stderr, __VA_ARGS__);                                                \
        fprintf(stderr, "\n");                                                       \
        exit(1);                                                                     \
    } while (0)

#define CHECK(cond)                                                                  \
    do {                                                                             \
        if (!(cond)) FAILF("CHECK(%s)", #cond);                                      \
    } while (0)

#define CHECK_EQ(a, b)                                                               \
    do {                                                                             \
        long long ha_ = (long long)(a), hb_ = (long long)(b);                        \
        if (ha_ != hb_) FAILF("%s == %s: %lld != %lld", #a, #b, ha_, hb_);           \
    } while (0)

#define CHECK_OK(call)                                                               \
    do {                                                                             \
        int hr_ = (call);                                                            \
        if (hr_ != RS_SIGNAL_OK) {                                                   \
            rs_signal_error he_;                                                     \
            memset(&he_, 0, sizeof he_);                                             \
            rs_signal_last_error(&he_);                                              \
            FAILF("%s returned %d (%s): %s", #call, hr_, rs_signal_status_name(hr_), \
                  he_.message ? he_.message : "");                                   \
        }                                                                            \
    } while (0)

/* sigaction(2) must not fail in these tests. */
#define SYS(call)                                                                    \
    do {                                                                             \
        if ((call) != 0) FAILF("%s: %s", #call, strerror(errno));                    \
    } while (0)

/* ---- dispositions ---------------------------------------------------------- */

static inline struct sigaction disposition(int signum) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    SYS(sigaction(signum, NULL, &sa));
    return sa;
}

static inline void *handler_of(const struct sigaction *sa) {
    return (sa->sa_flags & SA_SIGINFO) ? (void *)sa->sa_sigaction : (void *)sa->sa_handler;
}

/* The signals a set holds, as a string ("" when none), for messages. */
static inline const char *mask_text(const sigset_t *m, char *buf, size_t len) {
    size_t at = 0;
    buf[0] = '\0';
    for (int s = 1; s < NSIG && at + 8 < len; s++) {
        if (sigismember(m, s) == 1) at += (size_t)snprintf(buf + at, len - at, "%d ", s);
    }
    return buf;
}

/* The C library's own flag: glibc adds SA_RESTORER (with its restorer) to
 * every sigaction call, so a disposition the kernel set up (flags 0) reads
 * back with it once anything has been installed through the C library; no
 * program can set or clear it, and it says nothing about the handler. */
#if defined(SA_RESTORER)
#define LIBC_FLAGS SA_RESTORER
#elif defined(__linux__)
#define LIBC_FLAGS 0x04000000 /* Linux's SA_RESTORER, which <signal.h> hides */
#else
#define LIBC_FLAGS 0
#endif

/* The whole disposition (handler or action pointer, every flag but
 * LIBC_FLAGS, the mask over every signal number) is the same; otherwise
 * says how they differ. */
#define CHECK_SAME_DISPOSITION(signum, expected, what)                               \
    do {                                                                             \
        struct sigaction hn_ = disposition(signum);                                  \
        const struct sigaction *he_ = (expected);                                    \
        char hb1_[512], hb2_[512];                                                   \
        if (handler_of(&hn_) != handler_of(he_))                                     \
            FAILF("%s: signal %d handler %p, expected %p", what, signum,             \
                  handler_of(&hn_), handler_of(he_));                                \
        if ((hn_.sa_flags & ~LIBC_FLAGS) != (he_->sa_flags & ~LIBC_FLAGS)) \
            FAILF("%s: signal %d flags %#x, expected %#x", what, signum,             \
                  (unsigned)hn_.sa_flags, (unsigned)he_->sa_flags);                  \
        for (int hs_ = 1; hs_ < NSIG; hs_++) {                                       \
            if (sigismember(&hn_.sa_mask, hs_) != sigismember(&he_->sa_mask, hs_))   \
                FAILF("%s: signal %d mask {%s}, expected {%s}", what, signum,        \
                      mask_text(&hn_.sa_mask, hb1_, sizeof hb1_),                    \
                      mask_text(&he_->sa_mask, hb2_, sizeof hb2_));                  \
        }                                                                            \
    } while (0)

#define CHECK_HANDLER_IS(signum, fn, what)                                           \
    do {                                                                             \
        struct sigaction hn_ = disposition(signum);                                  \
        if (handler_of(&hn_) != (void *)(fn))                                        \
            FAILF("%s: signal %d handler %p, expected %p", what, signum,             \
                  handler_of(&hn_), (void *)(fn));                                   \
    } while (0)

/* ---- signals from another process ----------------------------------------- */

/* A child sends `signum` to this process with kill(2) and exits; returns the
 * child's pid once it has been reaped (so the signal has been sent). */
static inline pid_t kill_from_child(int signum) {
    pid_t parent = getpid();
    pid_t child = fork();
    if (child < 0) FAILF("fork: %s", strerror(errno));
    if (child == 0) _exit(kill(parent, signum) == 0 ? 0 : 1);
    int status = 0;
    while (waitpid(child, &status, 0) < 0) {
        if (errno != EINTR) FAILF("waitpid: %s", strerror(errno));
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) FAILF("the child's kill failed");
    return child;
}

/* For a single-threaded process: `signum` blocked, a child sends it and is
 * reaped, the signal is checked to be pending, then unblocked; POSIX has it
 * delivered before sigprocmask returns, so its handler has run when this
 * returns the child's pid. */
static inline pid_t deliver_from_child(int signum) {
    sigset_t one, old, pending;
    sigemptyset(&one);
    sigaddset(&one, signum);
    SYS(sigprocmask(SIG_BLOCK, &one, &old));
    pid_t child = kill_from_child(signum);
    SYS(sigpending(&pending));
    if (sigismember(&pending, signum) != 1) FAILF("signal %d sent but not pending", signum);
    SYS(sigprocmask(SIG_SETMASK, &old, NULL));
    return child;
}

static inline void make_pipe(int fds[2]) {
    SYS(pipe(fds));
    for (int i = 0; i < 2; i++) {
        SYS(fcntl(fds[i], F_SETFL, fcntl(fds[i], F_GETFL) | O_NONBLOCK));
        SYS(fcntl(fds[i], F_SETFD, FD_CLOEXEC));
    }
}

/* Waits until `fd` is readable (WAIT_MS at most) without reading it (a
 * channel's fd: rs_signal_channel_read clears it); 1 when it is. */
static inline int wait_readable(int fd) {
    struct pollfd p = {.fd = fd, .events = POLLIN, .revents = 0};
    int r;
    do {
        r = poll(&p, 1, WAIT_MS);
    } while (r < 0 && errno == EINTR);
    if (r < 0) FAILF("poll: %s", strerror(errno));
    return r == 1 && (p.revents & POLLIN);
}

/* Reads what `fd` holds now, without waiting. */
static inline int bytes_now(int fd) {
    int n = 0;
    char buf[64];
    ssize_t got;
    while ((got = read(fd, buf, sizeof buf)) > 0) n += (int)got;
    return n;
}

/* Waits until `fd` is readable (WAIT_MS at most), then reads what it holds;
 * returns the number of bytes (0 when nothing came). */
static inline int wait_bytes(int fd) {
    (void)wait_readable(fd);
    return bytes_now(fd);
}

/* ---- rssignal callbacks ------------------------------------------------------ */

/* What a callback saw: its calls and the delivery record of the last one. */
struct seen {
    int calls;
    int info_status;
    rs_signal_delivery last;
};

static inline int record_cb(int signum, void *user_data) {
    struct seen *s = user_data;
    s->calls++;
    s->info_status = rs_signal_delivery_info(&s->last);
    (void)signum;
    return 0;
}

static inline void install_cb(int signum, struct seen *s, rs_signal_handler *old) {
    rs_signal_handler h = {RS_SIGNAL_HANDLER_CALLBACK, record_cb, s};
    CHECK_OK(rs_signal_signal(signum, &h, old));
}

/* rssignal's wakeup fd: written by rssignal's handler for a signal with a
 * callback, in whatever thread it runs. */
static int wakeup_rd __attribute__((unused)) = -1;

static inline void use_wakeup_fd(void) {
    int fds[2];
    make_pipe(fds);
    CHECK_OK(rs_signal_set_wakeup_fd(fds[1], 1, NULL));
    wakeup_rd = fds[0];
}

/* A child sends `signum`; rssignal's handler must see it (its wakeup byte),
 * and the callback recording into `s` must run once at rs_signal_check with
 * the child's pid as the sender. */
static inline void expect_callback(int signum, struct seen *s, const char *what) {
    int before = s->calls;
    pid_t child = kill_from_child(signum);
    int n = wait_bytes(wakeup_rd);
    if (n < 1) FAILF("%s: no wakeup byte from rssignal's handler for signal %d", what, signum);
    CHECK_OK(rs_signal_check());
    if (s->calls != before + 1)
        FAILF("%s: callback for signal %d ran %d times, expected once", what, signum,
              s->calls - before);
    CHECK_EQ(s->info_status, RS_SIGNAL_OK);
    CHECK_EQ(s->last.signum, signum);
    if (s->last.pid != child)
        FAILF("%s: delivery pid %d, expected the sender %d", what, (int)s->last.pid, (int)child);
    CHECK_EQ(s->last.code, SI_USER);
    CHECK_EQ(s->last.uid, getuid());
    CHECK(s->last.arrivals >= 1);
}

#endif
