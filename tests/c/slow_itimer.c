/* CPython test_signal.py ItimerTest, the rows that run
 * real or CPU-time interval timers. test_itimer_exc is in test_itimer.c.
 * test_setitimer_tiny is a newer CPython row (bpo-30807). */
#include <sys/time.h>

#include "util_slow.h"

#define LONG_TIMEOUT 60.0 /* wall-clock bound of the CPU loops */

static volatile int hndl_called;
static volatile int hndl_count;
static volatile int hndl_error;

static int sig_alrm(int signum, void *data) {
    (void)data;
    if (signum == RS_SIGALRM) hndl_called = 1;
    return 0;
}

/* setUp / tearDown of ItimerTest */
static void itimer_setup(void) {
    rs_signal_handler h = {RS_SIGNAL_HANDLER_CALLBACK, sig_alrm, NULL};
    CHECK_OK(rs_signal_signal(RS_SIGALRM, &h, NULL));
}

static void itimer_teardown(int which) {
    rs_signal_handler dfl = {RS_SIG_DFL, NULL, NULL};
    CHECK_OK(rs_signal_setitimer(which, 0.0, 0.0, NULL));
    CHECK_OK(rs_signal_signal(RS_SIGALRM, &dfl, NULL));
}

/* One step of CPython's CPU loop, pow(12345, 67890, 10000019). */
static unsigned long long burn(void) {
    unsigned long long base = 12345, result = 1, mod = 10000019;
    for (unsigned e = 67890; e; e >>= 1) {
        if (e & 1) result = result * base % mod;
        base = base * base % mod;
    }
    return result;
}

/* Burn CPU, dispatching every iteration, until getitimer(which) is (0, 0) or
 * the wall-clock bound passes. Returns the final value. */
static rs_signal_itimer_value cpu_loop_until_disarmed(int which) {
    volatile unsigned long long sink = 0;
    rs_signal_itimer_value v = {1, 1};
    double deadline = us_now() + LONG_TIMEOUT;
    while (us_now() < deadline) {
        for (int i = 0; i < 100; i++) sink += burn();
        int r = rs_signal_check();
        if (r != RS_SIGNAL_OK)
            harness_fail(__FILE__, __LINE__, "dispatch returned %d: %s", r, harness_last_message());
        CHECK_OK(rs_signal_getitimer(which, &v));
        if (v.delay == 0.0 && v.interval == 0.0) break;
    }
    (void)sink;
    return v;
}

/* test_itimer_real: setitimer(ITIMER_REAL, 1.0); pause(); handler called —
 * pause() returns after the callback ran (dispatch inside pause). */
TEST_T(ItimerTest_test_itimer_real, 30) {
    itimer_setup();
    rs_signal_itimer_value old = {-1, -1};
    CHECK_OK(rs_signal_setitimer(RS_ITIMER_REAL, 1.0, 0.0, &old));
    CHECK(old.delay == 0.0 && old.interval == 0.0);
    rs_signal_itimer_value now;
    CHECK_OK(rs_signal_getitimer(RS_ITIMER_REAL, &now));
    CHECK(now.delay > 0.0 && now.delay <= 1.0);
    double t0 = us_now();
    CHECK_OK(rs_signal_pause());
    CHECK(hndl_called);
    CHECK(us_now() - t0 > 0.5);
    itimer_teardown(RS_ITIMER_REAL);
}

static int sig_vtalrm(int signum, void *data) {
    (void)signum;
    (void)data;
    if (hndl_count > 3) {
        /* it should have been disabled by now: ItimerError */
        hndl_error = 1;
        return 1;
    }
    hndl_count++;
    if (hndl_count == 3) {
        int r = rs_signal_setitimer(RS_ITIMER_VIRTUAL, 0.0, 0.0, NULL);
        if (r != RS_SIGNAL_OK) return r;
    }
    return 0;
}

/* test_itimer_virtual: the SIGVTALRM callback disables the timer from inside
 * dispatch on its third call; getitimer then reads (0, 0). */
TEST_T(ItimerTest_test_itimer_virtual, 90) {
    itimer_setup();
    rs_signal_handler h = {RS_SIGNAL_HANDLER_CALLBACK, sig_vtalrm, NULL};
    CHECK_OK(rs_signal_signal(RS_SIGVTALRM, &h, NULL));
    CHECK_OK(rs_signal_setitimer(RS_ITIMER_VIRTUAL, 0.3, 0.2, NULL));
    rs_signal_itimer_value v = cpu_loop_until_disarmed(RS_ITIMER_VIRTUAL);
    CHECK(v.delay == 0.0 && v.interval == 0.0);
    CHECK(!hndl_error);
    CHECK_EQ(hndl_count, 3);
    itimer_teardown(RS_ITIMER_VIRTUAL);
}

static int sig_prof(int signum, void *data) {
    (void)signum;
    (void)data;
    hndl_called = 1;
    return rs_signal_setitimer(RS_ITIMER_PROF, 0.0, 0.0, NULL);
}

/* test_itimer_prof: the SIGPROF callback sets a flag and disables the timer. */
TEST_T(ItimerTest_test_itimer_prof, 90) {
    itimer_setup();
    rs_signal_handler h = {RS_SIGNAL_HANDLER_CALLBACK, sig_prof, NULL};
    CHECK_OK(rs_signal_signal(RS_SIGPROF, &h, NULL));
    CHECK_OK(rs_signal_setitimer(RS_ITIMER_PROF, 0.2, 0.2, NULL));
    rs_signal_itimer_value v = cpu_loop_until_disarmed(RS_ITIMER_PROF);
    CHECK(v.delay == 0.0 && v.interval == 0.0);
    CHECK(hndl_called);
    itimer_teardown(RS_ITIMER_PROF);
}

/* Wait (at most `seconds`) until the SIGALRM callback ran: SIGALRM stays
 * blocked except inside ppoll, which unblocks it atomically, so an expiry
 * cannot slip between the check and the wait. */
static void wait_for_alarm_callback(double seconds) {
    sigset_t alrm, old, during;
    sigemptyset(&alrm);
    sigaddset(&alrm, SIGALRM);
    CHECK(pthread_sigmask(SIG_BLOCK, &alrm, &old) == 0);
    during = old;
    sigdelset(&during, SIGALRM);
    double deadline = us_now() + seconds;
    for (;;) {
        CHECK_OK(rs_signal_check());
        if (hndl_called || us_now() >= deadline) break;
        struct timespec ts = us_timespec(deadline - us_now());
        pselect(0, NULL, NULL, NULL, &ts, &during); /* POSIX: ppoll is not everywhere */
    }
    CHECK(pthread_sigmask(SIG_SETMASK, &old, NULL) == 0);
}

/* test_setitimer_tiny (bpo-30807): 1e-6 s must arm ITIMER_REAL, not round
 * down to 0 and disarm it; ours also arms for 1e-7 (seconds are rounded up to
 * the next microsecond). */
TEST_T(ItimerTest_test_setitimer_tiny, 30) {
    itimer_setup();
    CHECK_OK(rs_signal_setitimer(RS_ITIMER_REAL, 1e-6, 0.0, NULL));
    wait_for_alarm_callback(5.0);
    CHECK(hndl_called);
    hndl_called = 0;
    CHECK_OK(rs_signal_setitimer(RS_ITIMER_REAL, 1e-7, 0.0, NULL));
    wait_for_alarm_callback(5.0);
    CHECK(hndl_called);
    /* the interval is rounded up too: 1e-7 s repeats */
    hndl_called = 0;
    rs_signal_itimer_value old;
    CHECK_OK(rs_signal_setitimer(RS_ITIMER_REAL, 10.0, 1e-7, NULL));
    CHECK_OK(rs_signal_setitimer(RS_ITIMER_REAL, 10.0, 1e-7, &old));
    CHECK(old.interval > 0.0 && old.interval <= 2e-6);
    itimer_teardown(RS_ITIMER_REAL);
}
