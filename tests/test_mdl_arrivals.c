/* tests/test_mdl_arrivals.c — arrivals by appointment (issue 19, item 3).
 *
 * Validated by counts over many days of a book with a known number of
 * slots: customers a slot against per_slot x (1 - no_show), the share of
 * no-shows against no_show, and punctuality by the mean and variance of the
 * arrival offsets from their slots, each within 4 standard errors (fixed
 * seeds; a 95% interval is 1.96 of them, and eight slots checked at 1.96
 * would fail a correct model one seed in three). The rules at the edges of
 * the day (early at opening, too late for closing) on hand-computed cases,
 * and common random numbers: plans that differ in staff, walk-ins or no-shows
 * see the same booked customers at the same minutes, with the same needs.
 * Observed through the trace (mdl_flow_trace), as a receptionist would.
 */
#include "tests/testutil.h"
#include "sim/mem.h"

#include "models/flow.h"
#include "models/load.h"
#include "models/scenario.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static struct mdl_scenario *load(const char *yaml)
{
    struct sim_err err;
    sim_err_init(&err);
    struct mdl_scenario *s = NULL;
    if (mdl_load_scenario("appointments.yaml", yaml, strlen(yaml), NULL, 0, &s, &err)) {
        print_error("%d:%d: %s\n", err.line, err.col, err.msg);
        fail();
    }
    return s;
}

enum { MAXC = 512 };

/* What one day's story shows of the class "booked" at the desk: each
 * customer's arrival and service need, by its number in the trace. */
struct day {
    size_t n;                          /* booked customers who came */
    double at[MAXC], need[MAXC], start[MAXC];
    unsigned long id[MAXC];
    size_t walk_ins;
};

static void listen(void *ctx, const struct mdl_event *ev)
{
    struct day *d = ctx;
    if (!ev->who.cls || !ev->dept)
        return;
    if (strcmp(ev->who.cls, "booked")) {
        d->walk_ins += ev->kind == MDL_EV_ARRIVE;
        return;
    }
    size_t i = 0;
    while (i < d->n && d->id[i] != ev->who.id)
        i++;
    if (ev->kind == MDL_EV_ARRIVE) {
        assert_true(i == d->n && d->n < MAXC);
        d->id[d->n] = ev->who.id;
        d->at[d->n] = ev->at;
        d->need[d->n] = NAN;
        d->n++;
        return;
    }
    assert_true(i < d->n);
    if (ev->kind == MDL_EV_START)
        d->start[i] = ev->at;
    else if (ev->kind == MDL_EV_FINISH)
        d->need[i] = ev->at - d->start[i];
}

static void story(const struct mdl_scenario *s, uint32_t rep, struct day *d)
{
    memset(d, 0, sizeof *d);
    struct mdl_flow_stats st;
    mdl_flow_trace(s, s->seed, rep, listen, d, &st);
    assert_false(st.overloaded);
}

/* Mean and standard error of x[0..n). */
static double mean_se(const double *x, size_t n, double *se)
{
    double m = 0, ss = 0;
    for (size_t i = 0; i < n; i++)
        m += x[i];
    m /= (double)n;
    for (size_t i = 0; i < n; i++)
        ss += (x[i] - m) * (x[i] - m);
    *se = sqrt(ss / (double)(n - 1) / (double)n);
    return m;
}

#define assert_within_se(m, se, exact, what)                                                              \
    do {                                                                                                  \
        if (!(fabs((m) - (exact)) <= 4 * (se))) {                                                         \
            print_error("%s: %.6g (SE %.3g), expected %.6g\n", (what), (m), (se), (double)(exact));      \
            fail();                                                                                       \
        }                                                                                                 \
    } while (0)

/* Eight slots on the hour, three booked each, a fifth of them stay away;
 * the others come on the minute. */
static void arrivals_appointments_come_per_slot(void **state)
{
    (void)state;
    enum { DAYS = 500, SLOTS = 8, PER = 3 };
    struct mdl_scenario *s = load("seed: 19\nreplications: 1\n"
                                  "day: {open: \"09:00\", close: \"17:00\"}\n"
                                  "departments: {desk: {staff: 3, service: {dist: exponential, mean: 20}}}\n"
                                  "customers:\n"
                                  "  booked:\n"
                                  "    arrivals: {appointments: {from: \"09:00\", to: \"16:00\", every: 60,\n"
                                  "                              per_slot: 3, no_show: 0.2}}\n"
                                  "    enter: desk\n");
    static double per_slot[SLOTS][DAYS], all[SLOTS * DAYS];
    static struct day d;
    double came = 0;
    for (uint32_t rep = 0; rep < DAYS; rep++) {
        story(s, rep, &d);
        for (size_t k = 0; k < SLOTS; k++)
            per_slot[k][rep] = 0;
        for (size_t i = 0; i < d.n; i++) {
            /* on the minute of a slot, and slots in order of time */
            double k = (d.at[i] - 540) / 60;
            assert_true(k == floor(k) && k >= 0 && k < SLOTS);
            assert_true(i == 0 || d.at[i] >= d.at[i - 1]);
            per_slot[(size_t)k][rep]++;
        }
        came += (double)d.n;
    }
    double se;
    for (size_t k = 0; k < SLOTS; k++) {
        double m = mean_se(per_slot[k], DAYS, &se);
        char what[64];
        snprintf(what, sizeof what, "customers at slot %zu", k);
        assert_within_se(m, se, PER * 0.8, what);
        memcpy(&all[k * DAYS], per_slot[k], sizeof per_slot[k]);
    }
    double m = mean_se(all, SLOTS * DAYS, &se);
    assert_within_se(m, se, PER * 0.8, "customers a slot");
    /* the share of no-shows: a binomial proportion of the booked */
    double booked = (double)DAYS * SLOTS * PER, share = 1 - came / booked;
    assert_within_se(share, sqrt(0.2 * 0.8 / booked), 0.2, "no-show share");
    /* the work bound's expectation counts the booked who come */
    assert_near((s->expected_events - 4) / (2 + 6.0), SLOTS * PER * 0.8, 1e-9);
    mdl_scenario_destroy(s);
}

/* Punctuality N(-2, 5): offsets from the slots have that mean and variance.
 * Slots from 09:30 to 16:30, so that nobody meets the edges of the day (30
 * minutes is six sds). */
static void arrivals_appointments_punctuality_offsets(void **state)
{
    (void)state;
    enum { DAYS = 300, SLOTS = 8, PER = 2, N = DAYS * SLOTS * PER };
    struct mdl_scenario *s = load("seed: 29\nreplications: 1\n"
                                  "day: {open: \"09:00\", close: \"17:00\"}\n"
                                  "departments: {desk: {staff: 2, service: {dist: exponential, mean: 20}}}\n"
                                  "customers:\n"
                                  "  booked:\n"
                                  "    arrivals: {appointments: {from: \"09:30\", to: \"16:30\", every: 60, per_slot: 2,\n"
                                  "                              punctuality: {dist: normal, mean: -2, sd: 5}}}\n"
                                  "    enter: desk\n");
    static double off[N], sq[N];
    static struct day d;
    size_t n = 0, early = 0;
    for (uint32_t rep = 0; rep < DAYS; rep++) {
        story(s, rep, &d);
        assert_int_equal(d.n, SLOTS * PER);   /* nobody stays away, nobody is too late */
        for (size_t i = 0; i < d.n; i++) {
            double slot = 570 + 60 * round((d.at[i] - 570) / 60);
            off[n++] = d.at[i] - slot;
            early += d.at[i] < slot;
        }
    }
    double se, m = mean_se(off, n, &se);
    assert_within_se(m, se, -2, "mean offset");
    for (size_t i = 0; i < n; i++)
        sq[i] = (off[i] + 2) * (off[i] + 2);
    double v = mean_se(sq, n, &se);
    assert_within_se(v, se, 25, "variance of the offsets");
    /* early as often as N(-2, 5) says: P(X < 0) = Phi(0.4) = 0.6554 */
    double p = 0.65542174161032418;
    assert_within_se((double)early / (double)n, sqrt(p * (1 - p) / (double)n), p, "share early");
    mdl_scenario_destroy(s);
}

/* At the edges of the day: early for the opening slot, a customer comes at
 * opening; late past closing, not at all. */
static void arrivals_appointments_at_the_edges_of_the_day(void **state)
{
    (void)state;
    struct mdl_scenario *s = load("seed: 7\nreplications: 1\n"
                                  "day: {open: \"09:00\", close: \"17:00\"}\n"
                                  "departments: {desk: {staff: 1, service: {dist: constant, value: 5}}}\n"
                                  "customers:\n"
                                  "  booked:\n"
                                  "    arrivals:\n"
                                  "      appointments:\n"
                                  "        - {from: \"09:00\", punctuality: {dist: constant, value: -10}}\n"
                                  "        - {from: \"12:00\", to: \"12:30\", every: 30, punctuality: {dist: constant, value: 5}}\n"
                                  "        - {from: \"16:50\", punctuality: {dist: constant, value: 15}}\n"
                                  "    enter: desk\n");
    static struct day d;
    story(s, 0, &d);
    assert_int_equal(d.n, 3);
    assert_near(d.at[0], 540, 0);
    assert_near(d.at[1], 725, 0);
    assert_near(d.at[2], 755, 0);
    mdl_scenario_destroy(s);
}

/* Two plans: one desk clerk, walk-ins 6 an hour, 10% no-shows; two clerks,
 * walk-ins 2 an hour, 30% no-shows. Each booked customer's no-show and
 * punctuality are keyed by (class, slot, place in the slot), and its number
 * too, so those who come in the second plan came in the first, at the same
 * minute, with the same service need. */
static const char *crn_yaml = "seed: 31\nreplications: 1\n"
                              "day: {open: \"09:00\", close: \"17:00\"}\n"
                              "departments: {desk: {staff: %d, service: {dist: gamma, mean: 12, sd: 5}}}\n"
                              "customers:\n"
                              "  walk_in: {arrivals: {per_hour: %d}, enter: desk}\n"
                              "  booked:\n"
                              "    arrivals: {appointments: {from: \"09:30\", to: \"16:00\", every: 30, per_slot: 2,\n"
                              "               no_show: %g, punctuality: {dist: normal, mean: 0, sd: 4}}}\n"
                              "    enter: desk\n";

static void arrivals_appointments_keep_common_random_numbers(void **state)
{
    (void)state;
    char ya[1024], yb[1024];
    snprintf(ya, sizeof ya, crn_yaml, 1, 6, 0.1);
    snprintf(yb, sizeof yb, crn_yaml, 2, 2, 0.3);
    struct mdl_scenario *a = load(ya), *b = load(yb);
    static struct day da, db;
    size_t matched = 0, fewer = 0;
    for (uint32_t rep = 0; rep < 20; rep++) {
        story(a, rep, &da);
        story(b, rep, &db);
        assert_true(da.walk_ins > db.walk_ins);
        fewer += da.n - db.n;
        for (size_t i = 0; i < db.n; i++) {
            size_t j = 0;
            while (j < da.n && da.at[j] != db.at[i])
                j++;
            assert_true(j < da.n);   /* came in A too, at the same minute */
            if (!isnan(da.need[j]) && !isnan(db.need[i])) {
                assert_near(db.need[i], da.need[j], 1e-9);
                matched++;
            }
        }
    }
    assert_true(fewer >= 40 && matched >= 300);
    mdl_scenario_destroy(a);
    mdl_scenario_destroy(b);
}

/* The day's book is counted in the memory a replication is estimated to
 * take (the program sizes its threads by it): 16 bytes a booked place. */
static void arrivals_book_is_counted_in_memory(void **state)
{
    (void)state;
    static const char *yaml = "day: {open: \"09:00\", close: \"17:00\"}\n"
                              "departments: {desk: {staff: 3, service: {dist: exponential, mean: 20}}}\n"
                              "customers:\n"
                              "  booked: {arrivals: {appointments: {from: \"09:00\", to: \"16:59\", every: 1,\n"
                              "                                     per_slot: %d}}, enter: desk}\n";
    char a[512], b[512];
    snprintf(a, sizeof a, yaml, 0);
    snprintf(b, sizeof b, yaml, 1000);
    struct mdl_scenario *none = load(a), *full = load(b);
    assert_int_equal(mdl_flow_memory(full) - mdl_flow_memory(none), (size_t)480 * 1000 * 16);
    mdl_scenario_destroy(none);
    mdl_scenario_destroy(full);
}

TEST_TABLE(test_mdl_arrivals,
           cmocka_unit_test(arrivals_appointments_come_per_slot),
           cmocka_unit_test(arrivals_appointments_punctuality_offsets),
           cmocka_unit_test(arrivals_appointments_at_the_edges_of_the_day),
           cmocka_unit_test(arrivals_appointments_keep_common_random_numbers),
           cmocka_unit_test(arrivals_book_is_counted_in_memory))
