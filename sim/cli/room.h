/* sim/cli/room.h — the room of cxsim serve: teams, their attempts, the
 * facilitator's rounds and the leaderboard (docs/workshop.md, "In the
 * browser").
 *
 * A room holds one scenario (the file's text) and every team's attempts:
 * an attempt is a list of changes (PATH=VALUE, checked exactly as `set`
 * and --set check them), run on the room's days and seed, the same days
 * and random numbers as every other team's and the baseline's, scored as
 * the terminal workshop scores (models/workshop.h). Teams join with the
 * room's code and get a token; the facilitator's controls (rounds) need
 * its key; attempts are taken only while a round is open.
 *
 * Bounds, so a room's memory and work stay small whatever a client sends:
 * at most ROOM_TEAMS teams, ROOM_ATTEMPTS attempts a team, ROOM_SETS
 * changes an attempt, names of at most 40 printable characters. Every
 * function is safe to call from several threads at once (one lock, never
 * held while a plan runs). Failures are values: an HTTP status and a
 * message. It knows nothing of HTTP beyond those statuses.
 */
#ifndef CLI_ROOM_H
#define CLI_ROOM_H

#include "sim/cli/cli.h"

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ROOM_TEAMS 50
#define ROOM_ATTEMPTS 30
#define ROOM_SETS 32
#define ROOM_NAME_MAX 40

struct srv_room;

/* What went wrong, as the client is told: an HTTP status (400 bad input,
 * 403 wrong code, token or key, 409 not now: no round open, a name taken,
 * a bound reached) and the message. */
struct srv_fail {
    int status;
    char msg[512];
};

/* Makes a room for the scenario cli loaded (its text is kept: cli must
 * outlive the room) with the command line's changes base[0..nbase) (kept
 * too), a new code (the teams') and key (the facilitator's), from
 * /dev/urandom, and runs the baseline. Each attempt runs its days on jobs
 * threads (0: every core). NULL with err set when the baseline cannot run. */
struct srv_room *srv_room_create(const struct cli *cli, char *const *base, size_t nbase, uint64_t seed,
                                 unsigned days, int jobs, struct sim_err *err);
void srv_room_destroy(struct srv_room *room);
/* The room's code, six letters and digits; the facilitator's key, 32 hex digits. */
const char *srv_room_code(const struct srv_room *room);
const char *srv_room_key(const struct srv_room *room);

/* A team joins: *token (at least 33 bytes) is its secret for attempts. */
int srv_room_join(struct srv_room *room, const char *code, const char *team, char *token, struct srv_fail *fail);

/* 0 when key is the facilitator's, else 403 in fail. */
int srv_room_check_key(const struct srv_room *room, const char *key, struct srv_fail *fail);

/* The facilitator opens (open true) or closes the round; a new round
 * opens after a closed one. */
int srv_room_round(struct srv_room *room, const char *key, bool open, struct srv_fail *fail);

/* The team of token tries its changes sets[0..n): on success *result is
 * the attempt's figures and sentences (the caller's reference). */
int srv_room_attempt(struct srv_room *room, const char *token, const char *const *sets, size_t n, json_t **result,
                     struct srv_fail *fail);

/* The leaderboard, the round and who has submitted in it, with the
 * board's version and changed_ms, when it last changed (CLOCK_MONOTONIC,
 * milliseconds: a client on the same machine measures how late it heard)
 * (a new reference). */
json_t *srv_room_board(struct srv_room *room);

/* The session so far, to be saved: the scenario, seed and days, every
 * team's attempts with their changes, scores, goals and the command line
 * that runs each again (`cxsim run SCENARIO --seed S --reps DAYS --set
 * ...`: the same days, the same figures). A new reference. */
json_t *srv_room_session(struct srv_room *room);

/* The day (the first of the room's days) that a team's attempt lived, or
 * the baseline's when team is NULL, as sim/cli/liveday.h gives it; attempt
 * counts from 1, 0 is the team's best. 404 in fail for no such team or
 * attempt. */
int srv_room_day(struct srv_room *room, const char *team, long attempt, json_t **day, struct srv_fail *fail);

/* The same day's story of one customer ("class#id"), as text (malloc'd). */
int srv_room_story(struct srv_room *room, const char *team, long attempt, const char *customer, char **text,
                   struct srv_fail *fail);

/* Every change to the board (a team joins or submits, a round opens or
 * closes) counts one version. srv_room_wait blocks until the version
 * differs from *seen (then *seen is the new one: 1), timeout_ms passes (0)
 * or the room stops (-1). srv_room_stop wakes every waiter for good. */
int srv_room_wait(struct srv_room *room, uint64_t *seen, int timeout_ms);
void srv_room_stop(struct srv_room *room);

/* What a team's form offers: a field for each department's and each
 * pool's staff (its head count or schedule, as a value `set` takes), or
 * for one on shifts a field for the people on each shift, each with what
 * it holds now (the baseline's); the scenario and its days. */
json_t *srv_room_scenario(struct srv_room *room);

#endif
