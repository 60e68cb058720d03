/* The runner of the C suite: one forked child per test, output captured and
 * shown for failures, a time limit per test, one line per test and the closing
 * line "N passed, N failed, N skipped". Arguments: names (or substrings) of
 * tests to run; --list prints the names. Exit status 0 only when nothing failed.
 * With RSSIGNAL_RESULT_FILE set, the counts are also appended to that file as one
 * line "passed failed skipped" (what `make test` sums). What it shares with the
 * Windows runner is util_runner.h. */
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "util_runner.h"

void harness_fail(const char *file, int line, const char *fmt, ...) {
    va_list ap;
    fprintf(stderr, "%s:%d: ", file, line);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n");
    fflush(NULL);
    _exit(1);
}

void harness_skip(const char *reason) {
    fprintf(stderr, "%s\n", reason);
    fflush(NULL);
    _exit(77);
}

static int by_file_then_order(const void *a, const void *b) {
    const struct test_case *x = a, *y = b;
    int c = strcmp(x->file, y->file);
    if (c) return c;
    return x < y ? -1 : x > y;
}

/* Run one test in a child; returns 0 pass, 1 fail, 2 skip. */
static int run_one(const struct test_case *t, char *out, size_t out_size) {
    FILE *cap = tmpfile();
    if (!cap) {
        perror("tmpfile");
        exit(2);
    }
    sigset_t chld, empty;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    sigemptyset(&empty);
    sigprocmask(SIG_BLOCK, &chld, NULL);
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        perror("fork");
        exit(2);
    }
    if (pid == 0) {
        dup2(fileno(cap), 1);
        dup2(fileno(cap), 2);
        setvbuf(stdout, NULL, _IONBF, 0);
        signal(SIGCHLD, SIG_DFL);
        sigprocmask(SIG_SETMASK, &empty, NULL);
        t->fn();
        fflush(NULL);
        _exit(0);
    }
    struct timespec deadline;
    clock_gettime(CLOCK_MONOTONIC, &deadline);
    deadline.tv_sec += t->timeout_s;
    int status = 0, timed_out = 0;
    for (;;) {
        pid_t w = waitpid(pid, &status, WNOHANG);
        if (w == pid) break;
        struct timespec now, left;
        clock_gettime(CLOCK_MONOTONIC, &now);
        long long ns = (deadline.tv_sec - now.tv_sec) * 1000000000LL + (deadline.tv_nsec - now.tv_nsec);
        if (ns <= 0) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            timed_out = 1;
            break;
        }
        left.tv_sec = ns / 1000000000LL;
        left.tv_nsec = ns % 1000000000LL;
        sigtimedwait(&chld, NULL, &left); /* woken by SIGCHLD or the deadline */
    }
    sigprocmask(SIG_UNBLOCK, &chld, NULL);
    rewind(cap);
    size_t n = fread(out, 1, out_size - 1, cap);
    out[n] = 0;
    fclose(cap);
    if (timed_out) {
        snprintf(out + n, out_size - n, "timed out after %d s\n", t->timeout_s);
        return 1;
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return 0;
    if (WIFEXITED(status) && WEXITSTATUS(status) == 77) return 2;
    if (WIFEXITED(status))
        snprintf(out + n, out_size - n, "exit status %d\n", WEXITSTATUS(status));
    else if (WIFSIGNALED(status))
        snprintf(out + n, out_size - n, "killed by signal %d (%s)\n", WTERMSIG(status),
                 strsignal(WTERMSIG(status)));
    return 1;
}

int main(int argc, char **argv) { return runner_main(argc, argv, by_file_then_order, run_one); }
