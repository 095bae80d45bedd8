/* output/verdict.h — what a plan changes, in the sentence a manager reads
 * first:
 *
 *   +1 credit officer: credit wait −12.4 min (−14.1 to −10.8), drop-outs −3.1
 *   points, satisfaction +0.38, staff cost +320 a day, lost value −2,100 a
 *   day: better on every count.
 *
 * Read from the paired differences of a compared plan (out_metric.diff):
 * the departments whose mean wait clearly changed (at most two, the largest
 * first, the first with its 95% interval), the external customers' share
 * of drop-outs and satisfaction, staff cost and lost value. A difference
 * whose interval holds zero is "no clear difference". The verdict weighs
 * the customers' counts (waits, drop-outs, satisfaction) and the total
 * cost; staff cost and lost value are shown as the two halves of the cost.
 */
#ifndef OUT_VERDICT_H
#define OUT_VERDICT_H

#include "output/report.h"

#include <stddef.h>

/* Writes plan p's sentence (its metrics carry their differences from the
 * baseline of r) into buf and returns buf. */
const char *out_verdict(const struct out_report *r, const struct out_plan *p, char *buf, size_t len);

#endif
