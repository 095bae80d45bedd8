/* sim/qhist.h — quantiles that can be pooled, on a GSL histogram.
 *
 * Observations (waits, sojourns) go into a histogram of one bin [0, lo),
 * then every octave [2^e, 2^(e+1)) from lo up to hi cut into 2^k equal
 * bins, 2^-k <= rel (lo and hi are rounded out to powers of two). Finding an
 * observation's bin costs a few bit operations, whatever the bins.
 *
 * The p-quantile is the empirical distribution's inverse: the smallest x
 * with F_n(x) >= p, the k-th smallest observation with k = ceil(p n),
 * k >= 1 (p = 0 gives the minimum, p = 1 the maximum). It is read inside
 * the bin holding that observation and clamped to the exact minimum and
 * maximum, which the histogram keeps: so it is never above the maximum,
 * and off the exact sample quantile by at most that bin's width (relative
 * error at most `rel` for values >= lo, absolute at most lo below), at
 * every p, ties and whole p n included. Exact zeros are an atom counted
 * apart, so a quantile they reach is exactly 0. Values >= hi count in the
 * last bin, whose top edge bounds the quantiles read there. Memory is fixed
 * by (lo, hi, rel), not by the number of observations, and two histograms
 * with the same bins pool by adding counts (and taking the extremes of
 * both): this is how replications (or threads) combine their quantiles.
 */
#ifndef SIM_QHIST_H
#define SIM_QHIST_H

#include <stddef.h>

struct sim_qhist;

/* 0 < lo < hi, 0 < rel <= 1; an assertion otherwise. */
struct sim_qhist *sim_qhist_create(double lo, double hi, double rel);
/* A new, empty histogram with q's bins (for pooling). */
struct sim_qhist *sim_qhist_create_like(const struct sim_qhist *q);
void sim_qhist_destroy(struct sim_qhist *q);
void sim_qhist_reset(struct sim_qhist *q);

/* Adds one observation x >= 0 (NaN and negative values are a broken
 * invariant). */
void sim_qhist_add(struct sim_qhist *q, double x);
/* Adds src's counts to dst and widens dst's extremes to src's; both must
 * have the same bins (an assertion otherwise). */
void sim_qhist_pool(struct sim_qhist *dst, const struct sim_qhist *src);

/* A histogram as doubles, for another process (an MPI rank): its
 * sim_qhist_export_len(q) doubles are its bins' counts (closed octaves as
 * zeros), then its count, zeros, min and max. sim_qhist_pool_exported adds
 * such an export to dst as sim_qhist_pool would (same bins). */
size_t sim_qhist_export_len(const struct sim_qhist *q);
void sim_qhist_export(const struct sim_qhist *q, double *buf);
void sim_qhist_pool_exported(struct sim_qhist *dst, const double *buf);

size_t sim_qhist_count(const struct sim_qhist *q);
/* The exact smallest and largest observation; NaN when q is empty. */
double sim_qhist_min(const struct sim_qhist *q);
double sim_qhist_max(const struct sim_qhist *q);
/* The rank k = ceil(p n), 1 <= k <= n, of the p-quantile among n > 0
 * observations (0 <= p <= 1), with p n within rounding of a whole number
 * taken as that number (0.07 * 100 is rank 7). */
size_t sim_qhist_rank(double p, size_t n);
/* The p-quantile (the k-th smallest observation, k = sim_qhist_rank(p, n),
 * to one bin's width), 0 <= p <= 1; NaN when q is empty. */
double sim_qhist_quantile(const struct sim_qhist *q, double p);
/* The p[i]-quantiles into x[i], i < n: one pass over the bins for all. */
void sim_qhist_quantiles(const struct sim_qhist *q, const double *p, double *x, size_t n);

/* Quantiles over replications, with intervals by sectioning. h[0..n) are
 * histograms with the same bins (one per replication, say; the caller
 * keeps them), grouped in order into m sections (1 <= m <= n; m is cut to
 * n), histogram i in section sim_qhist_section_of(i, n, m), each section
 * holding n/m of them, rounded down or up. ci[j] (j < np) gets the
 * p[j]-quantile of everything pooled as its mean and the sim_ci_sectioning
 * interval from the sections' own p[j]-quantiles at `level`, clamped to
 * [0, inf): n counts the sections that held any observation. Everything is
 * NaN when nothing was observed; sd and half when fewer than two sections
 * did. Sections must be alike for the interval to hold: choose m dividing
 * n (docs/estimators.md). */
struct sim_ci;
void sim_qhist_quantiles_ci(const struct sim_qhist *const *h, size_t n, size_t m,
                            const double *p, struct sim_ci *ci, size_t np, double level);
/* The section (< m) of histogram i < n when n are cut into m sections as
 * above: a caller that pools replications as they finish keeps m section
 * histograms instead of n, and passes them with n = m. */
size_t sim_qhist_section_of(size_t i, size_t n, size_t m);

#endif
