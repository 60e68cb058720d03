# The Rust tests and the ABI check.
#
#   make test-rust   cargo test --release (unit, integration and doc tests; one
#                    of them fails while include/rssignal.h is stale)
#   make test-abi    the ctest2 crate of tests/abi: every type, field offset,
#                    constant and function signature of the header against
#                    src/types.rs and the system's <signal.h>; pass/fail

.PHONY: test-rust test-abi

test-rust:
	$(NEW_RESULT)
	$(CARGO_COUNTED) $(CARGO) test --release

test-abi:
	$(NEW_RESULT)
	$(CARGO) run --release --manifest-path tests/abi/Cargo.toml
	$(PASSED)
