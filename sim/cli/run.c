/* sim/cli/run.c — cxsim run, trace and check: one scenario simulated and
 * reported, told as a story, or checked and described.
 */
#include "sim/cli/cli.h"
#include "sim/cli/budget.h"
#include "sim/cli/results.h"

#include "models/scenario.h"
#include "output/report.h"

#include "models/describe.h"
#include "models/flow.h"
#include "models/plans.h"
#include "models/run.h"
#include "output/file.h"
#include "output/trace.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int cmd_run(struct cli *cli, int argc, char **argv);
static int cmd_trace(struct cli *cli, int argc, char **argv);
static int cmd_check(struct cli *cli, int argc, char **argv);

const struct cli_command cli_run = {
    "run", "simulate a scenario and report what customers lived through",
     "usage: cxsim run [SCENARIO] [--reps N|auto] [--seed S] [--set PATH=VALUE]...\n"
     "                 [--format text|csv|json|html] [-o FILE] [--jobs N] [--memory SIZE]\n"
     "                 [--precision X] [--max-reps N] [--interval N]\n"
     "\n"
     "Simulates the business of SCENARIO (a YAML file; without one, the built-in\n"
     "dealership) for its replications and reports waits, drop-outs, satisfaction\n"
     "and cost, each with its 95% interval over replications.\n"
     "\n"
     "Options:\n"
     "      --reps N          replications (default: the scenario's replications:)\n"
     "      --reps auto       replications in rounds until every goal is met or missed\n"
     "                        with 95% confidence and each goal's interval is within\n"
     "                        --precision (default 0.02: two points), at most\n"
     "                        --max-reps (default 2000)\n"
     "      --seed S          master seed, 0 to 2^64-1 (default: the scenario's seed:)\n"
     "      --set PATH=VALUE  change one value first, as in departments.credit.staff=3\n"
     "                        or 'departments.sales.staff=[{at: \"09:00\", count: 2}]'\n"
     "      --interval N      the by-hour figures in bins of N minutes on the clock\n"
     "                        (the same as --set day.interval=N; default 60)\n"
     "      --format FORMAT   text (tables and sentences, the default), csv (one row per\n"
     "                        metric: plan,scope,name,metric,mean,ci_low,ci_high,sd,n)\n"
     "                        json (every metric with its replications' values,\n"
     "                        and a manifest to audit and rerun the result) or html\n"
     "                        (one file for a browser: sentences, charts, tables)\n"
     "  -o, --output FILE     write the report to FILE (written whole, or not at all)\n"
     "      --jobs N          threads (default: all cores); results do not depend on it\n"
    "      --memory SIZE     the memory budget, as 512M or 4G (default: three quarters of the\n"
    "                        machine's): replications at once are sized to it\n",
     cmd_run};
const struct cli_command cli_trace = {
    "trace", "tell the story of one simulated day, customer by customer",
     "usage: cxsim trace [SCENARIO] [--customers N] [--class NAME] [--customer ID]\n"
     "                   [--from TIME] [--to TIME] [--day K] [--seed S]\n"
     "                   [--set PATH=VALUE]... [--format text|csv] [-o FILE]\n"
     "\n"
     "Simulates one day of SCENARIO (without one, the built-in dealership) and tells\n"
     "it in plain words with clock times: who arrived, who served them, who waited\n"
     "on another department, who gave up and where. The same seed tells the same\n"
     "story; it is the day that 'cxsim run' measures as its day K.\n"
     "\n"
     "Options:\n"
     "      --customers N     only the first N external customers to arrive (of --class\n"
     "                        when given), and the requests made for them\n"
     "      --class NAME      only customers of class NAME (and requests for them)\n"
     "      --customer ID     only one customer, as in --customer buyer#17\n"
     "      --from TIME       only events at or after TIME (\"HH:MM\", or minutes)\n"
     "      --to TIME         only events at or before TIME\n"
     "      --day K           which day (replication) to tell, from 1 (default 1)\n"
     "      --seed S          master seed, 0 to 2^64-1 (default: the scenario's seed:)\n"
     "      --set PATH=VALUE  change one value first, as for run\n"
     "      --format FORMAT   text (the story, the default) or csv (an event log: time,\n"
     "                        clock, customer, class, kind, department, event, staff,\n"
     "                        related, to, duration, walk, count, score)\n"
     "  -o, --output FILE     write to FILE (written whole, or not at all)\n",
     cmd_trace};
const struct cli_command cli_check = {
    "check", "validate a scenario file and say what it describes",
     "usage: cxsim check SCENARIO [--set PATH=VALUE]... [--grid PATH=VALUES]...\n"
     "\n"
     "Reads SCENARIO, checks everything in it (exit 65 with the file, line and column\n"
     "of the first problem), and prints the business it describes: departments and\n"
     "staff, customers, routes, requests, variants and sweep. --set and --grid are\n"
     "checked as cxsim run and cxsim sweep read them.\n",
     cmd_check};

/* One round of cxsim run: the baseline, reps replications. */
struct run_round {
    struct mdl_scenario *s;
    uint64_t seed;
    int jobs;
    size_t memory;   /* the budget (sim/cli/budget.h) */
    bool said;       /* its note, when it held the threads back */
};

static void run_round(void *ctx, unsigned reps, struct sim_arena *arena, struct out_plan *plans)
{
    struct run_round *rr = ctx;
    struct mdl_run_totals totals;
    int threads = 1;
    unsigned keep = 0;
    struct sim_err e;   /* cannot fail here: what one replication needs was checked before the first round */
    sim_err_init(&e);
    cli_budget_fit(rr->memory, &rr->s, 1, reps, rr->jobs, &threads, &keep, &rr->said, &e);
    cli_results_run_bounded(rr->s, "baseline", rr->seed, reps, threads, keep, arena, &plans[0], &totals);
}

static int cmd_run(struct cli *cli, int argc, char **argv)
{
    struct sim_err *err = &cli->err;
    time_t started = time(NULL);
    struct cli_scenario_opts so;
    struct cli_report_opts ro;
    struct mdl_scenario *s;
    if (!cli_report_open(cli, &cli_run, argc, argv, &so, &ro, &s))
        return err->code;
    /* what it will run fits the memory budget before anything runs, the
     * warm-up's pilots included */
    struct run_round round = {s, 0, (int)ro.jobs, ro.memory, false};
    int threads;
    unsigned keep;
    if (cli_budget_fit(ro.memory, &s, 1, ro.reps ? (unsigned)ro.reps : s->replications, (int)ro.jobs, &threads,
                       &keep, &round.said, err)) {
        mdl_scenario_destroy(s);
        cli_scenario_opts_fini(&so);
        return err->code;
    }
    cli_choose_warmup(&so, s);
    struct sim_arena *arena = sim_arena_create(0);
    struct out_report report;
    cli_report_init(cli, &report, s, &so, &ro, started, arena);
    round.seed = report.seed;
    struct out_plan plan;
    struct sim_arena *plans_arena = cli_run_rounds(&ro, &report, 1, run_round, &round, &plan);
    report.plans = &plan;
    report.nplans = 1;
    cli_warn_overloaded(&plan, s);
    cli_write_report(&report, ro.format, so.out_path, err);
    sim_arena_destroy(plans_arena);
    sim_arena_destroy(arena);
    mdl_scenario_destroy(s);
    cli_scenario_opts_fini(&so);
    return err->code;
}

/* Parses a time of day "HH:MM" (or a number of minutes) into minutes. */
static bool parse_time(const char *arg, double *out)
{
    int h, m;
    char tail;
    if (sscanf(arg, "%d:%d%c", &h, &m, &tail) == 2 && strlen(arg) == 5 && h >= 0 && h <= 47 && m >= 0 && m < 60) {
        *out = 60.0 * h + m;
        return true;
    }
    return cli_parse_number(arg, out) && *out >= 0;
}

/* Checks that a --class or --customer names a class of the scenario. */
static int check_class(const struct mdl_scenario *s, const char *opt, const char *name, struct sim_err *err)
{
    if (mdl_scenario_class(s, name) >= 0)
        return SIM_OK;
    const char *names[MDL_MAX_CLASSES];
    for (size_t i = 0; i < s->nclasses && i < MDL_MAX_CLASSES; i++)
        names[i] = s->classes[i].name;
    const char *close = sim_err_suggest(name, names, s->nclasses);
    if (close)
        return sim_err_set(err, SIM_EUSAGE, "%s: the scenario has no class '%s'; did you mean '%s'?", opt, name,
                           close);
    return sim_err_set(err, SIM_EUSAGE, "%s: the scenario has no class '%s'", opt, name);
}

static void trace_event(void *ctx, const struct mdl_event *ev)
{
    struct out_trace_event told = cli_results_event(ev);
    out_trace_event(ctx, &told);
}

static int cmd_trace(struct cli *cli, int argc, char **argv)
{
    struct sim_err *err = &cli->err;
    static const struct option longs[] = {
        {"customers", required_argument, NULL, 'n'}, {"class", required_argument, NULL, 'c'},
        {"customer", required_argument, NULL, 'i'},  {"from", required_argument, NULL, 'F'},
        {"to", required_argument, NULL, 'T'},        {"day", required_argument, NULL, 'd'},
        {"seed", required_argument, NULL, 's'},      {"set", required_argument, NULL, 'S'},
        {"format", required_argument, NULL, 'f'},    {"output", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},            {NULL, 0, NULL, 0},
    };
    static const char *const formats[] = {"text", "csv"};
    struct out_trace_filter filter = {.from_at = NAN, .to_at = NAN};
    char customer[64] = "";
    long day = 1, count = 0;
    int format = OUT_TRACE_TEXT;
    struct cli_scenario_opts so;
    cli_scenario_opts_init(&so, argc);
    int c;
    while ((c = cli_next_option(argc, argv, ":o:h", longs, "trace", err)) != -1) {
        if (cli_scenario_option(c, &so, err)) {
            if (err->code)
                break;
            continue;
        }
        switch (c) {
        case 'n':
            if (!cli_parse_count(optarg, 1, 1e9, &count))
                sim_err_set(err, SIM_EUSAGE, "--customers must be a whole number from 1 to 1000000000, got '%s'",
                            optarg);
            filter.customers = (unsigned long)count;
            break;
        case 'c':
            filter.cls = optarg;
            break;
        case 'i': {
            const char *hash = strchr(optarg, '#');
            if (!hash || hash == optarg || (size_t)(hash - optarg) >= sizeof customer ||
                !cli_parse_count(hash + 1, 1, 4e9, &count)) {
                sim_err_set(err, SIM_EUSAGE, "--customer must be CLASS#NUMBER, NUMBER a whole number from 1, as in "
                            "buyer#17, got '%s'", optarg);
                break;
            }
            memcpy(customer, optarg, (size_t)(hash - optarg));
            customer[hash - optarg] = '\0';
            filter.customer_cls = customer;
            filter.customer_id = (unsigned long)count;
            break;
        }
        case 'F':
        case 'T':
            if (!parse_time(optarg, c == 'F' ? &filter.from_at : &filter.to_at))
                sim_err_set(err, SIM_EUSAGE, "--%s must be a time of day \"HH:MM\" or minutes, got '%s'",
                            c == 'F' ? "from" : "to", optarg);
            break;
        case 'd':
            if (!cli_parse_count(optarg, 1, MDL_MAX_REPLICATIONS, &day))
                sim_err_set(err, SIM_EUSAGE, "--day must be a whole number from 1 to %d, got '%s'",
                            MDL_MAX_REPLICATIONS, optarg);
            break;
        case 'f':
            cli_parse_format(optarg, formats, 2, "trace", &format, err);
            break;
        case 'h':
            cli_scenario_opts_fini(&so);
            return cli_help(&cli_trace);
        default:
            break;
        }
        if (err->code)
            break;
    }
    if (!err->code && argc - optind > 1)
        sim_err_set(err, SIM_EUSAGE, "trace takes one scenario file, got '%s' too (see 'cxsim help trace')",
                    argv[optind + 1]);
    if (!err->code && isfinite(filter.from_at) && isfinite(filter.to_at) && filter.to_at < filter.from_at)
        sim_err_set(err, SIM_EUSAGE, "--to comes before --from");
    struct mdl_scenario *s = NULL;
    if (err->code || cli_load_scenario(cli, optind < argc ? argv[optind] : NULL, &so, &s)) {
        cli_scenario_opts_fini(&so);
        return err->code;
    }
    int threads;
    unsigned keep;
    bool said = false;
    if ((filter.cls && check_class(s, "--class", filter.cls, err)) ||
        (filter.customer_cls && check_class(s, "--customer", filter.customer_cls, err)) ||
        cli_budget_fit(cli_budget_default(), &s, 1, 1, 1, &threads, &keep, &said, err)) {
        mdl_scenario_destroy(s);
        cli_scenario_opts_fini(&so);
        return err->code;
    }
    cli_choose_warmup(&so, s);
    uint64_t seed = so.have_seed ? so.seed : s->seed;
    char subtitle[160], open[16], close[16];
    if (s->is_day)
        snprintf(subtitle, sizeof subtitle, "Day %ld of seed %llu, from %s to %s", day, (unsigned long long)seed,
                 out_clock(open, sizeof open, s->open_at), out_clock(close, sizeof close, s->close_at));
    else
        snprintf(subtitle, sizeof subtitle, "Run %ld of seed %llu: %g minutes of warm-up, then %g measured; "
                 "times are hours:minutes from the start", day, (unsigned long long)seed, s->warmup_dur,
                 s->length_dur);
    struct out_file o;
    if (!out_file_open(&o, so.out_path, err)) {
        struct out_trace *t = out_trace_create((enum out_trace_format)format, &filter, s->is_day, s->name, subtitle,
                                               o.f);
        struct mdl_flow_stats stats;
        mdl_flow_trace(s, seed, (uint32_t)(day - 1), trace_event, t, &stats);
        out_trace_finish(t, err);
        if (stats.over_events)
            fprintf(stderr, "%s: warning: the story was stopped after %ld events%s (max_events sets the limit)\n",
                    CLI_PROG, s->max_events,
                    s->max_events_given ? "" : ", 100 times what its arrivals and routes lead one to expect");
        else if (stats.overloaded)
            fprintf(stderr, "%s: warning: the story was stopped: over %ld customers inside at once (overloaded; "
                    "max_in_system sets the limit)\n", CLI_PROG, s->max_in_system);
        out_file_close(&o, err->code == SIM_OK, err);
    }
    mdl_scenario_destroy(s);
    cli_scenario_opts_fini(&so);
    return err->code;
}

static int cmd_check(struct cli *cli, int argc, char **argv)
{
    struct sim_err *err = &cli->err;
    static const struct option longs[] = {{"set", required_argument, NULL, 'S'},
                                          {"grid", required_argument, NULL, 'G'},
                                          {"help", no_argument, NULL, 'h'},
                                          {NULL, 0, NULL, 0}};
    struct cli_scenario_opts so;
    cli_scenario_opts_init(&so, argc);
    int c;
    while ((c = cli_next_option(argc, argv, ":h", longs, "check", err)) != -1) {
        if (c == 'h') {
            cli_scenario_opts_fini(&so);
            return cli_help(&cli_check);
        }
        if (!cli_scenario_option(c, &so, err) || err->code)
            break;
    }
    if (!err->code && argc - optind != 1)
        sim_err_set(err, SIM_EUSAGE, "check takes one scenario file, as in 'cxsim check dealership.yaml'");
    /* everything: the baseline, every variant, every value of the sweep */
    struct mdl_scenario *s = NULL;
    struct mdl_plans *plans = NULL;
    if (!err->code && !cli_load_scenario(cli, argv[optind], &so, &s) && !cli_load_plans(cli, s, &so, &plans)) {
        struct mdl_scenario **variants = sim_xcalloc(plans->nvariants + 1, sizeof *variants);
        if (!mdl_plans_build_variants(plans, variants, err) && !mdl_plans_check_axes(plans, err))
            mdl_describe(s, plans, stdout, err);
        for (size_t v = 0; v < plans->nvariants; v++)
            mdl_scenario_destroy(variants[v]);
        free(variants);
    }
    mdl_plans_destroy(plans);
    mdl_scenario_destroy(s);
    cli_scenario_opts_fini(&so);
    return err->code;
}
