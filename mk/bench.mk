# `make bench` — benchmarks against the kernel's limit and the peers
# (README.md, section Performance, explains every number).
#
#   make bench [BENCH_STORM_SECONDS=10] [BENCH_STORM_RATE=25000] [BENCH_SAMPLES=3000] [BENCH_ROUNDS=30] [BENCH_SCALE=1] [BENCH_PIN=0|1|same]
#
# `make bench-run` does the same against the library already staged in
# build/lib, without rebuilding it. `make bench-callgrind` counts the
# instructions per dispatch (rssignal, one listener, the floor) with
# valgrind's callgrind (docs/performance.md).
#
# Builds, under build/bench/: the C programs of benches/ against the staged
# release library (build/lib), the call-floor library, the libuv receiver
# (libuv1-dev; installed with apt-get when root and missing, else skipped
# loudly), the signal-hook baseline (benches/signal-hook, its own target dir),
# and matplotlib for the chart (pip --target build/bench/pylib when the
# machine's python3 lacks it; without it the table and JSON still come out).
# Then benches/run.py runs everything in one run and writes
# bench/results.json and bench/wakeup_latency.png.

.PHONY: bench bench-run bench-build bench-deps bench-callgrind

BENCH_STORM_SECONDS ?= 10
# signals per second per storm sender (6 senders); 0 = as fast as they can
BENCH_STORM_RATE    ?= 25000
BENCH_SAMPLES       ?= 3000
BENCH_ROUNDS        ?= 30
BENCH_SCALE         ?= 1
# wakeup latency with sender and receiver pinned: 1 = two CPUs, same = one CPU
BENCH_PIN           ?= 0
export BENCH_PIN
BENCH_PYTHON        ?= python3
BENCH_OUT           := $(CURDIR)/build/bench
BENCH_PYLIB         := $(BENCH_OUT)/pylib
BENCH_CFLAGS        ?= -O2 -g -D_GNU_SOURCE -Wall -Wextra -Werror
BENCH_INC           := -I$(CURDIR)/include -I$(CURDIR)/benches
BENCH_RS_LINK       := -L$(STAGE_LIBDIR) -lrssignal -Wl,-rpath,$(STAGE_LIBDIR)
BENCH_SO            := $(STAGE_LIBDIR)/librssignal.so.$(VERSION)
BENCH_SH_BIN        := $(BENCH_OUT)/signal-hook-target/release/bench-signal-hook
BENCH_C_PROGS       := $(addprefix $(BENCH_OUT)/,bench-micro bench-latency-sender bench-latency-c bench-storm bench-footprint)

bench: build
	@$(MAKE) --no-print-directory bench-run

# The same without rebuilding the library: measures what build/lib holds.
bench-run:
	@test -f '$(BENCH_SO)' || { echo "bench: $(BENCH_SO) is missing: run 'make build' (or 'make bench')" >&2; exit 1; }
	@$(MAKE) --no-print-directory bench-deps
	@$(MAKE) --no-print-directory bench-build
	PYTHONPATH='$(BENCH_PYLIB)'$${PYTHONPATH:+:$$PYTHONPATH} $(BENCH_PYTHON) benches/run.py \
	    --bin '$(BENCH_OUT)' --lib '$(BENCH_SO)' --signal-hook '$(BENCH_SH_BIN)' \
	    --python '$(BENCH_PYTHON)' --storm-seconds '$(BENCH_STORM_SECONDS)' --storm-rate '$(BENCH_STORM_RATE)' \
	    --samples '$(BENCH_SAMPLES)' --rounds '$(BENCH_ROUNDS)' --scale '$(BENCH_SCALE)' \
	    --json bench/results.json --png bench/wakeup_latency.png

# libuv1-dev and matplotlib: best effort, loud when missing.
bench-deps:
	@if ! echo '#include <uv.h>' | $(CC) -E -x c - >/dev/null 2>&1; then \
	    if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	        echo 'bench: installing libuv1-dev with apt-get'; \
	        DEBIAN_FRONTEND=noninteractive apt-get install -y -q libuv1-dev >/dev/null 2>&1 || \
	        { apt-get update -q >/dev/null 2>&1 && \
	          DEBIAN_FRONTEND=noninteractive apt-get install -y -q libuv1-dev >/dev/null 2>&1; } || \
	        echo '*** bench: WARNING: apt-get install libuv1-dev failed: the libuv column is skipped ***'; \
	    else \
	        echo '*** bench: WARNING: libuv1-dev is missing and we are not root: the libuv column is skipped ***'; \
	    fi; \
	fi
	@if ! PYTHONPATH='$(BENCH_PYLIB)' $(BENCH_PYTHON) -c 'import matplotlib' >/dev/null 2>&1; then \
	    echo 'bench: installing matplotlib into $(BENCH_PYLIB) with pip'; \
	    $(BENCH_PYTHON) -m pip install -q --disable-pip-version-check --target '$(BENCH_PYLIB)' matplotlib >/dev/null 2>&1 || \
	    echo '*** bench: WARNING: pip install matplotlib failed: no chart, the table and JSON still come ***'; \
	fi

bench-build: $(BENCH_C_PROGS) $(BENCH_OUT)/libbenchfloor.so $(BENCH_OUT)/libbenchmodel.so
	@if echo '#include <uv.h>' | $(CC) -E -x c - >/dev/null 2>&1; then \
	    $(MAKE) --no-print-directory $(BENCH_OUT)/bench-latency-uv; \
	else rm -f $(BENCH_OUT)/bench-latency-uv; fi
	@echo 'bench: building the signal-hook baseline (benches/signal-hook)'
	@$(CARGO) build --release --quiet --manifest-path benches/signal-hook/Cargo.toml \
	    --target-dir '$(BENCH_OUT)/signal-hook-target' || \
	    echo '*** bench: WARNING: the signal-hook baseline did not build: its columns are skipped ***'

$(BENCH_OUT)/libbenchfloor.so: benches/floor.c
	@mkdir -p $(@D)
	$(CC) -O2 -fPIC -shared -Wl,-soname,libbenchfloor.so -o $@ $<

$(BENCH_OUT)/libbenchmodel.so: benches/model.c
	@mkdir -p $(@D)
	$(CC) -O2 -fPIC -shared -pthread -Wl,-soname,libbenchmodel.so -o $@ $<

$(BENCH_OUT)/bench-micro: benches/micro.c benches/common.h include/rssignal.h $(BENCH_SO) $(BENCH_OUT)/libbenchfloor.so $(BENCH_OUT)/libbenchmodel.so
	$(CC) $(BENCH_CFLAGS) $(BENCH_INC) -o $@ $< -L$(BENCH_OUT) -lbenchfloor -lbenchmodel -Wl,-rpath,$(BENCH_OUT) $(BENCH_RS_LINK)

$(BENCH_OUT)/bench-latency-sender: benches/latency_sender.c benches/common.h
	@mkdir -p $(@D)
	$(CC) $(BENCH_CFLAGS) $(BENCH_INC) -o $@ $<

$(BENCH_OUT)/bench-latency-c: benches/latency_c.c benches/common.h include/rssignal.h $(BENCH_SO)
	@mkdir -p $(@D)
	$(CC) $(BENCH_CFLAGS) -pthread $(BENCH_INC) -o $@ $< $(BENCH_RS_LINK)

$(BENCH_OUT)/bench-latency-uv: benches/latency_uv.c benches/common.h
	@mkdir -p $(@D)
	$(CC) $(BENCH_CFLAGS) $(BENCH_INC) -o $@ $< -luv

$(BENCH_OUT)/bench-storm: benches/storm.c benches/common.h include/rssignal.h $(BENCH_SO)
	@mkdir -p $(@D)
	$(CC) $(BENCH_CFLAGS) -pthread $(BENCH_INC) -o $@ $< $(BENCH_RS_LINK)

$(BENCH_OUT)/bench-footprint: benches/footprint.c benches/common.h include/rssignal.h
	@mkdir -p $(@D)
	$(CC) $(BENCH_CFLAGS) $(BENCH_INC) -o $@ $< -ldl

$(BENCH_OUT)/bench-callgrind: benches/callgrind.c benches/common.h include/rssignal.h $(BENCH_SO) $(BENCH_OUT)/libbenchfloor.so
	$(CC) $(BENCH_CFLAGS) $(BENCH_INC) -o $@ $< -L$(BENCH_OUT) -lbenchfloor -Wl,-rpath,$(BENCH_OUT) $(BENCH_RS_LINK)

# Instructions per dispatch: callgrind over 10,000 dispatches (+100 warm-up)
# in one function; its inclusive count / 10,100. Not part of `make test`.
BENCH_CG_N := 10000
bench-callgrind: build
	@if ! command -v valgrind >/dev/null; then \
	    if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	        echo 'bench-callgrind: installing valgrind with apt-get'; \
	        DEBIAN_FRONTEND=noninteractive apt-get install -y -q valgrind >/dev/null 2>&1 || \
	        { apt-get update -q >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q valgrind >/dev/null 2>&1; }; \
	    fi; \
	    command -v valgrind >/dev/null || { echo '*** bench-callgrind: FAILED: valgrind is missing and could not be installed ***' >&2; exit 1; }; \
	fi
	@$(MAKE) --no-print-directory $(BENCH_OUT)/bench-callgrind
	@set -e; for m in rssignal listener floor; do \
	    valgrind --tool=callgrind --callgrind-out-file=$(BENCH_OUT)/callgrind.$$m.out \
	        $(BENCH_OUT)/bench-callgrind $$m $(BENCH_CG_N) >/dev/null 2>&1; \
	    ir=$$(callgrind_annotate --inclusive=yes $(BENCH_OUT)/callgrind.$$m.out 2>/dev/null | \
	        awk '/callgrind.c:dispatch_loop/ {gsub(",", "", $$1); print $$1; exit}'); \
	    test -n "$$ir" || { echo "bench-callgrind: no count for $$m" >&2; exit 1; }; \
	    echo "$$m $$ir" | awk -v n=$(BENCH_CG_N) '{printf "bench-callgrind: %-8s %6.1f instructions per dispatch\n", $$1, $$2 / (n + 100)}'; \
	done
	@echo 'bench-callgrind: per function: callgrind_annotate $(BENCH_OUT)/callgrind.rssignal.out'
