/* models/yedit.h — a scenario file's own text with the values that changed
 * written in place: what the workshop's save writes.
 *
 * A person who changes a scenario edits its text: the number that changed,
 * and nothing else. So does this: the document (a tree made from the text
 * by overrides, models/override.h) is compared with the text, read again
 * with its positions, and only what differs is rewritten — a scalar that
 * changed where it stood (a comment after it kept in its column), a value
 * whose shape changed (a head count become a schedule) in block style at
 * the indentation around it, a key the overrides added after its siblings.
 * Every other byte stays as it was, comments included.
 *
 * The result is read back and compared with the document; should it
 * differ (an alias whose target changed under it, a string libyaml would
 * read otherwise) the whole document is written anew by mdl_yemit instead,
 * comments lost, and the caller is told. So the text written always reads
 * back as the document. Cost: two parses of the text and one of the result.
 */
#ifndef MDL_YEDIT_H
#define MDL_YEDIT_H

#include "models/ydoc.h"
#include "sim/err.h"

#include <stdbool.h>
#include <stddef.h>

/* Writes root — the document made from `text` (len bytes of YAML) by
 * overrides — as text edited where it differs, after `header` (comment
 * lines, each ending with a newline; NULL: none; a byte-order mark at the
 * start of text is left out), into a new NUL-terminated buffer *out of
 * *outlen bytes (the caller frees it). *in_place is false when the text
 * could not be edited and was written anew (mdl_yemit). Fails (70) only as
 * mdl_yemit does. */
int mdl_yedit(const char *text, size_t len, const struct mdl_ynode *root, const char *header, char **out,
              size_t *outlen, bool *in_place, struct sim_err *err);

/* Whether two trees hold the same document: the same kinds, keys in the
 * same order, scalars of the same text written plain or quoted alike. */
bool mdl_ynode_same(const struct mdl_ynode *a, const struct mdl_ynode *b);

#endif
