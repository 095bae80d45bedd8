#!/bin/sh
# support/samplelog.sh — a business's records of visits made from a known
# scenario (spec §5's log for `cxsim fit` and `cxsim validate`), so that
# what fit estimates can be set against the truth.
#
# usage: sh support/samplelog.sh [SCENARIO] [DAYS] [FIRST_DATE]
#
# Runs `cxsim trace SCENARIO --day K --format csv` for K = 1..DAYS (default
# scenarios/dealership.yaml, 20 days) and turns each day into visit rows with
# support/trace2log.awk, day K dated the K-th weekday (Saturdays and Sundays
# are skipped) from FIRST_DATE (default 2026-11-02, a Monday); one CSV with
# one header on standard output. The program is $CXSIM (./cxsim by default;
# it may be a command line, e.g. "valgrind ./cxsim"), awk is $AWK (awk).
# make samples writes scenarios/data/dealership-log.csv with it.
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
scenario=${1:-$root/scenarios/dealership.yaml}
days=${2:-20}
first=${3:-2026-11-02}
awk=${AWK:-awk}
case $days in
'' | *[!0-9]* | 0*) echo "samplelog: DAYS must be a whole number from 1, got '$days'" >&2; exit 64 ;;
esac
case $first in
[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]) ;;
*) echo "samplelog: FIRST_DATE must be YYYY-MM-DD, got '$first'" >&2; exit 64 ;;
esac

tmp=$(mktemp "${TMPDIR:-/tmp}/cxsim-samplelog-XXXXXX")
trap 'rm -f "$tmp"' EXIT
trap 'exit 130' INT TERM

# The first `days` weekdays from `first`, one a line.
dates=$($awk -v first="$first" -v n="$days" '
function leap(y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }
BEGIN {
    y = substr(first, 1, 4) + 0; m = substr(first, 6, 2) + 0; d = substr(first, 9, 2) + 0
    split("0 3 2 5 0 3 5 1 4 6 2 4", t, " ")   # Sakamoto: 0 Sunday ... 6 Saturday
    while (n > 0) {
        yy = y - (m < 3)
        dow = (yy + int(yy / 4) - int(yy / 100) + int(yy / 400) + t[m] + d) % 7
        if (dow != 0 && dow != 6) { printf "%04d-%02d-%02d\n", y, m, d; n-- }
        len = m == 2 ? 28 + leap(y) : (m == 4 || m == 6 || m == 9 || m == 11) ? 30 : 31
        if (++d > len) { d = 1; if (++m > 12) { m = 1; y++ } }
    }
}')

k=1
for date in $dates; do
    # shellcheck disable=SC2086 # $CXSIM may be a command line, split on purpose
    ${CXSIM:-./cxsim} trace "$scenario" --day "$k" --format csv -o "$tmp"
    $awk -v date="$date" -v header=$((k == 1)) -f "$root/support/trace2log.awk" "$tmp"
    k=$((k + 1))
done
