/* tests/test_cli.c — the program as a user runs it: help, version, exit
 * codes of spec §6, one-line hints, write errors, and reproducible output.
 * Runs the binary named by $CXSIM_BIN (the Makefile sets it; ./cxsim if not). */
#include "tests/testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

struct run {
    int code;
    char out[16384];
    char err[2048];
};

static void slurp(const char *path, char *buf, size_t cap)
{
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    size_t n = fread(buf, 1, cap - 1, f);
    buf[n] = '\0';
    fclose(f);
}

/* Runs "$CXSIM_BIN ARGS" through the shell; ARGS is shell text. When
 * `to` is not NULL stdout goes there instead of being captured. */
static void run_to(struct run *r, const char *args, const char *to)
{
    const char *bin = getenv("CXSIM_BIN");
    char out[] = "/tmp/cxsim-test-out-XXXXXX", err[] = "/tmp/cxsim-test-err-XXXXXX";
    int fo = mkstemp(out), fe = mkstemp(err);
    assert_true(fo >= 0 && fe >= 0);
    close(fo);
    close(fe);
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "%s %s >%s 2>%s", bin ? bin : "./cxsim", args, to ? to : out, err);
    int status = system(cmd);
    assert_true(WIFEXITED(status));
    r->code = WEXITSTATUS(status);
    slurp(out, r->out, sizeof r->out);
    slurp(err, r->err, sizeof r->err);
    unlink(out);
    unlink(err);
}

static void run(struct run *r, const char *args)
{
    run_to(r, args, NULL);
}

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
    for (const char *p = a.out; *p;) {
        const char *nl = strchr(p, '\n');
        size_t chars = 0;
        for (const char *q = p; q < nl; q++)
            chars += ((unsigned char)*q & 0xC0) != 0x80;
        assert_true(chars <= 100);
        p = nl + 1;
    }
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
    char written[8192];
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
    run(&r, "check scenarios/dealership.yaml --set departments.credit.staff=5");
    assert_non_null(strstr(r.out, "  credit: staff 5;"));
}

TEST_TABLE(test_cli,
           cmocka_unit_test(cli_version_and_help),
           cmocka_unit_test(cli_mistakes_exit_64_with_a_one_line_hint),
           cmocka_unit_test(cli_write_error_exits_74),
           cmocka_unit_test(cli_dist_is_reproducible_and_seeded),
           cmocka_unit_test(cli_run_reports_the_builtin_dealership),
           cmocka_unit_test(cli_scenario_errors_exit_65_with_line_and_caret),
           cmocka_unit_test(cli_missing_input_exits_66_and_bad_output_73),
           cmocka_unit_test(cli_output_file_is_whole_or_absent),
           cmocka_unit_test(cli_every_spec_example_runs),
           cmocka_unit_test(cli_check_describes_the_business))
