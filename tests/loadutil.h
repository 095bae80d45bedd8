/* tests/loadutil.h — a scenario read and checked as `cxsim check` does it:
 * the baseline, then its plans read, every variant built and every sweep
 * value checked. The first error wins, as in the program.
 */
#ifndef CXSIM_LOADUTIL_H
#define CXSIM_LOADUTIL_H

#include "models/load.h"
#include "sim/mem.h"
#include "models/plans.h"
#include "models/scenario.h"

#include <stdlib.h>

/* On success *s and *plans are set (the caller destroys plans, then s);
 * on failure both are NULL and err holds the first error. */
static inline int test_load_checked(const char *file, const char *text, size_t len, const char *const *sets,
                                    size_t nsets, struct mdl_scenario **s, struct mdl_plans **plans,
                                    struct sim_err *err)
{
    *plans = NULL;
    if (mdl_load_scenario(file, text, len, sets, nsets, s, err))
        return err->code;
    if (!mdl_plans_read(*s, plans, err)) {
        struct mdl_scenario **variants = sim_xcalloc((*plans)->nvariants + 1, sizeof *variants);
        if (!mdl_plans_build_variants(*plans, variants, err))
            for (size_t v = 0; v < (*plans)->nvariants; v++)
                mdl_scenario_destroy(variants[v]);
        free(variants);
        if (!err->code)
            mdl_plans_check_axes(*plans, err);
    }
    if (err->code) {
        mdl_plans_destroy(*plans);
        mdl_scenario_destroy(*s);
        *plans = NULL;
        *s = NULL;
    }
    return err->code;
}

#endif
