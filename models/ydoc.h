/* models/ydoc.h — YAML text as a tree of nodes that remember where they were.
 *
 * The scenario language reads YAML through libyaml's event parser into this
 * tree; the checker (models/check.c) then reads the tree and can point
 * at the line and column of any key or value it refuses.
 *
 * Guarantees beyond libyaml's: duplicate keys in a mapping are errors (libyaml
 * accepts them silently); mapping keys are scalars; nesting deeper than
 * MDL_YDOC_MAX_DEPTH is refused; aliases are shared, not copied, and the size
 * of the tree they stand for is capped (MDL_YDOC_MAX_NODES), so an alias bomb
 * ("billion laughs") is an error, not an exhausted machine. Tags are ignored.
 *
 * All nodes of a document live in the document's arena and die with it.
 * A document may hold several sources (the scenario file, --set values), each
 * named; nodes carry their source's index.
 */
#ifndef MDL_YDOC_H
#define MDL_YDOC_H

#include "sim/err.h"
#include "sim/mem.h"

#include <stdbool.h>
#include <stddef.h>

#define MDL_YDOC_MAX_DEPTH 64
#define MDL_YDOC_MAX_NODES 1000000

enum mdl_ykind { MDL_Y_SCALAR, MDL_Y_MAP, MDL_Y_SEQ };

struct mdl_ynode;

/* How a relative change (models/override.h) made a node, so that an error
 * the checker finds in it can say where the value came from: "got -1 (2 -
 * 3, by the relative change departments.credit.staff-=3)". */
struct mdl_yrel {
    const char *change;        /* the change as written: departments.credit.staff-=3 */
    const char *was;           /* a number it changed: the number before ("2"); NULL for a
                                  list or mapping holding numbers it changed */
    char op;                   /* '+', '-' or '*' */
    const char *by;            /* the operand ("3") */
};

struct mdl_ypair {
    const char *key;
    int src, line, col;        /* of the key (an override's key has its own source) */
    struct mdl_ynode *value;
};

struct mdl_ynode {
    enum mdl_ykind kind;
    int src;                   /* index of the source in its document */
    int line, col;             /* 1-based, of the node's first character */
    const char *text;          /* scalar: its text, NUL-terminated */
    bool plain;                /* scalar: written without quotes */
    size_t n;                  /* map: pairs; seq: items */
    struct mdl_ypair *pairs;   /* map */
    struct mdl_ynode **items;  /* seq */
    size_t weight;             /* nodes in this subtree, aliases expanded */
    const struct mdl_yrel *rel; /* made by a relative change, or NULL (read from text) */
};

struct mdl_ysource {
    const char *name;          /* file name, or "--set" */
    const char *text;          /* owned by the document */
    size_t len;
};

struct mdl_ydoc {
    struct sim_arena *arena;
    struct mdl_ysource *sources;
    size_t nsources;
};

void mdl_ydoc_init(struct mdl_ydoc *doc);
void mdl_ydoc_fini(struct mdl_ydoc *doc);

/* Parses text (len bytes, copied) as one YAML document named `name` and
 * sets *root to its top node (NULL for an empty document). On failure
 * returns SIM_EDATA with err located in the text. */
int mdl_ydoc_parse(struct mdl_ydoc *doc, const char *name, const char *text, size_t len,
                   struct mdl_ynode **root, struct sim_err *err);

/* The value of key in map node m, or NULL. */
struct mdl_ynode *mdl_ynode_get(const struct mdl_ynode *m, const char *key);

/* Writes n as one line of flow YAML into buf (truncated to len, with
 * "..."): 4, "09:00", [1, 2], {at: "09:00", count: 2}. Returns buf. */
const char *mdl_ynode_format(const struct mdl_ynode *n, char *buf, size_t len);

/* Locates err at node n (or at a key's position when line/col given). */
void mdl_ydoc_locate(const struct mdl_ydoc *doc, struct sim_err *err, int src, int line, int col);
void mdl_ydoc_locate_node(const struct mdl_ydoc *doc, struct sim_err *err, const struct mdl_ynode *n);

#endif
