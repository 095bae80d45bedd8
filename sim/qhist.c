/* sim/qhist.c — a histogram in octaves, read back as the empirical inverse.
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
 * bins). A day's waits fill a few dozen of the 1,921 bins: zeroing them all
 * and reading all of them took three quarters of the time of a dealership
 * day (docs/performance.md).
 *
 * The p-quantile is the empirical inverse, the k-th smallest observation
 * with k = ceil(p n) (k >= 1): its bin is found by whole counts (never by a
 * normalised cdf, whose rounding lands one bin high where p n is whole), a
 * value is read inside that bin, and the result is clamped to the exact
 * minimum and maximum, which the histogram keeps (two compares per add).
 * So a quantile is never above the largest observation, and is off the
 * exact sample quantile by at most the width of one bin.
 *
 * sim_qhist_quantiles_ci pools replications' histograms in sections and
 * reads the interval by sectioning (sim_ci_sectioning): two scratch
 * histograms and the quantiles, nothing kept. Choosing the sections, and
 * keeping the replications' histograms, is the caller's.
 */
#include "sim/qhist.h"
#include "sim/ci.h"
#include "sim/mem.h"

#include <assert.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_vector.h>
#include <float.h>
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
    double min, max;    /* exact extremes of all observations; +inf and -inf
                           when empty */
};

/* The empty state of everything but the bins and their shape. */
static void clear(struct sim_qhist *q)
{
    q->octs = 0;   /* every octave closed: its bins are zeroed again when opened */
    q->count = q->zeros = 0;
    q->min = INFINITY;
    q->max = -INFINITY;
}

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
    clear(q);
    return q;
}

struct sim_qhist *sim_qhist_create_like(const struct sim_qhist *q)
{
    struct sim_qhist *c = sim_xmalloc(sizeof *c);
    *c = *q;
    c->bin = sim_xreallocarray(NULL, q->n, sizeof *c->bin);
    clear(c);
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
    clear(q);
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
    /* branch-free (minsd, maxsd): x is never NaN here */
    q->min = x < q->min ? x : q->min;
    q->max = x > q->max ? x : q->max;
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
    dst->min = src->min < dst->min ? src->min : dst->min;
    dst->max = src->max > dst->max ? src->max : dst->max;
}

size_t sim_qhist_export_len(const struct sim_qhist *q)
{
    return q->n + 4;
}

void sim_qhist_export(const struct sim_qhist *q, double *buf)
{
    for (unsigned b = 0; b < 64; b++) {
        size_t first, end;
        oct_bins(q, b, &first, &end);
        if (first >= q->n)
            break;
        if (is_open(q, b))
            memcpy(buf + first, q->bin + first, (end - first) * sizeof *buf);
        else
            memset(buf + first, 0, (end - first) * sizeof *buf);
    }
    buf[q->n] = (double)q->count;
    buf[q->n + 1] = (double)q->zeros;
    buf[q->n + 2] = q->min;
    buf[q->n + 3] = q->max;
}

void sim_qhist_pool_exported(struct sim_qhist *dst, const double *buf)
{
    for (unsigned b = 0; b < 64; b++) {
        size_t first, end;
        oct_bins(dst, b, &first, &end);
        if (first >= dst->n)
            break;
        bool any = false;
        for (size_t i = first; i < end && !any; i++)
            any = buf[i] != 0;
        if (!any)
            continue;
        if (!is_open(dst, b))
            open_octave(dst, b);
        for (size_t i = first; i < end; i++)
            dst->bin[i] += buf[i];
    }
    dst->count += (size_t)buf[dst->n];
    dst->zeros += (size_t)buf[dst->n + 1];
    dst->min = buf[dst->n + 2] < dst->min ? buf[dst->n + 2] : dst->min;
    dst->max = buf[dst->n + 3] > dst->max ? buf[dst->n + 3] : dst->max;
}

size_t sim_qhist_count(const struct sim_qhist *q)
{
    return q->count;
}

double sim_qhist_min(const struct sim_qhist *q)
{
    return q->count ? q->min : NAN;
}

double sim_qhist_max(const struct sim_qhist *q)
{
    return q->count ? q->max : NAN;
}

size_t sim_qhist_rank(double p, size_t n)
{
    assert(p >= 0 && p <= 1 && n > 0);
    /* p n within rounding of a whole number is that number: 0.07 * 100 is
     * 7.000000000000001 in doubles, and its rank is 7, not 8. The margin
     * (4 ulps of p n) covers the error of p's decimal and of the product. */
    double t = p * (double)n;
    t -= t * 4 * DBL_EPSILON;
    size_t k = t <= 1 ? 1 : (size_t)ceil(t);
    return k < n ? k : n;
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

/* The lower edge of bin b (b <= n: edge n is the top of the last bin, 2^emax).
 * Edges are exact binary fractions: 2^e + 2^e j / 2^k. */
static double edge(const struct sim_qhist *q, size_t b)
{
    if (b == 0)
        return 0;
    size_t per = (size_t)1 << q->k, o = (b - 1) >> q->k, j = (b - 1) & (per - 1);
    double scale = ldexp(1, q->emin + (int)o);
    return scale + scale * (double)j / (double)per;
}

/* The cumulative counts of bins [first, first + m) into cum[0..m]: cum[i]
 * counts the positive observations in the bins before first + i (bins of
 * octaves never opened hold 0). Whole numbers below 2^53: exact. */
static void cumulate(const struct sim_qhist *q, size_t first, size_t m, double *cum)
{
    cum[0] = 0;
    for (size_t i = 0; i < m; i++) {
        size_t b = first + i;
        cum[i + 1] = cum[i] + (is_open(q, oct_bit(q, b)) ? q->bin[b] : 0);
    }
}

void sim_qhist_quantiles(const struct sim_qhist *q, const double *p, double *x, size_t n)
{
    double *cum = NULL;
    size_t first = 0, m = 0;
    for (size_t i = 0; i < n; i++) {
        assert(p[i] >= 0 && p[i] <= 1);
        if (q->count == 0) {
            x[i] = NAN;
            continue;
        }
        /* the k-th smallest observation: the zeros come first (an atom at
         * 0), then the j-th smallest positive one */
        size_t k = sim_qhist_rank(p[i], q->count);
        if (k <= q->zeros) {
            x[i] = 0;
            continue;
        }
        if (k == 1) {   /* the smallest: kept exactly */
            x[i] = q->min;
            continue;
        }
        if (!cum) {
            size_t end;
            window(q, &first, &end);
            m = end - first;
            cum = sim_xreallocarray(NULL, m + 1, sizeof *cum);
            cumulate(q, first, m, cum);
        }
        double j = (double)(k - q->zeros);
        /* the bin b with cum[b] < j <= cum[b + 1]: binary search */
        size_t lo = 0, hi = m - 1;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (cum[mid + 1] < j)
                lo = mid + 1;
            else
                hi = mid;
        }
        /* Inside the bin, the c observations it holds are read as if spread
         * evenly: the j-th of them at the top of its share (so the last one
         * of the highest bin reads the bin's top edge, clamped to max). */
        double below = edge(q, first + lo), width = edge(q, first + lo + 1) - below;
        double v = below + width * (j - cum[lo]) / (cum[lo + 1] - cum[lo]);
        x[i] = v < q->min ? q->min : v > q->max ? q->max : v;
    }
    free(cum);
}

double sim_qhist_quantile(const struct sim_qhist *q, double p)
{
    double x;
    sim_qhist_quantiles(q, &p, &x, 1);
    return x;
}

size_t sim_qhist_section_of(size_t i, size_t n, size_t m)
{
    assert(i < n && m >= 1 && m <= n);
    return i * m / n;   /* floor: sections of floor(n/m) or ceil(n/m), in order */
}

void sim_qhist_quantiles_ci(const struct sim_qhist *const *h, size_t n, size_t m,
                            const double *p, struct sim_ci *ci, size_t np, double level)
{
    if (n == 0) {
        for (size_t j = 0; j < np; j++)
            ci[j] = (struct sim_ci){NAN, NAN, NAN, NAN, NAN, 0};
        return;
    }
    m = m < 1 ? 1 : m > n ? n : m;
    struct sim_qhist *pooled = sim_qhist_create_like(h[0]), *sec = sim_qhist_create_like(h[0]);
    double *sq = sim_xreallocarray(NULL, np * m + np, sizeof *sq);   /* sq[j m + s]; then pooled */
    double *row = sim_xreallocarray(NULL, np ? np : 1, sizeof *row);
    size_t i = 0;
    for (size_t s = 0; s < m; s++) {
        sim_qhist_reset(sec);
        for (; i < n && sim_qhist_section_of(i, n, m) == s; i++)
            sim_qhist_pool(sec, h[i]);
        sim_qhist_quantiles(sec, p, row, np);
        for (size_t j = 0; j < np; j++)
            sq[j * m + s] = row[j];
        sim_qhist_pool(pooled, sec);
    }
    double *pq = sq + np * m;
    sim_qhist_quantiles(pooled, p, pq, np);
    for (size_t j = 0; j < np; j++) {
        ci[j] = sim_ci_sectioning(pq[j], sq + j * m, m, level);
        sim_ci_clamp(&ci[j], 0, INFINITY);
    }
    free(row);
    free(sq);
    sim_qhist_destroy(sec);
    sim_qhist_destroy(pooled);
}
