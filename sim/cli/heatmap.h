/* sim/cli/heatmap.h — the heat map of a sweep's HTML report: --x, --y and
 * --metric checked against the sweep before anything runs, then filled
 * from its database (heatmap.c). Internal to sim/cli/ (sweep.c).
 */
#ifndef CLI_HEATMAP_H
#define CLI_HEATMAP_H

#include "sim/err.h"
#include "sim/mem.h"

#include <stdbool.h>

struct mdl_scenario;
struct out_sweep_meta;
struct out_sweep_ranking;
struct out_sweepdb;
struct out_heatmap;

/* --x, --y and --metric as given (NULL: the defaults), then what they name. */
struct cli_heatmap {
    const char *x_path, *y_path, *metric;
    bool on;              /* checked, and the sweep has axes */
    int x, y;             /* axes; y -1 with one axis */
    int kind;             /* enum out_scope_kind of the metric's scope */
    char scope_name[64], metric_name[128], label[256];
};

/* A metric named as the JSON report names it (cost.total_cost,
 * departments.NAME.wait_mean, journeys.external.csat, classes.NAME.M),
 * checked against s: its scope's kind (enum out_scope_kind), the scope's
 * name ("" for cost) and the metric's. false when s has none so named. */
bool cli_metric_of(const struct mdl_scenario *s, const char *text, int *kind, char *scope, size_t scope_len,
                   char *metric, size_t metric_len);

/* Checks hm's options against the sweep m of scenario s (64 when they name
 * no axis or no metric). */
int cli_heatmap_check(const struct mdl_scenario *s, const struct out_sweep_meta *m, struct cli_heatmap *hm,
                      struct sim_err *err);
/* Reads the heat map's values from db into out (arrays in arena); with
 * more than two axes the others are held at the best plan of rk. */
int cli_heatmap_fill(struct out_sweepdb *db, const struct out_sweep_meta *m, const struct out_sweep_ranking *rk,
                     struct cli_heatmap *hm, struct sim_arena *arena, struct out_heatmap *out, struct sim_err *err);

#endif
