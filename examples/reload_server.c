/*
 * reload_server — who sent it and how many: a server that logs the sender
 * of its SIGTERM and how many SIGHUPs one reload stands for.
 *
 * The server forks an "admin" process. While the server is busy with a long
 * request (no dispatch point), the admin sends SIGHUP three times; then the
 * server goes back to its poll() loop, where one dispatch runs one reload
 * callback for the three arrivals, and rs_signal_delivery_info() says
 * arrivals=3 and the admin's pid. The admin then sends SIGTERM, and the
 * shutdown callback logs who sent it.
 *
 * The kernel keeps at most one pending instance of a standard signal, so
 * three SIGHUPs sent faster than the handler runs could be one arrival. The
 * admin therefore waits, after each kill(), for the server's "got it"; the
 * server sends it when the handler's wakeup byte (one per arrival) is in the
 * pipe. Reading the wakeup pipe is not a dispatch point: no callback runs.
 * Every step waits for an answer; there is no sleep.
 *
 * Exits 0 when the reload callback ran once with arrivals=3 from the admin's
 * pid and the shutdown callback saw SIGTERM from the admin's pid.
 */
#include <rssignal.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "demo.h"

struct server {
    int reloads;      /* reload callback calls */
    uint32_t hups;    /* SIGHUP arrivals those reloads stood for */
    int hup_pid;      /* sender of the latest SIGHUP */
    int term_pid;     /* sender of SIGTERM */
    int shutdown;     /* set by on_term: the loop's exit condition */
};

static const char *code_name(int code) {
    switch (code) {
    case SI_USER:
        return "SI_USER (kill)";
    case SI_QUEUE:
        return "SI_QUEUE (sigqueue)";
    case SI_TKILL:
        return "SI_TKILL (tgkill, raise)";
    default:
        return "other";
    }
}

/* ---- the callbacks: ordinary code, run at a dispatch point ---------------- */

static int on_reload(int signum, void *user_data) {
    struct server *srv = user_data;
    rs_signal_delivery d;
    if (rs_signal_delivery_info(&d) != RS_SIGNAL_OK) {
        return RS_SIGNAL_EUSER;
    }
    srv->reloads++;
    srv->hups += d.arrivals;
    srv->hup_pid = d.pid;
    printf("[server] reload: %s arrivals=%u (one reload for all of them), last from pid %d uid %u, %s\n",
           rs_signal_name(signum), d.arrivals, d.pid, d.uid, code_name(d.code));
    return 0;
}

static int on_term(int signum, void *user_data) {
    struct server *srv = user_data;
    rs_signal_delivery d;
    if (rs_signal_delivery_info(&d) != RS_SIGNAL_OK) {
        return RS_SIGNAL_EUSER;
    }
    srv->term_pid = d.pid;
    srv->shutdown = 1;
    printf("[server] %s from pid %d (uid %u): shutting down\n", rs_signal_name(signum), d.pid, d.uid);
    return 0;
}

/* ---- plain helpers ------------------------------------------------------- */

/* Block until fd is readable, then read one byte; the byte or -1. */
static int read_byte(int fd) {
    struct pollfd p = {.fd = fd, .events = POLLIN};
    unsigned char b;
    for (;;) {
        if (poll(&p, 1, 10000) <= 0) {
            if (errno == EINTR) {
                continue;
            }
            return -1;
        }
        ssize_t n = read(fd, &b, 1);
        if (n == 1) {
            return b;
        }
        if (n < 0 && (errno == EINTR || errno == EAGAIN)) {
            continue;
        }
        return -1;
    }
}

/* The admin: three SIGHUPs, each acknowledged, then SIGTERM after the reload. */
static int admin(pid_t server, int from_server) {
    for (int i = 1; i <= 3; i++) {
        printf("[admin %d] kill(server, SIGHUP) #%d\n", (int)getpid(), i);
        if (kill(server, SIGHUP) != 0 || read_byte(from_server) != 'k') {
            return 1;
        }
    }
    if (read_byte(from_server) != 'r') { /* the server reloaded */
        return 1;
    }
    printf("[admin %d] kill(server, SIGTERM)\n", (int)getpid());
    return kill(server, SIGTERM) == 0 ? 0 : 1;
}

int main(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    struct server srv = {0};

    int wake[2], to_admin[2];
    if (pipe(wake) != 0 || pipe(to_admin) != 0 || fcntl(wake[0], F_SETFL, O_NONBLOCK) != 0 ||
        fcntl(wake[1], F_SETFL, O_NONBLOCK) != 0) {
        perror("pipe");
        return 1;
    }
    rs_signal_set_wakeup_fd(wake[1], 1, NULL);
    rs_signal_handler reload = {RS_SIGNAL_HANDLER_CALLBACK, on_reload, &srv};
    rs_signal_handler term = {RS_SIGNAL_HANDLER_CALLBACK, on_term, &srv};
    if (rs_signal_signal(RS_SIGHUP, &reload, NULL) != RS_SIGNAL_OK ||
        rs_signal_signal(RS_SIGTERM, &term, NULL) != RS_SIGNAL_OK) {
        fprintf(stderr, "rs_signal_signal failed\n");
        return 1;
    }

    pid_t server = getpid();
    pid_t pid = fork();
    if (pid < 0) {
        perror("fork");
        return 1;
    }
    if (pid == 0) {
        _exit(admin(server, to_admin[0]));
    }
    printf("[server %d] started admin %d; busy with a long request (no dispatch point)\n", (int)server, (int)pid);

    /* Busy: each SIGHUP's handler leaves one wakeup byte; acknowledge it. */
    for (int i = 0; i < 3; i++) {
        EXPECT(read_byte(wake[0]) == SIGHUP);
        EXPECT(write(to_admin[1], "k", 1) == 1);
    }
    EXPECT(srv.reloads == 0); /* three arrivals, no callback yet */

    /* Back in the loop: dispatch, then poll the wakeup fd. */
    for (;;) {
        int reloads = srv.reloads;
        int rc = rs_signal_check(); /* the dispatch point */
        EXPECT(rc == RS_SIGNAL_OK);
        if (srv.shutdown) {
            break;
        }
        if (srv.reloads > reloads) {
            EXPECT(write(to_admin[1], "r", 1) == 1);
        }
        struct pollfd p = {.fd = wake[0], .events = POLLIN};
        int n = poll(&p, 1, 10000);
        if (n == 0 || (n < 0 && errno != EINTR)) {
            printf("[server] no signal for 10 s\n");
            break;
        }
        unsigned char bytes[16];
        while (read(wake[0], bytes, sizeof bytes) > 0) {
        }
    }

    int status = 0;
    EXPECT(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0);
    EXPECT(srv.reloads == 1 && srv.hups == 3);
    EXPECT(srv.hup_pid == pid);
    EXPECT(srv.term_pid == pid);
    rs_signal_stats st;
    rs_signal_get_stats(RS_SIGHUP, &st);
    printf("[server] stats SIGHUP: arrivals=%llu dispatches=%llu\n", (unsigned long long)st.arrivals,
           (unsigned long long)st.dispatches);
    EXPECT(st.arrivals == 3 && st.dispatches == 1);
    rs_signal_set_wakeup_fd(-1, 0, NULL);
    rs_signal_finalize();
    return demo_exit("reload_server");
}
