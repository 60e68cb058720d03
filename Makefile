# rssignal — build, demo and tests. `make demo` and `make test` are the two
# commands a new user needs; see README.md.

CARGO   ?= cargo
CC      ?= cc
VERSION := $(shell sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n1)
MAJOR   := $(firstword $(subst ., ,$(VERSION)))
# Staged copy of the release library with its soname links; tests and demos
# link against it. build/lib/librssignal.so.$(VERSION) is the real file.
# (LIBDIR, PREFIX, DESTDIR are `make install`'s, see mk/install.mk.)
STAGE_LIBDIR := $(CURDIR)/build/lib
export RSSIGNAL_LIBDIR := $(STAGE_LIBDIR)
export RSSIGNAL_INCDIR := $(CURDIR)/include

.PHONY: all build header demo test clean

all: build

# Fragments owned by parts of the project (the test steps, install, consumers,
# bench, reliability …).
include $(sort $(wildcard mk/*.mk))

build:
	$(CARGO) build --release
	@mkdir -p $(STAGE_LIBDIR)
	@# copy, then rename: programs running from the staged copy keep theirs
	cp -f target/release/librssignal.so $(STAGE_LIBDIR)/.librssignal.so.tmp
	mv -f $(STAGE_LIBDIR)/.librssignal.so.tmp $(STAGE_LIBDIR)/librssignal.so.$(VERSION)
	ln -sf librssignal.so.$(VERSION) $(STAGE_LIBDIR)/librssignal.so.$(MAJOR)
	ln -sf librssignal.so.$(MAJOR) $(STAGE_LIBDIR)/librssignal.so
	cp -f target/release/librssignal.a $(STAGE_LIBDIR)/.librssignal.a.tmp
	mv -f $(STAGE_LIBDIR)/.librssignal.a.tmp $(STAGE_LIBDIR)/librssignal.a

# Regenerate the checked-in header from the Rust sources.
header:
	RSSIGNAL_WRITE_HEADER=1 $(CARGO) build --release

demo: build
	$(MAKE) -C examples demo

# Everything: each of TEST_STEPS runs even when an earlier one failed, and
# the last line sums them all (scripts/run-tests.sh).
TEST_STEPS := test-rust loom lint lint-refs test-abi test-c test-c-slow test-symbols test-header test-consumers test-hostile stress-quick abi-check test-deb test-conan test-meson test-man fuzz-rust-quick tsan-quick miri test-cross
test: build
	scripts/run-tests.sh $(TEST_STEPS)

# A test step is a target declared once, in the fragment mk/<topic>.mk next
# to its rule. It records its counts in $(RESULT), build/test-results/<step>:
# one line "passed failed skipped" per counted run, summed by run-tests.sh
# (a step that leaves no such file counts as failed). A step's recipe starts
# with $(NEW_RESULT), then records its counts with one of:
#   RSSIGNAL_RESULT_FILE=$(RESULT) CMD  the C suite runner appends its own line
#   $(COUNTED) CMD ARGS...              CMD's last "N passed, N failed[, N skipped]"
#                                       line (tests/tools/counted.sh)
#   $(CARGO_COUNTED) cargo test ...     the sum of cargo's "test result:" lines
#   $(PASSED)                           a pass/fail step's last line: "1 0 0"
RESULTS_DIR   := $(CURDIR)/build/test-results
RESULT         = $(RESULTS_DIR)/$@
NEW_RESULT     = @mkdir -p $(RESULTS_DIR) && rm -f $(RESULT)
COUNTED        = $(CURDIR)/tests/tools/counted.sh $(RESULT)
CARGO_COUNTED  = $(CURDIR)/tests/tools/counted.sh --cargo $(RESULT)
PASSED         = @echo "1 0 0" >> $(RESULT)

clean:
	$(CARGO) clean
	rm -rf build
	$(MAKE) -C examples clean
