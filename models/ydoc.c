/* models/ydoc.c — building the node tree from libyaml's events.
 *
 * A recursive descent over the event stream: one function per node, depth
 * bounded by MDL_YDOC_MAX_DEPTH. Anchors map to already built nodes; an alias
 * reuses the node and adds its weight to the document's total, which is
 * what bounds an alias bomb. Positions come from libyaml's marks (0-based
 * line and column, columns in characters), stored 1-based.
 *
 * Cost: linear in the text. A mapping of more than a few keys looks for a
 * duplicate in a hash table of its own, freed when the mapping ends; anchors
 * are one table per parse. Both hash with SipHash-1-3 under a key drawn for
 * each parse, so that no file can be written whose keys all collide and
 * bring back the quadratic time of the linear searches they replaced
 * (100,000 keys took 15 s). Lists and sources grow by doubling. The
 * tables only answer "seen before?" and are never walked, so the tree does
 * not depend on the hash key.
 */
#include "models/ydoc.h"
#include "models/ysyntax.h"

#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <yaml.h>

/* ---- hashing names ---------------------------------------------------- */

#define ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))
#define SIPROUND                                                                                   \
    do {                                                                                           \
        v0 += v1, v1 = ROTL(v1, 13), v1 ^= v0, v0 = ROTL(v0, 32);                                  \
        v2 += v3, v3 = ROTL(v3, 16), v3 ^= v2;                                                     \
        v0 += v3, v3 = ROTL(v3, 21), v3 ^= v0;                                                     \
        v2 += v1, v1 = ROTL(v1, 17), v1 ^= v2, v2 = ROTL(v2, 32);                                  \
    } while (0)

/* SipHash-1-3 (Aumasson and Bernstein; one round per word, three to end) of
 * the C string s under key k: keys compare as C strings (strcmp), so a key
 * with an escaped NUL hashes as far as its NUL. */
static uint32_t sip13(const uint64_t k[2], const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t len = strlen(s), i = 0;
    uint64_t v0 = 0x736f6d6570736575ULL ^ k[0], v1 = 0x646f72616e646f6dULL ^ k[1];
    uint64_t v2 = 0x6c7967656e657261ULL ^ k[0], v3 = 0x7465646279746573ULL ^ k[1];
    for (; i + 8 <= len; i += 8) {
        uint64_t m = 0;
        for (unsigned j = 0; j < 8; j++)
            m |= (uint64_t)p[i + j] << (8 * j);
        v3 ^= m;
        SIPROUND;
        v0 ^= m;
    }
    uint64_t last = (uint64_t)len << 56;
    for (unsigned j = 0; i + j < len; j++)
        last |= (uint64_t)p[i + j] << (8 * j);
    v3 ^= last;
    SIPROUND;
    v0 ^= last;
    v2 ^= 0xff;
    SIPROUND;
    SIPROUND;
    SIPROUND;
    return (uint32_t)(v0 ^ v1 ^ v2 ^ v3);
}

/* ---- an index by name, by open addressing ----------------------------- */

/* A hash index over an array its caller owns and passes to each call (base
 * and element size, as to bsearch), each element starting with its name, a
 * const char *. A slot is a name's hash and 1 + its element's position, 0
 * when empty: 8 bytes, so that 200,000 names take 4 MiB (slots that held the
 * name too, 16 bytes, read 200,000 keys 20 to 30% slower: cache misses).
 * At most half full, so a probe ends at an empty slot within a few steps. */
struct slot {
    uint32_t hash, at1;
};

struct name_index {
    struct slot *slots;
    size_t mask;              /* slots - 1, a power of two less one; 0 while empty */
    size_t n;
};

static const char *name_at(const void *base, size_t size, size_t i)
{
    const char *name;
    memcpy(&name, (const char *)base + i * size, sizeof name);
    return name;
}

/* The slot of name in ix: the one holding it, or the empty one where it goes. */
static struct slot *slot_of(const struct name_index *ix, const void *base, size_t size, const char *name,
                            uint32_t hash)
{
    size_t i = hash & ix->mask;
    while (ix->slots[i].at1 &&
           (ix->slots[i].hash != hash || strcmp(name_at(base, size, ix->slots[i].at1 - 1), name) != 0))
        i = (i + 1) & ix->mask;
    return &ix->slots[i];
}

/* Whether ix holds name; if so, *at is its element's position. */
static bool index_find(const struct name_index *ix, const void *base, size_t size, const char *name,
                       uint32_t hash, size_t *at)
{
    if (!ix->slots)
        return false;
    const struct slot *s = slot_of(ix, base, size, name, hash);
    if (!s->at1)
        return false;
    *at = s->at1 - 1u;
    return true;
}

/* Indexes element at by its name; a name the index holds already moves to
 * at. Searching compares names, so every element the index holds must be
 * in place by the next call, this one included. */
static void index_set(struct name_index *ix, const void *base, size_t size, const char *name, uint32_t hash,
                      size_t at)
{
    assert(at < UINT32_MAX);
    if (2 * (ix->n + 1) > ix->mask + 1) {   /* keep it at most half full */
        size_t old_cap = ix->slots ? ix->mask + 1 : 0, cap = old_cap ? 2 * old_cap : 16;
        struct slot *old = ix->slots;
        ix->slots = sim_xcalloc(cap, sizeof *ix->slots);
        ix->mask = cap - 1;
        for (size_t i = 0; i < old_cap; i++) {
            if (!old[i].at1)
                continue;
            size_t j = old[i].hash & ix->mask;
            while (ix->slots[j].at1)
                j = (j + 1) & ix->mask;
            ix->slots[j] = old[i];
        }
        free(old);
    }
    struct slot *s = slot_of(ix, base, size, name, hash);
    if (!s->at1)
        ix->n++;
    *s = (struct slot){hash, (uint32_t)at + 1};
}

/* ---- the builder ------------------------------------------------------- */

struct anchor {
    const char *name;         /* first: anchors are indexed by name */
    struct mdl_ynode *node;
};

_Static_assert(offsetof(struct anchor, name) == 0 && offsetof(struct mdl_ypair, key) == 0,
               "a name_index finds an element's name at its start");

struct builder {
    struct mdl_ydoc *doc;
    yaml_parser_t parser;
    int src;
    uint64_t hash_key[2];     /* this parse's SipHash key */
    struct anchor *anchors;   /* in the order given */
    size_t nanchors, cap;
    struct name_index anchor_index; /* the latest anchor of each name */
    size_t total;             /* nodes so far, aliases expanded */
    struct sim_err *err;
};

/* A key nobody can guess before the parse: the clock's nanoseconds and
 * where the builder sits (the stack is placed at random), mixed by
 * splitmix64's finaliser. Not a secret worth more than the time it saves. */
static void draw_hash_key(struct builder *b)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    uint64_t x = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
    uint64_t y = (uint64_t)(uintptr_t)b ^ ((uint64_t)(uintptr_t)b->doc << 17);
    for (int i = 0; i < 2; i++) {
        uint64_t z = (x += 0x9e3779b97f4a7c15ULL) ^ y;
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
        b->hash_key[i] = z ^ (z >> 31);
    }
}

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
    if (p->error == YAML_SCANNER_ERROR || p->error == YAML_PARSER_ERROR) {
        /* a tab, a misaligned line, a missing ':': said in our words, at
         * the line that caused it (models/ysyntax.c) */
        struct mdl_ysyntax e = {p->error == YAML_SCANNER_ERROR, p->problem, p->context, (int)mark.line + 1,
                                (int)mark.column + 1, p->context ? (int)p->context_mark.line + 1 : 0,
                                p->context ? (int)p->context_mark.column + 1 : 0};
        char msg[sizeof b->err->msg];
        int line, col;
        if (mdl_ysyntax_explain(src->text, src->len, &e, msg, sizeof msg, &line, &col)) {
            sim_err_set(b->err, SIM_EDATA, "%s", msg);
            mdl_ydoc_locate(b->doc, b->err, b->src, line, col);
            return SIM_EDATA;
        }
    }
    size_t chars = 0;   /* libyaml's index counts characters, not bytes */
    for (size_t i = 0; i < src->len; i++)
        chars += ((unsigned char)src->text[i] & 0xC0) != 0x80;
    if (mark.index >= chars) {
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
    const char *name = arena_strdup(b, (const char *)anchor, strlen((const char *)anchor));
    b->anchors[b->nanchors] = (struct anchor){name, n};
    /* an anchor given again: aliases after it mean the new node */
    index_set(&b->anchor_index, b->anchors, sizeof *b->anchors, name, sip13(b->hash_key, name), b->nanchors);
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

/* A mapping of fewer keys than this (nearly every mapping of a scenario) is
 * searched in place: cheaper than hashing, and no table to allocate. */
#define FEW_KEYS 8

/* The pair of m whose key is key, or NULL; keys (from FEW_KEYS keys on)
 * then indexes key at m->n, the position its pair is about to take: it is
 * not searched again before that pair is in place. */
static const struct mdl_ypair *seen_key(struct builder *b, const struct mdl_ynode *m, struct name_index *keys,
                                        const char *key)
{
    if (m->n < FEW_KEYS) {
        for (size_t i = 0; i < m->n; i++)
            if (strcmp(m->pairs[i].key, key) == 0)
                return &m->pairs[i];
        return NULL;
    }
    const size_t size = sizeof *m->pairs;
    if (!keys->slots)   /* the mapping has just reached FEW_KEYS keys */
        for (size_t i = 0; i < m->n; i++)
            index_set(keys, m->pairs, size, m->pairs[i].key, sip13(b->hash_key, m->pairs[i].key), i);
    uint32_t h = sip13(b->hash_key, key);
    size_t at;
    if (index_find(keys, m->pairs, size, key, h, &at))
        return &m->pairs[at];
    index_set(keys, m->pairs, size, key, h, m->n);
    return NULL;
}

/* Reads m's pairs up to the end of the mapping; keys holds those seen. */
static int build_pairs(struct builder *b, struct mdl_ynode *m, struct name_index *keys, int depth)
{
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
        const struct mdl_ypair *first = seen_key(b, m, keys, key);
        if (first) {
            char what[160];
            snprintf(what, sizeof what, "'%.100s' (first given at line %d)", key, first->line);
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
    return SIM_OK;
}

static int build_map(struct builder *b, yaml_event_t *start, int depth, struct mdl_ynode **out)
{
    struct mdl_ynode *m = new_node(b, MDL_Y_MAP, start->start_mark);
    if (remember_anchor(b, start->data.mapping_start.anchor, m))
        return SIM_EDATA;
    struct name_index keys = {0};
    int rc = build_pairs(b, m, &keys, depth);
    free(keys.slots);
    if (rc == SIM_OK)
        *out = m;
    return rc;
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
        size_t at;
        if (!index_find(&b->anchor_index, b->anchors, sizeof *b->anchors, name, sip13(b->hash_key, name), &at))
            return fail_at(b, ev->start_mark, "unknown alias '*%s'", name);
        if (count(b, b->anchors[at].node->weight, ev->start_mark))
            return SIM_EDATA;
        *out = b->anchors[at].node;
        return SIM_OK;
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
    /* sources grow by doubling, their room the power of two at or above
     * nsources: each --set is a source, and there may be thousands */
    size_t n = doc->nsources;
    if ((n & (n - 1)) == 0)
        doc->sources = sim_xreallocarray(doc->sources, n ? 2 * n : 1, sizeof *doc->sources);
    char *copy = sim_arena_alloc(doc->arena, len + 1);
    memcpy(copy, text, len);
    copy[len] = '\0';
    char *name_copy = sim_arena_alloc(doc->arena, strlen(name) + 1);
    strcpy(name_copy, name);
    doc->sources[doc->nsources] = (struct mdl_ysource){name_copy, copy, len};
    struct builder b = {.doc = doc, .src = (int)doc->nsources, .err = err};
    doc->nsources++;
    draw_hash_key(&b);
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
    free(b.anchor_index.slots);
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
