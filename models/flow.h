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

/* Customers in the business at once beyond which a replication is stopped
 * as overloaded (its metrics are then NaN). */
#define MDL_FLOW_MAX_IN_SYSTEM 1000000

struct mdl_flow_stats {
    uint64_t events;       /* calendar events handled */
    uint64_t customers;    /* customers created (arrivals and requests) */
    bool overloaded;       /* stopped at MDL_FLOW_MAX_IN_SYSTEM */
    double observed_dur;   /* minutes over which levels were integrated */
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
