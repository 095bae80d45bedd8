/* tests/test_cli_robust.c — the second attack (issue 18), one test per
 * failure it found, written before its fix: what once crashed, hung,
 * grew without bound or wrote where it was not asked now gives a clear
 * answer and its exit code. docs/robustness.md lists each failure and
 * what cxsim now does about it. */
#define _DEFAULT_SOURCE /* wait4: a child's peak memory */
#include "tests/testutil.h"
#include "tests/clirun.h"

#include <fcntl.h>
#include <sys/resource.h>

#define TMP(name) CXSIM_TEST_TMP "/robust-" name

/* A small shop whose variant adds a department the baseline does not
 * have, and routes to it. */
static const char shop_with_extra[] =
    "name: Shop\nseed: 1\nreplications: 3\nday: {open: \"09:00\", close: \"12:00\"}\n"
    "departments:\n  desk: {staff: 1, service: {dist: exponential, mean: 4}}\n"
    "customers:\n  walkin: {arrivals: {per_hour: 10}, enter: desk, route: {desk: {exit: 1}}}\n"
    "variants:\n  - name: with an extra desk\n"
    "    set: {departments.extra: {staff: 1, service: {dist: exponential, mean: 2}},\n"
    "          customers.walkin.route: {desk: {extra: 1}}}\n";

/* 18.1: compare's text report once read the baseline's figures of a
 * department only the variant has (SIGSEGV). Each format now shows that
 * department with no baseline figure and no difference. */
static void robust_compare_a_department_only_the_variant_has(void **state)
{
    (void)state;
    static struct run r;
    write_text(TMP("extra.yaml"), shop_with_extra);
    static const char *const formats[] = {"text", "csv", "json", "html"};
    for (size_t i = 0; i < 4; i++) {
        char args[256];
        snprintf(args, sizeof args, "compare %s --format %s", TMP("extra.yaml"), formats[i]);
        run(&r, args);
        assert_int_equal(r.code, 0);
        assert_string_equal(r.err, "");
    }
    run(&r, "compare " TMP("extra.yaml"));
    /* the extra desk's row: no baseline figure, the plan's, no difference */
    const char *row = strstr(r.out, "\n    extra ");
    assert_non_null(row);
    const char *end = strchr(row + 1, '\n');
    assert_non_null(end);
    assert_non_null(memchr(row, '-', (size_t)(end - row)));
    assert_fits(r.out, 100);
    unlink(TMP("extra.yaml"));
}

/* Runs "$CXSIM_BIN ARGS" with standard input from in_path and its
 * output thrown away; returns its exit code and, in *peak_kb, the most
 * memory it held at once (its peak resident set, from wait4). */
static int run_measured(const char *args, const char *in_path, long *peak_kb)
{
    const char *bin = getenv("CXSIM_BIN");
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "exec %s %s <%s >/dev/null 2>&1", bin ? bin : "./cxsim", args, in_path);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
        _exit(127);
    }
    int status;
    struct rusage ru;
    assert_int_equal(wait4(pid, &status, 0, &ru), pid);
    assert_true(WIFEXITED(status));
    *peak_kb = ru.ru_maxrss;
    return WEXITSTATUS(status);
}

/* A workshop script of n changes each taken back, then one run. */
static void write_set_undo(const char *path, unsigned n)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    for (unsigned i = 0; i < n; i++)
        fprintf(f, "set departments.credit.staff %u\nundo\n", 2 + i % 3);
    fputs("run\nquit\n", f);
    assert_int_equal(fclose(f), 0);
}

/* 18.8: the workshop kept every scenario it replaced (some 65 KB for each
 * set and each undo on the dealership), so a long session grew without
 * bound. It keeps the changes undo needs, not the scenarios: 400 changes
 * taken back cost no more memory than 10. (Peak memory through the
 * kernel's counters; meaningless under valgrind, whose own tests are for
 * leaks, and ASan's quarantine is kept small so a freed scenario is not
 * held.) */
static void robust_workshop_memory_stays_flat_over_set_and_undo(void **state)
{
    (void)state;
    if (getenv("CXSIM_BIN") && strstr(getenv("CXSIM_BIN"), "valgrind"))
        skip();
    setenv("ASAN_OPTIONS", "quarantine_size_mb=1:detect_leaks=1", 0);
    write_set_undo(TMP("few.ws"), 10);
    write_set_undo(TMP("many.ws"), 400);
    long few_kb = 0, many_kb = 0;
    assert_int_equal(run_measured("workshop", TMP("few.ws"), &few_kb), 0);
    assert_int_equal(run_measured("workshop", TMP("many.ws"), &many_kb), 0);
    print_message("workshop peak memory: %ld KB after 10 changes undone, %ld KB after 400\n", few_kb, many_kb);
    /* before the fix: about 800 × 65 KB = 52 MB more */
    assert_true(many_kb < few_kb + 8 * 1024);
    unlink(TMP("few.ws"));
    unlink(TMP("many.ws"));
}

TEST_TABLE(test_cli_robust, cmocka_unit_test(robust_compare_a_department_only_the_variant_has),
           cmocka_unit_test(robust_workshop_memory_stays_flat_over_set_and_undo))
