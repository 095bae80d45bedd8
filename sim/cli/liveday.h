/* sim/cli/liveday.h — one day of a plan as cxsim serve's live view draws
 * it (sim/cli/pages/live.html), and one customer's story from that day.
 *
 * The day is replication 0 of the seed: the day `cxsim trace` tells and
 * `run` measures first, the same for every team. Its JSON carries the
 * floor plan (departments placed in columns by how far along the routes
 * they are, the routes and requests between them), the classes, and every
 * event in time order in a compact form the page replays at any speed:
 *
 *   {"scenario", "title", "is_day", "open_at", "close_at" (minutes),
 *    "departments": [{"name", "col", "row"}],
 *    "routes": [[from, to, "route"|"request"]],
 *    "classes": [{"name", "internal", "value"}],
 *    "kinds": ["arrive", ...]  (the trace's words, by number),
 *    "customers": [[class, id]]  (named class#id, as the trace names them),
 *    "events": [[t, kind, customer, department, arg]],
 *    "served", "lost", "lost_value"  (the day's external totals)}
 *
 * where t is seconds (after midnight for a day), customer and department
 * are indices or -1, and arg is, by kind: finish, request: the department
 * next or asked (-1: out); start: 1 when a pool's member serves; the staff
 * kinds: the department's own staff on duty after it; else 0. The story is
 * the trace's own text for that customer (output/trace.h). Neither keeps
 * anything after it returns; neither knows HTTP.
 */
#ifndef CLI_LIVEDAY_H
#define CLI_LIVEDAY_H

#include <jansson.h>
#include <stdint.h>

struct mdl_scenario;

/* The day of s under seed, headed by title (a new reference). */
json_t *cli_liveday_json(const struct mdl_scenario *s, uint64_t seed, const char *title);

/* Customer ("class#id") of that day told in sentences (malloc'd text),
 * or NULL when s has no such class or the name is not one. */
char *cli_liveday_story(const struct mdl_scenario *s, uint64_t seed, const char *customer, const char *title);

#endif
