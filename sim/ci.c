/* sim/ci.c — intervals over replications: Student t on GSL's statistics and
 * t quantile, the ratio of totals (delta method), sectioning, clamping, and
 * the bounds of a share never or always seen (see ci.h). Nothing is kept
 * between calls; each costs one or two passes over its values. */
#include "sim/ci.h"
#include "sim/mem.h"
#include "sim/tally.h"

#include <assert.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>

/* t(1 - (1 - level)/2, n - 1): the two-sided quantile for n values. */
static double t_quantile(size_t n, double level)
{
    return gsl_cdf_tdist_Pinv(1 - (1 - level) / 2, (double)(n - 1));
}

/* The interval of n values of mean `mean` and sd `sd` (NaN below 2). */
static struct sim_ci from_moments(size_t n, double mean, double sd, double level)
{
    assert(level > 0 && level < 1);
    struct sim_ci ci = {NAN, NAN, NAN, NAN, NAN, n};
    if (n > 0)
        ci.mean = ci.lo = ci.hi = mean;
    if (n > 1) {
        ci.sd = sd;
        ci.half = t_quantile(n, level) * ci.sd / sqrt((double)n);
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


struct sim_ci sim_ci_ratio(const double *num, const double *den, size_t n, double level)
{
    assert(level > 0 && level < 1);
    double sy = 0, sx = 0;
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (isnan(num[i]) || isnan(den[i]))
            continue;
        sy += num[i];
        sx += den[i];
        m++;
    }
    struct sim_ci ci = {NAN, NAN, NAN, NAN, NAN, m};
    if (m == 0 || sx == 0)
        return ci;
    double r = sy / sx;
    ci.mean = ci.lo = ci.hi = r;
    if (m < 2)
        return ci;
    /* the residuals num - R den have mean 0 by construction of R */
    double ss = 0;
    for (size_t i = 0; i < n; i++) {
        if (isnan(num[i]) || isnan(den[i]))
            continue;
        double d = num[i] - r * den[i];
        ss += d * d;
    }
    ci.sd = sqrt(ss / (double)(m - 1)) / fabs(sx / (double)m);
    ci.half = t_quantile(m, level) * ci.sd / sqrt((double)m);
    ci.lo = r - ci.half;
    ci.hi = r + ci.half;
    return ci;
}

/* x inside [lo, hi]; NaN stays NaN (fmin and fmax would drop it). */
static double clamp(double x, double lo, double hi)
{
    return x < lo ? lo : x > hi ? hi : x;
}

void sim_ci_clamp(struct sim_ci *ci, double lo, double hi)
{
    assert(lo <= hi);
    ci->mean = clamp(ci->mean, lo, hi);
    ci->lo = clamp(ci->lo, lo, hi);
    ci->hi = clamp(ci->hi, lo, hi);
}

double sim_ci_zero_share_upper(double trials, double level)
{
    assert(level > 0 && level < 1);
    if (!(trials > 0))
        return NAN;
    /* the u with P(no success in trials) = (1 - u)^trials = (1 - level)/2;
     * -expm1 keeps the bound's digits when it is small (many trials) */
    return -expm1(log((1 - level) / 2) / trials);
}

struct sim_ci sim_ci_share(double successes, double trials, struct sim_ci ratio, double level)
{
    struct sim_ci ci = {NAN, NAN, NAN, NAN, NAN, ratio.n};
    if (!(trials > 0))
        return ci;
    assert(successes >= 0 && successes <= trials && "a share outside [0, 1]");
    if (successes == 0 || successes == trials) {
        double bound = sim_ci_zero_share_upper(trials, level);
        ci.sd = ratio.sd;
        ci.mean = successes == 0 ? 0 : 1;
        ci.lo = successes == 0 ? 0 : 1 - bound;
        ci.hi = successes == 0 ? bound : 1;
        return ci;
    }
    ci = ratio;
    sim_ci_clamp(&ci, 0, 1);
    return ci;
}

struct sim_ci sim_ci_sectioning(double pooled, const double *sections, size_t m, double level)
{
    assert(level > 0 && level < 1);
    size_t used = 0;
    double ss = 0;
    for (size_t s = 0; s < m; s++) {
        if (isnan(sections[s]))
            continue;
        double d = sections[s] - pooled;
        ss += d * d;
        used++;
    }
    struct sim_ci ci = {NAN, NAN, NAN, NAN, NAN, used};
    if (isnan(pooled))
        return ci;
    ci.mean = ci.lo = ci.hi = pooled;
    if (used < 2)
        return ci;
    /* deviations from the pooled estimate, not from the sections' mean:
     * sectioning (batching would centre on the sections' mean) */
    ci.sd = sqrt(ss / (double)(used - 1));
    ci.half = t_quantile(used, level) * ci.sd / sqrt((double)used);
    ci.lo = pooled - ci.half;
    ci.hi = pooled + ci.half;
    return ci;
}
