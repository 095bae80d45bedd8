/* sim/ci.c — Student-t intervals on GSL's statistics and t quantile. */
#include "sim/ci.h"
#include "sim/mem.h"

#include <assert.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>

struct sim_ci sim_ci_student(const double *x, size_t n, double level)
{
    assert(level > 0 && level < 1);
    double *v = sim_xmalloc(n * sizeof *v);
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(x[i]))
            v[m++] = x[i];
    struct sim_ci ci = {NAN, NAN, NAN, NAN, NAN, m};
    if (m > 0) {
        ci.mean = gsl_stats_mean(v, 1, m);
        ci.lo = ci.hi = ci.mean;
    }
    if (m > 1) {
        ci.sd = gsl_stats_sd_m(v, 1, m, ci.mean);
        double t = gsl_cdf_tdist_Pinv(1 - (1 - level) / 2, (double)(m - 1));
        ci.half = t * ci.sd / sqrt((double)m);
        ci.lo = ci.mean - ci.half;
        ci.hi = ci.mean + ci.half;
    }
    free(v);
    return ci;
}
