/* output/optimise.c — cxsim optimise's report (see optimise.h). */
#include "output/optimise.h"
#include "output/csv.h"
#include "output/htmldoc.h"
#include "output/json.h"
#include "output/summary.h"
#include "output/text.h"
#include "output/textfmt.h"
#include "sim/mem.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The staff cost's paired difference in the check (the found plan's), or NULL. */
static const struct out_metric *saving_of(const struct out_report *check, const char *name)
{
    if (check->nplans < 2)
        return NULL;
    const struct out_metric *m = out_report_metric(out_report_scope(&check->plans[1], OUT_COST, NULL), name);
    return m && m->diff ? m : NULL;
}

static void verdict_sentence(struct oui_sentences *out, const struct out_optimise *op, const struct out_report *check)
{
    const char *cost = op->objective;
    const struct out_metric *base = check->nplans ? out_report_metric(out_report_scope(&check->plans[0], OUT_COST, NULL), cost) : NULL;
    const struct out_metric *found = saving_of(check, cost);
    char a[32], b[32], d[96], goals[256];
    if (!op->feasible) {
        oui_sentences_add(out, "No staffing within the bounds (%ld to %ld a department) meets every requirement: %s. "
                             "The check below is of the closest found.",
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
        oui_sentences_add(out, "%s has a %s of %s a %s against the baseline's %s: %s. Its goals on the check's "
                             "%ss: %s (the baseline's: %s).",
                          v == OUT_MET ? (op->nshifts ? "The cheapest roster found that meets every goal"
                                                      : "The cheapest staffing found that meets every goal")
                                       : (op->nshifts ? "The roster found" : "The staffing found"),
                          word, oui_txt_money(a, sizeof a, found->stat.mean), each,
                          oui_txt_money(b, sizeof b, base->stat.mean), oui_txt_diff(d, sizeof d, found), each, goals,
                          base_goals);
    if (v != OUT_MET)
        oui_sentences_add(out, "Not every goal is met with 95%% confidence on the check's %ss: read the goals below "
                             "before you use it (a goal of a department it does not change, or a head count at its "
                             "bound of %ld, can keep it short).",
                          check->is_day ? "day" : "run", op->staff_max);
}

static void final_comparison(struct oui_sentences *out, const struct out_optimise *op, const char *each)
{
    const struct out_opt_final *fin = &op->final;
    if (!fin->done)
        return;
    char money[32], days[32], what[160];
    oui_txt_money(money, sizeof money, fin->indifference);
    snprintf(days, sizeof days, "%zu", fin->days);
    oui_txt_group(days, sizeof days);
    size_t others = fin->ncandidates - 1;
    snprintf(what, sizeof what, "the staffing found and %zu %s (%s)", others, others == 1 ? "neighbour" : "neighbours",
             op->nshifts ? "one person fewer on each of the best-paid shifts"
                         : "one person more where most needed, one fewer where least");
    const char *chosen = fin->names[fin->reverted ? fin->reverted : fin->chosen];
    if (fin->meeting <= 1)
        oui_sentences_add(out, "The final comparison: %s on %s other %ss, of which only %s meets every goal with 95%% "
                               "confidence: it is the answer.", what, days, each,
                          fin->meeting ? chosen : "the staffing found");
    else if (fin->decided)
        oui_sentences_add(out, "The final comparison: %s on %s other %ss, of which %zu meet every goal with 95%% "
                               "confidence. The cheapest of those, within %s a %s with 95%% confidence (Kim & "
                               "Nelson's KN procedure on their paired %ss, decided after %zu of them): %s%s.",
                          what, days, each, fin->meeting, money, each, each, fin->days_used, chosen,
                          fin->reverted ? "" : fin->chosen ? ", now the result" : "");
    else
        oui_sentences_add(out, "The final comparison: %s on %s other %ss, of which %zu meet every goal with 95%% "
                               "confidence; their costs cannot all be told apart within %s a %s on that many %ss "
                               "(Kim & Nelson's KN procedure), so the answer is %s, the %s of those still in.",
                          what, days, each, fin->meeting, money, each, each, chosen,
                          fin->chosen ? "cheapest" : "staffing found and one");
    if (fin->reverted)
        oui_sentences_add(out, "But %s then missed a goal, or came too close to call, on the check's fresh %ss: the "
                               "staffing found is kept.", chosen, each);
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

static void why(struct oui_sentences *out, const struct out_optimise *op, const struct out_opt_why *w,
                const char *plan, const char *each)
{
    const char *harm = op->valued ? "lost value" : "the minutes customers wait";
    char at[64], fig[128], money[32], lo[40], hi[40];
    if (w->nmore == 0)
        oui_sentences_add(out, "In %s no one more person anywhere clearly cuts %s.", plan, harm);
    for (size_t i = 0; i < w->nmore; i++) {
        const struct out_opt_effect *e = &w->more[i];
        amount(fig, sizeof fig, op, -e->mean, -e->ci_high, -e->ci_low, each);
        if (i == 0)
            oui_sentences_add(out, "In %s, %s is the bottleneck: one more person there cuts %s by %s, for %s more in "
                              "staff.", plan, where(at, sizeof at, e), harm, fig, oui_txt_money(money, sizeof money, e->staff));
        else
            oui_sentences_add(out, "Then %s: one more person cuts %s by %s.", where(at, sizeof at, e), harm, fig);
    }
    for (size_t i = 0; i < w->nless; i++) {
        const struct out_opt_effect *e = &w->less[i];
        if (e->ci_low == 0 && e->ci_high == 0) {
            oui_sentences_add(out, "At %s one person fewer changes %s not at all and saves %s a %s in staff.",
                           where(at, sizeof at, e), harm, oui_txt_money(money, sizeof money, -e->staff), each);
            continue;
        }
        if (op->valued)
            snprintf(fig, sizeof fig, "%s to %s", signed_money(lo, sizeof lo, e->ci_low),
                     signed_money(hi, sizeof hi, e->ci_high));
        else
            snprintf(fig, sizeof fig, "%+.0f to %+.0f minutes", e->ci_low, e->ci_high);
        oui_sentences_add(out, "At %s one person fewer changes %s by nothing you could measure (%s a %s) and saves %s "
                          "a %s in staff.", where(at, sizeof at, e), harm, fig, each,
                       oui_txt_money(money, sizeof money, -e->staff), each);
    }
}

/* What the report says before its tables: what was searched (head), the
 * answer and the final comparison (answer), and why (why). */
struct said {
    struct oui_sentences head, answer, why;
    char why_title[128];
};

static void say(struct said *w, const struct out_optimise *op, const struct out_report *check)
{
    const char *each = check->is_day ? "day" : "run";
    char days[32], checks[32], every[128] = "";
    w->head.n = w->answer.n = w->why.n = 0;
    snprintf(days, sizeof days, "%.0f", op->days);
    oui_txt_group(days, sizeof days);
    snprintf(checks, sizeof checks, "%.0f", op->check_days);
    oui_txt_group(checks, sizeof checks);
    if (op->nshifts)
        snprintf(every, sizeof every, " needed every %.0f minutes, covered by a roster of %zu candidate shift%s",
                 op->interval_dur, op->nshifts, op->nshifts == 1 ? "" : "s");
    else if (op->interval_dur > 0 && op->nbins > 1)
        snprintf(every, sizeof every, " that may change every %.0f minutes", op->interval_dur);
    else if (op->interval_dur > 0)
        snprintf(every, sizeof every, ", one for the whole day");
    oui_sentences_add(&w->head, "Evaluated %zu plans in the search and its explanations, each on the same %u %ss "
                                "(seed %llu; %s %ss, and %s in the checks): head counts from %ld to %ld%s, at the "
                                "least %s.",
                      op->evaluated, op->search_reps, each, (unsigned long long)op->search_seed, days, each, checks,
                      op->staff_min, op->staff_max, every,
                      !strcmp(op->objective, "total_cost") ? "total cost (staff and lost value)" : "staff cost");
    if (op->read_back)
        oui_sentences_add(&w->head, "%zu of them had been evaluated already, in this run or an earlier one, and were "
                                    "read back from %s.", op->read_back, op->store ? op->store : "the store");
    if (op->raised)
        oui_sentences_add(&w->head, op->nshifts ? "The first check did not settle every goal: the roster's need was "
                                                  "raised %u %s where service was weakest."
                                                : "The first check did not settle every goal: %u %s added where service "
                                                  "was weakest.",
                          op->raised, op->nshifts ? (op->raised == 1 ? "time" : "times")
                                                  : (op->raised == 1 ? "person was" : "people were"));
    if (op->aside)
        oui_sentences_add(&w->answer, "A goal no staffing within the bounds can meet was left aside: %s, even with "
                                      "every head count at its most (the departments it may change cannot fix "
                                      "it; the check below says it is missed).", op->aside);
    verdict_sentence(&w->answer, op, check);
    final_comparison(&w->answer, op, each);
    if (op->has_why) {
        snprintf(w->why_title, sizeof w->why_title, "Why: one person more or fewer, %s by %s, on the search's %ss",
                 op->nbins > 1 ? "interval" : "department", op->nbins > 1 ? "interval" : "department", each);
        why(&w->why, op, &op->why_baseline, "the baseline", each);
        why(&w->why, op, &op->why_found, "the staffing found", each);
    }
}

static const char *check_title(const struct out_optimise *op)
{
    return op->final.done ? "The check: the baseline against the staffing found, on days none of the choices was "
                            "made on"
                          : "The check: the baseline against the staffing found, on other days";
}

int out_optimise_text_write(const struct out_optimise *op, const struct out_report *check, FILE *f,
                            struct sim_err *err)
{
    static struct said w;   /* some 100 KB of sentences: not on the stack */
    say(&w, op, check);
    fprintf(f, "cxsim optimise: %s\n", check->scenario);
    for (size_t i = 0; i < w.head.n; i++)
        oui_txt_paragraph(f, "%s", w.head.text[i]);
    for (size_t i = 0; i < w.answer.n; i++) {
        fprintf(f, "\n");
        oui_txt_paragraph(f, "%s", w.answer.text[i]);
    }
    table(f, op);
    if (op->nshifts)
        roster(f, op);
    if (w.why.n) {
        fprintf(f, "\n%s\n", w.why_title);
        for (size_t i = 0; i < w.why.n; i++)
            oui_txt_bullet(f, "%s", w.why.text[i]);
    }
    if (op->saved) {
        fprintf(f, "\n");
        oui_txt_paragraph(f, "Saved as %s (cxsim run, compare, sweep and the workshop read it).", op->saved);
    }
    fprintf(f, "\n%s\n\n", check_title(op));
    return out_text_write(check, f, err);
}

int out_optimise_html_write(const struct out_optimise *op, const struct out_report *check, FILE *f,
                            struct sim_err *err)
{
    static struct said w;
    say(&w, op, check);
    char title[300], from[8], to[8], cell[48];
    snprintf(title, sizeof title, "cxsim optimise: %s", check->scenario);
    oui_html_begin(f, check, title);
    for (size_t i = 0; i < w.head.n; i++)
        oui_html_p(f, NULL, w.head.text[i]);
    oui_html_h2(f, "The answer");
    oui_html_sentences(f, &w.answer);
    oui_html_h2(f, op->nshifts ? "Head count by interval: the baseline's → the roster's on duty"
                               : "Head count by interval: the baseline's → the one found");
    const char **heads = sim_xcalloc(op->ndepts + 1, sizeof *heads), **cells = sim_xcalloc(op->ndepts + 1, sizeof *cells);
    char (*buf)[48] = sim_xcalloc(op->ndepts + 1, sizeof *buf);
    heads[0] = "interval (the load)";
    for (size_t d = 0; d < op->ndepts; d++)
        heads[d + 1] = op->depts[d];
    oui_html_table_begin(f, heads, op->ndepts + 1);
    for (size_t b = 0; b < op->nbins; b++) {
        for (size_t d = 0; d < op->ndepts; d++) {
            size_t i = d * op->nbins + b;
            snprintf(buf[d], sizeof buf[d], "%ld → %ld (%.1f)", op->baseline[i], op->found[i], op->load[i]);
            cells[d] = buf[d];
        }
        if (op->interval_dur > 0)
            snprintf(cell, sizeof cell, "%s-%s", out_clock(from, sizeof from, op->from_at[b]),
                     out_clock(to, sizeof to, op->to_at[b]));
        else
            snprintf(cell, sizeof cell, "the run");
        oui_html_row(f, cell, cells, op->ndepts);
    }
    oui_html_table_end(f);
    if (op->nshifts) {
        oui_html_h2(f, "The roster: people on each candidate shift");
        heads[0] = "shift (breaks staggered over the window)";
        oui_html_table_begin(f, heads, op->ndepts + 1);
        for (size_t j = 0; j < op->nshifts; j++) {
            for (size_t d = 0; d < op->ndepts; d++) {
                snprintf(buf[d], sizeof buf[d], "%ld", op->shift_count[d * op->nshifts + j]);
                cells[d] = buf[d];
            }
            oui_html_row(f, op->shift_labels[j], cells, op->ndepts);
        }
        oui_html_table_end(f);
    }
    free(heads);
    free(cells);
    free(buf);
    if (w.why.n) {
        oui_html_h2(f, w.why_title);
        oui_html_sentences(f, &w.why);
    }
    oui_html_h2(f, check_title(op));
    oui_html_compare_body(f, check);
    oui_html_end(f, check);
    if (ferror(f))
        return sim_err_set(err, SIM_EIO, "cannot write the report: %s", strerror(errno));
    return SIM_OK;
}

/* One row of the CSV's head counts: plan, department, metric, value. */
static void csv_row(FILE *f, const char *plan, const char *dept, const char *metric, double value)
{
    out_csv_field(f, plan);
    fputs(",department,", f);
    out_csv_field(f, dept);
    fputc(',', f);
    out_csv_field(f, metric);
    fprintf(f, ",%.15g,,,,\r\n", value);
}

int out_optimise_csv_write(const struct out_optimise *op, const struct out_report *check, FILE *f,
                           struct sim_err *err)
{
    if (out_csv_write(check, f, err))
        return err->code;
    char metric[160], from[8];
    for (size_t d = 0; d < op->ndepts; d++)
        for (size_t b = 0; b < op->nbins; b++) {
            size_t i = d * op->nbins + b;
            const char *at = op->interval_dur > 0 ? out_clock(from, sizeof from, op->from_at[b]) : "run";
            snprintf(metric, sizeof metric, "optimise.staff.%s", at);
            csv_row(f, "baseline", op->depts[d], metric, (double)op->baseline[i]);
            csv_row(f, "optimised", op->depts[d], metric, (double)op->found[i]);
            snprintf(metric, sizeof metric, "optimise.load.%s", at);
            csv_row(f, "optimised", op->depts[d], metric, op->load[i]);
            if (op->nshifts) {
                snprintf(metric, sizeof metric, "optimise.need.%s", at);
                csv_row(f, "optimised", op->depts[d], metric, (double)op->need[i]);
            }
        }
    for (size_t d = 0; d < op->ndepts; d++)
        for (size_t j = 0; j < op->nshifts; j++) {
            snprintf(metric, sizeof metric, "optimise.roster.%s", op->shift_labels[j]);
            csv_row(f, "optimised", op->depts[d], metric, (double)op->shift_count[d * op->nshifts + j]);
        }
    if (ferror(f))
        return sim_err_set(err, SIM_EIO, "cannot write the CSV report: %s", strerror(errno));
    return SIM_OK;
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
    char seed[32];
    snprintf(seed, sizeof seed, "%llu", (unsigned long long)op->search_seed);
    json_object_set_new(o, "search_seed", json_string(seed));   /* a string, as the manifest's seed */
    json_object_set_new(o, "plans_evaluated", json_integer((json_int_t)op->evaluated));
    json_object_set_new(o, "plans_read_back", json_integer((json_int_t)op->read_back));
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
            json_object_set_new(row, "load", out_json_number(op->load[i]));
            json_object_set_new(row, "service_level", out_json_number(op->level[i]));
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
        json_object_set_new(fj, "indifference", out_json_number(fin->indifference));
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
                    json_object_set_new(harm, "mean", out_json_number(e->mean));
                    json_object_set_new(harm, "ci_low", out_json_number(e->ci_low));
                    json_object_set_new(harm, "ci_high", out_json_number(e->ci_high));
                    json_object_set_new(row, "harm", harm);
                    json_object_set_new(row, "staff_cost", out_json_number(e->staff));
                    json_array_append_new(list, row);
                }
            json_object_set_new(w, names[k], list);
        }
        json_object_set_new(o, "why", w);
    }
    return out_json_write_extra(check, "optimise", o, f, err);
}
