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
#include "tests/dbutil.h"
#include "tests/clirun.h"

#include <dirent.h>
#include <signal.h>
#include <stdarg.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>

/* A shop small enough to sweep in a blink: 3 plans of 2 days. */
static const char shop[] =
    "name: Shop\nseed: 1\nreplications: 2\nday: {open: \"09:00\", close: \"11:00\"}\n"
    "departments:\n  desk: {staff: 1, service: {dist: exponential, mean: 4}, target_wait: 5, service_target: 0.8}\n"
    "customers:\n  walkin: {arrivals: {per_hour: 10}, enter: desk, route: {desk: {exit: 1}}}\n"
    "sweep:\n  departments.desk.staff: [1, 2, 3]\n";

/* The test's own directory, made fresh (removed with tidy). */
static void fresh_dir(char *dir, size_t len, const char *name)
{
    test_fresh_dir(dir, len, "files", name);
}

static void tidy(const char *dir)
{
    test_tidy(dir);
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
    char text[3072], head[3200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    snprintf(head, sizeof head, "{ %s ; }", text);
    run_shell(r, head, NULL);
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
    snprintf(cmd, sizeof cmd, "LC_ALL=C ls -A '%s'", dir);
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


/* ---- item 11: output files ---------------------------------------------- */

static unsigned mode_of(const char *path)
{
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    return (unsigned)(st.st_mode & 07777);
}

/* 18.11: merge silently replaced an existing OUT that was not among its
 * inputs, losing its plans. Now such an OUT, a database of the same sweep,
 * is joined too (and merge says so); a file there that is not one is
 * refused (73) and left as it was; an empty file (mktemp's) is replaced. */
static void files_merge_keeps_what_out_held(void **state)
{
    (void)state;
    static struct run r;
    char dir[256], p[512];
    fresh_dir(dir, sizeof dir, "merge-out");
    make_db(dir, "out.db", "--shard 1/3");
    make_db(dir, "s2.db", "--shard 2/3");
    make_db(dir, "s3.db", "--shard 3/3");
    runf(&r, "merge %s/out.db %s/s2.db %s/s3.db", dir, dir, dir);
    assert_int_equal(r.code, 0);
    assert_non_null(strstr(r.err, "holds all 3 plans"));
    assert_non_null(strstr(r.err, "was there already: its plans are kept"));
    assert_int_equal(test_db_query(in(p, sizeof p, dir, "out.db"), "SELECT count(*) FROM plans"), 3);
    write_text(in(p, sizeof p, dir, "notes.db"), "the user's notes, not a database\n");
    runf(&r, "merge %s/notes.db %s/s2.db", dir, dir);
    assert_int_equal(r.code, 73);
    assert_non_null(strstr(r.err, "notes.db exists and is not a cxsim sweep database"));
    char text[128];
    slurp(in(p, sizeof p, dir, "notes.db"), text, sizeof text);
    assert_string_equal(text, "the user's notes, not a database\n");
    write_text(in(p, sizeof p, dir, "empty.db"), "");
    runf(&r, "merge %s/empty.db %s/s2.db", dir, dir);
    assert_int_equal(r.code, 0);
    assert_int_equal(test_db_query(in(p, sizeof p, dir, "empty.db"), "SELECT count(*) FROM plans"), 1);
    tidy(dir);
}

/* 18.11: merge replaced a symbolic link by a file and left the new file
 * 0600; -o turned a 0600 file into 0644. A link stays a link (the file it
 * names is replaced, as -o always did), a file replaced keeps its mode, a
 * new one gets 0666 less the umask. */
static void files_links_and_modes_are_kept(void **state)
{
    (void)state;
    static struct run r;
    char dir[256], p[512], q[512];
    fresh_dir(dir, sizeof dir, "modes");
    make_db(dir, "real.db", "--shard 1/3");
    make_db(dir, "s2.db", "--shard 2/3");
    assert_int_equal(chmod(in(p, sizeof p, dir, "real.db"), 0640), 0);
    assert_int_equal(symlink("real.db", in(p, sizeof p, dir, "link.db")), 0);
    runf(&r, "merge %s/link.db %s/link.db %s/s2.db", dir, dir, dir);
    assert_int_equal(r.code, 0);
    assert_int_equal(kind_of(in(p, sizeof p, dir, "link.db")), 'l');
    assert_int_equal(mode_of(in(p, sizeof p, dir, "real.db")), 0640);
    assert_int_equal(test_db_query(in(p, sizeof p, dir, "real.db"), "SELECT count(*) FROM plans"), 2);
    sh_run(&r, "umask 022 && %s merge %s/new.db %s/s2.db", bin(), dir, dir);
    assert_int_equal(r.code, 0);
    assert_int_equal(mode_of(in(p, sizeof p, dir, "new.db")), 0644);
    /* -o: a private report stays private, through a link too */
    write_text(in(p, sizeof p, dir, "private.txt"), "old\n");
    assert_int_equal(chmod(p, 0600), 0);
    runf(&r, "run %s/shop.yaml --reps 2 -o %s", dir, p);
    assert_int_equal(r.code, 0);
    assert_int_equal(mode_of(p), 0600);
    assert_int_equal(symlink("private.txt", in(q, sizeof q, dir, "to-private.txt")), 0);
    assert_int_equal(chmod(p, 0640), 0);
    runf(&r, "run %s/shop.yaml --reps 2 --format csv -o %s", dir, q);
    assert_int_equal(r.code, 0);
    assert_int_equal(kind_of(q), 'l');
    assert_int_equal(mode_of(p), 0640);
    sh_run(&r, "umask 027 && %s run %s/shop.yaml --reps 2 -o %s/fresh.txt", bin(), dir, dir);
    assert_int_equal(r.code, 0);
    assert_int_equal(mode_of(in(p, sizeof p, dir, "fresh.txt")), 0640);
    tidy(dir);
}

/* 18.11: a 250-byte name failed: its temporary (NAME.tmp-XXXXXX) passed
 * NAME_MAX. The temporary's name is cut instead, at a character's start
 * (here a name of 2-byte characters), for -o and for merge. */
static void files_long_names_are_written(void **state)
{
    (void)state;
    static struct run r;
    char dir[256], name[300], wide[300], p[768], want[400];
    fresh_dir(dir, sizeof dir, "long");
    make_db(dir, "a.db", "");
    memset(name, 'r', 246);
    strcpy(name + 246, ".txt");
    runf(&r, "run %s/shop.yaml --reps 2 -o %s/%s", dir, dir, name);
    assert_int_equal(r.code, 0);
    assert_int_equal(kind_of(in(p, sizeof p, dir, name)), 'f');
    for (size_t i = 0; i < 124; i++)
        memcpy(wide + 2 * i, "\xc3\xa9", 2);   /* é */
    strcpy(wide + 248, ".db");
    runf(&r, "merge '%s/%s' %s/a.db", dir, wide, dir);
    assert_int_equal(r.code, 0);
    assert_int_equal(test_db_query(in(p, sizeof p, dir, wide), "SELECT count(*) FROM plans"), 3);
    assert_int_equal(unlink(p), 0);
    /* a database's own name leaves room for SQLite's FILE-journal: a
     * longer one is refused before anything is made */
    runf(&r, "sweep %s/shop.yaml --db '%s/%s'", dir, dir, wide);
    assert_int_equal(r.code, 73);
    assert_non_null(strstr(r.err, "the name is too long for a database"));
    snprintf(want, sizeof want, "a.db\n%s\nshop.yaml\n", name);
    assert_listing(dir, want);
    tidy(dir);
}

/* 18.11: -o naming the sweep's own database replaced it with the report.
 * The two are compared as files (device and inode), not as names: the same
 * name, a link to it or a second hard link are all refused (64) before any
 * plan runs, and the database keeps every plan. */
static void files_sweep_report_never_replaces_its_database(void **state)
{
    (void)state;
    static struct run r;
    char dir[256], p[512], q[512];
    fresh_dir(dir, sizeof dir, "o-db");
    make_db(dir, "s.db", "--shard 1/3");
    assert_int_equal(symlink("s.db", in(p, sizeof p, dir, "soft.db")), 0);
    assert_int_equal(link(in(p, sizeof p, dir, "s.db"), in(q, sizeof q, dir, "hard.db")), 0);
    const char *outs[] = {"s.db", "soft.db", "hard.db", "s.db-wal"};
    for (size_t i = 0; i < 4; i++) {
        runf(&r, "sweep %s/shop.yaml --db %s/s.db -o %s/%s", dir, dir, dir, outs[i]);
        if (r.code != 64 || !strstr(r.err, "is the sweep's database") || strstr(r.err, "run now")) {
            print_error("-o %s: exit %d, %s\n", outs[i], r.code, r.err);
            fail();
        }
    }
    assert_int_equal(test_db_query(in(p, sizeof p, dir, "s.db"), "SELECT count(*) FROM plans"), 1);
    assert_int_equal(test_db_query(p, "SELECT count(*) FROM pragma_integrity_check WHERE integrity_check = 'ok'"), 1);
    tidy(dir);
}

/* 18.11: a read-only database ran a plan, then failed to write it (74).
 * It is refused when opened (73), before any plan runs. As root, whom no
 * file mode stops, the program runs without the capability to override
 * file modes (setpriv). */
static void files_sweep_refuses_a_read_only_database_at_once(void **state)
{
    (void)state;
    static struct run r;
    char dir[256], p[512];
    fresh_dir(dir, sizeof dir, "ro");
    make_db(dir, "s.db", "--shard 1/3");
    assert_int_equal(chmod(in(p, sizeof p, dir, "s.db"), 0444), 0);
    const char *as = "";
    if (geteuid() == 0) {
        if (system("command -v setpriv >/dev/null") != 0) {
            print_message("(skipped: as root, this needs setpriv to drop CAP_DAC_OVERRIDE)\n");
            tidy(dir);
            return;
        }
        as = "setpriv --bounding-set=-dac_override,-dac_read_search --inh-caps=-dac_override,-dac_read_search";
    }
    sh_run(&r, "%s %s sweep %s/shop.yaml --db %s/s.db -o /dev/null", as, bin(), dir, dir);
    assert_int_equal(r.code, 73);
    assert_non_null(strstr(r.err, "read-only"));
    assert_null(strstr(r.err, "run now"));
    assert_listing(dir, "s.db\nshop.yaml\n");
    tidy(dir);
}


/* ---- item 9: a file-size limit, and signals ----------------------------- */

/* The size of the first file in dir whose name starts with prefix, or -1. */
static long long size_of_first(const char *dir, const char *prefix)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    long long size = -1;
    for (struct dirent *e; size < 0 && (e = readdir(d));) {
        char p[1024];
        struct stat st;
        if (!strncmp(e->d_name, prefix, strlen(prefix)) && stat(in(p, sizeof p, dir, e->d_name), &st) == 0)
            size = (long long)st.st_size;
    }
    closedir(d);
    return size;
}

/* 18.9: under `ulimit -f`, SIGXFSZ killed cxsim and left FILE.tmp-XXXXXX
 * (the older test in test_cli.c ignored the signal in the shell first).
 * cxsim ignores it itself: the write fails, exit 74, nothing is left; a
 * merge too, and a sweep whose database cannot grow. */
static void files_file_size_limit_is_a_write_error(void **state)
{
    (void)state;
    static struct run r;
    char dir[256];
    fresh_dir(dir, sizeof dir, "ulimit");
    make_db(dir, "a.db", "");
    const char *cmds[] = {"trace -o %s/out", "run %s/shop.yaml --reps 3 --format json -o %s/out",
                          "merge %s/out %s/a.db"};
    for (size_t i = 0; i < 3; i++) {
        char args[600];
        snprintf(args, sizeof args, cmds[i], dir, dir);
        sh_run(&r, "ulimit -f 1; exec %s %s", bin(), args);
        if (r.code != 74 || !strstr(r.err, "error: cannot ")) {
            print_error("%s: exit %d, %s\n", args, r.code, r.err);
            fail();
        }
        /* no out, no out.tmp-XXXXXX, no out.tmp-XXXXXX-journal (SQLite
         * may leave the input's own -wal and -shm: they are its files) */
        assert_true(size_of_first(dir, "out") == -1);
    }
    sh_run(&r, "ulimit -f 1; exec %s sweep %s/shop.yaml --db %s/new.db", bin(), dir, dir);
    assert_int_equal(r.code, 74);
    assert_null(strstr(r.err, "run now"));
    tidy(dir);
}

/* A steady-state run whose trace is some 700 MB: long enough to be
 * stopped early. */
static const char long_run[] =
    "name: Long\nseed: 1\nreplications: 1\nrun: {warmup: 0, length: 2000000}\n"
    "departments:\n  desk: {staff: 4, service: {dist: exponential, mean: 1}}\n"
    "customers:\n  caller: {arrivals: {per_hour: 120}, enter: desk, route: {desk: {exit: 1}}}\n";

/* Starts cxsim ARGS in the background with the signals' default actions
 * (as a shell in a terminal would); returns its pid. */
static pid_t start(const char *args)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "exec %s %s >/dev/null 2>&1", bin(), args);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        signal(SIGINT, SIG_DFL);
        signal(SIGTERM, SIG_DFL);
        signal(SIGHUP, SIG_DFL);
        execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
        _exit(127);
    }
    return pid;
}

/* 18.9: SIGINT, SIGTERM or SIGHUP during `trace -o` left a temporary of
 * 100 MB. cxsim removes its temporaries, then dies of the signal as before
 * (the shell's 128+N). Each signal is sent once the temporary holds 64 KB. */
static void files_signals_leave_no_temporary(void **state)
{
    (void)state;
    char dir[256], p[512], args[1024];
    fresh_dir(dir, sizeof dir, "signals");
    write_text(in(p, sizeof p, dir, "long.yaml"), long_run);
    const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
    for (size_t i = 0; i < 3; i++) {
        snprintf(args, sizeof args, "trace %s/long.yaml -o %s/trace.txt", dir, dir);
        pid_t pid = start(args);
        long long size = -1;
        for (int k = 0; k < 60000 && size < 65536; k++) {
            nanosleep(&(struct timespec){0, 1000000}, NULL);
            size = size_of_first(dir, "trace.txt.tmp-");
        }
        assert_true(size >= 65536);
        kill(pid, sigs[i]);
        int status;
        assert_int_equal(waitpid(pid, &status, 0), pid);
        if (!WIFSIGNALED(status) || WTERMSIG(status) != sigs[i]) {
            print_error("signal %d: the trace ended with status %#x\n", sigs[i], status);
            fail();
        }
        assert_listing(dir, "long.yaml\n");
    }
    tidy(dir);
}

/* A busy shop whose plans take a third of a second each (150 days of
 * 9,600 customers): time enough to be stopped between two. */
static const char busy_shop[] =
    "name: Busy shop\nseed: 1\nreplications: 150\nday: {open: \"06:00\", close: \"22:00\"}\n"
    "departments:\n  desk: {staff: 50, service: {dist: exponential, mean: 4}, target_wait: 5, service_target: 0.8}\n"
    "customers:\n  walkin: {arrivals: {per_hour: 600}, enter: desk, route: {desk: {exit: 1}}}\n"
    "sweep:\n  departments.desk.staff: [50, 60, 70]\n";

/* A sweep stopped by Ctrl-C keeps its behaviour: the plans committed stay,
 * whole, and the same command completes them. */
static void files_sweep_interrupted_keeps_its_plans(void **state)
{
    (void)state;
    static struct run r;
    char dir[256], p[512], args[1024];
    fresh_dir(dir, sizeof dir, "sweep-int");
    write_text(in(p, sizeof p, dir, "shop.yaml"), busy_shop);
    snprintf(args, sizeof args, "sweep %s/shop.yaml --jobs 1 --db %s/s.db -o %s/report.txt", dir, dir, dir);
    pid_t pid = start(args);
    in(p, sizeof p, dir, "s.db");
    for (int k = 0; k < 60000 && test_db_query(p, "SELECT count(*) FROM plans") < 1; k++)
        nanosleep(&(struct timespec){0, 1000000}, NULL);
    kill(pid, SIGINT);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGINT);
    long long held = test_db_query(p, "SELECT count(*) FROM plans");
    assert_true(held >= 1 && held < 3);
    assert_int_equal(test_db_query(p, "SELECT count(*) FROM pragma_integrity_check WHERE integrity_check = 'ok'"), 1);
    runf(&r, "%s", args);
    assert_int_equal(r.code, 0);
    assert_non_null(strstr(r.err, "done before"));
    assert_int_equal(test_db_query(p, "SELECT count(*) FROM plans"), 3);
    assert_listing(dir, "report.txt\ns.db\nshop.yaml\n");
    tidy(dir);
}


/* ---- items 4 and 5: a damaged or crafted database ----------------------- */

/* Runs SQL on the database at path (to craft one). */
static void sql(const char *path, const char *text)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    char *msg = NULL;
    if (sqlite3_exec(db, text, NULL, NULL, &msg) != SQLITE_OK) {
        print_error("%s: %s\n", text, msg);
        fail();
    }
    assert_int_equal(sqlite3_close(db), SQLITE_OK);
}

static void copy_file(const char *from, const char *to)
{
    char cmd[1100];
    snprintf(cmd, sizeof cmd, "cp '%s' '%s'", from, to);
    assert_int_equal(system(cmd), 0);
}

static long long file_size(const char *path)
{
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    return (long long)st.st_size;
}

/* True when the files at a and b hold the same bytes. */
static bool same_bytes(const char *a, const char *b)
{
    char cmd[1100];
    snprintf(cmd, sizeof cmd, "cmp -s '%s' '%s'", a, b);
    return system(cmd) == 0;
}

/* 18.4: random bytes inside a sweep database gave exit 0 and a wrong report
 * (rows silently missing, a CSV of its header only, `(null)` for a swept
 * value). Each page of a database is damaged in turn, at a place of its
 * own, with zeros or with 0xFF: the sweep either reports exactly what it
 * reported before, or refuses (65 "the database is damaged", or 73 when
 * the damage changed its identity) and writes no report. */
static void files_damaged_database_never_gives_a_partial_report(void **state)
{
    (void)state;
    static struct run r;
    char dir[256], base[512], d[512], good[2][512], out[512];
    fresh_dir(dir, sizeof dir, "damaged");
    make_db(dir, "base.db", "");
    in(base, sizeof base, dir, "base.db");
    in(d, sizeof d, dir, "d.db");
    in(out, sizeof out, dir, "out");
    static const char *const formats[] = {"csv", "text"};
    for (int f = 0; f < 2; f++) {
        snprintf(good[f], sizeof good[f], "%s/good.%s", dir, formats[f]);
        runf(&r, "sweep %s/shop.yaml --db %s --format %s -o %s", dir, base, formats[f], good[f]);
        assert_int_equal(r.code, 0);
    }
    long long size = file_size(base);
    int refused = 0;
    for (long long page = 1; page < size / 4096; page++) {
        for (int b = 0; b < 2; b++) {
            copy_file(base, d);
            FILE *fd = fopen(d, "r+b");
            assert_non_null(fd);
            long at = (long)(page * 4096 + (page * 347 + 1000 * b) % 4000);
            assert_int_equal(fseek(fd, at, SEEK_SET), 0);
            for (int k = 0; k < 32; k++)
                fputc(b ? 0xFF : 0x00, fd);
            assert_int_equal(fclose(fd), 0);
            int f = (int)(page + b) % 2;
            unlink(out);
            runf(&r, "sweep %s/shop.yaml --db %s --format %s -o %s", dir, d, formats[f], out);
            bool same = r.code == 0 && same_bytes(out, good[f]);
            bool said = (r.code == 65 && strstr(r.err, "the database is damaged")) || r.code == 73;
            if (!same && !(said && kind_of(out) == '-')) {
                print_error("%d bytes 0x%02X at %ld, --format %s: exit %d, %s\n", 32, b ? 0xFF : 0, at, formats[f],
                            r.code, r.err);
                fail();
            }
            refused += !same;
        }
    }
    assert_true(refused > 0);
    tidy(dir);
}

/* 18.4: a database damaged so that SQLite reads it well but cxsim's rows
 * are not what it writes: every read checks its rows, and each of these is
 * refused (65) by every report and by merge, never reported in part. */
static void files_crafted_rows_are_refused(void **state)
{
    (void)state;
    static struct run r;
    char dir[256], base[512], d[512];
    fresh_dir(dir, sizeof dir, "crafted");
    make_db(dir, "base.db", "");
    in(base, sizeof base, dir, "base.db");
    in(d, sizeof d, dir, "d.db");
    static const char *const crafts[] = {
        "DELETE FROM plan_values WHERE plan = 1",                                /* once printed (null) */
        "UPDATE results SET reps = x'0000000000000000' WHERE plan = 0 AND ord = 0", /* JSON read past it */
        "DELETE FROM metrics WHERE metric = 'wait_mean'",                        /* rows silently missing */
        "UPDATE scopes SET kind = 'bogus' WHERE plan = 2 AND scope = 0",
        "UPDATE plans SET name = 'x' || char(27) || '[2J' WHERE plan = 0",       /* a terminal's escape */
        "UPDATE goals SET verdict = 7 WHERE plan = 1",
        "UPDATE results SET ci_high = -1 WHERE plan = 0 AND ord = 0",            /* an interval without its mean */
        "UPDATE results SET scope = 99 WHERE plan = 1 AND ord = 3",
        "UPDATE plan_values SET value = '7' WHERE plan = 2",                     /* not a value of the axis */
        "UPDATE plans SET overloaded = 3 WHERE plan = 0",                        /* more than its 2 replications */
        /* a schema that is not cxsim's: what it would run is not cxsim's */
        "CREATE TRIGGER t AFTER INSERT ON plans BEGIN DELETE FROM plans; END",
        "ALTER TABLE plans RENAME TO p2; CREATE VIEW plans AS SELECT * FROM p2",
        "DROP VIEW summary",
    };
    static const char *const commands[] = {"--format csv", "--format text", "--format json", "merge"};
    for (size_t c = 0; c < sizeof crafts / sizeof crafts[0]; c++)
        for (size_t k = 0; k < 4; k++) {
            copy_file(base, d);
            sql(d, crafts[c]);
            if (k < 3)
                runf(&r, "sweep %s/shop.yaml --db %s %s -o %s/out", dir, d, commands[k], dir);
            else
                runf(&r, "merge %s/out %s", dir, d);
            if (r.code != 65 || !strstr(r.err, "the database is damaged") || kind_of(in(base, sizeof base, dir, "out")) != '-') {
                print_error("%s, then %s: exit %d, %s\n", crafts[c], commands[k], r.code, r.err);
                fail();
            }
            in(base, sizeof base, dir, "base.db");
        }
    tidy(dir);
}

/* 18.5: a crafted database wrote out of bounds: meta.nplans larger than the
 * grid and a plan numbered beyond it overran out_sweepdb_done's bitmap
 * (AddressSanitizer), and nplans = 2^64-1 aborted merge. Every number read
 * is bounded, and the grid a database states is checked against its own
 * axes and the scenario's: each of these is damage (65), for sweep and for
 * merge. */
static void files_crafted_numbers_stay_in_bounds(void **state)
{
    (void)state;
    static struct run r;
    char dir[256], base[512], d[512];
    fresh_dir(dir, sizeof dir, "bounds");
    make_db(dir, "base.db", "--shard 1/2");
    in(base, sizeof base, dir, "base.db");
    in(d, sizeof d, dir, "d.db");
    static const char *const crafts[] = {
        "UPDATE meta SET value = '100' WHERE key = 'nplans'; UPDATE plans SET plan = 99 WHERE plan = 2",
        "UPDATE plans SET plan = 99 WHERE plan = 2",
        "UPDATE meta SET value = '18446744073709551615' WHERE key = 'nplans'",
        "UPDATE meta SET value = '3x' WHERE key = 'nplans'",
        "UPDATE plans SET plan = -1 WHERE plan = 0",
        "UPDATE axes SET nvalues = 1000",
        "UPDATE axes SET vals = '1' || char(10) || '2' || char(10) || '4'",
        "UPDATE axes SET path = 'departments.desk.other'",
        "INSERT INTO axes VALUES(1, 'departments.desk.staff', 1, '9')",
        "UPDATE plans SET plan = 4611686018427387904 WHERE plan = 0",
    };
    for (size_t c = 0; c < sizeof crafts / sizeof crafts[0]; c++)
        for (int k = 0; k < 2; k++) {
            copy_file(base, d);
            sql(d, crafts[c]);
            if (k == 0)
                runf(&r, "sweep %s/shop.yaml --db %s -o %s/out", dir, d, dir);
            else
                runf(&r, "merge %s/out %s", dir, d);
            if (r.code != 65 || !strstr(r.err, "the database is damaged") || strstr(r.err, "run now")) {
                print_error("%s, then %s: exit %d, %s\n", crafts[c], k ? "merge" : "sweep", r.code, r.err);
                fail();
            }
        }
    /* the replications are the sweep's identity too: sweep says it holds
     * another sweep (73); merge, which has no scenario, that it is damaged */
    copy_file(base, d);
    sql(d, "UPDATE meta SET value = '0' WHERE key = 'replications'");
    runf(&r, "sweep %s/shop.yaml --db %s -o %s/out", dir, d, dir);
    assert_int_equal(r.code, 73);
    runf(&r, "merge %s/out %s", dir, d);
    assert_int_equal(r.code, 65);
    assert_non_null(strstr(r.err, "meta.replications is not a number"));
    tidy(dir);
}

/* Found by the fuzzer (tests/fuzz_sweepdb.c): a database whose UNIQUE
 * index no longer matched its table (two metrics of one name) passed
 * SQLite's quick_check and every read, then failed inside merge with a
 * write error (74) naming the merged database. Made here on purpose, with
 * SQLite's writable schema: the index is made plain, a duplicate added,
 * the index made unique again. Opening now runs the full integrity_check:
 * 65, the input named. */
static void files_stale_index_is_damage(void **state)
{
    (void)state;
    static struct run r;
    char dir[256], d[512];
    fresh_dir(dir, sizeof dir, "index");
    make_db(dir, "d.db", "");
    in(d, sizeof d, dir, "d.db");
    static const char table[] = "CREATE TABLE metrics(metric_id INTEGER PRIMARY KEY, kind TEXT NOT NULL, name TEXT "
                                "NOT NULL,  metric TEXT NOT NULL, unit TEXT NOT NULL%s)";
    char plain[512], unique[512], step[1400];
    snprintf(plain, sizeof plain, table, "");
    snprintf(unique, sizeof unique, table, ", UNIQUE(kind, name, metric)");
    snprintf(step, sizeof step, "PRAGMA writable_schema = ON; UPDATE sqlite_master SET sql = '%s' WHERE name = "
             "'metrics'; UPDATE sqlite_master SET name = 'm', sql = 'CREATE INDEX m ON metrics(kind, name, "
             "metric)' WHERE name = 'sqlite_autoindex_metrics_1'", plain);
    sql(d, step);
    sql(d, "INSERT INTO metrics(kind, name, metric, unit) SELECT kind, name, metric, unit FROM metrics "
           "WHERE metric = 'arrivals'");
    snprintf(step, sizeof step, "PRAGMA writable_schema = ON; UPDATE sqlite_master SET sql = '%s' WHERE name = "
             "'metrics'; UPDATE sqlite_master SET name = 'sqlite_autoindex_metrics_1', sql = NULL WHERE name = 'm'",
             unique);
    sql(d, step);
    assert_int_equal(test_db_query(d, "SELECT count(*) FROM pragma_quick_check WHERE quick_check = 'ok'"), 1);
    runf(&r, "merge %s/out.db %s", dir, d);
    assert_int_equal(r.code, 65);
    assert_non_null(strstr(r.err, "d.db: the database is damaged"));
    runf(&r, "sweep %s/shop.yaml --db %s --format csv", dir, d);
    assert_int_equal(r.code, 65);
    assert_string_equal(r.out, "");
    tidy(dir);
}

TEST_TABLE(test_cli_files, cmocka_unit_test(files_merge_never_replaces_a_device_or_fifo),
           cmocka_unit_test(files_sweep_db_is_never_a_device_or_fifo),
           cmocka_unit_test(files_sweep_default_db_only_beside_a_yaml_file),
           cmocka_unit_test(files_merge_keeps_what_out_held), cmocka_unit_test(files_links_and_modes_are_kept),
           cmocka_unit_test(files_long_names_are_written),
           cmocka_unit_test(files_sweep_report_never_replaces_its_database),
           cmocka_unit_test(files_sweep_refuses_a_read_only_database_at_once),
           cmocka_unit_test(files_file_size_limit_is_a_write_error),
           cmocka_unit_test(files_signals_leave_no_temporary),
           cmocka_unit_test(files_sweep_interrupted_keeps_its_plans),
           cmocka_unit_test(files_damaged_database_never_gives_a_partial_report),
           cmocka_unit_test(files_crafted_rows_are_refused), cmocka_unit_test(files_crafted_numbers_stay_in_bounds),
           cmocka_unit_test(files_stale_index_is_damage))
