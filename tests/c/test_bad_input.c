/* Bad input for every function of the C API, checked in CPython's order
 * (calling thread, then range, then what the OS refuses).
 *
 * Every bad call is checked for its status, the calling thread's last error
 * (status, message, os_errno, signum, handler_result) and for leaving the
 * world alone: each OS disposition (sigaction query), the library's table
 * (rs_signal_getsignal), the thread's mask and the pending signals, the three
 * itimers, the wakeup fd (rs_signal_set_wakeup_fd(-1, 1, &old) must give back
 * the pipe set before), and the dispatch state (nothing pending was run).
 *
 * The world used: SIGUSR1 and SIGHUP have callbacks, SIGUSR2 is ignored,
 * SIGWINCH is blocked and pending (so a wait that wrongly accepted bad input
 * would consume it instead of hanging), SIGRTMIN+1 is blocked, every itimer is
 * armed for 1000 s with a 500 s interval, the wakeup fd is a pipe. */
#include <float.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#ifdef __linux__
#include <sys/syscall.h>
#endif
#include <sys/time.h>

#include "util_slow.h"

#define ANY_SIG INT_MIN /* expected signum not checked */

static const int out_of_range[] = {0, -1, RS_NSIG, 4242, INT_MIN, INT_MAX};
#define N_OUT_OF_RANGE (int)(sizeof out_of_range / sizeof out_of_range[0])
static const int refused[] = {32, 33, RS_SIGKILL, RS_SIGSTOP};
#define N_REFUSED (int)(sizeof refused / sizeof refused[0])

static volatile int cb_calls;
static int cb_data_usr1, cb_data_hup;

static int world_cb(int signum, void *data) {
    (void)signum;
    (void)data;
    cb_calls++;
    return 0;
}

static int raising_world_cb(int signum, void *data) {
    (void)signum;
    (void)data;
    cb_calls++;
    return 7;
}

struct world {
    int act_ok[RS_NSIG];
    struct sigaction act[RS_NSIG];
    rs_signal_handler table[RS_NSIG];
    sigset_t mask;
    sigset_t os_pending;
    struct itimerval it[3];
    int wake_r, wake_w;
    int pending;
    int calls;
};

static struct world W;

static void world_snapshot(struct world *w) {
    for (int s = 1; s < RS_NSIG; s++) {
        memset(&w->act[s], 0, sizeof w->act[s]);
        w->act_ok[s] = sigaction(s, NULL, &w->act[s]) == 0;
        CHECK_OK(rs_signal_getsignal(s, &w->table[s]));
    }
    w->mask = us_thread_mask();
    sigemptyset(&w->os_pending);
    CHECK(sigpending(&w->os_pending) == 0);
    for (int i = 0; i < 3; i++) CHECK(getitimer(i, &w->it[i]) == 0);
    w->pending = rs_signal_pending();
    w->calls = cb_calls;
}

static void world_init(void) {
    int p[2];
    us_pipe_nb(p);
    W.wake_r = p[0];
    W.wake_w = p[1];
    CHECK_OK(rs_signal_set_wakeup_fd(W.wake_w, 1, NULL));
    us_set_callback(RS_SIGUSR1, world_cb, &cb_data_usr1);
    us_set_callback(RS_SIGHUP, world_cb, &cb_data_hup);
    rs_signal_handler ign = {RS_SIG_IGN, NULL, NULL};
    CHECK_OK(rs_signal_signal(RS_SIGUSR2, &ign, NULL));
    us_os_block(SIGWINCH, 1);
#ifdef SIGRTMIN
    us_os_block(SIGRTMIN + 1, 1);
#endif
    CHECK(kill(getpid(), SIGWINCH) == 0);
    CHECK(us_os_pending(SIGWINCH));
    struct itimerval it = {{500, 0}, {1000, 0}};
    for (int i = 0; i < 3; i++) CHECK(setitimer(i, &it, NULL) == 0);
    world_snapshot(&W);
}

static int same_sigset(const sigset_t *a, const sigset_t *b) {
    for (int s = 1; s < RS_NSIG; s++)
        if (sigismember(a, s) != sigismember(b, s)) return 0;
    return 1;
}

static double tv_seconds(struct timeval tv) { return (double)tv.tv_sec + (double)tv.tv_usec / 1e6; }

#define WFAIL(line, ...) harness_fail(__FILE__, line, __VA_ARGS__)

static void world_check_at(int line) {
    struct world now;
    for (int s = 1; s < RS_NSIG; s++) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        int ok = sigaction(s, NULL, &sa) == 0;
        if (ok != W.act_ok[s]) WFAIL(line, "signal %d: sigaction query changed", s);
        if (ok && (sa.sa_handler != W.act[s].sa_handler || sa.sa_flags != W.act[s].sa_flags ||
                   !same_sigset(&sa.sa_mask, &W.act[s].sa_mask)))
            WFAIL(line, "signal %d: OS disposition changed (handler %p -> %p, flags %#x -> %#x)", s,
                  (void *)(uintptr_t)W.act[s].sa_handler, (void *)(uintptr_t)sa.sa_handler,
                  (unsigned)W.act[s].sa_flags, (unsigned)sa.sa_flags);
        rs_signal_handler h;
        int r = rs_signal_getsignal(s, &h);
        if (r != RS_SIGNAL_OK) WFAIL(line, "getsignal(%d) returned %d", s, r);
        if (h.kind != W.table[s].kind || h.callback != W.table[s].callback ||
            h.user_data != W.table[s].user_data)
            WFAIL(line, "signal %d: table entry changed (kind %d -> %d)", s, W.table[s].kind, h.kind);
    }
    now.mask = us_thread_mask();
    if (!same_sigset(&now.mask, &W.mask)) WFAIL(line, "the thread's signal mask changed");
    sigemptyset(&now.os_pending);
    CHECK(sigpending(&now.os_pending) == 0);
    if (!same_sigset(&now.os_pending, &W.os_pending)) WFAIL(line, "the pending signals changed");
    for (int i = 0; i < 3; i++) {
        struct itimerval it;
        CHECK(getitimer(i, &it) == 0);
        double was = tv_seconds(W.it[i].it_value), is = tv_seconds(it.it_value);
        if (tv_seconds(it.it_interval) != tv_seconds(W.it[i].it_interval) || is > was + 1e-6 ||
            is < was - 60.0)
            WFAIL(line, "itimer %d changed: (%.6f, %.6f) -> (%.6f, %.6f)", i, was,
                  tv_seconds(W.it[i].it_interval), is, tv_seconds(it.it_interval));
    }
    if (rs_signal_pending() != W.pending)
        WFAIL(line, "rs_signal_pending() changed %d -> %d", W.pending, rs_signal_pending());
    if (cb_calls != W.calls) WFAIL(line, "a callback ran (%d -> %d calls)", W.calls, cb_calls);
    int old = -2;
    int r = rs_signal_set_wakeup_fd(-1, 1, &old);
    if (r != RS_SIGNAL_OK) WFAIL(line, "set_wakeup_fd(-1) returned %d", r);
    if (old != W.wake_w) WFAIL(line, "wakeup fd changed: %d -> %d", W.wake_w, old);
    r = rs_signal_set_wakeup_fd(W.wake_w, 1, NULL);
    if (r != RS_SIGNAL_OK) WFAIL(line, "set_wakeup_fd(%d) returned %d", W.wake_w, r);
}

/* The last error of the calling thread is (status, os_errno, signum) with a
 * message equal to `msg` (NULL: any non-empty message; "~text": containing
 * text). */
static void last_error_is_at(int line, const char *what, int status, int os_errno, int signum,
                             const char *msg) {
    rs_signal_error e;
    memset(&e, 0, sizeof e);
    int r = rs_signal_last_error(&e);
    if (r != status || e.status != status)
        WFAIL(line, "%s: last error status %d/%d, expected %d (%s)", what, r, e.status, status,
              e.message ? e.message : "(null)");
    if (rs_signal_last_error(NULL) != status)
        WFAIL(line, "%s: rs_signal_last_error(NULL) != %d", what, status);
    if (e.os_errno != os_errno)
        WFAIL(line, "%s: os_errno %d, expected %d (%s)", what, e.os_errno, os_errno,
              e.message ? e.message : "(null)");
    if (signum != ANY_SIG && e.signum != signum)
        WFAIL(line, "%s: signum %d, expected %d", what, e.signum, signum);
    if (e.handler_result != 0) WFAIL(line, "%s: handler_result %d", what, e.handler_result);
    if (e.message == NULL || e.message[0] == 0) WFAIL(line, "%s: empty message", what);
    if (msg && msg[0] == '~' && strstr(e.message, msg + 1) == NULL)
        WFAIL(line, "%s: message \"%s\" does not contain \"%s\"", what, e.message, msg + 1);
    if (msg && msg[0] != '~' && strcmp(e.message, msg) != 0)
        WFAIL(line, "%s: message \"%s\", expected \"%s\"", what, e.message, msg);
}

static void bad_at(int line, const char *what, int r, int status, int os_errno, int signum,
                   const char *msg) {
    if (r != status) WFAIL(line, "%s returned %d, expected %d (last error: %s)", what, r, status,
                           harness_last_message());
    last_error_is_at(line, what, status, os_errno, signum, msg);
    world_check_at(line);
}

/* BAD(call, status, os_errno, signum, message) */
#define BAD(call, st, err, sig, msg) bad_at(__LINE__, #call, (call), (st), (err), (sig), (msg))
#define BADN(what, call, st, err, sig, msg) bad_at(__LINE__, what, (call), (st), (err), (sig), (msg))

static char what_buf[256];
static const char *what_n(const char *fmt, long long n) {
    snprintf(what_buf, sizeof what_buf, fmt, n);
    return what_buf;
}

static rs_sigset bad_set(int n);
static const char *set_msg(int n);

#define RANGE_MSG "signal number out of range"
#define HANDLER_MSG "signal handler must be RS_SIG_IGN, RS_SIG_DFL, or a callback"
#define NAN_MSG "Invalid value NaN (not a number)"
#define OVERFLOW_MSG "timestamp out of range for platform time_t"

/* ---- last error, status names ---------------------------------------------- */

TEST(BadInput_last_error_before_any_failure) {
    rs_signal_error e;
    memset(&e, 0x5a, sizeof e);
    CHECK_EQ(rs_signal_last_error(NULL), 0);
    CHECK_EQ(rs_signal_last_error(&e), 0);
    CHECK_EQ(e.status, 0);
    CHECK_EQ(e.os_errno, 0);
    CHECK_EQ(e.signum, 0);
    CHECK_EQ(e.handler_result, 0);
    CHECK(e.message != NULL && e.message[0] == 0);
}

TEST(BadInput_last_error_null_returns_status) {
    CHECK_EQ(rs_signal_getsignal(0, NULL) < 0, 1);
    int st = rs_signal_last_error(NULL);
    CHECK(st == RS_SIGNAL_EVALUE || st == RS_SIGNAL_ETYPE);
    CHECK_EQ(rs_signal_setitimer(-1, 0, 0, NULL), RS_SIGNAL_EITIMER);
    CHECK_EQ(rs_signal_last_error(NULL), RS_SIGNAL_EITIMER);
    CHECK_EQ(rs_signal_strsignal(RS_SIGINT, NULL), RS_SIGNAL_ETYPE);
    CHECK_EQ(rs_signal_last_error(NULL), RS_SIGNAL_ETYPE);
}

/* Success leaves the last error alone (like errno): same status, same
 * message text and the same message pointer. */
TEST(BadInput_success_leaves_last_error) {
    CHECK_FAILS(rs_signal_signal(4242, NULL, NULL), RS_SIGNAL_EVALUE, RANGE_MSG);
    rs_signal_error before;
    rs_signal_last_error(&before);
    char text[256];
    snprintf(text, sizeof text, "%s", before.message);

    rs_signal_handler h = {RS_SIGNAL_HANDLER_CALLBACK, world_cb, NULL}, got;
    rs_sigset set = us_set0(), old = us_set0();
    rs_signal_itimer_value itv;
    const char *desc;
    int p[2], fd, n;
    us_pipe_nb(p);
    CHECK_OK(rs_signal_signal(RS_SIGUSR1, &h, NULL));
    CHECK_OK(rs_signal_getsignal(RS_SIGUSR1, &got));
    CHECK_OK(rs_signal_raise_signal(RS_SIGUSR1));
    CHECK_EQ(cb_calls, 1);
    CHECK_OK(rs_signal_raise_signal(0));
    CHECK_OK(rs_signal_strsignal(RS_SIGINT, &desc));
    CHECK_OK(rs_signal_valid_signals(&set));
    CHECK_OK(rs_sigset_empty(&set));
    CHECK_OK(rs_sigset_add(&set, RS_SIGUSR2));
    CHECK_EQ(rs_sigset_contains(&set, RS_SIGUSR2), 1);
    CHECK_OK(rs_signal_pthread_sigmask(RS_SIG_BLOCK, &set, &old));
    CHECK_OK(rs_signal_pthread_sigmask(RS_SIG_SETMASK, &old, NULL));
    CHECK_OK(rs_signal_setitimer(RS_ITIMER_REAL, 0, 0, &itv));
    CHECK_OK(rs_signal_getitimer(RS_ITIMER_REAL, &itv));
    CHECK_OK(rs_signal_set_wakeup_fd(p[1], 1, &fd));
    CHECK_OK(rs_signal_set_wakeup_fd(-1, 1, &fd));
    CHECK_OK(rs_signal_siginterrupt(RS_SIGUSR1, 1));
    CHECK_OK(rs_signal_sigpending(&set));
    CHECK_OK(rs_signal_check());
    CHECK_OK(rs_signal_from_name("SIGINT", &n));
    CHECK_OK(rs_signal_constant_at(0, &desc, &n));
    CHECK_OK(rs_sigset_from_array(NULL, 0, &set));
    CHECK_OK(rs_signal_getsignal(RS_SIGUSR1, &got));
    CHECK_OK(rs_signal_set_wakeup_fd(-1, 1, NULL));

    rs_signal_error after;
    rs_signal_last_error(&after);
    CHECK_EQ(after.status, RS_SIGNAL_EVALUE);
    CHECK_EQ(after.signum, before.signum);
    CHECK_EQ(after.os_errno, before.os_errno);
    CHECK(after.message == before.message);
    CHECK(strcmp(after.message, text) == 0);
}

struct status_row {
    int status;
    const char *name;
    const char *exception; /* NULL: any non-empty text */
};

TEST(BadInput_status_name_and_exception) {
    static const struct status_row rows[] = {
        {RS_SIGNAL_OK, "RS_SIGNAL_OK", ""},
        {RS_SIGNAL_TIMEOUT, "RS_SIGNAL_TIMEOUT", ""},
        {RS_SIGNAL_EVALUE, "RS_SIGNAL_EVALUE", "ValueError"},
        {RS_SIGNAL_EOS, "RS_SIGNAL_EOS", "OSError"},
        {RS_SIGNAL_EITIMER, "RS_SIGNAL_EITIMER", "ItimerError"},
        {RS_SIGNAL_ETYPE, "RS_SIGNAL_ETYPE", "TypeError"},
        {RS_SIGNAL_EOVERFLOW, "RS_SIGNAL_EOVERFLOW", "OverflowError"},
        {RS_SIGNAL_EHANDLER, "RS_SIGNAL_EHANDLER", NULL},
        {RS_SIGNAL_EKEYBOARDINTERRUPT, "RS_SIGNAL_EKEYBOARDINTERRUPT", "KeyboardInterrupt"},
        {RS_SIGNAL_EUNSUPPORTED, "RS_SIGNAL_EUNSUPPORTED", NULL},
        {RS_SIGNAL_EINTERNAL, "RS_SIGNAL_EINTERNAL", NULL},
        {RS_SIGNAL_EUSER, "RS_SIGNAL_EUSER", NULL},
        {-1234, "RS_SIGNAL_EUSER", NULL},
        {INT_MIN, "RS_SIGNAL_EUSER", NULL},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        const char *name = rs_signal_status_name(rows[i].status);
        const char *exc = rs_signal_status_exception(rows[i].status);
        if (name == NULL || strcmp(name, rows[i].name) != 0)
            harness_fail(__FILE__, __LINE__, "status_name(%d) = %s, expected %s", rows[i].status,
                         name ? name : "(null)", rows[i].name);
        if (exc == NULL)
            harness_fail(__FILE__, __LINE__, "status_exception(%d) = NULL", rows[i].status);
        if (rows[i].exception ? strcmp(exc, rows[i].exception) != 0 : exc[0] == 0)
            harness_fail(__FILE__, __LINE__, "status_exception(%d) = \"%s\", expected \"%s\"",
                         rows[i].status, exc, rows[i].exception ? rows[i].exception : "(non-empty)");
    }
    /* values that are no status */
    static const int unknown[] = {2, 3, 42, -10, -11, -999, INT_MAX};
    for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
        if (rs_signal_status_name(unknown[i]) != NULL)
            harness_fail(__FILE__, __LINE__, "status_name(%d) = \"%s\", expected NULL", unknown[i],
                         rs_signal_status_name(unknown[i]));
        if (rs_signal_status_exception(unknown[i]) != NULL)
            harness_fail(__FILE__, __LINE__, "status_exception(%d) = \"%s\", expected NULL",
                         unknown[i], rs_signal_status_exception(unknown[i]));
    }
    /* none of this is a failing call */
    CHECK_EQ(rs_signal_last_error(NULL), 0);
}

/* ---- rs_signal_signal ------------------------------------------------------- */

TEST(BadInput_signal_out_of_range) {
    world_init();
    rs_signal_handler hs[] = {{RS_SIG_DFL, NULL, NULL},
                              {RS_SIG_IGN, NULL, NULL},
                              {RS_SIGNAL_HANDLER_CALLBACK, world_cb, NULL}};
    for (int i = 0; i < N_OUT_OF_RANGE; i++) {
        int n = out_of_range[i];
        rs_signal_handler old = {77, NULL, NULL};
        for (int k = 0; k < 3; k++)
            BADN(what_n("rs_signal_signal(%lld, valid handler)", n), rs_signal_signal(n, &hs[k], &old),
                 RS_SIGNAL_EVALUE, 0, n, RANGE_MSG);
        /* the range is checked before the handler */
        BADN(what_n("rs_signal_signal(%lld, NULL)", n), rs_signal_signal(n, NULL, NULL),
             RS_SIGNAL_EVALUE, 0, n, RANGE_MSG);
        rs_signal_handler bad = {4, NULL, NULL};
        BADN(what_n("rs_signal_signal(%lld, kind 4)", n), rs_signal_signal(n, &bad, NULL),
             RS_SIGNAL_EVALUE, 0, n, RANGE_MSG);
    }
}

/* 32, 33 (glibc's), SIGKILL and SIGSTOP: the OS refuses → OSError(EINVAL). */
TEST(BadInput_signal_refused_by_os) {
    world_init();
    rs_signal_handler hs[] = {{RS_SIG_DFL, NULL, NULL},
                              {RS_SIG_IGN, NULL, NULL},
                              {RS_SIGNAL_HANDLER_CALLBACK, world_cb, NULL}};
    for (int i = 0; i < N_REFUSED; i++)
        for (int k = 0; k < 3; k++)
            BADN(what_n("rs_signal_signal(%lld, handler)", refused[i]),
                 rs_signal_signal(refused[i], &hs[k], NULL), RS_SIGNAL_EOS, EINVAL, refused[i], NULL);
}

TEST(BadInput_signal_null_handler) {
    world_init();
    rs_signal_handler old;
    BAD(rs_signal_signal(RS_SIGUSR1, NULL, &old), RS_SIGNAL_ETYPE, 0, ANY_SIG,
        "handler must not be NULL");
    BAD(rs_signal_signal(RS_SIGUSR2, NULL, NULL), RS_SIGNAL_ETYPE, 0, ANY_SIG,
        "handler must not be NULL");
    BAD(rs_signal_signal(RS_SIGINT, NULL, NULL), RS_SIGNAL_ETYPE, 0, ANY_SIG,
        "handler must not be NULL");
    /* handler validity comes before the OS refusing */
    BAD(rs_signal_signal(RS_SIGKILL, NULL, NULL), RS_SIGNAL_ETYPE, 0, ANY_SIG,
        "handler must not be NULL");
}

TEST(BadInput_signal_malformed_handler) {
    world_init();
    rs_signal_handler bad[] = {
        {RS_SIGNAL_HANDLER_FOREIGN, NULL, NULL},
        {RS_SIGNAL_HANDLER_FOREIGN, world_cb, NULL},
        {4, NULL, NULL},
        {4, world_cb, NULL},
        {-1, NULL, NULL},
        {-1, world_cb, NULL},
        {INT_MAX, world_cb, NULL},
        {INT_MIN, NULL, NULL},
        {RS_SIGNAL_HANDLER_CALLBACK, NULL, NULL},
        {RS_SIGNAL_HANDLER_CALLBACK, NULL, &cb_data_usr1},
    };
    const int sigs[] = {RS_SIGUSR1, RS_SIGUSR2, RS_SIGTERM, RS_SIGKILL, 33};
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++)
        for (size_t s = 0; s < sizeof sigs / sizeof sigs[0]; s++) {
            char what[128];
            snprintf(what, sizeof what, "rs_signal_signal(%d, {kind %d, cb %s})", sigs[s], bad[k].kind,
                     bad[k].callback ? "set" : "NULL");
            rs_signal_handler old;
            BADN(what, rs_signal_signal(sigs[s], &bad[k], &old), RS_SIGNAL_ETYPE, 0, ANY_SIG,
                 HANDLER_MSG);
        }
}

/* Check order: range and handler validity come before the pending dispatch,
 * which comes before sigaction: a tripped callback must not run for the first
 * two, and must run (with the old table) before the OS refuses SIGKILL. A
 * raising pending callback makes signal() fail with nothing changed. */
TEST(BadInput_signal_check_order_and_pending_dispatch) {
    world_init();
    CHECK_OK(rs_signal_set_interrupt(RS_SIGUSR1));
    us_drain(W.wake_r);
    world_snapshot(&W);
    CHECK_EQ(W.pending, 1);
    rs_signal_handler ign = {RS_SIG_IGN, NULL, NULL}, bad = {4, world_cb, NULL};
    BAD(rs_signal_signal(0, &ign, NULL), RS_SIGNAL_EVALUE, 0, 0, RANGE_MSG);
    BAD(rs_signal_signal(RS_SIGUSR2, &bad, NULL), RS_SIGNAL_ETYPE, 0, ANY_SIG, HANDLER_MSG);
    BAD(rs_signal_signal(RS_SIGUSR2, NULL, NULL), RS_SIGNAL_ETYPE, 0, ANY_SIG,
        "handler must not be NULL");
    CHECK_EQ(cb_calls, 0);
    /* SIGKILL: the pending callback runs first, then the OS refuses */
    CHECK_FAILS(rs_signal_signal(RS_SIGKILL, &ign, NULL), RS_SIGNAL_EOS, NULL);
    CHECK_EQ(harness_last_errno(), EINVAL);
    CHECK_EQ(cb_calls, 1);
    CHECK_EQ(rs_signal_pending(), 0);
    world_snapshot(&W);
    world_check_at(__LINE__);

    /* a raising pending callback: signal() returns its status, changes nothing */
    us_set_callback(RS_SIGHUP, raising_world_cb, &cb_data_hup);
    CHECK_OK(rs_signal_set_interrupt(RS_SIGHUP));
    us_drain(W.wake_r);
    world_snapshot(&W);
    W.calls++; /* the callback is expected to run once */
    W.pending = 1; /* and the global flag is set again after a raise */
    int r = rs_signal_signal(RS_SIGUSR2, &ign, NULL);
    CHECK_EQ(r, RS_SIGNAL_EHANDLER);
    rs_signal_error e;
    rs_signal_last_error(&e);
    CHECK_EQ(e.status, RS_SIGNAL_EHANDLER);
    CHECK_EQ(e.signum, RS_SIGHUP);
    CHECK_EQ(e.handler_result, 7);
    if (rs_signal_pending() == 0) W.pending = 0; /* spurious-flag freedom: either is fine */
    world_check_at(__LINE__);
}

struct thread_call {
    int which;
    int result;
    rs_signal_error err;
    char message[256];
    int calls_before, calls_after;
};

static void *non_main_thread(void *arg) {
    struct thread_call *c = arg;
    rs_signal_handler ign = {RS_SIG_IGN, NULL, NULL};
    rs_signal_handler cb = {RS_SIGNAL_HANDLER_CALLBACK, world_cb, NULL};
    rs_signal_handler bad = {4, NULL, NULL};
    int old = -2;
    c->calls_before = cb_calls;
    switch (c->which) {
    case 0: c->result = rs_signal_signal(RS_SIGUSR1, &ign, NULL); break;
    case 1: c->result = rs_signal_signal(RS_SIGTERM, &cb, NULL); break;
    case 2: c->result = rs_signal_signal(4242, &ign, NULL); break;
    case 3: c->result = rs_signal_signal(RS_SIGUSR1, NULL, NULL); break;
    case 4: c->result = rs_signal_signal(RS_SIGUSR1, &bad, NULL); break;
    case 5: c->result = rs_signal_signal(RS_SIGKILL, &ign, NULL); break;
    case 6: c->result = rs_signal_set_wakeup_fd(-1, 1, &old); break;
    case 7: c->result = rs_signal_set_wakeup_fd(W.wake_r, 1, &old); break;
    case 8: c->result = rs_signal_set_wakeup_fd(-5, 1, &old); break;
    case 9: c->result = rs_signal_install_default_handlers(); break;
    case 10: { /* no thread check: these work from any thread */
        rs_signal_handler h;
        c->result = rs_signal_getsignal(RS_SIGUSR1, &h);
        if (c->result == RS_SIGNAL_OK && (h.kind != RS_SIGNAL_HANDLER_CALLBACK || h.user_data != &cb_data_usr1))
            c->result = -99;
        if (c->result == RS_SIGNAL_OK) c->result = rs_signal_siginterrupt(RS_SIGUSR1, 1);
        break;
    }
    }
    c->calls_after = cb_calls;
    rs_signal_last_error(&c->err);
    snprintf(c->message, sizeof c->message, "%s", c->err.message ? c->err.message : "(null)");
    return NULL;
}

/* signal, set_wakeup_fd and install_default_handlers from another thread:
 * ValueError "... only works in main thread of the main interpreter", checked
 * before anything else (even for 4242, a NULL handler, SIGKILL, -5), with a
 * pending callback that must not run, and the main thread's own last error
 * untouched. */
TEST(BadInput_non_main_thread) {
    world_init();
    CHECK_OK(rs_signal_set_interrupt(RS_SIGUSR1));
    us_drain(W.wake_r);
    rs_signal_itimer_value v;
    CHECK_FAILS(rs_signal_getitimer(-1, &v), RS_SIGNAL_EITIMER, NULL);
    world_snapshot(&W);
    rs_signal_error mine;
    rs_signal_last_error(&mine);
    static const char *const expect[] = {
        "signal only works in main thread of the main interpreter",
        "signal only works in main thread of the main interpreter",
        "signal only works in main thread of the main interpreter",
        "signal only works in main thread of the main interpreter",
        "signal only works in main thread of the main interpreter",
        "signal only works in main thread of the main interpreter",
        "set_wakeup_fd only works in main thread of the main interpreter",
        "set_wakeup_fd only works in main thread of the main interpreter",
        "set_wakeup_fd only works in main thread of the main interpreter",
        "~only works in main thread",
    };
    for (int which = 0; which < 10; which++) {
        struct thread_call c;
        memset(&c, 0, sizeof c);
        c.which = which;
        pthread_t t;
        CHECK(pthread_create(&t, NULL, non_main_thread, &c) == 0);
        CHECK(pthread_join(t, NULL) == 0);
        const char *msg = expect[which];
        if (c.result != RS_SIGNAL_EVALUE || c.err.status != RS_SIGNAL_EVALUE)
            harness_fail(__FILE__, __LINE__, "call %d from a thread returned %d (last error %d: %s)",
                         which, c.result, c.err.status, c.message);
        if (msg[0] == '~' ? strstr(c.message, msg + 1) == NULL : strcmp(c.message, msg) != 0)
            harness_fail(__FILE__, __LINE__, "call %d: message \"%s\", expected \"%s\"", which,
                         c.message, msg);
        CHECK_EQ(c.err.os_errno, 0);
        CHECK_EQ(c.calls_after, c.calls_before);
        /* the main thread's last error is its own */
        rs_signal_error now;
        rs_signal_last_error(&now);
        CHECK_EQ(now.status, RS_SIGNAL_EITIMER);
        CHECK(now.message == mine.message);
        world_check_at(__LINE__);
    }
    struct thread_call c;
    memset(&c, 0, sizeof c);
    c.which = 10;
    pthread_t t;
    CHECK(pthread_create(&t, NULL, non_main_thread, &c) == 0);
    CHECK(pthread_join(t, NULL) == 0);
    if (c.result != RS_SIGNAL_OK)
        harness_fail(__FILE__, __LINE__, "getsignal/siginterrupt from a thread returned %d: %s",
                     c.result, c.message);
    world_check_at(__LINE__);
}

struct dispatch_call {
    int check_result, occurred_result, calls_before, calls_after, main;
};

static void *dispatch_from_thread(void *arg) {
    struct dispatch_call *c = arg;
    c->calls_before = cb_calls;
    c->main = rs_signal_is_main_thread();
    c->check_result = rs_signal_check();
    c->occurred_result = rs_signal_interrupt_occurred();
    c->calls_after = cb_calls;
    return NULL;
}

/* Dispatch points on another thread: rs_signal_check() returns 0 and touches
 * nothing (the tripped flags stay for the main thread), and
 * rs_signal_interrupt_occurred() returns 0 without consuming SIGINT's flag. */
TEST(BadInput_dispatch_from_non_main_thread) {
    world_init();
    us_set_callback(RS_SIGINT, world_cb, NULL);
    CHECK_OK(rs_signal_set_interrupt(RS_SIGUSR1));
    CHECK_OK(rs_signal_set_interrupt(RS_SIGINT));
    us_drain(W.wake_r);
    world_snapshot(&W);
    CHECK_EQ(W.pending, 1);
    struct dispatch_call c;
    memset(&c, 0, sizeof c);
    pthread_t t;
    CHECK(pthread_create(&t, NULL, dispatch_from_thread, &c) == 0);
    CHECK(pthread_join(t, NULL) == 0);
    CHECK_EQ(c.main, 0);
    CHECK_EQ(c.check_result, 0);
    CHECK_EQ(c.occurred_result, 0);
    CHECK_EQ(c.calls_after, c.calls_before);
    CHECK_EQ(rs_signal_last_error(NULL), 0);
    world_check_at(__LINE__);
    /* the main thread still gets both */
    CHECK_OK(rs_signal_check());
    CHECK_EQ(cb_calls, W.calls + 2);
}

/* The functions that dispatch after their system call (pthread_sigmask,
 * pthread_kill, raise_signal, the EINTR path of the waits) return early on
 * bad input, as CPython does: a tripped callback must not run. */
TEST(BadInput_failing_dispatch_points_do_not_dispatch) {
    world_init();
    CHECK_OK(rs_signal_set_interrupt(RS_SIGUSR1));
    us_drain(W.wake_r);
    world_snapshot(&W);
    CHECK_EQ(W.pending, 1);
    rs_sigset ok = us_set1(RS_SIGUSR2), zero = bad_set(0), winch = us_set1(RS_SIGWINCH);
    rs_signal_siginfo info;
    BAD(rs_signal_pthread_sigmask(1700, &ok, NULL), RS_SIGNAL_EOS, EINVAL, 0, NULL);
    BAD(rs_signal_pthread_sigmask(RS_SIG_BLOCK, &zero, NULL), RS_SIGNAL_EVALUE, 0, 0, set_msg(0));
    BAD(rs_signal_pthread_sigmask(RS_SIG_BLOCK, NULL, NULL), RS_SIGNAL_ETYPE, 0, ANY_SIG,
        "mask must not be NULL");
    BAD(rs_signal_pthread_kill(0, RS_SIGUSR2), RS_SIGNAL_EOS, ESRCH, ANY_SIG, NULL);
    BAD(rs_signal_pthread_kill(rs_signal_thread_id(), 4242), RS_SIGNAL_EOS, EINVAL, ANY_SIG, NULL);
    BAD(rs_signal_raise_signal(-1), RS_SIGNAL_EOS, EINVAL, -1, NULL);
    BAD(rs_signal_raise_signal(4242), RS_SIGNAL_EOS, EINVAL, 4242, NULL);
    BAD(rs_signal_sigwaitinfo(&zero, &info), RS_SIGNAL_EVALUE, 0, 0, set_msg(0));
    BAD(rs_signal_sigtimedwait(&winch, -1.0, &info), RS_SIGNAL_EVALUE, 0, 0,
        "timeout must be non-negative");
    BAD(rs_signal_sigtimedwait(&winch, NAN, &info), RS_SIGNAL_EVALUE, 0, 0, NAN_MSG);
    int got = -7;
    BAD(rs_signal_sigwait(&zero, &got), RS_SIGNAL_EVALUE, 0, 0, set_msg(0));
    /* the main thread's next dispatch point runs it */
    CHECK_OK(rs_signal_check());
    CHECK_EQ(cb_calls, W.calls + 1);
}

/* ---- getsignal, strsignal, valid_signals, raise_signal ---------------------- */

TEST(BadInput_getsignal) {
    world_init();
    for (int i = 0; i < N_OUT_OF_RANGE; i++) {
        rs_signal_handler out = {99, world_cb, &cb_data_usr1};
        BADN(what_n("rs_signal_getsignal(%lld, &out)", out_of_range[i]),
             rs_signal_getsignal(out_of_range[i], &out), RS_SIGNAL_EVALUE, 0, out_of_range[i],
             RANGE_MSG);
    }
    BAD(rs_signal_getsignal(RS_SIGUSR1, NULL), RS_SIGNAL_ETYPE, 0, ANY_SIG, "out must not be NULL");
    BAD(rs_signal_getsignal(33, NULL), RS_SIGNAL_ETYPE, 0, ANY_SIG, "out must not be NULL");
}

TEST(BadInput_strsignal) {
    world_init();
    for (int i = 0; i < N_OUT_OF_RANGE; i++) {
        const char *d = "untouched";
        BADN(what_n("rs_signal_strsignal(%lld, &d)", out_of_range[i]),
             rs_signal_strsignal(out_of_range[i], &d), RS_SIGNAL_EVALUE, 0, out_of_range[i],
             RANGE_MSG);
    }
    BAD(rs_signal_strsignal(RS_SIGINT, NULL), RS_SIGNAL_ETYPE, 0, ANY_SIG,
        "description must not be NULL");
}

TEST(BadInput_valid_signals) {
    world_init();
    BAD(rs_signal_valid_signals(NULL), RS_SIGNAL_ETYPE, 0, ANY_SIG, "out must not be NULL");
}

/* raise_signal: no range check, the OS refuses (EINVAL); 0 succeeds. (32/33
 * are not sent: glibc's raise() would deliver its own internal signals.) */
TEST(BadInput_raise_signal) {
    world_init();
    const int bad[] = {-1, RS_NSIG, 4242, INT_MIN, INT_MAX, 128};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        BADN(what_n("rs_signal_raise_signal(%lld)", bad[i]), rs_signal_raise_signal(bad[i]),
             RS_SIGNAL_EOS, EINVAL, bad[i], NULL);
    CHECK_OK(rs_signal_raise_signal(0));
    world_check_at(__LINE__);
}

/* ---- pidfd_send_signal, pthread_kill ---------------------------------------- */

TEST(BadInput_pidfd_send_signal) {
    world_init();
    int r = rs_signal_pidfd_send_signal(-1, RS_SIGUSR2, NULL, 0);
    if (r == RS_SIGNAL_EUNSUPPORTED) {
        CHECK_EQ(harness_last_errno(), ENOSYS);
        SKIP("kernel does not support pidfds (pidfd_send_signal: ENOSYS)");
    }
    if (r == RS_SIGNAL_EOS && harness_last_errno() == EPERM)
        SKIP("pidfd_send_signal not permitted here (EPERM)");
    int pidfd = -1;
#ifdef SYS_pidfd_open
    pidfd = (int)syscall(SYS_pidfd_open, getpid(), 0);
#endif
    if (pidfd < 0) {
        char path[64];
        snprintf(path, sizeof path, "/proc/%ld", (long)getpid());
        pidfd = open(path, O_DIRECTORY | O_RDONLY | O_CLOEXEC);
    }
    if (pidfd < 0) SKIP("cannot open a pidfd for this process");
    int closed = dup(0);
    CHECK(closed >= 0);
    close(closed);
    int marker = 0;
    /* siginfo is checked first, before the system call */
    BAD(rs_signal_pidfd_send_signal(pidfd, RS_SIGUSR1, &marker, 0), RS_SIGNAL_ETYPE, 0, ANY_SIG,
        "siginfo must be NULL");
    BAD(rs_signal_pidfd_send_signal(-1, 4242, &marker, 99), RS_SIGNAL_ETYPE, 0, ANY_SIG,
        "siginfo must be NULL");
    BAD(rs_signal_pidfd_send_signal(-1, RS_SIGUSR1, NULL, 0), RS_SIGNAL_EOS, EBADF, ANY_SIG, NULL);
    BAD(rs_signal_pidfd_send_signal(closed, RS_SIGUSR1, NULL, 0), RS_SIGNAL_EOS, EBADF, ANY_SIG, NULL);
    BAD(rs_signal_pidfd_send_signal(W.wake_r, RS_SIGUSR1, NULL, 0), RS_SIGNAL_EOS, EBADF, ANY_SIG,
        NULL);
    BAD(rs_signal_pidfd_send_signal(INT_MIN, RS_SIGUSR1, NULL, 0), RS_SIGNAL_EOS, EBADF, ANY_SIG,
        NULL);
    const int bad_sigs[] = {-1, RS_NSIG, 4242, INT_MIN, INT_MAX};
    for (size_t i = 0; i < sizeof bad_sigs / sizeof bad_sigs[0]; i++)
        BADN(what_n("rs_signal_pidfd_send_signal(pidfd, %lld, NULL, 0)", bad_sigs[i]),
             rs_signal_pidfd_send_signal(pidfd, bad_sigs[i], NULL, 0), RS_SIGNAL_EOS, EINVAL,
             bad_sigs[i], NULL);
    BAD(rs_signal_pidfd_send_signal(pidfd, RS_SIGUSR1, NULL, 0x40000000u), RS_SIGNAL_EOS, EINVAL,
        ANY_SIG, NULL);
    BAD(rs_signal_pidfd_send_signal(pidfd, RS_SIGUSR1, NULL, 0xffffffffu), RS_SIGNAL_EOS, EINVAL,
        ANY_SIG, NULL);
    close(pidfd);
}

TEST(BadInput_pthread_kill) {
    world_init();
    uint64_t me = rs_signal_thread_id();
    BAD(rs_signal_pthread_kill(0, RS_SIGUSR1), RS_SIGNAL_EOS, ESRCH, ANY_SIG, NULL);
    BAD(rs_signal_pthread_kill(0, 0), RS_SIGNAL_EOS, ESRCH, ANY_SIG, NULL);
    /* glibc also refuses its reserved 32 and 33; musl sends them. */
#ifdef __GLIBC__
    const int bad[] = {-1, RS_NSIG, 4242, INT_MIN, INT_MAX, 32, 33};
#else
    const int bad[] = {-1, RS_NSIG, 4242, INT_MIN, INT_MAX};
#endif
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        BADN(what_n("rs_signal_pthread_kill(me, %lld)", bad[i]), rs_signal_pthread_kill(me, bad[i]),
             RS_SIGNAL_EOS, EINVAL, bad[i], NULL);
    CHECK_OK(rs_signal_pthread_kill(me, 0)); /* existence check */
    world_check_at(__LINE__);
}

/* ---- pthread_sigmask and the other set users ------------------------------- */

static rs_sigset bad_set(int n) {
    rs_sigset s = us_set1(RS_SIGWINCH);
    s.bits[n / 64] |= (uint64_t)1 << (n % 64);
    return s;
}

static const int bad_bits[] = {0, 65, 66, 100, 127};
#define N_BAD_BITS (int)(sizeof bad_bits / sizeof bad_bits[0])

static const char *set_msg(int n) {
    static char m[64];
    snprintf(m, sizeof m, "signal number %d out of range [1; 64]", n);
    return m;
}

TEST(BadInput_pthread_sigmask) {
    world_init();
    rs_sigset ok = us_set1(RS_SIGUSR2), old = us_set0();
    const int hows[] = {1700, -1, 3, INT_MAX, INT_MIN};
    for (size_t i = 0; i < sizeof hows / sizeof hows[0]; i++)
        BADN(what_n("rs_signal_pthread_sigmask(%lld, {SIGUSR2}, &old)", hows[i]),
             rs_signal_pthread_sigmask(hows[i], &ok, &old), RS_SIGNAL_EOS, EINVAL, 0, NULL);
    const int good_hows[] = {RS_SIG_BLOCK, RS_SIG_UNBLOCK, RS_SIG_SETMASK};
    for (size_t i = 0; i < 3; i++) {
        BADN(what_n("rs_signal_pthread_sigmask(%lld, NULL, &old)", good_hows[i]),
             rs_signal_pthread_sigmask(good_hows[i], NULL, &old), RS_SIGNAL_ETYPE, 0, ANY_SIG,
             "mask must not be NULL");
        for (int b = 0; b < N_BAD_BITS; b++) {
            rs_sigset s = bad_set(bad_bits[b]);
            BADN(what_n("rs_signal_pthread_sigmask(how, {SIGWINCH, %lld})", bad_bits[b]),
                 rs_signal_pthread_sigmask(good_hows[i], &s, &old), RS_SIGNAL_EVALUE, 0, bad_bits[b],
                 set_msg(bad_bits[b]));
        }
    }
    /* the set is converted before `how` reaches the OS */
    rs_sigset zero = bad_set(0);
    BAD(rs_signal_pthread_sigmask(1700, &zero, &old), RS_SIGNAL_EVALUE, 0, 0, set_msg(0));
    /* the lowest bad member is reported */
    rs_sigset two = bad_set(100);
    two.bits[1] |= (uint64_t)1 << 2; /* 66 */
    BAD(rs_signal_pthread_sigmask(RS_SIG_BLOCK, &two, NULL), RS_SIGNAL_EVALUE, 0, 66, set_msg(66));
}

TEST(BadInput_sigpending) {
    world_init();
    BAD(rs_signal_sigpending(NULL), RS_SIGNAL_ETYPE, 0, ANY_SIG, "out must not be NULL");
}

/* The waits: with SIGWINCH blocked and pending, a wait that wrongly accepted
 * the call would consume it (the world check sees that) instead of hanging. */
TEST(BadInput_sigwait) {
    world_init();
    rs_sigset winch = us_set1(RS_SIGWINCH);
    int got = -7;
    BAD(rs_signal_sigwait(NULL, &got), RS_SIGNAL_ETYPE, 0, ANY_SIG, "set must not be NULL");
    BAD(rs_signal_sigwait(&winch, NULL), RS_SIGNAL_ETYPE, 0, ANY_SIG, "signum must not be NULL");
    for (int b = 0; b < N_BAD_BITS; b++) {
        rs_sigset s = bad_set(bad_bits[b]);
        BADN(what_n("rs_signal_sigwait({SIGWINCH, %lld}, &got)", bad_bits[b]),
             rs_signal_sigwait(&s, &got), RS_SIGNAL_EVALUE, 0, bad_bits[b], set_msg(bad_bits[b]));
    }
    CHECK_EQ(got, -7);
}

TEST(BadInput_sigwaitinfo) {
    world_init();
    rs_sigset winch = us_set1(RS_SIGWINCH);
    rs_signal_siginfo info;
    BAD(rs_signal_sigwaitinfo(NULL, &info), RS_SIGNAL_ETYPE, 0, ANY_SIG, "set must not be NULL");
    BAD(rs_signal_sigwaitinfo(&winch, NULL), RS_SIGNAL_ETYPE, 0, ANY_SIG, "info must not be NULL");
    for (int b = 0; b < N_BAD_BITS; b++) {
        rs_sigset s = bad_set(bad_bits[b]);
        BADN(what_n("rs_signal_sigwaitinfo({SIGWINCH, %lld}, &info)", bad_bits[b]),
             rs_signal_sigwaitinfo(&s, &info), RS_SIGNAL_EVALUE, 0, bad_bits[b], set_msg(bad_bits[b]));
    }
}

TEST(BadInput_sigtimedwait) {
    world_init();
    rs_sigset winch = us_set1(RS_SIGWINCH);
    rs_signal_siginfo info;
    BAD(rs_signal_sigtimedwait(NULL, 0.0, &info), RS_SIGNAL_ETYPE, 0, ANY_SIG, "set must not be NULL");
    BAD(rs_signal_sigtimedwait(&winch, 0.0, NULL), RS_SIGNAL_ETYPE, 0, ANY_SIG,
        "info must not be NULL");
    for (int b = 0; b < N_BAD_BITS; b++) {
        rs_sigset s = bad_set(bad_bits[b]);
        BADN(what_n("rs_signal_sigtimedwait({SIGWINCH, %lld}, 0.0, &info)", bad_bits[b]),
             rs_signal_sigtimedwait(&s, 0.0, &info), RS_SIGNAL_EVALUE, 0, bad_bits[b],
             set_msg(bad_bits[b]));
    }
    /* negative: ValueError before any system call */
    const double negative[] = {-1.0, -1e-9, -0.5, -1e6};
    for (size_t i = 0; i < sizeof negative / sizeof negative[0]; i++)
        BAD(rs_signal_sigtimedwait(&winch, negative[i], &info), RS_SIGNAL_EVALUE, 0, 0,
            "timeout must be non-negative");
    BAD(rs_signal_sigtimedwait(&winch, NAN, &info), RS_SIGNAL_EVALUE, 0, 0, NAN_MSG);
    BAD(rs_signal_sigtimedwait(&winch, -NAN, &info), RS_SIGNAL_EVALUE, 0, 0, NAN_MSG);
    const double huge[] = {INFINITY, -INFINITY, 1e300, -1e300, 1e10, DBL_MAX};
    for (size_t i = 0; i < sizeof huge / sizeof huge[0]; i++)
        BAD(rs_signal_sigtimedwait(&winch, huge[i], &info), RS_SIGNAL_EOVERFLOW, 0, 0, OVERFLOW_MSG);
    /* the set is converted first (3.12 clinic order) */
    rs_sigset zero = bad_set(0);
    BAD(rs_signal_sigtimedwait(&zero, -1.0, &info), RS_SIGNAL_EVALUE, 0, 0, set_msg(0));
    BAD(rs_signal_sigtimedwait(&zero, NAN, &info), RS_SIGNAL_EVALUE, 0, 0, set_msg(0));
    /* the boundary is no error: -0.0 polls (and takes the pending SIGWINCH) */
    memset(&info, 0, sizeof info);
    CHECK_OK(rs_signal_sigtimedwait(&winch, -0.0, &info));
    CHECK_EQ(info.signo, RS_SIGWINCH);
    CHECK_EQ(rs_signal_sigtimedwait(&winch, 0.0, &info), RS_SIGNAL_TIMEOUT);
    CHECK_EQ(rs_signal_sigtimedwait(&winch, 1e-10, &info), RS_SIGNAL_TIMEOUT);
}

/* ---- itimers ---------------------------------------------------------------- */

TEST(BadInput_setitimer) {
    world_init();
    rs_signal_itimer_value old = {-3, -3};
    const int bad_which[] = {-1, 3, 99, INT_MIN, INT_MAX};
    for (size_t i = 0; i < sizeof bad_which / sizeof bad_which[0]; i++) {
        BADN(what_n("rs_signal_setitimer(%lld, 0, 0, &old)", bad_which[i]),
             rs_signal_setitimer(bad_which[i], 0.0, 0.0, &old), RS_SIGNAL_EITIMER, EINVAL, 0, NULL);
        BADN(what_n("rs_signal_setitimer(%lld, 1, 0, NULL)", bad_which[i]),
             rs_signal_setitimer(bad_which[i], 1.0, 0.0, NULL), RS_SIGNAL_EITIMER, EINVAL, 0, NULL);
    }
    for (int which = 0; which < 3; which++) {
        /* negative times: the OS refuses (EINVAL) */
        BAD(rs_signal_setitimer(which, -1.0, 0.0, &old), RS_SIGNAL_EITIMER, EINVAL, 0, NULL);
        BAD(rs_signal_setitimer(which, 1.0, -1.0, &old), RS_SIGNAL_EITIMER, EINVAL, 0, NULL);
        BAD(rs_signal_setitimer(which, -5.5, -5.5, NULL), RS_SIGNAL_EITIMER, EINVAL, 0, NULL);
        /* NaN: ValueError */
        BAD(rs_signal_setitimer(which, NAN, 0.0, &old), RS_SIGNAL_EVALUE, 0, 0, NAN_MSG);
        BAD(rs_signal_setitimer(which, 1.0, NAN, &old), RS_SIGNAL_EVALUE, 0, 0, NAN_MSG);
        BAD(rs_signal_setitimer(which, -NAN, -NAN, NULL), RS_SIGNAL_EVALUE, 0, 0, NAN_MSG);
        /* too large (or too small) for the platform: OverflowError */
        const double huge[] = {INFINITY, -INFINITY, 1e300, -1e300, 1e10, DBL_MAX, -DBL_MAX};
        for (size_t i = 0; i < sizeof huge / sizeof huge[0]; i++) {
            BAD(rs_signal_setitimer(which, huge[i], 0.0, &old), RS_SIGNAL_EOVERFLOW, 0, 0,
                OVERFLOW_MSG);
            BAD(rs_signal_setitimer(which, 1.0, huge[i], &old), RS_SIGNAL_EOVERFLOW, 0, 0,
                OVERFLOW_MSG);
        }
    }
    /* the times are converted before the OS sees `which` */
    BAD(rs_signal_setitimer(-1, NAN, 0.0, NULL), RS_SIGNAL_EVALUE, 0, 0, NAN_MSG);
    BAD(rs_signal_setitimer(-1, INFINITY, 0.0, NULL), RS_SIGNAL_EOVERFLOW, 0, 0, OVERFLOW_MSG);
    /* the boundary is no error: -0.0 disarms, and the old setting comes back */
    CHECK_OK(rs_signal_setitimer(RS_ITIMER_REAL, -0.0, -0.0, &old));
    CHECK(old.delay > 900.0 && old.delay <= 1000.0);
    CHECK(old.interval == 500.0);
    rs_signal_itimer_value now;
    CHECK_OK(rs_signal_getitimer(RS_ITIMER_REAL, &now));
    CHECK(now.delay == 0.0 && now.interval == 0.0);
}

TEST(BadInput_getitimer) {
    world_init();
    rs_signal_itimer_value v;
    const int bad_which[] = {-1, 3, 99, INT_MIN, INT_MAX};
    for (size_t i = 0; i < sizeof bad_which / sizeof bad_which[0]; i++)
        BADN(what_n("rs_signal_getitimer(%lld, &v)", bad_which[i]),
             rs_signal_getitimer(bad_which[i], &v), RS_SIGNAL_EITIMER, EINVAL, 0, NULL);
    for (int which = 0; which < 3; which++)
        BAD(rs_signal_getitimer(which, NULL), RS_SIGNAL_ETYPE, 0, ANY_SIG, "out must not be NULL");
}

/* ---- set_wakeup_fd, siginterrupt, install_default_handlers ------------------- */

TEST(BadInput_set_wakeup_fd) {
    world_init();
    int closed = dup(0);
    CHECK(closed >= 0);
    close(closed);
    int old = -7;
    BAD(rs_signal_set_wakeup_fd(closed, 1, &old), RS_SIGNAL_EOS, EBADF, 0, NULL);
    BAD(rs_signal_set_wakeup_fd(-5, 1, &old), RS_SIGNAL_EOS, EBADF, 0, NULL);
    BAD(rs_signal_set_wakeup_fd(-2, 0, &old), RS_SIGNAL_EOS, EBADF, 0, NULL);
    BAD(rs_signal_set_wakeup_fd(INT_MIN, 1, NULL), RS_SIGNAL_EOS, EBADF, 0, NULL);
    BAD(rs_signal_set_wakeup_fd(INT_MAX, 1, NULL), RS_SIGNAL_EOS, EBADF, 0, NULL);
    int p[2];
    CHECK(pipe(p) == 0); /* blocking */
    char msg[64];
    snprintf(msg, sizeof msg, "the fd %d must be in non-blocking mode", p[1]);
    BAD(rs_signal_set_wakeup_fd(p[1], 1, &old), RS_SIGNAL_EVALUE, 0, 0, msg);
    snprintf(msg, sizeof msg, "the fd %d must be in non-blocking mode", p[0]);
    BAD(rs_signal_set_wakeup_fd(p[0], 0, &old), RS_SIGNAL_EVALUE, 0, 0, msg);
    CHECK_EQ(old, -7);
}

TEST(BadInput_siginterrupt) {
    world_init();
    for (int i = 0; i < N_OUT_OF_RANGE; i++)
        for (int flag = 0; flag < 2; flag++)
            BADN(what_n("rs_signal_siginterrupt(%lld, flag)", out_of_range[i]),
                 rs_signal_siginterrupt(out_of_range[i], flag), RS_SIGNAL_EVALUE, 0, out_of_range[i],
                 RANGE_MSG);
    for (int i = 0; i < N_REFUSED; i++)
        for (int flag = 0; flag < 2; flag++)
            BADN(what_n("rs_signal_siginterrupt(%lld, flag)", refused[i]),
                 rs_signal_siginterrupt(refused[i], flag), RS_SIGNAL_EOS, EINVAL, refused[i], NULL);
}

/* ---- set_interrupt: out of range → RS_SIGNAL_EVALUE, never sets the last error */

TEST(BadInput_set_interrupt) {
    world_init();
    rs_signal_itimer_value v;
    CHECK_FAILS(rs_signal_getitimer(-1, &v), RS_SIGNAL_EITIMER, NULL);
    rs_signal_error before;
    rs_signal_last_error(&before);
    for (int i = 0; i < N_OUT_OF_RANGE; i++) {
        int r = rs_signal_set_interrupt(out_of_range[i]);
        if (r != RS_SIGNAL_EVALUE)
            harness_fail(__FILE__, __LINE__, "set_interrupt(%d) returned %d", out_of_range[i], r);
        rs_signal_error e;
        rs_signal_last_error(&e);
        CHECK_EQ(e.status, RS_SIGNAL_EITIMER);
        CHECK(e.message == before.message);
        world_check_at(__LINE__);
    }
    unsigned char b;
    CHECK(read(W.wake_r, &b, 1) < 0 && errno == EAGAIN); /* no wakeup byte either */
}

/* ---- names and constants ---------------------------------------------------- */

TEST(BadInput_from_name) {
    world_init();
    int n = -7;
    BAD(rs_signal_from_name(NULL, &n), RS_SIGNAL_ETYPE, 0, ANY_SIG, "name must not be NULL");
    BAD(rs_signal_from_name("SIGINT", NULL), RS_SIGNAL_ETYPE, 0, ANY_SIG, "signum must not be NULL");
    const char *unknown[] = {"", "SIGFOO", "INT", "SIGINT ", " SIGINT", "SIGRTMIN+31",
                             "SIGRTMAX+1", "SIGRTMIN-1", "SIG", "SIGKILLX"};
    for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
        char what[64];
        snprintf(what, sizeof what, "rs_signal_from_name(\"%s\")", unknown[i]);
        BADN(what, rs_signal_from_name(unknown[i], &n), RS_SIGNAL_EVALUE, 0, ANY_SIG, NULL);
    }
    CHECK_EQ(n, -7);
    /* no name for numbers that are no signal */
    const int nonames[] = {0, -1, RS_NSIG, 4242, INT_MIN, INT_MAX, 32, 33};
    for (size_t i = 0; i < sizeof nonames / sizeof nonames[0]; i++)
        if (rs_signal_name(nonames[i]) != NULL)
            harness_fail(__FILE__, __LINE__, "rs_signal_name(%d) = %s", nonames[i],
                         rs_signal_name(nonames[i]));
}

TEST(BadInput_constant_at) {
    world_init();
    size_t count = rs_signal_constant_count();
    CHECK(count > 0);
    const char *name = "untouched";
    int value = -7;
    BAD(rs_signal_constant_at(count, &name, &value), RS_SIGNAL_EVALUE, 0, ANY_SIG, NULL);
    BAD(rs_signal_constant_at(count + 1000, NULL, NULL), RS_SIGNAL_EVALUE, 0, ANY_SIG, NULL);
    BAD(rs_signal_constant_at((size_t)-1, &name, &value), RS_SIGNAL_EVALUE, 0, ANY_SIG, NULL);
    CHECK(strcmp(name, "untouched") == 0);
    CHECK_EQ(value, -7);
    CHECK_OK(rs_signal_constant_at(count - 1, NULL, NULL));
}

/* ---- rs_sigset_* --------------------------------------------------------------- */

TEST(BadInput_sigset_null) {
    world_init();
    int arr[2] = {1, 2};
    rs_sigset s = us_set0();
    BAD(rs_sigset_empty(NULL), RS_SIGNAL_ETYPE, 0, ANY_SIG, "set must not be NULL");
    BAD(rs_sigset_add(NULL, 1), RS_SIGNAL_ETYPE, 0, ANY_SIG, "set must not be NULL");
    BAD(rs_sigset_del(NULL, 1), RS_SIGNAL_ETYPE, 0, ANY_SIG, "set must not be NULL");
    BAD(rs_sigset_contains(NULL, 1), RS_SIGNAL_ETYPE, 0, ANY_SIG, "set must not be NULL");
    BAD(rs_sigset_count(NULL), RS_SIGNAL_ETYPE, 0, ANY_SIG, "set must not be NULL");
    BAD(rs_sigset_next(NULL, 0), RS_SIGNAL_ETYPE, 0, ANY_SIG, "set must not be NULL");
    BAD(rs_sigset_from_array(NULL, 2, &s), RS_SIGNAL_ETYPE, 0, ANY_SIG, "signums must not be NULL");
    BAD(rs_sigset_from_array(arr, 2, NULL), RS_SIGNAL_ETYPE, 0, ANY_SIG, "out must not be NULL");
    BAD(rs_sigset_from_array(NULL, 0, NULL), RS_SIGNAL_ETYPE, 0, ANY_SIG, "out must not be NULL");
    CHECK_EQ(us_count(&s), 0);
}

TEST(BadInput_sigset_out_of_range) {
    world_init();
    const int bad[] = {0, -1, RS_NSIG, 100, 127, 128, 4242, INT_MIN, INT_MAX};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int n = bad[i];
        char msg[64];
        snprintf(msg, sizeof msg, "signal number %d out of range [1; 64]", n);
#ifdef RS_SIGRTMAX
        rs_sigset s = us_set2(RS_SIGINT, RS_SIGRTMAX), copy = s;
#else
        rs_sigset s = us_set2(RS_SIGINT, RS_SIGUSR2), copy = s;
#endif
        BADN(what_n("rs_sigset_add(&s, %lld)", n), rs_sigset_add(&s, n), RS_SIGNAL_EVALUE, 0, n, msg);
        CHECK(us_set_eq(&s, &copy));
        BADN(what_n("rs_sigset_del(&s, %lld)", n), rs_sigset_del(&s, n), RS_SIGNAL_EVALUE, 0, n, msg);
        CHECK(us_set_eq(&s, &copy));
        BADN(what_n("rs_sigset_contains(&s, %lld)", n), rs_sigset_contains(&s, n), RS_SIGNAL_EVALUE,
             0, n, "~out of range");
        int arr[3] = {RS_SIGUSR1, n, RS_SIGUSR2};
        rs_sigset out = copy;
        BADN(what_n("rs_sigset_from_array({SIGUSR1, %lld, SIGUSR2})", n),
             rs_sigset_from_array(arr, 3, &out), RS_SIGNAL_EVALUE, 0, n, "~out of range");
        CHECK(us_set_eq(&out, &copy)); /* *out untouched */
    }
    /* 32 and 33 are in range for a set: only the OS conversion warns */
    rs_sigset s = us_set0();
    CHECK_OK(rs_sigset_add(&s, 32));
    CHECK_OK(rs_sigset_add(&s, 33));
    CHECK_EQ(rs_sigset_count(&s), 2);
    world_check_at(__LINE__);
}
