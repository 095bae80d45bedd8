/* output/optstore.h — the plans cxsim optimise has evaluated, kept in
 * SQLite, so that an optimisation stopped at any moment (Ctrl-C, kill -9,
 * a full disk) starts again where it stopped: an evaluation found there
 * is read back instead of simulated, and the answer is the same, bit for
 * bit, since every evaluation is a function of the plan and the seed.
 *
 * A row is one evaluation, written in its own transaction: whole or
 * absent. Its key is the optimisation's identity (the cxsim version, the
 * scenario's SHA-256, its --set overrides, the seed, the days per
 * evaluation) and then the plan as the optimiser writes it (its
 * overrides, and how many days' figures it keeps), so one file may serve
 * several optimisations of a scenario — another seed, other overrides —
 * each reading back only its own. Its value is the evaluation's numbers, a
 * blob of doubles whose count the caller knows: any other length is
 * damage, as is a row whose bytes no longer match the checksum kept
 * beside them.
 *
 * Errors, as the sweep database's (output/sweepdb.h): 73 when the file
 * cannot be created or is not a regular file or is read-only or is not a
 * store; 74 when a write fails; 65 when it
 * is damaged (SQLite's quick_check on opening, every row's length and
 * checksum checked when read).
 * Messages name the file. Nothing here knows the model.
 */
#ifndef OUT_OPTSTORE_H
#define OUT_OPTSTORE_H

#include "sim/err.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct out_optstore;

/* What an optimisation is: every field is part of its identity. */
struct out_optstore_meta {
    const char *cxsim_version;
    const char *scenario_sha256;
    const char *overrides;          /* the --set overrides, one per line ("" for none) */
    uint64_t seed;
    unsigned days;                  /* per evaluation */
};

/* Opens the store at path, creating it when absent, for the optimisation m. */
int out_optstore_open(const char *path, const struct out_optstore_meta *m, struct out_optstore **out,
                      struct sim_err *err);
/* Closes st (NULL: nothing); a failure to complete it is a write error. */
int out_optstore_close(struct out_optstore *st, struct sim_err *err);

/* The evaluation under key: *found, and its n numbers in v, when held. */
int out_optstore_get(struct out_optstore *st, const char *key, double *v, size_t n, bool *found,
                     struct sim_err *err);
/* Keeps n numbers under key (one transaction). */
int out_optstore_put(struct out_optstore *st, const char *key, const double *v, size_t n, struct sim_err *err);

/* Evaluations read back, and held, since it was opened. */
size_t out_optstore_hits(const struct out_optstore *st);

#endif
