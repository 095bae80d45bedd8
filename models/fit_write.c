/* models/fit_write.c — a fit as scenario text (see fit.h): the scenario
 * language written by hand, block style, every estimate with its interval
 * and the observations behind it in the comment beside it, and what the
 * log cannot tell marked "check". The text is the program's to read back
 * (sim/cli/fit.c refuses to write one that does not load).
 */
#include "models/fit.h"

#include "sim/mem.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* x with about four significant digits, never an exponent: "3.142",
 * "1234", "0.0123". */
static const char *num(char *buf, size_t len, double x)
{
    if (x == 0 || !isfinite(x)) {
        snprintf(buf, len, "%g", x == 0 ? 0.0 : x);
        return buf;
    }
    int mag = (int)floor(log10(fabs(x)));
    int decimals = mag >= 3 ? 0 : 3 - mag;
    if (decimals > 8)
        decimals = 8;
    snprintf(buf, len, "%.*f", decimals, x);
    if (strchr(buf, '.')) {   /* no trailing zeros */
        char *e = buf + strlen(buf) - 1;
        while (*e == '0')
            *e-- = '\0';
        if (*e == '.')
            *e = '\0';
    }
    return buf;
}

static const char *clock_of(char *buf, size_t len, double minutes)
{
    int m = (int)lround(minutes);
    snprintf(buf, len, "%02d:%02d", m / 60, m % 60);
    return buf;
}

/* A YAML key: plain when safe, else double-quoted. */
static void key(FILE *f, const char *name)
{
    bool plain = name[0] && !strchr("-?:,[]{}#&*!|>'\"%@` ", name[0]);
    for (const char *p = name; plain && *p; p++)
        plain = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '_' ||
                *p == '-' || *p == '.' || (unsigned char)*p >= 0x80;
    if (plain && strcmp(name, "true") && strcmp(name, "false") && strcmp(name, "null") && strcmp(name, "exit") &&
        strcmp(name, "default")) {
        fputs(name, f);
        return;
    }
    fputc('"', f);
    for (const char *p = name; *p; p++) {
        if (*p == '"' || *p == '\\')
            fputc('\\', f);
        fputc(*p, f);
    }
    fputc('"', f);
}

/* "{dist: gamma, mean: 20, sd: 8}" of d (its best fit, or empirical), and
 * the comment that says how sure it is. */
static void dist(FILE *f, const struct mdl_fit_duration *d, const char *what)
{
    char a[32], b[32], c[32];
    if (d->n == 0) {
        fprintf(f, "{dist: exponential, mean: 1}\n      # check: no %s in the log: a placeholder to set\n", what);
        return;
    }
    if (d->constant) {
        fprintf(f, "{dist: constant, value: %s}\n      # all %zu %s take %s minutes, to a second\n",
                num(a, sizeof a, d->mean), d->n, what, num(b, sizeof b, d->mean));
        return;
    }
    if (d->uniform && !d->empirical) {
        fprintf(f, "{dist: uniform, min: %s, max: %s}\n      # the least and the most of %zu %s", num(a, sizeof a, d->umin),
                num(b, sizeof b, d->umax), d->n, what);
        if (d->nfits)
            fprintf(f, "; least AIC (next %s, +%.1f)", sim_fit_family_name(d->fits[0].family),
                    d->fits[0].aic - d->uniform_aic);
        fprintf(f, "; fit p = %.2f\n", d->gof_p);
        return;
    }
    if (d->empirical || d->nfits == 0) {
        fputs("{dist: empirical, values: [", f);
        for (size_t k = 0; k < MDL_FIT_QUANTILES; k++)
            fprintf(f, "%s%s", k ? ", " : "", num(a, sizeof a, d->quantiles[k]));
        fprintf(f, "]}\n      # nothing fits %zu %s", d->n, what);
        if (d->nfits)
            fprintf(f, " (the best, %s, has p = %.3f)", sim_fit_family_name(d->fits[0].family), d->gof_p);
        fprintf(f, ": their %d quantiles, as an empirical distribution; mean %s (%s to %s)\n", MDL_FIT_QUANTILES,
                num(a, sizeof a, d->mean), num(b, sizeof b, d->mean_lo), num(c, sizeof c, d->mean_hi));
        return;
    }
    const struct sim_fit *x = &d->fits[0];
    fprintf(f, "{dist: %s", sim_fit_family_name(x->family));
    for (size_t k = 0; k < x->npar; k++)
        fprintf(f, ", %s: %s", x->names[k], num(a, sizeof a, x->par[k]));
    fputs("}\n      # 95%:", f);
    for (size_t k = 0; k < x->npar; k++)
        fprintf(f, "%s %s %s to %s", k ? "," : "", x->names[k], num(a, sizeof a, x->lo[k]), num(b, sizeof b, x->hi[k]));
    fprintf(f, "; %zu %s", d->n, what);
    if (x->events < x->n)
        fprintf(f, " (%zu of them censored: served before they gave up)", x->n - x->events);
    if (d->nfits > 1)
        fprintf(f, "; least AIC of %zu (next %s, +%.1f)", d->nfits, sim_fit_family_name(d->fits[1].family),
                d->fits[1].aic - x->aic);
    if (isfinite(d->gof_p))
        fprintf(f, "; fit p = %.2f", d->gof_p);
    fputc('\n', f);
}

/* Shares of counts[0..n) as whole ten-thousandths adding up to exactly
 * 10000 (the largest absorbs the rounding). */
static void shares(const size_t *counts, size_t n, long *out)
{
    size_t total = 0, big = 0;
    for (size_t i = 0; i < n; i++) {
        total += counts[i];
        if (counts[i] > counts[big])
            big = i;
    }
    long sum = 0;
    for (size_t i = 0; i < n; i++) {
        out[i] = total ? lround(10000.0 * (double)counts[i] / (double)total) : 0;
        sum += out[i];
    }
    out[big] += 10000 - sum;
}

/* Wilson's (1927) score interval of k successes in n, at 95%. */
static void wilson(size_t k, size_t n, double *lo, double *hi)
{
    const double z = 1.959963984540054;
    double p = (double)k / (double)n, nn = (double)n, den = 1 + z * z / nn;
    double mid = (p + z * z / (2 * nn)) / den, half = z * sqrt(p * (1 - p) / nn + z * z / (4 * nn * nn)) / den;
    *lo = fmax(0, mid - half);
    *hi = fmin(1, mid + half);
}

/* The comment after a map of shares: the counts behind it and each
 * share's 95% interval. */
static void share_comment(FILE *f, const char *const *names, const size_t *counts, size_t n, bool with_exit,
                          const char *of)
{
    size_t total = 0, shown = 0;
    for (size_t i = 0; i < n; i++)
        total += counts[i];
    fprintf(f, "   # of %zu %s", total, of);
    for (size_t i = 0; i < n; i++) {
        if (!counts[i] || counts[i] == total)
            continue;
        double lo, hi;
        wilson(counts[i], total, &lo, &hi);
        fprintf(f, "%s%s %.3f-%.3f", shown++ ? ", " : "; 95%: ", with_exit && i + 1 == n ? "exit" : names[i], lo, hi);
    }
    fputc('\n', f);
}

static void share_map(FILE *f, const char *const *names, const size_t *counts, size_t n, bool with_exit)
{
    long *p = sim_xmalloc((n ? n : 1) * sizeof *p);
    shares(counts, n, p);
    fputc('{', f);
    bool first = true;
    for (size_t i = 0; i < n; i++) {
        if (!counts[i])
            continue;
        fputs(first ? "" : ", ", f);
        first = false;
        if (with_exit && i + 1 == n)
            fputs("exit", f);
        else
            key(f, names[i]);
        fprintf(f, ": %ld.%04ld", p[i] / 10000, p[i] % 10000);
    }
    fputc('}', f);
    free(p);
}

static void rates(FILE *f, const struct mdl_fit *fit, const double *rate, const char *indent)
{
    char a[32], b[32];
    for (size_t b0 = 0; b0 < fit->nbins; b0++)
        fprintf(f, "%s- {at: \"%s\", rate: %s}\n", indent, clock_of(a, sizeof a, fit->open_at + (double)b0 * fit->interval),
                num(b, sizeof b, rate[b0]));
}

#define WIDTH 100   /* the text's lines at most, comments wrapped to fit */

/* Where line[0..n)'s comment starts (its " #", outside quotes), or n. */
static size_t comment_at(const char *line, size_t n)
{
    bool quoted = false;
    for (size_t i = 0; i < n; i++) {
        if (line[i] == '"' && (i == 0 || line[i - 1] != '\\'))
            quoted = !quoted;
        else if (!quoted && line[i] == '#' && (i == 0 || line[i - 1] == ' '))
            return i;
    }
    return n;
}

/* Writes words[0..n) as comment lines "INDENT# ..." of at most WIDTH. */
static void wrap_comment(FILE *f, size_t indent, const char *words, size_t n)
{
    size_t at = 0;
    while (at < n) {
        while (at < n && words[at] == ' ')
            at++;
        if (at >= n)
            break;
        size_t room = WIDTH > indent + 2 ? WIDTH - indent - 2 : 20, end = at + room < n ? at + room : n;
        if (end < n) {   /* back to a space */
            size_t cut = end;
            while (cut > at && words[cut] != ' ')
                cut--;
            end = cut > at ? cut : end;
        }
        fprintf(f, "%*s# %.*s\n", (int)indent, "", (int)(end - at), words + at);
        at = end;
    }
}

/* Writes code[0..n) (no comment), breaking a flow sequence after its
 * commas when the line is too long: the rest indented under the key. */
static void wrap_code(FILE *f, const char *code, size_t n, size_t indent)
{
    size_t start = 0, col = 0;
    while (n - start + col > WIDTH) {
        size_t cut = start + (WIDTH - col);
        while (cut > start && !(code[cut] == ' ' && code[cut - 1] == ','))
            cut--;
        if (cut <= start)
            break;
        fprintf(f, "%.*s\n%*s", (int)(cut - start), code + start, (int)(indent + 4), "");
        col = indent + 4;
        start = cut + 1;
    }
    fprintf(f, "%.*s\n", (int)(n - start), code + start);
}

/* The text with every line of more than WIDTH columns made into lines
 * that fit: a long comment wrapped, a trailing comment moved under its
 * line, a long flow sequence broken after a comma. */
static char *reflow(const char *text, size_t len, size_t *out_len)
{
    char *out = NULL;
    FILE *f = open_memstream(&out, out_len);
    for (size_t at = 0; at < len;) {
        const char *line = text + at, *nl = memchr(line, '\n', len - at);
        size_t n = nl ? (size_t)(nl - line) : len - at;
        at += n + 1;
        size_t indent = 0;
        while (indent < n && line[indent] == ' ')
            indent++;
        if (n <= WIDTH) {
            fprintf(f, "%.*s\n", (int)n, line);
            continue;
        }
        size_t hash = comment_at(line, n);
        size_t code_end = hash;
        while (code_end > 0 && line[code_end - 1] == ' ')
            code_end--;
        if (code_end > indent)
            wrap_code(f, line, code_end, indent);
        if (hash < n)
            wrap_comment(f, code_end > indent ? indent + 2 : indent, line + hash + 1, n - hash - 1);
    }
    fclose(f);
    return out;
}

char *mdl_fit_write(const struct mdl_fit *fit, const char *log_name, size_t *len)
{
    const struct mdl_vlog *log = fit->log;
    char *text = NULL;
    FILE *f = open_memstream(&text, len);
    char a[32], b[32], c[32], d0[16], d1[16];
    mdl_vlog_date(log->first_day, d0, sizeof d0);
    mdl_vlog_date(log->last_day, d1, sizeof d1);
    fputs("# Fitted by cxsim fit from ", f);
    sim_err_put_text(f, log_name);   /* a file's name holds whatever bytes it was given */
    fprintf(f, ":\n# %zu visit%s of %zu journey%s on %zu day%s (%s to %s).\n", log->nrows, log->nrows == 1 ? "" : "s",
            log->nvisits, log->nvisits == 1 ? "" : "s", fit->ndays, fit->ndays == 1 ? "" : "s", d0, d1);
    fputs("# Every value below is an estimate from that log; the comment beside it gives its 95% interval and\n"
          "# the observations behind it (docs/fit.md says how each is made). What a log cannot tell is\n"
          "# marked \"check\": staff on duty, the kind of each class, costs, capacities and targets.\n"
          "# `cxsim validate` on this file and the log sets the simulated waits against the real ones.\n\n", f);
    fputs("name: \"", f);
    for (const char *p = log_name; *p; p++)
        if (*p != '"' && *p != '\\' && (unsigned char)*p >= 0x20 && (unsigned char)*p < 0x7F)
            fputc(*p, f);
    fputs(" (fitted)\"\nseed: 1\nreplications: 30\n\n", f);
    fprintf(f, "day:\n  open: \"%s\"                   # the first interval with an arrival\n"
               "  close: \"%s\"                  # the end of the last\n"
               "  after_close: serve\n  interval: %s\n\n",
            clock_of(a, sizeof a, fit->open_at), clock_of(b, sizeof b, fit->close_at), num(c, sizeof c, fit->interval));
    fputs("departments:\n", f);
    for (size_t d = 0; d < fit->ndepts; d++) {
        const struct mdl_fit_dept *dp = &fit->depts[d];
        fputs("  ", f);
        key(f, dp->name);
        fprintf(f, ":   # %zu visit%s, %zu served", dp->visits, dp->visits == 1 ? "" : "s", dp->served);
        if (strcmp(dp->name, log->depts[d])) {
            fputs("; \"", f);
            sim_err_put_text(f, log->depts[d]);
            fputs("\" in the log", f);
        }
        if (isfinite(dp->wait_mean))
            fprintf(f, ", waiting %s minutes on average", num(a, sizeof a, dp->wait_mean));
        fputs("\n    # check: ", f);
        fputs(dp->staff_named ? "the people seen serving in each interval" : "the most services seen at once "
                                                                             "in each interval",
              f);
        fputs(" (on 9 days in 10 no more): a lower bound of who was on duty\n    staff:\n", f);
        /* at least one person from the first interval someone arrived or was seen serving to the last */
        size_t lo = SIZE_MAX, hi = 0;
        for (size_t k = 0; k < fit->nbins; k++) {
            double from = fit->open_at + (double)k * fit->interval, to = from + fit->interval;
            bool busy = dp->staff[k] > 0 || (dp->visits && to > dp->first_at && from <= dp->last_at);
            if (busy) {
                lo = lo == SIZE_MAX ? k : lo;
                hi = k;
            }
        }
        long prev = -1;
        for (size_t k = 0; k < fit->nbins; k++) {
            long n = dp->staff[k];
            if (n == 0 && lo != SIZE_MAX && k >= lo && k <= hi)
                n = 1;
            if (lo == SIZE_MAX && k == 0)
                n = 1;   /* nobody was ever seen: one person, to be checked */
            if (n != prev)
                fprintf(f, "      - {at: \"%s\", count: %ld}\n",
                        clock_of(a, sizeof a, fit->open_at + (double)k * fit->interval), n);
            prev = n;
        }
        bool per_class = false;
        for (size_t k = 0; k < fit->nclasses; k++)
            per_class |= dp->by_class[k].n > 0;
        if (!per_class) {
            fputs("    service: ", f);
            dist(f, &dp->service, "services");
        } else {
            fputs("    service:\n      default: ", f);
            if (dp->default_class != SIZE_MAX) {
                char what[160];
                snprintf(what, sizeof what, "services of %s (every class served here has its own)",
                         fit->classes[dp->default_class].name);
                dist(f, &dp->service, what);
            } else {
                dist(f, &dp->service, "services of the other classes");
            }
            for (size_t k = 0; k < fit->nclasses; k++)
                if (dp->by_class[k].n) {
                    fputs("      ", f);
                    key(f, fit->classes[k].name);
                    fputs(": ", f);
                    dist(f, &dp->by_class[k], "services of this class (its mean differs, Welch p < 0.01)");
                }
        }
    }
    fputs("\ncustomers:\n", f);
    const char **names = sim_xcalloc(fit->ndepts + 1, sizeof *names);
    for (size_t d = 0; d < fit->ndepts; d++)
        names[d] = fit->depts[d].name;
    for (size_t k = 0; k < fit->nclasses; k++) {
        const struct mdl_fit_class *cl = &fit->classes[k];
        if (cl->journeys == 0) {   /* named only on journeys that began as another class */
            fputs("  # ", f);
            sim_err_put_text(f, log->nclasses ? log->classes[k] : cl->name);
            fputs(": no journey began as this class (a journey is of its first visit's class)\n", f);
            continue;
        }
        fputs("  ", f);
        key(f, cl->name);
        fprintf(f, ":   # %zu journey%s, %zu visit%s: %zu reneged, %zu balked, %zu blocked", cl->journeys,
                cl->journeys == 1 ? "" : "s", cl->visits, cl->visits == 1 ? "" : "s", cl->reneged, cl->balked,
                cl->blocked);
        if (log->nclasses && strcmp(cl->name, log->classes[k])) {
            fputs("; \"", f);
            sim_err_put_text(f, log->classes[k]);
            fputs("\" in the log", f);
        }
        if (cl->unfinished)
            fprintf(f, ", %zu with no end (left out)", cl->unfinished);
        fputc('\n', f);
        fputs("    kind: external               # check: internal if these are the staff's own requests\n", f);
        fprintf(f, "    arrivals:                    # journeys an hour, the mean of the %zu days; their 95%% "
                   "intervals below\n      per_hour:\n", fit->ndays);
        rates(f, fit, cl->rate, "        ");
        fputs("      # 95%:", f);
        for (size_t q = 0; q < fit->nbins; q++)
            fprintf(f, "%s %s-%s", q ? "," : "", num(a, sizeof a, cl->rate_lo[q]), num(b, sizeof b, cl->rate_hi[q]));
        fputc('\n', f);
        if (cl->overdispersed) {
            fprintf(f, "      # check: in %zu interval%s the daily counts vary more than Poisson arrivals would "
                       "(index of dispersion, p < 0.01):", cl->overdispersed, cl->overdispersed == 1 ? "" : "s");
            for (size_t q = 0; q < fit->nbins; q++)
                if (cl->dispersion_p[q] < 0.01)
                    fprintf(f, " %s (%.1f)", clock_of(a, sizeof a, fit->open_at + (double)q * fit->interval),
                            cl->dispersion[q]);
            fputc('\n', f);
        }
        size_t entered = 0, where = 0, places = 0;
        for (size_t d = 0; d < fit->ndepts; d++)
            if (cl->enter[d]) {
                entered += cl->enter[d];
                where = d;
                places++;
            }
        fputs("    enter: ", f);
        if (places <= 1)
            key(f, fit->depts[where].name);
        else
            share_map(f, names, cl->enter, fit->ndepts, false);
        share_comment(f, names, cl->enter, fit->ndepts, false, "journeys");
        (void)entered;
        /* routes: from each department the class was served at, or reached */
        bool *reached = sim_xcalloc(fit->ndepts, sizeof *reached);
        for (size_t d = 0; d < fit->ndepts; d++) {
            reached[d] |= cl->enter[d] > 0;
            for (size_t e = 0; e < fit->ndepts; e++)
                reached[e] |= cl->route[d * (fit->ndepts + 1) + e] > 0;
        }
        fputs("    route:\n", f);
        for (size_t d = 0; d < fit->ndepts; d++) {
            if (!reached[d])
                continue;
            const size_t *row = &cl->route[d * (fit->ndepts + 1)];
            size_t served = 0;
            for (size_t e = 0; e <= fit->ndepts; e++)
                served += row[e];
            fputs("      ", f);
            key(f, fit->depts[d].name);
            fputs(": ", f);
            if (served) {
                share_map(f, names, row, fit->ndepts + 1, true);
                share_comment(f, names, row, fit->ndepts + 1, true, "served visits");
            } else {
                fputs("{exit: 1}   # nobody of this class was served here\n", f);
            }
        }
        free(reached);
        if (cl->patience_events >= 2 && cl->patience.nfits) {
            fputs("    patience: ", f);
            dist(f, &cl->patience, "waits");
            if (isfinite(cl->km_median))
                fprintf(f, "      # Kaplan-Meier: half give up within %s minutes (%s to %s)\n",
                        num(a, sizeof a, cl->km_median), isfinite(cl->km_lo) ? num(b, sizeof b, cl->km_lo) : "no lower bound",
                        isfinite(cl->km_hi) ? num(c, sizeof c, cl->km_hi) : "no upper bound");
            else
                fputs("      # Kaplan-Meier: fewer than half ever give up\n", f);
        } else {
            fprintf(f, "    # patience: not estimated: %s left while waiting\n",
                    cl->patience_events == 0 ? "nobody" : "only one");
        }
        if (cl->balked)
            fprintf(f, "    # check: %zu visits balked (left on seeing the queue): set balk_at to the queue "
                       "length at which they turn away\n", cl->balked);
        if (cl->blocked)
            fprintf(f, "    # check: %zu visits were blocked (a full queue): set the departments' capacity\n",
                    cl->blocked);
    }
    free(names);
    if (fit->handoff.n || fit->npairs) {
        fputs("\nhandoffs:                        # from the end of one visit to the arrival at the next\n", f);
        if (fit->handoff.n) {
            fputs("  default: ", f);
            dist(f, &fit->handoff, "handoffs");
        }
        for (size_t p = 0; p < fit->npairs; p++) {
            const struct mdl_fit_pair *fp = &fit->pairs[p];
            fputs("  ", f);
            char pair[300];
            snprintf(pair, sizeof pair, "%s->%s", fit->depts[fp->from].name, fit->depts[fp->to].name);
            key(f, pair);
            fputs(": ", f);
            dist(f, &fp->d, "handoffs of this pair (unlike the others)");
        }
        if (fit->handoff_zero)
            fprintf(f, "  # %zu of them took no time or overlapped the visit before (taken as half a second)\n",
                    fit->handoff_zero);
    }
    if (fit->weekdays_differ) {
        static const char *const day_names[7] = {"Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays",
                                                 "Saturdays", "Sundays"};
        fprintf(f, "\n# The weekdays' arrivals differ (quasi-Poisson F test, p = %.2g): each weekday is a variant\n"
                   "# with its own rates (cxsim compare runs them all); the baseline above is every day's mean.\n"
                   "variants:\n", fit->weekday_p);
        for (int w = 0; w < 7; w++) {
            if (!fit->ndays_by_weekday[w])
                continue;
            fprintf(f, "  - name: %s                # %zu days\n    set:\n", day_names[w], fit->ndays_by_weekday[w]);
            for (size_t k = 0; k < fit->nclasses; k++) {
                if (fit->classes[k].journeys == 0)
                    continue;
                fputs("      customers.", f);
                fputs(fit->classes[k].name, f);
                fputs(".arrivals.per_hour:\n", f);
                rates(f, fit, fit->classes[k].weekday_rate + (size_t)w * fit->nbins, "        ");
            }
        }
    }
    fclose(f);
    char *fitted = reflow(text, *len, len);
    free(text);
    return fitted;
}

char *mdl_fit_warnings(const struct mdl_fit *fit)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    for (size_t k = 0; k < fit->nclasses; k++)
        if (fit->classes[k].overdispersed)
            fprintf(f, "%s: arrivals vary more than Poisson's in %zu interval%s (the file says where)\n",
                    fit->classes[k].name,
                    fit->classes[k].overdispersed, fit->classes[k].overdispersed == 1 ? "" : "s");
    for (size_t d = 0; d < fit->ndepts; d++) {
        const struct mdl_fit_dept *dp = &fit->depts[d];
        if (dp->served == 0)
            fprintf(f, "%s: nobody was served there: its service time is a placeholder to set\n", dp->name);
        else if (dp->service.n && dp->service.empirical)
            fprintf(f, "%s: no distribution fits the service times: written as their quantiles\n", dp->name);
        for (size_t k = 0; k < fit->nclasses; k++)
            if (dp->by_class[k].n && dp->by_class[k].empirical && dp->default_class != k)
                fprintf(f, "%s, %s: no distribution fits the service times: written as their quantiles\n", dp->name,
                        fit->classes[k].name);
        if (!dp->staff_named)
            fprintf(f, "%s: staff estimated from the services seen at once (no staff column): check it\n",
                    dp->name);
    }
    if (fit->handoff.n && fit->handoff.empirical)
        fputs("handoffs: no distribution fits the walks: written as their quantiles\n", f);
    for (size_t p = 0; p < fit->npairs; p++)
        if (fit->pairs[p].d.empirical)
            fprintf(f, "handoffs %s->%s: no distribution fits the walks: written as their quantiles\n",
                    fit->depts[fit->pairs[p].from].name, fit->depts[fit->pairs[p].to].name);
    if (fit->by_weekday_asked && !isfinite(fit->weekday_p))
        fputs("--by-weekday: the weekdays were not compared: too few days of each\n", f);
    fclose(f);
    return text;
}
