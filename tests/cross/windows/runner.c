/* The runner of the Windows C suite (tests/cross/windows/test_*.c), built with
 * MinGW and run under Wine by `make test-cross`. It implements the harness of
 * the POSIX suite (tests/c/harness.h: TEST, CHECK, CHECK_FAILS ...) without
 * fork: every test runs in a fresh child process (this program again, with
 * "--one NAME"), so each starts with an untouched library and the CRT's
 * default handlers. A test passes when the child exits 0; a failing CHECK
 * prints where and why and exits 1; SKIP exits 77; a child that runs past its
 * time limit is terminated and fails. Tests run in name order. Registration,
 * the per-test lines, the closing line "N passed, N failed, N skipped" and
 * the RSSIGNAL_RESULT_FILE counts are the POSIX runner's (tests/c/util_runner.h). */
#include <windows.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util_runner.h"

static char self[MAX_PATH];

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

static int by_name(const void *a, const void *b) {
    return strcmp(((const struct test_case *)a)->name, ((const struct test_case *)b)->name);
}

/* 0 pass, 1 fail, 2 skip; the child prints its own CHECK and SKIP lines,
 * out gets what the parent saw (a time-out, an odd exit code). */
static int run_child(const struct test_case *t, char *out, size_t out_size) {
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "\"%s\" --one %s", self, t->name);
    STARTUPINFOA si;
    PROCESS_INFORMATION pi;
    memset(&si, 0, sizeof si);
    si.cb = sizeof si;
    memset(&pi, 0, sizeof pi);
    fflush(NULL);
    if (!CreateProcessA(NULL, cmd, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi)) {
        snprintf(out, out_size, "CreateProcess(%s) failed: error %lu\n", cmd, GetLastError());
        return 1;
    }
    DWORD w = WaitForSingleObject(pi.hProcess, (DWORD)t->timeout_s * 1000);
    DWORD code = 1;
    if (w == WAIT_TIMEOUT) {
        TerminateProcess(pi.hProcess, 124);
        WaitForSingleObject(pi.hProcess, INFINITE);
        snprintf(out, out_size, "timed out after %d s\n", t->timeout_s);
    } else if (!GetExitCodeProcess(pi.hProcess, &code)) {
        code = 1;
    } else if (code != 0 && code != 77 && code != 1) {
        snprintf(out, out_size, "exit code %lu (0x%lx)\n", code, code);
    }
    CloseHandle(pi.hThread);
    CloseHandle(pi.hProcess);
    if (w == WAIT_TIMEOUT) return 1;
    return code == 0 ? 0 : code == 77 ? 2 : 1;
}

int main(int argc, char **argv) {
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
    if (!GetModuleFileNameA(NULL, self, sizeof self)) {
        fprintf(stderr, "GetModuleFileName failed: error %lu\n", GetLastError());
        return 2;
    }
    return runner_main(argc, argv, by_name, run_child);
}
