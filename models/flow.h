/* models/flow.h — one replication of a scenario: customers moving through
 * departments, event by event, on the kernel's calendar and streams.
 *
 * mdl_flow_run simulates replication `rep` of scenario s (a day, or a
 * steady-state run) and writes its metrics (models/metrics.h) into out. The
 * result depends only on (s, seed, rep): replications can run in any order,
 * on any thread. Every customer draws its needs from its own streams, named
 * by (class, serial number), so a change of staffing does not shift another
 * customer's service times or patience (common random numbers).
 *
 * Semantics the spec leaves open are documented in docs/model.md.
 */
#ifndef MDL_FLOW_H
#define MDL_FLOW_H

#include "models/scenario.h"
#include "output/trace.h"

#include <stdbool.h>
#include <stdint.h>

/* A replication with more than s->max_in_system customers inside at once
 * is stopped as overloaded: its metrics are NaN (they would describe a
 * queue still growing, cut off at an arbitrary moment), and the departments
 * whose queues held the crowd are named. Memory so stays bounded: only the
 * customers inside take any. */
struct mdl_flow_stats {
    uint64_t events;          /* calendar events handled */
    uint64_t customers;       /* customers created (arrivals and requests) */
    bool overloaded;          /* stopped at s->max_in_system */
    uint64_t overloaded_depts; /* bit d: department d was overloaded when it
                                  stopped (its queue held a tenth of the
                                  customers inside, or the most of them) */
    double observed_dur;      /* minutes over which levels were integrated */
};

/* Hour bins of a scenario: for a day, one per hour from opening (the last
 * may be shorter) and one for after closing; none for steady-state runs. */
size_t mdl_flow_hours(const struct mdl_scenario *s);

/* out has mdl_metric_count(s->ndepts, s->nclasses, mdl_flow_hours(s)) doubles. */
void mdl_flow_run(const struct mdl_scenario *s, uint64_t seed, uint32_t rep, double *out,
                  struct mdl_flow_stats *stats);

/* Receives every event of a traced replication, in time order. The event
 * and its strings live until the call returns. */
typedef void (*mdl_flow_trace_fn)(void *ctx, const struct out_trace_event *ev);

/* Runs replication `rep` like mdl_flow_run, telling fn every event:
 * customers arriving, waiting, served by named staff members, asking other
 * departments, walking on, giving up, leaving; staff coming and going. The
 * story is the replication mdl_flow_run measures: the same numbers follow. */
void mdl_flow_trace(const struct mdl_scenario *s, uint64_t seed, uint32_t rep, mdl_flow_trace_fn fn, void *ctx,
                    struct mdl_flow_stats *stats);

#endif
