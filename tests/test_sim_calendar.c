/* tests/test_sim_calendar.c — the event calendar: order, ties, cancel,
 * stale handles, the past, memory reuse, and a long random sequence checked
 * against a plain reference implementation. */
#include "tests/testutil.h"
#include "sim/mem.h"

#include "sim/calendar.h"
#include "sim/stream.h"

#include <malloc.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static void calendar_pops_in_time_order(void **state)
{
    (void)state;
    struct sim_calendar *c = sim_calendar_create(0, 4);
    struct sim_stream s;
    sim_stream_init(&s, 1, 0, 0, 0);
    for (int i = 0; i < 1000; i++)
        sim_calendar_schedule(c, 100 * gsl_rng_uniform(sim_stream_rng(&s)), i, NULL);
    assert_int_equal(sim_calendar_size(c), 1000);
    struct sim_event ev;
    double last = 0;
    int seen[1000] = {0};
    int popped = 0;
    while (sim_calendar_pop(c, &ev)) {
        assert_true(ev.at >= last);
        assert_near(sim_calendar_now(c), ev.at, 0);
        last = ev.at;
        seen[ev.kind]++;
        popped++;
    }
    assert_int_equal(popped, 1000);
    for (int i = 0; i < 1000; i++)
        assert_int_equal(seen[i], 1);
    assert_false(sim_calendar_pop(c, &ev));
    assert_true(isinf(sim_calendar_next_at(c)));
    sim_calendar_destroy(c);
}

static void calendar_equal_times_run_in_scheduling_order(void **state)
{
    (void)state;
    struct sim_calendar *c = sim_calendar_create(0, 0);
    /* Interleave three instants so ties must survive heap reshuffles. */
    for (int i = 0; i < 300; i++)
        sim_calendar_schedule(c, (double)(i % 3), i, NULL);
    struct sim_event ev;
    int expect[3] = {0, 1, 2};
    for (int t = 0; t < 3; t++)
        for (int k = 0; k < 100; k++) {
            assert_true(sim_calendar_pop(c, &ev));
            assert_near(ev.at, t, 0);
            assert_int_equal(ev.kind, expect[t]);
            expect[t] += 3;
        }
    /* An event scheduled at `now` while others wait at `now` runs after them. */
    sim_calendar_schedule(c, 5, 1, NULL);
    sim_calendar_schedule(c, 5, 2, NULL);
    assert_true(sim_calendar_pop(c, &ev));
    assert_int_equal(ev.kind, 1);
    sim_calendar_schedule(c, 5, 3, NULL);
    assert_true(sim_calendar_pop(c, &ev));
    assert_int_equal(ev.kind, 2);
    assert_true(sim_calendar_pop(c, &ev));
    assert_int_equal(ev.kind, 3);
    sim_calendar_destroy(c);
}

static void calendar_cancel_removes_exactly_one_event(void **state)
{
    (void)state;
    struct sim_calendar *c = sim_calendar_create(0, 0);
    int payload = 42;
    sim_handle a = sim_calendar_schedule(c, 1, 1, NULL);
    sim_handle b = sim_calendar_schedule(c, 2, 2, &payload);
    sim_handle d = sim_calendar_schedule(c, 3, 3, NULL);
    assert_true(sim_calendar_pending(c, b));
    assert_true(sim_calendar_cancel(c, b));
    assert_false(sim_calendar_pending(c, b));
    assert_false(sim_calendar_cancel(c, b));
    assert_int_equal(sim_calendar_size(c), 2);
    struct sim_event ev;
    assert_true(sim_calendar_pop(c, &ev));
    assert_int_equal(ev.kind, 1);
    assert_true(sim_calendar_pop(c, &ev));
    assert_int_equal(ev.kind, 3);
    assert_false(sim_calendar_pending(c, a));
    assert_false(sim_calendar_pending(c, d));
    /* The payload travels untouched. */
    sim_calendar_schedule(c, 4, 9, &payload);
    assert_true(sim_calendar_pop(c, &ev));
    assert_ptr_equal(ev.data, &payload);
    sim_calendar_destroy(c);
}

static void calendar_stale_handles_never_hit_a_reused_slot(void **state)
{
    (void)state;
    struct sim_calendar *c = sim_calendar_create(0, 0);
    assert_false(sim_calendar_cancel(c, 0));
    sim_handle old = sim_calendar_schedule(c, 1, 1, NULL);
    struct sim_event ev;
    assert_true(sim_calendar_pop(c, &ev)); /* old has run */
    /* The next event takes the freed slot; the old handle must not touch it. */
    sim_handle young = sim_calendar_schedule(c, 2, 2, NULL);
    assert_int_equal(young & 0xffffffffu, old & 0xffffffffu); /* same slot */
    assert_false(sim_calendar_cancel(c, old));
    assert_true(sim_calendar_pending(c, young));
    /* Cancelled, then reused: same story. */
    assert_true(sim_calendar_cancel(c, young));
    sim_handle third = sim_calendar_schedule(c, 3, 3, NULL);
    assert_false(sim_calendar_cancel(c, young));
    assert_true(sim_calendar_pending(c, third));
    /* Handles from beyond the slot table are refused, not followed. */
    assert_false(sim_calendar_cancel(c, (sim_handle)1 << 32 | 999));
    /* Reset makes every pending handle stale. */
    sim_calendar_reset(c, 10);
    assert_false(sim_calendar_pending(c, third));
    assert_false(sim_calendar_cancel(c, third));
    assert_int_equal(sim_calendar_size(c), 0);
    assert_near(sim_calendar_now(c), 10, 0);
    sim_calendar_destroy(c);
}

static void calendar_advance_moves_the_clock_only(void **state)
{
    (void)state;
    struct sim_calendar *c = sim_calendar_create(5, 0);
    assert_near(sim_calendar_now(c), 5, 0);
    sim_calendar_schedule(c, 20, 1, NULL);
    sim_calendar_advance(c, 12);
    assert_near(sim_calendar_now(c), 12, 0);
    assert_int_equal(sim_calendar_size(c), 1);
    sim_calendar_destroy(c);
}

/* Runs fn in a child process and returns the signal that ended it (0 if none). */
static int dies_with(void (*fn)(void))
{
    pid_t pid = test_fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        if (!freopen("/dev/null", "w", stderr))
            _exit(2);
        fn();
        _exit(0);
    }
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    return WIFSIGNALED(status) ? WTERMSIG(status) : 0;
}

static void schedule_in_the_past(void)
{
    struct sim_calendar *c = sim_calendar_create(0, 0);
    sim_calendar_schedule(c, 10, 1, NULL);
    struct sim_event ev;
    sim_calendar_pop(c, &ev);
    sim_calendar_schedule(c, 9.5, 2, NULL);
}

static void schedule_at_nan(void)
{
    struct sim_calendar *c = sim_calendar_create(0, 0);
    sim_calendar_schedule(c, NAN, 1, NULL);
}

static void calendar_refuses_the_past_with_an_assertion(void **state)
{
    (void)state;
    assert_int_equal(dies_with(schedule_in_the_past), SIGABRT);
    assert_int_equal(dies_with(schedule_at_nan), SIGABRT);
}

static void calendar_allocates_nothing_once_warmed_up(void **state)
{
    (void)state;
    struct sim_calendar *c = sim_calendar_create(0, 0);
    struct sim_stream s;
    sim_stream_init(&s, 2, 0, 0, 0);
    gsl_rng *r = sim_stream_rng(&s);
    struct sim_event ev;
    /* Warm up to 5000 pending events, then hold that level for a while. */
    for (int i = 0; i < 5000; i++)
        sim_calendar_schedule(c, gsl_rng_uniform(r), 0, NULL);
    size_t before = mallinfo2().uordblks;
    for (int i = 0; i < 200000; i++) {
        assert_true(sim_calendar_pop(c, &ev));
        sim_handle h = sim_calendar_schedule(c, ev.at + gsl_rng_uniform(r), 0, NULL);
        if (i % 3 == 0) {
            sim_calendar_cancel(c, h);
            sim_calendar_schedule(c, ev.at + gsl_rng_uniform(r), 0, NULL);
        }
    }
    assert_int_equal(mallinfo2().uordblks, before);
    assert_int_equal(sim_calendar_size(c), 5000);
    sim_calendar_destroy(c);
}

/* The reference: an unordered array of live events, searched linearly. */
struct ref_event {
    double at;
    uint64_t seq;
    int id;
    sim_handle h;
};

static void calendar_matches_a_reference_over_a_long_random_sequence(void **state)
{
    (void)state;
    enum { OPS = 200000, MAXLIVE = 4096 };
    struct ref_event *live = sim_xmalloc(MAXLIVE * sizeof *live);
    sim_handle *dead = sim_xmalloc(OPS * sizeof *dead);
    assert_non_null(live);
    assert_non_null(dead);
    size_t nlive = 0, ndead = 0;
    uint64_t seq = 0;
    int next_id = 0;
    struct sim_calendar *c = sim_calendar_create(0, 0);
    struct sim_stream s;
    sim_stream_init(&s, 3, 0, 0, 0);
    gsl_rng *r = sim_stream_rng(&s);
    for (int op = 0; op < OPS; op++) {
        double u = gsl_rng_uniform(r);
        if ((u < 0.45 && nlive < MAXLIVE) || nlive == 0) {
            /* Schedule; coarse times make many exact ties. */
            double at = sim_calendar_now(c) + (double)gsl_rng_uniform_int(r, 8);
            int id = next_id++;
            sim_handle h = sim_calendar_schedule(c, at, id, NULL);
            live[nlive++] = (struct ref_event){at, seq++, id, h};
        } else if (u < 0.65) {
            /* Cancel a live event, or try a stale handle. */
            if (ndead > 0 && gsl_rng_uniform(r) < 0.3) {
                assert_false(sim_calendar_cancel(c, dead[gsl_rng_uniform_int(r, ndead)]));
            } else {
                size_t k = gsl_rng_uniform_int(r, nlive);
                assert_true(sim_calendar_cancel(c, live[k].h));
                dead[ndead++] = live[k].h;
                live[k] = live[--nlive];
            }
        } else {
            size_t best = 0;
            for (size_t k = 1; k < nlive; k++)
                if (live[k].at < live[best].at ||
                    (live[k].at == live[best].at && live[k].seq < live[best].seq))
                    best = k;
            struct sim_event ev;
            assert_true(sim_calendar_pop(c, &ev));
            assert_int_equal(ev.kind, live[best].id);
            assert_near(ev.at, live[best].at, 0);
            dead[ndead++] = live[best].h;
            live[best] = live[--nlive];
        }
        assert_int_equal(sim_calendar_size(c), nlive);
    }
    free(live);
    free(dead);
    sim_calendar_destroy(c);
}

/* A pop leaves its entry at the root until the next schedule takes its
 * place or the next pop removes it (the hold): nothing of that may show. */
static void calendar_hold_keeps_every_promise(void **state)
{
    (void)state;
    struct sim_calendar *c = sim_calendar_create(0, 4);
    int tag[8];
    struct sim_event ev;
    sim_handle a = sim_calendar_schedule(c, 5, 0, &tag[0]);
    sim_calendar_schedule(c, 5, 1, &tag[1]);
    sim_calendar_schedule(c, 9, 2, &tag[2]);
    assert_true(sim_calendar_pop(c, &ev));
    assert_ptr_equal(ev.data, &tag[0]);
    /* the popped event is gone: size, next time and its handle say so */
    assert_int_equal(sim_calendar_size(c), 2);
    assert_near(sim_calendar_next_at(c), 5, 0);
    assert_false(sim_calendar_pending(c, a));
    assert_false(sim_calendar_cancel(c, a));
    /* scheduled now at the same time, it leaves after the one already due */
    sim_calendar_schedule(c, 5, 3, &tag[3]);
    assert_true(sim_calendar_pop(c, &ev));
    assert_ptr_equal(ev.data, &tag[1]);
    assert_true(sim_calendar_pop(c, &ev));
    assert_ptr_equal(ev.data, &tag[3]);
    /* two pops in a row, then the clock moves to the last */
    assert_true(sim_calendar_pop(c, &ev));
    assert_ptr_equal(ev.data, &tag[2]);
    assert_int_equal(sim_calendar_size(c), 0);
    assert_true(isinf(sim_calendar_next_at(c)));
    assert_false(sim_calendar_pop(c, &ev));
    assert_near(sim_calendar_now(c), 9, 0);
    /* cancelling under a consumed root, advancing, resetting */
    sim_handle b = sim_calendar_schedule(c, 10, 4, &tag[4]);
    sim_handle d = sim_calendar_schedule(c, 12, 5, &tag[5]);
    sim_calendar_schedule(c, 11, 6, &tag[6]);
    assert_true(sim_calendar_pop(c, &ev));
    assert_ptr_equal(ev.data, &tag[4]);
    assert_false(sim_calendar_pending(c, b));
    assert_true(sim_calendar_cancel(c, d));
    assert_int_equal(sim_calendar_size(c), 1);
    assert_near(sim_calendar_next_at(c), 11, 0);
    sim_calendar_advance(c, 10.5);
    assert_near(sim_calendar_now(c), 10.5, 0);
    assert_true(sim_calendar_pop(c, &ev));
    assert_ptr_equal(ev.data, &tag[6]);
    sim_handle e = sim_calendar_schedule(c, 20, 7, &tag[7]);
    assert_true(sim_calendar_pop(c, &ev));
    sim_calendar_reset(c, 0);
    assert_int_equal(sim_calendar_size(c), 0);
    assert_false(sim_calendar_pending(c, e));
    assert_false(sim_calendar_pop(c, &ev));
    sim_calendar_destroy(c);
}

TEST_TABLE(test_sim_calendar, cmocka_unit_test(calendar_hold_keeps_every_promise),
           cmocka_unit_test(calendar_pops_in_time_order),
           cmocka_unit_test(calendar_equal_times_run_in_scheduling_order),
           cmocka_unit_test(calendar_cancel_removes_exactly_one_event),
           cmocka_unit_test(calendar_stale_handles_never_hit_a_reused_slot),
           cmocka_unit_test(calendar_advance_moves_the_clock_only),
           cmocka_unit_test(calendar_refuses_the_past_with_an_assertion),
           cmocka_unit_test(calendar_allocates_nothing_once_warmed_up),
           cmocka_unit_test(calendar_matches_a_reference_over_a_long_random_sequence))
