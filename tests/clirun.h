/* tests/clirun.h — running the cxsim program from a test: its exit code,
 * stdout and stderr, or its JSON report parsed. Runs the binary named by
 * $CXSIM_BIN (the Makefile sets it; ./cxsim if not). */
#ifndef CXSIM_TEST_CLIRUN_H
#define CXSIM_TEST_CLIRUN_H

#include "tests/testutil.h"

#include <jansson.h>
#include <stdbool.h>
#include <sys/wait.h>
#include <unistd.h>

struct run {
    int code;
    char out[65536];
    char err[8192];   /* room for Open MPI's banners besides cxsim's own words */
};

static inline void slurp(const char *path, char *buf, size_t cap)
{
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    size_t n = fread(buf, 1, cap - 1, f);
    buf[n] = '\0';
    fclose(f);
}

/* Runs the shell command `head`, its stdout to `to` (or captured when
 * NULL) and its stderr captured: the exit code, stdout and stderr into r. */
static inline void run_shell(struct run *r, const char *head, const char *to)
{
    char out[] = "/tmp/cxsim-test-out-XXXXXX", err[] = "/tmp/cxsim-test-err-XXXXXX";
    int fo = mkstemp(out), fe = mkstemp(err);
    assert_true(fo >= 0 && fe >= 0);
    close(fo);
    close(fe);
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "%s >%s 2>%s", head, to ? to : out, err);
    int status = system(cmd);
    assert_true(WIFEXITED(status));
    r->code = WEXITSTATUS(status);
    slurp(out, r->out, sizeof r->out);
    slurp(err, r->err, sizeof r->err);
    unlink(out);
    unlink(err);
}

/* Runs "$CXSIM_BIN ARGS" through the shell; ARGS is shell text. When
 * `to` is not NULL stdout goes there instead of being captured. */
static inline void run_to(struct run *r, const char *args, const char *to)
{
    const char *bin = getenv("CXSIM_BIN");
    char head[3584];
    snprintf(head, sizeof head, "%s %s", bin ? bin : "./cxsim", args);
    run_shell(r, head, to);
}

/* Starts "$CXSIM_BIN ARGS" (shell text) in the background, its stdout
 * thrown away and its stderr into err (NULL: thrown away too); returns its
 * pid for the caller to kill or wait for. The shell execs cxsim: the pid is
 * cxsim's, and a signal sent to it reaches cxsim itself. */
static inline pid_t run_background_to(const char *args, const char *err)
{
    const char *bin = getenv("CXSIM_BIN");
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "exec %s %s >/dev/null 2>%s", bin ? bin : "./cxsim", args, err ? err : "/dev/null");
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
        _exit(127);
    }
    return pid;
}

static inline pid_t run_background(const char *args)
{
    return run_background_to(args, NULL);
}

/* The MPI build to test ($CXSIM_MPI_BIN, which make test sets where Open
 * MPI is installed) when mpirun is there too; else NULL, and the test is
 * said to be skipped. */
static inline const char *mpi_bin(void)
{
    const char *bin = getenv("CXSIM_MPI_BIN");
    if (!bin || system("command -v mpirun >/dev/null 2>&1") != 0) {
        print_message("(skipped: no MPI build; make test makes one where Open MPI is installed)\n");
        return NULL;
    }
    return bin;
}

/* mpirun as a test needs it: Open MPI refuses root unless told, and more
 * ranks than cores unless told. */
static inline const char *mpi_run(void)
{
    return geteuid() == 0 ? "mpirun --allow-run-as-root --oversubscribe" : "mpirun --oversubscribe";
}

/* Runs an mpirun job of two ranks of bin, rank 0 with args0 and rank 1
 * with args1 (Open MPI's "A : B" form), under a 120-second timeout: the
 * exit code (124: it hung, and was stopped), stdout and stderr into r. */
static inline void run_mpi_pair(struct run *r, const char *bin, const char *args0, const char *args1)
{
    char head[3584];
    snprintf(head, sizeof head, "timeout -k 10 120 %s -np 1 %s %s : -np 1 %s %s", mpi_run(), bin, args0, bin, args1);
    run_shell(r, head, NULL);
}

/* An mpirun job's error as the user sees it (docs/sweep.md, MPI): exit
 * `code`; `says` once in stdout and stderr together, and nothing of
 * cxsim's after its line but the quoted line and caret under it (lines
 * that start with a space); what may follow is Open MPI's note alone
 * (blocks between rulers of dashes), naming rank 0 as the process that
 * exited with the code: the only one that does. */
static inline void assert_mpi_error_last(const struct run *r, int code, const char *says)
{
    const char *at = strstr(r->err, says);
    bool ok = r->code == code && at && !strstr(at + 1, says) && !strstr(r->out, says);
    const char *line = at;
    while (line && line > r->err && line[-1] != '\n')
        line--;
    bool inside = false, after = false;   /* inside a block of Open MPI's; after cxsim's error line */
    for (const char *p = r->err; ok && *p;) {
        const char *end = strchr(p, '\n');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        bool ruler = len >= 20 && strspn(p, "-") == len;
        if (ruler)
            inside = !inside;
        else if (!inside && after && len && p[0] != ' ')
            ok = false;   /* cxsim said something after its error */
        else if (inside && strncmp(p, "  Process name:", 15) == 0)
            ok = len > 3 && memcmp(p + len - 3, ",0]", 3) == 0;
        after = after || p == line;
        p = end ? end + 1 : p + len;
    }
    if (!ok) {
        print_error("expected exit %d and, last and once, '%s'; exit %d, stdout:\n%s\nstderr:\n%s\n", code, says,
                    r->code, r->out, r->err);
        fail();
    }
}

/* Writes text to the file at path (a scenario a test makes up). */
static inline void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

static inline void run(struct run *r, const char *args)
{
    run_to(r, args, NULL);
}

static inline json_t *run_json(const char *args)
{
    static struct run r;
    char path[] = "/tmp/cxsim-test-json-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    char cmd[512];
    snprintf(cmd, sizeof cmd, "%s -o %s", args, path);
    run(&r, cmd);
    assert_int_equal(r.code, 0);
    json_error_t jerr;
    json_t *doc = json_load_file(path, 0, &jerr);
    unlink(path);
    if (!doc) {
        print_error("cxsim %s: JSON does not parse: %s at line %d\n", args, jerr.text, jerr.line);
        fail();
    }
    return doc;
}

#endif
