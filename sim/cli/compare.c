/* sim/cli/compare.c — cxsim compare: the baseline and every variant of a
 * scenario on common random numbers, with paired differences.
 *
 * Each plan runs the same replications with the same master seed, so the
 * same customers meet every plan (sim/cli/results.h); the report says, plan
 * by plan, what changed and whether the change is clear.
 */
#include "sim/cli/cli.h"
#include "sim/cli/budget.h"
#include "sim/cli/results.h"

#include "models/plans.h"
#include "models/warmup.h"
#include "models/scenario.h"
#include "output/report.h"


#include <stdlib.h>

static int cmd_compare(struct cli *cli, int argc, char **argv);

const struct cli_command cli_compare = {
    "compare", "compare the baseline with every variant, on common random numbers",
    "usage: cxsim compare [SCENARIO] [--reps N|auto] [--seed S] [--set PATH=VALUE]...\n"
    "                     [--format text|csv|json|html] [-o FILE] [--jobs N] [--memory SIZE]\n"
    "                     [--precision X] [--max-reps N] [--interval N]\n"
    "\n"
    "Runs the baseline of SCENARIO and every plan under its variants: (without\n"
    "SCENARIO, the built-in dealership) on the same days: every plan meets the\n"
    "same customers, with the same needs and patience. For each plan it reports\n"
    "the difference from the baseline, day by day, with its 95% interval, and\n"
    "says it in a sentence: what got better, what got worse, and whether the\n"
    "difference is clear (\"no clear difference\" when the interval holds zero).\n"
    "\n"
    "Options:\n"
    "      --reps N          replications (default: the scenario's replications:)\n"
    "      --reps auto       replications in rounds until every plan's goals are met\n"
    "                        or missed with 95% confidence, each goal's interval within\n"
    "                        --precision (default 0.02), at most --max-reps (2000)\n"
    "      --seed S          master seed, 0 to 2^64-1 (default: the scenario's seed:)\n"
    "      --set PATH=VALUE  change one value of the baseline and of every variant\n"
    "      --interval N      the by-hour figures in bins of N minutes on the clock\n"
    "      --format FORMAT   text (sentences and tables, the default), csv (the rows of\n"
    "                        cxsim run for every plan, and METRIC.diff rows for the\n"
    "                        differences), json (every metric with a \"diff\" object)\n"
    "                        or html (the plans' waits and differences as charts)\n"
    "  -o, --output FILE     write the report to FILE (written whole, or not at all)\n"
    "      --jobs N          threads (default: all cores); results do not depend on it\n"
    "      --memory SIZE     the memory budget, as 512M or 4G (default: three quarters of the\n"
    "                        machine's): replications at once are sized to it\n",
    cmd_compare};

void cli_compare_round(void *ctx, unsigned reps, struct sim_arena *arena, struct out_plan *out)
{
    struct cli_compare_round *cr = ctx;
    int threads = 1;
    unsigned keep = 0;
    struct sim_err e;   /* cannot fail here: what one replication needs was checked before the first round */
    sim_err_init(&e);
    cli_budget_fit(cr->memory, cr->all, cr->n, reps, cr->jobs, &threads, &keep, &cr->said, &e);
    cli_results_compare(cr->all, cr->names, cr->n, cr->seed, reps, threads, keep, arena, out);
}

static int cmd_compare(struct cli *cli, int argc, char **argv)
{
    struct sim_err *err = &cli->err;
    time_t started = time(NULL);
    struct cli_scenario_opts so;
    struct cli_report_opts ro;
    struct mdl_scenario *s;
    if (!cli_report_open(cli, &cli_compare, argc, argv, &so, &ro, &s))
        return err->code;
    struct mdl_plans *plans = NULL;
    if (!cli_load_plans(cli, s, &so, &plans) && plans->nvariants == 0)
        sim_err_set(err, SIM_EDATA, "%s has no variants to compare: list the plans under variants:, as in\n"
                    "  variants:\n    - name: \"+1 credit officer\"\n      set: {departments.credit.staff: 3}",
                    cli->scenario.name);
    /* every variant built once, before anything runs */
    size_t nv = plans ? plans->nvariants : 0;
    struct mdl_scenario **variants = sim_xcalloc(nv + 1, sizeof *variants);
    if (!err->code && !mdl_plans_build_variants(plans, variants, err)) {
        struct sim_arena *arena = sim_arena_create(0);
        struct out_report report;
        /* the baseline first, then the variants, with their names */
        struct mdl_scenario **all = sim_xcalloc(nv + 1, sizeof *all);
        const char **names = sim_xcalloc(nv + 1, sizeof *names);
        all[0] = s;
        names[0] = "baseline";
        for (size_t v = 0; v < nv; v++) {
            all[v + 1] = variants[v];
            names[v + 1] = plans->variants[v].name;
        }
        struct cli_compare_round round = {all, names, nv + 1, 0, (int)ro.jobs, ro.memory, false};
        int threads;
        unsigned keep;
        struct sim_arena *plans_arena = NULL;
        /* what it will run fits the memory budget before anything runs, the
         * warm-ups' pilots included */
        if (!cli_budget_fit(ro.memory, all, nv + 1, ro.reps ? (unsigned)ro.reps : s->replications, (int)ro.jobs,
                            &threads, &keep, &round.said, err)) {
            for (size_t p = 0; p < nv + 1; p++)   /* each plan its own warm-up, when auto */
                cli_choose_warmup(&so, all[p]);
            cli_report_init(cli, &report, s, &so, &ro, started, arena);   /* with the baseline's warm-up */
            report.nplans = 1 + nv;
            report.plans = sim_arena_alloc(arena, report.nplans * sizeof *report.plans);
            report.compared = true;
            round.seed = report.seed;
            plans_arena = cli_run_rounds(&ro, &report, report.nplans, cli_compare_round, &round, report.plans);
        }
        free(all);
        free(names);
        if (plans_arena) {
            cli_warn_overloaded(&report.plans[0], s);
            for (size_t v = 0; v < nv; v++)
                cli_warn_overloaded(&report.plans[v + 1], variants[v]);
            cli_write_report(&report, ro.format, so.out_path, err);
        }
        sim_arena_destroy(plans_arena);
        sim_arena_destroy(arena);
    }
    for (size_t v = 0; v < nv; v++)
        mdl_scenario_destroy(variants[v]);
    free(variants);
    mdl_plans_destroy(plans);
    mdl_scenario_destroy(s);
    cli_scenario_opts_fini(&so);
    return err->code;
}
