/* output/validate.c — the report of cxsim validate (see validate.h). */
#include "output/validate.h"

#include "output/htmldoc.h"
#include "output/json.h"
#include "output/svg.h"
#include "output/textfmt.h"
#include "sim/mem.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *const out_val_figure_names[OUT_VAL_FIGURES] = {"arrivals", "wait_mean", "wait_p90", "in_time",
                                                           "dropouts"};
static const char *const figure_heads[OUT_VAL_FIGURES] = {"arrivals a day", "wait, mean (min)", "wait p90 (min)",
                                                          "started in time", "dropped out"};
static const bool figure_share[OUT_VAL_FIGURES] = {false, false, false, true, true};

#define LIST_MAX 25   /* disagreements said in the text, the largest first */

static const char *interval_label(char *buf, size_t len, const struct out_validate *v, size_t b)
{
    char from[8], to[8];
    if (b == v->nbins)
        snprintf(buf, len, "whole day");
    else
        snprintf(buf, len, "%s-%s", out_clock(from, sizeof from, v->from_at[b]), out_clock(to, sizeof to, v->to_at[b]));
    return buf;
}

/* A figure as the text shows it: "12.3", "85%", "-". */
static const char *figure(char *buf, size_t len, double x, int m)
{
    if (!isfinite(x))
        snprintf(buf, len, "-");
    else if (figure_share[m])
        snprintf(buf, len, "%.0f%%", 100 * x);
    else
        snprintf(buf, len, "%.1f", x);
    return buf;
}

/* "12.3 (10.1 to 14.5)" */
static const char *with_interval(char *buf, size_t len, double x, double lo, double hi, int m)
{
    char a[24], b[24], c[24];
    if (isfinite(lo) && isfinite(hi))
        snprintf(buf, len, "%s (%s to %s)", figure(a, sizeof a, x, m), figure(b, sizeof b, lo, m),
                 figure(c, sizeof c, hi, m));
    else
        snprintf(buf, len, "%s", figure(a, sizeof a, x, m));
    return buf;
}

/* The departments with a disagreement, "sales (3), credit (1)". */
static void where(const struct out_validate *v, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t d = 0; d < v->ndepts; d++) {
        size_t n = 0;
        for (size_t b = 0; b <= v->nbins; b++)
            for (int m = 0; m < OUT_VAL_FIGURES; m++)
                n += out_val_cell(v, d, b, m)->disagree;
        if (n && used + strlen(v->depts[d]) + 16 < len)
            used += (size_t)snprintf(buf + used, len - used, "%s%s (%zu)", used ? ", " : "", v->depts[d], n);
    }
}

static void opening(const struct out_validate *v, const struct out_report *r, FILE *f)
{
    fprintf(f, "cxsim validate: %s against %s\n", r->scenario, v->log);
    oui_txt_paragraph(f, "%zu logged days set against %zu simulated days (seed %llu); intervals are 95%% confidence "
                      "intervals over days. Every figure is of the visits that arrived in the interval.",
                      v->log_days, v->model_days, (unsigned long long)r->seed);
    fputs("\nIn short\n", f);
    if (v->tests == 0)
        oui_txt_bullet(f, "Nothing could be compared: a figure is compared when both sides have at least 10 "
                       "visits behind it (2 days for arrivals).");
    else if (v->disagreements == 0)
        oui_txt_bullet(f, "No difference found: none of the %zu comparisons shows a difference larger than chance "
                       "would make (Holm's procedure, 5%% family-wise). With few logged days only large "
                       "differences can show: the intervals say how large.", v->tests);
    else {
        char w[512];
        where(v, w, sizeof w);
        oui_txt_bullet(f, "%zu of %zu comparisons differ%s by more than chance would make (Holm's procedure, 5%% "
                       "family-wise): %s. There the model is not yet the business: the list below says how.",
                       v->disagreements, v->tests, v->disagreements == 1 ? "s" : "", w);
    }
    if (*v->only_log)
        oui_txt_bullet(f, "In the log only, not compared: %s.", v->only_log);
    if (*v->only_model)
        oui_txt_bullet(f, "In the scenario only, not compared: %s.", v->only_model);
    if (v->outside)
        oui_txt_bullet(f, "%zu logged visits arrived outside the scenario's day: they count in the whole day's "
                       "figures only.", v->outside);
}

/* The disagreements, the smallest p first. */
static size_t sorted_disagreements(const struct out_validate *v, size_t *idx)
{
    size_t n = 0, cells = v->ndepts * (v->nbins + 1) * OUT_VAL_FIGURES;
    for (size_t i = 0; i < cells; i++)
        if (v->cells[i].disagree)
            idx[n++] = i;
    for (size_t i = 1; i < n; i++)   /* insertion sort: the list is short */
        for (size_t j = i; j > 0 && v->cells[idx[j]].p < v->cells[idx[j - 1]].p; j--) {
            size_t t = idx[j];
            idx[j] = idx[j - 1];
            idx[j - 1] = t;
        }
    return n;
}

int out_validate_text_write(const struct out_validate *v, const struct out_report *r, FILE *f, struct sim_err *err)
{
    opening(v, r, f);
    static const char *const short_heads[OUT_VAL_FIGURES] = {"arrivals/day", "wait mean", "wait p90", "in time",
                                                             "dropped out"};
    char a[32], b[32], label[32];
    for (size_t d = 0; d < v->ndepts; d++) {
        fprintf(f, "\n%s (in time: within %g minutes)\n%-12s", v->depts[d], v->targets[d], "");
        for (int m = 0; m < OUT_VAL_FIGURES; m++)
            fprintf(f, " %15s", short_heads[m]);
        fprintf(f, "\n%-12s", "");
        for (int m = 0; m < OUT_VAL_FIGURES; m++)
            fprintf(f, " %7s %7s", "log", "model");
        fputc('\n', f);
        for (size_t k = 0; k <= v->nbins; k++) {
            char row[160];
            size_t used = (size_t)snprintf(row, sizeof row, "%-12s", interval_label(label, sizeof label, v, k));
            for (int m = 0; m < OUT_VAL_FIGURES && used < sizeof row; m++) {
                const struct out_val_cell *c = out_val_cell(v, d, k, m);
                used += (size_t)snprintf(row + used, sizeof row - used, " %7s %6s%c", figure(a, sizeof a, c->log, m),
                                         figure(b, sizeof b, c->model, m), c->disagree ? '!' : ' ');
            }
            while (used > 0 && row[used - 1] == ' ')
                used--;
            fprintf(f, "%.*s\n", (int)used, row);
        }
    }
    fputs("  (waits in minutes; in time: started within the department's target wait; !: the log and the model\n"
          "   differ by more than chance would make)\n", f);
    (void)label;
    size_t *idx = sim_xmalloc((v->ndepts * (v->nbins + 1) * OUT_VAL_FIGURES + 1) * sizeof *idx);
    size_t n = sorted_disagreements(v, idx);
    if (n) {
        fputs("\nWhere they differ, the clearest first\n", f);
        for (size_t i = 0; i < n && i < LIST_MAX; i++) {
            size_t cell = idx[i] / OUT_VAL_FIGURES, dd = cell / (v->nbins + 1), k = cell % (v->nbins + 1);
            int m = (int)(idx[i] % OUT_VAL_FIGURES);
            const struct out_val_cell *c = &v->cells[idx[i]];
            char lg[64], md[64];
            oui_txt_bullet(f, "%s %s, %s: log %s, model %s (p = %.2g).", v->depts[dd],
                           interval_label(label, sizeof label, v, k), figure_heads[m],
                           with_interval(lg, sizeof lg, c->log, c->log_lo, c->log_hi, m),
                           with_interval(md, sizeof md, c->model, c->model_lo, c->model_hi, m), c->p);
        }
        if (n > LIST_MAX)
            oui_txt_bullet(f, "... and %zu more (--format csv lists every comparison).", n - LIST_MAX);
    }
    free(idx);
    if (ferror(f))
        return sim_err_set(err, SIM_EIO, "cannot write the report: %s", strerror(errno));
    return SIM_OK;
}

static void csv_number(FILE *f, double x)
{
    if (isfinite(x))
        fprintf(f, ",%.10g", x);
    else
        fputc(',', f);
}

int out_validate_csv_write(const struct out_validate *v, const struct out_report *r, FILE *f, struct sim_err *err)
{
    (void)r;
    fputs("department,from,to,figure,log,log_low,log_high,model,model_low,model_high,p,differ\r\n", f);
    char from[8], to[8];
    for (size_t d = 0; d < v->ndepts; d++)
        for (size_t k = 0; k <= v->nbins; k++)
            for (int m = 0; m < OUT_VAL_FIGURES; m++) {
                const struct out_val_cell *c = out_val_cell(v, d, k, m);
                fputc('"', f);
                for (const char *p = v->depts[d]; *p; p++) {
                    if (*p == '"')
                        fputc('"', f);
                    fputc(*p, f);
                }
                fputc('"', f);
                if (k < v->nbins)
                    fprintf(f, ",%s,%s", out_clock(from, sizeof from, v->from_at[k]), out_clock(to, sizeof to, v->to_at[k]));
                else
                    fputs(",day,day", f);
                fprintf(f, ",%s", out_val_figure_names[m]);
                csv_number(f, c->log);
                csv_number(f, c->log_lo);
                csv_number(f, c->log_hi);
                csv_number(f, c->model);
                csv_number(f, c->model_lo);
                csv_number(f, c->model_hi);
                csv_number(f, c->p);
                fprintf(f, ",%d\r\n", c->disagree);
            }
    if (ferror(f))
        return sim_err_set(err, SIM_EIO, "cannot write the CSV report: %s", strerror(errno));
    return SIM_OK;
}


int out_validate_json_write(const struct out_validate *v, const struct out_report *r, FILE *f, struct sim_err *err)
{
    json_t *o = json_object();
    json_object_set_new(o, "log", json_string(v->log));
    json_object_set_new(o, "log_days", json_integer((json_int_t)v->log_days));
    json_object_set_new(o, "model_days", json_integer((json_int_t)v->model_days));
    json_object_set_new(o, "comparisons", json_integer((json_int_t)v->tests));
    json_object_set_new(o, "differ", json_integer((json_int_t)v->disagreements));
    json_object_set_new(o, "only_log", json_string(v->only_log));
    json_object_set_new(o, "only_model", json_string(v->only_model));
    json_object_set_new(o, "outside_the_day", json_integer((json_int_t)v->outside));
    json_t *depts = json_object();
    char from[8], to[8];
    for (size_t d = 0; d < v->ndepts; d++) {
        json_t *rows = json_array();
        for (size_t k = 0; k <= v->nbins; k++) {
            json_t *row = json_object();
            json_object_set_new(row, "from", k < v->nbins ? json_string(out_clock(from, sizeof from, v->from_at[k]))
                                                          : json_string("day"));
            json_object_set_new(row, "to", k < v->nbins ? json_string(out_clock(to, sizeof to, v->to_at[k]))
                                                        : json_string("day"));
            for (int m = 0; m < OUT_VAL_FIGURES; m++) {
                const struct out_val_cell *c = out_val_cell(v, d, k, m);
                json_object_set_new(row, out_val_figure_names[m],
                                    json_pack("{s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:b}", "log", out_json_number(c->log), "log_low",
                                              out_json_number(c->log_lo), "log_high", out_json_number(c->log_hi), "model",
                                              out_json_number(c->model), "model_low", out_json_number(c->model_lo), "model_high",
                                              out_json_number(c->model_hi), "p", out_json_number(c->p), "differ", c->disagree));
            }
            json_array_append_new(rows, row);
        }
        json_object_set_new(depts, v->depts[d], rows);
    }
    json_object_set_new(o, "departments", depts);
    return out_json_write_extra(r, "validate", o, f, err);
}

/* One department's waits over the day: the log's means with their
 * intervals as bars, the model's as a line in its band; a ring marks a
 * difference. */
static void wait_chart(FILE *f, const struct out_validate *v, size_t d)
{
    double top = 1;
    for (size_t k = 0; k < v->nbins; k++) {
        const struct out_val_cell *c = out_val_cell(v, d, k, 1);
        double hi[] = {c->log_hi, c->log, c->model_hi, c->model};
        for (size_t i = 0; i < 4; i++)
            if (isfinite(hi[i]) && hi[i] > top)
                top = hi[i];
    }
    double open = v->from_at[0], close = v->to_at[v->nbins - 1];
    struct oui_svg_frame fr = {f, 720, 260, 60, 24, 40, 46, oui_svg_nice(open / 60, close / 60, 8), oui_svg_nice(0, top, 5)};
    char title[200];
    snprintf(title, sizeof title, "%s: mean wait by time of arrival, log against model", v->depts[d]);
    oui_svg_open(&fr, title, "time of day (hours)", "minutes");
    /* the model: its band, then its line */
    fprintf(f, "<path fill=\"%s\" fill-opacity=\"0.25\" stroke=\"none\" d=\"", OUI_SVG_ORANGE);
    bool first = true;
    for (size_t k = 0; k < v->nbins; k++) {
        const struct out_val_cell *c = out_val_cell(v, d, k, 1);
        if (!isfinite(c->model_hi))
            continue;
        double x = (v->from_at[k] + v->to_at[k]) / 2 / 60;
        fprintf(f, "%s%.1f %.1f", first ? "M" : "L", oui_svg_px(&fr, x), oui_svg_py(&fr, c->model_hi));
        first = false;
    }
    for (size_t k = v->nbins; k-- > 0;) {
        const struct out_val_cell *c = out_val_cell(v, d, k, 1);
        if (!isfinite(c->model_lo))
            continue;
        double x = (v->from_at[k] + v->to_at[k]) / 2 / 60;
        fprintf(f, "L%.1f %.1f", oui_svg_px(&fr, x), oui_svg_py(&fr, fmax(0, c->model_lo)));
    }
    fputs(first ? "\"/>\n" : "Z\"/>\n", f);
    fprintf(f, "<path fill=\"none\" stroke=\"%s\" stroke-width=\"2\" d=\"", OUI_SVG_ORANGE);
    first = true;
    for (size_t k = 0; k < v->nbins; k++) {
        const struct out_val_cell *c = out_val_cell(v, d, k, 1);
        if (!isfinite(c->model))
            continue;
        double x = (v->from_at[k] + v->to_at[k]) / 2 / 60;
        fprintf(f, "%s%.1f %.1f", first ? "M" : "L", oui_svg_px(&fr, x), oui_svg_py(&fr, c->model));
        first = false;
    }
    fputs("\"/>\n", f);
    /* the log: a dot and its interval */
    for (size_t k = 0; k < v->nbins; k++) {
        const struct out_val_cell *c = out_val_cell(v, d, k, 1);
        if (!isfinite(c->log))
            continue;
        double x = oui_svg_px(&fr, (v->from_at[k] + v->to_at[k]) / 2 / 60);
        if (isfinite(c->log_lo) && isfinite(c->log_hi))
            fprintf(f, "<path d=\"M%.1f %.1fV%.1f\" stroke=\"%s\" stroke-width=\"1.5\"/>\n", x,
                    oui_svg_py(&fr, fmax(0, c->log_lo)), oui_svg_py(&fr, fmin(top, c->log_hi)), OUI_SVG_BLUE);
        fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"%s\"/>\n", x, oui_svg_py(&fr, c->log), OUI_SVG_BLUE);
        if (c->disagree)
            fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"8\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"/>\n", x,
                    oui_svg_py(&fr, c->log), OUI_SVG_VERMILLION);
    }
    oui_svg_legend(f, 60, 16, OUI_SVG_BLUE, "the log (95% interval)");
    oui_svg_legend(f, 260, 16, OUI_SVG_ORANGE, "the model (95% band)");
    fprintf(f, "<circle cx=\"466\" cy=\"12\" r=\"6\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"/>\n",
            OUI_SVG_VERMILLION);   /* the ring the chart draws */
    oui_svg_text(f, 476, 16, "start", NULL, "differs");
    oui_svg_close(&fr);
}

int out_validate_html_write(const struct out_validate *v, const struct out_report *r, FILE *f, struct sim_err *err)
{
    char title[300];
    snprintf(title, sizeof title, "cxsim validate: %s against %s", r->scenario, v->log);
    oui_html_begin(f, r, title);
    char line[1024], w[512];
    snprintf(line, sizeof line, "%zu logged days set against %zu simulated days. Every figure is of the visits that "
             "arrived in the interval.", v->log_days, v->model_days);
    oui_html_p(f, NULL, line);
    if (v->tests == 0) {
        snprintf(line, sizeof line, "Nothing could be compared: a figure is compared when both sides have at least 10 "
                 "visits behind it (2 days for arrivals).");
    } else if (v->disagreements == 0) {
        snprintf(line, sizeof line, "No difference found: none of the %zu comparisons shows a difference larger "
                 "than chance would make (Holm's procedure, 5%% family-wise).", v->tests);
    } else {
        where(v, w, sizeof w);
        snprintf(line, sizeof line, "%zu of %zu comparisons differ%s by more than chance would make (Holm's "
                 "procedure, 5%% family-wise): %s.", v->disagreements, v->tests, v->disagreements == 1 ? "s" : "", w);
    }
    oui_html_p(f, NULL, line);
    if (*v->only_log) {
        snprintf(line, sizeof line, "In the log only, not compared: %s.", v->only_log);
        oui_html_p(f, NULL, line);
    }
    if (*v->only_model) {
        snprintf(line, sizeof line, "In the scenario only, not compared: %s.", v->only_model);
        oui_html_p(f, NULL, line);
    }
    const char *heads[1 + OUT_VAL_FIGURES];
    heads[0] = "interval";
    for (int m = 0; m < OUT_VAL_FIGURES; m++)
        heads[1 + m] = figure_heads[m];
    char label[32], buf[OUT_VAL_FIGURES][160];
    const char *cells[OUT_VAL_FIGURES];
    for (size_t d = 0; d < v->ndepts; d++) {
        oui_html_h2(f, v->depts[d]);
        char id[32];
        snprintf(id, sizeof id, "dept-%zu", d);
        oui_html_figure_begin(f, id);
        wait_chart(f, v, d);
        oui_html_table_begin(f, heads, 1 + OUT_VAL_FIGURES);
        for (size_t k = 0; k <= v->nbins; k++) {
            for (int m = 0; m < OUT_VAL_FIGURES; m++) {
                const struct out_val_cell *c = out_val_cell(v, d, k, m);
                char a[24], b[24];
                snprintf(buf[m], sizeof buf[m], "log %s, model %s%s", figure(a, sizeof a, c->log, m),
                         figure(b, sizeof b, c->model, m), c->disagree ? " (differs)" : "");
                cells[m] = buf[m];
            }
            oui_html_row(f, interval_label(label, sizeof label, v, k), cells, OUT_VAL_FIGURES);
        }
        oui_html_table_end(f);
        snprintf(line, sizeof line, "%s, by the time of arrival: the log's figures against the model's (a ring: they "
                 "differ by more than chance would make)", v->depts[d]);
        oui_html_figure_end(f, line);
    }
    oui_html_end(f, r);
    if (ferror(f))
        return sim_err_set(err, SIM_EIO, "cannot write the HTML report: %s", strerror(errno));
    return SIM_OK;
}
