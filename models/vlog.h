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
 * Memory: the file is read line by line and never held; each row costs
 * its compact form (48 bytes) and each journey its id once, so a log of
 * millions of rows takes a few hundred bytes a journey at most, in one
 * pass (linear time). It interprets nothing (rates, routes): models/fit.c
 * does.
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
    uint32_t visit;                   /* the journey, 0 .. nvisits */
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

/* Reads the log at path (stdin when "-"). map[f] is the column holding
 * field f (NULL: the field's own name); a map of NULL is no map. On
 * failure returns the exit code (66: cannot open; 65: a bad line, located
 * with file, line and column, the line kept in *out's bad_line when *out
 * is not NULL) with err set; *out is then either NULL or a log holding
 * only bad_line, which the caller destroys alike. */
int mdl_vlog_read(const char *path, const char *const *map, struct mdl_vlog **out, struct sim_err *err);
void mdl_vlog_destroy(struct mdl_vlog *log);

/* Reads an ISO 8601 date-time text[0..len) into days since 1970-01-01 and
 * minutes after that day's midnight; false when it is not one (a date
 * alone is not: a visit has a time). */
bool mdl_vlog_time(const char *text, size_t len, int32_t *day, double *minutes);

/* The weekday of a day since 1970-01-01: 0 Monday .. 6 Sunday. */
int mdl_vlog_weekday(int32_t day);

/* "2026-11-02" of a day since 1970-01-01, into buf (at least 11 bytes). */
void mdl_vlog_date(int32_t day, char *buf, size_t len);

#endif
