/* output/dist.h — the report of `cxsim dist`: a distribution, in theory and
 * as sampled. A plain struct filled by the caller; the writer only formats. */
#ifndef OUT_DIST_H
#define OUT_DIST_H

#include "sim/err.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct out_dist {
    const char *title;          /* "gamma(mean=25, sd=10)" */
    size_t draws;
    uint64_t seed;
    double theory_mean, theory_sd;
    double mean, mean_half;     /* sample mean and its 95% half-width */
    double sd, min, max;
    double p50, p90, p95, p99;
    size_t nbins;               /* histogram: nbins bins of equal width */
    double bin_width;           /* minutes, from 0 */
    const size_t *counts;       /* nbins counts */
    size_t above;               /* draws beyond the last bin */
};

/* Writes r as text to f. Returns SIM_OK, or SIM_EIO (err set) when f fails. */
int out_dist_write_text(const struct out_dist *r, FILE *f, struct sim_err *err);

#endif
