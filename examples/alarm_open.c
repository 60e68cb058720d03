/*
 * alarm_open — the example of Python's signal module documentation, in C.
 *
 * The Python original:
 *
 *     def handler(signum, frame):
 *         signame = signal.Signals(signum).name
 *         print(f'Signal handler called with signal {signame} ({signum})')
 *         raise OSError("Couldn't open device!")
 *
 *     signal.signal(signal.SIGALRM, handler)
 *     signal.alarm(5)
 *     fd = os.open('/dev/ttyS0', os.O_RDWR)   # this open() may hang indefinitely
 *     signal.alarm(0)                          # disable the alarm
 *
 * Here the open() that hangs is the read side of a FIFO that nobody ever
 * opens for writing, and the alarm is 1 s. What happens, step by step:
 *
 *  1. SIGALRM arrives while open() blocks. rssignal's real handler only sets
 *     a flag (async-signal-safe); the callback does NOT run yet.
 *  2. rssignal installs callbacks without SA_RESTART, so open() fails with
 *     EINTR instead of being restarted by the kernel.
 *  3. Like Python's os.open (PEP 475), the program calls the dispatch point
 *     rs_signal_check() on EINTR. That runs the callback, as ordinary code on
 *     the main thread. The callback "raises" by returning a status
 *     <= RS_SIGNAL_EUSER, and rs_signal_check() returns that status, so the
 *     program stops retrying — Python's OSError propagating out of os.open.
 *
 * Exits 0 when that story happened as told, 1 otherwise.
 */
#include <rssignal.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* An application's own error code: callbacks "raise" with values <= RS_SIGNAL_EUSER. */
enum { APP_EDEVICE = RS_SIGNAL_EUSER };

struct alarm_state {
    int calls;              /* how often the callback ran */
    const char *exception;  /* the "exception" it raised */
};

static int on_alarm(int signum, void *user_data) {
    struct alarm_state *st = user_data;
    st->calls++;
    /* Ordinary code: printf is fine here, this is not a signal handler. */
    printf("   [callback] Signal handler called with signal %s (%d)\n", rs_signal_name(signum), signum);
    st->exception = "Couldn't open device!";
    return APP_EDEVICE; /* raise OSError("Couldn't open device!") */
}

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int failures;

static void expect(int ok, const char *what) {
    if (!ok) {
        printf("   UNEXPECTED: %s\n", what);
        failures++;
    }
}

int main(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);

    char dir[] = "/tmp/rssignal-alarm-XXXXXX";
    if (mkdtemp(dir) == NULL) {
        perror("mkdtemp");
        return 1;
    }
    char fifo[sizeof dir + 16];
    snprintf(fifo, sizeof fifo, "%s/device", dir);
    if (mkfifo(fifo, 0600) != 0) {
        perror("mkfifo");
        rmdir(dir);
        return 1;
    }
    printf("1. %s is a FIFO nobody will open for writing: open(O_RDONLY) on it blocks forever.\n", fifo);

    struct alarm_state st = {0, NULL};
    rs_signal_handler handler = {RS_SIGNAL_HANDLER_CALLBACK, on_alarm, &st};
    int rc = rs_signal_signal(RS_SIGALRM, &handler, NULL);
    if (rc != RS_SIGNAL_OK) {
        rs_signal_error err;
        rs_signal_last_error(&err);
        printf("rs_signal_signal(SIGALRM): %s: %s\n", rs_signal_status_name(rc), err.message);
        unlink(fifo);
        rmdir(dir);
        return 1;
    }
    printf("2. signal(SIGALRM, handler) -> rs_signal_signal(RS_SIGALRM, callback): installed without SA_RESTART.\n");

    unsigned int previous = rs_signal_alarm(1);
    printf("3. alarm(1) -> rs_signal_alarm(1) (previous alarm: %u s left)\n", previous);

    printf("4. open(\"%s\", O_RDONLY) ...\n", fifo);
    double start = now();
    int fd;
    int raised = RS_SIGNAL_OK;
    int interruptions = 0;
    /* PEP 475: retry on EINTR unless a signal callback raised. */
    for (;;) {
        fd = open(fifo, O_RDONLY);
        if (fd >= 0 || errno != EINTR) {
            break;
        }
        interruptions++;
        printf("   open() interrupted after %.2f s: %s (EINTR); callback calls so far: %d "
               "(the real handler only set a flag)\n",
               now() - start, strerror(errno), st.calls);
        expect(st.calls == 0, "the callback ran before the dispatch point");
        expect(rs_signal_pending() == 1, "rs_signal_pending() should say a dispatch would run something");

        printf("5. EINTR -> dispatch point: rs_signal_check()\n");
        raised = rs_signal_check();
        if (raised != RS_SIGNAL_OK) {
            break; /* the callback raised: stop retrying, propagate */
        }
        printf("   no callback raised: open() again\n");
    }

    if (fd >= 0) {
        printf("   open() succeeded?! (somebody opened the FIFO for writing)\n");
        close(fd);
        failures++;
    } else if (raised == RS_SIGNAL_OK) {
        printf("   open() failed: %s\n", strerror(errno));
        failures++;
    } else {
        rs_signal_error err;
        rs_signal_last_error(&err);
        printf("   rs_signal_check() returned %d (%s, the application's APP_EDEVICE): the callback's status\n",
               raised, rs_signal_status_name(raised));
        printf("   last error: signum %d (%s), handler_result %d\n", err.signum, rs_signal_name(err.signum),
               err.handler_result);
        printf("   callback for %s raised: %s\n", rs_signal_name(err.signum), st.exception ? st.exception : "?");
        expect(raised == APP_EDEVICE, "rs_signal_check() should return the callback's status");
        expect(err.signum == RS_SIGALRM && err.handler_result == APP_EDEVICE,
               "the last error should name SIGALRM and the callback's result");
        expect(st.calls == 1, "the callback should have run exactly once");
    }
    double elapsed = now() - start;
    expect(interruptions == 1, "open() should have been interrupted exactly once");
    expect(elapsed > 0.5 && elapsed < 5.0, "the alarm should have fired after about 1 s");

    unsigned int left = rs_signal_alarm(0);
    printf("6. alarm(0) -> rs_signal_alarm(0): alarm disabled (%u s were left)\n", left);

    rs_signal_handler dfl = {RS_SIG_DFL, NULL, NULL};
    rs_signal_signal(RS_SIGALRM, &dfl, NULL);
    unlink(fifo);
    rmdir(dir);
    printf("7. SIGALRM back to SIG_DFL, FIFO and %s removed.\n", dir);

    if (failures) {
        printf("alarm_open: %d unexpected step(s)\n", failures);
        return 1;
    }
    printf("alarm_open: OK: open() was interrupted, the callback ran at the dispatch point and its "
           "\"exception\" stopped the retry.\n");
    return 0;
}
