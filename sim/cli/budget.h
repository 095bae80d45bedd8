/* sim/cli/budget.h — the process's memory budget, and what fits in it.
 *
 * A run's memory is the replications in flight (each up to
 * mdl_flow_memory: its customers inside, bounded by max_in_system) and the
 * replications' vectors it keeps (values and the report's copies of them).
 * The budget is --memory, or by default three quarters of what the machine
 * or its container lets the process have. From it the program sizes how
 * many replications run at once (and a sweep's plans in flight); what
 * cannot fit even one replication at a time, or the vectors kept, is
 * refused before anything runs (exit 64). Whether vectors are kept does not
 * depend on the budget: up to CLI_RESULTS_KEEP_MAX replications they are,
 * beyond they are summarised in running tallies, whatever the machine, so
 * that a report holds the same on every machine. It does not watch memory
 * while running: it sizes from upper estimates, measured in
 * tests/test_cli_robust.c.
 */
#ifndef CLI_BUDGET_H
#define CLI_BUDGET_H

#include "sim/err.h"

#include <stdbool.h>
#include <stddef.h>

struct mdl_scenario;
struct mdl_sweep_shape;

/* Reads a size such as 512M, 4G, 1.5G or 3000000 (bytes; K, M, G, T are
 * powers of 1024) into *bytes; false when it is not one, or under 64 MiB. */
bool cli_budget_parse(const char *text, size_t *bytes);

/* The default budget: three quarters of the least of the machine's
 * memory, the container's limit (cgroup memory.max) and the process's
 * address-space and data limits. */
size_t cli_budget_default(void);

/* How a run of plans s[0 .. n) x reps replications fits in `budget`
 * bytes with up to `jobs` threads (0: every core): *threads replications
 * at once, *keep the replications whose vectors are kept (reps up to
 * CLI_RESULTS_KEEP_MAX, else 0: summarised in tallies). When fewer threads than asked fit, says so
 * on stderr unless *said, and sets *said (the caller's: once a command).
 * Returns SIM_OK, or SIM_EUSAGE with the reason when one replication alone
 * does not fit. */
int cli_budget_fit(size_t budget, struct mdl_scenario *const *s, size_t n, unsigned reps, int jobs, int *threads,
                   unsigned *keep, bool *said, struct sim_err *err);

/* The same for a sweep of plans like s (its baseline) x reps
 * replications: shape->threads replications at once, shape->window plans
 * in flight with their vectors kept, or shape->summarise (past
 * CLI_RESULTS_KEEP_MAX replications): one plan at a time in tallies. */
int cli_budget_fit_sweep(size_t budget, const struct mdl_scenario *s, unsigned reps, int jobs,
                         struct mdl_sweep_shape *shape, bool *said, struct sim_err *err);

/* "512 MB", "4.0 GB": bytes for a message, into buf. */
const char *cli_budget_format(size_t bytes, char *buf, size_t len);

#endif
