#!/bin/sh
# support/samples.sh — the sample outputs that README.md and docs/*.md show,
# regenerated from the program (make samples), or checked against it
# (--check: make test's docs_samples_are_what_the_program_prints).
#
# usage: sh support/samples.sh [--check] [FILE.md...]   (default: README.md docs/*.md)
#
# A sample is a fenced block whose opening fence follows one or more
# comments that each give a shell command:
#
#     <!-- sample: cxsim run | keep 1-22,-1 -->
#     ```
#     $ cxsim run
#     ...
#     ```
#
# Each command runs with `cxsim` meaning $CXSIM_BIN (./cxsim by default),
# its standard output and standard error together, in a scratch directory
# made afresh for each block, holding a copy of scenarios/ and the files of
# support/samples/ (shop.yaml ...); the commands of one block share it, in
# order. The block becomes, for each command, `$ COMMAND` (as written, a
# comment running over several lines included, without the trailing
# filters below) and what it printed, without carriage returns (CSV ends
# its lines with CRLF). Commands read /dev/null and run with TZ=UTC,
# LC_ALL=C.UTF-8, TERM=dumb and HOME the scratch directory; one still
# running after 300 s is stopped (and said to have been).
#
# `cxsim-mpi` means $CXSIM_MPI_BIN, the MPI build (make test and make samples
# name it where Open MPI is installed), and `mpirun` Open MPI's, given
# --oversubscribe, and --allow-run-as-root as root (docs/sweep.md says when
# a user must add them). Without $CXSIM_MPI_BIN or mpirun, a block that
# runs cxsim-mpi is left as it is, and said to be.
#
# The filters, for the end of a command only (`| keep 3-5 | pick x`):
#   keep RANGES   the lines RANGES, "N", "A-B", "A-" (to the end) or "-K"
#                 (the last K), separated by commas, and "..." wherever
#                 lines were left out (at the start and the end too);
#   pick ERE...   each line matching one of the EREs, with the lines under
#                 it indented deeper than it (the rest of a wrapped
#                 sentence, a table's rows), and "..." wherever lines were
#                 left out.
# Either says on stderr when a range or an ERE found no line.
#
# A screenshot is an image whose line follows
#     <!-- screenshot: cxsim run --format html -->
# the command writing the page on standard output. The page's SHA-256 (its
# date-times left out) is kept in IMAGE.sha256; the image is retaken with
# headless Chromium, at its own size (1000x1250 for a new one), only when
# that changes, so a page that did not change keeps its image byte for byte.
#
# --check changes nothing: it says FILE:LINE of every block that differs
# from what the commands print now, with a diff, and of every block that
# starts with "$ cxsim" but has no comment, and exits 1 if there are any.
# Without it, the files are rewritten where they differ.
#
# Deliberately sh, awk and sed only (a fresh Debian has no Python), and jq
# and sqlite3 where the docs show them (make installs them: support/deps.sh).
set -eu

check=0
if [ "${1:-}" = --check ]; then
    check=1
    shift
fi
case "${1:-}" in -*)
    echo "usage: sh support/samples.sh [--check] [FILE.md...]" >&2
    exit 64
esac

here=$(pwd)
root=$(cd "$(dirname "$0")/.." && pwd)
files=""
for f in "$@"; do
    case $f in /*) ;; *) f=$here/$f ;; esac
    [ -f "$f" ] || { echo "samples: no file $f" >&2; exit 66; }
    files="$files $f"
done
cd "$root"
[ -n "$files" ] || files="README.md $(ls docs/*.md)"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/cxsim-samples-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
mkdir "$tmp/bin" "$tmp/blocks"

# cxsim: $CXSIM_BIN, which may be a command line (make memcheck's valgrind
# ... ./build-memcheck/cxsim): its relative paths made absolute, since the
# samples run elsewhere.
bin=""
for w in ${CXSIM_BIN:-./cxsim}; do
    case $w in
    /* | -*) ;;
    */*) w=$root/$w ;;
    esac
    bin="$bin $w"
done
# shellcheck disable=SC2086 # split into its words on purpose
set -- $bin
[ -x "$1" ] || command -v "$1" >/dev/null 2>&1 || {
    echo "samples: no program $1 (make builds ./cxsim; CXSIM_BIN names another)" >&2
    exit 66
}
printf '#!/bin/sh\nexec%s "$@"\n' "$bin" >"$tmp/bin/cxsim"
mpi=""
if [ -n "${CXSIM_MPI_BIN:-}" ] && real_mpirun=$(command -v mpirun); then
    case $CXSIM_MPI_BIN in /*) mpi=$CXSIM_MPI_BIN ;; *) mpi=$root/$CXSIM_MPI_BIN ;; esac
    as_root=""
    [ "$(id -u)" != 0 ] || as_root=" --allow-run-as-root"
    printf '#!/bin/sh\nexec "%s" "$@"\n' "$mpi" >"$tmp/bin/cxsim-mpi"
    printf '#!/bin/sh\nexec "%s"%s --oversubscribe "$@"\n' "$real_mpirun" "$as_root" >"$tmp/bin/mpirun"
    chmod +x "$tmp/bin/cxsim-mpi" "$tmp/bin/mpirun"
fi

cat >"$tmp/bin/keep" <<'EOF'
#!/bin/sh
# keep RANGES: see support/samples.sh
exec awk -v spec="$*" '
{ line[NR] = $0 }
END {
    n = split(spec, items, /[ ,]+/)
    for (i = 1; i <= n; i++) {
        it = items[i]
        if (it == "")
            continue
        if (it ~ /^-[0-9]+$/) { a = NR + it + 1; b = NR }
        else if (it ~ /^[0-9]+$/) { a = it + 0; b = a }
        else if (it ~ /^[0-9]+-$/) { a = substr(it, 1, length(it) - 1) + 0; b = NR }
        else if (it ~ /^[0-9]+-[0-9]+$/) { split(it, ab, "-"); a = ab[1] + 0; b = ab[2] + 0 }
        else { print "keep: not a range: " it > "/dev/stderr"; exit 2 }
        if (b > NR || a < 1 || a > b)
            print "keep: " it " is not within the " NR " lines printed" > "/dev/stderr"
        for (j = a; j <= b; j++)
            kept[j] = 1
    }
    gap = 0
    for (j = 1; j <= NR; j++) {
        if (j in kept) {
            if (gap)
                print "..."
            gap = 0
            print line[j]
        } else
            gap = 1
    }
    if (gap)
        print "..."
}'
EOF

cat >"$tmp/bin/pick" <<'EOF'
#!/bin/sh
# pick ERE...: see support/samples.sh
exec awk '
function indent(s) { match(s, /^ */); return RLENGTH }
BEGIN {
    for (i = 1; i < ARGC; i++) {
        re[i] = ARGV[i]
        ARGV[i] = ""
    }
    nre = ARGC - 1
}
{ line[NR] = $0 }
END {
    under = 0
    for (j = 1; j <= NR; j++) {
        m = 0
        for (i = 1; i <= nre; i++)
            if (line[j] ~ re[i]) {
                found[i] = 1
                m = 1
            }
        if (m) {
            kept[j] = 1
            under = 1
            base = indent(line[j])
        } else if (under && line[j] !~ /^[ \t]*$/ && indent(line[j]) > base)
            kept[j] = 1
        else
            under = 0
    }
    for (i = 1; i <= nre; i++)
        if (!(i in found))
            print "pick: no line matches " re[i] > "/dev/stderr"
    gap = 0
    for (j = 1; j <= NR; j++) {
        if (j in kept) {
            if (gap)
                print "..."
            gap = 0
            print line[j]
        } else
            gap = 1
    }
    if (gap)
        print "..."
}' "$@"
EOF
chmod +x "$tmp/bin/cxsim" "$tmp/bin/keep" "$tmp/bin/pick"

# Reads one Markdown file: for block K, blocks/K.cmd.1 ... (its commands),
# blocks/K.old (what it holds now) and a line "K KIND LINE FENCE CLOSE" in
# blocks/list (KIND sample or screenshot; LINE: its first comment's; FENCE,
# CLOSE: its fences', or the image's line and its path). Errors on stderr.
parse() {
    awk -v dir="$tmp/blocks" -v name="$2" '
    function fail(msg) { printf "%s:%d: %s\n", name, FNR, msg > "/dev/stderr"; bad = 1 }
    function begin_comment() {
        if (ncmd == 0) { nb++; first = FNR }
        ncmd++
        text = $0
        sub(/^<!-- sample:[ \t]*/, "", text)
        state = 1
        if (index($0, "-->"))
            end_comment()
    }
    function end_comment(f) {
        sub(/[ \t]*-->[ \t]*$/, "", text)
        f = dir "/" nb ".cmd." ncmd
        print text > f
        close(f)
        state = 2
    }
    state == 1 {
        text = text "\n" $0
        if (index($0, "-->"))
            end_comment()
        next
    }
    state == 2 {
        if ($0 ~ /^<!-- sample:/) { begin_comment(); next }
        if ($0 ~ /^```/) {
            state = 3
            fence = FNR
            old = dir "/" nb ".old"
            printf "" > old
            next
        }
        fail("a sample comment must be followed by a fenced block (```)")
        state = 0; ncmd = 0
        next
    }
    state == 3 {
        if ($0 ~ /^```[ \t]*$/) {
            close(old)
            print nb, "sample", first, fence, FNR > (dir "/list")
            state = 0; ncmd = 0
            next
        }
        print > old
        next
    }
    state == 4 {
        if (match($0, /^!\[[^]]*\]\([^) ]+\.png\)/)) {
            path = substr($0, 1, RLENGTH - 1)
            sub(/^.*\(/, "", path)
            print nb, "screenshot", first, FNR, path > (dir "/list")
        } else
            fail("a screenshot comment must be followed by an image: ![...](PATH.png)")
        state = 0
        next
    }
    state == 5 {
        if (FNR == fence + 1 && $0 ~ /^\$ cxsim/)
            fail("this block starts with \"$ cxsim\" but has no <!-- sample: COMMAND --> before it")
        if ($0 ~ /^```[ \t]*$/)
            state = 0
        next
    }
    /^<!-- sample:/ { begin_comment(); next }
    /^<!-- screenshot:/ {
        nb++
        first = FNR
        text = $0
        sub(/^<!-- screenshot:[ \t]*/, "", text)
        sub(/[ \t]*-->[ \t]*$/, "", text)
        print text > (dir "/" nb ".cmd.1")
        close(dir "/" nb ".cmd.1")
        state = 4
        next
    }
    /^```/ { state = 5; fence = FNR; next }
    END {
        if (state == 1 || state == 2 || state == 3)
            fail("the file ends inside a sample")
        exit bad
    }' "$1"
}

# Sets $display to the command of file $1 as shown (without its trailing
# filters) and $filters to those filters ("| keep 1-3 | pick x", or "").
split_command() {
    display=$(cat "$1")
    filters=""
    while :; do
        case $display in *" | "*) ;; *) break ;; esac
        last=${display##* | }
        case ${last%% *} in
        keep | pick)
            filters=" | $last$filters"
            display=${display% | *}
            ;;
        *) break ;;
        esac
    done
}

# Runs script $1 in the scratch directory: stdout to $2, stderr to $3 (a
# line there too when it took more than 300 s and was stopped).
run_in_scratch() {
    rc=0
    (cd "$tmp/scratch" && PATH="$tmp/bin:$PATH" HOME="$tmp/scratch" TERM=dumb TZ=UTC LC_ALL=C.UTF-8 \
        timeout 300 sh "$1") </dev/null >"$2" 2>"$3" || rc=$?
    if [ $rc = 124 ]; then
        echo "stopped after 300 s" >>"$3"
    fi
}

# Runs the command of file $1 in the scratch directory: what it printed,
# stdout and stderr together and filtered, goes to $2, the filters'
# complaints to $3.
run_command() {
    split_command "$1"
    {
        echo '{'
        printf '%s\n' "$display"
        printf "} </dev/null 2>&1 | tr -d '\\\\r'%s\\n" "$filters"
    } >"$tmp/run.sh"
    run_in_scratch "$tmp/run.sh" "$2" "$3"
}

# A fresh scratch directory for a block.
scratch() {
    rm -rf "$tmp/scratch"
    mkdir "$tmp/scratch"
    cp -R scenarios "$tmp/scratch/"
    if [ -d support/samples ]; then
        cp -R support/samples/. "$tmp/scratch/"
    fi
}

# The width and height of PNG $1, or 1000 1250 when there is none.
png_size() {
    if [ -f "$1" ]; then
        od -An -tu1 -j16 -N8 "$1" | awk '{ print $1 * 16777216 + $2 * 65536 + $3 * 256 + $4, $5 * 16777216 + $6 * 65536 + $7 * 256 + $8 }'
    else
        echo 1000 1250
    fi
}

# Retakes screenshot $2 of page $1 with headless Chromium.
screenshot() {
    browser=$(command -v chromium || command -v chromium-browser || :)
    if [ -z "$browser" ]; then
        echo "samples: $2 needs retaking, with Chromium: apt-get install -y chromium" >&2
        return 1
    fi
    # shellcheck disable=SC2046 # the width and the height
    set -- "$1" "$2" $(png_size "$2")
    HOME="$tmp" "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run \
        --user-data-dir="$tmp/chromium" --window-size="$3,$4" --screenshot="$tmp/shot.png" \
        "file://$1" </dev/null >"$tmp/chromium.log" 2>&1 || :
    if [ ! -s "$tmp/shot.png" ]; then
        echo "samples: Chromium made no screenshot of $1:" >&2
        cat "$tmp/chromium.log" >&2
        return 1
    fi
    mv "$tmp/shot.png" "$2"
}

status=0
for f in $files; do
    name=${f#"$root"/}
    rm -rf "$tmp/blocks"
    mkdir "$tmp/blocks"
    : >"$tmp/blocks/list"
    parse "$f" "$name" || status=1
    changed=0
    nblocks=0
    while read -r k kind line _ close; do
        nblocks=$((nblocks + 1))
        scratch
        if [ "$kind" = screenshot ]; then
            image=$(dirname "$f")/$close
            split_command "$tmp/blocks/$k.cmd.1"
            printf '%s\n' "$display" >"$tmp/run.sh"
            run_in_scratch "$tmp/run.sh" "$tmp/scratch/page.html" "$tmp/err"
            if [ -s "$tmp/err" ]; then
                sed "s|^|samples: $name:$line: |" "$tmp/err" >&2
                status=1
            fi
            sum=$(sed -E 's/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z/DATE/g' "$tmp/scratch/page.html" |
                sha256sum | cut -d' ' -f1)
            old=$(cat "$image.sha256" 2>/dev/null || :)
            if [ "$sum" != "$old" ] || [ ! -f "$image" ]; then
                if [ $check = 1 ]; then
                    # shellcheck disable=SC2016 # backquotes around a command, for the reader
                    printf '%s:%s: %s shows another page than `%s` writes now (make samples retakes it)\n' \
                        "$name" "$line" "$close" "$display" >&2
                    status=1
                elif screenshot "$tmp/scratch/page.html" "$image"; then
                    echo "$sum" >"$image.sha256"
                    echo "samples: $name:$line: retook $close" >&2
                else
                    status=1
                fi
            fi
            continue
        fi
        if [ -z "$mpi" ] && grep -q 'cxsim-mpi' "$tmp/blocks/$k".cmd.*; then
            echo "samples: $name:$line: left as it is: it runs cxsim-mpi, and there is no MPI build" \
                "(CXSIM_MPI_BIN) or no mpirun" >&2
            continue
        fi
        : >"$tmp/blocks/$k.new"
        c=1
        while [ -f "$tmp/blocks/$k.cmd.$c" ]; do
            run_command "$tmp/blocks/$k.cmd.$c" "$tmp/out" "$tmp/err"
            printf '$ %s\n' "$display" >>"$tmp/blocks/$k.new"
            awk '{ print }' "$tmp/out" >>"$tmp/blocks/$k.new"
            if [ -s "$tmp/err" ]; then
                sed "s|^|samples: $name:$line: |" "$tmp/err" >&2
                [ $check = 0 ] || status=1
            fi
            c=$((c + 1))
        done
        if ! cmp -s "$tmp/blocks/$k.old" "$tmp/blocks/$k.new"; then
            changed=$((changed + 1))
            if [ $check = 1 ]; then
                first=$(head -n 1 "$tmp/blocks/$k.new")
                # shellcheck disable=SC2016 # backquotes around a command, for the reader
                printf '%s:%s: the sample `%s` is not what the program prints now (make samples rewrites it):\n' \
                    "$name" "$line" "${first#\$ }" >&2
                diff -u "$tmp/blocks/$k.old" "$tmp/blocks/$k.new" | sed '1,2d' | head -n 40 >&2 || :
                status=1
            fi
        fi
    done <"$tmp/blocks/list"
    if [ $check = 0 ] && [ $changed -gt 0 ]; then
        awk -v dir="$tmp/blocks" '
        BEGIN {
            while ((getline l < (dir "/list")) > 0) {
                split(l, w, " ")
                if (w[2] == "sample") { open[w[4]] = w[1]; shut[w[5]] = 1 }
            }
        }
        FNR in open {
            print
            f = dir "/" open[FNR] ".new"
            while ((getline l < f) > 0)
                print l
            close(f)
            skip = 1
            next
        }
        FNR in shut { skip = 0 }
        !skip' "$f" >"$tmp/rewritten"
        cat "$tmp/rewritten" >"$f"
        echo "samples: $name: $changed of $nblocks blocks rewritten" >&2
    fi
done
exit $status
