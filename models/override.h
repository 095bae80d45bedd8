/* models/override.h — overrides: PATH=VALUE, PATH+=N, PATH-=N, PATH*=X
 * applied to a document's tree (spec §2b, docs/scenario.md).
 *
 * One parser for every way a value is changed without editing the file:
 * --set on the command line (and the workshop's `set`), --grid axes, and
 * the set: of a variant and the keys of sweep: (already YAML, so only
 * applied). A value is YAML read as if it stood on line k + 1 of a source
 * whose text is the overrides joined by newlines, after its "PATH=" (or
 * "PATH+="): so an error in the k-th override is located at --set:K:COL,
 * and the program prints that line with a caret.
 *
 * A path is keys joined by dots (departments.credit.staff); under a list,
 * a step is an item's index from 0 (requests.0.probability). Everywhere an
 * override is named by a key — what mdl_override_parse returns, a set: key,
 * a sweep: key — the key is the path for `=`, and the path followed by its
 * operator for a relative change: "departments.credit.staff+=".
 *
 * A relative change changes every number the path holds, a rule of the
 * value alone, defined once here (changed_numbers in override.c): a number
 * is itself; a list holds its items' numbers; a mapping holds the numbers
 * under its keys `count`, `rate` and `per_hour` (each step of a staff
 * schedule, each rate of an arrival profile, arrivals' per_hour, each
 * shift's count) — never a time (`at`), never anything else. A path whose
 * value holds no such number is refused. The checker then reads the
 * numbers made as any other, saying in its errors which change made them
 * (ydoc.h's mdl_yrel).
 *
 * Applying is a path copy: the maps and lists along the path are copied
 * into the caller's arena and the rest of the tree is shared, so a document
 * read once serves every plan, and plans may be applied on any thread while
 * nothing writes the document.
 */
#ifndef MDL_OVERRIDE_H
#define MDL_OVERRIDE_H

#include "models/ydoc.h"
#include "sim/err.h"
#include "sim/mem.h"

#include <stdbool.h>

#define MDL_SET_SOURCE "--set"
#define MDL_GRID_SOURCE "--grid"

/* The operator a key ends with: '=' for none (the key is a path), or '+',
 * '-' or '*' for "PATH+=", "PATH-=", "PATH*=". *pathlen is the length of
 * the path before it. */
char mdl_override_op(const char *key, size_t *pathlen);

/* Parses override k (from 0) of `source` (MDL_SET_SOURCE or
 * MDL_GRID_SOURCE), "PATH=VALUE" or "PATH+=N" (-=, *=), into doc: *key (in
 * doc's arena; "PATH" or "PATH+=") and *value, the override's position in
 * *at. For --grid, a plain value with commas ("1,2,3") is the list [1, 2,
 * 3]. On failure returns 65 located in the source (a missing '=', an empty
 * value, a YAML error, a value written "*2" that meant *=). */
int mdl_override_parse(struct mdl_ydoc *doc, const char *source, const char *arg, size_t k, const char **key,
                       struct mdl_ynode **value, struct mdl_ynode *at, struct sim_err *err);

/* Applies key's override of value to *root (a tree of doc) by path copy
 * into arena: for "PATH", value replaces what PATH names, and a missing
 * last key is added at the position of `at`; for "PATH+=" (-=, *=), every
 * number PATH holds is changed by value, which must be a number (a factor
 * 0 or more). Errors are located at `at` (a path that names nothing, with a
 * suggestion; an index out of range; a value holding no number) or at the
 * value (not a number; "+1" after '=', which sets 1 where += was meant). */
int mdl_override_apply(const struct mdl_ydoc *doc, struct mdl_ynode **root, const char *key,
                       struct mdl_ynode *value, const struct mdl_ynode *at, struct sim_arena *arena,
                       struct sim_err *err);

#endif
