/* output/report.h — results as writers see them: plain data, no behaviour.
 *
 * A report holds plans (the baseline first); a plan holds scopes (a
 * department, a class, all external or all internal journeys, the cost);
 * a scope holds metrics, each summarised over replications as spec §3's
 * {mean, ci_low, ci_high, sd, n}, with the value of every replication kept
 * beside it. In a comparison, every metric of a plan after the baseline
 * also carries its paired difference from the baseline. A manifest says
 * how the numbers were made, so they can be audited and made again. The
 * program (sim/cli/results.c) fills it; output/ only reads it.
 *
 * Metric names may hold dots ("hour.09:00.arrivals"): a writer that nests
 * (JSON) nests them, and CSV and JSON write every metric by its name. The
 * figures a writer arranges by hour or by cause are also typed: a
 * department's hours and a journey's drops point at those metrics, so no
 * writer takes a name apart to find them. (Plans read back from a sweep
 * database carry names only: its writers need no hours.)
 */
#ifndef OUT_REPORT_H
#define OUT_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct out_stat {
    double mean, ci_low, ci_high, sd;   /* NaN when not measured */
    size_t n;                           /* replications that measured it */
};

struct out_metric {
    const char *name;                   /* spec §3's name */
    const char *unit;                   /* "min", "share", "customers", ... */
    struct out_stat stat;               /* the estimate over all replications (spec §3) */
    const double *values;               /* each replication's own figure (its day's share,
                                           mean or quantile; NaN: not measured), or NULL */
    const struct out_stat *diff;        /* compare: the paired difference from the
                                           baseline's same metric, or NULL */
    /* What pairing it with another plan's metric needs; writers need none of
     * it. A ratio of totals (a share, a mean per customer) keeps each
     * replication's denominator (its numerator is value x weight); a pooled
     * quantile, the estimate of each section of replications. */
    const double *weights;              /* ratios: [replications], or NULL */
    size_t nsections;
    const double *sections;             /* quantiles: [nsections], or NULL */
};

enum out_scope_kind { OUT_DEPARTMENT, OUT_CLASS, OUT_JOURNEY, OUT_COST, OUT_POOL };

/* A department's figures for one hour of a day (or one interval of
 * day.interval minutes) on the clock, the first and the last cut at opening
 * and closing, then one bin for after closing. */
struct out_hour {
    double from_at, to_at;              /* minutes after midnight; NaN: after closing */
    const struct out_metric *arrivals, *wait_mean, *drops, *staff, *queue_mean;
    const struct out_metric *service_level, *busy;   /* of those arriving in it; mean in service */
};

/* Why a customer was lost (spec §3): balked, blocked (a full queue),
 * reneged (gave up waiting), closed (sent home at closing). */
enum out_drop_cause { OUT_DROP_BALKED, OUT_DROP_BLOCKED, OUT_DROP_RENEGED, OUT_DROP_CLOSED, OUT_DROP_CAUSES };

/* Customers of a class (or all external or internal journeys) lost at one
 * department for one cause. */
struct out_drop {
    const char *dept;
    enum out_drop_cause cause;
    const struct out_metric *metric;
};

struct out_scope {
    enum out_scope_kind kind;
    const char *name;                   /* department or class name; "external",
                                           "internal" for journeys; "plan" for cost; a
                                           pool's name */
    bool internal;                      /* classes: internal customers */
    double target_wait, service_target; /* departments: the service-level goal (else NaN) */
    size_t nmetrics;
    struct out_metric *metrics;
    unsigned overloaded;                /* departments: replications stopped with this
                                           department overloaded */
    size_t nhours;                      /* departments of day runs: hour by hour */
    const struct out_hour *hours;
    size_t ndrops;                      /* classes and journeys: lost, by department and cause */
    const struct out_drop *drops;
};

/* A goal's verdict (spec §2c): met when the metric's whole 95% interval is
 * on the right side of the target, missed when it is all on the wrong
 * side, too close to call otherwise. In this order: better first. */
enum out_verdict { OUT_MET, OUT_TOO_CLOSE, OUT_MISSED };

/* One goal of a plan: a department's service level at least its
 * service_target, a class's dropout_rate at most its max_dropout. */
struct out_goal {
    enum out_scope_kind kind;           /* OUT_DEPARTMENT or OUT_CLASS */
    const char *scope;                  /* its name */
    const char *metric;                 /* "service_level", "dropout_rate" */
    double target;
    bool at_least;                      /* met at or above the target (else at or below) */
    const struct out_stat *stat;        /* the metric's estimate */
    enum out_verdict verdict;
    double more_replications;           /* too close: replications more that would likely
                                           settle it (the interval shrinks as 1/sqrt(n));
                                           0 when decided; INFINITY when the estimate sits
                                           on the target */
};

/* A value a sweep gives a plan: the axis's path and the value, as YAML. */
struct out_param {
    const char *path, *value;
};

/* Whether a swept value's text is a plain finite number (not hex, not
 * inf, no leading space): its value in *x. CSV and JSON write it as one. */
bool out_param_number(const char *value, double *x);

struct out_plan {
    const char *name;
    size_t nscopes;
    struct out_scope *scopes;
    unsigned overloaded;                /* replications stopped as overloaded */
    size_t nparams;                     /* a sweep's plan: the values that make it */
    const struct out_param *params;
    size_t ngoals;                      /* its goals, departments then classes */
    const struct out_goal *goals;
    unsigned over_events;               /* of the overloaded, those stopped at their work
                                           bound (max_events: more events than arrivals
                                           and routes lead one to expect) */
};

struct out_manifest {
    const char *version;                /* cxsim's */
    const char *scenario_sha256;        /* of the scenario text, 64 hex digits */
    const char *command_line;           /* as typed, shell-quoted where needed */
    const char *started_at;             /* ISO 8601, UTC */
};

/* --reps auto: the replications were chosen in rounds until every goal was
 * decided and every goal metric's interval was at most +/- precision. */
struct out_auto_reps {
    bool on;
    unsigned rounds;                    /* rounds run; the last one is reported */
    bool capped;                        /* stopped at the most allowed, goals unsettled */
    double precision;
};

struct out_report {
    const char *scenario;               /* the scenario's name */
    const char *source;                 /* file name, or "(built-in)" */
    bool is_day;
    double open_at, close_at;           /* day runs, minutes after midnight */
    double warmup_dur, length_dur;      /* steady-state runs */
    bool warmup_auto, warmup_at_limit;  /* the warm-up chosen by MSER-5; the waits still
                                           drifting at half the run */
    unsigned replications;
    uint64_t seed;
    size_t nplans;
    struct out_plan *plans;
    bool compared;                      /* plans after the first carry paired
                                           differences from it (cxsim compare) */
    struct out_auto_reps auto_reps;     /* --reps auto: how the replications were chosen */
    struct out_manifest manifest;       /* any field may be NULL: not known */
};

/* One plan of a sweep, for ranking: its figures and its goals' verdict. */
struct out_sweep_row {
    uint64_t plan;
    const char *name;
    const char **values;             /* [naxes], as in the axes */
    unsigned overloaded;
    enum out_verdict verdict;        /* on every goal (out_plan_verdict) */
    const char *missed, *close;      /* the scopes of the goals missed, too close to call */
    struct out_stat total;           /* total_cost */
    double staff, lost, dropout, satisfaction;   /* means; external journeys */
    struct out_stat by;              /* the metric ranked by (--rank-by), when one is */
};

/* What a sweep's plans are ranked by within their groups (--rank-by):
 * a metric of the report, lowest first unless high. */
struct out_sweep_order {
    const char *label;               /* as given: departments.sales.wait_mean */
    const char *kind, *name, *metric;   /* as stored: department, sales, wait_mean (cost: plan) */
    bool high;
};

struct out_sweep_ranking {
    size_t naxes;
    const char **paths;              /* the axes' paths */
    uint64_t nplans;                 /* in the grid */
    size_t nrows;                    /* plans held, ranked: those surely meeting every
                                        goal first, then those too close to call, then
                                        the others; cheapest first within each, or by
                                        `by` when given */
    struct out_sweep_row *rows;
    const struct out_sweep_order *by;   /* NULL: total cost, lowest first */
    const char *by_unit;             /* the unit of by's metric, as stored ("" when unknown) */
};

/* Writes a time of day (minutes after midnight, rounded to the minute) as
 * "HH:MM" into buf and returns buf. */
const char *out_clock(char *buf, size_t len, double minutes);

/* m's mean: NaN when m is NULL or not measured. */
double out_metric_mean(const struct out_metric *m);

/* The metric called name in scope sc, or NULL (also when sc is NULL: a
 * scope the plan lacks, such as a department only a variant adds). */
const struct out_metric *out_report_metric(const struct out_scope *sc, const char *name);

/* The scope of plan p of this kind and name (any name when name is NULL),
 * or NULL. */
const struct out_scope *out_report_scope(const struct out_plan *p, enum out_scope_kind kind, const char *name);

/* The metric of scope sc counting customers lost at department dept for
 * cause, or NULL. */
const struct out_metric *out_scope_drop(const struct out_scope *sc, const char *dept, enum out_drop_cause cause);

/* The word for a cause as metric names hold it: balked, blocked, reneged,
 * closed. */
const char *out_drop_cause_name(enum out_drop_cause cause);

/* The word for a scope kind (department, class, journey, cost), and back:
 * false for a word that is none. */
const char *out_scope_kind_name(enum out_scope_kind kind);
bool out_scope_kind_parse(const char *word, enum out_scope_kind *kind);

/* The verdict of a goal whose metric is estimated as st against target
 * (at_least: met at or above it), and the replications more that would
 * likely settle it when too close to call (*more; 0 otherwise). */
enum out_verdict out_goal_judge(const struct out_stat *st, double target, bool at_least, double *more);

/* "met", "missed", "too close to call". */
const char *out_verdict_name(enum out_verdict v);

/* The verdict of plan p on all its goals (met: every goal met; missed: one
 * or more missed; too close to call otherwise) with how many goals are met,
 * too close and missed (any pointer may be NULL), and the scopes of those
 * missed and of those too close joined by ", " into missed and close (of
 * capacity len each; either may be NULL). */
enum out_verdict out_plan_verdict(const struct out_plan *p, size_t counts[3], char *missed, char *close,
                                  size_t len);

/* What a paired difference says: not measured; zero in every replication;
 * an interval that holds zero (or a single replication: no interval); a
 * clear rise or fall (the whole interval above or below zero). */
enum out_change { OUT_UNMEASURED, OUT_SAME, OUT_UNCLEAR, OUT_UP, OUT_DOWN };
enum out_change out_diff_change(const struct out_stat *d);

#endif
