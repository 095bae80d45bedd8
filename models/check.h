/* models/check.h — the checker: a scenario's tree in, its description out.
 *
 * Stage two of three (docs/architecture.md): the document was parsed
 * (models/ydoc.h) and overridden (models/override.h); the checker reads
 * the tree once, refuses the first thing that cannot mean anything, located
 * at the key or value at fault (spec §6), and builds the plain, immutable
 * description of scenario.h. It does not simulate: whether a staffing plan
 * is sensible is the simulation's answer, not an error; it refuses only what
 * cannot mean anything (a route that never reaches exit, a schedule out of
 * order, ...). It reads the document and never writes it, so plans may be
 * checked on any thread. It does not read variants: or sweep: (plans.h).
 */
#ifndef MDL_CHECK_H
#define MDL_CHECK_H

#include "models/scenario.h"
#include "models/ydoc.h"
#include "sim/err.h"
#include "sim/mem.h"

#include <stdbool.h>

/* Checks root, a tree of doc (NULL: an empty document), and builds *out.
 * The scenario takes doc when owns_doc, and tree_arena (the arena of root's
 * overrides, or NULL), success or not: mdl_scenario_destroy frees them. On
 * failure returns 65 with err located and *out NULL. */
int mdl_check(struct mdl_ydoc *doc, bool owns_doc, const struct mdl_ynode *root, struct sim_arena *tree_arena,
              struct mdl_scenario **out, struct sim_err *err);

#endif
