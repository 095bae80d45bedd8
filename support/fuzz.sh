#!/bin/sh
# support/fuzz.sh BUILD_DIR SECONDS CXSIM — the body of `make fuzz`
# (docs/robustness.md).
#
# Runs each libFuzzer target for SECONDS, over its own corpus, kept between
# runs so that each run starts where the last one stopped:
#   BUILD_DIR/fuzz_scenario over BUILD_DIR/corpus, seeded with every
#     scenario of the project (the examples, the test scenarios and the
#     catalogue of broken files) and the scenario language's words
#     (tests/fuzz_scenario.dict);
#   BUILD_DIR/fuzz_sweepdb over BUILD_DIR/corpus-sweepdb, seeded with sweep
#     databases made by CXSIM (whole, a shard, merged, with small pages),
#     copies of them with bytes damaged, and crafted ones (a grid larger
#     than its axes, a plan beyond it; these need the sqlite3 program).
#
# Fails (non-zero exit) on a crash, a sanitizer report, a leak, an input that
# takes longer than 10 seconds or a process over 2 GiB; the input that did
# it is saved in BUILD_DIR/crashes/ and can be replayed with
#   BUILD_DIR/fuzz_scenario BUILD_DIR/crashes/FILE   (or fuzz_sweepdb)
set -eu
build=$1
seconds=$2
cxsim=$3
mkdir -p "$build/corpus" "$build/corpus-sweepdb" "$build/crashes"

# ---- seeds of the scenario reader
corpus=$build/corpus
for f in scenarios/*.yaml scenarios/bench/*.yaml tests/scenarios/*.yaml tests/scenarios/bad/*.yaml; do
    cp "$f" "$corpus/seed-$(basename "$f")"
done

# ---- seeds of the sweep database reader: real databases, then damaged
# and crafted copies
seeds=$build/seeds-sweepdb
rm -rf "$seeds"
mkdir -p "$seeds"
cat >"$seeds/shop.yaml" <<'EOF'
name: Shop
seed: 1
replications: 2
day: {open: "09:00", close: "11:00"}
departments:
  desk: {staff: 1, service: {dist: exponential, mean: 4}, target_wait: 5, service_target: 0.8}
customers:
  walkin: {arrivals: {per_hour: 10}, enter: desk, route: {desk: {exit: 1}}}
sweep:
  departments.desk.staff: [1, 2, 3]
EOF
"$cxsim" sweep "$seeds/shop.yaml" --jobs 1 --db "$seeds/shop.db" -o /dev/null 2>/dev/null
"$cxsim" sweep "$seeds/shop.yaml" --jobs 1 --shard 1/2 --db "$seeds/shard.db" -o /dev/null 2>/dev/null
"$cxsim" merge "$seeds/merged.db" "$seeds/shard.db" 2>/dev/null
"$cxsim" sweep scenarios/dealership.yaml --jobs 1 --reps 2 --grid departments.credit.staff=1,2 \
    --grid departments.sales.staff=3,4 --db "$seeds/dealership.db" -o /dev/null 2>/dev/null
for db in shop shard merged dealership; do
    cp "$seeds/$db.db" "$build/corpus-sweepdb/seed-$db.db"
done
if command -v sqlite3 >/dev/null 2>&1; then
    # the same with pages of 512 bytes: smaller inputs, more of them per second
    for db in shop shard dealership; do
        cp "$seeds/$db.db" "$seeds/$db-512.db"
        sqlite3 "$seeds/$db-512.db" 'PRAGMA journal_mode = DELETE; PRAGMA page_size = 512; VACUUM;' >/dev/null
        cp "$seeds/$db-512.db" "$build/corpus-sweepdb/seed-$db-512.db"
    done
    n=0
    for sql in "UPDATE meta SET value = '100' WHERE key = 'nplans'; UPDATE plans SET plan = 99 WHERE plan = 2" \
               "UPDATE meta SET value = '18446744073709551615' WHERE key = 'nplans'" \
               "DELETE FROM plan_values WHERE plan = 1" \
               "UPDATE results SET reps = x'00' WHERE plan = 0" \
               "DELETE FROM metrics WHERE metric = 'wait_mean'" \
               "UPDATE axes SET nvalues = 1000"; do
        n=$((n + 1))
        cp "$seeds/shop-512.db" "$seeds/crafted-$n.db"
        sqlite3 "$seeds/crafted-$n.db" "$sql"
        cp "$seeds/crafted-$n.db" "$build/corpus-sweepdb/seed-crafted-$n.db"
    done
fi
# bytes damaged at scattered places of each page size's shop
for db in shop shop-512; do
    [ -f "$seeds/$db.db" ] || continue
    size=$(wc -c <"$seeds/$db.db")
    for k in 1 2 3 4 5 6 7 8; do
        cp "$seeds/$db.db" "$seeds/damaged-$db-$k.db"
        printf '\377\377\377\377\000\000\000\000' |
            dd of="$seeds/damaged-$db-$k.db" bs=1 seek=$((size * k / 9)) conv=notrunc 2>/dev/null
        cp "$seeds/damaged-$db-$k.db" "$build/corpus-sweepdb/seed-damaged-$db-$k.db"
    done
done

# ---- fuzzing
run() {
    target=$1
    corpus=$2
    shift 2
    echo "== fuzzing with $target for $seconds s ($(ls "$corpus" | wc -l) inputs in the corpus to start)"
    "$build/$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
        -artifact_prefix="$build/crashes/" -print_final_stats=1 "$@" "$corpus" 2>"$build/$target.log" || {
        tail -60 "$build/$target.log"
        echo "== the fuzzer found a failure: see $build/crashes/ and $build/$target.log" >&2
        exit 1
    }
    grep -E '^stat::(number_of_executed_units|peak_rss_mb)|^Done' "$build/$target.log" || true
    echo "== no crash, hang or leak: $(ls "$corpus" | wc -l) inputs in the corpus now"
}
run fuzz_scenario "$build/corpus" -max_len=65536 -dict=tests/fuzz_scenario.dict
run fuzz_sweepdb "$build/corpus-sweepdb" -max_len=262144
