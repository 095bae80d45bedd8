/* output/file.c — written whole or not at all (see file.h). */
#include "output/file.h"
#include "sim/mem.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int out_file_open(struct out_file *o, const char *path, struct sim_err *err)
{
    o->path = path;
    o->tmp = NULL;
    o->f = stdout;
    if (!path || !strcmp(path, "-"))
        return SIM_OK;
    size_t n = strlen(path) + 16;
    o->tmp = sim_xmalloc(n);
    snprintf(o->tmp, n, "%s.tmp-XXXXXX", path);
    int fd = mkstemp(o->tmp);
    if (fd < 0 || !(o->f = fdopen(fd, "w"))) {
        int e = errno;
        if (fd >= 0)
            close(fd);
        free(o->tmp);
        o->tmp = NULL;
        o->f = NULL;
        return sim_err_set(err, SIM_ECANTCREAT, "cannot create %s: %s", path, strerror(e));
    }
    return SIM_OK;
}

/* Completes (ok) or abandons the output. */
int out_file_close(struct out_file *o, bool ok, struct sim_err *err)
{
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
        if (rename(o->tmp, o->path) != 0)
            sim_err_set(err, SIM_ECANTCREAT, "cannot create %s: %s", o->path, strerror(errno));
    }
    if (err->code != SIM_OK)
        unlink(o->tmp);
    free(o->tmp);
    o->tmp = NULL;
    return err->code;
}

