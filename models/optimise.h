/* models/optimise.h — the search of cxsim optimise (spec §2d; the method
 * and its references: docs/optimise.md).
 *
 * What it finds: for each department the scenario's optimise: section may
 * change, a head count for every interval of the day, within the section's
 * bounds, such that on the search's days every *requirement* holds — the
 * service level of the customers who arrived in each interval at least the
 * department's service_target, and each class's drop-out share at most its
 * max_dropout — at the least staff cost (or total cost), as found by:
 *   1. the offered load by interval, measured with every head count at its
 *      maximum (nobody waits for long: the number in service is then the
 *      load, the infinite-server view of the iterative staffing algorithm);
 *   2. a start from square-root staffing of that load (Halfin–Whitt);
 *   3. additions where a requirement is short, all at once, repeated (the
 *      iterative staffing algorithm's fixed-point steps);
 *   4. removals, one interval at a time, kept where every requirement
 *      still holds (and, for total cost, where the total falls).
 * Every evaluation runs the same days (one seed, common random numbers), so
 * two plans differ by their staffing alone and the same seed gives the same
 * answer on any number of threads. The requirements are judged on the
 * search days' means; the goals' verdicts with their confidence (spec §2c)
 * are the caller's, on other days (sim/cli/optimise.c), which may then ask
 * for one more person where a department is weakest (mdl_opt_raise).
 *
 * It changes nothing in the scenario: a plan is the overrides that put its
 * staffing in place (mdl_opt_sets), applied to the scenario's text.
 */
#ifndef MDL_OPTIMISE_H
#define MDL_OPTIMISE_H

#include "models/scenario.h"
#include "sim/err.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The scenario as the program read it: its text and the user's --set
 * overrides, from which every candidate is built, and the scenario they
 * made (its optimise: section says what may change). */
struct mdl_opt_input {
    const char *file, *text;
    size_t len;
    const char *const *sets;
    size_t nsets;
    const struct mdl_scenario *base;
};

struct mdl_opt_config {
    uint64_t seed;
    unsigned reps;            /* days (replications) per evaluation */
    int jobs;                 /* threads, 0: every core */
    /* after each evaluation: how many so far, and the stage's name */
    void (*progress)(void *ctx, size_t evaluated, const char *stage);
    void *ctx;
    /* A store of evaluations (NULL get: none), so that an optimisation
     * started again reads back what it simulated before: get fills
     * v[0..n) and *found when `key` (the plan, as text) was kept; put keeps
     * it. Either returns an exit code with err set on failure. */
    int (*get)(void *store, const char *key, double *v, size_t n, bool *found, struct sim_err *err);
    int (*put)(void *store, const char *key, const double *v, size_t n, struct sim_err *err);
    void *store;
};

/* The result. Arrays by department d (0..ndepts, the optimised ones, in
 * the scenario's order) and interval b: [d * nbins + b]. */
struct mdl_opt {
    size_t ndepts, nbins;
    const int *depts;         /* the scenario's department indices */
    double *from_at, *to_at;  /* [nbins] minutes after midnight; a run: 0 and its length */
    double *load;             /* customers in service with every head count at its maximum */
    long *start;              /* square-root staffing of the load (step 2) */
    long *found;              /* the staffing found */
    long *baseline;           /* the scenario's own head count at each interval's start */
    double *level;            /* the found plan's service level by interval (NaN: nobody arrived) */
    char **roster;            /* [ndepts] with optimise.shifts: each department's roster, an
                                 override of the department (found is then its people on duty
                                 at each interval's start); else NULL */
    long *need;               /* with shifts: the requirement the roster covers [d * nbins + b] */
    long *shift_count;        /* with shifts: people on each candidate [d * nshifts + j] */
    bool feasible;            /* every requirement holds with `found` */
    bool classes_aside;       /* the classes' drop-out goals were left aside: not met even with
                                 every head count at its most (aside says which) */
    char aside[256];
    char why_not[256];        /* when not: the first requirement short at the bounds */
    double staff_cost, total_cost;   /* of `found`, mean per day on the search days */
    size_t evaluated;         /* plans evaluated */
    size_t read_back;         /* of those, read back from the store instead of simulated */
    double days;              /* days simulated, all plans */
};

/* Searches (steps 1-4 above). On failure (a candidate the checker refuses:
 * an internal error, since the bounds were checked) returns its code with
 * err set and *out NULL. A plan that cannot meet every requirement within
 * the bounds is not a failure: feasible is false and found the closest. */
int mdl_optimise(const struct mdl_opt_input *in, const struct mdl_opt_config *cfg, struct mdl_opt **out,
                 struct sim_err *err);

/* One more person in the interval of department `dept` (an index of the
 * scenario; -1: any optimised one) whose service level is furthest below
 * (or least above) its target, among those below the maximum; *raised
 * false when there is none. o's levels and costs are then those of the
 * raised plan, on the search days (one more evaluation). Fails as
 * mdl_optimise does. */
int mdl_opt_raise(struct mdl_opt *o, const struct mdl_opt_input *in, const struct mdl_opt_config *cfg, int dept,
                  bool *raised, struct sim_err *err);

/* The overrides that put o's staffing in place: "departments.NAME.staff=
 * [{at: "HH:MM", count: N}, ...]" (a run: "=N"), one per department, in
 * the scenario s's names. Written into sets[0..o->ndepts) (each malloc'd;
 * the caller frees them). */
void mdl_opt_sets(const struct mdl_opt *o, const struct mdl_scenario *s, char **sets);

void mdl_opt_destroy(struct mdl_opt *o);

/* A candidate near the result, for the final comparison (optimise_change.c):
 * one person more or fewer (change +1 or -1) in department dept (among
 * o's) over intervals from_bin..to_bin (head counts), or on candidate
 * shift `shift` (a roster). */
struct mdl_opt_change {
    bool on_shift;
    size_t dept, from_bin, to_bin, shift;
    int change;
};
/* True when ch keeps every bound: head counts within staff.min and
 * staff.max; a roster with someone at work in the department and at least
 * staff.min on duty at each interval's start. */
bool mdl_opt_change_allowed(const struct mdl_opt *o, const struct mdl_opt_input *in, const struct mdl_opt_config *cfg,
                            const struct mdl_opt_change *ch);
/* The overrides of o's result with ch made (sets[0..o->ndepts), each
 * malloc'd). Fails (70) only when a department cannot be written. */
int mdl_opt_change_sets(const struct mdl_opt *o, const struct mdl_opt_input *in, const struct mdl_opt_config *cfg,
                        const struct mdl_opt_change *ch, char **sets, struct sim_err *err);
/* Makes ch part of o's result (found, or the roster and its people on
 * duty), its levels and costs measured again on the search days. */
int mdl_opt_apply(struct mdl_opt *o, const struct mdl_opt_input *in, const struct mdl_opt_config *cfg,
                  const struct mdl_opt_change *ch, struct sim_err *err);

/* The cheapest cover (models/optimise_roster.c, with GLPK's branch and
 * bound): whole numbers count[j] >= 0 of people on nshifts candidates,
 * minimising the sum of cost[j] count[j], such that in every interval b
 * the sum of cover[j * nbins + b] count[j] is at least need[b] (cover: the
 * share of the interval a person on j is there). *feasible false when no
 * cover exists; fails (70) only if the solver does. */
int mdl_opt_cover(size_t nshifts, size_t nbins, const double *cover, const double *cost, const double *need,
                  long *count, bool *feasible, struct sim_err *err);

/* The window in which a person on candidate sh takes its break, when free:
 * two hours (or the break's length, if longer; or half the shift, if
 * shorter) centred on the middle of the shift, in whole minutes. */
void mdl_opt_break_window(const struct mdl_opt_shift *sh, double *from, double *to);

/* Why (models/optimise_why.c): for staffing x (head counts by o's
 * departments and intervals), one more and one fewer person in each
 * department and interval, simulated on the search days and paired day by
 * day with x. An effect is the change in harm a day — lost value, or the
 * minutes external customers waited when no class has a value — with its
 * 95% interval, and in staff cost. */
struct mdl_opt_effect {
    size_t dept;              /* among o's departments */
    size_t from_bin, to_bin;  /* the stretch of intervals changed, inclusive */
    int change;               /* +1 or -1 person over the stretch */
    double mean, ci_low, ci_high;   /* harm a day: with the change minus without */
    double staff;             /* staff cost a day, the same way */
};
#define MDL_OPT_WHY_MAX 3
struct mdl_opt_why {
    bool valued;              /* the harm is lost value (else minutes waited) */
    size_t nmore, nless;
    struct mdl_opt_effect more[MDL_OPT_WHY_MAX];   /* bottlenecks: one more person there cuts the
                                                      harm clearly, the largest cut first */
    struct mdl_opt_effect less[MDL_OPT_WHY_MAX];   /* slack: one fewer there changes it by
                                                      nothing measurable, the longest first */
};
/* Fills *out (see optimise_why.c for how stretches are chosen); fails as
 * mdl_optimise does. o gives the departments, bins and bounds, and counts
 * the evaluations. */
int mdl_opt_why(struct mdl_opt *o, const struct mdl_opt_input *in, const struct mdl_opt_config *cfg,
                const long *x, struct mdl_opt_why *out, struct sim_err *err);

#endif
