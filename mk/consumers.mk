# Consumer tests: rssignal installed like a system library and used from C,
# C++/CMake, Go, Zig and Ruby (tests/consumers/), plus the symbol and header
# hygiene of the installed files. They use the library `make build` staged in
# build/lib and never rebuild it; `make test` builds first.
#
#   make test-consumers   one line per consumer, then "N passed, N failed, N skipped"
#   make test-symbols     the installed .so exports only rs_signal_* / rs_sigset_*; soname
#   make test-header      the installed header compiles as C99, C11, C++11, C++17
#                         with -Wall -Wextra -Werror -pedantic
#   make install-tools    cmake, zig, go (pip, into build/tools) and ruby-ffi (apt, as root)

.PHONY: test-consumers test-symbols test-header install-tools

CXX ?= c++

install-tools:
	scripts/install-tools.sh

test-consumers:
	$(NEW_RESULT)
	$(COUNTED) tests/consumers/run-all.sh $(CONSUMERS)

test-symbols:
	$(NEW_RESULT)
	@set -u; tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	$(MAKE) --no-print-directory -s install-files PREFIX="$$tmp" LDCONFIG=: >/dev/null || exit 1; \
	so="$$tmp/lib/librssignal.so"; p=0; f=0; \
	syms=$$(nm -D --defined-only "$$so" | awk 'NF >= 3 { print $$3 }'); \
	bad=$$(printf '%s\n' "$$syms" | grep -Ev '^rs_(signal|sigset)_' || true); \
	echo "installed librssignal.so exports $$(printf '%s\n' "$$syms" | grep -c .) symbols"; \
	if [ -z "$$syms" ]; then echo "FAIL exports: none found"; f=$$((f+1)); \
	elif [ -n "$$bad" ]; then echo "FAIL exports: not rs_signal_*/rs_sigset_*:"; printf '  %s\n' $$bad; f=$$((f+1)); \
	else echo "PASS exports: only rs_signal_* / rs_sigset_*"; p=$$((p+1)); fi; \
	soname=$$(readelf -d "$$so" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p'); \
	if [ "$$soname" = "librssignal.so.$(MAJOR)" ]; then echo "PASS soname: $$soname"; p=$$((p+1)); \
	else echo "FAIL soname: '$$soname', expected librssignal.so.$(MAJOR)"; f=$$((f+1)); fi; \
	echo "$$p passed, $$f failed, 0 skipped"; echo "$$p $$f 0" >> $(RESULT); [ $$f -eq 0 ]

HEADER_TEST_SRC := tests/consumers/header_test.c
test-header:
	$(NEW_RESULT)
	@set -u; tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	$(MAKE) --no-print-directory -s install-files PREFIX="$$tmp" LDCONFIG=: >/dev/null || exit 1; \
	p=0; f=0; \
	for std in c99 c11 c++11 c++17; do \
	    case $$std in c++*) cc="$(CXX) -x c++";; *) cc="$(CC) -x c";; esac; \
	    if $$cc -std=$$std -Wall -Wextra -Werror -pedantic -I"$$tmp/include" \
	        -c $(HEADER_TEST_SRC) -o "$$tmp/h.o" 2>"$$tmp/err"; then \
	        echo "PASS rssignal.h as $$std"; p=$$((p+1)); \
	    else echo "FAIL rssignal.h as $$std:"; sed 's/^/  /' "$$tmp/err"; f=$$((f+1)); fi; \
	done; \
	echo "$$p passed, $$f failed, 0 skipped"; echo "$$p $$f 0" >> $(RESULT); [ $$f -eq 0 ]
