/*
 * plugin_restore — give back what you took. The host installs its own
 * SIGUSR2 handler with sigaction(2) (SA_SIGINFO, a mask); a plug-in that
 * uses rssignal takes SIGUSR2 over while it is loaded, and on unload calls
 * rs_signal_restore(), which puts back the host's whole sigaction (handler,
 * flags, mask) exactly. Then the same again, except that a third party
 * installs its own handler before the plug-in unloads: restore sees that the
 * disposition is no longer rssignal's and leaves the third party's in place.
 *
 * Exits 0 when the plug-in's callback ran while it was loaded, the host's
 * handler is back after the first unload, with its flags and mask, and the
 * third party's handler is still there after the second.
 */
#include <rssignal.h>

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "demo.h"

/* ---- the host: a plain sigaction handler --------------------------------- */

static volatile sig_atomic_t host_hits;

static void host_handler(int signum, siginfo_t *info, void *ctx) {
    (void)signum;
    (void)info;
    (void)ctx;
    host_hits++;
}

/* A third party that comes later. */
static volatile sig_atomic_t late_hits;

static void late_handler(int signum) {
    (void)signum;
    late_hits++;
}

static void host_install(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = host_handler;
    sa.sa_flags = SA_SIGINFO | SA_RESTART;
    sigemptyset(&sa.sa_mask);
    sigaddset(&sa.sa_mask, SIGUSR1);
    sigaction(SIGUSR2, &sa, NULL);
}

/* Is the OS disposition of SIGUSR2 the host's, flags and mask included? */
static int host_handler_in_place(void) {
    struct sigaction now;
    sigaction(SIGUSR2, NULL, &now);
    return now.sa_sigaction == host_handler && (now.sa_flags & (SA_SIGINFO | SA_RESTART)) == (SA_SIGINFO | SA_RESTART) &&
           sigismember(&now.sa_mask, SIGUSR1) == 1;
}

/* ---- the plug-in: uses rssignal ------------------------------------------ */

static int plugin_calls;

static int plugin_callback(int signum, void *user_data) {
    (void)user_data;
    plugin_calls++;
    printf("    [plug-in] callback: %s\n", rs_signal_name(signum));
    return 0;
}

static void plugin_load(void) {
    rs_signal_handler h = {RS_SIGNAL_HANDLER_CALLBACK, plugin_callback, NULL};
    rs_signal_handler before;
    rs_signal_signal(RS_SIGUSR2, &h, &before);
    EXPECT(before.kind == RS_SIGNAL_HANDLER_FOREIGN); /* someone else's handler was there */
}

static void plugin_unload(void) {
    rs_signal_restore(RS_SIGUSR2); /* give back what we took, if it is still ours */
}

int main(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);

    printf("1. the host's handler; the plug-in loads, gets SIGUSR2, unloads\n");
    host_install();
    plugin_load();
    EXPECT(!host_handler_in_place());
    kill(getpid(), SIGUSR2);
    rs_signal_check(); /* the host's dispatch point */
    EXPECT(plugin_calls == 1 && host_hits == 0);
    plugin_unload();
    EXPECT(host_handler_in_place()); /* handler, flags and mask: all back */
    kill(getpid(), SIGUSR2);
    EXPECT(host_hits == 1 && plugin_calls == 1);

    printf("2. the plug-in loads again; a third party replaces its handler; the plug-in unloads\n");
    plugin_load();
    signal(SIGUSR2, late_handler); /* someone else's later change */
    plugin_unload();
    kill(getpid(), SIGUSR2);
    EXPECT(late_hits == 1 && host_hits == 1 && plugin_calls == 1); /* restore left theirs alone */
    return demo_exit("plugin_restore");
}
