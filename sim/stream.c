/* sim/stream.c — Philox4x32 streams through Random123's GSL adapter.
 *
 * The adapter (Random123/conventional/gsl_cbrng.h) defines a gsl_rng_type
 * whose state is {ctr, r, key, elem}; its `get` increments ctr.v[0] and
 * returns the four words of philox(ctr, key) one by one. We set the state
 * ourselves instead of through gsl_rng_set, which would take a 32-bit seed:
 * key = the 64-bit master seed, ctr.v[2] = replication, ctr.v[3] =
 * purpose << 24 | entity, and the block count lives in v[0..1].
 *
 * The adapter's carry is faulty: it increments v[2] whenever v[1] == 0, not
 * only when v[1] wraps, so with v[1] = 0 every block would bump the
 * replication word. Starting v[1] at 1 keeps that from ever firing (v[1]
 * would have to wrap, after 2^64 - 2^32 blocks). Its next step does fire:
 * it increments v[3] whenever v[2] == 0, so in replication 0 the identity
 * word gains one at every block. Harmless (v[0], the block count, tells the
 * blocks of two identities apart) and kept, since changing it would change
 * every replication 0; tests/test_sim_stream.c checks the exact layout.
 *
 * A stream's first block is computed when it is set up, from values in
 * registers, exactly as the adapter's first draw would (its increment and
 * carry included): the adapter would store the counter, increment it in
 * memory and read it back whole: a round trip on the way to the first
 * number, which made a stream set up for one exponential draw (a visit's
 * service need, models/flow.c) take 36 ns instead of 25.
 *
 * The adapter's macro does not compile cleanly under -Wconversion; that
 * warning is silenced for the macro alone, and only in this file.
 */
#include "sim/stream.h"

#include <assert.h>
#include <gsl/gsl_errno.h>
#include <string.h>

#include <Random123/philox.h>
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wconversion"
#include <Random123/conventional/gsl_cbrng.h>
GSL_CBRNG(cxsim_philox, philox4x32);
#pragma GCC diagnostic pop

_Static_assert(sizeof(cxsim_philox_state) <= SIM_STREAM_STATE_BYTES,
               "SIM_STREAM_STATE_BYTES too small for the Philox state");

void sim_stream_library_init(void)
{
    gsl_set_error_handler_off();
}

/* Sets s up at counter word 1 = `word1` and computes its first block at
 * once, as the adapter's first draw would (the same block, the same carry:
 * with replication 0 the adapter adds one to word 3 at every block, since
 * its carry tests word 2 for zero; tests/test_sim_stream.c). Computing it
 * here, from values in registers, spares the first draw the adapter's
 * round trip through memory (increment the stored counter, then read it
 * back whole): a stream set up for a few draws costs half as much. */
static void init_at(struct sim_stream *s, uint64_t seed, uint32_t replication, unsigned purpose, uint32_t entity,
                    uint32_t word1)
{
    assert(purpose <= SIM_STREAM_PURPOSE_MAX && entity <= SIM_STREAM_ENTITY_MAX);
    cxsim_philox_state *st = (cxsim_philox_state *)(void *)s->state;
    philox4x32_key_t key = {{(uint32_t)(seed & 0xffffffffu), (uint32_t)(seed >> 32)}};
    uint32_t word3 = ((uint32_t)purpose << 24) | entity;
    philox4x32_ctr_t ctr = {{1, word1, replication, word3 + (replication == 0)}};
    st->key = key;
    st->ctr = ctr;
    st->r = philox4x32(ctr, key);
    st->elem = 4;
    s->rng.type = gsl_rng_cxsim_philox;
    s->rng.state = st;
}

void sim_stream_init(struct sim_stream *s, uint64_t seed, uint32_t replication,
                     unsigned purpose, uint32_t entity)
{
    init_at(s, seed, replication, purpose, entity, 1);   /* word 1 never 0: see the adapter's carry above */
}

void sim_stream_init_sub(struct sim_stream *s, uint64_t seed, uint32_t replication,
                         unsigned purpose, uint32_t entity, uint32_t sub)
{
    assert(sub < UINT32_MAX);
    init_at(s, seed, replication, purpose, entity, sub + 1);   /* never 0: the adapter's carry never fires */
}

gsl_rng *sim_stream_rng(struct sim_stream *s)
{
    assert(s->rng.state == s->state && "sim_stream copied after init");
    return &s->rng;
}
