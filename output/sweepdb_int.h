/* output/sweepdb_int.h — internal to output/sweepdb*.c: the state of an
 * open sweep database and the helpers its files share. Not for use
 * elsewhere: the API is output/sweepdb.h. */
#ifndef OUI_SWEEPDB_INT_H
#define OUI_SWEEPDB_INT_H

#include "output/sweepdb.h"

#include <sqlite3.h>

#define FORMAT "cxsim-sweep 2"

struct cached_metric {
    enum out_scope_kind kind;
    char *scope, *metric;
    sqlite3_int64 id;
};

/* Bounds on what a database may say of its grid (oui_sweepdb_load_axes):
 * --max-plans' own most, models/plans.h's MDL_MAX_AXES, and ten times
 * models/scenario.h's MDL_MAX_REPLICATIONS (which output/ cannot include). */
#define OUI_SWEEPDB_MAX_PLANS 1000000000000000ull
#define OUI_SWEEPDB_MAX_AXES 64
#define OUI_SWEEPDB_MAX_REPS 10000000ull

struct out_sweepdb {
    sqlite3 *db;
    char *path;
    uint64_t nplans;              /* the product of the axes' values, checked */
    unsigned replications;        /* of every plan: a reps BLOB holds this many */
    size_t naxes;
    char **paths;                 /* [axis]: the axes' paths, owned */
    char ***values;               /* [axis][k]: the axes' values, owned */
    size_t *nvalues;
    sqlite3_stmt *ins_plan, *ins_value, *ins_scope, *ins_metric, *sel_metric, *ins_result, *ins_goal;
    struct cached_metric *cache;  /* the last plan's layout */
    size_t ncache, capcache;
    uint64_t found;               /* plans out_sweepdb_write found another process had written */
};

/* The tables and views of a sweep database (one SQL script). */
extern const char oui_sweepdb_schema[];

/* The meta keys that make a sweep's identity, how to say they differ, and
 * whether to show both values when they do (short ones). */
struct oui_sweepdb_key {
    const char *key, *words;
    bool show;
};
#define OUI_SWEEPDB_NIDENTITY 7
extern const struct oui_sweepdb_key oui_sweepdb_identity[OUI_SWEEPDB_NIDENTITY];

/* Sets err: "cannot WHAT FILE: sqlite's message"; a full disk or an I/O
 * error is SIM_EIO whatever `code`, a database SQLite finds corrupt is
 * damaged (SIM_EDATA). Returns the code set. */
int oui_sweepdb_fail(struct out_sweepdb *db, struct sim_err *err, int code, const char *what);
/* Sets err: "cannot read FILE: the database is damaged (what)", SIM_EDATA. */
int oui_sweepdb_damaged(struct out_sweepdb *db, struct sim_err *err, const char *what);
/* The schema is cxsim's exactly (no view, trigger or table of another's)
 * and PRAGMA integrity_check finds nothing: SIM_OK, or damaged (code when the
 * checks cannot be run). */
int oui_sweepdb_check_file(struct out_sweepdb *db, struct sim_err *err, int code);
/* A prepared statement, or NULL. */
sqlite3_stmt *oui_sweepdb_prepare(struct out_sweepdb *db, const char *sql);
/* Column i as a text a report may show (printable UTF-8, no NUL inside),
 * or NULL when it is anything else. */
const char *oui_sweepdb_column_text(sqlite3_stmt *st, int i);
/* Column i as a whole number in [lo, hi]; false when it is not one. */
bool oui_sweepdb_column_int(sqlite3_stmt *st, int i, int64_t lo, int64_t hi, int64_t *out);
/* Column i as a number, NULL as NaN; false when it is text or a blob. */
bool oui_sweepdb_column_num(sqlite3_stmt *st, int i, double *out);
/* The grid of m as its identity's text: one line per axis, PATH=[V1, ...]. */
char *oui_sweepdb_grid_text(const struct out_sweep_meta *m);
/* 8 little-endian bytes as a double. */
double oui_sweepdb_get_le(const unsigned char *p);
/* The value of meta key in database schema_name ("main", or an attached
 * one), as a new string in *value, NULL when it has none (not there, not
 * text). Returns SQLITE_OK, or SQLite's error: a read that failed is never
 * taken for a missing key. */
int oui_sweepdb_meta_get(sqlite3 *db, const char *schema_name, const char *key, char **value);
/* Opens path with SQLite flags into a new *out (which the caller closes
 * with out_sweepdb_close, even on failure). */
int oui_sweepdb_open_file(const char *path, int flags, struct out_sweepdb **out, struct sim_err *err);
/* Reads the grid (its size, the replications, the axes' paths and values)
 * into db, strictly: meta.nplans must be the product of the axes' values
 * and the axes must be meta.grid; anything else is damage. code is for a
 * read that fails. */
int oui_sweepdb_load_axes(struct out_sweepdb *db, struct sim_err *err, int code);

#endif
