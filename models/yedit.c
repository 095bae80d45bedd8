/* models/yedit.c — a document's own text edited where the document
 * differs from it (see yedit.h).
 *
 * The text is read again through libyaml's events into spans: each node's
 * bytes [start, end) in the text, its column, a scalar's value, a
 * collection's children (a block collection ends where its last child
 * does: libyaml's end mark of a block collection lies past the comments
 * after it). The document and the spans are then walked together and
 * every difference becomes an edit, a byte range and its new text, made in
 * the walk's order, which is the text's; the text is copied with the edits
 * applied. libyaml's marks count characters, not bytes: a cursor walks the
 * UTF-8 text forward to turn one into the other.
 */
#include "models/yedit.h"
#include "models/yemit.h"
#include "sim/mem.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#define LINE_WIDTH 100   /* a flow value replaced by a longer one stays flow up to this column */

struct span {
    enum mdl_ykind kind;
    bool in_flow;              /* inside a flow collection */
    bool flow;                 /* a flow collection: [..] or {..} */
    bool alias, anchored;
    const struct span *target; /* an alias: the node it names */
    size_t start, end;         /* bytes of the text */
    size_t col;                /* characters from the line's start */
    char *value;               /* a scalar's */
    bool plain;
    size_t n;
    struct span **kids;        /* a map's values, a list's items */
    char **keys;               /* a map's */
    size_t *key_end;           /* the byte after each key */
    size_t *key_col;
};

/* ---- reading the text into spans --------------------------------------- */

struct anchor {
    char *name;
    const struct span *node;
};

struct reader {
    yaml_parser_t parser;
    const char *text;
    size_t len, base;          /* base: bytes of a byte-order mark */
    size_t at_char, at_byte;   /* the cursor */
    struct anchor *anchors;
    size_t nanchors, capanchors;
    bool failed;
};

/* The byte of text at character index `index` (after the mark). */
static size_t byte_at(struct reader *r, size_t index)
{
    if (index < r->at_char) {
        r->at_char = 0;
        r->at_byte = r->base;
    }
    while (r->at_char < index && r->at_byte < r->len) {
        unsigned char c = (unsigned char)r->text[r->at_byte];
        size_t n = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
        r->at_byte += n < r->len - r->at_byte ? n : r->len - r->at_byte;
        r->at_char++;
    }
    return r->at_byte;
}

static struct span *new_span(enum mdl_ykind kind, bool in_flow)
{
    struct span *s = sim_xcalloc(1, sizeof *s);
    s->kind = kind;
    s->in_flow = in_flow;
    return s;
}

static void free_span(struct span *s)
{
    if (!s || s->alias) {
        free(s);
        return;
    }
    for (size_t i = 0; i < s->n; i++) {
        free_span(s->kids[i]);
        if (s->keys)
            free(s->keys[i]);
    }
    free(s->kids);
    free(s->keys);
    free(s->key_end);
    free(s->key_col);
    free(s->value);
    free(s);
}

static void anchor(struct reader *r, const yaml_char_t *name, const struct span *s)
{
    if (!name)
        return;
    if (r->nanchors == r->capanchors) {
        r->capanchors = 2 * r->capanchors + 8;
        r->anchors = sim_xreallocarray(r->anchors, r->capanchors, sizeof *r->anchors);
    }
    r->anchors[r->nanchors++] = (struct anchor){sim_xstrdup((const char *)name), s};
}

static struct span *node(struct reader *r, yaml_event_t *ev, bool in_flow, int depth);

/* The children of a collection whose start event was ev, up to its end. */
static struct span *collection(struct reader *r, yaml_event_t *ev, bool in_flow, int depth)
{
    bool map = ev->type == YAML_MAPPING_START_EVENT;
    struct span *s = new_span(map ? MDL_Y_MAP : MDL_Y_SEQ, in_flow);
    s->flow = map ? ev->data.mapping_start.style == YAML_FLOW_MAPPING_STYLE
                  : ev->data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE;
    s->start = byte_at(r, ev->start_mark.index);
    s->col = ev->start_mark.column;
    anchor(r, map ? ev->data.mapping_start.anchor : ev->data.sequence_start.anchor, s);
    s->anchored = (map ? ev->data.mapping_start.anchor : ev->data.sequence_start.anchor) != NULL;
    size_t cap = 0;
    for (;;) {
        yaml_event_t kid;
        if (!yaml_parser_parse(&r->parser, &kid)) {
            r->failed = true;
            return s;
        }
        if (kid.type == YAML_MAPPING_END_EVENT || kid.type == YAML_SEQUENCE_END_EVENT) {
            s->end = s->flow || !s->n ? byte_at(r, kid.end_mark.index) : s->kids[s->n - 1]->end;
            yaml_event_delete(&kid);
            return s;
        }
        if (s->n == cap) {
            cap = 2 * cap + 4;
            s->kids = sim_xreallocarray(s->kids, cap, sizeof *s->kids);
            if (map) {
                s->keys = sim_xreallocarray(s->keys, cap, sizeof *s->keys);
                s->key_end = sim_xreallocarray(s->key_end, cap, sizeof *s->key_end);
                s->key_col = sim_xreallocarray(s->key_col, cap, sizeof *s->key_col);
            }
        }
        if (map) {
            /* a key: a scalar (ydoc refuses any other) */
            if (kid.type != YAML_SCALAR_EVENT) {
                r->failed = true;
                yaml_event_delete(&kid);
                return s;
            }
            s->keys[s->n] = sim_xstrdup((const char *)kid.data.scalar.value);
            s->key_end[s->n] = byte_at(r, kid.end_mark.index);
            s->key_col[s->n] = kid.start_mark.column;
            yaml_event_delete(&kid);
            if (!yaml_parser_parse(&r->parser, &kid)) {
                free(s->keys[s->n]);
                r->failed = true;
                return s;
            }
        }
        s->kids[s->n] = node(r, &kid, in_flow || s->flow, depth + 1);
        yaml_event_delete(&kid);
        s->n++;
        if (r->failed)
            return s;
    }
}

/* The node whose first event is ev. */
static struct span *node(struct reader *r, yaml_event_t *ev, bool in_flow, int depth)
{
    if (depth > MDL_YDOC_MAX_DEPTH) {
        r->failed = true;
        return new_span(MDL_Y_SCALAR, in_flow);
    }
    switch (ev->type) {
    case YAML_SCALAR_EVENT: {
        struct span *s = new_span(MDL_Y_SCALAR, in_flow);
        s->start = byte_at(r, ev->start_mark.index);
        s->end = byte_at(r, ev->end_mark.index);
        while (s->end > s->start && strchr(" \t\r\n", r->text[s->end - 1]))   /* a block scalar's last break */
            s->end--;
        s->col = ev->start_mark.column;
        s->value = sim_xstrdup((const char *)ev->data.scalar.value);
        s->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
        s->anchored = ev->data.scalar.anchor != NULL;
        anchor(r, ev->data.scalar.anchor, s);
        return s;
    }
    case YAML_ALIAS_EVENT: {
        struct span *s = new_span(MDL_Y_SCALAR, in_flow);
        s->alias = true;
        s->start = byte_at(r, ev->start_mark.index);
        s->end = byte_at(r, ev->end_mark.index);
        s->col = ev->start_mark.column;
        for (size_t i = r->nanchors; i-- > 0 && !s->target;)
            if (!strcmp(r->anchors[i].name, (const char *)ev->data.alias.anchor))
                s->target = r->anchors[i].node;
        if (!s->target)
            r->failed = true;
        else
            s->kind = s->target->kind;
        return s;
    }
    case YAML_MAPPING_START_EVENT:
    case YAML_SEQUENCE_START_EVENT:
        return collection(r, ev, in_flow, depth);
    default:
        r->failed = true;
        return new_span(MDL_Y_SCALAR, in_flow);
    }
}

/* The text's spans, or NULL when libyaml reads it otherwise than ydoc did. */
static struct span *read_spans(const char *text, size_t len)
{
    struct reader r = {.text = text, .len = len};
    if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3))
        r.base = r.at_byte = 3;
    if (!yaml_parser_initialize(&r.parser))
        return NULL;
    yaml_parser_set_input_string(&r.parser, (const unsigned char *)text, len);   /* (a mark it detects counts no character) */
    struct span *root = NULL;
    yaml_event_t ev;
    while (!r.failed && yaml_parser_parse(&r.parser, &ev)) {
        yaml_event_type_t type = ev.type;
        if (type == YAML_MAPPING_START_EVENT || type == YAML_SEQUENCE_START_EVENT || type == YAML_SCALAR_EVENT ||
            type == YAML_ALIAS_EVENT) {
            if (root)
                r.failed = true;   /* one document, one node */
            else
                root = node(&r, &ev, false, 0);
        }
        yaml_event_delete(&ev);
        if (type == YAML_STREAM_END_EVENT)
            break;
        if (type == YAML_DOCUMENT_END_EVENT && !root)
            r.failed = true;
    }
    if (r.parser.error != YAML_NO_ERROR)
        r.failed = true;
    yaml_parser_delete(&r.parser);
    for (size_t i = 0; i < r.nanchors; i++)
        free(r.anchors[i].name);
    free(r.anchors);
    if (r.failed) {
        free_span(root);
        return NULL;
    }
    return root;
}

/* ---- comparing --------------------------------------------------------- */

bool mdl_ynode_same(const struct mdl_ynode *a, const struct mdl_ynode *b)
{
    if (a == b)
        return true;
    if (!a || !b || a->kind != b->kind || a->n != b->n)
        return false;
    if (a->kind == MDL_Y_SCALAR)
        return a->plain == b->plain && !strcmp(a->text, b->text);
    for (size_t i = 0; i < a->n; i++) {
        if (a->kind == MDL_Y_MAP && (strcmp(a->pairs[i].key, b->pairs[i].key) ||
                                     !mdl_ynode_same(a->pairs[i].value, b->pairs[i].value)))
            return false;
        if (a->kind == MDL_Y_SEQ && !mdl_ynode_same(a->items[i], b->items[i]))
            return false;
    }
    return true;
}

/* Whether node f holds what span s does. */
static bool same(const struct mdl_ynode *f, const struct span *s)
{
    while (s->alias)
        s = s->target;
    if (f->kind != s->kind || f->n != s->n)
        return false;
    if (f->kind == MDL_Y_SCALAR)
        return f->plain == s->plain && !strcmp(f->text, s->value);
    for (size_t i = 0; i < f->n; i++) {
        if (f->kind == MDL_Y_MAP && (strcmp(f->pairs[i].key, s->keys[i]) || !same(f->pairs[i].value, s->kids[i])))
            return false;
        if (f->kind == MDL_Y_SEQ && !same(f->items[i], s->kids[i]))
            return false;
    }
    return true;
}

/* ---- text -------------------------------------------------------------- */

struct buf {
    char *data;
    size_t len, cap;
};

static void put(struct buf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        b->cap = 2 * (b->len + n + 1);
        b->data = sim_xrealloc(b->data, b->cap);
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

static void puts_(struct buf *b, const char *s)
{
    put(b, s, strlen(s));
}

static void spaces(struct buf *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        put(b, " ", 1);
}

/* Whether text may stand as a plain scalar and be read back the same, in
 * a flow collection or not; the checks err on the side of quotes. */
static bool plain_ok(const char *t, bool in_flow)
{
    size_t n = strlen(t);
    if (!n || t[0] == ' ' || t[n - 1] == ' ' || t[n - 1] == ':')
        return false;
    if (strchr("?:-", t[0]) ? n == 1 || t[1] == ' ' : strchr(",[]{}#&*!|>'\"%@`", t[0]) != NULL)
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)t[i];
        if (c < 0x20 || c == 0x7f || (in_flow && strchr(",[]{}", c)))
            return false;
        if ((c == ':' && (t[i + 1] == ' ' || (in_flow && t[i + 1] && strchr(",[]{}", t[i + 1])))) ||
            (c == '#' && i > 0 && t[i - 1] == ' '))
            return false;
    }
    return true;
}

/* A scalar as YAML text: plain when it was and may be, else double-quoted. */
static void scalar_text(struct buf *b, const char *t, bool plain, bool in_flow)
{
    if (plain && plain_ok(t, in_flow)) {
        puts_(b, t);
        return;
    }
    put(b, "\"", 1);
    for (const unsigned char *p = (const unsigned char *)t; *p; p++) {
        char esc[8];
        if (*p == '"' || *p == '\\') {
            esc[0] = '\\', esc[1] = (char)*p, esc[2] = '\0';
        } else if (*p == '\n') {
            strcpy(esc, "\\n");
        } else if (*p == '\t') {
            strcpy(esc, "\\t");
        } else if (*p < 0x20 || *p == 0x7f) {
            snprintf(esc, sizeof esc, "\\x%02X", *p);
        } else {
            esc[0] = (char)*p, esc[1] = '\0';
        }
        puts_(b, esc);
    }
    put(b, "\"", 1);
}

/* n in flow style on one line, into b; false when the emitter refused. */
static bool flow_text(struct buf *b, const struct mdl_ynode *n, bool in_flow)
{
    if (n->kind == MDL_Y_SCALAR) {
        scalar_text(b, n->text, n->plain, in_flow);
        return true;
    }
    char *out = NULL;
    struct sim_err err;
    sim_err_init(&err);
    if (mdl_yemit_flow(n, NULL, &out, &err))
        return false;
    puts_(b, out);
    free(out);
    return true;
}

static bool one_line(const struct mdl_ynode *n);

/* n in block style, its first line where the text stands (the caller
 * has indented it, or written "- " or "key: " before it), each other line
 * after `eol` and `indent` spaces, deeper ones two more; a collection of
 * scalars alone on one line, in flow style ({at: "09:00", count: 2}); no
 * end of line after the last. Lists under a key are indented, as in the
 * scenario files. */
static bool block_of(struct buf *b, const struct mdl_ynode *n, size_t indent, const char *eol, bool whole)
{
    if (!whole && one_line(n))
        return flow_text(b, n, false);
    for (size_t i = 0; i < n->n; i++) {
        if (i) {
            puts_(b, eol);
            spaces(b, indent);
        }
        if (n->kind == MDL_Y_SEQ) {
            put(b, "- ", 2);
            if (!block_of(b, n->items[i], indent + 2, eol, false))
                return false;
            continue;
        }
        scalar_text(b, n->pairs[i].key, true, false);
        put(b, ":", 1);
        const struct mdl_ynode *v = n->pairs[i].value;
        if (one_line(v)) {
            put(b, " ", 1);
            if (!flow_text(b, v, false))
                return false;
        } else {
            puts_(b, eol);
            spaces(b, indent + 2);
            if (!block_of(b, v, indent + 2, eol, false))
                return false;
        }
    }
    return true;
}

static bool block_text(struct buf *b, const struct mdl_ynode *n, size_t indent, const char *eol)
{
    return block_of(b, n, indent, eol, false);
}

/* Whether n takes one line: a scalar, or a few scalars in flow style. */
static bool one_line(const struct mdl_ynode *n)
{
    if (n->kind == MDL_Y_SCALAR || n->n == 0)
        return true;
    if (n->n > 8)
        return false;
    for (size_t i = 0; i < n->n; i++) {
        const struct mdl_ynode *c = n->kind == MDL_Y_MAP ? n->pairs[i].value : n->items[i];
        if (c->kind != MDL_Y_SCALAR)
            return false;
    }
    return true;
}

/* ---- the edits --------------------------------------------------------- */

struct edit {
    size_t start, end;   /* the bytes replaced (start == end: an insertion) */
    size_t seq;          /* the order made (0: a line's note, before any other insertion there) */
    char *text;
};

/* Where a node stands: as a map's value (after its key), a list's item,
 * or the document. */
enum place { AT_ROOT, AT_VALUE, AT_ITEM };

/* Characters of the n bytes at s (UTF-8). */
static size_t columns(const char *s, size_t n)
{
    size_t cols = 0;
    for (size_t i = 0; i < n; i++)
        cols += ((unsigned char)s[i] & 0xC0) != 0x80;
    return cols;
}

/* A line on which a value was replaced: its comment keeps its column, and
 * it says what the value was, "# was 3" ("# count was 3, rate was 2" when
 * the line holds more). */
struct note {
    size_t at;           /* a byte of the line */
    const char *key;     /* the value's key, or NULL (a list's item) */
    bool named;          /* said with its key: it stands in a flow collection */
    size_t was, was_len; /* the value as the text had it (was_len 0: not said) */
};

struct editor {
    const char *text;
    size_t len;
    const char *eol;   /* the text's end of line: "\n" or "\r\n" */
    struct edit *edits;
    size_t n, cap;
    struct note *notes;
    size_t nnotes, capnotes;
    bool failed;
};

static void edit_seq(struct editor *e, size_t start, size_t end, struct buf *b, size_t seq)
{
    if (e->n == e->cap) {
        e->cap = 2 * e->cap + 8;
        e->edits = sim_xreallocarray(e->edits, e->cap, sizeof *e->edits);
    }
    e->edits[e->n++] = (struct edit){start, end, seq, b->data ? b->data : sim_xstrdup("")};
    *b = (struct buf){0};
}

static void edit(struct editor *e, size_t start, size_t end, struct buf *b)
{
    edit_seq(e, start, end, b, e->n + 1);
}

/* The start of the line of byte i, and its end: its '\n' (or "\r\n"), or
 * the text's end. */
static size_t line_start(const struct editor *e, size_t i)
{
    while (i > 0 && e->text[i - 1] != '\n')
        i--;
    return i;
}

static size_t line_end(const struct editor *e, size_t i)
{
    const char *nl = memchr(e->text + i, '\n', e->len - i);
    size_t at = nl ? (size_t)(nl - e->text) : e->len;
    return at > i && e->text[at - 1] == '\r' ? at - 1 : at;
}

/* The byte after the ':' that follows a key ending at key_end. */
static size_t after_colon(struct editor *e, size_t key_end)
{
    size_t j = key_end;
    while (j < e->len && (e->text[j] == ' ' || e->text[j] == '\t'))
        j++;
    if (j < e->len && e->text[j] == ':')
        return j + 1;
    e->failed = true;
    return key_end;
}

/* Notes that the line of byte `at` changed: what span s (NULL: nothing to
 * say) was, as the text had it, when it was short and on one line. */
static void note(struct editor *e, size_t at, const char *key, const struct span *s)
{
    if (e->nnotes == e->capnotes) {
        e->capnotes = 2 * e->capnotes + 8;
        e->notes = sim_xreallocarray(e->notes, e->capnotes, sizeof *e->notes);
    }
    bool says = s && !memchr(e->text + s->start, '\n', s->end - s->start) && s->end - s->start <= 40;
    e->notes[e->nnotes++] =
        (struct note){at, key, key && s && s->in_flow, says ? s->start : 0, says ? s->end - s->start : 0};
}

/* Where the comment on the line from byte i starts (its '#'), or the
 * line's end when it has none: quoted strings skipped. */
static size_t comment_on(const struct editor *e, size_t i, bool *found)
{
    size_t end = line_end(e, i);
    *found = false;
    for (size_t j = i; j < end; j++) {
        char c = e->text[j];
        if (c == '"' || c == '\'') {
            for (j++; j < end && e->text[j] != c; j++)
                j += c == '"' && e->text[j] == '\\';
        } else if (c == '#' && j > 0 && (e->text[j - 1] == ' ' || e->text[j - 1] == '\t')) {
            *found = true;
            return j;
        }
    }
    return end;
}

/* Each noted line: its comment in its column, as far as the spaces
 * before it allow, and what its values were before the comment's words
 * ("# was 1; one person, all day"), or alone at the line's end ("# was
 * 3"). Where that would make the line wider than LINE_WIDTH (and than it
 * was), the comment moves left into the spaces before it, down to two;
 * failing that the note is left out: the saved file's first lines name
 * every change anyway. */
static void notes_made(struct editor *e)
{
    size_t edits = e->n;
    for (size_t i = 0; i < e->nnotes;) {
        size_t begin = line_start(e, e->notes[i].at), eol = line_end(e, e->notes[i].at), k = i;
        while (k < e->nnotes && line_end(e, e->notes[k].at) == eol)
            k++;
        /* what the edits within the line did to its length, and where the
         * last of them ends: the comment follows */
        long delta = 0;
        size_t last = begin;
        for (size_t j = 0; j < edits; j++) {
            const struct edit *d = &e->edits[j];
            if (d->start >= begin && d->start < eol && d->end <= eol) {
                delta += (long)strlen(d->text) - (long)(d->end - d->start);
                last = d->end > last ? d->end : last;
            }
        }
        size_t said = 0;
        for (size_t j = i; j < k; j++)
            said += e->notes[j].was_len > 0;
        bool found;
        size_t hash = comment_on(e, last, &found), from = hash, to = hash;
        struct buf b = {0};
        if (found) {
            while (from > last && e->text[from - 1] == ' ')
                from--;
            long gap = (long)(hash - from) - delta;
            spaces(&b, gap < 1 ? 1 : (size_t)gap);
        } else if (said) {
            put(&b, "  ", 2);
        }
        size_t kept = b.len;
        if (said) {
            put(&b, "# ", 2);
            size_t n = 0;
            for (size_t j = i; j < k; j++) {
                const struct note *w = &e->notes[j];
                if (!w->was_len)
                    continue;
                if (n++)
                    put(&b, ", ", 2);
                if (w->key && (said > 1 || w->named)) {
                    puts_(&b, w->key);
                    put(&b, " ", 1);
                }
                put(&b, "was ", 4);
                put(&b, e->text + w->was, w->was_len);
            }
            if (found) {   /* then the comment's own words */
                to = hash + 1 + (hash + 1 < eol && e->text[hash + 1] == ' ');
                put(&b, to < eol ? "; " : "", to < eol ? 2 : 0);
            }
            long was = (long)columns(e->text + begin, eol - begin);
            long now = was + delta - (long)columns(e->text + from, to - from) + (long)columns(b.data, b.len);
            long over = now - (was > LINE_WIDTH ? was : LINE_WIDTH);
            if (over > 0 && found && (long)kept - over >= 2) {   /* the comment moves left to make room */
                memmove(b.data, b.data + over, b.len - (size_t)over + 1);
                b.len -= (size_t)over;
            } else if (over > 0) {
                b.len = kept;
                b.data[kept] = '\0';
                to = found ? hash : to;
            }
        }
        if (b.len || from != to)
            edit_seq(e, from, to, &b, 0);
        free(b.data);
        i = k;
    }
}

/* Replaces scalar s (the value of key, or NULL) with f's text where it
 * stands. */
static void replace_scalar(struct editor *e, const struct mdl_ynode *f, const struct span *s, const char *key)
{
    struct buf b = {0};
    scalar_text(&b, f->text, f->plain, s->in_flow);
    edit(e, s->start, s->end, &b);
    note(e, s->start, key, s);
}

/* Replaces span s (standing at `place`; a value's key ending at key_end,
 * at column key_col) with node f whole: in flow style where s is in a
 * flow collection, or is one and f still fits its line; else as mdl_yemit
 * writes it, in block style, at the indentation around it. */
static void replace(struct editor *e, const struct mdl_ynode *f, const struct span *s, enum place place,
                    const char *key, size_t key_end, size_t key_col)
{
    bool block = !s->in_flow && !s->flow && !s->alias && s->kind != MDL_Y_SCALAR;   /* s spans lines */
    struct buf b = {0};
    if (!block && (s->in_flow || f->kind == MDL_Y_SCALAR || s->flow)) {
        if (!flow_text(&b, f, s->in_flow)) {
            e->failed = true;
            return;
        }
        bool found;   /* a comment after it stays on its line */
        comment_on(e, s->end, &found);
        size_t rest = found ? columns(e->text + s->end, line_end(e, s->end) - s->end) : 0;
        if (s->in_flow || f->kind == MDL_Y_SCALAR || s->col + columns(b.data, b.len) + rest <= LINE_WIDTH) {
            edit(e, s->start, s->end, &b);
            note(e, s->start, key, s);
            return;
        }
        free(b.data);
        b = (struct buf){0};
    }
    if (place == AT_VALUE) {
        size_t colon = after_colon(e, key_end), eol = line_end(e, colon);
        if (one_line(f)) {   /* "key: value" */
            put(&b, " ", 1);
            if (!flow_text(&b, f, false))
                e->failed = true;
            if (!block) {
                edit(e, colon, s->end, &b);
                note(e, colon, key, s);
            } else {   /* the block's lines go */
                edit(e, colon, colon, &b);
                edit(e, eol, s->end, &b);
                note(e, colon, key, NULL);
            }
            return;
        }
        if (!block) {   /* the value off the key's line, the block under it */
            edit(e, colon, s->end, &b);
            note(e, colon, key, s);
            puts_(&b, e->eol);
            spaces(&b, key_col + 2);
            if (!block_text(&b, f, key_col + 2, e->eol))
                e->failed = true;
            edit(e, eol, eol, &b);
        } else {   /* a block for a block, at its indentation */
            spaces(&b, s->col);
            if (!block_text(&b, f, s->col, e->eol))
                e->failed = true;
            edit(e, line_start(e, s->start), s->end, &b);
        }
        return;
    }
    /* a list's item or the document: where the node began, its other
     * lines at its column */
    bool ok = one_line(f) ? flow_text(&b, f, false) : block_text(&b, f, s->col, e->eol);
    if (!ok)
        e->failed = true;
    edit(e, s->start, s->end, &b);
    if (!block)
        note(e, s->start, key, s);
}

/* Adds the pair key: value after the last pair of map s. */
static void insert(struct editor *e, const struct span *s, const char *key, const struct mdl_ynode *value)
{
    struct buf b = {0};
    if (s->flow) {
        if (s->n)
            put(&b, ", ", 2);
        scalar_text(&b, key, true, true);
        put(&b, ": ", 2);
        if (!flow_text(&b, value, true))
            e->failed = true;
        size_t at = s->n ? s->kids[s->n - 1]->end : s->start + 1;
        edit(e, at, at, &b);
        note(e, at, NULL, NULL);
        return;
    }
    /* a block map has a pair: the new one on a line after the last's */
    size_t at = line_end(e, s->kids[s->n - 1]->end);
    puts_(&b, e->eol);
    spaces(&b, s->col);
    scalar_text(&b, key, true, false);
    put(&b, ":", 1);
    if (one_line(value)) {
        put(&b, " ", 1);
        if (!flow_text(&b, value, false))
            e->failed = true;
    } else {
        puts_(&b, e->eol);
        spaces(&b, s->col + 2);
        if (!block_text(&b, value, s->col + 2, e->eol))
            e->failed = true;
    }
    edit(e, at, at, &b);
}

/* Walks f and s together, an edit for each difference. */
static void diff(struct editor *e, const struct mdl_ynode *f, const struct span *s, enum place place,
                 const char *key, size_t key_end, size_t key_col)
{
    if (e->failed || same(f, s))
        return;
    if (s->alias || s->anchored || f->kind != s->kind) {
        replace(e, f, s, place, key, key_end, key_col);
        return;
    }
    if (f->kind == MDL_Y_SCALAR) {
        replace_scalar(e, f, s, key);
        return;
    }
    if (f->kind == MDL_Y_SEQ && f->n == s->n) {
        for (size_t i = 0; i < f->n; i++)
            diff(e, f->items[i], s->kids[i], AT_ITEM, NULL, 0, 0);
        return;
    }
    bool kept = f->kind == MDL_Y_MAP && f->n >= s->n && (s->n || s->flow);
    for (size_t i = 0; kept && i < s->n; i++)
        kept = !strcmp(f->pairs[i].key, s->keys[i]);
    if (!kept) {
        replace(e, f, s, place, key, key_end, key_col);
        return;
    }
    for (size_t i = 0; i < s->n; i++)
        diff(e, f->pairs[i].value, s->kids[i], AT_VALUE, s->keys[i], s->key_end[i], s->key_col[i]);
    for (size_t i = s->n; i < f->n; i++)
        insert(e, s, f->pairs[i].key, f->pairs[i].value);
}

static int by_start(const void *x, const void *y)
{
    const struct edit *a = x, *b = y;
    if (a->start != b->start)
        return (a->start > b->start) - (a->start < b->start);
    if (a->end != b->end)
        return (a->end > b->end) - (a->end < b->end);
    return (a->seq > b->seq) - (a->seq < b->seq);
}

/* The text with the edits made, after the header; NULL when two overlap. */
static char *apply(struct editor *e, size_t base, const char *header, size_t *outlen)
{
    qsort(e->edits, e->n, sizeof *e->edits, by_start);
    struct buf b = {0};
    if (header)
        puts_(&b, header);
    size_t at = base;
    for (size_t i = 0; i < e->n; i++) {
        if (e->edits[i].start < at) {
            free(b.data);
            return NULL;
        }
        put(&b, e->text + at, e->edits[i].start - at);
        puts_(&b, e->edits[i].text);
        at = e->edits[i].end;
    }
    put(&b, e->text + at, e->len - at);
    *outlen = b.len;
    return b.data;
}

/* Whether text reads back as root. */
static bool reads_as(const char *text, size_t len, const struct mdl_ynode *root)
{
    struct mdl_ydoc doc;
    mdl_ydoc_init(&doc);
    struct mdl_ynode *back = NULL;
    struct sim_err err;
    sim_err_init(&err);
    bool ok = mdl_ydoc_parse(&doc, "saved", text, len, &back, &err) == SIM_OK && mdl_ynode_same(back, root);
    mdl_ydoc_fini(&doc);
    return ok;
}

int mdl_yedit(const char *text, size_t len, const struct mdl_ynode *root, const char *header, char **out,
              size_t *outlen, bool *in_place, struct sim_err *err)
{
    *out = NULL;
    *in_place = false;
    struct span *spans = root ? read_spans(text, len) : NULL;
    if (spans) {
        const char *nl = memchr(text, '\n', len);
        struct editor e = {.text = text, .len = len, .eol = nl && nl > text && nl[-1] == '\r' ? "\r\n" : "\n"};
        diff(&e, root, spans, AT_ROOT, NULL, 0, 0);
        notes_made(&e);
        size_t base = len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3) ? 3 : 0;
        char *edited = e.failed ? NULL : apply(&e, base, header, outlen);
        for (size_t i = 0; i < e.n; i++)
            free(e.edits[i].text);
        free(e.edits);
        free(e.notes);
        free_span(spans);
        if (edited && reads_as(edited, *outlen, root)) {
            *out = edited;
            *in_place = true;
            return SIM_OK;
        }
        free(edited);
    }
    if (!root) {   /* an empty document: the header alone */
        *outlen = header ? strlen(header) : 0;
        *out = sim_xstrdup(header ? header : "");
        return SIM_OK;
    }
    /* the document written anew, in the same block style */
    struct buf b = {0};
    puts_(&b, header ? header : "");
    if (block_of(&b, root, 0, "\n", root->kind != MDL_Y_SCALAR && root->n > 0)) {
        put(&b, "\n", 1);
        if (reads_as(b.data, b.len, root)) {
            *out = b.data;
            *outlen = b.len;
            return SIM_OK;
        }
    }
    free(b.data);
    return mdl_yemit(root, header, NULL, out, outlen, err);
}
