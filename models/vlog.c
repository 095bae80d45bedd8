/* models/vlog.c — reading a log of visits (see vlog.h).
 *
 * One pass, line by line (getline): the header names the columns, each
 * row is split into fields (RFC 4180 quoting within a line), its times
 * parsed and checked, its names interned. Journeys are recognised by their
 * id through a hash table of the ids seen (open addressing, FNV-1a), which
 * also catches an id used again on another day.
 */
#include "models/vlog.h"

#include "sim/mem.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *const mdl_vlog_field_names[MDL_VF_COUNT] = {"visit", "department", "arrived", "started",
                                                         "ended", "class", "outcome", "staff"};
const char *const mdl_vlog_outcome_names[MDL_VO_COUNT] = {"served", "reneged", "balked", "blocked"};

#define MAX_NAMES 65535   /* departments, classes, staff: indices fit 16 bits, MDL_VLOG_NONE aside */
#define MAX_FIELDS 256

/* ---- names: strings interned to indices -------------------------------- */

struct intern {
    size_t n, cap;          /* entries, and the table's slots (a power of two) */
    uint32_t *slot;         /* index + 1, 0: empty */
    char **name;            /* [n], owned */
    int32_t *day;           /* [n] for journeys: the day first seen; else NULL */
};

static uint64_t fnv1a(const char *s, size_t len)
{
    uint64_t h = 1469598103934665603u;
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211u;
    return h;
}

/* The index of s[0..len) in t, added when new (*added set); names hold up
 * to max entries, past which it returns UINT32_MAX. */
static uint32_t intern(struct intern *t, const char *s, size_t len, bool with_day, size_t max, bool *added)
{
    *added = false;
    if (2 * (t->n + 1) > t->cap) {   /* grow: at most half full */
        size_t cap = t->cap ? 2 * t->cap : 64;
        uint32_t *slot = sim_xcalloc(cap, sizeof *slot);
        for (size_t i = 0; i < t->cap; i++)
            if (t->slot[i]) {
                const char *k = t->name[t->slot[i] - 1];
                size_t j = fnv1a(k, strlen(k)) & (cap - 1);
                while (slot[j])
                    j = (j + 1) & (cap - 1);
                slot[j] = t->slot[i];
            }
        free(t->slot);
        t->slot = slot;
        t->cap = cap;
    }
    size_t j = fnv1a(s, len) & (t->cap - 1);
    for (; t->slot[j]; j = (j + 1) & (t->cap - 1)) {
        const char *k = t->name[t->slot[j] - 1];
        if (strlen(k) == len && !memcmp(k, s, len))
            return t->slot[j] - 1;
    }
    if (t->n >= max)
        return UINT32_MAX;
    if ((t->n & (t->n - 1)) == 0) {   /* n is 0 or a power of two: room for twice as many */
        size_t room = t->n ? 2 * t->n : 1;
        t->name = sim_xreallocarray(t->name, room, sizeof *t->name);
        if (with_day)
            t->day = sim_xreallocarray(t->day, room, sizeof *t->day);
    }
    char *copy = sim_xmalloc(len + 1);
    memcpy(copy, s, len);
    copy[len] = '\0';
    t->name[t->n] = copy;
    t->slot[j] = (uint32_t)++t->n;
    *added = true;
    return (uint32_t)(t->n - 1);
}

/* Hands t's names over (t's table freed); *n their count. */
static char **intern_release(struct intern *t, size_t *n)
{
    *n = t->n;
    free(t->slot);
    free(t->day);
    char **names = t->name;
    *t = (struct intern){0};
    return names;
}

static void intern_free(struct intern *t)
{
    size_t n;
    char **names = intern_release(t, &n);
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

/* ---- times ------------------------------------------------------------- */

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
 * days_from_civil). */
static int32_t days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;
    int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (int32_t)(era * 146097 + doe - 719468);
}

void mdl_vlog_date(int32_t day, char *buf, size_t len)
{
    int z = day + 719468;
    int era = (z >= 0 ? z : z - 146096) / 146097;
    int doe = z - era * 146097;
    int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int y = yoe + era * 400, doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int mp = (5 * doy + 2) / 153, d = doy - (153 * mp + 2) / 5 + 1, m = mp + (mp < 10 ? 3 : -9);
    snprintf(buf, len, "%04d-%02d-%02d", y + (m <= 2), m, d);
}

int mdl_vlog_weekday(int32_t day)
{
    /* 1970-01-01 was a Thursday (3, Monday being 0) */
    int w = (int)((day % 7 + 7 + 3) % 7);
    return w;
}

/* n digits at *p as a number; false unless all are digits. */
static bool digits(const char **p, const char *end, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++, (*p)++) {
        if (*p >= end || !isdigit((unsigned char)**p))
            return false;
        v = v * 10 + (**p - '0');
    }
    *out = v;
    return true;
}

bool mdl_vlog_time(const char *text, size_t len, int32_t *day, double *minutes)
{
    const char *p = text, *end = text + len;
    int y, mo, d, h, mi, s = 0;
    if (!digits(&p, end, 4, &y) || p >= end || *p++ != '-' || !digits(&p, end, 2, &mo) || p >= end ||
        *p++ != '-' || !digits(&p, end, 2, &d) || p >= end || (*p != 'T' && *p != ' ' && *p != 't'))
        return false;
    p++;
    if (!digits(&p, end, 2, &h) || p >= end || *p++ != ':' || !digits(&p, end, 2, &mi))
        return false;
    double frac = 0;
    if (p < end && *p == ':') {
        p++;
        if (!digits(&p, end, 2, &s))
            return false;
        if (p < end && (*p == '.' || *p == ',')) {
            p++;
            double scale = 0.1;
            if (p >= end || !isdigit((unsigned char)*p))
                return false;
            for (; p < end && isdigit((unsigned char)*p); p++, scale /= 10)
                frac += (*p - '0') * scale;
        }
    }
    if (p < end && (*p == 'Z' || *p == 'z')) {
        p++;
    } else if (p < end && (*p == '+' || *p == '-')) {   /* a zone offset, read and ignored */
        int oh, om = 0;
        p++;
        if (!digits(&p, end, 2, &oh))
            return false;
        if (p < end && *p == ':')
            p++;
        if (p < end && !digits(&p, end, 2, &om))
            return false;
    }
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (p != end || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || (mo == 2 && d == 29 && !leap) || h > 24 ||
        mi > 59 || s > 60 || (h == 24 && (mi || s || frac > 0)))
        return false;
    *day = days_from_civil(y, mo, d);
    *minutes = h * 60.0 + mi + (s + frac) / 60.0;
    return true;
}

/* ---- the reader -------------------------------------------------------- */

struct field {
    const char *at;   /* the text (unquoted; may point into the line or the unquote buffer) */
    size_t len;
    size_t col;       /* 1-based column of the field's first character in the line */
};

struct reader {
    const char *path;
    char *line;       /* the line being read (getline's buffer) */
    size_t line_len;
    unsigned long lineno;
    char *unq;        /* unquoted fields of this line */
    struct field f[MAX_FIELDS];
    size_t nf;
    struct mdl_vlog *log;
    struct sim_err *err;
};

/* Characters (UTF-8 code points) in s[0..n): the column of what follows. */
static size_t chars(const char *s, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        c += ((unsigned char)s[i] & 0xC0) != 0x80;
    return c;
}

/* Sets a located error at column col (bytes into the line: converted to
 * characters) and keeps the line for the caret. */
static int fail_at(struct reader *r, size_t byte_col, const char *fmt, ...) SIM_PRINTF(3, 4);
static int fail_at(struct reader *r, size_t byte_col, const char *fmt, ...)
{
    char msg[sizeof r->err->msg];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    sim_err_set(r->err, SIM_EDATA, "%s", msg);
    sim_err_locate(r->err, r->path, (int)r->lineno, (int)chars(r->line, byte_col) + 1);
    r->log->bad_line = sim_xmalloc(r->line_len + 1);
    memcpy(r->log->bad_line, r->line, r->line_len);
    r->log->bad_line[r->line_len] = '\0';
    r->log->bad_line_len = r->line_len;
    return SIM_EDATA;
}

/* Splits r->line into fields. */
static int split(struct reader *r)
{
    const char *s = r->line, *end = s + r->line_len;
    char *out = r->unq;
    r->nf = 0;
    for (const char *p = s;;) {
        if (r->nf == MAX_FIELDS)
            return fail_at(r, (size_t)(p - s), "more than %d fields on one line", MAX_FIELDS);
        struct field *f = &r->f[r->nf++];
        f->col = (size_t)(p - s);
        if (p < end && *p == '"') {   /* quoted: "" is one quote */
            f->at = out;
            for (p++;; p++) {
                if (p >= end)
                    return fail_at(r, f->col, "a quoted field that does not end on its line (a line break "
                                              "inside quotes is not read)");
                if (*p == '"') {
                    if (p + 1 < end && p[1] == '"') {
                        *out++ = '"';
                        p++;
                        continue;
                    }
                    p++;
                    break;
                }
                *out++ = *p;
            }
            f->len = (size_t)(out - f->at);
            if (p < end && *p != ',')
                return fail_at(r, (size_t)(p - s), "text after a quoted field's closing quote");
        } else {
            f->at = p;
            while (p < end && *p != ',')
                p++;
            f->len = (size_t)(p - f->at);
        }
        if (p >= end)
            return SIM_OK;
        p++;   /* the comma */
    }
}

/* f without surrounding blanks. */
static struct field trimmed(struct field f)
{
    while (f.len && isspace((unsigned char)f.at[0])) {
        f.at++;
        f.len--;
        f.col++;
    }
    while (f.len && isspace((unsigned char)f.at[f.len - 1]))
        f.len--;
    return f;
}

/* The header: which field is each wanted column. */
static int read_header(struct reader *r, const char *const *map, int *col_of)
{
    if (split(r))
        return r->err->code;
    for (int k = 0; k < MDL_VF_COUNT; k++) {
        const char *want = map && map[k] ? map[k] : mdl_vlog_field_names[k];
        col_of[k] = -1;
        for (size_t i = 0; i < r->nf; i++) {
            struct field f = trimmed(r->f[i]);
            if (i == 0 && f.len >= 3 && !memcmp(f.at, "\xEF\xBB\xBF", 3)) {   /* a byte-order mark */
                f.at += 3;
                f.len -= 3;
            }
            if (strlen(want) == f.len && !strncasecmp(f.at, want, f.len)) {
                if (col_of[k] >= 0)
                    return fail_at(r, r->f[i].col, "two columns named '%s'", want);
                col_of[k] = (int)i;
            }
        }
        if (col_of[k] < 0 && k <= MDL_VF_ENDED) {
            char names[512] = "";
            size_t n = 0;
            for (size_t i = 0; i < r->nf && n + 4 < sizeof names; i++)
                n += (size_t)snprintf(names + n, sizeof names - n, "%s%.*s", i ? ", " : "",
                                      (int)(r->f[i].len < 40 ? r->f[i].len : 40), r->f[i].at);
            return fail_at(r, 0, "no column '%s' in the header (its columns: %s)%s", want, names,
                           map && map[k] ? "" : "; --map FIELD=COLUMN reads a column of another name");
        }
        r->log->has[k] = col_of[k] >= 0;
    }
    return SIM_OK;
}

/* One time field, or NaN when empty and allowed. */
static int read_time(struct reader *r, int col, bool optional, const char *what, int32_t *day, double *minutes)
{
    struct field f = trimmed(r->f[col]);
    if (f.len == 0) {
        if (optional) {
            *minutes = NAN;
            return SIM_OK;
        }
        return fail_at(r, r->f[col].col, "no %s time: every visit has one", what);
    }
    if (!mdl_vlog_time(f.at, f.len, day, minutes))
        return fail_at(r, f.col, "'%.*s' is not a date and time: write them as ISO 8601, 2026-11-02T09:16:02 "
                                 "(or 2026-11-02 09:16)", (int)(f.len < 60 ? f.len : 60), f.at);
    return SIM_OK;
}

/* A name field into a table; `kind` for the messages. */
static int read_name(struct reader *r, int col, struct intern *t, const char *kind, bool with_day, uint32_t *index,
                     bool *added)
{
    struct field f = trimmed(r->f[col]);
    if (f.len == 0)
        return fail_at(r, r->f[col].col, "no %s: every row names one", kind);
    *index = intern(t, f.at, f.len, with_day, with_day ? UINT32_MAX - 1 : MAX_NAMES, added);
    if (*index == UINT32_MAX)
        return fail_at(r, f.col, "more than %d different %s names", MAX_NAMES, kind);
    return SIM_OK;
}

/* A journey lies on one day: the first row's, which a new journey sets. */
static int journey_day(struct reader *r, const int *col_of, struct intern *visits, uint32_t v, bool new_visit,
                       int32_t aday)
{
    if (new_visit) {
        visits->day[v] = aday;
        return SIM_OK;
    }
    if (visits->day[v] == aday)
        return SIM_OK;
    char first[16], now[16];
    mdl_vlog_date(visits->day[v], first, sizeof first);
    mdl_vlog_date(aday, now, sizeof now);
    struct field fv = trimmed(r->f[col_of[MDL_VF_VISIT]]);
    return fail_at(r, fv.col, "visit '%.*s' is on %s and on %s: a visit id names one journey, on one day "
                              "(is the id reused from day to day? --map visit=COLUMN reads another column)",
                   (int)(fv.len < 40 ? fv.len : 40), fv.at, first, now);
}

static int read_row(struct reader *r, const int *col_of, struct intern *visits, struct intern *depts,
                    struct intern *classes, struct intern *staff, struct mdl_vlog_row *row)
{
    struct mdl_vlog *log = r->log;
    int need = 0;
    for (int k = 0; k < MDL_VF_COUNT; k++)
        if (col_of[k] + 1 > need)
            need = col_of[k] + 1;
    if (r->nf < (size_t)need)
        return fail_at(r, r->line_len, "%zu field%s, the header has %d or more", r->nf, r->nf == 1 ? "" : "s", need);
    bool added, new_visit = false;
    uint32_t v, d, c = MDL_VLOG_NONE, st = MDL_VLOG_NONE;
    if (read_name(r, col_of[MDL_VF_VISIT], visits, "visit id", true, &v, &new_visit) ||
        read_name(r, col_of[MDL_VF_DEPARTMENT], depts, "department", false, &d, &added))
        return r->err->code;
    if (log->has[MDL_VF_CLASS] && trimmed(r->f[col_of[MDL_VF_CLASS]]).len &&
        read_name(r, col_of[MDL_VF_CLASS], classes, "class", false, &c, &added))
        return r->err->code;
    if (log->has[MDL_VF_STAFF] && trimmed(r->f[col_of[MDL_VF_STAFF]]).len &&
        read_name(r, col_of[MDL_VF_STAFF], staff, "staff", false, &st, &added))
        return r->err->code;
    int32_t aday, sday = 0, eday = 0;
    double arrived, started, ended;
    if (read_time(r, col_of[MDL_VF_ARRIVED], false, "arrival", &aday, &arrived) ||
        read_time(r, col_of[MDL_VF_STARTED], true, "start", &sday, &started) ||
        read_time(r, col_of[MDL_VF_ENDED], true, "end", &eday, &ended))
        return r->err->code;
    if (!isnan(started))
        started += (sday - aday) * 1440.0;
    if (isnan(ended)) {   /* still open when the records stop */
        *row = (struct mdl_vlog_row){.arrived = arrived, .started = started, .ended = NAN, .day = aday,
                                     .line = (uint32_t)r->lineno, .visit = v, .dept = (uint16_t)d,
                                     .cls = (uint16_t)c, .staff = (uint16_t)st, .outcome = MDL_VO_UNFINISHED};
        return journey_day(r, col_of, visits, v, new_visit, aday);
    }
    ended += (eday - aday) * 1440.0;
    struct field fs = trimmed(r->f[col_of[MDL_VF_STARTED]]), fe = trimmed(r->f[col_of[MDL_VF_ENDED]]);
    if (!isnan(started) && started < arrived)
        return fail_at(r, fs.col, "the service started before the customer arrived");
    if (!isnan(started) && ended < started)
        return fail_at(r, fe.col, "the service ended before it started");
    if (ended < arrived)
        return fail_at(r, fe.col, "the visit ended before the customer arrived");
    /* the outcome: given, or what the times say */
    int outcome = isnan(started) ? (ended > arrived ? MDL_VO_RENEGED : MDL_VO_BALKED) : MDL_VO_SERVED;
    if (log->has[MDL_VF_OUTCOME]) {
        struct field fo = trimmed(r->f[col_of[MDL_VF_OUTCOME]]);
        if (fo.len == 0)   /* the records say nothing of how it ended: cut short (sent home at closing) */
            outcome = MDL_VO_UNFINISHED;
        if (fo.len) {
            outcome = -1;
            for (int k = 0; k < MDL_VO_COUNT; k++)
                if (strlen(mdl_vlog_outcome_names[k]) == fo.len && !strncasecmp(fo.at, mdl_vlog_outcome_names[k], fo.len))
                    outcome = k;
            if (outcome < 0)
                return fail_at(r, fo.col, "unknown outcome '%.*s': a visit is served, reneged (left while waiting), "
                                          "balked (left on seeing the queue) or blocked (the queue was full)",
                               (int)(fo.len < 40 ? fo.len : 40), fo.at);
            if (outcome == MDL_VO_SERVED && isnan(started))
                return fail_at(r, fs.col, "served, but no start time");
            if (outcome != MDL_VO_SERVED && !isnan(started))
                return fail_at(r, fo.col, "%s, but the service started: a visit that started is served",
                               mdl_vlog_outcome_names[outcome]);
        }
    }
    if (journey_day(r, col_of, visits, v, new_visit, aday))
        return r->err->code;
    *row = (struct mdl_vlog_row){.arrived = arrived, .started = started, .ended = ended, .day = aday,
                                 .line = (uint32_t)r->lineno, .visit = v, .dept = (uint16_t)d,
                                 .cls = (uint16_t)c, .staff = (uint16_t)st, .outcome = (uint8_t)outcome};
    return SIM_OK;
}

int mdl_vlog_read(const char *path, const char *const *map, struct mdl_vlog **out, struct sim_err *err)
{
    *out = NULL;
    bool from_stdin = !strcmp(path, "-");
    FILE *in = from_stdin ? stdin : fopen(path, "r");
    if (!in)
        return sim_err_set(err, SIM_ENOINPUT, "cannot open %s: %s", path, strerror(errno));
    struct mdl_vlog *log = sim_xcalloc(1, sizeof *log);
    log->path = path;
    log->first_day = INT32_MAX;
    log->last_day = INT32_MIN;
    struct reader r = {.path = from_stdin ? "<stdin>" : path, .log = log, .err = err};
    struct intern visits = {0}, depts = {0}, classes = {0}, staff = {0};
    int col_of[MDL_VF_COUNT];
    size_t cap = 0, lcap = 0;
    ssize_t got;
    bool header = true;
    while ((got = getline(&r.line, &lcap, in)) >= 0) {
        r.lineno++;
        r.line_len = (size_t)got;
        while (r.line_len && (r.line[r.line_len - 1] == '\n' || r.line[r.line_len - 1] == '\r'))
            r.line_len--;
        if (memchr(r.line, '\0', r.line_len)) {
            r.line_len = strlen(r.line);
            fail_at(&r, r.line_len, "a NUL byte: this is not a CSV text file");
            break;
        }
        r.unq = sim_xrealloc(r.unq, r.line_len + 1);
        if (header) {
            if (r.line_len == 0)
                continue;   /* blank lines before the header */
            if (read_header(&r, map, col_of))
                break;
            header = false;
            continue;
        }
        if (r.line_len == 0)
            continue;
        if (split(&r))
            break;
        if (log->nrows == cap) {
            cap = cap ? 2 * cap : 1024;
            log->rows = sim_xreallocarray(log->rows, cap, sizeof *log->rows);
        }
        struct mdl_vlog_row *row = &log->rows[log->nrows];
        if (read_row(&r, col_of, &visits, &depts, &classes, &staff, row))
            break;
        log->nrows++;
        if (row->day < log->first_day)
            log->first_day = row->day;
        if (row->day > log->last_day)
            log->last_day = row->day;
    }
    if (!err->code && ferror(in))
        sim_err_set(err, SIM_ENOINPUT, "cannot read %s: %s", path, strerror(errno));
    if (!err->code && header)
        sim_err_set(err, SIM_EDATA, "%s is empty: a log starts with a header (visit,department,arrived,started,"
                    "ended,...)", path);
    if (!err->code && log->nrows == 0)
        sim_err_set(err, SIM_EDATA, "%s has a header but no visits", path);
    if (!from_stdin)
        fclose(in);
    free(r.line);
    free(r.unq);
    if (err->code) {
        intern_free(&visits);
        intern_free(&depts);
        intern_free(&classes);
        intern_free(&staff);
        free(log->rows);
        log->rows = NULL;
        log->nrows = 0;
        *out = log;   /* holding only bad_line, if any */
        return err->code;
    }
    size_t nvisits;
    char **ids = intern_release(&visits, &nvisits);
    for (size_t i = 0; i < nvisits; i++)   /* journeys are numbers from here on */
        free(ids[i]);
    free(ids);
    log->nvisits = nvisits;
    log->depts = intern_release(&depts, &log->ndepts);
    log->classes = intern_release(&classes, &log->nclasses);
    log->staff = intern_release(&staff, &log->nstaff);
    log->rows = sim_xreallocarray(log->rows, log->nrows, sizeof *log->rows);
    *out = log;
    return SIM_OK;
}

void mdl_vlog_destroy(struct mdl_vlog *log)
{
    if (!log)
        return;
    for (size_t i = 0; i < log->ndepts; i++)
        free(log->depts[i]);
    for (size_t i = 0; i < log->nclasses; i++)
        free(log->classes[i]);
    for (size_t i = 0; i < log->nstaff; i++)
        free(log->staff[i]);
    free(log->depts);
    free(log->classes);
    free(log->staff);
    free(log->rows);
    free(log->bad_line);
    free(log);
}
