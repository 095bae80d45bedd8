/* models/optimise.c — the search of cxsim optimise (see optimise.h and
 * docs/optimise.md). Owns its result; builds every candidate from the
 * scenario's text through the checker (models/load.h), so a plan it
 * returns is one the checker accepts, written as overrides.
 */
#include "models/optimise_int.h"
#include "sim/mem.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
static int add_until_met(struct mdi_opt_search *st, long *x, struct mdi_opt_eval *e, struct sim_err *err)
{
    const struct mdl_scenario *s = st->in->base;
    size_t n = st->nd * st->nb;
    for (int round = 0; round < 200; round++) {
        if (mdi_opt_evaluate(st, x, "adding where short", e, err))
            return err->code;
        if (!mdi_opt_short_of(st, e, NULL, 0))
            return SIM_OK;
        bool added = false, dropouts = e->overloaded;
        for (size_t c = 0; c < s->nclasses; c++)
            dropouts |= !st->classes_aside && !isnan(s->classes[c].max_dropout) && e->drops[c] > s->classes[c].max_dropout;
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
static double objective(const struct mdi_opt_search *st, const struct mdi_opt_eval *e)
{
    return st->in->base->optimise.objective == MDL_OBJ_TOTAL_COST ? e->total_cost : e->staff_cost;
}

/* Step 4: one person fewer in one interval at a time, the dearest first,
 * kept where every requirement still holds and the objective does not
 * rise; passes until one changes nothing. For total cost, then one more
 * where the total falls. */
static int trim(struct mdi_opt_search *st, long *x, struct mdi_opt_eval *cur, struct sim_err *err)
{
    const struct mdl_scenario *s = st->in->base;
    size_t n = st->nd * st->nb;
    struct mdi_opt_eval e;
    mdi_opt_eval_init(&e, st, 0);
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
            if ((rc = mdi_opt_evaluate(st, x, "removing where it holds", &e, err)))
                break;
            if (!mdi_opt_short_of(st, &e, NULL, 0) && objective(st, &e) <= objective(st, cur)) {
                struct mdi_opt_eval t = *cur;
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
            if ((rc = mdi_opt_evaluate(st, x, "adding where it pays", &e, err)))
                break;
            if (!mdi_opt_short_of(st, &e, NULL, 0) && objective(st, &e) < objective(st, cur)) {
                struct mdi_opt_eval t = *cur;
                *cur = e;
                e = t;
            } else {
                x[i]--;
            }
        }
    free(order);
    free(saving);
    mdi_opt_eval_fini(&e);
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
    for (size_t d = 0; o->roster && d < o->ndepts; d++)
        free(o->roster[d]);
    free(o->roster);
    free(o->need);
    free(o->shift_count);
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

int mdl_opt_raise(struct mdl_opt *o, const struct mdl_opt_input *in, const struct mdl_opt_config *cfg, int dept,
                  bool *raised, struct sim_err *err)
{
    struct mdi_opt_search st;
    mdi_opt_search_init(&st, in, cfg, o);
    size_t n = st.nd * st.nb, best = n;
    double best_gap = INFINITY;
    for (size_t i = 0; i < n; i++) {
        if ((dept >= 0 && o->depts[i / st.nb] != dept) || (o->roster ? o->need[i] : o->found[i]) >= st.hi)
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
        struct mdi_opt_eval e;
        mdi_opt_eval_init(&e, &st, 0);
        if (o->roster)   /* a roster: one more needed there, covered again */
            rc = mdi_opt_roster_raise(&st, best, &e, raised, err);
        else {
            o->found[best]++;
            rc = mdi_opt_evaluate(&st, o->found, "one more where weakest", &e, err);
        }
        if (!rc && *raised) {
            memcpy(o->level, e.level, n * sizeof *e.level);
            o->staff_cost = e.staff_cost;
            o->total_cost = e.total_cost;
        }
        mdi_opt_eval_fini(&e);
    }
    mdi_opt_search_fini(&st);
    return rc;
}

int mdl_optimise(const struct mdl_opt_input *in, const struct mdl_opt_config *cfg, struct mdl_opt **out,
                 struct sim_err *err)
{
    const struct mdl_scenario *s = in->base;
    struct mdi_opt_search st;
    struct mdl_opt *o;
    *out = NULL;
    set_bins(s, &o);
    mdi_opt_search_init(&st, in, cfg, o);
    size_t n = st.nd * st.nb;
    long *x = sim_xcalloc(n ? n : 1, sizeof *x);   /* zeroed: the LTO build cannot see n > 0 fills it */
    struct mdi_opt_eval e;
    mdi_opt_eval_init(&e, &st, 0);
    int rc;
    /* 1: the load, with every head count at its maximum */
    for (size_t i = 0; i < n; i++)
        x[i] = st.hi;
    if (!(rc = mdi_opt_evaluate(&st, x, "measuring the load", &e, err))) {
        memcpy(st.o->load, e.load, n * sizeof *e.load);
        bool possible = !mdi_opt_short_of(&st, &e, st.o->why_not, sizeof st.o->why_not);
        /* a class's drop-outs too many even with every head count at its
         * most: staffing the departments it may change cannot meet that
         * goal, so it is left aside (and said), not made a reason to staff
         * everything to the bound */
        if (!possible) {
            st.o->classes_aside = true;
            st.classes_aside = true;
            char aside[sizeof st.o->aside];
            snprintf(aside, sizeof aside, "%s", st.o->why_not);
            possible = !mdi_opt_short_of(&st, &e, st.o->why_not, sizeof st.o->why_not);
            if (possible)
                snprintf(st.o->aside, sizeof st.o->aside, "%s", aside);
            else
                st.o->classes_aside = st.classes_aside = false;
        }
        /* 2: square-root staffing of it */
        for (size_t i = 0; i < n; i++) {
            double load = e.load[i], beta = halfin_whitt_beta(1 - st.target[i / st.nb]);
            st.o->start[i] = load > 0 ? clamp((long)ceil(load + beta * sqrt(load)), st.lo, st.hi) : st.lo;
            x[i] = possible ? st.o->start[i] : st.hi;
        }
        /* 3 and 4 */
        if (possible && !(rc = add_until_met(&st, x, &e, err)))
            possible = !mdi_opt_short_of(&st, &e, st.o->why_not, sizeof st.o->why_not);
        if (possible && !rc)
            rc = trim(&st, x, &e, err);
        st.o->feasible = possible;
    }
    if (!rc)
        memcpy(st.o->found, x, n * sizeof *x);
    /* with candidate shifts: a roster covering what was found */
    if (!rc && st.o->feasible && s->optimise.nshifts)
        rc = mdi_opt_roster(&st, &e, err);
    if (!rc) {
        memcpy(st.o->level, e.level, n * sizeof *e.level);
        st.o->staff_cost = e.staff_cost;
        st.o->total_cost = e.total_cost;
        *out = st.o;
    } else {
        mdl_opt_destroy(st.o);
    }
    mdi_opt_eval_fini(&e);
    free(x);
    mdi_opt_search_fini(&st);
    return rc;
}
