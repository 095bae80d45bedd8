/* tests/fuzz_scenario.c — a libFuzzer target over the scenario language
 * (make fuzz; docs/robustness.md).
 *
 * Each input is a scenario file. It is parsed and checked as `cxsim check`
 * does; the error, when there is one, is printed with its line and caret
 * (the path hostile bytes take to a terminal); a scenario that loads is
 * described, and its variants and the first and last plans of its sweep are
 * built. Nothing is simulated: a fuzzed scenario may describe years of
 * customers, and what is under test is the reading and checking.
 *
 * What counts as a failure: a crash, a sanitizer report (AddressSanitizer,
 * UndefinedBehaviorSanitizer, LeakSanitizer), an input that runs past the
 * per-input timeout, or an error without a location or code 65 — every bad
 * file must get a located error, never another kind.
 */
#include "models/describe.h"
#include "sim/mem.h"
#include "models/load.h"
#include "models/plans.h"
#include "models/scenario.h"
#include "sim/err.h"
#include "sim/stream.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* As the program starts: GSL reports errors instead of aborting. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    sim_stream_library_init();
    return 0;
}

static FILE *sink(void)
{
    static FILE *null;
    if (!null)
        null = fopen("/dev/null", "w");
    return null;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* as the program reads a file: the bytes and a terminating NUL */
    char *text = sim_xmalloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0';
    struct sim_err err;
    sim_err_init(&err);
    struct mdl_scenario *s = NULL;
    if (mdl_load_scenario("fuzz.yaml", text, size, NULL, 0, &s, &err) != SIM_OK) {
        if (err.code != SIM_EDATA || err.line < 1 || err.col < 1 || !err.msg[0])
            abort();   /* a bad file must get a located scenario error */
        sim_err_print(&err, sink(), "cxsim", text, size);
        free(text);
        return 0;
    }
    struct mdl_plans *p = NULL;
    if (mdl_plans_read(s, &p, &err) != SIM_OK) {
        if (err.code != SIM_EDATA || err.line < 1 || err.col < 1 || !err.msg[0])
            abort();
        sim_err_print(&err, sink(), "cxsim", text, size);
        mdl_scenario_destroy(s);
        free(text);
        return 0;
    }
    mdl_describe(s, p, sink(), &err);
    struct mdl_scenario **variants = sim_xcalloc(p->nvariants + 1, sizeof *variants);
    if (mdl_plans_build_variants(p, variants, &err) == SIM_OK)
        for (size_t v = 0; v < p->nvariants; v++)
            mdl_scenario_destroy(variants[v]);
    else
        sim_err_print(&err, sink(), "cxsim", text, size);
    free(variants);
    sim_err_init(&err);
    if (mdl_plans_check_axes(p, &err) != SIM_OK)
        sim_err_print(&err, sink(), "cxsim", text, size);
    uint64_t plans = mdl_plans_grid_size(p);
    if (plans > 0 && plans != UINT64_MAX) {
        uint64_t ends[2] = {0, plans - 1};
        for (int k = 0; k < 2; k++) {
            struct mdl_scenario *ps = NULL;
            char name[256];
            sim_err_init(&err);
            mdl_plans_grid_name(p, ends[k], name, sizeof name);
            if (mdl_plans_grid_build(p, ends[k], &ps, &err) == SIM_OK)
                mdl_scenario_destroy(ps);
        }
    }
    mdl_plans_destroy(p);
    mdl_scenario_destroy(s);
    free(text);
    return 0;
}
