/*
 * demo.h — the tiny check helper the example programs share. EXPECT(cond)
 * prints the condition with "ok" or "FAILED"; demo_exit() turns the count of
 * failures into the exit status, so `make demo` stops on the first program
 * whose story did not happen as told.
 */
#ifndef RSSIGNAL_DEMO_H
#define RSSIGNAL_DEMO_H

#include <stdio.h>

#include <rssignal.h>

static int demo_failures;

static inline void demo_expect(int ok, const char *cond, int line) {
    printf("    %-6s %s", ok ? "ok" : "FAILED", cond);
    if (!ok) {
        printf("   (line %d)", line);
        demo_failures++;
    }
    printf("\n");
}

#define EXPECT(cond) demo_expect((cond) ? 1 : 0, #cond, __LINE__)

static inline int demo_exit(const char *program) {
    if (demo_failures) {
        printf("%s: FAILED (%d check(s))\n", program, demo_failures);
        return 1;
    }
    printf("%s: OK\n", program);
    return 0;
}

/* A callback that counts its calls in the int at user_data and says so. */
static inline int counting(int signum, void *user_data) {
    int *calls = user_data;
    ++*calls;
    printf("    callback: %s\n", rs_signal_name(signum));
    return 0;
}

#endif
