/* models/check_depts.c — departments, handoffs and requests read and
 * checked (spec §2; see check_int.h).
 *
 * A department needs staff (a number, a schedule, or shifts: check_staff.c) and a service time (one
 * distribution, or one per class with a default); capacity, discipline,
 * target, quality and cost have defaults. Handoffs name two departments or
 * give the default walk. Requests go from one department to another as an
 * internal class, and may not form a loop (staff held waiting on each other
 * would never finish).
 */
#include "models/check_int.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define TIME_MAX SIM_DIST_TIME_MAX

static int read_service(struct mdi_check *b, size_t d, const struct mdl_ynode *n)
{
    struct mdl_yread *r = &b->r;
    struct mdl_scenario *s = b->s;
    struct mdl_dept *dept = &s->depts[d];
    char what[128];
    snprintf(what, sizeof what, "service of %s", dept->name);
    dept->service = sim_arena_alloc(b->si->arena, s->nclasses * sizeof *dept->service);
    if (n->kind == MDL_Y_MAP && (mdl_ynode_get(n, "dist") || n->n == 0)) {
        struct sim_dist *dist = mdi_scenario_new_dist(b->si);
        if (mdl_yread_dist(r, n, what, dist))
            return r->err->code;
        for (size_t c = 0; c < s->nclasses; c++)
            dept->service[c] = dist;
        return SIM_OK;
    }
    if (n->kind != MDL_Y_MAP)
        return mdl_yread_dist(r, n, what, mdi_scenario_new_dist(b->si));
    /* by class: {default: {...}, buyer: {...}} */
    const char **names = sim_arena_alloc(b->si->arena, (s->nclasses + 1) * sizeof *names);
    names[0] = "default";
    for (size_t c = 0; c < s->nclasses; c++)
        names[c + 1] = s->classes[c].name;
    char mwhat[224];
    snprintf(mwhat, sizeof mwhat, "%s (by class: default or a class name)", what);
    if (mdl_yread_map(r, n, mwhat, names, s->nclasses + 1))
        return r->err->code;
    const struct sim_dist *fallback = NULL;
    for (size_t i = 0; i < n->n; i++) {
        struct sim_dist *dist = mdi_scenario_new_dist(b->si);
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

int mdi_check_departments(struct mdi_check *b)
{
    static const char *keys[] = {"staff", "shifts", "paid_breaks", "service", "capacity", "discipline",
                                 "target_wait", "service_target", "quality", "cost_per_hour"};
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
        const struct mdl_ynode *service = mdl_ynode_get(n, "service");
        if (mdi_check_crew(b, n, &b->depts_node->pairs[d], dept->name, &dept->crew))
            return r->err->code;
        if (!service)
            return mdl_yread_fail_key(r, &b->depts_node->pairs[d],
                                      "department %s needs service: (a distribution of service times)", dept->name);
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

int mdi_check_handoffs(struct mdi_check *b)
{
    struct mdl_yread *r = &b->r;
    struct mdl_scenario *s = b->s;
    s->handoff = sim_arena_alloc(b->si->arena, s->ndepts * s->ndepts * sizeof *s->handoff);
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
        struct sim_dist *dist = mdi_scenario_new_dist(b->si);
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

static int dept_ref(struct mdi_check *b, const struct mdl_ynode *n, const char *what, int *out)
{
    const char *name = NULL;
    if (mdl_yread_text(&b->r, n, what, &name))
        return b->r.err->code;
    *out = mdl_scenario_dept(b->s, name);
    if (*out >= 0)
        return SIM_OK;
    const char **names = sim_arena_alloc(b->si->arena, b->s->ndepts * sizeof *names);
    for (size_t d = 0; d < b->s->ndepts; d++)
        names[d] = b->s->depts[d].name;
    const char *close = sim_err_suggest(name, names, b->s->ndepts);
    if (close)
        return mdl_yread_fail(&b->r, n, "%s: no department is called '%s'; did you mean '%s'?", what, name, close);
    return mdl_yread_fail(&b->r, n, "%s: no department is called '%s'", what, name);
}

int mdi_check_requests(struct mdi_check *b)
{
    static const char *keys[] = {"from", "to", "as", "probability", "service"};
    struct mdl_yread *r = &b->r;
    struct mdl_scenario *s = b->s;
    const struct mdl_ynode *n = b->requests_node;
    if (!n)
        return SIM_OK;
    s->nrequests = n->n;
    s->requests = sim_arena_alloc(b->si->arena, n->n * sizeof *s->requests);
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
        struct sim_dist *service = mdi_scenario_new_dist(b->si);
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
