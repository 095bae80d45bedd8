/* sim/select.h — ranking and selection: which of k simulated systems has
 * the smallest mean, with a guaranteed probability of being right.
 *
 * Kim & Nelson's KN procedure (S.-H. Kim and B. L. Nelson, "A fully
 * sequential procedure for indifference-zone selection in simulation",
 * ACM TOMACS 11(3), 2001; docs/optimise.md): after a first stage of n0
 * replications of every system, the variance of each pairwise difference
 * is estimated, and then, one replication at a time, a system is dropped
 * as soon as its mean is worse than another's by more than a margin that
 * shrinks as replications grow. With normal observations, the system left
 * is the best with probability at least 1 - alpha whenever the best is at
 * least delta (the indifference zone) better than every other; common
 * random numbers (the same replication r for every system) are allowed and
 * sharpen it, since only differences' variances enter.
 *
 * Observations are asked for through a callback, replication by
 * replication, so the caller may have simulated them before or simulate
 * them on demand. Nothing here allocates beyond k x k numbers.
 */
#ifndef SIM_SELECT_H
#define SIM_SELECT_H

#include <stdbool.h>
#include <stddef.h>

/* Observation of system i (0..k) in replication r (0..). */
typedef double (*sim_select_obs_fn)(void *ctx, size_t i, size_t r);

struct sim_kn_result {
    size_t best;        /* the system selected, or SIZE_MAX when more than one survived max_r */
    size_t used;        /* replications the procedure looked at (the last r + 1) */
    size_t alive;       /* systems still in when it stopped (1 when decided) */
};

/* KN for the smallest mean among k >= 1 systems, at confidence 1 - alpha
 * (0 < alpha < 1), indifference delta > 0, first stage n0 >= 2, looking at
 * most at replications 0..max_r - 1 (max_r >= n0). alive (k flags, may be
 * NULL) says on return which systems are still in. */
struct sim_kn_result sim_select_kn(size_t k, double alpha, double delta, size_t n0, size_t max_r,
                                   sim_select_obs_fn obs, void *ctx, bool *alive);

#endif
