/* output/validate.h — the report of cxsim validate: a scenario's simulated
 * days set against the business's records, department by interval
 * (docs/fit.md; the numbers are models/validate.c's).
 *
 * From a plain struct (output/ never includes models/): for each
 * department, interval of the day and the whole day, five figures on both
 * sides — arrivals a day, mean wait, the 90th percentile of waits, the
 * share started in time, the share that dropped out — each with its 95%
 * interval, the p-value of their difference and whether the procedure
 * marks it. Text (sentences, then a table per department and the list of
 * disagreements), CSV (one row per department, interval and figure), JSON
 * (the manifest and a "validate" object) and HTML (a chart of each
 * department's waits over the day, log against model, and its table).
 * Each writer returns err->code (SIM_EIO on a failed write).
 */
#ifndef OUT_VALIDATE_H
#define OUT_VALIDATE_H

#include "output/report.h"
#include "sim/err.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define OUT_VAL_FIGURES 5   /* arrivals, wait_mean, wait_p90, in_time, dropouts */

struct out_val_cell {
    double log, log_lo, log_hi;       /* NaN: not measured */
    double model, model_lo, model_hi;
    double p;                         /* NaN: not compared */
    bool disagree;
};

struct out_validate {
    const char *log;                  /* the log's name */
    size_t log_days, model_days;
    size_t ndepts;
    const char *const *depts;
    const double *targets;            /* [ndepts] target_wait, minutes: what "in time" means there */
    size_t nbins;
    const double *from_at, *to_at;    /* [nbins] */
    const struct out_val_cell *cells; /* [(d * (nbins + 1) + b) * OUT_VAL_FIGURES + m]; b == nbins: the day */
    size_t tests, disagreements;
    const char *only_log, *only_model;   /* departments one side has, "" when none */
    size_t outside;                   /* logged visits outside the day's intervals */
};

/* The figures' names (CSV, JSON) and how the text heads them. */
extern const char *const out_val_figure_names[OUT_VAL_FIGURES];

static inline const struct out_val_cell *out_val_cell(const struct out_validate *v, size_t d, size_t b, int m)
{
    return &v->cells[(d * (v->nbins + 1) + b) * OUT_VAL_FIGURES + (size_t)m];
}

/* r: the simulated side's report header (scenario, days, seed, manifest). */
int out_validate_text_write(const struct out_validate *v, const struct out_report *r, FILE *f, struct sim_err *err);
int out_validate_csv_write(const struct out_validate *v, const struct out_report *r, FILE *f, struct sim_err *err);
int out_validate_json_write(const struct out_validate *v, const struct out_report *r, FILE *f, struct sim_err *err);
int out_validate_html_write(const struct out_validate *v, const struct out_report *r, FILE *f, struct sim_err *err);

#endif
