/* models/scenario.h — a business, as a scenario file describes it (spec §2):
 * the checked, immutable description every replication (and thread) reads.
 *
 * Made by the checker (models/check.h) from a document's tree, for the file
 * as written (models/load.h) or for one plan of it (models/plans.h); plain
 * data, read by the flow model and the program. Conventions: departments
 * and classes are numbered in file order; a route destination is a
 * department index or MDL_EXIT; times of day are minutes after midnight;
 * rates are per minute inside (per_hour in the file).
 *
 * What a scenario owns beside this description (the document it was checked
 * from, the distributions' GSL tables, its arenas) is private to models/
 * (scenario_int.h) and freed by mdl_scenario_destroy.
 */
#ifndef MDL_SCENARIO_H
#define MDL_SCENARIO_H

#include "models/ydoc.h"
#include "sim/dist.h"
#include "sim/err.h"

#include <stdbool.h>
#include <stdint.h>

#define MDL_EXIT (-1)
#define MDL_UNLIMITED (-1L)
#define MDL_MAX_DEPTS 64
#define MDL_MAX_CLASSES 64
#define MDL_MAX_STAFF 10000
#define MDL_MAX_POOLS 16
#define MDL_MAX_SHIFTS 64            /* shifts of one department or pool */
#define MDL_MAX_BREAKS 8             /* breaks of one shift */
#define MDL_MAX_REPLICATIONS 1000000
/* max_in_system: customers inside at once beyond which a replication is
 * stopped as overloaded; its default and its largest value */
#define MDL_DEFAULT_MAX_IN_SYSTEM 100000
#define MDL_MAX_IN_SYSTEM 10000000
/* max_events: events one replication may handle before it is stopped as
 * overloaded; by default MDL_EVENTS_SLACK times the events its arrivals
 * and routes lead one to expect, at least MDL_MIN_MAX_EVENTS */
#define MDL_EVENTS_SLACK 100
#define MDL_MIN_MAX_EVENTS 1000000L
#define MDL_MAX_MAX_EVENTS 1000000000000000L

enum mdl_discipline { MDL_FIFO, MDL_PRIORITY };
enum mdl_after_close { MDL_SERVE, MDL_LEAVE };
enum mdl_arrivals { MDL_ARR_NONE, MDL_ARR_POISSON, MDL_ARR_PROFILE, MDL_ARR_RENEWAL, MDL_ARR_APPOINTMENTS };

/* Appointments (day runs): at most this many customers a slot; slot times are
 * whole minutes of the day (their serial numbers are minute * MDL_APPT_PLACES
 * + place, docs/kernel.md). */
#define MDL_APPT_PER_SLOT_MAX 1000
#define MDL_APPT_PLACES 1024

/* One block of an appointment book: slots at from_at, from_at + every_dur, ...
 * up to and including to_at (a slot: checked), per_slot customers each, each
 * of whom stays away with probability no_show, and comes at the slot plus a
 * draw of punctuality (negative: early). */
struct mdl_appt_block {
    double from_at, to_at;       /* times of day, whole minutes */
    double every_dur;            /* whole minutes, >= 1 */
    long per_slot;               /* 0 .. MDL_APPT_PER_SLOT_MAX */
    double no_show;              /* probability, 0 .. 1 */
    const struct sim_dist *punctuality;  /* an offset (sim_dist_init_offset); NULL: on time */
};

struct mdl_step {        /* from time of day `at` on, `value` holds */
    double at;
    double value;        /* staff count, or arrivals per minute */
};

/* A break of a shift (spec §2a): at a fixed time (from_at == to_at), or
 * in a window [from_at, to_at] in which the person takes it when free. */
struct mdl_break {
    double from_at, to_at;
    double length_dur;
    bool window;
};

/* `count` people on one shift, on duty from start_at to end_at (minutes
 * after midnight; day runs only), each taking the shift's breaks in order. */
struct mdl_shift {
    const char *name;
    double start_at, end_at;
    long count;
    size_t nbreaks;
    struct mdl_break *breaks;
};

/* Who serves: a department's own staff, or a pool's. Either a head count
 * by schedule (staff:; nshifts 0), or people on shifts (shifts:), whose
 * head count, breaks at fixed times taken out, is then also given as the
 * schedule `staff` (for descriptions and checks; the model follows the
 * people). */
struct mdl_crew {
    size_t nstaff;               /* staff schedule steps (1 for a plain number) */
    struct mdl_step *staff;      /* steady-state runs: one step at 0 */
    size_t nshifts;
    struct mdl_shift *shifts;
    bool paid_breaks;            /* breaks are paid (default: not) */
    double cost_per_hour;
};

struct mdl_dept {
    const char *name;
    struct mdl_crew crew;        /* its own staff */
    const struct sim_dist **service;   /* [nclasses]: each class's service time (NULL: never served here) */
    long capacity;               /* waiting places, or MDL_UNLIMITED */
    enum mdl_discipline discipline;
    double target_wait, service_target, quality;
};

/* Cross-trained staff (spec §2a `pools:`): they serve the departments of
 * `serves`, in that order of preference when several have customers
 * waiting, each with that department's service time. */
struct mdl_pool {
    const char *name;
    struct mdl_crew crew;
    size_t nserves;
    int *serves;                 /* department indices, in preference order */
};

struct mdl_class {
    const char *name;
    bool internal;
    enum mdl_arrivals arrivals;
    double rate;                 /* MDL_ARR_POISSON: per minute */
    size_t nprofile;             /* MDL_ARR_PROFILE: steps, rate per minute */
    struct mdl_step *profile;
    struct sim_dist interarrival;        /* MDL_ARR_RENEWAL */
    size_t nappt;                /* MDL_ARR_APPOINTMENTS: blocks, in order of time, */
    struct mdl_appt_block *appt; /* no two sharing a slot */
    double *enter;               /* [ndepts] probabilities (all 0 without arrivals) */
    double *route;               /* [ndepts][ndepts + 1]: row d, column e < ndepts a department,
                                    column ndepts exit; a department without a row exits */
    const struct sim_dist **patience;    /* [ndepts]: how long it waits in that department's
                                            queue before leaving; NULL: for ever */
    long *balk_at;               /* [ndepts]: balks on seeing this many waiting there,
                                    or MDL_UNLIMITED */
    int priority;
    double value;
    double max_dropout;          /* goal: at most this share of its journeys end unserved
                                    (spec §2c); NaN: no goal */
    double *expect_wait;         /* [ndepts] tolerated wait, minutes */
    bool request_only;           /* created only by requests (no arrivals of its own) */
};

struct mdl_request {
    int from, to, as;            /* departments, class */
    double probability;
    struct sim_dist service;
};

struct mdl_satisfaction {
    double wait_weight, handoff_penalty, peak_weight, end_weight, dropout_score;
};

/* The workshop section (docs/workshop.md): what a workshop's score puts a
 * price on besides staff cost and lost value, how many days each attempt
 * runs, and how fast `play` goes by default. */
struct mdl_workshop {
    double wait_price;             /* money per minute an external customer waits */
    double dissatisfaction_price;  /* money per external customer scoring below 4 */
    unsigned days;                 /* days (runs) per attempt; 0: the scenario's replications */
    double speed;                  /* play: business minutes per second */
};

/* Something the checker found that runs but that the author may not have
 * meant (an internal class no request makes any more), located as an error
 * is. The program prints each once, FILE:LINE:COL: warning: MESSAGE, on
 * stderr; a warning never changes what runs or the exit code. */
struct mdl_warning {
    const char *file;            /* the source's name: the scenario file, --set, --grid */
    int line, col;
    const char *msg;
};

/* What cxsim optimise may change (spec §2d; docs/optimise.md): the head
 * count of each department of `depts` in every interval of interval_dur
 * minutes of the day (on the clock, as day.interval's bins; a steady-state
 * run has one), from staff_min to staff_max; with candidate shifts, a
 * roster of them covering those head counts. The cheapest such staffing
 * meeting every goal, by staff cost or by total cost (staff and lost
 * value). Defaults without an optimise: section: every department on a
 * head count (with shifts: every department), day.interval, 1 to 20. */
enum mdl_objective { MDL_OBJ_STAFF_COST, MDL_OBJ_TOTAL_COST };
/* A candidate shift of a roster (optimise.shifts): people on it work from
 * start_at for length_dur minutes, with one break of break_dur minutes
 * taken when free in a window around the middle of the shift. */
struct mdl_opt_shift {
    double start_at, length_dur, break_dur;
};
struct mdl_optimise {
    size_t ndepts;
    int *depts;                  /* in the scenario's order */
    double interval_dur;         /* whole minutes, 5..1440 */
    long staff_min, staff_max;
    enum mdl_objective objective;
    size_t nshifts;              /* candidate shifts: a roster is built from them (then
                                    departments on shifts may be optimised too); 0: none */
    struct mdl_opt_shift *shifts;
};

struct mdl_scenario {
    const char *name;
    uint64_t seed;
    unsigned replications;
    long max_in_system;          /* customers inside at once before a replication is stopped */
    long max_events;             /* events a replication may handle before it is stopped */
    bool max_events_given;       /* by the file; else derived from expected_events */
    double expected_events;      /* a replication's events, as arrivals and routes lead
                                    one to expect (models/check_classes.c) */
    bool is_day;
    double open_at, close_at;    /* day runs: minutes after midnight */
    double interval_dur;         /* day runs: the by-hour figures' bins, minutes
                                    (day.interval, default 60), on the clock */
    enum mdl_after_close after_close;
    double warmup_dur, length_dur;   /* steady-state runs */
    bool warmup_auto;            /* warmup: auto (the default): warmup_dur is chosen
                                    before the replications (models/warmup.h) */
    bool warmup_at_limit;        /* auto: the waits were still drifting at half the run */

    size_t ndepts, nclasses, nrequests, npools;
    struct mdl_dept *depts;
    struct mdl_pool *pools;
    struct mdl_class *classes;
    struct mdl_request *requests;
    const struct sim_dist **handoff;   /* [ndepts][ndepts]; NULL: no time */
    struct mdl_satisfaction satisfaction;
    struct mdl_workshop workshop;
    struct mdl_optimise optimise;
    size_t nwarnings;            /* in the order found */
    const struct mdl_warning *warnings;
};

/* Frees s and everything it owns (NULL: nothing). */
void mdl_scenario_destroy(struct mdl_scenario *s);

/* Index of the department or class called name, or -1. */
int mdl_scenario_dept(const struct mdl_scenario *s, const char *name);
int mdl_scenario_class(const struct mdl_scenario *s, const char *name);

/* The document tree s was checked from (the file with its overrides
 * applied), for writing the plan back as YAML; it lives as long as s. */
const struct mdl_ynode *mdl_scenario_document(const struct mdl_scenario *s);

#endif
