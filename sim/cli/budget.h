/* sim/cli/budget.h — the process's memory budget, and what fits in it.
 *
 * A run's memory is the replications in flight (each up to
 * mdl_flow_memory: its customers inside, bounded by max_in_system) and the
 * replications' vectors it keeps (values and the report's copies of them).
 * The budget is --memory, or by default three quarters of what the machine
 * or its container lets the process have. From it the program sizes how
 * many replications run at once and whether vectors are kept (up to
 * CLI_RESULTS_KEEP_MAX replications) or summarised in running tallies; what
 * cannot fit even one replication at a time is refused before anything
 * runs (exit 64). It does not watch memory while running: it sizes from
 * upper estimates, measured in tests/test_cli_robust.c.
 */
#ifndef CLI_BUDGET_H
#define CLI_BUDGET_H

#include "sim/err.h"

#include <stdbool.h>
#include <stddef.h>

struct mdl_scenario;

/* Reads a size such as 512M, 4G, 1.5G or 3000000 (bytes; K, M, G, T are
 * powers of 1024) into *bytes; false when it is not one, or under 64 MiB. */
bool cli_budget_parse(const char *text, size_t *bytes);

/* The default budget: three quarters of the least of the machine's
 * memory, the container's limit (cgroup memory.max) and the process's
 * address-space and data limits. */
size_t cli_budget_default(void);

/* How a run of plans s[0 .. n) x reps replications fits in `budget`
 * bytes with up to `jobs` threads (0: every core): *threads replications
 * at once, *keep the replications whose vectors are kept (reps, or 0 to
 * summarise them in tallies). When fewer threads than asked fit, says so
 * on stderr unless *said, and sets *said (the caller's: once a command).
 * Returns SIM_OK, or SIM_EUSAGE with the reason when one replication alone
 * does not fit. */
int cli_budget_fit(size_t budget, struct mdl_scenario *const *s, size_t n, unsigned reps, int jobs, int *threads,
                   unsigned *keep, bool *said, struct sim_err *err);

/* "512 MB", "4.0 GB": bytes for a message, into buf. */
const char *cli_budget_format(size_t bytes, char *buf, size_t len);

#endif
