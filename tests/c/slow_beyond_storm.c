/* The 0.2 counters under a storm and a channel flood across processes, exact counts:
 * - two threads each send N signals to themselves (pthread_kill of the
 *   calling thread: the handler has run once when it returns, so the number
 *   of handler entries is known exactly) while the main thread dispatches in
 *   a loop: stats arrivals == 2N, dispatches == callback calls, the callbacks'
 *   `arrivals` sum to 2N, listener_calls == listener calls;
 * - another process kill()s 10,000 times in ping-pong with a thread that
 *   polls a channel and acknowledges each read through a pipe: every read has
 *   arrivals == 1 and the sum is 10,000, stats arrivals 10,000. */
#include <fcntl.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/resource.h>

#include "util_beyond.h"

#define STORM_N 20000

static atomic_int senders_done;
static uint64_t cb_calls, cb_arrival_sum, listener_seen;
static int cb_info_bad;

static int storm_cb(int signum, void *data) {
    (void)signum;
    (void)data;
    rs_signal_delivery d;
    if (rs_signal_delivery_info(&d) != 0 || d.arrivals == 0 || d.signum != SIGUSR1) cb_info_bad++;
    cb_calls++;
    cb_arrival_sum += d.arrivals;
    return 0;
}
static int storm_listener(int signum, void *data) {
    (void)signum;
    (void)data;
    listener_seen++;
    return 0;
}
static void *storm_sender(void *arg) {
    int *failed = arg;
    pthread_t self = pthread_self();
    mask_signal(SIGUSR1, SIG_UNBLOCK); /* the mask was inherited from the main thread */
    for (int i = 0; i < STORM_N; i++)
        if (pthread_kill(self, SIGUSR1) != 0) (*failed)++;
    atomic_fetch_add(&senders_done, 1);
    return NULL;
}

TEST_T(Beyond_slow_stats_storm_exact, 120) {
    set_callback(SIGUSR1, storm_cb, NULL);
    CHECK_OK(rs_signal_add_listener(SIGUSR1, storm_listener, NULL, 0, NULL));
    rs_sigset set;
    rs_sigset_empty(&set);
    rs_sigset_add(&set, SIGUSR1);
    rs_signal_channel *ch = NULL;
    CHECK_OK(rs_signal_channel_open(&set, 0, &ch));
    mask_signal(SIGUSR1, SIG_BLOCK); /* the main thread only dispatches (the senders unblock) */
    int failed[2] = {0, 0};
    pthread_t t[2];
    for (int i = 0; i < 2; i++) CHECK(pthread_create(&t[i], NULL, storm_sender, &failed[i]) == 0);
    uint64_t channel_sum = 0;
    while (atomic_load(&senders_done) < 2) {
        CHECK_OK(rs_signal_check());
        rs_signal_delivery d[2];
        size_t n = 0;
        CHECK_OK(rs_signal_channel_read(ch, d, 2, &n));
        for (size_t i = 0; i < n; i++) channel_sum += d[i].arrivals;
    }
    for (int i = 0; i < 2; i++) CHECK(pthread_join(t[i], NULL) == 0);
    CHECK_EQ(failed[0] + failed[1], 0);
    CHECK_OK(rs_signal_check());
    rs_signal_delivery d[2];
    size_t n = 0;
    CHECK_OK(rs_signal_channel_read(ch, d, 2, &n));
    for (size_t i = 0; i < n; i++) channel_sum += d[i].arrivals;
    rs_signal_stats st = stats_of(SIGUSR1);
    CHECK_EQ(st.arrivals, 2 * STORM_N);
    CHECK_EQ(cb_arrival_sum, 2 * STORM_N);
    CHECK_EQ(channel_sum, 2 * STORM_N);
    CHECK_EQ(cb_info_bad, 0);
    CHECK(cb_calls >= 1);
    CHECK_EQ(st.dispatches, cb_calls);
    CHECK_EQ(st.listener_calls, listener_seen);
    CHECK_EQ(listener_seen, cb_calls);
    printf("storm: %llu arrivals in %llu dispatches\n", (unsigned long long)st.arrivals,
           (unsigned long long)cb_calls);
    CHECK_OK(rs_signal_channel_close(ch));
}

/* Ping-pong flood from another process. */
#define PINGPONG_N 10000
struct acker {
    rs_signal_channel *ch;
    int ack_fd;
    pid_t child;
    uint64_t sum;
    int reads, bad, timed_out;
};
static void *ack_thread(void *arg) {
    struct acker *a = arg;
    while (a->sum < PINGPONG_N) {
        struct pollfd p = {rs_signal_channel_fd(a->ch), POLLIN, 0};
        int pr = poll(&p, 1, 20000);
        if (pr == 0) {
            a->timed_out = 1;
            break;
        }
        if (pr < 0) continue;
        rs_signal_delivery d[2];
        size_t n = 0;
        if (rs_signal_channel_read(a->ch, d, 2, &n) != 0) {
            a->bad = 1;
            break;
        }
        if (n == 0) continue; /* spurious: must not happen, but not an arrival */
        if (n != 1 || d[0].arrivals != 1 || d[0].pid != a->child || d[0].code != SI_USER) a->bad = 2;
        a->sum += d[0].arrivals;
        a->reads++;
        char c = 'k';
        if (write(a->ack_fd, &c, 1) != 1) {
            a->bad = 3;
            break;
        }
    }
    return NULL;
}
TEST_T(Beyond_slow_channel_pingpong_10000_from_process, 180) {
    rs_sigset set;
    rs_sigset_empty(&set);
    rs_sigset_add(&set, SIGUSR2);
    struct acker a;
    memset(&a, 0, sizeof a);
    CHECK_OK(rs_signal_channel_open(&set, 0, &a.ch));
    int go[2], ack[2];
    CHECK(pipe(go) == 0 && pipe(ack) == 0);
    pid_t parent = getpid();
    fflush(NULL);
    pid_t child = fork();
    CHECK(child >= 0);
    if (child == 0) {
        close(go[1]);
        close(ack[1]);
        char c;
        if (read(go[0], &c, 1) != 1) _exit(2);
        for (int i = 0; i < PINGPONG_N; i++) {
            if (kill(parent, SIGUSR2) != 0) _exit(3);
            if (read(ack[0], &c, 1) != 1) _exit(4); /* delivered and read before the next */
        }
        _exit(0);
    }
    close(go[0]);
    close(ack[0]);
    a.ack_fd = ack[1];
    a.child = child;
    pthread_t t;
    CHECK(pthread_create(&t, NULL, ack_thread, &a) == 0);
    char c = 'g';
    CHECK(write(go[1], &c, 1) == 1);
    CHECK(pthread_join(t, NULL) == 0);
    close(ack[1]);
    close(go[1]);
    CHECK_CHILD_OK(child);
    CHECK_EQ(a.timed_out, 0);
    CHECK_EQ(a.bad, 0);
    CHECK_EQ(a.sum, PINGPONG_N);
    CHECK_EQ(a.reads, PINGPONG_N);
    CHECK_EQ(stats_of(SIGUSR2).arrivals, PINGPONG_N);
    rs_signal_delivery d[2];
    size_t n = 9;
    CHECK_OK(rs_signal_channel_read(a.ch, d, 2, &n));
    CHECK_EQ(n, 0);
    CHECK_OK(rs_signal_channel_close(a.ch));
}

/* Never a torn record (rs_signal_delivery, include/rssignal.h): two processes sigqueue() a real-time signal
 * (queued: each one a handler entry) to us, each with its own pid as the
 * value, while three threads of ours besides the main one leave it unblocked
 * (so handlers race on different threads). Every record read — by the
 * callback through delivery_info and by a channel on another thread — must
 * have value == pid, and code SI_QUEUE. */
#define TORN_SENDS 5000
static atomic_int torn_stop;
static uint64_t torn_cb_checked, torn_cb_bad;
static int torn_sig;
static int torn_cb(int signum, void *data) {
    (void)signum;
    (void)data;
    rs_signal_delivery d;
    if (rs_signal_delivery_info(&d) != 0) {
        torn_cb_bad++;
        return 0;
    }
    torn_cb_checked++;
    if (d.code != SI_QUEUE || d.value != d.pid || d.pid == 0) torn_cb_bad++;
    return 0;
}
struct torn_reader {
    rs_signal_channel *ch;
    uint64_t checked, bad, sum;
};
static void *torn_channel_thread(void *arg) {
    struct torn_reader *r = arg;
    while (!atomic_load(&torn_stop)) {
        rs_signal_delivery d[2];
        size_t n = 0;
        if (rs_signal_channel_read(r->ch, d, 2, &n) != 0) r->bad++;
        for (size_t i = 0; i < n; i++) {
            r->checked++;
            r->sum += d[i].arrivals;
            if (d[i].code != SI_QUEUE || d[i].value != d[i].pid || d[i].pid == 0) r->bad++;
        }
    }
    return NULL;
}
static void *torn_idle_thread(void *arg) {
    int fd = *(int *)arg;
    char c;
    while (read(fd, &c, 1) < 0 && errno == EINTR) {
    }
    return NULL;
}
TEST_T(Beyond_slow_record_never_torn, 120) {
#if !defined(SIGRTMIN) || !defined(RLIMIT_SIGPENDING)
    (void)torn_sig, (void)torn_cb, (void)torn_channel_thread, (void)torn_idle_thread;
    SKIP("SKIP LOUDLY: no real-time signals or RLIMIT_SIGPENDING here: torn records not tested");
#else
    torn_sig = SIGRTMIN + 2;
    struct rlimit rl;
    CHECK(getrlimit(RLIMIT_SIGPENDING, &rl) == 0);
    if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < 2 * TORN_SENDS + 64) {
        rl.rlim_cur = 2 * TORN_SENDS + 64;
        if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < rl.rlim_cur) rl.rlim_cur = rl.rlim_max;
        CHECK(setrlimit(RLIMIT_SIGPENDING, &rl) == 0);
    }
    set_callback(torn_sig, torn_cb, NULL);
    rs_sigset set;
    rs_sigset_empty(&set);
    rs_sigset_add(&set, torn_sig);
    struct torn_reader r;
    memset(&r, 0, sizeof r);
    CHECK_OK(rs_signal_channel_open(&set, 0, &r.ch));
    int idle[2], go[2];
    CHECK(pipe(idle) == 0 && pipe(go) == 0);
    pthread_t idle_t[3], reader_t;
    for (int i = 0; i < 3; i++) CHECK(pthread_create(&idle_t[i], NULL, torn_idle_thread, &idle[0]) == 0);
    CHECK(pthread_create(&reader_t, NULL, torn_channel_thread, &r) == 0);
    pid_t parent = getpid(), kids[2];
    for (int k = 0; k < 2; k++) {
        fflush(NULL);
        kids[k] = fork();
        CHECK(kids[k] >= 0);
        if (kids[k] == 0) {
            char c;
            close(go[1]);
            if (read(go[0], &c, 1) != 0) _exit(2); /* EOF = go */
            union sigval v;
            memset(&v, 0, sizeof v);
            v.sival_ptr = (void *)(intptr_t)getpid();
            for (int i = 0; i < TORN_SENDS; i++) {
                if (sigqueue(parent, torn_sig, v) != 0 && errno != EAGAIN) _exit(3);
                if (i % 8 == 0) sched_yield(); /* lets our readers run in between */
            }
            _exit(0);
        }
    }
    close(go[0]);
    close(go[1]); /* both start */
    int done = 0;
    while (done < 2) {
        CHECK_OK(rs_signal_check());
        for (int k = 0; k < 2; k++) {
            if (kids[k] == 0) continue;
            int st;
            pid_t w = waitpid(kids[k], &st, WNOHANG);
            if (w == kids[k]) {
                CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
                kids[k] = 0;
                done++;
            }
        }
    }
    CHECK_OK(rs_signal_check());
    atomic_store(&torn_stop, 1);
    CHECK(pthread_join(reader_t, NULL) == 0);
    close(idle[1]);
    for (int i = 0; i < 3; i++) CHECK(pthread_join(idle_t[i], NULL) == 0);
    rs_signal_delivery d[2];
    size_t n = 0;
    CHECK_OK(rs_signal_channel_read(r.ch, d, 2, &n));
    for (size_t i = 0; i < n; i++) {
        r.checked++;
        r.sum += d[i].arrivals;
        if (d[i].value != d[i].pid) r.bad++;
    }
    printf("torn: %llu arrivals, %llu callback records, %llu channel records\n",
           (unsigned long long)stats_of(torn_sig).arrivals, (unsigned long long)torn_cb_checked,
           (unsigned long long)r.checked);
    CHECK_EQ(torn_cb_bad, 0);
    CHECK_EQ(r.bad, 0);
    CHECK(torn_cb_checked >= 1);
    CHECK(r.checked >= 1);
    CHECK_EQ(r.sum, stats_of(torn_sig).arrivals); /* the channel saw every handler entry */
    CHECK_OK(rs_signal_channel_close(r.ch));
#endif
}

/* remove_listener from another thread while the listener runs waits for that
 * call to return (rs_signal_remove_listener: never called after it returns). The listener
 * lingers after the remover has started, to give a remove that does not wait
 * the chance to return early; a correct library passes whatever the timing. */
static atomic_int remover_started, listener_done, remove_returned_early;
static int slow_listener(int signum, void *data) {
    (void)signum;
    int fd = *(int *)data;
    char c = 'i';
    if (write(fd, &c, 1) != 1) return 91;
    while (!atomic_load(&remover_started)) {
    }
    struct timespec ts = {0, 100 * 1000 * 1000};
    nanosleep(&ts, NULL); /* widens the window only; no ordering relies on it */
    atomic_store(&listener_done, 1);
    return 0;
}
struct remover {
    int in_fd;
    rs_signal_listener_id id;
    int status;
};
static void *remover_thread(void *arg) {
    struct remover *m = arg;
    char c;
    if (read(m->in_fd, &c, 1) != 1) return NULL;
    atomic_store(&remover_started, 1);
    m->status = rs_signal_remove_listener(m->id);
    if (!atomic_load(&listener_done)) atomic_store(&remove_returned_early, 1);
    return NULL;
}
TEST_T(Beyond_slow_remove_waits_for_running_listener, 30) {
    int p[2];
    CHECK(pipe(p) == 0);
    struct remover m;
    memset(&m, 0, sizeof m);
    m.in_fd = p[0];
    CHECK_OK(rs_signal_add_listener(SIGUSR1, slow_listener, &p[1], 0, &m.id));
    pthread_t t;
    mask_signal(SIGUSR1, SIG_BLOCK); /* the remover inherits the block: arrivals land here */
    CHECK(pthread_create(&t, NULL, remover_thread, &m) == 0);
    mask_signal(SIGUSR1, SIG_UNBLOCK);
    kill_self(SIGUSR1);
    CHECK_OK(rs_signal_check());
    CHECK(pthread_join(t, NULL) == 0);
    CHECK_OK(m.status);
    CHECK_EQ(atomic_load(&listener_done), 1);
    CHECK_EQ(atomic_load(&remove_returned_early), 0);
    CHECK(os_is_dfl(SIGUSR1));
}
