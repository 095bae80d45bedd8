/* sim/cli/sweep.c — cxsim sweep: a grid of plans, run on every core into a
 * database that survives being killed (cxsim merge, sim/cli/merge.c, joins
 * the databases of its shards).
 *
 * sweep: loads the scenario and its grid (sweep:, or --grid), refuses an
 * accidental explosion (--max-plans), opens or resumes the database, checks
 * every plan still to run, then runs them (models/sweep.h), writing each
 * plan as it completes (output/sweepdb.h), and reports the plans ranked.
 * With --shard I/N it runs plans I-1, I-1+N, I-1+2N ... only; cxsim merge
 * joins the shards' databases. A progress bar is drawn on stderr only when
 * it is a terminal.
 */
#include "sim/cli/cli.h"
#include "sim/cli/results.h"
#include "sim/cli/heatmap.h"
#include "sim/cli/budget.h"

#include "models/scenario.h"
#include "output/report.h"

#include "models/flow.h"
#include "models/plans.h"
#include "models/run.h"
#include "models/sweep.h"
#include "output/csv.h"
#include "output/file.h"
#include "output/shell.h"
#include "output/html.h"
#include "output/json.h"
#include "output/sweepdb.h"
#include "output/text.h"

#include <math.h>
#include <signal.h>
#include <nettle/sha2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifdef CXSIM_MPI
#include "sim/cli/mpi.h"
#endif

#define DEFAULT_MAX_PLANS 100000
/* The most plans a sweep may run, whatever --max-plans says: 10^15 (a
 * million plans a second would take 30 years). --max-plans takes any
 * number up to it, so the guard's advice is always one it takes. */
#define MOST_PLANS 1000000000000000

static int cmd_sweep(struct cli *cli, int argc, char **argv);

const struct cli_command cli_sweep = {
    "sweep", "run every plan of a grid into a database; resumable",
    "usage: cxsim sweep SCENARIO [--grid PATH=VALUES]... [--db FILE] [--jobs N]\n"
    "                   [--shard I/N] [--max-plans N] [--reps N] [--seed S]\n"
    "                   [--set PATH=VALUE]... [--format text|csv|json|html] [-o FILE]\n"
    "                   [--x PATH] [--y PATH] [--metric METRIC] [--interval N]\n"
    "                   [--rank-by METRIC[:high]] [--summaries-only]\n"
    "\n"
    "Runs every plan of the grid of SCENARIO (its sweep: section, or the --grid\n"
    "options) on the same days, on every core, and ranks the plans: those that meet\n"
    "every department's service-level goal first, cheapest first. Results go into\n"
    "an SQLite database, each plan committed as it completes: a sweep stopped at any\n"
    "moment and started again continues where it stopped.\n"
    "\n"
    "Options:\n"
    "      --grid PATH=VALUES  an axis of the grid, instead of the file's sweep: a\n"
    "                        list (1,2,3 or [1, 2, 3]) or a range (2..6; 2..10..2 by twos)\n"
    "      --db FILE         the database (default: SCENARIO with .sweep.db in place of\n"
    "                        .yaml); an existing one must hold this same sweep\n"
    "      --jobs N          threads (default: all cores); results do not depend on it\n"
    "      --memory SIZE     the memory budget, as 512M or 4G (default: three quarters of the\n"
    "                        machine's): replications and plans at once are sized to it\n"
    "      --shard I/N       run only slice I of N (1 <= I <= N) of the plans, as a job\n"
    "                        of an array; 'cxsim merge' joins the slices\n"
    "      --max-plans N     refuse a grid of more plans than N (default 100000; at\n"
    "                        most 10^15)\n"
    "      --reps N          replications (default: the scenario's replications:)\n"
    "      --seed S          master seed, 0 to 2^64-1 (default: the scenario's seed:)\n"
    "      --set PATH=VALUE  change one value of every plan first\n"
    "      --interval N      the by-hour figures in bins of N minutes on the clock\n"
    "                        (the same as --set day.interval=N; default 60)\n"
    "      --format FORMAT   text (the ranking, the default), csv or json (every plan\n"
    "                        of the database, in the layout of cxsim run), or html\n"
    "                        (the ranking and a heat map, for a browser)\n"
    "      --x PATH, --y PATH  the swept parameters of the heat map (default: the\n"
    "                        first two axes; the others at the best plan's values)\n"
    "      --summaries-only  store each metric's mean, interval and SD, not every\n"
    "                        replication's value (a fraction of the size; the JSON\n"
    "                        report then has no values)\n"
    "      --rank-by METRIC[:high]  rank the plans of each group (meeting every goal,\n"
    "                        too close to call, missing one) by METRIC, lowest first (with\n"
    "                        :high, highest first), in place of total cost; named as for --metric\n"
    "      --metric METRIC   what the heat map shows, named as in the JSON report:\n"
    "                        cost.total_cost (default), departments.NAME.wait_mean ...\n"
    "  -o, --output FILE     write the report to FILE (written whole, or not at all)\n",
    cmd_sweep};


/* ---- progress ---------------------------------------------------------- */

struct progress {
    bool on;
    uint64_t total, done;
    double started_at, drawn_at;
};

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void progress_draw(struct progress *pr, bool last)
{
    double t = now_s();
    if (!pr->on || (!last && t - pr->drawn_at < 0.1))
        return;
    pr->drawn_at = t;
    enum { BAR = 30 };
    char bar[BAR + 1];
    size_t fill = pr->total ? (size_t)((double)BAR * (double)pr->done / (double)pr->total) : BAR;
    for (size_t i = 0; i < BAR; i++)
        bar[i] = i < fill ? '#' : '.';
    bar[BAR] = '\0';
    double rate = (double)pr->done / (t - pr->started_at > 1e-9 ? t - pr->started_at : 1e-9);
    char left[32] = "";
    if (pr->done > 0 && pr->done < pr->total) {
        double s = (double)(pr->total - pr->done) / rate;
        snprintf(left, sizeof left, "  %d:%02d left", (int)(s / 60), (int)fmod(s, 60));
    }
    fprintf(stderr, "\r[%s] %llu/%llu plans  %.1f plans/s%s\033[K", bar, (unsigned long long)pr->done,
            (unsigned long long)pr->total, (double)rate, left);
    if (last)
        fputc('\n', stderr);
    fflush(stderr);
}

/* ---- what the database will take --------------------------------------- */

/* Says, before a large sweep starts, how much its database will grow:
 * each plan stores every metric's summary and, below 10,000 replications,
 * each replication's value (8 bytes); with --summaries-only the values
 * are not kept. Said past 256 MB. */
static void say_size(const struct mdl_scenario *s, size_t plans, unsigned reps, const char *db)
{
    double figures = (double)mdl_run_count(s);   /* a plan's metrics, about */
    double kept = reps <= CLI_RESULTS_KEEP_MAX ? 8.0 * reps : 0;
    double whole = (double)plans * figures * (kept + 64), summaries = (double)plans * figures * 64;
    if (whole < 256e6)
        return;
    fprintf(stderr, "%s: sweep: this will add about %.1f GB to ", CLI_PROG, whole / 1e9);
    sim_err_put_text(stderr, db);
    fprintf(stderr, " (%zu plans x %u replications x %.0f figures);\n%s: sweep: --summaries-only keeps each "
                    "figure's mean, interval and SD, not its %u values: about %.*f MB\n", plans, reps, figures,
            CLI_PROG, reps, summaries < 10e6 ? 1 : 0, summaries / 1e6);
}

/* ---- stopped by Ctrl-C -------------------------------------------------- */

/* The first Ctrl-C (or SIGTERM, SIGHUP) stops a sweep at the next plan
 * that completes — every plan is committed as it completes, so none is
 * lost — and the sweep says how many plans are saved and the command that
 * goes on; then it dies of the signal, as it would have (the shell sees
 * 128+N). A second signal meanwhile stops it at once, through the handler
 * that was there before (output/file.c's). Alone only: under MPI every
 * rank would need telling. */
static const int stop_sigs[] = {SIGINT, SIGTERM, SIGHUP};
static struct sigaction stop_before[3];
static volatile sig_atomic_t stop_sig;

static void on_stop(int sig)
{
    static const char msg[] = "\ncxsim: sweep: stopping once the plans under way are saved (Ctrl-C again "
                              "stops at once)\n";
    stop_sig = sig;
    for (size_t i = 0; i < 3; i++)   /* the next one: the handler before */
        sigaction(stop_sigs[i], &stop_before[i], NULL);
    ssize_t ignored = write(STDERR_FILENO, msg, sizeof msg - 1);
    (void)ignored;
}

/* Takes the signals for the sweep (on: true), or gives them back. */
static void catch_stop(bool on)
{
    if (!on) {
        for (size_t i = 0; i < 3; i++)
            sigaction(stop_sigs[i], &stop_before[i], NULL);
        return;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < 3; i++)
        sigaddset(&sa.sa_mask, stop_sigs[i]);
    for (size_t i = 0; i < 3; i++) {
        sigaction(stop_sigs[i], NULL, &stop_before[i]);
        if (stop_before[i].sa_handler != SIG_IGN)   /* started ignored (nohup): stays so */
            sigaction(stop_sigs[i], &sa, NULL);
    }
}

/* Says what a stopped sweep saved, and the command (argv, quoted for the
 * shell) that goes on from there. */
static void say_stopped(int argc, char **argv, const char *db, uint64_t held, uint64_t nplans)
{
    char cmd[3072];
    size_t used = (size_t)snprintf(cmd, sizeof cmd, "%s", CLI_PROG);
    for (int i = 0; i < argc; i++)
        out_shell_word(cmd, sizeof cmd, &used, argv[i]);
    fprintf(stderr, "%s: sweep: stopped; %llu of %llu plans are saved in ", CLI_PROG, (unsigned long long)held,
            (unsigned long long)nplans);
    sim_err_put_text(stderr, db);
    fprintf(stderr, "; the same command goes on where it stopped:\n  %s\n", cmd);
}

/* ---- sweep ------------------------------------------------------------- */

struct sweep {
    const struct mdl_plans *plans;
    struct out_sweepdb *db;
    struct sim_arena *arena;      /* one plan's summary, reset per plan */
    struct progress progress;
    unsigned overloaded;          /* plans with overloaded replications */
    bool summaries_only;          /* store means, intervals and SDs, not each replication's value */
};

/* Summarises a completed plan and writes it (models/sweep.h's done). */
static int plan_done(void *ctx, const struct mdl_sweep_result *res, struct sim_err *err)
{
    struct sweep *sw = ctx;
    sim_arena_reset(sw->arena);
    char name[1024];
    size_t idx[MDL_MAX_AXES];
    mdl_plans_grid_name(sw->plans, res->plan, name, sizeof name);
    mdl_plans_grid_point(sw->plans, res->plan, idx);
    struct out_plan plan;
    if (res->tallies)
        cli_results_plan_summarised(res->s, name, res->tallies, res->reps, &res->totals, res->pools, sw->arena, &plan);
    else
        cli_results_plan(res->s, name, res->values, res->reps, &res->totals, res->pools, sw->arena, &plan);
    sw->overloaded += plan.overloaded > 0;
    for (size_t i = 0; sw->summaries_only && i < plan.nscopes; i++)   /* as a plan summarised past 10,000 */
        for (size_t k = 0; k < plan.scopes[i].nmetrics; k++)
            plan.scopes[i].metrics[k].values = NULL;
    if (out_sweepdb_write(sw->db, res->plan, idx, &plan, res->reps, res->totals.events, res->totals.customers, err))
        return err->code;
    sw->progress.done++;
    progress_draw(&sw->progress, false);
    return stop_sig ? 1 : SIM_OK;   /* Ctrl-C: this plan was the last (models/sweep.h stops at a nonzero) */
}

/* SCENARIO with .sweep.db in place of .yaml or .yml, beside it; NULL (a
 * usage error set) when the scenario is not a regular file so named: read
 * from a FIFO, a device or /dev/stdin, there is no place to name after it. */
static char *default_db(const char *path, struct sim_err *err)
{
    const char *ext = strrchr(path, '.');
    struct stat st;
    if (!ext || strchr(ext, '/') || (strcmp(ext, ".yaml") && strcmp(ext, ".yml")) || stat(path, &st) != 0 ||
        !S_ISREG(st.st_mode)) {
        sim_err_set(err, SIM_EUSAGE, "name the sweep's database with --db FILE: %s is not a scenario file named "
                    ".yaml or .yml to name it after", path);
        return NULL;
    }
    size_t keep = (size_t)(ext - path);
    char *db = sim_xmalloc(keep + 10);
    memcpy(db, path, keep);
    memcpy(db + keep, ".sweep.db", 10);
    return db;
}

static bool parse_shard(const char *arg, long *i, long *n)
{
    char *slash = strchr(arg, '/');
    if (!slash)
        return false;
    char a[32];
    size_t len = (size_t)(slash - arg);
    if (len == 0 || len >= sizeof a)
        return false;
    memcpy(a, arg, len);
    a[len] = '\0';
    return cli_parse_count(a, 1, 1e6, i) && cli_parse_count(slash + 1, 1, 1e6, n) && *i <= *n;
}

/* The sweep's description for the database; strings in arena. */
static void sweep_meta(const struct cli *cli, const struct mdl_scenario *s, const struct mdl_plans *p,
                       const struct out_report *r,
                       uint64_t nplans, struct sim_arena *arena, struct out_sweep_meta *m)
{
    struct out_sweep_axis *axes = sim_arena_alloc(arena, (p->naxes + 1) * sizeof *axes);
    for (size_t a = 0; a < p->naxes; a++) {
        const char **values = sim_arena_alloc(arena, p->axes[a].nvalues * sizeof *values);
        for (size_t k = 0; k < p->axes[a].nvalues; k++) {
            char buf[1024];
            mdl_ynode_format(p->axes[a].values[k], buf, sizeof buf);
            char *v = sim_arena_alloc(arena, strlen(buf) + 1);
            strcpy(v, buf);
            values[k] = v;
        }
        axes[a] = (struct out_sweep_axis){p->axes[a].path, p->axes[a].nvalues, values};
    }
    const struct cli_source *src = &cli->scenario;
    *m = (struct out_sweep_meta){
        .cxsim_version = r->manifest.version, .scenario_sha256 = r->manifest.scenario_sha256,
        .overrides = cli->sets.text, .seed = r->seed, .replications = r->replications, .naxes = p->naxes, .axes = axes,
        .nplans = nplans, .scenario = s->name, .scenario_file = src->name, .scenario_text = src->text,
        .scenario_len = src->len, .command_line = r->manifest.command_line, .created_at = r->manifest.started_at,
    };
}

struct export {
    FILE *f;
    int format;
    unsigned reps;
    size_t n;
};

static int export_plan(void *ctx, uint64_t p, const struct out_plan *plan, struct sim_err *err)
{
    (void)p;
    struct export *x = ctx;
    if (x->format == CLI_CSV)
        out_csv_write_plan(plan, x->f);
    else if (out_json_plan(plan, x->reps, x->n, x->f))
        return sim_err_set(err, SIM_EIO, "cannot write the JSON report: out of memory");
    x->n++;
    return SIM_OK;
}

/* Writes the report of every plan the database holds. */
static int sweep_report(struct out_sweepdb *db, const struct out_report *r, const struct out_sweep_meta *m,
                        int format, struct cli_heatmap *hm, const struct out_sweep_order *by, const char *path,
                        struct sim_arena *arena, struct sim_err *err)
{
    struct out_file o;
    if (out_file_open(&o, path, err))
        return err->code;
    if (format == CLI_TEXT || format == CLI_HTML) {
        struct out_sweep_ranking rk;
        struct out_heatmap map;
        /* the ranking reads a few figures of each plan: every plan is
         * read whole first, so that a damaged database gives no report */
        if (!out_sweepdb_verify(db, err) && !out_sweepdb_rank(db, by, arena, &rk, err) && format == CLI_TEXT)
            out_text_sweep_write(r, &rk, o.f, err);
        else if (!err->code && !cli_heatmap_fill(db, m, &rk, hm, arena, &map, err))
            out_html_sweep_write(r, &rk, hm->on ? &map : NULL, o.f, err);
    } else {
        struct export x = {o.f, format, r->replications, 0};
        if (format == CLI_CSV) {   /* a column per swept parameter after the metric's */
            const char **paths = sim_arena_alloc(arena, (m->naxes + 1) * sizeof *paths);
            for (size_t a = 0; a < m->naxes; a++)
                paths[a] = m->axes[a].path;
            out_csv_write_header(o.f, paths, m->naxes);
        } else
            out_json_begin(r, o.f);
        out_sweepdb_each(db, export_plan, &x, err);
        if (!err->code && format == CLI_JSON)
            out_json_end(x.n, o.f, err);
        if (!err->code && ferror(o.f))
            sim_err_set(err, SIM_EIO, "cannot write the report");
    }
    return out_file_close(&o, err->code == SIM_OK, err);
}

struct sweep_opts {
    struct cli_report_opts ro;
    long shard_i, shard_n, max_plans;
    const char *db_path;
    struct cli_heatmap map;
    const char *rank_by;          /* --rank-by as given, NULL: cost */
    bool summaries_only;          /* --summaries-only: no replication's own values stored */
    struct out_sweep_order by;    /* what it names (check_rank_by) */
    char by_metric[160], by_scope[64], by_label[200];
};

/* --rank-by METRIC[:low|:high], checked against s into o->by. */
static int check_rank_by(const struct mdl_scenario *s, struct sweep_opts *o, struct sim_err *err)
{
    if (!o->rank_by)
        return SIM_OK;
    const char *colon = strrchr(o->rank_by, ':');
    bool high = colon && !strcmp(colon, ":high");
    size_t len = colon && (high || !strcmp(colon, ":low")) ? (size_t)(colon - o->rank_by) : strlen(o->rank_by);
    snprintf(o->by_label, sizeof o->by_label, "%.*s", (int)len, o->rank_by);
    int kind;
    if (!cli_metric_of(s, o->by_label, &kind, o->by_scope, sizeof o->by_scope, o->by_metric, sizeof o->by_metric))
        return sim_err_set(err, SIM_EUSAGE, "--rank-by must name a metric as the JSON report does, with :high to "
                           "rank the highest first, as in departments.%s.wait_mean or journeys.external.csat:high, "
                           "got '%s'", s->depts[0].name, o->rank_by);
    o->by = (struct out_sweep_order){o->by_label, out_scope_kind_name((enum out_scope_kind)kind),
                                     kind == OUT_COST ? "plan" : o->by_scope, o->by_metric, high};
    return SIM_OK;
}

static int parse_sweep_options(int argc, char **argv, struct cli_scenario_opts *so, struct sweep_opts *o,
                               struct sim_err *err)
{
    static const struct option longs[] = {
        {"grid", required_argument, NULL, 'G'}, {"db", required_argument, NULL, 'd'},
        {"jobs", required_argument, NULL, 'j'}, {"shard", required_argument, NULL, 'k'},
        {"memory", required_argument, NULL, 'B'},
        {"max-plans", required_argument, NULL, 'm'}, {"reps", required_argument, NULL, 'r'},
        {"seed", required_argument, NULL, 's'}, {"set", required_argument, NULL, 'S'},
        {"format", required_argument, NULL, 'f'}, {"output", required_argument, NULL, 'o'},
        {"x", required_argument, NULL, 'X'}, {"y", required_argument, NULL, 'Y'},
        {"metric", required_argument, NULL, 'M'}, {"interval", required_argument, NULL, 'I'},
        {"rank-by", required_argument, NULL, 'K'}, {"summaries-only", no_argument, NULL, 'U'},
        {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0},
    };
    int c;
    while (!err->code && (c = cli_next_option(argc, argv, ":o:h", longs, "sweep", err)) != -1) {
        if (cli_scenario_option(c, so, err) || cli_report_option(c, "sweep", &o->ro, err))
            continue;
        switch (c) {
        case 'd':
            o->db_path = optarg;
            break;
        case 'k':
            if (!parse_shard(optarg, &o->shard_i, &o->shard_n))
                sim_err_set(err, SIM_EUSAGE, "--shard must be I/N, two whole numbers with 1 <= I <= N <= 1000000, "
                            "as in 2/8, got '%s'", optarg);
            break;
        case 'm':
            if (!cli_parse_count(optarg, 1, MOST_PLANS, &o->max_plans))
                sim_err_set(err, SIM_EUSAGE, "--max-plans must be a whole number from 1 to %lld, got '%s'",
                            (long long)MOST_PLANS, optarg);
            break;
        case 'X':
            o->map.x_path = optarg;
            break;
        case 'Y':
            o->map.y_path = optarg;
            break;
        case 'M':
            o->map.metric = optarg;
            break;
        case 'K':
            o->rank_by = optarg;
            break;
        case 'U':
            o->summaries_only = true;
            break;
        case 'h':
#ifdef CXSIM_MPI
            if (cli_mpi_rank() != 0)   /* rank 0 alone speaks */
                return -1;
#endif
            return cli_help(&cli_sweep), -1;
        default:
            break;
        }
    }
    if (!o->ro.memory)
        o->ro.memory = cli_budget_default();
    if (!err->code && o->ro.reps_auto)
        sim_err_set(err, SIM_EUSAGE, "--reps auto is for run and compare: a sweep's plans share one number of "
                    "replications, give it with --reps N");
    if (!err->code && o->rank_by && (o->ro.format == CLI_CSV || o->ro.format == CLI_JSON))
        sim_err_set(err, SIM_EUSAGE, "--rank-by orders the text and HTML rankings: CSV and JSON hold every plan, "
                    "in the grid's order, to sort as you like");
    if (!err->code && o->ro.format != CLI_HTML && (o->map.x_path || o->map.y_path || o->map.metric))
        sim_err_set(err, SIM_EUSAGE, "--x, --y and --metric choose the heat map of --format html");
    if (!err->code && argc - optind != 1)
        sim_err_set(err, SIM_EUSAGE, argc - optind ? "sweep takes one scenario file (see 'cxsim help sweep')"
                                                   : "sweep needs a scenario file, as in 'cxsim sweep "
                                                     "scenarios/dealership.yaml'");
    return err->code;
}

/* Under MPI (more than one rank), every rank calls this exactly once
 * before rank 0 opens the database, with the sweep it would run (m, NULL
 * when it could not read it; help: it was asked for --help) or its error
 * in err: the ranks go on only if all can run the same sweep
 * (cli_mpi_join). Returns whether the ranks agreed; alone, always true. */
static bool sweep_join(const struct out_sweep_meta *m, bool help, struct sim_err *err)
{
#ifdef CXSIM_MPI
    if (cli_mpi_size() == 1)
        return true;
    struct cli_mpi_terms t;
    cli_mpi_terms_init(&t, "sweep", help, err);
    if (m && !err->code) {
        t.seed = m->seed;
        t.replications = m->replications;
        t.nplans = m->nplans;
        snprintf(t.scenario_sha256, sizeof t.scenario_sha256, "%s", m->scenario_sha256);
        /* what else decides the plans: the version, the overrides, the grid */
        struct sha256_ctx ctx;
        sha256_init(&ctx);
        sha256_update(&ctx, strlen(m->cxsim_version) + 1, (const uint8_t *)m->cxsim_version);
        sha256_update(&ctx, strlen(m->overrides) + 1, (const uint8_t *)m->overrides);
        for (size_t a = 0; a < m->naxes; a++) {
            sha256_update(&ctx, strlen(m->axes[a].path) + 1, (const uint8_t *)m->axes[a].path);
            for (size_t k = 0; k < m->axes[a].nvalues; k++)
                sha256_update(&ctx, strlen(m->axes[a].values[k]) + 1, (const uint8_t *)m->axes[a].values[k]);
        }
        uint8_t digest[SHA256_DIGEST_SIZE];
        sha256_digest(&ctx, sizeof digest, digest);
        cli_mpi_hex(digest, sizeof digest, t.plan_sha256);
    }
    return cli_mpi_join(&t, err) == SIM_OK;
#else
    (void)m;
    (void)help;
    (void)err;
    return true;
#endif
}

/* The plans of this shard that the database does not hold yet. */
static uint64_t *plans_to_run(struct out_sweepdb *db, uint64_t nplans, const struct sweep_opts *o, size_t *npending,
                              uint64_t *held, struct sim_err *err)
{
    uint64_t *done = sim_xcalloc((size_t)(nplans / 64 + 1), sizeof *done);
    uint64_t *pending = sim_xmalloc((size_t)(nplans + 1) * sizeof *pending);
    *npending = 0;
    *held = 0;
    if (!out_sweepdb_done(db, done, nplans, err))
        for (uint64_t p = 0; p < nplans; p++) {
            bool have = done[p / 64] >> (p % 64) & 1;
            *held += have;
            if (!have && (o->shard_n == 0 || p % (uint64_t)o->shard_n == (uint64_t)(o->shard_i - 1)))
                pending[(*npending)++] = p;
        }
    free(done);
    return pending;
}

static int cmd_sweep(struct cli *cli, int argc, char **argv)
{
    /* the command as typed, for Ctrl-C's "goes on" (getopt reorders argv) */
    char **typed = sim_xmalloc(((size_t)argc + 1) * sizeof *typed);
    memcpy(typed, argv, ((size_t)argc + 1) * sizeof *typed);
    struct sim_err *err = &cli->err;
    struct sweep_opts o = {.max_plans = DEFAULT_MAX_PLANS};
    struct cli_scenario_opts so;
    cli_scenario_opts_init(&so, argc);
    time_t started = time(NULL);
    int rc = parse_sweep_options(argc, argv, &so, &o, err);
    struct mdl_scenario *s = NULL;
    struct mdl_plans *plans = NULL;
    if (rc || cli_load_scenario(cli, argv[optind], &so, &s) || cli_load_plans(cli, s, &so, &plans) ||
        mdl_plans_check_axes(plans, err)) {
        sweep_join(NULL, rc == -1, err);   /* the other ranks learn why */
        mdl_plans_destroy(plans);
        mdl_scenario_destroy(s);
        cli_scenario_opts_fini(&so);
        free(typed);
        return err->code;
    }
    uint64_t nplans = mdl_plans_grid_size(plans);
    struct sim_arena *arena = sim_arena_create(0);
    char *db_path = NULL;
    struct out_sweepdb *db = NULL;
    uint64_t *pending = NULL;
    if (nplans == 0)
        sim_err_set(err, SIM_EDATA, "%s has no sweep: add a sweep: section, as in\n  sweep:\n"
                    "    departments.credit.staff: [1, 2, 3]\nor give the grid with --grid PATH=VALUES",
                    argv[optind]);
    else if (nplans > MOST_PLANS)
        sim_err_set(err, SIM_EUSAGE, "the grid has %s%llu plans, more than a sweep may run (at most %lld, whatever "
                    "--max-plans says): give its axes fewer values", nplans == UINT64_MAX ? "more than " : "",
                    (unsigned long long)nplans, (long long)MOST_PLANS);
    else if (nplans > (uint64_t)o.max_plans)
        sim_err_set(err, SIM_EUSAGE, "the grid has %llu plans, more than --max-plans (%ld): pass --max-plans %llu "
                    "to run them all", (unsigned long long)nplans, o.max_plans, (unsigned long long)nplans);
    /* sized to the memory budget before anything runs (each rank its own) */
    struct mdl_sweep_shape shape = {0};
    bool said = false;
    if (!err->code && !cli_budget_fit_sweep(o.ro.memory, s, o.ro.reps ? (unsigned)o.ro.reps : s->replications,
                                            (int)o.ro.jobs, &shape, &said, err))
        cli_choose_warmup(&so, s);   /* the report's; each plan chooses its own */
    if (!err->code)
        db_path = o.db_path ? sim_xstrdup(o.db_path) : default_db(argv[optind], err);
    struct out_report report;
    cli_report_init(cli, &report, s, &so, &o.ro, started, arena);
    struct out_sweep_meta meta;
    sweep_meta(cli, s, plans, &report, nplans, arena, &meta);
    if (!err->code && o.ro.format == CLI_HTML)
        cli_heatmap_check(s, &meta, &o.map, err);
    if (!err->code)
        check_rank_by(s, &o, err);
    /* Under MPI, rank 0 alone opens the database, hands the plans out and
     * reports; the other ranks simulate what it hands out, once all agree. */
    bool leader = true;
    int ranks = 1;
#ifdef CXSIM_MPI
    ranks = cli_mpi_size();
    leader = cli_mpi_rank() == 0;
#endif
    bool joined = sweep_join(&meta, false, err);
    size_t npending = 0;
    uint64_t held = 0;
    if (leader && !err->code && !out_sweepdb_open(db_path, &meta, &db, err)) {
        /* the report must not replace the database it is made from */
        if (so.out_path && out_sweepdb_is_file(db, so.out_path))
            sim_err_set(err, SIM_EUSAGE, "-o %s is the sweep's database (or a file of it): the report would replace "
                        "it; write the report to another file", so.out_path);
        else
            pending = plans_to_run(db, nplans, &o, &npending, &held, err);
    }
    if (leader && !err->code && npending)
        mdl_sweep_check(plans, pending, npending, (int)o.ro.jobs, err);
    struct sweep sw = {plans, db, sim_arena_create(0), {leader && cli_stderr_is_tty(), npending, 0, now_s(), 0}, 0,
                       o.summaries_only};
    if (leader && !err->code && npending && !o.summaries_only)
        say_size(s, npending, report.replications, db_path);
    bool catching = leader && ranks == 1 && !err->code && npending;
    if (catching)
        catch_stop(true);
    if (ranks > 1 && joined) {
#ifdef CXSIM_MPI
        cli_mpi_run(plans, pending, npending, report.seed, report.replications, &shape, plan_done, &sw, err);
#endif
    } else if (!err->code && npending) {
        mdl_sweep_run(plans, pending, npending, report.seed, report.replications, &shape, plan_done, &sw, err);
    }
    if (catching)
        catch_stop(false);
    sim_arena_destroy(sw.arena);
    if (leader && npending) {
        progress_draw(&sw.progress, true);
        if (sw.overloaded)
            fprintf(stderr, "%s: warning: %u plan%s had replications stopped as overloaded (over %ld customers "
                    "inside at once, or more events than max_events; max_in_system and max_events set the limits)\n", CLI_PROG, sw.overloaded,
                    sw.overloaded == 1 ? "" : "s", s->max_in_system);
    }
    if (stop_sig && !err->code) {   /* Ctrl-C: what is saved, how to go on; then die of it */
        uint64_t now = held;
        out_sweepdb_count(db, &now, err);
        say_stopped(argc, typed, db_path, now, nplans);
        out_sweepdb_close(db, err);
        raise(stop_sig);   /* the handler given back: output/file.c's, then the default */
    }
    if (leader && !err->code) {
        /* what this process did, and what another sweeping into the same
         * database did meanwhile: the plans it wrote first are theirs */
        uint64_t now = held, theirs = out_sweepdb_found(db);
        out_sweepdb_count(db, &now, err);
        if (npending)
            fprintf(stderr, "%s: sweep: %llu plan%s run now%s, %llu done before", CLI_PROG,
                    (unsigned long long)sw.progress.done, sw.progress.done == 1 ? "" : "s",
                    ranks > 1 ? " by MPI ranks" : "", (unsigned long long)held);
        else
            fprintf(stderr, "%s: sweep: nothing left to run in this %s", CLI_PROG, o.shard_n ? "shard" : "sweep");
        if (theirs) {
            fputs("; another process sweeping into ", stderr);
            sim_err_put_text(stderr, db_path);
            fprintf(stderr, " had already written %llu of them (its results kept), so this one added %llu",
                    (unsigned long long)theirs, (unsigned long long)(sw.progress.done - theirs));
        }
        fputs("; ", stderr);
        sim_err_put_text(stderr, db_path);
        fprintf(stderr, " holds %llu of %llu%s\n", (unsigned long long)now, (unsigned long long)nplans,
                npending ? "" : " plans");
        if (!err->code)
            sweep_report(db, &report, &meta, o.ro.format, &o.map, o.rank_by ? &o.by : NULL, so.out_path, arena,
                         err);
    }
    out_sweepdb_close(db, err);
    free(pending);
    free(db_path);
    sim_arena_destroy(arena);
    mdl_plans_destroy(plans);
    mdl_scenario_destroy(s);
    cli_scenario_opts_fini(&so);
    free(typed);
    return err->code;
}
