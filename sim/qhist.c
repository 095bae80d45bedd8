/* sim/qhist.c — a histogram in octaves, with quantiles read through GSL.
 *
 * Bins: [0, 2^emin), then each octave [2^e, 2^(e+1)) for emin <= e < emax
 * cut into 2^k equal bins. Every edge is an exact binary number, so the bin
 * of x is read from the bits of the double: its exponent picks the octave,
 * the top k bits of its mantissa the bin (no search). Exact zeros are an
 * atom counted apart, never in a bin.
 *
 * Only the counts are stored, and only for the octaves that hold any: an
 * octave's bins are zeroed when its first observation arrives (a mask bit
 * says which are open), so a new or reset histogram costs nothing however
 * many bins it has. Edges are a formula of the bin's index, computed when
 * quantiles are read, and only over the bins between the lowest and the
 * highest holding counts (the mask finds them without a walk over all the
 * bins). Quantiles are GSL's interpolated inverse CDF
 * (gsl_histogram_pdf_sample) over a GSL histogram of that window. A day's
 * waits fill a few dozen of the 1,921 bins: zeroing them all and building
 * the pdf over all of them took three quarters of the time of a dealership
 * day (docs/performance.md).
 */
#include "sim/qhist.h"
#include "sim/mem.h"

#include <assert.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_histogram.h>
#include <gsl/gsl_vector.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct sim_qhist {
    int emin, emax, k;  /* octaves 2^emin .. 2^emax, 2^k bins each */
    size_t n;           /* bins: 1 + (emax - emin) << k */
    double *bin;        /* counts of positive observations (owned); only the
                           bins of open octaves hold numbers */
    uint64_t octs;      /* open octaves, each holding counts: bit 0 for bin 0,
                           bit 1 + o for octave o */
    size_t count;       /* all observations */
    size_t zeros;       /* observations exactly 0 (served at once): an atom */
};

struct sim_qhist *sim_qhist_create(double lo, double hi, double rel)
{
    assert(lo > 0 && hi > lo && rel > 0 && rel <= 1);
    struct sim_qhist *q = sim_xmalloc(sizeof *q);
    q->emin = (int)floor(log2(lo));
    q->emax = (int)ceil(log2(hi));
    q->k = (int)ceil(-log2(rel) - 1e-12);
    assert(q->emin > -1022 && q->emax < 1024 && q->k >= 0 && q->k <= 20);
    assert(q->emax - q->emin < 64 && "the octave mask has 64 bits");
    q->n = 1 + ((size_t)(q->emax - q->emin) << q->k);
    q->bin = sim_xreallocarray(NULL, q->n, sizeof *q->bin);   /* zeroed by octave, when opened */
    q->octs = 0;
    q->count = q->zeros = 0;
    return q;
}

struct sim_qhist *sim_qhist_create_like(const struct sim_qhist *q)
{
    struct sim_qhist *c = sim_xmalloc(sizeof *c);
    *c = *q;
    c->bin = sim_xreallocarray(NULL, q->n, sizeof *c->bin);
    c->octs = 0;
    c->count = c->zeros = 0;
    return c;
}

void sim_qhist_destroy(struct sim_qhist *q)
{
    if (!q)
        return;
    free(q->bin);
    free(q);
}

void sim_qhist_reset(struct sim_qhist *q)
{
    q->octs = 0;   /* every octave closed: its bins are zeroed again when opened */
    q->count = q->zeros = 0;
}

/* The mask bit of bin i: 0 for the bin below the octaves, 1 + its octave. */
static unsigned oct_bit(const struct sim_qhist *q, size_t i)
{
    return i == 0 ? 0 : 1 + (unsigned)((i - 1) >> q->k);
}

/* The bins of mask bit b: [*first, *end). */
static void oct_bins(const struct sim_qhist *q, unsigned b, size_t *first, size_t *end)
{
    size_t per = (size_t)1 << q->k;
    *first = b == 0 ? 0 : 1 + (size_t)(b - 1) * per;
    *end = b == 0 ? 1 : 1 + (size_t)b * per;
}

static bool is_open(const struct sim_qhist *q, unsigned b)
{
    return (q->octs >> b) & 1u;
}

/* Zeroes the bins of mask bit b and marks them open. */
static void open_octave(struct sim_qhist *q, unsigned b)
{
    size_t first, end;
    oct_bins(q, b, &first, &end);
    memset(q->bin + first, 0, (end - first) * sizeof *q->bin);
    q->octs |= UINT64_C(1) << b;
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
        i = q->n - 1;   /* beyond the last edge: counted in the last bin */
    else
        i = 1 + ((size_t)(e - q->emin) << q->k) + (size_t)((bits & ((UINT64_C(1) << 52) - 1)) >> (52 - q->k));
    unsigned b = oct_bit(q, i);
    if (!is_open(q, b))
        open_octave(q, b);
    q->bin[i] += 1;
}

void sim_qhist_pool(struct sim_qhist *dst, const struct sim_qhist *src)
{
    assert(dst->emin == src->emin && dst->emax == src->emax && dst->k == src->k &&
           "pooling histograms with different bins");
    for (unsigned b = 0; b < 64; b++) {
        if (!is_open(src, b))
            continue;
        if (!is_open(dst, b))
            open_octave(dst, b);
        size_t first, end;
        oct_bins(src, b, &first, &end);
        gsl_vector_view d = gsl_vector_view_array(dst->bin + first, end - first);
        gsl_vector_const_view s = gsl_vector_const_view_array(src->bin + first, end - first);
        gsl_vector_add(&d.vector, &s.vector);
    }
    dst->count += src->count;
    dst->zeros += src->zeros;
}

size_t sim_qhist_count(const struct sim_qhist *q)
{
    return q->count;
}

/* The first and one past the last bin holding counts (q has positive
 * observations): the lowest and highest open octaves hold them. */
static void window(const struct sim_qhist *q, size_t *first, size_t *end)
{
    size_t lo_first, lo_end, hi_first, hi_end;
    oct_bins(q, (unsigned)__builtin_ctzll(q->octs), &lo_first, &lo_end);
    oct_bins(q, 63u - (unsigned)__builtin_clzll(q->octs), &hi_first, &hi_end);
    size_t b = lo_first, t = hi_end;
    while (q->bin[b] == 0)
        b++;
    while (q->bin[t - 1] == 0)
        t--;
    *first = b;
    *end = t;
}

/* The edges (m + 1) and counts (m) of bins [first, first + m) into range
 * and w: edges are exact binary fractions (2^e + 2^e j / 2^k), counts 0 in
 * octaves never opened. */
static void fill(const struct sim_qhist *q, size_t first, size_t m, double *range, double *w)
{
    size_t per = (size_t)1 << q->k, octave = SIZE_MAX;
    double scale = 0;
    for (size_t b = first; b <= first + m; b++) {
        if (b == 0) {
            range[0] = 0;
        } else {
            size_t o = (b - 1) >> q->k, j = (b - 1) & (per - 1);
            if (o != octave) {
                octave = o;
                scale = ldexp(1, q->emin + (int)o);
            }
            range[b - first] = scale + scale * (double)j / (double)per;
        }
        if (b < first + m)
            w[b - first] = is_open(q, oct_bit(q, b)) ? q->bin[b] : 0;
    }
}

void sim_qhist_quantiles(const struct sim_qhist *q, const double *p, double *x, size_t n)
{
    gsl_histogram_pdf *pdf = NULL;
    double *range = NULL, *w = NULL;
    size_t first = 0, end = 0;
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
        if (!range) {
            window(q, &first, &end);
            range = sim_xreallocarray(NULL, end - first + 1, sizeof *range);
            w = sim_xreallocarray(NULL, end - first, sizeof *w);
            fill(q, first, end - first, range, w);
        }
        double r = (p[i] * (double)q->count - (double)q->zeros) / (double)(q->count - q->zeros);
        if (r >= 1) {
            /* pdf_sample takes r in [0, 1); 1 is the top of the highest bin
             * with any count */
            x[i] = range[end - first];
            continue;
        }
        if (!pdf) {
            gsl_histogram view = {end - first, range, w};
            pdf = gsl_histogram_pdf_alloc(view.n);
            if (!pdf)
                sim_oom(view.n * 2 * sizeof(double));
            gsl_histogram_pdf_init(pdf, &view);
        }
        x[i] = gsl_histogram_pdf_sample(pdf, r);
    }
    if (pdf)
        gsl_histogram_pdf_free(pdf);
    free(range);
    free(w);
}

double sim_qhist_quantile(const struct sim_qhist *q, double p)
{
    double x;
    sim_qhist_quantiles(q, &p, &x, 1);
    return x;
}
