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

/* ---- text that fits ------------------------------------------------------
 * SVG text does not wrap, and a browser does not say how wide a text is
 * before a script measures it: the charts lay their texts out from the
 * advance widths of DejaVu Sans (the widest of the common sans-serif fonts
 * a system-ui stack ends on: Segoe UI, San Francisco, Roboto, Helvetica and
 * Arial set the same text narrower), so a text given the room it is
 * measured to need has that room in any of them. A label too long for its
 * room wraps onto lines, broken after a space, a '_', a '-' or a '/',
 * before a capital that follows a small letter, or, in a word longer than
 * a line, anywhere; what still does not fit its lines ends in an ellipsis,
 * the whole text in a <title> (its tooltip). */

/* The font of a text of class cls (NULL: the default; "tick", "axis",
 * "title", "value", "group": a group's heading, bold): its size in pixels,
 * and its height as a line. */
double oui_svg_font_px(const char *cls);
double oui_svg_line_h(const char *cls);

/* The width in pixels of the len bytes of s set in class cls's font. */
double oui_svg_text_width(const char *s, size_t len, const char *cls);

#define OUI_SVG_MAX_LINES 8

/* Text broken into lines: each a span of the text's bytes. */
struct oui_svg_lines {
    size_t n;
    struct {
        size_t at, len;
    } line[OUI_SVG_MAX_LINES];
    bool cut;        /* the last line ends in an ellipsis: the text did not fit */
    double width;    /* of the widest line, the ellipsis included */
};

/* Breaks s into at most max_lines (1 to OUI_SVG_MAX_LINES) lines of at
 * most width pixels in class cls's font. */
void oui_svg_wrap(const char *s, const char *cls, double width, size_t max_lines, struct oui_svg_lines *out);

/* Writes s as one <text>, wrapped as oui_svg_wrap wraps it, its lines
 * centred on the row at y (a single line's baseline at y + 4, as
 * oui_svg_text's labels sit); returns the lines written. */
size_t oui_svg_text_fit(FILE *f, double x, double y, const char *anchor, const char *cls, const char *s, double width,
                        size_t max_lines);

/* The same with the first line's baseline at y, the others below it. */
size_t oui_svg_text_lines(FILE *f, double x, double y, const char *anchor, const char *cls, const char *s,
                          double width, size_t max_lines);

/* The widest of n texts (NULL ones left out) in class cls's font. */
double oui_svg_widest(const char *const *s, size_t n, const char *cls);

/* A legend: entries laid out left to right in rows of at most width
 * pixels from x, the first row's baseline at y; an entry wider than a row
 * has its label wrapped. Each shows its mark — a swatch, a dashed line, an
 * interval's whisker, a dot — in its colour. Drawn when f is not NULL;
 * returns the height the legend takes below y - 12 (its first row's top). */
enum oui_svg_mark { OUI_SVG_SWATCH, OUI_SVG_DASH, OUI_SVG_WHISKER, OUI_SVG_DOT };
struct oui_svg_key {
    enum oui_svg_mark mark;
    const char *colour;
    const char *label;
};
double oui_svg_keys(FILE *f, double x, double y, double width, const struct oui_svg_key *keys, size_t n);

#endif
