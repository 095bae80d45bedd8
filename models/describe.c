/* models/describe.c — the text of `cxsim check` (see describe.h). */
#include "models/describe.h"
#include "models/workshop.h"
#include "models/flow.h"

#include <errno.h>
#include <math.h>
#include <string.h>

static void clock(FILE *f, double at)
{
    fprintf(f, "%02d:%02d", (int)at / 60, (int)at % 60);
}

static void dist(FILE *f, const struct sim_dist *d)
{
    size_t nforms;
    const struct sim_dist_form *forms = sim_dist_forms(&nforms);
    const char *name = "?";
    for (size_t i = 0; i < nforms; i++)
        if (forms[i].kind == d->kind) {
            name = forms[i].name;
            break;
        }
    if (d->kind == SIM_DIST_CONSTANT)
        fprintf(f, "always %g min", d->mean);
    else
        fprintf(f, "%s, mean %.3g min, sd %.3g", name, d->mean, sqrt(d->var));
}

/* "staff 2" or "staff 1 from 09:00, 2 from 10:00": the head count, from
 * the shifts when there are some (fixed breaks taken out). */
static void staff(FILE *f, const struct mdl_scenario *s, const struct mdl_crew *crew)
{
    fprintf(f, "%s ", crew->nshifts ? "head count" : "staff");
    if (crew->nstaff == 1 && (!s->is_day || crew->staff[0].at <= s->open_at))
        fprintf(f, "%g", crew->staff[0].value);
    else
        for (size_t i = 0; i < crew->nstaff; i++) {
            fprintf(f, "%s%g from ", i ? ", " : "", crew->staff[i].value);
            clock(f, crew->staff[i].at);
        }
}

/* The roster of a crew on shifts, one line a shift. */
static void roster(FILE *f, const struct mdl_scenario *s, const struct mdl_crew *crew)
{
    (void)s;
    if (!crew->nshifts)
        return;
    bool windows = false;
    for (size_t i = 0; i < crew->nshifts; i++) {
        const struct mdl_shift *sh = &crew->shifts[i];
        fprintf(f, "    shift %s: ", sh->name);
        clock(f, sh->start_at);
        fprintf(f, " to ");
        clock(f, sh->end_at);
        fprintf(f, ", %ld %s", sh->count, sh->count == 1 ? "person" : "people");
        for (size_t k = 0; k < sh->nbreaks; k++) {
            const struct mdl_break *br = &sh->breaks[k];
            fprintf(f, "%s %g-minute break ", k ? "," : ";", br->length_dur);
            if (br->window) {
                windows = true;
                fprintf(f, "between ");
                clock(f, br->from_at);
                fprintf(f, " and ");
                clock(f, br->to_at);
            } else {
                fprintf(f, "at ");
                clock(f, br->from_at);
            }
        }
        fprintf(f, "\n");
    }
    fprintf(f, "    breaks are %s%s\n", crew->paid_breaks ? "paid" : "not paid",
            windows ? "; a break in a window, taken when the person is free, is not taken out of the head count"
                    : "");
}

/* A class's appointment book, block by block, as a receptionist would read
 * it: the slots (all of them when a dozen or fewer), how many are booked a
 * slot, the no-shows, and how punctual the others are. Begins on the
 * class's line. */
static void appointments(FILE *f, const struct mdl_class *cl)
{
    double expected = 0;
    for (size_t k = 0; k < cl->nappt; k++) {
        const struct mdl_appt_block *a = &cl->appt[k];
        expected += ((a->to_at - a->from_at) / a->every_dur + 1) * (double)a->per_slot * (1 - a->no_show);
    }
    fprintf(f, "by appointment, %.3g customers a day expected", expected);
    for (size_t k = 0; k < cl->nappt; k++) {
        const struct mdl_appt_block *a = &cl->appt[k];
        size_t nslots = (size_t)((a->to_at - a->from_at) / a->every_dur) + 1;
        if (nslots == 1) {
            fprintf(f, "\n    1 slot at ");
            clock(f, a->from_at);
        } else {
            fprintf(f, "\n    %zu slots every %g min from ", nslots, a->every_dur);
            clock(f, a->from_at);
            fprintf(f, " to ");
            clock(f, a->to_at);
            fprintf(f, " (");
            for (size_t i = 0; i < nslots; i++) {
                if (nslots > 12 && i == 3) {
                    fprintf(f, ", ...");
                    i = nslots - 2;
                    continue;
                }
                fprintf(f, "%s", i ? ", " : "");
                clock(f, a->from_at + (double)i * a->every_dur);
            }
            fprintf(f, ")");
        }
        fprintf(f, "\n    %ld booked a slot", a->per_slot);
        if (a->no_show > 0)
            fprintf(f, "; %g%% do not come", 100 * a->no_show);
        if (a->punctuality) {
            fprintf(f, "; each comes at the slot plus ");
            dist(f, a->punctuality);
            fprintf(f, " (early when below 0)");
        } else {
            fprintf(f, "; they come on time");
        }
    }
}

typedef bool same_fn(const struct mdl_class *cl, size_t a, size_t b);

/* The departments whose entry in a by-department value equals department
 * d's (same(cl, d, k) true), from d on, as "reception, sales"; marks them
 * done. */
static void dept_group(FILE *f, const struct mdl_scenario *s, size_t d, bool *done, same_fn *same,
                       const struct mdl_class *cl)
{
    for (size_t k = d, first = 1; k < s->ndepts; k++)
        if (!done[k] && same(cl, d, k)) {
            fprintf(f, "%s%s", first ? "" : ", ", s->depts[k].name);
            done[k] = true;
            first = 0;
        }
}

/* Whether two departments' patience reads the same (written once under
 * default, or twice alike); empirical ones only when they are one. */
static bool same_patience(const struct mdl_class *cl, size_t a, size_t b)
{
    const struct sim_dist *x = cl->patience[a], *y = cl->patience[b];
    if (x == y)
        return true;
    return x && y && x->kind == y->kind && x->kind != SIM_DIST_EMPIRICAL && x->p[0] == y->p[0] &&
           x->p[1] == y->p[1] && x->p[2] == y->p[2];
}

static bool same_balk(const struct mdl_class *cl, size_t a, size_t b)
{
    return cl->balk_at[a] == cl->balk_at[b];
}

/* "patience: DIST" when the same everywhere; else a line a department group
 * ("patience at credit: ..."), and where the customer waits for ever. */
static void patience(FILE *f, const struct mdl_scenario *s, const struct mdl_class *cl)
{
    bool done[MDL_MAX_DEPTS] = {false}, uniform = true, any = false;
    for (size_t d = 0; d < s->ndepts; d++) {
        uniform = uniform && same_patience(cl, 0, d);
        any = any || cl->patience[d];
    }
    if (!any)
        return;
    if (uniform) {
        fprintf(f, "    patience: ");
        dist(f, cl->patience[0]);
        fprintf(f, "\n");
        return;
    }
    for (size_t d = 0; d < s->ndepts; d++)
        if (!done[d] && cl->patience[d]) {
            fprintf(f, "    patience at ");
            dept_group(f, s, d, done, same_patience, cl);
            fprintf(f, ": ");
            dist(f, cl->patience[d]);
            fprintf(f, "\n");
        }
    for (size_t d = 0; d < s->ndepts; d++)
        if (!done[d]) {
            fprintf(f, "    waits for ever at ");
            dept_group(f, s, d, done, same_patience, cl);
            fprintf(f, "\n");
        }
}

/* "turns away on seeing N or more waiting", and where, when it differs by
 * department (nothing where it never balks). */
static void balking(FILE *f, const struct mdl_scenario *s, const struct mdl_class *cl)
{
    bool done[MDL_MAX_DEPTS] = {false}, uniform = true;
    for (size_t d = 0; d < s->ndepts; d++)
        uniform = uniform && same_balk(cl, 0, d);
    if (uniform) {
        if (cl->balk_at[0] != MDL_UNLIMITED)
            fprintf(f, "    turns away on seeing %ld or more waiting\n", cl->balk_at[0]);
        return;
    }
    for (size_t d = 0; d < s->ndepts; d++)
        if (!done[d] && cl->balk_at[d] != MDL_UNLIMITED) {
            fprintf(f, "    turns away on seeing %ld or more waiting at ", cl->balk_at[d]);
            dept_group(f, s, d, done, same_balk, cl);
            fprintf(f, "\n");
        }
}

int mdl_describe(const struct mdl_scenario *s, const struct mdl_plans *p, FILE *f, struct sim_err *err)
{
    size_t nd = s->ndepts;
    fprintf(f, "%s\n", s->name);
    if (s->is_day) {
        fprintf(f, "A day from ");
        clock(f, s->open_at);
        fprintf(f, " to ");
        clock(f, s->close_at);
        fprintf(f, "; customers inside at closing %s. %u day%s, seed %llu.\n",
                s->after_close == MDL_SERVE ? "are served (overtime)" : "are sent home", s->replications,
                s->replications == 1 ? "" : "s", (unsigned long long)s->seed);
    } else if (s->warmup_auto) {
        fprintf(f, "A steady-state run: %g minutes measured after a warm-up chosen by MSER before the runs\n"
                   "(warmup: auto). %u run%s, seed %llu.\n",
                s->length_dur, s->replications, s->replications == 1 ? "" : "s", (unsigned long long)s->seed);
    } else {
        fprintf(f, "A steady-state run: %g minutes measured after a %g-minute warm-up. %u run%s, seed %llu.\n",
                s->length_dur, s->warmup_dur, s->replications, s->replications == 1 ? "" : "s",
                (unsigned long long)s->seed);
    }
    fprintf(f, "\nDepartments\n");   /* each with its staff, then its roster when on shifts */
    for (size_t d = 0; d < nd; d++) {
        const struct mdl_dept *dp = &s->depts[d];
        fprintf(f, "  %s: ", dp->name);
        staff(f, s, &dp->crew);
        fprintf(f, "; %s", dp->discipline == MDL_PRIORITY ? "priority queue" : "first come, first served");
        if (dp->capacity != MDL_UNLIMITED)
            fprintf(f, ", %ld waiting places", dp->capacity);
        fprintf(f, "; target: %g%% within %g min; quality %g; %g per staff hour\n", 100 * dp->service_target,
                dp->target_wait, dp->quality, dp->crew.cost_per_hour);
        /* the service most classes share (the default), then each class's own */
        const struct sim_dist *common = NULL;
        size_t most = 0;
        for (size_t c = 0; c < s->nclasses; c++) {
            size_t n = 0;
            for (size_t k = 0; k < s->nclasses && dp->service[c]; k++)
                n += dp->service[k] == dp->service[c];
            if (n > most) {
                most = n;
                common = dp->service[c];
            }
        }
        if (common) {
            fprintf(f, "    service: ");
            dist(f, common);
            fprintf(f, "\n");
        }
        for (size_t c = 0; c < s->nclasses; c++)
            if (dp->service[c] && dp->service[c] != common) {
                fprintf(f, "    service of %s: ", s->classes[c].name);
                dist(f, dp->service[c]);
                fprintf(f, "\n");
            }
        roster(f, s, &dp->crew);
    }
    if (s->npools)
        fprintf(f, "\nPools (cross-trained staff)\n");
    for (size_t k = 0; k < s->npools; k++) {
        const struct mdl_pool *pool = &s->pools[k];
        fprintf(f, "  %s: serves ", pool->name);
        for (size_t i = 0; i < pool->nserves; i++)
            fprintf(f, "%s%s", i == 0 ? "" : i + 1 == pool->nserves ? ", then " : ", ", s->depts[pool->serves[i]].name);
        fprintf(f, pool->nserves > 1 ? " (in that order when several have customers waiting); " : "; ");
        staff(f, s, &pool->crew);
        fprintf(f, "; %g per staff hour\n", pool->crew.cost_per_hour);
        roster(f, s, &pool->crew);
    }
    fprintf(f, "\nCustomers\n");
    for (size_t c = 0; c < s->nclasses; c++) {
        const struct mdl_class *cl = &s->classes[c];
        fprintf(f, "  %s (%s", cl->name, cl->internal ? "internal" : "external");
        if (cl->priority)
            fprintf(f, ", priority %d", cl->priority);
        fprintf(f, "): ");
        switch (cl->arrivals) {
        case MDL_ARR_POISSON:
            fprintf(f, "%g per hour at random", cl->rate * 60);
            break;
        case MDL_ARR_PROFILE:
            for (size_t i = 0; i < cl->nprofile; i++) {
                fprintf(f, "%s%g/h from ", i ? ", " : "", cl->profile[i].value * 60);
                clock(f, cl->profile[i].at);
            }
            break;
        case MDL_ARR_RENEWAL:
            fprintf(f, "one every ");
            dist(f, &cl->interarrival);
            break;
        case MDL_ARR_APPOINTMENTS:
            appointments(f, cl);
            break;
        case MDL_ARR_NONE:
            fprintf(f, cl->request_only ? "created by requests only" : "never arrives (unused)");
            break;
        }
        fprintf(f, "\n");
        if (cl->arrivals == MDL_ARR_NONE)
            continue;
        fprintf(f, "    enter:");
        for (size_t d = 0; d < nd; d++)
            if (cl->enter[d] > 0)
                fprintf(f, " %s %g%%", s->depts[d].name, 100 * cl->enter[d]);
        fprintf(f, "\n");
        for (size_t d = 0; d < nd; d++) {
            const double *row = &cl->route[d * (nd + 1)];
            if (row[nd] == 1)
                continue;
            fprintf(f, "    after %s:", s->depts[d].name);
            for (size_t e = 0; e <= nd; e++)
                if (row[e] > 0)
                    fprintf(f, " %s %g%%", e == nd ? "exit" : s->depts[e].name, 100 * row[e]);
            fprintf(f, "\n");
        }
        patience(f, s, cl);
        balking(f, s, cl);
        if (cl->value > 0)
            fprintf(f, "    value lost on a drop-out: %g\n", cl->value);
    }
    for (size_t i = 0; i < s->nrequests; i++) {
        const struct mdl_request *q = &s->requests[i];
        fprintf(f, "%s  %g%% of services at %s need %s (as %s): ", i ? "" : "\nRequests\n", 100 * q->probability,
                s->depts[q->from].name, s->depts[q->to].name, s->classes[q->as].name);
        dist(f, &q->service);
        fprintf(f, "\n");
    }
    size_t nvariants = p ? p->nvariants : 0, naxes = p ? p->naxes : 0;
    if (nvariants)
        fprintf(f, "\nVariants:");
    for (size_t v = 0; v < nvariants; v++)
        fprintf(f, "%s \"%s\"", v ? "," : "", p->variants[v].name);
    if (nvariants)
        fprintf(f, "\n");
    if (naxes) {
        uint64_t points = mdl_plans_grid_size(p);
        if (points == UINT64_MAX)
            fprintf(f, "\nSweep: more than 10^19 plans over");
        else
            fprintf(f, "\nSweep: %llu plans over", (unsigned long long)points);
        for (size_t a = 0; a < naxes; a++)
            fprintf(f, "%s %s (%zu values)", a ? "," : "", p->axes[a].path, p->axes[a].nvalues);
        fprintf(f, "\n");
    }
    /* the bounds of one replication (docs/model.md, Limits) */
    double mb = (double)mdl_flow_memory(s) / (1 << 20);
    fprintf(f, "\nLimits: a replication stops as overloaded past %ld customers inside\n"
               "  at once (max_in_system; it then takes at most %.0f MB), or past %ld events\n"
               "  (max_events%s)\n",
            s->max_in_system, mb, s->max_events,
            s->max_events_given ? "" : ": 100 times the events its arrivals and routes lead one to\n  expect, "
                                       "at least 1000000");
    const struct mdl_workshop *w = &s->workshop;
    unsigned days = mdl_workshop_days(s);
    fprintf(f, "\nWorkshop: each attempt runs %u %s%s; play at %g business minutes a second\n"
               "  score: staff cost + lost value + %g a minute an external customer waits\n"
               "         + %g an external customer scoring below 4\n",
            days, s->is_day ? "day" : "run", days == 1 ? "" : "s", w->speed, w->wait_price, w->dissatisfaction_price);
    if (ferror(f))
        return sim_err_set(err, SIM_EIO, "cannot write: %s", strerror(errno));
    return SIM_OK;
}
