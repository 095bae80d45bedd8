/* models/load.c — parse, override, check: a scenario file as written (see
 * load.h). */
#include "models/load.h"
#include "models/check.h"
#include "models/override.h"
#include "models/ydoc.h"

#include <stdlib.h>

int mdl_load_scenario(const char *file, const char *text, size_t len, const char *const *sets, size_t nsets,
                      struct mdl_scenario **out, struct sim_err *err)
{
    *out = NULL;
    if (len > MDL_SCENARIO_MAX_BYTES) {
        sim_err_set(err, SIM_EDATA, "the file is larger than %zu MiB, the most a scenario may be",
                    MDL_SCENARIO_MAX_BYTES >> 20);
        sim_err_locate(err, file, 1, 1);
        return err->code;
    }
    struct mdl_ydoc *doc = sim_xmalloc(sizeof *doc);
    mdl_ydoc_init(doc);
    struct mdl_ynode *root = NULL;
    if (!mdl_ydoc_parse(doc, file, text, len, &root, err))
        for (size_t k = 0; k < nsets; k++) {
            const char *path = NULL;
            struct mdl_ynode *value = NULL, at = {.line = 0};
            if (mdl_override_parse(doc, MDL_SET_SOURCE, sets[k], k, &path, &value, &at, err) ||
                mdl_override_apply(doc, &root, path, value, &at, doc->arena, err))
                break;
        }
    if (err->code != SIM_OK) {
        mdl_ydoc_fini(doc);
        free(doc);
        return err->code;
    }
    return mdl_check(doc, true, root, NULL, out, err);
}
