/* output/html.c — the HTML report of a run (see html.h): the sentences of
 * output/summary.h, then five charts, each with the table of its exact
 * figures under it — waits against the targets, where customers are lost,
 * satisfaction, the day hour by hour, and the cost.
 *
 * Charts are drawn here from the plan's metrics with output/svg.h; a
 * department stopped as overloaded is drawn as a label, never as a bar.
 */
#include "output/html.h"
#include "output/htmldoc.h"
#include "output/svg.h"
#include "output/textfmt.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#define CELL OUI_TXT_CELL

/* The metric called name in sc, NULL when missing. */
static const struct out_stat *stat_of(const struct out_scope *sc, const char *name)
{
    const struct out_metric *m = sc ? out_report_metric(sc, name) : NULL;
    return m ? &m->stat : NULL;
}

static double fmax_finite(double a, double b)
{
    return !isfinite(b) ? a : !isfinite(a) || b > a ? b : a;
}

/* A bar's interval as a whisker with caps at pixel row y. */
static void whisker(const struct oui_svg_frame *fr, const struct out_stat *s, double y)
{
    if (!s || !isfinite(s->ci_low) || !isfinite(s->ci_high) || s->ci_high <= s->ci_low)
        return;
    double a = oui_svg_px(fr, s->ci_low < fr->x.lo ? fr->x.lo : s->ci_low), b = oui_svg_px(fr, s->ci_high);
    fprintf(fr->f, "<path d=\"M%.1f %.1fV%.1fM%.1f %.1fH%.1fM%.1f %.1fV%.1f\" stroke=\"#222\" stroke-width=\"1.5\" "
                   "fill=\"none\"/>\n",
            a, y - 5, y + 5, a, y, b, b, y - 5, y + 5);
}

static size_t departments(const struct out_plan *p, const struct out_scope **d, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < p->nscopes && n < max; i++)
        if (p->scopes[i].kind == OUT_DEPARTMENT)
            d[n++] = &p->scopes[i];
    return n;
}

/* Room at the left of a chart `width` wide for its row labels: the widest
 * label and a gap, at least 80 px, at most 40% of the width (a longer one
 * wraps onto a second line). */
static double label_room(const char *const *labels, size_t n, double width)
{
    double w = oui_svg_widest(labels, n, NULL) + 16;
    return w < 80 ? 80 : w > 0.4 * width ? 0.4 * width : w;
}

/* A row's label, right-aligned in the room left of the plot, centred on y. */
static void row_label(const struct oui_svg_frame *fr, double y, const char *label)
{
    oui_svg_text_fit(fr->f, fr->left - 8, y, "end", NULL, label, fr->left - 14, 2);
}

/* The legend's top row sits at this baseline; the plot starts below it. */
#define KEYS_Y 18

/* The top of the plot under a legend of these keys, from x to the right
 * edge of a chart `width` wide. */
static double under_keys(double x, double width, const struct oui_svg_key *keys, size_t n)
{
    return KEYS_Y - 12 + oui_svg_keys(NULL, x, KEYS_Y, width - x - 8, keys, n) + 14;
}

/* ---- waits ------------------------------------------------------------- */

/* The goal of department `name`, or NULL. */
static const struct out_goal *goal_of(const struct out_plan *p, const char *name)
{
    for (size_t g = 0; g < p->ngoals; g++)
        if (p->goals[g].kind == OUT_DEPARTMENT && !strcmp(p->goals[g].scope, name))
            return &p->goals[g];
    return NULL;
}

/* What decides each department's goal: the share of its customers who
 * started within the target wait, with its 95% interval, against the share
 * promised; the verdict beside it. The waits themselves are in the table. */
static void waits(FILE *f, const struct out_plan *p)
{
    const struct out_scope *d[64];
    const char *names[64];
    size_t nd = departments(p, d, 64);
    for (size_t i = 0; i < nd; i++)
        names[i] = d[i]->name;
    static const char *const verdicts[] = {"met", "missed", "too close to call"};
    static const struct oui_svg_key keys[] = {{OUI_SVG_SWATCH, OUI_SVG_BLUE, "started within the target"},
                                              {OUI_SVG_DASH, OUI_SVG_VERMILLION, "the goal"},
                                              {OUI_SVG_WHISKER, "#222", "95% interval"}};
    double left = label_room(names, nd, 720), top = under_keys(left, 720, keys, 3);
    struct oui_svg_frame fr = {f, 720, top + 34.0 * (double)nd + 54, left, oui_svg_widest(verdicts, 3, "value") + 16,
                               top, 46, oui_svg_nice(0, 100, 5), {0, 1, 1, 2}};
    oui_html_figure_begin(f, "waits");
    oui_svg_open(&fr, "Service level by department against its goal", "customers who started within the target wait (%)",
                 NULL);
    oui_svg_keys(f, left, KEYS_Y, 720 - left - 8, keys, 3);
    for (size_t i = 0; i < nd; i++) {
        double y = fr.top + 34.0 * (double)i + 17;
        row_label(&fr, y, d[i]->name);
        if (d[i]->overloaded) {
            oui_svg_text(f, fr.left + 6, y + 4, "start", "value", "overloaded: its queue grew without end");
            continue;
        }
        const struct out_stat *sl = stat_of(d[i], "service_level");
        if (sl && isfinite(sl->mean)) {
            struct out_stat pct = {100 * sl->mean, 100 * sl->ci_low, 100 * sl->ci_high, 100 * sl->sd, sl->n};
            fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"14\" fill=\"%s\"/>\n", fr.left, y - 7,
                    oui_svg_px(&fr, pct.mean) - fr.left, OUI_SVG_BLUE);
            whisker(&fr, &pct, y);
        }
        if (isfinite(d[i]->service_target))
            fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"2.5\" "
                       "stroke-dasharray=\"4 2\"/>\n",
                    oui_svg_px(&fr, 100 * d[i]->service_target), y - 13, oui_svg_px(&fr, 100 * d[i]->service_target),
                    y + 13, OUI_SVG_VERMILLION);
        const struct out_goal *g = goal_of(p, d[i]->name);
        if (g)
            oui_svg_text(f, fr.width - fr.right + 8, y + 4, "start", "value", out_verdict_name(g->verdict));
    }
    oui_svg_close(&fr);
    static const char *const heads[] = {"department", "started within the target", "goal", "verdict", "mean wait",
                                        "1 in 10 waits longer than"};
    oui_html_table_begin(f, heads, 6);
    for (size_t i = 0; i < nd; i++) {
        char a[CELL], b[CELL], c[CELL], e[CELL];
        snprintf(c, CELL, "%.0f%% in %g min", 100 * d[i]->service_target, d[i]->target_wait);
        const struct out_goal *g = goal_of(p, d[i]->name);
        const char *cells[5] = {oui_txt_cell(e, CELL, d[i], "service_level", true), c,
                                g ? out_verdict_name(g->verdict) : "-", oui_txt_cell(a, CELL, d[i], "wait_mean", true),
                                oui_txt_cell(b, CELL, d[i], "wait_p90", true)};
        if (d[i]->overloaded)
            cells[0] = cells[3] = cells[4] = "overloaded";
        oui_html_row(f, d[i]->name, cells, 5);
    }
    oui_html_table_end(f);
    oui_html_figure_end(f, "Bars: the share of customers who started within the department's target wait, with its "
                           "95% interval; dashes: the share its goal asks for. A goal is met when the whole interval "
                           "is at or right of the dashes, missed when it is all left of them, too close to call "
                           "otherwise.");
}

/* ---- losses ------------------------------------------------------------ */

/* the order the chart stacks them in */
static const enum out_drop_cause causes[] = {OUT_DROP_RENEGED, OUT_DROP_BALKED, OUT_DROP_BLOCKED, OUT_DROP_CLOSED};
static const char *const cause_heads[] = {"gave up waiting", "turned back", "found no room", "sent home at closing"};
static const char *const cause_colours[] = {OUI_SVG_VERMILLION, OUI_SVG_ORANGE, OUI_SVG_PURPLE, OUI_SVG_GREY};

/* Customers lost at department d for cause c, external and internal. */
static double lost_at(const struct out_plan *p, const char *dept, enum out_drop_cause cause)
{
    double sum = 0;
    for (size_t i = 0; i < p->nscopes; i++)
        if (p->scopes[i].kind == OUT_JOURNEY) {
            double v = out_metric_mean(out_scope_drop(&p->scopes[i], dept, cause));
            sum += isfinite(v) ? v : 0;
        }
    return sum;
}

static void losses(FILE *f, const struct out_report *r, const struct out_plan *p)
{
    const struct out_scope *d[64];
    const char *names[64];
    size_t nd = departments(p, d, 64);
    double most = 0, right = 40;
    static char labels[64][96];   /* each bar's "lost 1.2 of 34.5 (3%)", whose width sets the right margin */
    for (size_t i = 0; i < nd; i++) {
        names[i] = d[i]->name;
        double arrivals = oui_txt_mean(d[i], "arrivals"), lost = 0;
        most = fmax_finite(most, arrivals);
        for (int c = 0; c < 4; c++)
            lost += lost_at(p, d[i]->name, causes[c]);
        snprintf(labels[i], sizeof labels[i], "lost %.1f of %.1f (%.0f%%)", lost, arrivals,
                 arrivals > 0 ? 100 * lost / arrivals : 0.0);
        right = fmax(right, oui_svg_text_width(labels[i], strlen(labels[i]), "value") + 16);
    }
    struct oui_svg_key keys[5] = {{OUI_SVG_SWATCH, OUI_SVG_SKY, "went on"}};
    for (int c = 0; c < 4; c++)
        keys[c + 1] = (struct oui_svg_key){OUI_SVG_SWATCH, cause_colours[c], cause_heads[c]};
    double left = label_room(names, nd, 720), top = under_keys(left, 720, keys, 5);
    struct oui_svg_frame fr = {f, 720, top + 34.0 * (double)nd + 54, left, right, top, 46, oui_svg_nice(0, most, 6),
                               {0, 1, 1, 2}};
    oui_html_figure_begin(f, "losses");
    oui_svg_open(&fr, "Where customers are lost, department by department", r->is_day ? "customers a day"
                                                                                      : "customers a run", NULL);
    oui_svg_keys(f, left, KEYS_Y, 720 - left - 8, keys, 5);
    for (size_t i = 0; i < nd; i++) {
        double y = fr.top + 34.0 * (double)i + 17, arrivals = oui_txt_mean(d[i], "arrivals"), x = fr.left, lost = 0;
        row_label(&fr, y, d[i]->name);
        if (!isfinite(arrivals) || d[i]->overloaded) {
            oui_svg_text(f, fr.left + 6, y + 4, "start", "value", d[i]->overloaded ? "overloaded" : "-");
            continue;
        }
        double part[5];
        for (int c = 0; c < 4; c++)
            lost += part[c + 1] = lost_at(p, d[i]->name, causes[c]);
        part[0] = arrivals > lost ? arrivals - lost : 0;
        for (int c = 0; c < 5; c++) {
            double w = oui_svg_px(&fr, part[c]) - fr.left;
            if (w <= 0)
                continue;
            fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"18\" fill=\"%s\"/>\n", x, y - 9, w,
                    c ? cause_colours[c - 1] : OUI_SVG_SKY);
            x += w;
        }
        oui_svg_text(f, x + 6, y + 4, "start", "value", labels[i]);
    }
    oui_svg_close(&fr);
    const char *heads[6] = {"department", "arrived", cause_heads[0], cause_heads[1], cause_heads[2], cause_heads[3]};
    oui_html_table_begin(f, heads, 6);
    for (size_t i = 0; i < nd; i++) {
        char cells[5][CELL];
        const char *cp[5];
        oui_txt_cell(cells[0], CELL, d[i], "arrivals", true);
        for (int c = 0; c < 4; c++)
            snprintf(cells[c + 1], CELL, "%.1f", lost_at(p, d[i]->name, causes[c]));
        for (int c = 0; c < 5; c++)
            cp[c] = d[i]->overloaded ? "overloaded" : cells[c];
        oui_html_row(f, d[i]->name, cp, 5);
    }
    oui_html_table_end(f);
    oui_html_figure_end(f, "Each bar is the customers who reached the department (external and internal), split by "
                           "what became of them there: went on, or lost and why.");
}

/* ---- satisfaction ------------------------------------------------------ */

static void satisfaction(FILE *f, const struct out_plan *p)
{
    static const char *const colours[] = {OUI_SVG_VERMILLION, OUI_SVG_ORANGE, OUI_SVG_YELLOW, OUI_SVG_SKY,
                                          OUI_SVG_BLUE};
    static const char *const bands[] = {"1 to 2", "2 to 3", "3 to 4", "4 to 5", "5"};
    const struct out_scope *who[2] = {out_report_scope(p, OUT_JOURNEY, "external"),
                                      out_report_scope(p, OUT_JOURNEY, "internal")};
    char labels[2][96];
    double right = 40;
    for (int k = 0; k < 2; k++) {
        snprintf(labels[k], sizeof labels[k], "mean %.2f, CSAT %.0f%%", oui_txt_mean(who[k], "satisfaction_mean"),
                 100 * oui_txt_mean(who[k], "csat"));
        right = fmax(right, oui_svg_text_width(labels[k], strlen(labels[k]), "value") + 16);
    }
    struct oui_svg_key keys[5];
    for (int b = 0; b < 5; b++)
        keys[b] = (struct oui_svg_key){OUI_SVG_SWATCH, colours[b], bands[b]};
    static const char *const rows[] = {"external", "internal"};
    double left = label_room(rows, 2, 720), top = under_keys(left, 720, keys, 5);
    struct oui_svg_frame fr = {f, 720, top + 68 + 54, left, right, top, 46, oui_svg_nice(0, 100, 6), {0, 1, 1, 2}};
    oui_html_figure_begin(f, "satisfaction");
    oui_svg_open(&fr, "How satisfied customers left", "share of customers (%)", NULL);
    oui_svg_keys(f, left, KEYS_Y, 720 - left - 8, keys, 5);
    for (int k = 0; k < 2; k++) {
        double y = fr.top + 34.0 * k + 17, x = fr.left;
        row_label(&fr, y, rows[k]);
        if (!who[k] || !isfinite(oui_txt_mean(who[k], "satisfaction_mean"))) {
            oui_svg_text(f, fr.left + 6, y + 4, "start", "value", "none served");
            continue;
        }
        for (int b = 0; b < 5; b++) {
            char name[32];
            snprintf(name, sizeof name, "satisfaction_band.%d", b + 1);
            double share = oui_txt_mean(who[k], name), w = oui_svg_px(&fr, 100 * (isfinite(share) ? share : 0)) - fr.left;
            if (w > 0)
                fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"18\" fill=\"%s\" stroke=\"#fff\"/>\n",
                        x, y - 9, w, colours[b]);
            x += w > 0 ? w : 0;
        }
        oui_svg_text(f, fr.width - fr.right + 8, y + 4, "start", "value", labels[k]);
    }
    oui_svg_close(&fr);
    static const char *const heads[] = {"customers", "mean score", "CSAT (4 or more)", "1 to 2", "2 to 3", "3 to 4",
                                        "4 to 5", "5"};
    oui_html_table_begin(f, heads, 8);
    for (int k = 0; k < 2; k++) {
        if (!who[k])
            continue;
        char cells[7][CELL];
        const char *cp[7];
        oui_txt_cell(cells[0], CELL, who[k], "satisfaction_mean", true);
        oui_txt_cell(cells[1], CELL, who[k], "csat", true);
        for (int b = 0; b < 5; b++) {
            char name[32];
            snprintf(name, sizeof name, "satisfaction_band.%d", b + 1);
            oui_txt_cell(cells[2 + b], CELL, who[k], name, false);
        }
        for (int c = 0; c < 7; c++)
            cp[c] = cells[c];
        oui_html_row(f, k ? "internal" : "external", cp, 7);
    }
    oui_html_table_end(f);
    oui_html_figure_end(f, "Scores from 1 to 5 by the peak-end rule (spec §4); a customer who gave up scores the "
                           "drop-out score. CSAT: the share scoring 4 or more.");
}

/* ---- the day hour by hour ---------------------------------------------- */

/* Department sc's customers waiting (staff on duty when `staff`) in hour h
 * of the day, a mean over days; NaN when not measured. */
static double hour_mean(const struct out_scope *sc, size_t h, bool staff)
{
    if (h >= sc->nhours)
        return NAN;
    return out_metric_mean(staff ? sc->hours[h].staff : sc->hours[h].queue_mean);
}

static void hours(FILE *f, const struct out_report *r, const struct out_plan *p)
{
    const struct out_scope *d[64];
    size_t nd = departments(p, d, 64), nh = 0;
    if (!r->is_day || !nd)
        return;
    /* the bins of the day, on the clock: all but the one after closing */
    enum { MOST = 288 };
    char hour[MOST][8];
    double from[MOST], to[MOST];
    for (size_t h = 0; h < d[0]->nhours && nh < MOST; h++)
        if (!isnan(d[0]->hours[h].from_at)) {
            from[nh] = d[0]->hours[h].from_at;
            to[nh] = d[0]->hours[h].to_at;
            out_clock(hour[nh++], sizeof hour[0], d[0]->hours[h].from_at);
        }
    if (!nh)
        return;
    double top = 1;
    for (size_t i = 0; i < nd; i++)
        for (size_t h = 0; h < nh && h < d[i]->nhours; h++) {
            top = fmax_finite(top, out_metric_mean(d[i]->hours[h].queue_mean));
            top = fmax_finite(top, out_metric_mean(d[i]->hours[h].staff));
        }
    oui_html_figure_begin(f, "hours");
    double open = from[0], close = to[nh - 1], span_h = (close - open) / 60;
    double first_tick = ceil(open / 60) * 60, every = span_h > 6 ? 180 : 60;
    /* every panel alike: its title (the department, on up to two lines,
     * the same room in all), its legend under it, then the plot */
    enum { PANEL = 350 };
    size_t title_lines = 1;
    for (size_t i = 0; i < nd; i++) {
        struct oui_svg_lines l;
        oui_svg_wrap(d[i]->name, "title", PANEL - 16, 2, &l);
        title_lines = l.n > title_lines ? l.n : title_lines;
    }
    static const struct oui_svg_key keys[] = {{OUI_SVG_SWATCH, OUI_SVG_BLUE, "waiting"},
                                              {OUI_SVG_SWATCH, OUI_SVG_ORANGE, "staff"}};
    double keys_y = 18 + oui_svg_line_h("title") * (double)title_lines + 4;
    double plot_top = keys_y - 12 + oui_svg_keys(NULL, 50, keys_y, PANEL - 58, keys, 2) + 14;
    for (size_t i = 0; i < nd; i++) {
        /* x: the clock, minutes after midnight; a bin from its start to its end */
        struct oui_svg_frame fr = {f, PANEL, plot_top + 130 + 46, 50, 24, plot_top, 46, {open, close, 60, 0},
                                   oui_svg_nice(0, top, 5)};
        char title[128], tick[8];
        snprintf(title, sizeof title, "%s: customers waiting and staff on duty by hour", d[i]->name);
        oui_svg_open(&fr, title, NULL, "customers, staff");
        oui_svg_text_lines(f, 8, 18, "start", "title", d[i]->name, PANEL - 16, 2);
        for (double t = first_tick; t <= close + 1e-9; t += every)
            oui_svg_text(f, oui_svg_px(&fr, t), fr.height - fr.bottom + 18, "middle", "tick",
                         out_clock(tick, sizeof tick, t));
        oui_svg_text(f, (fr.left + fr.width - fr.right) / 2, fr.height - 12, "middle", "axis", "hour of the day");
        /* waiting: a line through each bin's middle; staff: a step per bin */
        for (int k = 0; k < 2; k++) {
            fprintf(f, "<path fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s d=\"", k ? OUI_SVG_ORANGE : OUI_SVG_BLUE,
                    k ? " stroke-dasharray=\"5 3\"" : "");
            for (size_t h = 0; h < nh; h++) {
                double v = hour_mean(d[i], h, k), y;
                y = oui_svg_py(&fr, isfinite(v) ? v : 0);
                if (k)
                    fprintf(f, "%s%.1f %.1fH%.1f", h ? "L" : "M", oui_svg_px(&fr, from[h]), y, oui_svg_px(&fr, to[h]));
                else
                    fprintf(f, "%s%.1f %.1f", h ? "L" : "M", oui_svg_px(&fr, (from[h] + to[h]) / 2), y);
            }
            fputs("\"/>\n", f);
        }
        oui_svg_keys(f, 50, keys_y, PANEL - 58, keys, 2);
        oui_svg_close(&fr);
    }
    /* the exact figures: a table for every four departments */
    for (size_t first = 0; first < nd; first += 4) {
        size_t ncols = 2 * (nd - first < 4 ? nd - first : 4);
        const char *heads[1 + 8];
        char headbuf[8][64];
        heads[0] = "hour";
        for (size_t c = 0; c < ncols; c++) {
            snprintf(headbuf[c], 64, "%s %s", d[first + c / 2]->name, c % 2 ? "staff" : "waiting");
            heads[1 + c] = headbuf[c];
        }
        oui_html_table_begin(f, heads, 1 + ncols);
        for (size_t h = 0; h < nh; h++) {
            char cells[8][CELL];
            const char *cp[8];
            for (size_t c = 0; c < ncols; c++) {
                double v = hour_mean(d[first + c / 2], h, c % 2 == 1);
                snprintf(cells[c], CELL, isfinite(v) ? "%.1f" : "-", v);
                cp[c] = cells[c];
            }
            oui_html_row(f, hour[h], cp, ncols);
        }
        oui_html_table_end(f);
    }
    oui_html_figure_end(f, "Customers waiting (the queue, on average over each hour; solid) and staff on duty "
                           "(dashed), one panel per department, on the same scale; means over the days.");
}

/* ---- cost -------------------------------------------------------------- */

static void cost(FILE *f, const struct out_report *r, const struct out_plan *p)
{
    const struct out_scope *sc = out_report_scope(p, OUT_COST, NULL);
    static const char *const names[] = {"staff_cost", "lost_value", "total_cost"};
    static const char *const labels[] = {"staff", "lost value", "total"};
    static const char *const colours[] = {OUI_SVG_BLUE, OUI_SVG_VERMILLION, OUI_SVG_GREY};
    double top = 1;
    for (int k = 0; k < 3; k++) {
        const struct out_stat *s = stat_of(sc, names[k]);
        top = fmax_finite(top, s ? fmax_finite(s->mean, s->ci_high) : NAN);
    }
    struct oui_svg_frame fr = {f, 720, 196, label_room(labels, 3, 720), 40, 40, 46, oui_svg_nice(0, top, 6),
                               {0, 1, 1, 2}};
    oui_html_figure_begin(f, "cost");
    oui_svg_open(&fr, "Staff cost against the value of customers lost",
                 r->is_day ? "money a day (the scenario's currency)" : "money a run (the scenario's currency)", NULL);
    for (int k = 0; k < 3; k++) {
        double y = fr.top + 34.0 * k + 17;
        const struct out_stat *s = stat_of(sc, names[k]);
        row_label(&fr, y, labels[k]);
        if (s && isfinite(s->mean) && s->mean > 0)
            fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"16\" fill=\"%s\"/>\n", fr.left, y - 8,
                    oui_svg_px(&fr, s->mean) - fr.left, colours[k]);
        whisker(&fr, s, y);
    }
    oui_svg_close(&fr);
    static const char *const heads[] = {"cost", "mean with 95% interval"};
    oui_html_table_begin(f, heads, 2);
    for (int k = 0; k < 3; k++) {
        char a[CELL];
        const char *cp[1] = {sc ? oui_txt_cell(a, CELL, sc, names[k], true) : "-"};
        oui_html_row(f, labels[k], cp, 1);
    }
    oui_html_table_end(f);
    oui_html_figure_end(f, "What the staffing costs, and what the customers who left unserved would have been worth.");
}

/* Cross-trained pools: how busy, whom they served, where their time went. */
static void pools(FILE *f, const struct out_report *r, const struct out_plan *p)
{
    static const char *const heads[] = {"pool", "staff busy", "served", "overtime", "where its busy time went"};
    oui_html_table_begin(f, heads, 5);
    for (size_t i = 0; i < p->nscopes; i++) {
        const struct out_scope *sc = &p->scopes[i];
        if (sc->kind != OUT_POOL)
            continue;
        char a[CELL], b[CELL], c[CELL], where[512] = "", cell[CELL];
        size_t n = 0;
        for (size_t m = 0; m < sc->nmetrics && n + 80 < sizeof where; m++)
            if (!strncmp(sc->metrics[m].name, "time_at.", 8))
                n += (size_t)snprintf(where + n, sizeof where - n, "%s%s %s", n ? ", " : "", sc->metrics[m].name + 8,
                                      oui_txt_stat(cell, sizeof cell, &sc->metrics[m], false));
        const char *cp[4] = {oui_txt_cell(a, CELL, sc, "utilization", true), oui_txt_cell(b, CELL, sc, "served", true),
                             oui_txt_cell(c, CELL, sc, "overtime", true), where};
        oui_html_row(f, sc->name, cp, 4);
    }
    oui_html_table_end(f);
    oui_html_p(f, NULL, r->is_day ? "Staff busy: of the pool's paid time; served: customers a day; overtime: "
                                    "staff-minutes after closing."
                                  : "Staff busy: of the pool's paid time; served: customers a run.");
}

int out_html_write(const struct out_report *r, FILE *f, struct sim_err *err)
{
    if (r->compared)
        return out_html_compare_write(r, f, err);
    const struct out_plan *p = &r->plans[0];
    oui_html_begin(f, r, r->scenario);
    if (p->overloaded) {
        char warn[240];
        snprintf(warn, sizeof warn, "%u of %u %ss were stopped as overloaded (too many customers inside at once, "
                                    "or too much work); the figures leave them out.",
                 p->overloaded, r->replications, r->is_day ? "day" : "run");
        oui_html_p(f, "warn", warn);
    }
    oui_html_h2(f, "In short");
    struct oui_sentences s;
    oui_summary_run(r, p, &s);
    oui_html_sentences(f, &s);
    oui_html_h2(f, "Waits");
    waits(f, p);
    if (out_report_scope(p, OUT_POOL, NULL)) {
        oui_html_h2(f, "Cross-trained pools");
        pools(f, r, p);
    }
    oui_html_h2(f, "Customers lost");
    losses(f, r, p);
    oui_html_h2(f, "Satisfaction");
    satisfaction(f, p);
    if (r->is_day) {
        oui_html_h2(f, "The day hour by hour");
        hours(f, r, p);
    }
    oui_html_h2(f, "Cost");
    cost(f, r, p);
    oui_html_end(f, r);
    if (ferror(f))
        return sim_err_set(err, SIM_EIO, "cannot write the report: %s", strerror(errno));
    return SIM_OK;
}
