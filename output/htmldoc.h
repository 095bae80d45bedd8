/* output/htmldoc.h — what every HTML report shares: the document (its
 * style sheet, its header, the manifest at its foot), the opening
 * sentences, figures and tables.
 *
 * The document is self-contained — styles inline, charts inline SVG, no
 * script, no font, image or link to fetch — and written as XHTML-compatible
 * HTML (every element closed, every attribute quoted), so that it opens from
 * an e-mail or a shared folder, prints (each figure on one page), and
 * parses as XML. Internal to output/.
 */
#ifndef OUI_HTMLDOC_H
#define OUI_HTMLDOC_H

#include "output/report.h"
#include "output/summary.h"

#include <stddef.h>
#include <stdio.h>

/* Opens the document titled `title` (escaped) with r's header: the
 * scenario, what was simulated, the seed. */
void oui_html_begin(FILE *f, const struct out_report *r, const char *title);
/* The manifest (how to make the numbers again), then closes the document. */
void oui_html_end(FILE *f, const struct out_report *r);

/* A section heading. */
void oui_html_h2(FILE *f, const char *text);
/* The sentences as a list. */
void oui_html_sentences(FILE *f, const struct oui_sentences *s);
/* A paragraph of plain text (escaped); cls may be NULL. */
void oui_html_p(FILE *f, const char *cls, const char *text);

/* A figure: oui_html_figure_begin, the chart's SVG, then its table, then
 * oui_html_figure_end with its caption. */
void oui_html_figure_begin(FILE *f, const char *id);
void oui_html_figure_end(FILE *f, const char *caption);

/* A table of exact figures: its column heads (the first heads the row
 * labels), then rows of n cells. */
void oui_html_table_begin(FILE *f, const char *const *heads, size_t n);
void oui_html_row(FILE *f, const char *label, const char *const *cells, size_t n);
void oui_html_table_end(FILE *f);

/* A comparison's sections (output/html_compare.c): each plan's sentence,
 * the waits plan by plan, the differences, a table per plan; the body of
 * out_html_compare_write, and of optimise's check. */
void oui_html_compare_body(FILE *f, const struct out_report *r);

#endif
