/* models/flow_staff.c — who may serve, and who is paid (see flow_state.h).
 *
 * The levels that follow a department's staff (busy, present, past the
 * schedule), and the rule after closing (after_close: serve): the staff
 * each department keeps, and when each goes home. Invariant: a
 * department's `kept` never grows after closing, and never falls below its
 * busy staff. It does not schedule customers: flow.c dispatches them to
 * the staff this file says may serve.
 */
#include "models/flow_state.h"

/* The levels that follow the staff: busy, present, and past the schedule.
 * Present and past the schedule change only when busy crosses the number on
 * duty, or after closing: they are written only then. */
void mdi_staff_changed(struct flow *f, struct dstate *ds)
{
    double t = mdi_flow_now(f), present, overrun;
    sim_level_set(&ds->busy_lv, t, ds->busy);
    if (f->closed) {
        present = f->keeping && ds->kept > ds->busy ? ds->kept : ds->busy;   /* leave: nobody is left */
        overrun = 0;
    } else {
        present = ds->busy > ds->on_duty ? ds->busy : ds->on_duty;
        overrun = ds->busy > ds->on_duty ? ds->busy - ds->on_duty : 0;
    }
    if (present != ds->present.level)
        sim_level_set(&ds->present, t, present);
    if (overrun != ds->overrun.level)
        sim_level_set(&ds->overrun, t, overrun);
}

/* With after_close: serve, one rule gives both who may serve and who is
 * paid (docs/model.md, "Days"). At closing each department keeps the staff
 * on duty then (one, if it has none and a customer may still need it);
 * staff finishing a customer past their schedule go home when they finish,
 * as before closing. A staff member kept goes home when nobody waits at the
 * department, they have nobody in hand, and no customer inside can come
 * there any more, through the class routes and requests from where each one
 * is; once gone, they stay gone. The staff kept are the capacity (kept);
 * those present (kept, or more while past-schedule staff finish) are paid,
 * from closing until they go, as overtime.
 *
 * What a customer may still come to is a bit mask, from tables made at
 * closing; each department counts the customers whose mask holds it
 * (cancome). A customer's mask only shrinks as it moves on, so a count
 * that reaches 0 stays there, and the staff then go as they come free. */

/* The departments customer c may still come to, where it is now. */
static uint64_t future(const struct flow *f, const struct cust *c)
{
    size_t k = (size_t)c->cls * f->s->ndepts + (size_t)c->dept;
    if (c->where == W_WALKING || c->where == W_WAITING)   /* to be served here */
        return c->parent ? UINT64_C(1) << c->dept : f->reach_at[k];
    if (c->parent)   /* an answer being served: it ends here */
        return 0;
    return f->after[k] | (c->req_pending ? UINT64_C(1) << f->s->requests[c->req].to : 0);
}

/* Sends home the idle staff of ds when nobody waits there and nobody can
 * come: from then on the staff kept are those in service. */
void mdi_staff_may_go_home(struct flow *f, struct dstate *ds)
{
    if (!f->keeping || ds->nwaiting > 0 || ds->cancome > 0 || ds->kept <= ds->busy)
        return;
    if (f->trace) {
        struct mdl_event ev = mdi_trace_event(f, MDL_EV_STAFF, NULL, ds);
        ev.count = ds->busy;
        ev.prev_count = ds->kept;
        mdi_trace_tell(f, &ev);
    }
    ds->kept = ds->busy;
    mdi_staff_changed(f, ds);
}

/* Counts c as one who may still come to the departments of mask (and no
 * longer to those it leaves), after closing. */
void mdi_staff_count_future(struct flow *f, struct cust *c, uint64_t mask)
{
    uint64_t come = mask & ~c->future, gone = c->future & ~mask;
    c->future = mask;
    for (; come; come &= come - 1)
        f->d[__builtin_ctzll(come)].cancome++;
    for (; gone; gone &= gone - 1) {
        struct dstate *ds = &f->d[__builtin_ctzll(gone)];
        if (--ds->cancome == 0)
            mdi_staff_may_go_home(f, ds);
    }
}

/* After c moved on (joined a queue, started, walked on): its new mask. */
void mdi_staff_moved(struct flow *f, struct cust *c)
{
    if (f->keeping)
        mdi_staff_count_future(f, c, future(f, c));
}

/* f->reach_at and f->after for every class: the routes' closure (Warshall
 * on bit masks, O(classes x departments^2)), then each department a request
 * from a reachable one may ask. Made once, at closing. */
static void reach_tables(struct flow *f)
{
    const struct mdl_scenario *s = f->s;
    size_t nd = s->ndepts, nc = s->nclasses;
    uint64_t asks[MDL_MAX_DEPTS] = {0};   /* departments each one's requests go to */
    for (size_t i = 0; i < s->nrequests; i++)
        if (s->requests[i].probability > 0)
            asks[s->requests[i].from] |= UINT64_C(1) << s->requests[i].to;
    f->reach_at = sim_arena_alloc(f->arena, nc * nd * sizeof *f->reach_at);
    f->after = sim_arena_alloc(f->arena, nc * nd * sizeof *f->after);
    for (size_t c = 0; c < nc; c++) {
        const double *route = s->classes[c].route;
        uint64_t *at = &f->reach_at[c * nd], *after = &f->after[c * nd], next[MDL_MAX_DEPTS];
        for (size_t d = 0; d < nd; d++) {
            next[d] = 0;
            for (size_t e = 0; e < nd; e++)
                next[d] |= (uint64_t)(route[d * (nd + 1) + e] > 0) << e;
            at[d] = UINT64_C(1) << d | next[d];
        }
        for (size_t k = 0; k < nd; k++)
            for (size_t d = 0; d < nd; d++)
                if (at[d] >> k & 1)
                    at[d] |= at[k];
        for (size_t d = 0; d < nd; d++) {
            uint64_t asked = 0;
            for (uint64_t m = at[d]; m; m &= m - 1)
                asked |= asks[__builtin_ctzll(m)];
            at[d] |= asked;
        }
        for (size_t d = 0; d < nd; d++) {
            after[d] = 0;
            for (uint64_t m = next[d]; m; m &= m - 1)
                after[d] |= at[__builtin_ctzll(m)];
        }
    }
}


void mdi_staff_keep(struct flow *f)
{
    const struct mdl_scenario *s = f->s;
    reach_tables(f);
    f->keeping = true;
    for (struct cust *c = f->live; c; c = c->lnext)
        mdi_staff_moved(f, c);
    for (size_t d = 0; d < s->ndepts; d++) {
        struct dstate *ds = &f->d[d];
        ds->kept = ds->on_duty;
        if (ds->kept == 0 && (ds->nwaiting > 0 || ds->cancome > 0))
            ds->kept = 1;
        if (f->trace && ds->kept != ds->on_duty) {
            struct mdl_event ev = mdi_trace_event(f, MDL_EV_STAFF, NULL, ds);
            ev.count = ds->kept;
            ev.prev_count = ds->on_duty;
            mdi_trace_tell(f, &ev);
        }
    }
}
