/* models/vlog.h — the business's own records of visits (spec §5: the log
 * that cxsim fit and cxsim validate read), as compact rows.
 *
 * A log is CSV with a header, one row per visit to a department: visit
 * (the journey's id, the same on each of its rows), department, arrived,
 * started (empty: never started), ended (the service's end, or when the
 * customer left), and optionally class, outcome (served, reneged, balked,
 * blocked) and staff. Times are ISO 8601 date-times (2026-11-02T09:16:02,
 * a space for the T, seconds and their fraction optional; a zone suffix,
 * Z or +01:00, is read and ignored: times are the wall clock as written).
 * Columns may come in any order and under other names (the map), others
 * are ignored. Without an outcome column a row's outcome is what its times
 * say (started: served; not started: reneged, or balked when it ended as it
 * arrived); with one, an empty outcome is a visit cut short (UNFINISHED:
 * a customer sent home at closing).
 *
 * Invariant: every row read satisfies arrived <= started <= ended (ended
 * >= arrived when it never started; ended NaN and the outcome UNFINISHED
 * when the row has no end time), its outcome agrees with its times
 * (served: started; reneged, balked, blocked: not started), and a visit's
 * rows lie on one day: the reader refuses anything else at its line and
 * column, and keeps that line's text for the caret (mdl_vlog_bad_line).
 * Times are minutes after the midnight of the row's day (so a service past
 * midnight is over 1440), the day counted from 1970-01-01.
 *
 * A log comes day by day (its rows in order of their arrival dates; within
 * a day, any order): mdl_vlog_next_day gives one day's rows at a time, so
 * that what reads a log keeps one day in memory, whatever its length: the
 * file is never held, a day's rows cost 48 bytes each, and the only thing
 * kept for every journey is a 64-bit fingerprint of its id (to refuse an
 * id used on two days), 8 to 16 bytes. One pass, linear
 * time. mdl_vlog_read keeps every row instead (tests, small logs). It
 * interprets nothing (rates, routes): models/fit.c does.
 */
#ifndef MDL_VLOG_H
#define MDL_VLOG_H

#include "sim/err.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum mdl_vlog_field {
    MDL_VF_VISIT, MDL_VF_DEPARTMENT, MDL_VF_ARRIVED, MDL_VF_STARTED, MDL_VF_ENDED,
    MDL_VF_CLASS, MDL_VF_OUTCOME, MDL_VF_STAFF, MDL_VF_COUNT
};
/* "visit", "department", ...: the fields' own names, as columns. */
extern const char *const mdl_vlog_field_names[MDL_VF_COUNT];

/* UNFINISHED: no end time (a visit still open when the records stop), or
 * an empty outcome (cut short): read, counted, and left out of every
 * duration. */
enum mdl_vlog_outcome { MDL_VO_SERVED, MDL_VO_RENEGED, MDL_VO_BALKED, MDL_VO_BLOCKED, MDL_VO_COUNT,
                        MDL_VO_UNFINISHED = MDL_VO_COUNT };
extern const char *const mdl_vlog_outcome_names[MDL_VO_COUNT];

#define MDL_VLOG_NONE UINT16_MAX   /* no class or staff given */

struct mdl_vlog_row {
    double arrived, started, ended;   /* minutes after the day's midnight; started NaN: never;
                                         ended NaN: unfinished */
    int32_t day;                      /* days since 1970-01-01 */
    uint32_t line;                    /* in the file, from 1 (the header) */
    uint32_t visit;                   /* the journey, 0 .. nvisits, numbered day by day */
    uint16_t dept, cls, staff;        /* indices into the names; cls, staff may be MDL_VLOG_NONE */
    uint8_t outcome;                  /* enum mdl_vlog_outcome */
};

struct mdl_vlog {
    const char *path;
    size_t nrows, nvisits;
    struct mdl_vlog_row *rows;        /* in the file's order */
    size_t ndepts, nclasses, nstaff;
    char **depts, **classes, **staff; /* in order of first appearance */
    bool has[MDL_VF_COUNT];           /* the optional columns present */
    int32_t first_day, last_day;
    char *bad_line;                   /* after a located error: that line's text (owned) */
    size_t bad_line_len;
};

/* How to read a log, beyond the spec's own names (the zero value: as the
 * spec writes it). */
#define MDL_VLOG_OUTCOME_MAX 16
struct mdl_vlog_options {
    const char *map[MDL_VF_COUNT];   /* the column holding each field (NULL: the field's own name) */
    /* other words for outcomes (a queue system's "no-show" for reneged):
     * a visit so marked that has a start time (called, not there) left
     * when it was called: ended is that time, and it never started */
    size_t noutcomes;
    struct { const char *word; int outcome; } outcomes[MDL_VLOG_OUTCOME_MAX];
    bool ids_per_day;                /* visit ids restart every day: a journey is its date and id */
};

/* A log read day by day. mdl_vlog_open reads its header (path "-": stdin;
 * opt as for mdl_vlog_read); each mdl_vlog_next_day then gives the next
 * day's rows in *rows (the reader's, valid until the next call), *n 0
 * after the last. On a bad line either returns 65 (66: the file cannot
 * be opened or read) with err located, the line kept for the caret
 * (mdl_vlog_reader_bad_line). mdl_vlog_reader_log is the log so far:
 * names, columns, counts and days, no rows. *out, even on failure, is the
 * caller's to close. */
struct mdl_vlog_reader;
int mdl_vlog_open(const char *path, const struct mdl_vlog_options *opt, struct mdl_vlog_reader **out,
                  struct sim_err *err);
int mdl_vlog_next_day(struct mdl_vlog_reader *r, const struct mdl_vlog_row **rows, size_t *n, struct sim_err *err);
const struct mdl_vlog *mdl_vlog_reader_log(const struct mdl_vlog_reader *r);
const char *mdl_vlog_reader_bad_line(const struct mdl_vlog_reader *r, size_t *len);
void mdl_vlog_close(struct mdl_vlog_reader *r);

/* Reads the log at path (stdin when "-") as opt says (NULL: as the spec
 * writes a log). On
 * failure returns the exit code (66: cannot open; 65: a bad line, located
 * with file, line and column, the line kept in *out's bad_line when *out
 * is not NULL) with err set; *out is then either NULL or a log holding
 * only bad_line, which the caller destroys alike. */
int mdl_vlog_read(const char *path, const struct mdl_vlog_options *opt, struct mdl_vlog **out, struct sim_err *err);
void mdl_vlog_destroy(struct mdl_vlog *log);

/* Calls fn with each day of the log in memory (its rows in the file's
 * order within the day), the days in order, as mdl_vlog_next_day gives a
 * file's; stops at the first nonzero fn returns, and returns it. */
int mdl_vlog_each_day(const struct mdl_vlog *log,
                      int (*fn)(void *ctx, const struct mdl_vlog_row *rows, size_t n, struct sim_err *err), void *ctx,
                      struct sim_err *err);

/* Reads an ISO 8601 date-time text[0..len) into days since 1970-01-01 and
 * minutes after that day's midnight; false when it is not one (a date
 * alone is not: a visit has a time). */
bool mdl_vlog_time(const char *text, size_t len, int32_t *day, double *minutes);

/* The weekday of a day since 1970-01-01: 0 Monday .. 6 Sunday. */
int mdl_vlog_weekday(int32_t day);

/* "2026-11-02" of a day since 1970-01-01, into buf (at least 11 bytes). */
void mdl_vlog_date(int32_t day, char *buf, size_t len);

#endif
