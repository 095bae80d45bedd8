/* models/scenario.h — a business, as a scenario file describes it (spec §2).
 *
 * mdl_scenario_load reads a scenario (YAML text plus --set overrides), checks
 * everything, and builds this plain, immutable description: departments,
 * customer classes, routes, handoffs, requests, satisfaction weights. All
 * replications (and threads) share one. Every refusal is located at the key
 * or value at fault (spec §6), and the first is reported.
 *
 * Conventions: departments and classes are numbered in file order; a route
 * destination is a department index or MDL_EXIT; times of day are minutes
 * after midnight; rates are per minute inside (per_hour in the file).
 *
 * The checker does not simulate: whether a staffing plan is sensible is the
 * simulation's answer, not an error. It refuses only what cannot mean
 * anything (a route that never reaches exit, a schedule out of order, ...).
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
#define MDL_MAX_REPLICATIONS 1000000
/* max_in_system: customers inside at once beyond which a replication is
 * stopped as overloaded; its default and its largest value */
#define MDL_DEFAULT_MAX_IN_SYSTEM 100000
#define MDL_MAX_IN_SYSTEM 10000000
#define MDL_MAX_AXES 64

enum mdl_discipline { MDL_FIFO, MDL_PRIORITY };
enum mdl_after_close { MDL_SERVE, MDL_LEAVE };
enum mdl_arrivals { MDL_ARR_NONE, MDL_ARR_POISSON, MDL_ARR_PROFILE, MDL_ARR_RENEWAL };

struct mdl_step {        /* from time of day `at` on, `value` holds */
    double at;
    double value;        /* staff count, or arrivals per minute */
};

struct mdl_dept {
    const char *name;
    size_t nstaff;               /* staff schedule steps (1 for a plain number) */
    struct mdl_step *staff;      /* steady-state runs: one step at 0 */
    const struct sim_dist **service;   /* [nclasses]: each class's service time (NULL: never served here) */
    long capacity;               /* waiting places, or MDL_UNLIMITED */
    enum mdl_discipline discipline;
    double target_wait, service_target, quality, cost_per_hour;
};

struct mdl_class {
    const char *name;
    bool internal;
    enum mdl_arrivals arrivals;
    double rate;                 /* MDL_ARR_POISSON: per minute */
    size_t nprofile;             /* MDL_ARR_PROFILE: steps, rate per minute */
    struct mdl_step *profile;
    struct sim_dist interarrival;        /* MDL_ARR_RENEWAL */
    double *enter;               /* [ndepts] probabilities (all 0 without arrivals) */
    double *route;               /* [ndepts][ndepts + 1]: row d, column e < ndepts a department,
                                    column ndepts exit; a department without a row exits */
    bool has_patience;
    struct sim_dist patience;
    long balk_at;                /* or MDL_UNLIMITED */
    int priority;
    double value;
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

struct mdl_variant {
    const char *name;
    struct mdl_ynode *root;      /* the scenario with this variant's `set:` applied */
};

struct mdl_sweep_axis {
    const char *path;
    int src, line, col;          /* of its key, where errors of its values point */
    size_t nvalues;
    struct mdl_ynode **values;
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

struct mdl_scenario {
    const char *name;
    uint64_t seed;
    unsigned replications;
    long max_in_system;          /* customers inside at once before a replication is stopped */
    bool is_day;
    double open_at, close_at;    /* day runs: minutes after midnight */
    enum mdl_after_close after_close;
    double warmup_dur, length_dur;   /* steady-state runs */

    size_t ndepts, nclasses, nrequests;
    struct mdl_dept *depts;
    struct mdl_class *classes;
    struct mdl_request *requests;
    const struct sim_dist **handoff;   /* [ndepts][ndepts]; NULL: no time */
    struct mdl_satisfaction satisfaction;
    struct mdl_workshop workshop;

    size_t nvariants;
    struct mdl_variant *variants;
    size_t naxes;
    struct mdl_sweep_axis *axes;

    /* private: the document the scenario was read from (shared by the
     * scenarios derived from it), and the distributions to fini */
    struct mdl_ydoc *doc;
    bool owns_doc;
    struct sim_arena *arena;     /* the arrays above */
    struct sim_arena *tree_arena; /* a grid point's overrides (path copies), or NULL */
    struct mdl_ynode *root;
    struct sim_dist **owned;
    size_t nowned, capowned;
};

/* Reads scenario text named `file`, applies the overrides sets[0..nsets)
 * ("PATH=VALUE", VALUE in YAML: a number, a string, a list ...) in order,
 * checks the result and builds *out. On failure returns 65 with the error
 * located at the key or value at fault and *out NULL. An error in override k
 * is located in the source named MDL_SET_SOURCE, at line k + 1: the text of
 * that source is the overrides joined by newlines. The caller destroys *out
 * with mdl_scenario_destroy. Text over MDL_SCENARIO_MAX_BYTES is refused
 * before it is parsed (a reader may stop at MDL_SCENARIO_MAX_BYTES + 1). */
#define MDL_SET_SOURCE "--set"
#define MDL_SCENARIO_MAX_BYTES ((size_t)16 << 20)
int mdl_scenario_load(const char *file, const char *text, size_t len, const char *const *sets,
                      size_t nsets, struct mdl_scenario **out, struct sim_err *err);

/* Builds the scenario of variant v (0 <= v < s->nvariants): s's document
 * with the variant's `set:` applied, checked like a file. */
int mdl_scenario_variant(const struct mdl_scenario *s, size_t v, struct mdl_scenario **out,
                         struct sim_err *err);

/* Replaces s's sweep axes (its sweep:, if any) by grid[0..ngrid), each
 * "PATH=VALUES" with VALUES in YAML: a list [1, 2, 3], a range {from: 2,
 * to: 6, step: 1} or one value; "1,2,3" is read as the list [1,2,3]. Every
 * value is checked as sweep: values are. An error in grid[k] is located in
 * the source MDL_GRID_SOURCE at line k + 1 (the text of that source is the
 * axes joined by newlines). */
#define MDL_GRID_SOURCE "--grid"
int mdl_scenario_set_grid(struct mdl_scenario *s, const char *const *grid, size_t ngrid, struct sim_err *err);

/* Plans of s's sweep: the product of its axes' lengths, UINT64_MAX when
 * that overflows, 0 without a sweep. Plan p takes value
 * (p / (n_{a+1} ... n_last)) mod n_a of axis a: the last axis turns fastest,
 * as nested loops in file order. */
uint64_t mdl_scenario_grid_size(const struct mdl_scenario *s);
/* The index of plan p's value on each axis, into idx[0..s->naxes). */
void mdl_scenario_grid_point(const struct mdl_scenario *s, uint64_t p, size_t *idx);
/* Builds the scenario of plan p (< mdl_scenario_grid_size(s)): s with every
 * axis's value of p applied, checked. Safe on any thread while s lives:
 * it only reads s. On failure returns 65, located at the value at fault. */
int mdl_scenario_grid_build(const struct mdl_scenario *s, uint64_t p, struct mdl_scenario **out,
                            struct sim_err *err);
/* Plan p's name, "sales.staff=4, insurance.staff=2": each axis's path (less
 * a leading departments. or customers.) and value, into buf. */
const char *mdl_scenario_grid_name(const struct mdl_scenario *s, uint64_t p, char *buf, size_t len);

void mdl_scenario_destroy(struct mdl_scenario *s);

/* Index of the department or class called name, or -1. */
int mdl_scenario_dept(const struct mdl_scenario *s, const char *name);
int mdl_scenario_class(const struct mdl_scenario *s, const char *name);

#endif
