/* sim/qhist.c — log-linear GSL histogram with interpolated quantiles.
 *
 * Bin edges: 0, lo, lo(1+rel), lo(1+rel)^2, ..., up to the first edge >= hi.
 * Counting uses gsl_histogram_increment (binary search over the edges);
 * quantiles use gsl_histogram_pdf_sample, GSL's inverse CDF with linear
 * interpolation inside a bin. The pdf needs its own allocation, made per
 * quantile call: quantiles are read once per replication, not per event.
 */
#include "sim/qhist.h"
#include "sim/mem.h"

#include <assert.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_histogram.h>
#include <math.h>
#include <stdlib.h>

struct sim_qhist {
    gsl_histogram *h;
    size_t count;
    size_t zeros;       /* observations exactly 0 (served at once): an atom, not spread over bin 0 */
};

static gsl_histogram *hist_alloc(size_t nbins)
{
    gsl_histogram *h = gsl_histogram_alloc(nbins);
    if (!h)
        sim_oom(nbins * 2 * sizeof(double)); /* its only failure */
    return h;
}

struct sim_qhist *sim_qhist_create(double lo, double hi, double rel)
{
    assert(lo > 0 && hi > lo && rel > 0 && rel <= 1);
    size_t nedges = 2; /* 0 and lo */
    for (double e = lo; e < hi; e *= 1 + rel)
        nedges++;
    double *edges = sim_xmalloc(nedges * sizeof *edges);
    edges[0] = 0;
    edges[1] = lo;
    for (size_t i = 2; i < nedges; i++)
        edges[i] = edges[i - 1] * (1 + rel);
    struct sim_qhist *q = sim_xmalloc(sizeof *q);
    q->h = hist_alloc(nedges - 1);
    int rc = gsl_histogram_set_ranges(q->h, edges, nedges);
    assert(rc == GSL_SUCCESS);
    (void)rc;
    free(edges);
    q->count = q->zeros = 0;
    return q;
}

struct sim_qhist *sim_qhist_create_like(const struct sim_qhist *q)
{
    struct sim_qhist *c = sim_xmalloc(sizeof *c);
    c->h = hist_alloc(q->h->n);
    int rc = gsl_histogram_set_ranges(c->h, q->h->range, q->h->n + 1);
    assert(rc == GSL_SUCCESS);
    (void)rc;
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
    if (gsl_histogram_increment(q->h, x) != GSL_SUCCESS)
        q->h->bin[q->h->n - 1] += 1; /* x >= the last edge: count it in the last bin */
    q->count++;
    q->zeros += x == 0;
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

double sim_qhist_quantile(const struct sim_qhist *q, double p)
{
    assert(p >= 0 && p <= 1);
    if (q->count == 0)
        return NAN;
    /* Zeros are an atom at 0: the p-quantile is 0 while they reach p
     * (inf {x : F(x) >= p}); above, interpolate among the positive values
     * only, or bin 0 would spread the zeros over [0, lo). */
    if ((double)q->zeros >= p * (double)q->count)
        return 0;
    gsl_histogram *h = q->h;
    if (q->zeros) {
        h = gsl_histogram_clone(q->h);
        if (!h)
            sim_oom(q->h->n * 2 * sizeof(double));
        h->bin[0] -= (double)q->zeros;
        p = (p * (double)q->count - (double)q->zeros) / (double)(q->count - q->zeros);
    }
    gsl_histogram_pdf *pdf = gsl_histogram_pdf_alloc(h->n);
    if (!pdf)
        sim_oom(h->n * 2 * sizeof(double));
    gsl_histogram_pdf_init(pdf, h);
    /* pdf_sample takes r in [0, 1); p = 1 is the top of the highest bin
     * with any count. */
    double x;
    if (p < 1) {
        x = gsl_histogram_pdf_sample(pdf, p);
    } else {
        size_t i = h->n;
        while (i > 0 && h->bin[i - 1] == 0)
            i--;
        x = h->range[i];
    }
    gsl_histogram_pdf_free(pdf);
    if (h != q->h)
        gsl_histogram_free(h);
    return x;
}
