/* tests/dbutil.h — what the command tests ask of a sweep database.
 *
 * One number out of a database, read as a separate process would read it
 * (its own connection, waiting up to 5 s for a writer's lock; read-write,
 * so that, closing last, it folds the WAL back and leaves no -wal beside),
 * and a database removed with the journal files SQLite keeps beside it.
 * Neither fails the test itself: the caller asserts on what it gets.
 */
#ifndef CXSIM_TESTS_DBUTIL_H
#define CXSIM_TESTS_DBUTIL_H

#include <sqlite3.h>
#include <stdio.h>
#include <unistd.h>

/* The single whole-number answer of sql on the database at path; -1 when it
 * cannot be asked (no database yet, no table yet, a damaged file). */
static inline long long test_db_query(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    long long v = -1;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK) {
        sqlite3_busy_timeout(db, 5000);
        sqlite3_stmt *st = NULL;
        if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
            v = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    return v;
}

/* Removes the database at path and its -wal and -shm files, if there. */
static inline void test_db_remove(const char *path)
{
    char p[512];
    unlink(path);
    snprintf(p, sizeof p, "%s-wal", path);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", path);
    unlink(p);
}

#endif
