/* output/htmldoc.c — the document every HTML report shares (see htmldoc.h). */
#include "output/htmldoc.h"
#include "output/svg.h"
#include "output/textfmt.h"

#include <stdio.h>

/* Print-friendly, system fonts only; the chart classes of output/svg.c. */
static const char style[] =
    "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,'Helvetica Neue',Arial,sans-serif;"
    "color:#222;max-width:60rem;margin:1.5rem auto;padding:0 1rem;line-height:1.45}"
    "h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.25rem;margin-top:2rem;border-bottom:1px solid #ccc}"
    ".sub{color:#555;margin-top:0}.summary li{margin:.35rem 0}"
    "figure{margin:1.2rem 0 2rem;break-inside:avoid;page-break-inside:avoid}"
    "figcaption{font-size:.9rem;color:#444;margin-top:.3rem}"
    "svg.chart{max-width:100%;height:auto;display:block}#hours svg.chart{display:inline-block;margin:0 .5rem .5rem 0}"
    "svg text{font-size:12px;fill:#222}svg .tick{fill:#555;font-size:11px}svg .axis{font-size:12px}"
    "svg .title{font-size:13px;font-weight:600}svg .group{font-weight:600}svg .value{font-size:11px}"
    "svg .grid{stroke:#e3e3e3;stroke-width:1}svg .axisline{stroke:#999;stroke-width:1}"
    "table{border-collapse:collapse;font-size:.85rem;margin-top:.5rem}"
    "th,td{padding:.15rem .6rem;text-align:right;border-bottom:1px solid #eee}"
    "th:first-child,td:first-child{text-align:left}thead th{border-bottom:1px solid #999}"
    /* a table too wide for the window scrolls within its own box rather
     * than pushing the page wider */
    ".table{overflow-x:auto;max-width:100%}"
    ".warn{background:#fff4e5;border-left:4px solid #D55E00;padding:.4rem .8rem}"
    "footer{margin-top:3rem;font-size:.8rem;color:#555;border-top:1px solid #ccc}"
    "@media print{body{max-width:none;margin:0}h2{break-after:avoid}.table{overflow:visible}}";

void oui_html_begin(FILE *f, const struct out_report *r, const char *title)
{
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n<title>",
          f);
    oui_html_text(f, title);
    fprintf(f, "</title>\n<style>%s</style>\n</head>\n<body>\n<h1>", style);
    oui_html_text(f, title);
    fputs("</h1>\n", f);
    char span[160], line[320];
    oui_txt_span(span, sizeof span, r, "");
    snprintf(line, sizeof line, "%s, seed %llu; intervals are 95%% confidence intervals over %s.", span,
             (unsigned long long)r->seed, r->is_day ? "days" : "runs");
    oui_html_p(f, "sub", line);
    char chosen[256];
    if (*oui_txt_auto_reps(chosen, sizeof chosen, r))
        oui_html_p(f, "sub", chosen);
}

void oui_html_end(FILE *f, const struct out_report *r)
{
    const struct out_manifest *m = &r->manifest;
    fputs("<footer>\n<p>Made by cxsim ", f);
    oui_html_text(f, m->version ? m->version : "");
    fputs(" from ", f);
    oui_html_text(f, r->source ? r->source : "");
    if (m->scenario_sha256) {
        fputs(" (SHA-256 ", f);
        oui_html_text(f, m->scenario_sha256);
        fputs(")", f);
    }
    if (m->started_at) {
        fputs(" on ", f);
        oui_html_text(f, m->started_at);
    }
    fputs(". The same command, scenario and version give the same numbers:</p>\n<p><code>", f);
    oui_html_text(f, m->command_line ? m->command_line : "");
    fputs("</code></p>\n</footer>\n</body>\n</html>\n", f);
}

void oui_html_h2(FILE *f, const char *text)
{
    fputs("<h2>", f);
    oui_html_text(f, text);
    fputs("</h2>\n", f);
}

void oui_html_sentences(FILE *f, const struct oui_sentences *s)
{
    fputs("<ul class=\"summary\">\n", f);
    for (size_t i = 0; i < s->n; i++) {
        fputs("<li>", f);
        oui_html_text(f, s->text[i]);
        fputs("</li>\n", f);
    }
    fputs("</ul>\n", f);
}

void oui_html_p(FILE *f, const char *cls, const char *text)
{
    if (cls)
        fprintf(f, "<p class=\"%s\">", cls);
    else
        fputs("<p>", f);
    oui_html_text(f, text);
    fputs("</p>\n", f);
}

void oui_html_figure_begin(FILE *f, const char *id)
{
    fprintf(f, "<figure id=\"%s\">\n", id);
}

void oui_html_figure_end(FILE *f, const char *caption)
{
    fputs("<figcaption>", f);
    oui_html_text(f, caption);
    fputs("</figcaption>\n</figure>\n", f);
}

void oui_html_table_begin(FILE *f, const char *const *heads, size_t n)
{
    fputs("<div class=\"table\"><table>\n<thead><tr>", f);
    for (size_t i = 0; i < n; i++) {
        fputs("<th>", f);
        oui_html_text(f, heads[i]);
        fputs("</th>", f);
    }
    fputs("</tr></thead>\n<tbody>\n", f);
}

void oui_html_row(FILE *f, const char *label, const char *const *cells, size_t n)
{
    fputs("<tr><td>", f);
    oui_html_text(f, label);
    fputs("</td>", f);
    for (size_t i = 0; i < n; i++) {
        fputs("<td>", f);
        oui_html_text(f, cells[i]);
        fputs("</td>", f);
    }
    fputs("</tr>\n", f);
}

void oui_html_table_end(FILE *f)
{
    fputs("</tbody>\n</table></div>\n", f);
}
