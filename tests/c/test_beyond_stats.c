/* The 0.2 rs_signal_get_stats — exact arrivals (kill, set_interrupt,
 * raise_signal, channel-only signals), dispatches, listener_calls,
 * wakeup_failures, the two times, any thread, bad input. The storm version
 * is in slow_beyond_storm.c. */
#include <fcntl.h>

#include "util_beyond.h"

static int T_CB = 1, T_L = 2;

TEST(Beyond_stats_counts_and_times) {
    rs_signal_stats st = stats_of(SIGUSR1);
    CHECK_EQ(st.arrivals, 0);
    CHECK_EQ(st.dispatches, 0);
    CHECK_EQ(st.listener_calls, 0);
    CHECK_EQ(st.wakeup_failures, 0);
    CHECK_EQ(st.last_arrival_ns, 0);
    CHECK_EQ(st.last_dispatch_ns, 0);
    set_callback(SIGUSR1, log_cb, &T_CB);
    CHECK_OK(rs_signal_add_listener(SIGUSR1, log_cb, &T_L, 0, NULL));
    CHECK_OK(rs_signal_add_listener(SIGUSR1, log_cb, &T_L, 0, NULL));
    int64_t t0 = now_ns();
    kill_self(SIGUSR1);
    kill_self(SIGUSR1);
    kill_self(SIGUSR1);
    CHECK_OK(rs_signal_set_interrupt(SIGUSR1));
    int64_t t1 = now_ns();
    st = stats_of(SIGUSR1);
    CHECK_EQ(st.arrivals, 4);
    CHECK_EQ(st.dispatches, 0);
    CHECK(t0 <= st.last_arrival_ns && st.last_arrival_ns <= t1);
    CHECK_EQ(st.last_dispatch_ns, 0);
    CHECK_OK(rs_signal_check());
    int64_t t2 = now_ns();
    st = stats_of(SIGUSR1);
    CHECK_EQ(st.arrivals, 4);
    CHECK_EQ(st.dispatches, 1);
    CHECK_EQ(st.listener_calls, 2);
    CHECK(st.last_arrival_ns <= st.last_dispatch_ns && st.last_dispatch_ns <= t2);
    CHECK(t1 - coarse_step_ns() <= st.last_dispatch_ns);
    CHECK_OK(rs_signal_raise_signal(SIGUSR1)); /* one more arrival, dispatched */
    st = stats_of(SIGUSR1);
    CHECK_EQ(st.arrivals, 5);
    CHECK_EQ(st.dispatches, 2);
    CHECK_EQ(st.listener_calls, 4);
    CHECK_EQ(n_calls, 6);
    /* Other signals are untouched. */
    st = stats_of(SIGUSR2);
    CHECK_EQ(st.arrivals, 0);
    CHECK_EQ(st.last_arrival_ns, 0);
}

/* A signal with only a channel: arrivals counted, no dispatch. */
TEST(Beyond_stats_channel_only) {
    rs_signal_channel *ch = open_one(SIGUSR2);
    for (int i = 0; i < 9; i++) kill_self(SIGUSR2);
    CHECK_OK(rs_signal_check());
    rs_signal_stats st = stats_of(SIGUSR2);
    CHECK_EQ(st.arrivals, 9);
    CHECK_EQ(st.dispatches, 0);
    CHECK_EQ(st.listener_calls, 0);
    CHECK(st.last_arrival_ns > 0);
    CHECK_OK(rs_signal_channel_close(ch));
}

/* A failed wakeup fd write is counted (full pipe, reported through the hook). */
static int hook_calls;
static void quiet_hook(const rs_signal_unraisable *r, void *data) {
    (void)r;
    (void)data;
    hook_calls++;
}
TEST(Beyond_stats_wakeup_failures) {
    int p[2];
    CHECK(pipe2(p, O_NONBLOCK | O_CLOEXEC) == 0);
    char buf[4096];
    memset(buf, 'x', sizeof buf);
    while (write(p[1], buf, sizeof buf) > 0) {
    }
    CHECK(errno == EAGAIN || errno == EWOULDBLOCK);
    CHECK_OK(rs_signal_set_unraisable_hook(quiet_hook, NULL));
    CHECK_OK(rs_signal_set_wakeup_fd(p[1], 1, NULL));
    set_callback(SIGUSR1, log_cb, &T_CB);
    kill_self(SIGUSR1);
    kill_self(SIGUSR1);
    CHECK_OK(rs_signal_check());
    CHECK_TAGS(T_CB);
    CHECK(hook_calls >= 1);
    rs_signal_stats st = stats_of(SIGUSR1);
    CHECK_EQ(st.wakeup_failures, 2);
    CHECK_EQ(st.arrivals, 2);
}

/* Any thread may read the counters. */
struct stats_thread {
    int status;
    rs_signal_stats st;
    int bad_status;
};
static void *stats_reader(void *arg) {
    struct stats_thread *s = arg;
    s->status = rs_signal_get_stats(SIGUSR1, &s->st);
    rs_signal_stats tmp;
    s->bad_status = rs_signal_get_stats(0, &tmp);
    return NULL;
}
TEST(Beyond_stats_from_thread) {
    set_callback(SIGUSR1, log_cb, &T_CB);
    kill_self(SIGUSR1);
    kill_self(SIGUSR1);
    CHECK_OK(rs_signal_check());
    struct stats_thread s;
    memset(&s, 0, sizeof s);
    run_thread(stats_reader, &s);
    CHECK_OK(s.status);
    CHECK_EQ(s.st.arrivals, 2);
    CHECK_EQ(s.st.dispatches, 1);
    CHECK_EQ(s.bad_status, RS_SIGNAL_EVALUE);
}

/* Bad input: out of range (0 included) -> EVALUE "signal number out of
 * range", NULL -> ETYPE; *out untouched; the counters unchanged. */
TEST(Beyond_stats_bad_input) {
    set_callback(SIGUSR1, log_cb, &T_CB);
    kill_self(SIGUSR1);
    rs_signal_stats st;
    memset(&st, 0xab, sizeof st);
    int bad[] = {0, -1, RS_NSIG, RS_NSIG + 1, 1000, -2147483647 - 1};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        CHECK_FAILS(rs_signal_get_stats(bad[i], &st), RS_SIGNAL_EVALUE, "signal number out of range");
    }
    rs_signal_stats pattern;
    memset(&pattern, 0xab, sizeof pattern);
    CHECK(memcmp(&st, &pattern, sizeof st) == 0);
    CHECK_FAILS(rs_signal_get_stats(SIGUSR1, NULL), RS_SIGNAL_ETYPE, "must not be NULL");
    CHECK(rs_signal_get_stats(0, NULL) < 0); /* both wrong: some clear status */
    CHECK_OK(rs_signal_get_stats(RS_NSIG - 1, &st));
    CHECK_EQ(st.arrivals, 0);
    CHECK_OK(rs_signal_get_stats(1, &st));
    st = stats_of(SIGUSR1);
    CHECK_EQ(st.arrivals, 1);
    CHECK_EQ(st.dispatches, 0);
    CHECK_OK(rs_signal_check());
    CHECK_TAGS(T_CB);
}
