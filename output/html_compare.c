/* output/html_compare.c — the HTML report of a comparison (see html.h):
 * each plan's sentence, the waits of every plan beside the baseline's, the
 * paired differences in waits with their intervals (a forest plot), and
 * a table per plan of the baseline, the plan and their difference.
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

/* Every plan's mean wait per department, side by side. */
static void waits(FILE *f, const struct out_report *r)
{
    const struct out_plan *b = &r->plans[0];
    size_t nd = 0, np = r->nplans;
    double top = 1;
    for (size_t i = 0; i < b->nscopes; i++) {
        if (b->scopes[i].kind != OUT_DEPARTMENT)
            continue;
        nd++;
        for (size_t p = 0; p < np; p++) {
            const struct out_metric *m = wait_of(&r->plans[p], b->scopes[i].name);
            if (m && isfinite(m->stat.ci_high) && m->stat.ci_high > top)
                top = m->stat.ci_high;
            if (m && isfinite(m->stat.mean) && m->stat.mean > top)
                top = m->stat.mean;
        }
    }
    double group = 12.0 * (double)np + 14;
    struct oui_svg_frame fr = {f, 720, 84 + 18.0 * (double)((np + 3) / 4) + group * (double)nd, 140, 24,
                               30 + 18.0 * (double)((np + 3) / 4), 46, oui_svg_nice(0, top, 6), {0, 1, 1, 2}};
    oui_html_figure_begin(f, "plan-waits");
    oui_svg_open(&fr, "Mean wait by department, each plan beside the baseline", "mean wait (minutes)", NULL);
    for (size_t p = 0; p < np; p++)
        oui_svg_legend(f, 140 + 150.0 * (double)(p % 4), 18 + 18.0 * (double)(p / 4), colour(p), r->plans[p].name);
    size_t k = 0;
    for (size_t i = 0; i < b->nscopes; i++) {
        if (b->scopes[i].kind != OUT_DEPARTMENT)
            continue;
        double y0 = fr.top + group * (double)k++;
        oui_svg_text(f, fr.left - 8, y0 + group / 2, "end", NULL, b->scopes[i].name);
        for (size_t p = 0; p < np; p++) {
            const struct out_metric *m = wait_of(&r->plans[p], b->scopes[i].name);
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
    for (size_t i = 0; i < b->nscopes; i++) {
        if (b->scopes[i].kind != OUT_DEPARTMENT)
            continue;
        char cells[16][CELL];
        const char *cp[16];
        for (size_t p = 0; p < ncols; p++) {
            const struct out_metric *m = wait_of(&r->plans[p], b->scopes[i].name);
            cp[p] = m ? oui_txt_stat(cells[p], CELL, m, true) : "-";
        }
        oui_html_row(f, b->scopes[i].name, cp, ncols);
    }
    oui_html_table_end(f);
    oui_html_figure_end(f, "Bars: each plan's mean wait at each department, with its 95% interval; the baseline "
                           "first, in grey.");
}

/* A plan's difference in one department's mean wait. */
struct diff_row {
    size_t plan;
    const char *dept;
    const struct out_metric *m;   /* its diff is set */
};

/* Every plan's paired difference in each department's mean wait, into
 * rows (the caller frees them); returns how many. */
static size_t diff_rows(const struct out_report *r, struct diff_row **rows)
{
    const struct out_plan *b = &r->plans[0];
    size_t n = 0;
    *rows = sim_xreallocarray(NULL, r->nplans * b->nscopes + 1, sizeof **rows);
    for (size_t p = 1; p < r->nplans; p++)
        for (size_t i = 0; i < b->nscopes; i++) {
            const struct out_metric *m =
                b->scopes[i].kind == OUT_DEPARTMENT ? wait_of(&r->plans[p], b->scopes[i].name) : NULL;
            if (m && m->diff)
                (*rows)[n++] = (struct diff_row){p, b->scopes[i].name, m};
        }
    return n;
}

/* Each plan's paired difference in mean wait from the baseline. */
static void differences(FILE *f, const struct out_report *r)
{
    struct diff_row *rows;
    size_t n = diff_rows(r, &rows);
    double lo = 0, hi = 0;
    for (size_t k = 0; k < n; k++) {
        const struct out_stat *d = rows[k].m->diff;
        const double v[3] = {d->ci_low, d->ci_high, d->mean};
        for (int j = 0; j < 3; j++)
            if (isfinite(v[j])) {
                lo = v[j] < lo ? v[j] : lo;
                hi = v[j] > hi ? v[j] : hi;
            }
    }
    struct oui_svg_frame fr = {f, 720, 70 + 20.0 * (double)n, 260, 24, 20, 46, oui_svg_nice(lo, hi, 7),
                               {0, 1, 1, 2}};
    oui_html_figure_begin(f, "differences");
    oui_svg_open(&fr, "Change in mean wait from the baseline, with 95% intervals",
                 "change in mean wait (minutes; below zero: shorter)", NULL);
    fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#222\" stroke-width=\"1.5\"/>\n",
            oui_svg_px(&fr, 0), fr.top, oui_svg_px(&fr, 0), fr.height - fr.bottom);
    char label[200], cell[CELL];
    for (size_t k = 0; k < n; k++) {
        const struct out_stat *d = rows[k].m->diff;
        double y = fr.top + 10 + 20.0 * (double)k;
        snprintf(label, sizeof label, "%s: %s", r->plans[rows[k].plan].name, rows[k].dept);
        oui_svg_text(f, fr.left - 8, y + 4, "end", NULL, label);
        bar_interval(f, &fr, d->ci_low, d->ci_high, y);
        if (isfinite(d->mean))
            fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"5\" fill=\"%s\"/>\n", oui_svg_px(&fr, d->mean), y,
                    colour(rows[k].plan));
    }
    oui_svg_close(&fr);
    static const char *const heads[] = {"plan: department", "change in mean wait (95% interval)"};
    oui_html_table_begin(f, heads, 2);
    for (size_t k = 0; k < n; k++) {
        snprintf(label, sizeof label, "%s: %s", r->plans[rows[k].plan].name, rows[k].dept);
        const char *cp[1] = {oui_txt_diff(cell, CELL, rows[k].m)};
        oui_html_row(f, label, cp, 1);
    }
    oui_html_table_end(f);
    free(rows);
    oui_html_figure_end(f, "Each dot is a plan's change in a department's mean wait, paired day by day with the "
                           "baseline; a line that crosses zero means no clear difference.");
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
