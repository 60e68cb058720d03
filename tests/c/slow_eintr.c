/* PEP 475 for the sig*wait* functions: CPython's Lib/test/_test_eintr.py
 * SignalEINTRTest, and CPython's observed sigwaitinfo/sigtimedwait behaviour:
 * an EINTR is retried after running the callbacks, with the time left.
 * EINTRBaseTest's set-up: a no-op SIGALRM handler and ITIMER_REAL firing
 * after 0.1 s and then every 0.1 s, so the waits keep being interrupted. */
#include <sys/time.h>

#include "util_slow.h"

static volatile int alarms;
static int alarm_cb(int signum, void *data) {
    (void)signum;
    (void)data;
    alarms++;
    return 0;
}

static int raising_alarm_cb(int signum, void *data) {
    (void)signum;
    (void)data;
    alarms++;
    return -1042; /* an application's own status (<= RS_SIGNAL_EUSER) */
}

static void eintr_setup(rs_signal_callback cb) {
    us_set_callback(RS_SIGALRM, cb, NULL);
    CHECK_OK(rs_signal_setitimer(RS_ITIMER_REAL, 0.1, 0.1, NULL));
}

static void eintr_teardown(void) {
    rs_signal_handler dfl = {RS_SIG_DFL, NULL, NULL};
    CHECK_OK(rs_signal_setitimer(RS_ITIMER_REAL, 0.0, 0.0, NULL));
    CHECK_OK(rs_signal_signal(RS_SIGALRM, &dfl, NULL));
}

/* check_sigwait: a child sends SIGUSR1 after sleep_time = 0.2 s (the delay
 * is the scenario, not synchronisation: SIGUSR1 is blocked, so an earlier
 * arrival would only be picked up at once); the wait, interrupted by SIGALRM
 * on the way, must retry and return SIGUSR1. */
static void check_sigwait(int timed) {
    eintr_setup(alarm_cb);
    us_set_callback(RS_SIGUSR1, us_counting_cb, NULL);
    rs_sigset usr1 = us_set1(RS_SIGUSR1), old_mask;
    CHECK_OK(rs_signal_pthread_sigmask(RS_SIG_BLOCK, &usr1, &old_mask));
    pid_t parent = getpid();
    fflush(NULL);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        struct timespec ts = {0, 200 * 1000 * 1000};
        nanosleep(&ts, NULL);
        _exit(kill(parent, SIGUSR1) == 0 ? 0 : 1);
    }
    rs_signal_siginfo info;
    memset(&info, 0, sizeof info);
    double t0 = us_now();
    if (timed)
        CHECK_OK(rs_signal_sigtimedwait(&usr1, 120.0, &info));
    else
        CHECK_OK(rs_signal_sigwaitinfo(&usr1, &info));
    double elapsed = us_now() - t0;
    CHECK_EQ(info.signo, RS_SIGUSR1);
    CHECK_EQ(info.pid, pid);
    CHECK(elapsed < 60.0);
    CHECK_OK(rs_signal_pthread_sigmask(RS_SIG_SETMASK, &old_mask, NULL));
    int status = 0;
    CHECK(us_wait_child(pid, &status, 10.0));
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    /* the wait was interrupted at least once, and the callbacks ran */
    CHECK(alarms >= 1);
    eintr_teardown();
}

TEST_T(SignalEINTRTest_test_sigwaitinfo, 60) { check_sigwait(0); }

TEST_T(SignalEINTRTest_test_sigtimedwait, 60) { check_sigwait(1); }

/* CPython, observed: with SIGALRM every 0.1 s and no SIGUSR1,
 * sigtimedwait([SIGUSR1], 0.55) returns None after 0.55 s with about five
 * handler runs — each retry waits for the time left, the deadline is not
 * restarted. */
TEST_T(SignalEINTRTest_sigtimedwait_keeps_its_deadline, 60) {
    eintr_setup(alarm_cb);
    rs_sigset usr1 = us_set1(RS_SIGUSR1);
    CHECK_OK(rs_signal_pthread_sigmask(RS_SIG_BLOCK, &usr1, NULL));
    rs_signal_siginfo info;
    double t0 = us_now();
    int r = rs_signal_sigtimedwait(&usr1, 0.55, &info);
    double elapsed = us_now() - t0;
    CHECK_EQ(r, RS_SIGNAL_TIMEOUT);
    CHECK(elapsed >= 0.5);
    if (elapsed >= 1.5)
        harness_fail(__FILE__, __LINE__,
                     "sigtimedwait(0.55) took %.2f s with %d interruptions: deadline restarted?",
                     elapsed, alarms);
    CHECK(alarms >= 2);
    eintr_teardown();
}

/* CPython, observed: a raising SIGALRM handler aborts sigwaitinfo (and
 * sigtimedwait) with its exception; the status is the callback's own. */
TEST_T(SignalEINTRTest_raising_handler_aborts_the_wait, 60) {
    eintr_setup(raising_alarm_cb);
    rs_sigset usr1 = us_set1(RS_SIGUSR1);
    CHECK_OK(rs_signal_pthread_sigmask(RS_SIG_BLOCK, &usr1, NULL));
    rs_signal_siginfo info;
    CHECK_FAILS(rs_signal_sigwaitinfo(&usr1, &info), -1042, NULL);
    rs_signal_error e;
    rs_signal_last_error(&e);
    CHECK_EQ(e.signum, RS_SIGALRM);
    CHECK_EQ(e.handler_result, -1042);
    CHECK_EQ(alarms, 1);
    double t0 = us_now();
    CHECK_FAILS(rs_signal_sigtimedwait(&usr1, 30.0, &info), -1042, NULL);
    CHECK(us_now() - t0 < 10.0);
    CHECK_EQ(alarms, 2);
    eintr_teardown();
}
