/* tests/testutil.h — what every cxsim test file includes.
 *
 * cmocka and its prerequisite headers, assert_near for doubles (cmocka 1.1.5's
 * assert_float_equal compares as float), and the declarations of each
 * module's test table, which tests/run_tests.c joins into one group so that
 * `make test` ends with one cmocka summary for the whole suite.
 */
#ifndef CXSIM_TESTUTIL_H
#define CXSIM_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "sim/mem.h"

/* Where tests put the files they name (sweep databases, reports): a
 * directory of the build flavour (the Makefile makes it), so that make test
 * and make check can run at the same time. */
#ifndef CXSIM_TEST_TMP
#define CXSIM_TEST_TMP "/tmp"
#endif

/* Fails unless |a - b| <= tol; prints both values in full. NaN never passes. */
#define assert_near(a, b, tol) test_assert_near((a), (b), (tol), #a, __FILE__, __LINE__)

static inline void test_assert_near(double a, double b, double tol, const char *expr,
                                    const char *file, int line)
{
    if (!(fabs(a - b) <= tol)) {
        print_error("%s = %.17g, expected %.17g +/- %.3g\n", expr, a, b, tol);
        _fail(file, line);
    }
}

/* Fails unless every line of text is at most `width` columns (UTF-8
 * characters) wide. */
#define assert_fits(text, width) test_assert_fits((text), (width), __FILE__, __LINE__)

static inline void test_assert_fits(const char *text, size_t width, const char *file, int line)
{
    size_t lineno = 1;
    for (const char *p = text; *p; lineno++) {
        const char *nl = strchr(p, '\n');
        if (!nl)
            nl = p + strlen(p);
        size_t cols = 0;
        for (const char *q = p; q < nl; q++)
            cols += ((unsigned char)*q & 0xC0) != 0x80;
        if (cols > width) {
            print_error("line %zu is %zu columns wide (at most %zu): %.*s\n", lineno, cols, width, (int)(nl - p), p);
            _fail(file, line);
        }
        p = *nl ? nl + 1 : nl;
    }
}

/* fork() for a child that runs test code and then exits (rather than
 * exec'ing a program). First every OpenMP thread gives its spare arena
 * blocks back to malloc (sim_arena_trim): they hang from the threads' own
 * storage, which a forked child copies but whose threads it does not have,
 * so valgrind's leak check in the child would call them lost (make memcheck
 * failed so once, in file_signals_ignored_stay_ignored). */
static inline pid_t test_fork(void)
{
#ifdef _OPENMP
#pragma omp parallel
    sim_arena_trim();
#endif
    sim_arena_trim();
    fflush(NULL);
    return fork();
}

/* Compares text (len bytes) with the golden file at path, relative to the
 * top of the source tree. With CXSIM_REGEN=1 in the environment it writes
 * the file instead (`make golden`): golden files change only on purpose,
 * and the diff shows how. */
#define assert_golden(path, text, len) test_assert_golden((path), (text), (len), __FILE__, __LINE__)

static inline void test_assert_golden(const char *path, const char *text, size_t len, const char *file, int line)
{
    const char *regen = getenv("CXSIM_REGEN");
    if (regen && !strcmp(regen, "1")) {
        FILE *f = fopen(path, "wb");
        if (!f || fwrite(text, 1, len, f) != len || fclose(f) != 0) {
            print_error("cannot write golden file %s\n", path);
            _fail(file, line);
        }
        return;
    }
    FILE *f = fopen(path, "rb");
    if (!f) {
        print_error("no golden file %s (make golden writes it)\n", path);
        _fail(file, line);
        return;
    }
    char *want = sim_xmalloc(len + 2);
    size_t n = fread(want, 1, len + 1, f);
    fclose(f);
    size_t at = 0;
    while (at < n && at < len && want[at] == text[at])
        at++;
    if (n != len || at != len) {
        size_t lineno = 1;
        for (size_t i = 0; i < at; i++)
            lineno += text[i] == '\n';
        print_error("%s differs from the output at line %zu (byte %zu); 'make golden' rewrites it "
                    "if the change is meant\n", path, lineno, at);
        free(want);
        _fail(file, line);
        return;
    }
    free(want);
}

/* A directory of the test's own, made fresh under CXSIM_TEST_TMP as
 * PREFIX-NAME-XXXXXX into dir; removed with test_tidy. */
static inline void test_fresh_dir(char *dir, size_t len, const char *prefix, const char *name)
{
    mkdir(CXSIM_TEST_TMP, 0777);   /* (make test makes it; a lone run_tests may not have) */
    snprintf(dir, len, CXSIM_TEST_TMP "/%s-%s-XXXXXX", prefix, name);
    assert_non_null(mkdtemp(dir));
}

static inline void test_tidy(const char *dir)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

#define TEST_SUITES(X) \
    X(test_sim_err)    \
    X(test_sim_mem)    \
    X(test_sim_calendar) \
    X(test_sim_stream) \
    X(test_sim_dist)   \
    X(test_sim_tally)  \
    X(test_sim_ci)     \
    X(test_sim_mser)   \
    X(test_sim_select) \
    X(test_sim_fit) \
    X(test_sim_km) \
    X(test_mdl_ydoc) \
    X(test_mdl_scenario) \
    X(test_mdl_flow) \
    X(test_mdl_staff) \
    X(test_mdl_crn) \
    X(test_mdl_arrivals) \
    X(test_mdl_satisfaction) \
    X(test_mdl_plans) \
    X(test_mdl_optimise) \
    X(test_mdl_validation) \
    X(test_out_writers) \
    X(test_out_file) \
    X(test_out_html) \
    X(test_browser) \
    X(test_browser_serve) \
    X(test_out_compare) \
    X(test_cli) \
    X(test_cli_results) \
    X(test_cli_coverage) \
    X(test_cli_plans) \
    X(test_cli_workshop) \
    X(test_cli_robust) \
    X(test_cli_input) \
    X(test_cli_files) \
    X(test_cli_staff) \
    X(test_cli_optimise) \
    X(test_cli_log) \
    X(test_mdl_fit) \
    X(test_cli_fit) \
    X(test_cli_serve) \
    X(test_cli_serve_live) \
    X(test_layering) \
    X(test_docs)

#define TEST_DECLARE(name)                  \
    extern const struct CMUnitTest name[]; \
    extern const size_t name##_count;
TEST_SUITES(TEST_DECLARE)

#define TEST_TABLE(name, ...)                                  \
    const struct CMUnitTest name[] = {__VA_ARGS__};            \
    const size_t name##_count = sizeof name / sizeof name[0];

#endif
