/* support/bench_kernel.c — speed of the kernel's hot parts (make bench).
 *
 * 1. The calendar under the classic "hold" model: with n events pending,
 *    pop the next one and schedule a new one an exponential time later;
 *    reported as hold operations per second, for several n.
 * 2. Random streams: exponential variates per second from a Philox stream,
 *    against GSL's mt19937 (the reference loop's generator).
 * Each figure is the median of 5 runs. Peak memory is the process's.
 * Not a test: nothing here asserts, and make test does not run it.
 */
#include "sim/calendar.h"
#include "sim/mem.h"
#include "sim/stream.h"

#include <gsl/gsl_randist.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median5(double *v)
{
    qsort(v, 5, sizeof *v, cmp_double);
    return v[2];
}

static volatile double sink;

static double hold_rate(size_t pending, size_t ops)
{
    struct sim_stream s;
    sim_stream_init(&s, 1, 0, 0, 0);
    gsl_rng *r = sim_stream_rng(&s);
    struct sim_calendar *c = sim_calendar_create(0, pending);
    for (size_t i = 0; i < pending; i++)
        sim_calendar_schedule(c, gsl_ran_exponential(r, 1), 0, NULL);
    /* Pre-draw increments so the timing is the calendar's alone. */
    double *inc = sim_xmalloc(ops * sizeof *inc);
    for (size_t i = 0; i < ops; i++)
        inc[i] = gsl_ran_exponential(r, (double)pending);
    struct sim_event ev = {0};   /* ops may be 0 */
    double t0 = now_s();
    for (size_t i = 0; i < ops; i++) {
        sim_calendar_pop(c, &ev);
        sim_calendar_schedule(c, ev.at + inc[i], 0, NULL);
    }
    double dt = now_s() - t0;
    sink = ev.at;
    free(inc);
    sim_calendar_destroy(c);
    return (double)ops / dt;
}

static double draw_rate(const gsl_rng *r, size_t n)
{
    double acc = 0, t0 = now_s();
    for (size_t i = 0; i < n; i++)
        acc += gsl_ran_exponential(r, 1);
    double dt = now_s() - t0;
    sink = acc;
    return (double)n / dt;
}

int main(void)
{
    sim_stream_library_init();
    const size_t sizes[] = {16, 1000, 100000};
    const size_t ops = 4000000;
    printf("calendar hold model (pop + schedule), %zu operations, median of 5:\n", ops);
    for (size_t k = 0; k < 3; k++) {
        double v[5];
        for (int i = 0; i < 5; i++)
            v[i] = hold_rate(sizes[k], ops);
        printf("  %7zu pending   %7.1f million holds/s   %6.1f ns/hold\n", sizes[k], median5(v) / 1e6,
               1e9 / median5(v));
    }
    const size_t n = 20000000;
    struct sim_stream s;
    sim_stream_init(&s, 1, 0, 0, 0);
    gsl_rng *mt = gsl_rng_alloc(gsl_rng_mt19937);
    double vp[5], vm[5];
    for (int i = 0; i < 5; i++) {
        vp[i] = draw_rate(sim_stream_rng(&s), n);
        vm[i] = draw_rate(mt, n);
    }
    printf("exponential variates, %zu draws, median of 5:\n", n);
    printf("  Philox4x32 stream  %7.1f million/s   %5.1f ns/draw\n", median5(vp) / 1e6, 1e9 / median5(vp));
    printf("  GSL mt19937        %7.1f million/s   %5.1f ns/draw\n", median5(vm) / 1e6, 1e9 / median5(vm));
    gsl_rng_free(mt);
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("peak memory: %ld KiB\n", ru.ru_maxrss);
    return 0;
}
