/* sim/ci.c — Student-t intervals on GSL's statistics and t quantile. */
#include "sim/ci.h"
#include "sim/mem.h"
#include "sim/tally.h"

#include <assert.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>

/* The interval of n values of mean `mean` and sd `sd` (NaN below 2). */
static struct sim_ci from_moments(size_t n, double mean, double sd, double level)
{
    assert(level > 0 && level < 1);
    struct sim_ci ci = {NAN, NAN, NAN, NAN, NAN, n};
    if (n > 0)
        ci.mean = ci.lo = ci.hi = mean;
    if (n > 1) {
        ci.sd = sd;
        double t = gsl_cdf_tdist_Pinv(1 - (1 - level) / 2, (double)(n - 1));
        ci.half = t * ci.sd / sqrt((double)n);
        ci.lo = ci.mean - ci.half;
        ci.hi = ci.mean + ci.half;
    }
    return ci;
}

struct sim_ci sim_ci_student(const double *x, size_t n, double level)
{
    double *v = sim_xmalloc((n ? n : 1) * sizeof *v);
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(x[i]))
            v[m++] = x[i];
    double mean = m > 0 ? gsl_stats_mean(v, 1, m) : NAN;
    double sd = m > 1 ? gsl_stats_sd_m(v, 1, m, mean) : NAN;
    free(v);
    return from_moments(m, mean, sd, level);
}

struct sim_ci sim_ci_from_tally(const struct sim_tally *t, double level)
{
    return from_moments(sim_tally_n(t), sim_tally_mean(t), sim_tally_sd(t), level);
}
