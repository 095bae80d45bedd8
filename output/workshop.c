/* output/workshop.c — the workshop's printed text (see workshop.h). */
#include "output/workshop.h"
#include "output/summary.h"
#include "output/textfmt.h"

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
