/* output/summary.h — what matters most, in sentences, for every format.
 *
 * The sentences a report opens with: for a run, the overloaded departments,
 * the longest wait and the service-level goals, the customers lost and
 * where, satisfaction, the cost; for a sweep, the cheapest plan that meets
 * every goal and what the others miss. They are plain text with their
 * figures formatted as in output/textfmt.h; the text report wraps them, the
 * HTML report escapes them. Internal to output/.
 */
#ifndef OUI_SUMMARY_H
#define OUI_SUMMARY_H

#include "output/report.h"
#include "sim/err.h"

#include <stddef.h>

#define OUI_SENTENCES_MAX 72
#define OUI_SENTENCE_LEN 640

struct oui_sentences {
    size_t n;
    char text[OUI_SENTENCES_MAX][OUI_SENTENCE_LEN];
};

/* Appends a sentence (printf format); beyond OUI_SENTENCES_MAX it is
 * dropped, and one longer than OUI_SENTENCE_LEN is cut. */
void oui_sentences_add(struct oui_sentences *s, const char *fmt, ...) SIM_PRINTF(2, 3);

/* The sentences of plan p of r (a run's report); s is reset first. */
void oui_summary_run(const struct out_report *r, const struct out_plan *p, struct oui_sentences *s);

/* Appends, for each class of plan p whose CSAT is below one half (the
 * three lowest at most), a sentence saying where its satisfaction goes
 * (output/summary_sat.c). */
void oui_summary_satisfaction(const struct out_plan *p, struct oui_sentences *s);

/* The sentences of a sweep's ranking rk; s is reset first. */
void oui_summary_sweep(const struct out_report *r, const struct out_sweep_ranking *rk, struct oui_sentences *s);

#endif
