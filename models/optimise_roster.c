/* models/optimise_roster.c — a roster from candidate shifts (optimise.shifts;
 * see optimise.h and docs/optimise.md): the cheapest number of people on
 * each candidate shift whose presence covers each interval's requirement,
 * an integer program solved with GLPK; then the roster simulated, and
 * where a requirement still falls short the requirement there raised and
 * the program solved again (simulation-optimisation in the spirit of
 * Atlason, Epelman & Henderson); then one person fewer on each shift,
 * kept where every requirement still holds.
 *
 * A candidate's person covers an interval by the share of it the shift
 * spans, less the expected share of their break there: the people of one
 * shift take their breaks at times staggered evenly over a window around
 * the middle of the shift (mdl_opt_break_window), so the break minutes
 * are spread over the window.
 */
#include "models/optimise_int.h"
#include "models/yemit.h"
#include "sim/mem.h"

#include <glpk.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The break window of candidate sh (optimise.h): two hours (or the break's length, if
 * longer; or the shift's middle half, if shorter) centred on the middle of
 * the shift, in whole minutes. */
void mdl_opt_break_window(const struct mdl_opt_shift *sh, double *from, double *to)
{
    double w = fmax(sh->break_dur, fmin(120, sh->length_dur / 2));
    *from = round(sh->start_at + (sh->length_dur - w) / 2);
    *to = *from + w;
}

static double overlap(double a0, double a1, double b0, double b1)
{
    double lo = fmax(a0, b0), hi = fmin(a1, b1);
    return hi > lo ? hi - lo : 0;
}

int mdl_opt_cover(size_t nshifts, size_t nbins, const double *cover, const double *cost, const double *need,
                  long *count, bool *feasible, struct sim_err *err)
{
    *feasible = false;
    glp_term_out(GLP_OFF);
    glp_prob *lp = glp_create_prob();
    glp_set_obj_dir(lp, GLP_MIN);
    glp_add_rows(lp, (int)nbins);
    glp_add_cols(lp, (int)nshifts);
    for (size_t b = 0; b < nbins; b++)
        glp_set_row_bnds(lp, (int)b + 1, need[b] > 0 ? GLP_LO : GLP_FR, need[b], 0);
    size_t nz = 0;
    int *ia = sim_xmalloc((nshifts * nbins + 1) * sizeof *ia), *ja = sim_xmalloc((nshifts * nbins + 1) * sizeof *ja);
    double *ar = sim_xmalloc((nshifts * nbins + 1) * sizeof *ar);
    for (size_t j = 0; j < nshifts; j++) {
        glp_set_col_kind(lp, (int)j + 1, GLP_IV);
        glp_set_col_bnds(lp, (int)j + 1, GLP_LO, 0, 0);
        glp_set_obj_coef(lp, (int)j + 1, cost[j]);
        for (size_t b = 0; b < nbins; b++)
            if (cover[j * nbins + b] != 0) {
                nz++;
                ia[nz] = (int)b + 1;
                ja[nz] = (int)j + 1;
                ar[nz] = cover[j * nbins + b];
            }
    }
    glp_load_matrix(lp, (int)nz, ia, ja, ar);
    glp_iocp parm;
    glp_init_iocp(&parm);
    parm.presolve = GLP_ON;
    parm.msg_lev = GLP_MSG_OFF;
    parm.tm_lim = 20000;   /* ms: a day's cover is small; this only bounds a pathological one */
    int rc = glp_intopt(lp, &parm), status = glp_mip_status(lp);
    int code = SIM_OK;
    if ((rc == 0 || rc == GLP_ETMLIM) && (status == GLP_OPT || status == GLP_FEAS)) {
        *feasible = true;
        for (size_t j = 0; j < nshifts; j++)
            count[j] = lround(glp_mip_col_val(lp, (int)j + 1));
    } else if (!(rc == GLP_ENOPFS || rc == GLP_ENODFS || status == GLP_NOFEAS || (rc == 0 && status == GLP_UNDEF))) {
        code = sim_err_set(err, SIM_EINTERNAL, "the roster's integer program failed (GLPK glp_intopt %d, status %d)",
                           rc, status);
    }
    glp_delete_prob(lp);
    glp_free_env();
    free(ia);
    free(ja);
    free(ar);
    return code;
}

/* Department d's cover matrix [j * nb + b] and cost per person [j]. */
static void matrix(const struct mdi_opt_search *st, size_t d, double *cover, double *cost)
{
    const struct mdl_scenario *s = st->in->base;
    const struct mdl_optimise *spec = &s->optimise;
    const struct mdl_dept *dept = &s->depts[st->o->depts[d]];
    for (size_t j = 0; j < spec->nshifts; j++) {
        const struct mdl_opt_shift *sh = &spec->shifts[j];
        double end = sh->start_at + sh->length_dur, wf, wt;
        mdl_opt_break_window(sh, &wf, &wt);
        for (size_t b = 0; b < st->nb; b++) {
            double b0 = st->o->from_at[b], b1 = st->o->to_at[b], len = b1 - b0;
            double present = overlap(sh->start_at, end, b0, b1);
            double away = sh->break_dur > 0 ? sh->break_dur * overlap(wf, wt, b0, b1) / (wt - wf) : 0;
            cover[j * st->nb + b] = (present - away) / len;
        }
        double paid = sh->length_dur - (dept->crew.paid_breaks ? 0 : sh->break_dur);
        /* a ten-thousandth per minute breaks ties towards fewer people's hours when pay is nil */
        cost[j] = dept->crew.cost_per_hour * paid / 60 + 1e-4 * paid;
    }
}

/* See optimise_int.h. */
char *mdi_opt_roster_set(const struct mdi_opt_search *st, size_t d, const long *counts, struct sim_err *err)
{
    const struct mdl_scenario *s = st->in->base;
    const struct mdl_optimise *spec = &s->optimise;
    const struct mdl_dept *dept = &s->depts[st->o->depts[d]];
    const struct mdl_ynode *depts = mdl_ynode_get(mdl_scenario_document(s), "departments");
    const struct mdl_ynode *node = depts ? mdl_ynode_get(depts, dept->name) : NULL;
    static const char *const skip[] = {"staff", "shifts", NULL};
    char *rest = NULL;
    if (!node || mdl_yemit_flow(node, skip, &rest, err)) {
        if (!err->code)
            sim_err_set(err, SIM_EINTERNAL, "department %s is not in the scenario's document", dept->name);
        return NULL;
    }
    size_t people = 0;
    for (size_t j = 0; j < spec->nshifts; j++)
        people += (size_t)counts[j] + 1;
    size_t cap = strlen(rest) + strlen(dept->name) + 64 + people * 160, used = 0;
    char *buf = sim_xmalloc(cap);
    /* rest is "{...}" (or "{}"): the shifts go in before its closing brace */
    size_t rl = strlen(rest);
    used += (size_t)snprintf(buf, cap, "departments.%s=%.*s%sshifts: [", dept->name, (int)(rl - 1), rest,
                             rl > 2 ? ", " : "");
    bool any = false;
    for (size_t j = 0; j < spec->nshifts; j++) {
        if (counts[j] == 0 && (any || j + 1 < spec->nshifts))
            continue;   /* nobody on it (the last is kept, with nobody, when no shift has anyone) */
        const struct mdl_opt_shift *sh = &spec->shifts[j];
        char from[16], to[16], at[16];
        mdi_opt_clock(sh->start_at, from, sizeof from);
        mdi_opt_clock(sh->start_at + sh->length_dur, to, sizeof to);
        if (sh->break_dur == 0 || counts[j] == 0) {
            used += (size_t)snprintf(buf + used, cap - used, "%s{name: \"%s-%s\", start: \"%s\", end: \"%s\", "
                                     "count: %ld}", any ? ", " : "", from, to, from, to, counts[j]);
            any = true;
            continue;
        }
        /* breaks staggered over the window, so that the people of one shift
         * never all leave at once: person i at an even step, to 5 minutes */
        double wfrom, wto, last = -1;
        mdl_opt_break_window(sh, &wfrom, &wto);
        for (long i = 0; i < counts[j]; i++) {
            double span = wto - wfrom - sh->break_dur;
            double t = counts[j] == 1 ? wfrom + span / 2 : wfrom + span * (double)i / (double)(counts[j] - 1);
            t = fmin(wto - sh->break_dur, fmax(wfrom, 5 * round(t / 5)));
            if (t == last)
                continue;   /* counted with the one before */
            long same = 1;
            for (long k = i + 1; k < counts[j]; k++) {
                double u = wfrom + span * (double)k / (double)(counts[j] - 1);
                if (fmin(wto - sh->break_dur, fmax(wfrom, 5 * round(u / 5))) == t)
                    same++;
            }
            last = t;
            mdi_opt_clock(t, at, sizeof at);
            used += (size_t)snprintf(buf + used, cap - used, "%s{name: \"%s-%s, break %s\", start: \"%s\", "
                                     "end: \"%s\", count: %ld, break: {at: \"%s\", length: %.0f}}",
                                     any ? ", " : "", from, to, at, from, to, same, at, sh->break_dur);
            any = true;
        }
    }
    snprintf(buf + used, cap - used, "]}");
    free(rest);
    return buf;
}

/* Solves every department's cover of need; false in *feasible (and why in
 * the result) when some interval's need no candidate can cover. */
static int solve(struct mdi_opt_search *st, const long *need, long *counts, bool *feasible, struct sim_err *err)
{
    const struct mdl_optimise *spec = &st->in->base->optimise;
    size_t nj = spec->nshifts, nb = st->nb;
    double *cover = sim_xmalloc(nj * nb * sizeof *cover), *cost = sim_xmalloc(nj * sizeof *cost);
    double *want = sim_xmalloc(nb * sizeof *want);
    int rc = SIM_OK;
    *feasible = true;
    for (size_t d = 0; d < st->nd && !rc && *feasible; d++) {
        matrix(st, d, cover, cost);
        for (size_t b = 0; b < nb; b++)
            want[b] = (double)need[d * nb + b];
        rc = mdl_opt_cover(nj, nb, cover, cost, want, counts + d * nj, feasible, err);
        if (!rc && !*feasible)
            snprintf(st->o->why_not, sizeof st->o->why_not, "no roster of the candidate shifts covers what %s needs "
                     "(a shift must span every interval where someone is needed)",
                     st->in->base->depts[st->o->depts[d]].name);
    }
    free(cover);
    free(cost);
    free(want);
    return rc;
}

/* Simulates the roster counts into e; the roster's overrides go to o. */
static int evaluate_roster(struct mdi_opt_search *st, const long *counts, const char *stage, struct mdi_opt_eval *e,
                           struct sim_err *err)
{
    size_t nj = st->in->base->optimise.nshifts;
    char **sets = sim_xcalloc(st->nd, sizeof *sets);
    int rc = SIM_OK;
    for (size_t d = 0; d < st->nd && !rc; d++)
        if (!(sets[d] = mdi_opt_roster_set(st, d, counts + d * nj, err)))
            rc = err->code;
    if (!rc)
        rc = mdi_opt_evaluate_sets(st, sets, stage, e, err);
    if (!rc) {
        for (size_t d = 0; d < st->nd; d++) {
            free(st->o->roster[d]);
            st->o->roster[d] = sets[d];
        }
    } else {
        for (size_t d = 0; d < st->nd; d++)
            free(sets[d]);
    }
    free(sets);
    return rc;
}

/* People of department d (among o's) on duty at the start of interval b
 * under roster counts, breaks aside. */
static long on_duty_at(const struct mdi_opt_search *st, const long *counts, size_t d, size_t b)
{
    const struct mdl_optimise *spec = &st->in->base->optimise;
    long n = 0;
    for (size_t j = 0; j < spec->nshifts; j++) {
        const struct mdl_opt_shift *sh = &spec->shifts[j];
        if (sh->start_at <= st->o->from_at[b] && st->o->from_at[b] < sh->start_at + sh->length_dur)
            n += counts[d * spec->nshifts + j];
    }
    return n;
}

void mdi_opt_on_duty(struct mdi_opt_search *st, const long *counts)
{
    for (size_t d = 0; d < st->nd; d++)
        for (size_t b = 0; b < st->nb; b++)
            st->o->found[d * st->nb + b] = on_duty_at(st, counts, d, b);
}

/* What the search minimises, on e. */
static double objective_of(const struct mdi_opt_search *st, const struct mdi_opt_eval *e)
{
    return st->in->base->optimise.objective == MDL_OBJ_TOTAL_COST ? e->total_cost : e->staff_cost;
}

/* Raises the need wherever e is short (every short interval, or for a
 * class's drop-outs the weakest); false when nothing could be raised. */
static bool raise_need(const struct mdi_opt_search *st, const struct mdi_opt_eval *e, long *need)
{
    const struct mdl_scenario *s = st->in->base;
    size_t n = st->nd * st->nb, weakest = n;
    bool raised = false;
    for (size_t i = 0; i < n; i++) {
        double gap = e->level[i] - st->target[i / st->nb];
        if (isnan(e->level[i]) || need[i] >= st->hi)
            continue;
        if (gap < 0) {
            need[i]++;
            raised = true;
        }
        if (weakest == n || gap < e->level[weakest] - st->target[weakest / st->nb])
            weakest = i;
    }
    bool dropouts = e->overloaded;
    for (size_t c = 0; c < s->nclasses; c++)
        dropouts |= !st->classes_aside && !isnan(s->classes[c].max_dropout) && e->drops[c] > s->classes[c].max_dropout;
    if (!raised && dropouts && weakest < n) {
        need[weakest]++;
        raised = true;
    }
    return raised;
}

bool mdi_opt_roster_keeps_minimum(const struct mdi_opt_search *st, const long *counts, size_t d)
{
    const struct mdl_optimise *spec = &st->in->base->optimise;
    long anyone = 0;
    for (size_t j = 0; j < spec->nshifts; j++)
        anyone += counts[d * spec->nshifts + j];
    if (anyone < 1)
        return false;   /* a department nobody works at is no department */
    for (size_t b = 0; b < st->nb; b++) {
        if (on_duty_at(st, counts, d, b) < st->lo)
            return false;
    }
    return true;
}

int mdi_opt_roster(struct mdi_opt_search *st, struct mdi_opt_eval *e, struct sim_err *err)
{
    struct mdl_opt *o = st->o;
    size_t nj = st->in->base->optimise.nshifts, n = st->nd * st->nb;
    o->roster = sim_xcalloc(st->nd, sizeof *o->roster);
    o->need = sim_xmalloc((n ? n : 1) * sizeof *o->need);
    o->shift_count = sim_xcalloc(st->nd * nj, sizeof *o->shift_count);
    memcpy(o->need, o->found, n * sizeof *o->need);   /* the head counts found: the first requirement */
    int rc = SIM_OK;
    bool feasible = false, covered = true;
    for (int round = 0; round < 60 && !rc; round++) {
        if ((rc = solve(st, o->need, o->shift_count, &covered, err)) || !covered) {
            feasible = false;
            break;
        }
        if ((rc = evaluate_roster(st, o->shift_count, "a roster covering the need", e, err)))
            break;
        feasible = !mdi_opt_short_of(st, e, o->why_not, sizeof o->why_not);
        if (feasible || !raise_need(st, e, o->need))
            break;
    }
    /* one person fewer on a shift, where every requirement still holds and
     * the staff cost does not rise; in passes until one changes nothing */
    if (!rc && feasible) {
        struct mdi_opt_eval t;
        mdi_opt_eval_init(&t, st, 0);
        bool changed = true;
        for (int pass = 0; pass < 6 && changed && !rc; pass++) {
          changed = false;
          for (size_t d = 0; d < st->nd && !rc; d++)
            for (size_t k = 0; k < nj && !rc; k++) {
                size_t j = nj - 1 - k;
                long *c = &o->shift_count[d * nj + j];
                if (*c == 0)
                    continue;
                (*c)--;
                if (!mdi_opt_roster_keeps_minimum(st, o->shift_count, d)) {   /* below staff.min somewhere */
                    (*c)++;
                    continue;
                }
                char *kept = sim_xstrdup(o->roster[d]);
                if ((rc = evaluate_roster(st, o->shift_count, "one fewer on a shift", &t, err))) {
                    free(kept);
                    break;
                }
                if (!mdi_opt_short_of(st, &t, NULL, 0) && objective_of(st, &t) <= objective_of(st, e)) {
                    struct mdi_opt_eval x = *e;
                    *e = t;
                    t = x;
                    free(kept);
                    changed = true;
                } else {
                    (*c)++;
                    free(o->roster[d]);
                    o->roster[d] = kept;
                }
            }
        }
        mdi_opt_eval_fini(&t);
    }
    if (!rc && !covered) {
        /* no roster of the candidates covers the need: the answer is the
         * head counts found, said as such (o->why_not says which department) */
        for (size_t d = 0; d < st->nd; d++)
            free(o->roster[d]);
        free(o->roster);
        o->roster = NULL;
    } else if (!rc) {
        mdi_opt_on_duty(st, o->shift_count);
    }
    o->feasible = feasible;
    return rc;
}

int mdi_opt_roster_raise(struct mdi_opt_search *st, size_t cell, struct mdi_opt_eval *e, bool *raised,
                         struct sim_err *err)
{
    struct mdl_opt *o = st->o;
    *raised = false;
    if (o->need[cell] >= st->hi)
        return SIM_OK;
    o->need[cell]++;
    bool feasible;
    int rc = solve(st, o->need, o->shift_count, &feasible, err);
    if (!rc && feasible && !(rc = evaluate_roster(st, o->shift_count, "one more where weakest", e, err))) {
        mdi_opt_on_duty(st, o->shift_count);
        *raised = true;
    }
    return rc;
}
