/* output/optstore.c — cxsim optimise's store of evaluations (see optstore.h). */
#include "output/optstore.h"
#include "output/file.h"
#include "sim/mem.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define FORMAT "cxsim-optimise 1"   /* evals(key, n, v, sum) */

struct out_optstore {
    char *path;
    char *identity;     /* the optimisation's, before every key */
    sqlite3 *db;
    sqlite3_stmt *get, *put;
    size_t hits;
};

static int damaged(struct out_optstore *st, struct sim_err *err, const char *why)
{
    return sim_err_set(err, SIM_EDATA, "%s: the optimisation's store is damaged (%s): remove it, and the "
                       "optimisation runs from the start", st->path, why);
}

static int fail(struct out_optstore *st, struct sim_err *err, int code, const char *what)
{
    int sc = st->db ? sqlite3_errcode(st->db) : SQLITE_ERROR;
    if (sc == SQLITE_CORRUPT || sc == SQLITE_NOTADB)
        return damaged(st, err, sqlite3_errmsg(st->db));
    if (sc == SQLITE_FULL || sc == SQLITE_IOERR)
        code = SIM_EIO;
    return sim_err_set(err, code, "cannot %s %s: %s", what, st->path, st->db ? sqlite3_errmsg(st->db) : "out of memory");
}

/* The one text answer of sql, or NULL (the caller frees it). */
static char *one_text(struct out_optstore *st, const char *sql, const char *arg)
{
    sqlite3_stmt *q = NULL;
    char *v = NULL;
    if (sqlite3_prepare_v2(st->db, sql, -1, &q, NULL) == SQLITE_OK &&
        (!arg || sqlite3_bind_text(q, 1, arg, -1, SQLITE_STATIC) == SQLITE_OK) && sqlite3_step(q) == SQLITE_ROW &&
        sqlite3_column_type(q, 0) == SQLITE_TEXT)
        v = sim_xstrdup((const char *)sqlite3_column_text(q, 0));
    sqlite3_finalize(q);
    return v;
}

static int create(struct out_optstore *st, struct sim_err *err)
{
    if (sqlite3_exec(st->db, "BEGIN IMMEDIATE; CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
                     "CREATE TABLE evals(key TEXT PRIMARY KEY, n INTEGER NOT NULL, v BLOB NOT NULL, sum INTEGER NOT NULL);"
                     "INSERT INTO meta VALUES('format', '" FORMAT "'); COMMIT;",
                     NULL, NULL, NULL) != SQLITE_OK)
        return fail(st, err, SIM_ECANTCREAT, "create");
    return SIM_OK;
}

static int check_format(struct out_optstore *st, struct sim_err *err)
{
    char *have = one_text(st, "SELECT value FROM meta WHERE key = ?", "format");
    if (!have || strcmp(have, FORMAT))
        sim_err_set(err, SIM_ECANTCREAT, "%s is not a cxsim optimisation store: choose another file with --db",
                    st->path);
    free(have);
    return err->code;
}

int out_optstore_open(const char *path, const struct out_optstore_meta *m, struct out_optstore **out,
                      struct sim_err *err)
{
    *out = NULL;
    if (out_file_check_regular(path, SIM_ECANTCREAT, err))
        return err->code;
    if (access(path, F_OK) == 0 && access(path, W_OK) != 0)
        return sim_err_set(err, SIM_ECANTCREAT, "%s is read-only (%s): the optimisation could not keep its plans "
                           "there; make it writable, or choose another file with --db", path, strerror(errno));
    struct out_optstore *st = sim_xcalloc(1, sizeof *st);
    st->path = sim_xstrdup(path);
    size_t len = strlen(m->cxsim_version) + strlen(m->scenario_sha256) + strlen(m->overrides) + 96;
    st->identity = sim_xmalloc(len);
    snprintf(st->identity, len, "cxsim %s\nscenario %s\nseed %" PRIu64 "\ndays %u\n%s\n", m->cxsim_version,
             m->scenario_sha256, m->seed, m->days, m->overrides);
    int rc = SIM_OK;
    if (sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK)
        rc = fail(st, err, SIM_ECANTCREAT, "open");
    if (!rc) {
        sqlite3_busy_timeout(st->db, 30000);
        sqlite3_db_config(st->db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
        sqlite3_db_config(st->db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
    }
    /* an existing file: a store, undamaged, of this optimisation */
    sqlite3_stmt *q = NULL;
    int tables = -1;
    if (!rc && sqlite3_prepare_v2(st->db, "SELECT count(*) FROM sqlite_master", -1, &q, NULL) == SQLITE_OK &&
        sqlite3_step(q) == SQLITE_ROW)
        tables = sqlite3_column_int(q, 0);
    sqlite3_finalize(q);
    if (!rc && tables < 0)
        rc = sqlite3_errcode(st->db) == SQLITE_NOTADB
                 ? sim_err_set(err, SIM_ECANTCREAT, "%s is not a cxsim optimisation store: choose another file with --db",
                               path)
                 : fail(st, err, SIM_ECANTCREAT, "open");
    if (!rc && tables > 0) {
        char *ok = one_text(st, "PRAGMA quick_check", NULL);
        if (!ok || strcmp(ok, "ok"))
            rc = damaged(st, err, ok ? ok : "its pages cannot be read");
        free(ok);
    }
    if (!rc && sqlite3_exec(st->db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL", NULL, NULL, NULL))
        rc = fail(st, err, SIM_ECANTCREAT, "open");
    if (!rc)
        rc = tables > 0 ? check_format(st, err) : create(st, err);
    if (!rc && (sqlite3_prepare_v2(st->db, "SELECT n, v, sum FROM evals WHERE key = ?", -1, &st->get, NULL) != SQLITE_OK ||
                sqlite3_prepare_v2(st->db, "INSERT OR REPLACE INTO evals VALUES(?, ?, ?, ?)", -1, &st->put, NULL) !=
                    SQLITE_OK))
        rc = sqlite3_errcode(st->db) == SQLITE_ERROR ? damaged(st, err, "its tables are not a store's")
                                                     : fail(st, err, SIM_ECANTCREAT, "open");
    if (rc) {
        struct sim_err ignored;
        sim_err_init(&ignored);
        out_optstore_close(st, &ignored);
        return rc;
    }
    *out = st;
    return SIM_OK;
}

int out_optstore_close(struct out_optstore *st, struct sim_err *err)
{
    if (!st)
        return SIM_OK;
    sqlite3_finalize(st->get);
    sqlite3_finalize(st->put);
    if (st->db && sqlite3_close(st->db) != SQLITE_OK && !err->code)
        sim_err_set(err, SIM_EIO, "cannot close %s", st->path);
    free(st->path);
    free(st->identity);
    free(st);
    return err->code;
}

/* FNV-1a over the key and the numbers' bytes: a row whose bytes changed
 * (a damaged page, an edited file) no longer matches its sum, so it is
 * never read back as numbers it did not hold. */
static sqlite3_int64 row_sum(const char *key, const void *blob, size_t bytes)
{
    uint64_t h = 14695981039346656037u;
    for (const unsigned char *p = (const unsigned char *)key; *p; p++)
        h = (h ^ *p) * 1099511628211u;
    h = (h ^ 0xff) * 1099511628211u;
    for (size_t i = 0; i < bytes; i++)
        h = (h ^ ((const unsigned char *)blob)[i]) * 1099511628211u;
    return (sqlite3_int64)(h >> 1);
}

/* The row's key: the optimisation's identity, then the plan's. */
static char *full_key(const struct out_optstore *st, const char *key)
{
    size_t a = strlen(st->identity), b = strlen(key);
    char *k = sim_xmalloc(a + b + 1);
    memcpy(k, st->identity, a);
    memcpy(k + a, key, b + 1);
    return k;
}

int out_optstore_get(struct out_optstore *st, const char *plan, double *v, size_t n, bool *found,
                     struct sim_err *err)
{
    *found = false;
    char *key = full_key(st, plan);
    sqlite3_bind_text(st->get, 1, key, -1, SQLITE_STATIC);
    int sc = sqlite3_step(st->get);
    int rc = SIM_OK;
    if (sc == SQLITE_ROW) {
        sqlite3_int64 have = sqlite3_column_int64(st->get, 0);
        const void *blob = sqlite3_column_blob(st->get, 1);
        int bytes = sqlite3_column_bytes(st->get, 1);
        if (have != (sqlite3_int64)n || bytes < 0 || (size_t)bytes != n * sizeof *v || (n && !blob))
            rc = damaged(st, err, "an evaluation of another length");
        else if (sqlite3_column_int64(st->get, 2) != row_sum(key, blob, (size_t)bytes))
            rc = damaged(st, err, "an evaluation whose bytes changed");
        else {
            memcpy(v, blob, n * sizeof *v);
            *found = true;
            st->hits++;
        }
    } else if (sc != SQLITE_DONE) {
        rc = fail(st, err, SIM_ENOINPUT, "read");
    }
    sqlite3_reset(st->get);
    sqlite3_clear_bindings(st->get);
    free(key);
    return rc;
}

int out_optstore_put(struct out_optstore *st, const char *plan, const double *v, size_t n, struct sim_err *err)
{
    char *key = full_key(st, plan);
    sqlite3_bind_text(st->put, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st->put, 2, (sqlite3_int64)n);
    sqlite3_bind_blob(st->put, 3, v, (int)(n * sizeof *v), SQLITE_STATIC);
    sqlite3_bind_int64(st->put, 4, row_sum(key, v, n * sizeof *v));
    int rc = sqlite3_step(st->put) == SQLITE_DONE ? SIM_OK : fail(st, err, SIM_EIO, "write");
    sqlite3_reset(st->put);
    sqlite3_clear_bindings(st->put);
    free(key);
    return rc;
}

size_t out_optstore_hits(const struct out_optstore *st)
{
    return st ? st->hits : 0;
}
