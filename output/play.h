/* output/play.h — the live view of a day for `cxsim workshop`'s play: a
 * clock, one line per department (its queue as a bar, staff on duty and
 * busy, customers who gave up there), and the latest customers to give up.
 *
 * Two forms: drawn in place with ANSI escapes on a terminal that can draw
 * (OUT_PLAY_ANSI), or plain text lines written now and then, for a pipe, a
 * dumb terminal or NO_COLOR (OUT_PLAY_TEXT). The writer knows nothing of
 * the model: it draws the plain struct it is given.
 */
#ifndef OUT_PLAY_H
#define OUT_PLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct out_play_dept {
    const char *name;
    long waiting, busy, on_duty, gave_up;
    long helped;                    /* of busy: pool members serving here */
};

#define OUT_PLAY_NEWS 5

struct out_play_frame {
    double at;                      /* minutes after midnight (day) or from the start */
    bool is_day, paused;
    size_t ndepts;
    const struct out_play_dept *depts;
    long served, lost;              /* external customers so far */
    const char *news[OUT_PLAY_NEWS];   /* the latest give-ups, newest first (NULL: none) */
    long bar_max;                   /* the longest queue bar, in characters (0: 30) */
};

enum out_play_mode { OUT_PLAY_ANSI, OUT_PLAY_TEXT };

/* Draws the frame in place (ANSI: the first frame clears the screen). */
void out_play_draw(FILE *f, const struct out_play_frame *fr, bool first);

/* Writes one plain line per department and the totals, headed by the clock. */
void out_play_line(FILE *f, const struct out_play_frame *fr);

#endif
