/* output/play.h — the live view of a day for `cxsim workshop`'s play: a
 * clock, one line per department (its queue as a bar, staff on duty and
 * busy, customers who gave up there), and the latest customers to give up.
 *
 * Two forms: drawn in place with ANSI escapes on a terminal that can draw
 * (OUT_PLAY_ANSI), or plain text lines written now and then, for a pipe, a
 * dumb terminal or NO_COLOR (OUT_PLAY_TEXT). The staff figures read "staff
 * 1 of 1 busy, +1 from the floater pool, +1 off duty, finishing a customer
 * before leaving" as plain text; drawn, "staff 1 of 1 busy +1 floater +1
 * off duty", with a legend under the departments while either shows. The
 * writer knows nothing of the model: it draws the plain struct it is
 * given.
 */
#ifndef OUT_PLAY_H
#define OUT_PLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Who is busy at a department, so that a line never reads "2 of 1 busy":
 * busy counts its own staff serving, and of those, the ones past on_duty
 * are finishing a customer before leaving (a break, a shift's end, a step
 * down of the schedule: they go once the customer is done); helping counts
 * the members of pools serving there, never among on_duty. */
struct out_play_dept {
    const char *name;
    long waiting, gave_up;
    long on_duty;                   /* its own staff on duty */
    long busy;                      /* its own staff serving (past on_duty: finishing before leaving) */
    long helping;                   /* pool members serving here */
    const char *pool;               /* their pool, when only one serves here (NULL: "pools") */
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
    long width;                     /* drawn: the terminal's columns; a line that would be wider
                                       has a shorter bar (0: no limit) */
};

enum out_play_mode { OUT_PLAY_ANSI, OUT_PLAY_TEXT };

/* Draws the frame in place (ANSI: the first frame clears the screen). */
void out_play_draw(FILE *f, const struct out_play_frame *fr, bool first);

/* Writes one plain line per department and the totals, headed by the clock. */
void out_play_line(FILE *f, const struct out_play_frame *fr);

#endif
