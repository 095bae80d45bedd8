/* sim/tally.c — tallies on gsl_rstat and time-weighted levels (see tally.h). */
#include "sim/tally.h"
#include "sim/mem.h"

#include <assert.h>
#include <math.h>

void sim_tally_init(struct sim_tally *t, bool quantiles)
{
    t->rs = gsl_rstat_alloc();
    if (!t->rs)
        sim_oom(sizeof *t->rs); /* gsl_rstat_alloc's only failure */
    t->q = quantiles ? sim_qhist_create(SIM_TALLY_Q_LO, SIM_TALLY_Q_HI, SIM_TALLY_Q_REL) : NULL;
}

void sim_tally_fini(struct sim_tally *t)
{
    if (t->rs)
        gsl_rstat_free(t->rs);
    sim_qhist_destroy(t->q);
    t->rs = NULL;
    t->q = NULL;
}

void sim_tally_reset(struct sim_tally *t)
{
    gsl_rstat_reset(t->rs);
    if (t->q)
        sim_qhist_reset(t->q);
}

void sim_tally_add(struct sim_tally *t, double x)
{
    gsl_rstat_add(x, t->rs);
    if (t->q)
        sim_qhist_add(t->q, x);
}

size_t sim_tally_n(const struct sim_tally *t)
{
    return gsl_rstat_n(t->rs);
}

double sim_tally_mean(const struct sim_tally *t)
{
    return gsl_rstat_n(t->rs) ? gsl_rstat_mean(t->rs) : NAN;
}

double sim_tally_sd(const struct sim_tally *t)
{
    return gsl_rstat_n(t->rs) > 1 ? gsl_rstat_sd(t->rs) : NAN;
}

double sim_tally_min(const struct sim_tally *t)
{
    return gsl_rstat_n(t->rs) ? gsl_rstat_min(t->rs) : NAN;
}

double sim_tally_max(const struct sim_tally *t)
{
    return gsl_rstat_n(t->rs) ? gsl_rstat_max(t->rs) : NAN;
}

double sim_tally_quantile(const struct sim_tally *t, double p)
{
    return t->q ? sim_qhist_quantile(t->q, p) : NAN;
}

void sim_level_init(struct sim_level *l, double at, double level)
{
    l->level = level;
    l->since = at;
    l->start = at;
    l->area = 0;
    l->max = level;
}

void sim_level_set(struct sim_level *l, double at, double level)
{
    assert(at >= l->since && "level changed in the past");
    l->area += l->level * (at - l->since);
    l->level = level;
    l->since = at;
    if (level > l->max)
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
