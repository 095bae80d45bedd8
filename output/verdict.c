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
    char small[8][96];            /* labels of clear differences too small to matter */
    size_t nsmall;
    int same;                          /* counts that did not change at all, or too little */
};

/* Below these, a clear difference is too small to matter (docs/sweep.md):
 * a few seconds of waiting, a quarter of a percentage point of customers, a
 * fiftieth of a point of satisfaction, half a percent of the baseline's
 * total cost. */
#define SMALL_WAIT 0.1
#define SMALL_SHARE 0.0025
#define SMALL_SCORE 0.02
#define SMALL_COST_SHARE 0.005

/* A clear difference (UP or DOWN) smaller than its threshold is too small
 * to matter: noted, and weighed neither way. */
static bool too_small(struct sentence *s, const char *label, const struct out_metric *m, enum out_change ch,
                      double threshold)
{
    if ((ch != OUT_UP && ch != OUT_DOWN) || !(fabs(m->diff->mean) < threshold))
        return false;
    if (s->nsmall < 8)
        snprintf(s->small[s->nsmall++], sizeof s->small[0], "%s", label);
    return true;
}

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
                            bool interval, bool counts, const char *per, double threshold)
{
    enum out_change ch = m ? out_diff_change(m->diff) : OUT_UNMEASURED;
    if (ch == OUT_UNMEASURED)
        return ch;
    if (counts && too_small(s, label, m, ch, threshold)) {
        s->same++;
        return OUT_SAME;
    }
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
        s->same += counts;
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

/* The departments whose mean wait clearly changed, largest first: every
 * one that got worse, and the two largest that got better; then every
 * department whose service level clearly fell. One count for all waits when
 * none changed clearly. */
static void waits(struct sentence *s, const struct out_plan *p)
{
    struct wait_change clear[64];
    size_t n = 0;
    bool unclear = false, measured = false;
    for (size_t i = 0; i < p->nscopes && n < 64; i++) {
        const struct out_scope *sc = &p->scopes[i];
        const struct out_metric *m = sc->kind == OUT_DEPARTMENT ? out_report_metric(sc, "wait_mean") : NULL;
        enum out_change ch = m ? out_diff_change(m->diff) : OUT_UNMEASURED;
        char label[96];
        snprintf(label, sizeof label, "%s wait", sc->name);
        if ((ch == OUT_UP || ch == OUT_DOWN) && !too_small(s, label, m, ch, SMALL_WAIT))
            clear[n++] = (struct wait_change){sc->name, m};
        unclear = unclear || ch == OUT_UNCLEAR;
        measured = measured || ch != OUT_UNMEASURED;
    }
    if (n == 0) {
        if (unclear) {
            s->unclear[s->nunclear++] = "waits";
            s->considered++;
        } else if (measured && !s->nsmall) {
            add(s, "%swaits unchanged", s->items++ ? ", " : "");
            s->same++;
        } else if (measured) {
            s->same++;   /* too small to matter */
        }
    } else {
        qsort(clear, n, sizeof *clear, by_size);
        size_t better = 0, named = 0;
        for (size_t k = 0; k < n; k++) {
            bool worse = clear[k].m->diff->mean > 0;
            if (!worse && better++ >= 2)
                continue;   /* a third improvement: the sentence has the largest */
            char label[96];
            snprintf(label, sizeof label, "%s wait", clear[k].dept);
            item(s, label, clear[k].m, true, named++ == 0 || worse, true, NULL, SMALL_WAIT);
        }
    }
    /* a service level that clearly fell is a worsening wherever it is */
    for (size_t i = 0; i < p->nscopes; i++) {
        const struct out_scope *sc = &p->scopes[i];
        const struct out_metric *m = sc->kind == OUT_DEPARTMENT ? out_report_metric(sc, "service_level") : NULL;
        if (!m || out_diff_change(m->diff) != OUT_DOWN)
            continue;
        char label[96];
        snprintf(label, sizeof label, "%s service level", sc->name);
        item(s, label, m, false, true, true, NULL, SMALL_SHARE);
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
        item(&s, "drop-outs", out_report_metric(ext, "dropout_rate"), true, false, true, NULL, SMALL_SHARE);
        item(&s, "satisfaction", out_report_metric(ext, "satisfaction_mean"), false, false, true, NULL, SMALL_SCORE);
    }
    const struct out_metric *total = cost ? out_report_metric(cost, "total_cost") : NULL;
    enum out_change tc = total ? out_diff_change(total->diff) : OUT_UNMEASURED;
    /* money too small to matter: half a percent of the baseline's total */
    const struct out_scope *base_cost = r->nplans ? out_report_scope(&r->plans[0], OUT_COST, NULL) : NULL;
    double small_money = base_cost ? SMALL_COST_SHARE * fabs(out_metric_mean(out_report_metric(base_cost, "total_cost")))
                                   : 0;
    if (!isfinite(small_money))
        small_money = 0;
    if (cost) {
        item(&s, "staff cost", out_report_metric(cost, "staff_cost"), true, false, false, per, 0);
        item(&s, "lost value", out_report_metric(cost, "lost_value"), true, false, false, per, 0);
    }
    bool cost_small = total && too_small(&s, "total cost", total, tc, small_money);
    if (cost_small)
        tc = OUT_SAME;
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
    for (size_t k = 0; k < s.nsmall; k++)
        add(&s, "%s%s", k ? k + 1 < s.nsmall ? ", " : " and " : s.items || s.nunclear ? "; too small to matter: " :
                                                                                     "too small to matter: ",
            s.small[k]);
    add(&s, "%s", s.items || s.nunclear || s.nsmall ? ": " : "");
    /* The verdict: the customers' counts and the total cost, all pointing
     * one way or not. */
    s.same += tc == OUT_SAME;
    bool cheaper = tc == OUT_DOWN, dearer = tc == OUT_UP;
    int considered = s.considered + (tc == OUT_UP || tc == OUT_DOWN || tc == OUT_UNCLEAR);
    int better = s.better + cheaper, worse = s.worse + dearer;
    if (considered == 0)
        add(&s, "no difference at all.");
    else if (s.considered == 0 && (cheaper || dearer))   /* only the money moved */
        add(&s, "the same for customers, %s: %s.", cheaper ? "and cheaper" : "but dearer", total_words);
    else if (better == considered)   /* "every count" when some did not change would misread */
        add(&s, !s.same ? "better on every count." : considered == 1 ? "better on that count, the same on the others."
                                                                   : "better on every count that changed.");
    else if (worse == considered)
        add(&s, !s.same ? "worse on every count." : considered == 1 ? "worse on that count, the same on the others."
                                                                  : "worse on every count that changed.");
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
            cheaper ? ", and cheaper: " : dearer ? ", and dearer: " : cost_small ? ", for about the same total cost"
                                                                              : ", with no clear difference in total cost",
            total_words);
    return buf;
}
