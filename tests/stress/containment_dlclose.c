/* Containment: unloading the library. dlopen() librssignal.so, install
 * callbacks, rs_signal_finalize(), dlclose(), then raise the signals: nothing
 * may crash, because finalize put every signal the library handled back to
 * SIG_DFL. Each scenario runs in a forked child so that a crash is reported
 * as a failure rather than ending the test.
 *
 *   containment_dlclose PATH/TO/librssignal.so
 *
 * Scenario "finalize": the real test (details at each step below).
 * Scenario "control": the same without rs_signal_finalize(). It proves the
 * test can fail: the handler is then left installed, pointing into the
 * library, so the SIG_DFL checks of the real scenario would catch a finalize
 * that does nothing; and when the library really got unmapped, raising the
 * signal kills the process. The control passes when the handler was left
 * installed (its raise is run in a grandchild and only reported). */
#include <dlfcn.h>
#include <sched.h>
#include <pthread.h>

#include "common.h"

static const char *lib_path;

struct api {
    void *h;
    int (*signal)(int, const rs_signal_handler *, rs_signal_handler *);
    int (*raise_signal)(int);
    int (*finalize)(void);
    int (*set_wakeup_fd)(int, int, int *);
    int (*check)(void);
    int (*last_error)(rs_signal_error *);
    int (*getsignal)(int, rs_signal_handler *);
    int (*restore)(int);
    int (*get_stats)(int, rs_signal_stats *);
};

static int load(struct api *a) {
    memset(a, 0, sizeof *a);
    a->h = dlopen(lib_path, RTLD_NOW | RTLD_LOCAL);
    if (!a->h) {
        fprintf(stderr, "dlopen %s: %s\n", lib_path, dlerror());
        return 0;
    }
#define SYM(field, name)                                                                    \
    do {                                                                                    \
        *(void **)&a->field = dlsym(a->h, name);                                            \
        if (!a->field) {                                                                    \
            fprintf(stderr, "dlsym %s: %s\n", name, dlerror());                             \
            return 0;                                                                       \
        }                                                                                   \
    } while (0)
    SYM(signal, "rs_signal_signal");
    SYM(raise_signal, "rs_signal_raise_signal");
    SYM(finalize, "rs_signal_finalize");
    SYM(set_wakeup_fd, "rs_signal_set_wakeup_fd");
    SYM(check, "rs_signal_check");
    SYM(last_error, "rs_signal_last_error");
    SYM(getsignal, "rs_signal_getsignal");
    SYM(restore, "rs_signal_restore");
    SYM(get_stats, "rs_signal_get_stats");
#undef SYM
    return 1;
}

static int calls[NSIG];
static int cb(int signum, void *data) {
    (void)data;
    calls[signum]++;
    return 0;
}

static int is_dfl(int s) {
    struct sigaction sa;
    sigaction(s, NULL, &sa);
    return !(sa.sa_flags & SA_SIGINFO) && sa.sa_handler == SIG_DFL;
}

static int still_mapped(void) {
    void *again = dlopen(lib_path, RTLD_NOW | RTLD_NOLOAD);
    if (again) dlclose(again);
    return again != NULL;
}

/* A thread that used the library (its thread-local last error is set) and
 * ends only after dlclose(): its TLS destructors must not run unmapped code. */
static int thread_go[2];
static struct api *thread_api;
static void *user_thread(void *p) {
    (void)p;
    rs_signal_handler h = {RS_SIGNAL_HANDLER_CALLBACK, cb, NULL};
    thread_api->signal(SIGUSR2, &h, NULL); /* fails (not the main thread): sets the last error */
    char c;
    while (read(thread_go[0], &c, 1) < 0 && errno == EINTR) {
    }
    return NULL;
}

static const int sigs[] = {SIGWINCH, SIGURG, SIGUSR1};
#define NS (int)(sizeof sigs / sizeof sigs[0])

static int scenario_finalize(void) {
    struct api a;
    if (!load(&a)) return 10;
    /* 1. use it: callbacks, a wakeup fd, an error (thread-local state) */
    rs_signal_handler h = {RS_SIGNAL_HANDLER_CALLBACK, cb, NULL};
    for (int i = 0; i < NS; i++)
        if (a.signal(sigs[i], &h, NULL) != 0) return 11;
    int p[2];
    nb_pipe(p);
    if (a.set_wakeup_fd(p[1], 1, NULL) != 0) return 12;
    if (a.raise_signal(SIGWINCH) != 0 || calls[SIGWINCH] != 1) return 13;
    if (a.signal(0, &h, NULL) != RS_SIGNAL_EVALUE) return 14;
    if (pipe(thread_go) != 0) return 2;
    thread_api = &a;
    pthread_t t;
    if (pthread_create(&t, NULL, user_thread, NULL) != 0) return 2;
    /* 2. finalize: every signal it handled back to SIG_DFL */
    if (a.finalize() != 0) return 15;
    for (int i = 0; i < NS; i++)
        if (!is_dfl(sigs[i])) {
            fprintf(stderr, "signal %d is not SIG_DFL after rs_signal_finalize\n", sigs[i]);
            return 16;
        }
    /* 3. unload */
    void *fn = (void *)a.raise_signal;
    if (dlclose(a.h) != 0) return 17;
    int mapped = still_mapped();
    Dl_info info;
    int addr_known = dladdr(fn, &info) != 0;
    printf("  after dlclose: library %s (threads whose last error is set hold it through their "
           "thread-local destructors until they end)\n",
           mapped ? "still loaded" : "unloaded");
    (void)addr_known;
    for (int i = 0; i < NS; i++)
        if (!is_dfl(sigs[i])) return 18;
    /* 4. the signals arrive: SIGWINCH and SIGURG (default: ignored) go
     * through; SIGUSR1 (default: terminate) is blocked, raised, seen pending,
     * then discarded by SIG_IGN before it is unblocked. */
    raise(SIGWINCH);
    raise(SIGURG);
    sigset_t one, pend;
    sigemptyset(&one);
    sigaddset(&one, SIGUSR1);
    sigprocmask(SIG_BLOCK, &one, NULL);
    raise(SIGUSR1);
    sigpending(&pend);
    if (!sigismember(&pend, SIGUSR1)) return 19;
    signal(SIGUSR1, SIG_IGN);
    sigprocmask(SIG_UNBLOCK, &one, NULL);
    signal(SIGUSR1, SIG_DFL);
    if (calls[SIGWINCH] != 1 || calls[SIGURG] != 0) return 20; /* no callback ran */
    /* 5. the thread that used the library ends now */
    if (write(thread_go[1], "g", 1) != 1) return 2;
    pthread_join(t, NULL);
    int mapped_after_thread = still_mapped();
    printf("  after that thread ended: library %s\n", mapped_after_thread ? "still loaded" : "unloaded");
    raise(SIGWINCH);
    raise(SIGURG);
    /* 6. fork after unloading: the library's fork hooks must be gone or harmless */
    pid_t pid = fork();
    if (pid == 0) _exit(0);
    int st;
    if (wait_retry(pid, &st, NULL) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 0) return 21;
    /* 7. load it again: usable from scratch */
    struct api b;
    if (!load(&b)) return 22;
    if (b.signal(SIGWINCH, &h, NULL) != 0) return 23;
    if (b.raise_signal(SIGWINCH) != 0 || calls[SIGWINCH] != 2) return 24;
    if (b.finalize() != 0 || !is_dfl(SIGWINCH)) return 25;
    if (dlclose(b.h) != 0) return 26;
    raise(SIGWINCH);
    printf("  finalize -> SIG_DFL for all %d signals, dlclose, raise: survived; fork after dlclose: ok; "
           "reload, use, finalize, dlclose again: ok\n", NS);
    return 0;
}

/* The same with no error and no other thread: nothing holds the library, so
 * dlclose() really unmaps it, and a handler left behind would crash. */
static int scenario_unload(void) {
    struct api a;
    if (!load(&a)) return 10;
    rs_signal_handler h = {RS_SIGNAL_HANDLER_CALLBACK, cb, NULL};
    for (int i = 0; i < NS; i++)
        if (a.signal(sigs[i], &h, NULL) != 0) return 11;
    if (a.raise_signal(SIGURG) != 0 || calls[SIGURG] != 1) return 13;
    if (a.finalize() != 0) return 15;
    for (int i = 0; i < NS; i++)
        if (!is_dfl(sigs[i])) return 16;
    if (dlclose(a.h) != 0) return 17;
    int mapped = still_mapped();
    raise(SIGWINCH);
    raise(SIGURG);
    printf("  finalize, dlclose: library %s; SIGWINCH and SIGURG raised: survived\n",
           mapped ? "still loaded (NOTE: this run proves less)" : "unmapped");
    return 0;
}

/* Unloading under a storm, the way the header says: a host counts SIGUSR1
 * with its own handler; a sender thread keeps sending SIGUSR1 to a receiver
 * thread (the only one with it unblocked). Many times: dlopen, a callback on
 * SIGUSR1 (rssignal's handler now runs on the receiver; 20 arrivals counted),
 * the receiver blocks SIGUSR1 itself and says so (running ordinary code, it
 * has no handler frame of rssignal's left), rs_signal_restore(SIGUSR1) (the
 * host's handler is back), dlclose, the receiver unblocks. Without the
 * receiver's block the unmapping can pull the code from under a handler
 * frame the kernel set up just before the restore (a SIGSEGV in most runs). */
#define STORM_ROUNDS 300
static volatile sig_atomic_t host_calls;
static void host_handler(int s) {
    (void)s;
    host_calls++;
}
static volatile int storm_stop;
static pthread_t storm_receiver;
static int to_receiver[2], from_receiver[2];
static void *storm_receiver_thread(void *p) {
    (void)p;
    sigset_t u;
    sigemptyset(&u);
    sigaddset(&u, SIGUSR1);
    pthread_sigmask(SIG_UNBLOCK, &u, NULL);
    for (;;) {
        char c;
        ssize_t n = read(to_receiver[0], &c, 1); /* handlers run here */
        if (n < 0 && errno == EINTR) continue;
        if (n != 1 || c == 'q') break;
        pthread_sigmask(c == 'b' ? SIG_BLOCK : SIG_UNBLOCK, &u, NULL);
        while (write(from_receiver[1], &c, 1) < 0 && errno == EINTR) {
        }
    }
    return NULL;
}
static void *storm_sender_thread(void *p) {
    (void)p;
    while (!storm_stop) pthread_kill(storm_receiver, SIGUSR1);
    return NULL;
}
/* Ask the receiver to block ('b') or unblock ('u') SIGUSR1; wait for it. */
static int receiver_do(char c) {
    char r;
    while (write(to_receiver[1], &c, 1) < 0)
        if (errno != EINTR) return 0;
    for (;;) {
        ssize_t n = read(from_receiver[0], &r, 1);
        if (n == 1) return r == c;
        if (n < 0 && errno == EINTR) continue;
        return 0;
    }
}

static int scenario_storm_unload(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = host_handler;
    if (sigaction(SIGUSR1, &sa, NULL) != 0) return 10;
    sigset_t b;
    sigemptyset(&b);
    sigaddset(&b, SIGUSR1);
    pthread_sigmask(SIG_BLOCK, &b, NULL); /* the threads inherit it */
    if (pipe(to_receiver) != 0 || pipe(from_receiver) != 0) return 11;
    pthread_t snd;
    if (pthread_create(&storm_receiver, NULL, storm_receiver_thread, NULL) != 0) return 11;
    if (pthread_create(&snd, NULL, storm_sender_thread, NULL) != 0) return 12;
    int unmapped = 0, rounds = 0;
    for (; rounds < STORM_ROUNDS; rounds++) {
        struct api a;
        if (!load(&a)) return 13;
        rs_signal_handler h = {RS_SIGNAL_HANDLER_CALLBACK, cb, NULL};
        if (a.signal(SIGUSR1, &h, NULL) != 0) return 14;
        /* Let the storm reach rssignal's handler a few times first. */
        rs_signal_stats st = {0};
        while (a.get_stats(SIGUSR1, &st) == 0 && st.arrivals < 20) sched_yield();
        if (!receiver_do('b')) return 19;
        if (a.restore(SIGUSR1) != 0) return 15;
        struct sigaction now;
        if (sigaction(SIGUSR1, NULL, &now) != 0 || now.sa_handler != host_handler) return 16;
        if (dlclose(a.h) != 0) return 17;
        unmapped += !still_mapped();
        if (!receiver_do('u')) return 19;
    }
    storm_stop = 1;
    pthread_join(snd, NULL);
    if (write(to_receiver[1], "q", 1) != 1) return 20;
    pthread_join(storm_receiver, NULL);
    if (host_calls == 0) return 18;
    printf("  storm, %d rounds of dlopen, callback, block, restore, dlclose, unblock: library unmapped "
           "after %d; host handler %ld calls: survived\n",
           rounds, unmapped, (long)host_calls);
    return 0;
}

static int scenario_control(void) {
    struct api a;
    if (!load(&a)) return 10;
    rs_signal_handler h = {RS_SIGNAL_HANDLER_CALLBACK, cb, NULL};
    if (a.signal(SIGWINCH, &h, NULL) != 0) return 11;
    if (dlclose(a.h) != 0) return 17;
    int mapped = still_mapped();
    if (is_dfl(SIGWINCH)) {
        fprintf(stderr, "control: SIGWINCH is SIG_DFL without finalize: the check cannot tell\n");
        return 30;
    }
    /* The handler is still there. Raise it in a grandchild and report. */
    pid_t pid = fork();
    if (pid == 0) {
        raise(SIGWINCH);
        _exit(0);
    }
    int st;
    wait_retry(pid, &st, NULL);
    printf("  control (no finalize): handler left installed, library %s after dlclose; raising the signal %s\n",
           mapped ? "still loaded" : "unloaded",
           WIFSIGNALED(st) ? (WTERMSIG(st) == SIGSEGV ? "crashed with SIGSEGV" : "killed the process")
                           : "survived (the library is still mapped)");
    return 0;
}

static int in_child(int (*fn)(void), const char *name) {
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) _exit(fn());
    int st;
    if (wait_retry(pid, &st, NULL) != pid) return 0;
    if (WIFEXITED(st) && WEXITSTATUS(st) == 0) return 1;
    if (WIFEXITED(st))
        fail("scenario %s failed at step %d", name, WEXITSTATUS(st));
    else
        fail("scenario %s: killed by signal %d (%s)", name, WTERMSIG(st), strsignal(WTERMSIG(st)));
    return 0;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s PATH/TO/librssignal.so\n", argv[0]);
        return 2;
    }
    lib_path = argv[1];
    setvbuf(stdout, NULL, _IOLBF, 0);
    printf("== containment: dlopen, callbacks, finalize, dlclose, raise (%s)\n", lib_path);
    in_child(scenario_finalize, "finalize");
    in_child(scenario_unload, "unload");
    in_child(scenario_storm_unload, "storm-unload");
    in_child(scenario_control, "control");
    printf("containment dlclose: %s\n", g_failures ? "FAILED" : "passed");
    return g_failures ? 1 : 0;
}
