/* models/yemit.h — a document tree written back as YAML, through libyaml's
 * emitter: what cxsim optimise --save writes (the scenario with the
 * staffing found in place).
 *
 * Block style, but a mapping or list that holds only scalars is written
 * in flow style on one line ({at: "09:00", count: 2}); a scalar keeps its
 * quotes when it had them (a time "09:00" stays a string); aliases are
 * written out in full. Comments are not in the tree, so not in the text:
 * the caller says where they are.
 */
#ifndef MDL_YEMIT_H
#define MDL_YEMIT_H

#include "models/ydoc.h"
#include "sim/err.h"

#include <stddef.h>

/* Writes root as one YAML document, after `header` (comment lines, each
 * starting with "# " and ending with a newline; NULL: none), leaving out
 * root's keys named in skip (NULL-terminated; NULL: none), into a new
 * NUL-terminated buffer *out of *len bytes (the caller frees it). Fails
 * (70, internal) only if libyaml refuses an event. */
int mdl_yemit(const struct mdl_ynode *root, const char *header, const char *const *skip, char **out, size_t *len,
              struct sim_err *err);

/* n in flow style on one line ({service: {dist: exponential, mean: 4},
 * capacity: 10}), leaving out the keys of its own mapping named in skip
 * (NULL-terminated; NULL: none), into a new string *out (the caller frees
 * it). What the optimiser writes a department as in an override. */
int mdl_yemit_flow(const struct mdl_ynode *n, const char *const *skip, char **out, struct sim_err *err);

#endif
