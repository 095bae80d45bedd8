/* support/bench_serve.c — cxsim serve under a workshop room's load, on
 * loopback, and its live page in a browser (make bench, case 7; issue 22).
 *
 *   bench_serve CXSIM [--viewers N] [--teams N] [--attempts N] [--pause MS] [--page SPEED]
 *
 * Starts `CXSIM serve --listen 127.0.0.1:0` and reads its port, code and key
 * from what it prints. N viewers (30), each from a loopback address of its
 * own (127.0.0.10, .11, ...: a machine each, as in a room, so that the
 * server's limit of 32 connections an address does not bind), follow GET
 * /api/events; N teams (20; from 127.0.0.100, ...) join, the facilitator
 * opens a round, and every team submits N plans (3) one after the other, all
 * teams at once (--pause MS: a team waits MS between its plans, the teams
 * staggered), while each viewer fetches GET /api/day once. A board event's
 * latency is the viewer's CLOCK_MONOTONIC when it arrived minus the event's
 * changed_ms (the server's CLOCK_MONOTONIC when the board changed: one clock
 * on one machine); not counted: the event sent on connecting (its change may
 * be old) and a version sent again. The server coalesces changes that come
 * faster than a stream's thread sends them, so beside it: the age of the
 * oldest change an event was the first to show. Every viewer must see the
 * last version. Then SIGTERM with every viewer connected: the server must
 * end their streams and exit 0. The server's CPU time and peak memory come
 * from /proc. --page SPEED: first, headless Chromium ($CXSIM_CHROMIUM, or
 * /usr/bin/chromium) plays /live?play=1&speed=SPEED in real time, and its
 * frames are read when the day has ended.
 *
 * Prints one "key=value" line on stdout, for support/bench.sh, and the same
 * in words on stderr. Not a test: it asserts nothing, it counts what went
 * wrong (errors=) and tells the first few. Every client runs on the
 * server's machine and takes its share of the cores.
 */
#include "sim/mem.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <math.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_CLIENTS 100   /* viewers and teams: 127.0.0.10-109 and 127.0.0.100-199 */
#define IO_TIMEOUT_S 60   /* no request or stream waits longer */

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void sleep_ms(double ms)
{
    if (ms <= 0)
        return;
    struct timespec ts = {(time_t)(ms / 1000), (long)((ms - 1000 * (double)(time_t)(ms / 1000)) * 1e6)};
    while (nanosleep(&ts, &ts) && errno == EINTR)
        ;
}


/* ---- what went wrong, counted and the first few told ---------------- */

static pthread_mutex_t problems_lock = PTHREAD_MUTEX_INITIALIZER;
static int problems;

static void problem(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void problem(const char *fmt, ...)
{
    pthread_mutex_lock(&problems_lock);
    if (problems++ < 10) {
        va_list ap;
        va_start(ap, fmt);
        fputs("bench_serve: ", stderr);
        vfprintf(stderr, fmt, ap);
        fputc('\n', stderr);
        va_end(ap);
    }
    pthread_mutex_unlock(&problems_lock);
}

/* ---- the server ------------------------------------------------------ */

struct server {
    pid_t pid;
    int err_fd;               /* its stderr */
    unsigned port;
    char code[16], key[64];
    char log[8192];           /* what it printed (the start, then the end) */
    size_t loglen;
    pthread_t drain;
};

/* Keeps reading the server's stderr, so that it never blocks on it. */
static void *drain(void *arg)
{
    struct server *sv = arg;
    char buf[1024];
    ssize_t n;
    while ((n = read(sv->err_fd, buf, sizeof buf)) > 0) {
        size_t room = sizeof sv->log - 1 - sv->loglen, k = (size_t)n < room ? (size_t)n : room;
        memcpy(sv->log + sv->loglen, buf, k);
        sv->loglen += k;
        sv->log[sv->loglen] = '\0';
    }
    return NULL;
}

static bool server_start(struct server *sv, const char *cxsim)
{
    int p[2];
    memset(sv, 0, sizeof *sv);
    if (pipe(p))
        return false;
    sv->pid = fork();
    if (sv->pid < 0)
        return false;
    if (sv->pid == 0) {
        dup2(p[1], 2);
        close(p[0]);
        close(p[1]);
        int null = open("/dev/null", O_RDWR);
        dup2(null, 0);
        dup2(null, 1);
        execl(cxsim, cxsim, "serve", "--listen", "127.0.0.1:0", (char *)NULL);
        fprintf(stderr, "cannot run %s: %s\n", cxsim, strerror(errno));
        _exit(127);
    }
    close(p[1]);
    sv->err_fd = p[0];
    /* what it prints first: the room, then the board's address, then "Ctrl-C" */
    while (!strstr(sv->log, "Ctrl-C") && sv->loglen + 1 < sizeof sv->log) {
        ssize_t n = read(sv->err_fd, sv->log + sv->loglen, sizeof sv->log - 1 - sv->loglen);
        if (n <= 0)
            break;
        sv->loglen += (size_t)n;
        sv->log[sv->loglen] = '\0';
    }
    const char *room = strstr(sv->log, "room "), *at = strstr(sv->log, "http://127.0.0.1:"),
               *key = strstr(sv->log, "key=");
    if (!room || !at || !key || sscanf(room, "room %15s", sv->code) != 1 ||
        sscanf(at, "http://127.0.0.1:%u/", &sv->port) != 1 || sscanf(key, "key=%63[0-9a-f]", sv->key) != 1) {
        fprintf(stderr, "bench_serve: %s serve did not start:\n%s\n", cxsim, sv->log);
        kill(sv->pid, SIGKILL);
        waitpid(sv->pid, NULL, 0);
        return false;
    }
    pthread_create(&sv->drain, NULL, drain, sv);
    return true;
}

/* The server's CPU seconds so far (user + system, all its threads). */
static double server_cpu_s(pid_t pid)
{
    char path[64], text[2048];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = '\0';
    const char *p = strrchr(text, ')');   /* the name may hold spaces */
    unsigned long long ut = 0, st = 0;
    if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &ut, &st) != 2)
        return -1;
    return (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
}

/* The CPU seconds of the processes of group pgid, those still running. */
static double group_cpu_s(pid_t pgid)
{
    DIR *d = opendir("/proc");
    struct dirent *e;
    unsigned long long ticks = 0;
    while (d && (e = readdir(d))) {
        char path[300], text[2048];
        if (e->d_name[0] < '1' || e->d_name[0] > '9')
            continue;
        snprintf(path, sizeof path, "/proc/%s/stat", e->d_name);
        FILE *f = fopen(path, "r");
        if (!f)
            continue;
        size_t n = fread(text, 1, sizeof text - 1, f);
        fclose(f);
        text[n] = '\0';
        const char *p = strrchr(text, ')');
        int group = 0;
        unsigned long long ut = 0, st = 0;
        if (p && sscanf(p + 2, "%*c %*d %d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &group, &ut, &st) == 3 &&
            group == (int)pgid)
            ticks += ut + st;
    }
    if (d)
        closedir(d);
    return (double)ticks / (double)sysconf(_SC_CLK_TCK);
}

/* A line of /proc/PID/status, in KiB (VmHWM: the peak resident memory). */
static long server_status_kib(pid_t pid, const char *field)
{
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
    FILE *f = fopen(path, "r");
    long kib = -1;
    size_t len = strlen(field);
    while (f && fgets(line, sizeof line, f))
        if (!strncmp(line, field, len) && line[len] == ':')
            kib = atol(line + len + 1);
    if (f)
        fclose(f);
    return kib;
}

/* ---- HTTP from a loopback address of one's own ---------------------- */

/* A connection from src (127.0.0.x) to the server, or -1. */
static int dial(const char *src, unsigned port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return -1;
    struct timeval tv = {IO_TIMEOUT_S, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    struct sockaddr_in from = {.sin_family = AF_INET}, to = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    inet_pton(AF_INET, src, &from.sin_addr);
    inet_pton(AF_INET, "127.0.0.1", &to.sin_addr);
    if (bind(fd, (struct sockaddr *)&from, sizeof from) || connect(fd, (struct sockaddr *)&to, sizeof to)) {
        problem("%s cannot connect: %s", src, strerror(errno));
        close(fd);
        return -1;
    }
    return fd;
}

static bool send_all(int fd, const char *data, size_t len)
{
    for (size_t sent = 0; sent < len;) {
        ssize_t n = send(fd, data + sent, len - sent, MSG_NOSIGNAL);
        if (n <= 0)
            return false;
        sent += (size_t)n;
    }
    return true;
}

/* One request (HTTP/1.0: the answer ends with the connection) from src;
 * the status (0: no answer), the body in *body (malloc'd) when asked. */
static int request(const char *src, unsigned port, const char *method, const char *path, const char *json,
                   char **body)
{
    if (body)
        *body = NULL;
    int fd = dial(src, port);
    if (fd < 0)
        return 0;
    size_t jlen = json ? strlen(json) : 0, cap = 1 << 16, got = 0;
    char *buf = sim_xmalloc(cap);
    int n = snprintf(buf, cap, "%s %s HTTP/1.0\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                     "Content-Length: %zu\r\n\r\n", method, path, jlen);
    bool ok = send_all(fd, buf, (size_t)n) && (!jlen || send_all(fd, json, jlen));
    ssize_t k;
    while (ok && (k = recv(fd, buf + got, cap - 1 - got, 0)) > 0) {
        got += (size_t)k;
        if (got + 1 == cap)
            buf = sim_xrealloc(buf, cap *= 2);
    }
    close(fd);
    buf[got] = '\0';
    int status = 0;
    sscanf(buf, "HTTP/1.%*d %d", &status);
    const char *start = strstr(buf, "\r\n\r\n");
    if (body) {
        size_t len = start ? got - (size_t)(start + 4 - buf) : 0;
        *body = sim_xmalloc(len + 1);
        memcpy(*body, start ? start + 4 : "", len);
        (*body)[len] = '\0';
    }
    free(buf);
    if (!status)
        problem("%s %s from %s: no answer", method, path, src);
    return status;
}

/* ---- viewers: the board's events ------------------------------------ */

struct event {
    double at_ms, changed_ms; /* when it arrived; when the board changed */
    uint64_t version, after;  /* its version; the one the viewer had before */
};

struct viewer {
    char addr[16];
    unsigned port;
    struct event *ev;
    size_t nev, cap;
    bool ended;               /* the server ended the stream */
    double day_ms;            /* GET /api/day's answer time; < 0: failed */
    size_t day_bytes;
};

static pthread_mutex_t seen_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t seen_changed = PTHREAD_COND_INITIALIZER;

/* Reads one viewer's stream to its end: "event: board\ndata: {...}\n\n",
 * and comments (": still here") between them. */
static void *viewer_run(void *arg)
{
    struct viewer *v = arg;
    int fd = dial(v->addr, v->port);
    static const char get[] = "GET /api/events HTTP/1.0\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n";
    if (fd < 0 || !send_all(fd, get, sizeof get - 1)) {
        problem("viewer %s: cannot follow /api/events", v->addr);
        if (fd >= 0)
            close(fd);
        pthread_mutex_lock(&seen_lock);
        v->ended = true;
        pthread_cond_broadcast(&seen_changed);
        pthread_mutex_unlock(&seen_lock);
        return NULL;
    }
    size_t cap = 1 << 16, len = 0;
    char *buf = sim_xmalloc(cap);
    bool head = true;
    uint64_t have = 0;
    for (;;) {
        if (len + 4096 > cap)
            buf = sim_xrealloc(buf, cap *= 2);
        ssize_t k = recv(fd, buf + len, cap - 1 - len, 0);
        double at = now_ms();
        if (k <= 0) {
            if (k < 0)
                problem("viewer %s: %s", v->addr, errno == EAGAIN ? "nothing for a minute" : strerror(errno));
            break;
        }
        len += (size_t)k;
        buf[len] = '\0';
        if (head) {
            char *end = strstr(buf, "\r\n\r\n");
            if (!end)
                continue;
            int status = 0;
            sscanf(buf, "HTTP/1.%*d %d", &status);
            if (status != 200) {
                problem("viewer %s: /api/events answered %d", v->addr, status);
                break;
            }
            head = false;
            len -= (size_t)(end + 4 - buf);
            memmove(buf, end + 4, len + 1);
        }
        char *blank;
        while ((blank = strstr(buf, "\n\n"))) {
            *blank = '\0';
            const char *data = strstr(buf, "data: ");
            if (!strncmp(buf, "event: board\n", 13) && data) {
                json_t *board = json_loads(data + 6, 0, NULL);
                json_t *version = json_object_get(board, "version"), *changed = json_object_get(board, "changed_ms");
                if (!json_is_integer(version) || !json_is_number(changed)) {
                    problem("viewer %s: an event without version and changed_ms: %.80s", v->addr, data);
                } else {
                    uint64_t version_now = (uint64_t)json_integer_value(version);
                    if (version_now < have)
                        problem("viewer %s: version %llu after %llu", v->addr, (unsigned long long)version_now,
                                (unsigned long long)have);
                    pthread_mutex_lock(&seen_lock);   /* the main thread reads the events too */
                    if (v->nev == v->cap)
                        v->ev = sim_xrealloc(v->ev, (v->cap = v->cap ? 2 * v->cap : 64) * sizeof *v->ev);
                    v->ev[v->nev++] = (struct event){at, json_number_value(changed), version_now, have};
                    have = version_now;
                    pthread_cond_broadcast(&seen_changed);
                    pthread_mutex_unlock(&seen_lock);
                }
                json_decref(board);
            } else if (buf[0] != ':') {
                problem("viewer %s: an unexpected event: %.80s", v->addr, buf);
            }
            len -= (size_t)(blank + 2 - buf);
            memmove(buf, blank + 2, len + 1);
        }
    }
    close(fd);
    free(buf);
    pthread_mutex_lock(&seen_lock);
    v->ended = true;
    pthread_cond_broadcast(&seen_changed);
    pthread_mutex_unlock(&seen_lock);
    return NULL;
}

static uint64_t last_version(const struct viewer *v)
{
    return v->nev ? v->ev[v->nev - 1].version : 0;
}

/* Waits until every viewer has seen version (0: any event) or its stream
 * ended, at most timeout_ms; how many saw it. */
static size_t wait_viewers(struct viewer *vs, size_t n, uint64_t version, double timeout_ms)
{
    double until = now_ms() + timeout_ms;
    size_t saw = 0;
    pthread_mutex_lock(&seen_lock);
    for (;;) {
        size_t done = 0;
        saw = 0;
        for (size_t i = 0; i < n; i++) {
            bool got = vs[i].nev > 0 && last_version(&vs[i]) >= version;
            saw += got;
            done += got || vs[i].ended;
        }
        if (done == n || now_ms() >= until)
            break;
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);   /* the condition's clock */
        ts.tv_nsec += 50000000L;
        if (ts.tv_nsec >= 1000000000L) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&seen_changed, &seen_lock, &ts);
    }
    pthread_mutex_unlock(&seen_lock);
    return saw;
}

static pthread_barrier_t go;  /* the teams' attempts and the viewers' days start together */

static void *day_run(void *arg)
{
    struct viewer *v = arg;
    pthread_barrier_wait(&go);
    char *body;
    double t0 = now_ms();
    int status = request(v->addr, v->port, "GET", "/api/day", NULL, &body);
    v->day_ms = now_ms() - t0;
    v->day_bytes = body ? strlen(body) : 0;
    if (status != 200) {
        problem("viewer %s: /api/day answered %d", v->addr, status);
        v->day_ms = -1;
    }
    free(body);
    return NULL;
}

/* ---- teams ----------------------------------------------------------- */

struct team {
    char addr[16], name[32], token[64];
    unsigned port, index, attempts;
    const char *code;
    double pause_ms, stagger_ms;
    unsigned ok;              /* attempts answered 200 */
    double *ms;               /* each attempt's answer time */
};

static pthread_barrier_t joined;   /* every team joined: the round may open */

static void *team_run(void *arg)
{
    struct team *t = arg;
    json_t *j = json_pack("{s:s,s:s}", "room", t->code, "team", t->name);
    char *req = json_dumps(j, JSON_COMPACT), *body;
    json_decref(j);
    int status = request(t->addr, t->port, "POST", "/api/join", req, &body);
    free(req);
    json_t *answer = body ? json_loads(body, 0, NULL) : NULL;
    const char *token = json_string_value(json_object_get(answer, "token"));
    if (status != 200 || !token)
        problem("team %s: join answered %d: %.120s", t->name, status, body ? body : "");
    else
        snprintf(t->token, sizeof t->token, "%s", token);
    json_decref(answer);
    free(body);
    pthread_barrier_wait(&joined);
    pthread_barrier_wait(&go);
    if (!t->token[0])
        return NULL;
    sleep_ms(t->stagger_ms);
    for (unsigned k = 0; k < t->attempts; k++) {
        if (k)
            sleep_ms(t->pause_ms);
        /* a different plan each time: sales 3 to 6, credit 2 to 5 */
        char sales[64], credit[64];
        snprintf(sales, sizeof sales, "departments.sales.staff=%u", 3 + (t->index + k) % 4);
        snprintf(credit, sizeof credit, "departments.credit.staff=%u", 2 + (t->index / 4 + 3 * k) % 4);
        j = json_pack("{s:s,s:[s,s]}", "token", t->token, "sets", sales, credit);
        req = json_dumps(j, JSON_COMPACT);
        json_decref(j);
        double t0 = now_ms();
        status = request(t->addr, t->port, "POST", "/api/attempt", req, &body);
        t->ms[k] = now_ms() - t0;
        free(req);
        if (status == 200)
            t->ok++;
        else
            problem("team %s: attempt %u answered %d: %.120s", t->name, k + 1, status, body ? body : "");
        free(body);
    }
    return NULL;
}

/* ---- the live page in headless Chromium ------------------------------ */

/* Chromium driven through its DevTools protocol over a pipe, as
 * tests/test_browser.c does (--remote-debugging-pipe: commands on its fd
 * 3, answers and events on its fd 4, each a JSON text ended by a NUL). The
 * page plays the day in real time; what it counts is on
 * document.body.dataset (sim/cli/pages/live.html): frames while playing,
 * slowFrames (more than 50 ms after the previous), maxGap, finished. */
struct page {
    const char *bin;
    unsigned port;
    double speed;
    pid_t pid;
    int to, from;
    char *buf;
    size_t len, cap;
    char session[128], profile[64];
    int id, exceptions;
    /* what it measured */
    bool ready, finished;
    long frames, slow, max_gap, drawn;
    double play_s, cpu_s;     /* the day's real time; the browser's CPU seconds */
    json_t *gaps;             /* [[s after the first frame, gap ms], ...] of the slow frames */
    char failure[256];
};

/* A second frame callback beside the page's, which sees the same frames:
 * when each slow one came, counted from the first frame the page played. */
static const char gaps_js[] =
    "(function () { var g = [], last = 0, t0 = 0; window.cxsimBenchGaps = g;"
    " function f(now) { var ds = document.body ? document.body.dataset : {};"
    "  if (ds.frames !== undefined && !t0) t0 = now;"
    "  if (t0 && last && now - last > 50 && ds.finished !== 'yes') g.push([(now - t0) / 1000, Math.round(now - last)]);"
    "  last = now; requestAnimationFrame(f); }"
    " requestAnimationFrame(f); })();";

static pthread_mutex_t page_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t page_ready = PTHREAD_COND_INITIALIZER;

static bool page_start(struct page *pg)
{
    int in[2], out[2];
    snprintf(pg->profile, sizeof pg->profile, "/tmp/cxsim-bench-chromium-XXXXXX");
    if (pipe(in) || pipe(out) || !mkdtemp(pg->profile))
        return false;
    pg->pid = fork();
    if (pg->pid == 0) {
        setpgid(0, 0);   /* its processes in a group of their own, for their CPU time */
        dup2(in[0], 3);
        dup2(out[1], 4);
        int null = open("/dev/null", O_RDWR);
        dup2(null, 0);
        dup2(null, 1);
        dup2(null, 2);
        char dir[96];
        snprintf(dir, sizeof dir, "--user-data-dir=%s", pg->profile);
        execl(pg->bin, pg->bin, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
              "--window-size=1280,800", "--remote-debugging-pipe", dir, "about:blank", (char *)NULL);
        _exit(127);
    }
    close(in[0]);
    close(out[1]);
    pg->to = in[1];
    pg->from = out[0];
    pg->cap = 1 << 16;
    pg->buf = sim_xmalloc(pg->cap);
    return pg->pid > 0;
}

/* The next message, waiting at most 60 s; NULL when the browser is gone. */
static json_t *page_message(struct page *pg)
{
    for (;;) {
        char *nul = memchr(pg->buf, '\0', pg->len);
        if (nul) {
            json_t *m = json_loads(pg->buf, 0, NULL);
            size_t used = (size_t)(nul - pg->buf) + 1;
            memmove(pg->buf, pg->buf + used, pg->len - used);
            pg->len -= used;
            const char *method = json_string_value(json_object_get(m, "method"));
            if (method && !strcmp(method, "Runtime.exceptionThrown"))
                pg->exceptions++;
            return m;
        }
        struct pollfd p = {pg->from, POLLIN, 0};
        if (poll(&p, 1, IO_TIMEOUT_S * 1000) <= 0)
            return NULL;
        if (pg->len + 65536 > pg->cap)
            pg->buf = sim_xrealloc(pg->buf, pg->cap *= 2);
        ssize_t got = read(pg->from, pg->buf + pg->len, 65536);
        if (got <= 0)
            return NULL;
        pg->len += (size_t)got;
    }
}

/* Sends a command (in the page's session when there is one); its id, or 0. */
static int page_send(struct page *pg, const char *method, json_t *params)
{
    int id = ++pg->id;
    json_t *m = json_pack("{s:i,s:s}", "id", id, "method", method);
    if (params)
        json_object_set_new(m, "params", params);
    if (pg->session[0])
        json_object_set_new(m, "sessionId", json_string(pg->session));
    char *text = json_dumps(m, JSON_COMPACT);
    json_decref(m);
    size_t n = strlen(text) + 1;   /* the NUL ends the message */
    bool sent = write(pg->to, text, n) == (ssize_t)n;
    free(text);
    return sent ? id : 0;
}

/* Sends a command and returns its result (owned by the caller), or NULL. */
static json_t *page_call(struct page *pg, const char *method, json_t *params)
{
    int id = page_send(pg, method, params);
    while (id) {
        json_t *r = page_message(pg);
        if (!r)
            break;
        if (json_integer_value(json_object_get(r, "id")) == id) {
            json_t *result = json_object_get(r, "error") ? NULL : json_incref(json_object_get(r, "result"));
            if (!result)
                snprintf(pg->failure, sizeof pg->failure, "%s: %s", method,
                         json_string_value(json_object_get(json_object_get(r, "error"), "message")));
            json_decref(r);
            return result;
        }
        json_decref(r);
    }
    if (!pg->failure[0])
        snprintf(pg->failure, sizeof pg->failure, "the browser did not answer %s", method);
    return NULL;
}

/* The page's figures: dataset's, and the error it shows, if any. */
static json_t *page_state(struct page *pg)
{
    static const char js[] = "JSON.stringify({ds: Object.assign({}, document.body.dataset),"
                             " err: (document.getElementById('err') || {}).textContent || ''})";
    json_t *r = page_call(pg, "Runtime.evaluate", json_pack("{s:s,s:b}", "expression", js, "returnByValue", 1));
    json_t *state = json_loads(json_string_value(json_object_get(json_object_get(r, "result"), "value")), 0, NULL);
    json_decref(r);
    return state;
}

static long dataset_long(json_t *state, const char *key)
{
    const char *v = json_string_value(json_object_get(json_object_get(state, "ds"), key));
    return v ? atol(v) : -1;
}

static void page_signal_ready(struct page *pg)
{
    pthread_mutex_lock(&page_lock);
    pg->ready = true;
    pthread_cond_broadcast(&page_ready);
    pthread_mutex_unlock(&page_lock);
}

/* Opens /live?play=1&speed=S and reads its figures once the day ended. */
static void *page_run(void *arg)
{
    struct page *pg = arg;
    if (!page_start(pg)) {
        snprintf(pg->failure, sizeof pg->failure, "cannot start %s", pg->bin);
        page_signal_ready(pg);
        return NULL;
    }
    json_t *t = page_call(pg, "Target.createTarget", json_pack("{s:s}", "url", "about:blank"));
    json_t *s = t ? page_call(pg, "Target.attachToTarget", json_pack("{s:s,s:b}", "targetId",
                                                                      json_string_value(json_object_get(t, "targetId")),
                                                                      "flatten", 1))
                  : NULL;
    const char *session = json_string_value(json_object_get(s, "sessionId"));
    snprintf(pg->session, sizeof pg->session, "%s", session ? session : "");
    json_decref(t);
    json_decref(s);
    json_t *r = NULL;
    char url[128];
    snprintf(url, sizeof url, "http://127.0.0.1:%u/live?play=1&speed=%g", pg->port, pg->speed);
    double t0 = 0, last = 0;
    if (pg->session[0] && (r = page_call(pg, "Page.enable", NULL)) &&
        (json_decref(r), r = page_call(pg, "Runtime.enable", NULL)) &&
        (json_decref(r), r = page_call(pg, "Page.addScriptToEvaluateOnNewDocument",
                                       json_pack("{s:s}", "source", gaps_js))) &&
        (json_decref(r), r = page_call(pg, "Page.navigate", json_pack("{s:s}", "url", url)))) {
        json_decref(r);
        /* playing: the first frame wrote its figures */
        double until = now_ms() + 60000;
        json_t *state = NULL;
        while (now_ms() < until) {
            json_decref(state);
            state = page_state(pg);
            const char *shown = json_string_value(json_object_get(state, "err"));
            if (dataset_long(state, "frames") >= 0 || (shown && *shown))
                break;   /* (no state yet: the page is still loading) */
            sleep_ms(100);
        }
        t0 = last = now_ms();
        page_signal_ready(pg);
        const char *err = json_string_value(json_object_get(state, "err"));
        pg->failure[0] = '\0';   /* (a question asked while the page was loading may have failed) */
        if (dataset_long(state, "frames") < 0)
            snprintf(pg->failure, sizeof pg->failure, "the page did not start playing%s%s", err && *err ? ": " : "",
                     err ? err : "");
        /* the day: (close - open) / speed seconds; read every half second */
        until = now_ms() + 900000;
        while (!pg->failure[0] && now_ms() < until) {
            json_decref(state);
            state = page_state(pg);
            last = now_ms();
            if (!state) {
                snprintf(pg->failure, sizeof pg->failure, "the page cannot be read");
                break;
            }
            const char *fin = json_string_value(json_object_get(json_object_get(state, "ds"), "finished"));
            if (fin && !strcmp(fin, "yes")) {
                pg->finished = true;
                break;
            }
            sleep_ms(500);
        }
        pg->frames = dataset_long(state, "frames");
        pg->slow = dataset_long(state, "slowFrames");
        pg->max_gap = dataset_long(state, "maxGap");
        pg->drawn = dataset_long(state, "drawnDepts");
        pg->play_s = (last - t0) / 1e3;
        if (!pg->finished && !pg->failure[0])
            snprintf(pg->failure, sizeof pg->failure, "the day did not end within 15 minutes");
        json_decref(state);
        r = page_call(pg, "Runtime.evaluate", json_pack("{s:s,s:b}", "expression",
                                                         "JSON.stringify(window.cxsimBenchGaps || [])",
                                                         "returnByValue", 1));
        pg->gaps = json_loads(json_string_value(json_object_get(json_object_get(r, "result"), "value")), 0, NULL);
        json_decref(r);
    }
    page_signal_ready(pg);   /* (again, when it failed early) */
    pg->cpu_s = group_cpu_s(pg->pid);
    pg->session[0] = '\0';
    page_send(pg, "Browser.close", NULL);
    close(pg->to);
    close(pg->from);
    int status;
    double until = now_ms() + 5000;
    while (waitpid(pg->pid, &status, WNOHANG) == 0) {
        if (now_ms() > until) {
            kill(pg->pid, SIGKILL);
            waitpid(pg->pid, &status, 0);
            break;
        }
        sleep_ms(50);
    }
    free(pg->buf);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", pg->profile);
    if (system(cmd) != 0)
        problem("cannot remove %s", pg->profile);
    return NULL;
}

/* ---- figures ----------------------------------------------------------- */

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The q-quantile of v[0..n) (sorted in place), nearest rank; NAN if empty. */
static double quantile(double *v, size_t n, double q)
{
    if (!n)
        return NAN;
    qsort(v, n, sizeof *v, by_value);
    size_t k = (size_t)(q * (double)n + 0.999999);
    return v[k ? k - 1 : 0];
}
static void usage(void)
{
    fputs("usage: bench_serve CXSIM [--viewers N] [--teams N] [--attempts N] [--pause MS] [--page SPEED]\n", stderr);
    exit(64);
}

int main(int argc, char **argv)
{
    if (argc < 2)
        usage();
    const char *cxsim = argv[1];
    unsigned nv = 30, nt = 20, na = 3;
    double pause_ms = 0, speed = 0;
    for (int i = 2; i < argc; i++) {
        if (i + 1 < argc && !strcmp(argv[i], "--viewers"))
            nv = (unsigned)atoi(argv[++i]);
        else if (i + 1 < argc && !strcmp(argv[i], "--teams"))
            nt = (unsigned)atoi(argv[++i]);
        else if (i + 1 < argc && !strcmp(argv[i], "--attempts"))
            na = (unsigned)atoi(argv[++i]);
        else if (i + 1 < argc && !strcmp(argv[i], "--pause"))
            pause_ms = atof(argv[++i]);
        else if (i + 1 < argc && !strcmp(argv[i], "--page"))
            speed = atof(argv[++i]);
        else
            usage();
    }
    if (nv > MAX_CLIENTS || nt > MAX_CLIENTS || na < 1 || na > 30 || pause_ms < 0 || speed < 0)
        usage();
    signal(SIGPIPE, SIG_IGN);
    struct server sv;
    if (!server_start(&sv, cxsim))
        return 69;

    /* the viewers follow the board, each from its own address */
    struct viewer *vs = sim_xcalloc(nv + 1, sizeof *vs);
    pthread_t *vt = sim_xmalloc((nv + 1) * sizeof *vt), *dt = sim_xmalloc((nv + 1) * sizeof *dt);
    for (unsigned i = 0; i < nv; i++) {
        snprintf(vs[i].addr, sizeof vs[i].addr, "127.0.0.%u", 10 + i);
        vs[i].port = sv.port;
        pthread_create(&vt[i], NULL, viewer_run, &vs[i]);
    }
    size_t connected = wait_viewers(vs, nv, 0, 10000);
    if (connected < nv)
        problem("%zu of %u viewers got the board on connecting", connected, nv);

    /* the live page plays the day before the teams come */
    struct page pg = {.port = sv.port, .speed = speed};
    pthread_t page_thread;
    if (speed > 0) {
        pg.bin = getenv("CXSIM_CHROMIUM") ? getenv("CXSIM_CHROMIUM") : "/usr/bin/chromium";
        pthread_create(&page_thread, NULL, page_run, &pg);
        pthread_mutex_lock(&page_lock);
        while (!pg.ready)
            pthread_cond_wait(&page_ready, &page_lock);
        pthread_mutex_unlock(&page_lock);
    }

    /* the teams join, the round opens, then every attempt and every viewer's day at once */
    struct team *ts = sim_xcalloc(nt + 1, sizeof *ts);
    pthread_t *tt = sim_xmalloc((nt + 1) * sizeof *tt);
    pthread_barrier_init(&joined, NULL, nt + 1);
    pthread_barrier_init(&go, NULL, nt + nv + 1);
    double cpu0 = server_cpu_s(sv.pid), load0 = now_ms();
    for (unsigned i = 0; i < nt; i++) {
        struct team *t = &ts[i];
        snprintf(t->addr, sizeof t->addr, "127.0.0.%u", 100 + i);
        snprintf(t->name, sizeof t->name, "Team %u", i + 1);
        t->port = sv.port;
        t->code = sv.code;
        t->index = i;
        t->attempts = na;
        t->pause_ms = pause_ms;
        t->stagger_ms = pause_ms * i / nt;
        t->ms = sim_xmalloc(na * sizeof *t->ms);
        pthread_create(&tt[i], NULL, team_run, t);
    }
    for (unsigned i = 0; i < nv; i++)
        pthread_create(&dt[i], NULL, day_run, &vs[i]);
    pthread_barrier_wait(&joined);
    char req[160], *body;
    snprintf(req, sizeof req, "{\"key\":\"%s\",\"open\":true}", sv.key);
    int status = request("127.0.0.1", sv.port, "POST", "/api/round", req, &body);
    if (status != 200)
        problem("the facilitator's round answered %d: %.120s", status, body ? body : "");
    free(body);
    pthread_barrier_wait(&go);
    double att0 = now_ms();
    for (unsigned i = 0; i < nt; i++)
        pthread_join(tt[i], NULL);
    double att_s = (now_ms() - att0) / 1e3;
    for (unsigned i = 0; i < nv; i++)
        pthread_join(dt[i], NULL);

    /* the last version: the board at the start, a join per team, the round, an attempt each */
    status = request("127.0.0.1", sv.port, "GET", "/api/board", NULL, &body);
    json_t *board = body ? json_loads(body, 0, NULL) : NULL;
    uint64_t final = (uint64_t)json_integer_value(json_object_get(board, "version"));
    json_decref(board);
    free(body);
    unsigned attempts_ok = 0;
    for (unsigned i = 0; i < nt; i++)
        attempts_ok += ts[i].ok;
    uint64_t expected = 1 + nt + 1 + (uint64_t)attempts_ok;
    if (status != 200 || final != expected)
        problem("the board's version is %llu, not %llu", (unsigned long long)final, (unsigned long long)expected);
    size_t saw_final = wait_viewers(vs, nv, final, 10000);
    double load_s = (now_ms() - load0) / 1e3, cpu_s = server_cpu_s(sv.pid) - cpu0;
    long hwm = server_status_kib(sv.pid, "VmHWM"), threads = server_status_kib(sv.pid, "Threads");
    if (saw_final < nv)
        problem("%zu of %u viewers saw the last version (%llu)", saw_final, nv, (unsigned long long)final);
    if (speed > 0) {   /* until the day ended on the page */
        pthread_join(page_thread, NULL);
        if (!pg.finished)
            problem("the live page: %s", pg.failure);
        if (pg.exceptions)
            problem("the live page threw %d exception(s)", pg.exceptions);
    }

    /* SIGTERM with every viewer connected: their streams end, exit 0 */
    size_t still = 0;
    pthread_mutex_lock(&seen_lock);
    for (unsigned i = 0; i < nv; i++)
        still += !vs[i].ended;
    pthread_mutex_unlock(&seen_lock);
    double stop0 = now_ms(), stop_s = -1;
    kill(sv.pid, SIGTERM);
    int wstatus = 0, code = -1;
    while (now_ms() - stop0 < 10000) {
        if (waitpid(sv.pid, &wstatus, WNOHANG) == sv.pid) {
            stop_s = (now_ms() - stop0) / 1e3;
            code = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 128 + WTERMSIG(wstatus);
            break;
        }
        sleep_ms(5);
    }
    if (stop_s < 0) {
        problem("the server did not stop within 10 s of SIGTERM; killed");
        kill(sv.pid, SIGKILL);
        waitpid(sv.pid, &wstatus, 0);
    } else if (code != 0) {
        problem("the server stopped with exit status %d", code);
    }
    wait_viewers(vs, nv, UINT64_MAX, 5000);   /* no version is that high: until every stream ended */
    size_t streams_ended = 0;
    pthread_mutex_lock(&seen_lock);
    for (unsigned i = 0; i < nv; i++)
        streams_ended += vs[i].ended;
    pthread_mutex_unlock(&seen_lock);
    if (streams_ended < nv)
        problem("%zu of %u event streams were still open after the server stopped", nv - streams_ended, nv);
    for (unsigned i = 0; i < nv; i++)
        if (vs[i].ended)
            pthread_join(vt[i], NULL);
    pthread_join(sv.drain, NULL);
    if (!strstr(sv.log, "serve: stopped"))
        problem("the server did not say it stopped:\n%s", sv.log);

    /* latency: every event but the one on connecting and versions sent again */
    size_t total = 0, nlat = 0, nage = 0, coalesced = 0, duplicates = 0;
    for (unsigned i = 0; i < nv; i++)
        total += vs[i].nev;
    double *lat = sim_xmalloc((total + 1) * sizeof *lat), *age = sim_xmalloc((total + 1) * sizeof *age);
    double *when = sim_xcalloc(final + 2, sizeof *when);   /* each version's change, from any viewer who got it */
    for (unsigned i = 0; i < nv; i++)
        for (size_t k = 0; k < vs[i].nev; k++)
            if (vs[i].ev[k].version <= final)
                when[vs[i].ev[k].version] = vs[i].ev[k].changed_ms;
    for (unsigned i = 0; i < nv; i++)
        for (size_t k = 1; k < vs[i].nev; k++) {
            const struct event *e = &vs[i].ev[k];
            if (e->version == e->after) {   /* nothing new to show */
                duplicates++;
                continue;
            }
            lat[nlat++] = e->at_ms - e->changed_ms;
            coalesced += e->version - e->after - 1;
            for (uint64_t v = e->after + 1; v <= e->version && v <= final; v++)
                if (when[v] > 0) {   /* the oldest change this event was the first to show */
                    age[nage++] = e->at_ms - when[v];
                    break;
                }
        }
    double lat_med = quantile(lat, nlat, 0.5), lat_p95 = quantile(lat, nlat, 0.95);
    double lat_max = nlat ? lat[nlat - 1] : NAN;
    double age_p95 = quantile(age, nage, 0.95), age_max = nage ? age[nage - 1] : NAN;
    double *days = sim_xmalloc((nv + 1) * sizeof *days), *atts = sim_xmalloc(((size_t)nt * na + 1) * sizeof *atts);
    size_t ndays = 0, natts = 0, day_bytes = 0;
    for (unsigned i = 0; i < nv; i++)
        if (vs[i].day_ms >= 0) {
            days[ndays++] = vs[i].day_ms;
            day_bytes = vs[i].day_bytes;
        }
    for (unsigned i = 0; i < nt; i++)
        for (unsigned k = 0; k < ts[i].ok; k++)
            atts[natts++] = ts[i].ms[k];
    double day_med = quantile(days, ndays, 0.5), day_max = ndays ? days[ndays - 1] : NAN;
    double att_med = quantile(atts, natts, 0.5), att_max = natts ? atts[natts - 1] : NAN;

    printf("viewers=%u teams=%u attempts=%u attempts_ok=%u final_version=%llu viewers_final=%zu events=%zu "
           "duplicates=%zu coalesced=%zu latency_median_ms=%.2f latency_p95_ms=%.2f latency_max_ms=%.2f "
           "oldest_change_p95_ms=%.2f oldest_change_max_ms=%.2f attempts_wall_s=%.3f attempt_median_ms=%.1f "
           "attempt_max_ms=%.1f day_median_ms=%.1f day_max_ms=%.1f day_kb=%.1f load_s=%.3f server_cpu_s=%.2f "
           "server_peak_kib=%ld server_threads=%ld stop_viewers=%zu stop_s=%.3f stop_exit=%d",
           nv, nt, nt * na, attempts_ok, (unsigned long long)final, saw_final, total, duplicates, coalesced, lat_med,
           lat_p95, lat_max, age_p95, age_max, att_s, att_med, att_max, day_med, day_max, (double)day_bytes / 1e3,
           load_s, cpu_s, hwm, threads, still, stop_s, code);
    if (speed > 0)
        printf(" page_speed=%g page_finished=%d page_drawn_depts=%ld page_frames=%ld page_slow_frames=%ld "
               "page_max_gap_ms=%ld page_play_s=%.1f page_fps=%.1f page_cpu_s=%.1f page_exceptions=%d",
               speed, pg.finished, pg.drawn, pg.frames, pg.slow, pg.max_gap, pg.play_s,
               pg.play_s > 0 ? (double)pg.frames / pg.play_s : 0.0, pg.cpu_s, pg.exceptions);
    printf(" errors=%d\n", problems);
    fflush(stdout);
    if (nv)
        fprintf(stderr,
                "   %u viewers (each its own address) got %zu board events; %zu of %u the last version (%llu)\n"
                "   latency (arrival - change) of %zu events (not the first on connecting, not the %zu versions\n"
                "   sent twice): median %.1f ms, p95 %.1f ms, max %.1f ms; %zu changes were shown only by a\n"
                "   later one: the oldest change an event was the first to show, p95 %.1f ms, max %.1f ms\n"
                "   GET /api/day (%.1f KB) under that load, once per viewer: median %.0f ms, max %.0f ms\n",
                nv, total, saw_final, nv, (unsigned long long)final, nlat, duplicates, lat_med, lat_p95, lat_max,
                coalesced, age_p95, age_max, (double)day_bytes / 1e3, day_med, day_max);
    if (nt)
        fprintf(stderr, "   %u teams x %u attempts%s: %u answered in %.2f s (each: median %.0f ms, max %.0f ms)\n",
                nt, na, pause_ms > 0 ? ", paced" : " at once", attempts_ok, att_s, att_med, att_max);
    fprintf(stderr, "   the server: %.2f CPU s over the %.2f s of the load, peak memory %ld KiB, %ld threads\n", cpu_s,
            load_s, hwm, threads);
    if (stop_s < 0)
        fprintf(stderr, "   SIGTERM with %zu viewers connected: still running after 10 s (killed)\n", still);
    else
        fprintf(stderr, "   SIGTERM with %zu viewers connected: exit status %d after %.3f s, %zu of %u streams ended\n",
                still, code, stop_s, streams_ended, nv);
    if (speed > 0 && pg.frames >= 0) {
        fprintf(stderr, "   the live page at speed %g: %s after %.1f s, %ld frames (%.1f a second), %ld slow (more\n"
                        "   than 50 ms), the longest gap %ld ms; the browser used %.1f CPU s\n",
                speed, pg.finished ? "the day ended" : "NOT finished", pg.play_s, pg.frames,
                pg.play_s > 0 ? (double)pg.frames / pg.play_s : 0.0, pg.slow, pg.max_gap, pg.cpu_s);
        size_t i;
        json_t *g;
        json_array_foreach(pg.gaps, i, g) {
            fprintf(stderr, "%s%.1f s (%lld ms)", i ? ", " : "   slow frames at (s after the first, gap): ",
                    json_number_value(json_array_get(g, 0)), json_integer_value(json_array_get(g, 1)));
            if (i == 19 && json_array_size(pg.gaps) > 20) {
                fprintf(stderr, " ... %zu more", json_array_size(pg.gaps) - 20);
                break;
            }
        }
        if (json_array_size(pg.gaps))
            fputc('\n', stderr);
    }
    json_decref(pg.gaps);
    for (unsigned i = 0; i < nv; i++)
        free(vs[i].ev);
    for (unsigned i = 0; i < nt; i++)
        free(ts[i].ms);
    free(vs), free(vt), free(dt), free(ts), free(tt), free(lat), free(age), free(when), free(days), free(atts);
    close(sv.err_fd);
    return 0;
}
