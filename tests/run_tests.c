/* tests/run_tests.c — runs every module's tests as one cmocka group.
 *
 * usage: run_tests [PATTERN]   (PATTERN: a cmocka test-name filter, with * and ?)
 *
 * $CXSIM_TEST_SKIP, patterns of the same kind separated by commas, names
 * tests to leave out (make memcheck leaves out the long statistical
 * validations and the docs' samples, which run whole optimisations: both
 * run under make test and make check); it says how many it left out.
 */
#include "tests/testutil.h"
#include "sim/mem.h"

#include <fnmatch.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/stream.h"

int main(int argc, char **argv)
{
    sim_stream_library_init();
    size_t n = 0;
#define COUNT(name) n += name##_count;
    TEST_SUITES(COUNT)
    struct CMUnitTest *all = sim_xmalloc(n * sizeof *all);
    size_t k = 0;
#define APPEND(name)                                   \
    memcpy(all + k, name, name##_count * sizeof *all); \
    k += name##_count;
    TEST_SUITES(APPEND)
    if (argc > 1)
        cmocka_set_test_filter(argv[1]);
    const char *skip = getenv("CXSIM_TEST_SKIP");
    if (skip && *skip) {   /* each comma-separated pattern; the rest keep their order */
        size_t kept = 0;
        for (size_t i = 0; i < n; i++) {
            bool out = false;
            for (const char *p = skip; *p && !out;) {
                size_t len = strcspn(p, ",");
                char pattern[256];
                snprintf(pattern, sizeof pattern, "%.*s", (int)len, p);
                out = fnmatch(pattern, all[i].name, 0) == 0;
                p += len + (p[len] == ',');
            }
            if (!out)
                all[kept++] = all[i];
        }
        printf("run_tests: %zu test(s) left out by CXSIM_TEST_SKIP=%s\n", n - kept, skip);
        n = kept;
    }
    int failed = _cmocka_run_group_tests("cxsim", all, n, NULL, NULL);
    free(all);
    return failed ? 1 : 0;
}
