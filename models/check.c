/* models/check.c — a scenario's tree checked and made into its description
 * (see check.h).
 *
 * One pass reads the tree in an order where each part can refer to those
 * before it: the top-level keys, the day or run, the names of departments
 * and classes, then departments, classes, handoffs, requests, satisfaction
 * and the workshop; last, every journey a class can take. The first thing
 * that cannot mean anything is refused, located at its key or value. The
 * variants: and sweep: sections are accepted here and read by plans.c:
 * checking a scenario never checks its plans.
 */
#include "models/check.h"
#include "models/check_int.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TIME_MAX SIM_DIST_TIME_MAX

void mdi_check_warn(struct mdi_check *b, int src, int line, int col, const char *fmt, ...)
{
    struct mdl_scenario *s = b->s;
    if (s->nwarnings == b->capwarnings) {   /* grown in the scenario's arena; the old array stays there */
        size_t cap = b->capwarnings ? 2 * b->capwarnings : 4;
        struct mdl_warning *w = sim_arena_alloc(b->si->arena, cap * sizeof *w);
        if (s->nwarnings)
            memcpy(w, b->warnings, s->nwarnings * sizeof *w);
        b->warnings = w;
        b->capwarnings = cap;
    }
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    char *text = sim_arena_alloc(b->si->arena, strlen(msg) + 1);
    strcpy(text, msg);
    const struct mdl_ydoc *doc = b->r.doc;
    const char *file = src >= 0 && (size_t)src < doc->nsources ? doc->sources[src].name : "";
    b->warnings[s->nwarnings++] = (struct mdl_warning){file, line, col, text};
    s->warnings = b->warnings;
}

static int read_run_mode(struct mdi_check *b)
{
    struct mdl_yread *r = &b->r;
    struct mdl_scenario *s = b->s;
    const struct mdl_ynode *day = mdl_ynode_get(b->root, "day"), *run = mdl_ynode_get(b->root, "run");
    if (day && run)
        return mdl_yread_fail(r, run, "give either day: (a business day) or run: (a steady-state run), not both");
    if (!day && !run)
        return mdl_yread_fail(r, b->root, "the scenario needs day: (open and close times) or run: (warmup and "
                                          "length, for a steady-state run)");
    if (day) {
        static const char *keys[] = {"open", "close", "after_close", "interval"};
        static const char *rules[] = {"serve", "leave"};
        s->is_day = true;
        if (mdl_yread_map(r, day, "day", keys, 4))
            return r->err->code;
        const struct mdl_ynode *open = mdl_ynode_get(day, "open"), *close = mdl_ynode_get(day, "close");
        if (!open || !close)
            return mdl_yread_fail(r, day, "day needs open: and close:, as in {open: \"09:00\", close: \"18:00\"}");
        if (mdl_yread_clock(r, open, "open", &s->open_at) || mdl_yread_clock(r, close, "close", &s->close_at))
            return r->err->code;
        if (s->close_at <= s->open_at)
            return mdl_yread_fail(r, close, "close (%s) must be after open (%s)", close->text, open->text);
        int rule = MDL_SERVE;
        const struct mdl_ynode *after = mdl_ynode_get(day, "after_close");
        if (after && mdl_yread_choice(r, after, "after_close", rules, 2, &rule))
            return r->err->code;
        s->after_close = rule == 0 ? MDL_SERVE : MDL_LEAVE;
        long interval = 60;
        const struct mdl_ynode *iv = mdl_ynode_get(day, "interval");
        if (iv && mdl_yread_whole(r, iv, "interval of the day", 5, 1440, &interval))
            return r->err->code;
        s->interval_dur = (double)interval;
        return SIM_OK;
    }
    static const char *keys[] = {"warmup", "length"};
    s->is_day = false;
    if (mdl_yread_map(r, run, "run", keys, 2))
        return r->err->code;
    const struct mdl_ynode *warm = mdl_ynode_get(run, "warmup"), *len = mdl_ynode_get(run, "length");
    if (!len)
        return mdl_yread_fail(r, run, "run needs length: (minutes measured after the warm-up)");
    s->warmup_dur = 0;
    s->warmup_auto = !warm || (warm->kind == MDL_Y_SCALAR && !strcmp(warm->text, "auto"));
    if (warm && !s->warmup_auto && mdl_yread_number(r, warm, "warmup (minutes, or auto)", 0, TIME_MAX,
                                                     &s->warmup_dur))
        return r->err->code;
    if (mdl_yread_number(r, len, "length", 1e-9, TIME_MAX, &s->length_dur))
        return r->err->code;
    return SIM_OK;
}

/* Collects department and class names (classes: those under customers and
 * those named only by a request's as:). */
static int collect_names(struct mdi_check *b)
{
    struct mdl_yread *r = &b->r;
    struct mdl_scenario *s = b->s;
    b->depts_node = mdl_ynode_get(b->root, "departments");
    b->classes_node = mdl_ynode_get(b->root, "customers");
    b->requests_node = mdl_ynode_get(b->root, "requests");
    if (!b->depts_node)
        return mdl_yread_fail(r, b->root, "the scenario needs departments:");
    if (!b->classes_node)
        return mdl_yread_fail(r, b->root, "the scenario needs customers:");
    if (b->depts_node->kind != MDL_Y_MAP || b->depts_node->n == 0)
        return mdl_yread_fail(r, b->depts_node, "departments must map each department's name to its "
                                                "description");
    if (b->classes_node->kind != MDL_Y_MAP || b->classes_node->n == 0)
        return mdl_yread_fail(r, b->classes_node, "customers must map each class's name to its description");
    if (b->depts_node->n > MDL_MAX_DEPTS)
        return mdl_yread_fail(r, b->depts_node, "at most %d departments", MDL_MAX_DEPTS);
    s->ndepts = b->depts_node->n;
    s->depts = sim_arena_alloc(b->si->arena, s->ndepts * sizeof *s->depts);
    for (size_t d = 0; d < s->ndepts; d++) {
        if (mdl_yread_check_name(r, &b->depts_node->pairs[d], "department"))
            return r->err->code;
        s->depts[d].name = b->depts_node->pairs[d].key;
    }
    size_t extra = 0;
    if (b->requests_node) {
        if (mdl_yread_seq(r, b->requests_node, "requests"))
            return r->err->code;
        extra = b->requests_node->n;
    }
    size_t cap = b->classes_node->n + extra;
    s->classes = sim_arena_alloc(b->si->arena, cap * sizeof *s->classes);
    b->class_nodes = sim_arena_alloc(b->si->arena, cap * sizeof *b->class_nodes);
    b->class_keys_map = sim_arena_alloc(b->si->arena, cap * sizeof *b->class_keys_map);
    b->class_key_index = sim_arena_alloc(b->si->arena, cap * sizeof *b->class_key_index);
    for (size_t c = 0; c < b->classes_node->n; c++) {
        const struct mdl_ypair *key = &b->classes_node->pairs[c];
        if (mdl_yread_check_name(r, key, "class"))
            return r->err->code;
        if (mdl_scenario_dept(s, key->key) >= 0)
            return mdl_yread_fail_key(r, key, "'%s' names both a department and a class; "
                                                               "give them different names", key->key);
        s->classes[s->nclasses].name = key->key;
        b->class_nodes[s->nclasses] = key->value;
        b->class_keys_map[s->nclasses] = b->classes_node;
        b->class_key_index[s->nclasses] = c;
        s->nclasses++;
    }
    for (size_t i = 0; i < extra; i++) {
        const struct mdl_ynode *req = b->requests_node->items[i];
        const struct mdl_ynode *as = mdl_ynode_get(req, "as");
        if (req->kind != MDL_Y_MAP || !as || as->kind != MDL_Y_SCALAR || mdl_scenario_class(s, as->text) >= 0)
            continue;   /* malformed requests are refused when read */
        if (mdl_scenario_dept(s, as->text) >= 0)
            return mdl_yread_fail(r, as, "'%s' is a department; as: names the class of the request", as->text);
        struct mdl_ypair named = {as->text, as->src, as->line, as->col, NULL};
        if (mdl_yread_check_name(r, &named, "class"))
            return r->err->code;
        struct mdl_class *c = &s->classes[s->nclasses];
        c->name = as->text;
        c->internal = true;
        c->request_only = true;
        b->class_nodes[s->nclasses] = NULL;
        b->class_keys_map[s->nclasses] = req;
        b->class_key_index[s->nclasses] = 0;
        s->nclasses++;
    }
    if (s->nclasses > MDL_MAX_CLASSES)
        return mdl_yread_fail(r, b->classes_node, "at most %d customer classes", MDL_MAX_CLASSES);
    return SIM_OK;
}

static int read_satisfaction(struct mdi_check *b)
{
    static const char *keys[] = {"wait_weight", "handoff_penalty", "peak_weight", "end_weight", "dropout_score"};
    struct mdl_yread *r = &b->r;
    struct mdl_satisfaction *sat = &b->s->satisfaction;
    *sat = (struct mdl_satisfaction){1.0, 0.25, 0.3, 0.3, 1};
    const struct mdl_ynode *n = mdl_ynode_get(b->root, "satisfaction");
    if (!n)
        return SIM_OK;
    if (mdl_yread_map(r, n, "satisfaction", keys, 5))
        return r->err->code;
    double *outs[] = {&sat->wait_weight, &sat->handoff_penalty, &sat->peak_weight, &sat->end_weight,
                      &sat->dropout_score};
    const double lo[] = {0, 0, 0, 0, 1}, hi[] = {100, 5, 1, 1, 5};
    for (size_t i = 0; i < 5; i++) {
        const struct mdl_ynode *v = mdl_ynode_get(n, keys[i]);
        if (v && mdl_yread_number(r, v, keys[i], lo[i], hi[i], outs[i]))
            return r->err->code;
    }
    if (sat->peak_weight + sat->end_weight > 1)
        return mdl_yread_fail(r, n, "peak_weight + end_weight must be at most 1, got %g", sat->peak_weight + sat->end_weight);
    return SIM_OK;
}

static int read_workshop(struct mdi_check *b)
{
    static const char *keys[] = {"wait_price", "dissatisfaction_price", "days", "speed"};
    struct mdl_yread *r = &b->r;
    struct mdl_workshop *w = &b->s->workshop;
    *w = (struct mdl_workshop){0.5, 20, 0, 12};
    const struct mdl_ynode *n = mdl_ynode_get(b->root, "workshop"), *v;
    if (!n)
        return SIM_OK;
    if (mdl_yread_map(r, n, "workshop", keys, 4))
        return r->err->code;
    long days;
    if (((v = mdl_ynode_get(n, "wait_price")) && mdl_yread_number(r, v, "wait_price", 0, 1e9, &w->wait_price)) ||
        ((v = mdl_ynode_get(n, "dissatisfaction_price")) &&
         mdl_yread_number(r, v, "dissatisfaction_price", 0, 1e9, &w->dissatisfaction_price)) ||
        ((v = mdl_ynode_get(n, "speed")) && mdl_yread_number(r, v, "speed", 0.01, 1e6, &w->speed)))
        return r->err->code;
    if ((v = mdl_ynode_get(n, "days"))) {
        if (mdl_yread_whole(r, v, "days", 1, MDL_MAX_REPLICATIONS, &days))
            return r->err->code;
        w->days = (unsigned)days;
    }
    return SIM_OK;
}

int mdl_check(struct mdl_ydoc *doc, bool owns_doc, const struct mdl_ynode *root, struct sim_arena *tree_arena,
              struct mdl_scenario **out, struct sim_err *err)
{
    static const char *keys[] = {"name", "seed", "replications", "day", "run", "departments", "customers",
                                 "handoffs", "requests", "satisfaction", "variants", "sweep", "max_in_system",
                                 "max_events", "workshop", "pools", "optimise"};
    struct mdi_scenario *si = mdi_scenario_create(doc, owns_doc, root, tree_arena);
    struct mdl_scenario *s = &si->pub;
    struct mdi_check b = {.r = {doc, err}, .si = si, .s = s, .root = root};
    struct mdl_yread *r = &b.r;
    *out = NULL;
    const struct mdl_ynode *v;
    long w;
    if (!root)
        mdl_yread_fail(r, &(struct mdl_ynode){.src = 0, .line = 1, .col = 1}, "the scenario is empty");
    else if (mdl_yread_map(r, root, "the scenario", keys, sizeof keys / sizeof keys[0]))
        ;
    else {
        s->name = "Scenario";
        s->seed = 1;
        s->replications = 30;
        if ((v = mdl_ynode_get(root, "name")))
            mdl_yread_text(r, v, "name", &s->name);
        if ((v = mdl_ynode_get(root, "seed")))
            mdl_yread_seed(r, v, "seed", &s->seed);
        if ((v = mdl_ynode_get(root, "replications")) && !mdl_yread_whole(r, v, "replications", 1, MDL_MAX_REPLICATIONS, &w))
            s->replications = (unsigned)w;
        s->max_in_system = MDL_DEFAULT_MAX_IN_SYSTEM;
        if ((v = mdl_ynode_get(root, "max_in_system")))
            mdl_yread_whole(r, v, "max_in_system", 1, MDL_MAX_IN_SYSTEM, &s->max_in_system);
        if ((v = mdl_ynode_get(root, "max_events")) &&
            !mdl_yread_whole(r, v, "max_events", 1000, MDL_MAX_MAX_EVENTS, &s->max_events))
            s->max_events_given = true;
        if (err->code == SIM_OK && !read_run_mode(&b) && !collect_names(&b) && !mdi_check_departments(&b) && !mdi_check_pools(&b) &&
            !mdi_check_classes(&b) && !mdi_check_handoffs(&b) && !mdi_check_requests(&b) && !read_satisfaction(&b) &&
            !read_workshop(&b) && !mdi_check_optimise(&b))
            mdi_check_journeys(&b);
    }
    if (err->code != SIM_OK) {
        mdl_scenario_destroy(s);
        return err->code;
    }
    *out = s;
    return SIM_OK;
}
