/* output/csv.h — the report as a table for spreadsheets (spec §3).
 *
 * One header line, then one row per plan, scope, name and metric:
 *   plan,scope,name,metric,mean,ci_low,ci_high,sd,n
 * In a comparison, a plan's metric with a paired difference from the
 * baseline is followed by the row of the difference, its metric named
 * METRIC.diff (wait_mean.diff). RFC 4180: CRLF line ends, fields with a comma, quote or line break are
 * quoted and their quotes doubled. Numbers carry 15 significant digits (what
 * a spreadsheet keeps); a value no replication measured is an empty field.
 * A text cell a spreadsheet would run as a formula (a plan named
 * "=HYPERLINK(...)") starts with a single quote; numbers stay numbers.
 */
#ifndef OUT_CSV_H
#define OUT_CSV_H

#include "output/report.h"
#include "sim/err.h"

#include <stdio.h>

/* Writes every plan of r. Returns SIM_OK, or SIM_EIO when f failed. */
int out_csv_write(const struct out_report *r, FILE *f, struct sim_err *err);

/* The same in parts, for reports written plan by plan (a sweep): the
 * header line, then each plan's rows. A sweep's header names its swept
 * parameters after n (params[0..nparams), their paths), and each of its
 * plans' rows gives its values there (a plan's params, in that order). */
void out_csv_write_header(FILE *f, const char *const *params, size_t nparams);
void out_csv_write_plan(const struct out_plan *plan, FILE *f);

/* Writes the text s as one RFC 4180 field (quoted only when it must be),
 * with a single quote first when it starts with = + - @, a tab or a
 * carriage return: a spreadsheet would run it as a formula. */
void out_csv_field(FILE *f, const char *s);

#endif
