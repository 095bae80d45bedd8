/* tests/test_sim_tally.c — tallies, quantile histograms and levels, each
 * against a direct computation. */
#include "tests/testutil.h"
#include "sim/mem.h"

#include "sim/qhist.h"
#include "sim/stream.h"
#include "sim/tally.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <stdlib.h>

static void tally_matches_direct_moments(void **state)
{
    (void)state;
    const double x[] = {3, 0, 7.5, 1, 1, 12, 4.25};
    const size_t n = sizeof x / sizeof x[0];
    struct sim_tally t;
    sim_tally_init(&t, false);
    assert_true(isnan(sim_tally_mean(&t)));
    for (size_t i = 0; i < n; i++)
        sim_tally_add(&t, x[i]);
    double sum = 0, ss = 0;
    for (size_t i = 0; i < n; i++)
        sum += x[i];
    double mean = sum / (double)n;
    for (size_t i = 0; i < n; i++)
        ss += (x[i] - mean) * (x[i] - mean);
    assert_int_equal(sim_tally_n(&t), n);
    assert_near(sim_tally_mean(&t), mean, 1e-12);
    assert_near(sim_tally_sd(&t), sqrt(ss / (double)(n - 1)), 1e-12);
    assert_near(sim_tally_min(&t), 0, 0);
    assert_near(sim_tally_max(&t), 12, 0);
    assert_true(isnan(sim_tally_quantile(&t, 0.5))); /* no histogram asked for */
    sim_tally_reset(&t);
    assert_int_equal(sim_tally_n(&t), 0);
    sim_tally_add(&t, 5);
    assert_near(sim_tally_mean(&t), 5, 0);
    assert_true(isnan(sim_tally_sd(&t)));
    sim_tally_fini(&t);
}

/* The exact p-quantile of sorted data, interpolating between order stats. */
static double exact_quantile(const double *sorted, size_t n, double p)
{
    return gsl_stats_quantile_from_sorted_data(sorted, 1, n, p);
}

static double exact_share_of_zeros(const double *x, size_t n)
{
    size_t z = 0;
    while (z < n && x[z] == 0)
        z++;
    return (double)z / (double)n;
}

static void qhist_quantiles_within_their_resolution(void **state)
{
    (void)state;
    enum { N = 100000 };
    double *x = sim_xmalloc(N * sizeof *x);
    assert_non_null(x);
    struct sim_stream s;
    sim_stream_init(&s, 5, 0, 0, 0);
    struct sim_tally t;
    sim_tally_init(&t, true);
    for (int i = 0; i < N; i++) {
        /* waits: 40% exactly zero, the rest exponential with mean 8 */
        double u = gsl_rng_uniform(sim_stream_rng(&s));
        x[i] = u < 0.4 ? 0 : gsl_ran_exponential(sim_stream_rng(&s), 8);
        sim_tally_add(&t, x[i]);
    }
    gsl_sort(x, 1, N);
    const double ps[] = {0.5, 0.75, 0.9, 0.95, 0.99};
    for (size_t k = 0; k < 5; k++) {
        double exact = exact_quantile(x, N, ps[k]);
        /* bins are 1/64 wide relative to their edge */
        assert_near(sim_tally_quantile(&t, ps[k]), exact, exact * SIM_TALLY_Q_REL + 1e-9);
    }
    /* Up to 40% every wait is zero, and the quantile is exactly 0 (zeros
     * are an atom, not spread over the first bin); just above, the smallest
     * positive waits. */
    assert_near(sim_tally_quantile(&t, 0.2), 0, 0);
    assert_near(sim_tally_quantile(&t, exact_share_of_zeros(x, N)), 0, 0);
    assert_true(sim_tally_quantile(&t, exact_share_of_zeros(x, N) + 1e-3) > 0);
    assert_near(sim_tally_quantile(&t, 1), x[N - 1], x[N - 1] * SIM_TALLY_Q_REL);
    free(x);
    sim_tally_fini(&t);
}

static void qhist_pooled_equals_one_histogram_of_everything(void **state)
{
    (void)state;
    struct sim_qhist *a = sim_qhist_create(0.01, 1e4, 0.05);
    struct sim_qhist *b = sim_qhist_create_like(a);
    struct sim_qhist *all = sim_qhist_create_like(a);
    struct sim_qhist *pooled = sim_qhist_create_like(a);
    assert_true(isnan(sim_qhist_quantile(a, 0.5)));
    struct sim_stream s;
    sim_stream_init(&s, 6, 0, 0, 0);
    for (int i = 0; i < 5000; i++) {
        double v = gsl_ran_lognormal(sim_stream_rng(&s), 1, 1);
        sim_qhist_add(i % 3 ? a : b, v * (i % 3 ? 1 : 3));
        sim_qhist_add(all, v * (i % 3 ? 1 : 3));
    }
    sim_qhist_add(all, 5e4); /* beyond the last edge: counted, not lost */
    sim_qhist_add(b, 5e4);
    sim_qhist_pool(pooled, a);
    sim_qhist_pool(pooled, b);
    assert_int_equal(sim_qhist_count(pooled), 5001);
    for (double p = 0.05; p < 1; p += 0.1)
        assert_near(sim_qhist_quantile(pooled, p), sim_qhist_quantile(all, p), 0);
    sim_qhist_reset(a);
    assert_int_equal(sim_qhist_count(a), 0);
    sim_qhist_destroy(a);
    sim_qhist_destroy(b);
    sim_qhist_destroy(all);
    sim_qhist_destroy(pooled);
}

/* A day's waits fill a few of the 1,921 bins, far apart: quantiles are read
 * from the occupied ones alone (the octave mask), and must still land in
 * the bin of the sample quantile inf {x : F(x) >= p} (or, exactly at a
 * boundary, at the bottom of the next occupied bin). Below lo and beyond
 * hi, observations are counted in the first and the last bin. */
static void qhist_sparse_quantiles_read_their_own_bins(void **state)
{
    (void)state;
    const double x[] = {3e-4, 0.5, 0.51, 7, 7.2, 300, 5e6};   /* sorted */
    const size_t m = sizeof x / sizeof x[0];
    struct sim_qhist *q = sim_qhist_create(SIM_TALLY_Q_LO, SIM_TALLY_Q_HI, SIM_TALLY_Q_REL);
    for (size_t i = m; i-- > 0;)
        sim_qhist_add(q, x[i]);
    for (int step = 1; step < 20; step++) {
        double p = 0.05 * step, v = sim_qhist_quantile(q, p);
        size_t k = (size_t)ceil(p * (double)m - 1e-9);   /* 1-based: x[k - 1] */
        /* the first value is below lo (bin [0, 2^-10)), the last beyond hi
         * (counted in the last bin, [2^20 - 2^14, 2^20)) */
        double below = k == 1 ? 0 : k == m ? ldexp(1, 20) - ldexp(1, 14) : x[k - 1] * (1 - SIM_TALLY_Q_REL);
        double above = k < m ? x[k] * (1 + SIM_TALLY_Q_REL) : ldexp(1, 20);
        assert_true(v >= below && v <= above);
    }
    /* p = 1: the top of the highest occupied bin, here the last: 2^20 */
    assert_true(sim_qhist_quantile(q, 1) == ldexp(1, 20));
    sim_qhist_reset(q);
    assert_true(isnan(sim_qhist_quantile(q, 0.5)));
    /* one observation: every quantile in its bin */
    sim_qhist_add(q, 2.5);
    for (double p = 0.1; p <= 1; p += 0.3) {
        double v = sim_qhist_quantile(q, p);
        assert_true(v >= 2.5 * (1 - SIM_TALLY_Q_REL) && v <= 2.5 * (1 + SIM_TALLY_Q_REL));
    }
    /* only zeros: every quantile 0, and no bin is read */
    sim_qhist_reset(q);
    sim_qhist_add(q, 0);
    assert_true(sim_qhist_quantile(q, 0.99) == 0);
    sim_qhist_destroy(q);
}

static void level_time_average_matches_the_integral(void **state)
{
    (void)state;
    /* 0 on [0,1), 2 on [1,3), 5 on [3,4), 1 on [4,6]: area 0 + 4 + 5 + 2 = 11. */
    struct sim_level l;
    sim_level_init(&l, 0, 0);
    assert_true(isnan(sim_level_mean(&l, 0)));
    sim_level_set(&l, 1, 2);
    sim_level_add(&l, 3, 3);
    sim_level_add(&l, 4, -4);
    assert_near(sim_level_area(&l, 6), 11, 1e-12);
    assert_near(sim_level_mean(&l, 6), 11.0 / 6, 1e-12);
    assert_near(l.max, 5, 0);
    /* A warm-up ending at 3.5 forgets [0, 3.5): 5 * 0.5 + 1 * 2 = 4.5 over 2.5. */
    struct sim_level w;
    sim_level_init(&w, 0, 0);
    sim_level_set(&w, 1, 2);
    sim_level_set(&w, 3, 5);
    sim_level_restart(&w, 3.5);
    sim_level_set(&w, 4, 1);
    assert_near(sim_level_mean(&w, 6), 4.5 / 2.5, 1e-12);
    assert_near(w.max, 5, 0);
}

TEST_TABLE(test_sim_tally,
           cmocka_unit_test(tally_matches_direct_moments),
           cmocka_unit_test(qhist_quantiles_within_their_resolution),
           cmocka_unit_test(qhist_pooled_equals_one_histogram_of_everything),
           cmocka_unit_test(qhist_sparse_quantiles_read_their_own_bins),
           cmocka_unit_test(level_time_average_matches_the_integral))
