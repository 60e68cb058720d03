# NATIVE_STATIC_LIBS: what a program linked with librssignal.a needs besides
# the archive itself. Used by the .pc and CMake files of `make install`, by
# every static build of the C suite, the storms and the fuzzer; included by
# the top Makefile (with every mk/*.mk) and by tests/c/Makefile.
#
# It is rustc's `--print native-static-libs` for this toolchain, asked of an
# empty crate (which needs what rssignal needs: std's libraries; rssignal adds
# none), for RUST_TARGET when set (a cross build: that target's std must be
# installed), or the known x86_64 glibc answer when rustc gives none. Asked
# at most once per make process; pass NATIVE_STATIC_LIBS=... to skip asking.

ifndef NATIVE_STATIC_LIBS_MK
NATIVE_STATIC_LIBS_MK := 1
RUST_TARGET ?=
NATIVE_STATIC_LIBS_DEFAULT := -lgcc_s -lutil -lrt -lpthread -lm -ldl -lc
NATIVE_STATIC_LIBS ?= $(eval NATIVE_STATIC_LIBS := $(or $(shell d=$$(mktemp -d) && \
	echo 'pub fn f() {}' | rustc $(if $(RUST_TARGET),--target $(RUST_TARGET)) --crate-type staticlib \
	    --crate-name nsl --print native-static-libs -o $$d/nsl.a - 2>&1 | \
	sed -n 's/^note: native-static-libs: //p' | head -n1; rm -rf "$$d"),$(NATIVE_STATIC_LIBS_DEFAULT)))$(NATIVE_STATIC_LIBS)
endif
