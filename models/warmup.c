/* models/warmup.c — warm-up by MSER-5 over pilot runs (see warmup.h). */
#include "models/warmup.h"
#include "models/flow.h"
#include "sim/mem.h"
#include "sim/mser.h"

#include <math.h>
#include <stdlib.h>

/* One pilot's visits' waits and the instants they ended, in time order. */
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

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

void mdl_warmup_choose(struct mdl_scenario *s, uint64_t seed)
{
    if (s->is_day || !s->warmup_auto)
        return;
    struct mdl_scenario pilot = *s;   /* plain data: the same business, no warm-up */
    pilot.warmup_dur = 0;
    pilot.warmup_auto = false;
    double chosen[MDL_WARMUP_PILOTS];
    size_t at_limit = 0;
    for (uint32_t p = 0; p < MDL_WARMUP_PILOTS; p++) {
        struct series sr = {0};
        struct mdl_flow_stats stats;
        /* replication numbers of their own, far above any measured */
        mdl_flow_trace(&pilot, seed, UINT32_C(0x80000000) + p, on_event, &sr, &stats);
        struct sim_mser m = sim_mser_truncation(sr.wait, sr.n, SIM_MSER_BATCH);
        chosen[p] = m.warmup > 0 && m.warmup <= sr.n ? sr.at[m.warmup - 1] : 0;
        at_limit += m.at_limit;
        free(sr.wait);
        free(sr.at);
    }
    qsort(chosen, MDL_WARMUP_PILOTS, sizeof *chosen, by_value);
    s->warmup_dur = chosen[MDL_WARMUP_PILOTS / 2];
    s->warmup_at_limit = 2 * at_limit > MDL_WARMUP_PILOTS;   /* most pilots were still drifting */
}
