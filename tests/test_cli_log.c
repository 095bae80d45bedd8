/* tests/test_cli_log.c — the sample log of visits (spec §5's log for fit
 * and validate) that support/samplelog.sh makes from `cxsim trace`, through
 * support/trace2log.awk: scenarios/data/dealership-log.csv is what they
 * print now, every row agrees with the trace it came from, and the two
 * common awks (Debian's mawk, GNU awk) print the same bytes.
 *
 * Invariant: the log is read as any reader would (a header, then fields
 * split on commas: names hold none, docs/scenario.md) and set against the
 * trace's own events, counted here, never against the awk script's idea
 * of them.
 *
 * Not here: the trace itself (test_out_writers.c, test_cli.c); what fit
 * makes of the log.
 */
#define _XOPEN_SOURCE 700   /* mkdtemp */
#include "tests/testutil.h"
#include "tests/clirun.h"

#include <stdbool.h>
#include <sys/stat.h>

#define SAMPLE "scenarios/data/dealership-log.csv"
#define HEADER "visit,department,arrived,started,ended,class,outcome,staff"
#define DAYS 3

/* One class through two desks in sequence, exponential services, patience,
 * and limits tight enough that every outcome happens in three days: front
 * turns away on seeing 2 waiting, back has one waiting place. `day_extra`
 * and `tail` finish the day's line and the file. */
static const char two_desks[] =
    "name: Two desks\nseed: 7\nreplications: 3\nday: {open: \"09:00\", close: \"12:00\"%s}\n"
    "departments:\n"
    "  front: {staff: 1, service: {dist: exponential, mean: 5}, target_wait: 5}\n"
    "  back: {staff: 2, service: {dist: exponential, mean: 9}, capacity: 1, target_wait: 5}\n"
    "customers:\n"
    "  walkin:\n"
    "    arrivals: {per_hour: 14}\n"
    "    enter: front\n"
    "    route: {front: {back: 1}, back: {exit: 1}}\n"
    "    patience: {dist: exponential, mean: 12}\n"
    "    balk_at: {front: 2}\n"
    "%s";

/* The dates samplelog gives days 1..3 (weekdays from 2026-11-02, a Monday). */
static const char *const dates[DAYS] = {"2026-11-02", "2026-11-03", "2026-11-04"};

static const char *bin(void)
{
    const char *b = getenv("CXSIM_BIN");
    return b ? b : "./cxsim";
}

/* The test's own directory, made fresh (removed with tidy). */
static void fresh_dir(char *dir, size_t len, const char *name)
{
    test_fresh_dir(dir, len, "log", name);
}

static void tidy(const char *dir)
{
    test_tidy(dir);
}

/* The whole file at path, NUL-terminated; its length in *len. */
static char *slurp_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        print_error("cannot read %s\n", path);
        fail();
    }
    size_t cap = 1 << 16, n = 0, got;
    char *buf = sim_xmalloc(cap);
    while ((got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (n + 1 == cap)
            buf = sim_xrealloc(buf, cap *= 2);
    }
    fclose(f);
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* `sh support/samplelog.sh SCENARIO DAYS` with $CXSIM the program under
 * test and $AWK awk (NULL: the default), its output to path. */
static void samplelog(const char *awk, const char *scenario, int days, const char *path)
{
    static struct run r;
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "CXSIM='%s' %s%s sh support/samplelog.sh %s %d", bin(), awk ? "AWK=" : "",
             awk ? awk : "", scenario, days);
    run_shell(&r, cmd, path);
    if (r.code != 0) {
        print_error("%s: exit %d\n%s", cmd, r.code, r.err);
        fail();
    }
}

/* Fails, saying where, unless the files at have and want hold the same bytes. */
static void assert_same_file(const char *have_path, const char *want_path, const char *advice)
{
    size_t nh, nw;
    char *have = slurp_all(have_path, &nh), *want = slurp_all(want_path, &nw);
    size_t at = 0, line = 1, start = 0;
    for (; at < nh && at < nw && have[at] == want[at]; at++)
        if (have[at] == '\n') {
            line++;
            start = at + 1;
        }
    if (at < nh || at < nw) {
        print_error("%s and %s differ at line %zu:\n  %.*s\n  %.*s\n%s\n", want_path, have_path, line,
                    (int)strcspn(want + start, "\r\n"), want + start, (int)strcspn(have + start, "\r\n"),
                    have + start, advice);
        free(have);
        free(want);
        fail();
    }
    free(have);
    free(want);
}

/* ---- reading CSV ------------------------------------------------------ */

/* The next line of *p (its CR and LF cut off, in place), or NULL at the end. */
static char *next_line(char **p)
{
    if (!**p)
        return NULL;
    char *line = *p, *nl = strchr(line, '\n');
    *p = nl ? nl + 1 : line + strlen(line);
    if (nl)
        *nl = '\0';
    size_t n = strlen(line);
    if (n && line[n - 1] == '\r')
        line[n - 1] = '\0';
    return line;
}

/* Splits line on commas in place: its fields (at most max) into f, their
 * number returned. */
static size_t fields(char *line, char **f, size_t max)
{
    size_t n = 0;
    for (char *p = line;; p++) {
        if (n < max)
            f[n] = p;
        n++;
        p = strchr(p, ',');
        if (!p)
            return n;
        *p = '\0';
    }
}

static int by_string(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The number of different strings among s[0..n) (sorted here). */
static size_t distinct(char **s, size_t n)
{
    qsort(s, n, sizeof *s, by_string);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += i == 0 || strcmp(s[i], s[i - 1]) != 0;
    return k;
}

/* What a day's trace (CSV) says: its events of each kind that end a
 * visit, its arrivals and its customers. */
struct trace_counts {
    size_t finish, renege, balk, block, sent_home, arrive;
    size_t customers;   /* different customers who arrived */
};

static void count_trace(const char *path, struct trace_counts *t)
{
    size_t len;
    char *text = slurp_all(path, &len), *p = text, *line, *f[16];
    char **who = sim_xmalloc((len / 16 + 1) * sizeof *who);
    size_t nwho = 0;
    memset(t, 0, sizeof *t);
    assert_non_null(next_line(&p));   /* the header */
    while ((line = next_line(&p))) {
        assert_int_equal(fields(line, f, 16), 15);
        const char *ev = f[6];
        t->finish += !strcmp(ev, "finish");
        t->renege += !strcmp(ev, "renege");
        t->balk += !strcmp(ev, "balk");
        t->block += !strcmp(ev, "block");
        t->sent_home += !strcmp(ev, "sent_home");
        if (!strcmp(ev, "arrive")) {
            t->arrive++;
            who[nwho++] = f[2];
        }
    }
    t->customers = distinct(who, nwho);
    free(who);
    free(text);
}

/* One row of the log. */
struct row {
    char *visit, *arrived, *started, *ended, *outcome, *staff;
    size_t at;   /* its place in the file */
};

static int by_visit(const void *a, const void *b)
{
    const struct row *x = a, *y = b;
    int c = strcmp(x->visit, y->visit);
    return c ? c : (x->at > y->at) - (x->at < y->at);
}

#define row_fail(r, ...)                                                                                 \
    do {                                                                                                 \
        print_error("row %zu (%s, arrived %s): ", (r)->at + 2, (r)->visit, (r)->arrived);                \
        print_error(__VA_ARGS__);                                                                        \
        fail();                                                                                          \
    } while (0)

/* Checks the log at log_path against the traces of its DAYS days in dir
 * (trace-1.csv ...): every row well formed, in order of arrival, each
 * visit's rows in time order with arrived <= started <= ended, the
 * outcomes counted as the traces' events, one visit id per customer and
 * day. Rows cut short at closing (outcome empty) must end at closing_at
 * ("T12:00:00"), when given. */
static void check_log(const char *dir, const char *log_path, const char *closing_at)
{
    struct trace_counts day[DAYS], all = {0};
    char path[512];
    for (int k = 0; k < DAYS; k++) {
        snprintf(path, sizeof path, "%s/trace-%d.csv", dir, k + 1);
        count_trace(path, &day[k]);
        all.finish += day[k].finish;
        all.renege += day[k].renege;
        all.balk += day[k].balk;
        all.block += day[k].block;
        all.sent_home += day[k].sent_home;
        all.arrive += day[k].arrive;
    }
    size_t len;
    char *text = slurp_all(log_path, &len), *p = text, *line, *f[16];
    assert_non_null(line = next_line(&p));
    assert_string_equal(line, HEADER);
    struct row *rows = sim_xmalloc((len / 40 + 1) * sizeof *rows);
    size_t n = 0, served = 0, reneged = 0, balked = 0, blocked = 0, cut = 0, per_day[DAYS] = {0};
    while ((line = next_line(&p))) {
        if (fields(line, f, 16) != 8) {
            print_error("row %zu: not 8 fields\n", n + 2);
            fail();
        }
        struct row *r = &rows[n];
        *r = (struct row){f[0], f[2], f[3], f[4], f[6], f[7], n};
        n++;
        if (n > 1 && strcmp(r->arrived, r[-1].arrived) < 0)
            row_fail(r, "arrived before the row above (%s): rows must be in order of arrival\n", r[-1].arrived);
        if (*r->started && (strcmp(r->arrived, r->started) > 0 || strcmp(r->started, r->ended) > 0))
            row_fail(r, "started %s, ended %s: not arrived <= started <= ended\n", r->started, r->ended);
        if (!*r->ended || strcmp(r->arrived, r->ended) > 0)
            row_fail(r, "ended '%s': every visit here ends, after it arrived\n", r->ended);
        /* served: started, by someone; gone unserved: neither; cut short at
         * closing (no outcome): either, in service or waiting */
        bool is_served = !strcmp(r->outcome, "served"), began = *r->started != '\0';
        if ((*r->outcome && is_served != began) || began != (*r->staff != '\0'))
            row_fail(r, "outcome '%s' with started '%s' and staff '%s'\n", r->outcome, r->started, r->staff);
        served += is_served;
        reneged += !strcmp(r->outcome, "reneged");
        balked += !strcmp(r->outcome, "balked");
        blocked += !strcmp(r->outcome, "blocked");
        if (!*r->outcome) {
            cut++;
            if (!closing_at || !strstr(r->ended, closing_at))
                row_fail(r, "no outcome, ended %s: only a visit cut short at closing has none\n", r->ended);
        }
        /* the visit is DATE/CUSTOMER, DATE the day it arrived on */
        int k = 0;
        while (k < DAYS && strncmp(r->visit, dates[k], 10) != 0)
            k++;
        if (k == DAYS || r->visit[10] != '/' || strncmp(r->arrived, dates[k], 10) != 0)
            row_fail(r, "the visit is not DATE/CUSTOMER for the date it arrived on\n");
        per_day[k]++;
    }
    print_message("%zu rows: %zu served, %zu reneged, %zu balked, %zu blocked, %zu cut short at closing\n", n, served,
                  reneged, balked, blocked, cut);
    /* a row for each arrival, the outcomes as the traces' events */
    assert_int_equal(n, all.arrive);
    assert_int_equal(served, all.finish);
    assert_int_equal(reneged, all.renege);
    assert_int_equal(balked, all.balk);
    assert_int_equal(blocked, all.block);
    assert_int_equal(cut, all.sent_home);
    for (int k = 0; k < DAYS; k++)
        assert_int_equal(per_day[k], day[k].arrive);
    /* each visit's rows in time order, and one visit per customer a day:
     * as many ids as the days' customers together (buyer#1 comes every day) */
    qsort(rows, n, sizeof *rows, by_visit);
    size_t visits = 0, customers = 0;
    for (size_t i = 0; i < n; i++) {
        if (i == 0 || strcmp(rows[i].visit, rows[i - 1].visit) != 0) {
            visits++;
            continue;
        }
        if (strcmp(rows[i - 1].ended, rows[i].arrived) > 0)
            row_fail(&rows[i], "arrived before the visit's row above ended (%s)\n", rows[i - 1].ended);
    }
    for (int k = 0; k < DAYS; k++)
        customers += day[k].customers;
    assert_int_equal(visits, customers);
    free(rows);
    free(text);
}

/* The scenario two_desks (with day_extra and tail) at dir/name, its log of
 * DAYS days at dir/log.csv and each day's trace at dir/trace-K.csv. */
static void make_log(const char *dir, const char *name, const char *day_extra, const char *tail)
{
    static struct run r;
    char scen[512], text[2048], path[512], args[1200];
    snprintf(scen, sizeof scen, "%s/%s", dir, name);
    snprintf(text, sizeof text, two_desks, day_extra, tail);
    write_text(scen, text);
    snprintf(path, sizeof path, "%s/log.csv", dir);
    samplelog(NULL, scen, DAYS, path);
    for (int k = 1; k <= DAYS; k++) {
        snprintf(args, sizeof args, "trace %s --day %d --format csv -o %s/trace-%d.csv", scen, k, dir, k);
        run(&r, args);
        assert_int_equal(r.code, 0);
    }
}

/* ---- the tests ---------------------------------------------------------- */

/* scenarios/data/dealership-log.csv is exactly what samplelog prints now:
 * a change to the model that changes the dealership's days changes it, and
 * make samples writes it again. */
static void log_sample_is_what_samplelog_prints(void **state)
{
    (void)state;
    char dir[256], path[512];
    fresh_dir(dir, sizeof dir, "sample");
    snprintf(path, sizeof path, "%s/now.csv", dir);
    samplelog(NULL, "scenarios/dealership.yaml", 20, path);
    assert_same_file(path, SAMPLE,
                     "the program prints another log now: 'make samples' writes " SAMPLE
                     " again (then read the diff, and scenarios/data/README.md)");
    tidy(dir);
}

/* Three days of two desks: every outcome happens, and the log says each as
 * often as the trace, in order, with one id per customer and day. */
static void log_rows_agree_with_the_trace(void **state)
{
    (void)state;
    char dir[256], path[512];
    fresh_dir(dir, sizeof dir, "rows");
    make_log(dir, "two.yaml", "", "handoffs:\n  default: {dist: constant, value: 1}\n");
    snprintf(path, sizeof path, "%s/log.csv", dir);
    check_log(dir, path, NULL);
    struct trace_counts t;
    size_t balks = 0, blocks = 0, reneges = 0;
    for (int k = 1; k <= DAYS; k++) {   /* (so that each outcome was tried) */
        snprintf(path, sizeof path, "%s/trace-%d.csv", dir, k);
        count_trace(path, &t);
        balks += t.balk;
        blocks += t.block;
        reneges += t.renege;
    }
    assert_true(balks > 0 && blocks > 0 && reneges > 0);
    tidy(dir);
}

/* after_close: leave: a visit cut short at closing ends at the closing
 * time with no outcome, one for each customer the trace sends home (no
 * walks here, so each is at a desk when the doors close). */
static void log_sent_home_visits_end_at_closing(void **state)
{
    (void)state;
    char dir[256], path[512];
    fresh_dir(dir, sizeof dir, "leave");
    make_log(dir, "leave.yaml", ", after_close: leave", "");
    snprintf(path, sizeof path, "%s/log.csv", dir);
    check_log(dir, path, "T12:00:00");
    struct trace_counts t;
    snprintf(path, sizeof path, "%s/trace-1.csv", dir);
    count_trace(path, &t);
    assert_true(t.sent_home > 0);
    tidy(dir);
}

/* mawk (Debian's awk) and GNU awk print the same log, byte for byte: the
 * dealership's sample and the two desks sent home at closing. */
static void log_mawk_and_gawk_print_the_same(void **state)
{
    (void)state;
    if (system("command -v mawk >/dev/null 2>&1 && command -v gawk >/dev/null 2>&1") != 0) {
        print_message("(skipped: mawk and gawk are not both installed: apt-get install -y mawk gawk)\n");
        skip();
    }
    char dir[256], scen[512], m[512], g[512];
    fresh_dir(dir, sizeof dir, "awks");
    snprintf(m, sizeof m, "%s/mawk.csv", dir);
    snprintf(g, sizeof g, "%s/gawk.csv", dir);
    samplelog("mawk", "scenarios/dealership.yaml", 20, m);
    samplelog("gawk", "scenarios/dealership.yaml", 20, g);
    assert_same_file(g, m, "mawk and gawk print different logs of the dealership");
    make_log(dir, "leave.yaml", ", after_close: leave", "");
    snprintf(scen, sizeof scen, "%s/leave.yaml", dir);
    samplelog("mawk", scen, DAYS, m);
    samplelog("gawk", scen, DAYS, g);
    assert_same_file(g, m, "mawk and gawk print different logs of two desks sent home at closing");
    tidy(dir);
}

TEST_TABLE(test_cli_log, cmocka_unit_test(log_sample_is_what_samplelog_prints),
           cmocka_unit_test(log_rows_agree_with_the_trace), cmocka_unit_test(log_sent_home_visits_end_at_closing),
           cmocka_unit_test(log_mawk_and_gawk_print_the_same))
