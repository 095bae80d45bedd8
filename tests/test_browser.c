/* tests/test_browser.c — the HTML reports in a real browser: headless
 * Chromium opens each report (run, compare, sweep of the dealership); every
 * figure must hold charts drawn at a size above zero, the console must show
 * no error, and a screenshot of the whole page is saved in the build's
 * testtmp/ (screenshot-run.png ...) for a person to look at.
 *
 * Chromium is driven through its DevTools protocol over a pipe
 * (--remote-debugging-pipe: commands on its fd 3, answers and events on its
 * fd 4, each a JSON text ended by a NUL byte), with jansson; the screenshot
 * comes back in base64, decoded with nettle. Skipped, saying so, when
 * Chromium is not installed ($CXSIM_CHROMIUM names another binary;
 * .ci/run installs Debian's chromium).
 */
#define _XOPEN_SOURCE 700   /* realpath */
#include "tests/testutil.h"
#include "sim/mem.h"
#include "tests/clirun.h"

#include <fcntl.h>
#include <jansson.h>
#include <limits.h>
#include <nettle/base64.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

struct browser {
    pid_t pid;
    int to, from;        /* our ends of its fd 3 and fd 4 */
    char *buf;           /* what it sent and we have not read */
    size_t len, cap;
    int errors;          /* console errors and exceptions seen */
    bool loaded;         /* Page.loadEventFired since the last navigation */
    char session[128];
    char profile[64];    /* its profile directory, removed at the end */
};

/* The string value of key in o, or "". */
static const char *text_of(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

static const char *chromium(void)
{
    const char *c = getenv("CXSIM_CHROMIUM");
    if (c)
        return c;
    return access("/usr/bin/chromium", X_OK) == 0 ? "/usr/bin/chromium" : NULL;
}

static bool browser_start(struct browser *b, const char *bin)
{
    int in[2], out[2];
    if (pipe(in) || pipe(out))
        return false;
    snprintf(b->profile, sizeof b->profile, "/tmp/cxsim-test-chromium-XXXXXX");
    if (!mkdtemp(b->profile))
        return false;
    b->pid = fork();
    if (b->pid == 0) {
        dup2(in[0], 3);
        dup2(out[1], 4);
        int null = open("/dev/null", O_WRONLY);
        dup2(null, 1);
        dup2(null, 2);
        char dir[96];
        snprintf(dir, sizeof dir, "--user-data-dir=%s", b->profile);
        execl(bin, bin, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
              "--remote-debugging-pipe", dir, "about:blank", (char *)NULL);
        _exit(127);
    }
    close(in[0]);
    close(out[1]);
    b->to = in[1];
    b->from = out[0];
    b->cap = 1 << 16;
    b->buf = sim_xmalloc(b->cap);
    b->len = 0;
    return b->pid > 0;
}

static void send_cmd(struct browser *b, int id, const char *method, json_t *params, bool in_session)
{
    json_t *m = json_pack("{s:i, s:s}", "id", id, "method", method);
    if (params)
        json_object_set_new(m, "params", params);
    if (in_session)
        json_object_set_new(m, "sessionId", json_string(b->session));
    char *text = json_dumps(m, JSON_COMPACT);
    size_t n = strlen(text) + 1;   /* the NUL ends the message */
    assert_int_equal(write(b->to, text, n), (ssize_t)n);
    free(text);
    json_decref(m);
}

/* The next message, waiting at most 60 s; NULL when the browser is gone. */
static json_t *next_message(struct browser *b)
{
    for (;;) {
        char *nul = memchr(b->buf, '\0', b->len);
        if (nul) {
            json_t *m = json_loads(b->buf, 0, NULL);
            size_t used = (size_t)(nul - b->buf) + 1;
            memmove(b->buf, b->buf + used, b->len - used);
            b->len -= used;
            return m;
        }
        struct pollfd p = {b->from, POLLIN, 0};
        if (poll(&p, 1, 60000) <= 0)
            return NULL;
        if (b->len + 65536 > b->cap) {
            b->cap *= 2;
            b->buf = sim_xrealloc(b->buf, b->cap);
        }
        ssize_t got = read(b->from, b->buf + b->len, 65536);
        if (got <= 0)
            return NULL;
        b->len += (size_t)got;
    }
}

/* Notes what an event says: an error on the console, the page loaded. */
static void on_event(struct browser *b, json_t *m)
{
    const char *method = json_string_value(json_object_get(m, "method"));
    json_t *params = json_object_get(m, "params");
    if (!method)
        return;
    if (!strcmp(method, "Page.loadEventFired"))
        b->loaded = true;
    if (!strcmp(method, "Runtime.exceptionThrown"))
        b->errors++;
    if (!strcmp(method, "Runtime.consoleAPICalled") &&
        !strcmp(text_of(params, "type"), "error"))
        b->errors++;
    if (!strcmp(method, "Log.entryAdded")) {
        json_t *entry = json_object_get(params, "entry");
        if (!strcmp(text_of(entry, "level"), "error")) {
            print_error("browser console: %s\n", json_string_value(json_object_get(entry, "text")));
            b->errors++;
        }
    }
}

/* Sends a command and returns its result (owned by the caller). */
static json_t *call(struct browser *b, int id, const char *method, json_t *params, bool in_session)
{
    send_cmd(b, id, method, params, in_session);
    for (;;) {
        json_t *m = next_message(b);
        if (!m) {
            print_error("the browser did not answer %s\n", method);
            fail();
        }
        if (json_integer_value(json_object_get(m, "id")) == id) {
            json_t *error = json_object_get(m, "error");
            if (error) {
                print_error("%s: %s\n", method, json_string_value(json_object_get(error, "message")));
                fail();
            }
            json_t *result = json_incref(json_object_get(m, "result"));
            json_decref(m);
            return result;
        }
        on_event(b, m);
        json_decref(m);
    }
}

static void save_png(const char *data, const char *path)
{
    struct base64_decode_ctx ctx;
    size_t n = strlen(data), out_len = BASE64_DECODE_LENGTH(n);
    uint8_t *png = sim_xmalloc(out_len);
    base64_decode_init(&ctx);
    assert_true(base64_decode_update(&ctx, &out_len, png, n, data) && base64_decode_final(&ctx));
    assert_true(out_len > 8 && memcmp(png, "\x89PNG", 4) == 0);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(png, 1, out_len, f), out_len);
    fclose(f);
    free(png);
}

/* What the page drew: per figure, the size of each of its charts. */
static const char sizes_js[] =
    "JSON.stringify(Array.from(document.querySelectorAll('figure')).map(f => ({id: f.id,"
    " charts: Array.from(f.querySelectorAll('svg.chart')).map(s => { const r = s.getBoundingClientRect();"
    " return [r.width, r.height, s.querySelectorAll('rect,path,circle,line').length]; })})))";

/* Opens file:// path, checks it and saves its screenshot as png. */
static void check_page(struct browser *b, int *id, const char *path, const char *png, size_t want_figures)
{
    char url[PATH_MAX + 16], abs[PATH_MAX];
    assert_non_null(realpath(path, abs));
    snprintf(url, sizeof url, "file://%s", abs);
    b->loaded = false;
    b->errors = 0;
    json_decref(call(b, (*id)++, "Page.navigate", json_pack("{s:s}", "url", url), true));
    while (!b->loaded) {
        json_t *m = next_message(b);
        if (!m) {
            print_error("%s never finished loading\n", path);
            fail();
        }
        on_event(b, m);
        json_decref(m);
    }
    json_t *r = call(b, (*id)++, "Runtime.evaluate", json_pack("{s:s, s:b}", "expression", sizes_js,
                                                               "returnByValue", 1), true);
    json_t *figs = json_loads(json_string_value(json_object_get(json_object_get(r, "result"), "value")), 0, NULL);
    assert_non_null(figs);
    assert_int_equal(json_array_size(figs), want_figures);
    size_t i;
    json_t *fig;
    json_array_foreach(figs, i, fig) {
        json_t *charts = json_object_get(fig, "charts");
        const char *fid = json_string_value(json_object_get(fig, "id"));
        if (json_array_size(charts) == 0) {
            print_error("%s: figure %s has no chart\n", path, fid);
            fail();
        }
        size_t k;
        json_t *c;
        json_array_foreach(charts, k, c) {
            double w = json_number_value(json_array_get(c, 0)), h = json_number_value(json_array_get(c, 1));
            if (!(w > 50 && h > 50) || json_integer_value(json_array_get(c, 2)) < 3) {
                print_error("%s: chart %zu of figure %s drawn at %.0f x %.0f\n", path, k, fid, w, h);
                fail();
            }
        }
    }
    json_decref(figs);
    json_decref(r);
    /* the whole page, as a person scrolling it would see it */
    r = call(b, (*id)++, "Page.getLayoutMetrics", NULL, true);
    json_t *size = json_object_get(r, "cssContentSize");
    json_t *clip = json_pack("{s:i, s:i, s:f, s:f, s:i}", "x", 0, "y", 0, "width",
                             json_number_value(json_object_get(size, "width")), "height",
                             json_number_value(json_object_get(size, "height")), "scale", 1);
    json_decref(r);
    r = call(b, (*id)++, "Page.captureScreenshot",
             json_pack("{s:s, s:o, s:b}", "format", "png", "clip", clip, "captureBeyondViewport", 1), true);
    save_png(json_string_value(json_object_get(r, "data")), png);
    json_decref(r);
    if (b->errors) {
        print_error("%s: %d error(s) on the browser's console\n", path, b->errors);
        fail();
    }
}

static void browser_shows_every_chart_without_errors(void **state)
{
    (void)state;
    const char *bin = chromium();
    if (!bin) {
        print_message("(skipped: no Chromium; apt-get install chromium, as .ci/run does)\n");
        return;
    }
    static struct run r;
    remove(CXSIM_TEST_TMP "/browser.db");
    run(&r, "run --reps 5 --format html -o " CXSIM_TEST_TMP "/run.html");
    assert_int_equal(r.code, 0);
    run(&r, "compare --reps 5 --format html -o " CXSIM_TEST_TMP "/compare.html");
    assert_int_equal(r.code, 0);
    run(&r, "sweep scenarios/dealership.yaml --reps 3 --db " CXSIM_TEST_TMP "/browser.db --format html -o "
            CXSIM_TEST_TMP "/sweep.html");
    assert_int_equal(r.code, 0);

    struct browser b = {0};
    assert_true(browser_start(&b, bin));
    int id = 1;
    json_t *t = call(&b, id++, "Target.createTarget", json_pack("{s:s}", "url", "about:blank"), false);
    json_t *s = call(&b, id++, "Target.attachToTarget",
                     json_pack("{s:s, s:b}", "targetId", json_string_value(json_object_get(t, "targetId")),
                               "flatten", 1), false);
    snprintf(b.session, sizeof b.session, "%s", json_string_value(json_object_get(s, "sessionId")));
    json_decref(t);
    json_decref(s);
    static const char *const enable[] = {"Page.enable", "Runtime.enable", "Log.enable"};
    for (size_t i = 0; i < 3; i++)
        json_decref(call(&b, id++, enable[i], NULL, true));
    json_decref(call(&b, id++, "Emulation.setDeviceMetricsOverride",
                     json_pack("{s:i, s:i, s:i, s:b}", "width", 1000, "height", 900, "deviceScaleFactor", 1,
                               "mobile", 0), true));
    check_page(&b, &id, CXSIM_TEST_TMP "/run.html", CXSIM_TEST_TMP "/screenshot-run.png", 5);
    check_page(&b, &id, CXSIM_TEST_TMP "/compare.html", CXSIM_TEST_TMP "/screenshot-compare.png", 2);
    check_page(&b, &id, CXSIM_TEST_TMP "/sweep.html", CXSIM_TEST_TMP "/screenshot-sweep.png", 1);
    send_cmd(&b, id++, "Browser.close", NULL, false);
    close(b.to);
    close(b.from);
    int status;
    if (waitpid(b.pid, &status, WNOHANG) == 0) {
        sleep(1);
        if (waitpid(b.pid, &status, WNOHANG) == 0) {
            kill(b.pid, SIGKILL);
            waitpid(b.pid, &status, 0);
        }
    }
    free(b.buf);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", b.profile);
    assert_int_equal(system(cmd), 0);
    remove(CXSIM_TEST_TMP "/browser.db");
    print_message("(screenshots: %s/screenshot-{run,compare,sweep}.png)\n", CXSIM_TEST_TMP);
}

TEST_TABLE(test_browser, cmocka_unit_test(browser_shows_every_chart_without_errors))
