/*
 * C consumer of an installed rssignal (built by run.sh through pkg-config,
 * against librssignal.so in c-shared and librssignal.a in c-static).
 *
 * Installs a C callback for SIGUSR1, asks the run script (another process)
 * to send a real SIGUSR1, waits for it on the wakeup fd with poll(), and
 * runs the callback at the dispatch point rs_signal_check().
 */
#define _POSIX_C_SOURCE 200809L
#include <rssignal.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define CHECK(cond)                                                        \
    do {                                                                   \
        if (!(cond)) {                                                     \
            rs_signal_error e_;                                            \
            memset(&e_, 0, sizeof e_);                                     \
            rs_signal_last_error(&e_);                                     \
            fprintf(stderr, "%s:%d: check failed: %s (last error: %s)\n", \
                    __FILE__, __LINE__, #cond,                             \
                    e_.message ? e_.message : "none");                     \
            return 1;                                                      \
        }                                                                  \
    } while (0)

struct seen {
    int calls;
    int signum;
};

static int on_usr1(int signum, void *user_data) {
    struct seen *s = user_data;
    s->calls++;
    s->signum = signum;
    return 0;
}

static int set_nonblock(int fd) {
    int fl = fcntl(fd, F_GETFL);
    return fl < 0 ? -1 : fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

int main(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    CHECK(strcmp(rs_signal_version(), RSSIGNAL_VERSION_STRING) == 0);
    CHECK(rs_signal_is_main_thread() == 1);

    int wake[2];
    CHECK(pipe(wake) == 0);
    CHECK(set_nonblock(wake[0]) == 0 && set_nonblock(wake[1]) == 0);
    int old_fd = 0;
    CHECK(rs_signal_set_wakeup_fd(wake[1], 1, &old_fd) == RS_SIGNAL_OK);
    CHECK(old_fd == -1);

    struct seen seen = {0, 0};
    rs_signal_handler h = {RS_SIGNAL_HANDLER_CALLBACK, on_usr1, &seen};
    CHECK(rs_signal_signal(RS_SIGUSR1, &h, NULL) == RS_SIGNAL_OK);
    rs_signal_handler got;
    CHECK(rs_signal_getsignal(RS_SIGUSR1, &got) == RS_SIGNAL_OK);
    CHECK(got.kind == RS_SIGNAL_HANDLER_CALLBACK && got.user_data == &seen);

    /* Ready: the run script sends SIGUSR1 from its own process. */
    printf("SEND SIGUSR1 %ld\n", (long)getpid());

    struct pollfd p = {wake[0], POLLIN, 0};
    int n;
    do {
        n = poll(&p, 1, 30000);
    } while (n < 0 && errno == EINTR); /* callbacks are installed without SA_RESTART */
    CHECK(n == 1);
    unsigned char byte = 0;
    CHECK(read(wake[0], &byte, 1) == 1);
    CHECK(byte == RS_SIGUSR1);
    printf("wakeup fd: byte %d (%s)\n", byte, rs_signal_name(byte));

    CHECK(seen.calls == 0); /* never in signal context: only at a dispatch point */
    CHECK(rs_signal_pending() == 1);
    CHECK(rs_signal_check() == RS_SIGNAL_OK);
    CHECK(seen.calls == 1 && seen.signum == RS_SIGUSR1);
    CHECK(rs_signal_check_inline() == RS_SIGNAL_OK && seen.calls == 1);
    printf("callback ran once at rs_signal_check() for %s\n", rs_signal_name(seen.signum));

    /* An error: the OS refuses SIGKILL. */
    CHECK(rs_signal_signal(RS_SIGKILL, &h, NULL) == RS_SIGNAL_EOS);
    rs_signal_error err;
    CHECK(rs_signal_last_error(&err) == RS_SIGNAL_EOS && err.os_errno == EINVAL);
    CHECK(strcmp(rs_signal_status_name(err.status), "RS_SIGNAL_EOS") == 0);
    printf("SIGKILL refused: %s (%s)\n", err.message, rs_signal_status_exception(err.status));

    rs_signal_handler dfl = {RS_SIG_DFL, NULL, NULL};
    CHECK(rs_signal_signal(RS_SIGUSR1, &dfl, NULL) == RS_SIGNAL_OK);
    CHECK(rs_signal_set_wakeup_fd(-1, 1, NULL) == RS_SIGNAL_OK);
    CHECK(rs_signal_finalize() == RS_SIGNAL_OK);
    printf("OK\n");
    return 0;
}
