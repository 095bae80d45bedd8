/* models/compare.h — plans side by side on common random numbers.
 *
 * Every plan of a comparison runs the same replications (same master seed,
 * same replication numbers), and every customer draws its needs, patience
 * and routing from streams named by its class and serial number
 * (docs/kernel.md). So replication r of the baseline and of a variant meet
 * the same customers, and a metric's difference in replication r is a
 * paired observation: what the change alone did to that day. The interval
 * of the mean of these differences (Student t over the pairs) is narrower
 * than the one two independent runs would give, by as much as the plans'
 * days are alike.
 *
 * Metrics are matched by scope and name, so a variant that adds an hour to
 * the day still compares every metric the two plans share. A variant that
 * adds or reorders customer classes renumbers their streams: its customers
 * are then not the baseline's (docs/model.md).
 */
#ifndef MDL_COMPARE_H
#define MDL_COMPARE_H

#include "output/report.h"
#include "sim/mem.h"

/* Gives every metric of plan that base also has (same scope kind, scope
 * name and metric name) its paired difference plan - base over the reps
 * replications both measured (out_metric.diff, in arena). Both plans must
 * keep their replications' values (out_metric.values). */
void mdl_compare_plan(const struct out_plan *base, struct out_plan *plan, unsigned reps, struct sim_arena *arena);

#endif
