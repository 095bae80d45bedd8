/* output/textfmt.h — figures, tables and sentences for the text reports
 * (run, compare, sweep), so that every text report reads the same.
 *
 * Figures carry their unit: minutes with one decimal, shares as percentages
 * (differences of shares in points), scores with two decimals, money in
 * whole units, thousands grouped ("43,377.7"); "±" and the half-width of
 * the 95% interval when there are two replications or more; "-" for what no
 * replication measured. A table sizes its columns to their contents and
 * never prints a line wider than OUI_TXT_WIDTH: a table too wide prints its
 * columns in parts under the same row labels. Sentences wrap at the same
 * width with a hanging indent. Internal to output/.
 */
#ifndef OUI_TEXTFMT_H
#define OUI_TEXTFMT_H

#include "output/report.h"
#include "sim/err.h"

#include <stdbool.h>
#include <stdio.h>

#define OUI_TXT_WIDTH 100
#define OUI_TXT_CELL 64

/* A swept parameter's path as a column head: less a leading departments.
 * or customers. (a sweep's text and HTML reports name it alike). */
const char *oui_txt_short_path(const char *path);
#define OUI_TXT_MAXCOLS 10

/* Inserts thousands separators into the whole part of the number in s (of
 * capacity len): "43377.7" becomes "43,377.7". */
void oui_txt_group(char *s, size_t len);

/* x as whole money, thousands grouped ("43,378"); "-" when not finite. */
const char *oui_txt_money(char *buf, size_t len, double x);
/* m's mean as "12.4 ± 0.8 min" (with_ci) or "12.4 min", by its unit. */
const char *oui_txt_stat(char *buf, size_t len, const struct out_metric *m, bool with_ci);
/* The same for the metric called name in sc ("-" when it has none). */
const char *oui_txt_cell(char *buf, size_t len, const struct out_scope *sc, const char *name, bool ci);
/* The mean of the metric called name in sc (NaN when sc or it is missing). */
double oui_txt_mean(const struct out_scope *sc, const char *name);

/* x as a signed figure of `unit`: "+320", "−3.1 points" (a share), "−12.4
 * min", "+0.38" (a score); the unit word only when with_unit. */
const char *oui_txt_signed(char *buf, size_t len, double x, const char *unit, bool with_unit);
/* m's paired difference (m->diff) as "−12.4 min (−14.1 to −10.8)", "no
 * clear difference (−0.3 to +0.1)" when its interval holds zero, "no
 * difference" when it is zero in every replication, "-" when unmeasured. */
const char *oui_txt_diff(char *buf, size_t len, const struct out_metric *m);

/* What r simulated, "30 days from 09:00 to 18:00" or "10 runs of 1000
 * minutes after a 100-minute warm-up", with `each` after the count (" each"
 * or ""). */
const char *oui_txt_span(char *buf, size_t len, const struct out_report *r, const char *each);

/* How --reps auto chose r's replications, as a sentence ("" without it):
 * "--reps auto ran 271 days in 3 rounds: every goal decided, each
 * interval within ± 2.0 points." */
const char *oui_txt_auto_reps(char *buf, size_t len, const struct out_report *r);

/* Plan p's goals in a few words: "2 met, 1 missed (sales), 1 too close to
 * call (insurance)"; "" without goals. */
const char *oui_txt_goals(char *buf, size_t len, const struct out_plan *p);

/* Columns a UTF-8 string takes (every character one column). */
int oui_txt_columns(const char *s);

struct oui_txt_row {
    char label[OUI_TXT_CELL];
    char cells[OUI_TXT_MAXCOLS][OUI_TXT_CELL];
};

struct oui_txt_table {
    const char *title;
    size_t ncols, nrows;
    const char *head[OUI_TXT_MAXCOLS];
    struct oui_txt_row *rows;   /* owned; freed by oui_txt_print */
};

/* Appends a row labelled by the format; its cells are empty. */
struct oui_txt_row *oui_txt_row(struct oui_txt_table *t, const char *fmt, ...) SIM_PRINTF(2, 3);
/* Prints t, the first column left-aligned, the others right-aligned, and
 * frees its rows. */
void oui_txt_print(struct oui_txt_table *t, FILE *f);

/* Prints "  - sentence", wrapped at OUI_TXT_WIDTH with a hanging indent. */
void oui_txt_bullet(FILE *f, const char *fmt, ...) SIM_PRINTF(2, 3);
/* Prints a paragraph wrapped at OUI_TXT_WIDTH. */
void oui_txt_paragraph(FILE *f, const char *fmt, ...) SIM_PRINTF(2, 3);

#endif
