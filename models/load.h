/* models/load.h — a scenario file read as written: parsed, its --set
 * overrides applied, checked. The baseline of every command.
 *
 * parse (models/ydoc.h) -> overrides (models/override.h) -> check
 * (models/check.h): the file is read and checked once, and the document it
 * leaves is the one every plan of the file is made from (models/plans.h).
 * Its variants: and sweep: are not read here: a command that runs the
 * baseline alone (run, trace) never builds a plan.
 */
#ifndef MDL_LOAD_H
#define MDL_LOAD_H

#include "models/scenario.h"
#include "sim/err.h"

#include <stddef.h>

/* Text over this many bytes is refused before it is parsed (a reader may
 * stop at MDL_SCENARIO_MAX_BYTES + 1). */
#define MDL_SCENARIO_MAX_BYTES ((size_t)16 << 20)

/* Reads scenario text named `file`, applies the overrides sets[0..nsets)
 * ("PATH=VALUE", VALUE in YAML: a number, a string, a list ...; or
 * "PATH+=N", "PATH-=N", "PATH*=X": models/override.h) in order, each to
 * the result of those before, checks the result and builds *out (with
 * its warnings, scenario.h). On failure returns 65 with the error
 * located at the key or value at fault and *out NULL; an error in override
 * k is located in the source MDL_SET_SOURCE at line k + 1. The caller
 * destroys *out with mdl_scenario_destroy. */
int mdl_load_scenario(const char *file, const char *text, size_t len, const char *const *sets, size_t nsets,
                      struct mdl_scenario **out, struct sim_err *err);

#endif
