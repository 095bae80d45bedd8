/* models/run.h — replications of a scenario, in parallel.
 *
 * mdl_run_reps runs replications 0..reps-1 of a scenario (OpenMP threads,
 * `jobs` of them; 0 means all cores), each writing its metric vector
 * (models/metrics.h). Each replication depends only on (scenario, seed,
 * replication number), so the numbers are identical whatever `jobs` is.
 * Memory: one metric vector per replication, or for replications too many
 * to keep (mdl_run_tallies) a bounded amount whatever the replications.
 *
 * It summarises nothing: turning the vectors into a report's plan, with
 * intervals, is the program's (sim/cli/results.h).
 */
#ifndef MDL_RUN_H
#define MDL_RUN_H

#include "models/flow.h"
#include "models/scenario.h"
#include "sim/ci.h"
#include "sim/qhist.h"
#include "sim/tally.h"

struct mdl_run_totals {
    uint64_t events, customers;
    unsigned overloaded;                    /* replications stopped as overloaded */
    unsigned over_events;                   /* of those, the ones stopped at max_events */
    unsigned dept_overloaded[MDL_MAX_DEPTS]; /* of those, the ones where department d was */
};

/* Doubles in one replication's vector of s (models/metrics.h: values,
 * then weights), and the values in each half. */
size_t mdl_run_stride(const struct mdl_scenario *s);
size_t mdl_run_count(const struct mdl_scenario *s);

/* Every measured wait, department by department, pooled over the
 * replications of a plan in m sections of consecutive replications
 * (replication r of reps in section sim_qhist_section_of(r, reps, m)):
 * quantiles of all waits, with intervals by sectioning (docs/estimators.md).
 * m is 10 sections (fewer when there are fewer replications; a divisor of
 * reps near 10 when there is one, so that sections are alike). */
struct mdl_run_pools {
    unsigned reps;
    size_t m, ndepts;
    struct sim_qhist **h;                   /* section k, department d at h[k * ndepts + d] */
};
struct mdl_run_pools *mdl_run_pools_create(const struct mdl_scenario *s, unsigned reps);
void mdl_run_pools_destroy(struct mdl_run_pools *p);
/* The flow model's pool of replication r (mdl_flow_run's last argument). */
struct mdl_flow_pool mdl_run_pool_of(const struct mdl_run_pools *p, unsigned r);

/* The threads `jobs` asks for: jobs itself, or every processor when 0
 * (always 1 in a build without OpenMP). The one reading of --jobs. */
int mdl_run_threads(int jobs);

/* Simulates replications 0..reps-1 of s on `jobs` threads into values
 * (reps x mdl_run_stride(s) doubles, replication r at r * stride) and
 * totals, pooling their waits into pools (NULL: none). */
void mdl_run_reps(const struct mdl_scenario *s, uint64_t seed, unsigned reps, int jobs, double *values,
                  struct mdl_run_totals *totals, struct mdl_run_pools *pools);

/* The same, for replications too many to keep: they run in blocks whose
 * values and weights are added, in replication order (so the numbers do
 * not depend on jobs), to ratio tallies[0..count) (initialised by the
 * caller) and forgotten. */
void mdl_run_tallies(const struct mdl_scenario *s, uint64_t seed, unsigned reps, int jobs,
                     struct sim_ratio_tally *tallies, struct mdl_run_totals *totals, struct mdl_run_pools *pools);

/* Where each of b's values sits in a's vector: map[i] (i < mdl_run_count(b))
 * is the offset in a of the same metric — the same department or class by
 * name, the same journey scope, cost, drop-out cause, and by-hour bin
 * starting at the same minute (after closing with after closing) — or
 * SIZE_MAX when a has none (a department only b has). Pairs two plans'
 * replications metric by metric (compare). */
void mdl_run_metric_map(const struct mdl_scenario *a, const struct mdl_scenario *b, size_t *map);

/* Replications first .. first + n - 1 of s on `jobs` threads into values
 * (n x mdl_run_stride(s)), totals (reset first) and pools, as mdl_run_reps
 * does for all of them: blocks of a plan too many to keep. */
void mdl_run_block(const struct mdl_scenario *s, uint64_t seed, unsigned first, unsigned n, int jobs,
                   double *values, struct mdl_run_totals *totals, struct mdl_run_pools *pools);

/* Adds one replication's flow statistics to totals; adds totals t to into. */
void mdl_run_totals_add(struct mdl_run_totals *totals, const struct mdl_flow_stats *stats);
void mdl_run_totals_merge(struct mdl_run_totals *into, const struct mdl_run_totals *t);

/* Spreading replications over the processes of a job (the MPI build's
 * optimise, sim/cli/mpi.c). With a spreader set, every process calls this
 * module's functions in the same order with the same arguments (one
 * program on every process); each simulates a contiguous share of each
 * call's replications, and the spreader's collectives give every process
 * all of them, so that values, totals and pools are, bit for bit, those of
 * one process: a replication depends on its number alone, counts add
 * exactly. Process-wide: the program sets it from the main thread before
 * anything runs and clears it (NULL) after; a call from inside an OpenMP
 * parallel region is not spread (its threads are not the same calls on
 * every process). The collectives must not fail (MPI aborts the job). */
struct mdl_run_spread {
    unsigned rank, size;      /* this process, and how many */
    void *ctx;
    /* Every process's rows into everyone's values: process k computed
     * count[k] doubles at values + offset[k], in place. */
    void (*gather)(void *ctx, double *values, const size_t *count, const size_t *offset);
    /* The sum over the processes of v[0..n), in place. */
    void (*sum)(void *ctx, uint64_t *v, size_t n);
    /* Every process's mine[0..n) into all[k * n ...] for process k. */
    void (*collect)(void *ctx, const double *mine, size_t n, double *all);
};
void mdl_run_spread_set(const struct mdl_run_spread *spread);

#endif
