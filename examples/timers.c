/*
 * timers — setitimer/getitimer with pause(), and alarm().
 * The README's "Timers" snippet comes from this file.
 */
#include <rssignal.h>

#include <math.h>
#include <stdio.h>

#include "demo.h"

static int on_tick(int signum, void *user_data) {
    int *ticks = user_data;
    ++*ticks;
    printf("    tick %d (%s)\n", *ticks, rs_signal_name(signum));
    return 0;
}

int main(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);

    printf("1. a periodic ITIMER_REAL: first SIGALRM after 50 ms, then every 20 ms\n");
    int ticks = 0;
    rs_signal_handler h = {RS_SIGNAL_HANDLER_CALLBACK, on_tick, &ticks};
    rs_signal_signal(RS_SIGALRM, &h, NULL);

    /* Python: signal.setitimer(signal.ITIMER_REAL, 0.05, 0.02) */
    rs_signal_setitimer(RS_ITIMER_REAL, 0.05, 0.02, NULL);
    while (ticks < 3) {
        int rc = rs_signal_pause(); /* sleeps until a signal arrives, then dispatches */
        if (rc != RS_SIGNAL_OK) {
            break; /* a callback raised */
        }
    }
    EXPECT(ticks == 3);

    printf("2. getitimer(), then disarm\n");
    rs_signal_itimer_value now;
    rs_signal_getitimer(RS_ITIMER_REAL, &now);
    printf("    delay %.6f s, interval %.6f s\n", now.delay, now.interval);
    EXPECT(now.delay > 0.0 && now.delay <= 0.0201 && fabs(now.interval - 0.02) < 1e-9);

    rs_signal_itimer_value old;
    rs_signal_setitimer(RS_ITIMER_REAL, 0.0, 0.0, &old); /* 0 seconds disarms */
    rs_signal_getitimer(RS_ITIMER_REAL, &now);
    EXPECT(now.delay == 0.0 && now.interval == 0.0 && old.interval > 0.0);

    printf("3. alarm() returns the seconds left of the previous alarm\n");
    rs_signal_alarm(10);
    unsigned int left = rs_signal_alarm(0); /* cancel */
    EXPECT(left == 10);

    rs_signal_handler dfl = {RS_SIG_DFL, NULL, NULL};
    rs_signal_signal(RS_SIGALRM, &dfl, NULL);
    return demo_exit("timers");
}
