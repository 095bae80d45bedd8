/* tests/test_out_file.c — where a report goes: a regular file is replaced
 * whole, through a temporary renamed over it; anything else that already
 * exists (a device such as /dev/null, a FIFO) is written in place and
 * stays what it is; a symbolic link stays a link and its target gets the
 * report. (Bug: `-o /dev/null` run as root replaced /dev/null by a regular
 * file.) On SIGINT, SIGTERM and SIGHUP the temporaries alive are removed
 * before the program dies of the signal (issue 18, item 9). */
#define _XOPEN_SOURCE 700   /* mknod */
#include "tests/testutil.h"

#include "output/file.h"

#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <signal.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

static int write_through(const char *path, const char *text)
{
    struct sim_err err;
    sim_err_init(&err);
    struct out_file o;
    if (out_file_open(&o, path, &err))
        return err.code;
    fputs(text, o.f);
    return out_file_close(&o, true, &err);
}

/* A null device of our own where we may make one (as root: the bug's
 * case), so that a regression cannot clobber the machine's /dev/null;
 * otherwise /dev/null itself, whose directory we cannot write. */
static void file_leaves_a_device_a_device(void **state)
{
    (void)state;
    char dir[] = "/tmp/cxsim-test-dev-XXXXXX", path[64];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/null", dir);
    bool own = mknod(path, S_IFCHR | 0666, makedev(1, 3)) == 0;
    const char *dev = own ? path : "/dev/null";
    assert_int_equal(write_through(dev, "report\n"), SIM_OK);
    struct stat st;
    assert_int_equal(lstat(dev, &st), 0);
    assert_true(S_ISCHR(st.st_mode));
    if (own)
        unlink(path);
    rmdir(dir);
}

static void file_writes_a_fifo_in_place(void **state)
{
    (void)state;
    char dir[] = "/tmp/cxsim-test-fifo-XXXXXX", path[64];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/pipe", dir);
    assert_int_equal(mkfifo(path, 0600), 0);
    int rd = open(path, O_RDONLY | O_NONBLOCK);   /* a reader, so the writer's open does not wait */
    assert_true(rd >= 0);
    assert_int_equal(write_through(path, "through the pipe\n"), SIM_OK);
    char buf[64] = {0};
    assert_int_equal(read(rd, buf, sizeof buf - 1), 17);
    assert_string_equal(buf, "through the pipe\n");
    close(rd);
    struct stat st;
    assert_int_equal(lstat(path, &st), 0);
    assert_true(S_ISFIFO(st.st_mode));
    unlink(path);
    rmdir(dir);
}

static void file_keeps_a_link_and_replaces_its_target(void **state)
{
    (void)state;
    char dir[] = "/tmp/cxsim-test-link-XXXXXX", real[64], link[64], cmd[128];
    assert_non_null(mkdtemp(dir));
    snprintf(real, sizeof real, "%s/real.txt", dir);
    snprintf(link, sizeof link, "%s/link.txt", dir);
    assert_int_equal(write_through(real, "old\n"), SIM_OK);
    assert_int_equal(symlink("real.txt", link), 0);
    assert_int_equal(write_through(link, "new\n"), SIM_OK);
    struct stat st;
    assert_int_equal(lstat(link, &st), 0);
    assert_true(S_ISLNK(st.st_mode));
    FILE *f = fopen(real, "r");
    char buf[16] = {0};
    assert_non_null(fgets(buf, sizeof buf, f));
    fclose(f);
    assert_string_equal(buf, "new\n");
    /* and no temporary is left beside either */
    snprintf(cmd, sizeof cmd, "test $(ls %s | wc -l) -eq 2", dir);
    assert_int_equal(system(cmd), 0);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
}

/* In a child: a report and a database being written, with SQLite's journal
 * beside the database's temporary, when sig arrives. The child starts with
 * sig at its default, as a program started from a terminal has it (a
 * test run under nohup inherits it ignored, which the program keeps:
 * file_signals_ignored_stay_ignored). */
static void write_until_signal(const char *dir, int sig)
{
    char report[128], db[128], journal[160];
    snprintf(report, sizeof report, "%s/report.txt", dir);
    snprintf(db, sizeof db, "%s/all.db", dir);
    signal(sig, SIG_DFL);
    out_file_signals_init();
    struct sim_err err;
    sim_err_init(&err);
    struct out_file r, d;
    if (out_file_open(&r, report, &err) || out_file_open_whole(&d, db, &err))
        _exit(3);
    fputs("half a report", r.f);
    fflush(r.f);
    snprintf(journal, sizeof journal, "%s-journal", d.tmp);
    FILE *j = fopen(journal, "w");
    if (!j)
        _exit(4);
    fclose(j);
    raise(sig);
    _exit(5);   /* not reached: the signal is fatal */
}

static void file_signals_remove_the_temporaries(void **state)
{
    (void)state;
    const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
    for (size_t i = 0; i < 3; i++) {
        char dir[] = "/tmp/cxsim-test-sig-XXXXXX", cmd[128];
        assert_non_null(mkdtemp(dir));
        pid_t pid = test_fork();
        assert_true(pid >= 0);
        if (pid == 0)
            write_until_signal(dir, sigs[i]);
        int status;
        assert_int_equal(waitpid(pid, &status, 0), pid);
        assert_true(WIFSIGNALED(status));
        assert_int_equal(WTERMSIG(status), sigs[i]);
        snprintf(cmd, sizeof cmd, "test -z \"$(ls -A %s)\"", dir);
        assert_int_equal(system(cmd), 0);
        assert_int_equal(rmdir(dir), 0);
    }
}

/* A program started with a signal ignored (nohup, a background job's
 * SIGINT) keeps it ignored: the handler is not installed over it. */
static void file_signals_ignored_stay_ignored(void **state)
{
    (void)state;
    pid_t pid = test_fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        signal(SIGHUP, SIG_IGN);
        out_file_signals_init();
        raise(SIGHUP);
        struct sigaction sa;
        sigaction(SIGXFSZ, NULL, &sa);
        _exit(sa.sa_handler == SIG_IGN ? 0 : 6);
    }
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
}

TEST_TABLE(test_out_file,
           cmocka_unit_test(file_leaves_a_device_a_device),
           cmocka_unit_test(file_writes_a_fifo_in_place),
           cmocka_unit_test(file_keeps_a_link_and_replaces_its_target),
           cmocka_unit_test(file_signals_remove_the_temporaries),
           cmocka_unit_test(file_signals_ignored_stay_ignored))
