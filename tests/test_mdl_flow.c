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
    double *v = sim_xmalloc(mdl_metric_stride(s->ndepts, s->nclasses, mdl_flow_hours(s), s->npools) * sizeof *v);
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
            /* customers in service by hour integrate to the day's busy
             * minutes (utilization times its weight, the minutes available);
             * each hour's service level, weighted by those admitted in it,
             * adds up to the day's */
            const double *w = v + mdl_metric_count(nd, nc, nh, s->npools);
            double busy = 0, in_target = 0, admitted = 0;
            for (size_t h = 0; h < nh; h++) {
                double span = h + 1 < nh ? 60 : after;
                size_t bi = mdl_metric_hour(nd, nc, nh, d, h, MDL_HM_BUSY);
                size_t li = mdl_metric_hour(nd, nc, nh, d, h, MDL_HM_SERVICE_LEVEL);
                if (span > 0)
                    busy += span * v[bi];
                if (w[li] > 0)
                    in_target += v[li] * w[li];
                else
                    assert_true(isnan(v[li]));
                admitted += w[li];
            }
            size_t ui = mdl_metric_dept(nc, d, MDL_DM_UTILIZATION), si = mdl_metric_dept(nc, d, MDL_DM_SERVICE_LEVEL);
            assert_near(busy, v[ui] * w[ui], 1e-9 * (1 + busy));
            assert_near(admitted, w[si], 0);
            assert_near(in_target, v[si] * w[si], 1e-9 * (1 + in_target));
        }
        /* staff by hour follows the schedule: credit has 3, then 2 from 12:30;
         * reception's people on shifts as they were on duty: from 09:00 the
         * early one, from 09:30 the late one too; from 12:00 one of them is
         * at lunch for 45 minutes (later when serving at the hour) */
        int credit = mdl_scenario_dept(s, "credit"), reception = mdl_scenario_dept(s, "reception");
        assert_near(v[mdl_metric_hour(nd, nc, nh, (size_t)credit, 3, MDL_HM_STAFF)], 2.5, 1e-12);
        assert_near(v[mdl_metric_hour(nd, nc, nh, (size_t)reception, 0, MDL_HM_STAFF)], 1.5, 1e-12);
        double noon = v[mdl_metric_hour(nd, nc, nh, (size_t)reception, 3, MDL_HM_STAFF)];
        assert_true(noon >= 1.25 - 1e-12 && noon <= 2);
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

/* After closing (after_close: serve), one rule for capacity and pay
 * (docs/model.md, "Days"): each department keeps the staff on duty at
 * closing; a staff member goes home once nobody waits there, they have
 * nobody in hand and no customer inside can come there any more; presence
 * until then is overtime, paid. Constant arrivals and services: every
 * instant is known.
 *
 * Two customers, at 09:20 and 09:40; front serves 25 minutes, then back 30.
 *   front (2 on duty, 1 a minute): A 09:20-09:45, B 09:40-10:05. At 10:00
 *     nobody can come to front (A is at back, B in service at front), so its
 *     idle member goes home; B's goes at 10:05. Overtime 1 x 5 = 5.
 *   back (3 on duty, 2 a minute): A 09:45-10:15, B 10:05-10:35. At 10:00 B
 *     can still come: all three stay. At 10:05 B starts and nobody else can
 *     come: the idle one goes home; A's at 10:15, B's at 10:35. Overtime
 *     3 x 5 + 2 x 10 + 1 x 20 = 55 (the busy minutes alone: 45).
 *   Staff cost: front 1 x (2 x 60 + 5) = 125, back 2 x (3 x 60 + 55) = 470.
 *   Utilization: front 50 / (120 + 5), back 60 / (180 + 55). */
static const char *close_yaml = "seed: 1\nreplications: 1\n"
                                "day: {open: \"09:00\", close: \"10:00\", after_close: serve}\n"
                                "departments:\n"
                                "  front: {staff: 2, service: {dist: constant, value: 25}, cost_per_hour: 60}\n"
                                "  back: {staff: 3, service: {dist: constant, value: 30}, cost_per_hour: 120}\n"
                                "customers:\n"
                                "  c: {arrivals: {interarrival: {dist: constant, value: 20}}, enter: front,\n"
                                "      route: {front: back, back: exit}}\n";

/* Nobody on duty at closing, a customer waiting: one is kept. Desk has 1
 * on duty until 09:50, then none; customers at 09:15, 09:30, 09:45, served
 * 30 minutes each: A 09:15-09:45, B 09:45-10:15 (past the schedule from
 * 09:50: overrun), C waits. At 10:00 desk keeps one for C; B's server is
 * that one, and serves C 10:15-10:45. Overrun 10 (09:50-10:00), overtime 45,
 * scheduled 50: staff cost 105 at 1 a minute; utilization 90 / 105. */
static const char *call_in_yaml = "seed: 1\nreplications: 1\n"
                                  "day: {open: \"09:00\", close: \"10:00\", after_close: serve}\n"
                                  "departments:\n"
                                  "  desk: {staff: [{at: \"09:00\", count: 1}, {at: \"09:50\", count: 0}],\n"
                                  "         service: {dist: constant, value: 30}, cost_per_hour: 60}\n"
                                  "customers:\n"
                                  "  c: {arrivals: {interarrival: {dist: constant, value: 15}}, enter: desk}\n";

static void flow_after_close_staff_stay_while_customers_can_come(void **state)
{
    (void)state;
    struct mdl_scenario *s = load(close_yaml, NULL, 0);
    struct mdl_flow_stats st;
    double *v = run_one(s, 0, &st);
    size_t nc = s->nclasses;
    assert_near(v[mdl_metric_class(2, 0, MDL_JM_COMPLETED)], 2, 0);
    assert_near(st.observed_dur, 95, 1e-9);   /* 09:00 to 10:35 */
    assert_near(v[mdl_metric_dept(nc, 0, MDL_DM_OVERTIME)], 5, 1e-9);
    assert_near(v[mdl_metric_dept(nc, 1, MDL_DM_OVERTIME)], 55, 1e-9);
    assert_near(v[mdl_metric_dept(nc, 0, MDL_DM_UTILIZATION)], 50.0 / 125, 1e-12);
    assert_near(v[mdl_metric_dept(nc, 1, MDL_DM_UTILIZATION)], 60.0 / 235, 1e-12);
    assert_near(v[mdl_metric_dept(nc, 0, MDL_DM_OVERRUN)], 0, 0);
    assert_near(v[mdl_metric_cost(2, nc, MDL_CM_STAFF_COST)], 125 + 470, 1e-9);
    free(v);
    mdl_scenario_destroy(s);

    s = load(call_in_yaml, NULL, 0);
    v = run_one(s, 0, &st);
    nc = s->nclasses;
    assert_near(v[mdl_metric_class(1, 0, MDL_JM_COMPLETED)], 3, 0);
    assert_near(st.observed_dur, 105, 1e-9);   /* 09:00 to 10:45 */
    assert_near(v[mdl_metric_dept(nc, 0, MDL_DM_OVERRUN)], 10, 1e-9);
    assert_near(v[mdl_metric_dept(nc, 0, MDL_DM_OVERTIME)], 45, 1e-9);
    assert_near(v[mdl_metric_dept(nc, 0, MDL_DM_UTILIZATION)], 90.0 / 105, 1e-12);
    assert_near(v[mdl_metric_cost(1, nc, MDL_CM_STAFF_COST)], 105, 1e-9);
    free(v);
    mdl_scenario_destroy(s);
}

/* The case of issue 17: a department idle since before closing serves
 * three late customers at once. Classes a, b, c arrive once each, at 09:50;
 * desk (3 on duty) serves each 30 minutes, then back (3 on duty, idle all
 * day) 10. At 10:20 all three reach back and start at once: back kept its
 * three from 10:00 because they could come, so it may, and it pays them:
 * overtime 3 x 30 = 90 (the busy minutes alone were 30). Desk: nobody can
 * come back to it, so each member goes home as they finish: 3 x 20 = 60.
 * Staff cost, 1 a minute: (180 + 60) + (180 + 90) = 510. */
static const char *late_yaml = "seed: 1\nreplications: 1\n"
                               "day: {open: \"09:00\", close: \"10:00\", after_close: serve}\n"
                               "departments:\n"
                               "  desk: {staff: 3, service: {dist: constant, value: 30}, cost_per_hour: 60}\n"
                               "  back: {staff: 3, service: {dist: constant, value: 10}, cost_per_hour: 60}\n"
                               "customers:\n"
                               "  a: {arrivals: {interarrival: {dist: constant, value: 50}}, enter: desk,\n"
                               "      route: {desk: back, back: exit}}\n"
                               "  b: {arrivals: {interarrival: {dist: constant, value: 50}}, enter: desk,\n"
                               "      route: {desk: back, back: exit}}\n"
                               "  c: {arrivals: {interarrival: {dist: constant, value: 50}}, enter: desk,\n"
                               "      route: {desk: back, back: exit}}\n";

/* Staff in service and staff kept, per department, followed through a
 * traced day: after closing, nobody starts beyond the staff kept, and the
 * staff present (those kept, or more while staff finish past their
 * schedule) integrate to the overtime the replication reports. */
struct staffing {
    const struct mdl_scenario *s;
    bool closed;
    double close_at, last_at;
    long busy[8], kept[8];
    double present_dur[8];     /* staff-minutes present after closing */
    long max_busy_after[8];
    size_t violations;         /* starts after closing beyond the staff kept */
};

static void follow_staff(void *ctx, const struct mdl_event *ev)
{
    struct staffing *t = ctx;
    if (t->closed)
        for (size_t d = 0; d < t->s->ndepts; d++)
            t->present_dur[d] += (double)(t->kept[d] > t->busy[d] ? t->kept[d] : t->busy[d]) * (ev->at - t->last_at);
    t->last_at = ev->at;
    if (ev->kind == MDL_EV_CLOSE) {
        t->closed = true;
        t->close_at = ev->at;
        return;
    }
    if (!ev->dept)
        return;
    int d = mdl_scenario_dept(t->s, ev->dept);
    if (d < 0)   /* a pool's: not a department */
        return;
    assert_true(d < 8);
    if (ev->kind == MDL_EV_STAFF)
        t->kept[d] = ev->count;
    else if (ev->kind == MDL_EV_START)
        t->busy[d]++;
    else if (ev->kind == MDL_EV_FINISH)
        t->busy[d]--;
    if (t->closed && ev->kind == MDL_EV_START) {
        t->violations += t->busy[d] > t->kept[d];
        if (t->busy[d] > t->max_busy_after[d])
            t->max_busy_after[d] = t->busy[d];
    }
}

static void follow(const struct mdl_scenario *s, uint32_t rep, struct staffing *t)
{
    memset(t, 0, sizeof *t);
    t->s = s;
    assert_true(s->ndepts <= 8);
    struct mdl_flow_stats st;
    mdl_flow_trace(s, s->seed, rep, follow_staff, t, &st);
}

static void flow_after_close_no_more_serve_than_are_present(void **state)
{
    (void)state;
    struct mdl_scenario *s = load(late_yaml, NULL, 0);
    struct mdl_flow_stats st;
    double *v = run_one(s, 0, &st);
    size_t nc = s->nclasses;
    assert_near(v[mdl_metric_dept(nc, 0, MDL_DM_OVERTIME)], 60, 1e-9);
    assert_near(v[mdl_metric_dept(nc, 1, MDL_DM_OVERTIME)], 90, 1e-9);
    assert_near(v[mdl_metric_cost(2, nc, MDL_CM_STAFF_COST)], 510, 1e-9);
    struct staffing t;
    follow(s, 0, &t);
    assert_int_equal(t.max_busy_after[1], 3);   /* three at once at back ... */
    assert_int_equal(t.violations, 0);          /* ... never more than present */
    assert_near(t.present_dur[1], 90, 1e-9);
    free(v);
    mdl_scenario_destroy(s);

    /* The same on the dealership, whose buyers walk, ask for credit checks
     * and give up: day after day, no department serves more after closing
     * than it has present, and what is present is the overtime paid. Its
     * staff as head counts, without its pool (this follower counts a
     * department's own staff; people on shifts: tests/test_mdl_staff.c) */
    const char *counts[] = {
        "departments.reception={staff: 2, service: {dist: lognormal, mean: 4, sd: 2}, capacity: 15, "
        "target_wait: 5, cost_per_hour: 28}",
        "departments.insurance={staff: [{at: \"09:00\", count: 2}, {at: \"13:00\", count: 1}, "
        "{at: \"14:00\", count: 2}], service: {dist: exponential, mean: 15}, discipline: priority, "
        "cost_per_hour: 35}",
        "pools.floater.staff=0"};
    s = load((const char *)mdl_builtin_scenario, counts, 3);
    size_t nd = s->ndepts;
    double overtime = 0;
    for (uint32_t rep = 0; rep < 20; rep++) {
        v = run_one(s, rep, &st);
        follow(s, rep, &t);
        assert_int_equal(t.violations, 0);
        for (size_t d = 0; d < nd; d++) {
            double ot = v[mdl_metric_dept(s->nclasses, d, MDL_DM_OVERTIME)];
            assert_near(t.present_dur[d], ot, 1e-9 * (1 + ot));
            overtime += ot;
        }
        free(v);
    }
    assert_true(overtime > 0);
    mdl_scenario_destroy(s);
}

static void flow_is_reproducible_and_replications_differ(void **state)
{
    (void)state;
    struct mdl_scenario *s = load((const char *)mdl_builtin_scenario, NULL, 0);
    size_t n = mdl_metric_count(s->ndepts, s->nclasses, mdl_flow_hours(s), s->npools);
    struct mdl_flow_stats st;
    double *a = run_one(s, 3, &st), *b = run_one(s, 3, &st), *c = run_one(s, 4, &st);
    assert_memory_equal(a, b, n * sizeof *a);   /* NaNs compare as bytes too */
    assert_true(memcmp(a, c, n * sizeof *a) != 0);
    free(a);
    free(b);
    free(c);
    mdl_scenario_destroy(s);
}

/* front -> back, both overloaded: 20 an hour reach front (one clerk, 4
 * minutes each), some 15 an hour reach back (one clerk, 6 minutes), so
 * queues form at both. Patience and balking are given as the test says. */
static const char *two_desks_yaml = "seed: 23\nreplications: 1\n"
                                    "day: {open: \"09:00\", close: \"13:00\"}\n"
                                    "departments:\n"
                                    "  front: {staff: 1, service: {dist: exponential, mean: 4}}\n"
                                    "  back: {staff: 1, service: {dist: exponential, mean: 6}}\n"
                                    "customers:\n"
                                    "  c:\n"
                                    "    arrivals: {per_hour: 20}\n"
                                    "    enter: front\n"
                                    "    route: {front: back, back: exit}\n"
                                    "    patience: %s\n"
                                    "    balk_at: %s\n";

/* Drops at each desk by cause, over `days` replications. */
static void two_desks_drops(const char *patience, const char *balk_at, uint32_t days, double drops[2][MDL_DROP])
{
    char yaml[1024];
    snprintf(yaml, sizeof yaml, two_desks_yaml, patience, balk_at);
    struct mdl_scenario *s = load(yaml, NULL, 0);
    memset(drops, 0, 2 * MDL_DROP * sizeof drops[0][0]);
    for (uint32_t rep = 0; rep < days; rep++) {
        struct mdl_flow_stats st;
        double *v = run_one(s, rep, &st);
        for (size_t d = 0; d < 2; d++)
            for (int k = 0; k < MDL_DROP; k++)
                drops[d][k] += v[mdl_metric_drop(2, 1, 0, d, k)];
        free(v);
    }
    mdl_scenario_destroy(s);
}

static void flow_patience_and_balking_by_department(void **state)
{
    (void)state;
    enum { FRONT, BACK };
    double all[2][MDL_DROP], by[2][MDL_DROP];
    /* the same patience and balking everywhere: both happen at both desks */
    two_desks_drops("{dist: exponential, mean: 20}", "3", 20, all);
    assert_true(all[FRONT][MDL_DROP_RENEGED] >= 10 && all[BACK][MDL_DROP_RENEGED] >= 10);
    assert_true(all[FRONT][MDL_DROP_BALKED] >= 10 && all[BACK][MDL_DROP_BALKED] >= 10);
    /* patience only at back, balking only at front: each happens only there */
    two_desks_drops("{back: {dist: exponential, mean: 20}}", "{front: 3}", 20, by);
    assert_near(by[FRONT][MDL_DROP_RENEGED], 0, 0);
    assert_near(by[BACK][MDL_DROP_BALKED], 0, 0);
    assert_true(by[BACK][MDL_DROP_RENEGED] >= 10 && by[FRONT][MDL_DROP_BALKED] >= 10);
    /* a default, or every department named with the same value, is the
     * plain form: the same draws, the same days */
    const char *forms[][2] = {{"{default: {dist: exponential, mean: 20}}", "{default: 3}"},
                              {"{front: {dist: exponential, mean: 20}, back: {dist: exponential, mean: 20}}",
                               "{front: 3, back: 3}"},
                              {"{default: {dist: exponential, mean: 20}, front: {dist: exponential, mean: 20}}",
                               "{default: 3, back: 3}"}};
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
        double same[2][MDL_DROP];
        two_desks_drops(forms[i][0], forms[i][1], 20, same);
        assert_memory_equal(same, all, sizeof all);
    }
    /* by department, the default fills the departments not named */
    two_desks_drops("{default: {dist: exponential, mean: 20}, front: {dist: exponential, mean: 1000000}}",
                    "{default: 1000000, front: 3}", 20, by);
    assert_true(by[BACK][MDL_DROP_RENEGED] >= 10 && by[FRONT][MDL_DROP_BALKED] >= 10);
    assert_true(by[FRONT][MDL_DROP_RENEGED] <= 1 && by[BACK][MDL_DROP_BALKED] == 0);
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
    size_t n = mdl_metric_count(s->ndepts, s->nclasses, mdl_flow_hours(s), s->npools);
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
    cli_results_run_bounded(s, "bounded", s->seed, reps, 0, CLI_RESULTS_KEEP_MAX, arena, &bounded, &tb);
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

/* Figure by figure, a's and b's statistics agree to rounding, relative to
 * `size` (of the figures they come from: a difference of 0 between two
 * plans' equal arrivals comes out of running co-moments as 1e-9 of them). */
static size_t assert_same_stat(const struct out_stat *a, const struct out_stat *b, double size)
{
    assert_int_equal(a->n, b->n);
    assert_true(isnan(a->mean) == isnan(b->mean));
    if (isnan(a->mean))
        return 0;
    assert_near(b->mean, a->mean, 1e-11 * (1 + fabs(a->mean)));
    assert_true(isnan(a->sd) == isnan(b->sd));
    if (!isnan(a->sd)) {
        double scale = 1 + fabs(a->mean) + a->sd + size;
        assert_near(b->sd, a->sd, 1e-9 * scale);
        assert_near(b->ci_low, a->ci_low, 1e-9 * scale);
        assert_near(b->ci_high, a->ci_high, 1e-9 * scale);
    }
    return 1;
}

/* compare past the replications it keeps (issue 18, item 10): blocks of
 * replications into tallies, each plan's and each pair's, give the kept
 * comparison's figures and paired differences to rounding — also for a
 * department only the variant has (no difference) and for by-hour bins. */
static void compare_bounded_matches_the_kept_comparison(void **state)
{
    (void)state;
    static const char shop[] =
        "seed: 8\nday: {open: \"09:00\", close: \"11:00\"}\n"
        "departments:\n  desk: {staff: 1, service: {dist: exponential, mean: 5}}\n"
        "customers:\n  v: {arrivals: {per_hour: 9}, enter: desk, route: {desk: exit},\n"
        "      patience: {dist: exponential, mean: 8}}\n";
    const char *more[] = {"departments.desk.staff=2"};
    const char *extra[] = {"departments.extra={staff: 1, service: {dist: exponential, mean: 2}}",
                           "customers.v.route={desk: {extra: 0.5, exit: 0.5}}"};
    struct mdl_scenario *all[3] = {load(shop, NULL, 0), load(shop, more, 1), load(shop, extra, 2)};
    const char *names[3] = {"baseline", "two at the desk", "an extra desk"};
    unsigned reps = 1500;   /* two blocks */
    struct sim_arena *arena = sim_arena_create(0);
    struct out_plan kept[3], bounded[3];
    cli_results_compare(all, names, 3, 8, reps, 0, reps, arena, kept);
    cli_results_compare(all, names, 3, 8, reps, 0, 0, arena, bounded);
    size_t compared = 0, diffs = 0;
    for (size_t p = 0; p < 3; p++) {
        assert_int_equal(bounded[p].nscopes, kept[p].nscopes);
        for (size_t i = 0; i < kept[p].nscopes; i++)
            for (size_t m = 0; m < kept[p].scopes[i].nmetrics; m++) {
                const struct out_metric *a = &kept[p].scopes[i].metrics[m], *b = &bounded[p].scopes[i].metrics[m];
                assert_string_equal(a->name, b->name);
                assert_non_null(a->values);
                assert_null(b->values);
                compared += assert_same_stat(&a->stat, &b->stat, 0);
                assert_true(!a->diff == !b->diff);
                if (a->diff)
                    diffs += assert_same_stat(a->diff, b->diff, fabs(a->stat.mean) + a->stat.sd);
            }
    }
    const struct out_scope *x = out_report_scope(&bounded[2], OUT_DEPARTMENT, "extra");
    assert_non_null(x);
    assert_null(out_report_metric(x, "wait_mean")->diff);
    assert_non_null(out_report_metric(out_report_scope(&bounded[1], OUT_DEPARTMENT, "desk"), "wait_p90")->diff);
    print_message("%zu figures and %zu differences compared\n", compared, diffs);
    assert_true(compared > 250 && diffs > 150);
    sim_arena_destroy(arena);
    for (size_t p = 0; p < 3; p++)
        mdl_scenario_destroy(all[p]);
}

/* The work bound (max_events, issue 18): the events a replication is
 * expected to handle, from its arrivals and routes, are an upper estimate
 * of those it handles — never below them, at most six times above — and the default
 * bound, 100 times that and at least a million, leaves any ordinary
 * replication far inside it. A replication past a bound the file sets is
 * stopped as overloaded, naming no department whose queue is short. */
static void flow_work_bound_sits_far_above_the_work_done(void **state)
{
    (void)state;
    static const char steady[] =
        "name: Calls\nseed: 3\nrun: {warmup: 1000, length: 20000}\n"
        "departments:\n  desk: {staff: 2, service: {dist: exponential, mean: 3}}\n"
        "  back: {staff: 1, service: {dist: exponential, mean: 2}}\n"
        "customers:\n  caller: {arrivals: {per_hour: 30}, enter: desk, route: {desk: {back: 0.5, desk: 0.2, exit: 0.3}}}\n";
    const char *texts[] = {(const char *)mdl_builtin_scenario, steady};
    for (size_t t = 0; t < 2; t++) {
        struct mdl_scenario *s = load(texts[t], NULL, 0);
        double sum = 0, most = 0;
        for (uint32_t rep = 0; rep < 20; rep++) {
            struct mdl_flow_stats st;
            free(run_one(s, rep, &st));
            assert_false(st.overloaded);
            sum += (double)st.events;
            most = fmax(most, (double)st.events);
        }
        double mean = sum / 20;
        print_message("events a replication: %.0f on average, %.0f expected; bound %ld\n", mean, s->expected_events,
                      s->max_events);
        assert_true(s->expected_events >= mean && s->expected_events <= 6 * mean);
        assert_true((double)s->max_events >= 100 * most * 0.5 && s->max_events >= MDL_MIN_MAX_EVENTS);
        mdl_scenario_destroy(s);
    }
    /* a bound set low stops every day, as overloaded, naming no department */
    const char *sets[] = {"max_events=1000"};
    struct mdl_scenario *s = load(steady, sets, 1);
    struct mdl_flow_stats st;
    double *v = run_one(s, 0, &st);
    assert_true(st.overloaded && st.over_events);
    assert_int_equal(st.overloaded_depts, 0);
    assert_int_equal(st.events, 1001);
    assert_true(isnan(v[0]));
    free(v);
    mdl_scenario_destroy(s);
}

/* A stand-in for MPI's collectives (models/run.h's spreader), playing
 * process k of size in turn: it keeps the rows process k simulated, adds
 * the totals, and checks that the shares are contiguous and cover every
 * replication of the call once. */
struct fake_job {
    unsigned k, size;
    size_t stride, reps;
    double *rows;       /* [reps x stride]: each process's share, as gathered */
    uint64_t sums[4 + MDL_MAX_DEPTS];
};

static void fake_gather(void *ctx, double *values, const size_t *count, const size_t *offset)
{
    struct fake_job *f = ctx;
    size_t at = 0;
    for (unsigned k = 0; k < f->size; k++) {
        assert_int_equal(offset[k], at);
        at += count[k];
    }
    assert_int_equal(at, f->reps * f->stride);
    memcpy(f->rows + offset[f->k], values + offset[f->k], count[f->k] * sizeof *values);
}

static void fake_sum(void *ctx, uint64_t *v, size_t n)
{
    struct fake_job *f = ctx;
    assert_int_equal(n, sizeof f->sums / sizeof f->sums[0]);
    for (size_t i = 0; i < n; i++)
        f->sums[i] += v[i];
}

static void fake_collect(void *ctx, const double *mine, size_t n, double *all)
{
    (void)ctx, (void)mine, (void)n, (void)all;
    fail();   /* no pools in this test */
}

static void flow_spread_shares_every_replication_once(void **state)
{
    (void)state;
    struct mdl_scenario *s = load((const char *)mdl_builtin_scenario, NULL, 0);
    enum { FIRST = 5, N = 7 };
    size_t stride = mdl_run_stride(s);
    double *alone = sim_xmalloc(N * stride * sizeof *alone), *values = sim_xmalloc(N * stride * sizeof *values);
    struct mdl_run_totals whole, part;
    mdl_run_block(s, s->seed, FIRST, N, 1, alone, &whole, NULL);
    struct fake_job f = {.size = 3, .stride = stride, .reps = N, .rows = sim_xcalloc(N * stride, sizeof *f.rows)};
    for (f.k = 0; f.k < f.size; f.k++) {
        struct mdl_run_spread sp = {.rank = f.k, .size = f.size, .ctx = &f, .gather = fake_gather, .sum = fake_sum,
                                    .collect = fake_collect};
        mdl_run_spread_set(&sp);
        mdl_run_block(s, s->seed, FIRST, N, 2, values, &part, NULL);
        mdl_run_spread_set(NULL);
    }
    assert_memory_equal(f.rows, alone, N * stride * sizeof *alone);   /* bit for bit */
    assert_int_equal(f.sums[0], whole.events);
    assert_int_equal(f.sums[1], whole.customers);
    assert_int_equal(f.sums[2], whole.overloaded);
    free(f.rows);
    free(values);
    free(alone);
    mdl_scenario_destroy(s);
}

TEST_TABLE(test_mdl_flow, cmocka_unit_test(flow_spread_shares_every_replication_once),
           cmocka_unit_test(flow_drops_and_hours_add_up),
           cmocka_unit_test(flow_hours_are_on_the_clock),
           cmocka_unit_test(flow_after_close_serve_and_leave),
           cmocka_unit_test(flow_after_close_staff_stay_while_customers_can_come),
           cmocka_unit_test(flow_after_close_no_more_serve_than_are_present),
           cmocka_unit_test(flow_is_reproducible_and_replications_differ),
           cmocka_unit_test(flow_patience_and_balking_by_department),
           cmocka_unit_test(flow_overload_stops_and_names_the_departments),
           cmocka_unit_test(run_bounded_matches_the_kept_summary),
           cmocka_unit_test(compare_bounded_matches_the_kept_comparison),
           cmocka_unit_test(flow_work_bound_sits_far_above_the_work_done))
