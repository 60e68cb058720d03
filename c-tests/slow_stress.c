/* CPython test_signal.py StressTest (reference §11.10):
 * test_stress_delivery_simultaneous, with measure_itimer_resolution() and
 * decide_itimer_count()'s skip rule. Waiting uses the wakeup fd (the handler
 * writes its byte after setting the flags, so a poll on it cannot miss an
 * arrival) with bounded polls; the signals stay unblocked, so they can land
 * in the middle of a dispatch as in CPython. */
#include <signal.h>
#include <stdlib.h>
#include <sys/time.h>

#include "util_slow.h"

#define SHORT_TIMEOUT 30.0

static int wake_rd = -1;

static void wakeup_setup(void) {
    int p[2];
    us_pipe_nb(p);
    wake_rd = p[0];
    CHECK_OK(rs_signal_set_wakeup_fd(p[1], 0, NULL));
}

static void dispatch(void) {
    int r = rs_signal_check();
    if (r != RS_SIGNAL_OK)
        harness_fail(__FILE__, __LINE__, "dispatch returned %d: %s", r, harness_last_message());
}

/* Wait until the wakeup fd is readable or `deadline` passes, then drain it. */
static void wait_wakeup(double deadline) {
    double left = deadline - us_now();
    if (left <= 0) return;
    struct pollfd pfd = {wake_rd, POLLIN, 0};
    int ms = (int)(left * 1000) + 1;
    if (ms > 100) ms = 100;
    if (poll(&pfd, 1, ms) > 0) us_drain(wake_rd);
}

/* ---- measure_itimer_resolution ------------------------------------------- */

#define N_TIMES 20
static double times[N_TIMES + 1];
static volatile int n_times;

static int resolution_handler(int signum, void *data) {
    (void)signum;
    (void)data;
    if (n_times < N_TIMES) {
        times[n_times++] = us_now();
        if (n_times < N_TIMES) {
            int r = rs_signal_setitimer(RS_ITIMER_REAL, 1e-6, 0.0, NULL);
            if (r != RS_SIGNAL_OK) return r;
        }
    }
    return 0;
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Median interval between 20 re-armed 1 µs ITIMER_REAL expiries, or -1 when
 * they did not all come within SHORT_TIMEOUT. */
static double measure_itimer_resolution(void) {
    us_set_callback(RS_SIGALRM, resolution_handler, NULL);
    n_times = 0;
    CHECK_OK(rs_signal_setitimer(RS_ITIMER_REAL, 1e-6, 0.0, NULL));
    double deadline = us_now() + SHORT_TIMEOUT;
    for (dispatch(); n_times < N_TIMES && us_now() < deadline; dispatch()) wait_wakeup(deadline);
    CHECK_OK(rs_signal_setitimer(RS_ITIMER_REAL, 0.0, 0.0, NULL));
    rs_signal_handler dfl = {RS_SIG_DFL, NULL, NULL};
    CHECK_OK(rs_signal_signal(RS_SIGALRM, &dfl, NULL));
    if (n_times < N_TIMES) return -1.0;
    double durations[N_TIMES - 1];
    for (int i = 0; i < N_TIMES - 1; i++) durations[i] = times[i + 1] - times[i];
    qsort(durations, N_TIMES - 1, sizeof durations[0], cmp_double);
    return durations[(N_TIMES - 1) / 2];
}

static int decide_itimer_count(void) {
    double reso = measure_itimer_resolution();
    if (reso >= 0 && reso <= 1e-4) return 10000;
    if (reso >= 0 && reso <= 1e-2) return 100;
    static char why[160];
    snprintf(why, sizeof why,
             "detected itimer resolution (%.3f s.) too high (> 10 ms.) on this platform (or system "
             "too busy)",
             reso);
    SKIP(why);
}

/* ---- test_stress_delivery_simultaneous ------------------------------------- */

static volatile int n_sigs;
static volatile int n_usr2, n_alrm;

static int append_handler(int signum, void *data) {
    (void)data;
    n_sigs++;
    if (signum == RS_SIGUSR2) n_usr2++;
    if (signum == RS_SIGALRM) n_alrm++;
    return 0;
}

/* Each round arms ITIMER_REAL for 1–11 µs and sends SIGUSR2 to the process,
 * so the two signals arrive almost together; both callbacks must run every
 * round: no signal is lost. */
TEST_T(StressTest_test_stress_delivery_simultaneous, 240) {
    wakeup_setup();
    int n = decide_itimer_count();
    us_set_callback(RS_SIGUSR2, append_handler, NULL);
    us_set_callback(RS_SIGALRM, append_handler, NULL);
    srand(12345);
    int expected = 0;
    double deadline_all = us_now() + 180.0;
    for (int round = 0; round < n; round++) {
        expected += 2;
        double delay = 1e-6 + (double)rand() / RAND_MAX * 1e-5;
        CHECK_OK(rs_signal_setitimer(RS_ITIMER_REAL, delay, 0.0, NULL));
        CHECK(kill(getpid(), SIGUSR2) == 0);
        double deadline = us_now() + SHORT_TIMEOUT;
        if (deadline > deadline_all) deadline = deadline_all;
        for (dispatch(); n_sigs < expected && us_now() < deadline; dispatch()) wait_wakeup(deadline);
        if (n_sigs < expected)
            harness_fail(__FILE__, __LINE__,
                         "round %d: %d callbacks after %.0f s, expected %d (SIGUSR2 %d, SIGALRM %d): "
                         "some signals were lost",
                         round, n_sigs, SHORT_TIMEOUT, expected, n_usr2, n_alrm);
    }
    CHECK_EQ(n_sigs, 2 * n);
    CHECK_EQ(n_usr2, n);
    CHECK_EQ(n_alrm, n);
}
