/* tests/test_mdl_crn.c — common random numbers that survive upstream
 * changes (issue 17, item 4).
 *
 * Every random draw of a visit is keyed by (customer, department, the
 * customer's visit number there): two plans that differ only upstream of a
 * department give each customer who reaches it the same service need, the
 * same patience, the same request (when it is raised, how long its answer
 * takes to serve) and the same route and walk after it. Checked through the
 * trace (mdl_flow_trace): a listener writes down, per customer and visit
 * to the downstream desk, what the story shows of each draw, in two plans
 * whose first desk differs in staff, service, walk and request probability.
 */
#include "tests/testutil.h"
#include "sim/mem.h"

#include "models/flow.h"
#include "models/load.h"
#include "models/scenario.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* front -> back (-> back again) -> office or out. Plan differences, all
 * upstream of back: front's staff and service distribution (gamma draws a
 * varying count of numbers; exponential one), the walk front->back
 * (constant: no number; uniform: one), and the probability of front's
 * request to office. */
static const char *crn_yaml =
    "seed: 17\nreplications: 4\n"
    "day: {open: \"09:00\", close: \"12:00\", after_close: serve}\n"
    "departments:\n"
    "  front: {staff: %d, service: %s}\n"
    "  back: {staff: 2, service: {dist: gamma, mean: 9, sd: 4}}\n"
    "  office: {staff: 1, service: {dist: exponential, mean: 3}}\n"
    "customers:\n"
    "  v:\n"
    "    arrivals: {per_hour: 12}\n"
    "    enter: front\n"
    "    route: {front: {back: 0.9, exit: 0.1}, back: {office: 0.3, back: 0.2, exit: 0.5}, office: {exit: 1}}\n"
    "    patience: {dist: exponential, mean: 10}\n"
    "  check: {kind: internal}\n"
    "handoffs:\n"
    "  default: {dist: uniform, min: 0.5, max: 1.5}\n"
    "  front->back: %s\n"
    "requests:\n"
    "  - {from: front, to: office, as: check, probability: %g, service: {dist: gamma, mean: 2, sd: 1}}\n"
    "  - {from: back, to: office, as: check, probability: 0.4, service: {dist: gamma, mean: 3, sd: 1}}\n";

enum { MAXC = 256, MAXV = 8, NDRAW = 6 };
enum { D_NEED, D_PATIENCE, D_REQ_AT, D_REQ_NEED, D_WALK, D_TO };

/* What the story of one plan shows of each visit to back. */
struct crn_story {
    double x[MAXC][MAXV][NDRAW];   /* NaN: not seen */
    int visits[MAXC];
    double start_at[MAXC], held_at[MAXC], held_dur[MAXC];
    bool waited_front[MAXC];       /* waited at front, at least once */
    /* requests raised at back: the request's number -> its customer and visit */
    unsigned long req_of[MAXC];
    int req_visit[MAXC];
    double req_start_at[MAXC];
};

static void crn_listen(void *ctx, const struct mdl_event *ev)
{
    struct crn_story *st = ctx;
    if (!ev->who.cls || !ev->dept)
        return;
    unsigned long id = ev->who.id;
    assert_true(id < MAXC);
    if (ev->who.request) {
        /* a request raised at back, served at office */
        if (strcmp(ev->dept, "office") || st->req_of[id] == 0)
            return;
        if (ev->kind == MDL_EV_START)
            st->req_start_at[id] = ev->at;
        else if (ev->kind == MDL_EV_FINISH)
            st->x[st->req_of[id]][st->req_visit[id]][D_REQ_NEED] = ev->at - st->req_start_at[id];
        return;
    }
    if (!strcmp(ev->dept, "front")) {
        if (ev->kind == MDL_EV_START && ev->dur > 0)
            st->waited_front[id] = true;
        return;
    }
    if (strcmp(ev->dept, "back"))
        return;
    if (ev->kind == MDL_EV_ARRIVE) {
        st->visits[id]++;
        assert_true(st->visits[id] < MAXV);
    }
    int v = st->visits[id];
    double *x = st->x[id][v];
    switch (ev->kind) {
    case MDL_EV_START:
        st->start_at[id] = ev->at;
        st->held_dur[id] = 0;
        break;
    case MDL_EV_REQUEST:
        x[D_REQ_AT] = ev->at - st->start_at[id];
        st->held_at[id] = ev->at;
        assert_true(ev->related.id < MAXC);
        st->req_of[ev->related.id] = id;
        st->req_visit[ev->related.id] = v;
        break;
    case MDL_EV_RESUME:
        st->held_dur[id] += ev->at - st->held_at[id];
        break;
    case MDL_EV_FINISH:
        x[D_NEED] = ev->at - st->start_at[id] - st->held_dur[id];
        x[D_WALK] = ev->to ? ev->walk_dur : -1;
        x[D_TO] = !ev->to ? 0 : !strcmp(ev->to, "back") ? 1 : !strcmp(ev->to, "office") ? 2 : 3;
        break;
    case MDL_EV_RENEGE:
        x[D_PATIENCE] = ev->dur;
        break;
    default:
        break;
    }
}

static void crn_trace(const char *yaml, uint32_t rep, struct crn_story *st)
{
    struct sim_err err;
    sim_err_init(&err);
    struct mdl_scenario *s = NULL;
    if (mdl_load_scenario("crn.yaml", yaml, strlen(yaml), NULL, 0, &s, &err)) {
        print_error("%d:%d: %s\n", err.line, err.col, err.msg);
        fail();
    }
    memset(st, 0, sizeof *st);
    for (size_t i = 0; i < MAXC; i++)
        for (size_t v = 0; v < MAXV; v++)
            for (size_t k = 0; k < NDRAW; k++)
                st->x[i][v][k] = NAN;
    struct mdl_flow_stats stats;
    mdl_flow_trace(s, s->seed, rep, crn_listen, st, &stats);
    mdl_scenario_destroy(s);
}

static void crn_downstream_draws_do_not_depend_on_upstream(void **state)
{
    (void)state;
    static char a_yaml[2048], b_yaml[2048];
    snprintf(a_yaml, sizeof a_yaml, crn_yaml, 1, "{dist: gamma, mean: 4.5, sd: 2}", "{dist: constant, value: 1}",
             0.3);
    snprintf(b_yaml, sizeof b_yaml, crn_yaml, 3, "{dist: exponential, mean: 4}",
             "{dist: uniform, min: 1, max: 3}", 0.6);
    static struct crn_story a, b;
    size_t compared[NDRAW] = {0}, differed[NDRAW] = {0}, upstream_differs = 0;
    for (uint32_t rep = 0; rep < 4; rep++) {
        crn_trace(a_yaml, rep, &a);
        crn_trace(b_yaml, rep, &b);
        for (size_t i = 1; i < MAXC; i++) {
            upstream_differs += a.waited_front[i] != b.waited_front[i];
            for (size_t v = 1; v < MAXV; v++)
                for (size_t k = 0; k < NDRAW; k++) {
                    double x = a.x[i][v][k], y = b.x[i][v][k];
                    if (isnan(x) || isnan(y))
                        continue;
                    compared[k]++;
                    differed[k] += !(fabs(x - y) <= 1e-9);
                    if (!(fabs(x - y) <= 1e-9))
                        print_error("rep %u, v #%zu, visit %zu to back: draw %zu is %.17g in plan A, %.17g in B\n",
                                    rep, i, v, k, x, y);
                }
        }
    }
    /* the plans really differ upstream, and every kind of draw was seen in
     * both plans often enough to mean something */
    assert_true(upstream_differs >= 10);
    static const size_t least[NDRAW] = {40, 5, 10, 10, 20, 40};
    for (size_t k = 0; k < NDRAW; k++) {
        if (compared[k] < least[k])
            print_error("draw %zu compared %zu times (at least %zu)\n", k, compared[k], least[k]);
        assert_true(compared[k] >= least[k]);
        assert_int_equal(differed[k], 0);
    }
}

TEST_TABLE(test_mdl_crn,
           cmocka_unit_test(crn_downstream_draws_do_not_depend_on_upstream))
