/* sim/cli/dist.c — cxsim dist: what a distribution of a scenario file
 * looks like, drawn on the kernel's streams and summarised (mean, sd,
 * quantiles, a histogram of round-width bins). The parameters are read as a
 * scenario's are, so a mistake here is the same mistake there; on the
 * command line it is a usage error (64).
 */
#include "sim/cli/cli.h"

#include "output/dist.h"
#include "sim/ci.h"
#include "sim/dist.h"
#include "sim/stream.h"
#include "sim/tally.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_SEED 20261122u

static int cmd_dist(struct cli *cli, int argc, char **argv);

const struct cli_command cli_dist = {
    "dist", "show what a distribution of a scenario file looks like",
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
     cmd_dist};

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
        if (i == n || !cli_parse_number(tok, &v[i])) {
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
                if (!cli_parse_number(vals[i], &params[k]))
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

static int cmd_dist(struct cli *cli, int argc, char **argv)
{
    struct sim_err *err = &cli->err;
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
    while ((c = cli_next_option(argc, argv, ":n:h", longs, "dist", err)) != -1) {
        long v;
        switch (c) {
        case 'n':
            if (!cli_parse_count(optarg, 2, 100000000, &v))
                return sim_err_set(err, SIM_EUSAGE, "--draws must be a whole number from 2 to 100000000, got '%s'",
                                   optarg);
            draws = (size_t)v;
            break;
        case 's':
            if (cli_seed_option(optarg, &seed, err))
                return err->code;
            break;
        case 'h':
            return cli_help(&cli_dist);
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
