/* models/flow_results.c — the end of a replication: its state turned into
 * the metric vector of models/metrics.h (spec §3). Staff cost counts the
 * scheduled staff-hours, overtime (staff present after closing, flow.c's
 * close_day) and overrun past a schedule's end; a ratio with nothing to
 * divide by is NaN.
 */
#include "models/flow_state.h"
#include "models/metrics.h"

#include <math.h>

static double ratio(double a, double b)
{
    return b > 0 ? a / b : NAN;
}

static double staffed_minutes(const struct flow *f, const struct mdl_crew *crew)
{
    const struct mdl_scenario *s = f->s;
    if (!s->is_day)
        return crew->staff[0].value * s->length_dur;
    double total = 0;
    for (size_t i = 0; i < crew->nstaff; i++) {
        double until = i + 1 < crew->nstaff ? crew->staff[i + 1].at : s->close_at;
        total += crew->staff[i].value * (until - crew->staff[i].at);
    }
    return total;
}

/* What crew cr is paid for, in staff-minutes: a head count its schedule,
 * overtime after closing and overrun past the schedule; people their
 * presence (on duty, serving past their shift, on paid breaks, after
 * closing until they go), and their time on shift before the opening. */
static double paid_minutes(const struct flow *f, const struct crew *cr, double end)
{
    double present = sim_level_area(&cr->present, end);
    if (cr->people)
        return present + cr->pre_open_paid;
    double overtime = f->s->is_day ? present - cr->present_area_at_close : 0;
    return staffed_minutes(f, cr->spec) + overtime + sim_level_area(&cr->overrun, end);
}

/* Mean scheduled staff over [from, to). */
static double scheduled_mean(const struct flow *f, const struct mdl_dept *dp, double from, double to)
{
    double total = 0;
    for (size_t i = 0; i < dp->crew.nstaff; i++) {
        double a = dp->crew.staff[i].at, b = i + 1 < dp->crew.nstaff ? dp->crew.staff[i + 1].at : f->close_at;
        a = a > from ? a : from;
        b = b < to ? b : to;
        if (b > a)
            total += dp->crew.staff[i].value * (b - a);
    }
    return total / (to - from);
}

/* Adds the journeys of `from` (a class) to `to` (all external or internal). */
static void add_journeys(struct journeys *to, const struct journeys *from, size_t nd)
{
    to->completed += from->completed;
    to->dropped += from->dropped;
    to->sojourn += from->sojourn;
    to->wait_total += from->wait_total;
    to->handoffs += from->handoffs;
    to->request_delay += from->request_delay;
    to->sat_sum += from->sat_sum;
    to->sat_n += from->sat_n;
    to->csat += from->csat;
    to->lost += from->lost;
    for (int b = 0; b < MDL_SAT_BANDS; b++)
        to->bands[b] += from->bands[b];
    for (int k = 0; k < MDL_SAT_PARTS; k++)
        to->sat_parts[k] += from->sat_parts[k];
    for (size_t k = 0; k < nd * MDL_DROP; k++)
        to->drops[k] += from->drops[k];
}

void mdi_flow_results(struct flow *f, double *out)
{
    const struct mdl_scenario *s = f->s;
    size_t nd = s->ndepts, nc = s->nclasses;
    /* the weights' half: 1 (a per-day amount) unless a ratio's below */
    size_t count = mdl_metric_count(nd, nc, f->nh, s->npools);
    double *w = out + count;
    for (size_t i = 0; i < count; i++)
        w[i] = 1;
    double end = f->end_at, span = end - f->start_at;
    double staff_cost = 0, lost = 0;
    for (size_t d = 0; d < nd; d++) {
        struct dstate *ds = &f->d[d];
        size_t at = mdl_metric_dept(nc, d, 0);
        double *m = &out[at], *mw = &w[at];
        double busy_area = sim_level_area(&ds->busy_lv, end), present = sim_level_area(&ds->own.present, end);
        double overtime = s->is_day ? present - ds->own.present_area_at_close : 0;
        double overrun = sim_level_area(&ds->own.overrun, end);
        /* the staff-minutes its customers had: its own staff's presence, and
         * the minutes pool members spent serving here */
        double available = present;
        for (size_t k = 0; k < ds->npools; k++)
            available += sim_level_area(&ds->pools[k]->busy_at[ds->pools[k]->crew.dept_slot[d]], end);
        double served = (double)sim_tally_n(&ds->wait);
        m[MDL_DM_ARRIVALS] = ds->arrivals;
        m[MDL_DM_WAIT_MEAN] = sim_tally_mean(&ds->wait);
        mw[MDL_DM_WAIT_MEAN] = served;
        m[MDL_DM_WAIT_ALL_MEAN] = ratio(ds->wait_all_sum, ds->wait_all_n);
        mw[MDL_DM_WAIT_ALL_MEAN] = ds->wait_all_n;
        /* the day's own quantiles, for reference: the estimates pool
         * every day's waits (mdl_flow_pool) */
        double qs[3];
        sim_tally_quantiles(&ds->wait, mdl_wait_quantiles, qs, 3);
        m[MDL_DM_WAIT_P50] = qs[0];
        m[MDL_DM_WAIT_P90] = qs[1];
        m[MDL_DM_WAIT_P95] = qs[2];
        m[MDL_DM_WAIT_MAX] = sim_tally_max(&ds->wait);
        m[MDL_DM_P_WAIT] = ds->admitted > 0 ? 1 - ds->at_once / ds->admitted : NAN;
        m[MDL_DM_SERVICE_LEVEL] = ratio(ds->in_target, ds->admitted);
        m[MDL_DM_BALK_RATE] = ratio(ds->balked, ds->arrivals);
        m[MDL_DM_BLOCK_RATE] = ratio(ds->blocked, ds->arrivals);
        m[MDL_DM_ABANDON_RATE] = ratio(ds->reneged, ds->admitted);
        mw[MDL_DM_P_WAIT] = mw[MDL_DM_SERVICE_LEVEL] = mw[MDL_DM_ABANDON_RATE] = ds->admitted;
        mw[MDL_DM_BALK_RATE] = mw[MDL_DM_BLOCK_RATE] = ds->arrivals;
        m[MDL_DM_UTILIZATION] = ratio(busy_area, available);
        mw[MDL_DM_UTILIZATION] = available;
        m[MDL_DM_QUEUE_MEAN] = span > 0 ? sim_level_area(&ds->waiting, end) / span : NAN;
        m[MDL_DM_OVERTIME] = overtime;
        m[MDL_DM_OVERRUN] = overrun;
        m[MDL_DM_VISIT_SATISFACTION] = ratio(ds->vsat_sum, ds->vsat_n);
        mw[MDL_DM_VISIT_SATISFACTION] = ds->vsat_n;
        staff_cost += ds->spec->crew.cost_per_hour / 60 * paid_minutes(f, &ds->own, end);
    }
    for (size_t k = 0; k < s->npools; k++)   /* pools: paid once, whatever they served */
        staff_cost += s->pools[k].crew.cost_per_hour / 60 * paid_minutes(f, &f->p[k].crew, end);
    /* all external and all internal journeys: the sums of their classes */
    for (size_t c = 0; c < nc; c++)
        add_journeys(&f->j[nc + (s->classes[c].internal ? 1 : 0)], &f->j[c], nd);
    for (size_t c = 0; c < nc + 2; c++) {
        const struct journeys *j = &f->j[c];
        size_t at = mdl_metric_class(nd, c, 0);
        double *m = &out[at], *mw = &w[at];
        m[MDL_JM_COMPLETED] = j->completed;
        m[MDL_JM_DROPPED] = j->dropped;
        m[MDL_JM_DROPOUT_RATE] = ratio(j->dropped, j->completed + j->dropped);
        mw[MDL_JM_DROPOUT_RATE] = j->completed + j->dropped;
        m[MDL_JM_SOJOURN_MEAN] = ratio(j->sojourn, j->completed);
        m[MDL_JM_WAIT_TOTAL_MEAN] = ratio(j->wait_total, j->completed);
        m[MDL_JM_HANDOFFS_MEAN] = ratio(j->handoffs, j->completed);
        m[MDL_JM_REQUEST_DELAY_MEAN] = ratio(j->request_delay, j->completed);
        mw[MDL_JM_SOJOURN_MEAN] = mw[MDL_JM_WAIT_TOTAL_MEAN] = mw[MDL_JM_HANDOFFS_MEAN] =
            mw[MDL_JM_REQUEST_DELAY_MEAN] = j->completed;
        m[MDL_JM_SATISFACTION_MEAN] = ratio(j->sat_sum, j->sat_n);
        m[MDL_JM_CSAT] = ratio(j->csat, j->sat_n);
        mw[MDL_JM_SATISFACTION_MEAN] = mw[MDL_JM_CSAT] = j->sat_n;
        for (int b = 0; b < MDL_SAT_BANDS; b++) {
            m[MDL_JM_BAND_1 + b] = ratio(j->bands[b], j->sat_n);
            mw[MDL_JM_BAND_1 + b] = j->sat_n;
        }
        m[MDL_JM_LOST_VALUE] = j->lost;
        for (int k = 0; k < MDL_SAT_PARTS; k++) {
            m[MDL_JM_SAT_LOSS_QUALITY + k] = ratio(j->sat_parts[k], j->sat_n);
            mw[MDL_JM_SAT_LOSS_QUALITY + k] = j->sat_n;
        }
        if (c < nc)
            lost += j->lost;
    }
    for (size_t c = 0; c < nc + 2; c++)
        for (size_t d = 0; d < nd; d++)
            for (int k = 0; k < MDL_DROP; k++)
                out[mdl_metric_drop(nd, nc, c, d, k)] = f->j[c].drops[d * MDL_DROP + (size_t)k];
    for (size_t d = 0; d < nd; d++)
        for (size_t h = 0; h < f->nh; h++) {
            const struct hour *hr = &f->d[d].hours[h];
            size_t at = mdl_metric_hour(nd, nc, f->nh, d, h, 0);
            double *m = &out[at];
            m[MDL_HM_ARRIVALS] = hr->arrivals;
            m[MDL_HM_WAIT_MEAN] = ratio(hr->wait_sum, hr->wait_n);
            w[at + MDL_HM_WAIT_MEAN] = hr->wait_n;
            m[MDL_HM_DROPS] = hr->drops;
            /* the bin's span; after the close, until the end */
            double from = h + 1 < f->nh ? mdl_flow_bin_from(s, h) : f->close_at;
            double to = h + 1 < f->nh ? mdl_flow_bin_to(s, h) : end;
            if (h + 1 == f->nh)
                m[MDL_HM_STAFF] = NAN;
            else if (f->d[d].own.people)   /* on shifts: as they were on duty, breaks and all */
                m[MDL_HM_STAFF] = ratio(hr->staff_area, to - from);
            else
                m[MDL_HM_STAFF] = scheduled_mean(f, &s->depts[d], from, to);
            m[MDL_HM_QUEUE_MEAN] = ratio(hr->queue_area, to - from);
            m[MDL_HM_SERVICE_LEVEL] = ratio(hr->in_target, hr->admitted);
            w[at + MDL_HM_SERVICE_LEVEL] = hr->admitted;
            m[MDL_HM_BUSY] = ratio(hr->busy_area, to - from);
        }
    for (size_t k = 0; k < s->npools; k++) {
        const struct pstate_pool *pl = &f->p[k];
        size_t at = mdl_metric_pool(nd, nc, f->nh, k, 0);
        double *m = &out[at], *mw = &w[at];
        double present = sim_level_area(&pl->crew.present, end), busy = 0;
        for (size_t i = 0; i < pl->spec->nserves; i++)
            busy += sim_level_area(&pl->busy_at[i], end);
        m[MDL_PM_UTILIZATION] = ratio(busy, present);
        mw[MDL_PM_UTILIZATION] = present;
        m[MDL_PM_OVERTIME] = s->is_day ? present - pl->crew.present_area_at_close : 0;
        m[MDL_PM_SERVED] = pl->served;
        /* where its busy minutes went: a share at each department it serves */
        for (size_t d = 0; d < nd; d++) {
            int i = pl->crew.dept_slot[d];
            m[MDL_PM + d] = i < 0 ? NAN : ratio(sim_level_area(&pl->busy_at[i], end), busy);
            mw[MDL_PM + d] = i < 0 ? 0 : busy;
        }
    }
    out[mdl_metric_cost(nd, nc, MDL_CM_STAFF_COST)] = staff_cost;
    out[mdl_metric_cost(nd, nc, MDL_CM_LOST_VALUE)] = lost;
    out[mdl_metric_cost(nd, nc, MDL_CM_TOTAL_COST)] = staff_cost + lost;
}
