/* CPython test_signal.py PidfdSignalTest. */
#include <fcntl.h>
#ifdef __linux__
#include <sys/syscall.h>
#endif

#include "util_slow.h"

/* A pidfd for this process: /proc/<pid> opened with O_DIRECTORY (as CPython's
 * test does), else pidfd_open(2). -1 when neither works. */
static int open_self_pidfd(void) {
    char path[64];
    snprintf(path, sizeof path, "/proc/%ld", (long)getpid());
    int fd = open(path, O_DIRECTORY | O_RDONLY | O_CLOEXEC);
    if (fd >= 0) return fd;
#ifdef SYS_pidfd_open
    return (int)syscall(SYS_pidfd_open, getpid(), 0);
#else
    return -1;
#endif
}

/* test_pidfd_send_signal: pidfd 0 → OSError (EBADF; skip on ENOSYS/EPERM);
 * non-NULL siginfo → TypeError "siginfo must be NULL" (C wording of
 * "siginfo must be None"), checked before the system call; sending SIGINT to
 * ourselves with the default int handler → KeyboardInterrupt at the next
 * dispatch point, not inside the call. */
TEST(PidfdSignalTest_test_pidfd_send_signal) {
    int r = rs_signal_pidfd_send_signal(0, RS_SIGINT, NULL, 0);
    CHECK(r < 0);
    if (r == RS_SIGNAL_EUNSUPPORTED) {
        CHECK_EQ(harness_last_errno(), ENOSYS);
        SKIP("kernel does not support pidfds (pidfd_send_signal: ENOSYS)");
    }
    CHECK_EQ(r, RS_SIGNAL_EOS);
    CHECK_EQ(harness_last_status(), RS_SIGNAL_EOS);
    if (harness_last_errno() == EPERM) SKIP("pidfd_send_signal not permitted here (EPERM)");
    CHECK_EQ(harness_last_errno(), EBADF);

    int fd = open_self_pidfd();
    if (fd < 0) SKIP("cannot open a pidfd for this process (/proc/<pid> nor pidfd_open)");

    int marker = 0;
    CHECK_FAILS(rs_signal_pidfd_send_signal(fd, RS_SIGINT, &marker, 0), RS_SIGNAL_ETYPE,
                "siginfo must be NULL");
    CHECK(strcmp(harness_last_message(), "siginfo must be NULL") == 0);
    /* before the system call: even a bad fd and signal give the TypeError */
    CHECK_FAILS(rs_signal_pidfd_send_signal(-1, 4242, &marker, 0), RS_SIGNAL_ETYPE,
                "siginfo must be NULL");

    rs_signal_handler intr = {RS_SIGNAL_HANDLER_CALLBACK, rs_signal_default_int_handler, NULL};
    CHECK_OK(rs_signal_signal(RS_SIGINT, &intr, NULL));
    CHECK_EQ(rs_signal_pending(), 0);
    CHECK_OK(rs_signal_pidfd_send_signal(fd, RS_SIGINT, NULL, 0)); /* no dispatch inside */
    CHECK_EQ(rs_signal_pending(), 1);
    CHECK_FAILS(rs_signal_check(), RS_SIGNAL_EKEYBOARDINTERRUPT, NULL);
    rs_signal_error e;
    rs_signal_last_error(&e);
    CHECK_EQ(e.signum, RS_SIGINT);
    CHECK_EQ(rs_signal_pending(), 0);
    close(fd);
}
