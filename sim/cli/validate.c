/* sim/cli/validate.c — cxsim validate: does the model match the business?
 * (spec §5; docs/fit.md).
 *
 * Loads the scenario (with --set) and reads the log (models/vlog.c: a bad
 * row is an error at its line and column), sets the scenario's simulated
 * days against the logged ones (models/validate.c) and writes the report
 * (output/validate.c) in text, CSV, JSON or HTML. The exit code says
 * whether it could compare, not whether they agree: a report that finds
 * differences is a success (0); its "differ" count tells a script.
 */
#include "sim/cli/cli.h"

#include "models/scenario.h"
#include "models/validate.h"
#include "models/vlog.h"
#include "output/file.h"
#include "output/validate.h"
#include "sim/mem.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int cmd_validate(struct cli *cli, int argc, char **argv);

const struct cli_command cli_validate = {
    "validate", "the scenario's waits and losses against the business's records",
    "usage: cxsim validate SCENARIO LOG.csv [--days N] [--seed S] [--set PATH=VALUE]...\n"
    "                      [--map FIELD=COLUMN]... [--outcome WORD=OUTCOME]... [--ids-per-day]\n"
    "                      [--format text|csv|json|html] [-o FILE] [--jobs N]\n"
    "\n"
    "Simulates days of SCENARIO and sets them against the days of a log of visits\n"
    "(the log 'cxsim fit' reads): for each department the two share and each\n"
    "interval of the day (the scenario's day.interval), arrivals a day, the mean\n"
    "and 90th percentile of the waits, the share started within the target wait,\n"
    "and the share that dropped out, each with its 95% interval. Where the log\n"
    "and the model differ by more than chance would make (Holm's procedure over\n"
    "every comparison, 5% family-wise), the report says so: there the model is\n"
    "not yet the business.\n"
    "\n"
    "Options:\n"
    "      --days N          days to simulate (default ten times the log's, 100 to 1000)\n"
    "      --seed S          master seed (default: the scenario's seed:)\n"
    "      --set PATH=VALUE  change one value of the scenario first, as for run\n"
    "      --interval N      minutes of each interval (sets day.interval)\n"
    "      --map FIELD=COLUMN, --outcome WORD=OUTCOME, --ids-per-day\n"
    "                        read the log as 'cxsim fit' does (see 'cxsim help fit')\n"
    "      --format FORMAT   text (default), csv, json or html\n"
    "  -o, --output FILE     write to FILE (written whole, or not at all)\n"
    "  -j, --jobs N          threads (default: every core)\n"
    "\n"
    "Example:\n"
    "  cxsim validate fitted.yaml scenarios/data/dealership-log.csv\n",
    cmd_validate};

static int cmd_validate(struct cli *cli, int argc, char **argv)
{
    struct sim_err *err = &cli->err;
    static const struct option longs[] = {
        {"days", required_argument, NULL, 'D'},   {"seed", required_argument, NULL, 's'},
        {"set", required_argument, NULL, 'S'},    {"interval", required_argument, NULL, 'I'},
        {"map", required_argument, NULL, 'M'}, {"outcome", required_argument, NULL, 'U'},
        {"ids-per-day", no_argument, NULL, 'Y'},    {"format", required_argument, NULL, 'f'},
        {"output", required_argument, NULL, 'o'}, {"jobs", required_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0},
    };
    time_t started = time(NULL);
    struct cli_scenario_opts so;
    struct cli_report_opts ro = {0};
    struct mdl_vlog_options lo = {0};
    long days = 0;
    cli_scenario_opts_init(&so, argc);
    int c;
    while (!err->code && (c = cli_next_option(argc, argv, ":o:j:h", longs, "validate", err)) != -1) {
        if (c == 'h') {
            cli_scenario_opts_fini(&so);
            return cli_help(&cli_validate);
        }
        if (cli_scenario_option(c, &so, err) || cli_report_option(c, "validate", &ro, err))
            continue;
        if (c == 'D' && !cli_parse_count(optarg, 2, 100000, &days))
            sim_err_set(err, SIM_EUSAGE, "--days must be a whole number from 2 to 100000, got '%s'", optarg);
        else
            cli_log_option(c, &lo, err);
    }
    if (!err->code && argc - optind != 2)
        sim_err_set(err, SIM_EUSAGE, "validate takes a scenario and a log, as in 'cxsim validate fitted.yaml "
                    "scenarios/data/dealership-log.csv'");
    struct mdl_scenario *s = NULL;
    if (err->code || cli_load_scenario(cli, argv[optind], &so, &s)) {
        cli_scenario_opts_fini(&so);
        return err->code;
    }
    const char *log_path = argv[optind + 1];
    struct mdl_vlog_reader *rd = NULL;
    struct mdl_val *v = NULL;
    struct mdl_val_config cfg = {.days = (unsigned)days, .seed = so.have_seed ? so.seed : s->seed, .jobs = (int)ro.jobs};
    if (mdl_vlog_open(log_path, &lo, &rd, err) || mdl_validate_stream(s, rd, &cfg, &v, err)) {
        size_t len = 0;
        const char *bad = rd ? mdl_vlog_reader_bad_line(rd, &len) : NULL;
        if (bad)
            cli_keep_error_line(cli, bad, len);
    }
    if (!err->code) {
        /* the report: the simulated side's header, the comparison */
        struct sim_arena *arena = sim_arena_create(0);
        struct out_report r;
        ro.reps = (long)v->sim_days;
        cli_report_init(cli, &r, s, &so, &ro, started, arena);
        struct out_val_cell *cells = sim_xcalloc(v->ndepts * (v->nbins + 1) * MDL_VM, sizeof *cells);
        for (size_t i = 0; i < v->ndepts * (v->nbins + 1) * MDL_VM; i++) {
            const struct mdl_val_cell *mc = &v->cells[i];
            cells[i] = (struct out_val_cell){mc->obs.mean, mc->obs.lo, mc->obs.hi, mc->sim.mean, mc->sim.lo,
                                             mc->sim.hi, mc->p, mc->disagree};
        }
        const char *slash = strrchr(log_path, '/');
        struct out_validate ov = {slash ? slash + 1 : log_path, v->log_days, v->sim_days, v->ndepts, v->depts,
                                  v->targets, v->nbins, v->from_at, v->to_at, cells, v->tests, v->disagreements,
                                  v->only_log, v->only_scenario, v->outside};
        struct out_file of;
        if (!out_file_open(&of, so.out_path, err)) {
            if (ro.format == CLI_CSV)
                out_validate_csv_write(&ov, &r, of.f, err);
            else if (ro.format == CLI_JSON)
                out_validate_json_write(&ov, &r, of.f, err);
            else if (ro.format == CLI_HTML)
                out_validate_html_write(&ov, &r, of.f, err);
            else
                out_validate_text_write(&ov, &r, of.f, err);
            out_file_close(&of, err->code == SIM_OK, err);
        }
        free(cells);
        sim_arena_destroy(arena);
    }
    mdl_val_destroy(v);
    mdl_vlog_close(rd);
    mdl_scenario_destroy(s);
    cli_scenario_opts_fini(&so);
    return err->code;
}
