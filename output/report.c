/* output/report.c — look-ups on the plain report. */
#include "output/report.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *out_clock(char *buf, size_t len, double minutes)
{
    long m = lround(minutes);
    snprintf(buf, len, "%02ld:%02ld", m / 60 % 100, m % 60);
    return buf;
}

const struct out_metric *out_report_metric(const struct out_scope *sc, const char *name)
{
    if (!sc) /* a scope the plan does not have (a department only a variant adds) */
        return NULL;
    for (size_t i = 0; i < sc->nmetrics; i++)
        if (strcmp(sc->metrics[i].name, name) == 0)
            return &sc->metrics[i];
    return NULL;
}

const struct out_scope *out_report_scope(const struct out_plan *p, enum out_scope_kind kind, const char *name)
{
    for (size_t i = 0; i < p->nscopes; i++)
        if (p->scopes[i].kind == kind && (!name || !strcmp(p->scopes[i].name, name)))
            return &p->scopes[i];
    return NULL;
}

double out_metric_mean(const struct out_metric *m)
{
    return m ? m->stat.mean : NAN;
}

const struct out_metric *out_scope_drop(const struct out_scope *sc, const char *dept, enum out_drop_cause cause)
{
    for (size_t i = 0; i < sc->ndrops; i++)
        if (sc->drops[i].cause == cause && !strcmp(sc->drops[i].dept, dept))
            return sc->drops[i].metric;
    return NULL;
}

const char *out_drop_cause_name(enum out_drop_cause cause)
{
    static const char *const names[OUT_DROP_CAUSES] = {"balked", "blocked", "reneged", "closed"};
    return cause < OUT_DROP_CAUSES ? names[cause] : "?";
}

enum out_change out_diff_change(const struct out_stat *d)
{
    if (!d || d->n == 0 || !isfinite(d->mean))
        return OUT_UNMEASURED;
    if (d->mean == 0 && !(d->sd > 0))
        return OUT_SAME;
    if (d->n < 2 || !isfinite(d->ci_low) || !isfinite(d->ci_high))
        return OUT_UNCLEAR;
    if (d->ci_low > 0)
        return OUT_UP;
    if (d->ci_high < 0)
        return OUT_DOWN;
    return OUT_UNCLEAR;
}

const char *out_scope_kind_name(enum out_scope_kind kind)
{
    switch (kind) {
    case OUT_DEPARTMENT:
        return "department";
    case OUT_CLASS:
        return "class";
    case OUT_JOURNEY:
        return "journey";
    case OUT_COST:
        return "cost";
    case OUT_POOL:
        return "pool";
    }
    return "?";
}

bool out_scope_kind_parse(const char *word, enum out_scope_kind *kind)
{
    static const enum out_scope_kind kinds[] = {OUT_DEPARTMENT, OUT_CLASS, OUT_JOURNEY, OUT_COST, OUT_POOL};
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (!strcmp(word, out_scope_kind_name(kinds[i]))) {
            *kind = kinds[i];
            return true;
        }
    return false;
}

enum out_verdict out_goal_judge(const struct out_stat *st, double target, bool at_least, double *more)
{
    *more = 0;
    if (!isfinite(st->mean))
        return OUT_TOO_CLOSE;   /* nothing measured: nothing decided */
    double good = at_least ? st->ci_low - target : target - st->ci_high;
    double bad = at_least ? target - st->ci_high : st->ci_low - target;
    if (good >= 0)
        return OUT_MET;
    if (bad > 0)
        return OUT_MISSED;
    /* the interval's half-width shrinks as 1/sqrt(n): it clears the target
     * once it is narrower than the estimate's distance from it */
    double gap = fabs(st->mean - target), half = (st->ci_high - st->ci_low) / 2;
    if (!(gap > 0) || st->n == 0)
        *more = INFINITY;
    else
        *more = ceil((double)st->n * (half / gap) * (half / gap)) - (double)st->n;
    if (*more < 1)
        *more = 1;
    return OUT_TOO_CLOSE;
}

const char *out_verdict_name(enum out_verdict v)
{
    return v == OUT_MET ? "met" : v == OUT_MISSED ? "missed" : "too close to call";
}

/* Appends name to the list in buf (", " between), once. */
static void list_add(char *buf, size_t len, const char *name)
{
    if (!buf || !len)
        return;
    size_t used = strlen(buf);
    snprintf(buf + used, len - used, "%s%s", used ? ", " : "", name);
}

enum out_verdict out_plan_verdict(const struct out_plan *p, size_t counts[3], char *missed, char *close,
                                  size_t len)
{
    size_t n[3] = {0, 0, 0};
    if (missed && len)
        missed[0] = '\0';
    if (close && len)
        close[0] = '\0';
    for (size_t g = 0; g < p->ngoals; g++) {
        const struct out_goal *goal = &p->goals[g];
        n[goal->verdict]++;
        if (goal->verdict == OUT_MISSED)
            list_add(missed, len, goal->scope);
        else if (goal->verdict == OUT_TOO_CLOSE)
            list_add(close, len, goal->scope);
    }
    if (counts)
        memcpy(counts, n, sizeof n);
    return n[OUT_MISSED] ? OUT_MISSED : n[OUT_TOO_CLOSE] ? OUT_TOO_CLOSE : OUT_MET;
}

bool out_param_number(const char *value, double *x)
{
    char *end = NULL;
    *x = value && *value && !strchr(" \t", *value) ? strtod(value, &end) : NAN;
    return end && !*end && isfinite(*x) && !strpbrk(value, "xXpP");
}
