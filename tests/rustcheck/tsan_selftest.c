/* A deliberate data race, for `make tsan` to prove that ThreadSanitizer, as
 * linked there (gcc -fsanitize=thread objects + the nightly toolchain's TSan
 * runtime + the instrumented librssignal.a), reports one. Also calls into the
 * library from two threads, so the instrumented library is linked in. */
#include <pthread.h>
#include <stdio.h>

#include "rssignal.h"

static int shared_counter; /* written by two threads without synchronisation */

static void *bump(void *arg) {
    (void)arg;
    for (int i = 0; i < 1000; i++) shared_counter++;
    rs_signal_handler out;
    return (void *)(long)rs_signal_getsignal(RS_SIGUSR1, &out);
}

int main(void) {
    pthread_t a, b;
    pthread_create(&a, NULL, bump, NULL);
    pthread_create(&b, NULL, bump, NULL);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    printf("counter %d\n", shared_counter);
    return 0;
}
