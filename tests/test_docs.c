/* tests/test_docs.c — the sample outputs README.md and the pages of docs/ show
 * what the program prints now: support/samples.sh --check runs each marked
 * sample's command with the cxsim under test ($CXSIM_BIN) and fails naming
 * the file, the line and the command of every sample that differs, with a
 * diff (make samples rewrites them; docs/architecture.md, "Samples in the
 * docs").
 *
 * The tool is tried first on a page made up here, whose samples need no
 * cxsim: a stale block must be found and rewritten exactly, its cuts
 * marked "...", so a checker that finds nothing cannot pass for docs that
 * are true.
 */
#include "tests/testutil.h"
#include "tests/clirun.h"

#include <math.h>
#include <sys/wait.h>
#include <unistd.h>

/* Runs "sh support/samples.sh ARGS", its stderr into err (cap bytes);
 * returns its exit code. */
static int samples(const char *args, char *err, size_t cap)
{
    char path[] = CXSIM_TEST_TMP "/samples-err-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "sh support/samples.sh %s >/dev/null 2>%s", args, path);
    int status = system(cmd);
    assert_true(WIFEXITED(status));
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    size_t n = fread(err, 1, cap - 1, f);
    err[n] = '\0';
    fclose(f);
    unlink(path);
    return WEXITSTATUS(status);
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char *text = sim_xmalloc(65536);
    size_t n = fread(text, 1, 65535, f);
    text[n] = '\0';
    fclose(f);
    return text;
}

static void assert_contains(const char *text, const char *part)
{
    if (!strstr(text, part)) {
        print_error("expected to find\n%s\nin\n%s\n", part, text);
        fail();
    }
}

static void docs_samples_tool_rewrites_and_checks_a_made_up_page(void **state)
{
    (void)state;
    const char *page = CXSIM_TEST_TMP "/samples-page.md";
    write_file(page, "# A page\n"
                     "\n"
                     "<!-- sample: seq 1 10 | keep 2-3,-2 -->\n"
                     "```\n"
                     "$ seq 1 10\n"
                     "stale\n"
                     "```\n"
                     "\n"
                     "Two commands in one block, one over two lines, and a cut by pattern:\n"
                     "<!-- sample: printf 'head\\r\\n  - one\\n    wrapped\\n  - two\\ntail\\n' | pick '^  - one' -->\n"
                     "<!-- sample: echo 'a | b' \\\n"
                     "      c -->\n"
                     "```sh\n"
                     "```\n"
                     "\n"
                     "```\n"
                     "not a sample\n"
                     "```\n");
    char err[8192];
    assert_int_equal(samples("--check " CXSIM_TEST_TMP "/samples-page.md", err, sizeof err), 1);
    assert_contains(err, "samples-page.md:3: the sample `seq 1 10` is not what the program prints now");
    assert_contains(err, "-stale\n");
    assert_contains(err, "samples-page.md:10: the sample `printf");

    assert_int_equal(samples(CXSIM_TEST_TMP "/samples-page.md", err, sizeof err), 0);
    char *text = read_file(page);
    assert_string_equal(text, "# A page\n"
                              "\n"
                              "<!-- sample: seq 1 10 | keep 2-3,-2 -->\n"
                              "```\n"
                              "$ seq 1 10\n"
                              "...\n"
                              "2\n"
                              "3\n"
                              "...\n"
                              "9\n"
                              "10\n"
                              "```\n"
                              "\n"
                              "Two commands in one block, one over two lines, and a cut by pattern:\n"
                              "<!-- sample: printf 'head\\r\\n  - one\\n    wrapped\\n  - two\\ntail\\n' | pick '^  - one' -->\n"
                              "<!-- sample: echo 'a | b' \\\n"
                              "      c -->\n"
                              "```sh\n"
                              "$ printf 'head\\r\\n  - one\\n    wrapped\\n  - two\\ntail\\n'\n"
                              "...\n"
                              "  - one\n"
                              "    wrapped\n"
                              "...\n"
                              "$ echo 'a | b' \\\n"
                              "      c\n"
                              "a | b c\n"
                              "```\n"
                              "\n"
                              "```\n"
                              "not a sample\n"
                              "```\n");
    free(text);
    assert_int_equal(samples("--check " CXSIM_TEST_TMP "/samples-page.md", err, sizeof err), 0);

    /* a block that shows cxsim's output but says no command, and a cut that
     * no longer fits what is printed */
    write_file(page, "```\n$ cxsim run\n```\n\n<!-- sample: seq 1 3 | keep 2-5 -->\n```\n```\n");
    assert_int_equal(samples("--check " CXSIM_TEST_TMP "/samples-page.md", err, sizeof err), 1);
    assert_contains(err, "samples-page.md:2: this block starts with \"$ cxsim\" but has no <!-- sample: COMMAND -->");
    assert_contains(err, "samples-page.md:5: keep: 2-5 is not within the 3 lines printed");
    unlink(page);
}

static void docs_samples_are_what_the_program_prints(void **state)
{
    (void)state;
    char err[16384];
    int code = samples("--check", err, sizeof err);
    if (code != 0) {
        print_error("%s", err);
        print_error("(make samples rewrites README.md and docs/ from the program: review the diff, and "
                    "the prose around each sample that changed)\n");
    }
    assert_int_equal(code, 0);
}

/* docs/satisfaction.md works buyer #21's score out by hand from the waits
 * of the event log: the same arithmetic here, on the waits the program
 * logs now, must give the score it logs, and the page must show both (its
 * samples are checked above; this checks the sums between them). */
static void docs_satisfaction_example_is_the_programs(void **state)
{
    (void)state;
    static struct run r;
    run(&r, "trace --customer buyer#21 --format csv");
    assert_int_equal(r.code, 0);
    /* the dealership's qualities and the buyer's tolerated waits, as the
     * page quotes them from scenarios/dealership.yaml */
    static const struct {
        const char *dept;
        double quality, tolerated;
    } desk[] = {{"reception", 4.5, 3}, {"credit", 4.4, 15}, {"sales", 4.6, 10}, {"insurance", 4.4, 10}};
    double vmin = INFINITY, vlast = 0, vsum = 0, logged = NAN, wait_at_sales = NAN;
    int visits = 0;
    for (char *line = strtok(r.out, "\r\n"); line; line = strtok(NULL, "\r\n")) {
        char *f[16] = {0};
        size_t n = 0;
        for (char *p = line; n < 16; p++) {   /* the fields: no commas inside any of them here */
            f[n++] = p;
            if (!(p = strchr(p, ',')))
                break;
            *p = '\0';
        }
        if (n < 14)
            continue;
        if (!strcmp(f[6], "exit"))
            logged = strtod(f[13], NULL);
        if (strcmp(f[6], "start"))
            continue;
        double w = strtod(f[10], NULL), v = NAN;
        for (size_t d = 0; d < sizeof desk / sizeof desk[0]; d++)
            if (!strcmp(f[5], desk[d].dept))
                v = desk[d].quality - 1.0 * fmax(0, w - desk[d].tolerated) / desk[d].tolerated;
        assert_true(isfinite(v) && v >= 1 && v <= 5);
        if (!strcmp(f[5], "sales"))
            wait_at_sales = w;
        vmin = fmin(vmin, v);
        vlast = v;
        vsum += v;
        visits++;
    }
    assert_int_equal(visits, 3);
    double score = 0.3 * vmin + 0.3 * vlast + 0.4 * vsum / visits - 0.1 * (visits - 1);
    assert_near(score, logged, 0.0005 + 1e-9);
    char *page = read_file("docs/satisfaction.md"), want[64];
    snprintf(want, sizeof want, "%.3f", wait_at_sales);
    assert_contains(page, want);
    snprintf(want, sizeof want, "= %.5f", score);
    assert_contains(page, want);
    snprintf(want, sizeof want, "as %.3f", logged);
    assert_contains(page, want);
    free(page);
}

TEST_TABLE(test_docs, cmocka_unit_test(docs_samples_tool_rewrites_and_checks_a_made_up_page),
           cmocka_unit_test(docs_samples_are_what_the_program_prints),
           cmocka_unit_test(docs_satisfaction_example_is_the_programs))
