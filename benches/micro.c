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
 *   dispatch_model_ns  the same with libbenchmodel.so, a C model of the
 *                      library's algorithm (model.c): the floor for dispatch_ns
 *   raw_raise_ns       raise(SIGUSR2) + a counting sigaction handler
 *   raise_dispatch_ns  rs_signal_raise_signal(SIGUSR1) + counting callback
 * Usage: bench-micro [scale]   (scale multiplies iteration counts; default 1) */
#include "common.h"

#include <signal.h>
#include <stdatomic.h>

#include "rssignal.h"

extern int bench_floor_call(void);
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
LOOP(t_model, model_set_interrupt(SIGUSR1); acc += model_check())
LOOP(t_raw_raise, acc += raise(SIGUSR2))
LOOP(t_rs_raise, acc += rs_signal_raise_signal(SIGUSR1))

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
    model_install(SIGUSR1, counting_cb, NULL);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = raw_handler;
    sa.sa_flags = SA_ONSTACK; /* the flags rssignal uses: empty mask, no SA_RESTART */
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGUSR2, &sa, NULL) != 0) die("sigaction");

    /* warm up: resolve the PLT entries, fault in the pages */
    t_floor(1000), t_check(1000), t_atomic(1000), t_inline(1000), t_dispatch(1000), t_model(1000);
    t_raw_raise(100), t_rs_raise(100);

    double floor_ = 1e9, check = 1e9, atomic = 1e9, inl = 1e9, disp = 1e9, raw = 1e9, rsr = 1e9, bare = 1e9;
    double model = 1e9, ratio_model[R];
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
        double dd, dm;
        if (r % 2) {
            dd = t_dispatch(n_disp), dm = t_model(n_disp);
        } else {
            dm = t_model(n_disp), dd = t_dispatch(n_disp);
        }
        disp = minf(disp, dd), model = minf(model, dm);
        ratio_model[r] = dd / dm;
        double x, y;
        if (r % 2) {
            x = t_raw_raise(n_raise), y = t_rs_raise(n_raise);
        } else {
            y = t_rs_raise(n_raise), x = t_raw_raise(n_raise);
        }
        raw = minf(raw, x), rsr = minf(rsr, y);
        ratio_raise[r] = y / x;
    }
    if (callbacks == 0 || raw_count == 0) {
        fprintf(stderr, "bench-micro: no callback ran\n");
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
    emit("dispatch_model_ns", model);
    emit("dispatch_model_ratio_median", median(ratio_model, R));
    emit("raw_raise_ns", raw);
    emit("raise_dispatch_ns", rsr);
    emit("raise_dispatch_ratio_median", median(ratio_raise, R));
    return 0;
}
