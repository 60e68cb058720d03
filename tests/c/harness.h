/* Test harness of the rssignal C suite.
 *
 * A test is `TEST(name) { ... }` in any tests/c/test_*.c file; it registers
 * itself. The runner (runner.c) forks a fresh child for every test, so each
 * test starts with an untouched library, the default signal dispositions, an
 * empty signal mask and a single thread. A test passes when its body returns;
 * a failing CHECK prints where and why and ends the child with status 1;
 * SKIP(reason) ends it with status 77. The runner kills a test that runs past
 * its time limit (TEST_TIMEOUT seconds, or TEST_T(name, seconds)).
 */
#ifndef RSSIGNAL_HARNESS_H
#define RSSIGNAL_HARNESS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compat.h"
#include "rssignal.h"

#define TEST_TIMEOUT 20

typedef void (*test_fn)(void);
void harness_register(const char *name, test_fn fn, int timeout_s, const char *file);
void harness_fail(const char *file, int line, const char *fmt, ...)
    __attribute__((noreturn, format(printf, 3, 4)));
void harness_skip(const char *reason) __attribute__((noreturn));
/* Message of the calling thread's last error ("" when none). */
const char *harness_last_message(void);
int harness_last_status(void);
int harness_last_errno(void);

#define TEST_T(name, seconds)                                                        \
    static void name(void);                                                          \
    __attribute__((constructor)) static void register_##name(void) {                 \
        harness_register(#name, name, seconds, __FILE__);                            \
    }                                                                                \
    static void name(void)
#define TEST(name) TEST_T(name, TEST_TIMEOUT)

#define CHECK(cond)                                                                  \
    do {                                                                             \
        if (!(cond)) harness_fail(__FILE__, __LINE__, "CHECK(%s)", #cond);           \
    } while (0)

#define CHECK_EQ(a, b)                                                               \
    do {                                                                             \
        long long check_a_ = (long long)(a), check_b_ = (long long)(b);              \
        if (check_a_ != check_b_)                                                    \
            harness_fail(__FILE__, __LINE__, "%s == %s: %lld != %lld", #a, #b,       \
                         check_a_, check_b_);                                        \
    } while (0)

#define CHECK_STR_CONTAINS(haystack, needle)                                         \
    do {                                                                             \
        const char *check_h_ = (haystack), *check_n_ = (needle);                     \
        if (check_h_ == NULL || strstr(check_h_, check_n_) == NULL)                  \
            harness_fail(__FILE__, __LINE__, "\"%s\" does not contain \"%s\"",       \
                         check_h_ ? check_h_ : "(null)", check_n_);                  \
    } while (0)

/* `call` returns `status` and leaves that status (and, when `substr` is not
 * NULL, a message containing it) as the thread's last error. */
#define CHECK_FAILS(call, status, substr)                                            \
    do {                                                                             \
        int check_r_ = (call);                                                       \
        const char *check_s_ = (substr);                                             \
        if (check_r_ != (status))                                                    \
            harness_fail(__FILE__, __LINE__, "%s returned %d, expected %s (%d)",     \
                         #call, check_r_, #status, (int)(status));                   \
        if (harness_last_status() != (status))                                       \
            harness_fail(__FILE__, __LINE__, "last error status %d, expected %d",    \
                         harness_last_status(), (int)(status));                      \
        if (check_s_ != NULL) CHECK_STR_CONTAINS(harness_last_message(), check_s_);  \
    } while (0)

/* `call` returns RS_SIGNAL_OK. */
#define CHECK_OK(call)                                                               \
    do {                                                                             \
        int check_r_ = (call);                                                       \
        if (check_r_ != RS_SIGNAL_OK)                                                \
            harness_fail(__FILE__, __LINE__, "%s returned %d: %s", #call, check_r_,  \
                         harness_last_message());                                    \
    } while (0)

#define SKIP(reason) harness_skip(reason)

#endif
