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

/* Applies "PATH = value" to *root by copying the maps along the path into
 * arena (the rest of the tree is shared); a missing last key is added at
 * the position of `at`. Errors are located at `at`. */
int mdl_check_apply_set(struct mdl_yread *r, struct mdl_ynode **root, const char *path, struct mdl_ynode *value,
                        const struct mdl_ynode *at, struct sim_arena *arena);
/* Builds the scenario described by root (a tree of doc); with check_plans,
 * reads and checks its variants and sweep too (plans.c). Reads doc, never
 * writes it, unless check_plans: so plans may be built on any thread. */
int mdl_check_build(struct mdl_ydoc *doc, bool owns_doc, struct mdl_ynode *root, bool check_plans,
                    struct mdl_scenario **out, struct sim_err *err);
/* Reads variants: and sweep: (plans.c). */
int mdl_check_plans(struct mdl_build *b, struct mdl_ydoc *doc);

#endif
