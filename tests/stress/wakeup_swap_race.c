/* Swapping the wakeup fd between a pipe and a socket while signals arrive.
 *
 * The handler must write to the fd it finds with the call that suits that
 * fd: send(MSG_NOSIGNAL) for a socket, write() for anything else. If the fd
 * and its "is a socket" flag can be read from two different settings, a
 * handler running during rs_signal_set_wakeup_fd() can
 *   - send() to the pipe: ENOTSOCK, reported as a wakeup-fd write error
 *     although both fds were fine, or
 *   - write() to the socket: when its peer is gone that raises SIGPIPE,
 *     which kills a process whose SIGPIPE is SIG_DFL (the very thing
 *     MSG_NOSIGNAL is there to prevent).
 *
 *   wakeup_swap_race SWAPS
 *
 * Phase 1: pipe <-> connected socket: no report may appear (both fds work).
 * Phase 2: pipe <-> socket whose peer is closed, SIGPIPE left SIG_DFL: the
 *          process must survive (EPIPE reports are expected).
 * A second thread raises SIGUSR1 at itself in a loop, so the handler runs
 * concurrently with the swaps. Exits 0 when nothing went wrong. */
#include <pthread.h>
#include <stdatomic.h>
#include <sys/socket.h>

#include "common.h"

static atomic_int stop;
static atomic_ulong raised;
static unsigned long reports_enotsock, reports_epipe, reports_eagain, reports_other;

static int cb(int s, void *d) {
    (void)s;
    (void)d;
    return 0;
}

static void hook(const rs_signal_unraisable *r, void *d) {
    (void)d;
    if (r->os_errno == ENOTSOCK)
        reports_enotsock++;
    else if (r->os_errno == EPIPE)
        reports_epipe++;
    else if (r->os_errno == EAGAIN)
        reports_eagain++;
    else {
        if (reports_other < 3) fprintf(stderr, "report: errno %d: %s\n", r->os_errno, r->message);
        reports_other++;
    }
}

static void *raiser(void *p) {
    (void)p;
    while (!atomic_load(&stop)) {
        raise(SIGUSR1); /* runs rssignal's handler on this thread */
        atomic_fetch_add(&raised, 1);
    }
    return NULL;
}

static void drain(int fd) {
    char buf[4096];
    while (read(fd, buf, sizeof buf) > 0) {
    }
}

/* Swap between a pipe and a socket `swaps` times, dispatching now and then. */
static void swap_loop(int pipe_w, int pipe_r, int sock, int sock_r, long swaps) {
    for (long i = 0; i < swaps; i++) {
        int fd = (i & 1) ? sock : pipe_w;
        if (rs_signal_set_wakeup_fd(fd, 0, NULL) != 0) fail("set_wakeup_fd(%d): %s", fd, last_message());
        if ((i & 255) == 0) {
            rs_signal_check();
            drain(pipe_r);
            if (sock_r >= 0) drain(sock_r);
        }
    }
    rs_signal_set_wakeup_fd(-1, 0, NULL);
    rs_signal_check();
}

int main(int argc, char **argv) {
    long swaps = argc > 1 ? atol(argv[1]) : 200000;
    setvbuf(stdout, NULL, _IOLBF, 0);
    printf("== wakeup fd swapped between a pipe and a socket %ld times while a thread raises SIGUSR1\n", swaps);
    rs_signal_set_unraisable_hook(hook, NULL);
    rs_signal_handler h = {RS_SIGNAL_HANDLER_CALLBACK, cb, NULL};
    if (rs_signal_signal(SIGUSR1, &h, NULL) != 0) return 2;
    int p[2], s[2], dead[2];
    nb_pipe(p);
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, s) != 0) return 2;
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, dead) != 0) return 2;
    close(dead[1]); /* writes to dead[0] now fail with EPIPE (and SIGPIPE unless MSG_NOSIGNAL) */

    pthread_t t;
    pthread_create(&t, NULL, raiser, NULL);

    /* phase 1 */
    swap_loop(p[1], p[0], s[0], s[1], swaps);
    printf("  phase 1 (pipe <-> live socket): %lu ENOTSOCK reports, %lu other reports\n", reports_enotsock,
           reports_other);
    if (reports_enotsock) fail("%lu spurious ENOTSOCK reports: send() went to the pipe", reports_enotsock);

    atomic_store(&stop, 1);
    pthread_join(t, NULL);
    printf("  %lu signals raised by the second thread\n", (unsigned long)atomic_load(&raised));

    /* phase 2, in a child (SIGPIPE stays SIG_DFL and may kill it) */
    struct sigaction sa;
    sigaction(SIGPIPE, NULL, &sa);
    if (sa.sa_handler != SIG_DFL) fail("SIGPIPE is not SIG_DFL");
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        atomic_store(&stop, 0);
        pthread_create(&t, NULL, raiser, NULL);
        unsigned long before = reports_enotsock;
        swap_loop(p[1], p[0], dead[0], -1, swaps);
        atomic_store(&stop, 1);
        pthread_join(t, NULL);
        printf("  phase 2 (pipe <-> socket with a closed peer, SIGPIPE default): survived; %lu EPIPE reports, "
               "%lu ENOTSOCK\n", reports_epipe, reports_enotsock - before);
        fflush(NULL);
        _exit(reports_enotsock > before ? 1 : 0);
    }
    int st;
    wait_retry(pid, &st, NULL);
    if (WIFSIGNALED(st))
        fail("phase 2 (pipe <-> socket with a closed peer): killed by signal %d (%s): the handler write()s to the "
             "socket instead of send(MSG_NOSIGNAL)", WTERMSIG(st), strsignal(WTERMSIG(st)));
    else if (WEXITSTATUS(st) != 0)
        fail("phase 2: spurious ENOTSOCK reports");
    if (reports_other) fail("%lu unexpected reports", reports_other);
    printf("wakeup swap race: %s\n", g_failures ? "FAILED" : "passed");
    return g_failures ? 1 : 0;
}
