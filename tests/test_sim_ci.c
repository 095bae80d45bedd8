/* tests/test_sim_ci.c — Student-t intervals: a hand-checked case, NaNs
 * skipped, degenerate sizes, and coverage near 95% in repeated trials. */
#include "tests/testutil.h"

#include "sim/ci.h"
#include "sim/stream.h"
#include "sim/tally.h"

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

/* The interval from streamed moments (a tally of the replications' values)
 * is the interval of the values, to rounding (GSL accumulates its mean in
 * long double, Welford's update in double). */
static void ci_from_a_tally_is_the_ci_of_its_values(void **state)
{
    (void)state;
    struct sim_stream st;
    sim_stream_init(&st, 9, 0, 1, 0);
    double x[1000];
    struct sim_tally t;
    sim_tally_init(&t, false);
    for (size_t i = 0; i < 1000; i++) {
        x[i] = 100 + gsl_ran_gaussian(sim_stream_rng(&st), 7);
        sim_tally_add(&t, x[i]);
    }
    struct sim_ci a = sim_ci_student(x, 1000, 0.95), b = sim_ci_from_tally(&t, 0.95);
    assert_int_equal(b.n, 1000);
    assert_near(b.mean, a.mean, 1e-14 * a.mean);
    assert_near(b.sd, a.sd, 1e-12 * a.sd);
    assert_near(b.half, a.half, 1e-12 * a.half);
    assert_near(b.lo, a.lo, 1e-12 * a.mean);
    /* small tallies: as sim_ci_student with one value, and with none */
    sim_tally_reset(&t);
    sim_tally_add(&t, 7);
    b = sim_ci_from_tally(&t, 0.95);
    assert_int_equal(b.n, 1);
    assert_true(b.mean == 7 && b.lo == 7 && b.hi == 7 && isnan(b.sd) && isnan(b.half));
    sim_tally_reset(&t);
    b = sim_ci_from_tally(&t, 0.95);
    assert_int_equal(b.n, 0);
    assert_true(isnan(b.mean) && isnan(b.lo));
    sim_tally_fini(&t);
}

TEST_TABLE(test_sim_ci,
           cmocka_unit_test(ci_from_a_tally_is_the_ci_of_its_values),
           cmocka_unit_test(ci_matches_a_hand_computation),
           cmocka_unit_test(ci_skips_nan_and_handles_small_n),
           cmocka_unit_test(ci_covers_the_true_mean_about_95_percent_of_the_time))
