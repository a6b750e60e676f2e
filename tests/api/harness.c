/*
 * harness: process control with fork/exec and a log file polled every 20 ms; HTTP
 * with libcurl's easy interface, collecting headers and body into growable buffers.
 */
#include "harness.h"

#include <curl/curl.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define LOG_MAX (1 << 20)

static const char *bin_path(void)
{
    const char *b = getenv("PRAKERJA_BIN");
    return b && *b ? b : NULL;
}

/* Runs argv with stdout/stderr appended to logpath; returns the child pid or -1. */
static pid_t spawn(char *const argv[], const char *logpath)
{
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid != 0)
        return pid;
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent)
        _exit(127);
    int fd = open(logpath, O_WRONLY | O_CREAT | O_APPEND, 0600);
    if (fd >= 0) {
        dup2(fd, STDOUT_FILENO);
        dup2(fd, STDERR_FILENO);
        close(fd);
    }
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    execv(argv[0], argv);
    _exit(127);
}

/* The port from the first "http.listening" line in the log, or 0. */
static int find_port(const char *logpath)
{
    FILE *f = fopen(logpath, "r");
    if (!f)
        return 0;
    char line[4096];
    int port = 0;
    while (!port && fgets(line, sizeof line, f)) {
        if (!strstr(line, "\"http.listening\""))
            continue;
        const char *p = strstr(line, "\"port\":\"");
        if (p)
            port = atoi(p + 8);
    }
    fclose(f);
    return port > 0 && port < 65536 ? port : 0;
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    return remove(path);
}

int harness_start(struct harness *h, const char *const *extra_args)
{
    memset(h, 0, sizeof *h);
    h->pid = -1;
    const char *bin = bin_path();
    if (!bin) {
        fprintf(stderr, "harness: PRAKERJA_BIN is not set\n");
        return -1;
    }
    snprintf(h->dir, sizeof h->dir, "/tmp/pk-api-XXXXXX");
    if (!mkdtemp(h->dir)) {
        perror("harness: mkdtemp");
        return -1;
    }
    snprintf(h->db, sizeof h->db, "%s/test.db", h->dir);
    snprintf(h->log, sizeof h->log, "%s/server.log", h->dir);

    char *init[] = {(char *)bin, "db", "init", "--db", h->db, NULL};
    int st = 0;
    pid_t p = spawn(init, h->log);
    if (p < 0 || waitpid(p, &st, 0) != p || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        fprintf(stderr, "harness: `%s db init` failed (see %s)\n", bin, h->log);
        return -1;
    }

    char *argv[64] = {(char *)bin, "serve", "--db", h->db, "--port", "0", "--bind", "127.0.0.1"};
    int argc = 8;
    for (int i = 0; extra_args && extra_args[i] && argc < 63; i++)
        argv[argc++] = (char *)extra_args[i];
    argv[argc] = NULL;
    h->pid = spawn(argv, h->log);
    if (h->pid < 0) {
        perror("harness: fork");
        return -1;
    }
    for (int waited = 0; waited < 10000; waited += 20) {
        if ((h->port = find_port(h->log)) > 0)
            return 0;
        if (waitpid(h->pid, &st, WNOHANG) == h->pid) {
            h->pid = -1;
            fprintf(stderr, "harness: server exited before listening (see %s)\n", h->log);
            return -1;
        }
        sleep_ms(20);
    }
    fprintf(stderr, "harness: no http.listening line within 10 s (see %s)\n", h->log);
    return -1;
}

int harness_stop(struct harness *h)
{
    int rc = 0;
    if (h->pid > 0) {
        kill(h->pid, SIGTERM);
        int st = 0, waited = 0;
        while (waitpid(h->pid, &st, WNOHANG) == 0) {
            if (waited >= 10000) {
                kill(h->pid, SIGKILL);
                waitpid(h->pid, &st, 0);
                break;
            }
            sleep_ms(10);
            waited += 10;
        }
        h->exit_status = st;
        rc = WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
        h->pid = -1;
    }
    if (h->dir[0] && !getenv("HARNESS_KEEP"))
        nftw(h->dir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
    h->dir[0] = '\0';
    return rc;
}

struct sink {
    char *data;
    size_t len, cap;
};

static size_t sink_write(char *p, size_t size, size_t n, void *arg)
{
    struct sink *s = arg;
    size_t add = size * n;
    if (s->len + add + 1 > LOG_MAX * 16)
        return 0;
    if (s->len + add + 1 > s->cap) {
        size_t cap = s->cap ? s->cap : 1024;
        while (cap < s->len + add + 1)
            cap *= 2;
        char *d = realloc(s->data, cap);
        if (!d)
            return 0;
        s->data = d;
        s->cap = cap;
    }
    memcpy(s->data + s->len, p, add);
    s->len += add;
    s->data[s->len] = '\0';
    return add;
}

int harness_request(struct harness *h, const char *method, const char *path,
                    const char *content_type, const char *body, size_t body_len,
                    const char *const *headers, struct harness_reply *out)
{
    memset(out, 0, sizeof *out);
    CURL *c = curl_easy_init();
    if (!c)
        return -1;
    char url[2048], ct[512];
    snprintf(url, sizeof url, "http://127.0.0.1:%d%s", h->port, path);
    struct curl_slist *hl = curl_slist_append(NULL, "Expect:");
    if (content_type) {
        snprintf(ct, sizeof ct, "Content-Type: %s", content_type);
        hl = curl_slist_append(hl, ct);
    } else {
        hl = curl_slist_append(hl, "Content-Type:");
    }
    for (int i = 0; headers && headers[i]; i++)
        hl = curl_slist_append(hl, headers[i]);
    struct sink hs = {0}, bs = {0};
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, hl);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 20L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, sink_write);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &hs);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, sink_write);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &bs);
    if (strcmp(method, "HEAD") == 0)
        curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
    else
        curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    if (body) {
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body_len);
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
    }
    CURLcode rc = curl_easy_perform(c);
    if (rc == CURLE_OK)
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out->status);
    else
        fprintf(stderr, "harness: %s %s: %s\n", method, path, curl_easy_strerror(rc));
    curl_slist_free_all(hl);
    curl_easy_cleanup(c);
    out->headers = hs.data ? hs.data : calloc(1, 1);
    out->body = bs.data ? bs.data : calloc(1, 1);
    out->body_len = bs.len;
    return rc == CURLE_OK ? 0 : -1;
}

const char *harness_header(const struct harness_reply *r, const char *name, char *out,
                           size_t outlen)
{
    size_t nlen = strlen(name);
    const char *line = r->headers;
    while (line && *line) {
        const char *end = strstr(line, "\r\n");
        size_t llen = end ? (size_t)(end - line) : strlen(line);
        if (llen > nlen && line[nlen] == ':' && strncasecmp(line, name, nlen) == 0) {
            const char *v = line + nlen + 1;
            while (*v == ' ')
                v++;
            size_t vlen = (size_t)(line + llen - v);
            if (vlen >= outlen)
                vlen = outlen - 1;
            memcpy(out, v, vlen);
            out[vlen] = '\0';
            return out;
        }
        line = end ? end + 2 : NULL;
    }
    return NULL;
}

void harness_reply_free(struct harness_reply *r)
{
    free(r->headers);
    free(r->body);
    memset(r, 0, sizeof *r);
}
