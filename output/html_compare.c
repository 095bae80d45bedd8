/* output/html_compare.c — the HTML report of a comparison (see html.h):
 * each plan's sentence, the waits of every plan beside the baseline's, the
 * paired differences with their intervals (forest plots: the mean wait at
 * each department, the share of external customers lost, their mean
 * satisfaction, the total cost), and a table per plan of the baseline, the
 * plan and their difference. Every label is given the room its text is
 * measured to need, or wrapped (output/svg.h).
 */
#include "output/html.h"
#include "output/htmldoc.h"
#include "output/svg.h"
#include "output/textfmt.h"
#include "output/verdict.h"
#include "sim/mem.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define CELL OUI_TXT_CELL

/* Plans' colours: the baseline grey, then the palette. */
static const char *colour(size_t plan)
{
    static const char *const c[] = {OUI_SVG_GREY, OUI_SVG_BLUE, OUI_SVG_ORANGE, OUI_SVG_GREEN, OUI_SVG_PURPLE,
                                    OUI_SVG_SKY, OUI_SVG_VERMILLION};
    return c[plan % 7];
}

static const struct out_metric *wait_of(const struct out_plan *p, const char *dept)
{
    const struct out_scope *sc = out_report_scope(p, OUT_DEPARTMENT, dept);
    return sc ? out_report_metric(sc, "wait_mean") : NULL;
}

static void bar_interval(FILE *f, const struct oui_svg_frame *fr, double lo, double hi, double y)
{
    if (!isfinite(lo) || !isfinite(hi) || hi <= lo)
        return;
    fprintf(f, "<path d=\"M%.1f %.1fV%.1fM%.1f %.1fH%.1fM%.1f %.1fV%.1f\" stroke=\"#222\" stroke-width=\"1.2\" "
               "fill=\"none\"/>\n",
            oui_svg_px(fr, lo), y - 4, y + 4, oui_svg_px(fr, lo), y, oui_svg_px(fr, hi), oui_svg_px(fr, hi), y - 4,
            y + 4);
}

/* Room at the left of a chart `width` wide for its row labels: the widest
 * label and a gap, at least 80 px, at most 40% of the width (a longer one
 * wraps). */
static double label_room(const char *const *labels, size_t n, double width)
{
    double w = oui_svg_widest(labels, n, NULL) + 16;
    return w < 80 ? 80 : w > 0.4 * width ? 0.4 * width : w;
}

/* The departments of the baseline, in its order (at most max). */
static size_t departments(const struct out_plan *b, const char **names, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < b->nscopes && n < max; i++)
        if (b->scopes[i].kind == OUT_DEPARTMENT)
            names[n++] = b->scopes[i].name;
    return n;
}

/* Every plan's mean wait per department, side by side. */
static void waits(FILE *f, const struct out_report *r)
{
    const struct out_plan *b = &r->plans[0];
    size_t np = r->nplans;
    const char *dept[64];
    size_t nd = departments(b, dept, 64);
    double top = 1;
    for (size_t i = 0; i < nd; i++)
        for (size_t p = 0; p < np; p++) {
            const struct out_metric *m = wait_of(&r->plans[p], dept[i]);
            if (m && isfinite(m->stat.ci_high) && m->stat.ci_high > top)
                top = m->stat.ci_high;
            if (m && isfinite(m->stat.mean) && m->stat.mean > top)
                top = m->stat.mean;
        }
    /* the legend names the plans, as many rows as their names need */
    struct oui_svg_key *keys = sim_xreallocarray(NULL, np + 1, sizeof *keys);
    for (size_t p = 0; p < np; p++)
        keys[p] = (struct oui_svg_key){OUI_SVG_SWATCH, colour(p), r->plans[p].name};
    double group = 12.0 * (double)np + 14, left = label_room(dept, nd, 720);
    double plot_top = 6 + oui_svg_keys(NULL, left, 18, 720 - left - 8, keys, np) + 14;
    size_t lines = (size_t)((group - 4) / oui_svg_line_h(NULL));
    struct oui_svg_frame fr = {f, 720, plot_top + group * (double)nd + 54, left, 24, plot_top, 46,
                               oui_svg_nice(0, top, 6), {0, 1, 1, 2}};
    oui_html_figure_begin(f, "plan-waits");
    oui_svg_open(&fr, "Mean wait by department, each plan beside the baseline", "mean wait (minutes)", NULL);
    oui_svg_keys(f, left, 18, 720 - left - 8, keys, np);
    free(keys);
    for (size_t i = 0; i < nd; i++) {
        double y0 = fr.top + group * (double)i;
        oui_svg_text_fit(f, fr.left - 8, y0 + group / 2, "end", NULL, dept[i], fr.left - 14, lines < 1 ? 1 : lines);
        for (size_t p = 0; p < np; p++) {
            const struct out_metric *m = wait_of(&r->plans[p], dept[i]);
            double y = y0 + 7 + 12.0 * (double)p;
            if (!m || !isfinite(m->stat.mean))
                continue;
            fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"10\" fill=\"%s\"/>\n", fr.left, y,
                    oui_svg_px(&fr, m->stat.mean) - fr.left, colour(p));
            bar_interval(f, &fr, m->stat.ci_low, m->stat.ci_high, y + 5);
        }
    }
    oui_svg_close(&fr);
    const char *heads[1 + 16];
    size_t ncols = np < 16 ? np : 16;
    heads[0] = "department";
    for (size_t p = 0; p < ncols; p++)
        heads[1 + p] = r->plans[p].name;
    oui_html_table_begin(f, heads, 1 + ncols);
    for (size_t i = 0; i < nd; i++) {
        char cells[16][CELL];
        const char *cp[16];
        for (size_t p = 0; p < ncols; p++) {
            const struct out_metric *m = wait_of(&r->plans[p], dept[i]);
            cp[p] = m ? oui_txt_stat(cells[p], CELL, m, true) : "-";
        }
        oui_html_row(f, dept[i], cp, ncols);
    }
    oui_html_table_end(f);
    oui_html_figure_end(f, "Bars: each plan's mean wait at each department, with its 95% interval; the baseline "
                           "first, in grey.");
}

/* ---- the differences: one panel per measure ------------------------------ */

/* A row of a panel: a group's heading (head set), or a plan's paired
 * difference m->diff, drawn times scale. */
struct diff_row {
    const char *head;
    size_t plan;
    const struct out_metric *m;
};

/* What a panel shows. */
struct panel {
    const char *title, *axis;
    double scale;          /* 100 for a share, in percentage points */
};

/* The metric `name` of plan p's scope (kind, scope name). */
static const struct out_metric *metric_of(const struct out_plan *p, enum out_scope_kind kind, const char *scope,
                                          const char *name)
{
    const struct out_scope *sc = out_report_scope(p, kind, scope);
    return sc ? out_report_metric(sc, name) : NULL;
}

/* One panel: its title, then a row per plan (under a heading per group),
 * each a dot at the plan's paired difference from the baseline and a line
 * across its 95% interval, a vertical line at zero, the axis below. */
static void panel(FILE *f, const struct out_report *r, const struct panel *pn, const struct diff_row *rows, size_t n)
{
    double lo = 0, hi = 0;
    const char **plans = sim_xreallocarray(NULL, r->nplans + 1, sizeof *plans);
    for (size_t p = 0; p < r->nplans; p++)
        plans[p] = r->plans[p].name;
    for (size_t k = 0; k < n; k++) {
        if (rows[k].head)
            continue;
        const struct out_stat *d = rows[k].m->diff;
        const double v[3] = {d->ci_low, d->ci_high, d->mean};
        for (int j = 0; j < 3; j++)
            if (isfinite(v[j])) {
                lo = fmin(lo, pn->scale * v[j]);
                hi = fmax(hi, pn->scale * v[j]);
            }
    }
    double left = label_room(plans + 1, r->nplans - 1, 720), lh = oui_svg_line_h(NULL);
    struct oui_svg_lines title;
    oui_svg_wrap(pn->title, "title", 720 - 16, 2, &title);
    double top = 18 + oui_svg_line_h("title") * (double)(title.n ? title.n - 1 : 0) + 16, h = 0;
    double *row_h = sim_xreallocarray(NULL, n + 1, sizeof *row_h);
    for (size_t k = 0; k < n; k++) {
        struct oui_svg_lines l;
        if (rows[k].head)
            oui_svg_wrap(rows[k].head, "group", 720 - 16, 2, &l);
        else
            oui_svg_wrap(r->plans[rows[k].plan].name, NULL, left - 14, 2, &l);
        row_h[k] = rows[k].head ? lh * (double)l.n + 8 : fmax(22, lh * (double)l.n + 8);
        h += row_h[k];
    }
    struct oui_svg_frame fr = {f, 720, top + h + 8 + 46, left, 24, top, 46, oui_svg_nice(lo, hi, 7), {0, 1, 1, 2}};
    oui_svg_open(&fr, pn->title, pn->axis, NULL);
    oui_svg_text_lines(f, 8, 18, "start", "title", pn->title, 720 - 16, 2);
    fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#222\" stroke-width=\"1.5\"/>\n",
            oui_svg_px(&fr, 0), fr.top, oui_svg_px(&fr, 0), fr.height - fr.bottom);
    double y = fr.top;
    for (size_t k = 0; k < n; k++) {
        if (rows[k].head) {
            oui_svg_text_lines(f, 8, y + 15, "start", "group", rows[k].head, 720 - 16, 2);
        } else {
            const struct out_stat *d = rows[k].m->diff;
            double mid = y + row_h[k] / 2, s = pn->scale;
            oui_svg_text_fit(f, fr.left - 8, mid, "end", NULL, r->plans[rows[k].plan].name, fr.left - 14, 2);
            bar_interval(f, &fr, s * d->ci_low, s * d->ci_high, mid);
            if (isfinite(d->mean))
                fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"5\" fill=\"%s\"/>\n", oui_svg_px(&fr, s * d->mean), mid,
                        colour(rows[k].plan));
        }
        y += row_h[k];
    }
    oui_svg_close(&fr);
    free(row_h);
    free(plans);
}

/* Each plan's paired difference from the baseline: in mean wait at each
 * department, in the share of external customers lost, in their mean
 * satisfaction, in the total cost; a panel each, then one table. */
static void differences(FILE *f, const struct out_report *r)
{
    const struct out_plan *b = &r->plans[0];
    const char *dept[64];
    size_t nd = departments(b, dept, 64), np = r->nplans;
    struct diff_row *rows = sim_xreallocarray(NULL, (nd + 1) * np + 1, sizeof *rows);
    size_t n = 0;
    oui_html_figure_begin(f, "differences");
    /* waits: a group per department */
    for (size_t i = 0; i < nd; i++) {
        size_t head = n;
        rows[n++] = (struct diff_row){dept[i], 0, NULL};
        for (size_t p = 1; p < np; p++) {
            const struct out_metric *m = wait_of(&r->plans[p], dept[i]);
            if (m && m->diff)
                rows[n++] = (struct diff_row){NULL, p, m};
        }
        if (n == head + 1)
            n = head;   /* no plan has it */
    }
    const struct panel wait_panel = {"Mean wait: each plan's change from the baseline, by department",
                                     "change in mean wait (minutes; below zero: shorter)", 1};
    if (n)
        panel(f, r, &wait_panel, rows, n);
    const char *per = r->is_day ? "a day" : "a run";
    char cost_axis[96];
    snprintf(cost_axis, sizeof cost_axis, "change in total cost (money %s; below zero: cheaper)", per);
    const struct {
        struct panel pn;
        enum out_scope_kind kind;
        const char *scope, *metric;
    } more[] = {
        {{"Drop-outs: change in the share of external customers who leave unserved",
          "change (percentage points; below zero: fewer lost)", 100}, OUT_JOURNEY, "external", "dropout_rate"},
        {{"Satisfaction: change in external customers' mean score",
          "change in mean score, 1 to 5 (above zero: more satisfied)", 1}, OUT_JOURNEY, "external",
         "satisfaction_mean"},
        {{"Cost: change in the total of staff cost and lost value", cost_axis, 1}, OUT_COST, NULL, "total_cost"},
    };
    for (size_t k = 0; k < sizeof more / sizeof more[0]; k++) {
        size_t first = n;
        for (size_t p = 1; p < np; p++) {
            const struct out_metric *m = metric_of(&r->plans[p], more[k].kind, more[k].scope, more[k].metric);
            if (m && m->diff)
                rows[n++] = (struct diff_row){NULL, p, m};
        }
        if (n > first)
            panel(f, r, &more[k].pn, rows + first, n - first);
        n = first;
    }
    free(rows);
    /* the exact figures: every plan's changes */
    static const char *const heads[] = {"plan", "what", "change from the baseline (95% interval)"};
    oui_html_table_begin(f, heads, 3);
    char what[200], cell[CELL];
    for (size_t p = 1; p < np; p++) {
        for (size_t i = 0; i < nd; i++) {
            const struct out_metric *m = wait_of(&r->plans[p], dept[i]);
            if (!m || !m->diff)
                continue;
            snprintf(what, sizeof what, "%s: mean wait", dept[i]);
            const char *cp[2] = {what, oui_txt_diff(cell, CELL, m)};
            oui_html_row(f, r->plans[p].name, cp, 2);
        }
        static const struct {
            enum out_scope_kind kind;
            const char *scope, *metric, *what;
        } rest[] = {{OUT_JOURNEY, "external", "dropout_rate", "share of external customers lost"},
                    {OUT_JOURNEY, "external", "satisfaction_mean", "external customers' mean satisfaction"},
                    {OUT_JOURNEY, "external", "csat", "external customers' CSAT"},
                    {OUT_COST, NULL, "total_cost", "total cost"}};
        for (size_t k = 0; k < sizeof rest / sizeof rest[0]; k++) {
            const struct out_metric *m = metric_of(&r->plans[p], rest[k].kind, rest[k].scope, rest[k].metric);
            if (!m || !m->diff)
                continue;
            const char *cp[2] = {rest[k].what, oui_txt_diff(cell, CELL, m)};
            oui_html_row(f, r->plans[p].name, cp, 2);
        }
    }
    oui_html_table_end(f);
    oui_html_figure_end(f, "Each dot is a plan's change from the baseline, paired day by day: in the mean wait at "
                           "each department, the share of external customers lost (in percentage points), their mean "
                           "satisfaction score and the total cost; the line across it is its 95% interval, and one "
                           "that crosses zero means no clear difference.");
}

static void row(FILE *f, const char *label, const struct out_scope *base, const struct out_scope *sc,
                const char *name)
{
    const struct out_metric *m = sc ? out_report_metric(sc, name) : NULL;
    if (!m)
        return;
    char a[CELL], b[CELL], c[CELL];
    const char *cells[3] = {base ? oui_txt_cell(a, CELL, base, name, true) : "-", oui_txt_stat(b, CELL, m, true),
                            oui_txt_diff(c, CELL, m)};
    oui_html_row(f, label, cells, 3);
}

static void plan_table(FILE *f, const struct out_report *r, const struct out_plan *p)
{
    const struct out_plan *b = &r->plans[0];
    oui_html_h2(f, p->name);
    static const char *const heads[] = {"", "baseline", "this plan", "difference"};
    oui_html_table_begin(f, heads, 4);
    char label[200];
    for (size_t i = 0; i < p->nscopes; i++) {
        const struct out_scope *sc = &p->scopes[i], *bs = out_report_scope(b, OUT_DEPARTMENT, sc->name);
        if (sc->kind != OUT_DEPARTMENT)
            continue;
        snprintf(label, sizeof label, "%s: mean wait", sc->name);
        row(f, label, bs, sc, "wait_mean");
        snprintf(label, sizeof label, "%s: started within the target", sc->name);
        row(f, label, bs, sc, "service_level");
    }
    const struct out_scope *ext = out_report_scope(p, OUT_JOURNEY, "external"),
                           *bext = out_report_scope(b, OUT_JOURNEY, "external");
    row(f, "external customers lost", bext, ext, "dropped");
    row(f, "share lost", bext, ext, "dropout_rate");
    row(f, "satisfaction", bext, ext, "satisfaction_mean");
    row(f, "CSAT", bext, ext, "csat");
    const struct out_scope *cost = out_report_scope(p, OUT_COST, NULL), *bcost = out_report_scope(b, OUT_COST, NULL);
    row(f, "staff cost", bcost, cost, "staff_cost");
    row(f, "lost value", bcost, cost, "lost_value");
    row(f, "total cost", bcost, cost, "total_cost");
    oui_html_table_end(f);
    char bg[1200], pg[1200], line[2600];
    if (*oui_txt_goals(bg, sizeof bg, b) || *oui_txt_goals(pg, sizeof pg, p)) {
        snprintf(line, sizeof line, "Goals of the baseline: %s; of this plan: %s.", oui_txt_goals(bg, sizeof bg, b),
                 oui_txt_goals(pg, sizeof pg, p));
        oui_html_p(f, NULL, line);
    }
}

void oui_html_compare_body(FILE *f, const struct out_report *r)
{
    oui_html_h2(f, "In short");
    static struct oui_sentences s;   /* some 46 KB: not on the stack */
    s.n = 0;
    char sentence[1024];
    for (size_t p = 1; p < r->nplans; p++)
        oui_sentences_add(&s, "%s", out_verdict(r, &r->plans[p], sentence, sizeof sentence));
    oui_html_sentences(f, &s);
    if (r->nplans > 0) {
        oui_html_h2(f, "Waits, plan by plan");
        waits(f, r);
    }
    if (r->nplans > 1) {
        oui_html_h2(f, "Differences from the baseline");
        differences(f, r);
        for (size_t p = 1; p < r->nplans; p++)
            plan_table(f, r, &r->plans[p]);
    }
}

int out_html_compare_write(const struct out_report *r, FILE *f, struct sim_err *err)
{
    char title[300];
    size_t variants = r->nplans ? r->nplans - 1 : 0;
    snprintf(title, sizeof title, "%s: %zu plan%s against the baseline", r->scenario, variants,
             variants == 1 ? "" : "s");
    oui_html_begin(f, r, title);
    oui_html_p(f, NULL, "Every plan meets the same customers on the same days (common random numbers), so each "
                        "difference is paired day by day; intervals are 95% intervals.");
    oui_html_compare_body(f, r);
    oui_html_end(f, r);
    if (ferror(f))
        return sim_err_set(err, SIM_EIO, "cannot write the report: %s", strerror(errno));
    return SIM_OK;
}
