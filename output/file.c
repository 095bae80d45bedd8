/* output/file.c — written whole or not at all (see file.h). */
#define _XOPEN_SOURCE 700   /* realpath */
#include "output/file.h"
#include "sim/mem.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Opens path for writing in place: it exists and is not a regular file
 * (a device such as /dev/null, a FIFO, a terminal), so there is nothing to
 * replace whole, and renaming over it would put a regular file in its
 * place. */
static int open_in_place(struct out_file *o, const char *path, struct sim_err *err)
{
    o->f = fopen(path, "w");
    if (!o->f)
        return sim_err_set(err, SIM_ECANTCREAT, "cannot create %s: %s", path, strerror(errno));
    o->in_place = true;
    return SIM_OK;
}

int out_file_open(struct out_file *o, const char *path, struct sim_err *err)
{
    o->path = path;
    o->target = NULL;
    o->tmp = NULL;
    o->in_place = false;
    o->f = stdout;
    if (!path || !strcmp(path, "-"))
        return SIM_OK;
    struct stat st;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode))
        return open_in_place(o, path, err);
    /* a link to a regular file stays a link: the file it names is replaced */
    struct stat lst;
    if (lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode)) {
        o->target = realpath(path, NULL);
        if (!o->target)
            return sim_err_set(err, SIM_ECANTCREAT, "cannot create %s: %s", path, strerror(errno));
    }
    const char *into = o->target ? o->target : path;
    size_t n = strlen(into) + 16;
    o->tmp = sim_xmalloc(n);
    snprintf(o->tmp, n, "%s.tmp-XXXXXX", into);
    int fd = mkstemp(o->tmp);
    if (fd < 0 || !(o->f = fdopen(fd, "w"))) {
        int e = errno;
        if (fd >= 0)
            close(fd);
        free(o->tmp);
        free(o->target);
        o->tmp = o->target = NULL;
        o->f = NULL;
        return sim_err_set(err, SIM_ECANTCREAT, "cannot create %s: %s", path, strerror(e));
    }
    return SIM_OK;
}

/* Completes (ok) or abandons the output. */
int out_file_close(struct out_file *o, bool ok, struct sim_err *err)
{
    if (o->in_place) {
        bool written = fflush(o->f) == 0 && !ferror(o->f);
        int e = errno;
        written = fclose(o->f) == 0 && written;
        if (ok && !written)
            sim_err_set(err, SIM_EIO, "cannot write %s: %s", o->path, strerror(e));
        o->in_place = false;
        return err->code;
    }
    if (!o->tmp)
        return err->code;
    bool written = fflush(o->f) == 0 && !ferror(o->f) && fsync(fileno(o->f)) == 0;
    int e = errno;
    written = (fclose(o->f) == 0) && written;
    if (ok && !written)
        sim_err_set(err, SIM_EIO, "cannot write %s: %s", o->path, strerror(e));
    if (ok && written) {
        /* mkstemp made the file 0600; give it what creating it would */
        mode_t mask = umask(0);
        umask(mask);
        chmod(o->tmp, 0666 & ~mask);
        if (rename(o->tmp, o->target ? o->target : o->path) != 0)
            sim_err_set(err, SIM_ECANTCREAT, "cannot create %s: %s", o->path, strerror(errno));
    }
    if (err->code != SIM_OK)
        unlink(o->tmp);
    free(o->tmp);
    free(o->target);
    o->tmp = o->target = NULL;
    return err->code;
}
