/* tests/test_cli_robust.c — the second attack (issue 18), one test per
 * failure it found, written before its fix: what once crashed, hung,
 * grew without bound or wrote where it was not asked now gives a clear
 * answer and its exit code. docs/robustness.md lists each failure and
 * what cxsim now does about it. */
#define _DEFAULT_SOURCE /* wait4: a child's peak memory */
#include "tests/testutil.h"
#include "tests/clirun.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/resource.h>

#define TMP(name) CXSIM_TEST_TMP "/robust-" name

/* A small shop whose variant adds a department the baseline does not
 * have, and routes to it. */
static const char shop_with_extra[] =
    "name: Shop\nseed: 1\nreplications: 3\nday: {open: \"09:00\", close: \"12:00\"}\n"
    "departments:\n  desk: {staff: 1, service: {dist: exponential, mean: 4}}\n"
    "customers:\n  walkin: {arrivals: {per_hour: 10}, enter: desk, route: {desk: {exit: 1}}}\n"
    "variants:\n  - name: with an extra desk\n"
    "    set: {departments.extra: {staff: 1, service: {dist: exponential, mean: 2}},\n"
    "          customers.walkin.route: {desk: {extra: 1}}}\n";

/* 18.1: compare's text report once read the baseline's figures of a
 * department only the variant has (SIGSEGV). Each format now shows that
 * department with no baseline figure and no difference. */
static void robust_compare_a_department_only_the_variant_has(void **state)
{
    (void)state;
    static struct run r;
    write_text(TMP("extra.yaml"), shop_with_extra);
    static const char *const formats[] = {"text", "csv", "json", "html"};
    for (size_t i = 0; i < 4; i++) {
        char args[256];
        snprintf(args, sizeof args, "compare %s --format %s", TMP("extra.yaml"), formats[i]);
        run(&r, args);
        assert_int_equal(r.code, 0);
        assert_string_equal(r.err, "");
    }
    run(&r, "compare " TMP("extra.yaml"));
    /* the extra desk's row: no baseline figure, the plan's, no difference */
    const char *row = strstr(r.out, "\n    extra ");
    assert_non_null(row);
    const char *end = strchr(row + 1, '\n');
    assert_non_null(end);
    assert_non_null(memchr(row, '-', (size_t)(end - row)));
    assert_fits(r.out, 100);
    unlink(TMP("extra.yaml"));
}

/* Runs "$CXSIM_BIN ARGS" with standard input from in_path and its
 * output thrown away; returns its exit code and, in *peak_kb, the most
 * memory it held at once (its peak resident set, from wait4). */
static int run_measured(const char *args, const char *in_path, long *peak_kb)
{
    const char *bin = getenv("CXSIM_BIN");
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "exec %s %s <%s >/dev/null 2>&1", bin ? bin : "./cxsim", args, in_path);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
        _exit(127);
    }
    int status;
    struct rusage ru;
    assert_int_equal(wait4(pid, &status, 0, &ru), pid);
    assert_true(WIFEXITED(status));
    *peak_kb = ru.ru_maxrss;
    return WEXITSTATUS(status);
}

/* A workshop script of n changes each taken back, then one run. */
static void write_set_undo(const char *path, unsigned n)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    for (unsigned i = 0; i < n; i++)
        fprintf(f, "set departments.credit.staff %u\nundo\n", 2 + i % 3);
    fputs("run\nquit\n", f);
    assert_int_equal(fclose(f), 0);
}

/* 18.8: the workshop kept every scenario it replaced (some 65 KB for each
 * set and each undo on the dealership), so a long session grew without
 * bound. It keeps the changes undo needs, not the scenarios: 400 changes
 * taken back cost no more memory than 10. (Peak memory through the
 * kernel's counters; meaningless under valgrind, whose own tests are for
 * leaks, and ASan's quarantine is kept small so a freed scenario is not
 * held.) */
static void robust_workshop_memory_stays_flat_over_set_and_undo(void **state)
{
    (void)state;
    if (getenv("CXSIM_BIN") && strstr(getenv("CXSIM_BIN"), "valgrind"))
        skip();
    setenv("ASAN_OPTIONS", "quarantine_size_mb=1:detect_leaks=1", 0);
    write_set_undo(TMP("few.ws"), 10);
    write_set_undo(TMP("many.ws"), 400);
    long few_kb = 0, many_kb = 0;
    assert_int_equal(run_measured("workshop", TMP("few.ws"), &few_kb), 0);
    assert_int_equal(run_measured("workshop", TMP("many.ws"), &many_kb), 0);
    print_message("workshop peak memory: %ld KB after 10 changes undone, %ld KB after 400\n", few_kb, many_kb);
    /* before the fix: about 800 × 65 KB = 52 MB more */
    assert_true(many_kb < few_kb + 8 * 1024);
    unlink(TMP("few.ws"));
    unlink(TMP("many.ws"));
}

/* 18.3: scenarios that never ended. check refuses what the clock cannot
 * resolve and routes whose expected visits are absurd (the catalogue
 * tests/scenarios/bad/: interarrival-tiny, route-endless-visits,
 * request-endless-visits); and every replication has a work bound,
 * max_events (by default 100 times the events its arrivals and routes lead
 * one to expect), past which it stops as overloaded: run says so and
 * leaves it out, trace stops its story there. */
static void robust_work_of_a_replication_is_bounded(void **state)
{
    (void)state;
    static struct run r;
    write_text(TMP("busy.yaml"),
               "name: Busy\nseed: 1\nreplications: 2\nmax_events: 1000\nday: {open: \"09:00\", close: \"12:00\"}\n"
               "departments:\n  desk: {staff: 30, service: {dist: exponential, mean: 4}}\n"
               "customers:\n  walkin: {arrivals: {per_hour: 300}, enter: desk, route: {desk: {exit: 1}}}\n");
    run(&r, "run " TMP("busy.yaml"));
    assert_int_equal(r.code, 0);
    assert_non_null(strstr(r.err, "2 replications were stopped after 1000 events (max_events sets the limit)"));
    assert_non_null(strstr(r.out, "the model handled more events than max_events allows"));
    json_t *doc = run_json("run " TMP("busy.yaml") " --format json");
    json_t *plan = json_array_get(json_object_get(doc, "plans"), 0);
    assert_int_equal(json_integer_value(json_object_get(plan, "overloaded_replications")), 2);
    assert_int_equal(json_integer_value(json_object_get(plan, "replications_over_max_events")), 2);
    json_decref(doc);
    run(&r, "trace " TMP("busy.yaml") " --format csv -o " TMP("busy.csv"));
    assert_int_equal(r.code, 0);
    assert_non_null(strstr(r.err, "the story was stopped after 1000 events"));
    FILE *f = fopen(TMP("busy.csv"), "r");
    assert_non_null(f);
    int lines = 0;
    for (int ch; (ch = fgetc(f)) != EOF;)
        lines += ch == '\n';
    fclose(f);
    assert_true(lines > 100 && lines < 3000);   /* a few lines an event, up to the bound */
    /* without max_events, the bound is far above the day's work */
    write_text(TMP("busy.yaml"),
               "name: Busy\nseed: 1\nreplications: 2\nday: {open: \"09:00\", close: \"12:00\"}\n"
               "departments:\n  desk: {staff: 30, service: {dist: exponential, mean: 4}}\n"
               "customers:\n  walkin: {arrivals: {per_hour: 300}, enter: desk, route: {desk: {exit: 1}}}\n");
    run(&r, "run " TMP("busy.yaml"));
    assert_int_equal(r.code, 0);
    assert_string_equal(r.err, "");
    unlink(TMP("busy.yaml"));
    unlink(TMP("busy.csv"));
}

/* The estimate `cxsim check` gives of one replication's memory at most,
 * in MB, with max_in_system set to `inside`. */
static double estimate_mb(long inside)
{
    static struct run r;
    char args[256];
    snprintf(args, sizeof args, "check tests/scenarios/overloaded.yaml --set max_in_system=%ld", inside);
    run(&r, args);
    assert_int_equal(r.code, 0);
    const char *at = strstr(r.out, "it then takes at most ");
    assert_non_null(at);
    return strtod(at + strlen("it then takes at most "), NULL);
}

/* 18.10: memory was bounded per replication, not per process. Now a
 * budget (--memory; three quarters of the machine's by default) sizes the
 * replications at once from an upper estimate of what one takes, refuses
 * up front what cannot fit one, and keeps vectors only while they fit
 * (past 10,000 replications run and compare summarise them: compare's
 * figures are checked in tests/test_mdl_flow.c). The estimate is measured
 * here against the program's peak memory (not under the sanitizers or
 * valgrind, whose own memory would be counted). */
static void robust_memory_budget_bounds_the_process(void **state)
{
    (void)state;
    const char *bin = getenv("CXSIM_BIN");
    static struct run r;
    run(&r, "run tests/scenarios/overloaded.yaml --set max_in_system=10000000 --memory 1G");
    assert_int_equal(r.code, 64);
    assert_non_null(strstr(r.err, "one replication may take up to "));
    assert_non_null(strstr(r.err, " GB (max_in_system 10000000 customers inside), more than the memory budget "
                                  "leaves it (1.0 GB, --memory)"));
    run(&r, "compare --memory 10M");
    assert_int_equal(r.code, 64);
    assert_non_null(strstr(r.err, "--memory must be a size of at least 64M"));
    if (bin && (strstr(bin, "valgrind") || strstr(bin, "build-check")))
        skip();
    write_text(TMP("empty.in"), "");
    long few_kb = 0, many_kb = 0, one_kb = 0, two_kb = 0;
    /* the estimate is an upper bound of what a customer inside takes, and not a loose one: between
     * the customer's record alone (some 210 bytes) and it with the calendar's and the allocator's
     * growth (some 310), depending on when the arrays last doubled */
    assert_int_equal(run_measured("run tests/scenarios/overloaded.yaml --reps 1 --jobs 1 --set max_in_system=3000",
                                  TMP("empty.in"), &few_kb), 0);
    assert_int_equal(run_measured("run tests/scenarios/overloaded.yaml --reps 1 --jobs 1 --set max_in_system=300000",
                                  TMP("empty.in"), &many_kb), 0);
    double measured = (double)(many_kb - few_kb) * 1024 / 297000;
    double estimated = (estimate_mb(300000) - estimate_mb(3000)) * 1048576 / 297000;
    print_message("a customer inside: %.0f bytes measured, %.0f estimated\n", measured, estimated);
    assert_true(measured <= estimated && measured >= estimated / 3);
    /* two replications of 100,000 customers inside at once, or one when
     * the budget holds only one */
    const char *over = "run tests/scenarios/overloaded.yaml --reps 2 --set max_in_system=100000";
    char args[256];
    snprintf(args, sizeof args, "%s --jobs 2", over);
    assert_int_equal(run_measured(args, TMP("empty.in"), &two_kb), 0);
    snprintf(args, sizeof args, "%s --jobs 2 --memory 64M", over);
    assert_int_equal(run_measured(args, TMP("empty.in"), &one_kb), 0);
    print_message("two at once: %ld KB; within 64 MB: %ld KB\n", two_kb, one_kb);
    assert_true(one_kb < 64 * 1024 && (double)one_kb < 0.75 * (double)two_kb);
    run(&r, "run tests/scenarios/overloaded.yaml --reps 2 --set max_in_system=100000 --jobs 2 --memory 64M");
    assert_non_null(strstr(r.err, "note: 1 replication at a time, not 2: each may take up to"));
    unlink(TMP("empty.in"));
}

/* The CSV lines of the file at path that start with prefix, joined. */
static void csv_lines(const char *path, const char *prefix, char *out, size_t len)
{
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char line[1024];
    size_t used = 0;
    out[0] = '\0';
    while (fgets(line, sizeof line, f))
        if (!strncmp(line, prefix, strlen(prefix)) && used + strlen(line) < len)
            used += (size_t)snprintf(out + used, len - used, "%s", line);
    fclose(f);
}

/* 18.10, sweeps: past 10,000 replications each plan is summarised in
 * tallies as it runs (its memory no longer grows with the replications),
 * and its figures are those of `cxsim run` of that plan, which summarises
 * alike; the database holds no replication values for it. Under MPI the
 * ranks summarise alike and write the same database. */
static void robust_sweep_summarises_past_ten_thousand_replications(void **state)
{
    (void)state;
    static struct run r;
    write_text(TMP("tiny.yaml"),
               "name: Tiny\nseed: 4\nreplications: 2\nday: {open: \"09:00\", close: \"10:00\"}\n"
               "departments:\n  desk: {staff: 1, service: {dist: exponential, mean: 5}}\n"
               "customers:\n  walkin: {arrivals: {per_hour: 6}, enter: desk, route: {desk: {exit: 1}},\n"
               "    patience: {dist: exponential, mean: 10}}\n"
               "sweep:\n  departments.desk.staff: [1, 2]\n");
    remove(TMP("tiny.db"));
    run(&r, "sweep " TMP("tiny.yaml") " --reps 10001 --db " TMP("tiny.db") " --format csv -o " TMP("tiny.csv"));
    assert_int_equal(r.code, 0);
    run(&r, "run " TMP("tiny.yaml") " --reps 10001 --set departments.desk.staff=2 --format csv -o " TMP("run.csv"));
    assert_int_equal(r.code, 0);
    /* the plan's rows, named by its value, against the run's, named baseline */
    static char swept[65536], alone[65536];
    csv_lines(TMP("tiny.csv"), "desk.staff=2,department,desk,", swept, sizeof swept);
    csv_lines(TMP("run.csv"), "baseline,department,desk,", alone, sizeof alone);
    assert_true(strlen(swept) > 200);
    const char *a = alone, *b = swept;
    size_t rows = 0;
    for (; *a && *b; rows++) {
        a = strchr(a, ',') + 1;   /* past the plan's name */
        b = strchr(b, ',') + 1;
        const char *ea = strchr(a, '\n'), *eb = strchr(b, '\n');
        assert_non_null(ea);
        assert_non_null(eb);
        /* the sweep's row adds its plan's value of the swept parameter, as the last column */
        size_t la = (size_t)(ea - a) - (ea > a && ea[-1] == '\r'), lb = (size_t)(eb - b) - (eb > b && eb[-1] == '\r');
        if (la + 2 != lb || memcmp(a, b, la) != 0 || memcmp(b + la, ",2", 2)) {
            print_error("sweep: %.*s\nrun:   %.*s\n", (int)(eb - b), b, (int)(ea - a), a);
            fail();
        }
        a = ea + 1;
        b = eb + 1;
    }
    assert_true(rows > 10);
    /* no replication values kept: every result's reps is NULL */
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(TMP("tiny.db"), &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*), count(reps) FROM results", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_true(sqlite3_column_int64(st, 0) > 100);
    assert_int_equal(sqlite3_column_int64(st, 1), 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    const char *mpi = getenv("CXSIM_MPI_BIN");
    if (mpi && system("command -v mpirun >/dev/null 2>&1") == 0) {
        const char *mpirun = mpi_run();
        char cmd[1024];
        remove(TMP("mpi.db"));
        snprintf(cmd, sizeof cmd, "timeout -k 10 300 %s -np 2 %s sweep %s --reps 10001 --db %s --format csv -o %s "
                 ">/dev/null 2>&1", mpirun, mpi, TMP("tiny.yaml"), TMP("mpi.db"), TMP("mpi.csv"));
        int status = system(cmd);
        assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
        static char by_mpi[65536];
        csv_lines(TMP("mpi.csv"), "desk.staff=2,department,desk,", by_mpi, sizeof by_mpi);
        assert_string_equal(by_mpi, swept);
        remove(TMP("mpi.db"));
        remove(TMP("mpi.csv"));
    }
    static const char *const junk[] = {"tiny.yaml", "tiny.db", "tiny.csv", "run.csv", "tiny.db-wal", "tiny.db-shm"};
    for (size_t i = 0; i < 6; i++) {
        char path[256];
        snprintf(path, sizeof path, CXSIM_TEST_TMP "/robust-%s", junk[i]);
        remove(path);
    }
}

/* A small sweep of two plans, for the MPI tests. */
static const char shop_sweep[] =
    "name: Shop\nseed: 1\nreplications: 2\nday: {open: \"09:00\", close: \"11:00\"}\n"
    "departments:\n  desk: {staff: 1, service: {dist: exponential, mean: 4}}\n"
    "customers:\n  walkin: {arrivals: {per_hour: 10}, enter: desk, route: {desk: {exit: 1}}}\n"
    "sweep:\n  departments.desk.staff: [1, 2]\n";


/* 18.6: a worker that failed before the sweep (no scenario file on its
 * node, a bad option) left rank 0 waiting forever; a worker with another
 * copy of the scenario or another --seed was merged silently. Every rank
 * now joins one agreement before any plan runs, sending its error or the
 * fingerprint of the sweep it would run; rank 0 says which rank differs
 * and how, and every rank stops with that exit code. */
static void robust_mpi_ranks_agree_or_stop(void **state)
{
    (void)state;
    const char *bin = mpi_bin();
    if (!bin)
        return;
    write_text(TMP("a.yaml"), shop_sweep);
    char other[sizeof shop_sweep];
    memcpy(other, shop_sweep, sizeof shop_sweep);
    *strstr(other, "mean: 4") = 'M';   /* "Mean: 4": a scenario that does not load */
    write_text(TMP("broken.yaml"), other);
    memcpy(other, shop_sweep, sizeof shop_sweep);
    strstr(other, "mean: 4")[6] = '5';
    write_text(TMP("b.yaml"), other);
    static struct run r;
    const char *db = " --db " TMP("mpi.db");
    char a0[512], a1[512];
    snprintf(a0, sizeof a0, "sweep %s%s", TMP("a.yaml"), db);

    static const struct {
        const char *rank1;  /* rank 1's arguments, after "sweep " */
        int code;
        const char *says;
    } cases[] = {
        {TMP("missing.yaml"), 66, "rank 1 cannot start the sweep: cannot open"},
        {TMP("broken.yaml"), 65, "rank 1 cannot start the sweep: " TMP("broken.yaml") ":6:49: exponential takes mean"},
        {TMP("a.yaml") " --bogus", 64, "rank 1 cannot start the sweep: unknown option"},
        {TMP("b.yaml"), 65, "rank 1 has another scenario"},
        {TMP("a.yaml") " --seed 7", 64, "rank 1 has another seed (7, rank 0 has 1)"},
        {TMP("a.yaml") " --reps 3", 64, "rank 1 has another number of replications (3, rank 0 has 2)"},
        {TMP("a.yaml") " --set departments.desk.service.mean=5", 64, "rank 1 has other --set or --grid"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        snprintf(a1, sizeof a1, "sweep %s%s", cases[i].rank1, db);
        remove(TMP("mpi.db"));
        run_mpi_pair(&r, bin, a0, a1);
        /* said once, last, by rank 0 (the one rank to exit with the code), and no plan ran */
        assert_mpi_error_last(&r, cases[i].code, cases[i].says);
        assert_null(strstr(r.err, "plans run now"));
    }
    /* a rank that runs another command stops them all (it left rank 0
     * waiting for ever in the sweep's agreement) */
    run_mpi_pair(&r, bin, a0, "run " TMP("a.yaml"));
    assert_mpi_error_last(&r, 64, "rank 1 runs another command than rank 0 (run, not sweep)");
    /* every rank's own mistake, with the line at fault under it; with
     * mpirun -q, the last thing printed at all */
    snprintf(a1, sizeof a1, "sweep %s%s", TMP("broken.yaml"), db);
    run_mpi_pair(&r, bin, a1, a1);
    assert_mpi_error_last(&r, 65, TMP("broken.yaml") ":6:49: error: exponential takes mean");
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "timeout -k 10 120 %s -q -np 2 %s %s", mpi_run(), bin, a1);
    run_shell(&r, cmd, NULL);
    assert_mpi_error_last(&r, 65, TMP("broken.yaml") ":6:49: error: exponential takes mean");
    assert_null(strstr(r.err, "-----"));
    /* the same sweep on both ranks runs */
    remove(TMP("mpi.db"));
    run_mpi_pair(&r, bin, a0, a0);
    assert_int_equal(r.code, 0);
    assert_non_null(strstr(r.err, "2 plans run now by MPI ranks"));
    static const char *const junk[] = {"a.yaml", "b.yaml", "broken.yaml", "mpi.db", "mpi.db-wal", "mpi.db-shm"};
    for (size_t i = 0; i < 6; i++) {
        char path[256];
        snprintf(path, sizeof path, CXSIM_TEST_TMP "/robust-%s", junk[i]);
        remove(path);
    }
}

TEST_TABLE(test_cli_robust, cmocka_unit_test(robust_compare_a_department_only_the_variant_has),
           cmocka_unit_test(robust_workshop_memory_stays_flat_over_set_and_undo),
           cmocka_unit_test(robust_mpi_ranks_agree_or_stop),
           cmocka_unit_test(robust_work_of_a_replication_is_bounded),
           cmocka_unit_test(robust_memory_budget_bounds_the_process),
           cmocka_unit_test(robust_sweep_summarises_past_ten_thousand_replications))
