/* tests/run_tests.c — runs every module's tests as one cmocka group.
 *
 * usage: run_tests [PATTERN]   (PATTERN: a cmocka test-name filter, with * and ?)
 *
 * $CXSIM_TEST_SKIP, a pattern of the same kind, names tests to skip (make
 * memcheck skips the long statistical validations).
 */
#include "tests/testutil.h"
#include "sim/mem.h"

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
    if (getenv("CXSIM_TEST_SKIP"))
        cmocka_set_skip_filter(getenv("CXSIM_TEST_SKIP"));
    int failed = _cmocka_run_group_tests("cxsim", all, n, NULL, NULL);
    free(all);
    return failed ? 1 : 0;
}
