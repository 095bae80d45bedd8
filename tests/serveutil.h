/* tests/serveutil.h — for the tests of cxsim serve: start one on a free
 * port (its code, key and port read from what it prints), stop it as Ctrl-C
 * does, and a small HTTP/1.0 client of the tests' own (nothing to
 * install). Static functions, for the test files that include it.
 */
#ifndef TESTS_SERVEUTIL_H
#define TESTS_SERVEUTIL_H

#include "tests/testutil.h"

#include <arpa/inet.h>
#include <jansson.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>

#define TMP(name) CXSIM_TEST_TMP "/serve-" name

struct server {
    pid_t pid;
    unsigned port;
    char code[16], key[64];
};

/* Starts cxsim serve on a free port; reads its code, key and port. */
static inline void start(struct server *sv, const char *args)
{
    const char *bin = getenv("CXSIM_BIN");
    char cmd[1024];
    unlink(TMP("err"));
    snprintf(cmd, sizeof cmd, "exec %s serve --listen 127.0.0.1:0 %s 2>%s >/dev/null", bin ? bin : "./cxsim", args,
             TMP("err"));
    sv->pid = fork();
    assert_true(sv->pid >= 0);
    if (sv->pid == 0) {
        execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
        _exit(127);
    }
    char text[4096] = "";
    for (int i = 0; i < 600 && !strstr(text, "Ctrl-C"); i++) {   /* up to a minute (valgrind) */
        nanosleep(&(struct timespec){0, 100000000}, NULL);
        FILE *f = fopen(TMP("err"), "r");
        if (f) {
            size_t n = fread(text, 1, sizeof text - 1, f);
            text[n] = '\0';
            fclose(f);
        }
    }
    const char *room = strstr(text, "room "), *at = strstr(text, "http://127.0.0.1:"), *key = strstr(text, "key=");
    if (!room || !at || !key) {
        print_error("serve did not start:\n%s\n", text);
        fail();
    }
    assert_int_equal(sscanf(room, "room %15s", sv->code), 1);
    assert_int_equal(sscanf(at, "http://127.0.0.1:%u/", &sv->port), 1);
    assert_int_equal(sscanf(key, "key=%63[0-9a-f]", sv->key), 1);
}

/* Ctrl-C; its exit status. */
static inline int stop(struct server *sv)
{
    kill(sv->pid, SIGINT);
    int status = 0;
    for (int i = 0; i < 300; i++) {   /* up to 30 s */
        if (waitpid(sv->pid, &status, WNOHANG) == sv->pid)
            return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        nanosleep(&(struct timespec){0, 100000000}, NULL);
    }
    kill(sv->pid, SIGKILL);
    waitpid(sv->pid, &status, 0);
    return -1;
}

static inline int connect_to(unsigned port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
    assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
    return fd;
}

/* Sends raw bytes and reads the answer whole: its status, its body. */
static inline int exchange(unsigned port, const char *raw, size_t len, char *body, size_t cap)
{
    int fd = connect_to(port);
    for (size_t sent = 0; sent < len;) {
        ssize_t n = send(fd, raw + sent, len - sent, MSG_NOSIGNAL);
        if (n <= 0)
            break;   /* the server may answer (413) before reading it all */
        sent += (size_t)n;
    }
    static char buf[1 << 20];
    size_t got = 0;
    ssize_t n;
    while (got + 1 < sizeof buf && (n = recv(fd, buf + got, sizeof buf - 1 - got, 0)) > 0)
        got += (size_t)n;
    buf[got] = '\0';
    close(fd);
    int status = 0;
    sscanf(buf, "HTTP/1.%*d %d", &status);
    const char *start = strstr(buf, "\r\n\r\n");
    snprintf(body, cap, "%s", start ? start + 4 : "");
    return status;
}

static inline int http(unsigned port, const char *method, const char *path, const char *json, char *body, size_t cap)
{
    static char raw[1 << 16];
    int n = snprintf(raw, sizeof raw, "%s %s HTTP/1.0\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                     "Content-Length: %zu\r\n\r\n%s", method, path, json ? strlen(json) : 0, json ? json : "");
    return exchange(port, raw, (size_t)n, body, cap);
}

static inline double number_in(const char *json, const char *a, const char *b)
{
    json_error_t e;
    json_t *j = json_loads(json, 0, &e);
    assert_non_null(j);
    json_t *v = json_object_get(j, a);
    if (b)
        v = json_object_get(v, b);
    double x = json_number_value(v);
    json_decref(j);
    return x;
}

#endif
