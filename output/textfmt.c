/* output/textfmt.c — figures, tables and sentences of the text reports
 * (see textfmt.h). */
#include "output/textfmt.h"
#include "sim/mem.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* ---- figures ----------------------------------------------------------- */

static double half(const struct out_stat *s)
{
    return s->n > 1 && isfinite(s->ci_high) ? s->ci_high - s->mean : NAN;
}

/* Inserts thousands separators into the whole part of the number in s
 * (of capacity len): "43377.7" becomes "43,377.7". */
void oui_txt_group(char *s, size_t len)
{
    char *digits = s + (*s == '-'), *end = digits;
    while (*end >= '0' && *end <= '9')
        end++;
    size_t n = (size_t)(end - digits), commas = n > 3 ? (n - 1) / 3 : 0;
    if (!commas || strlen(s) + commas + 1 > len)
        return;
    memmove(end + commas, end, strlen(end) + 1);
    char *w = end + commas - 1;
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && i % 3 == 0)
            *w-- = ',';
        *w = end[-1 - (long)i];
        w--;
    }
}

/* Formats a statistic into buf as "12.4 ± 0.8 min", by unit. */
const char *oui_txt_stat(char *buf, size_t len, const struct out_metric *m, bool with_ci)
{
    const struct out_stat *s = &m->stat;
    if (!isfinite(s->mean)) {
        snprintf(buf, len, "-");
        return buf;
    }
    double h = with_ci ? half(s) : NAN;
    const char *u = m->unit;
    double scale = !strcmp(u, "share") ? 100 : 1;
    bool score = !strcmp(u, "score") || !strcmp(u, "points");   /* a score, or points of one */
    const char *digits = !strcmp(u, "money") ? "%.0f" : score ? "%.2f" : "%.1f";
    const char *suffix = !strcmp(u, "share") ? "%" : !strcmp(u, "min") || !strcmp(u, "staff-min") ? " min" : "";
    char a[24], b[24];
    snprintf(a, sizeof a, digits, scale * s->mean);
    oui_txt_group(a, sizeof a);
    /* an interval cut at the metric's range (a share never seen, a wait
     * near 0) is not mean ± half: it is given whole */
    double below = s->mean - s->ci_low, above = s->ci_high - s->mean;
    if (isfinite(h) && isfinite(below) && fabs(above - below) > 1e-9 * (1 + fabs(s->mean))) {
        char lo[24], hi[24];
        snprintf(lo, sizeof lo, digits, scale * s->ci_low);
        snprintf(hi, sizeof hi, digits, scale * s->ci_high);
        oui_txt_group(lo, sizeof lo);
        oui_txt_group(hi, sizeof hi);
        snprintf(buf, len, "%s%s (%s to %s)", a, suffix, lo, hi);
    } else if (isfinite(h)) {
        snprintf(b, sizeof b, digits, scale * h);
        oui_txt_group(b, sizeof b);
        snprintf(buf, len, "%s ± %s%s", a, b, suffix);
    } else {
        snprintf(buf, len, "%s%s", a, suffix);
    }
    return buf;
}

const char *oui_txt_cell(char *buf, size_t len, const struct out_scope *sc, const char *name, bool ci)
{
    const struct out_metric *m = out_report_metric(sc, name);
    if (!m) {
        snprintf(buf, len, "-");
        return buf;
    }
    return oui_txt_stat(buf, len, m, ci);
}

double oui_txt_mean(const struct out_scope *sc, const char *name)
{
    const struct out_metric *m = sc ? out_report_metric(sc, name) : NULL;
    return m ? m->stat.mean : NAN;
}

/* "−" (U+2212), the minus sign of typeset figures. */
#define MINUS "\xe2\x88\x92"

const char *oui_txt_signed(char *buf, size_t len, double x, const char *unit, bool with_unit)
{
    bool share = !strcmp(unit, "share");
    const char *suffix = share ? " points" : !strcmp(unit, "min") || !strcmp(unit, "staff-min") ? " min" : "";
    /* a bound that rounds to zero but is not gets the decimals that show
     * on which side of zero it lies: "−0.03", not "0.0" */
    double v = fabs(share ? 100 * x : x);
    int decimals = !strcmp(unit, "money") ? 0 : !strcmp(unit, "score") || !strcmp(unit, "points") ? 2 : 1;
    char a[32];
    for (int extra = 0; extra <= 3; extra++) {
        snprintf(a, sizeof a, "%.*f", decimals + extra, v);
        if (v == 0 || strspn(a, "0.") != strlen(a))
            break;
    }
    oui_txt_group(a, sizeof a);
    bool zero = strspn(a, "0.,") == strlen(a);
    snprintf(buf, len, "%s%s%s", zero ? "" : x > 0 ? "+" : MINUS, a, with_unit ? suffix : "");
    return buf;
}

const char *oui_txt_diff(char *buf, size_t len, const struct out_metric *m)
{
    const struct out_stat *d = m->diff;
    char a[32], lo[32], hi[32];
    switch (out_diff_change(d)) {
    case OUT_UNMEASURED:
        snprintf(buf, len, "-");
        break;
    case OUT_SAME:
        snprintf(buf, len, "no difference");
        break;
    case OUT_UNCLEAR:
        if (isfinite(d->ci_low) && d->ci_low < d->ci_high)
            snprintf(buf, len, "no clear difference (%s to %s)",
                     oui_txt_signed(lo, sizeof lo, d->ci_low, m->unit, false),
                     oui_txt_signed(hi, sizeof hi, d->ci_high, m->unit, false));
        else
            snprintf(buf, len, "no clear difference");
        break;
    case OUT_UP:
    case OUT_DOWN:
        oui_txt_signed(a, sizeof a, d->mean, m->unit, true);
        if (d->ci_low < d->ci_high)
            snprintf(buf, len, "%s (%s to %s)", a, oui_txt_signed(lo, sizeof lo, d->ci_low, m->unit, false),
                     oui_txt_signed(hi, sizeof hi, d->ci_high, m->unit, false));
        else
            snprintf(buf, len, "%s", a);
        break;
    }
    return buf;
}

/* Columns a UTF-8 string takes (every character one column). */
int oui_txt_columns(const char *s)
{
    int n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

static void pad(FILE *f, const char *s, int width, bool right)
{
    int gap = width - oui_txt_columns(s);
    if (right)
        fprintf(f, "%*s%s", gap > 0 ? gap : 0, "", s);
    else
        fprintf(f, "%s%*s", s, gap > 0 ? gap : 0, "");
}

/* ---- tables ------------------------------------------------------------ */


struct oui_txt_row *oui_txt_row(struct oui_txt_table *t, const char *fmt, ...)
{
    t->rows = sim_xreallocarray(t->rows, t->nrows + 1, sizeof *t->rows);
    struct oui_txt_row *r = &t->rows[t->nrows++];
    memset(r, 0, sizeof *r);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->label, sizeof r->label, fmt, ap);
    va_end(ap);
    return r;
}

/* Prints columns [c0, c1) of t with separator sep. */
static void print_columns(const struct oui_txt_table *t, const int *width, size_t c0, size_t c1, const char *sep,
                          FILE *f)
{
    pad(f, t->title, width[0], false);
    for (size_t c = c0; c < c1; c++) {
        fputs(sep, f);
        pad(f, t->head[c], width[c + 1], true);
    }
    fputc('\n', f);
    for (size_t r = 0; r < t->nrows; r++) {
        /* a row whose cells are empty (a heading) ends after its label */
        size_t last = c1;
        while (last > c0 && !t->rows[r].cells[last - 1][0])
            last--;
        fputs("  ", f);
        if (last == c0) {
            fprintf(f, "%s\n", t->rows[r].label);
            continue;
        }
        pad(f, t->rows[r].label, width[0] - 2, false);
        for (size_t c = c0; c < last; c++) {
            fputs(sep, f);
            pad(f, t->rows[r].cells[c], width[c + 1], true);
        }
        fputc('\n', f);
    }
}

/* Prints the table, the first column left-aligned, the others right-aligned,
 * each as wide as its widest entry; frees its rows. Too wide for OUI_TXT_WIDTH with
 * three spaces between columns, it tries two; still too wide, it prints the
 * columns that fit, then the rest under the same row labels. */
void oui_txt_print(struct oui_txt_table *t, FILE *f)
{
    int width[OUI_TXT_MAXCOLS + 1];
    width[0] = oui_txt_columns(t->title);
    for (size_t c = 0; c < t->ncols; c++)
        width[c + 1] = oui_txt_columns(t->head[c]);
    for (size_t r = 0; r < t->nrows; r++) {
        int w = oui_txt_columns(t->rows[r].label) + 2;
        width[0] = w > width[0] ? w : width[0];
        for (size_t c = 0; c < t->ncols; c++) {
            w = oui_txt_columns(t->rows[r].cells[c]);
            width[c + 1] = w > width[c + 1] ? w : width[c + 1];
        }
    }
    int total = width[0];
    for (size_t c = 0; c < t->ncols; c++)
        total += 3 + width[c + 1];
    const char *sep = total <= OUI_TXT_WIDTH ? "   " : "  ";
    int gap = (int)strlen(sep);
    for (size_t c0 = 0; c0 < t->ncols;) {
        size_t c1 = c0 + 1;
        int used = width[0] + gap + width[c0 + 1];
        while (c1 < t->ncols && used + gap + width[c1 + 1] <= OUI_TXT_WIDTH)
            used += gap + width[++c1];
        if (c0 > 0)
            fputc('\n', f);
        print_columns(t, width, c0, c1, sep, f);
        c0 = c1;
    }
    free(t->rows);
    t->rows = NULL;
    t->nrows = 0;
}

/* ---- sentences --------------------------------------------------------- */

/* Writes text wrapped at OUI_TXT_WIDTH, continuing a line already `col`
 * columns wide; the lines after it are indented by `indent`. */
static void wrap(FILE *f, const char *text, int col, int indent)
{
    bool start = true;
    for (const char *p = text; *p;) {
        size_t n = strcspn(p, " ");
        char word[256];
        snprintf(word, sizeof word, "%.*s", (int)(n < sizeof word ? n : sizeof word - 1), p);
        int w = oui_txt_columns(word);
        if (!start && col > indent && col + 1 + w > OUI_TXT_WIDTH) {
            fprintf(f, "\n%*s", indent, "");
            col = indent;
        } else if (!start || col > 0) {
            fputc(' ', f);
            col++;
        }
        start = false;
        fputs(word, f);
        col += w;
        p += n;
        while (*p == ' ')
            p++;
    }
    fputc('\n', f);
}

/* Formats, then wraps as wrap() does. */
static void vwrap(FILE *f, int col, int indent, const char *fmt, va_list ap)
{
    char text[1024];
    vsnprintf(text, sizeof text, fmt, ap);
    wrap(f, text, col, indent);
}

void oui_txt_bullet(FILE *f, const char *fmt, ...)
{
    fputs("  -", f);
    va_list ap;
    va_start(ap, fmt);
    vwrap(f, 3, 4, fmt, ap);
    va_end(ap);
}

void oui_txt_paragraph(FILE *f, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vwrap(f, 0, 0, fmt, ap);
    va_end(ap);
}

const char *oui_txt_span(char *buf, size_t len, const struct out_report *r, const char *each)
{
    char open[16], close[16];
    if (r->is_day)
        snprintf(buf, len, "%u day%s%s from %s to %s", r->replications, r->replications == 1 ? "" : "s", each,
                 out_clock(open, sizeof open, r->open_at), out_clock(close, sizeof close, r->close_at));
    else
        snprintf(buf, len, "%u run%s%s of %g minutes after a %.4g-minute warm-up%s", r->replications,
                 r->replications == 1 ? "" : "s", each, r->length_dur, r->warmup_dur,
                 r->warmup_auto ? " (chosen by MSER)" : "");
    return buf;
}


const char *oui_txt_auto_reps(char *buf, size_t len, const struct out_report *r)
{
    const struct out_auto_reps *a = &r->auto_reps;
    const char *unit = r->is_day ? "days" : "runs";
    if (!a->on)
        snprintf(buf, len, "%s", "");
    else if (a->capped)
        snprintf(buf, len, "--reps auto stopped at %u %s (--max-reps) after %u round%s, with goals still too close to "
                 "call or intervals wider than ± %.1f points.", r->replications, unit, a->rounds,
                 a->rounds == 1 ? "" : "s", 100 * a->precision);
    else
        snprintf(buf, len, "--reps auto ran %u %s in %u round%s: every goal decided, each goal's interval within "
                 "± %.1f points.", r->replications, unit, a->rounds, a->rounds == 1 ? "" : "s", 100 * a->precision);
    return buf;
}

const char *oui_txt_goals(char *buf, size_t len, const struct out_plan *p)
{
    size_t n[3];
    char missed[512], close[512];
    out_plan_verdict(p, n, missed, close, sizeof missed);
    size_t used = 0;
    buf[0] = '\0';
    if (n[OUT_MET] && used < len)
        used += (size_t)snprintf(buf + used, len - used, "%zu met", n[OUT_MET]);
    if (n[OUT_MISSED] && used < len)
        used += (size_t)snprintf(buf + used, len - used, "%s%zu missed (%s)", used ? ", " : "", n[OUT_MISSED], missed);
    if (n[OUT_TOO_CLOSE] && used < len)
        snprintf(buf + used, len - used, "%s%zu too close to call (%s)", used ? ", " : "", n[OUT_TOO_CLOSE], close);
    return buf;
}

const char *oui_txt_money(char *buf, size_t len, double x)
{
    if (!isfinite(x)) {
        snprintf(buf, len, "-");
        return buf;
    }
    snprintf(buf, len, "%.0f", x);
    oui_txt_group(buf, len);
    return buf;
}

const char *oui_txt_short_path(const char *path)
{
    if (!strncmp(path, "departments.", 12))
        return path + 12;
    if (!strncmp(path, "customers.", 10))
        return path + 10;
    return path;
}
