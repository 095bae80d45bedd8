/* models/validate.c — simulated days against logged ones (see validate.h).
 *
 * The simulated side: each replication is told event by event
 * (mdl_flow_trace) into visit rows, as support/trace2log.awk turns a trace
 * into a log: an arrival opens a row, a start, a finish, a renege, a balk
 * or a block fills it. Then one function (measure) takes either side's
 * rows to counts by department, interval and day, and the estimators of
 * sim/ci.h to intervals; the comparison is Welch's, the decision Holm's.
 * Both sides are taken a day at a time and kept as counts by day and
 * histograms of waits, so a log of any length takes memory by its days.
 */
#include "models/validate.h"

#include "models/fit.h"
#include "models/flow.h"
#include "models/run.h"
#include "sim/mem.h"
#include "sim/qhist.h"
#include "sim/tally.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

const char *const mdl_val_metric_names[MDL_VM] = {"arrivals", "wait_mean", "wait_p90", "in_time", "dropouts"};

#define SECTIONS 10
#define ALPHA 0.05

/* ---- the simulated days as rows --------------------------------------- */

struct open_visit {
    uintptr_t cls;   /* 0: empty slot */
    unsigned long id;
    bool request;
    size_t row;      /* the customer's current visit */
    uint32_t visit;  /* its journey, numbered from 0 within the day */
};

struct day_rows {
    const struct mdl_scenario *s;
    struct mdl_vlog_row *rows;
    size_t n, cap;
    struct open_visit *open;   /* the customers' current visits (open addressing) */
    size_t open_cap;
    uint32_t day;
    uint32_t journeys;         /* numbered so far */
};

static size_t slot_of(const struct day_rows *dr, uintptr_t cls, unsigned long id, bool request)
{
    size_t h = (size_t)((cls >> 4) * 0x9E3779B97F4A7C15u ^ id * 0xC2B2AE3D27D4EB4Fu ^ (request ? 0x165667B1u : 0));
    size_t j = h & (dr->open_cap - 1);
    while (dr->open[j].cls && !(dr->open[j].cls == cls && dr->open[j].id == id && dr->open[j].request == request))
        j = (j + 1) & (dr->open_cap - 1);
    return j;
}

/* The row of who's visit now (a new one at dept when `arrive`, or for a
 * balk or block that comes without an arrival), or NULL. */
static struct mdl_vlog_row *visit_of(struct day_rows *dr, const struct mdl_event *ev, bool arrive)
{
    uintptr_t cls = (uintptr_t)ev->who.cls;
    if (!cls || !ev->dept)
        return NULL;
    int d = mdl_scenario_dept(dr->s, ev->dept);
    if (d < 0)
        return NULL;
    size_t j = slot_of(dr, cls, ev->who.id, ev->who.request);
    bool known = dr->open[j].cls != 0;
    if (!arrive && known && dr->rows[dr->open[j].row].dept == (uint16_t)d &&
        dr->rows[dr->open[j].row].outcome == MDL_VO_UNFINISHED)
        return &dr->rows[dr->open[j].row];
    if (!arrive && ev->kind != MDL_EV_BALK && ev->kind != MDL_EV_BLOCK)
        return NULL;
    if (!known && 4 * (dr->journeys + 1) > 3 * dr->open_cap) {   /* grow the table, keeping every customer */
        struct open_visit *old = dr->open;
        size_t old_cap = dr->open_cap;
        dr->open_cap *= 2;
        dr->open = sim_xcalloc(dr->open_cap, sizeof *dr->open);
        for (size_t i = 0; i < old_cap; i++)
            if (old[i].cls)
                dr->open[slot_of(dr, old[i].cls, old[i].id, old[i].request)] = old[i];
        free(old);
        j = slot_of(dr, cls, ev->who.id, ev->who.request);
    }
    if (!known)
        dr->open[j] = (struct open_visit){cls, ev->who.id, ev->who.request, 0, dr->journeys++};
    if (dr->n == dr->cap) {
        dr->cap = dr->cap ? 2 * dr->cap : 256;
        dr->rows = sim_xreallocarray(dr->rows, dr->cap, sizeof *dr->rows);
    }
    int c = mdl_scenario_class(dr->s, ev->who.cls);
    dr->rows[dr->n] = (struct mdl_vlog_row){.arrived = ev->at, .started = NAN, .ended = NAN, .day = (int32_t)dr->day,
                                            .visit = dr->open[j].visit, .dept = (uint16_t)d,
                                            .cls = c >= 0 ? (uint16_t)c : MDL_VLOG_NONE, .staff = MDL_VLOG_NONE,
                                            .outcome = MDL_VO_UNFINISHED};
    dr->open[j].row = dr->n;
    return &dr->rows[dr->n++];
}

static void listen(void *ctx, const struct mdl_event *ev)
{
    struct day_rows *dr = ctx;
    struct mdl_vlog_row *r;
    switch (ev->kind) {
    case MDL_EV_ARRIVE:
        visit_of(dr, ev, true);
        break;
    case MDL_EV_START:
        if ((r = visit_of(dr, ev, false)) && isnan(r->started))
            r->started = ev->at;
        break;
    case MDL_EV_FINISH:
        if ((r = visit_of(dr, ev, false))) {
            r->ended = ev->at;
            r->outcome = MDL_VO_SERVED;
        }
        break;
    case MDL_EV_RENEGE:
    case MDL_EV_BALK:
    case MDL_EV_BLOCK:
        if ((r = visit_of(dr, ev, false)) && r->outcome == MDL_VO_UNFINISHED) {
            r->ended = ev->at;
            r->outcome = ev->kind == MDL_EV_RENEGE ? MDL_VO_RENEGED
                         : ev->kind == MDL_EV_BALK ? MDL_VO_BALKED : MDL_VO_BLOCKED;
        }
        break;
    default:   /* a visit cut short at closing stays unfinished */
        break;
    }
}

/* Days 0..days-1 of s as rows (day = the replication), in day order. */
static struct mdl_vlog_row *simulate(const struct mdl_scenario *s, const struct mdl_val_config *cfg, unsigned days,
                                     size_t *n, size_t *nvisits)
{
    struct day_rows *dr = sim_xcalloc(days, sizeof *dr);
    int threads = mdl_run_threads(cfg->jobs);
    (void)threads;
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
    for (long r = 0; r < (long)days; r++) {
        struct day_rows *d = &dr[r];
        d->s = s;
        d->day = (uint32_t)r;
        d->open_cap = 1024;
        d->open = sim_xcalloc(d->open_cap, sizeof *d->open);
        struct mdl_flow_stats stats;
        mdl_flow_trace(s, cfg->seed, (uint32_t)r, listen, d, &stats);
        free(d->open);
    }
    size_t total = 0;
    for (unsigned r = 0; r < days; r++)
        total += dr[r].n;
    struct mdl_vlog_row *rows = sim_xmalloc((total ? total : 1) * sizeof *rows);
    *n = 0;
    uint32_t journeys = 0;
    for (unsigned r = 0; r < days; r++) {
        for (size_t i = 0; i < dr[r].n; i++)
            dr[r].rows[i].visit += journeys;
        journeys += dr[r].journeys;
        if (dr[r].n)   /* a day with nobody has no rows */
            memcpy(rows + *n, dr[r].rows, dr[r].n * sizeof *rows);
        *n += dr[r].n;
        free(dr[r].rows);
    }
    if (nvisits)
        *nvisits = journeys;
    free(dr);
    return rows;
}

struct mdl_vlog *mdl_val_simulated_log(const struct mdl_scenario *s, uint64_t seed, unsigned days, int jobs)
{
    struct mdl_val_config cfg = {.days = days, .seed = seed, .jobs = jobs};
    struct mdl_vlog *log = sim_xcalloc(1, sizeof *log);
    log->path = "<simulated>";
    log->rows = simulate(s, &cfg, days, &log->nrows, &log->nvisits);
    log->ndepts = s->ndepts;
    log->nclasses = s->nclasses;
    log->depts = sim_xcalloc(s->ndepts, sizeof *log->depts);
    log->classes = sim_xcalloc(s->nclasses ? s->nclasses : 1, sizeof *log->classes);
    for (size_t d = 0; d < s->ndepts; d++)
        log->depts[d] = sim_xstrdup(s->depts[d].name);
    for (size_t c = 0; c < s->nclasses; c++)
        log->classes[c] = sim_xstrdup(s->classes[c].name);
    log->has[MDL_VF_CLASS] = log->has[MDL_VF_OUTCOME] = true;
    log->first_day = 0;
    log->last_day = days ? (int32_t)days - 1 : 0;
    return log;
}

/* ---- one side's measures ---------------------------------------------- */

enum { C_ARRIVALS, C_SERVED, C_WAIT, C_ADMITTED, C_IN_TIME, C_DROPS, C_FINISHED, C_N };

/* One side's counts, day by day, for every department of the scenario
 * (cells: department d, interval b, b == nbins the whole day), and the
 * served's waits in quantile histograms by section of days (day k in
 * section k mod SECTIONS): memory by days, not by visits. */
struct side {
    size_t cells;
    size_t ndays, cap;
    double *count;            /* [(day * cells + cell) * C_N + c] */
    struct sim_qhist **waits; /* [cell * SECTIONS + section] */
};

static void side_init(struct side *sd, size_t cells)
{
    *sd = (struct side){.cells = cells};
    sd->waits = sim_xmalloc(cells * SECTIONS * sizeof *sd->waits);
    for (size_t i = 0; i < cells * SECTIONS; i++)
        sd->waits[i] = sim_qhist_create(SIM_TALLY_Q_LO, SIM_TALLY_Q_HI, SIM_TALLY_Q_REL);
}

static void side_free(struct side *sd)
{
    for (size_t i = 0; i < sd->cells * SECTIONS; i++)
        sim_qhist_destroy(sd->waits[i]);
    free(sd->waits);
    free(sd->count);
}

/* One day's rows into sd: dept_of maps a row's department to the
 * scenario's (-1: not in it); outside counts visits outside the day's
 * intervals (NULL: not counted). */
static void measure_day(const struct mdl_val *v, const struct mdl_scenario *s, const struct mdl_vlog_row *rows, size_t n,
                        const int *dept_of, struct side *sd, size_t *outside)
{
    size_t nb = v->nbins, day = sd->ndays++;
    if (sd->ndays > sd->cap) {
        sd->cap = sd->cap ? 2 * sd->cap : 64;
        sd->count = sim_xreallocarray(sd->count, sd->cap * sd->cells * C_N, sizeof *sd->count);
    }
    memset(sd->count + day * sd->cells * C_N, 0, sd->cells * C_N * sizeof *sd->count);
    for (size_t i = 0; i < n; i++) {
        const struct mdl_vlog_row *r = &rows[i];
        int d = dept_of[r->dept];
        if (d < 0)
            continue;
        size_t b = SIZE_MAX;
        for (size_t k = 0; k < nb; k++)
            if (r->arrived >= v->from_at[k] && r->arrived < v->to_at[k])
                b = k;
        if (b == SIZE_MAX && outside)
            (*outside)++;
        double target = s->depts[d].target_wait;
        for (int pass = 0; pass < 2; pass++) {
            size_t bb = pass ? nb : b;
            if (bb == SIZE_MAX)
                continue;
            size_t cell = (size_t)d * (nb + 1) + bb;
            double *c = &sd->count[(day * sd->cells + cell) * C_N];
            c[C_ARRIVALS]++;
            if (r->outcome == MDL_VO_UNFINISHED)
                continue;
            c[C_FINISHED]++;
            c[C_ADMITTED] += r->outcome != MDL_VO_BALKED && r->outcome != MDL_VO_BLOCKED;
            c[C_DROPS] += r->outcome != MDL_VO_SERVED;
            if (r->outcome == MDL_VO_SERVED) {
                double w = r->started - r->arrived;
                c[C_SERVED]++;
                c[C_WAIT] += w;
                c[C_IN_TIME] += w <= target;
                sim_qhist_add(sd->waits[cell * SECTIONS + day % SECTIONS], w);
            }
        }
    }
}

/* The side's interval of metric m in cell. */
static struct sim_ci estimate(const struct side *sd, size_t cell, int m)
{
    size_t nd = sd->ndays;
    struct sim_ci ci;
    static const int parts[MDL_VM][2] = {{C_ARRIVALS, -1}, {C_WAIT, C_SERVED}, {-1, -1}, {C_IN_TIME, C_ADMITTED},
                                         {C_DROPS, C_FINISHED}};
    if (m == MDL_VM_WAIT_P90) {   /* pooled over the days; its interval by sectioning */
        size_t sections = nd < SECTIONS ? nd : SECTIONS;
        struct sim_qhist *all = sim_qhist_create_like(sd->waits[cell * SECTIONS]);
        double sec[SECTIONS];
        for (size_t k = 0; k < sections; k++) {
            const struct sim_qhist *h = sd->waits[cell * SECTIONS + k];
            sim_qhist_pool(all, h);
            sec[k] = sim_qhist_count(h) ? sim_qhist_quantile(h, 0.9) : NAN;
        }
        double pooled = sim_qhist_count(all) ? sim_qhist_quantile(all, 0.9) : NAN;
        ci = sections >= 2 ? sim_ci_sectioning(pooled, sec, sections, 0.95)
                           : (struct sim_ci){pooled, NAN, NAN, pooled, pooled, sections};
        sim_qhist_destroy(all);
        return ci;
    }
    double *num = sim_xmalloc(2 * (nd ? nd : 1) * sizeof *num), *den = num + nd;
    for (size_t k = 0; k < nd; k++) {
        const double *c = &sd->count[(k * sd->cells + cell) * C_N];
        num[k] = c[parts[m][0]];
        den[k] = parts[m][1] < 0 ? 1 : c[parts[m][1]];
    }
    ci = parts[m][1] < 0 ? sim_ci_student(num, nd, 0.95) : sim_ci_ratio(num, den, nd, 0.95);
    free(num);
    return ci;
}

/* Observations behind metric m in cell: days for arrivals, else the
 * visits its ratio or quantile is of. */
static double observations(const struct side *sd, size_t cell, int m)
{
    static const int den[MDL_VM] = {-1, C_SERVED, C_SERVED, C_ADMITTED, C_FINISHED};
    if (den[m] < 0)
        return (double)sd->ndays;
    double n = 0;
    for (size_t k = 0; k < sd->ndays; k++)
        n += sd->count[(k * sd->cells + cell) * C_N + (size_t)den[m]];
    return n;
}

/* The two-sided p-value of equal means (Welch), a's and b's standard
 * errors from their intervals; a side whose observations are all alike
 * (every wait zero) takes the other's spread scaled to its own
 * observations (under equality both vary alike; it would otherwise claim
 * a precision it does not have). NaN: not compared (either side under
 * MIN_OBS observations, or no interval). */
#define MIN_OBS 10
static double compare(const struct sim_ci *a, double na, const struct sim_ci *b, double nb, int m)
{
    double min_obs = m == MDL_VM_ARRIVALS ? 2 : MIN_OBS;
    if (!isfinite(a->mean) || !isfinite(b->mean) || a->n < 2 || b->n < 2 || !isfinite(a->sd) || !isfinite(b->sd) ||
        na < min_obs || nb < min_obs)
        return NAN;
    double va = a->sd * a->sd / (double)a->n, vb = b->sd * b->sd / (double)b->n;
    if (va == 0)   /* every observation alike on one side: it has the other's spread, for its own number */
        va = vb * nb / na;
    if (vb == 0)
        vb = va * na / nb;
    if (va + vb <= 0)
        return a->mean == b->mean ? NAN : 0;
    double t = (a->mean - b->mean) / sqrt(va + vb);
    double df = (va + vb) * (va + vb) / (va * va / (double)(a->n - 1) + vb * vb / (double)(b->n - 1));
    return 2 * gsl_cdf_tdist_Q(fabs(t), df);
}

/* ---- the comparison ---------------------------------------------------- */

static int cmp_p(const void *a, const void *b)
{
    double x = (*(struct mdl_val_cell *const *)a)->p, y = (*(struct mdl_val_cell *const *)b)->p;
    return x < y ? -1 : x > y;
}

/* Adds name to the list in buf, its characters other than printable ASCII
 * as '?' (a log's names hold whatever bytes it was given). */
static void append_name(char *buf, size_t len, const char *name)
{
    size_t used = strlen(buf);
    if (used + strlen(name) + 3 >= len)
        return;
    if (used) {
        memcpy(buf + used, ", ", 2);
        used += 2;
    }
    for (const char *p = name; *p; p++)
        buf[used++] = (unsigned char)*p >= 0x20 && (unsigned char)*p < 0x7F ? *p : '?';
    buf[used] = '\0';
}

/* A validation under way: the intervals, and both sides' counts for every
 * department of the scenario. */
struct mdl_val_run {
    const struct mdl_scenario *s;
    const struct mdl_val_config *cfg;
    struct mdl_val *v;
    struct side obs, sim;
    int *dept_of;             /* a log department's scenario index (-1: none), [mapped] */
    size_t mapped;
    bool *in_log;             /* [s->ndepts]: the log names it */
};

static struct mdl_val_run *run_create(const struct mdl_scenario *s, const struct mdl_val_config *cfg)
{
    struct mdl_val_run *vr = sim_xcalloc(1, sizeof *vr);
    vr->s = s;
    vr->cfg = cfg;
    struct mdl_val *v = vr->v = sim_xcalloc(1, sizeof *vr->v);
    double step = s->interval_dur, first = floor(s->open_at / step) * step;
    v->nbins = (size_t)ceil((s->close_at - first) / step - 1e-9);
    v->from_at = sim_xmalloc(2 * v->nbins * sizeof *v->from_at);
    v->to_at = v->from_at + v->nbins;
    for (size_t b = 0; b < v->nbins; b++) {
        v->from_at[b] = fmax(s->open_at, first + (double)b * step);
        v->to_at[b] = fmin(s->close_at, first + (double)(b + 1) * step);
    }
    /* every department of the scenario, until the log says which it has */
    v->ndepts = s->ndepts;
    v->depts = sim_xcalloc(s->ndepts, sizeof *v->depts);
    v->targets = sim_xcalloc(s->ndepts, sizeof *v->targets);
    side_init(&vr->obs, s->ndepts * (v->nbins + 1));
    side_init(&vr->sim, s->ndepts * (v->nbins + 1));
    vr->in_log = sim_xcalloc(s->ndepts, sizeof *vr->in_log);
    return vr;
}

/* One logged day: its departments matched to the scenario's by name as
 * they appear. */
static void run_log_day(struct mdl_val_run *vr, const struct mdl_vlog *log, const struct mdl_vlog_row *rows, size_t n)
{
    if (log->ndepts > vr->mapped) {
        vr->dept_of = sim_xreallocarray(vr->dept_of, log->ndepts, sizeof *vr->dept_of);
        for (size_t k = vr->mapped; k < log->ndepts; k++) {
            char fitted[64];   /* or the name cxsim fit gave it */
            mdl_fit_scenario_name(log->depts[k], fitted, sizeof fitted);
            vr->dept_of[k] = mdl_scenario_dept(vr->s, log->depts[k]);
            if (vr->dept_of[k] < 0)
                vr->dept_of[k] = mdl_scenario_dept(vr->s, fitted);
            if (vr->dept_of[k] >= 0)
                vr->in_log[vr->dept_of[k]] = true;
        }
        vr->mapped = log->ndepts;
    }
    measure_day(vr->v, vr->s, rows, n, vr->dept_of, &vr->obs, &vr->v->outside);
}

/* The simulated days, then the estimates and the tests, for the
 * departments both have; the result, or NULL with err set. */
static struct mdl_val *run_finish(struct mdl_val_run *vr, const struct mdl_vlog *log, struct sim_err *err)
{
    const struct mdl_scenario *s = vr->s;
    struct mdl_val *v = vr->v;
    for (size_t k = 0; k < log->ndepts; k++)
        if (k >= vr->mapped || vr->dept_of[k] < 0)
            append_name(v->only_log, sizeof v->only_log, log->depts[k]);
    size_t both = 0;
    for (size_t d = 0; d < s->ndepts; d++) {
        if (vr->in_log[d])
            both++;
        else
            append_name(v->only_scenario, sizeof v->only_scenario, s->depts[d].name);
    }
    if (both == 0) {
        sim_err_set(err, SIM_EDATA, "%s and the scenario have no department in common (the log's: %s; the "
                    "scenario's: %s): departments are matched by name", log->path, v->only_log, v->only_scenario);
        return NULL;
    }
    v->log_days = vr->obs.ndays;
    unsigned days = vr->cfg->days;
    if (!days) {
        size_t want = 10 * v->log_days;
        days = (unsigned)(want < 100 ? 100 : want > 1000 ? 1000 : want);
    }
    v->sim_days = days;
    size_t nsim = 0;
    struct mdl_vlog_row *rows = simulate(s, vr->cfg, days, &nsim, NULL);
    int *same = sim_xmalloc(s->ndepts * sizeof *same);
    for (size_t d = 0; d < s->ndepts; d++)
        same[d] = (int)d;
    for (size_t g = 0; g < nsim;) {   /* day by day: simulate gives them in order */
        size_t end = g;
        while (end < nsim && rows[end].day == rows[g].day)
            end++;
        while (vr->sim.ndays < (size_t)rows[g].day)   /* a day with no visit at all */
            measure_day(v, s, NULL, 0, same, &vr->sim, NULL);
        measure_day(v, s, rows + g, end - g, same, &vr->sim, NULL);
        g = end;
    }
    while (vr->sim.ndays < days)
        measure_day(v, s, NULL, 0, same, &vr->sim, NULL);
    free(rows);
    free(same);
    /* the departments both have, in the scenario's order */
    size_t nb1 = v->nbins + 1;
    v->cells = sim_xcalloc(both * nb1 * MDL_VM, sizeof *v->cells);
    /* two families, each with half the 5%: the whole day's figures, and the intervals' */
    struct mdl_val_cell **tested[2];
    size_t ntested[2] = {0, 0};
    tested[0] = sim_xmalloc(both * MDL_VM * sizeof *tested[0]);
    tested[1] = sim_xmalloc(both * nb1 * MDL_VM * sizeof *tested[1]);
    v->ndepts = 0;
    for (size_t d = 0; d < s->ndepts; d++) {
        if (!vr->in_log[d])
            continue;
        v->depts[v->ndepts] = s->depts[d].name;
        v->targets[v->ndepts] = s->depts[d].target_wait;
        for (size_t b = 0; b < nb1; b++)
            for (int m = 0; m < MDL_VM; m++) {
                size_t cell = d * nb1 + b;
                struct mdl_val_cell *c = &v->cells[(v->ndepts * nb1 + b) * MDL_VM + (size_t)m];
                c->obs = estimate(&vr->obs, cell, m);
                c->sim = estimate(&vr->sim, cell, m);
                c->obs.lo = fmax(0, c->obs.lo);
                c->sim.lo = fmax(0, c->sim.lo);
                if (m == MDL_VM_IN_TIME || m == MDL_VM_DROPOUTS) {
                    c->obs.hi = fmin(1, c->obs.hi);
                    c->sim.hi = fmin(1, c->sim.hi);
                }
                c->p = compare(&c->obs, observations(&vr->obs, cell, m), &c->sim, observations(&vr->sim, cell, m), m);
                int fam = b == v->nbins ? 0 : 1;
                if (isfinite(c->p))
                    tested[fam][ntested[fam]++] = c;
            }
        v->ndepts++;
    }
    /* Holm's step-down in each: the k-th smallest p (from 0) against (alpha / 2) / (m - k) */
    for (int fam = 0; fam < 2; fam++) {
        qsort(tested[fam], ntested[fam], sizeof *tested[fam], cmp_p);
        for (size_t k = 0; k < ntested[fam] && tested[fam][k]->p <= ALPHA / 2 / (double)(ntested[fam] - k); k++) {
            tested[fam][k]->disagree = true;
            v->disagreements++;
        }
        v->tests += ntested[fam];
        free(tested[fam]);
    }
    struct mdl_val *out = v;
    vr->v = NULL;
    return out;
}

static void run_destroy(struct mdl_val_run *vr)
{
    side_free(&vr->obs);
    side_free(&vr->sim);
    free(vr->dept_of);
    free(vr->in_log);
    mdl_val_destroy(vr->v);
    free(vr);
}

int mdl_validate_stream(const struct mdl_scenario *s, struct mdl_vlog_reader *rd, const struct mdl_val_config *cfg,
                        struct mdl_val **out, struct sim_err *err)
{
    *out = NULL;
    if (!s->is_day)
        return sim_err_set(err, SIM_EUSAGE, "validate compares days: this scenario is a steady-state run (run:), "
                           "a log has days");
    struct mdl_val_run *vr = run_create(s, cfg);
    const struct mdl_vlog_row *rows;
    size_t n;
    while (!mdl_vlog_next_day(rd, &rows, &n, err) && n)
        run_log_day(vr, mdl_vlog_reader_log(rd), rows, n);
    if (!err->code)
        *out = run_finish(vr, mdl_vlog_reader_log(rd), err);
    run_destroy(vr);
    return err->code;
}

/* mdl_validate's day: the run and the log. */
struct val_days {
    struct mdl_val_run *vr;
    const struct mdl_vlog *log;
};

static int validate_one_day(void *ctx, const struct mdl_vlog_row *rows, size_t n, struct sim_err *err)
{
    (void)err;
    struct val_days *vd = ctx;
    run_log_day(vd->vr, vd->log, rows, n);
    return 0;
}

int mdl_validate(const struct mdl_scenario *s, const struct mdl_vlog *log, const struct mdl_val_config *cfg,
                 struct mdl_val **out, struct sim_err *err)
{
    *out = NULL;
    if (!s->is_day)
        return sim_err_set(err, SIM_EUSAGE, "validate compares days: this scenario is a steady-state run (run:), "
                           "a log has days");
    struct mdl_val_run *vr = run_create(s, cfg);
    struct val_days vd = {vr, log};
    mdl_vlog_each_day(log, validate_one_day, &vd, err);
    *out = run_finish(vr, log, err);
    run_destroy(vr);
    return err->code;
}

void mdl_val_destroy(struct mdl_val *v)
{
    if (!v)
        return;
    free(v->depts);
    free(v->targets);
    free(v->from_at);
    free(v->cells);
    free(v);
}
