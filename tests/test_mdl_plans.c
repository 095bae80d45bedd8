/* tests/test_mdl_plans.c — the sweep grid: how plans are numbered, what
 * each applies, their names, --grid in every form with its located errors,
 * and grid points built on many threads at once. */
#include "tests/testutil.h"

#include "models/builtin.h"
#include "models/load.h"
#include "models/override.h"
#include "models/plans.h"
#include "models/scenario.h"

/* The built-in dealership and its plans (grid[0..ngrid) in place of its
 * sweep when given); release() frees both. */
static struct {
    struct mdl_plans *plans;
    struct mdl_scenario *base;
} held[4];

static struct mdl_plans *dealership(const char *const *grid, size_t ngrid, struct sim_err *err)
{
    sim_err_init(err);
    struct mdl_scenario *s = NULL;
    struct mdl_plans *p = NULL;
    if (mdl_load_scenario("dealership.yaml", (const char *)mdl_builtin_scenario, mdl_builtin_scenario_len, NULL, 0,
                          &s, err))
        return NULL;
    if (mdl_plans_read(s, &p, err) || (ngrid && mdl_plans_set_grid(p, grid, ngrid, err)) ||
        mdl_plans_check_axes(p, err)) {
        mdl_plans_destroy(p);
        mdl_scenario_destroy(s);
        return NULL;
    }
    size_t i = 0;
    while (held[i].plans)
        i++;
    held[i].plans = p;
    held[i].base = s;
    return p;
}

static void release(struct mdl_plans *p)
{
    for (size_t i = 0; i < sizeof held / sizeof held[0]; i++)
        if (held[i].plans == p) {
            mdl_plans_destroy(p);
            mdl_scenario_destroy(held[i].base);
            held[i].plans = NULL;
            held[i].base = NULL;
        }
}

/* Staff of department `name` from opening: a single step's count. */
static double staff(const struct mdl_scenario *s, const char *name)
{
    int d = mdl_scenario_dept(s, name);
    assert_true(d >= 0);
    assert_int_equal(s->depts[d].crew.nstaff, 1);
    return s->depts[d].crew.staff[0].value;
}

static void plans_grid_numbers_plans_last_axis_fastest(void **state)
{
    (void)state;
    struct sim_err err;
    /* the built-in sweep: sales.staff+= -1 .. 2 (the schedule's every step),
     * the floater pool's staff 0, 1, 2 */
    struct mdl_plans *g = dealership(NULL, 0, &err);
    assert_non_null(g);
    assert_int_equal(mdl_plans_grid_size(g), 12);
    size_t idx[2];
    mdl_plans_grid_point(g, 5, idx);
    assert_int_equal(idx[0], 1);
    assert_int_equal(idx[1], 2);
    struct mdl_scenario *p = NULL;
    assert_int_equal(mdl_plans_grid_build(g, 11, &p, &err), SIM_OK);
    const struct mdl_crew *sales = &p->depts[mdl_scenario_dept(p, "sales")].crew;
    assert_int_equal(sales->nstaff, 4);   /* 3, 4, 3, 4 and two more at each step */
    assert_near(sales->staff[0].value, 5, 0);
    assert_near(sales->staff[1].value, 6, 0);
    assert_near(sales->staff[2].at, 12 * 60, 0);
    assert_near(p->pools[0].crew.staff[0].value, 2, 0);
    /* what the plan does not set is the baseline's */
    assert_int_equal(p->depts[mdl_scenario_dept(p, "credit")].crew.nstaff, 3);
    char name[128];
    assert_string_equal(mdl_plans_grid_name(g, 5, name, sizeof name), "sales.staff+=0, pools.floater.staff=2");
    assert_string_equal(mdl_plans_grid_name(g, 11, name, sizeof name), "sales.staff+=2, pools.floater.staff=2");
    mdl_scenario_destroy(p);
    release(g);
}

static void plans_grid_option_replaces_the_sweep(void **state)
{
    (void)state;
    struct sim_err err;
    const char *grid[] = {"departments.credit.staff=2,3", "pools.floater.staff={from: 1, to: 3}",
                          "customers.buyer.patience.mean=[20, 60]", "departments.sales.capacity=5"};
    struct mdl_plans *g = dealership(grid, 4, &err);
    if (!g) {
        print_error("%s:%d:%d: %s\n", err.file, err.line, err.col, err.msg);
        fail();
    }
    assert_int_equal(g->naxes, 4);
    assert_int_equal(mdl_plans_grid_size(g), 2 * 3 * 2 * 1);
    char name[256];
    assert_string_equal(mdl_plans_grid_name(g, 11, name, sizeof name),
                        "credit.staff=3, pools.floater.staff=3, buyer.patience.mean=60, sales.capacity=5");
    struct mdl_scenario *p = NULL;
    assert_int_equal(mdl_plans_grid_build(g, 11, &p, &err), SIM_OK);
    assert_near(staff(p, "credit"), 3, 0);
    assert_near(p->pools[0].crew.staff[0].value, 3, 0);
    assert_near(p->classes[mdl_scenario_class(p, "buyer")].patience[0]->mean, 60, 1e-12);
    assert_int_equal(p->depts[mdl_scenario_dept(p, "sales")].capacity, 5);
    mdl_scenario_destroy(p);
    release(g);
    /* issue 23: ranges written A..B and A..B..STEP */
    const char *ranges[] = {"departments.credit.staff=2..4", "departments.sales.staff=1..9..4"};
    g = dealership(ranges, 2, &err);
    assert_non_null(g);
    assert_int_equal(mdl_plans_grid_size(g), 3 * 3);
    assert_string_equal(mdl_plans_grid_name(g, 8, name, sizeof name), "credit.staff=4, sales.staff=9");
    assert_string_equal(mdl_plans_grid_name(g, 1, name, sizeof name), "credit.staff=2, sales.staff=5");
    release(g);
    /* a schedule as a value, written as YAML */
    const char *sched[] = {"departments.credit.staff=[[{at: \"09:00\", count: 2}, {at: \"12:00\", count: 3}], 4]"};
    g = dealership(sched, 1, &err);
    assert_non_null(g);
    assert_string_equal(mdl_plans_grid_name(g, 0, name, sizeof name),
                        "credit.staff=[{at: \"09:00\", count: 2}, {at: \"12:00\", count: 3}]");
    release(g);
}

static void plans_grid_errors_are_located_in_the_option(void **state)
{
    (void)state;
    static const struct {
        const char *grid[2];
        int line, col;
        const char *msg;
    } cases[] = {
        {{"departments.credit.staff=1,-2,3", NULL}, 1, 28,
         "staff of credit must be a whole number from 0 to 10000, got -2"},
        {{"departments.credit.staff=1", "departments.credit.staf=2"}, 2, 1, "did you mean 'staff'?"},
        {{"departments.credit.staff", NULL}, 1, 25, "--grid needs PATH=VALUES"},
        {{"departments.credit.staff=[1,2", NULL}, 1, 30, "YAML syntax error"},
        {{"departments.credit.staff={from: 3, to: 1}", NULL}, 1, 40, "to must be"},
        /* issue 23: A..B and A..B..STEP are ranges, each number at its own column */
        {{"departments.credit.staff=3..1", NULL}, 1, 29, "to must be"},
        {{"departments.credit.staff=1..5..0", NULL}, 1, 32, "step must be"},
        {{"departments.credit.staff=1.5..3", NULL}, 1, 26, "must be a whole number"},
        {{"departments.credit.staff=3...8", NULL}, 1, 26, "must be a whole number from 0 to 10000, got 3...8"},
        /* YAML's colon needs a space: said in so many words, with the way that works */
        {{"departments.credit.staff={from:3,to:8}", NULL}, 1, 27, "'from:3' is one word to YAML"},
        {{"departments.credit.staff=1", "departments.credit.staff=2"}, 2, 1,
         "--grid gives departments.credit.staff twice"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct sim_err err;
        size_t n = cases[i].grid[1] ? 2 : 1;
        struct mdl_plans *g = dealership(cases[i].grid, n, &err);
        assert_null(g);
        assert_int_equal(err.code, SIM_EDATA);
        if (strcmp(err.file, MDL_GRID_SOURCE) || err.line != cases[i].line || err.col != cases[i].col ||
            !strstr(err.msg, cases[i].msg)) {
            print_error("case %zu: %s:%d:%d: %s\n", i, err.file, err.line, err.col, err.msg);
            fail();
        }
    }
}

/* A plan that would change nothing is refused where it is written (issue
 * 18, item 14): an axis over seed, replications, variants or sweep (every
 * plan runs on the same seed and replications, and a plan's own variants
 * and sweep are never read), and a value an axis already lists, by number
 * (2 and 2.0), by structure (two equal schedules), or made so by a
 * range's 15 significant digits. */
static void plans_that_change_nothing_are_refused(void **state)
{
    (void)state;
    static const struct {
        const char *grid;
        int col;
        const char *msg;
    } cases[] = {
        {"seed=1,2", 1, "a sweep cannot change seed: every plan runs on the same seed and replications"},
        {"replications=3,4", 1, "a sweep cannot change replications: "},
        {"variants=[[], []]", 1, "a sweep cannot change variants: "},
        {"sweep.departments.credit.staff=1,2", 1, "a sweep cannot change sweep: "},
        {"departments.credit.staff=1,2,2", 30, "departments.credit.staff lists 2 twice: "},
        {"departments.credit.staff=[1, 2, 1.0, 2]", 33, "departments.credit.staff lists 1 twice (as 1.0): "},
        {"departments.sales.staff=[[{at: \"09:00\", count: 2}], [{at: \"09:00\", count: 2}]]", 53,
         "departments.sales.staff lists [{at: \"09:00\", count: 2}] twice: "},
        {"customers.buyer.value={from: 999999999999, to: 1000000000000, step: 0.0001}", 23,
         "customers.buyer.value lists 999999999999 twice: a range's values are written with 15 significant "
         "digits; give it a larger step"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct sim_err err;
        const char *grid[] = {cases[i].grid};
        struct mdl_plans *g = dealership(grid, 1, &err);
        assert_null(g);
        if (err.code != SIM_EDATA || strcmp(err.file, MDL_GRID_SOURCE) || err.line != 1 || err.col != cases[i].col ||
            strncmp(err.msg, cases[i].msg, strlen(cases[i].msg))) {
            print_error("case %zu: %d %s:%d:%d: %s\n", i, err.code, err.file, err.line, err.col, err.msg);
            fail();
        }
    }
    /* distinct values are plans, whatever their spelling */
    struct sim_err err;
    const char *grid[] = {"departments.credit.staff=[1, 2, 3]", "departments.sales.staff=[[{at: \"09:00\", count: 2}],"
                          " [{at: \"09:00\", count: 3}]]"};
    struct mdl_plans *g = dealership(grid, 2, &err);
    assert_non_null(g);
    assert_int_equal(mdl_plans_grid_size(g), 6);
    release(g);
}

static void plans_grid_size_saturates(void **state)
{
    (void)state;
    struct mdl_sweep_axis axes[3] = {{.nvalues = 1u << 30}, {.nvalues = 1u << 30}, {.nvalues = 1u << 30}};
    struct mdl_plans g = {.naxes = 2, .axes = axes};
    assert_true(mdl_plans_grid_size(&g) == (uint64_t)1 << 60);
    g.naxes = 3;
    assert_true(mdl_plans_grid_size(&g) == UINT64_MAX);
    g.naxes = 0;
    assert_true(mdl_plans_grid_size(&g) == 0);
}

static void plans_grid_points_build_on_many_threads(void **state)
{
    (void)state;
    struct sim_err err;
    const char *grid[] = {"departments.credit.staff=1,2,3,4", "departments.sales.staff={from: 2, to: 9}",
                          "pools.floater.staff=1,2"};
    struct mdl_plans *g = dealership(grid, 3, &err);
    assert_non_null(g);
    enum { N = 64 };
    double got[N][3];
    int failed = 0;
#pragma omp parallel for schedule(dynamic, 1) num_threads(4) reduction(+ : failed)
    for (int p = 0; p < N; p++) {
        struct sim_err e;
        sim_err_init(&e);
        struct mdl_scenario *ps = NULL;
        if (mdl_plans_grid_build(g, (uint64_t)p, &ps, &e)) {
            failed++;
            continue;
        }
        const char *names[] = {"credit", "sales"};
        for (int k = 0; k < 2; k++)
            got[p][k] = ps->depts[mdl_scenario_dept(ps, names[k])].crew.staff[0].value;
        got[p][2] = ps->pools[0].crew.staff[0].value;
        mdl_scenario_destroy(ps);
    }
    assert_int_equal(failed, 0);
    for (int p = 0; p < N; p++) {
        assert_near(got[p][0], 1 + p / 16, 0);
        assert_near(got[p][1], 2 + p / 2 % 8, 0);
        assert_near(got[p][2], 1 + p % 2, 0);
    }
    release(g);
}

/* A business of our own with variants and a sweep that change staff by
 * relative changes, written as keys ending in +=, -= or *= (plain, quoted,
 * in flow and block style). */
static const char relshop[] =
    "name: Shop\n"
    "seed: 1\n"
    "replications: 2\n"
    "day: {open: \"09:00\", close: \"17:00\"}\n"
    "departments:\n"
    "  desk:\n"
    "    staff: [{at: \"09:00\", count: 2}, {at: \"12:00\", count: 1}]\n"
    "    service: {dist: exponential, mean: 4}\n"
    "  back:\n"
    "    staff: 3\n"
    "    service: {dist: exponential, mean: 10}\n"
    "customers:\n"
    "  visitor:\n"
    "    arrivals: {per_hour: 10}\n"
    "    enter: desk\n"
    "    route: {desk: {back: 0.5, exit: 0.5}}\n"
    "variants:\n"
    "  - name: one more at the desk\n"
    "    set: {departments.desk.staff+=: 1}\n"
    "  - name: twice the back, one visitor less\n"
    "    set:\n"
    "      \"departments.back.staff*=\": 2\n"
    "      customers.visitor.arrivals.per_hour-=: 1\n"
    "  - name: set then add\n"
    "    set: {departments.back.staff: 1, 'departments.back.staff+=': 1, departments.desk.staff.0.count: 4}\n"
    "sweep:\n"
    "  departments.desk.staff+=: [0, 1, 2]\n"
    "  departments.back.staff-=: {from: 0, to: 1}\n";

static void plans_variants_and_axes_take_relative_changes(void **state)
{
    (void)state;
    struct sim_err err;
    sim_err_init(&err);
    struct mdl_scenario *s = NULL;
    struct mdl_plans *p = NULL;
    if (mdl_load_scenario("relshop.yaml", relshop, strlen(relshop), NULL, 0, &s, &err) ||
        mdl_plans_read(s, &p, &err) || mdl_plans_check_axes(p, &err)) {
        print_error("%s:%d:%d: %s\n", err.file, err.line, err.col, err.msg);
        fail();
    }
    assert_int_equal(p->nvariants, 3);
    struct mdl_scenario *v[3];
    assert_int_equal(mdl_plans_build_variants(p, v, &err), SIM_OK);
    const struct mdl_dept *desk = &v[0]->depts[mdl_scenario_dept(v[0], "desk")];
    assert_int_equal(desk->crew.nstaff, 2);
    assert_near(desk->crew.staff[0].value, 3, 0);
    assert_near(desk->crew.staff[1].value, 2, 0);
    assert_near(desk->crew.staff[1].at, 720, 0);
    assert_near(staff(v[1], "back"), 6, 0);
    assert_near(v[1]->classes[0].rate, 9 / 60.0, 1e-15);
    assert_near(staff(v[2], "back"), 2, 0);
    assert_near(v[2]->depts[mdl_scenario_dept(v[2], "desk")].crew.staff[0].value, 4, 0);
    for (size_t i = 0; i < 3; i++)
        mdl_scenario_destroy(v[i]);
    /* the sweep: 3 x 2 plans, each axis's value added to or taken from the baseline's */
    assert_int_equal(mdl_plans_grid_size(p), 6);
    char name[128];
    assert_string_equal(mdl_plans_grid_name(p, 5, name, sizeof name), "desk.staff+=2, back.staff-=1");
    struct mdl_scenario *g = NULL;
    assert_int_equal(mdl_plans_grid_build(p, 5, &g, &err), SIM_OK);
    desk = &g->depts[mdl_scenario_dept(g, "desk")];
    assert_near(desk->crew.staff[0].value, 4, 0);
    assert_near(desk->crew.staff[1].value, 3, 0);
    assert_near(staff(g, "back"), 2, 0);
    mdl_scenario_destroy(g);
    /* --grid takes them too, and 1,2 lists */
    const char *grid[] = {"departments.back.staff*=1,2", "departments.desk.staff.1.count+=0,1"};
    assert_int_equal(mdl_plans_set_grid(p, grid, 2, &err), SIM_OK);
    assert_string_equal(mdl_plans_grid_name(p, 3, name, sizeof name), "back.staff*=2, desk.staff.1.count+=1");
    assert_int_equal(mdl_plans_grid_build(p, 3, &g, &err), SIM_OK);
    assert_near(staff(g, "back"), 6, 0);
    assert_near(g->depts[mdl_scenario_dept(g, "desk")].crew.staff[1].value, 2, 0);
    mdl_scenario_destroy(g);
    mdl_plans_destroy(p);
    mdl_scenario_destroy(s);
}

/* A relative change in --grid is refused where it is written, as --set's
 * are; a plan may not change seed or replications relatively either. */
static void plans_relative_grid_errors_are_located(void **state)
{
    (void)state;
    static const struct {
        const char *grid;
        int col;
        const char *msg;
    } cases[] = {
        {"departments.desk.staff-=0,2", 27,
         "count of step 2 of staff of desk must be a whole number from 0 to 10000, got -1 (1 - 2, by the relative "
         "change departments.desk.staff-=2)"},
        {"seed+=1,2", 1, "a sweep cannot change seed: "},
        {"departments.back.staff+=1,1", 27, "departments.back.staff+= lists 1 twice: "},
        {"departments.back.staff=+1,+2", 24, "'+1' sets departments.back.staff to 1, it does not add 1"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct sim_err err;
        sim_err_init(&err);
        struct mdl_scenario *s = NULL;
        struct mdl_plans *p = NULL;
        const char *grid[] = {cases[i].grid};
        assert_int_equal(mdl_load_scenario("relshop.yaml", relshop, strlen(relshop), NULL, 0, &s, &err), SIM_OK);
        assert_int_equal(mdl_plans_read(s, &p, &err), SIM_OK);
        if (!mdl_plans_set_grid(p, grid, 1, &err))
            mdl_plans_check_axes(p, &err);
        if (err.code != SIM_EDATA || strcmp(err.file, MDL_GRID_SOURCE) || err.line != 1 || err.col != cases[i].col ||
            strncmp(err.msg, cases[i].msg, strlen(cases[i].msg))) {
            print_error("case %zu: %d %s:%d:%d: %s\n", i, err.code, err.file, err.line, err.col, err.msg);
            fail();
        }
        mdl_plans_destroy(p);
        mdl_scenario_destroy(s);
    }
}

TEST_TABLE(test_mdl_plans, cmocka_unit_test(plans_grid_numbers_plans_last_axis_fastest),
           cmocka_unit_test(plans_grid_option_replaces_the_sweep),
           cmocka_unit_test(plans_grid_errors_are_located_in_the_option),
           cmocka_unit_test(plans_that_change_nothing_are_refused), cmocka_unit_test(plans_grid_size_saturates),
           cmocka_unit_test(plans_grid_points_build_on_many_threads),
           cmocka_unit_test(plans_variants_and_axes_take_relative_changes),
           cmocka_unit_test(plans_relative_grid_errors_are_located))
