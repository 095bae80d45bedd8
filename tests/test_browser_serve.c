/* tests/test_browser_serve.c — a workshop session of cxsim serve in a real
 * browser (issue 22), as people would run it: the facilitator opens the
 * board and a round; three teams, each in a browser context of its own
 * (their own sessionStorage), join with the room's code in the team page's
 * form, submit different staffing and read their score; the board, updated
 * by server-sent events alone, ranks them as GET /api/board's scores do;
 * the live day of the baseline, and a team's beside it, plays to the end
 * with every department drawn, and a click on a customer's dot tells their
 * story. No page may log an error or throw, at any point.
 *
 * Screenshots for a person to look at go to the build's test directory
 * (serve-board.png, serve-team.png, serve-live.png, serve-replay.png), and
 * into the directory $CXSIM_SCREENSHOTS names too when it is set:
 * CXSIM_SCREENSHOTS=docs/img takes the documentation's. Waits are bounds
 * for a page that hangs, never measures of speed. Skipped, saying so, when
 * Chromium is not installed (tests/browser.h).
 */
#include "tests/testutil.h"
#include "tests/browser.h"
#include "tests/serveutil.h"

#include <ctype.h>

#define WIDTH 1400
#define HEIGHT 900
#define DEPTS 4   /* the built-in dealership's: reception, credit, sales, insurance */

static char base_url[64];
static struct server sv;
static struct browser b;
static bool serving, browsing;   /* for tidy_up, after a failure too */

static void page_at(struct page *p, const char *path)
{
    char url[512];
    snprintf(url, sizeof url, "%s%s", base_url, path);
    page_goto(p, url);
}

/* Fails, saying what did not happen, unless the condition comes true. */
static void await(struct page *p, const char *js, int seconds, const char *what)
{
    if (!page_wait(p, js, seconds)) {
        print_error("%s did not happen (waited %d s for %s)\n", what, seconds, js);
        fail();
    }
}

static void no_errors(struct page *p, const char *which)
{
    page_true(p, "true");   /* what the page said before now, read */
    if (p->errors) {
        print_error("the %s page: %d error(s) on the browser's console\n", which, p->errors);
        fail();
    }
}

/* Saves the screenshot name (the viewport, or the whole page) in the test
 * directory, and a copy in $CXSIM_SCREENSHOTS too when it is set. */
static void screenshot(struct page *p, const char *name, bool whole_page)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", CXSIM_TEST_TMP, name);
    page_screenshot(p, path, whole_page);
    const char *docs = getenv("CXSIM_SCREENSHOTS");
    if (docs && *docs) {
        char copy[1024];
        snprintf(copy, sizeof copy, "cp '%s' '%s/%s'", path, docs, name);
        if (system(copy) != 0) {
            print_error("cannot copy %s into %s (CXSIM_SCREENSHOTS)\n", path, docs);
            fail();
        }
    }
}

/* The number in text, its digits only ("19,020" is 19020). */
static long digits_of(const char *text)
{
    long n = 0;
    for (; *text; text++)
        if (isdigit((unsigned char)*text))
            n = n * 10 + (*text - '0');
    return n;
}

/* A team joins in its own browser context and submits a plan: the value
 * of each named field (the label's text), the others left empty. Returns
 * the score its page shows. */
static long team_plays(struct page *p, const char *code, const char *team, const char *const *plan)
{
    page_at(p, "/");
    page_type(p, "#code", code);
    page_type(p, "#team", team);
    page_click(p, "#joinbtn");
    await(p, "!document.getElementById('play').hidden && document.querySelectorAll('#fields input').length > 0",
          60, "the team page's form");
    for (const char *const *f = plan; *f; f += 2) {
        char label[256], js[512], id[32];
        js_string(f[0], label, sizeof label);
        snprintf(js, sizeof js, "(Array.from(document.querySelectorAll('#fields label')).find(function (l) {"
                 " return l.textContent === %s; }) || {}).htmlFor || ''", label);
        page_text(p, js, id, sizeof id);
        if (!*id) {
            print_error("the team page has no field %s\n", f[0]);
            fail();
        }
        char sel[40];
        snprintf(sel, sizeof sel, "#%s", id);
        page_type(p, sel, f[1]);
    }
    await(p, "!document.getElementById('submit').disabled", 60, "the open round reaching the team page");
    page_click(p, "#submit");
    /* the attempt runs the scenario's days (minutes under valgrind) */
    await(p, "/score [0-9,]+ a day/.test(document.getElementById('result').textContent)", 600,
          "the attempt's result");
    no_errors(p, team);
    char score[64];
    page_text(p, "/score ([0-9,]+) a day/.exec(document.getElementById('result').textContent)[1]", score,
              sizeof score);
    return digits_of(score);
}

/* A customer of the pane waiting or being served, somewhere in the
 * viewport: clicked with the mouse at its dot, their story must show. */
static void click_a_customer(struct page *p, int pane)
{
    char js[1024], where[128];
    snprintf(js, sizeof js,
             "(function () { var p = window.cxsimLive.panes[%d], r = p.floor.getBoundingClientRect();"
             " var c = Object.keys(p.cust).map(function (k) { return p.cust[k]; }).find(function (c) {"
             " return (c.where === 'queue' || c.where === 'desk') && r.top + c.y > 0 && r.top + c.y < innerHeight; });"
             " return c ? (r.left + c.x) + ' ' + (r.top + c.y) : ''; })()", pane);
    page_text(p, js, where, sizeof where);
    double x, y;
    if (sscanf(where, "%lf %lf", &x, &y) != 2) {
        print_error("no customer waiting or served on the floor of pane %d at 12:30\n", pane);
        fail();
    }
    page_click_at(p, x, y);
    await(p, "!document.getElementById('story').hidden && "
             "document.getElementById('story').textContent.indexOf('arrives') >= 0",
          60, "the story of the customer clicked");
}

/* Plays a live day to its end at 4000 sim-seconds a second: every
 * department drawn in every pane. */
static void live_plays_to_the_end(struct page *p, const char *path, int panes)
{
    char url[256], js[128];
    snprintf(url, sizeof url, "%s%splay=1&speed=4000", path, strchr(path, '?') ? "&" : "?");
    page_at(p, url);
    await(p, "!!(window.cxsimLive && window.cxsimLive.ready)", 120, "the live day's loading");
    await(p, "document.body.dataset.finished === 'yes'", 120, "the end of the live day");
    snprintf(js, sizeof js, "+document.body.dataset.drawnDepts === %d", panes * DEPTS);
    if (!page_true(p, js)) {
        char drawn[32];
        page_text(p, "document.body.dataset.drawnDepts", drawn, sizeof drawn);
        print_error("%s: %s departments drawn, not %d\n", url, drawn, panes * DEPTS);
        fail();
    }
    no_errors(p, url);
}

/* The live day still at 12:30 (a busy hour): a screenshot, and a customer
 * clicked. */
static void live_at_half_past_twelve(struct page *p, const char *path, int pane, const char *png)
{
    char url[256];
    snprintf(url, sizeof url, "%s%sat=12:30", path, strchr(path, '?') ? "&" : "?");
    page_at(p, url);
    await(p, "!!(window.cxsimLive && window.cxsimLive.ready) && document.body.dataset.clock === '45000'", 120,
          "the live day at 12:30");
    screenshot(p, png, false);
    click_a_customer(p, pane);
    no_errors(p, url);
}

static void browser_runs_a_workshop_session(void **state)
{
    (void)state;
    const char *bin = chromium();
    if (!bin) {
        print_message("(skipped: no Chromium; apt-get install chromium, as .ci/run does)\n");
        return;
    }
    start(&sv, "");
    serving = true;
    snprintf(base_url, sizeof base_url, "http://127.0.0.1:%u", sv.port);
    assert_true(browser_start(&b, bin));
    browsing = true;

    /* the facilitator opens a round from the board */
    struct page board;
    page_open(&b, &board, false, WIDTH, HEIGHT);
    char path[256];
    snprintf(path, sizeof path, "/board?key=%s", sv.key);
    page_at(&board, path);
    page_true(&board, "window.notReloaded = true");   /* gone if the page loads again */
    await(&board, "document.getElementById('state').textContent === 'closed'", 60, "the board's first state");
    page_click(&board, "#open");
    await(&board, "document.getElementById('state').textContent === 'open'", 60, "the round's opening");

    /* three teams, each in its own browser context, each its own plan */
    static const char *const reds[] = {"sales staff", "4", NULL};
    static const char *const blues[] = {"credit staff", "4", "sales staff", "5", NULL};
    static const char *const greens[] = {NULL};   /* the scenario as it is */
    static const char *const names[] = {"Reds", "Blues", "Greens"};
    static const char *const *const plans[] = {reds, blues, greens};
    struct page team[3];
    long shown_to[3];
    for (int i = 0; i < 3; i++) {
        page_open(&b, &team[i], true, WIDTH, HEIGHT);
        shown_to[i] = team_plays(&team[i], sv.code, names[i], plans[i]);
    }
    screenshot(&team[0], "serve-team.png", true);   /* the form and the result under it */

    /* the board, never reloaded: the three teams ranked by best score, as the server ranks them */
    await(&board, "window.notReloaded && document.querySelectorAll('#rows tr').length === 3 &&"
                  " Array.from(document.querySelectorAll('#rows tr')).every(function (r) {"
                  " return r.cells[2].textContent !== '-'; })",
          60, "the board showing three teams' scores");
    static char body[1 << 16];
    assert_int_equal(http(sv.port, "GET", "/api/board", NULL, body, sizeof body), 200);
    json_t *api = json_loads(body, 0, NULL);
    assert_non_null(api);
    json_t *teams = json_object_get(api, "teams");
    assert_int_equal(json_array_size(teams), 3);
    char rows_text[4096];
    page_text(&board, "JSON.stringify(Array.from(document.querySelectorAll('#rows tr')).map(function (r) {"
                      " return [r.cells[1].textContent, r.cells[2].textContent]; }))", rows_text, sizeof rows_text);
    json_t *rows = json_loads(rows_text, 0, NULL);
    assert_non_null(rows);
    assert_int_equal(json_array_size(rows), 3);
    double previous = -INFINITY;
    unsigned seen = 0;
    for (size_t i = 0; i < 3; i++) {
        const char *name = json_string_value(json_array_get(json_array_get(rows, i), 0));
        const char *shown = json_string_value(json_array_get(json_array_get(rows, i), 1));
        json_t *t = NULL;
        for (size_t k = 0; k < 3; k++)
            if (!strcmp(text_of(json_array_get(teams, k), "team"), name))
                t = json_array_get(teams, k);
        int who = 0;
        while (who < 3 && strcmp(names[who], name))
            who++;
        if (!t || who == 3 || (seen & 1u << who)) {
            print_error("row %zu of the board: a team %s /api/board does not have, or has once only\n", i + 1, name);
            fail();
        }
        seen |= 1u << who;
        double score = json_number_value(json_object_get(json_object_get(t, "best"), "score"));
        if (digits_of(shown) != lround(score) || shown_to[who] != lround(score) || score < previous) {
            print_error("row %zu of the board: %s at %s (its page: %ld), /api/board: %.2f after %.2f\n", i + 1, name,
                        shown, shown_to[who], score, previous);
            fail();
        }
        previous = score;
    }
    json_decref(rows);
    json_decref(api);
    screenshot(&board, "serve-board.png", false);
    no_errors(&board, "board");

    /* the live day: the baseline's, then a team's beside it */
    struct page live;
    page_open(&b, &live, false, WIDTH, HEIGHT);
    live_plays_to_the_end(&live, "/live", 1);
    live_plays_to_the_end(&live, "/live?team=Blues", 2);
    live_at_half_past_twelve(&live, "/live", 0, "serve-live.png");
    live_at_half_past_twelve(&live, "/live?team=Blues", 1, "serve-replay.png");

    /* nothing went wrong on any page since */
    for (int i = 0; i < 3; i++)
        no_errors(&team[i], names[i]);
    no_errors(&board, "board");
    browser_stop(&b);
    browsing = false;
    serving = false;
    assert_int_equal(stop(&sv), 0);
    print_message("(screenshots: %s/serve-{board,team,live,replay}.png)\n", CXSIM_TEST_TMP);
}

/* Neither the browser nor the server outlives a failed test. */
static int tidy_up(void **state)
{
    (void)state;
    if (browsing)
        browser_stop(&b);
    if (serving)
        stop(&sv);
    browsing = serving = false;
    return 0;
}

TEST_TABLE(test_browser_serve, cmocka_unit_test_teardown(browser_runs_a_workshop_session, tidy_up))
