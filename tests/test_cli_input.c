/* tests/test_cli_input.c — the second attack on what cxsim is given
 * (issue 18, items 12 to 14), through the program: names a spreadsheet
 * would run, a terminal would obey or a browser would show reordered;
 * numbers on the command line read leniently; plans that change nothing,
 * run twice or are counted twice. One test per failure, each written
 * before its fix and seen failing; docs/robustness.md ("The second attack:
 * names, numbers and no-ops") says what cxsim now does about each.
 *
 * What these tests do not cover: the library-level halves (a CSV cell, a
 * JSON manifest, an HTML text, an axis's duplicate values) are in the
 * module tests; every refused scenario is also a file of the catalogue
 * tests/scenarios/bad/.
 */
#include "tests/testutil.h"
#include "tests/dbutil.h"
#include "tests/clirun.h"

#include <signal.h>
#include <stdbool.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define TMP(name) CXSIM_TEST_TMP "/input-" name

/* A small shop: one desk, three hours, three days. */
#define SHOP                                                                 \
    "name: Shop\nseed: 1\nreplications: 3\nday: {open: \"09:00\", close: \"12:00\"}\n" \
    "departments:\n  desk: {staff: 1, service: {dist: exponential, mean: 5}}\n"      \
    "customers:\n  walkin: {arrivals: {per_hour: 10}, enter: desk, route: {desk: {exit: 1}}}\n"

/* The offset of the first character of s (len bytes) that is not plain
 * printable UTF-8 — a control character other than a line feed or a tab,
 * a malformed sequence, a C1 control, or a bidirectional control (Unicode's
 * Bidi_Control: U+061C, U+200E, U+200F, U+202A-U+202E, U+2066-U+2069) —
 * or -1 when there is none. */
static long first_unprintable(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < len;) {
        unsigned c = p[i];
        if (c < 0x80) {
            if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f)
                return (long)i;
            i++;
            continue;
        }
        size_t n = c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
        if (n == 0 || i + n > len)
            return (long)i;
        unsigned cp = c & (n == 2 ? 0x1f : n == 3 ? 0x0f : 0x07);
        for (size_t k = 1; k < n; k++) {
            if ((p[i + k] & 0xc0) != 0x80)
                return (long)i;
            cp = cp << 6 | (p[i + k] & 0x3f);
        }
        bool overlong = (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000);
        if (overlong || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff || (cp >= 0x80 && cp <= 0x9f) ||
            cp == 0x061c || cp == 0x200e || cp == 0x200f || (cp >= 0x202a && cp <= 0x202e) ||
            (cp >= 0x2066 && cp <= 0x2069))
            return (long)i;
        i += n;
    }
    return -1;
}

#define assert_printable(text) test_assert_printable((text), #text, __FILE__, __LINE__)

static void test_assert_printable(const char *text, const char *expr, const char *file, int line)
{
    long at = first_unprintable(text, strlen(text));
    if (at >= 0) {
        print_error("%s holds an unprintable character at byte %ld: ...%.40s\n", expr, at,
                    text + (at > 20 ? at - 20 : 0));
        _fail(file, line);
    }
}

/* ---- 12: injection ----------------------------------------------------- */

/* Splits the CSV record at *p (RFC 4180) into fields[0..max); returns how
 * many, 0 at the end of the text. */
static size_t csv_record(const char **p, char fields[][256], size_t max)
{
    if (!**p)
        return 0;
    size_t n = 0;
    for (;;) {
        char *out = fields[n];
        size_t k = 0;
        if (**p == '"') {
            for ((*p)++; **p && !(**p == '"' && (*p)[1] != '"'); (*p)++) {
                if (**p == '"')
                    (*p)++;
                if (k < 255)
                    out[k++] = **p;
            }
            assert_int_equal(**p, '"');
            (*p)++;
        } else {
            for (; **p && **p != ',' && **p != '\r'; (*p)++)
                if (k < 255)
                    out[k++] = **p;
        }
        out[k] = '\0';
        n++;
        if (**p == ',' && n < max) {
            (*p)++;
            continue;
        }
        assert_true((*p)[0] == '\r' && (*p)[1] == '\n');
        *p += 2;
        return n;
    }
}

/* 18.12: variant names that a spreadsheet would run as formulas went into
 * CSV as they were. A text cell starting with = + - or @ now starts with a
 * single quote (OWASP's advice); numbers, negative ones too, stay numbers. */
static void input_csv_cells_a_spreadsheet_would_run_are_neutralised(void **state)
{
    (void)state;
    static struct run r;
    write_text(TMP("formula.yaml"), SHOP "variants:\n"
                                        "  - name: '=HYPERLINK(\"http://example.com/x\",\"click\")'\n"
                                        "    set: {departments.desk.staff: 2}\n"
                                        "  - name: \"+cmd|' /C calc'!A0\"\n"
                                        "    set: {departments.desk.staff: 3}\n"
                                        "  - name: \"@SUM(1+1)\"\n"
                                        "    set: {departments.desk.staff: 4}\n"
                                        "  - name: \"-2+3\"\n"
                                        "    set: {departments.desk.staff: 5}\n");
    run(&r, "compare " TMP("formula.yaml") " --format csv -o " TMP("formula.csv"));
    assert_int_equal(r.code, 0);
    FILE *in = fopen(TMP("formula.csv"), "rb");
    assert_non_null(in);
    char *csv = sim_xmalloc(1 << 20);
    size_t got = fread(csv, 1, (1 << 20) - 1, in);
    fclose(in);
    assert_true(got < (1 << 20) - 1);
    csv[got] = '\0';
    static const char *const names[] = {"'=HYPERLINK(\"http://example.com/x\",\"click\")", "'+cmd|' /C calc'!A0",
                                        "'@SUM(1+1)", "'-2+3"};
    size_t seen[4] = {0}, negative = 0, rows = 0;
    const char *p = csv;
    char f[12][256];
    assert_int_equal(csv_record(&p, f, 12), 9);
    for (size_t n; (n = csv_record(&p, f, 12)) > 0; rows++) {
        assert_int_equal(n, 9);
        for (size_t i = 0; i < 4; i++)
            seen[i] += !strcmp(f[0], names[i]);
        for (size_t k = 0; k < 9; k++) {
            if (!strchr("=+-@\t\r", f[k][0]) || !f[k][0])
                continue;
            /* only a number may start so: a negative figure */
            char *end;
            strtod(f[k], &end);
            if (f[k][0] != '-' || *end || k < 4) {
                print_error("row %zu, field %zu starts a formula: %s\n", rows + 2, k + 1, f[k]);
                fail();
            }
            negative++;
        }
    }
    for (size_t i = 0; i < 4; i++)
        assert_true(seen[i] > 0);
    assert_true(negative > 0);   /* more staff: the waits' differences are negative numbers */
    free(csv);
    unlink(TMP("formula.csv"));
    unlink(TMP("formula.yaml"));
}

/* Runs "cxsim workshop ARGS < SCRIPT" into r. */
static void session(struct run *r, const char *script, const char *args)
{
    char path[] = CXSIM_TEST_TMP "/input-workshop-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, script, strlen(script)), (ssize_t)strlen(script));
    close(fd);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "workshop %s < %s", args, path);
    run(r, cmd);
    unlink(path);
}

/* 18.12: the workshop printed back what it was given — the command line
 * after its prompt, an unknown command, a play speed, a saved file's name,
 * a change — escape sequences and all. Now only printable text. */
static void input_workshop_prints_back_only_printable_text(void **state)
{
    (void)state;
    static struct run r;
    session(&r,
            "set departments.credit.staff\x1b]0;owned\x07 4\n"
            "set departments.credit.staff 3 # \xe2\x80\xae reversed\n"
            "play \x1b[2J\n"
            "bogus\x1b[31m\xff\n"
            "save " TMP("saved-\x1b[2J.yaml") "\n"
            "quit\n",
            "");
    assert_int_equal(r.code, 0);
    assert_non_null(strstr(r.out, "changed: credit.staff=3"));
    assert_non_null(strstr(r.out, "unknown command 'bogus"));
    assert_non_null(strstr(r.out, "saved the current plan as"));
    assert_printable(r.out);
    assert_printable(r.err);
    unlink(TMP("saved-\x1b[2J.yaml"));
}

/* 18.12: a scenario's file name reached the HTML footer with its raw
 * control bytes and malformed UTF-8, and the JSON manifest dropped it (and
 * the command line) as null. HTML now shows U+FFFD in their place; JSON
 * writes the name with U+FFFD for each byte that is not UTF-8 and says
 * so. */
static void input_reports_carry_a_hostile_file_name_safely(void **state)
{
    (void)state;
    static struct run r;
    write_text(TMP("shop-\x1b[2J\xff\xfe.yaml"), SHOP);
    run(&r, "run '" TMP("shop-\x1b[2J\xff\xfe.yaml") "' --reps 2 --format html");
    assert_int_equal(r.code, 0);
    assert_printable(r.out);
    assert_non_null(strstr(r.out, "input-shop-\xef\xbf\xbd[2J\xef\xbf\xbd\xef\xbf\xbd.yaml"));
    json_t *doc = run_json("run '" TMP("shop-\x1b[2J\xff\xfe.yaml") "' --reps 2 --format json");
    json_t *mf = json_object_get(doc, "manifest");
    assert_string_equal(json_string_value(json_object_get(mf, "scenario_file")),
                        TMP("shop-\x1b[2J\xef\xbf\xbd\xef\xbf\xbd.yaml"));
    assert_true(json_is_true(json_object_get(mf, "scenario_file_not_utf8")));
    const char *cl = json_string_value(json_object_get(mf, "command_line"));
    assert_non_null(cl);
    assert_non_null(strstr(cl, "shop-\x1b[2J\xef\xbf\xbd\xef\xbf\xbd.yaml"));
    assert_true(json_is_true(json_object_get(mf, "command_line_not_utf8")));
    json_decref(doc);
    unlink(TMP("shop-\x1b[2J\xff\xfe.yaml"));
    /* a name in UTF-8 is written as it is, and nothing is said */
    write_text(TMP("shop.yaml"), SHOP);
    doc = run_json("run " TMP("shop.yaml") " --reps 2 --format json");
    mf = json_object_get(doc, "manifest");
    assert_string_equal(json_string_value(json_object_get(mf, "scenario_file")), TMP("shop.yaml"));
    assert_null(json_object_get(mf, "scenario_file_not_utf8"));
    assert_null(json_object_get(mf, "command_line_not_utf8"));
    json_decref(doc);
    unlink(TMP("shop.yaml"));
}

/* 18.12: a right-to-left override (or any bidirectional control) in a
 * name made a report read other than it was written; such names are now
 * refused, located, and the refusal prints no such character either. */
static void input_bidirectional_controls_in_names_are_refused(void **state)
{
    (void)state;
    static struct run r;
    write_text(TMP("bidi.yaml"), SHOP "variants:\n  - name: \"more \xe2\x81\xa7staff\"\n"
                                      "    set: {departments.desk.staff: 2}\n");
    run(&r, "compare " TMP("bidi.yaml"));
    assert_int_equal(r.code, 65);
    assert_non_null(strstr(r.err, TMP("bidi.yaml") ":10:11: error: name of a variant must not hold the "
                                                   "bidirectional control U+2067"));
    assert_printable(r.err);
    run(&r, "run --set 'name=\"Shop \xe2\x80\xae\"' --reps 2");
    assert_int_equal(r.code, 65);
    assert_non_null(strstr(r.err, "--set:1:6: error: name must not hold the bidirectional control U+202E"));
    assert_printable(r.err);
    unlink(TMP("bidi.yaml"));
}

/* ---- 13: numbers on the command line ----------------------------------- */

/* 18.13: every whole-number option took what strtod or strtoull would
 * read: " -1" as 2^64-1, 0x10, 1e1, " 3", "+2". Now decimal digits only,
 * else exit 64 with the option, what was given and what is allowed. */
static void input_whole_numbers_are_decimal_digits_only(void **state)
{
    (void)state;
    static struct run r;
    static const struct {
        const char *args, *option, *given;
    } cases[] = {
        {"run --seed ' -1'", "--seed", "' -1'"},
        {"run --seed ' 5'", "--seed", "' 5'"},
        {"run --seed +5", "--seed", "'+5'"},
        {"run --seed 18446744073709551616", "--seed", "'18446744073709551616'"},
        {"run --reps 0x10", "--reps", "'0x10'"},
        {"run --reps ' 3'", "--reps", "' 3'"},
        {"run --reps 1e1", "--reps", "'1e1'"},
        {"run --reps 3.0", "--reps", "'3.0'"},
        {"run --reps auto --max-reps 0x20", "--max-reps", "'0x20'"},
        {"run --jobs ' 2'", "--jobs", "' 2'"},
        {"run --interval 0x1e", "--interval", "'0x1e'"},
        {"compare --reps +2", "--reps", "'+2'"},
        {"sweep scenarios/dealership.yaml --shard ' 1/2'", "--shard", "' 1/2'"},
        {"sweep scenarios/dealership.yaml --shard '1/ 2'", "--shard", "'1/ 2'"},
        {"sweep scenarios/dealership.yaml --shard 0x1/2", "--shard", "'0x1/2'"},
        {"sweep scenarios/dealership.yaml --max-plans 1e3", "--max-plans", "'1e3'"},
        {"trace --customers 0x5", "--customers", "'0x5'"},
        {"trace --customer 'buyer# 5'", "--customer", "'buyer# 5'"},
        {"trace --customer buyer#-1", "--customer", "'buyer#-1'"},
        {"trace --day ' 2'", "--day", "' 2'"},
        {"dist exponential mean=1 --draws 1e3", "--draws", "'1e3'"},
        {"dist exponential mean=1 --seed ' -1'", "--seed", "' -1'"},
        {"workshop --seed ' -1' </dev/null", "--seed", "' -1'"},
        /* numbers that need not be whole are decimal too: no space, no hex */
        {"run --reps auto --precision ' 0.1'", "--precision", "' 0.1'"},
        {"run --reps auto --precision 0x1p-4", "--precision", "'0x1p-4'"},
        {"trace --from 0x1e", "--from", "'0x1e'"},
        {"dist exponential mean=0x10", "mean", "0x10"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        run(&r, cases[i].args);
        bool whole = strcmp(cases[i].option, "--precision") && strcmp(cases[i].option, "--from") &&
                     strcmp(cases[i].option, "mean");
        if (r.code != 64 || !strstr(r.err, cases[i].option) || !strstr(r.err, cases[i].given) ||
            (whole && !strstr(r.err, "whole number"))) {
            print_error("cxsim %s: exit %d, %s\n", cases[i].args, r.code, r.err);
            fail();
        }
    }
    /* decimal digits are read whole: leading zeros, the largest seed */
    write_text(TMP("shop.yaml"), SHOP);
    run(&r, "run " TMP("shop.yaml") " --reps 002 --seed 18446744073709551615 --jobs 01 --format json");
    assert_int_equal(r.code, 0);
    assert_non_null(strstr(r.out, "\"seed\": \"18446744073709551615\""));
    assert_non_null(strstr(r.out, "\"replications\": 2"));
    unlink(TMP("shop.yaml"));
    /* the workshop's --seed and --set, in its usage, once unknown options */
    session(&r, "quit\n", "--seed 7 --set departments.credit.staff=3");
    assert_int_equal(r.code, 0);
    assert_non_null(strstr(r.out, "(seed 7)"));
}

/* 18.13: the workshop's story read its customer with strtoul: "story -1"
 * told the day of customer 2^64-1, "story buyer#+3" of customer 3. */
static void input_workshop_story_takes_a_customer_number(void **state)
{
    (void)state;
    static struct run r;
    session(&r, "story -1\nstory buyer#-1\nstory +3\nstory buyer# 3\nstory 1e1\nstory 0x10\nquit\n", "");
    assert_int_equal(r.code, 0);
    assert_null(strstr(r.out, "18446744073709551615"));
    size_t refused = 0;
    for (const char *p = r.out; (p = strstr(p, "story needs a customer")); p++)
        refused++;
    assert_int_equal(refused, 6);
}

/* 18.13: a grid past what --max-plans may be given was refused with the
 * advice to pass --max-plans N, which --max-plans then refused. The advice
 * is now one the option takes, and a grid no sweep may run says so. */
static void input_max_plans_guard_suggests_a_number_it_accepts(void **state)
{
    (void)state;
    static struct run r;
    write_text(TMP("shop.yaml"), SHOP);
    unlink(TMP("guard.db"));
    run(&r, "sweep " TMP("shop.yaml") " --grid departments.desk.staff=1,2,3 --max-plans 2 --db " TMP("guard.db"));
    assert_int_equal(r.code, 64);
    assert_non_null(strstr(r.err, "pass --max-plans 3 to run them all"));
    run(&r, "sweep " TMP("shop.yaml") " --grid departments.desk.staff=1,2,3 --max-plans 3 --db " TMP("guard.db")
            " -o /dev/null");
    assert_int_equal(r.code, 0);
    /* 10^16 plans: 16 axes of 10 values */
    char args[2048] = "sweep scenarios/dealership.yaml --db " TMP("huge.db");
    static const char *const paths[] = {
        "departments.credit.staff",       "departments.sales.staff",         "departments.reception.target_wait",
        "departments.credit.target_wait", "departments.sales.target_wait",   "departments.insurance.target_wait",
        "departments.reception.capacity", "departments.credit.capacity",     "departments.sales.capacity",
        "departments.insurance.capacity", "departments.credit.cost_per_hour", "departments.sales.cost_per_hour",
        "departments.reception.cost_per_hour", "departments.insurance.cost_per_hour", "pools.floater.staff",
        "pools.floater.cost_per_hour"};
    for (size_t k = 0; k < 16; k++) {
        size_t n = strlen(args);
        snprintf(args + n, sizeof args - n, " --grid %s=1,2,3,4,5,6,7,8,9,10", paths[k]);
    }
    run(&r, args);
    assert_int_equal(r.code, 64);
    assert_non_null(strstr(r.err, "10000000000000000 plans"));
    const char *pass = strstr(r.err, "pass --max-plans ");
    if (pass) {   /* advice given must be advice taken */
        char again[2100];
        unsigned long long n = strtoull(pass + 17, NULL, 10);
        snprintf(again, sizeof again, "%s --max-plans %llu", args, n);
        static struct run r2;
        run(&r2, again);
        if (strstr(r2.err, "--max-plans must")) {
            print_error("advised --max-plans %llu, then refused it: %s\n", n, r2.err);
            fail();
        }
    }
    assert_int_equal(access(TMP("huge.db"), F_OK), -1);
    unlink(TMP("guard.db"));
    unlink(TMP("guard.db-wal"));
    unlink(TMP("guard.db-shm"));
    unlink(TMP("shop.yaml"));
}

/* ---- 14: silent no-ops ------------------------------------------------- */

/* 18.14: a variant or a sweep axis setting seed, replications, variants or
 * sweep ran the same plan under another name ("no difference at all"), and
 * --grid x=1,2,2 ran a plan twice. Each is now refused where it is
 * written, saying why. */
static void input_plans_that_change_nothing_are_refused(void **state)
{
    (void)state;
    static struct run r;
    write_text(TMP("seeded.yaml"), SHOP "variants:\n  - name: another day\n    set: {seed: 2}\n");
    run(&r, "compare " TMP("seeded.yaml"));
    assert_int_equal(r.code, 65);
    assert_non_null(strstr(r.err, TMP("seeded.yaml") ":11:11: error: a variant cannot change seed: "));
    assert_non_null(strstr(r.err, "common random numbers"));
    assert_non_null(strstr(r.err, "--seed or --reps"));
    write_text(TMP("shop.yaml"), SHOP);
    static const struct {
        const char *grid, *says;
    } cases[] = {
        {"seed=1,2", "--grid:1:1: error: a sweep cannot change seed: "},
        {"replications=2,3", "--grid:1:1: error: a sweep cannot change replications: "},
        {"'variants=[[], []]'", "--grid:1:1: error: a sweep cannot change variants: "},
        {"sweep.departments.desk.staff=1,2", "--grid:1:1: error: a sweep cannot change sweep: "},
        {"departments.desk.staff=1,2,2", "--grid:1:28: error: departments.desk.staff lists 2 twice"},
        {"'departments.desk.staff=[1, 2, 1.0]'", "--grid:1:31: error: departments.desk.staff lists 1 twice"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char args[512];
        snprintf(args, sizeof args, "sweep %s --grid %s --db %s -o /dev/null", TMP("shop.yaml"), cases[i].grid,
                 TMP("noop.db"));
        run(&r, args);
        if (r.code != 65 || strncmp(r.err, cases[i].says, strlen(cases[i].says)) != 0) {
            print_error("--grid %s: exit %d, %s\n", cases[i].grid, r.code, r.err);
            fail();
        }
        assert_int_equal(access(TMP("noop.db"), F_OK), -1);
    }
    unlink(TMP("seeded.yaml"));
    unlink(TMP("shop.yaml"));
}

/* True when another connection holds the database's write lock. */
static bool write_locked(const char *path)
{
    sqlite3 *db = NULL;
    bool locked = true;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK) {
        sqlite3_busy_timeout(db, 0);
        locked = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK;
        if (!locked)
            sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    }
    sqlite3_close(db);
    return locked;
}

/* From a sweep's closing message, the plans it ran and those another
 * process had written first. */
static void plans_run(const char *err, unsigned long long *ran, unsigned long long *theirs)
{
    const char *at = strstr(err, "cxsim: sweep: ");
    assert_non_null(at);
    *ran = strtoull(at + 14, NULL, 10);
    assert_non_null(strstr(at, " plans run now"));
    const char *first = strstr(at, "had already written ");
    *theirs = first ? strtoull(first + 19, NULL, 10) : 0;
}

/* 18.14: two sweeps into one database both reported "N plans run now":
 * each ran every plan it found missing when it started, and the plans the
 * other wrote first were dropped without a word. The report now says how
 * many the other process had written first; what each says it added adds
 * up to what the database holds. Made certain by stopping the first sweep
 * (SIGSTOP, never while it holds the write lock) while a second one runs
 * every plan left. */
static void input_two_sweeps_on_one_database_say_what_each_did(void **state)
{
    (void)state;
    static struct run r;
    write_text(TMP("busy.yaml"), "name: Busy shop\nseed: 1\nreplications: 20\n"
                                 "day: {open: \"09:00\", close: \"21:00\"}\n"
                                 "departments:\n  desk: {staff: 8, service: {dist: exponential, mean: 5}}\n"
                                 "customers:\n  walkin: {arrivals: {per_hour: 60}, enter: desk, "
                                 "route: {desk: {exit: 1}}}\n");
    const char *db = TMP("shared.db");
    unlink(db);
    unlink(TMP("shared.db-wal"));
    unlink(TMP("shared.db-shm"));
#define SHARED "sweep " TMP("busy.yaml") " --grid 'departments.desk.staff={from: 11, to: 40}' --jobs 1 " \
               "--db " TMP("shared.db") " -o /dev/null"
    const char *bin = getenv("CXSIM_BIN");
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "exec %s %s 2>%s", bin ? bin : "./cxsim", SHARED, TMP("first.err"));
    pid_t first = fork();
    assert_true(first >= 0);
    if (first == 0) {
        execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
        _exit(127);
    }
    long long held = 0;
    for (int i = 0; i < 60000 && held < 1; i++) {
        nanosleep(&(struct timespec){0, 1000000}, NULL);
        held = test_db_query(db, "SELECT count(*) FROM plans");
    }
    assert_true(held >= 1);
    for (;;) {   /* stopped, but not in the middle of writing a plan */
        kill(first, SIGSTOP);
        if (!write_locked(db))
            break;
        kill(first, SIGCONT);
        nanosleep(&(struct timespec){0, 200000}, NULL);
    }
    held = test_db_query(db, "SELECT count(*) FROM plans");
    assert_true(held >= 1 && held < 30);
    run(&r, SHARED);   /* the second sweep runs every plan left */
    kill(first, SIGCONT);
    int status;
    waitpid(first, &status, 0);
    assert_int_equal(r.code, 0);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    assert_int_equal(test_db_query(db, "SELECT count(*) FROM plans"), 30);
    static char first_err[2048];
    slurp(TMP("first.err"), first_err, sizeof first_err);
    unsigned long long ran1, theirs1, ran2, theirs2;
    plans_run(first_err, &ran1, &theirs1);
    plans_run(r.err, &ran2, &theirs2);
    if (ran1 - theirs1 + ran2 - theirs2 != 30 || theirs1 == 0) {
        print_error("the first sweep said: %sthe second: %s(the database holds 30)\n", first_err, r.err);
        fail();
    }
    assert_non_null(strstr(first_err, "holds 30 of 30"));
    assert_non_null(strstr(r.err, "holds 30 of 30"));
#undef SHARED
    unlink(db);
    unlink(TMP("shared.db-wal"));
    unlink(TMP("shared.db-shm"));
    unlink(TMP("first.err"));
    unlink(TMP("busy.yaml"));
}

TEST_TABLE(test_cli_input,
           cmocka_unit_test(input_csv_cells_a_spreadsheet_would_run_are_neutralised),
           cmocka_unit_test(input_workshop_prints_back_only_printable_text),
           cmocka_unit_test(input_reports_carry_a_hostile_file_name_safely),
           cmocka_unit_test(input_bidirectional_controls_in_names_are_refused),
           cmocka_unit_test(input_whole_numbers_are_decimal_digits_only),
           cmocka_unit_test(input_workshop_story_takes_a_customer_number),
           cmocka_unit_test(input_max_plans_guard_suggests_a_number_it_accepts),
           cmocka_unit_test(input_plans_that_change_nothing_are_refused),
           cmocka_unit_test(input_two_sweeps_on_one_database_say_what_each_did))
