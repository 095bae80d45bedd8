/* sim/ci.h — confidence intervals over replications.
 *
 * Replications are independent and identically distributed, so the mean of
 * a metric over n replications has a t-distributed error with n - 1 degrees
 * of freedom: half-width = t(1 - (1 - level)/2, n - 1) * sd / sqrt(n), with
 * the quantile from gsl_cdf_tdist_Pinv. NaN values (a metric a replication
 * could not measure, like the mean wait of a department nobody reached) are
 * left out, and n counts the values used.
 *
 * The same form serves the other estimators of spec section 3: a ratio of
 * totals over replications (delta method), a quantile's interval by
 * sectioning, and for shares the bounds of a share never (or always) seen.
 * Every interval here is symmetric until clamped into the metric's range
 * (sim_ci_clamp); formulas, assumptions and references: docs/estimators.md.
 */
#ifndef SIM_CI_H
#define SIM_CI_H

#include <stddef.h>

struct sim_ci {
    double mean;      /* NaN when n == 0 */
    double sd;        /* sample sd across replications (of a ratio: of each
                         replication's linearised value; of a quantile: of
                         the sections'); NaN when n < 2 */
    double half;      /* half-width of the symmetric interval, before any
                         clamping; NaN when n < 2 or there is none */
    double lo, hi;    /* mean -/+ half, then clamped; equal to mean when
                         sd == 0 */
    size_t n;         /* values used (NaNs skipped): replications, or
                         sections for sim_ci_sectioning */
};

/* The interval of the mean of x[0..n) at confidence `level` (0 < level < 1). */
struct sim_ci sim_ci_student(const double *x, size_t n, double level);

/* The same interval from a tally of the values (NaNs never added), equal
 * to rounding (Welford's moments): for replications too many to keep. */
struct sim_tally;
struct sim_ci sim_ci_from_tally(const struct sim_tally *t, double level);

/* The ratio of totals R = sum num[i] / sum den[i] over replications i < n
 * (a share: customers who reneged over customers admitted; a per-customer
 * mean: total wait over customers served), every customer weighing the
 * same whatever their day. Pairs where either is NaN are left out, and n
 * counts the pairs used. Its interval is the delta method's (the classical
 * ratio estimator): s^2 = sum (num[i] - R den[i])^2 / (n - 1), sd =
 * s / |mean of den|, half = t(1 - (1 - level)/2, n - 1) sd / sqrt(n). The
 * mean is NaN when no pair is left or the denominators sum to 0; sd and
 * half NaN below two pairs. The caller keeps the arrays. */
struct sim_ci sim_ci_ratio(const double *num, const double *den, size_t n, double level);

/* The paired difference of two ratios of totals over the same
 * replications (common random numbers): D = Rb - Ra, Ra = sum num_a /
 * sum den_a, Rb likewise, with the delta method's interval: each
 * replication's linearised difference e[i] = (num_b[i] - Rb den_b[i]) /
 * mean(den_b) - (num_a[i] - Ra den_a[i]) / mean(den_a), whose mean is 0 by
 * construction; sd = sd(e), half = t(n - 1) sd / sqrt(n). A replication with
 * any of its four NaN is left out. NaN when either ratio is. Reduces to the
 * Student interval of the differences when every den is 1. */
struct sim_ci sim_ci_ratio_diff(const double *num_a, const double *den_a, const double *num_b, const double *den_b,
                                size_t n, double level);

/* A ratio of totals over replications too many to keep: the running means
 * and co-moments of (num, den) (Welford's update), from which
 * sim_ci_from_ratio_tally gives sim_ci_ratio's interval (equal to rounding).
 * A pair with a NaN is not added. */
struct sim_ratio_tally {
    size_t n;                 /* pairs added */
    size_t n_pos;             /* of those, with a positive denominator */
    double mean_num, mean_den, c_nn, c_nd, c_dd;
};
void sim_ratio_tally_init(struct sim_ratio_tally *t);
void sim_ratio_tally_add(struct sim_ratio_tally *t, double num, double den);
struct sim_ci sim_ci_from_ratio_tally(const struct sim_ratio_tally *t, double level);

/* The paired difference of two ratios of totals over replications too
 * many to keep: the running means and co-moments (Welford's update, in four
 * dimensions) of x = (num_a, den_a, num_b - num_a, den_b - den_a), from
 * which sim_ci_from_ratio_diff_tally gives sim_ci_ratio_diff's interval
 * (equal to rounding). Each replication's linearised difference is
 * g . (x - mean), g = (1/xb - 1/xa, Ra/xa - Rb/xb, 1/xb, -Rb/xb), so the
 * sum of its squares is g' C g. Differences, not b itself, are tallied so
 * that two plans alike at this metric give exactly 0, as kept values do
 * ("no difference", not a rounding error's interval). A replication with
 * any of its four NaN is not added; n_both counts those where both
 * denominators are positive (measured on both sides). */
struct sim_ratio_diff_tally {
    size_t n, n_both;
    double mean[4];
    double c[4][4];
};
void sim_ratio_diff_tally_init(struct sim_ratio_diff_tally *t);
void sim_ratio_diff_tally_add(struct sim_ratio_diff_tally *t, double num_a, double den_a, double num_b,
                              double den_b);
struct sim_ci sim_ci_from_ratio_diff_tally(const struct sim_ratio_diff_tally *t, double level);

/* Keeps ci's mean, lo and hi inside [lo, hi] (lo <= hi), the range of the
 * metric: no negative wait, no share above 1. NaN stays NaN; sd, half and
 * n are left as they were. */
void sim_ci_clamp(struct sim_ci *ci, double lo, double hi);

/* The Clopper-Pearson upper bound, at two-sided confidence `level`, of a
 * share never seen in `trials` > 0 independent chances:
 * 1 - ((1 - level)/2)^(1/trials) (the Beta(1, trials) quantile); NaN when
 * trials <= 0 or NaN. For 0 of 30 at 95%, 0.1157. */
double sim_ci_zero_share_upper(double trials, double level);

/* The interval a report shows for a binomial share: `successes` of
 * `trials` customers over all replications (whole numbers, 0 <= successes
 * <= trials, an assertion otherwise) and `ratio`, the sim_ci_ratio of the
 * replications' totals. None seen: [0, sim_ci_zero_share_upper], mean 0;
 * all seen: [1 - that bound, 1], mean 1 (half NaN in both: the interval is
 * not symmetric); otherwise the ratio's interval clamped to [0, 1]. NaN
 * (with ratio's n) when trials is 0 or NaN: nobody could show the share. */
struct sim_ci sim_ci_share(double successes, double trials, struct sim_ci ratio, double level);

/* The interval of a quantile by sectioning: `pooled` is the estimate from
 * all the data, sections[s] (s < m) the same estimate from each of m
 * independent sections of it (groups of replications). mean = pooled, sd^2
 * = sum (sections[s] - pooled)^2 / (m - 1), half = t(1 - (1 - level)/2,
 * m - 1) sd / sqrt(m). NaN sections are left out and n counts those used;
 * NaN pooled gives a NaN interval. */
struct sim_ci sim_ci_sectioning(double pooled, const double *sections, size_t m, double level);

#endif
