/* models/override.c — overrides parsed and applied (see override.h).
 *
 * One walk down the path (keys under mappings, indices under lists),
 * copying each mapping and list it passes; at its end, either the value
 * replaces what is there, or a relative change rebuilds what is there with
 * its numbers changed (changed_numbers: the one place that says which
 * numbers a path holds). Arithmetic is exact on whole numbers (a seed, a
 * count) and in doubles otherwise, written back with 15 significant digits
 * so that 3 * 1.1 reads 3.3.
 */
#include "models/override.h"
#include "models/yread.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char mdl_override_op(const char *key, size_t *pathlen)
{
    size_t n = strlen(key);
    if (n >= 2 && key[n - 1] == '=' && (key[n - 2] == '+' || key[n - 2] == '-' || key[n - 2] == '*')) {
        *pathlen = n - 2;
        return key[n - 2];
    }
    *pathlen = n;
    return '=';
}

/* Refuses a value written "*2" after '=' (YAML would read an alias): a
 * multiplication was meant. Located at the '*'. */
static int refuse_star(const char *source, const char *arg, size_t plen, const char *value, int line,
                       struct sim_err *err)
{
    size_t lead = strspn(value, " ");
    if (value[lead] != '*')
        return SIM_OK;
    const char *v = value + lead;
    size_t vlen = strcspn(v, " ");
    sim_err_set(err, SIM_EDATA, "'%.*s' is not a value: to multiply, write %.*s*=%.*s", (int)vlen, v, (int)plen, arg,
                (int)vlen - 1, v + 1);
    sim_err_locate(err, source, line, (int)(v - arg) + 1);
    return err->code;
}

/* A grid's A..B or A..B..STEP, read by YAML as one plain scalar, made the
 * range {from: A, to: B, step: STEP} it means, each number a node at its
 * own column (errors point at it); NULL when v is no such range. */
static struct mdl_ynode *grid_range(struct mdl_ydoc *doc, const struct mdl_ynode *v)
{
    static const char *const keys[] = {"from", "to", "step"};
    if (v->kind != MDL_Y_SCALAR || !v->plain || !strstr(v->text, ".."))
        return NULL;
    struct mdl_ypair *pairs = sim_arena_alloc(doc->arena, 3 * sizeof *pairs);
    size_t n = 0;
    for (const char *p = v->text;;) {
        const char *dots = strstr(p, "..");
        size_t len = dots ? (size_t)(dots - p) : strlen(p);
        /* a number: digits, a sign, a point inside, an exponent; not "3." nor ".8" */
        if (n == 3 || len == 0 || len > 40 || strspn(p, "0123456789+-.eE") < len || p[0] == '.' ||
            p[len - 1] == '.')
            return NULL;
        char *text = sim_arena_alloc(doc->arena, len + 1);
        memcpy(text, p, len);
        text[len] = '\0';
        struct mdl_ynode *num = sim_arena_alloc(doc->arena, sizeof *num);
        int col = v->col + (int)(p - v->text);
        *num = (struct mdl_ynode){.kind = MDL_Y_SCALAR, .src = v->src, .line = v->line, .col = col, .text = text,
                                  .plain = true, .weight = 1};
        pairs[n] = (struct mdl_ypair){keys[n], v->src, v->line, col, num};
        n++;
        if (!dots)
            break;
        p = dots + 2;
    }
    if (n < 2)
        return NULL;
    struct mdl_ynode *map = sim_arena_alloc(doc->arena, sizeof *map);
    *map = (struct mdl_ynode){.kind = MDL_Y_MAP, .src = v->src, .line = v->line, .col = v->col, .n = n,
                              .pairs = pairs, .weight = n + 1};
    return map;
}

int mdl_override_parse(struct mdl_ydoc *doc, const char *source, const char *arg, size_t k, const char **key,
                       struct mdl_ynode **value, struct mdl_ynode *at, struct sim_err *err)
{
    bool grid = !strcmp(source, MDL_GRID_SOURCE);
    const char *eq = strchr(arg, '=');
    size_t klen = eq ? (size_t)(eq - arg) : strlen(arg);   /* before the '=', an operator included */
    char op = eq && klen > 0 && strchr("+-*", arg[klen - 1]) ? arg[klen - 1] : '=';
    size_t plen = op == '=' ? klen : klen - 1;               /* the path alone */
    int line = (int)k + 1;
    if (!eq || plen == 0 || !eq[1]) {
        sim_err_set(err, SIM_EDATA, grid ? "--grid needs PATH=VALUES, as in departments.credit.staff=1,2,3 or "
                                           "departments.sales.staff=2..6"
                                         : "--set needs PATH=VALUE, as in departments.credit.staff=3");
        sim_err_locate(err, source, line, eq ? (int)klen + 2 : (int)strlen(arg) + 1);
        return err->code;
    }
    if (op == '=' && refuse_star(source, arg, plen, eq + 1, line, err))
        return err->code;
    /* the value as if on line k + 1 of the source, after its "PATH=" */
    size_t vlen = strlen(eq + 1), n = k + klen + 1 + vlen;
    char *padded = sim_xmalloc(n + 2);
    memset(padded, '\n', k);
    memset(padded + k, ' ', klen + 1);
    memcpy(padded + k + klen + 1, eq + 1, vlen + 1);
    struct mdl_ynode *v = NULL;
    int rc;
    if (!grid) {
        rc = mdl_ydoc_parse(doc, source, padded, n, &v, err);
    } else {
        struct sim_err quiet;
        sim_err_init(&quiet);
        rc = mdl_ydoc_parse(doc, source, padded, n, &v, &quiet);
        if (rc || !v || (v->kind == MDL_Y_SCALAR && v->plain && strchr(v->text, ','))) {
            /* "1,2,3": the same text between brackets, '[' where '=' stood */
            padded[k + klen] = '[';
            padded[n] = ']';
            padded[n + 1] = '\0';
            struct sim_err listed;
            sim_err_init(&listed);
            struct mdl_ynode *list = NULL;
            if (!mdl_ydoc_parse(doc, source, padded, n + 1, &list, &listed) && list) {
                v = list;
                rc = SIM_OK;
            } else if (rc) {
                *err = quiet;
            }
        }
    }
    free(padded);
    if (rc)
        return err->code;
    struct mdl_ynode *range = grid && v ? grid_range(doc, v) : NULL;
    if (range)
        v = range;
    size_t keylen = op == '=' ? plen : klen + 1;   /* "PATH", or "PATH+=" */
    if (!v) {
        sim_err_set(err, SIM_EDATA, "%s %.*s has no value%s", source, (int)keylen, arg, grid ? "s" : "");
        sim_err_locate(err, source, line, (int)klen + 2);
        return err->code;
    }
    char *p = sim_arena_alloc(doc->arena, keylen + 1);
    memcpy(p, arg, keylen);
    *key = p;
    *value = v;
    *at = (struct mdl_ynode){.src = (int)doc->nsources - 1, .line = line, .col = 1};
    return SIM_OK;
}

/* ---- the numbers a path holds ------------------------------------------ */

/* The keys of a mapping whose values a relative change changes: a step of
 * a staff schedule or a shift (count), a step of an arrival profile (rate),
 * arrivals (per_hour). Never `at`: times are not changed. A new kind of
 * node whose number a manager would change as a whole (a pool's head
 * count...) adds its key here, and docs/scenario.md says so. */
static const char *const counted_keys[] = {"count", "rate", "per_hour"};

struct change {
    struct sim_arena *arena;
    const struct mdl_ynode *by;     /* the operand */
    double factor;                  /* its value */
    long long whole;                /* and as a whole number, when whole_by */
    bool whole_by;
    struct mdl_yrel made;           /* what a changed number carries (with its `was`) */
    const struct mdl_yrel *holds;   /* what a list or mapping holding one carries (in arena) */
    size_t nchanged;
};

/* Whether text is a whole number written plainly (digits, a sign, YAML's
 * underscores) that a long long holds, into *out. */
static bool whole_text(const char *text, long long *out)
{
    char clean[32];
    size_t k = 0;
    for (const char *p = text; *p; p++) {
        if (*p == '_')
            continue;
        if (k + 1 >= sizeof clean || !(isdigit((unsigned char)*p) || ((*p == '-' || *p == '+') && k == 0)))
            return false;
        clean[k++] = *p;
    }
    clean[k] = '\0';
    if (k == 0 || !isdigit((unsigned char)clean[k - 1]))
        return false;
    char *end;
    errno = 0;
    *out = strtoll(clean, &end, 10);
    return !*end && errno != ERANGE;
}

/* A copy of n, made by the change: at the operand's place, marked. */
static struct mdl_ynode *made_node(struct change *c, const struct mdl_ynode *n, const struct mdl_yrel *rel)
{
    struct mdl_ynode *copy = sim_arena_alloc(c->arena, sizeof *copy);
    *copy = *n;
    copy->src = c->by->src;
    copy->line = c->by->line;
    copy->col = c->by->col;
    copy->rel = rel;
    return copy;
}

/* The number n (x) changed by c. */
static struct mdl_ynode *changed_number(struct change *c, const struct mdl_ynode *n, double x)
{
    char text[48];
    long long a, r;
    bool exact = c->whole_by && whole_text(n->text, &a) &&
                 !(c->made.op == '+'   ? __builtin_add_overflow(a, c->whole, &r)
                   : c->made.op == '-' ? __builtin_sub_overflow(a, c->whole, &r)
                                       : __builtin_mul_overflow(a, c->whole, &r));
    if (exact)
        snprintf(text, sizeof text, "%lld", r);
    else
        snprintf(text, sizeof text, "%.15g",
                 c->made.op == '+' ? x + c->factor : c->made.op == '-' ? x - c->factor : x * c->factor);
    struct mdl_yrel *rel = sim_arena_alloc(c->arena, sizeof *rel);
    *rel = c->made;
    rel->was = n->text;
    struct mdl_ynode *num = made_node(c, n, rel);
    char *t = sim_arena_alloc(c->arena, strlen(text) + 1);
    strcpy(t, text);
    num->text = t;
    num->plain = true;
    c->nchanged++;
    return num;
}

static bool counted(const char *key)
{
    for (size_t k = 0; k < sizeof counted_keys / sizeof counted_keys[0]; k++)
        if (!strcmp(key, counted_keys[k]))
            return true;
    return false;
}

/* n with every number it holds changed by c, or n itself when it holds
 * none: a number is itself; a list holds its items' numbers; a mapping
 * those under its counted keys. What is changed is copied; the rest is
 * shared. */
static struct mdl_ynode *changed_numbers(struct change *c, struct mdl_ynode *n)
{
    double x;
    if (n->kind == MDL_Y_SCALAR)
        return mdl_yread_is_number(n, &x) ? changed_number(c, n, x) : n;
    struct mdl_ynode *copy = NULL;
    for (size_t i = 0; i < n->n; i++) {
        struct mdl_ynode *was = n->kind == MDL_Y_SEQ ? n->items[i] : n->pairs[i].value;
        if (n->kind == MDL_Y_MAP && !counted(n->pairs[i].key))
            continue;
        struct mdl_ynode *now = changed_numbers(c, was);
        if (now == was)
            continue;
        if (!copy) {
            copy = made_node(c, n, c->holds);
            if (n->kind == MDL_Y_SEQ) {
                copy->items = sim_arena_alloc(c->arena, n->n * sizeof *copy->items);
                memcpy(copy->items, n->items, n->n * sizeof *copy->items);
            } else {
                copy->pairs = sim_arena_alloc(c->arena, n->n * sizeof *copy->pairs);
                memcpy(copy->pairs, n->pairs, n->n * sizeof *copy->pairs);
            }
        }
        if (n->kind == MDL_Y_SEQ)
            copy->items[i] = now;
        else
            copy->pairs[i].value = now;
    }
    return copy ? copy : n;
}

/* The path, from n down, of the first number n holds anywhere
 * (".mean", ".0.probability"), to suggest one; "" when it holds none. */
static void first_number(const struct mdl_ynode *n, char *buf, size_t len, int depth)
{
    double x;
    buf[0] = '\0';
    if (n->kind == MDL_Y_SCALAR || depth > 4)
        return;
    for (size_t i = 0; i < n->n; i++) {
        const struct mdl_ynode *v = n->kind == MDL_Y_SEQ ? n->items[i] : n->pairs[i].value;
        char step[64], below[256];
        if (n->kind == MDL_Y_SEQ)
            snprintf(step, sizeof step, ".%zu", i);
        else
            snprintf(step, sizeof step, ".%.60s", n->pairs[i].key);
        if (mdl_yread_is_number(v, &x)) {
            snprintf(buf, len, "%s", step);
            return;
        }
        first_number(v, below, sizeof below, depth + 1);
        if (below[0]) {
            snprintf(buf, len, "%s%.*s", step, (int)(len > strlen(step) ? len - strlen(step) : 0), below);
            return;
        }
    }
}

/* Checks the operand of a relative change into c. Located at the value. */
static int read_operand(struct mdl_yread *r, const char *key, const struct mdl_ynode *value, struct change *c)
{
    char op = c->made.op;
    char shown[64];
    mdl_ynode_format(value, shown, sizeof shown);
    if (value->kind != MDL_Y_SCALAR)
        return mdl_yread_fail(r, value, "%s%s: %c= takes a number, got %s", key, shown, op,
                              value->kind == MDL_Y_SEQ ? "a list" : "a mapping");
    if (!mdl_yread_is_number(value, &c->factor))
        return mdl_yread_fail(r, value, "%s%s: %c= takes a number, got '%s'", key, shown, op, shown);
    if (!isfinite(c->factor))
        return mdl_yread_fail(r, value, "%s%s: %c= takes a finite number, got %s", key, shown, op, shown);
    if (op == '*' && c->factor < 0)
        return mdl_yread_fail(r, value, "%s%s: a factor must be 0 or more, got %s", key, shown, shown);
    c->whole_by = whole_text(value->text, &c->whole);
    return SIM_OK;
}

/* Refuses "+1" written after '=' (YAML reads 1): a manager who typed
 * staff=+1 meant to add one, and would lose the schedule. */
static int refuse_plus(struct mdl_yread *r, const char *path, const struct mdl_ynode *value)
{
    if (value->kind != MDL_Y_SCALAR || !value->plain || value->text[0] != '+')
        return SIM_OK;
    const char *v = value->text + 1;
    return mdl_yread_fail(r, value, "'%s' sets %s to %s, it does not add %s: to add, write %s+=%s (in set: and "
                                    "sweep:, the key %s+=); to set, write %s", value->text, path, v, v, path, v, path, v);
}

/* Whether text[0..len) is an index: 0, or digits not starting with 0. */
static bool index_of(const char *text, size_t len, size_t *out)
{
    if (len == 0 || len > 9 || (text[0] == '0' && len > 1))
        return false;
    size_t v = 0;
    for (size_t i = 0; i < len; i++) {
        if (!isdigit((unsigned char)text[i]))
            return false;
        v = 10 * v + (size_t)(text[i] - '0');
    }
    *out = v;
    return true;
}

/* ---- applying ---------------------------------------------------------- */

int mdl_override_apply(const struct mdl_ydoc *doc, struct mdl_ynode **root, const char *key,
                       struct mdl_ynode *value, const struct mdl_ynode *at, struct sim_arena *arena,
                       struct sim_err *err)
{
    struct mdl_yread r = {doc, err};
    size_t plen;
    char op = mdl_override_op(key, &plen);
    char *path = sim_arena_alloc(arena, plen + 1);
    memcpy(path, key, plen);
    const char *verb = op == '=' ? "set" : "change";
    struct change c = {.arena = arena, .by = value};
    if (op == '=' && refuse_plus(&r, path, value))
        return err->code;
    if (op != '=') {
        c.made.op = op;
        if (read_operand(&r, key, value, &c))
            return err->code;
        size_t len = strlen(key) + strlen(value->text) + 1;
        char *change = sim_arena_alloc(arena, len);
        snprintf(change, len, "%s%s", key, value->text);
        c.made.change = change;
        c.made.by = value->text;
        struct mdl_yrel *holds = sim_arena_alloc(arena, sizeof *holds);
        *holds = c.made;
        c.holds = holds;
    }
    struct mdl_ynode **slot = root;
    const char *p = path;
    for (;;) {
        const char *dot = strchr(p, '.');
        size_t len = dot ? (size_t)(dot - p) : strlen(p);
        int before = p > path ? (int)(p - path - 1) : 0;   /* the path down to this step */
        if (len == 0)
            return mdl_yread_fail(&r, at, "'%s' is not a path of keys such as departments.credit.staff", path);
        struct mdl_ynode *m = *slot;
        if (!m || m->kind == MDL_Y_SCALAR)
            return mdl_yread_fail(&r, at, "'%s': '%.*s' is not under a mapping or a list", path, (int)len, p);
        struct mdl_ynode *copy = sim_arena_alloc(arena, sizeof *copy);
        *copy = *m;
        *slot = copy;
        if (m->kind == MDL_Y_SEQ) {
            size_t i;
            char where[256];   /* the list, by its path */
            snprintf(where, sizeof where, "%.*s", before ? before : 250, before ? path : "the scenario");
            if (!index_of(p, len, &i))
                return mdl_yread_fail(&r, at, "'%s': %s is a list: name an item by its place from 0, as in %s.0",
                                      path, where, where);
            if (i >= m->n && m->n)
                return mdl_yread_fail(&r, at, "'%s': %s has %zu item%s (0 to %zu)", path, where, m->n,
                                      m->n == 1 ? "" : "s", m->n - 1);
            if (i >= m->n)
                return mdl_yread_fail(&r, at, "'%s': %s has no items", path, where);
            copy->items = sim_arena_alloc(arena, m->n * sizeof *copy->items);
            memcpy(copy->items, m->items, m->n * sizeof *copy->items);
            slot = &copy->items[i];
        } else {
            copy->pairs = sim_arena_alloc(arena, (m->n + 1) * sizeof *copy->pairs);
            memcpy(copy->pairs, m->pairs, m->n * sizeof *copy->pairs);
            size_t k = 0;
            while (k < copy->n && !(strlen(copy->pairs[k].key) == len && !strncmp(copy->pairs[k].key, p, len)))
                k++;
            if (k == copy->n) {
                char want[64];
                snprintf(want, sizeof want, "%.*s", (int)(len < 63 ? len : 63), p);
                if (!dot && op != '=')
                    return mdl_yread_fail(&r, at, "'%s': there is no '%s' to change (set it with =)", path, want);
                if (dot) {
                    const char *names[128];   /* the keys a suggestion is chosen among */
                    size_t nn = 0;
                    for (size_t i = 0; i < copy->n && nn < sizeof names / sizeof names[0]; i++)
                        names[nn++] = copy->pairs[i].key;
                    const char *close = sim_err_suggest(want, names, nn);
                    return mdl_yread_fail(&r, at, "'%s': there is no '%s' to %s%s%s%s", path, want, verb,
                                          close ? "; did you mean '" : "", close ? close : "", close ? "'?" : "");
                }
                /* a new last key: it takes the position of the override */
                char *newkey = sim_arena_alloc(arena, len + 1);
                memcpy(newkey, p, len);
                copy->pairs[copy->n++] = (struct mdl_ypair){newkey, at->src, at->line, at->col, NULL};
            }
            slot = &copy->pairs[k].value;
        }
        if (dot) {
            p = dot + 1;
            continue;
        }
        if (op == '=') {
            *slot = value;
            return SIM_OK;
        }
        struct mdl_ynode *now = changed_numbers(&c, *slot);
        if (c.nchanged == 0) {
            char one[200];
            first_number(*slot, one, sizeof one, 0);
            return mdl_yread_fail(&r, at, "%s holds no number a relative change can change (a number, each count "
                                          "or rate of a schedule, per_hour)%s%s%s", path,
                                  one[0] ? "; name one, as in " : "", one[0] ? path : "", one);
        }
        *slot = now;
        return SIM_OK;
    }
}
