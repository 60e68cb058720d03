/* The 0.2 delivery records, who sent it and how many: rs_signal_delivery_info inside a
 * callback: arrival counts, sender pid/uid from another process, SI_QUEUE
 * values, SIGCHLD status, times, raise_signal and set_interrupt records,
 * outside a dispatch, from another thread, nested dispatch, bad input.
 * Signals from other processes are blocked while they are sent and unblocked
 * afterwards, so they are delivered (once each, or once if coalesced by the
 * kernel) inside the sigprocmask call. */
#include <limits.h>
#include <stdint.h>

#include "util_beyond.h"

static int TAG_CB = 1;

/* The call log holds one call, of TAG_CB, which saw one arrival sent by this
 * process (record read, our pid and uid) with si_code `si_code` (ANY_CODE: not
 * compared). */
#define ANY_CODE INT_MIN
#define CHECK_ONE_OWN_ARRIVAL(si_code)                                              \
    do {                                                                            \
        int check_code_ = (si_code);                                                \
        CHECK_TAGS(TAG_CB);                                                         \
        CHECK_OK(call_log[0].info_status);                                          \
        CHECK_EQ(call_log[0].info.arrivals, 1);                                     \
        if (check_code_ != ANY_CODE) CHECK_EQ(call_log[0].info.code, check_code_);  \
        CHECK_EQ(call_log[0].info.pid, getpid());                                   \
        CHECK_EQ(call_log[0].info.uid, getuid());                                   \
    } while (0)
/* What raise() and pthread_kill() leave as si_code: SI_TKILL on Linux. */
#ifdef __linux__
#define TKILL_CODE SI_TKILL
#else
#define TKILL_CODE ANY_CODE
#endif

/* N handler entries before a dispatch: one callback call, arrivals == N. */
TEST(Beyond_delivery_counts_coalesce) {
    set_callback(SIGUSR1, log_cb, &TAG_CB);
    for (int i = 0; i < 5; i++) kill_self(SIGUSR1);
    CHECK_NO_CALLS();
    CHECK_OK(rs_signal_check());
    CHECK_TAGS(TAG_CB);
    CHECK_OK(call_log[0].info_status);
    CHECK_EQ(call_log[0].signum, SIGUSR1);
    CHECK_EQ(call_log[0].info.signum, SIGUSR1);
    CHECK_EQ(call_log[0].info.arrivals, 5);
    CHECK_EQ(call_log[0].info.code, SI_USER);
    CHECK_EQ(call_log[0].info.pid, getpid());
    CHECK_EQ(call_log[0].info.uid, getuid());
    CHECK_EQ(call_log[0].info.status, 0);
    CHECK_EQ(call_log[0].info.value, 0);
    /* Nothing left: a second dispatch runs nothing; the next arrival counts from 1. */
    CHECK_OK(rs_signal_check());
    CHECK_EQ(n_calls, 1);
    kill_self(SIGUSR1);
    CHECK_OK(rs_signal_check());
    CHECK_EQ(n_calls, 2);
    CHECK_EQ(call_log[1].info.arrivals, 1);
}

/* set_interrupt counts as one arrival (SI_USER, own pid and uid), mixed with real ones. */
TEST(Beyond_delivery_set_interrupt_counts_one) {
    set_callback(SIGUSR2, log_cb, &TAG_CB);
    CHECK_OK(rs_signal_set_interrupt(SIGUSR2));
    CHECK_OK(rs_signal_check());
    CHECK_ONE_OWN_ARRIVAL(SI_USER);
    kill_self(SIGUSR2);
    kill_self(SIGUSR2);
    CHECK_OK(rs_signal_set_interrupt(SIGUSR2));
    CHECK_OK(rs_signal_check());
    CHECK_TAGS(TAG_CB, TAG_CB);
    CHECK_EQ(call_log[1].info.arrivals, 3);
}

/* The record is the latest arrival's, whichever kind came last: a queued
 * value, then a set_interrupt (SI_USER, no value), then a queued value again. */
TEST(Beyond_delivery_latest_of_real_and_simulated) {
    set_callback(SIGUSR2, log_cb, &TAG_CB);
    union sigval v = {.sival_ptr = (void *)(intptr_t)4242};
    CHECK(sigqueue(getpid(), SIGUSR2, v) == 0);
    CHECK_OK(rs_signal_set_interrupt(SIGUSR2));
    CHECK_OK(rs_signal_check());
    CHECK_EQ(call_log[0].info.arrivals, 2);
    CHECK_EQ(call_log[0].info.code, SI_USER);
    CHECK_EQ(call_log[0].info.value, 0);
    CHECK_EQ(call_log[0].info.pid, getpid());
    CHECK(call_log[0].info.first_ns <= call_log[0].info.last_ns);
    CHECK_OK(rs_signal_set_interrupt(SIGUSR2));
    CHECK(sigqueue(getpid(), SIGUSR2, v) == 0);
    CHECK_OK(rs_signal_check());
    CHECK_TAGS(TAG_CB, TAG_CB);
    CHECK_EQ(call_log[1].info.arrivals, 2);
    CHECK_EQ(call_log[1].info.code, SI_QUEUE);
    CHECK_EQ(call_log[1].info.value, 4242);
    CHECK_EQ(call_log[1].info.pid, getpid());
    CHECK(call_log[0].info.last_ns < call_log[1].info.first_ns);
}

/* raise_signal is a real raise (Linux: SI_TKILL), counted once, own pid. */
TEST(Beyond_delivery_raise_signal_record) {
    set_callback(SIGUSR1, log_cb, &TAG_CB);
    CHECK_OK(rs_signal_raise_signal(SIGUSR1));
    CHECK_ONE_OWN_ARRIVAL(TKILL_CODE);
}

/* kill() from another process: pid is the child's, uid ours, code SI_USER. */
TEST(Beyond_delivery_sender_pid_uid_from_child) {
    set_callback(SIGUSR1, log_cb, &TAG_CB);
    mask_signal(SIGUSR1, SIG_BLOCK);
    pid_t child = child_kills_parent(SIGUSR1, 1);
    CHECK_CHILD_OK(child);
    CHECK(os_pending(SIGUSR1));
    mask_signal(SIGUSR1, SIG_UNBLOCK); /* the handler runs here */
    CHECK_NO_CALLS();
    CHECK_OK(rs_signal_check());
    CHECK_TAGS(TAG_CB);
    CHECK_OK(call_log[0].info_status);
    CHECK_EQ(call_log[0].info.arrivals, 1);
    CHECK_EQ(call_log[0].info.code, SI_USER);
    CHECK_EQ(call_log[0].info.pid, child);
    CHECK_EQ(call_log[0].info.uid, getuid());
    CHECK_EQ(call_log[0].info.value, 0);
}

/* The record is the latest arrival's: own kill first, then a child's. */
TEST(Beyond_delivery_latest_sender_wins) {
    set_callback(SIGUSR1, log_cb, &TAG_CB);
    kill_self(SIGUSR1);
    mask_signal(SIGUSR1, SIG_BLOCK);
    pid_t child = child_kills_parent(SIGUSR1, 1);
    CHECK_CHILD_OK(child);
    mask_signal(SIGUSR1, SIG_UNBLOCK);
    CHECK_OK(rs_signal_check());
    CHECK_TAGS(TAG_CB);
    CHECK_EQ(call_log[0].info.arrivals, 2);
    CHECK_EQ(call_log[0].info.pid, child);
}

/* sigqueue() from a child: code SI_QUEUE, value == sival_ptr, pid the child's. */
TEST(Beyond_delivery_sigqueue_value) {
    const uintptr_t want = (uintptr_t)(sizeof(void *) >= 8 ? (uintptr_t)0x12345678abcdefULL : 0x7e5a1234u);
    set_callback(SIGUSR2, log_cb, &TAG_CB);
    mask_signal(SIGUSR2, SIG_BLOCK);
    pid_t child = child_queues_parent(SIGUSR2, 1, want);
    CHECK_CHILD_OK(child);
    CHECK(os_pending(SIGUSR2));
    mask_signal(SIGUSR2, SIG_UNBLOCK);
    CHECK_OK(rs_signal_check());
    CHECK_TAGS(TAG_CB);
    CHECK_OK(call_log[0].info_status);
    CHECK_EQ(call_log[0].info.code, SI_QUEUE);
    CHECK_EQ(call_log[0].info.pid, child);
    CHECK_EQ(call_log[0].info.uid, getuid());
    CHECK_EQ((uint64_t)call_log[0].info.value, (uint64_t)want);
}

/* Queued real-time signals: each is one handler entry; the last value wins. */
TEST(Beyond_delivery_sigqueue_rt_counts_and_last_value) {
#ifndef SIGRTMIN
    SKIP("SKIP LOUDLY: no real-time signals on this platform: queued values not tested");
#else
    int rt = SIGRTMIN + 4;
    set_callback(rt, log_cb, &TAG_CB);
    mask_signal(rt, SIG_BLOCK);
    pid_t child = child_queues_parent(rt, 7, 1001); /* values 1001 .. 1007 */
    CHECK_CHILD_OK(child);
    mask_signal(rt, SIG_UNBLOCK); /* seven handler entries, in queue order */
    CHECK_OK(rs_signal_check());
    CHECK_TAGS(TAG_CB);
    CHECK_EQ(call_log[0].info.arrivals, 7);
    CHECK_EQ(call_log[0].info.code, SI_QUEUE);
    CHECK_EQ(call_log[0].info.value, 1007);
    CHECK_EQ(call_log[0].info.pid, child);
#endif
}

/* SIGCHLD: status = exit code, code CLD_EXITED, pid = the child's. */
TEST(Beyond_delivery_sigchld_status) {
    set_callback(SIGCHLD, log_cb, &TAG_CB);
    mask_signal(SIGCHLD, SIG_BLOCK);
    fflush(NULL);
    pid_t child = fork();
    CHECK(child >= 0);
    if (child == 0) _exit(7);
    int st = reap(child);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 7);
    CHECK(os_pending(SIGCHLD));
    mask_signal(SIGCHLD, SIG_UNBLOCK);
    CHECK_OK(rs_signal_check());
    CHECK_TAGS(TAG_CB);
    CHECK_OK(call_log[0].info_status);
    CHECK_EQ(call_log[0].info.signum, SIGCHLD);
    CHECK_EQ(call_log[0].info.arrivals, 1);
    CHECK_EQ(call_log[0].info.code, CLD_EXITED);
    CHECK_EQ(call_log[0].info.status, 7);
    CHECK_EQ(call_log[0].info.pid, child);
    CHECK_EQ(call_log[0].info.uid, getuid());
}

/* SIGCHLD of a child killed by a signal: CLD_KILLED, status = the signal. */
TEST(Beyond_delivery_sigchld_killed) {
    set_callback(SIGCHLD, log_cb, &TAG_CB);
    mask_signal(SIGCHLD, SIG_BLOCK);
    int p[2];
    CHECK(pipe(p) == 0);
    fflush(NULL);
    pid_t child = fork();
    CHECK(child >= 0);
    if (child == 0) {
        char c;
        close(p[1]);
        while (read(p[0], &c, 1) != 0) {
        }
        _exit(0);
    }
    close(p[0]);
    CHECK(kill(child, SIGKILL) == 0);
    int st = reap(child);
    close(p[1]);
    CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
    mask_signal(SIGCHLD, SIG_UNBLOCK);
    CHECK_OK(rs_signal_check());
    CHECK_TAGS(TAG_CB);
    CHECK_EQ(call_log[0].info.code, CLD_KILLED);
    CHECK_EQ(call_log[0].info.status, SIGKILL);
    CHECK_EQ(call_log[0].info.pid, child);
}

/* first_ns <= last_ns, both CLOCK_MONOTONIC within [before, after] of the raises. */
TEST(Beyond_delivery_times) {
    set_callback(SIGUSR1, log_cb, &TAG_CB);
    int64_t before = now_ns();
    kill_self(SIGUSR1);
    int64_t mid = now_ns();
    kill_self(SIGUSR1);
    kill_self(SIGUSR1);
    int64_t after = now_ns();
    CHECK_OK(rs_signal_check());
    CHECK_TAGS(TAG_CB);
    const rs_signal_delivery *d = &call_log[0].info;
    CHECK_EQ(d->arrivals, 3);
    if (!(before <= d->first_ns && d->first_ns <= mid))
        harness_fail(__FILE__, __LINE__, "first_ns %lld not in [%lld, %lld]", (long long)d->first_ns,
                     (long long)before, (long long)mid);
    if (!(mid <= d->last_ns && d->last_ns <= after))
        harness_fail(__FILE__, __LINE__, "last_ns %lld not in [%lld, %lld]", (long long)d->last_ns,
                     (long long)mid, (long long)after);
    CHECK(d->first_ns <= d->last_ns);
    /* A single arrival: first == last. */
    before = now_ns();
    kill_self(SIGUSR1);
    after = now_ns();
    CHECK_OK(rs_signal_check());
    CHECK_EQ(n_calls, 2);
    d = &call_log[1].info;
    CHECK_EQ(d->arrivals, 1);
    CHECK(before <= d->first_ns && d->last_ns <= after);
    CHECK_EQ(d->first_ns, d->last_ns);
}

/* Outside a dispatch: RS_SIGNAL_EVALUE "no signal is being dispatched", also
 * with a signal waiting and after a dispatch returned. */
TEST(Beyond_delivery_outside_dispatch) {
    rs_signal_delivery d;
    CHECK_FAILS(rs_signal_delivery_info(&d), RS_SIGNAL_EVALUE, "no signal is being dispatched");
    set_callback(SIGUSR1, log_cb, &TAG_CB);
    kill_self(SIGUSR1);
    CHECK_FAILS(rs_signal_delivery_info(&d), RS_SIGNAL_EVALUE, "no signal is being dispatched");
    CHECK_OK(rs_signal_check());
    CHECK_TAGS(TAG_CB);
    CHECK_OK(call_log[0].info_status);
    CHECK_FAILS(rs_signal_delivery_info(&d), RS_SIGNAL_EVALUE, "no signal is being dispatched");
    /* The waiting arrival was not consumed by those calls: it was the one dispatched. */
    CHECK_EQ(call_log[0].info.arrivals, 1);
}

/* From another thread while the main thread is inside a callback: EVALUE. */
struct other_thread {
    int status;
    int err;
    char msg[160];
};
static void *info_thread(void *arg) {
    struct other_thread *o = arg;
    rs_signal_delivery d;
    o->status = rs_signal_delivery_info(&d);
    rs_signal_error e;
    o->err = rs_signal_last_error(&e);
    snprintf(o->msg, sizeof o->msg, "%s", e.message ? e.message : "(null)");
    return NULL;
}
static struct other_thread other;
static int thread_probe_cb(int signum, void *data) {
    (void)data;
    pthread_t t;
    if (pthread_create(&t, NULL, info_thread, &other) != 0) return 90;
    pthread_join(t, NULL);
    log_call(TAG_CB, signum);
    return 0;
}
TEST(Beyond_delivery_other_thread_during_dispatch) {
    set_callback(SIGUSR1, thread_probe_cb, NULL);
    kill_self(SIGUSR1);
    CHECK_OK(rs_signal_check());
    CHECK_TAGS(TAG_CB);
    CHECK_OK(call_log[0].info_status); /* the main thread itself sees the record */
    CHECK_EQ(other.status, RS_SIGNAL_EVALUE);
    CHECK_EQ(other.err, RS_SIGNAL_EVALUE);
    CHECK_STR_CONTAINS(other.msg, "no signal is being dispatched");
}

/* Nested dispatch: the innermost signal's record; the outer one's after it returns. */
static int TAG_INNER = 2, TAG_OUTER_AFTER = 3;
static int outer_cb(int signum, void *data) {
    (void)data;
    log_call(TAG_CB, signum);
    kill_self(SIGUSR2);
    kill_self(SIGUSR2);
    int r = rs_signal_check(); /* runs inner_cb for SIGUSR2 */
    if (r != 0) return r;
    log_call(TAG_OUTER_AFTER, signum);
    return 0;
}
TEST(Beyond_delivery_nested_innermost) {
    set_callback(SIGUSR1, outer_cb, NULL);
    set_callback(SIGUSR2, log_cb, &TAG_INNER);
    kill_self(SIGUSR1);
    kill_self(SIGUSR1);
    kill_self(SIGUSR1);
    CHECK_OK(rs_signal_check());
    CHECK_TAGS(TAG_CB, TAG_INNER, TAG_OUTER_AFTER);
    CHECK_EQ(call_log[0].info.signum, SIGUSR1);
    CHECK_EQ(call_log[0].info.arrivals, 3);
    CHECK_OK(call_log[1].info_status);
    CHECK_EQ(call_log[1].info.signum, SIGUSR2);
    CHECK_EQ(call_log[1].info.arrivals, 2);
    CHECK_OK(call_log[2].info_status);
    CHECK_EQ(call_log[2].info.signum, SIGUSR1);
    CHECK_EQ(call_log[2].info.arrivals, 3);
    rs_signal_delivery d;
    CHECK_FAILS(rs_signal_delivery_info(&d), RS_SIGNAL_EVALUE, "no signal is being dispatched");
}

/* delivery_info(NULL): ETYPE inside a dispatch; outside, an error too. */
static int null_status, null_err;
static int null_probe_cb(int signum, void *data) {
    (void)signum;
    (void)data;
    null_status = rs_signal_delivery_info(NULL);
    null_err = rs_signal_last_error(NULL);
    return 0;
}
TEST(Beyond_delivery_bad_input_null) {
    set_callback(SIGUSR1, null_probe_cb, NULL);
    kill_self(SIGUSR1);
    CHECK_OK(rs_signal_check());
    CHECK_EQ(null_status, RS_SIGNAL_ETYPE);
    CHECK_EQ(null_err, RS_SIGNAL_ETYPE);
    CHECK(rs_signal_delivery_info(NULL) < 0);
    /* Nothing changed: the next arrival is dispatched as usual, counted from 1. */
    set_callback(SIGUSR1, log_cb, &TAG_CB);
    kill_self(SIGUSR1);
    CHECK_OK(rs_signal_check());
    CHECK_TAGS(TAG_CB);
    CHECK_EQ(call_log[0].info.arrivals, 1);
}

/* rs_signal_pthread_kill to the main thread: one arrival (Linux: SI_TKILL), own pid. */
TEST(Beyond_delivery_pthread_kill_record) {
    set_callback(SIGUSR2, log_cb, &TAG_CB);
    CHECK_OK(rs_signal_pthread_kill(rs_signal_thread_id(), SIGUSR2));
    CHECK_ONE_OWN_ARRIVAL(TKILL_CODE);
}
