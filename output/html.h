/* output/html.h — the report a manager opens in a browser: one
 * self-contained HTML file (output/htmldoc.h) whose charts cxsim draws as
 * inline SVG, each with the table of its exact figures under it.
 */
#ifndef OUT_HTML_H
#define OUT_HTML_H

#include "output/report.h"
#include "sim/err.h"

#include <stdio.h>

/* A run (r's baseline plan): the opening sentences, then waits against the
 * targets, where customers are lost (a funnel along the departments, by
 * cause), satisfaction (five bands and CSAT, external and internal), the day
 * hour by hour (customers waiting and staff on duty, per department), and
 * staff cost against lost value. A comparison goes to
 * out_html_compare_write. Returns SIM_OK or SIM_EIO. */
int out_html_write(const struct out_report *r, FILE *f, struct sim_err *err);

/* A comparison (r->compared): each plan's sentence (output/verdict.h), the
 * waits of every plan beside the baseline's, the differences from the
 * baseline with their intervals (in the mean wait at each department, the
 * share of external customers lost, their mean satisfaction, the total
 * cost: a panel each), and a table per plan. */
int out_html_compare_write(const struct out_report *r, FILE *f, struct sim_err *err);

/* What a sweep's heat map shows: metric `metric` (a label, with its unit)
 * of the plans that vary axes x and y, the other axes held at the values
 * of `held` (a plan's name, or NULL with two axes). value[j * nx + i] is
 * the metric at x_values[i], y_values[j] (NaN: no such plan, or not
 * measured). */
struct out_heatmap {
    const char *x_path, *y_path, *metric, *held;
    size_t nx, ny;
    const char *const *x_values;
    const char *const *y_values;
    const double *value;
};

/* A sweep: the answer in sentences (output/summary.h), the heat map hm
 * (none when NULL), and the plans ranked as rk ranks them. */
int out_html_sweep_write(const struct out_report *r, const struct out_sweep_ranking *rk,
                         const struct out_heatmap *hm, FILE *f, struct sim_err *err);

#endif
