/* models/warmup.h — the warm-up of a steady-state run, chosen by MSER
 * (`warmup: auto`, the default when run: gives no warmup).
 *
 * A steady-state run starts empty and idle; its first customers wait less
 * than in the long run, and a report that kept them would say so. Before
 * the replications, thirty pilot runs of the same length start empty with
 * no warm-up, telling their visits' waits (the flow's trace); the waits are
 * pooled over the pilots into the mean wait of each of 50 stretches of the
 * run (an average over runs, in which the drift from empty stands out of
 * one run's noise: with ten pilots and 200 stretches, an M/M/1 at 0.8 got
 * a third of the warm-up it needs), and MSER (sim/mser.h; White 1997; here
 * on batches of time) finds where the early, biased stretches end: the
 * warm-up. The pilots use their own replication numbers: the replications
 * measured do not reuse their random numbers. Cost: thirty runs of the
 * scenario's length, traced; a scenario that states its warmup pays none.
 *
 * It chooses a number, it does not prove the run long enough: when the
 * minimum fell at the end of the search (the waits were still drifting at
 * half the run), at_limit says so and the report warns. A pilot stopped as
 * overloaded ends the piloting: its queues grow without end, no warm-up
 * settles them; the warm-up is then 0 and at_limit is set.
 */
#ifndef MDL_WARMUP_H
#define MDL_WARMUP_H

#include "models/scenario.h"

#include <stdint.h>

#define MDL_WARMUP_PILOTS 30
#define MDL_WARMUP_BATCHES 50

/* When s asks for warmup: auto, chooses its warm-up from pilots on `seed`
 * and sets s->warmup_dur (and s->warmup_at_limit); otherwise does nothing.
 * Call before the scenario is shared with replications. */
void mdl_warmup_choose(struct mdl_scenario *s, uint64_t seed);

#endif
