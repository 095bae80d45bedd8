/* sim/stream.h — independent, reproducible random streams.
 *
 * Every random number in cxsim comes from a stream named by its identity
 * (master seed, replication, purpose, entity): for example "service times at
 * department 2 in replication 7". The generator is Random123's Philox4x32-10,
 * a counter-based generator, plugged into GSL through Random123's own adapter,
 * so every gsl_ran_* sampler works on sim_stream_rng(s).
 *
 * Key invariant: a stream's numbers depend on its identity alone. The whole
 * 64-bit master seed is Philox's key; (replication, purpose, entity) are the
 * high words of its counter and the low 64 bits count draws. So adding staff
 * to one department, or another class of customers, never shifts the numbers
 * any other part of the model sees (common random numbers), and seeds that
 * differ only above bit 32 give different streams. Streams of different
 * identities never overlap: each has 2^64 blocks of four 32-bit numbers.
 *
 * A stream lives in the caller's storage and holds a pointer into itself:
 * initialise it where it will stay and never copy it. Streams are not
 * thread-safe; each replication owns its own. Purpose values are chosen by
 * the model; the kernel gives them no meaning.
 */
#ifndef SIM_STREAM_H
#define SIM_STREAM_H

#include <gsl/gsl_rng.h>
#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>

#define SIM_STREAM_PURPOSE_MAX 0xFFu     /* purpose: 8 bits */
#define SIM_STREAM_ENTITY_MAX 0xFFFFFFu  /* entity: 24 bits */
#define SIM_STREAM_STATE_BYTES 64

struct sim_stream {
    gsl_rng rng;   /* rng.state points at state below */
    alignas(max_align_t) unsigned char state[SIM_STREAM_STATE_BYTES];
};

/* Call once at program start, before any thread: turns GSL's error handler
 * off (its default aborts the process; cxsim checks parameters itself). */
void sim_stream_library_init(void);

/* Initialises s in place for the given identity; purpose and entity must be
 * within the maxima above (an assertion otherwise). */
void sim_stream_init(struct sim_stream *s, uint64_t seed, uint32_t replication,
                     unsigned purpose, uint32_t entity);

/* Initialises s for a numbered sub-stream of an identity: for example the
 * service needs of customer `sub` of class `entity`. Sub-streams live in
 * counter word 1 (sub + 1), so the block count has 32 bits: each sub-stream
 * gives 2^34 numbers, far more than one customer needs. Sub-streams of a
 * purpose never meet the plain stream of another purpose; give plain
 * streams and sub-streams distinct purposes. sub < UINT32_MAX. */
void sim_stream_init_sub(struct sim_stream *s, uint64_t seed, uint32_t replication,
                         unsigned purpose, uint32_t entity, uint32_t sub);

/* The GSL view of s, for gsl_rng_uniform and every gsl_ran_* sampler. */
gsl_rng *sim_stream_rng(struct sim_stream *s);

#endif
