/* CPython test_signal.py PendingSignalsTests, the rows that
 * depend on real time (alarm(1), timed waits, a thread that waits 1 s). The
 * other rows are in test_pending.c. */
#include <pthread.h>
#include <signal.h>

#include "util_slow.h"

/* ---- the rows ------------------------------------------------------------- */

static void t_sigwait(int signum) {
    rs_sigset set = us_set1(signum);
    int got = -1;
    rs_signal_alarm(1);
    CHECK_OK(rs_signal_sigwait(&set, &got));
    CHECK_EQ(got, signum);
}

/* test_sigwait: alarm(1); sigwait([SIGALRM]) == SIGALRM; no handler runs. */
TEST_T(PendingSignalsTests_test_sigwait, 40) { us_wait_helper(RS_SIGALRM, t_sigwait); }

static void t_sigwaitinfo(int signum) {
    rs_sigset set = us_set1(signum);
    rs_signal_siginfo info;
    memset(&info, 0, sizeof info);
    rs_signal_alarm(1);
    CHECK_OK(rs_signal_sigwaitinfo(&set, &info));
    CHECK_EQ(info.signo, signum);
}

/* test_sigwaitinfo: alarm(1); sigwaitinfo([SIGALRM]).si_signo == SIGALRM. */
TEST_T(PendingSignalsTests_test_sigwaitinfo, 40) { us_wait_helper(RS_SIGALRM, t_sigwaitinfo); }

static void t_sigtimedwait(int signum) {
    rs_sigset set = us_set1(signum);
    rs_signal_siginfo info;
    memset(&info, 0, sizeof info);
    rs_signal_alarm(1);
    CHECK_OK(rs_signal_sigtimedwait(&set, 10.1, &info));
    CHECK_EQ(info.signo, signum);
}

/* test_sigtimedwait: alarm(1); sigtimedwait([SIGALRM], 10.1).si_signo == SIGALRM. */
TEST_T(PendingSignalsTests_test_sigtimedwait, 40) { us_wait_helper(RS_SIGALRM, t_sigtimedwait); }

static void t_sigtimedwait_timeout(int signum) {
    rs_sigset set = us_set1(signum);
    rs_signal_siginfo info;
    double t0 = us_now();
    int r = rs_signal_sigtimedwait(&set, 1.0, &info);
    double elapsed = us_now() - t0;
    CHECK_EQ(r, RS_SIGNAL_TIMEOUT);
    CHECK(elapsed >= 0.9);
    CHECK(elapsed < 10.0);
}

/* test_sigtimedwait_timeout: sigtimedwait([SIGALRM], 1.0) is None (timeout). */
TEST_T(PendingSignalsTests_test_sigtimedwait_timeout, 40) {
    us_wait_helper(RS_SIGALRM, t_sigtimedwait_timeout);
}

/* ---- test_sigwait_thread ---------------------------------------------------- */

static void *kill_later(void *arg) {
    (void)arg;
    /* CPython's thread sleeps 1 s so that the main thread is already inside
     * sigwait: that delay is the subject of the test, not synchronisation —
     * the result is the same if the signal arrives before sigwait starts,
     * because SIGUSR1 is blocked in every thread. */
    struct timespec ts = {1, 0};
    nanosleep(&ts, NULL);
    if (kill(getpid(), SIGUSR1) != 0) _exit(5);
    return NULL;
}

static void sigwait_thread_child(void) {
    rs_sigset usr1 = us_set1(RS_SIGUSR1);
    /* block in the main thread before the thread starts: it inherits the mask */
    CHECK_OK(rs_signal_pthread_sigmask(RS_SIG_BLOCK, &usr1, NULL));
    pthread_t t;
    CHECK(pthread_create(&t, NULL, kill_later, NULL) == 0);
    int got = -1;
    CHECK_OK(rs_signal_sigwait(&usr1, &got)); /* the whole process isn't suspended */
    CHECK_EQ(got, RS_SIGUSR1);
    CHECK(pthread_join(t, NULL) == 0);
    /* the signal was consumed: unblocking must not kill us (default action) */
    CHECK_OK(rs_signal_pthread_sigmask(RS_SIG_UNBLOCK, &usr1, NULL));
}

/* test_sigwait_thread: a thread sends SIGUSR1 to the process after 1 s while
 * the main thread waits in sigwait; the child exits 0. */
TEST_T(PendingSignalsTests_test_sigwait_thread, 40) {
    us_run_in_child(sigwait_thread_child, 30.0, "sigwait_thread");
}
