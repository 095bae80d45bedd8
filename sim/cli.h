/* sim/cli.h — the cxsim program, shared by its commands.
 *
 * The program is sim/main.c (argv, the command table, printing the error
 * and choosing the exit code) and one file per command or family of
 * commands, sim/cli_*.c. These are the only files of sim/ that may use
 * models/ and output/: the kernel below them knows nothing of either.
 *
 * A command parses its own options with cli_next_option, sets at most one
 * error (sim/err.h) and returns its code; only main() prints it, with the
 * scenario text or the --set / --grid text it points into. Data goes to
 * stdout or -o; messages to stderr.
 */
#ifndef SIM_CLI_H
#define SIM_CLI_H

#include "sim/err.h"
#include "sim/mem.h"

#include <getopt.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#define CLI_PROG "cxsim"

/* The model's and the report's types, by name only: the commands' files
 * include models/ and output/ themselves. */
struct mdl_scenario;
struct out_report;
struct out_plan;
struct out_manifest;
struct out_sweep_meta;
struct out_sweep_ranking;
struct out_sweepdb;
struct out_heatmap;

struct cli_command {
    const char *name;
    const char *summary;
    const char *help;   /* full help: usage line first */
    int (*run)(int argc, char **argv, struct sim_err *err);
};

extern const struct cli_command cli_run, cli_trace, cli_check, cli_dist, cli_compare, cli_sweep, cli_merge,
    cli_workshop;

/* Prints the help of command `name` to stdout (for -h, --help). */
int cli_help_of(const char *name);

/* getopt_long with cxsim's one-line messages: returns the option, -1 at the
 * end, or sets err (64) and returns '?'. */
int cli_next_option(int argc, char **argv, const char *shorts, const struct option *longs, const char *cmd,
                    struct sim_err *err);

/* Whole strings only: a finite number; a whole number in [lo, hi]. */
bool cli_parse_number(const char *s, double *out);
bool cli_parse_count(const char *s, double lo, double hi, long *out);
/* --seed: a whole number 0 .. 2^64-1, else a usage error. */
int cli_seed_option(const char *arg, uint64_t *seed, struct sim_err *err);

enum cli_format { CLI_TEXT, CLI_CSV, CLI_JSON, CLI_HTML };
/* --format: one of names[0..n) (in enum cli_format order), else a usage
 * error that lists them. */
int cli_parse_format(const char *arg, const char *const *names, int n, const char *cmd, int *out,
                     struct sim_err *err);

/* The options shared by the commands that simulate a scenario: --seed,
 * --set (kept in order), -o, --grid (sweep only). */
struct cli_scenario_opts {
    uint64_t seed;
    bool have_seed;
    char **sets;          /* argc slots each; freed by cli_scenario_opts_fini */
    size_t nsets;
    char **grid;
    size_t ngrid;
    const char *out_path;
};
void cli_scenario_opts_init(struct cli_scenario_opts *so, int argc);
void cli_scenario_opts_fini(struct cli_scenario_opts *so);
/* Takes option c ('s' seed, 'S' set, 'G' grid, 'o' output) when it is one of
 * the shared ones: returns true (err set when its value is bad), false for
 * the command's own options. */
bool cli_scenario_option(int c, struct cli_scenario_opts *so, struct sim_err *err);

/* The options of the commands that report (run, compare, sweep): --reps,
 * --jobs, --format text|csv|json|html (enum cli_format). */
struct cli_report_opts {
    long reps, jobs;   /* 0: the scenario's replications; all cores */
    int format;
};
/* Takes option c ('r', 'j', 'f') when it is one of these, like
 * cli_scenario_option. */
bool cli_report_option(int c, const char *cmd, struct cli_report_opts *ro, struct sim_err *err);
/* Starts run or compare: parses the whole command line (the scenario and
 * report options, at most one SCENARIO operand) into so and ro, and loads
 * the scenario into *s (the caller destroys it and finishes so). Returns
 * false when the command is over: an error is set, or its help was printed;
 * so is then finished and *s is NULL. */
bool cli_report_open(int argc, char **argv, const char *cmd, struct cli_scenario_opts *so,
                     struct cli_report_opts *ro, struct mdl_scenario **s, struct sim_err *err);

/* Loads SCENARIO (the built-in one when path is NULL) with so's --set
 * overrides, and with its --grid axes in place of the file's sweep: when
 * there are any. The texts are kept for error messages and the manifest. */
int cli_load_scenario(const char *path, const struct cli_scenario_opts *so, struct mdl_scenario **out,
                      struct sim_err *err);

/* The scenario last loaded: its name (file, or "(built-in)") and text. */
struct cli_source {
    const char *name, *text;
    size_t len;
};
const struct cli_source *cli_scenario_source(void);
/* The --set overrides last loaded, each followed by a newline ("" for none). */
const char *cli_overrides_text(void);

/* The manifest of a report: version, SHA-256 of the scenario text, the
 * command line, the time it started (strings in the arena). */
void cli_fill_manifest(struct out_manifest *m, time_t started, struct sim_arena *arena);

/* The header of a report of s: names, the day or run, the replications
 * (ro's --reps, else the scenario's), the seed (so's --seed, else the
 * scenario's), and the manifest; no plans yet. */
void cli_report_init(struct out_report *r, const struct mdl_scenario *s, const struct cli_scenario_opts *so,
                     const struct cli_report_opts *ro, time_t started, struct sim_arena *arena);
/* Warns on stderr when replications of plan p were stopped as overloaded. */
void cli_warn_overloaded(const struct out_plan *p, long limit);
/* Writes r as text, CSV, JSON or HTML (enum cli_format) to path (NULL or "-":
 * stdout; a file is written whole or not at all). */
int cli_write_report(const struct out_report *r, int format, const char *path, struct sim_err *err);

/* True when stderr is a terminal (progress bars are drawn only then). */
bool cli_stderr_is_tty(void);

/* The workshop (sim/cli_workshop.c) and its day replayed (sim/cli_play.c):
 * story CUSTOMER tells that customer's first day under s and under the
 * scenario file as it is; play [SPEED|max] shows s's first day live. Both
 * replay day 1 of seed. SIGINT during a session sets the flag: a play
 * stops, the session goes on. */
extern volatile sig_atomic_t cli_workshop_interrupted;
void cli_workshop_story(const struct mdl_scenario *s, uint64_t seed, const char *args);
void cli_workshop_play(const struct mdl_scenario *s, uint64_t seed, const char *args);

/* The heat map of a sweep's HTML report (sim/cli_heatmap.c): --x, --y and
 * --metric as given (NULL: the defaults), then what they name. */
struct cli_heatmap {
    const char *x_path, *y_path, *metric;
    bool on;              /* checked, and the sweep has axes */
    int x, y;             /* axes; y -1 with one axis */
    int kind;             /* enum out_scope_kind of the metric's scope */
    char scope_name[64], metric_name[128], label[256];
};
/* Checks hm's options against the sweep m of scenario s (64 when they name
 * no axis or no metric). */
int cli_heatmap_check(const struct mdl_scenario *s, const struct out_sweep_meta *m, struct cli_heatmap *hm,
                      struct sim_err *err);
/* Reads the heat map's values from db into out (arrays in arena); with
 * more than two axes the others are held at the best plan of rk. */
int cli_heatmap_fill(struct out_sweepdb *db, const struct out_sweep_meta *m, const struct out_sweep_ranking *rk,
                     struct cli_heatmap *hm, struct sim_arena *arena, struct out_heatmap *out, struct sim_err *err);

#endif
