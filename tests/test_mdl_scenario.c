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
                           "tabs.yaml", /* tabs where YAML takes them as spaces */
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

/* A small business of our own (the dealership may change): reception on a
 * schedule, credit a plain number, buyers by time of day, one request. */
static const char shop[] =
    "name: Shop\n"
    "seed: 1\n"
    "replications: 2\n"
    "day: {open: \"09:00\", close: \"17:00\"}\n"
    "departments:\n"
    "  reception:\n"
    "    staff: [{at: \"09:00\", count: 2}, {at: \"12:00\", count: 1}]\n"
    "    service: {dist: exponential, mean: 4}\n"
    "  credit:\n"
    "    staff: 3\n"
    "    service: {dist: gamma, mean: 20, sd: 8}\n"
    "customers:\n"
    "  buyer:\n"
    "    arrivals: {per_hour: [{at: \"09:00\", rate: 4}, {at: \"12:00\", rate: 9}, {at: \"16:00\", rate: 5}]}\n"
    "    enter: reception\n"
    "    route: {reception: {credit: 0.5, exit: 0.5}, credit: {exit: 1}}\n"
    "    value: 1500\n"
    "  check:\n"
    "    kind: internal\n"
    "    priority: 1\n"
    "requests:\n"
    "  - from: reception\n"
    "    to: credit\n"
    "    as: check\n"
    "    probability: 0.5\n"
    "    service: {dist: exponential, mean: 5}\n";

/* Loads the shop above with overrides; returns the error code. */
static int shop_with(const char *const *sets, size_t n, struct sim_err *err, struct mdl_scenario **s)
{
    sim_err_init(err);
    return mdl_load_scenario("shop.yaml", shop, strlen(shop), sets, n, s, err);
}

static void assert_steps(const struct mdl_step *steps, size_t n, const double *at, const double *value, size_t want)
{
    assert_int_equal(n, want);
    for (size_t i = 0; i < n; i++) {
        assert_near(steps[i].at, at[i], 0);
        assert_near(steps[i].value, value[i], 1e-12);
    }
}

/* +=, -= and *= change every number the path holds (spec §2b): each count
 * of a staff schedule (never its times), each rate of an arrival profile
 * (through per_hour, or arrivals holding it), a plain number; in order, one
 * after another. A *= on a whole number (a staff count) rounds to the
 * nearest, halves away from zero: 3 * 1.5 = 4.5 gives 5. */
static void scenario_set_relative_changes_every_number_the_path_holds(void **state)
{
    (void)state;
    struct sim_err err;
    struct mdl_scenario *s;
    const char *sets[] = {"departments.reception.staff+=1", "departments.credit.staff*=1.5",
                          "customers.buyer.arrivals.per_hour*=2", "customers.buyer.arrivals-=1",
                          "customers.buyer.value+=250.5", "departments.credit.service.mean*=1.1"};
    if (shop_with(sets, 6, &err, &s)) {
        print_error("%s:%d:%d: %s\n", err.file, err.line, err.col, err.msg);
        fail();
    }
    const struct mdl_dept *rec = &s->depts[mdl_scenario_dept(s, "reception")];
    const struct mdl_dept *cr = &s->depts[mdl_scenario_dept(s, "credit")];
    const struct mdl_class *buyer = &s->classes[mdl_scenario_class(s, "buyer")];
    assert_steps(rec->crew.staff, rec->crew.nstaff, (double[]){540, 720}, (double[]){3, 2}, 2);
    assert_steps(cr->crew.staff, cr->crew.nstaff, (double[]){540}, (double[]){5}, 1);
    /* 4, 9, 5 an hour doubled, less one: 7, 17, 9 an hour (per minute inside) */
    assert_steps(buyer->profile, buyer->nprofile, (double[]){540, 720, 960}, (double[]){7 / 60.0, 17 / 60.0, 9 / 60.0},
                 3);
    assert_near(buyer->value, 1750.5, 0);
    assert_near(cr->service[0]->mean, 22, 1e-12);
    mdl_scenario_destroy(s);
    /* a multiplication that lands on whole numbers is exact; halves go away from zero */
    const char *half[] = {"departments.reception.staff*=2.5", "departments.credit.staff-=1"};
    assert_int_equal(shop_with(half, 2, &err, &s), SIM_OK);
    rec = &s->depts[mdl_scenario_dept(s, "reception")];
    assert_steps(rec->crew.staff, rec->crew.nstaff, (double[]){540, 720}, (double[]){5, 3}, 2);
    assert_near(s->depts[mdl_scenario_dept(s, "credit")].crew.staff[0].value, 2, 0);
    mdl_scenario_destroy(s);
    /* whole numbers exactly, past a double's 2^53 */
    const char *seed[] = {"seed=9007199254740993", "seed+=2", "seed*=2"};
    assert_int_equal(shop_with(seed, 3, &err, &s), SIM_OK);
    assert_true(s->seed == 18014398509481990u);
    mdl_scenario_destroy(s);
}

/* List items by index from 0, in any path; relative changes reach them too. */
static void scenario_set_reaches_list_items_by_index(void **state)
{
    (void)state;
    struct sim_err err;
    struct mdl_scenario *s;
    const char *sets[] = {"requests.0.probability=0.25", "customers.buyer.arrivals.per_hour.2.rate=12",
                          "departments.reception.staff.1.count+=2", "departments.reception.staff.0.at=\"10:00\""};
    if (shop_with(sets, 4, &err, &s)) {
        print_error("%s:%d:%d: %s\n", err.file, err.line, err.col, err.msg);
        fail();
    }
    assert_near(s->requests[0].probability, 0.25, 0);
    const struct mdl_class *buyer = &s->classes[mdl_scenario_class(s, "buyer")];
    assert_near(buyer->profile[2].value, 12 / 60.0, 1e-15);
    assert_near(buyer->profile[1].value, 9 / 60.0, 1e-15);
    const struct mdl_dept *rec = &s->depts[mdl_scenario_dept(s, "reception")];
    assert_steps(rec->crew.staff, rec->crew.nstaff, (double[]){600, 720}, (double[]){2, 3}, 2);
    mdl_scenario_destroy(s);
}

/* Each mistake of a relative change or an index is refused where it is
 * written, and a number a change puts out of range says so. */
static void scenario_set_relative_and_index_errors_are_located(void **state)
{
    (void)state;
    struct sim_err err;
    struct mdl_scenario *s;
    const struct {
        const char *set;
        int col;
        const char *msg;
    } cases[] = {
        {"departments.reception.staff-=2", 30,
         "count of step 2 of staff of reception must be a whole number from 0 to 10000, got -1 (1 - 2, by the "
         "relative change departments.reception.staff-=2)"},
        {"departments.credit.staff+=0.5", 27,
         "staff of credit must be a whole number from 0 to 10000, got 3.5 (3 + 0.5, by the relative change "
         "departments.credit.staff+=0.5)"},
        {"departments.credit.staff*=-1", 27, "departments.credit.staff*=-1: a factor must be 0 or more, got -1"},
        {"departments.credit.staff+=two", 27, "departments.credit.staff+=two: += takes a number, got 'two'"},
        {"departments.credit.staff+=[1]", 27, "departments.credit.staff+=[1]: += takes a number, got a list"},
        {"departments.credit.service+=1", 1,
         "departments.credit.service holds no number a relative change can change (a number, each count or rate of "
         "a schedule, per_hour); name one, as in departments.credit.service.mean"},
        {"name*=2", 1,
         "name holds no number a relative change can change (a number, each count or rate of a schedule, "
         "per_hour)"},
        {"departments.credit.capacity+=1", 1,
         "'departments.credit.capacity': there is no 'capacity' to change (set it with =)"},
        {"requests.1.probability=0.3", 1, "'requests.1.probability': requests has 1 item (0 to 0)"},
        {"customers.buyer.arrivals.per_hour.3.rate=1", 1,
         "'customers.buyer.arrivals.per_hour.3.rate': customers.buyer.arrivals.per_hour has 3 items (0 to 2)"},
        {"requests.first.probability=0.3", 1,
         "'requests.first.probability': requests is a list: name an item by its place from 0, as in requests.0"},
        {"departments.credit.staff=+1", 26,
         "'+1' sets departments.credit.staff to 1, it does not add 1: to add, write departments.credit.staff+=1 (in "
         "set: and sweep:, the key departments.credit.staff+=); to set, write 1"},
        {"departments.credit.staff= +1", 27,
         "'+1' sets departments.credit.staff to 1, it does not add 1: to add, write departments.credit.staff+=1 (in "
         "set: and sweep:, the key departments.credit.staff+=); to set, write 1"},
        {"departments.credit.staff=*2", 26,
         "'*2' is not a value: to multiply, write departments.credit.staff*=2"},
        {"+=1", 3, "--set needs PATH=VALUE, as in departments.credit.staff=3"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        /* the bad override comes second: its errors are on line 2 */
        const char *sets[] = {"departments.credit.staff=3", cases[i].set};
        int rc = shop_with(sets, 2, &err, &s);
        if (rc != SIM_EDATA || strcmp(err.file, MDL_SET_SOURCE) || err.line != 2 || err.col != cases[i].col ||
            strcmp(err.msg, cases[i].msg)) {
            print_error("--set %s: got %d %s:%d:%d %s\n", cases[i].set, rc, err.file, err.line, err.col, err.msg);
            fail();
        }
        assert_null(s);
    }
}

/* A request switched off leaves its internal class unused: a warning on the
 * scenario, located at the class, not an error. An external class that
 * never arrives is still an error (it is a mistake, not a switch); it is
 * switched off by its arrivals. */
static void scenario_unused_internal_class_is_a_warning(void **state)
{
    (void)state;
    struct sim_err err;
    struct mdl_scenario *s;
    assert_int_equal(shop_with(NULL, 0, &err, &s), SIM_OK);
    assert_int_equal(s->nwarnings, 0);
    mdl_scenario_destroy(s);
    const char *off[] = {"requests=[]"};
    if (shop_with(off, 1, &err, &s)) {
        print_error("%s:%d:%d: %s\n", err.file, err.line, err.col, err.msg);
        fail();
    }
    assert_int_equal(s->nrequests, 0);
    assert_int_equal(s->nwarnings, 1);
    assert_string_equal(s->warnings[0].file, "shop.yaml");
    assert_int_equal(s->warnings[0].line, 18);
    assert_int_equal(s->warnings[0].col, 3);
    assert_string_equal(s->warnings[0].msg, "customers of class check never arrive: no request makes them and the "
                                            "class has no arrivals: of its own (it is left unused)");
    mdl_scenario_destroy(s);
    /* a class is switched off by its arrivals: every rate times 0 */
    const char *buyers_off[] = {"customers.buyer.arrivals*=0"};
    assert_int_equal(shop_with(buyers_off, 1, &err, &s), SIM_OK);
    const struct mdl_class *buyer = &s->classes[mdl_scenario_class(s, "buyer")];
    for (size_t i = 0; i < buyer->nprofile; i++)
        assert_near(buyer->profile[i].value, 0, 0);
    mdl_scenario_destroy(s);
    const char *external[] = {"requests=[]", "customers.check.kind=external"};
    assert_int_equal(shop_with(external, 2, &err, &s), SIM_EDATA);
    assert_string_equal(err.msg, "customers of class check never arrive: give the class arrivals: (or make it the "
                                 "as: of a request)");
}

TEST_TABLE(test_mdl_scenario,
           cmocka_unit_test(scenario_examples_load),
           cmocka_unit_test(scenario_builtin_is_the_dealership_file),
           cmocka_unit_test(scenario_broken_files_give_their_stated_error),
           cmocka_unit_test(scenario_set_overrides_numbers_and_schedules),
           cmocka_unit_test(scenario_set_errors_are_located_in_the_override),
           cmocka_unit_test(scenario_set_relative_changes_every_number_the_path_holds),
           cmocka_unit_test(scenario_set_reaches_list_items_by_index),
           cmocka_unit_test(scenario_set_relative_and_index_errors_are_located),
           cmocka_unit_test(scenario_unused_internal_class_is_a_warning))
