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

void mdl_satisfaction_parts(const struct mdl_satisfaction *w, const struct mdl_sat_journey *j, int handoffs,
                            bool completed, double parts[MDL_SAT_PARTS])
{
    for (int k = 0; k < MDL_SAT_PARTS; k++)
        parts[k] = 0;
    if (!completed || j->visits == 0) {
        parts[MDL_SAT_DROPOUT] = 5 - w->dropout_score;
        return;
    }
    double rest = 1 - w->peak_weight - w->end_weight;
    double q = w->peak_weight * j->qmin + w->end_weight * j->qlast + rest * (j->qsum / j->visits);
    double v = w->peak_weight * j->vmin + w->end_weight * j->vlast + rest * (j->vsum / j->visits);
    parts[MDL_SAT_QUALITY] = 5 - q;
    parts[MDL_SAT_WAITS] = q - v;
    /* the score is mdl_satisfaction_score's sum, term for term: v less the penalty, clamped */
    parts[MDL_SAT_HANDOFFS] = v - mdl_satisfaction_clamp(v - w->handoff_penalty * handoffs);
}
