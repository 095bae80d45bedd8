/* sim/select.c — Kim & Nelson's KN procedure (see select.h). */
#include "sim/select.h"
#include "sim/mem.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct sim_kn_result sim_select_kn(size_t k, double alpha, double delta, size_t n0, size_t max_r,
                                   sim_select_obs_fn obs, void *ctx, bool *alive)
{
    struct sim_kn_result res = {SIZE_MAX, 0, k};
    bool *in = alive ? alive : sim_xmalloc((k ? k : 1) * sizeof *in);
    for (size_t i = 0; i < k; i++)
        in[i] = true;
    if (k <= 1) {
        res.best = k ? 0 : SIZE_MAX;
        if (!alive)
            free(in);
        return res;
    }
    /* eta and h^2 of KN for k systems, first stage n0 (Kim & Nelson 2001, section 3) */
    double eta = 0.5 * (pow(2 * alpha / (double)(k - 1), -2.0 / (double)(n0 - 1)) - 1);
    double h2 = 2 * eta * (double)(n0 - 1);
    double *sum = sim_xcalloc(k, sizeof *sum), *s2 = sim_xcalloc(k * k, sizeof *s2);
    double *x = sim_xmalloc(k * n0 * sizeof *x);
    for (size_t r = 0; r < n0; r++)
        for (size_t i = 0; i < k; i++) {
            x[i * n0 + r] = obs(ctx, i, r);
            sum[i] += x[i * n0 + r];
        }
    /* the first stage's variance of each difference */
    for (size_t i = 0; i < k; i++)
        for (size_t l = i + 1; l < k; l++) {
            double mean = (sum[i] - sum[l]) / (double)n0, ss = 0;
            for (size_t r = 0; r < n0; r++) {
                double d = x[i * n0 + r] - x[l * n0 + r] - mean;
                ss += d * d;
            }
            s2[i * k + l] = s2[l * k + i] = ss / (double)(n0 - 1);
        }
    free(x);
    size_t r = n0, nin = k;
    bool *was = sim_xmalloc(k * sizeof *was);
    for (;;) {
        /* screening on the means after r replications: i is out when some
         * other l still in beats it by more than W_il(r) */
        memcpy(was, in, k * sizeof *was);
        for (size_t i = 0; i < k; i++) {
            if (!was[i])
                continue;
            for (size_t l = 0; l < k; l++) {
                if (l == i || !was[l])
                    continue;
                double w = fmax(0, delta / (2 * (double)r) * (h2 * s2[i * k + l] / (delta * delta) - (double)r));
                if (sum[i] / (double)r > sum[l] / (double)r + w) {
                    in[i] = false;
                    nin--;
                    break;
                }
            }
        }
        if (nin <= 1 || r >= max_r)
            break;
        for (size_t i = 0; i < k; i++)   /* one more replication of each still in */
            if (in[i])
                sum[i] += obs(ctx, i, r);
        r++;
    }
    res.used = r;
    res.alive = nin;
    if (nin == 1)
        for (size_t i = 0; i < k; i++)
            if (in[i])
                res.best = i;
    free(was);
    free(sum);
    free(s2);
    if (!alive)
        free(in);
    return res;
}
