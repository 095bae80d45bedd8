/* tests/test_layering.c — the house's rules, read off the source tree
 * (docs/architecture.md):
 *
 *   - the kernel (sim/, not sim/cli/) includes nothing from models/,
 *     output/ or sim/cli/;
 *   - output/ includes nothing from models/ or sim/cli/;
 *   - models/ includes nothing from output/ or sim/cli/;
 *   - a header whose opening comment says "Internal to DIR/" is included
 *     only by files in DIR (tests/ may look inside: they are the spec);
 *   - nothing but sim/mem.c calls malloc, calloc, realloc, strdup or
 *     strndup: everything else allocates through sim/mem.h, which aborts
 *     on failure (tests/ and support/ included).
 *
 * A break is reported as FILE:LINE: what. The checker is tried first on a
 * small tree that breaks every rule once, so a checker that finds nothing
 * cannot pass for a tree that breaks nothing.
 */
#include "tests/testutil.h"

#include "sim/mem.h"

#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <sys/stat.h>
#include <unistd.h>

/* The folders of the house and what each may not include. */
static const struct {
    const char *dir;       /* with its slash */
    const char *banned[3]; /* include prefixes it may not use */
    bool includes;         /* its includes are checked */
} folders[] = {
    {"sim/", {"models/", "output/", "sim/cli/"}, true},
    {"sim/cli/", {NULL}, true},
    {"models/", {"output/", "sim/cli/"}, true},
    {"output/", {"models/", "sim/cli/"}, true},
    {"tests/", {NULL}, false},
    {"support/", {NULL}, false},
};
#define NFOLDERS (sizeof folders / sizeof folders[0])

struct report {
    char text[8192];
    size_t len, count;
};

static void note(struct report *rep, const char *file, size_t line, const char *fmt, const char *what)
{
    char msg[512];
    snprintf(msg, sizeof msg, fmt, what);
    int n = snprintf(rep->text + rep->len, sizeof rep->text - rep->len, "%s:%zu: %s\n", file, line, msg);
    if (n > 0 && rep->len + (size_t)n < sizeof rep->text)
        rep->len += (size_t)n;
    rep->count++;
}

/* The whole file at root/rel, NUL-terminated, or NULL. */
static char *read_text(const char *root, const char *rel)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", root, rel);
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *text = sim_xmalloc(cap);
    for (size_t got; (got = fread(text + n, 1, cap - n - 1, f)) > 0;) {
        n += got;
        if (n + 1 == cap)
            text = sim_xrealloc(text, cap *= 2);
    }
    fclose(f);
    text[n] = '\0';
    return text;
}

/* The folder a header at root/rel says it is internal to ("output/"), in
 * out; false when it says nothing of the kind. Only its opening comment
 * counts. */
static bool internal_to(const char *root, const char *rel, char *out, size_t len)
{
    char *text = read_text(root, rel);
    if (!text)
        return false;
    char *end = strstr(text, "*/");
    if (end)
        *end = '\0';
    bool found = false;
    for (const char *p = text; !found && (p = strstr(p, "nternal to ")); p += 11) {
        if (p == text || (p[-1] != 'I' && p[-1] != 'i'))
            continue;
        const char *dir = p + 11;
        for (size_t f = 0; f < NFOLDERS && !found; f++) {
            size_t dl = strlen(folders[f].dir);
            /* the longest folder that matches: sim/cli/ before sim/ */
            if (!strncmp(dir, folders[f].dir, dl) && (dir[dl] == ' ' || dir[dl] == '.' || dir[dl] == '(' ||
                                                      dir[dl] == ',' || dir[dl] == ':' || dir[dl] == '\n')) {
                snprintf(out, len, "%s", folders[f].dir);
                found = true;
            }
        }
    }
    free(text);
    return found;
}

/* Blanks comments and the insides of string and character literals in
 * place (newlines kept), so that words in them are not code. */
static void blank_comments_and_strings(char *s)
{
    enum { CODE, LINE, BLOCK, STR, CHR } st = CODE;
    for (char *p = s; *p; p++) {
        switch (st) {
        case CODE:
            if (p[0] == '/' && p[1] == '/')
                st = LINE;
            else if (p[0] == '/' && p[1] == '*')
                st = BLOCK, *p++ = ' ', *p = ' ';
            else if (*p == '"')
                st = STR;
            else if (*p == '\'')
                st = CHR;
            break;
        case LINE:
            if (*p == '\n')
                st = CODE;
            else
                *p = ' ';
            break;
        case BLOCK:
            if (p[0] == '*' && p[1] == '/')
                st = CODE, *p++ = ' ', *p = ' ';
            else if (*p != '\n')
                *p = ' ';
            break;
        case STR:
        case CHR:
            if (*p == '\\' && p[1])
                *p++ = ' ', *p = *p == '\n' ? '\n' : ' ';
            else if (*p == (st == STR ? '"' : '\''))
                st = CODE;
            else if (*p != '\n')
                *p = ' ';
            break;
        }
    }
}

static bool is_ident(char c)
{
    return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* Checks one file, rel (as "models/flow.c") under root, of folder f. */
static void check_file(const char *root, const char *rel, size_t f, struct report *rep)
{
    char *text = read_text(root, rel);
    if (!text)
        return;
    /* includes, line by line, in the text as written */
    size_t line = 1;
    for (const char *p = text; *p; line++) {
        const char *nl = strchr(p, '\n'), *end = nl ? nl : p + strlen(p);
        const char *q = p;
        while (q < end && (*q == ' ' || *q == '\t'))
            q++;
        if (folders[f].includes && !strncmp(q, "#include", 8)) {
            const char *open = memchr(q, '"', (size_t)(end - q)), *close = open ? memchr(open + 1, '"', (size_t)(end - open - 1)) : NULL;
            if (open && close) {
                char target[256];
                snprintf(target, sizeof target, "%.*s", (int)(close - open - 1), open + 1);
                for (size_t b = 0; b < 3 && folders[f].banned[b]; b++)
                    if (!strncmp(target, folders[f].banned[b], strlen(folders[f].banned[b])))
                        note(rep, rel, line, f == 0 ? "the kernel includes %s" : "includes %s across the layers", target);
                char dir[64];
                if (internal_to(root, target, dir, sizeof dir) && strncmp(rel, dir, strlen(dir)))
                    note(rep, rel, line, "includes %s, a header internal to another folder", target);
            }
        }
        p = nl ? nl + 1 : end;
    }
    /* allocation outside sim/mem.c, in code (not comments or strings) */
    if (strcmp(rel, "sim/mem.c")) {
        blank_comments_and_strings(text);
        static const char *const allocs[] = {"malloc", "calloc", "realloc", "strdup", "strndup"};
        line = 1;
        for (const char *p = text; *p; p++) {
            if (*p == '\n') {
                line++;
                continue;
            }
            if (p > text && is_ident(p[-1]))
                continue;
            for (size_t a = 0; a < sizeof allocs / sizeof *allocs; a++) {
                size_t n = strlen(allocs[a]);
                if (strncmp(p, allocs[a], n) || is_ident(p[n]))
                    continue;
                const char *after = p + n;
                while (*after == ' ' || *after == '\t')
                    after++;
                if (*after == '(')
                    note(rep, rel, line, "calls %s: allocate through sim/mem.h (sim_xmalloc ...)", allocs[a]);
            }
        }
    }
    free(text);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Checks every .c and .h of every folder of the house under root. */
static void check_tree(const char *root, struct report *rep)
{
    for (size_t f = 0; f < NFOLDERS; f++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", root, folders[f].dir);
        DIR *d = opendir(path);
        if (!d)
            continue;
        char *names[512];
        size_t n = 0;
        for (struct dirent *e; (e = readdir(d)) && n < 512;) {
            size_t len = strlen(e->d_name);
            if (len > 2 && e->d_name[len - 2] == '.' && (e->d_name[len - 1] == 'c' || e->d_name[len - 1] == 'h'))
                names[n++] = sim_xstrdup(e->d_name);
        }
        closedir(d);
        qsort(names, n, sizeof *names, by_name);
        for (size_t i = 0; i < n; i++) {
            char rel[512];
            snprintf(rel, sizeof rel, "%s%s", folders[f].dir, names[i]);
            check_file(root, rel, f, rep);
            free(names[i]);
        }
    }
}

static void put(const char *root, const char *rel, const char *text)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", root, rel);
    char *slash = strrchr(path, '/');
    *slash = '\0';
    char dir[1024];
    snprintf(dir, sizeof dir, "%s", path);
    for (char *p = dir + strlen(root) + 1; (p = strchr(p, '/')); p++) {
        *p = '\0';
        mkdir(dir, 0755);
        *p = '/';
    }
    mkdir(dir, 0755);
    *slash = '/';
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* A tree that breaks every rule once, and keeps every rule once: the
 * checker finds exactly the breaks. */
static void layering_checker_finds_every_break(void **state)
{
    (void)state;
    char root[] = CXSIM_TEST_TMP "/layering-XXXXXX";
    assert_non_null(mkdtemp(root));
    put(root, "sim/calendar.c", "/* kernel */\n#include \"sim/mem.h\"\n#include \"models/scenario.h\"\n");
    put(root, "sim/mem.c", "void *sim_xmalloc(size_t n) { return malloc(n); }\n");
    put(root, "sim/cli/run.c", "#include \"models/flow.h\"\n#include \"output/text.h\"\n#include \"output/textfmt.h\"\n");
    put(root, "models/flow.c", "#include \"models/flow.h\"\n\n#include \"output/trace.h\"\n#include \"sim/cli/cli.h\"\n");
    put(root, "models/check.c",
        "/* calls malloc(3) in a comment, and \"calloc(\" in a string */\n"
        "static char *copy(const char *s)\n{\n    char *p = sim_xmalloc(4);\n    return strdup (s);\n}\n");
    put(root, "output/html.c", "#include \"output/svg.h\"\n#include \"models/metrics.h\"\n");
    put(root, "output/textfmt.h", "/* output/textfmt.h — tables. Internal to output/. */\n");
    put(root, "output/svg.h", "/* output/svg.h — charts.\n * Internal to output/.\n */\n");
    put(root, "output/text.h", "/* output/text.h — the text report. */\n");
    put(root, "tests/test_x.c", "#include \"output/svg.h\"\nint *v = realloc(NULL, 8);\n");
    struct report rep = {0};
    check_tree(root, &rep);
    const char *want = "sim/calendar.c:3: the kernel includes models/scenario.h\n"
                       "sim/cli/run.c:3: includes output/textfmt.h, a header internal to another folder\n"
                       "models/check.c:5: calls strdup: allocate through sim/mem.h (sim_xmalloc ...)\n"
                       "models/flow.c:3: includes output/trace.h across the layers\n"
                       "models/flow.c:4: includes sim/cli/cli.h across the layers\n"
                       "output/html.c:2: includes models/metrics.h across the layers\n"
                       "tests/test_x.c:2: calls realloc: allocate through sim/mem.h (sim_xmalloc ...)\n";
    if (strcmp(rep.text, want)) {
        print_error("the checker reported:\n%s\nexpected:\n%s", rep.text, want);
        fail();
    }
    assert_int_equal(rep.count, 7);
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
    assert_int_equal(system(cmd), 0);
}

/* The house itself keeps every rule. */
static void layering_the_house_keeps_its_rules(void **state)
{
    (void)state;
    struct report rep = {0};
    check_tree(".", &rep);
    if (rep.count) {
        print_error("%s", rep.text);
        fail();
    }
    /* and it was looked at: the kernel, the program, the model, the writers */
    char dir[64];
    assert_true(internal_to(".", "models/check_int.h", dir, sizeof dir) && !strcmp(dir, "models/"));
    assert_true(internal_to(".", "output/textfmt.h", dir, sizeof dir) && !strcmp(dir, "output/"));
    assert_true(internal_to(".", "sim/cli/play.h", dir, sizeof dir) && !strcmp(dir, "sim/cli/"));
    assert_false(internal_to(".", "output/report.h", dir, sizeof dir));
}

TEST_TABLE(test_layering, cmocka_unit_test(layering_checker_finds_every_break),
           cmocka_unit_test(layering_the_house_keeps_its_rules))
