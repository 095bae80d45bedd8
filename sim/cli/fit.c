/* sim/cli/fit.c — cxsim fit: a scenario file from the business's own
 * records of visits (spec §5; docs/fit.md).
 *
 * Reads the log day by day (models/vlog.c: a bad row is an error at its
 * line and column, with the line and a caret) into the estimates
 * (models/fit.c: memory for a day's rows and bounded samples), writes the
 * commented scenario (models/fit_write.c) to stdout or -o — whole or not
 * at all, and only once it has been read back as a scenario — and says on
 * stderr what the scenario's reader should check.
 */
#include "sim/cli/cli.h"

#include "models/fit.h"
#include "models/load.h"
#include "models/scenario.h"
#include "models/vlog.h"
#include "output/file.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_BOOTSTRAP 199

static int cmd_fit(struct cli *cli, int argc, char **argv);

const struct cli_command cli_fit = {
    "fit", "a scenario file from the business's own records of visits",
    "usage: cxsim fit LOG.csv [-o SCENARIO.yaml] [--map FIELD=COLUMN]... [--outcome WORD=OUTCOME]...\n"
    "                 [--ids-per-day] [--interval N] [--by-weekday] [--bootstrap N] [--seed S]\n"
    "\n"
    "Reads a log of visits (CSV with a header, one row per visit to a department:\n"
    "visit, department, arrived, started, ended, and optionally class, outcome,\n"
    "staff; times ISO 8601, as 2026-11-02T09:16:02) and writes a scenario file\n"
    "that describes it: arrival rates by interval of the day, service times by\n"
    "department (the distribution that fits best), routes, handoff times,\n"
    "patience, and the staff seen at work. Every value comes with its 95%\n"
    "interval in a comment; what a log cannot tell is marked \"check\". Then\n"
    "'cxsim validate SCENARIO.yaml LOG.csv' says whether the model matches.\n"
    "\n"
    "Options:\n"
    "  -o, --output FILE     write the scenario to FILE (written whole, or not at all)\n"
    "      --map FIELD=COLUMN  read FIELD (visit, department, arrived, started, ended,\n"
    "                        class, outcome, staff) from the column named COLUMN\n"
    "      --outcome WORD=OUTCOME  read WORD in the outcome column as OUTCOME (served,\n"
    "                        reneged, balked, blocked), as --outcome no-show=reneged; a\n"
    "                        visit so marked that was called left when it was called\n"
    "      --ids-per-day     visit ids restart every day (a journey is its date and id)\n"
    "      --interval N      minutes of each interval of the day, 5 to 1440 (default 60)\n"
    "      --by-weekday      test whether the weekdays' arrivals differ, and give each\n"
    "                        weekday its rates (as variants) when they do\n"
    "      --bootstrap N     samples of each goodness-of-fit test, 19 to 9999 (default 199)\n"
    "      --seed S          the tests' random numbers (default 1)\n"
    "\n"
    "Example:\n"
    "  cxsim fit scenarios/data/dealership-log.csv -o fitted.yaml\n",
    cmd_fit};

static int cmd_fit(struct cli *cli, int argc, char **argv)
{
    struct sim_err *err = &cli->err;
    static const struct option longs[] = {
        {"output", required_argument, NULL, 'o'},   {"map", required_argument, NULL, 'M'}, {"outcome", required_argument, NULL, 'U'},
        {"ids-per-day", no_argument, NULL, 'Y'},
        {"interval", required_argument, NULL, 'I'}, {"by-weekday", no_argument, NULL, 'W'},
        {"bootstrap", required_argument, NULL, 'b'}, {"seed", required_argument, NULL, 's'},
        {"help", no_argument, NULL, 'h'},           {NULL, 0, NULL, 0},
    };
    struct mdl_vlog_options lo = {0};
    const char *out_path = NULL;
    struct mdl_fit_config cfg = {.interval = 60, .bootstrap = DEFAULT_BOOTSTRAP, .seed = 1};
    long n = 0;
    int c;
    while (!err->code && (c = cli_next_option(argc, argv, ":o:h", longs, "fit", err)) != -1) {
        switch (c) {
        case 'h':
            return cli_help(&cli_fit);
        case 'o':
            out_path = optarg;
            break;
        case 'M':
        case 'U':
        case 'Y':
            cli_log_option(c, &lo, err);
            break;
        case 'I':
            if (!cli_parse_count(optarg, 5, 1440, &n))
                sim_err_set(err, SIM_EUSAGE, "--interval must be a whole number of minutes from 5 to 1440, got '%s'",
                            optarg);
            cfg.interval = (double)n;
            break;
        case 'W':
            cfg.by_weekday = true;
            break;
        case 'b':
            if (!cli_parse_count(optarg, 19, 9999, &n))
                sim_err_set(err, SIM_EUSAGE, "--bootstrap must be a whole number from 19 to 9999, got '%s'", optarg);
            cfg.bootstrap = (unsigned)n;
            break;
        case 's':
            cli_seed_option(optarg, &cfg.seed, err);
            break;
        default:
            break;
        }
    }
    if (!err->code && argc - optind != 1)
        sim_err_set(err, SIM_EUSAGE, argc - optind ? "fit takes one log file (see 'cxsim help fit')"
                                                   : "fit needs a log file, as in 'cxsim fit "
                                                     "scenarios/data/dealership-log.csv'");
    if (err->code)
        return err->code;
    const char *path = argv[optind];
    struct mdl_vlog_reader *rd = NULL;
    struct mdl_fit *fit = NULL;
    if (mdl_vlog_open(path, &lo, &rd, err) || mdl_fit_stream(rd, &cfg, &fit, err)) {
        size_t len = 0;
        const char *bad = rd ? mdl_vlog_reader_bad_line(rd, &len) : NULL;
        if (bad)
            cli_keep_error_line(cli, bad, len);
    } else {
        size_t len;
        const char *slash = strrchr(path, '/');
        char *text = mdl_fit_write(fit, !strcmp(path, "-") ? "stdin" : slash ? slash + 1 : path, &len);
        /* what is written must read back as a scenario */
        struct mdl_scenario *s = NULL;
        struct sim_err again;
        sim_err_init(&again);
        if (mdl_load_scenario(out_path ? out_path : "<fitted>", text, len, NULL, 0, &s, &again))
            sim_err_set(err, SIM_EINTERNAL, "the scenario fitted from %s does not read back (line %d: %s): please "
                        "report it with the log", path, again.line, again.msg);
        mdl_scenario_destroy(s);
        struct out_file of;
        if (!err->code && !out_file_open(&of, out_path, err)) {
            fwrite(text, 1, len, of.f);
            out_file_close(&of, true, err);
        }
        if (!err->code) {
            fflush(stdout);   /* the scenario first, when both go to one place */
            char *warnings = mdl_fit_warnings(fit);
            for (char *line = warnings, *nl; *line; line = nl + 1) {
                nl = strchr(line, '\n');
                fprintf(stderr, "%s: warning: %.*s\n", CLI_PROG, (int)(nl - line), line);
            }
            free(warnings);
        }
        free(text);
    }
    mdl_fit_destroy(fit);
    mdl_vlog_close(rd);
    return err->code;
}
