/* A C host with rssignal and a Go library (golib/), built two ways:
 *   -DGO_SHARED   the library is -buildmode=c-shared and loaded with dlopen,
 *                 so the host chooses whether rssignal installs first:
 *                   go_host rs-first   rssignal's handlers, then dlopen
 *                   go_host go-first   dlopen, then rssignal's handlers
 *   -DGO_ARCHIVE  the library is -buildmode=c-archive, linked in; Go's
 *                 runtime sets up its signals before main:
 *                   go_host go-first
 *
 * Go's rules (os/signal, "Non-Go programs that call Go code"): a Go library
 * installs its handler at load for the synchronous signals and SIGPIPE,
 * saving the handler it found and forwarding to it the ones it does not
 * handle itself (SIGPIPE arriving on a non-Go thread); it keeps any other
 * existing handler (turning on SA_ONSTACK); signal.Notify installs Go's
 * handler for an asynchronous signal, and signal.Reset puts back the one
 * Notify found. Signals used: SIGUSR1 rssignal's only, SIGUSR2 Go's
 * (Notify), SIGPIPE Go's at load, SIGTERM rssignal's then Go's (Notify);
 * SIGSEGV and SIGURG are Go's alone and must stay so.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "hostile.h"

#include <pthread.h>

#if defined(GO_SHARED)
#include <dlfcn.h>
static void (*GoNotify)(int);
static void (*GoReset)(int);
static int (*GoWait)(int, int);
static int (*GoPending)(int);
static void *golib;

static void *sym(const char *name) {
    void *p = dlsym(golib, name);
    if (p == NULL) FAILF("dlsym %s: %s", name, dlerror());
    return p;
}

/* Loads the Go library. With these signals blocked in the loading thread,
 * every thread Go's runtime starts has them blocked too (it starts its
 * threads with the mask it found); this thread unblocks them again, so a
 * signal sent to the process runs its handler here, on a thread that is
 * not running Go code, where Go forwards what it does not handle. */
static void load_go(const char *path) {
    sigset_t set, old;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigaddset(&set, SIGUSR2);
    sigaddset(&set, SIGPIPE);
    sigaddset(&set, SIGTERM);
    CHECK_EQ(pthread_sigmask(SIG_BLOCK, &set, &old), 0);
    golib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (golib == NULL) FAILF("dlopen %s: %s", path, dlerror());
    *(void **)&GoNotify = sym("GoNotify");
    *(void **)&GoReset = sym("GoReset");
    *(void **)&GoWait = sym("GoWait");
    *(void **)&GoPending = sym("GoPending");
    GoPending(SIGUSR2); /* the runtime is up */
    CHECK_EQ(pthread_sigmask(SIG_SETMASK, &old, NULL), 0);
}
#elif defined(GO_ARCHIVE)
#include "libgohost.h"
#else
#error "build with -DGO_SHARED or -DGO_ARCHIVE"
#endif

/* A child sends `signum`; Go's Notify channel must get it. */
static void expect_go(int signum, const char *what) {
    kill_from_child(signum);
    if (GoWait(signum, WAIT_MS) != 1) FAILF("%s: Go did not receive signal %d", what, signum);
}

/* A Go handler: SA_SIGINFO | SA_ONSTACK, and not rssignal's. */
static void check_go_handler(int signum, const struct sigaction *rss, const char *what) {
    struct sigaction now = disposition(signum);
    if (now.sa_handler == SIG_DFL || now.sa_handler == SIG_IGN)
        FAILF("%s: signal %d has no handler", what, signum);
    if (rss != NULL && handler_of(&now) == handler_of(rss))
        FAILF("%s: signal %d still has rssignal's handler", what, signum);
    if ((now.sa_flags & (SA_SIGINFO | SA_ONSTACK)) != (SA_SIGINFO | SA_ONSTACK))
        FAILF("%s: signal %d flags %#x lack SA_SIGINFO|SA_ONSTACK", what, signum,
              (unsigned)now.sa_flags);
}

/* Go's own handlers that rssignal never touches (a synchronous signal, and
 * SIGURG for preemption): rs_signal_restore(0) must leave them as they are. */
struct go_own {
    struct sigaction segv, urg;
};
static struct go_own go_own_now(void) {
    struct go_own g = {disposition(SIGSEGV), disposition(SIGURG)};
    check_go_handler(SIGSEGV, NULL, "SIGSEGV with Go up");
    check_go_handler(SIGURG, NULL, "SIGURG with Go up");
    return g;
}
static void check_go_own(const struct go_own *g, const char *what) {
    CHECK_SAME_DISPOSITION(SIGSEGV, &g->segv, what);
    CHECK_SAME_DISPOSITION(SIGURG, &g->urg, what);
}

#if defined(GO_SHARED)
static void case_rs_first(const char *golib_path) {
    struct seen usr1 = {0}, usr2 = {0}, pipe_ = {0};
    struct sigaction pre_usr1 = disposition(SIGUSR1);
    struct sigaction pre_usr2 = disposition(SIGUSR2);
    use_wakeup_fd();
    install_cb(SIGUSR1, &usr1, NULL);
    install_cb(SIGUSR2, &usr2, NULL);
    install_cb(SIGPIPE, &pipe_, NULL);
    struct sigaction rs_usr1 = disposition(SIGUSR1);
    struct sigaction rs_pipe = disposition(SIGPIPE);
    if ((rs_usr1.sa_flags & (SA_SIGINFO | SA_ONSTACK)) != (SA_SIGINFO | SA_ONSTACK))
        FAILF("rssignal's handler flags %#x lack SA_SIGINFO|SA_ONSTACK", (unsigned)rs_usr1.sa_flags);

    load_go(golib_path);
    /* Go kept rssignal's SIGUSR1 as it was (SA_ONSTACK already on) ... */
    CHECK_SAME_DISPOSITION(SIGUSR1, &rs_usr1, "SIGUSR1 after loading Go");
    /* ... and put its own handler on SIGPIPE, over rssignal's. */
    check_go_handler(SIGPIPE, &rs_pipe, "SIGPIPE after loading Go");
    struct sigaction go_pipe = disposition(SIGPIPE);
    struct go_own own = go_own_now();
    GoNotify(SIGUSR2);
    check_go_handler(SIGUSR2, &rs_usr1, "SIGUSR2 after signal.Notify");
    struct sigaction go_usr2 = disposition(SIGUSR2);

    expect_callback(SIGUSR1, &usr1, "SIGUSR1 with Go loaded");
    expect_go(SIGUSR2, "SIGUSR2 Notify'd by Go");
    CHECK_EQ(usr2.calls, 0);
    /* Go forwards a SIGPIPE on a non-Go thread to the handler it found. */
    expect_callback(SIGPIPE, &pipe_, "SIGPIPE forwarded by Go");

    /* Go's handlers are the newer ones: restore leaves them. */
    CHECK_OK(rs_signal_restore(SIGUSR2));
    CHECK_SAME_DISPOSITION(SIGUSR2, &go_usr2, "SIGUSR2 after rs_signal_restore");
    expect_go(SIGUSR2, "SIGUSR2 after rs_signal_restore");
    CHECK_OK(rs_signal_restore(SIGPIPE));
    CHECK_SAME_DISPOSITION(SIGPIPE, &go_pipe, "SIGPIPE after rs_signal_restore");
    expect_callback(SIGPIPE, &pipe_, "SIGPIPE forwarded by Go after rs_signal_restore");

    /* signal.Reset puts rssignal's handler back (Go's flags, rssignal's
     * function): it is rssignal's own again, so restore now takes it. */
    GoReset(SIGUSR2);
    CHECK_HANDLER_IS(SIGUSR2, handler_of(&rs_usr1), "SIGUSR2 after signal.Reset");
    expect_callback(SIGUSR2, &usr2, "SIGUSR2 after signal.Reset");
    CHECK_EQ(GoPending(SIGUSR2), 0);
    CHECK_OK(rs_signal_restore(SIGUSR2));
    CHECK_SAME_DISPOSITION(SIGUSR2, &pre_usr2, "SIGUSR2 after signal.Reset and rs_signal_restore");

    /* rssignal's SIGUSR1 is still its own: everything back; Go's SIGPIPE stays. */
    CHECK_OK(rs_signal_restore(0));
    CHECK_SAME_DISPOSITION(SIGUSR1, &pre_usr1, "SIGUSR1 after rs_signal_restore(0)");
    CHECK_SAME_DISPOSITION(SIGPIPE, &go_pipe, "SIGPIPE after rs_signal_restore(0)");
    check_go_own(&own, "Go's own handlers after rs_signal_restore(0)");
    CHECK_EQ(usr1.calls, 1);
    CHECK_EQ(pipe_.calls, 2);
}
#endif

/* Go first (loaded, or initialised before main), rssignal installs after. */
static void case_go_first(void) {
    struct seen usr1 = {0}, usr2 = {0}, pipe_ = {0}, term = {0};
    struct sigaction pre_usr1 = disposition(SIGUSR1);
    struct sigaction pre_term = disposition(SIGTERM);
    check_go_handler(SIGPIPE, NULL, "SIGPIPE with Go up");
    struct sigaction go_pipe = disposition(SIGPIPE);
    struct go_own own = go_own_now();
    GoNotify(SIGUSR2);
    check_go_handler(SIGUSR2, NULL, "SIGUSR2 after signal.Notify");
    struct sigaction go_usr2 = disposition(SIGUSR2);
    use_wakeup_fd();

    /* A signal Go does not want. */
    rs_signal_handler old;
    install_cb(SIGUSR1, &usr1, &old);
    CHECK_EQ(old.kind, RS_SIG_DFL);
    expect_callback(SIGUSR1, &usr1, "SIGUSR1 after Go");
    expect_go(SIGUSR2, "SIGUSR2 Notify'd by Go, rssignal on SIGUSR1");
#if defined(GO_ARCHIVE)
    {
        /* With SIGUSR1 blocked here, it goes to one of the threads Go's
         * runtime started (with the mask the process began with): rssignal's
         * handler runs there, on Go's signal stack (SA_ONSTACK), and the
         * callback still runs here, at rs_signal_check. */
        sigset_t one, old_mask, pending;
        sigemptyset(&one);
        sigaddset(&one, SIGUSR1);
        CHECK_EQ(pthread_sigmask(SIG_BLOCK, &one, &old_mask), 0);
        expect_callback(SIGUSR1, &usr1, "SIGUSR1 on a Go thread");
        SYS(sigpending(&pending));
        CHECK(sigismember(&pending, SIGUSR1) == 0);
        CHECK_EQ(pthread_sigmask(SIG_SETMASK, &old_mask, NULL), 0);
        CHECK_EQ(usr1.calls, 2);
    }
#endif

    /* rssignal over Go's Notify handler: rssignal's callback gets it, and
     * restore gives Go's handler back exactly. */
    install_cb(SIGUSR2, &usr2, &old);
    CHECK_EQ(old.kind, RS_SIGNAL_HANDLER_FOREIGN);
    expect_callback(SIGUSR2, &usr2, "SIGUSR2 with rssignal over Go");
    CHECK_EQ(GoPending(SIGUSR2), 0);
    CHECK_OK(rs_signal_restore(SIGUSR2));
    CHECK_SAME_DISPOSITION(SIGUSR2, &go_usr2, "SIGUSR2 after rs_signal_restore");
    expect_go(SIGUSR2, "SIGUSR2 after rs_signal_restore");

    /* rssignal over Go's load-time SIGPIPE handler. */
    install_cb(SIGPIPE, &pipe_, &old);
    CHECK_EQ(old.kind, RS_SIGNAL_HANDLER_FOREIGN);
    expect_callback(SIGPIPE, &pipe_, "SIGPIPE with rssignal over Go");
    CHECK_OK(rs_signal_restore(SIGPIPE));
    CHECK_SAME_DISPOSITION(SIGPIPE, &go_pipe, "SIGPIPE after rs_signal_restore");

    /* Go's Notify after rssignal's handler: Go's is newer, restore leaves it,
     * Go gets the signal; signal.Reset gives rssignal's back, and then
     * restore takes it back to what was there first. */
    install_cb(SIGTERM, &term, NULL);
    struct sigaction rs_term = disposition(SIGTERM);
    GoNotify(SIGTERM);
    check_go_handler(SIGTERM, &rs_term, "SIGTERM after signal.Notify");
    struct sigaction go_term = disposition(SIGTERM);
    CHECK_OK(rs_signal_restore(SIGTERM));
    CHECK_SAME_DISPOSITION(SIGTERM, &go_term, "SIGTERM after rs_signal_restore");
    CHECK_OK(rs_signal_restore(0));
    CHECK_SAME_DISPOSITION(SIGTERM, &go_term, "SIGTERM after rs_signal_restore(0)");
    expect_go(SIGTERM, "SIGTERM after rs_signal_restore");
    CHECK_EQ(bytes_now(wakeup_rd), 0);
    GoReset(SIGTERM);
    CHECK_HANDLER_IS(SIGTERM, handler_of(&rs_term), "SIGTERM after signal.Reset");
    CHECK_OK(rs_signal_restore(SIGTERM));
    CHECK_SAME_DISPOSITION(SIGTERM, &pre_term, "SIGTERM after signal.Reset and rs_signal_restore");

    /* rs_signal_restore(0) above took SIGUSR1 back. */
    CHECK_SAME_DISPOSITION(SIGUSR1, &pre_usr1, "SIGUSR1 after rs_signal_restore(0)");
    CHECK_SAME_DISPOSITION(SIGUSR2, &go_usr2, "SIGUSR2 at the end");
    CHECK_SAME_DISPOSITION(SIGPIPE, &go_pipe, "SIGPIPE at the end");
    check_go_own(&own, "Go's own handlers at the end");
    expect_go(SIGUSR2, "SIGUSR2 at the end");
    CHECK_EQ(term.calls, 0);
}

int main(int argc, char **argv) {
#if defined(GO_SHARED)
    const char *usage = "usage: go_host-shared rs-first|go-first GOLIB.so";
    if (argc != 3) {
        fprintf(stderr, "%s\n", usage);
        return 2;
    }
    hostile_case = argv[1];
    if (strcmp(argv[1], "rs-first") == 0) {
        case_rs_first(argv[2]);
    } else if (strcmp(argv[1], "go-first") == 0) {
        load_go(argv[2]);
        case_go_first();
    } else {
        fprintf(stderr, "%s\n", usage);
        return 2;
    }
#else
    if (argc != 2 || strcmp(argv[1], "go-first") != 0) {
        fprintf(stderr, "usage: go_host-archive go-first\n");
        return 2;
    }
    hostile_case = argv[1];
    case_go_first();
#endif
    printf("ok %s\n", argv[1]);
    return 0;
}
