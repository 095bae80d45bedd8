/* models/compare.c — paired differences between plans (see compare.h). */
#include "models/compare.h"
#include "sim/ci.h"

#include <math.h>
#include <string.h>

static const struct out_scope *same_scope(const struct out_plan *p, const struct out_scope *sc)
{
    for (size_t i = 0; i < p->nscopes; i++)
        if (p->scopes[i].kind == sc->kind && !strcmp(p->scopes[i].name, sc->name))
            return &p->scopes[i];
    return NULL;
}

void mdl_compare_plan(const struct out_plan *base, struct out_plan *plan, unsigned reps, struct sim_arena *arena)
{
    double *d = sim_arena_alloc(arena, (reps ? reps : 1) * sizeof *d);
    for (size_t i = 0; i < plan->nscopes; i++) {
        struct out_scope *sc = &plan->scopes[i];
        const struct out_scope *bs = same_scope(base, sc);
        if (!bs)
            continue;
        for (size_t m = 0; m < sc->nmetrics; m++) {
            struct out_metric *mt = &sc->metrics[m];
            const struct out_metric *bm = out_report_metric(bs, mt->name);
            if (!bm || !bm->values || !mt->values)
                continue;
            /* A pair with a side not measured is no pair: NaN, skipped. */
            for (unsigned r = 0; r < reps; r++)
                d[r] = mt->values[r] - bm->values[r];
            struct sim_ci ci = sim_ci_student(d, reps, 0.95);
            struct out_stat *st = sim_arena_alloc(arena, sizeof *st);
            *st = (struct out_stat){ci.mean, ci.lo, ci.hi, ci.sd, ci.n};
            mt->diff = st;
        }
    }
}
