/* models/plans.c — the plans of a scenario beside its baseline: variants
 * (for cxsim compare) and the sweep grid (cxsim sweep), spec §2 and §5.
 *
 * A plan is the scenario's tree with overrides applied by path copy
 * (mdl_check_apply_set), then built and checked like a file. Every variant
 * and every value of every sweep axis is built once when the file is read,
 * so a plan's mistake is reported, at its value, before anything runs. A
 * grid point combines one value of each axis; combinations are built when
 * asked (mdl_scenario_grid_build), each in its own arena, so they may be
 * built on any thread: nothing here writes to the shared document after
 * the scenario is loaded.
 */
#include "models/check.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_RANGE 100000

static int read_variants(struct mdl_build *b, struct mdl_ydoc *doc, const struct mdl_ynode *vars)
{
    static const char *vkeys[] = {"name", "set"};
    struct mdl_yread *r = &b->r;
    struct mdl_scenario *s = b->s;
    if (mdl_yread_seq(r, vars, "variants"))
        return r->err->code;
    s->nvariants = vars->n;
    s->variants = sim_arena_alloc(s->arena, vars->n * sizeof *s->variants);
    for (size_t i = 0; i < vars->n; i++) {
        const struct mdl_ynode *v = vars->items[i];
        char what[64];
        snprintf(what, sizeof what, "variant %zu", i + 1);
        if (mdl_yread_map(r, v, what, vkeys, 2))
            return r->err->code;
        const struct mdl_ynode *name = mdl_ynode_get(v, "name"), *set = mdl_ynode_get(v, "set");
        if (!name || !set)
            return mdl_yread_fail(r, v, "%s needs name: and set:", what);
        if (mdl_yread_text(r, name, "name of a variant", &s->variants[i].name))
            return r->err->code;
        for (size_t k = 0; k < i; k++)
            if (!strcmp(s->variants[k].name, s->variants[i].name))
                return mdl_yread_fail(r, name, "two variants are called '%s'", s->variants[i].name);
        if (set->kind != MDL_Y_MAP || set->n == 0)
            return mdl_yread_fail(r, set, "set: of %s must map paths such as departments.credit.staff to "
                                          "values", what);
        struct mdl_ynode *vroot = (struct mdl_ynode *)b->root;
        for (size_t k = 0; k < set->n; k++) {
            struct mdl_ynode at = {.src = set->pairs[k].src, .line = set->pairs[k].line, .col = set->pairs[k].col};
            if (mdl_check_apply_set(r, &vroot, set->pairs[k].key, set->pairs[k].value, &at, doc->arena))
                return r->err->code;
        }
        s->variants[i].root = vroot;
        struct mdl_scenario *check = NULL;
        if (mdl_check_build(doc, false, vroot, false, &check, r->err))
            return r->err->code;
        mdl_scenario_destroy(check);
    }
    return SIM_OK;
}

/* The values of a range {from: A, to: B, step: S}, as scalar nodes placed
 * at the range. */
static int read_range(struct mdl_yread *r, struct mdl_ydoc *doc, struct mdl_scenario *s, const struct mdl_ynode *v,
                      struct mdl_sweep_axis *axis)
{
    static const char *rkeys[] = {"from", "to", "step"};
    if (mdl_yread_map(r, v, "a sweep range", rkeys, 3))
        return r->err->code;
    const struct mdl_ynode *from = mdl_ynode_get(v, "from"), *to = mdl_ynode_get(v, "to"),
                           *step = mdl_ynode_get(v, "step");
    double a, z, st = 1;
    if (!from || !to)
        return mdl_yread_fail(r, v, "a sweep range needs from: and to:");
    if (mdl_yread_number(r, from, "from", -1e12, 1e12, &a) || mdl_yread_number(r, to, "to", a, 1e12, &z) ||
        (step && mdl_yread_number(r, step, "step", 1e-9, 1e12, &st)))
        return r->err->code;
    double count = floor((z - a) / st + 1e-9) + 1;
    if (count > MAX_RANGE)
        return mdl_yread_fail(r, v, "this range has %.0f values; at most %d", count, MAX_RANGE);
    axis->nvalues = (size_t)count;
    axis->values = sim_arena_alloc(s->arena, axis->nvalues * sizeof *axis->values);
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

/* Reads the axes of `sweep` (a map of path -> list or range) into s,
 * building every value on the baseline root to check it. */
static int read_axes(struct mdl_yread *r, struct mdl_ydoc *doc, struct mdl_scenario *s, struct mdl_ynode *root,
                     const struct mdl_ynode *sweep)
{
    if (sweep->kind != MDL_Y_MAP || sweep->n == 0)
        return mdl_yread_fail(r, sweep, "sweep must map paths such as departments.credit.staff to lists of "
                                        "values or to {from: A, to: B}");
    if (sweep->n > MDL_MAX_AXES)
        return mdl_yread_fail(r, sweep, "a sweep has at most %d axes, this one has %zu", MDL_MAX_AXES, sweep->n);
    s->naxes = sweep->n;
    s->axes = sim_arena_alloc(s->arena, sweep->n * sizeof *s->axes);
    for (size_t i = 0; i < sweep->n; i++) {
        struct mdl_sweep_axis *axis = &s->axes[i];
        const struct mdl_ynode *v = sweep->pairs[i].value;
        axis->path = sweep->pairs[i].key;
        axis->src = sweep->pairs[i].src;
        axis->line = sweep->pairs[i].line;
        axis->col = sweep->pairs[i].col;
        if (v->kind == MDL_Y_SEQ) {
            if (v->n == 0)
                return mdl_yread_fail(r, v, "sweep of %s lists no values", axis->path);
            axis->nvalues = v->n;
            axis->values = v->items;
        } else if (v->kind == MDL_Y_MAP) {
            if (read_range(r, doc, s, v, axis))
                return r->err->code;
        } else {
            axis->nvalues = 1;
            axis->values = sim_arena_alloc(s->arena, sizeof *axis->values);
            axis->values[0] = (struct mdl_ynode *)v;
        }
        /* Each value must make a valid scenario on its own. */
        for (size_t k = 0; k < axis->nvalues; k++) {
            struct mdl_ynode *vroot = root;
            struct mdl_ynode at = {.src = axis->src, .line = axis->line, .col = axis->col};
            if (mdl_check_apply_set(r, &vroot, axis->path, axis->values[k], &at, doc->arena))
                return r->err->code;
            struct mdl_scenario *check = NULL;
            if (mdl_check_build(doc, false, vroot, false, &check, r->err))
                return r->err->code;
            mdl_scenario_destroy(check);
        }
    }
    return SIM_OK;
}

int mdl_check_plans(struct mdl_build *b, struct mdl_ydoc *doc)
{
    const struct mdl_ynode *vars = mdl_ynode_get(b->root, "variants");
    if (vars && read_variants(b, doc, vars))
        return b->r.err->code;
    const struct mdl_ynode *sweep = mdl_ynode_get(b->root, "sweep");
    if (sweep)
        return read_axes(&b->r, doc, b->s, (struct mdl_ynode *)b->root, sweep);
    return SIM_OK;
}

int mdl_scenario_variant(const struct mdl_scenario *s, size_t v, struct mdl_scenario **out, struct sim_err *err)
{
    if (v >= s->nvariants)
        return sim_err_set(err, SIM_EINTERNAL, "no variant %zu", v);
    return mdl_check_build(s->doc, false, s->variants[v].root, false, out, err);
}

/* Parses one "PATH=VALUES" of --grid, as if it stood on line k + 1 of the
 * --grid source after its "PATH=", so positions match the joined axes. A
 * plain value with commas ("1,2,3") is read as a list. */
static int parse_grid_axis(struct mdl_ydoc *doc, const char *arg, size_t k, struct mdl_ypair *pair,
                           struct sim_err *err)
{
    const char *eq = strchr(arg, '=');
    size_t plen = eq ? (size_t)(eq - arg) : strlen(arg);
    if (!eq || plen == 0 || !eq[1]) {
        sim_err_set(err, SIM_EDATA, "--grid needs PATH=VALUES, as in departments.credit.staff=1,2,3 or "
                                    "'departments.sales.staff={from: 2, to: 6}'");
        sim_err_locate(err, MDL_GRID_SOURCE, (int)k + 1, eq ? (int)plen + 2 : (int)strlen(arg) + 1);
        return err->code;
    }
    size_t vlen = strlen(eq + 1), n = k + plen + 1 + vlen;
    char *padded = sim_xmalloc(n + 2);
    memset(padded, '\n', k);
    memset(padded + k, ' ', plen + 1);
    memcpy(padded + k + plen + 1, eq + 1, vlen + 1);
    struct mdl_ynode *value = NULL;
    struct sim_err quiet;
    sim_err_init(&quiet);
    int rc = mdl_ydoc_parse(doc, MDL_GRID_SOURCE, padded, n, &value, &quiet);
    if (rc || !value || (value->kind == MDL_Y_SCALAR && value->plain && strchr(value->text, ','))) {
        /* "1,2,3": the same text between brackets, '[' where '=' stood */
        padded[k + plen] = '[';
        padded[n] = ']';
        padded[n + 1] = '\0';
        struct sim_err listed;
        sim_err_init(&listed);
        struct mdl_ynode *list = NULL;
        if (!mdl_ydoc_parse(doc, MDL_GRID_SOURCE, padded, n + 1, &list, &listed) && list) {
            value = list;
            rc = SIM_OK;
        } else if (rc) {
            *err = quiet;
        }
    }
    free(padded);
    if (rc)
        return err->code;
    if (!value) {
        sim_err_set(err, SIM_EDATA, "--grid %.*s has no values", (int)plen, arg);
        sim_err_locate(err, MDL_GRID_SOURCE, (int)k + 1, (int)plen + 2);
        return err->code;
    }
    char *path = sim_arena_alloc(doc->arena, plen + 1);
    memcpy(path, arg, plen);
    *pair = (struct mdl_ypair){path, (int)doc->nsources - 1, (int)k + 1, 1, value};
    return SIM_OK;
}

int mdl_scenario_set_grid(struct mdl_scenario *s, const char *const *grid, size_t ngrid, struct sim_err *err)
{
    struct mdl_ydoc *doc = s->doc;
    struct mdl_ynode *map = sim_arena_alloc(doc->arena, sizeof *map);
    *map = (struct mdl_ynode){.kind = MDL_Y_MAP, .src = -1, .line = 1, .col = 1, .weight = 1};
    map->pairs = sim_arena_alloc(doc->arena, (ngrid ? ngrid : 1) * sizeof *map->pairs);
    for (size_t k = 0; k < ngrid; k++) {
        struct mdl_ypair *pair = &map->pairs[map->n];
        if (parse_grid_axis(doc, grid[k], k, pair, err))
            return err->code;
        for (size_t i = 0; i < map->n; i++)
            if (!strcmp(map->pairs[i].key, pair->key)) {
                sim_err_set(err, SIM_EDATA, "--grid gives %s twice", pair->key);
                sim_err_locate(err, MDL_GRID_SOURCE, (int)k + 1, 1);
                return err->code;
            }
        map->n++;
    }
    struct mdl_yread r = {doc, err};
    return read_axes(&r, doc, s, s->root, map);
}

uint64_t mdl_scenario_grid_size(const struct mdl_scenario *s)
{
    if (s->naxes == 0)
        return 0;
    uint64_t n = 1;
    for (size_t a = 0; a < s->naxes; a++) {
        if (n > UINT64_MAX / s->axes[a].nvalues)
            return UINT64_MAX;
        n *= s->axes[a].nvalues;
    }
    return n;
}

void mdl_scenario_grid_point(const struct mdl_scenario *s, uint64_t p, size_t *idx)
{
    for (size_t a = s->naxes; a-- > 0;) {
        idx[a] = (size_t)(p % s->axes[a].nvalues);
        p /= s->axes[a].nvalues;
    }
}

int mdl_scenario_grid_build(const struct mdl_scenario *s, uint64_t p, struct mdl_scenario **out, struct sim_err *err)
{
    size_t idx[MDL_MAX_AXES];
    assert(s->naxes <= MDL_MAX_AXES && p < mdl_scenario_grid_size(s));
    mdl_scenario_grid_point(s, p, idx);
    struct sim_arena *arena = sim_arena_create(4096);
    struct mdl_yread r = {s->doc, err};
    struct mdl_ynode *root = s->root;
    *out = NULL;
    for (size_t a = 0; a < s->naxes; a++) {
        const struct mdl_sweep_axis *axis = &s->axes[a];
        struct mdl_ynode at = {.src = axis->src, .line = axis->line, .col = axis->col};
        if (mdl_check_apply_set(&r, &root, axis->path, axis->values[idx[a]], &at, arena)) {
            sim_arena_destroy(arena);
            return err->code;
        }
    }
    if (mdl_check_build(s->doc, false, root, false, out, err)) {
        sim_arena_destroy(arena);
        return err->code;
    }
    (*out)->tree_arena = arena;
    return SIM_OK;
}

const char *mdl_scenario_grid_name(const struct mdl_scenario *s, uint64_t p, char *buf, size_t len)
{
    size_t idx[MDL_MAX_AXES], used = 0;
    mdl_scenario_grid_point(s, p, idx);
    buf[0] = '\0';
    for (size_t a = 0; a < s->naxes && used < len; a++) {
        const char *path = s->axes[a].path;
        if (!strncmp(path, "departments.", 12))
            path += 12;
        else if (!strncmp(path, "customers.", 10))
            path += 10;
        char value[256];
        mdl_ynode_format(s->axes[a].values[idx[a]], value, sizeof value);
        int k = snprintf(buf + used, len - used, "%s%s=%s", a ? ", " : "", path, value);
        used += k > 0 ? (size_t)k : 0;
    }
    return buf;
}
