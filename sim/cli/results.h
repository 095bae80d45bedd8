/* sim/cli/results.h — what the model gives, as the writers take it.
 *
 * The model (models/) knows metrics as numbered slots of one replication's
 * vector (models/metrics.h) and tells a traced day as its own events; the
 * writers (output/) read a report's plain structs (output/report.h,
 * output/trace.h) and know nothing of the model. This is where one becomes
 * the other, and the only place: a plan's replications summarised with
 * their intervals, paired differences between plans, a traced event.
 *
 * Common random numbers: every plan of a comparison runs the same
 * replications (same master seed, same replication numbers), and every
 * customer draws its needs, patience and routing from streams named by its
 * class and serial number (docs/kernel.md). So replication r of the
 * baseline and of a variant meet the same customers, and a metric's
 * difference in replication r is a paired observation: what the change
 * alone did to that day. Metrics are matched by scope and name, so a
 * variant that adds an hour to the day still compares every metric the two
 * plans share; a variant that adds or reorders customer classes renumbers
 * their streams, and its customers are then not the baseline's
 * (docs/model.md).
 */
#ifndef CLI_RESULTS_H
#define CLI_RESULTS_H

#include "models/flow.h"
#include "models/run.h"
#include "models/scenario.h"
#include "models/workshop.h"
#include "output/report.h"
#include "output/trace.h"
#include "sim/mem.h"

/* Fills plan (named plan_name) from the replications' vectors of s
 * (values: reps x mdl_run_stride(s), replication r at r * stride) and the
 * waits they pooled: every metric's estimate over replications with its 95%
 * interval, as spec §3 says (a ratio of totals, a per-day mean or a pooled
 * quantile, by the metric's kind; docs/estimators.md), clamped to the
 * metric's range, with its replications' values copied beside it. The
 * plan's strings and arrays live in `arena`, its names too: the plan does
 * not point into s or plan_name, and outlives them. */
void cli_results_plan(const struct mdl_scenario *s, const char *plan_name, const double *values, unsigned reps,
                      const struct mdl_run_totals *totals, const struct mdl_run_pools *pools, struct sim_arena *arena,
                      struct out_plan *plan);

/* The same from replications summarised in one ratio tally per value
 * (mdl_run_tallies): the intervals of kept values, to rounding, and no
 * values. */
void cli_results_plan_summarised(const struct mdl_scenario *s, const char *plan_name,
                                 const struct sim_ratio_tally *tallies, unsigned reps,
                                 const struct mdl_run_totals *totals, const struct mdl_run_pools *pools,
                                 struct sim_arena *arena, struct out_plan *plan);

/* Runs and summarises: mdl_run_reps, then cli_results_plan. values, when
 * not NULL, receives the vectors. Memory: reps vectors (some 4 KB each for
 * the dealership), which pairing plans (compare) needs. */
void cli_results_run(const struct mdl_scenario *s, const char *plan_name, uint64_t seed, unsigned reps, int jobs,
                     struct sim_arena *arena, struct out_plan *plan, double *values, struct mdl_run_totals *totals);

/* Runs the plans of a comparison — s[0] the baseline, s[1 .. n) its
 * variants, named names[i] — on the same days (seed, replications
 * 0 .. reps-1) and summarises each into plans[i], every variant with its
 * paired difference from the baseline metric by metric (cli_results_pair).
 * Up to `keep` replications every replication's vector is kept (the report
 * lists their values); beyond, the plans run in blocks of replications
 * whose values go into tallies — one per plan and metric, and one per
 * variant and metric for the pair (sim_ratio_diff_tally) — and are
 * forgotten, so memory does not grow with reps: the intervals are those of
 * the kept values, to rounding, and the report lists no values. */
void cli_results_compare(struct mdl_scenario *const *s, const char *const *names, size_t n, uint64_t seed,
                         unsigned reps, int jobs, unsigned keep, struct sim_arena *arena, struct out_plan *plans);

/* The most replications whose vectors are kept (the report lists their
 * values); beyond, run and compare summarise them in tallies. The memory
 * budget may keep fewer (sim/cli/budget.h). */
#define CLI_RESULTS_KEEP_MAX 10000

/* Like cli_results_run without values, for a plan that is not paired with
 * another: up to `keep` replications it is cli_results_run; beyond, the
 * replications go into one tally per metric (mdl_run_tallies), so memory
 * does not grow with reps. The metrics' intervals then come from the
 * tallies (equal to rounding) and their values are NULL. */
void cli_results_run_bounded(const struct mdl_scenario *s, const char *plan_name, uint64_t seed, unsigned reps,
                             int jobs, unsigned keep, struct sim_arena *arena, struct out_plan *plan,
                             struct mdl_run_totals *totals);

/* Gives every metric of plan that base also has (same scope kind, scope
 * name and metric name) its paired difference plan - base over the reps
 * replications both measured (out_metric.diff, in arena). Both plans must
 * keep their replications' values (out_metric.values). */
void cli_results_pair(const struct out_plan *base, struct out_plan *plan, unsigned reps, struct sim_arena *arena);

/* The replications that would likely settle every goal of plans[0..n) run
 * with reps replications: a goal too close to call needs its
 * more_replications more; a goal metric whose interval is wider than
 * +/- precision needs reps x (half / precision)^2 (the half-width shrinks
 * as 1/sqrt(n)). UINT_MAX when a goal's estimate sits on its target; reps
 * when nothing more is needed. */
unsigned cli_results_reps_needed(const struct out_plan *plans, size_t n, unsigned reps, double precision);

/* A traced event of the model as the trace writer takes it (the strings are
 * the event's). */
struct out_trace_event cli_results_event(const struct mdl_event *ev);

/* What a workshop scores in plan p (its means; NaN where not measured). */
struct mdl_score_inputs cli_results_score_inputs(const struct out_plan *p);

#endif
