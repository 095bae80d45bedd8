/* models/optimise_eval.c — a staffing simulated on the search days (see
 * optimise_int.h). Every candidate is built from the scenario's text with
 * the user's overrides, then the search's bins (day.interval), then one
 * override per optimised department, through the checker: what is
 * evaluated is what --save would write.
 */
#include "models/optimise_int.h"
#include "models/load.h"
#include "models/metrics.h"
#include "models/run.h"
#include "models/warmup.h"
#include "sim/mem.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void mdi_opt_search_init(struct mdi_opt_search *st, const struct mdl_opt_input *in, const struct mdl_opt_config *cfg,
                         struct mdl_opt *o)
{
    const struct mdl_scenario *s = in->base;
    const struct mdl_optimise *spec = &s->optimise;
    *st = (struct mdi_opt_search){.in = in, .cfg = cfg, .o = o, .nd = o->ndepts, .nb = o->nbins,
                                  .lo = spec->staff_min, .hi = spec->staff_max, .classes_aside = o->classes_aside};
    if (s->is_day)
        snprintf(st->interval_set, sizeof st->interval_set, "day.interval=%.0f", spec->interval_dur);
    st->target = sim_xmalloc((st->nd ? st->nd : 1) * sizeof *st->target);
    for (size_t d = 0; d < st->nd; d++)
        st->target[d] = s->depts[o->depts[d]].service_target;
}

void mdi_opt_search_fini(struct mdi_opt_search *st)
{
    free(st->target);
    st->target = NULL;
}

void mdi_opt_eval_init(struct mdi_opt_eval *e, const struct mdi_opt_search *st, unsigned keep)
{
    size_t n = st->nd * st->nb, nc = st->in->base->nclasses;
    *e = (struct mdi_opt_eval){.keep = keep};
    e->level = sim_xcalloc(n ? n : 1, sizeof *e->level);
    e->load = sim_xcalloc(n ? n : 1, sizeof *e->load);
    e->drops = sim_xcalloc(nc ? nc : 1, sizeof *e->drops);
    if (keep) {
        e->harm = sim_xcalloc(keep, sizeof *e->harm);
        e->staff = sim_xcalloc(keep, sizeof *e->staff);
    }
}

void mdi_opt_eval_fini(struct mdi_opt_eval *e)
{
    free(e->level);
    free(e->load);
    free(e->drops);
    free(e->harm);
    free(e->staff);
}

void mdi_opt_clock(double at, char *buf, size_t len)
{
    long m = lround(at);
    snprintf(buf, len, "%02ld:%02ld", m / 60 % 100, m % 60);
}

char *mdi_opt_heads_set(const struct mdl_opt *o, const struct mdl_scenario *s, size_t d, const long *x)
{
    const struct mdl_dept *dept = &s->depts[o->depts[d]];
    const long *row = x + d * o->nbins;
    size_t cap = 64 + strlen(dept->name) + o->nbins * 96, used = 0;
    char *buf = sim_xmalloc(cap);
    if (!s->is_day) {
        snprintf(buf, cap, "departments.%s.staff=%ld", dept->name, row[0]);
        return buf;
    }
    bool shifts = dept->crew.nshifts > 0;
    used += (size_t)snprintf(buf, cap, "departments.%s.%s=[", dept->name, shifts ? "shifts" : "staff");
    for (size_t b = 0; b < o->nbins; b++) {
        if (b > 0 && row[b] == row[b - 1])
            continue;   /* a step only where the head count changes */
        size_t last = b;
        while (last + 1 < o->nbins && row[last + 1] == row[b])
            last++;
        char from[16], to[16];
        mdi_opt_clock(o->from_at[b], from, sizeof from);
        mdi_opt_clock(o->to_at[last], to, sizeof to);
        if (shifts)
            used += (size_t)snprintf(buf + used, cap - used, "%s{name: \"%s\", start: \"%s\", end: \"%s\", count: %ld}",
                                     b ? ", " : "", from, from, to, row[b]);
        else
            used += (size_t)snprintf(buf + used, cap - used, "%s{at: \"%s\", count: %ld}", b ? ", " : "", from, row[b]);
    }
    snprintf(buf + used, cap - used, "]");
    return buf;
}

void mdl_opt_sets(const struct mdl_opt *o, const struct mdl_scenario *s, char **sets)
{
    for (size_t d = 0; d < o->ndepts; d++)
        sets[d] = o->roster && o->roster[d] ? sim_xstrdup(o->roster[d]) : mdi_opt_heads_set(o, s, d, o->found);
}

/* Builds the scenario with dept_sets (and the search's bins). */
static int build(const struct mdi_opt_search *st, char *const *dept_sets, struct mdl_scenario **out,
                 struct sim_err *err)
{
    const struct mdl_opt_input *in = st->in;
    size_t n = in->nsets + 1 + st->nd, k = 0;
    const char **sets = sim_xcalloc(n, sizeof *sets);
    for (; k < in->nsets; k++)
        sets[k] = in->sets[k];
    if (st->interval_set[0])
        sets[k++] = st->interval_set;
    for (size_t d = 0; d < st->nd; d++)
        if (dept_sets[d])
            sets[k++] = dept_sets[d];
    int rc = mdl_load_scenario(in->file, in->text, in->len, sets, k, out, err);
    free(sets);
    if (rc)
        return rc;
    mdl_warmup_choose(*out, st->cfg->seed);
    return SIM_OK;
}

/* The ratio of totals of the metric at index i over the replications:
 * sum of value x weight over sum of weights; NaN when no weight. */
static double pooled(const double *values, size_t stride, size_t count, unsigned reps, size_t i)
{
    double num = 0, den = 0;
    for (unsigned r = 0; r < reps; r++) {
        const double *v = values + (size_t)r * stride, *w = v + count;
        if (w[i] > 0) {
            num += v[i] * w[i];
            den += w[i];
        }
    }
    return den > 0 ? num / den : NAN;
}

static int evaluate_now(struct mdi_opt_search *st, char *const *dept_sets, const char *stage, struct mdi_opt_eval *e,
                        struct sim_err *err);

/* An evaluation as the store keeps it: overloaded, the two costs, then
 * level, load, drops and the kept days' harm and staff cost. */
static size_t packed_size(const struct mdi_opt_search *st, const struct mdi_opt_eval *e)
{
    return 3 + 2 * st->nd * st->nb + st->in->base->nclasses + 2 * (size_t)e->keep;
}

static void pack(const struct mdi_opt_search *st, struct mdi_opt_eval *e, double *v, bool out)
{
    size_t n = st->nd * st->nb, nc = st->in->base->nclasses, k = e->keep;
    struct {
        double *at;
        size_t len;
    } parts[] = {{e->level, n}, {e->load, n}, {e->drops, nc}, {e->harm, k}, {e->staff, k}};
    if (out) {
        v[0] = e->overloaded;
        v[1] = e->staff_cost;
        v[2] = e->total_cost;
    } else {
        e->overloaded = v[0] != 0;
        e->staff_cost = v[1];
        e->total_cost = v[2];
    }
    size_t at = 3;
    for (size_t p = 0; p < sizeof parts / sizeof parts[0]; p++) {
        if (parts[p].len && out)
            memcpy(v + at, parts[p].at, parts[p].len * sizeof *v);
        else if (parts[p].len)
            memcpy(parts[p].at, v + at, parts[p].len * sizeof *v);
        at += parts[p].len;
    }
}

/* The plan as the store's key: its overrides, one a line, and the days
 * whose figures it keeps. */
static char *store_key(const struct mdi_opt_search *st, char *const *dept_sets, unsigned keep)
{
    size_t len = 32;
    for (size_t d = 0; d < st->nd; d++)
        len += (dept_sets[d] ? strlen(dept_sets[d]) : 0) + 1;
    char *key = sim_xmalloc(len), *p = key;
    for (size_t d = 0; d < st->nd; d++)
        p += sprintf(p, "%s\n", dept_sets[d] ? dept_sets[d] : "");
    sprintf(p, "keep=%u", keep);
    return key;
}

int mdi_opt_evaluate_sets(struct mdi_opt_search *st, char *const *dept_sets, const char *stage,
                          struct mdi_opt_eval *e, struct sim_err *err)
{
    const struct mdl_opt_config *cfg = st->cfg;
    char *key = NULL;
    double *packed = NULL;
    if (cfg->get) {   /* evaluated before? */
        bool found = false;
        key = store_key(st, dept_sets, e->keep);
        packed = sim_xmalloc(packed_size(st, e) * sizeof *packed);
        if (cfg->get(cfg->store, key, packed, packed_size(st, e), &found, err)) {
            free(key);
            free(packed);
            return err->code;
        }
        if (found) {
            pack(st, e, packed, false);
            free(key);
            free(packed);
            st->o->evaluated++;
            st->o->read_back++;
            if (cfg->progress)
                cfg->progress(cfg->ctx, st->o->evaluated, stage);
            return SIM_OK;
        }
    }
    int rc = evaluate_now(st, dept_sets, stage, e, err);
    if (!rc && cfg->put) {
        pack(st, e, packed, true);
        rc = cfg->put(cfg->store, key, packed, packed_size(st, e), err);
    }
    free(key);
    free(packed);
    return rc;
}

/* Simulates the plan (mdi_opt_evaluate_sets without the store). */
static int evaluate_now(struct mdi_opt_search *st, char *const *dept_sets, const char *stage, struct mdi_opt_eval *e,
                        struct sim_err *err)
{
    struct mdl_scenario *s;
    if (build(st, dept_sets, &s, err))
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
            double busy = 0;
            for (unsigned r = 0; r < reps; r++) {
                const double *v = values + (size_t)r * stride, *w = v + count;
                /* a run: utilization times the minutes available is the busy minutes */
                double busy_r = s->is_day ? v[bi] : v[bi] * w[bi] / s->length_dur;
                if (isfinite(busy_r))
                    busy += busy_r;
            }
            e->level[d * st->nb + b] = pooled(values, stride, count, reps, li);
            e->load[d * st->nb + b] = busy / reps;
        }
    }
    for (size_t c = 0; c < nc; c++) {
        double share = pooled(values, stride, count, reps, mdl_metric_class(nd, c, MDL_JM_DROPOUT_RATE));
        e->drops[c] = isnan(share) ? 0 : share;
    }
    bool valued = false;
    for (size_t c = 0; c < nc; c++)
        valued |= s->classes[c].value > 0;
    size_t wi = mdl_metric_class(nd, nc, MDL_JM_WAIT_TOTAL_MEAN);   /* all external journeys */
    double staff = 0, total = 0;
    for (unsigned r = 0; r < reps; r++) {
        const double *v = values + (size_t)r * stride, *w = v + count;
        staff += v[mdl_metric_cost(nd, nc, MDL_CM_STAFF_COST)];
        total += v[mdl_metric_cost(nd, nc, MDL_CM_TOTAL_COST)];
        if (r < e->keep) {
            e->staff[r] = v[mdl_metric_cost(nd, nc, MDL_CM_STAFF_COST)];
            e->harm[r] = valued ? v[mdl_metric_cost(nd, nc, MDL_CM_LOST_VALUE)]
                                : (w[wi] > 0 ? v[wi] * w[wi] : 0);
        }
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

int mdi_opt_evaluate(struct mdi_opt_search *st, const long *x, const char *stage, struct mdi_opt_eval *e,
                     struct sim_err *err)
{
    char **sets = sim_xcalloc(st->nd ? st->nd : 1, sizeof *sets);
    for (size_t d = 0; d < st->nd; d++)
        sets[d] = mdi_opt_heads_set(st->o, st->in->base, d, x);
    int rc = mdi_opt_evaluate_sets(st, sets, stage, e, err);
    for (size_t d = 0; d < st->nd; d++)
        free(sets[d]);
    free(sets);
    return rc;
}

bool mdi_opt_short_of(const struct mdi_opt_search *st, const struct mdi_opt_eval *e, char *why, size_t len)
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
                        mdi_opt_clock(st->o->from_at[b], at, sizeof at);
                    snprintf(why, len, "%s%s%s: service level %.1f%% against %g%%", s->depts[st->o->depts[d]].name,
                             at[0] ? " from " : "", at, 100 * l, 100 * st->target[d]);
                }
                return true;
            }
        }
    for (size_t c = 0; c < s->nclasses && !st->classes_aside; c++)
        if (!isnan(s->classes[c].max_dropout) && e->drops[c] > s->classes[c].max_dropout) {
            if (why)
                snprintf(why, len, "%s: %.1f%% of journeys end unserved against at most %g%%", s->classes[c].name,
                         100 * e->drops[c], 100 * s->classes[c].max_dropout);
            return true;
        }
    return false;
}
