/* models/fit.c — estimating a scenario's inputs from a log of visits (see
 * fit.h; docs/fit.md says each estimate's method and assumptions).
 *
 * The rows are taken twice in an order of their own: by journey (visit,
 * then arrival) for arrivals, entries, routes, handoffs; by department and
 * day for staff on duty. Every fit of a duration goes through one function
 * (fit_duration), so services and handoffs are chosen, tested and written
 * alike.
 */
#include "models/fit.h"

#include "sim/km.h"
#include "sim/mem.h"
#include "sim/stream.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MIN_DUR (0.5 / 60)     /* a duration of zero (times are to the second): half a second */
#define GOF_MAX 2000           /* the goodness-of-fit test's values at most (a random subset) */
#define CLASS_MIN 30           /* services of a class, and of the others, to test it apart */
#define STAFF_QUANTILE 0.9     /* of the days: the people on duty in an interval */

/* ---- durations --------------------------------------------------------- */

/* KS distance of sorted x[0..n) from uniform(lo, hi). */
static double ks_uniform(const double *x, size_t n, double lo, double hi)
{
    double d = 0;
    for (size_t i = 0; i < n; i++) {
        double f = (x[i] - lo) / (hi - lo);
        d = fmax(d, fmax((double)(i + 1) / (double)n - f, f - (double)i / (double)n));
    }
    return d;
}

/* The parametric-bootstrap p-value of uniform(lo, hi) on x[0..n) (sorted
 * here), its endpoints re-estimated on each sample, as sim_fit_gof does for
 * the other families. */
static double uniform_gof(double *x, size_t n, double lo, double hi, const struct mdl_fit_config *cfg, uint64_t key,
                          double *d)
{
    gsl_sort(x, 1, n);
    *d = ks_uniform(x, n, lo, hi);
    struct sim_stream st;
    sim_stream_init(&st, cfg->seed, 1, 2, (uint32_t)(key & SIM_STREAM_ENTITY_MAX));
    double *y = sim_xmalloc(n * sizeof *y);
    size_t worse = 0;
    for (unsigned b = 0; b < cfg->bootstrap; b++) {
        for (size_t i = 0; i < n; i++)
            y[i] = gsl_ran_flat(sim_stream_rng(&st), lo, hi);
        gsl_sort(y, 1, n);
        worse += y[n - 1] > y[0] && ks_uniform(y, n, y[0], y[n - 1]) >= *d;
    }
    free(y);
    return (1.0 + (double)worse) / (cfg->bootstrap + 1.0);
}

/* Fits x[0..n) (modified: zeros raised to MIN_DUR, sorted) into *d; with
 * censored (then no goodness-of-fit test: p NaN). */
static void fit_duration(double *x, bool *censored, size_t n, const struct mdl_fit_config *cfg, uint64_t key,
                         struct mdl_fit_duration *d)
{
    memset(d, 0, sizeof *d);
    d->gof_p = d->ks_d = d->mean = d->mean_lo = d->mean_hi = NAN;
    d->n = n;
    if (n == 0)
        return;
    for (size_t i = 0; i < n; i++)
        if (x[i] < MIN_DUR)
            x[i] = MIN_DUR;
    d->mean = gsl_stats_mean(x, 1, n);
    if (n > 1) {
        double half = gsl_cdf_tdist_Pinv(0.975, (double)(n - 1)) * gsl_stats_sd_m(x, 1, n, d->mean) / sqrt((double)n);
        d->mean_lo = d->mean - half;
        d->mean_hi = d->mean + half;
    }
    d->nfits = sim_fit_all(x, censored, n, d->fits);
    if (!censored) {
        double lo = gsl_stats_min(x, 1, n), hi = gsl_stats_max(x, 1, n);
        d->umin = lo;
        d->umax = hi;
        d->uniform_aic = hi > lo ? 4 + 2 * (double)n * log(hi - lo) : -INFINITY;
        if (hi - lo <= 1.0 / 60) {   /* all within a second: the log's own resolution */
            d->constant = true;
            return;
        }
        d->uniform = n >= 2 && (d->nfits == 0 || d->uniform_aic < d->fits[0].aic);
    }
    if (d->uniform) {
        d->gof_p = uniform_gof(x, n, d->umin, d->umax, cfg, key, &d->ks_d);
        d->empirical = d->gof_p < 0.01;
    } else if (censored || d->nfits == 0) {
        if (!censored && d->nfits == 0)
            d->empirical = true;
    } else {
        /* the test on at most GOF_MAX values, a random subset when more */
        double *sub = x;
        size_t m = n;
        if (n > GOF_MAX) {
            sub = sim_xmalloc(n * sizeof *sub);
            memcpy(sub, x, n * sizeof *sub);
            struct sim_stream st;
            sim_stream_init(&st, cfg->seed, 0, 1, (uint32_t)(key & SIM_STREAM_ENTITY_MAX));
            for (size_t i = 0; i < GOF_MAX; i++) {   /* a partial Fisher-Yates shuffle */
                size_t j = i + (size_t)gsl_rng_uniform_int(sim_stream_rng(&st), (unsigned long)(n - i));
                double t = sub[i];
                sub[i] = sub[j];
                sub[j] = t;
            }
            m = GOF_MAX;
        }
        d->gof_p = sim_fit_gof(&d->fits[0], sub, m, cfg->bootstrap, cfg->seed ^ (key * 0x9E3779B97F4A7C15u), &d->ks_d);
        if (sub != x)
            free(sub);
        d->empirical = d->gof_p < 0.01;
    }
    if (!censored) {
        gsl_sort(x, 1, n);
        for (size_t k = 0; k < MDL_FIT_QUANTILES; k++)
            d->quantiles[k] = gsl_stats_quantile_from_sorted_data(x, 1, n, ((double)k + 0.5) / MDL_FIT_QUANTILES);
    }
}

/* Welch's two-sample t-test p-value of a against b. */
static double welch_p(const double *a, size_t na, const double *b, size_t nb)
{
    double ma = gsl_stats_mean(a, 1, na), mb = gsl_stats_mean(b, 1, nb);
    double va = gsl_stats_variance_m(a, 1, na, ma) / (double)na, vb = gsl_stats_variance_m(b, 1, nb, mb) / (double)nb;
    if (va + vb <= 0)
        return ma == mb ? 1 : 0;
    double t = (ma - mb) / sqrt(va + vb);
    double df = (va + vb) * (va + vb) / (va * va / (double)(na - 1) + vb * vb / (double)(nb - 1));
    return 2 * gsl_cdf_tdist_Q(fabs(t), df);
}

/* ---- the pass over journeys ------------------------------------------- */

struct ctx {
    const struct mdl_vlog *log;
    const struct mdl_fit_config *cfg;
    struct mdl_fit *fit;
    int32_t *days;          /* the days with visits, sorted */
    size_t *order;          /* rows by journey, then arrival */
};

static const struct mdl_vlog *sort_log;   /* qsort has no context: set by the one caller, single-threaded */

static int by_journey(const void *pa, const void *pb)
{
    const struct mdl_vlog_row *a = &sort_log->rows[*(const size_t *)pa], *b = &sort_log->rows[*(const size_t *)pb];
    if (a->visit != b->visit)
        return a->visit < b->visit ? -1 : 1;
    if (a->arrived != b->arrived)
        return a->arrived < b->arrived ? -1 : 1;
    return a->line < b->line ? -1 : a->line > b->line;
}

static int by_dept_day(const void *pa, const void *pb)
{
    const struct mdl_vlog_row *a = &sort_log->rows[*(const size_t *)pa], *b = &sort_log->rows[*(const size_t *)pb];
    if (a->dept != b->dept)
        return a->dept < b->dept ? -1 : 1;
    if (a->day != b->day)
        return a->day < b->day ? -1 : 1;
    if (a->staff != b->staff)
        return a->staff < b->staff ? -1 : 1;
    return a->line < b->line ? -1 : a->line > b->line;
}

static int cmp_i32(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return x < y ? -1 : x > y;
}

static size_t day_index(const struct ctx *c, int32_t day)
{
    size_t lo = 0, hi = c->fit->ndays;
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (c->days[mid] <= day)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

static size_t cls_of(const struct mdl_vlog_row *r)
{
    return r->cls == MDL_VLOG_NONE ? 0 : r->cls;
}

/* The bin of minute t of the day, or SIZE_MAX outside the day. */
static size_t bin_of(const struct mdl_fit *f, double t)
{
    if (t < f->open_at || t >= f->close_at)
        return SIZE_MAX;
    size_t b = (size_t)((t - f->open_at) / f->interval);
    return b < f->nbins ? b : f->nbins - 1;
}

static double bin_from(const struct mdl_fit *f, size_t b)
{
    return f->open_at + (double)b * f->interval;
}

static double bin_to(const struct mdl_fit *f, size_t b)
{
    double to = f->open_at + (double)(b + 1) * f->interval;
    return to < f->close_at ? to : f->close_at;
}

/* Arrivals: counts per class, day and bin; rates, intervals, dispersion;
 * the weekday test. */
static void arrivals(struct ctx *c)
{
    struct mdl_fit *f = c->fit;
    const struct mdl_vlog *log = c->log;
    size_t nb = f->nbins, nd = f->ndays, nc = f->nclasses;
    double *count = sim_xcalloc(nc * nd * nb, sizeof *count);
    for (size_t i = 0; i < log->nrows; i++) {
        const struct mdl_vlog_row *r = &log->rows[c->order[i]];
        if (i > 0 && log->rows[c->order[i - 1]].visit == r->visit)
            continue;   /* a journey arrives once, at its first visit */
        size_t b = bin_of(f, r->arrived);
        f->classes[cls_of(r)].journeys++;
        f->classes[cls_of(r)].enter[r->dept]++;
        if (b != SIZE_MAX)
            count[(cls_of(r) * nd + day_index(c, r->day)) * nb + b]++;
    }
    for (size_t k = 0; k < nc; k++) {
        struct mdl_fit_class *cl = &f->classes[k];
        for (size_t b = 0; b < nb; b++) {
            double n = 0, ss = 0, hours = (double)nd * (bin_to(f, b) - bin_from(f, b)) / 60;
            for (size_t d = 0; d < nd; d++)
                n += count[(k * nd + d) * nb + b];
            cl->rate[b] = n / hours;
            cl->rate_lo[b] = n > 0 ? gsl_cdf_chisq_Pinv(0.025, 2 * n) / 2 / hours : 0;
            cl->rate_hi[b] = gsl_cdf_chisq_Pinv(0.975, 2 * n + 2) / 2 / hours;
            double mean = n / (double)nd;
            for (size_t d = 0; d < nd; d++) {
                double x = count[(k * nd + d) * nb + b] - mean;
                ss += x * x;
            }
            cl->dispersion[b] = cl->dispersion_p[b] = NAN;
            if (nd >= 3 && mean > 0) {
                double var = ss / (double)(nd - 1);
                cl->dispersion[b] = var / mean;
                cl->dispersion_p[b] = gsl_cdf_chisq_Q(ss / mean, (double)(nd - 1));
                cl->overdispersed += cl->dispersion_p[b] < 0.01;
            }
        }
    }
    /* the weekdays: quasi-Poisson F test of the daily totals by weekday */
    f->weekday_p = NAN;
    size_t nw = 0;
    for (int w = 0; w < 7; w++)
        nw += f->ndays_by_weekday[w] > 0;
    if (c->cfg->by_weekday && nw > 1 && nd > nw + 1) {
        double least = 1;
        for (size_t k = 0; k < nc && k < 64; k++) {
            double tot_w[7] = {0}, within = 0, between = 0, total = 0;
            double *daily = sim_xcalloc(nd, sizeof *daily);
            for (size_t d = 0; d < nd; d++) {
                for (size_t b = 0; b < nb; b++)
                    daily[d] += count[(k * nd + d) * nb + b];
                tot_w[mdl_vlog_weekday(c->days[d])] += daily[d];
                total += daily[d];
            }
            for (size_t d = 0; d < nd; d++) {
                int w = mdl_vlog_weekday(c->days[d]);
                double m = tot_w[w] / (double)f->ndays_by_weekday[w];
                if (m > 0)
                    within += (daily[d] - m) * (daily[d] - m) / m;
            }
            for (int w = 0; w < 7; w++) {
                if (!f->ndays_by_weekday[w])
                    continue;
                double e = total * (double)f->ndays_by_weekday[w] / (double)nd;
                if (e > 0)
                    between += (tot_w[w] - e) * (tot_w[w] - e) / e;
            }
            free(daily);
            double phi = within / (double)(nd - nw);
            if (!(total > 0))
                continue;
            double p = gsl_cdf_fdist_Q(between / (double)(nw - 1) / (phi > 1 ? phi : 1), (double)(nw - 1),
                                       (double)(nd - nw));
            p = fmin(1, p * (double)nc);   /* Bonferroni over the classes */
            f->weekday_class_differs[k] = p < 0.01;
            least = fmin(least, p);
        }
        f->weekday_p = least;
        f->weekdays_differ = least < 0.01;
        if (f->weekdays_differ)
            for (size_t k = 0; k < nc; k++) {
                struct mdl_fit_class *cl = &f->classes[k];
                cl->weekday_rate = sim_xcalloc(7 * nb, sizeof *cl->weekday_rate);
                for (size_t d = 0; d < nd; d++) {
                    int w = mdl_vlog_weekday(c->days[d]);
                    for (size_t b = 0; b < nb; b++)
                        cl->weekday_rate[(size_t)w * nb + b] += count[(k * nd + d) * nb + b];
                }
                for (int w = 0; w < 7; w++)
                    for (size_t b = 0; f->ndays_by_weekday[w] && b < nb; b++)
                        cl->weekday_rate[(size_t)w * nb + b] /=
                            (double)f->ndays_by_weekday[w] * (bin_to(f, b) - bin_from(f, b)) / 60;
            }
    }
    free(count);
}

/* Routes, handoffs, services, patience: the journeys' visits in order. */
static void visits(struct ctx *c)
{
    struct mdl_fit *f = c->fit;
    const struct mdl_vlog *log = c->log;
    size_t nd = f->ndepts, nc = f->nclasses, n = log->nrows;
    double *gap = sim_xmalloc((n ? n : 1) * sizeof *gap);
    size_t ngap = 0;
    size_t *pair = sim_xmalloc((n ? n : 1) * sizeof *pair);   /* each gap's from * nd + to */
    for (size_t i = 0; i < n; i++) {
        const struct mdl_vlog_row *r = &log->rows[c->order[i]];
        struct mdl_fit_class *cl = &f->classes[cls_of(r)];
        cl->visits++;
        f->depts[r->dept].visits++;
        cl->reneged += r->outcome == MDL_VO_RENEGED;
        cl->balked += r->outcome == MDL_VO_BALKED;
        cl->blocked += r->outcome == MDL_VO_BLOCKED;
        cl->unfinished += r->outcome == MDL_VO_UNFINISHED;
        if (r->outcome != MDL_VO_SERVED)
            continue;
        f->depts[r->dept].served++;
        bool last = i + 1 == n || log->rows[c->order[i + 1]].visit != r->visit;
        const struct mdl_vlog_row *next = last ? NULL : &log->rows[c->order[i + 1]];
        cl->route[r->dept * (nd + 1) + (next ? next->dept : nd)]++;
        if (next) {
            double g = next->arrived - r->ended;
            if (g <= 0)
                f->handoff_zero++;
            pair[ngap] = r->dept * nd + next->dept;
            gap[ngap++] = g > 0 ? g : 0;
        }
    }
    /* a pair whose walks differ from the others' has its own */
    double *mine = sim_xmalloc((ngap ? ngap : 1) * sizeof *mine), *rest = sim_xmalloc((ngap ? ngap : 1) * sizeof *rest);
    f->pairs = sim_xcalloc(nd * nd, sizeof *f->pairs);
    for (size_t p = 0; p < nd * nd; p++) {
        size_t nm = 0, nr = 0;
        for (size_t i = 0; i < ngap; i++) {
            if (pair[i] == p)
                mine[nm++] = gap[i];
            else
                rest[nr++] = gap[i];
        }
        if (nm < CLASS_MIN || nr < CLASS_MIN)
            continue;
        double sm = gsl_stats_sd(mine, 1, nm);
        if (sm * 60 >= 1 && welch_p(mine, nm, rest, nr) >= 0.01)
            continue;   /* like the others (a pair of constant walks always has its own) */
        struct mdl_fit_pair *fp = &f->pairs[f->npairs++];
        fp->from = p / nd;
        fp->to = p % nd;
        fit_duration(mine, NULL, nm, c->cfg, 2000 + p, &fp->d);
    }
    /* the default: every other walk */
    size_t nr = 0;
    for (size_t i = 0; i < ngap; i++) {
        bool own = false;
        for (size_t q = 0; q < f->npairs; q++)
            own |= pair[i] == f->pairs[q].from * nd + f->pairs[q].to;
        if (!own)
            rest[nr++] = gap[i];
    }
    fit_duration(rest, NULL, nr, c->cfg, 1, &f->handoff);
    free(mine);
    free(rest);
    free(pair);
    free(gap);
    /* services per department, and per class where one differs; the
     * default of the classes with none of their own (all of them when
     * none has), or, when every class has its own, the busiest's */
    double *x = sim_xmalloc((n ? n : 1) * sizeof *x), *y = sim_xmalloc((n ? n : 1) * sizeof *y);
    double *z = sim_xmalloc((n ? n : 1) * sizeof *z);
    for (size_t d = 0; d < nd; d++) {
        struct mdl_fit_dept *dp = &f->depts[d];
        size_t m = 0;
        double wait = 0;
        for (size_t i = 0; i < n; i++) {
            const struct mdl_vlog_row *r = &log->rows[i];
            if (r->dept == d && r->outcome == MDL_VO_SERVED)
            {
                wait += r->started - r->arrived;
                m++;
            }
        }
        dp->wait_mean = m ? wait / (double)m : NAN;
        dp->by_class = sim_xcalloc(nc, sizeof *dp->by_class);
        for (size_t k = 0; nc > 1 && k < nc; k++) {
            size_t na = 0, nb = 0;
            for (size_t i = 0; i < n; i++) {
                const struct mdl_vlog_row *r = &log->rows[i];
                if (r->dept != d || r->outcome != MDL_VO_SERVED)
                    continue;
                if (cls_of(r) == k)
                    y[na++] = r->ended - r->started;
                else
                    z[nb++] = r->ended - r->started;
            }
            if (na >= CLASS_MIN && nb >= CLASS_MIN && welch_p(y, na, z, nb) < 0.01)
                fit_duration(y, NULL, na, c->cfg, 100 + d * 64 + k, &dp->by_class[k]);
        }
        size_t others = 0, busiest = SIZE_MAX;
        for (size_t i = 0; i < n; i++) {
            const struct mdl_vlog_row *r = &log->rows[i];
            if (r->dept == d && r->outcome == MDL_VO_SERVED && dp->by_class[cls_of(r)].n == 0)
                x[others++] = r->ended - r->started;
        }
        for (size_t k = 0; k < nc; k++)
            if (dp->by_class[k].n && (busiest == SIZE_MAX || dp->by_class[k].n > dp->by_class[busiest].n))
                busiest = k;
        dp->default_class = SIZE_MAX;
        if (others || busiest == SIZE_MAX) {
            fit_duration(x, NULL, others, c->cfg, 10 + d, &dp->service);
        } else {
            dp->service = dp->by_class[busiest];
            dp->default_class = busiest;
        }
    }
    free(z);
    /* patience per class: reneges are events, the served are censored at their wait */
    bool *censored = sim_xmalloc((n ? n : 1) * sizeof *censored);
    for (size_t k = 0; k < nc; k++) {
        struct mdl_fit_class *cl = &f->classes[k];
        size_t m = 0, events = 0;
        for (size_t i = 0; i < n; i++) {
            const struct mdl_vlog_row *r = &log->rows[i];
            if (cls_of(r) != k)
                continue;
            if (r->outcome == MDL_VO_RENEGED) {
                x[m] = r->ended - r->arrived;
                censored[m++] = false;
                events++;
            } else if (r->outcome == MDL_VO_SERVED && r->started > r->arrived) {
                x[m] = r->started - r->arrived;
                censored[m++] = true;
            }
        }
        cl->patience_events = events;
        cl->km_median = cl->km_lo = cl->km_hi = NAN;
        if (events >= 2) {
            struct sim_err e;
            sim_err_init(&e);
            bool *event = sim_xmalloc(m * sizeof *event);
            for (size_t i = 0; i < m; i++)
                event[i] = !censored[i];
            struct sim_km *km = sim_km_create(x, event, m, &e);
            if (km)
                cl->km_median = sim_km_quantile(km, 0.5, &cl->km_lo, &cl->km_hi);
            sim_km_destroy(km);
            free(event);
            fit_duration(x, censored, m, c->cfg, 1000 + k, &cl->patience);
        }
    }
    free(censored);
    free(x);
    free(y);
}

struct event {
    double at;
    int step;   /* +1 a service starts, -1 one ends */
};

static int by_event(const void *pa, const void *pb)
{
    const struct event *a = pa, *b = pb;
    if (a->at != b->at)
        return a->at < b->at ? -1 : 1;
    return a->step - b->step;   /* an end (-1) before a start at the same time */
}

/* Staff on duty by department and bin: each day's people seen serving (or
 * services at once), then a high quantile over the days. */
static void staff(struct ctx *c)
{
    struct mdl_fit *f = c->fit;
    const struct mdl_vlog *log = c->log;
    size_t n = log->nrows, nb = f->nbins, nd = f->ndays;
    size_t *idx = sim_xmalloc((n ? n : 1) * sizeof *idx);
    for (size_t i = 0; i < n; i++)
        idx[i] = i;
    sort_log = log;
    qsort(idx, n, sizeof *idx, by_dept_day);
    double *per_day = sim_xmalloc(f->ndepts * nd * nb * sizeof *per_day);   /* [dept][day][bin] */
    memset(per_day, 0, f->ndepts * nd * nb * sizeof *per_day);
    bool *seen = sim_xmalloc(nb * sizeof *seen);
    struct event *ev = sim_xmalloc(2 * (n ? n : 1) * sizeof *ev);
    for (size_t d = 0; d < f->ndepts; d++)   /* named staff when every service there names one */
        f->depts[d].staff_named = log->has[MDL_VF_STAFF];
    for (size_t i = 0; i < n; i++) {
        const struct mdl_vlog_row *r = &log->rows[i];
        if (r->outcome == MDL_VO_SERVED && r->staff == MDL_VLOG_NONE)
            f->depts[r->dept].staff_named = false;
    }
    for (size_t g = 0; g < n;) {   /* a group: one department, one day */
        const struct mdl_vlog_row *r0 = &log->rows[idx[g]];
        size_t end = g;
        while (end < n && log->rows[idx[end]].dept == r0->dept && log->rows[idx[end]].day == r0->day)
            end++;
        double *out = per_day + (r0->dept * nd + day_index(c, r0->day)) * nb;
        if (f->depts[r0->dept].staff_named) {
            for (size_t s = g; s < end;) {   /* each person: the bins their services touch */
                size_t e = s;
                memset(seen, 0, nb * sizeof *seen);
                while (e < end && log->rows[idx[e]].staff == log->rows[idx[s]].staff) {
                    const struct mdl_vlog_row *r = &log->rows[idx[e++]];
                    if (r->outcome != MDL_VO_SERVED)
                        continue;
                    for (size_t b = 0; b < nb; b++)
                        if (r->started < bin_to(f, b) && r->ended > bin_from(f, b))
                            seen[b] = true;
                }
                for (size_t b = 0; b < nb; b++)
                    out[b] += seen[b];
                s = e;
            }
        } else {   /* services at once: a sweep over starts (+1) and ends (-1), ends first at a tie */
            size_t m = 0;
            for (size_t i = g; i < end; i++) {
                const struct mdl_vlog_row *r = &log->rows[idx[i]];
                if (r->outcome != MDL_VO_SERVED)
                    continue;
                ev[m].at = r->started;
                ev[m++].step = 1;
                ev[m].at = r->ended;
                ev[m++].step = -1;
            }
            qsort(ev, m, sizeof *ev, by_event);
            long now = 0;
            for (size_t a = 0; a < m; a++) {
                now += ev[a].step;
                double from = ev[a].at, to = a + 1 < m ? ev[a + 1].at : from;
                for (size_t b = 0; b < nb && now > 0 && to > from; b++)
                    if (from < bin_to(f, b) && to > bin_from(f, b) && (double)now > out[b])
                        out[b] = (double)now;
            }
        }
        g = end;
    }
    double *col = sim_xmalloc((nd ? nd : 1) * sizeof *col);
    for (size_t d = 0; d < f->ndepts; d++)
        for (size_t b = 0; b < nb; b++) {
            for (size_t k = 0; k < nd; k++)
                col[k] = per_day[(d * nd + k) * nb + b];
            gsl_sort(col, 1, nd);
            f->depts[d].staff[b] = (long)ceil(gsl_stats_quantile_from_sorted_data(col, 1, nd, STAFF_QUANTILE) - 1e-9);
        }
    free(col);
    free(ev);
    free(seen);
    free(per_day);
    free(idx);
}

int mdl_fit_log(const struct mdl_vlog *log, const struct mdl_fit_config *cfg, struct mdl_fit **out,
                struct sim_err *err)
{
    *out = NULL;
    if (log->ndepts > 64)
        return sim_err_set(err, SIM_EDATA, "%s names %zu departments: a scenario has at most 64", log->path,
                           log->ndepts);
    if (log->nclasses > 62)
        return sim_err_set(err, SIM_EDATA, "%s names %zu classes: a scenario has at most 62 besides requests",
                           log->path, log->nclasses);
    struct mdl_fit *f = sim_xcalloc(1, sizeof *f);
    f->log = log;
    f->interval = cfg->interval;
    struct ctx c = {.log = log, .cfg = cfg, .fit = f};
    /* the days with visits */
    c.days = sim_xmalloc(log->nrows * sizeof *c.days);
    for (size_t i = 0; i < log->nrows; i++)
        c.days[i] = log->rows[i].day;
    qsort(c.days, log->nrows, sizeof *c.days, cmp_i32);
    for (size_t i = 0; i < log->nrows; i++)
        if (i == 0 || c.days[i] != c.days[f->ndays - 1])
            c.days[f->ndays++] = c.days[i];
    for (size_t d = 0; d < f->ndays; d++)
        f->ndays_by_weekday[mdl_vlog_weekday(c.days[d])]++;
    /* the journeys in order, and the day from the first arrival to the last */
    c.order = sim_xmalloc(log->nrows * sizeof *c.order);
    for (size_t i = 0; i < log->nrows; i++)
        c.order[i] = i;
    sort_log = log;
    qsort(c.order, log->nrows, sizeof *c.order, by_journey);
    double first = INFINITY, last = -INFINITY;
    for (size_t i = 0; i < log->nrows; i++) {
        const struct mdl_vlog_row *r = &log->rows[c.order[i]];
        if (i > 0 && log->rows[c.order[i - 1]].visit == r->visit)
            continue;
        first = fmin(first, r->arrived);
        last = fmax(last, r->arrived);
    }
    f->open_at = floor(first / cfg->interval) * cfg->interval;
    f->close_at = fmin(1440, (floor(last / cfg->interval) + 1) * cfg->interval);
    f->nbins = (size_t)ceil((f->close_at - f->open_at) / cfg->interval - 1e-9);
    f->ndepts = log->ndepts;
    f->nclasses = log->nclasses ? log->nclasses : 1;
    f->depts = sim_xcalloc(f->ndepts, sizeof *f->depts);
    f->classes = sim_xcalloc(f->nclasses, sizeof *f->classes);
    for (size_t d = 0; d < f->ndepts; d++) {
        f->depts[d].name = log->depts[d];
        f->depts[d].staff = sim_xcalloc(f->nbins, sizeof *f->depts[d].staff);
    }
    for (size_t k = 0; k < f->nclasses; k++) {
        struct mdl_fit_class *cl = &f->classes[k];
        cl->name = log->nclasses ? log->classes[k] : "customer";
        cl->rate = sim_xcalloc(5 * f->nbins, sizeof *cl->rate);
        cl->rate_lo = cl->rate + f->nbins;
        cl->rate_hi = cl->rate + 2 * f->nbins;
        cl->dispersion = cl->rate + 3 * f->nbins;
        cl->dispersion_p = cl->rate + 4 * f->nbins;
        cl->enter = sim_xcalloc(f->ndepts, sizeof *cl->enter);
        cl->route = sim_xcalloc(f->ndepts * (f->ndepts + 1), sizeof *cl->route);
    }
    arrivals(&c);
    visits(&c);
    staff(&c);
    free(c.days);
    free(c.order);
    *out = f;
    return SIM_OK;
}

void mdl_fit_destroy(struct mdl_fit *f)
{
    if (!f)
        return;
    for (size_t d = 0; d < f->ndepts; d++) {
        free(f->depts[d].staff);
        free(f->depts[d].by_class);
    }
    for (size_t k = 0; k < f->nclasses; k++) {
        free(f->classes[k].rate);
        free(f->classes[k].enter);
        free(f->classes[k].route);
        free(f->classes[k].weekday_rate);
    }
    free(f->depts);
    free(f->classes);
    free(f->pairs);
    free(f);
}
