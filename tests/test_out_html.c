/* tests/test_out_html.c — the HTML reports without a browser: nice axis
 * ticks; for run, compare and sweep of the dealership, a file that parses
 * as XML (xmllint), holds every chart with its table, fetches nothing (no
 * address, no script, no font), and escapes what the scenario names. The
 * browser's view is tests/test_browser.c. */
#include "tests/testutil.h"
#include "sim/mem.h"
#include "tests/clirun.h"

#include "output/svg.h"

#include <stdlib.h>
#include <string.h>

static void html_ticks_are_nice(void **state)
{
    (void)state;
    struct oui_svg_ticks t = oui_svg_nice(0, 23.4, 6);
    assert_near(t.lo, 0, 0);
    assert_near(t.step, 5, 1e-12);
    assert_near(t.hi, 25, 1e-12);
    assert_int_equal(t.n, 6);
    t = oui_svg_nice(-1.3, 0.7, 5);
    assert_near(t.step, 0.5, 1e-12);
    assert_near(t.lo, -1.5, 1e-12);
    assert_near(t.hi, 1, 1e-12);
    t = oui_svg_nice(0, 17732, 6);
    assert_near(t.step, 5000, 1e-9);
    assert_near(t.hi, 20000, 1e-9);
    t = oui_svg_nice(3, 3, 5);   /* one value: a span that holds it */
    assert_true(t.lo <= 3 && t.hi > 3 && t.n >= 2);
    t = oui_svg_nice(0, 0, 5);
    assert_true(t.lo <= 0 && t.hi > 0);
    char buf[32];
    assert_string_equal(oui_svg_tick_label(buf, sizeof buf, 0.5, 0.5), "0.5");
    assert_string_equal(oui_svg_tick_label(buf, sizeof buf, 20000, 5000), "20000");
    assert_string_equal(oui_svg_tick_label(buf, sizeof buf, -1e-17, 0.25), "0.00");
}

static char *read_all(const char *path)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *text = sim_xmalloc((size_t)n + 1);
    assert_non_null(text);
    assert_int_equal(fread(text, 1, (size_t)n, f), (size_t)n);
    text[n] = '\0';
    fclose(f);
    return text;
}

/* Runs "cxsim ARGS --format html -o PATH", checks the file and returns its text. */
static char *html_of(const char *args, const char *path)
{
    static struct run r;
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "%s --format html -o %s", args, path);
    run(&r, cmd);
    if (r.code != 0) {
        print_error("cxsim %s: exit %d\n%s", cmd, r.code, r.err);
        fail();
    }
    /* well-formed: the whole document parses as XML, SVG included */
    snprintf(cmd, sizeof cmd, "xmllint --noout --nonet %s", path);
    assert_int_equal(system(cmd), 0);
    char *text = read_all(path);
    /* self-contained: nothing to fetch, nothing to run */
    static const char *const banned[] = {"http", "<script", "url(", "@import", "src=", "href=", "<link"};
    for (size_t i = 0; i < sizeof banned / sizeof *banned; i++)
        if (strstr(text, banned[i])) {
            print_error("%s holds \"%s\"\n", path, banned[i]);
            fail();
        }
    assert_true(strncmp(text, "<!DOCTYPE html>", 15) == 0);
    return text;
}

/* Each chart: a figure with its id, an SVG with a title, a table, a caption. */
static void assert_chart(const char *text, const char *id)
{
    char open[64];
    snprintf(open, sizeof open, "<figure id=\"%s\">", id);
    const char *fig = strstr(text, open), *end = fig ? strstr(fig, "</figure>") : NULL;
    if (!fig || !end) {
        print_error("no figure %s\n", id);
        fail();
    }
    const char *svg = strstr(fig, "<svg class=\"chart\" role=\"img\""), *table = strstr(fig, "<table>"),
               *caption = strstr(fig, "<figcaption>");
    if (!(svg && svg < end && table && table < end && caption && caption < end)) {
        print_error("figure %s lacks its chart, table or caption\n", id);
        fail();
    }
    assert_true(strstr(svg, "<title>") && strstr(svg, "<title>") < end);
}

static void html_reports_are_whole_and_fetch_nothing(void **state)
{
    (void)state;
    const char *path = CXSIM_TEST_TMP "/report.html";
    char *text = html_of("run --reps 5", path);
    static const char *const run_charts[] = {"waits", "losses", "satisfaction", "hours", "cost"};
    for (size_t i = 0; i < 5; i++)
        assert_chart(text, run_charts[i]);
    assert_non_null(strstr(text, "<li>Customers wait longest at"));
    assert_non_null(strstr(text, "customers who started within the target wait (%)"));   /* axis labels carry units */
    free(text);
    text = html_of("compare --reps 5", path);
    assert_chart(text, "plan-waits");
    assert_chart(text, "differences");
    assert_non_null(strstr(text, "<li>+1 credit officer: credit wait"));
    free(text);
    remove(CXSIM_TEST_TMP "/html.db");
    text = html_of("sweep scenarios/dealership.yaml --reps 3 --db " CXSIM_TEST_TMP "/html.db", path);
    assert_chart(text, "heatmap");
    assert_non_null(strstr(text, "cost.total_cost by departments.sales.staff+= and pools.floater.staff"));
    assert_non_null(strstr(text, "<li>No plan meets every goal with 95% confidence."));   /* 3 days: too few */
    free(text);
    text = html_of("sweep scenarios/dealership.yaml --reps 3 --db " CXSIM_TEST_TMP "/html.db --x "
                   "pools.floater.staff --metric departments.sales.wait_mean",
                   path);
    assert_non_null(strstr(text, "departments.sales.wait_mean by pools.floater.staff and "
                                 "departments.sales.staff+="));
    free(text);
    remove(CXSIM_TEST_TMP "/html.db");
    remove(path);
}

/* Names with <, &, quotes and apostrophes print as text, never as markup. */
static void html_escapes_what_the_scenario_names(void **state)
{
    (void)state;
    const char *path = CXSIM_TEST_TMP "/escaped.html";
    char *text = html_of("run --reps 2 --set 'name=A <b>bold</b> & \"quoted\" shop'\\''s'", path);
    assert_null(strstr(text, "<b>"));
    assert_non_null(strstr(text, "<h1>A &lt;b&gt;bold&lt;/b&gt; &amp; &quot;quoted&quot; shop&#39;s</h1>"));
    free(text);
    text = html_of("compare --reps 2 --set 'variants=[{name: \"<i>more</i> & \\\"staff\\\"\", set: "
                   "{departments.credit.staff: 4}}]'",
                   path);
    assert_null(strstr(text, "<i>"));
    assert_non_null(strstr(text, "&lt;i&gt;more&lt;/i&gt; &amp; &quot;staff&quot;"));
    free(text);
    remove(path);
}

/* Text laid out from its measured width: a line never wider than its room
 * unless one character is, broken where a name allows, and what does not fit
 * its lines cut with an ellipsis, the whole text in a tooltip. */
static void html_svg_text_wraps_where_it_may(void **state)
{
    (void)state;
    /* widths: DejaVu Sans's, a little more; wider in bold; a wider font size for titles */
    assert_near(oui_svg_text_width("reception", 9, NULL), 12 * (41 + 62 + 55 + 62 + 63 + 39 + 28 + 61 + 63) / 100.0 * 1.02,
                1e-9);
    assert_true(oui_svg_text_width("sales", 5, "title") > oui_svg_text_width("sales", 5, NULL));
    assert_true(oui_svg_text_width("sales", 5, "tick") < oui_svg_text_width("sales", 5, NULL));
    assert_near(oui_svg_text_width("\xe4\xb8\xad", 3, NULL), 12 * 1.02, 1e-9);   /* an ideograph: a whole em */

    struct oui_svg_lines l;
    oui_svg_wrap("sales", NULL, 500, 2, &l);   /* room enough: as it is */
    assert_int_equal(l.n, 1);
    assert_false(l.cut);
    const char *name = "reception_and_customer_welcome_desk";
    double whole = oui_svg_text_width(name, strlen(name), NULL);
    oui_svg_wrap(name, NULL, whole * 0.7, 2, &l);   /* after an underscore */
    assert_int_equal(l.n, 2);
    assert_false(l.cut);
    assert_int_equal(name[l.line[0].at + l.line[0].len - 1], '_');
    assert_int_equal(l.line[1].at, l.line[0].at + l.line[0].len);
    assert_true(l.width <= whole * 0.7);
    const char *camel = "InsuranceRegistrationAndKeysHandoverDesk";
    oui_svg_wrap(camel, NULL, oui_svg_text_width(camel, strlen(camel), NULL) * 0.9, 2, &l);   /* before a capital */
    assert_int_equal(l.n, 2);
    assert_string_equal(camel + l.line[1].at, "Desk");
    const char *plan = "One more credit officer on every step of the schedule, all day long";
    oui_svg_wrap(plan, NULL, 150, 2, &l);   /* at spaces, the spaces dropped; then cut */
    assert_int_equal(l.n, 2);
    assert_true(l.cut);
    assert_true(l.width <= 150);
    assert_int_equal(plan[l.line[0].at], 'O');
    assert_true(plan[l.line[0].at + l.line[0].len - 1] != ' ' && plan[l.line[1].at] != ' ');
    oui_svg_wrap("xxxxxxxxxxxxxxxxxxxxxxxx", NULL, 40, 3, &l);   /* no break: anywhere */
    assert_int_equal(l.n, 3);
    assert_true(l.cut && l.width <= 40);
    oui_svg_wrap("W", NULL, 2, 1, &l);   /* one character wider than the room: still shown */
    assert_int_equal(l.n, 1);
    assert_int_equal(l.line[0].len, 1);

    /* written: lines as tspans, the cut one with its ellipsis and the whole text as a tooltip */
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    assert_non_null(f);
    assert_int_equal(oui_svg_text_fit(f, 100, 50, "end", NULL, plan, 150, 2), 2);
    assert_int_equal(oui_svg_text_fit(f, 100, 50, "end", NULL, "sales", 150, 2), 1);
    fclose(f);
    assert_non_null(strstr(text, "<title>One more credit officer on every step of the schedule, all day long</title>"));
    assert_non_null(strstr(text, "\xe2\x80\xa6</tspan></text>"));
    assert_non_null(strstr(text, "<text x=\"100.0\" y=\"54.0\" text-anchor=\"end\">sales</text>"));
    free(text);

    /* a legend: rows as they fill, a label wider than a row wrapped */
    struct oui_svg_key keys[] = {{OUI_SVG_SWATCH, "#000", "baseline"}, {OUI_SVG_WHISKER, "#000", plan},
                                 {OUI_SVG_DOT, "#000", "a"}};
    double one = oui_svg_keys(NULL, 0, 18, 700, keys, 1), rows = oui_svg_keys(NULL, 0, 18, 300, keys, 3);
    assert_true(one > 12 && one < 24);
    assert_true(rows > 3 * one);   /* baseline; the plan over two lines; "a" */
}

/* The differences of a comparison: a panel each for the waits, the drop-outs,
 * satisfaction and cost, each plan a dot with its interval, and every
 * change in the table under them (issue 23: the chart showed waits only). */
static void html_differences_show_drop_outs_satisfaction_and_cost(void **state)
{
    (void)state;
    const char *path = CXSIM_TEST_TMP "/differences.html";
    char *text = html_of("compare --reps 5", path);
    const char *fig = strstr(text, "<figure id=\"differences\">"), *end = fig ? strstr(fig, "</figure>") : NULL;
    assert_non_null(fig);
    assert_non_null(end);
    static const char *const panels[] = {"Mean wait: each plan&#39;s change from the baseline, by department",
                                         "Drop-outs: change in the share of external customers who leave unserved",
                                         "Satisfaction: change in external customers&#39; mean score",
                                         "Cost: change in the total of staff cost and lost value"};
    const char *at = fig;
    for (size_t k = 0; k < 4; k++) {
        char open[300];
        snprintf(open, sizeof open, "<svg class=\"chart\" role=\"img\" aria-label=\"%s\"", panels[k]);
        const char *svg = strstr(at, open), *close = svg ? strstr(svg, "</svg>") : NULL;
        if (!svg || svg > end) {
            print_error("the differences have no panel \"%s\" (or not in this order)\n", panels[k]);
            fail();
        }
        size_t dots = 0;
        for (const char *c = svg; (c = strstr(c, "<circle")) && c < close; c++)
            dots++;
        assert_int_equal(dots, k == 0 ? 2 * 4 : 2);   /* two plans; at four departments for the waits */
        at = close;
    }
    static const char *const rows[] = {"<td>+1 sales manager</td><td>share of external customers lost</td>",
                                       "<td>+1 sales manager</td><td>external customers&#39; mean satisfaction</td>",
                                       "<td>+1 sales manager</td><td>total cost</td>",
                                       "<td>+1 credit officer</td><td>credit: mean wait</td>"};
    for (size_t k = 0; k < 4; k++) {
        const char *row = strstr(fig, rows[k]);
        if (!row || row > end) {
            print_error("the differences' table has no row %s\n", rows[k]);
            fail();
        }
    }
    free(text);
    remove(path);
}

TEST_TABLE(test_out_html,
           cmocka_unit_test(html_ticks_are_nice),
           cmocka_unit_test(html_svg_text_wraps_where_it_may),
           cmocka_unit_test(html_reports_are_whole_and_fetch_nothing),
           cmocka_unit_test(html_escapes_what_the_scenario_names),
           cmocka_unit_test(html_differences_show_drop_outs_satisfaction_and_cost))
