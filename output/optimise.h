/* output/optimise.h — the report of cxsim optimise: what was searched, the
 * head count found interval by interval against the baseline's, and the
 * check (the baseline against the staffing found on other days, a
 * comparison as cxsim compare reports it: every goal's verdict, the paired
 * saving).
 *
 * Plain data in, as every writer: the program fills struct out_optimise
 * (sim/cli/optimise.c); nothing here knows the model. Text puts the search
 * and the head counts before the check's report; JSON adds an "optimise"
 * object beside the check's "plans" (docs/output.md); HTML puts the same
 * sentences and tables before the check's comparison; CSV follows the
 * check's rows with the head counts as rows of their own
 * (optimise.staff.HH:MM, optimise.load.HH:MM, optimise.need.HH:MM,
 * optimise.roster.SHIFT).
 */
#ifndef OUT_OPTIMISE_H
#define OUT_OPTIMISE_H

#include "output/report.h"
#include "sim/err.h"

#include <stdio.h>

/* One person more or fewer over a stretch of one department's intervals,
 * against the plan as it is, paired day by day (models' mdl_opt_effect). */
struct out_opt_effect {
    const char *dept;
    double from_at, to_at;            /* minutes after midnight; NaN: the whole run */
    int change;                       /* +1 or -1 */
    double mean, ci_low, ci_high;     /* harm a day, with the change minus without */
    double staff;                     /* staff cost a day, the same way */
};
struct out_opt_why {
    size_t nmore, nless;
    struct out_opt_effect more[3], less[3];   /* bottlenecks, largest cut first; slack, longest first */
};

/* The final comparison (docs/optimise.md): the staffing found and its
 * neighbours on the check's days; those meeting every goal with 95%
 * confidence compared by Kim & Nelson's KN on the objective. */
struct out_opt_final {
    bool done;                        /* it ran (the staffing found met every goal) */
    size_t ncandidates;               /* the staffing found first */
    const char *const *names;         /* [ncandidates] */
    const bool *meets;                /* [ncandidates] every goal met with 95% confidence */
    double indifference;              /* money a day */
    bool decided;                     /* KN left one: chosen; else chosen is the staffing found if KN
                                         kept it, or the cheapest KN kept */
    size_t chosen;                    /* index among the candidates */
    size_t days_used, days;           /* days KN looked at, of the check's */
    size_t meeting;                   /* candidates meeting every goal (those KN compared) */
    size_t reverted;                  /* 0, or 1 + the index of a neighbour KN chose that then
                                         missed a goal on fresh days: the staffing found is kept */
};

struct out_optimise {
    const char *objective;            /* "staff_cost" or "total_cost" */
    double interval_dur;              /* minutes; 0: a steady-state run, one interval */
    long staff_min, staff_max;
    size_t ndepts, nbins;
    const char *const *depts;         /* the departments it changed, by name */
    const double *from_at, *to_at;    /* [nbins], minutes after midnight */
    /* by department d and interval b, at [d * nbins + b]: */
    const long *baseline, *start, *found;
    const double *load;               /* customers in service with every head count at its maximum */
    const double *level;              /* the found plan's service level on the search days */
    const double *target;             /* [ndepts] each department's service_target */
    size_t nshifts;                   /* a roster (optimise.shifts): its candidates, else 0 */
    const char *const *shift_labels;  /* [nshifts] "08:30-16:30, break 30 in 11:30-13:30" */
    const long *shift_count;          /* [d * nshifts + j] people on candidate j */
    const long *need;                 /* [d * nbins + b] the requirement the roster covers */
    bool feasible;                    /* every requirement held on the search days */
    const char *why_not;              /* when not: the first one short at the bounds */
    const char *aside;                /* a class goal left aside (short even at the bounds), or NULL */
    unsigned raised;                  /* people added after a check did not settle a goal */
    unsigned search_reps;             /* days per evaluation */
    uint64_t search_seed;
    size_t evaluated;                 /* plans evaluated */
    size_t read_back;                 /* of those, read back from the store */
    const char *store;                /* the store's file, or NULL */
    double days;                      /* days simulated in the search */
    double check_days;                /* days simulated by the checks and the final comparison */
    const char *saved;                /* --save's file, or NULL */
    bool has_why;                     /* the explanations were asked for */
    bool valued;                      /* harm is lost value (else minutes external customers wait) */
    struct out_opt_why why_baseline, why_found;
    struct out_opt_final final;
};

/* Writes the report: op, then the check (a comparison of two plans, the
 * baseline and the staffing found). SIM_OK or SIM_EIO. */
int out_optimise_text_write(const struct out_optimise *op, const struct out_report *check, FILE *f,
                            struct sim_err *err);
int out_optimise_json_write(const struct out_optimise *op, const struct out_report *check, FILE *f,
                            struct sim_err *err);
int out_optimise_html_write(const struct out_optimise *op, const struct out_report *check, FILE *f,
                            struct sim_err *err);
int out_optimise_csv_write(const struct out_optimise *op, const struct out_report *check, FILE *f,
                           struct sim_err *err);

#endif
