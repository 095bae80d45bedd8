/* output/verdict.c — a compared plan in one sentence (see verdict.h). */
#include "output/verdict.h"
#include "output/textfmt.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The sentence under construction, and the tally of its counts. */
struct sentence {
    char *buf;
    size_t len, used;
    int items;
    int better, worse, considered;   /* the customers' counts */
    const char *unclear[8];       /* labels with no clear difference, said together */
    size_t nunclear;
};

static void add(struct sentence *s, const char *fmt, ...) SIM_PRINTF(2, 3);
static void add(struct sentence *s, const char *fmt, ...)
{
    if (s->used + 1 >= s->len)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(s->buf + s->used, s->len - s->used, fmt, ap);
    va_end(ap);
    if (n > 0)
        s->used += (size_t)n < s->len - s->used ? (size_t)n : s->len - s->used - 1;
}

/* Appends one count: "LABEL +x UNIT[ (lo to hi)][ per]", "LABEL unchanged"
 * or "no clear difference in LABEL"; tallies it when it counts toward the
 * verdict. Returns its change. */
static enum out_change item(struct sentence *s, const char *label, const struct out_metric *m, bool down_is_better,
                            bool interval, bool counts, const char *per)
{
    enum out_change ch = m ? out_diff_change(m->diff) : OUT_UNMEASURED;
    if (ch == OUT_UNMEASURED)
        return ch;
    if (ch == OUT_UNCLEAR) {
        if (s->nunclear < 8)
            s->unclear[s->nunclear++] = label;
        s->considered += counts;
        return ch;
    }
    add(s, "%s", s->items++ ? ", " : "");
    char a[48], lo[32], hi[32];
    switch (ch) {
    case OUT_SAME:
        add(s, "%s unchanged", label);
        return ch;
    default:
        add(s, "%s %s", label, oui_txt_signed(a, sizeof a, m->diff->mean, m->unit, true));
        if (interval && m->diff->ci_low < m->diff->ci_high)
            add(s, " (%s to %s)", oui_txt_signed(lo, sizeof lo, m->diff->ci_low, m->unit, false),
                oui_txt_signed(hi, sizeof hi, m->diff->ci_high, m->unit, false));
        if (per)
            add(s, " %s", per);
        if (counts) {
            bool better = (ch == OUT_DOWN) == down_is_better;
            s->better += better;
            s->worse += !better;
        }
        break;
    }
    s->considered += counts;
    return ch;
}

struct wait_change {
    const char *dept;
    const struct out_metric *m;
};

static int by_size(const void *a, const void *b)
{
    double x = fabs(((const struct wait_change *)a)->m->diff->mean);
    double y = fabs(((const struct wait_change *)b)->m->diff->mean);
    return (x < y) - (x > y);
}

/* The departments whose mean wait clearly changed, largest first (two at
 * most); one count for all waits when none did. */
static void waits(struct sentence *s, const struct out_plan *p)
{
    struct wait_change clear[64];
    size_t n = 0;
    bool unclear = false, measured = false;
    for (size_t i = 0; i < p->nscopes && n < 64; i++) {
        const struct out_scope *sc = &p->scopes[i];
        const struct out_metric *m = sc->kind == OUT_DEPARTMENT ? out_report_metric(sc, "wait_mean") : NULL;
        enum out_change ch = m ? out_diff_change(m->diff) : OUT_UNMEASURED;
        if (ch == OUT_UP || ch == OUT_DOWN)
            clear[n++] = (struct wait_change){sc->name, m};
        unclear = unclear || ch == OUT_UNCLEAR;
        measured = measured || ch != OUT_UNMEASURED;
    }
    if (n == 0) {
        if (unclear) {
            s->unclear[s->nunclear++] = "waits";
            s->considered++;
        } else if (measured) {
            add(s, "%swaits unchanged", s->items++ ? ", " : "");
        }
        return;
    }
    qsort(clear, n, sizeof *clear, by_size);
    for (size_t k = 0; k < n && k < 2; k++) {
        char label[96];
        snprintf(label, sizeof label, "%s wait", clear[k].dept);
        item(s, label, clear[k].m, true, k == 0, true, NULL);
    }
}

const char *out_verdict(const struct out_report *r, const struct out_plan *p, char *buf, size_t len)
{
    struct sentence s = {.buf = buf, .len = len};
    buf[0] = '\0';
    const char *per = r->is_day ? "a day" : "a run";
    const struct out_scope *ext = out_report_scope(p, OUT_JOURNEY, "external");
    const struct out_scope *cost = out_report_scope(p, OUT_COST, NULL);
    add(&s, "%s: ", p->name);
    waits(&s, p);
    if (ext) {
        item(&s, "drop-outs", out_report_metric(ext, "dropout_rate"), true, false, true, NULL);
        item(&s, "satisfaction", out_report_metric(ext, "satisfaction_mean"), false, false, true, NULL);
    }
    const struct out_metric *total = cost ? out_report_metric(cost, "total_cost") : NULL;
    enum out_change tc = total ? out_diff_change(total->diff) : OUT_UNMEASURED;
    if (cost) {
        item(&s, "staff cost", out_report_metric(cost, "staff_cost"), true, false, false, per);
        item(&s, "lost value", out_report_metric(cost, "lost_value"), true, false, false, per);
    }
    char t[48], lo[32], hi[32], total_words[160] = "";
    if (tc == OUT_UP || tc == OUT_DOWN)
        snprintf(total_words, sizeof total_words, "total cost %s %s (%s to %s)",
                 oui_txt_signed(t, sizeof t, total->diff->mean, total->unit, true), per,
                 oui_txt_signed(lo, sizeof lo, total->diff->ci_low, total->unit, false),
                 oui_txt_signed(hi, sizeof hi, total->diff->ci_high, total->unit, false));
    for (size_t k = 0; k < s.nunclear; k++)
        add(&s, "%s%s", k ? k + 1 < s.nunclear ? ", " : " or " : s.items ? "; no clear difference in " :
                                                                          "no clear difference in ",
            s.unclear[k]);
    add(&s, "%s", s.items || s.nunclear ? ": " : "");
    /* The verdict: the customers' counts and the total cost, all pointing
     * one way or not. */
    bool cheaper = tc == OUT_DOWN, dearer = tc == OUT_UP;
    int considered = s.considered + (tc == OUT_UP || tc == OUT_DOWN || tc == OUT_UNCLEAR);
    int better = s.better + cheaper, worse = s.worse + dearer;
    if (considered == 0)
        add(&s, "no difference at all.");
    else if (better == considered)
        add(&s, "better on every count.");
    else if (worse == considered)
        add(&s, "worse on every count.");
    else if (!worse)
        add(&s, better ? "better on %d of %d counts, worse on none." : "no clear difference on any count.", better,
            considered);
    else if (!better)
        add(&s, "worse on %d of %d counts, better on none.", worse, considered);
    else if (!s.worse)
        add(&s, "better for customers on %d count%s, but dearer: %s.", s.better, s.better == 1 ? "" : "s",
            total_words);
    else if (!s.better)
        add(&s, "cheaper, but worse for customers on %d count%s: %s.", s.worse, s.worse == 1 ? "" : "s",
            total_words);
    else
        add(&s, "mixed for customers (better on %d count%s, worse on %d)%s%s.", s.better, s.better == 1 ? "" : "s",
            s.worse,
            cheaper ? ", and cheaper: " : dearer ? ", and dearer: " : ", with no clear difference in total cost",
            total_words);
    return buf;
}
