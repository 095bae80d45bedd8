/* output/trace.h — the story of a day: one replication's events, told
 * customer by customer (text) or as an event log (CSV).
 *
 * The model calls out_trace_event for every event in time order; the
 * writer keeps those the filter selects and writes each at once, so a day of
 * any length is told in constant memory. A customer is named by its class and
 * its number within the class, counted from 1 in order of arrival ("buyer
 * #17"; "buyer#17" in the CSV and in filters). An internal request is a
 * customer of its own (class `as`) tied to the customer whose service waits
 * for it ("related"): filters on either keep the events of both.
 *
 * The writer does not know the scenario: names come with the events.
 */
#ifndef OUT_TRACE_H
#define OUT_TRACE_H

#include "sim/err.h"

#include <stdbool.h>
#include <stdio.h>

enum out_trace_kind {
    OUT_EV_ARRIVE,     /* reaches a department; count: customers waiting there */
    OUT_EV_BALK,       /* leaves at once: count waiting was too many */
    OUT_EV_BLOCK,      /* refused: no waiting place left (count waiting) */
    OUT_EV_START,      /* staff starts serving; dur: the wait */
    OUT_EV_REQUEST,    /* staff serving the customer needs department `to`; related: the request */
    OUT_EV_RESUME,     /* the request is answered; dur: how long it took */
    OUT_EV_FINISH,     /* leaves the department; dur: time there; to: next (NULL: out); walk_dur */
    OUT_EV_RENEGE,     /* gives up waiting; dur: the wait */
    OUT_EV_EXIT,       /* leaves the business served; dur: time inside; score */
    OUT_EV_SENT_HOME,  /* sent home at closing; dur: time inside */
    OUT_EV_STAFF,      /* staff on duty changes: count (prev_count before) */
    OUT_EV_OPEN,       /* the doors open */
    OUT_EV_CLOSE,      /* the doors close; count: customers inside */
    OUT_EV_SHIFT_START, /* a person (staff) of shift `shift` comes on duty */
    OUT_EV_SHIFT_END,  /* a person goes home: its shift's end; dur: minutes past it (finishing a
                           customer), NaN after closing */
    OUT_EV_BREAK,      /* a person goes on a break; dur: minutes late (finishing a customer) */
    OUT_EV_BACK,       /* a person is back from a break */
    OUT_EV_STAYS,      /* after closing, a person stays (or comes back) to serve those inside */
    OUT_EV_KINDS
};

struct out_trace_who {
    const char *cls;            /* NULL: nobody */
    unsigned long id;           /* from 1, within the class */
    bool internal, request;
};

struct out_trace_event {
    enum out_trace_kind kind;
    double at;                  /* instant: minutes after midnight (day runs) or after the start */
    struct out_trace_who who;   /* the customer; cls NULL for events of the business */
    struct out_trace_who related;
    const char *dept;           /* where, or NULL */
    const char *staff;          /* the staff member serving, or NULL */
    const char *shift;          /* SHIFT_START ... STAYS: the person's shift; count: its crew's
                                   staff on duty after it (people of a department's own staff) */
    double break_dur;           /* BREAK: the break's length, minutes */
    const char *pool;           /* START, FINISH: the pool the staff member serving is from, or NULL */
    const char *to;             /* FINISH: next department; REQUEST: department asked */
    double dur, walk_dur, score;   /* NaN when not applicable */
    long count, prev_count;
};

/* Which events to keep: all fields optional (0 / NULL / NaN). */
struct out_trace_filter {
    unsigned long customers;    /* the first N external customers to arrive (of class cls when
                                   given), with the requests made for them */
    const char *cls;            /* customers of this class, and requests for them */
    const char *customer_cls;   /* one customer: class and number */
    unsigned long customer_id;
    double from_at, to_at;      /* time window (inclusive) */
};

enum out_trace_format { OUT_TRACE_TEXT, OUT_TRACE_CSV };

struct out_trace;

/* Starts a story written to f; title and subtitle head the text form. */
struct out_trace *out_trace_create(enum out_trace_format format, const struct out_trace_filter *filter,
                                   bool is_day, const char *title, const char *subtitle, FILE *f);

/* Tells (or logs) ev if the filter keeps it. */
void out_trace_event(struct out_trace *t, const struct out_trace_event *ev);

/* Ends the story (the text form says how many events it left out) and
 * frees t. Returns SIM_OK, or SIM_EIO when f failed. */
int out_trace_finish(struct out_trace *t, struct sim_err *err);

/* A duration in minutes as the story tells it into buf: "less than a
 * minute", "42 min", "2 h", "1 h 5 min". Returns buf. */
const char *out_trace_span(char *buf, size_t len, double dur);

/* The CSV event column's word for a kind ("arrive", "start", ...). */
const char *out_trace_kind_name(enum out_trace_kind kind);

#endif
