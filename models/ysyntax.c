/* models/ysyntax.c — libyaml's syntax errors told in the scenario's words.
 *
 * Each kind of mistake libyaml reports in its own words is recognised by
 * what libyaml said, then checked against the text: a tab must stand where
 * libyaml points, a line said to be misaligned must start where the
 * problem is. What the text does not confirm is not explained (ydoc.c then
 * gives libyaml's words), so an explanation is never a guess at the wrong
 * place.
 *
 * Misaligned lines are told against the block structure above them: the
 * text is scanned again, token by token, up to the problem, keeping the
 * latest key or list item ('-') of each open level (a stack of columns, as
 * libyaml keeps its indentation). A line indented between two levels is
 * then "between 'staff' above it (line 4, 4 spaces) and 'desk' (line 3, 2
 * spaces)". Flow collections ([...], {...}) are not levels; quoted and
 * block scalars are single tokens, so text inside them is never mistaken
 * for keys.
 *
 * Cost: one more pass of libyaml's scanner over the text up to the
 * problem, on the error path only; memory bounded (MAX_LEVELS levels).
 */
#include "models/ysyntax.h"

#include "sim/mem.h"

#include <stdio.h>
#include <string.h>
#include <yaml.h>

/* ---- places in the text ------------------------------------------------ */

/* The byte offset of line `line`, column `col` (1-based, columns counting
 * UTF-8 characters, as libyaml's marks do), or len when there is none. */
static size_t offset_of(const char *text, size_t len, int line, int col)
{
    if (line < 1 || col < 1)
        return len;
    size_t i = 0;
    for (int l = 1; l < line; l++) {
        const char *nl = memchr(text + i, '\n', len - i);
        if (!nl)
            return len;
        i = (size_t)(nl - text) + 1;
    }
    for (int c = 1; c < col; c++) {
        if (i >= len || text[i] == '\n')
            return len;
        i++;
        while (i < len && ((unsigned char)text[i] & 0xC0) == 0x80)
            i++;
    }
    return i;
}

static size_t line_start(const char *text, size_t at)
{
    while (at > 0 && text[at - 1] != '\n')
        at--;
    return at;
}

static size_t line_end(const char *text, size_t len, size_t at)
{
    while (at < len && text[at] != '\n' && text[at] != '\r')
        at++;
    return at;
}

/* The 1-based column of the first character at or after offset at that is
 * not a space, on at's line. */
static int first_col(const char *text, size_t len, size_t at)
{
    size_t i = line_start(text, at);
    int col = 1;
    while (i < len && text[i] == ' ') {
        i++;
        col++;
    }
    return col;
}

static bool blank(char c)
{
    return c == ' ' || c == '\t';
}

/* Whether the line from offset at holds a ':' that ends a key (followed
 * by a space, a tab or the end of the line) before any comment. */
static bool holds_colon(const char *text, size_t len, size_t at)
{
    size_t end = line_end(text, len, at);
    for (size_t i = at; i < end; i++) {
        if (text[i] == '#' && (i == at || blank(text[i - 1])))
            return false;
        if (text[i] == ':' && (i + 1 == end || blank(text[i + 1])))
            return true;
    }
    return false;
}

/* ---- the block structure up to a place -------------------------------- */

#define MAX_LEVELS 128
#define NAME_BYTES 40

/* The latest key or list item of one open level of the block structure. */
struct level {
    int line, col;            /* 1-based, of the key or of the '-' */
    bool item;                /* a list item, else a key */
    char name[NAME_BYTES + 1]; /* a key: its text when short and on one line, else "" */
};

struct scan {
    struct level levels[MAX_LEVELS]; /* open levels, their columns increasing */
    size_t n;
    bool deep;                /* more levels than MAX_LEVELS: nothing is told */
    /* the last token before the place, and the one before it */
    yaml_token_type_t last, before;
    int last_line, last_col, last_end_line, last_end_col, before_line;
    bool last_plain;          /* the last token is a plain scalar */
    bool last_words;          /* ... of more than one word: a text that may run on */
    char last_close;          /* what closed the last token, ']', '}', '"' or '\'', else 0 */
};

static void push(struct scan *s, int line, int col, bool item)
{
    while (s->n && s->levels[s->n - 1].col >= col)
        s->n--;
    if (s->n == MAX_LEVELS) {
        s->deep = true;
        return;
    }
    s->levels[s->n++] = (struct level){.line = line, .col = col, .item = item};
}

static void name_top(struct scan *s, const yaml_token_t *t)
{
    const char *v = (const char *)t->data.scalar.value;
    size_t n = t->data.scalar.length;
    if (!s->n || n > NAME_BYTES || memchr(v, '\n', n) || memchr(v, '\0', n))
        return;
    memcpy(s->levels[s->n - 1].name, v, n);
    s->levels[s->n - 1].name[n] = '\0';
}

/* Scans text up to the first token starting at or after (line, col), or up
 * to the scanner's error, whichever comes first. */
static void scan_to(const char *text, size_t len, int line, int col, struct scan *s)
{
    memset(s, 0, sizeof *s);
    s->last = s->before = YAML_NO_TOKEN;
    yaml_parser_t p;
    if (!yaml_parser_initialize(&p))
        sim_oom(sizeof p);
    yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
    int flow = 0;
    bool key = false;         /* the token before was a key of the block structure */
    for (;;) {
        yaml_token_t t;
        if (!yaml_parser_scan(&p, &t))
            break;
        int tl = (int)t.start_mark.line + 1, tc = (int)t.start_mark.column + 1;
        if (t.type == YAML_STREAM_END_TOKEN || tl > line || (tl == line && tc >= col)) {
            yaml_token_delete(&t);
            break;
        }
        switch (t.type) {
        case YAML_FLOW_SEQUENCE_START_TOKEN:
        case YAML_FLOW_MAPPING_START_TOKEN:
            flow++;
            break;
        case YAML_FLOW_SEQUENCE_END_TOKEN:
        case YAML_FLOW_MAPPING_END_TOKEN:
            flow -= flow > 0;
            break;
        case YAML_KEY_TOKEN:
        case YAML_BLOCK_ENTRY_TOKEN:
            if (!flow)
                push(s, tl, tc, t.type == YAML_BLOCK_ENTRY_TOKEN);
            break;
        case YAML_SCALAR_TOKEN:
            if (key)
                name_top(s, &t);
            break;
        default:
            break;
        }
        key = !flow && t.type == YAML_KEY_TOKEN;
        s->before = s->last;
        s->before_line = s->last_line;
        s->last = t.type;
        s->last_line = tl;
        s->last_col = tc;
        s->last_end_line = (int)t.end_mark.line + 1;
        s->last_end_col = (int)t.end_mark.column + 1;
        s->last_plain = t.type == YAML_SCALAR_TOKEN && t.data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
        s->last_words = s->last_plain && memchr(t.data.scalar.value, ' ', t.data.scalar.length);
        s->last_close = t.type == YAML_FLOW_SEQUENCE_END_TOKEN ? ']'
                        : t.type == YAML_FLOW_MAPPING_END_TOKEN ? '}'
                        : t.type != YAML_SCALAR_TOKEN ? 0
                        : t.data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE ? '"'
                        : t.data.scalar.style == YAML_SINGLE_QUOTED_SCALAR_STYLE ? '\''
                                                                                 : 0;
        yaml_token_delete(&t);
    }
    yaml_parser_delete(&p);
}

/* The key whose value the last token is, when that value is a plain
 * scalar begun on the key's line: it may run on over the lines below. */
static const struct level *plain_value_of(const struct scan *s)
{
    if (s->deep || !s->n || s->last != YAML_SCALAR_TOKEN || !s->last_plain || s->before != YAML_VALUE_TOKEN)
        return NULL;
    const struct level *k = &s->levels[s->n - 1];
    return !k->item && k->line == s->before_line && k->line == s->last_line ? k : NULL;
}

/* "'staff'", "the key" or "the list item" */
static const char *what(const struct level *l, char *buf, size_t cap)
{
    if (l->item)
        return "the list item";
    if (!l->name[0])
        return "the key";
    snprintf(buf, cap, "'%s'", l->name);
    return buf;
}

static const char *spaces(int n)
{
    return n == 1 ? "space" : "spaces";
}

/* ---- the mistakes ------------------------------------------------------ */

/* libyaml stopped at the tab at offset at. */
static void tab(const char *text, size_t len, size_t at, char *msg, size_t cap)
{
    size_t start = line_start(text, at), end = line_end(text, len, at), i = at, j = at;
    while (i > start && blank(text[i - 1]))
        i--;
    while (j < end && blank(text[j]))
        j++;
    if (i == start && j == end)
        snprintf(msg, cap, "a tab in the indentation of a blank line: YAML indents with spaces only "
                           "(remove the tab)");
    else if (i == start)
        snprintf(msg, cap, "a tab in the indentation: YAML indents with spaces only "
                           "(replace the tab with spaces)");
    else if (text[i - 1] == '-' && (i - 1 == start || blank(text[i - 2])))
        snprintf(msg, cap, "a tab after a list item's '-': the YAML reader takes only a space there "
                           "(replace the tab with a space)");
    else
        snprintf(msg, cap, "a tab where the YAML reader takes only spaces (replace the tab with a space)");
}

/* Whether the text at offset at is a name followed by ':' and no space
 * ("staff:2"); if so, sets *col to the colon's column. */
static bool colon_without_space(const char *text, size_t len, size_t at, int *col)
{
    size_t end = line_end(text, len, at);
    if (!((text[at] >= 'a' && text[at] <= 'z') || (text[at] >= 'A' && text[at] <= 'Z')))
        return false;
    for (size_t i = at; i + 1 < end && !blank(text[i]); i++)
        if (text[i] == ':' && !blank(text[i + 1])) {
            int c = 1;
            for (size_t k = line_start(text, at); k < i; k++)
                c += ((unsigned char)text[k] & 0xC0) != 0x80;
            *col = c;
            return true;
        }
    return false;
}

/* A line holding a key and no ':' after it, S at (line, col), offset at. */
static void no_colon(const char *text, size_t len, size_t at, int line, int col, char *msg, size_t cap,
                     int *out_line, int *out_col)
{
    *out_line = line;
    *out_col = col;
    if (colon_without_space(text, len, at, out_col))
        snprintf(msg, cap, "no space after this ':': a key is written 'key: value', a colon then a space");
    else
        snprintf(msg, cap, "no ':' on this line: a key is written 'key: value', a colon then a space");
}

/* "mapping values are not allowed in this context": a ':' after a plain
 * text that cannot be a key (it began on an earlier line, or after another
 * key's ':' on this one). */
static bool stray_colon(const char *text, size_t len, const struct mdl_ysyntax *e, char *msg, size_t cap,
                        int *line, int *col)
{
    struct scan s;
    scan_to(text, len, e->line, e->col, &s);
    if (s.deep || s.last != YAML_SCALAR_TOKEN || !s.last_plain || s.last_end_line != e->line ||
        s.last_end_col > e->col)
        return false;
    size_t at = offset_of(text, len, s.last_line, s.last_col);
    if (at >= len)
        return false;
    const struct level *k = plain_value_of(&s);
    char buf[NAME_BYTES + 3];
    if (s.last_line == e->line) {
        /* a: b: c */
        if (s.before != YAML_VALUE_TOKEN || s.before_line != e->line)
            return false;
        snprintf(msg, cap, "a second ': ' on one line: a text holding ': ' is put in quotes, and a mapping "
                           "as a value goes on the lines below its key, indented");
        *line = e->line;
        *col = e->col;
        return true;
    }
    if (k) {
        /* the value of k runs on to this line, which holds a key */
        int fc = first_col(text, len, offset_of(text, len, e->line, 1));
        if (fc > e->col || fc <= k->col)
            return false;
        const char *name = what(k, buf, sizeof buf);
        snprintf(msg, cap, "this line is indented %d %s where %s above it (line %d) is indented %d, so it reads "
                           "as more of the value of %s: keys of one mapping line up",
                 fc - 1, spaces(fc - 1), name, k->line, k->col - 1, k->name[0] ? name : "that key");
        *line = e->line;
        *col = fc;
        return true;
    }
    /* a text on a line of its own, run on to this line: its key's ':' is missing */
    no_colon(text, len, at, s.last_line, s.last_col, msg, cap, line, col);
    size_t used = strlen(msg);
    if (used < cap)
        snprintf(msg + used, cap - used, " (without it, this line and line %d read as one text)", e->line);
    return true;
}

/* "; to continue the value of 'desc' (line 2), indent this line more than
 * desc" when the line at (line, col) may be the rest of a text (it holds no
 * key) begun on the line of a key that it is not indented more than. */
static void continue_hint(const struct scan *s, const char *text, size_t len, size_t at, int line, int col,
                          char *msg, size_t cap)
{
    const struct level *k = plain_value_of(s);
    if (!k || !k->name[0] || !s->last_words || k->col < col || s->last_end_line >= line || text[at] == '-' ||
        holds_colon(text, len, at))
        return;
    size_t used = strlen(msg);
    if (used < cap)
        snprintf(msg + used, cap - used, "; to continue the value of '%s' (line %d), indent this line more than %s",
                 k->name, k->line, k->name);
}

/* "could not find expected ':'": the text at the context's place stands
 * where a key must be, and its line has no ':'. */
static bool missing_colon(const char *text, size_t len, const struct mdl_ysyntax *e, char *msg, size_t cap,
                          int *line, int *col)
{
    size_t at = offset_of(text, len, e->context_line, e->context_col);
    if (at >= len || blank(text[at]) || text[at] == '\n' || text[at] == '\r')
        return false;
    if (holds_colon(text, len, at))
        return false;   /* it has one: some other mistake */
    no_colon(text, len, at, e->context_line, e->context_col, msg, cap, line, col);
    struct scan s;
    scan_to(text, len, e->context_line, e->context_col, &s);
    continue_hint(&s, text, len, at, e->context_line, e->context_col, msg, cap);
    return true;
}

/* The parser's "did not find expected key", "... '-' indicator" or
 * "... <document start>": the line at the problem is not lined up with
 * the level it is in, or a value closed on it is followed by more. */
static bool misaligned(const char *text, size_t len, size_t at, const struct mdl_ysyntax *e, char *msg,
                       size_t cap, int *line, int *col)
{
    struct scan s;
    scan_to(text, len, e->line, e->col, &s);
    if (s.deep)
        return false;
    for (size_t i = line_start(text, at); i < at; i++)
        if (text[i] != ' ') {
            /* the problem is not where its line starts */
            if (!s.last_close || s.last_end_line != e->line || text[at] == '#')
                return false;
            snprintf(msg, cap, "something follows the '%c' that closes the value before it: the next key "
                               "starts a line of its own",
                     s.last_close);
            *line = e->line;
            *col = e->col;
            return true;
        }
    size_t k = 0;
    while (k < s.n && s.levels[k].col <= e->col)
        k++;
    const struct level *inner = k < s.n ? &s.levels[k] : NULL, *outer = k ? &s.levels[k - 1] : NULL;
    bool dash = text[at] == '-' && (at + 1 == len || blank(text[at + 1]) || text[at + 1] == '\n' ||
                                    text[at + 1] == '\r');
    char b1[NAME_BYTES + 3], b2[NAME_BYTES + 3];
    *line = e->line;
    *col = e->col;
    if (outer && outer->col == e->col) {
        if (dash && !outer->item)
            snprintf(msg, cap, "a list item among the keys of a mapping (%s, line %d): a list goes under a key "
                               "of its own, 'key:' then its '- ' lines, indented",
                     what(outer, b1, sizeof b1), outer->line);
        else if (!dash && outer->item)
            snprintf(msg, cap, "this line is lined up with the items of a list (line %d) but does not start "
                               "with '- ' as they do",
                     outer->line);
        else
            return false;
        return true;
    }
    int n = e->col - 1;
    if (!outer) {
        /* the text began indented, and this line less: the file's top level */
        if (!inner || inner != &s.levels[0])
            return false;
        int fc = first_col(text, len, offset_of(text, len, inner->line, 1));
        snprintf(msg, cap, "this line is indented %d %s where line %d below it is indented %d: the top level "
                           "of a file starts at its first column",
                 fc - 1, spaces(fc - 1), e->line, n);
        *line = inner->line;
        *col = fc;
        return true;
    }
    const char *lined = dash ? "items of one list line up" : "keys of one mapping line up";
    if (inner)
        snprintf(msg, cap, "this line is indented %d %s, between %s above it (line %d, %d %s) and %s (line %d, "
                           "%d %s): %s",
                 n, spaces(n), what(inner, b1, sizeof b1), inner->line, inner->col - 1, spaces(inner->col - 1),
                 what(outer, b2, sizeof b2), outer->line, outer->col - 1, spaces(outer->col - 1), lined);
    else
        snprintf(msg, cap, "this line is indented %d %s where %s above it (line %d) is indented %d: %s", n,
                 spaces(n), what(outer, b1, sizeof b1), outer->line, outer->col - 1, lined);
    continue_hint(&s, text, len, at, e->line, e->col, msg, cap);
    return true;
}

bool mdl_ysyntax_explain(const char *text, size_t len, const struct mdl_ysyntax *e, char *msg, size_t cap,
                         int *line, int *col)
{
    const char *problem = e->problem ? e->problem : "";
    size_t at = offset_of(text, len, e->line, e->col);
    char c = at < len ? text[at] : '\0';
    *line = e->line;
    *col = e->col;
    if (e->scanner && c == '\t') {
        tab(text, len, at, msg, cap);
        return true;
    }
    if (e->scanner && (c == '@' || c == '`') && strstr(problem, "cannot start any token")) {
        snprintf(msg, cap, "a value cannot start with '%c' in YAML: put it in quotes", c);
        return true;
    }
    if (e->scanner && c == '-' && strstr(problem, "block sequence entries are not allowed")) {
        size_t i = at;
        while (i > line_start(text, at) && blank(text[i - 1]))
            i--;
        if (i == line_start(text, at) || text[i - 1] != ':')
            return false;
        snprintf(msg, cap, "a list item on its key's line: put each item ('- ') on a line of its own below "
                           "the key, indented, or write the list as [a, b]");
        return true;
    }
    if (e->scanner && c == ':' && strstr(problem, "mapping values are not allowed"))
        return stray_colon(text, len, e, msg, cap, line, col);
    if (e->scanner && strstr(problem, "could not find expected ':'") && e->context &&
        strstr(e->context, "simple key"))
        return missing_colon(text, len, e, msg, cap, line, col);
    if (!e->scanner && at < len &&
        (strstr(problem, "did not find expected key") || strstr(problem, "did not find expected '-'") ||
         strstr(problem, "did not find expected <document start>")))
        return misaligned(text, len, at, e, msg, cap, line, col);
    return false;
}
