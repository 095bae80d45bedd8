/* models/flow.h — one replication of a scenario: customers moving through
 * departments, event by event, on the kernel's calendar and streams.
 *
 * mdl_flow_run simulates replication `rep` of scenario s (a day, or a
 * steady-state run) and writes its metrics (models/metrics.h) into out. The
 * result depends only on (s, seed, rep): replications can run in any order,
 * on any thread. Every draw a customer makes for a visit (its need, its
 * patience, its request, its route after it) comes from streams named by
 * (class, serial number, department, visit number there), so neither a change
 * of staffing nor what happened to the customer upstream shifts what it
 * draws at a desk (common random numbers; docs/model.md).
 *
 * Semantics the spec leaves open are documented in docs/model.md.
 */
#ifndef MDL_FLOW_H
#define MDL_FLOW_H

#include "models/scenario.h"

#include <stdbool.h>
#include <stdint.h>

/* A replication with more than s->max_in_system customers inside at once
 * is stopped as overloaded: its metrics are NaN (they would describe a
 * queue still growing, cut off at an arbitrary moment), and the departments
 * whose queues held the crowd are named. Memory so stays bounded: only the
 * customers inside take any. Work is bounded too: a replication that handles
 * more than s->max_events events is stopped the same way (over_events). */
struct mdl_flow_stats {
    uint64_t events;          /* calendar events handled */
    uint64_t customers;       /* customers created (arrivals and requests) */
    bool overloaded;          /* stopped at s->max_in_system, or at s->max_events */
    bool over_events;         /* stopped at s->max_events: more work than its
                                 arrivals and routes lead one to expect */
    uint64_t overloaded_depts; /* bit d: department d was overloaded when it
                                  stopped (its queue held a tenth of the
                                  customers inside, or the most of them) */
    double observed_dur;      /* minutes over which levels were integrated */
};

/* The most memory one replication of s takes, in bytes, as an upper
 * estimate: a fixed part (statistics, hours, the arena's first block) and,
 * for each of up to max_in_system customers inside, the customer and its
 * two pending events. The program sizes its threads by it (sim/cli/budget.h);
 * tests/test_cli_robust.c measures it against the process's peak. */
size_t mdl_flow_memory(const struct mdl_scenario *s);

/* The by-hour bins of a scenario: for a day, one per interval of the clock
 * (day.interval minutes, 60 by default, counted from midnight: 09:00,
 * 10:00 ... whatever the opening time) that the day overlaps, the first and
 * the last cut at opening and closing, then one for after closing; none for
 * steady-state runs. Bin h < mdl_flow_hours(s) - 1 spans
 * [mdl_flow_bin_from(s, h), mdl_flow_bin_to(s, h)). */
size_t mdl_flow_hours(const struct mdl_scenario *s);
double mdl_flow_bin_from(const struct mdl_scenario *s, size_t h);
double mdl_flow_bin_to(const struct mdl_scenario *s, size_t h);
/* The bin of instant t before closing. */
size_t mdl_flow_bin_of(const struct mdl_scenario *s, double t);

/* Where replications add their customers' waits, department by
 * department, for quantiles of all waits pooled over replications: dept[d]
 * (d < s->ndepts) is a histogram made as a tally's (sim/tally.h: SIM_TALLY_Q_LO,
 * _HI, _REL). Replications on other threads may add to the same pool at once:
 * adding takes a lock; counts add, so the order does not matter. */
struct sim_qhist;
struct mdl_flow_pool {
    struct sim_qhist **dept;
};

/* out has mdl_metric_stride(s->ndepts, s->nclasses, mdl_flow_hours(s), s->npools)
 * doubles: values, then weights (models/metrics.h). With pool, the
 * replication's measured waits are added to it, unless it was stopped as
 * overloaded. */
void mdl_flow_run(const struct mdl_scenario *s, uint64_t seed, uint32_t rep, double *out,
                  struct mdl_flow_stats *stats, const struct mdl_flow_pool *pool);

/* What a traced replication tells, event by event. */
enum mdl_event_kind {
    MDL_EV_ARRIVE,     /* reaches a department; count: customers waiting there */
    MDL_EV_BALK,       /* leaves at once: count waiting was too many */
    MDL_EV_BLOCK,      /* refused: no waiting place left (count waiting) */
    MDL_EV_START,      /* staff starts serving; dur: the wait */
    MDL_EV_REQUEST,    /* staff serving the customer needs department `to`; related: the request */
    MDL_EV_RESUME,     /* the request is answered; dur: how long it took */
    MDL_EV_FINISH,     /* leaves the department; dur: time there; to: next (NULL: out); walk_dur */
    MDL_EV_RENEGE,     /* gives up waiting; dur: the wait */
    MDL_EV_EXIT,       /* leaves the business served; dur: time inside; score */
    MDL_EV_SENT_HOME,  /* sent home at closing; dur: time inside */
    MDL_EV_STAFF,      /* staff on duty changes: count (prev_count before) */
    MDL_EV_OPEN,       /* the doors open */
    MDL_EV_CLOSE,      /* the doors close; count: customers inside */
    MDL_EV_SHIFT_START, /* a person (staff) of shift `shift` comes on duty */
    MDL_EV_SHIFT_END,  /* a person goes home: its shift's end; dur: minutes past it (finishing a
                           customer), NaN after closing */
    MDL_EV_BREAK,      /* a person goes on a break; dur: minutes late (finishing a customer) */
    MDL_EV_BACK,       /* a person is back from a break */
    MDL_EV_STAYS,      /* after closing, a person stays (or comes back) to serve those inside */
    MDL_EV_KINDS
};

/* Whether an event of kind k tells a change of staff on duty (its count:
 * the crew's own staff on duty after it). */
static inline bool mdl_event_tells_staff(enum mdl_event_kind k)
{
    return k == MDL_EV_STAFF || k == MDL_EV_SHIFT_START || k == MDL_EV_SHIFT_END || k == MDL_EV_BREAK ||
           k == MDL_EV_BACK || k == MDL_EV_STAYS;
}

/* A customer: its class and its number within the class, from 1 in order of
 * arrival. */
struct mdl_event_who {
    const char *cls;            /* NULL: nobody */
    unsigned long id;
    bool internal, request;     /* an internal class; made by a request */
};

struct mdl_event {
    enum mdl_event_kind kind;
    double at;                  /* instant: minutes after midnight (day runs) or after the start */
    struct mdl_event_who who;   /* the customer; cls NULL for events of the business */
    struct mdl_event_who related; /* a request's customer, or the request a customer waits on */
    const char *dept;           /* where, or NULL */
    const char *staff;          /* the staff member serving, or NULL */
    const char *shift;          /* SHIFT_START ... STAYS: the person's shift; count: its crew's
                                   staff on duty after it (people of a department's own staff) */
    double break_dur;           /* BREAK: the break's length, minutes */
    const char *pool;           /* START, FINISH: the pool the staff member serving is from, or NULL */
    const char *to;             /* FINISH: next department; REQUEST: department asked */
    double dur, walk_dur, score;   /* NaN when not applicable */
    long count, prev_count;     /* -1 when not applicable */
};

/* Receives every event of a traced replication, in time order. The event
 * and its strings live until the call returns. */
typedef void (*mdl_flow_trace_fn)(void *ctx, const struct mdl_event *ev);

/* Runs replication `rep` like mdl_flow_run, telling fn every event:
 * customers arriving, waiting, served by named staff members, asking other
 * departments, walking on, giving up, leaving; staff coming and going. The
 * story is the replication mdl_flow_run measures: the same numbers follow. */
void mdl_flow_trace(const struct mdl_scenario *s, uint64_t seed, uint32_t rep, mdl_flow_trace_fn fn, void *ctx,
                    struct mdl_flow_stats *stats);

#endif
