# Hostile hosts (tests/hostile/): rssignal as a guest beside a C host's own
# SA_SIGINFO handlers and beside Go's runtime (a -buildmode=c-shared library
# loaded before and after rssignal installs, a -buildmode=c-archive one linked
# in), each host linked to the staged .so and to the .a. Go comes from
# scripts/install-tools.sh; its build cache is build/hostile/go-cache.
#
#   make test-hostile   one line per case, then "N passed, N failed, N skipped"

.PHONY: test-hostile

test-hostile: build
	$(NEW_RESULT)
	$(COUNTED) env CC="$(CC)" NATIVE_STATIC_LIBS="$(NATIVE_STATIC_LIBS)" tests/hostile/run.sh
