/* models/flow_trace.c — the flow model telling its events (see
 * flow.h, mdl_flow_trace): what each event says, and staff members with
 * names so a story can say who served whom. Used only when a listener is
 * set; a name is a label and never changes a result.
 */
#include "models/flow_state.h"

#include <math.h>
#include <stdio.h>

struct mdl_event_who mdi_trace_who(const struct flow *f, const struct cust *c)
{
    if (!c)
        return (struct mdl_event_who){0};
    const struct mdl_class *cl = &f->s->classes[c->cls];
    return (struct mdl_event_who){cl->name, c->label, cl->internal, c->parent != NULL};
}

struct mdl_event mdi_trace_event(const struct flow *f, enum mdl_event_kind kind, const struct cust *c,
                                    const struct dstate *ds)
{
    struct mdl_event ev = {
        .kind = kind, .at = mdi_flow_now(f), .who = mdi_trace_who(f, c), .dept = ds ? ds->spec->name : NULL,
        .dur = NAN, .walk_dur = NAN, .score = NAN, .count = -1, .prev_count = -1,
    };
    if (c && c->parent)
        ev.related = mdi_trace_who(f, c->parent);
    if (c && ds && c->slot >= 0)
        ev.staff = ds->names[c->slot];
    return ev;
}

void mdi_trace_tell(struct flow *f, const struct mdl_event *ev)
{
    f->trace(f->trace_ctx, ev);
}

/* Staff members get first names, different across the business, so that a
 * story can say who served whom. */
static const char *const first_names[] = {
    "Ann", "Ben", "Cleo", "Dev", "Eva", "Femi", "Gus", "Hana", "Ivo", "Jo", "Kai", "Lena", "Milo", "Nia",
    "Omar", "Pia", "Quinn", "Rosa", "Sam", "Tess", "Uma", "Vic", "Wen", "Xavi", "Yara", "Zed", "Abel", "Bea",
    "Cruz", "Dina", "Eli", "Faye", "Gil", "Hugo", "Iris", "Jon", "Kira", "Leo", "Mae", "Ned"};
#define NFIRST_NAMES (sizeof first_names / sizeof first_names[0])

void mdi_trace_name_staff(struct flow *f)
{
    size_t next = 0;
    for (size_t d = 0; d < f->s->ndepts; d++) {
        struct dstate *ds = &f->d[d];
        const struct mdl_dept *dp = &f->s->depts[d];
        int most = 1;
        for (size_t i = 0; i < dp->crew.nstaff; i++)
            most = (int)dp->crew.staff[i].value > most ? (int)dp->crew.staff[i].value : most;
        ds->nslots = most;
        ds->names = sim_arena_alloc(f->arena, (size_t)most * sizeof *ds->names);
        ds->slot_busy = sim_arena_alloc(f->arena, (size_t)most * sizeof *ds->slot_busy);
        for (int k = 0; k < most; k++, next++) {
            char *name = sim_arena_alloc(f->arena, 24);
            if (next < NFIRST_NAMES)
                snprintf(name, 24, "%s", first_names[next]);
            else
                snprintf(name, 24, "%s %zu", first_names[next % NFIRST_NAMES], next / NFIRST_NAMES + 1);
            ds->names[k] = name;
        }
    }
}

void mdi_trace_take_staff(struct dstate *ds, struct cust *c)
{
    int k = 0;
    while (k < ds->nslots - 1 && ds->slot_busy[k])
        k++;
    ds->slot_busy[k] = true;
    c->slot = k;
}

void mdi_trace_release_staff(struct dstate *ds, struct cust *c)
{
    if (c->slot >= 0)
        ds->slot_busy[c->slot] = false;
    c->slot = -1;
}

