/* tests/test_mdl_ydoc.c — the YAML layer: positions, duplicate keys, alias
 * bombs, nesting, syntax and encoding errors, each at the right place; large
 * documents (100,000 keys, 50,000 anchors) read whole, their errors found.
 * How fast they are read is support/bench_ydoc.c's business, not a test's. */
#include "tests/testutil.h"

#include "models/ydoc.h"
#include "sim/mem.h"

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
    expect_error("a: 1\n  b: 2\n", 2, 4, "YAML syntax error");
    expect_error("a: 1\nb: \xff\xfe\n", 2, 4, "the file is not UTF-8 text (invalid leading UTF-8 octet); save it as UTF-8");
    /* a Latin-1 'é' is shown where it stands, not at the byte after it */
    expect_error("name: Caf\xe9 shop\n", 1, 10, "the file is not UTF-8 text (invalid trailing UTF-8 octet)");
    expect_error("a: 1\n---\nb: 2\n", 2, 1, "one YAML document");
    expect_error("? [a, b]\n: 1\n", 1, 3, "a key must be a plain name");
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
           cmocka_unit_test(ydoc_reads_a_mapping_of_100000_keys),
           cmocka_unit_test(ydoc_finds_a_duplicate_among_100000_keys),
           cmocka_unit_test(ydoc_finds_duplicates_in_mappings_of_every_small_size),
           cmocka_unit_test(ydoc_reads_50000_anchors_and_their_aliases),
           cmocka_unit_test(ydoc_keeps_every_source_of_a_document))
