/*
 * errors — status codes, the thread's last error, callbacks that raise,
 * KeyboardInterrupt, and the unraisable hook. The README's "Errors" snippets
 * come from this file.
 */
#include <rssignal.h>

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <unistd.h>

#include "demo.h"

/* Print a failed call the way Python prints an exception. */
static void report(const char *call, int rc) {
    rs_signal_error err;
    rs_signal_last_error(&err);
    printf("    %s -> %s: %s: %s\n", call, rs_signal_status_name(rc), rs_signal_status_exception(rc), err.message);
}

static int noop(int signum, void *user_data) {
    (void)signum;
    (void)user_data;
    return 0;
}

static int positive(int signum, void *user_data) {
    (void)signum;
    (void)user_data;
    return 42; /* any positive value "raises": the caller gets RS_SIGNAL_EHANDLER */
}

static void my_hook(const rs_signal_unraisable *report, void *user_data) {
    int *reports = user_data;
    ++*reports;
    printf("    unraisable hook: %s (%s, errno %d)\n", report->message, rs_signal_status_name(report->status),
           report->os_errno);
}

int main(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);

    printf("1. every status, its name and the Python exception it mirrors\n");
    int statuses[] = {RS_SIGNAL_OK,        RS_SIGNAL_TIMEOUT,   RS_SIGNAL_EVALUE,
                      RS_SIGNAL_EOS,       RS_SIGNAL_EITIMER,   RS_SIGNAL_ETYPE,
                      RS_SIGNAL_EOVERFLOW, RS_SIGNAL_EHANDLER,  RS_SIGNAL_EKEYBOARDINTERRUPT,
                      RS_SIGNAL_EUNSUPPORTED, RS_SIGNAL_EINTERNAL, RS_SIGNAL_EUSER};
    for (size_t i = 0; i < sizeof statuses / sizeof statuses[0]; i++) {
        printf("    %6d  %-29s %s\n", statuses[i], rs_signal_status_name(statuses[i]),
               rs_signal_status_exception(statuses[i]));
    }

    printf("2. failures: a negative status, details in the thread's last error\n");
    rs_signal_handler h = {RS_SIGNAL_HANDLER_CALLBACK, noop, NULL};
    int rc = rs_signal_signal(RS_SIGKILL, &h, NULL);
    rs_signal_error err;
    rs_signal_last_error(&err);
    if (rc != RS_SIGNAL_OK) {
        printf("    signal(SIGKILL): %s (%s): %s (os_errno %d)\n", rs_signal_status_name(rc),
               rs_signal_status_exception(rc), err.message, err.os_errno);
    }
    EXPECT(rc == RS_SIGNAL_EOS && err.status == rc && err.os_errno == EINVAL && err.signum == RS_SIGKILL);

    rc = rs_signal_signal(0, &h, NULL);
    report("rs_signal_signal(0, ...)", rc);
    EXPECT(rc == RS_SIGNAL_EVALUE);

    rc = rs_signal_signal(RS_SIGUSR1, NULL, NULL);
    report("rs_signal_signal(SIGUSR1, NULL, NULL)", rc);
    EXPECT(rc == RS_SIGNAL_ETYPE);

    int p[2];
    if (pipe(p) != 0) {
        return 1;
    }
    rc = rs_signal_set_wakeup_fd(p[1], 1, NULL); /* a blocking pipe */
    report("rs_signal_set_wakeup_fd(blocking pipe)", rc);
    EXPECT(rc == RS_SIGNAL_EVALUE);

    rc = rs_signal_setitimer(RS_ITIMER_REAL, NAN, 0.0, NULL);
    report("rs_signal_setitimer(ITIMER_REAL, NAN, 0)", rc);
    EXPECT(rc == RS_SIGNAL_EVALUE);

    rc = rs_signal_setitimer(RS_ITIMER_REAL, -1.0, 0.0, NULL);
    report("rs_signal_setitimer(ITIMER_REAL, -1, 0)", rc);
    EXPECT(rc == RS_SIGNAL_EITIMER);

    rs_sigset set;
    rs_sigset_empty(&set);
    rs_signal_siginfo info;
    rc = rs_signal_sigtimedwait(&set, -1.0, &info);
    report("rs_signal_sigtimedwait(set, -1.0)", rc);
    EXPECT(rc == RS_SIGNAL_EVALUE);

    printf("3. success leaves the last error alone, like errno\n");
    EXPECT(rs_signal_raise_signal(0) == RS_SIGNAL_OK && rs_signal_last_error(NULL) == RS_SIGNAL_EVALUE);

    printf("4. callbacks that raise: positive -> RS_SIGNAL_EHANDLER, default_int_handler -> KeyboardInterrupt\n");
    rs_signal_handler pos = {RS_SIGNAL_HANDLER_CALLBACK, positive, NULL};
    rs_signal_signal(RS_SIGUSR1, &pos, NULL);
    rc = rs_signal_raise_signal(RS_SIGUSR1);
    rs_signal_last_error(&err);
    report("rs_signal_raise_signal(SIGUSR1)", rc);
    EXPECT(rc == RS_SIGNAL_EHANDLER && err.handler_result == 42 && err.signum == RS_SIGUSR1);

    /* Python's default: SIGINT raises KeyboardInterrupt (what
       rs_signal_install_default_handlers() sets up when SIGINT is SIG_DFL). */
    rs_signal_handler kbd = {RS_SIGNAL_HANDLER_CALLBACK, rs_signal_default_int_handler, NULL};
    rs_signal_handler old_int;
    rs_signal_signal(RS_SIGINT, &kbd, &old_int);
    rc = rs_signal_raise_signal(RS_SIGINT);
    report("rs_signal_raise_signal(SIGINT)", rc);
    EXPECT(rc == RS_SIGNAL_EKEYBOARDINTERRUPT);
    rs_signal_signal(RS_SIGINT, &old_int, NULL);

    printf("5. the unraisable hook: a full wakeup pipe is reported at the next dispatch point\n");
    int reports = 0;
    rs_signal_set_unraisable_hook(my_hook, &reports);

    int wake[2];
    if (pipe2(wake, O_NONBLOCK | O_CLOEXEC) != 0) {
        return 1;
    }
    char junk[4096] = {0};
    while (write(wake[1], junk, sizeof junk) > 0) {
        /* fill the pipe */
    }
    while (write(wake[1], junk, 1) > 0) {
    }
    rs_signal_set_wakeup_fd(wake[1], 1, NULL); /* warn_on_full_buffer = 1 */
    rs_signal_signal(RS_SIGUSR1, &h, NULL);
    rc = rs_signal_raise_signal(RS_SIGUSR1); /* the byte cannot be written: EAGAIN */
    EXPECT(rc == RS_SIGNAL_OK && reports == 1);

    rs_signal_set_wakeup_fd(wake[1], 0, NULL); /* warn_on_full_buffer = 0: a full pipe is silent */
    rc = rs_signal_raise_signal(RS_SIGUSR1);
    EXPECT(rc == RS_SIGNAL_OK && reports == 1);

    rs_signal_set_wakeup_fd(-1, 1, NULL);
    rs_signal_set_unraisable_hook(NULL, NULL); /* back to one line on stderr */
    rs_signal_handler dfl = {RS_SIG_DFL, NULL, NULL};
    rs_signal_signal(RS_SIGUSR1, &dfl, NULL);
    close(wake[0]);
    close(wake[1]);
    close(p[0]);
    close(p[1]);
    return demo_exit("errors");
}
