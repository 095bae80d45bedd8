/* output/trace.c — the story of a day (see trace.h).
 *
 * Text: one line per event that matters to a reader, "HH:MM  sentence",
 * wrapped at 100 columns; events that only repeat another line (a request
 * reaching the department it asks, a request ending) are left to the CSV
 * form, which logs every event the filter keeps.
 */
#include "output/trace.h"
#include "output/csv.h"
#include "sim/mem.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define WIDTH 100
#define MAX_CLASSES 256

struct out_trace {
    enum out_trace_format format;
    struct out_trace_filter filter;
    bool is_day;
    FILE *f;
    unsigned long arrived;                 /* customers counted by filter.customers */
    const char *cls[MAX_CLASSES];          /* filter.customers: highest number kept per class */
    unsigned long last_id[MAX_CLASSES];
    size_t ncls;
    unsigned long seen, kept;
};

static const char *const kind_names[OUT_EV_KINDS] = {
    "arrive", "balk", "block", "start", "request", "resume", "finish",
    "renege", "exit", "sent_home", "staff", "open", "close", "shift_start", "shift_end", "break", "back", "stays"};

const char *out_trace_kind_name(enum out_trace_kind kind)
{
    return kind < OUT_EV_KINDS ? kind_names[kind] : "?";
}

struct out_trace *out_trace_create(enum out_trace_format format, const struct out_trace_filter *filter,
                                   bool is_day, const char *title, const char *subtitle, FILE *f)
{
    struct out_trace *t = sim_xcalloc(1, sizeof *t);
    t->format = format;
    t->filter = *filter;
    t->is_day = is_day;
    t->f = f;
    if (format == OUT_TRACE_CSV)
        fputs("time,clock,customer,class,kind,department,event,staff,related,to,duration,walk,count,score,shift\r\n",
              f);
    else
        fprintf(f, "%s\n%s\n\n", title, subtitle);
    return t;
}

/* ---- the filter -------------------------------------------------------- */

/* The slot of class cls among those filter.customers has seen (a new one
 * when first seen). */
static size_t class_slot(struct out_trace *t, const char *cls)
{
    for (size_t i = 0; i < t->ncls; i++)
        if (t->cls[i] == cls || !strcmp(t->cls[i], cls))
            return i;
    size_t k = t->ncls < MAX_CLASSES ? t->ncls++ : MAX_CLASSES - 1;
    t->cls[k] = cls;
    return k;
}

static bool is_customer(const struct out_trace_who *w, const char *cls, unsigned long id)
{
    return w->cls && !strcmp(w->cls, cls) && w->id == id;
}

/* Among the first `customers` to arrive? Numbers grow with arrivals within
 * a class, so the first N are, per class, the numbers up to the highest one
 * seen before the N-th arrival. */
static bool among_first(struct out_trace *t, const struct out_trace_who *w)
{
    if (!w->cls || w->request)
        return false;
    return w->id <= t->last_id[class_slot(t, w->cls)];
}

static bool keep(struct out_trace *t, const struct out_trace_event *ev)
{
    const struct out_trace_filter *fl = &t->filter;
    if ((isfinite(fl->from_at) && ev->at < fl->from_at) || (isfinite(fl->to_at) && ev->at > fl->to_at))
        return false;
    const struct out_trace_who *w = &ev->who, *r = &ev->related;
    bool counted = fl->cls ? w->cls && !strcmp(w->cls, fl->cls) : !w->internal;
    if (fl->customers && ev->kind == OUT_EV_ARRIVE && w->cls && !w->request && isnan(ev->walk_dur) && counted &&
        t->arrived < fl->customers) {
        size_t k = class_slot(t, w->cls);
        if (w->id > t->last_id[k])
            t->last_id[k] = w->id;
        t->arrived++;
    }
    bool customer_filter = fl->customers || fl->cls || fl->customer_cls;
    /* the business's own events; a person's shift and breaks are (the
     * customer a late break names is why, not whose story it is) */
    bool staff = ev->kind >= OUT_EV_SHIFT_START && ev->kind <= OUT_EV_STAYS;
    if (!w->cls || staff)
        return !fl->cls && !fl->customer_cls;
    if (!customer_filter)
        return true;
    if (fl->customers && !among_first(t, w) && !among_first(t, r))
        return false;
    if (fl->cls && strcmp(w->cls, fl->cls) != 0 && !(r->cls && !strcmp(r->cls, fl->cls)))
        return false;
    if (fl->customer_cls && !is_customer(w, fl->customer_cls, fl->customer_id) &&
        !is_customer(r, fl->customer_cls, fl->customer_id))
        return false;
    return true;
}

/* ---- text -------------------------------------------------------------- */

static void clock_text(char *buf, size_t len, double at, bool is_day, bool seconds)
{
    long s = lround(at * 60);
    if (!is_day && !seconds) {
        snprintf(buf, len, "%ld:%02ld", s / 3600, s / 60 % 60);
        return;
    }
    long h = s / 3600, m = s / 60 % 60;
    if (seconds)
        snprintf(buf, len, "%02ld:%02ld:%02ld", h, m, s % 60);
    else
        snprintf(buf, len, "%02ld:%02ld", h, m);
}

const char *out_trace_span(char *buf, size_t len, double dur)
{
    long m = lround(dur);
    if (dur < 0.5)
        snprintf(buf, len, "less than a minute");
    else if (m < 60)
        snprintf(buf, len, "%ld min", m);
    else if (m % 60 == 0)
        snprintf(buf, len, "%ld h", m / 60);
    else
        snprintf(buf, len, "%ld h %ld min", m / 60, m % 60);
    return buf;
}

static const char *who_text(char *buf, size_t len, const struct out_trace_who *w)
{
    snprintf(buf, len, "%s #%lu", w->cls, w->id);
    return buf;
}

/* Prints "HH:MM  sentence", wrapping words at WIDTH columns. */
static void line(struct out_trace *t, double at, const char *fmt, ...)
{
    char text[1024], clock[32];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    clock_text(clock, sizeof clock, at, t->is_day, false);
    int indent = fprintf(t->f, "%5s  ", clock);
    int col = indent;
    const char *p = text;
    while (*p) {
        size_t n = strcspn(p, " ");
        while (p[n] == ' ' && p[n + 1] == '#')   /* keep "buyer #17" on one line */
            n += 1 + strcspn(p + n + 1, " ");
        if (col > indent && col + 1 + (int)n > WIDTH) {
            fprintf(t->f, "\n%*s", indent, "");
            col = indent;
        } else if (col > indent) {
            fputc(' ', t->f);
            col++;
        }
        fwrite(p, 1, n, t->f);
        col += (int)n;
        p += n;
        while (*p == ' ')
            p++;
    }
    fputc('\n', t->f);
}

static void tell(struct out_trace *t, const struct out_trace_event *ev)
{
    char a[96], b[96], d1[32], d2[32];
    const char *dept = ev->dept;
    switch (ev->kind) {
    case OUT_EV_ARRIVE:
        if (ev->who.request)
            return;
        who_text(a, sizeof a, &ev->who);
        if (ev->count > 0)
            snprintf(b, sizeof b, "; %ld waiting there", ev->count);
        else
            b[0] = '\0';
        line(t, ev->at, "%s%s %s %s%s", a, ev->who.internal && isnan(ev->walk_dur) ? " (internal)" : "",
             isnan(ev->walk_dur) ? "arrives at" : "reaches", dept, b);
        return;
    case OUT_EV_BALK:
        line(t, ev->at, "%s sees %ld waiting at %s and leaves", who_text(a, sizeof a, &ev->who), ev->count, dept);
        return;
    case OUT_EV_BLOCK:
        line(t, ev->at, "%s finds all %ld waiting places at %s taken and leaves", who_text(a, sizeof a, &ev->who),
             ev->count, dept);
        return;
    case OUT_EV_START:
        if (ev->dur > 0)
            snprintf(b, sizeof b, "after %s in the queue", out_trace_span(d1, sizeof d1, ev->dur));
        else
            snprintf(b, sizeof b, "at once");
        if (ev->who.request)
            line(t, ev->at, "%s: %s takes %s for %s, %s", dept, ev->staff, who_text(a, sizeof a, &ev->who),
                 who_text(d2, sizeof d2, &ev->related), b);
        else if (ev->pool)
            line(t, ev->at, "%s: %s (%s) serves %s %s", dept, ev->staff, ev->pool, who_text(a, sizeof a, &ev->who), b);
        else
            line(t, ev->at, "%s: %s serves %s %s", dept, ev->staff, who_text(a, sizeof a, &ev->who), b);
        return;
    case OUT_EV_REQUEST:
        who_text(a, sizeof a, &ev->who);
        line(t, ev->at, "%s: %s needs %s for %s (%s, internal request) while %s waits", dept, ev->staff, ev->to, a,
             who_text(b, sizeof b, &ev->related), a);
        return;
    case OUT_EV_RESUME:
        line(t, ev->at, "%s: %s has the answer from %s after %s and goes on with %s", dept, ev->staff, ev->to,
             out_trace_span(d1, sizeof d1, ev->dur), who_text(a, sizeof a, &ev->who));
        return;
    case OUT_EV_FINISH:
        if (ev->who.request || !ev->to)
            return;
        who_text(a, sizeof a, &ev->who);
        if (ev->walk_dur > 0)
            line(t, ev->at, "%s leaves %s after %s and walks to %s (%s)", a, dept, out_trace_span(d1, sizeof d1, ev->dur),
                 ev->to, out_trace_span(d2, sizeof d2, ev->walk_dur));
        else
            line(t, ev->at, "%s leaves %s after %s and goes on to %s", a, dept, out_trace_span(d1, sizeof d1, ev->dur), ev->to);
        return;
    case OUT_EV_RENEGE:
        line(t, ev->at, "%s gives up at %s after %s", who_text(a, sizeof a, &ev->who), dept,
             out_trace_span(d1, sizeof d1, ev->dur));
        return;
    case OUT_EV_EXIT:
        if (ev->who.request)
            return;
        line(t, ev->at, "%s leaves, served, after %s inside: satisfaction %.1f of 5",
             who_text(a, sizeof a, &ev->who), out_trace_span(d1, sizeof d1, ev->dur), ev->score);
        return;
    case OUT_EV_SENT_HOME:
        line(t, ev->at, "%s is sent home from %s at closing, after %s inside", who_text(a, sizeof a, &ev->who), dept,
             out_trace_span(d1, sizeof d1, ev->dur));
        return;
    case OUT_EV_STAFF:
        if (ev->prev_count < 0)
            line(t, ev->at, "%s: %ld on duty", dept, ev->count);
        else
            line(t, ev->at, "%s: %ld on duty (%ld before)", dept, ev->count, ev->prev_count);
        return;
    case OUT_EV_OPEN:
        line(t, ev->at, "the doors open");
        return;
    case OUT_EV_CLOSE:
        if (ev->count > 0)
            line(t, ev->at, "the doors close; %ld customer%s still inside", ev->count, ev->count == 1 ? " is" : "s are");
        else
            line(t, ev->at, "the doors close; nobody is left inside");
        return;
    case OUT_EV_SHIFT_START:
        line(t, ev->at, "%s: %s (%s) comes on duty", dept, ev->staff, ev->shift);
        return;
    case OUT_EV_SHIFT_END:
        if (isnan(ev->dur))
            line(t, ev->at, "%s: %s (%s) goes home: nobody left to serve", dept, ev->staff, ev->shift);
        else if (ev->dur > 0 && ev->who.cls)
            line(t, ev->at, "%s: %s (%s) goes home, %s past the end of the shift: finished %s first", dept, ev->staff,
                 ev->shift, out_trace_span(d1, sizeof d1, ev->dur), who_text(a, sizeof a, &ev->who));
        else
            line(t, ev->at, "%s: %s (%s) goes home at the end of the shift", dept, ev->staff, ev->shift);
        return;
    case OUT_EV_BREAK:
        if (ev->dur > 0 && ev->who.cls)
            line(t, ev->at, "%s: %s (%s) goes on a %g-minute break, %s late: finished %s first", dept, ev->staff,
                 ev->shift, ev->break_dur, out_trace_span(d1, sizeof d1, ev->dur), who_text(a, sizeof a, &ev->who));
        else
            line(t, ev->at, "%s: %s (%s) goes on a %g-minute break", dept, ev->staff, ev->shift, ev->break_dur);
        return;
    case OUT_EV_BACK:
        line(t, ev->at, "%s: %s (%s) is back from the break", dept, ev->staff, ev->shift);
        return;
    case OUT_EV_STAYS:
        line(t, ev->at, "%s: %s (%s) stays to serve those still inside", dept, ev->staff, ev->shift);
        return;
    case OUT_EV_KINDS:
        return;
    }
}

/* ---- CSV --------------------------------------------------------------- */

static void csv_text(FILE *f, const char *s)
{
    fputc(',', f);
    if (s)
        out_csv_field(f, s);
}

static void csv_number(FILE *f, double x)
{
    fputc(',', f);
    if (isfinite(x))
        fprintf(f, "%.3f", x);
}

static void csv_who(FILE *f, const struct out_trace_who *w)
{
    fputc(',', f);
    if (w->cls) {
        out_csv_field(f, w->cls);
        fprintf(f, "#%lu", w->id);
    }
}

static void log_event(struct out_trace *t, const struct out_trace_event *ev)
{
    char clock[32];
    clock_text(clock, sizeof clock, ev->at, t->is_day, true);
    fprintf(t->f, "%.3f,%s", ev->at, clock);
    csv_who(t->f, &ev->who);
    csv_text(t->f, ev->who.cls);
    csv_text(t->f, !ev->who.cls ? NULL : ev->who.request ? "request" : ev->who.internal ? "internal" : "external");
    csv_text(t->f, ev->dept);
    csv_text(t->f, out_trace_kind_name(ev->kind));
    csv_text(t->f, ev->staff);
    csv_who(t->f, &ev->related);
    csv_text(t->f, ev->to);
    csv_number(t->f, ev->dur);
    csv_number(t->f, ev->walk_dur);
    fputc(',', t->f);
    if (ev->count >= 0)
        fprintf(t->f, "%ld", ev->count);
    csv_number(t->f, ev->score);
    csv_text(t->f, ev->shift);
    fputs("\r\n", t->f);
}

void out_trace_event(struct out_trace *t, const struct out_trace_event *ev)
{
    t->seen++;
    if (!keep(t, ev))
        return;
    t->kept++;
    if (t->format == OUT_TRACE_CSV)
        log_event(t, ev);
    else
        tell(t, ev);
}

int out_trace_finish(struct out_trace *t, struct sim_err *err)
{
    if (t->format == OUT_TRACE_TEXT)
        fprintf(t->f, "\n(%lu of the day's %lu events; 'cxsim trace --format csv' logs them all)\n", t->kept,
                t->seen);
    int rc = ferror(t->f) ? sim_err_set(err, SIM_EIO, "cannot write the trace: %s", strerror(errno)) : SIM_OK;
    free(t);
    return rc;
}
