/* models/yemit.c — a document tree as YAML text (see yemit.h). */
#include "models/yemit.h"
#include "sim/mem.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

struct buffer {
    char *data;
    size_t len, cap;
};

static int append(void *ctx, unsigned char *bytes, size_t n)
{
    struct buffer *b = ctx;
    if (b->len + n + 1 > b->cap) {
        b->cap = 2 * (b->len + n + 1);
        b->data = sim_xrealloc(b->data, b->cap);
    }
    memcpy(b->data + b->len, bytes, n);
    b->len += n;
    b->data[b->len] = '\0';
    return 1;
}

static bool flat(const struct mdl_ynode *n)
{
    for (size_t i = 0; i < n->n; i++) {
        const struct mdl_ynode *c = n->kind == MDL_Y_MAP ? n->pairs[i].value : n->items[i];
        if (c->kind != MDL_Y_SCALAR)
            return false;
    }
    return n->n <= 8;
}

static int scalar(yaml_emitter_t *em, const char *text, bool plain)
{
    yaml_event_t ev;
    if (!yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)text, (int)strlen(text), plain, !plain,
                                      plain ? YAML_ANY_SCALAR_STYLE : YAML_DOUBLE_QUOTED_SCALAR_STYLE))
        return 0;
    return yaml_emitter_emit(em, &ev);
}

/* Writes n; in flow style throughout when all_flow, else as yemit.h says.
 * A top-level key named in skip (NULL-terminated; NULL: none) is left out. */
static int node(yaml_emitter_t *em, const struct mdl_ynode *n, bool all_flow, const char *const *skip)
{
    yaml_event_t ev;
    if (n->kind == MDL_Y_SCALAR)
        return scalar(em, n->text, n->plain);
    bool in_flow = all_flow || (flat(n) && n->n > 0);
    if (n->kind == MDL_Y_MAP) {
        if (!yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1,
                                                 in_flow ? YAML_FLOW_MAPPING_STYLE : YAML_BLOCK_MAPPING_STYLE) ||
            !yaml_emitter_emit(em, &ev))
            return 0;
        for (size_t i = 0; i < n->n; i++) {
            bool skipped = false;
            for (size_t k = 0; skip && skip[k]; k++)
                skipped |= !strcmp(skip[k], n->pairs[i].key);
            if (!skipped && (!scalar(em, n->pairs[i].key, true) || !node(em, n->pairs[i].value, all_flow, NULL)))
                return 0;
        }
        return yaml_mapping_end_event_initialize(&ev) && yaml_emitter_emit(em, &ev);
    }
    if (!yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1,
                                              in_flow ? YAML_FLOW_SEQUENCE_STYLE : YAML_BLOCK_SEQUENCE_STYLE) ||
        !yaml_emitter_emit(em, &ev))
        return 0;
    for (size_t i = 0; i < n->n; i++)
        if (!node(em, n->items[i], all_flow, NULL))
            return 0;
    return yaml_sequence_end_event_initialize(&ev) && yaml_emitter_emit(em, &ev);
}

static int emit(const struct mdl_ynode *root, const char *header, bool all_flow, const char *const *skip, char **out,
                size_t *len, struct sim_err *err)
{
    struct buffer b = {NULL, 0, 0};
    if (header)
        append(&b, (unsigned char *)header, strlen(header));
    yaml_emitter_t em;
    yaml_event_t ev;
    int ok = yaml_emitter_initialize(&em);
    if (ok) {
        yaml_emitter_set_output(&em, append, &b);
        yaml_emitter_set_unicode(&em, 1);
        yaml_emitter_set_width(&em, all_flow ? -1 : 100);   /* flow: one line, however long */
        ok = yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING) && yaml_emitter_emit(&em, &ev) &&
             yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1) && yaml_emitter_emit(&em, &ev) &&
             node(&em, root, all_flow, skip) && yaml_document_end_event_initialize(&ev, 1) && yaml_emitter_emit(&em, &ev) &&
             yaml_stream_end_event_initialize(&ev) && yaml_emitter_emit(&em, &ev) && yaml_emitter_flush(&em);
        const char *problem = em.problem;
        yaml_emitter_delete(&em);
        if (!ok) {
            free(b.data);
            return sim_err_set(err, SIM_EINTERNAL, "cannot write the scenario as YAML: %s",
                               problem ? problem : "the emitter failed");
        }
    }
    if (!ok) {
        free(b.data);
        return sim_err_set(err, SIM_EINTERNAL, "cannot write the scenario as YAML: out of memory");
    }
    if (!b.data)
        append(&b, (unsigned char *)"", 0);
    *out = b.data;
    *len = b.len;
    return SIM_OK;
}

int mdl_yemit(const struct mdl_ynode *root, const char *header, const char *const *skip, char **out, size_t *len,
              struct sim_err *err)
{
    return emit(root, header, false, skip, out, len, err);
}

int mdl_yemit_flow(const struct mdl_ynode *n, const char *const *skip, char **out, struct sim_err *err)
{
    size_t len;
    if (emit(n, NULL, true, skip, out, &len, err))
        return err->code;
    while (len > 0 && ((*out)[len - 1] == '\n' || (*out)[len - 1] == ' '))
        (*out)[--len] = '\0';
    return SIM_OK;
}
