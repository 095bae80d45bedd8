/* models/flow_staff.c — who may serve, and who is paid (see flow_state.h).
 *
 * A crew is a department's own staff or a pool's. A head count follows
 * its schedule's steps: when the count falls below the busy, those busy
 * finish their customer first and are paid past the schedule (overrun).
 * People on shifts are persons: each comes on at its shift's start, takes
 * its breaks and goes home at its shift's end, finishing the customer in
 * hand first (overrun, paid). A break at a fixed time starts then, or as
 * soon as the person finishes the customer in hand (late); a break in a
 * window starts the first moment in the window the person is idle with
 * nobody waiting that they could serve, and at the latest when it must
 * start to end with the window (then as a fixed break). A break lasts its
 * length from when it starts; the shift's end cuts it short. Breaks are
 * paid when paid_breaks says so. The longest idle person takes the next
 * customer.
 *
 * After closing (after_close: serve), one rule gives who may serve and who
 * is paid: each crew keeps the staff on duty then (a department with nobody
 * and a customer who may still need it keeps one), breaks no longer apply,
 * and an idle member whose shift is over (a head count's at once) goes
 * home once nobody waits where the crew serves and no customer inside can
 * come there any more; once gone, they stay gone. A shift that runs past
 * closing keeps its people, and pays them, to its end.
 *
 * Invariants: a crew's busy counts its people serving; on_duty those who
 * may take a customer (people: idle, or busy and not leaving); a person is
 * on its crew's idle list exactly when idle. It does not choose customers:
 * flow.c dispatches a department's queue to whoever is free.
 */
#include "models/flow_state.h"

#include <math.h>

/* ---- levels ------------------------------------------------------------ */

/* Adds `level` staff on duty from instant `from` to `to` to the by-hour
 * bins of ds they span, before closing. */
static void hour_staff_add(struct flow *f, struct dstate *ds, double from, double to, double level)
{
    if (to > f->close_at)
        to = f->close_at;
    while (level > 0 && from < to) {
        size_t h = mdl_flow_bin_of(f->s, from);
        double end = mdl_flow_bin_to(f->s, h);
        end = end < to ? end : to;
        ds->hours[h].staff_area += level * (end - from);
        from = end;
    }
}

void mdi_staff_changed(struct flow *f, struct crew *cr)
{
    double t = mdi_flow_now(f), present, overrun;
    if (!cr->people) {
        if (f->closed) {
            present = f->keeping && cr->kept > cr->busy ? cr->kept : cr->busy;   /* leave: nobody is left */
            overrun = 0;
        } else {
            present = cr->busy > cr->on_duty ? cr->busy : cr->on_duty;
            overrun = cr->busy > cr->on_duty ? cr->busy - cr->on_duty : 0;
        }
    } else {
        /* idle, busy (leaving ones included), and on a paid break */
        present = cr->nidle + cr->busy + (cr->spec->paid_breaks ? cr->nbreak : 0);
        overrun = cr->busy - (cr->on_duty - cr->nidle);   /* busy and leaving */
        if (cr->on_duty != cr->on_duty_lv.level) {
            if (cr->dept && cr->dept->hours)
                hour_staff_add(f, cr->dept, cr->on_duty_lv.since, t, cr->on_duty_lv.level);
            sim_level_set(&cr->on_duty_lv, t, cr->on_duty);
        }
    }
    if (present != cr->present.level)
        sim_level_set(&cr->present, t, present);
    if (overrun != cr->overrun.level)
        sim_level_set(&cr->overrun, t, overrun);
}

/* ---- telling ----------------------------------------------------------- */

/* The name a story gives a crew: its department's, or its pool's. */
static const char *crew_name(const struct crew *cr)
{
    return cr->dept ? cr->dept->spec->name : cr->pool->spec->name;
}

/* Tells that person p does `kind`: starts or ends a shift, goes on (a
 * break of `length` minutes) or comes back from a break; dur as the event
 * says; after: the customer p just finished, when that made it late. */
static void tell_person(struct flow *f, const struct person *p, enum mdl_event_kind kind, double dur,
                        const struct cust *after, double length)
{
    if (!f->trace)
        return;
    struct mdl_event ev = mdi_trace_event(f, kind, after, NULL);
    ev.dept = crew_name(p->crew);
    ev.staff = p->name;
    ev.shift = p->shift->name;
    ev.dur = dur;
    ev.break_dur = length;
    ev.count = p->crew->on_duty;
    mdi_trace_tell(f, &ev);
}

/* ---- people ------------------------------------------------------------ */

/* After closing: someone waits where cr serves, or a customer inside may
 * still come there. */
static bool crew_needed(const struct flow *f, const struct crew *cr)
{
    if (cr->dept)
        return cr->dept->nwaiting > 0 || cr->dept->cancome > 0;
    for (size_t i = 0; i < cr->pool->spec->nserves; i++) {
        const struct dstate *ds = &f->d[cr->pool->spec->serves[i]];
        if (ds->nwaiting > 0 || ds->cancome > 0)
            return true;
    }
    return false;
}

static void idle_push(struct crew *cr, struct person *p)
{
    p->next = &cr->idle;
    p->prev = cr->idle.prev;
    cr->idle.prev->next = p;
    cr->idle.prev = p;
    cr->nidle++;
    p->state = P_IDLE;
}

static void idle_remove(struct crew *cr, struct person *p)
{
    p->prev->next = p->next;
    p->next->prev = p->prev;
    cr->nidle--;
}

/* Someone waits that a member of cr could serve. */
static bool anyone_waiting(const struct flow *f, const struct crew *cr)
{
    if (cr->dept)
        return cr->dept->nwaiting > 0;
    for (size_t i = 0; i < cr->pool->spec->nserves; i++)
        if (f->d[cr->pool->spec->serves[i]].nwaiting > 0)
            return true;
    return false;
}

/* The break p is to take next, or NULL. */
static const struct mdl_break *next_break(const struct person *p)
{
    return p->next_break < p->shift->nbreaks ? &p->shift->breaks[p->next_break] : NULL;
}

/* Schedules p's next break: its window's opening, or its time. */
static void schedule_break(struct flow *f, struct person *p)
{
    const struct mdl_break *br = next_break(p);
    p->brk = BRK_NONE;
    p->break_ev = 0;
    if (!br)
        return;
    double at = br->from_at > mdi_flow_now(f) ? br->from_at : mdi_flow_now(f);
    p->break_ev = sim_calendar_schedule(f->cal, at, EV_BREAK, p);
}

/* p (idle or just freed, not on the idle list) starts its break now;
 * after: the customer it just finished, or NULL. */
static void start_break(struct flow *f, struct person *p, const struct cust *after)
{
    struct crew *cr = p->crew;
    const struct mdl_break *br = next_break(p);
    double late = p->brk == BRK_DUE && mdi_flow_now(f) > p->due_at ? mdi_flow_now(f) - p->due_at : 0;
    sim_calendar_cancel(f->cal, p->break_ev);   /* a window's deadline, when it comes first */
    p->break_ev = sim_calendar_schedule(f->cal, mdi_flow_now(f) + br->length_dur, EV_BACK, p);
    p->state = P_BREAK;
    p->brk = BRK_NONE;
    p->next_break++;
    cr->nbreak++;
    cr->on_duty--;
    tell_person(f, p, MDL_EV_BREAK, late, late > 0 ? after : NULL, br->length_dur);
    mdi_staff_changed(f, cr);
}

/* p, not busy and not on the idle list, is free: a break due, a window's
 * break with nobody waiting, home after its shift, or idle. Returns true
 * when p is idle (the caller dispatches). */
static bool free_person(struct flow *f, struct person *p, const struct cust *after)
{
    struct crew *cr = p->crew;
    if (p->leaving) {   /* not on duty any more: goes home, its overrun over */
        p->state = P_GONE;
        p->leaving = false;
        tell_person(f, p, MDL_EV_SHIFT_END, mdi_flow_now(f) - p->shift->end_at, after, NAN);
        return false;
    }
    if (!f->closed && (p->brk == BRK_DUE || (p->brk == BRK_WINDOW && !anyone_waiting(f, cr)))) {
        start_break(f, p, after);
        return false;
    }
    if (f->keeping && p->shift->end_at <= mdi_flow_now(f) && !crew_needed(f, cr)) {   /* after closing and its shift, nobody can need it */
        cr->on_duty--;
        p->state = P_GONE;
        tell_person(f, p, MDL_EV_SHIFT_END, NAN, NULL, NAN);
        return false;
    }
    idle_push(cr, p);
    return true;
}

/* The rest of mdi_staff_take (flow_state.h): the idle person who has
 * waited longest takes c; a pool counts where its people serve; the
 * crew's levels. */
void mdi_staff_take_rest(struct flow *f, struct crew *cr, struct cust *c)
{
    if (cr->people) {
        struct person *p = cr->idle.next;
        idle_remove(cr, p);
        p->state = P_BUSY;
        p->serving = c;
        c->server = p;
    }
    if (cr->pool) {
        size_t k = (size_t)cr->dept_slot[c->dept];
        cr->pool->served += c->arrived_at >= f->start_at;
        cr->pool->busy_n[k]++;
        sim_level_set(&cr->pool->busy_at[k], mdi_flow_now(f), cr->pool->busy_n[k]);
    }
    mdi_staff_changed(f, cr);
}

/* The rest of mdi_staff_release: the pool's count, c's server free, the
 * crew's levels. */
bool mdi_staff_release_rest(struct flow *f, struct cust *c)
{
    struct crew *cr = c->crew;
    bool idle = true;
    if (cr->pool) {
        size_t k = (size_t)cr->dept_slot[c->dept];
        cr->pool->busy_n[k]--;
        sim_level_set(&cr->pool->busy_at[k], mdi_flow_now(f), cr->pool->busy_n[k]);
    }
    if (c->server) {
        struct person *p = c->server;
        p->serving = NULL;
        c->server = NULL;
        idle = free_person(f, p, c);
    }
    mdi_staff_changed(f, cr);
    return idle;
}

void mdi_staff_drop(struct flow *f, struct cust *c)
{
    struct crew *cr = c->crew;
    cr->busy--;
    if (cr->pool) {
        size_t k = (size_t)cr->dept_slot[c->dept];
        cr->pool->busy_n[k]--;
        sim_level_set(&cr->pool->busy_at[k], mdi_flow_now(f), cr->pool->busy_n[k]);
    }
    if (c->server) {   /* everyone goes home at closing (mdi_staff_all_home) */
        c->server->serving = NULL;
        c->server = NULL;
    }
    mdi_staff_changed(f, cr);
}

/* ---- events ------------------------------------------------------------ */

/* A head count's next schedule step. */
static void step(struct flow *f, struct crew *cr)
{
    const struct mdl_crew *sp = cr->spec;
    if (f->trace) {
        struct mdl_event ev = mdi_trace_event(f, MDL_EV_STAFF, NULL, cr->dept);
        ev.dept = crew_name(cr);
        ev.count = (long)sp->staff[cr->next_step].value;
        ev.prev_count = cr->next_step > 0 ? cr->on_duty : -1;
        mdi_trace_tell(f, &ev);
    }
    cr->on_duty = (int)sp->staff[cr->next_step].value;
    cr->next_step++;
    if (cr->next_step < sp->nstaff)
        sim_calendar_schedule(f->cal, sp->staff[cr->next_step].at, EV_STAFF, cr);
}

/* A shift's people come on, or its end sends them home. */
static void shift_event(struct flow *f, struct shift_rt *rt)
{
    struct crew *cr = rt->crew;
    long n = rt->spec->count;
    if (!rt->ending) {
        for (long i = 0; i < n; i++) {
            struct person *p = &rt->first[i];
            cr->on_duty++;
            idle_push(cr, p);
            tell_person(f, p, MDL_EV_SHIFT_START, NAN, NULL, NAN);
            schedule_break(f, p);
        }
        rt->ending = true;
        sim_calendar_schedule(f->cal, rt->spec->end_at, EV_SHIFT, rt);
        return;
    }
    if (f->closed) {   /* after closing: the after-close rule from now on */
        for (long i = 0; i < n && f->keeping; i++) {
            struct person *p = &rt->first[i];
            if (p->state == P_IDLE && !crew_needed(f, cr)) {
                idle_remove(cr, p);
                cr->on_duty--;
                p->state = P_GONE;
                tell_person(f, p, MDL_EV_SHIFT_END, 0, NULL, NAN);
            }
        }
        return;
    }
    for (long i = 0; i < n; i++) {
        struct person *p = &rt->first[i];
        sim_calendar_cancel(f->cal, p->break_ev);
        p->break_ev = 0;
        p->brk = BRK_NONE;
        if (p->state == P_IDLE) {
            idle_remove(cr, p);
            cr->on_duty--;
            p->state = P_GONE;
            tell_person(f, p, MDL_EV_SHIFT_END, 0, NULL, NAN);
        } else if (p->state == P_BREAK) {
            cr->nbreak--;
            p->state = P_GONE;
            tell_person(f, p, MDL_EV_SHIFT_END, 0, NULL, NAN);
        } else if (p->state == P_BUSY) {
            p->leaving = true;   /* finishes the customer in hand */
            cr->on_duty--;
        }
    }
}

/* p's break is due, or its window opens (the same event: which one is
 * p->brk's state); or p is back from a break. */
static bool break_event(struct flow *f, struct person *p, bool back)
{
    struct crew *cr = p->crew;
    p->break_ev = 0;
    if (back) {
        cr->nbreak--;
        if (f->keeping && !crew_needed(f, cr)) {   /* after closing, nobody needs it any more */
            p->state = P_GONE;
            tell_person(f, p, MDL_EV_SHIFT_END, NAN, NULL, NAN);
            mdi_staff_changed(f, cr);
            return false;
        }
        cr->on_duty++;
        idle_push(cr, p);
        tell_person(f, p, MDL_EV_BACK, NAN, NULL, NAN);
        if (!f->closed)
            schedule_break(f, p);
        mdi_staff_changed(f, cr);
        return true;
    }
    if (f->closed || p->state == P_GONE || p->state == P_OFF)
        return false;
    const struct mdl_break *br = next_break(p);
    if (br->window && p->brk == BRK_NONE) {
        p->brk = BRK_WINDOW;   /* taken when idle with nobody waiting; due at the latest start */
        p->break_ev = sim_calendar_schedule(f->cal, br->to_at - br->length_dur, EV_BREAK, p);
        if (p->state == P_IDLE && !anyone_waiting(f, cr)) {
            idle_remove(cr, p);
            start_break(f, p, NULL);
        }
        return false;
    }
    p->brk = BRK_DUE;
    p->due_at = br->window ? br->to_at - br->length_dur : br->from_at;
    if (p->state == P_IDLE) {
        idle_remove(cr, p);
        start_break(f, p, NULL);
    }
    return false;
}

struct crew *mdi_staff_event(struct flow *f, int kind, void *data)
{
    switch (kind) {
    case EV_STAFF: {
        struct crew *cr = data;
        step(f, cr);
        mdi_staff_changed(f, cr);
        return cr;
    }
    case EV_SHIFT: {
        struct shift_rt *rt = data;
        shift_event(f, rt);
        mdi_staff_changed(f, rt->crew);
        return rt->crew;
    }
    case EV_BREAK:
    case EV_BACK: {
        struct person *p = data;
        bool idle = break_event(f, p, kind == EV_BACK);
        mdi_staff_changed(f, p->crew);
        return idle ? p->crew : NULL;
    }
    default:
        return NULL;
    }
}

/* ---- setup ------------------------------------------------------------- */

/* Sets crew cr up for spec and schedules its first events: a head count's
 * first step, or each shift's start (at the opening, for a shift that
 * starts before: the time before is paid, pre_open_paid). */
static void crew_setup(struct flow *f, struct crew *cr, const struct mdl_crew *spec, double t0)
{
    cr->spec = spec;
    cr->idle.prev = cr->idle.next = &cr->idle;
    if (!spec->nshifts) {
        if (spec->staff[0].at <= t0)
            step(f, cr);
        else
            sim_calendar_schedule(f->cal, spec->staff[0].at, EV_STAFF, cr);
        return;
    }
    size_t n = 0;
    for (size_t i = 0; i < spec->nshifts; i++)
        n += (size_t)spec->shifts[i].count;
    cr->people = sim_arena_alloc(f->arena, (n ? n : 1) * sizeof *cr->people);
    cr->npeople = n;
    cr->shifts = sim_arena_alloc(f->arena, spec->nshifts * sizeof *cr->shifts);
    size_t k = 0;
    for (size_t i = 0; i < spec->nshifts; i++) {
        const struct mdl_shift *sh = &spec->shifts[i];
        struct shift_rt *rt = &cr->shifts[i];
        *rt = (struct shift_rt){cr, &cr->people[k], sh, false};
        for (long j = 0; j < sh->count; j++, k++)
            cr->people[k] = (struct person){.crew = cr, .shift = sh, .state = P_OFF};
        if (sh->start_at < t0) {
            double paid = sh->end_at < t0 ? sh->end_at - sh->start_at : t0 - sh->start_at;
            for (size_t b = 0; b < sh->nbreaks && !spec->paid_breaks; b++)
                if (!sh->breaks[b].window && sh->breaks[b].from_at < t0)
                    paid -= fmin(sh->breaks[b].length_dur, t0 - sh->breaks[b].from_at);
            cr->pre_open_paid += (double)sh->count * paid;
        }
        if (sh->end_at > t0)
            sim_calendar_schedule(f->cal, sh->start_at > t0 ? sh->start_at : t0, EV_SHIFT, rt);
    }
}

void mdi_staff_setup(struct flow *f, double t0)
{
    const struct mdl_scenario *s = f->s;
    size_t nd = s->ndepts;
    f->p = sim_arena_alloc(f->arena, (s->npools ? s->npools : 1) * sizeof *f->p);
    for (size_t d = 0; d < nd; d++) {
        f->d[d].own.dept = &f->d[d];
        f->d[d].pools = sim_arena_alloc(f->arena, (s->npools ? s->npools : 1) * sizeof *f->d[d].pools);
    }
    for (size_t k = 0; k < s->npools; k++) {
        struct pstate_pool *pl = &f->p[k];
        pl->spec = &s->pools[k];
        pl->crew.pool = pl;
        pl->busy_at = sim_arena_alloc(f->arena, pl->spec->nserves * sizeof *pl->busy_at);
        pl->busy_n = sim_arena_alloc(f->arena, pl->spec->nserves * sizeof *pl->busy_n);
        pl->crew.dept_slot = sim_arena_alloc(f->arena, nd * sizeof *pl->crew.dept_slot);
        for (size_t d = 0; d < nd; d++)
            pl->crew.dept_slot[d] = -1;
        for (size_t i = 0; i < pl->spec->nserves; i++) {
            struct dstate *ds = &f->d[pl->spec->serves[i]];
            pl->crew.dept_slot[ds->index] = (int)i;
            ds->pools[ds->npools++] = pl;
            sim_level_init(&pl->busy_at[i], t0, 0);
        }
    }
    for (size_t d = 0; d < nd; d++) {
        crew_setup(f, &f->d[d].own, &s->depts[d].crew, t0);
        mdi_staff_changed(f, &f->d[d].own);
    }
    for (size_t k = 0; k < s->npools; k++) {
        struct crew *cr = &f->p[k].crew;
        sim_level_init(&cr->present, t0, 0);
        sim_level_init(&cr->overrun, t0, 0);
        sim_level_init(&cr->on_duty_lv, t0, 0);
        crew_setup(f, cr, &s->pools[k].crew, t0);
        mdi_staff_changed(f, cr);
    }
}

void mdi_staff_finish(struct flow *f)
{
    for (size_t d = 0; d < f->s->ndepts; d++) {
        struct crew *cr = &f->d[d].own;
        if (cr->people && f->d[d].hours)
            hour_staff_add(f, &f->d[d], cr->on_duty_lv.since, mdi_flow_now(f), cr->on_duty_lv.level);
    }
}

/* ---- after closing ----------------------------------------------------- */

/* What a customer may still come to is a bit mask, from tables made at
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

/* Sends home the idle members of cr once nobody needs them: a head
 * count's kept fall to those busy; people go one by one. */
static void crew_go_home(struct flow *f, struct crew *cr)
{
    if (!f->keeping || crew_needed(f, cr))
        return;
    if (!cr->people) {
        if (cr->kept <= cr->busy)
            return;
        if (f->trace) {
            struct mdl_event ev = mdi_trace_event(f, MDL_EV_STAFF, NULL, cr->dept);
            ev.dept = crew_name(cr);
            ev.count = cr->busy;
            ev.prev_count = cr->kept;
            mdi_trace_tell(f, &ev);
        }
        cr->kept = cr->busy;
        mdi_staff_changed(f, cr);
        return;
    }
    /* the idle whose shift is over go; those still on shift stay to its end */
    bool went = false;
    for (struct person *p = cr->idle.next, *next; p != &cr->idle; p = next) {
        next = p->next;
        if (p->shift->end_at > mdi_flow_now(f))
            continue;
        idle_remove(cr, p);
        cr->on_duty--;
        p->state = P_GONE;
        went = true;
        tell_person(f, p, MDL_EV_SHIFT_END, NAN, NULL, NAN);
    }
    if (went)
        mdi_staff_changed(f, cr);
}

void mdi_staff_go_home_after_close(struct flow *f, struct dstate *ds)
{
    crew_go_home(f, &ds->own);
    for (size_t k = 0; k < ds->npools; k++)
        crew_go_home(f, &ds->pools[k]->crew);
}

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

void mdi_staff_moved_after_close(struct flow *f, struct cust *c)
{
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

/* Someone on duty in a crew that serves ds. */
static bool anyone_for(const struct dstate *ds)
{
    if (ds->own.on_duty > 0)
        return true;
    for (size_t k = 0; k < ds->npools; k++)
        if (ds->pools[k]->crew.on_duty > 0)
            return true;
    return false;
}

/* At closing, a crew on shifts: breaks no longer apply; it keeps the
 * people on duty (those whose shift ended finish their customer and go). */
static void keep_people(struct flow *f, struct crew *cr)
{
    for (size_t i = 0; i < cr->npeople; i++) {
        struct person *p = &cr->people[i];
        if (p->state != P_BREAK) {
            sim_calendar_cancel(f->cal, p->break_ev);
            p->break_ev = 0;
        }
        p->brk = BRK_NONE;
    }
}

/* A department nobody can serve after closing while a customer may still
 * need it calls one of its own in: a head count keeps one; people keep one
 * who is leaving (it stays), or call back one who went home. */
static void call_in(struct flow *f, struct dstate *ds)
{
    struct crew *cr = &ds->own;
    if (!cr->people) {
        cr->kept = 1;
        if (f->trace) {
            struct mdl_event ev = mdi_trace_event(f, MDL_EV_STAFF, NULL, ds);
            ev.count = cr->kept;
            ev.prev_count = cr->on_duty;
            mdi_trace_tell(f, &ev);
        }
        return;
    }
    struct person *back = NULL;
    for (size_t i = 0; i < cr->npeople && !back; i++)
        if (cr->people[i].leaving)
            back = &cr->people[i];
    for (size_t i = cr->npeople; i-- > 0 && !back;)
        if (cr->people[i].state == P_GONE)
            back = &cr->people[i];
    if (!back)
        return;
    if (back->leaving) {
        back->leaving = false;
        cr->on_duty++;
    } else {
        cr->on_duty++;
        idle_push(cr, back);
    }
    tell_person(f, back, MDL_EV_STAYS, NAN, NULL, NAN);
    mdi_staff_changed(f, cr);
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
        struct crew *cr = &ds->own;
        if (cr->people)
            keep_people(f, cr);
        else
            cr->kept = cr->on_duty;
        if (!anyone_for(ds) && (ds->nwaiting > 0 || ds->cancome > 0))
            call_in(f, ds);
    }
    for (size_t k = 0; k < s->npools; k++) {
        struct crew *cr = &f->p[k].crew;
        if (cr->people)
            keep_people(f, cr);
        else
            cr->kept = cr->on_duty;
    }
}

void mdi_staff_all_home(struct flow *f)
{
    const struct mdl_scenario *s = f->s;
    for (size_t i = 0; i < s->ndepts + s->npools; i++) {
        struct crew *cr = i < s->ndepts ? &f->d[i].own : &f->p[i - s->ndepts].crew;
        for (size_t k = 0; k < cr->npeople; k++) {
            struct person *p = &cr->people[k];
            sim_calendar_cancel(f->cal, p->break_ev);
            p->break_ev = 0;
            p->state = P_GONE;
            p->leaving = false;
        }
        cr->idle.prev = cr->idle.next = &cr->idle;
        cr->nidle = cr->nbreak = 0;
        if (cr->people)
            cr->on_duty = 0;
        mdi_staff_changed(f, cr);
    }
}
