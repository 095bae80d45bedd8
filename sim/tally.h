/* sim/tally.h — statistics of observations and of levels over time.
 *
 * A tally collects observations (one per customer: a wait, a sojourn): its
 * mean and sd by Welford's update, its extremes, and when asked for a
 * poolable quantile histogram (sim/qhist.h). No observation is stored:
 * memory does not grow with the number of customers. (GSL's gsl_rstat
 * would give the same moments, but it also keeps a P^2 median on every
 * observation, which cxsim never reads: a tenth of the flow model's time.
 * docs/performance.md.)
 *
 * A level is a quantity that holds a value over time (customers waiting,
 * staff busy); its time average is the integral of the level divided by the
 * time observed. Both restart cleanly at the end of a warm-up.
 */
#ifndef SIM_TALLY_H
#define SIM_TALLY_H

#include "sim/qhist.h"

#include <assert.h>
#include <stdbool.h>
#include <stddef.h>

struct sim_tally {
    size_t n;
    double mean, m2;           /* m2: sum of squared deviations from the mean */
    double min, max;
    struct sim_qhist *q;       /* owned; NULL without quantiles */
};

/* Quantile bins suited to times in minutes: below 2^-10 min (0.06 s) in one
 * bin, relative resolution 1/64, up to 2^20 minutes (two years). */
#define SIM_TALLY_Q_LO 1e-3
#define SIM_TALLY_Q_HI 1e6
#define SIM_TALLY_Q_REL (1.0 / 64)

void sim_tally_init(struct sim_tally *t, bool quantiles);
void sim_tally_fini(struct sim_tally *t);
void sim_tally_reset(struct sim_tally *t);
/* Adds x; with quantiles x must be >= 0. */
void sim_tally_add(struct sim_tally *t, double x);

size_t sim_tally_n(const struct sim_tally *t);
/* Mean, sd (n - 1 denominator), min, max: NaN when too few observations. */
double sim_tally_mean(const struct sim_tally *t);
double sim_tally_sd(const struct sim_tally *t);
double sim_tally_min(const struct sim_tally *t);
double sim_tally_max(const struct sim_tally *t);
/* The p-quantile from the histogram; NaN when empty or without quantiles. */
double sim_tally_quantile(const struct sim_tally *t, double p);
/* The p[i]-quantiles into x[i], i < n, read together (cheaper than one by
 * one); NaN when empty or without quantiles. */
void sim_tally_quantiles(const struct sim_tally *t, const double *p, double *x, size_t n);

struct sim_level {
    double level;   /* current value */
    double since;   /* instant the current value took effect */
    double start;   /* instant observation began */
    double area;    /* integral of the level from start to since */
    double max;     /* largest value held since start */
};

void sim_level_init(struct sim_level *l, double at, double level);
/* The level becomes `level` at instant `at` (>= the last change). Inline:
 * the flow model calls it at every change of a queue or of the staff. */
static inline void sim_level_set(struct sim_level *l, double at, double level)
{
    assert(at >= l->since && "level changed in the past");
    l->area += l->level * (at - l->since);
    l->level = level;
    l->since = at;
    if (level > l->max)
        l->max = level;
}
void sim_level_add(struct sim_level *l, double at, double delta);
/* Forgets the past (warm-up): observation starts again at `at`. */
void sim_level_restart(struct sim_level *l, double at);
/* Integral of the level from start to `at`. */
double sim_level_area(const struct sim_level *l, double at);
/* Time average from start to `at`; NaN when no time has passed. */
double sim_level_mean(const struct sim_level *l, double at);

#endif
