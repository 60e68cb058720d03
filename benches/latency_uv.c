/* bench-latency-uv: a latency receiver (see latency_sender.c) on libuv:
 * uv_signal_start(SIGUSR1) and uv_run(); libuv's handler writes to its own
 * pipe, the loop's epoll wakes and runs the callback. */
#include "common.h"

#include <signal.h>
#include <uv.h>

static int ack_fd;
static long served, wanted;

static void cb(uv_signal_t *h, int signum) {
    (void)signum;
    bench_ack(ack_fd, now_ns());
    if (++served >= wanted) {
        uv_signal_stop(h);
        uv_close((uv_handle_t *)h, NULL);
    }
}

int main(void) {
    ack_fd = bench_ack_fd();
    wanted = bench_n();
    uv_loop_t *loop = uv_default_loop();
    uv_signal_t h;
    if (uv_signal_init(loop, &h) != 0 || uv_signal_start(&h, cb, SIGUSR1) != 0) {
        fprintf(stderr, "bench-latency-uv: libuv setup failed\n");
        return 2;
    }
    bench_ack(ack_fd, 0);
    uv_run(loop, UV_RUN_DEFAULT);
    return served >= wanted ? 0 : 2;
}
