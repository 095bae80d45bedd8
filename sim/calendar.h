/* sim/calendar.h — the event calendar and simulation clock.
 *
 * A calendar holds future events and the current time. Events leave in
 * (time, scheduling sequence) order: two events at the same time run in the
 * order they were scheduled, so a run is reproducible bit for bit.
 *
 * Key invariant: a handle names one scheduled event for ever. Slots are
 * reused, but each reuse bumps the slot's generation, so cancelling with a
 * handle whose event already ran or was cancelled is a harmless no-op
 * (exactly what patience needs: schedule the abandonment when a customer
 * joins a queue, cancel it when service starts, without bookkeeping).
 *
 * Cost: schedule, cancel and pop are O(log n) on a binary heap, and a pop
 * followed by a schedule (the usual "hold") costs one sift instead of two;
 * once the arrays have grown to the largest number of pending events,
 * nothing is allocated. Scheduling before the current time, or at NaN, is a broken
 * invariant and fails an assertion, as is a start time below zero: times
 * are minutes from 0 on (the calendar orders them by their bits).
 *
 * The calendar does not know what an event means: it stores an integer
 * kind and a pointer, both chosen by the model, and never dereferences the
 * pointer. It is not thread-safe; each replication owns one.
 */
#ifndef SIM_CALENDAR_H
#define SIM_CALENDAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Names a scheduled event. 0 is never a valid handle ("no event"). */
typedef uint64_t sim_handle;

struct sim_event {
    double at;    /* instant, minutes */
    int kind;     /* the model's event type */
    void *data;   /* the model's payload; owned by the model */
};

struct sim_calendar;

/* The most bytes the calendar takes for each pending event: its heap entry
 * and slot, twice over (the arrays grow by doubling). For sizing memory. */
size_t sim_calendar_bytes_per_event(void);

/* Creates an empty calendar at time `start` with room for `hint` events. */
struct sim_calendar *sim_calendar_create(double start, size_t hint);
void sim_calendar_destroy(struct sim_calendar *c);
/* Drops every pending event (their handles become stale) and sets the clock
 * to `start`; keeps the memory. */
void sim_calendar_reset(struct sim_calendar *c, double start);

double sim_calendar_now(const struct sim_calendar *c);
size_t sim_calendar_size(const struct sim_calendar *c);
/* Time of the next event, or INFINITY when the calendar is empty. */
double sim_calendar_next_at(const struct sim_calendar *c);

/* Schedules an event at instant `at` (>= now). */
sim_handle sim_calendar_schedule(struct sim_calendar *c, double at, int kind, void *data);
/* Cancels the event h names. Returns false, and does nothing, when h is 0,
 * stale (its event ran or was cancelled) or from another calendar's slots. */
bool sim_calendar_cancel(struct sim_calendar *c, sim_handle h);
/* True while h names an event that has neither run nor been cancelled. */
bool sim_calendar_pending(const struct sim_calendar *c, sim_handle h);

/* Removes the next event into *ev and advances the clock to its time.
 * Returns false when the calendar is empty (the clock does not move). */
bool sim_calendar_pop(struct sim_calendar *c, struct sim_event *ev);

/* Moves the clock forward to `at` (>= now, <= the next event's time)
 * without running anything: used to end a run at a horizon. */
void sim_calendar_advance(struct sim_calendar *c, double at);

#endif
