/* output/text.c — the text report (see text.h).
 *
 * Formatting rules: minutes with one decimal, shares as percentages,
 * counts with one decimal (they are means over replications), money as whole
 * units with thousands separators; "±" and the half-width of the 95%
 * interval follow a mean when there were two replications or more; a
 * figure no replication could measure prints as "-".
 */
#include "output/text.h"

#include <errno.h>
#include <math.h>
#include <string.h>

static double half(const struct out_stat *s)
{
    return s->n > 1 && isfinite(s->ci_high) ? s->ci_high - s->mean : NAN;
}

/* Formats a statistic into buf as "12.4 ± 0.8 min", by unit. */
static const char *fmt_stat(char *buf, size_t len, const struct out_metric *m, bool with_ci)
{
    const struct out_stat *s = &m->stat;
    if (!isfinite(s->mean)) {
        snprintf(buf, len, "-");
        return buf;
    }
    double h = with_ci ? half(s) : NAN;
    const char *u = m->unit;
    if (!strcmp(u, "share")) {
        if (isfinite(h))
            snprintf(buf, len, "%.1f ± %.1f%%", 100 * s->mean, 100 * h);
        else
            snprintf(buf, len, "%.1f%%", 100 * s->mean);
    } else if (!strcmp(u, "money")) {
        if (isfinite(h))
            snprintf(buf, len, "%.0f ± %.0f", s->mean, h);
        else
            snprintf(buf, len, "%.0f", s->mean);
    } else if (!strcmp(u, "min") || !strcmp(u, "staff-min")) {
        if (isfinite(h))
            snprintf(buf, len, "%.1f ± %.1f min", s->mean, h);
        else
            snprintf(buf, len, "%.1f min", s->mean);
    } else if (!strcmp(u, "score")) {
        if (isfinite(h))
            snprintf(buf, len, "%.2f ± %.2f", s->mean, h);
        else
            snprintf(buf, len, "%.2f", s->mean);
    } else {
        if (isfinite(h))
            snprintf(buf, len, "%.1f ± %.1f", s->mean, h);
        else
            snprintf(buf, len, "%.1f", s->mean);
    }
    return buf;
}

static const char *cell(char *buf, size_t len, const struct out_scope *sc, const char *name, bool ci)
{
    const struct out_metric *m = out_report_metric(sc, name);
    if (!m) {
        snprintf(buf, len, "-");
        return buf;
    }
    return fmt_stat(buf, len, m, ci);
}

static void departments(const struct out_plan *p, FILE *f)
{
    char a[48], b[48], c[48], d[48], e[48], g[48], h[48];
    fprintf(f, "Departments       %-9s %-18s %-9s %-9s %-9s %-8s %s\n", "arrivals", "wait (mean)", "wait p90",
            "in time", "gave up", "turned", "staff busy");
    for (size_t i = 0; i < p->nscopes; i++) {
        const struct out_scope *sc = &p->scopes[i];
        if (sc->kind != OUT_DEPARTMENT)
            continue;
        const struct out_metric *balk = out_report_metric(sc, "balk_rate"), *block = out_report_metric(sc, "block_rate");
        struct out_metric turned = *balk;
        turned.stat.mean = balk->stat.mean + block->stat.mean;
        fprintf(f, "  %-15.15s %-9s %-18s %-9s %-9s %-9s %-8s %s\n", sc->name, cell(a, sizeof a, sc, "arrivals", false),
                cell(b, sizeof b, sc, "wait_mean", true), cell(c, sizeof c, sc, "wait_p90", false),
                cell(d, sizeof d, sc, "service_level", false), cell(e, sizeof e, sc, "abandon_rate", false),
                fmt_stat(g, sizeof g, &turned, false), cell(h, sizeof h, sc, "utilization", false));
    }
    fprintf(f, "  (in time: started within the target wait; gave up: left the queue; turned: turned away,\n"
               "   seeing the queue too long or full)\n");
}

static void journeys(const struct out_plan *p, FILE *f)
{
    char a[48], b[48], c[48], d[48], e[48], g[48];
    fprintf(f, "Journeys          %-10s %-9s %-18s %-17s %-13s %s\n", "completed", "dropped", "time inside",
            "waited in all", "satisfaction", "CSAT");
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < p->nscopes; i++) {
            const struct out_scope *sc = &p->scopes[i];
            bool total = sc->kind == OUT_JOURNEY;
            if ((pass == 0) != total || (sc->kind != OUT_JOURNEY && sc->kind != OUT_CLASS))
                continue;
            char label[40];
            if (total)
                snprintf(label, sizeof label, "all %s", sc->name);
            else
                snprintf(label, sizeof label, "  %s", sc->name);
            fprintf(f, "  %-15.15s %-10s %-9s %-18s %-17s %-13s %s\n", label, cell(a, sizeof a, sc, "completed", false),
                    cell(b, sizeof b, sc, "dropped", false), cell(c, sizeof c, sc, "sojourn_mean", true),
                    cell(d, sizeof d, sc, "wait_total_mean", false), cell(e, sizeof e, sc, "satisfaction_mean", true),
                    cell(g, sizeof g, sc, "csat", false));
        }
    fprintf(f, "  (satisfaction: 1 to 5, by the peak-end rule; CSAT: share scoring 4 or more)\n");
}

static void cost(const struct out_report *r, const struct out_plan *p, FILE *f)
{
    char a[48], b[48], c[48];
    for (size_t i = 0; i < p->nscopes; i++) {
        const struct out_scope *sc = &p->scopes[i];
        if (sc->kind != OUT_COST)
            continue;
        fprintf(f, "Cost per %s     staff %s   lost value %s   total %s\n", r->is_day ? "day" : "run",
                cell(a, sizeof a, sc, "staff_cost", true), cell(b, sizeof b, sc, "lost_value", true),
                cell(c, sizeof c, sc, "total_cost", true));
    }
}

int out_text_write(const struct out_report *r, FILE *f, struct sim_err *err)
{
    const struct out_plan *p = &r->plans[0];
    fprintf(f, "%s\n", r->scenario);
    if (r->is_day)
        fprintf(f, "%u day%s from %02d:%02d to %02d:%02d, seed %llu; ± gives the 95%% interval over days\n",
                r->replications, r->replications == 1 ? "" : "s", (int)r->open_at / 60, (int)r->open_at % 60,
                (int)r->close_at / 60, (int)r->close_at % 60, (unsigned long long)r->seed);
    else
        fprintf(f, "%u run%s of %g minutes after a %g-minute warm-up, seed %llu; ± gives the 95%% interval\n",
                r->replications, r->replications == 1 ? "" : "s", r->length_dur, r->warmup_dur,
                (unsigned long long)r->seed);
    if (p->overloaded)
        fprintf(f, "warning: %u replication%s stopped: over 1,000,000 customers inside at once (overloaded)\n",
                p->overloaded, p->overloaded == 1 ? " was" : "s were");
    fprintf(f, "\n");
    departments(p, f);
    fprintf(f, "\n");
    journeys(p, f);
    fprintf(f, "\n");
    cost(r, p, f);
    if (ferror(f))
        return sim_err_set(err, SIM_EIO, "cannot write the report: %s", strerror(errno));
    return SIM_OK;
}
