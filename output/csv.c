/* output/csv.c — the long CSV layout of spec §3 (see csv.h).
 *
 * Every text cell goes through out_csv_field, which quotes it as RFC 4180
 * says and neutralises what a spreadsheet would run: a cell starting with
 * =, +, -, @, a tab or a carriage return is a formula to Excel, LibreOffice
 * and Google Sheets (=HYPERLINK(...), +cmd|...), so it is written with a
 * single quote first, as OWASP advises ("CSV injection"). Numbers are not
 * text cells: they are written by number() and a negative one stays a
 * number. What this does not do: it does not rewrite the text otherwise;
 * a script reading the CSV strips the leading quote, or reads JSON, which
 * carries names exactly.
 */
#include "output/csv.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

void out_csv_field(FILE *f, const char *s)
{
    bool formula = *s && strchr("=+-@\t\r", *s);
    if (!s[strcspn(s, ",\"\r\n")]) {
        if (formula)
            fputc('\'', f);
        fputs(s, f);
        return;
    }
    fputc('"', f);
    if (formula)
        fputc('\'', f);
    for (const char *p = s; *p; p++) {
        if (*p == '"')
            fputc('"', f);
        fputc(*p, f);
    }
    fputc('"', f);
}

static void number(FILE *f, double x)
{
    fputc(',', f);
    if (isfinite(x))
        fprintf(f, "%.15g", x);
}

static void row(FILE *f, const struct out_plan *plan, const struct out_scope *sc, const char *metric,
                const char *suffix, const struct out_stat *st)
{
    out_csv_field(f, plan->name);
    fprintf(f, ",%s,", out_scope_kind_name(sc->kind));
    out_csv_field(f, sc->name);
    fputc(',', f);
    char name[256];
    snprintf(name, sizeof name, "%s%s", metric, suffix);
    out_csv_field(f, name);
    number(f, st->mean);
    number(f, st->ci_low);
    number(f, st->ci_high);
    number(f, st->sd);
    fprintf(f, ",%zu", st->n);
    for (size_t k = 0; k < plan->nparams; k++) {   /* a sweep's plan: a column per swept parameter */
        const char *v = plan->params[k].value ? plan->params[k].value : "";
        double x;
        fputc(',', f);
        if (out_param_number(v, &x))
            fputs(v, f);   /* a number stays a number (-1 is no formula) */
        else
            out_csv_field(f, v);
    }
    fputs("\r\n", f);
}

void out_csv_write_header(FILE *f, const char *const *params, size_t nparams)
{
    fputs("plan,scope,name,metric,mean,ci_low,ci_high,sd,n", f);
    for (size_t k = 0; k < nparams; k++) {
        fputc(',', f);
        out_csv_field(f, params[k]);
    }
    fputs("\r\n", f);
}

void out_csv_write_plan(const struct out_plan *plan, FILE *f)
{
    for (size_t i = 0; i < plan->nscopes; i++) {
        const struct out_scope *sc = &plan->scopes[i];
        if (sc->kind == OUT_DEPARTMENT && sc->overloaded) {
            /* an overloaded department says so first: the replications
             * stopped with it overloaded (its other rows leave them out) */
            struct out_stat count = {(double)sc->overloaded, NAN, NAN, NAN, 1};
            row(f, plan, sc, "overloaded_replications", "", &count);
        }
        for (size_t m = 0; m < sc->nmetrics; m++) {
            const struct out_metric *mt = &sc->metrics[m];
            row(f, plan, sc, mt->name, "", &mt->stat);
            if (mt->diff)
                row(f, plan, sc, mt->name, ".diff", mt->diff);
        }
    }
}

int out_csv_write(const struct out_report *r, FILE *f, struct sim_err *err)
{
    out_csv_write_header(f, NULL, 0);
    for (size_t p = 0; p < r->nplans; p++)
        out_csv_write_plan(&r->plans[p], f);
    if (ferror(f))
        return sim_err_set(err, SIM_EIO, "cannot write the CSV report: %s", strerror(errno));
    return SIM_OK;
}
