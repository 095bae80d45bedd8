/* models/metrics.c — the names and units of spec §3's metrics. */
#include "models/metrics.h"

const char *const mdl_dept_metric_names[MDL_DM] = {
    "arrivals", "wait_mean", "wait_all_mean", "wait_p50", "wait_p90", "wait_p95", "wait_max", "p_wait",
    "service_level", "balk_rate", "block_rate", "abandon_rate", "utilization", "queue_mean", "overtime",
    "overrun", "visit_satisfaction_mean"};
const char *const mdl_dept_metric_units[MDL_DM] = {
    "customers", "min", "min", "min", "min", "min", "min", "share", "share", "share", "share", "share",
    "share", "customers", "staff-min", "staff-min", "score"};
const char *const mdl_journey_metric_names[MDL_JM] = {
    "completed", "dropped", "dropout_rate", "sojourn_mean", "wait_total_mean", "handoffs_mean",
    "request_delay_mean",
    "satisfaction_mean", "csat", "satisfaction_band.1", "satisfaction_band.2", "satisfaction_band.3",
    "satisfaction_band.4", "satisfaction_band.5", "lost_value", "satisfaction_loss.quality",
    "satisfaction_loss.waits", "satisfaction_loss.handoffs", "satisfaction_loss.dropout"};
const char *const mdl_journey_metric_units[MDL_JM] = {
    "customers", "customers", "share", "min", "min", "handoffs", "min", "score", "share", "share", "share", "share",
    "share", "share", "money", "points", "points", "points", "points"};
const char *const mdl_cost_metric_names[MDL_CM] = {"staff_cost", "lost_value", "total_cost"};
const char *const mdl_drop_cause_names[MDL_DROP] = {"balked", "blocked", "reneged", "closed"};
const char *const mdl_hour_metric_names[MDL_HM] = {"arrivals", "wait_mean", "drops", "staff", "queue_mean",
                                                   "service_level", "busy"};
const char *const mdl_hour_metric_units[MDL_HM] = {"customers", "min", "customers", "staff", "customers", "share",
                                                   "staff"};

#define A MDL_EST_AMOUNT
#define R MDL_EST_RATIO
#define S MDL_EST_SHARE
#define Q MDL_EST_QUANTILE
const enum mdl_estimate mdl_dept_metric_kinds[MDL_DM] = {
    A, R, R, Q, Q, Q, A, S, S, S, S, S, R, A, A, A, R};
const enum mdl_estimate mdl_journey_metric_kinds[MDL_JM] = {
    A, A, S, R, R, R, R, R, S, S, S, S, S, S, A, R, R, R, R};
const enum mdl_estimate mdl_hour_metric_kinds[MDL_HM] = {A, R, A, A, A, S, A};
const enum mdl_estimate mdl_pool_metric_kinds[MDL_PM] = {R, A, A};
const char *const mdl_pool_metric_names[MDL_PM] = {"utilization", "overtime", "served"};
const char *const mdl_pool_metric_units[MDL_PM] = {"share", "staff-min", "customers"};
const double mdl_wait_quantiles[3] = {0.5, 0.9, 0.95};
