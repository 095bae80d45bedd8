/* models/satisfaction.c — spec §4's formulas (see satisfaction.h). */
#include "models/satisfaction.h"


double mdl_satisfaction_score(const struct mdl_satisfaction *w, const struct mdl_sat_journey *j, int handoffs,
                              bool completed)
{
    if (!completed || j->visits == 0)
        return w->dropout_score;
    double mean = j->vsum / j->visits;
    return mdl_satisfaction_clamp(w->peak_weight * j->vmin + w->end_weight * j->vlast +
                                  (1 - w->peak_weight - w->end_weight) * mean - w->handoff_penalty * handoffs);
}
