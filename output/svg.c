/* output/svg.c — escaping, nice ticks and plotting frames (see svg.h). */
#include "output/svg.h"
#include "sim/err.h"

#include <math.h>
#include <string.h>

void oui_html_text(FILE *f, const char *s)
{
    size_t len = s ? strlen(s) : 0;
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
