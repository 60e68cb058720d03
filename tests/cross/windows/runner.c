/* The runner of the Windows C suite (tests/cross/windows/test_*.c), built with
 * MinGW and run under Wine by `make test-cross`. It implements the harness of
 * the POSIX suite (tests/c/harness.h: TEST, CHECK, CHECK_FAILS ...) without
 * fork: every test runs in a fresh child process (this program again, with
 * "--one NAME"), so each starts with an untouched library and the CRT's
 * default handlers. A test passes when the child exits 0; a failing CHECK
 * prints where and why and exits 1; SKIP exits 77; a child that runs past its
 * time limit is terminated and fails. Tests run in name order. Prints one line per test and closes
 * with "N passed, N failed, N skipped"; with RSSIGNAL_RESULT_FILE set, the
 * counts are also appended to that file as "passed failed skipped". */
#include <windows.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define MAX_TESTS 256

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
    printf("        | %s:%d: ", file, line);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
    fflush(NULL);
    ExitProcess(1);
}

void harness_skip(const char *reason) {
    printf("        | %s\n", reason);
    fflush(NULL);
    ExitProcess(77);
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

static int by_name(const void *a, const void *b) {
    return strcmp(((const struct test_case *)a)->name, ((const struct test_case *)b)->name);
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

/* 0 pass, 1 fail, 2 skip */
static int run_child(const char *self, const struct test_case *t) {
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "\"%s\" --one %s", self, t->name);
    STARTUPINFOA si;
    PROCESS_INFORMATION pi;
    memset(&si, 0, sizeof si);
    si.cb = sizeof si;
    memset(&pi, 0, sizeof pi);
    fflush(NULL);
    if (!CreateProcessA(NULL, cmd, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi)) {
        fprintf(stderr, "        | CreateProcess(%s) failed: error %lu\n", cmd, GetLastError());
        return 1;
    }
    DWORD w = WaitForSingleObject(pi.hProcess, (DWORD)t->timeout_s * 1000);
    DWORD code = 1;
    if (w == WAIT_TIMEOUT) {
        TerminateProcess(pi.hProcess, 124);
        WaitForSingleObject(pi.hProcess, INFINITE);
        printf("        | timed out after %d s\n", t->timeout_s);
    } else if (!GetExitCodeProcess(pi.hProcess, &code)) {
        code = 1;
    } else if (code != 0 && code != 77 && code != 1) {
        printf("        | exit code %lu (0x%lx)\n", code, code);
    }
    CloseHandle(pi.hThread);
    CloseHandle(pi.hProcess);
    if (w == WAIT_TIMEOUT) return 1;
    return code == 0 ? 0 : code == 77 ? 2 : 1;
}

int main(int argc, char **argv) {
    char self[MAX_PATH];
    setvbuf(stdout, NULL, _IONBF, 0);
    setvbuf(stderr, NULL, _IONBF, 0);
    if (argc == 3 && strcmp(argv[1], "--one") == 0) {
        for (int i = 0; i < n_tests; i++)
            if (strcmp(tests[i].name, argv[2]) == 0) {
                tests[i].fn();
                fflush(NULL);
                return 0;
            }
        fprintf(stderr, "no test named %s\n", argv[2]);
        return 2;
    }
    qsort(tests, n_tests, sizeof tests[0], by_name);
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--list") == 0) {
            for (int j = 0; j < n_tests; j++) printf("%s\n", tests[j].name);
            return 0;
        }
    if (!GetModuleFileNameA(NULL, self, sizeof self)) {
        fprintf(stderr, "GetModuleFileName failed: error %lu\n", GetLastError());
        return 2;
    }
    int passed = 0, failed = 0, skipped = 0;
    for (int i = 0; i < n_tests; i++) {
        const struct test_case *t = &tests[i];
        if (!wanted(t->name, argc, argv)) continue;
        int r = run_child(self, t);
        if (r == 0) {
            printf("ok      %s\n", t->name);
            passed++;
        } else if (r == 2) {
            printf("SKIPPED %s\n", t->name);
            skipped++;
        } else {
            printf("FAIL    %s\n", t->name);
            failed++;
        }
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
