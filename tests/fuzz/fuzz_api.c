/* libFuzzer harness for rssignal's C API.
 *
 * Each input is a program: a sequence of operations, one byte of opcode
 * followed by its arguments, read from the input until it runs out. The
 * arguments are as hostile as the contract allows: any int as a signal
 * number (biased towards 0, -1, 1..64, 65, 32, 33, INT_MIN, INT_MAX), NULL
 * for every pointer the API accepts as NULL, NaN / +-inf / huge / negative /
 * denormal times, closed, blocking, foreign (eventfd, socket, /dev/null) and
 * out-of-range fds, any `how`, any handler kind, any 128-bit set, any
 * user_data, callbacks that return 0, positive or negative values or call
 * back into the library, calls from another thread, fork-free.
 *
 * What it checks besides "no crash, no hang, no leak" (ASan+UBSan, -timeout):
 *   - a status < 0 from a function that records errors leaves that same status
 *     as the thread's last error, with a non-NULL message;
 *   - statuses are known ones (or what a callback returned);
 *   - callbacks and unraisable reports run on the current main thread;
 *   - rs_signal_set_interrupt never fails for 1..NSIG-1.
 *
 * What it avoids, because the contract forbids it or libFuzzer needs it: it
 * never changes the dispositions of the signals libFuzzer handles (SEGV,
 * BUS, ILL, FPE, ABRT, ALRM, INT, TERM, XFSZ, TRAP) and keeps SIGPIPE,
 * SIGVTALRM and SIGPROF ignored (so a stray timer or a write to a broken
 * pipe cannot end the run); it never delivers a signal whose current
 * disposition would kill or stop the process, and drains such a signal from
 * the pending set before it can become SIG_DFL; it passes only live thread
 * ids to pthread_kill; it bounds every wait (sigwait/sigwaitinfo only with a
 * member pending, sigtimedwait clamped to 0.1 ms, pause woken by a helper) and
 * restores ITIMER_REAL (libFuzzer's timeout timer) right after touching it,
 * with SIGALRM blocked meanwhile (a 1 us interval would otherwise bury the
 * thread under libFuzzer's alarm handler).
 * After each input the mask, the main thread, the wakeup fd, the hook, the
 * timers and the handlers are put back. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <unistd.h>

#include "rssignal.h"

#define NS 65 /* signals 1..64 */

/* ---- input reader --------------------------------------------------------------- */

struct in {
    const uint8_t *p;
    size_t n;
};

static uint8_t u8(struct in *in) {
    if (!in->n) return 0;
    in->n--;
    return *in->p++;
}
static uint32_t u32(struct in *in) {
    uint32_t v = 0;
    for (int i = 0; i < 4; i++) v = v << 8 | u8(in);
    return v;
}
static uint64_t u64(struct in *in) { return (uint64_t)u32(in) << 32 | u32(in); }

static const int special_ints[] = {0, -1, 1, 2, 9, 10, 12, 17, 19, 28, 31, 32, 33, 34, 35, 63, 64, 65, 66,
                                   128, 255, 256, -2, -64, INT_MIN, INT_MAX, INT_MIN + 1, 4242, 1 << 30};

static int any_int(struct in *in) {
    uint8_t b = u8(in);
    if (b < 128) return (int)u32(in);
    return special_ints[b % (sizeof special_ints / sizeof special_ints[0])];
}

/* A signal number: mostly 0..70, sometimes anything. */
static int sig_arg(struct in *in) {
    uint8_t b = u8(in);
    if (b < 220) return b % 71;
    return any_int(in);
}

static double time_arg(struct in *in) {
    static const double special[] = {0.0, -0.0, 1e-7, 1e-6, 0.5, 1.0, -1.0, -1e-9, 1e300, -1e300,
                                     9.2e9, 9.3e9, 5e-324, 1e-3, 3600.0};
    uint8_t b = u8(in);
    if (b < 16) return NAN;
    if (b < 24) return INFINITY;
    if (b < 32) return -INFINITY;
    if (b < 160) return special[b % (sizeof special / sizeof special[0])];
    uint64_t bits = u64(in);
    double d;
    memcpy(&d, &bits, sizeof d);
    return d;
}

/* ---- harness state -------------------------------------------------------------- */

static pthread_t fuzz_thread;
static int pause_sig;          /* harness-only: wakes pause() */
static int wake_pipe[2] = {-1, -1};
static int blocking_pipe[2], efd, sock[2], devnull, broken_pipe_w, pidfd = -1;
static unsigned long reports, callbacks_run;
static int cb_depth;
static sigset_t baseline_mask;

static int protected_sig(int s) {
    switch (s) {
    case SIGSEGV: case SIGBUS: case SIGILL: case SIGFPE: case SIGABRT: case SIGALRM:
    case SIGINT: case SIGTERM: case SIGXFSZ: case SIGTRAP: case SIGPIPE: case SIGVTALRM: case SIGPROF:
        return 1;
    default:
        return s == pause_sig;
    }
}

/* Would delivering `s` now leave the process running? */
static int deliverable(int s) {
    if (s <= 0 || s >= NS || s == SIGKILL || s == SIGSTOP || protected_sig(s)) return 0;
    struct sigaction sa;
    if (sigaction(s, NULL, &sa) != 0) return 0;
    if (sa.sa_flags & SA_SIGINFO) return 1;
    if (sa.sa_handler != SIG_DFL) return 1; /* ignored or caught */
    return s == SIGCHLD || s == SIGURG || s == SIGWINCH || s == SIGCONT;
}

/* A signal for an operation that delivers one: out-of-range numbers go
 * through (the OS refuses them), deliverable ones too; anything else is
 * replaced by SIGWINCH (harmless by default). */
static int delivery_sig(int s) {
    if (s <= 0 || s >= NS) return s;
    if (s == 32 || s == 33) return s; /* glibc refuses them: EINVAL */
    return deliverable(s) ? s : SIGWINCH;
}

/* Drop every pending instance of `s` (before it can become SIG_DFL). */
static void drain_pending(int s) {
    sigset_t one, pend;
    sigemptyset(&one);
    sigaddset(&one, s);
    struct timespec zero = {0, 0};
    for (int i = 0; i < 100000; i++) {
        sigpending(&pend);
        if (!sigismember(&pend, s)) return;
        if (sigtimedwait(&one, NULL, &zero) < 0 && errno != EINTR) return;
    }
}

static void drain_all_pending(void) {
    for (int s = 1; s < NS; s++)
        if (!protected_sig(s) && s != 32 && s != 33 && s != SIGKILL && s != SIGSTOP) drain_pending(s);
}

/* ---- checks ------------------------------------------------------------------------ */

#define REQUIRE(cond)                                                                          \
    do {                                                                                       \
        if (!(cond)) {                                                                         \
            fprintf(stderr, "fuzz invariant failed: %s (%s:%d)\n", #cond, __FILE__, __LINE__); \
            abort();                                                                           \
        }                                                                                      \
    } while (0)


/* A status from a function that records its failures. */
static void status(int r) {
    if (r >= 0) {
        REQUIRE(r == RS_SIGNAL_OK || r == RS_SIGNAL_TIMEOUT || r == 1 /* contains() etc. */ || r > 1);
        return;
    }
    rs_signal_error e;
    memset(&e, 0x5a, sizeof e);
    int last = rs_signal_last_error(&e);
    REQUIRE(last == r);
    REQUIRE(e.status == r);
    REQUIRE(e.message != NULL);
    REQUIRE(strlen(e.message) < 4096);
    REQUIRE((r >= RS_SIGNAL_EINTERNAL && r != RS_SIGNAL_EINTERNAL) || r <= RS_SIGNAL_EUSER);
}

static void hook(const rs_signal_unraisable *r, void *data) {
    (void)data;
    REQUIRE(r != NULL && r->message != NULL);
    /* Reports run on the main thread at a dispatch point, except the warning
     * about a set member the OS refuses (32, 33), which comes from the thread
     * converting the set (as CPython's RuntimeWarning does). */
    if (!strstr(r->message, "please use valid_signals()")) REQUIRE(rs_signal_is_main_thread() == 1);
    REQUIRE(strlen(r->message) < 4096);
    reports++;
}

/* ---- callbacks ------------------------------------------------------------------------ */

static int cb_zero(int s, void *d) {
    (void)s;
    (void)d;
    REQUIRE(rs_signal_is_main_thread() == 1);
    callbacks_run++;
    return 0;
}
static int cb_positive(int s, void *d) {
    (void)d;
    REQUIRE(rs_signal_is_main_thread() == 1);
    callbacks_run++;
    return 1 + (s & 7);
}
static int cb_negative(int s, void *d) {
    (void)d;
    REQUIRE(rs_signal_is_main_thread() == 1);
    callbacks_run++;
    return RS_SIGNAL_EUSER - s;
}
/* Calls back into the library: raises another signal, changes its own
 * handler, dispatches recursively (depth-bounded). */
static int cb_reenter(int s, void *d) {
    REQUIRE(rs_signal_is_main_thread() == 1);
    callbacks_run++;
    if (cb_depth >= 3) return 0;
    cb_depth++;
    uintptr_t k = (uintptr_t)d;
    int other = delivery_sig((int)(k % 70));
    int r = 0;
    switch ((k >> 8) % 4) {
    case 0:
        r = rs_signal_raise_signal(other);
        break;
    case 1: {
        rs_signal_handler h = {RS_SIG_IGN, NULL, NULL};
        if (!protected_sig(s)) r = rs_signal_signal(s, &h, NULL);
        break;
    }
    case 2:
        rs_signal_set_interrupt(other);
        r = rs_signal_check();
        break;
    default: {
        rs_signal_handler out;
        r = rs_signal_getsignal(s, &out);
        break;
    }
    }
    if (r < 0) status(r);
    cb_depth--;
    return (k >> 16) % 5 == 0 ? r : 0;
}

static rs_signal_callback callbacks[] = {cb_zero, cb_positive, cb_negative, cb_reenter, rs_signal_default_int_handler};

static rs_signal_handler handler_arg(struct in *in) {
    rs_signal_handler h;
    uint8_t k = u8(in);
    if (k < 64)
        h.kind = RS_SIG_DFL;
    else if (k < 110)
        h.kind = RS_SIG_IGN;
    else if (k < 230)
        h.kind = RS_SIGNAL_HANDLER_CALLBACK;
    else
        h.kind = any_int(in); /* FOREIGN, garbage */
    uint8_t c = u8(in);
    h.callback = c < 16 ? NULL : callbacks[c % (sizeof callbacks / sizeof callbacks[0])];
    h.user_data = (void *)(uintptr_t)u64(in);
    return h;
}

static rs_sigset set_arg(struct in *in) {
    rs_sigset s;
    uint8_t b = u8(in);
    if (b < 64) {
        s.bits[0] = u64(in);
        s.bits[1] = u64(in);
    } else {
        s.bits[0] = 1ULL << (b % 64) | 1ULL << (u8(in) % 64);
        s.bits[1] = b > 250 ? 1ULL << (u8(in) % 64) : 0;
    }
    return s;
}

/* ---- the helper thread: calls from a thread that is not the main one ----------------- */

static int req_pipe[2], ans_pipe[2];
static pthread_t helper;
struct request {
    int op, a, b;
    rs_signal_handler h;
};
static volatile int pause_done;
static uint64_t main_tid;
static int helper_got_signals;

static void *helper_main(void *p) {
    (void)p;
    for (;;) {
        struct request q;
        ssize_t n = read(req_pipe[0], &q, sizeof q);
        if (n != (ssize_t)sizeof q) {
            if (n < 0 && errno == EINTR) continue;
            return NULL;
        }
        int r = 0;
        switch (q.op) {
        case 0: r = rs_signal_signal(q.a, &q.h, NULL); break;
        case 1:
            r = rs_signal_check();
            if (!rs_signal_is_main_thread()) REQUIRE(r == 0);
            break;
        case 2: r = rs_signal_set_wakeup_fd(q.a, q.b, NULL); break;
        case 3: { rs_signal_handler out; r = rs_signal_getsignal(q.a, &out); break; }
        case 4: r = rs_signal_set_interrupt(q.a); break;
        case 5: rs_signal_set_main_thread(); REQUIRE(rs_signal_is_main_thread() == 1); break;
        case 6: r = rs_signal_pending(); if (!rs_signal_is_main_thread()) REQUIRE(r == 0); break;
        case 7: r = rs_signal_interrupt_occurred(); if (!rs_signal_is_main_thread()) REQUIRE(r == 0); break;
        case 8: r = rs_signal_install_default_handlers(); break;
        case 10: { /* drop what pthread_kill left pending on this thread (it blocks everything) */
            sigset_t all;
            sigfillset(&all);
            struct timespec zero = {0, 0};
            for (int i = 0; i < 100000 && sigtimedwait(&all, NULL, &zero) > 0; i++) {
            }
            break;
        }
        case 9: /* wake a pause() of the main thread, bounded */
            for (int i = 0; i < 2000 && !pause_done; i++) {
                pthread_kill(fuzz_thread, pause_sig);
                struct timespec t = {0, 500000};
                nanosleep(&t, NULL);
            }
            break;
        default: {
            rs_signal_error e;
            rs_signal_last_error(&e);
        }
        }
        if (q.op != 4 && q.op != 9 && q.op != 10 && r < 0) status(r);
        while (write(ans_pipe[1], &r, sizeof r) < 0 && errno == EINTR) {
        }
    }
}

static int on_helper(struct request q) {
    while (write(req_pipe[1], &q, sizeof q) < 0 && errno == EINTR) {
    }
    int r = 0;
    while (read(ans_pipe[0], &r, sizeof r) < 0 && errno == EINTR) {
    }
    return r;
}

static void pause_wake(int s) { (void)s; }

/* ---- setup and reset ---------------------------------------------------------------- */

static void setup(void) {
    fuzz_thread = pthread_self();
    pause_sig = SIGRTMIN + 10;
    rs_signal_set_main_thread();
    main_tid = rs_signal_thread_id();
    REQUIRE(rs_signal_set_unraisable_hook(hook, NULL) == 0);
    rs_signal_handler ign = {RS_SIG_IGN, NULL, NULL};
    REQUIRE(rs_signal_signal(SIGPIPE, &ign, NULL) == 0);
    REQUIRE(rs_signal_signal(SIGVTALRM, &ign, NULL) == 0);
    REQUIRE(rs_signal_signal(SIGPROF, &ign, NULL) == 0);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = pause_wake;
    sigaction(pause_sig, &sa, NULL);
    REQUIRE(pipe2(wake_pipe, O_NONBLOCK | O_CLOEXEC) == 0);
    REQUIRE(pipe2(blocking_pipe, O_CLOEXEC) == 0);
    efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    REQUIRE(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sock) == 0);
    devnull = open("/dev/null", O_WRONLY | O_NONBLOCK | O_CLOEXEC);
    int bp[2];
    REQUIRE(pipe2(bp, O_NONBLOCK | O_CLOEXEC) == 0);
    close(bp[0]); /* a write end whose reader is gone: EPIPE (SIGPIPE ignored) */
    broken_pipe_w = bp[1];
#ifdef SYS_pidfd_open
    pidfd = (int)syscall(SYS_pidfd_open, getpid(), 0);
#endif
    pthread_sigmask(SIG_SETMASK, NULL, &baseline_mask);
    REQUIRE(pipe2(req_pipe, O_CLOEXEC) == 0 && pipe2(ans_pipe, O_CLOEXEC) == 0);
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_BLOCK, &all, &old);
    REQUIRE(pthread_create(&helper, NULL, helper_main, NULL) == 0);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
}

/* A closed fd number, checked closed at the moment of use. */
static int closed_fd(struct in *in) {
    int fd = 900 + u8(in) % 64;
    if (fcntl(fd, F_GETFD) != -1) return -3; /* open after all: use another bad number */
    return fd;
}

static int wakeup_fd_arg(struct in *in) {
    switch (u8(in) % 12) {
    case 0: return -1;
    case 1: return wake_pipe[1];
    case 2: return wake_pipe[1];
    case 3: return blocking_pipe[1]; /* EVALUE: blocking */
    case 4: return efd;              /* foreign: 1-byte writes fail with EINVAL */
    case 5: return sock[0];
    case 6: return devnull;
    case 7: return broken_pipe_w;
    case 8: return closed_fd(in);
    case 9: return INT_MAX;
    case 10: return INT_MIN;
    default: return -2 - (u8(in) % 8);
    }
}

static void drain_fd(int fd) {
    char buf[4096];
    for (int i = 0; i < 64; i++)
        if (read(fd, buf, sizeof buf) <= 0) break;
}

static void reset(void) {
    if (!pthread_equal(pthread_self(), fuzz_thread)) abort();
    rs_signal_set_main_thread();
    if (helper_got_signals) {
        struct request q = {10, 0, 0, {0, NULL, NULL}};
        on_helper(q);
        helper_got_signals = 0;
    }
    pthread_sigmask(SIG_SETMASK, &baseline_mask, NULL); /* pending (deliverable) signals arrive now */
    for (int i = 0; i < 16 && rs_signal_pending(); i++) rs_signal_check();
    rs_signal_set_wakeup_fd(-1, 1, NULL);
    drain_fd(wake_pipe[0]);
    drain_fd(sock[1]);
    uint64_t v;
    (void)!read(efd, &v, sizeof v);
    rs_signal_set_unraisable_hook(hook, NULL);
    struct itimerval zero;
    memset(&zero, 0, sizeof zero);
    setitimer(ITIMER_VIRTUAL, &zero, NULL);
    setitimer(ITIMER_PROF, &zero, NULL);
    rs_signal_handler dfl = {RS_SIG_DFL, NULL, NULL}, ign = {RS_SIG_IGN, NULL, NULL};
    for (int s = 1; s < NS; s++) {
        if (protected_sig(s) || s == SIGKILL || s == SIGSTOP || s == 32 || s == 33) continue;
        rs_signal_handler cur;
        if (rs_signal_getsignal(s, &cur) == 0 && cur.kind != RS_SIG_DFL && cur.kind != RS_SIGNAL_HANDLER_FOREIGN) {
            drain_pending(s);
            rs_signal_signal(s, &dfl, NULL);
        }
    }
    rs_signal_signal(SIGPIPE, &ign, NULL);
    rs_signal_signal(SIGVTALRM, &ign, NULL);
    rs_signal_signal(SIGPROF, &ign, NULL);
    for (int i = 0; i < 16 && rs_signal_pending(); i++) rs_signal_check();
}

/* ---- the operations -------------------------------------------------------------------- */

static void op_signal(struct in *in) {
    int s = sig_arg(in);
    rs_signal_handler h = handler_arg(in), old;
    int with_null = u8(in) < 20;
    if (s > 0 && s < NS && protected_sig(s)) {
        int r = rs_signal_getsignal(s, &old);
        status(r);
        return;
    }
    if (s > 0 && s < NS && h.kind == RS_SIG_DFL) drain_pending(s);
    int r = rs_signal_signal(s, with_null ? NULL : &h, u8(in) < 128 ? &old : NULL);
    status(r);
    if (r == 0 && h.kind == RS_SIG_DFL && s > 0 && s < NS) drain_pending(s);
}

static void op_getsignal(struct in *in) {
    rs_signal_handler out;
    int s = sig_arg(in);
    status(rs_signal_getsignal(s, u8(in) < 20 ? NULL : &out));
}

static void op_raise(struct in *in) {
    int s = delivery_sig(sig_arg(in));
    status(rs_signal_raise_signal(s));
}

/* ITIMER_REAL is libFuzzer's timeout timer, with a heavy SIGALRM handler:
 * a 1 us interval would flood this thread with it (a livelock of our making,
 * not the library's). Blocks SIGALRM (the mask before in *old_mask) and saves
 * the timer in *saved; the caller puts both back once it is done with it. */
static void borrow_real_timer(sigset_t *old_mask, struct itimerval *saved) {
    sigset_t alrm;
    sigemptyset(&alrm);
    sigaddset(&alrm, SIGALRM);
    pthread_sigmask(SIG_BLOCK, &alrm, old_mask);
    getitimer(ITIMER_REAL, saved);
}

static void op_itimer(struct in *in, int set) {
    int which;
    uint8_t w = u8(in);
    which = w < 200 ? w % 3 : any_int(in);
    rs_signal_itimer_value v;
    struct itimerval saved_real;
    sigset_t old_mask;
    borrow_real_timer(&old_mask, &saved_real);
    if (set) {
        double a = time_arg(in), b = time_arg(in);
        status(rs_signal_setitimer(which, a, b, u8(in) < 40 ? NULL : &v));
        if (which == ITIMER_REAL) setitimer(ITIMER_REAL, &saved_real, NULL); /* libFuzzer's */
        else if (which == ITIMER_VIRTUAL || which == ITIMER_PROF) {
            struct itimerval zero;
            memset(&zero, 0, sizeof zero);
            setitimer(which, &zero, NULL);
        }
    } else {
        status(rs_signal_getitimer(which, u8(in) < 40 ? NULL : &v));
    }
    pthread_sigmask(SIG_SETMASK, &old_mask, NULL);
}

static void op_alarm(struct in *in) {
    struct itimerval saved;
    sigset_t old_mask;
    borrow_real_timer(&old_mask, &saved);
    rs_signal_alarm(u32(in) % 4 == 0 ? 0 : u32(in));
    setitimer(ITIMER_REAL, &saved, NULL);
    pthread_sigmask(SIG_SETMASK, &old_mask, NULL);
}

static void op_pause(void) {
    pause_done = 0;
    /* the helper keeps sending pause_sig until we are back */
    struct request q = {9, 0, 0, {0, NULL, NULL}};
    while (write(req_pipe[1], &q, sizeof q) < 0 && errno == EINTR) {
    }
    sigset_t one;
    sigemptyset(&one);
    sigaddset(&one, pause_sig);
    pthread_sigmask(SIG_UNBLOCK, &one, NULL);
    int r = rs_signal_pause();
    pause_done = 1;
    int ans;
    while (read(ans_pipe[0], &ans, sizeof ans) < 0 && errno == EINTR) {
    }
    status(r);
}

static void op_pidfd(struct in *in) {
    int fd;
    uint8_t f = u8(in);
    fd = f < 160 ? pidfd : f < 200 ? closed_fd(in) : any_int(in);
    if (fd == pidfd && pidfd < 0) return;
    int s = delivery_sig(sig_arg(in));
    /* raise() and pthread_kill() refuse glibc's internal signals 32 and 33;
     * pidfd_send_signal() sends them, and their default action ends the
     * process (CPython's pidfd_send_signal does the same): keep them out. */
    if (s == 32 || s == 33) s = SIGWINCH;
    siginfo_t si;
    memset(&si, 0, sizeof si);
    const void *info = u8(in) < 30 ? &si : NULL;
    unsigned flags = u8(in) < 200 ? 0 : u32(in);
    if (fd >= 0 && fd != pidfd && fcntl(fd, F_GETFD) != -1) fd = -1; /* only our pidfd or bad ones */
    status(rs_signal_pidfd_send_signal(fd, s, info, flags));
    status(rs_signal_check());
}

static void op_pthread_kill(struct in *in) {
    uint8_t t = u8(in);
    uint64_t id = t < 150 ? main_tid : t < 200 ? 0 : (uint64_t)helper;
    if (id == (uint64_t)helper) helper_got_signals = 1;
    int s = delivery_sig(sig_arg(in));
    status(rs_signal_pthread_kill(id, s));
}

static void op_sigmask(struct in *in) {
    uint8_t h = u8(in);
    int how = h < 80 ? RS_SIG_BLOCK : h < 160 ? RS_SIG_UNBLOCK : h < 220 ? RS_SIG_SETMASK : any_int(in);
    rs_sigset set = set_arg(in), old;
    int nulls = u8(in);
    /* Blocking libFuzzer's signals would only hide a crash: keep them out. */
    status(rs_signal_pthread_sigmask(how, nulls < 16 ? NULL : &set, nulls % 3 == 0 ? NULL : &old));
}

static void op_wakeup(struct in *in) {
    int fd = wakeup_fd_arg(in);
    int old;
    status(rs_signal_set_wakeup_fd(fd, u8(in) % 2 ? (int)u32(in) : 0, u8(in) < 64 ? NULL : &old));
}

static void op_fill_wakeup(void) {
    static char junk[65536];
    for (int i = 0; i < 32; i++)
        if (write(wake_pipe[1], junk, sizeof junk) < 0) break;
}

static void op_siginterrupt(struct in *in) {
    int s = sig_arg(in);
    int flag = u8(in) % 3 == 0 ? any_int(in) : u8(in) % 2;
    status(rs_signal_siginterrupt(s, flag));
}

/* sigwait & co only with a member pending, so they return at once. */
static void op_wait(struct in *in, int kind) {
    rs_sigset set = set_arg(in);
    int s = SIGWINCH;
    for (int n = rs_sigset_next(&set, 0); n > 0; n = rs_sigset_next(&set, n))
        if (deliverable(n) && n < NS) {
            s = n;
            break;
        }
    if (s < NS) {
        set.bits[s / 64] |= 1ULL << (s % 64);
    }
    sigset_t one, old;
    sigemptyset(&one);
    sigaddset(&one, s);
    pthread_sigmask(SIG_BLOCK, &one, &old);
    raise(s);
    rs_signal_siginfo info;
    int got = 0, r;
    if (kind == 0)
        r = rs_signal_sigwait(u8(in) < 10 ? NULL : &set, u8(in) < 10 ? NULL : &got);
    else
        r = rs_signal_sigwaitinfo(u8(in) < 10 ? NULL : &set, u8(in) < 10 ? NULL : &info);
    status(r);
    if (r != 0) drain_pending(s); /* refused before waiting: consume it ourselves */
    pthread_sigmask(SIG_SETMASK, &old, NULL);
}

static void op_timedwait(struct in *in) {
    rs_sigset set = set_arg(in);
    double t = time_arg(in);
    /* bounded: a valid timeout longer than 0.1 ms becomes 0.1 ms; NaN, infinite,
     * negative and too large (>= 2^63 ns) ones go through to be refused */
    if (isfinite(t) && t > 1e-4 && t * 1e9 < 9223372036854775808.0) t = 1e-4;
    rs_signal_siginfo info;
    status(rs_signal_sigtimedwait(u8(in) < 10 ? NULL : &set, t, u8(in) < 40 ? NULL : &info));
}

static void op_names(struct in *in) {
    int s = any_int(in);
    const char *d;
    (void)rs_signal_name(s);
    status(rs_signal_strsignal(s, u8(in) < 20 ? NULL : &d));
    char name[24];
    size_t n = u8(in) % sizeof name;
    for (size_t i = 0; i < n; i++) name[i] = (char)u8(in);
    name[n] = 0;
    static const char *known[] = {"SIGINT", "SIGRTMIN+3", "SIGRTMAX-1", "SIGIOT", "SIGRTMIN+99", "SIGRTMAX-0",
                                  "SIGRTMIN+", "sigint", "SIG", "", "SIGRTMIN-1", "SIGRTMAX+1"};
    const char *nm = u8(in) % 2 ? name : known[u8(in) % (sizeof known / sizeof known[0])];
    int v;
    status(rs_signal_from_name(u8(in) < 20 ? NULL : nm, u8(in) < 20 ? NULL : &v));
    size_t idx = u8(in) < 200 ? u8(in) : (size_t)u64(in);
    const char *cn;
    status(rs_signal_constant_at(idx, u8(in) < 30 ? NULL : &cn, u8(in) < 30 ? NULL : &v));
    (void)rs_signal_constant_count();
    int st = any_int(in);
    (void)rs_signal_status_name(st);
    (void)rs_signal_status_exception(st);
}

static void op_sigset(struct in *in) {
    rs_sigset set = set_arg(in);
    int s = any_int(in);
    int null = u8(in) < 20;
    rs_sigset *p = null ? NULL : &set;
    switch (u8(in) % 7) {
    case 0: status(rs_sigset_empty(p)); break;
    case 1: status(rs_sigset_add(p, s)); break;
    case 2: status(rs_sigset_del(p, s)); break;
    case 3: status(rs_sigset_contains(p, s)); break;
    case 4: status(rs_sigset_count(p)); break;
    case 5: status(rs_sigset_next(p, s)); break;
    default: {
        int arr[8];
        size_t n = u8(in) % 9;
        for (size_t i = 0; i < n; i++) arr[i] = sig_arg(in);
        status(rs_sigset_from_array(n && u8(in) < 20 ? NULL : arr, n, p));
    }
    }
    rs_sigset out;
    status(rs_signal_valid_signals(u8(in) < 20 ? NULL : &out));
    status(rs_signal_sigpending(u8(in) < 20 ? NULL : &out));
}

static void op_helper(struct in *in) {
    struct request q;
    q.op = u8(in) % 9;
    q.a = sig_arg(in);
    q.b = (int)u8(in);
    q.h = handler_arg(in);
    if (q.op == 2) q.a = wakeup_fd_arg(in);
    if (q.op == 0 && q.a > 0 && q.a < NS && protected_sig(q.a)) q.op = 3;
    if (q.op == 0 && q.a > 0 && q.a < NS && q.h.kind == RS_SIG_DFL) drain_pending(q.a);
    on_helper(q);
    if (q.op == 0 && q.a > 0 && q.a < NS && q.h.kind == RS_SIG_DFL) drain_pending(q.a);
    if (q.op == 5 && u8(in) % 2) rs_signal_set_main_thread(); /* sometimes take it back at once */
}

static void op_misc(struct in *in) {
    switch (u8(in) % 12) {
    case 0: status(rs_signal_check()); break;
    case 1: status(rs_signal_check_inline()); break;
    case 2: (void)rs_signal_pending(); break;
    case 3: {
        int s = any_int(in);
        int r = rs_signal_set_interrupt(s);
        if (s > 0 && s < NS) REQUIRE(r == 0);
        else REQUIRE(r == RS_SIGNAL_EVALUE);
        break;
    }
    case 4: (void)rs_signal_interrupt_occurred(); break;
    case 5: status(rs_signal_install_default_handlers()); break;
    case 6:
        drain_all_pending();
        status(rs_signal_finalize());
        break;
    case 7:
        status(rs_signal_set_unraisable_hook(u8(in) < 40 ? NULL : hook, (void *)(uintptr_t)u64(in)));
        break;
    case 8: {
        rs_signal_error e;
        (void)rs_signal_last_error(u8(in) < 50 ? NULL : &e);
        (void)rs_signal_version();
        (void)rs_signal_thread_id();
        (void)rs_signal_is_main_thread();
        REQUIRE(rs_signal_sigrtmin() == SIGRTMIN && rs_signal_sigrtmax() == SIGRTMAX);
        break;
    }
    case 9: (void)rs_signal_default_int_handler(any_int(in), NULL); break;
    case 10: op_fill_wakeup(); break;
    default: drain_fd(wake_pipe[0]); break;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static int ready;
    if (!ready) {
        setup();
        ready = 1;
    }
    struct in in = {data, size};
    for (int steps = 0; in.n > 0 && steps < 64; steps++) {
        switch (u8(&in) % 22) {
        case 0: op_signal(&in); break;
        case 1: op_getsignal(&in); break;
        case 2: op_raise(&in); break;
        case 3: op_alarm(&in); break;
        case 4: op_pause(); break;
        case 5: op_pidfd(&in); break;
        case 6: op_pthread_kill(&in); break;
        case 7: op_sigmask(&in); break;
        case 8: op_itimer(&in, 1); break;
        case 9: op_itimer(&in, 0); break;
        case 10: op_wakeup(&in); break;
        case 11: op_siginterrupt(&in); break;
        case 12: op_wait(&in, 0); break;
        case 13: op_wait(&in, 1); break;
        case 14: op_timedwait(&in); break;
        case 15: op_names(&in); break;
        case 16: op_sigset(&in); break;
        case 17: op_helper(&in); break;
        case 18: case 19: op_misc(&in); break;
        default: op_signal(&in); break;
        }
    }
    reset();
    return 0;
}
