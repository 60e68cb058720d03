/* The 0.2 listeners (rs_signal_add_listener) — order (callback first, then listeners in add
 * order), one-shot, removal inside callbacks, a raising listener, DFL/IGN
 * made inert and back, a FOREIGN disposition put back, surviving
 * rs_signal_signal, finalize, adding from another thread, the limit, and
 * every bad input (clear status, nothing changed). */
#include "util_beyond.h"

static int T_CB = 1, T_L1 = 11, T_L2 = 12, T_L3 = 13, T_L4 = 14;

static rs_signal_listener_id add(int signum, int *tag, unsigned flags) {
    rs_signal_listener_id id = 0;
    CHECK_OK(rs_signal_add_listener(signum, log_cb, tag, flags, &id));
    CHECK(id != 0);
    return id;
}

/* Callback first, then the listeners in the order they were added; each sees the record. */
TEST(Beyond_listener_order_and_record) {
    set_callback(SIGUSR1, log_cb, &T_CB);
    rs_signal_listener_id a = add(SIGUSR1, &T_L2, 0);
    rs_signal_listener_id b = add(SIGUSR1, &T_L1, 0);
    rs_signal_listener_id c = add(SIGUSR1, &T_L3, 0);
    CHECK(a != b && b != c && a != c);
    kill_self(SIGUSR1);
    kill_self(SIGUSR1);
    CHECK_OK(rs_signal_check());
    CHECK_TAGS(T_CB, T_L2, T_L1, T_L3);
    for (int i = 0; i < 4; i++) {
        CHECK_EQ(call_log[i].signum, SIGUSR1);
        CHECK_OK(call_log[i].info_status);
        CHECK_EQ(call_log[i].info.signum, SIGUSR1);
        CHECK_EQ(call_log[i].info.arrivals, 2);
        CHECK_EQ(call_log[i].info.pid, getpid());
    }
    rs_signal_stats st = stats_of(SIGUSR1);
    CHECK_EQ(st.arrivals, 2);
    CHECK_EQ(st.dispatches, 1);
    CHECK_EQ(st.listener_calls, 3);
}

/* Listeners alone (table entry DFL): they run at dispatch, no callback. */
TEST(Beyond_listener_without_callback) {
    add(SIGUSR2, &T_L1, 0);
    add(SIGUSR2, &T_L2, 0);
    CHECK_EQ(table_kind(SIGUSR2), RS_SIG_DFL);
    kill_self(SIGUSR2); /* would kill the process if DFL were in force */
    CHECK_OK(rs_signal_check());
    CHECK_TAGS(T_L1, T_L2);
    CHECK_EQ(call_log[0].info.arrivals, 1);
    rs_signal_stats st = stats_of(SIGUSR2);
    CHECK_EQ(st.dispatches, 0);
    CHECK_EQ(st.listener_calls, 2);
    CHECK(st.last_dispatch_ns >= st.last_arrival_ns); /* "latest callback or listener call" */
    CHECK(st.last_arrival_ns > 0);
}

/* Listeners only run on the main thread's dispatch; also set_interrupt reaches them. */
TEST(Beyond_listener_set_interrupt) {
    add(SIGHUP, &T_L1, 0);
    CHECK_OK(rs_signal_set_interrupt(SIGHUP));
    CHECK_NO_CALLS();
    CHECK_OK(rs_signal_check());
    CHECK_TAGS(T_L1);
    CHECK_EQ(call_log[0].info.code, SI_USER);
    CHECK_EQ(call_log[0].info.arrivals, 1);
}

/* ONESHOT: called once, then gone (its id unknown, the disposition back to DFL). */
TEST(Beyond_listener_oneshot) {
    rs_signal_listener_id once = add(SIGUSR1, &T_L1, RS_SIGNAL_LISTENER_ONESHOT);
    add(SIGUSR1, &T_L2, 0);
    kill_self(SIGUSR1);
    CHECK_OK(rs_signal_check());
    CHECK_TAGS(T_L1, T_L2);
    kill_self(SIGUSR1);
    CHECK_OK(rs_signal_check());
    CHECK_TAGS(T_L1, T_L2, T_L2);
    CHECK_FAILS(rs_signal_remove_listener(once), RS_SIGNAL_EVALUE, "no such listener");
    CHECK_EQ(stats_of(SIGUSR1).listener_calls, 3);
}

TEST(Beyond_listener_oneshot_last_restores_dfl) {
    rs_signal_listener_id once = add(SIGUSR2, &T_L1, RS_SIGNAL_LISTENER_ONESHOT);
    CHECK(os_is_rssignal(SIGUSR2));
    kill_self(SIGUSR2);
    CHECK_OK(rs_signal_check());
    CHECK_TAGS(T_L1);
    CHECK(os_is_dfl(SIGUSR2)); /* the last listener went */
    CHECK_FAILS(rs_signal_remove_listener(once), RS_SIGNAL_EVALUE, "no such listener");
}

/* A one-shot listener that raises the same signal inside its call is not called again. */
static rs_signal_listener_id self_id;
static int reraise_once(int signum, void *data) {
    (void)data;
    log_call(T_L1, signum);
    return rs_signal_raise_signal(signum);
}
TEST(Beyond_listener_oneshot_reentrant) {
    set_callback(SIGUSR1, log_cb, &T_CB);
    CHECK_OK(rs_signal_add_listener(SIGUSR1, reraise_once, NULL, RS_SIGNAL_LISTENER_ONESHOT, &self_id));
    kill_self(SIGUSR1);
    CHECK_OK(rs_signal_check());
    /* cb, the one-shot (which raises: nested dispatch runs cb only), nothing more */
    CHECK_TAGS(T_CB, T_L1, T_CB);
    CHECK_FAILS(rs_signal_remove_listener(self_id), RS_SIGNAL_EVALUE, "no such listener");
}

/* Removal inside callbacks: the callback removes L2; L1 removes itself and L3;
 * removed listeners are never called, even later in the same dispatch. */
static rs_signal_listener_id id1, id2, id3, id4;
static int remove_status[8];
static int cb_removes_l2(int signum, void *data) {
    log_call(*(int *)data, signum);
    if (id2) {
        remove_status[0] = rs_signal_remove_listener(id2);
        id2 = 0;
    }
    return 0;
}
static int l1_removes_self_and_l3(int signum, void *data) {
    log_call(*(int *)data, signum);
    remove_status[1] = rs_signal_remove_listener(id1);
    remove_status[2] = rs_signal_remove_listener(id3);
    return 0;
}
TEST(Beyond_listener_remove_inside_dispatch) {
    set_callback(SIGUSR1, cb_removes_l2, &T_CB);
    CHECK_OK(rs_signal_add_listener(SIGUSR1, l1_removes_self_and_l3, &T_L1, 0, &id1));
    id2 = add(SIGUSR1, &T_L2, 0);
    id3 = add(SIGUSR1, &T_L3, 0);
    id4 = add(SIGUSR1, &T_L4, 0);
    kill_self(SIGUSR1);
    CHECK_OK(rs_signal_check());
    CHECK_TAGS(T_CB, T_L1, T_L4);
    CHECK_OK(remove_status[0]);
    CHECK_OK(remove_status[1]);
    CHECK_OK(remove_status[2]);
    kill_self(SIGUSR1);
    CHECK_OK(rs_signal_check());
    CHECK_TAGS(T_CB, T_L1, T_L4, T_CB, T_L4);
    CHECK_FAILS(rs_signal_remove_listener(id1), RS_SIGNAL_EVALUE, "no such listener");
    CHECK_OK(rs_signal_remove_listener(id4));
}

/* A listener of one signal removing another signal's listener that is due later in the scan. */
static int l_removes_id2(int signum, void *data) {
    log_call(*(int *)data, signum);
    remove_status[3] = rs_signal_remove_listener(id2);
    return 0;
}
TEST(Beyond_listener_remove_other_signals_listener) {
    CHECK_OK(rs_signal_add_listener(SIGHUP, l_removes_id2, &T_L1, 0, &id1)); /* 1 */
    id2 = add(SIGUSR1, &T_L2, 0);                                             /* 10 */
    id3 = add(SIGUSR1, &T_L3, 0);
    kill_self(SIGUSR1);
    kill_self(SIGHUP);
    CHECK_OK(rs_signal_check()); /* ascending: SIGHUP first */
    CHECK_TAGS(T_L1, T_L3);
    CHECK_OK(remove_status[3]);
}

/* A raising listener: dispatch returns its status (positive -> EHANDLER with
 * handler_result and signum), the scan stops, the listeners after it run at
 * the next dispatch point, the callback is not run again for those arrivals. */
static int raise_value;
static int raising_listener(int signum, void *data) {
    log_call(*(int *)data, signum);
    int v = raise_value;
    raise_value = 0; /* raises once */
    return v;
}
/* On `signum`: listeners L1, L2 (raising `value` once), L3, after the
 * callback T_CB where `with_callback`; one arrival, and the dispatch that
 * returns L2's status (RS_SIGNAL_EHANDLER for a positive one). */
static void raising_chain(int signum, int with_callback, int value) {
    if (with_callback) set_callback(signum, log_cb, &T_CB);
    add(signum, &T_L1, 0);
    CHECK_OK(rs_signal_add_listener(signum, raising_listener, &T_L2, 0, NULL));
    add(signum, &T_L3, 0);
    raise_value = value;
    kill_self(signum);
    CHECK_EQ(rs_signal_check(), value > 0 ? RS_SIGNAL_EHANDLER : value);
}
TEST(Beyond_listener_raising_positive) {
    raising_chain(SIGUSR1, 1, 5);
    rs_signal_error e;
    CHECK_EQ(rs_signal_last_error(&e), RS_SIGNAL_EHANDLER);
    CHECK_EQ(e.signum, SIGUSR1);
    CHECK_EQ(e.handler_result, 5);
    CHECK_TAGS(T_CB, T_L1, T_L2);
    CHECK_EQ(rs_signal_pending(), 1);
    CHECK_OK(rs_signal_check()); /* the rest: L3 only */
    CHECK_TAGS(T_CB, T_L1, T_L2, T_L3);
    CHECK_EQ(rs_signal_pending(), 0);
    CHECK_OK(rs_signal_check());
    CHECK_EQ(n_calls, 4);
    /* The next arrival runs everyone again, from the callback. */
    kill_self(SIGUSR1);
    CHECK_OK(rs_signal_check());
    CHECK_TAGS(T_CB, T_L1, T_L2, T_L3, T_CB, T_L1, T_L2, T_L3);
    CHECK_EQ(call_log[4].info.arrivals, 1);
}

TEST(Beyond_listener_raising_negative_as_is) {
    raising_chain(SIGUSR2, 0, RS_SIGNAL_EUSER - 7);
    CHECK_TAGS(T_L1, T_L2);
    CHECK_OK(rs_signal_check());
    CHECK_TAGS(T_L1, T_L2, T_L3);
}

/* A raising callback stops before the listeners; they run at the next dispatch point. */
static int raising_cb_once(int signum, void *data) {
    log_call(*(int *)data, signum);
    int v = raise_value;
    raise_value = 0;
    return v;
}
TEST(Beyond_listener_after_raising_callback) {
    set_callback(SIGUSR1, raising_cb_once, &T_CB);
    add(SIGUSR1, &T_L1, 0);
    raise_value = 3;
    kill_self(SIGUSR1);
    CHECK_EQ(rs_signal_check(), RS_SIGNAL_EHANDLER);
    CHECK_TAGS(T_CB);
    CHECK_OK(rs_signal_check());
    CHECK_TAGS(T_CB, T_L1);
}

/* DFL made inert: rssignal's handler while a listener exists (the process
 * survives SIGTERM), getsignal says DFL, SIG_DFL back after the removal. */
TEST(Beyond_listener_dfl_inert_and_back) {
    CHECK(os_is_dfl(SIGTERM));
    rs_signal_listener_id id = add(SIGTERM, &T_L1, 0);
    CHECK(os_is_rssignal(SIGTERM));
    CHECK_EQ(table_kind(SIGTERM), RS_SIG_DFL);
    kill_self(SIGTERM);
    CHECK_OK(rs_signal_check());
    CHECK_TAGS(T_L1);
    CHECK_EQ(table_kind(SIGTERM), RS_SIG_DFL);
    CHECK_OK(rs_signal_remove_listener(id));
    CHECK(os_is_dfl(SIGTERM));
    CHECK_EQ(table_kind(SIGTERM), RS_SIG_DFL);
}

/* IGN likewise: the listener sees the arrival; SIG_IGN back afterwards. */
TEST(Beyond_listener_ign_inert_and_back) {
    set_kind(SIGUSR1, RS_SIG_IGN);
    CHECK(os_is_ign(SIGUSR1));
    rs_signal_listener_id a = add(SIGUSR1, &T_L1, 0);
    rs_signal_listener_id b = add(SIGUSR1, &T_L2, 0);
    CHECK(os_is_rssignal(SIGUSR1));
    CHECK_EQ(table_kind(SIGUSR1), RS_SIG_IGN);
    kill_self(SIGUSR1);
    CHECK_OK(rs_signal_check());
    CHECK_TAGS(T_L1, T_L2);
    CHECK_OK(rs_signal_remove_listener(a));
    CHECK(os_is_rssignal(SIGUSR1)); /* one left */
    CHECK_OK(rs_signal_remove_listener(b));
    CHECK(os_is_ign(SIGUSR1));
    CHECK_EQ(table_kind(SIGUSR1), RS_SIG_IGN);
    kill_self(SIGUSR1); /* ignored by the OS again */
    CHECK_OK(rs_signal_check());
    CHECK_EQ(n_calls, 2);
}

/* An IGN inherited from the OS (before first use) is put back as SIG_IGN too. */
TEST(Beyond_listener_os_ign_back) {
    struct sigaction ign;
    memset(&ign, 0, sizeof ign);
    ign.sa_handler = SIG_IGN;
    CHECK(sigaction(SIGUSR2, &ign, NULL) == 0);
    rs_signal_listener_id a = add(SIGUSR2, &T_L1, 0);
    CHECK(os_is_rssignal(SIGUSR2));
    CHECK_EQ(table_kind(SIGUSR2), RS_SIG_IGN);
    CHECK_OK(rs_signal_remove_listener(a));
    CHECK(os_is_ign(SIGUSR2));
}

/* A FOREIGN disposition (installed before rssignal): rssignal's handler while
 * the listener exists, the found one (handler, flags, mask) back afterwards. */
static volatile sig_atomic_t foreign_hits;
static void foreign_handler(int s) {
    (void)s;
    foreign_hits++;
}
TEST(Beyond_listener_foreign_back) {
    struct sigaction f;
    memset(&f, 0, sizeof f);
    f.sa_handler = foreign_handler;
    sigemptyset(&f.sa_mask);
    sigaddset(&f.sa_mask, SIGUSR2);
    f.sa_flags = SA_RESTART;
    CHECK(sigaction(SIGUSR1, &f, NULL) == 0);
    struct sigaction before = sa_now(SIGUSR1);
    rs_signal_listener_id id = add(SIGUSR1, &T_L1, 0);
    CHECK_EQ(table_kind(SIGUSR1), RS_SIGNAL_HANDLER_FOREIGN);
    CHECK(os_is_rssignal(SIGUSR1));
    kill_self(SIGUSR1);
    CHECK_OK(rs_signal_check());
    CHECK_TAGS(T_L1);
    CHECK_EQ(foreign_hits, 0);
    CHECK_OK(rs_signal_remove_listener(id));
    CHECK_BACK_TO_FOREIGN(SIGUSR1, before);
    kill_self(SIGUSR1);
    CHECK_EQ(foreign_hits, 1);
}

/* Listeners survive rs_signal_signal (callback, DFL, IGN, callback again). */
TEST(Beyond_listener_survives_signal) {
    add(SIGUSR1, &T_L1, 0);
    set_callback(SIGUSR1, log_cb, &T_CB);
    kill_self(SIGUSR1);
    CHECK_OK(rs_signal_check());
    CHECK_TAGS(T_CB, T_L1);
    set_kind(SIGUSR1, RS_SIG_DFL);
    CHECK(os_is_rssignal(SIGUSR1)); /* the listener keeps the handler in place */
    kill_self(SIGUSR1);
    CHECK_OK(rs_signal_check());
    CHECK_TAGS(T_CB, T_L1, T_L1);
    set_kind(SIGUSR1, RS_SIG_IGN);
    CHECK(os_is_rssignal(SIGUSR1));
    kill_self(SIGUSR1);
    CHECK_OK(rs_signal_check());
    CHECK_TAGS(T_CB, T_L1, T_L1, T_L1);
    set_callback(SIGUSR1, log_cb, &T_L4);
    kill_self(SIGUSR1);
    CHECK_OK(rs_signal_check());
    CHECK_TAGS(T_CB, T_L1, T_L1, T_L1, T_L4, T_L1);
}

/* finalize removes listeners: no call afterwards, ids unknown, SIG_DFL in the OS. */
TEST(Beyond_listener_finalize_removes) {
    rs_signal_listener_id a = add(SIGUSR1, &T_L1, 0);
    rs_signal_listener_id b = add(SIGTERM, &T_L2, 0);
    CHECK_OK(rs_signal_finalize());
    CHECK(os_is_dfl(SIGUSR1));
    CHECK(os_is_dfl(SIGTERM));
    CHECK_FAILS(rs_signal_remove_listener(a), RS_SIGNAL_EVALUE, "no such listener");
    CHECK_FAILS(rs_signal_remove_listener(b), RS_SIGNAL_EVALUE, "no such listener");
    set_callback(SIGUSR1, log_cb, &T_CB);
    kill_self(SIGUSR1);
    CHECK_OK(rs_signal_check());
    CHECK_TAGS(T_CB);
}

/* Add and remove from another thread; the listener runs on the main thread. */
static int listener_main_thread;
static int thread_tag_cb(int signum, void *data) {
    listener_main_thread = rs_signal_is_main_thread();
    return log_cb(signum, data);
}
struct add_args {
    int add_status, remove_status;
    rs_signal_listener_id id;
    int mode; /* 0 add, 1 remove */
};
static void *listener_thread(void *arg) {
    struct add_args *a = arg;
    if (a->mode == 0)
        a->add_status = rs_signal_add_listener(SIGUSR2, thread_tag_cb, &T_L1, 0, &a->id);
    else
        a->remove_status = rs_signal_remove_listener(a->id);
    return NULL;
}
TEST(Beyond_listener_add_remove_from_thread) {
    struct add_args a;
    memset(&a, 0, sizeof a);
    run_thread(listener_thread, &a);
    CHECK_OK(a.add_status);
    CHECK(a.id != 0);
    CHECK(os_is_rssignal(SIGUSR2));
    kill_self(SIGUSR2);
    CHECK_OK(rs_signal_check());
    CHECK_TAGS(T_L1);
    CHECK_EQ(listener_main_thread, 1);
    a.mode = 1;
    run_thread(listener_thread, &a);
    CHECK_OK(a.remove_status);
    CHECK(os_is_dfl(SIGUSR2));
}

/* RS_SIGNAL_MAX_LISTENERS per process (over several signals), then EOS ENOSPC,
 * nothing changed; one removed makes room for one. */
static int noop_cb(int signum, void *data) {
    (void)signum;
    (void)data;
    return 0;
}
TEST(Beyond_listener_limit) {
    CHECK(RS_SIGNAL_MAX_LISTENERS >= 64);
    static rs_signal_listener_id ids[RS_SIGNAL_MAX_LISTENERS];
    for (int i = 0; i < RS_SIGNAL_MAX_LISTENERS; i++) {
        int s = (i % 2) ? SIGUSR1 : SIGHUP;
        if (rs_signal_add_listener(s, noop_cb, NULL, 0, &ids[i]) != RS_SIGNAL_OK)
            harness_fail(__FILE__, __LINE__, "listener %d refused: %s", i, harness_last_message());
    }
    rs_signal_listener_id extra = 777;
    CHECK_FAILS(rs_signal_add_listener(SIGUSR2, noop_cb, NULL, 0, &extra), RS_SIGNAL_EOS, NULL);
    CHECK_EQ(harness_last_errno(), ENOSPC);
    CHECK(os_is_dfl(SIGUSR2)); /* nothing changed */
    CHECK_OK(rs_signal_remove_listener(ids[7]));
    CHECK_OK(rs_signal_add_listener(SIGUSR2, log_cb, &T_L1, 0, &extra));
    CHECK_FAILS(rs_signal_add_listener(SIGUSR2, noop_cb, NULL, 0, NULL), RS_SIGNAL_EOS, NULL);
    CHECK_EQ(harness_last_errno(), ENOSPC);
    kill_self(SIGUSR2);
    CHECK_OK(rs_signal_check());
    CHECK_TAGS(T_L1);
}

/* Every bad input of add/remove: a clear status, nothing changed (the OS
 * disposition, the table, no listener called afterwards). */
TEST(Beyond_listener_bad_input) {
    rs_signal_listener_id id = 0;
    CHECK_FAILS(rs_signal_add_listener(SIGUSR1, NULL, NULL, 0, &id), RS_SIGNAL_ETYPE, NULL);
    CHECK_FAILS(rs_signal_add_listener(SIGUSR1, log_cb, &T_L1, 2, &id), RS_SIGNAL_EVALUE, NULL);
    CHECK_FAILS(rs_signal_add_listener(SIGUSR1, log_cb, &T_L1, 0x80000000u, &id), RS_SIGNAL_EVALUE, NULL);
    CHECK_FAILS(rs_signal_add_listener(SIGUSR1, log_cb, &T_L1, RS_SIGNAL_LISTENER_ONESHOT | 4, &id),
                RS_SIGNAL_EVALUE, NULL);
    CHECK_FAILS(rs_signal_add_listener(0, log_cb, &T_L1, 0, &id), RS_SIGNAL_EVALUE, "out of range");
    CHECK_FAILS(rs_signal_add_listener(-1, log_cb, &T_L1, 0, &id), RS_SIGNAL_EVALUE, "out of range");
    CHECK_FAILS(rs_signal_add_listener(RS_NSIG, log_cb, &T_L1, 0, &id), RS_SIGNAL_EVALUE, "out of range");
    CHECK_FAILS(rs_signal_add_listener(1000, log_cb, &T_L1, 0, &id), RS_SIGNAL_EVALUE, "out of range");
    CHECK_FAILS(rs_signal_add_listener(SIGKILL, log_cb, &T_L1, 0, &id), RS_SIGNAL_EOS, NULL);
    CHECK_EQ(harness_last_errno(), EINVAL);
    CHECK_FAILS(rs_signal_add_listener(SIGSTOP, log_cb, &T_L1, 0, &id), RS_SIGNAL_EOS, NULL);
    CHECK_EQ(harness_last_errno(), EINVAL);
#if defined(__linux__) && defined(__GLIBC__)
    CHECK_FAILS(rs_signal_add_listener(32, log_cb, &T_L1, 0, &id), RS_SIGNAL_EOS, NULL);
    CHECK_EQ(harness_last_errno(), EINVAL);
    CHECK_FAILS(rs_signal_add_listener(33, log_cb, &T_L1, 0, &id), RS_SIGNAL_EOS, NULL);
    CHECK_EQ(harness_last_errno(), EINVAL);
#endif
    CHECK_EQ(id, 0); /* no id handed out */
    CHECK(os_is_dfl(SIGUSR1));
    CHECK(os_is_dfl(SIGKILL));
    CHECK(os_is_dfl(SIGSTOP));
    CHECK_EQ(table_kind(SIGUSR1), RS_SIG_DFL);
    CHECK_OK(rs_signal_set_interrupt(SIGUSR1)); /* DFL and no listener: nothing trips */
    CHECK_OK(rs_signal_check());
    CHECK_NO_CALLS();
    CHECK_EQ(stats_of(SIGUSR1).listener_calls, 0);

    CHECK_FAILS(rs_signal_remove_listener(0), RS_SIGNAL_EVALUE, "no such listener");
    CHECK_FAILS(rs_signal_remove_listener(0xdeadbeefULL), RS_SIGNAL_EVALUE, "no such listener");
    rs_signal_listener_id real = add(SIGUSR1, &T_L1, 0);
    CHECK_FAILS(rs_signal_remove_listener(real + 1000), RS_SIGNAL_EVALUE, "no such listener");
    CHECK_FAILS(rs_signal_remove_listener(~(rs_signal_listener_id)0), RS_SIGNAL_EVALUE, "no such listener");
    kill_self(SIGUSR1); /* the real one is still there */
    CHECK_OK(rs_signal_check());
    CHECK_TAGS(T_L1);
    CHECK_OK(rs_signal_remove_listener(real));
    CHECK_FAILS(rs_signal_remove_listener(real), RS_SIGNAL_EVALUE, "no such listener");
    CHECK(os_is_dfl(SIGUSR1));
    /* NULL id out-pointer is allowed. */
    CHECK_OK(rs_signal_add_listener(SIGUSR2, log_cb, &T_L2, 0, NULL));
    CHECK(os_is_rssignal(SIGUSR2));
}

/* Removing the last listener of a signal with an rssignal callback keeps
 * rssignal's handler (the table says callback). */
TEST(Beyond_listener_remove_keeps_callback_handler) {
    set_callback(SIGUSR1, log_cb, &T_CB);
    rs_signal_listener_id id = add(SIGUSR1, &T_L1, 0);
    CHECK_OK(rs_signal_remove_listener(id));
    CHECK(os_is_rssignal(SIGUSR1));
    kill_self(SIGUSR1);
    CHECK_OK(rs_signal_check());
    CHECK_TAGS(T_CB);
}

/* A forked child starts with no waiting arrivals: the parent's three are not
 * dispatched there, and its first own arrival counts 1. */
TEST(Beyond_listener_fork_child_starts_clean) {
    set_callback(SIGUSR1, log_cb, &T_CB);
    add(SIGUSR1, &T_L1, 0);
    kill_self(SIGUSR1);
    kill_self(SIGUSR1);
    kill_self(SIGUSR1);
    fflush(NULL);
    pid_t child = fork();
    CHECK(child >= 0);
    if (child == 0) {
        if (rs_signal_check() != 0 || n_calls != 0) _exit(2);
        if (kill(getpid(), SIGUSR1) != 0) _exit(3);
        if (rs_signal_check() != 0) _exit(4);
        if (n_calls != 2 || call_log[0].tag != T_CB || call_log[1].tag != T_L1) _exit(5);
        if (call_log[0].info.arrivals != 1 || call_log[1].info.arrivals != 1) _exit(6);
        if (call_log[0].info.pid != getpid()) _exit(7);
        _exit(0);
    }
    CHECK_CHILD_OK(child);
    CHECK_OK(rs_signal_check());
    CHECK_TAGS(T_CB, T_L1);
    CHECK_EQ(call_log[0].info.arrivals, 3);
}

/* The handler a listener or a channel installs is the callbacks' one:
 * SA_SIGINFO|SA_ONSTACK, an empty mask, no SA_RESTART. */
TEST(Beyond_listener_handler_flags) {
    add(SIGUSR1, &T_L1, 0);
    rs_signal_channel *ch = open_one(SIGUSR2);
    int sigs[] = {SIGUSR1, SIGUSR2};
    for (int i = 0; i < 2; i++) {
        struct sigaction sa = sa_now(sigs[i]);
        CHECK(sa.sa_flags & SA_SIGINFO);
        CHECK(sa.sa_flags & SA_ONSTACK);
        CHECK(!(sa.sa_flags & SA_RESTART));
        CHECK(!(sa.sa_flags & SA_RESETHAND));
        CHECK(!(sa.sa_flags & SA_NODEFER));
        for (int s = 1; s < NSIG; s++) CHECK(sigismember(&sa.sa_mask, s) != 1);
    }
    set_callback(SIGHUP, log_cb, &T_CB);
    struct sigaction cb = sa_now(SIGHUP), l = sa_now(SIGUSR1);
    CHECK_SAME_ACTION(l, cb);
    CHECK_OK(rs_signal_channel_close(ch));
}

/* A raising listener, then a new arrival before the next dispatch point: the
 * next dispatch runs the callback and every listener once (L3 is not lost,
 * nobody runs twice). */
TEST(Beyond_listener_raising_then_new_arrival) {
    raising_chain(SIGUSR1, 1, 4);
    CHECK_TAGS(T_CB, T_L1, T_L2);
    kill_self(SIGUSR1);
    CHECK_OK(rs_signal_check());
    CHECK_OK(rs_signal_check());
    CHECK_TAGS(T_CB, T_L1, T_L2, T_CB, T_L1, T_L2, T_L3);
    CHECK_EQ(call_log[3].info.arrivals, 1);
}
