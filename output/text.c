/* output/text.c — the text report of one plan (see text.h).
 *
 * First a few sentences that say what matters most, then tables. Every
 * figure carries its unit and, with two replications or more, "±" and the
 * half-width of its 95% interval (output/textfmt.h); the by-hour table alone
 * shows means only (the intervals are in the CSV and JSON reports). No line
 * exceeds 100 columns for names of up to 40 characters.
 */
#include "output/text.h"
#include "output/summary.h"
#include "output/textfmt.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* Fills the cells of an overloaded department's row: its numbers would
 * describe a queue cut off while still growing, so none are shown. */
static void overloaded_row(struct oui_txt_row *r, size_t ncols)
{
    snprintf(r->cells[0], OUI_TXT_CELL, "overloaded");
    for (size_t c = 1; c < ncols; c++)
        snprintf(r->cells[c], OUI_TXT_CELL, "-");
}

/* A table of one scope kind: each column shows metric names[c]. */
static void scope_table(FILE *f, const struct out_plan *p, enum out_scope_kind kind, const char *title,
                        const char *const *heads, const char *const *names, size_t ncols)
{
    struct oui_txt_table t = {.title = title, .ncols = ncols};
    for (size_t c = 0; c < ncols; c++)
        t.head[c] = heads[c];
    for (size_t i = 0; i < p->nscopes; i++) {
        const struct out_scope *sc = &p->scopes[i];
        if (sc->kind != kind)
            continue;
        struct oui_txt_row *r = oui_txt_row(&t, "%s", sc->name);
        if (sc->kind == OUT_DEPARTMENT && sc->overloaded) {
            overloaded_row(r, ncols);
            continue;
        }
        for (size_t c = 0; c < ncols; c++)
            oui_txt_cell(r->cells[c], OUI_TXT_CELL, sc, names[c], true);
    }
    oui_txt_print(&t, f);
}


/* The goal of scope `name` of this kind, or NULL. */
static const struct out_goal *goal_of(const struct out_plan *p, enum out_scope_kind kind, const char *name)
{
    for (size_t g = 0; g < p->ngoals; g++)
        if (p->goals[g].kind == kind && !strcmp(p->goals[g].scope, name))
            return &p->goals[g];
    return NULL;
}

/* A verdict in a table's few letters. */
static const char *verdict_word(enum out_verdict v)
{
    return v == OUT_MET ? "met" : v == OUT_MISSED ? "missed" : "too close";
}

static void departments(FILE *f, const struct out_report *rep, const struct out_plan *p)
{
    struct oui_txt_table t = {.title = "Waits", .ncols = 6,
                      .head = {"arrivals", "wait (mean)", "wait p90", "in time", "target", "goal"}};
    for (size_t i = 0; i < p->nscopes; i++) {
        const struct out_scope *sc = &p->scopes[i];
        if (sc->kind != OUT_DEPARTMENT)
            continue;
        struct oui_txt_row *r = oui_txt_row(&t, "%s", sc->name);
        if (sc->overloaded) {
            overloaded_row(r, 4);
        } else {
            oui_txt_cell(r->cells[0], OUI_TXT_CELL, sc, "arrivals", true);
            oui_txt_cell(r->cells[1], OUI_TXT_CELL, sc, "wait_mean", true);
            oui_txt_cell(r->cells[2], OUI_TXT_CELL, sc, "wait_p90", true);
            oui_txt_cell(r->cells[3], OUI_TXT_CELL, sc, "service_level", true);
        }
        snprintf(r->cells[4], OUI_TXT_CELL, "%.0f%% in %g min", 100 * sc->service_target, sc->target_wait);
        const struct out_goal *g = goal_of(p, OUT_DEPARTMENT, sc->name);
        snprintf(r->cells[5], OUI_TXT_CELL, "%s", !g ? "" : isfinite(g->stat->mean) || g->verdict == OUT_MISSED
                                                               ? verdict_word(g->verdict) : "-");
    }
    oui_txt_print(&t, f);
    fprintf(f, "  (arrivals a %s; in time: started within the target wait; goal: met or missed when the whole\n"
               "   95%% interval of \"in time\" is on one side of the target, too close to call otherwise)\n\n",
            rep->is_day ? "day" : "run");
    static const char *const heads[] = {"gave up", "turned back", "no room", "staff busy", "queue"};
    static const char *const names[] = {"abandon_rate", "balk_rate", "block_rate", "utilization", "queue_mean"};
    scope_table(f, p, OUT_DEPARTMENT, "Losses and load", heads, names, 5);
    fprintf(f, "  (gave up: left the queue; turned back: at the sight of it; no room: queue full;\n"
               "   queue: customers waiting, on average)\n");
}

/* Cross-trained pools: how busy, where their time went, whom they served. */
static void pools(FILE *f, const struct out_report *r, const struct out_plan *p)
{
    if (!out_report_scope(p, OUT_POOL, NULL))
        return;
    struct oui_txt_table t = {.title = "Pools", .ncols = 3, .head = {"staff busy", "served", "overtime"}};
    for (size_t i = 0; i < p->nscopes; i++) {
        const struct out_scope *sc = &p->scopes[i];
        if (sc->kind != OUT_POOL)
            continue;
        struct oui_txt_row *row = oui_txt_row(&t, "%s", sc->name);
        oui_txt_cell(row->cells[0], OUI_TXT_CELL, sc, "utilization", true);
        oui_txt_cell(row->cells[1], OUI_TXT_CELL, sc, "served", true);
        oui_txt_cell(row->cells[2], OUI_TXT_CELL, sc, "overtime", true);
    }
    oui_txt_print(&t, f);
    for (size_t i = 0; i < p->nscopes; i++) {
        const struct out_scope *sc = &p->scopes[i];
        if (sc->kind != OUT_POOL)
            continue;
        char where[512] = "", cell[OUI_TXT_CELL];
        size_t n = 0;
        for (size_t m = 0; m < sc->nmetrics && n + 80 < sizeof where; m++)
            if (!strncmp(sc->metrics[m].name, "time_at.", 8))
                n += (size_t)snprintf(where + n, sizeof where - n, "%s%s %s", n ? ", " : "", sc->metrics[m].name + 8,
                                      oui_txt_stat(cell, sizeof cell, &sc->metrics[m], false));
        fprintf(f, "  %s's busy time went to %s.\n", sc->name, where);
    }
    fprintf(f, "  (staff busy: of its paid time; served: customers a %s; overtime: staff-minutes after closing)\n\n",
            r->is_day ? "day" : "run");
}

static void dropouts(FILE *f, const struct out_report *r, const struct out_plan *p)
{
    const struct out_scope *ext = out_report_scope(p, OUT_JOURNEY, "external");
    if (!ext || !(oui_txt_mean(ext, "dropped") > 0))
        return;
    struct oui_txt_table t = {.title = r->is_day ? "Lost customers a day" : "Lost customers a run", .ncols = 4,
                      .head = {"turned back", "no room", "gave up", "sent home"}};
    for (size_t i = 0; i < p->nscopes; i++) {
        const struct out_scope *sc = &p->scopes[i];
        if (sc->kind != OUT_DEPARTMENT)
            continue;
        struct oui_txt_row *row = oui_txt_row(&t, "%s", sc->name);
        for (size_t c = 0; c < OUT_DROP_CAUSES; c++) {
            const struct out_metric *m = out_scope_drop(ext, sc->name, (enum out_drop_cause)c);
            if (m)
                oui_txt_stat(row->cells[c], OUI_TXT_CELL, m, true);
            else
                snprintf(row->cells[c], OUI_TXT_CELL, "-");
        }
    }
    oui_txt_print(&t, f);
    fprintf(f, "  (external customers, by where they were and why they left)\n\n");
}

/* Where the satisfaction points go: what the scores fall short of 5, in
 * the four parts that add up to it (docs/satisfaction.md); none when the
 * report has no such metrics. */
static void satisfaction_parts(FILE *f, const struct out_plan *p)
{
    static const char *const names[] = {"satisfaction_loss.quality", "satisfaction_loss.waits",
                                        "satisfaction_loss.handoffs", "satisfaction_loss.dropout"};
    struct oui_txt_table t = {.title = "Points below 5", .ncols = 4, .head = {"quality", "waits", "handoffs", "drop-outs"}};
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < p->nscopes; i++) {
            const struct out_scope *sc = &p->scopes[i];
            if ((pass == 0 && sc->kind != OUT_JOURNEY) || (pass == 1 && sc->kind != OUT_CLASS) ||
                !out_report_metric(sc, names[0]))
                continue;
            struct oui_txt_row *r = pass == 0 ? oui_txt_row(&t, "all %s", sc->name) : oui_txt_row(&t, "  %s", sc->name);
            for (size_t k = 0; k < 4; k++)
                oui_txt_cell(r->cells[k], OUI_TXT_CELL, sc, names[k], true);
        }
    if (!t.nrows)
        return;
    oui_txt_print(&t, f);
    fprintf(f, "  (5 less the mean score, in parts that add up to it: the departments' own quality, the\n"
               "   waits beyond those tolerated, the handoffs, the drop-outs; docs/satisfaction.md)\n\n");
}

static void journeys(FILE *f, const struct out_plan *p)
{
    static const char *const names[] = {"completed", "dropped", "sojourn_mean", "wait_total_mean",
                                        "request_delay_mean"};
    struct oui_txt_table t = {.title = "Journeys", .ncols = 5,
                      .head = {"served", "lost", "time inside", "waited in all", "on requests"}};
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < p->nscopes; i++) {
            const struct out_scope *sc = &p->scopes[i];
            if ((pass == 0 && sc->kind != OUT_JOURNEY) || (pass == 1 && sc->kind != OUT_CLASS))
                continue;
            struct oui_txt_row *r = pass == 0 ? oui_txt_row(&t, "all %s", sc->name)
                                      : oui_txt_row(&t, "  %s%s", sc->name, sc->internal ? " (int.)" : "");
            for (size_t c = 0; c < 5; c++)
                oui_txt_cell(r->cells[c], OUI_TXT_CELL, sc, names[c], true);
        }
    oui_txt_print(&t, f);
    fprintf(f, "  (on requests: time waited while staff got an answer from another department)\n\n");

    /* the classes' drop-out goals (max_dropout), when any */
    struct oui_txt_table g = {.title = "Drop-out goals", .ncols = 3, .head = {"left unserved", "at most", "goal"}};
    for (size_t i = 0; i < p->ngoals; i++) {
        const struct out_goal *goal = &p->goals[i];
        if (goal->kind != OUT_CLASS)
            continue;
        const struct out_scope *sc = out_report_scope(p, OUT_CLASS, goal->scope);
        struct oui_txt_row *r = oui_txt_row(&g, "%s", goal->scope);
        oui_txt_cell(r->cells[0], OUI_TXT_CELL, sc, goal->metric, true);
        snprintf(r->cells[1], OUI_TXT_CELL, "%g%%", 100 * goal->target);
        snprintf(r->cells[2], OUI_TXT_CELL, "%s", verdict_word(goal->verdict));
    }
    if (g.nrows) {
        oui_txt_print(&g, f);
        fprintf(f, "  (the share of the class's journeys that end unserved, against its max_dropout)\n\n");
    }

    struct oui_txt_table s = {.title = "Satisfaction", .ncols = 7,
                      .head = {"mean", "CSAT", "1-2", "2-3", "3-4", "4-5", "5"}};
    static const char *const bands[] = {"satisfaction_band.1", "satisfaction_band.2", "satisfaction_band.3",
                                        "satisfaction_band.4", "satisfaction_band.5"};
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < p->nscopes; i++) {
            const struct out_scope *sc = &p->scopes[i];
            if ((pass == 0 && sc->kind != OUT_JOURNEY) || (pass == 1 && sc->kind != OUT_CLASS))
                continue;
            struct oui_txt_row *r = pass == 0 ? oui_txt_row(&s, "all %s", sc->name) : oui_txt_row(&s, "  %s", sc->name);
            oui_txt_cell(r->cells[0], OUI_TXT_CELL, sc, "satisfaction_mean", true);
            oui_txt_cell(r->cells[1], OUI_TXT_CELL, sc, "csat", true);
            for (size_t b = 0; b < 5; b++)
                oui_txt_cell(r->cells[2 + b], OUI_TXT_CELL, sc, bands[b], false);
        }
    oui_txt_print(&s, f);
    fprintf(f, "  (scores 1 to 5 by the peak-end rule; CSAT: share scoring 4 or more; then the share of\n"
               "   customers in each band, from 1 up to 2 ... exactly 5; a drop-out scores 1)\n\n");
    satisfaction_parts(f, p);

    static const char *const vhead[] = {"visit score", "wait p95", "longest wait", "overtime"};
    static const char *const vnames[] = {"visit_satisfaction_mean", "wait_p95", "wait_max", "overtime"};
    scope_table(f, p, OUT_DEPARTMENT, "Visits", vhead, vnames, 4);
    fprintf(f, "  (visit score: the mean score of spec §4's visits there; longest wait: the day's longest,\n"
               "   on average; overtime: staff-minutes worked after closing)\n");
}

/* By hour: blocks of up to four departments, one column each. */
static void hours(FILE *f, const struct out_plan *p)
{
    const struct out_scope *depts[OUI_TXT_MAXCOLS];
    size_t n = 0;
    const struct out_scope *any = out_report_scope(p, OUT_DEPARTMENT, NULL);
    if (!any || !any->nhours)
        return;
    fprintf(f, "By hour: customers in, mean wait (min), customers lost, staff on duty; means over days\n");
    for (size_t i = 0; i <= p->nscopes; i++) {
        bool flush = i == p->nscopes || n == 4;
        if (flush && n) {
            struct oui_txt_table t = {.title = "", .ncols = n};
            for (size_t c = 0; c < n; c++)
                t.head[c] = depts[c]->name;
            struct oui_txt_row *head = oui_txt_row(&t, "%s", "");
            for (size_t c = 0; c < n; c++)
                snprintf(head->cells[c], OUI_TXT_CELL, "%5s %5s %4s %5s", "in", "wait", "lost", "staff");
            for (size_t h = 0; h < depts[0]->nhours; h++) {
                char hour[16];
                double from_at = depts[0]->hours[h].from_at;
                struct oui_txt_row *r = oui_txt_row(&t, "%s", isnan(from_at) ? "after"
                                                                             : out_clock(hour, sizeof hour, from_at));
                for (size_t c = 0; c < n; c++) {
                    const struct out_hour *hr = h < depts[c]->nhours ? &depts[c]->hours[h] : NULL;
                    double v[4] = {NAN, NAN, NAN, NAN};
                    if (hr) {
                        v[0] = out_metric_mean(hr->arrivals);
                        v[1] = out_metric_mean(hr->wait_mean);
                        v[2] = out_metric_mean(hr->drops);
                        v[3] = out_metric_mean(hr->staff);
                    }
                    char parts[4][12];
                    for (int k = 0; k < 4; k++)
                        snprintf(parts[k], sizeof parts[k], isfinite(v[k]) && fabs(v[k]) < 1e6 ? "%.1f" : "-", v[k]);
                    snprintf(r->cells[c], OUI_TXT_CELL, "%5s %5s %4s %5s", parts[0], parts[1], parts[2], parts[3]);
                }
            }
            oui_txt_print(&t, f);
            n = 0;
        }
        if (i < p->nscopes && p->scopes[i].kind == OUT_DEPARTMENT)
            depts[n++] = &p->scopes[i];
    }
    fprintf(f, "\n");
}

static void cost(FILE *f, const struct out_report *r, const struct out_plan *p)
{
    const struct out_scope *sc = out_report_scope(p, OUT_COST, NULL);
    if (!sc)
        return;
    char a[OUI_TXT_CELL], b[OUI_TXT_CELL], c[OUI_TXT_CELL];
    fprintf(f, "Cost per %s   staff %s   lost value %s   total %s\n", r->is_day ? "day" : "run",
            oui_txt_cell(a, OUI_TXT_CELL, sc, "staff_cost", true),
            oui_txt_cell(b, OUI_TXT_CELL, sc, "lost_value", true),
            oui_txt_cell(c, OUI_TXT_CELL, sc, "total_cost", true));
}

int out_text_write(const struct out_report *r, FILE *f, struct sim_err *err)
{
    if (r->compared)
        return out_text_compare_write(r, f, err);
    const struct out_plan *p = &r->plans[0];
    fprintf(f, "%s\n", r->scenario);
    char span[160];
    fprintf(f, "%s, seed %llu; ± gives the 95%% interval%s\n", oui_txt_span(span, sizeof span, r, ""),
            (unsigned long long)r->seed, r->is_day ? " over days" : "");
    char chosen[256];
    if (*oui_txt_auto_reps(chosen, sizeof chosen, r))
        oui_txt_paragraph(f, "%s", chosen);
    if (r->warmup_at_limit)
        oui_txt_paragraph(f, "warning: the waits were still drifting at half the run when the warm-up was chosen: "
                             "the run may be too short for its figures to describe the long run (lengthen run.length)");
    if (p->overloaded)
        fprintf(f, "warning: %u of %u %ss %s stopped as overloaded (too many customers inside at once, or\n"
                   "         too much work); the figures below leave %s out\n",
                p->overloaded, r->replications, r->is_day ? "day" : "run", p->overloaded == 1 ? "was" : "were",
                p->overloaded == 1 ? "it" : "them");
    fprintf(f, "\nIn short\n");
    struct oui_sentences s;
    oui_summary_run(r, p, &s);
    for (size_t i = 0; i < s.n; i++)
        oui_txt_bullet(f, "%s", s.text[i]);
    fprintf(f, "\n");
    departments(f, r, p);
    fprintf(f, "\n");
    pools(f, r, p);
    dropouts(f, r, p);
    journeys(f, p);
    fprintf(f, "\n");
    hours(f, p);
    cost(f, r, p);
    if (ferror(f))
        return sim_err_set(err, SIM_EIO, "cannot write the report: %s", strerror(errno));
    return SIM_OK;
}
