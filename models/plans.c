/* models/plans.c — a scenario's variants and sweep grid (see plans.h).
 *
 * Variants keep the tree with their set: applied (applied once, when read);
 * axes keep their values as nodes of the baseline's document (a range's
 * values are made as scalar nodes placed at the range). A grid point applies
 * one value of each axis into an arena of its own, which its scenario owns.
 */
#include "models/plans.h"
#include "models/check.h"
#include "models/override.h"
#include "models/scenario_int.h"
#include "models/yread.h"

#include <assert.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_RANGE 100000

struct plans {
    struct mdl_plans pub;              /* first: a struct mdl_plans * is a struct plans * */
    const struct mdi_scenario *base;
    struct sim_arena *arena;           /* the arrays below */
    struct mdl_variant *variants;
    struct mdl_ynode **variant_roots;  /* each variant's tree, set: applied */
};

static struct plans *plans_of(const struct mdl_plans *p)
{
    return (struct plans *)(void *)p;
}

/* The baseline's tree, as the root a path copy starts from (never written:
 * the maps along a path are copied). */
static struct mdl_ynode *base_root(const struct plans *pl)
{
    return (struct mdl_ynode *)(void *)pl->base->root;
}

struct named {
    const char *name;
    size_t i;
};

static int by_name_then_place(const void *a, const void *b)
{
    const struct named *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    return c ? c : (x->i > y->i) - (x->i < y->i);
}

/* For each variant, whether an earlier one has its name (in the arena):
 * sorted once, so that thousands of variants are read in n log n, not n^2.
 * Variants without a plain name are left out: reading them fails first. */
static bool *repeated_names(struct plans *pl, const struct mdl_ynode *vars)
{
    bool *again = sim_arena_alloc(pl->arena, (vars->n ? vars->n : 1) * sizeof *again);
    struct named *v = sim_xmalloc((vars->n ? vars->n : 1) * sizeof *v);
    size_t n = 0;
    for (size_t i = 0; i < vars->n; i++) {
        const struct mdl_ynode *item = vars->items[i];
        const struct mdl_ynode *name = item->kind == MDL_Y_MAP ? mdl_ynode_get(item, "name") : NULL;
        if (name && name->kind == MDL_Y_SCALAR)
            v[n++] = (struct named){name->text, i};
    }
    qsort(v, n, sizeof *v, by_name_then_place);
    for (size_t k = 1; k < n; k++)
        if (!strcmp(v[k].name, v[k - 1].name))
            again[v[k].i] = true;
    free(v);
    return again;
}

/* Refuses a plan's path that would change nothing (`who`: "a variant", "a
 * sweep"): every plan of a comparison or a sweep runs on the same seed and
 * replications, and a plan's own variants: and sweep: are never read, so
 * the change would do nothing (a variant that makes no other change runs
 * as the baseline under another name: "no difference at all"). Located
 * at `at`. */
static int refuse_no_op(struct mdl_yread *r, const struct mdl_ynode *at, const char *path, const char *who)
{
    static const char *const keys[] = {"seed", "replications", "variants", "sweep", "optimise"};
    size_t plen;
    mdl_override_op(path, &plen);   /* seed+= changes seed too */
    size_t len = strcspn(path, ".");
    if (len > plen)
        len = plen;
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
        if (len != strlen(keys[k]) || strncmp(path, keys[k], len))
            continue;
        if (k < 2)
            return mdl_yread_fail(r, at, "%s cannot change %s: every plan runs on the same seed and replications "
                                         "(common random numbers: every plan meets the same customers, so a "
                                         "difference comes from the plan alone); to change them for every plan, "
                                         "use --seed or --reps", who, keys[k]);
        return mdl_yread_fail(r, at, "%s cannot change %s: a plan's own variants, sweep and optimise are never "
                                     "read, so the change would do nothing", who, keys[k]);
    }
    return SIM_OK;
}

static int read_variants(struct plans *pl, const struct mdl_ynode *vars, struct sim_err *err)
{
    static const char *vkeys[] = {"name", "set"};
    struct mdl_ydoc *doc = pl->base->doc;
    struct mdl_yread r = {doc, err};
    if (mdl_yread_seq(&r, vars, "variants"))
        return err->code;
    pl->variants = sim_arena_alloc(pl->arena, (vars->n ? vars->n : 1) * sizeof *pl->variants);
    pl->variant_roots = sim_arena_alloc(pl->arena, (vars->n ? vars->n : 1) * sizeof *pl->variant_roots);
    bool *again = repeated_names(pl, vars);
    for (size_t i = 0; i < vars->n; i++) {
        const struct mdl_ynode *v = vars->items[i];
        char what[64];
        snprintf(what, sizeof what, "variant %zu", i + 1);
        if (mdl_yread_map(&r, v, what, vkeys, 2))
            return err->code;
        const struct mdl_ynode *name = mdl_ynode_get(v, "name"), *set = mdl_ynode_get(v, "set");
        if (!name || !set)
            return mdl_yread_fail(&r, v, "%s needs name: and set:", what);
        if (mdl_yread_text(&r, name, "name of a variant", &pl->variants[i].name))
            return err->code;
        if (again[i])
            return mdl_yread_fail(&r, name, "two variants are called '%s'", pl->variants[i].name);
        if (set->kind != MDL_Y_MAP || set->n == 0)
            return mdl_yread_fail(&r, set, "set: of %s must map paths such as departments.credit.staff to "
                                           "values", what);
        struct mdl_ynode *vroot = base_root(pl);
        for (size_t k = 0; k < set->n; k++) {
            struct mdl_ynode at = {.src = set->pairs[k].src, .line = set->pairs[k].line, .col = set->pairs[k].col};
            if (refuse_no_op(&r, &at, set->pairs[k].key, "a variant") ||
                mdl_override_apply(doc, &vroot, set->pairs[k].key, set->pairs[k].value, &at, doc->arena, err))
                return err->code;
        }
        pl->variant_roots[i] = vroot;
        pl->pub.nvariants = i + 1;
    }
    pl->pub.variants = pl->variants;
    return SIM_OK;
}

/* The values of a range {from: A, to: B, step: S}, as scalar nodes placed
 * at the range. */
static int read_range(struct plans *pl, const struct mdl_ynode *v, struct mdl_sweep_axis *axis, struct sim_err *err)
{
    static const char *rkeys[] = {"from", "to", "step"};
    struct mdl_ydoc *doc = pl->base->doc;
    struct mdl_yread r = {doc, err};
    for (size_t i = 0; v->kind == MDL_Y_MAP && i < v->n; i++) {   /* {from:3,to:8}: YAML's colon needs a space */
        const char *colon = strchr(v->pairs[i].key, ':');
        if (colon && colon != v->pairs[i].key)
            return mdl_yread_fail_key(&r, &v->pairs[i], "'%s' is one word to YAML, whose colon needs a space after "
                                      "it: write {from: 3, to: 8} (spaces after the colons), or 3..8",
                                      v->pairs[i].key);
    }
    if (mdl_yread_map(&r, v, "a sweep range", rkeys, 3))
        return err->code;
    const struct mdl_ynode *from = mdl_ynode_get(v, "from"), *to = mdl_ynode_get(v, "to"),
                           *step = mdl_ynode_get(v, "step");
    double a, z, st = 1;
    if (!from || !to)
        return mdl_yread_fail(&r, v, "a sweep range needs from: and to:");
    if (mdl_yread_number(&r, from, "from", -1e12, 1e12, &a) || mdl_yread_number(&r, to, "to", a, 1e12, &z) ||
        (step && mdl_yread_number(&r, step, "step", 1e-9, 1e12, &st)))
        return err->code;
    double count = floor((z - a) / st + 1e-9) + 1;
    if (count > MAX_RANGE)
        return mdl_yread_fail(&r, v, "this range has %.0f values; at most %d", count, MAX_RANGE);
    axis->nvalues = (size_t)count;
    axis->values = sim_arena_alloc(pl->arena, axis->nvalues * sizeof *axis->values);
    for (size_t k = 0; k < axis->nvalues; k++) {
        struct mdl_ynode *num = sim_arena_alloc(doc->arena, sizeof *num);
        char *text = sim_arena_alloc(doc->arena, 32);
        snprintf(text, 32, "%.15g", a + (double)k * st);
        *num = (struct mdl_ynode){.kind = MDL_Y_SCALAR, .src = v->src, .line = v->line, .col = v->col, .text = text,
                                  .plain = true, .weight = 1};
        axis->values[k] = num;
    }
    return SIM_OK;
}

/* A scalar written as a plain number (3, 2.0, 1e3, 1_000), as the checker
 * reads numbers: its value in *out. */
static bool plain_number(const struct mdl_ynode *n, double *out)
{
    char clean[64];
    size_t k = 0;
    if (n->kind != MDL_Y_SCALAR || !n->plain || !n->text[0] || n->text[strspn(n->text, "0123456789+-.eE_")])
        return false;
    for (const char *p = n->text; *p; p++)
        if (*p != '_') {
            if (k + 1 >= sizeof clean)
                return false;
            clean[k++] = *p;
        }
    clean[k] = '\0';
    char *end;
    *out = strtod(clean, &end);
    return end != clean && !*end && !isnan(*out);
}

/* A total order of values in which two values are equal when they mean
 * the same to the checker: numbers by value (2 and 2.0), texts by text and
 * quoting, lists item by item, mappings pair by pair. */
static int value_order(const struct mdl_ynode *a, const struct mdl_ynode *b)
{
    if (a->kind != b->kind)
        return (a->kind > b->kind) - (a->kind < b->kind);
    if (a->kind == MDL_Y_SCALAR) {
        double x, y;
        bool nx = plain_number(a, &x), ny = plain_number(b, &y);
        if (nx != ny)
            return nx ? -1 : 1;
        if (nx)
            return (x > y) - (x < y);
        if (a->plain != b->plain)
            return a->plain ? -1 : 1;
        return strcmp(a->text, b->text);
    }
    if (a->n != b->n)
        return (a->n > b->n) - (a->n < b->n);
    for (size_t i = 0; i < a->n; i++) {
        int c = a->kind == MDL_Y_SEQ ? value_order(a->items[i], b->items[i])
                                      : strcmp(a->pairs[i].key, b->pairs[i].key);
        if (!c && a->kind == MDL_Y_MAP)
            c = value_order(a->pairs[i].value, b->pairs[i].value);
        if (c)
            return c;
    }
    return 0;
}

struct placed {
    const struct mdl_ynode *value;
    size_t i;
};

static int by_value_then_place(const void *x, const void *y)
{
    const struct placed *a = x, *b = y;
    int c = value_order(a->value, b->value);
    return c ? c : (a->i > b->i) - (a->i < b->i);
}

/* Refuses an axis that lists a value twice: each value is one plan, and
 * the same plan twice tells nothing new. The first repeat in the axis's
 * order is named, at its place (a range's values are all at the range);
 * sorted once, so an axis of 10^6 values costs n log n. */
static int refuse_repeats(struct mdl_yread *r, const struct mdl_sweep_axis *axis, const struct mdl_ynode *range)
{
    struct placed *v = sim_xmalloc((axis->nvalues ? axis->nvalues : 1) * sizeof *v);
    for (size_t i = 0; i < axis->nvalues; i++)
        v[i] = (struct placed){axis->values[i], i};
    qsort(v, axis->nvalues, sizeof *v, by_value_then_place);
    size_t first = 0, again = SIZE_MAX;
    for (size_t k = 1, start = 0; k < axis->nvalues; k++) {
        if (value_order(v[k].value, v[start].value)) {
            start = k;
            continue;
        }
        if (k == start + 1 && v[k].i < again) {   /* the group's first repeat */
            again = v[k].i;
            first = v[start].i;
        }
    }
    free(v);
    if (again == SIZE_MAX)
        return SIM_OK;
    char was[128], is[128];
    mdl_ynode_format(axis->values[first], was, sizeof was);
    mdl_ynode_format(axis->values[again], is, sizeof is);
    if (range)
        return mdl_yread_fail(r, range, "%s lists %s twice: a range's values are written with 15 significant "
                                        "digits; give it a larger step", axis->path, was);
    bool same = !strcmp(was, is);
    return mdl_yread_fail(r, axis->values[again], "%s lists %s twice%s%s%s: each value is one plan, and the same "
                                                  "plan twice tells nothing new", axis->path, was,
                          same ? "" : " (as ", same ? "" : is, same ? "" : ")");
}

/* Reads the axes of `sweep` (a map of path -> list, range or one value);
 * each path is applied once, so a path that names nothing is refused here. */
static int read_axes(struct plans *pl, const struct mdl_ynode *sweep, struct sim_err *err)
{
    struct mdl_ydoc *doc = pl->base->doc;
    struct mdl_yread r = {doc, err};
    if (sweep->kind != MDL_Y_MAP || sweep->n == 0)
        return mdl_yread_fail(&r, sweep, "sweep must map paths such as departments.credit.staff to lists of "
                                         "values or to {from: A, to: B}");
    if (sweep->n > MDL_MAX_AXES)
        return mdl_yread_fail(&r, sweep, "a sweep has at most %d axes, this one has %zu", MDL_MAX_AXES, sweep->n);
    struct mdl_sweep_axis *axes = sim_arena_alloc(pl->arena, sweep->n * sizeof *axes);
    for (size_t i = 0; i < sweep->n; i++) {
        struct mdl_sweep_axis *axis = &axes[i];
        const struct mdl_ynode *v = sweep->pairs[i].value;
        axis->path = sweep->pairs[i].key;
        axis->src = sweep->pairs[i].src;
        axis->line = sweep->pairs[i].line;
        axis->col = sweep->pairs[i].col;
        struct mdl_ynode key = {.src = axis->src, .line = axis->line, .col = axis->col};
        if (refuse_no_op(&r, &key, axis->path, "a sweep"))
            return err->code;
        if (v->kind == MDL_Y_SEQ) {
            if (v->n == 0)
                return mdl_yread_fail(&r, v, "sweep of %s lists no values", axis->path);
            axis->nvalues = v->n;
            axis->values = v->items;
        } else if (v->kind == MDL_Y_MAP) {
            if (read_range(pl, v, axis, err))
                return err->code;
        } else {
            axis->nvalues = 1;
            axis->values = sim_arena_alloc(pl->arena, sizeof *axis->values);
            axis->values[0] = (struct mdl_ynode *)v;
        }
        if (refuse_repeats(&r, axis, v->kind == MDL_Y_MAP ? v : NULL))
            return err->code;
        struct mdl_ynode *root = base_root(pl);
        if (mdl_override_apply(doc, &root, axis->path, axis->values[0], &key, doc->arena, err))
            return err->code;
    }
    pl->pub.naxes = sweep->n;
    pl->pub.axes = axes;
    return SIM_OK;
}

int mdl_plans_read(const struct mdl_scenario *base, struct mdl_plans **out, struct sim_err *err)
{
    struct plans *pl = sim_xcalloc(1, sizeof *pl);
    pl->base = mdi_scenario_of(base);
    pl->arena = sim_arena_create(4096);
    *out = NULL;
    const struct mdl_ynode *root = pl->base->root;
    const struct mdl_ynode *vars = root ? mdl_ynode_get(root, "variants") : NULL;
    const struct mdl_ynode *sweep = root ? mdl_ynode_get(root, "sweep") : NULL;
    if ((vars && read_variants(pl, vars, err)) || (sweep && read_axes(pl, sweep, err))) {
        mdl_plans_destroy(&pl->pub);
        return err->code;
    }
    *out = &pl->pub;
    return SIM_OK;
}

int mdl_plans_set_grid(struct mdl_plans *p, const char *const *grid, size_t ngrid, struct sim_err *err)
{
    struct plans *pl = plans_of(p);
    struct mdl_ydoc *doc = pl->base->doc;
    struct mdl_ynode *map = sim_arena_alloc(doc->arena, sizeof *map);
    *map = (struct mdl_ynode){.kind = MDL_Y_MAP, .src = -1, .line = 1, .col = 1, .weight = 1};
    map->pairs = sim_arena_alloc(doc->arena, (ngrid ? ngrid : 1) * sizeof *map->pairs);
    for (size_t k = 0; k < ngrid; k++) {
        struct mdl_ypair *pair = &map->pairs[map->n];
        struct mdl_ynode at = {.line = 0};
        if (mdl_override_parse(doc, MDL_GRID_SOURCE, grid[k], k, &pair->key, &pair->value, &at, err))
            return err->code;
        pair->src = at.src;
        pair->line = at.line;
        pair->col = at.col;
        for (size_t i = 0; i < map->n; i++)
            if (!strcmp(map->pairs[i].key, pair->key)) {
                sim_err_set(err, SIM_EDATA, "--grid gives %s twice", pair->key);
                sim_err_locate(err, MDL_GRID_SOURCE, (int)k + 1, 1);
                return err->code;
            }
        map->n++;
    }
    return read_axes(pl, map, err);
}

int mdl_plans_build_variants(const struct mdl_plans *p, struct mdl_scenario **out, struct sim_err *err)
{
    const struct plans *pl = plans_of(p);
    for (size_t v = 0; v < p->nvariants; v++)
        if (mdl_check(pl->base->doc, false, pl->variant_roots[v], NULL, &out[v], err)) {
            while (v-- > 0) {
                mdl_scenario_destroy(out[v]);
                out[v] = NULL;
            }
            return err->code;
        }
    return SIM_OK;
}

int mdl_plans_check_axes(const struct mdl_plans *p, struct sim_err *err)
{
    const struct plans *pl = plans_of(p);
    for (size_t a = 0; a < p->naxes; a++) {
        const struct mdl_sweep_axis *axis = &p->axes[a];
        struct mdl_ynode at = {.src = axis->src, .line = axis->line, .col = axis->col};
        for (size_t k = 0; k < axis->nvalues; k++) {
            struct sim_arena *arena = sim_arena_create(1024);
            struct mdl_ynode *root = base_root(pl);
            struct mdl_scenario *s = NULL;
            if (mdl_override_apply(pl->base->doc, &root, axis->path, axis->values[k], &at, arena, err)) {
                sim_arena_destroy(arena);
                return err->code;
            }
            if (mdl_check(pl->base->doc, false, root, arena, &s, err))
                return err->code;
            mdl_scenario_destroy(s);
        }
    }
    return SIM_OK;
}

uint64_t mdl_plans_grid_size(const struct mdl_plans *p)
{
    if (p->naxes == 0)
        return 0;
    uint64_t n = 1;
    for (size_t a = 0; a < p->naxes; a++) {
        if (n > UINT64_MAX / p->axes[a].nvalues)
            return UINT64_MAX;
        n *= p->axes[a].nvalues;
    }
    return n;
}

void mdl_plans_grid_point(const struct mdl_plans *p, uint64_t k, size_t *idx)
{
    for (size_t a = p->naxes; a-- > 0;) {
        idx[a] = (size_t)(k % p->axes[a].nvalues);
        k /= p->axes[a].nvalues;
    }
}

int mdl_plans_grid_build(const struct mdl_plans *p, uint64_t k, struct mdl_scenario **out, struct sim_err *err)
{
    const struct plans *pl = plans_of(p);
    size_t idx[MDL_MAX_AXES];
    assert(p->naxes <= MDL_MAX_AXES && k < mdl_plans_grid_size(p));
    mdl_plans_grid_point(p, k, idx);
    struct sim_arena *arena = sim_arena_create(4096);
    struct mdl_ynode *root = base_root(pl);
    *out = NULL;
    for (size_t a = 0; a < p->naxes; a++) {
        const struct mdl_sweep_axis *axis = &p->axes[a];
        struct mdl_ynode at = {.src = axis->src, .line = axis->line, .col = axis->col};
        if (mdl_override_apply(pl->base->doc, &root, axis->path, axis->values[idx[a]], &at, arena, err)) {
            sim_arena_destroy(arena);
            return err->code;
        }
    }
    return mdl_check(pl->base->doc, false, root, arena, out, err);
}

const char *mdl_plans_grid_name(const struct mdl_plans *p, uint64_t k, char *buf, size_t len)
{
    size_t idx[MDL_MAX_AXES], used = 0;
    mdl_plans_grid_point(p, k, idx);
    buf[0] = '\0';
    for (size_t a = 0; a < p->naxes && used < len; a++) {
        const char *path = p->axes[a].path;
        if (!strncmp(path, "departments.", 12))
            path += 12;
        else if (!strncmp(path, "customers.", 10))
            path += 10;
        char value[256];
        mdl_ynode_format(p->axes[a].values[idx[a]], value, sizeof value);
        size_t plen;
        bool relative = mdl_override_op(path, &plen) != '=';   /* the key holds its operator: staff+= */
        int n = snprintf(buf + used, len - used, "%s%s%s%s", a ? ", " : "", path, relative ? "" : "=", value);
        used += n > 0 ? (size_t)n : 0;
    }
    return buf;
}

void mdl_plans_destroy(struct mdl_plans *p)
{
    if (!p)
        return;
    struct plans *pl = plans_of(p);
    sim_arena_destroy(pl->arena);
    free(pl);
}
