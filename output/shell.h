/* output/shell.h — a command for a person to paste: words quoted for a
 * POSIX shell. Used where cxsim tells the command that runs something
 * again (merge's completing sweep, serve's saved plans).
 *
 * The text is cut, never overrun, when buf is too small: *used then
 * reaches len - 1 and the caller can tell.
 */
#ifndef OUT_SHELL_H
#define OUT_SHELL_H

#include <stddef.h>

/* Appends " word" to buf at *used, in single quotes when it holds anything
 * but letters, digits and -_./=:,+@% (a ' inside as '\''). */
void out_shell_word(char *buf, size_t len, size_t *used, const char *word);

#endif
