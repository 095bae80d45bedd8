/* models/warmup.c — warm-up by MSER-5 over pilot runs (see warmup.h). */
#include "models/warmup.h"
#include "models/flow.h"
#include "sim/mem.h"
#include "sim/mser.h"

#include <math.h>
#include <stdlib.h>

/* One pilot's visits' waits and the instants they ended (service started),
 * in time order. */
struct series {
    double *wait, *at;
    size_t n, cap;
};

static void on_event(void *ctx, const struct mdl_event *ev)
{
    struct series *sr = ctx;
    if (ev->kind != MDL_EV_START || !isfinite(ev->dur))
        return;
    if (sr->n == sr->cap) {
        sr->cap = sr->cap ? 2 * sr->cap : 1024;
        sr->wait = sim_xreallocarray(sr->wait, sr->cap, sizeof *sr->wait);
        sr->at = sim_xreallocarray(sr->at, sr->cap, sizeof *sr->at);
    }
    sr->wait[sr->n] = ev->dur;
    sr->at[sr->n++] = ev->at;
}

void mdl_warmup_choose(struct mdl_scenario *s, uint64_t seed)
{
    if (s->is_day || !s->warmup_auto)
        return;
    struct mdl_scenario pilot = *s;   /* plain data: the same business, no warm-up */
    pilot.warmup_dur = 0;
    pilot.warmup_auto = false;
    /* the pilots' waits, pooled by when they ended: the mean wait of each of
     * MDL_WARMUP_BATCHES stretches of the run over every pilot (an average
     * over runs shows the drift that one run's noise hides) */
    double sum[MDL_WARMUP_BATCHES] = {0}, count[MDL_WARMUP_BATCHES] = {0};
    double width = s->length_dur / MDL_WARMUP_BATCHES;
    for (uint32_t p = 0; p < MDL_WARMUP_PILOTS; p++) {
        struct series sr = {0};
        struct mdl_flow_stats stats;
        /* replication numbers of their own, far above any measured */
        mdl_flow_trace(&pilot, seed, UINT32_C(0x80000000) + p, on_event, &sr, &stats);
        if (stats.overloaded) {
            /* its queues grow without end: no warm-up settles them, and the
             * runs will stop as overloaded too; no more pilots */
            free(sr.wait);
            free(sr.at);
            s->warmup_dur = 0;
            s->warmup_at_limit = true;
            return;
        }
        for (size_t i = 0; i < sr.n; i++) {
            double k = floor(sr.at[i] / width);
            size_t b = k < 0 ? 0 : k >= MDL_WARMUP_BATCHES ? MDL_WARMUP_BATCHES - 1 : (size_t)k;
            sum[b] += sr.wait[i];
            count[b]++;
        }
        free(sr.wait);
        free(sr.at);
    }
    /* a stretch nobody ended a wait in takes the mean of the one before */
    double z[MDL_WARMUP_BATCHES], last = 0;
    for (size_t b = 0; b < MDL_WARMUP_BATCHES; b++)
        z[b] = last = count[b] > 0 ? sum[b] / count[b] : last;
    struct sim_mser m = sim_mser_truncation(z, MDL_WARMUP_BATCHES, 1);
    s->warmup_dur = (double)m.d * width;
    s->warmup_at_limit = m.at_limit;
}
