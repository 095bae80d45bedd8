/* tests/test_cli_plans.c — the commands that decide between plans, as a
 * user runs them: cxsim compare, cxsim sweep and cxsim merge. A sweep gives
 * the same rows whatever --jobs, split in shards and merged, or killed with
 * SIGKILL and started again; it refuses a database of another sweep, an
 * accidental explosion of plans, and draws progress only on a terminal. */
#include "tests/testutil.h"
#include "tests/dbutil.h"
#include "tests/clirun.h"

#include <signal.h>
#include <time.h>

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

#define CMP1 CXSIM_TEST_TMP "/cmp-1.csv"
#define CMP2 CXSIM_TEST_TMP "/cmp-2.csv"

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
    assert_non_null(strstr(r.out, "  - +1 sales manager: sales wait −"));
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
    /* (a name starting with + starts with a quote: no spreadsheet runs it) */
    assert_int_equal(lines_starting(path1, "'+1 credit officer,department,credit,wait_mean.diff,"), 1);
    assert_int_equal(lines_starting(path1, "'+1 sales manager,cost,plan,total_cost.diff,"), 1);
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
    /* the paired difference is the difference of the two estimates (ratios
     * of totals over the same days, spec §3), each day one pair */
    assert_near(json_real_value(json_object_get(d, "mean")),
                json_real_value(json_object_get(var, "mean")) - json_real_value(json_object_get(base, "mean")), 1e-9);
    assert_int_equal(json_array_size(json_object_get(var, "values")), 5);
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
    /* the example on its own lines, not "?" for each line break */
    assert_non_null(strstr(r.err, "as in\n  variants:\n    - name: "));
    assert_string_equal(r.out, "");
    run(&r, "compare --reps 0");
    assert_int_equal(r.code, 64);
    run(&r, "compare a.yaml b.yaml");
    assert_int_equal(r.code, 64);
}

/* Each command builds what it runs, and checks it before running any of it:
 * run and trace the baseline alone, compare every variant, check every
 * variant and every sweep value (docs/architecture.md). A variant whose
 * value is wrong does not stop a run of the baseline. */
static void plans_each_command_builds_what_it_runs(void **state)
{
    (void)state;
    static struct run r;
    const char *path = CXSIM_TEST_TMP "/bad-variant.yaml";
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("name: Shop\nseed: 1\nreplications: 2\nday: {open: \"09:00\", close: \"12:00\"}\n"
          "departments:\n  desk: {staff: 1, service: {dist: exponential, mean: 4}}\n"
          "customers:\n  walkin: {arrivals: {per_hour: 10}, enter: desk, route: {desk: {exit: 1}}}\n"
          "variants:\n  - {name: fine, set: {departments.desk.staff: 2}}\n"
          "  - {name: broken, set: {departments.desk.staff: -1}}\n", f);
    fclose(f);
    char args[512];
    snprintf(args, sizeof args, "run %s --format csv", path);
    run(&r, args);
    assert_int_equal(r.code, 0);
    snprintf(args, sizeof args, "trace %s --customers 1", path);
    run(&r, args);
    assert_int_equal(r.code, 0);
    snprintf(args, sizeof args, "compare %s --format csv", path);
    run(&r, args);
    assert_int_equal(r.code, 65);
    assert_non_null(strstr(r.err, "bad-variant.yaml:11:50: error: staff of desk must be a whole number"));
    assert_string_equal(r.out, "");
    snprintf(args, sizeof args, "check %s", path);
    run(&r, args);
    assert_int_equal(r.code, 65);
    assert_non_null(strstr(r.err, "bad-variant.yaml:11:50: error:"));
    remove(path);
}

/* --reps auto (spec §2c): rounds of replications until every goal is met or
 * missed with 95% confidence and each goal's interval is within the
 * precision asked, or the cap; the report says how many it ran. */
static void plans_reps_auto_settles_every_goal(void **state)
{
    (void)state;
    json_t *doc = run_json("run --reps auto --format json");
    json_t *auto_reps = json_object_get(json_object_get(doc, "manifest"), "replications_auto");
    assert_non_null(auto_reps);
    assert_true(json_integer_value(json_object_get(auto_reps, "rounds")) >= 2);
    assert_false(json_boolean_value(json_object_get(auto_reps, "capped")));
    json_int_t reps = json_integer_value(json_object_get(json_object_get(doc, "manifest"), "replications"));
    assert_true(reps > 30 && reps <= 2000);
    json_t *plan = json_array_get(json_object_get(doc, "plans"), 0);
    json_t *goals = json_object_get(plan, "goals");
    assert_true(json_array_size(goals) >= 4);
    for (size_t g = 0; g < json_array_size(goals); g++) {
        json_t *goal = json_array_get(goals, g);
        const char *verdict = json_string_value(json_object_get(goal, "verdict"));
        assert_true(!strcmp(verdict, "met") || !strcmp(verdict, "missed"));
        const char *scope = json_string_value(json_object_get(goal, "scope"));
        json_t *m = json_object_get(json_object_get(json_object_get(plan, !strcmp(scope, "department") ? "departments"
                                                                                                      : "classes"),
                                                    json_string_value(json_object_get(goal, "name"))),
                                    json_string_value(json_object_get(goal, "metric")));
        double lo = json_real_value(json_object_get(m, "ci_low")), hi = json_real_value(json_object_get(m, "ci_high"));
        assert_true(hi - lo <= 2 * 0.02 + 1e-12);
        assert_int_equal(json_integer_value(json_object_get(m, "n")), reps);
    }
    json_decref(doc);
    /* the same rounds every time */
    static struct run a, b;
    run(&a, "run --reps auto --format csv");
    run(&b, "run --reps auto --format csv");
    assert_int_equal(a.code, 0);
    assert_string_equal(a.out, b.out);
    /* the cap: said, and kept */
    run(&a, "run --reps auto --max-reps 60");
    assert_int_equal(a.code, 0);
    assert_non_null(strstr(a.out, "60 days from 09:00 to 18:00"));
    assert_non_null(strstr(a.out, "--reps auto stopped at 60 days (--max-reps)"));
    run(&a, "compare --reps auto --precision 0.05 --format json -o /dev/null");
    assert_int_equal(a.code, 0);
    /* mistakes */
    run(&a, "run --precision 0.1");
    assert_int_equal(a.code, 64);
    run(&a, "run --reps auto --precision 0");
    assert_int_equal(a.code, 64);
    run(&a, "sweep scenarios/dealership.yaml --reps auto --db " CXSIM_TEST_TMP "/never-auto.db");
    assert_int_equal(a.code, 64);
    assert_non_null(strstr(a.err, "--reps auto is for run and compare"));
}

/* ---- sweep and merge ---------------------------------------------------- */

#define DB(n) CXSIM_TEST_TMP "/sweep-" n
#define SWEEP "sweep scenarios/dealership.yaml --reps 5 "

static void plans_sweep_ranks_the_dealership_grid(void **state)
{
    (void)state;
    static struct run r;
    test_db_remove(DB("rank.db"));
    /* 30 days: enough for some plans to surely meet every goal */
    run(&r, "sweep scenarios/dealership.yaml --reps 30 --db " DB("rank.db"));
    assert_int_equal(r.code, 0);
    assert_non_null(strstr(r.out, "Dealership weekday: a sweep of 12 plans"));
    assert_non_null(strstr(r.out, "The cheapest plan that meets every goal with 95% confidence: sales.staff+="));
    assert_non_null(strstr(r.out, "Plans that meet every goal with 95% confidence, cheapest first"));
    assert_non_null(strstr(r.out, "Plans too close to call on a goal (none missed), cheapest first"));
    assert_non_null(strstr(r.out, "Plans that miss a goal, cheapest first"));
    assert_fits(r.out, 100);
    assert_non_null(strstr(r.err, "12 plans run now, 0 done before"));
    assert_null(strstr(r.err, "plans/s"));   /* no progress bar: stderr is not a terminal */
    assert_int_equal(test_db_query(DB("rank.db"), "SELECT count(*) FROM plans"), 12);
    /* the ranking: plans meeting every goal first, cheapest first */
    assert_int_equal(test_db_query(DB("rank.db"), "SELECT count(*) FROM summary WHERE metric = 'total_cost'"), 12);
    /* started again, it has nothing left to do and reports the same */
    static struct run again;
    run(&again, "sweep scenarios/dealership.yaml --reps 30 --db " DB("rank.db"));
    assert_int_equal(again.code, 0);
    assert_string_equal(again.out, r.out);
    assert_non_null(strstr(again.err, "nothing left to run"));
    test_db_remove(DB("rank.db"));
}

static void plans_sweep_is_the_same_whatever_jobs(void **state)
{
    (void)state;
    static struct run r;
    test_db_remove(DB("j1.db"));
    test_db_remove(DB("j2.db"));
    run(&r, SWEEP "--db " DB("j1.db") " --jobs 1 --format csv -o " DB("j1.csv"));
    assert_int_equal(r.code, 0);
    run(&r, SWEEP "--db " DB("j2.db") " --jobs 2 --format csv -o " DB("j2.csv"));
    assert_int_equal(r.code, 0);
    assert_true(same_file(DB("j1.csv"), DB("j2.csv")));
    assert_int_equal(lines_starting(DB("j1.csv"), "\"sales.staff+=0, pools.floater.staff=2\",cost,plan,total_cost,"), 1);
    test_db_remove(DB("j1.db"));
    test_db_remove(DB("j2.db"));
    unlink(DB("j1.csv"));
    unlink(DB("j2.csv"));
}

static void plans_sweep_shards_merged_equal_one_process(void **state)
{
    (void)state;
    static struct run r;
    const char *dbs[] = {DB("one.db"), DB("s1.db"), DB("s2.db"), DB("s3.db"), DB("all.db")};
    for (size_t i = 0; i < 5; i++)
        test_db_remove(dbs[i]);
    run(&r, SWEEP "--db " DB("one.db") " --format csv -o " DB("one.csv"));
    assert_int_equal(r.code, 0);
    for (int i = 1; i <= 3; i++) {
        char args[512];
        snprintf(args, sizeof args, SWEEP "--shard %d/3 --db " CXSIM_TEST_TMP "/sweep-s%d.db -o /dev/null", i, i);
        run(&r, args);
        assert_int_equal(r.code, 0);
        assert_non_null(strstr(r.err, "4 plans run now"));
    }
    /* two of three shards: the merge says what is missing */
    run(&r, "merge " DB("all.db") " " DB("s1.db") " " DB("s3.db"));
    assert_int_equal(r.code, 0);
    assert_non_null(strstr(r.err, "holds 8 of 12 plans; 4 missing (1, 4, 7, 10;"));
    assert_non_null(strstr(r.err, "--seed 20261122 --reps 5 --db " DB("all.db")));
    /* the last shard joins the merged database */
    run(&r, "merge " DB("all.db") " " DB("all.db") " " DB("s2.db"));
    assert_int_equal(r.code, 0);
    assert_non_null(strstr(r.err, "holds all 12 plans"));
    run(&r, SWEEP "--db " DB("all.db") " --format csv -o " DB("all.csv"));
    assert_int_equal(r.code, 0);
    assert_non_null(strstr(r.err, "nothing left to run"));
    assert_true(same_file(DB("one.csv"), DB("all.csv")));
    /* and a partial merge is completed by the sweep itself */
    test_db_remove(DB("all.db"));
    run(&r, "merge " DB("all.db") " " DB("s1.db"));
    run(&r, SWEEP "--db " DB("all.db") " --format csv -o " DB("all.csv"));
    assert_int_equal(r.code, 0);
    assert_non_null(strstr(r.err, "8 plans run now, 4 done before"));
    assert_true(same_file(DB("one.csv"), DB("all.csv")));
    for (size_t i = 0; i < 5; i++)
        test_db_remove(dbs[i]);
    unlink(DB("one.csv"));
    unlink(DB("all.csv"));
}

/* Issue 23: a sweep's plan names were cut at 64 characters in the text and
 * HTML reports, so plans differing in their last parameter looked alike.
 * Now the HTML ranking has a column per swept parameter, and the text one
 * too while they fit (four), else each name whole under the table: no two
 * ranks read the same. */
#define FIVE "sweep scenarios/dealership.yaml --reps 2 --grid departments.sales.staff=3,4 " \
             "--grid departments.credit.staff=3,4 --grid departments.reception.shifts.0.count=1,2 " \
             "--grid departments.insurance.shifts.0.count=1,2 --grid pools.floater.staff=0,1 "
static void plans_sweep_reports_name_every_plan_whole(void **state)
{
    (void)state;
    static struct run r;
    test_db_remove(DB("five.db"));
    run(&r, FIVE "--db " DB("five.db"));
    assert_int_equal(r.code, 0);
    /* the names listed under the tables: each whole, every one different */
    static char names[32][256];
    size_t n = 0;
    for (const char *p = strstr(r.out, "\nrank  plan\n"); p; p = strstr(p + 1, "\nrank  plan\n"))
        for (const char *line = p + 12; *line == ' ' && n < 32; line = strchr(line, '\n') + 1) {
            const char *name = line + strspn(line, " 0123456789");
            snprintf(names[n], sizeof names[n], "%.*s", (int)strcspn(name, "\n"), name);
            assert_non_null(strstr(names[n], "sales.staff="));
            assert_non_null(strstr(names[n], ", pools.floater.staff="));   /* the last parameter too */
            for (size_t k = 0; k < n; k++)
                assert_string_not_equal(names[k], names[n]);
            n++;
        }
    assert_true(n >= 20);   /* each group lists its first 20 */
    /* HTML: a column per parameter, its value in each row */
    run(&r, FIVE "--db " DB("five.db") " --format html -o " DB("five.html"));
    assert_int_equal(r.code, 0);
    static char html[1 << 20];
    slurp(DB("five.html"), html, sizeof html);
    assert_non_null(strstr(html, "<th>rank</th><th>sales.staff</th><th>credit.staff</th><th>reception.shifts.0.count"
                                 "</th><th>insurance.shifts.0.count</th><th>pools.floater.staff</th><th>total cost"));
    /* four parameters: a column each in the text too */
    run(&r, "sweep scenarios/dealership.yaml --reps 2 --grid departments.sales.staff=3,4 --grid "
            "departments.credit.staff=3,4 --grid departments.reception.shifts.0.count=1,2 --grid "
            "pools.floater.staff=0,1 --db " DB("four.db"));
    assert_int_equal(r.code, 0);
    assert_non_null(strstr(r.out, "sales.staff  credit.staff  reception.shifts.0.count  pools.floater.staff"));
    assert_null(strstr(r.out, "rank  plan"));
    test_db_remove(DB("five.db"));
    test_db_remove(DB("four.db"));
    unlink(DB("five.html"));
}

/* Issue 23: --rank-by METRIC[:high] orders each group (meeting every goal,
 * too close to call, missing one) by that metric in place of cost: its
 * figure in the table, the answer's sentences naming it; a metric the
 * scenario has not, or a CSV (every plan, in grid order), is refused. */
static void plans_sweep_rank_by_orders_each_group(void **state)
{
    (void)state;
    static struct run r;
    test_db_remove(DB("rank.db"));
    for (int high = 0; high < 2; high++) {
        run(&r, high ? SWEEP "--db " DB("rank.db") " --rank-by journeys.external.satisfaction_mean:high"
                     : SWEEP "--db " DB("rank.db") " --rank-by departments.sales.wait_mean");
        assert_int_equal(r.code, 0);
        const char *label = high ? "journeys.external.satisfaction_mean" : "departments.sales.wait_mean";
        char heading[160];
        snprintf(heading, sizeof heading, ", by %s, %s first\n", label, high ? "highest" : "lowest");
        size_t groups = 0, rows = 0;
        for (const char *p = strstr(r.out, heading); p; p = strstr(p + 1, heading)) {
            const char *line = strchr(strchr(p + 1, '\n') + 1, '\n') + 1;   /* past the table's head */
            double last = high ? INFINITY : -INFINITY, v;
            for (; sscanf(line, "%*d %*s %*s %lf", &v) == 1; line = strchr(line, '\n') + 1, rows++) {
                if (high ? v > last : v < last) {
                    print_error("out of order by %s:\n%s\n", label, r.out);
                    fail();
                }
                last = v;
            }
            groups++;
        }
        assert_true(groups >= 2);
        assert_int_equal(rows, 12);
        char said[200];
        snprintf(said, sizeof said, "the one with the %s %s", high ? "highest" : "lowest", label);
        assert_non_null(strstr(r.out, said));
    }
    run(&r, SWEEP "--db " DB("rank.db") " --rank-by departments.nowhere.wait_mean");
    assert_int_equal(r.code, 64);
    assert_non_null(strstr(r.err, "--rank-by must name a metric as the JSON report does"));
    run(&r, SWEEP "--db " DB("rank.db") " --rank-by cost.total_cost --format csv");
    assert_int_equal(r.code, 64);
    assert_non_null(strstr(r.err, "--rank-by orders the text and HTML rankings"));
    run(&r, SWEEP "--db " DB("rank.db") " --rank-by cost.staff_cost --format html -o " DB("rank.html"));
    assert_int_equal(r.code, 0);
    static char html[1 << 20];
    slurp(DB("rank.html"), html, sizeof html);
    assert_non_null(strstr(html, "<th>pools.floater.staff</th><th>cost.staff_cost</th><th>total cost</th>"));
    unlink(DB("rank.html"));
    test_db_remove(DB("rank.db"));
}

/* Issue 23: a database of 288 plans x 1,000 replications reached 1.08 GB.
 * --summaries-only stores each metric's summary, not every replication's
 * value: the same ranking, a fraction of the file, JSON without values;
 * and a sweep that will write much says so before it starts. */
static void plans_sweep_summaries_only_keeps_the_ranking_small(void **state)
{
    (void)state;
    static struct run r;
    static char whole[65536];
    test_db_remove(DB("whole5.db"));
    test_db_remove(DB("small5.db"));
    run(&r, "sweep scenarios/dealership.yaml --reps 200 --db " DB("whole5.db"));
    assert_int_equal(r.code, 0);
    snprintf(whole, sizeof whole, "%s", r.out);
    run(&r, "sweep scenarios/dealership.yaml --reps 200 --summaries-only --db " DB("small5.db"));
    assert_int_equal(r.code, 0);
    assert_string_equal(r.out, whole);   /* the same plans, the same figures, the same ranking */
    struct stat a, b;
    assert_int_equal(stat(DB("whole5.db"), &a), 0);
    assert_int_equal(stat(DB("small5.db"), &b), 0);
    assert_true(b.st_size * 4 < a.st_size);
    json_t *doc = run_json("sweep scenarios/dealership.yaml --reps 200 --db " DB("small5.db") " --format json");
    json_t *cost = json_object_get(json_object_get(json_array_get(json_object_get(doc, "plans"), 0), "cost"),
                                   "total_cost");
    assert_non_null(json_object_get(cost, "mean"));
    assert_null(json_object_get(cost, "values"));
    json_decref(doc);
    test_db_remove(DB("whole5.db"));
    test_db_remove(DB("small5.db"));
    /* a large one says what it will take, before it starts */
    test_db_remove(DB("large.db"));
    pid_t pid = run_background_to("sweep scenarios/dealership.yaml --reps 10000 --db " DB("large.db") " -o /dev/null",
                                  DB("large.err"));
    static char err[4096];
    for (int i = 0; i < 1200 && !strstr(err, "MB\n"); i++) {   /* up to two minutes (valgrind) */
        nanosleep(&(struct timespec){0, 100000000}, NULL);
        FILE *f = fopen(DB("large.err"), "r");
        if (f) {
            err[fread(err, 1, sizeof err - 1, f)] = '\0';
            fclose(f);
        }
    }
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    assert_non_null(strstr(err, "cxsim: sweep: this will add about "));
    assert_non_null(strstr(err, " GB to " DB("large.db") " (12 plans x 10000 replications x "));
    assert_non_null(strstr(err, "cxsim: sweep: --summaries-only keeps each figure's mean, interval and SD"));
    test_db_remove(DB("large.db"));
    unlink(DB("large.err"));
}

/* Issue 23: merge's advice, "run 'cxsim sweep SCENARIO --db OUT'", failed
 * for a sweep made with --grid, --set or --seed ("another grid"): it now
 * prints the sweep that completes OUT, which, run as printed, runs the
 * missing plans and keeps the merged ones. */
static void plans_merge_prints_the_sweep_that_completes_it(void **state)
{
    (void)state;
    static struct run r;
    test_db_remove(DB("m1.db"));
    test_db_remove(DB("mall.db"));
    run(&r, "sweep scenarios/dealership.yaml --reps 3 --seed 5 --set departments.credit.staff=3 "
            "--set 'customers.buyer.patience.mean=30' --grid departments.sales.staff=2..4 "
            "--grid pools.floater.staff=0,1 --shard 1/2 --db " DB("m1.db") " -o /dev/null");
    assert_int_equal(r.code, 0);
    run(&r, "merge " DB("mall.db") " " DB("m1.db"));
    assert_int_equal(r.code, 0);
    assert_non_null(strstr(r.err, "holds 3 of 6 plans; 3 missing (1, 3, 5;"));
    const char *cmd = strstr(r.err, "\n  cxsim sweep ");
    assert_non_null(cmd);
    char args[2048];
    snprintf(args, sizeof args, "%.*s -o /dev/null", (int)strcspn(cmd + 9, "\n"), cmd + 9);
    assert_non_null(strstr(args, "--seed 5 --reps 3 --db " DB("mall.db")));
    assert_non_null(strstr(args, "--grid 'departments.sales.staff=[2, 3, 4]'"));
    run(&r, args);   /* as printed, after "cxsim" */
    assert_int_equal(r.code, 0);
    assert_non_null(strstr(r.err, "3 plans run now, 3 done before"));
    assert_non_null(strstr(r.err, "holds 6 of 6"));
    test_db_remove(DB("m1.db"));
    test_db_remove(DB("mall.db"));
}

/* Starts a sweep in the background; returns its pid. */
#define BIG "sweep scenarios/dealership.yaml --reps 8 --grid departments.credit.staff=1,2,3,4 " \
            "--grid 'departments.sales.staff={from: 2, to: 7}' --grid pools.floater.staff=0,1,2,3,4 "

/* Issue 23: Ctrl-C in a sweep said nothing. Now the first SIGINT stops
 * it once the plans under way are saved, and it says how many plans the
 * database holds and the command that goes on; it still dies of the signal
 * (the shell sees 130); that command, run as printed, runs the rest. */
static void plans_sweep_ctrl_c_says_what_is_saved(void **state)
{
    (void)state;
    static struct run r;
    test_db_remove(DB("ctrlc.db"));
    pid_t pid = run_background_to(BIG "--reps 100 --db " DB("ctrlc.db") " -o /dev/null", DB("ctrlc.err"));
    long long held = 0;
    for (int i = 0; i < 600000 && held < 3; i++) {   /* two minutes at most (valgrind) */
        nanosleep(&(struct timespec){0, 200000}, NULL);
        held = test_db_query(DB("ctrlc.db"), "SELECT count(*) FROM plans");
    }
    assert_true(held >= 3);
    kill(pid, SIGINT);
    int status;
    waitpid(pid, &status, 0);
    assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGINT);
    static char err[8192];
    slurp(DB("ctrlc.err"), err, sizeof err);
    held = test_db_query(DB("ctrlc.db"), "SELECT count(*) FROM plans");
    char said[128];
    snprintf(said, sizeof said, "cxsim: sweep: stopped; %lld of 120 plans are saved in " DB("ctrlc.db"), held);
    if (!strstr(err, said) || held >= 120) {
        print_error("%lld plans held; it said:\n%s\n", held, err);
        fail();
    }
    const char *again = strstr(err, "where it stopped:\n  cxsim ");
    assert_non_null(again);
    again += strlen("where it stopped:\n  cxsim ");
    char args[1024];
    snprintf(args, sizeof args, "%.*s", (int)strcspn(again, "\n"), again);
    run(&r, args);
    assert_int_equal(r.code, 0);
    snprintf(said, sizeof said, "%lld plans run now, %lld done before", 120 - held, held);
    assert_non_null(strstr(r.err, said));
    test_db_remove(DB("ctrlc.db"));
    unlink(DB("ctrlc.err"));
}

/* Killed with SIGKILL eight times at scattered moments — while it creates
 * the database, right after it starts, and when 9 to 86 of its 120 plans
 * are in, each moment shifted by a fraction of a millisecond — and started
 * again each time: after every kill the database is whole and holds every
 * plan it held before; at the end it holds each plan once, the same as a
 * sweep never killed. */
static void plans_sweep_killed_and_resumed_loses_nothing(void **state)
{
    (void)state;
    static struct run r;
    test_db_remove(DB("whole.db"));
    test_db_remove(DB("killed.db"));
    run(&r, BIG "--db " DB("whole.db") " --format csv -o " DB("whole.csv"));
    assert_int_equal(r.code, 0);
    /* kill when this many plans are in (0: after `jitter` microseconds) */
    const long long at[] = {0, 0, 9, 23, 38, 52, 70, 86};
    const long jitter_us[] = {300, 4000, 150, 900, 0, 600, 450, 750};
    long long before = 0;
    int killed = 0;
    for (size_t k = 0; k < sizeof at / sizeof at[0]; k++) {
        pid_t pid = run_background(BIG "--db " DB("killed.db") " -o /dev/null");
        long long held = 0;
        for (int i = 0; i < 20000 && at[k] > 0 && held < at[k]; i++) {
            nanosleep(&(struct timespec){0, 200000}, NULL);
            held = test_db_query(DB("killed.db"), "SELECT count(*) FROM plans");
        }
        nanosleep(&(struct timespec){0, jitter_us[k] * 1000}, NULL);
        kill(pid, SIGKILL);
        int status;
        waitpid(pid, &status, 0);
        killed += WIFSIGNALED(status);
        held = test_db_query(DB("killed.db"), "SELECT count(*) FROM plans");
        if (held < 0)
            held = 0;   /* killed before the database had its tables */
        if (held < before || held >= 120 ||
            (held > 0 && test_db_query(DB("killed.db"), "SELECT count(*) FROM pragma_integrity_check "
                                                "WHERE integrity_check = 'ok'") != 1)) {
            print_error("kill %zu: %lld plans held after it, %lld before (of 120)\n", k + 1, held, before);
            fail();
        }
        before = held;
    }
    assert_int_equal(killed, 8);
    run(&r, BIG "--db " DB("killed.db") " --format csv -o " DB("killed.csv"));
    assert_int_equal(r.code, 0);
    assert_non_null(strstr(r.err, "done before"));
    assert_true(same_file(DB("whole.csv"), DB("killed.csv")));
    assert_int_equal(test_db_query(DB("killed.db"), "SELECT count(*) FROM plans"), 120);
    assert_int_equal(test_db_query(DB("killed.db"), "SELECT count(*) FROM results"),
                     test_db_query(DB("whole.db"), "SELECT count(*) FROM results"));
    assert_int_equal(test_db_query(DB("killed.db"), "SELECT count(*) FROM scopes"),
                     test_db_query(DB("whole.db"), "SELECT count(*) FROM scopes"));
    assert_int_equal(test_db_query(DB("killed.db"), "SELECT count(*) FROM pragma_integrity_check WHERE integrity_check = 'ok'"),
                     1);
    test_db_remove(DB("whole.db"));
    test_db_remove(DB("killed.db"));
    unlink(DB("whole.csv"));
    unlink(DB("killed.csv"));
}

static void plans_sweep_two_processes_share_one_database(void **state)
{
    (void)state;
    static struct run r;
    test_db_remove(DB("alone.db"));
    test_db_remove(DB("shared.db"));
    run(&r, SWEEP "--db " DB("alone.db") " --format csv -o " DB("alone.csv"));
    assert_int_equal(r.code, 0);
    /* both create the same new database and write the same plans: each
     * plan is written once, by whichever commits it first */
    pid_t other = run_background(SWEEP "--db " DB("shared.db") " -o /dev/null");
    run(&r, SWEEP "--db " DB("shared.db") " -o /dev/null");
    int status;
    waitpid(other, &status, 0);
    assert_int_equal(r.code, 0);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    assert_int_equal(test_db_query(DB("shared.db"), "SELECT count(*) FROM plans"), 12);
    run(&r, SWEEP "--db " DB("shared.db") " --format csv -o " DB("shared.csv"));
    assert_true(same_file(DB("alone.csv"), DB("shared.csv")));
    test_db_remove(DB("alone.db"));
    test_db_remove(DB("shared.db"));
    unlink(DB("alone.csv"));
    unlink(DB("shared.csv"));
}

static void plans_sweep_refuses_another_sweeps_database(void **state)
{
    (void)state;
    static struct run r;
    test_db_remove(DB("mine.db"));
    run(&r, SWEEP "--db " DB("mine.db") " -o /dev/null");
    assert_int_equal(r.code, 0);
    static const struct {
        const char *args, *says;
    } cases[] = {
        {SWEEP "--seed 3", "holds a sweep with another seed (20261122 there, 3 here)"},
        {"sweep scenarios/dealership.yaml --reps 4", "another number of replications (5 there, 4 here)"},
        {SWEEP "--set departments.credit.staff=4", "holds a sweep with other --set overrides"},
        {SWEEP "--grid departments.credit.staff=1,2", "holds a sweep over another grid"},
        {"sweep tests/scenarios/spec_example.yaml --reps 5", "holds a sweep of another scenario"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char args[512];
        snprintf(args, sizeof args, "%s --db %s -o /dev/null", cases[i].args, DB("mine.db"));
        run(&r, args);
        assert_int_equal(r.code, 73);
        if (!strstr(r.err, cases[i].says)) {
            print_error("%s: %s\n", cases[i].args, r.err);
            fail();
        }
    }
    assert_int_equal(test_db_query(DB("mine.db"), "SELECT count(*) FROM plans"), 12);
    FILE *f = fopen(DB("junk.db"), "w");
    fputs("not a database, but the user's notes\n", f);
    fclose(f);
    run(&r, SWEEP "--db " DB("junk.db"));
    assert_int_equal(r.code, 73);
    assert_non_null(strstr(r.err, "is not a cxsim sweep database"));
    run(&r, "merge " DB("m.db") " " DB("mine.db") " " DB("junk.db"));
    assert_int_equal(r.code, 66);
    run(&r, "merge " DB("m.db") " " DB("mine.db") " " DB("absent.db"));
    assert_int_equal(r.code, 66);
    test_db_remove(DB("other.db"));
    run(&r, SWEEP "--seed 9 --db " DB("other.db") " -o /dev/null");
    run(&r, "merge " DB("m.db") " " DB("mine.db") " " DB("other.db"));
    assert_int_equal(r.code, 65);
    assert_non_null(strstr(r.err, "hold different sweeps"));
    assert_int_equal(access(DB("m.db"), F_OK), -1);   /* nothing half-written */
    run(&r, "merge /nonexistent/dir/m.db " DB("mine.db"));
    assert_int_equal(r.code, 73);
    run(&r, "merge " DB("m.db"));
    assert_int_equal(r.code, 64);
    test_db_remove(DB("mine.db"));
    test_db_remove(DB("other.db"));
    unlink(DB("junk.db"));
}

static void plans_sweep_guards_and_mistakes(void **state)
{
    (void)state;
    static struct run r;
    run(&r, SWEEP "--max-plans 10 --db " DB("never.db"));
    assert_int_equal(r.code, 64);
    assert_non_null(strstr(r.err, "the grid has 12 plans, more than --max-plans (10): pass --max-plans 12"));
    assert_int_equal(access(DB("never.db"), F_OK), -1);
    run(&r, "sweep tests/scenarios/spec_steady.yaml --db " DB("never.db"));
    assert_int_equal(r.code, 65);
    assert_non_null(strstr(r.err, "has no sweep"));
    run(&r, SWEEP "--grid departments.credit.staff=1,x --db " DB("never.db"));
    assert_int_equal(r.code, 65);
    assert_non_null(strstr(r.err, "--grid:1:28: error:"));
    assert_non_null(strstr(r.err, "departments.credit.staff=1,x\n                           ^"));
    const char *bad[] = {"--shard 0/2", "--shard 3/2", "--shard 1", "--jobs 0", "--max-plans -1", "--format html5"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char args[256];
        snprintf(args, sizeof args, SWEEP "%s --db %s", bad[i], DB("never.db"));
        run(&r, args);
        assert_int_equal(r.code, 64);
    }
    run(&r, "sweep");
    assert_int_equal(r.code, 64);
    assert_int_equal(access(DB("never.db"), F_OK), -1);
}

static void plans_sweep_json_holds_every_plan(void **state)
{
    (void)state;
    test_db_remove(DB("json.db"));
    json_t *doc = run_json(SWEEP "--db " DB("json.db") " --format json");
    json_t *plans = json_object_get(doc, "plans");
    assert_int_equal(json_array_size(plans), 12);
    json_t *p5 = json_array_get(plans, 5);
    assert_string_equal(json_string_value(json_object_get(p5, "name")), "sales.staff+=0, pools.floater.staff=2");
    json_t *params = json_object_get(p5, "params");
    /* issue 23: each swept parameter's value, a number as a number */
    assert_true(json_is_integer(json_object_get(params, "departments.sales.staff+=")));
    assert_int_equal(json_integer_value(json_object_get(params, "departments.sales.staff+=")), 0);
    assert_int_equal(json_integer_value(json_object_get(params, "pools.floater.staff")), 2);
    json_t *cost = json_object_get(json_object_get(p5, "cost"), "total_cost");
    assert_int_equal(json_integer_value(json_object_get(cost, "n")), 5);
    assert_int_equal(json_array_size(json_object_get(cost, "values")), 5);
    json_decref(doc);
    /* and the CSV: a column per swept parameter after n, its value in every row */
    static struct run r;
    static char csv[1 << 22];
    run(&r, SWEEP "--db " DB("json.db") " --format csv -o " DB("json.csv"));
    assert_int_equal(r.code, 0);
    slurp(DB("json.csv"), csv, sizeof csv);
    unlink(DB("json.csv"));
    assert_true(strlen(csv) < sizeof csv - 1);
    assert_true(!strncmp(csv, "plan,scope,name,metric,mean,ci_low,ci_high,sd,n,departments.sales.staff+=,"
                                "pools.floater.staff\r\n", 89));
    assert_non_null(strstr(csv, "\r\n\"sales.staff+=0, pools.floater.staff=2\",cost,plan,total_cost,"));
    for (const char *line = strstr(csv, "\r\n") + 2; *line; line = strstr(line, "\r\n") + 2) {
        const char *end = strstr(line, "\r\n");
        const char *comma = end;   /* the last two fields: the plan's values, as its name says them */
        while (comma > line && comma[-1] != ',')
            comma--;
        const char *before = comma - 1;
        while (before > line && before[-1] != ',')
            before--;
        char want[128];
        snprintf(want, sizeof want, "sales.staff+=%.*s, pools.floater.staff=%.*s\"", (int)(comma - 1 - before), before,
                 (int)(end - comma), comma);
        assert_int_equal(strncmp(line + 1, want, strlen(want)), 0);
    }
    test_db_remove(DB("json.db"));
}

static void plans_sweep_plan_is_the_run_of_that_plan(void **state)
{
    (void)state;
    /* Plan 5 of the built-in grid, through the database, against cxsim run
     * of the same plan: every metric, every replication, NaNs included. */
    test_db_remove(DB("same.db"));
    json_t *sweep = run_json(SWEEP "--db " DB("same.db") " --format json");
    json_t *single = run_json("run scenarios/dealership.yaml --reps 5 --set departments.sales.staff+=0 "
                              "--set pools.floater.staff=2 --format json");
    json_t *a = json_array_get(json_object_get(sweep, "plans"), 5);
    json_t *b = json_array_get(json_object_get(single, "plans"), 0);
    static const char *const parts[] = {"departments", "classes", "journeys", "cost", "pools",
                                        "overloaded_replications"};
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
        if (!json_equal(json_object_get(a, parts[i]), json_object_get(b, parts[i]))) {
            print_error("plan 5's %s differs from cxsim run's\n", parts[i]);
            fail();
        }
    /* a metric no replication measured is null in both */
    json_t *nan = json_object_get(json_object_get(json_object_get(json_object_get(json_object_get(json_object_get(a,
                      "departments"), "sales"), "hour"), "after_close"), "staff"), "mean");
    assert_true(json_is_null(nan));
    json_decref(sweep);
    json_decref(single);
    test_db_remove(DB("same.db"));
}

static void plans_sweep_draws_progress_only_on_a_terminal(void **state)
{
    (void)state;
    if (system("command -v script >/dev/null 2>&1") != 0) {
        print_message("(skipped: no 'script' to make a terminal)\n");
        return;
    }
    test_db_remove(DB("tty.db"));
    /* script(1) runs the sweep with a terminal on stderr */
    const char *bin = getenv("CXSIM_BIN");
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "script -qec '%s " SWEEP "--db " DB("tty.db") " -o /dev/null' /dev/null > " DB("tty.txt"),
             bin ? bin : "./cxsim");
    assert_int_equal(system(cmd), 0);
    char out[8192];
    slurp(DB("tty.txt"), out, sizeof out);
    assert_non_null(strstr(out, "12/12 plans"));
    assert_non_null(strstr(out, "[##############################]"));
    assert_non_null(strstr(out, "plans/s"));
    test_db_remove(DB("tty.db"));
    unlink(DB("tty.txt"));
}

static void plans_sweep_across_mpi_ranks_writes_the_same_database(void **state)
{
    (void)state;
    const char *bin = mpi_bin();
    if (!bin)
        return;
    static struct run r;
    test_db_remove(DB("local.db"));
    run(&r, SWEEP "--db " DB("local.db") " --format csv -o " DB("local.csv"));
    assert_int_equal(r.code, 0);
    const char *mpirun = mpi_run();
    for (int np = 2; np <= 3; np++) {
        test_db_remove(DB("mpi.db"));
        char cmd[1024];
        snprintf(cmd, sizeof cmd, "%s -np %d %s " SWEEP "--db " DB("mpi.db") " --format csv -o " DB("mpi.csv")
                 " >/dev/null 2>" DB("mpi.err"), mpirun, np, bin);
        int status = system(cmd);
        assert_true(WIFEXITED(status));
        assert_int_equal(WEXITSTATUS(status), 0);
        assert_true(same_file(DB("local.csv"), DB("mpi.csv")));
        assert_int_equal(test_db_query(DB("mpi.db"), "SELECT count(*) FROM plans"), 12);
        char err[2048];
        slurp(DB("mpi.err"), err, sizeof err);
        assert_non_null(strstr(err, "12 plans run now by MPI ranks"));
    }
    /* rank 0's error is the job's exit code, said once, last */
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "%s -np 2 %s " SWEEP "--seed 4 --db " DB("mpi.db"), mpirun, bin);
    run_shell(&r, cmd, NULL);
    assert_mpi_error_last(&r, 73, "holds a sweep with another seed");
    test_db_remove(DB("local.db"));
    test_db_remove(DB("mpi.db"));
    unlink(DB("local.csv"));
    unlink(DB("mpi.csv"));
    unlink(DB("mpi.err"));
}

TEST_TABLE(test_cli_plans, cmocka_unit_test(plans_compare_tells_each_variant_in_a_sentence),
           cmocka_unit_test(plans_compare_is_the_same_whatever_jobs),
           cmocka_unit_test(plans_compare_json_has_the_differences),
           cmocka_unit_test(plans_compare_without_variants_says_how_to_add_them),
           cmocka_unit_test(plans_each_command_builds_what_it_runs),
           cmocka_unit_test(plans_reps_auto_settles_every_goal),
           cmocka_unit_test(plans_sweep_ranks_the_dealership_grid),
           cmocka_unit_test(plans_sweep_is_the_same_whatever_jobs),
           cmocka_unit_test(plans_sweep_shards_merged_equal_one_process),
           cmocka_unit_test(plans_merge_prints_the_sweep_that_completes_it),
           cmocka_unit_test(plans_sweep_reports_name_every_plan_whole),
           cmocka_unit_test(plans_sweep_rank_by_orders_each_group),
           cmocka_unit_test(plans_sweep_summaries_only_keeps_the_ranking_small),
           cmocka_unit_test(plans_sweep_ctrl_c_says_what_is_saved),
           cmocka_unit_test(plans_sweep_killed_and_resumed_loses_nothing),
           cmocka_unit_test(plans_sweep_two_processes_share_one_database),
           cmocka_unit_test(plans_sweep_refuses_another_sweeps_database),
           cmocka_unit_test(plans_sweep_guards_and_mistakes), cmocka_unit_test(plans_sweep_json_holds_every_plan),
           cmocka_unit_test(plans_sweep_plan_is_the_run_of_that_plan),
           cmocka_unit_test(plans_sweep_draws_progress_only_on_a_terminal),
           cmocka_unit_test(plans_sweep_across_mpi_ranks_writes_the_same_database))
