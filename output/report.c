/* output/report.c — look-ups on the plain report. */
#include "output/report.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

const char *out_clock(char *buf, size_t len, double minutes)
{
    long m = lround(minutes);
    snprintf(buf, len, "%02ld:%02ld", m / 60 % 100, m % 60);
    return buf;
}

const struct out_metric *out_report_metric(const struct out_scope *sc, const char *name)
{
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
    }
    return "?";
}

bool out_scope_kind_parse(const char *word, enum out_scope_kind *kind)
{
    static const enum out_scope_kind kinds[] = {OUT_DEPARTMENT, OUT_CLASS, OUT_JOURNEY, OUT_COST};
    for (size_t i = 0; i < 4; i++)
        if (!strcmp(word, out_scope_kind_name(kinds[i]))) {
            *kind = kinds[i];
            return true;
        }
    return false;
}

size_t out_plan_missed(const struct out_plan *p, char *buf, size_t len)
{
    size_t missed = 0;
    if (len)
        buf[0] = '\0';
    for (size_t i = 0; i < p->nscopes; i++) {
        const struct out_scope *sc = &p->scopes[i];
        const struct out_metric *m = sc->kind == OUT_DEPARTMENT ? out_report_metric(sc, "service_level") : NULL;
        if (!m || !isfinite(m->stat.mean) || !isfinite(sc->service_target) || m->stat.mean >= sc->service_target)
            continue;
        size_t used = strlen(buf);
        snprintf(buf + used, len - used, "%s%s", missed++ ? ", " : "", sc->name);
    }
    return missed;
}
