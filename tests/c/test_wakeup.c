/* CPython test_signal.py: WakeupFDTests, WakeupSignalTests
 * and WakeupSocketSignalTests, ported to the C API. The runner's
 * fresh child per test stands in for CPython's assert_python_ok children. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <stdint.h>
#ifndef __APPLE__ /* Linux, FreeBSD >= 13 */
#include <sys/eventfd.h>
#endif
#include <sys/socket.h>
#include <unistd.h>

#include "harness.h"
#include "util.h"

static int calls[NSIG];
static int noop_cb(int signum, void *data) {
    (void)data;
    calls[signum]++;
    return 0;
}
/* Python's `1/0` handler: "raises" with a positive value. */
static int zerodiv_cb(int signum, void *data) {
    (void)data;
    calls[signum]++;
    return 42;
}

static void install(int signum, rs_signal_callback cb) {
    rs_signal_handler h = {RS_SIGNAL_HANDLER_CALLBACK, cb, NULL};
    CHECK_OK(rs_signal_signal(signum, &h, NULL));
}

/* A closed fd number (os_helper.make_bad_fd). */
static int bad_fd(void) {
    int fd = open("/dev/null", O_RDONLY);
    CHECK(fd >= 0);
    close(fd);
    return fd;
}

static int current_wakeup_fd(void) {
    int old = -7, again = -7;
    CHECK_OK(rs_signal_set_wakeup_fd(-1, 1, &old));
    if (old != -1) CHECK_OK(rs_signal_set_wakeup_fd(old, 1, &again));
    return old;
}

/* ---- WakeupFDTests --------------------------------------------------------- */

TEST(WakeupFDTests_test_invalid_fd) {
    int fd = bad_fd();
    int old = -7;
    CHECK_FAILS(rs_signal_set_wakeup_fd(fd, 1, &old), RS_SIGNAL_EOS, NULL);
    CHECK_EQ(harness_last_errno(), EBADF);
    CHECK_EQ(old, -7);
    CHECK_EQ(current_wakeup_fd(), -1);
    /* Only exactly -1 disables: -5 is a bad fd (as CPython's set_wakeup_fd(-5): EBADF). */
    CHECK_FAILS(rs_signal_set_wakeup_fd(-5, 1, NULL), RS_SIGNAL_EOS, NULL);
    CHECK_EQ(harness_last_errno(), EBADF);
    CHECK_EQ(current_wakeup_fd(), -1);
}

TEST(WakeupFDTests_test_invalid_socket) {
    int s = socket(AF_UNIX, SOCK_STREAM, 0);
    if (s < 0) SKIP("socket(AF_UNIX) unavailable");
    close(s);
    CHECK_FAILS(rs_signal_set_wakeup_fd(s, 1, NULL), RS_SIGNAL_EOS, NULL);
    CHECK_EQ(harness_last_errno(), EBADF);
    CHECK_EQ(current_wakeup_fd(), -1);
}

TEST(WakeupFDTests_test_set_wakeup_fd_result) {
    int p1[2], p2[2], old = -7;
    nonblocking_pipe(p1);
    nonblocking_pipe(p2);
    CHECK_OK(rs_signal_set_wakeup_fd(p1[1], 1, &old));
    CHECK_EQ(old, -1);
    CHECK_OK(rs_signal_set_wakeup_fd(p2[1], 1, &old));
    CHECK_EQ(old, p1[1]);
    CHECK_OK(rs_signal_set_wakeup_fd(-1, 1, &old));
    CHECK_EQ(old, p2[1]);
    CHECK_OK(rs_signal_set_wakeup_fd(-1, 1, &old));
    CHECK_EQ(old, -1);
}

TEST(WakeupFDTests_test_set_wakeup_fd_socket_result) {
    int s1 = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    if (s1 < 0) s1 = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
    int s2 = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0);
    if (s1 < 0 || s2 < 0) SKIP("sockets unavailable");
    int old = -7;
    CHECK_OK(rs_signal_set_wakeup_fd(s1, 1, &old));
    CHECK_EQ(old, -1);
    CHECK_OK(rs_signal_set_wakeup_fd(s2, 1, &old));
    CHECK_EQ(old, s1);
    CHECK_OK(rs_signal_set_wakeup_fd(-1, 1, &old));
    CHECK_EQ(old, s2);
    CHECK_OK(rs_signal_set_wakeup_fd(-1, 1, &old));
    CHECK_EQ(old, -1);
}

TEST(WakeupFDTests_test_set_wakeup_fd_blocking) {
    int p[2];
    CHECK(pipe(p) == 0); /* blocking */
    char expected[64];
    snprintf(expected, sizeof expected, "the fd %d must be in non-blocking mode", p[1]);
    CHECK_FAILS(rs_signal_set_wakeup_fd(p[1], 1, NULL), RS_SIGNAL_EVALUE, expected);
    CHECK(strcmp(harness_last_message(), expected) == 0);
    CHECK_EQ(current_wakeup_fd(), -1);
    CHECK(fcntl(p[1], F_SETFL, fcntl(p[1], F_GETFL) | O_NONBLOCK) == 0);
    int old = -7;
    CHECK_OK(rs_signal_set_wakeup_fd(p[1], 1, &old));
    CHECK_EQ(old, -1);
    CHECK_OK(rs_signal_set_wakeup_fd(-1, 1, &old));
    CHECK_EQ(old, p[1]);
}

/* ---- WakeupSignalTests ----------------------------------------------------- */

/* check_wakeup(): a no-op SIGALRM handler, a pipe whose write end is
 * non-blocking and the wakeup fd; returns the read end (non-blocking too). */
static int check_wakeup_setup(void) {
    int p[2];
    install(SIGALRM, noop_cb);
    nonblocking_pipe(p);
    CHECK_OK(rs_signal_set_wakeup_fd(p[1], 1, NULL));
    return p[0];
}

/* os.read(read, len(signals)+1) must give exactly `expected`. */
static void check_bytes(int rd, const int *expected, int n, int ordered) {
    unsigned char buf[64];
    int got = drain_bytes(rd, buf, n + 1);
    if (got != n) harness_fail(__FILE__, __LINE__, "read %d wakeup bytes, expected %d", got, n);
    for (int i = 0; i < n; i++) {
        if (ordered) {
            if (buf[i] != expected[i])
                harness_fail(__FILE__, __LINE__, "byte %d is %d, expected %d", i, buf[i],
                             expected[i]);
        } else {
            int found = 0;
            for (int j = 0; j < n; j++) found |= buf[j] == expected[i];
            if (!found) harness_fail(__FILE__, __LINE__, "signal %d missing from the bytes", expected[i]);
        }
    }
}

/* CPython bpo-16105: the wakeup fd is a pipe's read end, so the handler's write
 * fails with EBADF; the callback's error still comes out of raise_signal, and
 * the write error is reported once, through the unraisable hook. */
TEST(WakeupSignalTests_test_wakeup_write_error) {
    int p[2];
    nonblocking_pipe(p);
    if (write(p[0], "x", 1) != -1 || errno != EBADF)
        SKIP("writing to a pipe's read end does not fail with EBADF here");
    install(SIGALRM, zerodiv_cb);
    CHECK_OK(rs_signal_set_wakeup_fd(p[0], 1, NULL));

    /* With a hook: exactly one report, EBADF, and the callback's error kept. */
    struct hook_log log;
    hook_install(&log);
    CHECK_EQ(rs_signal_raise_signal(SIGALRM), RS_SIGNAL_EHANDLER);
    CHECK_EQ(calls[SIGALRM], 1);
    rs_signal_error e;
    CHECK_EQ(rs_signal_last_error(&e), RS_SIGNAL_EHANDLER);
    CHECK_EQ(e.signum, SIGALRM);
    CHECK_EQ(e.handler_result, 42);
    CHECK_EQ(log.n, 1);
    CHECK_STR_CONTAINS(log.message[0], "Exception ignored when trying to write to the signal wakeup fd");
    CHECK_EQ(log.os_errno[0], EBADF);
    CHECK_EQ(log.status[0], RS_SIGNAL_EOS);
    CHECK_EQ(log.main_thread[0], 1);
    CHECK_OK(rs_signal_check());
    CHECK_EQ(log.n, 1);

    /* With the default hook: CPython's stderr text. */
    CHECK_OK(rs_signal_set_unraisable_hook(NULL, NULL));
    struct capture cap;
    capture_stderr_begin(&cap);
    int r = rs_signal_raise_signal(SIGALRM);
    const char *err = capture_stderr_end(&cap);
    CHECK_EQ(r, RS_SIGNAL_EHANDLER);
    CHECK_EQ(calls[SIGALRM], 2);
    CHECK_STR_CONTAINS(err, "Exception ignored when trying to write to the signal wakeup fd");
    CHECK_STR_CONTAINS(err, "OSError: [Errno 9]");
    CHECK_EQ(rs_signal_last_error(&e), RS_SIGNAL_EHANDLER);
    CHECK_EQ(e.signum, SIGALRM);
}

/* A WakeupSignalTests row of test_signal.py: the signal arrives before the
 * wait starts; the byte is already there, so the wait returns at once. */
TEST_T(WakeupSignalTests_test_wakeup_fd_early, 15) {
    int rd = check_wakeup_setup();
    install(SIGALRM, zerodiv_cb);
    rs_signal_alarm(1);
    /* The signal arrives during this wait, before the "select" on rd. */
    struct pollfd none = {-1, 0, 0};
    int r = poll(&none, 1, 10000);
    CHECK(r == -1 && errno == EINTR);
    CHECK_EQ(rs_signal_check(), RS_SIGNAL_EHANDLER);
    double before = monotonic_now();
    struct pollfd pfd = {rd, POLLIN, 0};
    CHECK_EQ(poll(&pfd, 1, 10000), 1);
    CHECK(monotonic_now() - before < 5.0);
    int expected[] = {SIGALRM};
    check_bytes(rd, expected, 1, 1);
}

TEST_T(WakeupSignalTests_test_wakeup_fd_during, 15) {
    int rd = check_wakeup_setup();
    install(SIGALRM, zerodiv_cb);
    double before = monotonic_now();
    rs_signal_alarm(1);
    struct pollfd pfd = {rd, POLLIN, 0};
    int r = poll(&pfd, 1, 10000);
    double dt = monotonic_now() - before;
    /* Woken by the signal: EINTR, or the byte already readable. */
    CHECK((r == -1 && errno == EINTR) || (r == 1 && (pfd.revents & POLLIN)));
    if (dt >= 5.0) harness_fail(__FILE__, __LINE__, "poll took %.3f s >= 5 s", dt);
    CHECK_EQ(rs_signal_check(), RS_SIGNAL_EHANDLER);
    CHECK_EQ(calls[SIGALRM], 1);
    int expected[] = {SIGALRM};
    check_bytes(rd, expected, 1, 1);
}

TEST(WakeupSignalTests_test_signum) {
    int rd = check_wakeup_setup();
    install(SIGUSR1, noop_cb);
    CHECK_OK(rs_signal_raise_signal(SIGUSR1));
    CHECK_OK(rs_signal_raise_signal(SIGALRM));
    CHECK_EQ(calls[SIGUSR1], 1);
    CHECK_EQ(calls[SIGALRM], 1);
    int expected[] = {SIGUSR1, SIGALRM};
    check_bytes(rd, expected, 2, 1);
}

TEST(WakeupSignalTests_test_pending) {
    int rd = check_wakeup_setup();
    install(SIGUSR1, noop_cb);
    install(SIGUSR2, noop_cb);
    rs_sigset both;
    int nums[] = {SIGUSR1, SIGUSR2};
    CHECK_OK(rs_sigset_from_array(nums, 2, &both));
    CHECK_OK(rs_signal_pthread_sigmask(RS_SIG_BLOCK, &both, NULL));
    CHECK_OK(rs_signal_raise_signal(SIGUSR1));
    CHECK_OK(rs_signal_raise_signal(SIGUSR2));
    unsigned char none[4];
    CHECK_EQ(drain_bytes(rd, none, 4), 0); /* blocked: the C handler has not run */
    CHECK_EQ(calls[SIGUSR1] + calls[SIGUSR2], 0);
    /* Unblocking the 2 signals calls the C signal handler twice, and the
     * callbacks run inside pthread_sigmask. */
    CHECK_OK(rs_signal_pthread_sigmask(RS_SIG_UNBLOCK, &both, NULL));
    CHECK_EQ(calls[SIGUSR1], 1);
    CHECK_EQ(calls[SIGUSR2], 1);
    check_bytes(rd, nums, 2, 0);
}

/* ---- WakeupSocketSignalTests ----------------------------------------------- */

TEST(WakeupSocketSignalTests_test_socket) {
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0) SKIP("socketpair unavailable");
    install(SIGINT, noop_cb);
    CHECK(fcntl(sv[1], F_SETFL, fcntl(sv[1], F_GETFL) | O_NONBLOCK) == 0);
    CHECK_OK(rs_signal_set_wakeup_fd(sv[1], 1, NULL));
    CHECK_OK(rs_signal_raise_signal(SIGINT));
    CHECK_EQ(calls[SIGINT], 1);
    unsigned char b = 0;
    CHECK_EQ(recv(sv[0], &b, 1, MSG_DONTWAIT), 1);
    CHECK_EQ(b, SIGINT);
    CHECK_EQ(recv(sv[0], &b, 1, MSG_DONTWAIT), -1); /* exactly one byte */
}

TEST(WakeupSocketSignalTests_test_send_error) {
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv) != 0) SKIP("socketpair unavailable");
    install(SIGINT, noop_cb);
    CHECK_OK(rs_signal_set_wakeup_fd(sv[1], 1, NULL));
    /* Capture stderr first: a pipe made after closing the sockets could take
     * the wakeup fd's number. */
    struct capture cap;
    capture_stderr_begin(&cap);
    close(sv[0]);
    close(sv[1]);
    int r = rs_signal_raise_signal(SIGINT);
    const char *err = capture_stderr_end(&cap);
    CHECK_EQ(r, RS_SIGNAL_OK);
    CHECK_EQ(calls[SIGINT], 1);
    CHECK_STR_CONTAINS(err, "Exception ignored when trying to write to the signal wakeup fd");
    CHECK_STR_CONTAINS(err, "[Errno 9]");

    /* Through a hook: one report with EBADF; the callback still runs. */
    struct hook_log log;
    hook_install(&log);
    CHECK_OK(rs_signal_raise_signal(SIGINT));
    CHECK_EQ(calls[SIGINT], 2);
    CHECK_EQ(log.n, 1);
    CHECK_STR_CONTAINS(log.message[0], "when trying to write to the signal wakeup fd");
    CHECK_EQ(log.os_errno[0], EBADF);
}

/* ---- extras ---------------------------------------------------------------- */

/* warn_on_full_buffer (CPython's trip_signal: a failed wakeup write is
 * reported unless it is EAGAIN/EWOULDBLOCK with warn_on_full_buffer off): a full pipe (EAGAIN) is reported only
 * when the flag is set; the flag does not leak across set_wakeup_fd calls. */
TEST(Extra_wakeup_full_buffer_warning) {
    int p[2];
    nonblocking_pipe(p);
    char junk[4096];
    memset(junk, 'j', sizeof junk);
    while (write(p[1], junk, sizeof junk) > 0) {
    }
    while (write(p[1], junk, 1) > 0) {
    }
    CHECK(errno == EAGAIN || errno == EWOULDBLOCK);
    install(SIGUSR1, noop_cb);
    struct hook_log log;
    hook_install(&log);

    CHECK_OK(rs_signal_set_wakeup_fd(p[1], 0, NULL));
    CHECK_OK(rs_signal_raise_signal(SIGUSR1));
    CHECK_EQ(calls[SIGUSR1], 1);
    CHECK_EQ(log.n, 0);

    CHECK_OK(rs_signal_set_wakeup_fd(p[1], 1, NULL));
    CHECK_OK(rs_signal_raise_signal(SIGUSR1));
    CHECK_EQ(calls[SIGUSR1], 2);
    CHECK_EQ(log.n, 1);
    CHECK_EQ(log.os_errno[0], EAGAIN);
    CHECK_STR_CONTAINS(log.message[0], "Exception ignored when trying to write to the signal wakeup fd");
    CHECK_STR_CONTAINS(log.message[0], "BlockingIOError");

    CHECK_OK(rs_signal_set_wakeup_fd(p[1], 0, NULL));
    CHECK_OK(rs_signal_raise_signal(SIGUSR1));
    CHECK_EQ(calls[SIGUSR1], 3);
    CHECK_EQ(log.n, 1);
}

/* Other errors than EAGAIN are reported even with warn_on_full_buffer=0. */
TEST(Extra_wakeup_write_error_reported_without_warn) {
    int p[2];
    nonblocking_pipe(p);
    install(SIGUSR1, noop_cb);
    CHECK_OK(rs_signal_set_wakeup_fd(p[0], 0, NULL)); /* read end: EBADF */
    struct hook_log log;
    hook_install(&log);
    CHECK_OK(rs_signal_raise_signal(SIGUSR1));
    CHECK_EQ(calls[SIGUSR1], 1);
    CHECK_EQ(log.n, 1);
    CHECK_EQ(log.os_errno[0], EBADF);
}

/* A callback on SIGPIPE, and as wakeup fd (warn_on_full_buffer=1) the
 * write end of a non-blocking pipe whose read end is closed; returns that
 * write end. */
static int sigpipe_callback_and_broken_wakeup_pipe(void) {
    int p[2];
    nonblocking_pipe(p);
    install(SIGPIPE, noop_cb);
    CHECK_OK(rs_signal_set_wakeup_fd(p[1], 1, NULL));
    CHECK(close(p[0]) == 0);
    return p[1];
}

/* A callback on SIGPIPE and a wakeup pipe whose reader is gone: the wakeup
 * write raises SIGPIPE, whose handler entry must not write again (that would
 * raise the next SIGPIPE for ever). The raise returns, the callback runs once
 * for both arrivals, and the EPIPE is reported. */
TEST(Extra_wakeup_broken_pipe_with_sigpipe_callback_ends) {
    sigpipe_callback_and_broken_wakeup_pipe();
    struct hook_log log;
    hook_install(&log);
    CHECK_OK(rs_signal_raise_signal(SIGPIPE));
    CHECK_EQ(calls[SIGPIPE], 1);
    CHECK_EQ(log.n, 1);
    CHECK_EQ(log.os_errno[0], EPIPE);
    rs_signal_stats st;
    CHECK_OK(rs_signal_get_stats(SIGPIPE, &st));
    CHECK_EQ(st.arrivals, 2); /* the raise and the write's own SIGPIPE */
}

/* The broken pipe's EPIPE, still unreported, belongs to that pipe: once a
 * working wakeup fd replaces it, a SIGPIPE arrival writes its byte there,
 * and the old pipe's failure is still reported at the next dispatch point. */
TEST(Extra_wakeup_broken_pipe_replaced_sigpipe_writes_again) {
    int broken = sigpipe_callback_and_broken_wakeup_pipe();
    int q[2];
    nonblocking_pipe(q);
    struct hook_log log;
    hook_install(&log);
    /* Not a dispatch point: the EPIPE stays unreported. */
    CHECK_OK(rs_signal_set_interrupt(SIGPIPE));
    CHECK_EQ(log.n, 0);
    int old = -2;
    CHECK_OK(rs_signal_set_wakeup_fd(q[1], 1, &old));
    CHECK_EQ(old, broken);
    CHECK_OK(rs_signal_raise_signal(SIGPIPE));
    unsigned char buf[16];
    ssize_t n = read(q[0], buf, sizeof buf);
    CHECK_EQ(n, 1);
    CHECK_EQ(buf[0], SIGPIPE);
    CHECK_EQ(log.n, 1);
    CHECK_EQ(log.os_errno[0], EPIPE);
    CHECK_EQ(calls[SIGPIPE], 1);
}

/* Several failed writes before one dispatch point: one report, which counts
 * them (CPython queues one report per write; a storm on a full pipe would
 * flood stderr, so rssignal reports once per dispatch point with the count). */
TEST(Extra_wakeup_write_failures_counted_in_one_report) {
    int p[2];
    nonblocking_pipe(p);
    install(SIGUSR1, noop_cb);
    CHECK_OK(rs_signal_set_wakeup_fd(p[0], 1, NULL)); /* read end: EBADF */
    struct hook_log log;
    hook_install(&log);
    sigset_t m;
    sigemptyset(&m);
    sigaddset(&m, SIGUSR1);
    CHECK(sigprocmask(SIG_BLOCK, &m, NULL) == 0);
    CHECK(kill(getpid(), SIGUSR1) == 0);
    CHECK(sigprocmask(SIG_UNBLOCK, &m, NULL) == 0); /* arrival 1 */
    CHECK(kill(getpid(), SIGUSR1) == 0);            /* arrival 2 */
    CHECK(kill(getpid(), SIGUSR1) == 0);            /* arrival 3 */
    CHECK_EQ(log.n, 0);                             /* nothing from signal context */
    CHECK_OK(rs_signal_check());
    CHECK_EQ(calls[SIGUSR1], 1);
    CHECK_EQ(log.n, 1);
    CHECK_EQ(log.os_errno[0], EBADF);
    CHECK_STR_CONTAINS(log.message[0], "(3 failed writes since the last dispatch point)");
    CHECK_OK(rs_signal_check());
    CHECK_EQ(log.n, 1);                             /* reported once, not again */
}

/* A socket wakeup fd whose peer has closed: the byte is sent with
 * MSG_NOSIGNAL, so with SIGPIPE at its default action the process lives and
 * the failure is an EPIPE report at the dispatch point. */
TEST(Extra_wakeup_socket_peer_closed_no_sigpipe) {
    int sv[2];
    CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
    CHECK(fcntl(sv[0], F_SETFL, O_NONBLOCK) == 0);
    CHECK(close(sv[1]) == 0);
    CHECK(signal(SIGPIPE, SIG_DFL) != SIG_ERR);
    install(SIGUSR1, noop_cb);
    CHECK_OK(rs_signal_set_wakeup_fd(sv[0], 1, NULL));
    struct hook_log log;
    hook_install(&log);
    CHECK_OK(rs_signal_raise_signal(SIGUSR1));
    CHECK_EQ(calls[SIGUSR1], 1);
    CHECK_EQ(log.n, 1);
    CHECK_EQ(log.os_errno[0], EPIPE);
    sigset_t pending;
    CHECK(sigpending(&pending) == 0);
    CHECK(!sigismember(&pending, SIGPIPE));
}

/* Eventfds work as wakeup fds (as pipes and sockets do). An eventfd takes 8-byte counter
 * increments, so each arrival adds 1 (no signal number) and nothing fails. */
TEST(Extra_wakeup_eventfd_counts_arrivals) {
#ifdef __APPLE__
    SKIP("SKIP LOUDLY: no eventfd on macOS: eventfd wakeup not tested");
#else
    int efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    CHECK(efd >= 0);
    install(SIGUSR1, noop_cb);
    install(SIGUSR2, noop_cb);
    CHECK_OK(rs_signal_set_wakeup_fd(efd, 1, NULL));
    struct hook_log log;
    hook_install(&log);
    CHECK_OK(rs_signal_raise_signal(SIGUSR1));
    CHECK_OK(rs_signal_raise_signal(SIGUSR2));
    CHECK_OK(rs_signal_raise_signal(SIGUSR1));
    CHECK_EQ(calls[SIGUSR1], 2);
    CHECK_EQ(calls[SIGUSR2], 1);
    CHECK_EQ(log.n, 0);
    uint64_t count = 0;
    CHECK_EQ(read(efd, &count, sizeof count), (long)sizeof count);
    CHECK_EQ(count, 3);
    int old = 0;
    CHECK_OK(rs_signal_set_wakeup_fd(-1, 1, &old));
    CHECK_EQ(old, efd);
#endif
}
