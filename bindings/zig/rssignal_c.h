/* What bindings/zig translates with addTranslateC: the installed header,
 * found through pkg-config (linkSystemLibrary("rssignal")). */
#include <rssignal.h>
