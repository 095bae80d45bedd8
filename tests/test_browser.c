/* tests/test_browser.c — the HTML reports in a real browser: headless
 * Chromium opens each report (run, compare, sweep of the dealership); every
 * figure must hold charts drawn at a size above zero, the console must show
 * no error, and a screenshot of the whole page is saved in the build's
 * testtmp/ (screenshot-run.png ...) for a person to look at. Then, at a
 * wide and a narrow window, with the longest names a scenario may give, no
 * text of a chart may overlap another or leave its chart.
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

/* What every chart of the page does wrong with its texts, as an array of
 * sentences: a text whose box (as the browser set it, in the page's font)
 * overlaps another text's of the same chart by more than half a pixel
 * each way, or reaches beyond its chart's box. The text of a <title> (a
 * tooltip, never drawn) is not a text's. */
static const char layout_js[] =
    "(() => { const bad = [];"
    " const words = t => Array.from(t.childNodes).filter(n => n.nodeName !== 'title')"
    "   .map(n => n.textContent).join(' ');"
    " document.querySelectorAll('svg.chart').forEach(svg => {"
    "  const s = svg.getBoundingClientRect(), name = svg.getAttribute('aria-label');"
    "  const texts = Array.from(svg.querySelectorAll('text')).filter(t => words(t).trim() !== '');"
    "  const box = texts.map(t => t.getBoundingClientRect());"
    "  box.forEach((a, i) => {"
    "   if (a.left < s.left - 0.5 || a.right > s.right + 0.5 || a.top < s.top - 0.5 || a.bottom > s.bottom + 0.5)"
    "    bad.push(`${name}: \"${words(texts[i])}\" reaches beyond its chart (text ${Math.round(a.left - s.left)}..`"
    "     + `${Math.round(a.right - s.left)} x ${Math.round(a.top - s.top)}..${Math.round(a.bottom - s.top)}, `"
    "     + `chart ${Math.round(s.width)} x ${Math.round(s.height)})`);"
    "   for (let j = i + 1; j < box.length; j++) { const b = box[j];"
    "    const w = Math.min(a.right, b.right) - Math.max(a.left, b.left),"
    "          h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);"
    "    if (w > 0.5 && h > 0.5)"
    "     bad.push(`${name}: \"${words(texts[i])}\" overlaps \"${words(texts[j])}\" (${w.toFixed(1)} x ${h.toFixed(1)} px)`); }"
    "  }); });"
    " return bad; })()";

/* The layout's faults on the page at path (opened in p), each printed
 * unless quiet; how many. */
static size_t layout_faults(struct page *p, const char *path, int width, bool quiet)
{
    char url[PATH_MAX + 16], abs[PATH_MAX];
    assert_non_null(realpath(path, abs));
    snprintf(url, sizeof url, "file://%s", abs);
    page_goto(p, url);
    json_t *bad = page_eval(p, layout_js);
    assert_true(json_is_array(bad));
    size_t i, n = json_array_size(bad);
    json_t *v;
    json_array_foreach(bad, i, v) {
        if (!quiet)
            print_message("%s at %d px: %s\n", path, width, json_string_value(v));
    }
    json_decref(bad);
    return n;
}

/* Issue 23: "titles overlap their legends on long department names; the
 * compare legend overlaps and is clipped; labels in the differences chart
 * are cut". The dealership with the longest names a scenario may give and
 * plans named in sentences (tests/scenarios/long_names.yaml), and the
 * dealership itself, at a wide window and a narrow one: in every chart of
 * the run and compare reports no text may overlap another or leave its
 * chart. The checker is first shown a chart that does both, so that one
 * finding nothing cannot pass. Screenshots: testtmp/screenshot-long-*.png. */
static void browser_long_names_fit_at_two_widths(void **state)
{
    (void)state;
    const char *bin = chromium();
    if (!bin) {
        print_message("(skipped: no Chromium; apt-get install chromium, as .ci/run does)\n");
        return;
    }
    static struct run r;
    const char *bad_page = CXSIM_TEST_TMP "/layout-faults.html";
    FILE *f = fopen(bad_page, "w");
    assert_non_null(f);
    fputs("<!DOCTYPE html><html><body><svg class=\"chart\" aria-label=\"faults\" width=\"200\" height=\"60\" "
          "viewBox=\"0 0 200 60\"><text x=\"10\" y=\"20\">sales-managers</text><text x=\"40\" y=\"24\">credit</text>"
          "<text x=\"190\" y=\"50\">insurance</text><text x=\"10\" y=\"50\"><title>tooltip</title></text></svg>"
          "</body></html>\n", f);
    assert_int_equal(fclose(f), 0);
    remove(CXSIM_TEST_TMP "/long.db");
    remove(CXSIM_TEST_TMP "/dealership.db");
    static const char *const cmds[][2] = {
        {"run tests/scenarios/long_names.yaml --reps 5 --format html -o " CXSIM_TEST_TMP "/long-run.html", "long-run"},
        {"compare tests/scenarios/long_names.yaml --reps 5 --format html -o " CXSIM_TEST_TMP "/long-compare.html",
         "long-compare"},
        {"run --reps 5 --format html -o " CXSIM_TEST_TMP "/dealership-run.html", "dealership-run"},
        {"compare --reps 5 --format html -o " CXSIM_TEST_TMP "/dealership-compare.html", "dealership-compare"},
        {"sweep scenarios/dealership.yaml --reps 3 --db " CXSIM_TEST_TMP "/dealership.db --format html -o "
         CXSIM_TEST_TMP "/dealership-sweep.html", "dealership-sweep"},
        {"sweep tests/scenarios/long_names.yaml --reps 3 --db " CXSIM_TEST_TMP "/long.db --format html -o "
         CXSIM_TEST_TMP "/long-sweep.html", "long-sweep"}};
    enum { NPAGES = sizeof cmds / sizeof cmds[0] };
    for (size_t k = 0; k < NPAGES; k++) {
        run(&r, cmds[k][0]);
        if (r.code != 0) {
            print_error("cxsim %s: exit %d\n%s", cmds[k][0], r.code, r.err);
            fail();
        }
    }
    struct browser b;
    assert_true(browser_start(&b, bin));
    static const int widths[] = {1280, 700};
    struct page pages[2];
    size_t faults = 0;
    for (int w = 0; w < 2; w++) {
        struct page *p = &pages[w];
        page_open(&b, p, false, widths[w], 900);
        p->errors = 0;
        assert_int_equal(layout_faults(p, bad_page, widths[w], true), 2);   /* the overlap and the text beyond: found */
        for (size_t k = 0; k < NPAGES; k++) {
            char html[PATH_MAX], png[PATH_MAX];
            snprintf(html, sizeof html, "%s/%s.html", CXSIM_TEST_TMP, cmds[k][1]);
            snprintf(png, sizeof png, "%s/screenshot-%s-%d.png", CXSIM_TEST_TMP, cmds[k][1], widths[w]);
            faults += layout_faults(p, html, widths[w], false);
            /* the charts are drawn at the window's width, or their own when narrower */
            double widest = page_number(p, "Math.max(...Array.from(document.querySelectorAll('svg.chart'))"
                                           ".map(s => s.getBoundingClientRect().right))");
            if (!(widest <= widths[w])) {
                print_error("%s at %d px: a chart reaches %.0f px\n", html, widths[w], widest);
                fail();
            }
            page_screenshot(p, png, true);
        }
        if (p->errors) {
            print_error("%d error(s) on the browser's console at %d px\n", p->errors, widths[w]);
            fail();
        }
    }
    browser_stop(&b);
    remove(CXSIM_TEST_TMP "/long.db");
    remove(CXSIM_TEST_TMP "/dealership.db");
    if (faults) {
        print_error("%zu text(s) overlap or leave their chart (above)\n", faults);
        fail();
    }
    print_message("(screenshots: %s/screenshot-{long,dealership}-{run,compare,sweep}-{1280,700}.png)\n",
                  CXSIM_TEST_TMP);
}

TEST_TABLE(test_browser, cmocka_unit_test(browser_shows_every_chart_without_errors),
           cmocka_unit_test(browser_long_names_fit_at_two_widths))
