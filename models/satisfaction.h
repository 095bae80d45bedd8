/* models/satisfaction.h — spec §4: a customer's satisfaction, 1 to 5.
 *
 * A visit scores the department's quality less the wait beyond what the
 * customer tolerates there, in units of that tolerance; a journey scores by
 * the peak-end rule (its worst visit, its last visit, the mean of all) less a
 * penalty per handoff; a drop-out scores dropout_score. Both clamp to 1..5.
 * What a score falls short of 5 splits into four parts that add up to it
 * exactly: the departments' own quality, the waits beyond what the
 * customer tolerates, the handoffs, dropping out (mdl_satisfaction_parts;
 * docs/satisfaction.md). Pure arithmetic: no state but the journey's
 * running summary, so the model and the tests compute scores the same way.
 */
#ifndef MDL_SATISFACTION_H
#define MDL_SATISFACTION_H

#include "models/scenario.h"

#include <math.h>
#include <stdbool.h>

/* The running summary of a journey's visits: their scores, and the
 * qualities of the departments visited (what the scores would have been
 * without a wait). Initialise with mdl_satisfaction_start. */
struct mdl_sat_journey {
    double vmin, vlast, vsum;
    double qmin, qlast, qsum;
    int visits;
};

/* The parts of 5 less a journey's score (mdl_satisfaction_parts). */
enum mdl_sat_part { MDL_SAT_QUALITY, MDL_SAT_WAITS, MDL_SAT_HANDOFFS, MDL_SAT_DROPOUT, MDL_SAT_PARTS };

#define MDL_SAT_BANDS 5

/* Clamps a score to the survey's scale, 1 to 5 (NaN to 1). Both bounds
 * computed, then one chosen: compilers make this a max, a min and a blend,
 * where the plain ternary chain becomes a branch that mispredicts whenever
 * waits make scores vary (docs/performance.md). */
static inline double mdl_satisfaction_clamp(double x)
{
    double lo = x > 1 ? x : 1, hi = x < 5 ? x : 5;
    return x > 5 ? hi : lo;
}

static inline void mdl_satisfaction_start(struct mdl_sat_journey *j)
{
    j->vmin = j->qmin = INFINITY;
    j->vlast = j->vsum = j->qlast = j->qsum = 0;
    j->visits = 0;
}

/* The score of one visit: quality of the department, wait there (including
 * waits on internal requests), tolerated wait expect_wait (> 0). */
static inline double mdl_satisfaction_visit(const struct mdl_satisfaction *w, double quality, double wait_dur,
                                            double expect_wait)
{
    double excess = wait_dur - expect_wait;
    excess = excess > 0 ? excess : 0;   /* a max: no branch */
    return mdl_satisfaction_clamp(quality - w->wait_weight * excess / expect_wait);
}

/* Adds a visit's score to the journey, with the quality of the department
 * it was at. */
static inline void mdl_satisfaction_add(struct mdl_sat_journey *j, double visit, double quality)
{
    j->vmin = visit < j->vmin ? visit : j->vmin;
    j->vlast = visit;
    j->vsum += visit;
    j->qmin = quality < j->qmin ? quality : j->qmin;
    j->qlast = quality;
    j->qsum += quality;
    j->visits++;
}

/* The journey's score: the peak-end rule for a completed journey with at
 * least one visit, dropout_score otherwise. */
double mdl_satisfaction_score(const struct mdl_satisfaction *w, const struct mdl_sat_journey *j, int handoffs,
                              bool completed);

/* What the journey's score (mdl_satisfaction_score's) falls short of 5,
 * in parts that add up to it: a drop-out's all in MDL_SAT_DROPOUT (5 less
 * dropout_score); a completed journey's in
 *   MDL_SAT_QUALITY: 5 less Q, the peak-end rule applied to the qualities
 *     of the departments visited (the score without a wait or a handoff);
 *   MDL_SAT_WAITS: Q less V, the rule applied to the visits' scores (what
 *     the waits beyond the tolerated took, through the worst visit, the
 *     last and the mean alike);
 *   MDL_SAT_HANDOFFS: V less the score (the handoffs' penalty, less what
 *     the clamp at 1 gives back).
 * Each part is at least 0, since a visit never scores above its quality. */
void mdl_satisfaction_parts(const struct mdl_satisfaction *w, const struct mdl_sat_journey *j, int handoffs,
                            bool completed, double parts[MDL_SAT_PARTS]);

/* The band of a score, 0..4: band k (shown as k + 1) holds scores from k + 1
 * up to but not including k + 2; the last band holds exactly 5. Bands 4 and
 * 5 together are the CSAT (score >= 4). */
static inline int mdl_satisfaction_band(double score)
{
    return (int)mdl_satisfaction_clamp(score) - 1;   /* in 1..5: truncation is the floor */
}

#endif
