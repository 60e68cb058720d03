/* make test-header: compiled as C99, C11, C++11 and C++17 with
 * -Wall -Wextra -Werror -pedantic against the installed rssignal.h. */
#include <rssignal.h>
#include <rssignal.h> /* include guard */

static int callback(int signum, void *user_data) {
    (void)user_data;
    return signum == RS_SIGUSR1 ? RS_SIGNAL_OK : RS_SIGNAL_EUSER;
}

int header_test(void);
int header_test(void) {
    rs_signal_handler h = {RS_SIGNAL_HANDLER_CALLBACK, callback, 0};
    rs_signal_error err = {0, 0, 0, 0, 0};
    rs_sigset set = {{0, 0}};
    rs_signal_siginfo info = {0, 0, 0, 0, 0, 0, 0};
    rs_signal_itimer_value itv = {0.0, 0.0};
    (void)info;
    (void)itv;
    (void)err;
    rs_sigset_add(&set, RS_SIGUSR1);
    return rs_signal_signal(RS_SIGUSR1, &h, 0) + rs_signal_check_inline() +
           (int)sizeof(RSSIGNAL_VERSION_STRING) + RS_NSIG + RSSIGNAL_VERSION_MAJOR;
}
