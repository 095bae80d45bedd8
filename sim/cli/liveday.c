/* sim/cli/liveday.c — a day as the live view replays it, and a customer's
 * story (liveday.h). Both trace replication 0 through the flow model
 * (models/flow.h); the day keeps a customer's number in a table per class
 * (ids run from 1 in order of arrival, so the table is an array).
 */
#include "sim/cli/liveday.h"
#include "sim/cli/cli.h"
#include "sim/cli/results.h"

#include "models/flow.h"
#include "models/scenario.h"
#include "output/json.h"
#include "output/trace.h"
#include "sim/mem.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Whether any class goes from department d to e. */
static bool routed(const struct mdl_scenario *s, size_t d, size_t e)
{
    for (size_t c = 0; c < s->nclasses; c++)
        if (s->classes[c].route && s->classes[c].route[d * (s->ndepts + 1) + e] > 0)
            return true;
    return false;
}

/* Depth-first from d: marks back[d * n + e] for each route that closes a
 * loop (state: 0 unseen, 1 on the path, 2 done). */
static void find_loops(const struct mdl_scenario *s, size_t d, char *state, bool *back)
{
    size_t n = s->ndepts;
    state[d] = 1;
    for (size_t e = 0; e < n; e++) {
        if (!routed(s, d, e))
            continue;
        if (state[e] == 1)
            back[d * n + e] = true;
        else if (state[e] == 0)
            find_loops(s, e, state, back);
    }
    state[d] = 2;
}

/* Places each department in a column: the most steps along routes from a
 * department no route leads to (a loop's way back does not count), so a
 * journey reads left to right; rows count within a column. Requests do
 * not move a department. */
static void place(const struct mdl_scenario *s, int *col, int *row)
{
    size_t n = s->ndepts;
    char *state = sim_xcalloc(n, 1);
    bool *back = sim_xcalloc(n * n, sizeof *back);
    for (size_t d = 0; d < n; d++)
        if (!state[d])
            find_loops(s, d, state, back);
    for (size_t d = 0; d < n; d++)
        col[d] = 0;
    for (size_t pass = 0; pass < n; pass++)   /* longest paths of a graph without loops */
        for (size_t d = 0; d < n; d++)
            for (size_t e = 0; e < n; e++)
                if (!back[d * n + e] && routed(s, d, e) && col[e] < col[d] + 1)
                    col[e] = col[d] + 1;
    for (size_t d = 0; d < n; d++) {
        row[d] = 0;
        for (size_t e = 0; e < d; e++)
            row[d] += col[e] == col[d];
    }
    free(state);
    free(back);
}

/* ---- the day ----------------------------------------------------------- */

struct day {
    const struct mdl_scenario *s;
    json_t *events, *customers;
    long **cust;             /* [class][id]: the customer's index + 1 (0: not yet) */
    size_t *ncust;           /* [class]: the table's length */
    long next;               /* customers so far */
    long served, lost;
    double lost_value;
};

/* The customer's index in the day's list, added when new; -1 for none. */
static long customer(struct day *dy, const struct mdl_event_who *who)
{
    int c = who->cls ? mdl_scenario_class(dy->s, who->cls) : -1;
    if (c < 0 || who->id == 0)
        return -1;
    size_t k = (size_t)c;
    if (who->id >= dy->ncust[k]) {
        size_t grown = dy->ncust[k] ? dy->ncust[k] : 64;
        while (grown <= who->id)
            grown *= 2;
        dy->cust[k] = sim_xrealloc(dy->cust[k], grown * sizeof **dy->cust);
        memset(dy->cust[k] + dy->ncust[k], 0, (grown - dy->ncust[k]) * sizeof **dy->cust);
        dy->ncust[k] = grown;
    }
    if (!dy->cust[k][who->id]) {
        dy->cust[k][who->id] = ++dy->next;
        json_array_append_new(dy->customers, json_pack("[i,I]", c, (json_int_t)who->id));
    }
    return dy->cust[k][who->id] - 1;
}

static void day_event(void *ctx, const struct mdl_event *ev)
{
    struct day *dy = ctx;
    int dept = ev->dept ? mdl_scenario_dept(dy->s, ev->dept) : -1;
    long arg = mdl_event_tells_staff(ev->kind) ? ev->count
               : ev->kind == MDL_EV_FINISH || ev->kind == MDL_EV_REQUEST ? (ev->to ? mdl_scenario_dept(dy->s, ev->to) : -1)
               : ev->kind == MDL_EV_START ? ev->pool != NULL
                                          : 0;
    bool external = ev->who.cls && !ev->who.internal;
    if (external && ev->kind == MDL_EV_EXIT)
        dy->served++;
    if (external && (ev->kind == MDL_EV_BALK || ev->kind == MDL_EV_BLOCK || ev->kind == MDL_EV_RENEGE ||
                     ev->kind == MDL_EV_SENT_HOME)) {
        int c = mdl_scenario_class(dy->s, ev->who.cls);
        dy->lost++;
        dy->lost_value += c >= 0 ? dy->s->classes[c].value : 0;
    }
    json_array_append_new(dy->events, json_pack("[I,i,I,i,I]", (json_int_t)llround(ev->at * 60), (int)ev->kind,
                                                (json_int_t)customer(dy, &ev->who), dept, (json_int_t)arg));
}

json_t *cli_liveday_json(const struct mdl_scenario *s, uint64_t seed, const char *title)
{
    size_t n = s->ndepts;
    int *col = sim_xcalloc(n, sizeof *col), *row = sim_xcalloc(n, sizeof *row);
    place(s, col, row);
    json_t *depts = json_array(), *routes = json_array(), *classes = json_array(), *kinds = json_array();
    for (size_t d = 0; d < n; d++)
        json_array_append_new(depts, json_pack("{s:s,s:i,s:i}", "name", s->depts[d].name, "col", col[d], "row", row[d]));
    for (size_t d = 0; d < n; d++)   /* an edge where any class goes */
        for (size_t e = 0; e < n; e++)
            if (routed(s, d, e))
                json_array_append_new(routes, json_pack("[i,i,s]", (int)d, (int)e, "route"));
    for (size_t r = 0; r < s->nrequests; r++)
        json_array_append_new(routes, json_pack("[i,i,s]", s->requests[r].from, s->requests[r].to, "request"));
    for (size_t c = 0; c < s->nclasses; c++)
        json_array_append_new(classes, json_pack("{s:s,s:b,s:o}", "name", s->classes[c].name, "internal",
                                                 s->classes[c].internal, "value",
                                                 out_json_number(s->classes[c].value)));
    for (int k = 0; k < MDL_EV_KINDS; k++)
        json_array_append_new(kinds, json_string(out_trace_kind_name((enum out_trace_kind)k)));
    struct day dy = {.s = s, .events = json_array(), .customers = json_array()};
    dy.cust = sim_xcalloc(s->nclasses, sizeof *dy.cust);
    dy.ncust = sim_xcalloc(s->nclasses, sizeof *dy.ncust);
    struct mdl_flow_stats stats;
    mdl_flow_trace(s, seed, 0, day_event, &dy, &stats);
    json_t *out = json_pack("{s:s,s:s,s:b,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:I,s:I,s:o}", "scenario", s->name, "title",
                            title, "is_day", s->is_day, "open_at", out_json_number(s->is_day ? s->open_at : 0),
                            "close_at", out_json_number(s->is_day ? s->close_at : NAN), "departments", depts,
                            "routes", routes, "classes", classes, "kinds", kinds, "customers", dy.customers,
                            "events", dy.events, "served", (json_int_t)dy.served, "lost", (json_int_t)dy.lost,
                            "lost_value", out_json_number(dy.lost_value));
    for (size_t c = 0; c < s->nclasses; c++)
        free(dy.cust[c]);
    free(dy.cust);
    free(dy.ncust);
    free(col);
    free(row);
    return out;
}

/* ---- a customer's story ------------------------------------------------ */

static void story_event(void *ctx, const struct mdl_event *ev)
{
    struct out_trace_event told = cli_results_event(ev);
    out_trace_event(ctx, &told);
}

char *cli_liveday_story(const struct mdl_scenario *s, uint64_t seed, const char *customer, const char *title)
{
    const char *hash = customer ? strchr(customer, '#') : NULL;
    long id = 0;
    char cls[128];
    if (!hash || (size_t)(hash - customer) >= sizeof cls || !cli_parse_count(hash + 1, 1, 4000000000, &id))
        return NULL;
    snprintf(cls, sizeof cls, "%.*s", (int)(hash - customer), customer);
    if (mdl_scenario_class(s, cls) < 0)
        return NULL;
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f)
        return NULL;
    char subtitle[160];
    snprintf(subtitle, sizeof subtitle, "Day 1 of seed %llu", (unsigned long long)seed);
    struct out_trace_filter filter = {.customer_cls = cls, .customer_id = (unsigned long)id, .from_at = NAN,
                                      .to_at = NAN};
    struct out_trace *t = out_trace_create(OUT_TRACE_TEXT, &filter, s->is_day, title, subtitle, f);
    struct mdl_flow_stats stats;
    mdl_flow_trace(s, seed, 0, story_event, t, &stats);
    struct sim_err err;
    sim_err_init(&err);
    out_trace_finish(t, &err);
    fclose(f);
    return text;
}
