/* models/run.h — replications of a scenario, in parallel.
 *
 * mdl_run_reps runs replications 0..reps-1 of a scenario (OpenMP threads,
 * `jobs` of them; 0 means all cores), each writing its metric vector
 * (models/metrics.h). Each replication depends only on (scenario, seed,
 * replication number), so the numbers are identical whatever `jobs` is.
 * Memory: one metric vector per replication, or for replications too many
 * to keep (mdl_run_tallies) a bounded amount whatever the replications.
 *
 * It summarises nothing: turning the vectors into a report's plan, with
 * intervals, is the program's (sim/cli/results.h).
 */
#ifndef MDL_RUN_H
#define MDL_RUN_H

#include "models/flow.h"
#include "models/scenario.h"
#include "sim/tally.h"

struct mdl_run_totals {
    uint64_t events, customers;
    unsigned overloaded;                    /* replications stopped as overloaded */
    unsigned dept_overloaded[MDL_MAX_DEPTS]; /* of those, the ones where department d was */
};

/* Metrics in one replication's vector of s (models/metrics.h). */
size_t mdl_run_stride(const struct mdl_scenario *s);

/* Simulates replications 0..reps-1 of s on `jobs` threads into values
 * (reps x mdl_run_stride(s) doubles, replication r at r * stride) and
 * totals. */
void mdl_run_reps(const struct mdl_scenario *s, uint64_t seed, unsigned reps, int jobs, double *values,
                  struct mdl_run_totals *totals);

/* The same, for replications too many to keep: they run in blocks whose
 * values are added, in replication order (so the numbers do not depend on
 * jobs), to tallies[0..stride) (initialised by the caller, no quantiles)
 * and forgotten. A NaN value (not measured) is not added. */
void mdl_run_tallies(const struct mdl_scenario *s, uint64_t seed, unsigned reps, int jobs,
                     struct sim_tally *tallies, struct mdl_run_totals *totals);

/* Adds one replication's flow statistics to totals. */
void mdl_run_totals_add(struct mdl_run_totals *totals, const struct mdl_flow_stats *stats);

#endif
