# cxsim — a discrete-event simulator of customers moving through a business.
#
#   make            build ./cxsim
#   make demo       build, then run the built-in example
#   make test       build and run every test (cmocka), the docs' samples included
#   make samples    rewrite the sample outputs of README.md and docs/*.md from
#                   the program (support/samples.sh; review the diff)
#   make check      the same tests under AddressSanitizer + UBSan, in build-check/
#   make memcheck   the same tests under valgrind's memcheck (the program too), in
#                   build-memcheck/
#   make bench      benchmarks, optimised build in build-bench/
#   make fuzz       fuzz the scenario reader and the sweep database reader
#                   with libFuzzer (clang), in build-fuzz/; FUZZ_SECONDS=600
#                   each by default
#   make install    install into $(DESTDIR)$(PREFIX) (PREFIX=/usr/local)
#   make MPI=1      the cluster build ./cxsim-mpi (Open MPI), for mpirun
#
# Missing libraries are installed by support/deps.sh before the first
# compile (see README.md). Each build flavour has its own directory so that
# objects with and without sanitizers never mix.

.DEFAULT_GOAL := all
VERSION := 0.2.0
PREFIX ?= /usr/local
BUILD ?= build
BIN ?= cxsim

# make MPI=1: the cluster build, ./cxsim-mpi (Open MPI's mpicc), whose sweep
# spreads over the ranks of an mpirun job; objects in build-mpi/.
ifeq ($(MPI),1)
override BUILD := build-mpi
override BIN := cxsim-mpi
override CC := mpicc
MPI_CFLAGS := -DCXSIM_MPI
endif
CFLAGS ?= -O2 -g
WARN := -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Werror
MODULES := gsl yaml-0.1 jansson nettle sqlite3 libedit cmocka libmicrohttpd

# Library flags come from pkg-config, through a generated makefile whose
# recipe first installs what is missing; GNU make builds an included
# makefile before reading it. Goals that need no compiler skip all that.
NODEPS_GOALS := clean help
ifneq ($(filter-out $(NODEPS_GOALS),$(or $(MAKECMDGOALS),all)),)
include $(BUILD)/deps.mk
endif

$(BUILD)/deps.mk: support/deps.sh
	@mkdir -p $(@D)
	@CC="$(CC)" MPI="$(MPI)" FUZZ="$(FUZZ)" sh support/deps.sh
	@{ echo "PKG_CFLAGS := $$(pkg-config --cflags $(MODULES))"; \
	   echo "PKG_LIBS := $$(pkg-config --libs gsl yaml-0.1 jansson nettle sqlite3 libedit libmicrohttpd) -lglpk -lpthread"; \
	   echo "CMOCKA_LIBS := $$(pkg-config --libs cmocka)"; } > $@

OPENMP ?= -fopenmp
ALL_CFLAGS := -std=c11 $(WARN) $(OPENMP) -D_POSIX_C_SOURCE=200809L -DCXSIM_VERSION='"$(VERSION)"' \
              $(MPI_CFLAGS) -I. $(PKG_CFLAGS) $(CFLAGS) $(EXTRA_CFLAGS)
LDLIBS := $(PKG_LIBS) -lm

# The kernel (sim/), the business (models/) and the writers (output/) are a
# library; the program is sim/cli/, whose main.c alone holds main(): the
# tests link the rest of sim/cli/ too (docs/architecture.md).
LIB_SRC := $(wildcard sim/*.c) $(wildcard models/*.c) $(wildcard output/*.c)
LIB_OBJ := $(LIB_SRC:%.c=$(BUILD)/%.o)
CLI_SRC := $(filter-out sim/cli/main.c $(if $(MPI_CFLAGS),,sim/cli/mpi.c),$(wildcard sim/cli/*.c))
CLI_OBJ := $(CLI_SRC:%.c=$(BUILD)/%.o)
MAIN_OBJ := $(BUILD)/sim/cli/main.o
TEST_SRC := $(wildcard tests/test_*.c) tests/run_tests.c
TEST_OBJ := $(TEST_SRC:%.c=$(BUILD)/%.o)
TEST_BIN := $(BUILD)/tests/run_tests

.PHONY: all demo test test-run check memcheck memcheck-run bench fuzz install clean help golden mpi samples \
        sample-tools
.DELETE_ON_ERROR:

all: $(BIN)

$(BUILD)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

# The built-in scenario is scenarios/dealership.yaml, compiled in.
$(BUILD)/gen/builtin.c: scenarios/dealership.yaml support/embed.sh
	@mkdir -p $(@D)
	sh support/embed.sh mdl_builtin_scenario $< > $@

$(BUILD)/gen/builtin.o: $(BUILD)/gen/builtin.c
	$(CC) $(ALL_CFLAGS) -c $< -o $@

# The pages cxsim serve delivers, compiled in (sim/cli/pages.h).
PAGE_OBJ := $(patsubst sim/cli/pages/%.html,$(BUILD)/gen/page_%.o,$(wildcard sim/cli/pages/*.html))
$(BUILD)/gen/page_%.c: sim/cli/pages/%.html support/embed.sh
	@mkdir -p $(@D)
	sh support/embed.sh cli_page_$* $< sim/cli/pages.h > $@

$(BUILD)/gen/page_%.o: $(BUILD)/gen/page_%.c
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(BIN): $(MAIN_OBJ) $(CLI_OBJ) $(BUILD)/gen/builtin.o $(PAGE_OBJ) $(LIB_OBJ)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) $^ $(LDLIBS) -o $@

$(TEST_BIN): $(TEST_OBJ) $(CLI_OBJ) $(BUILD)/gen/builtin.o $(PAGE_OBJ) $(LIB_OBJ)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) $^ $(LDLIBS) $(CMOCKA_LIBS) -o $@

-include $(LIB_OBJ:.o=.d) $(TEST_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(MAIN_OBJ:.o=.d)

# The version is a compile flag: the objects that print it follow the Makefile.
$(MAIN_OBJ) $(BUILD)/sim/cli/common.o $(BUILD)/tests/test_cli.o: Makefile

demo: $(BIN)
	./$(BIN) run

# The tests run the program too (command line and exit codes): CXSIM_BIN
# tells them which build to run. Where Open MPI is installed, the MPI build
# is made too and CXSIM_MPI_BIN names it (its tests are skipped otherwise).
HAVE_MPI := $(shell command -v mpicc >/dev/null 2>&1 && command -v mpirun >/dev/null 2>&1 && echo 1)
# the tests' own files go to $(BUILD)/testtmp (tests/testutil.h)
$(TEST_OBJ): ALL_CFLAGS += -DCXSIM_TEST_TMP='"$(BUILD)/testtmp"'
$(BUILD)/testtmp:
	@mkdir -p $@

test: $(BIN) $(TEST_BIN) $(BUILD)/testtmp $(if $(HAVE_MPI),mpi) sample-tools
	CXSIM_BIN=./$(BIN) $(if $(HAVE_MPI),CXSIM_MPI_BIN=./cxsim-mpi) ./$(TEST_BIN)

# The sample outputs README.md and docs/*.md show are the program's own:
# make samples rewrites them (review the diff, and the prose around each
# sample that changed, before committing it); make test checks them
# (tests/test_docs.c). Some pipe into jq or sqlite3, installed when missing.
# The screenshots of cxsim serve's pages in docs/img/ are retaken by their
# browser test (tests/test_browser_serve.c; the same pages give the same
# images byte for byte, and no Chromium leaves them as they are).
samples: $(BIN) $(TEST_BIN) $(BUILD)/testtmp sample-tools $(if $(HAVE_MPI),mpi)
	CXSIM=./$(BIN) sh support/samplelog.sh scenarios/dealership.yaml 20 >scenarios/data/dealership-log.csv.tmp \
	  && mv scenarios/data/dealership-log.csv.tmp scenarios/data/dealership-log.csv \
	  || { rm -f scenarios/data/dealership-log.csv.tmp; exit 1; }
	CXSIM_BIN=./$(BIN) $(if $(HAVE_MPI),CXSIM_MPI_BIN=./cxsim-mpi) sh support/samples.sh
	CXSIM_SCREENSHOTS=docs/img CXSIM_BIN=./$(BIN) ./$(TEST_BIN) browser_runs_a_workshop_session
sample-tools:
	@command -v jq >/dev/null 2>&1 && command -v sqlite3 >/dev/null 2>&1 || CC="$(CC)" SAMPLES=1 sh support/deps.sh

# (always an ordinary optimised build, even under make check: MPI's own
# libraries are not built for the sanitizers)
mpi:
	$(MAKE) --no-print-directory MPI=1 CFLAGS="-O2 -g" LDFLAGS= cxsim-mpi

# Rewrites the golden files of tests/golden/ from the current writers (only
# on purpose: review the diff before committing it).
golden: $(BIN) $(TEST_BIN) $(BUILD)/testtmp
	@mkdir -p tests/golden
	CXSIM_REGEN=1 CXSIM_BIN=./$(BIN) ./$(TEST_BIN)

CHECK_FLAGS := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
check:
	$(MAKE) --no-print-directory BUILD=build-check BIN=build-check/cxsim CFLAGS="$(CHECK_FLAGS)" \
	    LDFLAGS="-fsanitize=address,undefined" test

# valgrind's memcheck over the test program and every cxsim it starts: an
# invalid access, a use of uninitialised memory or a leak (definite or
# indirect: libgomp's thread stacks are only "possibly lost") exits 99, so
# the test that ran it fails. Installs valgrind when it is missing. The
# statistical validations and the docs' samples (whole optimisations of the
# dealership among them) are left out: long simulations through code the
# other tests run too (make check runs them under the sanitizers); so are
# the browser tests, which drive Chromium through pages whose writers and
# server the other tests run under memcheck (a few minutes of CI saved).
VALGRIND := valgrind -q --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect \
            --errors-for-leak-kinds=definite,indirect
# Its own build (build-memcheck/), like make check's: running it beside make
# test, or rebuilding ./cxsim while it runs, then changes nothing under it.
memcheck:
	$(MAKE) --no-print-directory BUILD=build-memcheck BIN=build-memcheck/cxsim memcheck-run
memcheck-run: $(BIN) $(TEST_BIN) $(BUILD)/testtmp sample-tools
	@command -v valgrind >/dev/null 2>&1 || CC="$(CC)" VALGRIND=1 sh support/deps.sh
	CXSIM_TEST_SKIP='validation_*,docs_samples_are_*,browser_*' CXSIM_BIN="$(VALGRIND) ./$(BIN)" $(VALGRIND) ./$(TEST_BIN)

# The optimised build the benchmarks measure: link-time optimisation lets
# the event loop inline the calendar's pop (docs/performance.md). It makes
# build-bench/cxsim too, the fastest cxsim for this machine.
FAST_CFLAGS := -O3 -march=native -flto=auto -g -DNDEBUG
bench:
	$(MAKE) --no-print-directory BUILD=build-bench BIN=build-bench/cxsim CFLAGS="$(FAST_CFLAGS)" LDFLAGS=-flto=auto \
	    build-bench/cxsim build-bench/support/bench_kernel build-bench/support/bench_flow \
	    build-bench/support/bench_ydoc build-bench/support/bench_serve
	$(if $(HAVE_MPI),$(MAKE) --no-print-directory mpi)
	sh support/bench.sh build-bench

# The fuzzers: clang's libFuzzer with AddressSanitizer (and its leak
# checker) and UndefinedBehaviorSanitizer, over tests/fuzz_scenario.c (the
# scenario reader) and tests/fuzz_sweepdb.c (the sweep database reader),
# each for FUZZ_SECONDS. OpenMP is left out of this build (clang would need
# libomp; nothing fuzzed runs threads). ./cxsim, the ordinary build, makes
# the sweep databases the second one starts from.
FUZZ_SECONDS ?= 600
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all
fuzz: $(BIN)
	$(MAKE) --no-print-directory BUILD=build-fuzz CC=clang FUZZ=1 OPENMP="-Wno-unknown-pragmas" \
	    CFLAGS="-O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer-no-link $(FUZZ_SAN)" \
	    LDFLAGS="-fsanitize=fuzzer $(FUZZ_SAN)" build-fuzz/fuzz_scenario build-fuzz/fuzz_sweepdb
	sh support/fuzz.sh build-fuzz $(FUZZ_SECONDS) ./$(BIN)

$(BUILD)/fuzz_scenario: $(BUILD)/tests/fuzz_scenario.o $(BUILD)/gen/builtin.o $(LIB_OBJ)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) $^ $(LDLIBS) -o $@

$(BUILD)/fuzz_sweepdb: $(BUILD)/tests/fuzz_sweepdb.o $(LIB_OBJ)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) $^ $(LDLIBS) -o $@

$(BUILD)/support/bench_%: $(BUILD)/support/bench_%.o $(LIB_OBJ)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) $^ $(LDLIBS) -o $@

install: $(BIN)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/doc/cxsim/scenarios
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/cxsim
	install -m 644 README.md $(DESTDIR)$(PREFIX)/share/doc/cxsim/README.md
	install -m 644 docs/*.md $(DESTDIR)$(PREFIX)/share/doc/cxsim/
	install -m 644 scenarios/*.yaml $(DESTDIR)$(PREFIX)/share/doc/cxsim/scenarios/

clean:
	rm -rf build build-check build-memcheck build-bench build-mpi build-fuzz cxsim cxsim-mpi

help:
	@sed -n '3,/^#$$/p' Makefile | sed -e '$$d' -e 's/^# \{0,1\}//'
