/* output/text.h — the report a manager reads: aligned tables on a terminal. */
#ifndef OUT_TEXT_H
#define OUT_TEXT_H

#include "output/report.h"
#include "sim/err.h"

#include <stdio.h>

/* Writes the baseline plan of r (a comparison: see below): a few sentences on what matters most, then
 * tables (waits, losses, lost customers by cause, journeys, satisfaction,
 * visits, by hour, cost), each figure with its unit and its 95% interval.
 * Fits 100 columns. Returns SIM_OK or SIM_EIO. */
int out_text_write(const struct out_report *r, FILE *f, struct sim_err *err);

/* Writes a comparison (r->compared): for each plan after the baseline, the
 * sentence of output/verdict.h, then a table of the baseline, the plan and
 * their paired difference. out_text_write calls it for a comparison. */
int out_text_compare_write(const struct out_report *r, FILE *f, struct sim_err *err);

/* Writes a sweep's plans ranked (rk), under r's header (scenario, days or
 * runs, replications, seed): the answer in sentences, then the plans that
 * meet every service-level goal, cheapest first, then the others. */
int out_text_sweep_write(const struct out_report *r, const struct out_sweep_ranking *rk, FILE *f,
                         struct sim_err *err);

#endif
