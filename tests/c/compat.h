/* What the suite needs from POSIX and the platform lacks, so that it builds
 * on every Unix rssignal supports (the cross rows of `make test-cross` build it
 * for macOS and FreeBSD). Included by harness.h; empty on Linux.
 *   macOS: pipe2 (not in the SDK's minimum version) and sigtimedwait (absent):
 *   pipe + fcntl, and sigpending + kqueue's EVFILT_SIGNAL + sigwait; the
 *   SOCK_NONBLOCK and SOCK_CLOEXEC flags of socket() and socketpair(); sigqueue
 *   (a kill without the value). */
#ifndef RSSIGNAL_COMPAT_H
#define RSSIGNAL_COMPAT_H

#if defined(__APPLE__)
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/event.h>
#include <time.h>
#include <unistd.h>

static inline int compat_pipe2(int p[2], int flags) {
    if (pipe(p) != 0) return -1;
    for (int i = 0; i < 2; i++) {
        if ((flags & O_NONBLOCK) && fcntl(p[i], F_SETFL, fcntl(p[i], F_GETFL) | O_NONBLOCK) != 0) return -1;
        if ((flags & O_CLOEXEC) && fcntl(p[i], F_SETFD, FD_CLOEXEC) != 0) return -1;
    }
    return 0;
}
#define pipe2 compat_pipe2

/* sigtimedwait for signals the caller has blocked, without siginfo: a
 * pending member is taken with sigwait; otherwise kqueue waits for one to be
 * posted (EVFILT_SIGNAL sees blocked signals), up to the timeout. */
static inline int compat_sigtimedwait(const sigset_t *set, void *info, const struct timespec *timeout) {
    (void)info;
    for (int round = 0; round < 2; round++) {
        sigset_t pending;
        if (sigpending(&pending) != 0) return -1;
        for (int s = 1; s < NSIG; s++)
            if (sigismember(set, s) == 1 && sigismember(&pending, s) == 1) {
                sigset_t one;
                int got = 0;
                sigemptyset(&one);
                sigaddset(&one, s);
                if (sigwait(&one, &got) != 0) return -1;
                return got;
            }
        if (round == 1) break;
        int kq = kqueue();
        if (kq < 0) return -1;
        struct kevent ev[NSIG];
        int n = 0;
        for (int s = 1; s < NSIG; s++)
            if (sigismember(set, s) == 1) {
                EV_SET(&ev[n], s, EVFILT_SIGNAL, EV_ADD | EV_ONESHOT, 0, 0, NULL);
                n++;
            }
        if (kevent(kq, ev, n, NULL, 0, NULL) != 0) {
            close(kq);
            return -1;
        }
        /* A signal posted before the registration is pending: look again first. */
        sigset_t again;
        int any = 0;
        if (sigpending(&again) == 0)
            for (int s = 1; s < NSIG && !any; s++) any = sigismember(set, s) == 1 && sigismember(&again, s) == 1;
        struct kevent out;
        int r = any ? 1 : kevent(kq, NULL, 0, &out, 1, timeout);
        close(kq);
        if (r == 0) {
            errno = EAGAIN;
            return -1;
        }
        if (r < 0) return -1;
    }
    errno = EAGAIN;
    return -1;
}
#define sigtimedwait(set, info, timeout) compat_sigtimedwait(set, info, timeout)

/* No sigqueue on macOS: a plain kill, without the value (the tests that
 * check a queued value cannot pass there; the suite only links for macOS). */
static inline int compat_sigqueue(pid_t pid, int signum, union sigval value) {
    (void)value;
    return kill(pid, signum);
}
#define sigqueue compat_sigqueue

/* SOCK_NONBLOCK / SOCK_CLOEXEC as socket() and socketpair() type flags. */
#include <sys/socket.h>
#ifndef SOCK_NONBLOCK
#define SOCK_NONBLOCK 0x20000000
#define SOCK_CLOEXEC 0x10000000
static inline int compat_sock_flags(int fd, int type) {
    if ((type & SOCK_NONBLOCK) && fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) != 0) return -1;
    if ((type & SOCK_CLOEXEC) && fcntl(fd, F_SETFD, FD_CLOEXEC) != 0) return -1;
    return 0;
}
static inline int compat_socket(int domain, int type, int protocol) {
    int fd = socket(domain, type & ~(SOCK_NONBLOCK | SOCK_CLOEXEC), protocol);
    if (fd >= 0 && compat_sock_flags(fd, type) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}
static inline int compat_socketpair(int domain, int type, int protocol, int sv[2]) {
    if (socketpair(domain, type & ~(SOCK_NONBLOCK | SOCK_CLOEXEC), protocol, sv) != 0) return -1;
    if (compat_sock_flags(sv[0], type) != 0 || compat_sock_flags(sv[1], type) != 0) {
        close(sv[0]);
        close(sv[1]);
        return -1;
    }
    return 0;
}
#define socket compat_socket
#define socketpair compat_socketpair
#endif
#endif

#endif
