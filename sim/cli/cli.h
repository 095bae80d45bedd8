/* sim/cli/cli.h — the cxsim program: what its commands share.
 *
 * The program is sim/cli/main.c (argv, the command table, printing the
 * error and choosing the exit code), one file per command family
 * (run.c: run, trace, check; compare.c; sweep.c: sweep, merge; workshop.c
 * and play.c; dist.c) and common.c, what they share: options, loading a
 * scenario, the report's header and manifest, writing a report whole. These
 * files are the only ones that include sim/, models/ and output/ together;
 * plan.c is where a model's replications become a report's plan.
 *
 * State: one struct cli per process, made by main() and passed to the
 * command as its first argument (as Lua passes lua_State). It holds the
 * command's error and every text an error may point into (the scenario, the
 * --set and --grid values), so that main() can print the error with its
 * line and caret after the command returns. Nothing here is a file static.
 *
 * A command sets at most one error (the first wins, sim/err.h) and returns
 * its code; only main() prints it. Data goes to stdout or -o; messages go
 * to stderr.
 */
#ifndef CLI_CLI_H
#define CLI_CLI_H

#include "sim/err.h"
#include "sim/mem.h"

#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#define CLI_PROG "cxsim"

/* The model's and the report's types, by name only: the commands' files
 * include models/ and output/ themselves. */
struct mdl_scenario;
struct mdl_plans;
struct out_report;
struct out_plan;
struct out_manifest;

/* A text an error may point into: its name (a file, "(built-in)", "--set")
 * and its bytes. */
struct cli_source {
    const char *name, *text;
    size_t len;
};

/* The program's state, one per process. */
struct cli {
    struct sim_err err;          /* the command's error; main() prints it */
    char *command_line;          /* as typed, shell-quoted where needed (owned) */
    struct cli_source scenario;  /* the scenario loaded last (zero before) */
    char *scenario_owned;        /* its text when read from a file (owned) */
    struct cli_source sets;      /* the --set values, each followed by a newline (owned) */
    struct cli_source grid;      /* the --grid values, likewise (owned) */
    char *err_line;              /* the line of a file read as a stream that err points at (owned) */
    size_t err_line_len;
};

/* Makes the state for a command line (argv as main() received it). */
void cli_init(struct cli *cli, int argc, char **argv);
/* Frees what cli owns; err is kept. */
void cli_fini(struct cli *cli);
/* The source an error of cli points into (the scenario, --set, --grid), or
 * NULL when it points into none (a file's name, say). */
const struct cli_source *cli_error_source(const struct cli *cli);
/* The options of the commands that read a log (fit, validate) into opt
 * (models/vlog.h): 'M' --map FIELD=COLUMN, 'U' --outcome WORD=OUTCOME
 * (the argument is cut at its '=' and kept), 'Y' --ids-per-day. Returns
 * true when c is one of them (err set, 64, when its value is bad). */
struct mdl_vlog_options;
bool cli_log_option(int c, struct mdl_vlog_options *opt, struct sim_err *err);
/* Refuses (73) a file the command will write later (option names it in
 * the message): a device, a FIFO or a link to one, or a file whose folder
 * is missing or not writable — said before the work, not after it. */
int cli_check_writable(const char *path, const char *option, struct sim_err *err);
/* Keeps a copy of line[0..len), the line of a file read as a stream (a
 * log) that the error points at, for the caret under its column. */
void cli_keep_error_line(struct cli *cli, const char *line, size_t len);

struct cli_command {
    const char *name;
    const char *summary;
    const char *help;   /* full help: usage line first */
    int (*run)(struct cli *cli, int argc, char **argv);
};

extern const struct cli_command cli_run, cli_trace, cli_check, cli_dist, cli_compare, cli_sweep, cli_merge, cli_optimise,
    cli_workshop, cli_fit, cli_validate, cli_serve;

/* Prints cmd's help to stdout (for -h, --help); returns SIM_OK. */
int cli_help(const struct cli_command *cmd);

/* getopt_long with cxsim's one-line messages: returns the option, -1 at the
 * end, or sets err (64) and returns '?'. */
int cli_next_option(int argc, char **argv, const char *shorts, const struct option *longs, const char *cmd,
                    struct sim_err *err);

/* A finite number written in decimal (digits, a sign, a point, an
 * exponent; no space, no hex), the whole string: --precision, --from, a
 * distribution's parameter, a play's speed. */
bool cli_parse_number(const char *s, double *out);
/* The one reader of every whole-number option: decimal digits only, and
 * nothing else — no space, sign, 0x, exponent or decimal point, so " -1"
 * is never 2^64-1 nor 0x10 sixteen — with a value from lo to hi. Leading
 * zeros are digits like any. False for anything else: the option then
 * says what it was given and what it takes (exit 64). */
bool cli_parse_whole(const char *s, uint64_t lo, uint64_t hi, uint64_t *out);
/* The same for a count held in a long (0 <= lo <= hi). */
bool cli_parse_count(const char *s, long lo, long hi, long *out);
/* --seed: a whole number 0 .. 2^64-1, else a usage error. */
int cli_seed_option(const char *arg, uint64_t *seed, struct sim_err *err);

enum cli_format { CLI_TEXT, CLI_CSV, CLI_JSON, CLI_HTML };
/* --format: one of names[0..n) (in enum cli_format order), else a usage
 * error that lists them. */
int cli_parse_format(const char *arg, const char *const *names, int n, const char *cmd, int *out,
                     struct sim_err *err);

/* The options shared by the commands that simulate a scenario: --seed,
 * --set (kept in order), -o, --grid (sweep and check). */
struct cli_scenario_opts {
    uint64_t seed;
    bool have_seed;
    char **sets;          /* argc slots each; freed by cli_scenario_opts_fini */
    size_t nsets;
    char **grid;
    size_t ngrid;
    const char *out_path;
    char interval[32];    /* --interval N: "day.interval=N", the last of sets; "" */
    size_t interval_at;   /* its place among sets */
};
void cli_scenario_opts_init(struct cli_scenario_opts *so, int argc);
void cli_scenario_opts_fini(struct cli_scenario_opts *so);
/* Takes option c ('s' seed, 'S' set, 'G' grid, 'o' output, 'I' interval:
 * --interval N is --set day.interval=N, the by-hour figures' bins) when it
 * is one of the shared ones: returns true (err set when its value is bad),
 * false for the command's own options. */
bool cli_scenario_option(int c, struct cli_scenario_opts *so, struct sim_err *err);

/* The options of the commands that report (run, compare, sweep): --reps,
 * --jobs, --format text|csv|json|html (enum cli_format). */
struct cli_report_opts {
    long reps, jobs;   /* 0: the scenario's replications; all cores */
    int format;
    bool reps_auto;    /* --reps auto: rounds until every goal is decided */
    double precision;  /* --precision: the goal metrics' largest half-width then */
    long max_reps;     /* --max-reps: the most replications auto may run */
    size_t memory;     /* --memory: the budget in bytes (sim/cli/budget.h); its default once parsed */
};
#define CLI_DEFAULT_PRECISION 0.02
#define CLI_DEFAULT_MAX_REPS 2000
/* Takes option c ('r', 'j', 'f', 'P' precision, 'R' max-reps, 'B' memory) when it is
 * one of these, like cli_scenario_option; "--reps auto" sets reps_auto. */
bool cli_report_option(int c, const char *cmd, struct cli_report_opts *ro, struct sim_err *err);
/* Starts run or compare (cmd): parses the whole command line (the scenario
 * and report options, at most one SCENARIO operand) into so and ro, and
 * loads the scenario into *s (the caller destroys it and finishes so).
 * Returns false when the command is over: an error is set in cli, or its
 * help was printed; so is then finished and *s is NULL. */
bool cli_report_open(struct cli *cli, const struct cli_command *cmd, int argc, char **argv,
                     struct cli_scenario_opts *so, struct cli_report_opts *ro, struct mdl_scenario **s);

/* Loads SCENARIO (the built-in one when path is NULL) with so's --set
 * overrides, parsed and checked once: the baseline, its warm-up not yet
 * chosen (cli_choose_warmup). Its text and the overrides' are kept in cli
 * for error messages and the manifest. Its warnings are printed on stderr
 * (cli_print_warnings), once: every command loads its baseline once. */
int cli_load_scenario(struct cli *cli, const char *path, const struct cli_scenario_opts *so,
                      struct mdl_scenario **out);
/* Prints s's warnings (models/scenario.h) to f, one a line, "FILE:LINE:COL:
 * warning: MESSAGE" in printable text, leaving out those `before` has too
 * (NULL: none), so that a warning is said once however often the scenario
 * is rebuilt (the workshop rebuilds it at each change). */
void cli_print_warnings(const struct mdl_scenario *s, const struct mdl_scenario *before, FILE *f);
/* Chooses s's warm-up when it asks for warmup: auto (models/warmup.h),
 * from pilots on the run's seed. Not part of loading: a command calls it
 * once what it will run is known to fit (sim/cli/budget.h), since the
 * pilots are runs of the scenario too; check never does. */
void cli_choose_warmup(const struct cli_scenario_opts *so, struct mdl_scenario *s);
/* Reads the plans of s (cli_load_scenario's): its variants, and its sweep
 * or, when so has --grid axes, those in its place. Builds none of them
 * (models/plans.h). The caller destroys *out before s. */
int cli_load_plans(struct cli *cli, const struct mdl_scenario *s, const struct cli_scenario_opts *so,
                   struct mdl_plans **out);

/* The manifest of a report: version, SHA-256 of the scenario text, the
 * command line, the time it started (strings in the arena). */
void cli_fill_manifest(const struct cli *cli, struct out_manifest *m, time_t started, struct sim_arena *arena);

/* The header of a report of s: names, the day or run, the replications
 * (ro's --reps, else the scenario's), the seed (so's --seed, else the
 * scenario's), and the manifest; no plans yet. */
void cli_report_init(const struct cli *cli, struct out_report *r, const struct mdl_scenario *s,
                     const struct cli_scenario_opts *so, const struct cli_report_opts *ro, time_t started,
                     struct sim_arena *arena);
/* Runs the nplans plans of a report: run(ctx, reps, arena, plans) fills
 * plans[0..nplans) from reps replications, their data in arena. Once with
 * r->replications; with --reps auto (ro->reps_auto) in rounds from there,
 * each with the replications the last one says would likely settle every
 * goal (cli_results_reps_needed; at least half as many again), until no
 * goal needs more or ro->max_reps is reached. Sets r->replications and
 * r->auto_reps; returns the arena of the last round's plans (the caller
 * destroys it). */
typedef void (*cli_round_fn)(void *ctx, unsigned reps, struct sim_arena *arena, struct out_plan *plans);
struct sim_arena *cli_run_rounds(const struct cli_report_opts *ro, struct out_report *r, size_t nplans,
                                 cli_round_fn run, void *ctx, struct out_plan *plans);

/* One round of a comparison (cxsim compare, optimise's check): the
 * baseline and every other plan, reps replications each on the same days,
 * each paired with the baseline; cli_run_rounds's run with this as ctx. */
struct cli_compare_round {
    struct mdl_scenario *const *all;   /* the baseline, then the others */
    const char *const *names;
    size_t n;
    uint64_t seed;
    int jobs;
    size_t memory;                     /* the budget (sim/cli/budget.h) */
    bool said;                         /* its note, when it held the threads back */
};
void cli_compare_round(void *ctx, unsigned reps, struct sim_arena *arena, struct out_plan *out);

/* Warns on stderr when replications of plan p (of scenario s) were stopped
 * as overloaded: at max_in_system, or at max_events. */
void cli_warn_overloaded(const struct out_plan *p, const struct mdl_scenario *s);
/* Writes r as text, CSV, JSON or HTML (enum cli_format) to path (NULL or "-":
 * stdout; a file is written whole or not at all). */
int cli_write_report(const struct out_report *r, int format, const char *path, struct sim_err *err);

/* True when stderr is a terminal (progress bars are drawn only then). */
bool cli_stderr_is_tty(void);

/* True on the process that prints and writes files: under MPI, rank 0
 * alone; otherwise always. */
bool cli_speaks(void);

#endif
