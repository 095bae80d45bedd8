/* sim/main.c — the cxsim program: argv, the command table, exit codes.
 *
 * Parses the command name, hands argv to the command (sim/cli_*.c), then
 * prints the error it set (if any) and exits with its code, spec §6: 0
 * success, 64 bad command line, 65 bad scenario, 66 input not found, 70
 * internal error, 73 cannot create output, 74 write error. Every path ends in
 * finish(), which also catches a failed write to stdout (a full disk, or
 * /dev/full) and turns it into exit 74. Also here: what the commands share
 * (sim/cli.h): option parsing, loading the scenario and keeping its text for
 * error messages, and the manifest. With sim/cli_*.c, the only files of sim/
 * that may use models/ and output/.
 */
#include "sim/cli.h"

#include "models/scenario.h"
#include "output/report.h"

#include "models/builtin.h"
#include "sim/stream.h"
#ifdef CXSIM_MPI
#include "sim/cli_mpi.h"
#endif

#include <assert.h>
#include <errno.h>
#include <math.h>
#include <nettle/sha2.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef CXSIM_VERSION
#define CXSIM_VERSION "0.0.0"
#endif

static int cmd_help(int argc, char **argv, struct sim_err *err);
static int cmd_version(int argc, char **argv, struct sim_err *err);

static const struct cli_command cli_help = {
    "help", "show the help of a command",
    "usage: cxsim help [COMMAND]\n"
    "\n"
    "Shows what COMMAND does and its options; without COMMAND, lists the commands.\n",
    cmd_help};
static const struct cli_command cli_version = {
    "version", "print the version of cxsim",
    "usage: cxsim version\n"
    "\n"
    "Prints the version of cxsim (the same as cxsim --version).\n",
    cmd_version};

static const struct cli_command *const commands[] = {
    &cli_run, &cli_compare, &cli_sweep, &cli_merge, &cli_trace, &cli_workshop, &cli_check, &cli_dist, &cli_help,
    &cli_version,
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

static void print_usage(FILE *f)
{
    fprintf(f,
            "usage: cxsim COMMAND [OPTIONS]\n"
            "\n"
            "cxsim simulates customers moving through the departments of a business,\n"
            "one event at a time, and reports what they experienced: waits, drop-outs,\n"
            "satisfaction and the cost of the staffing.\n"
            "\n"
            "Commands:\n");
    for (size_t i = 0; i < NCOMMANDS; i++)
        fprintf(f, "  %-9s %s\n", commands[i]->name, commands[i]->summary);
    fprintf(f, "\n"
               "Options:\n"
               "  -h, --help      show this help\n"
               "  -V, --version   print the version\n"
               "\n"
               "'cxsim help COMMAND' shows a command's options.\n"
               "Exit codes: 0 success, 64 bad command line, 65 bad scenario, 66 input not\n"
               "found, 70 internal error, 73 cannot create output, 74 write error.\n");
}

static const struct cli_command *find_command(const char *name)
{
    for (size_t i = 0; i < NCOMMANDS; i++)
        if (strcmp(commands[i]->name, name) == 0)
            return commands[i];
    return NULL;
}

int cli_help_of(const char *name)
{
    const struct cli_command *cmd = find_command(name);
    assert(cmd);
    fputs(cmd->help, stdout);
    return SIM_OK;
}

/* Sets a usage error about an unknown command, with a suggestion. */
static int unknown_command(const char *name, struct sim_err *err)
{
    const char *names[NCOMMANDS];
    for (size_t i = 0; i < NCOMMANDS; i++)
        names[i] = commands[i]->name;
    const char *close = sim_err_suggest(name, names, NCOMMANDS);
    if (close)
        return sim_err_set(err, SIM_EUSAGE, "unknown command '%s'; did you mean '%s'? (see 'cxsim --help')",
                           name, close);
    return sim_err_set(err, SIM_EUSAGE, "unknown command '%s' (see 'cxsim --help')", name);
}

static int cmd_help(int argc, char **argv, struct sim_err *err)
{
    if (argc < 2) {
        print_usage(stdout);
        return SIM_OK;
    }
    if (argc > 2)
        return sim_err_set(err, SIM_EUSAGE, "help takes one command, as in 'cxsim help dist'");
    const struct cli_command *cmd = find_command(argv[1]);
    if (!cmd)
        return unknown_command(argv[1], err);
    fputs(cmd->help, stdout);
    return SIM_OK;
}

static int cmd_version(int argc, char **argv, struct sim_err *err)
{
    (void)argv;
    if (argc > 1)
        return sim_err_set(err, SIM_EUSAGE, "version takes no arguments");
    printf("cxsim %s\n", CXSIM_VERSION);
    return SIM_OK;
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
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || *end != '\0' || errno == ERANGE || !isfinite(v))
        return false;
    *out = v;
    return true;
}

bool cli_parse_count(const char *s, double lo, double hi, long *out)
{
    double v;
    if (!cli_parse_number(s, &v) || v != floor(v) || v < lo || v > hi)
        return false;
    *out = (long)v;
    return true;
}

static bool parse_seed(const char *s, uint64_t *out)
{
    char *end;
    errno = 0;
    if (*s == '-' || *s == '+' || *s == '\0')
        return false;
    unsigned long long v = strtoull(s, &end, 10);
    if (*end != '\0' || errno == ERANGE)
        return false;
    *out = (uint64_t)v;
    return true;
}

int cli_seed_option(const char *arg, uint64_t *seed, struct sim_err *err)
{
    if (!parse_seed(arg, seed))
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
    default:
        return false;
    }
}

bool cli_stderr_is_tty(void)
{
    return isatty(STDERR_FILENO) == 1;
}

/* ---- the scenario and the texts errors point into ---------------------- */

/* The command line as typed (before getopt permutes argv), for the
 * manifest; freed by finish(). */
static char *command_line;

/* The texts an error may point into: the scenario, and the --set and
 * --grid values each joined by newlines (an error in the k-th is located at
 * --set:k:COL). */
static struct {
    struct cli_source scenario;
    char *owned;      /* the scenario file's text, freed by finish() */
    char *sets, *grid;
    size_t sets_len, grid_len;
} sources;

const struct cli_source *cli_scenario_source(void)
{
    return &sources.scenario;
}

const char *cli_overrides_text(void)
{
    return sources.sets ? sources.sets : "";
}

/* Prints err (if set), checks that stdout was written, returns the exit
 * code. Under MPI, rank 0 alone speaks. */
static int finish(struct sim_err *err)
{
    sim_arena_trim();   /* this thread's spare blocks: nothing is left for the leak checkers */
    bool speaks = true;
#ifdef CXSIM_MPI
    speaks = cli_mpi_rank() == 0;
#endif
    if (fflush(stdout) != 0 || ferror(stdout))
        sim_err_set(err, SIM_EIO, "cannot write to standard output: %s", strerror(errno));
    if (err->code != SIM_OK && speaks) {
        const char *src = NULL;
        size_t len = 0;
        if (!strcmp(err->file, MDL_SET_SOURCE)) {
            src = sources.sets;
            len = sources.sets_len;
        } else if (!strcmp(err->file, MDL_GRID_SOURCE)) {
            src = sources.grid;
            len = sources.grid_len;
        } else if (sources.scenario.name && !strcmp(err->file, sources.scenario.name)) {
            src = sources.scenario.text;
            len = sources.scenario.len;
        }
        sim_err_print(err, stderr, CLI_PROG, src, len);
    }
    free(sources.sets);
    free(sources.grid);
    free(sources.owned);
    free(command_line);
#ifdef CXSIM_MPI
    cli_mpi_finalize();
#endif
    return err->code;
}

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

/* The strings joined, each followed by a newline (a new buffer). */
static char *join_lines(char *const *v, size_t n, size_t *len)
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
    *len = total;
    return text;
}

int cli_load_scenario(const char *path, const struct cli_scenario_opts *so, struct mdl_scenario **out,
                      struct sim_err *err)
{
    *out = NULL;
    struct cli_source *src = &sources.scenario;
    if (path) {
        size_t len = 0;
        if (read_file(path, &sources.owned, &len, err))
            return err->code;
        *src = (struct cli_source){path, sources.owned, len};
    } else {
        *src = (struct cli_source){MDL_BUILTIN_NAME, (const char *)mdl_builtin_scenario, mdl_builtin_scenario_len};
    }
    sources.sets = join_lines(so->sets, so->nsets, &sources.sets_len);
    sources.grid = join_lines(so->grid, so->ngrid, &sources.grid_len);
    if (mdl_scenario_load(src->name, src->text, src->len, (const char *const *)so->sets, so->nsets, out, err))
        return err->code;
    if (so->ngrid && mdl_scenario_set_grid(*out, (const char *const *)so->grid, so->ngrid, err)) {
        mdl_scenario_destroy(*out);
        *out = NULL;
    }
    return err->code;
}

/* ---- the manifest ------------------------------------------------------ */

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

void cli_fill_manifest(struct out_manifest *m, time_t started, struct sim_arena *arena)
{
    struct sha256_ctx ctx;
    uint8_t digest[SHA256_DIGEST_SIZE];
    sha256_init(&ctx);
    sha256_update(&ctx, sources.scenario.len, (const uint8_t *)sources.scenario.text);
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
    m->command_line = command_line;
    m->started_at = at;
}

int main(int argc, char **argv)
{
    struct sim_err err;
    sim_err_init(&err);
    sim_stream_library_init();
#ifdef CXSIM_MPI
    cli_mpi_init(&argc, &argv);
#endif

    if (argc < 2) {
        print_usage(stderr);
        sim_err_set(&err, SIM_EUSAGE, "no command given");
        return finish(&err);
    }
    const char *name = argv[1];
    if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0) {
        print_usage(stdout);
        return finish(&err);
    }
    if (strcmp(name, "--version") == 0 || strcmp(name, "-V") == 0)
        name = "version";
    else if (name[0] == '-') {
        sim_err_set(&err, SIM_EUSAGE, "unknown option '%s' (see 'cxsim --help')", name);
        return finish(&err);
    }
    size_t len = 1;
    for (int i = 0; i < argc; i++)
        len += 4 * strlen(argv[i]) + 3;
    command_line = sim_xcalloc(len, 1);
    append_shell_word(command_line, len, CLI_PROG);
    for (int i = 1; i < argc; i++)
        append_shell_word(command_line, len, argv[i]);
    const struct cli_command *cmd = find_command(name);
    if (!cmd) {
        unknown_command(name, &err);
        return finish(&err);
    }
#ifdef CXSIM_MPI
    /* A sweep spreads over the ranks; any other command runs on rank 0. */
    if (cmd != &cli_sweep && cli_mpi_rank() != 0)
        return finish(&err);
#endif
    /* The command sees argv from its own name on, as getopt expects. */
    optind = 1;
    cmd->run(argc - 1, argv + 1, &err);
    return finish(&err);
}
