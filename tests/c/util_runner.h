/* What the two runners of the C suites share: tests/c/runner.c (POSIX, a
 * forked child per test) and tests/cross/windows/runner.c (Windows, a child
 * process per test). It defines the harness's registration and last-error
 * functions (harness.h), so exactly one file of a program includes it.
 *
 * A runner supplies how one test runs (run_one: 0 passed, 1 failed, 2
 * skipped, and the text to show under its line) and the order of the tests,
 * and hands both to runner_main, which takes the arguments (names or
 * substrings of tests to run; --list prints the names), prints one line per
 * test and the closing line "N passed, N failed, N skipped", and with
 * RSSIGNAL_RESULT_FILE set appends the counts to that file as one line
 * "passed failed skipped" (what `make test` sums). */
#ifndef RSSIGNAL_UTIL_RUNNER_H
#define RSSIGNAL_UTIL_RUNNER_H

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

const char *harness_last_message(void) {
    rs_signal_error e;
    memset(&e, 0, sizeof e);
    rs_signal_last_error(&e);
    return e.message ? e.message : "(null)";
}

int harness_last_status(void) { return rs_signal_last_error(NULL); }

int harness_last_errno(void) {
    rs_signal_error e;
    memset(&e, 0, sizeof e);
    rs_signal_last_error(&e);
    return e.os_errno;
}

/* Runs one test: returns 0 (passed), 1 (failed) or 2 (skipped) and leaves in
 * out (NUL-terminated, possibly empty) what to show under its line. */
typedef int (*runner_run_fn)(const struct test_case *t, char *out, size_t out_size);

static int runner_wanted(const char *name, int argc, char **argv) {
    int any = 0;
    for (int i = 1; i < argc; i++) {
        if (argv[i][0] == '-') continue;
        any = 1;
        if (strstr(name, argv[i])) return 1;
    }
    return !any;
}

/* The runner's main (see the top of this file). No test registered at all
 * counts as a failure. Returns the exit status: 0 only when nothing failed. */
static int runner_main(int argc, char **argv, int (*order)(const void *, const void *), runner_run_fn run_one) {
    static char out[65536];
    int passed = 0, failed = 0, skipped = 0;
    qsort(tests, n_tests, sizeof tests[0], order);
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--list") == 0) {
            for (int j = 0; j < n_tests; j++) printf("%s\n", tests[j].name);
            return 0;
        }
    for (int i = 0; i < n_tests; i++) {
        const struct test_case *t = &tests[i];
        if (!runner_wanted(t->name, argc, argv)) continue;
        out[0] = 0;
        int r = run_one(t, out, sizeof out);
        if (r == 0) {
            printf("ok      %s\n", t->name);
            passed++;
        } else if (r == 2) {
            if (out[0])
                printf("SKIPPED %s: %s", t->name, out);
            else
                printf("SKIPPED %s\n", t->name);
            skipped++;
        } else {
            printf("FAIL    %s\n", t->name);
            for (char *line = strtok(out, "\n"); line; line = strtok(NULL, "\n"))
                printf("        | %s\n", line);
            failed++;
        }
        fflush(stdout);
    }
    if (n_tests == 0) {
        printf("no tests registered\n");
        failed++;
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

#endif
