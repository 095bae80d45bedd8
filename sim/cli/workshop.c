/* sim/cli/workshop.c — `cxsim workshop`: play a day, change the staffing,
 * replay the same day, keep score (docs/workshop.md).
 *
 * A session holds the scenario with the current changes, the changes (a
 * stack of PATH=VALUE or PATH+=N overrides, checked like --set; undo pops
 * one and rebuilds the scenario from the file's text, so a relative change
 * is taken back exactly, no replaced scenario is kept and memory does not
 * grow with changes), and the attempts run so far:
 * attempt 0 is the baseline, run before the first comparison. Every attempt
 * runs the same days on the same random numbers (the scenario's seed, days
 * 1 .. workshop.days), so a difference between two attempts comes from the
 * change alone, and teams on other machines with the same scenario see the
 * same customers.
 *
 * Commands come from the terminal (libedit: line editing and history) or,
 * the same, from a pipe; each is echoed after the prompt when stdin is not
 * a terminal, so a scripted session reads as a transcript. What the
 * session prints back of its input (a command, a change, a file name) is
 * printable text only, as errors are (sim_err_text_char). A bad command
 * prints its error and the session goes on; Ctrl-C stops a play, not the
 * session. The live view and the stories are play.c. show wraps at words
 * to the terminal's width; save writes the scenario file's own text with
 * the changes written in (models/yedit.h); clear and Ctrl-L clear the
 * screen. The command line's --set are the baseline's: first among the
 * changes, never undone.
 */
#include "sim/cli/cli.h"
#include "sim/cli/results.h"
#include "sim/cli/play.h"

#include "models/describe.h"
#include "models/load.h"
#include "models/override.h"
#include "models/plans.h"
#include "models/warmup.h"
#include "models/run.h"
#include "models/scenario.h"
#include "models/workshop.h"
#include "models/yedit.h"
#include "output/file.h"
#include "output/verdict.h"
#include "output/workshop.h"

#include <editline/readline.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

/* One run of the days: the changes it had, its results, its score. */
struct cli_attempt {
    unsigned n;              /* 0: the baseline */
    char name[32];
    char **sets;             /* its changes, PATH=VALUE (owned) */
    size_t nsets;
    struct out_plan plan;    /* in the session's arena */
    struct mdl_score score;
};

struct cli_workshop {
    const struct cli *cli;   /* the program: the scenario file's text */
    struct mdl_scenario *s;  /* the scenario with the current changes */
    char **sets;             /* the current changes (owned), room for one more: first the
                                command line's --set, which undo never takes back */
    size_t nsets, nbase, cap;
    struct cli_attempt *att; /* att[0]: the baseline, once run */
    size_t natt, capatt;
    uint64_t seed;
    unsigned days;
    struct sim_arena *arena;
};

static const char *const commands[] = {"show", "set", "undo", "play", "run", "story", "score", "save", "clear", "help", "quit"};

volatile sig_atomic_t cli_workshop_interrupted;

static void on_sigint(int sig)
{
    (void)sig;
    cli_workshop_interrupted = 1;
}

/* ---- the scenario and its changes -------------------------------------- */

/* Loads the scenario with the current changes plus `extra` (NULL: none)
 * into *out. On failure prints the error where the user wrote it. */
static int load(struct cli_workshop *w, const char *extra, struct mdl_scenario **out)
{
    const struct cli_source *src = &w->cli->scenario;
    struct sim_err err;
    sim_err_init(&err);
    if (extra)
        w->sets[w->nsets] = (char *)extra;
    int rc = mdl_load_scenario(src->name, src->text, src->len, (const char *const *)w->sets,
                               w->nsets + (extra != NULL), out, &err);
    if (rc == SIM_OK) {
        mdl_warmup_choose(*out, w->seed);
        return SIM_OK;
    }
    if (!strcmp(err.file, MDL_SET_SOURCE) && extra) {
        /* in the command as typed: "set PATH VALUE" (the '=' is the space),
         * or "set PATH+=N" */
        char line[1024];
        snprintf(line, sizeof line, "set %s", extra);
        char *eq = strchr(line + 4, '=');
        if (eq && !strchr("+-*", eq[-1]))
            *eq = ' ';
        snprintf(err.file, sizeof err.file, "set");
        err.line = 1;
        err.col += 4;
        sim_err_print(&err, stdout, CLI_PROG, line, strlen(line));
    } else {
        sim_err_print(&err, stdout, CLI_PROG, src->text, src->len);
    }
    return rc;
}

/* Makes s the current scenario and destroys the one it replaces: undo
 * needs only the changes (w->sets), and the attempts' results own their
 * names (sim/cli/results.h), so a session's memory does not grow with its
 * changes. */
static void retire(struct cli_workshop *w, struct mdl_scenario *s)
{
    mdl_scenario_destroy(w->s);
    w->s = s;
}

/* Makes s printable in place: each character that may not reach a
 * terminal as it is (sim_err_text_char) becomes one '?'. */
static void make_printable(char *s)
{
    size_t len = strlen(s), out = 0;
    for (size_t i = 0; i < len;) {
        enum sim_err_text kind;
        size_t n = sim_err_text_char(s + i, len - i, &kind);
        if (kind == SIM_ERR_TEXT_PRINTABLE)
            memmove(s + out, s + i, n);
        else
            s[out] = '?';
        out += kind == SIM_ERR_TEXT_PRINTABLE ? n : 1;
        i += n;
    }
    s[out] = '\0';
}

/* The changes, "credit.staff=4, sales.staff=5", or "no change": printable
 * text whatever the changes hold (a comment after a value may hold any). */
static const char *changes_text(char *const *sets, size_t n, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n && used + 8 < len; i++) {
        const char *s = sets[i];
        if (!strncmp(s, "departments.", 12))
            s += 12;
        else if (!strncmp(s, "customers.", 10))
            s += 10;
        used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? ", " : "", s);
    }
    if (!n)
        snprintf(buf, len, "no change");
    make_printable(buf);
    return buf;
}

/* The change "set ARGS" asks for, as --set writes it (owned), or NULL:
 * "PATH VALUE" is PATH=VALUE; "PATH += N" (-=, *=, =; spaces around the
 * operator or not) is PATH+=N. An '=' after a space belongs to the value
 * ("set name a=b" sets name to a=b). */
static char *change_of(const char *args)
{
    const char *eq = strchr(args, '='), *sp = strpbrk(args, " \t");
    size_t plen = eq ? (size_t)(eq - args) : 0;
    if (eq && plen && strchr("+-*", args[plen - 1]))
        plen--;
    while (plen && (args[plen - 1] == ' ' || args[plen - 1] == '\t'))
        plen--;
    if (eq && plen && (!sp || sp >= args + plen)) {   /* PATH OP VALUE */
        const char *op = args + plen + strspn(args + plen, " \t");
        const char *value = eq + 1 + strspn(eq + 1, " \t");
        if (!*value)
            return NULL;
        size_t oplen = (size_t)(eq + 1 - op);
        char *set = sim_xmalloc(plen + oplen + strlen(value) + 1);
        sprintf(set, "%.*s%.*s%s", (int)plen, args, (int)oplen, op, value);
        return set;
    }
    if (!*args || !sp || !sp[1])
        return NULL;
    char *set = sim_xstrdup(args);
    set[sp - args] = '=';
    return set;
}

static void cmd_set(struct cli_workshop *w, const char *args)
{
    char *set = change_of(args);
    if (!set) {
        printf("set needs a path and a value, as in: set departments.credit.staff 4\n");
        return;
    }
    if (w->nsets + 2 > w->cap) {
        w->cap = 2 * w->cap + 4;
        w->sets = sim_xreallocarray(w->sets, w->cap, sizeof *w->sets);
    }
    struct mdl_scenario *s = NULL;
    if (load(w, set, &s)) {
        free(set);
        return;
    }
    w->sets[w->nsets++] = set;
    cli_print_warnings(s, w->s, stdout);   /* what this change left unused, said once */
    retire(w, s);
    char buf[1024];
    printf("changed: %s (run to see what it does; undo takes it back)\n",
           changes_text(w->sets + w->nsets - 1, 1, buf, sizeof buf));
}

static void cmd_undo(struct cli_workshop *w)
{
    if (w->nsets == w->nbase) {
        printf("nothing to undo: this is the baseline\n");
        return;
    }
    char buf[1024];
    printf("undone: %s\n", changes_text(w->sets + w->nsets - 1, 1, buf, sizeof buf));
    free(w->sets[--w->nsets]);
    struct mdl_scenario *s = NULL;
    if (load(w, NULL, &s) == SIM_OK)
        retire(w, s);
}

/* The terminal's width, or 80 when stdout is not a terminal. */
static int text_width(void)
{
    struct winsize ws;
    if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20)
        return ws.ws_col;
    return 80;
}

/* The description check prints, wrapped at words to the terminal's width. */
static void cmd_show(struct cli_workshop *w)
{
    struct sim_err err;
    sim_err_init(&err);
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f)
        sim_oom(0);
    struct mdl_plans *plans = NULL;
    mdl_plans_read(w->s, &plans, &err);   /* named as check names them; none is built */
    mdl_describe(w->s, plans, f, &err);
    mdl_plans_destroy(plans);
    char buf[2048];
    fprintf(f, "\nChanges from the scenario file: %s\n", changes_text(w->sets, w->nsets, buf, sizeof buf));
    if (fclose(f))
        sim_oom(0);
    out_workshop_wrap(text, len, text_width(), stdout);
    free(text);
}

/* ---- attempts ---------------------------------------------------------- */

/* Runs the current plan as a new attempt; returns it. */
static struct cli_attempt *new_attempt(struct cli_workshop *w)
{
    if (w->natt == w->capatt) {
        w->capatt = 2 * w->capatt + 4;
        w->att = sim_xreallocarray(w->att, w->capatt, sizeof *w->att);
    }
    struct cli_attempt *a = &w->att[w->natt];
    memset(a, 0, sizeof *a);
    a->n = (unsigned)w->natt;
    snprintf(a->name, sizeof a->name, a->n ? "attempt %u" : "baseline", a->n);
    a->nsets = w->nsets - w->nbase;   /* its changes from the baseline */
    a->sets = sim_xcalloc(a->nsets + 1, sizeof *a->sets);
    for (size_t i = 0; i < a->nsets; i++)
        a->sets[i] = sim_xstrdup(w->sets[w->nbase + i]);
    struct mdl_run_totals totals;
    cli_results_run(w->s, a->name, w->seed, w->days, 0, w->arena, &a->plan, NULL, &totals);
    struct mdl_score_inputs in = cli_results_score_inputs(&a->plan);
    a->score = mdl_workshop_score(w->s, &in);
    w->natt++;
    return a;
}

/* The baseline: attempt 0, run the first time it is needed. */
static struct cli_attempt *baseline(struct cli_workshop *w)
{
    if (w->natt)
        return &w->att[0];
    size_t keep = w->nsets;
    struct mdl_scenario *cur = w->s, *base = NULL;
    w->nsets = w->nbase;
    if (load(w, NULL, &base)) {
        w->nsets = keep;
        return NULL;
    }
    w->s = base;
    new_attempt(w);
    retire(w, cur);   /* back to the current plan; the baseline's scenario goes */
    w->nsets = keep;
    return &w->att[0];
}

static void report_of(const struct cli_workshop *w, struct out_report *r, struct out_plan *plans, size_t n)
{
    memset(r, 0, sizeof *r);
    r->scenario = w->s->name;
    r->is_day = w->s->is_day;
    r->open_at = w->s->open_at;
    r->close_at = w->s->close_at;
    r->replications = w->days;
    r->seed = w->seed;
    r->plans = plans;
    r->nplans = n;
    r->compared = n > 1;
}

/* The attempt's score as the writer takes it (changes in buf). */
static struct out_score score_of(const struct cli_attempt *a, char *buf, size_t len)
{
    return (struct out_score){a->name, changes_text(a->sets, a->nsets, buf, len), a->score.total, a->score.staff,
                              a->score.lost, a->score.waiting, a->score.dissatisfaction};
}

static void cmd_run(struct cli_workshop *w)
{
    struct cli_attempt *base = baseline(w);
    if (!base)
        return;
    struct cli_attempt *a = w->nsets == w->nbase && w->natt == 1 ? base : new_attempt(w);
    base = &w->att[0];   /* new_attempt may have moved the array */
    char buf[2048];
    printf("%s: %s, %u %s on seed %llu\n", a->name, changes_text(a->sets, a->nsets, buf, sizeof buf), w->days,
           w->s->is_day ? "days" : "runs", (unsigned long long)w->seed);
    struct out_report r;
    report_of(w, &r, &a->plan, 1);
    out_workshop_sentences(&r, &a->plan, stdout);
    if (a->n > 0) {
        char sentence[1024];
        struct out_plan pair[2];
        const struct cli_attempt *prev = &w->att[a->n - 1];
        if (prev->n > 0) {
            pair[0] = prev->plan;
            pair[1] = a->plan;
            cli_results_pair(&pair[0], &pair[1], w->days, w->arena);
            report_of(w, &r, pair, 2);
            char against[64];
            snprintf(against, sizeof against, "Against %s", prev->name);
            pair[1].name = against;
            printf("\n");
            out_workshop_bullet(out_verdict(&r, &pair[1], sentence, sizeof sentence), stdout);
        }
        pair[0] = base->plan;
        pair[1] = a->plan;
        cli_results_pair(&pair[0], &pair[1], w->days, w->arena);
        report_of(w, &r, pair, 2);
        pair[1].name = "Against the baseline";
        if (prev->n == 0)
            printf("\n");
        out_workshop_bullet(out_verdict(&r, &pair[1], sentence, sizeof sentence), stdout);
    }
    printf("\n");
    struct out_score sc = score_of(a, buf, sizeof buf);
    out_workshop_score(&sc, stdout);
}

static int by_score(const void *x, const void *y)
{
    const struct cli_attempt *a = *(const struct cli_attempt *const *)x, *b = *(const struct cli_attempt *const *)y;
    return (a->score.total > b->score.total) - (a->score.total < b->score.total);
}

static void cmd_score(struct cli_workshop *w)
{
    if (!baseline(w))
        return;
    const struct cli_attempt **order = sim_xmalloc(w->natt * sizeof *order);
    for (size_t i = 0; i < w->natt; i++)
        order[i] = &w->att[i];
    qsort(order, w->natt, sizeof *order, by_score);
    struct out_score *scores = sim_xmalloc(w->natt * sizeof *scores);
    const struct out_score **ranked = sim_xmalloc(w->natt * sizeof *ranked);
    char (*changes)[2048] = sim_xmalloc(w->natt * sizeof *changes);
    for (size_t i = 0; i < w->natt; i++) {
        scores[i] = score_of(order[i], changes[i], sizeof changes[i]);
        ranked[i] = &scores[i];
    }
    out_workshop_leaderboard(ranked, w->natt, w->s->workshop.wait_price, w->s->workshop.dissatisfaction_price, stdout);
    free(changes);
    free(ranked);
    free(scores);
    free(order);
}

/* ---- save -------------------------------------------------------------- */

/* The saved file's first lines, comments: where it comes from and its
 * changes, one a line, wrapped within 100 columns. */
static char *save_header(const struct cli_workshop *w)
{
    char *plain = NULL, *header = NULL;
    size_t plen = 0, hlen = 0;
    FILE *f = open_memstream(&plain, &plen);
    if (!f)
        sim_oom(0);
    fputs("Saved by cxsim workshop from ", f);
    sim_err_put_text(f, w->cli->scenario.name);   /* a newline in it would end the comment */
    fprintf(f, w->nsets ? ", with these changes:\n" : ", with no change\n");
    for (size_t i = 0; i < w->nsets; i++) {   /* as --set takes them */
        char *change = sim_xstrdup(w->sets[i]);
        make_printable(change);
        fprintf(f, "  %s\n", change);
        free(change);
    }
    if (fclose(f))
        sim_oom(0);
    char *wrapped = NULL;
    size_t wlen = 0;
    f = open_memstream(&wrapped, &wlen);
    if (!f)
        sim_oom(0);
    out_workshop_wrap(plain, plen, 98, f);
    if (fclose(f))
        sim_oom(0);
    f = open_memstream(&header, &hlen);
    if (!f)
        sim_oom(0);
    for (char *line = wrapped, *nl; *line; line = nl + 1) {
        nl = strchr(line, '\n');
        fprintf(f, "# %.*s\n", (int)(nl - line), line);
    }
    if (fclose(f))
        sim_oom(0);
    free(wrapped);
    free(plain);
    return header;
}

static void cmd_save(struct cli_workshop *w, const char *path)
{
    if (!*path) {
        printf("save needs a file name, as in: save plan.yaml\n");
        return;
    }
    struct sim_err err;
    sim_err_init(&err);
    /* the scenario file's own text, with the values the changes changed
     * written where they stood (models/yedit.h): its comments and layout
     * kept, under a line saying what changed */
    char *header = save_header(w);
    const struct cli_source *src = &w->cli->scenario;
    char *text = NULL;
    size_t len = 0;
    bool in_place = false;
    int rc = mdl_yedit(src->text, src->len, mdl_scenario_document(w->s), header, &text, &len, &in_place, &err);
    free(header);
    struct out_file o;
    if (rc || out_file_open(&o, path, &err)) {
        sim_err_print(&err, stdout, CLI_PROG, NULL, 0);
        free(text);
        return;
    }
    bool written = fwrite(text, 1, len, o.f) == len;
    free(text);
    if (out_file_close(&o, written && !ferror(o.f), &err) == SIM_OK) {
        fputs("saved the current plan as ", stdout);
        sim_err_put_text(stdout, path);
        fputs(" (cxsim run ", stdout);
        sim_err_put_text(stdout, path);
        fputs(" runs it)\n", stdout);
        if (!in_place)   /* the text could not be edited in place: written anew */
            printf("(written anew from the plan: the scenario file's comments and layout could not be kept)\n");
    } else
        sim_err_print(&err, stdout, CLI_PROG, NULL, 0);
}

/* ---- the session ------------------------------------------------------- */

static void cmd_help(void)
{
    printf("Commands:\n"
           "  show               the business in plain words, and the changes made so far\n"
           "  set PATH VALUE     change one number or schedule, as in:\n"
           "                       set departments.credit.staff 4\n"
           "                       set departments.sales.staff [{at: \"09:00\", count: 2}]\n"
           "  set PATH += N      add N to every number PATH holds (each step of a\n"
           "                     schedule); -= N takes away, *= X multiplies, as in:\n"
           "                       set departments.credit.staff += 1\n"
           "  undo               take the last change back\n"
           "  play [SPEED|max]   watch the first day unfold; SPEED in business minutes a\n"
           "                     second (default: the scenario's workshop.speed); any key\n"
           "                     pauses, Ctrl-C stops\n"
           "  run                run the days of every attempt with the changes; compare\n"
           "  story CUSTOMER     one customer's day now and in the baseline, as in:\n"
           "                       story buyer#17\n"
           "  score              the leaderboard of every attempt\n"
           "  save FILE          write the current plan as a scenario file\n"
           "  clear              clear the screen (Ctrl-L too, while typing)\n"
           "  help, quit\n");
}

/* Clears a terminal's screen, the cursor to its top (what Ctrl-L does
 * while typing); its scrollback stays. Not a terminal (a pipe, a file:
 * a transcript) or a dumb one: nothing, as there is no screen to clear and
 * an escape sequence would only litter the transcript. */
static void cmd_clear(void)
{
    const char *term = getenv("TERM");
    if (isatty(STDOUT_FILENO) && term && *term && strcmp(term, "dumb"))
        fputs("\033[H\033[2J", stdout);
}

/* One command line; returns false to end the session. */
static bool dispatch(struct cli_workshop *w, char *line)
{
    while (*line == ' ' || *line == '\t')
        line++;
    size_t n = strlen(line);
    while (n && (line[n - 1] == ' ' || line[n - 1] == '\t' || line[n - 1] == '\n' || line[n - 1] == '\r'))
        line[--n] = '\0';
    if (!*line || *line == '#')
        return true;
    char word[32];
    size_t k = strcspn(line, " \t");
    snprintf(word, sizeof word, "%.*s", (int)(k < sizeof word - 1 ? k : sizeof word - 1), line);
    const char *args = line + k;
    while (*args == ' ' || *args == '\t')
        args++;
    if (!strcmp(word, "quit") || !strcmp(word, "exit"))
        return false;
    if (!strcmp(word, "help"))
        cmd_help();
    else if (!strcmp(word, "show"))
        cmd_show(w);
    else if (!strcmp(word, "set"))
        cmd_set(w, args);
    else if (!strcmp(word, "undo"))
        cmd_undo(w);
    else if (!strcmp(word, "run"))
        cmd_run(w);
    else if (!strcmp(word, "score"))
        cmd_score(w);
    else if (!strcmp(word, "save"))
        cmd_save(w, args);
    else if (!strcmp(word, "clear"))
        cmd_clear();
    else if (!strcmp(word, "story"))
        cli_workshop_story(w->cli, (const char *const *)w->sets, w->nbase, w->s, w->seed, args);
    else if (!strcmp(word, "play"))
        cli_workshop_play(w->s, w->seed, args);
    else {
        const char *near = sim_err_suggest(word, commands, sizeof commands / sizeof *commands);
        fputs("unknown command '", stdout);
        sim_err_put_text(stdout, word);
        printf("'%s%s%s (help lists them)\n", near ? "; did you mean '" : "", near ? near : "", near ? "'?" : "");
    }
    fflush(stdout);
    return true;
}

static int cmd_workshop(struct cli *cli, int argc, char **argv)
{
    struct sim_err *err = &cli->err;
    static const struct option longs[] = {{"seed", required_argument, NULL, 's'},
                                          {"set", required_argument, NULL, 'S'},
                                          {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
    struct cli_scenario_opts so;
    cli_scenario_opts_init(&so, argc);
    int c;
    while ((c = cli_next_option(argc, argv, ":h", longs, "workshop", err)) != -1) {
        if (c == 'h') {
            cli_scenario_opts_fini(&so);
            return cli_help(&cli_workshop);
        }
        if (cli_scenario_option(c, &so, err) && !err->code)
            continue;
        if (err->code)
            break;
    }
    if (!err->code && argc - optind > 1)
        sim_err_set(err, SIM_EUSAGE, "workshop takes one scenario file, got '%s' too", argv[optind + 1]);
    struct cli_workshop w = {.cli = cli};
    if (err->code || cli_load_scenario(cli, optind < argc ? argv[optind] : NULL, &so, &w.s)) {
        cli_scenario_opts_fini(&so);
        return err->code;
    }
    cli_choose_warmup(&so, w.s);
    w.seed = so.have_seed ? so.seed : w.s->seed;
    w.days = mdl_workshop_days(w.s);
    w.arena = sim_arena_create(0);
    w.cap = so.nsets + 8;
    w.sets = sim_xcalloc(w.cap, sizeof *w.sets);
    for (size_t i = 0; i < so.nsets; i++)   /* the baseline is the file with them */
        w.sets[i] = sim_xstrdup(so.sets[i]);
    w.nsets = w.nbase = so.nsets;
    struct sigaction sa = {0};
    sa.sa_handler = on_sigint;
    sigaction(SIGINT, &sa, NULL);   /* no SA_RESTART: Ctrl-C ends a wait */
    bool tty = isatty(STDIN_FILENO);
    if (tty) {
        /* Ctrl-L clears the screen while typing, whatever ~/.editrc (or
         * $EDITRC) chose: vi mode leaves it unbound; read before this */
        rl_initialize();
        rl_parse_and_bind("bind ^L ed-clear-screen");
        rl_parse_and_bind("bind -a ^L ed-clear-screen");
    }
    char hello[512];
    int said = snprintf(hello, sizeof hello,
                        "cxsim workshop: %s. Every run replays the same %u %s (seed %llu). Type help for the commands.\n",
                        w.s->name, w.days, w.s->is_day ? "days" : "runs", (unsigned long long)w.seed);
    out_workshop_wrap(hello, said > 0 && (size_t)said < sizeof hello ? (size_t)said : strlen(hello), text_width(),
                      stdout);
    for (;;) {
        char *line = NULL;
        cli_workshop_interrupted = 0;
        if (tty) {
            line = readline("workshop> ");
            if (!line && cli_workshop_interrupted) {
                printf("\n(quit ends the workshop)\n");
                continue;
            }
            if (line && *line)
                add_history(line);
        } else {
            size_t cap = 0;
            if (getline(&line, &cap, stdin) < 0) {
                free(line);
                line = NULL;
            } else {   /* echoed as printable text: a line may hold an escape sequence */
                size_t n = strlen(line);
                while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
                    line[--n] = '\0';
                fputs("workshop> ", stdout);
                sim_err_put_text(stdout, line);
                fputc('\n', stdout);
            }
        }
        if (!line)
            break;
        bool go_on = dispatch(&w, line);
        free(line);
        if (!go_on)
            break;
    }
    if (ferror(stdout))
        sim_err_set(err, SIM_EIO, "cannot write to standard output");
    for (size_t i = 0; i < w.nsets; i++)
        free(w.sets[i]);
    free(w.sets);
    for (size_t i = 0; i < w.natt; i++) {
        for (size_t k = 0; k < w.att[i].nsets; k++)
            free(w.att[i].sets[k]);
        free(w.att[i].sets);
    }
    free(w.att);
    sim_arena_destroy(w.arena);
    mdl_scenario_destroy(w.s);
    cli_scenario_opts_fini(&so);
    signal(SIGINT, SIG_DFL);
    return err->code;
}

const struct cli_command cli_workshop = {
    "workshop", "play a day, change the staffing, replay the same day, keep score",
    "usage: cxsim workshop [SCENARIO] [--seed S] [--set PATH=VALUE]...\n"
    "\n"
    "An interactive session for a training workshop (docs/workshop.md): watch a day\n"
    "unfold, change one thing, replay the very same days, compare, and keep score.\n"
    "Commands come from the terminal or, the same, from a pipe; 'help' lists them.\n"
    "Without SCENARIO, the built-in dealership.\n",
    cmd_workshop};
