#!/bin/sh
# support/fuzz.sh BUILD_DIR SECONDS — the body of `make fuzz` (docs/robustness.md).
#
# Runs the libFuzzer target BUILD_DIR/fuzz_scenario for SECONDS over a corpus
# in BUILD_DIR/corpus, seeded with every scenario of the project (the
# examples, the test scenarios and the catalogue of broken files) and the
# scenario language's words (tests/fuzz_scenario.dict). The corpus is kept
# between runs, so each run starts where the last one stopped.
#
# Fails (non-zero exit) on a crash, a sanitizer report, a leak, an input that
# takes longer than 10 seconds or a process over 2 GiB; the input that did
# it is saved in BUILD_DIR/crashes/ and can be replayed with
#   BUILD_DIR/fuzz_scenario BUILD_DIR/crashes/FILE
set -eu
build=$1
seconds=$2
corpus=$build/corpus
mkdir -p "$corpus" "$build/crashes"
for f in scenarios/*.yaml scenarios/bench/*.yaml tests/scenarios/*.yaml tests/scenarios/bad/*.yaml; do
    cp "$f" "$corpus/seed-$(basename "$f")"
done
echo "== fuzzing the scenario reader for $seconds s ($(ls "$corpus" | wc -l) inputs in the corpus to start)"
"$build/fuzz_scenario" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
    -dict=tests/fuzz_scenario.dict -artifact_prefix="$build/crashes/" -print_final_stats=1 \
    "$corpus" 2>"$build/fuzz.log" || {
    tail -60 "$build/fuzz.log"
    echo "== the fuzzer found a failure: see $build/crashes/ and $build/fuzz.log" >&2
    exit 1
}
grep -E '^stat::(number_of_executed_units|peak_rss_mb)|^Done' "$build/fuzz.log" || true
echo "== no crash, hang or leak: $(ls "$corpus" | wc -l) inputs in the corpus now"
