/* A C host with its own SA_SIGINFO handler, and rssignal as a guest in it.
 *
 *   c_host host-before     the host's handler (SA_SIGINFO | SA_ONSTACK |
 *                          SA_RESETHAND, a mask) is there before rssignal:
 *                          rs_signal_restore gives it back exactly
 *   c_host host-before-listener
 *                          the same host handler; a listener, then a channel,
 *                          make rssignal's handler the disposition, and the
 *                          host's comes back exactly when they go
 *   c_host host-plain-before
 *                          a signal(2) handler (no SA_SIGINFO) and a SIG_IGN
 *                          with a mask, there before rssignal: both back
 *                          exactly after rs_signal_restore(0)
 *   c_host host-after      the host installs its handler after rssignal's:
 *                          it gets the signal, and rs_signal_restore leaves it
 *   c_host host-chains     the host's later handler calls the one it found
 *                          (rssignal's): rssignal's callback runs at the next
 *                          rs_signal_check with the real sender
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "hostile.h"

#define SIG SIGUSR1

static int host_pipe[2];
static volatile sig_atomic_t host_hits;
static volatile sig_atomic_t host_sender;
static volatile sig_atomic_t host_mask_ok = 1;
static sigset_t host_mask;         /* what the host asks to block in its handler */
static struct sigaction found;     /* what the chaining host found (rssignal's) */

static void host_handler(int signum, siginfo_t *info, void *ctx) {
    int saved = errno;
    sigset_t now;
    (void)ctx;
    host_hits++;
    host_sender = info->si_pid;
    /* The kernel applies sa_mask (and the signal itself) while this runs. */
    if (sigprocmask(SIG_BLOCK, NULL, &now) == 0) {
        for (int s = 1; s < NSIG; s++) {
            if (sigismember(&host_mask, s) == 1 && sigismember(&now, s) != 1) host_mask_ok = 0;
        }
    }
    (void)signum;
    if (write(host_pipe[1], "h", 1) != 1) host_mask_ok = 0;
    errno = saved;
}

static void chaining_handler(int signum, siginfo_t *info, void *ctx) {
    host_handler(signum, info, ctx);
    if (found.sa_flags & SA_SIGINFO) {
        found.sa_sigaction(signum, info, ctx);
    } else if (found.sa_handler != SIG_DFL && found.sa_handler != SIG_IGN) {
        found.sa_handler(signum);
    }
}

/* Installs the host's handler on SIG; returns the disposition as the OS
 * reports it afterwards (with the flags the C library adds). */
static struct sigaction install_host(void (*fn)(int, siginfo_t *, void *), int flags,
                                     struct sigaction *previous) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = fn;
    sa.sa_flags = flags;
    sa.sa_mask = host_mask;
    SYS(sigaction(SIG, &sa, previous));
    struct sigaction now = disposition(SIG);
    if ((now.sa_flags & flags) != flags) FAILF("the host's flags %#x did not stick", flags);
    return now;
}

/* A child sends SIG; the host's handler must run (its pipe), with its mask,
 * and know the sender. */
static void expect_host(const char *what) {
    int before = host_hits;
    pid_t child = kill_from_child(SIG);
    if (wait_bytes(host_pipe[0]) != 1) FAILF("%s: the host's handler did not run", what);
    CHECK_EQ(host_hits, before + 1);
    CHECK_EQ(host_sender, child);
    if (!host_mask_ok) FAILF("%s: the host's mask was not applied in its handler", what);
}

/* rssignal saw nothing: no wakeup byte, nothing pending, no callback run. */
static void expect_rssignal_untouched(struct seen *s, int calls, const char *what) {
    if (bytes_now(wakeup_rd) != 0) FAILF("%s: rssignal's handler ran", what);
    CHECK_EQ(rs_signal_pending(), 0);
    CHECK_OK(rs_signal_check());
    CHECK_EQ(s->calls, calls);
}

static void check_rssignal_owns(const struct sigaction *host, const char *what) {
    struct sigaction now = disposition(SIG);
    if (handler_of(&now) == handler_of(host)) FAILF("%s: the host's handler is still in place", what);
    if ((now.sa_flags & (SA_SIGINFO | SA_ONSTACK)) != (SA_SIGINFO | SA_ONSTACK))
        FAILF("%s: rssignal's handler flags %#x lack SA_SIGINFO|SA_ONSTACK", what,
              (unsigned)now.sa_flags);
}

static void case_host_before(void) {
    struct seen s = {0};
    struct sigaction host = install_host(host_handler, SA_SIGINFO | SA_ONSTACK | SA_RESETHAND, NULL);
    rs_signal_handler old;
    install_cb(SIG, &s, &old);
    CHECK_EQ(old.kind, RS_SIGNAL_HANDLER_FOREIGN);
    check_rssignal_owns(&host, "after rs_signal_signal");
    expect_callback(SIG, &s, "rssignal over the host's handler");
    CHECK_EQ(host_hits, 0);

    CHECK_OK(rs_signal_restore(SIG));
    CHECK_SAME_DISPOSITION(SIG, &host, "after rs_signal_restore");
    rs_signal_handler now;
    CHECK_OK(rs_signal_getsignal(SIG, &now));
    CHECK_EQ(now.kind, RS_SIGNAL_HANDLER_FOREIGN);

    expect_host("after rs_signal_restore");
    expect_rssignal_untouched(&s, 1, "after rs_signal_restore");
    /* SA_RESETHAND came back too: the kernel reset the disposition. */
    CHECK(disposition(SIG).sa_handler == SIG_DFL);
}

static int listener_calls;
static int count_listener(int signum, void *user_data) {
    (void)signum;
    (void)user_data;
    listener_calls++;
    return 0;
}

static void case_host_before_listener(void) {
    struct sigaction host = install_host(host_handler, SA_SIGINFO | SA_ONSTACK, NULL);
    use_wakeup_fd();
    rs_signal_listener_id id = 0;
    CHECK_OK(rs_signal_add_listener(SIG, count_listener, NULL, 0, &id));
    check_rssignal_owns(&host, "with a listener");
    deliver_from_child(SIG);
    CHECK_EQ(rs_signal_pending(), 1);
    CHECK_OK(rs_signal_check());
    CHECK_EQ(listener_calls, 1);
    CHECK_EQ(host_hits, 0);
    CHECK_OK(rs_signal_remove_listener(id));
    CHECK_SAME_DISPOSITION(SIG, &host, "after the last listener went");
    expect_host("after the last listener went");

    rs_sigset set;
    rs_sigset_empty(&set);
    rs_sigset_add(&set, SIG);
    rs_signal_channel *ch = NULL;
    CHECK_OK(rs_signal_channel_open(&set, 0, &ch));
    check_rssignal_owns(&host, "with a channel");
    pid_t child = kill_from_child(SIG);
    if (!wait_readable(rs_signal_channel_fd(ch))) FAILF("the channel's fd did not become readable");
    rs_signal_delivery d[2];
    size_t n = 0;
    CHECK_OK(rs_signal_channel_read(ch, d, 2, &n));
    CHECK_EQ(n, 1);
    CHECK_EQ(d[0].signum, SIG);
    CHECK_EQ(d[0].pid, child);
    CHECK_EQ(host_hits, 1);
    CHECK_EQ(d[0].arrivals, 1);
    CHECK_OK(rs_signal_channel_read(ch, d, 2, &n));
    CHECK_EQ(n, 0);
    CHECK_OK(rs_signal_channel_close(ch));
    CHECK_SAME_DISPOSITION(SIG, &host, "after the channel closed");
    expect_host("after the channel closed");

    CHECK_OK(rs_signal_restore(0));
    CHECK_SAME_DISPOSITION(SIG, &host, "after rs_signal_restore(0)");
}

static volatile sig_atomic_t plain_hits;
static void plain_handler(int signum) {
    int saved = errno;
    plain_hits++;
    (void)signum;
    if (write(host_pipe[1], "p", 1) != 1) plain_hits = -1000;
    errno = saved;
}

static void case_host_plain_before(void) {
    struct seen s1 = {0}, s2 = {0};
    use_wakeup_fd();
    if (signal(SIG, plain_handler) == SIG_ERR) FAILF("signal: %s", strerror(errno));
    struct sigaction ign;
    memset(&ign, 0, sizeof ign);
    ign.sa_handler = SIG_IGN;
    ign.sa_flags = SA_RESTART | SA_NODEFER;
    ign.sa_mask = host_mask;
    SYS(sigaction(SIGUSR2, &ign, NULL));
    struct sigaction plain = disposition(SIG), ignored = disposition(SIGUSR2);
    CHECK(!(plain.sa_flags & SA_SIGINFO));

    rs_signal_handler old;
    install_cb(SIG, &s1, &old);
    CHECK_EQ(old.kind, RS_SIGNAL_HANDLER_FOREIGN);
    install_cb(SIGUSR2, &s2, &old);
    CHECK_EQ(old.kind, RS_SIG_IGN);
    expect_callback(SIG, &s1, "rssignal over a signal(2) handler");
    expect_callback(SIGUSR2, &s2, "rssignal over SIG_IGN");
    CHECK_EQ(plain_hits, 0);

    CHECK_OK(rs_signal_restore(0));
    CHECK_SAME_DISPOSITION(SIG, &plain, "the signal(2) handler after rs_signal_restore(0)");
    CHECK_SAME_DISPOSITION(SIGUSR2, &ignored, "SIG_IGN after rs_signal_restore(0)");
    rs_signal_handler now;
    CHECK_OK(rs_signal_getsignal(SIGUSR2, &now));
    CHECK_EQ(now.kind, RS_SIG_IGN);
    kill_from_child(SIG);
    if (wait_bytes(host_pipe[0]) != 1) FAILF("the signal(2) handler did not run after restore");
    CHECK_EQ(plain_hits, 1);
    deliver_from_child(SIGUSR2); /* ignored: nothing runs, the process lives */
    expect_rssignal_untouched(&s2, 1, "SIGUSR2 ignored after restore");
}

static void case_host_after(void) {
    struct seen s = {0};
    use_wakeup_fd();
    install_cb(SIG, &s, NULL);
    struct sigaction rss = disposition(SIG);
    struct sigaction previous;
    struct sigaction host = install_host(host_handler, SA_SIGINFO | SA_ONSTACK, &previous);
    CHECK(handler_of(&previous) == handler_of(&rss));
    CHECK_HANDLER_IS(SIG, host_handler, "the host's later sigaction");

    expect_host("the host's handler over rssignal's");
    expect_rssignal_untouched(&s, 0, "the host's handler over rssignal's");

    CHECK_OK(rs_signal_restore(SIG));
    CHECK_SAME_DISPOSITION(SIG, &host, "after rs_signal_restore");
    expect_host("after rs_signal_restore");
    expect_rssignal_untouched(&s, 0, "after rs_signal_restore");

    CHECK_OK(rs_signal_restore(0));
    CHECK_SAME_DISPOSITION(SIG, &host, "after rs_signal_restore(0)");
    expect_host("after rs_signal_restore(0)");
}

static void case_host_chains(void) {
    struct seen s = {0};
    use_wakeup_fd();
    install_cb(SIG, &s, NULL);
    struct sigaction host = install_host(chaining_handler, SA_SIGINFO | SA_ONSTACK, &found);
    CHECK(found.sa_flags & SA_SIGINFO);

    for (int round = 1; round <= 2; round++) {
        expect_callback(SIG, &s, "through the host's chaining handler");
        CHECK_EQ(host_hits, round);
        CHECK_EQ(s.calls, round);
        CHECK_EQ(s.last.arrivals, 1);
        CHECK_EQ(wait_bytes(host_pipe[0]), 1);
    }

    /* The host's handler is the newer one: restore leaves it. */
    CHECK_OK(rs_signal_restore(SIG));
    CHECK_SAME_DISPOSITION(SIG, &host, "after rs_signal_restore");
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s host-before|host-before-listener|host-plain-before|host-after|host-chains\n", argv[0]);
        return 2;
    }
    hostile_case = argv[1];
    make_pipe(host_pipe);
    sigemptyset(&host_mask);
    sigaddset(&host_mask, SIGUSR2);
    sigaddset(&host_mask, SIGTERM);
    sigaddset(&host_mask, SIGRTMIN + 3);
    if (strcmp(argv[1], "host-before") == 0) {
        use_wakeup_fd();
        case_host_before();
    } else if (strcmp(argv[1], "host-before-listener") == 0) {
        case_host_before_listener();
    } else if (strcmp(argv[1], "host-plain-before") == 0) {
        case_host_plain_before();
    } else if (strcmp(argv[1], "host-after") == 0) {
        case_host_after();
    } else if (strcmp(argv[1], "host-chains") == 0) {
        case_host_chains();
    } else {
        fprintf(stderr, "unknown case %s\n", argv[1]);
        return 2;
    }
    printf("ok %s\n", argv[1]);
    return 0;
}
