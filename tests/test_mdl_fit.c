/* tests/test_mdl_fit.c — cxsim fit and validate's estimates (issue 21):
 * a hand-made log whose estimates are known by hand (rates, shares, the
 * MLE of a service, the censored patience's closed form, staff at once);
 * the round trip, logs simulated from a scenario whose truth is known
 * and refitted, each true value inside its 95% interval about 95% of the
 * time; validate agreeing with the scenario that made the log and
 * flagging the department whose service was changed.
 */
#include "tests/testutil.h"

#include "models/fit.h"
#include "models/load.h"
#include "models/validate.h"
#include "models/vlog.h"
#include "sim/mem.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TMP(name) CXSIM_TEST_TMP "/mdlfit-" name

static void write_log(const char *text)
{
    FILE *f = fopen(TMP("log.csv"), "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

static struct mdl_vlog *read_text(const char *text)
{
    write_log(text);
    struct sim_err err;
    sim_err_init(&err);
    struct mdl_vlog *log = NULL;
    if (mdl_vlog_read(TMP("log.csv"), NULL, &log, &err)) {
        print_error("%d:%d: %s\n", err.line, err.col, err.msg);
        fail();
    }
    return log;
}

static const struct sim_fit *family(const struct mdl_fit_duration *d, enum sim_fit_family f)
{
    for (size_t i = 0; i < d->nfits; i++)
        if (d->fits[i].family == f)
            return &d->fits[i];
    return NULL;
}

/* Two days, one desk then a back office. By hand: desk services 2, 3, 5,
 * 4, 6 (exponential MLE 4); 3 of 5 served at the desk go on to the back;
 * walks of 1, 2 and 3 minutes; patience: two reneged after 4 and 6
 * minutes, the served waited 0, 1, 3, 0, 2 (censored) at the desk: the
 * censored exponential MLE is (4 + 6 + 1 + 3 + 2) / 2 = 8; two services
 * at once at most, 09:00-10:00 on day 1. */
static void fit_hand_made_log_gives_its_known_estimates(void **state)
{
    (void)state;
    struct mdl_vlog *log = read_text(
        "visit,department,arrived,started,ended,class,outcome\n"
        "a,desk,2026-11-02T09:00:00,2026-11-02T09:00:00,2026-11-02T09:02:00,walkin,served\n"
        "a,back,2026-11-02T09:03:00,2026-11-02T09:03:00,2026-11-02T09:13:00,walkin,served\n"
        "b,desk,2026-11-02T09:01:00,2026-11-02T09:02:00,2026-11-02T09:05:00,walkin,served\n"
        "c,desk,2026-11-02T09:10:00,,2026-11-02T09:14:00,walkin,reneged\n"
        "d,desk,2026-11-02T10:30:00,2026-11-02T10:33:00,2026-11-02T10:38:00,walkin,served\n"
        "d,back,2026-11-02T10:40:00,2026-11-02T10:40:00,2026-11-02T10:50:00,walkin,served\n"
        "e,desk,2026-11-03T09:20:00,2026-11-03T09:20:00,2026-11-03T09:24:00,walkin,served\n"
        "f,desk,2026-11-03T09:40:00,2026-11-03T09:42:00,2026-11-03T09:48:00,walkin,served\n"
        "f,back,2026-11-03T09:51:00,2026-11-03T09:51:00,2026-11-03T10:01:00,walkin,served\n"
        "g,desk,2026-11-03T10:10:00,,2026-11-03T10:16:00,walkin,reneged\n");
    struct mdl_fit_config cfg = {.interval = 60, .bootstrap = 19, .seed = 1};
    struct mdl_fit *fit = NULL;
    struct sim_err err;
    sim_err_init(&err);
    assert_int_equal(mdl_fit_log(log, &cfg, &fit, &err), SIM_OK);
    assert_int_equal(fit->ndays, 2);
    assert_int_equal(fit->nbins, 2);   /* 09:00-11:00 */
    assert_true(fit->open_at == 540 && fit->close_at == 660);
    const struct mdl_fit_class *cl = &fit->classes[0];
    assert_string_equal(cl->name, "walkin");
    assert_int_equal(cl->journeys, 7);
    /* arrivals an hour: 09:00-10:00 has a, b, c, e, f over two days; 10:00-11:00 d, g */
    assert_true(fabs(cl->rate[0] - 2.5) < 1e-12 && fabs(cl->rate[1] - 1.0) < 1e-12);
    /* the exact Poisson interval of 5 arrivals in 2 hours */
    assert_true(fabs(cl->rate_lo[0] - 1.6235 / 2) < 1e-3 && fabs(cl->rate_hi[0] - 11.6683 / 2) < 1e-3);
    /* desk (department 0): 5 services, exponential MLE their mean */
    const struct mdl_fit_dept *desk = &fit->depts[0];
    assert_string_equal(desk->name, "desk");
    assert_int_equal(desk->service.n, 5);
    const struct sim_fit *ex = family(&desk->service, SIM_FIT_EXPONENTIAL);
    assert_non_null(ex);
    assert_true(fabs(ex->par[0] - 4.0) < 1e-12);
    /* routes: from the desk 3 to the back, 2 out; the back always out */
    assert_int_equal(cl->route[0 * 3 + 1], 3);
    assert_int_equal(cl->route[0 * 3 + 2], 2);
    assert_int_equal(cl->route[1 * 3 + 2], 3);
    assert_int_equal(cl->enter[0], 7);
    /* walks 1, 2, 3: uniform(1, 3) by its MLE */
    assert_int_equal(fit->handoff.n, 3);
    assert_true(fit->handoff.umin == 1 && fit->handoff.umax == 3);
    /* patience: the censored exponential's closed form, events / time */
    assert_int_equal(cl->patience_events, 2);
    const struct sim_fit *pe = family(&cl->patience, SIM_FIT_EXPONENTIAL);
    assert_non_null(pe);
    assert_true(fabs(pe->par[0] - 8.0) < 1e-9);
    assert_int_equal(cl->reneged, 2);
    /* staff at the desk: day 1 has a and b at once 09:01-09:02, day 2 one at a time: the 90th percentile of 2, 1 */
    assert_true(desk->staff[0] >= 1 && desk->staff[0] <= 2);
    assert_false(desk->staff_named);
    /* the text reads back as a scenario */
    size_t len;
    char *text = mdl_fit_write(fit, "log.csv", &len);
    struct mdl_scenario *s = NULL;
    if (mdl_load_scenario("fitted.yaml", text, len, NULL, 0, &s, &err)) {
        print_error("%d:%d: %s\n%s", err.line, err.col, err.msg, text);
        fail();
    }
    assert_non_null(strstr(text, "    service: {dist: "));
    assert_non_null(strstr(text, "      desk: {back: 0.6000, exit: 0.4000}"));
    assert_non_null(strstr(text, "# of 5 served visits; 95%: back 0.231-0.882, exit 0.118-0.769"));   /* Wilson's */
    mdl_scenario_destroy(s);
    free(text);
    mdl_fit_destroy(fit);
    mdl_vlog_destroy(log);
    unlink(TMP("log.csv"));
}

/* The log's reader: times with seconds, fractions, a zone, a space for
 * the T; quoted fields; a byte-order mark; columns in any order and under
 * other names; a visit with no end. */
static void fit_log_reader_takes_what_exports_write(void **state)
{
    (void)state;
    write_log(
        "\xEF\xBB\xBF" "Ticket,Desk,Created,Called,Closed,Extra\n"
        "\"t,1\",\"front desk\",2026-11-02 09:00,2026-11-02T09:01:30.5Z,2026-11-02T09:05:00+01:00,\"a \"\"quote\"\"\"\n"
        "t2,front desk,2026-11-02T23:58:00,2026-11-02T23:59:00,2026-11-03T00:04:00,\n"
        "t3,front desk,2026-11-03T08:00:00,,,\n");
    struct mdl_vlog_options map = {.map = {"Ticket", "Desk", "Created", "Called", "Closed"}};
    struct mdl_vlog *log = NULL;
    struct sim_err err;
    sim_err_init(&err);
    assert_int_not_equal(mdl_vlog_read(TMP("log.csv"), NULL, &log, &err), SIM_OK);   /* without the map: no 'visit' */
    assert_non_null(strstr(err.msg, "no column 'visit'"));
    assert_int_equal(err.line, 1);
    mdl_vlog_destroy(log);
    sim_err_init(&err);
    assert_int_equal(mdl_vlog_read(TMP("log.csv"), &map, &log, &err), SIM_OK);
    assert_int_equal(log->nrows, 3);
    assert_int_equal(log->nvisits, 3);
    assert_string_equal(log->depts[0], "front desk");
    const struct mdl_vlog_row *r = &log->rows[0];
    assert_true(r->arrived == 540 && fabs(r->started - (541 + 30.5 / 60)) < 1e-9 && r->ended == 545);
    assert_int_equal(r->outcome, MDL_VO_SERVED);
    assert_true(log->rows[1].ended == 1440 + 4);   /* past midnight: minutes of the arrival's day */
    assert_int_equal(log->rows[2].outcome, MDL_VO_UNFINISHED);
    assert_int_equal(log->last_day - log->first_day, 1);
    char date[16];
    mdl_vlog_date(log->first_day, date, sizeof date);
    assert_string_equal(date, "2026-11-02");
    assert_int_equal(mdl_vlog_weekday(log->first_day), 0);   /* a Monday */
    mdl_vlog_destroy(log);
    unlink(TMP("log.csv"));
}

/* A tandem whose truth is known: arrivals 12 an hour, then 20 from
 * 11:00; the desk's service gamma (mean 4, sd 2), the back's exponential
 * (mean 10); 60% go on to the back; patience exponential (mean 15). */
static const char truth[] =
    "name: Truth\nseed: 1\nreplications: 20\nday: {open: \"09:00\", close: \"12:00\", after_close: serve}\n"
    "departments:\n"
    "  desk: {staff: 1, service: {dist: gamma, mean: 4, sd: 2}, target_wait: 5}\n"
    "  back: {staff: 3, service: {dist: exponential, mean: 10}, target_wait: 10}\n"
    "customers:\n  walkin:\n    arrivals: {per_hour: [{at: \"09:00\", rate: 12}, {at: \"11:00\", rate: 20}]}\n"
    "    enter: desk\n    route: {desk: {back: 0.6, exit: 0.4}, back: {exit: 1}}\n"
    "    patience: {dist: exponential, mean: 15}\n";

static struct mdl_scenario *load(const char *text, const char *const *sets, size_t nsets)
{
    struct sim_err err;
    sim_err_init(&err);
    struct mdl_scenario *s = NULL;
    if (mdl_load_scenario("truth.yaml", text, strlen(text), sets, nsets, &s, &err)) {
        print_error("%d:%d: %s\n", err.line, err.col, err.msg);
        fail();
    }
    return s;
}

static bool covers(double lo, double hi, double x)
{
    return lo <= x && x <= hi;
}

/* Wilson's interval of k in n, as the written scenario gives it. */
static bool wilson_covers(size_t k, size_t n, double p)
{
    const double z = 1.959963984540054;
    double q = (double)k / (double)n, nn = (double)n, den = 1 + z * z / nn;
    double mid = (q + z * z / (2 * nn)) / den, half = z * sqrt(q * (1 - q) / nn + z * z / (4 * nn * nn)) / den;
    return covers(mid - half, mid + half, p);
}

/* 100 logs of 20 days each, each refitted: every true value inside its
 * interval in 95% of them, within three binomial standard errors
 * (sqrt(.95 .05 / 100) = 2.2 points: at least 88 of 100). */
static void validation_fit_round_trip_covers_the_truth(void **state)
{
    (void)state;
    struct mdl_scenario *s = load(truth, NULL, 0);
    enum { SEEDS = 100, DAYS = 20, CHECKS = 9 };
    static const char *const what[CHECKS] = {"rate 09-10", "rate 10-11", "rate 11-12", "desk gamma mean",
                                             "desk gamma sd", "back exponential mean", "desk->back share",
                                             "patience mean", "desk chose gamma"};
    int hits[CHECKS] = {0};
    struct mdl_fit_config cfg = {.interval = 60, .bootstrap = 19, .seed = 1};
    for (uint64_t seed = 1; seed <= SEEDS; seed++) {
        struct mdl_vlog *log = mdl_val_simulated_log(s, seed, DAYS, 0);
        struct mdl_fit *fit = NULL;
        struct sim_err err;
        sim_err_init(&err);
        assert_int_equal(mdl_fit_log(log, &cfg, &fit, &err), SIM_OK);
        assert_int_equal(fit->nbins, 3);
        const struct mdl_fit_class *cl = &fit->classes[0];
        static const double rate[3] = {12, 12, 20};
        for (int b = 0; b < 3; b++)
            hits[b] += covers(cl->rate_lo[b], cl->rate_hi[b], rate[b]);
        const struct sim_fit *g = family(&fit->depts[0].service, SIM_FIT_GAMMA);
        const struct sim_fit *e = family(&fit->depts[1].service, SIM_FIT_EXPONENTIAL);
        assert_non_null(g);
        assert_non_null(e);
        hits[3] += covers(g->lo[0], g->hi[0], 4);
        hits[4] += covers(g->lo[1], g->hi[1], 2);
        hits[5] += covers(e->lo[0], e->hi[0], 10);
        const size_t *row = &cl->route[0];   /* from the desk: back, desk, exit */
        size_t served = row[0] + row[1] + row[2];
        hits[6] += wilson_covers(row[1], served, 0.6);
        const struct sim_fit *p = family(&cl->patience, SIM_FIT_EXPONENTIAL);
        assert_non_null(p);
        hits[7] += covers(p->lo[0], p->hi[0], 15);
        hits[8] += fit->depts[0].service.fits[0].family == SIM_FIT_GAMMA ||
                   fit->depts[0].service.fits[0].family == SIM_FIT_WEIBULL;   /* Weibull is near at shape 4 */
        mdl_fit_destroy(fit);
        mdl_vlog_destroy(log);
    }
    for (int k = 0; k < CHECKS; k++) {
        print_message("round trip: %-22s covered in %d of %d logs\n", what[k], hits[k], SEEDS);
        assert_true(hits[k] >= 88);
    }
    mdl_scenario_destroy(s);
}

/* validate on a log of the scenario itself agrees everywhere; on a log
 * whose back office serves in 14 minutes instead of 10 it flags the back
 * office, and only there. */
static void validate_agrees_with_its_scenario_and_flags_a_changed_service(void **state)
{
    (void)state;
    struct mdl_scenario *s = load(truth, NULL, 0);
    const char *slower[] = {"departments.back.service.mean=14", "departments.back.staff=2"};
    struct mdl_scenario *changed = load(truth, slower, 2);
    struct mdl_val_config cfg = {.days = 200, .seed = 99, .jobs = 0};
    struct sim_err err;
    sim_err_init(&err);
    struct mdl_vlog *same = mdl_val_simulated_log(s, 7, 30, 0);
    struct mdl_val *v = NULL;
    assert_int_equal(mdl_validate(s, same, &cfg, &v, &err), SIM_OK);
    assert_int_equal(v->ndepts, 2);
    assert_int_equal(v->nbins, 3);
    assert_true(v->tests > 20);
    assert_int_equal(v->disagreements, 0);
    assert_int_equal(v->log_days, 30);
    /* the whole day's arrivals: within each other's intervals */
    const struct mdl_val_cell *c = mdl_val_cell(v, 0, 3, MDL_VM_ARRIVALS);
    assert_true(fabs(c->obs.mean - c->sim.mean) < c->obs.half + c->sim.half);
    mdl_val_destroy(v);
    struct mdl_vlog *other = mdl_val_simulated_log(changed, 7, 30, 0);
    assert_int_equal(mdl_validate(s, other, &cfg, &v, &err), SIM_OK);
    assert_true(v->disagreements > 0);
    size_t at_back = 0, at_desk = 0;
    for (size_t b = 0; b <= v->nbins; b++)
        for (int m = 0; m < MDL_VM; m++) {
            at_desk += mdl_val_cell(v, 0, b, m)->disagree;
            at_back += mdl_val_cell(v, 1, b, m)->disagree;
        }
    print_message("a slower back office: %zu differences there, %zu at the desk\n", at_back, at_desk);
    assert_true(at_back > 0);
    assert_int_equal(at_desk, 0);
    assert_true(mdl_val_cell(v, 1, 3, MDL_VM_WAIT_MEAN)->disagree);
    mdl_val_destroy(v);
    mdl_vlog_destroy(same);
    mdl_vlog_destroy(other);
    mdl_scenario_destroy(changed);
    mdl_scenario_destroy(s);
}

/* Logs a and b as one, a's days made Tuesdays to Fridays and b's Mondays
 * (1970-01-05 was a Monday), b's journeys numbered after a's. */
static struct mdl_vlog *weeks(const struct mdl_vlog *a, const struct mdl_vlog *b)
{
    struct mdl_vlog *log = sim_xcalloc(1, sizeof *log);
    log->path = "<weeks>";
    log->nrows = a->nrows + b->nrows;
    log->nvisits = a->nvisits + b->nvisits;
    log->rows = sim_xmalloc(log->nrows * sizeof *log->rows);
    for (size_t i = 0; i < a->nrows; i++) {
        log->rows[i] = a->rows[i];
        log->rows[i].day = 4 + 7 * (a->rows[i].day / 4) + 1 + a->rows[i].day % 4;
    }
    for (size_t i = 0; i < b->nrows; i++) {
        struct mdl_vlog_row *r = &log->rows[a->nrows + i];
        *r = b->rows[i];
        r->day = 4 + 7 * b->rows[i].day;
        r->visit += (uint32_t)a->nvisits;
    }
    log->ndepts = a->ndepts;
    log->nclasses = a->nclasses;
    log->depts = sim_xcalloc(a->ndepts, sizeof *log->depts);
    log->classes = sim_xcalloc(a->nclasses, sizeof *log->classes);
    for (size_t d = 0; d < a->ndepts; d++)
        log->depts[d] = sim_xstrdup(a->depts[d]);
    for (size_t c = 0; c < a->nclasses; c++)
        log->classes[c] = sim_xstrdup(a->classes[c]);
    memcpy(log->has, a->has, sizeof log->has);
    log->first_day = 4;
    log->last_day = 4 + 7 * 3 + 4;
    return log;
}

/* --by-weekday: Mondays with twice the arrivals of the other days are
 * told apart (a variant per weekday, Monday's rates about twice the
 * rest's); four weeks of the same days are not. */
static void fit_by_weekday_keeps_a_busier_monday_apart(void **state)
{
    (void)state;
    struct mdl_scenario *s = load(truth, NULL, 0);
    const char *busy_sets[] = {"customers.walkin.arrivals.per_hour=[{at: \"09:00\", rate: 24}, {at: \"11:00\", "
                               "rate: 40}]"};
    struct mdl_scenario *busy = load(truth, busy_sets, 1);
    struct mdl_vlog *quiet = mdl_val_simulated_log(s, 3, 16, 0), *monday = mdl_val_simulated_log(busy, 4, 4, 0);
    struct mdl_vlog *same = mdl_val_simulated_log(s, 5, 4, 0);
    struct mdl_fit_config cfg = {.interval = 60, .bootstrap = 19, .seed = 1, .by_weekday = true};
    struct sim_err err;
    sim_err_init(&err);
    struct mdl_vlog *log = weeks(quiet, monday);
    struct mdl_fit *fit = NULL;
    assert_int_equal(mdl_fit_log(log, &cfg, &fit, &err), SIM_OK);
    assert_int_equal(fit->ndays, 20);
    assert_int_equal(fit->ndays_by_weekday[0], 4);
    assert_true(fit->weekdays_differ);
    assert_true(fit->weekday_p < 0.001);
    const struct mdl_fit_class *cl = &fit->classes[0];
    double mon = 0, tue = 0;
    for (size_t b = 0; b < fit->nbins; b++) {
        mon += cl->weekday_rate[0 * fit->nbins + b];
        tue += cl->weekday_rate[1 * fit->nbins + b];
    }
    assert_true(mon / tue > 1.5 && mon / tue < 2.7);   /* 2, within four days' noise */
    size_t len;
    char *text = mdl_fit_write(fit, "weeks.csv", &len);
    assert_non_null(strstr(text, "variants:\n  - name: Mondays "));
    assert_non_null(strstr(text, "      customers.walkin.arrivals.per_hour:\n"));
    struct mdl_scenario *back = NULL;
    if (mdl_load_scenario("fitted.yaml", text, len, NULL, 0, &back, &err)) {
        print_error("%d:%d: %s\n%s", err.line, err.col, err.msg, text);
        fail();
    }
    mdl_scenario_destroy(back);
    free(text);
    mdl_fit_destroy(fit);
    mdl_vlog_destroy(log);
    /* the same rates every day: no weekday told apart, no variants */
    log = weeks(quiet, same);
    assert_int_equal(mdl_fit_log(log, &cfg, &fit, &err), SIM_OK);
    assert_false(fit->weekdays_differ);
    text = mdl_fit_write(fit, "weeks.csv", &len);
    assert_null(strstr(text, "variants:"));
    free(text);
    mdl_fit_destroy(fit);
    mdl_vlog_destroy(log);
    mdl_vlog_destroy(quiet);
    mdl_vlog_destroy(monday);
    mdl_vlog_destroy(same);
    mdl_scenario_destroy(busy);
    mdl_scenario_destroy(s);
}

/* With a staff column, the people seen serving: two named people at a
 * desk all morning, one of them only after 10:00. */
static void fit_staff_named_counts_the_people_seen(void **state)
{
    (void)state;
    char text[8192] = "visit,department,arrived,started,ended,class,outcome,staff\n";
    size_t at = strlen(text);
    for (int day = 2; day <= 4; day++)
        for (int k = 0; k < 6; k++) {   /* Ann every 20 minutes from 09:00, Bo from 10:00 */
            at += (size_t)snprintf(text + at, sizeof text - at,
                                   "d%da%d,desk,2026-11-%02dT%02d:%02d:00,2026-11-%02dT%02d:%02d:00,2026-11-%02dT%02d:%02d:00,"
                                   "c,served,Ann\n", day, k, day, 9 + k / 3, k % 3 * 20, day, 9 + k / 3, k % 3 * 20, day,
                                   9 + k / 3, k % 3 * 20 + 5);
            if (k >= 3)
                at += (size_t)snprintf(text + at, sizeof text - at,
                                       "d%db%d,desk,2026-11-%02dT10:%02d:00,2026-11-%02dT10:%02d:00,"
                                       "2026-11-%02dT10:%02d:00,c,served,Bo\n", day, k, day, k % 3 * 20 + 1, day,
                                       k % 3 * 20 + 1, day, k % 3 * 20 + 9);
        }
    struct mdl_vlog *log = read_text(text);
    struct mdl_fit_config cfg = {.interval = 60, .bootstrap = 19, .seed = 1};
    struct mdl_fit *fit = NULL;
    struct sim_err err;
    sim_err_init(&err);
    assert_int_equal(mdl_fit_log(log, &cfg, &fit, &err), SIM_OK);
    assert_true(fit->depts[0].staff_named);
    assert_int_equal(fit->nbins, 2);
    assert_int_equal(fit->depts[0].staff[0], 1);
    assert_int_equal(fit->depts[0].staff[1], 2);
    mdl_fit_destroy(fit);
    mdl_vlog_destroy(log);
    unlink(TMP("log.csv"));
}

TEST_TABLE(test_mdl_fit, cmocka_unit_test(fit_by_weekday_keeps_a_busier_monday_apart),
           cmocka_unit_test(fit_staff_named_counts_the_people_seen), cmocka_unit_test(fit_hand_made_log_gives_its_known_estimates),
           cmocka_unit_test(fit_log_reader_takes_what_exports_write),
           cmocka_unit_test(validation_fit_round_trip_covers_the_truth),
           cmocka_unit_test(validate_agrees_with_its_scenario_and_flags_a_changed_service))
