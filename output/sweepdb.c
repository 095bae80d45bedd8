/* output/sweepdb.c — the sweep database in SQLite (see sweepdb.h).
 *
 * Writes use prepared statements and one IMMEDIATE transaction per plan.
 * The metric catalogue (kind, scope name, metric name -> id) is looked up
 * once per layout: a plan whose metrics line up with the previous plan's
 * reuses their ids without a query. Replication values are stored as a
 * BLOB of little-endian IEEE 754 doubles, NaN for "not measured"; a
 * summary's NaN is stored as NULL (SQLite's own reading of NaN).
 */
#include "output/sweepdb.h"

#include <errno.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FORMAT "cxsim-sweep 1"
#define APPLICATION_ID 0x63787377   /* "cxsw" */

static const char schema[] =
    "PRAGMA application_id = 1668838263;"
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE axes(axis INTEGER PRIMARY KEY, path TEXT NOT NULL, nvalues INTEGER NOT NULL,"
    "  vals TEXT NOT NULL);"
    "CREATE TABLE plans(plan INTEGER PRIMARY KEY, name TEXT NOT NULL, overloaded INTEGER NOT NULL,"
    "  events INTEGER NOT NULL, customers INTEGER NOT NULL, meets_targets INTEGER NOT NULL,"
    "  missed TEXT NOT NULL, finished_at TEXT NOT NULL);"
    "CREATE TABLE plan_values(plan INTEGER NOT NULL, axis INTEGER NOT NULL, value TEXT NOT NULL, number REAL,"
    "  PRIMARY KEY(plan, axis)) WITHOUT ROWID;"
    "CREATE TABLE scopes(plan INTEGER NOT NULL, scope INTEGER NOT NULL, kind TEXT NOT NULL, name TEXT NOT NULL,"
    "  internal INTEGER NOT NULL, target_wait REAL, service_target REAL, PRIMARY KEY(plan, scope)) WITHOUT ROWID;"
    "CREATE TABLE metrics(metric_id INTEGER PRIMARY KEY, kind TEXT NOT NULL, name TEXT NOT NULL,"
    "  metric TEXT NOT NULL, unit TEXT NOT NULL, UNIQUE(kind, name, metric));"
    "CREATE TABLE results(plan INTEGER NOT NULL, metric_id INTEGER NOT NULL, scope INTEGER NOT NULL,"
    "  ord INTEGER NOT NULL, mean REAL, ci_low REAL, ci_high REAL, sd REAL, n INTEGER NOT NULL, reps BLOB,"
    "  PRIMARY KEY(plan, metric_id)) WITHOUT ROWID;"
    "CREATE VIEW summary AS SELECT r.plan AS plan, p.name AS plan_name, m.kind AS scope, m.name AS name,"
    "  m.metric AS metric, r.mean, r.ci_low, r.ci_high, r.sd, r.n, m.unit AS unit"
    "  FROM results r JOIN plans p USING(plan) JOIN metrics m USING(metric_id);";

/* The meta keys that make a sweep's identity, and how to say they differ. */
static const struct {
    const char *key, *words;
} identity[] = {
    {"format", "is not a cxsim sweep database"},
    {"cxsim_version", "holds a sweep made by another version of cxsim, whose numbers may differ"},
    {"scenario_sha256", "holds a sweep of another scenario (the file's SHA-256 differs)"},
    {"overrides", "holds a sweep with other --set overrides"},
    {"grid", "holds a sweep over another grid"},
    {"seed", "holds a sweep with another seed"},
    {"replications", "holds a sweep with another number of replications"},
};
#define NIDENTITY (sizeof identity / sizeof identity[0])

struct cached_metric {
    enum out_scope_kind kind;
    char *scope, *metric;
    sqlite3_int64 id;
};

struct out_sweepdb {
    sqlite3 *db;
    char *path;
    uint64_t nplans;
    size_t naxes;
    char ***values;               /* [axis][k]: the axes' values, owned */
    size_t *nvalues;
    sqlite3_stmt *ins_plan, *ins_value, *ins_scope, *ins_metric, *sel_metric, *ins_result;
    struct cached_metric *cache;  /* the last plan's layout */
    size_t ncache, capcache;
};

/* ---- errors and small helpers ------------------------------------------ */

static int fail(struct out_sweepdb *db, struct sim_err *err, int code, const char *what)
{
    int sc = db && db->db ? sqlite3_errcode(db->db) : SQLITE_ERROR;
    if (sc == SQLITE_FULL || sc == SQLITE_IOERR)
        code = SIM_EIO;
    return sim_err_set(err, code, "cannot %s %s: %s", what, db && db->path ? db->path : "the sweep database",
                       db && db->db ? sqlite3_errmsg(db->db) : "out of memory");
}

static int exec(struct out_sweepdb *db, const char *sql, struct sim_err *err)
{
    if (sqlite3_exec(db->db, sql, NULL, NULL, NULL) != SQLITE_OK)
        return fail(db, err, SIM_EIO, "write");
    return SIM_OK;
}

static sqlite3_stmt *prepare(struct out_sweepdb *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db->db, sql, -1, &st, NULL) != SQLITE_OK) {
        sqlite3_finalize(st);
        return NULL;
    }
    return st;
}

/* Runs a statement to its end (for INSERTs); resets it for the next use. */
static int step_done(sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

static void bind_real(sqlite3_stmt *st, int i, double x)
{
    if (isnan(x))
        sqlite3_bind_null(st, i);
    else
        sqlite3_bind_double(st, i, x);
}

static double column_real(sqlite3_stmt *st, int i)
{
    return sqlite3_column_type(st, i) == SQLITE_NULL ? NAN : sqlite3_column_double(st, i);
}

/* x as 8 little-endian bytes. */
static void put_le(unsigned char *p, double x)
{
    uint64_t u;
    memcpy(&u, &x, 8);
    for (int i = 0; i < 8; i++)
        p[i] = (unsigned char)(u >> (8 * i));
}

static double get_le(const unsigned char *p)
{
    uint64_t u = 0;
    for (int i = 0; i < 8; i++)
        u |= (uint64_t)p[i] << (8 * i);
    double x;
    memcpy(&x, &u, 8);
    return x;
}

/* The grid as text: one line per axis, "PATH=[V1, V2, ...]". */
static char *grid_text(const struct out_sweep_meta *m)
{
    size_t len = 1;
    for (size_t a = 0; a < m->naxes; a++) {
        len += strlen(m->axes[a].path) + 4;
        for (size_t k = 0; k < m->axes[a].nvalues; k++)
            len += strlen(m->axes[a].values[k]) + 2;
    }
    char *t = sim_xmalloc(len), *p = t;
    for (size_t a = 0; a < m->naxes; a++) {
        p += sprintf(p, "%s=[", m->axes[a].path);
        for (size_t k = 0; k < m->axes[a].nvalues; k++)
            p += sprintf(p, "%s%s", k ? ", " : "", m->axes[a].values[k]);
        p += sprintf(p, "]\n");
    }
    *p = '\0';
    return t;
}

/* The value of meta key, as a new string, or NULL. */
static char *meta_get(sqlite3 *db, const char *schema_name, const char *key)
{
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT value FROM %s.meta WHERE key = ?", schema_name);
    sqlite3_stmt *st = NULL;
    char *v = NULL;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
            v = sim_xstrdup((const char *)sqlite3_column_text(st, 0));
    }
    sqlite3_finalize(st);
    return v;
}

/* ---- opening ----------------------------------------------------------- */

static int open_db(const char *path, int flags, struct out_sweepdb **out, struct sim_err *err)
{
    struct out_sweepdb *db = sim_xcalloc(1, sizeof *db);
    db->path = sim_xstrdup(path);
    *out = db;
    if (sqlite3_open_v2(path, &db->db, flags, NULL) != SQLITE_OK)
        return fail(db, err, flags & SQLITE_OPEN_CREATE ? SIM_ECANTCREAT : SIM_ENOINPUT, "open");
    sqlite3_busy_timeout(db->db, 30000);
    sqlite3_extended_result_codes(db->db, 0);
    return SIM_OK;
}

/* Reads the grid's size and the axes' values from the database. */
static int load_axes(struct out_sweepdb *db, struct sim_err *err, int code)
{
    char *n = meta_get(db->db, "main", "nplans");
    db->nplans = n ? strtoull(n, NULL, 10) : 0;
    free(n);
    sqlite3_stmt *st = prepare(db, "SELECT axis, nvalues, vals FROM axes ORDER BY axis");
    if (!st)
        return fail(db, err, code, "read");
    while (sqlite3_step(st) == SQLITE_ROW)
        db->naxes++;
    sqlite3_reset(st);
    db->values = sim_xcalloc(db->naxes + 1, sizeof *db->values);
    db->nvalues = sim_xcalloc(db->naxes + 1, sizeof *db->nvalues);
    for (size_t a = 0; a < db->naxes && sqlite3_step(st) == SQLITE_ROW; a++) {
        size_t nv = (size_t)sqlite3_column_int64(st, 1);
        /* vals: the values, one per line */
        const char *v = (const char *)sqlite3_column_text(st, 2);
        db->values[a] = sim_xcalloc(nv + 1, sizeof *db->values[a]);
        for (size_t k = 0; k < nv && v; k++) {
            const char *nl = strchr(v, '\n');
            size_t len = nl ? (size_t)(nl - v) : strlen(v);
            db->values[a][k] = sim_xmalloc(len + 1);
            memcpy(db->values[a][k], v, len);
            db->values[a][k][len] = '\0';
            db->nvalues[a] = k + 1;
            v = nl ? nl + 1 : NULL;
        }
    }
    sqlite3_finalize(st);
    return SIM_OK;
}

static int check_identity(struct out_sweepdb *db, const struct out_sweep_meta *m, struct sim_err *err);

/* The number of tables and views, or -1 when the file is not a database. */
static int schema_size(struct out_sweepdb *db)
{
    sqlite3_stmt *st = prepare(db, "SELECT count(*) FROM sqlite_master");
    int n = -1;
    if (st && sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return n;
}

static int create_schema(struct out_sweepdb *db, const struct out_sweep_meta *m, struct sim_err *err)
{
    if (exec(db, "BEGIN IMMEDIATE", err))
        return err->code;
    /* another process may have created it since we looked */
    if (schema_size(db) > 0) {
        sqlite3_exec(db->db, "COMMIT", NULL, NULL, NULL);
        return check_identity(db, m, err);
    }
    if (sqlite3_exec(db->db, schema, NULL, NULL, NULL) != SQLITE_OK) {
        fail(db, err, SIM_ECANTCREAT, "create");
        sqlite3_exec(db->db, "ROLLBACK", NULL, NULL, NULL);
        return err->code;
    }
    char seed[24], reps[16], nplans[24];
    snprintf(seed, sizeof seed, "%llu", (unsigned long long)m->seed);
    snprintf(reps, sizeof reps, "%u", m->replications);
    snprintf(nplans, sizeof nplans, "%llu", (unsigned long long)m->nplans);
    char *grid = grid_text(m);
    const char *kv[][2] = {
        {"format", FORMAT},          {"cxsim_version", m->cxsim_version},     {"scenario_sha256", m->scenario_sha256},
        {"overrides", m->overrides}, {"grid", grid},                          {"seed", seed},
        {"replications", reps},      {"nplans", nplans},                      {"scenario", m->scenario},
        {"scenario_file", m->scenario_file}, {"command_line", m->command_line}, {"created_at", m->created_at},
    };
    sqlite3_stmt *st = prepare(db, "INSERT INTO meta(key, value) VALUES(?, ?)");
    int rc = st ? SQLITE_OK : SQLITE_ERROR;
    for (size_t i = 0; i < sizeof kv / sizeof kv[0] && rc == SQLITE_OK; i++) {
        sqlite3_bind_text(st, 1, kv[i][0], -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, kv[i][1] ? kv[i][1] : "", -1, SQLITE_STATIC);
        rc = step_done(st);
    }
    if (rc == SQLITE_OK) {
        sqlite3_bind_text(st, 1, "scenario_text", -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, m->scenario_text ? m->scenario_text : "", (int)m->scenario_len, SQLITE_STATIC);
        rc = step_done(st);
    }
    sqlite3_finalize(st);
    free(grid);
    st = rc == SQLITE_OK ? prepare(db, "INSERT INTO axes(axis, path, nvalues, vals) VALUES(?, ?, ?, ?)") : NULL;
    for (size_t a = 0; a < m->naxes && st && rc == SQLITE_OK; a++) {
        size_t len = 1;
        for (size_t k = 0; k < m->axes[a].nvalues; k++)
            len += strlen(m->axes[a].values[k]) + 1;
        char *vals = sim_xmalloc(len), *p = vals;
        for (size_t k = 0; k < m->axes[a].nvalues; k++)
            p += sprintf(p, "%s%s", k ? "\n" : "", m->axes[a].values[k]);
        sqlite3_bind_int64(st, 1, (sqlite3_int64)a);
        sqlite3_bind_text(st, 2, m->axes[a].path, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 3, (sqlite3_int64)m->axes[a].nvalues);
        sqlite3_bind_text(st, 4, vals, -1, SQLITE_TRANSIENT);
        rc = step_done(st);
        free(vals);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_OK || sqlite3_exec(db->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        fail(db, err, SIM_ECANTCREAT, "create");
        sqlite3_exec(db->db, "ROLLBACK", NULL, NULL, NULL);
    }
    return err->code;
}

/* Checks that the database holds the sweep m describes. */
static int check_identity(struct out_sweepdb *db, const struct out_sweep_meta *m, struct sim_err *err)
{
    char seed[24], reps[16];
    snprintf(seed, sizeof seed, "%llu", (unsigned long long)m->seed);
    snprintf(reps, sizeof reps, "%u", m->replications);
    char *grid = grid_text(m);
    const char *want[NIDENTITY] = {FORMAT, m->cxsim_version, m->scenario_sha256, m->overrides, grid, seed, reps};
    for (size_t i = 0; i < NIDENTITY && !err->code; i++) {
        char *have = meta_get(db->db, "main", identity[i].key);
        if (!have || strcmp(have, want[i] ? want[i] : "")) {
            char detail[160] = "";
            if (have && (i == 1 || i == 5 || i == 6))
                snprintf(detail, sizeof detail, " (%s there, %s here)", have, want[i]);
            sim_err_set(err, SIM_ECANTCREAT, "%s %s%s: remove it, or choose another file with --db", db->path,
                        identity[i].words, detail);
        }
        free(have);
    }
    free(grid);
    return err->code;
}

static int prepare_writes(struct out_sweepdb *db, struct sim_err *err)
{
    db->ins_plan = prepare(db, "INSERT INTO plans(plan, name, overloaded, events, customers, meets_targets, missed,"
                               " finished_at) VALUES(?, ?, ?, ?, ?, ?, ?, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))");
    db->ins_value = prepare(db, "INSERT INTO plan_values(plan, axis, value, number) VALUES(?, ?, ?, ?)");
    db->ins_scope = prepare(db, "INSERT INTO scopes(plan, scope, kind, name, internal, target_wait, service_target)"
                                " VALUES(?, ?, ?, ?, ?, ?, ?)");
    db->ins_metric = prepare(db, "INSERT OR IGNORE INTO metrics(kind, name, metric, unit) VALUES(?, ?, ?, ?)");
    db->sel_metric = prepare(db, "SELECT metric_id FROM metrics WHERE kind = ? AND name = ? AND metric = ?");
    db->ins_result = prepare(db, "INSERT INTO results(plan, metric_id, scope, ord, mean, ci_low, ci_high, sd, n, reps)"
                                 " VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!db->ins_plan || !db->ins_value || !db->ins_scope || !db->ins_metric || !db->sel_metric || !db->ins_result)
        return fail(db, err, SIM_ECANTCREAT, "prepare");
    return SIM_OK;
}

int out_sweepdb_open(const char *path, const struct out_sweep_meta *m, struct out_sweepdb **out, struct sim_err *err)
{
    struct out_sweepdb *db;
    if (open_db(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, &db, err)) {
        out_sweepdb_close(db, err);
        return err->code;
    }
    *out = db;
    /* A file that is not a database fails here, at its first read. */
    int tables = schema_size(db);
    if (tables < 0)
        sim_err_set(err, SIM_ECANTCREAT, "%s is not a cxsim sweep database: remove it, or choose another file "
                    "with --db", path);
    else if (sqlite3_exec(db->db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL", NULL, NULL, NULL))
        fail(db, err, SIM_ECANTCREAT, "open");
    else if (tables == 0)
        create_schema(db, m, err);
    else
        check_identity(db, m, err);
    if (!err->code)
        load_axes(db, err, SIM_ECANTCREAT);
    if (!err->code)
        prepare_writes(db, err);
    if (err->code) {
        struct sim_err ignored;
        sim_err_init(&ignored);
        out_sweepdb_close(db, &ignored);
        *out = NULL;
    }
    return err->code;
}

int out_sweepdb_open_existing(const char *path, struct out_sweepdb **out, struct sim_err *err)
{
    struct out_sweepdb *db;
    *out = NULL;
    if (access(path, R_OK) != 0) {
        sim_err_set(err, SIM_ENOINPUT, "cannot open %s: %s", path, strerror(errno));
        return err->code;
    }
    if (open_db(path, SQLITE_OPEN_READONLY, &db, err) == SIM_OK) {
        char *format = meta_get(db->db, "main", "format");
        if (!format || strcmp(format, FORMAT))
            sim_err_set(err, SIM_ENOINPUT, "cannot read %s: it is not a cxsim sweep database", path);
        free(format);
    }
    if (!err->code)
        load_axes(db, err, SIM_ENOINPUT);
    if (err->code) {
        struct sim_err ignored;
        sim_err_init(&ignored);
        out_sweepdb_close(db, &ignored);
        return err->code;
    }
    *out = db;
    return SIM_OK;
}

int out_sweepdb_close(struct out_sweepdb *db, struct sim_err *err)
{
    if (!db)
        return err->code;
    sqlite3_stmt *sts[] = {db->ins_plan, db->ins_value, db->ins_scope, db->ins_metric, db->sel_metric, db->ins_result};
    for (size_t i = 0; i < sizeof sts / sizeof sts[0]; i++)
        sqlite3_finalize(sts[i]);
    if (db->db && sqlite3_close(db->db) != SQLITE_OK)
        sim_err_set(err, SIM_EIO, "cannot close %s: %s", db->path, sqlite3_errmsg(db->db));
    for (size_t a = 0; a < db->naxes; a++) {
        for (size_t k = 0; db->values && db->values[a] && db->values[a][k]; k++)
            free(db->values[a][k]);
        if (db->values)
            free(db->values[a]);
    }
    free(db->values);
    free(db->nvalues);
    for (size_t i = 0; i < db->ncache; i++) {
        free(db->cache[i].scope);
        free(db->cache[i].metric);
    }
    free(db->cache);
    free(db->path);
    free(db);
    return err->code;
}

uint64_t out_sweepdb_nplans(const struct out_sweepdb *db)
{
    return db->nplans;
}

int out_sweepdb_count(struct out_sweepdb *db, uint64_t *done, struct sim_err *err)
{
    sqlite3_stmt *st = prepare(db, "SELECT count(*) FROM plans");
    if (!st || sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_finalize(st);
        return fail(db, err, SIM_ENOINPUT, "read");
    }
    *done = (uint64_t)sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return SIM_OK;
}

int out_sweepdb_done(struct out_sweepdb *db, uint64_t *done, struct sim_err *err)
{
    sqlite3_stmt *st = prepare(db, "SELECT plan FROM plans");
    if (!st)
        return fail(db, err, SIM_ENOINPUT, "read");
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        uint64_t p = (uint64_t)sqlite3_column_int64(st, 0);
        if (p < db->nplans)
            done[p / 64] |= (uint64_t)1 << (p % 64);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return fail(db, err, SIM_ENOINPUT, "read");
    return SIM_OK;
}

/* ---- writing a plan ---------------------------------------------------- */

/* The id of metric (kind, scope, name): from the cache when the previous
 * plan had it at the same place, else from the catalogue (added if new). */
static sqlite3_int64 metric_id(struct out_sweepdb *db, size_t at, const struct out_scope *sc,
                               const struct out_metric *m)
{
    if (at < db->ncache) {
        struct cached_metric *c = &db->cache[at];
        if (c->kind == sc->kind && !strcmp(c->scope, sc->name) && !strcmp(c->metric, m->name))
            return c->id;
    }
    const char *kind = out_scope_kind_name(sc->kind);
    sqlite3_bind_text(db->ins_metric, 1, kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(db->ins_metric, 2, sc->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(db->ins_metric, 3, m->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(db->ins_metric, 4, m->unit, -1, SQLITE_STATIC);
    if (step_done(db->ins_metric) != SQLITE_OK)
        return -1;
    sqlite3_bind_text(db->sel_metric, 1, kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(db->sel_metric, 2, sc->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(db->sel_metric, 3, m->name, -1, SQLITE_STATIC);
    sqlite3_int64 id = sqlite3_step(db->sel_metric) == SQLITE_ROW ? sqlite3_column_int64(db->sel_metric, 0) : -1;
    sqlite3_reset(db->sel_metric);
    sqlite3_clear_bindings(db->sel_metric);
    if (id < 0)
        return id;
    if (at >= db->capcache) {
        db->capcache = at + 64;
        db->cache = sim_xreallocarray(db->cache, db->capcache, sizeof *db->cache);
    }
    while (db->ncache <= at)
        db->cache[db->ncache++] = (struct cached_metric){OUT_COST, NULL, NULL, -1};
    struct cached_metric *c = &db->cache[at];
    free(c->scope);
    free(c->metric);
    *c = (struct cached_metric){sc->kind, sim_xstrdup(sc->name), sim_xstrdup(m->name), id};
    return id;
}

static int write_results(struct out_sweepdb *db, uint64_t p, const struct out_plan *plan, unsigned reps)
{
    unsigned char *blob = sim_xmalloc(8 * (size_t)(reps ? reps : 1));
    size_t ord = 0;
    int rc = SQLITE_OK;
    for (size_t i = 0; i < plan->nscopes && rc == SQLITE_OK; i++) {
        const struct out_scope *sc = &plan->scopes[i];
        sqlite3_bind_int64(db->ins_scope, 1, (sqlite3_int64)p);
        sqlite3_bind_int64(db->ins_scope, 2, (sqlite3_int64)i);
        sqlite3_bind_text(db->ins_scope, 3, out_scope_kind_name(sc->kind), -1, SQLITE_STATIC);
        sqlite3_bind_text(db->ins_scope, 4, sc->name, -1, SQLITE_STATIC);
        sqlite3_bind_int(db->ins_scope, 5, sc->internal);
        bind_real(db->ins_scope, 6, sc->target_wait);
        bind_real(db->ins_scope, 7, sc->service_target);
        rc = step_done(db->ins_scope);
        for (size_t k = 0; k < sc->nmetrics && rc == SQLITE_OK; k++, ord++) {
            const struct out_metric *m = &sc->metrics[k];
            sqlite3_int64 id = metric_id(db, ord, sc, m);
            if (id < 0) {
                rc = SQLITE_ERROR;
                break;
            }
            sqlite3_stmt *st = db->ins_result;
            sqlite3_bind_int64(st, 1, (sqlite3_int64)p);
            sqlite3_bind_int64(st, 2, id);
            sqlite3_bind_int64(st, 3, (sqlite3_int64)i);
            sqlite3_bind_int64(st, 4, (sqlite3_int64)ord);
            bind_real(st, 5, m->stat.mean);
            bind_real(st, 6, m->stat.ci_low);
            bind_real(st, 7, m->stat.ci_high);
            bind_real(st, 8, m->stat.sd);
            sqlite3_bind_int64(st, 9, (sqlite3_int64)m->stat.n);
            if (m->values) {
                for (unsigned r = 0; r < reps; r++)
                    put_le(blob + 8 * (size_t)r, m->values[r]);
                sqlite3_bind_blob(st, 10, blob, (int)(8 * (size_t)reps), SQLITE_STATIC);
            }
            rc = step_done(st);
        }
    }
    free(blob);
    return rc;
}

int out_sweepdb_write(struct out_sweepdb *db, uint64_t p, const size_t *value_idx, const struct out_plan *plan,
                      unsigned reps, uint64_t events, uint64_t customers, struct sim_err *err)
{
    if (exec(db, "BEGIN IMMEDIATE", err))
        return err->code;
    char missed[1024];
    size_t nmissed = out_plan_missed(plan, missed, sizeof missed);
    sqlite3_stmt *st = db->ins_plan;
    sqlite3_bind_int64(st, 1, (sqlite3_int64)p);
    sqlite3_bind_text(st, 2, plan->name, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, plan->overloaded);
    sqlite3_bind_int64(st, 4, (sqlite3_int64)events);
    sqlite3_bind_int64(st, 5, (sqlite3_int64)customers);
    sqlite3_bind_int(st, 6, nmissed == 0);
    sqlite3_bind_text(st, 7, missed, -1, SQLITE_STATIC);
    int rc = step_done(st);
    if (rc == SQLITE_CONSTRAINT) {
        /* another process wrote this plan first: it stays as it is */
        sqlite3_exec(db->db, "ROLLBACK", NULL, NULL, NULL);
        return SIM_OK;
    }
    for (size_t a = 0; a < db->naxes && rc == SQLITE_OK; a++) {
        const char *v = value_idx[a] < db->nvalues[a] ? db->values[a][value_idx[a]] : "";
        char *end;
        double x = strtod(v, &end);
        sqlite3_bind_int64(db->ins_value, 1, (sqlite3_int64)p);
        sqlite3_bind_int64(db->ins_value, 2, (sqlite3_int64)a);
        sqlite3_bind_text(db->ins_value, 3, v, -1, SQLITE_STATIC);
        if (end != v && *end == '\0' && isfinite(x))
            sqlite3_bind_double(db->ins_value, 4, x);
        rc = step_done(db->ins_value);
    }
    if (rc == SQLITE_OK)
        rc = write_results(db, p, plan, reps);
    if (rc != SQLITE_OK || sqlite3_exec(db->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        fail(db, err, SIM_EIO, "write to");
        sqlite3_exec(db->db, "ROLLBACK", NULL, NULL, NULL);
    }
    return err->code;
}

/* ---- reading back ------------------------------------------------------ */

static char *arena_text(struct sim_arena *arena, const unsigned char *s)
{
    size_t n = s ? strlen((const char *)s) : 0;
    char *c = sim_arena_alloc(arena, n + 1);
    if (n)
        memcpy(c, s, n);
    return c;
}

/* Reads plan p whole into *plan (name already set). */
static int read_plan(struct out_sweepdb *db, sqlite3_stmt *scopes, sqlite3_stmt *results, sqlite3_stmt *params,
                     uint64_t p, struct sim_arena *arena, struct out_plan *plan)
{
    plan->nscopes = 0;
    sqlite3_bind_int64(scopes, 1, (sqlite3_int64)p);
    while (sqlite3_step(scopes) == SQLITE_ROW)
        plan->nscopes++;
    sqlite3_reset(scopes);
    plan->scopes = sim_arena_alloc(arena, (plan->nscopes + 1) * sizeof *plan->scopes);
    for (size_t i = 0; i < plan->nscopes && sqlite3_step(scopes) == SQLITE_ROW; i++) {
        struct out_scope *sc = &plan->scopes[i];
        if (!out_scope_kind_parse((const char *)sqlite3_column_text(scopes, 0), &sc->kind))
            sc->kind = OUT_COST;
        sc->name = arena_text(arena, sqlite3_column_text(scopes, 1));
        sc->internal = sqlite3_column_int(scopes, 2) != 0;
        sc->target_wait = column_real(scopes, 3);
        sc->service_target = column_real(scopes, 4);
    }
    sqlite3_reset(scopes);
    sqlite3_clear_bindings(scopes);

    /* results come in their order (ord), scope by scope */
    size_t nres = 0;
    sqlite3_bind_int64(results, 1, (sqlite3_int64)p);
    while (sqlite3_step(results) == SQLITE_ROW)
        nres++;
    sqlite3_reset(results);
    struct out_metric *all = sim_arena_alloc(arena, (nres + 1) * sizeof *all);
    for (size_t k = 0; k < nres && sqlite3_step(results) == SQLITE_ROW; k++) {
        size_t scope = (size_t)sqlite3_column_int64(results, 0);
        struct out_metric *m = &all[k];
        m->name = arena_text(arena, sqlite3_column_text(results, 1));
        m->unit = arena_text(arena, sqlite3_column_text(results, 2));
        m->stat = (struct out_stat){column_real(results, 3), column_real(results, 4), column_real(results, 5),
                                    column_real(results, 6), (size_t)sqlite3_column_int64(results, 7)};
        int bytes = sqlite3_column_bytes(results, 8);
        const unsigned char *blob = sqlite3_column_blob(results, 8);
        if (blob && bytes > 0) {
            size_t n = (size_t)bytes / 8;
            double *v = sim_arena_alloc(arena, n * sizeof *v);
            for (size_t r = 0; r < n; r++)
                v[r] = get_le(blob + 8 * r);
            m->values = v;
        }
        if (scope < plan->nscopes) {
            struct out_scope *sc = &plan->scopes[scope];
            if (!sc->metrics)
                sc->metrics = m;
            sc->nmetrics++;
        }
    }
    sqlite3_reset(results);
    sqlite3_clear_bindings(results);

    struct out_param *pv = sim_arena_alloc(arena, (db->naxes + 1) * sizeof *pv);
    plan->nparams = 0;
    sqlite3_bind_int64(params, 1, (sqlite3_int64)p);
    while (plan->nparams < db->naxes && sqlite3_step(params) == SQLITE_ROW) {
        pv[plan->nparams].path = arena_text(arena, sqlite3_column_text(params, 0));
        pv[plan->nparams].value = arena_text(arena, sqlite3_column_text(params, 1));
        plan->nparams++;
    }
    plan->params = pv;
    sqlite3_reset(params);
    sqlite3_clear_bindings(params);
    return SQLITE_OK;
}

int out_sweepdb_each(struct out_sweepdb *db, out_sweepdb_plan_fn fn, void *ctx, struct sim_err *err)
{
    sqlite3_stmt *plans = prepare(db, "SELECT plan, name, overloaded FROM plans ORDER BY plan");
    sqlite3_stmt *scopes = prepare(db, "SELECT kind, name, internal, target_wait, service_target FROM scopes"
                                       " WHERE plan = ? ORDER BY scope");
    sqlite3_stmt *results = prepare(db, "SELECT r.scope, m.metric, m.unit, r.mean, r.ci_low, r.ci_high, r.sd, r.n,"
                                        " r.reps FROM results r JOIN metrics m USING(metric_id) WHERE r.plan = ?"
                                        " ORDER BY r.ord");
    sqlite3_stmt *params = prepare(db, "SELECT a.path, v.value FROM plan_values v JOIN axes a USING(axis)"
                                       " WHERE v.plan = ? ORDER BY v.axis");
    struct sim_arena *arena = sim_arena_create(256 * 1024);
    int rc = plans && scopes && results && params ? SQLITE_OK : SQLITE_ERROR;
    while (rc == SQLITE_OK && !err->code && (rc = sqlite3_step(plans)) == SQLITE_ROW) {
        rc = SQLITE_OK;
        sim_arena_reset(arena);
        uint64_t p = (uint64_t)sqlite3_column_int64(plans, 0);
        struct out_plan plan = {0};
        plan.name = arena_text(arena, sqlite3_column_text(plans, 1));
        plan.overloaded = (unsigned)sqlite3_column_int64(plans, 2);
        read_plan(db, scopes, results, params, p, arena, &plan);
        fn(ctx, p, &plan, err);
    }
    if (rc != SQLITE_DONE && rc != SQLITE_OK && !err->code)
        fail(db, err, SIM_ENOINPUT, "read");
    sqlite3_finalize(plans);
    sqlite3_finalize(scopes);
    sqlite3_finalize(results);
    sqlite3_finalize(params);
    sim_arena_destroy(arena);
    return err->code;
}

int out_sweepdb_rank(struct out_sweepdb *db, struct sim_arena *arena, struct out_sweep_ranking *out,
                     struct sim_err *err)
{
    static const char sql[] =
        "SELECT p.plan, p.name, p.overloaded, p.meets_targets, p.missed,"
        "  t.mean, t.ci_low, t.ci_high, t.sd, t.n, s.mean, l.mean, d.mean, q.mean"
        " FROM plans p"
        " LEFT JOIN results t ON t.plan = p.plan AND t.metric_id ="
        "  (SELECT metric_id FROM metrics WHERE kind = 'cost' AND name = 'plan' AND metric = 'total_cost')"
        " LEFT JOIN results s ON s.plan = p.plan AND s.metric_id ="
        "  (SELECT metric_id FROM metrics WHERE kind = 'cost' AND name = 'plan' AND metric = 'staff_cost')"
        " LEFT JOIN results l ON l.plan = p.plan AND l.metric_id ="
        "  (SELECT metric_id FROM metrics WHERE kind = 'cost' AND name = 'plan' AND metric = 'lost_value')"
        " LEFT JOIN results d ON d.plan = p.plan AND d.metric_id ="
        "  (SELECT metric_id FROM metrics WHERE kind = 'journey' AND name = 'external' AND metric = 'dropout_rate')"
        " LEFT JOIN results q ON q.plan = p.plan AND q.metric_id ="
        "  (SELECT metric_id FROM metrics WHERE kind = 'journey' AND name = 'external'"
        "   AND metric = 'satisfaction_mean')"
        " ORDER BY p.meets_targets DESC, t.mean IS NULL, t.mean, p.plan";
    memset(out, 0, sizeof *out);
    out->nplans = db->nplans;
    out->naxes = db->naxes;
    out->paths = sim_arena_alloc(arena, (db->naxes + 1) * sizeof *out->paths);
    sqlite3_stmt *axes = prepare(db, "SELECT path FROM axes ORDER BY axis");
    for (size_t a = 0; axes && a < db->naxes && sqlite3_step(axes) == SQLITE_ROW; a++)
        out->paths[a] = arena_text(arena, sqlite3_column_text(axes, 0));
    sqlite3_finalize(axes);
    uint64_t held;
    if (out_sweepdb_count(db, &held, err))
        return err->code;
    out->rows = sim_arena_alloc(arena, ((size_t)held + 1) * sizeof *out->rows);
    sqlite3_stmt *st = prepare(db, sql);
    sqlite3_stmt *vals = prepare(db, "SELECT value FROM plan_values WHERE plan = ? ORDER BY axis");
    if (!st || !vals) {
        sqlite3_finalize(st);
        sqlite3_finalize(vals);
        return fail(db, err, SIM_ENOINPUT, "read");
    }
    while (out->nrows < held && sqlite3_step(st) == SQLITE_ROW) {
        struct out_sweep_row *r = &out->rows[out->nrows++];
        r->plan = (uint64_t)sqlite3_column_int64(st, 0);
        r->name = arena_text(arena, sqlite3_column_text(st, 1));
        r->overloaded = (unsigned)sqlite3_column_int64(st, 2);
        r->meets = sqlite3_column_int(st, 3) != 0;
        r->missed = arena_text(arena, sqlite3_column_text(st, 4));
        r->total = (struct out_stat){column_real(st, 5), column_real(st, 6), column_real(st, 7), column_real(st, 8),
                                     (size_t)sqlite3_column_int64(st, 9)};
        r->staff = column_real(st, 10);
        r->lost = column_real(st, 11);
        r->dropout = column_real(st, 12);
        r->satisfaction = column_real(st, 13);
        r->values = sim_arena_alloc(arena, (db->naxes + 1) * sizeof *r->values);
        sqlite3_bind_int64(vals, 1, (sqlite3_int64)r->plan);
        for (size_t a = 0; a < db->naxes && sqlite3_step(vals) == SQLITE_ROW; a++)
            r->values[a] = arena_text(arena, sqlite3_column_text(vals, 0));
        sqlite3_reset(vals);
    }
    sqlite3_finalize(st);
    sqlite3_finalize(vals);
    return SIM_OK;
}

/* ---- merging ----------------------------------------------------------- */

/* Copies the plans of the attached database `src` that main lacks, with
 * their metrics mapped by (kind, name, metric) onto main's catalogue.
 * Plans main holds already must hold the same results. */
static int merge_one(struct out_sweepdb *db, const char *in, uint64_t *duplicates, struct sim_err *err)
{
    char *have = NULL, *want = NULL;
    for (size_t i = 0; i < NIDENTITY && !err->code; i++) {
        want = meta_get(db->db, "main", identity[i].key);
        have = meta_get(db->db, "src", identity[i].key);
        if (!have || !want || strcmp(have, want))
            sim_err_set(err, SIM_EDATA, "%s and the databases before it hold different sweeps: %s %s", in,
                        in, identity[i].words);
        free(have);
        free(want);
    }
    if (err->code)
        return err->code;
    static const char *const steps[] = {
        "INSERT OR IGNORE INTO main.metrics(kind, name, metric, unit)"
        " SELECT kind, name, metric, unit FROM src.metrics ORDER BY metric_id",
        "CREATE TEMP TABLE fresh AS SELECT plan FROM src.plans EXCEPT SELECT plan FROM main.plans",
        "INSERT INTO main.plan_values SELECT * FROM src.plan_values WHERE plan IN (SELECT plan FROM fresh)",
        "INSERT INTO main.scopes SELECT * FROM src.scopes WHERE plan IN (SELECT plan FROM fresh)",
        "INSERT INTO main.results(plan, metric_id, scope, ord, mean, ci_low, ci_high, sd, n, reps)"
        " SELECT r.plan, mm.metric_id, r.scope, r.ord, r.mean, r.ci_low, r.ci_high, r.sd, r.n, r.reps"
        " FROM src.results r JOIN src.metrics sm USING(metric_id)"
        " JOIN main.metrics mm ON mm.kind = sm.kind AND mm.name = sm.name AND mm.metric = sm.metric"
        " WHERE r.plan IN (SELECT plan FROM fresh)",
        "INSERT INTO main.plans SELECT * FROM src.plans WHERE plan IN (SELECT plan FROM fresh)",
    };
    /* a plan held twice must be the same plan twice */
    sqlite3_stmt *st = prepare(db, "SELECT count(*), (SELECT count(*) FROM src.plans WHERE plan IN"
                                   " (SELECT plan FROM main.plans)) FROM src.results r"
                                   " JOIN src.metrics sm USING(metric_id)"
                                   " JOIN main.metrics mm ON mm.kind = sm.kind AND mm.name = sm.name"
                                   "  AND mm.metric = sm.metric"
                                   " JOIN main.results q ON q.plan = r.plan AND q.metric_id = mm.metric_id"
                                   " WHERE r.mean IS NOT q.mean OR r.reps IS NOT q.reps OR r.n IS NOT q.n");
    for (size_t i = 0; i < sizeof steps / sizeof steps[0] && !err->code; i++) {
        if (i == 1) {
            if (!st || sqlite3_step(st) != SQLITE_ROW) {
                fail(db, err, SIM_ENOINPUT, "read");
                break;
            }
            if (sqlite3_column_int64(st, 0) > 0) {
                sim_err_set(err, SIM_EDATA, "%s holds plans that an earlier database holds with other results: "
                            "were they made by the same cxsim from the same scenario?", in);
                break;
            }
            *duplicates += (uint64_t)sqlite3_column_int64(st, 1);
        }
        if (sqlite3_exec(db->db, steps[i], NULL, NULL, NULL) != SQLITE_OK)
            fail(db, err, SIM_EIO, "merge into");
    }
    sqlite3_finalize(st);
    sqlite3_exec(db->db, "DROP TABLE IF EXISTS temp.fresh", NULL, NULL, NULL);
    return err->code;
}

int out_sweepdb_merge(const char *out_path, const char *const *in, size_t nin, struct out_sweep_merge *res,
                      struct sim_err *err)
{
    memset(res, 0, sizeof *res);
    /* every input must open as a sweep database before anything is written */
    for (size_t i = 0; i < nin; i++) {
        struct out_sweepdb *probe;
        if (out_sweepdb_open_existing(in[i], &probe, err))
            return err->code;
        out_sweepdb_close(probe, err);
    }
    size_t n = strlen(out_path) + 16;
    char *tmp = sim_xmalloc(n);
    snprintf(tmp, n, "%s.tmp-XXXXXX", out_path);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        sim_err_set(err, SIM_ECANTCREAT, "cannot create %s: %s", out_path, strerror(errno));
        free(tmp);
        return err->code;
    }
    close(fd);
    struct out_sweepdb *db;
    if (!open_db(tmp, SQLITE_OPEN_READWRITE, &db, err)) {
        free(db->path);
        db->path = sim_xstrdup(out_path);
        /* The temporary file is renamed into place only when complete, so
         * each input may be its own transaction (SQLite cannot detach a
         * database inside one). */
        char *attach = sqlite3_mprintf("ATTACH DATABASE %Q AS src", in[0]);
        if (sqlite3_exec(db->db, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL) ||
            sqlite3_exec(db->db, attach, NULL, NULL, NULL) || sqlite3_exec(db->db, "BEGIN", NULL, NULL, NULL) ||
            sqlite3_exec(db->db, schema, NULL, NULL, NULL) ||
            sqlite3_exec(db->db, "INSERT INTO main.meta SELECT * FROM src.meta;"
                                 "INSERT INTO main.axes SELECT * FROM src.axes;"
                                 "UPDATE main.meta SET value = 'cxsim merge' WHERE key = 'command_line';"
                                 "COMMIT",
                         NULL, NULL, NULL))
            fail(db, err, SIM_ECANTCREAT, "create");
        sqlite3_exec(db->db, "DETACH DATABASE src", NULL, NULL, NULL);
        sqlite3_free(attach);
        for (size_t i = 0; i < nin && !err->code; i++) {
            attach = sqlite3_mprintf("ATTACH DATABASE %Q AS src", in[i]);
            if (sqlite3_exec(db->db, attach, NULL, NULL, NULL) != SQLITE_OK)
                sim_err_set(err, SIM_ENOINPUT, "cannot read %s: %s", in[i], sqlite3_errmsg(db->db));
            sqlite3_free(attach);
            if (!err->code && sqlite3_exec(db->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
                fail(db, err, SIM_EIO, "write");
            if (!err->code && !merge_one(db, in[i], &res->duplicates, err) &&
                sqlite3_exec(db->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
                fail(db, err, SIM_EIO, "write");
            if (err->code)
                sqlite3_exec(db->db, "ROLLBACK", NULL, NULL, NULL);
            sqlite3_exec(db->db, "DETACH DATABASE src", NULL, NULL, NULL);
        }
        if (!err->code)
            load_axes(db, err, SIM_EIO);
        if (!err->code) {
            res->nplans = db->nplans;
            out_sweepdb_count(db, &res->held, err);
        }
        if (!err->code && res->held < res->nplans) {
            uint64_t *done = sim_xcalloc((size_t)(res->nplans / 64 + 1), sizeof *done);
            out_sweepdb_done(db, done, err);
            for (uint64_t p = 0; p < res->nplans && res->nfirst < 10; p++)
                if (!(done[p / 64] >> (p % 64) & 1))
                    res->first_missing[res->nfirst++] = p;
            free(done);
        }
    }
    out_sweepdb_close(db, err);
    if (!err->code && rename(tmp, out_path) != 0)
        sim_err_set(err, SIM_ECANTCREAT, "cannot create %s: %s", out_path, strerror(errno));
    if (err->code)
        unlink(tmp);
    free(tmp);
    return err->code;
}
