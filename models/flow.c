/* models/flow.c — the customer-flow model: one replication (see flow.h).
 *
 * State: per department, staff on duty and busy, a queue per priority level
 * (one level under fifo) and the counters of spec §3; per class, the arrival
 * stream and the journey counters; per customer, where it is, its pending
 * events and its visits to each department, which name the streams of each
 * visit's draws (visit_rng). Customers come from a free list in the
 * replication's arena, so memory follows the customers in the business, not
 * the customers simulated.
 *
 * Events: an arrival of a class; a customer reaching a department (after a
 * handoff); a service ending; a request raised in the middle of a service;
 * a customer reneging; a staff count changing; the close of the day; the end
 * of a warm-up; the end of a steady-state run.
 *
 * After closing (after_close: serve), one rule says which staff stay to
 * serve and are paid, and when each goes home: flow_staff.c. Arrivals are
 * flow_arrivals.c.
 *
 * Measurement: a department records a customer's visit when the customer
 * reached it at or after the start of measurement (the opening, or the end of
 * the warm-up); a journey counts when the customer arrived then. Levels
 * (queue length, busy staff) are integrated from that start to the end.
 *
 * The state is in flow_state.h; flow_results.c turns it into metrics at the
 * end, flow_trace.c tells the events to a listener (mdl_flow_trace).
 */
#include "models/flow_state.h"
#include "models/metrics.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

_Static_assert(offsetof(struct cust, q) == 0, "a queued customer is its queue link");

static double now(const struct flow *f)
{
    return mdi_flow_now(f);
}

/* The by-hour bin of instant t (mdl_flow_hours), the last after closing. */
static inline struct hour *hour_at(const struct flow *f, struct dstate *ds, double t)
{
    if (!ds->hours)
        return NULL;
    if (t >= f->close_at)
        return &ds->hours[f->nh - 1];
    return &ds->hours[mdl_flow_bin_of(f->s, t)];
}

/* ---- levels ------------------------------------------------------------ */

/* Adds `level` (customers waiting, or being served) from instant `from`
 * to `to` to the by-hour bins they span (the last bin after the close):
 * to their queue_area, or their busy_area when `busy`. */
static void hour_area_add(struct flow *f, struct dstate *ds, double from, double to, double level, bool busy)
{
    while (level > 0 && from < to) {
        size_t h = f->nh - 1;
        double end = to;
        if (from < f->close_at) {
            h = mdl_flow_bin_of(f->s, from);
            end = mdl_flow_bin_to(f->s, h);
            end = end < to ? end : to;
        }
        *(busy ? &ds->hours[h].busy_area : &ds->hours[h].queue_area) += level * (end - from);
        from = end;
    }
}

/* The level that follows the queue: customers waiting (and, on a day, the
 * same by hour). */
static void queue_changed(struct flow *f, struct dstate *ds)
{
    if (ds->hours)
        hour_area_add(f, ds, ds->waiting.since, now(f), ds->waiting.level, false);
    sim_level_set(&ds->waiting, now(f), (double)ds->nwaiting);
}

/* The level of customers in service at ds (whoever serves them). */
static void busy_changed(struct flow *f, struct dstate *ds)
{
    if (ds->hours)
        hour_area_add(f, ds, ds->busy_lv.since, now(f), ds->busy_lv.level, true);
    sim_level_set(&ds->busy_lv, now(f), ds->busy);
}

static void update_levels(struct flow *f, struct dstate *ds)
{
    queue_changed(f, ds);
    busy_changed(f, ds);
    mdi_staff_changed(f, &ds->own);
}

/* ---- customers --------------------------------------------------------- */

/* Stops the replication as overloaded and names the departments at fault:
 * each whose queue holds at least a tenth of the customers inside, and the
 * one with the longest queue. */
static void overloaded(struct flow *f)
{
    size_t longest = 0;
    for (size_t d = 0; d < f->s->ndepts; d++) {
        if (f->d[d].nwaiting > f->d[longest].nwaiting)
            longest = d;
        if ((size_t)f->d[d].nwaiting * 10 >= f->nlive)
            f->stats->overloaded_depts |= UINT64_C(1) << d;
    }
    f->stats->overloaded_depts |= UINT64_C(1) << longest;
    f->stats->overloaded = true;
    f->stop = true;
}

/* Stops the replication at its work bound (s->max_events events): as
 * overloaded, naming no department (the work may come from a loop that
 * keeps every queue short; the report says what stopped it). */
static void over_events(struct flow *f)
{
    f->stats->overloaded = true;
    f->stats->over_events = true;
    f->stop = true;
}

static struct cust *cust_new(struct flow *f, int cls, struct cust *parent)
{
    struct cust *c = f->free_list;
    if (c)
        f->free_list = c->lnext;
    else
        c = sim_arena_alloc(f->arena, f->cust_size);
    memset(c, 0, sizeof *c);   /* a size known here: a few stores, not a call */
    memset(c->visits, 0, f->s->ndepts * sizeof *c->visits);
    c->cls = cls;
    c->parent = parent;
    c->slot = -1;
    c->label = ++f->c[cls].next_label;
    c->born_at = now(f);
    c->measured = c->born_at >= f->start_at;
    mdl_satisfaction_start(&c->sat);
    c->lnext = f->live;
    if (f->live)
        f->live->lprev = c;
    f->live = c;
    f->nlive++;
    f->stats->customers++;
    if (f->nlive > (size_t)f->s->max_in_system && !f->stop)
        overloaded(f);
    return c;
}

static void cust_free(struct flow *f, struct cust *c)
{
    if (f->keeping)
        mdi_staff_count_future(f, c, 0);
    if (c->lprev)
        c->lprev->lnext = c->lnext;
    else
        f->live = c->lnext;
    if (c->lnext)
        c->lnext->lprev = c->lprev;
    f->nlive--;
    c->lnext = f->free_list;
    f->free_list = c;
}

/* The stream of customer c's draws of one kind (K_ROUTE .. K_REQUEST) at
 * its visit number `visit` to department d, set up in st (the caller's, used
 * at once): what a visit draws does not depend on what happened before it,
 * so a change upstream leaves the customer's needs, patience, requests and
 * route at the next desk as they were (common random numbers). Philox is
 * counter-based: setting a stream up is a few stores, and its first draw
 * one block. Identity (docs/kernel.md): purpose byte 1 kind(2) class(5 of
 * 6), entity class(1 of 6) department(6) visit(17), sub-stream the serial
 * number. Visit 0 of department 0's route stream chooses where the customer
 * enters; the visits to a department count from 1. */
_Static_assert(MDL_MAX_DEPTS <= 64 && MDL_MAX_CLASSES <= 64, "a visit stream keeps 6 bits of each");
static gsl_rng *visit_rng(const struct flow *f, const struct cust *c, unsigned kind, int d, uint32_t visit,
                          struct sim_stream *st)
{
    uint32_t id = UINT32_C(1) << 31 | (uint32_t)kind << 29 | (uint32_t)c->cls << 23 | (uint32_t)d << VISIT_BITS |
                  (visit & ((UINT32_C(1) << VISIT_BITS) - 1));
    sim_stream_init_sub(st, f->seed, f->rep, id >> 24, id & SIM_STREAM_ENTITY_MAX, c->serial);
    return sim_stream_rng(st);
}

static size_t choose(gsl_rng *r, const double *p, size_t n)
{
    double u = gsl_rng_uniform(r), acc = 0;
    size_t last = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] <= 0)
            continue;
        acc += p[i];
        last = i;
        if (u < acc)
            return i;
    }
    return last;   /* rounding: the last possible choice */
}

/* Records the end of c's journey in its class: completed, or dropped at
 * its current department for `cause` (completed: cause is ignored). All
 * external and all internal journeys are the sums of their classes, added
 * up at the end (flow_results.c). */
static void record_journey(struct flow *f, const struct cust *c, bool completed, int cause)
{
    if (!c->measured)
        return;
    const struct mdl_scenario *s = f->s;
    const struct mdl_class *cl = &s->classes[c->cls];
    double score = mdl_satisfaction_score(&s->satisfaction, &c->sat, c->handoffs, completed);
    struct journeys *j = &f->j[c->cls];
    if (completed) {
        j->completed++;
        j->sojourn += now(f) - c->born_at;
        j->wait_total += c->wait_total;
        j->handoffs += c->handoffs;
        j->request_delay += c->request_delay;
    } else {
        j->dropped++;
        j->lost += cl->value;
        j->drops[(size_t)c->dept * MDL_DROP + (size_t)cause]++;
    }
    j->sat_sum += score;
    j->sat_n++;
    j->csat += score >= 4;
    j->bands[mdl_satisfaction_band(score)]++;
    double parts[MDL_SAT_PARTS];
    mdl_satisfaction_parts(&s->satisfaction, &c->sat, c->handoffs, completed, parts);
    for (int k = 0; k < MDL_SAT_PARTS; k++)
        j->sat_parts[k] += parts[k];
}

/* ---- departments ------------------------------------------------------- */

static bool dept_measured(const struct flow *f, const struct cust *c)
{
    return c->arrived_at >= f->start_at;
}

static void enqueue(struct flow *f, struct dstate *ds, struct cust *c)
{
    struct qlink *end = &ds->q[c->level].end;
    c->q.next = end;
    c->q.prev = end->prev;
    end->prev->next = &c->q;
    end->prev = &c->q;
    ds->nwaiting++;
    c->where = W_WAITING;
    queue_changed(f, ds);
}

static void unqueue(struct flow *f, struct dstate *ds, struct cust *c)
{
    c->q.prev->next = c->q.next;
    c->q.next->prev = c->q.prev;
    ds->nwaiting--;
    queue_changed(f, ds);
}

/* The first customer of queue level l of ds, or NULL. */
static struct cust *queue_head(struct dstate *ds, size_t l)
{
    struct qlink *end = &ds->q[l].end;
    return end->next != end ? (struct cust *)(void *)end->next : NULL;   /* q is cust's first member */
}

static void drop(struct flow *f, struct cust *c, int cause)
{
    struct hour *h = hour_at(f, &f->d[c->dept], now(f));
    if (h && dept_measured(f, c))
        h->drops++;
    record_journey(f, c, false, cause);
    cust_free(f, c);
}

/* Crew cr (free) starts serving c at ds. */
static void start_service(struct flow *f, struct dstate *ds, struct cust *c, struct crew *cr)
{
    const struct mdl_scenario *s = f->s;
    double t = now(f), wait = t - c->arrived_at;
    ds->busy++;
    c->where = W_SERVICE;
    busy_changed(f, ds);
    mdi_staff_take(f, cr, c);
    if (dept_measured(f, c)) {
        struct hour *h = hour_at(f, ds, c->arrived_at);
        if (h) {
            h->wait_sum += wait;
            h->wait_n++;
            h->in_target += wait <= ds->spec->target_wait;
        }
        sim_tally_add(&ds->wait, wait);
        ds->in_target += wait <= ds->spec->target_wait;
        ds->wait_all_sum += wait;
        ds->wait_all_n++;
    }
    c->visit_wait = wait;
    c->wait_total += wait;
    if (c->renege) {
        sim_calendar_cancel(f->cal, c->renege);
        c->renege = 0;
    }
    if (f->trace) {
        mdi_trace_take_staff(cr, c);
        struct mdl_event ev = mdi_trace_event(f, MDL_EV_START, c, ds);
        ev.dur = wait;
        mdi_trace_tell(f, &ev);
    }
    double dur = c->service_dur;
    if (c->parent) {
        c->event = sim_calendar_schedule(f->cal, t + dur, EV_DONE, c);
        mdi_staff_moved(f, c);
        return;
    }
    struct sim_stream st;
    gsl_rng *r = NULL;
    for (size_t i = 0; i < s->nrequests; i++) {
        if (s->requests[i].from != ds->index)
            continue;
        if (!r)
            r = visit_rng(f, c, K_REQUEST, ds->index, c->visits[ds->index], &st);
        if (gsl_rng_uniform(r) < s->requests[i].probability) {
            double frac = gsl_rng_uniform(r);
            c->req_need = sim_dist_sample(&s->requests[i].service, r);
            c->req = (int)i;
            c->req_pending = true;
            c->remaining = (1 - frac) * dur;
            c->event = sim_calendar_schedule(f->cal, t + frac * dur, EV_REQUEST, c);
            mdi_staff_moved(f, c);
            return;
        }
    }
    c->event = sim_calendar_schedule(f->cal, t + dur, EV_DONE, c);
    mdi_staff_moved(f, c);
}

/* c's service need at ds, drawn as soon as c reaches ds, from the stream of
 * this visit (a request's was drawn with the decision to raise it, from the
 * held customer's visit: raise_request). A keyed draw is the same number
 * whenever it is made; drawing it here rather than when service starts takes
 * it off the path from one event to the next: a queued customer's need is
 * ready when its turn comes, and the processor works out the new need while
 * the rest of the customer's arrival runs (docs/performance.md). A customer
 * who leaves before its service (balks, is turned away, gives up, is sent
 * home) leaves it unused. */
static void draw_need(struct flow *f, struct dstate *ds, struct cust *c)
{
    struct sim_stream st;
    c->service_dur = sim_dist_sample(ds->spec->service[c->cls],
                                     visit_rng(f, c, K_SERVICE, ds->index, c->visits[ds->index], &st));
}

/* The next customer of ds's queue, by level (priority), taken out of it. */
static struct cust *next_waiting(struct flow *f, struct dstate *ds)
{
    struct cust *c = NULL;
    for (size_t l = 0; l < ds->nlevels && !c; l++)
        c = queue_head(ds, l);
    unqueue(f, ds, c);
    return c;
}

/* Serves ds's queue with whoever may: its own staff first, then the pools
 * that serve it. */
static void dispatch(struct flow *f, struct dstate *ds)
{
    struct crew *cr;
    while (ds->nwaiting > 0 && (cr = mdi_staff_free_for(f, ds)))
        start_service(f, ds, next_waiting(f, ds), cr);
}

void mdi_flow_dispatch_crew(struct flow *f, struct crew *cr)
{
    if (cr->dept) {
        dispatch(f, cr->dept);
        return;
    }
    /* a pool: the departments it serves, in its order of preference */
    const struct mdl_pool *pool = cr->pool->spec;
    while (mdi_crew_free(f, cr)) {
        struct dstate *ds = NULL;
        for (size_t i = 0; i < pool->nserves && !ds; i++)
            if (f->d[pool->serves[i]].nwaiting > 0)
                ds = &f->d[pool->serves[i]];
        if (!ds)
            return;
        start_service(f, ds, next_waiting(f, ds), cr);
    }
}

/* A customer (or a request) reaches department d. */
static void reach(struct flow *f, struct cust *c, int d)
{
    const struct mdl_class *cl = &f->s->classes[c->cls];
    struct dstate *ds = &f->d[d];
    c->dept = d;
    if (!c->parent) {
        c->visits[d]++;    /* this visit's number: it names the visit's streams */
        draw_need(f, ds, c);   /* first: see draw_need */
    }
    c->arrived_at = now(f);
    c->level = f->c[c->cls].level[d];
    c->visit_wait = 0;
    bool measured = dept_measured(f, c);
    ds->arrivals += measured;
    struct hour *h = hour_at(f, ds, c->arrived_at);
    if (h && measured)
        h->arrivals++;
    bool request = c->parent != NULL;   /* a held staff member never gives up */
    if (f->trace) {
        struct mdl_event ev = mdi_trace_event(f, MDL_EV_ARRIVE, c, ds);
        ev.count = ds->nwaiting;
        ev.walk_dur = c->handoffs > 0 && !request ? c->walk_dur : NAN;
        mdi_trace_tell(f, &ev);
    }
    if (!request && cl->balk_at[d] != MDL_UNLIMITED && ds->nwaiting >= cl->balk_at[d]) {
        if (f->trace) {
            struct mdl_event ev = mdi_trace_event(f, MDL_EV_BALK, c, ds);
            ev.count = ds->nwaiting;
            mdi_trace_tell(f, &ev);
        }
        ds->balked += measured;
        drop(f, c, MDL_DROP_BALKED);
        return;
    }
    struct crew *cr;
    if (ds->nwaiting == 0 && (cr = mdi_staff_free_for(f, ds))) {
        ds->admitted += measured;
        ds->at_once += measured;
        if (h && measured)
            h->admitted++;
        start_service(f, ds, c, cr);
        return;
    }
    if (!request && ds->spec->capacity != MDL_UNLIMITED && ds->nwaiting >= ds->spec->capacity) {
        if (f->trace) {
            struct mdl_event ev = mdi_trace_event(f, MDL_EV_BLOCK, c, ds);
            ev.count = ds->nwaiting;
            mdi_trace_tell(f, &ev);
        }
        ds->blocked += measured;
        drop(f, c, MDL_DROP_BLOCKED);
        return;
    }
    ds->admitted += measured;
    if (h && measured)
        h->admitted++;
    enqueue(f, ds, c);
    mdi_staff_moved(f, c);
    if (!request && cl->patience[d]) {
        struct sim_stream st;
        double patience = sim_dist_sample(cl->patience[d], visit_rng(f, c, K_PATIENCE, d, c->visits[d], &st));
        c->renege = sim_calendar_schedule(f->cal, now(f) + patience, EV_RENEGE, c);
    }
}

static void visit_done(struct flow *f, struct dstate *ds, struct cust *c)
{
    const struct mdl_scenario *s = f->s;
    double v = mdl_satisfaction_visit(&s->satisfaction, ds->spec->quality, c->visit_wait,
                                      s->classes[c->cls].expect_wait[ds->index]);
    mdl_satisfaction_add(&c->sat, v, ds->spec->quality);
    if (dept_measured(f, c)) {
        ds->vsat_sum += v;
        ds->vsat_n++;
    }
}

/* Tells that c leaves its department ds (to department `to`, or out of
 * the business when to < 0, after walk_dur) and, out, its whole journey;
 * its staff member is free again. */
static void tell_finish(struct flow *f, struct dstate *ds, struct cust *c, int to, double walk_dur)
{
    struct mdl_event ev = mdi_trace_event(f, MDL_EV_FINISH, c, ds);
    ev.dur = now(f) - c->arrived_at;
    ev.to = to >= 0 ? f->s->depts[to].name : NULL;
    ev.walk_dur = walk_dur;
    mdi_trace_tell(f, &ev);
    if (to < 0) {
        ev = mdi_trace_event(f, MDL_EV_EXIT, c, NULL);
        ev.dur = now(f) - c->born_at;
        ev.score = mdl_satisfaction_score(&f->s->satisfaction, &c->sat, c->handoffs, true);
        mdi_trace_tell(f, &ev);
    }
    mdi_trace_release_staff(c->crew, c);
}

static void service_done(struct flow *f, struct cust *c)
{
    const struct mdl_scenario *s = f->s;
    struct dstate *ds = &f->d[c->dept];
    double t = now(f);
    struct cust *walker = NULL;   /* reaches its next department now: a walk of no time */
    struct crew *cr = c->crew;    /* who served c, free again (or on a break, or gone home) */
    ds->busy--;
    busy_changed(f, ds);
    mdi_staff_release(f, c);   /* c->crew stays, for the story (tell_finish) */
    visit_done(f, ds, c);
    if (c->parent) {
        /* the request is answered: the held service resumes */
        struct cust *p = c->parent;
        double delay = t - p->held_at;
        p->request_delay += delay;
        p->visit_wait += delay;
        p->wait_total += delay;
        p->where = W_SERVICE;
        p->event = sim_calendar_schedule(f->cal, t + p->remaining, EV_DONE, p);
        if (f->trace) {
            tell_finish(f, ds, c, -1, NAN);
            struct mdl_event ev = mdi_trace_event(f, MDL_EV_RESUME, p, &f->d[p->dept]);
            ev.related = mdi_trace_who(f, c);
            ev.to = ds->spec->name;
            ev.dur = delay;
            mdi_trace_tell(f, &ev);
        }
        record_journey(f, c, true, 0);
        cust_free(f, c);
    } else {
        size_t nd = s->ndepts;
        const struct mdl_class *cl = &s->classes[c->cls];
        int sole = f->c[c->cls].sole_next[c->dept];
        struct sim_stream st;   /* the route after this visit: where next, then the walk */
        gsl_rng *r = sole >= 0 ? NULL : visit_rng(f, c, K_ROUTE, c->dept, c->visits[c->dept], &st);
        size_t next = sole >= 0 ? (size_t)sole : choose(r, &cl->route[(size_t)c->dept * (nd + 1)], nd + 1);
        if (next == nd) {
            if (f->trace)
                tell_finish(f, ds, c, -1, NAN);
            record_journey(f, c, true, 0);
            cust_free(f, c);
        } else {
            const struct sim_dist *h = s->handoff[(size_t)c->dept * nd + next];
            if (h && !r)
                r = visit_rng(f, c, K_ROUTE, c->dept, c->visits[c->dept], &st);
            double walk = h ? sim_dist_sample(h, r) : 0;
            if (f->trace)
                tell_finish(f, ds, c, (int)next, walk);
            c->handoffs++;
            c->walk_dur = walk;
            c->where = W_WALKING;
            c->dept = (int)next;
            mdi_staff_moved(f, c);
            if (walk > 0)
                c->event = sim_calendar_schedule(f->cal, t + walk, EV_REACH, c);
            else
                walker = c;
        }
    }
    mdi_flow_dispatch_crew(f, cr);
    mdi_staff_may_go_home(f, ds);
    /* as the event would, after the staff member freed here takes the next
     * customer (so a customer sent back to the same desk queues behind) */
    if (walker)
        reach(f, walker, walker->dept);
}

/* The staff member serving p needs another department: p's service is
 * held, and the request joins that department's queue as an internal
 * customer of the request's class. */
static void raise_request(struct flow *f, struct cust *p)
{
    const struct mdl_request *rq = &f->s->requests[p->req];
    p->where = W_HELD;
    p->req_pending = false;
    p->held_at = now(f);
    struct cust *rc = cust_new(f, rq->as, p);
    rc->service_dur = p->req_need;   /* drawn with the decision (start_service) */
    if (f->trace) {
        struct mdl_event ev = mdi_trace_event(f, MDL_EV_REQUEST, p, &f->d[p->dept]);
        ev.related = mdi_trace_who(f, rc);
        ev.to = f->s->depts[rq->to].name;
        mdi_trace_tell(f, &ev);
    }
    reach(f, rc, rq->to);
    mdi_staff_moved(f, p);   /* after the request is counted where it went */
}

static void renege(struct flow *f, struct cust *c)
{
    struct dstate *ds = &f->d[c->dept];
    unqueue(f, ds, c);
    if (dept_measured(f, c)) {
        ds->reneged++;
        ds->wait_all_sum += now(f) - c->arrived_at;
        ds->wait_all_n++;
    }
    c->wait_total += now(f) - c->arrived_at;
    if (f->trace) {
        struct mdl_event ev = mdi_trace_event(f, MDL_EV_RENEGE, c, ds);
        ev.dur = now(f) - c->arrived_at;
        mdi_trace_tell(f, &ev);
    }
    drop(f, c, MDL_DROP_RENEGED);
}

/* ---- arrivals ---------------------------------------------------------- */

static void arrival(struct flow *f, struct cstate *cs)
{
    int cls = (int)(cs - f->c);
    uint32_t serial = mdi_arrivals_next(f, cs);
    struct cust *c = cust_new(f, cls, NULL);
    c->serial = serial;
    struct sim_stream st;   /* where it enters: the route stream of "visit 0" */
    size_t d = cs->sole_enter >= 0 ? (size_t)cs->sole_enter
                                   : choose(visit_rng(f, c, K_ROUTE, 0, 0, &st), cs->spec->enter, f->s->ndepts);
    reach(f, c, (int)d);
}

/* ---- staff and the day ------------------------------------------------- */

/* A staff event (a head count's step, a shift starting or ending, a break
 * due or over): the crew's levels, then whoever came free serves. */
static void staff_event(struct flow *f, int kind, void *data)
{
    struct crew *cr = mdi_staff_event(f, kind, data);
    if (!cr)
        return;
    if (cr->dept)
        update_levels(f, cr->dept);
    mdi_flow_dispatch_crew(f, cr);
}

static void close_day(struct flow *f)
{
    const struct mdl_scenario *s = f->s;
    f->closed = true;
    if (f->trace) {
        struct mdl_event ev = mdi_trace_event(f, MDL_EV_CLOSE, NULL, NULL);
        ev.count = 0;
        for (const struct cust *c = f->live; c; c = c->lnext)
            ev.count += c->parent == NULL;
        mdi_trace_tell(f, &ev);
    }
    if (s->after_close == MDL_SERVE)
        mdi_staff_keep(f);   /* who may still come where, and the staff each department keeps */
    for (size_t d = 0; d < s->ndepts; d++) {
        f->d[d].own.present_area_at_close = sim_level_area(&f->d[d].own.present, now(f));
        update_levels(f, &f->d[d]);
    }
    for (size_t k = 0; k < s->npools; k++) {
        f->p[k].crew.present_area_at_close = sim_level_area(&f->p[k].crew.present, now(f));
        mdi_staff_changed(f, &f->p[k].crew);
    }
    if (s->after_close == MDL_SERVE) {
        for (size_t d = 0; d < s->ndepts; d++) {
            dispatch(f, &f->d[d]);
            mdi_staff_may_go_home(f, &f->d[d]);
        }
        return;
    }
    /* leave: everyone still inside goes home, served or not */
    while (f->live) {
        struct cust *c = f->live;
        struct dstate *ds = &f->d[c->dept];
        if (c->where == W_WAITING) {
            unqueue(f, ds, c);
            if (dept_measured(f, c)) {
                ds->wait_all_sum += now(f) - c->arrived_at;
                ds->wait_all_n++;
            }
        } else if (c->where == W_SERVICE || c->where == W_HELD) {
            ds->busy--;
            busy_changed(f, ds);
            mdi_staff_drop(f, c);
        }
        sim_calendar_cancel(f->cal, c->event);
        sim_calendar_cancel(f->cal, c->renege);
        if (c->parent) {
            cust_free(f, c);   /* a request ends with its staff member's customer */
            continue;
        }
        if (f->trace) {
            struct mdl_event ev = mdi_trace_event(f, MDL_EV_SENT_HOME, c, ds);
            ev.dur = now(f) - c->born_at;
            mdi_trace_tell(f, &ev);
        }
        drop(f, c, MDL_DROP_CLOSED);
    }
    mdi_staff_all_home(f);
}

/* ---- the run ----------------------------------------------------------- */

/* The index of the only positive probability of p[0..n), or -1. */
static int sole(const double *p, size_t n)
{
    int only = -1;
    for (size_t i = 0; i < n; i++)
        if (p[i] > 0) {
            if (only >= 0 || p[i] < 1)
                return -1;
            only = (int)i;
        }
    return only;
}

/* The fixed part of a replication's memory, at most: the arena's first
 * block, the calendar's first room, and each department's wait tally
 * (a histogram of its waits, SIM_TALLY_Q_*), levels and hours; beside it,
 * the customers inside and the day's appointment books. */
#define FLOW_FIXED_BYTES ((size_t)2 << 20)
#define FLOW_DEPT_BYTES ((size_t)256 << 10)

size_t mdl_flow_memory(const struct mdl_scenario *s)
{
    size_t per_customer = sizeof(struct cust) + s->ndepts * sizeof(uint32_t) + 2 * sim_calendar_bytes_per_event();
    return FLOW_FIXED_BYTES + s->ndepts * FLOW_DEPT_BYTES + (size_t)s->max_in_system * per_customer +
           mdi_arrivals_book_bytes(s);
}

static void setup(struct flow *f)
{
    const struct mdl_scenario *s = f->s;
    size_t nd = s->ndepts, nc = s->nclasses;
    double t0 = s->is_day ? s->open_at : 0;
    f->start_at = s->is_day ? s->open_at : s->warmup_dur;
    f->close_at = s->is_day ? s->close_at : INFINITY;
    f->end_at = s->is_day ? s->close_at : s->warmup_dur + s->length_dur;
    f->cal = sim_calendar_create(t0, 256);
    f->now_at = t0;
    f->arena = sim_arena_create(256 * 1024);
    f->cust_size = sizeof(struct cust) + nd * sizeof(uint32_t);
    f->d = sim_arena_alloc(f->arena, nd * sizeof *f->d);
    f->c = sim_arena_alloc(f->arena, nc * sizeof *f->c);
    f->j = sim_arena_alloc(f->arena, (nc + 2) * sizeof *f->j);
    for (size_t c = 0; c < nc + 2; c++)
        f->j[c].drops = sim_arena_alloc(f->arena, nd * MDL_DROP * sizeof *f->j[c].drops);
    f->nh = mdl_flow_hours(s);
    if (f->trace && s->is_day) {
        struct mdl_event ev = mdi_trace_event(f, MDL_EV_OPEN, NULL, NULL);
        mdi_trace_tell(f, &ev);
    }
    for (size_t c = 0; c < nc; c++) {
        struct cstate *cs = &f->c[c];
        cs->spec = &s->classes[c];
        cs->level = sim_arena_alloc(f->arena, nd * sizeof *cs->level);
        /* a choice with one possible outcome takes no random number */
        cs->sole_next = sim_arena_alloc(f->arena, nd * sizeof *cs->sole_next);
        for (size_t d = 0; d < nd; d++)
            cs->sole_next[d] = sole(&cs->spec->route[d * (nd + 1)], nd + 1);
        cs->sole_enter = sole(cs->spec->enter, nd);
        sim_stream_init(&cs->arrivals, f->seed, f->rep, P_ARRIVAL, (uint32_t)c);
    }
    for (size_t d = 0; d < nd; d++) {
        struct dstate *ds = &f->d[d];
        ds->spec = &s->depts[d];
        ds->index = (int)d;
        /* queue levels: one under fifo; under priority, one per distinct
         * class priority, highest first */
        ds->nlevels = 1;
        for (size_t c = 0; c < nc; c++) {
            int rank = 0;
            if (ds->spec->discipline == MDL_PRIORITY)
                for (size_t k = 0; k < nc; k++) {
                    bool higher = s->classes[k].priority > s->classes[c].priority;
                    bool first = true;   /* count each distinct higher priority once */
                    for (size_t m = 0; m < k && higher; m++)
                        if (s->classes[m].priority == s->classes[k].priority)
                            first = false;
                    rank += higher && first;
                }
            f->c[c].level[d] = rank;
            if ((size_t)rank + 1 > ds->nlevels)
                ds->nlevels = (size_t)rank + 1;
        }
        ds->q = sim_arena_alloc(f->arena, ds->nlevels * sizeof *ds->q);
        for (size_t l = 0; l < ds->nlevels; l++)
            ds->q[l].end.prev = ds->q[l].end.next = &ds->q[l].end;
        if (f->nh)
            ds->hours = sim_arena_alloc(f->arena, f->nh * sizeof *ds->hours);
        sim_tally_init(&ds->wait, true);
        sim_level_init(&ds->waiting, t0, 0);
        sim_level_init(&ds->busy_lv, t0, 0);
        sim_level_init(&ds->own.present, t0, 0);
        sim_level_init(&ds->own.overrun, t0, 0);
        sim_level_init(&ds->own.on_duty_lv, t0, 0);
    }
    mdi_staff_setup(f, t0);   /* who serves: each crew's first step, or its shifts */
    if (f->trace)
        mdi_trace_name_staff(f);
    for (size_t c = 0; c < nc; c++)
        mdi_arrivals_start(f, &f->c[c]);
    if (s->is_day)
        sim_calendar_schedule(f->cal, s->close_at, EV_CLOSE, NULL);
    else {
        if (s->warmup_dur > 0)
            sim_calendar_schedule(f->cal, s->warmup_dur, EV_WARM, NULL);
        sim_calendar_schedule(f->cal, f->end_at, EV_END, NULL);
    }
}

static void warm_up_ends(struct flow *f)
{
    for (size_t d = 0; d < f->s->ndepts; d++) {
        struct dstate *ds = &f->d[d];
        sim_level_restart(&ds->waiting, now(f));
        sim_level_restart(&ds->busy_lv, now(f));
        sim_level_restart(&ds->own.present, now(f));
        sim_level_restart(&ds->own.overrun, now(f));
    }
    for (size_t k = 0; k < f->s->npools; k++) {
        struct pstate_pool *pl = &f->p[k];
        sim_level_restart(&pl->crew.present, now(f));
        sim_level_restart(&pl->crew.overrun, now(f));
        for (size_t i = 0; i < pl->spec->nserves; i++)
            sim_level_restart(&pl->busy_at[i], now(f));
    }
}

/* The clock's interval bins: bin 0 begins at the interval boundary at or
 * before opening. */
static double first_boundary(const struct mdl_scenario *s)
{
    return floor(s->open_at / s->interval_dur) * s->interval_dur;
}

size_t mdl_flow_hours(const struct mdl_scenario *s)
{
    if (!s->is_day)
        return 0;
    return (size_t)ceil((s->close_at - first_boundary(s)) / s->interval_dur - 1e-9) + 1;
}

double mdl_flow_bin_from(const struct mdl_scenario *s, size_t h)
{
    double at = first_boundary(s) + s->interval_dur * (double)h;
    return at > s->open_at ? at : s->open_at;
}

double mdl_flow_bin_to(const struct mdl_scenario *s, size_t h)
{
    double at = first_boundary(s) + s->interval_dur * (double)(h + 1);
    return at < s->close_at ? at : s->close_at;
}

size_t mdl_flow_bin_of(const struct mdl_scenario *s, double t)
{
    size_t last = mdl_flow_hours(s) - 2;   /* the last bin before closing */
    double k = floor((t - first_boundary(s)) / s->interval_dur);
    return k <= 0 ? 0 : k >= (double)last ? last : (size_t)k;
}

static void run(const struct mdl_scenario *s, uint64_t seed, uint32_t rep, double *out,
                struct mdl_flow_stats *stats_out, const struct mdl_flow_pool *pool, mdl_flow_trace_fn fn, void *ctx)
{
    /* counted here and copied out at the end: the callers keep one replication's
     * stats beside the next one's, run by another thread, and a count in a
     * shared cache line at every event would make the cores fight over it */
    struct mdl_flow_stats counts = {0}, *stats = &counts;
    struct flow f = {.s = s, .seed = seed, .rep = rep, .stats = stats, .trace = fn, .trace_ctx = ctx};
    setup(&f);
    struct sim_event ev;
    uint64_t max_events = (uint64_t)s->max_events;
    while (!f.stop && sim_calendar_pop(f.cal, &ev)) {
        f.now_at = ev.at;
        if (++stats->events > max_events) {
            over_events(&f);
            break;
        }
        switch (ev.kind) {
        case EV_ARRIVAL:
            arrival(&f, ev.data);
            break;
        case EV_REACH: {
            struct cust *c = ev.data;
            reach(&f, c, c->dept);
            break;
        }
        case EV_DONE:
            service_done(&f, ev.data);
            break;
        case EV_REQUEST:
            raise_request(&f, ev.data);
            break;
        case EV_RENEGE:
            renege(&f, ev.data);
            break;
        case EV_STAFF:
        case EV_SHIFT:
        case EV_BREAK:
        case EV_BACK:
            staff_event(&f, ev.kind, ev.data);
            break;
        case EV_CLOSE:
            close_day(&f);
            break;
        case EV_WARM:
            warm_up_ends(&f);
            break;
        case EV_END:
            f.stop = true;
            break;
        }
    }
    if (s->is_day && !stats->overloaded)
        f.end_at = now(&f) > s->close_at ? now(&f) : s->close_at;
    for (size_t d = 0; d < s->ndepts && f.nh; d++) {   /* the queues' and the busy's last stretch */
        hour_area_add(&f, &f.d[d], f.d[d].waiting.since, f.end_at, f.d[d].waiting.level, false);
        hour_area_add(&f, &f.d[d], f.d[d].busy_lv.since, f.end_at, f.d[d].busy_lv.level, true);
    }
    if (f.nh)
        mdi_staff_finish(&f);   /* the staff on duty's, by hour */
    stats->observed_dur = f.end_at - f.start_at;
    size_t nvalues = mdl_metric_stride(s->ndepts, s->nclasses, f.nh, s->npools);
    if (stats->overloaded)   /* values and weights: nothing measured */
        for (size_t i = 0; i < nvalues; i++)
            out[i] = NAN;
    else
        mdi_flow_results(&f, out);
    if (pool && !stats->overloaded)
#pragma omp critical(mdl_flow_pool)
        for (size_t d = 0; d < s->ndepts; d++)
            if (sim_tally_n(&f.d[d].wait))
                sim_qhist_pool(pool->dept[d], f.d[d].wait.q);
    for (size_t d = 0; d < s->ndepts; d++)
        sim_tally_fini(&f.d[d].wait);
    sim_calendar_destroy(f.cal);
    sim_arena_destroy(f.arena);
    *stats_out = counts;
}

void mdl_flow_run(const struct mdl_scenario *s, uint64_t seed, uint32_t rep, double *out,
                  struct mdl_flow_stats *stats, const struct mdl_flow_pool *pool)
{
    run(s, seed, rep, out, stats, pool, NULL, NULL);
}

void mdl_flow_trace(const struct mdl_scenario *s, uint64_t seed, uint32_t rep, mdl_flow_trace_fn fn, void *ctx,
                    struct mdl_flow_stats *stats)
{
    double *out = sim_xmalloc(mdl_metric_stride(s->ndepts, s->nclasses, mdl_flow_hours(s), s->npools) * sizeof *out);
    run(s, seed, rep, out, stats, NULL, fn, ctx);
    free(out);
}
