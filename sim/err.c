/* sim/err.c — setting and printing the one error type (see err.h).
 *
 * Printing finds the offending line in the source text given by the caller;
 * it never reopens files, so it works for built-in scenarios and for text
 * read from a pipe. Only sim/main.c calls sim_err_print.
 */
#include "sim/err.h"

#include <stdarg.h>
#include <string.h>

void sim_err_init(struct sim_err *e)
{
    memset(e, 0, sizeof *e);
    e->arg = -1;
}

static int vset(struct sim_err *e, int code, int arg, const char *fmt, va_list ap)
{
    if (e->code != SIM_OK)
        return e->code;
    e->code = code;
    e->arg = arg;
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    return code;
}

int sim_err_set(struct sim_err *e, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = vset(e, code, -1, fmt, ap);
    va_end(ap);
    return rc;
}

int sim_err_set_arg(struct sim_err *e, int code, int arg, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = vset(e, code, arg, fmt, ap);
    va_end(ap);
    return rc;
}

void sim_err_locate(struct sim_err *e, const char *file, int line, int col)
{
    if (e->line > 0)
        return;
    if (file)
        snprintf(e->file, sizeof e->file, "%s", file);
    e->line = line;
    e->col = col;
}

/* Finds line number `line` (1-based) in src; sets *len to its length
 * without the newline. Returns NULL when src has fewer lines. */
static const char *find_line(const char *src, size_t src_len, int line, size_t *len)
{
    const char *p = src, *end = src + src_len;
    for (int n = 1; n < line; n++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl)
            return NULL;
        p = nl + 1;
    }
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    *len = (size_t)((nl ? nl : end) - p);
    if (*len > 0 && p[*len - 1] == '\r')
        (*len)--;
    return p;
}

void sim_err_print(const struct sim_err *e, FILE *out, const char *prog,
                   const char *src, size_t src_len)
{
    if (e->line <= 0) {
        if (e->file[0])
            fprintf(out, "%s: error: %s\n", e->file, e->msg);
        else
            fprintf(out, "%s: error: %s\n", prog, e->msg);
        return;
    }
    fprintf(out, "%s:%d:%d: error: %s\n", e->file[0] ? e->file : prog, e->line,
            e->col > 0 ? e->col : 1, e->msg);
    size_t len;
    const char *text = src ? find_line(src, src_len, e->line, &len) : NULL;
    if (!text)
        return;
    fprintf(out, "%.*s\n", (int)len, text);
    /* Walk col-1 characters: a tab stays a tab, any other character
     * (one UTF-8 sequence, continuation bytes skipped) becomes a space. */
    int chars = 0;
    for (size_t i = 0; i < len && chars < e->col - 1; i++) {
        unsigned char c = (unsigned char)text[i];
        if ((c & 0xC0) == 0x80)
            continue;
        fputc(c == '\t' ? '\t' : ' ', out);
        chars++;
    }
    fputs("^\n", out);
}

/* Edit distance of a and b (both shorter than 64 bytes) counting an
 * insertion, a deletion, a substitution or a swap of two neighbours as one
 * edit (optimal string alignment): "hepl" is one edit from "help". */
static size_t edit_distance(const char *a, size_t la, const char *b, size_t lb)
{
    size_t d[64][64];
    for (size_t i = 0; i <= la; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= la; i++)
        for (size_t j = 1; j <= lb; j++) {
            size_t best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            if (d[i - 1][j] + 1 < best)
                best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best)
                best = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1;
            d[i][j] = best;
        }
    return d[la][lb];
}

const char *sim_err_suggest(const char *word, const char *const *cands, size_t ncands)
{
    size_t lw = strlen(word);
    if (lw == 0 || lw > 63)
        return NULL;
    size_t limit = lw / 3 > 1 ? lw / 3 : 1;
    const char *best = NULL;
    size_t best_d = limit + 1;
    for (size_t i = 0; i < ncands; i++) {
        size_t lc = strlen(cands[i]);
        if (lc > 63)
            continue;
        size_t d = edit_distance(word, lw, cands[i], lc);
        if (d < best_d) {
            best_d = d;
            best = cands[i];
        }
    }
    return best;
}
