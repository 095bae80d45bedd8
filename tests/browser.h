/* tests/browser.h — headless Chromium for the tests, driven through its
 * DevTools protocol over a pipe (--remote-debugging-pipe: commands on its
 * fd 3, answers and events on its fd 4, each a JSON text ended by a NUL
 * byte), with jansson; screenshots come back in base64, decoded with nettle.
 *
 * One browser process (browser_start, browser_stop) holds pages (page_open),
 * each a tab attached in its own session, in the default browser context or
 * in one of its own (its own cookies and sessionStorage: a second user).
 * A page navigates and waits for its load (page_goto), evaluates JavaScript
 * to a value (page_eval and friends), clicks and types through the DOM
 * (page_click, page_type), clicks with the mouse at a point (page_click_at)
 * and saves a screenshot (page_screenshot); every console error and
 * uncaught exception is counted on its page (page->errors) and printed.
 * chromium() is NULL when Chromium is not installed: the test is skipped,
 * saying so. Static functions, for the test files that include it.
 */
#ifndef CXSIM_TEST_BROWSER_H
#define CXSIM_TEST_BROWSER_H

#include "tests/testutil.h"

#include <fcntl.h>
#include <jansson.h>
#include <nettle/base64.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <time.h>
#include <sys/wait.h>

#define BROWSER_PAGES 8

struct page;

struct browser {
    pid_t pid;
    int to, from;        /* our ends of its fd 3 and fd 4 */
    char *buf;           /* what it sent and we have not read */
    size_t len, cap;
    int next_id;         /* of the next command */
    struct page *pages[BROWSER_PAGES];   /* for the events of each session */
    size_t n_pages;
    char profile[64];    /* its profile directory, removed at the end */
};

struct page {
    struct browser *b;
    char session[128];
    char target[64];
    char context[64];    /* its own browser context's id, or "" */
    int errors;          /* console errors and exceptions seen */
    bool loaded;         /* Page.loadEventFired since the last navigation */
};

/* The string value of key in o, or "". */
static inline const char *text_of(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

/* The Chromium to run: $CXSIM_CHROMIUM, else /usr/bin/chromium; NULL when
 * there is none. */
static inline const char *chromium(void)
{
    const char *c = getenv("CXSIM_CHROMIUM");
    if (c)
        return c;
    return access("/usr/bin/chromium", X_OK) == 0 ? "/usr/bin/chromium" : NULL;
}

static inline bool browser_start(struct browser *b, const char *bin)
{
    int in[2], out[2];
    *b = (struct browser){.next_id = 1};
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
        /* pages not in front keep drawing and their timers keep time */
        execl(bin, bin, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
              "--disable-background-timer-throttling", "--disable-renderer-backgrounding",
              "--disable-backgrounding-occluded-windows", "--remote-debugging-pipe", dir, "about:blank",
              (char *)NULL);
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

/* Sends a command: to the browser when session is NULL, else to that
 * session's page. Returns its id. */
static inline int send_cmd(struct browser *b, const char *method, json_t *params, const char *session)
{
    int id = b->next_id++;
    json_t *m = json_pack("{s:i, s:s}", "id", id, "method", method);
    if (params)
        json_object_set_new(m, "params", params);
    if (session)
        json_object_set_new(m, "sessionId", json_string(session));
    char *text = json_dumps(m, JSON_COMPACT);
    size_t n = strlen(text) + 1;   /* the NUL ends the message */
    assert_int_equal(write(b->to, text, n), (ssize_t)n);
    free(text);
    json_decref(m);
    return id;
}

/* The next message, waiting at most 60 s; NULL when the browser is gone. */
static inline json_t *next_message(struct browser *b)
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

/* Notes what an event says on its page: an error on the console, an
 * exception nobody caught, the page loaded. */
static inline void on_event(struct browser *b, json_t *m)
{
    const char *method = json_string_value(json_object_get(m, "method"));
    json_t *params = json_object_get(m, "params");
    struct page *p = NULL;
    for (size_t i = 0; i < b->n_pages; i++)
        if (!strcmp(b->pages[i]->session, text_of(m, "sessionId")))
            p = b->pages[i];
    if (!method || !p)
        return;
    if (!strcmp(method, "Page.loadEventFired"))
        p->loaded = true;
    if (!strcmp(method, "Runtime.exceptionThrown")) {
        json_t *d = json_object_get(params, "exceptionDetails");
        const char *what = text_of(json_object_get(d, "exception"), "description");
        print_error("browser exception: %s %s%s%s\n", text_of(d, "text"), what, *text_of(d, "url") ? " at " : "",
                    text_of(d, "url"));
        p->errors++;
    }
    if (!strcmp(method, "Runtime.consoleAPICalled") && !strcmp(text_of(params, "type"), "error")) {
        json_t *arg = json_array_get(json_object_get(params, "args"), 0);
        print_error("browser console.error: %s\n", json_is_string(json_object_get(arg, "value")) ?
                    text_of(arg, "value") : text_of(arg, "description"));
        p->errors++;
    }
    if (!strcmp(method, "Log.entryAdded")) {
        json_t *entry = json_object_get(params, "entry");
        if (!strcmp(text_of(entry, "level"), "error")) {
            print_error("browser console: %s (%s)\n", text_of(entry, "text"), text_of(entry, "url"));
            p->errors++;
        }
    }
}

/* Sends a command and returns its result (owned by the caller); fails the
 * test on an error or when the browser does not answer. */
static inline json_t *call(struct browser *b, const char *method, json_t *params, const char *session)
{
    int id = send_cmd(b, method, params, session);
    for (;;) {
        json_t *m = next_message(b);
        if (!m) {
            print_error("the browser did not answer %s\n", method);
            fail();
        }
        if (json_integer_value(json_object_get(m, "id")) == id) {
            json_t *error = json_object_get(m, "error");
            if (error) {
                print_error("%s: %s\n", method, text_of(error, "message"));
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

/* Asks the browser to close, then makes sure it did; removes its profile. */
static inline void browser_stop(struct browser *b)
{
    send_cmd(b, "Browser.close", NULL, NULL);
    close(b->to);
    close(b->from);
    int status;
    if (waitpid(b->pid, &status, WNOHANG) == 0) {
        sleep(1);
        if (waitpid(b->pid, &status, WNOHANG) == 0) {
            kill(b->pid, SIGKILL);
            waitpid(b->pid, &status, 0);
        }
    }
    free(b->buf);
    b->buf = NULL;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", b->profile);
    assert_int_equal(system(cmd), 0);
}

/* Opens a blank page of width x height CSS pixels (a device scale of 1),
 * in a browser context of its own when own_context: a second user, whose
 * cookies and sessionStorage are not the first's. */
static inline void page_open(struct browser *b, struct page *p, bool own_context, int width, int height)
{
    assert_true(b->n_pages < BROWSER_PAGES);
    *p = (struct page){.b = b};
    json_t *params = json_pack("{s:s}", "url", "about:blank");
    if (own_context) {
        json_t *c = call(b, "Target.createBrowserContext", NULL, NULL);
        snprintf(p->context, sizeof p->context, "%s", text_of(c, "browserContextId"));
        json_decref(c);
        json_object_set_new(params, "browserContextId", json_string(p->context));
    }
    json_t *t = call(b, "Target.createTarget", params, NULL);
    snprintf(p->target, sizeof p->target, "%s", text_of(t, "targetId"));
    json_decref(t);
    json_t *s = call(b, "Target.attachToTarget", json_pack("{s:s, s:b}", "targetId", p->target, "flatten", 1), NULL);
    snprintf(p->session, sizeof p->session, "%s", text_of(s, "sessionId"));
    json_decref(s);
    b->pages[b->n_pages++] = p;
    static const char *const enable[] = {"Page.enable", "Runtime.enable", "Log.enable"};
    for (size_t i = 0; i < 3; i++)
        json_decref(call(b, enable[i], NULL, p->session));
    json_decref(call(b, "Emulation.setDeviceMetricsOverride",
                     json_pack("{s:i, s:i, s:i, s:b}", "width", width, "height", height, "deviceScaleFactor", 1,
                               "mobile", 0), p->session));
}

/* Opens url in the page and waits for its load event. */
static inline void page_goto(struct page *p, const char *url)
{
    p->loaded = false;
    json_t *r = call(p->b, "Page.navigate", json_pack("{s:s}", "url", url), p->session);
    if (*text_of(r, "errorText")) {
        print_error("%s: %s\n", url, text_of(r, "errorText"));
        fail();
    }
    json_decref(r);
    while (!p->loaded) {
        json_t *m = next_message(p->b);
        if (!m) {
            print_error("%s never finished loading\n", url);
            fail();
        }
        on_event(p->b, m);
        json_decref(m);
    }
}

/* The value of a JavaScript expression in the page (a promise's, once it
 * settles), owned by the caller; JSON null for undefined. Fails the test
 * when the expression throws. */
static inline json_t *page_eval(struct page *p, const char *js)
{
    json_t *r = call(p->b, "Runtime.evaluate",
                     json_pack("{s:s, s:b, s:b}", "expression", js, "returnByValue", 1, "awaitPromise", 1), p->session);
    json_t *thrown = json_object_get(r, "exceptionDetails");
    if (thrown) {
        print_error("%s\nthrew: %s\n", js, text_of(json_object_get(thrown, "exception"), "description"));
        fail();
    }
    json_t *v = json_object_get(json_object_get(r, "result"), "value");
    v = v ? json_incref(v) : json_null();
    json_decref(r);
    return v;
}

static inline bool page_true(struct page *p, const char *js)
{
    json_t *v = page_eval(p, js);
    bool yes = json_is_true(v);
    json_decref(v);
    return yes;
}

static inline double page_number(struct page *p, const char *js)
{
    json_t *v = page_eval(p, js);
    double x = json_is_number(v) ? json_number_value(v) : NAN;
    json_decref(v);
    return x;
}

/* The expression's value as a string into text ("" when not a string). */
static inline void page_text(struct page *p, const char *js, char *text, size_t cap)
{
    json_t *v = page_eval(p, js);
    snprintf(text, cap, "%s", json_is_string(v) ? json_string_value(v) : "");
    json_decref(v);
}

/* Waits for a JavaScript condition, looking every 0.1 s for at most
 * `seconds` (a bound for a page that hangs, not a measure of speed):
 * whether it came true. */
static inline bool page_wait(struct page *p, const char *js, int seconds)
{
    for (int i = 0; i < seconds * 10; i++) {
        if (page_true(p, js))
            return true;
        nanosleep(&(struct timespec){0, 100000000}, NULL);
    }
    return page_true(p, js);
}

/* text as a JavaScript string literal, into js (JSON's strings are). */
static inline void js_string(const char *text, char *js, size_t cap)
{
    json_t *s = json_string(text);
    char *lit = json_dumps(s, JSON_ENCODE_ANY);
    snprintf(js, cap, "%s", lit);
    free(lit);
    json_decref(s);
}

/* Clicks the element of a CSS selector, as a script would (el.click());
 * fails the test when there is none. */
static inline void page_click(struct page *p, const char *selector)
{
    char sel[512], js[1024];
    js_string(selector, sel, sizeof sel);
    snprintf(js, sizeof js, "(function () { var e = document.querySelector(%s); if (!e) return false; e.click();"
             " return true; })()", sel);
    if (!page_true(p, js)) {
        print_error("no %s to click\n", selector);
        fail();
    }
}

/* Types text into the field of a CSS selector: its value, the input and
 * change events a person's typing sends, and the field left. */
static inline void page_type(struct page *p, const char *selector, const char *text)
{
    char sel[512], val[512], js[1536];
    js_string(selector, sel, sizeof sel);
    js_string(text, val, sizeof val);
    snprintf(js, sizeof js, "(function () { var e = document.querySelector(%s); if (!e) return false; e.focus();"
             " e.value = %s; e.dispatchEvent(new Event('input', {bubbles: true}));"
             " e.dispatchEvent(new Event('change', {bubbles: true})); e.blur(); return true; })()", sel, val);
    if (!page_true(p, js)) {
        print_error("no %s to type in\n", selector);
        fail();
    }
}

/* A click of the mouse's left button at (x, y), CSS pixels from the top
 * left of the viewport. */
static inline void page_click_at(struct page *p, double x, double y)
{
    static const char *const what[] = {"mouseMoved", "mousePressed", "mouseReleased"};
    for (size_t i = 0; i < 3; i++)
        json_decref(call(p->b, "Input.dispatchMouseEvent",
                         json_pack("{s:s, s:f, s:f, s:s, s:i, s:i}", "type", what[i], "x", x, "y", y, "button",
                                   i ? "left" : "none", "buttons", i == 1, "clickCount", i ? 1 : 0),
                         p->session));
}

/* Decodes a screenshot's base64 and writes the PNG at path. */
static inline void save_png(const char *data, const char *path)
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
    assert_int_equal(fclose(f), 0);
    free(png);
}

/* Saves a PNG of what the page shows at path: the viewport, or the whole
 * page as a person scrolling it would see it. */
static inline void page_screenshot(struct page *p, const char *path, bool whole_page)
{
    json_t *params = json_pack("{s:s}", "format", "png");
    if (whole_page) {
        json_t *r = call(p->b, "Page.getLayoutMetrics", NULL, p->session);
        json_t *size = json_object_get(r, "cssContentSize");
        json_object_set_new(params, "clip",
                            json_pack("{s:i, s:i, s:f, s:f, s:i}", "x", 0, "y", 0, "width",
                                      json_number_value(json_object_get(size, "width")), "height",
                                      json_number_value(json_object_get(size, "height")), "scale", 1));
        json_object_set_new(params, "captureBeyondViewport", json_true());
        json_decref(r);
    }
    json_t *r = call(p->b, "Page.captureScreenshot", params, p->session);
    save_png(text_of(r, "data"), path);
    json_decref(r);
}

#endif
