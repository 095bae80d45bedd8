/* sim/fit.h — which duration distribution a sample came from, and with what
 * parameters: maximum likelihood, with right-censoring.
 *
 * For turning measured durations (service times, some still running when
 * the log ends: right-censored) into a scenario's `dist:` line. A fit holds
 * its parameters as the scenario language writes them (sim/dist.h:
 * exponential {mean}, gamma and lognormal {mean, sd}, weibull {shape,
 * scale}), each with a 95% interval, the log-likelihood and AIC to choose
 * between families, and the fitted distribution's mean and sd.
 *
 * Method. Exponential: the closed form, mean = sum(x) / events; its
 * interval is exact without censoring (2 sum / chi2_{2n}(0.975), 2 sum /
 * chi2_{2n}(0.025)), and with censoring Wald on log(mean), se
 * 1/sqrt(events).
 * Gamma, lognormal, Weibull: the log-likelihood (log f over the events,
 * log S over the censored) is maximised by Nelder-Mead (GSL's nmsimplex2)
 * on log-parameters (log shape and log scale; lognormal's mu and log
 * sigma), from moment starting values, then restarted once from where it
 * stopped. The sample is first divided by its mean and the fit scaled
 * back, so 0.01 and 10,000 minutes fit alike. The uncensored lognormal is
 * the closed form (mu = mean(log x), sigma^2 = mean((log x - mu)^2)), to
 * which the optimiser agrees (tests/test_sim_fit.c). Intervals: Wald on
 * the optimiser's log-parameters, with the observed information (the
 * numerical Hessian of the log-likelihood at the optimum, inverted); for
 * the gamma's and lognormal's mean and sd, the delta method on log(mean)
 * and log(sd), so that every interval stays positive.
 *
 * Invariant: a fit returned SIM_OK has finite parameters, 0 < lo <= par <=
 * hi, and aic = 2 npar - 2 loglik, loglik in the sample's own units (a
 * density per minute). Cost: O(n) per likelihood, a few hundred
 * likelihoods per fit (gamma and lognormal without censoring: O(1), from
 * sufficient statistics). Not done here: left-censoring or truncation,
 * distributions the scenario cannot write, and the reading of any log:
 * the kernel knows nothing of departments. Random numbers (the bootstrap
 * of sim_fit_gof) come only from a sim/stream.h stream keyed by a seed.
 * Like all of cxsim it needs GSL's error handler off
 * (sim_stream_library_init): an underflow inside GSL is no reason to abort.
 */
#ifndef SIM_FIT_H
#define SIM_FIT_H

#include "sim/err.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum sim_fit_family { SIM_FIT_EXPONENTIAL, SIM_FIT_GAMMA, SIM_FIT_LOGNORMAL, SIM_FIT_WEIBULL, SIM_FIT_FAMILIES };

/* "exponential", "gamma", "lognormal", "weibull": the scenario language's
 * dist names (sim/dist.h); NULL out of range. */
const char *sim_fit_family_name(enum sim_fit_family f);

struct sim_fit {
    enum sim_fit_family family;
    size_t n, events;            /* observations, and of those not censored */
    size_t npar;                 /* 1 or 2 */
    const char *names[2];        /* parameter names as the scenario writes them:
                                    exponential {mean}; gamma {mean, sd}; lognormal {mean, sd};
                                    weibull {shape, scale}; names[1] NULL when npar is 1 */
    double par[2], lo[2], hi[2]; /* estimates and their 95% intervals, in those parameters
                                    (NaN past npar) */
    double loglik, aic;          /* aic = 2 npar - 2 loglik */
    double mean, sd;             /* of the fitted distribution */
};

/* MLE of family f on x[0..n), x[i] > 0 and finite; censored[i] true: x[i]
 * is a right-censored observation (the true value is larger); censored
 * NULL: none. Returns SIM_OK, or SIM_EDATA with err's message saying why
 * (fewer than 2 uncensored observations; a value <= 0 or not finite, naming
 * its index, also in err->arg when it fits an int; all uncensored values
 * equal for a 2-parameter family; the optimiser not converging, or the
 * likelihood having no proper maximum there). On failure *out is
 * unspecified. */
int sim_fit_mle(enum sim_fit_family f, const double *x, const bool *censored, size_t n, struct sim_fit *out,
                struct sim_err *err);

/* The fitted distribution's CDF at x (0 for x <= 0). */
double sim_fit_cdf(const struct sim_fit *fit, double x);

/* Every family that fits (those that fail are left out), best AIC first
 * (ties in the order of enum sim_fit_family), into out[0..k), out having
 * room for SIM_FIT_FAMILIES; returns k. */
size_t sim_fit_all(const double *x, const bool *censored, size_t n, struct sim_fit *out);

/* Kolmogorov-Smirnov distance D between the sample x[0..n) (uncensored,
 * the one the fit was made on) and the fit, stored in *d unless d is NULL,
 * and its p-value by parametric bootstrap with the parameters re-estimated
 * on each of B samples of n drawn from the fit (a KS p-value from the
 * table would be wrong with estimated parameters: Stute, Gonzalez Manteiga
 * & Presedo Quindimil 1993; Babu & Rao 2004). p = (1 + #{D_b >= D}) /
 * (B + 1); a bootstrap sample the family cannot be fitted to (a draw that
 * underflowed to 0, say) counts as D_b >= D, on the safe side. Draws come
 * from sim_stream_init(seed, 0, 0, 0): deterministic given seed. n >= 2
 * and B >= 1, an assertion otherwise. */
double sim_fit_gof(const struct sim_fit *fit, const double *x, size_t n, unsigned B, uint64_t seed, double *d);

#endif
