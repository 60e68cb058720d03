/* The 0.2 rs_signal_restore — the whole disposition found before
 * rssignal's first change comes back exactly (SA_SIGINFO|SA_RESETHAND|
 * SA_ONSTACK with a mask), only while the current one is still rssignal's
 * (a third party's later handler stays), the first record kept for good,
 * waiting arrivals / listeners / channel subscriptions dropped, the table
 * entry, restore(0), out of range. */
#include <stdint.h>

#include "util_beyond.h"

static int T_CB = 1, T_L = 2;

static volatile sig_atomic_t foreign_hits, foreign_si_hits, third_hits;
static void foreign_handler(int s) {
    (void)s;
    foreign_hits++;
}
static void foreign_si(int s, siginfo_t *si, void *ctx) {
    (void)s;
    (void)si;
    (void)ctx;
    foreign_si_hits++;
}
static void third_handler(int s) {
    (void)s;
    third_hits++;
}

/* A foreign SA_SIGINFO|SA_RESETHAND|SA_ONSTACK action with a mask of several
 * signals (a real-time one too). */
static struct sigaction install_foreign_si(int signum) {
    struct sigaction f;
    memset(&f, 0, sizeof f);
    f.sa_sigaction = foreign_si;
    f.sa_flags = SA_SIGINFO | SA_RESETHAND | SA_ONSTACK;
    sigemptyset(&f.sa_mask);
    sigaddset(&f.sa_mask, SIGUSR2);
    sigaddset(&f.sa_mask, SIGTERM);
    sigaddset(&f.sa_mask, SIGHUP);
#ifdef SIGRTMIN
    sigaddset(&f.sa_mask, SIGRTMIN + 3);
    sigaddset(&f.sa_mask, SIGRTMAX);
#endif
    CHECK(sigaction(signum, &f, NULL) == 0);
    return sa_now(signum);
}

static void install_third(int signum, int flags) {
    struct sigaction t;
    memset(&t, 0, sizeof t);
    t.sa_handler = third_handler;
    t.sa_flags = flags;
    sigemptyset(&t.sa_mask);
    sigaddset(&t.sa_mask, SIGQUIT);
    CHECK(sigaction(signum, &t, NULL) == 0);
}

/* Restore over a foreign SA_SIGINFO|SA_RESETHAND|SA_ONSTACK handler with a
 * mask: handler, flags and every mask bit back exactly; it works again. */
TEST(Beyond_restore_foreign_siginfo_resethand_onstack_mask) {
    struct sigaction orig = install_foreign_si(SIGUSR1);
    CHECK_EQ(table_kind(SIGUSR1), RS_SIGNAL_HANDLER_FOREIGN);
    set_callback(SIGUSR1, log_cb, &T_CB);
    CHECK(os_is_rssignal(SIGUSR1));
    kill_self(SIGUSR1);
    CHECK_OK(rs_signal_check());
    CHECK_TAGS(T_CB);
    CHECK_EQ(foreign_si_hits, 0);
    CHECK_OK(rs_signal_restore(SIGUSR1));
    CHECK_BACK_TO_FOREIGN(SIGUSR1, orig);
    kill_self(SIGUSR1);
    CHECK_EQ(foreign_si_hits, 1);
    CHECK(os_is_dfl(SIGUSR1)); /* SA_RESETHAND did its job: it really is the original */
    CHECK_EQ(n_calls, 1);
}

/* The same after a round through DFL and IGN set by rssignal, and a listener. */
TEST(Beyond_restore_foreign_after_dfl_ign_and_listener) {
    struct sigaction orig = install_foreign_si(SIGUSR2);
    set_kind(SIGUSR2, RS_SIG_IGN);
    CHECK(os_is_ign(SIGUSR2));
    set_kind(SIGUSR2, RS_SIG_DFL);
    CHECK(os_is_dfl(SIGUSR2));
    CHECK_OK(rs_signal_restore(SIGUSR2)); /* rssignal's own DFL: the original comes back */
    struct sigaction now = sa_now(SIGUSR2);
    CHECK_SAME_ACTION(now, orig);
    /* Again with a listener as the only reason for rssignal's handler. */
    rs_signal_listener_id id = 0;
    CHECK_OK(rs_signal_add_listener(SIGUSR2, log_cb, &T_L, 0, &id));
    CHECK(os_is_rssignal(SIGUSR2));
    CHECK_OK(rs_signal_restore(SIGUSR2));
    now = sa_now(SIGUSR2);
    CHECK_SAME_ACTION(now, orig);
    CHECK_FAILS(rs_signal_remove_listener(id), RS_SIGNAL_EVALUE, "no such listener");
    CHECK_EQ(table_kind(SIGUSR2), RS_SIGNAL_HANDLER_FOREIGN);
}

/* A third party replaced rssignal's handler: restore leaves theirs, returns OK. */
TEST(Beyond_restore_leaves_third_party) {
    set_callback(SIGUSR1, log_cb, &T_CB);
    install_third(SIGUSR1, SA_RESTART);
    struct sigaction theirs = sa_now(SIGUSR1);
    CHECK_OK(rs_signal_restore(SIGUSR1));
    struct sigaction now = sa_now(SIGUSR1);
    CHECK_SAME_ACTION(now, theirs);
    kill_self(SIGUSR1);
    CHECK_EQ(third_hits, 1);
    CHECK_OK(rs_signal_check());
    CHECK_NO_CALLS();
    /* restore(0) leaves it too. */
    CHECK_OK(rs_signal_restore(0));
    now = sa_now(SIGUSR1);
    CHECK_SAME_ACTION(now, theirs);
}

/* A third party replaced rssignal's DFL (set over a foreign one): theirs stays. */
TEST(Beyond_restore_leaves_third_party_over_dfl) {
    install_foreign_si(SIGHUP);
    set_kind(SIGHUP, RS_SIG_DFL);
    install_third(SIGHUP, 0);
    struct sigaction theirs = sa_now(SIGHUP);
    CHECK_OK(rs_signal_restore(SIGHUP));
    struct sigaction now = sa_now(SIGHUP);
    CHECK_SAME_ACTION(now, theirs);
}

/* The first record is kept for good: a third party in between and a new
 * rssignal install over it do not replace it; restore brings the first back. */
TEST(Beyond_restore_first_record_kept) {
    struct sigaction orig = install_foreign_si(SIGUSR1);
    set_callback(SIGUSR1, log_cb, &T_CB);
    install_third(SIGUSR1, 0);
    set_callback(SIGUSR1, log_cb, &T_CB); /* rssignal takes it back */
    CHECK(os_is_rssignal(SIGUSR1));
    CHECK_OK(rs_signal_restore(SIGUSR1));
    struct sigaction now = sa_now(SIGUSR1);
    CHECK_SAME_ACTION(now, orig);
    /* And again after a second install: still the first record. */
    set_callback(SIGUSR1, log_cb, &T_CB);
    CHECK_OK(rs_signal_restore(SIGUSR1));
    now = sa_now(SIGUSR1);
    CHECK_SAME_ACTION(now, orig);
}

/* Restored signals lose their waiting arrivals, listeners and channel
 * subscriptions; the table entry becomes DFL when DFL was found. */
TEST(Beyond_restore_drops_arrivals_listeners_channels) {
    set_callback(SIGUSR1, log_cb, &T_CB);
    rs_signal_listener_id id = 0;
    CHECK_OK(rs_signal_add_listener(SIGUSR1, log_cb, &T_L, 0, &id));
    int sigs[] = {SIGUSR1, SIGUSR2};
    rs_signal_channel *ch = open_on(sigs, 2);
    kill_self(SIGUSR1);
    CHECK_EQ(rs_signal_pending(), 1);
    CHECK_OK(rs_signal_restore(SIGUSR1));
    CHECK_EQ(rs_signal_pending(), 0);
    CHECK_OK(rs_signal_check());
    CHECK_NO_CALLS();
    CHECK(os_is_dfl(SIGUSR1));
    CHECK_EQ(table_kind(SIGUSR1), RS_SIG_DFL);
    CHECK_FAILS(rs_signal_remove_listener(id), RS_SIGNAL_EVALUE, "no such listener");
    /* The channel keeps SIGUSR2 only: SIGUSR1 is ignored at the OS level
     * from now on so that it cannot kill us, and not recorded. */
    rs_signal_delivery d[4];
    size_t n = 0;
    CHECK_OK(rs_signal_channel_read(ch, d, 4, &n)); /* whatever was waiting */
    set_kind(SIGUSR1, RS_SIG_IGN);
    kill_self(SIGUSR1);
    kill_self(SIGUSR2);
    CHECK_OK(rs_signal_channel_read(ch, d, 4, &n));
    CHECK_EQ(n, 1);
    CHECK_EQ(d[0].signum, SIGUSR2);
    CHECK_OK(rs_signal_channel_close(ch));
    CHECK(os_is_dfl(SIGUSR2));
}

/* restore(0): every signal rssignal changed, each back to what it found
 * (foreign, IGN, DFL); signals it never touched stay as they are. */
TEST(Beyond_restore_all) {
    struct sigaction f1 = install_foreign_si(SIGUSR1);
    struct sigaction ign;
    memset(&ign, 0, sizeof ign);
    ign.sa_handler = SIG_IGN;
    CHECK(sigaction(SIGHUP, &ign, NULL) == 0);
    struct sigaction untouched;
    memset(&untouched, 0, sizeof untouched);
    untouched.sa_handler = foreign_handler;
    CHECK(sigaction(SIGWINCH, &untouched, NULL) == 0);
    untouched = sa_now(SIGWINCH);
    set_callback(SIGUSR1, log_cb, &T_CB);
    set_callback(SIGHUP, log_cb, &T_CB);
    set_callback(SIGUSR2, log_cb, &T_CB);
    rs_signal_listener_id id = 0;
    CHECK_OK(rs_signal_add_listener(SIGTERM, log_cb, &T_L, 0, &id));
    CHECK(os_is_rssignal(SIGUSR1) && os_is_rssignal(SIGHUP) && os_is_rssignal(SIGUSR2) &&
          os_is_rssignal(SIGTERM));
    CHECK_OK(rs_signal_restore(0));
    struct sigaction now = sa_now(SIGUSR1);
    CHECK_SAME_ACTION(now, f1);
    CHECK(os_is_ign(SIGHUP));
    CHECK(os_is_dfl(SIGUSR2));
    CHECK(os_is_dfl(SIGTERM));
    now = sa_now(SIGWINCH);
    CHECK_SAME_ACTION(now, untouched);
    CHECK_EQ(table_kind(SIGUSR1), RS_SIGNAL_HANDLER_FOREIGN);
    CHECK_EQ(table_kind(SIGHUP), RS_SIG_IGN);
    CHECK_EQ(table_kind(SIGUSR2), RS_SIG_DFL);
    CHECK_EQ(table_kind(SIGTERM), RS_SIG_DFL);
    CHECK_FAILS(rs_signal_remove_listener(id), RS_SIGNAL_EVALUE, "no such listener");
    /* Twice is harmless. */
    CHECK_OK(rs_signal_restore(0));
    now = sa_now(SIGUSR1);
    CHECK_SAME_ACTION(now, f1);
}

/* restore of a signal rssignal never changed: OK, nothing changed. */
TEST(Beyond_restore_untouched_signal) {
    struct sigaction f;
    memset(&f, 0, sizeof f);
    f.sa_handler = foreign_handler;
    CHECK(sigaction(SIGUSR1, &f, NULL) == 0);
    struct sigaction before = sa_now(SIGUSR1);
    CHECK_OK(rs_signal_restore(SIGUSR1));
    CHECK_OK(rs_signal_restore(SIGUSR2));
    struct sigaction now = sa_now(SIGUSR1);
    CHECK_SAME_ACTION(now, before);
    CHECK(os_is_dfl(SIGUSR2));
}

/* Out of range: EVALUE, nothing changed. */
TEST(Beyond_restore_bad_input) {
    set_callback(SIGUSR1, log_cb, &T_CB);
    CHECK_FAILS(rs_signal_restore(-1), RS_SIGNAL_EVALUE, "out of range");
    CHECK_FAILS(rs_signal_restore(RS_NSIG), RS_SIGNAL_EVALUE, "out of range");
    CHECK_FAILS(rs_signal_restore(RS_NSIG + 1), RS_SIGNAL_EVALUE, "out of range");
    CHECK_FAILS(rs_signal_restore(1 << 30), RS_SIGNAL_EVALUE, "out of range");
    CHECK(os_is_rssignal(SIGUSR1));
    CHECK_EQ(table_kind(SIGUSR1), RS_SIGNAL_HANDLER_CALLBACK);
    kill_self(SIGUSR1);
    CHECK_OK(rs_signal_check());
    CHECK_TAGS(T_CB);
}

/* A signal rssignal changed only through a channel: restore(0) puts SIG_DFL
 * back and unsubscribes it; closing the channel afterwards changes nothing. */
TEST(Beyond_restore_channel_only_then_close) {
    rs_signal_channel *ch = open_one(SIGUSR1);
    CHECK(os_is_rssignal(SIGUSR1));
    kill_self(SIGUSR1);
    CHECK_OK(rs_signal_restore(0));
    CHECK(os_is_dfl(SIGUSR1));
    CHECK_EQ(table_kind(SIGUSR1), RS_SIG_DFL);
    CHECK_OK(rs_signal_channel_close(ch));
    CHECK(os_is_dfl(SIGUSR1));
    /* A later listener installs again and goes again. */
    rs_signal_listener_id id = 0;
    CHECK_OK(rs_signal_add_listener(SIGUSR1, log_cb, &T_L, 0, &id));
    kill_self(SIGUSR1);
    CHECK_OK(rs_signal_check());
    CHECK_TAGS(T_L);
    CHECK_EQ(call_log[0].info.arrivals, 1); /* the arrival before restore was dropped */
    CHECK_OK(rs_signal_remove_listener(id));
    CHECK(os_is_dfl(SIGUSR1));
}
