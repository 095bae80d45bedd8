/* models/optimise_change.c — candidates near the optimiser's result (see
 * optimise.h, struct mdl_opt_change): the result with one person more or
 * fewer over a stretch of intervals, or on one candidate shift, written as
 * overrides for the final comparison, and made the result when it wins.
 */
#include "models/optimise_int.h"
#include "sim/mem.h"

#include <stdlib.h>
#include <string.h>

/* o's head counts, or roster counts, with ch made: a new array. */
static long *changed(const struct mdl_opt *o, size_t nshifts, const struct mdl_opt_change *ch)
{
    size_t n = ch->on_shift ? o->ndepts * nshifts : o->ndepts * o->nbins;
    long *x = sim_xmalloc((n ? n : 1) * sizeof *x);
    if (ch->on_shift) {
        memcpy(x, o->shift_count, n * sizeof *x);
        x[ch->dept * nshifts + ch->shift] += ch->change;
    } else {
        memcpy(x, o->found, n * sizeof *x);
        for (size_t b = ch->from_bin; b <= ch->to_bin; b++)
            x[ch->dept * o->nbins + b] += ch->change;
    }
    return x;
}

bool mdl_opt_change_allowed(const struct mdl_opt *o, const struct mdl_opt_input *in, const struct mdl_opt_config *cfg,
                            const struct mdl_opt_change *ch)
{
    const struct mdl_optimise *spec = &in->base->optimise;
    long *x = changed(o, spec->nshifts, ch);
    bool ok = true;
    if (ch->on_shift) {
        struct mdi_opt_search st;
        mdi_opt_search_init(&st, in, cfg, (struct mdl_opt *)o);
        ok = x[ch->dept * spec->nshifts + ch->shift] >= 0 && mdi_opt_roster_keeps_minimum(&st, x, ch->dept);
        mdi_opt_search_fini(&st);
    } else {
        for (size_t b = ch->from_bin; b <= ch->to_bin; b++)
            ok &= x[ch->dept * o->nbins + b] >= spec->staff_min && x[ch->dept * o->nbins + b] <= spec->staff_max;
    }
    free(x);
    return ok;
}

int mdl_opt_change_sets(const struct mdl_opt *o, const struct mdl_opt_input *in, const struct mdl_opt_config *cfg,
                        const struct mdl_opt_change *ch, char **sets, struct sim_err *err)
{
    struct mdi_opt_search st;
    mdi_opt_search_init(&st, in, cfg, (struct mdl_opt *)o);
    size_t nj = in->base->optimise.nshifts;
    long *x = changed(o, nj, ch);
    int rc = SIM_OK;
    for (size_t d = 0; d < o->ndepts; d++) {
        if (ch->on_shift)
            sets[d] = d == ch->dept ? mdi_opt_roster_set(&st, d, x + d * nj, err) : sim_xstrdup(o->roster[d]);
        else
            sets[d] = mdi_opt_heads_set(o, in->base, d, x);
        if (!sets[d])
            rc = err->code;
    }
    free(x);
    mdi_opt_search_fini(&st);
    return rc;
}

int mdl_opt_apply(struct mdl_opt *o, const struct mdl_opt_input *in, const struct mdl_opt_config *cfg,
                  const struct mdl_opt_change *ch, struct sim_err *err)
{
    char **sets = sim_xcalloc(o->ndepts ? o->ndepts : 1, sizeof *sets);
    int rc = mdl_opt_change_sets(o, in, cfg, ch, sets, err);
    struct mdi_opt_search st;
    mdi_opt_search_init(&st, in, cfg, o);
    struct mdi_opt_eval e;
    mdi_opt_eval_init(&e, &st, 0);
    if (!rc)
        rc = mdi_opt_evaluate_sets(&st, sets, "the final candidate", &e, err);
    if (!rc) {
        size_t nj = in->base->optimise.nshifts;
        long *x = changed(o, nj, ch);
        if (ch->on_shift) {
            memcpy(o->shift_count, x, o->ndepts * nj * sizeof *x);
            for (size_t d = 0; d < o->ndepts; d++) {
                free(o->roster[d]);
                o->roster[d] = sets[d];
                sets[d] = NULL;
            }
            mdi_opt_on_duty(&st, o->shift_count);
        } else {
            memcpy(o->found, x, o->ndepts * o->nbins * sizeof *x);
        }
        free(x);
        memcpy(o->level, e.level, o->ndepts * o->nbins * sizeof *e.level);
        o->staff_cost = e.staff_cost;
        o->total_cost = e.total_cost;
    }
    for (size_t d = 0; d < o->ndepts; d++)
        free(sets[d]);
    free(sets);
    mdi_opt_eval_fini(&e);
    mdi_opt_search_fini(&st);
    return rc;
}
