/* models/run.h — replications of a scenario, in parallel, summarised.
 *
 * mdl_run_plan runs replications 0..reps-1 of a scenario (OpenMP threads,
 * `jobs` of them; 0 means all cores) and fills one plan of a report with
 * each metric's mean and 95% Student-t interval over replications. Each
 * replication depends only on (scenario, seed, replication number), so the
 * numbers are identical whatever `jobs` is. Memory: one metric vector per
 * replication, plus what each running replication holds.
 */
#ifndef MDL_RUN_H
#define MDL_RUN_H

#include "models/scenario.h"
#include "output/report.h"
#include "sim/mem.h"

struct mdl_run_totals {
    uint64_t events, customers;
    unsigned overloaded;
};

/* Runs and summarises; the plan's strings and arrays live in `arena`.
 * values, when not NULL, receives the reps x mdl_metric_count vectors. */
void mdl_run_plan(const struct mdl_scenario *s, const char *plan_name, uint64_t seed, unsigned reps,
                  int jobs, struct sim_arena *arena, struct out_plan *plan, double *values,
                  struct mdl_run_totals *totals);

#endif
