/* tests/test_mdl_validation.c — the simulator against queueing theory.
 *
 * Each case runs a scenario in steady state and checks that the exact value
 * from theory lies within 4 standard errors of the simulated mean, the
 * standard error being the sd over replications / sqrt(replications). Run
 * lengths are chosen for a half-width of 2-3% of the mean. Theory is
 * computed here from its formulas, independently of the model:
 *   Erlang C, Erlang B, M/M/c/K and Erlang A from their birth-death chains
 *   (Erlang A and M/M/c/K also with patience and balking by department);
 *   M/G/1 from Pollaczek-Khinchine; the Jackson network from its traffic
 *   equations and Erlang C at each station; two priority classes from
 *   Cobham's formula. Little's law on the dealership is an exact identity
 *   on every simulated day.
 */
#include "tests/testutil.h"
#include "sim/mem.h"
#include "tests/theory.h"

#include "models/flow.h"
#include "models/metrics.h"
#include "models/load.h"
#include "models/scenario.h"
#include "models/builtin.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct sim_result {
    struct mdl_scenario *s;
    double *v;           /* reps x stride */
    size_t stride;
    unsigned reps;
    struct mdl_flow_stats *stats;
};

static void simulate(const char *yaml, struct sim_result *r)
{
    struct sim_err err;
    sim_err_init(&err);
    if (mdl_load_scenario("validation.yaml", yaml, strlen(yaml), NULL, 0, &r->s, &err)) {
        print_error("%s:%d:%d: %s\n", err.file, err.line, err.col, err.msg);
        fail();
    }
    r->reps = r->s->replications;
    r->stride = mdl_metric_stride(r->s->ndepts, r->s->nclasses, mdl_flow_hours(r->s), r->s->npools);
    r->v = sim_xmalloc(r->reps * r->stride * sizeof *r->v);
    r->stats = sim_xcalloc(r->reps, sizeof *r->stats);
    assert_non_null(r->v);
#pragma omp parallel for schedule(dynamic, 1)
    for (long k = 0; k < (long)r->reps; k++)
        mdl_flow_run(r->s, r->s->seed, (uint32_t)k, &r->v[(size_t)k * r->stride], &r->stats[k], NULL);
}

static void release(struct sim_result *r)
{
    mdl_scenario_destroy(r->s);
    free(r->v);
    free(r->stats);
}

/* Mean over replications of metric at offset, and its standard error. */
static double mean_se(const struct sim_result *r, size_t offset, double *se)
{
    double sum = 0, ss = 0;
    for (unsigned k = 0; k < r->reps; k++)
        sum += r->v[k * r->stride + offset];
    double m = sum / r->reps;
    for (unsigned k = 0; k < r->reps; k++) {
        double e = r->v[k * r->stride + offset] - m;
        ss += e * e;
    }
    *se = sqrt(ss / (r->reps - 1) / r->reps);
    return m;
}

/* Checks |simulated - exact| <= 4 SE, and that the run was long enough
 * for a 95% half-width within `precision` of the exact value. */
#define check_theory(r, offset, exact, precision) \
    check_theory_at((r), (offset), (exact), (precision), #offset, __FILE__, __LINE__)

static void check_theory_at(const struct sim_result *r, size_t offset, double exact, double precision,
                            const char *what, const char *file, int line)
{
    double se, m = mean_se(r, offset, &se);
    double half = 2.26 * se;  /* t(0.975, 9) for 10 replications */
    if (!(fabs(m - exact) <= 4 * se) || !(half <= precision * fabs(exact) + 1e-12)) {
        print_error("%s: simulated %.6g (SE %.3g, half-width %.2f%%), exact %.6g\n", what, m, se,
                    100 * half / fabs(exact), exact);
        _fail(file, line);
    }
}

/* ---- theory ----------------------------------------------------------- */

/* Stationary distribution of a birth-death chain with birth rate lambda
 * and death rate death(n), truncated at N (far beyond any mass). */
static void birth_death(double lambda, double (*death)(int n, const double *p), const double *p, int N,
                        double *pi)
{
    pi[0] = 1;
    double total = 1;
    for (int n = 1; n <= N; n++) {
        pi[n] = pi[n - 1] * lambda / death(n, p);
        total += pi[n];
    }
    for (int n = 0; n <= N; n++)
        pi[n] /= total;
}

/* p = {c, mu, gamma (abandonment rate), K (max in system, 0 = none)} */
static double death_rate(int n, const double *p)
{
    double c = p[0], mu = p[1], gamma = p[2];
    return (n < c ? n : c) * mu + (n > c ? (n - c) * gamma : 0);
}

enum { N = 4000 };

static void validation_erlang_c(void **state)
{
    (void)state;
    /* (c, lambda per minute, mean service, run length) for loads 0.5, 0.8, 0.9 */
    const struct {
        int c;
        double lambda, svc, length;
    } cases[] = {{1, 0.5, 1, 200000}, {2, 1.6, 1, 200000}, {5, 4.5, 1, 200000}};
    for (size_t i = 0; i < 3; i++) {
        char yaml[512];
        snprintf(yaml, sizeof yaml,
                 "seed: %zu\nreplications: 10\nrun: {warmup: 2000, length: %g}\n"
                 "departments: {desk: {staff: %d, service: {dist: exponential, mean: %g}}}\n"
                 "customers: {c: {arrivals: {per_hour: %g}, enter: desk}}\n",
                 11 + i, cases[i].length, cases[i].c, cases[i].svc, cases[i].lambda * 60);
        struct sim_result r;
        simulate(yaml, &r);
        double pw, wq;
        theory_erlang_c(cases[i].c, cases[i].lambda, 1 / cases[i].svc, &pw, &wq);
        check_theory(&r, mdl_metric_dept(1, 0, MDL_DM_WAIT_MEAN), wq, 0.03);
        check_theory(&r, mdl_metric_dept(1, 0, MDL_DM_P_WAIT), pw, 0.03);
        release(&r);
    }
}

/* A pool that alone serves two departments, with the same exponential
 * service at both, is an M/M/c of the merged stream: its preference order
 * decides who waits longer, not how long all wait on average (the queue is
 * work-conserving and every service alike), so the arrival-weighted mean
 * wait and the share who wait are Erlang C's (Kleinrock 1976, ch. 3;
 * Kingman's conservation law). Own staff and a pool at one department are
 * an M/M/c of their sum. */
static void validation_pools_are_erlang_c(void **state)
{
    (void)state;
    const double la = 1.2, lb = 0.9;   /* per minute; mean service 1: 2.1 of 3 servers, load 0.7 */
    char yaml[1024];
    snprintf(yaml, sizeof yaml,
             "seed: 31\nreplications: 10\nrun: {warmup: 2000, length: 200000}\n"
             "departments:\n  a: {staff: 0, service: {dist: exponential, mean: 1}}\n"
             "  b: {staff: 0, service: {dist: exponential, mean: 1}}\n"
             "pools: {floater: {serves: [a, b], staff: 3}}\n"
             "customers:\n  x: {arrivals: {per_hour: %g}, enter: a}\n  y: {arrivals: {per_hour: %g}, enter: b}\n",
             la * 60, lb * 60);
    struct sim_result r;
    simulate(yaml, &r);
    double pw, wq;
    theory_erlang_c(3, la + lb, 1, &pw, &wq);
    /* each replication's merged mean wait and share waiting, weighted by
     * its customers at each department */
    size_t nc = r.s->nclasses;
    double *merged = sim_xmalloc(2 * r.reps * sizeof *merged);
    for (unsigned k = 0; k < r.reps; k++) {
        const double *v = &r.v[k * r.stride];
        double na = v[mdl_metric_dept(nc, 0, MDL_DM_ARRIVALS)], nb = v[mdl_metric_dept(nc, 1, MDL_DM_ARRIVALS)];
        merged[k] = (na * v[mdl_metric_dept(nc, 0, MDL_DM_WAIT_MEAN)] + nb * v[mdl_metric_dept(nc, 1, MDL_DM_WAIT_MEAN)]) /
                    (na + nb);
        merged[r.reps + k] =
            (na * v[mdl_metric_dept(nc, 0, MDL_DM_P_WAIT)] + nb * v[mdl_metric_dept(nc, 1, MDL_DM_P_WAIT)]) / (na + nb);
    }
    struct sim_result m = {.v = merged, .stride = 1, .reps = r.reps};
    check_theory(&m, 0, wq, 0.03);
    check_theory(&m, r.reps, pw, 0.03);
    /* the first in the order waits less than the second */
    double se;
    assert_true(mean_se(&r, mdl_metric_dept(nc, 0, MDL_DM_WAIT_MEAN), &se) <
                mean_se(&r, mdl_metric_dept(nc, 1, MDL_DM_WAIT_MEAN), &se));
    free(merged);
    release(&r);
    /* own staff and a pool at one department: 2 + 1 = an M/M/3 at load 0.8 */
    simulate("seed: 32\nreplications: 10\nrun: {warmup: 2000, length: 200000}\n"
             "departments: {desk: {staff: 2, service: {dist: exponential, mean: 1}}}\n"
             "pools: {floater: {serves: [desk], staff: 1}}\n"
             "customers: {c: {arrivals: {per_hour: 144}, enter: desk}}\n",
             &r);
    theory_erlang_c(3, 2.4, 1, &pw, &wq);
    check_theory(&r, mdl_metric_dept(1, 0, MDL_DM_WAIT_MEAN), wq, 0.03);
    check_theory(&r, mdl_metric_dept(1, 0, MDL_DM_P_WAIT), pw, 0.03);
    release(&r);
}

static void validation_erlang_b(void **state)
{
    (void)state;
    /* no waiting places: blocking probability B(c, a), a = 2.5, c = 3 */
    const char *yaml = "seed: 21\nreplications: 10\nrun: {warmup: 1000, length: 100000}\n"
                       "departments: {desk: {staff: 3, capacity: 0, service: {dist: exponential, mean: 1}}}\n"
                       "customers: {c: {arrivals: {per_hour: 150}, enter: desk}}\n";
    double a = 2.5, b = 1;
    for (int k = 1; k <= 3; k++)
        b = a * b / (k + a * b);
    struct sim_result r;
    simulate(yaml, &r);
    check_theory(&r, mdl_metric_dept(1, 0, MDL_DM_BLOCK_RATE), b, 0.03);
    release(&r);
}

static void validation_mmck(void **state)
{
    (void)state;
    /* M/M/2/5: 2 staff, 3 waiting places, lambda = 2, mu = 1 */
    const char *yaml = "seed: 31\nreplications: 10\nrun: {warmup: 1000, length: 100000}\n"
                       "departments: {desk: {staff: 2, capacity: 3, service: {dist: exponential, mean: 1}}}\n"
                       "customers: {c: {arrivals: {per_hour: 120}, enter: desk}}\n";
    double p[] = {2, 1, 0}, pi[6];
    birth_death(2, death_rate, p, 5, pi);
    double lq = 0;
    for (int n = 3; n <= 5; n++)
        lq += (n - 2) * pi[n];
    double admitted_rate = 2 * (1 - pi[5]);
    struct sim_result r;
    simulate(yaml, &r);
    check_theory(&r, mdl_metric_dept(1, 0, MDL_DM_BLOCK_RATE), pi[5], 0.03);
    check_theory(&r, mdl_metric_dept(1, 0, MDL_DM_WAIT_MEAN), lq / admitted_rate, 0.03);
    check_theory(&r, mdl_metric_dept(1, 0, MDL_DM_QUEUE_MEAN), lq, 0.03);
    release(&r);
}

/* Erlang A (M/M/c+M): a tagged customer who finds n >= c present stands at
 * position j = n - c + 1. With i customers ahead, the next event comes at
 * rate r_i = c mu + (i + 1) gamma; with probability gamma / r_i it is the
 * tagged customer's own abandonment. So P(served | j) = prod (1 - gamma/r_i)
 * and E[wait | served, j] = sum 1/r_i, over i = 0 .. j-1 (PASTA). */
static void erlang_a(int c, double lambda, double mu, double gamma, double *p_wait, double *abandon,
                     double *wait_served)
{
    static double pi[N + 1];
    double p[] = {c, mu, gamma};
    birth_death(lambda, death_rate, p, N, pi);
    double pw = 0, ab = 0, served = 0, wsum = 0;
    for (int n = 0; n <= N; n++) {
        if (n < c) {
            served += pi[n];
            continue;
        }
        pw += pi[n];
        double ps = 1, ew = 0;
        for (int i = 0; i <= n - c; i++) {
            double rate = c * mu + (i + 1) * gamma;
            ps *= 1 - gamma / rate;
            ew += 1 / rate;
        }
        ab += pi[n] * (1 - ps);
        served += pi[n] * ps;
        wsum += pi[n] * ps * ew;
    }
    *p_wait = pw;
    *abandon = ab;
    *wait_served = wsum / served;
}

static void validation_erlang_a(void **state)
{
    (void)state;
    /* c = 3, mean service 1, mean patience 2; load 1.1, then overloaded 1.5 */
    const double lambdas[] = {3.3, 4.5};
    for (int i = 0; i < 2; i++) {
        char yaml[512];
        snprintf(yaml, sizeof yaml,
                 "seed: %d\nreplications: 10\nrun: {warmup: 1000, length: 100000}\n"
                 "departments: {desk: {staff: 3, service: {dist: exponential, mean: 1}}}\n"
                 "customers: {c: {arrivals: {per_hour: %g}, enter: desk,\n"
                 "                patience: {dist: exponential, mean: 2}}}\n",
                 41 + i, lambdas[i] * 60);
        struct sim_result r;
        simulate(yaml, &r);
        double pw, ab, ws;
        erlang_a(3, lambdas[i], 1, 0.5, &pw, &ab, &ws);
        /* cross-check: abandonments = gamma E[(n - c)+] / lambda */
        static double pi[N + 1];
        double p[] = {3, 1, 0.5}, lq = 0;
        birth_death(lambdas[i], death_rate, p, N, pi);
        for (int n = 4; n <= N; n++)
            lq += (n - 3) * pi[n];
        assert_near(ab, 0.5 * lq / lambdas[i], 1e-9);
        check_theory(&r, mdl_metric_dept(1, 0, MDL_DM_ABANDON_RATE), ab, 0.03);
        check_theory(&r, mdl_metric_dept(1, 0, MDL_DM_WAIT_MEAN), ws, 0.03);
        check_theory(&r, mdl_metric_dept(1, 0, MDL_DM_P_WAIT), pw, 0.03);
        /* every admitted customer's time in queue, served or not: Lq / lambda */
        check_theory(&r, mdl_metric_dept(1, 0, MDL_DM_WAIT_ALL_MEAN), lq / lambdas[i], 0.03);
        release(&r);
    }
}

/* Patience and balking by department: three desks, each entered by its own
 * share of one Poisson stream (independent Poisson streams), 3 + 3 + 2 staff
 * with mean service 1. The class's patience is exponential with mean 2 at a
 * and 4 at b, none at c; it balks at c only, on seeing 3 waiting. So a is
 * Erlang A with gamma 0.5, b Erlang A with gamma 0.25, and c M/M/2 with
 * balking at 3 waiting, which is M/M/2/5 (a balk is a block): balk_rate =
 * pi(5) by PASTA. */
static void validation_erlang_a_by_department(void **state)
{
    (void)state;
    const double la = 3.3, lb = 3.3, lc = 2, total = la + lb + lc;
    char yaml[1024];
    snprintf(yaml, sizeof yaml,
             "seed: 43\nreplications: 10\nrun: {warmup: 1000, length: 100000}\n"
             "departments:\n"
             "  a: {staff: 3, service: {dist: exponential, mean: 1}}\n"
             "  b: {staff: 3, service: {dist: exponential, mean: 1}}\n"
             "  c: {staff: 2, service: {dist: exponential, mean: 1}}\n"
             "customers:\n"
             "  x:\n"
             "    arrivals: {per_hour: %.17g}\n"
             "    enter: {a: %.17g, b: %.17g, c: %.17g}\n"
             "    patience: {a: {dist: exponential, mean: 2}, b: {dist: exponential, mean: 4}}\n"
             "    balk_at: {c: 3}\n",
             total * 60, la / total, lb / total, 1 - (la + lb) / total);
    struct sim_result r;
    simulate(yaml, &r);
    double pw, ab, ws;
    erlang_a(3, la, 1, 0.5, &pw, &ab, &ws);
    check_theory(&r, mdl_metric_dept(1, 0, MDL_DM_ABANDON_RATE), ab, 0.03);
    check_theory(&r, mdl_metric_dept(1, 0, MDL_DM_WAIT_MEAN), ws, 0.03);
    erlang_a(3, lb, 1, 0.25, &pw, &ab, &ws);
    check_theory(&r, mdl_metric_dept(1, 1, MDL_DM_ABANDON_RATE), ab, 0.03);
    check_theory(&r, mdl_metric_dept(1, 1, MDL_DM_WAIT_MEAN), ws, 0.03);
    double p[] = {2, 1, 0}, pi[6];
    birth_death(lc, death_rate, p, 5, pi);
    check_theory(&r, mdl_metric_dept(1, 2, MDL_DM_BALK_RATE), pi[5], 0.03);
    /* and nothing of the kind where the class has none */
    for (unsigned k = 0; k < r.reps; k++) {
        assert_near(r.v[k * r.stride + mdl_metric_dept(1, 2, MDL_DM_ABANDON_RATE)], 0, 0);
        assert_near(r.v[k * r.stride + mdl_metric_dept(1, 0, MDL_DM_BALK_RATE)], 0, 0);
        assert_near(r.v[k * r.stride + mdl_metric_dept(1, 1, MDL_DM_BALK_RATE)], 0, 0);
    }
    release(&r);
}

static void validation_mg1_pollaczek_khinchine(void **state)
{
    (void)state;
    /* lambda = 0.7 per minute, mean service 1: Wq = lambda E[S^2] / (2 (1 - rho)) */
    const char *services[] = {"{dist: constant, value: 1}", "{dist: gamma, mean: 1, sd: 0.5}"};
    const double es2[] = {1, 1.25};
    for (int i = 0; i < 2; i++) {
        char yaml[512];
        snprintf(yaml, sizeof yaml,
                 "seed: %d\nreplications: 10\nrun: {warmup: 1000, length: 200000}\n"
                 "departments: {desk: {staff: 1, service: %s}}\n"
                 "customers: {c: {arrivals: {per_hour: 42}, enter: desk}}\n",
                 51 + i, services[i]);
        struct sim_result r;
        simulate(yaml, &r);
        check_theory(&r, mdl_metric_dept(1, 0, MDL_DM_WAIT_MEAN), 0.7 * es2[i] / (2 * 0.3), 0.03);
        release(&r);
    }
}

static void validation_jackson_network(void **state)
{
    (void)state;
    /* External arrivals 1/min at a; after a: b 0.5, a again 0.2, exit 0.3;
     * after b: a 0.3, exit 0.7. Traffic: la = 1 + 0.2 la + 0.3 lb,
     * lb = 0.5 la, so la = 1/0.65, lb = la/2. a: 1 staff, mean 0.4;
     * b: 2 staff, mean 1/0.6. Each station behaves as M/M/c. b's wait
     * varies most: 100,000 minutes gave it a half-width of 1.6 to 3.2%
     * (over seeds and stream layouts), hence 150,000. */
    const char *yaml = "seed: 61\nreplications: 10\nrun: {warmup: 1000, length: 150000}\n"
                       "departments:\n"
                       "  a: {staff: 1, service: {dist: exponential, mean: 0.4}}\n"
                       "  b: {staff: 2, service: {dist: exponential, mean: 1.6666666666666667}}\n"
                       "customers:\n"
                       "  c:\n"
                       "    arrivals: {per_hour: 60}\n"
                       "    enter: a\n"
                       "    route: {a: {b: 0.5, a: 0.2, exit: 0.3}, b: {a: 0.3, exit: 0.7}}\n";
    double la = 1 / 0.65, lb = la / 2, pw, wa, wb;
    theory_erlang_c(1, la, 2.5, &pw, &wa);
    theory_erlang_c(2, lb, 0.6, &pw, &wb);
    struct sim_result r;
    simulate(yaml, &r);
    check_theory(&r, mdl_metric_dept(1, 0, MDL_DM_WAIT_MEAN), wa, 0.03);
    check_theory(&r, mdl_metric_dept(1, 1, MDL_DM_WAIT_MEAN), wb, 0.03);
    /* arrivals per minute at each station: the traffic equations */
    for (unsigned k = 0; k < r.reps; k++) {
        r.v[k * r.stride + mdl_metric_dept(1, 0, MDL_DM_ARRIVALS)] /= 150000;
        r.v[k * r.stride + mdl_metric_dept(1, 1, MDL_DM_ARRIVALS)] /= 150000;
    }
    check_theory(&r, mdl_metric_dept(1, 0, MDL_DM_ARRIVALS), la, 0.03);
    check_theory(&r, mdl_metric_dept(1, 1, MDL_DM_ARRIVALS), lb, 0.03);
    release(&r);
}

static void validation_priority_cobham(void **state)
{
    (void)state;
    /* M/M/1 non-preemptive priority, mean service 1: lambda_hi 0.3,
     * lambda_lo 0.5. W0 = sum lambda_i E[S^2] / 2 = 0.8; W_hi = W0/(1 - 0.3),
     * W_lo = W0/((1 - 0.3)(1 - 0.8)). A single-desk journey waits only there. */
    const char *yaml = "seed: 71\nreplications: 10\nrun: {warmup: 1000, length: 200000}\n"
                       "departments: {desk: {staff: 1, discipline: priority, service: {dist: exponential, mean: 1}}}\n"
                       "customers:\n"
                       "  hi: {arrivals: {per_hour: 18}, enter: desk, priority: 2}\n"
                       "  lo: {arrivals: {per_hour: 30}, enter: desk, priority: 1}\n";
    struct sim_result r;
    simulate(yaml, &r);
    check_theory(&r, mdl_metric_class(1, 0, MDL_JM_WAIT_TOTAL_MEAN), 0.8 / 0.7, 0.03);
    check_theory(&r, mdl_metric_class(1, 1, MDL_JM_WAIT_TOTAL_MEAN), 0.8 / (0.7 * 0.2), 0.03);
    release(&r);
}

static void validation_littles_law_on_the_dealership(void **state)
{
    (void)state;
    /* On every simulated day (empty at opening, served to the last
     * customer), the time-integral of the queue equals the sum of the waits
     * of everyone admitted: queue_mean x observed time = wait_all_mean x
     * admitted, admitted = arrivals x (1 - balk_rate - block_rate). */
    struct sim_result r;
    simulate((const char *)mdl_builtin_scenario, &r);
    size_t nc = r.s->nclasses;
    for (unsigned k = 0; k < r.reps; k++)
        for (size_t d = 0; d < r.s->ndepts; d++) {
            const double *m = &r.v[k * r.stride + mdl_metric_dept(nc, d, 0)];
            double area = m[MDL_DM_QUEUE_MEAN] * r.stats[k].observed_dur;
            double admitted = m[MDL_DM_ARRIVALS] * (1 - m[MDL_DM_BALK_RATE] - m[MDL_DM_BLOCK_RATE]);
            double waits = m[MDL_DM_WAIT_ALL_MEAN] * admitted;
            assert_near(area, waits, 1e-9 * (1 + waits));
        }
    release(&r);
}

TEST_TABLE(test_mdl_validation,
           cmocka_unit_test(validation_erlang_c),
           cmocka_unit_test(validation_pools_are_erlang_c),
           cmocka_unit_test(validation_erlang_b),
           cmocka_unit_test(validation_mmck),
           cmocka_unit_test(validation_erlang_a),
           cmocka_unit_test(validation_erlang_a_by_department),
           cmocka_unit_test(validation_mg1_pollaczek_khinchine),
           cmocka_unit_test(validation_jackson_network),
           cmocka_unit_test(validation_priority_cobham),
           cmocka_unit_test(validation_littles_law_on_the_dealership))
