/* sim/km.c — the Kaplan–Meier estimate (see km.h). The durations are
 * sorted once (gsl_sort_index) and walked in groups of equal time: the
 * events of a group form a step, its censorings leave the risk set after
 * it. S is kept as S_c (n_k - d_k) / m, where S_c and m are S and the count
 * at risk just after the latest censoring: between censorings the product
 * telescopes, so without censoring S is one division, exactly the
 * empirical survival function. Quantiles and the restricted mean walk the
 * steps; S(t) is a binary search. */
#include "sim/km.h"
#include "sim/mem.h"

#include <assert.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sort.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

struct step {
    double at, s, lo, hi;
    size_t at_risk, events;
};

struct sim_km {
    size_t k;             /* steps */
    struct step step[];   /* in increasing time */
};

/* The 95% interval of S on the log(-log S) scale, from the Greenwood sum
 * g = sum d / (n (n - d)): Var(log(-log S)) = g / (log S)^2, and
 * S^exp(+-z sd) (Kalbfleisch & Prentice). */
static void loglog(double s, double g, double *lo, double *hi)
{
    if (!(s > 0)) {
        *lo = *hi = NAN;
        return;
    }
    double ls = log(s), w = gsl_cdf_ugaussian_Pinv(0.975) * sqrt(g) / fabs(ls);
    *lo = pow(s, exp(w));
    *hi = pow(s, exp(-w));
}

struct sim_km *sim_km_create(const double *t, const bool *event, size_t n, struct sim_err *err)
{
    if (n == 0) {
        sim_err_set_arg(err, SIM_EDATA, 2, "no durations to estimate survival from");
        return NULL;
    }
    assert(t && event);
    size_t events = 0;
    for (size_t i = 0; i < n; i++) {
        if (!(isfinite(t[i]) && t[i] >= 0)) {
            sim_err_set_arg(err, SIM_EDATA, 0, "duration t[%zu] is %g: durations must be finite and >= 0", i,
                            t[i]);
            return NULL;
        }
        events += event[i];
    }
    size_t *order = sim_xmalloc(n * sizeof *order);
    gsl_sort_index(order, t, 1, n);
    /* at most one step per event; a flexible array member of 0 is allowed */
    struct sim_km *km = sim_xmalloc(sizeof *km + events * sizeof km->step[0]);
    km->k = 0;
    size_t at_risk = n, m = n;   /* m: at risk just after the latest censoring */
    double s_c = 1, s = 1, g = 0;
    for (size_t i = 0; i < n;) {
        double at = t[order[i]];
        size_t d = 0, c = 0;
        for (; i < n && t[order[i]] == at; i++) {
            d += event[order[i]];
            c += !event[order[i]];
        }
        if (d > 0) {
            s = s_c * (double)(at_risk - d) / (double)m;
            g += d < at_risk ? (double)d / ((double)at_risk * (double)(at_risk - d)) : INFINITY;
            struct step *st = &km->step[km->k++];
            *st = (struct step){at, s, 0, 0, at_risk, d};
            loglog(s, g, &st->lo, &st->hi);
        }
        at_risk -= d + c;
        if (c > 0) {
            s_c = s;
            m = at_risk;
        }
    }
    assert(at_risk == 0);
    free(order);
    return km;
}

void sim_km_destroy(struct sim_km *km)
{
    free(km);
}

size_t sim_km_steps(const struct sim_km *km)
{
    return km->k;
}

void sim_km_step(const struct sim_km *km, size_t k, double *at, size_t *at_risk, size_t *events, double *s,
                 double *lo, double *hi)
{
    assert(k < km->k);
    const struct step *st = &km->step[k];
    if (at)
        *at = st->at;
    if (at_risk)
        *at_risk = st->at_risk;
    if (events)
        *events = st->events;
    if (s)
        *s = st->s;
    if (lo)
        *lo = st->lo;
    if (hi)
        *hi = st->hi;
}

/* The number of steps at or before t. */
static size_t steps_upto(const struct sim_km *km, double t)
{
    size_t a = 0, b = km->k;
    while (a < b) {
        size_t mid = a + (b - a) / 2;
        if (km->step[mid].at <= t)
            a = mid + 1;
        else
            b = mid;
    }
    return a;
}

double sim_km_survival(const struct sim_km *km, double t)
{
    if (isnan(t))
        return NAN;
    size_t k = steps_upto(km, t);
    return k ? km->step[k - 1].s : 1;
}

double sim_km_quantile(const struct sim_km *km, double p, double *lo, double *hi)
{
    assert(p > 0 && p < 1);
    double target = 1 - p, q = NAN;
    size_t first = SIZE_MAX, last = SIZE_MAX;
    for (size_t k = 0; k < km->k; k++) {
        const struct step *st = &km->step[k];
        if (isnan(q) && st->s <= target + 1e-12)
            q = st->at;
        if (st->lo <= target && target <= st->hi) {   /* NaN bounds: never */
            if (first == SIZE_MAX)
                first = k;
            last = k;
        }
    }
    double l = q, h = q;   /* the set is empty: NaN, or the point where it jumps */
    if (first != SIZE_MAX) {
        l = km->step[first].at;
        h = last + 1 < km->k ? km->step[last + 1].at : NAN;
    }
    if (lo)
        *lo = l;
    if (hi)
        *hi = h;
    return q;
}

double sim_km_rmean(const struct sim_km *km, double tau)
{
    assert(tau >= 0);
    double area = 0, from = 0, s = 1;
    for (size_t k = 0; k < km->k && km->step[k].at < tau; k++) {
        area += s * (km->step[k].at - from);
        from = km->step[k].at;
        s = km->step[k].s;
    }
    return area + s * (tau - from);
}
