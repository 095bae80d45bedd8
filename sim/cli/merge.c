/* sim/cli/merge.c — cxsim merge: the databases of a sweep's shards joined
 * into one, written whole or not at all (output/sweepdb.h does the
 * joining and its checks); it says which plans none of them holds and the
 * sweep that runs those into the merged database.
 */
#include "sim/cli/cli.h"

#include "output/sweepdb.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

static int cmd_merge(struct cli *cli, int argc, char **argv);

const struct cli_command cli_merge = {
    "merge", "join the databases of a sweep's shards",
    "usage: cxsim merge OUT.db SHARD.db...\n"
    "\n"
    "Joins the plans of the sweep databases SHARD.db (made by cxsim sweep --shard)\n"
    "into OUT.db, written whole or not at all, and says which plans of the grid\n"
    "none of them holds. The shards must hold the same sweep (scenario, overrides,\n"
    "grid, seed, replications, cxsim version). OUT.db may be one of the inputs; an\n"
    "OUT.db already there is joined too, so that none of its plans is lost, and a\n"
    "file there that is not a sweep database is refused. A damaged input is refused\n"
    "(exit 65) before anything is written.\n"
    "When plans are missing, it prints the sweep that runs them into OUT.db.\n",
    cmd_merge};

static int cmd_merge(struct cli *cli, int argc, char **argv)
{
    struct sim_err *err = &cli->err;
    static const struct option longs[] = {{"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
    int c;
    while ((c = cli_next_option(argc, argv, ":h", longs, "merge", err)) != -1) {
        if (c == 'h')
            return cli_help(&cli_merge);
        return err->code;
    }
    if (argc - optind < 2)
        return sim_err_set(err, SIM_EUSAGE, "merge needs the database to write and the shards to join, as in "
                                            "'cxsim merge all.db shard1.db shard2.db'");
    const char *out = argv[optind];
    struct out_sweep_merge res;
    if (out_sweepdb_merge(out, (const char *const *)argv + optind + 1, (size_t)(argc - optind - 1), &res, err))
        return err->code;
    if (res.joined_out)
        fprintf(stderr, "%s: merge: %s was there already: its plans are kept with the shards'\n", CLI_PROG, out);
    if (res.held == res.nplans) {
        fprintf(stderr, "%s: merge: %s holds all %llu plans\n", CLI_PROG, out, (unsigned long long)res.nplans);
        return SIM_OK;
    }
    char list[256] = "";
    for (size_t i = 0; i < res.nfirst; i++) {
        size_t used = strlen(list);
        snprintf(list + used, sizeof list - used, "%s%llu", i ? ", " : "", (unsigned long long)res.first_missing[i]);
    }
    uint64_t missing = res.nplans - res.held;
    fprintf(stderr, "%s: merge: %s holds %llu of %llu plans; %llu missing (%s%s; numbered from 0 in grid order).\n"
            "%s: merge: this runs them and keeps the plans it holds (from where the sweep was run):\n  %s\n",
            CLI_PROG, out, (unsigned long long)res.held, (unsigned long long)res.nplans, (unsigned long long)missing,
            list, missing > res.nfirst ? ", ..." : "", CLI_PROG, res.command);
    return SIM_OK;
}
