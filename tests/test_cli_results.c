/* tests/test_cli_results.c — plans compared on common random numbers.
 *
 * A variant identical to the baseline differs by exactly zero in every
 * metric and every replication; the paired interval of a real change is
 * much narrower than the one two independent runs give; and the paired
 * difference of two M/M/c queues matches Erlang C's exact difference.
 */
#include "tests/testutil.h"
#include "tests/theory.h"

#include "models/builtin.h"
#include "models/run.h"
#include "models/load.h"
#include "models/plans.h"
#include "models/scenario.h"
#include "sim/cli/results.h"

#include <gsl/gsl_cdf.h>

static struct mdl_scenario *load(const char *yaml, size_t len, const char *set)
{
    struct sim_err err;
    sim_err_init(&err);
    struct mdl_scenario *s = NULL;
    const char *sets[] = {set};
    if (mdl_load_scenario("compare.yaml", yaml, len, sets, set ? 1 : 0, &s, &err)) {
        print_error("%s:%d:%d: %s\n", err.file, err.line, err.col, err.msg);
        fail();
    }
    return s;
}

/* Runs variant v of s (-1: the baseline) into plan p. */
static void run_plan(const struct mdl_scenario *s, int v, uint64_t seed, unsigned reps, struct sim_arena *arena,
                     struct out_plan *p)
{
    struct mdl_run_totals totals;
    struct mdl_plans *plans = NULL;
    struct mdl_scenario *variants[8] = {NULL};
    struct sim_err err;
    sim_err_init(&err);
    assert_int_equal(mdl_plans_read(s, &plans, &err), SIM_OK);
    assert_true(plans->nvariants < 8);
    assert_int_equal(mdl_plans_build_variants(plans, variants, &err), SIM_OK);
    cli_results_run(v >= 0 ? variants[v] : s, v >= 0 ? plans->variants[v].name : "baseline", seed, reps, 0, arena, p,
                    NULL, &totals);
    for (size_t i = 0; i < plans->nvariants; i++)
        mdl_scenario_destroy(variants[i]);
    mdl_plans_destroy(plans);
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

static void compare_identical_variant_differs_by_exactly_zero(void **state)
{
    (void)state;
    /* the credit schedule of the dealership, set again: the same plan */
    struct mdl_scenario *s = load((const char *)mdl_builtin_scenario, mdl_builtin_scenario_len,
                                  "variants=[{name: same, set: {departments.credit.staff: [{at: \"09:00\", count: 3}, "
                                  "{at: \"12:30\", count: 2}, {at: \"13:30\", count: 3}]}}]");
    struct sim_arena *arena = sim_arena_create(0);
    struct out_plan base, same;
    run_plan(s, -1, 7, 8, arena, &base);
    run_plan(s, 0, 7, 8, arena, &same);
    cli_results_pair(&base, &same, 8, arena);
    size_t compared = 0;
    for (size_t i = 0; i < same.nscopes; i++)
        for (size_t m = 0; m < same.scopes[i].nmetrics; m++) {
            const struct out_metric *mt = &same.scopes[i].metrics[m];
            assert_non_null(mt->diff);
            if (mt->diff->n == 0)
                continue;   /* measured by no replication (a wait nobody had) */
            if (mt->diff->mean != 0 || mt->diff->sd != 0) {
                print_error("%s.%s differs by %g (sd %g)\n", same.scopes[i].name, mt->name, mt->diff->mean,
                            mt->diff->sd);
                fail();
            }
            assert_int_equal(out_diff_change(mt->diff), OUT_SAME);
            compared++;
        }
    assert_true(compared > 300);
    sim_arena_destroy(arena);
    mdl_scenario_destroy(s);
}

/* Half-width of the 95% interval of mean(a) - mean(b) from independent
 * samples of n each (Welch's degrees of freedom). */
static double independent_half(const struct out_stat *a, const struct out_stat *b)
{
    double n = (double)a->n, va = a->sd * a->sd / n, vb = b->sd * b->sd / n;
    double df = (va + vb) * (va + vb) / (va * va / (n - 1) + vb * vb / (n - 1));
    return gsl_cdf_tdist_Pinv(0.975, df) * sqrt(va + vb);
}

static void compare_paired_interval_is_much_narrower_than_independent(void **state)
{
    (void)state;
    /* the dealership's "+1 credit officer", 30 days: paired on seed 11,
     * and independently against the same plan on seed 12 */
    struct mdl_scenario *s = load((const char *)mdl_builtin_scenario, mdl_builtin_scenario_len, NULL);
    struct sim_arena *arena = sim_arena_create(0);
    struct out_plan base, paired, indep;
    run_plan(s, -1, 11, 30, arena, &base);
    run_plan(s, 0, 11, 30, arena, &paired);
    run_plan(s, 0, 12, 30, arena, &indep);
    cli_results_pair(&base, &paired, 30, arena);
    /* At most half as wide: independent runs would need four times the
     * days for the same precision. Credit, where the extra officer removes
     * nearly all waiting, gains less: the difference's spread there is the
     * baseline's own, which pairing cannot cancel. */
    static const struct {
        enum out_scope_kind kind;
        const char *scope, *name;
        double at_most;
    } cases[] = {
        {OUT_DEPARTMENT, "credit", "wait_mean", 0.8},
        {OUT_DEPARTMENT, "sales", "wait_mean", 0.5},
        {OUT_DEPARTMENT, "insurance", "wait_mean", 0.5},
        {OUT_JOURNEY, "external", "dropout_rate", 0.5},
        {OUT_JOURNEY, "external", "sojourn_mean", 0.5},
        {OUT_JOURNEY, "external", "satisfaction_mean", 0.5},
        {OUT_COST, "plan", "lost_value", 0.5},
        {OUT_COST, "plan", "total_cost", 0.5},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct out_metric *p = metric(&paired, cases[i].kind, cases[i].scope, cases[i].name);
        const struct out_metric *b = metric(&base, cases[i].kind, cases[i].scope, cases[i].name);
        const struct out_metric *q = metric(&indep, cases[i].kind, cases[i].scope, cases[i].name);
        double paired_half = p->diff->ci_high - p->diff->mean;
        double indep_half = independent_half(&q->stat, &b->stat);
        if (!(paired_half < cases[i].at_most * indep_half)) {
            print_error("%s.%s: paired half-width %g, independent %g (at most %g times)\n", cases[i].scope,
                        cases[i].name, paired_half, indep_half, cases[i].at_most);
            fail();
        }
    }
    sim_arena_destroy(arena);
    mdl_scenario_destroy(s);
}

static void compare_paired_difference_matches_erlang_c(void **state)
{
    (void)state;
    /* M/M/2 against M/M/3, 1.6 arrivals a minute, service 1 minute:
     * Wq(3) - Wq(2) exactly from Erlang C, within 4 standard errors of
     * the paired mean difference */
    const char *yaml = "seed: 5\nreplications: 20\nrun: {warmup: 2000, length: 40000}\n"
                       "departments: {desk: {staff: 2, service: {dist: exponential, mean: 1}}}\n"
                       "customers: {c: {arrivals: {per_hour: 96}, enter: desk}}\n"
                       "variants: [{name: three, set: {departments.desk.staff: 3}}]\n";
    struct mdl_scenario *s = load(yaml, strlen(yaml), NULL);
    struct sim_arena *arena = sim_arena_create(0);
    struct out_plan base, three;
    run_plan(s, -1, s->seed, s->replications, arena, &base);
    run_plan(s, 0, s->seed, s->replications, arena, &three);
    cli_results_pair(&base, &three, s->replications, arena);
    double pw, wq2, wq3;
    theory_erlang_c(2, 1.6, 1, &pw, &wq2);
    theory_erlang_c(3, 1.6, 1, &pw, &wq3);
    const struct out_stat *d = metric(&three, OUT_DEPARTMENT, "desk", "wait_mean")->diff;
    assert_int_equal(d->n, 20);
    double se = d->sd / sqrt((double)d->n);
    assert_near(d->mean, wq3 - wq2, 4 * se);
    /* and the run is long enough to say so to within 5% */
    assert_true(d->ci_high - d->mean < 0.05 * fabs(wq3 - wq2));
    assert_int_equal(out_diff_change(d), OUT_DOWN);
    sim_arena_destroy(arena);
    mdl_scenario_destroy(s);
}

TEST_TABLE(test_cli_results, cmocka_unit_test(compare_identical_variant_differs_by_exactly_zero),
           cmocka_unit_test(compare_paired_interval_is_much_narrower_than_independent),
           cmocka_unit_test(compare_paired_difference_matches_erlang_c))
