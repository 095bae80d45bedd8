/* models/check_staff.c — who serves, read and checked (spec §2, §2a; see
 * check_int.h): a department's own staff and the cross-trained pools.
 *
 * Staff are a head count (`staff:` a number, or a schedule by time of day)
 * or people on shifts (`shifts:`: a name, start, end, count and breaks, at a
 * fixed time or in a window), with `paid_breaks` and `cost_per_hour`. The
 * head count that shifts give (fixed breaks taken out, windows left in) is
 * kept as the crew's schedule, so that every later check and description
 * reads one form. Pools name the departments they serve, each at most once.
 * Every mistake is located at the value that makes it.
 */
#include "models/check_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "HH:MM" of minutes after midnight, for messages. */
static const char *hhmm(char *buf, size_t len, double t)
{
    snprintf(buf, len, "%02d:%02d", (int)t / 60, (int)t % 60);
    return buf;
}

/* One break of a shift: {at, length} or {from, to, length}. */
static int read_break(struct mdi_check *b, const struct mdl_ynode *n, const char *what, const struct mdl_shift *sh,
                      struct mdl_break *out)
{
    static const char *keys[] = {"at", "from", "to", "length"};
    struct mdl_yread *r = &b->r;
    if (mdl_yread_map(r, n, what, keys, 4))
        return r->err->code;
    const struct mdl_ynode *at = mdl_ynode_get(n, "at"), *from = mdl_ynode_get(n, "from"),
                           *to = mdl_ynode_get(n, "to"), *len = mdl_ynode_get(n, "length");
    if (!len)
        return mdl_yread_fail(r, n, "%s needs length: (minutes)", what);
    if (at ? (from || to) : !(from && to))
        return mdl_yread_fail(r, n, "%s: give at: (a fixed time) or from: and to: (a window in which it is "
                                    "taken when the person is free)", what);
    char lwhat[300], a[32], z[32];
    snprintf(lwhat, sizeof lwhat, "length of %s", what);
    if (mdl_yread_number(r, len, lwhat, 1, 24 * 60, &out->length_dur))
        return r->err->code;
    out->window = !at;
    if (at) {
        if (mdl_yread_clock(r, at, what, &out->from_at))
            return r->err->code;
        out->to_at = out->from_at;
    } else if (mdl_yread_clock(r, from, what, &out->from_at) || mdl_yread_clock(r, to, what, &out->to_at)) {
        return r->err->code;
    }
    const struct mdl_ynode *where = at ? at : from;
    if (out->window && out->to_at <= out->from_at)
        return mdl_yread_fail(r, to, "%s: its window ends at %s, not after it opens (%s)", what,
                              hhmm(z, sizeof z, out->to_at), hhmm(a, sizeof a, out->from_at));
    if (out->window && out->length_dur > out->to_at - out->from_at)
        return mdl_yread_fail(r, len, "%s: a break of %g minutes does not fit its window (%s to %s)", what,
                              out->length_dur, hhmm(a, sizeof a, out->from_at), hhmm(z, sizeof z, out->to_at));
    double last = out->window ? out->to_at : out->from_at + out->length_dur;
    if (out->from_at < sh->start_at || last > sh->end_at)
        return mdl_yread_fail(r, where, "%s is outside its shift (%s to %s)", what, hhmm(a, sizeof a, sh->start_at),
                              hhmm(z, sizeof z, sh->end_at));
    return SIM_OK;
}

/* The latest instant a break may start: its time, or its window's close
 * less its length. */
static double latest_start(const struct mdl_break *br)
{
    return br->window ? br->to_at - br->length_dur : br->from_at;
}

static int read_shift(struct mdi_check *b, const struct mdl_ynode *n, const char *owner, size_t i,
                      struct mdl_shift *sh)
{
    static const char *keys[] = {"name", "start", "end", "count", "break"};
    struct mdl_yread *r = &b->r;
    const struct mdl_scenario *s = b->s;
    char what[200], a[32], z[32];
    snprintf(what, sizeof what, "shift %zu of %s", i + 1, owner);
    if (mdl_yread_map(r, n, what, keys, 5))
        return r->err->code;
    const struct mdl_ynode *name = mdl_ynode_get(n, "name"), *start = mdl_ynode_get(n, "start"),
                           *end = mdl_ynode_get(n, "end"), *count = mdl_ynode_get(n, "count");
    if (!start || !end || !count)
        return mdl_yread_fail(r, n, "%s needs start:, end: and count:", what);
    if (name) {
        if (mdl_yread_text(r, name, what, &sh->name))
            return r->err->code;
        snprintf(what, sizeof what, "shift %s of %s", sh->name, owner);
    } else {
        char *made = sim_arena_alloc(b->si->arena, 32);
        snprintf(made, 32, "shift %zu", i + 1);
        sh->name = made;
    }
    if (mdl_yread_clock(r, start, what, &sh->start_at) || mdl_yread_clock(r, end, what, &sh->end_at))
        return r->err->code;
    if (sh->end_at <= sh->start_at)
        return mdl_yread_fail(r, end, "%s ends at %s, not after it starts (%s)", what, hhmm(z, sizeof z, sh->end_at),
                              hhmm(a, sizeof a, sh->start_at));
    if (sh->end_at <= s->open_at)
        return mdl_yread_fail(r, end, "%s ends at %s, before the day opens (%s)", what, hhmm(z, sizeof z, sh->end_at),
                              hhmm(a, sizeof a, s->open_at));
    if (sh->start_at >= s->close_at)
        return mdl_yread_fail(r, start, "%s starts at %s, when the day has closed (%s)", what,
                              hhmm(a, sizeof a, sh->start_at), hhmm(z, sizeof z, s->close_at));
    char cwhat[220];
    snprintf(cwhat, sizeof cwhat, "count of %s", what);
    if (mdl_yread_whole(r, count, cwhat, 0, MDL_MAX_STAFF, &sh->count))
        return r->err->code;
    const struct mdl_ynode *brk = mdl_ynode_get(n, "break");
    if (!brk)
        return SIM_OK;
    /* one break, or a list of them in time order */
    size_t nb = brk->kind == MDL_Y_SEQ ? brk->n : 1;
    if (nb == 0 || nb > MDL_MAX_BREAKS)
        return mdl_yread_fail(r, brk, "%s: give from 1 to %d breaks", what, MDL_MAX_BREAKS);
    sh->breaks = sim_arena_alloc(b->si->arena, nb * sizeof *sh->breaks);
    for (size_t k = 0; k < nb; k++) {
        const struct mdl_ynode *bn = brk->kind == MDL_Y_SEQ ? brk->items[k] : brk;
        char bwhat[240];
        if (nb == 1)
            snprintf(bwhat, sizeof bwhat, "the break of %s", what);
        else
            snprintf(bwhat, sizeof bwhat, "break %zu of %s", k + 1, what);
        if (read_break(b, bn, bwhat, sh, &sh->breaks[k]))
            return r->err->code;
        if (k > 0 && sh->breaks[k].from_at < latest_start(&sh->breaks[k - 1]) + sh->breaks[k - 1].length_dur)
            return mdl_yread_fail(r, bn, "%s may start before the break before it ends: list breaks in time order, "
                                         "apart", bwhat);
    }
    sh->nbreaks = nb;
    return SIM_OK;
}

/* A change of the head count by `delta` at instant at. */
struct change {
    double at;
    double delta;
};

static int by_time(const void *a, const void *b)
{
    const struct change *x = a, *y = b;
    return x->at < y->at ? -1 : x->at > y->at;
}

/* The head count the shifts give, as a schedule from the opening on:
 * people on shift, less those on a break at a fixed time (a window's break
 * may be taken any time in it: not taken out). */
static void head_count(struct mdi_check *b, struct mdl_crew *crew)
{
    const struct mdl_scenario *s = b->s;
    size_t n = 0, cap = 2;
    for (size_t i = 0; i < crew->nshifts; i++)
        cap += 2 + 2 * crew->shifts[i].nbreaks;
    struct change *ch = sim_xmalloc(cap * sizeof *ch);
    for (size_t i = 0; i < crew->nshifts; i++) {
        const struct mdl_shift *sh = &crew->shifts[i];
        double k = (double)sh->count;
        ch[n++] = (struct change){sh->start_at, k};
        ch[n++] = (struct change){sh->end_at, -k};
        for (size_t j = 0; j < sh->nbreaks; j++)
            if (!sh->breaks[j].window) {
                ch[n++] = (struct change){sh->breaks[j].from_at, -k};
                ch[n++] = (struct change){sh->breaks[j].from_at + sh->breaks[j].length_dur, k};
            }
    }
    qsort(ch, n, sizeof *ch, by_time);
    crew->staff = sim_arena_alloc(b->si->arena, (n + 1) * sizeof *crew->staff);
    crew->nstaff = 0;
    double level = 0;
    size_t k = 0;
    for (; k < n && ch[k].at <= s->open_at; k++)
        level += ch[k].delta;
    crew->staff[crew->nstaff++] = (struct mdl_step){s->open_at, level};
    while (k < n && ch[k].at < s->close_at) {
        double t = ch[k].at;
        for (; k < n && ch[k].at == t; k++)
            level += ch[k].delta;
        if (level != crew->staff[crew->nstaff - 1].value)
            crew->staff[crew->nstaff++] = (struct mdl_step){t, level};
    }
    free(ch);
}

int mdi_check_crew(struct mdi_check *b, const struct mdl_ynode *n, const struct mdl_ypair *key, const char *owner,
                   struct mdl_crew *crew)
{
    static const char *bools[] = {"false", "true"};
    struct mdl_yread *r = &b->r;
    const struct mdl_scenario *s = b->s;
    const struct mdl_ynode *staff = mdl_ynode_get(n, "staff"), *shifts = mdl_ynode_get(n, "shifts"), *v;
    char what[160];
    if (staff && shifts)
        return mdl_yread_fail(r, shifts, "%s: give staff: (a head count) or shifts: (people on shifts), not both",
                              owner);
    if (!staff && !shifts)
        return mdl_yread_fail_key(r, key, "%s needs staff: (a number, or a schedule) or shifts:", owner);
    if (staff) {
        snprintf(what, sizeof what, "staff of %s", owner);
        if (mdi_check_schedule(b, staff, what, "count", 0, MDL_MAX_STAFF, true, &crew->staff, &crew->nstaff))
            return r->err->code;
    } else {
        snprintf(what, sizeof what, "shifts of %s", owner);
        if (!s->is_day)
            return mdl_yread_fail(r, shifts, "%s: shifts need a day (this scenario has run:); give staff: a number",
                                  what);
        if (mdl_yread_seq(r, shifts, what))
            return r->err->code;
        if (shifts->n == 0 || shifts->n > MDL_MAX_SHIFTS)
            return mdl_yread_fail(r, shifts, "%s: give from 1 to %d shifts", what, MDL_MAX_SHIFTS);
        crew->nshifts = shifts->n;
        crew->shifts = sim_arena_alloc(b->si->arena, shifts->n * sizeof *crew->shifts);
        for (size_t i = 0; i < shifts->n; i++) {
            if (read_shift(b, shifts->items[i], owner, i, &crew->shifts[i]))
                return r->err->code;
            for (size_t j = 0; j < i; j++)
                if (!strcmp(crew->shifts[j].name, crew->shifts[i].name))
                    return mdl_yread_fail(r, mdl_ynode_get(shifts->items[i], "name"),
                                          "%s names two shifts %s: give each its own name", what,
                                          crew->shifts[i].name);
        }
        head_count(b, crew);
    }
    int paid = 0;
    snprintf(what, sizeof what, "paid_breaks of %s", owner);
    if ((v = mdl_ynode_get(n, "paid_breaks")) && mdl_yread_choice(r, v, what, bools, 2, &paid))
        return r->err->code;
    crew->paid_breaks = paid == 1;
    crew->cost_per_hour = 0;
    snprintf(what, sizeof what, "cost_per_hour of %s", owner);
    if ((v = mdl_ynode_get(n, "cost_per_hour")) && mdl_yread_number(r, v, what, 0, 1e9, &crew->cost_per_hour))
        return r->err->code;
    return SIM_OK;
}

int mdi_check_pools(struct mdi_check *b)
{
    static const char *keys[] = {"serves", "staff", "shifts", "paid_breaks", "cost_per_hour"};
    struct mdl_yread *r = &b->r;
    struct mdl_scenario *s = b->s;
    const struct mdl_ynode *pools = mdl_ynode_get(b->root, "pools");
    if (!pools)
        return SIM_OK;
    if (pools->kind != MDL_Y_MAP || pools->n == 0)
        return mdl_yread_fail(r, pools, "pools must map each pool's name to who it serves and its staff, as in\n"
                                        "  pools:\n    floater: {serves: [insurance, reception], staff: 1}");
    if (pools->n > MDL_MAX_POOLS)
        return mdl_yread_fail(r, pools, "at most %d pools", MDL_MAX_POOLS);
    s->npools = pools->n;
    s->pools = sim_arena_alloc(b->si->arena, s->npools * sizeof *s->pools);
    const char **names = sim_arena_alloc(b->si->arena, s->ndepts * sizeof *names);
    for (size_t d = 0; d < s->ndepts; d++)
        names[d] = s->depts[d].name;
    for (size_t p = 0; p < s->npools; p++) {
        const struct mdl_ypair *key = &pools->pairs[p];
        struct mdl_pool *pool = &s->pools[p];
        if (mdl_yread_check_name(r, key, "pool"))
            return r->err->code;
        if (mdl_scenario_dept(s, key->key) >= 0 || mdl_scenario_class(s, key->key) >= 0)
            return mdl_yread_fail_key(r, key, "'%s' names both a pool and a department or class; give them "
                                              "different names", key->key);
        pool->name = key->key;
        char what[160];
        snprintf(what, sizeof what, "pool %s", pool->name);
        if (mdl_yread_map(r, key->value, what, keys, sizeof keys / sizeof keys[0]) ||
            mdi_check_crew(b, key->value, key, what, &pool->crew))
            return r->err->code;
        const struct mdl_ynode *serves = mdl_ynode_get(key->value, "serves");
        snprintf(what, sizeof what, "serves of pool %s", pool->name);
        if (!serves)
            return mdl_yread_fail_key(r, key, "pool %s needs serves: (the departments it serves, in order of "
                                              "preference)", pool->name);
        if (mdl_yread_seq(r, serves, what))
            return r->err->code;
        if (serves->n == 0)
            return mdl_yread_fail(r, serves, "%s lists no department", what);
        pool->serves = sim_arena_alloc(b->si->arena, serves->n * sizeof *pool->serves);
        for (size_t i = 0; i < serves->n; i++) {
            const struct mdl_ynode *item = serves->items[i];
            int which = item->kind == MDL_Y_SCALAR ? mdl_scenario_dept(s, item->text) : -1;
            if (which < 0 && item->kind == MDL_Y_SCALAR) {
                const char *close = sim_err_suggest(item->text, names, s->ndepts);
                return mdl_yread_fail(r, item, "%s: no department is called '%s'%s%s%s", what, item->text,
                                      close ? "; did you mean '" : "", close ? close : "", close ? "'?" : "");
            }
            if (which < 0)
                return mdl_yread_fail(r, item, "%s must list department names", what);
            for (size_t j = 0; j < pool->nserves; j++)
                if (pool->serves[j] == which)
                    return mdl_yread_fail(r, item, "%s lists %s twice", what, item->text);
            pool->serves[pool->nserves++] = which;
        }
    }
    return SIM_OK;
}
