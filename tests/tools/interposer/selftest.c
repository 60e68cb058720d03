/* Self-test of the async-signal-safety interposer: a handler of our own,
 * installed with plain sigaction() (wrapped when RSSIG_INTERPOSE_ALL=1),
 * does what its argument says when SIGUSR1 arrives:
 *
 *   malloc free calloc realloc printf fprintf snprintf puts mutex
 *   getenv strerror tls tls-dso
 *                           -> must make the interposer abort the process
 *   good                    -> write() and errno only: must run and exit 0
 *
 * tests/tools/interposer/check.sh runs each case with and without the interposer:
 * every bad case must die of SIGABRT with the interposer's message, and
 * exit 0 without it (so the abort is the interposer's doing). */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *what;
static volatile sig_atomic_t ran;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static __thread int tls_counter; /* in the executable: initial-exec, no __tls_get_addr */
static void *sink;
int tlstouch(void); /* tlstouch.c, a shared library */

static void handler(int sig) {
    (void)sig;
    int saved = errno;
    if (!strcmp(what, "malloc")) {
        sink = malloc(16);
    } else if (!strcmp(what, "free")) {
        free(sink);
        sink = NULL;
    } else if (!strcmp(what, "calloc")) {
        sink = calloc(4, 4);
    } else if (!strcmp(what, "realloc")) {
        sink = realloc(sink, 64);
    } else if (!strcmp(what, "printf")) {
        printf("in handler %d\n", sig);
    } else if (!strcmp(what, "fprintf")) {
        fprintf(stderr, "in handler %d\n", sig);
    } else if (!strcmp(what, "snprintf")) {
        char b[32];
        snprintf(b, sizeof b, "%d", sig);
        sink = (void *)(uintptr_t)b[0];
    } else if (!strcmp(what, "puts")) {
        puts("in handler");
    } else if (!strcmp(what, "mutex")) {
        pthread_mutex_lock(&mu);
        pthread_mutex_unlock(&mu);
    } else if (!strcmp(what, "getenv")) {
        sink = getenv("HOME");
    } else if (!strcmp(what, "strerror")) {
        sink = strerror(EINVAL);
    } else if (!strcmp(what, "tls")) {
        tls_counter++; /* fine: the executable's TLS is static */
        sink = malloc(1); /* but this is not */
    } else if (!strcmp(what, "tls-dso")) {
        sink = (void *)(uintptr_t)tlstouch(); /* a shared library's thread-local */
    } else {
        (void)!write(1, "handler ran\n", 12);
    }
    ran = 1;
    errno = saved;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s CASE\n", argv[0]);
        return 2;
    }
    what = argv[1];
    sink = malloc(8);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = handler;
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGUSR1, &sa, NULL) != 0) return 2;
    /* the old-action output must show our handler, not a trampoline */
    struct sigaction back;
    if (sigaction(SIGUSR1, NULL, &back) != 0 || back.sa_handler != handler) {
        fprintf(stderr, "sigaction reports handler %p, installed %p\n", (void *)back.sa_handler, (void *)handler);
        return 3;
    }
    raise(SIGUSR1);
    if (!ran) return 4;
    printf("selftest %s: handler ran, no abort\n", what);
    return 0;
}
