/* tests/test_mdl_scenario.c — the scenario language: every example parses,
 * every broken file in tests/scenarios/bad/ is refused with exactly the
 * error its first line states ("# error: LINE:COL: MESSAGE"), and overrides
 * are checked and located like the file. */
#include "tests/testutil.h"
#include "sim/mem.h"

#include "models/builtin.h"
#include "models/scenario.h"
#include "models/override.h"
#include "tests/loadutil.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = sim_xmalloc(1 << 20);
    *len = fread(buf, 1, (1 << 20) - 1, f);
    buf[*len] = '\0';
    fclose(f);
    return buf;
}

static const char *data_dir(void)
{
    const char *d = getenv("CXSIM_TESTDATA");
    return d ? d : "tests/scenarios";
}

static void scenario_examples_load(void **state)
{
    (void)state;
    const char *files[] = {"spec_example.yaml", "spec_alternatives.yaml", "spec_steady.yaml",
                           "../../scenarios/dealership.yaml",
                           "../../scenarios/bank.yaml", "../../scenarios/callcentre.yaml"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/%s", data_dir(), files[i]);
        size_t len;
        char *text = slurp(path, &len);
        if (!text) {
            print_error("cannot read %s\n", path);
            fail();
        }
        struct sim_err err;
        sim_err_init(&err);
        struct mdl_scenario *s = NULL;
        struct mdl_plans *plans = NULL;
        /* the baseline, every variant and every sweep value build */
        if (test_load_checked(path, text, len, NULL, 0, &s, &plans, &err)) {
            print_error("%s:%d:%d: %s\n", err.file, err.line, err.col, err.msg);
            free(text);
            fail();
        }
        mdl_plans_destroy(plans);
        mdl_scenario_destroy(s);
        free(text);
    }
}

static void scenario_builtin_is_the_dealership_file(void **state)
{
    (void)state;
    char path[512];
    snprintf(path, sizeof path, "%s/../../scenarios/dealership.yaml", data_dir());
    size_t len;
    char *text = slurp(path, &len);
    assert_non_null(text);
    assert_int_equal(len, mdl_builtin_scenario_len);
    assert_memory_equal(text, mdl_builtin_scenario, len);
    free(text);
}

static void scenario_broken_files_give_their_stated_error(void **state)
{
    (void)state;
    char dir[512];
    snprintf(dir, sizeof dir, "%s/bad", data_dir());
    DIR *d = opendir(dir);
    assert_non_null(d);
    int checked = 0, wrong = 0;
    for (struct dirent *e; (e = readdir(d));) {
        if (!strstr(e->d_name, ".yaml"))
            continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        size_t len;
        char *text = slurp(path, &len);
        assert_non_null(text);
        char expect[600];
        const char *nl = strchr(text, '\n');
        size_t el = nl ? (size_t)(nl - text) : strlen(text);
        assert_true(strncmp(text, "# error: ", 9) == 0 && el < sizeof expect);
        memcpy(expect, text + 9, el - 9);
        expect[el - 9] = '\0';
        struct sim_err err;
        sim_err_init(&err);
        struct mdl_scenario *s = NULL;
        struct mdl_plans *plans = NULL;
        int rc = test_load_checked(e->d_name, text, len, NULL, 0, &s, &plans, &err);
        char got[700];
        snprintf(got, sizeof got, "%d:%d: %s", err.line, err.col, err.msg);
        if (rc != SIM_EDATA || strcmp(err.file, e->d_name) != 0 || strcmp(got, expect) != 0) {
            print_error("%s\n  expected %s\n  got      %s (code %d, file %s)\n", e->d_name, expect, got, rc,
                        err.file);
            wrong++;
        }
        mdl_scenario_destroy(s);
        free(text);
        checked++;
    }
    closedir(d);
    assert_int_equal(wrong, 0);
    assert_true(checked >= 30);
}

/* Loads the dealership with overrides; returns the error code. */
static int with_sets(const char *const *sets, size_t n, struct sim_err *err, struct mdl_scenario **s)
{
    sim_err_init(err);
    return mdl_load_scenario("d.yaml", (const char *)mdl_builtin_scenario, mdl_builtin_scenario_len, sets, n, s,
                             err);
}

static void scenario_set_overrides_numbers_and_schedules(void **state)
{
    (void)state;
    struct sim_err err;
    struct mdl_scenario *s;
    const char *sets[] = {"departments.credit.staff=5", "departments.sales.staff=[{at: \"09:00\", count: 2}]",
                          "customers.buyer.value=99", "departments.reception.capacity=3"};
    assert_int_equal(with_sets(sets, 4, &err, &s), SIM_OK);
    int credit = mdl_scenario_dept(s, "credit"), sales = mdl_scenario_dept(s, "sales");
    assert_int_equal(s->depts[credit].crew.nstaff, 1);
    assert_near(s->depts[credit].crew.staff[0].value, 5, 0);
    assert_int_equal(s->depts[sales].crew.nstaff, 1);
    assert_near(s->depts[sales].crew.staff[0].value, 2, 0);
    assert_near(s->classes[mdl_scenario_class(s, "buyer")].value, 99, 0);
    assert_int_equal(s->depts[mdl_scenario_dept(s, "reception")].capacity, 3);
    mdl_scenario_destroy(s);
}

static void scenario_set_errors_are_located_in_the_override(void **state)
{
    (void)state;
    struct sim_err err;
    struct mdl_scenario *s;
    const struct {
        const char *set;
        int col;
        const char *msg;
    } cases[] = {
        {"departments.credit.staff=-1", 26, "staff of credit must be a whole number from 0 to 10000, got -1"},
        {"departments.credit.staf=4", 1, "unknown key 'staf' in department credit; did you mean 'staff'?"},
        {"departments.credits.staff=4", 1, "'departments.credits.staff': there is no 'credits' to set; did you mean 'credit'?"},
        {"departments.credit.staff", 25, "--set needs PATH=VALUE, as in departments.credit.staff=3"},
        {"departments.credit.staff= ", 26, "--set departments.credit.staff has no value"},
        {"departments.credit.staff=[1,", 29,
         "YAML syntax error: the text ends too early (did not find expected node content while parsing a flow node)"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        /* the bad override comes second: its errors are on line 2 */
        const char *sets[] = {"departments.credit.staff=3", cases[i].set};
        int rc = with_sets(sets, 2, &err, &s);
        if (rc != SIM_EDATA || strcmp(err.file, MDL_SET_SOURCE) || err.line != 2 || err.col != cases[i].col ||
            strcmp(err.msg, cases[i].msg)) {
            print_error("--set %s: got %d %s:%d:%d %s\n", cases[i].set, rc, err.file, err.line, err.col, err.msg);
            fail();
        }
        assert_null(s);
    }
}

TEST_TABLE(test_mdl_scenario,
           cmocka_unit_test(scenario_examples_load),
           cmocka_unit_test(scenario_builtin_is_the_dealership_file),
           cmocka_unit_test(scenario_broken_files_give_their_stated_error),
           cmocka_unit_test(scenario_set_overrides_numbers_and_schedules),
           cmocka_unit_test(scenario_set_errors_are_located_in_the_override))
