/* models/flow_arrivals.c — when customers arrive (see flow_state.h).
 *
 * Each class's arrivals come from its own stream (P_ARRIVAL): Poisson at a
 * constant rate, a time-of-day profile of rates (sampled exactly, by
 * inversion of the integrated rate), or a renewal process of a stated
 * interarrival distribution. Or by appointment: the day's book is drawn
 * whole at the start, each booked customer from its own stream keyed by
 * (class, slot, place in the slot), so two plans see the same customers at
 * the same minutes; those who come are sorted by arrival (punctuality may
 * put a later slot's customer first) and arrive one after another. One
 * arrival of a class is pending at a time; none is scheduled at or after
 * closing (a day) or the end of the run. It does not decide where a customer
 * goes: flow.c does, on arrival.
 */
#include "models/flow_state.h"

#include <math.h>
#include <stdlib.h>

/* Next arrival of class cs after instant t, or INFINITY. Poisson and
 * time-of-day profiles are sampled exactly: an Exp(1) amount of integrated
 * rate is walked through the piecewise-constant profile (inversion). */
static double next_arrival(struct flow *f, struct cstate *cs, double t)
{
    const struct mdl_class *cl = cs->spec;
    gsl_rng *r = sim_stream_rng(&cs->arrivals);
    double limit = f->s->is_day ? f->close_at : f->end_at;
    double at;
    switch (cl->arrivals) {
    case MDL_ARR_POISSON:
        at = cl->rate > 0 ? t + gsl_ran_exponential(r, 1 / cl->rate) : INFINITY;
        break;
    case MDL_ARR_RENEWAL:
        at = t + sim_dist_sample(&cl->interarrival, r);
        break;
    case MDL_ARR_PROFILE: {
        double e = gsl_ran_exponential(r, 1);
        at = INFINITY;
        while (t < limit) {
            size_t k = 0;
            while (k < cl->nprofile && cl->profile[k].at <= t)
                k++;
            double rate = k == 0 ? 0 : cl->profile[k - 1].value;
            double seg_end = k < cl->nprofile ? cl->profile[k].at : limit;
            if (seg_end > limit)
                seg_end = limit;
            if (rate > 0 && (seg_end - t) * rate >= e) {
                at = t + e / rate;
                break;
            }
            e -= (seg_end - t) * rate;
            t = seg_end;
        }
        break;
    }
    default:
        at = INFINITY;
    }
    return at < limit ? at : INFINITY;
}

static void schedule(struct flow *f, struct cstate *cs, double t)
{
    double at = next_arrival(f, cs, t);
    if (isfinite(at))
        sim_calendar_schedule(f->cal, at, EV_ARRIVAL, cs);
}

/* ---- appointments ------------------------------------------------------ */

static int by_arrival(const void *x, const void *y)
{
    const struct booked *a = x, *b = y;
    if (a->at != b->at)
        return a->at < b->at ? -1 : 1;
    return (a->serial > b->serial) - (a->serial < b->serial);
}

/* Places in the book of class cl: every slot's, before the no-shows. */
static size_t places(const struct mdl_class *cl)
{
    size_t n = 0;
    for (size_t k = 0; k < cl->nappt; k++) {
        const struct mdl_appt_block *a = &cl->appt[k];
        n += ((size_t)((a->to_at - a->from_at) / a->every_dur) + 1) * (size_t)a->per_slot;
    }
    return n;
}

size_t mdi_arrivals_book_bytes(const struct mdl_scenario *s)
{
    size_t n = 0;
    for (size_t c = 0; c < s->nclasses; c++)
        n += places(&s->classes[c]);
    return n * sizeof(struct booked);
}

/* The day's book of class cs: for each slot and each place in it, the
 * customer's own stream (P_APPOINTMENT, the class, sub-stream its serial
 * number: the slot's minute * MDL_APPT_PLACES + its place) draws whether it
 * stays away (first) and then how early or late it comes. A customer due
 * before opening comes at opening (it waits at the door); one due at or
 * after closing does not come (the door is shut: like a no-show, counted
 * nowhere). Whatever a plan changes elsewhere, or in another slot, the same
 * customer draws the same numbers. */
static void draw_book(struct flow *f, struct cstate *cs)
{
    const struct mdl_class *cl = cs->spec;
    uint32_t cls = (uint32_t)(cs - f->c);
    size_t most = places(cl);
    cs->book = sim_arena_alloc(f->arena, (most ? most : 1) * sizeof *cs->book);
    size_t n = 0;
    for (size_t k = 0; k < cl->nappt; k++) {
        const struct mdl_appt_block *a = &cl->appt[k];
        for (double slot = a->from_at; slot <= a->to_at; slot += a->every_dur)
            for (long place = 0; place < a->per_slot; place++) {
                uint32_t serial = (uint32_t)slot * MDL_APPT_PLACES + (uint32_t)place;
                struct sim_stream st;
                sim_stream_init_sub(&st, f->seed, f->rep, P_APPOINTMENT, cls, serial);
                gsl_rng *r = sim_stream_rng(&st);
                if (gsl_rng_uniform(r) < a->no_show)
                    continue;
                double at = slot + (a->punctuality ? sim_dist_sample(a->punctuality, r) : 0);
                if (at < f->start_at)
                    at = f->start_at;
                if (!(at < f->close_at))
                    continue;
                cs->book[n++] = (struct booked){at, serial};
            }
    }
    qsort(cs->book, n, sizeof *cs->book, by_arrival);
    cs->nbook = n;
}

void mdi_arrivals_start(struct flow *f, struct cstate *cs)
{
    if (cs->spec->arrivals != MDL_ARR_APPOINTMENTS) {
        schedule(f, cs, mdi_flow_now(f));
        return;
    }
    draw_book(f, cs);
    if (cs->nbook > 0)
        sim_calendar_schedule(f->cal, cs->book[0].at, EV_ARRIVAL, cs);
}

uint32_t mdi_arrivals_next(struct flow *f, struct cstate *cs)
{
    if (!cs->book) {
        schedule(f, cs, mdi_flow_now(f));
        return cs->next_serial++;
    }
    uint32_t serial = cs->book[cs->next_booked++].serial;
    if (cs->next_booked < cs->nbook)
        sim_calendar_schedule(f->cal, cs->book[cs->next_booked].at, EV_ARRIVAL, cs);
    return serial;
}

