/* sim/cli/optimise.c — cxsim optimise: the cheapest staffing that meets
 * every goal (spec §2d, §5; docs/optimise.md).
 *
 * The search is models/optimise.c's, on the search days (--reps, the
 * seed). Then the check: the baseline against the staffing found on other
 * days (--check, seed + 1), reported as cxsim compare reports a comparison;
 * while a goal of the departments it changed (or a class's drop-outs) is
 * not met with 95% confidence there and a head count may still rise, one
 * more person goes where that department is weakest and the check runs
 * again. --save writes the scenario with the staffing found in place, whole
 * or not at all, after the report.
 *
 * In the MPI build every rank runs all of this, the same program on the
 * same numbers: every batch of days is shared among the ranks and gathered
 * back to each (models/run.h's spreader), so they decide alike. Rank 0
 * alone prints, reads and writes the store (handing what it reads to the
 * others), saves and writes the report. Before anything runs the ranks
 * agree that each can run the same optimisation (cli_mpi_join); what a
 * rank decides alone later (its memory budget) is agreed again, so no rank
 * waits on one that has stopped.
 */
#include "sim/cli/cli.h"
#include "sim/cli/budget.h"
#include "sim/cli/results.h"

#include "models/load.h"
#include "models/optimise.h"
#include "models/plans.h"
#include "models/scenario.h"
#include "models/yemit.h"
#include "sim/select.h"
#include "output/file.h"
#include "output/optimise.h"
#include "output/optstore.h"
#include "output/report.h"
#ifdef CXSIM_MPI
#include "models/run.h"
#include "sim/cli/mpi.h"
#include <nettle/sha2.h>
#endif

#include <errno.h>
#include <getopt.h>
#include <unistd.h>
#include <sys/stat.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The explanation of staffing x in the report's words. */
static int explain(struct mdl_opt *o, const struct mdl_opt_input *in, const struct mdl_opt_config *cfg, const long *x,
                   const char *const *names, struct out_opt_why *out, bool *valued, struct mdl_opt_why *raw,
                   struct sim_err *err)
{
    struct mdl_opt_why w;
    if (mdl_opt_why(o, in, cfg, x, &w, err))
        return err->code;
    if (raw)
        *raw = w;
    *valued = w.valued;
    const struct mdl_scenario *s = in->base;
    struct out_opt_why r = {.nmore = w.nmore, .nless = w.nless};
    for (int kind = 0; kind < 2; kind++)
        for (size_t i = 0; i < (kind ? w.nless : w.nmore); i++) {
            const struct mdl_opt_effect *e = kind ? &w.less[i] : &w.more[i];
            struct out_opt_effect *to = kind ? &r.less[i] : &r.more[i];
            *to = (struct out_opt_effect){.dept = names[e->dept],
                                          .from_at = s->is_day ? o->from_at[e->from_bin] : NAN,
                                          .to_at = s->is_day ? o->to_at[e->to_bin] : NAN, .change = e->change,
                                          .mean = e->mean, .ci_low = e->ci_low, .ci_high = e->ci_high,
                                          .staff = e->staff};
        }
    *out = r;
    return SIM_OK;
}

static int cmd_optimise(struct cli *cli, int argc, char **argv);

const struct cli_command cli_optimise = {
    "optimise", "the cheapest staffing that meets every goal",
    "usage: cxsim optimise [SCENARIO] [--save PLAN.yaml] [--db FILE] [--reps N] [--check N] [--seed S]\n"
    "                      [--indifference X] [--set PATH=VALUE]... [--format text|json|csv|html]\n"
    "                      [-o FILE] [--jobs N]\n"
    "\n"
    "Finds the head count of each department, interval by interval, that meets every goal\n"
    "(each department's service_target, each class's max_dropout) at the least staff cost,\n"
    "within the scenario's optimise: section (which departments, how often the head count\n"
    "may change, its bounds; docs/optimise.md). Without SCENARIO, the built-in dealership.\n"
    "\n"
    "  --reps N      days each candidate is simulated on, the same days for all (default 200)\n"
    "  --check N     days of the check, other days than the search's (default 1000): the\n"
    "                baseline against the staffing found, every goal's verdict\n"
    "  --save FILE   writes the scenario with the staffing found in place (YAML)\n"
    "  --db FILE     keeps every plan evaluated there, so that a stopped optimisation\n"
    "                starts again where it stopped (default: SCENARIO with .optimise.db in\n"
    "                place of .yaml; the built-in scenario keeps none unless named)\n"
    "  --seed S      the search's days (the final comparison's: S + 1; the check's: S + 2)\n"
    "  --indifference X   money a day within which the final comparison calls two plans\n"
    "                equally cheap (default: 1% of the staffing found's cost)\n"
    "  --set, --format, -o, --jobs, --memory   as for cxsim run\n",
    cmd_optimise};

#define DEFAULT_SEARCH_DAYS 200
#define MIN_SEARCH_DAYS 10
#define DEFAULT_CHECK_DAYS 1000
#define MAX_RAISES 50
/* The final comparison reads each day's cost: the check keeps every day's
 * figures up to CLI_RESULTS_KEEP_MAX days. */
#define MAX_CHECK_DAYS CLI_RESULTS_KEEP_MAX
#define KN_FIRST_STAGE 20

struct progress {
    bool tty;
    time_t started;
};

static void progress(void *ctx, size_t evaluated, const char *stage)
{
    struct progress *p = ctx;
    if (p->tty)
        fprintf(stderr, "\r%s: optimise: %zu plans simulated, %s ... ", CLI_PROG, evaluated, stage);
}

static void progress_end(const struct progress *p)
{
    if (p->tty)
        fprintf(stderr, "\r\033[K");
}

/* The scenario with the found staffing (with change ch made, when not
 * NULL): the user's overrides, then o's. */
static int build_found(struct cli *cli, const struct cli_scenario_opts *so, const struct mdl_opt *o,
                       const struct mdl_opt_input *in, const struct mdl_opt_config *cfg,
                       const struct mdl_opt_change *ch, struct mdl_scenario **out)
{
    size_t n = so->nsets + o->ndepts;
    char **sets = sim_xcalloc(n ? n : 1, sizeof *sets);
    memcpy(sets, so->sets, so->nsets * sizeof *sets);
    int rc = SIM_OK;
    if (ch)
        rc = mdl_opt_change_sets(o, in, cfg, ch, sets + so->nsets, &cli->err);
    else
        mdl_opt_sets(o, in->base, sets + so->nsets);
    if (!rc)
        rc = mdl_load_scenario(cli->scenario.name, cli->scenario.text, cli->scenario.len, (const char *const *)sets,
                               n, out, &cli->err);
    for (size_t i = so->nsets; i < n; i++)
        free(sets[i]);
    free(sets);
    return rc;
}

/* The first goal of plan p short of its target that the optimiser can act
 * on: a department it changes (*dept its index), or a class's (*dept -1)
 * unless the classes' goals were left aside. */
static bool unsettled(const struct out_plan *p, const struct mdl_scenario *s, bool classes_aside, int *dept)
{
    for (size_t g = 0; g < p->ngoals; g++) {
        const struct out_goal *goal = &p->goals[g];
        /* missed, or too close with its estimate on the wrong side: one more
         * person is what it lacks; too close on the right side, only days */
        bool short_of = goal->verdict == OUT_MISSED ||
                        (goal->verdict == OUT_TOO_CLOSE &&
                         (goal->at_least ? goal->stat->mean < goal->target : goal->stat->mean > goal->target));
        if (!short_of)
            continue;
        if (goal->kind == OUT_CLASS && !classes_aside) {
            *dept = -1;
            return true;
        }
        int d = goal->kind == OUT_DEPARTMENT ? mdl_scenario_dept(s, goal->scope) : -1;
        for (size_t k = 0; d >= 0 && k < s->optimise.ndepts; k++)
            if (s->optimise.depts[k] == d) {
                *dept = d;
                return true;
            }
    }
    return false;
}


/* True when the variants and sweep of scenario s (text of len bytes, named
 * path) still apply: each variant builds, each sweep value checks. */
static bool plans_apply(const char *path, const char *text, size_t len)
{
    struct mdl_scenario *s = NULL;
    struct mdl_plans *plans = NULL;
    struct sim_err e;
    sim_err_init(&e);
    bool ok = !mdl_load_scenario(path, text, len, NULL, 0, &s, &e) && !mdl_plans_read(s, &plans, &e);
    if (ok) {
        struct mdl_scenario **variants = sim_xcalloc(plans->nvariants + 1, sizeof *variants);
        ok = !mdl_plans_build_variants(plans, variants, &e) && !mdl_plans_check_axes(plans, &e);
        for (size_t v = 0; v < plans->nvariants; v++)
            mdl_scenario_destroy(variants[v]);
        free(variants);
    }
    mdl_plans_destroy(plans);
    mdl_scenario_destroy(s);
    return ok;
}

/* Writes the found scenario's document as YAML to path, whole or not at
 * all; the text is read back first, and must give a scenario. Its
 * variants: and sweep: are kept when they still apply to the staffing
 * found (a roster replaces a department's staff:, which a variant may have
 * changed), else left out, and the header says so. */
static int save(struct cli *cli, const struct mdl_scenario *found, const char *path)
{
    struct sim_err *err = &cli->err;
    static const char *const plans_keys[] = {"variants", "sweep", NULL};
    char header[768];
    int n = snprintf(header, sizeof header,
                     "# Written by cxsim optimise from %s:\n"
                     "# the scenario with the staffing it found in place (departments' staff or shifts).\n"
                     "# The comments of the original are in that file.\n",
                     cli->scenario.name);
    char *text;
    size_t len;
    if (mdl_yemit(mdl_scenario_document(found), header, NULL, &text, &len, err))
        return err->code;
    if (!plans_apply(path, text, len)) {
        free(text);
        snprintf(header + n, sizeof header - (size_t)n,
                 "# Its variants: and sweep: are left out: they change the staffing this file replaces.\n");
        if (mdl_yemit(mdl_scenario_document(found), header, plans_keys, &text, &len, err))
            return err->code;
    }
    struct mdl_scenario *again = NULL;
    struct sim_err e2;
    sim_err_init(&e2);
    if (mdl_load_scenario(path, text, len, NULL, 0, &again, &e2)) {
        free(text);
        return sim_err_set(err, SIM_EINTERNAL, "the scenario written for --save does not read back: %s", e2.msg);
    }
    mdl_scenario_destroy(again);
    struct out_file of;
    if (!out_file_open(&of, path, err)) {
        fwrite(text, 1, len, of.f);
        out_file_close(&of, true, err);
    }
    free(text);
    return err->code;
}

static void fill_report(struct out_optimise *op, const struct mdl_opt *o, const struct mdl_scenario *s,
                        const char **names, double *targets, char **labels, unsigned reps, uint64_t seed)
{
    const struct mdl_optimise *spec = &s->optimise;
    for (size_t j = 0; o->roster && j < spec->nshifts; j++) {
        const struct mdl_opt_shift *sh = &spec->shifts[j];
        char from[8], to[8], wf[8], wt[8];
        labels[j] = sim_xmalloc(96);
        out_clock(from, sizeof from, sh->start_at);
        out_clock(to, sizeof to, sh->start_at + sh->length_dur);
        if (sh->break_dur > 0) {
            double w0, w1;
            mdl_opt_break_window(sh, &w0, &w1);
            snprintf(labels[j], 96, "%s-%s, breaks of %.0f in %s-%s", from, to, sh->break_dur,
                     out_clock(wf, sizeof wf, w0), out_clock(wt, sizeof wt, w1));
        } else {
            snprintf(labels[j], 96, "%s-%s", from, to);
        }
    }
    for (size_t d = 0; d < o->ndepts; d++) {
        names[d] = s->depts[o->depts[d]].name;
        targets[d] = s->depts[o->depts[d]].service_target;
    }
    *op = (struct out_optimise){
        .objective = s->optimise.objective == MDL_OBJ_TOTAL_COST ? "total_cost" : "staff_cost",
        .interval_dur = s->is_day ? s->optimise.interval_dur : 0,
        .staff_min = s->optimise.staff_min, .staff_max = s->optimise.staff_max,
        .ndepts = o->ndepts, .nbins = o->nbins, .depts = names, .from_at = o->from_at, .to_at = o->to_at,
        .baseline = o->baseline, .start = o->start, .found = o->found, .load = o->load, .level = o->level,
        .target = targets, .nshifts = o->roster ? spec->nshifts : 0, .shift_labels = (const char *const *)labels,
        .shift_count = o->shift_count, .need = o->need, .feasible = o->feasible,
        .aside = o->classes_aside ? o->aside : NULL, .why_not = o->why_not, .search_reps = reps,
        .search_seed = seed, .evaluated = o->evaluated, .days = o->days,
    };
}

/* What the checks share: the run's options, the baseline, the check's
 * days and seed; and the final comparison's candidates. */
struct check {
    struct cli *cli;
    const struct cli_scenario_opts *so;
    const struct cli_report_opts *ro;
    struct mdl_scenario *base;
    uint64_t seed;
    unsigned days;
    time_t started;
    struct sim_arena *arena;
    struct progress *pr;
    struct mdl_opt_why why;            /* of the staffing found: where its neighbours are */
    size_t ncand;                      /* candidates besides the staffing found */
    struct mdl_opt_change *changes;    /* [ncand] */
    char **names;                      /* [ncand] */
    double days_run;                   /* days simulated by the checks, all plans */
};

/* Runs plans all[0..n) (the baseline first) on the check's days as a
 * comparison into *r; returns the arena of its plans (NULL with the error
 * set when what it needs is over the memory budget). */
static struct sim_arena *check(struct check *ck, struct mdl_scenario **all, const char **names, size_t n,
                               struct out_report *r)
{
    struct cli_scenario_opts so = *ck->so;   /* the check's seed, and nothing else of it */
    so.have_seed = true;
    so.seed = ck->seed;
    struct cli_report_opts ro = *ck->ro;
    ro.reps = ck->days;
    struct cli_compare_round round = {all, names, n, ck->seed, (int)ro.jobs, ro.memory, !cli_speaks()};
    int threads;
    unsigned keep;
    cli_budget_fit(ro.memory, all, n, ck->days, (int)ro.jobs, &threads, &keep, &round.said, &ck->cli->err);
#ifdef CXSIM_MPI
    cli_mpi_any(&ck->cli->err);   /* each rank's own budget: all go on, or none */
#endif
    if (ck->cli->err.code)
        return NULL;
    for (size_t p = 0; p < n; p++)
        cli_choose_warmup(&so, all[p]);
    cli_report_init(ck->cli, r, ck->base, &so, &ro, ck->started, ck->arena);
    r->nplans = n;
    r->plans = sim_arena_alloc(ck->arena, n * sizeof *r->plans);
    r->compared = true;
    ck->days_run += (double)n * ck->days;
    return cli_run_rounds(&ro, r, n, cli_compare_round, &round, r->plans);
}

/* The candidates near the staffing found: one more person over each of its
 * bottlenecks, one fewer over each of its slack stretches; for a roster,
 * one fewer on each shift with people, the best paid first (at most 4). */
static void candidates(struct check *ck, const struct mdl_opt *o, const struct mdl_opt_input *in,
                       const struct mdl_opt_config *cfg, const char *const *dnames)
{
    const struct mdl_scenario *s = ck->base;
    const struct mdl_optimise *spec = &s->optimise;
    size_t cap = 2 * MDL_OPT_WHY_MAX + 4;
    ck->changes = sim_xcalloc(cap, sizeof *ck->changes);
    ck->names = sim_xcalloc(cap, sizeof *ck->names);
    ck->ncand = 0;
    char from[8], to[8];
    if (o->roster) {
        size_t nj = spec->nshifts;
        bool *used = sim_xcalloc(o->ndepts * nj, sizeof *used);
        for (size_t added = 0; added < 4;) {
            size_t best = SIZE_MAX;
            double pay = -1;
            for (size_t d = 0; d < o->ndepts; d++)
                for (size_t j = 0; j < nj; j++) {
                    double p = s->depts[o->depts[d]].crew.cost_per_hour * spec->shifts[j].length_dur;
                    if (!used[d * nj + j] && o->shift_count[d * nj + j] > 0 && p > pay) {
                        best = d * nj + j;
                        pay = p;
                    }
                }
            if (best == SIZE_MAX)
                break;
            used[best] = true;
            size_t d = best / nj, j = best % nj;
            ck->changes[ck->ncand] = (struct mdl_opt_change){.on_shift = true, .dept = d, .shift = j, .change = -1};
            if (!mdl_opt_change_allowed(o, in, cfg, &ck->changes[ck->ncand]))
                continue;   /* below staff.min, or nobody left: no candidate */
            added++;
            ck->names[ck->ncand] = sim_xmalloc(96);
            snprintf(ck->names[ck->ncand], 96, "one fewer on %s-%s at %s", out_clock(from, sizeof from, spec->shifts[j].start_at),
                     out_clock(to, sizeof to, spec->shifts[j].start_at + spec->shifts[j].length_dur), dnames[d]);
            ck->ncand++;
        }
        free(used);
        return;
    }
    for (int kind = 0; kind < 2; kind++)
        for (size_t i = 0; i < (kind ? ck->why.nless : ck->why.nmore); i++) {
            const struct mdl_opt_effect *e = kind ? &ck->why.less[i] : &ck->why.more[i];
            ck->changes[ck->ncand] = (struct mdl_opt_change){.dept = e->dept, .from_bin = e->from_bin,
                                                             .to_bin = e->to_bin, .change = e->change};
            if (!mdl_opt_change_allowed(o, in, cfg, &ck->changes[ck->ncand]))
                continue;
            ck->names[ck->ncand] = sim_xmalloc(96);
            if (s->is_day)
                snprintf(ck->names[ck->ncand], 96, "one %s at %s %s-%s", e->change > 0 ? "more" : "fewer",
                         dnames[e->dept], out_clock(from, sizeof from, o->from_at[e->from_bin]),
                         out_clock(to, sizeof to, o->to_at[e->to_bin]));
            else
                snprintf(ck->names[ck->ncand], 96, "one %s at %s", e->change > 0 ? "more" : "fewer", dnames[e->dept]);
            ck->ncand++;
        }
}

/* Observations for KN: the objective of candidate feasible[i] on check day r. */
struct kn_ctx {
    const struct out_metric **cost;   /* [nfeasible] */
};

static double kn_obs(void *ctx, size_t i, size_t r)
{
    const struct kn_ctx *k = ctx;
    return k->cost[i]->values[r];
}

/* The final comparison: the staffing found and its candidates on the check's
 * days; those that meet every goal with 95% confidence are compared by KN
 * on the objective, day by day. On success *found and *report are the
 * chosen plan's (baseline and it), and *chosen is 0 (the staffing found)
 * or 1 + the candidate's index. */
static int select_final(struct check *ck, struct mdl_opt *o, const struct mdl_opt_input *in,
                        const struct mdl_opt_config *cfg, struct out_opt_final *fin, struct mdl_scenario **found,
                        struct sim_arena **plans_arena, struct out_report *report, size_t *chosen)
{
    struct sim_err *err = &ck->cli->err;
    const char **dnames = sim_xcalloc(o->ndepts ? o->ndepts : 1, sizeof *dnames);
    for (size_t d = 0; d < o->ndepts; d++)
        dnames[d] = ck->base->depts[o->depts[d]].name;
    candidates(ck, o, in, cfg, dnames);
    free(dnames);
    size_t n = 2 + ck->ncand;
    struct mdl_scenario **all = sim_xcalloc(n, sizeof *all);
    const char **names = sim_xcalloc(n, sizeof *names);
    all[0] = ck->base;
    names[0] = "baseline";
    all[1] = *found;
    names[1] = "optimised";
    for (size_t i = 0; i < ck->ncand && !err->code; i++) {
        build_found(ck->cli, ck->so, o, in, cfg, &ck->changes[i], &all[2 + i]);
        names[2 + i] = ck->names[i];
    }
    struct out_report r;
    struct sim_arena *arena = NULL;
    *chosen = 0;
    if (!err->code) {
        progress(ck->pr, o->evaluated, "the final comparison");
        arena = check(ck, all, names, n, &r);
    }
    if (arena) {
        const char *objective = ck->base->optimise.objective == MDL_OBJ_TOTAL_COST ? "total_cost" : "staff_cost";
        struct kn_ctx k = {sim_xcalloc(n, sizeof *k.cost)};
        size_t *which = sim_xcalloc(n, sizeof *which), nf = 0;
        bool *meets = sim_arena_alloc(ck->arena, (n - 1) * sizeof *meets);
        const char **cnames = sim_arena_alloc(ck->arena, (n - 1) * sizeof *cnames);
        for (size_t p = 1; p < n; p++) {
            meets[p - 1] = out_plan_verdict(&r.plans[p], NULL, NULL, NULL, 0) == OUT_MET;
            cnames[p - 1] = p == 1 ? "the staffing found" : ck->names[p - 2];
            const struct out_metric *m = out_report_metric(out_report_scope(&r.plans[p], OUT_COST, NULL), objective);
            if (meets[p - 1] && m && m->values) {
                k.cost[nf] = m;
                which[nf++] = p;
            }
        }
        if (fin->indifference <= 0)   /* 1% of the staffing found's objective, at least 1 */
            fin->indifference = fmax(1, 0.01 * fabs(out_metric_mean(
                out_report_metric(out_report_scope(&r.plans[1], OUT_COST, NULL), objective))));
        /* a first stage of 20 days (all of them when the check has fewer) */
        size_t n0 = r.replications < KN_FIRST_STAGE ? r.replications : KN_FIRST_STAGE;
        bool *alive = sim_xcalloc(nf ? nf : 1, sizeof *alive);
        struct sim_kn_result kn = sim_select_kn(nf, 0.05, fin->indifference, n0, r.replications, kn_obs, &k, alive);
        size_t pick = kn.best;
        for (size_t i = 0; pick == SIZE_MAX && i < nf; i++)   /* undecided: the staffing found, if still in */
            if (alive[i] && which[i] == 1)
                pick = i;
        double least = INFINITY;
        for (size_t i = 0; kn.best == SIZE_MAX && i < nf; i++)   /* ... else the cheapest still in */
            if (alive[i] && (pick == SIZE_MAX || which[pick] != 1) && out_metric_mean(k.cost[i]) < least) {
                pick = i;
                least = out_metric_mean(k.cost[i]);
            }
        free(alive);
        *fin = (struct out_opt_final){.done = true, .ncandidates = n - 1, .names = cnames, .meets = meets,
                                      .indifference = fin->indifference, .decided = kn.best != SIZE_MAX,
                                      .chosen = pick != SIZE_MAX ? which[pick] - 1 : 0, .days_used = kn.used,
                                      .days = r.replications, .meeting = nf};
        *chosen = fin->chosen;
        free(k.cost);
        free(which);
        /* the report: the baseline and the chosen one, under the name "optimised" */
        struct out_plan *two = sim_arena_alloc(ck->arena, 2 * sizeof *two);
        two[0] = r.plans[0];
        two[1] = r.plans[1 + *chosen];
        two[1].name = "optimised";
        r.plans = two;
        r.nplans = 2;
        *report = r;
        *plans_arena = arena;
        *found = all[1 + *chosen];
    }
    for (size_t p = 2; p < n; p++)   /* the candidates; the staffing found is the caller's */
        if (all[p] != *found)
            mdl_scenario_destroy(all[p]);
    free(all);
    free(names);
    return err->code;
}

/* SCENARIO with .optimise.db in place of .yaml or .yml, beside it; NULL
 * when the scenario is the built-in one, or not a regular file so named. */
static char *default_db(const char *path)
{
    const char *ext = path ? strrchr(path, '.') : NULL;
    struct stat st;
    if (!ext || strchr(ext, '/') || (strcmp(ext, ".yaml") && strcmp(ext, ".yml")) || stat(path, &st) != 0 ||
        !S_ISREG(st.st_mode))
        return NULL;
    size_t keep = (size_t)(ext - path);
    char *db = sim_xmalloc(keep + 13);
    memcpy(db, path, keep);
    memcpy(db + keep, ".optimise.db", 13);
    return db;
}

/* The store's callbacks. Under MPI rank 0 alone holds the store (the
 * others NULL): what it reads, and whether it failed, go to every rank. */
static int store_get(void *store, const char *key, double *v, size_t n, bool *found, struct sim_err *err)
{
    if (store)
        out_optstore_get(store, key, v, n, found, err);
#ifdef CXSIM_MPI
    if (cli_mpi_agree(err))
        return err->code;
    cli_mpi_bcast(found, sizeof *found);
    if (*found)
        cli_mpi_bcast(v, n * sizeof *v);
#endif
    return err->code;
}

static int store_put(void *store, const char *key, const double *v, size_t n, struct sim_err *err)
{
    if (store)
        out_optstore_put(store, key, v, n, err);
#ifdef CXSIM_MPI
    cli_mpi_agree(err);
#endif
    return err->code;
}

/* Opens the store at path for this optimisation (its identity: version,
 * scenario, overrides, seed, days per evaluation). */
static int open_store(struct cli *cli, const char *path, uint64_t seed, unsigned reps, struct sim_arena *arena,
                      struct out_optstore **out)
{
    struct out_manifest m;
    cli_fill_manifest(cli, &m, time(NULL), arena);
    struct out_optstore_meta meta = {CXSIM_VERSION, m.scenario_sha256, cli->sets.text ? cli->sets.text : "", seed,
                                     reps};
    return out_optstore_open(path, &meta, out, &cli->err);
}

/* The check of found against the baseline on the days of seed `days_seed`,
 * into *report (its arena replacing *arena). False when it could not run
 * (the error set). */
static bool fresh_check(struct check *ck, struct mdl_scenario *base, struct mdl_scenario *found, uint64_t days_seed,
                        struct sim_arena **arena, struct out_report *report)
{
    struct mdl_scenario *all[2] = {base, found};
    const char *two[2] = {"baseline", "optimised"};
    struct out_report fresh;
    ck->seed = days_seed;
    progress(ck->pr, 0, "checking on fresh days");
    struct sim_arena *fresh_arena = check(ck, all, two, 2, &fresh);
    if (!fresh_arena)
        return false;
    sim_arena_destroy(*arena);
    *arena = fresh_arena;
    *report = fresh;
    return true;
}

/* Under MPI (more than one rank), every rank calls this exactly once,
 * before the store is opened, with its error or the optimisation it would
 * run (help: it was asked for --help): the ranks go on only if all can
 * run the same one (cli_mpi_join). Returns whether they agreed; alone,
 * always true. */
static bool optimise_join(struct cli *cli, bool help, uint64_t seed, unsigned reps, long check_days, int argc,
                          char **argv)
{
#ifdef CXSIM_MPI
    if (cli_mpi_size() == 1)
        return true;
    struct sim_err *err = &cli->err;
    struct cli_mpi_terms t;
    cli_mpi_terms_init(&t, "optimisation", help, err);
    if (!err->code && !help) {
        t.seed = seed;
        t.replications = reps;
        t.nplans = (uint64_t)check_days;
        struct sha256_ctx ctx;
        uint8_t digest[SHA256_DIGEST_SIZE];
        sha256_init(&ctx);
        sha256_update(&ctx, cli->scenario.len, (const uint8_t *)cli->scenario.text);
        sha256_digest(&ctx, sizeof digest, digest);
        cli_mpi_hex(digest, sizeof digest, t.scenario_sha256);
        /* what else decides the answer: the version and every argument */
        sha256_init(&ctx);
        sha256_update(&ctx, strlen(CXSIM_VERSION) + 1, (const uint8_t *)CXSIM_VERSION);
        for (int a = 1; a < argc; a++)
            sha256_update(&ctx, strlen(argv[a]) + 1, (const uint8_t *)argv[a]);
        sha256_digest(&ctx, sizeof digest, digest);
        cli_mpi_hex(digest, sizeof digest, t.plan_sha256);
    }
    return cli_mpi_join(&t, err) == SIM_OK;
#else
    (void)cli;
    (void)help;
    (void)seed;
    (void)reps;
    (void)check_days;
    (void)argc;
    (void)argv;
    return true;
#endif
}

static int cmd_optimise(struct cli *cli, int argc, char **argv)
{
    struct sim_err *err = &cli->err;
    static const struct option longs[] = {
        {"reps", required_argument, NULL, 'r'},  {"check", required_argument, NULL, 'C'},
        {"save", required_argument, NULL, 'W'},  {"seed", required_argument, NULL, 's'},
        {"set", required_argument, NULL, 'S'},   {"format", required_argument, NULL, 'f'},
        {"output", required_argument, NULL, 'o'}, {"jobs", required_argument, NULL, 'j'},
        {"memory", required_argument, NULL, 'B'}, {"indifference", required_argument, NULL, 'D'},
        {"db", required_argument, NULL, 'd'},
        {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0},
    };
    time_t started = time(NULL);
    double indifference = 0;
    struct cli_scenario_opts so;
    struct cli_report_opts ro = {0};
    long check_days = DEFAULT_CHECK_DAYS;
    const char *save_path = NULL, *db_path = NULL;
    bool help = false;
    cli_scenario_opts_init(&so, argc);
    int c;
    while (!err->code && !help && (c = cli_next_option(argc, argv, ":o:h", longs, "optimise", err)) != -1) {
        if (c == 'h') {
            help = true;
            continue;
        }
        if (cli_scenario_option(c, &so, err) || cli_report_option(c, "optimise", &ro, err))
            continue;
        if (c == 'C' && !cli_parse_count(optarg, 2, MAX_CHECK_DAYS, &check_days))
            sim_err_set(err, SIM_EUSAGE, "--check must be a whole number of days from 2 to %d, got '%s'",
                        MAX_CHECK_DAYS, optarg);
        else if (c == 'W')
            save_path = optarg;
        else if (c == 'd')
            db_path = optarg;
        else if (c == 'D' && (!cli_parse_number(optarg, &indifference) || !(indifference > 0)))
            sim_err_set(err, SIM_EUSAGE, "--indifference must be an amount of money a day above 0, got '%s'", optarg);
    }
    if (help) {
        cli_scenario_opts_fini(&so);
        if (optimise_join(cli, true, 0, 0, 0, argc, argv) && cli_speaks())
            cli_help(&cli_optimise);
        return err->code;
    }
    if (!err->code && ro.reps_auto)
        sim_err_set(err, SIM_EUSAGE, "optimise takes --reps N (the days of each evaluation), not auto");
    if (!err->code && ro.reps && ro.reps < MIN_SEARCH_DAYS)
        sim_err_set(err, SIM_EUSAGE, "optimise takes --reps of %d days or more (each plan is judged, and each "
                    "change explained, by its days; fewer tell too little), got %ld", MIN_SEARCH_DAYS, ro.reps);
    if (!err->code && argc - optind > 1)
        sim_err_set(err, SIM_EUSAGE, "optimise takes one scenario file, got '%s' too (see 'cxsim help optimise')",
                    argv[optind + 1]);
    if (!err->code && save_path && so.out_path && (!strcmp(save_path, so.out_path) || out_file_same(save_path, so.out_path)))
        sim_err_set(err, SIM_EUSAGE, "--save and -o name the same file (%s): the report would overwrite the plan",
                    save_path);
    if (!ro.memory)
        ro.memory = cli_budget_default();
    if (!err->code && save_path && cli_speaks())   /* a plan that could not be saved is known before the search */
        cli_check_writable(save_path, "--save", err);
    struct mdl_scenario *s = NULL;
    if (err->code || cli_load_scenario(cli, optind < argc ? argv[optind] : NULL, &so, &s)) {
        optimise_join(cli, false, 0, 0, 0, argc, argv);
        cli_scenario_opts_fini(&so);
        return err->code;
    }
    if (s->optimise.ndepts == 0)
        sim_err_set(err, SIM_EDATA, "%s: nothing to optimise: every department is on shifts (optimise changes head "
                    "counts by interval; give a department a staff: head count, or list candidate shifts under "
                    "optimise.shifts, docs/optimise.md)", cli->scenario.name);
    uint64_t seed = so.have_seed ? so.seed : s->seed;
    unsigned reps = ro.reps ? (unsigned)ro.reps : DEFAULT_SEARCH_DAYS;
    struct progress pr = {cli_stderr_is_tty() && cli_speaks(), started};
    struct mdl_opt_input in = {cli->scenario.name, cli->scenario.text, cli->scenario.len,
                               (const char *const *)so.sets, so.nsets, s};
    struct mdl_opt_config cfg = {.seed = seed, .reps = reps, .jobs = (int)ro.jobs, .progress = progress, .ctx = &pr};
    if (!err->code) {   /* each evaluation keeps its days' figures: they must fit the memory budget */
        int threads;
        unsigned keep;
        bool said = !cli_speaks();
        cli_budget_fit(ro.memory, &s, 1, reps, (int)ro.jobs, &threads, &keep, &said, err);
    }
    if (!optimise_join(cli, false, seed, reps, check_days, argc, argv)) {
        mdl_scenario_destroy(s);
        cli_scenario_opts_fini(&so);
        return err->code;
    }
    /* the store of evaluations: a stopped optimisation starts again where
     * it stopped (rank 0's, under MPI) */
    char *db = NULL;
    struct out_optstore *store = NULL;
    bool stored = false;
    if (cli_speaks()) {
        db = db_path ? sim_xstrdup(db_path) : default_db(optind < argc ? argv[optind] : NULL);
        struct sim_arena *id_arena = sim_arena_create(0);
        stored = !err->code && db && !open_store(cli, db, seed, reps, id_arena, &store);
        sim_arena_destroy(id_arena);
    }
#ifdef CXSIM_MPI
    cli_mpi_agree(err);
    cli_mpi_bcast(&stored, sizeof stored);
    cli_mpi_spread_begin();   /* every batch of days shared among the ranks, from here to the report */
#endif
    if (stored) {
        cfg.get = store_get;
        cfg.put = store_put;
        cfg.store = store;
    }
    struct mdl_opt *o = NULL;
    struct mdl_scenario *found = NULL;
    struct sim_arena *arena = sim_arena_create(0), *plans_arena = NULL;
    struct out_report report;
    struct out_opt_final final = {.indifference = indifference};
    unsigned raised = 0;
    /* the check, on other days; raised while a goal it can act on is unsettled */
    struct check ck = {.cli = cli, .so = &so, .ro = &ro, .base = s, .seed = seed + 1, .days = (unsigned)check_days,
                       .started = started, .arena = arena, .pr = &pr};
    if (!err->code && !mdl_optimise(&in, &cfg, &o, err)) {
        for (;;) {
            if (build_found(cli, &so, o, &in, &cfg, NULL, &found))
                break;
            struct mdl_scenario *all[2] = {s, found};
            const char *names[2] = {"baseline", "optimised"};
            sim_arena_destroy(plans_arena);
            progress(&pr, o->evaluated, "checking on other days");
            if (!(plans_arena = check(&ck, all, names, 2, &report)))
                break;
            int dept;
            bool more = false;
            if (!o->feasible || raised >= MAX_RAISES || !unsettled(&report.plans[1], s, o->classes_aside, &dept) ||
                mdl_opt_raise(o, &in, &cfg, dept, &more, err) || !more)
                break;
            raised++;
            mdl_scenario_destroy(found);
            found = NULL;
        }
    }
    const char **names = sim_xcalloc(o && o->ndepts ? o->ndepts : 1, sizeof *names);
    for (size_t d = 0; o && d < o->ndepts; d++)
        names[d] = s->depts[o->depts[d]].name;
    struct out_opt_why why_baseline = {0}, why_found = {0};
    bool valued = false;
    if (!err->code && !explain(o, &in, &cfg, o->baseline, names, &why_baseline, &valued, NULL, err) &&
        !explain(o, &in, &cfg, o->found, names, &why_found, &valued, &ck.why, err) && o->feasible &&
        out_plan_verdict(&report.plans[1], NULL, NULL, NULL, 0) == OUT_MET) {
        /* the final comparison: the staffing found and its neighbours, on the check's days */
        struct mdl_scenario *kept = found;
        struct sim_arena *kept_arena = plans_arena;
        size_t chosen;
        if (!select_final(&ck, o, &in, &cfg, &final, &found, &plans_arena, &report, &chosen) && chosen != 0 &&
            !mdl_opt_apply(o, &in, &cfg, &ck.changes[chosen - 1], err))
            explain(o, &in, &cfg, o->found, names, &why_found, &valued, NULL, err);
        if (found != kept)   /* a neighbour won: it is the result now */
            mdl_scenario_destroy(kept);
        if (plans_arena != kept_arena)   /* the report is the final comparison's */
            sim_arena_destroy(kept_arena);
    }
    /* the report's check, on days nothing was chosen on: the seed after the
     * final comparison's (seed + 2), whatever happened before; a neighbour
     * the final comparison chose must meet every goal there too, else the
     * staffing found is the answer, checked again */
    if (!err->code && o && found && fresh_check(&ck, s, found, seed + 2, &plans_arena, &report) && final.done &&
        final.chosen != 0 && out_plan_verdict(&report.plans[1], NULL, NULL, NULL, 0) != OUT_MET) {
        struct mdl_opt_change back = ck.changes[final.chosen - 1];
        back.change = -back.change;
        struct mdl_scenario *was = found;
        found = NULL;
        if (!mdl_opt_apply(o, &in, &cfg, &back, err) && !build_found(cli, &so, o, &in, &cfg, NULL, &found)) {
            mdl_scenario_destroy(was);
            final.reverted = final.chosen;
            final.chosen = 0;
            explain(o, &in, &cfg, o->found, names, &why_found, &valued, NULL, err);
            fresh_check(&ck, s, found, seed + 2, &plans_arena, &report);
        } else if (!found) {
            found = was;
        }
    }
    progress_end(&pr);
#ifdef CXSIM_MPI
    cli_mpi_spread_end();
#endif
    if (!err->code && cli_speaks()) {
        double *targets = sim_xcalloc(o->ndepts ? o->ndepts : 1, sizeof *targets);
        size_t nlabels = s->optimise.nshifts;
        char **labels = sim_xcalloc(nlabels ? nlabels : 1, sizeof *labels);
        struct out_optimise op;
        fill_report(&op, o, s, names, targets, labels, reps, seed);
        op.raised = raised;
        op.has_why = true;
        op.valued = valued;
        op.why_baseline = why_baseline;
        op.why_found = why_found;
        op.final = final;
        op.check_days = ck.days_run;
        op.read_back = o->read_back;
        op.store = store ? db : NULL;
        cli_warn_overloaded(&report.plans[0], s);
        cli_warn_overloaded(&report.plans[1], found);
        /* the plan first: the report says it was saved only once it is */
        if (save_path && !save(cli, found, save_path))
            op.saved = save_path;
        struct out_file of;
        if (!err->code && !out_file_open(&of, so.out_path, err)) {
            if (ro.format == CLI_JSON)
                out_optimise_json_write(&op, &report, of.f, err);
            else if (ro.format == CLI_CSV)
                out_optimise_csv_write(&op, &report, of.f, err);
            else if (ro.format == CLI_HTML)
                out_optimise_html_write(&op, &report, of.f, err);
            else
                out_optimise_text_write(&op, &report, of.f, err);
            out_file_close(&of, err->code == SIM_OK, err);
        }
        free(targets);
        for (size_t j = 0; j < nlabels; j++)
            free(labels[j]);
        free(labels);
    }
    if (store) {
        struct sim_err close_err;
        sim_err_init(&close_err);
        if (out_optstore_close(store, &close_err) && !err->code)
            *err = close_err;
    }
    free(db);
    free(names);
    free(ck.changes);
    for (size_t i = 0; ck.names && i < ck.ncand; i++)
        free(ck.names[i]);
    free(ck.names);
    sim_arena_destroy(plans_arena);
    sim_arena_destroy(arena);
    mdl_scenario_destroy(found);
    mdl_opt_destroy(o);
    mdl_scenario_destroy(s);
    cli_scenario_opts_fini(&so);
    return err->code;
}
