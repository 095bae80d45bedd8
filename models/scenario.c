/* models/scenario.c — reading and checking a scenario (spec §2), and the
 * --set overrides applied to it.
 *
 * Order of work: parse the YAML into a positioned tree; apply overrides to
 * the tree (a path copy: the nodes along the path are copied, the rest is
 * shared); then one pass builds the plain description and refuses the first
 * thing that cannot mean anything, located at its key or value. Customer
 * classes and journeys are read in classes.c; variants, the sweep and its
 * grid points in plans.c, which builds each variant and sweep value so that
 * a plan's mistake is found before anything runs.
 */
#include "models/check.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define TIME_MAX SIM_DIST_TIME_MAX

struct sim_dist *mdl_check_new_dist(struct mdl_build *b)
{
    struct mdl_scenario *s = b->s;
    if (s->nowned == s->capowned) {
        s->capowned = s->capowned ? 2 * s->capowned : 32;
        s->owned = sim_xreallocarray(s->owned, s->capowned, sizeof *s->owned);
    }
    struct sim_dist *d = sim_arena_alloc(s->arena, sizeof *d);
    d->kind = SIM_DIST_CONSTANT;   /* fini-safe until built */
    s->owned[s->nowned++] = d;
    return d;
}

int mdl_check_schedule(struct mdl_build *b, const struct mdl_ynode *n, const char *what, const char *key,
                       double lo, double hi, bool whole, struct mdl_step **steps, size_t *nsteps)
{
    struct mdl_yread *r = &b->r;
    struct mdl_scenario *s = b->s;
    if (n->kind != MDL_Y_SEQ) {
        double v;
        long w;
        if (whole ? mdl_yread_whole(r, n, what, (long)lo, (long)hi, &w) : mdl_yread_number(r, n, what, lo, hi, &v))
            return r->err->code;
        *steps = sim_arena_alloc(s->arena, sizeof **steps);
        (*steps)[0] = (struct mdl_step){s->is_day ? s->open_at : 0, whole ? (double)w : v};
        *nsteps = 1;
        return SIM_OK;
    }
    if (!s->is_day)
        return mdl_yread_fail(r, n, "%s: a schedule by time of day needs a day (this scenario has run:); "
                                    "give one number", what);
    if (n->n == 0)
        return mdl_yread_fail(r, n, "%s: the schedule lists no times", what);
    *steps = sim_arena_alloc(s->arena, n->n * sizeof **steps);
    const char *keys[] = {"at", key};
    for (size_t i = 0; i < n->n; i++) {
        const struct mdl_ynode *item = n->items[i];
        char iwhat[160];
        snprintf(iwhat, sizeof iwhat, "step %zu of %s", i + 1, what);
        if (mdl_yread_map(r, item, iwhat, keys, 2))
            return r->err->code;
        const struct mdl_ynode *at = mdl_ynode_get(item, "at"), *val = mdl_ynode_get(item, key);
        if (!at || !val)
            return mdl_yread_fail(r, item, "%s needs both at: and %s:", iwhat, key);
        double t, v;
        long w;
        if (mdl_yread_clock(r, at, iwhat, &t))
            return r->err->code;
        if (t < s->open_at || t >= s->close_at)
            return mdl_yread_fail(r, at, "%s is at %s, outside the day (%02d:%02d to %02d:%02d)", iwhat, at->text,
                                  (int)s->open_at / 60, (int)s->open_at % 60, (int)s->close_at / 60,
                                  (int)s->close_at % 60);
        if (i > 0 && t <= (*steps)[i - 1].at)
            return mdl_yread_fail(r, at, "%s is at %s, not after the step before it: list steps in time order",
                                  iwhat, at->text);
        snprintf(iwhat, sizeof iwhat, "%s of step %zu of %s", key, i + 1, what);
        if (whole ? mdl_yread_whole(r, val, iwhat, (long)lo, (long)hi, &w) : mdl_yread_number(r, val, iwhat, lo, hi, &v))
            return r->err->code;
        (*steps)[i] = (struct mdl_step){t, whole ? (double)w : v};
    }
    *nsteps = n->n;
    return SIM_OK;
}

static int read_run_mode(struct mdl_build *b)
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
        static const char *keys[] = {"open", "close", "after_close"};
        static const char *rules[] = {"serve", "leave"};
        s->is_day = true;
        if (mdl_yread_map(r, day, "day", keys, 3))
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
    if (warm && mdl_yread_number(r, warm, "warmup", 0, TIME_MAX, &s->warmup_dur))
        return r->err->code;
    if (mdl_yread_number(r, len, "length", 1e-9, TIME_MAX, &s->length_dur))
        return r->err->code;
    return SIM_OK;
}

/* Collects department and class names (classes: those under customers and
 * those named only by a request's as:). */
static int collect_names(struct mdl_build *b)
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
    s->depts = sim_arena_alloc(s->arena, s->ndepts * sizeof *s->depts);
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
    s->classes = sim_arena_alloc(s->arena, cap * sizeof *s->classes);
    b->class_nodes = sim_arena_alloc(s->arena, cap * sizeof *b->class_nodes);
    b->class_keys_map = sim_arena_alloc(s->arena, cap * sizeof *b->class_keys_map);
    b->class_key_index = sim_arena_alloc(s->arena, cap * sizeof *b->class_key_index);
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

static int read_service(struct mdl_build *b, size_t d, const struct mdl_ynode *n)
{
    struct mdl_yread *r = &b->r;
    struct mdl_scenario *s = b->s;
    struct mdl_dept *dept = &s->depts[d];
    char what[128];
    snprintf(what, sizeof what, "service of %s", dept->name);
    dept->service = sim_arena_alloc(s->arena, s->nclasses * sizeof *dept->service);
    if (n->kind == MDL_Y_MAP && (mdl_ynode_get(n, "dist") || n->n == 0)) {
        struct sim_dist *dist = mdl_check_new_dist(b);
        if (mdl_yread_dist(r, n, what, dist))
            return r->err->code;
        for (size_t c = 0; c < s->nclasses; c++)
            dept->service[c] = dist;
        return SIM_OK;
    }
    if (n->kind != MDL_Y_MAP)
        return mdl_yread_dist(r, n, what, mdl_check_new_dist(b));
    /* by class: {default: {...}, buyer: {...}} */
    const char **names = sim_arena_alloc(s->arena, (s->nclasses + 1) * sizeof *names);
    names[0] = "default";
    for (size_t c = 0; c < s->nclasses; c++)
        names[c + 1] = s->classes[c].name;
    char mwhat[224];
    snprintf(mwhat, sizeof mwhat, "%s (by class: default or a class name)", what);
    if (mdl_yread_map(r, n, mwhat, names, s->nclasses + 1))
        return r->err->code;
    const struct sim_dist *fallback = NULL;
    for (size_t i = 0; i < n->n; i++) {
        struct sim_dist *dist = mdl_check_new_dist(b);
        char cwhat[160];
        snprintf(cwhat, sizeof cwhat, "service of %s for %s", dept->name, n->pairs[i].key);
        if (mdl_yread_dist(r, n->pairs[i].value, cwhat, dist))
            return r->err->code;
        int c = mdl_scenario_class(s, n->pairs[i].key);
        if (c < 0)
            fallback = dist;
        else
            dept->service[c] = dist;
    }
    for (size_t c = 0; c < s->nclasses; c++)
        if (!dept->service[c])
            dept->service[c] = fallback;   /* may stay NULL: checked against journeys */
    return SIM_OK;
}

static int read_departments(struct mdl_build *b)
{
    static const char *keys[] = {"staff", "service", "capacity", "discipline", "target_wait",
                                 "service_target", "quality", "cost_per_hour"};
    static const char *disciplines[] = {"fifo", "priority"};
    struct mdl_yread *r = &b->r;
    struct mdl_scenario *s = b->s;
    for (size_t d = 0; d < s->ndepts; d++) {
        struct mdl_dept *dept = &s->depts[d];
        const struct mdl_ynode *n = b->depts_node->pairs[d].value;
        char what[128];
        snprintf(what, sizeof what, "department %s", dept->name);
        if (mdl_yread_map(r, n, what, keys, sizeof keys / sizeof keys[0]))
            return r->err->code;
        const struct mdl_ynode *staff = mdl_ynode_get(n, "staff"), *service = mdl_ynode_get(n, "service");
        if (!staff)
            return mdl_yread_fail_key(r, &b->depts_node->pairs[d],
                                      "department %s needs staff: (a number, or a schedule)", dept->name);
        if (!service)
            return mdl_yread_fail_key(r, &b->depts_node->pairs[d],
                                      "department %s needs service: (a distribution of service times)", dept->name);
        snprintf(what, sizeof what, "staff of %s", dept->name);
        if (mdl_check_schedule(b, staff, what, "count", 0, MDL_MAX_STAFF, true, &dept->staff, &dept->nstaff))
            return r->err->code;
        if (read_service(b, d, service))
            return r->err->code;
        const struct mdl_ynode *v;
        long w;
        dept->capacity = MDL_UNLIMITED;
        snprintf(what, sizeof what, "capacity of %s", dept->name);
        if ((v = mdl_ynode_get(n, "capacity")) && mdl_yread_whole(r, v, what, 0, 10000000, &w))
            return r->err->code;
        if (v)
            dept->capacity = w;
        int disc = 0;
        snprintf(what, sizeof what, "discipline of %s", dept->name);
        if ((v = mdl_ynode_get(n, "discipline")) && mdl_yread_choice(r, v, what, disciplines, 2, &disc))
            return r->err->code;
        dept->discipline = disc ? MDL_PRIORITY : MDL_FIFO;
        struct {
            const char *key;
            double lo, hi, dflt;
            double *out;
        } nums[] = {
            {"target_wait", 0, TIME_MAX, 10, &dept->target_wait},
            {"service_target", 0, 1, 0.8, &dept->service_target},
            {"quality", 1, 5, 4, &dept->quality},
            {"cost_per_hour", 0, 1e9, 0, &dept->cost_per_hour},
        };
        for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++) {
            *nums[i].out = nums[i].dflt;
            snprintf(what, sizeof what, "%s of %s", nums[i].key, dept->name);
            if ((v = mdl_ynode_get(n, nums[i].key)) && mdl_yread_number(r, v, what, nums[i].lo, nums[i].hi, nums[i].out))
                return r->err->code;
        }
    }
    return SIM_OK;
}

/* Splits "a->b" into two department indices; false if it is not that. */
static bool handoff_pair(const struct mdl_scenario *s, const char *key, int *from, int *to)
{
    const char *arrow = strstr(key, "->");
    if (!arrow)
        return false;
    char a[64], c[64];
    size_t la = (size_t)(arrow - key);
    if (la >= sizeof a || strlen(arrow + 2) >= sizeof c)
        return false;
    memcpy(a, key, la);
    a[la] = '\0';
    strcpy(c, arrow + 2);
    *from = mdl_scenario_dept(s, a);
    *to = mdl_scenario_dept(s, c);
    return true;
}

static int read_handoffs(struct mdl_build *b)
{
    struct mdl_yread *r = &b->r;
    struct mdl_scenario *s = b->s;
    s->handoff = sim_arena_alloc(s->arena, s->ndepts * s->ndepts * sizeof *s->handoff);
    const struct mdl_ynode *n = mdl_ynode_get(b->root, "handoffs");
    if (!n)
        return SIM_OK;
    if (n->kind != MDL_Y_MAP)
        return mdl_yread_fail(r, n, "handoffs must map default or FROM->TO to a distribution of walking times");
    const struct sim_dist *fallback = NULL;
    for (size_t i = 0; i < n->n; i++) {
        const char *key = n->pairs[i].key;
        int from = -1, to = -1;
        bool is_default = strcmp(key, "default") == 0;
        if (!is_default) {
            if (!handoff_pair(s, key, &from, &to))
                return mdl_yread_fail_key(r, &n->pairs[i], "handoffs keys are default or FROM->TO (two "
                                                              "departments), got '%s'", key);
            if (from < 0 || to < 0)
                return mdl_yread_fail_key(r, &n->pairs[i], "'%s' names a department that does not exist", key);
        }
        struct sim_dist *dist = mdl_check_new_dist(b);
        char what[160];
        snprintf(what, sizeof what, "handoff %s", key);
        if (mdl_yread_dist(r, n->pairs[i].value, what, dist))
            return r->err->code;
        if (is_default)
            fallback = dist;
        else
            s->handoff[(size_t)from * s->ndepts + (size_t)to] = dist;
    }
    for (size_t i = 0; i < s->ndepts * s->ndepts; i++)
        if (!s->handoff[i])
            s->handoff[i] = fallback;
    return SIM_OK;
}

static int dept_ref(struct mdl_build *b, const struct mdl_ynode *n, const char *what, int *out)
{
    const char *name = NULL;
    if (mdl_yread_text(&b->r, n, what, &name))
        return b->r.err->code;
    *out = mdl_scenario_dept(b->s, name);
    if (*out >= 0)
        return SIM_OK;
    const char **names = sim_arena_alloc(b->s->arena, b->s->ndepts * sizeof *names);
    for (size_t d = 0; d < b->s->ndepts; d++)
        names[d] = b->s->depts[d].name;
    const char *close = sim_err_suggest(name, names, b->s->ndepts);
    if (close)
        return mdl_yread_fail(&b->r, n, "%s: no department is called '%s'; did you mean '%s'?", what, name, close);
    return mdl_yread_fail(&b->r, n, "%s: no department is called '%s'", what, name);
}

static int read_requests(struct mdl_build *b)
{
    static const char *keys[] = {"from", "to", "as", "probability", "service"};
    struct mdl_yread *r = &b->r;
    struct mdl_scenario *s = b->s;
    const struct mdl_ynode *n = b->requests_node;
    if (!n)
        return SIM_OK;
    s->nrequests = n->n;
    s->requests = sim_arena_alloc(s->arena, n->n * sizeof *s->requests);
    for (size_t i = 0; i < n->n; i++) {
        const struct mdl_ynode *q = n->items[i];
        struct mdl_request *req = &s->requests[i];
        char what[64];
        snprintf(what, sizeof what, "request %zu", i + 1);
        if (mdl_yread_map(r, q, what, keys, 5))
            return r->err->code;
        for (size_t k = 0; k < 5; k++)
            if (!mdl_ynode_get(q, keys[k]))
                return mdl_yread_fail(r, q, "%s needs from:, to:, as:, probability: and service:", what);
        if (dept_ref(b, mdl_ynode_get(q, "from"), "from", &req->from) ||
            dept_ref(b, mdl_ynode_get(q, "to"), "to", &req->to))
            return r->err->code;
        if (req->from == req->to)
            return mdl_yread_fail(r, mdl_ynode_get(q, "to"), "%s goes from %s to itself: a request needs another "
                                                             "department", what, s->depts[req->to].name);
        const char *as = NULL;
        if (mdl_yread_text(r, mdl_ynode_get(q, "as"), "as", &as))
            return r->err->code;
        req->as = mdl_scenario_class(s, as);
        if (req->as < 0 || !s->classes[req->as].internal)
            return mdl_yread_fail(r, mdl_ynode_get(q, "as"), "as: names the internal class of the request; "
                                                             "'%s' is an external class", as);
        if (mdl_yread_number(r, mdl_ynode_get(q, "probability"), "probability", 0, 1, &req->probability))
            return r->err->code;
        if (req->probability <= 0)
            return mdl_yread_fail(r, mdl_ynode_get(q, "probability"), "probability of %s must be above 0 "
                                                                      "(remove the request instead)", what);
        snprintf(what, sizeof what, "service of request %zu", i + 1);
        struct sim_dist *service = mdl_check_new_dist(b);
        if (mdl_yread_dist(r, mdl_ynode_get(q, "service"), what, service))
            return r->err->code;
        req->service = *service;
    }
    /* Requests must not form a loop: a held staff member waiting on a
     * department whose staff wait on the first would deadlock. */
    for (size_t i = 0; i < s->nrequests; i++) {
        int at = s->requests[i].to;
        for (size_t steps = 0; steps <= s->nrequests; steps++) {
            bool moved = false;
            for (size_t k = 0; k < s->nrequests && !moved; k++)
                if (s->requests[k].from == at) {
                    at = s->requests[k].to;
                    moved = true;
                }
            if (!moved)
                break;
            if (at == s->requests[i].from)
                return mdl_yread_fail(r, n->items[i], "requests form a loop through %s: staff held waiting on "
                                                      "each other would never finish",
                                      s->depts[at].name);
        }
    }
    return SIM_OK;
}

static int read_satisfaction(struct mdl_build *b)
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

static int read_workshop(struct mdl_build *b)
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

int mdl_check_apply_set(struct mdl_yread *r, struct mdl_ynode **root, const char *path, struct mdl_ynode *value,
                     const struct mdl_ynode *at, struct sim_arena *arena)
{
    struct mdl_ynode **slot = root;
    const char *p = path;
    for (;;) {
        const char *dot = strchr(p, '.');
        size_t len = dot ? (size_t)(dot - p) : strlen(p);
        if (len == 0)
            return mdl_yread_fail(r, at, "'%s' is not a path of keys such as departments.credit.staff", path);
        struct mdl_ynode *m = *slot;
        if (!m || m->kind != MDL_Y_MAP)
            return mdl_yread_fail(r, at, "'%s': '%.*s' is not under a mapping", path, (int)len, p);
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
                const char *names[MDL_MAX_DEPTS + MDL_MAX_CLASSES];
                size_t nn = 0;
                for (size_t i = 0; i < copy->n && nn < sizeof names / sizeof names[0]; i++)
                    names[nn++] = copy->pairs[i].key;
                char want[64];
                snprintf(want, sizeof want, "%.*s", (int)(len < 63 ? len : 63), p);
                const char *close = sim_err_suggest(want, names, nn);
                return mdl_yread_fail(r, at, "'%s': there is no '%s' to set%s%s%s", path, want,
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

int mdl_check_build(struct mdl_ydoc *doc, bool owns_doc, struct mdl_ynode *root, bool check_plans,
                    struct mdl_scenario **out, struct sim_err *err)
{
    static const char *keys[] = {"name", "seed", "replications", "day", "run", "departments", "customers",
                                 "handoffs", "requests", "satisfaction", "variants", "sweep", "max_in_system",
                                 "workshop"};
    struct mdl_scenario *s = sim_xcalloc(1, sizeof *s);
    s->doc = doc;
    s->owns_doc = owns_doc;
    s->root = root;
    s->arena = sim_arena_create(16 * 1024);
    struct mdl_build b = {.r = {doc, err}, .s = s, .root = root};
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
        if (err->code == SIM_OK && !read_run_mode(&b) && !collect_names(&b) && !read_departments(&b) &&
            !mdl_check_classes(&b) && !read_handoffs(&b) && !read_requests(&b) && !read_satisfaction(&b) && !read_workshop(&b) &&
            !mdl_check_journeys(&b) && check_plans)
            mdl_check_plans(&b, doc);
    }
    if (err->code != SIM_OK) {
        mdl_scenario_destroy(s);
        return err->code;
    }
    *out = s;
    return SIM_OK;
}

int mdl_scenario_load(const char *file, const char *text, size_t len, const char *const *sets, size_t nsets,
                      struct mdl_scenario **out, struct sim_err *err)
{
    *out = NULL;
    if (len > MDL_SCENARIO_MAX_BYTES) {
        sim_err_set(err, SIM_EDATA, "the file is larger than %zu MiB, the most a scenario may be",
                    MDL_SCENARIO_MAX_BYTES >> 20);
        sim_err_locate(err, file, 1, 1);
        return err->code;
    }
    struct mdl_ydoc *doc = sim_xmalloc(sizeof *doc);
    mdl_ydoc_init(doc);
    struct mdl_ynode *root;
    if (mdl_ydoc_parse(doc, file, text, len, &root, err)) {
        mdl_ydoc_fini(doc);
        free(doc);
        return err->code;
    }
    struct mdl_yread r = {doc, err};
    for (size_t k = 0; k < nsets && err->code == SIM_OK; k++) {
        /* Parse VALUE as if it stood on line k + 1 of the "--set" source,
         * after its "PATH=", so positions match the joined overrides. */
        const char *eq = strchr(sets[k], '=');
        size_t plen = eq ? (size_t)(eq - sets[k]) : strlen(sets[k]);
        struct mdl_ynode at = {.src = -1, .line = (int)k + 1, .col = 1};
        if (!eq || plen == 0 || !eq[1]) {
            sim_err_set(err, SIM_EDATA, "--set needs PATH=VALUE, as in departments.credit.staff=3");
            sim_err_locate(err, MDL_SET_SOURCE, at.line, eq ? (int)plen + 2 : (int)strlen(sets[k]) + 1);
            break;
        }
        size_t vlen = strlen(eq + 1);
        char *padded = sim_xmalloc(k + plen + 1 + vlen + 1);
        memset(padded, '\n', k);
        memset(padded + k, ' ', plen + 1);
        memcpy(padded + k + plen + 1, eq + 1, vlen + 1);
        struct mdl_ynode *value;
        int rc = mdl_ydoc_parse(doc, MDL_SET_SOURCE, padded, k + plen + 1 + vlen, &value, err);
        free(padded);
        if (rc)
            break;
        at.src = (int)doc->nsources - 1;
        char *path = sim_arena_alloc(doc->arena, plen + 1);
        memcpy(path, sets[k], plen);
        if (mdl_check_apply_set(&r, &root, path, value, &at, doc->arena))
            break;
    }
    if (err->code != SIM_OK) {
        mdl_ydoc_fini(doc);
        free(doc);
        return err->code;
    }
    return mdl_check_build(doc, true, root, true, out, err);
}

void mdl_scenario_destroy(struct mdl_scenario *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->nowned; i++)
        sim_dist_fini(s->owned[i]);
    free(s->owned);
    sim_arena_destroy(s->arena);
    if (s->tree_arena)
        sim_arena_destroy(s->tree_arena);
    if (s->owns_doc) {
        mdl_ydoc_fini(s->doc);
        free(s->doc);
    }
    free(s);
}

int mdl_scenario_dept(const struct mdl_scenario *s, const char *name)
{
    for (size_t d = 0; d < s->ndepts; d++)
        if (s->depts[d].name && !strcmp(s->depts[d].name, name))
            return (int)d;
    return -1;
}

int mdl_scenario_class(const struct mdl_scenario *s, const char *name)
{
    for (size_t c = 0; c < s->nclasses; c++)
        if (s->classes[c].name && !strcmp(s->classes[c].name, name))
            return (int)c;
    return -1;
}
