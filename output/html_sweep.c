/* output/html_sweep.c — the HTML report of a sweep (see html.h): the
 * answer in sentences, a heat map of one metric over two swept parameters,
 * and the plans ranked, those that meet every goal first.
 *
 * The heat map's colours run from light yellow to dark blue (a sequential
 * scale readable in grey and by colour-blind readers); each cell also
 * prints its value, so no colour has to be read exactly.
 */
#include "output/html.h"
#include "output/htmldoc.h"
#include "output/svg.h"
#include "output/textfmt.h"

#include "sim/mem.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define CELL OUI_TXT_CELL

/* The colour of t in [0, 1] on a yellow-green-blue scale. */
static void scale_colour(char *buf, size_t len, double t)
{
    static const double stops[5][3] = {
        {255, 255, 204}, {161, 218, 180}, {65, 182, 196}, {44, 127, 184}, {37, 52, 148}};
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    double x = t * 4;
    int i = x >= 4 ? 3 : (int)x;
    double u = x - i;
    snprintf(buf, len, "#%02x%02x%02x", (unsigned)lround(stops[i][0] + u * (stops[i + 1][0] - stops[i][0])),
             (unsigned)lround(stops[i][1] + u * (stops[i + 1][1] - stops[i][1])),
             (unsigned)lround(stops[i][2] + u * (stops[i + 1][2] - stops[i][2])));
}

static void heatmap(FILE *f, const struct out_heatmap *hm)
{
    double lo = INFINITY, hi = -INFINITY;
    for (size_t k = 0; k < hm->nx * hm->ny; k++)
        if (isfinite(hm->value[k])) {
            lo = hm->value[k] < lo ? hm->value[k] : lo;
            hi = hm->value[k] > hi ? hm->value[k] : hi;
        }
    double cw = hm->nx > 10 ? 56 : 84, ch = hm->ny > 12 ? 28 : 38, grid_w = cw * (double)hm->nx;
    double width = 150 + (grid_w > 520 ? grid_w : 520) + 30;
    char title[400];
    snprintf(title, sizeof title, "%s by %s and %s", hm->metric, hm->x_path, hm->y_path);
    /* the title wrapped to the chart, the y axis's name over its values:
       the grid starts below both (long names take lines, never overlap) */
    struct oui_svg_lines tl, yl, xl;
    oui_svg_wrap(title, "title", width - 20, 3, &tl);
    oui_svg_wrap(hm->y_path, "axis", 140, 3, &yl);
    oui_svg_wrap(hm->x_path, "axis", grid_w > 200 ? grid_w : 200, 2, &xl);
    double th = oui_svg_line_h("title") * (double)(tl.n ? tl.n : 1), yh = oui_svg_line_h("axis") * (double)(yl.n ? yl.n : 1);
    double top = 20 + th + 8 + yh + 6, bottom = 30 + oui_svg_line_h("axis") * (double)(xl.n ? xl.n : 1) + 10;
    struct oui_svg_frame fr = {f, width, top + ch * (double)hm->ny + bottom, 150, 30, top, bottom, {0, 1, 1, 2},
                               {0, 1, 1, 2}};
    oui_html_figure_begin(f, "heatmap");
    fprintf(f, "<svg class=\"chart\" role=\"img\" aria-label=\"");
    oui_html_text(f, title);
    fprintf(f, "\" width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\">\n<title>", fr.width, fr.height, fr.width,
            fr.height);
    oui_html_text(f, title);
    fputs("</title>\n", f);
    oui_svg_text_lines(f, 10, 20, "start", "title", title, width - 20, 3);
    oui_svg_text_lines(f, fr.left - 8, 20 + th + 8 + oui_svg_line_h("axis") - 4, "end", "axis", hm->y_path, 140, 3);
    char colour[16], label[CELL];
    for (size_t j = 0; j < hm->ny; j++) {
        double y = fr.top + ch * (double)(hm->ny - 1 - j);   /* the first y value at the bottom */
        oui_svg_text_fit(f, fr.left - 8, y + ch / 2, "end", "tick", hm->y_values[j], 140, 2);
        for (size_t i = 0; i < hm->nx; i++) {
            double v = hm->value[j * hm->nx + i], x = fr.left + cw * (double)i;
            double t = hi > lo ? (v - lo) / (hi - lo) : 0.5;
            if (isfinite(v))
                scale_colour(colour, sizeof colour, t);
            else
                snprintf(colour, sizeof colour, "#eeeeee");
            fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\" stroke=\"#fff\"/>\n", x,
                    y, cw, ch, colour);
            if (isfinite(v)) {
                snprintf(label, sizeof label, fabs(v) >= 100 ? "%.0f" : fabs(v) >= 10 ? "%.1f" : "%.2f", v);
                oui_txt_group(label, sizeof label);
            } else {
                snprintf(label, sizeof label, "-");
            }
            fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" class=\"value\" style=\"fill:%s\">", x + cw / 2,
                    y + ch / 2 + 4, isfinite(v) && t > 0.55 ? "#fff" : "#222");
            oui_html_text(f, label);
            fputs("</text>\n", f);
        }
    }
    for (size_t i = 0; i < hm->nx; i++)
        oui_svg_text_fit(f, fr.left + cw * ((double)i + 0.5), fr.top + ch * (double)hm->ny + 12, "middle", "tick",
                         hm->x_values[i], cw - 4, 1);
    oui_svg_text_lines(f, fr.left + grid_w / 2, fr.top + ch * (double)hm->ny + 36, "middle", "axis", hm->x_path,
                       grid_w > 200 ? grid_w : 200, 2);
    fputs("</svg>\n", f);
    /* the exact figures: a row per y value, a column per x value */
    const char *heads[1 + 64];
    char headbuf[64][CELL];
    size_t nx = hm->nx < 64 ? hm->nx : 64;
    snprintf(headbuf[0], CELL, "%s \\ %s", hm->y_path, hm->x_path);
    heads[0] = headbuf[0];
    for (size_t i = 0; i < nx; i++)
        heads[1 + i] = hm->x_values[i];
    oui_html_table_begin(f, heads, 1 + nx);
    for (size_t j = hm->ny; j-- > 0;) {
        char cells[64][CELL];
        const char *cp[64];
        for (size_t i = 0; i < nx; i++) {
            double v = hm->value[j * hm->nx + i];
            snprintf(cells[i], CELL, isfinite(v) ? "%.2f" : "-", v);
            oui_txt_group(cells[i], CELL);
            cp[i] = cells[i];
        }
        oui_html_row(f, hm->y_values[j], cp, nx);
    }
    oui_html_table_end(f);
    char caption[600];
    snprintf(caption, sizeof caption, "%s for each pair of values of %s and %s (darker: higher)%s%s%s.", hm->metric,
             hm->x_path, hm->y_path, hm->held ? "; the other parameters as in the best plan (" : "",
             hm->held ? hm->held : "", hm->held ? ")" : "");
    oui_html_figure_end(f, caption);
}

static void ranking(FILE *f, const struct out_report *r, const struct out_sweep_ranking *rk)
{
    /* a column per swept parameter, named as the text report names it:
       plans that differ in their last parameter differ in its column */
    static const char *const heads[] = {"total cost", "staff", "lost value", "lost", "satisfaction",
                                        "meets every goal"};
    size_t ncols = rk->naxes + 6 + (rk->by != NULL);   /* --rank-by: its figure after the parameters */
    const char **head = sim_xmalloc((ncols + 1) * sizeof *head);
    const char **cp = sim_xmalloc(ncols * sizeof *cp);
    head[0] = "rank";
    for (size_t a = 0; a < rk->naxes; a++)
        head[1 + a] = oui_txt_short_path(rk->paths[a]);
    size_t first = 1 + rk->naxes;
    if (rk->by)
        head[first++] = rk->by->label;
    for (size_t k = 0; k < 6; k++)
        head[first + k] = heads[k];
    oui_html_table_begin(f, head, ncols + 1);
    size_t shown = rk->nrows < 50 ? rk->nrows : 50;
    for (size_t i = 0; i < shown; i++) {
        const struct out_sweep_row *row = &rk->rows[i];
        char rank[16], cells[6][CELL], by_cell[CELL];
        struct out_metric total = {.name = "total_cost", .unit = "money", .stat = row->total};
        snprintf(rank, sizeof rank, "%zu%s", i + 1, row->overloaded ? " (overloaded)" : "");
        oui_txt_stat(cells[0], CELL, &total, true);
        oui_txt_money(cells[1], CELL, row->staff);
        oui_txt_money(cells[2], CELL, row->lost);
        snprintf(cells[3], CELL, isfinite(row->dropout) ? "%.1f%%" : "-", 100 * row->dropout);
        snprintf(cells[4], CELL, isfinite(row->satisfaction) ? "%.2f" : "-", row->satisfaction);
        const char *verdict = row->verdict == OUT_MET ? "yes" : row->verdict == OUT_MISSED ? "misses " : "too close on ";
        const char *which = row->verdict == OUT_MET ? "" : row->verdict == OUT_MISSED ? row->missed : row->close;
        char *last = sim_xmalloc(strlen(verdict) + strlen(which) + 1);   /* whole, however many scopes */
        strcpy(last, verdict);
        strcat(last, which);
        size_t c = 0;
        for (size_t a = 0; a < rk->naxes; a++)
            cp[c++] = row->values[a];
        if (rk->by) {
            struct out_metric by = {.name = rk->by->metric, .unit = rk->by_unit, .stat = row->by};
            cp[c++] = oui_txt_stat(by_cell, CELL, &by, true);
        }
        for (size_t k = 0; k < 5; k++)
            cp[c++] = cells[k];
        cp[c++] = last;
        oui_html_row(f, rank, cp, ncols);
        free(last);
    }
    free(head);
    free(cp);
    oui_html_table_end(f);
    char note[200];
    snprintf(note, sizeof note, "Cost per %s; lost: the share of external customers who left unserved; "
                                "satisfaction: external, 1 to 5.%s",
             r->is_day ? "day" : "run", rk->nrows > shown ? " The 50 best plans; every plan: --format csv or json." : "");
    oui_html_p(f, "sub", note);
}

int out_html_sweep_write(const struct out_report *r, const struct out_sweep_ranking *rk,
                         const struct out_heatmap *hm, FILE *f, struct sim_err *err)
{
    char title[300];
    snprintf(title, sizeof title, "%s: a sweep of %llu plan%s", r->scenario, (unsigned long long)rk->nplans,
             rk->nplans == 1 ? "" : "s");
    oui_html_begin(f, r, title);
    oui_html_h2(f, "In short");
    struct oui_sentences s;
    oui_summary_sweep(r, rk, &s);
    oui_html_sentences(f, &s);
    if (hm && hm->nx && hm->ny) {
        oui_html_h2(f, "The plans at a glance");
        heatmap(f, hm);
    }
    oui_html_h2(f, "The plans, ranked");
    ranking(f, r, rk);
    oui_html_end(f, r);
    if (ferror(f))
        return sim_err_set(err, SIM_EIO, "cannot write the report: %s", strerror(errno));
    return SIM_OK;
}
