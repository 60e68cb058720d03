/* Signal storms against rssignal ("nothing lost, nothing crashed").
 *
 *   stress MODE SECONDS      MODE: storm | fork | wakeup-full | wakeup-closed
 *
 * Every mode starts the same senders: 4 threads and 2 processes sending
 * SIGUSR1, SIGUSR2, SIGRTMIN, SIGRTMIN+1 and SIGRTMAX to this process for
 * SECONDS (kill, pthread_kill to the main thread, sigqueue with a value, and
 * from the threads rs_signal_set_interrupt). A sender takes a ticket
 * (attempts[s]++) before each send and counts the arrival (arrivals[s]++)
 * only after the send succeeded. The main thread meanwhile:
 *
 *   storm          dispatches, flips handlers between callback / SIG_IGN /
 *                  SIG_DFL-under-mask, swaps the wakeup fd between two pipes,
 *                  a socket and none, changes its mask, raises signals from
 *                  inside callbacks and lets callbacks "raise" (return an error).
 *   fork           forks children (from the main thread and from another
 *                  thread) while the signals fly; each child must start with
 *                  no tripped flag although the parent had every storm signal
 *                  tripped at fork time, must be its own main thread, must
 *                  install handlers and receive its own signals; the parent's
 *                  state (table, OS dispositions, wakeup fd, flags of a signal
 *                  only the children use) must be untouched.
 *   wakeup-full    the wakeup fd is a pipe filled to the brim for the whole
 *                  run: first half warn_on_full_buffer=1 (every dispatch after
 *                  a failed write reports EAGAIN through the unraisable hook),
 *                  second half 0 (silent); nothing may block, and the flags
 *                  must still dispatch every arrival.
 *   wakeup-closed  the wakeup fd is closed under the storm (warn=0): EBADF is
 *                  reported anyway, nothing blocks, nothing is lost.
 *
 * Checks in every mode: no crash, no deadlock (a watchdog thread ends the run
 * when the main loop makes no progress for 20 s), callbacks only on the main
 * thread with their user_data, no callback without an arrival (at each
 * callback: callbacks + race reports + drained <= attempts), at the end
 * callbacks + race reports + signals drained by sigtimedwait <= arrivals per
 * signal, wakeup bytes <= arrivals, real-time sigqueue values drained at the
 * end valid and in FIFO order per sender, and dispatch still working
 * afterwards (raise -> exactly one callback and one wakeup byte).
 * Prints its figures and exits 0 only when every check held. */
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include "common.h"

#define N_THREADS 4
#define N_PROCS 2
#define N_SENDERS (N_THREADS + N_PROCS)
#define MAXSIG 65
#define N_STORM 5
#define STALL_SECONDS 20
#define PACE 64

enum mode { M_STORM, M_FORK, M_FULL, M_CLOSED };
static enum mode g_mode;
static double g_seconds;

static int storm[N_STORM];
static int quiet_sig; /* fork mode: a signal only the children use */
static int probe_sig; /* one arrival in flight at a time: callbacks must equal arrivals */
static sigset_t storm_set, block_set; /* block_set: what the helper threads block */
static int ack_pipe[2];              /* the probe's callback -> sender 0 */
static int inject_spurious;          /* STRESS_INJECT=spurious: prove the probe check can fail */

/* ---- counters shared with the sender processes ------------------------------ */

struct shared {
    atomic_int stop;
    atomic_ullong attempts[MAXSIG]; /* tickets, taken before each send */
    atomic_ullong arrivals[MAXSIG]; /* successful sends */
    atomic_ullong last_ok[MAXSIG];  /* highest ticket of a successful send */
    atomic_ullong queued_hi[N_SENDERS][MAXSIG]; /* sigqueue values sent: seq < this */
    atomic_ullong by_method[4];
    atomic_ullong refused; /* EAGAIN: the kernel's queue was full */
    atomic_ullong progress; /* main-loop steps: the watchdog's and the senders' pace */
    atomic_ullong paced;    /* times a sender waited for the main thread */
};
static struct shared *sh;
static const char *method_name[4] = {"kill", "pthread_kill", "sigqueue", "set_interrupt"};

static void atomic_max(atomic_ullong *a, unsigned long long v) {
    unsigned long long cur = atomic_load(a);
    while (cur < v && !atomic_compare_exchange_weak(a, &cur, v)) {
    }
}

static int is_rt(int s) { return s >= SIGRTMIN; }

/* SIGRTMAX, or below it the highest real-time signal this process can send
 * itself: qemu-user cannot deliver a guest's top real-time signals (under
 * qemu-aarch64 7.2, kill() of 63 and 64 fails with EINVAL). Probed blocked,
 * and the probe consumed, before any handler exists. */
static int highest_sendable_rt(void) {
    for (int s = SIGRTMAX; s > SIGRTMIN + 3; s--) {
        sigset_t one, old;
        sigemptyset(&one);
        sigaddset(&one, s);
        pthread_sigmask(SIG_BLOCK, &one, &old);
        int sent = kill(getpid(), s) == 0;
        if (sent) {
            struct timespec zero = {0, 0};
            while (sigtimedwait(&one, NULL, &zero) < 0 && errno == EINTR) {
            }
        }
        pthread_sigmask(SIG_SETMASK, &old, NULL);
        if (sent) {
            if (s != SIGRTMAX) printf("note: SIGRTMAX (%d) cannot be sent here (qemu-user?): storming %d\n", SIGRTMAX, s);
            return s;
        }
    }
    return SIGRTMAX;
}

/* ---- main-thread state ---------------------------------------------------------- */

static pthread_t main_thread;
static unsigned long long cb_count[MAXSIG], race_count[MAXSIG], drained[MAXSIG], wake_bytes[MAXSIG];
static unsigned long long seen_attempts[MAXSIG];
static unsigned long long raised_in_cb, cb_errors_returned, cb_errors_seen, quiet_violations;
static unsigned long long rep_eagain, rep_ebadf, rep_other, rep_not_main;
static unsigned long long iterations, flips, mask_changes, fd_swaps, forks, fork_children_ok;
static double max_call_s;
static int cb_depth;
static int quiet_mode; /* final phase: callbacks neither raise nor return errors */
static int ud_tag[MAXSIG];
static const char *volatile phase = "start";
static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint64_t rnd(void) {
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static int storm_cb(int sig, void *ud);

static rs_signal_handler cb_handler(int s) {
    rs_signal_handler h = {RS_SIGNAL_HANDLER_CALLBACK, storm_cb, &ud_tag[s]};
    return h;
}

static int is_user_error(int r) { return r <= RS_SIGNAL_EUSER; }

/* A dispatching call's result: 0, or the error a callback returned. */
static void expect_ok_or_cb(int r, const char *what) {
    if (r == 0) return;
    if (is_user_error(r)) {
        cb_errors_seen++;
        return;
    }
    fail("%s returned %d: %s", what, r, last_message());
}

static double timed_start;
static void time_begin(void) { timed_start = now_s(); }
static void time_end(void) {
    double d = now_s() - timed_start;
    if (d > max_call_s) max_call_s = d;
}

static void dispatch(void) {
    if (inject_spurious && iterations >= 1000ULL * (unsigned)inject_spurious) {
        /* uncounted trips, ten of them (one may coalesce with a real arrival) */
        inject_spurious = inject_spurious == 10 ? 0 : inject_spurious + 1;
        rs_signal_set_interrupt(probe_sig);
    }
    time_begin();
    int r = rs_signal_check();
    time_end();
    expect_ok_or_cb(r, "rs_signal_check");
}

static int storm_cb(int sig, void *ud) {
    if (!pthread_equal(pthread_self(), main_thread) && g_mode != M_FORK)
        fail("callback for %d on a thread other than the main thread", sig);
    if (sig <= 0 || sig >= MAXSIG || ud != &ud_tag[sig]) {
        fail("callback for %d with user_data %p", sig, ud);
        return 0;
    }
    if (sig == quiet_sig) {
        quiet_violations++;
        return 0;
    }
    if (sig == probe_sig) {
        cb_count[sig]++;
        char a = 'a';
        if (write(ack_pipe[1], &a, 1) != 1) fail("probe ack: %s", strerror(errno));
        return 0;
    }
    cb_count[sig]++;
    unsigned long long att = atomic_load(&sh->attempts[sig]);
    if (cb_count[sig] + race_count[sig] + drained[sig] > att)
        fail("callback without an arrival: signal %d, %llu callbacks + %llu races + %llu drained > %llu tickets",
             sig, cb_count[sig], race_count[sig], drained[sig], att);
    if (att > seen_attempts[sig]) seen_attempts[sig] = att;
    if (quiet_mode || g_mode != M_STORM) return 0;
    /* Raise another storm signal from inside the callback (bounded nesting):
     * it is an arrival like any other, and dispatch runs recursively. */
    if (cb_depth < 2 && rnd() % 16 == 0) {
        int other = storm[rnd() % N_STORM];
        atomic_fetch_add(&sh->attempts[other], 1);
        cb_depth++;
        int r = rs_signal_raise_signal(other);
        cb_depth--;
        if (r == RS_SIGNAL_EOS && last_errno() == EAGAIN) {
            atomic_fetch_add(&sh->refused, 1); /* the kernel's queue is full: not sent */
        } else {
            atomic_fetch_add(&sh->arrivals[other], 1);
            raised_in_cb++;
            if (r != 0) {
                if (is_user_error(r)) return r; /* a nested callback raised: pass it on */
                fail("raise_signal(%d) in a callback returned %d: %s", other, r, last_message());
            }
        }
    }
    /* Python's handler raising an exception: dispatch stops here, the rest
     * runs at the next dispatch point. */
    if (rnd() % 97 == 0) {
        cb_errors_returned++;
        return RS_SIGNAL_EUSER - sig;
    }
    return 0;
}

static void hook(const rs_signal_unraisable *r, void *ud) {
    (void)ud;
    if (!pthread_equal(pthread_self(), main_thread) && g_mode != M_FORK) rep_not_main++;
    const char *m = r->message ? r->message : "";
    if (strstr(m, "ignored due to race condition") && r->signum > 0 && r->signum < MAXSIG) {
        race_count[r->signum]++;
    } else if (r->os_errno == EAGAIN && strstr(m, "BlockingIOError") &&
               strstr(m, "when trying to write to the signal wakeup fd")) {
        rep_eagain++;
    } else if (r->os_errno == EBADF && strstr(m, "when trying to write to the signal wakeup fd")) {
        rep_ebadf++;
    } else {
        if (rep_other < 5)
            fprintf(stderr, "unexpected report: status %d errno %d signum %d: %s\n", r->status,
                    r->os_errno, r->signum, m);
        rep_other++;
    }
}

/* ---- senders -------------------------------------------------------------------- */

struct sender_arg {
    int id;
    pid_t target_pid;
    double deadline;
};

/* One send; returns whether it succeeded. */
static int send_one(int id, int s, int method, pid_t pid, unsigned long long *qseq) {
    int rc;
    switch (method) {
    case 0:
        rc = kill(pid, s);
        break;
    case 1:
        rc = pthread_kill(main_thread, s);
        if (rc != 0) {
            errno = rc;
            rc = -1;
        }
        break;
    case 2: {
        unsigned long long seq = qseq[s];
        union sigval v;
        v.sival_int = (int)(((unsigned)id << 24) | (unsigned)(seq & 0xffffff));
        rc = sigqueue(pid, s, v);
        if (rc == 0) {
            qseq[s] = seq + 1;
            atomic_store(&sh->queued_hi[id][s], seq + 1);
        }
        break;
    }
    default:
        rc = rs_signal_set_interrupt(s);
        break;
    }
    if (rc != 0 && errno != EAGAIN) {
        /* only the kernel's full queue may refuse a send */
        fprintf(stderr, "sender %d: method %s signal %d: %s\n", id, method_name[method], s,
                strerror(errno));
        atomic_store(&sh->stop, 1);
    }
    return rc == 0;
}

/* Sender 0, now and then: one probe signal, then wait (bounded) for its
 * callback's acknowledgement before anything else. One arrival in flight at a
 * time, so every arrival must give exactly one callback. */
static atomic_ullong probes_lost;
static void probe(pid_t pid, int method, unsigned long long *qseq) {
    int s = probe_sig;
    unsigned long long t = atomic_fetch_add(&sh->attempts[s], 1) + 1;
    if (!send_one(0, s, method, pid, qseq)) {
        atomic_fetch_add(&sh->refused, 1);
        return;
    }
    atomic_fetch_add(&sh->arrivals[s], 1);
    atomic_max(&sh->last_ok[s], t);
    struct pollfd pf = {ack_pipe[0], POLLIN, 0};
    int n;
    while ((n = poll(&pf, 1, 10000)) < 0 && errno == EINTR) {
    }
    char a;
    if (n == 1 && read(ack_pipe[0], &a, 1) == 1) return;
    atomic_fetch_add(&probes_lost, 1);
    fprintf(stderr, "probe %llu (signal %d, %s) not acknowledged within 10 s\n", t, s, method_name[method]);
}

/* Holding the sender threads between two sends (wakeup-full's switch of
 * warn_on_full_buffer). A thread's rs_signal_set_interrupt runs the
 * handler's path on that thread: a wakeup write it began under the old flag
 * latches its report whenever it ends, also after the switch and the
 * dispatch that follows it. A held thread has no such call in flight, and
 * the mutex orders everything it latched before the main thread's switch.
 * (The sender processes need no holding: their signals reach only the main
 * thread, whose handler runs to its end before the main thread goes on.) */
static pthread_mutex_t hold_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t hold_cv = PTHREAD_COND_INITIALIZER; /* held changed, or hold cleared */
static atomic_int hold;
static int held; /* sender threads held or ended */

static void hold_point(void) {
    if (!atomic_load(&hold)) return;
    pthread_mutex_lock(&hold_mu);
    held++;
    pthread_cond_broadcast(&hold_cv);
    while (atomic_load(&hold)) pthread_cond_wait(&hold_cv, &hold_mu);
    held--;
    pthread_mutex_unlock(&hold_mu);
}

static void sender_loop(int id, pid_t pid, double deadline, int in_process) {
    unsigned long long qseq[MAXSIG] = {0};
    uint64_t r = 0x2545F4914F6CDD1DULL * (uint64_t)(id + 1);
    unsigned long long seen_progress = 0, since = 0;
    for (unsigned long i = 0;; i++) {
        if (!in_process) hold_point();
        /* Pace: at most PACE sends per sender between two steps of the main
         * loop. Unpaced, the senders keep the main thread inside signal
         * handlers forever (each return to user mode delivers the next
         * pending signal) and its loop never runs: a livelock that any
         * signal-driven program has, whatever the library does. */
        unsigned long long p = atomic_load(&sh->progress);
        if (p != seen_progress) {
            seen_progress = p;
            since = 0;
        } else if (++since > PACE) {
            struct timespec nap = {0, 20000};
            nanosleep(&nap, NULL);
            atomic_fetch_add(&sh->paced, 1);
            if (atomic_load(&sh->stop) || now_s() > deadline) break;
            continue;
        }
        if ((i & 255) == 0 && (atomic_load(&sh->stop) || now_s() > deadline)) break;
        if (in_process && (i & 1023) == 0 && getppid() != pid) break; /* parent gone */
        r ^= r << 13;
        r ^= r >> 7;
        r ^= r << 17;
        if (id == 0 && (i & 127) == 64) {
            probe(pid, (int)((r >> 32) % 4), qseq);
            continue;
        }
        int s = storm[r % N_STORM];
        int method;
        if (in_process) {
            method = (r >> 8) % 2 ? 2 : 0;
        } else {
            method = (int)((r >> 8) % 4);
        }
        /* RT signals go through sigqueue / pthread_kill, which the kernel's
         * RLIMIT_SIGPENDING bounds (kill() would bypass it). */
        if (is_rt(s) && method == 0) method = 2;
        unsigned long long ticket = atomic_fetch_add(&sh->attempts[s], 1) + 1;
        if (send_one(id, s, method, pid, qseq)) {
            atomic_fetch_add(&sh->arrivals[s], 1);
            atomic_max(&sh->last_ok[s], ticket);
            atomic_fetch_add(&sh->by_method[method], 1);
        } else {
            atomic_fetch_add(&sh->refused, 1);
        }
    }
}

static int threads_done[2]; /* each sender thread writes one byte when it ends */

static void *sender_thread(void *p) {
    struct sender_arg *a = p;
    sender_loop(a->id, a->target_pid, a->deadline, 0);
    pthread_mutex_lock(&hold_mu);
    held++; /* for good: an ended sender sends nothing more */
    pthread_cond_broadcast(&hold_cv);
    pthread_mutex_unlock(&hold_mu);
    if (write(threads_done[1], "d", 1) != 1) abort();
    return NULL;
}

/* ---- watchdog ----------------------------------------------------------------- */

static pthread_mutex_t wd_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wd_cv;
static int wd_done;

static void *watchdog(void *p) {
    (void)p;
    unsigned long long last = (unsigned long long)-1;
    double last_change = now_s();
    pthread_mutex_lock(&wd_mu);
    while (!wd_done) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        ts.tv_sec += 1;
        pthread_cond_timedwait(&wd_cv, &wd_mu, &ts);
        if (wd_done) break;
        unsigned long long cur = atomic_load(&sh->progress);
        if (cur != last) {
            last = cur;
            last_change = now_s();
        } else if (now_s() - last_change > STALL_SECONDS) {
            fprintf(stderr, "FAIL: deadlock: no progress for %d s in phase \"%s\"\n", STALL_SECONDS,
                    phase);
            fflush(stderr);
            atomic_store(&sh->stop, 1);
            _exit(3);
        }
    }
    pthread_mutex_unlock(&wd_mu);
    return NULL;
}

/* ---- main-thread operations (storm mode) ------------------------------------------ */

enum { H_CB, H_IGN, H_DFL };
static int hmode[MAXSIG];
static sigset_t user_masked; /* storm signals the mask operations block */
static int wake_fds[3][2];   /* two pipes and a socket pair; [1] is what the handler writes to */
static int cur_wake = -1;    /* index in wake_fds, -1 none */

static void block_raw(const sigset_t *set, int how) {
    if (pthread_sigmask(how, set, NULL) != 0) {
        perror("pthread_sigmask");
        exit(2);
    }
}

static rs_sigset to_rs(const sigset_t *set) {
    rs_sigset r;
    rs_sigset_empty(&r);
    for (int i = 0; i < N_STORM; i++)
        if (sigismember(set, storm[i])) rs_sigset_add(&r, storm[i]);
    return r;
}

/* The OS mask must block every signal that is SIG_DFL. */
static void check_dfl_blocked(const char *where) {
    sigset_t cur;
    pthread_sigmask(SIG_SETMASK, NULL, &cur);
    for (int i = 0; i < N_STORM; i++)
        if (hmode[storm[i]] == H_DFL && !sigismember(&cur, storm[i])) {
            fail("%s: signal %d is SIG_DFL but not blocked", where, storm[i]);
            exit(4); /* the default action could kill us: stop here */
        }
}

/* rs_signal_signal, retried while a pending callback "raises" (then nothing
 * changed, as in CPython). */
static void set_handler(int s, const rs_signal_handler *h) {
    for (int tries = 0;; tries++) {
        time_begin();
        int r = rs_signal_signal(s, h, NULL);
        time_end();
        if (r == 0) return;
        if (is_user_error(r) && tries < 1000) {
            cb_errors_seen++;
            continue;
        }
        fail("rs_signal_signal(%d, kind %d) returned %d: %s", s, h->kind, r, last_message());
        exit(4);
    }
}

/* rs_signal_pthread_sigmask(how) of signal s alone, timed (a callback may
 * run inside and return an error). */
static void mask_one_timed(int how, int s) {
    rs_sigset one;
    rs_sigset_empty(&one);
    rs_sigset_add(&one, s);
    time_begin();
    int r = rs_signal_pthread_sigmask(how, &one, NULL);
    time_end();
    expect_ok_or_cb(r, how == RS_SIG_BLOCK ? "pthread_sigmask(BLOCK)" : "pthread_sigmask(UNBLOCK)");
}

static void flip(int s, int to) {
    int from = hmode[s];
    if (from == to) return;
    flips++;
    rs_signal_handler h = cb_handler(s);
    if (to == H_IGN) h.kind = RS_SIG_IGN, h.callback = NULL;
    if (to == H_DFL) {
        /* Block first, so the default action can never run. */
        mask_one_timed(RS_SIG_BLOCK, s);
        hmode[s] = H_DFL; /* from here the mask operations keep it blocked */
        check_dfl_blocked("before SIG_DFL");
        h.kind = RS_SIG_DFL;
        h.callback = NULL;
        set_handler(s, &h);
    } else {
        set_handler(s, &h);
        hmode[s] = to;
        if (from == H_DFL && !sigismember(&user_masked, s)) mask_one_timed(RS_SIG_UNBLOCK, s);
    }
    rs_signal_handler got;
    if (rs_signal_getsignal(s, &got) != 0) fail("getsignal(%d): %s", s, last_message());
    int want = to == H_CB ? RS_SIGNAL_HANDLER_CALLBACK : to == H_IGN ? RS_SIG_IGN : RS_SIG_DFL;
    if (got.kind != want || (to == H_CB && got.user_data != &ud_tag[s]))
        fail("getsignal(%d) kind %d user_data %p after setting kind %d", s, got.kind, got.user_data, want);
}

static void change_mask(void) {
    sigset_t r, dfl;
    sigemptyset(&r);
    sigemptyset(&dfl);
    for (int i = 0; i < N_STORM; i++) {
        if (rnd() % 3 == 0) sigaddset(&r, storm[i]);
        if (hmode[storm[i]] == H_DFL) sigaddset(&dfl, storm[i]);
    }
    int how = (int)(rnd() % 3);
    sigset_t arg = r;
    for (int i = 0; i < N_STORM; i++) {
        int s = storm[i];
        if (how == 0) { /* BLOCK */
            if (sigismember(&r, s)) sigaddset(&user_masked, s);
        } else if (how == 1) { /* UNBLOCK: never a SIG_DFL one */
            if (sigismember(&r, s)) sigdelset(&user_masked, s);
            if (sigismember(&dfl, s)) sigdelset(&arg, s);
        } else { /* SETMASK */
            if (sigismember(&r, s))
                sigaddset(&user_masked, s);
            else
                sigdelset(&user_masked, s);
            if (sigismember(&dfl, s)) sigaddset(&arg, s);
        }
    }
    rs_sigset rs = to_rs(&arg);
    int rs_how = how == 0 ? RS_SIG_BLOCK : how == 1 ? RS_SIG_UNBLOCK : RS_SIG_SETMASK;
    time_begin();
    int rc = rs_signal_pthread_sigmask(rs_how, &rs, NULL);
    time_end();
    expect_ok_or_cb(rc, "pthread_sigmask");
    mask_changes++;
    check_dfl_blocked("after a mask change");
}

static void count_byte(unsigned char b) {
    int ok = 0;
    for (int i = 0; i < N_STORM; i++) ok |= b == storm[i];
    ok |= b == probe_sig;
    if (!ok)
        fail("wakeup byte %d is no storm signal", b);
    else
        wake_bytes[b]++;
}

static void drain_wakeup(void) {
    unsigned char buf[4096];
    for (int i = 0; i < 3; i++) {
        int fd = wake_fds[i][0];
        for (int k = 0; k < 64; k++) {
            ssize_t n = read(fd, buf, sizeof buf);
            if (n <= 0) break;
            for (ssize_t j = 0; j < n; j++) count_byte(buf[j]);
        }
    }
}

static void swap_wakeup(void) {
    int pick = (int)(rnd() % 4) - 1; /* -1: none */
    int fd = pick < 0 ? -1 : wake_fds[pick][1];
    int old = -7;
    int r = rs_signal_set_wakeup_fd(fd, (int)(rnd() % 2), &old);
    if (r != 0) fail("set_wakeup_fd(%d): %d %s", fd, r, last_message());
    int expect_old = cur_wake < 0 ? -1 : wake_fds[cur_wake][1];
    if (old != expect_old) fail("set_wakeup_fd returned old fd %d, expected %d", old, expect_old);
    cur_wake = pick;
    fd_swaps++;
}

/* An event loop's wait: poll the wakeup fd for up to 2 ms (signals cut it short). */
static void wait_a_little(void) {
    struct pollfd p = {cur_wake < 0 ? wake_fds[0][0] : wake_fds[cur_wake][0], POLLIN, 0};
    poll(&p, 1, (int)(rnd() % 3));
}

static void main_set_interrupt(void) {
    int s = storm[rnd() % N_STORM];
    unsigned long long t = atomic_fetch_add(&sh->attempts[s], 1) + 1;
    if (rs_signal_set_interrupt(s) != 0) fail("set_interrupt(%d) failed", s);
    atomic_fetch_add(&sh->arrivals[s], 1);
    atomic_max(&sh->last_ok[s], t);
}

/* ---- start and end of every mode ----------------------------------------------------- */

static pid_t procs[N_PROCS];
static pthread_t threads[N_THREADS + 1];
static struct sender_arg targs[N_THREADS];
static pthread_t wd_thread;

static void start_senders(double deadline) {
    /* The helper threads never take a storm signal: only the main thread does,
     * so SIG_DFL under the main thread's mask is safe. */
    sigset_t old;
    pthread_sigmask(SIG_BLOCK, &block_set, &old);
    for (int i = 0; i < N_THREADS; i++) {
        targs[i].id = i;
        targs[i].target_pid = getpid();
        targs[i].deadline = deadline;
        if (pthread_create(&threads[i], NULL, sender_thread, &targs[i]) != 0) {
            perror("pthread_create");
            exit(2);
        }
    }
    pthread_sigmask(SIG_SETMASK, &old, NULL);
}

static void fork_sender_procs(double deadline) {
    pid_t parent = getpid();
    for (int i = 0; i < N_PROCS; i++) {
        procs[i] = fork();
        if (procs[i] < 0) {
            perror("fork");
            exit(2);
        }
        if (procs[i] == 0) {
            sender_loop(N_THREADS + i, parent, deadline + 5, 1);
            _exit(0);
        }
    }
}

static void stop_senders(void) {
    phase = "stopping senders";
    atomic_store(&sh->stop, 1);
    /* Keep dispatching until every sender thread ended: a probe in flight
     * waits for its callback. */
    int done = 0;
    double until = now_s() + 60;
    while (done < N_THREADS && now_s() < until) {
        atomic_fetch_add(&sh->progress, 1);
        dispatch();
        struct pollfd pf = {threads_done[0], POLLIN, 0};
        if (poll(&pf, 1, 5) == 1) {
            char buf[N_THREADS];
            ssize_t n = read(threads_done[0], buf, sizeof buf);
            if (n > 0) done += (int)n;
        }
    }
    if (done < N_THREADS) fail("sender threads did not end within 60 s");
    for (int i = 0; i < N_THREADS; i++) pthread_join(threads[i], NULL);
    for (int i = 0; i < N_PROCS; i++) {
        int st;
        if (wait_retry(procs[i], &st, NULL) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
            fail("sender process %d ended badly (status %#x)", (int)procs[i], st);
    }
}

/* After the senders stopped: every storm signal a callback, everything still
 * pending in the kernel drained (RT values checked), the rest dispatched. */
static void settle(void) {
    phase = "settle";
    quiet_mode = 1;
    block_raw(&storm_set, SIG_BLOCK);
    for (int i = 0; i < N_STORM; i++) {
        int s = storm[i];
        rs_signal_handler h = cb_handler(s);
        set_handler(s, &h);
        hmode[s] = H_CB;
    }
    sigemptyset(&user_masked);
    unsigned long long last_seq[N_SENDERS][MAXSIG];
    memset(last_seq, 0xff, sizeof last_seq);
    struct timespec zero = {0, 0};
    for (int n = 0; n < 1000000; n++) {
        siginfo_t si;
        int s = sigtimedwait(&storm_set, &si, &zero);
        if (s < 0) break;
        drained[s]++;
        unsigned long long att = atomic_load(&sh->attempts[s]);
        if (att > seen_attempts[s]) seen_attempts[s] = att; /* drained = handled */
        if (si.si_code == SI_QUEUE) {
            unsigned v = (unsigned)si.si_value.sival_int;
            unsigned id = v >> 24, seq = v & 0xffffff;
            if (id >= N_SENDERS) {
                fail("queued value %#x of signal %d: no such sender", v, s);
                continue;
            }
            unsigned long long hi = atomic_load(&sh->queued_hi[id][s]);
            if (seq >= (hi & 0xffffff) && hi < 0xffffff)
                fail("queued value %#x of signal %d was never sent (sender %u sent %llu)", v, s, id, hi);
            if (last_seq[id][s] != ~0ULL && seq <= last_seq[id][s] && hi < 0xffffff)
                fail("queued values of sender %u for signal %d out of order: %u after %llu", id, s, seq,
                     last_seq[id][s]);
            last_seq[id][s] = seq;
        }
    }
    block_raw(&storm_set, SIG_UNBLOCK);
    for (int n = 0; n < 100 && rs_signal_pending(); n++) dispatch();
    drain_wakeup();
    EXPECT(!rs_signal_pending(), "still pending after dispatch");
}

static void check_accounting(int expect_nothing_lost) {
    phase = "accounting";
    unsigned long long tot_att = 0, tot_arr = 0, tot_cb = 0, tot_race = 0, tot_dr = 0, tot_b = 0;
    printf("  %-10s %12s %12s %10s %8s %8s %10s\n", "signal", "tickets", "arrivals", "callbacks",
           "races", "drained", "wake bytes");
    for (int i = 0; i < N_STORM; i++) {
        int s = storm[i];
        unsigned long long att = atomic_load(&sh->attempts[s]), arr = atomic_load(&sh->arrivals[s]);
        printf("  %-10s %12llu %12llu %10llu %8llu %8llu %10llu\n", rs_signal_name(s), att, arr,
               cb_count[s], race_count[s], drained[s], wake_bytes[s]);
        tot_att += att, tot_arr += arr, tot_cb += cb_count[s], tot_race += race_count[s];
        tot_dr += drained[s], tot_b += wake_bytes[s];
        if (cb_count[s] + race_count[s] + drained[s] > arr)
            fail("signal %d: %llu callbacks + %llu races + %llu drained > %llu arrivals", s, cb_count[s],
                 race_count[s], drained[s], arr);
        if (wake_bytes[s] > arr) fail("signal %d: %llu wakeup bytes > %llu arrivals", s, wake_bytes[s], arr);
        if (arr == 0 || cb_count[s] == 0) fail("signal %d: no arrival or no callback: the storm did nothing", s);
        if (expect_nothing_lost && seen_attempts[s] < atomic_load(&sh->last_ok[s]))
            fail("signal %d lost: the last arrival (ticket %llu) was never followed by a callback (last saw %llu)",
                 s, (unsigned long long)atomic_load(&sh->last_ok[s]), seen_attempts[s]);
    }
    printf("  %-10s %12llu %12llu %10llu %8llu %8llu %10llu\n", "total", tot_att, tot_arr, tot_cb,
           tot_race, tot_dr, tot_b);
    printf("  sent by: kill %llu, pthread_kill %llu, sigqueue %llu, set_interrupt %llu; refused (queue full) %llu\n",
           (unsigned long long)atomic_load(&sh->by_method[0]), (unsigned long long)atomic_load(&sh->by_method[1]),
           (unsigned long long)atomic_load(&sh->by_method[2]), (unsigned long long)atomic_load(&sh->by_method[3]),
           (unsigned long long)atomic_load(&sh->refused));
    printf("  senders paced %llu times (waiting for the main loop)\n", (unsigned long long)atomic_load(&sh->paced));
    printf("  main loop: %llu iterations, %llu handler flips, %llu mask changes, %llu wakeup fd swaps,\n"
           "             %llu raised in callbacks, %llu callback errors returned (%llu seen by callers), "
           "longest library call %.3f s\n",
           iterations, flips, mask_changes, fd_swaps, raised_in_cb, cb_errors_returned, cb_errors_seen,
           max_call_s);
    printf("  reports: %llu EAGAIN, %llu EBADF, %llu race, %llu other\n", rep_eagain, rep_ebadf, tot_race,
           rep_other);
    if (rep_not_main) fail("%llu reports off the main thread", rep_not_main);
    if (rep_other) fail("%llu unexpected reports (see above)", rep_other);
    {
        int s = probe_sig;
        unsigned long long arr = atomic_load(&sh->arrivals[s]);
        printf("  probe %s (one in flight): %llu arrivals, %llu callbacks, %llu wakeup bytes, %llu lost\n",
               rs_signal_name(s), arr, cb_count[s], wake_bytes[s], (unsigned long long)atomic_load(&probes_lost));
        if (cb_count[s] != arr)
            fail("probe signal %d: %llu callbacks for %llu arrivals (must be equal)", s, cb_count[s], arr);
        if (arr == 0) fail("no probe was sent");
        if (atomic_load(&probes_lost)) fail("probe arrivals lost");
        if (wake_bytes[s] > arr) fail("probe: more wakeup bytes than arrivals");
    }
    /* RESULT line for docs/reliability.md */
    printf("RESULT mode=%s seconds=%.0f sent=%llu handled=%llu callbacks=%llu drained=%llu races=%llu forks=%llu\n",
           g_mode == M_STORM ? "storm" : g_mode == M_FORK ? "fork" : g_mode == M_FULL ? "wakeup-full" : "wakeup-closed",
           g_seconds, tot_arr, tot_cb + tot_dr + tot_race, tot_cb, tot_dr, tot_race, forks);
}

/* raise_signal as an arrival. A real-time signal can be refused (EAGAIN)
 * while the user's signal queue is full: the machine is shared, and other
 * processes of the same user count against the same limit. Retry a while. */
static int raise_counted(int s) {
    for (int tries = 0;; tries++) {
        atomic_fetch_add(&sh->attempts[s], 1);
        int r = rs_signal_raise_signal(s);
        if (r == RS_SIGNAL_EOS && last_errno() == EAGAIN && tries < 400) {
            struct timespec backoff = {0, 5000000};
            nanosleep(&backoff, NULL);
            continue;
        }
        if (!(r == RS_SIGNAL_EOS && last_errno() == EAGAIN)) atomic_fetch_add(&sh->arrivals[s], 1);
        return r;
    }
}

/* Dispatch still works: each storm signal raised once -> one callback, one
 * wakeup byte (when a working wakeup fd is given). */
static void check_dispatch_after(int wake_rd) {
    phase = "dispatch afterwards";
    quiet_mode = 1;
    unsigned char buf[64];
    if (wake_rd >= 0)
        while (read(wake_rd, buf, sizeof buf) > 0) {
        }
    for (int i = 0; i < N_STORM; i++) {
        int s = storm[i];
        unsigned long long before = cb_count[s];
        int r = raise_counted(s);
        if (r != 0) fail("raise_signal(%d) afterwards: %d %s", s, r, last_message());
        if (cb_count[s] != before + 1)
            fail("signal %d afterwards: %llu callbacks for one raise", s, cb_count[s] - before);
        if (wake_rd >= 0) {
            ssize_t n = read(wake_rd, buf, sizeof buf);
            if (n != 1 || buf[0] != s) fail("signal %d afterwards: wakeup read %zd bytes, first %d", s, n, n > 0 ? buf[0] : -1);
        }
        /* and through set_interrupt */
        before = cb_count[s];
        atomic_fetch_add(&sh->attempts[s], 1);
        rs_signal_set_interrupt(s);
        atomic_fetch_add(&sh->arrivals[s], 1);
        dispatch();
        if (cb_count[s] != before + 1) fail("signal %d afterwards: set_interrupt gave %llu callbacks", s, cb_count[s] - before);
        if (wake_rd >= 0) {
            ssize_t n = read(wake_rd, buf, sizeof buf);
            if (n != 1 || buf[0] != s) fail("signal %d afterwards (set_interrupt): wakeup read %zd", s, n);
        }
    }
}

/* ---- the modes --------------------------------------------------------------------- */

static void run_storm(double deadline) {
    for (int i = 0; i < 3; i++) {
        if (i < 2)
            nb_pipe(wake_fds[i]);
        else if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, wake_fds[i]) != 0) {
            perror("socketpair");
            exit(2);
        }
    }
    phase = "storm";
    while (now_s() < deadline && !atomic_load(&sh->stop)) {
        iterations++;
        atomic_fetch_add(&sh->progress, 1);
        unsigned op = (unsigned)(rnd() % 100);
        if (op < 25) {
            dispatch();
        } else if (op < 45) {
            int s = storm[rnd() % N_STORM];
            unsigned w = (unsigned)(rnd() % 10);
            flip(s, w < 5 ? H_CB : w < 8 ? H_IGN : H_DFL);
        } else if (op < 52) {
            swap_wakeup();
        } else if (op < 65) {
            change_mask();
        } else if (op < 78) {
            drain_wakeup();
        } else if (op < 83) {
            main_set_interrupt();
        } else if (op < 90) {
            wait_a_little();
            dispatch();
        } else if (op < 95) {
            int s = storm[rnd() % N_STORM];
            rs_signal_handler got;
            if (rs_signal_getsignal(s, &got) != 0) fail("getsignal: %s", last_message());
            int want = hmode[s] == H_CB ? RS_SIGNAL_HANDLER_CALLBACK : hmode[s] == H_IGN ? RS_SIG_IGN : RS_SIG_DFL;
            if (got.kind != want) fail("getsignal(%d) = %d, expected %d", s, got.kind, want);
        } else {
            (void)rs_signal_pending();
            dispatch();
        }
    }
    stop_senders();
    settle();
    check_accounting(0);
    /* a known wakeup fd for the last check */
    int old;
    rs_signal_set_wakeup_fd(wake_fds[0][1], 1, &old);
    cur_wake = 0;
    drain_wakeup();
    check_dispatch_after(wake_fds[0][0]);
}

/* fork mode ------------------------------------------------------------------------------ */

static int child_calls[MAXSIG];
static int child_cb(int sig, void *ud) {
    (void)ud;
    if (sig > 0 && sig < MAXSIG) child_calls[sig]++;
    return 0;
}

static int parent_wake[2];
static uintptr_t lib_handler_addr;

static unsigned long long total_cb(void) {
    unsigned long long t = 0;
    for (int i = 0; i < MAXSIG; i++) t += cb_count[i];
    return t;
}

/* In the child: exits 0 when all is well, else the number of the failed step. */
/* A failed step in a fork child: say which and why on stderr (snprintf and
 * write: no stdio lock, which another thread may have held at fork time). */
static void child_fail(int step) {
    char msg[512];
    int n = snprintf(msg, sizeof msg, "fork child %d: step %d failed (last error: %s)\n", (int)getpid(), step,
                     last_message());
    if (n > 0) (void)!write(2, msg, (size_t)n);
    _exit(step);
}

static void fork_child(int from_helper) {
    alarm(10); /* a deadlocked child dies of SIGALRM and the parent sees it */
    if (rs_signal_pending() != 0) child_fail(10);
    if (rs_signal_is_main_thread() != 1) child_fail(11);
    unsigned long long before = total_cb();
    int qbefore = (int)quiet_violations;
    if (rs_signal_check() != 0) child_fail(12);
    if (total_cb() != before || (int)quiet_violations != qbefore) child_fail(13); /* ran a parent's arrival */
    int p[2];
    if (pipe2(p, O_NONBLOCK) != 0) child_fail(20);
    int old = -7;
    if (rs_signal_set_wakeup_fd(p[1], 1, &old) != 0) child_fail(14);
    if (old != parent_wake[1]) child_fail(15);
    rs_signal_handler h = {RS_SIGNAL_HANDLER_CALLBACK, child_cb, NULL};
    if (rs_signal_signal(quiet_sig, &h, NULL) != 0) child_fail(16);
    if (rs_signal_signal(SIGUSR1, &h, NULL) != 0) child_fail(16);
    rs_sigset un;
    rs_sigset_empty(&un);
    rs_sigset_add(&un, quiet_sig);
    rs_sigset_add(&un, SIGUSR1);
    if (from_helper && rs_signal_pthread_sigmask(RS_SIG_UNBLOCK, &un, NULL) != 0) child_fail(17);
    for (int i = 0; i < 20; i++) {
        if (rs_signal_set_interrupt(quiet_sig) != 0) child_fail(18);
        if (rs_signal_raise_signal(quiet_sig) != 0) child_fail(18);
    }
    if (rs_signal_raise_signal(SIGUSR1) != 0) child_fail(18);
    if (child_calls[quiet_sig] < 20 || child_calls[SIGUSR1] != 1) child_fail(19);
    unsigned char buf[256];
    ssize_t n = read(p[0], buf, sizeof buf);
    if (n < 21 || buf[0] != quiet_sig || buf[n - 1] != SIGUSR1) child_fail(21);
    /* change dispositions: the parent must not see any of it */
    rs_signal_handler ign = {RS_SIG_IGN, NULL, NULL};
    if (rs_signal_signal(SIGUSR2, &ign, NULL) != 0) child_fail(22);
    rs_sigset rt;
    rs_sigset_empty(&rt);
    rs_sigset_add(&rt, SIGRTMIN);
    if (rs_signal_pthread_sigmask(RS_SIG_BLOCK, &rt, NULL) != 0) child_fail(23);
    rs_signal_handler dfl = {RS_SIG_DFL, NULL, NULL};
    if (rs_signal_signal(SIGRTMIN, &dfl, NULL) != 0) child_fail(23);
    if (rs_signal_set_wakeup_fd(-1, 1, NULL) != 0) child_fail(24);
    if (rs_signal_finalize() != 0) child_fail(25);
    _exit(0);
}

/* The forker thread: forks when asked through a pipe (so the child's main
 * thread is not the process's initial thread) and answers with the pid. */
static int fork_req[2], fork_ans[2];
static void *forker(void *p) {
    (void)p;
    for (;;) {
        char c;
        ssize_t n = read(fork_req[0], &c, 1);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0 || c == 'q') return NULL;
        pid_t pid = fork();
        if (pid == 0) fork_child(1);
        while (write(fork_ans[1], &pid, sizeof pid) < 0 && errno == EINTR) {
        }
    }
}

/* A thread taking the library's lock over and over, so forks happen while it
 * may be held: a child that inherited it held would deadlock. */
static void *lock_taker(void *p) {
    (void)p;
    while (!atomic_load(&sh->stop)) {
        rs_signal_handler h;
        for (int i = 0; i < N_STORM; i++) rs_signal_getsignal(storm[i], &h);
    }
    return NULL;
}

static void check_parent_untouched(void) {
    for (int i = 0; i <= N_STORM; i++) {
        int s = i < N_STORM ? storm[i] : quiet_sig;
        rs_signal_handler got;
        if (rs_signal_getsignal(s, &got) != 0 || got.kind != RS_SIGNAL_HANDLER_CALLBACK ||
            got.user_data != &ud_tag[s] || got.callback != storm_cb)
            fail("parent's handler of %d changed after a fork (kind %d)", s, got.kind);
        struct sigaction sa;
        sigaction(s, NULL, &sa);
        if ((uintptr_t)sa.sa_handler != lib_handler_addr)
            fail("parent's OS disposition of %d changed after a fork", s);
    }
    int old = -7;
    rs_signal_set_wakeup_fd(parent_wake[1], 1, &old);
    if (old != parent_wake[1]) fail("parent's wakeup fd changed after a fork: %d", old);
}

static void drain_parent_wake(void) {
    unsigned char buf[4096];
    for (int k = 0; k < 64; k++) {
        ssize_t n = read(parent_wake[0], buf, sizeof buf);
        if (n <= 0) break;
        for (ssize_t j = 0; j < n; j++) {
            if (buf[j] == quiet_sig)
                quiet_violations++;
            else
                count_byte(buf[j]);
        }
    }
}

static void run_fork(double deadline) {
    nb_pipe(parent_wake);
    wake_fds[0][0] = parent_wake[0];
    wake_fds[0][1] = parent_wake[1];
    if (rs_signal_set_wakeup_fd(parent_wake[1], 1, NULL) != 0) fail("set_wakeup_fd: %s", last_message());
    rs_signal_handler h = cb_handler(quiet_sig);
    set_handler(quiet_sig, &h);
    struct sigaction sa;
    sigaction(SIGUSR1, NULL, &sa);
    lib_handler_addr = (uintptr_t)sa.sa_handler;
    if (pipe(fork_req) || pipe(fork_ans)) exit(2);
    sigset_t old;
    pthread_sigmask(SIG_BLOCK, &block_set, &old);
    pthread_t ft, lt;
    pthread_create(&ft, NULL, forker, NULL);
    pthread_create(&lt, NULL, lock_taker, NULL);
    pthread_sigmask(SIG_SETMASK, &old, NULL);

    phase = "fork storm";
    unsigned long long from_helper = 0;
    while (now_s() < deadline && !atomic_load(&sh->stop)) {
        iterations++;
        atomic_fetch_add(&sh->progress, 1);
        dispatch();
        drain_parent_wake();
        /* Trip every storm signal, so the child is forked with flags set. */
        unsigned long long cb_before[N_STORM];
        for (int i = 0; i < N_STORM; i++) {
            int s = storm[i];
            unsigned long long t = atomic_fetch_add(&sh->attempts[s], 1) + 1;
            rs_signal_set_interrupt(s);
            atomic_fetch_add(&sh->arrivals[s], 1);
            atomic_max(&sh->last_ok[s], t);
            cb_before[i] = cb_count[s];
        }
        if (!rs_signal_pending()) fail("nothing pending right after set_interrupt");
        int helper = (int)(rnd() % 2);
        pid_t pid;
        if (helper) {
            char c = 'f';
            if (write(fork_req[1], &c, 1) != 1) exit(2);
            ssize_t n;
            while ((n = read(fork_ans[0], &pid, sizeof pid)) < 0 && errno == EINTR) {
                /* no dispatch here: the flags must still be set at fork time */
            }
            from_helper++;
        } else {
            pid = fork();
            if (pid == 0) fork_child(0);
        }
        if (pid < 0) {
            fail("fork: %s", strerror(errno));
            break;
        }
        forks++;
        if (!rs_signal_pending()) fail("the parent's flags were cleared by a fork");
        dispatch();
        for (int i = 0; i < N_STORM; i++)
            if (cb_count[storm[i]] == cb_before[i])
                fail("signal %d tripped before the fork never ran in the parent", storm[i]);
        int st;
        if (wait_retry(pid, &st, dispatch) != pid) {
            fail("waitpid: %s", strerror(errno));
        } else if (WIFEXITED(st) && WEXITSTATUS(st) == 0) {
            fork_children_ok++;
        } else if (WIFEXITED(st)) {
            fail("fork child (forked by the %s thread) failed at step %d", helper ? "helper" : "main",
                 WEXITSTATUS(st));
        } else {
            fail("fork child killed by signal %d", WTERMSIG(st));
        }
        check_parent_untouched();
        if (g_failures > 20) break;
    }
    char q = 'q';
    if (write(fork_req[1], &q, 1) != 1) exit(2);
    pthread_join(ft, NULL);
    stop_senders();
    pthread_join(lt, NULL);
    settle();
    drain_parent_wake();
    if (quiet_violations) fail("%llu callbacks/bytes of the children-only signal reached the parent", quiet_violations);
    check_accounting(1);
    printf("  forks: %llu (%llu by a non-initial thread), %llu children passed every check\n", forks,
           from_helper, fork_children_ok);
    check_dispatch_after(parent_wake[0]);
}

/* wakeup-full and wakeup-closed ------------------------------------------------------------ */

static void fill_pipe(int fd) {
    static char junk[65536];
    memset(junk, 'x', sizeof junk);
    for (int i = 0; i < 1024; i++)
        if (write(fd, junk, sizeof junk) < 0) break;
    char c = 'x';
    while (write(fd, &c, 1) == 1) {
    }
}

static void plain_loop(double until) {
    while (now_s() < until && !atomic_load(&sh->stop)) {
        iterations++;
        atomic_fetch_add(&sh->progress, 1);
        dispatch();
        if (rnd() % 8 == 0) main_set_interrupt();
        if (rnd() % 16 == 0) {
            struct pollfd p = {0, 0, 0};
            poll(&p, 0, 1); /* a short wait, cut short by signals */
        }
    }
}

/* Holds every sender thread (see hold_point), dispatching meanwhile: sender
 * 0 may be waiting for a probe's callback. */
static void hold_senders(void) {
    pthread_mutex_lock(&hold_mu);
    atomic_store(&hold, 1);
    while (held < N_THREADS) {
        pthread_mutex_unlock(&hold_mu);
        atomic_fetch_add(&sh->progress, 1);
        dispatch();
        pthread_mutex_lock(&hold_mu);
        if (held < N_THREADS) {
            struct timespec ts;
            clock_gettime(CLOCK_REALTIME, &ts);
            ts.tv_nsec += 1000000; /* a bound on the wait, so dispatch goes on */
            if (ts.tv_nsec >= 1000000000L) {
                ts.tv_sec++;
                ts.tv_nsec -= 1000000000L;
            }
            pthread_cond_timedwait(&hold_cv, &hold_mu, &ts);
        }
    }
    pthread_mutex_unlock(&hold_mu);
}

static void release_senders(void) {
    pthread_mutex_lock(&hold_mu);
    atomic_store(&hold, 0);
    pthread_cond_broadcast(&hold_cv);
    pthread_mutex_unlock(&hold_mu);
}

static void run_full(double deadline) {
    int p[2];
    nb_pipe(p);
    fill_pipe(p[1]);
    if (rs_signal_set_wakeup_fd(p[1], 1, NULL) != 0) fail("set_wakeup_fd: %s", last_message());
    double start = now_s();
    phase = "wakeup full, warn=1";
    plain_loop(start + (deadline - start) / 2);
    unsigned long long eagain_warn = rep_eagain;
    /* Switch to silent with no wakeup write in flight (the sender threads
     * held): a report latched before the switch comes out at the next
     * dispatch, and every write after it sees warn=0. */
    phase = "wakeup full, holding the sender threads";
    hold_senders();
    if (rs_signal_set_wakeup_fd(p[1], 0, NULL) != 0) fail("set_wakeup_fd: %s", last_message());
    dispatch();
    unsigned long long eagain_at_switch = rep_eagain;
    release_senders();
    phase = "wakeup full, warn=0";
    plain_loop(deadline);
    unsigned long long eagain_silent = rep_eagain - eagain_at_switch;
    stop_senders();
    settle();
    char c = 'x';
    if (write(p[1], &c, 1) != -1 || errno != EAGAIN) fail("the wakeup pipe was not full at the end");
    check_accounting(1);
    printf("  wakeup pipe full all along: %llu EAGAIN reports with warn_on_full_buffer=1, %llu with 0\n",
           eagain_warn, eagain_silent);
    if (eagain_warn == 0) fail("no EAGAIN report with warn_on_full_buffer=1");
    if (eagain_silent != 0) fail("%llu EAGAIN reports with warn_on_full_buffer=0", eagain_silent);
    if (rep_other || rep_ebadf) fail("unexpected reports");
    /* afterwards: still full and silent, every raise still dispatched */
    check_dispatch_after(-1);
    if (rep_eagain != eagain_at_switch + eagain_silent) fail("a report with warn_on_full_buffer=0");
    if (rs_signal_set_wakeup_fd(p[1], 1, NULL) != 0) fail("set_wakeup_fd");
    unsigned long long before = rep_eagain;
    check_dispatch_after(-1);
    if (rep_eagain - before != 2 * N_STORM)
        fail("warn=1 afterwards: %llu EAGAIN reports for %d arrivals", rep_eagain - before, 2 * N_STORM);
}

static void run_closed(double deadline) {
    int p[2];
    nb_pipe(p);
    if (rs_signal_set_wakeup_fd(p[1], 0, NULL) != 0) fail("set_wakeup_fd: %s", last_message());
    double start = now_s();
    phase = "wakeup fd open";
    /* drain while it is open */
    while (now_s() < start + (deadline - start) / 4 && !atomic_load(&sh->stop)) {
        iterations++;
        atomic_fetch_add(&sh->progress, 1);
        dispatch();
        unsigned char buf[4096];
        ssize_t n = read(p[0], buf, sizeof buf);
        for (ssize_t j = 0; j < n; j++) count_byte(buf[j]);
    }
    if (rep_ebadf || rep_eagain) fail("reports while the wakeup fd was open and drained");
    /* close it under the storm; nothing opens an fd from here on, so the
     * number stays closed */
    close(p[1]);
    close(p[0]);
    phase = "wakeup fd closed";
    plain_loop(deadline);
    stop_senders();
    settle();
    check_accounting(1);
    printf("  wakeup fd closed under the storm: %llu EBADF reports (warn_on_full_buffer=0)\n", rep_ebadf);
    if (rep_ebadf == 0) fail("no EBADF report after the wakeup fd was closed");
    if (rep_other || rep_eagain) fail("unexpected reports");
    unsigned long long before = rep_ebadf;
    check_dispatch_after(-1);
    if (rep_ebadf - before != 2 * N_STORM)
        fail("afterwards: %llu EBADF reports for %d arrivals", rep_ebadf - before, 2 * N_STORM);
    rs_signal_set_wakeup_fd(-1, 1, NULL);
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: %s storm|fork|wakeup-full|wakeup-closed SECONDS\n", argv[0]);
        return 2;
    }
    if (!strcmp(argv[1], "storm"))
        g_mode = M_STORM;
    else if (!strcmp(argv[1], "fork"))
        g_mode = M_FORK;
    else if (!strcmp(argv[1], "wakeup-full"))
        g_mode = M_FULL;
    else if (!strcmp(argv[1], "wakeup-closed"))
        g_mode = M_CLOSED;
    else {
        fprintf(stderr, "unknown mode %s\n", argv[1]);
        return 2;
    }
    g_seconds = atof(argv[2]);
    setvbuf(stdout, NULL, _IOLBF, 0);
    rng ^= (uint64_t)getpid() * 0x9E3779B97F4A7C15ULL;
    printf("== stress %s, %.0f s: 4 sender threads + 2 sender processes (seed %#llx)\n", argv[1], g_seconds,
           (unsigned long long)rng);

    /* Keep our share of the user's signal queue small: the machine is shared. */
    struct rlimit rl = {4096, 4096};
    setrlimit(RLIMIT_SIGPENDING, &rl);

    storm[0] = SIGUSR1;
    storm[1] = SIGUSR2;
    storm[2] = SIGRTMIN;
    storm[3] = SIGRTMIN + 1;
    storm[4] = highest_sendable_rt();
    quiet_sig = SIGWINCH; /* not real-time: never refused */
    probe_sig = SIGRTMIN + 3;
    sigemptyset(&storm_set);
    for (int i = 0; i < N_STORM; i++) sigaddset(&storm_set, storm[i]);
    block_set = storm_set;
    sigaddset(&block_set, quiet_sig);
    sigaddset(&block_set, probe_sig);
    if (pipe2(ack_pipe, O_CLOEXEC) != 0 || pipe2(threads_done, O_CLOEXEC) != 0) return 2;
    inject_spurious = getenv("STRESS_INJECT") && !strcmp(getenv("STRESS_INJECT"), "spurious");
    sh = mmap(NULL, sizeof *sh, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (sh == MAP_FAILED) return 2;
    main_thread = pthread_self();

    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&wd_cv, &ca);
    {
        sigset_t all, old;
        sigfillset(&all);
        pthread_sigmask(SIG_BLOCK, &all, &old);
        pthread_create(&wd_thread, NULL, watchdog, NULL);
        pthread_sigmask(SIG_SETMASK, &old, NULL);
    }

    if (rs_signal_set_unraisable_hook(hook, NULL) != 0) return 2;
    for (int i = 0; i <= N_STORM; i++) {
        int s = i < N_STORM ? storm[i] : probe_sig;
        rs_signal_handler h = cb_handler(s);
        set_handler(s, &h);
        hmode[s] = H_CB;
    }
    double deadline = now_s() + g_seconds;
    fork_sender_procs(deadline);
    start_senders(deadline);

    switch (g_mode) {
    case M_STORM: run_storm(deadline); break;
    case M_FORK: run_fork(deadline); break;
    case M_FULL: run_full(deadline); break;
    case M_CLOSED: run_closed(deadline); break;
    }

    pthread_mutex_lock(&wd_mu);
    wd_done = 1;
    pthread_cond_signal(&wd_cv);
    pthread_mutex_unlock(&wd_mu);
    pthread_join(wd_thread, NULL);
    printf("stress %s: %s (%d failed checks)\n", argv[1], g_failures ? "FAILED" : "passed", g_failures);
    return g_failures ? 1 : 0;
}
