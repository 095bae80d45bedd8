/* output/sweepdb.h — the sweep database: every plan of a sweep in SQLite.
 *
 * One database holds one sweep, named by its identity: the cxsim version,
 * the scenario's SHA-256, its --set overrides, the grid, the seed and the
 * replications. Opening an existing database checks that identity, so a
 * sweep started again continues where it stopped and never mixes results of
 * another. Each plan is written in one transaction (its parameters, its
 * scopes, and every metric's summary with the replications' values), so a
 * process killed at any moment, even by SIGKILL, leaves every plan either
 * whole or absent: nothing lost, nothing duplicated. The database runs in
 * WAL mode: readers (sqlite3, a notebook) may query it while a sweep writes.
 *
 * Tables (docs/sweep.md has every column): meta, axes, plans, plan_values,
 * scopes, metrics, results, and the view summary, which reads like the CSV
 * report. Reading back gives the plain structs of output/report.h, so every
 * writer can export a sweep.
 *
 * Errors: 73 when the file cannot be created or opened, is not a regular
 * file, is read-only, is not a cxsim sweep database, or holds another
 * sweep; 74 when a write fails (a full disk); 65 when it is damaged:
 * SQLite's integrity_check runs whenever an existing database is opened, and
 * every value read back is checked and bounded (sweepdb_check.c), so a
 * damaged or crafted database is an error, never a partial report.
 * Messages name the file.
 */
#ifndef OUT_SWEEPDB_H
#define OUT_SWEEPDB_H

#include "output/report.h"
#include "sim/err.h"
#include "sim/mem.h"

#include <stdbool.h>
#include <stdint.h>

struct out_sweepdb;

struct out_sweep_axis {
    const char *path;                /* departments.credit.staff */
    size_t nvalues;
    const char *const *values;       /* each as flow YAML: 3, [{at: "09:00", count: 2}] */
};

/* What a sweep is; the fields marked * are its identity. */
struct out_sweep_meta {
    const char *cxsim_version;       /* * */
    const char *scenario_sha256;     /* * of the scenario file's bytes */
    const char *overrides;           /* * the --set overrides, one per line ("" for none) */
    uint64_t seed;                   /* * */
    unsigned replications;           /* * */
    size_t naxes;                    /* * the grid */
    const struct out_sweep_axis *axes;
    uint64_t nplans;                 /* the grid's size */
    const char *scenario;            /* its name */
    const char *scenario_file;
    const char *scenario_text;       /* the file's text, kept to rerun the sweep */
    size_t scenario_len;
    const char *command_line, *created_at;
};

/* Opens the sweep database at path, creating it when absent. An existing
 * one must hold the sweep m describes (else 73, saying what differs). */
int out_sweepdb_open(const char *path, const struct out_sweep_meta *m, struct out_sweepdb **out, struct sim_err *err);
/* Opens an existing database to read it (merge). */
int out_sweepdb_open_existing(const char *path, struct out_sweepdb **out, struct sim_err *err);
/* Closes db (NULL is a no-op); a failure to complete it is a write error. */
int out_sweepdb_close(struct out_sweepdb *db, struct sim_err *err);

/* True when path names the database's file, or one SQLite keeps beside it
 * (-wal, -shm, -journal), whatever the name: the same device and inode. */
bool out_sweepdb_is_file(const struct out_sweepdb *db, const char *path);

/* The number of plans in the grid, and of plans the database holds. */
uint64_t out_sweepdb_nplans(const struct out_sweepdb *db);
int out_sweepdb_count(struct out_sweepdb *db, uint64_t *done, struct sim_err *err);
/* Sets bit p of done (nbits bits, zeroed by the caller; the grid's nplans)
 * for every plan p the database holds. A plan numbered outside the grid,
 * or past nbits, is damage (65): no bit is ever set beyond done. */
int out_sweepdb_done(struct out_sweepdb *db, uint64_t *done, uint64_t nbits, struct sim_err *err);

/* Writes plan p in one transaction: its grid values (value_idx[a] on axis
 * a), its results (every metric of plan, with its reps values) and its
 * totals. A plan already there (another process wrote it) is left as it
 * is. */
int out_sweepdb_write(struct out_sweepdb *db, uint64_t p, const size_t *value_idx, const struct out_plan *plan,
                      unsigned reps, uint64_t events, uint64_t customers, struct sim_err *err);
/* How many plans out_sweepdb_write on db found already written by another
 * process (a second sweep into the same database): run here, kept there. */
uint64_t out_sweepdb_found(const struct out_sweepdb *db);

/* Calls fn for every plan the database holds, in plan order, with the plan
 * read back whole (its strings and arrays in arena, reset after each call)
 * and its number. Stops at fn's first error. */
typedef int (*out_sweepdb_plan_fn)(void *ctx, uint64_t p, const struct out_plan *plan, struct sim_err *err);
int out_sweepdb_each(struct out_sweepdb *db, out_sweepdb_plan_fn fn, void *ctx, struct sim_err *err);

/* Reads every plan the database holds as a report would, checking each:
 * SIM_OK, or the damage found (65). What a report that reads only some of
 * each plan (the ranking) runs first, so that no damaged database gives
 * one. */
int out_sweepdb_verify(struct out_sweepdb *db, struct sim_err *err);

/* Reads the ranking of every plan held (strings and arrays in arena):
 * within each group by total cost, or by the metric of by (NULL: cost),
 * plans that did not measure it last. */
int out_sweepdb_rank(struct out_sweepdb *db, const struct out_sweep_order *by, struct sim_arena *arena,
                     struct out_sweep_ranking *out, struct sim_err *err);

/* What a merge found. */
struct out_sweep_merge {
    uint64_t nplans;                 /* in the grid */
    uint64_t held;                   /* plans the merged database holds */
    uint64_t duplicates;             /* plans found in more than one input (kept once) */
    uint64_t first_missing[10];      /* the first plans none of the inputs holds */
    size_t nfirst;
    bool joined_out;                 /* OUT existed, not among the inputs: joined too */
    char command[4096];              /* when plans are missing: the sweep that completes OUT
                                        (its scenario file, overrides, grid, seed, replications) */
};

/* Joins the plans of the databases in[0..nin) into a new database at
 * out_path, written whole (renamed into place when complete) or not at all
 * (output/file.h: a link stays a link, a file replaced keeps its mode, a
 * device or FIFO is refused with 73). A sweep database already at out_path
 * and not among the inputs is joined too, so that none of its plans is
 * lost; a non-empty file there that is not one is refused (73). All must
 * hold the same sweep (else 65); a plan held twice must hold the same
 * results twice (else 65); an input that cannot be read is 66. The merged
 * database is a sweep database like any other: cxsim sweep with --db OUT
 * completes the plans it lacks. */
int out_sweepdb_merge(const char *out_path, const char *const *in, size_t nin, struct out_sweep_merge *res,
                      struct sim_err *err);

#endif
