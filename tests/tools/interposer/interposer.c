/* rssignal's async-signal-safety interposer.
 *
 * An LD_PRELOAD library. It interposes sigaction() (and signal(),
 * bsd_signal(), sysv_signal()) and, when the handler being installed is
 * rssignal's, installs a trampoline instead: the trampoline sets a
 * thread-local flag (initial-exec TLS: no allocation, no __tls_get_addr),
 * calls the real handler, and clears the flag. Every function below that is
 * not async-signal-safe checks the flag first and, when it is set, writes one
 * line to stderr and abort()s:
 *
 *   memory    malloc calloc realloc reallocarray free posix_memalign
 *             aligned_alloc memalign valloc pvalloc
 *   locks     pthread_mutex_lock/trylock/timedlock/unlock, pthread_rwlock_*,
 *             pthread_cond_*, pthread_once, pthread_key_create,
 *             pthread_getspecific/setspecific, pthread_create/join,
 *             sem_wait/timedwait
 *   stdio     printf fprintf vprintf vfprintf dprintf vdprintf sprintf
 *             snprintf vsprintf vsnprintf puts fputs fputc putc putchar
 *             fwrite fflush perror fopen fclose and their _chk variants
 *   other     exit atexit getenv setenv strerror strsignal localtime gmtime
 *             dlopen dlclose syslog, the C++/Rust unwinder entry points
 *             (_Unwind_RaiseException, _Unwind_Resume), TLS destructor
 *             registration (__cxa_thread_atexit_impl) and the dynamic TLS
 *             accessor __tls_get_addr (the first touch of a thread-local may
 *             allocate)
 *
 * Which handlers are wrapped:
 *   - any handler inside a loaded object whose file name contains
 *     "librssignal" (the shared library);
 *   - the handler at RSSIG_HANDLER_OFFSET (hex, relative to the main
 *     program's load address: `nm` of a program linked to librssignal.a);
 *   - every handler when RSSIG_INTERPOSE_ALL=1 (the self-test).
 * sigaction()'s old-action output shows the real handler, never the
 * trampoline, so the library's own queries see what they installed.
 *
 * Counters (installs wrapped, handler entries, guarded calls outside
 * handlers) live in a shared mapping, so forked children (the C suite runs
 * one per test) add to them; the process that loaded the interposer appends
 * them as one line to the file named by RSSIG_INTERPOSER_REPORT at exit. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <link.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>
#include <fcntl.h>

#define MAXSIG 65

static __thread int in_handler __attribute__((tls_model("initial-exec")));
static __thread int handler_sig __attribute__((tls_model("initial-exec")));

struct stats {
    atomic_ulong installs;        /* handlers wrapped by sigaction */
    atomic_ulong entries;         /* trampoline entries (signals handled) */
    atomic_ulong guarded_outside; /* guarded functions called outside handlers (sanity: the guards are live) */
};
static struct stats *stats;
static struct stats fallback_stats;
static pid_t owner;
static int wrap_all;
static uintptr_t wrap_addr; /* absolute address from RSSIG_HANDLER_OFFSET, 0 when none */

typedef void (*handler_fn)(int);
typedef void (*action_fn)(int, siginfo_t *, void *);
static _Atomic(handler_fn) real_handler[MAXSIG];
static _Atomic(action_fn) real_action[MAXSIG];

/* ---- reporting a violation: async-signal-safe only ---------------------------- */

static void put(const char *s) {
    size_t n = strlen(s);
    while (n > 0) {
        ssize_t w = write(2, s, n);
        if (w <= 0) return;
        s += w;
        n -= (size_t)w;
    }
}

static void put_int(long v) {
    char buf[24];
    int i = (int)sizeof buf - 1;
    buf[i] = 0;
    int neg = v < 0;
    unsigned long u = neg ? (unsigned long)-v : (unsigned long)v;
    do {
        buf[--i] = (char)('0' + u % 10);
        u /= 10;
    } while (u && i > 1);
    if (neg) buf[--i] = '-';
    put(buf + i);
}

__attribute__((noreturn)) static void violation(const char *fn) {
    in_handler = 0; /* abort() itself must not trip us */
    put("rssignal-interposer: ");
    put(fn);
    put("() entered while a wrapped signal handler is on the stack (signal ");
    put_int(handler_sig);
    put(", pid ");
    put_int((long)getpid());
    put(")\n");
    abort();
}

#define GUARD(name)                                                                         \
    do {                                                                                    \
        if (__builtin_expect(in_handler, 0)) violation(name);                               \
        if (stats) atomic_fetch_add_explicit(&stats->guarded_outside, 1, memory_order_relaxed); \
    } while (0)

/* ---- the trampolines ------------------------------------------------------------ */

static void tramp_handler(int sig) {
    handler_fn f = sig > 0 && sig < MAXSIG ? atomic_load(&real_handler[sig]) : NULL;
    if (!f) return;
    int saved_sig = handler_sig;
    in_handler++;
    handler_sig = sig;
    atomic_fetch_add_explicit(&stats->entries, 1, memory_order_relaxed);
    f(sig);
    handler_sig = saved_sig;
    in_handler--;
}

static void tramp_action(int sig, siginfo_t *si, void *uc) {
    action_fn f = sig > 0 && sig < MAXSIG ? atomic_load(&real_action[sig]) : NULL;
    if (!f) return;
    int saved_sig = handler_sig;
    in_handler++;
    handler_sig = sig;
    atomic_fetch_add_explicit(&stats->entries, 1, memory_order_relaxed);
    f(sig, si, uc);
    handler_sig = saved_sig;
    in_handler--;
}

/* ---- which handlers to wrap ------------------------------------------------------ */

static int should_wrap(void *fn) {
    if (wrap_all) return 1;
    if (wrap_addr && (uintptr_t)fn == wrap_addr) return 1;
    Dl_info info;
    if (dladdr(fn, &info) && info.dli_fname && strstr(info.dli_fname, "librssignal")) return 1;
    return 0;
}

static int main_bias_cb(struct dl_phdr_info *info, size_t size, void *data) {
    (void)size;
    *(uintptr_t *)data = (uintptr_t)info->dlpi_addr;
    return 1; /* the first object is the main program */
}

__attribute__((constructor)) static void interposer_init(void) {
    void *m = mmap(NULL, sizeof(struct stats), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    stats = m == MAP_FAILED ? &fallback_stats : m;
    owner = getpid();
    const char *all = getenv("RSSIG_INTERPOSE_ALL");
    wrap_all = all && *all == '1';
    const char *off = getenv("RSSIG_HANDLER_OFFSET");
    if (off && *off) {
        uintptr_t bias = 0;
        dl_iterate_phdr(main_bias_cb, &bias);
        wrap_addr = bias + (uintptr_t)strtoull(off, NULL, 16);
    }
}

__attribute__((destructor)) static void interposer_fini(void) {
    const char *path = getenv("RSSIG_INTERPOSER_REPORT");
    if (!path || !*path || getpid() != owner) return;
    int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0) return;
    char line[256];
    int n = snprintf(line, sizeof line, "installs=%lu entries=%lu guarded_outside=%lu\n",
                     (unsigned long)atomic_load(&stats->installs), (unsigned long)atomic_load(&stats->entries),
                     (unsigned long)atomic_load(&stats->guarded_outside));
    if (n > 0) (void)!write(fd, line, (size_t)n);
    close(fd);
}

/* ---- sigaction and friends -------------------------------------------------------- */

static int (*real_sigaction)(int, const struct sigaction *, struct sigaction *);

int sigaction(int sig, const struct sigaction *act, struct sigaction *old) {
    if (!real_sigaction) *(void **)&real_sigaction = dlsym(RTLD_NEXT, "sigaction");
    if (sig <= 0 || sig >= MAXSIG) return real_sigaction(sig, act, old);
    handler_fn prev_h = atomic_load(&real_handler[sig]);
    action_fn prev_a = atomic_load(&real_action[sig]);
    struct sigaction copy;
    const struct sigaction *use = act;
    if (act) {
        if (act->sa_flags & SA_SIGINFO) {
            if (act->sa_sigaction && act->sa_sigaction != tramp_action && should_wrap((void *)act->sa_sigaction)) {
                atomic_store(&real_action[sig], act->sa_sigaction);
                copy = *act;
                copy.sa_sigaction = tramp_action;
                use = &copy;
                atomic_fetch_add(&stats->installs, 1);
            }
        } else if (act->sa_handler != SIG_DFL && act->sa_handler != SIG_IGN &&
                   act->sa_handler != tramp_handler && should_wrap((void *)act->sa_handler)) {
            atomic_store(&real_handler[sig], act->sa_handler);
            copy = *act;
            copy.sa_handler = tramp_handler;
            use = &copy;
            atomic_fetch_add(&stats->installs, 1);
        }
    }
    int r = real_sigaction(sig, use, old);
    if (r == 0 && old) {
        if (old->sa_flags & SA_SIGINFO) {
            if (old->sa_sigaction == tramp_action) old->sa_sigaction = prev_a;
        } else if (old->sa_handler == tramp_handler) {
            old->sa_handler = prev_h;
        }
    }
    return r;
}

static handler_fn signal_via_sigaction(int sig, handler_fn h, int flags, int mask_self) {
    struct sigaction sa, old;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = h;
    sa.sa_flags = flags;
    sigemptyset(&sa.sa_mask);
    if (mask_self && sig > 0 && sig < MAXSIG) sigaddset(&sa.sa_mask, sig);
    if (sigaction(sig, &sa, &old) != 0) return SIG_ERR;
    return old.sa_handler;
}

handler_fn signal(int sig, handler_fn h) { return signal_via_sigaction(sig, h, SA_RESTART, 1); }
handler_fn bsd_signal(int sig, handler_fn h) { return signal_via_sigaction(sig, h, SA_RESTART, 1); }
handler_fn sysv_signal(int sig, handler_fn h) {
    return signal_via_sigaction(sig, h, (int)(SA_RESETHAND | SA_NODEFER), 0);
}

/* ---- memory: glibc's own entry points, so no dlsym is needed ------------------------ */

extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void __libc_free(void *);
extern void *__libc_memalign(size_t, size_t);
extern void *__libc_valloc(size_t);
extern void *__libc_pvalloc(size_t);

void *malloc(size_t n) {
    GUARD("malloc");
    return __libc_malloc(n);
}
void *calloc(size_t a, size_t b) {
    GUARD("calloc");
    return __libc_calloc(a, b);
}
void *realloc(void *p, size_t n) {
    GUARD("realloc");
    return __libc_realloc(p, n);
}
void *reallocarray(void *p, size_t a, size_t b) {
    GUARD("reallocarray");
    size_t n;
    if (__builtin_mul_overflow(a, b, &n)) {
        errno = ENOMEM;
        return NULL;
    }
    return __libc_realloc(p, n);
}
void free(void *p) {
    GUARD("free");
    __libc_free(p);
}
int posix_memalign(void **out, size_t align, size_t n) {
    GUARD("posix_memalign");
    if (align < sizeof(void *) || (align & (align - 1))) return EINVAL;
    void *p = __libc_memalign(align, n);
    if (!p) return ENOMEM;
    *out = p;
    return 0;
}
void *aligned_alloc(size_t align, size_t n) {
    GUARD("aligned_alloc");
    return __libc_memalign(align, n);
}
void *memalign(size_t align, size_t n) {
    GUARD("memalign");
    return __libc_memalign(align, n);
}
void *valloc(size_t n) {
    GUARD("valloc");
    return __libc_valloc(n);
}
void *pvalloc(size_t n) {
    GUARD("pvalloc");
    return __libc_pvalloc(n);
}

/* ---- everything else: forwarded through dlsym(RTLD_NEXT) --------------------------- */

#define NEXT(name) \
    static __typeof__(name) *next_##name; \
    if (!next_##name) *(void **)&next_##name = dlsym(RTLD_NEXT, #name)

#define FORWARD(ret, name, params, args)                                                    \
    ret name params {                                                                       \
        GUARD(#name);                                                                       \
        NEXT(name);                                                                         \
        return next_##name args;                                                            \
    }

FORWARD(int, pthread_mutex_lock, (pthread_mutex_t * m), (m))
FORWARD(int, pthread_mutex_trylock, (pthread_mutex_t * m), (m))
FORWARD(int, pthread_mutex_timedlock, (pthread_mutex_t * m, const struct timespec *t), (m, t))
FORWARD(int, pthread_mutex_unlock, (pthread_mutex_t * m), (m))
FORWARD(int, pthread_rwlock_rdlock, (pthread_rwlock_t * l), (l))
FORWARD(int, pthread_rwlock_wrlock, (pthread_rwlock_t * l), (l))
FORWARD(int, pthread_rwlock_tryrdlock, (pthread_rwlock_t * l), (l))
FORWARD(int, pthread_rwlock_trywrlock, (pthread_rwlock_t * l), (l))
FORWARD(int, pthread_rwlock_unlock, (pthread_rwlock_t * l), (l))
FORWARD(int, pthread_cond_wait, (pthread_cond_t * c, pthread_mutex_t *m), (c, m))
FORWARD(int, pthread_cond_timedwait, (pthread_cond_t * c, pthread_mutex_t *m, const struct timespec *t), (c, m, t))
FORWARD(int, pthread_cond_signal, (pthread_cond_t * c), (c))
FORWARD(int, pthread_cond_broadcast, (pthread_cond_t * c), (c))
FORWARD(int, pthread_once, (pthread_once_t * o, void (*f)(void)), (o, f))
FORWARD(int, pthread_key_create, (pthread_key_t * k, void (*d)(void *)), (k, d))
FORWARD(void *, pthread_getspecific, (pthread_key_t k), (k))
FORWARD(int, pthread_setspecific, (pthread_key_t k, const void *v), (k, v))
FORWARD(int, pthread_create, (pthread_t * t, const pthread_attr_t *a, void *(*f)(void *), void *arg), (t, a, f, arg))
FORWARD(int, pthread_join, (pthread_t t, void **r), (t, r))
FORWARD(int, sem_wait, (sem_t * s), (s))
FORWARD(int, sem_timedwait, (sem_t * s, const struct timespec *t), (s, t))

FORWARD(int, vprintf, (const char *f, va_list ap), (f, ap))
FORWARD(int, vfprintf, (FILE * s, const char *f, va_list ap), (s, f, ap))
FORWARD(int, vdprintf, (int fd, const char *f, va_list ap), (fd, f, ap))
FORWARD(int, vsprintf, (char *b, const char *f, va_list ap), (b, f, ap))
FORWARD(int, vsnprintf, (char *b, size_t n, const char *f, va_list ap), (b, n, f, ap))
FORWARD(int, puts, (const char *s), (s))
FORWARD(int, fputs, (const char *s, FILE *f), (s, f))
FORWARD(int, fputc, (int c, FILE *f), (c, f))
FORWARD(int, putc, (int c, FILE *f), (c, f))
FORWARD(int, putchar, (int c), (c))
FORWARD(size_t, fwrite, (const void *p, size_t a, size_t b, FILE *f), (p, a, b, f))
FORWARD(int, fflush, (FILE * f), (f))
FORWARD(void, perror, (const char *s), (s))
FORWARD(FILE *, fopen, (const char *p, const char *m), (p, m))
FORWARD(int, fclose, (FILE * f), (f))
FORWARD(int, atexit, (void (*f)(void)), (f))
FORWARD(char *, getenv, (const char *n), (n))
FORWARD(int, setenv, (const char *n, const char *v, int o), (n, v, o))
FORWARD(char *, strerror, (int e), (e))
FORWARD(char *, strsignal, (int s), (s))
FORWARD(struct tm *, localtime, (const time_t *t), (t))
FORWARD(struct tm *, gmtime, (const time_t *t), (t))
FORWARD(void *, dlopen, (const char *f, int m), (f, m))
FORWARD(int, dlclose, (void *h), (h))

void exit(int status) {
    GUARD("exit");
    NEXT(exit);
    next_exit(status);
    __builtin_unreachable();
}

/* variadic ones, through their v-variants (looked up directly, so the call is
 * counted once) */
static int (*next_vfprintf_direct)(FILE *, const char *, va_list);
static int (*next_vsnprintf_direct)(char *, size_t, const char *, va_list);
static int (*next_vsprintf_direct)(char *, const char *, va_list);
static int (*next_vdprintf_direct)(int, const char *, va_list);

static void load_v(void) {
    if (!next_vfprintf_direct) *(void **)&next_vfprintf_direct = dlsym(RTLD_NEXT, "vfprintf");
    if (!next_vsnprintf_direct) *(void **)&next_vsnprintf_direct = dlsym(RTLD_NEXT, "vsnprintf");
    if (!next_vsprintf_direct) *(void **)&next_vsprintf_direct = dlsym(RTLD_NEXT, "vsprintf");
    if (!next_vdprintf_direct) *(void **)&next_vdprintf_direct = dlsym(RTLD_NEXT, "vdprintf");
}

#define VARIADIC(name, call)                                                                \
    {                                                                                       \
        GUARD(name);                                                                        \
        load_v();                                                                           \
        va_list ap;                                                                         \
        va_start(ap, fmt);                                                                  \
        int r = call;                                                                       \
        va_end(ap);                                                                         \
        return r;                                                                           \
    }

int printf(const char *fmt, ...) VARIADIC("printf", next_vfprintf_direct(stdout, fmt, ap))
int fprintf(FILE *f, const char *fmt, ...) VARIADIC("fprintf", next_vfprintf_direct(f, fmt, ap))
int dprintf(int fd, const char *fmt, ...) VARIADIC("dprintf", next_vdprintf_direct(fd, fmt, ap))
int sprintf(char *b, const char *fmt, ...) VARIADIC("sprintf", next_vsprintf_direct(b, fmt, ap))
int snprintf(char *b, size_t n, const char *fmt, ...) VARIADIC("snprintf", next_vsnprintf_direct(b, n, fmt, ap))
int __printf_chk(int flag, const char *fmt, ...) VARIADIC("__printf_chk", ((void)flag, next_vfprintf_direct(stdout, fmt, ap)))
int __fprintf_chk(FILE *f, int flag, const char *fmt, ...) VARIADIC("__fprintf_chk", ((void)flag, next_vfprintf_direct(f, fmt, ap)))
int __dprintf_chk(int fd, int flag, const char *fmt, ...) VARIADIC("__dprintf_chk", ((void)flag, next_vdprintf_direct(fd, fmt, ap)))
int __sprintf_chk(char *b, int flag, size_t len, const char *fmt, ...) VARIADIC("__sprintf_chk", ((void)flag, (void)len, next_vsprintf_direct(b, fmt, ap)))
int __snprintf_chk(char *b, size_t n, int flag, size_t len, const char *fmt, ...) VARIADIC("__snprintf_chk", ((void)flag, (void)len, next_vsnprintf_direct(b, n, fmt, ap)))

int __vfprintf_chk(FILE *f, int flag, const char *fmt, va_list ap) {
    (void)flag;
    GUARD("__vfprintf_chk");
    load_v();
    return next_vfprintf_direct(f, fmt, ap);
}
int __vprintf_chk(int flag, const char *fmt, va_list ap) {
    (void)flag;
    GUARD("__vprintf_chk");
    load_v();
    return next_vfprintf_direct(stdout, fmt, ap);
}
int __vsnprintf_chk(char *b, size_t n, int flag, size_t len, const char *fmt, va_list ap) {
    (void)flag;
    (void)len;
    GUARD("__vsnprintf_chk");
    load_v();
    return next_vsnprintf_direct(b, n, fmt, ap);
}

void syslog(int pri, const char *fmt, ...) {
    GUARD("syslog");
    static void (*next_vsyslog)(int, const char *, va_list);
    if (!next_vsyslog) *(void **)&next_vsyslog = dlsym(RTLD_NEXT, "vsyslog");
    va_list ap;
    va_start(ap, fmt);
    next_vsyslog(pri, fmt, ap);
    va_end(ap);
}

/* ---- unwinding, TLS -------------------------------------------------------------------- */

struct _Unwind_Exception;
int _Unwind_RaiseException(struct _Unwind_Exception *e) {
    GUARD("_Unwind_RaiseException");
    static int (*next)(struct _Unwind_Exception *);
    if (!next) *(void **)&next = dlsym(RTLD_NEXT, "_Unwind_RaiseException");
    return next(e);
}
void _Unwind_Resume(struct _Unwind_Exception *e) {
    GUARD("_Unwind_Resume");
    static void (*next)(struct _Unwind_Exception *);
    if (!next) *(void **)&next = dlsym(RTLD_NEXT, "_Unwind_Resume");
    next(e);
    __builtin_unreachable();
}
int __cxa_thread_atexit_impl(void (*dtor)(void *), void *obj, void *dso) {
    GUARD("__cxa_thread_atexit_impl");
    static int (*next)(void (*)(void *), void *, void *);
    if (!next) *(void **)&next = dlsym(RTLD_NEXT, "__cxa_thread_atexit_impl");
    return next(dtor, obj, dso);
}

/* The dynamic TLS accessor: a handler that touches a thread-local of a
 * shared library goes through here (the first touch may allocate). */
typedef struct {
    unsigned long ti_module;
    unsigned long ti_offset;
} tls_index;
void *__tls_get_addr(tls_index *ti) {
    if (__builtin_expect(in_handler, 0)) violation("__tls_get_addr");
    static void *(*next)(tls_index *);
    if (!next) *(void **)&next = dlsym(RTLD_NEXT, "__tls_get_addr");
    return next(ti);
}
