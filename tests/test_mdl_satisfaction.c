/* tests/test_mdl_satisfaction.c — spec §4 on journeys built by hand: the
 * formulas alone, then one customer walked through a tiny business whose
 * every wait is known in advance, so the model's scores can be compared
 * with the arithmetic of the spec to the last digit. */
#include "tests/testutil.h"
#include "sim/mem.h"

#include "models/flow.h"
#include "models/metrics.h"
#include "models/satisfaction.h"
#include "models/load.h"
#include "models/scenario.h"

#include <stdlib.h>
#include <string.h>

static const struct mdl_satisfaction spec_defaults = {
    .wait_weight = 1.0, .handoff_penalty = 0.25, .peak_weight = 0.3, .end_weight = 0.3, .dropout_score = 1};

static void satisfaction_formula_by_hand(void **state)
{
    (void)state;
    const struct mdl_satisfaction *w = &spec_defaults;
    /* reception: waited 2 of a tolerated 3; credit: 25 of 15; sales: none */
    double v1 = mdl_satisfaction_visit(w, 4.5, 2, 3);
    double v2 = mdl_satisfaction_visit(w, 4.0, 25, 15);
    double v3 = mdl_satisfaction_visit(w, 4.3, 0, 10);
    assert_near(v1, 4.5, 0);
    assert_near(v2, 4.0 - 10.0 / 15.0, 1e-15);
    assert_near(v3, 4.3, 0);
    struct mdl_sat_journey j;
    mdl_satisfaction_start(&j);
    mdl_satisfaction_add(&j, v1, 4.5);
    mdl_satisfaction_add(&j, v2, 4.0);
    mdl_satisfaction_add(&j, v3, 4.3);
    double mean = (4.5 + (4.0 - 10.0 / 15.0) + 4.3) / 3;
    double expect = 0.3 * (4.0 - 10.0 / 15.0) + 0.3 * 4.3 + 0.4 * mean - 0.25 * 2;
    assert_near(mdl_satisfaction_score(w, &j, 2, true), expect, 1e-12);
    /* what the score falls short of 5, in parts: the qualities by the
     * same rule (the score had nobody waited), the waits, the handoffs */
    double parts[MDL_SAT_PARTS];
    mdl_satisfaction_parts(w, &j, 2, true, parts);
    double q = 0.3 * 4.0 + 0.3 * 4.3 + 0.4 * (4.5 + 4.0 + 4.3) / 3;
    assert_near(parts[MDL_SAT_QUALITY], 5 - q, 1e-12);
    assert_near(parts[MDL_SAT_WAITS], q - (expect + 0.25 * 2), 1e-12);
    assert_near(parts[MDL_SAT_HANDOFFS], 0.25 * 2, 1e-12);
    assert_near(parts[MDL_SAT_DROPOUT], 0, 0);
    assert_near(parts[0] + parts[1] + parts[2] + parts[3], 5 - expect, 1e-12);
    mdl_satisfaction_parts(w, &j, 2, false, parts);   /* a drop-out: all of it */
    assert_near(parts[MDL_SAT_DROPOUT], 4, 0);
    assert_near(parts[MDL_SAT_QUALITY] + parts[MDL_SAT_WAITS] + parts[MDL_SAT_HANDOFFS], 0, 0);
    /* dropping out scores dropout_score whatever the visits were */
    assert_near(mdl_satisfaction_score(w, &j, 2, false), 1, 0);
    /* a completed journey without a visit (impossible in the model) too */
    struct mdl_sat_journey none;
    mdl_satisfaction_start(&none);
    assert_near(mdl_satisfaction_score(w, &none, 0, true), 1, 0);
    /* clamps: a wait twenty times the tolerance, and a generous weight set */
    assert_near(mdl_satisfaction_visit(w, 2, 100, 5), 1, 0);
    struct mdl_satisfaction kind = *w;
    kind.handoff_penalty = -3;   /* not allowed in a file; the clamp still holds */
    struct mdl_sat_journey one;
    mdl_satisfaction_start(&one);
    mdl_satisfaction_add(&one, 4.9, 4.9);
    assert_near(mdl_satisfaction_score(&kind, &one, 1, true), 5, 0);
    /* the clamp at 1 takes back what handoffs would take below it: the
     * parts still add up to 5 less the score, none below 0 */
    struct mdl_satisfaction harsh = *w;
    harsh.handoff_penalty = 2;
    mdl_satisfaction_parts(&harsh, &j, 2, true, parts);
    assert_near(mdl_satisfaction_score(&harsh, &j, 2, true), 1, 0);
    assert_near(parts[MDL_SAT_HANDOFFS], expect + 0.25 * 2 - 1, 1e-12);
    assert_near(parts[0] + parts[1] + parts[2] + parts[3], 4, 1e-12);
}

static void satisfaction_bands(void **state)
{
    (void)state;
    const double score[] = {1, 1.999, 2, 2.5, 3.999, 4, 4.999, 5, 0.2, 7, NAN};
    const int band[] = {0, 0, 1, 1, 2, 3, 3, 4, 0, 4, 0};
    for (size_t i = 0; i < sizeof score / sizeof score[0]; i++)
        assert_int_equal(mdl_satisfaction_band(score[i]), band[i]);
}

/* The clamp is written as max, min and a blend (no branch): the same
 * values as the plain definition at and around both ends, and NaN to 1. */
static void satisfaction_clamp_keeps_the_scale(void **state)
{
    (void)state;
    const double x[] = {-1e300, 0, 0.999, 1, 1.0000001, 3.2, 4.9999999, 5, 5.0000001, 1e300, INFINITY, -INFINITY, NAN};
    const double want[] = {1, 1, 1, 1, 1.0000001, 3.2, 4.9999999, 5, 5, 5, 5, 1, 1};
    for (size_t i = 0; i < sizeof x / sizeof x[0]; i++)
        assert_true(mdl_satisfaction_clamp(x[i]) == want[i]);
}

/* One buyer a day, at 09:30 (interarrivals of 30 minutes and closing at
 * 10:00). Nobody staffs the front desk until 09:40: the buyer waits 10
 * minutes there (tolerates 4), is served for 5, walks 2 minutes to the back
 * office, is served at once; during that service the back-office clerk needs
 * the front desk (free since 09:45) for 4 minutes, which the buyer waits out
 * (tolerates 2 at the back). */
static const char *walkthrough =
    "name: one buyer\n"
    "seed: 7\n"
    "replications: 3\n"
    "day: {open: \"09:00\", close: \"10:00\"}\n"
    "departments:\n"
    "  front: {staff: [{at: \"09:00\", count: 0}, {at: \"09:40\", count: 1}],\n"
    "          service: {dist: constant, value: 5}, quality: 4.5}\n"
    "  back: {staff: 1, service: {dist: constant, value: 10}, quality: 4.0}\n"
    "customers:\n"
    "  buyer:\n"
    "    kind: external\n"
    "    arrivals: {interarrival: {dist: constant, value: 30}}\n"
    "    enter: front\n"
    "    route: {front: {back: 1}, back: {exit: 1}}\n"
    "    expect_wait: {default: 4, back: 2}\n"
    "handoffs:\n"
    "  default: {dist: constant, value: 2}\n"
    "requests:\n"
    "  - {from: back, to: front, as: clerk, probability: 1, service: {dist: constant, value: 4}}\n";

static void satisfaction_walkthrough(void **state)
{
    (void)state;
    struct sim_err err;
    sim_err_init(&err);
    struct mdl_scenario *s = NULL;
    assert_int_equal(mdl_load_scenario("t.yaml", walkthrough, strlen(walkthrough), NULL, 0, &s, &err), SIM_OK);
    size_t nd = s->ndepts, nc = s->nclasses, n = mdl_metric_stride(nd, nc, mdl_flow_hours(s), s->npools);
    double *v = sim_xmalloc(n * sizeof *v);
    struct mdl_flow_stats st;
    mdl_flow_run(s, s->seed, 0, v, &st, NULL);
    size_t buyer = (size_t)mdl_scenario_class(s, "buyer"), clerk = (size_t)mdl_scenario_class(s, "clerk");
    size_t front = (size_t)mdl_scenario_dept(s, "front"), back = (size_t)mdl_scenario_dept(s, "back");

    double visit_front = 4.5 - (10.0 - 4) / 4;           /* 3.0 */
    double visit_back = 4.0 - (4.0 - 2) / 2;             /* 3.0 */
    double buyer_score = 0.3 * 3.0 + 0.3 * visit_back + 0.4 * (visit_front + visit_back) / 2 - 0.25 * 1;
    assert_near(v[mdl_metric_class(nd, buyer, MDL_JM_COMPLETED)], 1, 0);
    assert_near(v[mdl_metric_class(nd, buyer, MDL_JM_SATISFACTION_MEAN)], buyer_score, 1e-12);
    assert_near(v[mdl_metric_class(nd, buyer, MDL_JM_CSAT)], 0, 0);
    assert_near(v[mdl_metric_class(nd, buyer, MDL_JM_BAND_2)], 1, 0);   /* 2.75: from 2 to 3 */
    assert_near(v[mdl_metric_class(nd, buyer, MDL_JM_SOJOURN_MEAN)], 10 + 5 + 2 + 4 + 10, 1e-9);
    assert_near(v[mdl_metric_class(nd, buyer, MDL_JM_REQUEST_DELAY_MEAN)], 4, 1e-9);
    assert_near(v[mdl_metric_class(nd, buyer, MDL_JM_WAIT_TOTAL_MEAN)], 14, 1e-9);
    /* where its 2.25 points below 5 went: the desks' qualities by the same
     * rule give 4.1 (0.9 short), the visits 3.0 (the waits: 1.1), the
     * handoff 0.25 */
    double quality = 0.3 * 4.0 + 0.3 * 4.0 + 0.4 * (4.5 + 4.0) / 2;
    assert_near(v[mdl_metric_class(nd, buyer, MDL_JM_SAT_LOSS_QUALITY)], 5 - quality, 1e-12);
    assert_near(v[mdl_metric_class(nd, buyer, MDL_JM_SAT_LOSS_WAITS)], quality - 3.0, 1e-12);
    assert_near(v[mdl_metric_class(nd, buyer, MDL_JM_SAT_LOSS_HANDOFFS)], 0.25, 1e-12);
    assert_near(v[mdl_metric_class(nd, buyer, MDL_JM_SAT_LOSS_DROPOUT)], 0, 0);
    assert_near(v[n / 2 + mdl_metric_class(nd, buyer, MDL_JM_SAT_LOSS_QUALITY)], 1, 0);   /* weighed by one customer */
    /* the clerk: one visit to the front desk, served at once */
    assert_near(v[mdl_metric_class(nd, clerk, MDL_JM_SATISFACTION_MEAN)], 4.5, 1e-12);
    assert_near(v[mdl_metric_class(nd, clerk, MDL_JM_BAND_4)], 1, 0);
    assert_near(v[mdl_metric_class(nd, clerk, MDL_JM_SAT_LOSS_QUALITY)], 0.5, 1e-12);
    assert_near(v[mdl_metric_class(nd, clerk, MDL_JM_SAT_LOSS_WAITS)], 0, 0);
    assert_near(v[mdl_metric_class(nd, nc + 1, MDL_JM_CSAT)], 1, 0);
    /* mean visit score per department: front saw the buyer (3.0) and the clerk (4.5) */
    assert_near(v[mdl_metric_dept(nc, front, MDL_DM_VISIT_SATISFACTION)], (3.0 + 4.5) / 2, 1e-12);
    assert_near(v[mdl_metric_dept(nc, back, MDL_DM_VISIT_SATISFACTION)], 3.0, 1e-12);
    free(v);
    mdl_scenario_destroy(s);
}

TEST_TABLE(test_mdl_satisfaction,
           cmocka_unit_test(satisfaction_formula_by_hand),
           cmocka_unit_test(satisfaction_bands),
           cmocka_unit_test(satisfaction_clamp_keeps_the_scale),
           cmocka_unit_test(satisfaction_walkthrough))
