/* tests/test_sim_ci.c — Student-t intervals: a hand-checked case, NaNs
 * skipped, degenerate sizes, and coverage near 95% in repeated trials. The
 * estimators of spec section 3 likewise: the ratio of totals (by hand, and
 * its coverage), clamping, the bounds of a share never or always seen, and
 * the sectioning interval (by hand). */
#include "tests/testutil.h"

#include "sim/ci.h"
#include "sim/stream.h"
#include "sim/tally.h"

#include <gsl/gsl_cdf.h>
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

/* The paired ratio difference from running co-moments is the one from the
 * kept replications: customers served and their total wait on 2,000 days of
 * two plans that share their days (correlated), a few days unmeasured
 * (NaN) on either side. With every denominator 1 it is Student's interval
 * of the differences. */
static void ci_ratio_diff_tally_is_the_ci_of_its_pairs(void **state)
{
    (void)state;
    struct sim_stream st;
    sim_stream_init(&st, 10, 0, 1, 0);
    enum { N = 2000 };
    static double na[N], da[N], nb[N], db[N];
    struct sim_ratio_diff_tally t;
    sim_ratio_diff_tally_init(&t);
    for (size_t i = 0; i < N; i++) {
        double day = gsl_ran_gaussian(sim_stream_rng(&st), 10);   /* what both plans' day shares */
        da[i] = fmax(0, 60 + day + gsl_ran_gaussian(sim_stream_rng(&st), 3));
        db[i] = fmax(0, 60 + day + gsl_ran_gaussian(sim_stream_rng(&st), 3));
        na[i] = da[i] * (5 + 0.2 * day + gsl_ran_gaussian(sim_stream_rng(&st), 1));
        nb[i] = db[i] * (4 + 0.2 * day + gsl_ran_gaussian(sim_stream_rng(&st), 1));
        if (i % 97 == 3)
            na[i] = NAN;
        if (i % 89 == 5)
            db[i] = NAN;
        sim_ratio_diff_tally_add(&t, na[i], da[i], nb[i], db[i]);
    }
    struct sim_ci a = sim_ci_ratio_diff(na, da, nb, db, N, 0.95), b = sim_ci_from_ratio_diff_tally(&t, 0.95);
    assert_int_equal(b.n, a.n);
    assert_true(a.n < N && a.n > N - 50);
    assert_near(b.mean, a.mean, 1e-12 * fabs(a.mean));
    assert_near(b.sd, a.sd, 1e-9 * a.sd);
    assert_near(b.half, a.half, 1e-9 * a.half);
    assert_true(a.mean < -0.5 && a.half < 0.2);   /* about -1, told apart */
    /* denominators 1: Student over the differences */
    double diff[5] = {1, 3, 2, 5, 4};
    sim_ratio_diff_tally_init(&t);
    for (size_t i = 0; i < 5; i++)
        sim_ratio_diff_tally_add(&t, 10, 1, 10 + diff[i], 1);
    a = sim_ci_student(diff, 5, 0.95);
    b = sim_ci_from_ratio_diff_tally(&t, 0.95);
    assert_near(b.mean, a.mean, 1e-12);
    assert_near(b.half, a.half, 1e-12);
    assert_int_equal(t.n_both, 5);
    /* none, or one: no interval */
    sim_ratio_diff_tally_init(&t);
    b = sim_ci_from_ratio_diff_tally(&t, 0.95);
    assert_true(b.n == 0 && isnan(b.mean));
    sim_ratio_diff_tally_add(&t, 1, 2, 3, 4);
    b = sim_ci_from_ratio_diff_tally(&t, 0.95);
    assert_true(b.n == 1 && b.mean == 0.25 && isnan(b.half));
}

/* t(0.975, 2) in closed form: with 2 degrees of freedom F(t) = 1/2 +
 * t / (2 sqrt(2 + t^2)), so F = 0.975 gives t^2 = 2 * 0.95^2 / (1 - 0.95^2)
 * = 1.805 / 0.0975. */
#define T975_2 4.302652729749464

static void ci_ratio_matches_a_hand_computation(void **state)
{
    (void)state;
    assert_near(sqrt(1.805 / 0.0975), T975_2, 1e-15);
    /* Three replications (the pairs with a NaN are left out): 2 of 10, 3 of
     * 10, 6 of 20. R = 11 / 40 = 0.275; residuals y - R x = -0.75, 0.25,
     * 0.5; s^2 = 0.875 / 2; mean x = 40/3; sd = sqrt(0.4375) / (40/3) =
     * 0.049607837082461075; half = T975_2 * sd / sqrt(3) =
     * 0.12323269889490808. */
    const double y[] = {2, 3, NAN, 6, 4};
    const double x[] = {10, 10, 7, 20, NAN};
    struct sim_ci ci = sim_ci_ratio(y, x, 5, 0.95);
    assert_int_equal(ci.n, 3);
    assert_near(ci.mean, 0.275, 1e-15);
    assert_near(ci.sd, 0.049607837082461075, 1e-15);
    assert_near(ci.half, 0.12323269889490808, 1e-12);
    assert_near(ci.lo, 0.275 - 0.12323269889490808, 1e-12);
    assert_near(ci.hi, 0.275 + 0.12323269889490808, 1e-12);
    /* a ratio of totals, not the mean of the days' ratios (0.2667) */
    assert_true(fabs(ci.mean - (0.2 + 0.3 + 0.3) / 3) > 0.008);
}

static void ci_ratio_degenerate_inputs(void **state)
{
    (void)state;
    /* denominators summing to 0: nothing to measure */
    const double zy[] = {0, 0}, zx[] = {0, 0};
    struct sim_ci ci = sim_ci_ratio(zy, zx, 2, 0.95);
    assert_int_equal(ci.n, 2);
    assert_true(isnan(ci.mean) && isnan(ci.lo) && isnan(ci.hi) && isnan(ci.half));
    /* no pair, or every pair with a NaN */
    const double ny[] = {NAN, 1}, nx[] = {3, NAN};
    ci = sim_ci_ratio(ny, nx, 2, 0.95);
    assert_int_equal(ci.n, 0);
    assert_true(isnan(ci.mean));
    ci = sim_ci_ratio(ny, nx, 0, 0.95);
    assert_int_equal(ci.n, 0);
    /* one pair: the ratio, no interval */
    const double oy[] = {3}, ox[] = {12};
    ci = sim_ci_ratio(oy, ox, 1, 0.95);
    assert_int_equal(ci.n, 1);
    assert_true(ci.mean == 0.25 && ci.lo == 0.25 && ci.hi == 0.25 && isnan(ci.sd) && isnan(ci.half));
    /* every replication at the same ratio: no spread */
    const double py[] = {1, 2, 3}, px[] = {4, 8, 12};
    ci = sim_ci_ratio(py, px, 3, 0.95);
    assert_near(ci.mean, 0.25, 0);
    assert_near(ci.half, 0, 0);
    assert_near(ci.lo, 0.25, 0);
}

/* Share of `trials` ratio intervals at 95%, each from n = 30 replications
 * of X ~ Poisson(20) customers of whom Y ~ Binomial(X, p) show the share,
 * that contain p (= E[Y] / E[X]). */
static double ratio_coverage(struct sim_stream *s, double p, int trials)
{
    enum { N = 30 };
    int covered = 0;
    for (int t = 0; t < trials; t++) {
        double x[N], y[N];
        for (int i = 0; i < N; i++) {
            unsigned c = gsl_ran_poisson(sim_stream_rng(s), 20);
            x[i] = c;
            y[i] = gsl_ran_binomial(sim_stream_rng(s), p, c);
        }
        struct sim_ci ci = sim_ci_ratio(y, x, N, 0.95);
        covered += ci.lo <= p && p <= ci.hi;
    }
    return (double)covered / trials;
}

static void ci_ratio_covers_the_true_share_about_95_percent_of_the_time(void **state)
{
    (void)state;
    /* The number of intervals covering p in 2,000 independent experiments
     * is binomial(2000, c) for the true coverage c, so the measured share
     * has sd sqrt(c (1 - c) / 2000), 0.00487 at c = 0.95; four of them
     * (0.0195) leave a 6e-5 chance of failing a correct estimator. The
     * delta method is asymptotic: at n = 30 and p = 0.3 its coverage
     * measured over 10^5 experiments is 0.948 (0.944 at p = 0.05), well
     * inside. */
    enum { TRIALS = 2000 };
    struct sim_stream s;
    sim_stream_init(&s, 20261122, 0, 2, 0);
    assert_near(ratio_coverage(&s, 0.3, TRIALS), 0.95, 4 * sqrt(0.95 * 0.05 / TRIALS));
}

static void ci_clamp_keeps_the_interval_in_range(void **state)
{
    (void)state;
    struct sim_ci ci = {0.02, 0.1, 0.05, -0.03, 0.07, 30};
    sim_ci_clamp(&ci, 0, 1);
    assert_true(ci.mean == 0.02 && ci.lo == 0 && ci.hi == 0.07);
    assert_true(ci.half == 0.05 && ci.sd == 0.1 && ci.n == 30);   /* left as they were */
    ci = (struct sim_ci){0.98, 0.1, 0.05, 0.93, 1.03, 30};
    sim_ci_clamp(&ci, 0, 1);
    assert_true(ci.lo == 0.93 && ci.hi == 1);
    ci = (struct sim_ci){1.5, 0.1, 0.05, 1.45, 1.55, 30};
    sim_ci_clamp(&ci, 0, 1);
    assert_true(ci.mean == 1 && ci.lo == 1 && ci.hi == 1);
    ci = (struct sim_ci){NAN, NAN, NAN, NAN, NAN, 0};
    sim_ci_clamp(&ci, 0, 1);
    assert_true(isnan(ci.mean) && isnan(ci.lo) && isnan(ci.hi));
    ci = (struct sim_ci){-2, 1, 3, -5, 1, 9};
    sim_ci_clamp(&ci, 0, INFINITY);
    assert_true(ci.mean == 0 && ci.lo == 0 && ci.hi == 1);
}

static void ci_zero_share_bound_is_clopper_pearson(void **state)
{
    (void)state;
    /* 0 of 30 at 95%: 1 - 0.025^(1/30) = 0.11570330822202779 */
    assert_near(sim_ci_zero_share_upper(30, 0.95), 0.11570330822202779, 1e-15);
    assert_near(sim_ci_zero_share_upper(30, 0.95), 1 - pow(0.025, 1.0 / 30), 1e-15);
    /* it is the 97.5% quantile of Beta(1, trials), Clopper-Pearson's upper
     * limit for 0 successes */
    assert_near(sim_ci_zero_share_upper(30, 0.95), gsl_cdf_beta_Pinv(0.975, 1, 30), 1e-12);
    assert_near(sim_ci_zero_share_upper(1, 0.95), 0.975, 1e-15);
    assert_near(sim_ci_zero_share_upper(200, 0.90), 1 - pow(0.05, 1.0 / 200), 1e-15);
    /* many chances: about ln(40) / trials, with all its digits */
    assert_near(sim_ci_zero_share_upper(1e9, 0.95), log(40) / 1e9, 1e-17);
    assert_true(isnan(sim_ci_zero_share_upper(0, 0.95)));
    assert_true(isnan(sim_ci_zero_share_upper(NAN, 0.95)));
}

static void ci_share_bounds_shares_never_or_always_seen(void **state)
{
    (void)state;
    /* nobody reneged among 30 admitted over 3 days: [0, 0.1157], not 0 +/- 0 */
    const double none[] = {0, 0, 0}, den[] = {8, 12, 10}, all[] = {8, 12, 10};
    struct sim_ci r = sim_ci_ratio(none, den, 3, 0.95);
    assert_true(r.half == 0);
    struct sim_ci ci = sim_ci_share(0, 30, r, 0.95);
    assert_int_equal(ci.n, 3);
    assert_true(ci.mean == 0 && ci.lo == 0);
    assert_near(ci.hi, 0.11570330822202779, 1e-15);
    assert_true(isnan(ci.half));
    /* everybody served within target: [0.025^(1/30), 1] */
    r = sim_ci_ratio(all, den, 3, 0.95);
    ci = sim_ci_share(30, 30, r, 0.95);
    assert_true(ci.mean == 1 && ci.hi == 1);
    assert_near(ci.lo, 0.8842966917779722, 1e-15);
    /* some seen: the ratio's interval, clamped to [0, 1]. 1 of 8, 0 of 12,
     * 0 of 10: R = 1/30 and a half-width larger than R. */
    const double few[] = {1, 0, 0};
    r = sim_ci_ratio(few, den, 3, 0.95);
    assert_true(r.lo < 0);
    ci = sim_ci_share(1, 30, r, 0.95);
    assert_near(ci.mean, 1.0 / 30, 1e-15);
    assert_true(ci.lo == 0 && ci.hi == r.hi && ci.half == r.half && ci.n == 3);
    /* no chance at all (nobody admitted): not measurable */
    const double zero[] = {0, 0, 0};
    r = sim_ci_ratio(zero, zero, 3, 0.95);
    ci = sim_ci_share(0, 0, r, 0.95);
    assert_true(isnan(ci.mean) && isnan(ci.lo) && isnan(ci.hi));
    assert_int_equal(ci.n, 3);
}

static void ci_sectioning_matches_a_hand_computation(void **state)
{
    (void)state;
    /* pooled 10; sections 9, 11, 10.5 (and one that saw nothing): the sum
     * of squares about the pooled estimate is 1 + 1 + 0.25, sd =
     * sqrt(2.25 / 2), half = T975_2 * sd / sqrt(3) = 2.634825932069838.
     * (About the sections' own mean, 10.1667, it would be smaller.) */
    const double sec[] = {9, 11, NAN, 10.5};
    struct sim_ci ci = sim_ci_sectioning(10, sec, 4, 0.95);
    assert_int_equal(ci.n, 3);
    assert_near(ci.mean, 10, 0);
    assert_near(ci.sd, sqrt(2.25 / 2), 1e-15);
    assert_near(ci.half, 2.634825932069838, 1e-12);
    assert_near(ci.lo, 10 - 2.634825932069838, 1e-12);
    assert_near(ci.hi, 10 + 2.634825932069838, 1e-12);
    /* one section: the estimate, no interval; NaN pooled: nothing */
    ci = sim_ci_sectioning(10, sec, 1, 0.95);
    assert_true(ci.mean == 10 && ci.lo == 10 && isnan(ci.half) && ci.n == 1);
    ci = sim_ci_sectioning(NAN, sec, 4, 0.95);
    assert_true(isnan(ci.mean) && isnan(ci.lo));
}

TEST_TABLE(test_sim_ci,
           cmocka_unit_test(ci_from_a_tally_is_the_ci_of_its_values),
           cmocka_unit_test(ci_ratio_diff_tally_is_the_ci_of_its_pairs),
           cmocka_unit_test(ci_matches_a_hand_computation),
           cmocka_unit_test(ci_skips_nan_and_handles_small_n),
           cmocka_unit_test(ci_covers_the_true_mean_about_95_percent_of_the_time),
           cmocka_unit_test(ci_ratio_matches_a_hand_computation),
           cmocka_unit_test(ci_ratio_degenerate_inputs),
           cmocka_unit_test(ci_ratio_covers_the_true_share_about_95_percent_of_the_time),
           cmocka_unit_test(ci_clamp_keeps_the_interval_in_range),
           cmocka_unit_test(ci_zero_share_bound_is_clopper_pearson),
           cmocka_unit_test(ci_share_bounds_shares_never_or_always_seen),
           cmocka_unit_test(ci_sectioning_matches_a_hand_computation))
