/* sim/cli/results.c — the model's results as the writers take them (see
 * results.h): summaries with intervals, paired differences, events.
 */
#include "sim/cli/results.h"

#include "models/metrics.h"
#include "sim/ci.h"
#include "sim/tally.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Where a plan's metrics come from: every replication's vector (values,
 * reps x stride, replication r at r * stride: values, then weights), or,
 * for replications too many to keep, one ratio tally per metric
 * (tallies[offset]); and the waits pooled by sections (quantiles). */
struct source {
    const double *values;
    const struct sim_ratio_tally *tallies;
    const struct sim_ratio_diff_tally *pairs;  /* a variant's, not kept: its difference from the
                                                  baseline, by offset, */
    const size_t *map;                         /* where the baseline has the metric (SIZE_MAX: not) */
    size_t stride, count;
    unsigned reps;
    const struct mdl_run_pools *pools;
    double (*quantiles)[3];              /* [ndepts]: the pooled p50, p90, p95 */
    double (*section_q)[3];              /* [ndepts * m]: each section's */
};

/* The range a figure of this unit can take: intervals never leave it. */
static void range_of(const char *unit, double *lo, double *hi)
{
    *lo = !strcmp(unit, "score") ? 1 : 0;
    *hi = !strcmp(unit, "share") ? 1 : !strcmp(unit, "score") ? 5 : INFINITY;
}

/* A metric's estimate from its replications' values and weights (spec §3):
 * a ratio of totals with the delta method's interval (a per-day amount is
 * the case of weights 1: the Student interval); a share seen never or
 * always gets its bound from the customers who could have shown it. */
static struct sim_ci estimate_kept(const struct source *src, size_t offset, enum mdl_estimate kind,
                                   struct sim_arena *arena, double **values, double **weights)
{
    unsigned n = src->reps;
    double *x = sim_arena_alloc(arena, (n ? n : 1) * sizeof *x), *w = sim_arena_alloc(arena, (n ? n : 1) * sizeof *w);
    double *num = sim_xcalloc(n ? n : 1, sizeof *num);   /* zeroed: with no day, nothing unset is read */
    double successes = 0, trials = 0;
    for (unsigned r = 0; r < n; r++) {
        const double *v = &src->values[(size_t)r * src->stride];
        x[r] = v[offset];
        w[r] = v[src->count + offset];
        /* a share's numerator is a whole count: value x weight, rounded */
        num[r] = w[r] > 0 ? (kind == MDL_EST_SHARE ? nearbyint(x[r] * w[r]) : x[r] * w[r]) : isnan(w[r]) ? NAN : 0;
        if (kind == MDL_EST_SHARE && !isnan(num[r]) && !isnan(w[r])) {
            successes += num[r];
            trials += w[r];
        }
    }
    struct sim_ci ci = sim_ci_ratio(num, w, n, 0.95);
    if (kind == MDL_EST_SHARE)
        ci = sim_ci_share(successes, trials, ci, 0.95);
    /* every day counts in the interval (a day nobody reached adds 0 to both
     * totals); n says how many days measured it: those with a weight */
    size_t measured = 0;
    for (unsigned r = 0; r < n; r++)
        measured += w[r] > 0 && !isnan(x[r]);
    ci.n = measured;
    free(num);
    *values = x;
    *weights = kind == MDL_EST_AMOUNT ? NULL : w;
    return ci;
}

/* Appends metric `name` (at `offset` of a replication's vector) to sc: its
 * estimate over replications by its kind, its replications' values (and
 * weights) when kept. A quantile (kind QUANTILE) reads department dept's
 * pooled waits at probability index qi. */
static void add_metric(struct out_scope *sc, const char *name, const char *unit, enum mdl_estimate kind,
                       const struct source *src, size_t offset, size_t dept, int qi, struct sim_arena *arena)
{
    struct out_metric *m = &sc->metrics[sc->nmetrics++];
    struct sim_ci ci;
    double *x = NULL, *w = NULL;
    if (src->tallies) {
        const struct sim_ratio_tally *t = &src->tallies[offset];
        ci = sim_ci_from_ratio_tally(t, 0.95);
        if (kind == MDL_EST_SHARE) {
            double trials = nearbyint(t->mean_den * (double)t->n);
            ci = sim_ci_share(fmin(nearbyint(t->mean_num * (double)t->n), trials), trials, ci, 0.95);
        }
        ci.n = t->n_pos;   /* the days that measured it, as when kept */
        if (src->pairs && src->map[offset] != SIZE_MAX && kind != MDL_EST_QUANTILE) {
            /* its paired difference, as cli_results_pair finds it from kept values */
            struct sim_ci d = sim_ci_from_ratio_diff_tally(&src->pairs[offset], 0.95);
            struct out_stat *st = sim_arena_alloc(arena, sizeof *st);
            *st = (struct out_stat){d.mean, d.lo, d.hi, d.sd, src->pairs[offset].n_both};
            m->diff = st;
        }
    } else {
        ci = estimate_kept(src, offset, kind, arena, &x, &w);
    }
    if (kind == MDL_EST_QUANTILE) {
        /* every wait pooled over replications, sections for the interval */
        size_t msec = src->pools->m;
        double *sec = sim_arena_alloc(arena, msec * sizeof *sec);
        for (size_t k = 0; k < msec; k++)
            sec[k] = src->section_q[dept * msec + k][qi];
        size_t measured = ci.n;
        ci = sim_ci_sectioning(src->quantiles[dept][qi], sec, msec, 0.95);
        ci.n = measured;
        m->nsections = msec;
        m->sections = sec;
        w = NULL;
    }
    double lo, hi;
    range_of(unit, &lo, &hi);
    sim_ci_clamp(&ci, lo, hi);
    m->name = name;
    m->unit = unit;
    m->stat = (struct out_stat){ci.mean, ci.lo, ci.hi, ci.sd, ci.n};
    m->values = x;
    m->weights = w;
}

/* The pooled quantiles of every department, and each section's. */
static void pool_quantiles(const struct mdl_scenario *s, struct source *src, struct sim_arena *arena)
{
    const struct mdl_run_pools *p = src->pools;
    size_t nd = s->ndepts;
    src->quantiles = sim_arena_alloc(arena, (nd ? nd : 1) * sizeof *src->quantiles);
    src->section_q = sim_arena_alloc(arena, (nd ? nd : 1) * p->m * sizeof *src->section_q);
    for (size_t d = 0; d < nd; d++) {
        struct sim_qhist *all = sim_qhist_create_like(p->h[d]);
        for (size_t k = 0; k < p->m; k++) {
            const struct sim_qhist *h = p->h[k * p->ndepts + d];
            sim_qhist_pool(all, h);
            sim_qhist_quantiles(h, mdl_wait_quantiles, src->section_q[d * p->m + k], 3);
        }
        sim_qhist_quantiles(all, mdl_wait_quantiles, src->quantiles[d], 3);
        sim_qhist_destroy(all);
    }
}

static const char *arena_printf(struct sim_arena *arena, const char *fmt, const char *a, const char *b)
{
    size_t n = strlen(fmt) + strlen(a) + strlen(b) + 1;
    char *p = sim_arena_alloc(arena, n);
    snprintf(p, n, fmt, a, b);
    return p;
}

/* The model's causes of a drop-out, in its order, as the report names them. */
static const enum out_drop_cause drop_causes[MDL_DROP] = {
    [MDL_DROP_BALKED] = OUT_DROP_BALKED, [MDL_DROP_BLOCKED] = OUT_DROP_BLOCKED,
    [MDL_DROP_RENEGED] = OUT_DROP_RENEGED, [MDL_DROP_CLOSED] = OUT_DROP_CLOSED,
};

/* The plan's goals (spec §2c): every department's service level at least
 * its service_target, every class with a max_dropout at most that share of
 * its journeys unserved; each judged on its estimate's interval. */
static void goals(const struct mdl_scenario *s, struct out_plan *plan, struct sim_arena *arena)
{
    struct out_goal *g = sim_arena_alloc(arena, (s->ndepts + s->nclasses + 1) * sizeof *g);
    size_t n = 0;
    for (size_t i = 0; i < plan->nscopes; i++) {
        const struct out_scope *sc = &plan->scopes[i];
        const struct out_metric *m = NULL;
        double target = NAN;
        bool at_least = true;
        if (sc->kind == OUT_DEPARTMENT) {
            m = out_report_metric(sc, "service_level");
            target = sc->service_target;
        } else if (sc->kind == OUT_CLASS) {
            int c = mdl_scenario_class(s, sc->name);
            m = out_report_metric(sc, "dropout_rate");
            target = c >= 0 ? s->classes[c].max_dropout : NAN;
            at_least = false;
        }
        if (!m || isnan(target))
            continue;
        struct out_goal *goal = &g[n++];
        *goal = (struct out_goal){sc->kind, sc->name, m->name, target, at_least, &m->stat, OUT_TOO_CLOSE, 0};
        goal->verdict = out_goal_judge(&m->stat, target, at_least, &goal->more_replications);
        /* a department overloaded on some day cannot keep its promise: its
         * queue grew without bound there */
        if (sc->kind == OUT_DEPARTMENT && sc->overloaded) {
            goal->verdict = OUT_MISSED;
            goal->more_replications = 0;
        }
    }
    plan->ngoals = n;
    plan->goals = g;
}

static void summarise(const struct mdl_scenario *s, const char *plan_name, struct source *src,
                      const struct mdl_run_totals *totals, struct sim_arena *arena, struct out_plan *plan)
{
    size_t nd = s->ndepts, nc = s->nclasses, nh = mdl_flow_hours(s);
    pool_quantiles(s, src, arena);

    /* hour labels: "09:00" ... and "after_close" */
    const char **hours = sim_arena_alloc(arena, (nh ? nh : 1) * sizeof *hours);
    for (size_t h = 0; h < nh; h++) {
        char *label = sim_arena_alloc(arena, 16);
        if (h + 1 < nh)
            out_clock(label, 16, mdl_flow_bin_from(s, h));
        else
            snprintf(label, 16, "after_close");
        hours[h] = label;
    }

    /* the plan owns copies of its names (in the arena): a report outlives
     * the scenario it came from (the workshop replaces its scenario at each
     * change and keeps the results of every attempt) */
    const char **dnames = sim_arena_alloc(arena, (nd ? nd : 1) * sizeof *dnames);
    for (size_t d = 0; d < nd; d++)
        dnames[d] = arena_printf(arena, "%s%s", s->depts[d].name, "");
    *plan = (struct out_plan){.name = arena_printf(arena, "%s%s", plan_name, ""),
                              .overloaded = totals->overloaded, .over_events = totals->over_events};   /* no params: not a sweep's */
    size_t np = s->npools;
    plan->nscopes = nd + nc + 2 + 1 + np;
    plan->scopes = sim_arena_alloc(arena, plan->nscopes * sizeof *plan->scopes);
    size_t k = 0;
    for (size_t d = 0; d < nd; d++, k++) {
        struct out_scope *sc = &plan->scopes[k];
        sc->kind = OUT_DEPARTMENT;
        sc->name = dnames[d];
        sc->target_wait = s->depts[d].target_wait;
        sc->service_target = s->depts[d].service_target;
        sc->overloaded = totals->dept_overloaded[d];
        sc->metrics = sim_arena_alloc(arena, (MDL_DM + nh * MDL_HM) * sizeof *sc->metrics);
        for (int m = 0; m < MDL_DM; m++)
            add_metric(sc, mdl_dept_metric_names[m], mdl_dept_metric_units[m], mdl_dept_metric_kinds[m], src,
                       mdl_metric_dept(nc, d, m), d, m - MDL_DM_WAIT_P50, arena);
        struct out_hour *hr = nh ? sim_arena_alloc(arena, nh * sizeof *hr) : NULL;
        for (size_t h = 0; h < nh; h++) {
            const struct out_metric *first = &sc->metrics[sc->nmetrics];
            for (int m = 0; m < MDL_HM; m++)
                add_metric(sc, arena_printf(arena, "hour.%s.%s", hours[h], mdl_hour_metric_names[m]),
                           mdl_hour_metric_units[m], mdl_hour_metric_kinds[m], src,
                           mdl_metric_hour(nd, nc, nh, d, h, m), d, 0, arena);
            hr[h] = (struct out_hour){
                .from_at = h + 1 < nh ? mdl_flow_bin_from(s, h) : NAN,
                .to_at = h + 1 < nh ? mdl_flow_bin_to(s, h) : NAN,
                .arrivals = &first[MDL_HM_ARRIVALS], .wait_mean = &first[MDL_HM_WAIT_MEAN],
                .drops = &first[MDL_HM_DROPS], .staff = &first[MDL_HM_STAFF], .queue_mean = &first[MDL_HM_QUEUE_MEAN],
                .service_level = &first[MDL_HM_SERVICE_LEVEL], .busy = &first[MDL_HM_BUSY],
            };
        }
        sc->nhours = nh;
        sc->hours = hr;
    }
    for (size_t c = 0; c < nc + 2; c++, k++) {
        struct out_scope *sc = &plan->scopes[k];
        sc->kind = c < nc ? OUT_CLASS : OUT_JOURNEY;
        sc->name = c < nc ? arena_printf(arena, "%s%s", s->classes[c].name, "") : c == nc ? "external" : "internal";
        sc->internal = c < nc ? s->classes[c].internal : c == nc + 1;
        sc->target_wait = sc->service_target = NAN;
        sc->metrics = sim_arena_alloc(arena, (MDL_JM + nd * MDL_DROP) * sizeof *sc->metrics);
        for (int m = 0; m < MDL_JM; m++)
            add_metric(sc, mdl_journey_metric_names[m], mdl_journey_metric_units[m], mdl_journey_metric_kinds[m], src,
                       mdl_metric_class(nd, c, m), 0, 0, arena);
        struct out_drop *dr = sim_arena_alloc(arena, (nd ? nd : 1) * MDL_DROP * sizeof *dr);
        for (size_t d = 0; d < nd; d++)
            for (int cause = 0; cause < MDL_DROP; cause++) {
                dr[sc->ndrops++] = (struct out_drop){dnames[d], drop_causes[cause], &sc->metrics[sc->nmetrics]};
                add_metric(sc, arena_printf(arena, "dropped_at.%s.%s", dnames[d], mdl_drop_cause_names[cause]),
                           "customers", MDL_EST_AMOUNT, src, mdl_metric_drop(nd, nc, c, d, cause), 0, 0, arena);
            }
        sc->drops = dr;
    }
    goals(s, plan, arena);
    struct out_scope *sc = &plan->scopes[k];
    sc->kind = OUT_COST;
    sc->name = "plan";
    sc->target_wait = sc->service_target = NAN;
    sc->metrics = sim_arena_alloc(arena, MDL_CM * sizeof *sc->metrics);
    for (int m = 0; m < MDL_CM; m++)
        add_metric(sc, mdl_cost_metric_names[m], "money", MDL_EST_AMOUNT, src, mdl_metric_cost(nd, nc, m), 0, 0, arena);
    /* pools: their utilization, overtime, customers served, and where their
     * time went, at each department they serve */
    for (size_t p = 0; p < np; p++) {
        const struct mdl_pool *pool = &s->pools[p];
        sc = &plan->scopes[++k];
        sc->kind = OUT_POOL;
        sc->name = arena_printf(arena, "%s%s", pool->name, "");
        sc->target_wait = sc->service_target = NAN;
        sc->metrics = sim_arena_alloc(arena, (MDL_PM + pool->nserves) * sizeof *sc->metrics);
        for (int m = 0; m < MDL_PM; m++)
            add_metric(sc, mdl_pool_metric_names[m], mdl_pool_metric_units[m], mdl_pool_metric_kinds[m], src,
                       mdl_metric_pool(nd, nc, nh, p, (size_t)m), 0, 0, arena);
        for (size_t i = 0; i < pool->nserves; i++)
            add_metric(sc, arena_printf(arena, "time_at.%s%s", dnames[pool->serves[i]], ""), "share", MDL_EST_RATIO,
                       src, mdl_metric_pool(nd, nc, nh, p, MDL_PM + (size_t)pool->serves[i]), 0, 0, arena);
    }
}

void cli_results_plan(const struct mdl_scenario *s, const char *plan_name, const double *values, unsigned reps,
                      const struct mdl_run_totals *totals, const struct mdl_run_pools *pools, struct sim_arena *arena,
                      struct out_plan *plan)
{
    struct source src = {.values = values, .stride = mdl_run_stride(s), .count = mdl_run_count(s), .reps = reps,
                         .pools = pools};
    summarise(s, plan_name, &src, totals, arena, plan);
}

void cli_results_plan_summarised(const struct mdl_scenario *s, const char *plan_name,
                                 const struct sim_ratio_tally *tallies, unsigned reps,
                                 const struct mdl_run_totals *totals, const struct mdl_run_pools *pools,
                                 struct sim_arena *arena, struct out_plan *plan)
{
    struct source src = {.tallies = tallies, .stride = mdl_run_stride(s), .count = mdl_run_count(s), .reps = reps,
                         .pools = pools};
    summarise(s, plan_name, &src, totals, arena, plan);
}

void cli_results_run(const struct mdl_scenario *s, const char *plan_name, uint64_t seed, unsigned reps, int jobs,
                     struct sim_arena *arena, struct out_plan *plan, double *values, struct mdl_run_totals *totals)
{
    double *v = values ? values : sim_xmalloc((size_t)reps * mdl_run_stride(s) * sizeof *v);
    struct mdl_run_pools *pools = mdl_run_pools_create(s, reps);
    mdl_run_reps(s, seed, reps, jobs, v, totals, pools);
    cli_results_plan(s, plan_name, v, reps, totals, pools, arena, plan);
    mdl_run_pools_destroy(pools);
    if (!values)
        free(v);
}

void cli_results_run_bounded(const struct mdl_scenario *s, const char *plan_name, uint64_t seed, unsigned reps,
                             int jobs, unsigned keep, struct sim_arena *arena, struct out_plan *plan,
                             struct mdl_run_totals *totals)
{
    if (reps <= keep) {
        cli_results_run(s, plan_name, seed, reps, jobs, arena, plan, NULL, totals);
        return;
    }
    size_t count = mdl_run_count(s);
    struct sim_ratio_tally *tallies = sim_xmalloc(count * sizeof *tallies);
    for (size_t m = 0; m < count; m++)
        sim_ratio_tally_init(&tallies[m]);
    struct mdl_run_pools *pools = mdl_run_pools_create(s, reps);
    mdl_run_tallies(s, seed, reps, jobs, tallies, totals, pools);
    cli_results_plan_summarised(s, plan_name, tallies, reps, totals, pools, arena, plan);
    mdl_run_pools_destroy(pools);
    free(tallies);
}

/* ---- comparisons ------------------------------------------------------- */

/* A replication's numerator and weight of the value at offset i (vector
 * x of count values, then weights), as the tallies take them. */
static void num_den(const double *x, size_t count, size_t i, double *num, double *den)
{
    *den = x[count + i];
    *num = *den > 0 ? x[i] * *den : isnan(*den) ? NAN : 0;
}

/* cli_results_compare past `keep` replications: blocks of every plan's
 * replications, the same days for all, added to each plan's tallies and to
 * each variant's paired tallies (metric by metric, by mdl_run_metric_map),
 * in replication order, then forgotten. */
static void compare_bounded(struct mdl_scenario *const *s, const char *const *names, size_t n, uint64_t seed,
                            unsigned reps, int jobs, struct sim_arena *arena, struct out_plan *plans)
{
    enum { BLOCK = 1024 };
    struct plan_acc {
        size_t stride, count;
        struct sim_ratio_tally *tallies;
        struct sim_ratio_diff_tally *pairs;   /* variants */
        size_t *map;
        struct mdl_run_pools *pools;
        struct mdl_run_totals totals;
        double *v;
    } *acc = sim_xcalloc(n, sizeof *acc);
    for (size_t p = 0; p < n; p++) {
        struct plan_acc *a = &acc[p];
        a->stride = mdl_run_stride(s[p]);
        a->count = mdl_run_count(s[p]);
        a->tallies = sim_xmalloc(a->count * sizeof *a->tallies);
        for (size_t i = 0; i < a->count; i++)
            sim_ratio_tally_init(&a->tallies[i]);
        if (p > 0) {
            a->pairs = sim_xmalloc(a->count * sizeof *a->pairs);
            a->map = sim_xmalloc(a->count * sizeof *a->map);
            for (size_t i = 0; i < a->count; i++)
                sim_ratio_diff_tally_init(&a->pairs[i]);
            mdl_run_metric_map(s[0], s[p], a->map);
        }
        a->pools = mdl_run_pools_create(s[p], reps);
        a->v = sim_xmalloc(BLOCK * a->stride * sizeof *a->v);
    }
    for (unsigned first = 0; first < reps; first += BLOCK) {
        unsigned nb = reps - first < BLOCK ? reps - first : BLOCK;
        for (size_t p = 0; p < n; p++) {
            struct plan_acc *a = &acc[p];
            struct mdl_run_totals block;
            mdl_run_block(s[p], seed, first, nb, jobs, a->v, &block, a->pools);
            mdl_run_totals_merge(&a->totals, &block);
            for (unsigned r = 0; r < nb; r++) {
                const double *x = &a->v[(size_t)r * a->stride], *xb = &acc[0].v[(size_t)r * acc[0].stride];
                for (size_t i = 0; i < a->count; i++) {
                    double num, den;
                    num_den(x, a->count, i, &num, &den);
                    sim_ratio_tally_add(&a->tallies[i], num, den);
                    if (p > 0 && a->map[i] != SIZE_MAX) {
                        double bnum, bden;
                        num_den(xb, acc[0].count, a->map[i], &bnum, &bden);
                        sim_ratio_diff_tally_add(&a->pairs[i], bnum, bden, num, den);
                    }
                }
            }
        }
    }
    for (size_t p = 0; p < n; p++) {
        struct plan_acc *a = &acc[p];
        struct source src = {.tallies = a->tallies, .pairs = a->pairs, .map = a->map, .stride = a->stride,
                             .count = a->count, .reps = reps, .pools = a->pools};
        summarise(s[p], names[p], &src, &a->totals, arena, &plans[p]);
    }
    for (size_t p = 1; p < n; p++)
        cli_results_pair(&plans[0], &plans[p], reps, arena);   /* the quantiles, by sectioning */
    for (size_t p = 0; p < n; p++) {
        mdl_run_pools_destroy(acc[p].pools);
        free(acc[p].tallies);
        free(acc[p].pairs);
        free(acc[p].map);
        free(acc[p].v);
    }
    free(acc);
}

void cli_results_compare(struct mdl_scenario *const *s, const char *const *names, size_t n, uint64_t seed,
                         unsigned reps, int jobs, unsigned keep, struct sim_arena *arena, struct out_plan *plans)
{
    if (reps > keep) {
        compare_bounded(s, names, n, seed, reps, jobs, arena, plans);
    } else {
        for (size_t p = 0; p < n; p++) {
            struct mdl_run_totals totals;
            cli_results_run(s[p], names[p], seed, reps, jobs, arena, &plans[p], NULL, &totals);
            if (p > 0)
                cli_results_pair(&plans[0], &plans[p], reps, arena);
        }
    }
}

/* ---- paired differences ------------------------------------------------ */

static const struct out_scope *same_scope(const struct out_plan *p, const struct out_scope *sc)
{
    for (size_t i = 0; i < p->nscopes; i++)
        if (p->scopes[i].kind == sc->kind && !strcmp(p->scopes[i].name, sc->name))
            return &p->scopes[i];
    return NULL;
}

/* The paired difference mt - bm, by the estimator behind them: a pooled
 * quantile's by sectioning, a ratio of totals' by the delta method, a
 * per-day amount's by Student over the days' differences. */
static struct sim_ci pair(const struct out_metric *bm, const struct out_metric *mt, unsigned reps, double *scratch)
{
    if (mt->sections && bm->sections && mt->nsections == bm->nsections) {
        for (size_t k = 0; k < mt->nsections; k++)
            scratch[k] = mt->sections[k] - bm->sections[k];
        return sim_ci_sectioning(mt->stat.mean - bm->stat.mean, scratch, mt->nsections, 0.95);
    }
    if (mt->weights && bm->weights) {
        double *nb = scratch, *np = scratch + reps;
        for (unsigned r = 0; r < reps; r++) {
            nb[r] = bm->weights[r] > 0 ? bm->values[r] * bm->weights[r] : isnan(bm->weights[r]) ? NAN : 0;
            np[r] = mt->weights[r] > 0 ? mt->values[r] * mt->weights[r] : isnan(mt->weights[r]) ? NAN : 0;
        }
        struct sim_ci ci = sim_ci_ratio_diff(nb, bm->weights, np, mt->weights, reps, 0.95);
        size_t both = 0;   /* days that measured both */
        for (unsigned r = 0; r < reps; r++)
            both += bm->weights[r] > 0 && mt->weights[r] > 0;
        ci.n = both;
        return ci;
    }
    /* A pair with a side not measured is no pair: NaN, skipped. */
    for (unsigned r = 0; r < reps; r++)
        scratch[r] = mt->values[r] - bm->values[r];
    return sim_ci_student(scratch, reps, 0.95);
}

void cli_results_pair(const struct out_plan *base, struct out_plan *plan, unsigned reps, struct sim_arena *arena)
{
    size_t most = 2 * (size_t)reps + 64;   /* two arrays of reps, or a plan's sections */
    double *scratch = sim_arena_alloc(arena, most * sizeof *scratch);
    for (size_t i = 0; i < plan->nscopes; i++) {
        struct out_scope *sc = &plan->scopes[i];
        const struct out_scope *bs = same_scope(base, sc);
        if (!bs)
            continue;
        for (size_t m = 0; m < sc->nmetrics; m++) {
            struct out_metric *mt = &sc->metrics[m];
            const struct out_metric *bm = out_report_metric(bs, mt->name);
            /* kept values, or (past keep) sections: a difference not set yet */
            bool kept = bm && bm->values && mt->values, sectioned = bm && bm->sections && mt->sections;
            if (!(kept || sectioned) || mt->nsections > most || (!kept && mt->diff))
                continue;
            struct sim_ci ci = pair(bm, mt, reps, scratch);
            struct out_stat *st = sim_arena_alloc(arena, sizeof *st);
            *st = (struct out_stat){ci.mean, ci.lo, ci.hi, ci.sd, ci.n};
            mt->diff = st;
        }
    }
}

/* ---- how many replications --------------------------------------------- */

unsigned cli_results_reps_needed(const struct out_plan *plans, size_t n, unsigned reps, double precision)
{
    double need = reps;
    for (size_t p = 0; p < n; p++)
        for (size_t g = 0; g < plans[p].ngoals; g++) {
            const struct out_goal *goal = &plans[p].goals[g];
            if (goal->verdict == OUT_TOO_CLOSE)
                need = fmax(need, (double)reps + goal->more_replications);
            double half = (goal->stat->ci_high - goal->stat->ci_low) / 2;
            if (half > precision)
                need = fmax(need, ceil((double)reps * (half / precision) * (half / precision)));
        }
    return need >= (double)UINT_MAX ? UINT_MAX : (unsigned)need;
}

/* ---- events ------------------------------------------------------------ */

static struct out_trace_who who_of(struct mdl_event_who w)
{
    return (struct out_trace_who){w.cls, w.id, w.internal, w.request};
}

struct out_trace_event cli_results_event(const struct mdl_event *ev)
{
    /* the model's kinds in its order, as the writer names them */
    static const enum out_trace_kind kinds[MDL_EV_KINDS] = {
        [MDL_EV_ARRIVE] = OUT_EV_ARRIVE, [MDL_EV_BALK] = OUT_EV_BALK,         [MDL_EV_BLOCK] = OUT_EV_BLOCK,
        [MDL_EV_START] = OUT_EV_START,   [MDL_EV_REQUEST] = OUT_EV_REQUEST,   [MDL_EV_RESUME] = OUT_EV_RESUME,
        [MDL_EV_FINISH] = OUT_EV_FINISH, [MDL_EV_RENEGE] = OUT_EV_RENEGE,     [MDL_EV_EXIT] = OUT_EV_EXIT,
        [MDL_EV_SENT_HOME] = OUT_EV_SENT_HOME, [MDL_EV_STAFF] = OUT_EV_STAFF, [MDL_EV_OPEN] = OUT_EV_OPEN,
        [MDL_EV_CLOSE] = OUT_EV_CLOSE, [MDL_EV_SHIFT_START] = OUT_EV_SHIFT_START,
        [MDL_EV_SHIFT_END] = OUT_EV_SHIFT_END, [MDL_EV_BREAK] = OUT_EV_BREAK, [MDL_EV_BACK] = OUT_EV_BACK,
        [MDL_EV_STAYS] = OUT_EV_STAYS,
    };
    _Static_assert((int)MDL_EV_KINDS == (int)OUT_EV_KINDS, "every kind of event the model tells has a word in the trace");
    return (struct out_trace_event){
        .kind = kinds[ev->kind], .at = ev->at, .who = who_of(ev->who), .related = who_of(ev->related),
        .dept = ev->dept, .staff = ev->staff, .shift = ev->shift, .to = ev->to, .dur = ev->dur, .walk_dur = ev->walk_dur, .break_dur = ev->break_dur, .pool = ev->pool,
        .score = ev->score, .count = ev->count, .prev_count = ev->prev_count,
    };
}

/* ---- the workshop's score ---------------------------------------------- */

static double mean_of(const struct out_plan *p, enum out_scope_kind kind, const char *scope, const char *name)
{
    const struct out_scope *sc = out_report_scope(p, kind, scope);
    const struct out_metric *m = sc ? out_report_metric(sc, name) : NULL;
    return m ? m->stat.mean : NAN;
}

struct mdl_score_inputs cli_results_score_inputs(const struct out_plan *p)
{
    return (struct mdl_score_inputs){
        .staff_cost = mean_of(p, OUT_COST, NULL, "staff_cost"),
        .lost_value = mean_of(p, OUT_COST, NULL, "lost_value"),
        .completed = mean_of(p, OUT_JOURNEY, "external", "completed"),
        .dropped = mean_of(p, OUT_JOURNEY, "external", "dropped"),
        .wait_total_mean = mean_of(p, OUT_JOURNEY, "external", "wait_total_mean"),
        .csat = mean_of(p, OUT_JOURNEY, "external", "csat"),
    };
}
