/* models/check_appointments.c — a class's appointment book, read and
 * checked (spec §2a; see check_int.h).
 *
 * `arrivals: {appointments: BLOCK}`, or a list of blocks, each {from, to,
 * every, per_slot, no_show, punctuality}: slots at from, from + every, ...
 * up to and including `to`, which must be one of them (a `to` between two
 * slots is refused, naming both: "from 09:30 to 16:30 every 60" is eight
 * slots, and nobody has to guess whether 16:30 is one). Slots are whole
 * minutes within the opening hours (open <= slot < close: nobody is booked
 * when the business is closed); blocks come in order of time and share no
 * slot. Only a business day has appointments: a steady-state run has no time
 * of day. Punctuality is an offset, read by mdl_yread_offset: it may be
 * negative (early).
 *
 * What happens to a customer who comes before opening or after closing is
 * the model's rule (models/flow_arrivals.c), not the checker's.
 */
#include "models/check_int.h"

#include <math.h>
#include <stdio.h>

/* "HH:MM" of a time of day in whole minutes. */
static void hhmm(char buf[8], double at)
{
    int m = (int)at;
    snprintf(buf, 8, "%02d:%02d", (m / 60) % 100, m % 60);
}

static int read_block(struct mdi_check *b, const struct mdl_ynode *n, const char *what, struct mdl_appt_block *blk)
{
    static const char *keys[] = {"from", "to", "every", "per_slot", "no_show", "punctuality"};
    struct mdl_yread *r = &b->r;
    const struct mdl_scenario *s = b->s;
    if (mdl_yread_map(r, n, what, keys, sizeof keys / sizeof keys[0]))
        return r->err->code;
    const struct mdl_ynode *from = mdl_ynode_get(n, "from"), *to = mdl_ynode_get(n, "to");
    const struct mdl_ynode *every = mdl_ynode_get(n, "every"), *per = mdl_ynode_get(n, "per_slot");
    const struct mdl_ynode *no_show = mdl_ynode_get(n, "no_show"), *punct = mdl_ynode_get(n, "punctuality");
    char kwhat[256], a[8], z[8];
    if (!from)
        return mdl_yread_fail(r, n, "%s needs from: (the first slot, as \"09:30\")", what);
    snprintf(kwhat, sizeof kwhat, "from of %.160s", what);
    if (mdl_yread_clock(r, from, kwhat, &blk->from_at))
        return r->err->code;
    blk->to_at = blk->from_at;
    snprintf(kwhat, sizeof kwhat, "to of %.160s", what);
    if (to && mdl_yread_clock(r, to, kwhat, &blk->to_at))
        return r->err->code;
    hhmm(a, blk->from_at);
    hhmm(z, blk->to_at);
    if (blk->from_at < s->open_at) {
        char open[8];
        hhmm(open, s->open_at);
        return mdl_yread_fail(r, from, "%s: the first slot (%s) is before opening (%s)", what, a, open);
    }
    if (blk->to_at < blk->from_at)
        return mdl_yread_fail(r, to, "%s: to (%s) is before from (%s)", what, z, a);
    if (blk->to_at >= s->close_at) {
        char close[8];
        hhmm(close, s->close_at);
        return mdl_yread_fail(r, to ? to : from, "%s: the last slot (%s) must be before closing (%s): nobody is "
                              "booked when the business is closed", what, z, close);
    }
    long step = 1440;
    snprintf(kwhat, sizeof kwhat, "every of %.160s (minutes from one slot to the next)", what);
    if (every && mdl_yread_whole(r, every, kwhat, 1, 1440, &step))
        return r->err->code;
    if (!every && blk->to_at > blk->from_at)
        return mdl_yread_fail(r, n, "%s needs every: (the minutes from one slot to the next) for its slots from %s "
                              "to %s", what, a, z);
    blk->every_dur = (double)step;
    double over = fmod(blk->to_at - blk->from_at, blk->every_dur);
    if (over != 0) {
        char before[8], after[8];
        hhmm(before, blk->to_at - over);
        hhmm(after, blk->to_at - over + blk->every_dur);
        return mdl_yread_fail(r, to, "%s: to (%s) is not a slot: from %s every %ld minutes the slots fall at %s "
                              "and %s (to is the last slot)", what, z, a, step, before, after);
    }
    blk->per_slot = 1;
    snprintf(kwhat, sizeof kwhat, "per_slot of %.160s (customers booked a slot)", what);
    if (per && mdl_yread_whole(r, per, kwhat, 0, MDL_APPT_PER_SLOT_MAX, &blk->per_slot))
        return r->err->code;
    blk->no_show = 0;
    snprintf(kwhat, sizeof kwhat, "no_show of %.160s (the chance a booked customer does not come)", what);
    if (no_show && mdl_yread_number(r, no_show, kwhat, 0, 1, &blk->no_show))
        return r->err->code;
    blk->punctuality = NULL;
    if (punct) {
        struct sim_dist *d = mdi_scenario_new_dist(b->si);
        snprintf(kwhat, sizeof kwhat, "punctuality of %.160s", what);
        if (mdl_yread_offset(r, punct, kwhat, d))
            return r->err->code;
        blk->punctuality = d;
    }
    return SIM_OK;
}

int mdi_check_appointments(struct mdi_check *b, struct mdl_class *c, const struct mdl_ynode *n)
{
    struct mdl_yread *r = &b->r;
    char what[128];
    snprintf(what, sizeof what, "appointments of %s", c->name);
    if (!b->s->is_day)
        return mdl_yread_fail(r, n, "%s needs a business day (day:): a steady-state run has no time of day "
                              "for its slots", what);
    if (n->kind == MDL_Y_SEQ && n->n == 0)
        return mdl_yread_fail(r, n, "%s is an empty list: give a block {from, to, every, ...}, or a list of them",
                              what);
    if (n->kind != MDL_Y_SEQ && n->kind != MDL_Y_MAP)
        return mdl_yread_fail(r, n, "%s must be a block such as {from: \"09:30\", to: \"16:30\", every: 60}, or a "
                              "list of them", what);
    c->nappt = n->kind == MDL_Y_SEQ ? n->n : 1;
    c->appt = sim_arena_alloc(b->si->arena, c->nappt * sizeof *c->appt);
    for (size_t k = 0; k < c->nappt; k++) {
        const struct mdl_ynode *bn = n->kind == MDL_Y_SEQ ? n->items[k] : n;
        char bwhat[160];
        if (n->kind == MDL_Y_SEQ)
            snprintf(bwhat, sizeof bwhat, "%s (block %zu)", what, k + 1);
        else
            snprintf(bwhat, sizeof bwhat, "%s", what);
        if (read_block(b, bn, bwhat, &c->appt[k]))
            return r->err->code;
        if (k > 0 && c->appt[k].from_at <= c->appt[k - 1].to_at) {
            char a[8], z[8];
            hhmm(a, c->appt[k].from_at);
            hhmm(z, c->appt[k - 1].to_at);
            return mdl_yread_fail(r, mdl_ynode_get(bn, "from"), "%s: its first slot (%s) is not after the last slot "
                                  "of block %zu (%s): give blocks in order of time, no slot in two", bwhat, a, k,
                                  z);
        }
    }
    c->arrivals = MDL_ARR_APPOINTMENTS;
    return SIM_OK;
}
