/* support/bench_flow.c — the speed and memory of the flow model (make bench).
 *
 *   bench_flow customers SCENARIO [RUNS]   replication 1, RUNS times (5): the
 *                                          median CPU time of the simulation
 *                                          alone, as customers and events per
 *                                          second
 *   bench_flow days SCENARIO REPS [PATH=VALUE]...
 *                                          REPS replications on 1 thread, then on
 *                                          every core (3 times each): days per
 *                                          second and the speed-up
 *   bench_flow solo SCENARIO REPS         REPS replications on 1 thread, once:
 *                                          the wall time (bench.sh runs two at
 *                                          once to measure the machine)
 *   bench_flow memory SCENARIO [PATH=VALUE]...
 *                                          one replication in this process: its
 *                                          customers and the peak resident memory
 *
 * The time measured is the CPU time of mdl_flow_run, as the reference loop
 * of ../shared/bench measures its event loop: reading the scenario and
 * writing a report are left out. Output is one "key=value" line per case, for
 * support/bench.sh to read. Not a test: nothing here asserts.
 */
#include "models/flow.h"
#include "sim/mem.h"
#include "models/metrics.h"
#include "models/run.h"
#include "models/load.h"
#include "models/scenario.h"
#include "sim/stream.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#ifdef _OPENMP
#include <omp.h>
#endif

static double clock_s(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, size_t n)
{
    qsort(v, n, sizeof *v, by_value);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Peak resident memory of this process, in KiB (VmHWM). */
static long peak_kib(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long kib = -1;
    while (f && fgets(line, sizeof line, f))
        if (!strncmp(line, "VmHWM:", 6))
            kib = atol(line + 6);
    if (f)
        fclose(f);
    return kib;
}

static struct mdl_scenario *load(const char *path, char **sets, size_t nsets)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        exit(66);
    }
    static char text[1 << 20];
    size_t len = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    struct sim_err err;
    sim_err_init(&err);
    struct mdl_scenario *s = NULL;
    if (mdl_load_scenario(path, text, len, (const char *const *)sets, nsets, &s, &err)) {
        fprintf(stderr, "%s:%d:%d: error: %s\n", err.file, err.line, err.col, err.msg);
        exit(65);
    }
    return s;
}

static double completed(const struct mdl_scenario *s, const double *out)
{
    return out[mdl_metric_class(s->ndepts, s->nclasses, MDL_JM_COMPLETED)];
}

static int customers(const char *path, int runs)
{
    struct mdl_scenario *s = load(path, NULL, 0);
    double *out = sim_xmalloc(mdl_run_stride(s) * sizeof *out);
    double *cpu = sim_xmalloc((size_t)runs * sizeof *cpu);
    struct mdl_flow_stats stats;
    for (int i = 0; i < runs; i++) {
        double c0 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
        mdl_flow_run(s, s->seed, 0, out, &stats, NULL);
        cpu[i] = clock_s(CLOCK_PROCESS_CPUTIME_ID) - c0;
    }
    double t = median(cpu, (size_t)runs), n = completed(s, out);
    printf("customers=%.0f events=%llu cpu_s=%.4f customers_per_s=%.4g events_per_s=%.4g ns_per_customer=%.1f "
           "ns_per_event=%.1f peak_kib=%ld\n",
           n, (unsigned long long)stats.events, t, n / t, (double)stats.events / t, 1e9 * t / n,
           1e9 * t / (double)stats.events, peak_kib());
    free(cpu);
    free(out);
    mdl_scenario_destroy(s);
    return 0;
}

static int days(const char *path, unsigned reps, char **sets, size_t nsets)
{
    struct mdl_scenario *s = load(path, sets, nsets);
    double *values = sim_xmalloc((size_t)reps * mdl_run_stride(s) * sizeof *values);
    struct mdl_run_totals totals;
    int cores = 1;
#ifdef _OPENMP
    cores = omp_get_num_procs();
#endif
    double wall[2][3];
    for (int k = 0; k < 3; k++)
        for (int j = 0; j < 2; j++) {
            double w0 = clock_s(CLOCK_MONOTONIC);
            mdl_run_reps(s, s->seed, reps, j == 0 ? 1 : cores, values, &totals, NULL);
            wall[j][k] = clock_s(CLOCK_MONOTONIC) - w0;
        }
    double one = median(wall[0], 3), all = median(wall[1], 3);
    printf("days=%u cores=%d wall_1_s=%.4f wall_all_s=%.4f days_per_s_1=%.4g days_per_s_all=%.4g speedup=%.3f "
           "customers_per_day=%.1f events_per_s_1=%.4g\n",
           reps, cores, one, all, reps / one, reps / all, one / all, (double)totals.customers / reps,
           (double)totals.events / one);
    free(values);
    mdl_scenario_destroy(s);
    return 0;
}

/* REPS replications on one thread, once: the wall time. bench.sh runs two
 * of these processes at once to see what two cores give to two programs
 * that share nothing (the ceiling of any speed-up on this machine). */
static int solo(const char *path, unsigned reps)
{
    struct mdl_scenario *s = load(path, NULL, 0);
    double *values = sim_xmalloc((size_t)reps * mdl_run_stride(s) * sizeof *values);
    struct mdl_run_totals totals;
    double w0 = clock_s(CLOCK_MONOTONIC);
    mdl_run_reps(s, s->seed, reps, 1, values, &totals, NULL);
    printf("wall_s=%.4f\n", clock_s(CLOCK_MONOTONIC) - w0);
    free(values);
    mdl_scenario_destroy(s);
    return 0;
}

static int memory(const char *path, char **sets, size_t nsets)
{
    struct mdl_scenario *s = load(path, sets, nsets);
    double *out = sim_xmalloc(mdl_run_stride(s) * sizeof *out);
    struct mdl_flow_stats stats;
    mdl_flow_run(s, s->seed, 0, out, &stats, NULL);
    printf("customers=%.0f peak_kib=%ld\n", completed(s, out), peak_kib());
    free(out);
    mdl_scenario_destroy(s);
    return 0;
}

int main(int argc, char **argv)
{
    sim_stream_library_init();
    if (argc >= 3 && !strcmp(argv[1], "customers"))
        return customers(argv[2], argc > 3 ? atoi(argv[3]) : 5);
    if (argc >= 4 && !strcmp(argv[1], "days"))
        return days(argv[2], (unsigned)atoi(argv[3]), argv + 4, (size_t)(argc - 4));
    if (argc >= 4 && !strcmp(argv[1], "solo"))
        return solo(argv[2], (unsigned)atoi(argv[3]));
    if (argc >= 3 && !strcmp(argv[1], "memory"))
        return memory(argv[2], argv + 3, (size_t)(argc - 3));
    fprintf(stderr, "usage: bench_flow customers SCENARIO [RUNS] | days SCENARIO REPS [PATH=VALUE]... | solo SCENARIO "
                    "REPS | memory SCENARIO [PATH=VALUE]...\n");
    return 64;
}
