/* models/fit.h — a scenario's inputs estimated from a log of visits
 * (cxsim fit; the method and its references: docs/fit.md).
 *
 * From the rows of models/vlog.h it estimates, each with its interval:
 *   - arrivals per class: a piecewise-constant rate per interval of the day
 *     (a journey arrives at its first visit), averaged over the days of
 *     the log, with an exact Poisson interval and the index of dispersion
 *     of the daily counts (Poisson-like or not); by weekday when asked and
 *     the weekdays differ;
 *   - where journeys enter, and routing: from each served visit to the
 *     journey's next department, or out;
 *   - service times per department (and per class where a class differs),
 *     by maximum likelihood among the scenario language's families, chosen
 *     by AIC, with a goodness-of-fit p-value by parametric bootstrap, and
 *     `empirical` when nothing fits;
 *   - handoffs: the gap between a served visit's end and the next visit's
 *     arrival, fitted alike;
 *   - patience per class: waits of those who reneged are events, those of
 *     the served are right-censored (Kaplan-Meier, and a censored fit);
 *   - staff on duty per department and interval: from the staff column
 *     (the people seen serving), else the most services seen at once — an
 *     estimate, a lower bound, said so.
 * Invariant: a result's every rate, probability and fit comes with the
 * number of observations behind it; a figure with none is absent, never
 * a guess. It writes nothing: models/fit_write.c turns a result into
 * scenario text.
 */
#ifndef MDL_FIT_H
#define MDL_FIT_H

#include "models/vlog.h"
#include "sim/err.h"
#include "sim/fit.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct mdl_fit_config {
    double interval;         /* minutes of each arrival and staff interval, 5 to 1440 (60) */
    bool by_weekday;         /* test the weekdays' arrivals apart, and give each its rates when they differ */
    unsigned bootstrap;      /* samples of each goodness-of-fit test (199) */
    uint64_t seed;           /* of the bootstrap */
};

/* A duration fitted: the families that fit, best (least AIC) first. */
#define MDL_FIT_QUANTILES 50
struct mdl_fit_duration {
    size_t n;                          /* values (0: nothing to fit) */
    size_t nfits;
    struct sim_fit fits[SIM_FIT_FAMILIES];
    double gof_p, ks_d;                /* of fits[0]: parametric-bootstrap p-value, KS distance */
    bool empirical;                    /* no family fits (p < 0.01): written as empirical */
    bool constant;                     /* every value the same (to a second): constant */
    bool uniform;                      /* uniform(min, max) has the least AIC: written as uniform */
    double umin, umax, uniform_aic;    /* its MLE: the least and the most value; its AIC */
    double quantiles[MDL_FIT_QUANTILES];   /* values at probabilities (k + 0.5) / 50 */
    double mean, mean_lo, mean_hi;     /* the sample's mean and its 95% t interval */
};

struct mdl_fit_class {
    const char *name;                  /* the log's (or "customer" without a class column) */
    size_t journeys, visits;
    double *rate, *rate_lo, *rate_hi;  /* [nbins] arrivals an hour, exact Poisson 95% interval */
    double *dispersion, *dispersion_p; /* [nbins] variance/mean of the daily counts, and the chi-square
                                          upper-tail p-value (NaN: too few days or no arrivals) */
    size_t overdispersed;              /* intervals with dispersion_p < 0.01 */
    size_t *enter;                     /* [ndepts] journeys that began there */
    size_t *route;                     /* [ndepts * (ndepts + 1)] served visits at d followed by e (e ==
                                          ndepts: the journey's end) */
    size_t reneged, balked, blocked;   /* visits */
    size_t unfinished;                 /* visits with no end: left out of every duration */
    struct mdl_fit_duration patience;  /* censored: waits until leaving, the served censored */
    size_t patience_events;            /* reneges behind it */
    double km_median, km_lo, km_hi;    /* Kaplan-Meier median patience, 95% interval (NaN: not reached) */
    /* by weekday (when by_weekday and they differ): rate[w * nbins + b], w 0 Monday .. 6 */
    double *weekday_rate;
};

struct mdl_fit_dept {
    const char *name;
    size_t visits, served;
    double first_at, last_at;          /* the earliest and the latest arrival there, minutes */
    struct mdl_fit_duration service;   /* the services of the classes without their own; when every
                                          class has its own, default_class's */
    size_t default_class;              /* SIZE_MAX, or the class whose fit the default repeats */
    struct mdl_fit_duration *by_class; /* [nclasses]: where a class's services differ (n > 0), else n == 0 */
    long *staff;                       /* [nbins] people on duty, estimated */
    bool staff_named;                  /* from the staff column (else services at once) */
    double wait_mean;                  /* of the served */
};

/* The name a scenario can give what the log calls `name`: letters,
 * digits, _ and - kept, every run of other characters one _, a letter
 * first (else "x_" before it), at most 40 characters, never "exit" or
 * "default" (an _ after them); into out (at least 48 bytes). */
void mdl_fit_scenario_name(const char *name, char *out, size_t len);

struct mdl_fit {
    const struct mdl_vlog *log;
    char **dept_names, **class_names;  /* the scenario's names for the log's (mdl_fit_scenario_name,
                                          made distinct with _2, _3 ...); owned */
    size_t ndays;                      /* days with visits */
    size_t nbins;
    double interval;
    double open_at, close_at;          /* the day: the intervals with arrivals, first to last */
    size_t ndepts, nclasses;
    struct mdl_fit_dept *depts;
    struct mdl_fit_class *classes;
    struct mdl_fit_duration handoff;   /* all gaps between visits */
    size_t npairs;                     /* handoffs FROM->TO that differ from the rest (Welch p < 0.01) */
    struct mdl_fit_pair {
        size_t from, to;
        struct mdl_fit_duration d;
    } *pairs;
    size_t handoff_zero;               /* gaps of zero (taken as half a second) */
    size_t ndays_by_weekday[7];
    bool weekdays_differ;              /* by_weekday, and the weekdays' daily totals differ (p < 0.01) */
    double weekday_p;                  /* that test's p-value (NaN: not made) */
    bool by_weekday_asked;             /* the test was asked for (--by-weekday) */
    bool weekday_class_differs[64];    /* ... for which class (up to 64) */
};

/* Estimates everything above from a log read day by day (models/vlog.h:
 * memory for one day's rows, a few numbers a day, and each duration's
 * sample of at most 100,000 values, a uniform sample of them all). Fails
 * with the reader's error (a bad line: 65), or 65 when the log cannot make
 * a scenario (more departments or classes than a scenario may have). The
 * fit refers to the reader's names: close the reader after destroying it. */
int mdl_fit_stream(struct mdl_vlog_reader *rd, const struct mdl_fit_config *cfg, struct mdl_fit **out,
                   struct sim_err *err);
/* The same from a log in memory (its rows taken day by day). */
int mdl_fit_log(const struct mdl_vlog *log, const struct mdl_fit_config *cfg, struct mdl_fit **out,
                struct sim_err *err);
void mdl_fit_destroy(struct mdl_fit *fit);

/* The scenario text of a fit (models/fit_write.c): a commented YAML
 * scenario, every fitted value with its interval and the observations
 * behind it in a comment, warnings where the log's figures do not fit the
 * model's assumptions. log_name is said in its header; malloc'd, *len its
 * bytes. */
char *mdl_fit_write(const struct mdl_fit *fit, const char *log_name, size_t *len);

/* The warnings the text carries (a dispersion not Poisson-like, a
 * distribution nothing fits, staff estimated from services), one per
 * line, for the program to print; malloc'd ("" when none). */
char *mdl_fit_warnings(const struct mdl_fit *fit);

#endif
