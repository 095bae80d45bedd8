/* output/sweepdb_check.c — what every read of a sweep database passes
 * through (see sweepdb.h): its schema and SQLite's integrity_check when it
 * opens, the grid read strictly, and column readers that bound every value
 * read.
 *
 * Invariant: nothing read from a database reaches a writer, an index or an
 * allocation unchecked. A database whose schema is not cxsim's (a view in
 * a table's place, a trigger), whose structure SQLite finds broken
 * (integrity_check, SQLITE_CORRUPT at any step), or whose contents break what
 * cxsim writes (a number outside its range, a text that is not printable
 * UTF-8, a grid whose size is not the product of its axes, a row missing),
 * is "damaged": SIM_EDATA (65), never a partial report.
 *
 * Cost: integrity_check reads every page once and each index against its
 * table, about O(file size), each time a database is opened. What it does not do: see damage inside a stored
 * number (SQLite keeps no checksums; a changed digit reads as another
 * value), or repair anything.
 */
#include "output/sweepdb_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int oui_sweepdb_damaged(struct out_sweepdb *db, struct sim_err *err, const char *what)
{
    return sim_err_set(err, SIM_EDATA, "cannot read %s: the database is damaged (%s); run the sweep again into "
                       "another --db, or merge its shards again", db->path, what);
}

/* True when sql is one of the statements of cxsim's schema, as SQLite
 * keeps them (verbatim, without the semicolon). */
static bool in_schema(const char *sql)
{
    size_t n = strlen(sql);
    for (const char *st = oui_sweepdb_schema; *st;) {
        const char *end = strchr(st, ';');
        size_t len = end ? (size_t)(end - st) : strlen(st);
        if (len == n && !memcmp(st, sql, n))
            return true;
        st += len + (end != NULL);
    }
    return false;
}

/* The schema is cxsim's, exactly: every table and view with the text cxsim
 * created it with, and nothing else but SQLite's own (its indexes, its
 * statistics). A view in a table's place could run any query (one that
 * never ends), a trigger could rewrite what a sweep writes. */
static int check_schema(struct out_sweepdb *db, struct sim_err *err, int code)
{
    sqlite3_stmt *st = oui_sweepdb_prepare(db, "SELECT name, sql FROM main.sqlite_master");
    if (!st)
        return oui_sweepdb_fail(db, err, code, "read");
    size_t ours = 0, want = 0;
    for (const char *c = oui_sweepdb_schema; *c; c++)
        want += *c == ';';
    want--;   /* the PRAGMA */
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *name = (const char *)sqlite3_column_text(st, 0);
        const char *sql = (const char *)sqlite3_column_text(st, 1);
        if (name && !strncmp(name, "sqlite_", 7) && (!sql || !strncmp(sql, "CREATE TABLE sqlite_stat", 24)))
            continue;
        if (!sql || !in_schema(sql)) {
            char what[160];
            snprintf(what, sizeof what, "it holds a table, view, index or trigger that cxsim does not make: %.60s",
                     name ? name : "(no name)");
            for (char *c = what; *c; c++)
                if ((unsigned char)*c < 0x20 || (unsigned char)*c >= 0x7F)
                    *c = '?';
            sqlite3_finalize(st);
            return oui_sweepdb_damaged(db, err, what);
        }
        ours++;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return oui_sweepdb_fail(db, err, code, "read");
    if (ours != want)
        return oui_sweepdb_damaged(db, err, "tables of cxsim's are missing");
    return SIM_OK;
}

int oui_sweepdb_check_file(struct out_sweepdb *db, struct sim_err *err, int code)
{
    if (check_schema(db, err, code))
        return err->code;
    /* integrity_check, not quick_check: quick_check passes a UNIQUE index
     * that no longer matches its table (the fuzzer found one: two metrics
     * of one name, which merge then could not join), and NULLs in a WITHOUT
     * ROWID table's NOT NULL columns; on cxsim's tables, whose indexes are
     * their keys, the full check costs little more */
    sqlite3_stmt *st = oui_sweepdb_prepare(db, "PRAGMA integrity_check(1)");
    if (!st)
        return oui_sweepdb_fail(db, err, code, "read");
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        sqlite3_finalize(st);
        return oui_sweepdb_fail(db, err, code, "read");
    }
    const char *says = (const char *)sqlite3_column_text(st, 0);
    if (!says || strcmp(says, "ok")) {
        char what[160];
        snprintf(what, sizeof what, "SQLite's check says: %.100s", says ? says : "nothing");
        for (char *c = what; *c; c++)
            if ((unsigned char)*c < 0x20 || (unsigned char)*c >= 0x7F)
                *c = '?';
        oui_sweepdb_damaged(db, err, what);
    }
    sqlite3_finalize(st);
    return err->code;
}

/* ---- columns ----------------------------------------------------------- */

/* True when s[0..n) is UTF-8 with no control character (C0, DEL, C1) and
 * no NUL: a text a report may show on a terminal. */
static bool printable_utf8(const unsigned char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        unsigned c = s[i];
        if (c < 0x80) {
            if (c < 0x20 || c == 0x7F)
                return false;
            i++;
            continue;
        }
        size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
        if (len == 0 || c > 0xF4 || i + len > n)
            return false;
        uint32_t cp = c & (0xFF >> (len + 1));
        for (size_t k = 1; k < len; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                return false;
            cp = cp << 6 | (s[i + k] & 0x3F);
        }
        if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
            (cp >= 0xD800 && cp <= 0xDFFF) || (cp >= 0x80 && cp <= 0x9F))
            return false;
        i += len;
    }
    return true;
}

const char *oui_sweepdb_column_text(sqlite3_stmt *st, int i)
{
    if (sqlite3_column_type(st, i) != SQLITE_TEXT)
        return NULL;
    const unsigned char *s = sqlite3_column_text(st, i);
    int n = sqlite3_column_bytes(st, i);
    if (!s || n < 0 || !printable_utf8(s, (size_t)n))
        return NULL;
    return (const char *)s;
}

bool oui_sweepdb_column_int(sqlite3_stmt *st, int i, int64_t lo, int64_t hi, int64_t *out)
{
    if (sqlite3_column_type(st, i) != SQLITE_INTEGER)
        return false;
    int64_t v = sqlite3_column_int64(st, i);
    if (v < lo || v > hi)
        return false;
    *out = v;
    return true;
}

bool oui_sweepdb_column_num(sqlite3_stmt *st, int i, double *out)
{
    switch (sqlite3_column_type(st, i)) {
    case SQLITE_NULL:
        *out = NAN;
        return true;
    case SQLITE_INTEGER:
    case SQLITE_FLOAT:
        *out = sqlite3_column_double(st, i);
        return !isnan(*out);   /* SQLite stores NaN as NULL: a NaN read is not SQLite's */
    default:
        return false;
    }
}

/* ---- the grid ---------------------------------------------------------- */

/* Parses a whole decimal number in [lo, hi] (digits only). */
static bool parse_count(const char *s, uint64_t lo, uint64_t hi, uint64_t *out)
{
    uint64_t v = 0;
    if (!s || !*s)
        return false;
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || v > (hi - (uint64_t)(*s - '0')) / 10)
            return false;
        v = 10 * v + (uint64_t)(*s - '0');
    }
    if (v < lo)
        return false;
    *out = v;
    return true;
}

/* Reads meta key as a count in [lo, hi] into *out; a missing or malformed
 * one is damage. */
static int meta_count(struct out_sweepdb *db, const char *key, uint64_t lo, uint64_t hi, uint64_t *out,
                      struct sim_err *err, int code)
{
    char *v;
    if (oui_sweepdb_meta_get(db->db, "main", key, &v) != SQLITE_OK)
        return oui_sweepdb_fail(db, err, code, "read");
    if (!parse_count(v, lo, hi, out)) {
        char what[64];
        snprintf(what, sizeof what, "meta.%s is not a number from %llu to %llu", key, (unsigned long long)lo,
                 (unsigned long long)hi);
        oui_sweepdb_damaged(db, err, what);
    }
    free(v);
    return err->code;
}

/* Splits vals (nv values, one per line) into db's axis a. */
static int split_values(struct out_sweepdb *db, size_t a, const char *vals, int64_t nv, struct sim_err *err)
{
    int64_t lines = 1;
    for (const char *c = vals; *c; c++)
        lines += *c == '\n';
    if (lines != nv)
        return oui_sweepdb_damaged(db, err, "an axis holds another number of values than it says");
    db->values[a] = sim_xcalloc((size_t)nv + 1, sizeof *db->values[a]);
    const char *v = vals;
    for (size_t k = 0; k < (size_t)nv; k++) {
        const char *nl = strchr(v, '\n');
        size_t len = nl ? (size_t)(nl - v) : strlen(v);
        if (len == 0 || !printable_utf8((const unsigned char *)v, len))
            return oui_sweepdb_damaged(db, err, "an axis holds a value that is not one cxsim writes");
        db->values[a][k] = sim_xmalloc(len + 1);
        memcpy(db->values[a][k], v, len);
        db->values[a][k][len] = '\0';
        db->nvalues[a] = k + 1;
        v = nl ? nl + 1 : v + len;
    }
    return SIM_OK;
}

/* Checks the axes read against meta's grid and nplans: the same text, and
 * as many plans as the product of the axes' values. */
static int check_grid(struct out_sweepdb *db, struct sim_err *err, int code)
{
    uint64_t product = 1;
    for (size_t a = 0; a < db->naxes; a++) {
        if (product > OUI_SWEEPDB_MAX_PLANS / db->nvalues[a])
            return oui_sweepdb_damaged(db, err, "the grid's axes make too many plans");
        product *= db->nvalues[a];
    }
    if (product != db->nplans)
        return oui_sweepdb_damaged(db, err, "meta.nplans is not the number of plans of the grid's axes");
    struct out_sweep_axis *axes = sim_xcalloc(db->naxes, sizeof *axes);
    for (size_t a = 0; a < db->naxes; a++)
        axes[a] = (struct out_sweep_axis){db->paths[a], db->nvalues[a], (const char *const *)db->values[a]};
    struct out_sweep_meta m = {.naxes = db->naxes, .axes = axes};
    char *want = oui_sweepdb_grid_text(&m), *have;
    if (oui_sweepdb_meta_get(db->db, "main", "grid", &have) != SQLITE_OK)
        oui_sweepdb_fail(db, err, code, "read");
    else if (!have || strcmp(have, want))
        oui_sweepdb_damaged(db, err, "its axes are not the grid its identity names");
    free(have);
    free(want);
    free(axes);
    return err->code;
}

int oui_sweepdb_load_axes(struct out_sweepdb *db, struct sim_err *err, int code)
{
    uint64_t reps;
    if (meta_count(db, "nplans", 1, OUI_SWEEPDB_MAX_PLANS, &db->nplans, err, code) ||
        meta_count(db, "replications", 1, OUI_SWEEPDB_MAX_REPS, &reps, err, code))
        return err->code;
    db->replications = (unsigned)reps;
    sqlite3_stmt *st = oui_sweepdb_prepare(db, "SELECT axis, path, nvalues, vals FROM axes ORDER BY axis");
    if (!st)
        return oui_sweepdb_fail(db, err, code, "read");
    db->values = sim_xcalloc(OUI_SWEEPDB_MAX_AXES + 1, sizeof *db->values);
    db->nvalues = sim_xcalloc(OUI_SWEEPDB_MAX_AXES + 1, sizeof *db->nvalues);
    db->paths = sim_xcalloc(OUI_SWEEPDB_MAX_AXES + 1, sizeof *db->paths);
    int rc = SQLITE_DONE;
    while (!err->code && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t axis, nv;
        /* vals: the values, one per line (each checked as it is split) */
        const char *path = oui_sweepdb_column_text(st, 1), *vals = NULL;
        if (sqlite3_column_type(st, 3) == SQLITE_TEXT) {
            vals = (const char *)sqlite3_column_text(st, 3);
            if (vals && strlen(vals) != (size_t)sqlite3_column_bytes(st, 3))
                vals = NULL;
        }
        if (db->naxes == OUI_SWEEPDB_MAX_AXES || !oui_sweepdb_column_int(st, 0, 0, INT64_MAX, &axis) ||
            axis != (int64_t)db->naxes || !path || !*path || !vals ||
            !oui_sweepdb_column_int(st, 2, 1, (int64_t)strlen(vals) + 1, &nv)) {
            oui_sweepdb_damaged(db, err, "an axis of the grid is not as cxsim writes it");
            break;
        }
        size_t a = db->naxes++;
        db->paths[a] = sim_xstrdup(path);
        split_values(db, a, vals, nv, err);
    }
    if (!err->code && rc != SQLITE_DONE)
        oui_sweepdb_fail(db, err, code, "read");
    sqlite3_finalize(st);
    if (!err->code && db->naxes == 0)
        oui_sweepdb_damaged(db, err, "the grid has no axes");
    if (!err->code)
        check_grid(db, err, code);
    return err->code;
}
