/* models/override.c — PATH=VALUE parsed and applied (see override.h). */
#include "models/override.h"
#include "models/yread.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int mdl_override_parse(struct mdl_ydoc *doc, const char *source, const char *arg, size_t k, const char **path,
                       struct mdl_ynode **value, struct mdl_ynode *at, struct sim_err *err)
{
    bool grid = !strcmp(source, MDL_GRID_SOURCE);
    const char *eq = strchr(arg, '=');
    size_t plen = eq ? (size_t)(eq - arg) : strlen(arg);
    int line = (int)k + 1;
    if (!eq || plen == 0 || !eq[1]) {
        sim_err_set(err, SIM_EDATA, grid ? "--grid needs PATH=VALUES, as in departments.credit.staff=1,2,3 or "
                                           "'departments.sales.staff={from: 2, to: 6}'"
                                         : "--set needs PATH=VALUE, as in departments.credit.staff=3");
        sim_err_locate(err, source, line, eq ? (int)plen + 2 : (int)strlen(arg) + 1);
        return err->code;
    }
    /* the value as if on line k + 1 of the source, after its "PATH=" */
    size_t vlen = strlen(eq + 1), n = k + plen + 1 + vlen;
    char *padded = sim_xmalloc(n + 2);
    memset(padded, '\n', k);
    memset(padded + k, ' ', plen + 1);
    memcpy(padded + k + plen + 1, eq + 1, vlen + 1);
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
            padded[k + plen] = '[';
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
    if (!v) {
        sim_err_set(err, SIM_EDATA, "%s %.*s has no value%s", source, (int)plen, arg, grid ? "s" : "");
        sim_err_locate(err, source, line, (int)plen + 2);
        return err->code;
    }
    char *p = sim_arena_alloc(doc->arena, plen + 1);
    memcpy(p, arg, plen);
    *path = p;
    *value = v;
    *at = (struct mdl_ynode){.src = (int)doc->nsources - 1, .line = line, .col = 1};
    return SIM_OK;
}

int mdl_override_apply(const struct mdl_ydoc *doc, struct mdl_ynode **root, const char *path,
                       struct mdl_ynode *value, const struct mdl_ynode *at, struct sim_arena *arena,
                       struct sim_err *err)
{
    struct mdl_yread r = {doc, err};
    struct mdl_ynode **slot = root;
    const char *p = path;
    for (;;) {
        const char *dot = strchr(p, '.');
        size_t len = dot ? (size_t)(dot - p) : strlen(p);
        if (len == 0)
            return mdl_yread_fail(&r, at, "'%s' is not a path of keys such as departments.credit.staff", path);
        struct mdl_ynode *m = *slot;
        if (!m || m->kind != MDL_Y_MAP)
            return mdl_yread_fail(&r, at, "'%s': '%.*s' is not under a mapping", path, (int)len, p);
        struct mdl_ynode *copy = sim_arena_alloc(arena, sizeof *copy);
        *copy = *m;
        copy->pairs = sim_arena_alloc(arena, (m->n + 1) * sizeof *copy->pairs);
        memcpy(copy->pairs, m->pairs, m->n * sizeof *copy->pairs);
        *slot = copy;
        size_t k = 0;
        while (k < copy->n && !(strlen(copy->pairs[k].key) == len && !strncmp(copy->pairs[k].key, p, len)))
            k++;
        if (k == copy->n) {
            if (dot) {
                const char *names[128];   /* the keys a suggestion is chosen among */
                size_t nn = 0;
                for (size_t i = 0; i < copy->n && nn < sizeof names / sizeof names[0]; i++)
                    names[nn++] = copy->pairs[i].key;
                char want[64];
                snprintf(want, sizeof want, "%.*s", (int)(len < 63 ? len : 63), p);
                const char *close = sim_err_suggest(want, names, nn);
                return mdl_yread_fail(&r, at, "'%s': there is no '%s' to set%s%s%s", path, want,
                                      close ? "; did you mean '" : "", close ? close : "", close ? "'?" : "");
            }
            /* a new last key: it takes the position of the override */
            char *key = sim_arena_alloc(arena, len + 1);
            memcpy(key, p, len);
            copy->pairs[copy->n++] = (struct mdl_ypair){key, at->src, at->line, at->col, NULL};
        }
        if (!dot) {
            copy->pairs[k].value = value;
            return SIM_OK;
        }
        slot = &copy->pairs[k].value;
        p = dot + 1;
    }
}
