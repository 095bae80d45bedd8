/* models/flow_state.h — the state of one replication of the flow model,
 * shared by the files that make up the model (flow.c: the events;
 * flow_staff.c: who may serve and who is paid; flow_arrivals.c: when
 * customers arrive; flow_trace.c: telling them; flow_results.c: the
 * metrics at the end).
 * Internal to models/ (flow*.c): nothing else includes it.
 *
 * Invariants: a customer is in exactly one of: walking (an EV_REACH
 * pending), waiting (in one queue of its department, a renege maybe
 * pending), in service (an EV_DONE or EV_REQUEST pending), held (its
 * request is somewhere in the business). busy counts the customers in
 * service or held at a department; nwaiting those in its queues.
 */
#ifndef MDI_FLOW_STATE_H
#define MDI_FLOW_STATE_H

#include "models/flow.h"
#include "models/satisfaction.h"
#include "sim/calendar.h"
#include "sim/mem.h"
#include "sim/stream.h"
#include "sim/tally.h"

/* Streams (docs/kernel.md, "Random streams"): each class's arrivals, a plain
 * stream of purpose P_ARRIVAL; each booked customer's no-show and
 * punctuality, the sub-stream of purpose P_APPOINTMENT, entity the class,
 * numbered by the customer's serial number (its slot's minute of the day *
 * MDL_APPT_PLACES + its place in the slot; flow_arrivals.c); and per visit,
 * the streams of visit_rng in flow.c, one for each kind of draw, named by
 * (kind, class, department, visit number) and the customer's serial number
 * as sub-stream, whose purpose byte alone has its top bit set: no two
 * kinds ever meet. */
enum { P_ARRIVAL = 1, P_APPOINTMENT = 2 };
enum { K_ROUTE, K_SERVICE, K_PATIENCE, K_REQUEST };
#define VISIT_BITS 17                  /* a visit number is kept modulo 2^17 */

enum {
    EV_ARRIVAL, EV_REACH, EV_DONE, EV_REQUEST, EV_RENEGE, EV_STAFF, EV_CLOSE, EV_WARM, EV_END,
    EV_SHIFT,                          /* a shift's people start, or end (struct shift_rt) */
    EV_BREAK,                          /* a person's break is due, or its window opens (struct person) */
    EV_BACK,                           /* a person is back from a break */
};

enum where { W_WALKING, W_WAITING, W_SERVICE, W_HELD };

/* A place in a queue: queues are circular lists through a sentinel, so
 * joining and leaving take no branch (whether the queue was empty is a coin
 * toss the processor cannot predict). */
struct qlink {
    struct qlink *prev, *next;
};

struct cust {
    struct qlink q;                    /* first: a queued customer is its link */
    struct cust *lprev, *lnext;        /* customers in the business */
    struct cust *parent;               /* a request's customer: the held service */
    int cls, dept, level;
    int req;                           /* the request raised in this service (index) */
    enum where where;
    uint32_t serial;
    uint32_t label;                    /* the trace's number for it (from 1) */
    int slot;                          /* the staff member serving it (tracing), or -1 */
    struct crew *crew;                 /* who serves it: its department's own staff or a pool */
    struct person *server;             /* the person, when that crew is on shifts */
    double born_at, arrived_at, held_at, remaining, walk_dur;
    double service_dur;                /* its need at the current department: drawn
                                          when it reaches it (draw_need in flow.c) */
    sim_handle event, renege;
    int handoffs;
    double wait_total, request_delay, visit_wait;
    double req_need;                   /* the request raised in this service: its
                                          service need, drawn with the decision */
    bool req_pending;                  /* that request is still to be raised */
    uint64_t future;                   /* after closing: bit d, it may still come to
                                          department d (counted in cancome) */
    struct mdl_sat_journey sat;
    bool measured;                     /* arrived at or after measurement start */
    uint32_t visits[];                 /* [ndepts] visits to each department so far
                                          (requests: unused); keys its draws there */
};

struct queue {
    struct qlink end;                  /* the sentinel: end.next is the head */
};

/* A person of a crew on shifts (flow_staff.c). Off before the shift,
 * then idle, busy or on a break, and gone after it (or after closing, by
 * the after-close rule). A person's next break is not yet due, in its
 * window (taken as soon as the person is idle with nobody waiting), or due
 * (taken as soon as the person is free: late when busy). */
enum pstate { P_OFF, P_IDLE, P_BUSY, P_BREAK, P_GONE };
enum { BRK_NONE, BRK_WINDOW, BRK_DUE };
struct person {
    struct person *prev, *next;        /* the crew's idle list, longest idle first */
    sim_handle break_ev;               /* its pending EV_BREAK or EV_BACK, or 0 */
    struct crew *crew;
    const struct mdl_shift *shift;
    struct cust *serving;
    const char *name;                  /* tracing */
    double due_at;                     /* when its due break was to start */
    size_t next_break;                 /* its shift's next break */
    int brk;                           /* BRK_* */
    enum pstate state;
    bool leaving;                      /* its shift is over: goes when free */
};

/* A shift's people coming on or going off (an EV_SHIFT's payload). */
struct shift_rt {
    struct crew *crew;
    struct person *first;              /* its people: first[0 .. count) */
    const struct mdl_shift *spec;
    bool ending;                       /* the event at hand: its end (else its start) */
};

/* Who serves: a department's own staff (dstate.own) or a pool. A head
 * count by schedule (people NULL: on_duty follows the schedule's steps),
 * or people on shifts (on_duty: those idle or busy and not leaving). busy:
 * its people serving; after closing (serve), kept: how many may serve (a
 * head count's; people go home one by one). Levels: present (paid: on
 * duty, or serving past the schedule, or on a paid break) and overrun
 * (serving past the schedule or shift). */
struct crew {
    const struct mdl_crew *spec;
    struct dstate *dept;               /* a department's own staff: its department */
    struct pstate_pool *pool;          /* a pool's staff: the pool */
    int on_duty, busy, kept;
    size_t next_step;                  /* a head count: its next schedule step */
    struct person *people;             /* on shifts: every person of every shift */
    size_t npeople;
    struct shift_rt *shifts;           /* [spec->nshifts] */
    struct person idle;                /* the idle list's sentinel */
    int nidle, nbreak;
    struct sim_level present, overrun, on_duty_lv;
    double present_area_at_close;      /* staff-minutes present until closing */
    double pre_open_paid;              /* staff-minutes on shift before the opening (paid) */
    int *dept_slot;                    /* a pool's: [ndepts] each department's place in its
                                          serves, or -1 */
    int nslots;                        /* tracing a head count: its members, by name */
    const char **names;
    bool *slot_busy;
};

/* A pool of cross-trained staff (flow_staff.c): its crew, and per
 * department it serves, its people serving there. */
struct pstate_pool {
    const struct mdl_pool *spec;
    struct crew crew;
    struct sim_level *busy_at;         /* [spec->nserves] */
    int *busy_n;                       /* [spec->nserves] */
    double served;                     /* customers it started serving, measured */
};

struct dstate {
    const struct mdl_dept *spec;
    int index;
    int busy;                          /* customers in service or held here, by any crew */
    struct crew own;                   /* its own staff */
    struct pstate_pool **pools;        /* the pools that serve it, in the scenario's order */
    int *pool_slot;                    /* [npools]: this department's index in each pool's serves */
    size_t npools;
    size_t nlevels;
    struct queue *q;
    long nwaiting;
    struct sim_tally wait;
    double arrivals, balked, blocked, admitted, reneged, at_once, in_target;
    double wait_all_sum, wait_all_n, vsat_sum, vsat_n;
    struct sim_level waiting, busy_lv;
    long cancome;                      /* after closing: customers inside who may
                                          still come here (see cust.future) */
    struct hour *hours;                /* [nh]; NULL in steady state */
};

struct journeys {
    double completed, dropped, sojourn, wait_total, handoffs, request_delay, sat_sum, sat_n, csat, lost;
    double bands[MDL_SAT_BANDS];
    double sat_parts[MDL_SAT_PARTS];   /* summed: what the scores fall short of 5, by part */
    double *drops;                     /* [ndepts][MDL_DROP] */
};

struct hour {                          /* one department, one hour of the day */
    double arrivals, wait_sum, wait_n, drops;
    double admitted, in_target;        /* of the arrivals: admitted; of those, started in target_wait */
    double queue_area;                 /* customers waiting, integrated over the hour */
    double busy_area;                  /* customers in service, integrated over the hour */
    double staff_area;                 /* own staff on duty, integrated (people on shifts) */
};

/* A booked customer who comes: when, and its serial number. */
struct booked {
    double at;
    uint32_t serial;
};

struct cstate {
    const struct mdl_class *spec;
    struct sim_stream arrivals;
    uint32_t next_serial, next_label;
    struct booked *book;               /* appointments: the day's, in order of arrival */
    size_t nbook, next_booked;
    int *level;                        /* [ndepts] queue level at each department */
    int *sole_next;                    /* [ndepts] the one place after each department
                                          (ndepts: exit), or -1 when it is drawn */
    int sole_enter;                    /* the one department entered, or -1 */
};

struct flow {
    const struct mdl_scenario *s;
    uint64_t seed;
    uint32_t rep;
    struct sim_calendar *cal;
    struct sim_arena *arena;
    struct dstate *d;
    struct pstate_pool *p;             /* [npools] */
    struct cstate *c;
    struct journeys *j;                /* [nclasses + 2]: classes, external, internal */
    struct cust *live, *free_list;
    size_t cust_size;                  /* a customer with its visit counts */
    size_t nlive;
    size_t nh;                         /* hour bins (day runs) */
    double now_at;                     /* the calendar's clock, kept here for speed */
    double start_at, close_at, end_at;
    bool closed, stop;
    bool keeping;                      /* closed, serving those inside: staff go home
                                          by the rule of flow_staff.c */
    uint64_t *reach_at, *after;        /* [nclasses][ndepts], set at closing: the
                                          departments a customer of the class may come
                                          to from reaching department d (d included),
                                          and from finishing its service there */
    struct mdl_flow_stats *stats;
    mdl_flow_trace_fn trace;           /* NULL: nobody listens (no cost) */
    void *trace_ctx;
};

static inline double mdi_flow_now(const struct flow *f)
{
    return f->now_at;
}

/* flow_staff.c: who may serve and who is paid */
/* Crew cr may take a customer now: a head count with fewer busy than on
 * duty (after closing: kept), or people with someone idle. */
static inline bool mdi_crew_free(const struct flow *f, const struct crew *cr)
{
    return cr->people ? cr->nidle > 0 : cr->busy < (f->keeping ? cr->kept : cr->on_duty);
}
/* Who takes a customer at ds now: its own staff, else the first pool that
 * serves it with someone free; NULL when nobody may. */
static inline struct crew *mdi_staff_free_for(const struct flow *f, struct dstate *ds)
{
    if (mdi_crew_free(f, &ds->own))
        return &ds->own;
    for (size_t k = 0; k < ds->npools; k++)
        if (mdi_crew_free(f, &ds->pools[k]->crew))
            return &ds->pools[k]->crew;
    return NULL;
}
/* Sets up every crew (each department's own staff, each pool) and
 * schedules their first events; t0 is the clock's start. */
void mdi_staff_setup(struct flow *f, double t0);
/* After cr's busy, on-duty or kept changed: its present and overrun
 * levels (and, on shifts, on duty by hour). */
void mdi_staff_changed(struct flow *f, struct crew *cr);
/* Crew cr (free) takes c; c's server is free again (idle, on a break, or
 * gone home; true when idle); at closing with after_close: leave, c's
 * crew stops serving it. Inline is nearly every service's case: a head
 * count before closing, serving within its number (it was free), whose
 * levels do not move; the rest (people, pools, overrun, after closing)
 * is flow_staff.c's. */
void mdi_staff_take_rest(struct flow *f, struct crew *cr, struct cust *c);
bool mdi_staff_release_rest(struct flow *f, struct cust *c);
static inline void mdi_staff_take(struct flow *f, struct crew *cr, struct cust *c)
{
    c->crew = cr;
    c->server = NULL;
    cr->busy++;
    if (cr->people || cr->pool || f->closed)
        mdi_staff_take_rest(f, cr, c);
}
static inline bool mdi_staff_release(struct flow *f, struct cust *c)
{
    struct crew *cr = c->crew;
    cr->busy--;
    if (cr->people || cr->pool || f->closed || cr->busy >= cr->on_duty)
        return mdi_staff_release_rest(f, c);
    return true;
}
void mdi_staff_drop(struct flow *f, struct cust *c);
/* EV_STAFF, EV_SHIFT, EV_BREAK or EV_BACK: returns the crew that may now
 * have someone free (the caller dispatches), or NULL. */
struct crew *mdi_staff_event(struct flow *f, int kind, void *data);
/* The last stretch of on-duty levels into the hours, at the end. */
void mdi_staff_finish(struct flow *f);
/* At closing, with after_close: serve: who may still come where, and the
 * staff each crew keeps (f->keeping from then on); with leave: everyone
 * goes home. */
void mdi_staff_keep(struct flow *f);
void mdi_staff_all_home(struct flow *f);
/* After closing: c moved on (joined a queue, started, walked on), or c
 * may now come only to the departments of mask (0: it leaves); the idle
 * staff who serve ds go home once nobody waits and nobody can come. No-ops
 * while open. */
void mdi_staff_count_future(struct flow *f, struct cust *c, uint64_t mask);
void mdi_staff_moved_after_close(struct flow *f, struct cust *c);
void mdi_staff_go_home_after_close(struct flow *f, struct dstate *ds);
static inline void mdi_staff_moved(struct flow *f, struct cust *c)
{
    if (f->keeping)
        mdi_staff_moved_after_close(f, c);
}
static inline void mdi_staff_may_go_home(struct flow *f, struct dstate *ds)
{
    if (f->keeping)
        mdi_staff_go_home_after_close(f, ds);
}

/* flow.c: crew cr may have someone free: it serves whom it may (its
 * department's queue, or a pool's departments in its order). */
void mdi_flow_dispatch_crew(struct flow *f, struct crew *cr);

/* flow_arrivals.c: when customers arrive. The first arrival of class cs,
 * scheduled at the start (an appointment book is drawn then, whole). */
void mdi_arrivals_start(struct flow *f, struct cstate *cs);
/* The customer of class cs arriving now: schedules the class's next arrival
 * (none at or after closing, or the end of the run) and returns the serial
 * number the arriving customer takes (walk-ins: 0, 1, 2 ... in order of
 * arrival; booked customers: their slot and place). */
uint32_t mdi_arrivals_next(struct flow *f, struct cstate *cs);
/* The most memory the day's appointment books of s take, in bytes. */
size_t mdi_arrivals_book_bytes(const struct mdl_scenario *s);

/* flow_trace.c: events for the listener, and named staff (tracing only) */
struct mdl_event_who mdi_trace_who(const struct flow *f, const struct cust *c);
/* An event of customer c (or of the business, c NULL) at department ds
 * (or NULL), now, with the staff member serving c when there is one. */
struct mdl_event mdi_trace_event(const struct flow *f, enum mdl_event_kind kind, const struct cust *c,
                                       const struct dstate *ds);
void mdi_trace_tell(struct flow *f, const struct mdl_event *ev);
void mdi_trace_name_staff(struct flow *f);
/* c's server, named for the story: a head count's first free member (a
 * slot, freed by release), or a person on shifts (its place in the crew). */
void mdi_trace_take_staff(struct crew *cr, struct cust *c);
void mdi_trace_release_staff(struct crew *cr, struct cust *c);

/* flow_results.c: the replication's metric vector (models/metrics.h). */
void mdi_flow_results(struct flow *f, double *out);

#endif
