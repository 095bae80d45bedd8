/* tests/test_cli_workshop.c — `cxsim workshop` driven as a facilitator would:
 * every command from a pipe (with bad commands and their messages), undo
 * back to the baseline giving the baseline's numbers exactly, a saved plan
 * that runs as the attempt did, the live play in a terminal (through tmux:
 * send-keys, capture-pane) and its plain-text fallback without one. */
#include "tests/testutil.h"
#include "tests/clirun.h"
#include "models/yedit.h"
#include "output/play.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Runs "printf SCRIPT | cxsim workshop ARGS" into r. */
static void session(struct run *r, const char *script, const char *args)
{
    char path[] = CXSIM_TEST_TMP "/workshop-in-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, script, strlen(script)), (ssize_t)strlen(script));
    close(fd);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "workshop %s < %s", args, path);
    run(r, cmd);
    unlink(path);
}

/* The text of s from `from` up to the next `to` (a static copy: s must not
 * be an earlier result). */
static const char *between(const char *s, const char *from, const char *to)
{
    static char buf[8192];
    const char *a = strstr(s, from);
    assert_non_null(a);
    const char *b = strstr(a + strlen(from), to);
    size_t n = b ? (size_t)(b - a) : strlen(a);
    snprintf(buf, sizeof buf, "%.*s", (int)(n < sizeof buf ? n : sizeof buf - 1), a);
    return buf;
}

static void workshop_every_command_from_a_pipe(void **state)
{
    (void)state;
    static struct run r;
    session(&r,
            "help\n"
            "show\n"
            "run\n"
            "set departments.sales.staff+=1\n"
            "run\n"
            "set pools.floater.staff 2\n"
            "run\n"
            "undo\n"
            "undo\n"
            "undo\n"
            "run\n"
            "score\n"
            "story buyer#5\n"
            "story 5\n"
            "set departments.credit.staff -1\n"
            "set departments.credt.staff 2\n"
            "set nothing\n"
            "story nobody#1\n"
            "play fast\n"
            "socre\n"
            "frobnicate\n"
            "quit\n"
            "run\n",
            "");
    assert_int_equal(r.code, 0);
    const char *o = r.out;
    /* each command is echoed, as in a transcript */
    assert_non_null(strstr(o, "workshop> help\nCommands:\n"));
    assert_non_null(strstr(o, "Departments\n  reception: head count 1 from 09:00, 2 from 09:30"));
    assert_non_null(strstr(o, "Changes from the scenario file: no change"));
    assert_non_null(strstr(o, "changed: sales.staff+=1 (run to see what it does; undo takes it back)"));
    assert_non_null(strstr(o, "attempt 2: sales.staff+=1, pools.floater.staff=2, 30 days"));
    assert_non_null(strstr(o, "  - Against attempt 1: "));
    assert_non_null(strstr(o, "undone: pools.floater.staff=2\n"));
    assert_non_null(strstr(o, "undone: sales.staff+=1\n"));
    assert_non_null(strstr(o, "nothing to undo: this is the baseline\n"));
    /* back at the baseline, the very same numbers */
    assert_non_null(strstr(o, "  - Against the baseline: waits unchanged, drop-outs unchanged, satisfaction "
                              "unchanged, staff cost\n    unchanged, lost value unchanged: no difference at all."));
    char base[8192];
    snprintf(base, sizeof base, "%s", between(o, "baseline: no change", "\n\n"));
    const char *again = between(o, "attempt 3: no change", "\n\n");
    assert_string_equal(base + strlen("baseline: no change"), again + strlen("attempt 3: no change"));
    /* the same score: "Score of baseline: 19,687 a day (...)" and attempt 3's */
    char line[512];
    snprintf(line, sizeof line, "%s", between(o, "Score of baseline:", "\n"));
    assert_non_null(strstr(between(o, "Score of attempt 3:", "\n"), strchr(line, ':')));
    /* the leaderboard: the best first, each attempt's changes listed */
    const char *board = between(o, "Leaderboard", "workshop>");
    assert_non_null(strstr(board, "  1           attempt 2        13,122"));
    assert_non_null(strstr(board, "  3            baseline        19,687"));
    assert_non_null(strstr(board, "  - attempt 2: sales.staff+=1, pools.floater.staff=2"));
    assert_non_null(strstr(board, "  - baseline: no change"));
    /* a story: with no change, the same in both; by number, the first external class */
    assert_non_null(strstr(o, "buyer #5 now\nDay 1 of seed 20261122, with the changes made so far"));
    assert_non_null(strstr(o, "buyer #5, the same in both: served, after 1 h 27 min inside."));
    /* bad commands: located errors, hints, and the session goes on */
    assert_non_null(strstr(o, "set:1:30: error: staff of credit must be a whole number from 0 to 10000, got -1\n"
                              "set departments.credit.staff -1\n"
                              "                             ^\n"));
    assert_non_null(strstr(o, "set:1:5: error: 'departments.credt.staff': there is no 'credt' to set; did you mean "
                              "'credit'?\n"));
    assert_non_null(strstr(o, "set needs a path and a value, as in: set departments.credit.staff 4\n"));
    assert_non_null(strstr(o, "story needs a customer, as in: story buyer#17 (or story 17)\n"));
    assert_non_null(strstr(o, "play takes a speed in business minutes a second"));
    assert_non_null(strstr(o, "unknown command 'socre'; did you mean 'score'? (help lists them)\n"));
    assert_non_null(strstr(o, "unknown command 'frobnicate' (help lists them)\n"));
    /* quit ends the session: the run after it never happens */
    assert_null(strstr(o, "workshop> run\nattempt 4"));
}

/* cxsim workshop --set: the baseline is the scenario file with it, kept
 * through every set and undo (the first set used to rebuild the scenario
 * from the file without it), in the baseline's runs and stories too. */
static void workshop_command_line_set_is_the_baseline(void **state)
{
    (void)state;
    static struct run r;
    session(&r, "set departments.credit.staff+=0\nshow\nrun\nundo\nundo\nstory 11\n",
            "--set departments.sales.staff=9");
    assert_int_equal(r.code, 0);
    assert_non_null(strstr(between(r.out, "workshop> show", "workshop> run"), "\n  sales: staff 9;"));
    assert_non_null(strstr(r.out, "Changes from the scenario file: sales.staff=9, credit.staff+=0\n"));
    assert_non_null(strstr(r.out, "attempt 1: credit.staff+=0, 30 days"));
    assert_non_null(strstr(r.out, "no difference at all."));   /* += 0 on the same baseline */
    assert_non_null(strstr(r.out, "undone: credit.staff+=0\nworkshop> undo\nnothing to undo: this is the baseline\n"));
    assert_non_null(strstr(r.out, "buyer #11, the same in both: "));
}

/* A change makes a difference for one customer, told both ways. */
static void workshop_story_tells_what_changed(void **state)
{
    (void)state;
    static struct run r;
    session(&r, "set departments.sales.staff+=1\nstory buyer#11\n", "");
    assert_int_equal(r.code, 0);
    assert_non_null(strstr(r.out, "In the baseline buyer #11 gave up at sales after 24 min; now: served, "
                                  "after 1 h 59 min inside."));
    assert_non_null(strstr(r.out, "buyer #11 in the baseline\nDay 1 of seed 20261122, as in the scenario file"));
}

/* save writes a scenario file that runs as the attempt did. */
static void workshop_saved_plan_runs_as_the_attempt(void **state)
{
    (void)state;
    static struct run r, saved;
    session(&r, "set departments.sales.staff+=1\nrun\nsave " CXSIM_TEST_TMP "/saved.yaml\n", "");
    assert_int_equal(r.code, 0);
    assert_non_null(strstr(r.out, "saved the current plan as " CXSIM_TEST_TMP "/saved.yaml"));
    run(&saved, "run " CXSIM_TEST_TMP "/saved.yaml");
    assert_int_equal(saved.code, 0);
    /* the attempt's sentences are the saved plan's report's */
    char cost[256];
    snprintf(cost, sizeof cost, "%s", between(r.out, "  - A day costs", "\n"));
    assert_non_null(strstr(saved.out, cost));
    unlink(CXSIM_TEST_TMP "/saved.yaml");
}

/* The lines of text, into lines[] (at most max, pointers into a copy). */
static size_t lines_of(char *text, const char **lines, size_t max)
{
    size_t n = 0;
    for (char *p = text; *p && n < max;) {
        char *nl = strchr(p, '\n');
        lines[n++] = p;
        if (!nl)
            break;
        *nl = '\0';
        p = nl + 1;
    }
    return n;
}

static size_t columns_of(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/* save writes the scenario file as it was, but for the values the changes
 * changed, each where it stood, in block style where its shape changed:
 * the file reads back as the plan (the same report as the file run with
 * the same --set), every line of the file that no change touched is still
 * there, comments included, and no line is wider than 100 columns unless
 * the file already had it so wide. */
static void workshop_save_edits_the_file_where_it_changed(void **state)
{
    (void)state;
    static struct run r, saved, direct;
    static char file[65536], text[65536];
    session(&r,
            "set departments.credit.staff+=1\n"
            "set departments.sales.staff [{at: \"09:00\", count: 4}, {at: \"12:00\", count: 3}, {at: \"13:00\", "
            "count: 5}]\n"
            "set pools.floater.staff [{at: \"09:00\", count: 1}, {at: \"12:00\", count: 2}]\n"
            "set departments.reception.shifts.1.count 2\n"
            "set departments.insurance.capacity 6\n"
            "set customers.buyer.patience.mean 50\n"
            "save " CXSIM_TEST_TMP "/ws-saved.yaml\n",
            "scenarios/dealership.yaml");
    assert_int_equal(r.code, 0);
    assert_non_null(strstr(r.out, "saved the current plan as " CXSIM_TEST_TMP "/ws-saved.yaml (cxsim run "));
    assert_null(strstr(r.out, "written anew"));
    run(&saved, "run " CXSIM_TEST_TMP "/ws-saved.yaml");
    assert_int_equal(saved.code, 0);
    run(&direct, "run scenarios/dealership.yaml --set 'departments.credit.staff+=1' --set 'departments.sales.staff=["
                 "{at: \"09:00\", count: 4}, {at: \"12:00\", count: 3}, {at: \"13:00\", count: 5}]' --set "
                 "'pools.floater.staff=[{at: \"09:00\", count: 1}, {at: \"12:00\", count: 2}]' --set "
                 "departments.reception.shifts.1.count=2 --set departments.insurance.capacity=6 --set "
                 "customers.buyer.patience.mean=50");
    assert_int_equal(direct.code, 0);
    assert_string_equal(saved.out, direct.out);

    slurp("scenarios/dealership.yaml", file, sizeof file);
    slurp(CXSIM_TEST_TMP "/ws-saved.yaml", text, sizeof text);
    /* what changed, where it stood: a number (and what it was), a head
     * count become a schedule, a schedule replaced, a key added */
    assert_true(strncmp(text, "# Saved by cxsim workshop from scenarios/dealership.yaml, with these changes:\n"
                              "#   departments.credit.staff+=1\n", 110) == 0);
    assert_non_null(strstr(text, "\n    staff:\n"
                                 "      - {at: \"09:00\", count: 4}  # count was 3\n"
                                 "      - {at: \"12:30\", count: 3}   # count was 2; staggered lunch: one officer away "
                                 "12:30-13:30\n"
                                 "      - {at: \"13:30\", count: 4}  # count was 3\n"
                                 "    service: {dist: gamma, mean: 20, sd: 8}      # a financing check takes about "
                                 "20 minutes\n"));
    assert_non_null(strstr(text, "\n  sales:                          # sales managers: the test drive, the offer, "
                                 "the deal\n"
                                 "    staff:\n"
                                 "      - {at: \"09:00\", count: 4}\n"
                                 "      - {at: \"12:00\", count: 3}\n"
                                 "      - {at: \"13:00\", count: 5}\n"
                                 "    service:\n"));
    assert_non_null(strstr(text, "\n    staff:                        # was 1; one person, all day, paid once\n"
                                 "      - {at: \"09:00\", count: 1}\n"
                                 "      - {at: \"12:00\", count: 2}\n"
                                 "    cost_per_hour: 32\n"));
    assert_non_null(strstr(text, "      - {name: late, start: \"09:30\", end: \"18:00\", count: 2,  # count was 1\n"));
    assert_non_null(strstr(text, "    cost_per_hour: 35\n    capacity: 6\n\npools:"));
    /* every line of the file no change touched is there, in its order */
    static const char *was[512], *now[600];
    size_t nwas = lines_of(file, was, 512), nnow = lines_of(text, now, 600), at = 0, gone = 0;
    for (size_t i = 0; i < nwas; i++) {
        size_t k = at;
        while (k < nnow && strcmp(now[k], was[i]))
            k++;
        if (k == nnow) {
            gone++;
            continue;
        }
        at = k + 1;
    }
    /* credit's 3 steps, sales's 4, the floater's staff, the late shift,
     * the patience */
    assert_int_equal(gone, 10);
    for (size_t i = 0; i < nnow; i++) {
        if (columns_of(now[i]) <= 100)
            continue;
        bool wide_before = false;
        for (size_t k = 0; k < nwas && !wide_before; k++)
            wide_before = columns_of(was[k]) >= columns_of(now[i]) && !strncmp(was[k], now[i], 20);
        if (!wide_before) {
            print_error("a line wider than 100 columns: %s\n", now[i]);
            fail();
        }
    }
    unlink(CXSIM_TEST_TMP "/ws-saved.yaml");
}

/* The in-place edit on its own: a comment kept after a changed number; a
 * key added to a flow map and to a block map; CRLF line ends and a
 * byte-order mark; and an alias whose anchor changed under it, which no
 * edit of the text can say: the document written anew, and said so. */
static void workshop_save_edit_reads_back_or_is_written_anew(void **state)
{
    (void)state;
    static const struct {
        const char *text, *plan, *want;
        bool in_place;
    } cases[] = {
        {"a: 1   # one\nb: [1, 2]\nc: {x: 1}\n", "{a: 22, b: [1, 2], c: {x: 1, y: 2}, d: {e: [1, {f: 2}]}}",
         "# h\na: 22  # was 1; one\nb: [1, 2]\nc: {x: 1, y: 2}\nd:\n  e:\n    - 1\n    - {f: 2}\n", true},
        {"\xEF\xBB\xBF" "a:\r\n  b: 1\r\n", "{a: {b: 2, c: [x]}}", "# h\na:\r\n  b: 2  # was 1\r\n  c: [x]\r\n", true},
        {"x: &v 1\ny: *v\n", "{x: 2, y: 1}", "# h\nx: 2\ny: 1\n", false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct mdl_ydoc doc;
        mdl_ydoc_init(&doc);
        struct mdl_ynode *plan = NULL;
        struct sim_err err;
        sim_err_init(&err);
        assert_int_equal(mdl_ydoc_parse(&doc, "plan", cases[i].plan, strlen(cases[i].plan), &plan, &err), 0);
        char *out = NULL;
        size_t len = 0;
        bool in_place = !cases[i].in_place;
        assert_int_equal(mdl_yedit(cases[i].text, strlen(cases[i].text), plan, "# h\n", &out, &len, &in_place, &err),
                         0);
        assert_string_equal(out, cases[i].want);
        assert_int_equal(len, strlen(cases[i].want));
        assert_true(in_place == cases[i].in_place);
        free(out);
        mdl_ydoc_fini(&doc);
    }
}

static void pause_ms(long ms)
{
    nanosleep(&(struct timespec){ms / 1000, (ms % 1000) * 1000000L}, NULL);
}

/* The live view needs a terminal: tmux gives it one. */
static bool have_tmux(void)
{
    return system("command -v tmux >/dev/null 2>&1") == 0;
}

static void tmux_capture(char *buf, size_t len)
{
    FILE *p = popen("tmux -L cxsim-test capture-pane -t ws -p", "r");
    assert_non_null(p);
    size_t n = fread(buf, 1, len - 1, p);
    buf[n] = '\0';
    pclose(p);
}

/* Captures the screen into buf until it shows `text` (or `tries` tenths of
 * a second have passed). */
static void tmux_wait_for(char *buf, size_t len, const char *text, int tries)
{
    for (int i = 0; i < tries && !strstr(buf, text); i++) {
        pause_ms(100);
        tmux_capture(buf, len);
    }
}

static void workshop_play_draws_live_in_a_terminal(void **state)
{
    (void)state;
    if (!have_tmux()) {
        print_message("(skipped: no tmux)\n");
        return;
    }
    const char *bin = getenv("CXSIM_BIN");
    char cmd[1024];
    snprintf(cmd, sizeof cmd,
             "tmux -L cxsim-test kill-server 2>/dev/null; tmux -L cxsim-test new-session -d -s ws -x 110 -y 30 "
             "'TERM=xterm %s workshop; sleep 30'",
             bin ? bin : "./cxsim");
    assert_int_equal(system(cmd), 0);
    static char screen[16384];
    /* wait for the prompt, then play the day at full speed */
    tmux_wait_for(screen, sizeof screen, "workshop>", 300);
    assert_int_equal(system("tmux -L cxsim-test send-keys -t ws 'play max' Enter"), 0);
    tmux_wait_for(screen, sizeof screen, "The day is over", 600);
    assert_non_null(strstr(screen, "The day is over"));
    /* drawn in place: the clock at the top, a line per department (a busy
     * machine may catch tmux between two frames: look again, briefly) */
    for (int i = 0; i < 20 && strncmp(screen, "19:", 3) != 0; i++) {
        pause_ms(100);
        tmux_capture(screen, sizeof screen);
    }
    assert_true(strncmp(screen, "19:", 3) == 0);
    assert_non_null(strstr(screen, "   served "));
    assert_non_null(strstr(screen, "\nreception   "));
    assert_non_null(strstr(screen, " waiting "));
    assert_non_null(strstr(screen, "staff 0 of 0 busy"));   /* every one has gone home */
    assert_non_null(strstr(screen, "(any key pauses; Ctrl-C stops)"));
    assert_non_null(strstr(screen, " gave up at "));
    assert_null(strstr(screen, "09:00  served 0"));   /* not the plain lines */
    /* any key pauses and resumes (docs/workshop.md); Ctrl-C stops a slow
     * play, not the session */
    assert_int_equal(system("tmux -L cxsim-test send-keys -t ws 'play 1' Enter"), 0);
    pause_ms(1500);
    assert_int_equal(system("tmux -L cxsim-test send-keys -t ws ' '"), 0);
    tmux_wait_for(screen, sizeof screen, "PAUSED: any key goes on", 50);
    assert_non_null(strstr(screen, "PAUSED: any key goes on"));
    assert_int_equal(system("tmux -L cxsim-test send-keys -t ws ' '"), 0);
    for (int i = 0; i < 50 && strstr(screen, "PAUSED"); i++) {
        pause_ms(100);
        tmux_capture(screen, sizeof screen);
    }
    assert_null(strstr(screen, "PAUSED"));
    assert_int_equal(system("tmux -L cxsim-test send-keys -t ws C-c"), 0);
    tmux_wait_for(screen, sizeof screen, "Stopped:", 100);
    assert_non_null(strstr(screen, "Stopped: "));
    assert_int_equal(system("tmux -L cxsim-test send-keys -t ws 'help' Enter"), 0);
    tmux_wait_for(screen, sizeof screen, "Commands:", 50);
    assert_non_null(strstr(screen, "Commands:"));
    assert_int_equal(system("tmux -L cxsim-test kill-server"), 0);

    /* on a terminal with NO_COLOR set, or TERM=dumb: the plain lines */
    static const char *const plain[] = {"NO_COLOR=1 TERM=xterm", "TERM=dumb"};
    for (size_t k = 0; k < 2; k++) {
        snprintf(cmd, sizeof cmd,
                 "tmux -L cxsim-test kill-server 2>/dev/null; tmux -L cxsim-test new-session -d -s ws -x 110 -y 30 "
                 "'%s %s workshop; sleep 30'",
                 plain[k], bin ? bin : "./cxsim");
        assert_int_equal(system(cmd), 0);
        screen[0] = '\0';
        tmux_wait_for(screen, sizeof screen, "workshop>", 300);
        assert_int_equal(system("tmux -L cxsim-test send-keys -t ws 'play max' Enter"), 0);
        tmux_wait_for(screen, sizeof screen, "The day is over", 600);
        assert_non_null(strstr(screen, "The day is over"));
        assert_non_null(strstr(screen, "\n19:42  served 39, gave up 14\n       reception: 0 waiting, staff 0 of 0 "
                                       "busy\n"));
        assert_null(strstr(screen, "(any key pauses; Ctrl-C stops)"));
        assert_int_equal(system("tmux -L cxsim-test kill-server"), 0);
    }
}

/* clear, and Ctrl-L while typing, clear the screen: the prompt at the top,
 * what was typed kept. Ctrl-L even when the line editor is in vi mode
 * ($EDITRC says "bind -v"), which leaves it unbound. From a pipe clear
 * prints nothing: no escape sequence in a transcript. */
static void workshop_clear_and_ctrl_l_clear_the_screen(void **state)
{
    (void)state;
    static struct run r;
    session(&r, "help\nclear\nscore\n", "");
    assert_int_equal(r.code, 0);
    assert_non_null(strstr(r.out, "  clear              clear the screen (Ctrl-L too, while typing)\n"));
    assert_non_null(strstr(r.out, "\nworkshop> clear\nworkshop> score\n"));
    assert_null(strstr(r.out, "\033"));
    assert_fits(between(r.out, "Commands:", "workshop>"), 80);
    if (!have_tmux()) {
        print_message("(skipped: no tmux)\n");
        return;
    }
    char rc[] = CXSIM_TEST_TMP "/editrc-XXXXXX";
    int fd = mkstemp(rc);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "bind -v\n", 8), 8);
    close(fd);
    const char *bin = getenv("CXSIM_BIN");
    char cmd[1024];
    snprintf(cmd, sizeof cmd,
             "tmux -L cxsim-test kill-server 2>/dev/null; tmux -L cxsim-test new-session -d -s ws -x 100 -y 30 "
             "'EDITRC=%s TERM=xterm %s workshop; sleep 30'",
             rc, bin ? bin : "./cxsim");
    assert_int_equal(system(cmd), 0);
    static char screen[16384];
    tmux_wait_for(screen, sizeof screen, "workshop>", 300);
    assert_int_equal(system("tmux -L cxsim-test send-keys -t ws 'help' Enter"), 0);
    tmux_wait_for(screen, sizeof screen, "help, quit", 100);
    assert_non_null(strstr(screen, "Commands:"));
    assert_int_equal(system("tmux -L cxsim-test send-keys -t ws 'show' C-l"), 0);
    for (int i = 0; i < 50 && strncmp(screen, "workshop> show\n", 15); i++) {
        pause_ms(100);
        tmux_capture(screen, sizeof screen);
    }
    assert_true(strncmp(screen, "workshop> show\n", 15) == 0);   /* cleared, the line kept */
    assert_null(strstr(screen, "Commands:"));
    assert_int_equal(system("tmux -L cxsim-test send-keys -t ws Enter"), 0);
    tmux_wait_for(screen, sizeof screen, "Changes from the scenario file", 100);
    assert_int_equal(system("tmux -L cxsim-test send-keys -t ws 'clear' Enter"), 0);
    for (int i = 0; i < 50 && strncmp(screen, "workshop>", 9); i++) {
        pause_ms(100);
        tmux_capture(screen, sizeof screen);
    }
    assert_true(strncmp(screen, "workshop>", 9) == 0);
    assert_null(strstr(screen, "Changes from the scenario file"));
    assert_int_equal(system("tmux -L cxsim-test kill-server"), 0);
    unlink(rc);
}

/* Without a terminal (a pipe), a dumb one or NO_COLOR: plain lines. */
static void workshop_play_falls_back_to_plain_lines(void **state)
{
    (void)state;
    static struct run r;
    session(&r, "play max\n", "");
    assert_int_equal(r.code, 0);
    assert_non_null(strstr(r.out, "Day 1, seed 20261122, as fast as it goes\n"
                                  "09:00  served 0, gave up 0\n"
                                  "       reception: 0 waiting, staff 0 of 1 busy\n"));
    assert_non_null(strstr(r.out, "\n10:00  served "));
    /* the floater helping at insurance is not one of its own */
    assert_non_null(strstr(r.out, "       insurance: 0 waiting, staff 1 of 1 busy, +1 from the floater pool\n"));
    assert_non_null(strstr(r.out, "\n  12:20  buyer #10 gave up at sales after 13 min\n"));
    assert_non_null(strstr(r.out, "The day is over: "));
    assert_null(strstr(r.out, "\033["));
}

/* The words of text, one space between each, into buf. */
static const char *words_of(const char *text, char *buf, size_t cap)
{
    size_t n = 0;
    for (const char *p = text; *p && n + 2 < cap;) {
        p += strspn(p, " \n");
        size_t k = strcspn(p, " \n");
        if (!k)
            break;
        n += (size_t)snprintf(buf + n, cap - n, "%s%.*s", n ? " " : "", (int)k, p);
        p += k;
    }
    return buf;
}

/* show wraps the description at words to the terminal's width, 80 from a
 * pipe, the rest of a line indented deeper: the same words as check
 * prints, in the same order, none cut. */
static void workshop_show_wraps_at_words_to_the_width(void **state)
{
    (void)state;
    static struct run r, check;
    session(&r, "show\n", "scenarios/dealership.yaml");
    assert_int_equal(r.code, 0);
    assert_fits(r.out, 80);
    run(&check, "check scenarios/dealership.yaml");
    assert_int_equal(check.code, 0);
    assert_non_null(strstr(check.out, "; first come, first served, 15 waiting places; target: 80% within 5 min;"));
    static char shown[16384], checked[16000], want[16384];
    words_of(between(r.out, "workshop> show\n", "\nChanges from the scenario file"), shown, sizeof shown);
    words_of(check.out, checked, sizeof checked);
    snprintf(want, sizeof want, "workshop> show %s", checked);
    assert_string_equal(shown, want);
    /* a hanging indent: the rest of a department's line under it, deeper
     * than the lines about the department */
    assert_non_null(strstr(r.out, "\n  reception: head count 1 from 09:00, 2 from 09:30, 1 from 12:00, 2 from 12:45,\n"
                                  "      1 from 17:15; first come, first served, 15 waiting places; target: 80%\n"
                                  "      within 5 min; quality 4.5; 28 per staff hour\n"
                                  "    service: lognormal, mean 4 min, sd 2\n"));
    assert_non_null(strstr(r.out, "\nA day from 09:00 to 18:00; customers inside at closing are served (overtime). 30\n"
                                  "  days, seed 20261122.\n"));
}

/* Fails unless every staff figure of a play's plain lines has no more
 * busy than on duty ("staff 4 of 3 busy" was printed when a fourth sales
 * manager finished a buyer after the schedule's step down at noon); the
 * lines that say more, counted into *extra. */
static void assert_busy_within_on_duty(const char *out, int *extra)
{
    for (const char *p = strstr(out, ", staff "); p; p = strstr(p + 1, ", staff ")) {
        long busy = -1, on_duty = -1;
        assert_int_equal(sscanf(p, ", staff %ld of %ld busy", &busy, &on_duty), 2);
        if (busy > on_duty) {
            print_error("more busy than on duty: %.80s\n", p);
            fail();
        }
        const char *eol = strchr(p, '\n');
        const char *more = strstr(p, ", +");
        *extra += more && more < eol;
    }
}

/* The live screen is truthful about who is busy: a department's own staff
 * busy of those on duty, then pool members helping, then those finishing a
 * customer past their break, shift or schedule, each said. The built-in
 * dealership on seed 1: at noon sales steps down from 4 managers to 3 while
 * all four serve (cxsim trace --seed 1 --from 11:55 --to 12:05 tells it). */
static void workshop_play_says_who_is_busy_beyond_those_on_duty(void **state)
{
    (void)state;
    static struct run r;
    int extra = 0;
    session(&r, "play max\n", "--seed 1");
    assert_int_equal(r.code, 0);
    assert_busy_within_on_duty(r.out, &extra);
    assert_non_null(strstr(between(r.out, "\n12:00  served", "\n13:00"),
                           "       sales: 3 waiting, staff 3 of 3 busy, +1 off duty, finishing a customer before "
                           "leaving\n"));
    assert_true(extra > 0);
    /* the baseline's day, and a day with two floaters and a short lunch */
    session(&r, "play max\nset pools.floater.staff 2\nset departments.sales.staff.2.count 1\nplay max\n", "");
    assert_int_equal(r.code, 0);
    assert_busy_within_on_duty(r.out, &extra);
    assert_non_null(strstr(r.out, ", +2 from the floater pool"));
    assert_non_null(strstr(r.out, ", +1 off duty, finishing a customer before leaving"));

    /* drawn on a terminal: the short form, with its legend, within the
     * terminal's width */
    struct out_play_dept depts[] = {{"reception", 2, 0, 1, 1, 1, "floater"}, {"sales", 12, 3, 3, 4, 0, NULL}};
    struct out_play_frame fr = {725, true, false, 2, depts, 8, 3, {NULL}, 30, 80};
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    out_play_draw(f, &fr, true);
    fclose(f);
    /* the text as the terminal shows it: escapes out */
    char *text = sim_xmalloc(len + 1);
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        if (buf[i] == '\033') {
            while (i < len && !((buf[i] >= 'A' && buf[i] <= 'Z') || (buf[i] >= 'a' && buf[i] <= 'z')))
                i++;
            continue;
        }
        text[n++] = buf[i];
    }
    text[n] = '\0';
    assert_non_null(strstr(text, " staff 1 of 1 busy +1 floater\n"));
    assert_non_null(strstr(text, " staff 3 of 3 busy +1 off duty   3 gave up\n"));
    assert_non_null(strstr(text, "\n  +N floater: helping, from the floater pool\n"));
    assert_non_null(strstr(text, "\n  +N off duty: finishing a customer before leaving (a break, a shift's end)\n"));
    assert_fits(text, 80);
    free(text);
    free(buf);
}

/* The workshop's set takes relative changes, with or without spaces around
 * the operator; undo takes one back exactly (the scenario is rebuilt from
 * the file and the changes left), =+1 is refused as --set refuses it, and a
 * change that leaves a class unused prints its warning once. */
static void workshop_set_takes_relative_changes_and_undo_restores(void **state)
{
    (void)state;
    static struct run r;
    session(&r,
            "run\n"
            "set departments.credit.staff += 1\n"
            "run\n"
            "show\n"
            "set departments.reception.staff*=2\n"
            "show\n"
            "set departments.credit.staff =+1\n"
            "set requests []\n"
            "undo\n"
            "undo\n"
            "undo\n"
            "show\n"
            "run\n",
            "tests/scenarios/shop_request.yaml");
    assert_int_equal(r.code, 0);
    const char *o = r.out;
    assert_non_null(strstr(o, "changed: credit.staff+=1 (run to see what it does; undo takes it back)\n"));
    assert_non_null(strstr(between(o, "workshop> show", "workshop>"), "  credit: staff 4;"));
    assert_non_null(strstr(o, "changed: reception.staff*=2 (run to see what it does; undo takes it back)\n"));
    const char *second = between(strstr(o, "changed: reception.staff*=2"), "workshop> show", "workshop>");
    assert_non_null(strstr(second, "  reception: staff 4 from 09:00, 2 from 12:00;"));
    assert_non_null(strstr(second, "Changes from the scenario file: credit.staff+=1, reception.staff*=2\n"));
    assert_non_null(strstr(o, "set:1:30: error: '+1' sets departments.credit.staff to 1, it does not add 1: to add, "
                              "write departments.credit.staff+=1 (in set: and sweep:, the key "
                              "departments.credit.staff+=); to set, write 1\n"
                              "set departments.credit.staff +1\n"
                              "                             ^\n"));
    assert_non_null(strstr(o, "workshop> set requests []\n"
                              "tests/scenarios/shop_request.yaml:21:3: warning: customers of class check never "
                              "arrive: no request makes them and the class has no arrivals: of its own (it is left "
                              "unused)\n"
                              "changed: requests=[]"));
    assert_non_null(strstr(o, "undone: requests=[]\n"));
    assert_non_null(strstr(o, "undone: reception.staff*=2\n"));
    assert_non_null(strstr(o, "undone: credit.staff+=1\n"));
    const char *last = between(strstr(o, "undone: credit.staff+=1"), "workshop> show", "workshop>");
    assert_non_null(strstr(last, "  reception: staff 2 from 09:00, 1 from 12:00;"));
    assert_non_null(strstr(last, "  credit: staff 3;"));
    assert_non_null(strstr(last, "Changes from the scenario file: no change\n"));
    /* back at the baseline, the very same numbers */
    assert_non_null(strstr(between(o, "attempt 2: no change", "Score of"), "Against the baseline: waits unchanged"));
    assert_non_null(strstr(between(o, "attempt 2: no change", "Score of"), "no difference at all."));
}

/* ---- docs/workshop.md, checked ----------------------------------------
 * Every claim of the guide's terminal sections: its samples are checked by
 * tests/test_docs.c (support/samples.sh); what the prose says beyond them
 * is checked here, by the guide's own commands. */

/* A figure after `label` in text ("staff cost +42 a day": 42; the minus
 * sign is U+2212 in the sentences). */
static double figure_after(const char *text, const char *label)
{
    const char *at = strstr(text, label);
    assert_non_null(at);
    at += strlen(label);
    double sign = 1;
    if (!strncmp(at, "\u2212", strlen("\u2212"))) {
        sign = -1;
        at += strlen("\u2212");
    } else if (*at == '+') {
        at++;
    }
    char digits[32];
    size_t n = 0;
    for (; (isdigit((unsigned char)*at) || *at == ',' || *at == '.') && n + 1 < sizeof digits; at++)
        if (*at != ',')
            digits[n++] = *at;
    digits[n] = '\0';
    assert_true(n > 0);
    return sign * strtod(digits, NULL);
}

/* The commands table: show, set's examples and operators, run, play's
 * default speed. */
static void workshop_guide_commands_do_what_the_table_says(void **state)
{
    (void)state;
    static struct run r;
    session(&r,
            "show\n"
            "set departments.credit.staff 4\n"
            "set departments.sales.staff [{at: \"09:00\", count: 5}]\n"
            "set customers.buyer.patience.mean 60\n"
            "undo\nundo\nundo\n"
            "set departments.sales.staff.1.count 5\n"
            "show\n"
            "undo\n"
            "set departments.credit.staff *= 1.5\n"
            "show\n"
            "undo\n"
            "set departments.credit.staff = 4\n"
            "show\n"
            "undo\n"
            "set customers.buyer.arrivals.per_hour += 1\n"
            "show\n"
            "undo\n"
            "help\n"
            "run\n",
            "");
    assert_int_equal(r.code, 0);
    const char *o = r.out;
    /* show: departments, staff by hour, routes, requests, costs, changes */
    const char *show = between(o, "workshop> show\n", "workshop>");
    assert_non_null(strstr(show, "\nDepartments\n"));
    assert_non_null(strstr(show, "  credit: staff 3 from 09:00, 2 from 12:30, 3 from 13:30;"));
    assert_non_null(strstr(show, "    after reception: credit 60% sales 40%\n"));
    assert_non_null(strstr(show, "\nRequests\n"));
    assert_non_null(strstr(show, "; 28 per staff hour\n"));
    assert_non_null(strstr(show, "\nChanges from the scenario file: no change\n"));
    /* set's four examples are taken; .1.count is the schedule's second step */
    assert_non_null(strstr(o, "changed: credit.staff=4 "));
    assert_non_null(strstr(o, "changed: sales.staff=[{at: \"09:00\", count: 5}] "));
    assert_non_null(strstr(o, "changed: buyer.patience.mean=60 "));
    assert_non_null(strstr(between(o, "changed: sales.staff.1.count=5", "workshop> undo"),
                           "  sales: staff 3 from 09:00, 5 from 10:00, 3 from 12:00, 4 from 13:00;"));
    /* *= rounds staff counts to the nearest: 3 *= 1.5 gives 5 (and 2, 3) */
    assert_non_null(strstr(between(o, "changed: credit.staff*=1.5", "workshop> undo"),
                           "  credit: staff 5 from 09:00, 3 from 12:30, 5 from 13:30;"));
    /* set PATH = VALUE is set PATH VALUE */
    assert_non_null(strstr(between(strstr(o, "workshop> set departments.credit.staff = 4"), "changed: credit.staff=4",
                                   "workshop> undo"),
                           "  credit: staff 4;"));
    /* += changes each rate of an arrival profile */
    assert_non_null(strstr(between(o, "changed: buyer.arrivals.per_hour+=1", "workshop> undo"),
                           "  buyer (external): 4/h from 09:00, 6/h from 11:00, 9/h from 12:00,"));
    /* play's default speed: the scenario's workshop.speed, 12 for the dealership */
    assert_non_null(strstr(show, "play at 12 business minutes a second"));
    assert_non_null(strstr(o, "(default: the scenario's workshop.speed)"));
    /* run: all the days */
    assert_non_null(strstr(o, "workshop> run\nbaseline: no change, 30 days on seed 20261122\n"));
    /* any scenario file */
    session(&r, "run\nquit\n", "scenarios/bank.yaml");
    assert_int_equal(r.code, 0);
    assert_non_null(strstr(r.out, "workshop> run\nbaseline: no change, "));
}

/* "Everyone sees the same customers" and "The score". */
static void workshop_guide_same_customers_and_the_score(void **state)
{
    (void)state;
    static struct run r;
    session(&r, "set departments.sales.staff+=1\nstory buyer#17\nrun\nshow\n", "");
    assert_int_equal(r.code, 0);
    /* a change of staffing never changes who comes, nor when */
    const char *now = strstr(r.out, "buyer #17 now\n");
    const char *before = strstr(r.out, "buyer #17 in the baseline\n");
    assert_non_null(now);
    assert_non_null(before);
    const char *came_now = strstr(now, "  buyer #17 arrives at reception\n");
    const char *came_before = strstr(before, "  buyer #17 arrives at reception\n");
    assert_non_null(came_now);
    assert_non_null(came_before);
    assert_true(came_now < before);
    assert_memory_equal(came_now - 5, came_before - 5, 5);   /* the same clock */
    /* the score is the sum of its parts; the prices are the workshop: section's */
    const char *line = strstr(r.out, "Score of attempt 1: ");
    assert_non_null(line);
    double total = figure_after(line, "Score of attempt 1: "), staff = figure_after(line, "(staff "),
           lost = figure_after(line, " + lost value "), waiting = figure_after(line, " + waiting "),
           unhappy = figure_after(line, " + dissatisfied ");
    assert_true(fabs(total - (staff + lost + waiting + unhappy)) <= 2);
    assert_non_null(strstr(line, "; lower is better."));
    assert_non_null(strstr(r.out, "  score: staff cost + lost value + 0.5 a minute an external customer waits\n"
                                  "         + 20 an external customer scoring below 4\n"));
}

/* The session's business (0-5 min) and its day (5-15 min). */
static void workshop_guide_session_shows_the_business_and_its_day(void **state)
{
    (void)state;
    static struct run r, trace, report;
    session(&r, "show\nplay max\nrun\n", "");
    assert_int_equal(r.code, 0);
    const char *show = between(r.out, "workshop> show\n", "workshop>");
    /* reception, then credit for six in ten, sales, insurance for seven in
     * ten; half of the sales need a credit check */
    assert_non_null(strstr(show, "    after reception: credit 60% sales 40%\n"));
    assert_non_null(strstr(show, "    after credit: sales 85% exit 15%\n"));
    assert_non_null(strstr(show, "    after sales: insurance 70% exit 30%\n"));
    assert_non_null(strstr(show, "  50% of services at sales need credit"));
    /* shifts with a lunch each, one fixed, one in a window; the floater */
    assert_non_null(strstr(show, "    shift early: 08:45 to 17:15, 1 person; 45-minute break at 12:00\n"));
    assert_non_null(strstr(show, "    shift late: 09:30 to 18:00, 1 person; 45-minute break between 13:00 and"));
    assert_non_null(strstr(show, "    shift morning: 09:00 to 17:00, 1 person; 45-minute break at 12:30\n"));
    assert_non_null(strstr(show, "    shift day: 10:00 to 18:00, 1 person; 45-minute break between 13:30 and 15:00\n"));
    assert_non_null(strstr(show, "  floater: serves insurance, then reception (in that order when several have\n"
                                 "      customers waiting)"));
    /* sales: one fewer from 12:00 to 13:00; test drives every hour from
     * 10:00 to 16:00, 15% never come */
    assert_non_null(strstr(show, "  sales: staff 3 from 09:00, 4 from 10:00, 3 from 12:00, 4 from 13:00;"));
    assert_non_null(strstr(show, "    7 slots every 60 min from 10:00 to 16:00"));
    assert_non_null(strstr(show, "; 15% do not come;"));

    /* the day: the queue builds at sales from the lunch hour on — its bar
     * turns yellow (4 waiting) after 12:00 and again after 14:00, never red
     * (10), green before noon — and no other department's turns yellow.
     * The queues from the trace of the very day play shows: the number
     * waiting as each customer arrives (the CSV's count). */
    run(&trace, "trace --format csv");
    assert_int_equal(trace.code, 0);
    long most[4][24] = {{0}};
    const char *names[4] = {"reception", "credit", "sales", "insurance"};
    for (const char *p = strchr(trace.out, '\n'); p && p[1]; p = strchr(p + 1, '\n')) {
        char line[512], *f[16];
        const char *e = strchr(p + 1, '\n');
        snprintf(line, sizeof line, "%.*s", (int)(e ? e - p - 1 : (long)strlen(p + 1)), p + 1);
        size_t nf = 0;
        for (char *c = line, *q; nf < 16; c = q + 1) {   /* empty fields kept */
            f[nf++] = c;
            q = strchr(c, ',');
            if (!q)
                break;
            *q = '\0';
        }
        if (nf < 13 || strcmp(f[6], "arrive"))
            continue;
        int hour = atoi(f[1]);
        for (int d = 0; d < 4; d++)
            if (!strcmp(f[5], names[d]) && hour < 24 && atol(f[12]) > most[d][hour])
                most[d][hour] = atol(f[12]);
    }
    for (int h = 0; h < 24; h++) {
        for (int d = 0; d < 4; d++)
            assert_true(most[d][h] < 10);             /* never red */
        for (int d = 0; d < 4; d++)
            assert_true(d == 2 || most[d][h] < 4);    /* only sales turns yellow */
        assert_true(h >= 12 || most[2][h] < 4);       /* green before noon */
    }
    assert_true(most[2][12] >= 4);
    assert_true(most[2][14] >= 4);
    /* buyers give up at sales one after another: seven by 14:00, and after
     * the lunch hour too; the floater helping at insurance, said */
    const char *play = strstr(r.out, "workshop> play max\n");
    assert_non_null(play);
    assert_non_null(strstr(between(play, "\n14:00  served", "\n15:00"), "       sales: 1 waiting, staff 4 of 4 busy, 7 "
                                                                         "gave up\n"));
    int after_lunch = 0;
    for (const char *g = strstr(play, "gave up at sales"); g; g = strstr(g + 1, "gave up at sales")) {
        const char *clock = g;
        while (clock > play && clock[-1] != '\n')
            clock--;
        after_lunch += strncmp(clock, "  13:", 5) >= 0 && strncmp(clock, "  15:", 5) < 0;
    }
    assert_true(after_lunch >= 4);
    assert_non_null(strstr(play, "       insurance: 0 waiting, staff 2 of 2 busy, +1 from the floater pool\n"));
    /* drawn, the same line reads "staff 2 of 2 busy +1 floater", with its legend */
    struct out_play_dept ins = {"insurance", 0, 0, 2, 2, 1, "floater"};
    struct out_play_frame fr = {600, true, false, 1, &ins, 0, 0, {NULL}, 30, 100};
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    out_play_draw(f, &fr, false);
    fclose(f);
    assert_non_null(strstr(buf, " staff 2 of 2 busy +1 floater\033[K\n"));
    assert_non_null(strstr(buf, "  +N floater: helping, from the floater pool"));
    free(buf);

    /* run: the opening sentences of cxsim run's report: where customers
     * wait longest (sales), the goals missed (sales, buyer), about one in
     * five leaving unserved */
    run(&report, "run");
    assert_int_equal(report.code, 0);
    char sentences[4096];
    snprintf(sentences, sizeof sentences, "%s", between(report.out, "In short\n", "\n\n"));
    assert_non_null(strstr(between(r.out, "baseline: no change, 30 days", "\n\n"), sentences + strlen("In short\n")));
    assert_non_null(strstr(sentences, "Customers wait longest at sales"));
    assert_non_null(strstr(sentences, " 2 missed (sales, buyer)"));
    const char *unserved = strstr(sentences, "external customers a day leave unserved (");
    assert_non_null(unserved);
    double share = strtod(unserved + strlen("external customers a day leave unserved ("), NULL);
    assert_true(share >= 17 && share <= 23);
}

/* The exercises' prose beyond their samples, and the tips. */
static void workshop_guide_exercises_say_what_the_runs_say(void **state)
{
    (void)state;
    static struct run r;
    /* exercise 1: the lunch hour alone costs about a tenth of a manager all
     * day and saves about a fifth of its lost value; the manager all day
     * scores best */
    session(&r, "set departments.sales.staff+=1\nrun\nundo\nset departments.sales.staff.2.count 4\nshow\nrun\nscore\n",
            "");
    assert_int_equal(r.code, 0);
    assert_non_null(strstr(between(r.out, "changed: sales.staff.2.count=4", "workshop> run"),
                           "  sales: staff 3 from 09:00, 4 from 10:00, 4 from 12:00, 4 from 13:00;"));
    char all_day[2048];
    snprintf(all_day, sizeof all_day, "%s", between(between(r.out, "attempt 1: sales.staff+=1", "Score of"),
                                                    "Against the baseline", "\n\n"));
    const char *lunch = between(between(r.out, "attempt 2: sales.staff.2.count=4", "Score of"), "Against the baseline",
                                "\n\n");
    double staff_ratio = figure_after(lunch, "staff cost ") / figure_after(all_day, "staff cost ");
    double lost_ratio = figure_after(lunch, "lost value ") / figure_after(all_day, "lost value ");
    assert_true(staff_ratio > 0.07 && staff_ratio < 0.13);
    assert_true(lost_ratio > 0.17 && lost_ratio < 0.23);
    assert_non_null(strstr(r.out, "  1           attempt 1 "));

    /* exercise 2: credit shortens the buyers' wait on credit checks and
     * the wait at credit, with no clear difference in drop-outs; sales
     * does not shorten the wait on credit checks but cuts the wait at sales
     * and the drop-outs, and ranks first */
    session(&r, "run\nset departments.sales.staff+=1\nrun\nundo\nset departments.credit.staff+=1\nrun\nscore\n", "");
    assert_int_equal(r.code, 0);
    const char *requests = "external customers spend ";
    double base = figure_after(between(r.out, "baseline: no change", "Score of"), requests);
    char sales[4096];
    snprintf(sales, sizeof sales, "%s", between(r.out, "attempt 1: sales.staff+=1", "Score of"));
    const char *credit = between(r.out, "attempt 2: credit.staff+=1", "Score of");
    assert_true(figure_after(credit, requests) < base);
    assert_true(figure_after(sales, requests) >= base);
    assert_true(figure_after(credit, "Against the baseline: credit wait ") < 0);
    assert_non_null(strstr(credit, "no clear difference in drop-outs"));
    assert_true(figure_after(sales, "Against the baseline: sales wait ") < 0);
    assert_true(figure_after(sales, "drop-outs ") < 0);
    assert_non_null(strstr(r.out, "  1           attempt 1 "));
    assert_non_null(strstr(r.out, "  2           attempt 2 "));

    /* exercise 3: save best.yaml, then its report with charts */
    session(&r, "set departments.sales.staff+=1\nsave " CXSIM_TEST_TMP "/best.yaml\n", "");
    assert_int_equal(r.code, 0);
    assert_null(strstr(r.out, "written anew"));
    run(&r, "run " CXSIM_TEST_TMP "/best.yaml --format html -o " CXSIM_TEST_TMP "/best.html");
    assert_int_equal(r.code, 0);
    static char html[1 << 16];
    slurp(CXSIM_TEST_TMP "/best.html", html, sizeof html);
    assert_non_null(strstr(html, "<html"));
    unlink(CXSIM_TEST_TMP "/best.yaml");
    unlink(CXSIM_TEST_TMP "/best.html");

    /* tips: a mistyped set changes nothing, undo has nothing to take back */
    session(&r, "set departments.credt.staff 2\nshow\nundo\n", "");
    assert_non_null(strstr(r.out, "set departments.credt.staff 2\n    ^\n"));
    assert_non_null(strstr(r.out, "Changes from the scenario file: no change\n"));
    assert_non_null(strstr(r.out, "nothing to undo: this is the baseline\n"));
    /* and run takes well under a second for the dealership's 30 days (the
     * whole session here; not under valgrind, which is slower by design) */
    const char *bin = getenv("CXSIM_BIN");
    if (!bin || !strstr(bin, "valgrind")) {
        struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        session(&r, "run\n", "");
        clock_gettime(CLOCK_MONOTONIC, &t1);
        double seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
        print_message("a session with one run of 30 days: %.3f s\n", seconds);
        assert_true(seconds < 1.0);
    }
}

TEST_TABLE(test_cli_workshop,
           cmocka_unit_test(workshop_every_command_from_a_pipe),
           cmocka_unit_test(workshop_story_tells_what_changed),
           cmocka_unit_test(workshop_command_line_set_is_the_baseline),
           cmocka_unit_test(workshop_saved_plan_runs_as_the_attempt),
           cmocka_unit_test(workshop_save_edits_the_file_where_it_changed),
           cmocka_unit_test(workshop_save_edit_reads_back_or_is_written_anew),
           cmocka_unit_test(workshop_play_draws_live_in_a_terminal),
           cmocka_unit_test(workshop_play_falls_back_to_plain_lines),
           cmocka_unit_test(workshop_clear_and_ctrl_l_clear_the_screen),
           cmocka_unit_test(workshop_show_wraps_at_words_to_the_width),
           cmocka_unit_test(workshop_play_says_who_is_busy_beyond_those_on_duty),
           cmocka_unit_test(workshop_set_takes_relative_changes_and_undo_restores),
           cmocka_unit_test(workshop_guide_commands_do_what_the_table_says),
           cmocka_unit_test(workshop_guide_same_customers_and_the_score),
           cmocka_unit_test(workshop_guide_session_shows_the_business_and_its_day),
           cmocka_unit_test(workshop_guide_exercises_say_what_the_runs_say))
