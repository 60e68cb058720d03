/* A first test that shows the harness at work. */
#include <signal.h>

#include "harness.h"

static int calls;
static int count_cb(int signum, void *data) {
    (void)signum;
    (void)data;
    calls++;
    return 0;
}

TEST(smoke_raise_runs_callback_before_return) {
    rs_signal_handler h = {RS_SIGNAL_HANDLER_CALLBACK, count_cb, NULL};
    CHECK_OK(rs_signal_signal(SIGUSR1, &h, NULL));
    CHECK_OK(rs_signal_raise_signal(SIGUSR1));
    CHECK_EQ(calls, 1);
}
