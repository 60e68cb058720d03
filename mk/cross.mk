# Every platform rssignal supports, built and proved from this Linux x86_64 machine.
#
#   make test-cross        every row below (tests/cross/run.sh): one line per
#                          row with its counts, then "N passed, N failed, N skipped"
#   make cross-install     the toolchains (scripts/install-cross.sh; test-cross runs it)
#   make cross-reliability the storms on musl and aarch64, the interposer on aarch64
#   make cross-ROW         one row alone (after make cross-install): cross-musl cross-i686 cross-aarch64
#                          cross-macos-x86_64 cross-macos-aarch64 cross-freebsd cross-windows
#
# | row                 | proof                                                              |
# |---------------------|--------------------------------------------------------------------|
# | musl x86_64         | the whole C suite (fast, slow), statically linked, run natively    |
# | i686 glibc          | the whole C suite against the .so and the .a, run natively         |
# | aarch64 glibc       | the fast C suite (.so and .a) under qemu-aarch64, ctest2's layout  |
# |                     | and constant checks for aarch64 under qemu, a storm slice          |
# | macOS x86_64/arm64, | the library builds (.dylib/.so and .a, zig cc as the linker), the  |
# | FreeBSD x86_64      | header compiles against the target's headers (C11, C++11) and the  |
# |                     | fast and slow C suites link against the .a and the shared library  |
# | Windows x86_64      | rssignal.dll, its import library and librssignal.a (MinGW); the    |
# |                     | header check; tests/cross/windows (MinGW) run under Wine against   |
# |                     | the .dll and the .a                                                |
# Every row also compiles tests/cross/header_check.c with the row's compiler.
#
# The Rust library is built per target with LTO off and 16 codegen units (the
# release profile otherwise: quicker, same code paths), in build/cross/target;
# each target's linker comes from the environment of the cargo call, never
# from a checked-in .cargo/config (host builds stay untouched). Artifacts are
# staged in build/cross/<row>/lib, binaries in build/cross/<row>/.
# Each row writes its counts to build/cross/results/<row> ("passed failed
# skipped" per line); a row whose library does not build fails loudly.

.PHONY: test-cross cross-reliability cross-install cross-musl cross-i686 cross-aarch64 cross-macos-x86_64 \
        cross-macos-aarch64 cross-freebsd cross-windows cross-stress-musl cross-stress-aarch64 \
        cross-interposer-aarch64 cross-interposer-musl

CROSS_DIR     := $(CURDIR)/build/cross
CROSS_ROWS    := musl i686 aarch64 macos-x86_64 macos-aarch64 freebsd windows
CROSS_RESULT   = $(CROSS_DIR)/results/$(CROSS_ROW)
CROSS_CHECK    = $(CURDIR)/tests/cross/check.sh $(CROSS_RESULT)
CROSS_COUNTED  = $(CURDIR)/tests/tools/counted.sh $(CROSS_RESULT)
ZIG_CC        := $(CURDIR)/tests/cross/zig-cc
QEMU_AARCH64  := qemu-aarch64 -L /usr/aarch64-linux-gnu
CROSS_CFLAGS  := -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -I$(CURDIR)/include
CROSS_CARGO   := CARGO_TARGET_DIR=$(CROSS_DIR)/target \
	CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
	CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER=aarch64-linux-gnu-gcc \
	CARGO_TARGET_I686_UNKNOWN_LINUX_GNU_LINKER=i686-linux-gnu-gcc \
	CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER=x86_64-w64-mingw32-gcc \
	CARGO_TARGET_X86_64_APPLE_DARWIN_LINKER=$(ZIG_CC) \
	CARGO_TARGET_AARCH64_APPLE_DARWIN_LINKER=$(ZIG_CC) \
	CARGO_TARGET_X86_64_UNKNOWN_FREEBSD_LINKER=$(ZIG_CC) \
	$(CARGO) build --release --lib --manifest-path $(CURDIR)/Cargo.toml
# Rust's own musl pieces: the static link needs its self-contained libunwind.a.
MUSL_SELF      = $(shell rustc --print sysroot)/lib/rustlib/x86_64-unknown-linux-musl/lib/self-contained

test-cross:
	$(NEW_RESULT)
	tests/cross/run.sh $(RESULT) $(CROSS_ROWS)

cross-install:
	scripts/install-cross.sh

# $(call cross_lib,TRIPLE,ROW,ARTIFACTS...): build the library for TRIPLE and
# stage ARTIFACTS (file names in cargo's output dir) in build/cross/ROW/lib;
# a missing artifact fails. A .so is staged under its soname with the links.
define cross_lib
	@echo "== $(2): cargo build --release --target $(1)"
	@mkdir -p $(CROSS_DIR)/$(2)/lib $(CROSS_DIR)/results
	$(CROSS_CHECK) "$(2): the library builds for $(1)" \
	    env $(if $(3),RSSIGNAL_ZIG_TARGET=$(3)) $(CROSS_CARGO) --target $(1)
	@set -e; cd $(CROSS_DIR)/$(2)/lib; for f in $(4); do \
	    test -f $(CROSS_DIR)/target/$(1)/release/$$f || { echo "FAIL: $(1): no $$f built"; exit 1; }; \
	    cp -f $(CROSS_DIR)/target/$(1)/release/$$f .$$f.tmp; \
	    if [ $$f = librssignal.so ]; then mv -f .$$f.tmp librssignal.so.$(VERSION); \
	        ln -sf librssignal.so.$(VERSION) librssignal.so.$(MAJOR); ln -sf librssignal.so.$(MAJOR) librssignal.so; \
	    else mv -f .$$f.tmp $$f; fi; done
	@echo "   staged in build/cross/$(2)/lib: $(4)"
endef

# $(call cross_header,ROW,CC...): the header check with that compiler.
define cross_header
	$(CROSS_CHECK) "$(1): rssignal.h against the target's <signal.h> (C11)" \
	    $(2) $(CROSS_CFLAGS) -c -o /dev/null tests/cross/header_check.c
endef

# The C suite's own rules (tests/c/Makefile) for a cross build.
CROSS_SUITE = $(MAKE) --no-print-directory -C tests/c

# A row is a target whose prerequisites are its parts, run left to right;
# tests/cross/run.sh runs it with `make -k`, so a part that fails does not
# stop the others (the parts that need the library do not run without it).
# cross-reset-ROW empties the row's result file first.
cross-reset-%:
	@mkdir -p $(CROSS_DIR)/results && rm -f $(CROSS_DIR)/results/$*

# ---- Linux x86_64 musl: static, the whole suite --------------------------------

cross-musl: CROSS_ROW := musl
cross-musl-%: CROSS_ROW := musl
cross-musl: cross-reset-musl cross-musl-header cross-musl-lib cross-musl-suite cross-musl-static
cross-musl-header:
	$(call cross_header,musl,musl-gcc)
cross-musl-lib:
	$(call cross_lib,x86_64-unknown-linux-musl,musl,,librssignal.a)
cross-musl-suite: cross-musl-lib
	RSSIGNAL_RESULT_FILE=$(CROSS_RESULT) $(CROSS_SUITE) run-static run-slow-static \
	    CC=musl-gcc CFLAGS='-O1 -g -static' LIBDIR=$(CROSS_DIR)/musl/lib BUILD_DIR=$(CROSS_DIR)/musl \
	    STATIC_LIBS='$(MUSL_SELF)/libunwind.a -lc'
cross-musl-static: cross-musl-lib
	$(CROSS_CHECK) "musl: the suites are statically linked" \
	    sh -c 'for b in suite-static suite-slow-static; do readelf -lW $(CROSS_DIR)/musl/$$b | grep -q "Requesting program interpreter" && exit 1; readelf -dW $(CROSS_DIR)/musl/$$b | grep -q NEEDED && exit 1; done; exit 0'

# ---- Linux i686 glibc: the whole suite, natively ---------------------------------

cross-i686: CROSS_ROW := i686
cross-i686-%: CROSS_ROW := i686
cross-i686: cross-reset-i686 cross-i686-header cross-i686-lib cross-i686-suite
cross-i686-header:
	$(call cross_header,i686,i686-linux-gnu-gcc)
cross-i686-lib:
	$(call cross_lib,i686-unknown-linux-gnu,i686,,librssignal.so librssignal.a)
cross-i686-suite: cross-i686-lib
	RSSIGNAL_RESULT_FILE=$(CROSS_RESULT) RSSIGNAL_LIBDIR=$(CROSS_DIR)/i686/lib $(CROSS_SUITE) run run-slow \
	    CC=i686-linux-gnu-gcc LIBDIR=$(CROSS_DIR)/i686/lib BUILD_DIR=$(CROSS_DIR)/i686 \
	    RUST_TARGET=i686-unknown-linux-gnu

# ---- Linux aarch64 glibc under qemu-user -----------------------------------------------

AARCH64_STRESS_SECONDS ?= 3

cross-aarch64: CROSS_ROW := aarch64
cross-aarch64-%: CROSS_ROW := aarch64
cross-aarch64: cross-reset-aarch64 cross-aarch64-header cross-aarch64-lib cross-aarch64-suite \
               cross-aarch64-abi cross-aarch64-storms
cross-aarch64-header:
	$(call cross_header,aarch64,aarch64-linux-gnu-gcc)
cross-aarch64-lib:
	$(call cross_lib,aarch64-unknown-linux-gnu,aarch64,,librssignal.so librssignal.a)
cross-aarch64-suite: cross-aarch64-lib
	RSSIGNAL_RESULT_FILE=$(CROSS_RESULT) RSSIGNAL_LIBDIR=$(CROSS_DIR)/aarch64/lib $(CROSS_SUITE) run \
	    CC=aarch64-linux-gnu-gcc LIBDIR=$(CROSS_DIR)/aarch64/lib BUILD_DIR=$(CROSS_DIR)/aarch64 \
	    RUST_TARGET=aarch64-unknown-linux-gnu RUN_PREFIX='$(QEMU_AARCH64)'
# ctest2's C half compiled with aarch64-linux-gnu-gcc, the binary run by qemu.
cross-aarch64-abi: cross-aarch64-lib
	@echo "== aarch64: ctest2 (tests/abi) for aarch64, under qemu"
	CARGO_TARGET_DIR=$(CROSS_DIR)/abi-target CC_aarch64_unknown_linux_gnu=aarch64-linux-gnu-gcc \
	    CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER=aarch64-linux-gnu-gcc \
	    CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_RUNNER='$(QEMU_AARCH64)' \
	    RSSIGNAL_LIBDIR=$(CROSS_DIR)/aarch64/lib \
	    $(CROSS_COUNTED) $(CARGO) run --release --target aarch64-unknown-linux-gnu \
	    --manifest-path tests/abi/Cargo.toml
cross-aarch64-storms: cross-aarch64-lib
	@$(MAKE) --no-print-directory cross-stress-aarch64 CROSS_ROW=aarch64 \
	    CROSS_STRESS_SECONDS=$(AARCH64_STRESS_SECONDS)

# ---- macOS and FreeBSD: build and link (zig cc) -----------------------------------------

# $(call cross_link_row,ROW,TRIPLE,ZIG TARGET,SHARED LIB): header (C11 and
# C++11), library, then the fast and slow suites linked both ways.
define cross_link_row
cross-$(1): CROSS_ROW := $(1)
cross-$(1)-%: CROSS_ROW := $(1)
cross-$(1): cross-reset-$(1) cross-$(1)-header cross-$(1)-header-cxx cross-$(1)-lib cross-$(1)-suite
cross-$(1)-header:
	$$(call cross_header,$(1),env RSSIGNAL_ZIG_TARGET=$(3) $$(ZIG_CC))
cross-$(1)-header-cxx:
	$$(CROSS_CHECK) "$(1): rssignal.h as C++11" env RSSIGNAL_ZIG_TARGET=$(3) $$(ZIG_CC) -x c++ -std=c++11 \
	    -Wall -Wextra -Werror -I$$(CURDIR)/include -c -o /dev/null tests/cross/header_check.c
cross-$(1)-lib:
	$$(call cross_lib,$(2),$(1),$(3),$(4) librssignal.a)
cross-$(1)-suite: cross-$(1)-lib
	RSSIGNAL_ZIG_TARGET=$(3) $$(CROSS_CHECK) "$(1): the fast and slow C suites link (.a and $(4))" \
	    $$(CROSS_SUITE) bins slow-bins CC=$$(ZIG_CC) LIBDIR=$$(CROSS_DIR)/$(1)/lib BUILD_DIR=$$(CROSS_DIR)/$(1) \
	    RUST_TARGET=$(2) SHARED_LIB=$(4)
.PHONY: cross-$(1)-header cross-$(1)-header-cxx cross-$(1)-lib cross-$(1)-suite
endef
$(eval $(call cross_link_row,macos-x86_64,x86_64-apple-darwin,x86_64-macos,librssignal.dylib))
$(eval $(call cross_link_row,macos-aarch64,aarch64-apple-darwin,aarch64-macos,librssignal.dylib))
$(eval $(call cross_link_row,freebsd,x86_64-unknown-freebsd,x86_64-freebsd,librssignal.so))

# ---- Windows x86_64 (MinGW), the Windows suite under Wine --------------------------------

WIN_DIR     := $(CROSS_DIR)/windows
WIN_CC      := x86_64-w64-mingw32-gcc
WIN_SUITE   := tests/cross/windows/runner.c $(sort $(wildcard tests/cross/windows/test_*.c))
WIN_FLAGS   := -std=c99 -O1 -g -Wall -Wextra -Werror -I$(CURDIR)/include -I$(CURDIR)/tests/c
WIN_ENV     := WINEPREFIX=$(CROSS_DIR)/wineprefix WINEDEBUG=-all WINEARCH=win64
WIN_STATIC_LIBS := -lkernel32 -lntdll -luserenv -lws2_32 -ldbghelp

# Wine 8.0 has no bcryptprimitives.dll; Rust >= 1.78's std imports ProcessPrng
# from it, so a stub (ProcessPrng over RtlGenRandom) sits beside the programs.
$(WIN_DIR)/bcryptprimitives.dll: tests/cross/windows/bcryptprimitives.c tests/cross/windows/bcryptprimitives.def
	@mkdir -p $(@D)
	$(WIN_CC) -O2 -Wall -Wextra -Werror -shared $^ -ladvapi32 -o $@

cross-windows: CROSS_ROW := windows
cross-windows-%: CROSS_ROW := windows
cross-windows: cross-reset-windows cross-windows-header cross-windows-lib cross-windows-suite \
               cross-windows-run-dll cross-windows-run-static
cross-windows-header:
	$(call cross_header,windows,$(WIN_CC))
cross-windows-lib:
	$(call cross_lib,x86_64-pc-windows-gnu,windows,,rssignal.dll librssignal.dll.a librssignal.a)
cross-windows-suite: cross-windows-lib $(WIN_DIR)/bcryptprimitives.dll
	cp -f $(WIN_DIR)/lib/rssignal.dll $(WIN_DIR)/rssignal.dll
	$(CROSS_CHECK) "windows: the suite links against rssignal.dll (import library)" \
	    $(WIN_CC) $(WIN_FLAGS) $(WIN_SUITE) -L$(WIN_DIR)/lib -l:librssignal.dll.a -lws2_32 -o $(WIN_DIR)/suite-dll.exe
	$(CROSS_CHECK) "windows: the suite links against librssignal.a" \
	    $(WIN_CC) $(WIN_FLAGS) $(WIN_SUITE) $(WIN_DIR)/lib/librssignal.a $(WIN_STATIC_LIBS) -o $(WIN_DIR)/suite-static.exe
	@echo "== windows: a Wine prefix in build/cross/wineprefix"
	$(WIN_ENV) wine wineboot -i >/dev/null 2>&1
	$(WIN_ENV) wineserver -w
cross-windows-run-dll: cross-windows-suite
	@echo "== windows: the Windows suite against rssignal.dll, under Wine"
	cd $(WIN_DIR) && $(WIN_ENV) $(CROSS_COUNTED) timeout -k 10 300 wine ./suite-dll.exe
cross-windows-run-static: cross-windows-suite
	@echo "== windows: the Windows suite against librssignal.a, under Wine"
	cd $(WIN_DIR) && $(WIN_ENV) $(CROSS_COUNTED) timeout -k 10 300 wine ./suite-static.exe

# ---- storms and the interposer on other Linux targets ---------------------------------------

STRESS_SLICE         ?= storm fork wakeup-full wakeup-closed
CROSS_STRESS_SECONDS ?= 10
STRESS_SRC := tests/stress/stress.c tests/stress/common.h include/rssignal.h

# The storms of tests/stress for aarch64 (under qemu) and musl (static):
# `make cross-stress-aarch64 CROSS_STRESS_SECONDS=30` is `make stress`'s storms there.
cross-stress-aarch64: CROSS_ROW = stress-aarch64
cross-stress-aarch64:
	@test -f $(CROSS_DIR)/aarch64/lib/librssignal.so || $(MAKE) --no-print-directory cross-aarch64-lib CROSS_ROW=$(CROSS_ROW)
	@mkdir -p $(CROSS_DIR)/aarch64 $(CROSS_DIR)/results
	aarch64-linux-gnu-gcc $(REL_CFLAGS) tests/stress/stress.c -L$(CROSS_DIR)/aarch64/lib -lrssignal \
	    -Wl,-rpath,$(CROSS_DIR)/aarch64/lib -lpthread -o $(CROSS_DIR)/aarch64/stress
	$(CROSS_COUNTED) tests/stress/run.sh -t $$(( $(CROSS_STRESS_SECONDS) + 120 )) \
	    $(foreach s,$(STRESS_SLICE),'aarch64 stress $(s) $(CROSS_STRESS_SECONDS) s::$(QEMU_AARCH64) $(CROSS_DIR)/aarch64/stress $(s) $(CROSS_STRESS_SECONDS)')

cross-stress-musl: CROSS_ROW = stress-musl
cross-stress-musl:
	@test -f $(CROSS_DIR)/musl/lib/librssignal.a || $(MAKE) --no-print-directory cross-musl-lib CROSS_ROW=$(CROSS_ROW)
	@mkdir -p $(CROSS_DIR)/musl $(CROSS_DIR)/results
	musl-gcc -static $(REL_CFLAGS) tests/stress/stress.c $(CROSS_DIR)/musl/lib/librssignal.a \
	    $(MUSL_SELF)/libunwind.a -lpthread -o $(CROSS_DIR)/musl/stress
	$(CROSS_COUNTED) tests/stress/run.sh -t $$(( $(CROSS_STRESS_SECONDS) + 120 )) \
	    $(foreach s,$(STRESS_SLICE),'musl stress $(s) $(CROSS_STRESS_SECONDS) s::$(CROSS_DIR)/musl/stress $(s) $(CROSS_STRESS_SECONDS)')

# `make stress`'s storms (bounded: CROSS_STRESS_SECONDS each, default 10) on
# musl and on aarch64, and the interposer check on aarch64; not part of
# `make test` (a few minutes under qemu). The musl build is static, so
# LD_PRELOAD has nothing to preload into: no interposer run there.
cross-reliability:
	@mkdir -p $(CROSS_DIR)/results && cd $(CROSS_DIR)/results && rm -f stress-musl stress-aarch64 interposer-aarch64
	-@$(MAKE) --no-print-directory -k cross-stress-musl
	-@$(MAKE) --no-print-directory -k cross-stress-aarch64
	-@$(MAKE) --no-print-directory -k cross-interposer-aarch64
	@cat $(CROSS_DIR)/results/stress-musl $(CROSS_DIR)/results/stress-aarch64 \
	    $(CROSS_DIR)/results/interposer-aarch64 2>/dev/null | \
	    awk '{ p += $$1; f += $$2; s += $$3 } END { printf "cross-reliability: %d passed, %d failed, %d skipped\n", p, f, s; exit f > 0 || NR < 3 }'

# The async-signal-safety interposer (tests/tools/interposer/check.sh: its
# self-test, the C suite and the storms under LD_PRELOAD) for aarch64, every
# program run by qemu (LD_PRELOAD passed with qemu's -E), and the handler
# call-graph check on the aarch64 library's disassembly, with the proof that
# it rejects the self-test's bad handler there too.
A64_INTERPOSER := $(CROSS_DIR)/aarch64/interposer
A64_CC         := aarch64-linux-gnu-gcc

cross-interposer-aarch64: CROSS_ROW = interposer-aarch64
cross-interposer-aarch64:
	@test -f $(CROSS_DIR)/aarch64/lib/librssignal.so || $(MAKE) --no-print-directory cross-aarch64-lib CROSS_ROW=$(CROSS_ROW)
	@mkdir -p $(A64_INTERPOSER) $(CROSS_DIR)/results
	$(A64_CC) -std=gnu11 -O2 -g -Wall -Wextra -Werror -fPIC -shared tests/tools/interposer/interposer.c -ldl \
	    -o $(A64_INTERPOSER)/asyncsafe-interposer.so
	$(A64_CC) -O1 -g -fPIC -shared tests/tools/interposer/tlstouch.c -o $(A64_INTERPOSER)/libtlstouch.so
	$(A64_CC) -std=gnu11 -O1 -g -Wall -Wextra -Werror tests/tools/interposer/selftest.c -L$(A64_INTERPOSER) \
	    -ltlstouch -Wl,-rpath,$(A64_INTERPOSER) -lpthread -o $(A64_INTERPOSER)/selftest
	$(A64_CC) $(REL_CFLAGS) tests/stress/stress.c -L$(CROSS_DIR)/aarch64/lib -lrssignal \
	    -Wl,-rpath,$(CROSS_DIR)/aarch64/lib -lpthread -o $(A64_INTERPOSER)/stress
	$(CROSS_SUITE) bins CC=$(A64_CC) LIBDIR=$(CROSS_DIR)/aarch64/lib BUILD_DIR=$(A64_INTERPOSER) \
	    RUST_TARGET=aarch64-unknown-linux-gnu
	$(CROSS_COUNTED) python3 tests/tools/handler-callgraph.py $(CROSS_DIR)/aarch64/lib/librssignal.so
	$(CROSS_CHECK) "aarch64: the call-graph check rejects the self-test's bad handler" \
	    sh -c '! python3 tests/tools/handler-callgraph.py $(A64_INTERPOSER)/selftest --root "^handler$$"'
	RSSIGNAL_LIBDIR=$(CROSS_DIR)/aarch64/lib RUN_PREFIX='$(QEMU_AARCH64)' NM=aarch64-linux-gnu-nm \
	    STORM_SECONDS=$(CROSS_STRESS_SECONDS) \
	    $(CROSS_COUNTED) tests/tools/interposer/check.sh $(A64_INTERPOSER) $(A64_INTERPOSER)/stress

.PHONY: $(foreach r,musl i686 aarch64 windows,cross-$(r)-header cross-$(r)-lib cross-$(r)-suite) cross-musl-static \
        cross-aarch64-abi cross-aarch64-storms cross-windows-run-dll cross-windows-run-static
