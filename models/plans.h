/* models/plans.h — the plans of a scenario beside its baseline: variants
 * (cxsim compare) and the sweep's grid (cxsim sweep), spec §2 and §5.
 *
 * A plan is the baseline's document with overrides applied by path copy
 * (models/override.h), then checked like a file (models/check.h): stage
 * three of parse -> check -> build. Reading the plans (mdl_plans_read,
 * mdl_plans_set_grid) reads their names, paths and values and applies each
 * path once, so a mistake in a path is found at once; it checks no plan.
 * Each plan is checked when a command builds it: compare builds every
 * variant once, before running any; check builds every variant and every
 * sweep value once; sweep checks the plans it will run before running any,
 * then builds each again when its turn comes (a grid may hold 100,000 plans:
 * they are not kept).
 *
 * Plans live in the baseline's document: they must not outlive the
 * baseline. Reading writes to the document (path copies), so it happens on
 * one thread; building a grid point only reads it, on any thread.
 */
#ifndef MDL_PLANS_H
#define MDL_PLANS_H

#include "models/scenario.h"
#include "models/ydoc.h"
#include "sim/err.h"

#include <stdint.h>

#define MDL_MAX_AXES 64

struct mdl_variant {
    const char *name;
};

struct mdl_sweep_axis {
    const char *path;            /* as written: a path, or a path and its operator
                                    (departments.sales.staff+=: a relative change) */
    int src, line, col;          /* of its key, where errors of its values point */
    size_t nvalues;
    struct mdl_ynode **values;
};

struct mdl_plans {
    size_t nvariants;
    const struct mdl_variant *variants;
    size_t naxes;
    const struct mdl_sweep_axis *axes;
};

/* Reads the variants: and sweep: of base's document into *out (empty when
 * it has neither). On failure returns 65, located, and *out NULL. The
 * caller destroys *out before base. */
int mdl_plans_read(const struct mdl_scenario *base, struct mdl_plans **out, struct sim_err *err);

/* Replaces the sweep's axes (sweep:, if any) by grid[0..ngrid), each
 * "PATH=VALUES" with VALUES in YAML: a list [1, 2, 3], a range {from: 2,
 * to: 6, step: 1} or one value; "1,2,3" is read as the list [1,2,3]. An
 * error in grid[k] is located in the source MDL_GRID_SOURCE at line k + 1
 * (models/override.h). */
int mdl_plans_set_grid(struct mdl_plans *p, const char *const *grid, size_t ngrid, struct sim_err *err);

/* Builds every variant, in order, into out[0..nvariants) (the caller
 * destroys them). On failure returns 65 for the first that fails, and out
 * holds none. */
int mdl_plans_build_variants(const struct mdl_plans *p, struct mdl_scenario **out, struct sim_err *err);

/* Checks every value of every axis on the baseline alone, in order: a
 * value's mistake is then reported at the value, before any plan runs. */
int mdl_plans_check_axes(const struct mdl_plans *p, struct sim_err *err);

/* Plans of the grid: the product of its axes' lengths, UINT64_MAX when that
 * overflows, 0 without a sweep. Plan k takes value
 * (k / (n_{a+1} ... n_last)) mod n_a of axis a: the last axis turns
 * fastest, as nested loops in file order. */
uint64_t mdl_plans_grid_size(const struct mdl_plans *p);
/* The index of plan k's value on each axis, into idx[0..p->naxes). */
void mdl_plans_grid_point(const struct mdl_plans *p, uint64_t k, size_t *idx);
/* Builds the scenario of plan k (< mdl_plans_grid_size(p)): the baseline
 * with every axis's value of k applied, checked. Safe on any thread. On
 * failure returns 65, located at the value at fault. */
int mdl_plans_grid_build(const struct mdl_plans *p, uint64_t k, struct mdl_scenario **out, struct sim_err *err);
/* Plan k's name, "sales.staff=4, insurance.staff+=1": each axis's path
 * (less a leading departments. or customers.), its operator, and value,
 * into buf. */
const char *mdl_plans_grid_name(const struct mdl_plans *p, uint64_t k, char *buf, size_t len);

/* Frees p (NULL: nothing). */
void mdl_plans_destroy(struct mdl_plans *p);

#endif
