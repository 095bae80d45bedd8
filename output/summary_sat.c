/* output/summary_sat.c — why a class's satisfaction is low, in a sentence
 * of a run's summary (see summary.h).
 *
 * A class whose CSAT (the share scoring 4 or more) is below one half gets
 * a sentence saying where its points went, from the metrics
 * satisfaction_loss.* (what the scores fall short of 5, in parts that add
 * up to it: docs/satisfaction.md). Those of the drop-outs are theirs
 * alone; the other three parts are shared out over the customers served,
 * for whom a 4 allows a loss of 1 point at most: the sentence says which
 * part takes most of it. A report without those metrics (one written
 * before they were) gets the figures a reader can check instead: the wait
 * in all, the handoffs and the share lost.
 */
#include "output/summary.h"
#include "output/textfmt.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CSAT_LOW 0.5   /* fewer than half score 4 or more */
#define MOST 3         /* classes explained, the lowest CSAT first */

struct part {
    const char *words;
    double points;     /* per customer served */
    char detail[96];
};

static int by_points(const void *a, const void *b)
{
    double x = ((const struct part *)a)->points, y = ((const struct part *)b)->points;
    return (x < y) - (x > y);
}

static void why(struct oui_sentences *s, const struct out_scope *sc)
{
    char csat[OUI_TXT_CELL], lost[64] = "";
    oui_txt_cell(csat, sizeof csat, sc, "csat", false);
    double drop = oui_txt_mean(sc, "dropout_rate"), q = oui_txt_mean(sc, "satisfaction_loss.quality"),
           w = oui_txt_mean(sc, "satisfaction_loss.waits"), h = oui_txt_mean(sc, "satisfaction_loss.handoffs"),
           d = oui_txt_mean(sc, "satisfaction_loss.dropout"), wait = oui_txt_mean(sc, "wait_total_mean"),
           handoffs = oui_txt_mean(sc, "handoffs_mean");
    if (!isfinite(drop))
        drop = 0;
    if (drop >= 0.0005 && isfinite(d))   /* a drop-out scores 5 less its part */
        snprintf(lost, sizeof lost, "%.1f%% leave unserved, scoring %.2g; ", 100 * drop, 5 - d / drop);
    else if (drop >= 0.0005)
        snprintf(lost, sizeof lost, "%.1f%% leave unserved; ", 100 * drop);
    if (!isfinite(q) || !isfinite(w) || !isfinite(h) || drop >= 1) {
        oui_sentences_add(s, "%s: only %s score 4 or more. %s%shose served wait %.1f min in all and are handed on "
                          "%.1f times a journey (docs/satisfaction.md says how each lowers the score).",
                          sc->name, csat, lost, lost[0] ? "t" : "T", wait, handoffs);
        return;
    }
    struct part parts[3] = {{"handoffs", h / (1 - drop), ""},
                            {"the departments' own quality", q / (1 - drop), ""},
                            {"waits beyond what they tolerate", w / (1 - drop), ""}};
    if (isfinite(handoffs))
        snprintf(parts[0].detail, sizeof parts[0].detail, " (%.1f a journey)", handoffs);
    if (isfinite(wait))
        snprintf(parts[2].detail, sizeof parts[2].detail, " (%.1f min in all)", wait);
    qsort(parts, 3, sizeof parts[0], by_points);
    char list[400] = "";
    size_t n = 0, shown = 0;
    for (int k = 0; k < 3; k++)
        shown += parts[k].points >= 0.005;
    for (int k = 0, i = 0; k < 3; k++) {
        if (parts[k].points < 0.005)
            continue;
        n += (size_t)snprintf(list + n, sizeof list - n, "%s%s %.2f%s", i == 0 ? "" : i + 1 == (int)shown ? " and " : ", ",
                              parts[k].words, parts[k].points, parts[k].detail);
        i++;
    }
    double total = (q + w + h) / (1 - drop);
    if (!shown) {
        oui_sentences_add(s, "%s: only %s score 4 or more. %s%shose served score 5.", sc->name, csat, lost,
                          lost[0] ? "t" : "T");
        return;
    }
    oui_sentences_add(s, "%s: only %s score 4 or more. %s%shose served lose %.2f of the 5 points on average (a 4 "
                      "allows 1 at most), of which %s. How each part counts: docs/satisfaction.md.",
                      sc->name, csat, lost, lost[0] ? "t" : "T", total, list);
}

void oui_summary_satisfaction(const struct out_plan *p, struct oui_sentences *s)
{
    const struct out_scope *low[MOST];
    size_t n = 0;
    for (size_t i = 0; i < p->nscopes; i++) {
        const struct out_scope *sc = &p->scopes[i];
        double csat = oui_txt_mean(sc, "csat");
        if (sc->kind != OUT_CLASS || !(csat < CSAT_LOW))
            continue;
        /* kept in order, lowest first; the highest falls off the end */
        size_t at = n < MOST ? n++ : MOST;
        while (at > 0 && oui_txt_mean(low[at - 1], "csat") > csat) {
            if (at < MOST)
                low[at] = low[at - 1];
            at--;
        }
        if (at < MOST)
            low[at] = sc;
    }
    for (size_t k = 0; k < n; k++)
        why(s, low[k]);
}
