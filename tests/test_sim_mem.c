/* tests/test_sim_mem.c — the arena: alignment, zeroing, large requests, reset. */
#include "tests/testutil.h"

#include "sim/mem.h"

#include <stdalign.h>
#include <stdlib.h>
#include <string.h>

static void arena_aligns_and_zeroes(void **state)
{
    (void)state;
    struct sim_arena *a = sim_arena_create(256);
    for (size_t size = 1; size < 100; size += 7) {
        unsigned char *p = sim_arena_alloc(a, size);
        assert_int_equal((uintptr_t)p % alignof(max_align_t), 0);
        for (size_t i = 0; i < size; i++)
            assert_int_equal(p[i], 0);
        memset(p, 0xAB, size);
    }
    sim_arena_destroy(a);
}

static void arena_serves_requests_larger_than_a_block(void **state)
{
    (void)state;
    struct sim_arena *a = sim_arena_create(64);
    char *small = sim_arena_alloc(a, 16);
    char *big = sim_arena_alloc(a, 10000);
    memset(big, 1, 10000);
    memset(small, 2, 16);
    assert_int_equal(big[9999], 1);
    assert_int_equal(small[0], 2);
    assert_true(sim_arena_used(a) >= 10016);
    sim_arena_reset(a);
    assert_int_equal(sim_arena_used(a), 0);
    char *again = sim_arena_alloc(a, 32);
    assert_int_equal(again[31], 0);
    sim_arena_destroy(a);
}

static void xreallocarray_grows_and_keeps(void **state)
{
    (void)state;
    int *v = sim_xreallocarray(NULL, 4, sizeof *v);
    for (int i = 0; i < 4; i++)
        v[i] = i;
    v = sim_xreallocarray(v, 1000, sizeof *v);
    assert_int_equal(v[3], 3);
    free(v);
    char *s = sim_xstrdup("credit");
    assert_string_equal(s, "credit");
    free(s);
}

/* An arena destroyed gives its blocks to the next arena of the thread: one
 * replication after another touches no new memory (before, each day's
 * 256 KiB went back to the system and came back as fresh pages: the page
 * faults cost a dealership day as much as simulating it). Reused memory
 * is handed out zeroed like new. */
static void arena_blocks_are_reused_by_the_next_arena(void **state)
{
    (void)state;
    sim_arena_trim();
    struct sim_arena *a = sim_arena_create(256 * 1024);
    unsigned char *p = sim_arena_alloc(a, 1000);
    memset(p, 0xAB, 1000);
    sim_arena_destroy(a);
    struct sim_arena *b = sim_arena_create(256 * 1024);
    unsigned char *q = sim_arena_alloc(b, 1000);
    assert_ptr_equal(p, q);
    for (size_t i = 0; i < 1000; i++)
        assert_int_equal(q[i], 0);
    /* a smaller arena does not take a block far larger than it asks */
    struct sim_arena *c = sim_arena_create(1024);
    sim_arena_destroy(b);
    sim_arena_destroy(c);
    /* what is kept is bounded, and trim gives it all back */
    struct sim_arena *big[8];
    for (int i = 0; i < 8; i++)
        big[i] = sim_arena_create(1024 * 1024);
    for (int i = 0; i < 8; i++)
        sim_arena_destroy(big[i]);
    assert_true(sim_arena_spare_bytes() <= SIM_ARENA_SPARE_MAX);
    sim_arena_trim();
    assert_int_equal(sim_arena_spare_bytes(), 0);
}

TEST_TABLE(test_sim_mem,
           cmocka_unit_test(arena_blocks_are_reused_by_the_next_arena),
           cmocka_unit_test(arena_aligns_and_zeroes),
           cmocka_unit_test(arena_serves_requests_larger_than_a_block),
           cmocka_unit_test(xreallocarray_grows_and_keeps))
