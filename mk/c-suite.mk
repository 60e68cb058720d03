# The C conformance suite (its rules and their variables: tests/c/Makefile),
# against the library `make build` staged in build/lib, binaries in
# build/c-suite.
#
#   make test-c        the fast suite against the .so and the .a
#   make test-c-slow   the timing-dependent part (alarms, itimers, timeouts):
#                      generous bounds, kept apart from the fast suite
#   either with TESTS='name substring ...' to run some tests only

.PHONY: test-c test-c-slow

C_SUITE = $(MAKE) --no-print-directory -C tests/c LIBDIR=$(STAGE_LIBDIR) BUILD_DIR=$(CURDIR)/build/c-suite

test-c: build
	$(NEW_RESULT)
	RSSIGNAL_RESULT_FILE=$(RESULT) $(C_SUITE) run

test-c-slow: build
	$(NEW_RESULT)
	RSSIGNAL_RESULT_FILE=$(RESULT) $(C_SUITE) run-slow
