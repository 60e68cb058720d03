/* bench-storm raw|rssignal SECONDS [RATE]: a signal storm.
 *
 * 4 sender threads in this process and 2 sender processes send for SECONDS,
 * each at RATE signals per second (0: as fast as it can; the main thread then
 * spends nearly all its time in handlers, for any library, and the pipe may
 * overflow): kill(pid, SIGUSR1), kill(pid, SIGUSR2) and
 * sigqueue(pid, SIGRTMIN+1) in turn (RT signals queue, one arrival each).
 * The main thread sits in poll() on a non-blocking self-pipe (1 MiB), drains
 * it and dispatches:
 *   raw:      sigaction handlers count per signal and write one byte;
 *             dispatch = exchange of per-signal flags, one callback per flag.
 *   rssignal: rs_signal_set_wakeup_fd(pipe, warn_on_full_buffer=0) and one
 *             counting callback per signal; dispatch = rs_signal_check().
 * Prints: sent, RT queued (sigqueue successes), wakeup bytes, RT bytes
 * (bytes carrying the RT number), callbacks, ns per arrival, CPU; raw also
 * counts its handler runs exactly (arrivals, RT seen).
 *
 * rssignal, counted twice: after rs_signal_signal() this program puts its
 * own SA_SIGINFO handler in front of rssignal's (read back with sigaction,
 * same flags and mask): it counts the entry, then calls rssignal's handler
 * with the same arguments. At the end, with every sender gone and the
 * signals blocked, rs_signal_get_stats(s).arrivals must equal those entries
 * for each signal, and for the RT signal also the sigqueue() successes of
 * the senders (RT signals queue: one entry each, counted by the sender).
 * stats_mismatch is the sum of the absolute differences (goal: 0, exactly).
 * For rssignal, arrivals = the get_stats figure. */
#include "common.h"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "rssignal.h"

enum { THREADS = 4, PROCS = 2 };

static int raw_mode, wake_r, wake_w, sig_rt;
static atomic_int stop;
static _Atomic long raw_hits[65];
static atomic_int raw_flag[65];
static long callbacks[65];
static _Atomic long entries[65];
static void (*rs_handler[65])(int, siginfo_t *, void *);

/* In front of rssignal's handler: count, then chain. */
static void counting_front(int signum, siginfo_t *si, void *ctx) {
    atomic_fetch_add_explicit(&entries[signum], 1, memory_order_relaxed);
    rs_handler[signum](signum, si, ctx);
}

struct counts {
    long sent, rt_queued;
};

static double rate; /* per sender, signals per second; 0 = as fast as it can */

static void send_loop(pid_t target, struct counts *c, int64_t deadline) {
    union sigval sv = {0};
    int64_t start = now_ns();
    for (unsigned long i = 0;; i++) {
        if ((i & 63) == 0 && (atomic_load(&stop) || now_ns() >= deadline)) break;
        if (rate > 0 && (i & 15) == 15) {
            int64_t due = start + (int64_t)((double)(i + 1) * 1e9 / rate), t = now_ns();
            if (due > t) {
                struct timespec ts = {(due - t) / 1000000000, (due - t) % 1000000000};
                nanosleep(&ts, NULL);
            }
        }
        switch (i % 3) {
        case 0: c->sent += kill(target, SIGUSR1) == 0; break;
        case 1: c->sent += kill(target, SIGUSR2) == 0; break;
        default:
            if (sigqueue(target, sig_rt, sv) == 0) c->sent++, c->rt_queued++;
            break;
        }
    }
}

static int64_t deadline_ns;
static void *sender_thread(void *arg) {
    send_loop(getpid(), arg, deadline_ns);
    return NULL;
}

static void raw_handler(int signum) {
    int saved = errno;
    atomic_fetch_add_explicit(&raw_hits[signum], 1, memory_order_relaxed);
    atomic_store_explicit(&raw_flag[signum], 1, memory_order_release);
    unsigned char b = (unsigned char)signum;
    (void)!write(wake_w, &b, 1);
    errno = saved;
}

static int rs_cb(int signum, void *data) {
    (void)data;
    callbacks[signum]++;
    return 0;
}

static long bytes_total, bytes_rt, bytes_std, loops;
static void drain_and_dispatch(void) {
    unsigned char buf[4096];
    ssize_t k;
    /* bounded: under a storm the pipe never runs dry */
    for (int round = 0; round < 16 && (k = read(wake_r, buf, sizeof buf)) > 0; round++) {
        bytes_total += k;
        for (ssize_t i = 0; i < k; i++) bytes_rt += buf[i] == sig_rt, bytes_std += buf[i] == SIGUSR1 || buf[i] == SIGUSR2;
    }
    if (raw_mode) {
        int sigs[3] = {SIGUSR1, SIGUSR2, sig_rt};
        for (int i = 0; i < 3; i++)
            if (atomic_exchange_explicit(&raw_flag[sigs[i]], 0, memory_order_acq_rel)) callbacks[sigs[i]]++;
    } else {
        rs_signal_check();
    }
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: bench-storm raw|rssignal SECONDS\n");
        return 2;
    }
    raw_mode = strcmp(argv[1], "raw") == 0;
    double seconds = atof(argv[2]);
    rate = argc > 3 ? atof(argv[3]) : 0;
    sig_rt = SIGRTMIN + 1;
    int p[2];
    if (pipe2(p, O_NONBLOCK | O_CLOEXEC) != 0) die("pipe2");
    wake_r = p[0], wake_w = p[1];
    fcntl(wake_w, F_SETPIPE_SZ, 1 << 20);
    int sigs[3] = {SIGUSR1, SIGUSR2, sig_rt};
    for (int i = 0; i < 3; i++) {
        if (raw_mode) {
            struct sigaction sa;
            memset(&sa, 0, sizeof sa);
            sa.sa_handler = raw_handler;
            sa.sa_flags = SA_ONSTACK;
            sigemptyset(&sa.sa_mask);
            if (sigaction(sigs[i], &sa, NULL) != 0) die("sigaction");
        } else {
            rs_signal_handler h = {RS_SIGNAL_HANDLER_CALLBACK, rs_cb, NULL};
            if (rs_signal_signal(sigs[i], &h, NULL) != 0) {
                fprintf(stderr, "bench-storm: rs_signal_signal failed\n");
                return 2;
            }
            struct sigaction cur;
            if (sigaction(sigs[i], NULL, &cur) != 0) die("sigaction");
            if (!(cur.sa_flags & SA_SIGINFO) || !cur.sa_sigaction) {
                fprintf(stderr, "bench-storm: rssignal's handler is not an SA_SIGINFO handler\n");
                return 2;
            }
            rs_handler[sigs[i]] = cur.sa_sigaction;
            cur.sa_sigaction = counting_front;
            if (sigaction(sigs[i], &cur, NULL) != 0) die("sigaction");
        }
    }
    if (!raw_mode && rs_signal_set_wakeup_fd(wake_w, 0, NULL) != 0) {
        fprintf(stderr, "bench-storm: rs_signal_set_wakeup_fd failed\n");
        return 2;
    }

    struct rusage ru0, ru1;
    getrusage(RUSAGE_SELF, &ru0);
    int64_t t0 = now_ns();
    deadline_ns = t0 + (int64_t)(seconds * 1e9);

    /* sender processes: block the signals (they are only senders) and report
     * their counts through a pipe */
    int rep[2];
    if (pipe(rep) != 0) die("pipe");
    pid_t kids[PROCS];
    for (int k = 0; k < PROCS; k++) {
        kids[k] = fork();
        if (kids[k] < 0) die("fork");
        if (kids[k] == 0) {
            sigset_t all;
            sigfillset(&all);
            sigprocmask(SIG_BLOCK, &all, NULL);
            struct counts c = {0, 0};
            send_loop(getppid(), &c, deadline_ns);
            (void)!write(rep[1], &c, sizeof c);
            _exit(0);
        }
    }
    close(rep[1]);
    pthread_t th[THREADS];
    struct counts tc[THREADS];
    memset(tc, 0, sizeof tc);
    for (int i = 0; i < THREADS; i++)
        if (pthread_create(&th[i], NULL, sender_thread, &tc[i]) != 0) die("pthread_create");

    while (now_ns() < deadline_ns) {
        struct pollfd pf = {wake_r, POLLIN, 0};
        (void)poll(&pf, 1, 50);
        drain_and_dispatch();
        loops++;
    }
    atomic_store(&stop, 1);
    for (int i = 0; i < THREADS; i++) pthread_join(th[i], NULL);
    struct counts total = {0, 0};
    for (int i = 0; i < THREADS; i++) total.sent += tc[i].sent, total.rt_queued += tc[i].rt_queued;
    for (int k = 0; k < PROCS; k++) {
        struct counts c;
        ssize_t got;
        /* the handlers have no SA_RESTART: pending RT signals interrupt these */
        while ((got = read(rep[0], &c, sizeof c)) < 0 && errno == EINTR) {
        }
        if (got == (ssize_t)sizeof c) total.sent += c.sent, total.rt_queued += c.rt_queued;
        else fprintf(stderr, "bench-storm: lost a sender's counts\n");
    }
    for (int k = 0; k < PROCS; k++) {
        while (waitpid(kids[k], NULL, 0) < 0 && errno == EINTR) {
        }
    }
    int64_t t1 = now_ns();
    /* queued RT signals still pending are delivered now; collect them */
    int64_t settle = now_ns() + 200000000;
    while (now_ns() < settle) {
        struct pollfd pf = {wake_r, POLLIN, 0};
        (void)poll(&pf, 1, 20);
        drain_and_dispatch();
    }
    getrusage(RUSAGE_SELF, &ru1);
    /* every sender is gone: block the signals, then compare the counts */
    sigset_t block;
    sigemptyset(&block);
    for (int i = 0; i < 3; i++) sigaddset(&block, sigs[i]);
    sigprocmask(SIG_BLOCK, &block, NULL);
    long stats_total = 0, entries_total = 0, mismatch = 0, rt_stats = 0;
    if (!raw_mode) {
        for (int i = 0; i < 3; i++) {
            rs_signal_stats st;
            if (rs_signal_get_stats(sigs[i], &st) != 0) {
                fprintf(stderr, "bench-storm: rs_signal_get_stats failed\n");
                return 2;
            }
            long e = atomic_load(&entries[sigs[i]]);
            stats_total += (long)st.arrivals, entries_total += e;
            mismatch += labs((long)st.arrivals - e);
            if (sigs[i] == sig_rt) rt_stats = (long)st.arrivals;
        }
        mismatch += labs(rt_stats - total.rt_queued);
    }
    double cpu = (ru1.ru_utime.tv_sec - ru0.ru_utime.tv_sec) * 1e9 + (ru1.ru_utime.tv_usec - ru0.ru_utime.tv_usec) * 1e3 +
                 (ru1.ru_stime.tv_sec - ru0.ru_stime.tv_sec) * 1e9 + (ru1.ru_stime.tv_usec - ru0.ru_stime.tv_usec) * 1e3;
    long cbs = callbacks[SIGUSR1] + callbacks[SIGUSR2] + callbacks[sig_rt];
    emit("sent", (double)total.sent);
    emit("rt_queued", (double)total.rt_queued);
    long arrivals = bytes_total, rt_seen = bytes_rt, std_seen = bytes_std;
    if (!raw_mode) {
        arrivals = stats_total;
        rt_seen = rt_stats;
        std_seen = stats_total - rt_stats;
        emit("stats_arrivals", (double)stats_total);
        emit("handler_entries", (double)entries_total);
        emit("stats_mismatch", (double)mismatch);
    } else {
        std_seen = raw_hits[SIGUSR1] + raw_hits[SIGUSR2];
        rt_seen = raw_hits[sig_rt];
        arrivals = std_seen + rt_seen;
    }
    emit("wakeup_bytes", (double)bytes_total);
    emit("arrivals", (double)arrivals);
    emit("rt_seen", (double)rt_seen);
    emit("std_arrivals", (double)std_seen);
    emit("dispatch_loops", (double)loops);
    emit("callbacks", (double)cbs);
    emit("seconds", (t1 - t0) / 1e9);
    emit("ns_per_arrival", arrivals ? (double)(t1 - t0) / (double)arrivals : 0);
    emit("cpu_ns_per_arrival", arrivals ? cpu / (double)arrivals : 0);
    emit("cpu_ns", cpu);
    return 0;
}
