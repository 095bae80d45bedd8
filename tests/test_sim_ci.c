/* tests/test_sim_ci.c — Student-t intervals: a hand-checked case, NaNs
 * skipped, degenerate sizes, and coverage near 95% in repeated trials. */
#include "tests/testutil.h"

#include "sim/ci.h"
#include "sim/stream.h"

#include <gsl/gsl_randist.h>

static void ci_matches_a_hand_computation(void **state)
{
    (void)state;
    /* 1..5: mean 3, sd sqrt(2.5); t(0.975, 4) = 2.7764451051977987 (tables). */
    const double x[] = {1, 2, 3, 4, 5};
    struct sim_ci ci = sim_ci_student(x, 5, 0.95);
    double half = 2.7764451051977987 * sqrt(2.5) / sqrt(5.0);
    assert_int_equal(ci.n, 5);
    assert_near(ci.mean, 3, 1e-12);
    assert_near(ci.sd, sqrt(2.5), 1e-12);
    assert_near(ci.half, half, 1e-9);
    assert_near(ci.lo, 3 - half, 1e-9);
    assert_near(ci.hi, 3 + half, 1e-9);
}

static void ci_skips_nan_and_handles_small_n(void **state)
{
    (void)state;
    const double x[] = {NAN, 2, NAN, 4};
    struct sim_ci ci = sim_ci_student(x, 4, 0.95);
    assert_int_equal(ci.n, 2);
    assert_near(ci.mean, 3, 1e-12);
    /* t(0.975, 1) = 12.706204736174698 */
    assert_near(ci.half, 12.706204736174698 * sqrt(2.0) / sqrt(2.0), 1e-8);
    const double one[] = {7};
    ci = sim_ci_student(one, 1, 0.95);
    assert_int_equal(ci.n, 1);
    assert_near(ci.mean, 7, 0);
    assert_true(isnan(ci.half) && isnan(ci.sd));
    assert_near(ci.lo, 7, 0);
    ci = sim_ci_student(x, 0, 0.95);
    assert_int_equal(ci.n, 0);
    assert_true(isnan(ci.mean));
    const double same[] = {2, 2, 2};
    ci = sim_ci_student(same, 3, 0.95);
    assert_near(ci.half, 0, 0);
    assert_near(ci.lo, 2, 0);
}

static void ci_covers_the_true_mean_about_95_percent_of_the_time(void **state)
{
    (void)state;
    /* 4000 trials of 10 normal draws. Coverage is binomial(4000, 0.95):
     * its sd is sqrt(0.95 * 0.05 / 4000) = 0.00345; allow 4 of them. */
    enum { TRIALS = 4000, N = 10 };
    struct sim_stream s;
    sim_stream_init(&s, 20261122, 0, 0, 0);
    int covered = 0;
    for (int t = 0; t < TRIALS; t++) {
        double x[N];
        for (int i = 0; i < N; i++)
            x[i] = 7 + gsl_ran_gaussian(sim_stream_rng(&s), 3);
        struct sim_ci ci = sim_ci_student(x, N, 0.95);
        covered += ci.lo <= 7 && 7 <= ci.hi;
    }
    assert_near((double)covered / TRIALS, 0.95, 4 * sqrt(0.95 * 0.05 / TRIALS));
    /* And a 90% interval covers about 90%. */
    covered = 0;
    for (int t = 0; t < TRIALS; t++) {
        double x[N];
        for (int i = 0; i < N; i++)
            x[i] = 7 + gsl_ran_gaussian(sim_stream_rng(&s), 3);
        struct sim_ci ci = sim_ci_student(x, N, 0.90);
        covered += ci.lo <= 7 && 7 <= ci.hi;
    }
    assert_near((double)covered / TRIALS, 0.90, 4 * sqrt(0.90 * 0.10 / TRIALS));
}

TEST_TABLE(test_sim_ci,
           cmocka_unit_test(ci_matches_a_hand_computation),
           cmocka_unit_test(ci_skips_nan_and_handles_small_n),
           cmocka_unit_test(ci_covers_the_true_mean_about_95_percent_of_the_time))
