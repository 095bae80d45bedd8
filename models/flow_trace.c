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
        .dur = NAN, .walk_dur = NAN, .score = NAN, .break_dur = NAN, .count = -1, .prev_count = -1,
    };
    if (c && c->parent)
        ev.related = mdi_trace_who(f, c->parent);
    if (c && ds && c->slot >= 0) {
        ev.staff = c->crew->people ? c->crew->people[c->slot].name : c->crew->names[c->slot];
        ev.pool = c->crew->pool ? c->crew->pool->spec->name : NULL;
    }
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

/* The next first name, from the list, then with a number. */
static const char *next_name(struct flow *f, size_t *next)
{
    char *name = sim_arena_alloc(f->arena, 24);
    if (*next < NFIRST_NAMES)
        snprintf(name, 24, "%s", first_names[*next]);
    else
        snprintf(name, 24, "%s %zu", first_names[*next % NFIRST_NAMES], *next / NFIRST_NAMES + 1);
    (*next)++;
    return name;
}

/* Names crew cr's members: a head count's as many as it ever has; people
 * each their own. */
static void name_crew(struct flow *f, struct crew *cr, size_t *next)
{
    if (cr->people) {
        for (size_t k = 0; k < cr->npeople; k++)
            cr->people[k].name = next_name(f, next);
        return;
    }
    int most = 1;
    for (size_t i = 0; i < cr->spec->nstaff; i++)
        most = (int)cr->spec->staff[i].value > most ? (int)cr->spec->staff[i].value : most;
    cr->nslots = most;
    cr->names = sim_arena_alloc(f->arena, (size_t)most * sizeof *cr->names);
    cr->slot_busy = sim_arena_alloc(f->arena, (size_t)most * sizeof *cr->slot_busy);
    for (int k = 0; k < most; k++)
        cr->names[k] = next_name(f, next);
}

void mdi_trace_name_staff(struct flow *f)
{
    size_t next = 0;
    for (size_t d = 0; d < f->s->ndepts; d++)
        name_crew(f, &f->d[d].own, &next);
    for (size_t k = 0; k < f->s->npools; k++)
        name_crew(f, &f->p[k].crew, &next);
}

void mdi_trace_take_staff(struct crew *cr, struct cust *c)
{
    if (cr->people) {   /* its person, by its place in the crew */
        c->slot = (int)(c->server - cr->people);
        return;
    }
    int k = 0;
    while (k < cr->nslots - 1 && cr->slot_busy[k])
        k++;
    cr->slot_busy[k] = true;
    c->slot = k;
}

void mdi_trace_release_staff(struct crew *cr, struct cust *c)
{
    if (c->slot >= 0 && !cr->people)
        cr->slot_busy[c->slot] = false;
    c->slot = -1;
}
