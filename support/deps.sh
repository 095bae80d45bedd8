#!/bin/sh
# support/deps.sh — makes sure everything cxsim builds with is installed.
#
# Called by the Makefile before anything is compiled. When a library is
# missing it installs the Debian packages itself: with apt-get as root, or
# through sudo when sudo can be used. When neither is possible it prints the
# exact command to run and fails, so `make` stops with a clear message.
# It checks capabilities (pkg-config modules, headers, programs), not package
# names, so an installation from elsewhere is accepted as it is.
set -eu

CC=${CC:-cc}
# Debian packages for: the compiler, C library headers (only a Recommends of
# gcc, so not installed with --no-install-recommends), make, pkg-config, the
# libraries (libedit: line editing in cxsim workshop; GLPK: cxsim optimise's
# rosters, an integer program; libmicrohttpd: cxsim serve's HTTP server), and
# xmllint (the tests parse the HTML reports as XML).
PKGS="gcc libc6-dev make pkg-config libgsl-dev libyaml-dev libjansson-dev nettle-dev libsqlite3-dev libcmocka-dev librandom123-dev libedit-dev libglpk-dev libmicrohttpd-dev libxml2-utils"
MODULES="gsl yaml-0.1 jansson nettle sqlite3 libedit cmocka libmicrohttpd"
# make MPI=1 builds with Open MPI's compiler wrapper and runs with mpirun.
if [ "${MPI:-}" = 1 ]; then
    PKGS="$PKGS libopenmpi-dev openmpi-bin"
fi
# make fuzz builds with clang and links libFuzzer (its runtime is only a
# Recommends of clang); the sqlite3 program crafts seeds of the sweep
# database fuzzer.
if [ "${FUZZ:-}" = 1 ]; then
    PKGS="$PKGS clang libclang-rt-dev sqlite3"
fi
# make memcheck runs the tests under valgrind.
if [ "${VALGRIND:-}" = 1 ]; then
    PKGS="$PKGS valgrind"
fi
# make samples and make test run the docs' samples, some of which pipe into
# jq or sqlite3 (support/samples.sh).
if [ "${SAMPLES:-}" = 1 ]; then
    PKGS="$PKGS jq sqlite3"
fi

have_all() {
    command -v "$CC" >/dev/null 2>&1 || return 1
    command -v pkg-config >/dev/null 2>&1 || return 1
    command -v xmllint >/dev/null 2>&1 || return 1
    pkg-config --exists $MODULES || return 1
    printf '#include <Random123/philox.h>\n' | "$CC" -E -x c - >/dev/null 2>&1 || return 1
    printf '#include <glpk.h>\n' | "$CC" -E -x c - >/dev/null 2>&1 || return 1
    if [ "${MPI:-}" = 1 ]; then
        command -v mpirun >/dev/null 2>&1 || return 1
        printf '#include <mpi.h>\n' | "$CC" -E -x c - >/dev/null 2>&1 || return 1
    fi
    if [ "${VALGRIND:-}" = 1 ]; then
        command -v valgrind >/dev/null 2>&1 || return 1
    fi
    if [ "${SAMPLES:-}" = 1 ]; then
        command -v jq >/dev/null 2>&1 || return 1
        command -v sqlite3 >/dev/null 2>&1 || return 1
    fi
    if [ "${FUZZ:-}" = 1 ]; then
        command -v sqlite3 >/dev/null 2>&1 || return 1
        printf 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n) { (void)d; (void)n; return 0; }\n' |
            "$CC" -fsanitize=fuzzer -x c - -o /dev/null >/dev/null 2>&1 || return 1
    fi
}

have_all && exit 0

cmd="apt-get update && apt-get install -y --no-install-recommends $PKGS"
if ! command -v apt-get >/dev/null 2>&1; then
    echo "cxsim: missing build dependencies, and this is not a Debian system." >&2
    echo "cxsim: install GSL, libyaml, jansson, cmocka, Random123 and pkg-config, then run make again." >&2
    exit 1
fi
if [ "$(id -u)" = 0 ]; then
    run() { env DEBIAN_FRONTEND=noninteractive "$@"; }
elif command -v sudo >/dev/null 2>&1 && { sudo -n true 2>/dev/null || [ -t 0 ]; }; then
    run() { sudo env DEBIAN_FRONTEND=noninteractive "$@"; }
else
    echo "cxsim: missing build dependencies. Install them with:" >&2
    echo "    sudo sh -c '$cmd'" >&2
    exit 1
fi
echo "cxsim: installing build dependencies: $PKGS" >&2
run apt-get update -qq >&2
run apt-get install -y -qq --no-install-recommends $PKGS >&2
if ! have_all; then
    echo "cxsim: packages installed, but the build dependencies are still not usable." >&2
    exit 1
fi
