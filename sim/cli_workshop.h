/* sim/cli_workshop.h — the state of a `cxsim workshop` session, shared by
 * its commands (sim/cli_workshop.c) and its live view and stories
 * (sim/cli_play.c). Internal to the program. */
#ifndef SIM_CLI_WORKSHOP_H
#define SIM_CLI_WORKSHOP_H

#include "models/scenario.h"
#include "models/workshop.h"
#include "output/report.h"
#include "sim/mem.h"

#include <signal.h>
#include <stdint.h>

/* One run of the days: the changes it had, its results, its score. */
struct cli_attempt {
    unsigned n;              /* 0: the baseline */
    char name[32];
    char **sets;             /* its changes, PATH=VALUE (owned) */
    size_t nsets;
    struct out_plan plan;    /* in the session's arena */
    struct mdl_score score;
};

struct cli_workshop {
    struct mdl_scenario *s;  /* the scenario with the current changes */
    char **sets;             /* the current changes (owned), room for one more */
    size_t nsets, cap;
    struct mdl_scenario **old; /* scenarios replaced (kept: results point into them) */
    size_t nold, capold;
    struct cli_attempt *att; /* att[0]: the baseline, once run */
    size_t natt, capatt;
    uint64_t seed;
    unsigned days;
    struct sim_arena *arena;
};

/* Set by SIGINT during a session: a play stops, the session goes on. */
extern volatile sig_atomic_t cli_workshop_interrupted;

/* story CUSTOMER: that customer's first day in the current plan and in the
 * baseline, and what changed for them. */
void cli_workshop_story(struct cli_workshop *w, const char *args);

/* play [SPEED|max]: the first day of the current plan, live. */
void cli_workshop_play(struct cli_workshop *w, const char *args);

#endif
