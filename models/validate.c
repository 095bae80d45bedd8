/* models/validate.c — simulated days against logged ones (see validate.h).
 *
 * The simulated side: each replication is told event by event
 * (mdl_flow_trace) into visit rows, as support/trace2log.awk turns a trace
 * into a log: an arrival opens a row, a start, a finish, a renege, a balk
 * or a block fills it. Then one function (measure) takes either side's
 * rows to counts by department, interval and day, and the estimators of
 * sim/ci.h to intervals; the comparison is Welch's, the decision Holm's.
 */
#include "models/validate.h"

#include "models/flow.h"
#include "models/run.h"
#include "sim/mem.h"

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

struct side {
    size_t ndays;
    double *count;            /* [((d * (nb + 1) + b) * ndays + day) * C_N + c] */
    double **waits;           /* [d * (nb + 1) + b]: the served's waits */
    size_t **wait_day;        /* their days */
    size_t *nwaits, *capwaits;
};

/* Rows into a side: dept_of maps a row's department to ours (-1: not
 * compared), day_of its day to 0..ndays. */
static void measure(const struct mdl_val *v, const struct mdl_scenario *s, const struct mdl_vlog_row *rows, size_t n,
                    const int *dept_of, size_t ndays, size_t (*day_of)(const void *, int32_t), const void *day_ctx,
                    const int *scen_dept, struct side *sd, size_t *outside)
{
    size_t nb = v->nbins, cells = v->ndepts * (nb + 1);
    sd->ndays = ndays;
    sd->count = sim_xcalloc(cells * ndays * C_N, sizeof *sd->count);
    sd->waits = sim_xcalloc(cells, sizeof *sd->waits);
    sd->wait_day = sim_xcalloc(cells, sizeof *sd->wait_day);
    sd->nwaits = sim_xcalloc(cells, sizeof *sd->nwaits);
    sd->capwaits = sim_xcalloc(cells, sizeof *sd->capwaits);
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
        size_t day = day_of(day_ctx, r->day);
        double target = s->depts[scen_dept[d]].target_wait;
        for (int pass = 0; pass < 2; pass++) {
            size_t bb = pass ? nb : b;
            if (bb == SIZE_MAX)
                continue;
            size_t cell = (size_t)d * (nb + 1) + bb;
            double *c = &sd->count[(cell * ndays + day) * C_N];
            c[C_ARRIVALS]++;
            if (r->outcome == MDL_VO_UNFINISHED)
                continue;
            c[C_FINISHED]++;
            bool admitted = r->outcome != MDL_VO_BALKED && r->outcome != MDL_VO_BLOCKED;
            c[C_ADMITTED] += admitted;
            c[C_DROPS] += r->outcome != MDL_VO_SERVED;
            if (r->outcome == MDL_VO_SERVED) {
                double w = r->started - r->arrived;
                c[C_SERVED]++;
                c[C_WAIT] += w;
                c[C_IN_TIME] += w <= target;
                if (sd->nwaits[cell] == sd->capwaits[cell]) {
                    sd->capwaits[cell] = sd->capwaits[cell] ? 2 * sd->capwaits[cell] : 64;
                    sd->waits[cell] = sim_xreallocarray(sd->waits[cell], sd->capwaits[cell], sizeof(double));
                    sd->wait_day[cell] = sim_xreallocarray(sd->wait_day[cell], sd->capwaits[cell], sizeof(size_t));
                }
                sd->waits[cell][sd->nwaits[cell]] = w;
                sd->wait_day[cell][sd->nwaits[cell]++] = day;
            }
        }
    }
}

static void side_free(struct side *sd, size_t cells)
{
    for (size_t i = 0; i < cells; i++) {
        free(sd->waits[i]);
        free(sd->wait_day[i]);
    }
    free(sd->waits);
    free(sd->wait_day);
    free(sd->nwaits);
    free(sd->capwaits);
    free(sd->count);
}

/* The 90th percentile of x[0..n) (sorted in place), NaN when empty. */
static double p90(double *x, size_t n)
{
    if (n == 0)
        return NAN;
    gsl_sort(x, 1, n);
    return gsl_stats_quantile_from_sorted_data(x, 1, n, 0.9);
}

/* The side's interval of metric m in cell. */
static struct sim_ci estimate(const struct side *sd, size_t cell, int m)
{
    size_t nd = sd->ndays;
    double *num = sim_xmalloc(2 * (nd ? nd : 1) * sizeof *num), *den = num + nd;
    struct sim_ci ci;
    static const int parts[MDL_VM][2] = {{C_ARRIVALS, -1}, {C_WAIT, C_SERVED}, {-1, -1}, {C_IN_TIME, C_ADMITTED},
                                         {C_DROPS, C_FINISHED}};
    if (m == MDL_VM_WAIT_P90) {
        size_t n = sd->nwaits[cell], sections = nd < SECTIONS ? nd : SECTIONS;
        double *all = sim_xmalloc((n ? n : 1) * sizeof *all), *part = sim_xmalloc((n ? n : 1) * sizeof *part);
        double sec[SECTIONS];
        memcpy(all, sd->waits[cell], n * sizeof *all);
        double pooled = p90(all, n);
        for (size_t k = 0; k < sections; k++) {
            size_t m2 = 0;
            for (size_t i = 0; i < n; i++)
                if (sd->wait_day[cell][i] * sections / nd == k)
                    part[m2++] = sd->waits[cell][i];
            sec[k] = p90(part, m2);
        }
        ci = sections >= 2 ? sim_ci_sectioning(pooled, sec, sections, 0.95)
                           : (struct sim_ci){pooled, NAN, NAN, pooled, pooled, sections};
        free(all);
        free(part);
    } else if (parts[m][1] < 0) {
        for (size_t k = 0; k < nd; k++)
            num[k] = sd->count[(cell * nd + k) * C_N + (size_t)parts[m][0]];
        ci = sim_ci_student(num, nd, 0.95);
    } else {
        for (size_t k = 0; k < nd; k++) {
            num[k] = sd->count[(cell * nd + k) * C_N + (size_t)parts[m][0]];
            den[k] = sd->count[(cell * nd + k) * C_N + (size_t)parts[m][1]];
        }
        ci = sim_ci_ratio(num, den, nd, 0.95);
    }
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
        n += sd->count[(cell * sd->ndays + k) * C_N + (size_t)den[m]];
    return n;
}

/* The two-sided p-value of equal means (Welch), a's and b's standard
 * errors from their intervals, each at least the other's scaled to its own
 * observations (under equality both sides' observations vary alike: a
 * side whose few observations happen to be all equal, every wait zero,
 * would otherwise claim a precision it does not have). NaN: not compared
 * (either side under MIN_OBS observations, or no interval). */
#define MIN_OBS 10
static double compare(const struct sim_ci *a, double na, const struct sim_ci *b, double nb, int m)
{
    double min_obs = m == MDL_VM_ARRIVALS ? 2 : MIN_OBS;
    if (!isfinite(a->mean) || !isfinite(b->mean) || a->n < 2 || b->n < 2 || !isfinite(a->sd) || !isfinite(b->sd) ||
        na < min_obs || nb < min_obs)
        return NAN;
    double va = a->sd * a->sd / (double)a->n, vb = b->sd * b->sd / (double)b->n;
    va = fmax(va, vb * nb / na);
    vb = fmax(vb, va * na / nb);
    if (va + vb <= 0)
        return a->mean == b->mean ? NAN : 0;
    double t = (a->mean - b->mean) / sqrt(va + vb);
    double df = (va + vb) * (va + vb) / (va * va / (double)(a->n - 1) + vb * vb / (double)(b->n - 1));
    return 2 * gsl_cdf_tdist_Q(fabs(t), df);
}

/* ---- the comparison ---------------------------------------------------- */

struct log_days {
    int32_t *days;
    size_t n;
};

static size_t log_day_of(const void *ctx, int32_t day)
{
    const struct log_days *ld = ctx;
    size_t lo = 0, hi = ld->n;
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (ld->days[mid] <= day)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

static size_t sim_day_of(const void *ctx, int32_t day)
{
    (void)ctx;
    return (size_t)day;
}

static int cmp_i32(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return x < y ? -1 : x > y;
}

static int cmp_p(const void *a, const void *b)
{
    double x = (*(struct mdl_val_cell *const *)a)->p, y = (*(struct mdl_val_cell *const *)b)->p;
    return x < y ? -1 : x > y;
}

static void append_name(char *buf, size_t len, const char *name)
{
    size_t used = strlen(buf);
    if (used + strlen(name) + 3 < len)
        snprintf(buf + used, len - used, "%s%s", used ? ", " : "", name);
}

int mdl_validate(const struct mdl_scenario *s, const struct mdl_vlog *log, const struct mdl_val_config *cfg,
                 struct mdl_val **out, struct sim_err *err)
{
    *out = NULL;
    if (!s->is_day)
        return sim_err_set(err, SIM_EUSAGE, "validate compares days: this scenario is a steady-state run (run:), "
                           "a log has days");
    struct mdl_val *v = sim_xcalloc(1, sizeof *v);
    /* the departments both have */
    int *log_to_ours = sim_xmalloc((log->ndepts ? log->ndepts : 1) * sizeof *log_to_ours);
    int *ours_to_scen = sim_xmalloc(s->ndepts * sizeof *ours_to_scen);
    int *scen_to_ours = sim_xmalloc(s->ndepts * sizeof *scen_to_ours);
    v->depts = sim_xcalloc(s->ndepts, sizeof *v->depts);
    for (size_t d = 0; d < s->ndepts; d++) {
        scen_to_ours[d] = -1;
        for (size_t k = 0; k < log->ndepts; k++)
            if (!strcmp(log->depts[k], s->depts[d].name)) {
                scen_to_ours[d] = (int)v->ndepts;
                ours_to_scen[v->ndepts] = (int)d;
                v->depts[v->ndepts++] = s->depts[d].name;
            }
        if (scen_to_ours[d] < 0)
            append_name(v->only_scenario, sizeof v->only_scenario, s->depts[d].name);
    }
    for (size_t k = 0; k < log->ndepts; k++) {
        int d = mdl_scenario_dept(s, log->depts[k]);
        log_to_ours[k] = d >= 0 ? scen_to_ours[d] : -1;
        if (d < 0)
            append_name(v->only_log, sizeof v->only_log, log->depts[k]);
    }
    if (v->ndepts == 0) {
        sim_err_set(err, SIM_EDATA, "%s and the scenario have no department in common (the log's: %s; the "
                    "scenario's: %s): departments are matched by name", log->path, v->only_log, v->only_scenario);
        free(log_to_ours);
        free(ours_to_scen);
        free(scen_to_ours);
        mdl_val_destroy(v);
        return err->code;
    }
    /* the intervals: the scenario's by-hour bins, open to close */
    double step = s->interval_dur, first = floor(s->open_at / step) * step;
    v->nbins = (size_t)ceil((s->close_at - first) / step - 1e-9);
    v->from_at = sim_xmalloc(2 * v->nbins * sizeof *v->from_at);
    v->to_at = v->from_at + v->nbins;
    for (size_t b = 0; b < v->nbins; b++) {
        v->from_at[b] = fmax(s->open_at, first + (double)b * step);
        v->to_at[b] = fmin(s->close_at, first + (double)(b + 1) * step);
    }
    /* the log's days */
    struct log_days ld = {sim_xmalloc(log->nrows * sizeof *ld.days), 0};
    for (size_t i = 0; i < log->nrows; i++)
        ld.days[i] = log->rows[i].day;
    qsort(ld.days, log->nrows, sizeof *ld.days, cmp_i32);
    for (size_t i = 0; i < log->nrows; i++)
        if (i == 0 || ld.days[i] != ld.days[ld.n - 1])
            ld.days[ld.n++] = ld.days[i];
    v->log_days = ld.n;
    unsigned days = cfg->days;
    if (!days) {
        size_t want = 10 * ld.n;
        days = (unsigned)(want < 100 ? 100 : want > 1000 ? 1000 : want);
    }
    v->sim_days = days;
    size_t nsim = 0;
    struct mdl_vlog_row *sim_rows = simulate(s, cfg, days, &nsim, NULL);
    int *sim_to_ours = scen_to_ours;
    struct side obs, sim;
    measure(v, s, log->rows, log->nrows, log_to_ours, ld.n, log_day_of, &ld, ours_to_scen, &obs, &v->outside);
    measure(v, s, sim_rows, nsim, sim_to_ours, days, sim_day_of, NULL, ours_to_scen, &sim, NULL);
    size_t cells = v->ndepts * (v->nbins + 1);
    v->cells = sim_xcalloc(cells * MDL_VM, sizeof *v->cells);
    struct mdl_val_cell **tested = sim_xmalloc(cells * MDL_VM * sizeof *tested);
    for (size_t cell = 0; cell < cells; cell++)
        for (int m = 0; m < MDL_VM; m++) {
            struct mdl_val_cell *c = &v->cells[cell * MDL_VM + (size_t)m];
            c->obs = estimate(&obs, cell, m);
            c->sim = estimate(&sim, cell, m);
            bool share = m == MDL_VM_IN_TIME || m == MDL_VM_DROPOUTS;
            c->obs.lo = fmax(0, c->obs.lo);
            c->sim.lo = fmax(0, c->sim.lo);
            if (share) {
                c->obs.hi = fmin(1, c->obs.hi);
                c->sim.hi = fmin(1, c->sim.hi);
            }
            c->p = compare(&c->obs, observations(&obs, cell, m), &c->sim, observations(&sim, cell, m), m);
            if (isfinite(c->p))
                tested[v->tests++] = c;
        }
    /* Holm's step-down: the k-th smallest p (from 0) against alpha / (m - k) */
    qsort(tested, v->tests, sizeof *tested, cmp_p);
    for (size_t k = 0; k < v->tests && tested[k]->p <= ALPHA / (double)(v->tests - k); k++) {
        tested[k]->disagree = true;
        v->disagreements++;
    }
    free(tested);
    side_free(&obs, cells);
    side_free(&sim, cells);
    free(sim_rows);
    free(ld.days);
    free(log_to_ours);
    free(ours_to_scen);
    free(scen_to_ours);
    *out = v;
    return SIM_OK;
}

void mdl_val_destroy(struct mdl_val *v)
{
    if (!v)
        return;
    free(v->depts);
    free(v->from_at);
    free(v->cells);
    free(v);
}
