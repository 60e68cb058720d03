# Lints: pass/fail steps of `make test`.
#
#   make lint        cargo fmt --check, then clippy on every target with
#                    warnings as errors
#   make lint-refs   comments and docs name only paths that exist in the
#                    repository, no tracker issue of ours and no file outside
#                    the repository (tests/tools/lint-refs.py says what it reads)

.PHONY: lint lint-refs

lint:
	$(NEW_RESULT)
	$(CARGO) fmt --check
	$(CARGO) clippy --release --all-targets -- -D warnings
	$(PASSED)

lint-refs:
	$(NEW_RESULT)
	$(COUNTED) python3 tests/tools/lint-refs.py .
