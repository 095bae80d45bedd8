/* sim/cli/mpi.h — cxsim sweep and optimise across the ranks of an MPI job
 * (make MPI=1).
 *
 * A sweep is handed out plan by plan (below). An optimisation is one
 * program on every rank: each rank runs the same search, and every batch
 * of replications is shared among the ranks and gathered back to all
 * (cli_mpi_spread_begin), so every rank takes the same decisions from
 * the same numbers; rank 0 alone reads and writes the store, prints and
 * writes the report.
 *
 * Rank 0 owns the sweep database: it opens or resumes it, checks every plan
 * still to run, and hands out plan numbers in small batches to the other
 * ranks as they ask; each rank simulates its plans (OpenMP threads over the
 * replications) and sends back every replication's metric vector, which
 * rank 0 summarises and commits, one transaction per plan, as the single
 * process does. So the database is the same, row for row, whatever the
 * number of ranks, and a job killed midway resumes like any sweep. Only the
 * main thread of a rank calls MPI (MPI_THREAD_FUNNELED). Ranks must run the
 * same binary on machines with the same byte order (a cluster).
 *
 * Built only with make MPI=1; sim/cli/main.c initialises MPI and lets rank 0
 * alone print and run the other commands. Rank 0 alone prints an error, once,
 * last, and alone exits with its code (the others exit 0): Open MPI's
 * mpirun then names rank 0 in the note it prints after it (docs/sweep.md).
 */
#ifndef CLI_MPI_H
#define CLI_MPI_H

#include "sim/err.h"

#include <stdbool.h>

#include <stddef.h>
#include <stdint.h>

/* By name only (models/plans.h, models/sweep.h define them). */
struct mdl_plans;
struct mdl_sweep_result;
struct mdl_sweep_shape;

/* MPI_Init_thread at program start; MPI_Finalize before exit. */
void cli_mpi_init(int *argc, char ***argv);
void cli_mpi_finalize(void);
int cli_mpi_rank(void);
int cli_mpi_size(void);

/* Every rank calls this first, with its command word (argv[1], "" when
 * none): when a rank's differs from rank 0's, every rank gets a usage error,
 * rank 0 the message naming the first such rank (so no rank waits for
 * ever in a sweep the others do not run). */
int cli_mpi_start(const char *word, struct sim_err *err);

/* Every rank calls this last, with its error (SIM_OK if none): rank 0
 * learns every rank's, and keeps its own or else takes the first other
 * rank's ("rank 2 failed: ..."), so no error goes unsaid. Returns the code
 * the rank exits with: rank 0's error's on rank 0, SIM_OK on the others. */
int cli_mpi_end(struct sim_err *err);

/* What a rank brings to the agreement before a sweep or an optimisation:
 * its error, or the work it would do. The message is the error as one line ("FILE:LINE:COL:
 * MESSAGE"); code CLI_MPI_HELP says the rank was asked for --help. */
#define CLI_MPI_HELP (-1)
struct cli_mpi_terms {
    int32_t code;                /* SIM_OK: this rank can run it */
    char command[16];            /* "sweep", "optimisation": what it runs, for the messages */
    uint32_t replications;
    uint64_t seed;
    uint64_t nplans;             /* a sweep's plans; an optimisation's check days */
    char scenario_sha256[65];    /* of the scenario file's bytes */
    char plan_sha256[65];        /* of the cxsim version, the --set overrides and the grid
                                    (sweep), or every argument (optimise) */
    char msg[800];
};

/* Terms with nothing but what err says: its code (or CLI_MPI_HELP when
 * help), command, and its message as one line; the caller adds the rest. */
void cli_mpi_terms_init(struct cli_mpi_terms *t, const char *command, bool help, const struct sim_err *err);
/* digest[0..n) as lowercase hex into out (2 n + 1 bytes). */
void cli_mpi_hex(const unsigned char *digest, size_t n, char *out);

/* Every rank calls this exactly once before rank 0 opens the sweep's
 * database, whatever happened to it before (a rank that failed to read its
 * scenario joins with its error): the ranks gather each other's terms, and
 * go on only when every rank can run the sweep and all run the same one.
 * Otherwise every rank gets the same error code; rank 0 alone gets the
 * message, naming the first rank at fault and how it differs (its own error
 * first). Returns SIM_OK on every rank when all may go on (also when all
 * were asked for --help). Never waits on a rank that has left: no rank can
 * leave before it. */
int cli_mpi_join(const struct cli_mpi_terms *mine, struct sim_err *err);

/* Every rank learns rank 0's error code (SIM_OK to go on); a rank other
 * than 0 takes it as its own, without a message (rank 0 prints it). */
int cli_mpi_agree(struct sim_err *err);

/* Every rank learns whether any rank has an error (err): all then take the
 * first failing rank's code, rank 0 its message (naming the rank when it
 * is not rank 0). For what each rank decides alone (its memory budget). */
int cli_mpi_any(struct sim_err *err);

/* Rank 0's bytes buf[0..len) to every rank. */
void cli_mpi_bcast(void *buf, size_t len);

/* From begin to end, every run of replications (models/run.h) is spread
 * over the ranks: every rank must make the same calls (one program). */
void cli_mpi_spread_begin(void);
void cli_mpi_spread_end(void);

/* Runs plans pending[0..npending) of grid (given on rank 0; the others
 * receive them) with master seed `seed` and reps replications: the ranks
 * other than 0 simulate them on shape->threads threads each, rank 0 calls
 * done for each plan as its results arrive (in whatever order): every
 * replication's values, or past CLI_RESULTS_KEEP_MAX replications their
 * tallies (every rank alike). With one rank, rank 0 runs them itself, as
 * shape says. Returns rank 0's error on every rank. */
int cli_mpi_run(const struct mdl_plans *grid, const uint64_t *pending, size_t npending, uint64_t seed,
                unsigned reps, const struct mdl_sweep_shape *shape,
                int (*done)(void *ctx, const struct mdl_sweep_result *r, struct sim_err *err), void *ctx,
                struct sim_err *err);

#endif
