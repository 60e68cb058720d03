/* Extra conformance checks, not in test_signal.py but read from CPython's
 * Modules/signalmodule.c: threads, the initial table, wakeup bytes, the
 * interrupt functions, fork and finalize; and its dispatch algorithm
 * (_PyErr_CheckSignalsTstate: ascending order,
 * a raising callback stops the scan, coalescing, re-entrant callbacks). */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"
#include "util.h"

/* ---- recording callbacks ---------------------------------------------------- */

static int calls[NSIG];
static int order[64];
static int n_order;

static int record_cb(int signum, void *data) {
    (void)data;
    calls[signum]++;
    if (n_order < 64) order[n_order++] = signum;
    return 0;
}
/* Returns the int stored at user_data ("raises" when non-zero). */
static int raising_cb(int signum, void *data) {
    calls[signum]++;
    if (n_order < 64) order[n_order++] = signum;
    return *(int *)data;
}

static void install_data(int signum, rs_signal_callback cb, void *data) {
    rs_signal_handler h = {RS_SIGNAL_HANDLER_CALLBACK, cb, data};
    CHECK_OK(rs_signal_signal(signum, &h, NULL));
}
static void install(int signum, rs_signal_callback cb) { install_data(signum, cb, NULL); }
static void set_kind(int signum, int kind) {
    rs_signal_handler h = {kind, NULL, NULL};
    CHECK_OK(rs_signal_signal(signum, &h, NULL));
}

static void check_order(const int *expected, int n) {
    if (n_order != n) {
        char got[256] = "";
        for (int i = 0; i < n_order; i++)
            snprintf(got + strlen(got), sizeof got - strlen(got), "%d ", order[i]);
        harness_fail(__FILE__, __LINE__, "%d callbacks ran (%s), expected %d", n_order, got, n);
    }
    for (int i = 0; i < n; i++)
        if (order[i] != expected[i])
            harness_fail(__FILE__, __LINE__, "callback %d was for signal %d, expected %d", i,
                         order[i], expected[i]);
}

static volatile sig_atomic_t foreign_hits;
static void foreign_handler(int signum) {
    (void)signum;
    foreign_hits++;
}

static void os_block(const int *sigs, int n, int how) {
    sigset_t set;
    sigemptyset(&set);
    for (int i = 0; i < n; i++) sigaddset(&set, sigs[i]);
    CHECK(sigprocmask(how, &set, NULL) == 0);
}

static int os_blocked(int signum) {
    sigset_t cur;
    CHECK(sigprocmask(SIG_BLOCK, NULL, &cur) == 0);
    return sigismember(&cur, signum) == 1;
}

/* ---- threads ----------------------------------------------------------------- */

struct thread_result {
    int check;           /* rs_signal_check() */
    int pending;         /* rs_signal_pending() */
    int is_main;         /* rs_signal_is_main_thread() */
    int interrupt;       /* rs_signal_interrupt_occurred() */
    int st[8];           /* statuses */
    int err[8];          /* last-error statuses read on the thread */
    char msg[8][160];    /* last-error messages read on the thread */
    rs_signal_handler got;
};

static void run_thread(void *(*fn)(void *), struct thread_result *r) {
    pthread_t t;
    memset(r, 0, sizeof *r);
    CHECK(pthread_create(&t, NULL, fn, r) == 0);
    CHECK(pthread_join(t, NULL) == 0);
}

static void save_error(struct thread_result *r, int i, int status) {
    rs_signal_error e;
    r->st[i] = status;
    r->err[i] = rs_signal_last_error(&e);
    snprintf(r->msg[i], sizeof r->msg[i], "%s", e.message ? e.message : "(null)");
}

/* Dispatch from a non-main thread does nothing. */
static void *check_thread(void *arg) {
    struct thread_result *r = arg;
    r->is_main = rs_signal_is_main_thread();
    r->pending = rs_signal_pending();
    r->check = rs_signal_check();
    r->interrupt = rs_signal_interrupt_occurred();
    return NULL;
}

TEST(Extra_check_from_thread_is_noop) {
    static int raise_value = 9;
    install(SIGUSR1, record_cb);
    install_data(SIGINT, raising_cb, &raise_value);
    CHECK_OK(rs_signal_set_interrupt(SIGUSR1));
    CHECK_OK(rs_signal_set_interrupt(SIGINT));
    struct thread_result r;
    run_thread(check_thread, &r);
    CHECK_EQ(r.is_main, 0);
    CHECK_EQ(r.pending, 0);  /* nothing would run on that thread */
    CHECK_EQ(r.check, 0);
    CHECK_EQ(r.interrupt, 0);
    CHECK_EQ(n_order, 0);
    /* The flags were left set for the main thread. */
    CHECK_EQ(rs_signal_is_main_thread(), 1);
    CHECK_EQ(rs_signal_pending(), 1);
    CHECK_EQ(rs_signal_check(), RS_SIGNAL_EHANDLER); /* SIGINT (2) first, raises */
    CHECK_OK(rs_signal_check());
    int expected[] = {SIGINT, SIGUSR1};
    check_order(expected, 2);
}

/* signal()/set_wakeup_fd() from a thread are refused before
 * anything else is checked (even the range); getsignal() works. */
static int wake_fd;
static void *refused_thread(void *arg) {
    struct thread_result *r = arg;
    rs_signal_handler cb = {RS_SIGNAL_HANDLER_CALLBACK, record_cb, NULL};
    rs_signal_handler bad = {RS_SIGNAL_HANDLER_FOREIGN, NULL, NULL};
    save_error(r, 0, rs_signal_signal(SIGUSR1, &cb, NULL));
    save_error(r, 1, rs_signal_signal(4242, &cb, NULL));
    save_error(r, 2, rs_signal_signal(0, &bad, NULL));
    save_error(r, 3, rs_signal_set_wakeup_fd(wake_fd, 1, NULL));
    save_error(r, 4, rs_signal_set_wakeup_fd(-1, 1, NULL));
    save_error(r, 5, rs_signal_set_wakeup_fd(-5, 1, NULL));
    save_error(r, 6, rs_signal_getsignal(SIGUSR2, &r->got));
    return NULL;
}

TEST(Extra_signal_and_set_wakeup_fd_from_thread) {
    int p[2];
    nonblocking_pipe(p);
    wake_fd = p[1];
    static int data;
    install_data(SIGUSR2, record_cb, &data);
    /* A main-thread error that the thread's failures must not overwrite. */
    rs_signal_handler scratch;
    CHECK_FAILS(rs_signal_getsignal(0, &scratch), RS_SIGNAL_EVALUE, "signal number out of range");
    struct thread_result r;
    run_thread(refused_thread, &r);
    const char *sig_msg = "signal only works in main thread of the main interpreter";
    const char *wake_msg = "set_wakeup_fd only works in main thread of the main interpreter";
    for (int i = 0; i < 3; i++) {
        CHECK_EQ(r.st[i], RS_SIGNAL_EVALUE);
        CHECK_EQ(r.err[i], RS_SIGNAL_EVALUE);
        CHECK_STR_CONTAINS(r.msg[i], sig_msg);
    }
    for (int i = 3; i < 6; i++) {
        CHECK_EQ(r.st[i], RS_SIGNAL_EVALUE);
        CHECK_STR_CONTAINS(r.msg[i], wake_msg);
    }
    CHECK_EQ(r.st[6], RS_SIGNAL_OK); /* getsignal works from any thread */
    CHECK_EQ(r.got.kind, RS_SIGNAL_HANDLER_CALLBACK);
    CHECK(r.got.callback == record_cb);
    CHECK(r.got.user_data == &data);
    /* Nothing changed, and the main thread's last error is its own. */
    CHECK(os_is(SIGUSR1, SIG_DFL));
    int old = -7;
    CHECK_OK(rs_signal_set_wakeup_fd(-1, 1, &old));
    CHECK_EQ(old, -1);
    CHECK_STR_CONTAINS(harness_last_message(), "signal number out of range");
}

static void *getsignal_thread(void *arg) {
    struct thread_result *r = arg;
    save_error(r, 0, rs_signal_getsignal(SIGUSR1, &r->got));
    rs_signal_handler h;
    save_error(r, 1, rs_signal_getsignal(4242, &h));
    return NULL;
}

TEST(Extra_getsignal_from_thread) {
    static int data;
    install_data(SIGUSR1, record_cb, &data);
    struct thread_result r;
    run_thread(getsignal_thread, &r);
    CHECK_EQ(r.st[0], RS_SIGNAL_OK);
    CHECK_EQ(r.got.kind, RS_SIGNAL_HANDLER_CALLBACK);
    CHECK(r.got.callback == record_cb && r.got.user_data == &data);
    CHECK_EQ(r.st[1], RS_SIGNAL_EVALUE);
    CHECK_STR_CONTAINS(r.msg[1], "signal number out of range");
}

/* ---- signals the OS refuses ------------------------------------------------------------ */

TEST(Extra_signal_uncatchable_refused) {
    static const int sigs[] = {SIGKILL, SIGSTOP, 32, 33};
    rs_signal_handler hs[] = {
        {RS_SIG_DFL, NULL, NULL},
        {RS_SIG_IGN, NULL, NULL},
        {RS_SIGNAL_HANDLER_CALLBACK, record_cb, NULL},
    };
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
        int s = sigs[i];
        rs_signal_handler before, after;
        CHECK_OK(rs_signal_getsignal(s, &before));
        CHECK_EQ(before.kind, (s == 32 || s == 33) ? RS_SIGNAL_HANDLER_FOREIGN : RS_SIG_DFL);
        for (size_t j = 0; j < sizeof hs / sizeof hs[0]; j++) {
            CHECK_FAILS(rs_signal_signal(s, &hs[j], NULL), RS_SIGNAL_EOS, NULL);
            CHECK_EQ(harness_last_errno(), EINVAL);
            rs_signal_error e;
            rs_signal_last_error(&e);
            CHECK_EQ(e.signum, s);
            CHECK_OK(rs_signal_getsignal(s, &after));
            CHECK_EQ(after.kind, before.kind);
            CHECK(after.callback == NULL);
        }
    }
    CHECK(os_is(SIGKILL, SIG_DFL));
    CHECK(os_is(SIGSTOP, SIG_DFL));
}

/* ---- the initial table --------------------------------------- */

TEST(Extra_initial_table_matches_os) {
    /* Dispositions set before the library's first use. */
    os_set(SIGUSR1, foreign_handler);
    os_set(SIGUSR2, SIG_IGN);
    os_set(SIGTERM, SIG_DFL);
    os_set(SIGINT, SIG_DFL);
    for (int s = 1; s < NSIG; s++) {
        rs_signal_handler h;
        CHECK_OK(rs_signal_getsignal(s, &h));
        int expected;
        if (os_reserved(s)) {
            expected = RS_SIGNAL_HANDLER_FOREIGN; /* sigaction query fails */
        } else {
            struct sigaction sa = os_action(s);
            expected = sa.sa_handler == SIG_DFL   ? RS_SIG_DFL
                       : sa.sa_handler == SIG_IGN ? RS_SIG_IGN
                                                  : RS_SIGNAL_HANDLER_FOREIGN;
        }
        if (h.kind != expected)
            harness_fail(__FILE__, __LINE__, "getsignal(%d) kind %d, expected %d", s, h.kind, expected);
        CHECK(h.callback == NULL);
    }
    rs_signal_handler h;
    CHECK_OK(rs_signal_getsignal(SIGUSR1, &h));
    CHECK_EQ(h.kind, RS_SIGNAL_HANDLER_FOREIGN);
    CHECK_OK(rs_signal_getsignal(SIGUSR2, &h));
    CHECK_EQ(h.kind, RS_SIG_IGN);
    CHECK_OK(rs_signal_getsignal(SIGKILL, &h));
    CHECK_EQ(h.kind, RS_SIG_DFL);
    /* Nothing installed behind the caller's back: SIGINT is plain DFL until
     * rs_signal_install_default_handlers(). */
    CHECK_OK(rs_signal_getsignal(SIGINT, &h));
    CHECK_EQ(h.kind, RS_SIG_DFL);
    CHECK(os_is(SIGINT, SIG_DFL));
    CHECK(os_is(SIGUSR1, foreign_handler));
}

TEST(Extra_initial_sigint_kept_ignored) {
    os_set(SIGINT, SIG_IGN); /* inherited ignored, e.g. `trap '' INT` */
    os_set(SIGPIPE, SIG_DFL);
    os_set(SIGXFSZ, SIG_DFL);
    CHECK_OK(rs_signal_install_default_handlers());
    rs_signal_handler h;
    CHECK_OK(rs_signal_getsignal(SIGINT, &h));
    CHECK_EQ(h.kind, RS_SIG_IGN);
    CHECK(os_is(SIGINT, SIG_IGN));
    CHECK_OK(rs_signal_getsignal(SIGPIPE, &h));
    CHECK_EQ(h.kind, RS_SIG_IGN);
    CHECK(os_is(SIGPIPE, SIG_IGN));
    CHECK_OK(rs_signal_getsignal(SIGXFSZ, &h));
    CHECK_EQ(h.kind, RS_SIG_IGN);
    CHECK(os_is(SIGXFSZ, SIG_IGN));
}

TEST(Extra_install_default_handlers) {
    os_set(SIGINT, SIG_DFL);
    os_set(SIGPIPE, SIG_DFL);
    os_set(SIGXFSZ, SIG_DFL);
    CHECK_OK(rs_signal_install_default_handlers());
    rs_signal_handler h;
    CHECK_OK(rs_signal_getsignal(SIGINT, &h));
    CHECK_EQ(h.kind, RS_SIGNAL_HANDLER_CALLBACK);
    CHECK(h.callback == rs_signal_default_int_handler);
    struct sigaction sa = os_action(SIGINT);
    CHECK(os_is_handler(SIGINT));
    CHECK(sa.sa_flags & SA_ONSTACK);
    CHECK(!(sa.sa_flags & SA_RESTART));
    CHECK(os_is(SIGPIPE, SIG_IGN));
    CHECK(os_is(SIGXFSZ, SIG_IGN));
    CHECK_OK(rs_signal_getsignal(SIGPIPE, &h));
    CHECK_EQ(h.kind, RS_SIG_IGN);
    CHECK_OK(rs_signal_getsignal(SIGXFSZ, &h));
    CHECK_EQ(h.kind, RS_SIG_IGN);
    /* Nothing else was touched. */
    CHECK(os_is(SIGTERM, SIG_DFL));
    CHECK(os_is(SIGUSR1, SIG_DFL));
    CHECK_FAILS(rs_signal_raise_signal(SIGINT), RS_SIGNAL_EKEYBOARDINTERRUPT, NULL);
}

TEST(Extra_install_default_handlers_keeps_foreign_sigint) {
    os_set(SIGINT, foreign_handler);
    CHECK_OK(rs_signal_install_default_handlers());
    rs_signal_handler h;
    CHECK_OK(rs_signal_getsignal(SIGINT, &h));
    CHECK_EQ(h.kind, RS_SIGNAL_HANDLER_FOREIGN);
    CHECK(os_is(SIGINT, foreign_handler));
}

/* ---- wakeup bytes ------------------------------------------------ */

TEST(Extra_wakeup_byte_per_arrival) {
    int p[2];
    nonblocking_pipe(p);
    install(SIGUSR1, record_cb);
    set_kind(SIGUSR2, RS_SIG_IGN);
    set_kind(SIGWINCH, RS_SIG_DFL);
    CHECK_OK(rs_signal_set_wakeup_fd(p[1], 1, NULL));
    unsigned char buf[16];

    /* Two arrivals before a dispatch point: two bytes, one call. */
    CHECK(kill(getpid(), SIGUSR1) == 0);
    CHECK(kill(getpid(), SIGUSR1) == 0);
    CHECK_EQ(drain_bytes(p[0], buf, 16), 2);
    CHECK_EQ(buf[0], SIGUSR1);
    CHECK_EQ(buf[1], SIGUSR1);
    CHECK_EQ(calls[SIGUSR1], 0);
    CHECK_OK(rs_signal_check());
    CHECK_EQ(calls[SIGUSR1], 1);
    CHECK_OK(rs_signal_check());
    CHECK_EQ(calls[SIGUSR1], 1);

    /* Ignored and default signals write nothing. */
    CHECK(kill(getpid(), SIGUSR2) == 0);
    CHECK(kill(getpid(), SIGWINCH) == 0);
    CHECK_OK(rs_signal_raise_signal(SIGUSR2));
    CHECK_OK(rs_signal_raise_signal(SIGWINCH));
    CHECK_EQ(drain_bytes(p[0], buf, 16), 0);
    CHECK_EQ(rs_signal_pending(), 0);

    /* set_interrupt writes the byte for a callback, nothing for IGN/DFL. */
    CHECK_OK(rs_signal_set_interrupt(SIGUSR1));
    CHECK_EQ(drain_bytes(p[0], buf, 16), 1);
    CHECK_EQ(buf[0], SIGUSR1);
    CHECK_OK(rs_signal_set_interrupt(SIGUSR2));
    CHECK_OK(rs_signal_set_interrupt(SIGWINCH));
    CHECK_EQ(drain_bytes(p[0], buf, 16), 0);
    CHECK_OK(rs_signal_check());
    CHECK_EQ(calls[SIGUSR1], 2);
}

/* Coalescing with the signal blocked: three arrivals while blocked are
 * one pending signal for the kernel (one byte); a real-time signal queues
 * (three bytes) but still runs its callback once. */
TEST(Extra_coalescing) {
#ifndef SIGRTMIN
    SKIP("SKIP LOUDLY: no real-time signals on this platform: queueing not tested");
#else
    int p[2];
    nonblocking_pipe(p);
    int rt = SIGRTMIN + 2;
    install(SIGUSR1, record_cb);
    install(rt, record_cb);
    CHECK_OK(rs_signal_set_wakeup_fd(p[1], 1, NULL));
    int sigs[] = {SIGUSR1, rt};
    os_block(sigs, 2, SIG_BLOCK);
    for (int i = 0; i < 3; i++) {
        CHECK(kill(getpid(), SIGUSR1) == 0);
        CHECK(kill(getpid(), rt) == 0);
    }
    rs_sigset both;
    CHECK_OK(rs_sigset_from_array(sigs, 2, &both));
    CHECK_OK(rs_signal_pthread_sigmask(RS_SIG_UNBLOCK, &both, NULL));
    CHECK_EQ(calls[SIGUSR1], 1);
    CHECK_EQ(calls[rt], 1);
    unsigned char buf[16];
    int n = drain_bytes(p[0], buf, 16);
    CHECK_EQ(n, 4);
    int n_usr1 = 0, n_rt = 0;
    for (int i = 0; i < n; i++) {
        n_usr1 += buf[i] == SIGUSR1;
        n_rt += buf[i] == rt;
    }
    CHECK_EQ(n_usr1, 1);
    CHECK_EQ(n_rt, 3);
#endif
}

/* ---- set_interrupt ------------------------------------------------ */

TEST(Extra_set_interrupt_before_first_use) {
    os_set(SIGUSR1, foreign_handler);
    /* Before the library's first use it does nothing (and validates). */
    CHECK_EQ(rs_signal_set_interrupt(SIGUSR1), 0);
    CHECK_EQ(rs_signal_set_interrupt(0), RS_SIGNAL_EVALUE);
    CHECK_EQ(rs_signal_pending_word, 0);
    struct hook_log log;
    hook_install(&log);
    CHECK_EQ(rs_signal_pending(), 0);
    CHECK_OK(rs_signal_check());
    CHECK_EQ(log.n, 0);
    CHECK_EQ(foreign_hits, 0);
    CHECK_EQ(rs_signal_last_error(NULL), 0);
}

TEST(Extra_set_interrupt_rules) {
    os_set(SIGHUP, foreign_handler); /* before first use: FOREIGN in the table */
    int p[2];
    nonblocking_pipe(p);
    struct hook_log log;
    hook_install(&log);
    install(SIGUSR1, record_cb);
    set_kind(SIGUSR2, RS_SIG_IGN);
    set_kind(SIGWINCH, RS_SIG_DFL);
    CHECK_OK(rs_signal_set_wakeup_fd(p[1], 1, NULL));
    rs_signal_handler h;
    CHECK_OK(rs_signal_getsignal(SIGHUP, &h));
    CHECK_EQ(h.kind, RS_SIGNAL_HANDLER_FOREIGN);

    /* Out of range: RS_SIGNAL_EVALUE, and the last error is left alone. */
    CHECK_FAILS(rs_signal_set_wakeup_fd(-5, 1, NULL), RS_SIGNAL_EOS, NULL);
    static const int bad[] = {0, -1, NSIG, 4242};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        CHECK_EQ(rs_signal_set_interrupt(bad[i]), RS_SIGNAL_EVALUE);
        CHECK_EQ(harness_last_status(), RS_SIGNAL_EOS);
        CHECK_EQ(harness_last_errno(), EBADF);
    }
    CHECK_EQ(rs_signal_pending(), 0);

    /* DFL and IGN: 0, nothing tripped, nothing written. */
    CHECK_EQ(rs_signal_set_interrupt(SIGUSR2), 0);
    CHECK_EQ(rs_signal_set_interrupt(SIGWINCH), 0);
    CHECK_EQ(rs_signal_pending(), 0);
    unsigned char buf[8];
    CHECK_EQ(drain_bytes(p[0], buf, 8), 0);
    CHECK_OK(rs_signal_check());
    CHECK_EQ(log.n, 0);

    /* A callback: tripped, byte written, run at the next dispatch point. */
    CHECK_EQ(rs_signal_set_interrupt(SIGUSR1), 0);
    CHECK_EQ(rs_signal_pending(), 1);
    CHECK_EQ(drain_bytes(p[0], buf, 8), 1);
    CHECK_EQ(buf[0], SIGUSR1);
    CHECK_OK(rs_signal_check());
    CHECK_EQ(calls[SIGUSR1], 1);

    /* FOREIGN (Python's None): tripped, then the race report. */
    CHECK_EQ(rs_signal_set_interrupt(SIGHUP), 0);
    CHECK_EQ(drain_bytes(p[0], buf, 8), 1);
    CHECK_EQ(buf[0], SIGHUP);
    CHECK_OK(rs_signal_check());
    CHECK_EQ(log.n, 1);
    CHECK_STR_CONTAINS(log.message[0], "Signal 1 ignored due to race condition");
    CHECK_EQ(log.signum[0], SIGHUP);
    CHECK_EQ(log.main_thread[0], 1);
    CHECK_EQ(foreign_hits, 0); /* the foreign handler itself is not called */
    CHECK(os_is(SIGHUP, foreign_handler));
}

static void *set_interrupt_thread(void *arg) {
    struct thread_result *r = arg;
    r->st[0] = rs_signal_set_interrupt(SIGUSR1);
    r->check = rs_signal_check();
    return NULL;
}
static void set_interrupt_from_handler(int signum) {
    (void)signum;
    rs_signal_set_interrupt(SIGALRM);
}

/* Callable from any thread and from a (foreign) signal handler. */
TEST(Extra_set_interrupt_from_thread_and_handler) {
    install(SIGUSR1, record_cb);
    install(SIGALRM, record_cb);
    struct thread_result r;
    run_thread(set_interrupt_thread, &r);
    CHECK_EQ(r.st[0], 0);
    CHECK_EQ(r.check, 0);
    CHECK_EQ(calls[SIGUSR1], 0);
    os_set(SIGUSR2, set_interrupt_from_handler); /* not through rssignal */
    CHECK(kill(getpid(), SIGUSR2) == 0);
    CHECK_EQ(rs_signal_pending(), 1);
    CHECK_OK(rs_signal_check());
    int expected[] = {SIGUSR1, SIGALRM};
    check_order(expected, 2);
}

/* ---- interrupt_occurred ----------------------------------------- */

TEST(Extra_interrupt_occurred_consumes_only_sigint) {
    install(SIGINT, record_cb);
    install(SIGUSR1, record_cb);
    CHECK_EQ(rs_signal_interrupt_occurred(), 0);
    CHECK_OK(rs_signal_set_interrupt(SIGINT));
    CHECK_OK(rs_signal_set_interrupt(SIGUSR1));
    struct thread_result r;
    run_thread(check_thread, &r); /* interrupt_occurred on a thread: 0 */
    CHECK_EQ(r.interrupt, 0);
    CHECK_EQ(rs_signal_interrupt_occurred(), 1);
    CHECK_EQ(rs_signal_interrupt_occurred(), 0);
    CHECK_EQ(rs_signal_pending(), 1); /* SIGUSR1 still waits */
    CHECK_OK(rs_signal_check());
    int expected[] = {SIGUSR1};
    check_order(expected, 1);
    CHECK_EQ(calls[SIGINT], 0);

    /* A real SIGINT is consumed the same way. */
    CHECK(kill(getpid(), SIGINT) == 0);
    CHECK_EQ(rs_signal_interrupt_occurred(), 1);
    CHECK_OK(rs_signal_check());
    CHECK_EQ(calls[SIGINT], 0);
    CHECK_EQ(rs_signal_pending(), 0);
}

/* ---- fork ----------------------------------------------------- */

static int child_data;

/* Child side: returns 0 or the number of the first failed step. */
static int fork_child_checks(int parent_wake_fd) {
    if (rs_signal_is_main_thread() != 1) return 2;
    if (rs_signal_pending() != 0) return 3;
    if (rs_signal_check() != 0) return 4;
    if (n_order != 0) return 5; /* the parent's pending flags were cleared */
    rs_signal_handler h;
    if (rs_signal_getsignal(SIGUSR1, &h) != 0 || h.kind != RS_SIGNAL_HANDLER_CALLBACK ||
        h.callback != record_cb || h.user_data != &child_data)
        return 6; /* handlers kept */
    int old = -7;
    if (rs_signal_set_wakeup_fd(parent_wake_fd, 1, &old) != 0 || old != parent_wake_fd)
        return 7; /* wakeup fd kept */
    if (rs_signal_raise_signal(SIGUSR1) != 0 || calls[SIGUSR1] != 1) return 8;
    return 0;
}

TEST(Extra_fork_child_pending_cleared) {
    int p[2];
    nonblocking_pipe(p);
    install_data(SIGUSR1, record_cb, &child_data);
    install(SIGUSR2, record_cb);
    CHECK_OK(rs_signal_set_wakeup_fd(p[1], 1, NULL));
    /* Trip both without a dispatch point: a real signal and set_interrupt. */
    CHECK(kill(getpid(), SIGUSR1) == 0);
    CHECK_OK(rs_signal_set_interrupt(SIGUSR2));
    CHECK_EQ(rs_signal_pending(), 1);
    fflush(NULL);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) _exit(fork_child_checks(p[1]));
    int status = 0;
    CHECK(wait_child(pid, &status, 10));
    CHECK(WIFEXITED(status));
    if (WEXITSTATUS(status) != 0)
        harness_fail(__FILE__, __LINE__, "child failed step %d (see fork_child_checks)",
                     WEXITSTATUS(status));
    /* The parent still runs what was pending, once each. */
    CHECK_EQ(rs_signal_pending(), 1);
    CHECK_OK(rs_signal_check());
    int expected[] = {SIGUSR1, SIGUSR2};
    check_order(expected, 2);
}

struct fork_thread {
    int thread_is_main;
    int child_status;
    int waited;
};

static int fork_thread_child(void) {
    if (rs_signal_is_main_thread() != 1) return 2;
    rs_signal_handler h = {RS_SIGNAL_HANDLER_CALLBACK, record_cb, NULL};
    if (rs_signal_signal(SIGUSR2, &h, NULL) != 0) return 3;
    int p[2];
    if (pipe2(p, O_NONBLOCK) != 0) return 4;
    if (rs_signal_set_wakeup_fd(p[1], 1, NULL) != 0) return 5;
    if (rs_signal_raise_signal(SIGUSR2) != 0 || calls[SIGUSR2] != 1) return 6;
    unsigned char b = 0;
    if (read(p[0], &b, 1) != 1 || b != SIGUSR2) return 7;
    return 0;
}

static void *forking_thread(void *arg) {
    struct fork_thread *f = arg;
    f->thread_is_main = rs_signal_is_main_thread();
    pid_t pid = fork();
    if (pid == 0) _exit(fork_thread_child());
    if (pid < 0) return NULL;
    f->waited = wait_child(pid, &f->child_status, 10);
    return NULL;
}

TEST(Extra_fork_from_thread_child_main) {
    CHECK_EQ(rs_signal_is_main_thread(), 1); /* initialise in the parent first */
    struct fork_thread f;
    memset(&f, 0, sizeof f);
    pthread_t t;
    fflush(NULL);
    CHECK(pthread_create(&t, NULL, forking_thread, &f) == 0);
    CHECK(pthread_join(t, NULL) == 0);
    CHECK_EQ(f.thread_is_main, 0);
    CHECK_EQ(f.waited, 1);
    CHECK(WIFEXITED(f.child_status));
    if (WEXITSTATUS(f.child_status) != 0)
        harness_fail(__FILE__, __LINE__, "child failed step %d (see fork_thread_child)",
                     WEXITSTATUS(f.child_status));
    CHECK_EQ(rs_signal_is_main_thread(), 1); /* the parent's main thread is unchanged */
}

/* ---- finalize ------------------------------------------------- */

TEST(Extra_finalize_resets_callbacks) {
    os_set(SIGHUP, foreign_handler); /* FOREIGN entry */
    os_set(SIGINT, SIG_DFL);
    CHECK_OK(rs_signal_install_default_handlers()); /* SIGINT -> INT, SIGPIPE/SIGXFSZ IGN */
    install(SIGUSR1, record_cb);
    set_kind(SIGUSR2, RS_SIG_IGN);
    set_kind(SIGTERM, RS_SIG_DFL);
    CHECK(os_is_handler(SIGUSR1));
    CHECK(os_is_handler(SIGINT));
    CHECK_OK(rs_signal_set_interrupt(SIGUSR1)); /* a pending flag, dropped */
    struct hook_log log;
    hook_install(&log);

    CHECK_OK(rs_signal_finalize());
    CHECK(os_is(SIGUSR1, SIG_DFL));
    CHECK(os_is(SIGINT, SIG_DFL));
    CHECK(os_is(SIGUSR2, SIG_IGN));
    CHECK(os_is(SIGTERM, SIG_DFL));
    CHECK(os_is(SIGHUP, foreign_handler));
    CHECK(os_is(SIGPIPE, SIG_IGN));
    CHECK(os_is(SIGXFSZ, SIG_IGN));
    CHECK_OK(rs_signal_check());
    CHECK_EQ(log.n, 0);
    CHECK_EQ(calls[SIGUSR1], 0);
    rs_signal_handler h;
    CHECK_OK(rs_signal_getsignal(SIGUSR1, &h));
    CHECK_EQ(h.kind, RS_SIGNAL_HANDLER_FOREIGN); /* table cleared */
    /* Afterwards set_interrupt trips any signal, even a formerly ignored one,
     * and dispatch reports the race (gh-102397 scenario). */
    CHECK_EQ(rs_signal_set_interrupt(SIGUSR2), 0);
    CHECK_OK(rs_signal_check());
    CHECK_EQ(log.n, 1);
    CHECK_STR_CONTAINS(log.message[0], "Signal 12 ignored due to race condition");
    CHECK_EQ(log.signum[0], SIGUSR2);
}

/* ---- dispatch algorithm (CPython's _PyErr_CheckSignalsTstate) ------------------------------------------------- */

/* Both ends of the real-time range as the platform numbers it (glibc: 34,
 * musl: 35), the top one two below SIGRTMAX: qemu-user cannot deliver a
 * guest's SIGRTMAX and SIGRTMAX-1. */
static int scan_sigs[6];
#define N_SCAN 6

static int by_value(const void *a, const void *b) { return *(const int *)a - *(const int *)b; }

static void scan_init(void) {
#ifdef SIGRTMIN
    const int sigs[N_SCAN] = {SIGHUP, SIGUSR1, SIGUSR2, SIGALRM, SIGRTMIN, SIGRTMAX - 2};
#else
    const int sigs[N_SCAN] = {SIGHUP, SIGUSR1, SIGUSR2, SIGALRM, SIGURG, SIGWINCH};
#endif
    memcpy(scan_sigs, sigs, sizeof sigs);
    qsort(scan_sigs, N_SCAN, sizeof scan_sigs[0], by_value); /* ascending on every platform */
}

static void make_all_pending(void) {
    os_block(scan_sigs, N_SCAN, SIG_BLOCK);
    const int arrival[N_SCAN] = {scan_sigs[5], scan_sigs[3], scan_sigs[2], scan_sigs[4], scan_sigs[0], scan_sigs[1]};
    for (int i = 0; i < N_SCAN; i++) CHECK(kill(getpid(), arrival[i]) == 0);
    CHECK_EQ(n_order, 0);
}

TEST(Extra_dispatch_ascending_order) {
    scan_init();
    for (int i = 0; i < N_SCAN; i++) install(scan_sigs[i], record_cb);
    make_all_pending();
    rs_sigset set;
    CHECK_OK(rs_sigset_from_array(scan_sigs, N_SCAN, &set));
    CHECK_OK(rs_signal_pthread_sigmask(RS_SIG_UNBLOCK, &set, NULL));
    check_order(scan_sigs, N_SCAN); /* ascending, not arrival order */
}

TEST(Extra_raising_callback_stops_scan) {
    static int raise_value = 7;
    scan_init();
    for (int i = 0; i < N_SCAN; i++) install(scan_sigs[i], record_cb);
    install_data(SIGUSR1, raising_cb, &raise_value);
    make_all_pending();
    rs_sigset set;
    CHECK_OK(rs_sigset_from_array(scan_sigs, N_SCAN, &set));
    CHECK_EQ(rs_signal_pthread_sigmask(RS_SIG_UNBLOCK, &set, NULL), RS_SIGNAL_EHANDLER);
    rs_signal_error e;
    CHECK_EQ(rs_signal_last_error(&e), RS_SIGNAL_EHANDLER);
    CHECK_EQ(e.signum, SIGUSR1);
    CHECK_EQ(e.handler_result, 7);
    int first[] = {SIGHUP, SIGUSR1};
    check_order(first, 2);
    for (int i = 0; i < N_SCAN; i++) CHECK(!os_blocked(scan_sigs[i])); /* mask applied anyway */
    /* The rest run at the next dispatch point. */
    CHECK_EQ(rs_signal_pending(), 1);
    raise_value = 0;
    CHECK_OK(rs_signal_check());
    check_order(scan_sigs, N_SCAN);
    CHECK_EQ(rs_signal_pending(), 0);
}

TEST(Extra_negative_callback_status_returned) {
    static int raise_value = RS_SIGNAL_EUSER - 3;
    install_data(SIGUSR1, raising_cb, &raise_value);
    CHECK_EQ(rs_signal_raise_signal(SIGUSR1), RS_SIGNAL_EUSER - 3);
    rs_signal_error e;
    CHECK_EQ(rs_signal_last_error(&e), RS_SIGNAL_EUSER - 3);
    CHECK_EQ(e.signum, SIGUSR1);
    CHECK_EQ(e.handler_result, RS_SIGNAL_EUSER - 3);
    CHECK(strcmp(rs_signal_status_name(RS_SIGNAL_EUSER - 3), "RS_SIGNAL_EUSER") == 0);
}

/* signal() runs pending callbacks with the old table first; if
 * one raises, signal() returns its status and changes nothing. */
TEST(Extra_signal_dispatches_pending_with_old_table) {
    static int raise_value = 3;
    install(SIGUSR1, record_cb);
    CHECK_OK(rs_signal_set_interrupt(SIGUSR1));
    rs_signal_handler ign = {RS_SIG_IGN, NULL, NULL}, old;
    CHECK_OK(rs_signal_signal(SIGUSR1, &ign, &old));
    CHECK_EQ(calls[SIGUSR1], 1); /* ran with the old (callback) entry, no race report */
    CHECK(old.callback == record_cb);

    install_data(SIGUSR2, raising_cb, &raise_value);
    CHECK_OK(rs_signal_set_interrupt(SIGUSR2));
    rs_signal_handler dfl = {RS_SIG_DFL, NULL, NULL};
    CHECK_EQ(rs_signal_signal(SIGUSR1, &dfl, NULL), RS_SIGNAL_EHANDLER);
    rs_signal_handler h;
    CHECK_OK(rs_signal_getsignal(SIGUSR1, &h));
    CHECK_EQ(h.kind, RS_SIG_IGN); /* unchanged */
    CHECK(os_is(SIGUSR1, SIG_IGN));
    CHECK_EQ(calls[SIGUSR2], 1);
    CHECK_OK(rs_signal_signal(SIGUSR1, &dfl, NULL));
    CHECK(os_is(SIGUSR1, SIG_DFL));
}

/* Callbacks may call any rs_signal function: change their own handler,
 * raise other signals (nested dispatch) and dispatch recursively. */
static int reentrant_depth;
static int second_cb(int signum, void *data) {
    (void)data;
    if (n_order < 64) order[n_order++] = 100 + signum;
    return 0;
}
static int reentrant_cb(int signum, void *data) {
    (void)data;
    if (n_order < 64) order[n_order++] = signum;
    reentrant_depth++;
    rs_signal_handler next = {RS_SIGNAL_HANDLER_CALLBACK, second_cb, NULL};
    if (rs_signal_signal(SIGUSR1, &next, NULL) != 0) return 50;
    if (rs_signal_raise_signal(SIGUSR1) != 0) return 51; /* runs second_cb now */
    if (rs_signal_raise_signal(SIGUSR2) != 0) return 52; /* runs record_cb now */
    if (kill(getpid(), SIGHUP) != 0) return 53;
    if (rs_signal_check() != 0) return 54; /* recursive dispatch */
    if (n_order < 64) order[n_order++] = -signum;
    return 0;
}

TEST(Extra_callback_reentrancy) {
    install(SIGUSR1, reentrant_cb);
    install(SIGUSR2, record_cb);
    install(SIGHUP, record_cb);
    CHECK_OK(rs_signal_raise_signal(SIGUSR1));
    int expected[] = {SIGUSR1, 100 + SIGUSR1, SIGUSR2, SIGHUP, -SIGUSR1};
    check_order(expected, 5);
    CHECK_EQ(reentrant_depth, 1);
    rs_signal_handler h;
    CHECK_OK(rs_signal_getsignal(SIGUSR1, &h));
    CHECK(h.callback == second_cb);
    CHECK_OK(rs_signal_raise_signal(SIGUSR1));
    CHECK_EQ(order[5], 100 + SIGUSR1);
    CHECK_EQ(rs_signal_pending(), 0);
}

/* How a callback is installed: as CPython's PyOS_setsig, SA_ONSTACK only (no
 * SA_RESTART, SA_SIGINFO, SA_NODEFER, SA_RESETHAND) and an empty mask. */
TEST(Extra_callback_sigaction_flags) {
    install(SIGUSR1, record_cb);
    struct sigaction sa = os_action(SIGUSR1);
    CHECK(os_is_handler(SIGUSR1));
    CHECK(sa.sa_flags & SA_ONSTACK);
    CHECK(!(sa.sa_flags & SA_RESTART));
    CHECK(!(sa.sa_flags & SA_RESETHAND));
    CHECK(!(sa.sa_flags & SA_NODEFER));
    for (int s = 1; s < NSIG; s++)
        if (s != 32 && s != 33) CHECK(!sigismember(&sa.sa_mask, s));
}

/* The global flag is cleared before the scan, so a dispatch point
 * reached inside a callback does not run the signals still waiting in the
 * outer scan. Here SIGHUP's callback sets SIGUSR1 (tripped, not yet scanned)
 * to SIG_IGN: rs_signal_signal's own dispatch finds nothing to do, and the
 * outer scan then meets a tripped signal without a callback: the race report,
 * not the old callback. */
static int ignore_usr1_cb(int signum, void *data) {
    (void)data;
    if (n_order < 64) order[n_order++] = signum;
    rs_signal_handler ign = {RS_SIG_IGN, NULL, NULL};
    return rs_signal_signal(SIGUSR1, &ign, NULL) == 0 ? 0 : 60;
}

TEST(Extra_race_report_when_handler_changed_during_dispatch) {
    struct hook_log log;
    hook_install(&log);
    install(SIGHUP, ignore_usr1_cb);
    install(SIGUSR1, record_cb);
    CHECK_OK(rs_signal_set_interrupt(SIGUSR1));
    CHECK_OK(rs_signal_set_interrupt(SIGHUP));
    CHECK_OK(rs_signal_check());
    int expected[] = {SIGHUP};
    check_order(expected, 1);
    CHECK_EQ(calls[SIGUSR1], 0);
    CHECK_EQ(log.n, 1);
    CHECK_STR_CONTAINS(log.message[0], "Signal 10 ignored due to race condition");
    CHECK_EQ(log.signum[0], SIGUSR1);
    CHECK(os_is(SIGUSR1, SIG_IGN));
    CHECK_EQ(rs_signal_pending(), 0);
}

/* Beyond CPython: rs_signal_set_main_thread moves the main-thread
 * role: the new main thread may call signal() and runs the callbacks; the
 * initial thread then gets the "only works in main thread" error and its
 * dispatch points do nothing. */
static void *become_main_thread(void *arg) {
    struct thread_result *r = arg;
    r->st[0] = rs_signal_set_main_thread();
    r->is_main = rs_signal_is_main_thread();
    rs_signal_handler h = {RS_SIGNAL_HANDLER_CALLBACK, record_cb, NULL};
    save_error(r, 1, rs_signal_signal(SIGUSR2, &h, NULL));
    r->st[2] = rs_signal_set_interrupt(SIGUSR2);
    r->pending = rs_signal_pending();
    r->check = rs_signal_check();
    r->st[3] = calls[SIGUSR2];
    r->st[4] = rs_signal_set_interrupt(SIGUSR2); /* left for the old main thread */
    return NULL;
}

TEST(Extra_set_main_thread) {
    CHECK_EQ(rs_signal_is_main_thread(), 1);
    struct thread_result r;
    run_thread(become_main_thread, &r);
    CHECK_EQ(r.st[0], RS_SIGNAL_OK);
    CHECK_EQ(r.is_main, 1);
    CHECK_EQ(r.st[1], RS_SIGNAL_OK);
    CHECK_EQ(r.st[2], 0);
    CHECK_EQ(r.pending, 1);
    CHECK_EQ(r.check, RS_SIGNAL_OK);
    CHECK_EQ(r.st[3], 1);
    CHECK_EQ(rs_signal_is_main_thread(), 0);
    CHECK_EQ(rs_signal_check(), 0);
    CHECK_EQ(calls[SIGUSR2], 1);
    rs_signal_handler h = {RS_SIGNAL_HANDLER_CALLBACK, record_cb, NULL};
    CHECK_FAILS(rs_signal_signal(SIGUSR1, &h, NULL), RS_SIGNAL_EVALUE,
                "signal only works in main thread");
    /* Taking the role back makes the initial thread dispatch again. */
    CHECK_OK(rs_signal_set_main_thread());
    CHECK_EQ(rs_signal_is_main_thread(), 1);
    CHECK_OK(rs_signal_check());
    CHECK_EQ(calls[SIGUSR2], 2);
}
