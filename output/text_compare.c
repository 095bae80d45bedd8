/* output/text_compare.c — the text report of a comparison (cxsim compare).
 *
 * First one sentence per plan (output/verdict.h), then one table per plan:
 * the figures a manager weighs — waits and service levels by department,
 * drop-outs, satisfaction, cost — for the baseline and the plan, each with
 * its 95% interval, and their paired difference with its own interval.
 * Fits 100 columns for names of up to 40 characters.
 */
#include "output/text.h"
#include "output/textfmt.h"
#include "output/verdict.h"

#include <errno.h>
#include <string.h>

/* One row: the baseline's figure, the plan's, and their difference. */
static void row(struct oui_txt_table *t, const char *label, const struct out_scope *base,
                const struct out_scope *sc, const char *name)
{
    const struct out_metric *m = sc ? out_report_metric(sc, name) : NULL;
    if (!m)
        return;
    struct oui_txt_row *r = oui_txt_row(t, "  %s", label);
    oui_txt_cell(r->cells[0], OUI_TXT_CELL, base, name, true);
    oui_txt_stat(r->cells[1], OUI_TXT_CELL, m, true);
    oui_txt_diff(r->cells[2], OUI_TXT_CELL, m);
}

static void plan_table(FILE *f, const struct out_report *r, const struct out_plan *p)
{
    const struct out_plan *b = &r->plans[0];
    struct oui_txt_table t = {.title = p->name, .ncols = 3, .head = {"baseline", "this plan", "difference"}};
    static const char *const dept_metrics[][2] = {{"Wait (mean)", "wait_mean"},
                                                  {"Wait, 1 in 10 waits longer", "wait_p90"},
                                                  {"Started within the target", "service_level"}};
    for (size_t k = 0; k < 3; k++) {
        oui_txt_row(&t, "%s", dept_metrics[k][0]);
        for (size_t i = 0; i < p->nscopes; i++)
            if (p->scopes[i].kind == OUT_DEPARTMENT)
                row(&t, p->scopes[i].name, out_report_scope(b, OUT_DEPARTMENT, p->scopes[i].name), &p->scopes[i],
                    dept_metrics[k][1]);
    }
    const struct out_scope *ext = out_report_scope(p, OUT_JOURNEY, "external");
    const struct out_scope *bext = out_report_scope(b, OUT_JOURNEY, "external");
    const struct out_scope *in = out_report_scope(p, OUT_JOURNEY, "internal");
    const struct out_scope *bin = out_report_scope(b, OUT_JOURNEY, "internal");
    oui_txt_row(&t, "External customers");
    row(&t, r->is_day ? "served a day" : "served", bext, ext, "completed");
    row(&t, r->is_day ? "lost a day" : "lost", bext, ext, "dropped");
    row(&t, "share lost", bext, ext, "dropout_rate");
    row(&t, "time inside", bext, ext, "sojourn_mean");
    row(&t, "satisfaction", bext, ext, "satisfaction_mean");
    row(&t, "CSAT", bext, ext, "csat");
    if (in && out_report_metric(in, "completed") && oui_txt_mean(in, "completed") > 0) {
        oui_txt_row(&t, "Internal customers");
        row(&t, "satisfaction", bin, in, "satisfaction_mean");
        row(&t, "external wait on requests", bext, ext, "request_delay_mean");
    }
    const struct out_scope *cost = out_report_scope(p, OUT_COST, NULL), *bcost = out_report_scope(b, OUT_COST, NULL);
    oui_txt_row(&t, r->is_day ? "Cost a day" : "Cost a run");
    row(&t, "staff", bcost, cost, "staff_cost");
    row(&t, "lost value", bcost, cost, "lost_value");
    row(&t, "total", bcost, cost, "total_cost");
    oui_txt_print(&t, f);
    char bg[1200], pg[1200];
    if (*oui_txt_goals(bg, sizeof bg, b) || *oui_txt_goals(pg, sizeof pg, p))
        oui_txt_paragraph(f, "Goals of the baseline: %s; of this plan: %s.", oui_txt_goals(bg, sizeof bg, b),
                          oui_txt_goals(pg, sizeof pg, p));
    if (p->overloaded)
        fprintf(f, "  warning: %u replication%s of this plan stopped as overloaded: the pairs leave %s out\n",
                p->overloaded, p->overloaded == 1 ? " was" : "s were", p->overloaded == 1 ? "it" : "them");
    fputc('\n', f);
}

int out_text_compare_write(const struct out_report *r, FILE *f, struct sim_err *err)
{
    size_t variants = r->nplans ? r->nplans - 1 : 0;
    fprintf(f, "%s: %zu plan%s against the baseline\n", r->scenario, variants, variants == 1 ? "" : "s");
    char what[160];
    oui_txt_span(what, sizeof what, r, "");
    oui_txt_paragraph(f, "%s, seed %llu. Every plan meets the same customers on the same %s (common random "
                         "numbers), so each difference is paired; ± and (a to b) are 95%% intervals.",
                      what, (unsigned long long)r->seed, r->is_day ? "days" : "runs");
    char chosen[256];
    if (*oui_txt_auto_reps(chosen, sizeof chosen, r))
        oui_txt_paragraph(f, "%s", chosen);
    if (r->nplans && r->plans[0].overloaded)
        fprintf(f, "warning: %u replication%s of the baseline stopped as overloaded (too many customers inside)\n",
                r->plans[0].overloaded, r->plans[0].overloaded == 1 ? " was" : "s were");
    fprintf(f, "\nIn short\n");
    char sentence[1024];
    for (size_t p = 1; p < r->nplans; p++)
        oui_txt_bullet(f, "%s", out_verdict(r, &r->plans[p], sentence, sizeof sentence));
    fputc('\n', f);
    for (size_t p = 1; p < r->nplans; p++)
        plan_table(f, r, &r->plans[p]);
    fprintf(f, "(difference: this plan minus the baseline, day by day; \"no clear difference\" when its\n"
               " interval holds zero; shares in points; the baseline's full report: cxsim run)\n");
    if (ferror(f))
        return sim_err_set(err, SIM_EIO, "cannot write the report: %s", strerror(errno));
    return SIM_OK;
}
