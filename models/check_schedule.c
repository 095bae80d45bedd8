/* models/check_schedule.c — a number, or a schedule by time of day, read
 * and checked (staff counts, arrival rates); see check_int.h. */
#include "models/check_int.h"

#include <stdio.h>

int mdi_check_schedule(struct mdi_check *b, const struct mdl_ynode *n, const char *what, const char *key, double lo,
                       double hi, bool whole, struct mdl_step **steps, size_t *nsteps)
{
    struct mdl_yread *r = &b->r;
    struct mdl_scenario *s = b->s;
    if (n->kind != MDL_Y_SEQ) {
        double v;
        long w;
        if (whole ? mdl_yread_whole(r, n, what, (long)lo, (long)hi, &w) : mdl_yread_number(r, n, what, lo, hi, &v))
            return r->err->code;
        *steps = sim_arena_alloc(b->si->arena, sizeof **steps);
        (*steps)[0] = (struct mdl_step){s->is_day ? s->open_at : 0, whole ? (double)w : v};
        *nsteps = 1;
        return SIM_OK;
    }
    if (!s->is_day)
        return mdl_yread_fail(r, n, "%s: a schedule by time of day needs a day (this scenario has run:); "
                                    "give one number", what);
    if (n->n == 0)
        return mdl_yread_fail(r, n, "%s: the schedule lists no times", what);
    *steps = sim_arena_alloc(b->si->arena, n->n * sizeof **steps);
    const char *keys[] = {"at", key};
    for (size_t i = 0; i < n->n; i++) {
        const struct mdl_ynode *item = n->items[i];
        char iwhat[160];
        snprintf(iwhat, sizeof iwhat, "step %zu of %s", i + 1, what);
        if (mdl_yread_map(r, item, iwhat, keys, 2))
            return r->err->code;
        const struct mdl_ynode *at = mdl_ynode_get(item, "at"), *val = mdl_ynode_get(item, key);
        if (!at || !val)
            return mdl_yread_fail(r, item, "%s needs both at: and %s:", iwhat, key);
        double t, v;
        long w;
        if (mdl_yread_clock(r, at, iwhat, &t))
            return r->err->code;
        if (t < s->open_at || t >= s->close_at)
            return mdl_yread_fail(r, at, "%s is at %s, outside the day (%02d:%02d to %02d:%02d)", iwhat, at->text,
                                  (int)s->open_at / 60, (int)s->open_at % 60, (int)s->close_at / 60,
                                  (int)s->close_at % 60);
        if (i > 0 && t <= (*steps)[i - 1].at)
            return mdl_yread_fail(r, at, "%s is at %s, not after the step before it: list steps in time order",
                                  iwhat, at->text);
        snprintf(iwhat, sizeof iwhat, "%s of step %zu of %s", key, i + 1, what);
        if (whole ? mdl_yread_whole(r, val, iwhat, (long)lo, (long)hi, &w) : mdl_yread_number(r, val, iwhat, lo, hi, &v))
            return r->err->code;
        (*steps)[i] = (struct mdl_step){t, whole ? (double)w : v};
    }
    *nsteps = n->n;
    return SIM_OK;
}
