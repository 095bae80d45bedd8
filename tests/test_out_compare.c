/* tests/test_out_compare.c — the writers of plans set side by side, on
 * reports built here by hand: the manager's sentence for every kind of
 * verdict, the compare report against its golden file (tests/golden/
 * compare.txt, rewritten only by `make golden`), the differences in CSV
 * (METRIC.diff rows) and JSON ("diff" objects), and the ranking of a sweep
 * (tests/golden/sweep.txt). */
#include "tests/testutil.h"
#include "tests/writeutil.h"

#include "output/csv.h"
#include "output/json.h"
#include "output/text.h"
#include "output/verdict.h"

#include <jansson.h>

#define REPS 4
#define N(a) (sizeof a / sizeof a[0])

/* The baseline. */
static struct out_metric b_front[] = {
    {"wait_mean", "min", {6.2, 5.1, 7.3, 0.7, REPS}, NULL, NULL, NULL, 0, NULL},
    {"wait_p90", "min", {14, 12, 16, 1.3, REPS}, NULL, NULL, NULL, 0, NULL},
    {"service_level", "share", {0.7, 0.65, 0.75, 0.03, REPS}, NULL, NULL, NULL, 0, NULL},
};
static struct out_metric b_back[] = {
    {"wait_mean", "min", {3.1, 2.5, 3.7, 0.4, REPS}, NULL, NULL, NULL, 0, NULL},
    {"service_level", "share", {0.85, 0.8, 0.9, 0.03, REPS}, NULL, NULL, NULL, 0, NULL},
};
static struct out_metric b_ext[] = {
    {"completed", "customers", {40, 37, 43, 2, REPS}, NULL, NULL, NULL, 0, NULL},
    {"dropped", "customers", {10, 7, 13, 2, REPS}, NULL, NULL, NULL, 0, NULL},
    {"dropout_rate", "share", {0.2, 0.15, 0.25, 0.03, REPS}, NULL, NULL, NULL, 0, NULL},
    {"satisfaction_mean", "score", {3.5, 3.3, 3.7, 0.12, REPS}, NULL, NULL, NULL, 0, NULL},
    {"csat", "share", {0.6, 0.5, 0.7, 0.06, REPS}, NULL, NULL, NULL, 0, NULL},
};
static struct out_metric b_cost[] = {
    {"staff_cost", "money", {3780, 3780, 3780, 0, REPS}, NULL, NULL, NULL, 0, NULL},
    {"lost_value", "money", {15000, 10500, 19500, 3000, REPS}, NULL, NULL, NULL, 0, NULL},
    {"total_cost", "money", {18780, 14280, 23280, 3000, REPS}, NULL, NULL, NULL, 0, NULL},
};

/* The plan, and its paired differences from the baseline. */
static struct out_stat d_front_wait = {-4.1, -4.9, -3.3, 0.5, REPS};
static struct out_stat d_front_p90 = {-8, -10, -6, 1.2, REPS};
static struct out_stat d_front_level = {0.2, 0.15, 0.25, 0.03, REPS};
static struct out_stat d_back_wait = {0.2, -0.1, 0.5, 0.2, REPS};
static struct out_stat d_back_level = {0, 0, 0, 0, REPS};
static struct out_stat d_completed = {3, 2, 4, 0.6, REPS};
static struct out_stat d_dropped = {-3, -4, -2, 0.6, REPS};
static struct out_stat d_rate = {-0.06, -0.08, -0.04, 0.012, REPS};
static struct out_stat d_sat = {0.38, 0.25, 0.51, 0.08, REPS};
static struct out_stat d_csat = {0.1, 0.05, 0.15, 0.03, REPS};
static struct out_stat d_staff = {320, 320, 320, 0, REPS};
static struct out_stat d_lost = {-4500, -6000, -3000, 900, REPS};
static struct out_stat d_total = {-4180, -5680, -2680, 900, REPS};

static struct out_metric p_front[] = {
    {"wait_mean", "min", {2.1, 1.8, 2.4, 0.2, REPS}, NULL, &d_front_wait, NULL, 0, NULL},
    {"wait_p90", "min", {6, 5, 7, 0.6, REPS}, NULL, &d_front_p90, NULL, 0, NULL},
    {"service_level", "share", {0.9, 0.87, 0.93, 0.02, REPS}, NULL, &d_front_level, NULL, 0, NULL},
};
static struct out_metric p_back[] = {
    {"wait_mean", "min", {3.3, 2.6, 4.0, 0.45, REPS}, NULL, &d_back_wait, NULL, 0, NULL},
    {"service_level", "share", {0.85, 0.8, 0.9, 0.03, REPS}, NULL, &d_back_level, NULL, 0, NULL},
};
static struct out_metric p_ext[] = {
    {"completed", "customers", {43, 40, 46, 2, REPS}, NULL, &d_completed, NULL, 0, NULL},
    {"dropped", "customers", {7, 5, 9, 1.3, REPS}, NULL, &d_dropped, NULL, 0, NULL},
    {"dropout_rate", "share", {0.14, 0.1, 0.18, 0.025, REPS}, NULL, &d_rate, NULL, 0, NULL},
    {"satisfaction_mean", "score", {3.88, 3.7, 4.06, 0.11, REPS}, NULL, &d_sat, NULL, 0, NULL},
    {"csat", "share", {0.7, 0.62, 0.78, 0.05, REPS}, NULL, &d_csat, NULL, 0, NULL},
};
static struct out_metric p_cost[] = {
    {"staff_cost", "money", {4100, 4100, 4100, 0, REPS}, NULL, &d_staff, NULL, 0, NULL},
    {"lost_value", "money", {10500, 7500, 13500, 1900, REPS}, NULL, &d_lost, NULL, 0, NULL},
    {"total_cost", "money", {14600, 11600, 17600, 1900, REPS}, NULL, &d_total, NULL, 0, NULL},
};

#define SCOPE(kind, name, target, goal, m) {kind, name, false, target, goal, N(m), m, 0, 0, NULL, 0, NULL}

static struct out_scope b_scopes[] = {
    SCOPE(OUT_DEPARTMENT, "front", 5, 0.8, b_front), SCOPE(OUT_DEPARTMENT, "back", 10, 0.8, b_back),
    SCOPE(OUT_JOURNEY, "external", NAN, NAN, b_ext), SCOPE(OUT_COST, "plan", NAN, NAN, b_cost),
};
static struct out_scope p_scopes[] = {
    SCOPE(OUT_DEPARTMENT, "front", 5, 0.8, p_front), SCOPE(OUT_DEPARTMENT, "back", 10, 0.8, p_back),
    SCOPE(OUT_JOURNEY, "external", NAN, NAN, p_ext), SCOPE(OUT_COST, "plan", NAN, NAN, p_cost),
};

static struct out_plan plans[] = {
    {"baseline", N(b_scopes), b_scopes, 0, 0, NULL, 0, NULL, 0},
    {"+1 clerk, \"front\" & <back>", N(p_scopes), p_scopes, 0, 0, NULL, 0, NULL, 0},
};

static const struct out_report report = {
    .scenario = "Golden shop", .source = "shop.yaml", .is_day = true, .open_at = 540, .close_at = 1080,
    .replications = REPS, .seed = 42, .nplans = 2, .plans = plans, .compared = true,
};

static const char *verdict(void)
{
    static char buf[1024];
    return out_verdict(&report, &plans[1], buf, sizeof buf);
}

/* Sets the differences the verdict weighs: {mean, low, high} each. */
static void diffs(const double front[3], const double rate[3], const double sat[3], const double lost[3],
                  const double total[3])
{
    struct out_stat *d[] = {&d_front_wait, &d_rate, &d_sat, &d_lost, &d_total};
    const double *v[] = {front, rate, sat, lost, total};
    for (size_t i = 0; i < 5; i++)
        *d[i] = (struct out_stat){v[i][0], v[i][1], v[i][2], v[i][0] || v[i][1] != v[i][2] ? 1 : 0, REPS};
}

static const double better_wait[] = {-4.1, -4.9, -3.3}, worse_wait[] = {1.5, 0.5, 2.5},
                    unclear_wait[] = {0.2, -0.3, 0.7};
static const double better_rate[] = {-0.06, -0.08, -0.04}, worse_rate[] = {0.03, 0.01, 0.05},
                    unclear_rate[] = {0.01, -0.01, 0.03};
static const double better_sat[] = {0.38, 0.25, 0.51}, worse_sat[] = {-0.2, -0.3, -0.1},
                    unclear_sat[] = {0.02, -0.05, 0.09};
static const double lower_cost[] = {-4500, -6000, -3000}, higher_cost[] = {500, 200, 800},
                    unclear_cost[] = {-300, -900, 300};
static const double zero[] = {0, 0, 0};

static void compare_verdicts(void **state)
{
    (void)state;
    diffs(better_wait, better_rate, better_sat, lower_cost, lower_cost);
    assert_string_equal(verdict(), "+1 clerk, \"front\" & <back>: front wait −4.1 min (−4.9 to −3.3), drop-outs "
                                   "−6.0 points, satisfaction +0.38, staff cost +320 a day, lost value −4,500 a day: "
                                   "better on every count.");
    diffs(better_wait, unclear_rate, better_sat, unclear_cost, unclear_cost);
    assert_string_equal(verdict(), "+1 clerk, \"front\" & <back>: front wait −4.1 min (−4.9 to −3.3), satisfaction "
                                   "+0.38, staff cost +320 a day; no clear difference in drop-outs or lost value: "
                                   "better on 2 of 4 counts, worse on none.");
    diffs(better_wait, better_rate, better_sat, higher_cost, higher_cost);
    assert_string_equal(verdict(), "+1 clerk, \"front\" & <back>: front wait −4.1 min (−4.9 to −3.3), drop-outs "
                                   "−6.0 points, satisfaction +0.38, staff cost +320 a day, lost value +500 a day: "
                                   "better for customers on 3 counts, but dearer: total cost +500 a day (+200 to "
                                   "+800).");
    diffs(worse_wait, better_rate, unclear_sat, lower_cost, lower_cost);
    assert_string_equal(verdict(), "+1 clerk, \"front\" & <back>: front wait +1.5 min (+0.5 to +2.5), drop-outs "
                                   "−6.0 points, staff cost +320 a day, lost value −4,500 a day; no clear difference "
                                   "in satisfaction: mixed for customers (better on 1 count, worse on 1), and "
                                   "cheaper: total cost −4,500 a day (−6,000 to −3,000).");
    diffs(worse_wait, better_rate, unclear_sat, unclear_cost, unclear_cost);
    assert_string_equal(verdict(), "+1 clerk, \"front\" & <back>: front wait +1.5 min (+0.5 to +2.5), drop-outs "
                                   "−6.0 points, staff cost +320 a day; no clear difference in satisfaction or lost "
                                   "value: mixed for customers (better on 1 count, worse on 1), with no clear "
                                   "difference in total cost.");
    diffs(worse_wait, unclear_rate, unclear_sat, lower_cost, lower_cost);
    assert_string_equal(verdict(), "+1 clerk, \"front\" & <back>: front wait +1.5 min (+0.5 to +2.5), staff cost "
                                   "+320 a day, lost value −4,500 a day; no clear difference in drop-outs or "
                                   "satisfaction: cheaper, but worse for customers on 1 count: total cost −4,500 a "
                                   "day (−6,000 to −3,000).");
    diffs(worse_wait, worse_rate, worse_sat, higher_cost, higher_cost);
    assert_string_equal(verdict(), "+1 clerk, \"front\" & <back>: front wait +1.5 min (+0.5 to +2.5), drop-outs "
                                   "+3.0 points, satisfaction −0.20, staff cost +320 a day, lost value +500 a day: "
                                   "worse on every count.");
    diffs(unclear_wait, unclear_rate, unclear_sat, unclear_cost, unclear_cost);
    assert_string_equal(verdict(), "+1 clerk, \"front\" & <back>: staff cost +320 a day; no clear difference in "
                                   "waits, drop-outs, satisfaction or lost value: no clear difference on any count.");
    diffs(better_wait, better_rate, better_sat, lower_cost, lower_cost);
}

/* A plan of four desks, built here: three waits clearly shorter, one
 * clearly longer (the fourth largest change), a service level clearly
 * lower, a wait a second shorter, a total cost a few units lower. */
static void compare_verdict_names_every_clear_worsening(void **state)
{
    (void)state;
    static struct out_stat d_wait[5] = {
        {-3, -4, -2, 0.5, REPS}, {-2, -2.5, -1.5, 0.3, REPS}, {-1, -1.4, -0.6, 0.2, REPS},
        {0.3, 0.1, 0.5, 0.1, REPS}, {-0.016, -0.02, -0.012, 0.002, REPS}};
    static struct out_stat d_level = {-0.03, -0.05, -0.01, 0.01, REPS}, d_zero = {0, 0, 0, 0, REPS};
    static struct out_stat d_tiny = {-6, -9, -3, 1, REPS};
    static const char *names[5] = {"parts", "service", "sales", "cashier", "door"};
    static struct out_metric pm[5][2], bm[5][2];
    static struct out_scope ps[7], bs[7];
    for (size_t d = 0; d < 5; d++) {
        bm[d][0] = (struct out_metric){.name = "wait_mean", .unit = "min", .stat = {5, 4, 6, 0.5, REPS}};
        bm[d][1] = (struct out_metric){.name = "service_level", .unit = "share", .stat = {0.8, 0.75, 0.85, 0.02, REPS}};
        pm[d][0] = bm[d][0];
        pm[d][1] = bm[d][1];
        pm[d][0].diff = &d_wait[d];
        pm[d][1].diff = d == 3 ? &d_level : &d_zero;
        bs[d] = (struct out_scope){.kind = OUT_DEPARTMENT, .name = names[d], .nmetrics = 2, .metrics = bm[d]};
        ps[d] = (struct out_scope){.kind = OUT_DEPARTMENT, .name = names[d], .nmetrics = 2, .metrics = pm[d]};
    }
    static struct out_metric bcost = {.name = "total_cost", .unit = "money", .stat = {18000, 17000, 19000, 500, REPS}};
    static struct out_metric pcost;
    pcost = bcost;
    pcost.diff = &d_tiny;
    bs[5] = (struct out_scope){.kind = OUT_COST, .name = "plan", .nmetrics = 1, .metrics = &bcost};
    ps[5] = (struct out_scope){.kind = OUT_COST, .name = "plan", .nmetrics = 1, .metrics = &pcost};
    struct out_plan two[2] = {{.name = "baseline", .nscopes = 6, .scopes = bs},
                              {.name = "+1 parts clerk", .nscopes = 6, .scopes = ps}};
    struct out_report r = {.is_day = true, .replications = REPS, .nplans = 2, .plans = two, .compared = true};
    char buf[1024];
    assert_string_equal(out_verdict(&r, &two[1], buf, sizeof buf),
                        "+1 parts clerk: parts wait −3.0 min (−4.0 to −2.0), service wait −2.0 min, cashier wait "
                        "+0.3 min (+0.1 to +0.5), cashier service level −3.0 points (−5.0 to −1.0); too small to "
                        "matter: door wait and total cost: mixed for customers (better on 2 counts, worse on 2), "
                        "for about the same total cost.");
}

static void compare_verdict_of_an_identical_plan(void **state)
{
    (void)state;
    struct out_stat saved_staff = d_staff, saved_back = d_back_wait;
    d_staff = d_back_wait = (struct out_stat){0, 0, 0, 0, REPS};
    diffs(zero, zero, zero, zero, zero);
    assert_string_equal(verdict(), "+1 clerk, \"front\" & <back>: waits unchanged, drop-outs unchanged, "
                                   "satisfaction unchanged, staff cost unchanged, lost value unchanged: no "
                                   "difference at all.");
    d_staff = saved_staff;
    d_back_wait = saved_back;
    diffs(better_wait, better_rate, better_sat, lower_cost, lower_cost);
}


static void compare_text_matches_golden_and_fits(void **state)
{
    (void)state;
    diffs(better_wait, better_rate, better_sat, lower_cost, lower_cost);
    size_t len;
    char *text = test_write(out_text_write, &report, &len);
    assert_golden("tests/golden/compare.txt", text, len);
    assert_fits(text, 100);
    assert_non_null(strstr(text, "no clear difference (−0.1 to +0.5)"));
    assert_non_null(strstr(text, "better on every count."));
    free(text);
}

static void compare_csv_has_a_diff_row_after_each_compared_metric(void **state)
{
    (void)state;
    diffs(better_wait, better_rate, better_sat, lower_cost, lower_cost);
    size_t len;
    char *text = test_write(out_csv_write, &report, &len);
    assert_non_null(strstr(text, "\r\nbaseline,department,front,wait_mean,6.2,5.1,7.3,0.7,4\r\n"
                                 "baseline,department,front,wait_p90,"));
    assert_non_null(strstr(text, "\r\n\"'+1 clerk, \"\"front\"\" & <back>\",department,front,wait_mean,2.1,1.8,2.4,"
                                 "0.2,4\r\n\"'+1 clerk, \"\"front\"\" & <back>\",department,front,wait_mean.diff,"
                                 "-4.1,-4.9,-3.3,1,4\r\n"));
    assert_null(strstr(text, "baseline,department,front,wait_mean.diff"));
    int diffs_seen = 0;
    for (const char *p = text; (p = strstr(p, ".diff,")) != NULL; p++)
        diffs_seen++;
    assert_int_equal(diffs_seen, (int)(N(p_front) + N(p_back) + N(p_ext) + N(p_cost)));
    free(text);
}

static void compare_json_has_a_diff_object_in_each_compared_metric(void **state)
{
    (void)state;
    diffs(better_wait, better_rate, better_sat, lower_cost, lower_cost);
    size_t len;
    char *text = test_write(out_json_write, &report, &len);
    json_error_t jerr;
    json_t *doc = json_loadb(text, len, 0, &jerr);
    assert_non_null(doc);
    json_t *base = json_object_get(json_object_get(json_object_get(json_array_get(json_object_get(doc, "plans"), 0),
                                                                   "departments"), "front"), "wait_mean");
    json_t *plan = json_object_get(json_object_get(json_object_get(json_array_get(json_object_get(doc, "plans"), 1),
                                                                   "departments"), "front"), "wait_mean");
    assert_null(json_object_get(base, "diff"));
    json_t *d = json_object_get(plan, "diff");
    assert_non_null(d);
    assert_near(json_real_value(json_object_get(d, "mean")), -4.1, 1e-12);
    assert_near(json_real_value(json_object_get(d, "ci_low")), -4.9, 1e-12);
    assert_near(json_real_value(json_object_get(d, "ci_high")), -3.3, 1e-12);
    assert_int_equal(json_integer_value(json_object_get(d, "n")), REPS);
    json_decref(doc);
    free(text);
}

/* A sweep of 2 x 13 plans: rows[i] costs 1000 + 100 i; the first four meet
 * every goal; plan 7 had an overloaded replication. */
static void sweep_ranking_matches_golden_and_fits(void **state)
{
    (void)state;
    static const char *paths[] = {"departments.credit.staff", "customers.buyer.patience.mean"};
    static struct out_sweep_row rows[26];
    static char names[26][64], v0[26][8], v1[26][8];
    static const char *values[26][2];
    for (size_t i = 0; i < 26; i++) {
        snprintf(v0[i], sizeof v0[i], "%zu", 1 + i / 13);
        snprintf(v1[i], sizeof v1[i], "%zu", 10 + i % 13);
        snprintf(names[i], sizeof names[i], "credit.staff=%s, buyer.patience.mean=%s", v0[i], v1[i]);
        values[i][0] = v0[i];
        values[i][1] = v1[i];
        double cost = 1000 + 100 * (double)i;
        const char *missed = i < 4 ? "" : i % 2 ? "front" : "front, back";
        rows[i] = (struct out_sweep_row){i, names[i], values[i], i == 7, i < 4 ? OUT_MET : OUT_MISSED, missed, "",
                                         {cost, cost - 50, cost + 50, 60, REPS}, 600, cost - 600, 0.01 * (double)i,
                                         4.5 - 0.05 * (double)i, {NAN, NAN, NAN, NAN, 0}};
    }
    struct out_sweep_ranking rk = {2, paths, 30, 26, rows, NULL, ""};
    char *text = NULL;
    size_t len;
    FILE *f = open_memstream(&text, &len);
    struct sim_err err;
    sim_err_init(&err);
    assert_int_equal(out_text_sweep_write(&report, &rk, f, &err), SIM_OK);
    fclose(f);
    assert_golden("tests/golden/sweep.txt", text, len);
    assert_fits(text, 100);
    assert_non_null(strstr(text, "The cheapest plan that meets every goal with 95% confidence: credit.staff=1,\n"
                                 "    buyer.patience.mean=10, at 1,000 ± 50 a day in all (staff 600, lost value "
                                 "400)."));
    assert_non_null(strstr(text, "4 of 26 plans surely meet every goal; the cheapest of those that miss one, "
                                 "credit.staff=1,\n"));
    assert_non_null(strstr(text, "26 of 30 plans are done"));
    assert_non_null(strstr(text, "(marked !)"));
    assert_non_null(strstr(text, "... and 2 more"));
    free(text);
    /* no plan meets every goal */
    for (size_t i = 0; i < 4; i++)
        rows[i].verdict = OUT_MISSED;
    rk.rows = rows;
    text = NULL;
    f = open_memstream(&text, &len);
    assert_int_equal(out_text_sweep_write(&report, &rk, f, &err), SIM_OK);
    fclose(f);
    assert_non_null(strstr(text, "No plan meets every goal with 95% confidence."));
    assert_null(strstr(text, "Plans that meet every"));
    free(text);
}

TEST_TABLE(test_out_compare, cmocka_unit_test(compare_verdicts), cmocka_unit_test(compare_verdict_of_an_identical_plan),
           cmocka_unit_test(compare_verdict_names_every_clear_worsening),
           cmocka_unit_test(compare_text_matches_golden_and_fits),
           cmocka_unit_test(compare_csv_has_a_diff_row_after_each_compared_metric),
           cmocka_unit_test(compare_json_has_a_diff_object_in_each_compared_metric),
           cmocka_unit_test(sweep_ranking_matches_golden_and_fits))
