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
    char base_goals[256];
    oui_txt_goals(base_goals, sizeof base_goals, &check->plans[0]);
    if (found && base)
        oui_txt_paragraph(f, "%s has a %s of %s a %s against the baseline's %s: %s. Its goals on the check's "
                             "%ss: %s (the baseline's: %s).",
                          v == OUT_MET ? (op->nshifts ? "The cheapest roster found that meets every goal"
                                                      : "The cheapest staffing found that meets every goal")
                                       : (op->nshifts ? "The roster found" : "The staffing found"),
                          word, oui_txt_money(a, sizeof a, found->stat.mean), each,
                          oui_txt_money(b, sizeof b, base->stat.mean), oui_txt_diff(d, sizeof d, found), each, goals,
                          base_goals);
    if (v != OUT_MET)
        oui_txt_paragraph(f, "Not every goal is met with 95%% confidence on the check's %ss: read the goals below "
                             "before you use it (a goal of a department it does not change, or a head count at its "
                             "bound of %ld, can keep it short).",
                          check->is_day ? "day" : "run", op->staff_max);
}

static void final_comparison(FILE *f, const struct out_optimise *op, const char *each)
{
    const struct out_opt_final *fin = &op->final;
    if (!fin->done)
        return;
    size_t meeting = 0;
    for (size_t i = 0; i < fin->ncandidates; i++)
        meeting += fin->meets[i];
    char money[32], days[32];
    oui_txt_money(money, sizeof money, fin->indifference);
    snprintf(days, sizeof days, "%zu", fin->days);
    oui_txt_group(days, sizeof days);
    fprintf(f, "\n");
    if (fin->decided)
        oui_txt_paragraph(f, "The final comparison: the staffing found and %zu %s (one person more where most "
                             "needed, one fewer where least) on %s other %ss, of which %zu meet every goal with 95%% "
                             "confidence. The cheapest of those, within %s a %s with 95%% confidence (Kim & "
                             "Nelson's KN procedure on their paired %ss, decided after %zu of them): %s%s.",
                          fin->ncandidates - 1, fin->ncandidates == 2 ? "neighbour" : "neighbours", days, each,
                          meeting, money, each, each, fin->days_used, fin->names[fin->chosen],
                          fin->chosen ? ", now the result" : "");
    else
        oui_txt_paragraph(f, "The final comparison: the staffing found and %zu %s (one person more where most "
                             "needed, one fewer where least) on %s other %ss, of which %zu meet every goal with 95%% "
                             "confidence; their costs cannot be told apart within %s a %s on that many %ss (Kim & "
                             "Nelson's KN procedure), so the staffing found is kept.",
                          fin->ncandidates - 1, fin->ncandidates == 2 ? "neighbour" : "neighbours", days, each,
                          meeting, money, each, each);
}

static void roster(FILE *f, const struct out_optimise *op)
{
    fprintf(f, "\nThe roster: people on each candidate shift (their breaks staggered over the window shown)\n\n");
    size_t wide = strlen("shift");
    for (size_t j = 0; j < op->nshifts; j++)
        wide = strlen(op->shift_labels[j]) > wide ? strlen(op->shift_labels[j]) : wide;
    fprintf(f, "%-*s", (int)wide, "shift");
    for (size_t d = 0; d < op->ndepts; d++)
        fprintf(f, "  %s", op->depts[d]);
    fprintf(f, "\n");
    for (size_t j = 0; j < op->nshifts; j++) {
        fprintf(f, "%-*s", (int)wide, op->shift_labels[j]);
        for (size_t d = 0; d < op->ndepts; d++)
            fprintf(f, "  %*ld", (int)strlen(op->depts[d]), op->shift_count[d * op->nshifts + j]);
        fprintf(f, "\n");
    }
}

static void table(FILE *f, const struct out_optimise *op)
{
    char from[8], to[8];
    if (op->nshifts)
        fprintf(f, "\nHead count by interval, the baseline's → the roster's on duty at its start (the load:\n"
                   "customers in service when staff is ample)\n\n");
    else
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
            fprintf(f, d + 1 < op->ndepts ? "  %-20s" : "  %s", cell);   /* 20 bytes: "→" is 3 bytes, 1 column */
        }
        fprintf(f, "\n");
    }
}

/* "sales 12:00-14:00" or "sales" (a run). */
static const char *where(char *buf, size_t len, const struct out_opt_effect *e)
{
    char from[8], to[8];
    if (isnan(e->from_at))
        snprintf(buf, len, "%s", e->dept);
    else
        snprintf(buf, len, "%s %s-%s", e->dept, out_clock(from, sizeof from, e->from_at),
                 out_clock(to, sizeof to, e->to_at));
    return buf;
}

/* "+219", "−9": whole money with its sign (a minus sign, as the reports write it). */
static const char *signed_money(char *buf, size_t len, double x)
{
    char m[24];
    oui_txt_money(m, sizeof m, fabs(x));
    snprintf(buf, len, "%s%s", !strcmp(m, "0") ? "" : x < 0 ? "−" : "+", m);
    return buf;
}

/* "lost value by 1,900 a day (1,400 to 2,400)" */
static const char *amount(char *buf, size_t len, const struct out_optimise *op, double x, double lo, double hi,
                          const char *each)
{
    char a[32], b[32], c[32];
    if (op->valued)
        snprintf(buf, len, "%s a %s (%s to %s)", oui_txt_money(a, sizeof a, x), each, oui_txt_money(b, sizeof b, lo),
                 oui_txt_money(c, sizeof c, hi));
    else
        snprintf(buf, len, "%.0f minutes a %s (%.0f to %.0f)", x, each, lo, hi);
    return buf;
}

static void why(FILE *f, const struct out_optimise *op, const struct out_opt_why *w, const char *plan,
                const char *each)
{
    const char *harm = op->valued ? "lost value" : "the minutes customers wait";
    char at[64], fig[128], money[32], lo[40], hi[40];
    if (w->nmore == 0)
        oui_txt_bullet(f, "In %s no one more person anywhere clearly cuts %s.", plan, harm);
    for (size_t i = 0; i < w->nmore; i++) {
        const struct out_opt_effect *e = &w->more[i];
        amount(fig, sizeof fig, op, -e->mean, -e->ci_high, -e->ci_low, each);
        if (i == 0)
            oui_txt_bullet(f, "In %s, %s is the bottleneck: one more person there cuts %s by %s, for %s more in "
                              "staff.", plan, where(at, sizeof at, e), harm, fig, oui_txt_money(money, sizeof money, e->staff));
        else
            oui_txt_bullet(f, "Then %s: one more person cuts %s by %s.", where(at, sizeof at, e), harm, fig);
    }
    for (size_t i = 0; i < w->nless; i++) {
        const struct out_opt_effect *e = &w->less[i];
        if (e->ci_low == 0 && e->ci_high == 0) {
            oui_txt_bullet(f, "At %s one person fewer changes %s not at all and saves %s a %s in staff.",
                           where(at, sizeof at, e), harm, oui_txt_money(money, sizeof money, -e->staff), each);
            continue;
        }
        if (op->valued)
            snprintf(fig, sizeof fig, "%s to %s", signed_money(lo, sizeof lo, e->ci_low),
                     signed_money(hi, sizeof hi, e->ci_high));
        else
            snprintf(fig, sizeof fig, "%+.0f to %+.0f minutes", e->ci_low, e->ci_high);
        oui_txt_bullet(f, "At %s one person fewer changes %s by nothing you could measure (%s a %s) and saves %s "
                          "a %s in staff.", where(at, sizeof at, e), harm, fig, each,
                       oui_txt_money(money, sizeof money, -e->staff), each);
    }
}

int out_optimise_text_write(const struct out_optimise *op, const struct out_report *check, FILE *f,
                            struct sim_err *err)
{
    char days[32], checks[32];
    fprintf(f, "cxsim optimise: %s\n", check->scenario);
    snprintf(days, sizeof days, "%.0f", op->days);
    oui_txt_group(days, sizeof days);
    snprintf(checks, sizeof checks, "%.0f", op->check_days);
    oui_txt_group(checks, sizeof checks);
    char every[128] = "";
    if (op->nshifts)
        snprintf(every, sizeof every, " needed every %.0f minutes, covered by a roster of %zu candidate shifts",
                 op->interval_dur, op->nshifts);
    else if (op->interval_dur > 0)
        snprintf(every, sizeof every, " that may change every %.0f minutes", op->interval_dur);
    oui_txt_paragraph(f, "Searched %zu plans, each on the same %u %s (seed %llu; %s %s in the search, %s in the "
                         "checks): head counts from %ld to %ld%s, at the least %s.",
                      op->evaluated, op->search_reps, check->is_day ? "days" : "runs",
                      (unsigned long long)op->search_seed, days, check->is_day ? "days" : "runs", checks,
                      op->staff_min, op->staff_max, every,
                      !strcmp(op->objective, "total_cost") ? "total cost (staff and lost value)" : "staff cost");
    if (op->raised)
        oui_txt_paragraph(f, "The check did not settle every goal at first: %u %s added where service was weakest.",
                          op->raised, op->raised == 1 ? "person was" : "people were");
    fprintf(f, "\n");
    verdict_sentence(f, op, check);
    final_comparison(f, op, check->is_day ? "day" : "run");
    table(f, op);
    if (op->nshifts)
        roster(f, op);
    if (op->has_why) {
        const char *each = check->is_day ? "day" : "run";
        fprintf(f, "\nWhy: one person more or fewer, %s by %s, on the search's %ss\n", op->nbins > 1 ? "interval" : "department",
                op->nbins > 1 ? "interval" : "department", each);
        why(f, op, &op->why_baseline, "the baseline", each);
        why(f, op, &op->why_found, "the staffing found", each);
    }
    if (op->saved) {
        fprintf(f, "\n");
        oui_txt_paragraph(f, "Saved as %s (cxsim run, compare, sweep and the workshop read it).", op->saved);
    }
    fprintf(f, "\nThe check: the baseline against the staffing found, on %s\n\n",
            op->final.done ? "days none of the choices was made on" : "other days");
    return out_text_write(check, f, err);
}

/* x, or null when it is not finite (JSON has no NaN). */
static json_t *number(double x)
{
    return isfinite(x) ? json_real(x) : json_null();
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
    json_object_set_new(o, "days_simulated", json_pack("{s:f,s:f}", "search", op->days, "checks", op->check_days));
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
            if (op->nshifts)
                json_object_set_new(row, "need", json_integer(op->need[i]));
            json_object_set_new(row, "load", number(op->load[i]));
            json_object_set_new(row, "service_level", number(op->level[i]));
            json_array_append_new(rows, row);
        }
        json_t *dept = json_pack("{s:f,s:o}", "service_target", op->target[d], "intervals", rows);
        if (op->nshifts) {
            json_t *shifts = json_array();
            for (size_t j = 0; j < op->nshifts; j++)
                json_array_append_new(shifts, json_pack("{s:s,s:I}", "shift", op->shift_labels[j], "count",
                                                        (json_int_t)op->shift_count[d * op->nshifts + j]));
            json_object_set_new(dept, "roster", shifts);
        }
        json_object_set_new(depts, op->depts[d], dept);
    }
    json_object_set_new(o, "departments", depts);
    if (op->final.done) {
        const struct out_opt_final *fin = &op->final;
        json_t *fj = json_object(), *cands = json_array();
        for (size_t i = 0; i < fin->ncandidates; i++)
            json_array_append_new(cands, json_pack("{s:s,s:b}", "name", fin->names[i], "meets_every_goal",
                                                   (int)fin->meets[i]));
        json_object_set_new(fj, "candidates", cands);
        json_object_set_new(fj, "indifference", number(fin->indifference));
        json_object_set_new(fj, "decided", json_boolean(fin->decided));
        json_object_set_new(fj, "chosen", json_string(fin->names[fin->chosen]));
        json_object_set_new(fj, "days_used", json_integer((json_int_t)fin->days_used));
        json_object_set_new(fj, "days", json_integer((json_int_t)fin->days));
        json_object_set_new(o, "final", fj);
    }
    if (op->has_why) {
        json_t *w = json_object();
        json_object_set_new(w, "harm", json_string(op->valued ? "lost_value" : "wait_minutes"));
        const struct out_opt_why *whys[2] = {&op->why_baseline, &op->why_found};
        const char *names[2] = {"baseline", "found"};
        for (int k = 0; k < 2; k++) {
            json_t *list = json_array();
            for (int kind = 0; kind < 2; kind++)
                for (size_t i = 0; i < (kind ? whys[k]->nless : whys[k]->nmore); i++) {
                    const struct out_opt_effect *e = kind ? &whys[k]->less[i] : &whys[k]->more[i];
                    char from[8], to[8];
                    json_t *row = json_object();
                    json_object_set_new(row, "department", json_string(e->dept));
                    json_object_set_new(row, "from", isnan(e->from_at) ? json_null()
                                                                        : json_string(out_clock(from, sizeof from, e->from_at)));
                    json_object_set_new(row, "to", isnan(e->to_at) ? json_null()
                                                                    : json_string(out_clock(to, sizeof to, e->to_at)));
                    json_object_set_new(row, "change", json_integer(e->change));
                    json_t *harm = json_object();
                    json_object_set_new(harm, "mean", number(e->mean));
                    json_object_set_new(harm, "ci_low", number(e->ci_low));
                    json_object_set_new(harm, "ci_high", number(e->ci_high));
                    json_object_set_new(row, "harm", harm);
                    json_object_set_new(row, "staff_cost", number(e->staff));
                    json_array_append_new(list, row);
                }
            json_object_set_new(w, names[k], list);
        }
        json_object_set_new(o, "why", w);
    }
    return out_json_write_extra(check, "optimise", o, f, err);
}
