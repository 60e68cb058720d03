/* The runner of the C suite: one forked child per test, output captured and
 * shown for failures, a time limit per test, one line per test and the closing
 * line "N passed, N failed, N skipped". Arguments: names (or substrings) of
 * tests to run; --list prints the names. Exit status 0 only when nothing failed.
 * With RSSIGNAL_RESULT_FILE set, the counts are also appended to that file as one
 * line "passed failed skipped" (what `make test` sums). */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

#define MAX_TESTS 512

struct test_case {
    const char *name;
    test_fn fn;
    int timeout_s;
    const char *file;
};

static struct test_case tests[MAX_TESTS];
static int n_tests;

void harness_register(const char *name, test_fn fn, int timeout_s, const char *file) {
    if (n_tests == MAX_TESTS) {
        fprintf(stderr, "too many tests\n");
        abort();
    }
    tests[n_tests].name = name;
    tests[n_tests].fn = fn;
    tests[n_tests].timeout_s = timeout_s;
    tests[n_tests].file = file;
    n_tests++;
}

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

const char *harness_last_message(void) {
    rs_signal_error e;
    rs_signal_last_error(&e);
    return e.message ? e.message : "(null)";
}

int harness_last_status(void) { return rs_signal_last_error(NULL); }

int harness_last_errno(void) {
    rs_signal_error e;
    rs_signal_last_error(&e);
    return e.os_errno;
}

static int by_file_then_order(const void *a, const void *b) {
    const struct test_case *x = a, *y = b;
    int c = strcmp(x->file, y->file);
    if (c) return c;
    return x < y ? -1 : x > y;
}

static int wanted(const char *name, int argc, char **argv) {
    int any = 0;
    for (int i = 1; i < argc; i++) {
        if (argv[i][0] == '-') continue;
        any = 1;
        if (strstr(name, argv[i])) return 1;
    }
    return !any;
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

int main(int argc, char **argv) {
    static char out[65536];
    int passed = 0, failed = 0, skipped = 0;
    qsort(tests, n_tests, sizeof tests[0], by_file_then_order);
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--list") == 0) {
            for (int j = 0; j < n_tests; j++) printf("%s\n", tests[j].name);
            return 0;
        }
    for (int i = 0; i < n_tests; i++) {
        const struct test_case *t = &tests[i];
        if (!wanted(t->name, argc, argv)) continue;
        int r = run_one(t, out, sizeof out);
        if (r == 0) {
            printf("ok      %s\n", t->name);
            passed++;
        } else if (r == 2) {
            printf("SKIPPED %s: %s", t->name, out[0] ? out : "(no reason)\n");
            skipped++;
        } else {
            printf("FAIL    %s\n", t->name);
            for (char *line = strtok(out, "\n"); line; line = strtok(NULL, "\n"))
                printf("        | %s\n", line);
            failed++;
        }
        fflush(stdout);
    }
    printf("%d passed, %d failed, %d skipped\n", passed, failed, skipped);
    const char *result_file = getenv("RSSIGNAL_RESULT_FILE");
    if (result_file && *result_file) {
        FILE *f = fopen(result_file, "a");
        int ok = f && fprintf(f, "%d %d %d\n", passed, failed, skipped) > 0;
        if (f && fclose(f) != 0) ok = 0;
        if (!ok) {
            fprintf(stderr, "runner: cannot append the counts to %s: %s\n", result_file, strerror(errno));
            return 1;
        }
    }
    return failed ? 1 : 0;
}
