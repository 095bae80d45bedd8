/* models/ysyntax.h — libyaml's syntax errors told in the scenario's words.
 *
 * Internal to models/ (ydoc.c): nothing else includes it.
 *
 * libyaml says "did not find expected key while parsing a block mapping" on
 * the line after a key without its colon, and "found character that cannot
 * start any token" at a tab that indents a line. Given the text and what
 * libyaml said, mdl_ysyntax_explain says what the mistake is (a tab in the
 * indentation, a line indented between two levels, a missing ':'), at the
 * line and column that caused it. It only explains: the text is refused
 * either way, and a mistake it cannot tell for sure keeps libyaml's words.
 */
#ifndef MDL_YSYNTAX_H
#define MDL_YSYNTAX_H

#include <stdbool.h>
#include <stddef.h>

/* What libyaml said; lines and columns 1-based, columns in characters. */
struct mdl_ysyntax {
    bool scanner;              /* a scanner error (else the parser's) */
    const char *problem;       /* libyaml's problem */
    const char *context;       /* and its context, or NULL */
    int line, col;             /* where libyaml found the problem */
    int context_line, context_col; /* where its context starts (0 if none) */
};

/* Writes into msg (cap bytes) what the mistake is, and sets *line and *col
 * to the place that caused it; returns false, writing nothing, when it is
 * not one of the mistakes it knows. Reads text (len bytes) again with
 * libyaml's scanner as far as the problem: cost linear in the text. */
bool mdl_ysyntax_explain(const char *text, size_t len, const struct mdl_ysyntax *e, char *msg, size_t cap,
                         int *line, int *col);

#endif
