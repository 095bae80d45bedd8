/* output/file.h — where a report goes: standard output, or a file that is
 * written whole or not at all.
 *
 * A file is written under a temporary name beside it (FILE.tmp-XXXXXX),
 * flushed to disk, and renamed over FILE only when complete, so a killed run
 * or a full disk never leaves half a report. A symbolic link stays a link:
 * the regular file it names is replaced so. A path that exists and is not a
 * regular file (a device such as /dev/null, a FIFO, a terminal) is written
 * in place: renaming over it would replace the device by a file. Standard
 * output is used as it is; main() checks it at exit.
 */
#ifndef OUT_FILE_H
#define OUT_FILE_H

#include "sim/err.h"

#include <stdbool.h>
#include <stdio.h>

struct out_file {
    FILE *f;            /* write here */
    const char *path;   /* NULL or "-": standard output */
    char *target;       /* path is a link: the file it names (owned) */
    char *tmp;          /* the temporary renamed into place (owned) */
    bool in_place;      /* path is a device or FIFO, written directly */
};

/* Opens path (NULL or "-": standard output). Fails with SIM_ECANTCREAT. */
int out_file_open(struct out_file *o, const char *path, struct sim_err *err);

/* Completes the file when ok (renames it into place; SIM_EIO when a write
 * failed, SIM_ECANTCREAT when the rename did), else removes it. Returns
 * err->code. */
int out_file_close(struct out_file *o, bool ok, struct sim_err *err);

#endif
