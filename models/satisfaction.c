/* models/satisfaction.c — spec §4's formulas (see satisfaction.h). */
#include "models/satisfaction.h"

#include <math.h>

static double clamp15(double x)
{
    return x < 1 ? 1 : x > 5 ? 5 : x;
}

void mdl_satisfaction_start(struct mdl_sat_journey *j)
{
    j->vmin = INFINITY;
    j->vlast = j->vsum = 0;
    j->visits = 0;
}

double mdl_satisfaction_visit(const struct mdl_satisfaction *w, double quality, double wait_dur,
                              double expect_wait)
{
    double excess = wait_dur > expect_wait ? wait_dur - expect_wait : 0;
    return clamp15(quality - w->wait_weight * excess / expect_wait);
}

void mdl_satisfaction_add(struct mdl_sat_journey *j, double visit)
{
    j->vmin = visit < j->vmin ? visit : j->vmin;
    j->vlast = visit;
    j->vsum += visit;
    j->visits++;
}

double mdl_satisfaction_score(const struct mdl_satisfaction *w, const struct mdl_sat_journey *j, int handoffs,
                              bool completed)
{
    if (!completed || j->visits == 0)
        return w->dropout_score;
    double mean = j->vsum / j->visits;
    return clamp15(w->peak_weight * j->vmin + w->end_weight * j->vlast +
                   (1 - w->peak_weight - w->end_weight) * mean - w->handoff_penalty * handoffs);
}

int mdl_satisfaction_band(double score)
{
    if (!(score >= 2))
        return 0;
    if (score >= 5)
        return 4;
    return (int)floor(score) - 1;
}
