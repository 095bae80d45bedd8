/* sim/cli/common.c — what the commands of cxsim share (see cli.h): the
 * program's state, option parsing, loading a scenario and keeping the texts
 * its errors point into, the report's header and manifest, writing a report
 * whole.
 *
 * Nothing here prints an error: a command sets it in cli->err and main()
 * prints it. Everything here is called by the commands; nothing here calls
 * a command or main().
 */
#include "sim/cli/cli.h"

#include "models/vlog.h"

#include "models/builtin.h"
#include "models/load.h"
#include "models/override.h"
#include "models/plans.h"
#include "models/warmup.h"
#include "models/scenario.h"
#include "output/csv.h"
#include "output/file.h"
#include "output/html.h"
#include "output/json.h"
#include "output/report.h"
#include "output/text.h"
#include "sim/cli/budget.h"
#include "sim/cli/results.h"
#ifdef CXSIM_MPI
#include "sim/cli/mpi.h"
#endif

#include <errno.h>
#include <math.h>
#include <nettle/sha2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef CXSIM_VERSION
#define CXSIM_VERSION "0.0.0"
#endif

/* ---- the program's state ----------------------------------------------- */

/* Appends word to buf, quoted for a POSIX shell when it must be. */
static void append_shell_word(char *buf, size_t len, const char *word)
{
    size_t n = strlen(buf);
    bool plain = *word != '\0';
    for (const char *p = word; *p && plain; p++)
        plain = strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./=:,+@%", *p) != NULL;
    if (n && n + 1 < len)
        buf[n++] = ' ';
    if (!plain && n + 1 < len)
        buf[n++] = '\'';
    for (const char *p = word; *p && n + 5 < len; p++) {
        if (*p == '\'' && !plain) {
            memcpy(buf + n, "'\\''", 4);
            n += 4;
        } else {
            buf[n++] = *p;
        }
    }
    if (!plain && n + 1 < len)
        buf[n++] = '\'';
    buf[n] = '\0';
}

void cli_init(struct cli *cli, int argc, char **argv)
{
    *cli = (struct cli){0};
    sim_err_init(&cli->err);
    size_t len = 16 + strlen(CLI_PROG);
    for (int i = 1; i < argc; i++)
        len += 4 * strlen(argv[i]) + 3;
    cli->command_line = sim_xcalloc(len, 1);
    append_shell_word(cli->command_line, len, CLI_PROG);
    for (int i = 1; i < argc; i++)
        append_shell_word(cli->command_line, len, argv[i]);
}

void cli_fini(struct cli *cli)
{
    free(cli->command_line);
    free(cli->scenario_owned);
    free((char *)cli->sets.text);
    free((char *)cli->grid.text);
    free(cli->err_line);
    cli->err_line = NULL;
    cli->command_line = cli->scenario_owned = NULL;
    cli->sets.text = cli->grid.text = NULL;
}

const struct cli_source *cli_error_source(const struct cli *cli)
{
    const char *file = cli->err.file;
    if (cli->sets.text && !strcmp(file, cli->sets.name))
        return &cli->sets;
    if (cli->grid.text && !strcmp(file, cli->grid.name))
        return &cli->grid;
    if (cli->scenario.name && !strcmp(file, cli->scenario.name))
        return &cli->scenario;
    return NULL;
}

/* --map FIELD=COLUMN into opt. */
static int map_option(const char *arg, struct mdl_vlog_options *opt, struct sim_err *err)
{
    const char *eq = strchr(arg, '=');
    if (!eq || eq == arg || !eq[1])
        return sim_err_set(err, SIM_EUSAGE, "--map takes FIELD=COLUMN, as in --map visit=ticket_id, got '%s'", arg);
    for (int k = 0; k < MDL_VF_COUNT; k++)
        if (strlen(mdl_vlog_field_names[k]) == (size_t)(eq - arg) &&
            !strncmp(arg, mdl_vlog_field_names[k], (size_t)(eq - arg))) {
            opt->map[k] = eq + 1;
            return SIM_OK;
        }
    return sim_err_set(err, SIM_EUSAGE, "--map: '%.*s' is not a field of a log (visit, department, arrived, "
                       "started, ended, class, outcome, staff)", (int)(eq - arg), arg);
}

/* --outcome WORD=OUTCOME into opt. */
static int outcome_option(const char *arg, struct mdl_vlog_options *opt, struct sim_err *err)
{
    const char *eq = strchr(arg, '=');
    if (!eq || eq == arg || !eq[1])
        return sim_err_set(err, SIM_EUSAGE, "--outcome takes WORD=OUTCOME, as in --outcome no-show=reneged, got '%s'",
                           arg);
    if (opt->noutcomes == MDL_VLOG_OUTCOME_MAX)
        return sim_err_set(err, SIM_EUSAGE, "--outcome: at most %d words", MDL_VLOG_OUTCOME_MAX);
    for (int k = 0; k < MDL_VO_COUNT; k++)
        if (!strcmp(eq + 1, mdl_vlog_outcome_names[k])) {
            /* the word ends at '=': kept as a string of its own, in the argument's own memory */
            char *word = (char *)arg;
            word[eq - arg] = '\0';
            opt->outcomes[opt->noutcomes].word = word;
            opt->outcomes[opt->noutcomes++].outcome = k;
            return SIM_OK;
        }
    return sim_err_set(err, SIM_EUSAGE, "--outcome: '%s' is not an outcome (served, reneged, balked, blocked)", eq + 1);
}

bool cli_log_option(int c, struct mdl_vlog_options *opt, struct sim_err *err)
{
    switch (c) {
    case 'M':
        map_option(optarg, opt, err);
        return true;
    case 'U':
        outcome_option(optarg, opt, err);
        return true;
    case 'Y':
        opt->ids_per_day = true;
        return true;
    default:
        return false;
    }
}

int cli_check_writable(const char *path, const char *option, struct sim_err *err)
{
    if (out_file_check_regular(path, SIM_ECANTCREAT, err))
        return err->code;
    char *dir = sim_xstrdup(path);
    char *slash = strrchr(dir, '/');
    const char *folder = slash ? (slash == dir ? "/" : (*slash = '\0', dir)) : ".";
    if (access(folder, W_OK | X_OK) != 0)
        sim_err_set(err, SIM_ECANTCREAT, "cannot write %s (%s): %s: %s", path, option, folder, strerror(errno));
    free(dir);
    return err->code;
}

void cli_keep_error_line(struct cli *cli, const char *line, size_t len)
{
    free(cli->err_line);
    cli->err_line = sim_xmalloc(len + 1);
    memcpy(cli->err_line, line, len);
    cli->err_line[len] = '\0';
    cli->err_line_len = len;
}

int cli_help(const struct cli_command *cmd)
{
    fputs(cmd->help, stdout);
    return SIM_OK;
}

bool cli_speaks(void)
{
#ifdef CXSIM_MPI
    return cli_mpi_rank() == 0;
#else
    return true;
#endif
}

bool cli_stderr_is_tty(void)
{
    return isatty(STDERR_FILENO) == 1;
}

/* ---- options ----------------------------------------------------------- */

int cli_next_option(int argc, char **argv, const char *shorts, const struct option *longs, const char *cmd,
                    struct sim_err *err)
{
    opterr = 0;
    int c = getopt_long(argc, argv, shorts, longs, NULL);
    if (c == '?' || c == ':') {
        const char *bad = argv[optind - 1];
        if (optopt && strchr(shorts, optopt) && c == ':')
            sim_err_set(err, SIM_EUSAGE, "option '-%c' needs a value (see 'cxsim help %s')", optopt, cmd);
        else if (optopt)
            sim_err_set(err, SIM_EUSAGE, "unknown option '-%c' (see 'cxsim help %s')", optopt, cmd);
        else
            sim_err_set(err, SIM_EUSAGE, "unknown option '%s' (see 'cxsim help %s')", bad, cmd);
        return '?';
    }
    return c;
}

bool cli_parse_number(const char *s, double *out)
{
    /* decimal only: strtod would also take leading spaces, hex and "nan" */
    if (!*s || s[strspn(s, "0123456789+-.eE")] != '\0')
        return false;
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || *end != '\0' || errno == ERANGE || !isfinite(v))
        return false;
    *out = v;
    return true;
}

bool cli_parse_whole(const char *s, uint64_t lo, uint64_t hi, uint64_t *out)
{
    uint64_t v = 0;
    if (!*s)
        return false;
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9')
            return false;   /* no space, sign, 0x, exponent or point */
        unsigned d = (unsigned)(*p - '0');
        if (v > (UINT64_MAX - d) / 10)
            return false;
        v = 10 * v + d;
    }
    if (v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

bool cli_parse_count(const char *s, long lo, long hi, long *out)
{
    uint64_t v;
    if (lo < 0 || !cli_parse_whole(s, (uint64_t)lo, (uint64_t)hi, &v))
        return false;
    *out = (long)v;
    return true;
}

int cli_seed_option(const char *arg, uint64_t *seed, struct sim_err *err)
{
    if (!cli_parse_whole(arg, 0, UINT64_MAX, seed))
        return sim_err_set(err, SIM_EUSAGE, "--seed must be a whole number from 0 to 2^64-1, got '%s'", arg);
    return SIM_OK;
}

int cli_parse_format(const char *arg, const char *const *names, int n, const char *cmd, int *out,
                     struct sim_err *err)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(arg, names[i])) {
            *out = i;
            return SIM_OK;
        }
    char list[64] = "";
    for (int i = 0; i < n; i++) {
        strncat(list, names[i], sizeof list - strlen(list) - 1);
        if (i + 1 < n)
            strncat(list, i + 2 < n ? ", " : " or ", sizeof list - strlen(list) - 1);
    }
    return sim_err_set(err, SIM_EUSAGE, "--format must be %s, got '%s' (see 'cxsim help %s')", list, arg, cmd);
}

void cli_scenario_opts_init(struct cli_scenario_opts *so, int argc)
{
    *so = (struct cli_scenario_opts){0};
    so->sets = sim_xmalloc((size_t)(argc + 1) * sizeof *so->sets);
    so->grid = sim_xmalloc((size_t)(argc + 1) * sizeof *so->grid);
}

void cli_scenario_opts_fini(struct cli_scenario_opts *so)
{
    free(so->sets);
    free(so->grid);
    so->sets = so->grid = NULL;
}

bool cli_scenario_option(int c, struct cli_scenario_opts *so, struct sim_err *err)
{
    switch (c) {
    case 's':
        cli_seed_option(optarg, &so->seed, err);
        so->have_seed = true;
        return true;
    case 'S':
        so->sets[so->nsets++] = optarg;
        return true;
    case 'G':
        so->grid[so->ngrid++] = optarg;
        return true;
    case 'o':
        so->out_path = optarg;
        return true;
    case 'I': {
        long minutes;
        if (so->interval[0] || !cli_parse_count(optarg, 5, 1440, &minutes)) {
            sim_err_set(err, SIM_EUSAGE, so->interval[0] ? "--interval is given twice"
                                                         : "--interval must be a whole number of minutes from 5 to "
                                                           "1440, got '%s'", optarg);
            return true;
        }
        snprintf(so->interval, sizeof so->interval, "day.interval=%ld", minutes);
        so->interval_at = so->nsets;
        so->sets[so->nsets++] = so->interval;
        return true;
    }
    default:
        return false;
    }
}

bool cli_report_option(int c, const char *cmd, struct cli_report_opts *ro, struct sim_err *err)
{
    static const char *const formats[] = {"text", "csv", "json", "html"};
    switch (c) {
    case 'r':
        if (!strcmp(optarg, "auto")) {
            ro->reps_auto = true;
            ro->reps = 0;
        } else if (!cli_parse_count(optarg, 1, MDL_MAX_REPLICATIONS, &ro->reps)) {
            sim_err_set(err, SIM_EUSAGE, "--reps must be a whole number from 1 to %d, or auto, got '%s'",
                        MDL_MAX_REPLICATIONS, optarg);
        } else {
            ro->reps_auto = false;
        }
        return true;
    case 'P':
        if (!cli_parse_number(optarg, &ro->precision) || !(ro->precision > 0) || ro->precision > 1)
            sim_err_set(err, SIM_EUSAGE, "--precision must be a share above 0 and at most 1 (0.02: two points), "
                        "got '%s'", optarg);
        return true;
    case 'R':
        if (!cli_parse_count(optarg, 2, MDL_MAX_REPLICATIONS, &ro->max_reps))
            sim_err_set(err, SIM_EUSAGE, "--max-reps must be a whole number from 2 to %d, got '%s'",
                        MDL_MAX_REPLICATIONS, optarg);
        return true;
    case 'j':
        if (!cli_parse_count(optarg, 1, 4096, &ro->jobs))
            sim_err_set(err, SIM_EUSAGE, "--jobs must be a whole number from 1 to 4096, got '%s'", optarg);
        return true;
    case 'f':
        cli_parse_format(optarg, formats, 4, cmd, &ro->format, err);
        return true;
    case 'B':
        if (!cli_budget_parse(optarg, &ro->memory))
            sim_err_set(err, SIM_EUSAGE, "--memory must be a size of at least 64M, such as 512M or 4G, got '%s'",
                        optarg);
        return true;
    default:
        return false;
    }
}

/* Parses the command line into so and ro; false when the command is over. */
static bool report_args(const struct cli_command *cmd, int argc, char **argv, struct cli_scenario_opts *so,
                        struct cli_report_opts *ro, struct sim_err *err)
{
    static const struct option longs[] = {
        {"reps", required_argument, NULL, 'r'}, {"seed", required_argument, NULL, 's'},
        {"set", required_argument, NULL, 'S'},  {"format", required_argument, NULL, 'f'},
        {"output", required_argument, NULL, 'o'}, {"jobs", required_argument, NULL, 'j'},
        {"precision", required_argument, NULL, 'P'}, {"max-reps", required_argument, NULL, 'R'},
        {"interval", required_argument, NULL, 'I'}, {"memory", required_argument, NULL, 'B'},
        {"help", no_argument, NULL, 'h'},       {NULL, 0, NULL, 0},
    };
    int c;
    while (!err->code && (c = cli_next_option(argc, argv, ":o:h", longs, cmd->name, err)) != -1) {
        if (c == 'h') {
            cli_help(cmd);
            return false;
        }
        if (!cli_scenario_option(c, so, err))
            cli_report_option(c, cmd->name, ro, err);
    }
    if (!err->code && argc - optind > 1)
        sim_err_set(err, SIM_EUSAGE, "%s takes one scenario file, got '%s' too (see 'cxsim help %s')", cmd->name,
                    argv[optind + 1], cmd->name);
    if (!err->code && !ro->reps_auto && (ro->precision > 0 || ro->max_reps))
        sim_err_set(err, SIM_EUSAGE, "--precision and --max-reps go with --reps auto (see 'cxsim help %s')",
                    cmd->name);
    if (!ro->precision)
        ro->precision = CLI_DEFAULT_PRECISION;
    if (!ro->max_reps)
        ro->max_reps = CLI_DEFAULT_MAX_REPS;
    if (!ro->memory)
        ro->memory = cli_budget_default();
    return !err->code;
}

bool cli_report_open(struct cli *cli, const struct cli_command *cmd, int argc, char **argv,
                     struct cli_scenario_opts *so, struct cli_report_opts *ro, struct mdl_scenario **s)
{
    *ro = (struct cli_report_opts){0};
    *s = NULL;
    cli_scenario_opts_init(so, argc);
    if (report_args(cmd, argc, argv, so, ro, &cli->err) &&
        !cli_load_scenario(cli, optind < argc ? argv[optind] : NULL, so, s))
        return true;
    cli_scenario_opts_fini(so);
    return false;
}

/* ---- the scenario and the texts errors point into ---------------------- */

/* Reads a whole file into a new NUL-terminated buffer. */
static int read_file(const char *path, char **text, size_t *len, struct sim_err *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return sim_err_set(err, SIM_ENOINPUT, "cannot open %s: %s", path, strerror(errno));
    /* one byte past the largest scenario is enough to refuse a file: a
     * 100 MB file is never read whole */
    size_t cap = 1 << 16, n = 0, most = MDL_SCENARIO_MAX_BYTES + 1;
    char *buf = sim_xmalloc(cap);
    for (;;) {
        n += fread(buf + n, 1, cap - n - 1, f);
        if (ferror(f)) {
            int e = errno;
            fclose(f);
            free(buf);
            return sim_err_set(err, SIM_ENOINPUT, "cannot read %s: %s", path, strerror(e));
        }
        if (feof(f) || n >= most)
            break;
        cap = 2 * cap - 1 < most ? 2 * cap : most + 1;
        buf = sim_xrealloc(buf, cap);
    }
    fclose(f);
    buf[n] = '\0';
    *text = buf;
    *len = n;
    return SIM_OK;
}

/* The strings joined, each followed by a newline, as a source named name. */
static struct cli_source join_lines(const char *name, char *const *v, size_t n)
{
    size_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += strlen(v[i]) + 1;
    char *text = sim_xmalloc(total + 1), *p = text;
    for (size_t i = 0; i < n; i++) {
        size_t k = strlen(v[i]);
        memcpy(p, v[i], k);
        p[k] = '\n';
        p += k + 1;
    }
    *p = '\0';
    return (struct cli_source){name, text, total};
}

int cli_load_scenario(struct cli *cli, const char *path, const struct cli_scenario_opts *so,
                      struct mdl_scenario **out)
{
    struct sim_err *err = &cli->err;
    *out = NULL;
    free(cli->scenario_owned);
    cli->scenario_owned = NULL;
    if (path) {
        size_t len = 0;
        cli->scenario = (struct cli_source){0};
        if (read_file(path, &cli->scenario_owned, &len, err))
            return err->code;
        cli->scenario = (struct cli_source){path, cli->scenario_owned, len};
    } else {
        cli->scenario = (struct cli_source){MDL_BUILTIN_NAME, (const char *)mdl_builtin_scenario,
                                            mdl_builtin_scenario_len};
    }
    free((char *)cli->sets.text);
    free((char *)cli->grid.text);
    cli->sets = join_lines(MDL_SET_SOURCE, so->sets, so->nsets);
    cli->grid = join_lines(MDL_GRID_SOURCE, so->grid, so->ngrid);
    if (mdl_load_scenario(cli->scenario.name, cli->scenario.text, cli->scenario.len, (const char *const *)so->sets,
                          so->nsets, out, err)) {
        if (so->interval[0] && !strcmp(err->file, MDL_SET_SOURCE) && err->line == (int)so->interval_at + 1) {
            sim_err_init(err);   /* said in the words the user typed */
            sim_err_set(err, SIM_EUSAGE, "--interval sets the bins of a day's by-hour figures: this scenario has no "
                        "day: (it is a steady-state run:)");
        }
        return err->code;
    }
    if (cli_speaks())   /* every rank of a sweep loads it; rank 0 alone speaks */
        cli_print_warnings(*out, NULL, stderr);
    return SIM_OK;
}

static bool same_warning(const struct mdl_warning *a, const struct mdl_warning *b)
{
    return a->line == b->line && a->col == b->col && !strcmp(a->file, b->file) && !strcmp(a->msg, b->msg);
}

void cli_print_warnings(const struct mdl_scenario *s, const struct mdl_scenario *before, FILE *f)
{
    for (size_t i = 0; i < s->nwarnings; i++) {
        const struct mdl_warning *w = &s->warnings[i];
        bool said = false;
        for (size_t k = 0; before && k < before->nwarnings && !said; k++)
            said = same_warning(w, &before->warnings[k]);
        if (said)
            continue;
        sim_err_put_text(f, w->file);
        fprintf(f, ":%d:%d: warning: ", w->line, w->col);
        sim_err_put_text(f, w->msg);
        fputc('\n', f);
    }
}

void cli_choose_warmup(const struct cli_scenario_opts *so, struct mdl_scenario *s)
{
    mdl_warmup_choose(s, so->have_seed ? so->seed : s->seed);
}

int cli_load_plans(struct cli *cli, const struct mdl_scenario *s, const struct cli_scenario_opts *so,
                   struct mdl_plans **out)
{
    struct sim_err *err = &cli->err;
    if (mdl_plans_read(s, out, err))
        return err->code;
    if (so->ngrid && mdl_plans_set_grid(*out, (const char *const *)so->grid, so->ngrid, err)) {
        mdl_plans_destroy(*out);
        *out = NULL;
    }
    return err->code;
}

/* ---- the report -------------------------------------------------------- */

void cli_fill_manifest(const struct cli *cli, struct out_manifest *m, time_t started, struct sim_arena *arena)
{
    struct sha256_ctx ctx;
    uint8_t digest[SHA256_DIGEST_SIZE];
    sha256_init(&ctx);
    sha256_update(&ctx, cli->scenario.len, (const uint8_t *)cli->scenario.text);
    sha256_digest(&ctx, sizeof digest, digest);
    char *hex = sim_arena_alloc(arena, 2 * SHA256_DIGEST_SIZE + 1);
    for (size_t i = 0; i < SHA256_DIGEST_SIZE; i++)
        snprintf(hex + 2 * i, 3, "%02x", digest[i]);
    char *at = sim_arena_alloc(arena, 32);
    struct tm tm;
    gmtime_r(&started, &tm);
    strftime(at, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
    m->version = CXSIM_VERSION;
    m->scenario_sha256 = hex;
    m->command_line = cli->command_line;
    m->started_at = at;
}

void cli_report_init(const struct cli *cli, struct out_report *r, const struct mdl_scenario *s,
                     const struct cli_scenario_opts *so, const struct cli_report_opts *ro, time_t started,
                     struct sim_arena *arena)
{
    *r = (struct out_report){
        .scenario = s->name, .source = cli->scenario.name, .is_day = s->is_day, .open_at = s->open_at,
        .close_at = s->close_at, .warmup_dur = s->warmup_dur, .length_dur = s->length_dur,
        .warmup_auto = s->warmup_auto, .warmup_at_limit = s->warmup_at_limit,
        .replications = ro->reps ? (unsigned)ro->reps : s->replications, .seed = so->have_seed ? so->seed : s->seed,
    };
    cli_fill_manifest(cli, &r->manifest, started, arena);
}

struct sim_arena *cli_run_rounds(const struct cli_report_opts *ro, struct out_report *r, size_t nplans,
                                 cli_round_fn run, void *ctx, struct out_plan *plans)
{
    unsigned reps = r->replications;
    struct sim_arena *arena = NULL;
    r->auto_reps = (struct out_auto_reps){.on = ro->reps_auto, .precision = ro->precision};
    for (;;) {
        sim_arena_destroy(arena);
        arena = sim_arena_create(0);
        run(ctx, reps, arena, plans);
        r->auto_reps.rounds++;
        if (!ro->reps_auto)
            break;
        unsigned need = cli_results_reps_needed(plans, nplans, reps, ro->precision);
        if (need <= reps)
            break;
        if (reps >= (unsigned)ro->max_reps) {
            r->auto_reps.capped = true;
            break;
        }
        unsigned next = need > reps + reps / 2 ? need : reps + reps / 2;
        reps = next < (unsigned)ro->max_reps ? next : (unsigned)ro->max_reps;
        if (cli_stderr_is_tty())
            fprintf(stderr, "%s: --reps auto: round %u, %u replications\n", CLI_PROG, r->auto_reps.rounds + 1, reps);
    }
    r->replications = reps;
    return arena;
}

void cli_warn_overloaded(const struct out_plan *p, const struct mdl_scenario *s)
{
    bool named = strcmp(p->name, "baseline") != 0;
    long limit = s->max_in_system;
    if (p->over_events)
        fprintf(stderr, "%s: warning: %s%s%u replication%s stopped after %ld events%s (max_events sets the "
                "limit)\n", CLI_PROG, named ? p->name : "", named ? ": " : "", p->over_events,
                p->over_events == 1 ? " was" : "s were", s->max_events,
                s->max_events_given ? "" : ", 100 times what its arrivals and routes lead one to expect");
    if (p->overloaded <= p->over_events)
        return;
    char where[512] = "";
    size_t n = 0;
    for (size_t i = 0; i < p->nscopes && n + 50 < sizeof where; i++)
        if (p->scopes[i].kind == OUT_DEPARTMENT && p->scopes[i].overloaded)
            n += (size_t)snprintf(where + n, sizeof where - n, "%s%s", n ? ", " : "", p->scopes[i].name);
    unsigned queued = p->overloaded - p->over_events;
    fprintf(stderr, "%s: warning: %s%s%u replication%s stopped: over %ld customers inside at once, queueing at %s "
            "(overloaded; max_in_system sets the limit)\n",
            CLI_PROG, named ? p->name : "", named ? ": " : "", queued, queued == 1 ? " was" : "s were",
            limit, where);
}

int cli_write_report(const struct out_report *r, int format, const char *path, struct sim_err *err)
{
    struct out_file o;
    if (out_file_open(&o, path, err))
        return err->code;
    switch (format) {
    case CLI_CSV:
        out_csv_write(r, o.f, err);
        break;
    case CLI_JSON:
        out_json_write(r, o.f, err);
        break;
    case CLI_HTML:
        out_html_write(r, o.f, err);
        break;
    default:
        out_text_write(r, o.f, err);
        break;
    }
    return out_file_close(&o, err->code == SIM_OK, err);
}
