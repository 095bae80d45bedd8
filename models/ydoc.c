/* models/ydoc.c — building the node tree from libyaml's events.
 *
 * A recursive descent over the event stream: one function per node, depth
 * bounded by MDL_YDOC_MAX_DEPTH. Anchors map to already built nodes; an alias
 * reuses the node and adds its weight to the document's total, which is
 * what bounds an alias bomb. Positions come from libyaml's marks (0-based
 * line and column, columns in characters), stored 1-based.
 */
#include "models/ydoc.h"

#include <string.h>
#include <yaml.h>

struct anchor {
    const char *name;
    struct mdl_ynode *node;
};

struct builder {
    struct mdl_ydoc *doc;
    yaml_parser_t parser;
    int src;
    struct anchor *anchors;
    size_t nanchors, cap;
    size_t total;             /* nodes so far, aliases expanded */
    struct sim_err *err;
};

void mdl_ydoc_init(struct mdl_ydoc *doc)
{
    doc->arena = sim_arena_create(64 * 1024);
    doc->sources = NULL;
    doc->nsources = 0;
}

void mdl_ydoc_fini(struct mdl_ydoc *doc)
{
    sim_arena_destroy(doc->arena);
    free(doc->sources);
    doc->arena = NULL;
    doc->sources = NULL;
    doc->nsources = 0;
}

void mdl_ydoc_locate(const struct mdl_ydoc *doc, struct sim_err *err, int src, int line, int col)
{
    sim_err_locate(err, src >= 0 && (size_t)src < doc->nsources ? doc->sources[src].name : NULL,
                   line, col);
}

void mdl_ydoc_locate_node(const struct mdl_ydoc *doc, struct sim_err *err, const struct mdl_ynode *n)
{
    mdl_ydoc_locate(doc, err, n->src, n->line, n->col);
}

struct mdl_ynode *mdl_ynode_get(const struct mdl_ynode *m, const char *key)
{
    if (!m || m->kind != MDL_Y_MAP)
        return NULL;
    for (size_t i = 0; i < m->n; i++)
        if (strcmp(m->pairs[i].key, key) == 0)
            return m->pairs[i].value;
    return NULL;
}

static int fail_at(struct builder *b, yaml_mark_t mark, const char *fmt, const char *arg)
{
    sim_err_set(b->err, SIM_EDATA, fmt, arg);
    mdl_ydoc_locate(b->doc, b->err, b->src, (int)mark.line + 1, (int)mark.column + 1);
    return SIM_EDATA;
}

static int syntax_error(struct builder *b)
{
    yaml_parser_t *p = &b->parser;
    yaml_mark_t mark = p->problem_mark;
    const char *problem = p->problem ? p->problem : "cannot read the file";
    if (p->error == YAML_READER_ERROR) {
        /* Reader errors (bad UTF-8, control characters) carry a byte
         * offset. A bad UTF-8 sequence is shown where it starts (libyaml
         * points at the byte after its lead: a Latin-1 'é' followed by a
         * space is reported at the space). */
        const char *text = b->doc->sources[b->src].text;
        size_t at = p->problem_offset;
        bool utf8 = strstr(problem, "UTF-8") != NULL;
        for (size_t back = 0; utf8 && back < 3 && at > 0 && ((unsigned char)text[at] & 0xC0) != 0xC0; back++)
            at--;
        if (utf8 && ((unsigned char)text[at] & 0xC0) != 0xC0)
            at = p->problem_offset;   /* no lead byte just before: keep libyaml's place */
        if (utf8)
            sim_err_set(b->err, SIM_EDATA, "the file is not UTF-8 text (%s); save it as UTF-8", problem);
        else
            sim_err_set(b->err, SIM_EDATA, "not valid YAML text: %s", problem);
        int line = 1, col = 1;
        for (size_t i = 0; i < at && text[i]; i++) {
            if (text[i] == '\n') {
                line++;
                col = 1;
            } else if (((unsigned char)text[i] & 0xC0) != 0x80) {
                col++;
            }
        }
        mdl_ydoc_locate(b->doc, b->err, b->src, line, col);
        return SIM_EDATA;
    }
    const struct mdl_ysource *src = &b->doc->sources[b->src];
    if (mark.index >= src->len) {
        /* the text ended too early: point just after its last character */
        int line = 1, col = 1, last_line = 1, last_col = 1;
        for (size_t i = 0; i < src->len; i++) {
            unsigned char c = (unsigned char)src->text[i];
            if (c == '\n') {
                line++;
                col = 1;
            } else if ((c & 0xC0) != 0x80) {
                col++;
                if (c != ' ' && c != '\r' && c != '\t') {
                    last_line = line;
                    last_col = col;
                }
            }
        }
        sim_err_set(b->err, SIM_EDATA, "YAML syntax error: the text ends too early (%s%s%s)", problem,
                    p->context ? " " : "", p->context ? p->context : "");
        mdl_ydoc_locate(b->doc, b->err, b->src, last_line, last_col);
        return SIM_EDATA;
    }
    if (p->context && strstr(p->context, "flow") && p->context_mark.line < mark.line) {
        /* an unclosed [ or {: point where it was opened, not where the
         * parser gave up (often lines later) */
        sim_err_set(b->err, SIM_EDATA, "YAML syntax error: this %s is not closed (%s)",
                    strstr(p->context, "sequence") ? "[ list" : "{ mapping", problem);
        mark = p->context_mark;
    } else if (p->context)
        sim_err_set(b->err, SIM_EDATA, "YAML syntax error: %s %s", problem, p->context);
    else
        sim_err_set(b->err, SIM_EDATA, "YAML syntax error: %s", problem);
    mdl_ydoc_locate(b->doc, b->err, b->src, (int)mark.line + 1, (int)mark.column + 1);
    return SIM_EDATA;
}

static int next_event(struct builder *b, yaml_event_t *ev)
{
    if (!yaml_parser_parse(&b->parser, ev))
        return syntax_error(b);
    return SIM_OK;
}

static char *arena_strdup(struct builder *b, const char *s, size_t len)
{
    char *c = sim_arena_alloc(b->doc->arena, len + 1);
    memcpy(c, s, len);
    c[len] = '\0';
    return c;
}

/* Makes room for one more element in an arena array of n elements with
 * capacity *cap; the old array is left behind in the arena. */
static void *grow(struct builder *b, void *items, size_t n, size_t *cap, size_t size)
{
    if (n < *cap)
        return items;
    size_t ncap = *cap ? 2 * *cap : 8;
    void *p = sim_arena_alloc(b->doc->arena, ncap * size);
    if (n)
        memcpy(p, items, n * size);
    *cap = ncap;
    return p;
}

static struct mdl_ynode *new_node(struct builder *b, enum mdl_ykind kind, yaml_mark_t mark)
{
    struct mdl_ynode *n = sim_arena_alloc(b->doc->arena, sizeof *n);
    n->kind = kind;
    n->src = b->src;
    n->line = (int)mark.line + 1;
    n->col = (int)mark.column + 1;
    n->weight = 1;
    return n;
}

static int remember_anchor(struct builder *b, const yaml_char_t *anchor, struct mdl_ynode *n)
{
    if (!anchor)
        return SIM_OK;
    if (b->nanchors == b->cap) {
        b->cap = b->cap ? 2 * b->cap : 8;
        b->anchors = sim_xreallocarray(b->anchors, b->cap, sizeof *b->anchors);
    }
    b->anchors[b->nanchors].name = arena_strdup(b, (const char *)anchor, strlen((const char *)anchor));
    b->anchors[b->nanchors].node = n;
    b->nanchors++;
    return SIM_OK;
}

static int count(struct builder *b, size_t weight, yaml_mark_t mark)
{
    b->total += weight;
    if (b->total > MDL_YDOC_MAX_NODES)
        return fail_at(b, mark, "the document is too large: over %s values once aliases are expanded",
                       "1000000");
    return SIM_OK;
}

static int build_node(struct builder *b, yaml_event_t *ev, int depth, struct mdl_ynode **out);

static int build_map(struct builder *b, yaml_event_t *start, int depth, struct mdl_ynode **out)
{
    struct mdl_ynode *m = new_node(b, MDL_Y_MAP, start->start_mark);
    if (remember_anchor(b, start->data.mapping_start.anchor, m))
        return SIM_EDATA;
    size_t cap = 0;
    for (;;) {
        yaml_event_t kev;
        if (next_event(b, &kev))
            return SIM_EDATA;
        if (kev.type == YAML_MAPPING_END_EVENT) {
            yaml_event_delete(&kev);
            break;
        }
        if (kev.type != YAML_SCALAR_EVENT) {
            int rc = fail_at(b, kev.start_mark, "a key must be a plain name, not a %s",
                             kev.type == YAML_ALIAS_EVENT ? "alias" : "list or mapping");
            yaml_event_delete(&kev);
            return rc;
        }
        const char *key = arena_strdup(b, (const char *)kev.data.scalar.value, kev.data.scalar.length);
        int kline = (int)kev.start_mark.line + 1, kcol = (int)kev.start_mark.column + 1;
        for (size_t i = 0; i < m->n; i++)
            if (strcmp(m->pairs[i].key, key) == 0) {
                char what[160];
                snprintf(what, sizeof what, "'%.100s' (first given at line %d)", key, m->pairs[i].line);
                int rc = fail_at(b, kev.start_mark, "duplicate key %s", what);
                yaml_event_delete(&kev);
                return rc;
            }
        yaml_event_delete(&kev);
        yaml_event_t vev;
        if (next_event(b, &vev))
            return SIM_EDATA;
        struct mdl_ynode *value;
        int rc = build_node(b, &vev, depth + 1, &value);
        yaml_event_delete(&vev);
        if (rc)
            return rc;
        m->pairs = grow(b, m->pairs, m->n, &cap, sizeof *m->pairs);
        m->pairs[m->n++] = (struct mdl_ypair){key, b->src, kline, kcol, value};
        m->weight += value->weight;
    }
    *out = m;
    return SIM_OK;
}

static int build_seq(struct builder *b, yaml_event_t *start, int depth, struct mdl_ynode **out)
{
    struct mdl_ynode *s = new_node(b, MDL_Y_SEQ, start->start_mark);
    if (remember_anchor(b, start->data.sequence_start.anchor, s))
        return SIM_EDATA;
    size_t cap = 0;
    for (;;) {
        yaml_event_t iev;
        if (next_event(b, &iev))
            return SIM_EDATA;
        if (iev.type == YAML_SEQUENCE_END_EVENT) {
            yaml_event_delete(&iev);
            break;
        }
        struct mdl_ynode *item;
        int rc = build_node(b, &iev, depth + 1, &item);
        yaml_event_delete(&iev);
        if (rc)
            return rc;
        s->items = grow(b, s->items, s->n, &cap, sizeof *s->items);
        s->items[s->n++] = item;
        s->weight += item->weight;
    }
    *out = s;
    return SIM_OK;
}

static int build_node(struct builder *b, yaml_event_t *ev, int depth, struct mdl_ynode **out)
{
    if (depth > MDL_YDOC_MAX_DEPTH)
        return fail_at(b, ev->start_mark, "values are nested too deeply (more than %s levels)", "64");
    switch (ev->type) {
    case YAML_SCALAR_EVENT: {
        struct mdl_ynode *n = new_node(b, MDL_Y_SCALAR, ev->start_mark);
        n->text = arena_strdup(b, (const char *)ev->data.scalar.value, ev->data.scalar.length);
        n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
        if (remember_anchor(b, ev->data.scalar.anchor, n) || count(b, 1, ev->start_mark))
            return SIM_EDATA;
        *out = n;
        return SIM_OK;
    }
    case YAML_ALIAS_EVENT: {
        const char *name = (const char *)ev->data.alias.anchor;
        for (size_t i = b->nanchors; i-- > 0;)
            if (strcmp(b->anchors[i].name, name) == 0) {
                if (count(b, b->anchors[i].node->weight, ev->start_mark))
                    return SIM_EDATA;
                *out = b->anchors[i].node;
                return SIM_OK;
            }
        return fail_at(b, ev->start_mark, "unknown alias '*%s'", name);
    }
    case YAML_MAPPING_START_EVENT:
        return count(b, 1, ev->start_mark) ? SIM_EDATA : build_map(b, ev, depth, out);
    case YAML_SEQUENCE_START_EVENT:
        return count(b, 1, ev->start_mark) ? SIM_EDATA : build_seq(b, ev, depth, out);
    default:
        return fail_at(b, ev->start_mark, "unexpected YAML event%s", "");
    }
}

int mdl_ydoc_parse(struct mdl_ydoc *doc, const char *name, const char *text, size_t len,
                   struct mdl_ynode **root, struct sim_err *err)
{
    doc->sources = sim_xreallocarray(doc->sources, doc->nsources + 1, sizeof *doc->sources);
    char *copy = sim_arena_alloc(doc->arena, len + 1);
    memcpy(copy, text, len);
    copy[len] = '\0';
    char *name_copy = sim_arena_alloc(doc->arena, strlen(name) + 1);
    strcpy(name_copy, name);
    doc->sources[doc->nsources] = (struct mdl_ysource){name_copy, copy, len};
    struct builder b = {.doc = doc, .src = (int)doc->nsources, .err = err};
    doc->nsources++;
    *root = NULL;

    if (!yaml_parser_initialize(&b.parser))
        sim_oom(sizeof b.parser);
    yaml_parser_set_input_string(&b.parser, (const unsigned char *)copy, len);
    int rc = SIM_OK;
    yaml_event_t ev;
    /* stream start, then at most one document */
    bool done = false;
    int docs = 0;
    while (!done && rc == SIM_OK) {
        if ((rc = next_event(&b, &ev)))
            break;
        switch (ev.type) {
        case YAML_STREAM_END_EVENT:
            done = true;
            break;
        case YAML_DOCUMENT_START_EVENT:
            if (++docs > 1)
                rc = fail_at(&b, ev.start_mark, "a scenario file holds one YAML document; "
                                                "this is a second one%s", "");
            break;
        case YAML_SCALAR_EVENT:
        case YAML_ALIAS_EVENT:
        case YAML_MAPPING_START_EVENT:
        case YAML_SEQUENCE_START_EVENT:
            rc = build_node(&b, &ev, 0, root);
            break;
        default:
            break;
        }
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&b.parser);
    free(b.anchors);
    return rc;
}

/* Appends n's flow YAML to buf[*used .. len); stops silently when full. */
static void format_node(const struct mdl_ynode *n, char *buf, size_t len, size_t *used)
{
#define PUT(...)                                                                  \
    do {                                                                          \
        if (*used < len) {                                                        \
            int k_ = snprintf(buf + *used, len - *used, __VA_ARGS__);             \
            *used += k_ > 0 ? (size_t)k_ : 0;                                     \
        }                                                                         \
    } while (0)
    switch (n->kind) {
    case MDL_Y_SCALAR:
        if (n->plain) {
            PUT("%s", n->text);
        } else {
            PUT("\"");
            for (const char *p = n->text; *p; p++)
                PUT(*p == '"' || *p == '\\' ? "\\%c" : "%c", *p);
            PUT("\"");
        }
        break;
    case MDL_Y_SEQ:
        PUT("[");
        for (size_t i = 0; i < n->n; i++) {
            PUT("%s", i ? ", " : "");
            format_node(n->items[i], buf, len, used);
        }
        PUT("]");
        break;
    case MDL_Y_MAP:
        PUT("{");
        for (size_t i = 0; i < n->n; i++) {
            PUT("%s%s: ", i ? ", " : "", n->pairs[i].key);
            format_node(n->pairs[i].value, buf, len, used);
        }
        PUT("}");
        break;
    }
#undef PUT
}

const char *mdl_ynode_format(const struct mdl_ynode *n, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    format_node(n, buf, len, &used);
    if (used >= len && len > 4)
        memcpy(buf + len - 4, "...", 4);
    return buf;
}
