/* models/flow.c — the customer-flow model: one replication (see flow.h).
 *
 * State: per department, staff on duty and busy, a queue per priority level
 * (one level under fifo) and the counters of spec §3; per class, the arrival
 * stream and the journey counters; per customer, where it is, its pending
 * events and its own streams. Customers come from a free list in the
 * replication's arena, so memory follows the customers in the business, not
 * the customers simulated.
 *
 * Events: an arrival of a class; a customer reaching a department (after a
 * handoff); a service ending; a request raised in the middle of a service;
 * a customer reneging; a staff count changing; the close of the day; the end
 * of a warm-up; the end of a steady-state run.
 *
 * Measurement: a department records a customer's visit when the customer
 * reached it at or after the start of measurement (the opening, or the end of
 * the warm-up); a journey counts when the customer arrived then. Levels
 * (queue length, busy staff) are integrated from that start to the end.
 */
#include "models/flow.h"
#include "models/metrics.h"
#include "models/satisfaction.h"
#include "sim/calendar.h"
#include "sim/mem.h"
#include "sim/stream.h"
#include "sim/tally.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Stream purposes: class arrivals, and each customer's four sub-streams. */
enum { P_ARRIVAL = 1, P_ROUTE = 2, P_SERVICE = 3, P_PATIENCE = 4, P_REQUEST = 5 };

enum { EV_ARRIVAL, EV_REACH, EV_DONE, EV_REQUEST, EV_RENEGE, EV_STAFF, EV_CLOSE, EV_WARM, EV_END };

enum where { W_WALKING, W_WAITING, W_SERVICE, W_HELD };

struct cust {
    struct cust *qprev, *qnext;        /* queue */
    struct cust *lprev, *lnext;        /* customers in the business */
    struct cust *parent;               /* a request's customer: the held service */
    int cls, dept, level;
    int req;                           /* the request raised in this service (index) */
    enum where where;
    uint32_t serial;
    uint32_t label;                    /* the trace's number for it (from 1) */
    int slot;                          /* the staff member serving it (tracing), or -1 */
    double born_at, arrived_at, held_at, remaining, walk_dur;
    sim_handle event, renege;
    int handoffs;
    double wait_total, request_delay, visit_wait;
    struct mdl_sat_journey sat;
    bool measured;                     /* arrived at or after measurement start */
    struct sim_stream route, service, patience, request;
};

struct queue {
    struct cust *head, *tail;
};

struct dstate {
    const struct mdl_dept *spec;
    int index;
    int on_duty, busy;
    size_t next_step;
    size_t nlevels;
    struct queue *q;
    long nwaiting;
    struct sim_tally wait;
    double arrivals, balked, blocked, admitted, reneged, at_once, in_target;
    double wait_all_sum, wait_all_n, vsat_sum, vsat_n;
    struct sim_level waiting, busy_lv, present, overrun;
    double busy_area_at_close;
    struct hour *hours;                /* [nh]; NULL in steady state */
    int nslots;                        /* tracing: staff members, by name */
    const char **names;
    bool *slot_busy;
};

struct journeys {
    double completed, dropped, sojourn, wait_total, handoffs, request_delay, sat_sum, sat_n, csat, lost;
    double bands[MDL_SAT_BANDS];
    double *drops;                     /* [ndepts][MDL_DROP] */
};

struct hour {                          /* one department, one hour of the day */
    double arrivals, wait_sum, wait_n, drops;
};

struct cstate {
    const struct mdl_class *spec;
    struct sim_stream arrivals;
    uint32_t next_serial, next_label;
    int *level;                        /* [ndepts] queue level at each department */
};

struct flow {
    const struct mdl_scenario *s;
    uint64_t seed;
    uint32_t rep;
    struct sim_calendar *cal;
    struct sim_arena *arena;
    struct dstate *d;
    struct cstate *c;
    struct journeys *j;                /* [nclasses + 2]: classes, external, internal */
    struct cust *live, *free_list;
    size_t nlive;
    size_t nh;                         /* hour bins (day runs) */
    double start_at, close_at, end_at;
    bool closed, stop;
    struct mdl_flow_stats *stats;
    mdl_flow_trace_fn trace;           /* NULL: nobody listens (no cost) */
    void *trace_ctx;
};

static double now(const struct flow *f)
{
    return sim_calendar_now(f->cal);
}

/* ---- tracing (only when f->trace is set) ------------------------------ */

static struct out_trace_who who_of(const struct flow *f, const struct cust *c)
{
    if (!c)
        return (struct out_trace_who){0};
    const struct mdl_class *cl = &f->s->classes[c->cls];
    return (struct out_trace_who){cl->name, c->label, cl->internal, c->parent != NULL};
}

/* An event of customer c (or of the business, c NULL) at department ds. */
static struct out_trace_event event(const struct flow *f, enum out_trace_kind kind, const struct cust *c,
                                    const struct dstate *ds)
{
    struct out_trace_event ev = {
        .kind = kind, .at = now(f), .who = who_of(f, c), .dept = ds ? ds->spec->name : NULL,
        .dur = NAN, .walk_dur = NAN, .score = NAN, .count = -1, .prev_count = -1,
    };
    if (c && c->parent)
        ev.related = who_of(f, c->parent);
    if (c && ds && c->slot >= 0)
        ev.staff = ds->names[c->slot];
    return ev;
}

static void tell(struct flow *f, const struct out_trace_event *ev)
{
    f->trace(f->trace_ctx, ev);
}

/* Staff members get first names, different across the business, so that a
 * story can say who served whom. */
static const char *const first_names[] = {
    "Ann", "Ben", "Cleo", "Dev", "Eva", "Femi", "Gus", "Hana", "Ivo", "Jo", "Kai", "Lena", "Milo", "Nia",
    "Omar", "Pia", "Quinn", "Rosa", "Sam", "Tess", "Uma", "Vic", "Wen", "Xavi", "Yara", "Zed", "Abel", "Bea",
    "Cruz", "Dina", "Eli", "Faye", "Gil", "Hugo", "Iris", "Jon", "Kira", "Leo", "Mae", "Ned"};
#define NFIRST_NAMES (sizeof first_names / sizeof first_names[0])

static void name_staff(struct flow *f)
{
    size_t next = 0;
    for (size_t d = 0; d < f->s->ndepts; d++) {
        struct dstate *ds = &f->d[d];
        const struct mdl_dept *dp = &f->s->depts[d];
        int most = 1;
        for (size_t i = 0; i < dp->nstaff; i++)
            most = (int)dp->staff[i].value > most ? (int)dp->staff[i].value : most;
        ds->nslots = most;
        ds->names = sim_arena_alloc(f->arena, (size_t)most * sizeof *ds->names);
        ds->slot_busy = sim_arena_alloc(f->arena, (size_t)most * sizeof *ds->slot_busy);
        for (int k = 0; k < most; k++, next++) {
            char *name = sim_arena_alloc(f->arena, 24);
            if (next < NFIRST_NAMES)
                snprintf(name, 24, "%s", first_names[next]);
            else
                snprintf(name, 24, "%s %zu", first_names[next % NFIRST_NAMES], next / NFIRST_NAMES + 1);
            ds->names[k] = name;
        }
    }
}

/* The first free staff member of ds takes c. */
static void take_staff(struct dstate *ds, struct cust *c)
{
    int k = 0;
    while (k < ds->nslots - 1 && ds->slot_busy[k])
        k++;
    ds->slot_busy[k] = true;
    c->slot = k;
}

static void release_staff(struct dstate *ds, struct cust *c)
{
    if (c->slot >= 0)
        ds->slot_busy[c->slot] = false;
    c->slot = -1;
}

/* The hour bin of instant t: hours from opening, the last bin after closing. */
static struct hour *hour_at(const struct flow *f, struct dstate *ds, double t)
{
    if (!ds->hours)
        return NULL;
    if (t >= f->close_at)
        return &ds->hours[f->nh - 1];
    size_t h = (size_t)((t - f->s->open_at) / 60);
    return &ds->hours[h < f->nh - 1 ? h : f->nh - 2];
}

/* ---- levels ------------------------------------------------------------ */

static int effective_staff(const struct flow *f, const struct dstate *ds)
{
    if (f->closed && f->s->after_close == MDL_SERVE)
        return ds->on_duty > 0 ? ds->on_duty : 1;
    return ds->on_duty;
}

static void update_levels(struct flow *f, struct dstate *ds)
{
    double t = now(f);
    sim_level_set(&ds->waiting, t, (double)ds->nwaiting);
    sim_level_set(&ds->busy_lv, t, ds->busy);
    if (f->closed) {
        sim_level_set(&ds->present, t, ds->busy);   /* idle staff go home after close */
        sim_level_set(&ds->overrun, t, 0);
    } else {
        sim_level_set(&ds->present, t, ds->busy > ds->on_duty ? ds->busy : ds->on_duty);
        sim_level_set(&ds->overrun, t, ds->busy > ds->on_duty ? ds->busy - ds->on_duty : 0);
    }
}

/* ---- customers --------------------------------------------------------- */

static struct cust *cust_new(struct flow *f, int cls, struct cust *parent)
{
    struct cust *c = f->free_list;
    if (c)
        f->free_list = c->lnext;
    else
        c = sim_arena_alloc(f->arena, sizeof *c);
    memset(c, 0, offsetof(struct cust, route));
    c->cls = cls;
    c->parent = parent;
    c->slot = -1;
    c->label = ++f->c[cls].next_label;
    c->born_at = now(f);
    c->measured = c->born_at >= f->start_at;
    mdl_satisfaction_start(&c->sat);
    if (!parent) {
        struct cstate *cs = &f->c[cls];
        c->serial = cs->next_serial++;
        sim_stream_init_sub(&c->route, f->seed, f->rep, P_ROUTE, (uint32_t)cls, c->serial);
        sim_stream_init_sub(&c->service, f->seed, f->rep, P_SERVICE, (uint32_t)cls, c->serial);
        sim_stream_init_sub(&c->patience, f->seed, f->rep, P_PATIENCE, (uint32_t)cls, c->serial);
        sim_stream_init_sub(&c->request, f->seed, f->rep, P_REQUEST, (uint32_t)cls, c->serial);
    }
    c->lnext = f->live;
    if (f->live)
        f->live->lprev = c;
    f->live = c;
    f->nlive++;
    f->stats->customers++;
    if (f->nlive > MDL_FLOW_MAX_IN_SYSTEM) {
        f->stats->overloaded = true;
        f->stop = true;
    }
    return c;
}

static void cust_free(struct flow *f, struct cust *c)
{
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

/* Records the end of c's journey: completed, or dropped at its current
 * department for `cause` (completed: cause is ignored). */
static void record_journey(struct flow *f, const struct cust *c, bool completed, int cause)
{
    if (!c->measured)
        return;
    const struct mdl_scenario *s = f->s;
    const struct mdl_class *cl = &s->classes[c->cls];
    double score = mdl_satisfaction_score(&s->satisfaction, &c->sat, c->handoffs, completed);
    struct journeys *js[2] = {&f->j[c->cls], &f->j[s->nclasses + (cl->internal ? 1 : 0)]};
    for (int k = 0; k < 2; k++) {
        struct journeys *j = js[k];
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
    }
}

/* ---- departments ------------------------------------------------------- */

static bool dept_measured(const struct flow *f, const struct cust *c)
{
    return c->arrived_at >= f->start_at;
}

static void enqueue(struct flow *f, struct dstate *ds, struct cust *c)
{
    struct queue *q = &ds->q[c->level];
    c->qnext = NULL;
    c->qprev = q->tail;
    if (q->tail)
        q->tail->qnext = c;
    else
        q->head = c;
    q->tail = c;
    ds->nwaiting++;
    c->where = W_WAITING;
    update_levels(f, ds);
}

static void unqueue(struct flow *f, struct dstate *ds, struct cust *c)
{
    struct queue *q = &ds->q[c->level];
    if (c->qprev)
        c->qprev->qnext = c->qnext;
    else
        q->head = c->qnext;
    if (c->qnext)
        c->qnext->qprev = c->qprev;
    else
        q->tail = c->qprev;
    ds->nwaiting--;
    update_levels(f, ds);
}

static void drop(struct flow *f, struct cust *c, int cause)
{
    struct hour *h = hour_at(f, &f->d[c->dept], now(f));
    if (h && dept_measured(f, c))
        h->drops++;
    record_journey(f, c, false, cause);
    cust_free(f, c);
}

static void start_service(struct flow *f, struct dstate *ds, struct cust *c)
{
    const struct mdl_scenario *s = f->s;
    double t = now(f), wait = t - c->arrived_at;
    ds->busy++;
    c->where = W_SERVICE;
    update_levels(f, ds);
    if (dept_measured(f, c)) {
        struct hour *h = hour_at(f, ds, c->arrived_at);
        if (h) {
            h->wait_sum += wait;
            h->wait_n++;
        }
        sim_tally_add(&ds->wait, wait);
        ds->in_target += wait <= ds->spec->target_wait;
        ds->wait_all_sum += wait;
        ds->wait_all_n++;
    }
    c->visit_wait = wait;
    c->wait_total += wait;
    sim_calendar_cancel(f->cal, c->renege);
    if (f->trace) {
        take_staff(ds, c);
        struct out_trace_event ev = event(f, OUT_EV_START, c, ds);
        ev.dur = wait;
        tell(f, &ev);
    }
    double dur;
    if (c->parent) {
        /* a request: its service time is the held customer's need */
        const struct mdl_request *rq = &s->requests[c->parent->req];
        dur = sim_dist_sample(&rq->service, sim_stream_rng(&c->parent->request));
        c->event = sim_calendar_schedule(f->cal, t + dur, EV_DONE, c);
        return;
    }
    dur = sim_dist_sample(ds->spec->service[c->cls], sim_stream_rng(&c->service));
    for (size_t i = 0; i < s->nrequests; i++) {
        if (s->requests[i].from != ds->index)
            continue;
        gsl_rng *r = sim_stream_rng(&c->request);
        if (gsl_rng_uniform(r) < s->requests[i].probability) {
            double frac = gsl_rng_uniform(r);
            c->req = (int)i;
            c->remaining = (1 - frac) * dur;
            c->event = sim_calendar_schedule(f->cal, t + frac * dur, EV_REQUEST, c);
            return;
        }
    }
    c->event = sim_calendar_schedule(f->cal, t + dur, EV_DONE, c);
}

static void dispatch(struct flow *f, struct dstate *ds)
{
    while (ds->nwaiting > 0 && ds->busy < effective_staff(f, ds)) {
        struct cust *c = NULL;
        for (size_t l = 0; l < ds->nlevels && !c; l++)
            c = ds->q[l].head;
        unqueue(f, ds, c);
        start_service(f, ds, c);
    }
}

/* A customer (or a request) reaches department d. */
static void reach(struct flow *f, struct cust *c, int d)
{
    const struct mdl_class *cl = &f->s->classes[c->cls];
    struct dstate *ds = &f->d[d];
    c->dept = d;
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
        struct out_trace_event ev = event(f, OUT_EV_ARRIVE, c, ds);
        ev.count = ds->nwaiting;
        ev.walk_dur = c->handoffs > 0 && !request ? c->walk_dur : NAN;
        tell(f, &ev);
    }
    if (!request && cl->balk_at != MDL_UNLIMITED && ds->nwaiting >= cl->balk_at) {
        if (f->trace) {
            struct out_trace_event ev = event(f, OUT_EV_BALK, c, ds);
            ev.count = ds->nwaiting;
            tell(f, &ev);
        }
        ds->balked += measured;
        drop(f, c, MDL_DROP_BALKED);
        return;
    }
    if (ds->nwaiting == 0 && ds->busy < effective_staff(f, ds)) {
        ds->admitted += measured;
        ds->at_once += measured;
        start_service(f, ds, c);
        return;
    }
    if (!request && ds->spec->capacity != MDL_UNLIMITED && ds->nwaiting >= ds->spec->capacity) {
        if (f->trace) {
            struct out_trace_event ev = event(f, OUT_EV_BLOCK, c, ds);
            ev.count = ds->nwaiting;
            tell(f, &ev);
        }
        ds->blocked += measured;
        drop(f, c, MDL_DROP_BLOCKED);
        return;
    }
    ds->admitted += measured;
    enqueue(f, ds, c);
    if (!request && cl->has_patience)
        c->renege = sim_calendar_schedule(f->cal, now(f) + sim_dist_sample(&cl->patience, sim_stream_rng(&c->patience)),
                                          EV_RENEGE, c);
}

static void visit_done(struct flow *f, struct dstate *ds, struct cust *c)
{
    const struct mdl_scenario *s = f->s;
    double v = mdl_satisfaction_visit(&s->satisfaction, ds->spec->quality, c->visit_wait,
                                      s->classes[c->cls].expect_wait[ds->index]);
    mdl_satisfaction_add(&c->sat, v);
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
    struct out_trace_event ev = event(f, OUT_EV_FINISH, c, ds);
    ev.dur = now(f) - c->arrived_at;
    ev.to = to >= 0 ? f->s->depts[to].name : NULL;
    ev.walk_dur = walk_dur;
    tell(f, &ev);
    if (to < 0) {
        ev = event(f, OUT_EV_EXIT, c, NULL);
        ev.dur = now(f) - c->born_at;
        ev.score = mdl_satisfaction_score(&f->s->satisfaction, &c->sat, c->handoffs, true);
        tell(f, &ev);
    }
    release_staff(ds, c);
}

static void service_done(struct flow *f, struct cust *c)
{
    const struct mdl_scenario *s = f->s;
    struct dstate *ds = &f->d[c->dept];
    double t = now(f);
    ds->busy--;
    update_levels(f, ds);
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
            struct out_trace_event ev = event(f, OUT_EV_RESUME, p, &f->d[p->dept]);
            ev.related = who_of(f, c);
            ev.to = ds->spec->name;
            ev.dur = delay;
            tell(f, &ev);
        }
        record_journey(f, c, true, 0);
        cust_free(f, c);
    } else {
        size_t nd = s->ndepts;
        const struct mdl_class *cl = &s->classes[c->cls];
        size_t next = choose(sim_stream_rng(&c->route), &cl->route[(size_t)c->dept * (nd + 1)], nd + 1);
        if (next == nd) {
            if (f->trace)
                tell_finish(f, ds, c, -1, NAN);
            record_journey(f, c, true, 0);
            cust_free(f, c);
        } else {
            const struct sim_dist *h = s->handoff[(size_t)c->dept * nd + next];
            double walk = h ? sim_dist_sample(h, sim_stream_rng(&c->route)) : 0;
            if (f->trace)
                tell_finish(f, ds, c, (int)next, walk);
            c->handoffs++;
            c->walk_dur = walk;
            c->where = W_WALKING;
            c->dept = (int)next;
            c->event = sim_calendar_schedule(f->cal, t + walk, EV_REACH, c);
        }
    }
    dispatch(f, ds);
}

/* The staff member serving p needs another department: p's service is
 * held, and the request joins that department's queue as an internal
 * customer of the request's class. */
static void raise_request(struct flow *f, struct cust *p)
{
    const struct mdl_request *rq = &f->s->requests[p->req];
    p->where = W_HELD;
    p->held_at = now(f);
    struct cust *rc = cust_new(f, rq->as, p);
    if (f->trace) {
        struct out_trace_event ev = event(f, OUT_EV_REQUEST, p, &f->d[p->dept]);
        ev.related = who_of(f, rc);
        ev.to = f->s->depts[rq->to].name;
        tell(f, &ev);
    }
    reach(f, rc, rq->to);
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
        struct out_trace_event ev = event(f, OUT_EV_RENEGE, c, ds);
        ev.dur = now(f) - c->arrived_at;
        tell(f, &ev);
    }
    drop(f, c, MDL_DROP_RENEGED);
}

/* ---- arrivals ---------------------------------------------------------- */

/* Next arrival of class cs after instant t, or INFINITY. Poisson and
 * time-of-day profiles are sampled exactly: an Exp(1) amount of integrated
 * rate is walked through the piecewise-constant profile (inversion). */
static double next_arrival(struct flow *f, struct cstate *cs, double t)
{
    const struct mdl_class *cl = cs->spec;
    gsl_rng *r = sim_stream_rng(&cs->arrivals);
    double limit = f->s->is_day ? f->close_at : f->end_at;
    double at;
    switch (cl->arrivals) {
    case MDL_ARR_POISSON:
        at = cl->rate > 0 ? t + gsl_ran_exponential(r, 1 / cl->rate) : INFINITY;
        break;
    case MDL_ARR_RENEWAL:
        at = t + sim_dist_sample(&cl->interarrival, r);
        break;
    case MDL_ARR_PROFILE: {
        double e = gsl_ran_exponential(r, 1);
        at = INFINITY;
        while (t < limit) {
            size_t k = 0;
            while (k < cl->nprofile && cl->profile[k].at <= t)
                k++;
            double rate = k == 0 ? 0 : cl->profile[k - 1].value;
            double seg_end = k < cl->nprofile ? cl->profile[k].at : limit;
            if (seg_end > limit)
                seg_end = limit;
            if (rate > 0 && (seg_end - t) * rate >= e) {
                at = t + e / rate;
                break;
            }
            e -= (seg_end - t) * rate;
            t = seg_end;
        }
        break;
    }
    default:
        at = INFINITY;
    }
    return at < limit ? at : INFINITY;
}

static void schedule_arrival(struct flow *f, struct cstate *cs, double t)
{
    double at = next_arrival(f, cs, t);
    if (isfinite(at))
        sim_calendar_schedule(f->cal, at, EV_ARRIVAL, cs);
}

static void arrival(struct flow *f, struct cstate *cs)
{
    int cls = (int)(cs - f->c);
    schedule_arrival(f, cs, now(f));
    struct cust *c = cust_new(f, cls, NULL);
    size_t d = choose(sim_stream_rng(&c->route), cs->spec->enter, f->s->ndepts);
    reach(f, c, (int)d);
}

/* ---- staff and the day ------------------------------------------------- */

static void staff_change(struct flow *f, struct dstate *ds)
{
    const struct mdl_dept *dp = ds->spec;
    if (f->trace) {
        struct out_trace_event ev = event(f, OUT_EV_STAFF, NULL, ds);
        ev.count = (long)dp->staff[ds->next_step].value;
        ev.prev_count = ds->next_step > 0 ? ds->on_duty : -1;
        tell(f, &ev);
    }
    ds->on_duty = (int)dp->staff[ds->next_step].value;
    ds->next_step++;
    if (ds->next_step < dp->nstaff)
        sim_calendar_schedule(f->cal, dp->staff[ds->next_step].at, EV_STAFF, ds);
    update_levels(f, ds);
    dispatch(f, ds);
}

static void close_day(struct flow *f)
{
    const struct mdl_scenario *s = f->s;
    f->closed = true;
    if (f->trace) {
        struct out_trace_event ev = event(f, OUT_EV_CLOSE, NULL, NULL);
        ev.count = 0;
        for (const struct cust *c = f->live; c; c = c->lnext)
            ev.count += c->parent == NULL;
        tell(f, &ev);
    }
    for (size_t d = 0; d < s->ndepts; d++) {
        f->d[d].busy_area_at_close = sim_level_area(&f->d[d].busy_lv, now(f));
        update_levels(f, &f->d[d]);
    }
    if (s->after_close == MDL_SERVE) {
        for (size_t d = 0; d < s->ndepts; d++)
            dispatch(f, &f->d[d]);
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
            update_levels(f, ds);
        }
        sim_calendar_cancel(f->cal, c->event);
        sim_calendar_cancel(f->cal, c->renege);
        if (c->parent) {
            cust_free(f, c);   /* a request ends with its staff member's customer */
            continue;
        }
        if (f->trace) {
            struct out_trace_event ev = event(f, OUT_EV_SENT_HOME, c, ds);
            ev.dur = now(f) - c->born_at;
            tell(f, &ev);
        }
        drop(f, c, MDL_DROP_CLOSED);
    }
}

/* ---- results ----------------------------------------------------------- */

static double ratio(double a, double b)
{
    return b > 0 ? a / b : NAN;
}

static double staffed_minutes(const struct flow *f, const struct mdl_dept *dp)
{
    const struct mdl_scenario *s = f->s;
    if (!s->is_day)
        return dp->staff[0].value * s->length_dur;
    double total = 0;
    for (size_t i = 0; i < dp->nstaff; i++) {
        double until = i + 1 < dp->nstaff ? dp->staff[i + 1].at : s->close_at;
        total += dp->staff[i].value * (until - dp->staff[i].at);
    }
    return total;
}

/* Mean scheduled staff over the hour from `from` (cut at closing). */
static double scheduled_mean(const struct flow *f, const struct mdl_dept *dp, double from)
{
    double to = from + 60 < f->close_at ? from + 60 : f->close_at, total = 0;
    for (size_t i = 0; i < dp->nstaff; i++) {
        double a = dp->staff[i].at, b = i + 1 < dp->nstaff ? dp->staff[i + 1].at : f->close_at;
        a = a > from ? a : from;
        b = b < to ? b : to;
        if (b > a)
            total += dp->staff[i].value * (b - a);
    }
    return total / (to - from);
}

static void write_results(struct flow *f, double *out)
{
    const struct mdl_scenario *s = f->s;
    size_t nd = s->ndepts, nc = s->nclasses;
    double end = f->end_at, span = end - f->start_at;
    double staff_cost = 0, lost = 0;
    for (size_t d = 0; d < nd; d++) {
        struct dstate *ds = &f->d[d];
        double *m = &out[mdl_metric_dept(nc, d, 0)];
        double busy_area = sim_level_area(&ds->busy_lv, end);
        double overtime = s->is_day ? busy_area - ds->busy_area_at_close : 0;
        double overrun = sim_level_area(&ds->overrun, end);
        m[MDL_DM_ARRIVALS] = ds->arrivals;
        m[MDL_DM_WAIT_MEAN] = sim_tally_mean(&ds->wait);
        m[MDL_DM_WAIT_ALL_MEAN] = ratio(ds->wait_all_sum, ds->wait_all_n);
        m[MDL_DM_WAIT_P50] = sim_tally_quantile(&ds->wait, 0.5);
        m[MDL_DM_WAIT_P90] = sim_tally_quantile(&ds->wait, 0.9);
        m[MDL_DM_WAIT_P95] = sim_tally_quantile(&ds->wait, 0.95);
        m[MDL_DM_WAIT_MAX] = sim_tally_max(&ds->wait);
        m[MDL_DM_P_WAIT] = ds->admitted > 0 ? 1 - ds->at_once / ds->admitted : NAN;
        m[MDL_DM_SERVICE_LEVEL] = ratio(ds->in_target, ds->admitted);
        m[MDL_DM_BALK_RATE] = ratio(ds->balked, ds->arrivals);
        m[MDL_DM_BLOCK_RATE] = ratio(ds->blocked, ds->arrivals);
        m[MDL_DM_ABANDON_RATE] = ratio(ds->reneged, ds->admitted);
        m[MDL_DM_UTILIZATION] = ratio(busy_area, sim_level_area(&ds->present, end));
        m[MDL_DM_QUEUE_MEAN] = span > 0 ? sim_level_area(&ds->waiting, end) / span : NAN;
        m[MDL_DM_OVERTIME] = overtime;
        m[MDL_DM_OVERRUN] = overrun;
        m[MDL_DM_VISIT_SATISFACTION] = ratio(ds->vsat_sum, ds->vsat_n);
        staff_cost += ds->spec->cost_per_hour / 60 * (staffed_minutes(f, ds->spec) + overtime + overrun);
    }
    for (size_t c = 0; c < nc + 2; c++) {
        const struct journeys *j = &f->j[c];
        double *m = &out[mdl_metric_class(nd, c, 0)];
        m[MDL_JM_COMPLETED] = j->completed;
        m[MDL_JM_DROPPED] = j->dropped;
        m[MDL_JM_SOJOURN_MEAN] = ratio(j->sojourn, j->completed);
        m[MDL_JM_WAIT_TOTAL_MEAN] = ratio(j->wait_total, j->completed);
        m[MDL_JM_HANDOFFS_MEAN] = ratio(j->handoffs, j->completed);
        m[MDL_JM_REQUEST_DELAY_MEAN] = ratio(j->request_delay, j->completed);
        m[MDL_JM_SATISFACTION_MEAN] = ratio(j->sat_sum, j->sat_n);
        m[MDL_JM_CSAT] = ratio(j->csat, j->sat_n);
        for (int b = 0; b < MDL_SAT_BANDS; b++)
            m[MDL_JM_BAND_1 + b] = ratio(j->bands[b], j->sat_n);
        m[MDL_JM_LOST_VALUE] = j->lost;
        if (c < nc)
            lost += j->lost;
    }
    for (size_t c = 0; c < nc + 2; c++)
        for (size_t d = 0; d < nd; d++)
            for (int k = 0; k < MDL_DROP; k++)
                out[mdl_metric_drop(nd, nc, c, d, k)] = f->j[c].drops[d * MDL_DROP + (size_t)k];
    for (size_t d = 0; d < nd; d++)
        for (size_t h = 0; h < f->nh; h++) {
            const struct hour *hr = &f->d[d].hours[h];
            double *m = &out[mdl_metric_hour(nd, nc, f->nh, d, h, 0)];
            m[MDL_HM_ARRIVALS] = hr->arrivals;
            m[MDL_HM_WAIT_MEAN] = ratio(hr->wait_sum, hr->wait_n);
            m[MDL_HM_DROPS] = hr->drops;
            m[MDL_HM_STAFF] = h + 1 < f->nh ? scheduled_mean(f, &s->depts[d], s->open_at + 60.0 * (double)h)
                                            : NAN;
        }
    out[mdl_metric_cost(nd, nc, MDL_CM_STAFF_COST)] = staff_cost;
    out[mdl_metric_cost(nd, nc, MDL_CM_LOST_VALUE)] = lost;
    out[mdl_metric_cost(nd, nc, MDL_CM_TOTAL_COST)] = staff_cost + lost;
}

/* ---- the run ----------------------------------------------------------- */

static void setup(struct flow *f)
{
    const struct mdl_scenario *s = f->s;
    size_t nd = s->ndepts, nc = s->nclasses;
    double t0 = s->is_day ? s->open_at : 0;
    f->start_at = s->is_day ? s->open_at : s->warmup_dur;
    f->close_at = s->is_day ? s->close_at : INFINITY;
    f->end_at = s->is_day ? s->close_at : s->warmup_dur + s->length_dur;
    f->cal = sim_calendar_create(t0, 256);
    f->arena = sim_arena_create(256 * 1024);
    f->d = sim_arena_alloc(f->arena, nd * sizeof *f->d);
    f->c = sim_arena_alloc(f->arena, nc * sizeof *f->c);
    f->j = sim_arena_alloc(f->arena, (nc + 2) * sizeof *f->j);
    for (size_t c = 0; c < nc + 2; c++)
        f->j[c].drops = sim_arena_alloc(f->arena, nd * MDL_DROP * sizeof *f->j[c].drops);
    f->nh = mdl_flow_hours(s);
    if (f->trace && s->is_day) {
        struct out_trace_event ev = event(f, OUT_EV_OPEN, NULL, NULL);
        tell(f, &ev);
    }
    if (f->trace)
        name_staff(f);
    for (size_t c = 0; c < nc; c++) {
        struct cstate *cs = &f->c[c];
        cs->spec = &s->classes[c];
        cs->level = sim_arena_alloc(f->arena, nd * sizeof *cs->level);
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
        if (f->nh)
            ds->hours = sim_arena_alloc(f->arena, f->nh * sizeof *ds->hours);
        sim_tally_init(&ds->wait, true);
        sim_level_init(&ds->waiting, t0, 0);
        sim_level_init(&ds->busy_lv, t0, 0);
        sim_level_init(&ds->present, t0, 0);
        sim_level_init(&ds->overrun, t0, 0);
        if (ds->spec->staff[0].at <= t0)
            staff_change(f, ds);
        else
            sim_calendar_schedule(f->cal, ds->spec->staff[0].at, EV_STAFF, ds);
    }
    for (size_t c = 0; c < nc; c++)
        schedule_arrival(f, &f->c[c], t0);
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
        sim_level_restart(&ds->present, now(f));
        sim_level_restart(&ds->overrun, now(f));
    }
}

size_t mdl_flow_hours(const struct mdl_scenario *s)
{
    return s->is_day ? (size_t)ceil((s->close_at - s->open_at) / 60) + 1 : 0;
}

static void run(const struct mdl_scenario *s, uint64_t seed, uint32_t rep, double *out,
                struct mdl_flow_stats *stats, mdl_flow_trace_fn fn, void *ctx)
{
    struct flow f = {.s = s, .seed = seed, .rep = rep, .stats = stats, .trace = fn, .trace_ctx = ctx};
    memset(stats, 0, sizeof *stats);
    setup(&f);
    struct sim_event ev;
    while (!f.stop && sim_calendar_pop(f.cal, &ev)) {
        stats->events++;
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
            staff_change(&f, ev.data);
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
    stats->observed_dur = f.end_at - f.start_at;
    size_t nvalues = mdl_metric_count(s->ndepts, s->nclasses, f.nh);
    if (stats->overloaded)
        for (size_t i = 0; i < nvalues; i++)
            out[i] = NAN;
    else
        write_results(&f, out);
    for (size_t d = 0; d < s->ndepts; d++)
        sim_tally_fini(&f.d[d].wait);
    sim_calendar_destroy(f.cal);
    sim_arena_destroy(f.arena);
}

void mdl_flow_run(const struct mdl_scenario *s, uint64_t seed, uint32_t rep, double *out,
                  struct mdl_flow_stats *stats)
{
    run(s, seed, rep, out, stats, NULL, NULL);
}

void mdl_flow_trace(const struct mdl_scenario *s, uint64_t seed, uint32_t rep, mdl_flow_trace_fn fn, void *ctx,
                    struct mdl_flow_stats *stats)
{
    double *out = sim_xmalloc(mdl_metric_count(s->ndepts, s->nclasses, mdl_flow_hours(s)) * sizeof *out);
    run(s, seed, rep, out, stats, fn, ctx);
    free(out);
}
