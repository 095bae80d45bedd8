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

/* Share of TRIALS intervals at `level`, each from 10 draws of N(7, 3),
 * that contain 7. */
static double coverage(struct sim_stream *s, double level, int trials)
{
    int covered = 0;
    for (int t = 0; t < trials; t++) {
        double x[10];
        for (int i = 0; i < 10; i++)
            x[i] = 7 + gsl_ran_gaussian(sim_stream_rng(s), 3);
        struct sim_ci ci = sim_ci_student(x, 10, level);
        covered += ci.lo <= 7 && 7 <= ci.hi;
    }
    return (double)covered / trials;
}

static void ci_covers_the_true_mean_about_95_percent_of_the_time(void **state)
{
    (void)state;
    /* Coverage in 4000 trials is binomial(4000, p)/4000: its sd is
     * sqrt(p (1 - p) / 4000) (0.00345 for p = 0.95); allow 4 of them. */
    enum { TRIALS = 4000 };
    struct sim_stream s;
    sim_stream_init(&s, 20261122, 0, 0, 0);
    assert_near(coverage(&s, 0.95, TRIALS), 0.95, 4 * sqrt(0.95 * 0.05 / TRIALS));
    assert_near(coverage(&s, 0.90, TRIALS), 0.90, 4 * sqrt(0.90 * 0.10 / TRIALS));
}

TEST_TABLE(test_sim_ci,
           cmocka_unit_test(ci_matches_a_hand_computation),
           cmocka_unit_test(ci_skips_nan_and_handles_small_n),
           cmocka_unit_test(ci_covers_the_true_mean_about_95_percent_of_the_time))
