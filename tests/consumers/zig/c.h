/* The C this consumer calls, for build.zig's addTranslateC: the installed
 * rssignal.h (found through pkg-config) and the libc functions it needs. */
#include <rssignal.h>

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>
