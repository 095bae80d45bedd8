/* sim/mser.h — the warm-up of a steady-state run, by MSER-5.
 *
 * A steady-state run starts empty and idle, so its first observations are
 * biased low; `warmup: auto` drops them. MSER (White 1997; White, Cobb and
 * Spratt 2000) picks the truncation d that minimises the squared standard
 * error of what is kept, MSER(d) = sum_{i>d} (Z_i - mean_d)^2 / (k - d)^2,
 * over the batch means Z_1..Z_k of consecutive batches (of 5 observations:
 * MSER-5), d searched over the first half of the batches only (near the end
 * a few batches that happen to agree would win). Removing a stretch that
 * sits away from the rest lowers the sum more than it shrinks (k - d)^2.
 * One pass from the end (Welford's update, backwards), no allocation. It
 * does not say the run is long enough, only when the minimum fell on the
 * last truncation searched (at_limit), a sign that it was not.
 */
#ifndef SIM_MSER_H
#define SIM_MSER_H

#include <stdbool.h>
#include <stddef.h>

#define SIM_MSER_BATCH 5   /* MSER-5: batch means of five observations */

struct sim_mser {
    size_t warmup;    /* observations to drop: batch * d */
    size_t d;         /* batches to drop */
    size_t batches;   /* batch means formed, k = n / batch (a last, partial
                         batch is left out) */
    double stat;      /* MSER(d) at the minimum; NaN with fewer than 2 batches */
    bool at_limit;    /* the minimum is the largest d searched: the series may
                         not have settled, and the run be too short */
};

/* The MSER truncation of x[0..n) (time-ordered observations, or values
 * per interval, of one replication; none NaN, an assertion otherwise)
 * with batches of `batch` >= 1 observations: d minimises MSER(d) over
 * 0 <= d < k / 2 (the smallest such d on ties). Fewer than 2 batches:
 * warmup 0 and stat NaN. The caller keeps x. */
struct sim_mser sim_mser_truncation(const double *x, size_t n, size_t batch);

#endif
