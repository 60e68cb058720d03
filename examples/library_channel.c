/*
 * library_channel — several owners of one signal. The host installs its
 * SIGUSR1 callback as usual; beside it, two "libraries" that know nothing of
 * the host's handler watch the same signal without replacing it:
 * - a metrics library adds a listener: it runs on the host's main thread,
 *   at the host's dispatch point, after the host's callback;
 * - a monitor library opens a channel and polls its fd on a thread of its
 *   own: it needs neither the main thread nor the host's loop.
 *
 * Another process sends SIGUSR1 once. Exits 0 when the host's callback, the
 * listener and the channel all saw that one arrival, the channel with the
 * sender's pid. The monitor thread says when its channel is open through a
 * pipe, so the signal is sent only then; there is no sleep.
 */
#include <rssignal.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "demo.h"

/* ---- the monitor library: a channel on its own thread -------------------- */

struct monitor {
    int ready;           /* write end: "the channel is open" */
    int seen;            /* SIGUSR1 records read */
    rs_signal_delivery last;
};

static void *monitor_thread(void *arg) {
    struct monitor *m = arg;
    rs_sigset set;
    rs_sigset_empty(&set);
    rs_sigset_add(&set, RS_SIGUSR1);
    rs_signal_channel *ch;
    if (rs_signal_channel_open(&set, 0, &ch) != RS_SIGNAL_OK) {
        return NULL;
    }
    if (write(m->ready, "o", 1) != 1) {
        return NULL;
    }
    struct pollfd p = {.fd = rs_signal_channel_fd(ch), .events = POLLIN};
    while (m->seen == 0 && poll(&p, 1, 10000) > 0) {
        rs_signal_delivery d[4];
        size_t n = 0;
        rs_signal_channel_read(ch, d, 4, &n);
        for (size_t i = 0; i < n; i++) {
            printf("    [monitor thread] channel: %s arrivals=%u from pid %d\n", rs_signal_name(d[i].signum),
                   d[i].arrivals, d[i].pid);
            m->seen += (int)d[i].arrivals;
            m->last = d[i];
        }
    }
    rs_signal_channel_close(ch);
    return NULL;
}

/* ---- the metrics library: a listener ------------------------------------- */

static int metrics_listener(int signum, void *user_data) {
    int *count = user_data;
    ++*count;
    printf("    [metrics listener] %s, on the main thread after the host's callback\n", rs_signal_name(signum));
    return 0;
}

/* ---- the host ------------------------------------------------------------ */

static int host_calls;

static int host_callback(int signum, void *user_data) {
    (void)user_data;
    host_calls++;
    printf("    [host callback] %s\n", rs_signal_name(signum));
    return 0;
}

int main(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);

    /* The host: its own callback and its own wakeup fd, as usual. */
    int wake[2];
    if (pipe(wake) != 0 || fcntl(wake[0], F_SETFL, O_NONBLOCK) != 0 || fcntl(wake[1], F_SETFL, O_NONBLOCK) != 0) {
        perror("pipe");
        return 1;
    }
    rs_signal_set_wakeup_fd(wake[1], 1, NULL);
    rs_signal_handler h = {RS_SIGNAL_HANDLER_CALLBACK, host_callback, NULL};
    EXPECT(rs_signal_signal(RS_SIGUSR1, &h, NULL) == RS_SIGNAL_OK);

    /* The metrics library: a listener beside the host's callback. */
    int metrics = 0;
    rs_signal_listener_id id;
    EXPECT(rs_signal_add_listener(RS_SIGUSR1, metrics_listener, &metrics, 0, &id) == RS_SIGNAL_OK);

    /* The monitor library: a channel on a thread of its own. */
    int ready[2];
    if (pipe(ready) != 0) {
        perror("pipe");
        return 1;
    }
    struct monitor m = {.ready = ready[1]};
    pthread_t t;
    pthread_create(&t, NULL, monitor_thread, &m);
    char c;
    EXPECT(read(ready[0], &c, 1) == 1); /* the channel is open */

    /* Someone else sends SIGUSR1 once. */
    pid_t pid = fork();
    if (pid == 0) {
        _exit(kill(getppid(), SIGUSR1) == 0 ? 0 : 1);
    }
    printf("    sender: pid %d\n", (int)pid);

    /* The host's loop: wait for the wakeup byte, then dispatch. */
    struct pollfd p = {.fd = wake[0], .events = POLLIN};
    while (poll(&p, 1, 10000) < 0 && errno == EINTR) {
    }
    unsigned char bytes[8];
    EXPECT(read(wake[0], bytes, sizeof bytes) == 1);
    EXPECT(rs_signal_check() == RS_SIGNAL_OK);
    EXPECT(host_calls == 1 && metrics == 1);

    pthread_join(t, NULL);
    EXPECT(m.seen == 1 && m.last.signum == RS_SIGUSR1 && m.last.pid == pid);
    int status = 0;
    EXPECT(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0);

    /* The metrics library unloads: the host's callback stays. */
    EXPECT(rs_signal_remove_listener(id) == RS_SIGNAL_OK);
    rs_signal_handler now;
    rs_signal_getsignal(RS_SIGUSR1, &now);
    EXPECT(now.kind == RS_SIGNAL_HANDLER_CALLBACK && now.callback == host_callback);
    rs_signal_set_wakeup_fd(-1, 0, NULL);
    rs_signal_finalize();
    return demo_exit("library_channel");
}
