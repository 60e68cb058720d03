/* libbenchfloor.so: the floors bench-micro times rssignal against, in a
 * shared library of their own so that every call goes through the PLT the
 * same way as a call into librssignal.
 *
 *   bench_floor_call()   an empty int function: the floor of check_ns.
 *   floor_mark(s)        the least work any deferred dispatch needs to mark
 *                        signal s (1..64): one atomic OR of its bit into the
 *                        pending word, one release store of the flag.
 *   floor_check()        the least work of a dispatch point: one acquire load
 *                        of the flag; when set, one exchange of the pending
 *                        word (the flag cleared first) and one indirect call
 *                        per set bit, in ascending order. A non-zero return
 *                        stops the scan and gives the rest back (cold).
 * The floor keeps CPython's order (ascending, flag cleared before the
 * calls, raise stops the scan) but no counts, records, stats, main-thread
 * test or panic containment: the work those add is what
 * dispatch_floor_ratio shows. */
#include <stdint.h>

typedef int (*floor_cb)(int, void *);

static struct {
    floor_cb cb;
    void *data;
} table[65];
static uint64_t pending_word;
static uint32_t flag;

int bench_floor_call(void) { return 0; }

void floor_install(int s, floor_cb cb, void *data) {
    table[s].cb = cb;
    table[s].data = data;
}

int floor_mark(int s) {
    __atomic_fetch_or(&pending_word, 1ULL << (s - 1), __ATOMIC_RELEASE);
    __atomic_store_n(&flag, 1, __ATOMIC_RELEASE);
    return 0;
}

__attribute__((cold, noinline)) static int floor_raised(uint64_t rest, int r) {
    if (rest) __atomic_fetch_or(&pending_word, rest, __ATOMIC_RELEASE);
    __atomic_store_n(&flag, 1, __ATOMIC_RELEASE);
    return r;
}

int floor_check(void) {
    if (__builtin_expect(__atomic_load_n(&flag, __ATOMIC_ACQUIRE) == 0, 1)) return 0;
    __atomic_store_n(&flag, 0, __ATOMIC_RELAXED);
    uint64_t bits = __atomic_exchange_n(&pending_word, 0, __ATOMIC_ACQ_REL);
    while (bits) {
        int s = __builtin_ctzll(bits) + 1;
        bits &= bits - 1;
        int r = table[s].cb(s, table[s].data);
        if (r) return floor_raised(bits, r);
    }
    return 0;
}
