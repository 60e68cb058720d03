/* The 0.2 channels (rs_signal_channel_*) — records and counts, readability set on the first
 * arrival and cleared by the read that empties, ascending order and partial
 * reads, independence from the main dispatch and from other channels,
 * channels on other threads each seeing every arrival, a 10,000-arrival
 * flood read back exactly, DFL made inert and back, the limit, and every bad
 * input (clear status, nothing changed). */
#include <stdint.h>
#include <sys/resource.h>

#include "util_beyond.h"

static int T_CB = 1;

static int readable(rs_signal_channel *ch, int timeout_ms) {
    int fd = rs_signal_channel_fd(ch);
    CHECK(fd >= 0);
    struct pollfd p = {fd, POLLIN, 0};
    int r;
    do r = poll(&p, 1, timeout_ms);
    while (r < 0 && errno == EINTR);
    CHECK(r >= 0);
    return r == 1 && (p.revents & POLLIN);
}

static size_t read_all(rs_signal_channel *ch, rs_signal_delivery *out, size_t max) {
    size_t n = 12345;
    memset(out, 0, max * sizeof *out);
    CHECK_OK(rs_signal_channel_read(ch, out, max, &n));
    CHECK(n <= max);
    return n;
}

/* Readability: none when empty, set by the first arrival, cleared by the
 * read that empties the channel, set again by the next arrival. */
TEST(Beyond_channel_readability_cycle) {
    rs_signal_channel *ch = open_one(SIGUSR1);
    CHECK(!readable(ch, 0));
    rs_signal_delivery d[4];
    CHECK_EQ(read_all(ch, d, 4), 0);
    int64_t before = now_ns();
    kill_self(SIGUSR1);
    int64_t after = now_ns();
    CHECK(readable(ch, 0));
    CHECK(readable(ch, 0)); /* polling does not consume */
    CHECK_EQ(read_all(ch, d, 4), 1);
    CHECK_EQ(d[0].signum, SIGUSR1);
    CHECK_EQ(d[0].arrivals, 1);
    CHECK_EQ(d[0].code, SI_USER);
    CHECK_EQ(d[0].pid, getpid());
    CHECK_EQ(d[0].uid, getuid());
    CHECK(before <= d[0].first_ns && d[0].first_ns <= d[0].last_ns && d[0].last_ns <= after);
    CHECK(!readable(ch, 0));
    CHECK_EQ(read_all(ch, d, 4), 0);
    kill_self(SIGUSR1);
    kill_self(SIGUSR1);
    kill_self(SIGUSR1);
    CHECK(readable(ch, 0));
    CHECK_EQ(read_all(ch, d, 4), 1);
    CHECK_EQ(d[0].arrivals, 3);
    CHECK(!readable(ch, 0));
    CHECK_OK(rs_signal_channel_close(ch));
}

/* One record per pending signal, ascending; a partial read leaves the rest
 * (and readability); max == 0 reads nothing and leaves it too. */
TEST(Beyond_channel_ascending_and_partial_read) {
    int sigs[] = {SIGUSR2, SIGHUP, SIGUSR1};
    rs_signal_channel *ch = open_on(sigs, 3);
    kill_self(SIGUSR2);
    kill_self(SIGUSR2);
    kill_self(SIGUSR1);
    kill_self(SIGHUP);
    rs_signal_delivery d[4];
    size_t n = 99;
    CHECK_OK(rs_signal_channel_read(ch, NULL, 0, &n));
    CHECK_EQ(n, 0);
    CHECK(readable(ch, 0));
    CHECK_EQ(read_all(ch, d, 1), 1);
    CHECK_EQ(d[0].signum, SIGHUP);
    CHECK_EQ(d[0].arrivals, 1);
    CHECK(readable(ch, 0));
    CHECK_EQ(read_all(ch, d, 4), 2);
    CHECK_EQ(d[0].signum, SIGUSR1);
    CHECK_EQ(d[0].arrivals, 1);
    CHECK_EQ(d[1].signum, SIGUSR2);
    CHECK_EQ(d[1].arrivals, 2);
    CHECK(!readable(ch, 0));
    CHECK_OK(rs_signal_channel_close(ch));
}

/* A channel sees the sender of another process and sigqueue values. */
TEST(Beyond_channel_sender_and_value_from_child) {
    rs_signal_channel *ch = open_one(SIGUSR1);
    mask_signal(SIGUSR1, SIG_BLOCK);
    pid_t child = child_queues_parent(SIGUSR1, 1, 0x5eed);
    CHECK_CHILD_OK(child);
    CHECK(!readable(ch, 0));
    mask_signal(SIGUSR1, SIG_UNBLOCK);
    CHECK(readable(ch, 0));
    rs_signal_delivery d[2];
    CHECK_EQ(read_all(ch, d, 2), 1);
    CHECK_EQ(d[0].code, SI_QUEUE);
    CHECK_EQ(d[0].pid, child);
    CHECK_EQ(d[0].uid, getuid());
    CHECK_EQ(d[0].value, 0x5eed);
    CHECK_OK(rs_signal_channel_close(ch));
}

/* Channels and the main dispatch are independent: two channels and the
 * callback each see all three arrivals; a channel never runs a callback. */
TEST(Beyond_channel_independent_of_dispatch_and_each_other) {
    set_callback(SIGUSR1, log_cb, &T_CB);
    rs_signal_channel *a = open_one(SIGUSR1);
    rs_signal_channel *b = open_one(SIGUSR1);
    kill_self(SIGUSR1);
    kill_self(SIGUSR1);
    rs_signal_delivery d[2];
    CHECK_EQ(read_all(a, d, 2), 1);
    CHECK_EQ(d[0].arrivals, 2);
    CHECK_NO_CALLS(); /* reading a channel runs nothing */
    kill_self(SIGUSR1);
    CHECK_EQ(read_all(a, d, 2), 1);
    CHECK_EQ(d[0].arrivals, 1);
    CHECK_EQ(read_all(b, d, 2), 1);
    CHECK_EQ(d[0].arrivals, 3);
    CHECK_NO_CALLS();
    CHECK_OK(rs_signal_check());
    CHECK_TAGS(T_CB);
    CHECK_EQ(call_log[0].info.arrivals, 3);
    CHECK_OK(rs_signal_channel_close(a));
    CHECK_OK(rs_signal_channel_close(b));
    CHECK(os_is_rssignal(SIGUSR1)); /* the callback keeps it */
}

/* A signal with only a channel: DFL inert (SIGTERM survives), set_interrupt
 * counts, no dispatch; SIG_DFL back when the channel closes. */
TEST(Beyond_channel_dfl_inert_and_back) {
    rs_signal_channel *ch = open_one(SIGTERM);
    CHECK(os_is_rssignal(SIGTERM));
    CHECK_EQ(table_kind(SIGTERM), RS_SIG_DFL);
    kill_self(SIGTERM);
    CHECK_OK(rs_signal_set_interrupt(SIGTERM));
    CHECK_OK(rs_signal_check());
    rs_signal_delivery d[2];
    CHECK_EQ(read_all(ch, d, 2), 1);
    CHECK_EQ(d[0].signum, SIGTERM);
    CHECK_EQ(d[0].arrivals, 2);
    rs_signal_stats st = stats_of(SIGTERM);
    CHECK_EQ(st.arrivals, 2);
    CHECK_EQ(st.dispatches, 0);
    CHECK_EQ(st.listener_calls, 0);
    CHECK_OK(rs_signal_channel_close(ch));
    CHECK(os_is_dfl(SIGTERM));
    CHECK_EQ(table_kind(SIGTERM), RS_SIG_DFL);
}

/* A channel and a listener on one signal: closing the channel keeps the
 * handler for the listener; removing the listener then restores SIG_IGN. */
TEST(Beyond_channel_and_listener_share_handler) {
    set_kind(SIGUSR2, RS_SIG_IGN);
    rs_signal_channel *ch = open_one(SIGUSR2);
    rs_signal_listener_id id = 0;
    CHECK_OK(rs_signal_add_listener(SIGUSR2, log_cb, &T_CB, 0, &id));
    CHECK_OK(rs_signal_channel_close(ch));
    CHECK(os_is_rssignal(SIGUSR2));
    kill_self(SIGUSR2);
    CHECK_OK(rs_signal_check());
    CHECK_TAGS(T_CB);
    CHECK_OK(rs_signal_remove_listener(id));
    CHECK(os_is_ign(SIGUSR2));
}

/* Two threads, each with its own channel on SIGUSR1, each polling its fd:
 * main raises N times, each channel's arrivals sum to exactly N. */
#define THREAD_N 200
struct reader {
    rs_signal_channel *ch;
    int open_status;
    uint64_t sum;
    int reads;
    int bad_record;
    int timed_out;
    int ready_fd; /* write end: "channel open" */
};
static void *reader_thread(void *arg) {
    struct reader *r = arg;
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGUSR1);
    pthread_sigmask(SIG_BLOCK, &s, NULL); /* arrivals land on the main thread */
    rs_sigset set = sigset_of(SIGUSR1);
    r->open_status = rs_signal_channel_open(&set, 0, &r->ch);
    char c = 'r';
    if (write(r->ready_fd, &c, 1) != 1) r->bad_record = 1;
    if (r->open_status != 0) return NULL;
    while (r->sum < THREAD_N) {
        struct pollfd p = {rs_signal_channel_fd(r->ch), POLLIN, 0};
        int pr = poll(&p, 1, 10000);
        if (pr == 0) {
            r->timed_out = 1;
            break;
        }
        if (pr < 0) continue;
        rs_signal_delivery d[4];
        size_t n = 0;
        if (rs_signal_channel_read(r->ch, d, 4, &n) != 0) {
            r->bad_record = 2;
            break;
        }
        for (size_t i = 0; i < n; i++) {
            if (d[i].signum != SIGUSR1 || d[i].arrivals == 0 || d[i].pid != getpid()) r->bad_record = 3;
            r->sum += d[i].arrivals;
        }
        r->reads++;
    }
    return NULL;
}
TEST(Beyond_channel_threads_each_see_every_arrival) {
    int ready[2];
    CHECK(pipe(ready) == 0);
    struct reader r[2];
    pthread_t t[2];
    for (int i = 0; i < 2; i++) {
        memset(&r[i], 0, sizeof r[i]);
        r[i].ready_fd = ready[1];
        CHECK(pthread_create(&t[i], NULL, reader_thread, &r[i]) == 0);
    }
    for (int i = 0; i < 2; i++) {
        char c;
        CHECK(read(ready[0], &c, 1) == 1);
    }
    CHECK(os_is_rssignal(SIGUSR1));
    for (int i = 0; i < THREAD_N; i++) kill_self(SIGUSR1);
    for (int i = 0; i < 2; i++) CHECK(pthread_join(t[i], NULL) == 0);
    for (int i = 0; i < 2; i++) {
        CHECK_OK(r[i].open_status);
        CHECK_EQ(r[i].timed_out, 0);
        CHECK_EQ(r[i].bad_record, 0);
        CHECK_EQ(r[i].sum, THREAD_N);
        CHECK(r[i].reads >= 1);
    }
    CHECK_EQ(stats_of(SIGUSR1).arrivals, THREAD_N);
    /* Nothing more pending in either channel. */
    rs_signal_delivery d[2];
    CHECK_EQ(read_all(r[0].ch, d, 2), 0);
    CHECK_EQ(read_all(r[1].ch, d, 2), 0);
    CHECK_OK(rs_signal_channel_close(r[0].ch));
    CHECK_OK(rs_signal_channel_close(r[1].ch));
    CHECK(os_is_dfl(SIGUSR1));
}

/* A flood of 10,000 arrivals without a read in between: a child queues
 * 10,000 SIGRTMIN+1 (real-time signals queue, each one handler entry) while
 * the parent blocks it; unblocking delivers all of them. The channel holds
 * one record with arrivals == 10,000, the latest value, and the fd stays
 * readable once (never full). */
#define FLOOD 10000
TEST(Beyond_channel_flood_10000_exact) {
#if !defined(SIGRTMIN) || !defined(RLIMIT_SIGPENDING)
    SKIP("SKIP LOUDLY: no real-time signals or RLIMIT_SIGPENDING here: the queued flood is not tested");
}
#else
    int rt = SIGRTMIN + 1;
    struct rlimit rl;
    CHECK(getrlimit(RLIMIT_SIGPENDING, &rl) == 0);
    if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < FLOOD + 64) {
        rl.rlim_cur = (rl.rlim_max == RLIM_INFINITY || rl.rlim_max >= FLOOD + 64) ? FLOOD + 64 : rl.rlim_max;
        CHECK(setrlimit(RLIMIT_SIGPENDING, &rl) == 0);
    }
    if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < FLOOD + 64)
        harness_fail(__FILE__, __LINE__, "RLIMIT_SIGPENDING %llu cannot queue %d signals",
                     (unsigned long long)rl.rlim_cur, FLOOD);
    rs_signal_channel *ch = open_one(rt);
    rs_signal_channel *other = open_one(rt);
    mask_signal(rt, SIG_BLOCK);
    pid_t child = child_queues_parent(rt, FLOOD, 1); /* values 1 .. FLOOD */
    CHECK_CHILD_OK(child);
    uint64_t before = stats_of(rt).arrivals;
    mask_signal(rt, SIG_UNBLOCK); /* 10,000 handler entries */
    CHECK(!os_pending(rt));
    CHECK_EQ(stats_of(rt).arrivals - before, FLOOD);
    CHECK(readable(ch, 0));
    rs_signal_delivery d[4];
    CHECK_EQ(read_all(ch, d, 4), 1);
    CHECK_EQ(d[0].signum, rt);
    CHECK_EQ(d[0].arrivals, FLOOD);
    CHECK_EQ(d[0].code, SI_QUEUE);
    CHECK_EQ(d[0].pid, child);
    CHECK_EQ(d[0].value, FLOOD);
    CHECK(d[0].first_ns < d[0].last_ns);
    CHECK(!readable(ch, 0));
    CHECK_EQ(read_all(ch, d, 4), 0);
    CHECK_EQ(read_all(other, d, 4), 1);
    CHECK_EQ(d[0].arrivals, FLOOD);
    CHECK_OK(rs_signal_channel_close(ch));
    CHECK_OK(rs_signal_channel_close(other));
}
#endif

/* RS_SIGNAL_MAX_CHANNELS at once, then EOS ENOSPC (nothing changed); one
 * closed makes room for one. */
TEST(Beyond_channel_limit) {
    CHECK(RS_SIGNAL_MAX_CHANNELS >= 64);
    static rs_signal_channel *chs[RS_SIGNAL_MAX_CHANNELS];
    rs_sigset one = sigset_of(SIGUSR1);
    for (int i = 0; i < RS_SIGNAL_MAX_CHANNELS; i++)
        if (rs_signal_channel_open(&one, 0, &chs[i]) != RS_SIGNAL_OK)
            harness_fail(__FILE__, __LINE__, "channel %d refused: %s", i, harness_last_message());
    rs_sigset set = sigset_of(SIGUSR2);
    rs_signal_channel *extra = NULL;
    CHECK_FAILS(rs_signal_channel_open(&set, 0, &extra), RS_SIGNAL_EOS, NULL);
    CHECK_EQ(harness_last_errno(), ENOSPC);
    CHECK(os_is_dfl(SIGUSR2));
    kill_self(SIGUSR1);
    rs_signal_delivery d[2];
    CHECK_EQ(read_all(chs[RS_SIGNAL_MAX_CHANNELS - 1], d, 2), 1);
    CHECK_EQ(read_all(chs[0], d, 2), 1);
    CHECK_OK(rs_signal_channel_close(chs[5]));
    CHECK_OK(rs_signal_channel_open(&set, 0, &extra));
    CHECK(os_is_rssignal(SIGUSR2));
    for (int i = 0; i < RS_SIGNAL_MAX_CHANNELS; i++)
        if (i != 5) CHECK_OK(rs_signal_channel_close(chs[i]));
    CHECK_OK(rs_signal_channel_close(extra));
    CHECK(os_is_dfl(SIGUSR1));
    CHECK(os_is_dfl(SIGUSR2));
}

/* Every bad input of open/fd/read/close: a clear status; nothing changed
 * (no disposition touched, not even for the good members of a bad set). */
TEST(Beyond_channel_bad_input) {
    rs_signal_channel *ch = NULL;
    rs_sigset set = sigset_of(SIGUSR1);
    CHECK_FAILS(rs_signal_channel_open(NULL, 0, &ch), RS_SIGNAL_ETYPE, "must not be NULL");
    CHECK_FAILS(rs_signal_channel_open(&set, 0, NULL), RS_SIGNAL_ETYPE, "must not be NULL");
    CHECK_FAILS(rs_signal_channel_open(&set, 1, &ch), RS_SIGNAL_EVALUE, NULL);
    CHECK_FAILS(rs_signal_channel_open(&set, 0x80000000u, &ch), RS_SIGNAL_EVALUE, NULL);
    rs_sigset empty;
    rs_sigset_empty(&empty);
    CHECK_FAILS(rs_signal_channel_open(&empty, 0, &ch), RS_SIGNAL_EVALUE, NULL);
    rs_sigset bad = set;
    bad.bits[0] |= 1; /* bit 0: no signal 0 */
    CHECK_FAILS(rs_signal_channel_open(&bad, 0, &ch), RS_SIGNAL_EVALUE, NULL);
    bad = set;
    bad.bits[RS_NSIG / 64] |= 1ULL << (RS_NSIG % 64); /* RS_NSIG itself */
    CHECK_FAILS(rs_signal_channel_open(&bad, 0, &ch), RS_SIGNAL_EVALUE, NULL);
    bad = set;
    bad.bits[1] |= 1ULL << 63; /* 127 */
    CHECK_FAILS(rs_signal_channel_open(&bad, 0, &ch), RS_SIGNAL_EVALUE, NULL);
    bad = set;
    rs_sigset_add(&bad, SIGKILL);
    CHECK_FAILS(rs_signal_channel_open(&bad, 0, &ch), RS_SIGNAL_EOS, NULL);
    CHECK_EQ(harness_last_errno(), EINVAL);
    bad = set;
    rs_sigset_add(&bad, SIGSTOP);
    CHECK_FAILS(rs_signal_channel_open(&bad, 0, &ch), RS_SIGNAL_EOS, NULL);
    CHECK_EQ(harness_last_errno(), EINVAL);
#if defined(__linux__) && defined(__GLIBC__)
    bad = set;
    rs_sigset_add(&bad, 32);
    CHECK_FAILS(rs_signal_channel_open(&bad, 0, &ch), RS_SIGNAL_EOS, NULL);
    CHECK_EQ(harness_last_errno(), EINVAL);
#endif
    CHECK(ch == NULL);
    CHECK(os_is_dfl(SIGUSR1)); /* the good member was not subscribed */
    CHECK_EQ(table_kind(SIGUSR1), RS_SIG_DFL);

    /* fd/read/close with NULLs, on a good channel. */
    CHECK_FAILS(rs_signal_channel_fd(NULL), RS_SIGNAL_ETYPE, "must not be NULL");
    CHECK_FAILS(rs_signal_channel_close(NULL), RS_SIGNAL_ETYPE, "must not be NULL");
    rs_signal_delivery d[2];
    size_t n = 5;
    CHECK_FAILS(rs_signal_channel_read(NULL, d, 2, &n), RS_SIGNAL_ETYPE, "must not be NULL");
    CHECK_OK(rs_signal_channel_open(&set, 0, &ch));
    kill_self(SIGUSR1);
    CHECK_FAILS(rs_signal_channel_read(ch, NULL, 2, &n), RS_SIGNAL_ETYPE, "must not be NULL");
    CHECK_FAILS(rs_signal_channel_read(ch, d, 2, NULL), RS_SIGNAL_ETYPE, "must not be NULL");
    n = 5;
    CHECK_OK(rs_signal_channel_read(ch, NULL, 0, &n));
    CHECK_EQ(n, 0);
    CHECK(readable(ch, 0)); /* the failed reads consumed nothing */
    CHECK_EQ(read_all(ch, d, 2), 1);
    CHECK_EQ(d[0].arrivals, 1);
    CHECK_OK(rs_signal_channel_close(ch));
    CHECK(os_is_dfl(SIGUSR1));
}

/* raise_signal and set_interrupt count as one arrival each in a channel too. */
TEST(Beyond_channel_raise_and_set_interrupt_count) {
    set_callback(SIGUSR1, log_cb, &T_CB);
    rs_signal_channel *ch = open_one(SIGUSR1);
    CHECK_OK(rs_signal_raise_signal(SIGUSR1));
    CHECK_TAGS(T_CB);
    rs_signal_delivery d[2];
    CHECK_EQ(read_all(ch, d, 2), 1);
    CHECK_EQ(d[0].arrivals, 1);
    CHECK_EQ(d[0].pid, getpid());
#ifdef __linux__
    CHECK_EQ(d[0].code, SI_TKILL);
#endif
    CHECK_OK(rs_signal_set_interrupt(SIGUSR1));
    CHECK(readable(ch, 0));
    CHECK_EQ(read_all(ch, d, 2), 1);
    CHECK_EQ(d[0].arrivals, 1);
    CHECK_EQ(d[0].code, SI_USER);
    CHECK_OK(rs_signal_check());
    CHECK_TAGS(T_CB, T_CB);
    CHECK_OK(rs_signal_channel_close(ch));
}

/* Closing a channel from another thread than the one that opened it. */
static void *close_thread(void *arg) {
    *(int *)((void **)arg)[1] = rs_signal_channel_close(((void **)arg)[0]);
    return NULL;
}
TEST(Beyond_channel_close_from_other_thread) {
    rs_signal_channel *ch = open_one(SIGUSR2);
    kill_self(SIGUSR2);
    int st = -99;
    void *args[2] = {ch, &st};
    run_thread(close_thread, args);
    CHECK_OK(st);
    CHECK(os_is_dfl(SIGUSR2));
}
