/*
 * poll_server — the event-loop pattern: a poll() loop woken by the wakeup fd.
 *
 *     poll_server [SIGTERM|SIGINT]      (default SIGTERM)
 *
 * The server listens on 127.0.0.1 (port chosen by the kernel) and installs
 * callbacks: SIGUSR1 "reloads the configuration", SIGINT and SIGTERM ask for
 * a clean shutdown. The signal handler writes one byte per arrival (the
 * signal number) to a non-blocking pipe registered with
 * rs_signal_set_wakeup_fd(); the loop polls that pipe beside its sockets, and
 * when it becomes readable it drains it and calls rs_signal_check(), which
 * runs the callbacks as ordinary code. No callback ever runs inside the
 * signal handler, so the callbacks can printf, send on sockets and touch the
 * server's state freely.
 *
 * The server first forks a "controller" process. The controller waits until
 * the server says it is ready (its port number, through a pipe), connects and
 * sends a message, then sends SIGUSR1 with kill() and waits for the server's
 * "reloaded" line, then sends the shutdown signal named on the command line
 * and waits for the server to close the connection. Every step waits for an
 * answer: there is no sleep anywhere.
 *
 * Exits 0 when the server shut down because of the expected signal, every
 * signal's callback ran, and the controller saw every answer.
 */
#include <rssignal.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_CLIENTS 8

struct server {
    int shutdown_signal;       /* set by on_shutdown: the loop's exit condition */
    int reloads;               /* on_reload calls */
    int messages;              /* client lines answered */
    int callbacks[RS_NSIG];    /* callback calls per signal */
    int wakeup_bytes[RS_NSIG]; /* wakeup bytes per signal */
    int clients[MAX_CLIENTS];
    int nclients;
};

static double t0;

static double elapsed(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9 - t0;
}

static void send_line(int fd, const char *line) {
    size_t len = strlen(line);
    while (len > 0) {
        ssize_t n = send(fd, line, len, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return;
        }
        line += n;
        len -= (size_t)n;
    }
}

/* ---- the callbacks: ordinary code, run by rs_signal_check() -------------- */

static int on_reload(int signum, void *user_data) {
    struct server *srv = user_data;
    srv->callbacks[signum]++;
    srv->reloads++;
    printf("[server]     callback: %s -> reloading the configuration (reload #%d), telling %d client(s)\n",
           rs_signal_name(signum), srv->reloads, srv->nclients);
    for (int i = 0; i < srv->nclients; i++) {
        send_line(srv->clients[i], "reloaded\n");
    }
    return 0;
}

static int on_shutdown(int signum, void *user_data) {
    struct server *srv = user_data;
    srv->callbacks[signum]++;
    srv->shutdown_signal = signum;
    printf("[server]     callback: %s -> shutdown requested\n", rs_signal_name(signum));
    return 0;
}

/* ---- the controller (a child process, plain POSIX) ----------------------- */

/* Read one line from fd into buf; 1 on a line, 0 on EOF, -1 on error. */
static int read_line(int fd, char *buf, size_t size) {
    size_t len = 0;
    while (len + 1 < size) {
        char c;
        ssize_t n = read(fd, &c, 1);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            return -1;
        }
        if (n == 0) {
            buf[len] = '\0';
            return len > 0 ? 1 : 0;
        }
        if (c == '\n') {
            break;
        }
        buf[len++] = c;
    }
    buf[len] = '\0';
    return 1;
}

static int expect_line(int fd, const char *want) {
    char line[128];
    int rc = read_line(fd, line, sizeof line);
    if (rc != 1 || strcmp(line, want) != 0) {
        printf("[controller] expected \"%s\", got %s\"%s\"\n", want, rc == 1 ? "" : rc == 0 ? "EOF " : "an error ",
               rc == 1 ? line : "");
        return -1;
    }
    printf("[controller] <- \"%s\"\n", line);
    return 0;
}

static int controller(int ready_fd, pid_t server, int stopsig) {
    char line[32];
    /* Wait until the server is ready: it writes its port, then its loop runs. */
    if (read_line(ready_fd, line, sizeof line) != 1) {
        printf("[controller] the server died before it was ready\n");
        return 1;
    }
    close(ready_fd);
    int port = atoi(line);
    printf("[controller] server %d is ready on 127.0.0.1:%d\n", (int)server, port);

    int sock = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct timeval limit = {10, 0}; /* a safety net against a hung server, not a synchronisation */
    setsockopt(sock, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (sock < 0 || connect(sock, (struct sockaddr *)&addr, sizeof addr) != 0) {
        perror("[controller] connect");
        return 1;
    }
    printf("[controller] -> \"hello\"\n");
    send_line(sock, "hello\n");
    if (expect_line(sock, "ack hello") != 0) {
        return 1;
    }

    printf("[controller] kill(%d, SIGUSR1)\n", (int)server);
    kill(server, SIGUSR1);
    if (expect_line(sock, "reloaded") != 0) {
        return 1;
    }

    printf("[controller] kill(%d, %s)\n", (int)server, rs_signal_name(stopsig));
    kill(server, stopsig);
    if (expect_line(sock, "bye") != 0) {
        return 1;
    }
    if (read_line(sock, line, sizeof line) != 0) {
        printf("[controller] expected the server to close the connection\n");
        return 1;
    }
    printf("[controller] the server closed the connection: done\n");
    close(sock);
    return 0;
}

/* ---- the server ----------------------------------------------------------- */

/* Drain the wakeup pipe: one byte, the signal number, per arrival. */
static void drain_wakeup(struct server *srv, int fd, const char *what) {
    unsigned char bytes[64];
    ssize_t n;
    while ((n = read(fd, bytes, sizeof bytes)) > 0) {
        printf("[server] %7.3f ms %s: %zd byte(s):", elapsed() * 1e3, what, n);
        for (ssize_t i = 0; i < n; i++) {
            srv->wakeup_bytes[bytes[i]]++;
            printf(" %d (%s)", bytes[i], rs_signal_name(bytes[i]));
        }
        printf("\n");
    }
}

static int check(int rc, const char *what) {
    if (rc < 0) {
        rs_signal_error err;
        rs_signal_last_error(&err);
        printf("[server] %s: %s: %s\n", what, rs_signal_status_name(rc), err.message);
        exit(1);
    }
    return rc;
}

static int listen_loopback(int *port) {
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = 0};
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (fd < 0 || bind(fd, (struct sockaddr *)&addr, sizeof addr) != 0 || listen(fd, 8) != 0 ||
        getsockname(fd, (struct sockaddr *)&addr, &len) != 0) {
        perror("[server] listen");
        exit(1);
    }
    *port = ntohs(addr.sin_port);
    return fd;
}

int main(int argc, char **argv) {
    int stopsig = RS_SIGTERM;
    if (argc > 1 && (rs_signal_from_name(argv[1], &stopsig) != RS_SIGNAL_OK ||
                     (stopsig != RS_SIGINT && stopsig != RS_SIGTERM))) {
        fprintf(stderr, "usage: %s [SIGTERM|SIGINT]\n", argv[0]);
        return 2;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    t0 = (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;

    /* The controller: forked first, it waits on `ready` for the server. */
    int ready[2];
    if (pipe2(ready, O_CLOEXEC) != 0) {
        perror("pipe2");
        return 1;
    }
    pid_t server_pid = getpid();
    pid_t child = fork();
    if (child < 0) {
        perror("fork");
        return 1;
    }
    if (child == 0) {
        close(ready[1]);
        _exit(controller(ready[0], server_pid, stopsig));
    }
    close(ready[0]);

    struct server srv = {0};

    /* The wakeup fd: a non-blocking pipe; the handler writes one byte per arrival. */
    int wake[2];
    if (pipe2(wake, O_NONBLOCK | O_CLOEXEC) != 0) {
        perror("pipe2");
        return 1;
    }
    check(rs_signal_set_wakeup_fd(wake[1], 1, NULL), "rs_signal_set_wakeup_fd");

    /* The callbacks, with the server as their user_data. */
    rs_signal_handler reload = {RS_SIGNAL_HANDLER_CALLBACK, on_reload, &srv};
    rs_signal_handler stop = {RS_SIGNAL_HANDLER_CALLBACK, on_shutdown, &srv};
    check(rs_signal_signal(RS_SIGUSR1, &reload, NULL), "rs_signal_signal(SIGUSR1)");
    check(rs_signal_signal(RS_SIGINT, &stop, NULL), "rs_signal_signal(SIGINT)");
    check(rs_signal_signal(RS_SIGTERM, &stop, NULL), "rs_signal_signal(SIGTERM)");

    /* A parent may have left them blocked; a blocked signal would never arrive. */
    int used[] = {RS_SIGUSR1, RS_SIGINT, RS_SIGTERM};
    rs_sigset set;
    check(rs_sigset_from_array(used, 3, &set), "rs_sigset_from_array");
    check(rs_signal_pthread_sigmask(RS_SIG_UNBLOCK, &set, NULL), "rs_signal_pthread_sigmask");

    int port;
    int lsock = listen_loopback(&port);
    printf("[server] pid %d listening on 127.0.0.1:%d; callbacks for SIGUSR1 (reload), SIGINT and SIGTERM "
           "(shutdown); wakeup fd %d\n",
           (int)server_pid, port, wake[1]);
    char msg[16];
    snprintf(msg, sizeof msg, "%d\n", port);
    if (write(ready[1], msg, strlen(msg)) < 0) {
        perror("write");
    }
    close(ready[1]);

    int eintr = 0;
    while (!srv.shutdown_signal) {
        struct pollfd fds[2 + MAX_CLIENTS];
        fds[0] = (struct pollfd){.fd = wake[0], .events = POLLIN};
        fds[1] = (struct pollfd){.fd = lsock, .events = POLLIN};
        for (int i = 0; i < srv.nclients; i++) {
            fds[2 + i] = (struct pollfd){.fd = srv.clients[i], .events = POLLIN};
        }
        int nfds = 2 + srv.nclients;

        if (poll(fds, (nfds_t)nfds, -1) < 0) {
            if (errno == EINTR) {
                /* A handler ran during poll(). Its byte is already in the
                   wakeup pipe (written after the flags), so the next poll()
                   returns at once and the dispatch happens there. */
                eintr++;
                printf("[server] %7.3f ms poll() interrupted (EINTR): poll() again\n", elapsed() * 1e3);
                continue;
            }
            perror("poll");
            break;
        }

        if (fds[0].revents & POLLIN) {
            drain_wakeup(&srv, wake[0], "wakeup fd readable");
            /* The dispatch point: run the callbacks of the signals that arrived. */
            printf("[server] %7.3f ms rs_signal_check()\n", elapsed() * 1e3);
            int rc = rs_signal_check();
            if (rc != RS_SIGNAL_OK) {
                check(rc, "a callback raised");
            }
        }

        if ((fds[1].revents & POLLIN) && srv.nclients < MAX_CLIENTS) {
            int c = accept4(lsock, NULL, NULL, SOCK_CLOEXEC);
            if (c >= 0) {
                srv.clients[srv.nclients++] = c;
                printf("[server] %7.3f ms accepted a client\n", elapsed() * 1e3);
            }
        }

        for (int i = 0; i < nfds - 2; i++) {
            if (!(fds[2 + i].revents & (POLLIN | POLLHUP))) {
                continue;
            }
            char buf[128];
            ssize_t n = recv(fds[2 + i].fd, buf, sizeof buf - 1, 0);
            if (n > 0) {
                buf[n] = '\0';
                buf[strcspn(buf, "\n")] = '\0';
                printf("[server] %7.3f ms client says \"%s\": answering\n", elapsed() * 1e3, buf);
                char answer[160];
                snprintf(answer, sizeof answer, "ack %s\n", buf);
                send_line(fds[2 + i].fd, answer);
                srv.messages++;
            }
        }
    }

    /* Shutdown: say goodbye, close everything, put the signals back. */
    printf("[server] %7.3f ms shutting down because of %s\n", elapsed() * 1e3, rs_signal_name(srv.shutdown_signal));
    for (int i = 0; i < srv.nclients; i++) {
        send_line(srv.clients[i], "bye\n");
        close(srv.clients[i]);
    }
    close(lsock);
    check(rs_signal_set_wakeup_fd(-1, 1, NULL), "rs_signal_set_wakeup_fd(-1)");
    /* A signal that arrives while rs_signal_check() scans is dispatched in the
       same pass when its number is higher than the one being handled (SIGTERM
       15 during SIGUSR1's callback): its byte is then still in the pipe. */
    drain_wakeup(&srv, wake[0], "left in the wakeup pipe");
    close(wake[0]);
    close(wake[1]);
    check(rs_signal_finalize(), "rs_signal_finalize"); /* every callback back to SIG_DFL */

    int status = 0;
    while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
    }
    int controller_ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;

    printf("[server] summary: %d EINTR from poll(), %d client message(s), controller %s\n", eintr, srv.messages,
           controller_ok ? "succeeded" : "FAILED");
    printf("[server]   signal   wakeup bytes   callback calls\n");
    int unexpected = 0;
    for (int s = 1; s < RS_NSIG; s++) {
        if (srv.wakeup_bytes[s] || srv.callbacks[s]) {
            printf("[server]   %-8s %12d %16d\n", rs_signal_name(s), srv.wakeup_bytes[s], srv.callbacks[s]);
            if (s != RS_SIGUSR1 && s != stopsig) {
                unexpected++;
            }
        }
    }

    int ok = controller_ok && srv.shutdown_signal == stopsig && srv.messages == 1 && unexpected == 0 &&
             srv.callbacks[RS_SIGUSR1] >= 1 && srv.callbacks[RS_SIGUSR1] <= srv.wakeup_bytes[RS_SIGUSR1] &&
             srv.callbacks[stopsig] == 1 && srv.wakeup_bytes[stopsig] >= 1;
    printf("poll_server %s: %s\n", rs_signal_name(stopsig),
           ok ? "OK: woken by the wakeup fd, callbacks run at the dispatch point, clean shutdown"
              : "FAILED: see above");
    return ok ? 0 : 1;
}
