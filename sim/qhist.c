/* sim/qhist.c — a GSL histogram in octaves, with interpolated quantiles.
 *
 * Bins: [0, 2^emin), then each octave [2^e, 2^(e+1)) for emin <= e < emax
 * cut into 2^k equal bins. Every edge is an exact binary number, so the bin
 * of x is read from the bits of the double: its exponent picks the octave,
 * the top k bits of its mantissa the bin (no search). Counts live in the GSL
 * histogram's bin array; quantiles are GSL's interpolated inverse CDF
 * (gsl_histogram_pdf_sample), its pdf built once for all the quantiles asked
 * together. Exact zeros are an atom counted apart, never in a bin.
 */
#include "sim/qhist.h"
#include "sim/mem.h"

#include <assert.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_histogram.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct sim_qhist {
    gsl_histogram *h;   /* positive observations */
    int emin, emax, k;  /* octaves 2^emin .. 2^emax, 2^k bins each */
    size_t count;       /* all observations */
    size_t zeros;       /* observations exactly 0 (served at once): an atom */
};

static gsl_histogram *hist_alloc(size_t nbins)
{
    gsl_histogram *h = gsl_histogram_alloc(nbins);
    if (!h)
        sim_oom(nbins * 2 * sizeof(double)); /* its only failure */
    return h;
}

/* Fills q's edges (GSL's range array) and zeroes its counts. */
static void set_edges(struct sim_qhist *q)
{
    gsl_histogram *h = q->h;
    size_t per = (size_t)1 << q->k, i = 0;
    h->range[i++] = 0;
    double scale = ldexp(1, q->emin);
    for (int e = q->emin; e < q->emax; e++, scale *= 2)
        for (size_t j = 0; j < per; j++)
            h->range[i++] = scale + scale * (double)j / (double)per;
    h->range[i] = scale;
    memset(h->bin, 0, h->n * sizeof *h->bin);
}

struct sim_qhist *sim_qhist_create(double lo, double hi, double rel)
{
    assert(lo > 0 && hi > lo && rel > 0 && rel <= 1);
    struct sim_qhist *q = sim_xmalloc(sizeof *q);
    q->emin = (int)floor(log2(lo));
    q->emax = (int)ceil(log2(hi));
    q->k = (int)ceil(-log2(rel) - 1e-12);
    assert(q->emin > -1022 && q->emax < 1024 && q->k >= 0 && q->k <= 20);
    q->h = hist_alloc(1 + ((size_t)(q->emax - q->emin) << q->k));
    set_edges(q);
    q->count = q->zeros = 0;
    return q;
}

struct sim_qhist *sim_qhist_create_like(const struct sim_qhist *q)
{
    struct sim_qhist *c = sim_xmalloc(sizeof *c);
    *c = *q;
    c->h = hist_alloc(q->h->n);
    memcpy(c->h->range, q->h->range, (q->h->n + 1) * sizeof *q->h->range);
    memset(c->h->bin, 0, c->h->n * sizeof *c->h->bin);
    c->count = c->zeros = 0;
    return c;
}

void sim_qhist_destroy(struct sim_qhist *q)
{
    if (!q)
        return;
    gsl_histogram_free(q->h);
    free(q);
}

void sim_qhist_reset(struct sim_qhist *q)
{
    gsl_histogram_reset(q->h);
    q->count = q->zeros = 0;
}

void sim_qhist_add(struct sim_qhist *q, double x)
{
    assert(x >= 0 && "negative or NaN observation");
    q->count++;
    if (x == 0) {
        q->zeros++;
        return;
    }
    uint64_t bits;
    memcpy(&bits, &x, sizeof bits);
    int e = (int)(bits >> 52) - 1023;   /* x >= 0: no sign bit */
    size_t i;
    if (e < q->emin)
        i = 0;
    else if (e >= q->emax)
        i = q->h->n - 1;   /* beyond the last edge: counted in the last bin */
    else
        i = 1 + ((size_t)(e - q->emin) << q->k) + (size_t)((bits & ((UINT64_C(1) << 52) - 1)) >> (52 - q->k));
    q->h->bin[i] += 1;
}

void sim_qhist_pool(struct sim_qhist *dst, const struct sim_qhist *src)
{
    int rc = gsl_histogram_add(dst->h, src->h);
    assert(rc == GSL_SUCCESS && "pooling histograms with different bins");
    (void)rc;
    dst->count += src->count;
    dst->zeros += src->zeros;
}

size_t sim_qhist_count(const struct sim_qhist *q)
{
    return q->count;
}

void sim_qhist_quantiles(const struct sim_qhist *q, const double *p, double *x, size_t n)
{
    gsl_histogram_pdf *pdf = NULL;
    for (size_t i = 0; i < n; i++) {
        assert(p[i] >= 0 && p[i] <= 1);
        /* Zeros are an atom at 0: the p-quantile is 0 while they reach p
         * (inf {x : F(x) >= p}); above, interpolate among the positive
         * values, whose share of the rest is r. */
        if (q->count == 0) {
            x[i] = NAN;
            continue;
        }
        if ((double)q->zeros >= p[i] * (double)q->count) {
            x[i] = 0;
            continue;
        }
        double r = (p[i] * (double)q->count - (double)q->zeros) / (double)(q->count - q->zeros);
        const gsl_histogram *h = q->h;
        if (r >= 1) {
            /* pdf_sample takes r in [0, 1); 1 is the top of the highest bin
             * with any count */
            size_t b = h->n;
            while (b > 0 && h->bin[b - 1] == 0)
                b--;
            x[i] = h->range[b];
            continue;
        }
        if (!pdf) {
            pdf = gsl_histogram_pdf_alloc(h->n);
            if (!pdf)
                sim_oom(h->n * 2 * sizeof(double));
            gsl_histogram_pdf_init(pdf, h);
        }
        x[i] = gsl_histogram_pdf_sample(pdf, r);
    }
    if (pdf)
        gsl_histogram_pdf_free(pdf);
}

double sim_qhist_quantile(const struct sim_qhist *q, double p)
{
    double x;
    sim_qhist_quantiles(q, &p, &x, 1);
    return x;
}
