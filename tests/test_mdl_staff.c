/* tests/test_mdl_staff.c — staff as people (issue 19, spec §2a), by hand:
 * days of constant arrivals and services whose every minute can be worked
 * out on paper — a break taken late because the person was serving, a
 * window's break taken at the first idle moment, the end of a shift
 * finishing the customer in hand (overrun, paid), breaks paid or not, a
 * pool serving where its departments' own staff cannot — and the figures
 * the model reports for them, exactly. */
#include "tests/testutil.h"
#include "sim/mem.h"

#include "models/flow.h"
#include "models/load.h"
#include "models/metrics.h"
#include "models/scenario.h"

#include <math.h>
#include <string.h>

static struct mdl_scenario *load(const char *yaml)
{
    struct sim_err err;
    sim_err_init(&err);
    struct mdl_scenario *s = NULL;
    if (mdl_load_scenario("t.yaml", yaml, strlen(yaml), NULL, 0, &s, &err)) {
        print_error("%d:%d: %s\n", err.line, err.col, err.msg);
        fail();
    }
    return s;
}

/* The story of replication 0, one line per event kind and staff member
 * that the tests look for: "HH:MM KIND STAFF [DUR]". */
struct story {
    char text[8192];
    size_t len;
};

static void listen(void *ctx, const struct mdl_event *ev)
{
    struct story *st = ctx;
    static const char *const kinds[MDL_EV_KINDS] = {
        [MDL_EV_START] = "start", [MDL_EV_SHIFT_START] = "on", [MDL_EV_SHIFT_END] = "home",
        [MDL_EV_BREAK] = "break", [MDL_EV_BACK] = "back", [MDL_EV_STAYS] = "stays", [MDL_EV_SENT_HOME] = "sent"};
    if (!kinds[ev->kind])
        return;
    int at = (int)lround(ev->at);
    st->len += (size_t)snprintf(st->text + st->len, sizeof st->text - st->len, "%02d:%02d %s %s", at / 60, at % 60,
                                kinds[ev->kind], ev->staff ? ev->staff : "-");
    if (ev->kind == MDL_EV_START || ev->kind == MDL_EV_SENT_HOME)
        st->len += (size_t)snprintf(st->text + st->len, sizeof st->text - st->len, " %s#%lu", ev->who.cls,
                                    ev->who.id);
    if (!isnan(ev->dur) && ev->kind != MDL_EV_START && ev->kind != MDL_EV_SENT_HOME)
        st->len += (size_t)snprintf(st->text + st->len, sizeof st->text - st->len, " %g", ev->dur);
    st->len += (size_t)snprintf(st->text + st->len, sizeof st->text - st->len, "\n");
}

static double *run_one(const struct mdl_scenario *s, struct story *st)
{
    double *v = sim_xmalloc(mdl_metric_stride(s->ndepts, s->nclasses, mdl_flow_hours(s), s->npools) * sizeof *v);
    struct mdl_flow_stats stats;
    mdl_flow_run(s, s->seed, 0, v, &stats, NULL);
    if (st) {
        st->len = 0;
        st->text[0] = '\0';
        mdl_flow_trace(s, s->seed, 0, listen, st, &stats);
    }
    return v;
}

#define DEPT(m) v[mdl_metric_dept(s->nclasses, 0, (m))]
#define COST(m) v[mdl_metric_cost(s->ndepts, s->nclasses, (m))]
#define HOUR(h, m) v[mdl_metric_hour(s->ndepts, s->nclasses, mdl_flow_hours(s), 0, (h), (m))]

/* One clerk, 09:00 to 11:00 with a break at 10:00 for 15 minutes; a
 * customer every 20 minutes from 09:20, each needing 25; the doors close
 * at 12:00 and send home whoever waits.
 *   09:20 #1 served at once, to 09:45; 09:40 #2 waits 5, served 09:45-10:10;
 *   10:00 the break is due, the clerk busy: taken at 10:10, 10 min late,
 *         back 10:25; #3 (10:00) waits 25, served 10:25-10:50;
 *   #4 (10:20) waits 30, served 10:50-11:15: the shift ends at 11:00 while
 *         serving, so 15 minutes past it (overrun), then home;
 *   #5 .. #8 (10:40, 11:00, 11:20, 11:40) wait for nobody and are sent home.
 * Paid: 09:00-10:10 and 10:25-11:15, 120 minutes (the break is not paid),
 * so at 60 an hour the staff cost is 120; busy 4 x 25 = 100 of them. */
static void staff_break_late_and_shift_end_finish_in_hand(void **state)
{
    (void)state;
    struct mdl_scenario *s = load(
        "seed: 1\nreplications: 1\nday: {open: \"09:00\", close: \"12:00\", after_close: leave}\n"
        "departments:\n  desk:\n    shifts: [{name: solo, start: \"09:00\", end: \"11:00\", count: 1,\n"
        "              break: {at: \"10:00\", length: 15}}]\n"
        "    cost_per_hour: 60\n    service: {dist: constant, value: 25}\n"
        "customers:\n  walkin: {arrivals: {interarrival: {dist: constant, value: 20}}, enter: desk,\n"
        "           route: {desk: {exit: 1}}}\n");
    static struct story st;
    double *v = run_one(s, &st);
    assert_string_equal(st.text,
                        "09:00 on Ann\n"
                        "09:20 start Ann walkin#1\n"
                        "09:45 start Ann walkin#2\n"
                        "10:10 break Ann 10\n"
                        "10:25 back Ann\n"
                        "10:25 start Ann walkin#3\n"
                        "10:50 start Ann walkin#4\n"
                        "11:15 home Ann 15\n"
                        "12:00 sent - walkin#8\n"   /* the newest first */
                        "12:00 sent - walkin#7\n"
                        "12:00 sent - walkin#6\n"
                        "12:00 sent - walkin#5\n");
    assert_near(DEPT(MDL_DM_WAIT_MEAN), (0 + 5 + 25 + 30) / 4.0, 1e-9);
    assert_near(DEPT(MDL_DM_OVERRUN), 15, 1e-9);
    assert_near(DEPT(MDL_DM_UTILIZATION), 100.0 / 120, 1e-9);
    assert_near(COST(MDL_CM_STAFF_COST), 120, 1e-9);
    /* on duty by hour: 1 from 09:00; 10:00-11:00 less the break (10:10 to
     * 10:25): 45 of 60 minutes; from 11:00 nobody (finishing is not on duty) */
    assert_near(HOUR(0, MDL_HM_STAFF), 1, 1e-9);
    assert_near(HOUR(1, MDL_HM_STAFF), 0.75, 1e-9);
    assert_near(HOUR(2, MDL_HM_STAFF), 0, 1e-9);
    free(v);
    /* the same day with breaks paid: 135 minutes, the break's 15 too */
    mdl_scenario_destroy(s);
}

/* Two clerks on overlapping shifts with a window break and paid breaks:
 *   Ann 09:00-12:00, a 20-minute break between 10:00 and 11:00;
 *   Ben 09:30-12:00, no break; a customer every 30 minutes from 09:30, each
 *   needing 10 (the longest idle takes the next customer).
 *   09:30 #1: Ann (idle since 09:00) serves, to 09:40;
 *   10:00 Ann's window opens: idle, nobody waiting: on break at once, to
 *         10:20; #2 arrives at 10:00 and Ben serves it at once;
 *   10:30 #3: Ann (idle since 10:20) or Ben (idle since 10:10)? Ben,
 *         longest idle; 11:00 #4: Ann; 11:30 #5: Ben.
 * Paid breaks: Ann 180 minutes and Ben 150, 330 at 60 an hour. */
static void staff_window_break_taken_when_idle_and_paid(void **state)
{
    (void)state;
    struct mdl_scenario *s = load(
        "seed: 1\nreplications: 1\nday: {open: \"09:00\", close: \"12:00\"}\n"
        "departments:\n  desk:\n    shifts:\n"
        "      - {name: day, start: \"09:00\", end: \"12:00\", count: 1,\n"
        "         break: {from: \"10:00\", to: \"11:00\", length: 20}}\n"
        "      - {name: late, start: \"09:30\", end: \"12:00\", count: 1}\n"
        "    paid_breaks: true\n    cost_per_hour: 60\n    service: {dist: constant, value: 10}\n"
        "customers:\n  walkin: {arrivals: {interarrival: {dist: constant, value: 30}}, enter: desk,\n"
        "           route: {desk: {exit: 1}}}\n");
    static struct story st;
    double *v = run_one(s, &st);
    assert_string_equal(st.text,
                        "09:00 on Ann\n"
                        "09:30 on Ben\n"
                        "09:30 start Ann walkin#1\n"
                        "10:00 break Ann 0\n"
                        "10:00 start Ben walkin#2\n"
                        "10:20 back Ann\n"
                        "10:30 start Ben walkin#3\n"
                        "11:00 start Ann walkin#4\n"
                        "11:30 start Ben walkin#5\n"
                        "12:00 home Ann\n"
                        "12:00 home Ben\n");
    assert_near(DEPT(MDL_DM_WAIT_MEAN), 0, 1e-9);
    assert_near(COST(MDL_CM_STAFF_COST), 330, 1e-9);
    assert_near(DEPT(MDL_DM_OVERRUN), 0, 1e-9);
    free(v);
    mdl_scenario_destroy(s);
}

/* A pool serves where its departments' own staff cannot: front has one
 * clerk (Ann), back none (its name Ben unused); the floater (Cleo) serves
 * back first, then front. A customer every 10 minutes from 09:10 to front
 * (15 minutes there), then to back (5 minutes); the doors close at 10:00
 * and send everyone home:
 *   09:10 #1 front: Ann (own staff first), to 09:25; 09:20 #2 front: Ann
 *   busy, Cleo free: Cleo, to 09:35; 09:25 #1 to back: waits (Cleo busy);
 *   09:30 #3 front: Ann, to 09:45; 09:35 Cleo: back first, #1 (waited 10),
 *   to 09:40; #2 reaches back at 09:35 and waits: Cleo, 09:40-09:45;
 *   09:40 #4 front waits: Ann takes it at 09:45 (to 10:00); Cleo, free at
 *   09:45, takes #3 at back (just come), to 09:50; 09:50 #5 front: Cleo,
 *   to 10:05; at 10:00 #4 (with Ann) and #5 (with Cleo) are sent home. */
static void staff_pool_serves_where_own_staff_cannot(void **state)
{
    (void)state;
    struct mdl_scenario *s = load(
        "seed: 1\nreplications: 1\nday: {open: \"09:00\", close: \"10:00\", after_close: leave}\n"
        "departments:\n  front: {staff: 1, service: {dist: constant, value: 15}, cost_per_hour: 60}\n"
        "  back: {staff: 0, service: {dist: constant, value: 5}}\n"
        "pools:\n  floater: {serves: [back, front], staff: 1, cost_per_hour: 120}\n"
        "customers:\n  walkin: {arrivals: {interarrival: {dist: constant, value: 10}}, enter: front,\n"
        "           route: {front: {back: 1}, back: {exit: 1}}}\n");
    static struct story st;
    double *v = run_one(s, &st);
    assert_string_equal(st.text,
                        "09:10 start Ann walkin#1\n"
                        "09:20 start Cleo walkin#2\n"
                        "09:30 start Ann walkin#3\n"
                        "09:35 start Cleo walkin#1\n"
                        "09:40 start Cleo walkin#2\n"
                        "09:45 start Ann walkin#4\n"
                        "09:45 start Cleo walkin#3\n"
                        "09:50 start Cleo walkin#5\n"
                        "10:00 sent Cleo walkin#5\n"
                        "10:00 sent Ann walkin#4\n");
    /* back's waits: #1 10 minutes, #2 5, #3 0 */
    assert_near(v[mdl_metric_dept(s->nclasses, 1, MDL_DM_WAIT_MEAN)], 5, 1e-9);
    /* paid once: the clerk 60 minutes at 60, the floater 60 at 120 */
    assert_near(COST(MDL_CM_STAFF_COST), 60 + 120, 1e-9);
    free(v);
    mdl_scenario_destroy(s);
}

/* After closing (after_close: serve), people on shifts: one clerk from
 * 09:00, a customer every 20 minutes from 09:20 needing 25, the doors
 * close at 10:00 (#1 served 09:20-09:45, #2 09:45-10:10; no arrival at
 * closing). The clerk's shift ends at
 *   10:30: past closing, the clerk stays, paid, to its end: 90 minutes,
 *          30 of them after closing (overtime), no overrun;
 *   10:05: at 10:05 still serving #2, finishes at 10:10, then nobody can
 *          need the clerk: 70 minutes, 10 after closing;
 *   09:50: the shift ends while serving #2 (overrun 20 minutes, to 10:10),
 *          the clerk finishes and goes: 70 minutes, 10 after closing. */
static void staff_after_closing_shift_past_or_before_the_close(void **state)
{
    (void)state;
    static const struct {
        const char *end;
        double paid, overtime, overrun;
    } cases[] = {{"10:30", 90, 30, 0}, {"10:05", 70, 10, 0}, {"09:50", 70, 10, 20}};
    for (size_t i = 0; i < 3; i++) {
        char yaml[1024];
        snprintf(yaml, sizeof yaml,
                 "seed: 1\nreplications: 1\nday: {open: \"09:00\", close: \"10:00\", after_close: serve}\n"
                 "departments:\n  desk:\n    shifts: [{name: solo, start: \"09:00\", end: \"%s\", count: 1}]\n"
                 "    cost_per_hour: 60\n    service: {dist: constant, value: 25}\n"
                 "customers:\n  walkin: {arrivals: {interarrival: {dist: constant, value: 20}}, enter: desk,\n"
                 "           route: {desk: {exit: 1}}}\n",
                 cases[i].end);
        struct mdl_scenario *s = load(yaml);
        double *v = run_one(s, NULL);
        if (fabs(COST(MDL_CM_STAFF_COST) - cases[i].paid) > 1e-9 ||
            fabs(DEPT(MDL_DM_OVERTIME) - cases[i].overtime) > 1e-9 || fabs(DEPT(MDL_DM_OVERRUN) - cases[i].overrun) > 1e-9) {
            print_error("shift to %s: paid %g, overtime %g, overrun %g\n", cases[i].end, COST(MDL_CM_STAFF_COST),
                        DEPT(MDL_DM_OVERTIME), DEPT(MDL_DM_OVERRUN));
            fail();
        }
        assert_near(DEPT(MDL_DM_WAIT_MEAN), (0 + 5) / 2.0, 1e-9);
        free(v);
        mdl_scenario_destroy(s);
    }
}

TEST_TABLE(test_mdl_staff, cmocka_unit_test(staff_break_late_and_shift_end_finish_in_hand),
           cmocka_unit_test(staff_window_break_taken_when_idle_and_paid),
           cmocka_unit_test(staff_pool_serves_where_own_staff_cannot),
           cmocka_unit_test(staff_after_closing_shift_past_or_before_the_close))
