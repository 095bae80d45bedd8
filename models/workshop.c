/* models/workshop.c — a workshop's score of a plan (see workshop.h). */
#include "models/workshop.h"

#include <math.h>

static double mean_of(const struct out_plan *p, enum out_scope_kind kind, const char *scope, const char *name)
{
    const struct out_scope *sc = out_report_scope(p, kind, scope);
    const struct out_metric *m = sc ? out_report_metric(sc, name) : NULL;
    return m ? m->stat.mean : NAN;
}

unsigned mdl_workshop_days(const struct mdl_scenario *s)
{
    return s->workshop.days ? s->workshop.days : s->replications;
}

struct mdl_score mdl_workshop_score(const struct mdl_scenario *s, const struct out_plan *p)
{
    struct mdl_score sc;
    double completed = mean_of(p, OUT_JOURNEY, "external", "completed");
    double dropped = mean_of(p, OUT_JOURNEY, "external", "dropped");
    double waited = mean_of(p, OUT_JOURNEY, "external", "wait_total_mean");
    double csat = mean_of(p, OUT_JOURNEY, "external", "csat");
    sc.staff = mean_of(p, OUT_COST, NULL, "staff_cost");
    sc.lost = mean_of(p, OUT_COST, NULL, "lost_value");
    /* nobody served: no minutes waited by the served, nobody to ask */
    sc.waiting = s->workshop.wait_price * (completed > 0 ? waited * completed : 0);
    sc.dissatisfaction = s->workshop.dissatisfaction_price *
                         (completed + dropped > 0 ? (1 - (isfinite(csat) ? csat : 0)) * (completed + dropped) : 0);
    sc.total = sc.staff + sc.lost + sc.waiting + sc.dissatisfaction;
    return sc;
}
