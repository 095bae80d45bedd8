/* models/workshop.c — a workshop's score of a plan (see workshop.h). */
#include "models/workshop.h"

#include <math.h>

unsigned mdl_workshop_days(const struct mdl_scenario *s)
{
    return s->workshop.days ? s->workshop.days : s->replications;
}

struct mdl_score mdl_workshop_score(const struct mdl_scenario *s, const struct mdl_score_inputs *in)
{
    struct mdl_score sc;
    double completed = in->completed, dropped = in->dropped, csat = in->csat;
    sc.staff = in->staff_cost;
    sc.lost = in->lost_value;
    /* nobody served: no minutes waited by the served, nobody to ask */
    sc.waiting = s->workshop.wait_price * (completed > 0 ? in->wait_total_mean * completed : 0);
    sc.dissatisfaction = s->workshop.dissatisfaction_price *
                         (completed + dropped > 0 ? (1 - (isfinite(csat) ? csat : 0)) * (completed + dropped) : 0);
    sc.total = sc.staff + sc.lost + sc.waiting + sc.dissatisfaction;
    return sc;
}
