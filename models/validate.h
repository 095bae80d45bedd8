/* models/validate.h — a scenario's simulated days set against the
 * business's own records (cxsim validate; docs/fit.md).
 *
 * Both sides are made into the same visit rows (models/vlog.h): the log's
 * as read, the scenario's from its simulated days' events (one replication
 * a day, told through mdl_flow_trace), so one set of estimators measures
 * both. For each department the scenario and the log share, and each
 * interval of the day (by when the visit arrived there), and the whole
 * day: arrivals a day, mean wait of the served, the 90th percentile of
 * their waits, the share of admitted visits started within the
 * department's target_wait, and the share that dropped out — each with
 * its 95% interval over days (days are the replications; docs/
 * estimators.md), and their difference tested: a cell disagrees when
 * Holm's step-down procedure rejects equality, in two families each at
 * 2.5% family-wise — the whole day's figures, and the intervals' — so
 * that a scenario that is right is flagged nowhere in 19 validations of
 * 20, however many cells there are, and the whole day's few figures keep
 * their power. A log department matches the scenario's of its name, or of
 * the name cxsim fit gives it (mdl_fit_scenario_name).
 *
 * It reads nothing and prints nothing: the program does.
 */
#ifndef MDL_VALIDATE_H
#define MDL_VALIDATE_H

#include "models/scenario.h"
#include "models/vlog.h"
#include "sim/ci.h"
#include "sim/err.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct mdl_val_config {
    unsigned days;            /* days to simulate (0: ten times the log's, from 100 to 1000) */
    uint64_t seed;
    int jobs;                 /* threads (0: every core) */
};

enum mdl_val_metric { MDL_VM_ARRIVALS, MDL_VM_WAIT_MEAN, MDL_VM_WAIT_P90, MDL_VM_IN_TIME, MDL_VM_DROPOUTS, MDL_VM };
extern const char *const mdl_val_metric_names[MDL_VM];   /* "arrivals", "wait_mean", ... */

struct mdl_val_cell {
    struct sim_ci obs, sim;   /* mean NaN: not measured on that side (nobody there) */
    double p;                 /* the two-sided p-value of equality; NaN: not tested */
    bool disagree;            /* Holm rejects equality */
};

struct mdl_val {
    size_t ndepts;            /* the departments both have, in the scenario's order */
    const char **depts;       /* their names (the scenario's) */
    double *targets;          /* their target_wait, minutes */
    size_t nbins;             /* intervals of the day; cells have nbins + 1 rows, the last the whole day */
    double *from_at, *to_at;  /* [nbins] */
    struct mdl_val_cell *cells;   /* [(d * (nbins + 1) + b) * MDL_VM + m] */
    size_t log_days, sim_days;
    size_t tests, disagreements;
    char only_log[256], only_scenario[256];   /* departments one side has and the other not, "" */
    size_t outside;           /* logged visits that arrived outside the day's intervals (whole day only) */
};

/* Validates s against the log read day by day from rd (models/vlog.h: a
 * day's rows in memory at a time). Fails with the reader's error (a bad
 * line: 65), when nothing can be compared (no department in common: 65) or
 * when the scenario is a steady-state run (64: a log has days). */
int mdl_validate_stream(const struct mdl_scenario *s, struct mdl_vlog_reader *rd, const struct mdl_val_config *cfg,
                        struct mdl_val **out, struct sim_err *err);
/* The same for a log in memory. */
int mdl_validate(const struct mdl_scenario *s, const struct mdl_vlog *log, const struct mdl_val_config *cfg,
                 struct mdl_val **out, struct sim_err *err);
void mdl_val_destroy(struct mdl_val *v);

/* Days 0..days-1 of s, simulated, as a log (the visits its events tell,
 * as support/trace2log.awk reads a trace): the days are 1970-01-01 on,
 * the classes and outcomes given, no staff names. For tests of fit and
 * validate on logs whose truth is known. The caller destroys it
 * (mdl_vlog_destroy). */
struct mdl_vlog *mdl_val_simulated_log(const struct mdl_scenario *s, uint64_t seed, unsigned days, int jobs);

static inline struct mdl_val_cell *mdl_val_cell(const struct mdl_val *v, size_t d, size_t b, int m)
{
    return &v->cells[(d * (v->nbins + 1) + b) * MDL_VM + (size_t)m];
}

#endif
