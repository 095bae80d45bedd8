/* output/text.c — the text report (see text.h).
 *
 * First a few sentences that say what matters most, then tables. Every
 * figure carries its unit and, with two replications or more, "±" and the
 * half-width of its 95% interval; the by-hour table alone shows means only
 * (the intervals are in the CSV and JSON reports). Minutes have one
 * decimal, shares are percentages, scores have two decimals, money is whole
 * units; figures of 1,000 and more have thousands separators; a figure no
 * replication could measure is "-". Columns are sized to their contents; no
 * line exceeds 100 columns for names of up to 40 characters.
 */
#include "output/text.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define WIDTH 100
#define CELL 64
#define MAXCOLS 8

/* ---- figures ----------------------------------------------------------- */

static double half(const struct out_stat *s)
{
    return s->n > 1 && isfinite(s->ci_high) ? s->ci_high - s->mean : NAN;
}

/* Inserts thousands separators into the whole part of the number in s
 * (of capacity len): "43377.7" becomes "43,377.7". */
static void group(char *s, size_t len)
{
    char *digits = s + (*s == '-'), *end = digits;
    while (*end >= '0' && *end <= '9')
        end++;
    size_t n = (size_t)(end - digits), commas = n > 3 ? (n - 1) / 3 : 0;
    if (!commas || strlen(s) + commas + 1 > len)
        return;
    memmove(end + commas, end, strlen(end) + 1);
    char *w = end + commas - 1;
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && i % 3 == 0)
            *w-- = ',';
        *w = end[-1 - (long)i];
        w--;
    }
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
    double scale = !strcmp(u, "share") ? 100 : 1;
    const char *digits = !strcmp(u, "money") ? "%.0f" : !strcmp(u, "score") ? "%.2f" : "%.1f";
    const char *suffix = !strcmp(u, "share") ? "%" : !strcmp(u, "min") || !strcmp(u, "staff-min") ? " min" : "";
    char a[24], b[24];
    snprintf(a, sizeof a, digits, scale * s->mean);
    group(a, sizeof a);
    if (isfinite(h)) {
        snprintf(b, sizeof b, digits, scale * h);
        group(b, sizeof b);
        snprintf(buf, len, "%s ± %s%s", a, b, suffix);
    } else {
        snprintf(buf, len, "%s%s", a, suffix);
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

static double mean_of(const struct out_scope *sc, const char *name)
{
    const struct out_metric *m = sc ? out_report_metric(sc, name) : NULL;
    return m ? m->stat.mean : NAN;
}

/* Columns a UTF-8 string takes (every character one column). */
static int columns(const char *s)
{
    int n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

static void pad(FILE *f, const char *s, int width, bool right)
{
    int gap = width - columns(s);
    if (right)
        fprintf(f, "%*s%s", gap > 0 ? gap : 0, "", s);
    else
        fprintf(f, "%s%*s", s, gap > 0 ? gap : 0, "");
}

/* ---- tables ------------------------------------------------------------ */

struct row {
    char label[CELL];
    char cells[MAXCOLS][CELL];
};

struct table {
    const char *title;
    size_t ncols, nrows;
    const char *head[MAXCOLS];
    struct row *rows;
};

static struct row *table_row(struct table *t, const char *fmt, ...)
{
    t->rows = realloc(t->rows, (t->nrows + 1) * sizeof *t->rows);
    if (!t->rows)
        abort();
    struct row *r = &t->rows[t->nrows++];
    memset(r, 0, sizeof *r);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->label, sizeof r->label, fmt, ap);
    va_end(ap);
    return r;
}

/* Prints columns [c0, c1) of t with separator sep. */
static void print_columns(const struct table *t, const int *width, size_t c0, size_t c1, const char *sep, FILE *f)
{
    pad(f, t->title, width[0], false);
    for (size_t c = c0; c < c1; c++) {
        fputs(sep, f);
        pad(f, t->head[c], width[c + 1], true);
    }
    fputc('\n', f);
    for (size_t r = 0; r < t->nrows; r++) {
        fputs("  ", f);
        pad(f, t->rows[r].label, width[0] - 2, false);
        for (size_t c = c0; c < c1; c++) {
            fputs(sep, f);
            pad(f, t->rows[r].cells[c], width[c + 1], true);
        }
        fputc('\n', f);
    }
}

/* Prints the table, the first column left-aligned, the others right-aligned,
 * each as wide as its widest entry; frees its rows. Too wide for WIDTH with
 * three spaces between columns, it tries two; still too wide, it prints the
 * columns that fit, then the rest under the same row labels. */
static void table_print(struct table *t, FILE *f)
{
    int width[MAXCOLS + 1];
    width[0] = columns(t->title);
    for (size_t c = 0; c < t->ncols; c++)
        width[c + 1] = columns(t->head[c]);
    for (size_t r = 0; r < t->nrows; r++) {
        int w = columns(t->rows[r].label) + 2;
        width[0] = w > width[0] ? w : width[0];
        for (size_t c = 0; c < t->ncols; c++) {
            w = columns(t->rows[r].cells[c]);
            width[c + 1] = w > width[c + 1] ? w : width[c + 1];
        }
    }
    int total = width[0];
    for (size_t c = 0; c < t->ncols; c++)
        total += 3 + width[c + 1];
    const char *sep = total <= WIDTH ? "   " : "  ";
    int gap = (int)strlen(sep);
    for (size_t c0 = 0; c0 < t->ncols;) {
        size_t c1 = c0 + 1;
        int used = width[0] + gap + width[c0 + 1];
        while (c1 < t->ncols && used + gap + width[c1 + 1] <= WIDTH)
            used += gap + width[++c1];
        if (c0 > 0)
            fputc('\n', f);
        print_columns(t, width, c0, c1, sep, f);
        c0 = c1;
    }
    free(t->rows);
    t->rows = NULL;
    t->nrows = 0;
}

/* A table of one scope kind: each column shows metric names[c]. */
static void scope_table(FILE *f, const struct out_plan *p, enum out_scope_kind kind, const char *title,
                        const char *const *heads, const char *const *names, size_t ncols)
{
    struct table t = {.title = title, .ncols = ncols};
    for (size_t c = 0; c < ncols; c++)
        t.head[c] = heads[c];
    for (size_t i = 0; i < p->nscopes; i++) {
        const struct out_scope *sc = &p->scopes[i];
        if (sc->kind != kind)
            continue;
        struct row *r = table_row(&t, "%s", sc->name);
        for (size_t c = 0; c < ncols; c++)
            cell(r->cells[c], CELL, sc, names[c], true);
    }
    table_print(&t, f);
}

/* ---- sentences --------------------------------------------------------- */

/* Prints "  - sentence", wrapped at WIDTH with a hanging indent. */
static void bullet(FILE *f, const char *fmt, ...)
{
    char text[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    fputs("  -", f);
    int col = 3;
    for (const char *p = text; *p;) {
        size_t n = strcspn(p, " ");
        char word[256];
        snprintf(word, sizeof word, "%.*s", (int)(n < sizeof word ? n : sizeof word - 1), p);
        int w = columns(word);
        if (col > 4 && col + 1 + w > WIDTH) {
            fputs("\n    ", f);
            col = 4;
        } else {
            fputc(' ', f);
            col++;
        }
        fputs(word, f);
        col += w;
        p += n;
        while (*p == ' ')
            p++;
    }
    fputc('\n', f);
}

static const struct out_scope *find_scope(const struct out_plan *p, enum out_scope_kind kind, const char *name)
{
    for (size_t i = 0; i < p->nscopes; i++)
        if (p->scopes[i].kind == kind && (!name || !strcmp(p->scopes[i].name, name)))
            return &p->scopes[i];
    return NULL;
}

static const char *cause_words(const char *cause)
{
    if (!strcmp(cause, "balked"))
        return "turned back at the sight of the queue";
    if (!strcmp(cause, "blocked"))
        return "found no room to wait";
    if (!strcmp(cause, "reneged"))
        return "gave up waiting";
    return "were sent home at closing";
}

static void waits_sentence(FILE *f, const struct out_plan *p)
{
    const struct out_scope *worst = NULL;
    size_t missed = 0, depts = 0;
    char names[256] = "";
    for (size_t i = 0; i < p->nscopes; i++) {
        const struct out_scope *sc = &p->scopes[i];
        if (sc->kind != OUT_DEPARTMENT)
            continue;
        depts++;
        double w = mean_of(sc, "wait_mean");
        if (isfinite(w) && (!worst || w > mean_of(worst, "wait_mean")))
            worst = sc;
        double level = mean_of(sc, "service_level");
        if (isfinite(level) && isfinite(sc->service_target) && level < sc->service_target) {
            if (missed++)
                strncat(names, ", ", sizeof names - strlen(names) - 1);
            strncat(names, sc->name, sizeof names - strlen(names) - 1);
        }
    }
    if (!worst)
        return;
    char a[CELL], b[CELL], c[CELL];
    bullet(f, "Customers wait longest at %s: %s on average; 1 in 10 waits %s or more, and %s start within "
              "the %g-minute target.",
           worst->name, cell(a, CELL, worst, "wait_mean", true), cell(b, CELL, worst, "wait_p90", false),
           cell(c, CELL, worst, "service_level", false), worst->target_wait);
    if (missed == 1)
        bullet(f, "%s misses its service-level goal (the only one of %zu departments).", names, depts);
    else if (missed)
        bullet(f, "%zu of %zu departments miss their service-level goal: %s.", missed, depts, names);
    else
        bullet(f, "Every department meets its service-level goal.");
}

static void losses_sentence(FILE *f, const struct out_report *r, const struct out_plan *p)
{
    const struct out_scope *ext = find_scope(p, OUT_JOURNEY, "external");
    const struct out_scope *cost = find_scope(p, OUT_COST, NULL);
    double dropped = mean_of(ext, "dropped"), completed = mean_of(ext, "completed");
    const char *per = r->is_day ? "a day" : "a run";
    if (!isfinite(dropped))
        return;
    if (dropped < 0.05) {
        bullet(f, "Hardly any external customer leaves unserved (%.1f %s).", dropped, per);
        return;
    }
    const struct out_metric *top = NULL;
    for (size_t m = 0; m < ext->nmetrics; m++) {
        const struct out_metric *mt = &ext->metrics[m];
        if (!strncmp(mt->name, "dropped_at.", 11) && isfinite(mt->stat.mean) &&
            (!top || mt->stat.mean > top->stat.mean))
            top = mt;
    }
    char dept[64] = "", a[CELL], b[CELL];
    const char *cause = "";
    if (top) {
        const char *d = top->name + 11, *dot = strchr(d, '.');
        snprintf(dept, sizeof dept, "%.*s", (int)(dot ? dot - d : 0), d);
        cause = dot ? dot + 1 : "";
    }
    char all[32], most[32];
    snprintf(all, sizeof all, "%.1f", dropped + completed);
    group(all, sizeof all);
    snprintf(most, sizeof most, "%.1f", top ? top->stat.mean : 0.0);
    group(most, sizeof most);
    bullet(f, "%s of %s external customers %s leave unserved (%.0f%%); the most at %s, where %s %s %s. "
              "Lost value: %s %s.",
           cell(a, CELL, ext, "dropped", true), all, per, 100 * dropped / (dropped + completed), dept, most, per,
           cause_words(cause), cost ? cell(b, CELL, cost, "lost_value", true) : "-", per);
}

static void satisfaction_sentences(FILE *f, const struct out_plan *p)
{
    const struct out_scope *ext = find_scope(p, OUT_JOURNEY, "external");
    const struct out_scope *in = find_scope(p, OUT_JOURNEY, "internal");
    char a[CELL], b[CELL], c[CELL];
    if (ext && isfinite(mean_of(ext, "satisfaction_mean")))
        bullet(f, "External customers rate their visit %s of 5; %s score 4 or more (CSAT).",
               cell(a, CELL, ext, "satisfaction_mean", true), cell(b, CELL, ext, "csat", false));
    if (in && isfinite(mean_of(in, "satisfaction_mean")))
        bullet(f, "Internal customers (staff served by another department) rate it %s, CSAT %s; external "
                  "customers spend %s on average waiting for such internal requests.",
               cell(a, CELL, in, "satisfaction_mean", true), cell(b, CELL, in, "csat", false),
               ext ? cell(c, CELL, ext, "request_delay_mean", true) : "-");
}

static void cost_sentence(FILE *f, const struct out_report *r, const struct out_plan *p)
{
    const struct out_scope *cost = find_scope(p, OUT_COST, NULL);
    if (!cost)
        return;
    char a[CELL], b[CELL], c[CELL];
    bullet(f, "%s costs %s in staff and %s in lost value: %s in all.", r->is_day ? "A day" : "A run",
           cell(a, CELL, cost, "staff_cost", false), cell(b, CELL, cost, "lost_value", false),
           cell(c, CELL, cost, "total_cost", true));
}

/* ---- sections ---------------------------------------------------------- */

static void departments(FILE *f, const struct out_report *rep, const struct out_plan *p)
{
    struct table t = {.title = "Waits", .ncols = 5,
                      .head = {"arrivals", "wait (mean)", "wait p90", "in time", "target"}};
    for (size_t i = 0; i < p->nscopes; i++) {
        const struct out_scope *sc = &p->scopes[i];
        if (sc->kind != OUT_DEPARTMENT)
            continue;
        struct row *r = table_row(&t, "%s", sc->name);
        cell(r->cells[0], CELL, sc, "arrivals", true);
        cell(r->cells[1], CELL, sc, "wait_mean", true);
        cell(r->cells[2], CELL, sc, "wait_p90", true);
        cell(r->cells[3], CELL, sc, "service_level", true);
        snprintf(r->cells[4], CELL, "%.0f%% in %g min", 100 * sc->service_target, sc->target_wait);
    }
    table_print(&t, f);
    fprintf(f, "  (arrivals a %s; in time: started within the target wait, the goal beside it)\n\n",
            rep->is_day ? "day" : "run");
    static const char *const heads[] = {"gave up", "turned back", "no room", "staff busy", "queue"};
    static const char *const names[] = {"abandon_rate", "balk_rate", "block_rate", "utilization", "queue_mean"};
    scope_table(f, p, OUT_DEPARTMENT, "Losses and load", heads, names, 5);
    fprintf(f, "  (gave up: left the queue; turned back: at the sight of it; no room: queue full;\n"
               "   queue: customers waiting, on average)\n");
}

static void dropouts(FILE *f, const struct out_report *r, const struct out_plan *p)
{
    const struct out_scope *ext = find_scope(p, OUT_JOURNEY, "external");
    if (!ext || !(mean_of(ext, "dropped") > 0))
        return;
    static const char *const causes[] = {"balked", "blocked", "reneged", "closed"};
    struct table t = {.title = r->is_day ? "Lost customers a day" : "Lost customers a run", .ncols = 4,
                      .head = {"turned back", "no room", "gave up", "sent home"}};
    for (size_t i = 0; i < p->nscopes; i++) {
        const struct out_scope *sc = &p->scopes[i];
        if (sc->kind != OUT_DEPARTMENT)
            continue;
        struct row *row = table_row(&t, "%s", sc->name);
        for (size_t c = 0; c < 4; c++) {
            char name[128];
            snprintf(name, sizeof name, "dropped_at.%s.%s", sc->name, causes[c]);
            cell(row->cells[c], CELL, ext, name, true);
        }
    }
    table_print(&t, f);
    fprintf(f, "  (external customers, by where they were and why they left)\n\n");
}

static void journeys(FILE *f, const struct out_plan *p)
{
    static const char *const names[] = {"completed", "dropped", "sojourn_mean", "wait_total_mean",
                                        "request_delay_mean"};
    struct table t = {.title = "Journeys", .ncols = 5,
                      .head = {"served", "lost", "time inside", "waited in all", "on requests"}};
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < p->nscopes; i++) {
            const struct out_scope *sc = &p->scopes[i];
            if ((pass == 0 && sc->kind != OUT_JOURNEY) || (pass == 1 && sc->kind != OUT_CLASS))
                continue;
            struct row *r = pass == 0 ? table_row(&t, "all %s", sc->name)
                                      : table_row(&t, "  %s%s", sc->name, sc->internal ? " (int.)" : "");
            for (size_t c = 0; c < 5; c++)
                cell(r->cells[c], CELL, sc, names[c], true);
        }
    table_print(&t, f);
    fprintf(f, "  (on requests: time waited while staff got an answer from another department)\n\n");

    struct table s = {.title = "Satisfaction", .ncols = 7,
                      .head = {"mean", "CSAT", "1-2", "2-3", "3-4", "4-5", "5"}};
    static const char *const bands[] = {"satisfaction_band.1", "satisfaction_band.2", "satisfaction_band.3",
                                        "satisfaction_band.4", "satisfaction_band.5"};
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < p->nscopes; i++) {
            const struct out_scope *sc = &p->scopes[i];
            if ((pass == 0 && sc->kind != OUT_JOURNEY) || (pass == 1 && sc->kind != OUT_CLASS))
                continue;
            struct row *r = pass == 0 ? table_row(&s, "all %s", sc->name) : table_row(&s, "  %s", sc->name);
            cell(r->cells[0], CELL, sc, "satisfaction_mean", true);
            cell(r->cells[1], CELL, sc, "csat", true);
            for (size_t b = 0; b < 5; b++)
                cell(r->cells[2 + b], CELL, sc, bands[b], false);
        }
    table_print(&s, f);
    fprintf(f, "  (scores 1 to 5 by the peak-end rule; CSAT: share scoring 4 or more; then the share of\n"
               "   customers in each band, from 1 up to 2 ... exactly 5; a drop-out scores 1)\n\n");

    static const char *const vhead[] = {"visit score", "wait p95", "longest wait", "overtime"};
    static const char *const vnames[] = {"visit_satisfaction_mean", "wait_p95", "wait_max", "overtime"};
    scope_table(f, p, OUT_DEPARTMENT, "Visits", vhead, vnames, 4);
    fprintf(f, "  (visit score: the mean score of spec §4's visits there; longest wait: the day's longest,\n"
               "   on average; overtime: staff-minutes worked after closing)\n");
}

/* By hour: blocks of up to four departments, one column each. */
static void hours(FILE *f, const struct out_plan *p)
{
    const struct out_scope *depts[MAXCOLS];
    size_t n = 0;
    const struct out_scope *any = find_scope(p, OUT_DEPARTMENT, NULL);
    if (!any || !out_report_metric(any, "hour.after_close.arrivals"))
        return;
    fprintf(f, "By hour: customers in, mean wait (min), customers lost, staff on duty; means over days\n");
    for (size_t i = 0; i <= p->nscopes; i++) {
        bool flush = i == p->nscopes || n == 4;
        if (flush && n) {
            struct table t = {.title = "", .ncols = n};
            for (size_t c = 0; c < n; c++)
                t.head[c] = depts[c]->name;
            struct row *head = table_row(&t, "%s", "");
            for (size_t c = 0; c < n; c++)
                snprintf(head->cells[c], CELL, "%5s %5s %4s %5s", "in", "wait", "lost", "staff");
            for (size_t m = 0; m < depts[0]->nmetrics; m++) {
                const char *name = depts[0]->metrics[m].name;
                if (strncmp(name, "hour.", 5) || strcmp(name + strlen(name) - 9, ".arrivals"))
                    continue;
                char hour[32];
                snprintf(hour, sizeof hour, "%.*s", (int)(strlen(name) - 5 - 9), name + 5);
                struct row *r = table_row(&t, "%s", !strcmp(hour, "after_close") ? "after" : hour);
                for (size_t c = 0; c < n; c++) {
                    char key[4][64];
                    const char *what[4] = {"arrivals", "wait_mean", "drops", "staff"};
                    double v[4];
                    for (int k = 0; k < 4; k++) {
                        snprintf(key[k], sizeof key[k], "hour.%s.%s", hour, what[k]);
                        v[k] = mean_of(depts[c], key[k]);
                    }
                    char parts[4][12];
                    for (int k = 0; k < 4; k++)
                        snprintf(parts[k], sizeof parts[k], isfinite(v[k]) && fabs(v[k]) < 1e6 ? "%.1f" : "-", v[k]);
                    snprintf(r->cells[c], CELL, "%5s %5s %4s %5s", parts[0], parts[1], parts[2], parts[3]);
                }
            }
            table_print(&t, f);
            n = 0;
        }
        if (i < p->nscopes && p->scopes[i].kind == OUT_DEPARTMENT)
            depts[n++] = &p->scopes[i];
    }
    fprintf(f, "\n");
}

static void cost(FILE *f, const struct out_report *r, const struct out_plan *p)
{
    const struct out_scope *sc = find_scope(p, OUT_COST, NULL);
    if (!sc)
        return;
    char a[CELL], b[CELL], c[CELL];
    fprintf(f, "Cost per %s   staff %s   lost value %s   total %s\n", r->is_day ? "day" : "run",
            cell(a, CELL, sc, "staff_cost", true), cell(b, CELL, sc, "lost_value", true),
            cell(c, CELL, sc, "total_cost", true));
}

int out_text_write(const struct out_report *r, FILE *f, struct sim_err *err)
{
    const struct out_plan *p = &r->plans[0];
    fprintf(f, "%s\n", r->scenario);
    char open[16], close[16];
    if (r->is_day)
        fprintf(f, "%u day%s from %s to %s, seed %llu; ± gives the 95%% interval over days\n", r->replications,
                r->replications == 1 ? "" : "s", out_clock(open, sizeof open, r->open_at),
                out_clock(close, sizeof close, r->close_at), (unsigned long long)r->seed);
    else
        fprintf(f, "%u run%s of %g minutes after a %g-minute warm-up, seed %llu; ± gives the 95%% interval\n",
                r->replications, r->replications == 1 ? "" : "s", r->length_dur, r->warmup_dur,
                (unsigned long long)r->seed);
    if (p->overloaded)
        fprintf(f, "warning: %u replication%s stopped as overloaded (too many customers inside at once);\n"
                   "         the figures below leave %s out\n",
                p->overloaded, p->overloaded == 1 ? " was" : "s were", p->overloaded == 1 ? "it" : "them");
    fprintf(f, "\nIn short\n");
    waits_sentence(f, p);
    losses_sentence(f, r, p);
    satisfaction_sentences(f, p);
    cost_sentence(f, r, p);
    fprintf(f, "\n");
    departments(f, r, p);
    fprintf(f, "\n");
    dropouts(f, r, p);
    journeys(f, p);
    fprintf(f, "\n");
    hours(f, p);
    cost(f, r, p);
    if (ferror(f))
        return sim_err_set(err, SIM_EIO, "cannot write the report: %s", strerror(errno));
    return SIM_OK;
}
