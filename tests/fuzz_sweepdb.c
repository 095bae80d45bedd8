/* tests/fuzz_sweepdb.c — a libFuzzer target over the sweep database
 * reader (make fuzz; docs/robustness.md).
 *
 * Each input is a database file. It is written to a scratch directory
 * (/dev/shm when there is one) and read as cxsim reads a sweep's database:
 * opened (the schema, SQLite's integrity_check, the grid), counted, its plans
 * marked done, read whole and written as CSV and JSON, ranked and written
 * as text and HTML; then merged into a new database as `cxsim merge` does;
 * then opened as `cxsim sweep` resumes it (the identity taken from the
 * file itself, so that mutated plans get that far) and a plan of its own
 * written into the first place the grid lacks. Nothing is simulated.
 *
 * What counts as a failure: a crash, a sanitizer report (AddressSanitizer,
 * UndefinedBehaviorSanitizer, LeakSanitizer), an input that runs past the
 * per-input timeout, or an error other than the reader's own: a damaged
 * database is 65, an unreadable one 66 (73 for the sweep's own open, which
 * calls another sweep's database that); never 70, never a message left
 * empty.
 */
#include "output/csv.h"
#include "output/html.h"
#include "output/json.h"
#include "output/sweepdb.h"
#include "output/sweepdb_int.h"
#include "output/text.h"
#include "sim/err.h"
#include "sim/mem.h"

#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[64], in_path[96], out_path[96];

static void tidy(void)
{
    static const char *const sides[] = {"", "-wal", "-shm", "-journal"};
    char p[128];
    for (size_t i = 0; i < 4; i++) {
        snprintf(p, sizeof p, "%s%s", in_path, sides[i]);
        unlink(p);
        snprintf(p, sizeof p, "%s%s", out_path, sides[i]);
        unlink(p);
    }
}

static void remove_dir(void)
{
    tidy();
    rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    struct stat st;
    snprintf(dir, sizeof dir, "%s/cxsim-fuzz-XXXXXX", stat("/dev/shm", &st) == 0 ? "/dev/shm" : "/tmp");
    if (!mkdtemp(dir))
        abort();
    snprintf(in_path, sizeof in_path, "%s/in.db", dir);
    snprintf(out_path, sizeof out_path, "%s/out.db", dir);
    atexit(remove_dir);
    return 0;
}

static FILE *sink(void)
{
    static FILE *null;
    if (!null)
        null = fopen("/dev/null", "w");
    return null;
}

/* An error the reader may give for a hostile file, or abort(). */
static void expect(const struct sim_err *err, int also)
{
    if (err->code == SIM_OK)
        return;
    if ((err->code != SIM_EDATA && err->code != SIM_ENOINPUT && err->code != also) || !err->msg[0])
        abort();
}

struct export {
    unsigned reps;
    size_t n;
};

static int export_plan(void *ctx, uint64_t p, const struct out_plan *plan, struct sim_err *err)
{
    (void)p;
    struct export *x = ctx;
    out_csv_write_plan(plan, sink());
    if (out_json_plan(plan, x->reps, x->n++, sink()))
        return sim_err_set(err, SIM_EIO, "out of memory");
    return SIM_OK;
}

/* Reads the database as the reports do. */
static void read_all(struct out_sweepdb *db, struct sim_err *err)
{
    uint64_t held, nplans = out_sweepdb_nplans(db), nbits = nplans < 4096 ? nplans : 4096;
    uint64_t *done = sim_xcalloc((size_t)(nbits / 64 + 1), sizeof *done);
    if (!out_sweepdb_count(db, &held, err))
        out_sweepdb_done(db, done, nbits, err);
    free(done);
    expect(err, SIM_EDATA);
    sim_err_init(err);
    struct out_report r = {.scenario = "Fuzz", .source = "fuzz.yaml", .is_day = true, .open_at = 540,
                           .close_at = 1080, .replications = db->replications};
    out_csv_write_header(sink(), NULL, 0);
    out_json_begin(&r, sink());
    struct export x = {db->replications, 0};
    if (!out_sweepdb_each(db, export_plan, &x, err))
        out_json_end(x.n, sink(), err);
    expect(err, SIM_EIO);
    sim_err_init(err);
    struct sim_arena *arena = sim_arena_create(0);
    struct out_sweep_ranking rk;
    if (!out_sweepdb_verify(db, err) && !out_sweepdb_rank(db, NULL, arena, &rk, err)) {
        out_text_sweep_write(&r, &rk, sink(), err);
        out_html_sweep_write(&r, &rk, NULL, sink(), err);
    }
    expect(err, SIM_EIO);
    sim_err_init(err);
    sim_arena_destroy(arena);
}

/* A value of the database's meta, or "" (in a static buffer of its own). */
static char *meta(sqlite3 *db, const char *key, char *buf, size_t len)
{
    buf[0] = '\0';
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = ?", -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
            snprintf(buf, len, "%s", (const char *)sqlite3_column_text(st, 0));
    }
    sqlite3_finalize(st);
    return buf;
}

/* Opens the database as `cxsim sweep` does, with the identity it states
 * (read raw, as a scenario would give it), and writes a plan of one
 * department into the first place the grid lacks. */
static void resume(uint64_t nplans, size_t naxes, char **paths, char ***values, const size_t *nvalues)
{
    sqlite3 *raw = NULL;
    char version[64], sha[80], overrides[512], seed[32], reps[32];
    if (sqlite3_open_v2(in_path, &raw, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        sqlite3_close(raw);
        return;
    }
    meta(raw, "cxsim_version", version, sizeof version);
    meta(raw, "scenario_sha256", sha, sizeof sha);
    meta(raw, "overrides", overrides, sizeof overrides);
    unsigned long long s = strtoull(meta(raw, "seed", seed, sizeof seed), NULL, 10);
    unsigned long r = strtoul(meta(raw, "replications", reps, sizeof reps), NULL, 10);
    sqlite3_close(raw);
    if (r < 1 || r > 1000)
        return;
    struct out_sweep_axis *axes = sim_xcalloc(naxes + 1, sizeof *axes);
    for (size_t a = 0; a < naxes; a++)
        axes[a] = (struct out_sweep_axis){paths[a], nvalues[a], (const char *const *)values[a]};
    struct out_sweep_meta m = {.cxsim_version = version, .scenario_sha256 = sha, .overrides = overrides,
                               .seed = s, .replications = (unsigned)r, .naxes = naxes, .axes = axes,
                               .nplans = nplans, .scenario = "Fuzz", .scenario_file = "fuzz.yaml",
                               .scenario_text = "", .command_line = "cxsim sweep fuzz.yaml",
                               .created_at = "2026-12-06T00:00:00Z"};
    double *v = sim_xcalloc(r, sizeof *v);
    struct out_metric metric = {.name = "arrivals", .unit = "customers", .stat = {3, 2, 4, 1, r}, .values = v};
    struct out_scope scope = {.kind = OUT_DEPARTMENT, .name = "desk", .target_wait = 5, .service_target = 0.8,
                              .nmetrics = 1, .metrics = &metric};
    struct out_plan plan = {.name = "fuzz", .nscopes = 1, .scopes = &scope};
    struct sim_err err;
    sim_err_init(&err);
    struct out_sweepdb *db;
    if (out_sweepdb_open(in_path, &m, &db, &err) == SIM_OK) {
        uint64_t nbits = nplans < 4096 ? nplans : 4096, p = 0;
        uint64_t *done = sim_xcalloc((size_t)(nbits / 64 + 1), sizeof *done);
        if (!out_sweepdb_done(db, done, nbits, &err)) {
            while (p < nbits && (done[p / 64] >> (p % 64) & 1))
                p++;
            size_t idx[OUI_SWEEPDB_MAX_AXES] = {0};
            if (p < nbits)
                out_sweepdb_write(db, p, idx, &plan, (unsigned)r, 1, 1, &err);
        }
        free(done);
        out_sweepdb_close(db, &err);
    }
    /* 73: another sweep's (its identity read raw may not be the one the
     * checked reader sees), or read-only; never a write error here */
    expect(&err, SIM_ECANTCREAT);
    free(v);
    free(axes);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tidy();
    FILE *f = fopen(in_path, "wb");
    if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0)
        abort();
    struct sim_err err;
    sim_err_init(&err);
    struct out_sweepdb *db;
    if (out_sweepdb_open_existing(in_path, &db, &err) != SIM_OK) {
        expect(&err, SIM_EDATA);
        return 0;
    }
    read_all(db, &err);
    /* merge it, as cxsim merge OUT IN */
    struct out_sweep_merge res;
    const char *in[] = {in_path};
    out_sweepdb_merge(out_path, in, 1, &res, &err);
    expect(&err, SIM_EDATA);
    sim_err_init(&err);
    /* resume it, as cxsim sweep --db IN, with the grid the reader checked
     * (copied: the reader is closed first, one connection at a time) */
    uint64_t nplans = db->nplans;
    size_t naxes = db->naxes;
    char **paths = sim_xcalloc(naxes + 1, sizeof *paths), ***values = sim_xcalloc(naxes + 1, sizeof *values);
    size_t *nvalues = sim_xcalloc(naxes + 1, sizeof *nvalues);
    for (size_t a = 0; a < naxes; a++) {
        paths[a] = sim_xstrdup(db->paths[a]);
        nvalues[a] = db->nvalues[a];
        values[a] = sim_xcalloc(nvalues[a] + 1, sizeof *values[a]);
        for (size_t k = 0; k < nvalues[a]; k++)
            values[a][k] = sim_xstrdup(db->values[a][k]);
    }
    out_sweepdb_close(db, &err);
    resume(nplans, naxes, paths, values, nvalues);
    for (size_t a = 0; a < naxes; a++) {
        for (size_t k = 0; k < nvalues[a]; k++)
            free(values[a][k]);
        free(values[a]);
        free(paths[a]);
    }
    free(values);
    free(paths);
    free(nvalues);
    return 0;
}
