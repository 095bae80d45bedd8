/* models/check_int.h — internal to models/ (the checker, check*.c): the
 * state of one check and the steps its files share.
 *
 * check.c reads the top of the document and calls the others in order;
 * check_depts.c reads departments, handoffs and requests; check_classes.c
 * reads customer classes and checks their journeys, and check_appointments.c
 * a class's appointment book; check_schedule.c reads a number or a schedule
 * by time of day, which both of them need. None of them calls back into
 * check.c.
 */
#ifndef MDI_CHECK_INT_H
#define MDI_CHECK_INT_H

#include "models/scenario_int.h"
#include "models/yread.h"

struct mdi_check {
    struct mdl_yread r;
    struct mdi_scenario *si;                 /* what is being filled: its storage */
    struct mdl_scenario *s;                  /* and its description (&si->pub) */
    const struct mdl_ynode *root;
    const struct mdl_ynode *depts_node, *classes_node, *requests_node;
    const struct mdl_ynode **class_nodes;    /* [nclasses]; NULL for request-only classes */
    const struct mdl_ynode **class_keys_map; /* the map holding each class's key, for locating */
    size_t *class_key_index;
    struct mdl_warning *warnings;            /* s->warnings, room for capwarnings */
    size_t capwarnings;
};

/* Adds a warning to the scenario (scenario.h), located at a key or node's
 * source, line and column. The first error wins; warnings do not stop the
 * check. */
void mdi_check_warn(struct mdi_check *b, int src, int line, int col, const char *fmt, ...) SIM_PRINTF(5, 6);

/* A schedule: a number (one step at the opening, or at 0 for a run) or
 * [{at: "HH:MM", KEY: n}, ...] strictly increasing within the day, each
 * value in [lo, hi] (whole numbers when `whole`). */
int mdi_check_schedule(struct mdi_check *b, const struct mdl_ynode *n, const char *what, const char *key, double lo,
                       double hi, bool whole, struct mdl_step **steps, size_t *nsteps);

/* check_staff.c: who serves. A crew (a department's own staff, or a
 * pool's) from the map n of its owner (staff: or shifts:, paid_breaks,
 * cost_per_hour; key locates a missing staff); then the pools, which name
 * departments. */
int mdi_check_crew(struct mdi_check *b, const struct mdl_ynode *n, const struct mdl_ypair *key, const char *owner,
                   struct mdl_crew *crew);
int mdi_check_pools(struct mdi_check *b);

/* check_depts.c: departments (staff, service, capacity ...), then handoffs
 * and requests, which name them. */
int mdi_check_departments(struct mdi_check *b);
int mdi_check_handoffs(struct mdi_check *b);
int mdi_check_requests(struct mdi_check *b);

/* check_classes.c: every class (names were collected before), then every
 * journey a class can take: services exist where it goes, exit is
 * reachable, staff exist. */
int mdi_check_classes(struct mdi_check *b);
int mdi_check_journeys(struct mdi_check *b);

/* check_optimise.c: the optimise: section (spec §2d), after the
 * departments and the day it names. */
int mdi_check_optimise(struct mdi_check *b);

/* check_appointments.c: class c's appointment book, the value n of
 * arrivals: {appointments: ...} (a block or a list of blocks); sets
 * c->arrivals, c->appt and c->nappt. */
int mdi_check_appointments(struct mdi_check *b, struct mdl_class *c, const struct mdl_ynode *n);

#endif
