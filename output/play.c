/* output/play.c — the live view of a day (see play.h). */
#include "output/play.h"
#include "output/report.h"

#include <string.h>

/* The clock: "10:42" on a day, hours:minutes from the start otherwise. */
static const char *clock_of(char *buf, size_t len, const struct out_play_frame *fr)
{
    return out_clock(buf, len, fr->at);
}

void out_play_draw(FILE *f, const struct out_play_frame *fr, bool first)
{
    char clock[16];
    if (first)
        fputs("\033[2J", f);
    fprintf(f, "\033[H\033[1m%s\033[0m   served %ld   gave up %ld%s\033[K\n\033[K\n", clock_of(clock, sizeof clock, fr),
            fr->served, fr->lost, fr->paused ? "   \033[7m PAUSED: any key goes on \033[0m" : "");
    size_t width = 8;
    for (size_t d = 0; d < fr->ndepts; d++)
        width = strlen(fr->depts[d].name) > width ? strlen(fr->depts[d].name) : width;
    for (size_t d = 0; d < fr->ndepts; d++) {
        const struct out_play_dept *dp = &fr->depts[d];
        /* the queue: one block a customer, up to bar_max, then a "+" */
        long bar_max = fr->bar_max > 0 ? fr->bar_max : 30;
        const char *colour = dp->waiting >= 10 ? "\033[31m" : dp->waiting >= 4 ? "\033[33m" : "\033[32m";
        fprintf(f, "%-*s %3ld waiting %s", (int)width, dp->name, dp->waiting, colour);
        long shown = dp->waiting < bar_max ? dp->waiting : bar_max;
        for (long i = 0; i < shown; i++)
            fputs("\u2588", f);
        fprintf(f, "\033[0m%*s", (int)(bar_max - shown + 1), dp->waiting > bar_max ? "+" : " ");
        fprintf(f, " staff %ld of %ld busy", dp->busy - dp->helped, dp->on_duty);
        if (dp->helped)
            fprintf(f, ", %ld helping", dp->helped);
        if (dp->gave_up)
            fprintf(f, "   \033[31m%ld gave up\033[0m", dp->gave_up);
        fputs("\033[K\n", f);
    }
    fputs("\033[K\n", f);
    for (int i = 0; i < OUT_PLAY_NEWS; i++)
        fprintf(f, "%s%s\033[K\n", fr->news[i] ? "  " : "", fr->news[i] ? fr->news[i] : "");
    fputs("\033[K(any key pauses; Ctrl-C stops)\033[K\n", f);
    fflush(f);
}

void out_play_line(FILE *f, const struct out_play_frame *fr)
{
    char clock[16];
    fprintf(f, "%s  served %ld, gave up %ld\n", clock_of(clock, sizeof clock, fr), fr->served, fr->lost);
    for (size_t d = 0; d < fr->ndepts; d++) {
        const struct out_play_dept *dp = &fr->depts[d];
        fprintf(f, "       %s: %ld waiting, staff %ld of %ld busy", dp->name, dp->waiting, dp->busy - dp->helped,
                dp->on_duty);
        if (dp->helped)
            fprintf(f, ", %ld helping", dp->helped);
        if (dp->gave_up)
            fprintf(f, ", %ld gave up", dp->gave_up);
        fputc('\n', f);
    }
    fflush(f);
}
