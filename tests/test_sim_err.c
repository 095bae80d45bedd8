/* tests/test_sim_err.c — the error type: first error wins, locations,
 * printing with the source line and caret, suggestions. */
#include "tests/testutil.h"

#include "sim/err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *print_to_string(const struct sim_err *e, const char *src)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    sim_err_print(e, f, "cxsim", src, src ? strlen(src) : 0);
    fclose(f);
    return buf;
}

static void err_first_error_wins(void **state)
{
    (void)state;
    struct sim_err e;
    sim_err_init(&e);
    assert_int_equal(e.code, SIM_OK);
    assert_int_equal(e.arg, -1);
    assert_int_equal(sim_err_set(&e, SIM_EDATA, "first %d", 1), SIM_EDATA);
    assert_int_equal(sim_err_set_arg(&e, SIM_EIO, 2, "second"), SIM_EDATA);
    assert_string_equal(e.msg, "first 1");
    assert_int_equal(e.arg, -1);
    sim_err_locate(&e, "a.yaml", 3, 7);
    sim_err_locate(&e, "b.yaml", 9, 9);
    assert_string_equal(e.file, "a.yaml");
    assert_int_equal(e.line, 3);
    assert_int_equal(e.col, 7);
}

static void err_prints_line_and_caret(void **state)
{
    (void)state;
    struct sim_err e;
    sim_err_init(&e);
    sim_err_set(&e, SIM_EDATA, "staff must be a whole number");
    sim_err_locate(&e, "shop.yaml", 2, 10);
    char *out = print_to_string(&e, "name: x\n  staff: two\nnext: 1\n");
    assert_string_equal(out, "shop.yaml:2:10: error: staff must be a whole number\n"
                             "  staff: two\n"
                             "         ^\n");
    free(out);
}

static void err_caret_counts_utf8_and_keeps_tabs(void **state)
{
    (void)state;
    struct sim_err e;
    sim_err_init(&e);
    sim_err_set(&e, SIM_EDATA, "bad");
    sim_err_locate(&e, "f.yaml", 1, 5);
    /* "é" is two bytes but one column; the tab must stay a tab. */
    char *out = print_to_string(&e, "\t\xc3\xa9: x\r\n");
    assert_string_equal(out, "f.yaml:1:5: error: bad\n\t\xc3\xa9: x\n\t   ^\n");
    free(out);
}

/* A file's bytes reach the terminal only as printable text: control
 * characters (an escape sequence could clear the screen), invalid UTF-8
 * and C1 controls print as '?', one column each, in the message and the
 * line alike, and the caret stays under the column. */
static void err_prints_hostile_bytes_as_question_marks(void **state)
{
    (void)state;
    struct sim_err e;
    sim_err_init(&e);
    sim_err_set(&e, SIM_EDATA, "got \"\x1b[2J\xff\"");
    sim_err_locate(&e, "f.yaml", 1, 9);
    char *out = print_to_string(&e, "a: \x1b[2J\xff\xc2\x85\xc3\xa9 x\n");
    assert_string_equal(out, "f.yaml:1:9: error: got \"?[2J?\"\n"
                             "a: ?[2J??\xc3\xa9 x\n"
                             "        ^\n");
    free(out);
    /* a truncated sequence at the end of the line: one '?' per byte */
    sim_err_init(&e);
    sim_err_set(&e, SIM_EDATA, "cut short");
    sim_err_locate(&e, "g.yaml", 1, 1);
    out = print_to_string(&e, "ab\xe2\x82");
    assert_non_null(strstr(out, "\nab??\n^\n"));
    free(out);
}

/* A bidirectional control (a right-to-left override, an isolate) would
 * show the line in another order than it is written (issue 18, item 12):
 * it prints as '?' like any control, and the caret stays under its
 * column. The same rule serves text a program prints back. */
static void err_prints_bidirectional_controls_as_question_marks(void **state)
{
    (void)state;
    struct sim_err e;
    sim_err_init(&e);
    sim_err_set(&e, SIM_EDATA, "got \"\xe2\x80\xae" "exe.txt\"");
    sim_err_locate(&e, "f.yaml", 1, 10);
    char *out = print_to_string(&e, "name: \"a\xe2\x80\xae" "b\xe2\x81\xa6" "c\xe2\x80\x8f\xd8\x9c\xe2\x80\x94\"\n");
    assert_string_equal(out, "f.yaml:1:10: error: got \"?exe.txt\"\n"
                             "name: \"a?b?c??\xe2\x80\x94\"\n"
                             "         ^\n");
    free(out);
    static const struct {
        const char *s;
        size_t len;
        enum sim_err_text kind;
    } chars[] = {
        {"a", 1, SIM_ERR_TEXT_PRINTABLE},          {"\t", 1, SIM_ERR_TEXT_PRINTABLE},
        {"\n", 1, SIM_ERR_TEXT_CONTROL},           {"\x7f", 1, SIM_ERR_TEXT_CONTROL},
        {"\xc2\x85", 2, SIM_ERR_TEXT_CONTROL},     {"\xc3\xa9", 2, SIM_ERR_TEXT_PRINTABLE},
        {"\xe2\x80\xaa", 3, SIM_ERR_TEXT_CONTROL}, {"\xe2\x80\xab", 3, SIM_ERR_TEXT_CONTROL},
        {"\xe2\x80\xae", 3, SIM_ERR_TEXT_CONTROL}, {"\xe2\x80\xaf", 3, SIM_ERR_TEXT_PRINTABLE},
        {"\xe2\x81\xa5", 3, SIM_ERR_TEXT_PRINTABLE}, {"\xe2\x81\xa9", 3, SIM_ERR_TEXT_CONTROL},
        {"\xe2\x80\x8d", 3, SIM_ERR_TEXT_PRINTABLE}, {"\xe2\x80\x8e", 3, SIM_ERR_TEXT_CONTROL},
        {"\xff", 1, SIM_ERR_TEXT_MALFORMED},       {"\xe2\x80", 1, SIM_ERR_TEXT_MALFORMED},
    };
    for (size_t i = 0; i < sizeof chars / sizeof chars[0]; i++) {
        enum sim_err_text kind;
        assert_int_equal(sim_err_text_char(chars[i].s, strlen(chars[i].s), &kind), chars[i].len);
        assert_int_equal(kind, chars[i].kind);
    }
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    sim_err_put_text(f, "bogus\x1b[31m\xff\t\xe2\x80\xaeok\n");
    fclose(f);
    assert_string_equal(buf, "bogus?[31m?\t?ok?");
    free(buf);
}

/* A line too long for a terminal is shown as a window around the column,
 * "..." marking what is left out, the caret still under it. */
static void err_shows_a_window_of_a_long_line(void **state)
{
    (void)state;
    char src[4000];
    memset(src, '[', sizeof src - 1);
    src[sizeof src - 1] = '\0';
    struct sim_err e;
    sim_err_init(&e);
    sim_err_set(&e, SIM_EDATA, "nested too deeply");
    sim_err_locate(&e, "f.yaml", 1, 2000);
    char *out = print_to_string(&e, src);
    char *line = strchr(out, '\n') + 1, *caret = strchr(line, '\n') + 1;
    size_t line_len = (size_t)(caret - line - 1);
    assert_true(line_len <= 170);
    assert_memory_equal(line, "...[[[", 6);
    assert_memory_equal(line + line_len - 3, "...", 3);
    /* the caret is under character 2000: 80 characters into the window */
    assert_int_equal(strspn(caret, " "), 3 + 80);
    assert_string_equal(caret + 3 + 80, "^\n");
    free(out);
    /* near the start of the line, nothing is cut before it */
    e.col = 5;
    out = print_to_string(&e, src);
    line = strchr(out, '\n') + 1;
    assert_memory_equal(line, "[[[[[", 5);
    caret = strchr(line, '\n') + 1;
    assert_string_equal(caret, "    ^\n");
    free(out);
}

static void err_without_location_or_source(void **state)
{
    (void)state;
    struct sim_err e;
    sim_err_init(&e);
    sim_err_set(&e, SIM_EUSAGE, "unknown command 'rn'");
    char *out = print_to_string(&e, NULL);
    assert_string_equal(out, "cxsim: error: unknown command 'rn'\n");
    free(out);
    /* A located error whose line is past the end of the text prints no line. */
    sim_err_locate(&e, "f.yaml", 40, 1);
    out = print_to_string(&e, "one line\n");
    assert_string_equal(out, "f.yaml:40:1: error: unknown command 'rn'\n");
    free(out);
}

static void err_suggests_close_words_only(void **state)
{
    (void)state;
    const char *keys[] = {"staff", "service", "capacity", "discipline", "quality"};
    assert_string_equal(sim_err_suggest("staf", keys, 5), "staff");
    assert_string_equal(sim_err_suggest("capacty", keys, 5), "capacity");
    assert_string_equal(sim_err_suggest("servcie", keys, 5), "service");
    const char *cmds[] = {"dist", "help", "version"};
    assert_string_equal(sim_err_suggest("hepl", cmds, 3), "help");
    assert_null(sim_err_suggest("banana", keys, 5));
    assert_null(sim_err_suggest("", keys, 5));
}

TEST_TABLE(test_sim_err,
           cmocka_unit_test(err_first_error_wins),
           cmocka_unit_test(err_prints_line_and_caret),
           cmocka_unit_test(err_caret_counts_utf8_and_keeps_tabs),
           cmocka_unit_test(err_prints_hostile_bytes_as_question_marks),
           cmocka_unit_test(err_prints_bidirectional_controls_as_question_marks),
           cmocka_unit_test(err_shows_a_window_of_a_long_line),
           cmocka_unit_test(err_without_location_or_source),
           cmocka_unit_test(err_suggests_close_words_only))
