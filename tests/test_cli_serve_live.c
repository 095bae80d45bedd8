/* tests/test_cli_serve_live.c — what cxsim serve's live view is told
 * (issue 22): the day it replays is `cxsim trace`'s day, event for event,
 * for the baseline and for a team's attempt; a customer's story is the
 * trace's story; the board's event stream tells every change at once; and
 * slow clients (a head never finished, an event stream never read) hold
 * nobody else up, nor the end of the session.
 */
#include "tests/testutil.h"
#include "tests/clirun.h"
#include "tests/serveutil.h"

#include <sys/time.h>

#define LIVE_TMP(name) CXSIM_TEST_TMP "/serve-live-" name

static char body[1 << 20];

/* Joins team and opens a round; the team's token into token. */
static void join_and_open(const struct server *sv, const char *team, char *token)
{
    char req[256];
    snprintf(req, sizeof req, "{\"room\":\"%s\",\"team\":\"%s\"}", sv->code, team);
    assert_int_equal(http(sv->port, "POST", "/api/join", req, body, sizeof body), 200);
    assert_int_equal(sscanf(body, "{\"token\":\"%63[0-9a-f]\"}", token), 1);
    snprintf(req, sizeof req, "{\"key\":\"%s\",\"open\":true}", sv->key);
    assert_int_equal(http(sv->port, "POST", "/api/round", req, body, sizeof body), 200);
}

/* The day of /api/day?query against `cxsim trace --format csv args`: the
 * same events in the same order, at the same second, of the same kind,
 * customer and department. */
static void same_day_as_trace(const struct server *sv, const char *query, const char *args)
{
    char path[256], cmd[512];
    snprintf(path, sizeof path, "/api/day%s", query);
    assert_int_equal(http(sv->port, "GET", path, NULL, body, sizeof body), 200);
    json_error_t jerr;
    json_t *day = json_loads(body, 0, &jerr);
    assert_non_null(day);
    snprintf(cmd, sizeof cmd, "trace --format csv %s -o %s", args, LIVE_TMP("trace.csv"));
    static struct run r;
    run(&r, cmd);
    assert_int_equal(r.code, 0);
    FILE *f = fopen(LIVE_TMP("trace.csv"), "r");
    assert_non_null(f);
    json_t *events = json_object_get(day, "events"), *kinds = json_object_get(day, "kinds");
    json_t *depts = json_object_get(day, "departments"), *customers = json_object_get(day, "customers");
    json_t *classes = json_object_get(day, "classes");
    char line[1024];
    assert_non_null(fgets(line, sizeof line, f));   /* the header */
    size_t n = 0;
    while (fgets(line, sizeof line, f)) {
        double at;
        char who[128] = "", dept[128] = "", kind[64] = "";
        /* time,clock,customer,class,kind,department,event,... */
        char *field[8] = {0}, *p = line;
        for (int k = 0; k < 8 && p; k++) {
            field[k] = p;
            p = strchr(p, ',');
            if (p)
                *p++ = '\0';
        }
        at = strtod(field[0], NULL);
        snprintf(who, sizeof who, "%s", field[2]);
        snprintf(dept, sizeof dept, "%s", field[5]);
        snprintf(kind, sizeof kind, "%s", field[6]);
        json_t *ev = json_array_get(events, n++);
        assert_non_null(ev);
        /* the CSV's minutes have three decimals: its seconds can round the other way */
        assert_true(llabs(json_integer_value(json_array_get(ev, 0)) - llround(at * 60)) <= 1);
        assert_string_equal(json_string_value(json_array_get(kinds, (size_t)json_integer_value(json_array_get(ev, 1)))),
                            kind);
        json_int_t c = json_integer_value(json_array_get(ev, 2)), d = json_integer_value(json_array_get(ev, 3));
        char name[160] = "";
        if (c >= 0) {
            json_t *cu = json_array_get(customers, (size_t)c);
            snprintf(name, sizeof name, "%s#%lld",
                     json_string_value(json_object_get(json_array_get(classes, (size_t)json_integer_value(
                                                                          json_array_get(cu, 0))), "name")),
                     (long long)json_integer_value(json_array_get(cu, 1)));
        }
        assert_string_equal(name, who);
        if (d >= 0)   /* -1: a pool's, not a department's */
            assert_string_equal(json_string_value(json_object_get(json_array_get(depts, (size_t)d), "name")), dept);
    }
    fclose(f);
    assert_int_equal(n, json_array_size(events));
    assert_true(n > 500);
    json_decref(day);
}

static void serve_live_day_is_the_trace_s_day(void **state)
{
    (void)state;
    struct server sv;
    start(&sv, "");
    same_day_as_trace(&sv, "", "");
    assert_int_equal(http(sv.port, "GET", "/api/day", NULL, body, sizeof body), 200);
    json_t *day = json_loads(body, 0, NULL);
    /* the floor plan reads as the journey: reception, credit, sales, insurance, left to right */
    json_t *depts = json_object_get(day, "departments");
    assert_int_equal(json_array_size(depts), 4);
    for (size_t d = 0; d < 4; d++)
        assert_int_equal(json_integer_value(json_object_get(json_array_get(depts, d), "col")), (json_int_t)d);
    /* what docs/workshop.md's round 0 shows at 13:30: customers have begun
       to give up at sales, and reception's staff have gone on their breaks
       in turn */
    json_t *events = json_object_get(day, "events"), *kinds = json_object_get(day, "kinds"), *ev;
    size_t i, gave_up = 0, breaks = 0;
    json_array_foreach(events, i, ev) {
        const char *kind = json_string_value(json_array_get(kinds, (size_t)json_integer_value(json_array_get(ev, 1))));
        json_int_t at = json_integer_value(json_array_get(ev, 0)), d = json_integer_value(json_array_get(ev, 3));
        const char *where = d >= 0 ? json_string_value(json_object_get(json_array_get(depts, (size_t)d), "name")) : "";
        if (at <= (13 * 60 + 30) * 60 && !strcmp(kind, "renege") && !strcmp(where, "sales"))
            gave_up++;
        if (at <= (13 * 60 + 30) * 60 && !strcmp(kind, "break") && !strcmp(where, "reception"))
            breaks++;
    }
    assert_true(gave_up >= 3);
    assert_int_equal(breaks, 2);
    json_decref(day);
    /* a team's attempt: its own day, the trace's with its changes */
    char token[64], req[256];
    join_and_open(&sv, "Greens", token);
    snprintf(req, sizeof req, "{\"token\":\"%s\",\"sets\":[\"departments.sales.staff=5\"]}", token);
    assert_int_equal(http(sv.port, "POST", "/api/attempt", req, body, sizeof body), 200);
    assert_non_null(strstr(body, "\"previous_score\":null"));   /* a first attempt */
    snprintf(req, sizeof req, "{\"token\":\"%s\",\"sets\":[]}", token);
    assert_int_equal(http(sv.port, "POST", "/api/attempt", req, body, sizeof body), 200);
    assert_true(number_in(body, "previous_score", NULL) > 0);   /* against the previous attempt */
    same_day_as_trace(&sv, "?team=Greens&attempt=1", "--set departments.sales.staff=5");
    same_day_as_trace(&sv, "?team=Greens&attempt=2", "");
    /* what it cannot show */
    assert_int_equal(http(sv.port, "GET", "/api/day?team=Nobody", NULL, body, sizeof body), 404);
    assert_non_null(strstr(body, "no team is called"));
    assert_int_equal(http(sv.port, "GET", "/api/day?team=Greens&attempt=9", NULL, body, sizeof body), 404);
    assert_int_equal(http(sv.port, "GET", "/api/day?attempt=x", NULL, body, sizeof body), 400);
    assert_int_equal(http(sv.port, "GET", "/live", NULL, body, sizeof body), 200);
    assert_non_null(strstr(body, "/api/day"));   /* the live page, which asks for the day */
    assert_int_equal(stop(&sv), 0);
}

/* The lines of a story that tell events ("12:39  buyer #17 arrives ..."). */
static void story_lines(const char *text, char *out, size_t cap)
{
    size_t used = 0;
    out[0] = '\0';
    for (const char *p = text; *p;) {
        const char *end = strchr(p, '\n');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len > 5 && p[2] == ':' && used + len + 2 < cap) {
            memcpy(out + used, p, len);
            used += len;
            out[used++] = '\n';
            out[used] = '\0';
        }
        p += len + (end != NULL);
    }
}

static void serve_story_is_the_trace_s_story(void **state)
{
    (void)state;
    struct server sv;
    start(&sv, "--jobs 1");   /* one thread an attempt: the same days, the same story */
    static char want[1 << 16], got[1 << 16];
    static struct run r;
    run(&r, "trace --customer buyer#17");
    assert_int_equal(r.code, 0);
    story_lines(r.out, want, sizeof want);
    assert_int_equal(http(sv.port, "GET", "/api/story?customer=buyer%2317", NULL, body, sizeof body), 200);
    story_lines(body, got, sizeof got);
    assert_true(strlen(want) > 100);
    assert_string_equal(got, want);
    assert_non_null(strstr(body, "buyer#17 in the baseline"));
    /* a team's: with its changes */
    char token[64], req[256];
    join_and_open(&sv, "Reds", token);
    snprintf(req, sizeof req, "{\"token\":\"%s\",\"sets\":[\"departments.sales.staff=6\"]}", token);
    assert_int_equal(http(sv.port, "GET", "/api/story?customer=buyer%2317&team=Reds", NULL, body, sizeof body), 404);
    assert_int_equal(http(sv.port, "POST", "/api/attempt", req, body, sizeof body), 200);
    run(&r, "trace --customer buyer#17 --set departments.sales.staff=6");
    story_lines(r.out, want, sizeof want);
    assert_int_equal(http(sv.port, "GET", "/api/story?customer=buyer%2317&team=Reds&attempt=1", NULL, body,
                          sizeof body), 200);
    story_lines(body, got, sizeof got);
    assert_string_equal(got, want);
    /* no such customer, or no name at all */
    assert_int_equal(http(sv.port, "GET", "/api/story?customer=dragon%231", NULL, body, sizeof body), 404);
    assert_int_equal(http(sv.port, "GET", "/api/story?customer=buyer", NULL, body, sizeof body), 404);
    assert_int_equal(http(sv.port, "GET", "/api/story", NULL, body, sizeof body), 404);
    assert_non_null(strstr(body, "class#number"));
    assert_int_equal(stop(&sv), 0);
}

/* Opens the event stream; the socket, reads time out after 20 s. */
static int open_stream(unsigned port, int rcvbuf)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    if (rcvbuf)
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
    struct timeval tv = {20, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
    const char *get = "GET /api/events HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n";
    assert_int_equal(send(fd, get, strlen(get), MSG_NOSIGNAL), (ssize_t)strlen(get));
    return fd;
}

/* The next `board` event's data from the stream (what was read and not
 * used stays in buf); NULL when none comes in 20 s. */
static json_t *next_board(int fd, char *buf, size_t cap, size_t *len)
{
    for (;;) {
        char *ev = strstr(buf, "event: board\ndata: ");
        char *end = ev ? strstr(ev, "\n\n") : NULL;
        if (end) {
            json_t *j = json_loadb(ev + 19, (size_t)(end - ev - 19), 0, NULL);
            size_t used = (size_t)(end + 2 - buf);
            memmove(buf, end + 2, *len - used + 1);
            *len -= used;
            return j;
        }
        if (*len + 1 >= cap)
            return NULL;
        ssize_t n = recv(fd, buf + *len, cap - 1 - *len, 0);
        if (n <= 0)
            return NULL;
        *len += (size_t)n;
        buf[*len] = '\0';
    }
}

static void serve_events_tell_every_change(void **state)
{
    (void)state;
    struct server sv;
    start(&sv, "");
    static char buf[1 << 16];
    size_t len = 0;
    buf[0] = '\0';
    int fd = open_stream(sv.port, 0);
    json_t *b = next_board(fd, buf, sizeof buf, &len);   /* the board at once */
    assert_non_null(b);
    json_int_t v = json_integer_value(json_object_get(b, "version"));
    assert_true(v >= 1);
    assert_true(json_number_value(json_object_get(b, "changed_ms")) > 0);
    json_decref(b);
    char token[64], req[256];
    join_and_open(&sv, "Blues", token);   /* a join, then a round: two changes */
    b = next_board(fd, buf, sizeof buf, &len);
    assert_non_null(b);
    json_int_t seen = json_integer_value(json_object_get(b, "version"));
    assert_true(seen > v);
    if (seen == v + 1) {   /* heard the join before the round opened */
        assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(b, "teams"), 0), "team")),
                            "Blues");
        json_decref(b);
        b = next_board(fd, buf, sizeof buf, &len);
        assert_non_null(b);
    }
    assert_int_equal(json_integer_value(json_object_get(b, "version")), v + 2);
    assert_true(json_is_true(json_object_get(json_object_get(b, "round"), "open")));
    json_decref(b);
    snprintf(req, sizeof req, "{\"token\":\"%s\",\"sets\":[\"departments.credit.staff=4\"]}", token);
    assert_int_equal(http(sv.port, "POST", "/api/attempt", req, body, sizeof body), 200);
    b = next_board(fd, buf, sizeof buf, &len);   /* the attempt: on the board, submitted */
    assert_non_null(b);
    assert_int_equal(json_integer_value(json_object_get(b, "version")), v + 3);
    json_t *team = json_array_get(json_object_get(b, "teams"), 0);
    assert_true(json_is_true(json_object_get(team, "submitted")));
    assert_int_equal(json_integer_value(json_object_get(team, "attempts")), 1);
    json_decref(b);
    /* Ctrl-C with the stream open: the stream ends, the server exits 0 */
    assert_int_equal(stop(&sv), 0);
    char rest[256];
    ssize_t n;
    while ((n = recv(fd, rest, sizeof rest, 0)) > 0)
        ;
    assert_int_equal(n, 0);   /* closed, not timed out */
    close(fd);
}

static void serve_slow_clients_hold_nobody_up(void **state)
{
    (void)state;
    struct server sv;
    start(&sv, "");
    /* ten heads never finished, and three event streams never read, with
       small buffers: their writes block at once */
    int slow[10], deaf[3];
    for (int i = 0; i < 10; i++) {
        slow[i] = connect_to(sv.port);
        assert_int_equal(send(slow[i], "GET /api/bo", 11, MSG_NOSIGNAL), 11);
    }
    for (int i = 0; i < 3; i++)
        deaf[i] = open_stream(sv.port, 1024);
    /* forty teams with long names join: boards of several KB each */
    char req[256];
    for (int t = 0; t < 40; t++) {
        snprintf(req, sizeof req, "{\"room\":\"%s\",\"team\":\"A team with a long name to fill it, %02d\"}", sv.code,
                 t);
        assert_int_equal(http(sv.port, "POST", "/api/join", req, body, sizeof body), 200);
    }
    /* and a thousand rounds opened and closed: several MB for each stream,
       more than the sockets' buffers hold */
    for (int k = 0; k < 1000; k++) {
        snprintf(req, sizeof req, "{\"key\":\"%s\",\"open\":%s}", sv.key, k % 2 ? "false" : "true");
        assert_int_equal(http(sv.port, "POST", "/api/round", req, body, sizeof body), 200);
    }
    /* everyone else is still served, at once */
    assert_int_equal(http(sv.port, "GET", "/api/board", NULL, body, sizeof body), 200);
    json_t *b = json_loads(body, 0, NULL);
    assert_int_equal(json_array_size(json_object_get(b, "teams")), 40);
    json_decref(b);
    static char sbuf[1 << 18];
    size_t len = 0;
    sbuf[0] = '\0';
    int fd = open_stream(sv.port, 0);   /* a new viewer hears the board as it is */
    b = next_board(fd, sbuf, sizeof sbuf, &len);
    assert_non_null(b);
    assert_int_equal(json_array_size(json_object_get(b, "teams")), 40);
    json_decref(b);
    close(fd);
    assert_int_equal(http(sv.port, "GET", "/api/day", NULL, body, sizeof body), 200);
    /* and the session ends cleanly with them all still there */
    assert_int_equal(stop(&sv), 0);
    for (int i = 0; i < 10; i++)
        close(slow[i]);
    for (int i = 0; i < 3; i++)
        close(deaf[i]);
}

TEST_TABLE(test_cli_serve_live, cmocka_unit_test(serve_live_day_is_the_trace_s_day),
           cmocka_unit_test(serve_story_is_the_trace_s_story), cmocka_unit_test(serve_events_tell_every_change),
           cmocka_unit_test(serve_slow_clients_hold_nobody_up))
