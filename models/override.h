/* models/override.h — overrides: PATH=VALUE applied to a document's tree.
 *
 * One parser for every way a value is changed without editing the file:
 * --set on the command line (and the workshop's `set`), --grid axes, and
 * the set: of a variant (already YAML, so only applied). A value is YAML
 * read as if it stood on line k + 1 of a source whose text is the
 * overrides joined by newlines, after its "PATH=": so an error in the k-th
 * override is located at --set:K:COL, and the program prints that line with
 * a caret. A path is keys joined by dots (departments.credit.staff).
 *
 * Applying is a path copy: the maps along the path are copied into the
 * caller's arena and the rest of the tree is shared, so a document read once
 * serves every plan, and plans may be applied on any thread while nothing
 * writes the document.
 */
#ifndef MDL_OVERRIDE_H
#define MDL_OVERRIDE_H

#include "models/ydoc.h"
#include "sim/err.h"
#include "sim/mem.h"

#include <stdbool.h>

#define MDL_SET_SOURCE "--set"
#define MDL_GRID_SOURCE "--grid"

/* Parses override k (from 0) of `source` (MDL_SET_SOURCE or
 * MDL_GRID_SOURCE), "PATH=VALUE", into doc: *path (in doc's arena) and
 * *value, the value's position in *at. For --grid, a plain value with
 * commas ("1,2,3") is the list [1, 2, 3]. On failure returns 65 located in
 * the source (a missing '=', an empty value, a YAML error). */
int mdl_override_parse(struct mdl_ydoc *doc, const char *source, const char *arg, size_t k, const char **path,
                       struct mdl_ynode **value, struct mdl_ynode *at, struct sim_err *err);

/* Applies path = value to *root (a tree of doc) by path copy into arena; a
 * missing last key is added, at the position of `at`. Errors (a path that
 * names nothing, with a suggestion) are located at `at`. */
int mdl_override_apply(const struct mdl_ydoc *doc, struct mdl_ynode **root, const char *path,
                       struct mdl_ynode *value, const struct mdl_ynode *at, struct sim_arena *arena,
                       struct sim_err *err);

#endif
