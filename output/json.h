/* output/json.h — the report for scripts (spec §3), through jansson.
 *
 * Layout: {"manifest": {...}, "plans": [{"name", "overloaded_replications",
 * "params": {PATH: VALUE} (a sweep's plan), "departments": {NAME: {METRIC:
 * STAT}}, "classes": {NAME: {...}},
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

/* The same with one more key after "plans": key, whose value is extra (a
 * jansson object; the reference is taken). cxsim optimise's "optimise". */
struct json_t;
/* x as a JSON number, or null where JSON has none (NaN, infinities): the
 * one way every writer puts a figure in JSON (a new reference). */
struct json_t *out_json_number(double x);
int out_json_write_extra(const struct out_report *r, const char *key, struct json_t *extra, FILE *f,
                         struct sim_err *err);

/* The same in parts, for reports written plan by plan (a sweep): the
 * manifest and the opening of "plans" (r's plans are not written), each plan
 * (index: its place, from 0), and the end. */
int out_json_begin(const struct out_report *r, FILE *f);
int out_json_plan(const struct out_plan *p, unsigned reps, size_t index, FILE *f);
int out_json_end(size_t nplans, FILE *f, struct sim_err *err);

#endif
