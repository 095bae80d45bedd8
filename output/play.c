/* output/play.c — the live view of a day (see play.h). */
#include "output/play.h"
#include "output/report.h"
#include "sim/err.h"

#include <stdarg.h>
#include <string.h>

/* The clock: "10:42" on a day, hours:minutes from the start otherwise. */
static const char *clock_of(char *buf, size_t len, const struct out_play_frame *fr)
{
    return out_clock(buf, len, fr->at);
}

static size_t add(char *buf, size_t len, size_t used, const char *fmt, ...) SIM_PRINTF(4, 5);

static size_t add(char *buf, size_t len, size_t used, const char *fmt, ...)
{
    if (used >= len)
        return used;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf + used, len - used, fmt, ap);
    va_end(ap);
    return n > 0 ? used + (size_t)n : used;
}

/* Those of dp's own staff busy on duty, and those busy past it: finishing
 * a customer before leaving. */
static long busy_on_duty(const struct out_play_dept *dp)
{
    return dp->busy < dp->on_duty ? dp->busy : dp->on_duty;
}

static long finishing(const struct out_play_dept *dp)
{
    return dp->busy > dp->on_duty ? dp->busy - dp->on_duty : 0;
}

/* dp's staff in words: "staff 1 of 1 busy, +1 from the floater pool, +1
 * off duty, finishing a customer before leaving"; compact, for a drawn
 * line with its legend: "staff 1 of 1 busy +1 floater +1 off duty". */
static const char *staff_text(char *buf, size_t len, const struct out_play_dept *dp, bool compact)
{
    size_t used = add(buf, len, 0, "staff %ld of %ld busy", busy_on_duty(dp), dp->on_duty);
    if (dp->helping && compact)
        used = add(buf, len, used, " +%ld %s", dp->helping, dp->pool ? dp->pool : "pool");
    else if (dp->helping && dp->pool)
        used = add(buf, len, used, ", +%ld from the %s pool", dp->helping, dp->pool);
    else if (dp->helping)
        used = add(buf, len, used, ", +%ld from pools", dp->helping);
    if (finishing(dp))
        add(buf, len, used, compact ? " +%ld off duty" : ", +%ld off duty, finishing a customer before leaving",
            finishing(dp));
    return buf;
}

/* Columns a UTF-8 string takes (every character one column). */
static long columns(const char *s)
{
    long n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
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
    const char *pool = NULL;   /* the legend: which pool helps, whether anyone is finishing */
    bool helping = false, several = false, off = false;
    for (size_t d = 0; d < fr->ndepts; d++) {
        const struct out_play_dept *dp = &fr->depts[d];
        char staff[160], gave_up[32] = "";
        staff_text(staff, sizeof staff, dp, true);
        if (dp->gave_up)
            snprintf(gave_up, sizeof gave_up, "   %ld gave up", dp->gave_up);
        if (dp->helping) {
            several |= helping && (!dp->pool || !pool || strcmp(dp->pool, pool));
            pool = dp->pool;
            helping = true;
        }
        off |= finishing(dp) > 0;
        /* the queue: one block a customer, up to bar_max, then a "+"; a
         * shorter bar when the line would not fit the terminal */
        long bar_max = fr->bar_max > 0 ? fr->bar_max : 30;
        long rest = (long)width + 13 + 2 + 1 + columns(staff) + columns(gave_up);
        if (fr->width > 0 && rest + bar_max > fr->width)
            bar_max = fr->width - rest > 1 ? fr->width - rest : 1;
        const char *colour = dp->waiting >= 10 ? "\033[31m" : dp->waiting >= 4 ? "\033[33m" : "\033[32m";
        fprintf(f, "%-*s %3ld waiting %s", (int)width, dp->name, dp->waiting, colour);
        long shown = dp->waiting < bar_max ? dp->waiting : bar_max;
        for (long i = 0; i < shown; i++)
            fputs("\u2588", f);
        fprintf(f, "\033[0m%*s", (int)(bar_max - shown + 1), dp->waiting > bar_max ? "+" : " ");
        fprintf(f, " %s", staff);
        if (dp->gave_up)
            fprintf(f, "\033[31m%s\033[0m", gave_up);
        fputs("\033[K\n", f);
    }
    /* the legend of what the lines show beside their own staff: two rows,
     * empty when there is nothing to explain, so the screen keeps its shape */
    fputs("\033[K\n", f);
    if (helping && !several && pool)
        fprintf(f, "  +N %s: helping, from the %s pool\033[K\n", pool, pool);
    else if (helping)
        fputs("  +N pool: helping, from the pools\033[K\n", f);
    else
        fputs("\033[K\n", f);
    fprintf(f, "%s\033[K\n", off ? "  +N off duty: finishing a customer before leaving (a break, a shift's end)" : "");
    for (int i = 0; i < OUT_PLAY_NEWS; i++)
        fprintf(f, "%s%s\033[K\n", fr->news[i] ? "  " : "", fr->news[i] ? fr->news[i] : "");
    fputs("\033[K(any key pauses; Ctrl-C stops)\033[K\n", f);
    fflush(f);
}

void out_play_line(FILE *f, const struct out_play_frame *fr)
{
    char clock[16], staff[256];
    fprintf(f, "%s  served %ld, gave up %ld\n", clock_of(clock, sizeof clock, fr), fr->served, fr->lost);
    for (size_t d = 0; d < fr->ndepts; d++) {
        const struct out_play_dept *dp = &fr->depts[d];
        fprintf(f, "       %s: %ld waiting, %s", dp->name, dp->waiting, staff_text(staff, sizeof staff, dp, false));
        if (dp->gave_up)
            fprintf(f, ", %ld gave up", dp->gave_up);
        fputc('\n', f);
    }
    fflush(f);
}
