/* output/sweepdb_read.c — reading a sweep database back (every plan
 * whole, or the ranking), and merging databases (see sweepdb.h).
 *
 * Invariant: a plan reaches a writer whole and checked, or not at all.
 * Every row is read through sweepdb_check.c's column readers; rows are
 * counted, then read, and each must be there; the first thing found wrong
 * stops the read with "the database is damaged" (65). Merge reads each
 * input whole before it writes, and writes through output/file.h (a
 * temporary renamed into place). Cost: a plan's read is four indexed
 * queries; a merge copies with INSERT ... SELECT, its inputs ATTACHed.
 * What this file does not do: write a plan (sweepdb.c), or judge numbers
 * beyond their consistency (SQLite keeps no checksums).
 */
#include "output/shell.h"
#include "output/sweepdb_int.h"
#include "output/file.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- reading back ------------------------------------------------------ */

/* Every value read is checked (sweepdb_check.c): a row that is not as
 * out_sweepdb_write makes it, a step that fails or a row missing stops the
 * read with an error; nothing half-read reaches a writer. */

static char *arena_text(struct sim_arena *arena, const char *s)
{
    size_t n = strlen(s);
    char *c = sim_arena_alloc(arena, n + 1);
    memcpy(c, s, n + 1);
    return c;
}

/* A text column a report may show, copied into arena; NULL when it is not
 * one (the caller says the database is damaged). */
static const char *text_at(sqlite3_stmt *st, int i, struct sim_arena *arena)
{
    const char *s = oui_sweepdb_column_text(st, i);
    return s ? arena_text(arena, s) : NULL;
}

static bool verdict_at(sqlite3_stmt *st, int i, enum out_verdict *v)
{
    int64_t x;
    if (!oui_sweepdb_column_int(st, i, OUT_MET, OUT_MISSED, &x))
        return false;
    *v = x == OUT_MET ? OUT_MET : x == OUT_MISSED ? OUT_MISSED : OUT_TOO_CLOSE;
    return true;
}

static bool kind_at(sqlite3_stmt *st, int i, enum out_scope_kind *kind)
{
    const char *word = oui_sweepdb_column_text(st, i);
    return word && out_scope_kind_parse(word, kind);
}

/* Counts the rows of st for plan p, which must end well: -1 on an error
 * (set). st is reset and bound again for the rows' read. */
static int64_t count_rows(struct out_sweepdb *db, sqlite3_stmt *st, uint64_t p, struct sim_err *err)
{
    int64_t n = 0;
    int rc;
    sqlite3_reset(st);
    sqlite3_bind_int64(st, 1, (sqlite3_int64)p);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        n++;
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) {
        oui_sweepdb_fail(db, err, SIM_ENOINPUT, "read");
        return -1;
    }
    return n;
}

/* The next of the rows count_rows counted: false with err set when it is
 * not there. */
static bool next_row(struct out_sweepdb *db, sqlite3_stmt *st, struct sim_err *err)
{
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        return true;
    if (rc == SQLITE_DONE)
        oui_sweepdb_damaged(db, err, "a plan's rows went missing while it was read");
    else
        oui_sweepdb_fail(db, err, SIM_ENOINPUT, "read");
    return false;
}

/* Reads plan p's goals into *plan (its scopes read). */
static int read_goals(struct out_sweepdb *db, sqlite3_stmt *goals, uint64_t p, struct sim_arena *arena,
                      struct out_plan *plan, struct sim_err *err)
{
    int64_t n = count_rows(db, goals, p, err);
    if (n < 0)
        return err->code;
    struct out_goal *g = sim_arena_alloc(arena, ((size_t)n + 1) * sizeof *g);
    plan->ngoals = 0;
    plan->goals = g;
    for (int64_t k = 0; k < n && next_row(db, goals, err); k++) {
        struct out_goal *goal = &g[plan->ngoals];
        int64_t ord, at_least;
        double more;
        if (!oui_sweepdb_column_int(goals, 0, k, k, &ord) || !kind_at(goals, 1, &goal->kind) ||
            !(goal->scope = text_at(goals, 2, arena)) || !(goal->metric = text_at(goals, 3, arena)) ||
            sqlite3_column_type(goals, 4) == SQLITE_NULL || !oui_sweepdb_column_num(goals, 4, &goal->target) ||
            !oui_sweepdb_column_int(goals, 5, 0, 1, &at_least) || !verdict_at(goals, 6, &goal->verdict) ||
            !oui_sweepdb_column_num(goals, 7, &more)) {
            oui_sweepdb_damaged(db, err, "a goal is not as cxsim writes it");
            break;
        }
        goal->at_least = at_least != 0;
        goal->more_replications = isnan(more) ? INFINITY : more;
        const struct out_scope *sc = out_report_scope(plan, goal->kind, goal->scope);
        const struct out_metric *m = sc ? out_report_metric(sc, goal->metric) : NULL;
        static const struct out_stat none = {NAN, NAN, NAN, NAN, 0};
        goal->stat = m ? &m->stat : &none;
        plan->ngoals++;
    }
    sqlite3_reset(goals);
    return err->code;
}

static int read_scopes(struct out_sweepdb *db, sqlite3_stmt *scopes, uint64_t p, struct sim_arena *arena,
                       struct out_plan *plan, struct sim_err *err)
{
    int64_t n = count_rows(db, scopes, p, err);
    if (n < 0)
        return err->code;
    plan->scopes = sim_arena_alloc(arena, ((size_t)n + 1) * sizeof *plan->scopes);
    memset(plan->scopes, 0, ((size_t)n + 1) * sizeof *plan->scopes);
    plan->nscopes = 0;
    for (int64_t i = 0; i < n && next_row(db, scopes, err); i++) {
        struct out_scope *sc = &plan->scopes[plan->nscopes];
        int64_t scope, internal;
        if (!oui_sweepdb_column_int(scopes, 0, i, i, &scope) || !kind_at(scopes, 1, &sc->kind) ||
            !(sc->name = text_at(scopes, 2, arena)) || !oui_sweepdb_column_int(scopes, 3, 0, 1, &internal) ||
            !oui_sweepdb_column_num(scopes, 4, &sc->target_wait) ||
            !oui_sweepdb_column_num(scopes, 5, &sc->service_target)) {
            oui_sweepdb_damaged(db, err, "a scope is not as cxsim writes it");
            break;
        }
        sc->internal = internal != 0;
        plan->nscopes++;
    }
    sqlite3_reset(scopes);
    return err->code;
}

/* Reads the values of one result: the replications' BLOB is NULL or holds
 * exactly one double per replication, the number a writer will read. */
static bool read_reps(struct out_sweepdb *db, sqlite3_stmt *st, int i, struct sim_arena *arena, struct out_metric *m)
{
    if (sqlite3_column_type(st, i) == SQLITE_NULL)
        return true;
    if (sqlite3_column_type(st, i) != SQLITE_BLOB)
        return false;
    const unsigned char *blob = sqlite3_column_blob(st, i);
    int bytes = sqlite3_column_bytes(st, i);
    if (!blob || bytes < 0 || (uint64_t)bytes != 8 * (uint64_t)db->replications)
        return false;
    double *v = sim_arena_alloc(arena, db->replications * sizeof *v);
    for (size_t r = 0; r < db->replications; r++)
        v[r] = oui_sweepdb_get_le(blob + 8 * r);
    m->values = v;
    return true;
}

/* What every summary cxsim writes satisfies (spec §3): measured by at
 * most every replication, a mean only where some measured it, a
 * standard deviation of at least 0, an interval around its estimate. A
 * damaged number breaks these more often than not (SQLite keeps no
 * checksums: this is all there is to catch one). */
static bool stat_ok(const struct out_sweepdb *db, const struct out_stat *st)
{
    if (st->n > db->replications || (st->n == 0 && !isnan(st->mean)) || st->sd < 0)
        return false;
    return isnan(st->mean) || isnan(st->ci_low) || isnan(st->ci_high) ||
           (st->ci_low <= st->mean && st->mean <= st->ci_high);
}

/* Results come in their order (ord), scope by scope: each scope's metrics
 * are one run of them, named in the catalogue for that scope. */
static int read_results(struct out_sweepdb *db, sqlite3_stmt *results, uint64_t p, struct sim_arena *arena,
                        struct out_plan *plan, struct sim_err *err)
{
    int64_t n = count_rows(db, results, p, err);
    if (n < 0)
        return err->code;
    struct out_metric *all = sim_arena_alloc(arena, ((size_t)n + 1) * sizeof *all);
    memset(all, 0, ((size_t)n + 1) * sizeof *all);
    int64_t last = 0;
    for (int64_t k = 0; k < n && next_row(db, results, err); k++) {
        struct out_metric *m = &all[k];
        int64_t ord, scope, count;
        enum out_scope_kind kind;
        const char *name;
        if (!oui_sweepdb_column_int(results, 0, k, k, &ord) ||
            !oui_sweepdb_column_int(results, 1, last, (int64_t)plan->nscopes - 1, &scope) ||
            !kind_at(results, 2, &kind) || !(name = oui_sweepdb_column_text(results, 3)) ||
            kind != plan->scopes[scope].kind || strcmp(name, plan->scopes[scope].name) ||
            !(m->name = text_at(results, 4, arena)) || !(m->unit = text_at(results, 5, arena)) ||
            !oui_sweepdb_column_num(results, 6, &m->stat.mean) || !oui_sweepdb_column_num(results, 7, &m->stat.ci_low) ||
            !oui_sweepdb_column_num(results, 8, &m->stat.ci_high) || !oui_sweepdb_column_num(results, 9, &m->stat.sd) ||
            !oui_sweepdb_column_int(results, 10, 0, INT64_MAX, &count) || !read_reps(db, results, 11, arena, m)) {
            oui_sweepdb_damaged(db, err, "a result is not as cxsim writes it");
            break;
        }
        m->stat.n = (size_t)count;
        if (!stat_ok(db, &m->stat)) {
            oui_sweepdb_damaged(db, err, "a result's figures contradict each other");
            break;
        }
        last = scope;
        struct out_scope *sc = &plan->scopes[scope];
        if (!sc->metrics)
            sc->metrics = m;
        sc->nmetrics++;
    }
    sqlite3_reset(results);
    return err->code;
}

/* A plan's value on each axis: one per axis, in order, each a value of
 * that axis. */
static int read_params(struct out_sweepdb *db, sqlite3_stmt *params, uint64_t p, const char **values,
                       struct sim_err *err)
{
    int64_t n = count_rows(db, params, p, err);
    if (n < 0)
        return err->code;
    if (n != (int64_t)db->naxes)
        return oui_sweepdb_damaged(db, err, "a plan has not one value on each axis");
    for (size_t a = 0; a < db->naxes && next_row(db, params, err); a++) {
        int64_t axis;
        const char *v = oui_sweepdb_column_text(params, 1);
        size_t k = 0;
        while (v && k < db->nvalues[a] && strcmp(v, db->values[a][k]))
            k++;
        if (!oui_sweepdb_column_int(params, 0, (int64_t)a, (int64_t)a, &axis) || !v || k == db->nvalues[a]) {
            oui_sweepdb_damaged(db, err, "a plan's value is not one of its axis");
            break;
        }
        values[a] = db->values[a][k];
    }
    sqlite3_reset(params);
    return err->code;
}

/* The statements a plan is read with. */
struct plan_reader {
    sqlite3_stmt *scopes, *results, *params, *goals;
};

static int reader_init(struct out_sweepdb *db, struct plan_reader *rd, struct sim_err *err)
{
    rd->scopes = oui_sweepdb_prepare(db, "SELECT scope, kind, name, internal, target_wait, service_target"
                                         " FROM scopes WHERE plan = ? ORDER BY scope");
    rd->results = oui_sweepdb_prepare(db, "SELECT r.ord, r.scope, m.kind, m.name, m.metric, m.unit, r.mean, r.ci_low,"
                                          " r.ci_high, r.sd, r.n, r.reps FROM results r LEFT JOIN metrics m"
                                          " USING(metric_id) WHERE r.plan = ? ORDER BY r.ord");
    rd->params = oui_sweepdb_prepare(db, "SELECT axis, value FROM plan_values WHERE plan = ? ORDER BY axis");
    rd->goals = oui_sweepdb_prepare(db, "SELECT ord, kind, name, metric, target, at_least, verdict, more FROM goals"
                                        " WHERE plan = ? ORDER BY ord");
    if (!rd->scopes || !rd->results || !rd->params || !rd->goals)
        return oui_sweepdb_fail(db, err, SIM_ENOINPUT, "read");
    return SIM_OK;
}

static void reader_fini(struct plan_reader *rd)
{
    sqlite3_finalize(rd->scopes);
    sqlite3_finalize(rd->results);
    sqlite3_finalize(rd->params);
    sqlite3_finalize(rd->goals);
}

/* Reads plan p whole into *plan (its name and overloaded already set). */
static int read_plan(struct out_sweepdb *db, struct plan_reader *rd, uint64_t p, struct sim_arena *arena,
                     struct out_plan *plan, struct sim_err *err)
{
    const char **values = sim_arena_alloc(arena, (db->naxes + 1) * sizeof *values);
    if (read_scopes(db, rd->scopes, p, arena, plan, err) || read_results(db, rd->results, p, arena, plan, err) ||
        read_params(db, rd->params, p, values, err))
        return err->code;
    struct out_param *pv = sim_arena_alloc(arena, (db->naxes + 1) * sizeof *pv);
    for (size_t a = 0; a < db->naxes; a++)
        pv[a] = (struct out_param){db->paths[a], values[a]};
    plan->params = pv;
    plan->nparams = db->naxes;
    return read_goals(db, rd->goals, p, arena, plan, err);
}

/* The columns of table plans that every read checks: the plan's number
 * (inside the grid), its name and its overloaded replications. */
static bool plan_row(struct out_sweepdb *db, sqlite3_stmt *st, struct sim_arena *arena, uint64_t *p,
                     const char **name, unsigned *overloaded)
{
    int64_t plan, over;
    if (!oui_sweepdb_column_int(st, 0, 0, (int64_t)db->nplans - 1, &plan) || !(*name = text_at(st, 1, arena)) ||
        !oui_sweepdb_column_int(st, 2, 0, db->replications, &over))
        return false;
    *p = (uint64_t)plan;
    *overloaded = (unsigned)over;
    return true;
}

int out_sweepdb_each(struct out_sweepdb *db, out_sweepdb_plan_fn fn, void *ctx, struct sim_err *err)
{
    struct plan_reader rd;
    sqlite3_stmt *plans = oui_sweepdb_prepare(db, "SELECT plan, name, overloaded FROM plans ORDER BY plan");
    struct sim_arena *arena = sim_arena_create(256 * 1024);
    int rc = SQLITE_DONE;
    if (!plans)
        oui_sweepdb_fail(db, err, SIM_ENOINPUT, "read");
    if (!reader_init(db, &rd, err) && plans) {
        while (!err->code && (rc = sqlite3_step(plans)) == SQLITE_ROW) {
            sim_arena_reset(arena);
            uint64_t p;
            struct out_plan plan = {0};
            if (!plan_row(db, plans, arena, &p, &plan.name, &plan.overloaded)) {
                oui_sweepdb_damaged(db, err, "a plan is not as cxsim writes it");
                break;
            }
            if (!read_plan(db, &rd, p, arena, &plan, err))
                fn(ctx, p, &plan, err);
        }
        if (!err->code && rc != SQLITE_DONE)
            oui_sweepdb_fail(db, err, SIM_ENOINPUT, "read");
    }
    sqlite3_finalize(plans);
    reader_fini(&rd);
    sim_arena_destroy(arena);
    return err->code;
}

static int read_nothing(void *ctx, uint64_t p, const struct out_plan *plan, struct sim_err *err)
{
    (void)ctx;
    (void)p;
    (void)plan;
    return err->code;
}

int out_sweepdb_verify(struct out_sweepdb *db, struct sim_err *err)
{
    return out_sweepdb_each(db, read_nothing, NULL, err);
}

int out_sweepdb_rank(struct out_sweepdb *db, const struct out_sweep_order *by, struct sim_arena *arena,
                     struct out_sweep_ranking *out, struct sim_err *err)
{
    /* the figures of every plan: its cost, its other headline means, and
       those of the metric it is ranked by (the total cost itself, or k) */
    static const char head[] = "SELECT p.plan, p.name, p.overloaded, p.verdict, p.missed, p.close,"
                               "  t.mean, t.ci_low, t.ci_high, t.sd, t.n, s.mean, l.mean, d.mean, q.mean,";
    static const char joins[] =
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
        "   AND metric = 'satisfaction_mean')";
    char *sql = by ? sqlite3_mprintf("%s k.mean, k.ci_low, k.ci_high, k.sd, k.n%s"
                                     " LEFT JOIN results k ON k.plan = p.plan AND k.metric_id ="
                                     "  (SELECT metric_id FROM metrics WHERE kind = %Q AND name = %Q AND metric = %Q)"
                                     " ORDER BY p.verdict, k.mean IS NULL, k.mean %s, t.mean, p.plan",
                                     head, joins, by->kind, by->name, by->metric, by->high ? "DESC" : "ASC")
                   : sqlite3_mprintf("%s t.mean, t.ci_low, t.ci_high, t.sd, t.n%s"
                                     " ORDER BY p.verdict, t.mean IS NULL, t.mean, p.plan", head, joins);
    memset(out, 0, sizeof *out);
    out->by = by;
    out->nplans = db->nplans;
    out->naxes = db->naxes;
    out->paths = sim_arena_alloc(arena, (db->naxes + 1) * sizeof *out->paths);
    for (size_t a = 0; a < db->naxes; a++)
        out->paths[a] = arena_text(arena, db->paths[a]);
    uint64_t held = 0;
    if (!sql || out_sweepdb_count(db, &held, err)) {
        sqlite3_free(sql);
        return err->code ? err->code : oui_sweepdb_fail(db, err, SIM_ENOINPUT, "read");
    }
    out->rows = sim_arena_alloc(arena, ((size_t)held + 1) * sizeof *out->rows);
    out->by_unit = "";
    if (by) {   /* the unit its figures are written in */
        sqlite3_stmt *u = oui_sweepdb_prepare(db, "SELECT unit FROM metrics WHERE kind = ? AND name = ? AND metric = ?");
        if (u && sqlite3_bind_text(u, 1, by->kind, -1, SQLITE_STATIC) == SQLITE_OK &&
            sqlite3_bind_text(u, 2, by->name, -1, SQLITE_STATIC) == SQLITE_OK &&
            sqlite3_bind_text(u, 3, by->metric, -1, SQLITE_STATIC) == SQLITE_OK && sqlite3_step(u) == SQLITE_ROW) {
            const char *unit = oui_sweepdb_column_text(u, 0);
            out->by_unit = unit ? arena_text(arena, unit) : "";
        }
        sqlite3_finalize(u);
    }
    sqlite3_stmt *st = oui_sweepdb_prepare(db, sql);
    sqlite3_free(sql);
    sqlite3_stmt *vals = oui_sweepdb_prepare(db, "SELECT axis, value FROM plan_values WHERE plan = ? ORDER BY axis");
    if (!st || !vals) {
        sqlite3_finalize(st);
        sqlite3_finalize(vals);
        return oui_sweepdb_fail(db, err, SIM_ENOINPUT, "read");
    }
    /* as many rows as plans held (more: another process added some since) */
    while (!err->code && out->nrows < held && next_row(db, st, err)) {
        struct out_sweep_row *r = &out->rows[out->nrows];
        int64_t n = 0;   /* set when column 10 is not NULL; LTO cannot see that */
        if (!plan_row(db, st, arena, &r->plan, &r->name, &r->overloaded) || !verdict_at(st, 3, &r->verdict) ||
            !(r->missed = text_at(st, 4, arena)) || !(r->close = text_at(st, 5, arena)) ||
            !oui_sweepdb_column_num(st, 6, &r->total.mean) || !oui_sweepdb_column_num(st, 7, &r->total.ci_low) ||
            !oui_sweepdb_column_num(st, 8, &r->total.ci_high) || !oui_sweepdb_column_num(st, 9, &r->total.sd) ||
            (sqlite3_column_type(st, 10) != SQLITE_NULL && !oui_sweepdb_column_int(st, 10, 0, INT64_MAX, &n)) ||
            !oui_sweepdb_column_num(st, 11, &r->staff) || !oui_sweepdb_column_num(st, 12, &r->lost) ||
            !oui_sweepdb_column_num(st, 13, &r->dropout) || !oui_sweepdb_column_num(st, 14, &r->satisfaction)) {
            oui_sweepdb_damaged(db, err, "a plan is not as cxsim writes it");
            break;
        }
        r->total.n = sqlite3_column_type(st, 10) == SQLITE_NULL ? 0 : (size_t)n;
        int64_t bn = 0;
        if (!oui_sweepdb_column_num(st, 15, &r->by.mean) || !oui_sweepdb_column_num(st, 16, &r->by.ci_low) ||
            !oui_sweepdb_column_num(st, 17, &r->by.ci_high) || !oui_sweepdb_column_num(st, 18, &r->by.sd) ||
            (sqlite3_column_type(st, 19) != SQLITE_NULL && !oui_sweepdb_column_int(st, 19, 0, INT64_MAX, &bn))) {
            oui_sweepdb_damaged(db, err, "a plan is not as cxsim writes it");
            break;
        }
        r->by.n = sqlite3_column_type(st, 19) == SQLITE_NULL ? 0 : (size_t)bn;
        if (!stat_ok(db, &r->total) || !stat_ok(db, &r->by)) {
            oui_sweepdb_damaged(db, err, "a plan's total cost contradicts itself");
            break;
        }
        r->values = sim_arena_alloc(arena, (db->naxes + 1) * sizeof *r->values);
        if (read_params(db, vals, r->plan, r->values, err))
            break;
        out->nrows++;
    }
    sqlite3_finalize(st);
    sqlite3_finalize(vals);
    return err->code;
}

/* ---- merging ----------------------------------------------------------- */

/* Copies the plans of the attached database `src` that main lacks, with
 * their metrics mapped by (kind, name, metric) onto main's catalogue.
 * Plans main holds already must hold the same results. */
static int merge_one(struct out_sweepdb *db, const char *in, uint64_t *duplicates, struct sim_err *err)
{
    for (size_t i = 0; i < OUI_SWEEPDB_NIDENTITY && !err->code; i++) {
        char *have = NULL, *want = NULL;
        if (oui_sweepdb_meta_get(db->db, "main", oui_sweepdb_identity[i].key, &want) != SQLITE_OK ||
            oui_sweepdb_meta_get(db->db, "src", oui_sweepdb_identity[i].key, &have) != SQLITE_OK)
            oui_sweepdb_fail(db, err, SIM_ENOINPUT, "read");
        else if (!have || !want || strcmp(have, want))
            sim_err_set(err, SIM_EDATA, "%s and the databases before it hold different sweeps: %s %s", in,
                        in, oui_sweepdb_identity[i].words);
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
        "INSERT INTO main.goals SELECT * FROM src.goals WHERE plan IN (SELECT plan FROM fresh)",
        "INSERT INTO main.results(plan, metric_id, scope, ord, mean, ci_low, ci_high, sd, n, reps)"
        " SELECT r.plan, mm.metric_id, r.scope, r.ord, r.mean, r.ci_low, r.ci_high, r.sd, r.n, r.reps"
        " FROM src.results r JOIN src.metrics sm USING(metric_id)"
        " JOIN main.metrics mm ON mm.kind = sm.kind AND mm.name = sm.name AND mm.metric = sm.metric"
        " WHERE r.plan IN (SELECT plan FROM fresh)",
        "INSERT INTO main.plans SELECT * FROM src.plans WHERE plan IN (SELECT plan FROM fresh)",
    };
    /* a plan held twice must be the same plan twice */
    sqlite3_stmt *st = oui_sweepdb_prepare(db, "SELECT count(*), (SELECT count(*) FROM src.plans WHERE plan IN"
                                   " (SELECT plan FROM main.plans)) FROM src.results r"
                                   " JOIN src.metrics sm USING(metric_id)"
                                   " JOIN main.metrics mm ON mm.kind = sm.kind AND mm.name = sm.name"
                                   "  AND mm.metric = sm.metric"
                                   " JOIN main.results q ON q.plan = r.plan AND q.metric_id = mm.metric_id"
                                   " WHERE r.mean IS NOT q.mean OR r.reps IS NOT q.reps OR r.n IS NOT q.n");
    for (size_t i = 0; i < sizeof steps / sizeof steps[0] && !err->code; i++) {
        if (i == 1) {
            if (!st || sqlite3_step(st) != SQLITE_ROW) {
                oui_sweepdb_fail(db, err, SIM_ENOINPUT, "read");
                break;
            }
            if (sqlite3_column_int64(st, 0) > 0) {
                sim_err_set(err, SIM_EDATA, "%s holds plans that an earlier database holds with other results: "
                            "were they made by the same cxsim from the same scenario?", in);
                break;
            }
            *duplicates += (uint64_t)sqlite3_column_int64(st, 1);
        }
        if (sqlite3_exec(db->db, steps[i], NULL, NULL, NULL) == SQLITE_OK)
            continue;
        /* the input was checked whole: rows that break the constraints of
         * a database made by cxsim's own schema are the input's damage */
        if (sqlite3_errcode(db->db) == SQLITE_CONSTRAINT)
            sim_err_set(err, SIM_EDATA, "cannot read %s: the database is damaged (its rows break its own "
                        "constraints: %s); run the sweep again, or merge its shards again", in,
                        sqlite3_errmsg(db->db));
        else
            oui_sweepdb_fail(db, err, SIM_EIO, "merge into");
    }
    sqlite3_finalize(st);
    sqlite3_exec(db->db, "DROP TABLE IF EXISTS temp.fresh", NULL, NULL, NULL);
    return err->code;
}

/* The first plans of the grid the merged database lacks, from its plans
 * in order: no bitmap of the whole grid, whose size a database states. */
static int first_missing(struct out_sweepdb *db, struct out_sweep_merge *res, struct sim_err *err)
{
    sqlite3_stmt *st = oui_sweepdb_prepare(db, "SELECT plan FROM plans ORDER BY plan");
    if (!st)
        return oui_sweepdb_fail(db, err, SIM_EIO, "read");
    uint64_t next = 0;
    int rc = SQLITE_DONE;
    while (res->nfirst < 10 && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t p;
        if (!oui_sweepdb_column_int(st, 0, (int64_t)next, (int64_t)db->nplans - 1, &p)) {
            oui_sweepdb_damaged(db, err, "a plan is numbered outside its grid");
            break;
        }
        while (next < (uint64_t)p && res->nfirst < 10)
            res->first_missing[res->nfirst++] = next++;
        next = (uint64_t)p + 1;
    }
    if (!err->code && res->nfirst < 10 && rc != SQLITE_DONE)
        oui_sweepdb_fail(db, err, SIM_EIO, "read");
    while (!err->code && next < db->nplans && res->nfirst < 10)
        res->first_missing[res->nfirst++] = next++;
    sqlite3_finalize(st);
    return err->code;
}

/* Opens the database at path to read it, and reads every plan it holds:
 * merge copies rows it does not read itself, so each input is read whole,
 * and checked, before anything is written. */
static int probe(const char *path, struct sim_err *err)
{
    struct out_sweepdb *db;
    if (out_sweepdb_open_existing(path, &db, err))
        return err->code;
    out_sweepdb_verify(db, err);
    return out_sweepdb_close(db, err);
}

/* Whether the existing file at out_path, not among the inputs, is joined
 * to them (true) or the merge refused (err set): merge never replaces a
 * file whose plans would be lost, nor one that is not a sweep database. An
 * empty file (made by mktemp) is simply replaced. */
static bool join_existing_out(const char *out_path, const char *const *in, size_t nin, struct sim_err *err)
{
    struct stat st;
    if (stat(out_path, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size == 0)
        return false;
    for (size_t i = 0; i < nin; i++)
        if (out_file_same(out_path, in[i]))
            return false;
    if (probe(out_path, err)) {
        if (err->code == SIM_ENOINPUT) {
            sim_err_init(err);
            sim_err_set(err, SIM_ECANTCREAT, "%s exists and is not a cxsim sweep database: merge does not replace "
                        "it; remove it, or name another file to write", out_path);
        }
        return false;
    }
    return true;
}

/* The meta value of key, or "" (owned by the caller). */
static char *meta_text(struct out_sweepdb *db, const char *key)
{
    char *out = NULL;
    oui_sweepdb_meta_get(db->db, "main", key, &out);
    return out ? out : sim_xstrdup("");
}

/* The sweep that completes db (named out_path) into res->command: the
 * scenario file as it was named, each override, each axis as a list, the
 * seed and the replications — what makes the sweep this one, so that a
 * sweep run with it takes the database as its own and runs what is missing. */
static void completing_command(struct out_sweepdb *db, const char *out_path, struct out_sweep_merge *res)
{
    char *file = meta_text(db, "scenario_file"), *sets = meta_text(db, "overrides");
    char *seed = meta_text(db, "seed"), *reps = meta_text(db, "replications");
    char *cmd = res->command, word[2048];
    size_t len = sizeof res->command, used = (size_t)snprintf(cmd, len, "cxsim sweep");
    out_shell_word(cmd, len, &used, file);
    for (char *line = sets, *next; *line; line = next) {
        next = line + strcspn(line, "\n");
        if (*next)
            *next++ = '\0';
        if (*line) {
            out_shell_word(cmd, len, &used, "--set");
            out_shell_word(cmd, len, &used, line);
        }
    }
    for (size_t a = 0; a < db->naxes; a++) {
        size_t w = (size_t)snprintf(word, sizeof word, "%s=[", db->paths[a]);
        for (size_t k = 0; k < db->nvalues[a] && w < sizeof word; k++)
            w += (size_t)snprintf(word + w, sizeof word - w, "%s%s", k ? ", " : "", db->values[a][k]);
        if (w < sizeof word)
            snprintf(word + w, sizeof word - w, "]");
        out_shell_word(cmd, len, &used, "--grid");
        out_shell_word(cmd, len, &used, word);
    }
    out_shell_word(cmd, len, &used, "--seed");
    out_shell_word(cmd, len, &used, seed);
    out_shell_word(cmd, len, &used, "--reps");
    out_shell_word(cmd, len, &used, reps);
    out_shell_word(cmd, len, &used, "--db");
    out_shell_word(cmd, len, &used, out_path);
    free(file);
    free(sets);
    free(seed);
    free(reps);
}

int out_sweepdb_merge(const char *out_path, const char *const *in, size_t nin, struct out_sweep_merge *res,
                      struct sim_err *err)
{
    memset(res, 0, sizeof *res);
    if (out_file_check_regular(out_path, SIM_ECANTCREAT, err))
        return err->code;
    /* every input must open as a sweep database before anything is written */
    for (size_t i = 0; i < nin; i++)
        if (probe(in[i], err))
            return err->code;
    /* an OUT that exists is joined too, last: nothing it holds is lost */
    const char **all = sim_xmalloc((nin + 1) * sizeof *all);
    memcpy(all, in, nin * sizeof *all);
    res->joined_out = join_existing_out(out_path, in, nin, err);
    if (res->joined_out)
        all[nin++] = out_path;
    in = all;
    struct out_file of;
    if (err->code || out_file_open_whole(&of, out_path, err)) {
        free(all);
        return err->code;
    }
    struct out_sweepdb *db;
    if (!oui_sweepdb_open_file(of.tmp, SQLITE_OPEN_READWRITE, &db, err)) {
        free(db->path);
        db->path = sim_xstrdup(out_path);
        /* The temporary file is renamed into place only when complete, so
         * each input may be its own transaction (SQLite cannot detach a
         * database inside one). */
        char *attach = sqlite3_mprintf("ATTACH DATABASE %Q AS src", in[0]);
        if (sqlite3_exec(db->db, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL) ||
            sqlite3_exec(db->db, attach, NULL, NULL, NULL) || sqlite3_exec(db->db, "BEGIN", NULL, NULL, NULL) ||
            sqlite3_exec(db->db, oui_sweepdb_schema, NULL, NULL, NULL) ||
            sqlite3_exec(db->db, "INSERT INTO main.meta SELECT * FROM src.meta;"
                                 "INSERT INTO main.axes SELECT * FROM src.axes;"
                                 "UPDATE main.meta SET value = 'cxsim merge' WHERE key = 'command_line';"
                                 "COMMIT",
                         NULL, NULL, NULL))
            oui_sweepdb_fail(db, err, SIM_ECANTCREAT, "create");
        sqlite3_exec(db->db, "DETACH DATABASE src", NULL, NULL, NULL);
        sqlite3_free(attach);
        for (size_t i = 0; i < nin && !err->code; i++) {
            attach = sqlite3_mprintf("ATTACH DATABASE %Q AS src", in[i]);
            if (sqlite3_exec(db->db, attach, NULL, NULL, NULL) != SQLITE_OK)
                sim_err_set(err, SIM_ENOINPUT, "cannot read %s: %s", in[i], sqlite3_errmsg(db->db));
            sqlite3_free(attach);
            if (!err->code && sqlite3_exec(db->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
                oui_sweepdb_fail(db, err, SIM_EIO, "write");
            if (!err->code && !merge_one(db, in[i], &res->duplicates, err) &&
                sqlite3_exec(db->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
                oui_sweepdb_fail(db, err, SIM_EIO, "write");
            if (err->code)
                sqlite3_exec(db->db, "ROLLBACK", NULL, NULL, NULL);
            sqlite3_exec(db->db, "DETACH DATABASE src", NULL, NULL, NULL);
        }
        if (!err->code)
            oui_sweepdb_load_axes(db, err, SIM_EIO);
        if (!err->code) {
            res->nplans = db->nplans;
            out_sweepdb_count(db, &res->held, err);
        }
        if (!err->code && res->held < res->nplans) {
            first_missing(db, res, err);
            completing_command(db, out_path, res);
        }
    }
    out_sweepdb_close(db, err);
    out_file_close(&of, err->code == SIM_OK, err);
    free(all);
    return err->code;
}
