/* sim/err.c — setting and printing the one error type (see err.h).
 *
 * Printing finds the offending line in the source text given by the caller;
 * it never reopens files, so it works for built-in scenarios and for text
 * read from a pipe. Only the program (sim/cli/) calls sim_err_print. Here
 * too is the one rule of what text may reach a reader as it is
 * (sim_err_text_char): what prints errors, echoes input or writes HTML
 * asks it, so no two places disagree on what an escape sequence is.
 */
#include "sim/err.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
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

/* Unicode's Bidi_Control characters, U+061C, U+200E, U+200F,
 * U+202A..U+202E and U+2066..U+2069, from their UTF-8 bytes. */
static bool bidi_control(const unsigned char *p, size_t n)
{
    if (n == 2)
        return p[0] == 0xd8 && p[1] == 0x9c;
    if (n != 3 || p[0] != 0xe2)
        return false;
    return (p[1] == 0x80 && (p[2] == 0x8e || p[2] == 0x8f || (p[2] >= 0xaa && p[2] <= 0xae))) ||
           (p[1] == 0x81 && p[2] >= 0xa6 && p[2] <= 0xa9);
}

size_t sim_err_text_char(const char *s, size_t left, enum sim_err_text *kind)
{
    const unsigned char *p = (const unsigned char *)s;
    unsigned c = p[0];
    *kind = SIM_ERR_TEXT_MALFORMED;
    if (c < 0x80) {
        *kind = c == '\t' || (c >= 0x20 && c != 0x7f) ? SIM_ERR_TEXT_PRINTABLE : SIM_ERR_TEXT_CONTROL;
        return 1;
    }
    size_t n = c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
    if (n == 0 || n > left)
        return 1;
    for (size_t i = 1; i < n; i++)
        if ((p[i] & 0xc0) != 0x80)
            return 1;
    if ((c == 0xe0 && p[1] < 0xa0) || (c == 0xed && p[1] > 0x9f) || (c == 0xf0 && p[1] < 0x90) ||
        (c == 0xf4 && p[1] > 0x8f))
        return 1;
    bool c1 = c == 0xc2 && p[1] < 0xa0;   /* U+0080..U+009F */
    *kind = c1 || bidi_control(p, n) ? SIM_ERR_TEXT_CONTROL : SIM_ERR_TEXT_PRINTABLE;
    return n;
}

/* The length in bytes of the character at p (at most `left` bytes), and
 * whether it may reach a terminal as it is (sim_err_text_char). Everything
 * else (control characters such as an escape sequence's ESC, malformed
 * bytes) prints as one '?' per character. */
static size_t char_len(const unsigned char *p, size_t left, bool *printable)
{
    enum sim_err_text kind;
    size_t n = sim_err_text_char((const char *)p, left, &kind);
    *printable = kind == SIM_ERR_TEXT_PRINTABLE;
    return n;
}

/* The number of characters in s (len bytes), as put_text counts them. */
static size_t text_chars(const char *s, size_t len)
{
    size_t chars = 0;
    bool printable;
    for (size_t i = 0; i < len; chars++)
        i += char_len((const unsigned char *)s + i, len - i, &printable);
    return chars;
}

/* Writes characters [from, to) of s (len bytes): printable characters as
 * they are, any other as '?'. Tabs become spaces unless keep_tabs; line
 * breaks stay when keep_lines (a message's own: "as in\n  variants: ..."). */
static void put_text_lines(FILE *out, const char *s, size_t len, size_t from, size_t to, bool keep_tabs,
                           bool keep_lines)
{
    size_t chars = 0;
    bool printable;
    for (size_t i = 0; i < len && chars < to; chars++) {
        size_t n = char_len((const unsigned char *)s + i, len - i, &printable);
        if (chars >= from) {
            if (s[i] == '\n' && keep_lines)
                fputc('\n', out);
            else if (!printable)
                fputc('?', out);
            else if (s[i] == '\t' && !keep_tabs)
                fputc(' ', out);
            else
                fwrite(s + i, 1, n, out);
        }
        i += n;
    }
}

static void put_text(FILE *out, const char *s, size_t len, size_t from, size_t to, bool keep_tabs)
{
    put_text_lines(out, s, len, from, to, keep_tabs, false);
}

void sim_err_put_text(FILE *out, const char *s)
{
    put_text(out, s, strlen(s), 0, SIZE_MAX, true);
}

/* Lines longer than this many characters are shown as a window around the
 * column: WINDOW_BEFORE characters before it, and up to SHOW_MAX in all. */
enum { SHOW_MAX = 160, WINDOW_BEFORE = 80 };

/* The header "WHERE:LINE:COL: error: MESSAGE" of e. */
static void print_head(const struct sim_err *e, FILE *out, const char *prog)
{
    const char *where = e->file[0] ? e->file : prog;
    put_text(out, where, strlen(where), 0, SIZE_MAX, false);
    if (e->line > 0)
        fprintf(out, ":%d:%d", e->line, e->col > 0 ? e->col : 1);
    fputs(": error: ", out);
    put_text_lines(out, e->msg, strlen(e->msg), 0, SIZE_MAX, false, true);
    fputc('\n', out);
}

/* The line text[0..len) and a caret under e's column. */
static void print_caret(const struct sim_err *e, FILE *out, const char *text, size_t len)
{
    size_t col = e->col > 1 ? (size_t)e->col - 1 : 0;   /* characters before the caret */
    size_t chars = text_chars(text, len), from = 0, to = chars;
    if (chars > SHOW_MAX) {
        from = col > WINDOW_BEFORE ? col - WINDOW_BEFORE : 0;
        to = from + SHOW_MAX < chars ? from + SHOW_MAX : chars;
    }
    fputs(from > 0 ? "..." : "", out);
    put_text(out, text, len, from, to, true);
    fputs(to < chars ? "...\n" : "\n", out);
    /* the caret line: a tab stays a tab so the caret stands under the
     * right character; every other character is one space */
    fputs(from > 0 ? "   " : "", out);
    size_t i = 0;
    bool printable;
    for (size_t c = 0; i < len && c < col; c++) {
        size_t n = char_len((const unsigned char *)text + i, len - i, &printable);
        if (c >= from)
            fputc(text[i] == '\t' ? '\t' : ' ', out);
        i += n;
    }
    fputs("^\n", out);
}

void sim_err_print(const struct sim_err *e, FILE *out, const char *prog,
                   const char *src, size_t src_len)
{
    print_head(e, out, prog);
    size_t len;
    const char *text = e->line > 0 && src ? find_line(src, src_len, e->line, &len) : NULL;
    if (text)
        print_caret(e, out, text, len);
}

void sim_err_print_line(const struct sim_err *e, FILE *out, const char *prog, const char *line, size_t len)
{
    print_head(e, out, prog);
    if (e->line > 0 && line)
        print_caret(e, out, line, len);
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
