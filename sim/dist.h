/* sim/dist.h — probability distributions of durations, as users name them.
 *
 * Each distribution of spec §2 is built from its user-facing parameters
 * (lognormal from mean and sd, not GSL's zeta and sigma), checked here, at
 * the border, and converted once to the parameters of the GSL sampler that
 * draws it. GSL's samplers check nothing (a negative mean gives negative
 * times), so nothing reaches them unchecked.
 *
 * Invariant: a built sim_dist only ever yields finite values >= 0, and its
 * `mean` and `var` are those of the values it yields (for the normal, the
 * normal truncated at 0). The one exception is an offset (a time that may
 * be negative, such as how early a customer comes to an appointment), built
 * on purpose by sim_dist_init_offset: its values are finite, of either sign.
 * A built distribution is immutable; sampling reads it only, so
 * replications in parallel threads share one.
 *
 * The table of forms (sim_dist_forms) is the one list of names and
 * parameters: the scenario parser looks names up there, and nowhere else.
 */
#ifndef SIM_DIST_H
#define SIM_DIST_H

#include "sim/err.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <stdbool.h>
#include <stddef.h>

enum sim_dist_kind {
    SIM_DIST_CONSTANT,    /* p0 = value */
    SIM_DIST_EXPONENTIAL, /* p0 = mean */
    SIM_DIST_UNIFORM,     /* p0 = min, p1 = max */
    SIM_DIST_NORMAL,      /* p0 = mu, p1 = sigma of the normal before truncation at 0 */
    SIM_DIST_LOGNORMAL,   /* p0 = zeta, p1 = sigma (GSL's; from mean and sd) */
    SIM_DIST_GAMMA,       /* p0 = shape, p1 = scale (from mean and sd, or given) */
    SIM_DIST_ERLANG,      /* p0 = k (integer shape), p1 = scale = mean / k */
    SIM_DIST_WEIBULL,     /* p0 = shape, p1 = scale */
    SIM_DIST_TRIANGULAR,  /* p0 = min, p1 = mode, p2 = max */
    SIM_DIST_EMPIRICAL    /* values[] with weights */
};

#define SIM_DIST_MAX_PARAMS 3
/* Largest time any parameter may give, in minutes (about 19 years): larger
 * values are mistakes, and would make sums lose precision. */
#define SIM_DIST_TIME_MAX 1e7

/* One way of writing a distribution in a scenario: `dist: NAME` and the
 * named parameters. Gamma has two forms: (mean, sd) and (shape, scale). */
struct sim_dist_form {
    const char *name;
    enum sim_dist_kind kind;
    int nparams;
    const char *params[SIM_DIST_MAX_PARAMS];
    bool lists;   /* parameters are lists (empirical: values, weights) */
};

/* The table of every form, in a stable order. */
const struct sim_dist_form *sim_dist_forms(size_t *count);
/* The form called `name` whose parameter names are exactly keys[0..nkeys)
 * in any order, or NULL. For empirical, `weights` may be left out. */
const struct sim_dist_form *sim_dist_form_find(const char *name, const char *const *keys,
                                               size_t nkeys);

/* Writes what distribution `name` takes into buf, as "mean and sd, or
 * shape and scale"; returns false (buf "") when no form has that name. */
bool sim_dist_takes(const char *name, char *buf, size_t len);

struct sim_dist {
    enum sim_dist_kind kind;
    double p[SIM_DIST_MAX_PARAMS]; /* sampler parameters, per kind above */
    double mean, var;              /* of the values sampled */
    bool offset;                   /* built by sim_dist_init_offset: values may be < 0 */
    size_t n;                      /* empirical: number of values */
    double *values;                /* empirical: owned copy */
    gsl_ran_discrete_t *table;     /* empirical: owned GSL lookup table */
};

/* Builds d from form f and its parameters, in the order of f->params.
 * On failure returns SIM_EDATA with err->arg the index of the offending
 * parameter, and d needs no fini. Not for forms with lists. */
int sim_dist_init(struct sim_dist *d, const struct sim_dist_form *f, const double *params,
                  struct sim_err *err);
/* Builds an empirical distribution drawing values[i] with probability
 * weights[i] / sum(weights); weights NULL means equal weights. Copies both.
 * On failure err->arg is the index of the offending entry. */
int sim_dist_init_empirical(struct sim_dist *d, const double *values, const double *weights,
                            size_t n, struct sim_err *err);
/* An offset: a time that may be negative (early) or positive (late). Built
 * as above, except that the parameters that place the distribution
 * (constant's value, uniform's and triangular's min, mode and max, the
 * normal's mean, empirical's values) may be negative, from
 * -SIM_DIST_TIME_MAX on, and the normal is not truncated: N(0, 5) is early
 * as often as late. The forms of positive times (exponential, lognormal,
 * gamma, erlang, weibull) are built as by sim_dist_init: late only. */
int sim_dist_init_offset(struct sim_dist *d, const struct sim_dist_form *f, const double *params,
                         struct sim_err *err);
int sim_dist_init_empirical_offset(struct sim_dist *d, const double *values, const double *weights, size_t n,
                                   struct sim_err *err);
/* Frees what an empirical distribution owns; harmless on the others. */
void sim_dist_fini(struct sim_dist *d);

double sim_dist_sample(const struct sim_dist *d, gsl_rng *r);

#endif
