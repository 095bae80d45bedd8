/* models/check_optimise.c — the optimise: section read and checked (spec
 * §2d; docs/optimise.md): which departments cxsim optimise may change, how
 * often their head count may change, within which bounds, and what it
 * minimises. It runs after the departments and the day are read, since it
 * names the first and cuts the second; it does not optimise anything
 * (models/optimise.c does).
 */
#include "models/check_int.h"

#include <stdio.h>

/* A department on shifts: its people come and go by shift, and without
 * candidate shifts the optimiser changes head counts only. */
static bool on_shifts(const struct mdl_dept *d)
{
    return d->crew.nshifts > 0;
}

/* optimise.shifts: candidate shifts {start, length, break}, each
 * overlapping the day, none twice. */
static int read_shifts(struct mdi_check *b, const struct mdl_ynode *list)
{
    static const char *keys[] = {"start", "length", "break"};
    struct mdl_yread *r = &b->r;
    struct mdl_scenario *s = b->s;
    struct mdl_optimise *o = &s->optimise;
    const char *what = "optimise.shifts";
    if (!s->is_day)
        return mdl_yread_fail(r, list, "%s needs a day (this scenario has run:)", what);
    if (mdl_yread_seq(r, list, what))
        return r->err->code;
    if (list->n == 0)
        return mdl_yread_fail(r, list, "%s lists no shift: give each as {start: \"HH:MM\", length: MINUTES, "
                                       "break: MINUTES}", what);
    o->shifts = sim_arena_alloc(b->si->arena, list->n * sizeof *o->shifts);
    for (size_t i = 0; i < list->n; i++) {
        const struct mdl_ynode *item = list->items[i], *v;
        char each[64];
        snprintf(each, sizeof each, "%s item %zu", what, i);
        if (mdl_yread_map(r, item, each, keys, 3))
            return r->err->code;
        struct mdl_opt_shift *sh = &o->shifts[i];
        long length = 0, brk = 0;
        char start_w[80], length_w[80], break_w[80];
        snprintf(start_w, sizeof start_w, "start of %s", each);
        snprintf(length_w, sizeof length_w, "length of %s", each);
        snprintf(break_w, sizeof break_w, "break of %s", each);
        if (!(v = mdl_ynode_get(item, "start")))
            return mdl_yread_fail(r, item, "%s needs start: \"HH:MM\"", each);
        if (mdl_yread_clock(r, v, start_w, &sh->start_at))
            return r->err->code;
        if (!(v = mdl_ynode_get(item, "length")))
            return mdl_yread_fail(r, item, "%s needs length: (minutes)", each);
        if (mdl_yread_whole(r, v, length_w, 30, 1440, &length))
            return r->err->code;
        if ((v = mdl_ynode_get(item, "break")) && mdl_yread_whole(r, v, break_w, 0, length / 2, &brk))
            return r->err->code;
        if (sh->start_at + (double)length > 1440)
            return mdl_yread_fail(r, mdl_ynode_get(item, "length"), "%s ends after midnight: a shift ends within "
                                  "its day", each);
        sh->length_dur = (double)length;
        sh->break_dur = (double)brk;
        if (sh->start_at >= s->close_at || sh->start_at + sh->length_dur <= s->open_at)
            return mdl_yread_fail(r, mdl_ynode_get(item, "start"), "%s does not overlap the day (%02ld:%02ld to "
                                  "%02ld:%02ld): nobody on it would serve anyone", each,
                                  (long)s->open_at / 60, (long)s->open_at % 60, (long)s->close_at / 60,
                                  (long)s->close_at % 60);
        for (size_t j = 0; j < i; j++)
            if (o->shifts[j].start_at == sh->start_at && o->shifts[j].length_dur == sh->length_dur)
                return mdl_yread_fail(r, item, "%s is item %zu again (the same start and length)", each, j);
        o->nshifts++;
    }
    return SIM_OK;
}

static int read_depts(struct mdi_check *b, const struct mdl_ynode *list)
{
    struct mdl_yread *r = &b->r;
    struct mdl_scenario *s = b->s;
    struct mdl_optimise *o = &s->optimise;
    const char *what = "optimise.departments";
    if (mdl_yread_seq(r, list, what))
        return r->err->code;
    if (list->n == 0)
        return mdl_yread_fail(r, list, "%s lists no department: name those whose staff may change", what);
    bool *named = sim_arena_alloc(b->si->arena, s->ndepts * sizeof *named);
    const char **names = sim_arena_alloc(b->si->arena, s->ndepts * sizeof *names);
    for (size_t d = 0; d < s->ndepts; d++)
        names[d] = s->depts[d].name;
    for (size_t i = 0; i < list->n; i++) {
        const struct mdl_ynode *item = list->items[i];
        if (item->kind != MDL_Y_SCALAR)
            return mdl_yread_fail(r, item, "%s must list department names", what);
        int d = mdl_scenario_dept(s, item->text);
        if (d < 0) {
            const char *close = sim_err_suggest(item->text, names, s->ndepts);
            return mdl_yread_fail(r, item, "%s: no department is called '%s'%s%s%s", what, item->text,
                                  close ? "; did you mean '" : "", close ? close : "", close ? "'?" : "");
        }
        if (named[d])
            return mdl_yread_fail(r, item, "%s lists %s twice", what, item->text);
        if (on_shifts(&s->depts[d]) && !o->nshifts)
            return mdl_yread_fail(r, item, "%s: %s is staffed by shifts, and the optimiser changes head counts "
                                           "by interval; list candidate shifts under optimise.shifts to build "
                                           "it a roster, or give %s a staff: head count",
                                  what, item->text, item->text);
        named[d] = true;
    }
    o->depts = sim_arena_alloc(b->si->arena, list->n * sizeof *o->depts);
    for (size_t d = 0; d < s->ndepts; d++)
        if (named[d])
            o->depts[o->ndepts++] = (int)d;
    return SIM_OK;
}

int mdi_check_optimise(struct mdi_check *b)
{
    static const char *keys[] = {"departments", "interval", "shifts", "staff", "objective"};
    struct mdl_yread *r = &b->r;
    struct mdl_scenario *s = b->s;
    struct mdl_optimise *o = &s->optimise;
    *o = (struct mdl_optimise){.interval_dur = s->is_day ? s->interval_dur : 0, .staff_min = 1, .staff_max = 20,
                               .objective = MDL_OBJ_STAFF_COST};
    const struct mdl_ynode *n = mdl_ynode_get(b->root, "optimise"), *v;
    if (n && mdl_yread_map(r, n, "optimise", keys, sizeof keys / sizeof keys[0]))
        return r->err->code;
    if (n && (v = mdl_ynode_get(n, "shifts")) && read_shifts(b, v))
        return r->err->code;
    if (n && (v = mdl_ynode_get(n, "interval"))) {
        long minutes;
        if (!s->is_day)
            return mdl_yread_fail(r, v, "optimise.interval needs a day (this scenario has run:, whose staff is "
                                        "one number)");
        if (mdl_yread_whole(r, v, "optimise.interval", 5, 1440, &minutes))
            return r->err->code;
        o->interval_dur = (double)minutes;
    }
    if (n && (v = mdl_ynode_get(n, "staff"))) {
        static const char *bounds[] = {"min", "max"};
        if (mdl_yread_map(r, v, "optimise.staff", bounds, 2))
            return r->err->code;
        const struct mdl_ynode *lo = mdl_ynode_get(v, "min"), *hi = mdl_ynode_get(v, "max");
        if ((lo && mdl_yread_whole(r, lo, "optimise.staff.min", 0, 10000, &o->staff_min)) ||
            (hi && mdl_yread_whole(r, hi, "optimise.staff.max", 1, 10000, &o->staff_max)))
            return r->err->code;
        if (o->staff_max < o->staff_min)
            return mdl_yread_fail(r, hi ? hi : lo, "optimise.staff: max (%ld) is below min (%ld)", o->staff_max,
                                  o->staff_min);
    }
    if (n && (v = mdl_ynode_get(n, "objective"))) {
        static const char *names[] = {"staff_cost", "total_cost"};
        int which;
        if (mdl_yread_choice(r, v, "optimise.objective", names, 2, &which))
            return r->err->code;
        o->objective = which ? MDL_OBJ_TOTAL_COST : MDL_OBJ_STAFF_COST;
    }
    if (n && (v = mdl_ynode_get(n, "departments")))
        return read_depts(b, v);
    /* by default every department on a head count; with candidate shifts, every one */
    o->depts = sim_arena_alloc(b->si->arena, s->ndepts * sizeof *o->depts);
    for (size_t d = 0; d < s->ndepts; d++)
        if (!on_shifts(&s->depts[d]) || o->nshifts)
            o->depts[o->ndepts++] = (int)d;
    return SIM_OK;
}
