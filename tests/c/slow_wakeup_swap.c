/* rs_signal_set_wakeup_fd waits for handlers still writing to the fd it
 * replaces: once it returns, nothing more lands in the old fd, so the caller
 * may close it (and the fd number may be reused) at once. A sender thread
 * storms SIGUSR1 at a second thread, whose handler writes the wakeup byte,
 * while the main thread (SIGUSR1 blocked) swaps the wakeup fd between two
 * pipes: a pipe it has swapped out and then drained stays empty. */
#include <stdatomic.h>

#include "util_slow.h"

static atomic_int stop_storm;
static pthread_t receiver;

static void *receiver_thread(void *arg) {
    (void)arg;
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGUSR1);
    CHECK(pthread_sigmask(SIG_UNBLOCK, &s, NULL) == 0);
    while (!atomic_load(&stop_storm)) {
        struct pollfd none;
        poll(&none, 0, 1); /* handlers run here, on this thread */
    }
    return NULL;
}

static void *sender_thread(void *arg) {
    (void)arg;
    while (!atomic_load(&stop_storm)) CHECK(pthread_kill(receiver, SIGUSR1) == 0);
    return NULL;
}

static int nothing_cb(int signum, void *data) {
    (void)signum;
    (void)data;
    return 0;
}

TEST_T(Slow_wakeup_swap_waits_for_writers, 60) {
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGUSR1);
    CHECK(pthread_sigmask(SIG_BLOCK, &s, NULL) == 0); /* threads inherit: blocked everywhere */
    us_set_callback(SIGUSR1, nothing_cb, NULL);
    int a[2], b[2];
    us_pipe_nb(a);
    us_pipe_nb(b);
    pthread_t snd;
    CHECK(pthread_create(&receiver, NULL, receiver_thread, NULL) == 0);
    CHECK(pthread_create(&snd, NULL, sender_thread, NULL) == 0);
    long late = 0, written = 0;
    double end = us_now() + 3.0;
    for (int i = 0; us_now() < end; i++) {
        int *in = (i & 1) ? a : b, *out = (i & 1) ? b : a;
        CHECK_OK(rs_signal_set_wakeup_fd(in[1], 0, NULL));
        us_drain(out[0]); /* written while it was the wakeup fd */
        written += us_drain(in[0]);
        /* Any byte in `out` now was written after set_wakeup_fd returned. */
        char buf[512];
        ssize_t n = read(out[0], buf, sizeof buf);
        if (n > 0) late += n;
    }
    atomic_store(&stop_storm, 1);
    CHECK(pthread_join(snd, NULL) == 0);
    CHECK(pthread_join(receiver, NULL) == 0);
    CHECK_OK(rs_signal_set_wakeup_fd(-1, 0, NULL));
    CHECK_EQ(late, 0);
    CHECK(written > 0); /* the storm did write wakeup bytes */
}
