/* tests/test_cli.c — the program as a user runs it: help, version, exit
 * codes of spec §6, one-line hints, write errors, and reproducible output.
 * Runs the binary named by $CXSIM_BIN (the Makefile sets it; ./cxsim if not). */
#include "tests/testutil.h"
#include "tests/clirun.h"

#include <dirent.h>
#include <jansson.h>
#include <stdbool.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int lines(const char *s)
{
    int n = 0;
    for (; *s; s++)
        n += *s == '\n';
    return n;
}

static void cli_version_and_help(void **state)
{
    (void)state;
    static struct run r;
    run(&r, "--version");
    assert_int_equal(r.code, 0);
    assert_string_equal(r.out, "cxsim " CXSIM_VERSION "\n");
    run(&r, "-V");
    assert_string_equal(r.out, "cxsim " CXSIM_VERSION "\n");
    run(&r, "version");
    assert_int_equal(r.code, 0);
    run(&r, "--help");
    assert_int_equal(r.code, 0);
    assert_non_null(strstr(r.out, "usage: cxsim COMMAND"));
    assert_non_null(strstr(r.out, "Exit codes:"));
    assert_string_equal(r.err, "");
    run(&r, "help dist");
    assert_int_equal(r.code, 0);
    assert_non_null(strstr(r.out, "usage: cxsim dist NAME"));
    run(&r, "dist --help");
    assert_int_equal(r.code, 0);
    assert_non_null(strstr(r.out, "usage: cxsim dist NAME"));
    run(&r, "help help");
    assert_non_null(strstr(r.out, "usage: cxsim help"));
}

static void cli_mistakes_exit_64_with_a_one_line_hint(void **state)
{
    (void)state;
    static struct run r;
    const char *cases[][2] = {
        {"", "no command given"},
        {"frobnicate", "unknown command 'frobnicate' (see 'cxsim --help')"},
        {"hepl", "did you mean 'help'?"},
        {"--frobnicate", "unknown option '--frobnicate'"},
        {"help nope", "unknown command 'nope'"},
        {"version extra", "version takes no arguments"},
        {"dist", "dist needs a distribution"},
        {"dist exponential mean=4 --nope", "unknown option '--nope' (see 'cxsim help dist')"},
        {"dist exponential mean=4 -x", "unknown option '-x'"},
        {"dist exponential mean=4 -n", "option '-n' needs a value"},
        {"dist exponential mean=4 -n 1", "--draws must be a whole number"},
        {"dist exponential mean=4 --seed -1", "--seed must be a whole number"},
        {"dist exponential mean=4 --seed 18446744073709551616", "--seed must be"},
        {"dist gama mean=4 sd=2", "unknown distribution 'gama'; did you mean 'gamma'?"},
        {"dist gamma mean=4", "gamma takes mean and sd, or shape and scale"},
        {"dist exponential mean", "expected PARAM=VALUE, got 'mean'"},
        {"dist exponential mean=four", "mean of exponential must be a number, got 'four'"},
        {"dist exponential mean=-4", "mean of exponential must be greater than 0 minutes, got -4"},
        {"dist lognormal mean=4 sd=nan", "must be a number"},
        {"dist empirical values=1,,2", "numbers separated by commas"},
        {"dist empirical values=1,2 weights=1", "2 values but 1 weights"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        run(&r, cases[i][0]);
        if (r.code != 64 || !strstr(r.err, cases[i][1]) ||
            (cases[i][0][0] && lines(r.err) != 1)) {
            print_error("cxsim %s: exit %d, stderr:\n%s(expected 64 and \"%s\" on one line)\n",
                        cases[i][0], r.code, r.err, cases[i][1]);
            fail();
        }
        assert_true(strncmp(r.err, "cxsim: error: ", 14) == 0 || cases[i][0][0] == '\0');
    }
}

static void cli_write_error_exits_74(void **state)
{
    (void)state;
    static struct run r;
    run_to(&r, "--version", "/dev/full");
    assert_int_equal(r.code, 74);
    assert_non_null(strstr(r.err, "cannot write to standard output"));
    run_to(&r, "dist exponential mean=4 -n 1000", "/dev/full");
    assert_int_equal(r.code, 74);
    run_to(&r, "run --reps 2 --format json", "/dev/full");
    assert_int_equal(r.code, 74);
    run_to(&r, "trace --format csv", "/dev/full");
    assert_int_equal(r.code, 74);
    /* -o a device: written in place (not replaced), and its error seen */
    run(&r, "run --reps 2 -o /dev/full");
    assert_int_equal(r.code, 74);
    assert_non_null(strstr(r.err, "cannot write the report: No space left on device"));
    /* a file that cannot grow past 512 bytes (ulimit -f 1): the report is
     * written to a temporary that fails, exit 74, and nothing is left */
    char dir[] = "/tmp/cxsim-test-full-XXXXXX";
    assert_non_null(mkdtemp(dir));
    const char *bin = getenv("CXSIM_BIN");
    char cmd[700];
    for (int k = 0; k < 2; k++) {
        snprintf(cmd, sizeof cmd, "sh -c 'ulimit -f 1; trap \"\" XFSZ; exec %s %s -o %s/report' 2>%s/err",
                 bin ? bin : "./cxsim", k ? "run --reps 3 --format json" : "trace", dir, dir);
        int status = system(cmd);
        assert_true(WIFEXITED(status));
        assert_int_equal(WEXITSTATUS(status), 74);
        snprintf(cmd, sizeof cmd, "test \"$(ls %s)\" = err && grep -q 'error: cannot write' %s/err", dir, dir);
        assert_int_equal(system(cmd), 0);
    }
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
}

static void cli_dist_is_reproducible_and_seeded(void **state)
{
    (void)state;
    static struct run a, b, c;
    run(&a, "dist lognormal mean=4 sd=2 -n 20000 --seed 1");
    run(&b, "dist lognormal mean=4 sd=2 -n 20000 --seed 1");
    run(&c, "dist lognormal mean=4 sd=2 -n 20000 --seed 4294967297");
    assert_int_equal(a.code, 0);
    assert_string_equal(a.out, b.out);
    /* 2^32 + 1 differs from 1 only above bit 32: a different stream. */
    assert_int_equal(c.code, 0);
    assert_true(strcmp(a.out + strlen("lognormal(mean=4, sd=2): 20000 draws, seed 1"),
                       c.out + strlen("lognormal(mean=4, sd=2): 20000 draws, seed 4294967297")) != 0);
    assert_non_null(strstr(a.out, "lognormal(mean=4, sd=2): 20000 draws, seed 1\n"));
    assert_non_null(strstr(a.out, "  mean       4.000"));
    assert_non_null(strstr(a.out, "  sd         2.000"));
}

static void cli_run_reports_the_builtin_dealership(void **state)
{
    (void)state;
    static struct run a, b;
    run(&a, "run --reps 4 --jobs 1");
    assert_int_equal(a.code, 0);
    assert_string_equal(a.err, "");
    assert_non_null(strstr(a.out, "Dealership weekday\n4 days from 09:00 to 18:00, seed 20261122"));
    assert_non_null(strstr(a.out, "  reception "));
    assert_non_null(strstr(a.out, "all external"));
    assert_non_null(strstr(a.out, "Cost per day"));
    /* the numbers do not depend on the number of threads */
    run(&b, "run --reps 4 --jobs 2");
    assert_string_equal(a.out, b.out);
    /* nor on whether the scenario is the built-in or its file */
    run(&b, "run tests/../scenarios/dealership.yaml --reps 4");
    assert_string_equal(a.out, b.out);
    /* a different seed gives different days */
    run(&b, "run --reps 4 --seed 5");
    assert_true(strcmp(a.out + 60, b.out + 60) != 0);
    /* every line fits 100 columns */
    assert_fits(a.out, 100);
}

static void cli_scenario_errors_exit_65_with_line_and_caret(void **state)
{
    (void)state;
    static struct run r;
    run(&r, "check tests/scenarios/bad/staff-negative.yaml");
    assert_int_equal(r.code, 65);
    assert_string_equal(r.err, "tests/scenarios/bad/staff-negative.yaml:8:12: error: staff of desk must be a "
                               "whole number from 0 to 10000, got -2\n"
                               "    staff: -2\n"
                               "           ^\n");
    run(&r, "run tests/scenarios/bad/route-sum.yaml");
    assert_int_equal(r.code, 65);
    assert_non_null(strstr(r.err, "route-sum.yaml:18:13: error: route of visitor after desk"));
    run(&r, "run --set departments.credit.staff=3 --set departments.sales.staff=-1");
    assert_int_equal(r.code, 65);
    assert_string_equal(r.err, "--set:2:25: error: staff of sales must be a whole number from 0 to 10000, got -1\n"
                               "departments.sales.staff=-1\n"
                               "                        ^\n");
    run(&r, "run --set departments.sales.staff");
    assert_int_equal(r.code, 65);
    assert_non_null(strstr(r.err, "--set needs PATH=VALUE"));
}

/* Every file of the catalogue tests/scenarios/bad/ (the first line of each
 * states its error) is refused by the program as spec §6 says: exit 65,
 * "FILE:LINE:COL: error: MESSAGE", the line, a caret; and nothing but
 * printable UTF-8 reaches the terminal, whatever bytes the file holds. */
static void cli_every_broken_file_exits_65_with_its_error(void **state)
{
    (void)state;
    static struct run r;
    DIR *d = opendir("tests/scenarios/bad");
    assert_non_null(d);
    int checked = 0;
    for (struct dirent *e; (e = readdir(d));) {
        if (!strstr(e->d_name, ".yaml"))
            continue;
        char path[600], first[800], args[700];
        snprintf(path, sizeof path, "tests/scenarios/bad/%s", e->d_name);
        FILE *f = fopen(path, "rb");
        assert_non_null(f);
        assert_non_null(fgets(first, sizeof first, f));
        fclose(f);
        /* "# error: L:C: MSG" states "PATH:L:C: error: MSG" */
        char *msg = strchr(first + 9, ' ');
        assert_non_null(msg);
        char expect[1600];
        snprintf(expect, sizeof expect, "%s:%.*s error:%s", path, (int)(msg - first - 9), first + 9, msg);
        snprintf(args, sizeof args, "check '%s'", path);
        run(&r, args);
        char *caret = strrchr(r.err, '^');
        if (r.code != 65 || strncmp(r.err, expect, strlen(expect)) != 0 || lines(r.err) != 3 || !caret ||
            strcmp(caret, "^\n") != 0) {
            print_error("%s: exit %d, stderr:\n%s(expected 65 and %s)\n", path, r.code, r.err, expect);
            fail();
        }
        for (const unsigned char *p = (const unsigned char *)r.err; *p; p++)
            assert_true((*p >= 0x20 && *p != 0x7f) || *p == '\n' || *p == '\t');
        assert_int_equal(strlen(r.out), 0);
        checked++;
    }
    closedir(d);
    assert_true(checked >= 60);
}

/* A file of 100 MB is refused without being read whole (a sparse file:
 * nothing is written to the disk). */
static void cli_a_huge_file_is_refused(void **state)
{
    (void)state;
    static struct run r;
    char path[] = "/tmp/cxsim-test-huge-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(ftruncate(fd, 100L << 20), 0);
    close(fd);
    char args[100];
    snprintf(args, sizeof args, "check %s", path);
    run(&r, args);
    unlink(path);
    assert_int_equal(r.code, 65);
    char expect[200];
    snprintf(expect, sizeof expect, "%s:1:1: error: the file is larger than 16 MiB, the most a scenario may be\n",
             path);
    assert_true(strncmp(r.err, expect, strlen(expect)) == 0);
}

/* A business that cannot keep up: each run stops at max_in_system
 * customers inside; the program warns, names the departments at fault, and
 * the report marks them instead of printing numbers that mean nothing. */
static void cli_overload_is_named_not_measured(void **state)
{
    (void)state;
    static struct run r;
    run(&r, "run tests/scenarios/overloaded.yaml");
    assert_int_equal(r.code, 0);
    assert_non_null(strstr(r.err, "warning: 2 replications were stopped: over 3000 customers inside at once, "
                                  "queueing at desk, back"));
    assert_non_null(strstr(r.out, "warning: 2 of 2 runs were stopped as overloaded"));
    assert_non_null(strstr(r.out, "  - desk is overloaded: customers arrive faster than its staff can serve them"));
    assert_non_null(strstr(r.out, "  - back is overloaded"));
    assert_null(strstr(r.out, "quiet is overloaded"));
    assert_non_null(strstr(r.out, "  desk    overloaded             -          -         -   80% in 10 min   missed\n"));
    json_t *doc = run_json("run tests/scenarios/overloaded.yaml --format json");
    json_t *plan = json_array_get(json_object_get(doc, "plans"), 0);
    assert_int_equal(json_integer_value(json_object_get(plan, "overloaded_replications")), 2);
    json_t *at = json_object_get(plan, "overloaded_departments");
    assert_int_equal(json_object_size(at), 2);
    assert_int_equal(json_integer_value(json_object_get(at, "desk")), 2);
    assert_int_equal(json_integer_value(json_object_get(at, "back")), 2);
    json_decref(doc);
    run(&r, "run tests/scenarios/overloaded.yaml --format csv");
    assert_non_null(strstr(r.out, "baseline,department,desk,overloaded_replications,2,,,,1\r\n"));
    /* with room enough, the same business is measured */
    run(&r, "run tests/scenarios/overloaded.yaml --set departments.desk.staff=3 --set departments.back.staff=6 "
            "--set run.length=5000");
    assert_int_equal(r.code, 0);
    assert_null(strstr(r.out, "overloaded"));
    assert_string_equal(r.err, "");
}

static void cli_missing_input_exits_66_and_bad_output_73(void **state)
{
    (void)state;
    static struct run r;
    run(&r, "run no/such/file.yaml");
    assert_int_equal(r.code, 66);
    assert_string_equal(r.err, "cxsim: error: cannot open no/such/file.yaml: No such file or directory\n");
    run(&r, "check");
    assert_int_equal(r.code, 64);
    run(&r, "run a.yaml b.yaml");
    assert_int_equal(r.code, 64);
    run(&r, "run --reps 0");
    assert_int_equal(r.code, 64);
    run(&r, "run --format xml");
    assert_int_equal(r.code, 64);
    run(&r, "run --reps 2 -o /nonexistent-dir/report.txt");
    assert_int_equal(r.code, 73);
    assert_non_null(strstr(r.err, "cannot create /nonexistent-dir/report.txt"));
}

static void cli_output_file_is_whole_or_absent(void **state)
{
    (void)state;
    static struct run a, b;
    char dir[] = "/tmp/cxsim-test-o-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char args[256], path[128];
    snprintf(path, sizeof path, "%s/report.txt", dir);
    snprintf(args, sizeof args, "run --reps 3 -o %s", path);
    run(&a, args);
    assert_int_equal(a.code, 0);
    assert_string_equal(a.out, "");
    run(&b, "run --reps 3");
    static char written[sizeof b.out];   /* the whole report, however long */
    slurp(path, written, sizeof written);
    assert_string_equal(written, b.out);
    /* a failing run leaves the earlier file untouched and no temporary */
    snprintf(args, sizeof args, "run tests/scenarios/bad/route-sum.yaml -o %s", path);
    run(&a, args);
    assert_int_equal(a.code, 65);
    slurp(path, written, sizeof written);
    assert_string_equal(written, b.out);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "test $(ls %s | wc -l) -eq 1", dir);
    assert_int_equal(system(cmd), 0);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
}

static void cli_every_spec_example_runs(void **state)
{
    (void)state;
    static struct run r;
    const char *files[] = {"tests/scenarios/spec_example.yaml", "tests/scenarios/spec_alternatives.yaml",
                           "tests/scenarios/spec_steady.yaml", "scenarios/bank.yaml", "scenarios/callcentre.yaml"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char args[200];
        snprintf(args, sizeof args, "run %s --reps 2", files[i]);
        run(&r, args);
        if (r.code != 0 || !strstr(r.out, "Waits") || strstr(r.out, "warning")) {
            print_error("cxsim %s: exit %d\n%s%s\n", args, r.code, r.out, r.err);
            fail();
        }
    }
}

/* --interval N: the by-hour figures in bins of N minutes on the clock (the
 * same as --set day.interval=N); refused, in its own words, for a
 * steady-state run. */
static void cli_interval_sets_the_bins_of_the_day(void **state)
{
    (void)state;
    json_t *doc = run_json("run --reps 2 --interval 30 --format json");
    json_t *reception = json_object_get(json_object_get(json_array_get(json_object_get(doc, "plans"), 0),
                                                        "departments"), "reception");
    json_t *hour = json_object_get(reception, "hour");
    assert_non_null(json_object_get(hour, "12:30"));
    assert_non_null(json_object_get(hour, "17:30"));
    assert_null(json_object_get(hour, "18:00"));
    json_decref(doc);
    static struct run r;
    run(&r, "run tests/scenarios/spec_steady.yaml --interval 30");
    assert_int_equal(r.code, 64);
    assert_non_null(strstr(r.err, "--interval sets the bins of a day's by-hour figures"));
    run(&r, "run --interval 3");
    assert_int_equal(r.code, 64);
    run(&r, "run --interval 30 --interval 60");
    assert_int_equal(r.code, 64);
}

static void cli_check_describes_the_business(void **state)
{
    (void)state;
    static struct run r;
    run(&r, "check scenarios/dealership.yaml");
    assert_int_equal(r.code, 0);
    assert_non_null(strstr(r.out, "A day from 09:00 to 18:00"));
    assert_non_null(strstr(r.out, "  credit: staff 3 from 09:00, 2 from 12:30, 3 from 13:30; priority queue"));
    assert_non_null(strstr(r.out, "    after reception: credit 60% sales 40%"));
    assert_non_null(strstr(r.out, "50% of services at sales need credit (as credit_check)"));
    assert_non_null(strstr(r.out, "Sweep: 12 plans"));
    assert_non_null(strstr(r.out, "Workshop: each attempt runs 30 days; play at 12 business minutes a second\n"
                                  "  score: staff cost + lost value + 0.5 a minute an external customer waits\n"));
    run(&r, "check scenarios/dealership.yaml --set departments.credit.staff=5");
    assert_non_null(strstr(r.out, "  credit: staff 5;"));
    /* one replication is "1 day", "1 run" */
    run(&r, "check scenarios/dealership.yaml --set replications=1");
    assert_non_null(strstr(r.out, ". 1 day, seed "));
    run(&r, "check scenarios/bench/tandem.yaml");
    assert_non_null(strstr(r.out, ". 1 run, seed "));
    /* patience and balking by department, grouped where they agree */
    run(&r, "check scenarios/dealership.yaml"
            " --set 'customers.buyer.patience={credit: {dist: exponential, mean: 60}, sales: {dist: exponential, mean: 60},"
            " reception: {dist: exponential, mean: 30}}' --set 'customers.buyer.balk_at={default: 8, sales: 4}'");
    assert_int_equal(r.code, 0);
    assert_non_null(strstr(r.out, "    patience at reception: exponential, mean 30 min, sd 30\n"
                                  "    patience at credit, sales: exponential, mean 60 min, sd 60\n"
                                  "    waits for ever at insurance\n"
                                  "    turns away on seeing 8 or more waiting at reception, credit, insurance\n"
                                  "    turns away on seeing 4 or more waiting at sales\n"));
    /* appointments, as a receptionist would read the book */
    run(&r, "check scenarios/dealership.yaml --set 'customers.test_drive={arrivals: {appointments: [{from: \"09:30\","
            " to: \"16:30\", every: 60, no_show: 0.1, punctuality: {dist: normal, mean: 0, sd: 5}}, {from: \"17:30\","
            " per_slot: 2}]}, enter: sales, route: {sales: exit}}'");
    assert_int_equal(r.code, 0);
    assert_non_null(strstr(r.out, "  test_drive (external): by appointment, 9.2 customers a day expected\n"
                                  "    8 slots every 60 min from 09:30 to 16:30 (09:30, 10:30, 11:30, 12:30, 13:30,"
                                  " 14:30, 15:30, 16:30)\n"
                                  "    1 booked a slot; 10% do not come; each comes at the slot plus normal, mean 0 min,"
                                  " sd 5 (early when below 0)\n"
                                  "    1 slot at 17:30\n"
                                  "    2 booked a slot; they come on time\n"));
    run(&r, "check scenarios/dealership.yaml");
    assert_non_null(strstr(r.out, "    patience: exponential, mean 40 min, sd 40\n"
                                  "    turns away on seeing 8 or more waiting\n"));
}


/* Splits a CSV line (no quoted fields in these logs) into fields. */
static size_t csv_fields(const char *line, char f[][64], size_t max)
{
    size_t n = 0, k = 0;
    for (const char *p = line;; p++) {
        if (*p == ',' || *p == '\r' || *p == '\n' || *p == '\0') {
            f[n][k] = '\0';
            n++;
            k = 0;
            if (*p != ',' || n == max)
                return n;
        } else if (k < 63) {
            f[n][k++] = *p;
        }
    }
}

enum { T_TIME, T_CLOCK, T_CUSTOMER, T_CLASS, T_KIND, T_DEPT, T_EVENT, T_STAFF, T_RELATED, T_TO, T_DUR, T_WALK,
       T_COUNT, T_SCORE, T_SHIFT, T_FIELDS };

static void cli_trace_tells_the_golden_story(void **state)
{
    (void)state;
    static struct run a, b;
    run(&a, "trace tests/scenarios/trace_small.yaml");
    assert_int_equal(a.code, 0);
    assert_golden("tests/golden/trace_small.txt", a.out, strlen(a.out));
    /* the same seed tells the same story; --day 1 is the default */
    run(&b, "trace tests/scenarios/trace_small.yaml --day 1 --seed 2");
    assert_string_equal(a.out, b.out);
    run(&b, "trace tests/scenarios/trace_small.yaml --day 2");
    assert_true(strcmp(a.out, b.out) != 0);
    assert_fits(a.out, 100);
    run(&a, "trace tests/scenarios/trace_small.yaml --format csv");
    assert_int_equal(a.code, 0);
    assert_golden("tests/golden/trace_small.csv", a.out, strlen(a.out));
    /* the built-in dealership has a story too, with a request in it */
    run(&a, "trace --customers 3");
    assert_int_equal(a.code, 0);
    assert_non_null(strstr(a.out, "buyer #1 arrives at reception"));
    assert_non_null(strstr(a.out, "internal request"));
}

/* Runs "$CXSIM_BIN ARGS -o TEMPFILE" (ARGS asking for --format json),
 * expects exit 0, and returns the parsed document. */

/* The story is the day `run` measures: its events add up to the day's
 * figures (replication 1 of run = day 1 of trace). */
static void cli_trace_adds_up_to_the_run(void **state)
{
    (void)state;
    static struct run r;
    json_t *doc = run_json("run tests/scenarios/trace_small.yaml --reps 2 --format json");
    json_t *classes = json_object_get(json_array_get(json_object_get(doc, "plans"), 0), "classes");
    run(&r, "trace tests/scenarios/trace_small.yaml --format csv");
    const char *names[] = {"shopper", "courier", "price_check"};
    for (size_t c = 0; c < 3; c++) {
        double served = 0, lost = 0, balked = 0, blocked = 0;
        const char *line = strchr(r.out, '\n') + 1;
        for (; *line; line = strchr(line, '\n') + 1) {
            char f[T_FIELDS + 1][64];
            assert_int_equal(csv_fields(line, f, T_FIELDS + 1), T_FIELDS);
            if (strcmp(f[T_CLASS], names[c]) != 0)
                continue;
            served += !strcmp(f[T_EVENT], "exit");
            lost += !strcmp(f[T_EVENT], "balk") || !strcmp(f[T_EVENT], "block") || !strcmp(f[T_EVENT], "renege") ||
                    !strcmp(f[T_EVENT], "sent_home");
            balked += !strcmp(f[T_EVENT], "balk");
            blocked += !strcmp(f[T_EVENT], "block");
        }
        json_t *cl = json_object_get(classes, names[c]);
        assert_near(json_number_value(json_array_get(json_object_get(json_object_get(cl, "completed"), "values"), 0)),
                    served, 0);
        assert_near(json_number_value(json_array_get(json_object_get(json_object_get(cl, "dropped"), "values"), 0)),
                    lost, 0);
        json_t *at = json_object_get(json_object_get(cl, "dropped_at"), "counter");
        assert_near(json_number_value(json_array_get(json_object_get(json_object_get(at, "balked"), "values"), 0)),
                    balked, 0);
        assert_near(json_number_value(json_array_get(json_object_get(json_object_get(at, "blocked"), "values"), 0)),
                    blocked, 0);
        if (c < 2)
            assert_true(served > 0);
    }
    json_decref(doc);
}

/* The customers named in a CSV trace (customer or related column). */
static bool only_customers(const char *out, const char *const *allowed, size_t n, size_t *rows)
{
    *rows = 0;
    for (const char *line = strchr(out, '\n') + 1; *line; line = strchr(line, '\n') + 1) {
        char f[T_FIELDS + 1][64];
        if (csv_fields(line, f, T_FIELDS + 1) != T_FIELDS)
            return false;
        (*rows)++;
        bool ok = !f[T_CUSTOMER][0];   /* the business's own events */
        for (size_t i = 0; i < n && !ok; i++)
            ok = !strcmp(f[T_CUSTOMER], allowed[i]) || !strcmp(f[T_RELATED], allowed[i]);
        if (!ok) {
            print_error("unexpected row: %.*s\n", (int)strcspn(line, "\r\n"), line);
            return false;
        }
    }
    return true;
}

static void cli_trace_filters(void **state)
{
    (void)state;
    static struct run r;
    size_t rows, all;
    run(&r, "trace tests/scenarios/trace_small.yaml --format csv");
    all = (size_t)lines(r.out) - 1;
    static struct run whole;
    whole = r;
    /* one customer, with the request made for it: the customer whose
     * staff member raised price_check#1, read from the full log */
    static char asker[64];
    for (const char *line = strchr(r.out, '\n') + 1; *line && !asker[0]; line = strchr(line, '\n') + 1) {
        char f[T_FIELDS + 1][64];
        csv_fields(line, f, T_FIELDS + 1);
        if (!strcmp(f[T_EVENT], "request") && !strcmp(f[T_RELATED], "price_check#1"))
            snprintf(asker, sizeof asker, "%s", f[T_CUSTOMER]);
    }
    assert_true(asker[0] != '\0');
    char args[256];
    snprintf(args, sizeof args, "trace tests/scenarios/trace_small.yaml --format csv --customer %s", asker);
    run(&r, args);
    assert_int_equal(r.code, 0);
    const char *one[] = {asker};
    assert_true(only_customers(r.out, one, 1, &rows));
    assert_non_null(strstr(r.out, "price_check#1,price_check,request,counter,start"));
    assert_null(strstr(strchr(r.out, '\n'), ",staff,"));   /* business events are left out */
    /* the first three external customers to arrive */
    r = whole;
    static char first_ids[3][64];
    const char *first[3];
    size_t nfirst = 0;
    for (const char *line = strchr(r.out, '\n') + 1; *line && nfirst < 3; line = strchr(line, '\n') + 1) {
        char f[T_FIELDS + 1][64];
        csv_fields(line, f, T_FIELDS + 1);
        if (!strcmp(f[T_EVENT], "arrive") && !strcmp(f[T_KIND], "external") && !f[T_WALK][0]) {
            snprintf(first_ids[nfirst], 64, "%s", f[T_CUSTOMER]);
            first[nfirst] = first_ids[nfirst];
            nfirst++;
        }
    }
    assert_string_equal(first[2], "courier#1");   /* shopper#1, shopper#2, then a courier */
    run(&r, "trace tests/scenarios/trace_small.yaml --format csv --customers 3");
    assert_true(only_customers(r.out, first, 3, &rows));
    assert_non_null(strstr(r.out, "courier#1,"));
    assert_null(strstr(r.out, "shopper#3,"));
    /* one class */
    run(&r, "trace tests/scenarios/trace_small.yaml --format csv --class courier");
    for (const char *line = strchr(r.out, '\n') + 1; *line; line = strchr(line, '\n') + 1) {
        char f[T_FIELDS + 1][64];
        assert_int_equal(csv_fields(line, f, T_FIELDS + 1), T_FIELDS);
        assert_string_equal(f[T_CLASS], "courier");
    }
    /* a time window */
    run(&r, "trace tests/scenarios/trace_small.yaml --format csv --from 10:00 --to 10:15");
    size_t kept = 0;
    for (const char *line = strchr(r.out, '\n') + 1; *line; line = strchr(line, '\n') + 1, kept++) {
        double t = strtod(line, NULL);
        assert_true(t >= 600 && t <= 615);
    }
    assert_true(kept > 0 && kept < all);
    /* the text says how much it left out */
    run(&r, "trace tests/scenarios/trace_small.yaml --customer shopper#11");
    assert_non_null(strstr(r.out, "shopper #11 leaves, served"));
    assert_null(strstr(r.out, "shopper #12"));
    /* mistakes are usage errors, with a hint */
    const char *bad[][2] = {
        {"trace --customer nobody#1", "no class 'nobody'"},
        {"trace --customer buyer", "--customer must be CLASS#NUMBER"},
        {"trace --class buyr", "did you mean 'buyer'?"},
        {"trace --from 10:00 --to 09:00", "--to comes before --from"},
        {"trace --from noon", "--from must be a time of day"},
        {"trace --format json", "--format must be text or csv"},
        {"trace --customers 0", "--customers must be a whole number"},
        {"run --format xml", "--format must be text, csv, json or html, got 'xml'"},
        {"sweep scenarios/dealership.yaml --metric cost.total_cost",
         "--x, --y and --metric choose the heat map of --format html"},
        {"sweep scenarios/dealership.yaml --format html --metric departments.nope.wait_mean",
         "--metric must name a metric as the JSON report does"},
        {"sweep scenarios/dealership.yaml --format html --x departments.credit.staff",
         "--x departments.credit.staff is not an axis of this sweep"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        run(&r, bad[i][0]);
        if (r.code != 64 || !strstr(r.err, bad[i][1]) || lines(r.err) != 1) {
            print_error("cxsim %s: exit %d, stderr: %s\n", bad[i][0], r.code, r.err);
            fail();
        }
    }
}

/* Spec §3's names: every one must be in the JSON of the dealership. */
static const char *const spec_dept_metrics[] = {
    "arrivals", "wait_mean", "wait_all_mean", "wait_p50", "wait_p90", "wait_p95", "wait_max", "p_wait",
    "service_level", "balk_rate", "block_rate", "abandon_rate", "utilization", "queue_mean", "overtime"};
static const char *const spec_journey_metrics[] = {
    "completed", "dropped", "sojourn_mean", "wait_total_mean", "handoffs_mean", "request_delay_mean",
    "satisfaction_mean", "csat", "lost_value"};
static const char *const spec_cost_metrics[] = {"staff_cost", "lost_value", "total_cost"};

static void assert_stat_object(json_t *o, const char *where, const char *name, size_t reps)
{
    if (!json_is_object(o)) {
        print_error("%s: no metric %s\n", where, name);
        fail();
    }
    const char *keys[] = {"mean", "ci_low", "ci_high", "sd"};
    for (int k = 0; k < 4; k++) {
        json_t *v = json_object_get(o, keys[k]);
        assert_true(json_is_number(v) || json_is_null(v));
    }
    assert_int_equal(json_integer_value(json_object_get(o, "n")) <= (json_int_t)reps, 1);
    assert_int_equal(json_array_size(json_object_get(o, "values")), reps);
    assert_true(json_is_string(json_object_get(o, "unit")));
}

static void cli_run_json_has_every_documented_key(void **state)
{
    (void)state;
    static struct run r;
    json_t *doc = run_json("run scenarios/dealership.yaml --reps 3 --format json");
    json_t *mf = json_object_get(doc, "manifest");
    /* the SHA-256 is the file's, as sha256sum computes it */
    FILE *p = popen("sha256sum scenarios/dealership.yaml", "r");
    char sum[65] = "";
    assert_non_null(p);
    assert_int_equal(fscanf(p, "%64s", sum), 1);
    pclose(p);
    assert_string_equal(json_string_value(json_object_get(mf, "scenario_sha256")), sum);
    assert_string_equal(json_string_value(json_object_get(mf, "seed")), "20261122");
    assert_int_equal(json_integer_value(json_object_get(mf, "replications")), 3);
    assert_non_null(strstr(json_string_value(json_object_get(mf, "command_line")), "cxsim run scenarios/dealership.yaml --reps 3"));
    assert_int_equal(strlen(json_string_value(json_object_get(mf, "started_at"))), 20);
    assert_string_equal(json_string_value(json_object_get(mf, "cxsim_version")), CXSIM_VERSION);

    json_t *plan = json_array_get(json_object_get(doc, "plans"), 0);
    assert_string_equal(json_string_value(json_object_get(plan, "name")), "baseline");
    /* a run's plan is no sweep's: no params, nothing overloaded (bug: the
     * plan's parameter count was left uninitialised, found by valgrind) */
    assert_null(json_object_get(plan, "params"));
    assert_null(json_object_get(plan, "overloaded_departments"));
    const char *key;
    json_t *scope;
    size_t ndepts = 0, nclasses = 0;
    json_object_foreach(json_object_get(plan, "departments"), key, scope) {
        ndepts++;
        for (size_t m = 0; m < sizeof spec_dept_metrics / sizeof *spec_dept_metrics; m++)
            assert_stat_object(json_object_get(scope, spec_dept_metrics[m]), key, spec_dept_metrics[m], 3);
        const char *hour_metrics[] = {"arrivals", "wait_mean", "drops", "staff", "queue_mean"};
        for (int h = 0; h < 5; h++) {
            assert_stat_object(json_object_get(json_object_get(json_object_get(scope, "hour"), "09:00"), hour_metrics[h]),
                               key, hour_metrics[h], 3);
            assert_stat_object(json_object_get(json_object_get(json_object_get(scope, "hour"), "17:00"), hour_metrics[h]),
                               key, hour_metrics[h], 3);
        }
    }
    assert_int_equal(ndepts, 4);
    json_t *journeys[3] = {json_object_get(plan, "classes"), json_object_get(plan, "journeys"), NULL};
    for (int j = 0; j < 2; j++)
        json_object_foreach(journeys[j], key, scope) {
            nclasses++;
            for (size_t m = 0; m < sizeof spec_journey_metrics / sizeof *spec_journey_metrics; m++)
                assert_stat_object(json_object_get(scope, spec_journey_metrics[m]), key, spec_journey_metrics[m], 3);
            for (int b = 1; b <= 5; b++) {
                char band[16];
                snprintf(band, sizeof band, "%d", b);
                assert_stat_object(json_object_get(json_object_get(scope, "satisfaction_band"), band), key, band, 3);
            }
            assert_stat_object(json_object_get(json_object_get(json_object_get(scope, "dropped_at"), "credit"), "reneged"),
                               key, "dropped_at.credit.reneged", 3);
        }
    assert_int_equal(nclasses, 4 + 2);   /* buyer, test_drive, paperwork, credit_check; external, internal */
    for (size_t m = 0; m < 3; m++)
        assert_stat_object(json_object_get(json_object_get(plan, "cost"), spec_cost_metrics[m]), "cost",
                           spec_cost_metrics[m], 3);
    json_decref(doc);

    /* the CSV of the same run: spec §3's columns, a row per metric */
    run(&r, "run scenarios/dealership.yaml --reps 3 --format csv");
    assert_int_equal(r.code, 0);
    assert_true(!strncmp(r.out, "plan,scope,name,metric,mean,ci_low,ci_high,sd,n\r\n", 49));
    assert_non_null(strstr(r.out, "\r\nbaseline,department,credit,wait_mean,"));
    assert_non_null(strstr(r.out, "\r\nbaseline,journey,external,csat,"));
    assert_non_null(strstr(r.out, "\r\nbaseline,cost,plan,total_cost,"));
}

/* --set takes relative changes and list items (spec §2b); a value written
 * =+1 is refused with the form that adds; a request switched off from the
 * command line leaves its internal class unused, which is a warning printed
 * once on stderr (FILE:LINE:COL: warning: MESSAGE), by check too, the exit
 * code unaffected. */
static void cli_set_changes_relatively_and_warns_once(void **state)
{
    (void)state;
    static struct run r;
    run(&r, "check tests/scenarios/shop_request.yaml --set departments.reception.staff+=1 "
            "--set 'departments.credit.staff*=1.5' --set customers.buyer.arrivals.per_hour.1.rate-=1");
    assert_int_equal(r.code, 0);
    assert_string_equal(r.err, "");
    assert_non_null(strstr(r.out, "  reception: staff 3 from 09:00, 2 from 12:00;"));
    assert_non_null(strstr(r.out, "  credit: staff 5;"));
    assert_non_null(strstr(r.out, "  buyer (external): 4/h from 09:00, 8/h from 12:00, 5/h from 16:00\n"));
    static const char warning[] = "tests/scenarios/shop_request.yaml:21:3: warning: customers of class check never "
                                  "arrive: no request makes them and the class has no arrivals: of its own (it is "
                                  "left unused)\n";
    run(&r, "check tests/scenarios/shop_request.yaml --set 'requests=[]'");
    assert_int_equal(r.code, 0);
    assert_string_equal(r.err, warning);
    assert_non_null(strstr(r.out, "  check (internal, priority 1): never arrives (unused)\n"));
    run(&r, "run tests/scenarios/shop_request.yaml --reps 2 --set 'requests=[]'");
    assert_int_equal(r.code, 0);
    assert_string_equal(r.err, warning);
    assert_non_null(strstr(r.out, "Shop\n"));
    run(&r, "run tests/scenarios/shop_request.yaml --set departments.credit.staff=+1");
    assert_int_equal(r.code, 65);
    assert_string_equal(r.err, "--set:1:26: error: '+1' sets departments.credit.staff to 1, it does not add 1: to "
                               "add, write departments.credit.staff+=1 (in set: and sweep:, the key "
                               "departments.credit.staff+=); to set, write 1\n"
                               "departments.credit.staff=+1\n"
                               "                         ^\n");
    run(&r, "run tests/scenarios/shop_request.yaml --set departments.reception.staff-=2");
    assert_int_equal(r.code, 65);
    assert_non_null(strstr(r.err, "--set:1:30: error: count of step 2 of staff of reception must be a whole number "
                                  "from 0 to 10000, got -1 (1 - 2, by the relative change "
                                  "departments.reception.staff-=2)\n"));
}

TEST_TABLE(test_cli,
           cmocka_unit_test(cli_trace_tells_the_golden_story),
           cmocka_unit_test(cli_trace_adds_up_to_the_run),
           cmocka_unit_test(cli_trace_filters),
           cmocka_unit_test(cli_run_json_has_every_documented_key),
           cmocka_unit_test(cli_version_and_help),
           cmocka_unit_test(cli_mistakes_exit_64_with_a_one_line_hint),
           cmocka_unit_test(cli_write_error_exits_74),
           cmocka_unit_test(cli_dist_is_reproducible_and_seeded),
           cmocka_unit_test(cli_run_reports_the_builtin_dealership),
           cmocka_unit_test(cli_scenario_errors_exit_65_with_line_and_caret),
           cmocka_unit_test(cli_every_broken_file_exits_65_with_its_error),
           cmocka_unit_test(cli_a_huge_file_is_refused),
           cmocka_unit_test(cli_overload_is_named_not_measured),
           cmocka_unit_test(cli_missing_input_exits_66_and_bad_output_73),
           cmocka_unit_test(cli_output_file_is_whole_or_absent),
           cmocka_unit_test(cli_every_spec_example_runs),
           cmocka_unit_test(cli_interval_sets_the_bins_of_the_day),
           cmocka_unit_test(cli_check_describes_the_business),
           cmocka_unit_test(cli_set_changes_relatively_and_warns_once))
