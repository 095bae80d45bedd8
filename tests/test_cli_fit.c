/* tests/test_cli_fit.c — cxsim fit and cxsim validate through the program
 * (issue 21): a bad log is refused at its line and column with the line
 * and a caret (65), as a bad scenario is; the scenario written reads back
 * and runs, the same every time; validate writes every format, and says
 * the sample log and the scenario fitted to it agree.
 */
#include "tests/testutil.h"
#include "tests/clirun.h"

#include <jansson.h>

#define TMP(name) CXSIM_TEST_TMP "/clifit-" name

static const char head[] = "visit,department,arrived,started,ended,class,outcome\n";
static const char good[] = "a,desk,2026-11-02T09:00:00,2026-11-02T09:01:00,2026-11-02T09:05:00,walkin,served\n";

/* Each bad line after a good one (line 3 of the file), its column and
 * words. */
static void fit_refuses_a_bad_log_at_its_line_and_column(void **state)
{
    (void)state;
    static const struct {
        const char *line;
        int col;
        const char *says;
    } cases[] = {
        {"b,desk,2026-11-02T9:00,2026-11-02T09:01:00,2026-11-02T09:05:00,walkin,served", 8,
         "is not a date and time"},
        {"b,desk,2026-11-02T09:00:00,2026-11-02T09:03:00,2026-11-02T09:02:00,walkin,served", 48,
         "the service ended before it started"},
        {"b,desk,2026-11-02T09:00:00,2026-11-02T08:03:00,2026-11-02T09:05:00,walkin,served", 28,
         "the service started before the customer arrived"},
        {"b,desk,2026-11-02T09:00:00,,2026-11-02T09:05:00,walkin,gone", 56, "unknown outcome 'gone'"},
        {"b,desk,2026-11-02T09:00:00,,2026-11-02T09:05:00,walkin,served", 28, "served, but no start time"},
        {"a,desk,2026-11-03T09:00:00,2026-11-03T09:01:00,2026-11-03T09:05:00,walkin,served", 1,
         "visit 'a' is on 2026-11-03 and on a day before"},
        {"b,desk,2026-11-01T09:00:00,2026-11-01T09:01:00,2026-11-01T09:05:00,walkin,served", 8,
         "this visit arrived on 2026-11-01, after visits of 2026-11-02: a log comes day by day"},
        {"b,desk,2026-11-02T09:00:00,2026-11-02T08:59:00,,walkin,", 28, "the service started before the customer arrived"},
        {"b,desk,2026-11-02T09:00:00", 27, "3 fields, the header has 7 or more"},
        {"b,,2026-11-02T09:00:00,2026-11-02T09:01:00,2026-11-02T09:05:00,walkin,served", 3, "no department"},
        {"\"b,desk,2026-11-02T09:00:00,2026-11-02T09:01:00,2026-11-02T09:05:00,walkin,served", 1,
         "a quoted field that does not end on its line"},
        {"b,desk,2026-02-30T09:00:00,2026-11-02T09:01:00,2026-11-02T09:05:00,walkin,served", 8,
         "is not a date and time"},
    };
    static struct run r;
    char text[1024], want[256];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        snprintf(text, sizeof text, "%s%s%s\n", head, good, cases[i].line);
        write_text(TMP("bad.csv"), text);
        run(&r, "fit " TMP("bad.csv"));
        snprintf(want, sizeof want, TMP("bad.csv") ":3:%d: error: ", cases[i].col);
        if (r.code != 65 || !strstr(r.err, want) || !strstr(r.err, cases[i].says) ||
            !strstr(r.err, cases[i].line) || !strstr(r.err, "^\n")) {
            print_error("case %zu: exit %d, stderr:\n%s\n(wanted %s ... %s)\n", i, r.code, r.err, want,
                        cases[i].says);
            fail();
        }
        /* the caret under the column */
        const char *line = strstr(r.err, cases[i].line), *caret = strchr(line, '\n') + 1;
        assert_int_equal((int)(strchr(caret, '^') - caret) + 1, cases[i].col);
        assert_int_equal(r.out[0], '\0');   /* nothing written */
    }
    /* the header: a column missing, named with what the log has */
    write_text(TMP("bad.csv"), "visit,department,arrived,ended\na,desk,2026-11-02T09:00:00,2026-11-02T09:05:00\n");
    run(&r, "fit " TMP("bad.csv"));
    assert_int_equal(r.code, 65);
    assert_non_null(strstr(r.err, TMP("bad.csv") ":1:1: error: no column 'started' in the header (its columns: "
                                  "visit, department, arrived, ended); --map FIELD=COLUMN reads"));
    /* and mapped to another name, it reads */
    run(&r, "fit " TMP("bad.csv") " --map started=ended -o /dev/null");
    assert_int_equal(r.code, 0);
    run(&r, "fit " TMP("missing.csv"));
    assert_int_equal(r.code, 66);
    run(&r, "fit " TMP("bad.csv") " --map begun=ended");
    assert_int_equal(r.code, 64);
    assert_non_null(strstr(r.err, "'begun' is not a field of a log"));
    run(&r, "fit " TMP("bad.csv") " --interval 3");
    assert_int_equal(r.code, 64);
    write_text(TMP("bad.csv"), "");
    run(&r, "fit " TMP("bad.csv"));
    assert_int_equal(r.code, 65);
    assert_non_null(strstr(r.err, "is empty"));
    /* a mapped column that is not there, even of an optional field */
    snprintf(text, sizeof text, "%s%s", head, good);
    write_text(TMP("bad.csv"), text);
    run(&r, "fit " TMP("bad.csv") " --map class=kind");
    assert_int_equal(r.code, 65);
    assert_non_null(strstr(r.err, "no column 'kind' in the header"));
    unlink(TMP("bad.csv"));
}

/* What a queue system's export needs, read as it is: Excel's byte-order
 * mark before a quoted header, its own outcome words (a no-show called and
 * gone is a renege at the call), ticket numbers that restart every day,
 * 24:00, and rows with no class. */
static void fit_reads_a_queue_systems_export(void **state)
{
    (void)state;
    static struct run r;
    write_text(TMP("export.csv"),
               "\xEF\xBB\xBF\"Ticket\",\"Counter\",\"Created\",\"Called\",\"Closed\",\"Result\",\"Kind\"\r\n"
               "A1,desk,2026-03-09 09:00,2026-03-09 09:02,2026-03-09 09:07,completed,\r\n"
               "A2,desk,2026-03-09 09:03,2026-03-09 09:09,2026-03-09 09:09,no-show,\r\n"
               "A3,desk,2026-03-09 09:05,2026-03-09 09:09,2026-03-09 09:14,completed,vip\r\n"
               "A1,desk,2026-03-10 09:00,2026-03-10 09:00,2026-03-10 09:06,completed,\r\n"
               "A2,desk,2026-03-10 09:10,2026-03-10 09:12,2026-03-10 09:16,completed,\r\n"
               "A3,desk,2026-03-10 23:59,2026-03-10 24:00,2026-03-11 00:04,completed,\r\n");
    const char *maps = " --map visit=Ticket --map department=Counter --map arrived=Created --map started=Called"
                       " --map ended=Closed --map outcome=Result --map class=Kind";
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "fit " TMP("export.csv") "%s", maps);
    run(&r, cmd);
    assert_int_equal(r.code, 65);
    assert_non_null(strstr(r.err, "unknown outcome 'completed'"));
    assert_non_null(strstr(r.err, "--outcome 'completed=reneged' reads a word of your own"));
    snprintf(cmd, sizeof cmd, "fit " TMP("export.csv") "%s --outcome completed=served --outcome no-show=reneged", maps);
    run(&r, cmd);
    assert_int_equal(r.code, 65);
    assert_non_null(strstr(r.err, "visit 'A1' is on 2026-03-10 and on a day before"));
    snprintf(cmd, sizeof cmd, "fit " TMP("export.csv") "%s --outcome completed=served --outcome no-show=reneged "
             "--ids-per-day -o " TMP("export.yaml"), maps);
    run(&r, cmd);
    assert_int_equal(r.code, 0);
    static char text[65536];
    slurp(TMP("export.yaml"), text, sizeof text);
    assert_non_null(strstr(text, "# 6 visits of 6 journeys on 2 days (2026-03-09 to 2026-03-10)."));
    assert_non_null(strstr(text, "  customer:   # 5 journeys, 5 visits: 1 reneged"));   /* the no-show, at the call */
    assert_non_null(strstr(text, "  vip:   # 1 journey, 1 visit:"));
    unlink(TMP("export.csv"));
    unlink(TMP("export.yaml"));
}

/* The sample log: fit writes a scenario that run reads, the same bytes
 * every time, with its intervals in comments; validate says they agree,
 * in every format. */
static void fit_then_validate_the_sample_log(void **state)
{
    (void)state;
    static struct run r, again;
    unlink(TMP("fitted.yaml"));
    run(&r, "fit scenarios/data/dealership-log.csv -o " TMP("fitted.yaml"));
    assert_int_equal(r.code, 0);
    static char text[131072], text2[131072];
    slurp(TMP("fitted.yaml"), text, sizeof text);
    assert_non_null(strstr(text, "# Fitted by cxsim fit from dealership-log.csv:\n# 3637 visits of 1739 journeys on 20 "
                                 "days (2026-11-02 to 2026-11-27).\n"));
    for (const char *line = text; *line; line = strchr(line, '\n') + 1) {   /* every line fits 100 columns */
        assert_true(strchr(line, '\n') - line <= 100);
    }
    assert_non_null(strstr(text, "  reception:"));
    assert_non_null(strstr(text, "    service: {dist: lognormal, mean: "));
    assert_non_null(strstr(text, "  default: {dist: uniform, min: 1, max: 3}"));
    assert_non_null(strstr(text, "  \"credit->sales\": {dist: constant, value: 2}"));
    assert_non_null(strstr(text, "      reception: {credit: 0.6128, sales: 0.3872}\n"));
    assert_non_null(strstr(text, "# of 891 served visits; 95%: credit 0.580-0.644, sales 0.356-0.420"));
    run(&r, "fit scenarios/data/dealership-log.csv");   /* to stdout: the same bytes */
    slurp(TMP("fitted.yaml"), text2, sizeof text2);
    assert_string_equal(r.out, text);
    run(&again, "run " TMP("fitted.yaml") " --reps 3");
    assert_int_equal(again.code, 0);
    run(&r, "validate " TMP("fitted.yaml") " scenarios/data/dealership-log.csv");
    assert_int_equal(r.code, 0);
    assert_non_null(strstr(r.out, "cxsim validate: dealership-log.csv (fitted) against dealership-log.csv\n"));
    assert_non_null(strstr(r.out, " comparisons "));
    assert_non_null(strstr(r.out, "\nsales "));
    assert_non_null(strstr(r.out, "\nwhole day "));
    assert_fits(r.out, 100);
    run(&r, "validate " TMP("fitted.yaml") " scenarios/data/dealership-log.csv --format csv");
    assert_int_equal(r.code, 0);
    static const char csv_head[] = "department,from,to,figure,log,log_low,log_high,model,model_low,model_high,p,"
                                   "differ\r\n";
    assert_int_equal(strncmp(r.out, csv_head, strlen(csv_head)), 0);
    assert_non_null(strstr(r.out, "\"sales\",day,day,wait_mean,"));
    json_t *j = run_json("validate " TMP("fitted.yaml") " scenarios/data/dealership-log.csv --format json");
    json_t *v = json_object_get(j, "validate");
    assert_non_null(v);
    assert_int_equal(json_integer_value(json_object_get(v, "log_days")), 20);
    assert_true(json_integer_value(json_object_get(v, "comparisons")) > 100);
    /* the fitted staff at reception counts the floater, who also serves insurance, and no lunch:
     * reception's waits are shorter in the model than in the log, which validate says */
    assert_true(json_integer_value(json_object_get(v, "differ")) <= 3);
    json_t *sales = json_object_get(json_object_get(v, "departments"), "sales");
    assert_true(json_array_size(sales) > 2);
    assert_non_null(json_object_get(json_object_get(json_array_get(sales, 0), "wait_mean"), "log"));
    json_decref(j);
    run(&r, "validate " TMP("fitted.yaml") " scenarios/data/dealership-log.csv --format html -o " TMP("v.html"));
    assert_int_equal(r.code, 0);
    assert_int_equal(system("xmllint --noout " TMP("v.html")), 0);
    static char html[1 << 20];
    slurp(TMP("v.html"), html, sizeof html);
    assert_non_null(strstr(html, "<h2>sales</h2>"));
    assert_non_null(strstr(html, "mean wait by time of arrival, log against model"));
    assert_null(strstr(html, "http://"));
    assert_null(strstr(html, "https://"));
    /* the built-in dealership against the log made from it: they agree too */
    run(&r, "validate scenarios/dealership.yaml scenarios/data/dealership-log.csv");
    assert_int_equal(r.code, 0);
    assert_non_null(strstr(r.out, "No difference found"));
    /* what cannot be compared */
    run(&r, "validate " TMP("fitted.yaml"));
    assert_int_equal(r.code, 64);
    write_text(TMP("other.csv"), "visit,department,arrived,started,ended\nx,kitchen,2026-11-02T09:00:00,"
                                 "2026-11-02T09:00:00,2026-11-02T09:04:00\n");
    run(&r, "validate " TMP("fitted.yaml") " " TMP("other.csv"));
    assert_int_equal(r.code, 65);
    assert_non_null(strstr(r.err, "no department in common"));
    unlink(TMP("fitted.yaml"));
    unlink(TMP("v.html"));
    unlink(TMP("other.csv"));
}

/* What a review found (each reproduced first; exit 70 or a wrong model
 * before): names a scenario cannot take ("Counter 1", "exit", "walk in"),
 * a class seen only on a journey's later visits, a department where
 * nobody was served, walks that all belong to pairs of their own. fit
 * writes a scenario that runs, and validate matches the renamed desk. */
static void fit_makes_odd_logs_into_scenarios_that_run(void **state)
{
    (void)state;
    static struct run r;
    static char text[65536];
    size_t at = (size_t)snprintf(text, sizeof text, "visit,department,arrived,started,ended,class,outcome\n");
    for (int day = 2; day <= 4; day++)
        for (int k = 0; k < 40; k++) {
            int m = 9 * 60 + k * 5;
            char v[32];
            snprintf(v, sizeof v, "d%d-%d", day, k);
            at += (size_t)snprintf(text + at, sizeof text - at,
                                   "%s,Counter 1,2026-11-%02dT%02d:%02d:00,2026-11-%02dT%02d:%02d:00,2026-11-%02dT%02d:%02d:30,"
                                   "walk in,served\n", v, day, m / 60, m % 60, day, m / 60, m % 60, day, (m + 3) / 60, (m + 3) % 60);
            m += 5;   /* a walk of two minutes after the service's three and a half */
            at += (size_t)snprintf(text + at, sizeof text - at,
                                   "%s,exit,2026-11-%02dT%02d:%02d:30,2026-11-%02dT%02d:%02d:30,2026-11-%02dT%02d:%02d:00,"
                                   "payment,served\n", v, day, m / 60, m % 60, day, m / 60, m % 60, day, (m + 4) / 60, (m + 4) % 60);
            if (k % 4 == 0)   /* a phone desk where nobody is ever served */
                at += (size_t)snprintf(text + at, sizeof text - at,
                                       "p%d-%d,phone,2026-11-%02dT%02d:%02d:00,,2026-11-%02dT%02d:%02d:00,walk in,reneged\n",
                                       day, k, day, m / 60, m % 60, day, (m + 2) / 60, (m + 2) % 60);
        }
    write_text(TMP("odd.csv"), text);
    run(&r, "fit " TMP("odd.csv") " -o " TMP("odd.yaml"));
    if (r.code != 0) {
        print_error("exit %d: %s\n", r.code, r.err);
        fail();
    }
    assert_non_null(strstr(r.err, "phone: nobody was served there: its service time is a placeholder to set"));
    static char yaml[65536];
    slurp(TMP("odd.yaml"), yaml, sizeof yaml);
    assert_non_null(strstr(yaml, "  Counter_1:   # 120 visits, 120 served; \"Counter 1\" in the log"));
    assert_non_null(strstr(yaml, "  exit_:   # 120 visits"));
    assert_non_null(strstr(yaml, "  walk_in:   # 150 journeys"));
    assert_null(strstr(yaml, "  payment:"));   /* a journey is of its first visit's class */
    assert_non_null(strstr(yaml, "  default: {dist: constant, value: 2}"));   /* the only walk there is */
    run(&r, "run " TMP("odd.yaml") " --reps 3");
    assert_int_equal(r.code, 0);
    run(&r, "validate " TMP("odd.yaml") " " TMP("odd.csv"));
    assert_int_equal(r.code, 0);
    assert_null(strstr(r.out, "In the log only"));   /* "Counter 1" is the scenario's Counter_1 */
    assert_non_null(strstr(r.out, "\nCounter_1 (in time: within 10 minutes)\n"));
    unlink(TMP("odd.csv"));
    unlink(TMP("odd.yaml"));
}

TEST_TABLE(test_cli_fit, cmocka_unit_test(fit_refuses_a_bad_log_at_its_line_and_column),
           cmocka_unit_test(fit_makes_odd_logs_into_scenarios_that_run),
           cmocka_unit_test(fit_reads_a_queue_systems_export),
           cmocka_unit_test(fit_then_validate_the_sample_log))
