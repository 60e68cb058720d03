/* rssignal as a guest whose last listener or channel goes: the host's
 * handler must not be replaced behind the host's back (run by run.sh as
 * "guest_leaves", linked to the .so and to the .a).
 *
 *   a) stale table: rssignal is initialised (its table reads SIGUSR2 as
 *      SIG_DFL), then the host installs its handler, then a library opens a
 *      channel on SIGUSR2 and closes it: the host's handler must be back
 *      (not the SIG_DFL the table read before the host installed it).
 *   b) newer handler: the host's handler H0 (installed before rssignal's
 *      first use, so the table says FOREIGN), a listener on SIGUSR1, then the
 *      host installs H1 (newer than rssignal's); removing the listener must
 *      leave H1, as rs_signal_restore does in the same state.
 *   c) a choice undone: rs_signal_signal(SIG_IGN), then rs_signal_restore
 *      (the entry mirrors the OS again), then the host's handler, then a
 *      listener added and removed: the host's handler must be back.
 *
 * Exits 0 when both hold, 1 when either does not.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "hostile.h"

static void h0(int signum, siginfo_t *info, void *ctx) {
    (void)signum, (void)info, (void)ctx;
}
static void h1(int signum, siginfo_t *info, void *ctx) {
    (void)signum, (void)info, (void)ctx;
}
static int listener(int signum, void *user_data) {
    (void)signum, (void)user_data;
    return 0;
}

static void host_installs(int signum, void (*fn)(int, siginfo_t *, void *)) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = fn;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    SYS(sigaction(signum, &sa, NULL));
}

static const char *name_of(void *fn) {
    if (fn == (void *)h0) return "the host's first handler h0";
    if (fn == (void *)h1) return "the host's newer handler h1";
    if (fn == (void *)SIG_DFL) return "SIG_DFL";
    if (fn == (void *)SIG_IGN) return "SIG_IGN";
    return "another handler (rssignal's?)";
}

/* Is `fn` the disposition of `signum` now? Prints "ok CASE) WHAT" or what
 * was found instead; 1 when it is not. */
static int wrong_handler(const char *c, int signum, void (*fn)(int, siginfo_t *, void *), const char *what) {
    struct sigaction now = disposition(signum);
    if (handler_of(&now) == (void *)fn) {
        printf("ok %s) %s\n", c, what);
        return 0;
    }
    printf("BUG %s) signal %d: %s, expected %s\n", c, signum, name_of(handler_of(&now)), name_of((void *)fn));
    return 1;
}

int main(void) {
    int bugs = 0;
    hostile_case = "repro";
    rs_signal_handler h;

    host_installs(SIGUSR1, h0); /* for b), before rssignal reads its table */

    /* a) */
    CHECK_OK(rs_signal_getsignal(SIGUSR2, &h)); /* rssignal initialised: DFL */
    CHECK_EQ(h.kind, RS_SIG_DFL);
    host_installs(SIGUSR2, h0);
    rs_sigset set;
    rs_sigset_empty(&set);
    rs_sigset_add(&set, SIGUSR2);
    rs_signal_channel *ch = NULL;
    CHECK_OK(rs_signal_channel_open(&set, 0, &ch));
    CHECK_OK(rs_signal_channel_close(ch));
    if (wrong_handler("a", SIGUSR2, h0, "the host's handler is back after the channel closed")) {
        bugs++;
        CHECK_OK(rs_signal_restore(SIGUSR2));
        struct sigaction now = disposition(SIGUSR2);
        printf("   a) rs_signal_restore(SIGUSR2) then gives back: %s\n", name_of(handler_of(&now)));
    }

    /* b) */
    CHECK_OK(rs_signal_getsignal(SIGUSR1, &h));
    CHECK_EQ(h.kind, RS_SIGNAL_HANDLER_FOREIGN);
    rs_signal_listener_id id = 0;
    CHECK_OK(rs_signal_add_listener(SIGUSR1, listener, NULL, 0, &id));
    host_installs(SIGUSR1, h1);
    CHECK_OK(rs_signal_remove_listener(id));
    bugs += wrong_handler("b", SIGUSR1, h1, "the host's newer handler stays after the listener went");

    /* c) a table entry that rs_signal_restore made a mirror of the OS again
     * (after rs_signal_signal had chosen SIG_IGN) is no choice any more: the
     * host's handler installed after the restore comes back when the
     * listener goes. */
    rs_signal_handler ign = {RS_SIG_IGN, NULL, NULL};
    CHECK_OK(rs_signal_signal(SIGWINCH, &ign, NULL));
    CHECK_OK(rs_signal_restore(SIGWINCH));
    host_installs(SIGWINCH, h0);
    CHECK_OK(rs_signal_add_listener(SIGWINCH, listener, NULL, 0, &id));
    CHECK_OK(rs_signal_remove_listener(id));
    bugs += wrong_handler("c", SIGWINCH, h0, "the host's handler is back after the listener went (restore forgot the choice)");
    return bugs ? 1 : 0;
}
