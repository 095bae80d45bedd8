/* sim/main.c — the cxsim program: command line, subcommands, exit codes.
 *
 * The only file of sim/ that may reach into models/ and output/. It parses
 * argv, runs one command, prints the error (if any) and chooses the exit
 * code of spec §6: 0 success, 64 bad command line, 65 bad scenario, 66 input
 * not found, 70 internal error, 73 cannot create output, 74 write error.
 * Data goes to stdout; messages to stderr. Every failure path ends in
 * finish(), which also catches a failed write to stdout (a full disk, or
 * /dev/full) and turns it into exit 74.
 */
#include "models/builtin.h"
#include "models/describe.h"
#include "models/flow.h"
#include "models/run.h"
#include "models/scenario.h"
#include "output/dist.h"
#include "output/file.h"
#include "output/csv.h"
#include "output/json.h"
#include "output/text.h"
#include "output/trace.h"
#include "sim/ci.h"
#include "sim/dist.h"
#include "sim/err.h"
#include "sim/mem.h"
#include "sim/stream.h"
#include "sim/tally.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <sys/stat.h>
#include <unistd.h>
#include <math.h>
#include <nettle/sha2.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifndef CXSIM_VERSION
#define CXSIM_VERSION "0.0.0"
#endif

#define PROG "cxsim"
#define DEFAULT_SEED 20261122u

struct command {
    const char *name;
    const char *summary;
    const char *help;   /* full help: usage line first */
    int (*run)(int argc, char **argv, struct sim_err *err);
};

static int cmd_run(int argc, char **argv, struct sim_err *err);
static int cmd_check(int argc, char **argv, struct sim_err *err);
static int cmd_trace(int argc, char **argv, struct sim_err *err);
static int cmd_dist(int argc, char **argv, struct sim_err *err);
static int cmd_help(int argc, char **argv, struct sim_err *err);
static int cmd_version(int argc, char **argv, struct sim_err *err);

static const struct command commands[] = {
    {"run", "simulate a scenario and report what customers lived through",
     "usage: cxsim run [SCENARIO] [--reps N] [--seed S] [--set PATH=VALUE]...\n"
     "                 [--format text|csv|json] [-o FILE] [--jobs N]\n"
     "\n"
     "Simulates the business of SCENARIO (a YAML file; without one, the built-in\n"
     "dealership) for its replications and reports waits, drop-outs, satisfaction\n"
     "and cost, each with its 95% interval over replications.\n"
     "\n"
     "Options:\n"
     "      --reps N          replications (default: the scenario's replications:)\n"
     "      --seed S          master seed, 0 to 2^64-1 (default: the scenario's seed:)\n"
     "      --set PATH=VALUE  change one value first, as in departments.credit.staff=3\n"
     "                        or 'departments.sales.staff=[{at: \"09:00\", count: 2}]'\n"
     "      --format FORMAT   text (tables and sentences, the default), csv (one row per\n"
     "                        metric: plan,scope,name,metric,mean,ci_low,ci_high,sd,n)\n"
     "                        or json (every metric with its replications' values,\n"
     "                        and a manifest to audit and rerun the result)\n"
     "  -o, --output FILE     write the report to FILE (written whole, or not at all)\n"
     "      --jobs N          threads (default: all cores); results do not depend on it\n",
     cmd_run},
    {"trace", "tell the story of one simulated day, customer by customer",
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
     cmd_trace},
    {"check", "validate a scenario file and say what it describes",
     "usage: cxsim check SCENARIO [--set PATH=VALUE]...\n"
     "\n"
     "Reads SCENARIO, checks everything in it (exit 65 with the file, line and column\n"
     "of the first problem), and prints the business it describes: departments and\n"
     "staff, customers, routes, requests, variants and sweep.\n",
     cmd_check},
    {"dist", "show what a distribution of a scenario file looks like",
     "usage: cxsim dist NAME PARAM=VALUE... [-n DRAWS] [--seed SEED]\n"
     "\n"
     "Draws from a distribution written as in a scenario file (dist: NAME with\n"
     "its parameters, times in minutes) and prints its mean and sd in theory and\n"
     "as sampled, its quantiles and a histogram: a quick way to see whether\n"
     "\"gamma, mean 25, sd 10\" is the service time you have in mind.\n"
     "\n"
     "Distributions and their parameters:\n"
     "  constant value=V          exponential mean=M        uniform min=A max=B\n"
     "  normal mean=M sd=S        lognormal mean=M sd=S     gamma mean=M sd=S\n"
     "  gamma shape=K scale=T     erlang k=K mean=M         weibull shape=K scale=T\n"
     "  triangular min=A mode=C max=B    empirical values=V1,V2,... [weights=W1,W2,...]\n"
     "(normal is truncated at 0: it never gives a negative time)\n"
     "\n"
     "Options:\n"
     "  -n, --draws N   number of draws (default 100000, at most 100000000)\n"
     "      --seed S    master seed, 0 to 2^64-1 (default 20261122)\n"
     "\n"
     "Example:\n"
     "  cxsim dist lognormal mean=4 sd=2\n",
     cmd_dist},
    {"help", "show the help of a command",
     "usage: cxsim help [COMMAND]\n"
     "\n"
     "Shows what COMMAND does and its options; without COMMAND, lists the commands.\n",
     cmd_help},
    {"version", "print the version of cxsim",
     "usage: cxsim version\n"
     "\n"
     "Prints the version of cxsim (the same as cxsim --version).\n",
     cmd_version},
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
        fprintf(f, "  %-9s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "\n"
               "Options:\n"
               "  -h, --help      show this help\n"
               "  -V, --version   print the version\n"
               "\n"
               "'cxsim help COMMAND' shows a command's options.\n"
               "Exit codes: 0 success, 64 bad command line, 65 bad scenario, 66 input not\n"
               "found, 70 internal error, 73 cannot create output, 74 write error.\n");
}

static const struct command *find_command(const char *name)
{
    for (size_t i = 0; i < NCOMMANDS; i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

/* Sets a usage error about an unknown command, with a suggestion. */
static int unknown_command(const char *name, struct sim_err *err)
{
    const char *names[NCOMMANDS];
    for (size_t i = 0; i < NCOMMANDS; i++)
        names[i] = commands[i].name;
    const char *close = sim_err_suggest(name, names, NCOMMANDS);
    if (close)
        return sim_err_set(err, SIM_EUSAGE, "unknown command '%s'; did you mean '%s'? (see 'cxsim --help')",
                           name, close);
    return sim_err_set(err, SIM_EUSAGE, "unknown command '%s' (see 'cxsim --help')", name);
}

/* getopt_long with our own one-line messages: returns the option, or -1 at
 * the end, or sets err (64) and returns '?'. */
static int next_option(int argc, char **argv, const char *shorts, const struct option *longs,
                       const char *cmd, struct sim_err *err)
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

/* Parses a whole string as a finite number. */
static bool parse_number(const char *s, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || *end != '\0' || errno == ERANGE || !isfinite(v))
        return false;
    *out = v;
    return true;
}

/* Parses "a,b,c" into a new array; returns its length, 0 when malformed. */
static size_t parse_list(const char *s, double **out)
{
    size_t n = 1;
    for (const char *p = s; *p; p++)
        n += *p == ',';
    double *v = sim_xmalloc(n * sizeof *v);
    char *copy = sim_xstrdup(s), *save = NULL;
    size_t i = 0;
    for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        if (i == n || !parse_number(tok, &v[i])) {
            i = 0;
            break;
        }
        i++;
    }
    free(copy);
    if (i != n) {
        free(v);
        return 0;
    }
    *out = v;
    return n;
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

/* Parses --seed into *seed; a usage error when it is not one. */
static int seed_option(const char *arg, uint64_t *seed, struct sim_err *err)
{
    if (!parse_seed(arg, seed))
        return sim_err_set(err, SIM_EUSAGE, "--seed must be a whole number from 0 to 2^64-1, got '%s'", arg);
    return SIM_OK;
}

/* A round bin width (1, 2 or 5 times a power of ten) giving at most
 * `bins` bins up to x. */
static double nice_width(double x, int bins)
{
    double raw = x / bins;
    if (!(raw > 0))
        return 1;
    double p = pow(10, floor(log10(raw)));
    const double steps[] = {1, 2, 5, 10};
    for (size_t i = 0; i < 4; i++)
        if (steps[i] * p >= raw)
            return steps[i] * p;
    return 10 * p;
}

/* Builds the distribution named by argv[0] with parameters argv[1..]. */
static int dist_from_args(int argc, char **argv, struct sim_dist *d, char *title, size_t tlen,
                          struct sim_err *err)
{
    const char *name = argv[0];
    const char *keys[SIM_DIST_MAX_PARAMS + 1];
    const char *vals[SIM_DIST_MAX_PARAMS + 1];
    size_t nkeys = (size_t)argc - 1;
    if (nkeys > SIM_DIST_MAX_PARAMS)
        return sim_err_set(err, SIM_EUSAGE, "too many parameters for %s (see 'cxsim help dist')", name);
    char *pairs[SIM_DIST_MAX_PARAMS];
    for (size_t i = 0; i < nkeys; i++) {
        pairs[i] = sim_xstrdup(argv[i + 1]);
        char *eq = strchr(pairs[i], '=');
        if (!eq || eq == pairs[i]) {
            for (size_t k = 0; k <= i; k++)
                free(pairs[k]);
            return sim_err_set(err, SIM_EUSAGE, "expected PARAM=VALUE, got '%s' (see 'cxsim help dist')",
                               argv[i + 1]);
        }
        *eq = '\0';
        keys[i] = pairs[i];
        vals[i] = eq + 1;
    }

    size_t nforms;
    const struct sim_dist_form *forms = sim_dist_forms(&nforms);
    const struct sim_dist_form *f = sim_dist_form_find(name, keys, nkeys);
    if (!f) {
        const char *names[32];
        bool known = false;
        for (size_t i = 0; i < nforms && i < 32; i++) {
            names[i] = forms[i].name;
            known = known || strcmp(forms[i].name, name) == 0;
        }
        if (!known) {
            const char *close = sim_err_suggest(name, names, nforms < 32 ? nforms : 32);
            if (close)
                sim_err_set(err, SIM_EUSAGE, "unknown distribution '%s'; did you mean '%s'?", name, close);
            else
                sim_err_set(err, SIM_EUSAGE, "unknown distribution '%s' (see 'cxsim help dist')", name);
        } else {
            char takes[256];
            sim_dist_takes(name, takes, sizeof takes);
            sim_err_set(err, SIM_EUSAGE, "%s takes %s", name, takes);
        }
        for (size_t i = 0; i < nkeys; i++)
            free(pairs[i]);
        return err->code;
    }

    int rc;
    size_t tl = (size_t)snprintf(title, tlen, "%s(", name);
    if (f->lists) {
        double *values = NULL, *weights = NULL;
        size_t nv = 0, nw = 0;
        for (size_t i = 0; i < nkeys; i++) {
            bool is_values = strcmp(keys[i], "values") == 0;
            size_t n = parse_list(vals[i], is_values ? &values : &weights);
            if (n == 0) {
                rc = sim_err_set(err, SIM_EUSAGE, "%s of %s must be numbers separated by commas, got '%s'",
                                 keys[i], name, vals[i]);
                goto lists_done;
            }
            *(is_values ? &nv : &nw) = n;
        }
        if (weights && nw != nv) {
            rc = sim_err_set(err, SIM_EUSAGE, "empirical has %zu values but %zu weights", nv, nw);
            goto lists_done;
        }
        rc = sim_dist_init_empirical(d, values, weights, nv, err);
        snprintf(title + tl, tlen - tl, "%zu values)", nv);
    lists_done:
        free(values);
        free(weights);
    } else {
        double params[SIM_DIST_MAX_PARAMS];
        rc = SIM_OK;
        for (int k = 0; k < f->nparams && rc == SIM_OK; k++) {
            for (size_t i = 0; i < nkeys; i++) {
                if (strcmp(keys[i], f->params[k]) != 0)
                    continue;
                if (!parse_number(vals[i], &params[k]))
                    rc = sim_err_set(err, SIM_EUSAGE, "%s of %s must be a number, got '%s'", keys[i], name,
                                     vals[i]);
                else if (tl < tlen)
                    tl += (size_t)snprintf(title + tl, tlen - tl, "%s%s=%s", k ? ", " : "", f->params[k],
                                           vals[i]);
            }
        }
        if (rc == SIM_OK)
            rc = sim_dist_init(d, f, params, err);
        if (tl < tlen)
            snprintf(title + tl, tlen - tl, ")");
    }
    for (size_t i = 0; i < nkeys; i++)
        free(pairs[i]);
    /* On the command line a bad parameter is a bad command line. */
    if (rc != SIM_OK && err->code == SIM_EDATA)
        err->code = SIM_EUSAGE;
    return err->code;
}

static int cmd_dist(int argc, char **argv, struct sim_err *err)
{
    static const struct option longs[] = {
        {"draws", required_argument, NULL, 'n'},
        {"seed", required_argument, NULL, 's'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    size_t draws = 100000;
    uint64_t seed = DEFAULT_SEED;
    int c;
    /* GNU getopt permutes: options may come before or after NAME PARAM=VALUE
     * (a PARAM=VALUE never starts with '-'). */
    while ((c = next_option(argc, argv, ":n:h", longs, "dist", err)) != -1) {
        double v;
        switch (c) {
        case 'n':
            if (!parse_number(optarg, &v) || v < 2 || v > 1e8 || v != floor(v))
                return sim_err_set(err, SIM_EUSAGE, "--draws must be a whole number from 2 to 100000000, got '%s'",
                                   optarg);
            draws = (size_t)v;
            break;
        case 's':
            if (seed_option(optarg, &seed, err))
                return err->code;
            break;
        case 'h':
            fputs(find_command("dist")->help, stdout);
            return SIM_OK;
        default:
            return err->code;
        }
    }
    if (optind >= argc)
        return sim_err_set(err, SIM_EUSAGE, "dist needs a distribution, as in 'cxsim dist lognormal mean=4 sd=2'");

    struct sim_dist d;
    char title[256];
    if (dist_from_args(argc - optind, argv + optind, &d, title, sizeof title, err))
        return err->code;

    struct sim_stream stream;
    sim_stream_init(&stream, seed, 0, 0, 0);
    gsl_rng *rng = sim_stream_rng(&stream);
    struct sim_tally t;
    sim_tally_init(&t, true);
    double *x = sim_xmalloc(draws * sizeof *x);
    for (size_t i = 0; i < draws; i++) {
        x[i] = sim_dist_sample(&d, rng);
        sim_tally_add(&t, x[i]);
    }
    struct sim_ci ci = sim_ci_student(x, draws, 0.95);

    struct out_dist r = {
        .title = title, .draws = draws, .seed = seed,
        .theory_mean = d.mean, .theory_sd = sqrt(d.var),
        .mean = ci.mean, .mean_half = ci.half, .sd = ci.sd,
        .min = sim_tally_min(&t), .max = sim_tally_max(&t),
        .p50 = sim_tally_quantile(&t, 0.5), .p90 = sim_tally_quantile(&t, 0.9),
        .p95 = sim_tally_quantile(&t, 0.95), .p99 = sim_tally_quantile(&t, 0.99),
    };
    /* Histogram: round-width bins from 0 up to the 99th percentile. */
    enum { BINS = 12 };
    size_t counts[BINS] = {0};
    double span = r.p99 > 0 ? r.p99 : r.max;
    r.bin_width = nice_width(span, BINS);
    r.nbins = (size_t)ceil(span / r.bin_width);
    if (r.nbins < 1)
        r.nbins = 1;
    if (r.nbins > BINS)
        r.nbins = BINS;
    for (size_t i = 0; i < draws; i++) {
        size_t b = (size_t)(x[i] / r.bin_width);
        if (b < r.nbins)
            counts[b]++;
        else
            r.above++;
    }
    free(x);
    r.counts = counts;
    int rc = out_dist_write_text(&r, stdout, err);
    sim_tally_fini(&t);
    sim_dist_fini(&d);
    return rc;
}

static int cmd_help(int argc, char **argv, struct sim_err *err)
{
    if (argc < 2) {
        print_usage(stdout);
        return SIM_OK;
    }
    if (argc > 2)
        return sim_err_set(err, SIM_EUSAGE, "help takes one command, as in 'cxsim help dist'");
    const struct command *cmd = find_command(argv[1]);
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

/* The command line as typed (before getopt permutes argv), for the JSON
 * manifest; freed by finish(). */
static char *command_line;

/* The texts an error may point into: the scenario, and the --set values
 * joined by newlines (an error in the k-th is located at --set:k:COL). */
static struct {
    const char *name, *text;
    size_t len;
    char *owned;      /* the scenario file's text, freed by finish() */
    char *sets;
    size_t sets_len;
} sources;

/* Prints err (if set), checks that stdout was written, returns the exit code. */
static int finish(struct sim_err *err)
{
    if (fflush(stdout) != 0 || ferror(stdout))
        sim_err_set(err, SIM_EIO, "cannot write to standard output: %s", strerror(errno));
    if (err->code != SIM_OK) {
        const char *src = NULL;
        size_t len = 0;
        if (!strcmp(err->file, MDL_SET_SOURCE)) {
            src = sources.sets;
            len = sources.sets_len;
        } else if (sources.name && !strcmp(err->file, sources.name)) {
            src = sources.text;
            len = sources.len;
        }
        sim_err_print(err, stderr, PROG, src, len);
    }
    free(sources.sets);
    free(sources.owned);
    free(command_line);
    return err->code;
}

/* Reads a whole file into a new NUL-terminated buffer. */
static int read_file(const char *path, char **text, size_t *len, struct sim_err *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return sim_err_set(err, SIM_ENOINPUT, "cannot open %s: %s", path, strerror(errno));
    size_t cap = 1 << 16, n = 0;
    char *buf = sim_xmalloc(cap);
    for (;;) {
        n += fread(buf + n, 1, cap - n - 1, f);
        if (ferror(f)) {
            int e = errno;
            fclose(f);
            free(buf);
            return sim_err_set(err, SIM_ENOINPUT, "cannot read %s: %s", path, strerror(e));
        }
        if (feof(f))
            break;
        cap *= 2;
        buf = sim_xrealloc(buf, cap);
    }
    fclose(f);
    buf[n] = '\0';
    *text = buf;
    *len = n;
    return SIM_OK;
}

/* Loads SCENARIO (or the built-in one when path is NULL) with overrides. */
static int load_scenario(const char *path, char **sets, size_t nsets, struct mdl_scenario **out,
                         struct sim_err *err)
{
    const char *text;
    size_t len = 0;
    if (path) {
        if (read_file(path, &sources.owned, &len, err))
            return err->code;
        text = sources.owned;
        sources.name = path;
    } else {
        text = (const char *)mdl_builtin_scenario;
        len = mdl_builtin_scenario_len;
        sources.name = MDL_BUILTIN_NAME;
    }
    sources.text = text;
    sources.len = len;
    size_t total = 0;
    for (size_t i = 0; i < nsets; i++)
        total += strlen(sets[i]) + 1;
    sources.sets = sim_xmalloc(total + 1);
    sources.sets[0] = '\0';
    for (size_t i = 0; i < nsets; i++) {
        strcat(sources.sets, sets[i]);
        strcat(sources.sets, "\n");
    }
    sources.sets_len = total;
    return mdl_scenario_load(sources.name, text, len, (const char *const *)sets, nsets, out, err);
}

static bool parse_count(const char *s, double lo, double hi, long *out)
{
    double v;
    if (!parse_number(s, &v) || v != floor(v) || v < lo || v > hi)
        return false;
    *out = (long)v;
    return true;
}

enum format { FMT_TEXT, FMT_CSV, FMT_JSON };

/* Parses --format: one of names[0..n), else a usage error naming them. */
static int parse_format(const char *arg, const char *const *names, int n, const char *cmd, int *out,
                        struct sim_err *err)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(arg, names[i])) {
            *out = i;
            return SIM_OK;
        }
    if (!strcmp(arg, "html"))
        return sim_err_set(err, SIM_EUSAGE, "--format html is not available in this version");
    char list[64] = "";
    for (int i = 0; i < n; i++) {
        strncat(list, names[i], sizeof list - strlen(list) - 1);
        if (i + 1 < n)
            strncat(list, i + 2 < n ? ", " : " or ", sizeof list - strlen(list) - 1);
    }
    return sim_err_set(err, SIM_EUSAGE, "--format must be %s, got '%s' (see 'cxsim help %s')", list, arg, cmd);
}

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

/* Fills the manifest of a report: version, SHA-256 of the scenario text,
 * the command line, the time it started. Strings live in the arena. */
static void fill_manifest(struct out_manifest *m, time_t started, struct sim_arena *arena)
{
    struct sha256_ctx ctx;
    uint8_t digest[SHA256_DIGEST_SIZE];
    sha256_init(&ctx);
    sha256_update(&ctx, sources.len, (const uint8_t *)sources.text);
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

static int write_report(const struct out_report *r, int format, FILE *f, struct sim_err *err)
{
    switch (format) {
    case FMT_CSV:
        return out_csv_write(r, f, err);
    case FMT_JSON:
        return out_json_write(r, f, err);
    default:
        return out_text_write(r, f, err);
    }
}

/* The options of the commands that simulate a scenario (run, trace):
 * --seed, --set (kept in order), -o. */
struct scenario_opts {
    uint64_t seed;
    bool have_seed;
    char **sets;          /* argc slots; freed by the command */
    size_t nsets;
    const char *out_path;
};

/* Takes option c when it is one of the shared ones: returns true (err set
 * when its value is bad), false for the command's own options. */
static bool scenario_option(int c, struct scenario_opts *so, struct sim_err *err)
{
    switch (c) {
    case 's':
        seed_option(optarg, &so->seed, err);
        so->have_seed = true;
        return true;
    case 'S':
        so->sets[so->nsets++] = optarg;
        return true;
    case 'o':
        so->out_path = optarg;
        return true;
    default:
        return false;
    }
}

static int cmd_run(int argc, char **argv, struct sim_err *err)
{
    static const struct option longs[] = {
        {"reps", required_argument, NULL, 'r'}, {"seed", required_argument, NULL, 's'},
        {"set", required_argument, NULL, 'S'},  {"format", required_argument, NULL, 'f'},
        {"output", required_argument, NULL, 'o'}, {"jobs", required_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},       {NULL, 0, NULL, 0},
    };
    static const char *const formats[] = {"text", "csv", "json"};
    long reps = 0, jobs = 0;
    int format = FMT_TEXT;
    time_t started = time(NULL);
    struct scenario_opts so = {.sets = sim_xmalloc((size_t)argc * sizeof(char *))};
    int c;
    while ((c = next_option(argc, argv, ":o:h", longs, "run", err)) != -1) {
        if (scenario_option(c, &so, err)) {
            if (err->code)
                break;
            continue;
        }
        switch (c) {
        case 'r':
            if (!parse_count(optarg, 1, MDL_MAX_REPLICATIONS, &reps))
                sim_err_set(err, SIM_EUSAGE, "--reps must be a whole number from 1 to %d, got '%s'",
                            MDL_MAX_REPLICATIONS, optarg);
            break;
        case 'f':
            parse_format(optarg, formats, 3, "run", &format, err);
            break;
        case 'j':
            if (!parse_count(optarg, 1, 4096, &jobs))
                sim_err_set(err, SIM_EUSAGE, "--jobs must be a whole number from 1 to 4096, got '%s'", optarg);
            break;
        case 'h':
            fputs(find_command("run")->help, stdout);
            free(so.sets);
            return SIM_OK;
        default:
            break;
        }
        if (err->code)
            break;
    }
    if (!err->code && argc - optind > 1)
        sim_err_set(err, SIM_EUSAGE, "run takes one scenario file, got '%s' too (see 'cxsim help run')",
                    argv[optind + 1]);
    struct mdl_scenario *s = NULL;
    if (err->code || load_scenario(optind < argc ? argv[optind] : NULL, so.sets, so.nsets, &s, err)) {
        free(so.sets);
        return err->code;
    }
    struct out_report report = {
        .scenario = s->name, .source = sources.name, .is_day = s->is_day, .open_at = s->open_at,
        .close_at = s->close_at, .warmup_dur = s->warmup_dur, .length_dur = s->length_dur,
        .replications = reps ? (unsigned)reps : s->replications, .seed = so.have_seed ? so.seed : s->seed, .nplans = 1,
    };
    struct sim_arena *arena = sim_arena_create(0);
    fill_manifest(&report.manifest, started, arena);
    struct out_plan plan;
    struct mdl_run_totals totals;
    mdl_run_plan(s, "baseline", report.seed, report.replications, (int)jobs, arena, &plan, NULL, &totals);
    report.plans = &plan;
    if (plan.overloaded)
        fprintf(stderr, "%s: warning: %u replication%s stopped: over %d customers inside at once (overloaded)\n",
                PROG, plan.overloaded, plan.overloaded == 1 ? " was" : "s were", MDL_FLOW_MAX_IN_SYSTEM);
    struct out_file o;
    if (!out_file_open(&o, so.out_path, err)) {
        write_report(&report, format, o.f, err);
        out_file_close(&o, err->code == SIM_OK, err);
    }
    sim_arena_destroy(arena);
    mdl_scenario_destroy(s);
    free(so.sets);
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
    return parse_number(arg, out) && *out >= 0;
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

static void trace_event(void *ctx, const struct out_trace_event *ev)
{
    out_trace_event(ctx, ev);
}

static int cmd_trace(int argc, char **argv, struct sim_err *err)
{
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
    struct scenario_opts so = {.sets = sim_xmalloc((size_t)argc * sizeof(char *))};
    int c;
    while ((c = next_option(argc, argv, ":o:h", longs, "trace", err)) != -1) {
        if (scenario_option(c, &so, err)) {
            if (err->code)
                break;
            continue;
        }
        switch (c) {
        case 'n':
            if (!parse_count(optarg, 1, 1e9, &count))
                sim_err_set(err, SIM_EUSAGE, "--customers must be a whole number from 1, got '%s'", optarg);
            filter.customers = (unsigned long)count;
            break;
        case 'c':
            filter.cls = optarg;
            break;
        case 'i': {
            const char *hash = strchr(optarg, '#');
            if (!hash || hash == optarg || (size_t)(hash - optarg) >= sizeof customer ||
                !parse_count(hash + 1, 1, 4e9, &count)) {
                sim_err_set(err, SIM_EUSAGE, "--customer must be CLASS#NUMBER, as in buyer#17, got '%s'", optarg);
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
            if (!parse_count(optarg, 1, MDL_MAX_REPLICATIONS, &day))
                sim_err_set(err, SIM_EUSAGE, "--day must be a whole number from 1 to %d, got '%s'",
                            MDL_MAX_REPLICATIONS, optarg);
            break;
        case 'f':
            parse_format(optarg, formats, 2, "trace", &format, err);
            break;
        case 'h':
            fputs(find_command("trace")->help, stdout);
            free(so.sets);
            return SIM_OK;
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
    if (err->code || load_scenario(optind < argc ? argv[optind] : NULL, so.sets, so.nsets, &s, err)) {
        free(so.sets);
        return err->code;
    }
    if ((filter.cls && check_class(s, "--class", filter.cls, err)) ||
        (filter.customer_cls && check_class(s, "--customer", filter.customer_cls, err))) {
        mdl_scenario_destroy(s);
        free(so.sets);
        return err->code;
    }
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
        if (stats.overloaded)
            fprintf(stderr, "%s: warning: the day was stopped: over %d customers inside at once (overloaded)\n",
                    PROG, MDL_FLOW_MAX_IN_SYSTEM);
        out_file_close(&o, err->code == SIM_OK, err);
    }
    mdl_scenario_destroy(s);
    free(so.sets);
    return err->code;
}

static int cmd_check(int argc, char **argv, struct sim_err *err)
{
    static const struct option longs[] = {
        {"set", required_argument, NULL, 'S'}, {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
    char **sets = sim_xmalloc((size_t)argc * sizeof *sets);
    size_t nsets = 0;
    int c;
    while ((c = next_option(argc, argv, ":h", longs, "check", err)) != -1) {
        if (c == 'S') {
            sets[nsets++] = optarg;
        } else if (c == 'h') {
            fputs(find_command("check")->help, stdout);
            free(sets);
            return SIM_OK;
        } else {
            free(sets);
            return err->code;
        }
    }
    if (argc - optind != 1) {
        free(sets);
        return sim_err_set(err, SIM_EUSAGE, "check takes one scenario file, as in 'cxsim check dealership.yaml'");
    }
    struct mdl_scenario *s = NULL;
    if (!load_scenario(argv[optind], sets, nsets, &s, err)) {
        mdl_describe(s, stdout, err);
        mdl_scenario_destroy(s);
    }
    free(sets);
    return err->code;
}

int main(int argc, char **argv)
{
    struct sim_err err;
    sim_err_init(&err);
    sim_stream_library_init();

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
    append_shell_word(command_line, len, PROG);
    for (int i = 1; i < argc; i++)
        append_shell_word(command_line, len, argv[i]);
    const struct command *cmd = find_command(name);
    if (!cmd) {
        unknown_command(name, &err);
        return finish(&err);
    }
    /* The command sees argv from its own name on, as getopt expects. */
    optind = 1;
    cmd->run(argc - 1, argv + 1, &err);
    return finish(&err);
}
