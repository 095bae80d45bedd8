/* models/check.h — internal to the scenario checker (scenario.c, classes.c):
 * the state of one build and the steps the two files share. Not for use
 * outside models/scenario*. */
#ifndef MDL_CHECK_H
#define MDL_CHECK_H

#include "models/scenario.h"
#include "models/yread.h"

struct mdl_build {
    struct mdl_yread r;
    struct mdl_scenario *s;
    const struct mdl_ynode *root;
    const struct mdl_ynode *depts_node, *classes_node, *requests_node;
    const struct mdl_ynode **class_nodes;   /* [nclasses]; NULL for request-only classes */
    const struct mdl_ynode **class_keys_map; /* the map holding each class's key, for locating */
    size_t *class_key_index;
};

/* A new distribution owned by the scenario and finalised with it. Every
 * distribution is read into one of these; the description may hold plain
 * copies (an empirical copy shares its arrays with the owned one). */
struct sim_dist *mdl_check_new_dist(struct mdl_build *b);
/* A schedule: a number (one step at `first_at`) or [{at: "HH:MM", KEY: n}, ...]
 * strictly increasing within the day. */
int mdl_check_schedule(struct mdl_build *b, const struct mdl_ynode *n, const char *what, const char *key,
                       double lo, double hi, bool whole, struct mdl_step **steps, size_t *nsteps);
/* Reads the customer classes (names were collected before). */
int mdl_check_classes(struct mdl_build *b);
/* Checks every class's journeys: services exist where it goes, exit is
 * reachable, staff exist. */
int mdl_check_journeys(struct mdl_build *b);

#endif
