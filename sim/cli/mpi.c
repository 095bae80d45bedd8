/* sim/cli/mpi.c — the plans of a sweep, and the replications of an
 * optimisation, across MPI ranks (see mpi.h).
 *
 * Before anything runs, every rank joins one agreement (cli_mpi_join, an
 * MPI_Allgather of each rank's terms): a rank that failed, or would run
 * another sweep, stops them all with one message from rank 0, so no rank
 * waits on one that has left. At the start every rank says its command
 * (cli_mpi_start), at the end its error (cli_mpi_end): rank 0 prints the
 * one error and alone exits with its code.
 *
 * Messages: a worker sends READY (empty) when it wants work; rank 0 answers
 * WORK, up to BATCH plan numbers, or none to say there is no more. For
 * each plan a worker sends RESULT: a header and the plan's reps x stride
 * doubles. Rank 0 polls with MPI_Iprobe and a short sleep rather than
 * spinning in a blocking receive, so it takes little of its core.
 */
#include "sim/cli/mpi.h"

#include "models/run.h"
#include "models/warmup.h"
#include "sim/qhist.h"
#include "models/sweep.h"
#include "sim/cli/results.h"

#include <limits.h>
#include <mpi.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { TAG_READY = 1, TAG_WORK = 2, TAG_RESULT = 3 };

#define BATCH 4

struct result_head {
    uint64_t plan, events, customers;
    uint64_t nvalues, ntallies, npooled;   /* values (kept) or tallies (summarised), then the pooled waits */
    uint32_t overloaded, over_events, status;   /* status: SIM_OK, or the code of a plan that did not build */
};

/* cli_mpi_end's own communicator: its gather never meets a collective of
 * MPI_COMM_WORLD that a rank left unfinished. */
static MPI_Comm end_comm = MPI_COMM_NULL;

void cli_mpi_init(int *argc, char ***argv)
{
    int provided;
    MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided);
    MPI_Comm_dup(MPI_COMM_WORLD, &end_comm);
}

void cli_mpi_finalize(void)
{
    int done = 0;
    MPI_Finalized(&done);
    if (done)
        return;
    if (end_comm != MPI_COMM_NULL)
        MPI_Comm_free(&end_comm);
    MPI_Finalize();
}

int cli_mpi_rank(void)
{
    int r;
    MPI_Comm_rank(MPI_COMM_WORLD, &r);
    return r;
}

int cli_mpi_size(void)
{
    int n;
    MPI_Comm_size(MPI_COMM_WORLD, &n);
    return n;
}

/* The longest command word compared; longer ones are no command's name. */
#define WORD 32

int cli_mpi_start(const char *word, struct sim_err *err)
{
    int n = cli_mpi_size();
    char mine[WORD] = "";
    snprintf(mine, sizeof mine, "%.*s", WORD - 1, word);
    char *all = sim_xcalloc((size_t)n, WORD);
    MPI_Allgather(mine, WORD, MPI_CHAR, all, WORD, MPI_CHAR, MPI_COMM_WORLD);
    int k = 1;
    while (k < n && strcmp(all, all + (size_t)k * WORD) == 0)
        k++;
    if (k < n && cli_mpi_rank() == 0) {
        const char *theirs = all + (size_t)k * WORD;
        sim_err_set(err, SIM_EUSAGE, "rank %d runs another command than rank 0 (%s, not %s): start every rank with "
                    "the same arguments", k, theirs[0] ? theirs : "none", all[0] ? all : "none");
    } else if (k < n) {
        sim_err_set(err, SIM_EUSAGE, "stopped: see rank 0");
    }
    free(all);
    return err->code;
}

int cli_mpi_end(struct sim_err *err)
{
    int n = cli_mpi_size(), me = cli_mpi_rank();
    struct cli_mpi_terms mine, *all = me == 0 ? sim_xcalloc((size_t)n, sizeof *all) : NULL;
    cli_mpi_terms_init(&mine, "", false, err);
    /* polled, not waited in: a rank done early (a command rank 0 runs
     * alone) takes no core while rank 0 works */
    MPI_Request req;
    MPI_Igather(&mine, (int)sizeof mine, MPI_BYTE, all, (int)sizeof mine, MPI_BYTE, 0, end_comm, &req);
    int done = 0;
    for (MPI_Test(&req, &done, MPI_STATUS_IGNORE); !done; MPI_Test(&req, &done, MPI_STATUS_IGNORE))
        nanosleep(&(struct timespec){0, 1000000}, NULL);
    if (me != 0)
        return SIM_OK;
    for (int k = 1; k < n && !err->code; k++)
        if (all[k].code > 0)
            sim_err_set(err, all[k].code, "rank %d failed: %.*s", k, (int)sizeof all[k].msg, all[k].msg);
    free(all);
    return err->code;
}

int cli_mpi_agree(struct sim_err *err)
{
    int code = err->code;
    MPI_Bcast(&code, 1, MPI_INT, 0, MPI_COMM_WORLD);
    if (code && !err->code)
        sim_err_set(err, code, "stopped on rank 0");
    return code;
}

void cli_mpi_bcast(void *buf, size_t len)
{
    MPI_Bcast(buf, (int)len, MPI_BYTE, 0, MPI_COMM_WORLD);
}

void cli_mpi_terms_init(struct cli_mpi_terms *t, const char *command, bool help, const struct sim_err *err)
{
    memset(t, 0, sizeof *t);
    t->code = help ? CLI_MPI_HELP : err->code;
    snprintf(t->command, sizeof t->command, "%s", command);
    if (err->code && err->file[0])
        snprintf(t->msg, sizeof t->msg, "%s:%d:%d: %s", err->file, err->line, err->col, err->msg);
    else if (err->code)
        snprintf(t->msg, sizeof t->msg, "%s", err->msg);
}

void cli_mpi_hex(const unsigned char *digest, size_t n, char *out)
{
    for (size_t i = 0; i < n; i++)
        snprintf(out + 2 * i, 3, "%02x", digest[i]);
}

int cli_mpi_any(struct sim_err *err)
{
    struct cli_mpi_terms t;
    cli_mpi_terms_init(&t, "it", false, err);
    return cli_mpi_join(&t, err);
}

/* ---- an optimisation's replications (models/run.h's spreader) ---- */

static void spread_gather(void *ctx, double *values, const size_t *count, const size_t *offset)
{
    (void)ctx;
    int n = cli_mpi_size();
    int *counts = sim_xmalloc(2 * (size_t)n * sizeof *counts), *displs = counts + n;
    for (int k = 0; k < n; k++) {
        if (count[k] > INT_MAX || offset[k] > INT_MAX)   /* MPI counts in int: 16 GB a batch */
            MPI_Abort(MPI_COMM_WORLD, SIM_EINTERNAL);
        counts[k] = (int)count[k];
        displs[k] = (int)offset[k];
    }
    MPI_Allgatherv(MPI_IN_PLACE, 0, MPI_DATATYPE_NULL, values, counts, displs, MPI_DOUBLE, MPI_COMM_WORLD);
    free(counts);
}

static void spread_sum(void *ctx, uint64_t *v, size_t n)
{
    (void)ctx;
    MPI_Allreduce(MPI_IN_PLACE, v, (int)n, MPI_UINT64_T, MPI_SUM, MPI_COMM_WORLD);
}

static void spread_collect(void *ctx, const double *mine, size_t n, double *all)
{
    (void)ctx;
    if (n > INT_MAX)
        MPI_Abort(MPI_COMM_WORLD, SIM_EINTERNAL);
    MPI_Allgather(mine, (int)n, MPI_DOUBLE, all, (int)n, MPI_DOUBLE, MPI_COMM_WORLD);
}

static struct mdl_run_spread spread;

void cli_mpi_spread_begin(void)
{
    spread = (struct mdl_run_spread){.rank = (unsigned)cli_mpi_rank(), .size = (unsigned)cli_mpi_size(),
                                     .gather = spread_gather, .sum = spread_sum, .collect = spread_collect};
    mdl_run_spread_set(&spread);
}

void cli_mpi_spread_end(void)
{
    mdl_run_spread_set(NULL);
}

/* Rank k's fault against rank 0's terms, as an error code and a message
 * in why; SIM_OK when k can run the same sweep. */
static int fault_of(int k, const struct cli_mpi_terms *t0, const struct cli_mpi_terms *tk, char *why, size_t len)
{
    if ((t0->code == CLI_MPI_HELP) != (tk->code == CLI_MPI_HELP)) {
        snprintf(why, len, "rank %d was %s --help and rank 0 %s: start every rank with the same arguments", k,
                 tk->code == CLI_MPI_HELP ? "given" : "not given", tk->code == CLI_MPI_HELP ? "not" : "was");
        return SIM_EUSAGE;
    }
    if (tk->code > 0) {
        if (strcmp(t0->command, "it"))
            snprintf(why, len, "rank %d cannot start the %s: %.*s", k, t0->command, (int)sizeof tk->msg, tk->msg);
        else
            snprintf(why, len, "rank %d cannot go on: %.*s", k, (int)sizeof tk->msg, tk->msg);
        return tk->code;
    }
    if (tk->code == CLI_MPI_HELP)
        return SIM_OK;
    if (strcmp(t0->scenario_sha256, tk->scenario_sha256)) {
        snprintf(why, len, "rank %d has another scenario: its file's SHA-256 differs from rank 0's (give every "
                 "node the same file)", k);
        return SIM_EDATA;
    }
    if (t0->seed != tk->seed) {
        snprintf(why, len, "rank %d has another seed (%llu, rank 0 has %llu): start every rank with the same "
                 "arguments", k, (unsigned long long)tk->seed, (unsigned long long)t0->seed);
        return SIM_EUSAGE;
    }
    if (t0->replications != tk->replications) {
        snprintf(why, len, "rank %d has another number of replications (%u, rank 0 has %u): start every rank "
                 "with the same arguments", k, tk->replications, t0->replications);
        return SIM_EUSAGE;
    }
    if (strcmp(t0->plan_sha256, tk->plan_sha256) || t0->nplans != tk->nplans) {
        snprintf(why, len, "rank %d has other %s than rank 0, or another cxsim: start every rank with the same "
                 "arguments and binary", k, strcmp(t0->command, "sweep") ? "options" : "--set or --grid options");
        return SIM_EUSAGE;
    }
    return SIM_OK;
}

int cli_mpi_join(const struct cli_mpi_terms *mine, struct sim_err *err)
{
    int n = cli_mpi_size(), me = cli_mpi_rank();
    struct cli_mpi_terms *all = sim_xcalloc((size_t)n, sizeof *all);
    MPI_Allgather(mine, (int)sizeof *mine, MPI_BYTE, all, (int)sizeof *mine, MPI_BYTE, MPI_COMM_WORLD);
    /* every rank decides the same from the same table */
    int code = all[0].code > 0 ? all[0].code : SIM_OK;
    char why[sizeof all->msg + 128] = "";
    for (int k = 1; k < n && code == SIM_OK; k++)
        code = fault_of(k, &all[0], &all[k], why, sizeof why);
    free(all);
    if (code == SIM_OK)
        return SIM_OK;
    if (me == 0)
        sim_err_set(err, code, "%s", why);   /* keeps rank 0's own error when it has one */
    else
        sim_err_set(err, code, "stopped: see rank 0");
    err->code = code;   /* every rank exits alike */
    return code;
}

/* The bytes of a result message with h's counts. */
static size_t result_bytes(const struct result_head *h)
{
    return sizeof *h + (h->nvalues + h->npooled) * sizeof(double) + h->ntallies * sizeof(struct sim_ratio_tally);
}

/* Rank 0: hands out plans, receives results, calls done for each. */
static void coordinate(const struct mdl_plans *grid, const uint64_t *pending, size_t npending, unsigned reps,
                       bool summarise, mdl_sweep_done_fn done, void *ctx, struct sim_err *err)
{
    size_t next = 0;
    int active = cli_mpi_size() - 1;
    while (active > 0) {
        MPI_Status st;
        int flag = 0;
        MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &st);
        if (!flag) {
            nanosleep(&(struct timespec){0, 100000}, NULL);
            continue;
        }
        if (st.MPI_TAG == TAG_READY) {
            MPI_Recv(NULL, 0, MPI_BYTE, st.MPI_SOURCE, TAG_READY, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
            size_t n = err->code ? 0 : npending - next < BATCH ? npending - next : BATCH;
            MPI_Send(pending + next, (int)n, MPI_UINT64_T, st.MPI_SOURCE, TAG_WORK, MPI_COMM_WORLD);
            next += n;
            active -= n == 0;
            continue;
        }
        int bytes = 0;
        MPI_Get_count(&st, MPI_BYTE, &bytes);
        unsigned char *buf = sim_xmalloc((size_t)bytes + 1);
        MPI_Recv(buf, bytes, MPI_BYTE, st.MPI_SOURCE, st.MPI_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        struct result_head h;
        memcpy(&h, buf, sizeof h);
        struct mdl_scenario *ps = NULL;
        if (err->code) {
            /* draining after an error: results are dropped */
        } else if (h.status) {
            sim_err_set(err, (int)h.status, "plan %llu does not build on rank %d", (unsigned long long)h.plan,
                        st.MPI_SOURCE);
        } else if (!mdl_plans_grid_build(grid, h.plan, &ps, err)) {
            struct mdl_run_pools *pools = mdl_run_pools_create(ps, reps);
            size_t each = sim_qhist_export_len(pools->h[0]), npooled = pools->m * pools->ndepts * each;
            uint64_t nvalues = summarise ? 0 : (uint64_t)reps * mdl_run_stride(ps);
            uint64_t ntallies = summarise ? mdl_run_count(ps) : 0;
            if (h.nvalues != nvalues || h.ntallies != ntallies || h.npooled != npooled ||
                (size_t)bytes != result_bytes(&h)) {
                sim_err_set(err, SIM_EINTERNAL, "rank %d sent %d bytes for plan %llu: is it the same cxsim?",
                            st.MPI_SOURCE, bytes, (unsigned long long)h.plan);
            } else {
                /* the message is one malloc'd block: its parts are aligned as the head is */
                const unsigned char *at = buf + sizeof h;
                const double *values = h.nvalues ? (const double *)(const void *)at : NULL;
                at += h.nvalues * sizeof(double);
                const struct sim_ratio_tally *tallies = h.ntallies ? (const void *)at : NULL;
                at += h.ntallies * sizeof(struct sim_ratio_tally);
                const double *pooled = (const double *)(const void *)at;
                for (size_t i = 0; i < pools->m * pools->ndepts; i++)
                    sim_qhist_pool_exported(pools->h[i], pooled + i * each);
                struct mdl_sweep_result res = {h.plan, ps, reps, values, tallies,
                                              {.events = h.events, .customers = h.customers, .overloaded = h.overloaded,
                                               .over_events = h.over_events},
                                              pools};
                done(ctx, &res, err);
            }
            mdl_run_pools_destroy(pools);
        }
        mdl_scenario_destroy(ps);
        free(buf);
    }
}

/* A rank other than 0: asks for plans, runs them, sends their results. */
static void work(const struct mdl_plans *grid, uint64_t seed, unsigned reps, bool summarise, int jobs)
{
    for (;;) {
        MPI_Send(NULL, 0, MPI_BYTE, 0, TAG_READY, MPI_COMM_WORLD);
        uint64_t plans[BATCH];
        MPI_Status st;
        MPI_Recv(plans, BATCH, MPI_UINT64_T, 0, TAG_WORK, MPI_COMM_WORLD, &st);
        int n = 0;
        MPI_Get_count(&st, MPI_UINT64_T, &n);
        if (n == 0)
            return;
        for (int i = 0; i < n; i++) {
            struct result_head h = {.plan = plans[i]};
            struct sim_err e;
            sim_err_init(&e);
            struct mdl_scenario *ps = NULL;
            unsigned char *buf;
            if (mdl_plans_grid_build(grid, plans[i], &ps, &e) == SIM_OK)
                mdl_warmup_choose(ps, seed);
            if (e.code) {
                h.status = (uint32_t)e.code;
                buf = sim_xmalloc(sizeof h);
            } else {
                struct mdl_run_totals totals;
                struct mdl_run_pools *pools = mdl_run_pools_create(ps, reps);
                size_t each = sim_qhist_export_len(pools->h[0]);
                h.nvalues = summarise ? 0 : (uint64_t)reps * mdl_run_stride(ps);
                h.ntallies = summarise ? mdl_run_count(ps) : 0;
                h.npooled = pools->m * pools->ndepts * each;
                buf = sim_xmalloc(result_bytes(&h));
                unsigned char *at = buf + sizeof h;
                double *values = (double *)(void *)at;
                struct sim_ratio_tally *tallies = (void *)(at + h.nvalues * sizeof(double));
                double *pooled = (double *)(void *)(at + h.nvalues * sizeof(double) +
                                                   h.ntallies * sizeof(struct sim_ratio_tally));
                if (summarise) {
                    for (size_t k = 0; k < h.ntallies; k++)
                        sim_ratio_tally_init(&tallies[k]);
                    mdl_run_tallies(ps, seed, reps, jobs, tallies, &totals, pools);
                } else {
                    mdl_run_reps(ps, seed, reps, jobs, values, &totals, pools);
                }
                for (size_t k = 0; k < pools->m * pools->ndepts; k++)
                    sim_qhist_export(pools->h[k], pooled + k * each);
                mdl_run_pools_destroy(pools);
                h.events = totals.events;
                h.customers = totals.customers;
                h.overloaded = totals.overloaded;
                h.over_events = totals.over_events;
            }
            memcpy(buf, &h, sizeof h);
            MPI_Send(buf, (int)result_bytes(&h), MPI_BYTE, 0, TAG_RESULT, MPI_COMM_WORLD);
            free(buf);
            mdl_scenario_destroy(ps);
        }
    }
}

int cli_mpi_run(const struct mdl_plans *grid, const uint64_t *pending, size_t npending, uint64_t seed,
                unsigned reps, const struct mdl_sweep_shape *shape, mdl_sweep_done_fn done, void *ctx,
                struct sim_err *err)
{
    if (cli_mpi_size() == 1)
        return mdl_sweep_run(grid, pending, npending, seed, reps, shape, done, ctx, err);
    /* every rank keeps values, or summarises, alike: by the replications
     * alone (a rank's memory budget does not change what the database holds) */
    bool summarise = reps > CLI_RESULTS_KEEP_MAX;
    /* a plan's kept values travel as one message, whose size MPI counts in an int */
    struct mdl_scenario *first = NULL;
    if (cli_mpi_rank() == 0 && !err->code && npending && !summarise &&
        !mdl_plans_grid_build(grid, pending[0], &first, err) &&
        (double)reps * (double)mdl_run_stride(first) * 8 > INT_MAX / 2)
        sim_err_set(err, SIM_EUSAGE, "--reps %u is too many to send between MPI ranks: at most %zu for this "
                    "scenario", reps, (size_t)(INT_MAX / 2 / 8 / mdl_run_stride(first)));
    mdl_scenario_destroy(first);
    if (cli_mpi_agree(err))
        return err->code;
    if (cli_mpi_rank() == 0)
        coordinate(grid, pending, npending, reps, summarise, done, ctx, err);
    else
        work(grid, seed, reps, summarise, shape->threads);
    return cli_mpi_agree(err);
}
