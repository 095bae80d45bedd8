/* output/file.c — written whole or not at all (see file.h).
 *
 * The registry of live temporaries is a fixed array of paths, each with a
 * flag the signal handler reads: the handler may only call what POSIX calls
 * async-signal-safe (unlink, sigaction, raise), so the paths are copied in
 * whole before the flag is raised, and nothing is allocated or freed there.
 * A temporary is registered just after mkstemp made it; a signal in between
 * (a few instructions) would leave it, the one window left.
 */
#define _XOPEN_SOURCE 700   /* realpath */
#include "output/file.h"
#include "sim/mem.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef NAME_MAX
#define NAME_MAX 255
#endif

/* ---- temporaries removed on a signal ----------------------------------- */

/* More than cxsim ever has at once (a report, or a database and its
 * journal); a temporary that finds no place is still removed on failure,
 * only not on a signal. */
#define NTEMPS 8

static struct {
    char path[PATH_MAX];
    volatile sig_atomic_t live;
} temps[NTEMPS];

/* Registers path; returns its slot, or -1. Called from the main thread. */
static int temp_register(const char *path)
{
    size_t n = strlen(path);
    if (n >= PATH_MAX)
        return -1;
    for (int i = 0; i < NTEMPS; i++)
        if (!temps[i].live) {
            memcpy(temps[i].path, path, n + 1);
            atomic_signal_fence(memory_order_seq_cst);   /* the path whole before the flag */
            temps[i].live = 1;
            return i;
        }
    return -1;
}

static void temp_forget(int *slot)
{
    if (*slot >= 0)
        temps[*slot].live = 0;
    *slot = -1;
}

/* Removes every live temporary, then dies of sig as the program would
 * have without the handler (its default action, re-raised). */
static void on_signal(int sig)
{
    for (int i = 0; i < NTEMPS; i++)
        if (temps[i].live)
            unlink(temps[i].path);
    struct sigaction dfl;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    sigaction(sig, &dfl, NULL);
    raise(sig);   /* pending until the handler returns, then fatal */
}

void out_file_signals_init(void)
{
    signal(SIGXFSZ, SIG_IGN);
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
        sigaddset(&sa.sa_mask, sigs[i]);   /* one handler at a time */
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
        struct sigaction old;
        if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
            continue;   /* started with it ignored (nohup): it stays so */
        sigaction(sigs[i], &sa, NULL);
    }
}

/* ---- opening ----------------------------------------------------------- */

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

/* The temporary's name for target: in its directory, FILE.tmp-XXXXXX, with
 * FILE cut (at a character's start) so that the name leaves room for
 * SQLite's "-journal" within NAME_MAX. */
static char *temp_name(const char *target)
{
    static const char suffix[] = ".tmp-XXXXXX";
    const char *slash = strrchr(target, '/');
    size_t dirlen = slash ? (size_t)(slash - target) + 1 : 0;
    const char *base = target + dirlen;
    size_t keep = strlen(base), most = NAME_MAX - strlen("-journal") - strlen(suffix);
    if (keep > most) {
        keep = most;
        while (keep > 0 && ((unsigned char)base[keep] & 0xC0) == 0x80)
            keep--;
    }
    char *t = sim_xmalloc(dirlen + keep + sizeof suffix);
    memcpy(t, target, dirlen + keep);
    memcpy(t + dirlen + keep, suffix, sizeof suffix);
    return t;
}

static void reset(struct out_file *o, const char *path)
{
    *o = (struct out_file){.f = stdout, .path = path, .slots = {-1, -1}};
}

/* Frees what o holds after a failure to open. */
static int open_failed(struct out_file *o, int fd, int e, struct sim_err *err)
{
    if (fd >= 0) {
        close(fd);
        unlink(o->tmp);
    }
    temp_forget(&o->slots[0]);
    temp_forget(&o->slots[1]);
    free(o->tmp);
    free(o->target);
    o->tmp = o->target = NULL;
    o->f = NULL;
    return sim_err_set(err, SIM_ECANTCREAT, "cannot create %s: %s", o->path, strerror(e));
}

/* Makes the temporary beside the regular file (or nothing yet) that path
 * names, remembering what is there; returns its descriptor, or -1 with err
 * set. */
static int make_temp(struct out_file *o, const char *path, bool journal, struct sim_err *err)
{
    /* a link to a regular file stays a link: the file it names is replaced */
    struct stat lst, st;
    if (lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode)) {
        o->target = realpath(path, NULL);
        if (!o->target) {
            open_failed(o, -1, errno, err);
            return -1;
        }
    }
    const char *into = o->target ? o->target : path;
    if (stat(into, &st) == 0) {
        o->existed = true;
        o->mode = st.st_mode & 07777;
        o->uid = st.st_uid;
        o->gid = st.st_gid;
    }
    o->tmp = temp_name(into);
    int fd = mkstemp(o->tmp);
    if (fd < 0) {
        open_failed(o, -1, errno, err);
        return -1;
    }
    o->slots[0] = temp_register(o->tmp);
    if (journal) {
        size_t n = strlen(o->tmp) + sizeof "-journal";
        char *j = sim_xmalloc(n);
        snprintf(j, n, "%s-journal", o->tmp);
        o->slots[1] = temp_register(j);
        free(j);
    }
    return fd;
}

int out_file_open(struct out_file *o, const char *path, struct sim_err *err)
{
    reset(o, path);
    if (!path || !strcmp(path, "-"))
        return SIM_OK;
    struct stat st;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode))
        return open_in_place(o, path, err);
    int fd = make_temp(o, path, false, err);
    if (fd < 0)
        return err->code;
    if (!(o->f = fdopen(fd, "w")))
        return open_failed(o, fd, errno, err);
    return SIM_OK;
}

int out_file_check_regular(const char *path, int code, struct sim_err *err)
{
    struct stat st, lst;
    if (stat(path, &st) == 0) {
        if (!S_ISREG(st.st_mode))
            return sim_err_set(err, code, "%s is not a regular file (a device, a FIFO or a directory): a database "
                               "must be a file of its own", path);
        return SIM_OK;
    }
    if (lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode))
        return sim_err_set(err, code, "%s is a symbolic link to nothing: make its file first, or name another",
                           path);
    return SIM_OK;
}

int out_file_open_whole(struct out_file *o, const char *path, struct sim_err *err)
{
    reset(o, path);
    o->f = NULL;
    if (!path || !strcmp(path, "-"))
        return sim_err_set(err, SIM_ECANTCREAT, "a database cannot go to standard output: name a file");
    if (out_file_check_regular(path, SIM_ECANTCREAT, err))
        return err->code;
    int fd = make_temp(o, path, true, err);
    if (fd < 0)
        return err->code;
    close(fd);
    return SIM_OK;
}

/* ---- completing -------------------------------------------------------- */

/* Gives the temporary (descriptor fd, or -1: by name) the mode and owner
 * of the file it replaces, or what creating it would have (mkstemp made it
 * 0600). The owner only where the user may set it. */
static void give_mode(struct out_file *o, int fd)
{
    mode_t mode = o->mode;
    if (!o->existed) {
        mode_t mask = umask(0);
        umask(mask);
        mode = 0666 & ~mask;
    } else if (o->uid != geteuid() || o->gid != getegid()) {
        int ignored = fd >= 0 ? fchown(fd, o->uid, o->gid) : chown(o->tmp, o->uid, o->gid);
        (void)ignored;
    }
    if (fd >= 0)
        fchmod(fd, mode);
    else
        chmod(o->tmp, mode);
}

/* Removes the temporary, and SQLite's journal beside it if it made one
 * (a report's temporary has none: no harm). */
static void remove_temp(struct out_file *o)
{
    unlink(o->tmp);
    size_t n = strlen(o->tmp) + sizeof "-journal";
    char *j = sim_xmalloc(n);
    snprintf(j, n, "%s-journal", o->tmp);
    unlink(j);
    free(j);
}

int out_file_close(struct out_file *o, bool ok, struct sim_err *err)
{
    if (o->in_place) {
        bool written = fflush(o->f) == 0 && !ferror(o->f);
        int e = errno;
        written = fclose(o->f) == 0 && written;
        if (!written)   /* (an abandoned write that failed still failed; the caller's error wins) */
            sim_err_set(err, SIM_EIO, "cannot write %s: %s", o->path, strerror(e));
        o->in_place = false;
        return err->code;
    }
    if (!o->tmp)
        return err->code;
    bool written = true;
    int e = 0;
    if (o->f) {
        written = fflush(o->f) == 0 && !ferror(o->f) && (!ok || fsync(fileno(o->f)) == 0);
        e = errno;
        if (ok && written)
            give_mode(o, fileno(o->f));
        written = (fclose(o->f) == 0) && written;
        o->f = NULL;
    } else if (ok) {
        give_mode(o, -1);   /* the library that wrote it has synced and closed it */
    }
    if (!written)
        sim_err_set(err, SIM_EIO, "cannot write %s: %s", o->path, strerror(e));
    if (ok && written && rename(o->tmp, o->target ? o->target : o->path) != 0)
        sim_err_set(err, SIM_ECANTCREAT, "cannot create %s: %s", o->path, strerror(errno));
    if (!ok || err->code != SIM_OK)
        remove_temp(o);
    temp_forget(&o->slots[0]);
    temp_forget(&o->slots[1]);
    free(o->tmp);
    free(o->target);
    o->tmp = o->target = NULL;
    return err->code;
}

bool out_file_same(const char *a, const char *b)
{
    struct stat sa, sb;
    return a && b && stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}
