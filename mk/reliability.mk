# Reliability: "nothing lost, nothing crashed". See docs/reliability.md.
#
#   make stress            the storms (30 s each: storm, fork, wakeup-full,
#                          wakeup-closed) and the containment tests; a few minutes
#   make stress-quick      a 20-second slice of the same (for `make test`)
#   make sanitize          the C suite under gcc ASan+UBSan and under valgrind memcheck
#   make fuzz              the libFuzzer harness, FUZZ_SECONDS (default 600)
#   make interposer-check  the async-signal-safety interposer: self-test, then
#                          the C suite and the storms under LD_PRELOAD
#   make containment       the panic and dlclose containment tests alone
#   make handler-callgraph what the signal handler calls, from objdump
#
# Every binary goes to build/ (stress, sanitize, fuzz, interposer,
# debug-panic-*). Each target ends with one "N passed, N failed, 0 skipped"
# line and fails when anything failed.

.PHONY: stress stress-quick sanitize sanitize-asan sanitize-valgrind fuzz fuzz-build \
        interposer-check containment debug-panic-lib handler-callgraph rel-stress-bins \
        rel-interposer-bins rel-sanitize-bins fuzz-toolchain

REL_CC       ?= gcc
REL_CFLAGS   := -std=gnu11 -O2 -g -Wall -Wextra -Werror -D_GNU_SOURCE -I$(CURDIR)/include
STRESS_DIR   := $(CURDIR)/build/stress
STRESS_SECONDS ?= 30

# ---- the storms and the containment tests ------------------------------------

$(STRESS_DIR)/stress: tests/stress/stress.c tests/stress/common.h include/rssignal.h $(STAGE_LIBDIR)/librssignal.so
	@mkdir -p $(@D)
	$(REL_CC) $(REL_CFLAGS) tests/stress/stress.c -L$(STAGE_LIBDIR) -lrssignal -Wl,-rpath,$(STAGE_LIBDIR) -lpthread -o $@

$(STRESS_DIR)/containment_dlclose: tests/stress/containment_dlclose.c tests/stress/common.h include/rssignal.h
	@mkdir -p $(@D)
	$(REL_CC) $(REL_CFLAGS) tests/stress/containment_dlclose.c -ldl -lpthread -o $@

$(STRESS_DIR)/wakeup_swap_race: tests/stress/wakeup_swap_race.c tests/stress/common.h include/rssignal.h $(STAGE_LIBDIR)/librssignal.so
	@mkdir -p $(@D)
	$(REL_CC) $(REL_CFLAGS) tests/stress/wakeup_swap_race.c -L$(STAGE_LIBDIR) -lrssignal -Wl,-rpath,$(STAGE_LIBDIR) -lpthread -o $@

rel-stress-bins: $(STRESS_DIR)/stress $(STRESS_DIR)/containment_dlclose $(STRESS_DIR)/wakeup_swap_race

# The library built with the `debug-panic` feature, in its own target dir
# (never target/), staged with its soname link so the test finds this copy.
DEBUG_PANIC_TARGET := $(CURDIR)/build/debug-panic-target
DEBUG_PANIC_LIB    := $(CURDIR)/build/debug-panic-lib

debug-panic-lib:
	CARGO_TARGET_DIR=$(DEBUG_PANIC_TARGET) $(CARGO) build --release --features debug-panic \
	    --manifest-path $(CURDIR)/Cargo.toml
	@mkdir -p $(DEBUG_PANIC_LIB)
	cp -f $(DEBUG_PANIC_TARGET)/release/librssignal.so $(DEBUG_PANIC_LIB)/.librssignal.so.tmp
	mv -f $(DEBUG_PANIC_LIB)/.librssignal.so.tmp $(DEBUG_PANIC_LIB)/librssignal.so.$(MAJOR)
	ln -sf librssignal.so.$(MAJOR) $(DEBUG_PANIC_LIB)/librssignal.so
	@mkdir -p $(STRESS_DIR)
	$(REL_CC) $(REL_CFLAGS) tests/stress/containment_panic.c -L$(DEBUG_PANIC_LIB) -lrssignal \
	    -Wl,-rpath,$(DEBUG_PANIC_LIB) -lpthread -o $(STRESS_DIR)/containment_panic

CONTAINMENT_CMDS := \
	'$(STRESS_DIR)/containment_dlclose $(STAGE_LIBDIR)/librssignal.so' \
	'RUST_BACKTRACE=0 $(STRESS_DIR)/containment_panic'

containment: build debug-panic-lib
	$(NEW_RESULT)
	@$(MAKE) --no-print-directory rel-stress-bins
	$(COUNTED) tests/stress/run.sh -t 120 $(CONTAINMENT_CMDS)

stress: build debug-panic-lib
	$(NEW_RESULT)
	@$(MAKE) --no-print-directory rel-stress-bins
	$(COUNTED) tests/stress/run.sh -t $$(( $(STRESS_SECONDS) + 120 )) \
	    '$(STRESS_DIR)/stress storm $(STRESS_SECONDS)' \
	    '$(STRESS_DIR)/stress fork $(STRESS_SECONDS)' \
	    '$(STRESS_DIR)/stress wakeup-full $(STRESS_SECONDS)' \
	    '$(STRESS_DIR)/stress wakeup-closed $(STRESS_SECONDS)' \
	    '$(STRESS_DIR)/wakeup_swap_race 1000000' \
	    $(CONTAINMENT_CMDS)

# 20 seconds of storms (8 + 6 + 3 + 3), the wakeup-fd swap race and the
# dlclose test; no cargo build
# beyond `make build`.
stress-quick: build
	$(NEW_RESULT)
	@$(MAKE) --no-print-directory rel-stress-bins
	$(COUNTED) tests/stress/run.sh -t 120 \
	    '$(STRESS_DIR)/stress storm 8' \
	    '$(STRESS_DIR)/stress fork 6' \
	    '$(STRESS_DIR)/stress wakeup-full 3' \
	    '$(STRESS_DIR)/stress wakeup-closed 3' \
	    '$(STRESS_DIR)/wakeup_swap_race 200000' \
	    '$(STRESS_DIR)/containment_dlclose $(STAGE_LIBDIR)/librssignal.so'

# ---- the C suite: built by its own rules (tests/c/Makefile) into our dirs --------

REL_SUITE = $(MAKE) --no-print-directory -C tests/c CC=$(REL_CC) LIBDIR=$(STAGE_LIBDIR)

# ---- async-signal-safety: the interposer ------------------------------------------

INTERPOSER_DIR := $(CURDIR)/build/interposer
STORM_SECONDS  ?= 10

$(INTERPOSER_DIR)/asyncsafe-interposer.so: tests/tools/interposer/interposer.c
	@mkdir -p $(@D)
	$(REL_CC) -std=gnu11 -O2 -g -Wall -Wextra -Werror -fPIC -shared $< -ldl -o $@

$(INTERPOSER_DIR)/libtlstouch.so: tests/tools/interposer/tlstouch.c
	@mkdir -p $(@D)
	$(REL_CC) -O1 -g -fPIC -shared $< -o $@

$(INTERPOSER_DIR)/selftest: tests/tools/interposer/selftest.c $(INTERPOSER_DIR)/libtlstouch.so
	$(REL_CC) -std=gnu11 -O1 -g -Wall -Wextra -Werror $< -L$(INTERPOSER_DIR) -ltlstouch \
	    -Wl,-rpath,$(INTERPOSER_DIR) -lpthread -o $@

rel-interposer-bins: $(INTERPOSER_DIR)/asyncsafe-interposer.so $(INTERPOSER_DIR)/selftest $(STRESS_DIR)/stress
	@$(REL_SUITE) bins BUILD_DIR=$(INTERPOSER_DIR)

interposer-check: build handler-callgraph
	$(NEW_RESULT)
	@$(MAKE) --no-print-directory rel-interposer-bins
	STORM_SECONDS=$(STORM_SECONDS) $(COUNTED) tests/tools/interposer/check.sh $(INTERPOSER_DIR) $(STRESS_DIR)/stress

# What the signal handler calls, read from the shared library's disassembly;
# and proof that the check itself catches a handler that calls malloc & co.
handler-callgraph: build
	@$(MAKE) --no-print-directory $(INTERPOSER_DIR)/selftest
	python3 tests/tools/handler-callgraph.py $(STAGE_LIBDIR)/librssignal.so
	@if python3 tests/tools/handler-callgraph.py $(INTERPOSER_DIR)/selftest --root '^handler$$' >/dev/null; then \
	    echo "FAIL: the call-graph check passed the self-test's bad handler"; exit 1; \
	else echo "ok: the call-graph check rejects the self-test's bad handler (malloc, printf, mutex ...)"; fi

# ---- sanitizers: the C suite under gcc ASan+UBSan and under valgrind ----------------

SANITIZE_DIR   := $(CURDIR)/build/sanitize
SAN_FLAGS      := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
# ASan must not take over the fault signals: the suite checks that nothing but
# rssignal installs handlers (and the library never touches those signals).
SAN_ENV        := ASAN_OPTIONS=detect_leaks=1:halt_on_error=1:handle_segv=0:handle_sigbus=0:handle_sigfpe=0:handle_sigill=0:handle_abort=0 \
                  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 RSSIGNAL_LIBDIR=$(STAGE_LIBDIR)
SAN_STRESS_SECONDS ?= 5

$(SANITIZE_DIR)/stress-asan: tests/stress/stress.c tests/stress/common.h include/rssignal.h $(STAGE_LIBDIR)/librssignal.a
	@mkdir -p $(@D)
	$(REL_CC) -std=gnu11 -O1 -g -Wall -Wextra -D_GNU_SOURCE -I$(CURDIR)/include $(SAN_FLAGS) tests/stress/stress.c \
	    $(STAGE_LIBDIR)/librssignal.a $(NATIVE_STATIC_LIBS) -o $@

$(SANITIZE_DIR)/bad: tests/tools/sanitize/bad.c
	@mkdir -p $(@D)
	$(REL_CC) -O0 -g $< -o $@

$(SANITIZE_DIR)/bad-asan: tests/tools/sanitize/bad.c
	@mkdir -p $(@D)
	$(REL_CC) -O0 -g $(SAN_FLAGS) $< -o $@

# The C suite twice, linked to the .a: with ASan+UBSan, and plain for valgrind.
SUITE_ASAN := $(SANITIZE_DIR)/asan/suite-static
SUITE_VG   := $(SANITIZE_DIR)/vg/suite-static

rel-sanitize-bins: $(SANITIZE_DIR)/stress-asan $(SANITIZE_DIR)/bad $(SANITIZE_DIR)/bad-asan
	@$(REL_SUITE) $(SUITE_ASAN) BUILD_DIR=$(SANITIZE_DIR)/asan CFLAGS='-O1 -g $(SAN_FLAGS)'
	@$(REL_SUITE) $(SUITE_VG) BUILD_DIR=$(SANITIZE_DIR)/vg CFLAGS='-O1 -g'

VG_OPTS := -q --trace-children=yes --error-exitcode=99 --leak-check=full \
           --errors-for-leak-kinds=definite --show-leak-kinds=definite

sanitize: build
	$(NEW_RESULT)
	@$(MAKE) --no-print-directory rel-sanitize-bins
	@command -v valgrind >/dev/null || { echo "valgrind is missing: apt-get install valgrind" >&2; exit 1; }
	$(COUNTED) tests/stress/run.sh -t 600 \
	    'ASan+UBSan catch a deliberate bug::! $(SANITIZE_DIR)/bad-asan overflow 2>/dev/null && ! $(SANITIZE_DIR)/bad-asan ub 2>/dev/null && echo "ASan+UBSan catch a heap overflow and a signed overflow in tests/tools/sanitize/bad.c"' \
	    'valgrind catches a deliberate leak::valgrind $(VG_OPTS) $(SANITIZE_DIR)/bad leak-in-child >/dev/null 2>&1; test $$? -eq 99 && echo "valgrind catches a leak in a forked child of tests/tools/sanitize/bad.c"' \
	    'C suite under ASan+UBSan::echo "== C suite under ASan+UBSan (linked to librssignal.a)"; $(SAN_ENV) $(SUITE_ASAN) > $(SANITIZE_DIR)/suite-asan.log 2>&1; rc=$$?; grep -E "^(FAIL|SKIPPED) |ERROR: |runtime error|^        \|" $(SANITIZE_DIR)/suite-asan.log; grep -E "^[0-9]+ passed" $(SANITIZE_DIR)/suite-asan.log; exit $$rc' \
	    'C suite under valgrind memcheck::tests/tools/sanitize/valgrind-suite.sh $(SUITE_VG) $(SANITIZE_DIR)/suite-vg.log' \
	    'stress storm under ASan+UBSan::$(SAN_ENV) $(SANITIZE_DIR)/stress-asan storm $(SAN_STRESS_SECONDS)' \
	    'stress fork under ASan+UBSan::$(SAN_ENV) $(SANITIZE_DIR)/stress-asan fork $(SAN_STRESS_SECONDS)' \
	    'stress wakeup-full under ASan+UBSan::$(SAN_ENV) $(SANITIZE_DIR)/stress-asan wakeup-full $(SAN_STRESS_SECONDS)' \
	    'stress wakeup-closed under ASan+UBSan::$(SAN_ENV) $(SANITIZE_DIR)/stress-asan wakeup-closed $(SAN_STRESS_SECONDS)'

# ---- fuzzing: libFuzzer (clang from Debian's packages) --------------------------------

FUZZ_DIR     := $(CURDIR)/build/fuzz
FUZZ_SECONDS ?= 600
FUZZ_CC      ?= clang
FUZZ_FLAGS   := -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer \
                -Wall -Wextra -I$(CURDIR)/include

# clang with libFuzzer: installed from Debian's packages when we are root,
# otherwise a loud message saying what to install.
fuzz-toolchain:
	@if printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { (void)d; (void)n; return 0; }\n' | \
	    $(FUZZ_CC) -x c -fsanitize=fuzzer - -o /dev/null 2>/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "== installing clang and libFuzzer (Debian: clang libclang-rt-dev)"; \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq clang libclang-rt-dev >/dev/null || \
	    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq clang libclang-rt-dev >/dev/null; }; \
	else \
	    echo "!!!!!!!! make fuzz needs clang with libFuzzer: apt-get install clang libclang-rt-dev (as root) !!!!!!!!" >&2; \
	    exit 1; \
	fi

$(FUZZ_DIR)/fuzz_api: tests/fuzz/fuzz_api.c include/rssignal.h $(STAGE_LIBDIR)/librssignal.a
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_FLAGS) tests/fuzz/fuzz_api.c $(STAGE_LIBDIR)/librssignal.a $(NATIVE_STATIC_LIBS) -o $@

fuzz-build: build fuzz-toolchain
	@$(MAKE) --no-print-directory $(FUZZ_DIR)/fuzz_api

fuzz: fuzz-build
	tests/tools/fuzz-run.sh $(FUZZ_DIR)/fuzz_api $(FUZZ_SECONDS) $(FUZZ_DIR) $(CURDIR)/tests/fuzz/corpus
