#!/bin/sh
# support/bench.sh BUILD_DIR — the body of `make bench`.
#
# Runs the kernel benchmark built in BUILD_DIR, then builds and runs the
# reference event loop of ../shared/bench (when it is there) so both are
# measured on this machine in the same run. Prints the machine first.
set -eu
build=${1:-build-bench}
echo "== machine: $(uname -m), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2 | sed 's/^ *//')"
echo "== date: $(date -u +%Y-%m-%d)"
echo "== cxsim kernel"
"$build/support/bench_kernel"
ref=../shared/bench/tandem_baseline.c
if [ -f "$ref" ]; then
    echo "== reference loop ($ref: binary heap, mt19937, ~1,000,000 customers)"
    ${CC:-cc} -O2 -march=native -DCAL_BHEAP "$ref" -o "$build/tandem_baseline" -lgsl -lgslcblas -lm
    "$build/tandem_baseline" -T 1000000 -g mt19937 -s 12345 | grep -E 'customers_per_s|peak_rss'
else
    echo "== reference loop: $ref not found, skipped"
fi
