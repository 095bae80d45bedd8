/* tests/test_sim_dist.c — distributions: conversions from user parameters,
 * sample mean and variance within 4 standard errors of theory for every
 * form, non-negative draws, and every check at the border.
 *
 * Theoretical moments are computed here from the user's parameters, never
 * from the converted ones, so a wrong conversion cannot hide. The standard
 * error of the sample variance uses the sample's fourth central moment:
 * SE(s^2) = sqrt((m4 - s^4) / n).
 */
#include "tests/testutil.h"
#include "sim/mem.h"

#include "sim/dist.h"
#include "sim/stream.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sf_gamma.h>
#include <stdlib.h>
#include <string.h>

static const struct sim_dist_form *form(const char *name, const char *p0, const char *p1,
                                        const char *p2)
{
    const char *keys[3] = {p0, p1, p2};
    size_t n = p2 ? 3 : p1 ? 2 : 1;
    const struct sim_dist_form *f = sim_dist_form_find(name, keys, n);
    assert_non_null(f);
    return f;
}

static void build(struct sim_dist *d, const char *name, const char *p0, double v0, const char *p1,
                  double v1, const char *p2, double v2)
{
    const struct sim_dist_form *f = form(name, p0, p1, p2);
    /* Parameters are passed in the form's own order. */
    double given[3] = {v0, v1, v2}, ordered[3] = {0, 0, 0};
    const char *names[3] = {p0, p1, p2};
    for (int k = 0; k < f->nparams; k++)
        for (int i = 0; i < 3; i++)
            if (names[i] && strcmp(names[i], f->params[k]) == 0)
                ordered[k] = given[i];
    struct sim_err err;
    sim_err_init(&err);
    assert_int_equal(sim_dist_init(d, f, ordered, &err), SIM_OK);
}

/* Draws n values; checks they are finite and >= 0 (offsets: of either
 * sign, and some below 0 when the theory says so), and that mean and
 * variance lie within 4 standard errors of the theory. */
static void moments(const struct sim_dist *d, double mean, double var, unsigned entity, bool offset)
{
    enum { N = 200000 };
    struct sim_stream s;
    sim_stream_init(&s, 20261122, 0, 0, entity);
    gsl_rng *r = sim_stream_rng(&s);
    double *x = sim_xmalloc(N * sizeof *x);
    assert_non_null(x);
    double sum = 0;
    int negative = 0;
    for (int i = 0; i < N; i++) {
        x[i] = sim_dist_sample(d, r);
        assert_true(isfinite(x[i]) && (offset || x[i] >= 0));
        sum += x[i];
        negative += x[i] < 0;
    }
    if (offset)
        assert_true(mean - 2 * sqrt(var) >= 0 || negative > 0);
    double m = sum / N, m2 = 0, m4 = 0;
    for (int i = 0; i < N; i++) {
        double e = (x[i] - m) * (x[i] - m);
        m2 += e;
        m4 += e * e;
    }
    m2 /= N;
    m4 /= N;
    free(x);
    /* The built distribution reports the same theory. */
    assert_near(d->mean, mean, 1e-9 * (1 + fabs(mean)));
    assert_near(d->var, var, 1e-9 * (1 + var));
    assert_near(m, mean, 4 * sqrt(var / N) + 1e-12);
    assert_near(m2, var, 4 * sqrt((m4 - m2 * m2) / N) + 1e-12);
}

static void check_moments(const struct sim_dist *d, double mean, double var, unsigned entity)
{
    moments(d, mean, var, entity, false);
}

static void dist_constant(void **state)
{
    (void)state;
    struct sim_dist d;
    build(&d, "constant", "value", 2.5, NULL, 0, NULL, 0);
    check_moments(&d, 2.5, 0, 1);
}

static void dist_exponential(void **state)
{
    (void)state;
    struct sim_dist d;
    build(&d, "exponential", "mean", 4, NULL, 0, NULL, 0);
    check_moments(&d, 4, 16, 2);
}

static void dist_uniform(void **state)
{
    (void)state;
    struct sim_dist d;
    build(&d, "uniform", "min", 1, "max", 3, NULL, 0);
    check_moments(&d, 2, 4.0 / 12, 3);
}

static void dist_normal_truncated_at_zero(void **state)
{
    (void)state;
    struct sim_dist d;
    /* Far from 0 the truncation does not show. */
    build(&d, "normal", "mean", 30, "sd", 3, NULL, 0);
    check_moments(&d, 30, 9, 4);
    /* Close to 0 it does: N(1, 2) kept above 0. With a = -1/2,
     * l = phi(a)/(1 - Phi(a)): mean 1 + 2 l, variance 4 (1 + a l - l^2). */
    build(&d, "normal", "sd", 2, "mean", 1, NULL, 0);
    double a = -0.5, l = gsl_ran_ugaussian_pdf(a) / gsl_cdf_ugaussian_Q(a);
    check_moments(&d, 1 + 2 * l, 4 * (1 + a * l - l * l), 5);
}

static void dist_lognormal_from_mean_and_sd(void **state)
{
    (void)state;
    struct sim_dist d;
    build(&d, "lognormal", "mean", 4, "sd", 2, NULL, 0);
    /* GSL's parameters: sigma^2 = ln(1 + (2/4)^2), zeta = ln 4 - sigma^2/2. */
    assert_near(d.p[1], sqrt(log(1.25)), 1e-15);
    assert_near(d.p[0], log(4) - log(1.25) / 2, 1e-15);
    check_moments(&d, 4, 4, 6);
}

static void dist_gamma_both_forms(void **state)
{
    (void)state;
    struct sim_dist d;
    build(&d, "gamma", "mean", 25, "sd", 10, NULL, 0);
    assert_near(d.p[0], 6.25, 1e-12); /* shape = (25/10)^2 */
    assert_near(d.p[1], 4, 1e-12);    /* scale = 100/25 */
    check_moments(&d, 25, 100, 7);
    build(&d, "gamma", "shape", 2, "scale", 3, NULL, 0);
    check_moments(&d, 6, 18, 8);
    /* Shape below 1: the sampler takes another branch. */
    build(&d, "gamma", "shape", 0.5, "scale", 2, NULL, 0);
    check_moments(&d, 1, 2, 9);
}

static void dist_erlang(void **state)
{
    (void)state;
    struct sim_dist d;
    build(&d, "erlang", "k", 3, "mean", 6, NULL, 0);
    assert_near(d.p[1], 2, 1e-15); /* phase mean */
    check_moments(&d, 6, 12, 10);
}

static void dist_weibull(void **state)
{
    (void)state;
    struct sim_dist d;
    build(&d, "weibull", "shape", 1.5, "scale", 2, NULL, 0);
    double g1 = gsl_sf_gamma(1 + 1 / 1.5), g2 = gsl_sf_gamma(1 + 2 / 1.5);
    check_moments(&d, 2 * g1, 4 * (g2 - g1 * g1), 11);
}

static void dist_triangular(void **state)
{
    (void)state;
    struct sim_dist d;
    build(&d, "triangular", "min", 1, "mode", 2, "max", 6);
    /* mean (a+b+c)/3 = 3; variance (1+4+36-2-6-12)/18 = 21/18 */
    check_moments(&d, 3, 21.0 / 18, 12);
    /* Mode at an end: the CDF inversion has only one branch. */
    build(&d, "triangular", "min", 0, "mode", 0, "max", 3);
    check_moments(&d, 1, 9.0 / 18, 13);
}

static void dist_empirical(void **state)
{
    (void)state;
    struct sim_dist d;
    struct sim_err err;
    sim_err_init(&err);
    const double values[] = {1, 2, 4}, weights[] = {1, 1, 2};
    assert_int_equal(sim_dist_init_empirical(&d, values, weights, 3, &err), SIM_OK);
    /* mean (1 + 2 + 8)/4 = 2.75; variance (1.75^2 + 0.75^2 + 2 * 1.25^2)/4 */
    check_moments(&d, 2.75, 6.75 / 4, 14);
    sim_dist_fini(&d);
    assert_int_equal(sim_dist_init_empirical(&d, values, NULL, 3, &err), SIM_OK);
    check_moments(&d, 7.0 / 3, (16.0 / 9 + 1.0 / 9 + 25.0 / 9) / 3, 15);
    sim_dist_fini(&d);
}

static void dist_forms_are_found_by_name_and_parameters(void **state)
{
    (void)state;
    const char *ms[] = {"sd", "mean"}, *ss[] = {"scale", "shape"}, *m[] = {"mean"};
    const char *v[] = {"values"}, *vw[] = {"weights", "values"};
    assert_int_equal(sim_dist_form_find("gamma", ms, 2)->params[0][0], 'm');
    assert_int_equal(sim_dist_form_find("gamma", ss, 2)->params[0][0], 's');
    assert_null(sim_dist_form_find("gamma", m, 1));
    assert_null(sim_dist_form_find("gama", ms, 2));
    assert_null(sim_dist_form_find("exponential", ms, 2));
    assert_non_null(sim_dist_form_find("empirical", v, 1));
    assert_non_null(sim_dist_form_find("empirical", vw, 2));
    size_t n;
    const struct sim_dist_form *all = sim_dist_forms(&n);
    assert_int_equal(n, 11);
    for (size_t i = 0; i < n; i++)
        assert_true(all[i].nparams >= 1 && all[i].nparams <= SIM_DIST_MAX_PARAMS);
}

/* Expects the form to refuse the parameters with SIM_EDATA, blaming arg. */
static void refused(const char *name, const char *p0, const char *p1, const char *p2, double v0,
                    double v1, double v2, int arg, const char *words)
{
    const struct sim_dist_form *f = form(name, p0, p1, p2);
    double q[3] = {v0, v1, v2};
    struct sim_dist d;
    struct sim_err err;
    sim_err_init(&err);
    if (sim_dist_init(&d, f, q, &err) != SIM_EDATA || err.arg != arg || !strstr(err.msg, words)) {
        print_error("%s(%g, %g, %g): code %d, arg %d, message \"%s\"; expected arg %d and \"%s\"\n",
                    name, v0, v1, v2, err.code, err.arg, err.msg, arg, words);
        fail();
    }
}

static void dist_parameters_are_checked_at_the_border(void **state)
{
    (void)state;
    refused("constant", "value", NULL, NULL, -1, 0, 0, 0, "value of constant must be at least 0");
    refused("exponential", "mean", NULL, NULL, 0, 0, 0, 0, "greater than 0");
    refused("exponential", "mean", NULL, NULL, -3, 0, 0, 0, "greater than 0");
    refused("exponential", "mean", NULL, NULL, NAN, 0, 0, 0, "finite");
    refused("exponential", "mean", NULL, NULL, INFINITY, 0, 0, 0, "finite");
    refused("exponential", "mean", NULL, NULL, 1e8, 0, 0, 0, "largest time");
    refused("uniform", "min", "max", NULL, 5, 3, 0, 1, "greater than its min");
    refused("uniform", "min", "max", NULL, -1, 3, 0, 0, "at least 0");
    refused("normal", "mean", "sd", NULL, 10, 0, 0, 1, "sd of normal must be greater than 0");
    refused("lognormal", "mean", "sd", NULL, 4, -2, 0, 1, "sd of lognormal");
    refused("lognormal", "mean", "sd", NULL, 0, 2, 0, 0, "mean of lognormal");
    refused("gamma", "mean", "sd", NULL, 1, 20, 0, 1, "times its mean");
    refused("gamma", "shape", "scale", NULL, 0, 1, 0, 0, "shape of gamma");
    refused("gamma", "shape", "scale", NULL, 1e5, 1e3, 0, 1, "mean of");
    refused("erlang", "k", "mean", NULL, 2.5, 6, 0, 0, "whole number");
    refused("erlang", "k", "mean", NULL, 0, 6, 0, 0, "k of erlang");
    refused("erlang", "k", "mean", NULL, 2, -6, 0, 1, "mean of erlang");
    refused("weibull", "shape", "scale", NULL, 0.05, 1, 0, 0, "shape of weibull");
    refused("weibull", "shape", "scale", NULL, 0.2, 1e6, 0, 1, "mean of");
    refused("triangular", "min", "mode", "max", 1, 7, 6, 1, "mode of triangular");
    refused("triangular", "min", "mode", "max", 3, 3, 3, 2, "greater than its min");

    struct sim_dist d;
    struct sim_err err;
    const double v[] = {1, -2, 3}, w[] = {1, 1, 1}, wz[] = {0, 0, 0}, wn[] = {1, NAN, 1};
    sim_err_init(&err);
    assert_int_equal(sim_dist_init_empirical(&d, v, w, 3, &err), SIM_EDATA);
    assert_int_equal(err.arg, 1);
    const double ok[] = {1, 2, 3};
    sim_err_init(&err);
    assert_int_equal(sim_dist_init_empirical(&d, ok, wz, 3, &err), SIM_EDATA);
    sim_err_init(&err);
    assert_int_equal(sim_dist_init_empirical(&d, ok, wn, 3, &err), SIM_EDATA);
    assert_int_equal(err.arg, 1);
    sim_err_init(&err);
    assert_int_equal(sim_dist_init_empirical(&d, ok, NULL, 0, &err), SIM_EDATA);
}

/* Builds an offset (sim_dist_init_offset) from the form's own order. */
static int build_offset(struct sim_dist *d, const char *name, const char *p0, double v0, const char *p1, double v1,
                        const char *p2, double v2, struct sim_err *err)
{
    const struct sim_dist_form *f = form(name, p0, p1, p2);
    double q[3] = {v0, v1, v2};
    sim_err_init(err);
    return sim_dist_init_offset(d, f, q, err);
}

static void dist_offsets_may_be_negative(void **state)
{
    (void)state;
    struct sim_dist d;
    struct sim_err err;
    /* the normal is not truncated: N(0, 5), N(-3, 2) as they are */
    assert_int_equal(build_offset(&d, "normal", "mean", 0, "sd", 5, NULL, 0, &err), SIM_OK);
    moments(&d, 0, 25, 16, true);
    assert_int_equal(build_offset(&d, "normal", "mean", -3, "sd", 2, NULL, 0, &err), SIM_OK);
    moments(&d, -3, 4, 17, true);
    assert_int_equal(build_offset(&d, "uniform", "min", -10, "max", 5, NULL, 0, &err), SIM_OK);
    moments(&d, -2.5, 225.0 / 12, 18, true);
    assert_int_equal(build_offset(&d, "triangular", "min", -6, "mode", -1, "max", 1, &err), SIM_OK);
    moments(&d, -2, (36 + 1 + 1 - 6 + 6 + 1) / 18.0, 19, true);
    assert_int_equal(build_offset(&d, "constant", "value", -4, NULL, 0, NULL, 0, &err), SIM_OK);
    moments(&d, -4, 0, 20, true);
    /* the forms of positive times stay so: late only */
    assert_int_equal(build_offset(&d, "exponential", "mean", 3, NULL, 0, NULL, 0, &err), SIM_OK);
    moments(&d, 3, 9, 21, false);
    const double v[] = {-5, 0, 10};
    sim_err_init(&err);
    assert_int_equal(sim_dist_init_empirical_offset(&d, v, NULL, 3, &err), SIM_OK);
    moments(&d, 5.0 / 3, (400.0 / 9 + 25.0 / 9 + 625.0 / 9) / 3, 22, true);
    sim_dist_fini(&d);
    /* still refused: a spread of 0, a place beyond the largest time, an
     * empty range, and negative times where they mean nothing */
    assert_int_equal(build_offset(&d, "normal", "mean", -3, "sd", 0, NULL, 0, &err), SIM_EDATA);
    assert_int_equal(err.arg, 1);
    assert_int_equal(build_offset(&d, "normal", "mean", -2e7, "sd", 1, NULL, 0, &err), SIM_EDATA);
    assert_non_null(strstr(err.msg, "mean of normal must be from -1e+07 to 1e+07 minutes, got -2e+07"));
    assert_int_equal(build_offset(&d, "uniform", "min", 2, "max", -2, NULL, 0, &err), SIM_EDATA);
    assert_int_equal(err.arg, 1);
    assert_int_equal(build_offset(&d, "exponential", "mean", -3, NULL, 0, NULL, 0, &err), SIM_EDATA);
    assert_int_equal(build_offset(&d, "constant", "value", NAN, NULL, 0, NULL, 0, &err), SIM_EDATA);
    const double far[] = {-2e7, 0};
    sim_err_init(&err);
    assert_int_equal(sim_dist_init_empirical_offset(&d, far, NULL, 2, &err), SIM_EDATA);
    assert_int_equal(err.arg, 0);
    /* and an ordinary distribution still refuses them */
    refused("normal", "mean", "sd", NULL, -3, 2, 0, 0, "mean of normal must be greater than 0");
}

TEST_TABLE(test_sim_dist,
           cmocka_unit_test(dist_constant),
           cmocka_unit_test(dist_exponential),
           cmocka_unit_test(dist_uniform),
           cmocka_unit_test(dist_normal_truncated_at_zero),
           cmocka_unit_test(dist_lognormal_from_mean_and_sd),
           cmocka_unit_test(dist_gamma_both_forms),
           cmocka_unit_test(dist_erlang),
           cmocka_unit_test(dist_weibull),
           cmocka_unit_test(dist_triangular),
           cmocka_unit_test(dist_empirical),
           cmocka_unit_test(dist_forms_are_found_by_name_and_parameters),
           cmocka_unit_test(dist_parameters_are_checked_at_the_border),
           cmocka_unit_test(dist_offsets_may_be_negative))
