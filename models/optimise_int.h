/* models/optimise_int.h — internal to the optimiser (models/optimise*.c):
 * one search's fixed parts, and the evaluation of a staffing on the search
 * days, which the search (optimise.c), the explanation (optimise_why.c)
 * and the roster (optimise_roster.c) share. Not for the program.
 */
#ifndef MDI_OPTIMISE_INT_H
#define MDI_OPTIMISE_INT_H

#include "models/optimise.h"

/* A search's fixed parts. */
struct mdi_opt_search {
    const struct mdl_opt_input *in;
    const struct mdl_opt_config *cfg;
    struct mdl_opt *o;
    size_t nd, nb;
    double *target;           /* [nd] each department's service_target (owned) */
    long lo, hi;
    char interval_set[48];    /* "day.interval=N" (a day), or "" */
    bool classes_aside;       /* the classes' drop-out goals are not requirements (o's) */
};

/* What one evaluation measured: means over the search days, and, when
 * kept (keep > 0 at init), each day's measure of harm (lost value, or
 * the minutes external customers waited when nothing has a value) and
 * staff cost, for paired comparisons. */
struct mdi_opt_eval {
    double *level, *load;     /* [nd * nb] */
    double *drops;            /* [nclasses]: drop-out share */
    bool overloaded;
    double staff_cost, total_cost;
    unsigned keep;
    double *harm, *staff;     /* [keep] or NULL */
};

void mdi_opt_search_init(struct mdi_opt_search *st, const struct mdl_opt_input *in, const struct mdl_opt_config *cfg,
                         struct mdl_opt *o);
void mdi_opt_search_fini(struct mdi_opt_search *st);
void mdi_opt_eval_init(struct mdi_opt_eval *e, const struct mdi_opt_search *st, unsigned keep);
void mdi_opt_eval_fini(struct mdi_opt_eval *e);

/* "HH:MM" of minutes after midnight. */
void mdi_opt_clock(double at, char *buf, size_t len);

/* The override that staffs optimised department d (its index among o's)
 * with head counts x[d * nbins + b]: its staff schedule, or, for a
 * department on shifts, one shift an interval long for each interval
 * (malloc'd). */
char *mdi_opt_heads_set(const struct mdl_opt *o, const struct mdl_scenario *s, size_t d, const long *x);

/* Simulates the scenario with dept_sets (one override per optimised
 * department, NULL: left as it is) on the search days into e; stage is
 * what the progress callback is told. Fails only when the checker refuses
 * a candidate (an internal error: the bounds were checked). */
int mdi_opt_evaluate_sets(struct mdi_opt_search *st, char *const *dept_sets, const char *stage,
                          struct mdi_opt_eval *e, struct sim_err *err);
/* The same with head counts x. */
int mdi_opt_evaluate(struct mdi_opt_search *st, const long *x, const char *stage, struct mdi_opt_eval *e,
                     struct sim_err *err);

/* True when a requirement falls short in e (said in why, of len bytes,
 * when why is not NULL): a day overloaded, an interval's service level
 * below its target, a class's drop-outs above its max_dropout. */
bool mdi_opt_short_of(const struct mdi_opt_search *st, const struct mdi_opt_eval *e, char *why, size_t len);

/* The override that puts department d's roster counts[0..nshifts) in
 * place: the department as written, its staff: or shifts: replaced by the
 * candidates with people on them, breaks staggered (malloc'd; NULL with
 * err set when the department cannot be written). */
char *mdi_opt_roster_set(const struct mdi_opt_search *st, size_t d, const long *counts, struct sim_err *err);

/* The people on duty at each interval's start under roster counts (breaks
 * aside), into st->o->found. */
void mdi_opt_on_duty(struct mdi_opt_search *st, const long *counts);

/* True when roster counts leave department d (among o's) someone at work,
 * and at least staff.min people on duty at each interval's start. */
bool mdi_opt_roster_keeps_minimum(const struct mdi_opt_search *st, const long *counts, size_t d);

/* optimise_roster.c: with candidate shifts, the roster covering o->found
 * (the head counts found) as the first requirement, raised where the
 * simulated roster falls short; fills o->roster, need, shift_count, found
 * (people on duty) and feasible, and e with the roster's evaluation. */
int mdi_opt_roster(struct mdi_opt_search *st, struct mdi_opt_eval *e, struct sim_err *err);
/* One more needed at cell (d * nbins + b), the roster solved again and
 * simulated into e; *raised false when the need is at its bound or the
 * cover fails. */
int mdi_opt_roster_raise(struct mdi_opt_search *st, size_t cell, struct mdi_opt_eval *e, bool *raised,
                         struct sim_err *err);

#endif
