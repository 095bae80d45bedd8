/* output/shell.c — words quoted for a POSIX shell (shell.h). */
#include "output/shell.h"

#include <stdbool.h>
#include <string.h>

/* Appends c, keeping room for the NUL. */
static void put(char *buf, size_t len, size_t *used, char c)
{
    if (*used + 1 < len) {
        buf[(*used)++] = c;
        buf[*used] = '\0';
    }
}

void out_shell_word(char *buf, size_t len, size_t *used, const char *word)
{
    if (len == 0)
        return;
    bool plain = *word != '\0';
    for (const char *p = word; *p && plain; p++)
        plain = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
                strchr("-_./=:,+@%", *p);
    put(buf, len, used, ' ');
    if (!plain)
        put(buf, len, used, '\'');
    for (const char *p = word; *p; p++) {
        if (*p == '\'' && !plain) {
            put(buf, len, used, '\'');
            put(buf, len, used, '\\');
            put(buf, len, used, '\'');
        }
        put(buf, len, used, *p);
    }
    if (!plain)
        put(buf, len, used, '\'');
}
