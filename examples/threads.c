/*
 * threads — the main thread runs the callbacks; rs_signal_set_main_thread()
 * hands that role to another thread (an event-loop thread, Go, an embedder).
 * The README's "main thread" snippet comes from this file.
 */
#include <rssignal.h>

#include <pthread.h>
#include <signal.h>
#include <stdio.h>

#include "demo.h"

static pthread_barrier_t barrier;
static pthread_t ran_on;
static int calls;

static int on_usr1(int signum, void *user_data) {
    (void)user_data;
    ran_on = pthread_self();
    calls++;
    printf("    callback: %s on the loop thread\n", rs_signal_name(signum));
    return 0;
}

static void *loop_thread(void *arg) {
    (void)arg;
    rs_signal_set_main_thread(); /* from now on, this thread dispatches */
    rs_signal_handler h = {RS_SIGNAL_HANDLER_CALLBACK, on_usr1, NULL};
    rs_signal_signal(RS_SIGUSR1, &h, NULL); /* allowed: this is the main thread now */

    pthread_barrier_wait(&barrier); /* 1: ready */
    pthread_barrier_wait(&barrier); /* 2: the initial thread has received SIGUSR1 */
    EXPECT(rs_signal_pending() == 1);
    EXPECT(rs_signal_check() == RS_SIGNAL_OK && calls == 1);
    return NULL;
}

int main(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    pthread_barrier_init(&barrier, NULL, 2);

    printf("1. the initial thread is the main thread until another one says otherwise\n");
    EXPECT(rs_signal_is_main_thread() == 1);

    pthread_t loop;
    pthread_create(&loop, NULL, loop_thread, NULL);
    pthread_barrier_wait(&barrier); /* 1 */

    printf("2. a loop thread called rs_signal_set_main_thread(): the initial thread is not main any more\n");
    EXPECT(rs_signal_is_main_thread() == 0);
    rs_signal_handler dfl = {RS_SIG_DFL, NULL, NULL};
    int rc = rs_signal_signal(RS_SIGUSR2, &dfl, NULL);
    rs_signal_error err;
    rs_signal_last_error(&err);
    printf("    rs_signal_signal() here: %s: %s\n", rs_signal_status_name(rc), err.message);
    EXPECT(rc == RS_SIGNAL_EVALUE);

    printf("3. SIGUSR1 is delivered to the initial thread: its handler trips the flag,\n"
           "   but dispatch points on this thread do nothing\n");
    raise(SIGUSR1);
    EXPECT(rs_signal_pending() == 0 && rs_signal_check() == RS_SIGNAL_OK && calls == 0);

    printf("4. the loop thread's dispatch point runs the callback\n");
    pthread_barrier_wait(&barrier); /* 2 */
    pthread_join(loop, NULL);
    EXPECT(calls == 1 && pthread_equal(ran_on, loop));

    rs_signal_set_main_thread(); /* take the role back */
    rs_signal_signal(RS_SIGUSR1, &dfl, NULL);
    pthread_barrier_destroy(&barrier);
    return demo_exit("threads");
}
