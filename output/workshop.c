/* output/workshop.c — the workshop's printed text (see workshop.h). */
#include "output/workshop.h"
#include "output/summary.h"
#include "output/textfmt.h"

#include <string.h>

void out_workshop_sentences(const struct out_report *r, const struct out_plan *p, FILE *f)
{
    struct oui_sentences s;
    oui_summary_run(r, p, &s);
    for (size_t i = 0; i < s.n; i++)
        oui_txt_bullet(f, "%s", s.text[i]);
}

void out_workshop_bullet(const char *sentence, FILE *f)
{
    oui_txt_bullet(f, "%s", sentence);
}

void out_workshop_score(const struct out_score *s, FILE *f)
{
    char t[32], st[32], l[32], wt[32], d[32];
    fprintf(f, "Score of %s: %s a day (staff %s + lost value %s + waiting %s + dissatisfied %s); lower is better.\n",
            s->name, oui_txt_money(t, sizeof t, s->total), oui_txt_money(st, sizeof st, s->staff),
            oui_txt_money(l, sizeof l, s->lost), oui_txt_money(wt, sizeof wt, s->waiting),
            oui_txt_money(d, sizeof d, s->dissatisfaction));
}

void out_workshop_leaderboard(const struct out_score *const *ranked, size_t n, double wait_price,
                              double dissatisfaction_price, FILE *f)
{
    struct oui_txt_table t = {.title = "Leaderboard", .ncols = 6,
                              .head = {"attempt", "score a day", "staff", "lost value", "waiting", "dissatisfied"}};
    for (size_t i = 0; i < n; i++) {
        const struct out_score *a = ranked[i];
        struct oui_txt_row *row = oui_txt_row(&t, "%zu", i + 1);
        snprintf(row->cells[0], OUI_TXT_CELL, "%s", a->name);
        oui_txt_money(row->cells[1], OUI_TXT_CELL, a->total);
        oui_txt_money(row->cells[2], OUI_TXT_CELL, a->staff);
        oui_txt_money(row->cells[3], OUI_TXT_CELL, a->lost);
        oui_txt_money(row->cells[4], OUI_TXT_CELL, a->waiting);
        oui_txt_money(row->cells[5], OUI_TXT_CELL, a->dissatisfaction);
    }
    oui_txt_print(&t, f);
    for (size_t i = 0; i < n; i++)
        oui_txt_bullet(f, "%s: %s", ranked[i]->name, ranked[i]->changes);
    fprintf(f, "  (lower is better; waiting: %g a minute an external customer waits; dissatisfied: %g an\n"
               "   external customer scoring below 4; both set in the scenario's workshop: section)\n",
            wait_price, dissatisfaction_price);
}

/* Columns of the n bytes at s (every UTF-8 character one column). */
static int columns_of(const char *s, size_t n)
{
    int cols = 0;
    for (size_t i = 0; i < n; i++)
        cols += ((unsigned char)s[i] & 0xC0) != 0x80;
    return cols;
}

/* One line (without its newline) wrapped as out_workshop_wrap says. */
static void wrap_line(const char *line, size_t len, int width, FILE *f)
{
    size_t indent = strspn(line, " ");
    if (indent > len)
        indent = len;
    if (columns_of(line, len) <= width || indent == len) {
        fprintf(f, "%.*s\n", (int)len, line);
        return;
    }
    int hang = indent ? (int)indent + 4 : 2;
    if (hang > width / 2)
        hang = width / 2;
    /* the words, each with the spaces before it; at a break those spaces go */
    int col = (int)indent;
    fprintf(f, "%.*s", (int)indent, line);
    bool first = true;
    for (size_t i = indent; i < len;) {
        size_t gap = i;
        while (gap < len && line[gap] == ' ')
            gap++;
        size_t end = gap;
        while (end < len && line[end] != ' ')
            end++;
        if (gap == len)
            break;   /* trailing spaces */
        int spaces = (int)(gap - i), word = columns_of(line + gap, end - gap);
        if (!first && col + spaces + word > width) {
            fprintf(f, "\n%*s", hang, "");
            col = hang;
            spaces = 0;
        }
        fprintf(f, "%*s%.*s", spaces, "", (int)(end - gap), line + gap);
        col += spaces + word;
        first = false;
        i = end;
    }
    fputc('\n', f);
}

void out_workshop_wrap(const char *text, size_t len, int width, FILE *f)
{
    for (size_t at = 0; at < len;) {
        const char *nl = memchr(text + at, '\n', len - at);
        size_t n = nl ? (size_t)(nl - (text + at)) : len - at;
        wrap_line(text + at, n, width, f);
        at += n + 1;
    }
}
