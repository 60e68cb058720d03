# Checks of the Rust code itself, with the nightly toolchain (installed by
# scripts/install-nightly.sh; stable still builds and ships the library):
#
#   make fuzz-rust         the cargo-fuzz target tests/fuzz/rust (module_ops:
#                          the library's Rust API driven from bytes, library
#                          instrumented for coverage), FUZZ_SECONDS (default 600)
#   make fuzz-rust-quick   the same for 60 s (in `make test`)
#   make tsan              ThreadSanitizer: the Rust tests, the C suites and
#                          the storms (tests/rustcheck/tsan.sh full)
#   make tsan-quick        the Rust tests, the C test files that use threads
#                          and 3-second storms (in `make test`)
#   make miri              the unit tests that need no real OS, under Miri
#                          (tests/rustcheck/miri.sh; in `make test`)
#
# Everything is built under build/ (fuzz-rust/, tsan/, miri/) and kept there
# between runs. Each target ends with one "N passed, N failed, N skipped" line,
# which $(COUNTED) records for scripts/run-tests.sh; a failed install or build
# leaves no result and fails the step loudly.

.PHONY: fuzz-rust fuzz-rust-quick fuzz-rust-build tsan tsan-quick miri nightly-tools

FUZZ_SECONDS     ?= 600
FUZZ_RUST_DIR    := $(CURDIR)/build/fuzz-rust
FUZZ_RUST_BIN    := $(FUZZ_RUST_DIR)/target/x86_64-unknown-linux-gnu/release/module_ops
CARGO_FUZZ       := $(CURDIR)/build/tools/cargo/bin/cargo-fuzz

nightly-tools:
	scripts/install-nightly.sh

# cargo-fuzz builds with nightly (RUSTUP_TOOLCHAIN), ASan and coverage
# instrumentation of every crate, the library included.
fuzz-rust-build:
	@mkdir -p $(FUZZ_RUST_DIR)
	@scripts/install-nightly.sh fuzz
	@RUSTUP_TOOLCHAIN=nightly $(CARGO_FUZZ) fuzz build --fuzz-dir tests/fuzz/rust \
	    --target-dir $(FUZZ_RUST_DIR)/target module_ops >$(FUZZ_RUST_DIR)-build.log 2>&1 || \
	    { tail -30 $(FUZZ_RUST_DIR)-build.log; \
	      echo "!!!!!!!! fuzz-rust: cargo fuzz build failed (log: build/fuzz-rust-build.log) !!!!!!!!" >&2; exit 1; }

fuzz-rust: fuzz-rust-build
	$(NEW_RESULT)
	$(COUNTED) tests/fuzz/rust/run.sh $(FUZZ_RUST_BIN) $(FUZZ_SECONDS) $(FUZZ_RUST_DIR) $(CURDIR)/tests/fuzz/rust/seeds

fuzz-rust-quick: fuzz-rust-build
	$(NEW_RESULT)
	$(COUNTED) tests/fuzz/rust/run.sh $(FUZZ_RUST_BIN) 60 $(FUZZ_RUST_DIR) $(CURDIR)/tests/fuzz/rust/seeds

# RSSIGNAL_LIBDIR (build/lib) is only read by one C test that inspects the
# shared library's exported symbols; hence `build`.
tsan: build
	$(NEW_RESULT)
	@scripts/install-nightly.sh tsan
	$(COUNTED) tests/rustcheck/tsan.sh full

tsan-quick: build
	$(NEW_RESULT)
	@scripts/install-nightly.sh tsan
	$(COUNTED) tests/rustcheck/tsan.sh quick

miri:
	$(NEW_RESULT)
	@scripts/install-nightly.sh miri
	$(COUNTED) tests/rustcheck/miri.sh
