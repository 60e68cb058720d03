/* bench-callgrind MODE N: N dispatches of one kind, for
 * `valgrind --tool=callgrind` (make bench-callgrind): the instructions per
 * dispatch of the library and of the floor, per function.
 *   rssignal  rs_signal_set_interrupt(SIGUSR1) + rs_signal_check(), one callback
 *   floor     floor_mark(SIGUSR1) + floor_check(), the same callback
 *   listener  rs_signal_set_interrupt(SIGURG) + rs_signal_check(), one listener
 * The loop is the function dispatch_loop, so that its inclusive cost divided
 * by N is the cost of one dispatch. */
#include "common.h"

#include <signal.h>

#include "rssignal.h"

extern int floor_mark(int);
extern int floor_check(void);
extern void floor_install(int, int (*)(int, void *), void *);

static volatile long callbacks;
static int counting_cb(int signum, void *data) {
    (void)signum;
    (void)data;
    callbacks++;
    return 0;
}

__attribute__((noinline)) static long dispatch_loop(int mode, long n) {
    long acc = 0;
    for (long i = 0; i < n; i++) {
        switch (mode) {
        case 0: rs_signal_set_interrupt(SIGUSR1); acc += rs_signal_check(); break;
        case 1: floor_mark(SIGUSR1); acc += floor_check(); break;
        default: rs_signal_set_interrupt(SIGURG); acc += rs_signal_check(); break;
        }
    }
    return acc;
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: bench-callgrind rssignal|floor|listener N\n");
        return 2;
    }
    int mode = strcmp(argv[1], "rssignal") == 0 ? 0 : strcmp(argv[1], "floor") == 0 ? 1 : 2;
    long n = atol(argv[2]);
    rs_signal_handler h = {RS_SIGNAL_HANDLER_CALLBACK, counting_cb, NULL};
    if (rs_signal_signal(SIGUSR1, &h, NULL) != 0 || rs_signal_add_listener(SIGURG, counting_cb, NULL, 0, NULL) != 0) {
        fprintf(stderr, "bench-callgrind: setup failed\n");
        return 2;
    }
    floor_install(SIGUSR1, counting_cb, NULL);
    dispatch_loop(mode, 100); /* warm: PLT resolution stays out of the loop's count below */
    callbacks = 0;
    long acc = dispatch_loop(mode, n);
    if (acc != 0 || callbacks != n) {
        fprintf(stderr, "bench-callgrind: %ld callbacks for %ld dispatches\n", callbacks, n);
        return 2;
    }
    return 0;
}
