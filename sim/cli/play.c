/* sim/cli/play.c — a workshop's live day (play) and one customer's story
 * now and in the baseline (story), for workshop.c (play.h).
 *
 * Both replay the first day of the session's days through the flow model's
 * trace (models/flow.h): the very day `run` measures first. play keeps a
 * count per department from the events and draws it (output/play.h) as the
 * clock passes at the chosen pace: in place on a terminal that can draw, as
 * plain lines every business hour otherwise (not a terminal, TERM=dumb,
 * NO_COLOR). Any key pauses and resumes; Ctrl-C stops the play.
 */
#include "sim/cli/play.h"
#include "sim/cli/cli.h"
#include "sim/cli/results.h"

#include "models/flow.h"
#include "models/load.h"
#include "models/warmup.h"
#include "models/scenario.h"
#include "output/play.h"
#include "output/report.h"
#include "output/trace.h"

#include <math.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

/* ---- story ------------------------------------------------------------- */

struct story {
    struct out_trace *t;
    const char *cls;
    unsigned long id;
    char outcome[256];
};

static void story_event(void *ctx, const struct mdl_event *ev)
{
    struct story *st = ctx;
    struct out_trace_event told = cli_results_event(ev);
    out_trace_event(st->t, &told);
    if (!ev->who.cls || ev->who.request || strcmp(ev->who.cls, st->cls) || ev->who.id != st->id)
        return;
    char d[32];
    switch (ev->kind) {
    case MDL_EV_EXIT:
        snprintf(st->outcome, sizeof st->outcome, "served, after %s inside", out_trace_span(d, sizeof d, ev->dur));
        break;
    case MDL_EV_RENEGE:
        snprintf(st->outcome, sizeof st->outcome, "gave up at %s after %s", ev->dept, out_trace_span(d, sizeof d, ev->dur));
        break;
    case MDL_EV_BALK:
        snprintf(st->outcome, sizeof st->outcome, "turned back at %s at the sight of the queue", ev->dept);
        break;
    case MDL_EV_BLOCK:
        snprintf(st->outcome, sizeof st->outcome, "found no room to wait at %s", ev->dept);
        break;
    case MDL_EV_SENT_HOME:
        snprintf(st->outcome, sizeof st->outcome, "sent home at closing after %s inside",
                 out_trace_span(d, sizeof d, ev->dur));
        break;
    default:
        break;
    }
}

/* Tells customer cls#id's first day under s; its outcome into out. */
static void tell(const struct mdl_scenario *s, uint64_t seed, const char *cls, unsigned long id, const char *title,
                 const char *subtitle, char *out, size_t len)
{
    struct out_trace_filter filter = {.customer_cls = cls, .customer_id = id, .from_at = NAN, .to_at = NAN};
    struct story st = {out_trace_create(OUT_TRACE_TEXT, &filter, s->is_day, title, subtitle, stdout), cls, id, ""};
    struct mdl_flow_stats stats;
    mdl_flow_trace(s, seed, 0, story_event, &st, &stats);
    struct sim_err err;
    sim_err_init(&err);
    out_trace_finish(st.t, &err);
    snprintf(out, len, "%s", st.outcome[0] ? st.outcome : "never came that day");
}

void cli_workshop_story(const struct cli *cli, const char *const *base_sets, size_t nbase,
                        const struct mdl_scenario *s, uint64_t seed, const char *args)
{
    char cls[64] = "";
    const char *hash = strchr(args, '#'), *num = hash ? hash + 1 : args;
    long n = 0;   /* decimal digits only: "story -1" is no customer */
    bool numbered = cli_parse_count(num, 1, 4000000000, &n);
    unsigned long id = (unsigned long)n;
    if (hash && (size_t)(hash - args) < sizeof cls)
        snprintf(cls, sizeof cls, "%.*s", (int)(hash - args), args);
    else
        for (size_t c = 0; c < s->nclasses && !cls[0]; c++)   /* the first external class */
            if (!s->classes[c].internal)
                snprintf(cls, sizeof cls, "%s", s->classes[c].name);
    if (!numbered || mdl_scenario_class(s, cls) < 0) {
        printf("story needs a customer, as in: story %s#17 (or story 17)\n", s->classes[0].name);
        return;
    }
    const struct cli_source *src = &cli->scenario;
    struct sim_err err;
    sim_err_init(&err);
    struct mdl_scenario *base = NULL;
    if (mdl_load_scenario(src->name, src->text, src->len, base_sets, nbase, &base, &err))
        return;
    mdl_warmup_choose(base, seed);
    char now[256], before[256], title[128], subtitle[160];
    snprintf(title, sizeof title, "%s #%lu now", cls, id);
    snprintf(subtitle, sizeof subtitle, "Day 1 of seed %llu, with the changes made so far", (unsigned long long)seed);
    tell(s, seed, cls, id, title, subtitle, now, sizeof now);
    printf("\n");
    snprintf(title, sizeof title, "%s #%lu in the baseline", cls, id);
    snprintf(subtitle, sizeof subtitle, "Day 1 of seed %llu, as in the scenario file", (unsigned long long)seed);
    tell(base, seed, cls, id, title, subtitle, before, sizeof before);
    mdl_scenario_destroy(base);
    printf("\n");
    if (!strcmp(now, before))
        printf("%s #%lu, the same in both: %s.\n", cls, id, now);
    else
        printf("In the baseline %s #%lu %s; now: %s.\n", cls, id, before, now);
}

/* ---- play -------------------------------------------------------------- */

struct play {
    const struct mdl_scenario *s;
    struct out_play_dept *d;
    double speed;            /* business minutes a second; 0: as fast as it goes */
    double shown_at, line_at;   /* the clock drawn; the next plain line */
    double last_at;             /* the last event's instant */
    bool ansi, keys, first, paused, stop;
    long bar_max, width;     /* queue bars fit the terminal's width */
    long served, lost;
    char news[OUT_PLAY_NEWS][160];
};

static int dept_of(const struct play *p, const char *name)
{
    for (size_t d = 0; name && d < p->s->ndepts; d++)
        if (!strcmp(p->d[d].name, name))
            return (int)d;
    return -1;
}

static void frame(struct play *p)
{
    struct out_play_frame fr = {p->shown_at, p->s->is_day, p->paused, p->s->ndepts, p->d, p->served, p->lost,
                                {NULL}, p->bar_max, p->width};
    for (int i = 0; i < OUT_PLAY_NEWS; i++)
        fr.news[i] = p->news[i][0] ? p->news[i] : NULL;
    if (p->ansi) {
        out_play_draw(stdout, &fr, p->first);
        p->first = false;
    } else {
        out_play_line(stdout, &fr);
    }
}

/* Waits `seconds`, drawing the pause when a key asks for one. */
static void wait_frame(struct play *p, double seconds)
{
    struct pollfd in = {STDIN_FILENO, POLLIN, 0};
    int ms = (int)(seconds * 1000);
    for (;;) {
        if (cli_workshop_interrupted) {
            p->stop = true;
            return;
        }
        int ready = p->keys ? poll(&in, 1, p->paused ? 200 : ms) : 0;
        if (!p->keys && ms > 0)
            nanosleep(&(struct timespec){ms / 1000, (long)(ms % 1000) * 1000000L}, NULL);
        if (ready > 0) {
            char c;
            if (read(STDIN_FILENO, &c, 1) == 1) {
                p->paused = !p->paused;
                frame(p);
            }
            continue;
        }
        if (!p->paused)
            return;
    }
}

/* Lets the clock reach `at`, frame by frame at the pace. */
static void advance(struct play *p, double at)
{
    if (p->ansi) {
        double step = p->speed > 0 ? p->speed / 10 : 15;   /* ten frames a second */
        while (!p->stop && p->shown_at + step <= at) {
            p->shown_at += step;
            frame(p);
            if (p->speed > 0)
                wait_frame(p, 0.1);
        }
    } else {
        while (!p->stop && p->line_at < at) {   /* a line every business hour, its events told */
            double wait = p->speed > 0 ? (p->line_at - p->shown_at) / p->speed : 0;
            p->shown_at = p->line_at;
            if (wait > 0)
                wait_frame(p, wait);
            frame(p);
            p->line_at += 60;
        }
    }
    p->last_at = at;
}

static void news(struct play *p, const struct mdl_event *ev, const char *what)
{
    char clock[16], d[32];
    memmove(p->news[1], p->news[0], sizeof p->news[0] * (OUT_PLAY_NEWS - 1));
    snprintf(p->news[0], sizeof p->news[0], "%s  %s #%lu %s at %s%s%s", out_clock(clock, sizeof clock, ev->at),
             ev->who.cls, ev->who.id, what, ev->dept, isfinite(ev->dur) ? " after " : "",
             isfinite(ev->dur) ? out_trace_span(d, sizeof d, ev->dur) : "");
    if (!p->ansi)
        printf("  %s\n", p->news[0]);
}

/* The one who served ev's customer is free: one of its own, or a pool's. */
static void release(struct out_play_dept *dp, const struct mdl_event *ev)
{
    if (ev->pool && dp->helping > 0)
        dp->helping--;
    else if (!ev->pool && dp->busy > 0)
        dp->busy--;
}

static void play_event(void *ctx, const struct mdl_event *ev)
{
    struct play *p = ctx;
    if (p->stop)
        return;
    advance(p, ev->at);
    int d = dept_of(p, ev->dept);
    struct out_play_dept *dp = d >= 0 ? &p->d[d] : NULL;
    bool external = ev->who.cls && !ev->who.internal;
    switch (ev->kind) {
    case MDL_EV_ARRIVE:
        dp->waiting++;
        break;
    case MDL_EV_START:
        dp->waiting -= dp->waiting > 0;
        if (ev->pool)   /* a pool member, not one of its own */
            dp->helping++;
        else
            dp->busy++;
        break;
    case MDL_EV_FINISH:
        release(dp, ev);
        break;
    case MDL_EV_RENEGE:
    case MDL_EV_BALK:
    case MDL_EV_BLOCK:
        dp->waiting -= dp->waiting > 0;
        dp->gave_up++;
        p->lost += external;
        if (external)
            news(p, ev, ev->kind == MDL_EV_RENEGE ? "gave up" : ev->kind == MDL_EV_BALK ? "turned back" : "found no room");
        break;
    case MDL_EV_SENT_HOME:
        if (dp && dp->waiting > 0)
            dp->waiting--;
        else if (dp)
            release(dp, ev);
        p->lost += external;
        break;
    case MDL_EV_EXIT:
        p->served += external;
        break;
    default:
        if (dp && mdl_event_tells_staff(ev->kind))   /* a department's own staff (a pool's serve where
                                                         their customers are) */
            dp->on_duty = ev->count;
        break;
    }
}

void cli_workshop_play(const struct mdl_scenario *s, uint64_t seed, const char *args)
{
    struct play p = {.s = s, .first = true};
    p.speed = s->workshop.speed;
    if (!strcmp(args, "max"))
        p.speed = 0;
    else if (*args && (!cli_parse_number(args, &p.speed) || p.speed <= 0)) {
        fputs("play takes a speed in business minutes a second (as in play 12: an hour in 5 s) or max, got '", stdout);
        sim_err_put_text(stdout, args);
        fputs("'\n", stdout);
        return;
    }
    const char *term = getenv("TERM");
    p.ansi = isatty(STDOUT_FILENO) && term && strcmp(term, "dumb") && !getenv("NO_COLOR");
    p.keys = p.ansi && isatty(STDIN_FILENO);
    p.d = sim_xcalloc(s->ndepts, sizeof *p.d);
    /* a line is the name, the waiting, the bar, the staff ("staff 10 of
     * 10 busy", and "+1 floater" where a pool helps) and those who gave up;
     * a line with more (someone finishing off duty) shortens its bar */
    long figures = 0, name = 8;
    for (size_t d = 0; d < s->ndepts; d++) {
        p.d[d].name = s->depts[d].name;
        long pools = 0, pool_len = 4;
        for (size_t k = 0; k < s->npools; k++)
            for (size_t j = 0; j < s->pools[k].nserves; j++)
                if (s->pools[k].serves[j] == (int)d) {
                    p.d[d].pool = s->pools[k].name;
                    pool_len = (long)strlen(s->pools[k].name);
                    pools++;
                }
        if (pools > 1)
            p.d[d].pool = NULL;
        long these = 20 + (pools ? 4 + (pools > 1 ? 4 : pool_len) : 0) + 13;
        figures = these > figures ? these : figures;
        name = (long)strlen(s->depts[d].name) > name ? (long)strlen(s->depts[d].name) : name;
    }
    struct winsize ws;
    p.width = p.ansi && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0 ? (long)ws.ws_col : 0;
    long room = p.width > 0 ? p.width - name - 15 - figures : 30;
    p.bar_max = room < 5 ? 5 : room > 30 ? 30 : room;
    p.shown_at = p.line_at = s->is_day ? s->open_at : 0;
    struct termios saved, raw;
    if (p.keys && tcgetattr(STDIN_FILENO, &saved) == 0) {
        raw = saved;
        raw.c_lflag &= (tcflag_t) ~(ICANON | ECHO);
        raw.c_cc[VMIN] = 0;
        raw.c_cc[VTIME] = 0;
        tcsetattr(STDIN_FILENO, TCSANOW, &raw);
    } else {
        p.keys = false;
    }
    cli_workshop_interrupted = 0;
    if (!p.ansi)
        printf("Day 1, seed %llu, %s\n", (unsigned long long)seed,
               p.speed > 0 ? "one line every business hour" : "as fast as it goes");
    struct mdl_flow_stats stats;
    mdl_flow_trace(s, seed, 0, play_event, &p, &stats);
    if (!p.stop) {   /* the day's last event */
        p.shown_at = p.last_at;
        frame(&p);
    }
    if (p.keys)
        tcsetattr(STDIN_FILENO, TCSANOW, &saved);
    printf("%s: %ld customers served, %ld gave up or were turned away.\n", p.stop ? "Stopped" : "The day is over",
           p.served, p.lost);
    cli_workshop_interrupted = 0;
    free(p.d);
}
