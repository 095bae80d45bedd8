/* models/optimise_why.c — why a staffing is what it is (see optimise.h,
 * mdl_opt_why): one more and one fewer person in each department and
 * interval, each simulated on the search days and paired day by day with
 * the staffing itself, so that the difference is the change's alone.
 *
 * Bottlenecks: the single changes that cut the harm (lost value, or the
 * minutes external customers wait when nothing has a value) the most,
 * clearly (the whole 95% interval below zero), each widened to the
 * neighbouring intervals of its department whose own cut is clear and at
 * least half as large, and then simulated again as one more person over
 * that whole stretch: the figure said is the stretch's. Slack: the longest
 * stretches of a department where one fewer person changes the harm by
 * nothing measurable (its interval holds zero), again simulated over the
 * whole stretch, and kept only if it still holds zero there.
 */
#include "models/optimise_int.h"
#include "sim/ci.h"
#include "sim/mem.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The effect on the harm of adding `change` to x over department d's
 * intervals [from, to], paired with base (its kept days). */
static int effect(struct mdi_opt_search *st, const long *x, const struct mdi_opt_eval *base, size_t d, size_t from,
                  size_t to, int change, struct mdl_opt_effect *out, struct sim_err *err)
{
    size_t n = st->nd * st->nb;
    unsigned reps = st->cfg->reps;
    long *y = sim_xmalloc(n * sizeof *y);
    memcpy(y, x, n * sizeof *y);
    for (size_t b = from; b <= to; b++)
        y[d * st->nb + b] += change;
    struct mdi_opt_eval e;
    mdi_opt_eval_init(&e, st, reps);
    int rc = mdi_opt_evaluate(st, y, change > 0 ? "why: one more" : "why: one fewer", &e, err);
    if (!rc) {
        double *diff = sim_xmalloc(reps * sizeof *diff), staff = 0;
        for (unsigned r = 0; r < reps; r++) {
            diff[r] = e.harm[r] - base->harm[r];
            staff += e.staff[r] - base->staff[r];
        }
        struct sim_ci ci = sim_ci_student(diff, reps, 0.95);
        *out = (struct mdl_opt_effect){.dept = d, .from_bin = from, .to_bin = to, .change = change, .mean = ci.mean,
                                       .ci_low = ci.lo, .ci_high = ci.hi, .staff = staff / reps};
        free(diff);
    }
    mdi_opt_eval_fini(&e);
    free(y);
    return rc;
}

static bool clear_cut(const struct mdl_opt_effect *e)
{
    return e->ci_high < 0;
}

static bool nothing_measurable(const struct mdl_opt_effect *e)
{
    return !(e->ci_low > 0) && !(e->ci_high < 0);
}

int mdl_opt_why(struct mdl_opt *o, const struct mdl_opt_input *in, const struct mdl_opt_config *cfg,
                const long *x, struct mdl_opt_why *out, struct sim_err *err)
{
    struct mdi_opt_search st;
    mdi_opt_search_init(&st, in, cfg, o);
    size_t n = st.nd * st.nb;
    *out = (struct mdl_opt_why){0};
    for (size_t c = 0; c < in->base->nclasses; c++)
        out->valued |= in->base->classes[c].value > 0;
    struct mdi_opt_eval base;
    mdi_opt_eval_init(&base, &st, cfg->reps);
    struct mdl_opt_effect *more = sim_xcalloc(n ? n : 1, sizeof *more), *less = sim_xcalloc(n ? n : 1, sizeof *less);
    bool *can_more = sim_xcalloc(n ? n : 1, sizeof *can_more), *can_less = sim_xcalloc(n ? n : 1, sizeof *can_less);
    int rc = mdi_opt_evaluate(&st, x, "why: the plan itself", &base, err);
    for (size_t i = 0; i < n && !rc; i++) {
        if ((can_more[i] = x[i] < st.hi))
            rc = effect(&st, x, &base, i / st.nb, i % st.nb, i % st.nb, +1, &more[i], err);
        if (!rc && (can_less[i] = x[i] > st.lo && x[i] > 0))
            rc = effect(&st, x, &base, i / st.nb, i % st.nb, i % st.nb, -1, &less[i], err);
    }
    /* bottlenecks: the clearest cuts, widened, each stretch apart from the others' */
    bool *used = sim_xcalloc(n ? n : 1, sizeof *used);
    while (!rc && out->nmore < MDL_OPT_WHY_MAX) {
        size_t top = n;
        for (size_t i = 0; i < n; i++)
            if (can_more[i] && !used[i] && clear_cut(&more[i]) && (top == n || more[i].mean < more[top].mean))
                top = i;
        if (top == n)
            break;
        size_t d = top / st.nb, from = top % st.nb, to = from;
        while (from > 0 && !used[d * st.nb + from - 1] && can_more[d * st.nb + from - 1] &&
               clear_cut(&more[d * st.nb + from - 1]) && more[d * st.nb + from - 1].mean <= more[top].mean / 2)
            from--;
        while (to + 1 < st.nb && !used[d * st.nb + to + 1] && can_more[d * st.nb + to + 1] &&
               clear_cut(&more[d * st.nb + to + 1]) && more[d * st.nb + to + 1].mean <= more[top].mean / 2)
            to++;
        for (size_t b = from; b <= to; b++)
            used[d * st.nb + b] = true;
        if (from == to)
            out->more[out->nmore++] = more[top];
        else if (!(rc = effect(&st, x, &base, d, from, to, +1, &out->more[out->nmore], err)))
            out->nmore++;
    }
    for (size_t i = 1; i < out->nmore; i++)   /* the largest cut first, stretches measured whole */
        for (size_t j = i; j > 0 && out->more[j].mean < out->more[j - 1].mean; j--) {
            struct mdl_opt_effect t = out->more[j];
            out->more[j] = out->more[j - 1];
            out->more[j - 1] = t;
        }
    /* slack: the longest stretches where one fewer changes nothing measurable */
    memset(used, 0, (n ? n : 1) * sizeof *used);
    while (!rc && out->nless < MDL_OPT_WHY_MAX) {
        size_t best_d = 0, best_from = 0, best_len = 0;
        for (size_t d = 0; d < st.nd; d++)
            for (size_t b = 0; b < st.nb;) {
                size_t len = 0;
                while (b + len < st.nb && !used[d * st.nb + b + len] && can_less[d * st.nb + b + len] &&
                       nothing_measurable(&less[d * st.nb + b + len]))
                    len++;
                if (len > best_len) {
                    best_d = d;
                    best_from = b;
                    best_len = len;
                }
                b += len ? len : 1;
            }
        if (best_len == 0)
            break;
        for (size_t b = best_from; b < best_from + best_len; b++)
            used[best_d * st.nb + b] = true;
        struct mdl_opt_effect e = less[best_d * st.nb + best_from];
        if (best_len > 1)
            rc = effect(&st, x, &base, best_d, best_from, best_from + best_len - 1, -1, &e, err);
        if (!rc && nothing_measurable(&e))
            out->less[out->nless++] = e;
    }
    free(used);
    free(more);
    free(less);
    free(can_more);
    free(can_less);
    mdi_opt_eval_fini(&base);
    mdi_opt_search_fini(&st);
    return rc;
}
