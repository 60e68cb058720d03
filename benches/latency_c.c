/* bench-latency-c raw|rssignal: a latency receiver (see latency_sender.c).
 *
 * The main thread blocks in poll() on a non-blocking self-pipe.
 *   raw:      sigaction handler counts and writes one byte to the pipe; after
 *             poll returns, the loop sees the counter move and runs the
 *             "callback". The kernel's limit for this pattern.
 *   rssignal: rs_signal_set_wakeup_fd(pipe) + rs_signal_signal(SIGUSR1,
 *             callback); after poll returns the loop calls rs_signal_check(),
 *             which runs the callback.
 * Both loops dispatch as soon as poll returns, then drain the pipe, then
 * dispatch again (one load when nothing came): a signal that lands between
 * the first dispatch and the drain would otherwise leave its flag set with
 * no byte left to wake poll. */
#include "common.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>

#include "rssignal.h"

static int ack_fd;
static long served, wanted;
static volatile sig_atomic_t raw_count;
static int wake_w;

static void callback_body(void) {
    bench_ack(ack_fd, now_ns());
    served++;
}

static int rs_cb(int signum, void *data) {
    (void)signum;
    (void)data;
    callback_body();
    return 0;
}

static void raw_handler(int signum) {
    int saved = errno;
    raw_count++;
    unsigned char b = (unsigned char)signum;
    (void)!write(wake_w, &b, 1);
    errno = saved;
}

int main(int argc, char **argv) {
    int raw = argc > 1 && strcmp(argv[1], "raw") == 0;
    ack_fd = bench_ack_fd();
    wanted = bench_n();
    int p[2];
    if (pipe2(p, O_NONBLOCK | O_CLOEXEC) != 0) die("pipe2");
    wake_w = p[1];
    if (raw) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = raw_handler;
        sa.sa_flags = SA_ONSTACK;
        sigemptyset(&sa.sa_mask);
        if (sigaction(SIGUSR1, &sa, NULL) != 0) die("sigaction");
    } else {
        rs_signal_handler h = {RS_SIGNAL_HANDLER_CALLBACK, rs_cb, NULL};
        if (rs_signal_set_wakeup_fd(p[1], 1, NULL) != 0 || rs_signal_signal(SIGUSR1, &h, NULL) != 0) {
            fprintf(stderr, "bench-latency-c: rssignal setup failed\n");
            return 2;
        }
    }
    bench_ack(ack_fd, 0);
    sig_atomic_t seen = 0;
    char buf[256];
    while (served < wanted) {
        struct pollfd pf = {p[0], POLLIN, 0};
        (void)poll(&pf, 1, -1);
        for (int pass = 0; pass < 2; pass++) {
            if (raw) {
                sig_atomic_t c = raw_count;
                if (c != seen) {
                    seen = c;
                    callback_body();
                }
            } else {
                rs_signal_check();
            }
            if (pass == 0) {
                while (read(p[0], buf, sizeof buf) > 0) {
                }
            }
        }
    }
    return 0;
}
