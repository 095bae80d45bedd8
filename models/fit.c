/* models/fit.c — estimating a scenario's inputs from a log of visits (see
 * fit.h; docs/fit.md says each estimate's method and assumptions).
 *
 * A log is taken one day at a time (fit_day): the day's rows in journey
 * order give arrivals, entries, routes and handoffs, by department the
 * staff seen; what is kept between days is counts (by class, department
 * and interval, and by day) and samples of each duration, each at most
 * RESERVOIR values (Vitter's reservoir sampling: a uniform sample of
 * however many there were), so memory does not grow with the log beyond
 * a few numbers a day. Then the fits (fit_finish). Every fit of a
 * duration goes through one function (fit_duration), so services,
 * handoffs and patience are chosen, tested and written alike.
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
#define RESERVOIR 100000       /* values kept of each duration sample, at most */
#define MAX_D 64               /* departments and classes a scenario may have */
#define MAX_C 64

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
        /* the uniform's likelihood is irregular at its ends (they are the sample's least and most),
         * which flatters it in a small sample: offered from 100 values */
        d->uniform = n >= 100 && (d->nfits == 0 || d->uniform_aic < d->fits[0].aic);
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

/* Count, mean and sum of squared deviations of a sample, which combine
 * (Chan, Golub & LeVeque's pairwise update): a group against all the
 * others without going over the others' values again. */
struct moments {
    double n, mean, m2;
};

static struct moments moments_of(const double *x, size_t n)
{
    struct moments m = {(double)n, n ? gsl_stats_mean(x, 1, n) : 0, 0};
    for (size_t i = 0; i < n; i++)
        m.m2 += (x[i] - m.mean) * (x[i] - m.mean);
    return m;
}

static struct moments moments_add(struct moments a, struct moments b)
{
    if (a.n == 0)
        return b;
    if (b.n == 0)
        return a;
    double n = a.n + b.n, delta = b.mean - a.mean;
    return (struct moments){n, a.mean + delta * b.n / n, a.m2 + b.m2 + delta * delta * a.n * b.n / n};
}

/* all minus part (part one of the groups all was added from). */
static struct moments moments_sub(struct moments all, struct moments part)
{
    double n = all.n - part.n;
    if (n <= 0)
        return (struct moments){0, 0, 0};
    double mean = (all.n * all.mean - part.n * part.mean) / n, delta = part.mean - mean;
    double m2 = all.m2 - part.m2 - delta * delta * n * part.n / all.n;
    return (struct moments){n, mean, m2 > 0 ? m2 : 0};
}

/* Welch's two-sided p-value of equal means, from two samples' moments. */
static double welch_moments(struct moments a, struct moments b)
{
    double na = a.n, nb = b.n, ma = a.mean, mb = b.mean;
    double va = a.m2 / (na - 1) / na, vb = b.m2 / (nb - 1) / nb;
    if (va + vb <= 0)
        return ma == mb ? 1 : 0;
    double t = (ma - mb) / sqrt(va + vb);
    double df = (va + vb) * (va + vb) / (va * va / (na - 1) + vb * vb / (nb - 1));
    return 2 * gsl_cdf_tdist_Q(fabs(t), df);
}

/* ---- samples and counts kept between days ------------------------------ */

/* A uniform sample of at most RESERVOIR of the values offered (Vitter's
 * algorithm R), each with its censoring; deterministic given its key. */
struct reservoir {
    size_t seen, n;
    double *x;
    bool *cens;
    struct sim_stream st;
};

static void res_add(struct reservoir *r, double x, bool cens, uint64_t seed, uint32_t key)
{
    if (!r->x) {
        r->x = sim_xmalloc(RESERVOIR * sizeof *r->x);
        r->cens = sim_xmalloc(RESERVOIR * sizeof *r->cens);
        sim_stream_init(&r->st, seed, 2, 3, key & SIM_STREAM_ENTITY_MAX);
    }
    size_t at = r->seen++;
    if (at >= RESERVOIR) {
        at = (size_t)gsl_rng_uniform_int(sim_stream_rng(&r->st), (unsigned long)r->seen);
        if (at >= RESERVOIR)
            return;
    } else {
        r->n++;
    }
    r->x[at] = x;
    r->cens[at] = cens;
}

static void res_free(struct reservoir *r)
{
    free(r->x);
    free(r->cens);
}

/* One day's counts: arrivals by class and interval of the whole day
 * (1440 / interval of them), and by department and interval the people
 * seen serving and the most services at once. */
struct day_acc {
    int32_t day;
    size_t nc, nd;
    uint32_t *arrivals;          /* [nc * nb] */
    uint16_t *people, *at_once;  /* [nd * nb] */
};

struct acc {
    const struct mdl_fit_config *cfg;
    size_t nb;                   /* intervals of the whole day */
    struct day_acc *days;
    size_t ndays, cap;
    double first, last;          /* the earliest and latest first arrival of a journey, minutes */
    size_t journeys[MAX_C], visits_c[MAX_C], reneged[MAX_C], balked[MAX_C], blocked[MAX_C], unfinished[MAX_C];
    size_t *enter;               /* [MAX_C * MAX_D] */
    size_t *route;               /* [MAX_C * MAX_D * (MAX_D + 1)]: e == MAX_D is the end */
    size_t visits_d[MAX_D], served_d[MAX_D];
    double dept_first[MAX_D], dept_last[MAX_D];   /* the earliest and latest arrival there, minutes */
    double wait_d[MAX_D];
    bool unnamed[MAX_D];         /* a served visit there with no staff */
    struct reservoir *service;   /* [MAX_D * MAX_C] */
    struct reservoir patience[MAX_C];
    struct reservoir *gap;       /* [MAX_D * MAX_D] */
    size_t gap_zero;
    size_t *order;               /* scratch: a day's rows in an order */
    size_t order_cap;
};

static const struct mdl_vlog_row *sort_rows;   /* qsort has no context: set by the one caller, single-threaded */

static int by_journey(const void *pa, const void *pb)
{
    const struct mdl_vlog_row *a = &sort_rows[*(const size_t *)pa], *b = &sort_rows[*(const size_t *)pb];
    if (a->visit != b->visit)
        return a->visit < b->visit ? -1 : 1;
    if (a->arrived != b->arrived)
        return a->arrived < b->arrived ? -1 : 1;
    return a->line < b->line ? -1 : a->line > b->line;
}

static int by_dept_staff(const void *pa, const void *pb)
{
    const struct mdl_vlog_row *a = &sort_rows[*(const size_t *)pa], *b = &sort_rows[*(const size_t *)pb];
    if (a->dept != b->dept)
        return a->dept < b->dept ? -1 : 1;
    if (a->staff != b->staff)
        return a->staff < b->staff ? -1 : 1;
    return a->line < b->line ? -1 : a->line > b->line;
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

static size_t cls_of(const struct mdl_vlog_row *r)
{
    return r->cls == MDL_VLOG_NONE ? 0 : r->cls;
}

/* The interval of the whole day holding minute t (past midnight: the
 * last). */
static size_t whole_bin(const struct acc *a, double t)
{
    long b = (long)floor(t / a->cfg->interval);
    return b < 0 ? 0 : (size_t)b >= a->nb ? a->nb - 1 : (size_t)b;
}

/* Staff seen on the day, department by department: each person's bins,
 * and the services in progress at once (a sweep over starts and ends). */
static void day_staff(struct acc *a, struct day_acc *dy, const struct mdl_vlog_row *rows, size_t n, size_t *idx)
{
    double step = a->cfg->interval;
    sort_rows = rows;
    qsort(idx, n, sizeof *idx, by_dept_staff);
    bool *seen = sim_xmalloc(a->nb * sizeof *seen);
    struct event *ev = sim_xmalloc(2 * (n ? n : 1) * sizeof *ev);
    for (size_t g = 0; g < n;) {
        size_t d = rows[idx[g]].dept, end = g;
        while (end < n && rows[idx[end]].dept == d)
            end++;
        uint16_t *people = dy->people + d * a->nb, *at_once = dy->at_once + d * a->nb;
        for (size_t s = g; s < end;) {   /* each person (a run of one staff name) */
            size_t e = s;
            memset(seen, 0, a->nb * sizeof *seen);
            while (e < end && rows[idx[e]].staff == rows[idx[s]].staff) {
                const struct mdl_vlog_row *r = &rows[idx[e++]];
                if (r->outcome != MDL_VO_SERVED || r->staff == MDL_VLOG_NONE)
                    continue;
                for (size_t b = whole_bin(a, r->started); b < a->nb && (double)b * step < r->ended; b++)
                    seen[b] = true;
            }
            for (size_t b = 0; b < a->nb; b++)
                people[b] = (uint16_t)(people[b] + seen[b]);
            s = e;
        }
        size_t m = 0;
        for (size_t i = g; i < end; i++) {
            const struct mdl_vlog_row *r = &rows[idx[i]];
            if (r->outcome == MDL_VO_SERVED) {
                ev[m++] = (struct event){r->started, 1};
                ev[m++] = (struct event){r->ended, -1};
            }
        }
        qsort(ev, m, sizeof *ev, by_event);
        long now = 0;
        for (size_t k = 0; k < m; k++) {
            now += ev[k].step;
            double from = ev[k].at, to = k + 1 < m ? ev[k + 1].at : from;
            if (now <= 0 || to <= from)
                continue;
            for (size_t b = whole_bin(a, from); b < a->nb && (double)b * step < to; b++)
                if (now > at_once[b])
                    at_once[b] = (uint16_t)(now < UINT16_MAX ? now : UINT16_MAX);
        }
        g = end;
    }
    free(ev);
    free(seen);
}

/* One day's rows (one arrival date) into the counts and samples. */
static int fit_day(struct acc *a, const struct mdl_vlog *log, const struct mdl_vlog_row *rows, size_t n,
                   struct sim_err *err)
{
    if (log->ndepts > MAX_D)
        return sim_err_set(err, SIM_EDATA, "%s names %zu departments: a scenario has at most %d", log->path,
                           log->ndepts, MAX_D);
    if (log->nclasses > MAX_C - 2)
        return sim_err_set(err, SIM_EDATA, "%s names %zu classes: a scenario has at most %d besides requests",
                           log->path, log->nclasses, MAX_C - 2);
    if (n > a->order_cap) {
        a->order_cap = 2 * n;
        a->order = sim_xreallocarray(a->order, a->order_cap, sizeof *a->order);
    }
    size_t *idx = a->order;
    for (size_t i = 0; i < n; i++)
        idx[i] = i;
    sort_rows = rows;
    qsort(idx, n, sizeof *idx, by_journey);
    if (a->ndays == a->cap) {
        a->cap = a->cap ? 2 * a->cap : 64;
        a->days = sim_xreallocarray(a->days, a->cap, sizeof *a->days);
    }
    struct day_acc *dy = &a->days[a->ndays++];
    size_t nc = log->nclasses ? log->nclasses : 1, nd = log->ndepts;
    *dy = (struct day_acc){.day = rows[0].day, .nc = nc, .nd = nd,
                           .arrivals = sim_xcalloc(nc * a->nb, sizeof *dy->arrivals),
                           .people = sim_xcalloc(nd * a->nb, sizeof *dy->people),
                           .at_once = sim_xcalloc(nd * a->nb, sizeof *dy->at_once)};
    uint64_t seed = a->cfg->seed;
    size_t k = 0;   /* the journey's class: its first visit's */
    for (size_t i = 0; i < n; i++) {
        const struct mdl_vlog_row *r = &rows[idx[i]];
        size_t d = r->dept;
        bool first = i == 0 || rows[idx[i - 1]].visit != r->visit;
        if (first)
            k = cls_of(r);
        if (first) {   /* a journey arrives at its first visit */
            a->journeys[k]++;
            a->enter[k * MAX_D + d]++;
            dy->arrivals[k * a->nb + whole_bin(a, r->arrived)]++;
            a->first = fmin(a->first, r->arrived);
            a->last = fmax(a->last, r->arrived);
        }
        a->visits_c[k]++;
        a->visits_d[d]++;
        if (a->visits_d[d] == 1 || r->arrived < a->dept_first[d])
            a->dept_first[d] = r->arrived;
        if (a->visits_d[d] == 1 || r->arrived > a->dept_last[d])
            a->dept_last[d] = r->arrived;
        a->reneged[k] += r->outcome == MDL_VO_RENEGED;
        a->balked[k] += r->outcome == MDL_VO_BALKED;
        a->blocked[k] += r->outcome == MDL_VO_BLOCKED;
        a->unfinished[k] += r->outcome == MDL_VO_UNFINISHED;
        if (r->outcome == MDL_VO_RENEGED)   /* patience: a renege is an event at its wait */
            res_add(&a->patience[k], r->ended - r->arrived, false, seed, (uint32_t)(1000 + k));
        if (r->outcome != MDL_VO_SERVED)
            continue;
        if (r->started > r->arrived)   /* ... a served visit censored at its (a wait of zero says nothing) */
            res_add(&a->patience[k], r->started - r->arrived, true, seed, (uint32_t)(1000 + k));
        a->served_d[d]++;
        a->wait_d[d] += r->started - r->arrived;
        a->unnamed[d] |= r->staff == MDL_VLOG_NONE;
        res_add(&a->service[d * MAX_C + k], r->ended - r->started, false, seed, (uint32_t)(10 + d * MAX_C + k));
        bool last = i + 1 == n || rows[idx[i + 1]].visit != r->visit;
        const struct mdl_vlog_row *next = last ? NULL : &rows[idx[i + 1]];
        a->route[(k * MAX_D + d) * (MAX_D + 1) + (next ? next->dept : MAX_D)]++;
        if (next) {
            double g = next->arrived - r->ended;
            a->gap_zero += g <= 0;
            res_add(&a->gap[d * MAX_D + next->dept], g > 0 ? g : 0, false, seed, (uint32_t)(5000 + d * MAX_D + next->dept));
        }
    }
    day_staff(a, dy, rows, n, idx);
    return SIM_OK;
}

/* ---- from the counts to the fit ----------------------------------------- */

static double bin_from(const struct mdl_fit *f, size_t b)
{
    return f->open_at + (double)b * f->interval;
}

static double bin_to(const struct mdl_fit *f, size_t b)
{
    double to = f->open_at + (double)(b + 1) * f->interval;
    return to < f->close_at ? to : f->close_at;
}

static int by_day(const void *pa, const void *pb)
{
    int32_t x = ((const struct day_acc *)pa)->day, y = ((const struct day_acc *)pb)->day;
    return x < y ? -1 : x > y;
}

/* Arrival counts of class k on day dy in the fit's bin b. */
static double day_count(const struct acc *a, const struct mdl_fit *f, const struct day_acc *dy, size_t k, size_t b)
{
    size_t wb = (size_t)(f->open_at / a->cfg->interval) + b;
    return k < dy->nc && wb < a->nb ? dy->arrivals[k * a->nb + wb] : 0;
}

/* Rates, intervals, dispersion; the weekday test. */
static void rates(const struct acc *a, struct mdl_fit *f)
{
    size_t nb = f->nbins, nd = f->ndays, nc = f->nclasses;
    for (size_t k = 0; k < nc; k++) {
        struct mdl_fit_class *cl = &f->classes[k];
        for (size_t b = 0; b < nb; b++) {
            double n = 0, ss = 0, hours = (double)nd * (bin_to(f, b) - bin_from(f, b)) / 60;
            for (size_t d = 0; d < nd; d++)
                n += day_count(a, f, &a->days[d], k, b);
            cl->rate[b] = n / hours;
            cl->rate_lo[b] = n > 0 ? gsl_cdf_chisq_Pinv(0.025, 2 * n) / 2 / hours : 0;
            cl->rate_hi[b] = gsl_cdf_chisq_Pinv(0.975, 2 * n + 2) / 2 / hours;
            double mean = n / (double)nd;
            for (size_t d = 0; d < nd; d++) {
                double x = day_count(a, f, &a->days[d], k, b) - mean;
                ss += x * x;
            }
            cl->dispersion[b] = cl->dispersion_p[b] = NAN;
            if (nd >= 3 && mean > 0) {
                cl->dispersion[b] = ss / (double)(nd - 1) / mean;
                cl->dispersion_p[b] = gsl_cdf_chisq_Q(ss / mean, (double)(nd - 1));
                cl->overdispersed += cl->dispersion_p[b] < 0.01;
            }
        }
    }
    /* the weekdays: a quasi-Poisson F test of the daily totals by weekday */
    f->weekday_p = NAN;
    f->by_weekday_asked = a->cfg->by_weekday;
    size_t nw = 0;
    for (int w = 0; w < 7; w++)
        nw += f->ndays_by_weekday[w] > 0;
    if (!a->cfg->by_weekday || nw < 2 || nd <= nw + 1)
        return;
    double least = 1;
    double *daily = sim_xmalloc(nd * sizeof *daily);
    for (size_t k = 0; k < nc && k < 64; k++) {
        double tot_w[7] = {0}, within = 0, between = 0, total = 0;
        for (size_t d = 0; d < nd; d++) {
            daily[d] = 0;
            for (size_t b = 0; b < nb; b++)
                daily[d] += day_count(a, f, &a->days[d], k, b);
            tot_w[mdl_vlog_weekday(a->days[d].day)] += daily[d];
            total += daily[d];
        }
        for (size_t d = 0; d < nd; d++) {
            int w = mdl_vlog_weekday(a->days[d].day);
            double m = tot_w[w] / (double)f->ndays_by_weekday[w];
            if (m > 0)
                within += (daily[d] - m) * (daily[d] - m) / m;
        }
        for (int w = 0; w < 7; w++) {
            double e = total * (double)f->ndays_by_weekday[w] / (double)nd;
            if (f->ndays_by_weekday[w] && e > 0)
                between += (tot_w[w] - e) * (tot_w[w] - e) / e;
        }
        if (!(total > 0))
            continue;
        double phi = within / (double)(nd - nw);
        double p = gsl_cdf_fdist_Q(between / (double)(nw - 1) / (phi > 1 ? phi : 1), (double)(nw - 1), (double)(nd - nw));
        p = fmin(1, p * (double)nc);   /* Bonferroni over the classes */
        f->weekday_class_differs[k] = p < 0.01;
        least = fmin(least, p);
    }
    free(daily);
    f->weekday_p = least;
    f->weekdays_differ = least < 0.01;
    if (!f->weekdays_differ)
        return;
    for (size_t k = 0; k < nc; k++) {
        struct mdl_fit_class *cl = &f->classes[k];
        cl->weekday_rate = sim_xcalloc(7 * nb, sizeof *cl->weekday_rate);
        for (size_t d = 0; d < nd; d++)
            for (size_t b = 0; b < nb; b++)
                cl->weekday_rate[(size_t)mdl_vlog_weekday(a->days[d].day) * nb + b] += day_count(a, f, &a->days[d], k, b);
        for (int w = 0; w < 7; w++)
            for (size_t b = 0; f->ndays_by_weekday[w] && b < nb; b++)
                cl->weekday_rate[(size_t)w * nb + b] /= (double)f->ndays_by_weekday[w] * (bin_to(f, b) - bin_from(f, b)) / 60;
    }
}

/* A copy of r's values (with their censoring when cens is not NULL). */
static double *res_copy(const struct reservoir *r, bool **cens)
{
    double *x = sim_xmalloc((r->n ? r->n : 1) * sizeof *x);
    if (r->n)   /* an empty reservoir has no array */
        memcpy(x, r->x, r->n * sizeof *x);
    if (cens) {
        *cens = sim_xmalloc((r->n ? r->n : 1) * sizeof **cens);
        if (r->n)
            memcpy(*cens, r->cens, r->n * sizeof **cens);
    }
    return x;
}

/* Services per department, and per class where one differs; the default
 * of the classes with none of their own (every class when none has), or,
 * when every class has its own, the busiest's. */
static void services(const struct acc *a, struct mdl_fit *f)
{
    size_t nc = f->nclasses;
    for (size_t d = 0; d < f->ndepts; d++) {
        struct mdl_fit_dept *dp = &f->depts[d];
        dp->visits = a->visits_d[d];
        dp->served = a->served_d[d];
        dp->first_at = a->dept_first[d];
        dp->last_at = a->dept_last[d];
        dp->wait_mean = a->served_d[d] ? a->wait_d[d] / (double)a->served_d[d] : NAN;
        dp->by_class = sim_xcalloc(nc, sizeof *dp->by_class);
        size_t total = 0;
        struct moments all = {0, 0, 0}, *each = sim_xcalloc(nc, sizeof *each);
        for (size_t k = 0; k < nc; k++) {
            const struct reservoir *r = &a->service[d * MAX_C + k];
            total += r->n;
            each[k] = moments_of(r->x, r->n);
            all = moments_add(all, each[k]);
        }
        double *others = sim_xmalloc((total ? total : 1) * sizeof *others);
        for (size_t k = 0; nc > 1 && k < nc; k++) {
            const struct reservoir *mine = &a->service[d * MAX_C + k];
            struct moments rest = moments_sub(all, each[k]);
            if (mine->n >= CLASS_MIN && rest.n >= CLASS_MIN && welch_moments(each[k], rest) < 0.01) {
                double *x = res_copy(mine, NULL);
                fit_duration(x, NULL, mine->n, a->cfg, 100 + d * 64 + k, &dp->by_class[k]);
                free(x);
            }
        }
        free(each);
        size_t n = 0, busiest = SIZE_MAX;
        for (size_t k = 0; k < nc; k++) {
            const struct reservoir *r = &a->service[d * MAX_C + k];
            if (dp->by_class[k].n == 0) {
                if (r->n)
                    memcpy(others + n, r->x, r->n * sizeof *others);
                n += r->n;
            } else if (busiest == SIZE_MAX || dp->by_class[k].n > dp->by_class[busiest].n) {
                busiest = k;
            }
        }
        dp->default_class = SIZE_MAX;
        if (n || busiest == SIZE_MAX) {
            fit_duration(others, NULL, n, a->cfg, 10 + d, &dp->service);
        } else {
            dp->service = dp->by_class[busiest];
            dp->default_class = busiest;
        }
        free(others);
    }
}

/* Handoffs: a pair of departments whose walks differ from the rest (or are
 * all the same) has its own; the default is every other walk. */
static void handoffs(const struct acc *a, struct mdl_fit *f)
{
    size_t nd = f->ndepts, total = 0;
    for (size_t p = 0; p < nd * nd; p++)
        total += a->gap[(p / nd) * MAX_D + p % nd].n;
    double *rest = sim_xmalloc((total ? total : 1) * sizeof *rest);
    bool *own = sim_xcalloc(nd * nd + 1, sizeof *own);
    f->pairs = sim_xcalloc(nd * nd + 1, sizeof *f->pairs);
    struct moments all = {0, 0, 0}, *each = sim_xcalloc(nd * nd + 1, sizeof *each);
    for (size_t p = 0; p < nd * nd; p++) {
        const struct reservoir *r = &a->gap[(p / nd) * MAX_D + p % nd];
        each[p] = moments_of(r->x, r->n);
        all = moments_add(all, each[p]);
    }
    for (size_t p = 0; p < nd * nd; p++) {
        const struct reservoir *mine = &a->gap[(p / nd) * MAX_D + p % nd];
        struct moments rest_m = moments_sub(all, each[p]);
        if (mine->n < CLASS_MIN || rest_m.n < CLASS_MIN)
            continue;
        if (sqrt(each[p].m2 / (each[p].n - 1)) * 60 >= 1 && welch_moments(each[p], rest_m) >= 0.01)
            continue;   /* like the others (a pair of walks all alike always has its own) */
        own[p] = true;
        struct mdl_fit_pair *fp = &f->pairs[f->npairs++];
        fp->from = p / nd;
        fp->to = p % nd;
        double *x = res_copy(mine, NULL);
        fit_duration(x, NULL, mine->n, a->cfg, 2000 + p, &fp->d);
        free(x);
    }
    free(each);
    size_t nr = 0;
    for (size_t p = 0; p < nd * nd; p++)
        if (!own[p] && a->gap[(p / nd) * MAX_D + p % nd].n) {
            const struct reservoir *r = &a->gap[(p / nd) * MAX_D + p % nd];
            memcpy(rest + nr, r->x, r->n * sizeof *rest);
            nr += r->n;
        }
    fit_duration(rest, NULL, nr, a->cfg, 1, &f->handoff);
    f->handoff_zero = a->gap_zero;
    free(own);
    free(rest);
}

/* Patience per class: Kaplan-Meier, and the censored fit. */
static void patience(const struct acc *a, struct mdl_fit *f)
{
    for (size_t k = 0; k < f->nclasses; k++) {
        struct mdl_fit_class *cl = &f->classes[k];
        const struct reservoir *r = &a->patience[k];
        size_t events = 0;
        for (size_t i = 0; i < r->n; i++)
            events += !r->cens[i];
        cl->patience_events = events;
        cl->km_median = cl->km_lo = cl->km_hi = NAN;
        if (events < 2)
            continue;
        bool *cens;
        double *x = res_copy(r, &cens);
        bool *event = sim_xmalloc(r->n * sizeof *event);
        for (size_t i = 0; i < r->n; i++)
            event[i] = !cens[i];
        struct sim_err e;
        sim_err_init(&e);
        struct sim_km *km = sim_km_create(x, event, r->n, &e);
        if (km)
            cl->km_median = sim_km_quantile(km, 0.5, &cl->km_lo, &cl->km_hi);
        sim_km_destroy(km);
        free(event);
        fit_duration(x, cens, r->n, a->cfg, 1000 + k, &cl->patience);
        free(x);
        free(cens);
    }
}

/* Staff on duty by department and bin: the people seen each day (or the
 * services at once where a served visit named nobody), a high quantile over
 * the days. */
static void staff(const struct acc *a, struct mdl_fit *f)
{
    size_t nd = f->ndays;
    double *col = sim_xmalloc((nd ? nd : 1) * sizeof *col);
    for (size_t d = 0; d < f->ndepts; d++) {
        struct mdl_fit_dept *dp = &f->depts[d];
        dp->staff_named = f->log->has[MDL_VF_STAFF] && !a->unnamed[d];
        for (size_t b = 0; b < f->nbins; b++) {
            size_t wb = (size_t)(f->open_at / a->cfg->interval) + b;
            for (size_t k = 0; k < nd; k++) {
                const struct day_acc *dy = &a->days[k];
                const uint16_t *v = dp->staff_named ? dy->people : dy->at_once;
                col[k] = d < dy->nd && wb < a->nb ? v[d * a->nb + wb] : 0;
            }
            gsl_sort(col, 1, nd);
            dp->staff[b] = (long)ceil(gsl_stats_quantile_from_sorted_data(col, 1, nd, STAFF_QUANTILE) - 1e-9);
        }
    }
    free(col);
}

void mdl_fit_scenario_name(const char *name, char *out, size_t len)
{
    size_t n = 0;
    bool gap = false;
    if (!((name[0] >= 'a' && name[0] <= 'z') || (name[0] >= 'A' && name[0] <= 'Z')))
        n = (size_t)snprintf(out, len, "x_");
    for (const char *p = name; *p && n + 2 < len && n < 40; p++) {
        char c = *p;
        bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
        if (!keep) {
            gap = true;
            continue;
        }
        if (gap && n > 0 && out[n - 1] != '_')
            out[n++] = '_';
        gap = false;
        out[n++] = c;
    }
    while (n > 2 && out[n - 1] == '_')
        n--;
    out[n] = '\0';
    if (!strcmp(out, "x_") || !strcmp(out, "x"))
        snprintf(out, len, "x_%s", "unnamed");
    if (!strcmp(out, "exit") || !strcmp(out, "default"))
        snprintf(out + n, len - n, "_");
}

/* The scenario's names for names[0..n): distinct, as mdl_fit_scenario_name
 * makes them (malloc'd, as their array). */
static char **scenario_names(char *const *names, size_t n)
{
    char **out = sim_xcalloc(n ? n : 1, sizeof *out);
    for (size_t i = 0; i < n; i++) {
        char base[64], name[80];
        mdl_fit_scenario_name(names[i], base, sizeof base);
        snprintf(name, sizeof name, "%s", base);
        for (int k = 2;; k++) {
            bool taken = false;
            for (size_t j = 0; j < i && !taken; j++)
                taken = !strcmp(out[j], name);
            if (!taken)
                break;
            snprintf(name, sizeof name, "%.36s_%d", base, k);
        }
        out[i] = sim_xstrdup(name);
    }
    return out;
}

/* The fit from a's counts and samples; log is what was read (names, days). */
static struct mdl_fit *fit_finish(struct acc *a, const struct mdl_vlog *log)
{
    struct mdl_fit *f = sim_xcalloc(1, sizeof *f);
    f->log = log;
    f->interval = a->cfg->interval;
    qsort(a->days, a->ndays, sizeof *a->days, by_day);
    f->ndays = a->ndays;
    for (size_t d = 0; d < a->ndays; d++)
        f->ndays_by_weekday[mdl_vlog_weekday(a->days[d].day)]++;
    f->open_at = floor(a->first / a->cfg->interval) * a->cfg->interval;
    f->close_at = fmin(1440, (floor(a->last / a->cfg->interval) + 1) * a->cfg->interval);
    f->nbins = (size_t)ceil((f->close_at - f->open_at) / a->cfg->interval - 1e-9);
    f->ndepts = log->ndepts;
    f->nclasses = log->nclasses ? log->nclasses : 1;
    f->depts = sim_xcalloc(f->ndepts ? f->ndepts : 1, sizeof *f->depts);
    f->classes = sim_xcalloc(f->nclasses, sizeof *f->classes);
    f->dept_names = scenario_names(log->depts, log->ndepts);
    char *one[] = {"customer"};
    f->class_names = scenario_names(log->nclasses ? log->classes : one, f->nclasses);
    for (size_t d = 0; d < f->ndepts; d++) {
        f->depts[d].name = f->dept_names[d];
        f->depts[d].staff = sim_xcalloc(f->nbins, sizeof *f->depts[d].staff);
    }
    for (size_t k = 0; k < f->nclasses; k++) {
        struct mdl_fit_class *cl = &f->classes[k];
        cl->name = f->class_names[k];
        cl->rate = sim_xcalloc(5 * f->nbins, sizeof *cl->rate);
        cl->rate_lo = cl->rate + f->nbins;
        cl->rate_hi = cl->rate + 2 * f->nbins;
        cl->dispersion = cl->rate + 3 * f->nbins;
        cl->dispersion_p = cl->rate + 4 * f->nbins;
        cl->enter = sim_xcalloc(f->ndepts ? f->ndepts : 1, sizeof *cl->enter);
        cl->route = sim_xcalloc(f->ndepts * (f->ndepts + 1) + 1, sizeof *cl->route);
        cl->journeys = a->journeys[k];
        cl->visits = a->visits_c[k];
        cl->reneged = a->reneged[k];
        cl->balked = a->balked[k];
        cl->blocked = a->blocked[k];
        cl->unfinished = a->unfinished[k];
        for (size_t d = 0; d < f->ndepts; d++) {
            cl->enter[d] = a->enter[k * MAX_D + d];
            for (size_t e = 0; e <= f->ndepts; e++)
                cl->route[d * (f->ndepts + 1) + e] =
                    a->route[(k * MAX_D + d) * (MAX_D + 1) + (e == f->ndepts ? MAX_D : e)];
        }
    }
    rates(a, f);
    services(a, f);
    handoffs(a, f);
    patience(a, f);
    staff(a, f);
    return f;
}

static struct acc *acc_create(const struct mdl_fit_config *cfg)
{
    struct acc *a = sim_xcalloc(1, sizeof *a);
    a->cfg = cfg;
    a->nb = (size_t)ceil(1440 / cfg->interval - 1e-9);
    a->first = INFINITY;
    a->last = -INFINITY;
    a->enter = sim_xcalloc(MAX_C * MAX_D, sizeof *a->enter);
    a->route = sim_xcalloc(MAX_C * MAX_D * (MAX_D + 1), sizeof *a->route);
    a->service = sim_xcalloc(MAX_D * MAX_C, sizeof *a->service);
    a->gap = sim_xcalloc(MAX_D * MAX_D, sizeof *a->gap);
    return a;
}

static void acc_destroy(struct acc *a)
{
    for (size_t i = 0; i < a->ndays; i++) {
        free(a->days[i].arrivals);
        free(a->days[i].people);
        free(a->days[i].at_once);
    }
    free(a->days);
    for (size_t i = 0; i < MAX_D * MAX_C; i++)
        res_free(&a->service[i]);
    for (size_t i = 0; i < MAX_D * MAX_D; i++)
        res_free(&a->gap[i]);
    for (size_t k = 0; k < MAX_C; k++)
        res_free(&a->patience[k]);
    free(a->service);
    free(a->gap);
    free(a->enter);
    free(a->route);
    free(a->order);
    free(a);
}

/* mdl_fit_log's day: the log and the counts. */
struct fit_days {
    struct acc *a;
    const struct mdl_vlog *log;
};

static int fit_one_day(void *ctx, const struct mdl_vlog_row *rows, size_t n, struct sim_err *err)
{
    struct fit_days *fd = ctx;
    return fit_day(fd->a, fd->log, rows, n, err);
}

int mdl_fit_log(const struct mdl_vlog *log, const struct mdl_fit_config *cfg, struct mdl_fit **out,
                struct sim_err *err)
{
    *out = NULL;
    struct acc *a = acc_create(cfg);
    struct fit_days fd = {a, log};
    mdl_vlog_each_day(log, fit_one_day, &fd, err);
    if (!err->code && log->nrows)
        *out = fit_finish(a, log);
    else if (!err->code)
        sim_err_set(err, SIM_EDATA, "%s has no visits", log->path);
    acc_destroy(a);
    return err->code;
}

int mdl_fit_stream(struct mdl_vlog_reader *rd, const struct mdl_fit_config *cfg, struct mdl_fit **out,
                   struct sim_err *err)
{
    *out = NULL;
    struct acc *a = acc_create(cfg);
    const struct mdl_vlog_row *rows;
    size_t n;
    while (!mdl_vlog_next_day(rd, &rows, &n, err) && n && !fit_day(a, mdl_vlog_reader_log(rd), rows, n, err)) {
    }
    if (!err->code)
        *out = fit_finish(a, mdl_vlog_reader_log(rd));
    acc_destroy(a);
    return err->code;
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
    for (size_t d = 0; d < f->ndepts; d++)
        free(f->dept_names[d]);
    for (size_t k = 0; k < f->nclasses; k++)
        free(f->class_names[k]);
    free(f->dept_names);
    free(f->class_names);
    free(f->depts);
    free(f->classes);
    free(f->pairs);
    free(f);
}
