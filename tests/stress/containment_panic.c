/* Containment: a Rust panic inside an exported function never crosses the C
 * boundary; the call returns RS_SIGNAL_EINTERNAL and records it as the
 * thread's last error, and the library keeps working afterwards.
 *
 * Linked to a build with the `debug-panic` feature (see mk/reliability.mk),
 * whose rs_signal_debug_panic() panics inside the FFI guard. */
#define RSSIGNAL_DEBUG_PANIC 1
#include <pthread.h>

#include "common.h"

static int calls;
static int cb(int signum, void *data) {
    (void)signum;
    (void)data;
    calls++;
    return 0;
}

static void check_one_panic(const char *where) {
    int r = rs_signal_debug_panic();
    EXPECT(r == RS_SIGNAL_EINTERNAL, "%s: rs_signal_debug_panic returned %d", where, r);
    rs_signal_error e;
    memset(&e, 0, sizeof e);
    int st = rs_signal_last_error(&e);
    EXPECT(st == RS_SIGNAL_EINTERNAL && e.status == RS_SIGNAL_EINTERNAL, "%s: last error status %d", where, st);
    EXPECT(e.message && strstr(e.message, "internal error"), "%s: last error message \"%s\"", where,
           e.message ? e.message : "(null)");
}

static void *thread_main(void *p) {
    (void)p;
    check_one_panic("second thread");
    return NULL;
}

int main(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    printf("== containment: a panic inside an exported function\n");
    /* The first panic prints Rust's panic message on stderr; keep it visible. */
    check_one_panic("first call");

    /* 999 more, with stderr silenced: nothing may leak, abort or wedge. */
    fflush(stderr);
    int saved = dup(2);
    int devnull = open("/dev/null", O_WRONLY);
    if (saved < 0 || devnull < 0 || dup2(devnull, 2) != 2) return 2;
    for (int i = 0; i < 999; i++) check_one_panic("repeated call");
    pthread_t t;
    if (pthread_create(&t, NULL, thread_main, NULL) != 0) return 2;
    pthread_join(t, NULL);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    close(devnull);

    EXPECT(rs_signal_status_name(RS_SIGNAL_EINTERNAL) &&
               !strcmp(rs_signal_status_name(RS_SIGNAL_EINTERNAL), "RS_SIGNAL_EINTERNAL"),
           "status name");

    /* The library still works: handlers, dispatch, errors. */
    rs_signal_handler h = {RS_SIGNAL_HANDLER_CALLBACK, cb, NULL};
    int r = rs_signal_signal(SIGUSR1, &h, NULL);
    EXPECT(r == 0, "signal() after panics: %d %s", r, last_message());
    r = rs_signal_raise_signal(SIGUSR1);
    EXPECT(r == 0 && calls == 1, "raise after panics: %d, %d callbacks", r, calls);
    r = rs_signal_signal(0, &h, NULL);
    EXPECT(r == RS_SIGNAL_EVALUE, "an ordinary error after panics: %d", r);
    EXPECT(strstr(last_message(), "out of range") != NULL, "message after panics: %s", last_message());
    check_one_panic("after normal use");

    printf("  1001 panics caught (1000 on the main thread, 1 on another): each returned "
           "RS_SIGNAL_EINTERNAL with the last error set; the library kept working\n");
    printf("containment panic: %s\n", g_failures ? "FAILED" : "passed");
    return g_failures ? 1 : 0;
}
