/* tests/test_mdl_ydoc.c — the YAML layer: positions, duplicate keys, alias
 * bombs, nesting, syntax and encoding errors, each at the right place; large
 * documents (100,000 keys, 50,000 anchors) read whole, their errors found.
 * How fast they are read is support/bench_ydoc.c's business, not a test's. */
#include "tests/testutil.h"

#include "models/ydoc.h"
#include "sim/mem.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* Parses text; returns the error code and leaves the error in *err. */
static int parse(const char *text, struct mdl_ynode **root, struct mdl_ydoc *doc, struct sim_err *err)
{
    mdl_ydoc_init(doc);
    sim_err_init(err);
    return mdl_ydoc_parse(doc, "t.yaml", text, strlen(text), root, err);
}

static void expect_error(const char *text, int line, int col, const char *words)
{
    struct mdl_ydoc doc;
    struct sim_err err;
    struct mdl_ynode *root;
    int rc = parse(text, &root, &doc, &err);
    if (rc != SIM_EDATA || err.line != line || err.col != col || !strstr(err.msg, words) ||
        strcmp(err.file, "t.yaml") != 0) {
        print_error("got %d at %s:%d:%d \"%s\"; expected 65 at t.yaml:%d:%d \"%s\"\n", rc, err.file,
                    err.line, err.col, err.msg, line, col, words);
        mdl_ydoc_fini(&doc);
        fail();
    }
    mdl_ydoc_fini(&doc);
}

static void ydoc_builds_a_positioned_tree(void **state)
{
    (void)state;
    struct mdl_ydoc doc;
    struct sim_err err;
    struct mdl_ynode *root;
    const char *text = "name: Shop\n"
                       "departments:\n"
                       "  desk: {staff: 2, service: {dist: constant, value: 3}}\n"
                       "list: [1, \"two\"]\n";
    assert_int_equal(parse(text, &root, &doc, &err), SIM_OK);
    assert_int_equal(root->kind, MDL_Y_MAP);
    assert_int_equal(root->n, 3);
    struct mdl_ynode *desk = mdl_ynode_get(mdl_ynode_get(root, "departments"), "desk");
    assert_non_null(desk);
    struct mdl_ynode *staff = mdl_ynode_get(desk, "staff");
    assert_string_equal(staff->text, "2");
    assert_true(staff->plain);
    assert_int_equal(staff->line, 3);
    assert_int_equal(staff->col, 17);
    assert_int_equal(desk->pairs[1].line, 3);
    assert_int_equal(desk->pairs[1].col, 20); /* the key "service" */
    struct mdl_ynode *list = mdl_ynode_get(root, "list");
    assert_int_equal(list->kind, MDL_Y_SEQ);
    assert_int_equal(list->n, 2);
    assert_false(list->items[1]->plain);
    assert_null(mdl_ynode_get(root, "nothing"));
    mdl_ydoc_fini(&doc);
    /* An empty document has no root and no error. */
    assert_int_equal(parse("# only a comment\n", &root, &doc, &err), SIM_OK);
    assert_null(root);
    mdl_ydoc_fini(&doc);
}

static void ydoc_refuses_duplicate_keys_at_the_second(void **state)
{
    (void)state;
    expect_error("a: 1\nb:\n  x: 1\n  x: 2\n", 4, 3, "duplicate key 'x' (first given at line 3)");
    expect_error("{a: 1, a: 2}", 1, 8, "duplicate key 'a'");
}

static void ydoc_shares_aliases_and_stops_bombs(void **state)
{
    (void)state;
    struct mdl_ydoc doc;
    struct sim_err err;
    struct mdl_ynode *root;
    assert_int_equal(parse("base: &s {dist: exponential, mean: 4}\nother: *s\n", &root, &doc, &err), SIM_OK);
    assert_ptr_equal(mdl_ynode_get(root, "base"), mdl_ynode_get(root, "other"));
    mdl_ydoc_fini(&doc);
    /* billion laughs: 10 levels of 10 aliases each */
    char bomb[4096] = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
    for (char c = 'b'; c <= 'j'; c++) {
        char line[128];
        snprintf(line, sizeof line, "%c: &%c [*%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c, *%c]\n", c, c,
                 c - 1, c - 1, c - 1, c - 1, c - 1, c - 1, c - 1, c - 1, c - 1, c - 1);
        strcat(bomb, line);
    }
    assert_int_equal(parse(bomb, &root, &doc, &err), SIM_EDATA);
    assert_non_null(strstr(err.msg, "too large"));
    mdl_ydoc_fini(&doc);
    expect_error("a: *nowhere\n", 1, 4, "unknown alias");
}

static void ydoc_limits_nesting(void **state)
{
    (void)state;
    char deep[512];
    memset(deep, '[', 100);
    memset(deep + 100, ']', 100);
    deep[200] = '\0';
    expect_error(deep, 1, 66, "nested too deeply");
}

static void ydoc_reports_syntax_and_encoding_errors(void **state)
{
    (void)state;
    expect_error("a: [1, 2\nb: 3\n", 1, 4, "YAML syntax error: this [ list is not closed");
    expect_error("a: [1, 2", 1, 9, "YAML syntax error: the text ends too early");
    /* libyaml's index counts characters: an 'é' before does not hide the end */
    expect_error("a: Caf\xc3\xa9\nb: [1, 2", 2, 9, "YAML syntax error: the text ends too early");
    expect_error("a: [1, 2]\n  b: 2\n", 2, 3, "this line is indented 2 spaces where 'a' above it (line 1) is "
                                           "indented 0: keys of one mapping line up");
    expect_error("a: 1\nb: \xff\xfe\n", 2, 4, "the file is not UTF-8 text (invalid leading UTF-8 octet); save it as UTF-8");
    /* a Latin-1 'é' is shown where it stands, not at the byte after it */
    expect_error("name: Caf\xe9 shop\n", 1, 10, "the file is not UTF-8 text (invalid trailing UTF-8 octet)");
    expect_error("a: 1\n---\nb: 2\n", 2, 1, "one YAML document");
    expect_error("? [a, b]\n: 1\n", 1, 3, "a key must be a plain name");
}

/* Parses text, which must be refused at line:col with exactly msg. */
static void expect_exact(const char *text, int line, int col, const char *msg)
{
    struct mdl_ydoc doc;
    struct sim_err err;
    struct mdl_ynode *root;
    int rc = parse(text, &root, &doc, &err);
    if (rc != SIM_EDATA || err.line != line || err.col != col || strcmp(err.msg, msg) != 0) {
        print_error("text:\n%s\ngot %d at %d:%d \"%s\"\nexpected 65 at %d:%d \"%s\"\n", text, rc, err.line, err.col,
                    err.msg, line, col, msg);
        mdl_ydoc_fini(&doc);
        fail();
    }
    mdl_ydoc_fini(&doc);
}

#define TAB_INDENT "a tab in the indentation: YAML indents with spaces only (replace the tab with spaces)"

/* YAML indents with spaces; libyaml's words for a tab there ("found
 * character that cannot start any token") never named it. The tab is
 * named, and pointed at, wherever it stands. */
static void ydoc_explains_a_tab_in_the_indentation(void **state)
{
    (void)state;
    expect_exact("d:\n\tdesk: 1\n", 2, 1, TAB_INDENT);                     /* the first key of a mapping */
    expect_exact("d:\n  a: 1\n\tb: 2\n", 3, 1, TAB_INDENT);                /* a later key */
    expect_exact("d:\n  a: 1\n  \t  b: 2\n", 3, 3, TAB_INDENT);            /* after spaces */
    expect_exact("\tname: x\n", 1, 1, TAB_INDENT);                          /* the first line */
    expect_exact("s:\n  - 1\n\t- 2\n", 3, 1, TAB_INDENT);                  /* a list item */
    expect_exact("s:\n\t- 1\n", 2, 1, TAB_INDENT);
    expect_exact("s:\n  - at: 1\n\t  count: 2\n", 3, 1, TAB_INDENT);       /* a key of an item */
    expect_exact("a: some text\n\tmore text\n", 2, 1, TAB_INDENT);         /* a text that runs on */
    expect_exact("a: 1\n\t# a note\nb: 2\n", 2, 1, TAB_INDENT);            /* before a comment */
    const char *blank = "a tab in the indentation of a blank line: YAML indents with spaces only (remove the tab)";
    expect_exact("a: 1\n\t\nb: 2\n", 2, 1, blank);
    expect_exact("d:\n  a: [1]\n\t  \n  b: 2\n", 3, 1, blank);
    expect_exact("a: |\n  text\n\t\nb: 1\n", 3, 1, blank);                  /* in a block text */
    const char *dash = "a tab after a list item's '-': the YAML reader takes only a space there (replace the tab "
                       "with a space)";
    expect_exact("s:\n  - 1\n  -\t2\n", 3, 4, dash);
    expect_exact("-\t{a: 1}\n", 1, 2, dash);
}

/* A tab is a space to YAML after a key's ':', between the values of a
 * [list] or {mapping}, before a comment, at the end of a line and inside a
 * text: all of these are read, as they were. */
static void ydoc_reads_tabs_where_yaml_allows_them(void **state)
{
    (void)state;
    struct mdl_ydoc doc;
    struct sim_err err;
    struct mdl_ynode *root;
    assert_int_equal(parse("a:\t1\nb:\t{x:\t2,\ty: 3}\nc: 4\t# a note\nd: 5\t\n#\ta comment\ne:\t\n  f:\t6\n"
                           "g: [1,\n  \t2]\nh: x\ty\ni: \"x\ty\"\nj: |\n  one\n  \ttwo\nk:\n  - l:\t7\n",
                           &root, &doc, &err),
                     SIM_OK);
    assert_string_equal(mdl_ynode_get(root, "a")->text, "1");
    assert_string_equal(mdl_ynode_get(mdl_ynode_get(root, "b"), "x")->text, "2");
    assert_string_equal(mdl_ynode_get(root, "c")->text, "4");
    assert_string_equal(mdl_ynode_get(root, "d")->text, "5");
    assert_string_equal(mdl_ynode_get(mdl_ynode_get(root, "e"), "f")->text, "6");
    assert_int_equal(mdl_ynode_get(root, "g")->n, 2);
    assert_string_equal(mdl_ynode_get(root, "h")->text, "x\ty");
    assert_string_equal(mdl_ynode_get(root, "i")->text, "x\ty");
    assert_string_equal(mdl_ynode_get(root, "j")->text, "one\n\ttwo\n");
    assert_string_equal(mdl_ynode_get(mdl_ynode_get(root, "k")->items[0], "l")->text, "7");
    mdl_ydoc_fini(&doc);
}

/* A line indented one space too far or too little: libyaml said "did not
 * find expected key while parsing a block mapping" or "mapping values are
 * not allowed in this context"; the line is told what its neighbours are
 * indented, and pointed at where it starts. */
static void ydoc_explains_a_misaligned_line(void **state)
{
    (void)state;
    /* a key too far, after a plain value: it reads as more of that value */
    expect_exact("d:\n  desk:\n    staff: 2\n     service: 3\n", 4, 6,
                 "this line is indented 5 spaces where 'staff' above it (line 3) is indented 4, so it reads as "
                 "more of the value of 'staff': keys of one mapping line up");
    expect_exact("a: 1\n  b: 2\n", 2, 3,
                 "this line is indented 2 spaces where 'a' above it (line 1) is indented 0, so it reads as more "
                 "of the value of 'a': keys of one mapping line up");
    expect_exact("s:\n  - at: 12\n     count: 1\n", 3, 6,
                 "this line is indented 5 spaces where 'at' above it (line 2) is indented 4, so it reads as more "
                 "of the value of 'at': keys of one mapping line up");
    /* a key too far after a value complete on its line */
    expect_exact("d:\n  a: {x: 1}\n   b: 2\n", 3, 4,
                 "this line is indented 3 spaces where 'a' above it (line 2) is indented 2: keys of one mapping "
                 "line up");
    expect_exact("d:\n  a: \"x\"\n   b: 2\n", 3, 4,
                 "this line is indented 3 spaces where 'a' above it (line 2) is indented 2: keys of one mapping "
                 "line up");
    /* a key too little: between two levels */
    expect_exact("d:\n  desk:\n    staff: 2\n   service: 3\nc: 1\n", 4, 4,
                 "this line is indented 3 spaces, between 'staff' above it (line 3, 4 spaces) and 'desk' (line 2, "
                 "2 spaces): keys of one mapping line up");
    expect_exact("d:\n  desk:\n    staff: 2\n service: 3\n", 4, 2,
                 "this line is indented 1 space, between 'desk' above it (line 2, 2 spaces) and 'd' (line 1, 0 "
                 "spaces): keys of one mapping line up");
    expect_exact("s:\n  - at: 9\n   count: 1\n", 3, 4,
                 "this line is indented 3 spaces, between 'at' above it (line 2, 4 spaces) and the list item "
                 "(line 2, 2 spaces): keys of one mapping line up");
    /* a list item too little, too far */
    expect_exact("s:\n  - 1\n - 2\n", 3, 2,
                 "this line is indented 1 space, between the list item above it (line 2, 2 spaces) and 's' (line "
                 "1, 0 spaces): items of one list line up");
    expect_exact("s:\n  - at: 9\n    count: 2\n   - at: 12\n", 4, 4,
                 "this line is indented 3 spaces, between 'count' above it (line 3, 4 spaces) and the list item "
                 "(line 2, 2 spaces): items of one list line up");
    expect_exact("s:\n  - [1]\n   - [2]\n", 3, 4,
                 "this line is indented 3 spaces where the list item above it (line 2) is indented 2: items of "
                 "one list line up");
    /* lists and mappings mixed at one level */
    expect_exact("d:\n  a: 1\n  - 2\n", 3, 3,
                 "a list item among the keys of a mapping ('a', line 2): a list goes under a key of its own, "
                 "'key:' then its '- ' lines, indented");
    expect_exact("d:\n  - 1\n  a: 2\n", 3, 3,
                 "this line is lined up with the items of a list (line 2) but does not start with '- ' as they do");
    /* the first line indented, and the next not: said at the first */
    expect_exact("# a comment\n name: x\nseed: 1\n", 2, 2,
                 "this line is indented 1 space where line 3 below it is indented 0: the top level of a file "
                 "starts at its first column");
    /* a text run on to a line indented less than its key */
    expect_exact("d:\n  desc: a long text\n goes on\n", 3, 2,
                 "this line is indented 1 space, between 'desc' above it (line 2, 2 spaces) and 'd' (line 1, 0 "
                 "spaces): keys of one mapping line up; to continue the value of 'desc' (line 2), indent this "
                 "line more than desc");
    /* more on the line of a value closed by ] } or a quote */
    expect_exact("d:\n  a: {x: 1}  b: 2\n", 2, 14,
                 "something follows the '}' that closes the value before it: the next key starts a line of its own");
    expect_exact("d:\n  a: \"x\" b: 2\n", 2, 10,
                 "something follows the '\"' that closes the value before it: the next key starts a line of its "
                 "own");
    /* a list item on its key's line */
    expect_exact("a: - 1\n", 1, 4,
                 "a list item on its key's line: put each item ('- ') on a line of its own below the key, "
                 "indented, or write the list as [a, b]");
}

/* A key without its ':' was told on the line after it ("could not find
 * expected ':'"), or at the next key's ':' ("mapping values are not
 * allowed"); it is told at the key. */
static void ydoc_explains_a_missing_colon(void **state)
{
    (void)state;
    const char *nocolon = "no ':' on this line: a key is written 'key: value', a colon then a space";
    expect_exact("d:\n  staff: 2\n  service\n  other: 1\n", 3, 3, nocolon);
    expect_exact("d:\n  staff: 2\n  other 1\n", 3, 3, nocolon);              /* the last key of the text */
    expect_exact("d:\n  staff: 2\n  other 1\n  third: 3\n", 3, 3, nocolon);
    expect_exact("a: 1\n\"b\"\nc: 2\n", 2, 1, nocolon);
    expect_exact("a: 1\nb    # a comment: with a colon\n  c: 2\n", 2, 1, nocolon);
    expect_exact("name Shop\nseed: 1\n", 1, 1,
                 "no ':' on this line: a key is written 'key: value', a colon then a space (without it, this line "
                 "and line 2 read as one text)");
    expect_exact("d:\n  staff 2\n  other: 1\n", 2, 3,
                 "no ':' on this line: a key is written 'key: value', a colon then a space (without it, this line "
                 "and line 3 read as one text)");
    expect_exact("d:\n  staff:2\n  other: 1\n", 2, 8,
                 "no space after this ':': a key is written 'key: value', a colon then a space (without it, this "
                 "line and line 3 read as one text)");
    /* a text run on at its key's indentation: either mistake */
    expect_exact("d:\n  desc: a long text\n  goes on\n  seed: 1\n", 3, 3,
                 "no ':' on this line: a key is written 'key: value', a colon then a space; to continue the value "
                 "of 'desc' (line 2), indent this line more than desc");
    expect_exact("a: b: c\n", 1, 5,
                 "a second ': ' on one line: a text holding ': ' is put in quotes, and a mapping as a value goes "
                 "on the lines below its key, indented");
    expect_exact("a: @x\n", 1, 4, "a value cannot start with '@' in YAML: put it in quotes");
}

/* The number of characters of line `line` of text (1-based), or -1. */
static int line_chars(const char *text, int line, const char **start)
{
    const char *p = text;
    for (int n = 1; n < line; n++) {
        p = strchr(p, '\n');
        if (!p)
            return -1;
        p++;
    }
    *start = p;
    int chars = 0;
    for (; *p && *p != '\n'; p++)
        chars += ((unsigned char)*p & 0xC0) != 0x80;
    return chars;
}

/* Whatever is broken, an error lands on a character of the text (or just
 * after a line's last), and what it says of that place is true there: a
 * tab named is the tab pointed at, a line said to be indented N spaces
 * starts with N spaces and is pointed at where its text starts. Tried with
 * a tab or a space put at each place of a small scenario, and each
 * character taken out. */
static void ydoc_explanations_are_true_where_they_point(void **state)
{
    (void)state;
    const char *base = "name: Shop\n"
                       "departments:\n"
                       "  desk:\n"
                       "    staff:\n"
                       "      - {at: \"09:00\", count: 2}\n"
                       "      - at: \"12:00\"\n"
                       "        count: 1\n"
                       "    service: {dist: exponential, mean: 4}\n"
                       "customers:\n"
                       "  buyer:\n"
                       "    note: a long text\n"
                       "    enter: desk\n";
    size_t len = strlen(base);
    char text[512];
    int told = 0;
    for (size_t i = 0; i <= len; i++)
        for (int how = 0; how < 3; how++) {
            if (how == 2 && i == len)
                continue;
            memcpy(text, base, i);
            if (how < 2) {
                text[i] = how == 0 ? '\t' : ' ';
                memcpy(text + i + 1, base + i, len - i + 1);
            } else {
                memcpy(text + i, base + i + 1, len - i);
            }
            struct mdl_ydoc doc;
            struct sim_err err;
            struct mdl_ynode *root;
            int rc = parse(text, &root, &doc, &err);
            mdl_ydoc_fini(&doc);
            if (rc == SIM_OK)
                continue;
            const char *at = text;
            int chars = line_chars(text, err.line, &at);
            if (rc != SIM_EDATA || chars < 0 || err.col < 1 || err.col > chars + 1) {
                print_error("text:\n%s\ngot %d at %d:%d \"%s\"\n", text, rc, err.line, err.col, err.msg);
                fail();
            }
            const char *c = at;
            for (int k = 1; k < err.col; k++)
                do
                    c++;
                while (((unsigned char)*c & 0xC0) == 0x80);
            int n;
            bool ok = true;
            if (strncmp(err.msg, "a tab", 5) == 0) {
                ok = *c == '\t';
                told++;
            } else if (sscanf(err.msg, "this line is indented %d", &n) == 1) {
                ok = err.col == n + 1 && (int)strspn(at, " ") == n;
                told++;
            } else if (strncmp(err.msg, "no ':'", 6) == 0) {
                ok = *c != ' ' && *c != '\n';
                told++;
            }
            if (!ok) {
                print_error("text:\n%s\nsays \"%s\" at %d:%d\n", text, err.msg, err.line, err.col);
                fail();
            }
        }
    assert_true(told > 100);
}

/* A growing text for the large documents below. */
struct text {
    char *s;
    size_t len, cap;
};

static void put(struct text *t, const char *fmt, ...) SIM_PRINTF(2, 3);

static void put(struct text *t, const char *fmt, ...)
{
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int k = vsnprintf(t->s + t->len, t->cap - t->len, fmt, ap);
        va_end(ap);
        assert_true(k >= 0);
        if ((size_t)k < t->cap - t->len) {
            t->len += (size_t)k;
            return;
        }
        t->cap = 2 * t->cap + (size_t)k;
        t->s = sim_xrealloc(t->s, t->cap);
    }
}

/* "big:" then n keys k0000000 .. indented by two, key i on line i + 2 with
 * value i; when dup_at < n, the key at dup_at repeats key dup_of instead. */
static char *many_keys(size_t n, size_t dup_at, size_t dup_of)
{
    struct text t = {sim_xmalloc(1024), 0, 1024};
    put(&t, "big:\n");
    for (size_t i = 0; i < n; i++)
        put(&t, "  k%07zu: %zu\n", i == dup_at ? dup_of : i, i);
    return t.s;
}

static void ydoc_reads_a_mapping_of_100000_keys(void **state)
{
    (void)state;
    const size_t n = 100000;
    char *text = many_keys(n, n, 0);
    struct mdl_ydoc doc;
    struct sim_err err;
    struct mdl_ynode *root;
    assert_int_equal(parse(text, &root, &doc, &err), SIM_OK);
    struct mdl_ynode *big = mdl_ynode_get(root, "big");
    assert_non_null(big);
    assert_int_equal(big->kind, MDL_Y_MAP);
    assert_int_equal(big->n, n);
    assert_int_equal(big->weight, n + 1);
    for (size_t i = 0; i < n; i += 9973) {
        char key[16], value[16];
        snprintf(key, sizeof key, "k%07zu", i);
        snprintf(value, sizeof value, "%zu", i);
        assert_string_equal(big->pairs[i].key, key);
        assert_int_equal(big->pairs[i].line, (int)i + 2);
        assert_int_equal(big->pairs[i].col, 3);
        assert_string_equal(big->pairs[i].value->text, value);
    }
    assert_string_equal(mdl_ynode_get(big, "k0099999")->text, "99999");
    mdl_ydoc_fini(&doc);
    free(text);
}

static void ydoc_finds_a_duplicate_among_100000_keys(void **state)
{
    (void)state;
    /* the key on line 99,992 repeats the one on line 12,347; the error is
     * at the second, and names the first */
    char *text = many_keys(100000, 99990, 12345);
    expect_error(text, 99992, 3, "duplicate key 'k0012345' (first given at line 12347)");
    free(text);
    /* and at the very end, repeating the first key */
    text = many_keys(100000, 99999, 0);
    expect_error(text, 100001, 3, "duplicate key 'k0000000' (first given at line 2)");
    free(text);
    /* the same key in two mappings is no duplicate */
    struct mdl_ydoc doc;
    struct sim_err err;
    struct mdl_ynode *root;
    assert_int_equal(parse("a: {x: 1, y: {x: 2, y: 3}}\nb: {x: 4}\n", &root, &doc, &err), SIM_OK);
    assert_string_equal(mdl_ynode_get(mdl_ynode_get(root, "b"), "x")->text, "4");
    mdl_ydoc_fini(&doc);
}

static void ydoc_finds_duplicates_in_mappings_of_every_small_size(void **state)
{
    (void)state;
    /* n keys where the last repeats key j, for every j: the reader
     * searches a few keys in place and more through a table, and must
     * find each one either way, and across the change between them */
    for (size_t n = 2; n <= 24; n++)
        for (size_t j = 0; j + 1 < n; j++) {
            char *text = many_keys(n, n - 1, j), words[80];
            snprintf(words, sizeof words, "duplicate key 'k%07zu' (first given at line %zu)", j, j + 2);
            expect_error(text, (int)n + 1, 3, words);
            free(text);
        }
}

static void ydoc_reads_50000_anchors_and_their_aliases(void **state)
{
    (void)state;
    /* 50,000 anchored values, then an alias to each, the first first */
    const size_t n = 50000;
    struct text t = {sim_xmalloc(1024), 0, 1024};
    for (size_t i = 0; i < n; i++)
        put(&t, "- &a%zu v%zu\n", i, i);
    for (size_t i = 0; i < n; i++)
        put(&t, "- *a%zu\n", i);
    struct mdl_ydoc doc;
    struct sim_err err;
    struct mdl_ynode *root;
    assert_int_equal(parse(t.s, &root, &doc, &err), SIM_OK);
    assert_int_equal(root->kind, MDL_Y_SEQ);
    assert_int_equal(root->n, 2 * n);
    for (size_t i = 0; i < n; i++)
        if (root->items[n + i] != root->items[i])
            fail_msg("the alias *a%zu is not the node anchored &a%zu", i, i);
    assert_string_equal(root->items[n + 49999]->text, "v49999");
    mdl_ydoc_fini(&doc);
    /* an alias to none of them is still an error, where it stands */
    t.len = 0;
    for (size_t i = 0; i < n; i++)
        put(&t, "- &a%zu v%zu\n", i, i);
    put(&t, "- *a%zu\n", n);
    expect_error(t.s, (int)n + 1, 3, "unknown alias '*a50000'");
    free(t.s);
    /* an anchor given twice: an alias means the latest before it */
    assert_int_equal(parse("a: &x 1\nb: *x\nc: &x 2\nd: *x\n", &root, &doc, &err), SIM_OK);
    assert_string_equal(mdl_ynode_get(root, "b")->text, "1");
    assert_ptr_equal(mdl_ynode_get(root, "d"), mdl_ynode_get(root, "c"));
    mdl_ydoc_fini(&doc);
}

static void ydoc_keeps_every_source_of_a_document(void **state)
{
    (void)state;
    /* one document, 1,000 sources (a --set each): every node knows its
     * source, and an error in any is located in it */
    struct mdl_ydoc doc;
    struct sim_err err;
    struct mdl_ynode *nodes[1000];
    mdl_ydoc_init(&doc);
    for (int i = 0; i < 1000; i++) {
        char name[32], text[32];
        snprintf(name, sizeof name, "src%d", i);
        snprintf(text, sizeof text, "\n[%d]", i);
        sim_err_init(&err);
        assert_int_equal(mdl_ydoc_parse(&doc, name, text, strlen(text), &nodes[i], &err), SIM_OK);
    }
    assert_int_equal(doc.nsources, 1000);
    for (int i = 0; i < 1000; i++) {
        char name[32], value[32];
        snprintf(name, sizeof name, "src%d", i);
        snprintf(value, sizeof value, "%d", i);
        assert_int_equal(nodes[i]->src, i);
        assert_string_equal(nodes[i]->items[0]->text, value);
        assert_string_equal(doc.sources[i].name, name);
        assert_int_equal(doc.sources[i].len, strlen(doc.sources[i].text));
        sim_err_init(&err);
        sim_err_set(&err, SIM_EDATA, "wrong");
        mdl_ydoc_locate_node(&doc, &err, nodes[i]->items[0]);
        assert_string_equal(err.file, name);
        assert_int_equal(err.line, 2);
        assert_int_equal(err.col, 2);
    }
    mdl_ydoc_fini(&doc);
}

TEST_TABLE(test_mdl_ydoc,
           cmocka_unit_test(ydoc_builds_a_positioned_tree),
           cmocka_unit_test(ydoc_refuses_duplicate_keys_at_the_second),
           cmocka_unit_test(ydoc_shares_aliases_and_stops_bombs),
           cmocka_unit_test(ydoc_limits_nesting),
           cmocka_unit_test(ydoc_reports_syntax_and_encoding_errors),
           cmocka_unit_test(ydoc_explains_a_tab_in_the_indentation),
           cmocka_unit_test(ydoc_reads_tabs_where_yaml_allows_them),
           cmocka_unit_test(ydoc_explains_a_misaligned_line),
           cmocka_unit_test(ydoc_explains_a_missing_colon),
           cmocka_unit_test(ydoc_explanations_are_true_where_they_point),
           cmocka_unit_test(ydoc_reads_a_mapping_of_100000_keys),
           cmocka_unit_test(ydoc_finds_a_duplicate_among_100000_keys),
           cmocka_unit_test(ydoc_finds_duplicates_in_mappings_of_every_small_size),
           cmocka_unit_test(ydoc_reads_50000_anchors_and_their_aliases),
           cmocka_unit_test(ydoc_keeps_every_source_of_a_document))
