/* output/sweepdb_read.c — reading a sweep database back (every plan
 * whole, or the ranking), and merging databases (see sweepdb.h). */
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

static char *arena_text(struct sim_arena *arena, const unsigned char *s)
{
    size_t n = s ? strlen((const char *)s) : 0;
    char *c = sim_arena_alloc(arena, n + 1);
    if (n)
        memcpy(c, s, n);
    return c;
}

/* Reads plan p's goals into *plan (its scopes read). */
static void read_goals(sqlite3_stmt *goals, uint64_t p, struct sim_arena *arena, struct out_plan *plan)
{
    size_t n = 0;
    sqlite3_bind_int64(goals, 1, (sqlite3_int64)p);
    while (sqlite3_step(goals) == SQLITE_ROW)
        n++;
    sqlite3_reset(goals);
    struct out_goal *g = sim_arena_alloc(arena, (n + 1) * sizeof *g);
    plan->ngoals = 0;
    while (plan->ngoals < n && sqlite3_step(goals) == SQLITE_ROW) {
        struct out_goal *goal = &g[plan->ngoals++];
        if (!out_scope_kind_parse((const char *)sqlite3_column_text(goals, 0), &goal->kind))
            goal->kind = OUT_DEPARTMENT;
        goal->scope = arena_text(arena, sqlite3_column_text(goals, 1));
        goal->metric = arena_text(arena, sqlite3_column_text(goals, 2));
        goal->target = sqlite3_column_double(goals, 3);
        goal->at_least = sqlite3_column_int(goals, 4) != 0;
        int v = sqlite3_column_int(goals, 5);
        goal->verdict = v == OUT_MET ? OUT_MET : v == OUT_MISSED ? OUT_MISSED : OUT_TOO_CLOSE;
        goal->more_replications = sqlite3_column_type(goals, 6) == SQLITE_NULL ? INFINITY : sqlite3_column_double(goals, 6);
        const struct out_scope *sc = out_report_scope(plan, goal->kind, goal->scope);
        const struct out_metric *m = sc ? out_report_metric(sc, goal->metric) : NULL;
        static const struct out_stat none = {NAN, NAN, NAN, NAN, 0};
        goal->stat = m ? &m->stat : &none;
    }
    plan->goals = g;
    sqlite3_reset(goals);
    sqlite3_clear_bindings(goals);
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
        sc->target_wait = oui_sweepdb_column_real(scopes, 3);
        sc->service_target = oui_sweepdb_column_real(scopes, 4);
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
        m->stat = (struct out_stat){oui_sweepdb_column_real(results, 3), oui_sweepdb_column_real(results, 4), oui_sweepdb_column_real(results, 5),
                                    oui_sweepdb_column_real(results, 6), (size_t)sqlite3_column_int64(results, 7)};
        int bytes = sqlite3_column_bytes(results, 8);
        const unsigned char *blob = sqlite3_column_blob(results, 8);
        if (blob && bytes > 0) {
            size_t n = (size_t)bytes / 8;
            double *v = sim_arena_alloc(arena, n * sizeof *v);
            for (size_t r = 0; r < n; r++)
                v[r] = oui_sweepdb_get_le(blob + 8 * r);
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
    sqlite3_stmt *plans = oui_sweepdb_prepare(db, "SELECT plan, name, overloaded FROM plans ORDER BY plan");
    sqlite3_stmt *scopes = oui_sweepdb_prepare(db, "SELECT kind, name, internal, target_wait, service_target FROM scopes"
                                       " WHERE plan = ? ORDER BY scope");
    sqlite3_stmt *results = oui_sweepdb_prepare(db, "SELECT r.scope, m.metric, m.unit, r.mean, r.ci_low, r.ci_high, r.sd, r.n,"
                                        " r.reps FROM results r JOIN metrics m USING(metric_id) WHERE r.plan = ?"
                                        " ORDER BY r.ord");
    sqlite3_stmt *params = oui_sweepdb_prepare(db, "SELECT a.path, v.value FROM plan_values v JOIN axes a USING(axis)"
                                       " WHERE v.plan = ? ORDER BY v.axis");
    sqlite3_stmt *goals = oui_sweepdb_prepare(db, "SELECT kind, name, metric, target, at_least, verdict, more FROM goals"
                                              " WHERE plan = ? ORDER BY ord");
    struct sim_arena *arena = sim_arena_create(256 * 1024);
    int rc = plans && scopes && results && params && goals ? SQLITE_OK : SQLITE_ERROR;
    while (rc == SQLITE_OK && !err->code && (rc = sqlite3_step(plans)) == SQLITE_ROW) {
        rc = SQLITE_OK;
        sim_arena_reset(arena);
        uint64_t p = (uint64_t)sqlite3_column_int64(plans, 0);
        struct out_plan plan = {0};
        plan.name = arena_text(arena, sqlite3_column_text(plans, 1));
        plan.overloaded = (unsigned)sqlite3_column_int64(plans, 2);
        read_plan(db, scopes, results, params, p, arena, &plan);
        read_goals(goals, p, arena, &plan);
        fn(ctx, p, &plan, err);
    }
    if (rc != SQLITE_DONE && rc != SQLITE_OK && !err->code)
        oui_sweepdb_fail(db, err, SIM_ENOINPUT, "read");
    sqlite3_finalize(plans);
    sqlite3_finalize(scopes);
    sqlite3_finalize(results);
    sqlite3_finalize(params);
    sqlite3_finalize(goals);
    sim_arena_destroy(arena);
    return err->code;
}

int out_sweepdb_rank(struct out_sweepdb *db, struct sim_arena *arena, struct out_sweep_ranking *out,
                     struct sim_err *err)
{
    static const char sql[] =
        "SELECT p.plan, p.name, p.overloaded, p.verdict, p.missed, p.close,"
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
        " ORDER BY p.verdict, t.mean IS NULL, t.mean, p.plan";
    memset(out, 0, sizeof *out);
    out->nplans = db->nplans;
    out->naxes = db->naxes;
    out->paths = sim_arena_alloc(arena, (db->naxes + 1) * sizeof *out->paths);
    sqlite3_stmt *axes = oui_sweepdb_prepare(db, "SELECT path FROM axes ORDER BY axis");
    for (size_t a = 0; axes && a < db->naxes && sqlite3_step(axes) == SQLITE_ROW; a++)
        out->paths[a] = arena_text(arena, sqlite3_column_text(axes, 0));
    sqlite3_finalize(axes);
    uint64_t held = 0;
    if (out_sweepdb_count(db, &held, err))
        return err->code;
    out->rows = sim_arena_alloc(arena, ((size_t)held + 1) * sizeof *out->rows);
    sqlite3_stmt *st = oui_sweepdb_prepare(db, sql);
    sqlite3_stmt *vals = oui_sweepdb_prepare(db, "SELECT value FROM plan_values WHERE plan = ? ORDER BY axis");
    if (!st || !vals) {
        sqlite3_finalize(st);
        sqlite3_finalize(vals);
        return oui_sweepdb_fail(db, err, SIM_ENOINPUT, "read");
    }
    while (out->nrows < held && sqlite3_step(st) == SQLITE_ROW) {
        struct out_sweep_row *r = &out->rows[out->nrows++];
        r->plan = (uint64_t)sqlite3_column_int64(st, 0);
        r->name = arena_text(arena, sqlite3_column_text(st, 1));
        r->overloaded = (unsigned)sqlite3_column_int64(st, 2);
        int v = sqlite3_column_int(st, 3);
        r->verdict = v == OUT_MET ? OUT_MET : v == OUT_MISSED ? OUT_MISSED : OUT_TOO_CLOSE;
        r->missed = arena_text(arena, sqlite3_column_text(st, 4));
        r->close = arena_text(arena, sqlite3_column_text(st, 5));
        r->total = (struct out_stat){oui_sweepdb_column_real(st, 6), oui_sweepdb_column_real(st, 7), oui_sweepdb_column_real(st, 8), oui_sweepdb_column_real(st, 9),
                                     (size_t)sqlite3_column_int64(st, 10)};
        r->staff = oui_sweepdb_column_real(st, 11);
        r->lost = oui_sweepdb_column_real(st, 12);
        r->dropout = oui_sweepdb_column_real(st, 13);
        r->satisfaction = oui_sweepdb_column_real(st, 14);
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
        if (sqlite3_exec(db->db, steps[i], NULL, NULL, NULL) != SQLITE_OK)
            oui_sweepdb_fail(db, err, SIM_EIO, "merge into");
    }
    sqlite3_finalize(st);
    sqlite3_exec(db->db, "DROP TABLE IF EXISTS temp.fresh", NULL, NULL, NULL);
    return err->code;
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
    struct out_sweepdb *probe;
    if (out_sweepdb_open_existing(out_path, &probe, err)) {
        if (err->code == SIM_ENOINPUT) {
            sim_err_init(err);
            sim_err_set(err, SIM_ECANTCREAT, "%s exists and is not a cxsim sweep database: merge does not replace "
                        "it; remove it, or name another file to write", out_path);
        }
        return false;
    }
    out_sweepdb_close(probe, err);
    return !err->code;
}

int out_sweepdb_merge(const char *out_path, const char *const *in, size_t nin, struct out_sweep_merge *res,
                      struct sim_err *err)
{
    memset(res, 0, sizeof *res);
    if (out_file_check_regular(out_path, SIM_ECANTCREAT, err))
        return err->code;
    /* every input must open as a sweep database before anything is written */
    for (size_t i = 0; i < nin; i++) {
        struct out_sweepdb *probe;
        if (out_sweepdb_open_existing(in[i], &probe, err))
            return err->code;
        out_sweepdb_close(probe, err);
    }
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
            uint64_t *done = sim_xcalloc((size_t)(res->nplans / 64 + 1), sizeof *done);
            out_sweepdb_done(db, done, err);
            for (uint64_t p = 0; p < res->nplans && res->nfirst < 10; p++)
                if (!(done[p / 64] >> (p % 64) & 1))
                    res->first_missing[res->nfirst++] = p;
            free(done);
        }
    }
    out_sweepdb_close(db, err);
    out_file_close(&of, err->code == SIM_OK, err);
    free(all);
    return err->code;
}
