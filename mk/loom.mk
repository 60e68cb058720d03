# Model checking of the core's lock-free protocol (src/asyncsafe/protocol.rs)
# with loom: tests/loom compiles that file with loom's atomics and explores
# the interleavings of the handler, the dispatcher, channel readers and
# wakeup-fd changes (tests/loom/src/model.rs says what each model checks).
#
#   make loom    every model, preemptions bounded by LOOM_MAX_PREEMPTIONS (default 2)

.PHONY: loom

LOOM_MAX_PREEMPTIONS ?= 2

loom:
	$(NEW_RESULT)
	LOOM_MAX_PREEMPTIONS=$(LOOM_MAX_PREEMPTIONS) RUSTFLAGS="--cfg loom" \
	    $(CARGO_COUNTED) $(CARGO) test --release --manifest-path tests/loom/Cargo.toml
