/* models/optimise.c — the search of cxsim optimise (see optimise.h and
 * docs/optimise.md). Owns its result; builds every candidate from the
 * scenario's text through the checker (models/load.h), so a plan it
 * returns is one the checker accepts, written as overrides.
 */
#include "models/optimise.h"
#include "models/load.h"
#include "models/metrics.h"
#include "models/run.h"
#include "models/warmup.h"
#include "sim/mem.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A search's fixed parts. */
struct search {
    const struct mdl_opt_input *in;
    const struct mdl_opt_config *cfg;
    struct mdl_opt *o;
    size_t nd, nb;
    double *target;           /* [nd] each department's service_target */
    long lo, hi;
    char interval_set[48];    /* "day.interval=N" (a day), or "" */
};

/* What one evaluation measured, means over the search days. */
struct eval {
    double *level, *load;     /* [nd * nb] */
    double *drops;            /* [nclasses]: drop-out share */
    bool overloaded;
    double staff_cost, total_cost;
};

static void eval_init(struct eval *e, size_t n, size_t nc)
{
    e->level = sim_xcalloc(n, sizeof *e->level);
    e->load = sim_xcalloc(n, sizeof *e->load);
    e->drops = sim_xcalloc(nc ? nc : 1, sizeof *e->drops);
}

static void eval_fini(struct eval *e)
{
    free(e->level);
    free(e->load);
    free(e->drops);
}

/* "HH:MM" of minutes after midnight. */
static void clock_text(double at, char *buf, size_t len)
{
    long m = lround(at);
    snprintf(buf, len, "%02ld:%02ld", m / 60 % 100, m % 60);
}

static char *staff_set(const struct mdl_opt *o, const struct mdl_scenario *s, size_t d, const long *x)
{
    size_t cap = 64 + o->nbins * 32, used = 0;
    char *buf = sim_xmalloc(cap);
    const char *name = s->depts[o->depts[d]].name;
    if (!s->is_day) {
        snprintf(buf, cap, "departments.%s.staff=%ld", name, x[d * o->nbins]);
        return buf;
    }
    used += (size_t)snprintf(buf, cap, "departments.%s.staff=[", name);
    for (size_t b = 0; b < o->nbins; b++) {
        if (b > 0 && x[d * o->nbins + b] == x[d * o->nbins + b - 1])
            continue;   /* a step only where the head count changes */
        char at[16];
        clock_text(o->from_at[b], at, sizeof at);
        used += (size_t)snprintf(buf + used, cap - used, "%s{at: \"%s\", count: %ld}", b ? ", " : "",
                                 at, x[d * o->nbins + b]);
    }
    snprintf(buf + used, cap - used, "]");
    return buf;
}

void mdl_opt_sets(const struct mdl_opt *o, const struct mdl_scenario *s, char **sets)
{
    for (size_t d = 0; d < o->ndepts; d++)
        sets[d] = staff_set(o, s, d, o->found);
}

/* Builds the scenario with staffing x (and the search's bins). */
static int build(const struct search *st, const long *x, struct mdl_scenario **out, struct sim_err *err)
{
    const struct mdl_opt_input *in = st->in;
    size_t n = in->nsets + 1 + st->nd;
    char **sets = sim_xcalloc(n, sizeof *sets);
    size_t k = 0;
    for (; k < in->nsets; k++)
        sets[k] = (char *)in->sets[k];
    if (st->interval_set[0])
        sets[k++] = (char *)st->interval_set;
    size_t first = k;
    for (size_t d = 0; d < st->nd; d++)
        sets[k++] = staff_set(st->o, in->base, d, x);
    int rc = mdl_load_scenario(in->file, in->text, in->len, (const char *const *)sets, k, out, err);
    for (size_t i = first; i < k; i++)
        free(sets[i]);
    free(sets);
    if (rc)
        return rc;
    mdl_warmup_choose(*out, st->cfg->seed);
    return SIM_OK;
}

/* Simulates staffing x on the search days into e. */
static int evaluate(struct search *st, const long *x, const char *stage, struct eval *e, struct sim_err *err)
{
    struct mdl_scenario *s;
    if (build(st, x, &s, err))
        return err->code;
    const struct mdl_opt *o = st->o;
    size_t nd = s->ndepts, nc = s->nclasses, nh = mdl_flow_hours(s);
    size_t stride = mdl_run_stride(s), count = mdl_run_count(s);
    unsigned reps = st->cfg->reps;
    double *values = sim_xmalloc((size_t)reps * stride * sizeof *values);
    struct mdl_run_totals totals;
    mdl_run_reps(s, st->cfg->seed, reps, st->cfg->jobs, values, &totals, NULL);
    e->overloaded = totals.overloaded > 0;
    for (size_t d = 0; d < st->nd; d++) {
        size_t sd = (size_t)o->depts[d];
        for (size_t b = 0; b < st->nb; b++) {
            size_t li = s->is_day ? mdl_metric_hour(nd, nc, nh, sd, b, MDL_HM_SERVICE_LEVEL)
                                  : mdl_metric_dept(nc, sd, MDL_DM_SERVICE_LEVEL);
            size_t bi = s->is_day ? mdl_metric_hour(nd, nc, nh, sd, b, MDL_HM_BUSY)
                                  : mdl_metric_dept(nc, sd, MDL_DM_UTILIZATION);
            double in_target = 0, admitted = 0, busy = 0;
            for (unsigned r = 0; r < reps; r++) {
                const double *v = values + (size_t)r * stride, *w = v + count;
                if (w[li] > 0) {
                    in_target += v[li] * w[li];
                    admitted += w[li];
                }
                /* a run: utilization times the minutes available is the busy minutes */
                double busy_r = s->is_day ? v[bi] : v[bi] * w[bi] / s->length_dur;
                if (isfinite(busy_r))
                    busy += busy_r;
            }
            e->level[d * st->nb + b] = admitted > 0 ? in_target / admitted : NAN;
            e->load[d * st->nb + b] = busy / reps;
        }
    }
    for (size_t c = 0; c < nc; c++) {
        size_t ci = mdl_metric_class(nd, c, MDL_JM_DROPOUT_RATE);
        double dropped = 0, journeys = 0;
        for (unsigned r = 0; r < reps; r++) {
            const double *v = values + (size_t)r * stride, *w = v + count;
            if (w[ci] > 0) {
                dropped += v[ci] * w[ci];
                journeys += w[ci];
            }
        }
        e->drops[c] = journeys > 0 ? dropped / journeys : 0;
    }
    double staff = 0, total = 0;
    for (unsigned r = 0; r < reps; r++) {
        const double *v = values + (size_t)r * stride;
        staff += v[mdl_metric_cost(nd, nc, MDL_CM_STAFF_COST)];
        total += v[mdl_metric_cost(nd, nc, MDL_CM_TOTAL_COST)];
    }
    e->staff_cost = staff / reps;
    e->total_cost = total / reps;
    free(values);
    mdl_scenario_destroy(s);
    st->o->evaluated++;
    st->o->days += reps;
    if (st->cfg->progress)
        st->cfg->progress(st->cfg->ctx, st->o->evaluated, stage);
    return SIM_OK;
}

/* The first requirement e misses, said in why (NULL: none), or false when
 * every one holds; *dept and *bin say where (the interval's), *dept -1 for a
 * class's drop-outs. */
static bool short_of(const struct search *st, const struct eval *e, char *why, size_t len)
{
    const struct mdl_scenario *s = st->in->base;
    if (e->overloaded) {
        if (why)
            snprintf(why, len, "some days overloaded (more than %ld customers inside at once)", s->max_in_system);
        return true;
    }
    for (size_t d = 0; d < st->nd; d++)
        for (size_t b = 0; b < st->nb; b++) {
            double l = e->level[d * st->nb + b];
            if (!isnan(l) && l < st->target[d]) {
                if (why) {
                    char at[16] = "";
                    if (s->is_day)
                        clock_text(st->o->from_at[b], at, sizeof at);
                    snprintf(why, len, "%s%s%s: service level %.1f%% against %.0f%%", s->depts[st->o->depts[d]].name,
                             at[0] ? " from " : "", at, 100 * l, 100 * st->target[d]);
                }
                return true;
            }
        }
    for (size_t c = 0; c < s->nclasses; c++)
        if (!isnan(s->classes[c].max_dropout) && e->drops[c] > s->classes[c].max_dropout) {
            if (why)
                snprintf(why, len, "%s: %.1f%% of journeys end unserved against at most %.0f%%", s->classes[c].name,
                         100 * e->drops[c], 100 * s->classes[c].max_dropout);
            return true;
        }
    return false;
}

/* Halfin–Whitt: the beta of square-root staffing s = R + beta sqrt(R) whose
 * probability of waiting, 1 / (1 + beta Phi(beta) / phi(beta)), is alpha. */
static double halfin_whitt_beta(double alpha)
{
    if (alpha >= 1)
        return 0;
    double lo = 0, hi = 6;
    for (int i = 0; i < 60; i++) {
        double beta = (lo + hi) / 2;
        double p = 1 / (1 + beta * gsl_cdf_ugaussian_P(beta) / gsl_ran_ugaussian_pdf(beta));
        if (p > alpha)
            lo = beta;
        else
            hi = beta;
    }
    return (lo + hi) / 2;
}

static long clamp(long v, long lo, long hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

/* Step 3: one more person wherever an interval's service level is short,
 * and, for a class's drop-outs, where service is weakest; until none is
 * short or nothing can be added. */
static int add_until_met(struct search *st, long *x, struct eval *e, struct sim_err *err)
{
    const struct mdl_scenario *s = st->in->base;
    size_t n = st->nd * st->nb;
    for (int round = 0; round < 200; round++) {
        if (evaluate(st, x, "adding where short", e, err))
            return err->code;
        if (!short_of(st, e, NULL, 0))
            return SIM_OK;
        bool added = false, dropouts = e->overloaded;
        for (size_t c = 0; c < s->nclasses; c++)
            dropouts |= !isnan(s->classes[c].max_dropout) && e->drops[c] > s->classes[c].max_dropout;
        for (size_t i = 0; i < n; i++)
            if (!isnan(e->level[i]) && e->level[i] < st->target[i / st->nb] && x[i] < st->hi) {
                x[i]++;
                added = true;
            }
        if (!added && dropouts) {   /* the weakest interval, relative to its target */
            size_t best = n;
            for (size_t i = 0; i < n; i++)
                if (x[i] < st->hi && !isnan(e->level[i]) &&
                    (best == n || e->level[i] - st->target[i / st->nb] < e->level[best] - st->target[best / st->nb]))
                    best = i;
            if (best < n) {
                x[best]++;
                added = true;
            }
        }
        if (!added)
            return SIM_OK;   /* short at the bounds: the caller says so */
    }
    return SIM_OK;
}

/* What staffing x costs per day for the objective, on e. */
static double objective(const struct search *st, const struct eval *e)
{
    return st->in->base->optimise.objective == MDL_OBJ_TOTAL_COST ? e->total_cost : e->staff_cost;
}

/* Step 4: one person fewer in one interval at a time, the dearest first,
 * kept where every requirement still holds and the objective does not
 * rise; passes until one changes nothing. For total cost, then one more
 * where the total falls. */
static int trim(struct search *st, long *x, struct eval *cur, struct sim_err *err)
{
    const struct mdl_scenario *s = st->in->base;
    size_t n = st->nd * st->nb;
    struct eval e;
    eval_init(&e, n, s->nclasses);
    /* the order: saving per person (cost per hour times the interval's hours), then the surplus */
    size_t *order = sim_xmalloc(n * sizeof *order);
    double *saving = sim_xmalloc(n * sizeof *saving);
    for (size_t i = 0; i < n; i++) {
        order[i] = i;
        size_t b = i % st->nb;
        saving[i] = s->depts[st->o->depts[i / st->nb]].crew.cost_per_hour * (st->o->to_at[b] - st->o->from_at[b]) / 60;
    }
    for (size_t i = 1; i < n; i++)   /* insertion sort: n is small */
        for (size_t j = i; j > 0 && saving[order[j]] > saving[order[j - 1]]; j--) {
            size_t t = order[j];
            order[j] = order[j - 1];
            order[j - 1] = t;
        }
    int rc = SIM_OK;
    for (int pass = 0; pass < 4 && !rc; pass++) {
        bool changed = false;
        for (size_t k = 0; k < n && !rc; k++) {
            size_t i = order[k];
            if (x[i] <= st->lo)
                continue;
            x[i]--;
            if ((rc = evaluate(st, x, "removing where it holds", &e, err)))
                break;
            if (!short_of(st, &e, NULL, 0) && objective(st, &e) <= objective(st, cur)) {
                struct eval t = *cur;
                *cur = e;
                e = t;
                changed = true;
            } else {
                x[i]++;
            }
        }
        if (!changed)
            break;
    }
    if (!rc && s->optimise.objective == MDL_OBJ_TOTAL_COST)
        for (size_t i = 0; i < n && !rc; i++) {
            if (x[i] >= st->hi)
                continue;
            x[i]++;
            if ((rc = evaluate(st, x, "adding where it pays", &e, err)))
                break;
            if (!short_of(st, &e, NULL, 0) && objective(st, &e) < objective(st, cur)) {
                struct eval t = *cur;
                *cur = e;
                e = t;
            } else {
                x[i]--;
            }
        }
    free(order);
    free(saving);
    eval_fini(&e);
    return rc;
}

static struct mdl_opt *opt_create(const struct mdl_scenario *s, size_t nbins)
{
    struct mdl_opt *o = sim_xcalloc(1, sizeof *o);
    size_t n = s->optimise.ndepts * nbins;
    o->ndepts = s->optimise.ndepts;
    o->nbins = nbins;
    o->depts = s->optimise.depts;
    o->from_at = sim_xcalloc(nbins, sizeof *o->from_at);
    o->to_at = sim_xcalloc(nbins, sizeof *o->to_at);
    o->load = sim_xcalloc(n, sizeof *o->load);
    o->level = sim_xcalloc(n, sizeof *o->level);
    o->start = sim_xcalloc(n, sizeof *o->start);
    o->found = sim_xcalloc(n, sizeof *o->found);
    o->baseline = sim_xcalloc(n, sizeof *o->baseline);
    return o;
}

void mdl_opt_destroy(struct mdl_opt *o)
{
    if (!o)
        return;
    free(o->from_at);
    free(o->to_at);
    free(o->load);
    free(o->level);
    free(o->start);
    free(o->found);
    free(o->baseline);
    free(o);
}

/* The head count of crew steps at instant t (0 before the first step). */
static long staff_at(const struct mdl_crew *cr, double t)
{
    double v = 0;
    for (size_t i = 0; i < cr->nstaff && cr->staff[i].at <= t; i++)
        v = cr->staff[i].value;
    return lround(v);
}

/* The bins: the day cut by optimise.interval on the clock (as day.interval
 * cuts the by-hour figures), or the whole run. */
static void set_bins(const struct mdl_scenario *s, struct mdl_opt **out)
{
    size_t nb = 1;
    if (s->is_day) {
        double first = floor(s->open_at / s->optimise.interval_dur) * s->optimise.interval_dur;
        nb = (size_t)ceil((s->close_at - first) / s->optimise.interval_dur - 1e-9);
    }
    struct mdl_opt *o = opt_create(s, nb);
    for (size_t b = 0; b < nb; b++) {
        if (s->is_day) {
            double first = floor(s->open_at / s->optimise.interval_dur) * s->optimise.interval_dur;
            o->from_at[b] = fmax(s->open_at, first + (double)b * s->optimise.interval_dur);
            o->to_at[b] = fmin(s->close_at, first + (double)(b + 1) * s->optimise.interval_dur);
        } else {
            o->from_at[b] = 0;
            o->to_at[b] = s->length_dur;
        }
        for (size_t d = 0; d < o->ndepts; d++)
            o->baseline[d * nb + b] = staff_at(&s->depts[o->depts[d]].crew, o->from_at[b]);
    }
    *out = o;
}

/* The search over o's departments and bins. The caller frees st->target. */
static void search_init(struct search *st, const struct mdl_opt_input *in, const struct mdl_opt_config *cfg,
                        struct mdl_opt *o)
{
    const struct mdl_scenario *s = in->base;
    const struct mdl_optimise *spec = &s->optimise;
    *st = (struct search){.in = in, .cfg = cfg, .o = o, .nd = o->ndepts, .nb = o->nbins, .lo = spec->staff_min,
                          .hi = spec->staff_max};
    if (s->is_day)
        snprintf(st->interval_set, sizeof st->interval_set, "day.interval=%.0f", spec->interval_dur);
    st->target = sim_xmalloc((st->nd ? st->nd : 1) * sizeof *st->target);
    for (size_t d = 0; d < st->nd; d++)
        st->target[d] = s->depts[spec->depts[d]].service_target;
}

int mdl_opt_raise(struct mdl_opt *o, const struct mdl_opt_input *in, const struct mdl_opt_config *cfg, int dept,
                  bool *raised, struct sim_err *err)
{
    struct search st;
    search_init(&st, in, cfg, o);
    size_t n = st.nd * st.nb, best = n;
    double best_gap = INFINITY;
    for (size_t i = 0; i < n; i++) {
        if ((dept >= 0 && o->depts[i / st.nb] != dept) || o->found[i] >= st.hi)
            continue;
        double gap = isnan(o->level[i]) ? INFINITY : o->level[i] - st.target[i / st.nb];
        if (best == n || gap < best_gap) {
            best = i;
            best_gap = gap;
        }
    }
    *raised = best < n;
    int rc = SIM_OK;
    if (*raised) {
        struct eval e;
        eval_init(&e, n, in->base->nclasses);
        o->found[best]++;
        if (!(rc = evaluate(&st, o->found, "one more where weakest", &e, err))) {
            memcpy(o->level, e.level, n * sizeof *e.level);
            o->staff_cost = e.staff_cost;
            o->total_cost = e.total_cost;
        }
        eval_fini(&e);
    }
    free(st.target);
    return rc;
}

int mdl_optimise(const struct mdl_opt_input *in, const struct mdl_opt_config *cfg, struct mdl_opt **out,
                 struct sim_err *err)
{
    const struct mdl_scenario *s = in->base;
    struct search st;
    struct mdl_opt *o;
    *out = NULL;
    set_bins(s, &o);
    search_init(&st, in, cfg, o);
    size_t n = st.nd * st.nb;
    long *x = sim_xmalloc((n ? n : 1) * sizeof *x);
    struct eval e;
    eval_init(&e, n ? n : 1, s->nclasses);
    int rc;
    /* 1: the load, with every head count at its maximum */
    for (size_t i = 0; i < n; i++)
        x[i] = st.hi;
    if (!(rc = evaluate(&st, x, "measuring the load", &e, err))) {
        memcpy(st.o->load, e.load, n * sizeof *e.load);
        bool possible = !short_of(&st, &e, st.o->why_not, sizeof st.o->why_not);
        /* 2: square-root staffing of it */
        for (size_t i = 0; i < n; i++) {
            double load = e.load[i], beta = halfin_whitt_beta(1 - st.target[i / st.nb]);
            st.o->start[i] = load > 0 ? clamp((long)ceil(load + beta * sqrt(load)), st.lo, st.hi) : st.lo;
            x[i] = possible ? st.o->start[i] : st.hi;
        }
        /* 3 and 4 */
        if (possible && !(rc = add_until_met(&st, x, &e, err)))
            possible = !short_of(&st, &e, st.o->why_not, sizeof st.o->why_not);
        if (possible && !rc)
            rc = trim(&st, x, &e, err);
        st.o->feasible = possible;
    }
    if (!rc) {
        memcpy(st.o->found, x, n * sizeof *x);
        memcpy(st.o->level, e.level, n * sizeof *e.level);
        st.o->staff_cost = e.staff_cost;
        st.o->total_cost = e.total_cost;
        *out = st.o;
    } else {
        mdl_opt_destroy(st.o);
    }
    eval_fini(&e);
    free(x);
    free(st.target);
    return rc;
}
