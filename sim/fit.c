/* sim/fit.c — maximum-likelihood fits of duration distributions (see fit.h).
 *
 * Everything is computed on the sample divided by its mean (scaled units:
 * values about 1) and scaled back at the end: the log-scale coordinate of
 * the optimiser then shifts by log(mean), its covariance does not change,
 * and the log-likelihood loses events * log(mean). The optimiser works on
 * u = (log shape, log scale) for gamma and Weibull, (mu, log sigma) for the
 * lognormal; the events' part of the likelihood comes from sums kept once
 * (sum y, sum log y, the centred sum of squares of log y) wherever the
 * family has them, so only censored values and Weibull's (y / scale)^shape
 * cost a pass over the data.
 */
#include "sim/fit.h"
#include "sim/mem.h"
#include "sim/stream.h"

#include <assert.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_math.h>
#include <gsl/gsl_multimin.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_sf_erf.h>
#include <gsl/gsl_sf_gamma.h>
#include <gsl/gsl_sort.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define LEVEL_Q 0.975    /* two-sided 95% intervals */
/* Nelder-Mead has converged when its simplex (size in log units) is below
 * NM_TOL_FINE, or below NM_TOL and not halved in NM_STALL iterations: near
 * the optimum the likelihood changes by about n delta^2, below rounding for
 * delta of 1e-8 (simplices were seen to stall between 1e-9 and 1e-8). */
#define NM_TOL_FINE 1e-9
#define NM_TOL 1e-6
#define NM_STALL 40
#define NM_MAX_ITER 2000
#define HESS_STEP 1e-3   /* central differences in u; the likelihood is smooth on that scale */

static const char *const family_names[SIM_FIT_FAMILIES] = {"exponential", "gamma", "lognormal", "weibull"};

const char *sim_fit_family_name(enum sim_fit_family f)
{
    return (unsigned)f < SIM_FIT_FAMILIES ? family_names[f] : NULL;
}

/* The sample in scaled units, split into events and censored values. */
struct data {
    enum sim_fit_family family;
    size_t ne, nc;
    double *y, *ly;      /* events and their logs */
    double *c, *lc;      /* censored values and their logs */
    double sum_y, sum_ly, ss_ly, sum_c;   /* ss_ly = sum (log y - mean log y)^2 */
};

static void data_fini(struct data *d)
{
    free(d->y);
    free(d->ly);
    free(d->c);
    free(d->lc);
}

/* Checks x and fills d with x / scale; sets *scale to the mean of x. */
static int data_init(struct data *d, enum sim_fit_family f, const double *x, const bool *censored, size_t n,
                     double *scale, struct sim_err *err)
{
    memset(d, 0, sizeof *d);
    d->family = f;
    double sum = 0;
    for (size_t i = 0; i < n; i++) {
        if (!(x[i] > 0) || !isfinite(x[i]))
            return sim_err_set_arg(err, SIM_EDATA, i <= INT_MAX ? (int)i : -1,
                                   "value %zu (%g) is not a positive finite duration", i, x[i]);
        sum += x[i];
        if (censored && censored[i])
            d->nc++;
        else
            d->ne++;
    }
    if (d->ne < 2)
        return sim_err_set(err, SIM_EDATA, "%zu uncensored observation%s: a fit needs at least 2", d->ne,
                           d->ne == 1 ? "" : "s");
    bool spread = false;
    double first = 0;
    for (size_t i = 0; i < n && !spread; i++)
        if (!(censored && censored[i])) {
            if (first == 0)
                first = x[i];
            else
                spread = x[i] != first;
        }
    if (!spread && f != SIM_FIT_EXPONENTIAL)
        return sim_err_set(err, SIM_EDATA, "all %zu uncensored values are equal (%g): a %s fit needs some spread",
                           d->ne, first, family_names[f]);
    *scale = sum / (double)n;
    d->y = sim_xmalloc(d->ne * sizeof *d->y);
    d->ly = sim_xmalloc(d->ne * sizeof *d->ly);
    d->c = sim_xmalloc((d->nc ? d->nc : 1) * sizeof *d->c);
    d->lc = sim_xmalloc((d->nc ? d->nc : 1) * sizeof *d->lc);
    size_t e = 0, k = 0;
    for (size_t i = 0; i < n; i++) {
        double v = x[i] / *scale;
        if (censored && censored[i]) {
            d->c[k] = v;
            d->lc[k++] = log(v);
            d->sum_c += v;
        } else {
            d->y[e] = v;
            d->ly[e++] = log(v);
            d->sum_y += v;
            d->sum_ly += log(v);
        }
    }
    double mly = d->sum_ly / (double)d->ne;
    for (size_t i = 0; i < d->ne; i++)
        d->ss_ly += (d->ly[i] - mly) * (d->ly[i] - mly);
    return SIM_OK;
}

/* log Q(a, z), the gamma's log survival, also where Q underflows: there
 * from the asymptotic series Gamma(a, z) ~ z^(a-1) e^-z (1 + (a-1)/z +
 * (a-1)(a-2)/z^2). */
static double log_gamma_q(double a, double z)
{
    gsl_sf_result r;
    if (gsl_sf_gamma_inc_Q_e(a, z, &r) == GSL_SUCCESS && r.val > 1e-280)
        return log(r.val);
    if (z <= a)
        return GSL_NEGINF;
    double series = 1 + (a - 1) / z + (a - 1) * (a - 2) / (z * z);
    return (a - 1) * log(z) - z - gsl_sf_lngamma(a) + log(fmax(series, 1e-300));
}

/* Minus the log-likelihood of d (scaled units) at u. */
static double nll(const struct data *d, const double *u)
{
    double ne = (double)d->ne, ll = 0;
    switch (d->family) {
    case SIM_FIT_GAMMA: {
        double k = exp(u[0]), theta = exp(u[1]);
        if (!isfinite(k) || !(k > 0) || !(theta > 0) || !isfinite(theta))
            return GSL_POSINF;
        ll = ne * (-gsl_sf_lngamma(k) - k * u[1]) + (k - 1) * d->sum_ly - d->sum_y / theta;
        for (size_t i = 0; i < d->nc; i++)
            ll += log_gamma_q(k, d->c[i] / theta);
        break;
    }
    case SIM_FIT_LOGNORMAL: {
        double mu = u[0], sigma = exp(u[1]), dm = d->sum_ly / ne - mu;
        if (!(sigma > 0) || !isfinite(sigma))
            return GSL_POSINF;
        ll = -d->sum_ly - ne * (u[1] + 0.5 * log(2 * M_PI)) - (d->ss_ly + ne * dm * dm) / (2 * sigma * sigma);
        for (size_t i = 0; i < d->nc; i++)
            ll += gsl_sf_log_erfc((d->lc[i] - mu) / (sigma * M_SQRT2)) - M_LN2;
        break;
    }
    case SIM_FIT_WEIBULL: {
        double k = exp(u[0]);
        if (!(k > 0) || !isfinite(k))
            return GSL_POSINF;
        ll = ne * (u[0] - k * u[1]) + (k - 1) * d->sum_ly;
        for (size_t i = 0; i < d->ne; i++)
            ll -= exp(k * (d->ly[i] - u[1]));
        for (size_t i = 0; i < d->nc; i++)
            ll -= exp(k * (d->lc[i] - u[1]));
        break;
    }
    default:
        assert(0 && "nll of a family without an optimiser");
    }
    return isnan(ll) ? GSL_POSINF : -ll;
}

static double nll_gsl(const gsl_vector *v, void *ctx)
{
    double u[2] = {gsl_vector_get(v, 0), gsl_vector_get(v, 1)};
    return nll(ctx, u);
}

/* Nelder-Mead from u with initial steps `step`; u becomes the best point.
 * True when it converged (NM_TOL above). */
static bool simplex(const struct data *d, double *u, double step)
{
    gsl_multimin_function fn = {nll_gsl, 2, (void *)d};
    gsl_multimin_fminimizer *m = gsl_multimin_fminimizer_alloc(gsl_multimin_fminimizer_nmsimplex2, 2);
    gsl_vector *x = gsl_vector_alloc(2), *ss = gsl_vector_alloc(2);
    if (!m || !x || !ss)
        sim_oom(sizeof *m);
    gsl_vector_set(x, 0, u[0]);
    gsl_vector_set(x, 1, u[1]);
    gsl_vector_set_all(ss, step);
    bool ok = false;
    if (gsl_multimin_fminimizer_set(m, &fn, x, ss) == GSL_SUCCESS) {
        double mark = GSL_POSINF;   /* the size when it last halved */
        for (int it = 0, stalled = 0; it < NM_MAX_ITER; it++) {
            if (gsl_multimin_fminimizer_iterate(m) != GSL_SUCCESS)
                break;
            double size = gsl_multimin_fminimizer_size(m);
            if (size < NM_TOL_FINE) {
                ok = true;
                break;
            }
            if (size < 0.5 * mark) {
                mark = size;
                stalled = 0;
            } else if (++stalled == NM_STALL) {   /* the likelihood is flat to rounding at this size */
                ok = size < NM_TOL;
                break;
            }
        }
        u[0] = gsl_vector_get(m->x, 0);
        u[1] = gsl_vector_get(m->x, 1);
        ok = ok && isfinite(m->fval);
    }
    gsl_multimin_fminimizer_free(m);
    gsl_vector_free(x);
    gsl_vector_free(ss);
    return ok;
}

/* The covariance of u, the inverse of nll's numerical Hessian at u; false
 * when that Hessian is not positive definite (no proper maximum). */
static bool covariance(const struct data *d, const double *u, double cov[2][2])
{
    const double h = HESS_STEP;
    double f0 = nll(d, u), hs[2][2];
    for (int i = 0; i < 2; i++) {
        double a[2] = {u[0], u[1]}, b[2] = {u[0], u[1]};
        a[i] += h;
        b[i] -= h;
        hs[i][i] = (nll(d, a) - 2 * f0 + nll(d, b)) / (h * h);
    }
    double pp[2] = {u[0] + h, u[1] + h}, pm[2] = {u[0] + h, u[1] - h};
    double mp[2] = {u[0] - h, u[1] + h}, mm[2] = {u[0] - h, u[1] - h};
    hs[0][1] = hs[1][0] = (nll(d, pp) - nll(d, pm) - nll(d, mp) + nll(d, mm)) / (4 * h * h);
    double det = hs[0][0] * hs[1][1] - hs[0][1] * hs[1][0];
    if (!isfinite(det) || !(hs[0][0] > 0) || !(det > 0))
        return false;
    cov[0][0] = hs[1][1] / det;
    cov[1][1] = hs[0][0] / det;
    cov[0][1] = cov[1][0] = -hs[0][1] / det;
    return true;
}

/* par = exp(lp) with the interval exp(lp -/+ z se). */
static void wald_log(struct sim_fit *fit, int i, double lp, double var)
{
    double z = gsl_cdf_ugaussian_Pinv(LEVEL_Q), se = sqrt(fmax(var, 0));
    fit->par[i] = exp(lp);
    fit->lo[i] = exp(lp - z * se);
    fit->hi[i] = exp(lp + z * se);
}

/* The variance of g . u for the gradient g (the delta method). */
static double quad(const double *g, double cov[2][2])
{
    return g[0] * g[0] * cov[0][0] + 2 * g[0] * g[1] * cov[0][1] + g[1] * g[1] * cov[1][1];
}

static void fit_exponential(const struct data *d, double scale, struct sim_fit *fit)
{
    double ne = (double)d->ne, mean = (d->sum_y + d->sum_c) / ne * scale;
    fit->names[0] = "mean";
    fit->par[0] = mean;
    if (d->nc == 0) {
        double twice = 2 * mean * ne, df = 2 * ne;   /* 2 sum(x) */
        fit->lo[0] = twice / gsl_cdf_chisq_Pinv(LEVEL_Q, df);
        fit->hi[0] = twice / gsl_cdf_chisq_Pinv(1 - LEVEL_Q, df);
    } else {
        wald_log(fit, 0, log(mean), 1 / ne);
        fit->par[0] = mean;
    }
    fit->loglik = -ne * (log(mean) + 1);
    fit->mean = fit->sd = mean;
}

/* Starting values in u from the events, and the scale of censored data
 * (scaled units). */
static void start(const struct data *d, double *u)
{
    double ne = (double)d->ne, ybar = d->sum_y / ne, lbar = d->sum_ly / ne, sl = sqrt(d->ss_ly / ne);
    double total = (d->sum_y + d->sum_c) / ne;   /* a mean that allows for censoring, as the exponential's */
    switch (d->family) {
    case SIM_FIT_GAMMA: {
        double s = fmax(log(ybar) - lbar, 1e-12);   /* Minka's approximation to the shape's MLE */
        double k = (3 - s + sqrt((s - 3) * (s - 3) + 24 * s)) / (12 * s);
        u[0] = log(k);
        u[1] = log(total / k);
        break;
    }
    case SIM_FIT_LOGNORMAL:
        u[0] = lbar + log(total / ybar);
        u[1] = log(sl);
        break;
    default: {   /* Weibull: sd(log x) = pi / (shape sqrt 6), mean(log x) = log scale - gamma / shape */
        double k = M_PI / (sl * sqrt(6.0));
        u[0] = log(k);
        u[1] = lbar + M_EULER / k + log(total / ybar);
        break;
    }
    }
}

int sim_fit_mle(enum sim_fit_family f, const double *x, const bool *censored, size_t n, struct sim_fit *out,
                struct sim_err *err)
{
    assert((unsigned)f < SIM_FIT_FAMILIES);
    memset(out, 0, sizeof *out);
    out->family = f;
    out->n = n;
    out->npar = f == SIM_FIT_EXPONENTIAL ? 1 : 2;
    out->par[1] = out->lo[1] = out->hi[1] = NAN;
    struct data d;
    double scale = 1;
    int rc = data_init(&d, f, x, censored, n, &scale, err);
    out->events = d.ne;
    if (rc != SIM_OK) {
        data_fini(&d);
        return rc;
    }
    if (f == SIM_FIT_EXPONENTIAL) {
        fit_exponential(&d, scale, out);
        out->aic = 2 * (double)out->npar - 2 * out->loglik;
        data_fini(&d);
        return SIM_OK;
    }
    double u[2], cov[2][2];
    if (f == SIM_FIT_LOGNORMAL && d.nc == 0) {   /* the closed form */
        u[0] = d.sum_ly / (double)d.ne;
        u[1] = 0.5 * log(d.ss_ly / (double)d.ne);
    } else {
        start(&d, u);
        /* a second run from where the first stopped guards against a simplex collapsed too early */
        bool converged = simplex(&d, u, 0.3);
        converged = simplex(&d, u, 0.02) && converged;
        if (!converged) {
            data_fini(&d);
            return sim_err_set(err, SIM_EDATA, "the %s likelihood's maximum was not found (the optimiser did not "
                               "converge)", family_names[f]);
        }
    }
    if (!covariance(&d, u, cov)) {
        data_fini(&d);
        return sim_err_set(err, SIM_EDATA, "the %s likelihood has no proper maximum on these data", family_names[f]);
    }
    out->loglik = -nll(&d, u) - (double)d.ne * log(scale);
    double ls = log(scale);
    switch (f) {
    case SIM_FIT_GAMMA: {   /* log mean = u0 + u1, log sd = u0 / 2 + u1 */
        double gm[2] = {1, 1}, gs[2] = {0.5, 1};
        out->names[0] = "mean";
        out->names[1] = "sd";
        wald_log(out, 0, u[0] + u[1] + ls, quad(gm, cov));
        wald_log(out, 1, 0.5 * u[0] + u[1] + ls, quad(gs, cov));
        break;
    }
    case SIM_FIT_LOGNORMAL: {   /* log mean = mu + s2 / 2, log sd = log mean + log(expm1(s2)) / 2 */
        double s2 = exp(2 * u[1]), em1 = expm1(s2);
        double gm[2] = {1, s2}, gs[2] = {1, s2 + s2 * (em1 + 1) / em1};
        out->names[0] = "mean";
        out->names[1] = "sd";
        wald_log(out, 0, u[0] + ls + 0.5 * s2, quad(gm, cov));
        wald_log(out, 1, u[0] + ls + 0.5 * s2 + 0.5 * log(em1), quad(gs, cov));
        break;
    }
    default:
        out->names[0] = "shape";
        out->names[1] = "scale";
        wald_log(out, 0, u[0], cov[0][0]);
        wald_log(out, 1, u[1] + ls, cov[1][1]);
        break;
    }
    if (f == SIM_FIT_WEIBULL) {
        double k = out->par[0], g1 = gsl_sf_lngamma(1 + 1 / k), g2 = gsl_sf_lngamma(1 + 2 / k);
        out->mean = out->par[1] * exp(g1);
        out->sd = out->par[1] * exp(g1) * sqrt(fmax(expm1(g2 - 2 * g1), 0));
    } else {
        out->mean = out->par[0];
        out->sd = out->par[1];
    }
    out->aic = 2 * (double)out->npar - 2 * out->loglik;
    data_fini(&d);
    bool finite = isfinite(out->loglik);
    for (size_t i = 0; i < out->npar; i++)
        finite = finite && isfinite(out->par[i]) && out->lo[i] > 0 && isfinite(out->hi[i]);
    if (!finite)
        return sim_err_set(err, SIM_EDATA, "the %s fit's parameters are out of range on these data", family_names[f]);
    return SIM_OK;
}

/* GSL's parameters of the fitted distribution: exponential (mean), gamma
 * (shape, scale), lognormal (zeta, sigma), Weibull (scale, shape). */
static void native(const struct sim_fit *fit, double *a, double *b)
{
    double m = fit->par[0], s = fit->par[1];
    switch (fit->family) {
    case SIM_FIT_EXPONENTIAL:
        *a = m;
        *b = NAN;
        break;
    case SIM_FIT_GAMMA:
        *a = (m / s) * (m / s);
        *b = s * s / m;
        break;
    case SIM_FIT_LOGNORMAL: {
        double s2 = log1p((s / m) * (s / m));
        *a = log(m) - 0.5 * s2;
        *b = sqrt(s2);
        break;
    }
    default:
        *a = s;
        *b = m;
        break;
    }
}

double sim_fit_cdf(const struct sim_fit *fit, double x)
{
    if (!(x > 0))
        return isnan(x) ? NAN : 0;
    double a, b;
    native(fit, &a, &b);
    switch (fit->family) {
    case SIM_FIT_EXPONENTIAL:
        return gsl_cdf_exponential_P(x, a);
    case SIM_FIT_GAMMA:
        return gsl_cdf_gamma_P(x, a, b);
    case SIM_FIT_LOGNORMAL:
        return gsl_cdf_lognormal_P(x, a, b);
    default:
        return gsl_cdf_weibull_P(x, a, b);
    }
}

size_t sim_fit_all(const double *x, const bool *censored, size_t n, struct sim_fit *out)
{
    size_t k = 0;
    for (int f = 0; f < SIM_FIT_FAMILIES; f++) {
        struct sim_err err;
        sim_err_init(&err);
        struct sim_fit fit;
        if (sim_fit_mle((enum sim_fit_family)f, x, censored, n, &fit, &err) != SIM_OK)
            continue;
        size_t at = k++;   /* insertion: a later family goes after an equal AIC */
        while (at > 0 && out[at - 1].aic > fit.aic) {
            out[at] = out[at - 1];
            at--;
        }
        out[at] = fit;
    }
    return k;
}

/* KS distance between the sorted y[0..n) and the fit. */
static double ks(const struct sim_fit *fit, const double *y, size_t n)
{
    double dn = (double)n, dist = 0;
    for (size_t i = 0; i < n; i++) {
        double p = sim_fit_cdf(fit, y[i]);
        dist = fmax(dist, fmax(p - (double)i / dn, (double)(i + 1) / dn - p));
    }
    return dist;
}

double sim_fit_gof(const struct sim_fit *fit, const double *x, size_t n, unsigned B, uint64_t seed, double *d)
{
    assert(n >= 2 && B >= 1);
    double *y = sim_xmalloc(n * sizeof *y);
    memcpy(y, x, n * sizeof *y);
    gsl_sort(y, 1, n);
    double d0 = ks(fit, y, n), a, b;
    if (d)
        *d = d0;
    native(fit, &a, &b);
    struct sim_stream s;
    sim_stream_init(&s, seed, 0, 0, 0);
    gsl_rng *r = sim_stream_rng(&s);
    unsigned ge = 0;
    for (unsigned rep = 0; rep < B; rep++) {
        for (size_t i = 0; i < n; i++)
            switch (fit->family) {
            case SIM_FIT_EXPONENTIAL:
                y[i] = gsl_ran_exponential(r, a);
                break;
            case SIM_FIT_GAMMA:
                y[i] = gsl_ran_gamma(r, a, b);
                break;
            case SIM_FIT_LOGNORMAL:
                y[i] = gsl_ran_lognormal(r, a, b);
                break;
            default:
                y[i] = gsl_ran_weibull(r, a, b);
                break;
            }
        struct sim_err err;
        sim_err_init(&err);
        struct sim_fit refit;
        if (sim_fit_mle(fit->family, y, NULL, n, &refit, &err) != SIM_OK) {
            ge++;
            continue;
        }
        gsl_sort(y, 1, n);
        ge += ks(&refit, y, n) >= d0;
    }
    free(y);
    return (1.0 + ge) / ((double)B + 1.0);
}
