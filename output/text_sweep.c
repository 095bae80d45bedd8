/* output/text_sweep.c — the text report of a sweep: plans ranked.
 *
 * The plans that meet every department's service-level goal (mean service
 * level at least its service_target) come first, cheapest total cost
 * first; then the others, cheapest first, each with the departments it
 * misses. A few sentences say the answer first. Each list shows its first
 * OUT_SWEEP_ROWS plans: the CSV and JSON reports, and the database, hold
 * them all. Fits 100 columns, but for a plan's name: with more swept
 * parameters than the table has room for, names are listed whole under it.
 */
#include "output/text.h"
#include "output/summary.h"
#include "output/textfmt.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#define OUT_SWEEP_ROWS 20

static void rank_table(FILE *f, const struct out_sweep_ranking *rk, enum out_verdict group, size_t from, size_t to)
{
    bool meets = group == OUT_MET;
    /* a column per swept parameter while they fit; beyond, each plan's name
       whole under the table (a name is never cut: issue 23) */
    bool by_axis = rk->naxes <= (rk->by ? 3u : 4u);
    struct oui_txt_table t = {.title = "rank"};
    size_t c = 0;
    if (by_axis)
        for (size_t a = 0; a < rk->naxes; a++)
            t.head[c++] = oui_txt_short_path(rk->paths[a]);
    /* the plans that miss a goal say which, in place of the cost's halves */
    if (rk->by)   /* --rank-by: its figure first */
        t.head[c++] = rk->by->label;
    static const char *const heads[] = {"total cost", "staff", "lost value", "lost", "satisfaction"};
    for (size_t k = 0; k < 5; k++)
        if (meets || (k != 1 && k != 2))
            t.head[c++] = heads[k];
    if (!meets)
        t.head[c++] = group == OUT_MISSED ? "misses" : "too close on";
    t.ncols = c;
    for (size_t i = from; i < to && i - from < OUT_SWEEP_ROWS; i++) {
        const struct out_sweep_row *r = &rk->rows[i];
        struct oui_txt_row *row = oui_txt_row(&t, "%zu%s", i + 1, r->overloaded ? " !" : "");
        c = 0;
        if (by_axis)
            for (size_t a = 0; a < rk->naxes; a++)
                snprintf(row->cells[c++], OUI_TXT_CELL, "%s", r->values[a]);
        if (rk->by) {
            struct out_metric by = {.name = rk->by->metric, .unit = rk->by_unit, .stat = r->by};
            oui_txt_stat(row->cells[c++], OUI_TXT_CELL, &by, false);
        }
        struct out_metric total = {.name = "total_cost", .unit = "money", .stat = r->total};
        oui_txt_stat(row->cells[c++], OUI_TXT_CELL, &total, true);
        if (meets) {
            oui_txt_money(row->cells[c++], OUI_TXT_CELL, r->staff);
            oui_txt_money(row->cells[c++], OUI_TXT_CELL, r->lost);
        }
        snprintf(row->cells[c++], OUI_TXT_CELL, isfinite(r->dropout) ? "%.1f%%" : "-", 100 * r->dropout);
        snprintf(row->cells[c++], OUI_TXT_CELL, isfinite(r->satisfaction) ? "%.2f" : "-", r->satisfaction);
        if (!meets)
            snprintf(row->cells[c++], OUI_TXT_CELL, "%s", group == OUT_MISSED ? r->missed : r->close);
    }
    oui_txt_print(&t, f);
    if (!by_axis) {
        fprintf(f, "rank  plan\n");
        for (size_t i = from; i < to && i - from < OUT_SWEEP_ROWS; i++)
            fprintf(f, "%4zu  %s\n", i + 1, rk->rows[i].name);
    }
    if (to - from > OUT_SWEEP_ROWS)
        fprintf(f, "  ... and %zu more (every plan: --format csv or json, or the database)\n",
                to - from - OUT_SWEEP_ROWS);
}

int out_text_sweep_write(const struct out_report *r, const struct out_sweep_ranking *rk, FILE *f, struct sim_err *err)
{
    char order[300];   /* "cheapest first (cost per day)", or by --rank-by */
    if (rk->by)
        snprintf(order, sizeof order, "by %s, %s first", rk->by->label, rk->by->high ? "highest" : "lowest");
    else
        snprintf(order, sizeof order, "cheapest first (cost per %s)", r->is_day ? "day" : "run");
    fprintf(f, "%s: a sweep of %llu plan%s\n", r->scenario, (unsigned long long)rk->nplans, rk->nplans == 1 ? "" : "s");
    char what[160];
    oui_txt_span(what, sizeof what, r, " each");
    oui_txt_paragraph(f, "%s, seed %llu. Every plan meets the same customers on the same %s; ± gives the 95%% "
                         "interval.", what, (unsigned long long)r->seed, r->is_day ? "days" : "runs");
    size_t nmeet = 0, nclose = 0;
    while (nmeet < rk->nrows && rk->rows[nmeet].verdict == OUT_MET)
        nmeet++;
    while (nmeet + nclose < rk->nrows && rk->rows[nmeet + nclose].verdict == OUT_TOO_CLOSE)
        nclose++;
    fprintf(f, "\nIn short\n");
    struct oui_sentences s;
    oui_summary_sweep(r, rk, &s);
    for (size_t i = 0; i < s.n; i++)
        oui_txt_bullet(f, "%s", s.text[i]);
    if (nmeet) {
        fprintf(f, "\nPlans that meet every goal with 95%% confidence, %s\n", order);
        rank_table(f, rk, OUT_MET, 0, nmeet);
    }
    if (nclose) {
        fprintf(f, "\nPlans too close to call on a goal (none missed), %s\n", order);
        rank_table(f, rk, OUT_TOO_CLOSE, nmeet, nmeet + nclose);
    }
    if (rk->nrows > nmeet + nclose) {
        fprintf(f, "\nPlans that miss a goal, %s\n", order);
        rank_table(f, rk, OUT_MISSED, nmeet + nclose, rk->nrows);
    }
    fprintf(f, "\n(lost: share of external customers who left unserved; satisfaction: external, 1 to 5)\n");
    if (ferror(f))
        return sim_err_set(err, SIM_EIO, "cannot write the report: %s", strerror(errno));
    return SIM_OK;
}
