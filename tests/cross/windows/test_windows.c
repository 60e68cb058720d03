/* The Windows C suite: CPython's Windows surface of the signal module as
 * the C API gives it, against rssignal.dll (and librssignal.a), under Wine.
 *   - signal/getsignal for the 7 CRT signals, RS_SIGNAL_EVALUE for the others;
 *   - raise_signal and dispatch (the CRT resets a handler to SIG_DFL on each
 *     delivery: a second raise must still reach the callback);
 *   - set_wakeup_fd with a non-blocking socket waking select() on the main
 *     thread, and with a CRT fd;
 *   - Ctrl+C from GenerateConsoleCtrlEvent arriving as SIGINT on the console
 *     thread and dispatched on the main thread (Wine 8.0 does not implement
 *     CTRL_BREAK_EVENT, so SIGBREAK is tested through raise);
 *   - RS_SIGNAL_EUNSUPPORTED, naming the function and the platform, for the
 *     POSIX-only functions; bad input. */
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>

#include <errno.h>
#include <fcntl.h>
#include <io.h>
#include <signal.h>
#include <stdint.h>

#include "harness.h"

/* The 7 signals the CRT's signal() accepts (CPython's Windows list). */
static const int crt_sigs[] = {SIGABRT, SIGFPE, SIGILL, SIGINT, SIGSEGV, SIGTERM, SIGBREAK};
#define N_CRT (int)(sizeof crt_sigs / sizeof crt_sigs[0])

static int is_crt_sig(int s) {
    for (int i = 0; i < N_CRT; i++)
        if (crt_sigs[i] == s) return 1;
    return 0;
}

static volatile LONG calls[RS_NSIG > 64 ? RS_NSIG : 64];
static volatile DWORD callback_thread;
static DWORD main_thread;

static int count_cb(int signum, void *data) {
    (void)data;
    callback_thread = GetCurrentThreadId();
    if (signum > 0 && signum < 64) InterlockedIncrement(&calls[signum]);
    return 0;
}

static int raising_cb(int signum, void *data) {
    (void)signum;
    return *(int *)data;
}

static void install(int signum) {
    rs_signal_handler h = {RS_SIGNAL_HANDLER_CALLBACK, count_cb, (void *)&calls[signum]};
    CHECK_OK(rs_signal_signal(signum, &h, NULL));
}

static void init(void) {
    main_thread = GetCurrentThreadId();
    WSADATA wsa;
    CHECK_EQ(WSAStartup(MAKEWORD(2, 2), &wsa), 0);
}

/* A connected pair of loopback TCP sockets; the read end `r`, the write end
 * `w` non-blocking (as CPython's test_socket_wakeup does). */
static void socket_pair(SOCKET *r, SOCKET *w) {
    SOCKET l = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    CHECK(l != INVALID_SOCKET);
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = 0;
    CHECK_EQ(bind(l, (struct sockaddr *)&a, sizeof a), 0);
    CHECK_EQ(listen(l, 1), 0);
    int len = sizeof a;
    CHECK_EQ(getsockname(l, (struct sockaddr *)&a, &len), 0);
    *w = socket(AF_INET, SOCK_STREAM, IPPROTO_TCP);
    CHECK(*w != INVALID_SOCKET);
    CHECK_EQ(connect(*w, (struct sockaddr *)&a, sizeof a), 0);
    *r = accept(l, NULL, NULL);
    CHECK(*r != INVALID_SOCKET);
    closesocket(l);
    u_long on = 1;
    CHECK_EQ(ioctlsocket(*w, FIONBIO, &on), 0);
}

/* select() on the main thread for `s` readable within `ms`; returns the first
 * byte read, or -1 on timeout. */
static int wait_byte(SOCKET s, int ms) {
    fd_set rd;
    FD_ZERO(&rd);
    FD_SET(s, &rd);
    struct timeval tv = {ms / 1000, (ms % 1000) * 1000};
    int n = select(0, &rd, NULL, NULL, &tv);
    CHECK(n >= 0);
    if (n == 0) return -1;
    unsigned char b = 0;
    CHECK_EQ(recv(s, (char *)&b, 1, 0), 1);
    return b;
}

/* ---- constants -------------------------------------------------------------- */

TEST(Windows_constants_are_the_crt_values) {
#if defined(RS_SIGABRT) && defined(RS_SIGFPE) && defined(RS_SIGILL) && defined(RS_SIGINT) && \
    defined(RS_SIGSEGV) && defined(RS_SIGTERM) && defined(RS_SIGBREAK)
    CHECK_EQ(RS_SIGABRT, SIGABRT);
    CHECK_EQ(RS_SIGFPE, SIGFPE);
    CHECK_EQ(RS_SIGILL, SIGILL);
    CHECK_EQ(RS_SIGINT, SIGINT);
    CHECK_EQ(RS_SIGSEGV, SIGSEGV);
    CHECK_EQ(RS_SIGTERM, SIGTERM);
    CHECK_EQ(RS_SIGBREAK, SIGBREAK);
#else
    harness_fail(__FILE__, __LINE__, "rssignal.h lacks one of RS_SIGABRT RS_SIGFPE RS_SIGILL RS_SIGINT "
                                     "RS_SIGSEGV RS_SIGTERM RS_SIGBREAK");
#endif
    CHECK_EQ(RS_NSIG, NSIG);
#if defined(RS_CTRL_C_EVENT) && defined(RS_CTRL_BREAK_EVENT)
    CHECK_EQ(RS_CTRL_C_EVENT, CTRL_C_EVENT);
    CHECK_EQ(RS_CTRL_BREAK_EVENT, CTRL_BREAK_EVENT);
#else
    harness_fail(__FILE__, __LINE__, "rssignal.h lacks RS_CTRL_C_EVENT or RS_CTRL_BREAK_EVENT");
#endif
#if defined(RS_SIGKILL) || defined(RS_SIGUSR1) || defined(RS_SIGHUP) || defined(RS_SIGALRM) || \
    defined(RS_SIGCHLD) || defined(RS_SIGPIPE)
    harness_fail(__FILE__, __LINE__, "rssignal.h defines a POSIX-only signal on Windows");
#endif
    /* The run-time constant table agrees. */
    int v = 0;
    CHECK_OK(rs_signal_from_name("SIGBREAK", &v));
    CHECK_EQ(v, SIGBREAK);
    /* CTRL_C_EVENT / CTRL_BREAK_EVENT are module constants, not signals. */
    int seen_c = 0, seen_break = 0;
    for (size_t i = 0; i < rs_signal_constant_count(); i++) {
        const char *name = NULL;
        int value = -1;
        CHECK_OK(rs_signal_constant_at(i, &name, &value));
        if (strcmp(name, "CTRL_C_EVENT") == 0) seen_c = 1 + (value == CTRL_C_EVENT);
        if (strcmp(name, "CTRL_BREAK_EVENT") == 0) seen_break = 1 + (value == CTRL_BREAK_EVENT);
        CHECK(strcmp(name, "SIGUSR1") != 0 && strcmp(name, "SIG_BLOCK") != 0);
    }
    CHECK_EQ(seen_c, 2);
    CHECK_EQ(seen_break, 2);
    CHECK(rs_signal_from_name("SIGUSR1", &v) < 0);
    CHECK(rs_signal_name(SIGBREAK) != NULL && strcmp(rs_signal_name(SIGBREAK), "SIGBREAK") == 0);
    CHECK(rs_signal_name(SIGINT) != NULL && strcmp(rs_signal_name(SIGINT), "SIGINT") == 0);
}

TEST(Windows_valid_signals_are_the_seven) {
    rs_sigset s;
    memset(&s, 0xff, sizeof s);
    CHECK_OK(rs_signal_valid_signals(&s));
    CHECK_EQ(rs_sigset_count(&s), N_CRT);
    for (int i = 0; i < N_CRT; i++) CHECK_EQ(rs_sigset_contains(&s, crt_sigs[i]), 1);
    CHECK_EQ(rs_signal_sigrtmin() > 0 && rs_signal_sigrtmin() < RS_NSIG, 0); /* no real-time signals */
}

/* ---- signal / getsignal ------------------------------------------------------- */

TEST(Windows_signal_getsignal_roundtrip_for_the_seven) {
    init();
    for (int i = 0; i < N_CRT; i++) {
        int s = crt_sigs[i];
        rs_signal_handler h, old, now;
        CHECK_OK(rs_signal_getsignal(s, &now));
        CHECK_EQ(now.kind, RS_SIG_DFL);
        h.kind = RS_SIGNAL_HANDLER_CALLBACK;
        h.callback = count_cb;
        h.user_data = (void *)&calls[s];
        CHECK_OK(rs_signal_signal(s, &h, &old));
        CHECK_EQ(old.kind, RS_SIG_DFL);
        CHECK_OK(rs_signal_getsignal(s, &now));
        CHECK_EQ(now.kind, RS_SIGNAL_HANDLER_CALLBACK);
        CHECK(now.callback == count_cb);
        CHECK(now.user_data == (void *)&calls[s]);
        h.kind = RS_SIG_IGN;
        h.callback = NULL;
        h.user_data = NULL;
        CHECK_OK(rs_signal_signal(s, &h, &old));
        CHECK_EQ(old.kind, RS_SIGNAL_HANDLER_CALLBACK);
        CHECK(old.user_data == (void *)&calls[s]);
        CHECK_OK(rs_signal_getsignal(s, &now));
        CHECK_EQ(now.kind, RS_SIG_IGN);
        h.kind = RS_SIG_DFL;
        CHECK_OK(rs_signal_signal(s, &h, NULL));
        CHECK_OK(rs_signal_getsignal(s, &now));
        CHECK_EQ(now.kind, RS_SIG_DFL);
    }
}

TEST(Windows_signal_rejects_other_numbers) {
    init();
    rs_signal_handler h = {RS_SIGNAL_HANDLER_CALLBACK, count_cb, NULL}, out;
    /* CPython's test_issue9324: -1 and 7 → ValueError "invalid signal value". */
    const int others[] = {-1, 0, 1, 3, 5, 7, 9, 10, 12, 13, 14, 16, 17, 18, 19, 20, 23, 64, 1000};
    for (size_t i = 0; i < sizeof others / sizeof others[0]; i++) {
        int s = others[i];
        if (is_crt_sig(s)) continue;
        CHECK_FAILS(rs_signal_signal(s, &h, NULL), RS_SIGNAL_EVALUE, "invalid signal value");
    }
    /* getsignal: another number in range is FOREIGN (CPython's None); out of
     * range is RS_SIGNAL_EVALUE. */
    for (int s = 1; s < RS_NSIG; s++) {
        if (is_crt_sig(s)) continue;
        CHECK_OK(rs_signal_getsignal(s, &out));
        CHECK_EQ(out.kind, RS_SIGNAL_HANDLER_FOREIGN);
    }
    CHECK_FAILS(rs_signal_getsignal(0, &out), RS_SIGNAL_EVALUE, "signal number out of range");
    CHECK_FAILS(rs_signal_getsignal(RS_NSIG, &out), RS_SIGNAL_EVALUE, "signal number out of range");
    CHECK_FAILS(rs_signal_getsignal(-1, &out), RS_SIGNAL_EVALUE, "signal number out of range");
}

TEST(Windows_signal_bad_handlers) {
    init();
    rs_signal_handler h = {RS_SIGNAL_HANDLER_FOREIGN, NULL, NULL};
    CHECK_FAILS(rs_signal_signal(SIGINT, &h, NULL), RS_SIGNAL_ETYPE, "signal handler must be");
    h.kind = RS_SIGNAL_HANDLER_CALLBACK;
    CHECK_FAILS(rs_signal_signal(SIGINT, &h, NULL), RS_SIGNAL_ETYPE, "signal handler must be");
    h.kind = 42;
    CHECK_FAILS(rs_signal_signal(SIGINT, &h, NULL), RS_SIGNAL_ETYPE, "signal handler must be");
    CHECK_FAILS(rs_signal_signal(SIGINT, NULL, NULL), RS_SIGNAL_ETYPE, "must not be NULL");
    CHECK_FAILS(rs_signal_getsignal(SIGINT, NULL), RS_SIGNAL_ETYPE, "must not be NULL");
    rs_signal_handler now;
    CHECK_OK(rs_signal_getsignal(SIGINT, &now));
    CHECK_EQ(now.kind, RS_SIG_DFL); /* nothing changed */
}

/* A thread other than the main one may read but not change handlers. */
static DWORD WINAPI other_thread(LPVOID arg) {
    int *res = arg;
    rs_signal_handler h = {RS_SIGNAL_HANDLER_CALLBACK, count_cb, NULL}, out;
    res[0] = rs_signal_signal(SIGTERM, &h, NULL);
    res[1] = rs_signal_getsignal(SIGTERM, &out);
    res[2] = rs_signal_set_wakeup_fd(-1, 1, NULL);
    res[3] = rs_signal_is_main_thread();
    res[4] = rs_signal_check();
    rs_signal_error e;
    memset(&e, 0, sizeof e);
    rs_signal_last_error(&e);
    res[5] = e.message && strstr(e.message, "main thread") != NULL;
    return 0;
}

TEST(Windows_main_thread_rules) {
    init();
    CHECK_EQ(rs_signal_is_main_thread(), 1);
    int res[6] = {99, 99, 99, 99, 99, 99};
    HANDLE t = CreateThread(NULL, 0, other_thread, res, 0, NULL);
    CHECK(t != NULL);
    CHECK_EQ(WaitForSingleObject(t, 10000), WAIT_OBJECT_0);
    CloseHandle(t);
    CHECK_EQ(res[0], RS_SIGNAL_EVALUE);
    CHECK_EQ(res[1], RS_SIGNAL_OK);
    CHECK_EQ(res[2], RS_SIGNAL_EVALUE);
    CHECK_EQ(res[3], 0);
    CHECK_EQ(res[4], 0);
    CHECK_EQ(res[5], 1); /* "set_wakeup_fd only works in main thread" */
}

/* ---- raise_signal and dispatch -------------------------------------------------- */

TEST(Windows_raise_signal_dispatches_each_of_the_seven) {
    init();
    for (int i = 0; i < N_CRT; i++) {
        int s = crt_sigs[i];
        install(s);
        CHECK_OK(rs_signal_raise_signal(s));
        CHECK_EQ(calls[s], 1);
        CHECK(callback_thread == main_thread);
        /* The CRT reset the handler to SIG_DFL on delivery: the library put
         * its own back, so a second raise is still caught. */
        CHECK_OK(rs_signal_raise_signal(s));
        CHECK_EQ(calls[s], 2);
        rs_signal_handler now;
        CHECK_OK(rs_signal_getsignal(s, &now));
        CHECK_EQ(now.kind, RS_SIGNAL_HANDLER_CALLBACK);
    }
}

TEST(Windows_raise_sigbreak_through_raise) {
    init();
    install(SIGBREAK);
    CHECK_EQ(raise(SIGBREAK), 0); /* the CRT's raise: tripped, not yet dispatched */
    CHECK_EQ(calls[SIGBREAK], 0);
    CHECK_EQ(rs_signal_pending(), 1);
    CHECK_OK(rs_signal_check());
    CHECK_EQ(calls[SIGBREAK], 1);
    CHECK_EQ(rs_signal_pending(), 0);
}

TEST(Windows_raise_ignored_signal_and_bad_numbers) {
    init();
    rs_signal_handler h = {RS_SIG_IGN, NULL, NULL};
    CHECK_OK(rs_signal_signal(SIGTERM, &h, NULL));
    CHECK_OK(rs_signal_raise_signal(SIGTERM)); /* ignored: still alive */
    /* raise_signal has no range check of its own: the CRT refuses (EINVAL). */
    CHECK_FAILS(rs_signal_raise_signal(7), RS_SIGNAL_EOS, NULL);
    CHECK_EQ(harness_last_errno(), EINVAL);
    CHECK_FAILS(rs_signal_raise_signal(-1), RS_SIGNAL_EOS, NULL);
    CHECK_FAILS(rs_signal_raise_signal(1000), RS_SIGNAL_EOS, NULL);
}

TEST(Windows_raising_callback_returns_its_status) {
    init();
    static int value = -1042;
    rs_signal_handler h = {RS_SIGNAL_HANDLER_CALLBACK, raising_cb, &value};
    CHECK_OK(rs_signal_signal(SIGTERM, &h, NULL));
    CHECK_FAILS(rs_signal_raise_signal(SIGTERM), -1042, NULL);
    rs_signal_error e;
    memset(&e, 0, sizeof e);
    rs_signal_last_error(&e);
    CHECK_EQ(e.signum, SIGTERM);
    CHECK_EQ(e.handler_result, -1042);
}

TEST(Windows_set_interrupt_and_default_int_handler) {
    init();
    CHECK_OK(rs_signal_install_default_handlers());
    rs_signal_handler now;
    CHECK_OK(rs_signal_getsignal(SIGINT, &now));
    CHECK_EQ(now.kind, RS_SIGNAL_HANDLER_CALLBACK);
    /* Not compared by address: through rssignal.dll without dllimport, the
     * program's rs_signal_default_int_handler is its import thunk. */
    CHECK(now.callback != NULL);
    CHECK_EQ(now.callback(SIGINT, NULL), RS_SIGNAL_EKEYBOARDINTERRUPT);
    CHECK_EQ(rs_signal_set_interrupt(SIGINT), 0);
    CHECK_EQ(rs_signal_interrupt_occurred(), 1);
    CHECK_EQ(rs_signal_interrupt_occurred(), 0);
    CHECK_EQ(rs_signal_set_interrupt(SIGINT), 0);
    CHECK_FAILS(rs_signal_check(), RS_SIGNAL_EKEYBOARDINTERRUPT, NULL);
    CHECK_OK(rs_signal_finalize());
    CHECK_OK(rs_signal_getsignal(SIGINT, &now));
    CHECK_EQ(now.kind, RS_SIGNAL_HANDLER_FOREIGN); /* table cleared, as CPython's _PySignal_Fini */
}

TEST(Windows_strsignal) {
    init();
    const char *d = NULL;
    CHECK_OK(rs_signal_strsignal(SIGINT, &d));
    CHECK_STR_CONTAINS(d, "Interrupt");
    CHECK_OK(rs_signal_strsignal(SIGTERM, &d));
    CHECK_STR_CONTAINS(d, "Terminated");
    CHECK_OK(rs_signal_strsignal(SIGSEGV, &d));
    CHECK_STR_CONTAINS(d, "Segmentation fault");
    d = "sentinel";
    CHECK_OK(rs_signal_strsignal(5, &d));
    CHECK(d == NULL);
    CHECK_FAILS(rs_signal_strsignal(0, &d), RS_SIGNAL_EVALUE, "out of range");
    CHECK_FAILS(rs_signal_strsignal(RS_NSIG, &d), RS_SIGNAL_EVALUE, "out of range");
    CHECK_FAILS(rs_signal_strsignal(SIGINT, NULL), RS_SIGNAL_ETYPE, "must not be NULL");
}

/* ---- set_wakeup_fd --------------------------------------------------------------- */

TEST(Windows_wakeup_socket_wakes_select) {
    init();
    SOCKET r, w;
    socket_pair(&r, &w);
    int old = 12345;
    CHECK_OK(rs_signal_set_wakeup_fd((int)w, 1, &old));
    CHECK_EQ(old, -1);
    install(SIGTERM);
    CHECK_EQ(raise(SIGTERM), 0); /* tripped; the handler sent the byte */
    CHECK_EQ(wait_byte(r, 5000), SIGTERM);
    CHECK_EQ(calls[SIGTERM], 0);
    CHECK_OK(rs_signal_check());
    CHECK_EQ(calls[SIGTERM], 1);
    CHECK(callback_thread == main_thread);
    /* A signal whose entry is not a callback writes nothing. */
    rs_signal_handler ign = {RS_SIG_IGN, NULL, NULL};
    CHECK_OK(rs_signal_signal(SIGTERM, &ign, NULL));
    CHECK_EQ(raise(SIGTERM), 0);
    CHECK_EQ(wait_byte(r, 200), -1);
    /* -1 disables and gives the socket back. */
    CHECK_OK(rs_signal_set_wakeup_fd(-1, 1, &old));
    CHECK_EQ(old, (int)w);
    install(SIGINT);
    CHECK_EQ(raise(SIGINT), 0);
    CHECK_EQ(wait_byte(r, 200), -1);
    CHECK_OK(rs_signal_check());
    CHECK_EQ(calls[SIGINT], 1);
    closesocket(r);
    closesocket(w);
}

TEST(Windows_wakeup_crt_fd) {
    init();
    int fds[2];
    CHECK_EQ(_pipe(fds, 256, _O_BINARY), 0);
    CHECK_OK(rs_signal_set_wakeup_fd(fds[1], 1, NULL));
    install(SIGABRT);
    CHECK_OK(rs_signal_raise_signal(SIGABRT));
    CHECK_EQ(calls[SIGABRT], 1);
    unsigned char b = 0;
    CHECK_EQ(_read(fds[0], &b, 1), 1);
    CHECK_EQ(b, SIGABRT);
    int old = 0;
    CHECK_OK(rs_signal_set_wakeup_fd(-1, 1, &old));
    CHECK_EQ(old, fds[1]);
    _close(fds[0]);
    _close(fds[1]);
}

TEST(Windows_wakeup_bad_handle) {
    init();
    /* Neither an open socket nor a CRT fd. */
    CHECK_FAILS(rs_signal_set_wakeup_fd(0x7ffff0, 1, NULL), RS_SIGNAL_EOS, NULL);
    int old = 0;
    CHECK_OK(rs_signal_set_wakeup_fd(-1, 1, &old));
    CHECK_EQ(old, -1); /* the failed call changed nothing */
}

TEST(Windows_wakeup_send_error_is_reported_not_fatal) {
    init();
    SOCKET r, w;
    socket_pair(&r, &w);
    CHECK_OK(rs_signal_set_wakeup_fd((int)w, 1, NULL));
    closesocket(r);
    closesocket(w);
    install(SIGINT);
    CHECK_OK(rs_signal_raise_signal(SIGINT)); /* the failed send is reported, the callback runs */
    CHECK_EQ(calls[SIGINT], 1);
}

/* ---- Ctrl+C -------------------------------------------------------------------------- */

/* A console of our own (Wine: AllocConsole works without a display once the
 * inherited one is freed), so the event reaches this process only. */
static void own_console(void) {
    FreeConsole();
    CHECK(AllocConsole());
    CHECK(SetConsoleCtrlHandler(NULL, FALSE)); /* Ctrl+C processing on */
}

TEST(Windows_ctrl_c_arrives_as_sigint_dispatched_on_main_thread) {
    init();
    SOCKET r, w;
    socket_pair(&r, &w);
    CHECK_OK(rs_signal_set_wakeup_fd((int)w, 1, NULL));
    install(SIGINT);
    own_console();
    CHECK(GenerateConsoleCtrlEvent(CTRL_C_EVENT, 0));
    /* The console thread ran the handler; the main thread's select wakes. */
    CHECK_EQ(wait_byte(r, 10000), SIGINT);
    CHECK_EQ(calls[SIGINT], 0);
    CHECK_EQ(rs_signal_pending(), 1);
    CHECK_OK(rs_signal_check());
    CHECK_EQ(calls[SIGINT], 1);
    CHECK(callback_thread == main_thread);
    /* And again: the handler is re-installed after each delivery. */
    CHECK(GenerateConsoleCtrlEvent(CTRL_C_EVENT, 0));
    CHECK_EQ(wait_byte(r, 10000), SIGINT);
    CHECK_OK(rs_signal_check());
    CHECK_EQ(calls[SIGINT], 2);
    closesocket(r);
    closesocket(w);
}

TEST(Windows_ctrl_c_with_default_int_handler_is_keyboard_interrupt) {
    init();
    SOCKET r, w;
    socket_pair(&r, &w);
    CHECK_OK(rs_signal_set_wakeup_fd((int)w, 1, NULL));
    CHECK_OK(rs_signal_install_default_handlers());
    own_console();
    CHECK(GenerateConsoleCtrlEvent(CTRL_C_EVENT, 0));
    CHECK_EQ(wait_byte(r, 10000), SIGINT);
    CHECK_FAILS(rs_signal_check(), RS_SIGNAL_EKEYBOARDINTERRUPT, NULL);
    closesocket(r);
    closesocket(w);
}

/* ---- what Windows lacks ------------------------------------------------------------------ */

#define UNSUPPORTED(call, fname)                                                    \
    do {                                                                            \
        CHECK_FAILS(call, RS_SIGNAL_EUNSUPPORTED, fname);                           \
        CHECK_STR_CONTAINS(harness_last_message(), "Windows");                      \
    } while (0)

TEST(Windows_posix_functions_are_unsupported) {
    init();
    rs_sigset set, old;
    rs_sigset_empty(&set);
    rs_sigset_add(&set, SIGINT);
    rs_signal_itimer_value iv;
    rs_signal_siginfo info;
    int signum = 0;
    UNSUPPORTED(rs_signal_pause(), "pause");
    UNSUPPORTED(rs_signal_pthread_kill(rs_signal_thread_id(), SIGINT), "pthread_kill");
    UNSUPPORTED(rs_signal_pthread_sigmask(0 /* no SIG_BLOCK here */, &set, &old), "pthread_sigmask");
    UNSUPPORTED(rs_signal_setitimer(0 /* no ITIMER_REAL here */, 1.0, 0.0, &iv), "setitimer");
    UNSUPPORTED(rs_signal_getitimer(0, &iv), "getitimer");
    UNSUPPORTED(rs_signal_siginterrupt(SIGINT, 1), "siginterrupt");
    UNSUPPORTED(rs_signal_sigpending(&set), "sigpending");
    UNSUPPORTED(rs_signal_sigwait(&set, &signum), "sigwait");
    UNSUPPORTED(rs_signal_sigwaitinfo(&set, &info), "sigwaitinfo");
    UNSUPPORTED(rs_signal_sigtimedwait(&set, 1.0, &info), "sigtimedwait");
    UNSUPPORTED(rs_signal_pidfd_send_signal(3, SIGINT, NULL, 0), "pidfd_send_signal");
    /* alarm returns the seconds left, so its answer is 0 and the last error. */
    CHECK_EQ(rs_signal_alarm(10), 0u);
    CHECK_EQ(harness_last_status(), RS_SIGNAL_EUNSUPPORTED);
    CHECK_STR_CONTAINS(harness_last_message(), "alarm");
}

/* ---- bad input --------------------------------------------------------------------------- */

TEST(Windows_bad_input) {
    init();
    CHECK_FAILS(rs_signal_valid_signals(NULL), RS_SIGNAL_ETYPE, "must not be NULL");
    CHECK_FAILS(rs_signal_from_name(NULL, NULL), RS_SIGNAL_ETYPE, "must not be NULL");
    CHECK(rs_signal_name(0) == NULL);
    CHECK(rs_signal_name(RS_NSIG) == NULL);
    CHECK(rs_signal_name(-5) == NULL);
    CHECK_EQ(rs_signal_set_interrupt(0), RS_SIGNAL_EVALUE);
    CHECK_EQ(rs_signal_set_interrupt(RS_NSIG), RS_SIGNAL_EVALUE);
    rs_sigset s;
    rs_sigset_empty(&s);
    CHECK_FAILS(rs_sigset_add(&s, 0), RS_SIGNAL_EVALUE, "out of range");
    CHECK_FAILS(rs_sigset_add(&s, RS_NSIG), RS_SIGNAL_EVALUE, "out of range");
    CHECK(strcmp(rs_signal_status_name(RS_SIGNAL_EUNSUPPORTED), "RS_SIGNAL_EUNSUPPORTED") == 0);
    CHECK(rs_signal_version() != NULL && strcmp(rs_signal_version(), RSSIGNAL_VERSION_STRING) == 0);
}
