/* tests/test_cli_coverage.c — the report's estimates and their intervals
 * (sim/cli/results.c, spec §3), against answers known in advance.
 *
 * By hand: a ratio of totals and its delta-method interval, a share never
 * seen, an interval cut at the metric's range, and quantiles of every wait
 * pooled over the days of a scenario whose waits are known exactly (0, 1,
 * ..., 8 minutes, every day).
 *
 * Coverage (the validations, skipped under make memcheck): many independent
 * experiments, each a report of R replications with its own seed; the
 * share of experiments whose 95% interval holds the true value must be
 * near 0.95, within 3.5 standard errors of a binomial share over E
 * experiments, sqrt(0.95 * 0.05 / E). The truth is exact queueing theory for
 * an M/M/2 in steady state (Erlang C), and for a short day, which has no
 * closed form, the estimate of 100,000 days, whose error is two orders of
 * magnitude below the intervals tested.
 */
#include "tests/testutil.h"
#include "tests/theory.h"

#include "models/load.h"
#include "models/metrics.h"
#include "models/run.h"
#include "models/scenario.h"
#include "models/warmup.h"
#include "sim/cli/results.h"
#include "sim/mem.h"

#include <gsl/gsl_cdf.h>

static struct mdl_scenario *load(const char *yaml)
{
    struct sim_err err;
    sim_err_init(&err);
    struct mdl_scenario *s = NULL;
    if (mdl_load_scenario("t.yaml", yaml, strlen(yaml), NULL, 0, &s, &err)) {
        print_error("%s:%d:%d: %s\n", err.file, err.line, err.col, err.msg);
        fail();
    }
    return s;
}

static const struct out_metric *metric(const struct out_plan *p, enum out_scope_kind kind, const char *scope,
                                       const char *name)
{
    const struct out_scope *sc = out_report_scope(p, kind, scope);
    assert_non_null(sc);
    const struct out_metric *m = out_report_metric(sc, name);
    assert_non_null(m);
    return m;
}

#define ONE_DESK                                                                                                    \
    "seed: 3\nreplications: 3\nday: {open: \"09:00\", close: \"10:00\"}\n"                                         \
    "departments:\n  desk: {staff: 1, service: {dist: exponential, mean: 2}, target_wait: 5}\n"                     \
    "customers:\n  walkin: {arrivals: {per_hour: 20}, enter: desk, route: {desk: {exit: 1}}}\n"

/* Three days written by hand into the replications' vectors. */
static void estimates_of_three_days_by_hand(void **state)
{
    (void)state;
    struct mdl_scenario *s = load(ONE_DESK);
    size_t stride = mdl_run_stride(s), count = mdl_run_count(s), nc = s->nclasses;
    double *v = sim_xcalloc(3 * stride, sizeof *v);
    for (size_t r = 0; r < 3; r++)
        for (size_t i = 0; i < count; i++)
            v[r * stride + count + i] = 1;   /* weights: amounts */
    struct {
        int m;
        double value[3], weight[3];
    } set[] = {
        /* in time: 1 of 2, 4 of 4, 3 of 4 admitted customers */
        {MDL_DM_SERVICE_LEVEL, {0.5, 1.0, 0.75}, {2, 4, 4}},
        /* the mean wait of 1, 3 and 3 customers served: 2 min, then none */
        {MDL_DM_WAIT_MEAN, {2.0, 0.0, 0.0}, {1, 3, 3}},
        /* nobody of 10 a day gave up */
        {MDL_DM_ABANDON_RATE, {0, 0, 0}, {10, 10, 10}},
        {MDL_DM_ARRIVALS, {12, 15, 21}, {1, 1, 1}},
    };
    for (size_t k = 0; k < sizeof set / sizeof set[0]; k++)
        for (size_t r = 0; r < 3; r++) {
            v[r * stride + mdl_metric_dept(nc, 0, set[k].m)] = set[k].value[r];
            v[r * stride + count + mdl_metric_dept(nc, 0, set[k].m)] = set[k].weight[r];
        }
    struct mdl_run_pools *pools = mdl_run_pools_create(s, 3);
    struct mdl_run_totals totals = {0};
    struct sim_arena *arena = sim_arena_create(0);
    struct out_plan p;
    cli_results_plan(s, "by hand", v, 3, &totals, pools, arena, &p);
    double t2 = gsl_cdf_tdist_Pinv(0.975, 2);

    /* in time: 8 of 10 customers, every customer weighing the same (the
     * days' mean of shares would be 0.75); the delta method's interval,
     * its top cut at 1 */
    const struct out_metric *sl = metric(&p, OUT_DEPARTMENT, "desk", "service_level");
    double r = 8.0 / 10, res[3] = {1 - r * 2, 4 - r * 4, 3 - r * 4};
    double sd = sqrt((res[0] * res[0] + res[1] * res[1] + res[2] * res[2]) / 2) / (10.0 / 3);
    assert_near(sl->stat.mean, 0.8, 1e-15);
    assert_near(sl->stat.sd, sd, 1e-12);
    assert_near(sl->stat.ci_low, r - t2 * sd / sqrt(3), 1e-12);
    assert_near(sl->stat.ci_high, 1, 0);
    assert_int_equal(sl->stat.n, 3);

    /* the mean wait: 2 minutes over 7 customers; the interval's bottom cut at
     * 0 (no negative waits) */
    const struct out_metric *wm = metric(&p, OUT_DEPARTMENT, "desk", "wait_mean");
    assert_near(wm->stat.mean, 2.0 / 7, 1e-15);
    assert_near(wm->stat.ci_low, 0, 0);
    double rw = 2.0 / 7, e[3] = {2 - rw, -3 * rw, -3 * rw};
    double sdw = sqrt((e[0] * e[0] + e[1] * e[1] + e[2] * e[2]) / 2) / (7.0 / 3);
    assert_near(wm->stat.ci_high, rw + t2 * sdw / sqrt(3), 1e-12);

    /* a share never seen among 30 customers: 0, at most 1 - 0.025^(1/30) */
    const struct out_metric *ab = metric(&p, OUT_DEPARTMENT, "desk", "abandon_rate");
    assert_near(ab->stat.mean, 0, 0);
    assert_near(ab->stat.ci_low, 0, 0);
    assert_near(ab->stat.ci_high, 1 - pow(0.025, 1.0 / 30), 1e-12);
    assert_true(ab->stat.ci_high > 0.1);

    /* a per-day amount: the Student interval of the days' counts */
    const struct out_metric *ar = metric(&p, OUT_DEPARTMENT, "desk", "arrivals");
    assert_near(ar->stat.mean, 16, 1e-12);
    assert_near(ar->stat.ci_high, 16 + t2 * sqrt(21.0) / sqrt(3), 1e-9);

    /* nobody waited at all in the pools: no quantile */
    assert_true(isnan(metric(&p, OUT_DEPARTMENT, "desk", "wait_p90")->stat.mean));
    sim_arena_destroy(arena);
    mdl_run_pools_destroy(pools);
    free(v);
    mdl_scenario_destroy(s);
}

/* Waits of exactly 0, 1, ..., 8 minutes every day (one desk, a customer a
 * minute, two minutes each): the quantiles of all 27 waits of three days. */
static void pooled_quantiles_of_known_waits(void **state)
{
    (void)state;
    struct mdl_scenario *s = load("seed: 1\nreplications: 3\nday: {open: \"09:00\", close: \"09:10\"}\n"
                                  "departments:\n  desk: {staff: 1, service: {dist: constant, value: 2}}\n"
                                  "customers:\n  walkin: {arrivals: {interarrival: {dist: constant, value: 1}},\n"
                                  "    enter: desk, route: {desk: {exit: 1}}}\n");
    struct sim_arena *arena = sim_arena_create(0);
    struct out_plan p;
    struct mdl_run_totals totals;
    cli_results_run(s, "known", 1, 3, 1, arena, &p, NULL, &totals);
    /* sorted: 0 0 0 1 1 1 ... 8 8 8; the p-quantile is the ceil(27 p)-th:
     * the 14th (4), the 25th (8), the 26th (8); read to one bin's width
     * (1/64 of the value), never above the longest wait */
    const double want[3] = {4, 8, 8};
    const char *names[3] = {"wait_p50", "wait_p90", "wait_p95"};
    for (int q = 0; q < 3; q++) {
        const struct out_metric *m = metric(&p, OUT_DEPARTMENT, "desk", names[q]);
        assert_true(m->stat.mean >= want[q] && m->stat.mean <= want[q] * (1 + 1.0 / 64));
        assert_true(m->stat.ci_high <= 8);
        assert_int_equal(m->stat.n, 3);
    }
    assert_near(metric(&p, OUT_DEPARTMENT, "desk", "wait_max")->stat.mean, 8, 1e-12);
    sim_arena_destroy(arena);
    mdl_scenario_destroy(s);
}

/* ---- coverage ------------------------------------------------------------ */

struct truth {
    const char *metric;
    double value;
    size_t covered;
};

/* Runs `experiments` reports of `reps` replications each of s, seeds
 * 1000, 1001, ..., and counts how often each metric's interval at department
 * `dept` holds its truth. */
static void cover(const struct mdl_scenario *s, const char *dept, unsigned reps, size_t experiments, struct truth *t,
                  size_t nt)
{
    for (size_t e = 0; e < experiments; e++) {
        struct sim_arena *arena = sim_arena_create(0);
        struct out_plan p;
        struct mdl_run_totals totals;
        cli_results_run(s, "experiment", 1000 + e, reps, 0, arena, &p, NULL, &totals);
        for (size_t k = 0; k < nt; k++) {
            const struct out_metric *m = metric(&p, OUT_DEPARTMENT, dept, t[k].metric);
            t[k].covered += m->stat.ci_low <= t[k].value && t[k].value <= m->stat.ci_high;
        }
        sim_arena_destroy(arena);
    }
}

static void assert_coverage(const struct truth *t, size_t nt, size_t experiments)
{
    double tol = 3.5 * sqrt(0.95 * 0.05 / (double)experiments);
    for (size_t k = 0; k < nt; k++) {
        double c = (double)t[k].covered / (double)experiments;
        print_message("  %-14s true %.4f: covered in %.3f of %zu experiments (95%% +/- %.3f)\n", t[k].metric,
                      t[k].value, c, experiments, tol);
        assert_near(c, 0.95, tol);
    }
}

/* M/M/2 in steady state, lambda 1.5 a minute, service 1 a minute per
 * server: rho 0.75. Erlang C: P(wait), Wq; P(Wq > t) = C exp(-(2 mu -
 * lambda) t) gives the share served within 2 minutes and the 90th
 * percentile of the waits of those served. */
static void validation_coverage_mm2_steady_state(void **state)
{
    (void)state;
    struct mdl_scenario *s = load("seed: 1\nreplications: 20\nrun: {warmup: 100, length: 1000}\n"
                                  "departments:\n  desk: {staff: 2, service: {dist: exponential, mean: 1},"
                                  " target_wait: 2}\n"
                                  "customers:\n  c: {arrivals: {per_hour: 90}, enter: desk, route: {desk: {exit: 1}}}\n");
    double c, wq, rate = 2 * 1.0 - 1.5;
    theory_erlang_c(2, 1.5, 1.0, &c, &wq);
    struct truth t[] = {
        {"wait_mean", wq, 0},
        {"p_wait", c, 0},
        {"service_level", 1 - c * exp(-rate * 2), 0},
        {"wait_p90", log(10 * c) / rate, 0},
    };
    size_t experiments = 200;
    cover(s, "desk", 20, experiments, t, sizeof t / sizeof t[0]);
    assert_coverage(t, sizeof t / sizeof t[0], experiments);
    mdl_scenario_destroy(s);
}

/* A short day: one hour, 30 arrivals an hour at one desk of mean service
 * 1.6 minutes, empty at opening: no closed form; the truth is the estimate
 * of 100,000 days. Its days differ wildly (a busy hour's waits pile up), so
 * the intervals, asymptotic, hold the truth less often than 95% over few
 * days: measured over 300 experiments, wait_mean 0.88 at 10 days, 0.91 at
 * 20, 0.93 at 30, 0.94 at 60, 0.95 at 120 (docs/estimators.md). The test
 * asks 60 days. */
static void validation_coverage_short_day(void **state)
{
    (void)state;
    struct mdl_scenario *s = load("seed: 7\nreplications: 60\nday: {open: \"09:00\", close: \"10:00\"}\n"
                                  "departments:\n  desk: {staff: 1, service: {dist: exponential, mean: 1.6},"
                                  " target_wait: 2}\n"
                                  "customers:\n  c: {arrivals: {per_hour: 30}, enter: desk, route: {desk: {exit: 1}}}\n");
    struct sim_arena *arena = sim_arena_create(0);
    struct out_plan ref;
    struct mdl_run_totals totals;
    cli_results_run_bounded(s, "reference", 99, 100000, 0, CLI_RESULTS_KEEP_MAX, arena, &ref, &totals);
    struct truth t[] = {{"wait_mean", 0, 0}, {"service_level", 0, 0}, {"wait_p90", 0, 0}, {"arrivals", 0, 0}};
    size_t nt = sizeof t / sizeof t[0];
    for (size_t k = 0; k < nt; k++) {
        const struct out_metric *m = metric(&ref, OUT_DEPARTMENT, "desk", t[k].metric);
        t[k].value = m->stat.mean;
        /* the reference is sharp beside a 20-day interval */
        assert_true(m->stat.ci_high - m->stat.ci_low < 0.1 * fabs(m->stat.mean) + 1e-9);
    }
    assert_near(t[3].value, 30, 0.1);   /* Poisson arrivals: 30 in the hour */
    sim_arena_destroy(arena);
    size_t experiments = 300;
    cover(s, "desk", 60, experiments, t, nt);
    assert_coverage(t, nt, experiments);
    mdl_scenario_destroy(s);
}

/* M/M/1 at rho 0.8, 1,000 minutes measured, started empty: with no warm-up
 * the early, short waits pull the estimate down (the issue measured 3.85
 * against Wq = rho / (mu - lambda) = 4); with warmup: auto (MSER-5 on
 * pilots) the bias is gone. Over 200 experiments of 30 replications the
 * mean of the estimates is compared with 4 within 3.5 standard errors (the
 * sd of the estimates / sqrt(200)); with no warm-up it is below. The
 * intervals' coverage is printed: about 0.90 either way with a warm-up
 * (0.86 without), the limit of an asymptotic interval over 30 replications
 * of so skewed a wait (docs/estimators.md). */
static void validation_warmup_auto_removes_the_start_bias(void **state)
{
    (void)state;
    struct mdl_scenario *s = load("seed: 1\nreplications: 30\nrun: {length: 1000}\n"
                                  "departments:\n  desk: {staff: 1, service: {dist: exponential, mean: 1}}\n"
                                  "customers:\n  c: {arrivals: {per_hour: 48}, enter: desk, route: {desk: {exit: 1}}}\n");
    assert_true(s->warmup_auto);
    enum { E = 200 };
    double est[2][E], chosen = 0;
    size_t covered[2] = {0, 0};
    for (int k = 0; k < 2; k++)
        for (size_t e = 0; e < E; e++) {
            if (k == 0) {
                s->warmup_auto = true;
                mdl_warmup_choose(s, 2000 + e);
                chosen += s->warmup_dur;
            } else {
                s->warmup_auto = false;
                s->warmup_dur = 0;
            }
            struct sim_arena *arena = sim_arena_create(0);
            struct out_plan p;
            struct mdl_run_totals totals;
            cli_results_run(s, "experiment", 2000 + e, 30, 0, arena, &p, NULL, &totals);
            const struct out_metric *m = metric(&p, OUT_DEPARTMENT, "desk", "wait_mean");
            est[k][e] = m->stat.mean;
            covered[k] += m->stat.ci_low <= 4 && 4 <= m->stat.ci_high;
            sim_arena_destroy(arena);
        }
    double mean[2], se[2];
    for (int k = 0; k < 2; k++) {
        double sum = 0, ss = 0;
        for (size_t e = 0; e < E; e++)
            sum += est[k][e];
        mean[k] = sum / E;
        for (size_t e = 0; e < E; e++)
            ss += (est[k][e] - mean[k]) * (est[k][e] - mean[k]);
        se[k] = sqrt(ss / (E - 1) / E);
    }
    print_message("  warm-up chosen %.0f min on average; estimate %.3f +/- %.3f (covered %.3f); with none %.3f "
                  "+/- %.3f (covered %.3f)\n", chosen / E, mean[0], se[0], (double)covered[0] / E, mean[1], se[1],
                  (double)covered[1] / E);
    assert_near(mean[0], 4, 3.5 * se[0]);
    assert_true(mean[1] < 4 - 3.5 * se[1]);
    mdl_scenario_destroy(s);
}

TEST_TABLE(test_cli_coverage, cmocka_unit_test(estimates_of_three_days_by_hand),
           cmocka_unit_test(pooled_quantiles_of_known_waits),
           cmocka_unit_test(validation_coverage_mm2_steady_state),
           cmocka_unit_test(validation_coverage_short_day),
           cmocka_unit_test(validation_warmup_auto_removes_the_start_bias))
