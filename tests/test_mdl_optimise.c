/* tests/test_mdl_optimise.c — the optimiser's search (models/optimise.c)
 * against answers known without it: Erlang C for one M/M/c desk (the
 * smallest head count whose service level reaches the target), and an
 * enumeration of every staffing of a two-interval day on the same days;
 * its bounds, its objective, and the YAML written back by models/yemit.c.
 */
#include "tests/testutil.h"
#include "tests/theory.h"

#include "models/builtin.h"
#include "models/load.h"
#include "models/metrics.h"
#include "models/optimise.h"
#include "models/run.h"
#include "models/yemit.h"

#include <limits.h>
#include <math.h>

static struct mdl_scenario *load_text(const char *text, const char *const *sets, size_t nsets)
{
    struct mdl_scenario *s = NULL;
    struct sim_err err;
    sim_err_init(&err);
    if (mdl_load_scenario("test.yaml", text, strlen(text), sets, nsets, &s, &err))
        fail_msg("%s", err.msg);
    return s;
}

static struct mdl_opt *optimise(const char *text, struct mdl_scenario **base, uint64_t seed, unsigned reps)
{
    *base = load_text(text, NULL, 0);
    struct mdl_opt_input in = {"test.yaml", text, strlen(text), NULL, 0, *base};
    struct mdl_opt_config cfg = {.seed = seed, .reps = reps, .jobs = 0};
    struct mdl_opt *o = NULL;
    struct sim_err err;
    sim_err_init(&err);
    if (mdl_optimise(&in, &cfg, &o, &err))
        fail_msg("%s", err.msg);
    return o;
}

/* Erlang C's service level: the share of customers whose wait is at most
 * t, P(W <= t) = 1 - P(wait) exp(-(c mu - lambda) t). */
static double erlang_c_level(int c, double lambda, double mu, double t)
{
    double pw, wq;
    theory_erlang_c(c, lambda, mu, &pw, &wq);
    return 1 - pw * exp(-(c * mu - lambda) * t);
}

/* One desk, Poisson arrivals, exponential service, a long steady-state
 * run: the optimum is the smallest c whose Erlang C service level reaches
 * the target. The cases keep the levels at c* - 1 and c* at least 3 points
 * from the target, far beyond the search's noise (its standard error on
 * 30 runs of some 10,000 customers is under 0.5 points). */
static void optimise_one_desk_is_erlang_c(void **state)
{
    (void)state;
    static const struct {
        double lambda, mean, target_wait, target;
    } cases[] = {{2, 1, 0.5, 0.8}, {4, 1, 0.25, 0.9}, {0.5, 4, 2, 0.7}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        double lambda = cases[i].lambda, mu = 1 / cases[i].mean;
        int best = 1;
        while (lambda >= best * mu || erlang_c_level(best, lambda, mu, cases[i].target_wait) < cases[i].target)
            best++;
        assert_true(erlang_c_level(best, lambda, mu, cases[i].target_wait) >= cases[i].target + 0.03);
        assert_true(lambda >= (best - 1) * mu ||
                    erlang_c_level(best - 1, lambda, mu, cases[i].target_wait) <= cases[i].target - 0.03);
        char text[1024];
        snprintf(text, sizeof text,
                 "seed: %zu\nreplications: 10\nrun: {warmup: 500, length: %g}\n"
                 "departments: {desk: {staff: 1, service: {dist: exponential, mean: %g}, target_wait: %g, "
                 "service_target: %g, cost_per_hour: 30}}\n"
                 "customers: {c: {arrivals: {per_hour: %g}, enter: desk}}\n"
                 "optimise: {staff: {min: 1, max: 12}}\n",
                 40 + i, 10000 / lambda, cases[i].mean, cases[i].target_wait, cases[i].target, lambda * 60);
        struct mdl_scenario *s;
        struct mdl_opt *o = optimise(text, &s, 7 + i, 30);
        assert_true(o->feasible);
        assert_int_equal(o->ndepts, 1);
        assert_int_equal(o->nbins, 1);
        if (o->found[0] != best)
            fail_msg("case %zu: found %ld people, Erlang C says %d", i, o->found[0], best);
        assert_near(o->level[0], erlang_c_level(best, lambda, mu, cases[i].target_wait), 0.02);
        /* the load, with ample staff, is lambda / mu (customers in service) */
        assert_near(o->load[0], lambda / mu, 0.05 * lambda / mu);
        mdl_opt_destroy(o);
        mdl_scenario_destroy(s);
    }
}

static const char day[] =
    "seed: 5\nreplications: 10\nday: {open: \"09:00\", close: \"11:00\"}\n"
    "departments: {desk: {staff: 1, service: {dist: exponential, mean: 2}, target_wait: 2, service_target: 0.8,"
    " cost_per_hour: 30}}\n"
    "customers: {c: {arrivals: {per_hour: [{at: \"09:00\", rate: 60}, {at: \"10:00\", rate: 150}]}, enter: desk}}\n"
    "optimise: {interval: 60, staff: {min: 1, max: 8}}\n";

/* The service level by interval of staffing (a, b) of `day` on the search's
 * days, computed here as a ratio of totals over the days. */
static void levels_of(long a, long b, uint64_t seed, unsigned reps, double level[2])
{
    char set[128];
    snprintf(set, sizeof set, "departments.desk.staff=[{at: \"09:00\", count: %ld}, {at: \"10:00\", count: %ld}]",
             a, b);
    const char *sets[] = {"day.interval=60", set};
    struct mdl_scenario *s = load_text(day, sets, 2);
    size_t nh = mdl_flow_hours(s), stride = mdl_run_stride(s), count = mdl_run_count(s);
    double *v = sim_xmalloc(reps * stride * sizeof *v);
    struct mdl_run_totals totals;
    mdl_run_reps(s, seed, reps, 1, v, &totals, NULL);
    for (size_t h = 0; h < 2; h++) {
        size_t i = mdl_metric_hour(1, 1, nh, 0, h, MDL_HM_SERVICE_LEVEL);
        double in = 0, all = 0;
        for (unsigned r = 0; r < reps; r++) {
            const double *x = v + (size_t)r * stride;
            if (x[count + i] > 0) {
                in += x[i] * x[count + i];
                all += x[count + i];
            }
        }
        level[h] = all > 0 ? in / all : NAN;
    }
    free(v);
    mdl_scenario_destroy(s);
}

/* Every staffing of a two-interval day, on the search's days: the search
 * finds one of the cheapest that meet the target in both intervals. */
static void optimise_day_equals_enumeration(void **state)
{
    (void)state;
    const uint64_t seed = 11;
    const unsigned reps = 100;
    long best = LONG_MAX;
    for (long a = 1; a <= 8; a++)
        for (long b = 1; b <= 8; b++) {
            double level[2];
            levels_of(a, b, seed, reps, level);
            if ((isnan(level[0]) || level[0] >= 0.8) && (isnan(level[1]) || level[1] >= 0.8) && a + b < best)
                best = a + b;
        }
    assert_true(best < LONG_MAX);
    struct mdl_scenario *s;
    struct mdl_opt *o = optimise(day, &s, seed, reps);
    assert_true(o->feasible);
    assert_int_equal(o->nbins, 2);
    assert_near(o->from_at[0], 540, 0);
    assert_near(o->to_at[1], 660, 0);
    assert_int_equal(o->found[0] + o->found[1], best);
    double level[2];   /* and what it found meets the target, measured apart */
    levels_of(o->found[0], o->found[1], seed, reps, level);
    assert_true(level[0] >= 0.8 && level[1] >= 0.8);
    assert_near(o->level[0], level[0], 1e-12);
    assert_near(o->level[1], level[1], 1e-12);
    /* the same seed, the same answer, however many threads */
    struct mdl_opt_input in = {"test.yaml", day, strlen(day), NULL, 0, s};
    struct mdl_opt_config cfg = {.seed = seed, .reps = reps, .jobs = 2};
    struct mdl_opt *again = NULL;
    struct sim_err err;
    sim_err_init(&err);
    assert_int_equal(mdl_optimise(&in, &cfg, &again, &err), 0);
    assert_memory_equal(again->found, o->found, 2 * sizeof *o->found);
    mdl_opt_destroy(again);
    mdl_opt_destroy(o);
    mdl_scenario_destroy(s);
}

/* At most 2 people cannot serve 2.5 customers a minute at 1 minute each:
 * no staffing within the bounds meets the target, and the result says
 * which requirement falls short. */
static void optimise_says_when_the_bounds_cannot_meet_the_goals(void **state)
{
    (void)state;
    const char *text = "seed: 3\nreplications: 5\nday: {open: \"09:00\", close: \"12:00\"}\n"
                       "departments: {desk: {staff: 1, service: {dist: exponential, mean: 1}}}\n"
                       "customers: {c: {arrivals: {per_hour: 150}, enter: desk}}\n"
                       "optimise: {staff: {min: 1, max: 2}}\n";
    struct mdl_scenario *s;
    struct mdl_opt *o = optimise(text, &s, 1, 20);
    assert_false(o->feasible);
    assert_non_null(strstr(o->why_not, "desk from 09:00: service level"));
    for (size_t b = 0; b < o->nbins; b++)
        assert_int_equal(o->found[b], 2);
    mdl_opt_destroy(o);
    mdl_scenario_destroy(s);
}

/* With lost value in play, the total cost's optimum costs no more in total
 * than the staff cost's, on the same days. */
static void optimise_total_cost_is_no_dearer_in_total(void **state)
{
    (void)state;
    const char *fmt = "seed: 9\nreplications: 5\nday: {open: \"09:00\", close: \"13:00\"}\n"
                      "departments: {desk: {staff: 1, service: {dist: exponential, mean: 3}, target_wait: 10, "
                      "service_target: 0.5, cost_per_hour: 20}}\n"
                      "customers: {c: {arrivals: {per_hour: 40}, enter: desk, value: 200, "
                      "patience: {dist: exponential, mean: 5}}}\n"
                      "optimise: {staff: {min: 1, max: 10}, objective: %s}\n";
    char staff_text[1024], total_text[1024];
    snprintf(staff_text, sizeof staff_text, fmt, "staff_cost");
    snprintf(total_text, sizeof total_text, fmt, "total_cost");
    struct mdl_scenario *s1, *s2;
    struct mdl_opt *by_staff = optimise(staff_text, &s1, 4, 60), *by_total = optimise(total_text, &s2, 4, 60);
    assert_true(by_staff->feasible && by_total->feasible);
    assert_true(by_total->total_cost <= by_staff->total_cost);
    assert_true(by_staff->staff_cost <= by_total->staff_cost);
    mdl_opt_destroy(by_staff);
    mdl_opt_destroy(by_total);
    mdl_scenario_destroy(s1);
    mdl_scenario_destroy(s2);
}

/* Desk a has one person for 30 customers an hour of 3 minutes each, and
 * impatient customers who are worth something; desk b, after it, has six
 * people for a minute's work. The bottleneck is a, in both hours; b has
 * people to spare: one fewer there changes nothing measurable. */
static void why_finds_the_bottleneck_and_the_slack(void **state)
{
    (void)state;
    const char *text = "seed: 2\nreplications: 5\nday: {open: \"09:00\", close: \"11:00\"}\n"
                       "departments:\n  a: {staff: 1, service: {dist: exponential, mean: 3}, cost_per_hour: 30}\n"
                       "  b: {staff: 6, service: {dist: exponential, mean: 1}, cost_per_hour: 30}\n"
                       "customers: {c: {arrivals: {per_hour: 30}, enter: a, route: {a: b, b: exit}, value: 100,\n"
                       "    patience: {dist: exponential, mean: 5}}}\n"
                       "optimise: {interval: 60, staff: {min: 1, max: 8}}\n";
    struct mdl_scenario *s = load_text(text, NULL, 0);
    struct mdl_opt_input in = {"test.yaml", text, strlen(text), NULL, 0, s};
    struct mdl_opt_config cfg = {.seed = 3, .reps = 50, .jobs = 0};
    struct mdl_opt *o = NULL;
    struct sim_err err;
    sim_err_init(&err);
    assert_int_equal(mdl_optimise(&in, &cfg, &o, &err), 0);
    struct mdl_opt_why w;
    assert_int_equal(mdl_opt_why(o, &in, &cfg, o->baseline, &w, &err), 0);
    assert_true(w.valued);
    assert_true(w.nmore >= 1);
    assert_int_equal(w.more[0].dept, 0);                  /* a */
    assert_int_equal(w.more[0].from_bin, 0);              /* both hours */
    assert_int_equal(w.more[0].to_bin, 1);
    assert_int_equal(w.more[0].change, 1);
    assert_true(w.more[0].ci_high < 0);                   /* a clear cut in lost value */
    /* one person, two hours, 30 an hour, less the overtime the shorter queue saves after closing */
    assert_true(w.more[0].staff > 45 && w.more[0].staff <= 60 + 1e-9);
    for (size_t i = 1; i < w.nmore; i++)
        assert_true(w.more[i].mean >= w.more[i - 1].mean);
    assert_true(w.nless >= 1);
    assert_int_equal(w.less[0].dept, 1);                  /* b */
    assert_int_equal(w.less[0].change, -1);
    for (size_t i = 0; i < w.nless; i++)
        assert_true(w.less[i].ci_low <= 0 && w.less[i].ci_high >= 0);
    mdl_opt_destroy(o);
    mdl_scenario_destroy(s);
}

/* The integer program on covers solvable by hand. Four intervals; A spans
 * 0-1, B 1-2, C 2-3 (2 each), D all four (5). */
static void cover_solves_hand_checked_programs(void **state)
{
    (void)state;
    const double cover[] = {1, 1, 0, 0, /* A */ 0, 1, 1, 0, /* B */ 0, 0, 1, 1, /* C */ 1, 1, 1, 1 /* D */};
    const double cost[] = {2, 2, 2, 5};
    static const struct {
        double need[4];
        double best;
    } cases[] = {
        {{1, 1, 1, 1}, 4},   /* A + C, cheaper than D */
        {{1, 2, 1, 1}, 6},   /* A + B + C (D + B costs 7) */
        {{2, 0, 0, 1}, 6},   /* 2 A + C */
        {{3, 3, 3, 3}, 12},  /* 3 A + 3 C, not 3 D (15) */
        {{0, 0, 0, 0}, 0},   /* nobody */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        long count[4];
        bool feasible;
        struct sim_err err;
        sim_err_init(&err);
        assert_int_equal(mdl_opt_cover(4, 4, cover, cost, cases[i].need, count, &feasible, &err), 0);
        assert_true(feasible);
        double total = 0;
        for (size_t j = 0; j < 4; j++) {
            assert_true(count[j] >= 0);
            total += cost[j] * (double)count[j];
        }
        assert_near(total, cases[i].best, 1e-9);
        for (size_t b = 0; b < 4; b++) {
            double have = 0;
            for (size_t j = 0; j < 4; j++)
                have += cover[j * 4 + b] * (double)count[j];
            assert_true(have >= cases[i].need[b] - 1e-9);
        }
    }
    /* half-covering shifts: a person on E is there half of each interval */
    const double half[] = {0.5, 0.5};
    const double one[] = {1};
    long n;
    bool feasible;
    struct sim_err err;
    sim_err_init(&err);
    assert_int_equal(mdl_opt_cover(1, 2, half, one, (const double[]){2, 1}, &n, &feasible, &err), 0);
    assert_true(feasible);
    assert_int_equal(n, 4);
    /* an interval no shift spans cannot be covered */
    assert_int_equal(mdl_opt_cover(1, 2, (const double[]){1, 0}, one, (const double[]){1, 1}, &n, &feasible, &err), 0);
    assert_false(feasible);
}

/* A roster from candidate shifts: the cheapest cover of what is needed,
 * simulated until every requirement holds; written as the department's
 * shifts, which the checker reads back. */
static void roster_covers_the_need_and_reads_back(void **state)
{
    (void)state;
    const char *text = "seed: 4\nreplications: 5\nday: {open: \"09:00\", close: \"17:00\"}\n"
                       "departments:\n  desk: {staff: 3, service: {dist: exponential, mean: 6}, cost_per_hour: 20}\n"
                       "customers: {c: {arrivals: {per_hour: [{at: \"09:00\", rate: 10}, {at: \"12:00\", rate: 30},"
                       " {at: \"14:00\", rate: 10}]}, enter: desk}}\n"
                       "optimise:\n  interval: 60\n  staff: {min: 1, max: 8}\n  shifts:\n"
                       "    - {start: \"09:00\", length: 480, break: 30}\n"
                       "    - {start: \"11:00\", length: 240}\n"
                       "    - {start: \"13:00\", length: 240}\n";
    struct mdl_scenario *s;
    struct mdl_opt *o = optimise(text, &s, 6, 60);
    assert_true(o->feasible);
    assert_non_null(o->roster);
    assert_non_null(o->need);
    size_t nj = s->optimise.nshifts;
    assert_int_equal(nj, 3);
    /* at least one all-day person (nobody else is there at 09:00), and
     * what is on duty at each interval's start is what the counts say */
    assert_true(o->shift_count[0] >= 1);
    for (size_t b = 0; b < o->nbins; b++) {
        long on = o->shift_count[0] + (b >= 2 && b < 6 ? o->shift_count[1] : 0) + (b >= 4 ? o->shift_count[2] : 0);
        assert_int_equal(o->found[b], on);
        assert_true(o->need[b] >= 1);
    }
    /* the roster as the scenario's own: one department, on shifts */
    char *sets[1];
    mdl_opt_sets(o, s, sets);
    assert_non_null(strstr(sets[0], "departments.desk={service: "));
    /* the all-day people's breaks staggered over 12:00-14:00 (the window
     * around mid-shift), each a fixed time */
    assert_non_null(strstr(sets[0], "shifts: [{name: \"09:00-17:00, break "));
    assert_non_null(strstr(sets[0], ", start: \"09:00\", end: \"17:00\", count: "));
    const char *brk = strstr(sets[0], "break: {at: \"");
    assert_non_null(brk);
    assert_true(strncmp(brk + 13, "12:", 3) == 0 || strncmp(brk + 13, "13:", 3) == 0);
    if (o->shift_count[0] >= 2) {   /* two or more: the first at the window's start, the last at its end */
        assert_non_null(strstr(sets[0], "break: {at: \"12:00\", length: 30}"));
        assert_non_null(strstr(sets[0], "break: {at: \"13:30\", length: 30}"));
    }
    struct mdl_scenario *r = load_text(text, (const char *const *)sets, 1);
    assert_true(r->depts[0].crew.nshifts >= 1);
    assert_int_equal(r->depts[0].crew.nstaff > 0, 1);   /* the head count the shifts give */
    free(sets[0]);
    mdl_scenario_destroy(r);
    mdl_opt_destroy(o);
    mdl_scenario_destroy(s);
}

/* The built-in dealership written back as YAML reads as the same scenario:
 * the same figures, day for day. */
static void yemit_writes_a_scenario_that_reads_the_same(void **state)
{
    (void)state;
    const char *text = (const char *)mdl_builtin_scenario;
    struct mdl_scenario *a = load_text(text, NULL, 0);
    char *yaml;
    size_t len;
    struct sim_err err;
    sim_err_init(&err);
    assert_int_equal(mdl_yemit(mdl_scenario_document(a), "# written back\n", NULL, &yaml, &len, &err), 0);
    assert_int_equal(strncmp(yaml, "# written back\n", 15), 0);
    assert_non_null(strstr(yaml, "{at: \"12:00\", length: 45}"));   /* a break, in flow style, its time quoted */
    struct mdl_scenario *b = NULL;
    assert_int_equal(mdl_load_scenario("again.yaml", yaml, len, NULL, 0, &b, &err), 0);
    size_t stride = mdl_run_stride(a);
    assert_int_equal(mdl_run_stride(b), stride);
    double *va = sim_xmalloc(3 * stride * sizeof *va), *vb = sim_xmalloc(3 * stride * sizeof *vb);
    struct mdl_run_totals ta, tb;
    mdl_run_reps(a, a->seed, 3, 1, va, &ta, NULL);
    mdl_run_reps(b, b->seed, 3, 1, vb, &tb, NULL);
    for (size_t i = 0; i < 3 * stride; i++)
        if (!(isnan(va[i]) && isnan(vb[i])))
            assert_true(va[i] == vb[i]);
    free(va);
    free(vb);
    free(yaml);
    mdl_scenario_destroy(a);
    mdl_scenario_destroy(b);
}

TEST_TABLE(test_mdl_optimise,
           cmocka_unit_test(optimise_one_desk_is_erlang_c),
           cmocka_unit_test(optimise_day_equals_enumeration),
           cmocka_unit_test(optimise_says_when_the_bounds_cannot_meet_the_goals),
           cmocka_unit_test(optimise_total_cost_is_no_dearer_in_total),
           cmocka_unit_test(why_finds_the_bottleneck_and_the_slack),
           cmocka_unit_test(cover_solves_hand_checked_programs),
           cmocka_unit_test(roster_covers_the_need_and_reads_back),
           cmocka_unit_test(yemit_writes_a_scenario_that_reads_the_same))
