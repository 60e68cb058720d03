/*
 * masks — signal sets, pthread_sigmask, sigpending, sigwait, sigtimedwait.
 * The README's "Masks and sigwait" snippet comes from this file.
 */
#include <rssignal.h>

#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#include "demo.h"

int main(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);

    printf("1. valid_signals(): iterate a set\n");
    rs_sigset valid;
    rs_signal_valid_signals(&valid);
    int first = rs_sigset_next(&valid, 0), last = 0;
    for (int s = first; s > 0; s = rs_sigset_next(&valid, s)) {
        last = s;
    }
    printf("    %d valid signals, %d .. %d\n", rs_sigset_count(&valid), first, last);
    EXPECT(first == 1 && last == RS_NSIG - 1 && rs_sigset_contains(&valid, 32) == 0);

    printf("2. block SIGUSR1, send it: it stays pending\n");
    /* Python: old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1}) */
    rs_sigset set, old;
    rs_sigset_empty(&set);
    rs_sigset_add(&set, RS_SIGUSR1);
    rs_signal_pthread_sigmask(RS_SIG_BLOCK, &set, &old);

    kill(getpid(), SIGUSR1);
    rs_sigset pending;
    rs_signal_sigpending(&pending);
    EXPECT(rs_sigset_contains(&pending, RS_SIGUSR1) == 1);

    printf("3. sigwait() takes it (no callback is involved)\n");
    int signum;
    int rc = rs_signal_sigwait(&set, &signum);
    EXPECT(rc == RS_SIGNAL_OK && signum == RS_SIGUSR1);

    printf("4. sigtimedwait(): RS_SIGNAL_TIMEOUT is Python's None\n");
    rs_signal_siginfo info;
    rc = rs_signal_sigtimedwait(&set, 0.05, &info);
    EXPECT(rc == RS_SIGNAL_TIMEOUT);

    kill(getpid(), SIGUSR1);
    rc = rs_signal_sigtimedwait(&set, 5.0, &info);
    EXPECT(rc == RS_SIGNAL_OK && info.signo == RS_SIGUSR1 && info.pid == getpid());

    printf("5. with a callback installed, unblocking dispatches before pthread_sigmask returns\n");
    int calls = 0;
    rs_signal_handler h = {RS_SIGNAL_HANDLER_CALLBACK, counting, &calls};
    rs_signal_signal(RS_SIGUSR1, &h, NULL);
    kill(getpid(), SIGUSR1); /* blocked: pending in the kernel, not even tripped */
    EXPECT(calls == 0 && rs_signal_pending() == 0);
    rc = rs_signal_pthread_sigmask(RS_SIG_SETMASK, &old, NULL);
    EXPECT(rc == RS_SIGNAL_OK && calls == 1);

    rs_signal_handler dfl = {RS_SIG_DFL, NULL, NULL};
    rs_signal_signal(RS_SIGUSR1, &dfl, NULL);
    return demo_exit("masks");
}
