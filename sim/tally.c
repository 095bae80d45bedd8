/* sim/tally.c — tallies (Welford moments, a quantile histogram) and time-weighted levels (see tally.h). */
#include "sim/tally.h"
#include "sim/mem.h"

#include <assert.h>
#include <math.h>

void sim_tally_init(struct sim_tally *t, bool quantiles)
{
    t->n = 0;
    t->mean = t->m2 = 0;
    t->min = INFINITY;
    t->max = -INFINITY;
    t->q = quantiles ? sim_qhist_create(SIM_TALLY_Q_LO, SIM_TALLY_Q_HI, SIM_TALLY_Q_REL) : NULL;
}

void sim_tally_fini(struct sim_tally *t)
{
    sim_qhist_destroy(t->q);
    t->q = NULL;
}

void sim_tally_reset(struct sim_tally *t)
{
    struct sim_qhist *q = t->q;
    sim_tally_init(t, false);
    t->q = q;
    if (q)
        sim_qhist_reset(q);
}

void sim_tally_add(struct sim_tally *t, double x)
{
    /* Welford: the mean and the sum of squared deviations, updated */
    t->n++;
    double d = x - t->mean;
    t->mean += d / (double)t->n;
    t->m2 += d * (x - t->mean);
    t->min = x < t->min ? x : t->min;
    t->max = x > t->max ? x : t->max;
    if (t->q)
        sim_qhist_add(t->q, x);
}

size_t sim_tally_n(const struct sim_tally *t)
{
    return t->n;
}

double sim_tally_mean(const struct sim_tally *t)
{
    return t->n ? t->mean : NAN;
}

double sim_tally_sd(const struct sim_tally *t)
{
    return t->n > 1 ? sqrt(t->m2 / (double)(t->n - 1)) : NAN;
}

double sim_tally_min(const struct sim_tally *t)
{
    return t->n ? t->min : NAN;
}

double sim_tally_max(const struct sim_tally *t)
{
    return t->n ? t->max : NAN;
}

double sim_tally_quantile(const struct sim_tally *t, double p)
{
    return t->q ? sim_qhist_quantile(t->q, p) : NAN;
}

void sim_tally_quantiles(const struct sim_tally *t, const double *p, double *x, size_t n)
{
    if (t->q) {
        sim_qhist_quantiles(t->q, p, x, n);
        return;
    }
    for (size_t i = 0; i < n; i++)
        x[i] = NAN;
}

void sim_level_init(struct sim_level *l, double at, double level)
{
    l->level = level;
    l->since = at;
    l->start = at;
    l->area = 0;
    l->max = level;
}


void sim_level_add(struct sim_level *l, double at, double delta)
{
    sim_level_set(l, at, l->level + delta);
}

void sim_level_restart(struct sim_level *l, double at)
{
    sim_level_init(l, at, l->level);
}

double sim_level_area(const struct sim_level *l, double at)
{
    assert(at >= l->since);
    return l->area + l->level * (at - l->since);
}

double sim_level_mean(const struct sim_level *l, double at)
{
    return at > l->start ? sim_level_area(l, at) / (at - l->start) : NAN;
}
