/* models/workshop.h — a workshop's score of a plan (docs/workshop.md).
 *
 * One number to rank a room's attempts by, in money a day (a run): staff
 * cost, plus the value of the customers lost, plus a price on every minute
 * external customers waited (the served ones' waits, wait_total_mean x
 * completed) and on every external customer who left dissatisfied (scoring
 * below 4, drop-outs included: (1 - csat) x (completed + dropped)). The two
 * prices are the scenario's `workshop:` section. Lower is better.
 */
#ifndef MDL_WORKSHOP_H
#define MDL_WORKSHOP_H

#include "models/scenario.h"

/* What the score is made of: a plan's means a day (a run) over its
 * replications; NaN where not measured. */
struct mdl_score_inputs {
    double staff_cost, lost_value;     /* the plan's */
    double completed, dropped;         /* external journeys: served and lost */
    double wait_total_mean;            /* minutes a served external customer waited in all */
    double csat;                       /* share of external customers scoring 4 or more */
};

struct mdl_score {
    double staff, lost, waiting, dissatisfaction;   /* its parts, means a day */
    double total;                                   /* their sum; NaN when a part is unmeasured */
};

/* The days (runs) each attempt of a workshop on s runs: workshop.days, or
 * the scenario's replications when it has none. */
unsigned mdl_workshop_days(const struct mdl_scenario *s);

/* The score of a plan made of in, under s's workshop prices. */
struct mdl_score mdl_workshop_score(const struct mdl_scenario *s, const struct mdl_score_inputs *in);

#endif
