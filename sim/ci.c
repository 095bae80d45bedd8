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

/* The mean of the x[i] whose four arrays are all measured there. */
static double paired_mean(const double *x, const double *const *all, size_t n, size_t *used)
{
    double s = 0;
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (isnan(all[0][i]) || isnan(all[1][i]) || isnan(all[2][i]) || isnan(all[3][i]))
            continue;
        s += x[i];
        m++;
    }
    *used = m;
    return m ? s / (double)m : NAN;
}

struct sim_ci sim_ci_ratio_diff(const double *num_a, const double *den_a, const double *num_b, const double *den_b,
                                size_t n, double level)
{
    assert(level > 0 && level < 1);
    const double *const all[4] = {num_a, den_a, num_b, den_b};
    size_t m;
    double ya = paired_mean(num_a, all, n, &m), xa = paired_mean(den_a, all, n, &m);
    double yb = paired_mean(num_b, all, n, &m), xb = paired_mean(den_b, all, n, &m);
    struct sim_ci ci = {NAN, NAN, NAN, NAN, NAN, m};
    if (m == 0 || xa == 0 || xb == 0)
        return ci;
    double ra = ya / xa, rb = yb / xb, d = rb - ra;
    ci.mean = ci.lo = ci.hi = d;
    if (m < 2)
        return ci;
    double ss = 0;
    for (size_t i = 0; i < n; i++) {
        if (isnan(num_a[i]) || isnan(den_a[i]) || isnan(num_b[i]) || isnan(den_b[i]))
            continue;
        double e = (num_b[i] - rb * den_b[i]) / xb - (num_a[i] - ra * den_a[i]) / xa;
        ss += e * e;
    }
    ci.sd = sqrt(ss / (double)(m - 1));
    ci.half = t_quantile(m, level) * ci.sd / sqrt((double)m);
    ci.lo = d - ci.half;
    ci.hi = d + ci.half;
    return ci;
}

void sim_ratio_tally_init(struct sim_ratio_tally *t)
{
    *t = (struct sim_ratio_tally){0};
}

void sim_ratio_tally_add(struct sim_ratio_tally *t, double num, double den)
{
    if (isnan(num) || isnan(den))
        return;
    t->n++;
    t->n_pos += den > 0;
    double dn = num - t->mean_num, dd = den - t->mean_den;
    t->mean_num += dn / (double)t->n;
    t->mean_den += dd / (double)t->n;
    t->c_nn += dn * (num - t->mean_num);
    t->c_nd += dn * (den - t->mean_den);
    t->c_dd += dd * (den - t->mean_den);
}

struct sim_ci sim_ci_from_ratio_tally(const struct sim_ratio_tally *t, double level)
{
    assert(level > 0 && level < 1);
    struct sim_ci ci = {NAN, NAN, NAN, NAN, NAN, t->n};
    if (t->n == 0 || t->mean_den == 0)
        return ci;
    double r = t->mean_num / t->mean_den;
    ci.mean = ci.lo = ci.hi = r;
    if (t->n < 2)
        return ci;
    /* sum (num - R den)^2 = C_nn - 2 R C_nd + R^2 C_dd: R = mean num / mean
     * den makes the residuals' mean 0, so the centred co-moments give it */
    double ss = t->c_nn - 2 * r * t->c_nd + r * r * t->c_dd;
    ci.sd = sqrt((ss > 0 ? ss : 0) / (double)(t->n - 1)) / fabs(t->mean_den);
    ci.half = t_quantile(t->n, level) * ci.sd / sqrt((double)t->n);
    ci.lo = r - ci.half;
    ci.hi = r + ci.half;
    return ci;
}

void sim_ratio_diff_tally_init(struct sim_ratio_diff_tally *t)
{
    *t = (struct sim_ratio_diff_tally){0};
}

void sim_ratio_diff_tally_add(struct sim_ratio_diff_tally *t, double num_a, double den_a, double num_b, double den_b)
{
    const double x[4] = {num_a, den_a, num_b - num_a, den_b - den_a};
    for (int i = 0; i < 4; i++)
        if (isnan(x[i]))
            return;
    t->n++;
    t->n_both += den_a > 0 && den_b > 0;
    double before[4];
    for (int i = 0; i < 4; i++) {
        before[i] = x[i] - t->mean[i];
        t->mean[i] += before[i] / (double)t->n;
    }
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++)
            t->c[i][j] += before[i] * (x[j] - t->mean[j]);
}

struct sim_ci sim_ci_from_ratio_diff_tally(const struct sim_ratio_diff_tally *t, double level)
{
    assert(level > 0 && level < 1);
    struct sim_ci ci = {NAN, NAN, NAN, NAN, NAN, t->n};
    double xa = t->mean[1], xb = t->mean[1] + t->mean[3];
    if (t->n == 0 || xa == 0 || xb == 0)
        return ci;
    double ra = t->mean[0] / xa, rb = (t->mean[0] + t->mean[2]) / xb, d = rb - ra;
    ci.mean = ci.lo = ci.hi = d;
    if (t->n < 2)
        return ci;
    const double g[4] = {1 / xb - 1 / xa, ra / xa - rb / xb, 1 / xb, -rb / xb};
    double ss = 0;
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++)
            ss += g[i] * t->c[i][j] * g[j];
    ci.sd = sqrt((ss > 0 ? ss : 0) / (double)(t->n - 1));
    ci.half = t_quantile(t->n, level) * ci.sd / sqrt((double)t->n);
    ci.lo = d - ci.half;
    ci.hi = d + ci.half;
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
