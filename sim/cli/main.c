/* sim/cli/main.c — the cxsim program: argv, the command table, exit codes.
 *
 * Finds the command, makes the program's state (struct cli, cli.h), hands
 * it argv from the command's name on, then prints the error the command set
 * (if any, with the line of the text it points into and a caret) and exits
 * with its code, spec §6: 0 success, 64 bad command line, 65 bad scenario,
 * 66 input not found, 70 internal error, 73 cannot create output, 74 write
 * error. Every path ends in finish(), which also catches a failed write to
 * stdout (a full disk, or /dev/full) and turns it into exit 74.
 *
 * This file only dispatches: what commands share is common.c; no command
 * calls back into it.
 */
#include "sim/cli/cli.h"

#include "output/file.h"
#include "sim/stream.h"
#ifdef CXSIM_MPI
#include "sim/cli/mpi.h"
#endif

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef CXSIM_VERSION
#define CXSIM_VERSION "0.0.0"
#endif

static int cmd_help(struct cli *cli, int argc, char **argv);
static int cmd_version(struct cli *cli, int argc, char **argv);

static const struct cli_command cli_help_command = {
    "help", "show the help of a command",
    "usage: cxsim help [COMMAND]\n"
    "\n"
    "Shows what COMMAND does and its options; without COMMAND, lists the commands.\n",
    cmd_help};
static const struct cli_command cli_version = {
    "version", "print the version of cxsim",
    "usage: cxsim version\n"
    "\n"
    "Prints the version of cxsim (the same as cxsim --version).\n",
    cmd_version};

static const struct cli_command *const commands[] = {
    &cli_run, &cli_compare, &cli_sweep, &cli_optimise, &cli_merge, &cli_fit, &cli_validate, &cli_trace, &cli_workshop, &cli_serve, &cli_check,
    &cli_dist,
    &cli_help_command, &cli_version,
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

static void print_usage(FILE *f)
{
    fprintf(f,
            "usage: cxsim COMMAND [OPTIONS]\n"
            "\n"
            "cxsim simulates customers moving through the departments of a business,\n"
            "one event at a time, and reports what they experienced: waits, drop-outs,\n"
            "satisfaction and the cost of the staffing.\n"
            "\n"
            "Commands:\n");
    for (size_t i = 0; i < NCOMMANDS; i++)
        fprintf(f, "  %-9s %s\n", commands[i]->name, commands[i]->summary);
    fprintf(f, "\n"
               "Options:\n"
               "  -h, --help      show this help\n"
               "  -V, --version   print the version\n"
               "\n"
               "'cxsim help COMMAND' shows a command's options.\n"
               "Exit codes: 0 success, 64 bad command line, 65 bad scenario, 66 input not\n"
               "found, 70 internal error, 73 cannot create output, 74 write error.\n");
}

static const struct cli_command *find_command(const char *name)
{
    for (size_t i = 0; i < NCOMMANDS; i++)
        if (strcmp(commands[i]->name, name) == 0)
            return commands[i];
    return NULL;
}

/* Sets a usage error about an unknown command, with a suggestion. */
static int unknown_command(const char *name, struct sim_err *err)
{
    const char *names[NCOMMANDS];
    for (size_t i = 0; i < NCOMMANDS; i++)
        names[i] = commands[i]->name;
    const char *close = sim_err_suggest(name, names, NCOMMANDS);
    if (close)
        return sim_err_set(err, SIM_EUSAGE, "unknown command '%s'; did you mean '%s'? (see 'cxsim --help')",
                           name, close);
    return sim_err_set(err, SIM_EUSAGE, "unknown command '%s' (see 'cxsim --help')", name);
}

static int cmd_help(struct cli *cli, int argc, char **argv)
{
    if (argc < 2) {
        print_usage(stdout);
        return SIM_OK;
    }
    if (argc > 2)
        return sim_err_set(&cli->err, SIM_EUSAGE, "help takes one command, as in 'cxsim help dist'");
    const struct cli_command *cmd = find_command(argv[1]);
    if (!cmd)
        return unknown_command(argv[1], &cli->err);
    return cli_help(cmd);
}

static int cmd_version(struct cli *cli, int argc, char **argv)
{
    (void)argv;
    if (argc > 1)
        return sim_err_set(&cli->err, SIM_EUSAGE, "version takes no arguments");
    printf("cxsim %s\n", CXSIM_VERSION);
    return SIM_OK;
}

/* Prints cli's error (if set), checks that stdout was written, frees the
 * state and returns the exit code. Under MPI, rank 0 prints the first
 * error of its own or of any rank, last, and alone exits with its code:
 * mpirun's note after it then names rank 0 (docs/sweep.md, MPI). */
static int finish(struct cli *cli)
{
    struct sim_err *err = &cli->err;
    sim_arena_trim();   /* this thread's spare blocks: nothing is left for the leak checkers */
    if (fflush(stdout) != 0 || ferror(stdout))
        sim_err_set(err, SIM_EIO, "cannot write to standard output: %s", strerror(errno));
#ifdef CXSIM_MPI
    int code = cli_mpi_end(err);
#else
    int code = err->code;
#endif
    if (err->code != SIM_OK && cli_speaks() && cli->err_line) {
        sim_err_print_line(err, stderr, CLI_PROG, cli->err_line, cli->err_line_len);
    } else if (err->code != SIM_OK && cli_speaks()) {
        const struct cli_source *src = cli_error_source(cli);
        sim_err_print(err, stderr, CLI_PROG, src ? src->text : NULL, src ? src->len : 0);
    }
    cli_fini(cli);
#ifdef CXSIM_MPI
    cli_mpi_finalize();
#endif
    return code;
}

int main(int argc, char **argv)
{
    out_file_signals_init();   /* a file-size limit is a write error; a signal removes temporaries */
    sim_stream_library_init();
#ifdef CXSIM_MPI
    cli_mpi_init(&argc, &argv);
#endif
    struct cli cli;
    cli_init(&cli, argc, argv);
#ifdef CXSIM_MPI
    /* every rank runs the same command, or none does */
    if (cli_mpi_start(argc > 1 ? argv[1] : "", &cli.err))
        return finish(&cli);
#endif

    if (argc < 2) {
        if (cli_speaks())
            print_usage(stderr);
        sim_err_set(&cli.err, SIM_EUSAGE, "no command given");
        return finish(&cli);
    }
    const char *name = argv[1];
    if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0) {
        if (cli_speaks())
            print_usage(stdout);
        return finish(&cli);
    }
    if (strcmp(name, "--version") == 0 || strcmp(name, "-V") == 0)
        name = "version";
    else if (name[0] == '-') {
        sim_err_set(&cli.err, SIM_EUSAGE, "unknown option '%s' (see 'cxsim --help')", name);
        return finish(&cli);
    }
    const struct cli_command *cmd = find_command(name);
    if (!cmd) {
        unknown_command(name, &cli.err);
        return finish(&cli);
    }
#ifdef CXSIM_MPI
    /* A sweep and an optimisation spread over the ranks; any other
     * command runs on rank 0. */
    if (cmd != &cli_sweep && cmd != &cli_optimise && cli_mpi_rank() != 0)
        return finish(&cli);
#endif
    /* The command sees argv from its own name on, as getopt expects. */
    optind = 1;
    cmd->run(&cli, argc - 1, argv + 1);
    return finish(&cli);
}
