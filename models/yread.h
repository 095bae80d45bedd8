/* models/yread.h — reading typed values out of YAML nodes, with located
 * errors.
 *
 * Each reader checks one value (a number in a range, a whole number, a time
 * of day, a name, a distribution ...) and on refusal sets a SIM_EDATA error
 * located at the node, worded with `what` — the value's place in the
 * business, such as "capacity of reception" — so that every message reads
 * the same way: "capacity of reception must be a whole number from 0 to
 * 1000000, got -3". Readers return SIM_OK or the error's code. A node made
 * by a relative change (ydoc.h's rel) adds what the change did to every
 * error located at it, and a whole number it made by *= is rounded.
 */
#ifndef MDL_YREAD_H
#define MDL_YREAD_H

#include "models/ydoc.h"
#include "sim/dist.h"

#include <stdbool.h>
#include <stdint.h>

struct mdl_yread {
    const struct mdl_ydoc *doc;
    struct sim_err *err;
};

/* Sets a SIM_EDATA error located at n (printf format). Returns SIM_EDATA. */
int mdl_yread_fail(struct mdl_yread *r, const struct mdl_ynode *n, const char *fmt, ...) SIM_PRINTF(3, 4);
/* The same, located at a key of a mapping (a pair knows its source). */
int mdl_yread_fail_key(struct mdl_yread *r, const struct mdl_ypair *key, const char *fmt, ...)
    SIM_PRINTF(3, 4);

/* Refuses n unless it is a mapping whose keys are all in allowed[0..n);
 * an unknown key gets a "did you mean". */
int mdl_yread_map(struct mdl_yread *r, const struct mdl_ynode *n, const char *what,
                  const char *const *allowed, size_t nallowed);
/* Refuses n unless it is a list. */
int mdl_yread_seq(struct mdl_yread *r, const struct mdl_ynode *n, const char *what);

/* Whether n is a number as the readers below read one (a plain scalar:
 * 3, -2.5, 1e3, 1_000, .inf, .nan), into *out. */
bool mdl_yread_is_number(const struct mdl_ynode *n, double *out);

int mdl_yread_number(struct mdl_yread *r, const struct mdl_ynode *n, const char *what, double lo,
                     double hi, double *out);
int mdl_yread_whole(struct mdl_yread *r, const struct mdl_ynode *n, const char *what, long lo, long hi,
                    long *out);
int mdl_yread_seed(struct mdl_yread *r, const struct mdl_ynode *n, const char *what, uint64_t *out);
int mdl_yread_text(struct mdl_yread *r, const struct mdl_ynode *n, const char *what, const char **out);
/* A time of day "HH:MM" (quoted or not), as minutes after midnight. */
int mdl_yread_clock(struct mdl_yread *r, const struct mdl_ynode *n, const char *what, double *out);
/* One of choices[0..n); sets *out to its index. */
int mdl_yread_choice(struct mdl_yread *r, const struct mdl_ynode *n, const char *what,
                     const char *const *choices, size_t nchoices, int *out);
/* A distribution {dist: NAME, PARAM: VALUE ...}, built into *out. */
int mdl_yread_dist(struct mdl_yread *r, const struct mdl_ynode *n, const char *what,
                   struct sim_dist *out);
/* The same, of an offset: times that may be negative (sim_dist_init_offset). */
int mdl_yread_offset(struct mdl_yread *r, const struct mdl_ynode *n, const char *what,
                     struct sim_dist *out);

/* A name for a department or class: a letter, then letters, digits, _ or -. */
int mdl_yread_check_name(struct mdl_yread *r, const struct mdl_ypair *key, const char *kind);

#endif
