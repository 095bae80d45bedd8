/* models/metrics.h — the metrics of spec §3, as one flat vector per
 * replication.
 *
 * A replication's results are one vector of doubles in two halves of
 * mdl_metric_count values each. The first holds the replication's own
 * figures: every department's metrics; every class's journey metrics, then
 * all external and all internal journeys; the cost; drop-outs by journey
 * scope, department and cause; and for day runs, by department and hour of
 * the day (nh bins: the hours from opening, then one for after closing).
 * The second holds each figure's weight, what it is a share or a mean of:
 * for a ratio (a share of customers, a mean per customer) its denominator
 * (customers admitted, served ...), so that over replications every
 * customer weighs the same (spec §3: a ratio of totals); 1 for a per-day
 * amount. NaN marks a value the replication could not measure (the mean
 * wait of a department nobody reached, whose weight is then 0, or every
 * figure of an overloaded replication, whose weights are NaN); intervals
 * leave it out. Names are the spec's.
 *
 * How a metric is estimated over replications is its kind (enum
 * mdl_estimate; docs/estimators.md). Quantiles are not means of the days'
 * quantiles: the waits are pooled over replications (mdl_flow_pool), and a
 * replication's own quantile is kept in its vector for reference only.
 */
#ifndef MDL_METRICS_H
#define MDL_METRICS_H

#include <stddef.h>

enum mdl_dept_metric {
    MDL_DM_ARRIVALS, MDL_DM_WAIT_MEAN, MDL_DM_WAIT_ALL_MEAN, MDL_DM_WAIT_P50, MDL_DM_WAIT_P90,
    MDL_DM_WAIT_P95, MDL_DM_WAIT_MAX, MDL_DM_P_WAIT, MDL_DM_SERVICE_LEVEL, MDL_DM_BALK_RATE,
    MDL_DM_BLOCK_RATE, MDL_DM_ABANDON_RATE, MDL_DM_UTILIZATION, MDL_DM_QUEUE_MEAN, MDL_DM_OVERTIME,
    MDL_DM_OVERRUN, MDL_DM_VISIT_SATISFACTION, MDL_DM
};

enum mdl_journey_metric {
    MDL_JM_COMPLETED, MDL_JM_DROPPED, MDL_JM_DROPOUT_RATE, MDL_JM_SOJOURN_MEAN, MDL_JM_WAIT_TOTAL_MEAN,
    MDL_JM_HANDOFFS_MEAN,
    MDL_JM_REQUEST_DELAY_MEAN, MDL_JM_SATISFACTION_MEAN, MDL_JM_CSAT, MDL_JM_BAND_1, MDL_JM_BAND_2, MDL_JM_BAND_3,
    MDL_JM_BAND_4, MDL_JM_BAND_5, MDL_JM_LOST_VALUE,
    /* what the scores fall short of 5, a mean per customer, by part
     * (mdl_satisfaction_parts, in its order) */
    MDL_JM_SAT_LOSS_QUALITY, MDL_JM_SAT_LOSS_WAITS, MDL_JM_SAT_LOSS_HANDOFFS, MDL_JM_SAT_LOSS_DROPOUT, MDL_JM
};

enum mdl_cost_metric { MDL_CM_STAFF_COST, MDL_CM_LOST_VALUE, MDL_CM_TOTAL_COST, MDL_CM };

/* Why a customer dropped out: turned away by the queue's length (balked),
 * by full waiting places (blocked), gave up waiting (reneged), or was sent
 * home at closing (closed, with after_close: leave). */
enum mdl_drop_cause { MDL_DROP_BALKED, MDL_DROP_BLOCKED, MDL_DROP_RENEGED, MDL_DROP_CLOSED, MDL_DROP };

/* Per department and hour: arrivals, mean wait of those who arrived in the
 * hour and were served, drop-outs in the hour, staff on duty (mean),
 * customers waiting (mean); the service level of those who arrived in the
 * hour (admitted, as the department's), and customers in service (mean:
 * the busy staff, whoever's). */
/* Per pool of cross-trained staff: utilization (busy over present
 * staff-minutes), overtime (staff-minutes after closing), customers it
 * served; then, per department, time_at.DEPT. */
enum mdl_pool_metric { MDL_PM_UTILIZATION, MDL_PM_OVERTIME, MDL_PM_SERVED, MDL_PM };
extern const char *const mdl_pool_metric_names[MDL_PM];
extern const char *const mdl_pool_metric_units[MDL_PM];

enum mdl_hour_metric {
    MDL_HM_ARRIVALS, MDL_HM_WAIT_MEAN, MDL_HM_DROPS, MDL_HM_STAFF, MDL_HM_QUEUE_MEAN, MDL_HM_SERVICE_LEVEL,
    MDL_HM_BUSY, MDL_HM
};

/* How a metric is estimated over replications (spec §3):
 * AMOUNT: a per-day amount (per run in steady state), the mean over
 *   replications (arrivals, costs, queue_mean, wait_max ...);
 * RATIO: a mean per customer or a fraction of minutes, the ratio of totals
 *   (wait_mean, satisfaction_mean, utilization ...);
 * SHARE: a share of customers, the ratio of totals of whole counts, whose
 *   bounds apply when it is seen never or always (service_level, csat ...);
 * QUANTILE: a quantile of every wait pooled over replications. */
enum mdl_estimate { MDL_EST_AMOUNT, MDL_EST_RATIO, MDL_EST_SHARE, MDL_EST_QUANTILE };
extern const enum mdl_estimate mdl_pool_metric_kinds[MDL_PM];

/* Names as they appear in CSV and JSON, and units for reports. */
extern const char *const mdl_dept_metric_names[MDL_DM];
extern const char *const mdl_dept_metric_units[MDL_DM];
extern const char *const mdl_journey_metric_names[MDL_JM];
extern const char *const mdl_journey_metric_units[MDL_JM];
extern const char *const mdl_cost_metric_names[MDL_CM];
extern const char *const mdl_drop_cause_names[MDL_DROP];
extern const char *const mdl_hour_metric_names[MDL_HM];
extern const char *const mdl_hour_metric_units[MDL_HM];
/* Each metric's kind; drop-outs by cause are amounts. */
extern const enum mdl_estimate mdl_dept_metric_kinds[MDL_DM];
extern const enum mdl_estimate mdl_journey_metric_kinds[MDL_JM];
extern const enum mdl_estimate mdl_hour_metric_kinds[MDL_HM];
/* The probability of each quantile metric of a department (wait_p50 ...). */
extern const double mdl_wait_quantiles[3];

/* Offsets into a replication's vector. */
static inline size_t mdl_metric_dept(size_t nc, size_t d, int m)
{
    (void)nc;
    return d * MDL_DM + (size_t)m;
}
static inline size_t mdl_metric_class(size_t nd, size_t c, int m)
{
    return nd * MDL_DM + c * MDL_JM + (size_t)m;
}
/* c = nc: all external journeys; c = nc + 1: all internal journeys. */
static inline size_t mdl_metric_cost(size_t nd, size_t nc, int m)
{
    return nd * MDL_DM + (nc + 2) * MDL_JM + (size_t)m;
}
/* Drop-outs of journey scope c (as for mdl_metric_class) at department d. */
static inline size_t mdl_metric_drop(size_t nd, size_t nc, size_t c, size_t d, int cause)
{
    return mdl_metric_cost(nd, nc, MDL_CM) + (c * nd + d) * MDL_DROP + (size_t)cause;
}
/* Hour bin h (of nh) of department d. */
static inline size_t mdl_metric_hour(size_t nd, size_t nc, size_t nh, size_t d, size_t h, int m)
{
    return mdl_metric_drop(nd, nc, nc + 2, 0, 0) + (d * nh + h) * MDL_HM + (size_t)m;
}
/* Pool p's metric m: MDL_PM of its own, then (m = MDL_PM + d) the share
 * of its busy minutes spent at department d. */
static inline size_t mdl_metric_pool(size_t nd, size_t nc, size_t nh, size_t p, size_t m)
{
    return mdl_metric_hour(nd, nc, nh, nd, 0, 0) + p * (MDL_PM + nd) + m;
}
/* Values in each half of the vector (np pools); the weight of the value at
 * offset i is at count + i. */
static inline size_t mdl_metric_count(size_t nd, size_t nc, size_t nh, size_t np)
{
    return mdl_metric_pool(nd, nc, nh, np, 0);
}
/* Doubles in a replication's vector: values, then weights. */
static inline size_t mdl_metric_stride(size_t nd, size_t nc, size_t nh, size_t np)
{
    return 2 * mdl_metric_count(nd, nc, nh, np);
}

#endif
