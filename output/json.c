/* output/json.c — the JSON report (see json.h). Each plan is built in
 * memory as a jansson tree and dumped on its own, inside a frame written
 * here: memory holds one plan (the dealership's, with 30 replications,
 * is about 400 kB), whatever the number of plans. The output is the one
 * jansson gives for the whole document, indentation included. Texts from
 * outside the checked scenario (the file's name, the command line) may
 * hold any bytes: they are made UTF-8 here, and the manifest says so. */
#include "output/json.h"
#include "output/csv.h"
#include "sim/mem.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

json_t *out_json_number(double x)
{
    return isfinite(x) ? json_real(x) : json_null();
}

/* A string, or null when unknown or not UTF-8 (an argument typed in
 * another encoding): jansson refuses such strings. */
static json_t *string_or_null(const char *s)
{
    json_t *j = s ? json_string(s) : NULL;
    return j ? j : json_null();
}

/* Sets key to s, a text from outside (a file's name, the command line as
 * typed: any bytes): each byte that starts no UTF-8 character is written
 * as U+FFFD, which jansson takes, and then key_not_utf8 is set to true
 * beside it, so a script knows the name is not the file's exact one. */
static void set_outside_text(json_t *o, const char *key, const char *s)
{
    if (!s) {
        json_object_set_new(o, key, json_null());
        return;
    }
    size_t len = strlen(s), n = 0;
    char *copy = sim_xmalloc(3 * len + 1);
    bool replaced = false;
    for (size_t i = 0; i < len;) {
        enum sim_err_text kind;
        size_t k = sim_err_text_char(s + i, len - i, &kind);
        if (kind == SIM_ERR_TEXT_MALFORMED) {
            memcpy(copy + n, "\xef\xbf\xbd", 3);
            n += 3;
            replaced = true;
        } else {
            memcpy(copy + n, s + i, k);
            n += k;
        }
        i += k;
    }
    copy[n] = '\0';
    json_object_set_new(o, key, string_or_null(copy));
    free(copy);
    if (replaced) {
        char flag[64];
        snprintf(flag, sizeof flag, "%s_not_utf8", key);
        json_object_set_new(o, flag, json_true());
    }
}

static json_t *stat_object(const struct out_metric *m, unsigned reps)
{
    json_t *o = json_object();
    json_object_set_new(o, "mean", out_json_number(m->stat.mean));
    json_object_set_new(o, "ci_low", out_json_number(m->stat.ci_low));
    json_object_set_new(o, "ci_high", out_json_number(m->stat.ci_high));
    json_object_set_new(o, "sd", out_json_number(m->stat.sd));
    json_object_set_new(o, "n", json_integer((json_int_t)m->stat.n));
    json_object_set_new(o, "unit", json_string(m->unit));
    if (m->diff) {
        json_t *d = json_object();
        json_object_set_new(d, "mean", out_json_number(m->diff->mean));
        json_object_set_new(d, "ci_low", out_json_number(m->diff->ci_low));
        json_object_set_new(d, "ci_high", out_json_number(m->diff->ci_high));
        json_object_set_new(d, "sd", out_json_number(m->diff->sd));
        json_object_set_new(d, "n", json_integer((json_int_t)m->diff->n));
        json_object_set_new(o, "diff", d);
    }
    if (m->values) {
        json_t *v = json_array();
        for (unsigned r = 0; r < reps; r++)
            json_array_append_new(v, out_json_number(m->values[r]));
        json_object_set_new(o, "values", v);
    }
    return o;
}

/* Sets value at the dotted path `name` under obj, making the objects on
 * the way. */
static void set_dotted(json_t *obj, const char *name, json_t *value)
{
    const char *dot;
    while ((dot = strchr(name, '.')) != NULL) {
        size_t n = (size_t)(dot - name);
        char key[128];
        if (n >= sizeof key)
            n = sizeof key - 1;
        memcpy(key, name, n);
        key[n] = '\0';
        json_t *next = json_object_get(obj, key);
        if (!json_is_object(next)) {
            next = json_object();
            json_object_set_new(obj, key, next);
        }
        obj = next;
        name = dot + 1;
    }
    json_object_set_new(obj, name, value);
}

static json_t *scope_object(const struct out_scope *sc, unsigned reps)
{
    json_t *o = json_object();
    for (size_t m = 0; m < sc->nmetrics; m++)
        set_dotted(o, sc->metrics[m].name, stat_object(&sc->metrics[m], reps));
    return o;
}

/* spec §2c: [{"scope", "name", "metric", "target", "verdict",
 * "more_replications"}, ...]; more_replications is null when no number of
 * replications would settle the goal (its estimate is on the target). */
static json_t *goals_array(const struct out_plan *p)
{
    json_t *a = json_array();
    for (size_t g = 0; g < p->ngoals; g++) {
        const struct out_goal *goal = &p->goals[g];
        json_t *o = json_object();
        json_object_set_new(o, "scope", json_string(out_scope_kind_name(goal->kind)));
        json_object_set_new(o, "name", string_or_null(goal->scope));
        json_object_set_new(o, "metric", string_or_null(goal->metric));
        json_object_set_new(o, "target", out_json_number(goal->target));
        json_object_set_new(o, "verdict", json_string(out_verdict_name(goal->verdict)));
        json_object_set_new(o, "more_replications", isfinite(goal->more_replications)
                                                        ? json_integer((json_int_t)goal->more_replications)
                                                        : json_null());
        json_array_append_new(a, o);
    }
    return a;
}

static json_t *plan_object(const struct out_plan *p, unsigned reps)
{
    json_t *o = json_object(), *depts = json_object(), *classes = json_object(), *journeys = json_object(), *pools = NULL;
    json_object_set_new(o, "name", string_or_null(p->name));
    json_object_set_new(o, "overloaded_replications", json_integer(p->overloaded));
    if (p->over_events)
        json_object_set_new(o, "replications_over_max_events", json_integer(p->over_events));
    if (p->overloaded) {
        /* the departments at fault: name -> replications stopped with it overloaded */
        json_t *at = json_object();
        for (size_t i = 0; i < p->nscopes; i++)
            if (p->scopes[i].kind == OUT_DEPARTMENT && p->scopes[i].overloaded)
                json_object_set_new(at, p->scopes[i].name, json_integer(p->scopes[i].overloaded));
        json_object_set_new(o, "overloaded_departments", at);
    }
    if (p->nparams) {
        json_t *params = json_object();
        for (size_t i = 0; i < p->nparams; i++) {   /* a number as a number; a schedule as its YAML */
            const char *v = p->params[i].value;
            double x;
            bool number = out_param_number(v, &x);
            json_t *value = !number ? string_or_null(v)
                            : x == floor(x) && fabs(x) < 9007199254740992.0 ? json_integer((json_int_t)x) : json_real(x);
            json_object_set_new(params, p->params[i].path, value);
        }
        json_object_set_new(o, "params", params);
    }
    json_object_set_new(o, "goals", goals_array(p));
    json_object_set_new(o, "departments", depts);
    json_object_set_new(o, "classes", classes);
    json_object_set_new(o, "journeys", journeys);
    for (size_t i = 0; i < p->nscopes; i++) {
        const struct out_scope *sc = &p->scopes[i];
        json_t *s = scope_object(sc, reps);
        switch (sc->kind) {
        case OUT_DEPARTMENT:
            json_object_set_new(depts, sc->name, s);
            break;
        case OUT_CLASS:
            json_object_set_new(classes, sc->name, s);
            break;
        case OUT_JOURNEY:
            json_object_set_new(journeys, sc->name, s);
            break;
        case OUT_COST:
            json_object_set_new(o, "cost", s);
            break;
        case OUT_POOL:
            if (!pools)
                pools = json_object();
            json_object_set_new(pools, sc->name, s);
            break;
        }
    }
    if (pools)   /* only when the scenario has pools */
        json_object_set_new(o, "pools", pools);
    return o;
}

static json_t *clock_string(double minutes)
{
    char buf[16];
    return json_string(out_clock(buf, sizeof buf, minutes));
}

static json_t *manifest_object(const struct out_report *r)
{
    const struct out_manifest *mf = &r->manifest;
    json_t *o = json_object();
    char seed[24];
    snprintf(seed, sizeof seed, "%llu", (unsigned long long)r->seed);
    json_object_set_new(o, "cxsim_version", string_or_null(mf->version));
    json_object_set_new(o, "scenario", string_or_null(r->scenario));
    set_outside_text(o, "scenario_file", r->source);
    json_object_set_new(o, "scenario_sha256", string_or_null(mf->scenario_sha256));
    json_object_set_new(o, "seed", json_string(seed));
    json_object_set_new(o, "replications", json_integer(r->replications));
    if (r->auto_reps.on) {
        json_t *a = json_object();
        json_object_set_new(a, "rounds", json_integer(r->auto_reps.rounds));
        json_object_set_new(a, "capped", json_boolean(r->auto_reps.capped));
        json_object_set_new(a, "precision", out_json_number(r->auto_reps.precision));
        json_object_set_new(o, "replications_auto", a);
    }
    set_outside_text(o, "command_line", mf->command_line);
    json_object_set_new(o, "started_at", string_or_null(mf->started_at));
    json_t *h = json_object();
    if (r->is_day) {
        json_object_set_new(h, "open", clock_string(r->open_at));
        json_object_set_new(h, "close", clock_string(r->close_at));
        json_object_set_new(o, "day", h);
    } else {
        json_object_set_new(h, "warmup", out_json_number(r->warmup_dur));
        json_object_set_new(h, "warmup_auto", json_boolean(r->warmup_auto));
        json_object_set_new(h, "length", out_json_number(r->length_dur));
        json_object_set_new(o, "run", h);
    }
    json_t *kinds = json_object();
    if (r->nplans > 0)
        for (size_t i = 0; i < r->plans[0].nscopes; i++) {
            const struct out_scope *sc = &r->plans[0].scopes[i];
            if (sc->kind == OUT_CLASS)
                json_object_set_new(kinds, sc->name, json_string(sc->internal ? "internal" : "external"));
        }
    json_object_set_new(o, "classes", kinds);
    return o;
}

/* Writes j as jansson's indented dump, every line after the first
 * shifted right by `indent` spaces (JSON strings hold no raw newline, so
 * every newline of the dump is a line break). */
static int dump_at(json_t *j, int indent, FILE *f)
{
    char *text = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(j);
    if (!text)
        return -1;
    for (const char *p = text; *p; p++) {
        fputc(*p, f);
        if (*p == '\n')
            fprintf(f, "%*s", indent, "");
    }
    free(text);
    return 0;
}

int out_json_begin(const struct out_report *r, FILE *f)
{
    fputs("{\n  \"manifest\": ", f);
    int rc = dump_at(manifest_object(r), 2, f);
    fputs(",\n  \"plans\": [", f);
    return rc;
}

int out_json_plan(const struct out_plan *p, unsigned reps, size_t index, FILE *f)
{
    fputs(index ? ",\n    " : "\n    ", f);
    return dump_at(plan_object(p, reps), 4, f);
}

int out_json_end(size_t nplans, FILE *f, struct sim_err *err)
{
    fputs(nplans ? "\n  ]\n}\n" : "]\n}\n", f);
    if (ferror(f))
        return sim_err_set(err, SIM_EIO, "cannot write the JSON report: %s", strerror(errno));
    return SIM_OK;
}

int out_json_write_extra(const struct out_report *r, const char *key, json_t *extra, FILE *f, struct sim_err *err)
{
    int rc = out_json_begin(r, f);
    for (size_t p = 0; p < r->nplans; p++)
        rc |= out_json_plan(&r->plans[p], r->replications, p, f);
    fputs(r->nplans ? "\n  ],\n  \"" : "],\n  \"", f);
    fputs(key, f);   /* a name of the program's: nothing to escape */
    fputs("\": ", f);
    rc |= dump_at(extra, 2, f);
    fputs("\n}\n", f);
    if (rc)
        return sim_err_set(err, SIM_EIO, "cannot write the JSON report: out of memory");
    if (ferror(f))
        return sim_err_set(err, SIM_EIO, "cannot write the JSON report: %s", strerror(errno));
    return SIM_OK;
}

int out_json_write(const struct out_report *r, FILE *f, struct sim_err *err)
{
    int rc = out_json_begin(r, f);
    for (size_t p = 0; p < r->nplans; p++)
        rc |= out_json_plan(&r->plans[p], r->replications, p, f);
    if (rc)
        return sim_err_set(err, SIM_EIO, "cannot write the JSON report: out of memory");
    return out_json_end(r->nplans, f, err);
}
