/* sim/cli/play.h — the workshop's day replayed (play.c), for workshop.c:
 * `story CUSTOMER` tells that customer's first day under the current plan
 * and under the scenario file as it is; `play [SPEED|max]` shows the
 * current plan's first day live. Both replay day 1 of `seed`.
 * Internal to sim/cli/.
 */
#ifndef CLI_PLAY_H
#define CLI_PLAY_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

struct cli;
struct mdl_scenario;

/* Set by the workshop's SIGINT handler: a play stops, the session goes on.
 * (A signal handler can reach no state but a global.) */
extern volatile sig_atomic_t cli_workshop_interrupted;

/* story: the baseline is the scenario file with base[0..nbase) (the
 * command line's --set). */
void cli_workshop_story(const struct cli *cli, const char *const *base, size_t nbase, const struct mdl_scenario *s,
                        uint64_t seed, const char *args);
void cli_workshop_play(const struct mdl_scenario *s, uint64_t seed, const char *args);

#endif
