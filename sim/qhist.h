/* sim/qhist.h — quantiles that can be pooled, on a GSL histogram.
 *
 * Observations (waits, sojourns) go into a histogram of one bin [0, lo),
 * then every octave [2^e, 2^(e+1)) from lo up to hi cut into 2^k equal
 * bins, 2^-k <= rel (lo and hi are rounded out to powers of two). Finding an
 * observation's bin costs a few bit operations, whatever the bins. A
 * quantile is read back by linear interpolation in its bin (GSL's histogram
 * pdf), so its relative error is at most `rel` for values >= lo and its
 * absolute error at most lo below; exact zeros are an atom counted apart,
 * so a quantile they reach is exactly 0. Values >= hi count in the last
 * bin. Memory is fixed by (lo, hi, rel), not by the number of observations,
 * and two histograms with the same bins pool by adding counts: this is how
 * replications (or threads) combine their quantiles.
 *
 * It does not keep exact extremes: take min and max from a tally.
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
/* Adds src's counts to dst; both must have the same bins. */
void sim_qhist_pool(struct sim_qhist *dst, const struct sim_qhist *src);

size_t sim_qhist_count(const struct sim_qhist *q);
/* The p-quantile, 0 <= p <= 1; NaN when q is empty. */
double sim_qhist_quantile(const struct sim_qhist *q, double p);
/* The p[i]-quantiles into x[i], i < n: one pass over the bins for all. */
void sim_qhist_quantiles(const struct sim_qhist *q, const double *p, double *x, size_t n);

#endif
