/* tests/test_cli_robust.c — the second attack (issue 18), one test per
 * failure it found, written before its fix: what once crashed, hung,
 * grew without bound or wrote where it was not asked now gives a clear
 * answer and its exit code. docs/robustness.md lists each failure and
 * what cxsim now does about it. */
#include "tests/testutil.h"
#include "tests/clirun.h"

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

TEST_TABLE(test_cli_robust, cmocka_unit_test(robust_compare_a_department_only_the_variant_has))
