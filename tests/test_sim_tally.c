/* tests/test_sim_tally.c — tallies, quantile histograms and levels, each
 * against a direct computation. */
#include "tests/testutil.h"
#include "sim/mem.h"

#include "sim/ci.h"
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

/* The width of the bin of the tallies' histograms (SIM_TALLY_Q_*: bins
 * [0, 2^-10), then 64 per octave up to 2^20) that holds x, computed apart
 * from sim/qhist.c: 0 for an exact zero (an atom), 2^-10 below, 2^(e-6) in
 * the octave [2^e, 2^(e+1)). */
static double tally_bin_width(double x)
{
    if (x == 0)
        return 0;
    if (x < ldexp(1, -10))
        return ldexp(1, -10);
    return ldexp(1, ilogb(x) - 6);
}

/* Checks every quantile of x[0..n) (values below 2^20) that can differ:
 * p = i/n for every i (p n whole, where a normalised cdf lands one bin
 * high), the points just above them, and p = 0 and 1, against the exact
 * sample quantile (the ceil(p n)-th smallest, by sorting): within its bin's
 * width, never outside [min, max]; through a histogram and a tally. */
static void check_empirical_quantiles(const double *x, size_t n)
{
    struct sim_qhist *q = sim_qhist_create(SIM_TALLY_Q_LO, SIM_TALLY_Q_HI, SIM_TALLY_Q_REL);
    struct sim_tally t;
    sim_tally_init(&t, true);
    double *sorted = sim_xmalloc(n * sizeof *sorted);
    for (size_t i = 0; i < n; i++) {
        sim_qhist_add(q, x[i]);
        sim_tally_add(&t, x[i]);
        sorted[i] = x[i];
    }
    gsl_sort(sorted, 1, n);
    double min = sorted[0], max = sorted[n - 1];
    assert_true(sim_qhist_min(q) == min && sim_qhist_max(q) == max);
    for (size_t i = 0; i <= 2 * n + 1; i++) {
        /* i even: p = (i/2)/n, whole p n; i odd: a little above */
        double p = i > 2 * n ? 1 : (double)(i / 2) / (double)n + (i % 2 ? 0.5 / (double)n : 0);
        size_t k = (size_t)ceil(p * (double)n - 1e-9);
        double exact = sorted[k == 0 ? 0 : k - 1];
        double v = sim_qhist_quantile(q, p), w = sim_tally_quantile(&t, p);
        if (!(fabs(v - exact) <= tally_bin_width(exact)) || v > max || v < min)
            print_error("n %zu, p %.17g: exact %.17g (rank %zu), read %.17g\n", n, p, exact, k, v);
        assert_near(v, exact, tally_bin_width(exact));
        assert_true(v <= max && v >= min);
        assert_true(w == v);
    }
    /* the minimum and the maximum are kept, not read from a bin */
    assert_true(sim_qhist_quantile(q, 0) == min);
    assert_true(sim_qhist_quantile(q, 1) == max);
    free(sorted);
    sim_qhist_destroy(q);
    sim_tally_fini(&t);
}

/* Waits 0, 1, ..., 9: the empirical inverse gives p50 = 4 (the 5th) and
 * p95 = 9 (the 10th); GSL's interpolated pdf gave 5.0 and 9.06, above the
 * largest wait. */
static void qhist_quantile_is_the_empirical_inverse(void **state)
{
    (void)state;
    struct sim_qhist *q = sim_qhist_create(SIM_TALLY_Q_LO, SIM_TALLY_Q_HI, SIM_TALLY_Q_REL);
    double x[10];
    for (int i = 0; i < 10; i++) {
        x[i] = i;
        sim_qhist_add(q, x[i]);
    }
    /* the bins of 4 and 9 are 4/64 and 8/64 wide */
    assert_near(sim_qhist_quantile(q, 0.5), 4, 4.0 / 64);
    assert_near(sim_qhist_quantile(q, 0.95), 9, 8.0 / 64);
    assert_true(sim_qhist_quantile(q, 0.95) <= 9);
    assert_near(sim_qhist_quantile(q, 0.7), 6, 4.0 / 64);   /* p n = 7, whole */
    assert_near(sim_qhist_quantile(q, 0.71), 7, 4.0 / 64);  /* just above: the 8th */
    assert_true(sim_qhist_quantile(q, 0) == 0 && sim_qhist_quantile(q, 1) == 9);
    sim_qhist_destroy(q);
    check_empirical_quantiles(x, 10);
}

static void qhist_rank_is_ceil_p_n_taking_rounding_as_whole(void **state)
{
    (void)state;
    assert_int_equal(sim_qhist_rank(0, 10), 1);
    assert_int_equal(sim_qhist_rank(1, 10), 10);
    assert_int_equal(sim_qhist_rank(0.5, 7), 4);
    assert_int_equal(sim_qhist_rank(0.5, 8), 4);
    assert_int_equal(sim_qhist_rank(0.07, 100), 7);   /* 0.07 * 100 = 7.000000000000001 */
    assert_int_equal(sim_qhist_rank(0.1, 3), 1);      /* 0.30000000000000004 */
    assert_int_equal(sim_qhist_rank(0.95, 20), 19);
    assert_int_equal(sim_qhist_rank(0.951, 20), 20);
    assert_int_equal(sim_qhist_rank(1e-12, 1), 1);
}

/* The awkward cases, each against the sorted sample. */
static void qhist_quantiles_match_sorted_samples_at_awkward_points(void **state)
{
    (void)state;
    /* ties: four 3s and four 7s, and runs of one value across p n whole */
    const double ties[] = {7, 3, 3, 7, 3, 7, 3, 7};
    check_empirical_quantiles(ties, 8);
    const double one[] = {2.5};
    check_empirical_quantiles(one, 1);
    const double zeros[] = {0, 0, 0, 0, 0};
    check_empirical_quantiles(zeros, 5);
    /* zeros, values below lo (one bin [0, 2^-10)) and above it */
    const double low[] = {0, 3e-4, 1e-5, 0, 9.7e-4, 2e-3, 0.5, 1e-6, 0};
    check_empirical_quantiles(low, 9);
    /* one value many times and one other: every quantile one of the two */
    double two[50];
    for (int i = 0; i < 50; i++)
        two[i] = i == 17 ? 12.5 : 1.75;
    check_empirical_quantiles(two, 50);
    /* many octaves: 2^u, u uniform on [-14, 19], so 34 octaves and the
     * bin below lo; and a sample of 1,000 with zeros and ties mixed in */
    struct sim_stream s;
    sim_stream_init(&s, 17, 0, 0, 0);
    double wide[400];
    for (int i = 0; i < 400; i++)
        wide[i] = exp2(gsl_ran_flat(sim_stream_rng(&s), -14, 19));
    check_empirical_quantiles(wide, 400);
    double mixed[1000];
    for (int i = 0; i < 1000; i++) {
        double u = gsl_rng_uniform(sim_stream_rng(&s));
        mixed[i] = u < 0.3 ? 0 : u < 0.4 ? 5 : gsl_ran_exponential(sim_stream_rng(&s), 8);
    }
    check_empirical_quantiles(mixed, 1000);
}

/* Pooling keeps the extremes of both; a reset forgets them. */
static void qhist_pool_and_reset_carry_the_extremes(void **state)
{
    (void)state;
    struct sim_qhist *a = sim_qhist_create(SIM_TALLY_Q_LO, SIM_TALLY_Q_HI, SIM_TALLY_Q_REL);
    struct sim_qhist *b = sim_qhist_create_like(a), *pooled = sim_qhist_create_like(a);
    assert_true(isnan(sim_qhist_min(a)) && isnan(sim_qhist_max(a)));
    sim_qhist_add(a, 3.25);
    sim_qhist_add(a, 40);
    sim_qhist_add(b, 0.75);
    sim_qhist_add(b, 9);
    sim_qhist_pool(pooled, a);
    sim_qhist_pool(pooled, b);
    assert_true(sim_qhist_min(pooled) == 0.75 && sim_qhist_max(pooled) == 40);
    assert_true(sim_qhist_quantile(pooled, 0) == 0.75 && sim_qhist_quantile(pooled, 1) == 40);
    /* an empty histogram pooled in changes nothing */
    struct sim_qhist *empty = sim_qhist_create_like(a);
    sim_qhist_pool(pooled, empty);
    assert_true(sim_qhist_min(pooled) == 0.75 && sim_qhist_max(pooled) == 40);
    /* create_like starts empty, whatever its model held */
    struct sim_qhist *like = sim_qhist_create_like(pooled);
    assert_true(isnan(sim_qhist_max(like)));
    sim_qhist_reset(a);
    assert_true(isnan(sim_qhist_min(a)) && isnan(sim_qhist_max(a)));
    sim_qhist_add(a, 1);
    assert_true(sim_qhist_min(a) == 1 && sim_qhist_max(a) == 1);
    sim_qhist_destroy(a);
    sim_qhist_destroy(b);
    sim_qhist_destroy(pooled);
    sim_qhist_destroy(empty);
    sim_qhist_destroy(like);
}

/* Replications grouped in order into sections, the pooled quantile at the
 * centre, the spread of the sections' quantiles about it: checked against
 * the same pooling done by hand. */
static void qhist_sectioned_quantiles_pool_by_hand(void **state)
{
    (void)state;
    /* sections of n/m rounded down or up, in order: 10 in 3 are 4, 3, 3 */
    const size_t want[] = {0, 0, 0, 0, 1, 1, 1, 2, 2, 2};
    for (size_t i = 0; i < 10; i++)
        assert_int_equal(sim_qhist_section_of(i, 10, 3), want[i]);
    assert_int_equal(sim_qhist_section_of(4, 5, 5), 4);
    enum { N = 5 };
    struct sim_qhist *h[N];
    struct sim_stream s;
    sim_stream_init(&s, 8, 0, 0, 0);
    for (size_t i = 0; i < N; i++) {
        h[i] = i ? sim_qhist_create_like(h[0]) : sim_qhist_create(SIM_TALLY_Q_LO, SIM_TALLY_Q_HI, SIM_TALLY_Q_REL);
        for (int j = 0; j < 30; j++)
            sim_qhist_add(h[i], j % 4 ? gsl_ran_exponential(sim_stream_rng(&s), 5.0 + (double)i) : 0);
    }
    /* m = 2: replications 0-2, then 3-4 */
    struct sim_qhist *a = sim_qhist_create_like(h[0]), *b = sim_qhist_create_like(h[0]);
    struct sim_qhist *all = sim_qhist_create_like(h[0]);
    for (size_t i = 0; i < N; i++) {
        sim_qhist_pool(i < 3 ? a : b, h[i]);
        sim_qhist_pool(all, h[i]);
    }
    const double ps[] = {0.1, 0.5, 0.9};
    struct sim_ci ci[3];
    sim_qhist_quantiles_ci((const struct sim_qhist *const *)h, N, 2, ps, ci, 3, 0.95);
    for (size_t j = 0; j < 3; j++) {
        double sec[2] = {sim_qhist_quantile(a, ps[j]), sim_qhist_quantile(b, ps[j])};
        struct sim_ci hand = sim_ci_sectioning(sim_qhist_quantile(all, ps[j]), sec, 2, 0.95);
        sim_ci_clamp(&hand, 0, INFINITY);
        assert_int_equal(ci[j].n, 2);
        assert_true(ci[j].mean == hand.mean && ci[j].sd == hand.sd && ci[j].half == hand.half);
        assert_true(ci[j].lo == hand.lo && ci[j].hi == hand.hi && ci[j].lo >= 0);
    }
    /* p = 0.1 is among the zeros (a quarter of every replication): the
     * estimate and its interval are exactly 0, never below */
    assert_true(ci[0].mean == 0 && ci[0].lo == 0 && ci[0].hi == 0);
    /* m above n is cut to n; one section gives the estimate alone */
    struct sim_ci c5, c1;
    sim_qhist_quantiles_ci((const struct sim_qhist *const *)h, N, 9, ps + 2, &c5, 1, 0.95);
    assert_int_equal(c5.n, N);
    assert_true(c5.mean == ci[2].mean);
    sim_qhist_quantiles_ci((const struct sim_qhist *const *)h, N, 1, ps + 2, &c1, 1, 0.95);
    assert_true(c1.n == 1 && c1.mean == ci[2].mean && isnan(c1.half) && c1.lo == c1.mean);
    /* a section that saw nothing is left out; none at all: NaN */
    sim_qhist_reset(h[3]);
    sim_qhist_reset(h[4]);
    sim_qhist_quantiles_ci((const struct sim_qhist *const *)h, N, 5, ps + 2, &c5, 1, 0.95);
    assert_int_equal(c5.n, 3);
    sim_qhist_quantiles_ci((const struct sim_qhist *const *)h + 3, 2, 2, ps + 2, &c5, 1, 0.95);
    assert_true(c5.n == 0 && isnan(c5.mean) && isnan(c5.lo));
    sim_qhist_quantiles_ci(NULL, 0, 2, ps + 2, &c5, 1, 0.95);
    assert_true(c5.n == 0 && isnan(c5.mean));
    for (size_t i = 0; i < N; i++)
        sim_qhist_destroy(h[i]);
    sim_qhist_destroy(a);
    sim_qhist_destroy(b);
    sim_qhist_destroy(all);
}

static void qhist_sectioning_covers_exponential_quantiles_about_95_percent(void **state)
{
    (void)state;
    /* 2,000 experiments, each 30 replications of 40 exponential(1) waits in
     * 10 sections of 3 replications; the true p50 and p90 are ln 2 and
     * ln 10. The covering intervals are binomial(2000, c): the measured
     * share has sd sqrt(c (1 - c) / 2000), 0.00487 at c = 0.95, and four of
     * them (0.0195) leave a 6e-5 chance of failing a correct interval.
     * Sectioning is asymptotically valid (sections' quantiles normal about
     * the true one); at this size 2 x 10^4 experiments measured coverage
     * 0.948 (p50) and 0.953 (p90), and the histogram's bins (1/64 of an
     * octave, 0.03 at ln 10) are a sixth of the interval's half-width. */
    enum { TRIALS = 2000, REPS = 30, WAITS = 40, SECTIONS = 10 };
    struct sim_qhist *h[REPS];
    for (size_t i = 0; i < REPS; i++)
        h[i] = i ? sim_qhist_create_like(h[0]) : sim_qhist_create(SIM_TALLY_Q_LO, SIM_TALLY_Q_HI, SIM_TALLY_Q_REL);
    struct sim_stream s;
    sim_stream_init(&s, 20261122, 0, 3, 0);
    const double ps[] = {0.5, 0.9}, truth[] = {log(2), log(10)};
    int covered[2] = {0, 0};
    for (int t = 0; t < TRIALS; t++) {
        for (size_t i = 0; i < REPS; i++) {
            sim_qhist_reset(h[i]);
            for (int j = 0; j < WAITS; j++)
                sim_qhist_add(h[i], gsl_ran_exponential(sim_stream_rng(&s), 1));
        }
        struct sim_ci ci[2];
        sim_qhist_quantiles_ci((const struct sim_qhist *const *)h, REPS, SECTIONS, ps, ci, 2, 0.95);
        for (int j = 0; j < 2; j++)
            covered[j] += ci[j].lo <= truth[j] && truth[j] <= ci[j].hi;
    }
    for (int j = 0; j < 2; j++)
        assert_near((double)covered[j] / TRIALS, 0.95, 4 * sqrt(0.95 * 0.05 / TRIALS));
    for (size_t i = 0; i < REPS; i++)
        sim_qhist_destroy(h[i]);
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
           cmocka_unit_test(qhist_quantile_is_the_empirical_inverse),
           cmocka_unit_test(qhist_rank_is_ceil_p_n_taking_rounding_as_whole),
           cmocka_unit_test(qhist_quantiles_match_sorted_samples_at_awkward_points),
           cmocka_unit_test(qhist_pool_and_reset_carry_the_extremes),
           cmocka_unit_test(qhist_sectioned_quantiles_pool_by_hand),
           cmocka_unit_test(qhist_sectioning_covers_exponential_quantiles_about_95_percent),
           cmocka_unit_test(level_time_average_matches_the_integral))
