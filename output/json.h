/* output/json.h — the report for scripts (spec §3), through jansson.
 *
 * Layout: {"manifest": {...}, "plans": [{"name", "overloaded_replications",
 * "departments": {NAME: {METRIC: STAT}}, "classes": {NAME: {...}},
 * "journeys": {"external": {...}, "internal": {...}}, "cost": {...}}]},
 * plans[0] the baseline. A STAT is {"mean", "ci_low", "ci_high", "sd", "n",
 * "unit", "values"}, "values" holding every replication's value; in a
 * comparison, a later plan's STAT also has "diff": {"mean", "ci_low",
 * "ci_high", "sd", "n"}, its paired difference from the baseline. A dotted
 * metric name nests: "hour.09:00.arrivals" is at hour -> "09:00" ->
 * arrivals. NaN and infinities are written as null (JSON has neither). The
 * seed is a string: it may exceed what a JSON number holds exactly.
 * docs/output.md lists every key.
 */
#ifndef OUT_JSON_H
#define OUT_JSON_H

#include "output/report.h"
#include "sim/err.h"

#include <stdio.h>

/* Writes r as one JSON document and a newline. Returns SIM_OK, or SIM_EIO. */
int out_json_write(const struct out_report *r, FILE *f, struct sim_err *err);

#endif
