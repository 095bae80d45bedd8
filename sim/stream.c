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
 * replication word. Starting v[1] at 1 keeps the cascade from ever firing
 * (v[1] would have to wrap, after 2^64 - 2^32 blocks), so the identity
 * words never change; tests/test_sim_stream.c checks the exact layout.
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

void sim_stream_init(struct sim_stream *s, uint64_t seed, uint32_t replication,
                     unsigned purpose, uint32_t entity)
{
    assert(purpose <= SIM_STREAM_PURPOSE_MAX && entity <= SIM_STREAM_ENTITY_MAX);
    memset(s, 0, sizeof *s);
    cxsim_philox_state *st = (cxsim_philox_state *)(void *)s->state;
    st->key.v[0] = (uint32_t)(seed & 0xffffffffu);
    st->key.v[1] = (uint32_t)(seed >> 32);
    st->ctr.v[1] = 1;   /* never 0: see the adapter's carry above */
    st->ctr.v[2] = replication;
    st->ctr.v[3] = ((uint32_t)purpose << 24) | entity;
    st->elem = 0;   /* the first draw computes block ctr.v[0] = 1 */
    s->rng.type = gsl_rng_cxsim_philox;
    s->rng.state = st;
}

void sim_stream_init_sub(struct sim_stream *s, uint64_t seed, uint32_t replication,
                         unsigned purpose, uint32_t entity, uint32_t sub)
{
    assert(sub < UINT32_MAX);
    sim_stream_init(s, seed, replication, purpose, entity);
    cxsim_philox_state *st = (cxsim_philox_state *)(void *)s->state;
    st->ctr.v[1] = sub + 1;   /* never 0: the adapter's carry never fires */
}

gsl_rng *sim_stream_rng(struct sim_stream *s)
{
    assert(s->rng.state == s->state && "sim_stream copied after init");
    return &s->rng;
}
