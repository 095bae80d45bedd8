/* tests/test_cli_plans.c — the commands that decide between plans, as a
 * user runs them: cxsim compare (here), cxsim sweep and cxsim merge. */
#include "tests/testutil.h"
#include "tests/clirun.h"

/* True when the files at a and b hold the same bytes. */
static bool same_file(const char *a, const char *b)
{
    FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
    bool same = fa && fb;
    while (same) {
        int x = fgetc(fa), y = fgetc(fb);
        same = x == y;
        if (x == EOF || y == EOF)
            break;
    }
    if (fa)
        fclose(fa);
    if (fb)
        fclose(fb);
    return same;
}

/* Lines of the file at path that start with prefix. */
static int lines_starting(const char *path, const char *prefix)
{
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char line[4096];
    int n = 0;
    while (fgets(line, sizeof line, f))
        n += !strncmp(line, prefix, strlen(prefix));
    fclose(f);
    return n;
}

#define CMP1 "/tmp/cxsim-test-cmp-1.csv"
#define CMP2 "/tmp/cxsim-test-cmp-2.csv"

static void plans_compare_tells_each_variant_in_a_sentence(void **state)
{
    (void)state;
    static struct run r;
    run(&r, "compare --reps 10");
    assert_int_equal(r.code, 0);
    assert_string_equal(r.err, "");
    assert_non_null(strstr(r.out, "Dealership weekday: 2 plans against the baseline"));
    assert_non_null(strstr(r.out, "common random numbers"));
    assert_non_null(strstr(r.out, "  - +1 credit officer: credit wait −"));
    assert_non_null(strstr(r.out, "  - reception keeps 2 at lunch: reception wait −"));
    assert_non_null(strstr(r.out, "\n+1 credit officer "));
    assert_non_null(strstr(r.out, "no clear difference"));
    assert_fits(r.out, 100);
    run(&r, "help compare");
    assert_int_equal(r.code, 0);
    assert_non_null(strstr(r.out, "usage: cxsim compare"));
}

static void plans_compare_is_the_same_whatever_jobs(void **state)
{
    (void)state;
    static struct run r;
    static const char *path1 = CMP1, *path2 = CMP2;
    run(&r, "compare scenarios/dealership.yaml --reps 6 --format csv --jobs 1 -o " CMP1 "");
    assert_int_equal(r.code, 0);
    run(&r, "compare scenarios/dealership.yaml --reps 6 --format csv --jobs 2 -o " CMP2 "");
    assert_int_equal(r.code, 0);
    assert_true(same_file(path1, path2));
    /* every plan's rows, and the differences of the variants only */
    assert_int_equal(lines_starting(path1, "baseline,department,credit,wait_mean,"), 1);
    assert_int_equal(lines_starting(path1, "baseline,department,credit,wait_mean.diff,"), 0);
    assert_int_equal(lines_starting(path1, "+1 credit officer,department,credit,wait_mean.diff,"), 1);
    assert_int_equal(lines_starting(path1, "reception keeps 2 at lunch,cost,plan,total_cost.diff,"), 1);
    unlink(path1);
    unlink(path2);
}

static void plans_compare_json_has_the_differences(void **state)
{
    (void)state;
    json_t *doc = run_json("compare --reps 5 --format json");
    json_t *plans = json_object_get(doc, "plans");
    assert_int_equal(json_array_size(plans), 3);
    assert_string_equal(json_string_value(json_object_get(json_array_get(plans, 1), "name")), "+1 credit officer");
    json_t *base = json_object_get(json_object_get(json_object_get(json_array_get(plans, 0), "departments"), "credit"),
                                   "wait_mean");
    json_t *var = json_object_get(json_object_get(json_object_get(json_array_get(plans, 1), "departments"), "credit"),
                                  "wait_mean");
    assert_null(json_object_get(base, "diff"));
    json_t *d = json_object_get(var, "diff");
    assert_non_null(d);
    /* the paired difference is the mean of the days' differences */
    double sum = 0;
    for (size_t k = 0; k < 5; k++)
        sum += json_real_value(json_array_get(json_object_get(var, "values"), k)) -
               json_real_value(json_array_get(json_object_get(base, "values"), k));
    assert_near(json_real_value(json_object_get(d, "mean")), sum / 5, 1e-9);
    assert_true(json_real_value(json_object_get(d, "ci_low")) <= json_real_value(json_object_get(d, "mean")));
    assert_int_equal(json_integer_value(json_object_get(d, "n")), 5);
    json_decref(doc);
}

static void plans_compare_without_variants_says_how_to_add_them(void **state)
{
    (void)state;
    static struct run r;
    run(&r, "compare tests/scenarios/spec_steady.yaml");
    assert_int_equal(r.code, 65);
    assert_non_null(strstr(r.err, "tests/scenarios/spec_steady.yaml has no variants to compare"));
    assert_non_null(strstr(r.err, "variants:"));
    assert_string_equal(r.out, "");
    run(&r, "compare --reps 0");
    assert_int_equal(r.code, 64);
    run(&r, "compare a.yaml b.yaml");
    assert_int_equal(r.code, 64);
}

TEST_TABLE(test_cli_plans, cmocka_unit_test(plans_compare_tells_each_variant_in_a_sentence),
           cmocka_unit_test(plans_compare_is_the_same_whatever_jobs),
           cmocka_unit_test(plans_compare_json_has_the_differences),
           cmocka_unit_test(plans_compare_without_variants_says_how_to_add_them))
