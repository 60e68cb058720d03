/* bench-micro: per-call costs of rssignal against floors timed in this same
 * process, in interleaved repetitions: each cost is the best of R, each
 * *_ratio_median the median over the R repetitions of the ratio of a pair
 * timed back to back. Loops are 64-byte aligned and sub-nanosecond bodies
 * unrolled 8 times, so that loop layout does not decide the result:
 *   call_floor_ns      empty int function in another shared library (PLT)
 *   check_ns           rs_signal_check(), nothing pending, through the .so
 *   atomic_load_ns     one relaxed atomic load of a local word (summed, no branch)
 *   atomic_load_branch_ns the same load + a branch to an out-of-line call,
 *                      written exactly like rs_signal_check_inline()
 *   check_inline_ns    rs_signal_check_inline(), nothing pending
 *   dispatch_ns        rs_signal_set_interrupt(SIGUSR1) + rs_signal_check()
 *                      running one counting callback
 *   dispatch_floor_ns  floor_mark(SIGUSR1) + floor_check() running the same
 *                      callback through libbenchfloor.so (floor.c): the least
 *                      work any deferred dispatch needs. Timed in the same
 *                      rounds as dispatch_ns, alternating which goes first;
 *                      dispatch_floor_ratio_median = median of per-round ratios
 *   dispatch_model_ns  the same with libbenchmodel.so, a C model of the
 *                      library's 0.1 algorithm (model.c), for information
 *   listener_dispatch_ns rs_signal_set_interrupt(SIGURG) + rs_signal_check()
 *                      running one counting listener (the entry is DFL: no
 *                      callback); listener_callback_ratio_median against
 *                      dispatch_ns of the same round
 *   raw_raise_ns       raise(SIGUSR2) + a counting sigaction handler
 *   raw_raise_info_ns  raise(SIGWINCH) + an SA_SIGINFO handler copying
 *                      si_code, si_pid, si_uid, si_status, si_value (information)
 *   raise_dispatch_ns  rs_signal_raise_signal(SIGUSR1) + counting callback
 *   raise_record_ns    rs_signal_raise_signal(SIGHUP) + a callback that reads
 *                      its record with rs_signal_delivery_info();
 *                      raise_record_ratio_median against raw_raise_ns
 * Usage: bench-micro [scale]   (scale multiplies iteration counts; default 1) */
#include "common.h"

#include <signal.h>
#include <stdatomic.h>

#include "rssignal.h"

extern int bench_floor_call(void);
extern int floor_mark(int);
extern int floor_check(void);
extern void floor_install(int, int (*)(int, void *), void *);
extern int model_set_interrupt(int);
extern int model_check(void);
extern void model_install(int, int (*)(int, void *), void *);

static volatile long sink;
static _Atomic uint32_t local_word;
static volatile long callbacks;
static volatile sig_atomic_t raw_count;

static int counting_cb(int signum, void *data) {
    (void)signum;
    (void)data;
    callbacks++;
    return 0;
}

static void raw_handler(int signum) {
    (void)signum;
    raw_count++;
}

static volatile long listener_calls, info_calls, info_sum;
static int listener_cb(int signum, void *data) {
    (void)signum;
    (void)data;
    listener_calls++;
    return 0;
}

static int info_cb(int signum, void *data) {
    (void)signum;
    (void)data;
    rs_signal_delivery d;
    if (rs_signal_delivery_info(&d) == 0) info_sum += d.arrivals + d.code + d.pid + (long)d.last_ns;
    info_calls++;
    return 0;
}

static volatile sig_atomic_t raw_info_count;
static volatile long raw_info_sum;
static void raw_info_handler(int signum, siginfo_t *si, void *ctx) {
    (void)signum;
    (void)ctx;
    raw_info_sum += si->si_code + si->si_pid + (long)si->si_uid + si->si_status + (long)si->si_value.sival_ptr;
    raw_info_count++;
}

#define LOOP(name, body)                                 \
    __attribute__((noinline, aligned(64))) static double name(long n) { \
        long acc = 0;                                    \
        int64_t t0 = now_ns();                           \
        for (long i = 0; i < n; i++) {                   \
            body;                                        \
        }                                                \
        int64_t t1 = now_ns();                           \
        sink = acc;                                      \
        return (double)(t1 - t0) / (double)n;            \
    }

/* Sub-nanosecond bodies run 8 times per iteration, so that loop overhead and
 * loop alignment weigh less; the time reported is per body. */
#define X8(e) e; e; e; e; e; e; e; e

LOOP(t_floor, acc += bench_floor_call())
LOOP(t_check, acc += rs_signal_check())
/* The application's own flag check: one relaxed load of a local word and a
 * branch to an out-of-line handler, written exactly as the header writes
 * rs_signal_check_inline(), so that the compiler lays both loops out alike. */
__attribute__((noinline)) static int local_slow(void) { return bench_floor_call(); }
static inline int local_check(void) {
    if (atomic_load_explicit(&local_word, memory_order_relaxed) == 0) {
        return 0;
    }
    return local_slow();
}
LOOP(t_atomic8, X8(acc += local_check()))  /* atomic_load_branch_ns */
/* One relaxed load, summed branch-free: the goal's floor. */
LOOP(t_bare8, X8(acc += (atomic_load_explicit(&local_word, memory_order_relaxed) != 0)))
LOOP(t_inline8, X8(acc += rs_signal_check_inline()))
static double t_bare(long n) { return t_bare8(n / 8) / 8; }
static double t_atomic(long n) { return t_atomic8(n / 8) / 8; }
static double t_inline(long n) { return t_inline8(n / 8) / 8; }
LOOP(t_dispatch, rs_signal_set_interrupt(SIGUSR1); acc += rs_signal_check())
LOOP(t_floor_disp, floor_mark(SIGUSR1); acc += floor_check())
LOOP(t_model, model_set_interrupt(SIGUSR1); acc += model_check())
LOOP(t_listener, rs_signal_set_interrupt(SIGURG); acc += rs_signal_check())
LOOP(t_raw_raise, acc += raise(SIGUSR2))
LOOP(t_raw_raise_info, acc += raise(SIGWINCH))
LOOP(t_rs_raise, acc += rs_signal_raise_signal(SIGUSR1))
LOOP(t_rs_raise_info, acc += rs_signal_raise_signal(SIGHUP))

static double minf(double a, double b) { return a < b ? a : b; }

static int cmpd(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, int n) {
    qsort(v, n, sizeof *v, cmpd);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int main(int argc, char **argv) {
    double scale = argc > 1 ? atof(argv[1]) : 1.0;
    long n_call = (long)(2000000 * scale), n_disp = (long)(500000 * scale), n_raise = (long)(20000 * scale);
    enum { R = 25 };

    rs_signal_handler h = {RS_SIGNAL_HANDLER_CALLBACK, counting_cb, NULL};
    if (rs_signal_signal(SIGUSR1, &h, NULL) != 0) {
        fprintf(stderr, "bench-micro: rs_signal_signal failed\n");
        return 2;
    }
    rs_signal_handler hi = {RS_SIGNAL_HANDLER_CALLBACK, info_cb, NULL};
    if (rs_signal_signal(SIGHUP, &hi, NULL) != 0 || rs_signal_add_listener(SIGURG, listener_cb, NULL, 0, NULL) != 0) {
        fprintf(stderr, "bench-micro: rs_signal_signal(SIGHUP) or rs_signal_add_listener(SIGURG) failed\n");
        return 2;
    }
    model_install(SIGUSR1, counting_cb, NULL);
    floor_install(SIGUSR1, counting_cb, NULL);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = raw_handler;
    sa.sa_flags = SA_ONSTACK; /* the flags rssignal uses: empty mask, no SA_RESTART */
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGUSR2, &sa, NULL) != 0) die("sigaction");
    sa.sa_handler = NULL;
    sa.sa_sigaction = raw_info_handler;
    sa.sa_flags = SA_ONSTACK | SA_SIGINFO; /* the flags rssignal 0.2 uses */
    if (sigaction(SIGWINCH, &sa, NULL) != 0) die("sigaction");

    /* warm up: resolve the PLT entries, fault in the pages */
    t_floor(1000), t_check(1000), t_atomic(1000), t_inline(1000), t_dispatch(1000), t_model(1000);
    t_floor_disp(1000), t_listener(1000);
    t_raw_raise(100), t_rs_raise(100), t_raw_raise_info(100), t_rs_raise_info(100);

    double floor_ = 1e9, check = 1e9, atomic = 1e9, inl = 1e9, disp = 1e9, raw = 1e9, rsr = 1e9, bare = 1e9;
    double model = 1e9, ratio_model[R], fdisp = 1e9, ratio_floor[R], lis = 1e9, ratio_lis[R];
    double rawi = 1e9, rsri = 1e9, ratio_record[R], ratio_record_info[R];
    double ratio_check[R], ratio_inline[R], ratio_shape[R], ratio_raise[R];
    for (int r = 0; r < R; r++) {
        /* alternate the order so drift hurts both sides alike */
        double a, b, c, d, e;
        if (r % 2) {
            a = t_floor(n_call), b = t_check(n_call);
            e = t_bare(n_call), d = t_inline(n_call), c = t_atomic(n_call);
        } else {
            b = t_check(n_call), a = t_floor(n_call);
            c = t_atomic(n_call), d = t_inline(n_call), e = t_bare(n_call);
        }
        floor_ = minf(floor_, a), check = minf(check, b), atomic = minf(atomic, c), inl = minf(inl, d);
        bare = minf(bare, e);
        ratio_check[r] = b / a, ratio_inline[r] = d / e, ratio_shape[r] = d / c;
        /* dispatch and its floor back to back, which goes first alternating;
         * the listener and the model around them */
        double dd, dm, df, dl;
        if (r % 2) {
            dl = t_listener(n_disp), dd = t_dispatch(n_disp), df = t_floor_disp(n_disp), dm = t_model(n_disp);
        } else {
            dm = t_model(n_disp), df = t_floor_disp(n_disp), dd = t_dispatch(n_disp), dl = t_listener(n_disp);
        }
        disp = minf(disp, dd), model = minf(model, dm), fdisp = minf(fdisp, df), lis = minf(lis, dl);
        ratio_model[r] = dd / dm, ratio_floor[r] = dd / df, ratio_lis[r] = dl / dd;
        double x, y, xi, yi;
        if (r % 2) {
            x = t_raw_raise(n_raise), y = t_rs_raise(n_raise), yi = t_rs_raise_info(n_raise), xi = t_raw_raise_info(n_raise);
        } else {
            xi = t_raw_raise_info(n_raise), yi = t_rs_raise_info(n_raise), y = t_rs_raise(n_raise), x = t_raw_raise(n_raise);
        }
        raw = minf(raw, x), rsr = minf(rsr, y), rawi = minf(rawi, xi), rsri = minf(rsri, yi);
        ratio_raise[r] = y / x, ratio_record[r] = yi / x, ratio_record_info[r] = yi / xi;
    }
    if (callbacks == 0 || raw_count == 0 || listener_calls == 0 || info_calls == 0 || raw_info_count == 0) {
        fprintf(stderr, "bench-micro: a callback, listener or handler never ran\n");
        return 2;
    }
    emit("call_floor_ns", floor_);
    emit("check_ns", check);
    emit("check_call_ratio_median", median(ratio_check, R));
    emit("atomic_load_ns", bare);
    emit("atomic_load_branch_ns", atomic);
    emit("check_inline_ns", inl);
    emit("check_inline_ratio_median", median(ratio_inline, R));
    emit("check_inline_same_shape_ratio_median", median(ratio_shape, R));
    emit("dispatch_ns", disp);
    emit("dispatch_floor_ns", fdisp);
    emit("dispatch_floor_ratio_median", median(ratio_floor, R));
    emit("dispatch_model_ns", model);
    emit("dispatch_model_ratio_median", median(ratio_model, R));
    emit("listener_dispatch_ns", lis);
    emit("listener_callback_ratio_median", median(ratio_lis, R));
    emit("raw_raise_ns", raw);
    emit("raw_raise_info_ns", rawi);
    emit("raise_dispatch_ns", rsr);
    emit("raise_dispatch_ratio_median", median(ratio_raise, R));
    emit("raise_record_ns", rsri);
    emit("raise_record_ratio_median", median(ratio_record, R));
    emit("raise_record_info_ratio_median", median(ratio_record_info, R));
    return 0;
}
