/* output/file.h — where a report or a database goes: standard output, or a
 * file that is written whole or not at all.
 *
 * A file is written under a temporary name beside it (FILE.tmp-XXXXXX, the
 * name of FILE cut short when the temporary's would pass NAME_MAX), flushed
 * to disk, and renamed over FILE only when complete, so a killed run or a
 * full disk never leaves half a report. A file replaced keeps its mode (and,
 * where the user may, its owner); a new one gets 0666 less the umask. A
 * symbolic link stays a link: the regular file it names is replaced so. A
 * path that exists and is not a regular file (a device such as /dev/null, a
 * FIFO, a terminal) is written in place by out_file_open, and refused by
 * out_file_open_whole: renaming over it would replace the device by a file.
 * Standard output is used as it is; main() checks it at exit.
 *
 * Temporaries are removed on every failure, and on SIGINT, SIGTERM and
 * SIGHUP too once out_file_signals_init has run: the temporaries alive are
 * kept in a fixed registry that the signal handler can read. What this
 * module does not do: lock a file against another process writing it, or
 * sync the directory after a rename.
 */
#ifndef OUT_FILE_H
#define OUT_FILE_H

#include "sim/err.h"

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

struct out_file {
    FILE *f;            /* write here (NULL after out_file_open_whole: write tmp) */
    const char *path;   /* NULL or "-": standard output */
    char *target;       /* path is a link: the file it names (owned) */
    char *tmp;          /* the temporary renamed into place (owned) */
    bool in_place;      /* path is a device or FIFO, written directly */
    bool existed;       /* a regular file was there: its mode and owner are kept */
    mode_t mode;
    uid_t uid;
    gid_t gid;
    int slots[2];       /* the temporary's places in the registry, or -1 */
};

/* Ignores SIGXFSZ (a file-size limit is then a write error, 74) and makes
 * SIGINT, SIGTERM and SIGHUP remove the temporaries alive before the
 * program dies of the signal as it would have (the shell sees 128+N). A
 * signal the program was started with ignored stays ignored. Called once,
 * first thing, by main(). */
void out_file_signals_init(void);

/* Opens path (NULL or "-": standard output). Fails with SIM_ECANTCREAT. */
int out_file_open(struct out_file *o, const char *path, struct sim_err *err);

/* For a file another library writes whole (an SQLite database): path must
 * be a regular file or nothing yet (through links), else SIM_ECANTCREAT
 * ("not a regular file"). Creates the temporary, empty, and gives its name
 * in o->tmp (o->f is NULL); SQLite's journal beside it (TMP-journal) is
 * removed with it. out_file_close completes it. */
int out_file_open_whole(struct out_file *o, const char *path, struct sim_err *err);

/* Completes the file when ok (renames it into place; SIM_EIO when a write
 * failed, SIM_ECANTCREAT when the rename did), else removes it. Returns
 * err->code. */
int out_file_close(struct out_file *o, bool ok, struct sim_err *err);

/* True when a and b both exist and are one file (through links): the same
 * device and inode, whatever the names. */
bool out_file_same(const char *a, const char *b);

/* Checks that path is a regular file or nothing yet (through links; a link
 * that names nothing is refused): sets err with code and returns it when
 * not. What a database may be. */
int out_file_check_regular(const char *path, int code, struct sim_err *err);

#endif
