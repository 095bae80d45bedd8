/* tests/test_sim_fit.c — maximum-likelihood fits (sim/fit.c) against what
 * theory says: the closed forms and likelihood equations of each family on
 * small hand-made samples, the exponential's closed form with censoring,
 * the coverage of the 95% intervals over many seeded samples from known
 * parameters (with censoring too), AIC finding the family a sample came
 * from, the bootstrap goodness-of-fit p-value's uniformity under the
 * hypothesis and its power against a clearly wrong family, and bad input.
 *
 * Statistical tests draw from sim/stream.h streams with fixed seeds. A
 * share seen in R independent repetitions whose true value is p has
 * standard error sqrt(p (1 - p) / R); the bounds below allow 3 of them.
 */
#include "tests/testutil.h"

#include "sim/err.h"
#include "sim/fit.h"
#include "sim/stream.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_sf_psi.h>
#include <stdbool.h>

#define assert_rel(a, b, rel) assert_near((a), (b), (rel) * fabs(b))

/* 95% +/- 3 binomial standard errors over R repetitions */
static double three_se(double p, size_t reps)
{
    return 3 * sqrt(p * (1 - p) / (double)reps);
}

static const double sample[] = {0.8, 1.3, 2.1, 2.9, 4.4, 5.0, 7.7, 12.5, 3.3, 1.9};
enum { NS = sizeof sample / sizeof sample[0] };

static void moments(const double *x, size_t n, double *mean, double *mlog, double *vlog)
{
    double s = 0, sl = 0, ss = 0;
    for (size_t i = 0; i < n; i++) {
        s += x[i];
        sl += log(x[i]);
    }
    *mlog = sl / (double)n;
    for (size_t i = 0; i < n; i++)
        ss += (log(x[i]) - *mlog) * (log(x[i]) - *mlog);
    *mean = s / (double)n;
    *vlog = ss / (double)n;   /* the biased MLE */
}

static struct sim_fit fit_ok(enum sim_fit_family f, const double *x, const bool *cens, size_t n)
{
    struct sim_fit fit;
    struct sim_err err;
    sim_err_init(&err);
    int rc = sim_fit_mle(f, x, cens, n, &fit, &err);
    if (rc != SIM_OK)
        fail_msg("%s: %s", sim_fit_family_name(f), err.msg);
    return fit;
}

static void fit_names_are_the_scenario_languages(void **state)
{
    (void)state;
    assert_string_equal(sim_fit_family_name(SIM_FIT_EXPONENTIAL), "exponential");
    assert_string_equal(sim_fit_family_name(SIM_FIT_GAMMA), "gamma");
    assert_string_equal(sim_fit_family_name(SIM_FIT_LOGNORMAL), "lognormal");
    assert_string_equal(sim_fit_family_name(SIM_FIT_WEIBULL), "weibull");
    assert_null(sim_fit_family_name(SIM_FIT_FAMILIES));
    struct sim_fit g = fit_ok(SIM_FIT_GAMMA, sample, NULL, NS), w = fit_ok(SIM_FIT_WEIBULL, sample, NULL, NS);
    assert_string_equal(g.names[0], "mean");
    assert_string_equal(g.names[1], "sd");
    assert_string_equal(w.names[0], "shape");
    assert_string_equal(w.names[1], "scale");
    assert_int_equal(g.npar, 2);
    assert_int_equal(g.n, NS);
    assert_int_equal(g.events, NS);
    struct sim_fit e = fit_ok(SIM_FIT_EXPONENTIAL, sample, NULL, NS);
    assert_string_equal(e.names[0], "mean");
    assert_null(e.names[1]);
    assert_int_equal(e.npar, 1);
    assert_true(isnan(e.par[1]));
}

/* Exponential: mean = sample mean, the exact chi-square interval, loglik
 * -n (log mean + 1). Lognormal: mu and the biased sigma^2 of log x, as
 * the scenario's mean exp(mu + sigma^2/2) and sd mean sqrt(e^sigma^2 - 1). */
static void fit_exponential_and_lognormal_are_their_closed_forms(void **state)
{
    (void)state;
    double mean, mlog, vlog;
    moments(sample, NS, &mean, &mlog, &vlog);
    struct sim_fit e = fit_ok(SIM_FIT_EXPONENTIAL, sample, NULL, NS);
    assert_rel(e.par[0], mean, 1e-13);
    assert_rel(e.lo[0], 2 * NS * mean / gsl_cdf_chisq_Pinv(0.975, 2 * NS), 1e-12);
    assert_rel(e.hi[0], 2 * NS * mean / gsl_cdf_chisq_Pinv(0.025, 2 * NS), 1e-12);
    assert_rel(e.loglik, -NS * (log(mean) + 1), 1e-13);
    assert_rel(e.aic, 2 + 2 * NS * (log(mean) + 1), 1e-13);
    assert_rel(e.mean, mean, 1e-13);
    assert_rel(e.sd, mean, 1e-13);

    struct sim_fit l = fit_ok(SIM_FIT_LOGNORMAL, sample, NULL, NS);
    double lm = exp(mlog + vlog / 2), lsd = lm * sqrt(expm1(vlog));
    assert_rel(l.par[0], lm, 1e-12);
    assert_rel(l.par[1], lsd, 1e-12);
    assert_rel(l.mean, lm, 1e-12);
    assert_rel(l.sd, lsd, 1e-12);
    double ll = 0;
    for (size_t i = 0; i < NS; i++)
        ll += log(gsl_ran_lognormal_pdf(sample[i], mlog, sqrt(vlog)));
    assert_rel(l.loglik, ll, 1e-12);
    assert_rel(l.aic, 4 - 2 * ll, 1e-12);
    assert_true(l.lo[0] < l.par[0] && l.par[0] < l.hi[0] && l.lo[1] < l.par[1] && l.par[1] < l.hi[1]);
    assert_rel(sim_fit_cdf(&l, 3.0), gsl_cdf_lognormal_P(3.0, mlog, sqrt(vlog)), 1e-12);

    /* the optimiser agrees with the closed form: one censored value so small
     * that its log S is 0 in doubles (Phi(-70)) sends the fit through it */
    double x[NS + 1];
    bool cens[NS + 1] = {false};
    memcpy(x, sample, sizeof sample);
    x[NS] = 1e-30;
    cens[NS] = true;
    struct sim_fit o = fit_ok(SIM_FIT_LOGNORMAL, x, cens, NS + 1);
    assert_int_equal(o.events, NS);
    assert_rel(o.par[0], lm, 1e-6);
    assert_rel(o.par[1], lsd, 1e-6);
    assert_rel(o.loglik, ll, 1e-9);
    assert_rel(o.lo[1], l.lo[1], 1e-3);   /* numerical against numerical Hessian, same point to 1e-6 */
    assert_rel(o.hi[1], l.hi[1], 1e-3);
}

/* Gamma: the shape's MLE solves log k - psi(k) = log(mean x) - mean(log x)
 * (solved here by bisection to 1e-10), and the scale is mean / k: so the
 * fit's mean is the sample's, its sd mean / sqrt(k). The sample scaled by
 * 1e-2 and 1e4 gives the same fit, scaled. */
static double gamma_shape(double s)
{
    double lo = 1e-6, hi = 1e8;   /* log k - psi(k) falls from +inf to 0 */
    while (hi / lo - 1 > 1e-12) {
        double mid = sqrt(lo * hi);
        if (log(mid) - gsl_sf_psi(mid) > s)
            lo = mid;
        else
            hi = mid;
    }
    return sqrt(lo * hi);
}

static void fit_gamma_solves_its_likelihood_equation(void **state)
{
    (void)state;
    double mean, mlog, vlog;
    moments(sample, NS, &mean, &mlog, &vlog);
    double k = gamma_shape(log(mean) - mlog);
    struct sim_fit g = fit_ok(SIM_FIT_GAMMA, sample, NULL, NS);
    assert_rel(g.par[0], mean, 1e-6);
    assert_rel(g.par[1], mean / sqrt(k), 1e-6);
    double ll = 0;
    for (size_t i = 0; i < NS; i++)
        ll += log(gsl_ran_gamma_pdf(sample[i], k, mean / k));
    assert_rel(g.loglik, ll, 1e-10);
    assert_rel(sim_fit_cdf(&g, 4.0), gsl_cdf_gamma_P(4.0, k, mean / k), 1e-6);
    const double scales[] = {1e-2, 1e4};
    for (int s = 0; s < 2; s++) {
        double x[NS];
        for (size_t i = 0; i < NS; i++)
            x[i] = sample[i] * scales[s];
        struct sim_fit h = fit_ok(SIM_FIT_GAMMA, x, NULL, NS);
        for (int j = 0; j < 2; j++) {
            assert_rel(h.par[j], g.par[j] * scales[s], 1e-6);
            assert_rel(h.lo[j], g.lo[j] * scales[s], 1e-4);
            assert_rel(h.hi[j], g.hi[j] * scales[s], 1e-4);
        }
        assert_rel(h.loglik, g.loglik - NS * log(scales[s]), 1e-9);
    }
}

/* Weibull: the score equations hold at the fit: sum (x/l)^k = n and
 * n / k + sum log(x/l) - sum (x/l)^k log(x/l) = 0 (relative to n, 1e-6);
 * mean and sd are l Gamma(1 + 1/k) and l sqrt(Gamma(1 + 2/k) - Gamma(1 + 1/k)^2). */
static void fit_weibull_zeroes_its_score(void **state)
{
    (void)state;
    const double scales[] = {1, 1e-2, 1e4};
    for (int s = 0; s < 3; s++) {
        double x[NS];
        for (size_t i = 0; i < NS; i++)
            x[i] = sample[i] * scales[s];
        struct sim_fit w = fit_ok(SIM_FIT_WEIBULL, x, NULL, NS);
        double k = w.par[0], l = w.par[1], s1 = 0, s2 = 0, ll = 0;
        for (size_t i = 0; i < NS; i++) {
            double z = pow(x[i] / l, k);
            s1 += z;
            s2 += log(x[i] / l) * (1 - z);
            ll += log(gsl_ran_weibull_pdf(x[i], l, k));
        }
        assert_near(s1 / NS, 1, 1e-6);
        assert_near((NS / k + s2) / NS, 0, 1e-6);
        assert_rel(w.loglik, ll, 1e-10);
        assert_rel(w.mean, l * tgamma(1 + 1 / k), 1e-12);
        assert_rel(w.sd, l * sqrt(tgamma(1 + 2 / k) - tgamma(1 + 1 / k) * tgamma(1 + 1 / k)), 1e-9);
        assert_rel(sim_fit_cdf(&w, 3 * scales[s]), gsl_cdf_weibull_P(3 * scales[s], l, k), 1e-12);
    }
}

/* Censored exponential: mean = total time / events, loglik -events (log
 * mean + 1), the interval exp(log mean -/+ 1.96 / sqrt(events)). No
 * censored flag set is the same as no flags. */
static void fit_censored_exponential_is_time_over_events(void **state)
{
    (void)state;
    const double x[] = {2, 3, 5, 7, 11, 4};
    const bool cens[] = {false, true, false, false, true, false};
    struct sim_fit e = fit_ok(SIM_FIT_EXPONENTIAL, x, cens, 6);
    double m = 32.0 / 4, z = gsl_cdf_ugaussian_Pinv(0.975);
    assert_int_equal(e.n, 6);
    assert_int_equal(e.events, 4);
    assert_rel(e.par[0], m, 1e-14);
    assert_rel(e.lo[0], m * exp(-z / 2), 1e-12);
    assert_rel(e.hi[0], m * exp(z / 2), 1e-12);
    assert_rel(e.loglik, -4 * (log(m) + 1), 1e-13);
    const bool none[6] = {false};
    struct sim_fit a = fit_ok(SIM_FIT_GAMMA, x, none, 6), b = fit_ok(SIM_FIT_GAMMA, x, NULL, 6);
    assert_true(a.par[0] == b.par[0] && a.par[1] == b.par[1] && a.lo[1] == b.lo[1] && a.loglik == b.loglik);
    /* a censored gamma is a maximum: the likelihood is lower a little away from it */
    struct sim_fit g = fit_ok(SIM_FIT_GAMMA, x, cens, 6);
    assert_int_equal(g.events, 4);
    assert_true(g.lo[0] < g.par[0] && g.par[0] < g.hi[0]);
    assert_true(g.mean > b.mean);   /* the censored values were larger than seen */
}

/* How a coverage study draws: n values of `family` with the true scenario
 * parameters, and, when cens_mean > 0, an independent exponential censoring
 * time for each, the value kept being the smaller. */
struct truth {
    enum sim_fit_family family;
    double par[2];
    double cens_mean;
};

static void draw(const struct truth *t, gsl_rng *r, double *x, bool *cens, size_t n)
{
    double m = t->par[0], s = t->par[1];
    for (size_t i = 0; i < n; i++) {
        switch (t->family) {
        case SIM_FIT_EXPONENTIAL:
            x[i] = gsl_ran_exponential(r, m);
            break;
        case SIM_FIT_GAMMA:
            x[i] = gsl_ran_gamma(r, (m / s) * (m / s), s * s / m);
            break;
        case SIM_FIT_LOGNORMAL: {
            double s2 = log1p((s / m) * (s / m));
            x[i] = gsl_ran_lognormal(r, log(m) - s2 / 2, sqrt(s2));
            break;
        }
        default:
            x[i] = gsl_ran_weibull(r, s, m);
            break;
        }
        cens[i] = false;
        if (t->cens_mean > 0) {
            double c = gsl_ran_exponential(r, t->cens_mean);
            if (c < x[i]) {
                x[i] = c;
                cens[i] = true;
            }
        }
    }
}

/* Each 95% interval covers the truth in 95% of 400 samples of n = 200,
 * within 3 binomial standard errors: [0.917, 0.983]. Scales from 0.05 to
 * 2,000 minutes. The censored Weibull loses about 30% of its values to an
 * exponential censoring time of mean 45 (share checked: 0.25 to 0.35); the
 * exponential, gamma and lognormal are censored too (about 33%, 28%, 20%).
 * Over 4,000 samples (not run here) the coverages were 0.94 to 0.956. */
static void validation_fit_intervals_cover_the_truth(void **state)
{
    (void)state;
    enum { REPS = 400, N = 200 };
    const struct truth truths[] = {
        {SIM_FIT_EXPONENTIAL, {5, NAN}, 0},
        {SIM_FIT_GAMMA, {0.05, 0.025}, 0},    /* shape 4 */
        {SIM_FIT_LOGNORMAL, {8, 12}, 0},
        {SIM_FIT_WEIBULL, {1.5, 2000}, 0},
        {SIM_FIT_WEIBULL, {1.5, 20}, 45},
        {SIM_FIT_EXPONENTIAL, {5, NAN}, 10},
        {SIM_FIT_GAMMA, {10, 5}, 30},
        {SIM_FIT_LOGNORMAL, {8, 12}, 30},
    };
    double x[N];
    bool cens[N];
    for (size_t t = 0; t < sizeof truths / sizeof truths[0]; t++) {
        const struct truth *tr = &truths[t];
        struct sim_stream s;
        sim_stream_init(&s, 2026, (uint32_t)t, 1, 0);
        size_t covered[2] = {0, 0}, ncens = 0;
        for (size_t rep = 0; rep < REPS; rep++) {
            draw(tr, sim_stream_rng(&s), x, cens, N);
            struct sim_fit fit = fit_ok(tr->family, x, cens, N);
            ncens += N - fit.events;
            for (size_t j = 0; j < fit.npar; j++)
                covered[j] += fit.lo[j] <= tr->par[j] && tr->par[j] <= fit.hi[j];
        }
        size_t npar = tr->family == SIM_FIT_EXPONENTIAL ? 1 : 2;
        double cshare = (double)ncens / (REPS * N);
        for (size_t j = 0; j < npar; j++) {
            double share = (double)covered[j] / REPS;
            print_message("fit coverage %s %s (censored %.2f): %.4f\n", sim_fit_family_name(tr->family),
                          j ? "par 1" : "par 0", cshare, share);
            assert_near(share, 0.95, three_se(0.95, REPS));
        }
        if (tr->family == SIM_FIT_WEIBULL && tr->cens_mean > 0)
            assert_true(cshare > 0.25 && cshare < 0.35);
    }
}

/* AIC puts the true family first in at least 90 of 100 samples of n = 500:
 * a lognormal with sd / mean = 1.5, and a gamma of shape 4. */
static void validation_fit_aic_finds_the_family(void **state)
{
    (void)state;
    enum { REPS = 100, N = 500 };
    const struct truth truths[] = {
        {SIM_FIT_LOGNORMAL, {10, 15}, 0},
        {SIM_FIT_GAMMA, {10, 5}, 0},
    };
    double x[N];
    bool cens[N];
    for (size_t t = 0; t < 2; t++) {
        struct sim_stream s;
        sim_stream_init(&s, 77, (uint32_t)t, 2, 0);
        size_t right = 0;
        for (size_t rep = 0; rep < REPS; rep++) {
            draw(&truths[t], sim_stream_rng(&s), x, cens, N);
            struct sim_fit all[SIM_FIT_FAMILIES];
            size_t k = sim_fit_all(x, NULL, N, all);
            assert_int_equal(k, SIM_FIT_FAMILIES);
            for (size_t i = 1; i < k; i++)
                assert_true(all[i - 1].aic <= all[i].aic);
            right += all[0].family == truths[t].family;
        }
        print_message("fit AIC right for %s: %zu of %d\n", sim_fit_family_name(truths[t].family), right, REPS);
        assert_true(right >= 90);
    }
}

/* D is the KS distance, computed by hand for a fit of three values. */
static void fit_gof_distance_is_kolmogorov_smirnov(void **state)
{
    (void)state;
    const double x[] = {3, 1, 2};
    struct sim_fit e = fit_ok(SIM_FIT_EXPONENTIAL, x, NULL, 3);
    double d = 0;
    for (int i = 0; i < 3; i++) {
        double f = 1 - exp(-(i + 1) / 2.0);
        d = fmax(d, fmax(f - i / 3.0, (i + 1) / 3.0 - f));
    }
    double got, p = sim_fit_gof(&e, x, 3, 19, 5, &got);
    assert_rel(got, d, 1e-14);
    assert_true(p >= 1.0 / 20 && p <= 1);
    assert_true(p == sim_fit_gof(&e, x, 3, 19, 5, NULL));   /* deterministic given the seed */
}

/* Under the hypothesis (a Weibull sample of 40, a Weibull fit) the
 * bootstrap p-value with B = 99 is uniform on {1/100, ..., 1}: P(p <=
 * 0.05) = 0.05, and over 400 seeds the share seen lies within 0.05 +/- 3
 * se (0.033); the mean, 0.505, within 3 sd of a mean of 400 (sd 0.29 /
 * sqrt 400: 0.043). (400, not 200: the first 200 of these seeds alone give
 * 19 p-values <= 0.05, 0.095, right at their bound of 0.096; 1,000 give
 * 0.050.) Exactly so for the Weibull, whose log is a location-
 * scale family: D's distribution under the fit does not depend on the
 * parameters, so the bootstrap's is the true one (for the gamma, whose
 * shape is not a scale, only as n grows). Against clearly wrong data (exponential fitted to uniform on
 * [9, 11]) p is the smallest possible, 1 / (B + 1) = 0.005 < 0.01. */
static void validation_fit_gof_p_is_uniform_under_the_hypothesis(void **state)
{
    (void)state;
    enum { REPS = 400, N = 40, B = 99 };
    const struct truth tr = {SIM_FIT_WEIBULL, {1.5, 10}, 0};
    double x[N], sum = 0;
    bool cens[N];
    size_t low = 0;
    struct sim_stream s;
    sim_stream_init(&s, 31, 0, 3, 0);
    for (size_t rep = 0; rep < REPS; rep++) {
        draw(&tr, sim_stream_rng(&s), x, cens, N);
        struct sim_fit fit = fit_ok(SIM_FIT_WEIBULL, x, NULL, N);
        double p = sim_fit_gof(&fit, x, N, B, 1000 + rep, NULL);
        low += p <= 0.05;
        sum += p;
    }
    double share = (double)low / REPS, mean = sum / REPS;
    print_message("fit gof under H0: share p <= 0.05 %.4f, mean p %.4f\n", share, mean);
    assert_near(share, 0.05, three_se(0.05, REPS));
    assert_near(mean, 0.505, 3 * sqrt(1.0 / 12 / REPS));

    double u[100];
    sim_stream_init(&s, 32, 0, 3, 0);
    for (size_t i = 0; i < 100; i++)
        u[i] = gsl_ran_flat(sim_stream_rng(&s), 9, 11);
    struct sim_fit e = fit_ok(SIM_FIT_EXPONENTIAL, u, NULL, 100);
    double d, p = sim_fit_gof(&e, u, 100, 199, 7, &d);
    print_message("fit gof exponential on uniform [9, 11]: D %.4f, p %.4f\n", d, p);
    assert_true(p < 0.01);
    assert_true(d > 0.5);
}

static void expect_edata(enum sim_fit_family f, const double *x, const bool *cens, size_t n, const char *needle,
                         int arg)
{
    struct sim_fit fit;
    struct sim_err err;
    sim_err_init(&err);
    assert_int_equal(sim_fit_mle(f, x, cens, n, &fit, &err), SIM_EDATA);
    assert_int_equal(err.code, SIM_EDATA);
    if (!strstr(err.msg, needle))
        fail_msg("message \"%s\" does not say \"%s\"", err.msg, needle);
    assert_int_equal(err.arg, arg);
}

static void fit_rejects_bad_input(void **state)
{
    (void)state;
    const double one[] = {3}, zero[] = {1, 2, 0, 4}, nan[] = {1, 2, 3, NAN}, inf[] = {INFINITY, 1, 2};
    const double neg[] = {1, -2, 3}, same[] = {5, 5, 5, 5}, two[] = {1, 2, 3};
    const bool cens2[] = {true, false, true};
    expect_edata(SIM_FIT_EXPONENTIAL, one, NULL, 1, "1 uncensored observation: a fit needs at least 2", -1);
    expect_edata(SIM_FIT_GAMMA, one, NULL, 0, "0 uncensored observations", -1);
    expect_edata(SIM_FIT_WEIBULL, two, cens2, 3, "1 uncensored observation", -1);
    expect_edata(SIM_FIT_GAMMA, zero, NULL, 4, "value 2 (0) is not a positive finite duration", 2);
    expect_edata(SIM_FIT_EXPONENTIAL, nan, NULL, 4, "value 3 (nan) is not a positive finite duration", 3);
    expect_edata(SIM_FIT_LOGNORMAL, inf, NULL, 3, "value 0 (inf)", 0);
    expect_edata(SIM_FIT_WEIBULL, neg, NULL, 3, "value 1 (-2)", 1);
    expect_edata(SIM_FIT_GAMMA, same, NULL, 4, "all 4 uncensored values are equal (5): a gamma fit needs some spread",
                 -1);
    expect_edata(SIM_FIT_LOGNORMAL, same, NULL, 4, "are equal", -1);
    expect_edata(SIM_FIT_WEIBULL, same, NULL, 4, "are equal", -1);
    /* the exponential fits equal values; sim_fit_all keeps only it */
    struct sim_fit all[SIM_FIT_FAMILIES];
    assert_int_equal(sim_fit_all(same, NULL, 4, all), 1);
    assert_int_equal(all[0].family, SIM_FIT_EXPONENTIAL);
    assert_near(all[0].par[0], 5, 1e-14);
    assert_int_equal(sim_fit_all(zero, NULL, 4, all), 0);
}

TEST_TABLE(test_sim_fit,
           cmocka_unit_test(fit_names_are_the_scenario_languages),
           cmocka_unit_test(fit_exponential_and_lognormal_are_their_closed_forms),
           cmocka_unit_test(fit_gamma_solves_its_likelihood_equation),
           cmocka_unit_test(fit_weibull_zeroes_its_score),
           cmocka_unit_test(fit_censored_exponential_is_time_over_events),
           cmocka_unit_test(validation_fit_intervals_cover_the_truth),
           cmocka_unit_test(validation_fit_aic_finds_the_family),
           cmocka_unit_test(fit_gof_distance_is_kolmogorov_smirnov),
           cmocka_unit_test(validation_fit_gof_p_is_uniform_under_the_hypothesis),
           cmocka_unit_test(fit_rejects_bad_input))
