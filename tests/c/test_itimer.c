/* CPython test_signal.py ItimerTest, the row that does not
 * depend on real time; the timer rows are in slow_itimer.c. */
#include <sys/time.h>

#include "util_slow.h"

/* test_itimer_exc: setitimer(-1, 0) → ItimerError (an OSError, EINVAL from
 * the OS). Negative times are not asserted by CPython ("treated as zero on
 * some platforms"); test_bad_input.c covers them for Linux. */
TEST(ItimerTest_test_itimer_exc) {
    rs_signal_itimer_value old = {-7.0, -7.0};
    CHECK_FAILS(rs_signal_setitimer(-1, 0.0, 0.0, &old), RS_SIGNAL_EITIMER, NULL);
    CHECK_EQ(harness_last_errno(), EINVAL);
    CHECK_STR_CONTAINS(rs_signal_status_exception(RS_SIGNAL_EITIMER), "ItimerError");
    /* nothing was armed */
    struct itimerval real;
    CHECK(getitimer(ITIMER_REAL, &real) == 0);
    CHECK(real.it_value.tv_sec == 0 && real.it_value.tv_usec == 0);
}
