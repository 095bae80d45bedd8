/* tests/test_sim_select.c — Kim & Nelson's KN procedure (sim/select.c)
 * on normal observations whose best is known: its probability of correct
 * selection over many seeded repetitions, in the least favourable
 * configuration (every other system exactly delta worse), with and without
 * common random numbers; a clear best found quickly; equal systems left
 * undecided when replications run out.
 */
#include "tests/testutil.h"

#include "sim/select.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <stdint.h>

struct normal {
    size_t k, max_r;
    double *x;   /* [i * max_r + r] */
};

static double observe(void *ctx, size_t i, size_t r)
{
    const struct normal *n = ctx;
    return n->x[i * n->max_r + r];
}

/* System i's replication r: mean[i] + a shared draw of r (weight crn, the
 * common random numbers) + its own draw, each N(0, 1). */
static void draw(struct normal *n, gsl_rng *rng, const double *mean, double crn)
{
    for (size_t r = 0; r < n->max_r; r++) {
        double common = gsl_ran_ugaussian(rng);
        for (size_t i = 0; i < n->k; i++)
            n->x[i * n->max_r + r] = mean[i] + crn * common + gsl_ran_ugaussian(rng);
    }
}

/* In the slippage configuration (best 0, others delta = 0.5) with alpha
 * 0.05, KN selects the best in at least 95% of repetitions; over 400 the
 * count's standard error is 1.1 points, so at least 92.8% must be seen
 * (two standard errors below). */
static void kn_selects_the_best_with_its_stated_probability(void **state)
{
    (void)state;
    const size_t k = 5, reps = 400;
    const double delta = 0.5, mean[] = {0, 0.5, 0.5, 0.5, 0.5};
    struct normal n = {k, 2000, sim_xmalloc(5 * 2000 * sizeof *n.x)};
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    for (int crn = 0; crn < 2; crn++) {
        gsl_rng_set(rng, 2026 + (unsigned long)crn);
        size_t correct = 0, undecided = 0;
        double used = 0;
        for (size_t rep = 0; rep < reps; rep++) {
            draw(&n, rng, mean, crn ? 2.0 : 0.0);
            struct sim_kn_result res = sim_select_kn(k, 0.05, delta, 10, n.max_r, observe, &n, NULL);
            correct += res.best == 0;
            undecided += res.best == SIZE_MAX;
            used += (double)res.used;
        }
        if ((double)correct / (double)reps < 0.928)
            fail_msg("crn %d: correct %zu of %zu", crn, correct, reps);
        assert_int_equal(undecided, 0);
        /* the shared draw cancels in the differences: no more replications needed with it */
        assert_true(used / (double)reps < 400);
    }
    gsl_rng_free(rng);
    free(n.x);
}

/* A best 3 delta better than the rest is found well before the limit; one
 * system alone is selected at once. */
static void kn_finds_a_clear_best_quickly(void **state)
{
    (void)state;
    const double mean[] = {1.5, 0, 1.5};
    struct normal n = {3, 1000, sim_xmalloc(3 * 1000 * sizeof *n.x)};
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, 7);
    draw(&n, rng, mean, 0);
    bool alive[3];
    struct sim_kn_result res = sim_select_kn(3, 0.05, 0.5, 10, n.max_r, observe, &n, alive);
    assert_int_equal(res.best, 1);
    assert_int_equal(res.alive, 1);
    assert_true(res.used < 200);
    assert_false(alive[0]);
    assert_true(alive[1]);
    assert_false(alive[2]);
    res = sim_select_kn(1, 0.05, 0.5, 10, 20, observe, &n, NULL);
    assert_int_equal(res.best, 0);
    gsl_rng_free(rng);
    free(n.x);
}

/* Two equal systems cannot be told apart in 30 replications when the
 * indifference is tiny: the procedure says so (SIZE_MAX), both still in. */
static void kn_says_when_replications_run_out(void **state)
{
    (void)state;
    const double mean[] = {0, 0};
    struct normal n = {2, 30, sim_xmalloc(2 * 30 * sizeof *n.x)};
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, 11);
    draw(&n, rng, mean, 0);
    struct sim_kn_result res = sim_select_kn(2, 0.05, 0.001, 10, n.max_r, observe, &n, NULL);
    assert_int_equal(res.best, SIZE_MAX);
    assert_int_equal(res.alive, 2);
    assert_int_equal(res.used, 30);
    gsl_rng_free(rng);
    free(n.x);
}

TEST_TABLE(test_sim_select,
           cmocka_unit_test(kn_selects_the_best_with_its_stated_probability),
           cmocka_unit_test(kn_finds_a_clear_best_quickly),
           cmocka_unit_test(kn_says_when_replications_run_out))
