/* The C this consumer calls, for build.zig's addTranslateC: the installed
 * rssignal.h (found through pkg-config) and the libc functions it needs. */
#include <rssignal.h>

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>
#include <signal.h>
#include <stdint.h>
#include <sys/wait.h>

/* The handler address of sig's OS disposition, from sigaction(2) directly
 * (SIG_DFL is 0); UINTPTR_MAX when sigaction fails. */
static inline uintptr_t consumer_os_handler(int sig) {
    struct sigaction sa;
    if (sigaction(sig, NULL, &sa) != 0)
        return UINTPTR_MAX;
    return (uintptr_t)sa.sa_handler;
}

/* waitpid's status: exited with 0. */
static inline int consumer_exited_ok(int status) {
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}
