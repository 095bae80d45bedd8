/* output/workshop.h — what the workshop prints (cxsim workshop): an
 * attempt's sentences and verdicts as bullets, its score, the leaderboard,
 * and any text wrapped to a terminal's width.
 *
 * Plain text wrapped at the text reports' width, in their words (the
 * sentences are the run report's "In short"). The workshop decides what to
 * print when; this module only says it.
 */
#ifndef OUT_WORKSHOP_H
#define OUT_WORKSHOP_H

#include "output/report.h"

#include <stdio.h>

/* One attempt's score, in money a day, and what it changed. */
struct out_score {
    const char *name;            /* "baseline", "attempt 2" */
    const char *changes;         /* "credit.staff=4, sales.staff=5", or "no change" */
    double total, staff, lost, waiting, dissatisfaction;
};

/* Prints plan p's "In short" sentences (as `cxsim run` opens) as bullets. */
void out_workshop_sentences(const struct out_report *r, const struct out_plan *p, FILE *f);
/* Prints one sentence as a bullet, wrapped with a hanging indent. */
void out_workshop_bullet(const char *sentence, FILE *f);
/* "Score of attempt 2: 9,380 a day (staff ... ); lower is better." */
void out_workshop_score(const struct out_score *s, FILE *f);
/* Writes text (len bytes, lines ending in '\n') with every line wider than
 * `width` columns wrapped at spaces, the rest of it on lines indented
 * deeper than the line began (a hanging indent: 2 under a line that
 * starts at the margin, 4 more under an indented one), so that a line
 * never breaks inside a word; a word wider than the room left stands on a
 * line of its own. Lines that fit are written as they are. What `show`
 * prints, at the terminal's width. */
void out_workshop_wrap(const char *text, size_t len, int width, FILE *f);
/* The leaderboard of attempts ranked[0..n) (best first), then what each
 * changed and what the two prices are. */
void out_workshop_leaderboard(const struct out_score *const *ranked, size_t n, double wait_price,
                              double dissatisfaction_price, FILE *f);

#endif
