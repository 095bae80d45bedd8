/* sim/mser.c — MSER truncation of a warm-up (see mser.h). Batch means are
 * formed from the end backwards, each folded into the running mean and sum
 * of squares of the batches after it (Welford), so MSER(d) for every d is
 * read in one pass: O(n) time, no memory. */
#include "sim/mser.h"

#include <assert.h>
#include <math.h>

/* The mean of x[0..b). */
static double batch_mean(const double *x, size_t b)
{
    double s = 0;
    for (size_t i = 0; i < b; i++) {
        assert(!isnan(x[i]) && "NaN in a series for MSER");
        s += x[i];
    }
    return s / (double)b;
}

struct sim_mser sim_mser_truncation(const double *x, size_t n, size_t batch)
{
    assert(batch >= 1);
    size_t k = n / batch;
    struct sim_mser r = {0, 0, k, NAN, false};
    if (k < 2)
        return r;
    size_t dmax = (k - 1) / 2;   /* d < k/2: at least half the batches kept */
    double mean = 0, m2 = 0;
    for (size_t i = k; i-- > 0;) {
        /* batch i joins batches i+1..k-1: Z_i .. Z_{k-1} are what
         * truncating d = i batches keeps */
        double z = batch_mean(x + i * batch, batch), c = (double)(k - i);
        double dz = z - mean;
        mean += dz / c;
        m2 += dz * (z - mean);
        if (i > dmax)
            continue;
        double stat = m2 / (c * c);
        if (!(stat > r.stat)) {   /* first seen, or as small: smaller d wins ties */
            r.stat = stat;
            r.d = i;
        }
    }
    r.warmup = r.d * batch;
    r.at_limit = dmax > 0 && r.d == dmax;
    return r;
}
