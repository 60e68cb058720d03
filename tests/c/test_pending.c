/* CPython test_signal.py PendingSignalsTests, the rows that
 * do not depend on real time. The timed rows (sigwait, sigwaitinfo,
 * sigtimedwait, sigtimedwait_timeout, sigwait_thread) are in slow_pending.c.
 * The runner already gives every test a fresh single-threaded process, which
 * is what CPython's subprocess (assert_python_ok) gives its tests.
 * test_sigtimedwait_poll and test_pthread_kill_main_thread are included. */
#include <signal.h>

#include "util.h"
#include "util_slow.h"

/* test_sigpending_empty: sigpending() == set(). */
TEST(PendingSignalsTests_test_sigpending_empty) {
    rs_sigset s = us_set1(RS_SIGUSR1); /* garbage that must be overwritten */
    CHECK_OK(rs_signal_sigpending(&s));
    CHECK_EQ(us_count(&s), 0);
}

/* test_sigpending: handler 1/0 on SIGUSR1, block it, kill(self) →
 * sigpending() == {SIGUSR1}; unblocking it raises from pthread_sigmask. */
TEST(PendingSignalsTests_test_sigpending) {
    int calls = 0;
    us_set_callback(RS_SIGUSR1, us_raising_cb, &calls);
    rs_sigset usr1 = us_set1(RS_SIGUSR1);
    CHECK_OK(rs_signal_pthread_sigmask(RS_SIG_BLOCK, &usr1, NULL));
    CHECK(kill(getpid(), SIGUSR1) == 0);
    rs_sigset pending = us_set0();
    CHECK_OK(rs_signal_sigpending(&pending));
    CHECK(us_set_eq(&pending, &usr1));
    CHECK_EQ(calls, 0);
    CHECK_FAILS(rs_signal_pthread_sigmask(RS_SIG_UNBLOCK, &usr1, NULL), RS_SIGNAL_EHANDLER, NULL);
    rs_signal_error e;
    rs_signal_last_error(&e);
    CHECK_EQ(e.signum, RS_SIGUSR1);
    CHECK_EQ(e.handler_result, 1);
    CHECK_EQ(calls, 1);
    /* the mask change was applied although the callback raised (as CPython's
     * pthread_sigmask: the mask first, then the dispatch that may fail) */
    CHECK(!us_os_blocked(SIGUSR1));
    CHECK_OK(rs_signal_sigpending(&pending));
    CHECK_EQ(us_count(&pending), 0);
}

/* test_pthread_kill: handler 1/0; pthread_kill(get_ident(), SIGUSR1) raises. */
TEST(PendingSignalsTests_test_pthread_kill) {
    int calls = 0;
    us_set_callback(RS_SIGUSR1, us_raising_cb, &calls);
    CHECK_FAILS(rs_signal_pthread_kill(rs_signal_thread_id(), RS_SIGUSR1), RS_SIGNAL_EHANDLER, NULL);
    CHECK_EQ(calls, 1);
    rs_signal_error e;
    rs_signal_last_error(&e);
    CHECK_EQ(e.signum, RS_SIGUSR1);
    CHECK_EQ(e.handler_result, 1);
    CHECK_EQ(rs_signal_pending(), 0);
}

/* test_sigtimedwait_negative_timeout: ValueError before any system call — a
 * blocked pending SIGALRM must still be pending afterwards. */
TEST(PendingSignalsTests_test_sigtimedwait_negative_timeout) {
    us_os_block(SIGALRM, 1);
    CHECK(kill(getpid(), SIGALRM) == 0);
    rs_sigset alrm = us_set1(RS_SIGALRM);
    rs_signal_siginfo info;
    CHECK_FAILS(rs_signal_sigtimedwait(&alrm, -1.0, &info), RS_SIGNAL_EVALUE,
                "timeout must be non-negative");
    CHECK(strcmp(harness_last_message(), "timeout must be non-negative") == 0);
    CHECK(us_os_pending(SIGALRM));
}

/* test_pthread_sigmask_arguments: arity errors become a NULL mask (TypeError);
 * how=1700 → OSError(EINVAL); [NSIG], [0], [1<<1000] → ValueError (the C set
 * holds up to 127: bit 127 plays the overflow); mask errors come before the
 * system call; glibc's 32/33 are skipped with a warning through the
 * unraisable hook. */
TEST(PendingSignalsTests_test_pthread_sigmask_arguments) {
    rs_sigset empty = us_set0(), old = us_set0();
    CHECK_FAILS(rs_signal_pthread_sigmask(RS_SIG_BLOCK, NULL, &old), RS_SIGNAL_ETYPE,
                "mask must not be NULL");
    CHECK_FAILS(rs_signal_pthread_sigmask(1700, &empty, &old), RS_SIGNAL_EOS, NULL);
    CHECK_EQ(harness_last_errno(), EINVAL);

    rs_sigset nsig = us_set1(RS_NSIG), zero = us_set0(), big = us_set1(127);
    zero.bits[0] = 1; /* bit 0: signal 0 */
    CHECK_FAILS(rs_signal_pthread_sigmask(RS_SIG_BLOCK, &nsig, &old), RS_SIGNAL_EVALUE,
                "signal number 65 out of range [1; 64]");
    CHECK_FAILS(rs_signal_pthread_sigmask(RS_SIG_BLOCK, &zero, &old), RS_SIGNAL_EVALUE,
                "signal number 0 out of range [1; 64]");
    CHECK_FAILS(rs_signal_pthread_sigmask(RS_SIG_BLOCK, &big, &old), RS_SIGNAL_EVALUE,
                "signal number 127 out of range [1; 64]");
    /* the mask is converted before the system call sees `how` */
    CHECK_FAILS(rs_signal_pthread_sigmask(1700, &zero, &old), RS_SIGNAL_EVALUE,
                "signal number 0 out of range [1; 64]");
    CHECK(!us_os_blocked(SIGUSR1));

    /* in range but refused by glibc: warned about and skipped */
    struct hook_log log;
    hook_install(&log);
    rs_sigset with_reserved = us_set2(32, 33);
    with_reserved.bits[0] |= (uint64_t)1 << RS_SIGUSR1;
    CHECK_OK(rs_signal_pthread_sigmask(RS_SIG_BLOCK, &with_reserved, &old));
    CHECK_EQ(log.n, 2);
    CHECK_STR_CONTAINS(log.message[0], "invalid signal number 32, please use valid_signals()");
    CHECK_STR_CONTAINS(log.message[1], "invalid signal number 33, please use valid_signals()");
    CHECK_EQ(log.signum[0], 32);
    CHECK_EQ(log.signum[1], 33);
    CHECK(us_os_blocked(SIGUSR1));
    rs_sigset now = us_read_sigmask();
    CHECK(us_in(&now, RS_SIGUSR1));
    CHECK(!us_in(&now, 32));
    CHECK(!us_in(&now, 33));
}

/* test_pthread_sigmask_valid_signals: blocking every valid signal works
 * (SIGKILL/SIGSTOP silently not blocked); unblocking them returns a subset
 * of valid_signals(); restore with SIG_SETMASK. */
TEST(PendingSignalsTests_test_pthread_sigmask_valid_signals) {
    struct hook_log log;
    hook_install(&log);
    rs_sigset valid = us_set0(), s = us_set0(), unblocked = us_set0();
    CHECK_OK(rs_signal_valid_signals(&valid));
    CHECK_OK(rs_signal_pthread_sigmask(RS_SIG_BLOCK, &valid, &s));
    CHECK_EQ(us_count(&s), 0); /* the runner starts tests with an empty mask */
    CHECK(us_os_blocked(SIGUSR1));
#ifdef SIGRTMIN
    CHECK(us_os_blocked(SIGRTMIN));
#endif
    CHECK_OK(rs_signal_pthread_sigmask(RS_SIG_UNBLOCK, &valid, &unblocked));
    CHECK((unblocked.bits[0] & ~valid.bits[0]) == 0 && (unblocked.bits[1] & ~valid.bits[1]) == 0);
    CHECK(us_in(&unblocked, RS_SIGUSR1));
    CHECK(!us_in(&unblocked, RS_SIGKILL));
    CHECK(!us_in(&unblocked, RS_SIGSTOP));
    CHECK_OK(rs_signal_pthread_sigmask(RS_SIG_SETMASK, &s, NULL));
    CHECK(!us_os_blocked(SIGUSR1));
    CHECK_EQ(log.n, 0); /* valid_signals() holds no reserved number */
}

/* test_pthread_sigmask: the full block / kill / unblock sequence. */
TEST(PendingSignalsTests_test_pthread_sigmask) {
    int calls = 0;
    const int signum = RS_SIGUSR1;
    rs_sigset one = us_set1(signum), old_mask = us_set0();
    us_set_callback(signum, us_raising_cb, &calls);

    /* unblock SIGUSR1 */
    CHECK_OK(rs_signal_pthread_sigmask(RS_SIG_UNBLOCK, &one, &old_mask));
    /* kill(self) runs the handler: the error surfaces at the next dispatch */
    CHECK(kill(getpid(), signum) == 0);
    CHECK_FAILS(rs_signal_check(), RS_SIGNAL_EHANDLER, NULL);
    CHECK_EQ(calls, 1);

    /* block it: kill(self) does not run the handler */
    CHECK_OK(rs_signal_pthread_sigmask(RS_SIG_BLOCK, &one, NULL));
    CHECK(kill(getpid(), signum) == 0);
    CHECK_OK(rs_signal_check());
    CHECK_EQ(calls, 1);

    /* it is in the mask, and that is the only change */
    rs_sigset blocked = us_read_sigmask();
    CHECK(us_in(&blocked, signum));
    CHECK(us_xor_is(&old_mask, &blocked, signum));

    /* unblocking the pending signal calls the handler at once */
    CHECK_FAILS(rs_signal_pthread_sigmask(RS_SIG_UNBLOCK, &one, NULL), RS_SIGNAL_EHANDLER, NULL);
    CHECK_EQ(calls, 2);

    /* and kill(self) runs it again */
    CHECK(kill(getpid(), signum) == 0);
    CHECK_FAILS(rs_signal_check(), RS_SIGNAL_EHANDLER, NULL);
    CHECK_EQ(calls, 3);

    rs_sigset unblocked = us_read_sigmask();
    CHECK(!us_in(&unblocked, signum));
    CHECK(us_xor_is(&blocked, &unblocked, signum));
    CHECK(us_set_eq(&old_mask, &unblocked));
}

static void t_sigtimedwait_poll(int signum) {
    rs_sigset set = us_set1(signum);
    rs_signal_siginfo info;
    memset(&info, 0, sizeof info);
    CHECK(kill(getpid(), signum) == 0);
    CHECK_OK(rs_signal_sigtimedwait(&set, 0.0, &info));
    CHECK_EQ(info.signo, signum);
    CHECK_EQ(info.pid, getpid());
    /* nothing left: polling again times out at once */
    CHECK_EQ(rs_signal_sigtimedwait(&set, 0.0, &info), RS_SIGNAL_TIMEOUT);
}

/* test_sigtimedwait_poll: wait_helper; kill(self, SIGALRM);
 * sigtimedwait([SIGALRM], 0).si_signo == SIGALRM (polling works). */
TEST(PendingSignalsTests_test_sigtimedwait_poll) {
    us_wait_helper(RS_SIGALRM, t_sigtimedwait_poll);
}

static int exit3(int signum, void *data) {
    (void)signum;
    (void)data;
    fflush(NULL);
    _exit(3);
}

/* test_pthread_kill_main_thread (CPython bpo-12392): pthread_kill to the main
 * thread before any other thread exists runs the handler (sys.exit(3)) inside
 * the call; falling through would exit 2. */
TEST(PendingSignalsTests_test_pthread_kill_main_thread) {
    fflush(NULL);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        rs_signal_handler h = {RS_SIGNAL_HANDLER_CALLBACK, exit3, NULL};
        if (rs_signal_signal(RS_SIGUSR1, &h, NULL) != RS_SIGNAL_OK) _exit(4);
        rs_signal_pthread_kill(rs_signal_thread_id(), RS_SIGUSR1);
        _exit(2);
    }
    int status = 0;
    CHECK(us_wait_child(pid, &status, 10.0));
    CHECK(WIFEXITED(status));
    CHECK_EQ(WEXITSTATUS(status), 3);
}
