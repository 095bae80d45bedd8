/* models/check_classes.c — customer classes and their journeys (spec §2).
 *
 * Reads each class (kind, arrivals, entry, routes, patience, balking,
 * priority, value, tolerated waits), then checks every journey a class can
 * take: each department it can reach must serve it and have staff at some
 * time, and from each such department `exit` must be reachable. Route rows
 * and entry probabilities must add up to 1 (within 1e-9). A department
 * without a route row for a class sends that class's customers out. A
 * class without arrivals must be the as: of a request, except an internal
 * one: a request switched off (--set requests=[]) leaves its class unused,
 * which is a warning (mdi_check_warn), not an error.
 */
#include "models/check_int.h"

#include <gsl/gsl_linalg.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#define SUM_TOLERANCE 1e-9

/* The most visits a customer's journey may be expected to make: routes
 * that loop back with a chance this near 1 describe no business, and would
 * keep one replication running for ever (issue 18). */
#define MAX_EXPECTED_VISITS 1000

/* The smallest mean time between arrivals: per_hour's largest, 10^6 an
 * hour. Below it arrivals crowd so close that the clock (minutes in a
 * double) may stop telling them apart: 540 + 1e-300 is 540. */
#define MIN_INTERARRIVAL_MEAN (60.0 / 1e6)

static bool used_by_request(const struct mdi_check *b, const char *name)
{
    const struct mdl_ynode *q = b->requests_node;
    for (size_t i = 0; q && i < q->n; i++) {
        const struct mdl_ynode *as = mdl_ynode_get(q->items[i], "as");
        if (as && as->kind == MDL_Y_SCALAR && !strcmp(as->text, name))
            return true;
    }
    return false;
}

/* Reads a destination name: a department index, or MDL_EXIT when allowed. */
static int destination(struct mdi_check *b, const struct mdl_ynode *at, const char *name, bool exit_ok,
                       const char *what, int *out)
{
    if (exit_ok && !strcmp(name, "exit")) {
        *out = MDL_EXIT;
        return SIM_OK;
    }
    *out = mdl_scenario_dept(b->s, name);
    if (*out >= 0)
        return SIM_OK;
    const char *names[MDL_MAX_DEPTS + 1];
    size_t n = 0;
    for (size_t d = 0; d < b->s->ndepts; d++)
        names[n++] = b->s->depts[d].name;
    if (exit_ok)
        names[n++] = "exit";
    const char *close = sim_err_suggest(name, names, n);
    return mdl_yread_fail(&b->r, at, "%s: no department is called '%s'%s%s%s", what, name,
                          close ? "; did you mean '" : "", close ? close : "", close ? "'?" : "");
}

/* Reads a row of probabilities over destinations into row[0..ndepts]
 * (row[ndepts] is exit): either one name (probability 1) or a mapping of
 * names to probabilities that add up to 1. */
static int probability_row(struct mdi_check *b, const struct mdl_ynode *n, bool exit_ok, const char *what,
                           double *row)
{
    struct mdl_yread *r = &b->r;
    size_t nd = b->s->ndepts;
    int dest;
    if (n->kind == MDL_Y_SCALAR) {
        if (destination(b, n, n->text, exit_ok, what, &dest))
            return r->err->code;
        row[dest == MDL_EXIT ? nd : (size_t)dest] = 1;
        return SIM_OK;
    }
    if (n->kind != MDL_Y_MAP || n->n == 0)
        return mdl_yread_fail(r, n, "%s must be a department%s, or a mapping of them to probabilities", what,
                              exit_ok ? " (or exit)" : "");
    double sum = 0;
    for (size_t i = 0; i < n->n; i++) {
        const struct mdl_ypair *p = &n->pairs[i];
        struct mdl_ynode keyat = {.src = p->src, .line = p->line, .col = p->col};
        if (destination(b, &keyat, p->key, exit_ok, what, &dest))
            return r->err->code;
        double prob;
        char pwhat[200];
        snprintf(pwhat, sizeof pwhat, "probability of %s in %s", p->key, what);
        if (mdl_yread_number(r, p->value, pwhat, 0, 1, &prob))
            return r->err->code;
        row[dest == MDL_EXIT ? nd : (size_t)dest] = prob;
        sum += prob;
    }
    if (fabs(sum - 1) > SUM_TOLERANCE)
        return mdl_yread_fail(r, n, "%s: probabilities add up to %.10g, not 1", what, sum);
    return SIM_OK;
}

static int read_arrivals(struct mdi_check *b, struct mdl_class *c, const struct mdl_ynode *n)
{
    static const char *keys[] = {"per_hour", "interarrival", "appointments"};
    struct mdl_yread *r = &b->r;
    char what[128];
    snprintf(what, sizeof what, "arrivals of %s", c->name);
    if (mdl_yread_map(r, n, what, keys, 3))
        return r->err->code;
    const struct mdl_ynode *ph = mdl_ynode_get(n, "per_hour"), *ia = mdl_ynode_get(n, "interarrival");
    const struct mdl_ynode *ap = mdl_ynode_get(n, "appointments");
    if ((ph != NULL) + (ia != NULL) + (ap != NULL) != 1)
        return mdl_yread_fail(r, n, "%s: give one of per_hour: (Poisson), interarrival: (a distribution) or "
                              "appointments: (booked slots)", what);
    if (ap)
        return mdi_check_appointments(b, c, ap);
    if (ia) {
        snprintf(what, sizeof what, "interarrival of %s", c->name);
        struct sim_dist *d = mdi_scenario_new_dist(b->si);
        if (mdl_yread_dist(r, ia, what, d))
            return r->err->code;
        c->interarrival = *d;
        c->arrivals = MDL_ARR_RENEWAL;
        if (!(c->interarrival.mean >= MIN_INTERARRIVAL_MEAN))
            return mdl_yread_fail(r, ia, "%s must have a mean of at least 0.00006 minutes (1,000,000 arrivals an "
                                  "hour, the most the clock is asked to tell apart), got %g", what,
                                  c->interarrival.mean);
        return SIM_OK;
    }
    snprintf(what, sizeof what, "per_hour of %s", c->name);
    if (mdi_check_schedule(b, ph, what, "rate", 0, 1e6, false, &c->profile, &c->nprofile))
        return r->err->code;
    for (size_t i = 0; i < c->nprofile; i++)
        c->profile[i].value /= 60;   /* per hour -> per minute */
    if (ph->kind == MDL_Y_SEQ) {
        c->arrivals = MDL_ARR_PROFILE;
    } else {
        c->arrivals = MDL_ARR_POISSON;
        c->rate = c->profile[0].value;
    }
    return SIM_OK;
}

/* ---- values by department: expect_wait, patience, balk_at ------------- */

/* The department a key of a by-department mapping names (its index), or -1
 * for `default`; any other key is refused at the key, with a suggestion. */
static int dept_key(struct mdi_check *b, const struct mdl_ypair *p, const char *what, int *out)
{
    const struct mdl_scenario *s = b->s;
    if (!strcmp(p->key, "default")) {
        *out = -1;
        return SIM_OK;
    }
    if ((*out = mdl_scenario_dept(s, p->key)) >= 0)
        return SIM_OK;
    const char *names[MDL_MAX_DEPTS + 1];
    char list[256] = "";
    names[0] = "default";
    for (size_t d = 0; d < s->ndepts; d++) {
        names[d + 1] = s->depts[d].name;
        size_t len = strlen(list);
        snprintf(list + len, sizeof list - len, "%s%s", d ? ", " : "", s->depts[d].name);
    }
    const char *close = sim_err_suggest(p->key, names, s->ndepts + 1);
    if (close)
        return mdl_yread_fail_key(&b->r, p, "%s: no department is called '%s'; did you mean '%s'?", what, p->key,
                                  close);
    return mdl_yread_fail_key(&b->r, p, "%s: no department is called '%s' (by department: default, or one of %s)",
                              what, p->key, list);
}

/* The wording of a by-department value: "patience of buyer at credit", or
 * "patience of buyer" for the default. */
static void dept_what(char *buf, size_t len, const char *key, const struct mdl_class *c, const char *dept)
{
    if (dept)
        snprintf(buf, len, "%s of %s at %s", key, c->name, dept);
    else
        snprintf(buf, len, "%s of %s", key, c->name);
}

static int read_expect_wait(struct mdi_check *b, struct mdl_class *c, const struct mdl_ynode *n)
{
    struct mdl_yread *r = &b->r;
    struct mdl_scenario *s = b->s;
    char what[128];
    snprintf(what, sizeof what, "expect_wait of %s", c->name);
    double dflt = 10;
    if (n && n->kind != MDL_Y_MAP) {
        if (mdl_yread_number(r, n, what, 1e-6, SIM_DIST_TIME_MAX, &dflt))
            return r->err->code;
        n = NULL;
    }
    int d;
    for (size_t i = 0; n && i < n->n; i++)
        if (dept_key(b, &n->pairs[i], what, &d))
            return r->err->code;
    const struct mdl_ynode *dv = n ? mdl_ynode_get(n, "default") : NULL;
    if (dv && mdl_yread_number(r, dv, what, 1e-6, SIM_DIST_TIME_MAX, &dflt))
        return r->err->code;
    for (size_t k = 0; k < s->ndepts; k++) {
        c->expect_wait[k] = dflt;
        const struct mdl_ynode *v = n ? mdl_ynode_get(n, s->depts[k].name) : NULL;
        if (v && mdl_yread_number(r, v, what, 1e-6, SIM_DIST_TIME_MAX, &c->expect_wait[k]))
            return r->err->code;
    }
    return SIM_OK;
}

/* Whether mapping n gives a value by department ({default: ..., credit:
 * ...}) rather than being one distribution: it has no `dist: NAME`, and a key
 * is default or a department, or a value is itself a mapping (a department
 * misspelt: refused by dept_key with a suggestion). {mean: 30} is a
 * distribution that forgot its dist:, and is told so. */
static bool by_department(const struct mdi_check *b, const struct mdl_ynode *n)
{
    const struct mdl_ynode *dn = mdl_ynode_get(n, "dist");
    if (dn && dn->kind == MDL_Y_SCALAR)
        return false;
    for (size_t i = 0; i < n->n; i++)
        if (!strcmp(n->pairs[i].key, "default") || mdl_scenario_dept(b->s, n->pairs[i].key) >= 0 ||
            n->pairs[i].value->kind == MDL_Y_MAP)
            return true;
    return false;
}

/* patience: one distribution for every department, or by department
 * ({default: DIST, DEPT: DIST, ...}). A department with neither its own
 * nor a default: the customer waits there for ever (NULL). */
static int read_patience(struct mdi_check *b, struct mdl_class *c, const struct mdl_ynode *n)
{
    struct mdl_yread *r = &b->r;
    size_t nd = b->s->ndepts;
    char what[160];
    dept_what(what, sizeof what, "patience", c, NULL);
    if (n->kind == MDL_Y_MAP && n->n == 0)
        return mdl_yread_fail(r, n, "%s is an empty mapping: give a distribution such as {dist: exponential, mean: "
                              "30}, or one by department such as {default: {dist: ...}, %s: {dist: ...}}", what,
                              b->s->depts[0].name);
    if (n->kind != MDL_Y_MAP || !by_department(b, n)) {
        struct sim_dist *d = mdi_scenario_new_dist(b->si);
        if (mdl_yread_dist(r, n, what, d))
            return r->err->code;
        for (size_t k = 0; k < nd; k++)
            c->patience[k] = d;
        return SIM_OK;
    }
    const struct sim_dist *dflt = NULL;
    for (size_t i = 0; i < n->n; i++) {
        int d;
        if (dept_key(b, &n->pairs[i], what, &d))
            return r->err->code;
        char dwhat[160];
        dept_what(dwhat, sizeof dwhat, "patience", c, d >= 0 ? n->pairs[i].key : NULL);
        struct sim_dist *dist = mdi_scenario_new_dist(b->si);
        if (mdl_yread_dist(r, n->pairs[i].value, dwhat, dist))
            return r->err->code;
        if (d < 0)
            dflt = dist;
        else
            c->patience[d] = dist;
    }
    for (size_t k = 0; k < nd; k++)
        if (!c->patience[k])
            c->patience[k] = dflt;
    return SIM_OK;
}

#define BALK_MAX 10000000

/* balk_at: one number for every department, or by department ({default: N,
 * DEPT: N, ...}). A department with neither: the customer never balks there
 * (MDL_UNLIMITED). */
static int read_balk_at(struct mdi_check *b, struct mdl_class *c, const struct mdl_ynode *n)
{
    struct mdl_yread *r = &b->r;
    size_t nd = b->s->ndepts;
    char what[160];
    dept_what(what, sizeof what, "balk_at", c, NULL);
    long dflt = MDL_UNLIMITED;
    if (n->kind == MDL_Y_SEQ)
        return mdl_yread_fail(r, n, "%s must be a whole number, or numbers by department such as {default: 8, %s: "
                              "4}, got a list", what, b->s->depts[0].name);
    if (n->kind != MDL_Y_MAP) {
        if (mdl_yread_whole(r, n, what, 1, BALK_MAX, &dflt))
            return r->err->code;
        for (size_t k = 0; k < nd; k++)
            c->balk_at[k] = dflt;
        return SIM_OK;
    }
    if (n->n == 0)
        return mdl_yread_fail(r, n, "%s is an empty mapping: give a number, or numbers by department such as "
                              "{default: 8, %s: 4}", what, b->s->depts[0].name);
    for (size_t k = 0; k < nd; k++)
        c->balk_at[k] = 0;   /* not given yet */
    for (size_t i = 0; i < n->n; i++) {
        int d;
        long w;
        if (dept_key(b, &n->pairs[i], what, &d))
            return r->err->code;
        char dwhat[160];
        dept_what(dwhat, sizeof dwhat, "balk_at", c, d >= 0 ? n->pairs[i].key : NULL);
        if (mdl_yread_whole(r, n->pairs[i].value, dwhat, 1, BALK_MAX, &w))
            return r->err->code;
        if (d < 0)
            dflt = w;
        else
            c->balk_at[d] = w;
    }
    for (size_t k = 0; k < nd; k++)
        if (!c->balk_at[k])
            c->balk_at[k] = dflt;
    return SIM_OK;
}

static int read_class(struct mdi_check *b, size_t ci)
{
    static const char *keys[] = {"kind", "arrivals", "enter", "route", "patience",
                                 "balk_at", "priority", "value", "expect_wait", "max_dropout"};
    static const char *kinds[] = {"external", "internal"};
    struct mdl_yread *r = &b->r;
    struct mdl_scenario *s = b->s;
    struct mdl_class *c = &s->classes[ci];
    size_t nd = s->ndepts;
    c->enter = sim_arena_alloc(b->si->arena, nd * sizeof *c->enter);
    c->route = sim_arena_alloc(b->si->arena, nd * (nd + 1) * sizeof *c->route);
    c->expect_wait = sim_arena_alloc(b->si->arena, nd * sizeof *c->expect_wait);
    c->patience = sim_arena_alloc(b->si->arena, nd * sizeof *c->patience);   /* NULL: waits for ever */
    c->balk_at = sim_arena_alloc(b->si->arena, nd * sizeof *c->balk_at);
    for (size_t d = 0; d < nd; d++)
        c->balk_at[d] = MDL_UNLIMITED;
    c->max_dropout = NAN;   /* no goal */
    for (size_t d = 0; d < nd; d++)
        c->route[d * (nd + 1) + nd] = 1;   /* no row: exit */
    const struct mdl_ynode *n = b->class_nodes[ci];
    if (!n)   /* named only by a request */
        return read_expect_wait(b, c, NULL);

    char what[128];
    snprintf(what, sizeof what, "class %s", c->name);
    if (mdl_yread_map(r, n, what, keys, sizeof keys / sizeof keys[0]))
        return r->err->code;
    const struct mdl_ynode *v;
    int kind = 0;
    if ((v = mdl_ynode_get(n, "kind")) && mdl_yread_choice(r, v, "kind", kinds, 2, &kind))
        return r->err->code;
    c->internal = kind == 1;

    const struct mdl_ynode *arr = mdl_ynode_get(n, "arrivals"), *enter = mdl_ynode_get(n, "enter");
    const struct mdl_ypair *key = &b->class_keys_map[ci]->pairs[b->class_key_index[ci]];
    if (!arr) {
        bool used = used_by_request(b, c->name);
        if (!used && !c->internal)
            return mdl_yread_fail_key(r, key,
                                      "customers of class %s never arrive: give the class arrivals: (or make it "
                                      "the as: of a request)", c->name);
        if (enter)
            return mdl_yread_fail(r, enter, "enter: needs arrivals: (customers of %s come only through requests)",
                                  c->name);
        if (!used) {
            /* an internal class whose requests were switched off (--set requests=[]): the
             * scenario runs without it, and says so */
            mdi_check_warn(b, key->src, key->line, key->col,
                           "customers of class %s never arrive: no request makes them and the class has no "
                           "arrivals: of its own (it is left unused)", c->name);
        } else {
            c->request_only = true;
            if (!c->internal)
                return mdl_yread_fail_key(r, key,
                                          "class %s is the as: of a request, so it must be kind: internal", c->name);
        }
    } else {
        if (read_arrivals(b, c, arr))
            return r->err->code;
        if (!enter)
            return mdl_yread_fail_key(r, key,
                                      "class %s needs enter: (the department its customers come to first)", c->name);
        snprintf(what, sizeof what, "enter of %s", c->name);
        double *row = sim_arena_alloc(b->si->arena, (nd + 1) * sizeof *row);
        if (probability_row(b, enter, false, what, row))
            return r->err->code;
        memcpy(c->enter, row, nd * sizeof *row);
    }

    const struct mdl_ynode *route = mdl_ynode_get(n, "route");
    if (route) {
        if (route->kind != MDL_Y_MAP)
            return mdl_yread_fail(r, route, "route of %s must map each department to where customers go next",
                                  c->name);
        for (size_t i = 0; i < route->n; i++) {
            const struct mdl_ypair *p = &route->pairs[i];
            struct mdl_ynode keyat = {.src = p->src, .line = p->line, .col = p->col};
            int from;
            snprintf(what, sizeof what, "route of %s", c->name);
            if (destination(b, &keyat, p->key, false, what, &from))
                return r->err->code;
            double *row = &c->route[(size_t)from * (nd + 1)];
            row[nd] = 0;
            snprintf(what, sizeof what, "route of %s after %s", c->name, p->key);
            if (probability_row(b, p->value, true, what, row))
                return r->err->code;
        }
    }
    if ((v = mdl_ynode_get(n, "patience")) && read_patience(b, c, v))
        return r->err->code;
    if ((v = mdl_ynode_get(n, "balk_at")) && read_balk_at(b, c, v))
        return r->err->code;
    long w;
    snprintf(what, sizeof what, "priority of %s", c->name);
    if ((v = mdl_ynode_get(n, "priority")) && mdl_yread_whole(r, v, what, -1000, 1000, &w))
        return r->err->code;
    c->priority = v ? (int)w : 0;
    snprintf(what, sizeof what, "value of %s", c->name);
    if ((v = mdl_ynode_get(n, "value")) && mdl_yread_number(r, v, what, 0, 1e12, &c->value))
        return r->err->code;
    snprintf(what, sizeof what, "max_dropout of %s", c->name);
    if ((v = mdl_ynode_get(n, "max_dropout")) && mdl_yread_number(r, v, what, 0, 1, &c->max_dropout))
        return r->err->code;
    return read_expect_wait(b, c, mdl_ynode_get(n, "expect_wait"));
}

int mdi_check_classes(struct mdi_check *b)
{
    for (size_t c = 0; c < b->s->nclasses; c++)
        if (read_class(b, c))
            return b->r.err->code;
    return SIM_OK;
}

static bool crew_has_staff(const struct mdl_crew *crew)
{
    for (size_t i = 0; i < crew->nstaff; i++)
        if (crew->staff[i].value > 0)
            return true;
    return false;
}

/* Department d has someone to serve its customers at some time: its own
 * staff, or a pool that serves it. */
static bool has_staff(const struct mdl_scenario *s, int d)
{
    if (crew_has_staff(&s->depts[d].crew))
        return true;
    for (size_t p = 0; p < s->npools; p++)
        for (size_t i = 0; i < s->pools[p].nserves; i++)
            if (s->pools[p].serves[i] == d && crew_has_staff(&s->pools[p].crew))
                return true;
    return false;
}

/* The visits a customer of class c is expected to make to each department
 * it can reach (reach[d]), entering by enter[]: v solves v = enter + v Q,
 * Q the route between reachable departments (the fundamental matrix of the
 * absorbing Markov chain, Kemeny and Snell 1960, ch. III). Every reachable
 * department can reach exit (checked before), so I - Q is invertible;
 * a chance to leave so small that the visits overflow gives infinities. */
static void expected_visits(const struct mdl_class *c, size_t nd, const double *enter, const bool *reach, double *v)
{
    size_t idx[MDL_MAX_DEPTS], n = 0;
    for (size_t d = 0; d < nd; d++) {
        v[d] = 0;
        if (reach[d])
            idx[n++] = d;
    }
    if (n == 0)
        return;
    gsl_matrix *a = gsl_matrix_alloc(n, n);
    gsl_vector *bv = gsl_vector_alloc(n), *x = gsl_vector_alloc(n);
    gsl_permutation *perm = gsl_permutation_alloc(n);
    if (!a || !bv || !x || !perm)
        sim_oom(n * n * sizeof(double));
    /* (I - Q)^T v = enter */
    for (size_t i = 0; i < n; i++) {
        gsl_vector_set(bv, i, enter[idx[i]]);
        for (size_t j = 0; j < n; j++)
            gsl_matrix_set(a, i, j, (i == j) - c->route[idx[j] * (nd + 1) + idx[i]]);
    }
    int sign = 0;
    gsl_error_handler_t *old = gsl_set_error_handler_off();
    bool ok = !gsl_linalg_LU_decomp(a, perm, &sign) && !gsl_linalg_LU_solve(a, perm, bv, x);
    gsl_set_error_handler(old);
    for (size_t i = 0; i < n; i++) {
        double vi = ok ? gsl_vector_get(x, i) : HUGE_VAL;
        v[idx[i]] = isfinite(vi) ? vi : HUGE_VAL;
    }
    gsl_permutation_free(perm);
    gsl_vector_free(x);
    gsl_vector_free(bv);
    gsl_matrix_free(a);
}

/* Refuses a class whose customers would be expected to make more than
 * MAX_EXPECTED_VISITS (1,000) visits, at the route row of the department they
 * would visit most. v[d]: the visits expected at department d. */
static int check_visits(struct mdi_check *b, size_t ci, const double *enter, const bool *reach, double *v)
{
    const struct mdl_scenario *s = b->s;
    const struct mdl_class *c = &s->classes[ci];
    size_t nd = s->ndepts, most = 0;
    double total = 0;
    expected_visits(c, nd, enter, reach, v);
    for (size_t d = 0; d < nd; d++)
        total += v[d];
    if (!(total > MAX_EXPECTED_VISITS))
        return SIM_OK;
    /* the department visited most; when the visits overflow, the one whose
     * route leaves least */
    double exit_most = 2;
    for (size_t d = 0; d < nd; d++) {
        double leave = c->route[d * (nd + 1) + nd];
        if (isfinite(total) ? v[d] > v[most] : reach[d] && leave < exit_most) {
            most = d;
            exit_most = leave;
        }
    }
    const struct mdl_ynode *route = mdl_ynode_get(b->class_nodes[ci], "route");
    const struct mdl_ynode *row = mdl_ynode_get(route, s->depts[most].name);
    char many[48];
    if (isfinite(total))
        snprintf(many, sizeof many, total < 1e9 ? "%.0f visits" : "%.3g visits", total);
    else
        snprintf(many, sizeof many, "more visits than can be counted");
    return mdl_yread_fail(&b->r, row ? row : route ? route : b->class_nodes[ci],
                          "customers of %s would make %s on average, most of them to %s (its route leaves "
                          "with chance %g): at most 1,000 visits a journey", c->name, many, s->depts[most].name,
                          c->route[most * (nd + 1) + nd]);
}

/* Events of a visit, at most: reaching, starting, giving up or finishing,
 * a request raised and answered, and room to spare. */
#define EVENTS_PER_VISIT 6

/* Customers of class c expected to arrive in one replication: over the
 * day's opening hours, or over a steady-state run's warm-up and length
 * (an automatic warm-up at most half the length more). */
static double expected_arrivals(const struct mdl_scenario *s, const struct mdl_class *c)
{
    double from = s->is_day ? s->open_at : 0;
    double to = s->is_day ? s->close_at : (s->warmup_auto ? 1.5 * s->length_dur : s->warmup_dur + s->length_dur);
    switch (c->arrivals) {
    case MDL_ARR_POISSON:
        return c->rate * (to - from);
    case MDL_ARR_PROFILE: {
        double n = 0;
        for (size_t i = 0; i < c->nprofile; i++) {
            double a = c->profile[i].at > from ? c->profile[i].at : from;
            double z = i + 1 < c->nprofile && c->profile[i + 1].at < to ? c->profile[i + 1].at : to;
            if (z > a)
                n += c->profile[i].value * (z - a);
        }
        return n;
    }
    case MDL_ARR_RENEWAL:
        return (to - from) / c->interarrival.mean + 1;
    case MDL_ARR_APPOINTMENTS: {
        double n = 0;
        for (size_t k = 0; k < c->nappt; k++) {
            const struct mdl_appt_block *a = &c->appt[k];
            n += ((a->to_at - a->from_at) / a->every_dur + 1) * (double)a->per_slot * (1 - a->no_show);
        }
        return n;
    }
    case MDL_ARR_NONE:
        break;
    }
    return 0;
}

/* The work bound of a replication (issue 18): unless the file gives
 * max_events, MDL_EVENTS_SLACK times the events expected from the classes'
 * arrivals and visits and the requests they raise, and at least
 * MDL_MIN_MAX_EVENTS. A replication that does a hundred times the work
 * expected is in no state the scenario describes; stopping it keeps a
 * run, or a trace, from going on without end. */
static void set_max_events(struct mdl_scenario *s, const double *arrivals, double (*visits)[MDL_MAX_DEPTS],
                           double extra_events)
{
    double expected = extra_events;
    for (size_t ci = 0; ci < s->nclasses; ci++) {
        double per = 0;
        for (size_t d = 0; d < s->ndepts; d++)
            per += visits[ci][d];
        expected += arrivals[ci] * (2 + EVENTS_PER_VISIT * per);
    }
    expected += 4.0 * (double)s->ndepts;   /* staff changes, closing, the end: a few each */
    s->expected_events = expected;
    if (!s->max_events_given) {
        double bound = MDL_EVENTS_SLACK * expected;
        s->max_events = bound < (double)MDL_MIN_MAX_EVENTS ? MDL_MIN_MAX_EVENTS
                        : bound > (double)MDL_MAX_MAX_EVENTS ? MDL_MAX_MAX_EVENTS
                                                            : (long)ceil(bound);
    }
}

int mdi_check_journeys(struct mdi_check *b)
{
    struct mdl_yread *r = &b->r;
    struct mdl_scenario *s = b->s;
    size_t nd = s->ndepts;
    bool reach[MDL_MAX_DEPTS], leaves[MDL_MAX_DEPTS];
    double arrivals[MDL_MAX_CLASSES] = {0}, visits[MDL_MAX_CLASSES][MDL_MAX_DEPTS];
    memset(visits, 0, sizeof visits);
    for (size_t ci = 0; ci < s->nclasses; ci++) {
        const struct mdl_class *c = &s->classes[ci];
        if (c->request_only)
            continue;
        arrivals[ci] = expected_arrivals(s, c);
        /* departments this class can reach */
        memset(reach, 0, sizeof reach);
        for (size_t d = 0; d < nd; d++)
            reach[d] = c->enter[d] > 0;
        for (bool grew = true; grew;) {
            grew = false;
            for (size_t d = 0; d < nd; d++)
                for (size_t e = 0; reach[d] && e < nd; e++)
                    if (!reach[e] && c->route[d * (nd + 1) + e] > 0)
                        reach[e] = grew = true;
        }
        /* departments from which exit can be reached */
        for (size_t d = 0; d < nd; d++)
            leaves[d] = c->route[d * (nd + 1) + nd] > 0;
        for (bool grew = true; grew;) {
            grew = false;
            for (size_t d = 0; d < nd; d++)
                for (size_t e = 0; !leaves[d] && e < nd; e++)
                    if (leaves[e] && c->route[d * (nd + 1) + e] > 0)
                        leaves[d] = grew = true;
        }
        const struct mdl_ynode *cn = b->class_nodes[ci];
        for (size_t d = 0; d < nd; d++) {
            if (!reach[d])
                continue;
            const struct mdl_ynode *dn = b->depts_node->pairs[d].value;
            if (!s->depts[d].service[ci])
                return mdl_yread_fail(r, mdl_ynode_get(dn, "service"),
                                      "customers of %s reach %s, but its service gives no time for %s (add %s: or "
                                      "default:)", c->name, s->depts[d].name, c->name, c->name);
            if (!has_staff(s, (int)d))
                return mdl_yread_fail(r, mdl_ynode_get(dn, "staff") ? mdl_ynode_get(dn, "staff") : mdl_ynode_get(dn, "shifts"),
                                      "%s has no staff at any time, but customers of %s are sent there",
                                      s->depts[d].name, c->name);
            if (!leaves[d]) {
                const struct mdl_ynode *route = mdl_ynode_get(cn, "route");
                const struct mdl_ynode *row = mdl_ynode_get(route, s->depts[d].name);
                return mdl_yread_fail(r, row ? row : route ? route : cn,
                                      "customers of %s who reach %s can never leave: no route from %s leads to exit",
                                      c->name, s->depts[d].name, s->depts[d].name);
            }
        }
        if (check_visits(b, ci, c->enter, reach, visits[ci]))
            return r->err->code;
    }
    /* the journeys of customers made by requests: each enters at its `to` */
    double req_visits[MDL_MAX_DEPTS], extra_events = 0;
    for (size_t i = 0; i < s->nrequests; i++) {
        const struct mdl_request *q = &s->requests[i];
        double enter[MDL_MAX_DEPTS] = {0};
        enter[q->to] = 1;
        memset(reach, 0, sizeof reach);
        reach[q->to] = true;
        const double *route = s->classes[q->as].route;
        for (bool grew = true; grew;) {
            grew = false;
            for (size_t d = 0; d < nd; d++)
                for (size_t e = 0; reach[d] && e < nd; e++)
                    if (!reach[e] && route[d * (nd + 1) + e] > 0)
                        reach[e] = grew = true;
        }
        if (check_visits(b, (size_t)q->as, enter, reach, req_visits))
            return r->err->code;
        /* each visit to `from` raises it with q's probability */
        double raised = 0, per = 0;
        for (size_t ci = 0; ci < s->nclasses; ci++)
            raised += arrivals[ci] * visits[ci][q->from];
        for (size_t d = 0; d < nd; d++)
            per += req_visits[d];
        extra_events += raised * q->probability * (2 + EVENTS_PER_VISIT * per);
    }
    set_max_events(s, arrivals, visits, extra_events);
    for (size_t i = 0; i < s->nrequests; i++) {
        const struct mdl_request *q = &s->requests[i];
        if (!has_staff(s, q->to))
            return mdl_yread_fail(r, mdl_ynode_get(b->requests_node->items[i], "to"),
                                  "%s has no staff at any time, but request %zu is sent there",
                                  s->depts[q->to].name, i + 1);
    }
    return SIM_OK;
}
