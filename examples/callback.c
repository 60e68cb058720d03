/*
 * callback — installing a callback, the dispatch point, coalescing, and a
 * callback that "raises". The README's first snippets come from this file.
 */
#include <rssignal.h>

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#include "demo.h"

/* Python:  def on_usr1(signum, frame): ...  */
static int on_usr1(int signum, void *user_data) {
    int *calls = user_data;
    ++*calls;
    printf("    callback: %s (%d), call #%d\n", rs_signal_name(signum), signum, *calls);
    return 0; /* done; a non-zero value would "raise" */
}

enum { APP_EBROKEN = RS_SIGNAL_EUSER }; /* an application's own error code */

static int raising(int signum, void *user_data) {
    (void)user_data;
    printf("    callback: %s raises APP_EBROKEN\n", rs_signal_name(signum));
    return APP_EBROKEN;
}

int main(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);

    printf("1. install a callback for SIGUSR1 (signal.signal(SIGUSR1, on_usr1))\n");
    int calls = 0;
    rs_signal_handler h = {.kind = RS_SIGNAL_HANDLER_CALLBACK, .callback = on_usr1, .user_data = &calls};
    rs_signal_handler old;
    if (rs_signal_signal(RS_SIGUSR1, &h, &old) != RS_SIGNAL_OK) {
        rs_signal_error err;
        rs_signal_last_error(&err);
        fprintf(stderr, "signal(SIGUSR1): %s\n", err.message);
        return 1;
    }

    printf("2. SIGUSR1 arrives twice: the real handler only sets a flag (and writes a wakeup byte)\n");
    int wake[2];
    pipe2(wake, O_NONBLOCK | O_CLOEXEC);
    rs_signal_set_wakeup_fd(wake[1], 1, NULL);
    kill(getpid(), SIGUSR1);
    kill(getpid(), SIGUSR1);
    EXPECT(calls == 0);               /* nothing ran yet */
    EXPECT(rs_signal_pending() == 1); /* a dispatch point would run something */

    printf("3. the dispatch point runs the callback once: the two arrivals coalesce\n");
    int rc = rs_signal_check();
    EXPECT(rc == RS_SIGNAL_OK && calls == 1);
    unsigned char bytes[8];
    EXPECT(read(wake[0], bytes, sizeof bytes) == 2); /* but one wakeup byte per arrival */
    EXPECT(bytes[0] == RS_SIGUSR1 && bytes[1] == RS_SIGUSR1);
    EXPECT(rs_signal_check_inline() == RS_SIGNAL_OK && calls == 1); /* nothing pending: one load */
    rs_signal_set_wakeup_fd(-1, 1, NULL);
    close(wake[0]);
    close(wake[1]);

    printf("4. rs_signal_raise_signal() sends the signal and dispatches\n");
    rc = rs_signal_raise_signal(RS_SIGUSR1);
    EXPECT(rc == RS_SIGNAL_OK && calls == 2);

    printf("5. getsignal() gives the callback back, with its user_data\n");
    rs_signal_handler now;
    rs_signal_getsignal(RS_SIGUSR1, &now);
    EXPECT(now.kind == RS_SIGNAL_HANDLER_CALLBACK && now.callback == on_usr1 && now.user_data == &calls);

    printf("6. a callback that raises stops the scan; the rest run at the next dispatch point\n");
    int usr2_calls = 0;
    rs_signal_handler r = {RS_SIGNAL_HANDLER_CALLBACK, raising, NULL};
    rs_signal_handler c = {RS_SIGNAL_HANDLER_CALLBACK, counting, &usr2_calls};
    rs_signal_signal(RS_SIGUSR1, &r, NULL);
    rs_signal_signal(RS_SIGUSR2, &c, NULL);
    kill(getpid(), SIGUSR2);
    kill(getpid(), SIGUSR1);
    rc = rs_signal_check(); /* ascending order: SIGUSR1 (10) first, it raises */
    EXPECT(rc == APP_EBROKEN && usr2_calls == 0);
    rs_signal_error err;
    rs_signal_last_error(&err);
    EXPECT(err.signum == RS_SIGUSR1 && err.handler_result == APP_EBROKEN);
    EXPECT(rs_signal_pending() == 1); /* SIGUSR2 is still waiting */
    rc = rs_signal_check();           /* next dispatch point: SIGUSR2 runs */
    EXPECT(rc == RS_SIGNAL_OK && usr2_calls == 1);

    printf("7. put the old handlers back\n");
    rs_signal_signal(RS_SIGUSR1, &old, NULL);
    rs_signal_handler dfl = {RS_SIG_DFL, NULL, NULL};
    rs_signal_signal(RS_SIGUSR2, &dfl, NULL);
    rs_signal_getsignal(RS_SIGUSR1, &now);
    EXPECT(now.kind == old.kind);

    return demo_exit("callback");
}
