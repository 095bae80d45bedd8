/* output/svg.h — the pieces the HTML reports draw their charts with: text
 * escaped for HTML and SVG, "nice" axis ticks, a colour-blind-safe palette,
 * and a plotting frame that maps values to pixels and draws its axes.
 *
 * Charts are inline SVG in the HTML file: no script, no external font or
 * image, no namespace URL (an inline <svg> in HTML needs none), so the file
 * opens anywhere and parses as XML. Every coordinate is written with one
 * decimal; every text is escaped. Internal to output/.
 */
#ifndef OUI_SVG_H
#define OUI_SVG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Writes s with &, <, >, " and ' escaped (for text and attribute values),
 * and every character that may not reach a reader as it is — a control
 * other than a line feed, a bidirectional control, a byte that is not
 * UTF-8 (sim_err_text_char) — as U+FFFD: a file name or a command line
 * holds whatever bytes it was given. */
void oui_html_text(FILE *f, const char *s);

/* The Okabe-Ito palette (readers with any common colour-vision deficiency
 * tell its colours apart), by role. */
#define OUI_SVG_BLUE "#0072B2"
#define OUI_SVG_ORANGE "#E69F00"
#define OUI_SVG_SKY "#56B4E9"
#define OUI_SVG_GREEN "#009E73"
#define OUI_SVG_YELLOW "#F0E442"
#define OUI_SVG_VERMILLION "#D55E00"
#define OUI_SVG_PURPLE "#CC79A7"
#define OUI_SVG_GREY "#777777"

/* Axis ticks: lo, lo + step, ..., hi, where step is 1, 2 or 5 times a power
 * of ten and lo and hi are multiples of it that cover [min, max]. */
struct oui_svg_ticks {
    double lo, hi, step;
    int n;   /* ticks, lo and hi included */
};

/* Nice ticks over [min, max] (min <= max; both finite), about `want` of
 * them (at least 2). A span of zero is widened to hold it. */
struct oui_svg_ticks oui_svg_nice(double min, double max, int want);

/* A tick's label: the value with as many decimals as the step needs. */
const char *oui_svg_tick_label(char *buf, size_t len, double v, double step);

/* A plotting frame: an SVG of width x height pixels whose plot area is
 * [left, width - right] x [top, height - bottom], with x values in
 * [x.lo, x.hi] and y values in [y.lo, y.hi] (y up). */
struct oui_svg_frame {
    FILE *f;
    double width, height, left, right, top, bottom;
    struct oui_svg_ticks x, y;
};

/* Pixel of value v on each axis. */
double oui_svg_px(const struct oui_svg_frame *fr, double v);
double oui_svg_py(const struct oui_svg_frame *fr, double v);

/* Opens the <svg> (role="img", its title and an aria-label for readers of
 * screens) and writes the gridlines and ticks of the axes asked for, with
 * each axis's label (its unit in it). xlabel or ylabel NULL: no such axis. */
void oui_svg_open(struct oui_svg_frame *fr, const char *title, const char *xlabel, const char *ylabel);
void oui_svg_close(struct oui_svg_frame *fr);

/* A text at (x, y) in pixels: anchor "start", "middle" or "end". */
void oui_svg_text(FILE *f, double x, double y, const char *anchor, const char *cls, const char *s);

/* A legend entry: a swatch of `colour` and its label, at (x, y). */
void oui_svg_legend(FILE *f, double x, double y, const char *colour, const char *label);

#endif
