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
#define MAX_FIELDS 4096

/* ---- names: strings interned to indices -------------------------------- */

struct intern {
    size_t n, cap;          /* entries, and the table's slots (a power of two) */
    uint32_t *slot;         /* index + 1, 0: empty */
    char **name;            /* [n], owned */
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
static uint32_t intern(struct intern *t, const char *s, size_t len, size_t max, bool *added)
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
    *day = days_from_civil(y, mo, d) + (h == 24);   /* 24:00 is the next day's 00:00 */
    *minutes = (h % 24) * 60.0 + mi + (s + frac) / 60.0;
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
    char *line;       /* the line being read (the stream's buffer, or its pending line) */
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
    if (r->line_len >= 3 && !memcmp(r->line, "\xEF\xBB\xBF", 3)) {   /* a byte-order mark (Excel's CSV UTF-8) */
        r->line += 3;
        r->line_len -= 3;
    }
    if (split(r))
        return r->err->code;
    for (int k = 0; k < MDL_VF_COUNT; k++) {
        const char *want = map && map[k] ? map[k] : mdl_vlog_field_names[k];
        col_of[k] = -1;
        for (size_t i = 0; i < r->nf; i++) {
            struct field f = trimmed(r->f[i]);
            if (strlen(want) == f.len && !strncasecmp(f.at, want, f.len)) {
                if (col_of[k] >= 0)
                    return fail_at(r, r->f[i].col, "two columns named '%s'", want);
                col_of[k] = (int)i;
            }
        }
        if (col_of[k] < 0 && (k <= MDL_VF_ENDED || (map && map[k]))) {   /* required, or asked for by name */
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
static int read_name(struct reader *r, int col, struct intern *t, const char *kind, uint32_t *index,
                     bool *added)
{
    struct field f = trimmed(r->f[col]);
    if (f.len == 0)
        return fail_at(r, r->f[col].col, "no %s: every row names one", kind);
    *index = intern(t, f.at, f.len, MAX_NAMES, added);
    if (*index == UINT32_MAX)
        return fail_at(r, f.col, "more than %d different %s names", MAX_NAMES, kind);
    return SIM_OK;
}

/* ---- journeys ------------------------------------------------------------ */

/* The ids of the journeys of the days before today, as 64-bit
 * fingerprints (open addressing, at most half full): enough to refuse an
 * id used again on a later day without keeping the ids, 8 to 16 bytes a
 * journey. Two ids of a log share a fingerprint with a probability of
 * about n^2 / 2^65 (1e-8 for a million journeys). */
struct seen {
    size_t n, cap;
    uint64_t *key;    /* 0: empty (a fingerprint of 0 is made 1) */
};

static uint64_t fingerprint(const char *s, size_t len)
{
    uint64_t h = fnv1a(s, len);   /* then splitmix64's finaliser: every bit depends on every byte */
    h ^= h >> 30;
    h *= 0xBF58476D1CE4E5B9u;
    h ^= h >> 27;
    h *= 0x94D049BB133111EBu;
    h ^= h >> 31;
    return h ? h : 1;
}

/* Whether k is in t; with add, puts it there. */
static bool seen_has(struct seen *t, uint64_t k, bool add)
{
    if (add && 2 * (t->n + 1) > t->cap) {
        size_t cap = t->cap ? 2 * t->cap : 1024;
        uint64_t *key = sim_xcalloc(cap, sizeof *key);
        for (size_t i = 0; i < t->cap; i++)
            if (t->key[i]) {
                size_t j = t->key[i] & (cap - 1);
                while (key[j])
                    j = (j + 1) & (cap - 1);
                key[j] = t->key[i];
            }
        free(t->key);
        t->key = key;
        t->cap = cap;
    }
    if (!t->cap)
        return false;
    size_t j = k & (t->cap - 1);
    for (; t->key[j]; j = (j + 1) & (t->cap - 1))
        if (t->key[j] == k)
            return true;
    if (add) {
        t->key[j] = k;
        t->n++;
    }
    return false;
}

/* ---- the stream --------------------------------------------------------- */

struct mdl_vlog_reader {
    struct reader r;
    struct mdl_vlog_options opt;
    struct mdl_vlog view;        /* names, columns, counts; no rows */
    FILE *in;
    bool from_stdin, done;
    int col_of[MDL_VF_COUNT];
    char *buf;                   /* getline's */
    size_t buf_cap;
    char *pending;               /* the first line of the next day, read already */
    size_t pending_len, pending_cap;
    unsigned long pending_lineno;
    bool has_pending;
    struct intern depts, classes, staff, today;   /* today: the day's journeys' ids */
    struct seen seen;
    uint32_t journeys;           /* numbered before today */
    struct mdl_vlog_row *rows;   /* the day's */
    size_t nrows, cap;
    int32_t day;
};

/* Reads one row from r->line (split already) into *row, every field but
 * the journey's, which needs the day (assign_visit). */
static int read_row(struct mdl_vlog_reader *rd, struct mdl_vlog_row *row)
{
    struct reader *r = &rd->r;
    const int *col_of = rd->col_of;
    struct mdl_vlog *log = &rd->view;
    int need = 0;
    for (int k = 0; k < MDL_VF_COUNT; k++)
        if (col_of[k] + 1 > need)
            need = col_of[k] + 1;
    if (r->nf < (size_t)need)
        return fail_at(r, r->line_len, "%zu field%s, the header has %d or more", r->nf, r->nf == 1 ? "" : "s", need);
    bool added;
    uint32_t d, c = MDL_VLOG_NONE, st = MDL_VLOG_NONE;
    if (!trimmed(r->f[col_of[MDL_VF_VISIT]]).len)
        return fail_at(r, r->f[col_of[MDL_VF_VISIT]].col, "no visit id: every row names one");
    if (read_name(r, col_of[MDL_VF_DEPARTMENT], &rd->depts, "department", &d, &added))
        return r->err->code;
    if (log->has[MDL_VF_CLASS] && trimmed(r->f[col_of[MDL_VF_CLASS]]).len &&
        read_name(r, col_of[MDL_VF_CLASS], &rd->classes, "class", &c, &added))
        return r->err->code;
    if (log->has[MDL_VF_CLASS] && !trimmed(r->f[col_of[MDL_VF_CLASS]]).len)   /* no class named: "customer" */
        c = intern(&rd->classes, "customer", 8, MAX_NAMES, &added);
    if (log->has[MDL_VF_STAFF] && trimmed(r->f[col_of[MDL_VF_STAFF]]).len &&
        read_name(r, col_of[MDL_VF_STAFF], &rd->staff, "staff", &st, &added))
        return r->err->code;
    int32_t aday, sday = 0, eday = 0;
    double arrived, started, ended;
    if (read_time(r, col_of[MDL_VF_ARRIVED], false, "arrival", &aday, &arrived) ||
        read_time(r, col_of[MDL_VF_STARTED], true, "start", &sday, &started) ||
        read_time(r, col_of[MDL_VF_ENDED], true, "end", &eday, &ended))
        return r->err->code;
    if (!isnan(started))
        started += (sday - aday) * 1440.0;
    *row = (struct mdl_vlog_row){.arrived = arrived, .started = started, .ended = NAN, .day = aday,
                                 .line = (uint32_t)r->lineno, .dept = (uint16_t)d, .cls = (uint16_t)c,
                                 .staff = (uint16_t)st, .outcome = MDL_VO_UNFINISHED};
    struct field fs = trimmed(r->f[col_of[MDL_VF_STARTED]]), fe = trimmed(r->f[col_of[MDL_VF_ENDED]]);
    if (!isnan(started) && started < arrived)
        return fail_at(r, fs.col, "the service started before the customer arrived");
    if (isnan(ended))   /* still open when the records stop */
        return SIM_OK;
    ended += (eday - aday) * 1440.0;
    row->ended = ended;
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
            bool word = false;   /* one of the options' words */
            for (int k = 0; k < MDL_VO_COUNT; k++)
                if (strlen(mdl_vlog_outcome_names[k]) == fo.len && !strncasecmp(fo.at, mdl_vlog_outcome_names[k], fo.len))
                    outcome = k;
            for (size_t k = 0; outcome < 0 && k < rd->opt.noutcomes; k++)
                if (strlen(rd->opt.outcomes[k].word) == fo.len && !strncasecmp(fo.at, rd->opt.outcomes[k].word, fo.len)) {
                    outcome = rd->opt.outcomes[k].outcome;
                    word = true;
                }
            if (outcome < 0)
                return fail_at(r, fo.col, "unknown outcome '%.*s': a visit is served, reneged (left while waiting), "
                                          "balked (left on seeing the queue) or blocked (the queue was full); "
                                          "--outcome '%.*s=reneged' reads a word of your own",
                               (int)(fo.len < 40 ? fo.len : 40), fo.at, (int)(fo.len < 40 ? fo.len : 40), fo.at);
            if (word && outcome != MDL_VO_SERVED && !isnan(started)) {   /* called, and gone: left then */
                row->ended = started;
                row->started = started = NAN;
            }
            if (outcome == MDL_VO_SERVED && isnan(started))
                return fail_at(r, fs.col, "served, but no start time");
            if (outcome != MDL_VO_SERVED && !isnan(started))
                return fail_at(r, fo.col, "%s, but the service started: a visit that started is served",
                               mdl_vlog_outcome_names[outcome]);
        }
    }
    row->outcome = (uint8_t)outcome;
    return SIM_OK;
}

/* Gives row its journey: numbered within today, after the journeys of
 * the days before; an id seen on another day is refused. */
static int assign_visit(struct mdl_vlog_reader *rd, struct mdl_vlog_row *row)
{
    struct reader *r = &rd->r;
    struct field fv = trimmed(r->f[rd->col_of[MDL_VF_VISIT]]);
    bool added;
    uint32_t v = intern(&rd->today, fv.at, fv.len, UINT32_MAX - 1, &added);
    if (added && !rd->opt.ids_per_day && seen_has(&rd->seen, fingerprint(fv.at, fv.len), false)) {
        char now[16];
        mdl_vlog_date(row->day, now, sizeof now);
        return fail_at(r, fv.col, "visit '%.*s' is on %s and on a day before: a visit id names one journey, on "
                                  "one day (ids that restart every day: --ids-per-day; another column: --map "
                                  "visit=COLUMN)", (int)(fv.len < 40 ? fv.len : 40), fv.at, now);
    }
    row->visit = rd->journeys + v;
    return SIM_OK;
}

/* Points the reader's line at text[0..len) of line number lineno. */
static void take_line(struct mdl_vlog_reader *rd, char *text, size_t len, unsigned long lineno)
{
    rd->r.line = text;
    rd->r.line_len = len;
    rd->r.lineno = lineno;
    rd->r.unq = sim_xrealloc(rd->r.unq, len + 1);
}

/* Reads the next line into the reader's buffer, its end of line cut;
 * false at the end of the file (or a read error, then err set). */
static bool next_line(struct mdl_vlog_reader *rd)
{
    ssize_t got = getline(&rd->buf, &rd->buf_cap, rd->in);
    if (got < 0) {
        if (ferror(rd->in))
            sim_err_set(rd->r.err, SIM_ENOINPUT, "cannot read %s: %s", rd->r.path, strerror(errno));
        return false;
    }
    size_t len = (size_t)got;
    while (len && (rd->buf[len - 1] == '\n' || rd->buf[len - 1] == '\r'))
        len--;
    take_line(rd, rd->buf, len, rd->r.lineno + 1);
    return true;
}

/* Keeps the view's names and counts current. */
static void refresh_view(struct mdl_vlog_reader *rd)
{
    struct mdl_vlog *v = &rd->view;
    v->depts = rd->depts.name;
    v->ndepts = rd->depts.n;
    v->classes = rd->classes.name;
    v->nclasses = rd->classes.n;
    v->staff = rd->staff.name;
    v->nstaff = rd->staff.n;
}

int mdl_vlog_open(const char *path, const struct mdl_vlog_options *opt, struct mdl_vlog_reader **out,
                  struct sim_err *err)
{
    *out = NULL;
    bool from_stdin = !strcmp(path, "-");
    FILE *in = from_stdin ? stdin : fopen(path, "r");
    if (!in)
        return sim_err_set(err, SIM_ENOINPUT, "cannot open %s: %s", path, strerror(errno));
    struct mdl_vlog_reader *rd = sim_xcalloc(1, sizeof *rd);
    if (opt)
        rd->opt = *opt;
    rd->in = in;
    rd->from_stdin = from_stdin;
    rd->r = (struct reader){.path = from_stdin ? "<stdin>" : path, .log = &rd->view, .err = err};
    rd->view.path = path;
    rd->view.first_day = INT32_MAX;
    rd->view.last_day = INT32_MIN;
    *out = rd;
    while (next_line(rd)) {
        if (memchr(rd->r.line, '\0', rd->r.line_len))
            return fail_at(&rd->r, strlen(rd->r.line), "a NUL byte: this is not a CSV text file");
        if (rd->r.line_len == 0)
            continue;   /* blank lines before the header */
        return read_header(&rd->r, rd->opt.map, rd->col_of);
    }
    if (!err->code)
        sim_err_set(err, SIM_EDATA, "%s is empty: a log starts with a header (visit,department,arrived,started,"
                    "ended,...)", path);
    return err->code;
}

int mdl_vlog_next_day(struct mdl_vlog_reader *rd, const struct mdl_vlog_row **rows, size_t *n, struct sim_err *err)
{
    struct reader *r = &rd->r;
    r->err = err;
    *rows = NULL;
    *n = 0;
    /* today is over: its journeys are numbers, and fingerprints, from here on */
    for (size_t i = 0; !rd->opt.ids_per_day && i < rd->today.n; i++)
        seen_has(&rd->seen, fingerprint(rd->today.name[i], strlen(rd->today.name[i])), true);
    rd->journeys += (uint32_t)rd->today.n;
    intern_free(&rd->today);
    rd->nrows = 0;
    bool pending = rd->has_pending;
    rd->has_pending = false;
    while (!rd->done && !err->code) {
        if (pending) {
            take_line(rd, rd->pending, rd->pending_len, rd->pending_lineno);
            pending = false;
        } else if (!next_line(rd)) {
            rd->done = true;
            break;
        }
        if (memchr(r->line, '\0', r->line_len)) {
            fail_at(r, strlen(r->line), "a NUL byte: this is not a CSV text file");
            break;
        }
        if (r->line_len == 0)
            continue;
        struct mdl_vlog_row row;
        if (split(r) || read_row(rd, &row))
            break;
        bool earlier = row.day < rd->day && (rd->nrows || rd->view.nrows);   /* than today, or the day before */
        if (earlier || (rd->nrows && row.day != rd->day)) {
            if (earlier) {
                char was[16], now[16];
                mdl_vlog_date(rd->day, was, sizeof was);
                mdl_vlog_date(row.day, now, sizeof now);
                fail_at(r, trimmed(r->f[rd->col_of[MDL_VF_ARRIVED]]).col,
                        "this visit arrived on %s, after visits of %s: a log comes day by day (sort it by "
                        "its arrival times)", now, was);
                break;
            }
            if (r->line_len + 1 > rd->pending_cap) {   /* the next day's first line: kept for the next call */
                rd->pending_cap = r->line_len + 1;
                rd->pending = sim_xrealloc(rd->pending, rd->pending_cap);
            }
            memcpy(rd->pending, r->line, r->line_len);
            rd->pending[r->line_len] = '\0';
            rd->pending_len = r->line_len;
            rd->pending_lineno = r->lineno;
            rd->has_pending = true;
            break;
        }
        rd->day = row.day;
        if (assign_visit(rd, &row))
            break;
        if (rd->nrows == rd->cap) {
            rd->cap = rd->cap ? 2 * rd->cap : 1024;
            rd->rows = sim_xreallocarray(rd->rows, rd->cap, sizeof *rd->rows);
        }
        rd->rows[rd->nrows++] = row;
    }
    refresh_view(rd);
    if (err->code)
        return err->code;
    if (rd->nrows) {
        struct mdl_vlog *v = &rd->view;
        v->nrows += rd->nrows;
        v->nvisits = rd->journeys + rd->today.n;
        v->first_day = rd->day < v->first_day ? rd->day : v->first_day;
        v->last_day = rd->day > v->last_day ? rd->day : v->last_day;
    } else if (rd->view.nrows == 0) {
        return sim_err_set(err, SIM_EDATA, "%s has a header but no visits", rd->view.path);
    }
    *rows = rd->rows;
    *n = rd->nrows;
    return SIM_OK;
}

const struct mdl_vlog *mdl_vlog_reader_log(const struct mdl_vlog_reader *rd)
{
    return &rd->view;
}

const char *mdl_vlog_reader_bad_line(const struct mdl_vlog_reader *rd, size_t *len)
{
    *len = rd->view.bad_line_len;
    return rd->view.bad_line;
}

void mdl_vlog_close(struct mdl_vlog_reader *rd)
{
    if (!rd)
        return;
    if (!rd->from_stdin && rd->in)
        fclose(rd->in);
    free(rd->buf);
    free(rd->pending);
    free(rd->r.unq);
    free(rd->rows);
    free(rd->seen.key);
    intern_free(&rd->today);
    intern_free(&rd->depts);
    intern_free(&rd->classes);
    intern_free(&rd->staff);
    free(rd->view.bad_line);
    free(rd);
}

/* ---- the whole log in memory --------------------------------------------- */

int mdl_vlog_read(const char *path, const struct mdl_vlog_options *opt, struct mdl_vlog **out, struct sim_err *err)
{
    *out = NULL;
    struct mdl_vlog_reader *rd = NULL;
    struct mdl_vlog *log = sim_xcalloc(1, sizeof *log);
    log->path = path;
    size_t cap = 0;
    if (!mdl_vlog_open(path, opt, &rd, err)) {
        const struct mdl_vlog_row *rows;
        size_t n;
        while (!mdl_vlog_next_day(rd, &rows, &n, err) && n) {
            if (log->nrows + n > cap) {
                cap = 2 * (log->nrows + n);
                log->rows = sim_xreallocarray(log->rows, cap, sizeof *log->rows);
            }
            memcpy(log->rows + log->nrows, rows, n * sizeof *rows);
            log->nrows += n;
        }
    }
    if (err->code) {   /* the log holds only the bad line, if any */
        if (rd && rd->view.bad_line) {
            log->bad_line = rd->view.bad_line;
            log->bad_line_len = rd->view.bad_line_len;
            rd->view.bad_line = NULL;
        }
        free(log->rows);
        log->rows = NULL;
        log->nrows = 0;
        mdl_vlog_close(rd);
        *out = log;
        return err->code;
    }
    const struct mdl_vlog *v = &rd->view;
    memcpy(log->has, v->has, sizeof log->has);
    log->nvisits = v->nvisits;
    log->first_day = v->first_day;
    log->last_day = v->last_day;
    log->depts = intern_release(&rd->depts, &log->ndepts);
    log->classes = intern_release(&rd->classes, &log->nclasses);
    log->staff = intern_release(&rd->staff, &log->nstaff);
    rd->view.depts = rd->view.classes = rd->view.staff = NULL;
    rd->view.ndepts = rd->view.nclasses = rd->view.nstaff = 0;
    mdl_vlog_close(rd);
    if (log->nrows)
        log->rows = sim_xreallocarray(log->rows, log->nrows, sizeof *log->rows);
    *out = log;
    return SIM_OK;
}

static const struct mdl_vlog_row *sort_rows;   /* qsort has no context: set by the one caller */

static int by_day(const void *pa, const void *pb)
{
    const struct mdl_vlog_row *a = &sort_rows[*(const size_t *)pa], *b = &sort_rows[*(const size_t *)pb];
    if (a->day != b->day)
        return a->day < b->day ? -1 : 1;
    return a->line < b->line ? -1 : a->line > b->line;
}

int mdl_vlog_each_day(const struct mdl_vlog *log,
                      int (*fn)(void *ctx, const struct mdl_vlog_row *rows, size_t n, struct sim_err *err), void *ctx,
                      struct sim_err *err)
{
    size_t n = log->nrows, *idx = sim_xmalloc((n ? n : 1) * sizeof *idx);
    struct mdl_vlog_row *day = sim_xmalloc((n ? n : 1) * sizeof *day);
    for (size_t i = 0; i < n; i++)
        idx[i] = i;
    sort_rows = log->rows;
    qsort(idx, n, sizeof *idx, by_day);
    int rc = 0;
    for (size_t g = 0; g < n && !rc;) {
        size_t end = g;
        while (end < n && log->rows[idx[end]].day == log->rows[idx[g]].day)
            end++;
        for (size_t i = g; i < end; i++)
            day[i - g] = log->rows[idx[i]];
        rc = fn(ctx, day, end - g, err);
        g = end;
    }
    free(day);
    free(idx);
    return rc;
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
