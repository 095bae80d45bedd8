/* sim/cli/budget.c — the memory budget (see budget.h). */
#include "sim/cli/budget.h"
#include "sim/cli/cli.h"
#include "sim/cli/results.h"

#include "models/flow.h"
#include "models/run.h"
#include "models/sweep.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#define MIB ((size_t)1 << 20)
#define BUDGET_MIN (64 * MIB)

bool cli_budget_parse(const char *text, size_t *bytes)
{
    const char *p = text;
    double whole = 0, frac = 0, scale = 1;
    if (*p < '0' || *p > '9')
        return false;
    for (; *p >= '0' && *p <= '9'; p++)
        whole = whole * 10 + (*p - '0');
    if (*p == '.') {
        if (p[1] < '0' || p[1] > '9')
            return false;
        for (p++; *p >= '0' && *p <= '9'; p++)
            frac += (*p - '0') * (scale /= 10);
    }
    double unit = 1;
    const char *units = "KMGT";
    const char *u = *p ? strchr(units, *p) : NULL;
    if (u) {
        unit = ldexp(1, 10 * (int)(u - units + 1));
        p++;
        if (!strcmp(p, "B") || !strcmp(p, "iB"))
            p += strlen(p);
    }
    double b = (whole + frac) * unit;
    if (*p || !(b >= (double)BUDGET_MIN) || b > (double)SIZE_MAX / 2)
        return false;
    *bytes = (size_t)b;
    return true;
}

/* The number in the file at path ("max" or unreadable: SIZE_MAX). */
static size_t read_limit(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return SIZE_MAX;
    char line[64] = "";
    size_t v = SIZE_MAX;
    if (fgets(line, sizeof line, f) && line[0] >= '0' && line[0] <= '9') {
        unsigned long long x = strtoull(line, NULL, 10);
        v = x < SIZE_MAX ? (size_t)x : SIZE_MAX;
    }
    fclose(f);
    return v;
}

/* The machine's memory, from /proc/meminfo's MemTotal (kB). */
static size_t machine_memory(void)
{
    FILE *f = fopen("/proc/meminfo", "r");
    size_t v = SIZE_MAX;
    char line[128];
    while (f && fgets(line, sizeof line, f))
        if (!strncmp(line, "MemTotal:", 9)) {
            v = (size_t)strtoull(line + 9, NULL, 10) * 1024;
            break;
        }
    if (f)
        fclose(f);
    return v;
}

size_t cli_budget_default(void)
{
    size_t least = machine_memory();
    size_t limits[] = {read_limit("/sys/fs/cgroup/memory.max"),
                       read_limit("/sys/fs/cgroup/memory/memory.limit_in_bytes")};
    for (size_t i = 0; i < sizeof limits / sizeof limits[0]; i++)
        if (limits[i] < least)
            least = limits[i];
    struct rlimit rl;
    if (!getrlimit(RLIMIT_AS, &rl) && rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < least)
        least = (size_t)rl.rlim_cur;
    if (!getrlimit(RLIMIT_DATA, &rl) && rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < least)
        least = (size_t)rl.rlim_cur;
    if (least == SIZE_MAX)
        least = (size_t)4 << 30;   /* nothing says: assume a small machine */
    size_t b = least / 4 * 3;
    return b < BUDGET_MIN ? BUDGET_MIN : b;
}

const char *cli_budget_format(size_t bytes, char *buf, size_t len)
{
    double gb = (double)bytes / (double)((size_t)1 << 30);
    if (gb >= 1)
        snprintf(buf, len, "%.1f GB", gb);
    else
        snprintf(buf, len, "%.0f MB", (double)bytes / (double)MIB);
    return buf;
}

/* The threads wanted: jobs, or every core. */
/* How many replications of per_rep bytes fit in `room` besides the
 * `held` bytes, up to the threads wanted; the error or the note. */
static int fit_threads(size_t budget, size_t held, size_t per_rep, long most, int wanted, int *threads, bool *said,
                       struct sim_err *err)
{
    char a[32], b[32];
    if (held >= budget || per_rep > budget - held)
        return sim_err_set(err, SIM_EUSAGE, "one replication may take up to %s (max_in_system %ld customers inside), "
                           "more than the memory budget leaves it (%s, --memory): lower max_in_system or raise "
                           "--memory", cli_budget_format(per_rep, a, sizeof a), most,
                           cli_budget_format(budget, b, sizeof b));
    size_t fit = (budget - held) / per_rep;
    *threads = fit < (size_t)wanted ? (int)fit : wanted;
    if (*threads < wanted && !*said) {
        *said = true;
        fprintf(stderr, "%s: note: %d replication%s at a time, not %d: each may take up to %s (max_in_system %ld), "
                "and the memory budget is %s (--memory)\n", CLI_PROG, *threads, *threads == 1 ? "" : "s", wanted,
                cli_budget_format(per_rep, a, sizeof a), most, cli_budget_format(budget, b, sizeof b));
    }
    return SIM_OK;
}

/* Every replication's values kept would take over half the budget. */
static int kept_too_big(size_t kept, size_t budget, struct sim_err *err)
{
    char a[32], b[32];
    return sim_err_set(err, SIM_EUSAGE, "keeping every replication's values would take %s, more than half the memory "
                       "budget (%s, --memory): raise --memory, or run more than %d replications, which are "
                       "summarised as they run", cli_budget_format(kept, a, sizeof a),
                       cli_budget_format(budget, b, sizeof b), CLI_RESULTS_KEEP_MAX);
}

int cli_budget_fit_sweep(size_t budget, const struct mdl_scenario *s, unsigned reps, int jobs,
                         struct mdl_sweep_shape *shape, bool *said, struct sim_err *err)
{
    size_t per_rep = mdl_flow_memory(s), stride = mdl_run_stride(s) * sizeof(double);
    /* a plan in flight: its vectors and each replication's flow statistics */
    size_t plan = (size_t)reps * (stride + sizeof(struct mdl_flow_stats));
    int wanted = mdl_run_threads(jobs);
    shape->summarise = reps > CLI_RESULTS_KEEP_MAX;
    shape->window = 0;
    size_t held = 1024 * stride;
    if (!shape->summarise) {
        if (plan > budget / 2)
            return kept_too_big(plan, budget, err);
        size_t window = (size_t)wanted * 4, room = budget / 2 / plan;
        shape->window = room < window ? room : window;
        held = shape->window * plan;
    }
    return fit_threads(budget, held, per_rep, s->max_in_system, wanted, &shape->threads, said, err);
}

int cli_budget_fit(size_t budget, struct mdl_scenario *const *s, size_t n, unsigned reps, int jobs, int *threads,
                   unsigned *keep, bool *said, struct sim_err *err)
{
    size_t per_rep = 0, kept = 0, blocks = 0;
    long most = 0;
    for (size_t i = 0; i < n; i++) {
        size_t m = mdl_flow_memory(s[i]);
        if (m > per_rep) {
            per_rep = m;
            most = s[i]->max_in_system;
        }
        /* kept: each replication's vector, and the report's copies of its
         * values and weights; summarised: one block of vectors per plan */
        size_t stride = mdl_run_stride(s[i]) * sizeof(double);
        kept += (size_t)reps * 2 * stride;
        blocks += 1024 * stride;
    }
    /* kept when they take at most half the budget and leave room for a
     * replication; else summarised, which holds a block a plan */
    /* kept up to CLI_RESULTS_KEEP_MAX whatever the machine: what a report
     * holds must not depend on where it ran */
    bool keeping = reps <= CLI_RESULTS_KEEP_MAX;
    if (keeping && kept > budget / 2)
        return kept_too_big(kept, budget, err);
    *keep = keeping ? reps : 0;
    return fit_threads(budget, keeping ? kept : blocks, per_rep, most, mdl_run_threads(jobs), threads, said, err);
}
