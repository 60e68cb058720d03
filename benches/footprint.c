/* bench-footprint LIBRARY: resident memory that rssignal adds. dlopen()s the
 * library, then measures VmRSS (/proc/self/statm) before loading, after
 * loading, after initialisation (first rs_signal_getsignal) and after
 * installing 30 callbacks. Prints the growth in KiB, of all of RSS (text
 * pages touched for the first time included) and of its anonymous part. */
#include "common.h"

#include <dlfcn.h>
#include <signal.h>

#include "rssignal.h"

static long rss_kib(void) {
    long size, res;
    FILE *f = fopen("/proc/self/statm", "r");
    if (!f || fscanf(f, "%ld %ld", &size, &res) != 2) die("statm");
    fclose(f);
    return res * (sysconf(_SC_PAGESIZE) / 1024);
}

/* the private (anonymous) part of RSS: what the library really allocates,
 * apart from the file-backed text pages it touches */
static long rss_anon_kib(void) {
    char line[256];
    long v = -1;
    FILE *f = fopen("/proc/self/status", "r");
    if (!f) die("status");
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "RssAnon: %ld", &v) == 1) break;
    fclose(f);
    return v;
}

static int cb(int s, void *d) {
    (void)s, (void)d;
    return 0;
}

int main(int argc, char **argv) {
    if (argc < 2) return 2;
    long r0 = rss_kib(), a0 = rss_anon_kib();
    void *lib = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        fprintf(stderr, "bench-footprint: %s\n", dlerror());
        return 2;
    }
    int (*getsig)(int, rs_signal_handler *) = (int (*)(int, rs_signal_handler *))dlsym(lib, "rs_signal_getsignal");
    int (*setsig)(int, const rs_signal_handler *, rs_signal_handler *) =
        (int (*)(int, const rs_signal_handler *, rs_signal_handler *))dlsym(lib, "rs_signal_signal");
    int (*rtmin)(void) = (int (*)(void))dlsym(lib, "rs_signal_sigrtmin");
    if (!getsig || !setsig || !rtmin) return 2;
    long r1 = rss_kib(), a1 = rss_anon_kib();
    rs_signal_handler old;
    getsig(SIGINT, &old);
    long r2 = rss_kib(), a2 = rss_anon_kib();
    int base[] = {SIGHUP, SIGUSR1, SIGUSR2, SIGALRM, SIGTERM, SIGURG, SIGWINCH, SIGIO, SIGPWR, SIGVTALRM};
    int n = 0;
    rs_signal_handler h = {RS_SIGNAL_HANDLER_CALLBACK, cb, NULL};
    for (unsigned i = 0; i < sizeof base / sizeof *base; i++) n += setsig(base[i], &h, NULL) == 0;
    for (int s = rtmin(); n < 30; s++) n += setsig(s, &h, NULL) == 0;
    long r3 = rss_kib(), a3 = rss_anon_kib();
    emit("rss_load_kib", (double)(r1 - r0));
    emit("rss_init_kib", (double)(r2 - r1));
    emit("rss_30_handlers_kib", (double)(r3 - r2));
    emit("rss_total_kib", (double)(r3 - r0));
    emit("anon_load_kib", (double)(a1 - a0));
    emit("anon_init_kib", (double)(a2 - a1));
    emit("anon_30_handlers_kib", (double)(a3 - a2));
    return 0;
}
