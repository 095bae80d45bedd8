/* sim/cli/room.c — a workshop room's state (see room.h). */
#include "sim/cli/room.h"

#include "models/load.h"
#include "models/override.h"
#include "models/scenario.h"
#include "models/warmup.h"
#include "models/workshop.h"
#include "output/json.h"
#include "output/shell.h"
#include "output/verdict.h"
#include "output/workshop.h"
#include "sim/cli/liveday.h"
#include "sim/cli/results.h"
#include "sim/mem.h"

#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct attempt {
    unsigned round;
    double score, staff, lost, waiting, dissatisfaction;
    size_t goals, met;
    char *changes;            /* "sales.staff=4; credit.staff+=1" (owned) */
    json_t *sets;             /* the same, as a list (owned reference) */
};

struct team {
    char name[ROOM_NAME_MAX + 1];
    char token[33];
    struct attempt att[ROOM_ATTEMPTS];
    size_t natt;
};

struct srv_room {
    const struct cli *cli;
    char *const *sets;        /* the command line's changes, before every attempt's */
    size_t nsets;
    char code[16], key[64];
    uint64_t seed;
    unsigned days;
    int jobs;                 /* threads for an attempt's days (0: every core) */
    pthread_mutex_t lock;
    pthread_cond_t changed;   /* signalled on every new version (CLOCK_MONOTONIC) */
    uint64_t version;
    double changed_ms;
    bool stopping;
    struct team teams[ROOM_TEAMS];
    size_t nteams;
    unsigned round;           /* rounds opened so far */
    bool open;
    struct sim_arena *arena;  /* the baseline's report */
    struct out_plan base;
    struct mdl_score base_score;
};

static int fail_with(struct srv_fail *fail, int status, const char *fmt, ...) SIM_PRINTF(3, 4);

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* The board changed: a new version, its waiters woken. Under the lock. */
static void bump(struct srv_room *room)
{
    room->version++;
    room->changed_ms = now_ms();
    pthread_cond_broadcast(&room->changed);
}
static int fail_with(struct srv_fail *fail, int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(fail->msg, sizeof fail->msg, fmt, ap);
    va_end(ap);
    fail->status = status;
    return status;
}


/* A score and its parts as JSON: {total, staff, lost, waiting, dissatisfaction}. */
static json_t *score_json(double total, double staff, double lost, double waiting, double dissatisfaction)
{
    json_t *j = json_object();
    json_object_set_new(j, "total", out_json_number(total));
    json_object_set_new(j, "staff", out_json_number(staff));
    json_object_set_new(j, "lost", out_json_number(lost));
    json_object_set_new(j, "waiting", out_json_number(waiting));
    json_object_set_new(j, "dissatisfaction", out_json_number(dissatisfaction));
    return j;
}

/* Compares two secrets in time that does not depend on where they differ. */
static bool same_secret(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    unsigned char d = (unsigned char)(la != lb);
    for (size_t i = 0; i < la && i < lb; i++)
        d |= (unsigned char)(a[i] ^ b[i]);
    return d == 0 && la > 0;
}

/* n (at most 32) random bytes into b. */
static void random_bytes(unsigned char *b, size_t n)
{
    int fd = open("/dev/urandom", O_RDONLY);
    ssize_t got = fd >= 0 ? read(fd, b, n) : -1;
    if (fd >= 0)
        close(fd);
    if (got != (ssize_t)n)
        abort();   /* no randomness: no secret worth the name */
}

/* n random bytes as 2 n hex digits into out. */
static void random_hex(char *out, size_t n)
{
    unsigned char b[32];
    random_bytes(b, n);
    for (size_t i = 0; i < n; i++)
        snprintf(out + 2 * i, 3, "%02x", b[i]);
}

/* A room code: six letters and digits a reader cannot confuse. */
static void random_code(char *out)
{
    static const char alphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    unsigned char b[6];
    random_bytes(b, sizeof b);
    for (size_t i = 0; i < 6; i++)
        out[i] = alphabet[b[i] % (sizeof alphabet - 1)];
    out[6] = '\0';
}

/* A team's or change's text is shown to others: printable, no markup. */
static bool printable_name(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > ROOM_NAME_MAX)
        return false;
    for (size_t i = 0; i < n;) {
        enum sim_err_text kind;
        size_t len = sim_err_text_char(s + i, n - i, &kind);
        if (kind != SIM_ERR_TEXT_PRINTABLE || s[i] == '<' || s[i] == '>' || s[i] == '&' || s[i] == '"')
            return false;
        i += len;
    }
    return true;
}

/* Loads the scenario with sets; the changes' error, if any, in fail. */
static int load(struct srv_room *room, const char *const *sets, size_t n, struct mdl_scenario **out,
                struct srv_fail *fail)
{
    const struct cli_source *src = &room->cli->scenario;
    struct sim_err err;
    sim_err_init(&err);
    const char *all[ROOM_SETS + 64];
    size_t nall = 0;
    for (size_t i = 0; i < room->nsets && nall < ROOM_SETS + 64; i++)
        all[nall++] = room->sets[i];
    for (size_t i = 0; i < n && nall < ROOM_SETS + 64; i++)
        all[nall++] = sets[i];
    int rc = mdl_load_scenario(src->name, src->text, src->len, all, nall, out, &err);
    if (rc) {
        size_t line = err.line > 0 ? (size_t)err.line : 0;
        if (!strcmp(err.file, MDL_SET_SOURCE) && line > room->nsets && line <= nall)
            return fail_with(fail, 400, "change %zu (%s): %s", line - room->nsets, all[line - 1], err.msg);
        return fail_with(fail, 400, "%s", err.msg);
    }
    mdl_warmup_choose(*out, room->seed);
    return 0;
}

struct srv_room *srv_room_create(const struct cli *cli, char *const *base, size_t nbase, uint64_t seed,
                                 unsigned days, int jobs, struct sim_err *err)
{
    struct srv_room *room = sim_xcalloc(1, sizeof *room);
    room->cli = cli;
    room->sets = base;
    room->nsets = nbase;
    random_code(room->code);
    random_hex(room->key, 16);
    room->seed = seed;
    room->days = days;
    room->jobs = jobs;
    pthread_mutex_init(&room->lock, NULL);
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&room->changed, &attr);
    pthread_condattr_destroy(&attr);
    room->version = 1;
    room->changed_ms = now_ms();
    room->arena = sim_arena_create(0);
    struct mdl_scenario *s = NULL;
    struct srv_fail fail;
    if (load(room, NULL, 0, &s, &fail)) {
        sim_err_set(err, SIM_EDATA, "%s", fail.msg);
        srv_room_destroy(room);
        return NULL;
    }
    struct mdl_run_totals totals;
    cli_results_run(s, "baseline", seed, days, jobs, room->arena, &room->base, NULL, &totals);
    struct mdl_score_inputs in = cli_results_score_inputs(&room->base);
    room->base_score = mdl_workshop_score(s, &in);
    mdl_scenario_destroy(s);
    return room;
}

void srv_room_destroy(struct srv_room *room)
{
    if (!room)
        return;
    for (size_t t = 0; t < room->nteams; t++)
        for (size_t a = 0; a < room->teams[t].natt; a++) {
            free(room->teams[t].att[a].changes);
            json_decref(room->teams[t].att[a].sets);
        }
    sim_arena_destroy(room->arena);
    pthread_cond_destroy(&room->changed);
    pthread_mutex_destroy(&room->lock);
    free(room);
}

int srv_room_join(struct srv_room *room, const char *code, const char *team, char *token, struct srv_fail *fail)
{
    if (!code || !same_secret(code, room->code))
        return fail_with(fail, 403, "that is not this room's code");
    if (!team || !printable_name(team))
        return fail_with(fail, 400, "a team's name is 1 to %d printable characters, without < > & \"", ROOM_NAME_MAX);
    int rc = 0;
    pthread_mutex_lock(&room->lock);
    for (size_t t = 0; t < room->nteams && !rc; t++)
        if (!strcmp(room->teams[t].name, team))
            rc = fail_with(fail, 409, "a team is already called '%s': choose another name", team);
    if (!rc && room->nteams == ROOM_TEAMS)
        rc = fail_with(fail, 409, "the room is full (%d teams)", ROOM_TEAMS);
    if (!rc) {
        struct team *t = &room->teams[room->nteams++];
        memset(t, 0, sizeof *t);
        snprintf(t->name, sizeof t->name, "%s", team);
        random_hex(t->token, 16);
        memcpy(token, t->token, sizeof t->token);
        bump(room);
    }
    pthread_mutex_unlock(&room->lock);
    return rc;
}

int srv_room_check_key(const struct srv_room *room, const char *key, struct srv_fail *fail)
{
    if (!key || !same_secret(key, room->key))
        return fail_with(fail, 403, "that is not the facilitator's key");
    return 0;
}

int srv_room_round(struct srv_room *room, const char *key, bool open, struct srv_fail *fail)
{
    if (srv_room_check_key(room, key, fail))
        return fail->status;
    pthread_mutex_lock(&room->lock);
    if (open && !room->open)
        room->round++;
    room->open = open;
    bump(room);
    pthread_mutex_unlock(&room->lock);
    return 0;
}

/* The team of token, under the lock; NULL when none. */
static struct team *team_of(struct srv_room *room, const char *token)
{
    for (size_t t = 0; token && t < room->nteams; t++)
        if (same_secret(token, room->teams[t].token))
            return &room->teams[t];
    return NULL;
}

/* The plan's text as the workshop prints it (sentences, against the baseline). */
static char *sentences(const struct srv_room *room, const struct mdl_scenario *s, struct out_plan *plan,
                       struct sim_arena *arena)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    struct out_report r = {.scenario = s->name, .is_day = s->is_day, .open_at = s->open_at, .close_at = s->close_at,
                           .replications = room->days, .seed = room->seed, .plans = plan, .nplans = 1};
    out_workshop_sentences(&r, plan, f);
    struct out_plan pair[2] = {room->base, *plan};
    cli_results_pair(&pair[0], &pair[1], room->days, arena);
    r.plans = pair;
    r.nplans = 2;
    r.compared = true;
    pair[1].name = "Against the baseline";
    char sentence[1024];
    out_workshop_bullet(out_verdict(&r, &pair[1], sentence, sizeof sentence), f);
    fclose(f);
    return text;
}

int srv_room_attempt(struct srv_room *room, const char *token, const char *const *sets, size_t n, json_t **result,
                     struct srv_fail *fail)
{
    *result = NULL;
    if (n > ROOM_SETS)
        return fail_with(fail, 400, "at most %d changes an attempt", ROOM_SETS);
    pthread_mutex_lock(&room->lock);
    struct team *t = team_of(room, token);
    int rc = !t ? fail_with(fail, 403, "join the room first: that is no team's token")
             : !room->open ? fail_with(fail, 409, "no round is open: wait for the facilitator")
             : t->natt == ROOM_ATTEMPTS ? fail_with(fail, 409, "your team has made its %d attempts", ROOM_ATTEMPTS)
                                        : 0;
    unsigned round = room->round;
    pthread_mutex_unlock(&room->lock);
    if (rc)
        return rc;
    struct mdl_scenario *s = NULL;
    if (load(room, sets, n, &s, fail))
        return fail->status;
    /* the plan runs without the lock: every team on the same days */
    struct sim_arena *arena = sim_arena_create(0);
    struct out_plan plan;
    struct mdl_run_totals totals;
    cli_results_run(s, "attempt", room->seed, room->days, room->jobs, arena, &plan, NULL, &totals);
    struct mdl_score_inputs in = cli_results_score_inputs(&plan);
    struct mdl_score sc = mdl_workshop_score(s, &in);
    size_t counts[3] = {0, 0, 0};
    out_plan_verdict(&plan, counts, NULL, NULL, 0);
    char *text = sentences(room, s, &plan, arena);
    char changes[2048] = "";
    for (size_t i = 0, used = 0; i < n && used + 4 < sizeof changes; i++)
        used += (size_t)snprintf(changes + used, sizeof changes - used, "%s%s", i ? "; " : "", sets[i]);
    pthread_mutex_lock(&room->lock);
    t = team_of(room, token);
    struct attempt *a = t && t->natt < ROOM_ATTEMPTS ? &t->att[t->natt++] : NULL;
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(list, json_string(sets[i]));
    if (a)
        *a = (struct attempt){round, sc.total, sc.staff, sc.lost, sc.waiting, sc.dissatisfaction,
                              plan.ngoals, counts[OUT_MET], sim_xstrdup(changes), list};
    else
        json_decref(list);
    bump(room);
    size_t number_of = t ? t->natt : 0;
    double previous = t && t->natt > 1 ? t->att[t->natt - 2].score : NAN;
    const char *team_name = t ? t->name : "";
    pthread_mutex_unlock(&room->lock);
    json_t *score = score_json(sc.total, sc.staff, sc.lost, sc.waiting, sc.dissatisfaction);
    *result = json_pack("{s:I,s:I,s:s,s:o,s:o,s:I,s:I,s:s}", "attempt", (json_int_t)number_of, "round",
                        (json_int_t)round, "changes", changes, "score", score, "baseline_score",
                        out_json_number(room->base_score.total), "goals", (json_int_t)plan.ngoals, "goals_met",
                        (json_int_t)counts[OUT_MET], "text", text ? text : "");
    if (*result) {   /* the previous attempt's score (null for the first) and where to watch the day */
        json_object_set_new(*result, "previous_score", out_json_number(previous));
        json_object_set_new(*result, "team", json_string(team_name));
    }
    free(text);
    sim_arena_destroy(arena);
    mdl_scenario_destroy(s);
    if (!*result)
        return fail_with(fail, 500, "the attempt ran, but its result could not be written");
    return 0;
}

const char *srv_room_code(const struct srv_room *room)
{
    return room->code;
}

const char *srv_room_key(const struct srv_room *room)
{
    return room->key;
}

json_t *srv_room_board(struct srv_room *room)
{
    pthread_mutex_lock(&room->lock);
    json_t *teams = json_array();
    for (size_t i = 0; i < room->nteams; i++) {
        const struct team *t = &room->teams[i];
        const struct attempt *best = NULL;
        bool this_round = false;
        for (size_t k = 0; k < t->natt; k++) {
            if (!best || t->att[k].score < best->score)
                best = &t->att[k];
            this_round |= t->att[k].round == room->round;
        }
        json_t *row = json_pack("{s:s,s:I,s:b}", "team", t->name, "attempts", (json_int_t)t->natt, "submitted",
                                this_round);
        if (best)
            json_object_set_new(row, "best", json_pack("{s:o,s:I,s:I,s:s}", "score", out_json_number(best->score), "goals",
                                                       (json_int_t)best->goals, "goals_met", (json_int_t)best->met,
                                                       "changes", best->changes));
        json_array_append_new(teams, row);
    }
    json_t *board = json_pack("{s:{s:I,s:b},s:o,s:o,s:I,s:f}", "round", "number", (json_int_t)room->round, "open",
                              room->open, "baseline_score", out_json_number(room->base_score.total), "teams", teams,
                              "version", (json_int_t)room->version, "changed_ms", room->changed_ms);
    pthread_mutex_unlock(&room->lock);
    return board;
}

int srv_room_wait(struct srv_room *room, uint64_t *seen, int timeout_ms)
{
    struct timespec until;
    clock_gettime(CLOCK_MONOTONIC, &until);
    until.tv_sec += timeout_ms / 1000;
    until.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&room->lock);
    while (!room->stopping && room->version == *seen)
        if (pthread_cond_timedwait(&room->changed, &room->lock, &until))
            break;   /* the time is up */
    int heard = room->stopping ? -1 : room->version != *seen;
    if (heard > 0)
        *seen = room->version;
    pthread_mutex_unlock(&room->lock);
    return heard;
}

void srv_room_stop(struct srv_room *room)
{
    pthread_mutex_lock(&room->lock);
    room->stopping = true;
    pthread_cond_broadcast(&room->changed);
    pthread_mutex_unlock(&room->lock);
}

/* The scenario of team's attempt (0: its best; team NULL: the baseline)
 * into *s, its title into title. */
static int day_scenario(struct srv_room *room, const char *team, long attempt, struct mdl_scenario **s, char *title,
                        size_t len, struct srv_fail *fail)
{
    if (!team) {
        snprintf(title, len, "the baseline");
        return load(room, NULL, 0, s, fail);
    }
    const char *sets[ROOM_SETS] = {0};
    char *copies[ROOM_SETS] = {0};
    size_t n = 0;
    int rc = 0;
    pthread_mutex_lock(&room->lock);   /* the attempt's changes, copied out of the lock */
    const struct team *t = NULL;
    for (size_t i = 0; i < room->nteams && !t; i++)
        if (!strcmp(room->teams[i].name, team))
            t = &room->teams[i];
    long k = attempt - 1;
    for (size_t i = 0; t && attempt == 0 && i < t->natt; i++)
        if (k < 0 || t->att[i].score < t->att[k].score)
            k = (long)i;
    if (!t)
        rc = fail_with(fail, 404, "no team is called '%s'", team);
    else if (k < 0 || (size_t)k >= t->natt)
        rc = fail_with(fail, 404, "team '%s' has no attempt %ld", team, attempt ? attempt : 1);
    else {
        n = json_array_size(t->att[k].sets);
        for (size_t i = 0; i < n; i++)
            sets[i] = copies[i] = sim_xstrdup(json_string_value(json_array_get(t->att[k].sets, i)));
        snprintf(title, len, "%s, attempt %ld", t->name, k + 1);
    }
    pthread_mutex_unlock(&room->lock);
    if (!rc)
        rc = load(room, sets, n, s, fail);
    for (size_t i = 0; i < n; i++)
        free(copies[i]);
    return rc;
}

int srv_room_day(struct srv_room *room, const char *team, long attempt, json_t **day, struct srv_fail *fail)
{
    struct mdl_scenario *s = NULL;
    char title[128];
    *day = NULL;
    if (day_scenario(room, team, attempt, &s, title, sizeof title, fail))
        return fail->status;
    *day = cli_liveday_json(s, room->seed, title);
    mdl_scenario_destroy(s);
    return 0;
}

int srv_room_story(struct srv_room *room, const char *team, long attempt, const char *customer, char **text,
                   struct srv_fail *fail)
{
    struct mdl_scenario *s = NULL;
    char title[128], head[256];
    *text = NULL;
    if (day_scenario(room, team, attempt, &s, title, sizeof title, fail))
        return fail->status;
    snprintf(head, sizeof head, "%.100s in %s", customer ? customer : "", title);
    *text = cli_liveday_story(s, room->seed, customer, head);
    mdl_scenario_destroy(s);
    if (!*text)
        return fail_with(fail, 404, "no customer is called that: name one as class#number, as buyer#17");
    return 0;
}

/* What a crew has now, as the form shows it: "3", or "2 from 09:00, 3
 * from 12:00" for a schedule. */
static void crew_now(const struct mdl_scenario *s, const struct mdl_crew *crew, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t k = 0; k < crew->nstaff && used + 1 < len; k++) {
        char at[16];
        if (crew->nstaff == 1 || !s->is_day)
            used += (size_t)snprintf(buf + used, len - used, "%s%g", k ? ", " : "", crew->staff[k].value);
        else
            used += (size_t)snprintf(buf + used, len - used, "%s%g from %s", k ? ", " : "", crew->staff[k].value,
                                     out_clock(at, sizeof at, crew->staff[k].at));
    }
}

/* The fields of a crew (a department's or a pool's) into fields. */
static void crew_fields(const struct mdl_scenario *s, const char *kind, const char *name, const char *what,
                        const struct mdl_crew *crew, json_t *fields)
{
    char path[160], label[200], now[256];
    if (crew->nshifts == 0) {
        snprintf(path, sizeof path, "%s.%s.staff", kind, name);
        snprintf(label, sizeof label, "%s%s staff", name, what);
        crew_now(s, crew, now, sizeof now);
        json_array_append_new(fields, json_pack("{s:s,s:s,s:s,s:s}", "name", name, "label", label, "path", path,
                                                "now", now));
    }
    for (size_t k = 0; k < crew->nshifts; k++) {
        snprintf(path, sizeof path, "%s.%s.shifts.%zu.count", kind, name, k);
        snprintf(label, sizeof label, "%s%s: people on the %s shift", name, what,
                 crew->shifts[k].name ? crew->shifts[k].name : "unnamed");
        snprintf(now, sizeof now, "%ld", crew->shifts[k].count);
        json_array_append_new(fields, json_pack("{s:s,s:s,s:s,s:s}", "name", name, "label", label, "path", path,
                                                "now", now));
    }
}

json_t *srv_room_scenario(struct srv_room *room)
{
    struct mdl_scenario *s = NULL;
    struct srv_fail fail;
    if (load(room, NULL, 0, &s, &fail))
        return json_pack("{s:s}", "error", fail.msg);
    json_t *fields = json_array();   /* a field per head count, or per shift's people */
    for (size_t d = 0; d < s->ndepts; d++)
        crew_fields(s, "departments", s->depts[d].name, "", &s->depts[d].crew, fields);
    for (size_t p = 0; p < s->npools; p++)   /* and per pool (cross-trained staff) */
        crew_fields(s, "pools", s->pools[p].name, " (a pool serving several departments)", &s->pools[p].crew, fields);
    json_t *out = json_pack("{s:s,s:I,s:o}", "scenario", s->name, "days", (json_int_t)room->days, "departments",
                            fields);
    mdl_scenario_destroy(s);
    return out;
}

json_t *srv_room_session(struct srv_room *room)
{
    const struct cli_source *src = &room->cli->scenario;
    pthread_mutex_lock(&room->lock);
    json_t *teams = json_array();
    for (size_t i = 0; i < room->nteams; i++) {
        const struct team *t = &room->teams[i];
        json_t *attempts = json_array();
        for (size_t k = 0; k < t->natt; k++) {
            const struct attempt *a = &t->att[k];
            /* the command that runs it again: the same days, the same changes */
            char cmd[4096];
            size_t used = (size_t)snprintf(cmd, sizeof cmd, "cxsim run");
            if (room->cli->scenario_owned)   /* read from a file, not the built-in scenario */
                out_shell_word(cmd, sizeof cmd, &used, src->name);
            used += (size_t)snprintf(cmd + used, used < sizeof cmd ? sizeof cmd - used : 0, " --seed %llu --reps %u",
                                     (unsigned long long)room->seed, room->days);
            for (size_t j = 0; j < room->nsets; j++) {
                used += (size_t)snprintf(cmd + used, used < sizeof cmd ? sizeof cmd - used : 0, " --set");
                out_shell_word(cmd, sizeof cmd, &used, room->sets[j]);
            }
            for (size_t j = 0; j < json_array_size(a->sets); j++) {
                used += (size_t)snprintf(cmd + used, used < sizeof cmd ? sizeof cmd - used : 0, " --set");
                out_shell_word(cmd, sizeof cmd, &used, json_string_value(json_array_get(a->sets, j)));
            }
            json_t *row = json_pack("{s:I,s:I,s:O,s:I,s:I,s:s}", "attempt", (json_int_t)(k + 1), "round",
                                    (json_int_t)a->round, "changes", a->sets, "goals", (json_int_t)a->goals,
                                    "goals_met", (json_int_t)a->met, "command", cmd);
            json_object_set_new(row, "score", score_json(a->score, a->staff, a->lost, a->waiting, a->dissatisfaction));
            json_array_append_new(attempts, row);
        }
        json_array_append_new(teams, json_pack("{s:s,s:o}", "team", t->name, "attempts", attempts));
    }
    json_t *session = json_pack("{s:s,s:s,s:I,s:I,s:I,s:o}", "format", "cxsim-serve-session 1", "scenario",
                                src->name ? src->name : "", "seed", (json_int_t)room->seed, "days",
                                (json_int_t)room->days, "rounds", (json_int_t)room->round, "teams", teams);
    json_object_set_new(session, "baseline_score", out_json_number(room->base_score.total));
    pthread_mutex_unlock(&room->lock);
    return session;
}
