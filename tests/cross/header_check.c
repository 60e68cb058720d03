/* The portable header against the target's own headers (the platform rules of the C API): compiled
 * with each target's compiler (-std=c11 -Wall -Wextra -Werror; with zig also
 * as C++11) by `make test-cross`. Every signal name of CPython's list has an
 * RS_ macro exactly when the platform's <signal.h> defines it, with the same
 * value; RS_NSIG is CPython's Py_NSIG (_SIG_MAXSIG + 1 where <signal.h> has
 * it, as on FreeBSD, else NSIG; on FreeBSD rssignal caps it at 128, what
 * rs_sigset holds, which still exceeds SIGRTMAX); the sigmask, itimer and console-event
 * constants equal the platform's where both exist. Compiling is the test. */
#if defined(_WIN32)
#include <windows.h>
#else
#include <sys/time.h>
#endif
#include <signal.h>

#include "rssignal.h"

#ifdef __cplusplus
#define SAME(a, b) static_assert((a) == (b), #a " == " #b)
#else
#define SAME(a, b) _Static_assert((a) == (b), #a " == " #b)
#endif

#if defined(_SIG_MAXSIG)
SAME(RS_NSIG > SIGRTMAX && RS_NSIG <= _SIG_MAXSIG + 1, 1);
#elif defined(NSIG)
SAME(RS_NSIG, NSIG);
#else
#error "the platform's <signal.h> has neither NSIG nor _SIG_MAXSIG"
#endif

#if defined(SIGHUP) != defined(RS_SIGHUP)
#error "SIGHUP and RS_SIGHUP: one is defined, the other is not"
#elif defined(SIGHUP)
SAME(RS_SIGHUP, SIGHUP);
#endif
#if defined(SIGINT) != defined(RS_SIGINT)
#error "SIGINT and RS_SIGINT: one is defined, the other is not"
#elif defined(SIGINT)
SAME(RS_SIGINT, SIGINT);
#endif
#if defined(SIGBREAK) != defined(RS_SIGBREAK)
#error "SIGBREAK and RS_SIGBREAK: one is defined, the other is not"
#elif defined(SIGBREAK)
SAME(RS_SIGBREAK, SIGBREAK);
#endif
#if defined(SIGQUIT) != defined(RS_SIGQUIT)
#error "SIGQUIT and RS_SIGQUIT: one is defined, the other is not"
#elif defined(SIGQUIT)
SAME(RS_SIGQUIT, SIGQUIT);
#endif
#if defined(SIGILL) != defined(RS_SIGILL)
#error "SIGILL and RS_SIGILL: one is defined, the other is not"
#elif defined(SIGILL)
SAME(RS_SIGILL, SIGILL);
#endif
#if defined(SIGTRAP) != defined(RS_SIGTRAP)
#error "SIGTRAP and RS_SIGTRAP: one is defined, the other is not"
#elif defined(SIGTRAP)
SAME(RS_SIGTRAP, SIGTRAP);
#endif
#if defined(SIGIOT) != defined(RS_SIGIOT)
#error "SIGIOT and RS_SIGIOT: one is defined, the other is not"
#elif defined(SIGIOT)
SAME(RS_SIGIOT, SIGIOT);
#endif
#if defined(SIGABRT) != defined(RS_SIGABRT)
#error "SIGABRT and RS_SIGABRT: one is defined, the other is not"
#elif defined(SIGABRT)
SAME(RS_SIGABRT, SIGABRT);
#endif
#if defined(SIGEMT) != defined(RS_SIGEMT)
#error "SIGEMT and RS_SIGEMT: one is defined, the other is not"
#elif defined(SIGEMT)
SAME(RS_SIGEMT, SIGEMT);
#endif
#if defined(SIGFPE) != defined(RS_SIGFPE)
#error "SIGFPE and RS_SIGFPE: one is defined, the other is not"
#elif defined(SIGFPE)
SAME(RS_SIGFPE, SIGFPE);
#endif
#if defined(SIGKILL) != defined(RS_SIGKILL)
#error "SIGKILL and RS_SIGKILL: one is defined, the other is not"
#elif defined(SIGKILL)
SAME(RS_SIGKILL, SIGKILL);
#endif
#if defined(SIGBUS) != defined(RS_SIGBUS)
#error "SIGBUS and RS_SIGBUS: one is defined, the other is not"
#elif defined(SIGBUS)
SAME(RS_SIGBUS, SIGBUS);
#endif
#if defined(SIGSEGV) != defined(RS_SIGSEGV)
#error "SIGSEGV and RS_SIGSEGV: one is defined, the other is not"
#elif defined(SIGSEGV)
SAME(RS_SIGSEGV, SIGSEGV);
#endif
#if defined(SIGSYS) != defined(RS_SIGSYS)
#error "SIGSYS and RS_SIGSYS: one is defined, the other is not"
#elif defined(SIGSYS)
SAME(RS_SIGSYS, SIGSYS);
#endif
#if defined(SIGPIPE) != defined(RS_SIGPIPE)
#error "SIGPIPE and RS_SIGPIPE: one is defined, the other is not"
#elif defined(SIGPIPE)
SAME(RS_SIGPIPE, SIGPIPE);
#endif
#if defined(SIGALRM) != defined(RS_SIGALRM)
#error "SIGALRM and RS_SIGALRM: one is defined, the other is not"
#elif defined(SIGALRM)
SAME(RS_SIGALRM, SIGALRM);
#endif
#if defined(SIGTERM) != defined(RS_SIGTERM)
#error "SIGTERM and RS_SIGTERM: one is defined, the other is not"
#elif defined(SIGTERM)
SAME(RS_SIGTERM, SIGTERM);
#endif
#if defined(SIGUSR1) != defined(RS_SIGUSR1)
#error "SIGUSR1 and RS_SIGUSR1: one is defined, the other is not"
#elif defined(SIGUSR1)
SAME(RS_SIGUSR1, SIGUSR1);
#endif
#if defined(SIGUSR2) != defined(RS_SIGUSR2)
#error "SIGUSR2 and RS_SIGUSR2: one is defined, the other is not"
#elif defined(SIGUSR2)
SAME(RS_SIGUSR2, SIGUSR2);
#endif
#if defined(SIGCLD) != defined(RS_SIGCLD)
#error "SIGCLD and RS_SIGCLD: one is defined, the other is not"
#elif defined(SIGCLD)
SAME(RS_SIGCLD, SIGCLD);
#endif
#if defined(SIGCHLD) != defined(RS_SIGCHLD)
#error "SIGCHLD and RS_SIGCHLD: one is defined, the other is not"
#elif defined(SIGCHLD)
SAME(RS_SIGCHLD, SIGCHLD);
#endif
#if defined(SIGPWR) != defined(RS_SIGPWR)
#error "SIGPWR and RS_SIGPWR: one is defined, the other is not"
#elif defined(SIGPWR)
SAME(RS_SIGPWR, SIGPWR);
#endif
#if defined(SIGIO) != defined(RS_SIGIO)
#error "SIGIO and RS_SIGIO: one is defined, the other is not"
#elif defined(SIGIO)
SAME(RS_SIGIO, SIGIO);
#endif
#if defined(SIGURG) != defined(RS_SIGURG)
#error "SIGURG and RS_SIGURG: one is defined, the other is not"
#elif defined(SIGURG)
SAME(RS_SIGURG, SIGURG);
#endif
#if defined(SIGWINCH) != defined(RS_SIGWINCH)
#error "SIGWINCH and RS_SIGWINCH: one is defined, the other is not"
#elif defined(SIGWINCH)
SAME(RS_SIGWINCH, SIGWINCH);
#endif
#if defined(SIGPOLL) != defined(RS_SIGPOLL)
#error "SIGPOLL and RS_SIGPOLL: one is defined, the other is not"
#elif defined(SIGPOLL)
SAME(RS_SIGPOLL, SIGPOLL);
#endif
#if defined(SIGSTOP) != defined(RS_SIGSTOP)
#error "SIGSTOP and RS_SIGSTOP: one is defined, the other is not"
#elif defined(SIGSTOP)
SAME(RS_SIGSTOP, SIGSTOP);
#endif
#if defined(SIGTSTP) != defined(RS_SIGTSTP)
#error "SIGTSTP and RS_SIGTSTP: one is defined, the other is not"
#elif defined(SIGTSTP)
SAME(RS_SIGTSTP, SIGTSTP);
#endif
#if defined(SIGCONT) != defined(RS_SIGCONT)
#error "SIGCONT and RS_SIGCONT: one is defined, the other is not"
#elif defined(SIGCONT)
SAME(RS_SIGCONT, SIGCONT);
#endif
#if defined(SIGTTIN) != defined(RS_SIGTTIN)
#error "SIGTTIN and RS_SIGTTIN: one is defined, the other is not"
#elif defined(SIGTTIN)
SAME(RS_SIGTTIN, SIGTTIN);
#endif
#if defined(SIGTTOU) != defined(RS_SIGTTOU)
#error "SIGTTOU and RS_SIGTTOU: one is defined, the other is not"
#elif defined(SIGTTOU)
SAME(RS_SIGTTOU, SIGTTOU);
#endif
#if defined(SIGVTALRM) != defined(RS_SIGVTALRM)
#error "SIGVTALRM and RS_SIGVTALRM: one is defined, the other is not"
#elif defined(SIGVTALRM)
SAME(RS_SIGVTALRM, SIGVTALRM);
#endif
#if defined(SIGPROF) != defined(RS_SIGPROF)
#error "SIGPROF and RS_SIGPROF: one is defined, the other is not"
#elif defined(SIGPROF)
SAME(RS_SIGPROF, SIGPROF);
#endif
#if defined(SIGXCPU) != defined(RS_SIGXCPU)
#error "SIGXCPU and RS_SIGXCPU: one is defined, the other is not"
#elif defined(SIGXCPU)
SAME(RS_SIGXCPU, SIGXCPU);
#endif
#if defined(SIGXFSZ) != defined(RS_SIGXFSZ)
#error "SIGXFSZ and RS_SIGXFSZ: one is defined, the other is not"
#elif defined(SIGXFSZ)
SAME(RS_SIGXFSZ, SIGXFSZ);
#endif
#if defined(SIGINFO) != defined(RS_SIGINFO)
#error "SIGINFO and RS_SIGINFO: one is defined, the other is not"
#elif defined(SIGINFO)
SAME(RS_SIGINFO, SIGINFO);
#endif
#if defined(SIGSTKFLT) != defined(RS_SIGSTKFLT)
#error "SIGSTKFLT and RS_SIGSTKFLT: one is defined, the other is not"
#elif defined(SIGSTKFLT)
SAME(RS_SIGSTKFLT, SIGSTKFLT);
#endif

#if defined(SIG_BLOCK) && defined(RS_SIG_BLOCK)
SAME(RS_SIG_BLOCK, SIG_BLOCK);
#endif
#if defined(SIG_UNBLOCK) && defined(RS_SIG_UNBLOCK)
SAME(RS_SIG_UNBLOCK, SIG_UNBLOCK);
#endif
#if defined(SIG_SETMASK) && defined(RS_SIG_SETMASK)
SAME(RS_SIG_SETMASK, SIG_SETMASK);
#endif
#if defined(ITIMER_REAL) && defined(RS_ITIMER_REAL)
SAME(RS_ITIMER_REAL, ITIMER_REAL);
#endif
#if defined(ITIMER_VIRTUAL) && defined(RS_ITIMER_VIRTUAL)
SAME(RS_ITIMER_VIRTUAL, ITIMER_VIRTUAL);
#endif
#if defined(ITIMER_PROF) && defined(RS_ITIMER_PROF)
SAME(RS_ITIMER_PROF, ITIMER_PROF);
#endif
#if defined(CTRL_C_EVENT) && defined(RS_CTRL_C_EVENT)
SAME(RS_CTRL_C_EVENT, CTRL_C_EVENT);
#endif
#if defined(CTRL_BREAK_EVENT) && defined(RS_CTRL_BREAK_EVENT)
SAME(RS_CTRL_BREAK_EVENT, CTRL_BREAK_EVENT);
#endif

#if defined(_WIN32) && !(defined(RS_CTRL_C_EVENT) && defined(RS_CTRL_BREAK_EVENT))
#error "Windows: RS_CTRL_C_EVENT and RS_CTRL_BREAK_EVENT are missing"
#endif
#if !defined(_WIN32) && !(defined(RS_SIG_BLOCK) && defined(RS_ITIMER_REAL))
#error "RS_SIG_BLOCK or RS_ITIMER_REAL is missing"
#endif

int header_check_main(void);
int header_check_main(void) { return RS_SIGNAL_OK; }
