/* output/svg.c — escaping, nice ticks and plotting frames (see svg.h). */
#include "output/svg.h"
#include "sim/err.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

/* oui_html_text of the len bytes at s. */
static void html_text_n(FILE *f, const char *s, size_t len)
{
    for (size_t i = 0; i < len;) {
        enum sim_err_text kind;
        size_t n = sim_err_text_char(s + i, len - i, &kind);
        if (kind != SIM_ERR_TEXT_PRINTABLE && s[i] != '\n') {
            /* a control (an escape sequence, a bidi override) or a byte
             * that is not UTF-8: the replacement character, so the page
             * stays UTF-8 (and XML) and shows where something was */
            fputs("\xef\xbf\xbd", f);
            i += n;
            continue;
        }
        switch (s[i]) {
        case '&':
            fputs("&amp;", f);
            break;
        case '<':
            fputs("&lt;", f);
            break;
        case '>':
            fputs("&gt;", f);
            break;
        case '"':
            fputs("&quot;", f);
            break;
        case '\'':
            fputs("&#39;", f);
            break;
        default:
            fwrite(s + i, 1, n, f);
        }
        i += n;
    }
}

void oui_html_text(FILE *f, const char *s)
{
    html_text_n(f, s, s ? strlen(s) : 0);
}

struct oui_svg_ticks oui_svg_nice(double min, double max, int want)
{
    if (want < 2)
        want = 2;
    if (!(max > min)) {   /* one value (or none): a span around it */
        double pad = fabs(min) > 0 ? fabs(min) / 2 : 1;
        min -= min >= 0 && min - pad < 0 ? min : pad;
        max += pad;
    }
    double raw = (max - min) / (want - 1), mag = pow(10, floor(log10(raw))), step;
    double r = raw / mag;
    step = (r <= 1 ? 1 : r <= 2 ? 2 : r <= 5 ? 5 : 10) * mag;
    struct oui_svg_ticks t;
    t.step = step;
    t.lo = floor(min / step + 1e-9) * step;
    t.hi = ceil(max / step - 1e-9) * step;
    t.n = (int)lround((t.hi - t.lo) / step) + 1;
    return t;
}

const char *oui_svg_tick_label(char *buf, size_t len, double v, double step)
{
    int decimals = 0;   /* the fewest that write the step exactly */
    while (decimals < 6 && fabs(step * pow(10, decimals) - round(step * pow(10, decimals))) > 1e-6)
        decimals++;
    if (fabs(v) < step * 1e-9)
        v = 0;   /* no "-0" */
    snprintf(buf, len, "%.*f", decimals, v);
    return buf;
}

double oui_svg_px(const struct oui_svg_frame *fr, double v)
{
    double w = fr->width - fr->left - fr->right;
    return fr->left + w * (v - fr->x.lo) / (fr->x.hi - fr->x.lo);
}

double oui_svg_py(const struct oui_svg_frame *fr, double v)
{
    double h = fr->height - fr->top - fr->bottom;
    return fr->height - fr->bottom - h * (v - fr->y.lo) / (fr->y.hi - fr->y.lo);
}

void oui_svg_text(FILE *f, double x, double y, const char *anchor, const char *cls, const char *s)
{
    fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\"%s%s%s>", x, y, anchor, cls ? " class=\"" : "",
            cls ? cls : "", cls ? "\"" : "");
    oui_html_text(f, s);
    fputs("</text>\n", f);
}

void oui_svg_legend(FILE *f, double x, double y, const char *colour, const char *label)
{
    fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"12\" height=\"12\" fill=\"%s\"/>\n", x, y - 10, colour);
    oui_svg_text(f, x + 16, y, "start", NULL, label);
}

void oui_svg_open(struct oui_svg_frame *fr, const char *title, const char *xlabel, const char *ylabel)
{
    FILE *f = fr->f;
    fprintf(f, "<svg class=\"chart\" role=\"img\" aria-label=\"");
    oui_html_text(f, title);
    fprintf(f, "\" width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\">\n<title>", fr->width, fr->height,
            fr->width, fr->height);
    oui_html_text(f, title);
    fputs("</title>\n", f);
    char label[64];
    double x0 = fr->left, x1 = fr->width - fr->right, y0 = fr->top, y1 = fr->height - fr->bottom;
    if (xlabel) {
        for (int i = 0; i < fr->x.n; i++) {
            double v = fr->x.lo + i * fr->x.step, x = oui_svg_px(fr, v);
            fprintf(f, "<line class=\"grid\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n", x, y0, x, y1);
            oui_svg_text(f, x, y1 + 14, "middle", "tick", oui_svg_tick_label(label, sizeof label, v, fr->x.step));
        }
        oui_svg_text(f, (x0 + x1) / 2, y1 + 32, "middle", "axis", xlabel);
    }
    if (ylabel) {
        for (int i = 0; i < fr->y.n; i++) {
            double v = fr->y.lo + i * fr->y.step, y = oui_svg_py(fr, v);
            fprintf(f, "<line class=\"grid\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n", x0, y, x1, y);
            oui_svg_text(f, x0 - 6, y + 4, "end", "tick", oui_svg_tick_label(label, sizeof label, v, fr->y.step));
        }
        fprintf(f, "<text class=\"axis\" text-anchor=\"middle\" transform=\"translate(%.1f %.1f) rotate(-90)\">",
                x0 - 38, (y0 + y1) / 2);
        oui_html_text(f, ylabel);
        fputs("</text>\n", f);
    }
    fprintf(f, "<line class=\"axisline\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n", x0, y1, x1, y1);
    fprintf(f, "<line class=\"axisline\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n", x0, y0, x0, y1);
}

void oui_svg_close(struct oui_svg_frame *fr)
{
    fputs("</svg>\n", fr->f);
}

/* ---- text that fits ---------------------------------------------------- */

/* DejaVu Sans's advance widths of printable ASCII (space to '~'), in
 * hundredths of the font's size, as Chromium sets them: the book weight,
 * and the bold that font-weight 600 falls back to. */
static const uint8_t book_w[95] = {
    32, 40, 46, 84, 64, 95, 78, 27, 39, 39, 50, 84, 32, 36, 32, 34, 64, 64, 64, 64, 64, 64, 64, 64,
    64, 64, 34, 34, 84, 84, 84, 53, 100, 68, 69, 70, 77, 63, 58, 77, 75, 29, 29, 66, 56, 86, 75, 79,
    60, 79, 69, 63, 61, 73, 68, 99, 69, 61, 69, 39, 34, 39, 84, 50, 50, 61, 63, 55, 63, 62, 35, 63,
    63, 28, 28, 58, 28, 97, 63, 61, 63, 63, 41, 52, 39, 63, 59, 82, 59, 59, 52, 64, 34, 64, 84};
static const uint8_t bold_w[95] = {
    35, 46, 52, 84, 70, 100, 87, 31, 46, 46, 52, 84, 38, 42, 38, 37, 70, 70, 70, 70, 70, 70, 70, 70,
    70, 70, 40, 40, 84, 84, 84, 58, 100, 77, 76, 73, 83, 68, 68, 82, 84, 37, 37, 77, 64, 100, 84, 85,
    73, 85, 77, 72, 68, 81, 77, 110, 77, 72, 73, 46, 37, 46, 84, 50, 50, 67, 72, 59, 72, 68, 44, 72,
    71, 34, 34, 67, 34, 104, 71, 69, 72, 72, 49, 60, 48, 71, 65, 92, 65, 65, 58, 71, 37, 71, 84};

#define ELLIPSIS "\xe2\x80\xa6"

double oui_svg_font_px(const char *cls)
{
    if (!cls)
        return 12;
    return !strcmp(cls, "title") ? 13 : !strcmp(cls, "tick") || !strcmp(cls, "value") ? 11 : 12;
}

double oui_svg_line_h(const char *cls)
{
    return ceil(1.25 * oui_svg_font_px(cls));
}

/* The width of the character of n bytes at s, in hundredths of the size:
 * ASCII from the table, a letter of the two-byte range (accented Latin,
 * Greek, Cyrillic) as a wide capital, anything else (a CJK ideograph, an
 * emoji, the U+FFFD a byte that is not UTF-8 becomes) as a whole em. */
static double char_w(const char *s, size_t n, bool bold)
{
    unsigned char c = (unsigned char)s[0];
    if (n != 1)
        return n == 2 ? (bold ? 84 : 78) : 100;
    if (c < 32 || c >= 127)
        return 100;
    return bold ? bold_w[c - 32] : book_w[c - 32];   /* each table indexed alone: the sanitizer's object size holds */
}

static size_t char_len(const char *s, size_t left)
{
    enum sim_err_text kind;
    size_t n = sim_err_text_char(s, left, &kind);
    return n ? n : 1;
}

double oui_svg_text_width(const char *s, size_t len, const char *cls)
{
    bool bold = cls && (!strcmp(cls, "title") || !strcmp(cls, "group"));
    double sum = 0;
    for (size_t i = 0; i < len;) {
        size_t n = char_len(s + i, len - i);
        sum += char_w(s + i, n, bold);
        i += n;
    }
    return sum * oui_svg_font_px(cls) / 100 * 1.02;   /* the table's rounding, and a little more */
}

static bool small_letter(char c)
{
    return c >= 'a' && c <= 'z';
}

static bool capital(char c)
{
    return c >= 'A' && c <= 'Z';
}

void oui_svg_wrap(const char *s, const char *cls, double width, size_t max_lines, struct oui_svg_lines *out)
{
    max_lines = max_lines < 1 ? 1 : max_lines > OUI_SVG_MAX_LINES ? OUI_SVG_MAX_LINES : max_lines;
    out->n = 0;
    out->cut = false;
    out->width = 0;
    size_t len = s ? strlen(s) : 0, at = 0;
    while (out->n < max_lines) {
        while (at < len && s[at] == ' ')
            at++;
        if (at >= len)
            break;
        /* the longest start of the rest that fits, cut where a break may be */
        size_t i = at, brk = at, end = len;
        double w = 0;
        while (i < len) {
            size_t n = char_len(s + i, len - i);
            if (s[i] == ' ' || (i > at && capital(s[i]) && small_letter(s[i - 1])))
                brk = i;   /* a line may end before a space, or before a capital after a small letter */
            double cw = oui_svg_text_width(s + i, n, cls);
            if (s[i] != ' ' && w + cw > width) {
                end = brk > at ? brk : i > at ? i : at + n;   /* at a break; else anywhere; else one character */
                break;
            }
            w += cw;
            i += n;
            if (s[i - 1] == '_' || s[i - 1] == '-' || s[i - 1] == '/')
                brk = i;   /* or after these */
        }
        size_t e = end;
        while (e > at && s[e - 1] == ' ')
            e--;
        out->line[out->n].at = at;
        out->line[out->n].len = e - at;
        out->n++;
        at = end;
    }
    while (at < len && s[at] == ' ')
        at++;
    if (at < len && out->n) {
        /* more than the lines hold: the last one as far as fits with an ellipsis */
        size_t first = out->line[out->n - 1].at, i = first;
        double ell = oui_svg_text_width(ELLIPSIS, 3, cls), w = 0;
        while (i < len) {
            size_t n = char_len(s + i, len - i);
            double cw = oui_svg_text_width(s + i, n, cls);
            if (w + cw + ell > width && i > first)
                break;
            w += cw;
            i += n;
        }
        while (i > first && s[i - 1] == ' ')
            i--;
        out->line[out->n - 1].len = i - first;
        out->cut = true;
    }
    for (size_t k = 0; k < out->n; k++) {
        double w = oui_svg_text_width(s + out->line[k].at, out->line[k].len, cls) +
                   (out->cut && k + 1 == out->n ? oui_svg_text_width(ELLIPSIS, 3, cls) : 0);
        out->width = w > out->width ? w : out->width;
    }
}

/* Writes the lines of s at (x, y): the first baseline at y. */
static void write_lines(FILE *f, double x, double y, const char *anchor, const char *cls, const char *s,
                        const struct oui_svg_lines *l)
{
    if (l->n <= 1 && !l->cut) {
        oui_svg_text(f, x, y, anchor, cls, s);
        return;
    }
    fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\"%s%s%s>", x, y, anchor, cls ? " class=\"" : "",
            cls ? cls : "", cls ? "\"" : "");
    if (l->cut) {   /* the whole text, as its tooltip */
        fputs("<title>", f);
        oui_html_text(f, s);
        fputs("</title>", f);
    }
    for (size_t k = 0; k < l->n; k++) {
        if (k)
            fprintf(f, "<tspan x=\"%.1f\" dy=\"%.1f\">", x, oui_svg_line_h(cls));
        else
            fputs("<tspan>", f);
        html_text_n(f, s + l->line[k].at, l->line[k].len);
        if (l->cut && k + 1 == l->n)
            fputs(ELLIPSIS, f);
        fputs("</tspan>", f);
    }
    fputs("</text>\n", f);
}

size_t oui_svg_text_lines(FILE *f, double x, double y, const char *anchor, const char *cls, const char *s,
                          double width, size_t max_lines)
{
    struct oui_svg_lines l;
    oui_svg_wrap(s, cls, width, max_lines, &l);
    write_lines(f, x, y, anchor, cls, s, &l);
    return l.n ? l.n : 1;
}

size_t oui_svg_text_fit(FILE *f, double x, double y, const char *anchor, const char *cls, const char *s, double width,
                        size_t max_lines)
{
    struct oui_svg_lines l;
    oui_svg_wrap(s, cls, width, max_lines, &l);
    size_t n = l.n ? l.n : 1;
    write_lines(f, x, y + 4 - (double)(n - 1) * oui_svg_line_h(cls) / 2, anchor, cls, s, &l);
    return n;
}

double oui_svg_widest(const char *const *s, size_t n, const char *cls)
{
    double most = 0;
    for (size_t i = 0; i < n; i++) {
        double w = s[i] ? oui_svg_text_width(s[i], strlen(s[i]), cls) : 0;
        most = w > most ? w : most;
    }
    return most;
}

/* A legend entry's mark at x, for the row whose baseline is at y. */
static void mark(FILE *f, double x, double y, enum oui_svg_mark m, const char *colour)
{
    switch (m) {
    case OUI_SVG_SWATCH:
        fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"12\" height=\"12\" fill=\"%s\"/>\n", x, y - 10, colour);
        break;
    case OUI_SVG_DASH:
        fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"2.5\" "
                   "stroke-dasharray=\"4 2\"/>\n",
                x + 6, y - 12, x + 6, y + 2, colour);
        break;
    case OUI_SVG_WHISKER:
        fprintf(f, "<path d=\"M%.1f %.1fV%.1fM%.1f %.1fH%.1fM%.1f %.1fV%.1f\" stroke=\"%s\" stroke-width=\"1.5\" "
                   "fill=\"none\"/>\n",
                x, y - 9, y + 1, x, y - 4, x + 30, x + 30, y - 9, y + 1, colour);
        break;
    case OUI_SVG_DOT:
        fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"5\" fill=\"%s\"/>\n", x + 6, y - 4, colour);
        break;
    }
}

double oui_svg_keys(FILE *f, double x, double y, double width, const struct oui_svg_key *keys, size_t n)
{
    double lh = oui_svg_line_h(NULL), cx = x, row = y, row_h = lh;
    for (size_t k = 0; k < n; k++) {
        double mw = keys[k].mark == OUI_SVG_WHISKER ? 30 : 12, room = width - mw - 5;
        struct oui_svg_lines l;
        oui_svg_wrap(keys[k].label, NULL, room, 3, &l);
        double w = mw + 5 + l.width;
        if (cx > x && cx + w > x + width) {   /* a new row */
            row += row_h + 4;
            row_h = lh;
            cx = x;
        }
        if (f) {
            mark(f, cx, row, keys[k].mark, keys[k].colour);
            write_lines(f, cx + mw + 5, row, "start", NULL, keys[k].label, &l);
        }
        row_h = fmax(row_h, (double)(l.n ? l.n : 1) * lh);
        cx += w + 18;
    }
    return row - y + row_h + 2;
}
