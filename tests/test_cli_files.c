/* tests/test_cli_files.c — the second attack on files (issue 18, items 2,
 * 4, 5, 9 and 11), one test per failure, each written before its fix:
 * where cxsim writes (reports, traces, sweep databases, merges), what it
 * reads back from a database, and what a signal or a file-size limit leaves
 * behind.
 *
 * Invariant of these tests: nothing outside their own directory is ever at
 * risk. Devices and FIFOs are made in that directory (mknod, mkfifo), never
 * /dev/null itself; a regression would damage only them. Each test makes its
 * directory under the build's test directory and removes it whole.
 *
 * Not here: the writers' contents (test_out_writers.c), the sweep's results
 * (test_cli_plans.c), atomic replacement itself (test_out_file.c).
 */
#define _XOPEN_SOURCE 700   /* mknod, mkdtemp */
#include "tests/testutil.h"
#include "tests/clirun.h"

#include <dirent.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>

/* A shop small enough to sweep in a blink: 3 plans of 2 days. */
static const char shop[] =
    "name: Shop\nseed: 1\nreplications: 2\nday: {open: \"09:00\", close: \"11:00\"}\n"
    "departments:\n  desk: {staff: 1, service: {dist: exponential, mean: 4}}\n"
    "customers:\n  walkin: {arrivals: {per_hour: 10}, enter: desk, route: {desk: {exit: 1}}}\n"
    "sweep:\n  departments.desk.staff: [1, 2, 3]\n";

/* The test's own directory, made fresh (removed with tidy). */
static void fresh_dir(char *dir, size_t len, const char *name)
{
    mkdir(CXSIM_TEST_TMP, 0777);   /* (make test makes it; a lone run_tests may not have) */
    snprintf(dir, len, CXSIM_TEST_TMP "/files-%s-XXXXXX", name);
    assert_non_null(mkdtemp(dir));
}

static void tidy(const char *dir)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

/* dir/name into buf. */
static const char *in(char *buf, size_t len, const char *dir, const char *name)
{
    snprintf(buf, len, "%s/%s", dir, name);
    return buf;
}

/* The program the tests run ($CXSIM_BIN, as tests/clirun.h). */
static const char *bin(void)
{
    const char *b = getenv("CXSIM_BIN");
    return b ? b : "./cxsim";
}

/* Runs shell text (printf-style) and captures its exit code, stdout and
 * stderr as tests/clirun.h's run() does; %s of bin() gives the program. */
static void sh_run(struct run *r, const char *fmt, ...)
{
    char text[3072], cmd[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    char out[] = "/tmp/cxsim-test-out-XXXXXX", err[] = "/tmp/cxsim-test-err-XXXXXX";
    int fo = mkstemp(out), fe = mkstemp(err);
    assert_true(fo >= 0 && fe >= 0);
    close(fo);
    close(fe);
    snprintf(cmd, sizeof cmd, "{ %s ; } >%s 2>%s", text, out, err);
    int status = system(cmd);
    assert_true(WIFEXITED(status));
    r->code = WEXITSTATUS(status);
    slurp(out, r->out, sizeof r->out);
    slurp(err, r->err, sizeof r->err);
    unlink(out);
    unlink(err);
}

/* Runs cxsim with printf-style arguments, killed after 60 s (a hang is a
 * failure, exit 137, not a test that never ends). */
#define runf(r, ...) runf_((r), __VA_ARGS__)
static void runf_(struct run *r, const char *fmt, ...)
{
    char args[3072];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(args, sizeof args, fmt, ap);
    va_end(ap);
    sh_run(r, "timeout -s KILL 60 %s %s", bin(), args);
}

/* The names in dir, sorted, one per line (the test's view of what was left). */
static void listing(const char *dir, char *buf, size_t len)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "ls -A '%s'", dir);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t n = fread(buf, 1, len - 1, p);
    buf[n] = '\0';
    pclose(p);
}

static void assert_listing(const char *dir, const char *want)
{
    char have[4096];
    listing(dir, have, sizeof have);
    if (strcmp(have, want)) {
        print_error("%s holds:\n%s\nexpected:\n%s\n", dir, have, want);
        fail();
    }
}

/* The kind of what is at path, not following a link: 'f' file, 'l' link,
 * 'p' FIFO, 'c' character device, 'd' directory, '-' nothing. */
static char kind_of(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return '-';
    return S_ISREG(st.st_mode) ? 'f' : S_ISLNK(st.st_mode) ? 'l' : S_ISFIFO(st.st_mode) ? 'p'
         : S_ISCHR(st.st_mode) ? 'c' : S_ISDIR(st.st_mode) ? 'd' : '?';
}

/* A sweep database of the shop (all 3 plans, or one shard's) at dir/name;
 * the scenario is dir/shop.yaml. */
static void make_db(const char *dir, const char *name, const char *shard)
{
    static struct run r;
    char scen[512];
    write_text(in(scen, sizeof scen, dir, "shop.yaml"), shop);
    runf(&r, "sweep %s --jobs 1 %s --db %s/%s -o /dev/null", scen, shard, dir, name);
    assert_int_equal(r.code, 0);
}

/* ---- item 2: devices, FIFOs and links are never replaced -------------- */

/* 18.2: `cxsim merge /dev/null A.db` replaced the device by an SQLite file
 * (merge renamed its temporary over OUT without the check -o has). Here a
 * null device, a FIFO and a link to each, all our own: merge refuses each
 * (73), leaves it what it was and creates nothing beside it. */
static void files_merge_never_replaces_a_device_or_fifo(void **state)
{
    (void)state;
    static struct run r;
    char dir[256], p[512];
    fresh_dir(dir, sizeof dir, "merge-dev");
    make_db(dir, "a.db", "");
    bool dev = mknod(in(p, sizeof p, dir, "null"), S_IFCHR | 0666, makedev(1, 3)) == 0;
    assert_int_equal(mkfifo(in(p, sizeof p, dir, "pipe"), 0600), 0);
    assert_int_equal(symlink("pipe", in(p, sizeof p, dir, "to-pipe")), 0);
    assert_int_equal(symlink("null", in(p, sizeof p, dir, "to-null")), 0);
    const char *outs[] = {"pipe", "to-pipe", "null", "to-null"};
    for (size_t i = 0; i < (dev ? 4u : 2u); i++) {
        runf(&r, "merge %s/%s %s/a.db", dir, outs[i], dir);
        if (r.code != 73 || !strstr(r.err, "not a regular file")) {
            print_error("merge into %s: exit %d, %s\n", outs[i], r.code, r.err);
            fail();
        }
    }
    assert_int_equal(kind_of(in(p, sizeof p, dir, "pipe")), 'p');
    assert_int_equal(kind_of(in(p, sizeof p, dir, "to-pipe")), 'l');
    if (dev) {
        assert_int_equal(kind_of(in(p, sizeof p, dir, "null")), 'c');
        assert_int_equal(kind_of(in(p, sizeof p, dir, "to-null")), 'l');
        assert_listing(dir, "a.db\nnull\npipe\nshop.yaml\nto-null\nto-pipe\n");
        /* Only now, with our own device proven safe, the machine's: the
         * bug's very command, refused before anything is made beside it. */
        runf(&r, "merge /dev/null %s/a.db", dir);
        assert_int_equal(r.code, 73);
        runf(&r, "sweep %s/shop.yaml --db /dev/null", dir);
        assert_int_equal(r.code, 73);
        assert_int_equal(kind_of("/dev/null"), 'c');
        sh_run(&r, "ls -A /dev | grep -c '^null.'");
        assert_string_equal(r.out, "0\n");
    } else {
        unlink(in(p, sizeof p, dir, "to-null"));
        assert_listing(dir, "a.db\npipe\nshop.yaml\nto-pipe\n");
    }
    tidy(dir);
}

/* 18.2: `sweep --db /dev/null` left /dev/null-journal. A database is a
 * regular file or nothing yet: a device, a FIFO or a link to one is refused
 * (73) before SQLite opens it, and nothing is made beside it. */
static void files_sweep_db_is_never_a_device_or_fifo(void **state)
{
    (void)state;
    static struct run r;
    char dir[256], p[512], scen[512];
    fresh_dir(dir, sizeof dir, "db-dev");
    write_text(in(scen, sizeof scen, dir, "shop.yaml"), shop);
    bool dev = mknod(in(p, sizeof p, dir, "null"), S_IFCHR | 0666, makedev(1, 3)) == 0;
    assert_int_equal(mkfifo(in(p, sizeof p, dir, "pipe"), 0600), 0);
    assert_int_equal(symlink("pipe", in(p, sizeof p, dir, "to-pipe")), 0);
    const char *dbs[] = {"pipe", "to-pipe", "null"};
    for (size_t i = 0; i < (dev ? 3u : 2u); i++) {
        /* (a FIFO once made SQLite wait forever for its first page) */
        runf(&r, "sweep %s --db %s/%s -o /dev/null", scen, dir, dbs[i]);
        if (r.code != 73 || !strstr(r.err, "not a regular file")) {
            print_error("sweep --db %s: exit %d, %s\n", dbs[i], r.code, r.err);
            fail();
        }
    }
    assert_int_equal(kind_of(in(p, sizeof p, dir, "pipe")), 'p');
    if (dev) {
        assert_int_equal(kind_of(in(p, sizeof p, dir, "null")), 'c');
        assert_listing(dir, "null\npipe\nshop.yaml\nto-pipe\n");
    } else {
        assert_listing(dir, "pipe\nshop.yaml\nto-pipe\n");
    }
    tidy(dir);
}

/* 18.2: `cxsim sweep /dev/stdin` created /dev/stdin.sweep.db: the default
 * database is named after the scenario, and beside it. Only a regular file
 * named .yaml or .yml gives one; a scenario read from a FIFO, or through a
 * link named otherwise (as /dev/stdin is), needs --db (64), and nothing is
 * created. */
static void files_sweep_default_db_only_beside_a_yaml_file(void **state)
{
    (void)state;
    static struct run r;
    char dir[256], p[512], scen[512];
    fresh_dir(dir, sizeof dir, "stdin");
    write_text(in(scen, sizeof scen, dir, "shop.yaml"), shop);
    assert_int_equal(symlink("shop.yaml", in(p, sizeof p, dir, "stdin")), 0);
    runf(&r, "sweep %s/stdin", dir);
    assert_int_equal(r.code, 64);
    assert_non_null(strstr(r.err, "--db"));
    assert_int_equal(mkfifo(in(p, sizeof p, dir, "pipe.yaml"), 0600), 0);
    sh_run(&r, "timeout -s KILL 60 sh -c 'cat %s > %s/pipe.yaml' & timeout -s KILL 60 %s sweep %s/pipe.yaml; "
              "rc=$?; wait; exit $rc", scen, dir, bin(), dir);
    assert_int_equal(r.code, 64);
    assert_non_null(strstr(r.err, "--db"));
    assert_listing(dir, "pipe.yaml\nshop.yaml\nstdin\n");
    /* a scenario at the end of a link named .yaml: the database beside the
     * link, named by the user */
    assert_int_equal(symlink("shop.yaml", in(p, sizeof p, dir, "current.yaml")), 0);
    runf(&r, "sweep %s/current.yaml -o /dev/null", dir);
    assert_int_equal(r.code, 0);
    assert_int_equal(kind_of(in(p, sizeof p, dir, "current.sweep.db")), 'f');
    tidy(dir);
}

TEST_TABLE(test_cli_files, cmocka_unit_test(files_merge_never_replaces_a_device_or_fifo),
           cmocka_unit_test(files_sweep_db_is_never_a_device_or_fifo),
           cmocka_unit_test(files_sweep_default_db_only_beside_a_yaml_file))
