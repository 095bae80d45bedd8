/* tests/test_browser.c — the HTML reports in a real browser: headless
 * Chromium opens each report (run, compare, sweep of the dealership); every
 * figure must hold charts drawn at a size above zero, the console must show
 * no error, and a screenshot of the whole page is saved in the build's
 * testtmp/ (screenshot-run.png ...) for a person to look at.
 *
 * Chromium is driven through its DevTools protocol (tests/browser.h).
 * Skipped, saying so, when Chromium is not installed ($CXSIM_CHROMIUM names
 * another binary; .ci/run installs Debian's chromium).
 */
#define _XOPEN_SOURCE 700   /* realpath */
#include "tests/testutil.h"
#include "tests/browser.h"
#include "tests/clirun.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

/* What the page drew: per figure, the size of each of its charts. */
static const char sizes_js[] =
    "JSON.stringify(Array.from(document.querySelectorAll('figure')).map(f => ({id: f.id,"
    " charts: Array.from(f.querySelectorAll('svg.chart')).map(s => { const r = s.getBoundingClientRect();"
    " return [r.width, r.height, s.querySelectorAll('rect,path,circle,line').length]; })})))";

/* Opens file:// path, checks it and saves its screenshot as png. */
static void check_page(struct page *p, const char *path, const char *png, size_t want_figures)
{
    char url[PATH_MAX + 16], abs[PATH_MAX];
    assert_non_null(realpath(path, abs));
    snprintf(url, sizeof url, "file://%s", abs);
    p->errors = 0;
    page_goto(p, url);
    char text[65536];
    page_text(p, sizes_js, text, sizeof text);
    json_t *figs = json_loads(text, 0, NULL);
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
    page_screenshot(p, png, true);
    if (p->errors) {
        print_error("%s: %d error(s) on the browser's console\n", path, p->errors);
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

    struct browser b;
    assert_true(browser_start(&b, bin));
    struct page p;
    page_open(&b, &p, false, 1000, 900);
    check_page(&p, CXSIM_TEST_TMP "/run.html", CXSIM_TEST_TMP "/screenshot-run.png", 5);
    check_page(&p, CXSIM_TEST_TMP "/compare.html", CXSIM_TEST_TMP "/screenshot-compare.png", 2);
    check_page(&p, CXSIM_TEST_TMP "/sweep.html", CXSIM_TEST_TMP "/screenshot-sweep.png", 1);
    browser_stop(&b);
    remove(CXSIM_TEST_TMP "/browser.db");
    print_message("(screenshots: %s/screenshot-{run,compare,sweep}.png)\n", CXSIM_TEST_TMP);
}

TEST_TABLE(test_browser, cmocka_unit_test(browser_shows_every_chart_without_errors))
