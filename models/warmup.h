/* models/warmup.h — the warm-up of a steady-state run, chosen by MSER-5
 * (`warmup: auto`, the default when run: gives no warmup).
 *
 * A steady-state run starts empty and idle; its first customers wait less
 * than in the long run, and a report that kept them would say so. Before
 * the replications, a few pilot runs of the same length start empty with
 * no warm-up, each telling its visits' waits in time order (the flow's
 * trace); MSER-5 (sim/mser.h; White 1997) finds in each where the early,
 * biased waits end, and the warm-up is the median of the pilots' times.
 * The pilots use their own replication numbers: the replications measured
 * do not reuse their random numbers. Cost: the pilots, five runs of the
 * scenario's length, traced.
 *
 * It chooses a number, it does not prove the run long enough: when the
 * minimum fell at the end of the search (the waits were still drifting at
 * half the run), at_limit says so and the report warns.
 */
#ifndef MDL_WARMUP_H
#define MDL_WARMUP_H

#include "models/scenario.h"

#include <stdint.h>

#define MDL_WARMUP_PILOTS 5

/* When s asks for warmup: auto, chooses its warm-up from pilots on `seed`
 * and sets s->warmup_dur (and s->warmup_at_limit); otherwise does nothing.
 * Call before the scenario is shared with replications. */
void mdl_warmup_choose(struct mdl_scenario *s, uint64_t seed);

#endif
