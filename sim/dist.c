/* sim/dist.c — checking, converting and sampling distributions (see dist.h).
 *
 * Conversions from user parameters (m = mean, s = sd):
 *   lognormal: sigma^2 = ln(1 + s^2/m^2), zeta = ln(m) - sigma^2/2
 *   gamma:     shape = m^2/s^2, scale = s^2/m
 *   erlang:    scale = m/k
 * The normal is truncated at 0 by sampling its upper tail with GSL's
 * gaussian_tail, which stays efficient however far the mean is from 0;
 * an offset's normal is GSL's gaussian, untruncated. An offset's placing
 * parameters are checked by check_place: any sign, within the largest time.
 * The triangular has no GSL sampler; it is drawn by inverting its CDF.
 */
#include "sim/dist.h"
#include "sim/mem.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_math.h>
#include <gsl/gsl_sf_gamma.h>
#include <math.h>
#include <string.h>

static const struct sim_dist_form forms[] = {
    {"constant", SIM_DIST_CONSTANT, 1, {"value"}, false},
    {"exponential", SIM_DIST_EXPONENTIAL, 1, {"mean"}, false},
    {"uniform", SIM_DIST_UNIFORM, 2, {"min", "max"}, false},
    {"normal", SIM_DIST_NORMAL, 2, {"mean", "sd"}, false},
    {"lognormal", SIM_DIST_LOGNORMAL, 2, {"mean", "sd"}, false},
    {"gamma", SIM_DIST_GAMMA, 2, {"mean", "sd"}, false},
    {"gamma", SIM_DIST_GAMMA, 2, {"shape", "scale"}, false},
    {"erlang", SIM_DIST_ERLANG, 2, {"k", "mean"}, false},
    {"weibull", SIM_DIST_WEIBULL, 2, {"shape", "scale"}, false},
    {"triangular", SIM_DIST_TRIANGULAR, 3, {"min", "mode", "max"}, false},
    {"empirical", SIM_DIST_EMPIRICAL, 2, {"values", "weights"}, true},
};

const struct sim_dist_form *sim_dist_forms(size_t *count)
{
    *count = sizeof forms / sizeof forms[0];
    return forms;
}

static bool has_key(const char *const *keys, size_t nkeys, const char *k)
{
    for (size_t i = 0; i < nkeys; i++)
        if (strcmp(keys[i], k) == 0)
            return true;
    return false;
}

const struct sim_dist_form *sim_dist_form_find(const char *name, const char *const *keys,
                                               size_t nkeys)
{
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
        const struct sim_dist_form *f = &forms[i];
        if (strcmp(f->name, name) != 0)
            continue;
        size_t need = (size_t)f->nparams;
        if (f->kind == SIM_DIST_EMPIRICAL && !has_key(keys, nkeys, "weights"))
            need = 1;
        if (nkeys != need)
            continue;
        bool all = true;
        for (size_t k = 0; k < need; k++)
            all = all && has_key(keys, nkeys, f->params[k]);
        if (all)
            return f;
    }
    return NULL;
}

bool sim_dist_takes(const char *name, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
        if (strcmp(forms[i].name, name) != 0)
            continue;
        if (used)
            used += (size_t)snprintf(buf + used, used < len ? len - used : 0, ", or ");
        for (int k = 0; k < forms[i].nparams; k++)
            used += (size_t)snprintf(buf + used, used < len ? len - used : 0, "%s%s", k ? " and " : "",
                                     forms[i].params[k]);
    }
    return used > 0;
}

/* Checks a parameter that is a time (or a spread of times). */
static int check_time(struct sim_err *err, const struct sim_dist_form *f, int i, double x,
                      bool positive)
{
    if (!isfinite(x))
        return sim_err_set_arg(err, SIM_EDATA, i, "%s of %s must be a finite number",
                               f->params[i], f->name);
    if (positive ? x <= 0 : x < 0)
        return sim_err_set_arg(err, SIM_EDATA, i, "%s of %s must be %s 0 minutes, got %g",
                               f->params[i], f->name, positive ? "greater than" : "at least", x);
    if (x > SIM_DIST_TIME_MAX)
        return sim_err_set_arg(err, SIM_EDATA, i,
                               "%s of %s is %g minutes, more than the largest time cxsim "
                               "accepts (%g minutes)",
                               f->params[i], f->name, x, SIM_DIST_TIME_MAX);
    return SIM_OK;
}

/* Checks a parameter that places a distribution: a time (>= 0), or for an
 * offset a time of either sign, -SIM_DIST_TIME_MAX to SIM_DIST_TIME_MAX. */
static int check_place(struct sim_err *err, const struct sim_dist_form *f, int i, double x, bool offset)
{
    if (!offset)
        return check_time(err, f, i, x, false);
    if (!isfinite(x))
        return sim_err_set_arg(err, SIM_EDATA, i, "%s of %s must be a finite number", f->params[i], f->name);
    if (x < -SIM_DIST_TIME_MAX || x > SIM_DIST_TIME_MAX)
        return sim_err_set_arg(err, SIM_EDATA, i, "%s of %s must be from %g to %g minutes, got %g", f->params[i],
                               f->name, -SIM_DIST_TIME_MAX, SIM_DIST_TIME_MAX, x);
    return SIM_OK;
}

/* Checks a dimensionless shape parameter against [lo, hi]. */
static int check_shape(struct sim_err *err, const struct sim_dist_form *f, int i, double x,
                       double lo, double hi)
{
    if (!isfinite(x) || x < lo || x > hi)
        return sim_err_set_arg(err, SIM_EDATA, i, "%s of %s must be between %g and %g, got %g",
                               f->params[i], f->name, lo, hi, x);
    return SIM_OK;
}

/* Gamma shape: below 0.01 (a coefficient of variation above 10) nearly
 * every draw underflows to 0, which no duration in a business means. */
#define GAMMA_SHAPE_MIN 0.01
#define GAMMA_SHAPE_MAX 1e6

static int init_gamma(struct sim_dist *d, const struct sim_dist_form *f, const double *q,
                      struct sim_err *err)
{
    double shape, scale;
    if (strcmp(f->params[0], "mean") == 0) {
        if (check_time(err, f, 0, q[0], true) || check_time(err, f, 1, q[1], true))
            return err->code;
        shape = (q[0] * q[0]) / (q[1] * q[1]);
        scale = (q[1] * q[1]) / q[0];
        if (shape < GAMMA_SHAPE_MIN || shape > GAMMA_SHAPE_MAX)
            return sim_err_set_arg(err, SIM_EDATA, 1,
                                   "sd of gamma must be between %g and %g times its mean, "
                                   "got %g for a mean of %g",
                                   1 / sqrt(GAMMA_SHAPE_MAX), 1 / sqrt(GAMMA_SHAPE_MIN), q[1], q[0]);
    } else {
        if (check_shape(err, f, 0, q[0], GAMMA_SHAPE_MIN, GAMMA_SHAPE_MAX) ||
            check_time(err, f, 1, q[1], true))
            return err->code;
        shape = q[0];
        scale = q[1];
        if (shape * scale > SIM_DIST_TIME_MAX)
            return sim_err_set_arg(err, SIM_EDATA, 1,
                                   "gamma with shape %g and scale %g has a mean of %g minutes, "
                                   "more than the largest time cxsim accepts (%g minutes)",
                                   shape, scale, shape * scale, SIM_DIST_TIME_MAX);
    }
    d->p[0] = shape;
    d->p[1] = scale;
    d->mean = shape * scale;
    d->var = shape * scale * scale;
    return SIM_OK;
}

static int init_normal(struct sim_dist *d, const struct sim_dist_form *f, const double *q, bool offset,
                       struct sim_err *err)
{
    if ((offset ? check_place(err, f, 0, q[0], true) : check_time(err, f, 0, q[0], true)) ||
        check_time(err, f, 1, q[1], true))
        return err->code;
    double mu = q[0], sigma = q[1];
    if (offset) {
        d->p[0] = d->mean = mu;
        d->p[1] = sigma;
        d->var = sigma * sigma;
        return SIM_OK;
    }
    /* Moments of N(mu, sigma) truncated to (0, inf): alpha = -mu/sigma,
     * lambda = phi(alpha) / (1 - Phi(alpha)). */
    double alpha = -mu / sigma;
    double lambda = gsl_ran_ugaussian_pdf(alpha) / gsl_cdf_ugaussian_Q(alpha);
    d->p[0] = mu;
    d->p[1] = sigma;
    d->mean = mu + sigma * lambda;
    d->var = sigma * sigma * (1 + alpha * lambda - lambda * lambda);
    return SIM_OK;
}

static int init(struct sim_dist *d, const struct sim_dist_form *f, const double *q, bool offset,
                struct sim_err *err)
{
    memset(d, 0, sizeof *d);
    d->kind = f->kind;
    d->offset = offset;
    switch (f->kind) {
    case SIM_DIST_CONSTANT:
        if (check_place(err, f, 0, q[0], offset))
            return err->code;
        d->p[0] = d->mean = q[0];
        d->var = 0;
        return SIM_OK;
    case SIM_DIST_EXPONENTIAL:
        if (check_time(err, f, 0, q[0], true))
            return err->code;
        d->p[0] = d->mean = q[0];
        d->var = q[0] * q[0];
        return SIM_OK;
    case SIM_DIST_UNIFORM:
        if (check_place(err, f, 0, q[0], offset) || check_place(err, f, 1, q[1], offset))
            return err->code;
        if (!(q[0] < q[1]))
            return sim_err_set_arg(err, SIM_EDATA, 1,
                                   "max of uniform must be greater than its min (%g), got %g; "
                                   "for a fixed time use dist: constant",
                                   q[0], q[1]);
        d->p[0] = q[0];
        d->p[1] = q[1];
        d->mean = (q[0] + q[1]) / 2;
        d->var = (q[1] - q[0]) * (q[1] - q[0]) / 12;
        return SIM_OK;
    case SIM_DIST_NORMAL:
        return init_normal(d, f, q, offset, err);
    case SIM_DIST_LOGNORMAL: {
        if (check_time(err, f, 0, q[0], true) || check_time(err, f, 1, q[1], true))
            return err->code;
        double cv2 = (q[1] / q[0]) * (q[1] / q[0]);
        double s2 = log1p(cv2);
        d->p[0] = log(q[0]) - s2 / 2;
        d->p[1] = sqrt(s2);
        d->mean = q[0];
        d->var = q[1] * q[1];
        return SIM_OK;
    }
    case SIM_DIST_GAMMA:
        return init_gamma(d, f, q, err);
    case SIM_DIST_ERLANG:
        if (check_shape(err, f, 0, q[0], 1, 1e6))
            return err->code;
        if (q[0] != floor(q[0]))
            return sim_err_set_arg(err, SIM_EDATA, 0,
                                   "k of erlang must be a whole number of phases, got %g", q[0]);
        if (check_time(err, f, 1, q[1], true))
            return err->code;
        d->p[0] = q[0];
        d->p[1] = q[1] / q[0];
        d->mean = q[1];
        d->var = q[1] * q[1] / q[0];
        return SIM_OK;
    case SIM_DIST_WEIBULL: {
        /* Below shape 0.1 the mean is over 3.6 million times the scale. */
        if (check_shape(err, f, 0, q[0], 0.1, 1e3) || check_time(err, f, 1, q[1], true))
            return err->code;
        double g1 = gsl_sf_gamma(1 + 1 / q[0]), g2 = gsl_sf_gamma(1 + 2 / q[0]);
        d->p[0] = q[0];
        d->p[1] = q[1];
        d->mean = q[1] * g1;
        d->var = q[1] * q[1] * (g2 - g1 * g1);
        if (d->mean > SIM_DIST_TIME_MAX)
            return sim_err_set_arg(err, SIM_EDATA, 1,
                                   "weibull with shape %g and scale %g has a mean of %g minutes, "
                                   "more than the largest time cxsim accepts (%g minutes)",
                                   q[0], q[1], d->mean, SIM_DIST_TIME_MAX);
        return SIM_OK;
    }
    case SIM_DIST_TRIANGULAR: {
        for (int i = 0; i < 3; i++)
            if (check_place(err, f, i, q[i], offset))
                return err->code;
        double a = q[0], c = q[1], b = q[2];
        if (!(a < b))
            return sim_err_set_arg(err, SIM_EDATA, 2,
                                   "max of triangular must be greater than its min (%g), got %g",
                                   a, b);
        if (c < a || c > b)
            return sim_err_set_arg(err, SIM_EDATA, 1,
                                   "mode of triangular must lie between min (%g) and max (%g), "
                                   "got %g",
                                   a, b, c);
        d->p[0] = a;
        d->p[1] = c;
        d->p[2] = b;
        d->mean = (a + b + c) / 3;
        d->var = (a * a + b * b + c * c - a * b - a * c - b * c) / 18;
        return SIM_OK;
    }
    case SIM_DIST_EMPIRICAL:
        break;
    }
    return sim_err_set(err, SIM_EINTERNAL, "sim_dist_init called for %s, which takes lists",
                       f->name);
}

int sim_dist_init(struct sim_dist *d, const struct sim_dist_form *f, const double *q,
                  struct sim_err *err)
{
    return init(d, f, q, false, err);
}

int sim_dist_init_offset(struct sim_dist *d, const struct sim_dist_form *f, const double *q,
                         struct sim_err *err)
{
    return init(d, f, q, true, err);
}

static int init_empirical(struct sim_dist *d, const double *values, const double *weights, size_t n, bool offset,
                          struct sim_err *err)
{
    memset(d, 0, sizeof *d);
    d->kind = SIM_DIST_EMPIRICAL;
    d->offset = offset;
    if (n == 0)
        return sim_err_set_arg(err, SIM_EDATA, 0, "values of empirical must list at least one time");
    double wsum = 0, lowest = offset ? -SIM_DIST_TIME_MAX : 0;
    for (size_t i = 0; i < n; i++) {
        double w = weights ? weights[i] : 1;
        if (!isfinite(values[i]) || values[i] < lowest || values[i] > SIM_DIST_TIME_MAX)
            return sim_err_set_arg(err, SIM_EDATA, (int)i,
                                   "values of empirical must be times from %g to %g minutes, "
                                   "got %g",
                                   lowest, SIM_DIST_TIME_MAX, values[i]);
        if (!isfinite(w) || w < 0)
            return sim_err_set_arg(err, SIM_EDATA, (int)i,
                                   "weights of empirical must be finite and at least 0, got %g", w);
        wsum += w;
    }
    if (!(wsum > 0) || !isfinite(wsum))
        return sim_err_set_arg(err, SIM_EDATA, 0,
                               "weights of empirical must have a positive, finite sum");
    double *w = sim_xmalloc(n * sizeof *w);
    double mean = 0, var = 0;
    for (size_t i = 0; i < n; i++) {
        w[i] = weights ? weights[i] : 1;
        mean += w[i] / wsum * values[i];
    }
    for (size_t i = 0; i < n; i++)
        var += w[i] / wsum * (values[i] - mean) * (values[i] - mean);
    d->table = gsl_ran_discrete_preproc(n, w);
    free(w);
    if (!d->table)
        return sim_err_set(err, SIM_EINTERNAL, "GSL could not build the empirical table");
    d->n = n;
    d->values = sim_xmalloc(n * sizeof *d->values);
    memcpy(d->values, values, n * sizeof *d->values);
    d->mean = mean;
    d->var = var;
    return SIM_OK;
}

int sim_dist_init_empirical(struct sim_dist *d, const double *values, const double *weights,
                            size_t n, struct sim_err *err)
{
    return init_empirical(d, values, weights, n, false, err);
}

int sim_dist_init_empirical_offset(struct sim_dist *d, const double *values, const double *weights, size_t n,
                                   struct sim_err *err)
{
    return init_empirical(d, values, weights, n, true, err);
}

void sim_dist_fini(struct sim_dist *d)
{
    if (d->kind == SIM_DIST_EMPIRICAL) {
        free(d->values);
        if (d->table)
            gsl_ran_discrete_free(d->table);
        d->values = NULL;
        d->table = NULL;
    }
}

double sim_dist_sample(const struct sim_dist *d, gsl_rng *r)
{
    switch (d->kind) {
    case SIM_DIST_CONSTANT:
        return d->p[0];
    case SIM_DIST_EXPONENTIAL:
        return gsl_ran_exponential(r, d->p[0]);
    case SIM_DIST_UNIFORM:
        return gsl_ran_flat(r, d->p[0], d->p[1]);
    case SIM_DIST_NORMAL:
        if (d->offset)
            return d->p[0] + gsl_ran_gaussian(r, d->p[1]);
        return d->p[0] + gsl_ran_gaussian_tail(r, -d->p[0], d->p[1]);
    case SIM_DIST_LOGNORMAL:
        return gsl_ran_lognormal(r, d->p[0], d->p[1]);
    case SIM_DIST_GAMMA:
        return gsl_ran_gamma(r, d->p[0], d->p[1]);
    case SIM_DIST_ERLANG:
        return gsl_ran_erlang(r, d->p[1], d->p[0]);
    case SIM_DIST_WEIBULL:
        return gsl_ran_weibull(r, d->p[1], d->p[0]);
    case SIM_DIST_TRIANGULAR: {
        double a = d->p[0], c = d->p[1], b = d->p[2];
        double u = gsl_rng_uniform(r);
        double fc = (c - a) / (b - a);
        if (u < fc)
            return a + sqrt(u * (b - a) * (c - a));
        return b - sqrt((1 - u) * (b - a) * (b - c));
    }
    case SIM_DIST_EMPIRICAL:
        return d->values[gsl_ran_discrete(r, d->table)];
    }
    return NAN; /* unreachable: every kind is handled above */
}
