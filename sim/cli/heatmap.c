/* sim/cli/heatmap.c — the heat map of `cxsim sweep --format html`: which
 * two swept parameters and which metric (--x, --y, --metric), checked
 * before anything runs, then the values read from the sweep's database.
 *
 * --metric names a metric as the JSON report nests it: cost.total_cost
 * (the default), departments.NAME.METRIC, journeys.external.METRIC,
 * classes.NAME.METRIC. --x and --y name axes of the grid (the first two by
 * default). With more than two axes, the others are held at the values of
 * the best plan of the ranking.
 */
#include "sim/cli/heatmap.h"
#include "sim/cli/cli.h"

#include "models/metrics.h"
#include "models/scenario.h"
#include "output/html.h"
#include "output/sweepdb.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* The index of the axis called path, or -1. */
static int axis_of(const struct out_sweep_meta *m, const char *path)
{
    for (size_t a = 0; a < m->naxes; a++)
        if (!strcmp(m->axes[a].path, path))
            return (int)a;
    return -1;
}

static bool in_list(const char *name, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(name, list[i]))
            return true;
    return false;
}

bool cli_metric_of(const struct mdl_scenario *s, const char *text, int *kind, char *scope_out, size_t scope_len,
                   char *metric_out, size_t metric_len)
{
    /* scope.name.metric, or cost.metric */
    char scope[64] = "", name[64] = "";   /* names are at most 40 characters */
    const char *dot = strchr(text, '.'), *rest = dot ? dot + 1 : "";
    snprintf(scope, sizeof scope, "%.*s", dot ? (int)(dot - text) : 0, text);
    bool ok = false;
    if (!strcmp(scope, "cost")) {
        *kind = OUT_COST;
        ok = in_list(rest, mdl_cost_metric_names, MDL_CM);
    } else {
        const char *dot2 = strchr(rest, '.');
        snprintf(name, sizeof name, "%.*s", dot2 ? (int)(dot2 - rest) : 0, rest);
        rest = dot2 ? dot2 + 1 : "";
        if (!strcmp(scope, "departments")) {
            *kind = OUT_DEPARTMENT;
            ok = mdl_scenario_dept(s, name) >= 0 && in_list(rest, mdl_dept_metric_names, MDL_DM);
        } else if (!strcmp(scope, "journeys") || !strcmp(scope, "classes")) {
            *kind = scope[0] == 'j' ? OUT_JOURNEY : OUT_CLASS;
            ok = (scope[0] == 'j' ? !strcmp(name, "external") || !strcmp(name, "internal")
                                  : mdl_scenario_class(s, name) >= 0) &&
                 in_list(rest, mdl_journey_metric_names, MDL_JM);
        }
    }
    snprintf(scope_out, scope_len, "%s", name);
    snprintf(metric_out, metric_len, "%s", rest);
    return ok;
}

int cli_heatmap_check(const struct mdl_scenario *s, const struct out_sweep_meta *m, struct cli_heatmap *hm,
                      struct sim_err *err)
{
    const char *metric = hm->metric ? hm->metric : "cost.total_cost";
    if (m->naxes == 0)
        return SIM_OK;
    /* an axis not given is the first one that the other is not */
    hm->y = hm->y_path ? axis_of(m, hm->y_path) : -1;
    hm->x = hm->x_path ? axis_of(m, hm->x_path) : hm->y == 0 ? 1 : 0;
    if (!hm->y_path && m->naxes > 1)
        hm->y = hm->x == 0 ? 1 : 0;
    if (hm->x >= (int)m->naxes)
        hm->x = -1;
    if (hm->x < 0 && !hm->x_path)
        return sim_err_set(err, SIM_EUSAGE, "--y names the sweep's only axis: the heat map needs it as --x");
    if (hm->x < 0 || (hm->y_path && hm->y < 0)) {
        const char *bad = hm->x < 0 ? hm->x_path : hm->y_path;
        return sim_err_set(err, SIM_EUSAGE, "--%s %s is not an axis of this sweep (its axes: %s%s%s)",
                           hm->x < 0 ? "x" : "y", bad, m->axes[0].path, m->naxes > 1 ? ", " : "",
                           m->naxes > 1 ? m->axes[1].path : "");
    }
    if (hm->x == hm->y)
        return sim_err_set(err, SIM_EUSAGE, "--x and --y must name two different axes");
    if (!cli_metric_of(s, metric, &hm->kind, hm->scope_name, sizeof hm->scope_name, hm->metric_name,
                       sizeof hm->metric_name))
        return sim_err_set(err, SIM_EUSAGE, "--metric must name a metric as the JSON report does, as in "
                                            "cost.total_cost or departments.%s.wait_mean, got '%s'",
                           s->depts[0].name, metric);
    snprintf(hm->label, sizeof hm->label, "%s", metric);
    hm->on = true;
    return SIM_OK;
}

struct fill {
    struct cli_heatmap *hm;
    const struct out_sweep_meta *m;
    const struct out_sweep_row *best;
    double *value;
};

/* The index of value v among axis a's values, or -1. */
static int value_of(const struct out_sweep_meta *m, int a, const char *v)
{
    for (size_t k = 0; k < m->axes[a].nvalues; k++)
        if (!strcmp(m->axes[a].values[k], v))
            return (int)k;
    return -1;
}

static int fill_plan(void *ctx, uint64_t p, const struct out_plan *plan, struct sim_err *err)
{
    (void)p;
    (void)err;
    struct fill *fl = ctx;
    struct cli_heatmap *hm = fl->hm;
    int i = -1, j = hm->y < 0 ? 0 : -1;
    for (size_t k = 0; k < plan->nparams; k++) {
        int a = axis_of(fl->m, plan->params[k].path);
        if (a == hm->x)
            i = value_of(fl->m, a, plan->params[k].value);
        else if (a == hm->y)
            j = value_of(fl->m, a, plan->params[k].value);
        else if (a >= 0 && fl->best && strcmp(plan->params[k].value, fl->best->values[a]))
            return SIM_OK;   /* another axis, not at the best plan's value */
    }
    if (i < 0 || j < 0)
        return SIM_OK;
    const struct out_scope *sc =
        out_report_scope(plan, (enum out_scope_kind)hm->kind, hm->kind == OUT_COST ? NULL : hm->scope_name);
    const struct out_metric *mt = sc ? out_report_metric(sc, hm->metric_name) : NULL;
    fl->value[(size_t)j * fl->m->axes[hm->x].nvalues + (size_t)i] = mt ? mt->stat.mean : NAN;
    return SIM_OK;
}

int cli_heatmap_fill(struct out_sweepdb *db, const struct out_sweep_meta *m, const struct out_sweep_ranking *rk,
                     struct cli_heatmap *hm, struct sim_arena *arena, struct out_heatmap *out, struct sim_err *err)
{
    memset(out, 0, sizeof *out);
    if (!hm->on)
        return SIM_OK;
    size_t nx = m->axes[hm->x].nvalues, ny = hm->y < 0 ? 1 : m->axes[hm->y].nvalues;
    double *value = sim_arena_alloc(arena, nx * ny * sizeof *value);
    for (size_t k = 0; k < nx * ny; k++)
        value[k] = NAN;
    struct fill fl = {hm, m, m->naxes > 2 && rk->nrows ? &rk->rows[0] : NULL, value};
    if (out_sweepdb_each(db, fill_plan, &fl, err))
        return err->code;
    static const char *const none[] = {""};
    *out = (struct out_heatmap){m->axes[hm->x].path, hm->y < 0 ? "" : m->axes[hm->y].path, hm->label,
                                fl.best ? fl.best->name : NULL, nx, ny, m->axes[hm->x].values,
                                hm->y < 0 ? none : m->axes[hm->y].values, value};
    return SIM_OK;
}
