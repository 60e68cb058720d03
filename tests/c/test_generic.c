/* CPython test_signal.py: GenericTests and PosixTests,
 * ported to the C API. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"
#include "util.h"

/* ---- GenericTests ---------------------------------------------------------- */

struct named { const char *name; int value; };

/* CPython's signal_add_constants list (Modules/signalmodule.c), as far as
 * <signal.h> has it. */
static int os_signal_constants(struct named *out) {
    int n = 0;
#define ADD(s) out[n].name = #s, out[n].value = s, n++
#ifdef SIGHUP
    ADD(SIGHUP);
#endif
#ifdef SIGINT
    ADD(SIGINT);
#endif
#ifdef SIGBREAK
    ADD(SIGBREAK);
#endif
#ifdef SIGQUIT
    ADD(SIGQUIT);
#endif
#ifdef SIGILL
    ADD(SIGILL);
#endif
#ifdef SIGTRAP
    ADD(SIGTRAP);
#endif
#ifdef SIGIOT
    ADD(SIGIOT);
#endif
#ifdef SIGABRT
    ADD(SIGABRT);
#endif
#ifdef SIGEMT
    ADD(SIGEMT);
#endif
#ifdef SIGFPE
    ADD(SIGFPE);
#endif
#ifdef SIGKILL
    ADD(SIGKILL);
#endif
#ifdef SIGBUS
    ADD(SIGBUS);
#endif
#ifdef SIGSEGV
    ADD(SIGSEGV);
#endif
#ifdef SIGSYS
    ADD(SIGSYS);
#endif
#ifdef SIGPIPE
    ADD(SIGPIPE);
#endif
#ifdef SIGALRM
    ADD(SIGALRM);
#endif
#ifdef SIGTERM
    ADD(SIGTERM);
#endif
#ifdef SIGUSR1
    ADD(SIGUSR1);
#endif
#ifdef SIGUSR2
    ADD(SIGUSR2);
#endif
#ifdef SIGCLD
    ADD(SIGCLD);
#endif
#ifdef SIGCHLD
    ADD(SIGCHLD);
#endif
#ifdef SIGPWR
    ADD(SIGPWR);
#endif
#ifdef SIGIO
    ADD(SIGIO);
#endif
#ifdef SIGURG
    ADD(SIGURG);
#endif
#ifdef SIGWINCH
    ADD(SIGWINCH);
#endif
#ifdef SIGPOLL
    ADD(SIGPOLL);
#endif
#ifdef SIGSTOP
    ADD(SIGSTOP);
#endif
#ifdef SIGTSTP
    ADD(SIGTSTP);
#endif
#ifdef SIGCONT
    ADD(SIGCONT);
#endif
#ifdef SIGTTIN
    ADD(SIGTTIN);
#endif
#ifdef SIGTTOU
    ADD(SIGTTOU);
#endif
#ifdef SIGVTALRM
    ADD(SIGVTALRM);
#endif
#ifdef SIGPROF
    ADD(SIGPROF);
#endif
#ifdef SIGXCPU
    ADD(SIGXCPU);
#endif
#ifdef SIGXFSZ
    ADD(SIGXFSZ);
#endif
#ifdef SIGRTMIN
    ADD(SIGRTMIN);
#endif
#ifdef SIGRTMAX
    ADD(SIGRTMAX);
#endif
#ifdef SIGINFO
    ADD(SIGINFO);
#endif
#ifdef SIGSTKFLT
    ADD(SIGSTKFLT);
#endif
#undef ADD
    return n;
}

static int table_lookup(const char *name, int *value) {
    size_t count = rs_signal_constant_count();
    int found = 0;
    for (size_t i = 0; i < count; i++) {
        const char *n = NULL;
        int v = -12345;
        CHECK_OK(rs_signal_constant_at(i, &n, &v));
        CHECK(n != NULL);
        if (strcmp(n, name) == 0) {
            found++;
            *value = v;
        }
    }
    return found;
}

static int is_signal_name(const char *name) {
    return strncmp(name, "SIG", 3) == 0 && strncmp(name, "SIG_", 4) != 0;
}

TEST(GenericTests_test_enums) {
    struct named os[64];
    int n_os = os_signal_constants(os);
    size_t count = rs_signal_constant_count();
    CHECK(count > (size_t)n_os);

    /* Handlers, Sigmasks, NSIG and itimers with the OS values. */
    static const struct named others[] = {
        {"SIG_DFL", 0},          {"SIG_IGN", 1},
        {"SIG_BLOCK", SIG_BLOCK}, {"SIG_UNBLOCK", SIG_UNBLOCK},
        {"SIG_SETMASK", SIG_SETMASK}, {"NSIG", NSIG},
        {"ITIMER_REAL", ITIMER_REAL}, {"ITIMER_VIRTUAL", ITIMER_VIRTUAL},
        {"ITIMER_PROF", ITIMER_PROF},
    };
    for (size_t i = 0; i < sizeof others / sizeof others[0]; i++) {
        int v = -1;
        if (table_lookup(others[i].name, &v) != 1)
            harness_fail(__FILE__, __LINE__, "constant %s listed %d times", others[i].name,
                         table_lookup(others[i].name, &v));
        CHECK_EQ(v, others[i].value);
    }
    CHECK_EQ(RS_SIG_DFL, (long)(intptr_t)SIG_DFL);
    CHECK_EQ(RS_SIG_IGN, (long)(intptr_t)SIG_IGN);
    CHECK_EQ(RS_SIG_BLOCK, SIG_BLOCK);
    CHECK_EQ(RS_SIG_UNBLOCK, SIG_UNBLOCK);
    CHECK_EQ(RS_SIG_SETMASK, SIG_SETMASK);
    CHECK_EQ(RS_NSIG, NSIG);
    CHECK_EQ(RS_ITIMER_REAL, ITIMER_REAL);
    CHECK_EQ(RS_ITIMER_VIRTUAL, ITIMER_VIRTUAL);
    CHECK_EQ(RS_ITIMER_PROF, ITIMER_PROF);

    /* Every signal name the platform defines is there once, with its value. */
    for (int i = 0; i < n_os; i++) {
        int v = -1;
        int found = table_lookup(os[i].name, &v);
        if (found != 1)
            harness_fail(__FILE__, __LINE__, "%s listed %d times in the constant table", os[i].name,
                         found);
        if (v != os[i].value)
            harness_fail(__FILE__, __LINE__, "%s = %d in the table, %d in <signal.h>", os[i].name, v,
                         os[i].value);
        int from = -1;
        CHECK_OK(rs_signal_from_name(os[i].name, &from));
        CHECK_EQ(from, os[i].value);
    }
#ifdef SIGRTMIN
    CHECK_EQ(rs_signal_sigrtmin(), SIGRTMIN);
    CHECK_EQ(rs_signal_sigrtmax(), SIGRTMAX);
#endif
    CHECK_EQ(RS_SIGINT, SIGINT);
    CHECK_EQ(RS_SIGIOT, SIGABRT);
#ifdef SIGCLD
    CHECK_EQ(RS_SIGCLD, SIGCHLD);
#endif
#ifdef SIGPOLL
    CHECK_EQ(RS_SIGPOLL, SIGIO);
#endif
#ifdef SIGSTKFLT
    CHECK_EQ(RS_SIGSTKFLT, SIGSTKFLT);
#endif

    /* No name the platform lacks (SIGEMT, SIGINFO, SIGBREAK on Linux) and no
     * duplicates; every signal constant is a valid number. */
    for (size_t i = 0; i < count; i++) {
        const char *name = NULL;
        int v = 0;
        CHECK_OK(rs_signal_constant_at(i, &name, &v));
        for (size_t j = 0; j < i; j++) {
            const char *other = NULL;
            CHECK_OK(rs_signal_constant_at(j, &other, NULL));
            if (strcmp(other, name) == 0)
                harness_fail(__FILE__, __LINE__, "duplicate constant %s", name);
        }
        if (!is_signal_name(name)) continue;
        int known = 0;
        for (int k = 0; k < n_os; k++)
            if (strcmp(os[k].name, name) == 0) known = 1;
        if (!known) harness_fail(__FILE__, __LINE__, "constant %s is not in <signal.h>", name);
        CHECK(v >= 1 && v < NSIG);

        /* Canonical member name: the smallest (value, name) among the aliases. */
        const char *canonical = name;
        for (int k = 0; k < n_os; k++)
            if (os[k].value == v && strcmp(os[k].name, canonical) < 0) canonical = os[k].name;
        const char *got = rs_signal_name(v);
        if (got == NULL || strcmp(got, canonical) != 0)
            harness_fail(__FILE__, __LINE__, "rs_signal_name(%d) = %s, expected %s", v,
                         got ? got : "NULL", canonical);
    }
    CHECK(rs_signal_constant_at(count, NULL, NULL) < 0);
    CHECK_EQ(harness_last_status(), RS_SIGNAL_EVALUE);

    /* Alias resolution as Signals has it. */
    CHECK_STR_CONTAINS(rs_signal_name(6), "SIGABRT");
    CHECK(strcmp(rs_signal_name(6), "SIGABRT") == 0);
    CHECK(strcmp(rs_signal_name(17), "SIGCHLD") == 0);
    CHECK(strcmp(rs_signal_name(29), "SIGIO") == 0);
#ifdef SIGRTMIN
    CHECK(strcmp(rs_signal_name(SIGRTMIN), "SIGRTMIN") == 0);
    CHECK(strcmp(rs_signal_name(SIGRTMAX), "SIGRTMAX") == 0);
    const char *rt1 = rs_signal_name(SIGRTMIN + 1);
    CHECK(rt1 != NULL && strcmp(rt1, "SIGRTMIN+1") == 0);
#endif
    /* Not members: 0, the glibc-reserved 32 and 33, NSIG and beyond. */
    CHECK(rs_signal_name(0) == NULL);
    CHECK(rs_signal_name(-1) == NULL);
    CHECK(rs_signal_name(32) == NULL);
    CHECK(rs_signal_name(33) == NULL);
    CHECK(rs_signal_name(NSIG) == NULL);
    int s = 0;
    CHECK_OK(rs_signal_from_name("SIGIOT", &s));
    CHECK_EQ(s, SIGABRT);
#ifdef SIGCLD
    CHECK_OK(rs_signal_from_name("SIGCLD", &s));
    CHECK_EQ(s, SIGCHLD);
#else
    /* No alias the platform lacks (musl has no SIGCLD). */
    CHECK_EQ(rs_signal_from_name("SIGCLD", &s), RS_SIGNAL_EVALUE);
#endif
    CHECK_OK(rs_signal_from_name("SIGPOLL", &s));
    CHECK_EQ(s, SIGIO);
#ifdef SIGRTMIN
    CHECK_OK(rs_signal_from_name("SIGRTMIN+3", &s));
    CHECK_EQ(s, SIGRTMIN + 3);
    CHECK_OK(rs_signal_from_name("SIGRTMAX-1", &s));
    CHECK_EQ(s, SIGRTMAX - 1);
#endif
    CHECK_FAILS(rs_signal_from_name("SIGNOTHING", &s), RS_SIGNAL_EVALUE, NULL);
    CHECK_FAILS(rs_signal_from_name("SIG_DFL", &s), RS_SIGNAL_EVALUE, NULL);
}

/* Every function of the C API (the rs_signal_* and rs_sigset_* functions of
 * include/rssignal.h). */
static const char *const api_functions[] = {
    "rs_signal_version", "rs_signal_last_error", "rs_signal_status_name",
    "rs_signal_status_exception", "rs_signal_check", "rs_signal_pending",
    "rs_signal_set_interrupt", "rs_signal_interrupt_occurred",
    "rs_signal_install_default_handlers", "rs_signal_finalize", "rs_signal_set_main_thread",
    "rs_signal_is_main_thread", "rs_signal_thread_id", "rs_signal_set_unraisable_hook",
    "rs_signal_default_int_handler", "rs_signal_signal", "rs_signal_getsignal",
    "rs_signal_strsignal", "rs_signal_valid_signals", "rs_signal_raise_signal",
    "rs_signal_alarm", "rs_signal_pause", "rs_signal_pidfd_send_signal",
    "rs_signal_pthread_kill", "rs_signal_pthread_sigmask", "rs_signal_setitimer",
    "rs_signal_getitimer", "rs_signal_set_wakeup_fd", "rs_signal_siginterrupt",
    "rs_signal_sigpending", "rs_signal_sigwait", "rs_signal_sigwaitinfo",
    "rs_signal_sigtimedwait", "rs_signal_sigrtmin", "rs_signal_sigrtmax", "rs_signal_name",
    "rs_signal_from_name", "rs_signal_constant_count", "rs_signal_constant_at",
    "rs_sigset_empty", "rs_sigset_add", "rs_sigset_del", "rs_sigset_contains",
    "rs_sigset_count", "rs_sigset_next", "rs_sigset_from_array",
};

/* Path of the shared library: $RSSIGNAL_LIBDIR/librssignal.so, else the copy
 * mapped into this process (suite-shared), else (suite-static maps none) the
 * one in the directory the suite was linked from (RSSIGNAL_LINK_LIBDIR, set by
 * the Makefile). */
#ifndef RSSIGNAL_LINK_LIBDIR
#define RSSIGNAL_LINK_LIBDIR "build/lib"
#endif
static int find_shared_library(char *path, size_t size) {
    const char *dir = getenv("RSSIGNAL_LIBDIR");
    if (dir && *dir) {
        snprintf(path, size, "%s/librssignal.so", dir);
        if (access(path, R_OK) == 0) return 1;
    }
    FILE *maps = fopen("/proc/self/maps", "r");
    if (maps) {
        char line[4096];
        int found = 0;
        while (!found && fgets(line, sizeof line, maps)) {
            char *p = strchr(line, '/');
            if (!p || !strstr(p, "/librssignal.so")) continue;
            p[strcspn(p, "\n")] = 0;
            snprintf(path, size, "%s", p);
            found = 1;
        }
        fclose(maps);
        if (found) return 1;
    }
    snprintf(path, size, "%s/librssignal.so", RSSIGNAL_LINK_LIBDIR);
    return access(path, R_OK) == 0;
}

TEST(GenericTests_test_functions_module_attr) {
    char path[4096], cmd[4200];
    if (!find_shared_library(path, sizeof path))
        SKIP("SKIP LOUDLY: no librssignal.so to inspect (static build and RSSIGNAL_LIBDIR "
             "unset): exported-symbol prefix check not run");
    if (system("nm --version >/dev/null 2>&1") != 0)
        SKIP("SKIP LOUDLY: nm (binutils) not available: exported-symbol prefix check not run");
    /* LD_PRELOAD emptied: an interposer preloaded into this test is not nm's. */
    snprintf(cmd, sizeof cmd, "LD_PRELOAD= nm -D --defined-only '%s' 2>&1", path);
    FILE *p = popen(cmd, "r");
    CHECK(p != NULL);
    char line[1024];
    int symbols = 0;
    int seen[sizeof api_functions / sizeof api_functions[0]] = {0};
    while (fgets(line, sizeof line, p)) {
        line[strcspn(line, "\n")] = 0;
        /* "<address> <type> <name>[@@version]" */
        char *name = strrchr(line, ' ');
        CHECK(name != NULL);
        name++;
        name[strcspn(name, "@")] = 0;
        symbols++;
        if (strncmp(name, "rs_signal_", 10) != 0 && strncmp(name, "rs_sigset_", 10) != 0)
            harness_fail(__FILE__, __LINE__, "%s exports %s (line \"%s\")", path, name, line);
        for (size_t i = 0; i < sizeof api_functions / sizeof api_functions[0]; i++)
            if (strcmp(name, api_functions[i]) == 0) seen[i] = 1;
    }
    CHECK_EQ(pclose(p), 0);
    CHECK(symbols > 0);
    for (size_t i = 0; i < sizeof api_functions / sizeof api_functions[0]; i++)
        if (!seen[i]) harness_fail(__FILE__, __LINE__, "%s does not export %s", path, api_functions[i]);
}

/* ---- PosixTests ------------------------------------------------------------ */

static int calls;
static int count_cb(int signum, void *data) {
    (void)signum;
    (void)data;
    calls++;
    return 0;
}
static int other_cb(int signum, void *data) {
    (void)signum;
    (void)data;
    return 0;
}

TEST(PosixTests_test_out_of_range_signal_number_raises_error) {
    static const int bad[] = {4242, 0, -1, NSIG, NSIG + 1, 1 << 30};
    rs_signal_handler h = {RS_SIGNAL_HANDLER_CALLBACK, count_cb, NULL}, out;
    const char *desc = NULL;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int s = bad[i];
        CHECK_FAILS(rs_signal_getsignal(s, &out), RS_SIGNAL_EVALUE, "signal number out of range");
        CHECK_FAILS(rs_signal_signal(s, &h, &out), RS_SIGNAL_EVALUE, "signal number out of range");
        CHECK_FAILS(rs_signal_strsignal(s, &desc), RS_SIGNAL_EVALUE, "signal number out of range");
        CHECK_FAILS(rs_signal_siginterrupt(s, 1), RS_SIGNAL_EVALUE, "signal number out of range");
        CHECK(strcmp(harness_last_message(), "signal number out of range") == 0);
    }
    /* Nothing was installed anywhere. */
    for (int s = 1; s < NSIG; s++) {
        if (os_reserved(s)) continue;
        CHECK(!os_is_handler(s));
    }
    CHECK_EQ(calls, 0);
}

TEST(PosixTests_test_setting_signal_handler_to_none_raises_error) {
    /* A pending SIGUSR2 callback must not be dispatched: the handler type is
     * checked before pending callbacks run (CPython's signal(): the handler is classified, then pending callbacks run
     * with the old table). */
    rs_signal_handler pending = {RS_SIGNAL_HANDLER_CALLBACK, count_cb, NULL};
    CHECK_OK(rs_signal_signal(SIGUSR2, &pending, NULL));
    CHECK_OK(rs_signal_set_interrupt(SIGUSR2));
    CHECK_EQ(rs_signal_pending(), 1);

    const char *msg = "signal handler must be RS_SIG_IGN, RS_SIG_DFL, or a callback";
    rs_signal_handler bad[] = {
        {RS_SIGNAL_HANDLER_FOREIGN, NULL, NULL},     /* Python's None */
        {RS_SIGNAL_HANDLER_FOREIGN, other_cb, NULL},
        {RS_SIGNAL_HANDLER_CALLBACK, NULL, NULL},    /* callback kind, no function */
        {5, other_cb, NULL},                         /* an int other than DFL/IGN */
        {-1, NULL, NULL},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        rs_signal_handler old = {99, NULL, NULL};
        CHECK_FAILS(rs_signal_signal(SIGUSR1, &bad[i], &old), RS_SIGNAL_ETYPE, msg);
        rs_signal_handler now;
        CHECK_OK(rs_signal_getsignal(SIGUSR1, &now));
        CHECK_EQ(now.kind, RS_SIG_DFL);
        CHECK(os_is(SIGUSR1, SIG_DFL));
    }
    CHECK_FAILS(rs_signal_signal(SIGUSR1, NULL, NULL), RS_SIGNAL_ETYPE, "must not be NULL");
    CHECK(os_is(SIGUSR1, SIG_DFL));
    CHECK_EQ(calls, 0);
    CHECK_EQ(rs_signal_pending(), 1);
    CHECK_OK(rs_signal_check());
    CHECK_EQ(calls, 1);
}

TEST(PosixTests_test_getsignal) {
    int data;
    rs_signal_handler h = {RS_SIGNAL_HANDLER_CALLBACK, count_cb, &data}, hup, now;
    memset(&hup, 0x5a, sizeof hup);
    CHECK_OK(rs_signal_signal(SIGHUP, &h, &hup));
    CHECK(hup.kind == RS_SIG_DFL || hup.kind == RS_SIG_IGN);
    CHECK_OK(rs_signal_getsignal(SIGHUP, &now));
    CHECK_EQ(now.kind, RS_SIGNAL_HANDLER_CALLBACK);
    CHECK(now.callback == count_cb);
    CHECK(now.user_data == &data);
    CHECK(os_is_handler(SIGHUP));
    rs_signal_handler back;
    CHECK_OK(rs_signal_signal(SIGHUP, &hup, &back));
    CHECK_EQ(back.kind, RS_SIGNAL_HANDLER_CALLBACK);
    CHECK(back.callback == count_cb);
    CHECK(back.user_data == &data);
    CHECK_OK(rs_signal_getsignal(SIGHUP, &now));
    CHECK_EQ(now.kind, hup.kind);
    CHECK(os_is(SIGHUP, hup.kind == RS_SIG_DFL ? SIG_DFL : SIG_IGN));
    CHECK_EQ(calls, 0);
}

/* gh-112559 analogue: setting and getting a handler never calls it and
 * never touches its user_data (here an inaccessible page). */
TEST(PosixTests_test_no_repr_is_called_on_signal_handler) {
    long page = sysconf(_SC_PAGESIZE);
    void *guard = mmap(NULL, (size_t)page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECK(guard != MAP_FAILED);
    rs_signal_handler h = {RS_SIGNAL_HANDLER_CALLBACK, count_cb, guard}, old, now;
    CHECK_OK(rs_signal_signal(SIGUSR1, &h, &old));
    CHECK_OK(rs_signal_getsignal(SIGUSR1, &now));
    CHECK(now.callback == count_cb && now.user_data == guard);
    CHECK_OK(rs_signal_signal(SIGUSR1, &old, &now));
    CHECK(now.callback == count_cb && now.user_data == guard);
    CHECK_OK(rs_signal_signal(SIGUSR1, &h, NULL));
    CHECK_OK(rs_signal_getsignal(SIGUSR1, &now));
    CHECK_EQ(calls, 0);
    munmap(guard, (size_t)page);
}

TEST(PosixTests_test_strsignal) {
    const char *d = NULL;
    CHECK_OK(rs_signal_strsignal(SIGINT, &d));
    CHECK_STR_CONTAINS(d, "Interrupt");
    CHECK_OK(rs_signal_strsignal(SIGTERM, &d));
    CHECK_STR_CONTAINS(d, "Terminated");
    CHECK_OK(rs_signal_strsignal(SIGHUP, &d));
    CHECK_STR_CONTAINS(d, "Hangup");
#ifdef __GLIBC__
    /* glibc: 32 and 33 have no description; 34 is the first real-time one. */
    d = "sentinel";
    CHECK_OK(rs_signal_strsignal(32, &d));
    CHECK(d == NULL);
    d = "sentinel";
    CHECK_OK(rs_signal_strsignal(33, &d));
    CHECK(d == NULL);
    CHECK_OK(rs_signal_strsignal(34, &d));
    CHECK(d != NULL && strcmp(d, "Real-time signal 0") == 0);
    CHECK_OK(rs_signal_strsignal(64, &d));
    CHECK(d != NULL && strcmp(d, "Real-time signal 30") == 0);
#elif defined(__linux__)
    /* musl names every number up to 64 ("RT32" .. "RT64"). */
    CHECK_OK(rs_signal_strsignal(32, &d));
    CHECK(d != NULL && strcmp(d, "RT32") == 0);
    CHECK_OK(rs_signal_strsignal(64, &d));
    CHECK(d != NULL && strcmp(d, "RT64") == 0);
#endif
}

TEST(PosixTests_test_valid_signals) {
    rs_sigset s;
    memset(&s, 0xff, sizeof s);
    CHECK_OK(rs_signal_valid_signals(&s));
    CHECK_EQ(rs_sigset_contains(&s, SIGINT), 1);
    CHECK_EQ(rs_sigset_contains(&s, SIGALRM), 1);
    CHECK_EQ(s.bits[0] & 1u, 0);                            /* 0 is not a signal */
    CHECK_EQ((s.bits[NSIG / 64] >> (NSIG % 64)) & 1u, 0);   /* nor is NSIG */
    CHECK(rs_sigset_count(&s) < NSIG);
    /* Every number 1..64 except those the C library reserves (glibc: 32
     * and 33; musl: 32, 33, 34). */
    int reserved = 0;
    for (int r = 1; r < NSIG; r++) {
        if (os_reserved(r)) {
            reserved++;
            CHECK_EQ(rs_sigset_contains(&s, r), 0);
        }
    }
    CHECK_EQ(rs_sigset_count(&s), NSIG - 1 - reserved);
    CHECK_EQ(rs_sigset_contains(&s, SIGKILL), 1);
#ifdef SIGRTMAX
    CHECK_EQ(rs_sigset_contains(&s, SIGRTMAX), 1);
#endif
    /* gh-91145: every exported constant but SIG_DFL/SIG_IGN is in [0, NSIG-1]. */
    size_t count = rs_signal_constant_count();
    for (size_t i = 0; i < count; i++) {
        const char *name;
        int v;
        CHECK_OK(rs_signal_constant_at(i, &name, &v));
        if (!is_signal_name(name)) continue;
        if (v < 0 || v >= NSIG) harness_fail(__FILE__, __LINE__, "%s = %d", name, v);
        CHECK_EQ(rs_sigset_contains(&s, v), 1);
    }
}

/* Adapted: the library has no exit helper, so the grandchild does what
 * CPython's exit_sigint (Modules/main.c) does by hand: SIGINT back to SIG_DFL, then
 * kill(getpid(), SIGINT). Before that, the KeyboardInterrupt must surface at a
 * dispatch point (the analogue of "KeyboardInterrupt" on stderr). */
TEST(PosixTests_test_keyboard_interrupt_exit_code) {
    int p[2];
    CHECK(pipe(p) == 0);
    fflush(NULL);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        close(p[0]);
        os_set(SIGINT, SIG_DFL); /* as if started from a shell that left SIGINT alone */
        unsigned char step = 1;
        if (rs_signal_install_default_handlers() != 0) _exit(10);
        if (kill(getpid(), SIGINT) != 0) _exit(11);
        int r = rs_signal_check();
        step = r == RS_SIGNAL_EKEYBOARDINTERRUPT ? 2 : 3;
        if (write(p[1], &step, 1) != 1) _exit(12);
        rs_signal_handler dfl = {RS_SIG_DFL, NULL, NULL};
        if (rs_signal_signal(SIGINT, &dfl, NULL) != 0) _exit(13);
        kill(getpid(), SIGINT);
        _exit(SIGINT + 128); /* CPython's fallback */
    }
    close(p[1]);
    int status = 0;
    CHECK(wait_child(pid, &status, 10));
    unsigned char step = 0;
    CHECK_EQ(read(p[0], &step, 1), 1);
    CHECK_EQ(step, 2); /* KeyboardInterrupt came out of the dispatch */
    if (!WIFSIGNALED(status))
        harness_fail(__FILE__, __LINE__, "grandchild exited with status %d, not by SIGINT",
                     WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    CHECK_EQ(WTERMSIG(status), SIGINT);
}
