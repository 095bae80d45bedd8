/* sim/cli/serve.c — cxsim serve: the workshop in the browser (spec §5;
 * docs/workshop.md, "In the browser").
 *
 * An HTTP server inside the program (libmicrohttpd, a thread per
 * connection): teams join from their own browsers with the room's code,
 * submit staffing plans as `set` would take them, and see their results;
 * the facilitator's board ranks them and opens and closes rounds with a
 * key of its own. The room's state is sim/cli/room.c's; the pages are
 * compiled in (sim/cli/pages.h). What it will not do: listen beyond
 * 127.0.0.1 unless told, serve a file (there are no files: every path is
 * a route or 404), take a body over BODY_MAX bytes, keep a slow client
 * more than TIMEOUT seconds. Ctrl-C (or SIGTERM) stops it cleanly: the
 * daemon stops, every connection thread ends, exit 0.
 *
 * Routes: GET / (a team's page), GET /board (the facilitator's), GET
 * /live (the live day: the baseline's, or beside it a team's: ?team=NAME
 * [&attempt=N]), GET /api/scenario, GET /api/board, GET /api/events (the
 * board as server-sent events: an event `board` at once and at every
 * change, a comment every KEEPALIVE seconds), GET /api/day and /api/story
 * (?team=&attempt=&customer=class#id: sim/cli/liveday.h), POST /api/join {room, team} -> {token},
 * POST /api/attempt {token, sets: [PATH=VALUE...]} -> the attempt's
 * figures, POST /api/round {key, open} -> the round, POST /api/save {key}
 * -> the session written to --save's file (and again at the end). Errors
 * are JSON {error} with their status. The only file it touches is that.
 */
#include "sim/cli/cli.h"
#include "sim/cli/pages.h"
#include "sim/cli/room.h"

#include "models/scenario.h"
#include "models/workshop.h"
#include "output/file.h"
#include "sim/mem.h"

#include <arpa/inet.h>
#include <getopt.h>
#include <jansson.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#define BODY_MAX 16384
#define TIMEOUT 15
#define CONNECTIONS 128
#define PER_IP 32
#define KEEPALIVE 10

static int cmd_serve(struct cli *cli, int argc, char **argv);

const struct cli_command cli_serve = {
    "serve", "a workshop in the browser: teams submit plans, a board ranks them",
    "usage: cxsim serve [SCENARIO] [--listen ADDR:PORT] [--save FILE] [--seed S] [--jobs N]\n"
    "                   [--set PATH=VALUE]...\n"
    "\n"
    "Serves a workshop room over HTTP (default 127.0.0.1:8080): each team opens\n"
    "the room's page from its own browser, joins with the room's code and a\n"
    "team name, changes the departments' staff in a form (the values 'set'\n"
    "takes: 4, +=1, a schedule) and submits attempts, each run on the same days\n"
    "and random numbers as every other team's; the facilitator's board (its\n"
    "address, with a key, is printed at the start) ranks the teams by score\n"
    "and opens and closes the rounds. The room's code and key are new each\n"
    "time. Ctrl-C ends it.\n"
    "\n"
    "Options:\n"
    "      --listen ADDR:PORT  where to listen (default 127.0.0.1:8080; 0.0.0.0:8080\n"
    "                        for the room's network; port 0: any free one)\n"
    "      --save FILE       the session's plans and scores, written when the board saves\n"
    "                        and at the end (JSON; each plan with the command that runs it)\n"
    "      --seed S          the days' seed (default: the scenario's seed:)\n"
    "  -j, --jobs N          threads for each attempt's days (default: every core; with\n"
    "                        many teams submitting at once, 1 shares the cores best)\n"
    "      --set PATH=VALUE  change one value of the scenario first, as for run\n"
    "\n"
    "Example:\n"
    "  cxsim serve scenarios/dealership.yaml --listen 0.0.0.0:8080 --save session.json\n",
    cmd_serve};

/* What the handlers share: the room, and where the session is saved. */
struct server {
    struct srv_room *room;
    const char *save;         /* NULL: nowhere */
    pthread_mutex_t saving;
};

/* Writes the session to sv->save, whole or not at all; 0, or the exit
 * code with err set. */
static int save_session(struct server *sv, struct sim_err *err)
{
    json_t *session = srv_room_session(sv->room);
    char *text = json_dumps(session, JSON_INDENT(2) | JSON_SORT_KEYS);
    json_decref(session);
    pthread_mutex_lock(&sv->saving);
    struct out_file of;
    if (!out_file_open(&of, sv->save, err)) {
        fputs(text ? text : "{}", of.f);
        fputc('\n', of.f);
        out_file_close(&of, true, err);
    }
    pthread_mutex_unlock(&sv->saving);
    free(text);
    return err->code;
}

/* One request's body, gathered as it comes. */
struct body {
    char *data;
    size_t len;
    bool too_large;
};

static void request_done(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode toe)
{
    (void)cls, (void)c, (void)toe;
    struct body *b = *con_cls;
    if (b) {
        free(b->data);
        free(b);
    }
    *con_cls = NULL;
}

static enum MHD_Result respond(struct MHD_Connection *c, unsigned status, const char *type, const void *data,
                               size_t len)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(len, (void *)data, MHD_RESPMEM_MUST_COPY);
    if (!r)
        return MHD_NO;
    MHD_add_response_header(r, "Content-Type", type);
    MHD_add_response_header(r, "Cache-Control", "no-store");
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(r, "Content-Security-Policy",
                            "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
                            "connect-src 'self'; frame-ancestors 'none'");
    enum MHD_Result ok = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return ok;
}

static enum MHD_Result respond_json(struct MHD_Connection *c, unsigned status, json_t *j)
{
    char *text = j ? json_dumps(j, JSON_COMPACT) : NULL;
    json_decref(j);
    if (!text)
        return respond(c, 500, "application/json", "{\"error\":\"out of memory\"}", 25);
    enum MHD_Result ok = respond(c, status, "application/json", text, strlen(text));
    free(text);
    return ok;
}

static enum MHD_Result respond_error(struct MHD_Connection *c, unsigned status, const char *msg)
{
    return respond_json(c, status, json_pack("{s:s}", "error", msg));
}

/* The request's JSON object, or NULL with the error answered. */
static json_t *body_json(struct MHD_Connection *c, const struct body *b, enum MHD_Result *answered)
{
    json_error_t jerr;
    json_t *j = b->len ? json_loadb(b->data, b->len, JSON_REJECT_DUPLICATES, &jerr) : NULL;
    if (!json_is_object(j)) {
        json_decref(j);
        char msg[256];
        snprintf(msg, sizeof msg, "the request's body must be a JSON object%s%s", b->len ? ": " : "",
                 b->len ? jerr.text : "");
        *answered = respond_error(c, 400, msg);
        return NULL;
    }
    return j;
}

static enum MHD_Result route_post(struct server *sv, struct MHD_Connection *c, const char *url,
                                  const struct body *b)
{
    struct srv_room *room = sv->room;
    enum MHD_Result answered = MHD_YES;
    json_t *j = body_json(c, b, &answered);
    if (!j)
        return answered;
    struct srv_fail fail = {0};
    if (!strcmp(url, "/api/join")) {
        char token[33];
        if (srv_room_join(room, json_string_value(json_object_get(j, "room")),
                          json_string_value(json_object_get(j, "team")), token, &fail))
            answered = respond_error(c, (unsigned)fail.status, fail.msg);
        else
            answered = respond_json(c, 200, json_pack("{s:s}", "token", token));
    } else if (!strcmp(url, "/api/round")) {
        json_t *open = json_object_get(j, "open");
        if (!json_is_boolean(open))
            answered = respond_error(c, 400, "open must be true or false");
        else if (srv_room_round(room, json_string_value(json_object_get(j, "key")), json_is_true(open), &fail))
            answered = respond_error(c, (unsigned)fail.status, fail.msg);
        else
            answered = respond_json(c, 200, srv_room_board(room));
    } else if (!strcmp(url, "/api/save")) {
        struct sim_err err;
        sim_err_init(&err);
        if (srv_room_check_key(room, json_string_value(json_object_get(j, "key")), &fail))
            answered = respond_error(c, (unsigned)fail.status, fail.msg);
        else if (!sv->save)
            answered = respond_error(c, 409, "nowhere to save: start cxsim serve with --save FILE");
        else if (save_session(sv, &err))
            answered = respond_error(c, 500, err.msg);
        else
            answered = respond_json(c, 200, json_pack("{s:s}", "saved", sv->save));
    } else if (!strcmp(url, "/api/attempt")) {
        json_t *sets = json_object_get(j, "sets");
        size_t n = json_array_size(sets);
        bool ok = json_is_array(sets) && n <= ROOM_SETS;
        const char *list[ROOM_SETS];
        for (size_t i = 0; ok && i < n; i++)
            ok = (list[i] = json_string_value(json_array_get(sets, i))) != NULL;
        json_t *result = NULL;
        if (!ok)
            answered = respond_error(c, 400, "sets must be a list of at most 32 changes, each a text PATH=VALUE");
        else if (srv_room_attempt(room, json_string_value(json_object_get(j, "token")), list, n, &result, &fail))
            answered = respond_error(c, (unsigned)fail.status, fail.msg);
        else
            answered = respond_json(c, 200, result);
    } else {
        answered = respond_error(c, 404, "no such route");
    }
    json_decref(j);
    return answered;
}

/* ---- server-sent events: the board, at every change ------------------- */

struct stream {
    struct srv_room *room;
    uint64_t seen;            /* the board's version last sent */
    char *text;               /* what is being sent, and how far */
    size_t len, sent;
};

/* Gives the client the next part of the stream; blocks (a thread of its
 * own per connection) until the board changes or KEEPALIVE seconds pass,
 * when it sends a comment (a client gone is found then). Ends when the
 * room stops. */
static ssize_t stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
    (void)pos;
    struct stream *st = cls;
    if (st->sent == st->len) {
        free(st->text);
        st->text = NULL;
        st->len = st->sent = 0;
        int heard = srv_room_wait(st->room, &st->seen, KEEPALIVE * 1000);
        if (heard < 0)
            return MHD_CONTENT_READER_END_OF_STREAM;   /* the room stops */
        if (heard > 0) {
            json_t *board = srv_room_board(st->room);
            /* the board may hold later changes than the one heard: it is
               that version which is sent, and not sent again */
            st->seen = (uint64_t)json_integer_value(json_object_get(board, "version"));
            char *data = json_dumps(board, JSON_COMPACT);
            json_decref(board);
            if (!data)
                return MHD_CONTENT_READER_END_WITH_ERROR;
            size_t need = strlen(data) + 32;
            st->text = sim_xmalloc(need);
            st->len = (size_t)snprintf(st->text, need, "event: board\ndata: %s\n\n", data);
            free(data);
        } else {
            st->text = sim_xstrdup(": still here\n\n");
            st->len = strlen(st->text);
        }
    }
    size_t n = st->len - st->sent < max ? st->len - st->sent : max;
    memcpy(buf, st->text + st->sent, n);
    st->sent += n;
    return (ssize_t)n;
}

static void stream_free(void *cls)
{
    struct stream *st = cls;
    free(st->text);
    free(st);
}

static enum MHD_Result respond_stream(struct MHD_Connection *c, struct srv_room *room)
{
    struct stream *st = sim_xcalloc(1, sizeof *st);
    st->room = room;
    struct MHD_Response *r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 4096, stream_read, st, stream_free);
    if (!r) {
        stream_free(st);
        return MHD_NO;
    }
    MHD_add_response_header(r, "Content-Type", "text/event-stream");
    MHD_add_response_header(r, "Cache-Control", "no-store");
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    enum MHD_Result ok = MHD_queue_response(c, 200, r);
    MHD_destroy_response(r);
    return ok;
}

/* GET /api/day and /api/story: ?team= (none: the baseline), &attempt= (0 or
 * none: the best), &customer= (the story's). */
static enum MHD_Result route_day(struct server *sv, struct MHD_Connection *c, bool story)
{
    const char *team = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "team");
    const char *attempt = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "attempt");
    long k = 0;
    if (team && !*team)
        team = NULL;
    if (attempt && *attempt && !cli_parse_count(attempt, 0, ROOM_ATTEMPTS, &k))
        return respond_error(c, 400, "attempt is a number from 1 to 30 (0: the team's best)");
    struct srv_fail fail = {0};
    if (!story) {
        json_t *day = NULL;
        if (srv_room_day(sv->room, team, k, &day, &fail))
            return respond_error(c, (unsigned)fail.status, fail.msg);
        return respond_json(c, 200, day);
    }
    char *text = NULL;
    if (srv_room_story(sv->room, team, k, MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "customer"), &text,
                       &fail))
        return respond_error(c, (unsigned)fail.status, fail.msg);
    enum MHD_Result ok = respond(c, 200, "text/plain; charset=utf-8", text, strlen(text));
    free(text);
    return ok;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                              const char *version, const char *upload, size_t *upload_size, void **con_cls)
{
    (void)version;
    struct server *sv = cls;
    struct srv_room *room = sv->room;
    struct body *b = *con_cls;
    bool post = !strcmp(method, "POST"), get = !strcmp(method, "GET") || !strcmp(method, "HEAD");
    if (!b) {   /* the request's head: refuse early what will be refused */
        b = sim_xcalloc(1, sizeof *b);
        *con_cls = b;
        const char *length = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
        if (length && strtoull(length, NULL, 10) > BODY_MAX)
            return respond_error(c, 413, "the request is too large");
        if (!post && !get)
            return respond_error(c, 405, "only GET and POST");
        return MHD_YES;
    }
    if (*upload_size) {   /* a part of the body */
        if (b->len + *upload_size > BODY_MAX) {
            b->too_large = true;
        } else if (!b->too_large) {
            b->data = sim_xrealloc(b->data, b->len + *upload_size + 1);
            memcpy(b->data + b->len, upload, *upload_size);
            b->len += *upload_size;
        }
        *upload_size = 0;
        return MHD_YES;
    }
    if (b->too_large)
        return respond_error(c, 413, "the request is too large");
    if (post)
        return route_post(sv, c, url, b);
    if (!strcmp(url, "/"))
        return respond(c, 200, "text/html; charset=utf-8", cli_page_team, cli_page_team_len);
    if (!strcmp(url, "/board"))
        return respond(c, 200, "text/html; charset=utf-8", cli_page_board, cli_page_board_len);
    if (!strcmp(url, "/live"))
        return respond(c, 200, "text/html; charset=utf-8", cli_page_live, cli_page_live_len);
    if (!strcmp(url, "/api/events"))
        return respond_stream(c, room);
    if (!strcmp(url, "/api/day") || !strcmp(url, "/api/story"))
        return route_day(sv, c, !strcmp(url, "/api/story"));
    if (!strcmp(url, "/api/board"))
        return respond_json(c, 200, srv_room_board(room));
    if (!strcmp(url, "/api/scenario"))
        return respond_json(c, 200, srv_room_scenario(room));
    return respond_error(c, 404, "no such page");
}

/* "ADDR:PORT" into addr (IPv4). */
static bool parse_listen(const char *text, struct sockaddr_in *addr)
{
    const char *colon = strrchr(text, ':');
    long port;
    if (!colon || colon == text || !cli_parse_count(colon + 1, 0, 65535, &port))
        return false;
    char host[64];
    snprintf(host, sizeof host, "%.*s", (int)(colon - text), text);
    memset(addr, 0, sizeof *addr);
    addr->sin_family = AF_INET;
    addr->sin_port = htons((uint16_t)port);
    return inet_pton(AF_INET, host, &addr->sin_addr) == 1;
}

static int cmd_serve(struct cli *cli, int argc, char **argv)
{
    struct sim_err *err = &cli->err;
    static const struct option longs[] = {
        {"listen", required_argument, NULL, 'L'}, {"save", required_argument, NULL, 'W'},
        {"seed", required_argument, NULL, 's'},
        {"set", required_argument, NULL, 'S'},    {"help", no_argument, NULL, 'h'},
        {"jobs", required_argument, NULL, 'j'},
        {NULL, 0, NULL, 0},
    };
    struct cli_scenario_opts so;
    const char *listen = "127.0.0.1:8080", *save = NULL;
    long jobs = 0;   /* every core */
    cli_scenario_opts_init(&so, argc);
    int c;
    while (!err->code && (c = cli_next_option(argc, argv, ":hj:", longs, "serve", err)) != -1) {
        if (c == 'h') {
            cli_scenario_opts_fini(&so);
            return cli_help(&cli_serve);
        }
        if (c == 'L')
            listen = optarg;
        else if (c == 'W')
            save = optarg;
        else if (c == 'j' && !cli_parse_count(optarg, 1, 4096, &jobs))
            sim_err_set(err, SIM_EUSAGE, "--jobs must be a whole number from 1 to 4096, got '%s'", optarg);
        else if (c == 'j')
            continue;
        else
            cli_scenario_option(c, &so, err);
    }
    struct sockaddr_in addr;
    if (!err->code && !parse_listen(listen, &addr))
        sim_err_set(err, SIM_EUSAGE, "--listen takes ADDR:PORT, an IPv4 address and a port from 0 to 65535, as "
                    "127.0.0.1:8080 or 0.0.0.0:8080, got '%s'", listen);
    if (!err->code && argc - optind > 1)
        sim_err_set(err, SIM_EUSAGE, "serve takes one scenario file (see 'cxsim help serve')");
    if (!err->code && save)   /* a session that could not be saved is known before it starts */
        cli_check_writable(save, "--save", err);
    struct mdl_scenario *s = NULL;
    if (err->code || cli_load_scenario(cli, optind < argc ? argv[optind] : NULL, &so, &s)) {
        cli_scenario_opts_fini(&so);
        return err->code;
    }
    uint64_t seed = so.have_seed ? so.seed : s->seed;
    unsigned days = mdl_workshop_days(s);
    mdl_scenario_destroy(s);
    /* every plan of the room starts from the command line's changes */
    struct srv_room *room = srv_room_create(cli, so.sets, so.nsets, seed, days, (int)jobs, err);
    if (!room) {
        cli_scenario_opts_fini(&so);
        return err->code;
    }
    const char *code = srv_room_code(room), *key = srv_room_key(room);
    /* signals: every thread blocks them; this one waits for them */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);
    struct server sv = {room, save, PTHREAD_MUTEX_INITIALIZER};
    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION, 0, NULL, NULL, handle, &sv,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr, MHD_OPTION_CONNECTION_LIMIT, (unsigned)CONNECTIONS,
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)PER_IP, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)TIMEOUT,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(64 * 1024), MHD_OPTION_NOTIFY_COMPLETED, request_done, NULL,
        MHD_OPTION_END);
    if (!d) {
        sim_err_set(err, SIM_ECANTCREAT, "cannot listen on %s (is the port in use, or the address not this "
                    "machine's?)", listen);
    } else {
        const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
        char host[INET_ADDRSTRLEN];
        inet_ntop(AF_INET, &addr.sin_addr, host, sizeof host);
        unsigned port = info ? info->port : ntohs(addr.sin_port);
        fprintf(stderr, "%s: serve: room %s at http://%s:%u/ (teams join with the code %s)\n"
                        "%s: serve: the facilitator's board: http://%s:%u/board?key=%s\n"
                        "%s: serve: Ctrl-C ends the session\n",
                CLI_PROG, code, host, port, code, CLI_PROG, host, port, key, CLI_PROG);
        fflush(stderr);
        int sig;
        sigwait(&stop, &sig);
        srv_room_stop(room);   /* the event streams end, then the daemon */
        MHD_stop_daemon(d);
        if (save && !save_session(&sv, err))
            fprintf(stderr, "%s: serve: the session is saved in %s\n", CLI_PROG, save);
        fprintf(stderr, "%s: serve: stopped\n", CLI_PROG);
    }
    srv_room_destroy(room);
    pthread_sigmask(SIG_UNBLOCK, &stop, NULL);
    cli_scenario_opts_fini(&so);
    return err->code;
}
