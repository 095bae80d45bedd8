/* tests/test_sim_stream.c — random streams: Philox underneath, identity
 * determines the numbers, every part of the identity matters, the whole
 * 64-bit seed is used, and GSL samplers run on a stream. */
#include "tests/testutil.h"

#include "sim/stream.h"

#include <Random123/philox.h>
#include <gsl/gsl_randist.h>

enum { DRAWS = 1000 };

static void draw(uint64_t seed, uint32_t rep, unsigned purpose, uint32_t entity, unsigned long *out)
{
    struct sim_stream s;
    sim_stream_init(&s, seed, rep, purpose, entity);
    for (int i = 0; i < DRAWS; i++)
        out[i] = gsl_rng_get(sim_stream_rng(&s));
}

static int count_equal(const unsigned long *a, const unsigned long *b)
{
    int same = 0;
    for (int i = 0; i < DRAWS; i++)
        same += a[i] == b[i];
    return same;
}

static void stream_is_philox4x32_keyed_by_the_whole_seed(void **state)
{
    (void)state;
    /* Random123's published known answer for Philox4x32-10 at ctr 0, key 0. */
    philox4x32_ctr_t zero = {{0, 0, 0, 0}};
    philox4x32_key_t zkey = {{0, 0}};
    philox4x32_ctr_t kat = philox4x32(zero, zkey);
    assert_int_equal(kat.v[0], 0x6627e8d5u);
    assert_int_equal(kat.v[3], 0x9b00dbd8u);
    /* A stream's k-th block (k = 1, 2, ...): counter (k, 1, replication,
     * purpose<<24|entity), key = the seed's two halves; each block's words
     * come out last first. Checking several blocks guards the identity
     * words against the adapter's faulty carry (see sim/stream.c). */
    uint64_t seed = 0x123456789abcdef0u;
    philox4x32_key_t key = {{0x9abcdef0u, 0x12345678u}};
    struct sim_stream s;
    sim_stream_init(&s, seed, 7, 3, 5);
    for (uint32_t k = 1; k <= 50; k++) {
        philox4x32_ctr_t ctr = {{k, 1, 7, (3u << 24) | 5u}};
        philox4x32_ctr_t block = philox4x32(ctr, key);
        for (int i = 3; i >= 0; i--)
            assert_int_equal(gsl_rng_get(sim_stream_rng(&s)), block.v[i]);
    }
}

/* Replication 0: the adapter's carry tests word 2 (the replication) for
 * zero, so word 3 (purpose and entity) gains one at every block, the first
 * included: block k has counter (k, word 1, 0, purpose<<24|entity + k). No
 * two identities meet (word 0 is the block count in both), but the layout
 * is not the table's: pinned here, since sim_stream_init computes the first
 * block itself and must give the adapter's. */
static void stream_replication_0_follows_the_adapter(void **state)
{
    (void)state;
    philox4x32_key_t key = {{77, 0}};
    struct sim_stream s;
    for (uint32_t sub = 0; sub < 3; sub++) {
        sim_stream_init_sub(&s, 77, 0, 3, 5, sub);
        for (uint32_t k = 1; k <= 20; k++) {
            philox4x32_ctr_t ctr = {{k, sub + 1, 0, ((3u << 24) | 5u) + k}};
            philox4x32_ctr_t block = philox4x32(ctr, key);
            for (int i = 3; i >= 0; i--)
                assert_int_equal(gsl_rng_get(sim_stream_rng(&s)), block.v[i]);
        }
    }
}

static void stream_substreams_are_distinct_and_laid_out(void **state)
{
    (void)state;
    unsigned long plain[DRAWS], sub0[DRAWS], sub1[DRAWS];
    draw(77, 1, 4, 2, plain);
    struct sim_stream s;
    unsigned long *outs[2] = {sub0, sub1};
    for (uint32_t k = 0; k < 2; k++) {
        sim_stream_init_sub(&s, 77, 1, 4, 2, k);
        for (int i = 0; i < DRAWS; i++)
            outs[k][i] = gsl_rng_get(sim_stream_rng(&s));
    }
    /* sub-stream 0 has word 1 = 1: the plain stream of the same identity. */
    assert_int_equal(count_equal(plain, sub0), DRAWS);
    assert_int_equal(count_equal(sub0, sub1), 0);
    /* first block of sub-stream 41: counter (1, 42, rep, purpose<<24|entity) */
    philox4x32_ctr_t ctr = {{1, 42, 1, (4u << 24) | 2u}};
    philox4x32_key_t key = {{77, 0}};
    philox4x32_ctr_t block = philox4x32(ctr, key);
    sim_stream_init_sub(&s, 77, 1, 4, 2, 41);
    assert_int_equal(gsl_rng_get(sim_stream_rng(&s)), block.v[3]);
}

static void stream_same_identity_same_numbers(void **state)
{
    (void)state;
    unsigned long a[DRAWS], b[DRAWS];
    draw(20261122, 4, 2, 9, a);
    draw(20261122, 4, 2, 9, b);
    assert_int_equal(count_equal(a, b), DRAWS);
}

static void stream_every_part_of_the_identity_matters(void **state)
{
    (void)state;
    unsigned long base[DRAWS], other[DRAWS];
    draw(20261122, 4, 2, 9, base);
    /* Equal 32-bit words by chance: expected 1000 / 2^32, so 0. */
    draw(20261123, 4, 2, 9, other);
    assert_int_equal(count_equal(base, other), 0);
    draw(20261122, 5, 2, 9, other);
    assert_int_equal(count_equal(base, other), 0);
    draw(20261122, 4, 3, 9, other);
    assert_int_equal(count_equal(base, other), 0);
    draw(20261122, 4, 2, 10, other);
    assert_int_equal(count_equal(base, other), 0);
    draw(20261122, 4, SIM_STREAM_PURPOSE_MAX, SIM_STREAM_ENTITY_MAX, other);
    assert_int_equal(count_equal(base, other), 0);
}

static void stream_seeds_differing_above_bit_32_differ(void **state)
{
    (void)state;
    unsigned long a[DRAWS], b[DRAWS], c[DRAWS];
    draw(1, 0, 0, 0, a);
    draw(1 + ((uint64_t)1 << 32), 0, 0, 0, b);
    draw(1 + ((uint64_t)1 << 63), 0, 0, 0, c);
    assert_int_equal(count_equal(a, b), 0);
    assert_int_equal(count_equal(a, c), 0);
    assert_int_equal(count_equal(b, c), 0);
}

static void stream_uniforms_have_the_right_moments(void **state)
{
    (void)state;
    /* U(0,1): mean 1/2, variance 1/12; checked within 4 standard errors.
     * SE of the mean: sqrt(1/12/n); SE of the variance: sqrt((1/80 - 1/144)/n). */
    enum { N = 400000 };
    struct sim_stream s;
    sim_stream_init(&s, 99, 0, 1, 1);
    double sum = 0, sum2 = 0;
    for (int i = 0; i < N; i++) {
        double u = gsl_rng_uniform(sim_stream_rng(&s));
        assert_true(u >= 0 && u < 1);
        sum += u;
        sum2 += u * u;
    }
    double mean = sum / N, var = sum2 / N - mean * mean;
    assert_near(mean, 0.5, 4 * sqrt(1.0 / 12 / N));
    assert_near(var, 1.0 / 12, 4 * sqrt((1.0 / 80 - 1.0 / 144) / N));
}

static void stream_drives_gsl_samplers(void **state)
{
    (void)state;
    /* Poisson(3) through gsl_ran_poisson: mean 3 within 4 SE = 4 sqrt(3/n). */
    enum { N = 100000 };
    struct sim_stream s;
    sim_stream_init(&s, 7, 1, 2, 3);
    double sum = 0;
    for (int i = 0; i < N; i++)
        sum += gsl_ran_poisson(sim_stream_rng(&s), 3);
    assert_near(sum / N, 3, 4 * sqrt(3.0 / N));
}

TEST_TABLE(test_sim_stream,
           cmocka_unit_test(stream_is_philox4x32_keyed_by_the_whole_seed),
           cmocka_unit_test(stream_replication_0_follows_the_adapter),
           cmocka_unit_test(stream_substreams_are_distinct_and_laid_out),
           cmocka_unit_test(stream_same_identity_same_numbers),
           cmocka_unit_test(stream_every_part_of_the_identity_matters),
           cmocka_unit_test(stream_seeds_differing_above_bit_32_differ),
           cmocka_unit_test(stream_uniforms_have_the_right_moments),
           cmocka_unit_test(stream_drives_gsl_samplers))
