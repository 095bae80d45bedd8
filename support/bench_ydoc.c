/* support/bench_ydoc.c — the time the YAML reader takes for large documents (make bench).
 *
 *   bench_ydoc SHAPE N [RUNS]   parses a generated document of N items RUNS
 *                               times (3) and prints one "key=value" line: the
 *                               shape, N, the text's size, the median CPU time
 *                               of mdl_ydoc_parse alone and its cost per item
 *
 * Shapes (each within what a scenario may be: 16 MiB, MDL_YDOC_MAX_NODES):
 *   keys      one block mapping of N distinct keys    k0000001: 1
 *   flowkeys  the same as one flow mapping on a line  {k0000001: 1, ...}
 *   anchors   a list of N anchored values, then N aliases to them, first
 *             anchor first                            - &a1 1 ... - *a1
 *   items     one block list of N values              - 1
 *   maps      a list of N small mappings              - {at: 1, count: 2}
 * Linear reading shows as the same cost per item at every N. Generating the
 * text is not timed. Not a test: nothing here asserts.
 */
#include "models/ydoc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct text {
    char *s;
    size_t len, cap;
};

static void put(struct text *t, const char *fmt, ...) SIM_PRINTF(2, 3);

static void put(struct text *t, const char *fmt, ...)
{
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int k = vsnprintf(t->s + t->len, t->cap - t->len, fmt, ap);
        va_end(ap);
        if (k >= 0 && (size_t)k < t->cap - t->len) {
            t->len += (size_t)k;
            return;
        }
        t->cap = 2 * t->cap + (k > 0 ? (size_t)k : 0);
        t->s = sim_xrealloc(t->s, t->cap);
    }
}

/* The document of shape with n items, or NULL for an unknown shape. */
static char *generate(const char *shape, size_t n, size_t *len)
{
    struct text t = {sim_xmalloc(4096), 0, 4096};
    if (strcmp(shape, "keys") == 0) {
        for (size_t i = 0; i < n; i++)
            put(&t, "k%07zu: %zu\n", i, i % 100);
    } else if (strcmp(shape, "flowkeys") == 0) {
        put(&t, "{");
        for (size_t i = 0; i < n; i++)
            put(&t, "%sk%07zu: %zu", i ? ", " : "", i, i % 100);
        put(&t, "}\n");
    } else if (strcmp(shape, "anchors") == 0) {
        for (size_t i = 0; i < n; i++)
            put(&t, "- &a%zu %zu\n", i, i % 100);
        for (size_t i = 0; i < n; i++)
            put(&t, "- *a%zu\n", i);
    } else if (strcmp(shape, "items") == 0) {
        for (size_t i = 0; i < n; i++)
            put(&t, "- %zu\n", i % 100);
    } else if (strcmp(shape, "maps") == 0) {
        for (size_t i = 0; i < n; i++)
            put(&t, "- {at: %zu, count: 2}\n", i % 100);
    } else {
        free(t.s);
        return NULL;
    }
    *len = t.len;
    return t.s;
}

static double cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    if (argc < 3 || argc > 4) {
        fprintf(stderr, "usage: bench_ydoc keys|flowkeys|anchors|items|maps N [RUNS]\n");
        return 64;
    }
    size_t n = strtoull(argv[2], NULL, 10), len = 0;
    int runs = argc > 3 ? atoi(argv[3]) : 3;
    char *text = generate(argv[1], n, &len);
    if (!text || runs < 1 || runs > 99) {
        fprintf(stderr, "bench_ydoc: unknown shape '%s' or RUNS not in 1..99\n", argv[1]);
        return 64;
    }
    double t[99];
    for (int r = 0; r < runs; r++) {
        struct mdl_ydoc doc;
        struct sim_err err;
        struct mdl_ynode *root;
        mdl_ydoc_init(&doc);
        sim_err_init(&err);
        double t0 = cpu_s();
        int rc = mdl_ydoc_parse(&doc, "bench.yaml", text, len, &root, &err);
        t[r] = cpu_s() - t0;
        mdl_ydoc_fini(&doc);
        if (rc) {
            fprintf(stderr, "bench_ydoc: %s:%d:%d: %s\n", err.file, err.line, err.col, err.msg);
            return 1;
        }
    }
    qsort(t, (size_t)runs, sizeof *t, by_value);
    double s = t[runs / 2];
    printf("shape=%s n=%zu bytes=%zu s=%.4f ns_per_item=%.0f ns_per_byte=%.1f\n", argv[1], n, len, s,
           1e9 * s / (double)n, 1e9 * s / (double)len);
    free(text);
    return 0;
}
