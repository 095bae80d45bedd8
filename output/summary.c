/* output/summary.c — what matters most, in sentences (see summary.h). */
#include "output/summary.h"
#include "output/textfmt.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void oui_sentences_add(struct oui_sentences *s, const char *fmt, ...)
{
    if (s->n >= OUI_SENTENCES_MAX)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->text[s->n++], OUI_SENTENCE_LEN, fmt, ap);
    va_end(ap);
}

static const char *cause_words(enum out_drop_cause cause)
{
    switch (cause) {
    case OUT_DROP_BALKED:
        return "turned back at the sight of the queue";
    case OUT_DROP_BLOCKED:
        return "found no room to wait";
    case OUT_DROP_RENEGED:
        return "gave up waiting";
    default:
        return "were sent home at closing";
    }
}

/* Names the overloaded departments first: nothing else matters until
 * their queues stop growing. */
static void overload_sentence(struct oui_sentences *s, const struct out_report *r, const struct out_plan *p)
{
    if (p->over_events)
        oui_sentences_add(s, "In %u of %u %ss the model handled more events than max_events allows (by default 100 "
                          "times what its arrivals and routes lead one to expect), and the %s was stopped: look "
                          "for a loop in the routes or requests; those %ss are left out.",
                          p->over_events, r->replications, r->is_day ? "day" : "run", r->is_day ? "day" : "run",
                          r->is_day ? "day" : "run");
    for (size_t i = 0; i < p->nscopes; i++) {
        const struct out_scope *sc = &p->scopes[i];
        if (sc->kind != OUT_DEPARTMENT || !sc->overloaded)
            continue;
        oui_sentences_add(s, "%s is overloaded: customers arrive faster than its staff can serve them, and in %u of %u "
                          "%ss its queue grew until the %s was stopped. Add staff there, or shorten its service; "
                          "its figures are left out.",
                       sc->name, sc->overloaded, r->replications, r->is_day ? "day" : "run",
                       r->is_day ? "day" : "run");
    }
}

/* What the goals say (spec §2c): met, missed, too close to call, and how
 * many more days (runs) would likely settle those too close. */
static void goals_sentence(struct oui_sentences *s, const struct out_report *r, const struct out_plan *p)
{
    if (!p->ngoals)
        return;
    size_t n[3];
    char missed[512], close[512];
    out_plan_verdict(p, n, missed, close, sizeof missed);
    if (n[OUT_MET] == p->ngoals) {
        oui_sentences_add(s, "Every goal is met (%zu of %zu), each with 95%% confidence: its whole interval is on the "
                          "right side of its target.", n[OUT_MET], p->ngoals);
        return;
    }
    double more = 0;
    for (size_t g = 0; g < p->ngoals; g++)
        if (p->goals[g].verdict == OUT_TOO_CLOSE && p->goals[g].more_replications > more)
            more = p->goals[g].more_replications;
    char settle[160] = "";
    const char *unit = r->is_day ? "days" : "runs";
    if (n[OUT_TOO_CLOSE] && isfinite(more))
        snprintf(settle, sizeof settle, "; about %.0f more %s would likely settle %s", more, unit,
                 n[OUT_TOO_CLOSE] == 1 ? "it" : "them");
    else if (n[OUT_TOO_CLOSE])
        snprintf(settle, sizeof settle, "; its estimate sits on the target: more %s will not settle it", unit);
    char parts[3][sizeof close + sizeof settle + 64];   /* room for the longest: no cut sentence */
    size_t np = 0;
    if (n[OUT_MET])
        snprintf(parts[np++], sizeof parts[0], "%zu met", n[OUT_MET]);
    if (n[OUT_MISSED])
        snprintf(parts[np++], sizeof parts[0], "%zu missed (%s)", n[OUT_MISSED], missed);
    if (n[OUT_TOO_CLOSE])
        snprintf(parts[np++], sizeof parts[0], "%zu too close to call (%s%s)", n[OUT_TOO_CLOSE], close, settle);
    if (p->ngoals == 1) {   /* "1 missed (back)" -> "Its one goal is missed (back)." */
        oui_sentences_add(s, "Its one goal is %s.", strchr(parts[0], ' ') + 1);
        return;
    }
    oui_sentences_add(s, "Of %zu goals, %s%s%s%s%s.", p->ngoals, parts[0], np > 2 ? ", " : np > 1 ? " and " : "",
                      np > 1 ? parts[1] : "", np > 2 ? " and " : "", np > 2 ? parts[2] : "");
}

static void waits_sentence(struct oui_sentences *s, const struct out_plan *p)
{
    const struct out_scope *worst = NULL;
    for (size_t i = 0; i < p->nscopes; i++) {
        const struct out_scope *sc = &p->scopes[i];
        if (sc->kind != OUT_DEPARTMENT)
            continue;
        double w = oui_txt_mean(sc, "wait_mean");
        if (isfinite(w) && (!worst || w > oui_txt_mean(worst, "wait_mean")))
            worst = sc;
    }
    if (!worst)
        return;
    char a[OUI_TXT_CELL], b[OUI_TXT_CELL], c[OUI_TXT_CELL];
    oui_sentences_add(s, "Customers wait longest at %s: %s on average; 1 in 10 waits %s or more, and %s start within "
              "the %g-minute target.",
           worst->name, oui_txt_cell(a, OUI_TXT_CELL, worst, "wait_mean", true),
           oui_txt_cell(b, OUI_TXT_CELL, worst, "wait_p90", false),
           oui_txt_cell(c, OUI_TXT_CELL, worst, "service_level", false), worst->target_wait);
}

static void losses_sentence(struct oui_sentences *s, const struct out_report *r, const struct out_plan *p)
{
    const struct out_scope *ext = out_report_scope(p, OUT_JOURNEY, "external");
    const struct out_scope *cost = out_report_scope(p, OUT_COST, NULL);
    double dropped = oui_txt_mean(ext, "dropped"), completed = oui_txt_mean(ext, "completed");
    const char *per = r->is_day ? "a day" : "a run";
    if (!isfinite(dropped))
        return;
    if (dropped < 0.05) {
        oui_sentences_add(s, "Hardly any external customer leaves unserved (%.1f %s).", dropped, per);
        return;
    }
    const struct out_drop *top = NULL;
    for (size_t i = 0; i < ext->ndrops; i++) {
        const struct out_drop *dr = &ext->drops[i];
        if (isfinite(out_metric_mean(dr->metric)) && (!top || dr->metric->stat.mean > top->metric->stat.mean))
            top = dr;
    }
    char a[OUI_TXT_CELL], b[OUI_TXT_CELL];
    const char *dept = top ? top->dept : "";
    char all[32], most[32];
    snprintf(all, sizeof all, "%.1f", dropped + completed);
    oui_txt_group(all, sizeof all);
    snprintf(most, sizeof most, "%.1f", top ? top->metric->stat.mean : 0.0);
    oui_txt_group(most, sizeof most);
    oui_sentences_add(s, "%s of %s external customers %s leave unserved (%.0f%%); the most at %s, where %s %s %s. "
              "Lost value: %s %s.",
           oui_txt_cell(a, OUI_TXT_CELL, ext, "dropped", true), all, per, 100 * dropped / (dropped + completed), dept,
           most, per,
           cause_words(top ? top->cause : OUT_DROP_CLOSED), cost ? oui_txt_cell(b, OUI_TXT_CELL, cost, "lost_value", true) : "-", per);
}

static void satisfaction_sentences(struct oui_sentences *s, const struct out_plan *p)
{
    const struct out_scope *ext = out_report_scope(p, OUT_JOURNEY, "external");
    const struct out_scope *in = out_report_scope(p, OUT_JOURNEY, "internal");
    char a[OUI_TXT_CELL], b[OUI_TXT_CELL], c[OUI_TXT_CELL];
    if (ext && isfinite(oui_txt_mean(ext, "satisfaction_mean")))
        oui_sentences_add(s, "External customers rate their visit %s of 5; %s score 4 or more (CSAT).",
               oui_txt_cell(a, OUI_TXT_CELL, ext, "satisfaction_mean", true),
               oui_txt_cell(b, OUI_TXT_CELL, ext, "csat", false));
    if (in && isfinite(oui_txt_mean(in, "satisfaction_mean")))
        oui_sentences_add(s, "Internal customers (staff served by another department) rate it %s, CSAT %s; external "
                  "customers spend %s on average waiting for such internal requests.",
               oui_txt_cell(a, OUI_TXT_CELL, in, "satisfaction_mean", true),
               oui_txt_cell(b, OUI_TXT_CELL, in, "csat", false),
               ext ? oui_txt_cell(c, OUI_TXT_CELL, ext, "request_delay_mean", true) : "-");
}

static void cost_sentence(struct oui_sentences *s, const struct out_report *r, const struct out_plan *p)
{
    const struct out_scope *cost = out_report_scope(p, OUT_COST, NULL);
    if (!cost)
        return;
    char a[OUI_TXT_CELL], b[OUI_TXT_CELL], c[OUI_TXT_CELL];
    oui_sentences_add(s, "%s costs %s in staff and %s in lost value: %s in all.", r->is_day ? "A day" : "A run",
           oui_txt_cell(a, OUI_TXT_CELL, cost, "staff_cost", false),
           oui_txt_cell(b, OUI_TXT_CELL, cost, "lost_value", false),
           oui_txt_cell(c, OUI_TXT_CELL, cost, "total_cost", true));
}

/* ---- sections ---------------------------------------------------------- */

void oui_summary_run(const struct out_report *r, const struct out_plan *p, struct oui_sentences *s)
{
    s->n = 0;
    overload_sentence(s, r, p);
    if (p->overloaded < r->replications) {   /* else nothing was measured */
        waits_sentence(s, p);
        goals_sentence(s, r, p);
        losses_sentence(s, r, p);
        satisfaction_sentences(s, p);
        oui_summary_satisfaction(p, s);
        cost_sentence(s, r, p);
    }
}

void oui_summary_sweep(const struct out_report *r, const struct out_sweep_ranking *rk, struct oui_sentences *s)
{
    const char *per = r->is_day ? "a day" : "a run";
    s->n = 0;
    /* ranked: plans that surely meet every goal, then those too close to
     * call, then the others; cheapest first within each */
    size_t nmeet = 0, nclose = 0;
    while (nmeet < rk->nrows && rk->rows[nmeet].verdict == OUT_MET)
        nmeet++;
    while (nmeet + nclose < rk->nrows && rk->rows[nmeet + nclose].verdict == OUT_TOO_CLOSE)
        nclose++;
    char a[OUI_TXT_CELL], b[32], c[32];
    if (rk->by) {   /* --rank-by: the first of each group is the best by that metric, not the cheapest */
        char best_by[300], fig[OUI_TXT_CELL];
        snprintf(best_by, sizeof best_by, "the %s %s", rk->by->high ? "highest" : "lowest", rk->by->label);
        static const char *const groups[] = {"meeting every goal with 95% confidence",
                                             "too close to call on some goal", "missing a goal"};
        size_t from[3] = {0, nmeet, nmeet + nclose}, to[3] = {nmeet, nmeet + nclose, rk->nrows};
        if (!nmeet && rk->nrows)
            oui_sentences_add(s, "No plan meets every goal with 95%% confidence.");
        for (int g = 0; g < 3; g++) {
            if (from[g] == to[g] || (g == 2 && nmeet))
                continue;   /* the plans that miss a goal matter when none meets every one */
            const struct out_sweep_row *top = &rk->rows[from[g]];
            struct out_metric by = {.name = rk->by->metric, .unit = rk->by_unit, .stat = top->by};
            if (to[g] - from[g] == 1)
                oui_sentences_add(s, "The one plan %s, %s, has %s at %s (total cost %s %s).", groups[g], top->name,
                                  rk->by->label, oui_txt_stat(fig, sizeof fig, &by, true),
                                  oui_txt_money(b, sizeof b, top->total.mean), per);
            else
                oui_sentences_add(s, "Of the %zu plans %s, the one with %s: %s, at %s (total cost %s %s).",
                                  to[g] - from[g], groups[g], best_by, top->name,
                                  oui_txt_stat(fig, sizeof fig, &by, true), oui_txt_money(b, sizeof b, top->total.mean),
                                  per);
        }
    } else if (nmeet) {
        const struct out_sweep_row *best = &rk->rows[0];
        struct out_metric total = {.name = "total_cost", .unit = "money", .stat = best->total};
        oui_sentences_add(s, "The cheapest plan that meets every goal with 95%% confidence: %s, at %s %s in all "
                          "(staff %s, lost value %s).",
                       best->name, oui_txt_stat(a, sizeof a, &total, true), per, oui_txt_money(b, sizeof b, best->staff),
                       oui_txt_money(c, sizeof c, best->lost));
    } else if (rk->nrows) {
        oui_sentences_add(s, "No plan meets every goal with 95%% confidence.");
    }
    if (nclose && !rk->by) {
        const struct out_sweep_row *cl = &rk->rows[nmeet];
        oui_sentences_add(s, "%zu plan%s too close to call on some goal; the cheapest, %s, at %s %s, is too close "
                          "on %s: more replications would settle it.",
                       nclose, nclose == 1 ? " is" : "s are", cl->name, oui_txt_money(b, sizeof b, cl->total.mean), per,
                       cl->close);
    }
    if (rk->by) {
        /* said above */
    } else if (rk->nrows > nmeet + nclose) {
        const struct out_sweep_row *cheap = &rk->rows[nmeet + nclose];
        oui_sentences_add(s, "%zu of %zu plans surely %s every goal; the cheapest of those that miss one, %s, costs "
                          "%s %s and misses %s.",
                       nmeet, rk->nrows, nmeet == 1 ? "meets" : "meet", cheap->name,
                       oui_txt_money(b, sizeof b, cheap->total.mean), per, cheap->missed);
    } else if (rk->nrows && nmeet == rk->nrows) {
        oui_sentences_add(s, "All %zu plans meet every goal.", rk->nrows);
    }
    if (rk->nrows < rk->nplans)
        oui_sentences_add(s, "%zu of %llu plans are done; the others are in other shards, or still to run (run the "
                          "same command again to continue).",
                       rk->nrows, (unsigned long long)rk->nplans);
    size_t over = 0;
    for (size_t i = 0; i < rk->nrows; i++)
        over += rk->rows[i].overloaded > 0;
    if (over)
        oui_sentences_add(s, "%zu plan%s (marked !) had replications stopped as overloaded: too many customers inside "
                          "at once.",
                       over, over == 1 ? "" : "s");
}
