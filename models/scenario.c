/* models/scenario.c — a scenario's storage: made empty for the checker,
 * freed whole, and looked up by name (scenario.h, scenario_int.h).
 *
 * It reads and checks nothing (models/check.c does), so every stage above
 * may use it and it uses none of them.
 */
#include "models/scenario_int.h"

#include <stdlib.h>
#include <string.h>

struct mdi_scenario *mdi_scenario_create(struct mdl_ydoc *doc, bool owns_doc, const struct mdl_ynode *root,
                                         struct sim_arena *tree_arena)
{
    struct mdi_scenario *s = sim_xcalloc(1, sizeof *s);
    s->doc = doc;
    s->owns_doc = owns_doc;
    s->root = root;
    s->tree_arena = tree_arena;
    s->arena = sim_arena_create(16 * 1024);
    return s;
}

struct sim_dist *mdi_scenario_new_dist(struct mdi_scenario *s)
{
    if (s->nowned == s->capowned) {
        s->capowned = s->capowned ? 2 * s->capowned : 32;
        s->owned = sim_xreallocarray(s->owned, s->capowned, sizeof *s->owned);
    }
    struct sim_dist *d = sim_arena_alloc(s->arena, sizeof *d);
    d->kind = SIM_DIST_CONSTANT;   /* fini-safe until built */
    s->owned[s->nowned++] = d;
    return d;
}

void mdl_scenario_destroy(struct mdl_scenario *pub)
{
    if (!pub)
        return;
    struct mdi_scenario *s = mdi_scenario_of(pub);
    for (size_t i = 0; i < s->nowned; i++)
        sim_dist_fini(s->owned[i]);
    free(s->owned);
    sim_arena_destroy(s->arena);
    if (s->tree_arena)
        sim_arena_destroy(s->tree_arena);
    if (s->owns_doc) {
        mdl_ydoc_fini(s->doc);
        free(s->doc);
    }
    free(s);
}

int mdl_scenario_dept(const struct mdl_scenario *s, const char *name)
{
    for (size_t d = 0; d < s->ndepts; d++)
        if (s->depts[d].name && !strcmp(s->depts[d].name, name))
            return (int)d;
    return -1;
}

int mdl_scenario_class(const struct mdl_scenario *s, const char *name)
{
    for (size_t c = 0; c < s->nclasses; c++)
        if (s->classes[c].name && !strcmp(s->classes[c].name, name))
            return (int)c;
    return -1;
}

const struct mdl_ynode *mdl_scenario_document(const struct mdl_scenario *s)
{
    return mdi_scenario_of(s)->root;
}
