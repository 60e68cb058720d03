/* libbenchmodel.so: a C model of rssignal's set_interrupt + dispatch, for
 * bench-micro's dispatch_model_ns — what the same algorithm costs without
 * the library's layers, as a floor timed in the same run:
 *   set_interrupt: range and kind checks, fetch_or of the signal's bit (one
 *     tripped word, bit s-1), release store of the pending word, wakeup fd
 *     load (the write out of line);
 *   check: load of the pending word; slow path: main-thread test
 *     (pthread_self), plain store of 0, per signal a fetch_and taking its
 *     bit (fetch_or(0) when no bit is seen), table read, callback; raised:
 *     pending word set again; wakeup-errno load at the end.
 * It keeps no last error and makes no reports: it is a floor, not a library. */
#include <pthread.h>
#include <stdint.h>

typedef int (*model_cb)(int, void *);
struct entry {
    model_cb cb;
    void *data;
    int kind;
};
static struct entry table[65];
static uint64_t tripped;
static uint32_t pending;
static uint64_t main_thread;
static int wakeup_fd = -1, wakeup_errno;

__attribute__((cold, noinline)) static void write_wakeup(int fd, int s) {
    (void)fd;
    (void)s;
}

int model_set_interrupt(int s) {
    if ((unsigned)(s - 1) > 63u) return -1;
    if (__atomic_load_n(&table[s].kind, __ATOMIC_RELAXED) < 2) return 0;
    __atomic_fetch_or(&tripped, 1ULL << (s - 1), __ATOMIC_ACQ_REL);
    __atomic_store_n(&pending, 1, __ATOMIC_RELEASE);
    int fd = __atomic_load_n(&wakeup_fd, __ATOMIC_ACQUIRE);
    if (fd >= 0) write_wakeup(fd, s);
    return 0;
}

__attribute__((cold, noinline)) static int model_check_slow(void) {
    if ((uint64_t)pthread_self() != __atomic_load_n(&main_thread, __ATOMIC_ACQUIRE)) return 0;
    __atomic_store_n(&pending, 0, __ATOMIC_RELAXED);
    uint64_t bits = __atomic_load_n(&tripped, __ATOMIC_ACQUIRE);
    if (!bits) bits = __atomic_fetch_or(&tripped, 0, __ATOMIC_ACQ_REL);
    while (bits) {
        int s = __builtin_ctzll(bits) + 1;
        uint64_t bit = 1ULL << (s - 1);
        uint64_t before = __atomic_fetch_and(&tripped, ~bit, __ATOMIC_ACQ_REL);
        if (before & bit) {
            struct entry *e = &table[s];
            if (__atomic_load_n(&e->kind, __ATOMIC_ACQUIRE) == 2) {
                int r = e->cb(s, e->data);
                if (r) {
                    __atomic_store_n(&pending, 1, __ATOMIC_RELEASE);
                    return r;
                }
            }
            bits = __atomic_load_n(&tripped, __ATOMIC_ACQUIRE);
        } else {
            bits = before;
        }
        bits &= s >= 64 ? 0 : ~0ULL << s;
    }
    if (__atomic_load_n(&wakeup_errno, __ATOMIC_RELAXED)) return -2;
    return 0;
}

int model_check(void) {
    if (__atomic_load_n(&pending, __ATOMIC_ACQUIRE) == 0) return 0;
    return model_check_slow();
}

void model_install(int s, model_cb cb, void *data) {
    table[s].cb = cb;
    table[s].data = data;
    __atomic_store_n(&table[s].kind, 2, __ATOMIC_RELEASE);
    main_thread = (uint64_t)pthread_self();
}
