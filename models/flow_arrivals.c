/* models/flow_arrivals.c — when customers arrive (see flow_state.h).
 *
 * Each class's arrivals come from its own stream (P_ARRIVAL): Poisson at a
 * constant rate, a time-of-day profile of rates (sampled exactly, by
 * inversion of the integrated rate), or a renewal process of a stated
 * interarrival distribution. One arrival of a class is pending at a time;
 * none is scheduled at or after closing (a day) or the end of the run. It
 * does not decide where a customer goes: flow.c does, on arrival.
 */
#include "models/flow_state.h"

#include <math.h>

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

void mdi_arrivals_schedule(struct flow *f, struct cstate *cs, double t)
{
    double at = next_arrival(f, cs, t);
    if (isfinite(at))
        sim_calendar_schedule(f->cal, at, EV_ARRIVAL, cs);
}

