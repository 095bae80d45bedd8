/* tests/test_sim_mser.c — MSER-5 warm-up truncation: small series whose
 * minimiser is computed by hand, a known transient whose bias it must
 * remove, and stationary series it must leave (nearly) whole. */
#include "tests/testutil.h"

#include "sim/mser.h"
#include "sim/stream.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_sort.h>

static void mser_matches_a_hand_computation(void **state)
{
    (void)state;
    /* Six batches of five, means 10, 2, 3, 2, 3, 2, then three observations
     * (a partial batch, left out: they would move every mean). d < 6/2:
     *   MSER(0): mean 11/3, sum of squares 361/9 + 3 * 25/9 + 2 * 4/9 =
     *            444/9, over 6^2: 1.3703...
     *   MSER(1): 2, 3, 2, 3, 2: mean 2.4, 3 * 0.16 + 2 * 0.36 = 1.2, over
     *            5^2: 0.048
     *   MSER(2): 3, 2, 3, 2: mean 2.5, 4 * 0.25 = 1, over 4^2: 0.0625
     * so d = 1: drop the first five observations. */
    const double x[] = {8, 12, 9, 11, 10, 1, 3, 2, 2, 2, 2, 4, 3, 3, 3,
                        2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 1, 2, 3, 2, 2, 100, 100, 100};
    struct sim_mser m = sim_mser_truncation(x, sizeof x / sizeof x[0], SIM_MSER_BATCH);
    assert_int_equal(m.batches, 6);
    assert_int_equal(m.d, 1);
    assert_int_equal(m.warmup, 5);
    assert_near(m.stat, 0.048, 1e-15);
    assert_false(m.at_limit);
    /* batches of one (plain MSER): 5, 1, 1, 1 gives MSER(0) = 12/16 and
     * MSER(1) = 0: drop the 5, which is also the last d searched */
    const double y[] = {5, 1, 1, 1};
    m = sim_mser_truncation(y, 4, 1);
    assert_int_equal(m.warmup, 1);
    assert_near(m.stat, 0, 0);
    assert_true(m.at_limit);
    /* ties go to the smaller truncation: a constant series keeps all */
    const double c[] = {4, 4, 4, 4, 4, 4, 4, 4, 4, 4};
    m = sim_mser_truncation(c, 10, 1);
    assert_int_equal(m.warmup, 0);
    assert_near(m.stat, 0, 0);
}

static void mser_flags_a_series_still_moving(void **state)
{
    (void)state;
    /* Batch means 1, 2, ..., 8: what is kept always spreads less the more
     * is dropped, MSER(d) = ((8 - d)^2 - 1) / 12 / (8 - d) falls with d, and
     * the minimum is the last d searched, 3: the series has not settled. */
    double x[40];
    for (int i = 0; i < 40; i++)
        x[i] = 1 + i / 5;
    struct sim_mser m = sim_mser_truncation(x, 40, SIM_MSER_BATCH);
    assert_int_equal(m.batches, 8);
    assert_int_equal(m.d, 3);
    assert_int_equal(m.warmup, 15);
    assert_near(m.stat, (25.0 - 1) / 12 / 5, 1e-15);
    assert_true(m.at_limit);
}

static void mser_needs_two_batches(void **state)
{
    (void)state;
    const double x[] = {1, 2, 3, 4, 5, 6, 7, 8, 9};
    struct sim_mser m = sim_mser_truncation(x, 9, SIM_MSER_BATCH);
    assert_int_equal(m.batches, 1);
    assert_int_equal(m.warmup, 0);
    assert_true(isnan(m.stat));
    assert_false(m.at_limit);
    m = sim_mser_truncation(NULL, 0, SIM_MSER_BATCH);
    assert_int_equal(m.batches, 0);
    assert_true(isnan(m.stat));
    /* two batches: only d = 0 is searched */
    m = sim_mser_truncation(x, 2, 1);
    assert_int_equal(m.warmup, 0);
    assert_near(m.stat, 0.5 / 4, 1e-15);
}

enum { SERIES = 200, LEN = 2000 };
#define MU 5.0      /* the steady mean */
#define AMP 10.0    /* the transient: AMP exp(-t / TAU) above it */
#define TAU 50.0

/* The bias left in the mean of x[w..LEN) by the transient: the mean of
 * AMP q^t over t >= w, q = exp(-1/TAU) (a geometric sum). */
static double transient_bias(size_t w)
{
    double q = exp(-1 / TAU);
    return AMP * pow(q, (double)w) * (1 - pow(q, (double)(LEN - w))) / ((1 - q) * (double)(LEN - w));
}

/* One series: MU + AMP exp(-t/TAU) (or nothing) + N(0, 1) noise. */
static void series(double *x, uint32_t r, double amp)
{
    struct sim_stream s;
    sim_stream_init(&s, 20261122, r, amp > 0 ? 1 : 2, 0);
    for (int t = 0; t < LEN; t++)
        x[t] = MU + amp * exp(-t / TAU) + gsl_ran_gaussian(sim_stream_rng(&s), 1);
}

static double mean_from(const double *x, size_t w)
{
    double s = 0;
    for (size_t t = w; t < LEN; t++)
        s += x[t];
    return s / (double)(LEN - w);
}

static void mser_removes_a_known_transient(void **state)
{
    (void)state;
    /* x_t = 5 + 10 exp(-t/50) + N(0, 1), 2,000 observations: the mean of
     * the whole series is biased by transient_bias(0) = 0.2525. A good
     * truncation w leaves a bias no larger than the standard error of what
     * it keeps, sigma / sqrt(LEN - w) (about 0.023): cutting further buys
     * less bias than it costs in variance (that balance is what MSER
     * estimates). Asserted: in every series the bias left is within two
     * standard errors, on average within one; and the truncated means of
     * the 200 series average within a tenth of the original bias of 5
     * (their average has sd about 1/sqrt(200 * 1850) = 0.0016, so this is
     * some 8 sds from the 0.011 measured over 2,000 series), while the
     * whole series' means are off by most of it. Measured over 2,000
     * series: truncation 100 to 325 observations (median 150), bias left
     * 0.014 on average, 0.036 at most. */
    static double x[LEN];
    double left = 0, se_mean = 0, err = 0, raw = 0;
    for (uint32_t r = 0; r < SERIES; r++) {
        series(x, r, AMP);
        struct sim_mser m = sim_mser_truncation(x, LEN, SIM_MSER_BATCH);
        assert_false(m.at_limit);
        double se = 1 / sqrt((double)(LEN - m.warmup));
        assert_true(transient_bias(m.warmup) <= 2 * se);
        left += transient_bias(m.warmup) / SERIES;
        se_mean += se / SERIES;
        err += (mean_from(x, m.warmup) - MU) / SERIES;
        raw += (mean_from(x, 0) - MU) / SERIES;
    }
    assert_true(left <= se_mean);
    assert_true(fabs(err) <= 0.1 * transient_bias(0));
    assert_true(raw >= 0.8 * transient_bias(0));
}

static void mser_keeps_a_stationary_series(void **state)
{
    (void)state;
    /* 5 + N(0, 1) from the start: nothing to remove. MSER still answers
     * from noise, so some series lose a few batches: asserted, at least
     * half truncate nothing, 1% of the observations are lost on average
     * and no series loses a tenth. Measured over 2,000 series: median 0,
     * mean 4.9 observations of 2,000, 95th percentile 25, largest 150. */
    static double x[LEN];
    double w[SERIES], total = 0;
    for (uint32_t r = 0; r < SERIES; r++) {
        series(x, r, 0);
        struct sim_mser m = sim_mser_truncation(x, LEN, SIM_MSER_BATCH);
        w[r] = (double)m.warmup;
        total += w[r];
    }
    gsl_sort(w, 1, SERIES);
    assert_true(w[SERIES / 2] == 0);
    assert_true(total / SERIES <= 0.01 * LEN);
    assert_true(w[SERIES - 1] < 0.1 * LEN);
}

TEST_TABLE(test_sim_mser,
           cmocka_unit_test(mser_matches_a_hand_computation),
           cmocka_unit_test(mser_flags_a_series_still_moving),
           cmocka_unit_test(mser_needs_two_batches),
           cmocka_unit_test(mser_removes_a_known_transient),
           cmocka_unit_test(mser_keeps_a_stationary_series))
