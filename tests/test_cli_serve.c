/* tests/test_cli_serve.c — cxsim serve over HTTP (issue 22): teams join
 * with the room's code, attempts run only in an open round and on the
 * baseline's days (no change scores the baseline's score exactly), the
 * board ranks them, the facilitator's key guards the rounds; hostile or
 * malformed requests get errors and the server keeps serving; Ctrl-C ends
 * it cleanly. A small HTTP/1.0 client of its own: nothing to install.
 */
#include "tests/testutil.h"
#include "tests/clirun.h"
#include "tests/serveutil.h"

static void serve_room_joins_rounds_attempts_and_ranks(void **state)
{
    (void)state;
    struct server sv;
    start(&sv, "");
    static char body[1 << 16];
    char req[512], reds[64], blues[64];
    assert_int_equal(http(sv.port, "POST", "/api/join", "{\"room\":\"WRONG1\",\"team\":\"Reds\"}", body, sizeof body), 403);
    assert_non_null(strstr(body, "not this room's code"));
    snprintf(req, sizeof req, "{\"room\":\"%s\",\"team\":\"Reds\"}", sv.code);
    assert_int_equal(http(sv.port, "POST", "/api/join", req, body, sizeof body), 200);
    assert_int_equal(sscanf(body, "{\"token\":\"%63[0-9a-f]\"}", reds), 1);
    assert_int_equal(http(sv.port, "POST", "/api/join", req, body, sizeof body), 409);   /* the name is taken */
    snprintf(req, sizeof req, "{\"room\":\"%s\",\"team\":\"<b>x</b>\"}", sv.code);
    assert_int_equal(http(sv.port, "POST", "/api/join", req, body, sizeof body), 400);
    snprintf(req, sizeof req, "{\"room\":\"%s\",\"team\":\"Blues\"}", sv.code);
    assert_int_equal(http(sv.port, "POST", "/api/join", req, body, sizeof body), 200);
    assert_int_equal(sscanf(body, "{\"token\":\"%63[0-9a-f]\"}", blues), 1);
    /* no round yet */
    snprintf(req, sizeof req, "{\"token\":\"%s\",\"sets\":[\"departments.sales.staff+=1\"]}", blues);
    assert_int_equal(http(sv.port, "POST", "/api/attempt", req, body, sizeof body), 409);
    assert_int_equal(http(sv.port, "POST", "/api/round", "{\"key\":\"nope\",\"open\":true}", body, sizeof body), 403);
    char round[160];
    snprintf(round, sizeof round, "{\"key\":\"%s\",\"open\":true}", sv.key);
    assert_int_equal(http(sv.port, "POST", "/api/round", round, body, sizeof body), 200);
    /* Blues add a sales manager; Reds change nothing: the baseline's score, exactly (the same days) */
    snprintf(req, sizeof req, "{\"token\":\"%s\",\"sets\":[\"departments.sales.staff+=1\"]}", blues);
    assert_int_equal(http(sv.port, "POST", "/api/attempt", req, body, sizeof body), 200);
    double blue = number_in(body, "score", "total"), base = number_in(body, "baseline_score", NULL);
    assert_true(blue < base);   /* one more manager costs less than the buyers the baseline loses */
    assert_non_null(strstr(body, "Against the baseline"));
    snprintf(req, sizeof req, "{\"token\":\"%s\",\"sets\":[]}", reds);
    assert_int_equal(http(sv.port, "POST", "/api/attempt", req, body, sizeof body), 200);
    assert_true(number_in(body, "score", "total") == base);
    /* a change refused as set refuses it, named at its place */
    snprintf(req, sizeof req, "{\"token\":\"%s\",\"sets\":[\"departments.credit.staff=4\",\"departments.sales.staff=-3\"]}",
             reds);
    assert_int_equal(http(sv.port, "POST", "/api/attempt", req, body, sizeof body), 400);
    assert_non_null(strstr(body, "change 2 (departments.sales.staff=-3): staff of sales must be a whole number"));
    assert_int_equal(http(sv.port, "POST", "/api/attempt", "{\"token\":\"0123\",\"sets\":[]}", body, sizeof body), 403);
    /* the board: Blues first, both submitted in round 1 */
    assert_int_equal(http(sv.port, "GET", "/api/board", NULL, body, sizeof body), 200);
    json_error_t e;
    json_t *b = json_loads(body, 0, &e);
    assert_non_null(b);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(b, "round"), "number")), 1);
    json_t *teams = json_object_get(b, "teams");
    assert_int_equal(json_array_size(teams), 2);
    for (size_t i = 0; i < 2; i++)
        assert_true(json_is_true(json_object_get(json_array_get(teams, i), "submitted")));
    json_decref(b);
    /* the round closed: attempts wait for the next */
    snprintf(round, sizeof round, "{\"key\":\"%s\",\"open\":false}", sv.key);
    assert_int_equal(http(sv.port, "POST", "/api/round", round, body, sizeof body), 200);
    snprintf(req, sizeof req, "{\"token\":\"%s\",\"sets\":[]}", reds);
    assert_int_equal(http(sv.port, "POST", "/api/attempt", req, body, sizeof body), 409);
    /* the form: a field per head count and per shift's people */
    assert_int_equal(http(sv.port, "GET", "/api/scenario", NULL, body, sizeof body), 200);
    assert_non_null(strstr(body, "\"path\":\"departments.sales.staff\""));
    assert_non_null(strstr(body, "\"path\":\"departments.reception.shifts.0.count\""));
    assert_non_null(strstr(body, "\"path\":\"pools.floater.staff\""));   /* and per pool */
    /* each with what it holds now, the scenario's */
    assert_non_null(strstr(body, "\"path\":\"departments.sales.staff\",\"now\":\"3 from 09:00, 4 from 10:00, 3 from "
                                 "12:00, 4 from 13:00\""));
    assert_non_null(strstr(body, "\"path\":\"pools.floater.staff\",\"now\":\"1\""));
    /* the pages: compiled in, nothing fetched from outside */
    assert_int_equal(http(sv.port, "GET", "/", NULL, body, sizeof body), 200);
    assert_non_null(strstr(body, "<title>cxsim workshop: your team</title>"));
    assert_null(strstr(body, "http://"));
    assert_null(strstr(body, "https://"));
    assert_int_equal(http(sv.port, "GET", "/board", NULL, body, sizeof body), 200);
    assert_non_null(strstr(body, "<title>cxsim workshop: the board</title>"));
    assert_null(strstr(body, "https://"));
    assert_int_equal(http(sv.port, "GET", "/live", NULL, body, sizeof body), 200);
    assert_non_null(strstr(body, "<title>cxsim workshop: the day</title>"));
    assert_null(strstr(body, "http://"));
    assert_null(strstr(body, "https://"));
    assert_int_equal(stop(&sv), 0);
    static char err[4096];
    slurp(TMP("err"), err, sizeof err);
    assert_non_null(strstr(err, "cxsim: serve: stopped\n"));
}

static void serve_refuses_hostile_requests_and_keeps_serving(void **state)
{
    (void)state;
    struct server sv;
    start(&sv, "");
    static char body[1 << 16], big[40000];
    assert_int_equal(http(sv.port, "GET", "/../../etc/passwd", NULL, body, sizeof body), 404);
    assert_int_equal(http(sv.port, "GET", "/%2e%2e/%2e%2e/etc/passwd", NULL, body, sizeof body), 404);
    assert_int_equal(http(sv.port, "DELETE", "/", NULL, body, sizeof body), 405);
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    assert_int_equal(http(sv.port, "POST", "/api/join", big, body, sizeof body), 413);
    assert_int_equal(http(sv.port, "POST", "/api/join", "{bad", body, sizeof body), 400);
    assert_int_equal(http(sv.port, "POST", "/api/join", "[1,2]", body, sizeof body), 400);
    assert_int_equal(http(sv.port, "POST", "/api/join", "{\"room\":1,\"team\":[]}", body, sizeof body), 403);
    assert_int_equal(http(sv.port, "POST", "/api/attempt", "{\"token\":\"x\",\"sets\":\"all\"}", body, sizeof body),
                     400);
    assert_int_equal(http(sv.port, "POST", "/api/round", "{\"key\":\"x\",\"open\":\"yes\"}", body, sizeof body), 400);
    char req[160];
    snprintf(req, sizeof req, "{\"key\":\"%s\"}", sv.key);
    assert_int_equal(http(sv.port, "POST", "/api/save", req, body, sizeof body), 409);   /* started without --save */
    /* garbage, and a client that connects and says nothing */
    static const char junk[] = "\x01\x02\x03 / HTTP/9.9\r\n\r\n";
    exchange(sv.port, junk, sizeof junk - 1, body, sizeof body);
    int idle = connect_to(sv.port);
    assert_int_equal(http(sv.port, "GET", "/api/board", NULL, body, sizeof body), 200);   /* still serving */
    close(idle);
    assert_int_equal(stop(&sv), 0);
}

/* --save: the board saves the session (its key only), and the end saves
 * it again; each attempt's command runs it again from the command line, to
 * the same figures. */
static void serve_saves_a_session_whose_plans_run_again(void **state)
{
    (void)state;
    struct server sv;
    unlink(TMP("session.json"));
    start(&sv, "--save " TMP("session.json"));
    static char body[1 << 16];
    char req[512], token[64];
    assert_int_equal(http(sv.port, "POST", "/api/save", "{\"key\":\"nope\"}", body, sizeof body), 403);
    snprintf(req, sizeof req, "{\"room\":\"%s\",\"team\":\"Greens\"}", sv.code);
    assert_int_equal(http(sv.port, "POST", "/api/join", req, body, sizeof body), 200);
    assert_int_equal(sscanf(body, "{\"token\":\"%63[0-9a-f]\"}", token), 1);
    snprintf(req, sizeof req, "{\"key\":\"%s\",\"open\":true}", sv.key);
    assert_int_equal(http(sv.port, "POST", "/api/round", req, body, sizeof body), 200);
    snprintf(req, sizeof req, "{\"token\":\"%s\",\"sets\":[\"departments.credit.staff+=1\",\"departments.sales.staff=5\"]}",
             token);
    assert_int_equal(http(sv.port, "POST", "/api/attempt", req, body, sizeof body), 200);
    double staff = number_in(body, "score", "staff");
    snprintf(req, sizeof req, "{\"key\":\"%s\"}", sv.key);
    assert_int_equal(http(sv.port, "POST", "/api/save", req, body, sizeof body), 200);
    json_error_t e;
    json_t *s = json_load_file(TMP("session.json"), 0, &e);
    assert_non_null(s);
    json_t *att = json_array_get(json_object_get(json_array_get(json_object_get(s, "teams"), 0), "attempts"), 0);
    const char *command = json_string_value(json_object_get(att, "command"));
    assert_non_null(command);
    assert_int_equal(strncmp(command, "cxsim run --seed ", 17), 0);   /* the built-in dealership */
    assert_non_null(strstr(command, " --set departments.credit.staff+=1 --set departments.sales.staff=5"));
    /* run again from the command line: the same staff cost a day */
    static struct run r;
    char args[1024];
    snprintf(args, sizeof args, "%s --format json -o " TMP("again.json"), command + strlen("cxsim "));
    run(&r, args);
    assert_int_equal(r.code, 0);
    json_t *again = json_load_file(TMP("again.json"), 0, &e);
    assert_non_null(again);
    double mean = json_number_value(json_object_get(json_object_get(json_object_get(
        json_array_get(json_object_get(again, "plans"), 0), "cost"), "staff_cost"), "mean"));
    assert_true(fabs(mean - staff) <= 1e-9 * fabs(staff));
    json_decref(again);
    json_decref(s);
    assert_int_equal(stop(&sv), 0);
    static char err[4096];
    slurp(TMP("err"), err, sizeof err);
    assert_non_null(strstr(err, "the session is saved in " TMP("session.json")));
    unlink(TMP("session.json"));
    unlink(TMP("again.json"));
}

static void serve_refuses_what_it_cannot_do(void **state)
{
    (void)state;
    static struct run r;
    run(&r, "serve --listen 127.0.0.1");
    assert_int_equal(r.code, 64);
    assert_non_null(strstr(r.err, "--listen takes ADDR:PORT"));
    run(&r, "serve --listen nowhere:80");
    assert_int_equal(r.code, 64);
    run(&r, "serve " TMP("missing.yaml"));
    assert_int_equal(r.code, 66);
    run(&r, "serve --save " TMP("no/such/folder/s.json"));
    assert_int_equal(r.code, 73);
    run(&r, "serve --jobs 0");
    assert_int_equal(r.code, 64);
    assert_non_null(strstr(r.err, "--jobs must be a whole number"));
    /* a port in use */
    struct server sv;
    start(&sv, "");
    char args[64];
    snprintf(args, sizeof args, "serve --listen 127.0.0.1:%u", sv.port);
    run(&r, args);
    assert_int_equal(r.code, 73);
    assert_non_null(strstr(r.err, "cannot listen on 127.0.0.1:"));
    assert_int_equal(stop(&sv), 0);
}

TEST_TABLE(test_cli_serve, cmocka_unit_test(serve_room_joins_rounds_attempts_and_ranks),
           cmocka_unit_test(serve_refuses_hostile_requests_and_keeps_serving),
           cmocka_unit_test(serve_saves_a_session_whose_plans_run_again),
           cmocka_unit_test(serve_refuses_what_it_cannot_do))
