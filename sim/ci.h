/* sim/ci.h — confidence intervals over replications (Student t).
 *
 * Replications are independent and identically distributed, so the mean of
 * a metric over n replications has a t-distributed error with n - 1 degrees
 * of freedom: half-width = t(1 - (1 - level)/2, n - 1) * sd / sqrt(n), with
 * the quantile from gsl_cdf_tdist_Pinv. NaN values (a metric a replication
 * could not measure, like the mean wait of a department nobody reached) are
 * left out, and n counts the values used.
 */
#ifndef SIM_CI_H
#define SIM_CI_H

#include <stddef.h>

struct sim_ci {
    double mean;      /* NaN when n == 0 */
    double sd;        /* sample sd across replications; NaN when n < 2 */
    double half;      /* half-width; NaN when n < 2 */
    double lo, hi;    /* mean -/+ half; equal to mean when sd == 0 */
    size_t n;         /* values used (NaNs skipped) */
};

/* The interval of the mean of x[0..n) at confidence `level` (0 < level < 1). */
struct sim_ci sim_ci_student(const double *x, size_t n, double level);

/* The same interval from a tally of the values (NaNs never added), equal
 * to rounding (Welford's moments): for replications too many to keep. */
struct sim_tally;
struct sim_ci sim_ci_from_tally(const struct sim_tally *t, double level);

#endif
