/* models/yread.c — typed readers over YAML nodes (see yread.h).
 *
 * A node made by a relative change (models/override.h: node->rel) is read
 * like any other, with two differences, both here: every error located at
 * it says which change made it, and a whole number made by *= is rounded
 * to the nearest (halves away from zero) instead of refused, since a
 * factor rarely lands on whole staff (3 * 1.5 = 4.5 gives 5). */
#include "models/yread.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* The error, located; when rel is not NULL (the node at fault was made by
 * a relative change), followed by what the change did. */
static int vfail(struct mdl_yread *r, int src, int line, int col, const struct mdl_yrel *rel, const char *fmt,
                 va_list ap)
{
    if (r->err->code == SIM_OK) {
        char msg[sizeof r->err->msg];
        vsnprintf(msg, sizeof msg, fmt, ap);
        if (rel && rel->was)
            sim_err_set(r->err, SIM_EDATA, "%s (%s %c %s, by the relative change %s)", msg, rel->was, rel->op,
                        rel->by, rel->change);
        else if (rel)
            sim_err_set(r->err, SIM_EDATA, "%s (after the relative change %s)", msg, rel->change);
        else
            sim_err_set(r->err, SIM_EDATA, "%s", msg);
        mdl_ydoc_locate(r->doc, r->err, src, line, col);
    }
    return r->err->code;
}

int mdl_yread_fail(struct mdl_yread *r, const struct mdl_ynode *n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = vfail(r, n->src, n->line, n->col, n->rel, fmt, ap);
    va_end(ap);
    return rc;
}

int mdl_yread_fail_key(struct mdl_yread *r, const struct mdl_ypair *key, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = vfail(r, key->src, key->line, key->col, NULL, fmt, ap);
    va_end(ap);
    return rc;
}

static const char *kind_name(const struct mdl_ynode *n)
{
    switch (n->kind) {
    case MDL_Y_MAP:
        return "a mapping";
    case MDL_Y_SEQ:
        return "a list";
    default:
        return n->plain ? "a plain value" : "a quoted text";
    }
}

int mdl_yread_map(struct mdl_yread *r, const struct mdl_ynode *n, const char *what,
                  const char *const *allowed, size_t nallowed)
{
    if (n->kind != MDL_Y_MAP)
        return mdl_yread_fail(r, n, "%s must be a mapping of keys to values, got %s", what, kind_name(n));
    for (size_t i = 0; i < n->n; i++) {
        const char *key = n->pairs[i].key;
        bool ok = false;
        for (size_t k = 0; k < nallowed && !ok; k++)
            ok = strcmp(key, allowed[k]) == 0;
        if (ok)
            continue;
        const char *close = sim_err_suggest(key, allowed, nallowed);
        if (close)
            return mdl_yread_fail_key(r, &n->pairs[i], "unknown key '%s' in %s; did you mean '%s'?", key,
                                      what, close);
        char list[256] = "";
        for (size_t k = 0; k < nallowed; k++) {
            size_t len = strlen(list);
            snprintf(list + len, sizeof list - len, "%s%s", k ? ", " : "", allowed[k]);
        }
        return mdl_yread_fail_key(r, &n->pairs[i], "unknown key '%s' in %s (known keys: %s)", key, what,
                                  list);
    }
    return SIM_OK;
}

int mdl_yread_seq(struct mdl_yread *r, const struct mdl_ynode *n, const char *what)
{
    if (n->kind != MDL_Y_SEQ)
        return mdl_yread_fail(r, n, "%s must be a list, got %s", what, kind_name(n));
    return SIM_OK;
}

bool mdl_yread_is_number(const struct mdl_ynode *n, double *out)
{
    if (n->kind != MDL_Y_SCALAR || !n->plain || !n->text[0])
        return false;
    const char *t = n->text;
    /* YAML's spellings of infinity and not-a-number */
    if (!strcmp(t, ".inf") || !strcmp(t, ".Inf") || !strcmp(t, ".INF") || !strcmp(t, "+.inf")) {
        *out = INFINITY;
        return true;
    }
    if (!strcmp(t, "-.inf") || !strcmp(t, "-.Inf") || !strcmp(t, "-.INF")) {
        *out = -INFINITY;
        return true;
    }
    if (!strcmp(t, ".nan") || !strcmp(t, ".NaN") || !strcmp(t, ".NAN")) {
        *out = NAN;
        return true;
    }
    for (const char *p = t; *p; p++)
        if (!(isdigit((unsigned char)*p) || strchr("+-.eE_", *p)))
            return false;   /* no hex, no "inf" words, no "1,5" */
    char clean[64];
    size_t k = 0;
    for (const char *p = t; *p && k < sizeof clean - 1; p++)
        if (*p != '_')      /* YAML allows 1_000_000 */
            clean[k++] = *p;
    clean[k] = '\0';
    char *end;
    errno = 0;
    double v = strtod(clean, &end);
    if (end == clean || *end)
        return false;
    *out = v;   /* overflow gives +-HUGE_VAL, refused as not finite */
    return true;
}

int mdl_yread_number(struct mdl_yread *r, const struct mdl_ynode *n, const char *what, double lo,
                     double hi, double *out)
{
    double v;
    if (!mdl_yread_is_number(n, &v)) {
        if (n->kind == MDL_Y_SCALAR && !n->plain)
            return mdl_yread_fail(r, n, "%s must be a number, got the quoted text \"%.60s\"", what, n->text);
        if (n->kind == MDL_Y_SCALAR)
            return mdl_yread_fail(r, n, "%s must be a number, got '%.60s'", what, n->text);
        return mdl_yread_fail(r, n, "%s must be a number, got %s", what, kind_name(n));
    }
    if (!isfinite(v))
        return mdl_yread_fail(r, n, "%s must be a finite number, got %s", what, n->text);
    if (v < lo || v > hi)
        return mdl_yread_fail(r, n, "%s must be from %g to %g, got %s", what, lo, hi, n->text);
    *out = v;
    return SIM_OK;
}

int mdl_yread_whole(struct mdl_yread *r, const struct mdl_ynode *n, const char *what, long lo, long hi,
                    long *out)
{
    double v;
    bool number = mdl_yread_is_number(n, &v);
    if (number && isfinite(v) && n->rel && n->rel->was && n->rel->op == '*')
        v = round(v);   /* a factor's result on a whole number: the nearest (see above) */
    if (!number || !isfinite(v) || v != floor(v) || v < (double)lo || v > (double)hi) {
        if (n->kind == MDL_Y_SCALAR)
            return mdl_yread_fail(r, n, "%s must be a whole number from %ld to %ld, got %s%.60s%s", what, lo,
                                  hi, n->plain ? "" : "\"", n->text, n->plain ? "" : "\"");
        return mdl_yread_fail(r, n, "%s must be a whole number from %ld to %ld, got %s", what, lo, hi,
                              kind_name(n));
    }
    *out = (long)v;
    return SIM_OK;
}

int mdl_yread_seed(struct mdl_yread *r, const struct mdl_ynode *n, const char *what, uint64_t *out)
{
    const char *t = n->kind == MDL_Y_SCALAR && n->plain ? n->text : "";
    char *end;
    errno = 0;
    unsigned long long v = strtoull(t, &end, 10);
    if (!isdigit((unsigned char)t[0]) || *end || errno == ERANGE)
        return mdl_yread_fail(r, n, "%s must be a whole number from 0 to 18446744073709551615, got %.40s",
                              what, n->kind == MDL_Y_SCALAR ? n->text : kind_name(n));
    *out = (uint64_t)v;
    return SIM_OK;
}

/* The code point of the well-formed UTF-8 sequence at s (n bytes). */
static unsigned utf8_code(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    unsigned cp = p[0] & (n == 2 ? 0x1fu : n == 3 ? 0x0fu : 0x07u);
    for (size_t i = 1; i < n; i++)
        cp = cp << 6 | (p[i] & 0x3fu);
    return cp;
}

int mdl_yread_text(struct mdl_yread *r, const struct mdl_ynode *n, const char *what, const char **out)
{
    if (n->kind != MDL_Y_SCALAR)
        return mdl_yread_fail(r, n, "%s must be a text, got %s", what, kind_name(n));
    /* texts reach reports and terminals: no control characters (a quoted
     * "\e[2J" would clear the screen of whoever reads the report) */
    for (const unsigned char *p = (const unsigned char *)n->text; *p; p++)
        if (*p < 0x20 || *p == 0x7f || (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f))
            return mdl_yread_fail(r, n, "%s must be printable text: it holds the control character U+%04X", what,
                                  *p == 0xc2 ? p[1] : *p);
    /* nor bidirectional controls (U+202E and its kin): a name that shows
     * "exe.txt" on screen may be "txt.exe" in the file */
    const char *t = n->text;
    for (size_t i = 0, len = strlen(t); i < len;) {
        enum sim_err_text kind;
        size_t k = sim_err_text_char(t + i, len - i, &kind);
        if (kind == SIM_ERR_TEXT_CONTROL && k > 1)
            return mdl_yread_fail(r, n, "%s must not hold the bidirectional control U+%04X: it shows text in "
                                        "another order than it is written", what, utf8_code(t + i, k));
        i += k;
    }
    *out = n->text;
    return SIM_OK;
}

int mdl_yread_clock(struct mdl_yread *r, const struct mdl_ynode *n, const char *what, double *out)
{
    const char *t = n->kind == MDL_Y_SCALAR ? n->text : "";
    int h = -1, m = -1;
    char extra;
    if (strlen(t) > 5 || sscanf(t, "%2d:%2d%c", &h, &m, &extra) != 2 || !isdigit((unsigned char)t[0]) ||
        h < 0 || h > 24 || m < 0 || m > 59 || (h == 24 && m != 0) || strlen(strchr(t, ':') + 1) != 2)
        return mdl_yread_fail(r, n, "%s must be a time of day \"HH:MM\" from \"00:00\" to \"24:00\", got %s%.40s%s",
                              what, n->kind == MDL_Y_SCALAR ? "'" : "", n->kind == MDL_Y_SCALAR ? t : kind_name(n),
                              n->kind == MDL_Y_SCALAR ? "'" : "");
    *out = 60.0 * h + m;
    return SIM_OK;
}

int mdl_yread_choice(struct mdl_yread *r, const struct mdl_ynode *n, const char *what,
                     const char *const *choices, size_t nchoices, int *out)
{
    if (n->kind == MDL_Y_SCALAR)
        for (size_t i = 0; i < nchoices; i++)
            if (strcmp(n->text, choices[i]) == 0) {
                *out = (int)i;
                return SIM_OK;
            }
    char list[160] = "";
    for (size_t k = 0; k < nchoices; k++) {
        size_t len = strlen(list);
        snprintf(list + len, sizeof list - len, "%s%s", k ? " or " : "", choices[k]);
    }
    const char *close = n->kind == MDL_Y_SCALAR ? sim_err_suggest(n->text, choices, nchoices) : NULL;
    if (close)
        return mdl_yread_fail(r, n, "%s must be %s; did you mean '%s'?", what, list, close);
    return mdl_yread_fail(r, n, "%s must be %s", what, list);
}

int mdl_yread_check_name(struct mdl_yread *r, const struct mdl_ypair *key, const char *kind)
{
    const char *k = key->key;
    bool ok = isalpha((unsigned char)k[0]) && strlen(k) <= 40;
    for (const char *p = k; *p && ok; p++)
        ok = isalnum((unsigned char)*p) || *p == '_' || *p == '-';
    if (!ok)
        return mdl_yread_fail_key(r, key,
                                  "%s name '%.60s' must start with a letter and hold only letters, digits, "
                                  "_ and - (at most 40)",
                                  kind, k);
    if (!strcmp(k, "exit") || !strcmp(k, "default"))
        return mdl_yread_fail_key(r, key, "'%s' is a reserved word and cannot name a %s", k, kind);
    return SIM_OK;
}

/* Reads a list of numbers (empirical values or weights) into a new array. */
static int number_list(struct mdl_yread *r, const struct mdl_ynode *n, const char *what, double **out)
{
    if (mdl_yread_seq(r, n, what))
        return r->err->code;
    if (n->n == 0)
        return mdl_yread_fail(r, n, "%s must list at least one number", what);
    double *v = sim_xmalloc(n->n * sizeof *v);
    for (size_t i = 0; i < n->n; i++)
        if (mdl_yread_number(r, n->items[i], what, -HUGE_VAL, HUGE_VAL, &v[i])) {
            free(v);
            return r->err->code;
        }
    *out = v;
    return SIM_OK;
}

static int read_dist(struct mdl_yread *r, const struct mdl_ynode *n, const char *what, bool offset,
                     struct sim_dist *out)
{
    size_t nforms;
    const struct sim_dist_form *forms = sim_dist_forms(&nforms);
    if (n->kind != MDL_Y_MAP)
        return mdl_yread_fail(r, n, "%s must be a distribution such as {dist: exponential, mean: 5}, got %s",
                              what, kind_name(n));
    const struct mdl_ynode *name = mdl_ynode_get(n, "dist");
    if (!name)
        return mdl_yread_fail(r, n, "%s needs 'dist:' naming its distribution, such as {dist: exponential, mean: 5}",
                              what);
    const char *names[16];
    size_t nnames = 0;
    for (size_t i = 0; i < nforms && nnames < 16; i++)
        if (nnames == 0 || strcmp(names[nnames - 1], forms[i].name) != 0)
            names[nnames++] = forms[i].name;
    int which = 0;
    if (mdl_yread_choice(r, name, "dist", names, nnames, &which))
        return r->err->code;
    const char *dname = names[which];

    const char *keys[8];
    size_t nkeys = 0;
    for (size_t i = 0; i < n->n; i++)
        if (strcmp(n->pairs[i].key, "dist") != 0 && nkeys < 8)
            keys[nkeys++] = n->pairs[i].key;
    const struct sim_dist_form *f = sim_dist_form_find(dname, keys, nkeys);
    if (!f) {
        /* Say what the distribution takes, at the first key it does not. */
        const char *params[8];
        size_t np = 0;
        char takes[128];
        sim_dist_takes(dname, takes, sizeof takes);
        for (size_t i = 0; i < nforms; i++)
            for (int k = 0; strcmp(forms[i].name, dname) == 0 && k < forms[i].nparams && np < 8; k++)
                params[np++] = forms[i].params[k];
        for (size_t i = 0; i < n->n; i++) {
            const char *k = n->pairs[i].key;
            bool known = !strcmp(k, "dist");
            for (size_t j = 0; j < np && !known; j++)
                known = !strcmp(k, params[j]);
            if (!known) {
                const char *close = sim_err_suggest(k, params, np);
                return mdl_yread_fail_key(r, &n->pairs[i], "%s takes %s; unknown parameter '%s'%s%s%s", dname,
                                          takes, k, close ? " (did you mean '" : "", close ? close : "",
                                          close ? "'?)" : "");
            }
        }
        return mdl_yread_fail(r, n, "%s: %s needs %s", what, dname, takes);
    }
    struct sim_err kerr;
    sim_err_init(&kerr);
    if (f->lists) {
        double *values = NULL, *weights = NULL;
        const struct mdl_ynode *vn = mdl_ynode_get(n, "values"), *wn = mdl_ynode_get(n, "weights");
        if (number_list(r, vn, "values of empirical", &values))
            return r->err->code;
        if (wn && number_list(r, wn, "weights of empirical", &weights)) {
            free(values);
            return r->err->code;
        }
        if (wn && wn->n != vn->n) {
            free(values);
            free(weights);
            return mdl_yread_fail(r, wn, "empirical has %zu values but %zu weights", vn->n, wn->n);
        }
        int rc = (offset ? sim_dist_init_empirical_offset : sim_dist_init_empirical)(out, values, weights, vn->n,
                                                                                     &kerr);
        free(values);
        free(weights);
        if (rc) {
            const struct mdl_ynode *list = kerr.arg >= 0 && weights && strstr(kerr.msg, "weights") ? wn : vn;
            const struct mdl_ynode *at = kerr.arg >= 0 && (size_t)kerr.arg < list->n ? list->items[kerr.arg] : list;
            return mdl_yread_fail(r, at, "%s: %s", what, kerr.msg);
        }
        return SIM_OK;
    }
    double p[SIM_DIST_MAX_PARAMS];
    const struct mdl_ynode *pn[SIM_DIST_MAX_PARAMS];
    for (int k = 0; k < f->nparams; k++) {
        pn[k] = mdl_ynode_get(n, f->params[k]);
        char pwhat[160];
        snprintf(pwhat, sizeof pwhat, "%s of %s", f->params[k], dname);
        if (mdl_yread_number(r, pn[k], pwhat, -HUGE_VAL, HUGE_VAL, &p[k]))
            return r->err->code;
    }
    if ((offset ? sim_dist_init_offset : sim_dist_init)(out, f, p, &kerr))
        return mdl_yread_fail(r, kerr.arg >= 0 ? pn[kerr.arg] : n, "%s: %s", what, kerr.msg);
    return SIM_OK;
}

int mdl_yread_dist(struct mdl_yread *r, const struct mdl_ynode *n, const char *what, struct sim_dist *out)
{
    return read_dist(r, n, what, false, out);
}

int mdl_yread_offset(struct mdl_yread *r, const struct mdl_ynode *n, const char *what, struct sim_dist *out)
{
    return read_dist(r, n, what, true, out);
}
