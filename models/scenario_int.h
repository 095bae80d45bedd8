/* models/scenario_int.h — internal to models/: what a checked scenario owns
 * beside its public description (scenario.h).
 *
 * A scenario is allocated as a struct mdi_scenario whose first member is
 * the public struct mdl_scenario, so the one converts to the other (the
 * checker fills both; mdl_scenario_destroy frees both). The document may be
 * shared: the plans of a scenario are checked from trees of the baseline's
 * document, which the baseline alone owns, so a plan must not outlive its
 * baseline.
 */
#ifndef MDI_SCENARIO_INT_H
#define MDI_SCENARIO_INT_H

#include "models/scenario.h"
#include "models/ydoc.h"
#include "sim/mem.h"

struct mdi_scenario {
    struct mdl_scenario pub;       /* first: see above */
    struct mdl_ydoc *doc;          /* the document read; freed with s when owns_doc */
    bool owns_doc;
    const struct mdl_ynode *root;  /* the tree checked (the file with overrides applied) */
    struct sim_arena *arena;       /* the description's arrays */
    struct sim_arena *tree_arena;  /* a plan's overrides (path copies), or NULL */
    struct sim_dist **owned;       /* every distribution read, finalised with s */
    size_t nowned, capowned;
};

static inline struct mdi_scenario *mdi_scenario_of(const struct mdl_scenario *s)
{
    return (struct mdi_scenario *)(void *)s;
}

/* A new, empty scenario checked from root of doc. It takes doc (when
 * owns_doc) and tree_arena (when not NULL): mdl_scenario_destroy frees
 * them, whatever happens next. */
struct mdi_scenario *mdi_scenario_create(struct mdl_ydoc *doc, bool owns_doc, const struct mdl_ynode *root,
                                         struct sim_arena *tree_arena);

/* A new distribution owned by s and finalised with it (a constant until
 * read into). */
struct sim_dist *mdi_scenario_new_dist(struct mdi_scenario *s);

#endif
