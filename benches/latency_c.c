/* bench-latency-c raw|rssignal|raw-eventfd|channel: a latency receiver (see
 * latency_sender.c).
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
 * no byte left to wake poll.
 *
 * The thread modes: the main thread waits in pthread_join() (the kernel runs
 * the handler there) while a second thread blocks in poll() on an fd and
 * acknowledges each signal after reading it:
 *   raw-eventfd: a sigaction (SA_SIGINFO) handler writes 1 to an eventfd;
 *                the thread polls it and read()s it. The kernel's limit.
 *   channel:     rs_signal_channel_open({SIGUSR1}); the thread polls
 *                rs_signal_channel_fd() and calls rs_signal_channel_read(),
 *                acknowledging once per arrival it reports. */
#include "common.h"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/eventfd.h>

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

static int efd;
static rs_signal_channel *chan;

static void raw_eventfd_handler(int signum, siginfo_t *si, void *ctx) {
    (void)signum;
    (void)si;
    (void)ctx;
    int saved = errno;
    uint64_t one = 1;
    raw_count++;
    (void)!write(efd, &one, sizeof one);
    errno = saved;
}

static void *poller(void *arg) {
    int fd = chan ? rs_signal_channel_fd(chan) : efd;
    (void)arg;
    while (served < wanted) {
        struct pollfd pf = {fd, POLLIN, 0};
        if (poll(&pf, 1, -1) <= 0) continue;
        if (chan) {
            rs_signal_delivery d[4];
            size_t n = 0;
            if (rs_signal_channel_read(chan, d, 4, &n) != 0) {
                fprintf(stderr, "bench-latency-c: rs_signal_channel_read failed\n");
                exit(2);
            }
            for (size_t i = 0; i < n; i++)
                for (uint32_t k = 0; k < d[i].arrivals && d[i].signum == SIGUSR1; k++) callback_body();
        } else {
            uint64_t v;
            if (read(efd, &v, sizeof v) == (ssize_t)sizeof v)
                for (uint64_t k = 0; k < v; k++) callback_body();
        }
    }
    return NULL;
}

static int thread_mode(int channel) {
    if (channel) {
        rs_sigset set = {{0, 0}};
        if (rs_sigset_add(&set, SIGUSR1) != 0 || rs_signal_channel_open(&set, 0, &chan) != 0) {
            fprintf(stderr, "bench-latency-c: rs_signal_channel_open failed\n");
            return 2;
        }
    } else {
        efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
        if (efd < 0) die("eventfd");
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_sigaction = raw_eventfd_handler;
        sa.sa_flags = SA_SIGINFO | SA_ONSTACK; /* rssignal's flags */
        sigemptyset(&sa.sa_mask);
        if (sigaction(SIGUSR1, &sa, NULL) != 0) die("sigaction");
    }
    pthread_t th;
    if (pthread_create(&th, NULL, poller, NULL) != 0) die("pthread_create");
    bench_ack(ack_fd, 0);
    while (pthread_join(th, NULL) == EINTR) {
    }
    return 0;
}

int main(int argc, char **argv) {
    int raw = argc > 1 && strcmp(argv[1], "raw") == 0;
    ack_fd = bench_ack_fd();
    wanted = bench_n();
    if (argc > 1 && (strcmp(argv[1], "raw-eventfd") == 0 || strcmp(argv[1], "channel") == 0))
        return thread_mode(strcmp(argv[1], "channel") == 0);
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
