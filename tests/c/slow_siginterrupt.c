/* CPython test_signal.py SiginterruptTest. Real time:
 * alarm(1) twice in a child, and a 2 s bound for test_siginterrupt_off. */
#include <signal.h>

#include "util_slow.h"

enum { NO_SIGINTERRUPT = -1 };

/* Exit codes of the child, as in CPython's helper: 2 = a read was not
 * interrupted, 3 = both reads were interrupted; anything else is an error. */
enum { RP_NOT_INTERRUPTED = 2, RP_INTERRUPTED = 3, RP_ERROR = 4 };

static void rp_child(int interrupt, int ready_fd) {
    int calls = 0;
    rs_signal_handler h = {RS_SIGNAL_HANDLER_CALLBACK, us_raising_cb, &calls};
    if (rs_signal_signal(RS_SIGALRM, &h, NULL) != RS_SIGNAL_OK) _exit(RP_ERROR);
    if (interrupt != NO_SIGINTERRUPT) {
        if (rs_signal_siginterrupt(RS_SIGALRM, interrupt) != RS_SIGNAL_OK) _exit(RP_ERROR);
        struct sigaction sa;
        if (sigaction(SIGALRM, NULL, &sa) != 0) _exit(RP_ERROR);
        int restart = (sa.sa_flags & SA_RESTART) != 0;
        if (restart != !interrupt) _exit(RP_ERROR + 1);
    }
    int p[2];
    if (pipe(p) != 0) _exit(RP_ERROR);
    if (write(ready_fd, "ready", 5) != 5) _exit(RP_ERROR);
    for (int i = 0; i < 2; i++) {
        rs_signal_alarm(1);
        char c;
        ssize_t r = read(p[0], &c, 1); /* empty pipe, write end open: blocks */
        if (r >= 0 || errno != EINTR) _exit(RP_NOT_INTERRUPTED);
        /* PEP 475: the retry loop dispatches, and the handler raises */
        if (rs_signal_check() != RS_SIGNAL_EHANDLER) _exit(RP_ERROR + 2);
        if (calls != i + 1) _exit(RP_ERROR + 3);
    }
    _exit(RP_INTERRUPTED);
}

/* readpipe_interrupted(interrupt, timeout): 1 when the reads were
 * interrupted, 0 when the child did not finish within `timeout` seconds
 * (counted from its "ready") and was killed. */
static int readpipe_interrupted(int interrupt, double timeout) {
    int rp[2];
    CHECK(pipe(rp) == 0);
    fflush(NULL);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        close(rp[0]);
        rp_child(interrupt, rp[1]);
    }
    close(rp[1]);
    struct pollfd pfd = {rp[0], POLLIN, 0};
    CHECK(poll(&pfd, 1, 10000) == 1);
    char ready[8] = {0};
    int status = 0;
    if (read(rp[0], ready, 5) != 5 || strcmp(ready, "ready") != 0) {
        /* the child died before its reads: say why */
        us_wait_child(pid, &status, 5.0);
        harness_fail(__FILE__, __LINE__, "child failed before \"ready\": %s %d",
                     WIFEXITED(status) ? "exit status" : "signal",
                     WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
    }
    close(rp[0]);
    if (!us_wait_child(pid, &status, timeout)) return 0;
    if (!WIFEXITED(status))
        harness_fail(__FILE__, __LINE__, "child killed by signal %d", WTERMSIG(status));
    int code = WEXITSTATUS(status);
    if (code != RP_NOT_INTERRUPTED && code != RP_INTERRUPTED)
        harness_fail(__FILE__, __LINE__, "child failed with exit status %d", code);
    return code == RP_INTERRUPTED;
}

/* test_without_siginterrupt: the default installation has no SA_RESTART, so
 * the read fails with EINTR and the dispatch runs the raising handler. */
TEST_T(SiginterruptTest_test_without_siginterrupt, 40) {
    rs_signal_handler h = {RS_SIGNAL_HANDLER_CALLBACK, us_counting_cb, NULL};
    CHECK_OK(rs_signal_signal(RS_SIGALRM, &h, NULL));
    CHECK((us_action(SIGALRM).sa_flags & SA_RESTART) == 0);
    CHECK(readpipe_interrupted(NO_SIGINTERRUPT, 15.0));
}

/* test_siginterrupt_on: siginterrupt(SIGALRM, 1) → no SA_RESTART; EINTR. */
TEST_T(SiginterruptTest_test_siginterrupt_on, 40) { CHECK(readpipe_interrupted(1, 15.0)); }

/* test_siginterrupt_off: siginterrupt(SIGALRM, 0) → SA_RESTART (checked in
 * the child and here), the read is restarted transparently and the child
 * does not finish within 2 s. A later rs_signal_signal() makes the signal
 * interruptible again, and siginterrupt keeps the handler. */
TEST_T(SiginterruptTest_test_siginterrupt_off, 40) {
    CHECK(!readpipe_interrupted(0, 2.0));

    int data = 0;
    rs_signal_handler h = {RS_SIGNAL_HANDLER_CALLBACK, us_counting_cb, &data};
    CHECK_OK(rs_signal_signal(RS_SIGALRM, &h, NULL));
    struct sigaction before = us_action(SIGALRM);
    CHECK((before.sa_flags & SA_RESTART) == 0);
    CHECK(before.sa_flags & SA_ONSTACK);
    for (int s = 1; s < RS_NSIG; s++) CHECK(sigismember(&before.sa_mask, s) != 1);
    CHECK_OK(rs_signal_siginterrupt(RS_SIGALRM, 0));
    struct sigaction off = us_action(SIGALRM);
    CHECK(off.sa_flags & SA_RESTART);
    CHECK(off.sa_handler == before.sa_handler); /* handler kept */
    rs_signal_handler got;
    CHECK_OK(rs_signal_getsignal(RS_SIGALRM, &got));
    CHECK_EQ(got.kind, RS_SIGNAL_HANDLER_CALLBACK);
    CHECK(got.user_data == &data);
    CHECK_OK(rs_signal_signal(RS_SIGALRM, &h, NULL));
    struct sigaction again = us_action(SIGALRM);
    CHECK((again.sa_flags & SA_RESTART) == 0);
    CHECK(again.sa_flags & SA_ONSTACK);
    /* and siginterrupt(…, 1) clears it as well */
    CHECK_OK(rs_signal_siginterrupt(RS_SIGALRM, 0));
    CHECK(us_action(SIGALRM).sa_flags & SA_RESTART);
    CHECK_OK(rs_signal_siginterrupt(RS_SIGALRM, 1));
    CHECK((us_action(SIGALRM).sa_flags & SA_RESTART) == 0);
}
