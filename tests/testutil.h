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

#define TEST_SUITES(X) \
    X(test_sim_err)    \
    X(test_sim_mem)    \
    X(test_sim_calendar) \
    X(test_sim_stream) \
    X(test_sim_dist)   \
    X(test_sim_tally)  \
    X(test_sim_ci)     \
    X(test_mdl_ydoc) \
    X(test_mdl_scenario) \
    X(test_mdl_flow) \
    X(test_mdl_satisfaction) \
    X(test_mdl_validation) \
    X(test_cli)

#define TEST_DECLARE(name)                  \
    extern const struct CMUnitTest name[]; \
    extern const size_t name##_count;
TEST_SUITES(TEST_DECLARE)

#define TEST_TABLE(name, ...)                                  \
    const struct CMUnitTest name[] = {__VA_ARGS__};            \
    const size_t name##_count = sizeof name / sizeof name[0];

#endif
