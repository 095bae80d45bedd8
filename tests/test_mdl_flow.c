/* tests/test_mdl_flow.c — the flow model's bookkeeping: identities that
 * hold on every replication (drops by department and cause add up, hours
 * add up to the day, staff by hour follows the schedule), the after-close
 * rules, and reproducibility. */
#include "tests/testutil.h"
#include "sim/mem.h"

#include "models/builtin.h"
#include "models/flow.h"
#include "models/metrics.h"
#include "models/run.h"
#include "models/load.h"
#include "models/scenario.h"
#include "sim/cli/results.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static struct mdl_scenario *load(const char *yaml, const char *const *sets, size_t nsets)
{
    struct sim_err err;
    sim_err_init(&err);
    struct mdl_scenario *s = NULL;
    if (mdl_load_scenario("t.yaml", yaml, strlen(yaml), sets, nsets, &s, &err)) {
        print_error("%d:%d: %s\n", err.line, err.col, err.msg);
        fail();
    }
    return s;
}

static double *run_one(const struct mdl_scenario *s, uint32_t rep, struct mdl_flow_stats *st)
{
    double *v = sim_xmalloc(mdl_metric_stride(s->ndepts, s->nclasses, mdl_flow_hours(s)) * sizeof *v);
    mdl_flow_run(s, s->seed, rep, v, st, NULL);
    return v;
}

static void flow_drops_and_hours_add_up(void **state)
{
    (void)state;
    /* the dealership, with tight lobby and little patience so every cause occurs */
    const char *sets[] = {"departments.reception.capacity=2", "customers.buyer.patience.mean=10",
                          "customers.buyer.balk_at=3"};
    struct mdl_scenario *s = load((const char *)mdl_builtin_scenario, sets, 3);
    size_t nd = s->ndepts, nc = s->nclasses, nh = mdl_flow_hours(s);
    assert_int_equal(nh, 10); /* 09:00 ... 17:00, and after closing */
    double causes[MDL_DROP] = {0};
    for (uint32_t rep = 0; rep < 5; rep++) {
        struct mdl_flow_stats st;
        double *v = run_one(s, rep, &st);
        for (size_t c = 0; c < nc + 2; c++) {
            double sum = 0;
            for (size_t d = 0; d < nd; d++)
                for (int k = 0; k < MDL_DROP; k++) {
                    sum += v[mdl_metric_drop(nd, nc, c, d, k)];
                    if (c < nc)
                        causes[k] += v[mdl_metric_drop(nd, nc, c, d, k)];
                }
            assert_near(sum, v[mdl_metric_class(nd, c, MDL_JM_DROPPED)], 0);
        }
        for (size_t d = 0; d < nd; d++) {
            double arrivals = 0, drops = 0, dept_drops = 0;
            for (size_t h = 0; h < nh; h++) {
                arrivals += v[mdl_metric_hour(nd, nc, nh, d, h, MDL_HM_ARRIVALS)];
                drops += v[mdl_metric_hour(nd, nc, nh, d, h, MDL_HM_DROPS)];
            }
            for (size_t c = 0; c < nc; c++)
                for (int k = 0; k < MDL_DROP; k++)
                    dept_drops += v[mdl_metric_drop(nd, nc, c, d, k)];
            assert_near(arrivals, v[mdl_metric_dept(nc, d, MDL_DM_ARRIVALS)], 0);
            assert_near(drops, dept_drops, 0);
            /* customers waiting by hour integrate to the day's: hours of 60
             * minutes from 09:00 to 18:00, then what ran after the close */
            double area = 0, after = st.observed_dur - 540;
            for (size_t h = 0; h + 1 < nh; h++)
                area += 60 * v[mdl_metric_hour(nd, nc, nh, d, h, MDL_HM_QUEUE_MEAN)];
            if (after > 0)
                area += after * v[mdl_metric_hour(nd, nc, nh, d, nh - 1, MDL_HM_QUEUE_MEAN)];
            else
                assert_true(isnan(v[mdl_metric_hour(nd, nc, nh, d, nh - 1, MDL_HM_QUEUE_MEAN)]));
            double day = v[mdl_metric_dept(nc, d, MDL_DM_QUEUE_MEAN)] * st.observed_dur;
            assert_near(area, day, 1e-9 * (1 + day));
        }
        /* staff by hour follows the schedule: credit has 3, then 2 from 12:30 */
        int credit = mdl_scenario_dept(s, "credit"), reception = mdl_scenario_dept(s, "reception");
        assert_near(v[mdl_metric_hour(nd, nc, nh, (size_t)credit, 3, MDL_HM_STAFF)], 2.5, 1e-12);
        assert_near(v[mdl_metric_hour(nd, nc, nh, (size_t)reception, 3, MDL_HM_STAFF)], 1, 1e-12);
        assert_near(v[mdl_metric_hour(nd, nc, nh, (size_t)reception, 0, MDL_HM_STAFF)], 2, 1e-12);
        assert_true(isnan(v[mdl_metric_hour(nd, nc, nh, (size_t)reception, nh - 1, MDL_HM_STAFF)]));
        free(v);
    }
    /* over five days every cause but closing happened */
    assert_true(causes[MDL_DROP_BALKED] > 0);
    assert_true(causes[MDL_DROP_BLOCKED] > 0);
    assert_true(causes[MDL_DROP_RENEGED] > 0);
    assert_near(causes[MDL_DROP_CLOSED], 0, 0);
    mdl_scenario_destroy(s);
}

static const char *short_day = "seed: 3\nreplications: 1\n"
                               "day: {open: \"09:00\", close: \"10:00\", after_close: %s}\n"
                               "departments: {desk: {staff: 1, service: {dist: constant, value: 20}, cost_per_hour: 60}}\n"
                               "customers: {c: {arrivals: {per_hour: 30}, enter: desk, value: 10}}\n";

static void flow_after_close_serve_and_leave(void **state)
{
    (void)state;
    char yaml[512];
    struct mdl_flow_stats st;
    /* serve: everybody is finished after closing, as overtime */
    snprintf(yaml, sizeof yaml, short_day, "serve");
    struct mdl_scenario *s = load(yaml, NULL, 0);
    double *v = run_one(s, 0, &st);
    size_t nc = s->nclasses;
    double arrivals = v[mdl_metric_dept(nc, 0, MDL_DM_ARRIVALS)];
    assert_true(arrivals > 10);
    assert_near(v[mdl_metric_class(1, 0, MDL_JM_COMPLETED)], arrivals, 0);
    assert_near(v[mdl_metric_class(1, 0, MDL_JM_DROPPED)], 0, 0);
    /* one staff member works 20 minutes per customer, busy from the first
     * arrival (just after opening) to the last departure: the work beyond
     * the hour before closing is overtime, paid at 1 per minute; staff are
     * present for the hour and the overtime */
    double overtime = v[mdl_metric_dept(nc, 0, MDL_DM_OVERTIME)];
    assert_true(overtime >= 20 * arrivals - 60 && overtime <= 20 * arrivals);
    assert_near(v[mdl_metric_dept(nc, 0, MDL_DM_UTILIZATION)], 20 * arrivals / (60 + overtime), 1e-12);
    assert_near(v[mdl_metric_cost(1, nc, MDL_CM_STAFF_COST)], 60 + overtime, 1e-9);
    assert_near(st.observed_dur, 60 + overtime, 1e-9);
    free(v);
    mdl_scenario_destroy(s);
    /* leave: at closing everyone inside goes, as drop-outs of cause closed */
    snprintf(yaml, sizeof yaml, short_day, "leave");
    s = load(yaml, NULL, 0);
    v = run_one(s, 0, &st);
    double done = v[mdl_metric_class(1, 0, MDL_JM_COMPLETED)], dropped = v[mdl_metric_class(1, 0, MDL_JM_DROPPED)];
    assert_near(done + dropped, arrivals, 0);   /* same customers: same streams */
    /* the first arrival comes just after 09:00, so two 20-minute services
     * end before 10:00 and the third is cut off */
    assert_near(done, 2, 0);
    assert_near(v[mdl_metric_drop(1, nc, 0, 0, MDL_DROP_CLOSED)], dropped, 0);
    assert_near(v[mdl_metric_dept(nc, 0, MDL_DM_OVERTIME)], 0, 0);
    assert_near(v[mdl_metric_class(1, 0, MDL_JM_LOST_VALUE)], 10 * dropped, 1e-9);
    free(v);
    mdl_scenario_destroy(s);
}

static void flow_is_reproducible_and_replications_differ(void **state)
{
    (void)state;
    struct mdl_scenario *s = load((const char *)mdl_builtin_scenario, NULL, 0);
    size_t n = mdl_metric_count(s->ndepts, s->nclasses, mdl_flow_hours(s));
    struct mdl_flow_stats st;
    double *a = run_one(s, 3, &st), *b = run_one(s, 3, &st), *c = run_one(s, 4, &st);
    assert_memory_equal(a, b, n * sizeof *a);   /* NaNs compare as bytes too */
    assert_true(memcmp(a, c, n * sizeof *a) != 0);
    free(a);
    free(b);
    free(c);
    mdl_scenario_destroy(s);
}

/* Customers arrive at 1 a minute; desk serves 0.5 a minute and back, after
 * it, 0.25: both queues grow without end (back's at half desk's pace). The
 * replication stops once more than max_in_system customers are inside,
 * naming both departments; with back fast enough, only desk. */
static const char *overloaded_yaml = "seed: 5\nreplications: 1\nmax_in_system: 3000\n"
                                     "run: {length: 10000000}\n"
                                     "departments:\n"
                                     "  quiet: {staff: 5, service: {dist: exponential, mean: 1}}\n"
                                     "  desk: {staff: 1, service: {dist: exponential, mean: 2}}\n"
                                     "  back: {staff: 1, service: {dist: exponential, mean: 4}}\n"
                                     "customers:\n"
                                     "  v: {arrivals: {per_hour: 60}, enter: quiet,\n"
                                     "      route: {quiet: desk, desk: back, back: exit}}\n";

static void flow_overload_stops_and_names_the_departments(void **state)
{
    (void)state;
    struct mdl_scenario *s = load(overloaded_yaml, NULL, 0);
    assert_int_equal(s->max_in_system, 3000);
    struct mdl_flow_stats st;
    double *v = run_one(s, 0, &st);
    int quiet = mdl_scenario_dept(s, "quiet"), desk = mdl_scenario_dept(s, "desk"), back = mdl_scenario_dept(s, "back");
    assert_true(st.overloaded);
    assert_int_equal(st.overloaded_depts, (UINT64_C(1) << desk) | (UINT64_C(1) << back));
    (void)quiet;
    /* stopped at the limit: about 3,000 inside, far fewer created than the
     * 10 million minutes would bring; every metric is left out */
    assert_true(st.customers > 3000 && st.customers < 20000);
    size_t n = mdl_metric_count(s->ndepts, s->nclasses, mdl_flow_hours(s));
    for (size_t i = 0; i < n; i++)
        assert_true(isnan(v[i]));
    free(v);
    mdl_scenario_destroy(s);

    const char *sets[] = {"departments.back.staff=3"};
    s = load(overloaded_yaml, sets, 1);
    v = run_one(s, 0, &st);
    assert_true(st.overloaded);
    assert_int_equal(st.overloaded_depts, UINT64_C(1) << mdl_scenario_dept(s, "desk"));
    free(v);
    mdl_scenario_destroy(s);

    /* the default limit, and a business that keeps up is never stopped */
    const char *fast[] = {"departments.desk.staff=3", "departments.back.staff=6", "run.length=20000"};
    s = load(strstr(overloaded_yaml, "run:"), fast, 3);
    assert_int_equal(s->max_in_system, MDL_DEFAULT_MAX_IN_SYSTEM);
    v = run_one(s, 0, &st);
    assert_false(st.overloaded);
    assert_int_equal(st.overloaded_depts, 0);
    free(v);
    mdl_scenario_destroy(s);
}

/* Replications too many to keep are summarised as they go: the same
 * intervals as from every replication's value, to rounding, with no
 * values kept. (A short day of a few customers, 10,001 times.) */
/* The by-hour bins are the clock's, whatever the opening time: a day from
 * 07:30 to 16:10 with a lunch dip from 12:00 to 13:00 has its first bin
 * 07:30-08:00, a 12:00 bin with the lunch staff exactly, a last bin
 * 16:00-16:10; with day.interval 45, bins from 07:30 (the boundary 07:30 is
 * on the 45-minute clock: 450 = 10 x 45) to 16:15 cut at 16:10. Customers
 * waiting by bin still integrate to the day's. */
static void flow_hours_are_on_the_clock(void **state)
{
    (void)state;
    const char *yaml = "seed: 4\nday: {open: \"07:30\", close: \"16:10\"}\n"
                       "departments:\n  desk: {staff: [{at: \"07:30\", count: 2}, {at: \"12:00\", count: 1},"
                       " {at: \"13:00\", count: 2}], service: {dist: exponential, mean: 5}}\n"
                       "customers:\n  c: {arrivals: {per_hour: 20}, enter: desk, route: {desk: {exit: 1}}}\n";
    const char *sets45[] = {"day.interval=45"};
    for (int k = 0; k < 2; k++) {
        struct mdl_scenario *s = load(yaml, k ? sets45 : NULL, (size_t)k);
        size_t nd = s->ndepts, nc = s->nclasses, nh = mdl_flow_hours(s);
        double step = k ? 45 : 60;
        /* 07:30 .. 16:10 on the clock, then after closing */
        assert_int_equal(nh, k ? 13 : 11);
        assert_near(mdl_flow_bin_from(s, 0), 450, 0);
        assert_near(mdl_flow_bin_to(s, 0), k ? 495 : 480, 0);
        for (size_t h = 1; h + 1 < nh; h++)
            assert_near(mdl_flow_bin_from(s, h), mdl_flow_bin_to(s, h - 1), 0);
        assert_near(mdl_flow_bin_to(s, nh - 2), 970, 0);
        assert_near(fmod(mdl_flow_bin_from(s, 1), step), 0, 0);
        struct mdl_flow_stats st;
        double *v = run_one(s, 0, &st);
        if (!k) {
            /* 12:00-13:00 is bin 5: one on duty exactly; 11:00 two */
            assert_near(v[mdl_metric_hour(nd, nc, nh, 0, 5, MDL_HM_STAFF)], 1, 1e-12);
            assert_near(v[mdl_metric_hour(nd, nc, nh, 0, 4, MDL_HM_STAFF)], 2, 1e-12);
        }
        double area = 0;
        for (size_t h = 0; h + 1 < nh; h++)
            area += (mdl_flow_bin_to(s, h) - mdl_flow_bin_from(s, h)) *
                    v[mdl_metric_hour(nd, nc, nh, 0, h, MDL_HM_QUEUE_MEAN)];
        double after = st.observed_dur - (970 - 450);
        if (after > 0)
            area += after * v[mdl_metric_hour(nd, nc, nh, 0, nh - 1, MDL_HM_QUEUE_MEAN)];
        double day = v[mdl_metric_dept(nc, 0, MDL_DM_QUEUE_MEAN)] * st.observed_dur;
        assert_near(area, day, 1e-9 * (1 + day));
        free(v);
        mdl_scenario_destroy(s);
    }
}

static void run_bounded_matches_the_kept_summary(void **state)
{
    (void)state;
    struct mdl_scenario *s = load("seed: 8\nday: {open: \"09:00\", close: \"10:00\"}\n"
                                  "departments:\n  desk: {staff: 1, service: {dist: exponential, mean: 6}}\n"
                                  "customers:\n  v: {arrivals: {per_hour: 6}, enter: desk, route: {desk: exit},\n"
                                  "      patience: {dist: exponential, mean: 5}}\n", NULL, 0);
    unsigned reps = CLI_RESULTS_KEEP_MAX + 1;
    struct sim_arena *arena = sim_arena_create(0);
    struct out_plan kept, bounded;
    struct mdl_run_totals tk, tb;
    double *values = sim_xmalloc((size_t)reps * mdl_run_stride(s) * sizeof *values);
    assert_non_null(values);
    cli_results_run(s, "kept", s->seed, reps, 0, arena, &kept, values, &tk);
    cli_results_run_bounded(s, "bounded", s->seed, reps, 0, arena, &bounded, &tb);
    assert_int_equal(tb.events, tk.events);
    assert_int_equal(tb.customers, tk.customers);
    assert_int_equal(bounded.nscopes, kept.nscopes);
    size_t compared = 0;
    for (size_t i = 0; i < kept.nscopes; i++) {
        assert_int_equal(bounded.scopes[i].nmetrics, kept.scopes[i].nmetrics);
        for (size_t m = 0; m < kept.scopes[i].nmetrics; m++) {
            const struct out_metric *a = &kept.scopes[i].metrics[m], *b = &bounded.scopes[i].metrics[m];
            assert_string_equal(a->name, b->name);
            assert_non_null(a->values);
            assert_null(b->values);
            assert_int_equal(a->stat.n, b->stat.n);
            assert_true(isnan(a->stat.mean) == isnan(b->stat.mean));
            if (isnan(a->stat.mean))
                continue;
            assert_near(b->stat.mean, a->stat.mean, 1e-11 * (1 + fabs(a->stat.mean)));
            assert_near(b->stat.sd, a->stat.sd, 1e-9 * (1 + a->stat.sd));
            assert_near(b->stat.ci_high, a->stat.ci_high, 1e-9 * (1 + fabs(a->stat.ci_high)));
            compared++;
        }
    }
    assert_true(compared > 20);
    free(values);
    sim_arena_destroy(arena);
    mdl_scenario_destroy(s);
}

TEST_TABLE(test_mdl_flow,
           cmocka_unit_test(flow_drops_and_hours_add_up),
           cmocka_unit_test(flow_hours_are_on_the_clock),
           cmocka_unit_test(flow_after_close_serve_and_leave),
           cmocka_unit_test(flow_is_reproducible_and_replications_differ),
           cmocka_unit_test(flow_overload_stops_and_names_the_departments),
           cmocka_unit_test(run_bounded_matches_the_kept_summary))
