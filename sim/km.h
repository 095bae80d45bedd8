/* sim/km.h — survival from right-censored durations: the Kaplan–Meier
 * product-limit estimator (Kaplan & Meier 1958).
 *
 * For patience: a customer who left before service gives an event at their
 * wait, one who was served is censored at theirs. At each distinct event
 * time t_k, with n_k still at risk (duration >= t_k) and d_k events,
 * S(t_k) = prod_{j<=k} (1 - d_j / n_j); ties put events before censorings.
 * Greenwood's (1926) variance S^2 sum d_j / (n_j (n_j - d_j)) gives each
 * step a 95% interval on the log(-log S) scale (Kalbfleisch & Prentice),
 * which stays inside [0, 1]; a quantile's interval is Brookmeyer & Crowley's
 * (1982): the times whose interval contains 1 - p. Invariant: the steps are
 * in increasing time, S strictly decreasing, each n_k >= d_k >= 1. Building
 * costs one sort, O(n log n); S(t) a binary search. It assumes censoring
 * independent of patience, is blind past the longest duration seen (S is
 * held at its last value there), and knows nothing of customers.
 */
#ifndef SIM_KM_H
#define SIM_KM_H

#include "sim/err.h"

#include <stdbool.h>
#include <stddef.h>

struct sim_km;

/* Builds the estimate from t[0..n) (finite, >= 0) and event[i] (true: the
 * event happened at t[i]; false: censored at t[i]). The caller keeps both
 * arrays (nothing points into them afterwards) and destroys the estimate.
 * NULL with err set (SIM_EDATA; err->arg 0 and the index in the message for
 * a bad t[i], err->arg 2 for n == 0) when the data are bad. */
struct sim_km *sim_km_create(const double *t, const bool *event, size_t n, struct sim_err *err);
/* Frees km; NULL is a no-op. */
void sim_km_destroy(struct sim_km *km);

/* The number of distinct event times (0 when every duration is censored). */
size_t sim_km_steps(const struct sim_km *km);
/* Step k < sim_km_steps(km): its time, the count at risk, the events there,
 * S just after, and the 95% log(-log) interval of S. When S reaches 0 (all
 * still at risk had the event) Greenwood's variance is undefined and lo, hi
 * are NaN. Any output pointer may be NULL. */
void sim_km_step(const struct sim_km *km, size_t k, double *at, size_t *at_risk, size_t *events, double *s,
                 double *lo, double *hi);

/* S(t): right-continuous step function; 1 before the first event, held at
 * its last value after the last step. NaN for a NaN t. */
double sim_km_survival(const struct sim_km *km, double t);

/* The p-quantile of the distribution (0 < p < 1, an assertion otherwise):
 * the smallest t with S(t) <= 1 - p (an S within 1e-12 of 1 - p counts, so
 * that a tenth of ten customers reaches p = 0.9), NAN if S never gets that
 * low. lo and hi (may be NULL) receive its 95% interval by Brookmeyer &
 * Crowley (1982): the set of times whose pointwise interval contains 1 - p,
 * from the first such step to the end of the last (the next step's time);
 * hi NAN when that set reaches past the last step (unbounded); both NAN
 * when it is empty and S never reaches 1 - p; both the quantile itself
 * when it is empty because the interval jumps over 1 - p there (a large
 * sample with a long gap). The median is p = 0.5. */
double sim_km_quantile(const struct sim_km *km, double p, double *lo, double *hi);

/* The restricted mean up to tau >= 0 (an assertion otherwise): the area
 * under S from 0 to tau, the estimate of the mean of min(T, tau). Without
 * censoring and with tau at least the largest duration it is the sample
 * mean. Past the last duration seen S is held at its last value, which the
 * data do not support: keep tau within them. */
double sim_km_rmean(const struct sim_km *km, double tau);

#endif
