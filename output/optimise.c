/* output/optimise.c — cxsim optimise's report (see optimise.h). */
#include "output/optimise.h"
#include "output/json.h"
#include "output/text.h"
#include "output/textfmt.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <string.h>

/* The staff cost's paired difference in the check (the found plan's), or NULL. */
static const struct out_metric *saving_of(const struct out_report *check, const char *name)
{
    if (check->nplans < 2)
        return NULL;
    const struct out_metric *m = out_report_metric(out_report_scope(&check->plans[1], OUT_COST, NULL), name);
    return m && m->diff ? m : NULL;
}

static void verdict_sentence(FILE *f, const struct out_optimise *op, const struct out_report *check)
{
    const char *cost = op->objective;
    const struct out_metric *base = check->nplans ? out_report_metric(out_report_scope(&check->plans[0], OUT_COST, NULL), cost) : NULL;
    const struct out_metric *found = saving_of(check, cost);
    char a[32], b[32], d[96], goals[256];
    if (!op->feasible) {
        oui_txt_paragraph(f, "No staffing within the bounds (%ld to %ld a department) meets every requirement: %s. "
                             "The check below is of the closest found, every head count at its most where it fell short.",
                          op->staff_min, op->staff_max, op->why_not ? op->why_not : "");
        return;
    }
    enum out_verdict v = check->nplans > 1 ? out_plan_verdict(&check->plans[1], NULL, NULL, NULL, 0) : OUT_MISSED;
    oui_txt_goals(goals, sizeof goals, check->nplans > 1 ? &check->plans[1] : NULL);
    const char *word = !strcmp(cost, "total_cost") ? "total cost" : "staff cost";
    const char *each = check->is_day ? "day" : "run";
    if (found && base)
        oui_txt_paragraph(f, "%s has a %s of %s a %s against the baseline's %s: %s. Its goals on the check's "
                             "%ss: %s.",
                          v == OUT_MET ? "The cheapest staffing found that meets every goal" : "The staffing found",
                          word, oui_txt_money(a, sizeof a, found->stat.mean), each,
                          oui_txt_money(b, sizeof b, base->stat.mean), oui_txt_diff(d, sizeof d, found), each, goals);
    if (v != OUT_MET)
        oui_txt_paragraph(f, "Not every goal is met with 95%% confidence on the check's %ss: read the goals below "
                             "before you use it (a goal of a department it does not change, or a head count at its "
                             "bound of %ld, can keep it short).",
                          check->is_day ? "day" : "run", op->staff_max);
}

static void table(FILE *f, const struct out_optimise *op)
{
    char from[8], to[8];
    fprintf(f, "\nHead count %s, the baseline's → the one found (the load: customers in service when\n"
               "staff is ample)\n\n", op->interval_dur > 0 ? "by interval" : "for the run");
    fprintf(f, "%-11s", op->interval_dur > 0 ? "interval" : "");
    for (size_t d = 0; d < op->ndepts; d++)
        fprintf(f, d + 1 < op->ndepts ? "  %-18s" : "  %s", op->depts[d]);
    fprintf(f, "\n");
    for (size_t b = 0; b < op->nbins; b++) {
        if (op->interval_dur > 0)
            fprintf(f, "%s-%s", out_clock(from, sizeof from, op->from_at[b]), out_clock(to, sizeof to, op->to_at[b]));
        else
            fprintf(f, "%-11s", "the run");
        for (size_t d = 0; d < op->ndepts; d++) {
            size_t i = d * op->nbins + b;
            char cell[40];
            snprintf(cell, sizeof cell, "%ld → %ld (%.1f)", op->baseline[i], op->found[i], op->load[i]);
            fprintf(f, d + 1 < op->ndepts ? "  %-18s" : "  %s", cell);
        }
        fprintf(f, "\n");
    }
}

int out_optimise_text_write(const struct out_optimise *op, const struct out_report *check, FILE *f,
                            struct sim_err *err)
{
    char days[32];
    fprintf(f, "cxsim optimise: %s\n", check->scenario);
    snprintf(days, sizeof days, "%.0f", op->days);
    oui_txt_group(days, sizeof days);
    char every[48] = "";
    if (op->interval_dur > 0)
        snprintf(every, sizeof every, " that may change every %.0f minutes", op->interval_dur);
    oui_txt_paragraph(f, "Searched %zu plans, each on the same %u %s (seed %llu; %s %s in all): head counts "
                         "from %ld to %ld%s, at the least %s.",
                      op->evaluated, op->search_reps, check->is_day ? "days" : "runs",
                      (unsigned long long)op->search_seed, days, check->is_day ? "days" : "runs",
                      op->staff_min, op->staff_max, every,
                      !strcmp(op->objective, "total_cost") ? "total cost (staff and lost value)" : "staff cost");
    if (op->raised)
        oui_txt_paragraph(f, "The check did not settle every goal at first: %u %s added where service was weakest.",
                          op->raised, op->raised == 1 ? "person was" : "people were");
    fprintf(f, "\n");
    verdict_sentence(f, op, check);
    table(f, op);
    if (op->saved)
        fprintf(f, "\nSaved as %s (cxsim run, compare, sweep and the workshop read it).\n", op->saved);
    fprintf(f, "\nThe check: the baseline against the staffing found, on other days\n\n");
    return out_text_write(check, f, err);
}

int out_optimise_json_write(const struct out_optimise *op, const struct out_report *check, FILE *f,
                            struct sim_err *err)
{
    json_t *o = json_object();
    json_object_set_new(o, "objective", json_string(op->objective));
    json_object_set_new(o, "interval", op->interval_dur > 0 ? json_real(op->interval_dur) : json_null());
    json_object_set_new(o, "staff", json_pack("{s:I,s:I}", "min", (json_int_t)op->staff_min, "max",
                                              (json_int_t)op->staff_max));
    json_object_set_new(o, "feasible", json_boolean(op->feasible));
    json_object_set_new(o, "why_not", op->why_not && !op->feasible ? json_string(op->why_not) : json_null());
    json_object_set_new(o, "plans_evaluated", json_integer((json_int_t)op->evaluated));
    json_object_set_new(o, "days_per_plan", json_integer(op->search_reps));
    json_object_set_new(o, "raised_after_check", json_integer(op->raised));
    json_t *depts = json_object();
    for (size_t d = 0; d < op->ndepts; d++) {
        json_t *rows = json_array();
        for (size_t b = 0; b < op->nbins; b++) {
            size_t i = d * op->nbins + b;
            char from[8], to[8];
            json_t *row = json_object();
            if (op->interval_dur > 0) {
                json_object_set_new(row, "from", json_string(out_clock(from, sizeof from, op->from_at[b])));
                json_object_set_new(row, "to", json_string(out_clock(to, sizeof to, op->to_at[b])));
            }
            json_object_set_new(row, "baseline", json_integer(op->baseline[i]));
            json_object_set_new(row, "start", json_integer(op->start[i]));
            json_object_set_new(row, "found", json_integer(op->found[i]));
            json_object_set_new(row, "load", isfinite(op->load[i]) ? json_real(op->load[i]) : json_null());
            json_object_set_new(row, "service_level", isfinite(op->level[i]) ? json_real(op->level[i]) : json_null());
            json_array_append_new(rows, row);
        }
        json_object_set_new(depts, op->depts[d],
                            json_pack("{s:f,s:o}", "service_target", op->target[d], "intervals", rows));
    }
    json_object_set_new(o, "departments", depts);
    return out_json_write_extra(check, "optimise", o, f, err);
}
