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

.PHONY: all build header demo test test-rust test-abi test-c test-c-slow lint clean

all: build

# Fragments owned by parts of the project (install, consumers, bench, stress…).
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

# Everything: Rust tests (header freshness included), lints, the ABI check,
# the C conformance suite against the .so and the .a. Each part runs even
# when an earlier one failed; the last line sums them all.
TEST_STEPS := test-rust lint test-abi test-c test-c-slow test-symbols test-header test-consumers stress-quick
test: build
	scripts/run-tests.sh $(TEST_STEPS)

test-rust:
	$(CARGO) test --release

lint:
	$(CARGO) fmt --check
	$(CARGO) clippy --release --all-targets -- -D warnings

test-abi:
	$(CARGO) run --release --manifest-path tests/abi/Cargo.toml

test-c: build
	$(MAKE) -C tests/c run

# The timing-dependent part of the suite (alarms, itimers, timeouts):
# generous bounds, kept apart from the fast suite.
test-c-slow: build
	$(MAKE) -C tests/c run-slow

clean:
	$(CARGO) clean
	rm -rf build
	$(MAKE) -C tests/c clean
	$(MAKE) -C examples clean
