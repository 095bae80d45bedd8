/* output/sweepdb.c — the sweep database in SQLite (see sweepdb.h): its
 * schema and identity, opening, and writing plans; reading back and merging
 * are in sweepdb_read.c.
 *
 * Writes use prepared statements and one IMMEDIATE transaction per plan.
 * The metric catalogue (kind, scope name, metric name -> id) is looked up
 * once per layout: a plan whose metrics line up with the previous plan's
 * reuses their ids without a query. Replication values are stored as a
 * BLOB of little-endian IEEE 754 doubles, NaN for "not measured"; a
 * summary's NaN is stored as NULL (SQLite's own reading of NaN).
 */
#include "output/sweepdb_int.h"
#include "output/file.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#ifndef NAME_MAX
#define NAME_MAX 255
#endif

const char oui_sweepdb_schema[] =
    "PRAGMA application_id = 1668838263;"
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE axes(axis INTEGER PRIMARY KEY, path TEXT NOT NULL, nvalues INTEGER NOT NULL,"
    "  vals TEXT NOT NULL);"
    "CREATE TABLE plans(plan INTEGER PRIMARY KEY, name TEXT NOT NULL, overloaded INTEGER NOT NULL,"
    "  events INTEGER NOT NULL, customers INTEGER NOT NULL, verdict INTEGER NOT NULL,"
    "  missed TEXT NOT NULL, close TEXT NOT NULL, finished_at TEXT NOT NULL);"
    "CREATE TABLE goals(plan INTEGER NOT NULL, ord INTEGER NOT NULL, kind TEXT NOT NULL, name TEXT NOT NULL,"
    "  metric TEXT NOT NULL, target REAL NOT NULL, at_least INTEGER NOT NULL, verdict INTEGER NOT NULL,"
    "  more REAL, PRIMARY KEY(plan, ord)) WITHOUT ROWID;"
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

const struct oui_sweepdb_key oui_sweepdb_identity[OUI_SWEEPDB_NIDENTITY] = {
    {"format", "is not a cxsim sweep database", false},
    {"cxsim_version", "holds a sweep made by another version of cxsim, whose numbers may differ", true},
    {"scenario_sha256", "holds a sweep of another scenario (the file's SHA-256 differs)", false},
    {"overrides", "holds a sweep with other --set overrides", false},
    {"grid", "holds a sweep over another grid", false},
    {"seed", "holds a sweep with another seed", true},
    {"replications", "holds a sweep with another number of replications", true},
};

/* ---- errors and small helpers ------------------------------------------ */

int oui_sweepdb_fail(struct out_sweepdb *db, struct sim_err *err, int code, const char *what)
{
    int sc = db && db->db ? sqlite3_errcode(db->db) : SQLITE_ERROR;
    if (sc == SQLITE_CORRUPT || sc == SQLITE_NOTADB)
        return oui_sweepdb_damaged(db, err, sqlite3_errmsg(db->db));
    if (sc == SQLITE_FULL || sc == SQLITE_IOERR)
        code = SIM_EIO;
    return sim_err_set(err, code, "cannot %s %s: %s", what, db && db->path ? db->path : "the sweep database",
                       db && db->db ? sqlite3_errmsg(db->db) : "out of memory");
}

static int exec(struct out_sweepdb *db, const char *sql, struct sim_err *err)
{
    if (sqlite3_exec(db->db, sql, NULL, NULL, NULL) != SQLITE_OK)
        return oui_sweepdb_fail(db, err, SIM_EIO, "write");
    return SIM_OK;
}

sqlite3_stmt *oui_sweepdb_prepare(struct out_sweepdb *db, const char *sql)
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

/* x as 8 little-endian bytes. */
static void put_le(unsigned char *p, double x)
{
    uint64_t u;
    memcpy(&u, &x, 8);
    for (int i = 0; i < 8; i++)
        p[i] = (unsigned char)(u >> (8 * i));
}

double oui_sweepdb_get_le(const unsigned char *p)
{
    uint64_t u = 0;
    for (int i = 0; i < 8; i++)
        u |= (uint64_t)p[i] << (8 * i);
    double x;
    memcpy(&x, &u, 8);
    return x;
}

char *oui_sweepdb_grid_text(const struct out_sweep_meta *m)
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

int oui_sweepdb_meta_get(sqlite3 *db, const char *schema_name, const char *key, char **value)
{
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT value FROM %s.meta WHERE key = ?", schema_name);
    sqlite3_stmt *st = NULL;
    *value = NULL;
    int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    if (rc == SQLITE_OK) {
        sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
        rc = sqlite3_step(st);
        if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) == SQLITE_TEXT) {
            *value = sim_xstrdup((const char *)sqlite3_column_text(st, 0));
            rc = SQLITE_OK;
        } else if (rc == SQLITE_ROW || rc == SQLITE_DONE) {
            rc = SQLITE_OK;   /* not text, or not there: no value */
        }
    }
    sqlite3_finalize(st);
    return rc;
}

/* ---- opening ----------------------------------------------------------- */

/* True when the file at path starts as every SQLite database does: one
 * that SQLite then calls "not a database" is a damaged one. */
static bool sqlite_header(const char *path)
{
    static const char magic[16] = "SQLite format 3";
    char head[16];
    FILE *f = fopen(path, "rb");
    bool is = f && fread(head, 1, sizeof head, f) == sizeof head && !memcmp(head, magic, sizeof head);
    if (f)
        fclose(f);
    return is;
}

int oui_sweepdb_open_file(const char *path, int flags, struct out_sweepdb **out, struct sim_err *err)
{
    struct out_sweepdb *db = sim_xcalloc(1, sizeof *db);
    db->path = sim_xstrdup(path);
    *out = db;
    int code = flags & SQLITE_OPEN_CREATE ? SIM_ECANTCREAT : SIM_ENOINPUT;
    if (sqlite3_open_v2(path, &db->db, flags, NULL) != SQLITE_OK)
        return oui_sweepdb_fail(db, err, code, "open");
    sqlite3_busy_timeout(db->db, 30000);
    sqlite3_extended_result_codes(db->db, 0);
    /* A database is a file anyone may have handed over: SQLite's defences
     * for such files (no schema changes by writing sqlite_master, no
     * function with side effects from its schema, checked cells, texts
     * and BLOBs no longer than the longest cxsim writes: a replication's
     * values, 8 bytes each). */
    if (sqlite3_db_config(db->db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL) != SQLITE_OK ||
        sqlite3_db_config(db->db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL) != SQLITE_OK ||
        sqlite3_exec(db->db, "PRAGMA cell_size_check = ON", NULL, NULL, NULL) != SQLITE_OK)
        return oui_sweepdb_fail(db, err, code, "open");
    sqlite3_limit(db->db, SQLITE_LIMIT_LENGTH, (int)(8 * OUI_SWEEPDB_MAX_REPS + 1024));
    return SIM_OK;
}

/* Checks that the database is a cxsim sweep database (its meta says the
 * format): else code, "not a cxsim sweep database" in the command's words.
 * A read that failed is said as such, and a file that starts as SQLite's
 * but is not one is damaged. */
static int check_format(struct out_sweepdb *db, int code, struct sim_err *err)
{
    char *format;
    int rc = oui_sweepdb_meta_get(db->db, "main", "format", &format);
    if (rc == SQLITE_NOTADB && sqlite_header(db->path))
        oui_sweepdb_damaged(db, err, "its first page is not SQLite's");
    else if (rc != SQLITE_OK && rc != SQLITE_ERROR && rc != SQLITE_NOTADB)
        oui_sweepdb_fail(db, err, code, "read");
    else if (!format || strcmp(format, FORMAT))
        sim_err_set(err, code, code == SIM_ECANTCREAT ? "%s is not a cxsim sweep database: remove it, or choose "
                                                        "another file with --db"
                                                      : "cannot read %s: it is not a cxsim sweep database",
                    db->path);
    free(format);
    return err->code;
}

static int check_identity(struct out_sweepdb *db, const struct out_sweep_meta *m, struct sim_err *err);

/* The identity of sweep m as text, in oui_sweepdb_identity's order; the
 * texts live in id (free id->grid). */
struct identity {
    const char *value[OUI_SWEEPDB_NIDENTITY];
    char seed[24], reps[16];
    char *grid;
};

static void identity_of(const struct out_sweep_meta *m, struct identity *id)
{
    snprintf(id->seed, sizeof id->seed, "%llu", (unsigned long long)m->seed);
    snprintf(id->reps, sizeof id->reps, "%u", m->replications);
    id->grid = oui_sweepdb_grid_text(m);
    const char *v[OUI_SWEEPDB_NIDENTITY] = {FORMAT, m->cxsim_version, m->scenario_sha256, m->overrides, id->grid,
                                            id->seed, id->reps};
    for (size_t i = 0; i < OUI_SWEEPDB_NIDENTITY; i++)
        id->value[i] = v[i] ? v[i] : "";
}

/* The number of tables and views; -1 when the file is not a database at
 * all, -2 when it cannot be read (SQLite's error is in the connection). */
static int schema_size(struct out_sweepdb *db)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db->db, "SELECT count(*) FROM sqlite_master", -1, &st, NULL);
    int n = -2;
    if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW)
        n = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return rc == SQLITE_NOTADB ? -1 : n;
}

static int create_schema(struct out_sweepdb *db, const struct out_sweep_meta *m, struct sim_err *err)
{
    if (sqlite3_exec(db->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
        return oui_sweepdb_fail(db, err, SIM_ECANTCREAT, "create");
    /* another process may have created it since we looked */
    if (schema_size(db) > 0) {
        sqlite3_exec(db->db, "COMMIT", NULL, NULL, NULL);
        return check_identity(db, m, err);
    }
    if (sqlite3_exec(db->db, oui_sweepdb_schema, NULL, NULL, NULL) != SQLITE_OK) {
        oui_sweepdb_fail(db, err, SIM_ECANTCREAT, "create");
        sqlite3_exec(db->db, "ROLLBACK", NULL, NULL, NULL);
        return err->code;
    }
    struct identity id;
    identity_of(m, &id);
    char nplans[24];
    snprintf(nplans, sizeof nplans, "%llu", (unsigned long long)m->nplans);
    /* the identity, then what is kept for people */
    const char *kv[OUI_SWEEPDB_NIDENTITY + 5][2] = {
        {"nplans", nplans}, {"scenario", m->scenario}, {"scenario_file", m->scenario_file},
        {"command_line", m->command_line}, {"created_at", m->created_at},
    };
    for (size_t i = 0; i < OUI_SWEEPDB_NIDENTITY; i++) {
        kv[5 + i][0] = oui_sweepdb_identity[i].key;
        kv[5 + i][1] = id.value[i];
    }
    sqlite3_stmt *st = oui_sweepdb_prepare(db, "INSERT INTO meta(key, value) VALUES(?, ?)");
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
    free(id.grid);
    st = rc == SQLITE_OK ? oui_sweepdb_prepare(db, "INSERT INTO axes(axis, path, nvalues, vals) VALUES(?, ?, ?, ?)") : NULL;
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
        oui_sweepdb_fail(db, err, SIM_ECANTCREAT, "create");
        sqlite3_exec(db->db, "ROLLBACK", NULL, NULL, NULL);
    }
    return err->code;
}

/* Checks that the database holds the sweep m describes. */
static int check_identity(struct out_sweepdb *db, const struct out_sweep_meta *m, struct sim_err *err)
{
    struct identity id;
    identity_of(m, &id);
    for (size_t i = 0; i < OUI_SWEEPDB_NIDENTITY && !err->code; i++) {
        char *have;
        if (oui_sweepdb_meta_get(db->db, "main", oui_sweepdb_identity[i].key, &have) != SQLITE_OK) {
            oui_sweepdb_fail(db, err, SIM_ECANTCREAT, "read");
        } else if (!have || strcmp(have, id.value[i])) {
            char detail[160] = "";
            if (have && oui_sweepdb_identity[i].show)
                snprintf(detail, sizeof detail, " (%s there, %s here)", have, id.value[i]);
            sim_err_set(err, SIM_ECANTCREAT, "%s %s%s: remove it, or choose another file with --db", db->path,
                        oui_sweepdb_identity[i].words, detail);
        }
        free(have);
    }
    free(id.grid);
    return err->code;
}

/* Puts the database in WAL mode (kept in the file, so usually already
 * there) with NORMAL syncing. Switching needs the file to itself, and
 * SQLite does not wait for that on its own: another process creating or
 * writing it at the same moment is waited for here, up to 30 s. */
static int set_wal(struct out_sweepdb *db)
{
    int rc = SQLITE_BUSY;
    for (int tries = 0; tries < 3000 && rc == SQLITE_BUSY; tries++) {
        sqlite3_stmt *st = oui_sweepdb_prepare(db, "PRAGMA journal_mode");
        bool wal = st && sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0) &&
                   !strcmp((const char *)sqlite3_column_text(st, 0), "wal");
        sqlite3_finalize(st);
        rc = wal ? SQLITE_OK : sqlite3_exec(db->db, "PRAGMA journal_mode = WAL", NULL, NULL, NULL);
        if (rc == SQLITE_BUSY)
            nanosleep(&(struct timespec){0, 10000000}, NULL);
    }
    return rc == SQLITE_OK ? sqlite3_exec(db->db, "PRAGMA synchronous = NORMAL", NULL, NULL, NULL) : rc;
}

static int prepare_writes(struct out_sweepdb *db, struct sim_err *err)
{
    db->ins_plan = oui_sweepdb_prepare(db, "INSERT INTO plans(plan, name, overloaded, events, customers, verdict, missed,"
                               " close, finished_at) VALUES(?, ?, ?, ?, ?, ?, ?, ?, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))");
    db->ins_goal = oui_sweepdb_prepare(db, "INSERT INTO goals(plan, ord, kind, name, metric, target, at_least, verdict, more)"
                               " VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)");
    db->ins_value = oui_sweepdb_prepare(db, "INSERT INTO plan_values(plan, axis, value, number) VALUES(?, ?, ?, ?)");
    db->ins_scope = oui_sweepdb_prepare(db, "INSERT INTO scopes(plan, scope, kind, name, internal, target_wait, service_target)"
                                " VALUES(?, ?, ?, ?, ?, ?, ?)");
    db->ins_metric = oui_sweepdb_prepare(db, "INSERT OR IGNORE INTO metrics(kind, name, metric, unit) VALUES(?, ?, ?, ?)");
    db->sel_metric = oui_sweepdb_prepare(db, "SELECT metric_id FROM metrics WHERE kind = ? AND name = ? AND metric = ?");
    db->ins_result = oui_sweepdb_prepare(db, "INSERT INTO results(plan, metric_id, scope, ord, mean, ci_low, ci_high, sd, n, reps)"
                                 " VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    if (!db->ins_plan || !db->ins_value || !db->ins_scope || !db->ins_metric || !db->sel_metric || !db->ins_result ||
        !db->ins_goal)
        return oui_sweepdb_fail(db, err, SIM_ECANTCREAT, "prepare");
    return SIM_OK;
}

/* SQLite opened the database read-only (a read-only file system, a file
 * the process may not write): refused before any plan runs. */
static int read_only(struct out_sweepdb *db, struct sim_err *err)
{
    return sim_err_set(err, SIM_ECANTCREAT, "%s is read-only: a sweep could not keep its plans there; make it "
                       "writable, or choose another file with --db", db->path);
}

int out_sweepdb_open(const char *path, const struct out_sweep_meta *m, struct out_sweepdb **out, struct sim_err *err)
{
    struct out_sweepdb *db;
    *out = NULL;
    /* a device, a FIFO or a link to one is never opened: SQLite would write
     * its journal beside it, or wait forever for a FIFO's first page */
    if (out_file_check_regular(path, SIM_ECANTCREAT, err))
        return err->code;
    /* nor one whose journal's name (FILE-journal) SQLite could not make */
    const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    if (strlen(base) + strlen("-journal") > NAME_MAX)
        return sim_err_set(err, SIM_ECANTCREAT, "%s: the name is too long for a database (SQLite writes FILE-journal "
                           "beside it, and a name has at most %d bytes): choose a shorter one", path,
                           NAME_MAX - (int)strlen("-journal"));
    /* nor one that cannot be written: a sweep that ran a plan before it
     * found out would waste it */
    if (access(path, F_OK) == 0 && access(path, W_OK) != 0)
        return sim_err_set(err, SIM_ECANTCREAT, "%s is read-only (%s): a sweep could not keep its plans there; make "
                           "it writable, or choose another file with --db", path, strerror(errno));
    if (oui_sweepdb_open_file(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, &db, err)) {
        out_sweepdb_close(db, err);
        return err->code;
    }
    *out = db;
    /* A file that is not a database fails here, at its first read. */
    int tables = schema_size(db);
    if (tables == -1 && sqlite_header(path))
        oui_sweepdb_damaged(db, err, "its first page is not SQLite's");
    else if (tables == -1)
        sim_err_set(err, SIM_ECANTCREAT, "%s is not a cxsim sweep database: remove it, or choose another file "
                    "with --db", path);
    else if (tables < 0)
        oui_sweepdb_fail(db, err, SIM_ECANTCREAT, "open");
    else if (sqlite3_db_readonly(db->db, "main") == 1)
        read_only(db, err);
    else if (set_wal(db) != SQLITE_OK)
        oui_sweepdb_fail(db, err, SIM_ECANTCREAT, "open");
    else if (tables == 0)
        create_schema(db, m, err);
    else if (!check_format(db, SIM_ECANTCREAT, err) && !oui_sweepdb_check_file(db, err, SIM_ECANTCREAT))
        check_identity(db, m, err);
    if (!err->code)
        oui_sweepdb_load_axes(db, err, SIM_ECANTCREAT);
    /* the identity's grid is this sweep's, so its size must be too */
    if (!err->code && (db->nplans != m->nplans || db->naxes != m->naxes))
        oui_sweepdb_damaged(db, err, "its grid's size is not the one its identity names");
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
    if (out_file_check_regular(path, SIM_ENOINPUT, err))
        return err->code;
    if (access(path, R_OK) != 0) {
        sim_err_set(err, SIM_ENOINPUT, "cannot open %s: %s", path, strerror(errno));
        return err->code;
    }
    /* Read and write, but no query may write: a read-only connection to a
     * database in WAL mode makes its -wal and -shm and cannot remove them
     * when it closes, so a merge that stopped early would leave them beside
     * its inputs. */
    if (oui_sweepdb_open_file(path, SQLITE_OPEN_READWRITE, &db, err) == SIM_OK &&
        sqlite3_exec(db->db, "PRAGMA query_only = 1", NULL, NULL, NULL) != SQLITE_OK)
        oui_sweepdb_fail(db, err, SIM_ENOINPUT, "open");
    if (!err->code)
        check_format(db, SIM_ENOINPUT, err);
    if (!err->code)
        oui_sweepdb_check_file(db, err, SIM_ENOINPUT);
    if (!err->code)
        oui_sweepdb_load_axes(db, err, SIM_ENOINPUT);
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
    sqlite3_stmt *sts[] = {db->ins_plan, db->ins_value, db->ins_scope, db->ins_metric, db->sel_metric, db->ins_result,
                           db->ins_goal};
    for (size_t i = 0; i < sizeof sts / sizeof sts[0]; i++)
        sqlite3_finalize(sts[i]);
    if (db->db && sqlite3_close(db->db) != SQLITE_OK)
        sim_err_set(err, SIM_EIO, "cannot close %s: %s", db->path, sqlite3_errmsg(db->db));
    for (size_t a = 0; a < db->naxes; a++) {
        for (size_t k = 0; db->values && db->values[a] && db->values[a][k]; k++)
            free(db->values[a][k]);
        if (db->values)
            free(db->values[a]);
        if (db->paths)
            free(db->paths[a]);
    }
    free(db->values);
    free(db->paths);
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

bool out_sweepdb_is_file(const struct out_sweepdb *db, const char *path)
{
    static const char *const sides[] = {"", "-wal", "-shm", "-journal"};
    size_t n = strlen(db->path) + sizeof "-journal";
    char *name = sim_xmalloc(n);
    bool same = false;
    for (size_t i = 0; i < sizeof sides / sizeof sides[0] && !same; i++) {
        snprintf(name, n, "%s%s", db->path, sides[i]);
        same = out_file_same(path, name);
    }
    free(name);
    return same;
}

uint64_t out_sweepdb_nplans(const struct out_sweepdb *db)
{
    return db->nplans;
}

uint64_t out_sweepdb_found(const struct out_sweepdb *db)
{
    return db->found;
}

int out_sweepdb_count(struct out_sweepdb *db, uint64_t *done, struct sim_err *err)
{
    *done = 0;   /* set on failure too */
    sqlite3_stmt *st = oui_sweepdb_prepare(db, "SELECT count(*) FROM plans");
    if (!st || sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_finalize(st);
        return oui_sweepdb_fail(db, err, SIM_ENOINPUT, "read");
    }
    int64_t n;
    if (!oui_sweepdb_column_int(st, 0, 0, (int64_t)db->nplans, &n))
        oui_sweepdb_damaged(db, err, "it holds more plans than its grid has");
    else
        *done = (uint64_t)n;
    sqlite3_finalize(st);
    return err->code;
}

int out_sweepdb_done(struct out_sweepdb *db, uint64_t *done, uint64_t nbits, struct sim_err *err)
{
    sqlite3_stmt *st = oui_sweepdb_prepare(db, "SELECT plan FROM plans");
    if (!st)
        return oui_sweepdb_fail(db, err, SIM_ENOINPUT, "read");
    uint64_t most = nbits < db->nplans ? nbits : db->nplans;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t p;
        if (!oui_sweepdb_column_int(st, 0, 0, (int64_t)most - 1, &p)) {
            oui_sweepdb_damaged(db, err, "a plan is numbered outside its grid");
            break;
        }
        done[p / 64] |= (uint64_t)1 << (p % 64);
    }
    sqlite3_finalize(st);
    if (!err->code && rc != SQLITE_DONE)
        oui_sweepdb_fail(db, err, SIM_ENOINPUT, "read");
    return err->code;
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
    char missed[1024], close[1024];
    enum out_verdict verdict = out_plan_verdict(plan, NULL, missed, close, sizeof missed);
    sqlite3_stmt *st = db->ins_plan;
    sqlite3_bind_int64(st, 1, (sqlite3_int64)p);
    sqlite3_bind_text(st, 2, plan->name, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, plan->overloaded);
    sqlite3_bind_int64(st, 4, (sqlite3_int64)events);
    sqlite3_bind_int64(st, 5, (sqlite3_int64)customers);
    sqlite3_bind_int(st, 6, (int)verdict);
    sqlite3_bind_text(st, 7, missed, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 8, close, -1, SQLITE_STATIC);
    int rc = step_done(st);
    if (rc == SQLITE_CONSTRAINT) {
        /* another process wrote this plan first: it stays as it is */
        sqlite3_exec(db->db, "ROLLBACK", NULL, NULL, NULL);
        db->found++;
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
    for (size_t g = 0; g < plan->ngoals && rc == SQLITE_OK; g++) {
        const struct out_goal *goal = &plan->goals[g];
        sqlite3_stmt *gs = db->ins_goal;
        sqlite3_bind_int64(gs, 1, (sqlite3_int64)p);
        sqlite3_bind_int64(gs, 2, (sqlite3_int64)g);
        sqlite3_bind_text(gs, 3, out_scope_kind_name(goal->kind), -1, SQLITE_STATIC);
        sqlite3_bind_text(gs, 4, goal->scope, -1, SQLITE_STATIC);
        sqlite3_bind_text(gs, 5, goal->metric, -1, SQLITE_STATIC);
        sqlite3_bind_double(gs, 6, goal->target);
        sqlite3_bind_int(gs, 7, goal->at_least);
        sqlite3_bind_int(gs, 8, (int)goal->verdict);
        if (isfinite(goal->more_replications))
            sqlite3_bind_double(gs, 9, goal->more_replications);
        else
            sqlite3_bind_null(gs, 9);   /* on its target: no number of replications settles it */
        rc = step_done(gs);
    }
    if (rc == SQLITE_OK)
        rc = write_results(db, p, plan, reps);
    if (rc != SQLITE_OK || sqlite3_exec(db->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        oui_sweepdb_fail(db, err, SIM_EIO, "write to");
        sqlite3_exec(db->db, "ROLLBACK", NULL, NULL, NULL);
    }
    return err->code;
}

