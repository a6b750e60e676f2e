/*
 * server: the HTTP front of prakerja, built like Bitcoin Core's HTTP server on
 * libevent's evhttp.
 *
 * http_serve() binds cfg->loops listening sockets to one address and port with
 * SO_REUSEPORT (the first picks the port when cfg->port is 0, the rest take the
 * same), so the kernel spreads connections over the loops. Each loop is a thread
 * running its own event_base and evhttp. When evhttp has read a whole request, the
 * loop copies it into a `job` (method, decoded path, query, headers, body, request
 * id, language: all in the job's arena), matches the route table and either replies
 * at once (404, 405, 413, 400, or 503 when the worker queue is full) or queues the
 * job for the worker pool. A worker runs the handler with its own database
 * connection, then appends the job to its loop's reply list and wakes the loop with
 * event_active; the loop sends the reply with evhttp_send_reply, records metrics,
 * logs one line and frees the job. Handlers never touch libevent.
 *
 * evhttp's own body limit is set above body_max (to a hard cap) so bodies between
 * the two are read and answered with a 413 problem here; evhttp answers bodies
 * past the hard cap with its own 413 page and drops the connection.
 *
 * SIGINT and SIGTERM are blocked in every thread and taken by sigwait() in the
 * calling thread. Stopping closes the listeners, lets the workers finish the queue,
 * gives the loops a moment to flush replies, then frees everything.
 */
#include "http/internal.h"

#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/queue.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <event2/thread.h>

#include "api/reply.h"
#include "store/db.h"
#include "util/log.h"

#define REPLY_MAX (32u << 20)
#define HARD_BODY_MIN (256u << 10)

struct loop;

struct job {
    struct job *next;
    struct loop *loop;
    struct evhttp_request *evreq;
    http_handler handler;
    int is_static;
    int cache_immutable;
    struct timespec start;
    struct http_req req;
};

struct loop {
    struct server *srv;
    struct event_base *base;
    struct evhttp *http;
    struct evhttp_bound_socket *bound;
    struct event *reply_ev;
    pthread_mutex_t lock;
    struct job *head, *tail;
    pthread_t thread;
    int started;
};

struct server {
    struct http_config cfg;
    struct loop *loops;
    int nloops;
    pthread_t *workers;
    int nworkers;
    pthread_mutex_t qlock;
    pthread_cond_t qcond;
    struct job *qhead, *qtail;
    int qlen;
    int stopping;
};

const char *http_header(const struct http_req *req, const char *name)
{
    for (int i = 0; i < req->nheaders; i++)
        if (strcasecmp(req->headers[i].name, name) == 0)
            return req->headers[i].value;
    return NULL;
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Percent-decodes s[0..n) into the arena; plus_space turns '+' into ' '.
 * Returns NULL for a bad escape, an escaped NUL or a control character. */
static char *pct_decode(arena *a, const char *s, size_t n, int plus_space)
{
    char *d = arena_alloc(a, n + 1);
    size_t j = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '%') {
            int hi = i + 1 < n ? hexval((unsigned char)s[i + 1]) : -1;
            int lo = i + 2 < n ? hexval((unsigned char)s[i + 2]) : -1;
            if (hi < 0 || lo < 0)
                return NULL;
            c = (unsigned char)(hi * 16 + lo);
            if (c == 0)
                return NULL;
            i += 2;
        } else if (c == '+' && plus_space) {
            c = ' ';
        } else if (c < 0x20 || c == 0x7f) {
            return NULL;
        }
        d[j++] = (char)c;
    }
    d[j] = '\0';
    return d;
}

const char *http_query(struct http_req *req, const char *name)
{
    const char *s = req->query ? req->query : "";
    while (*s) {
        size_t n = strcspn(s, "&");
        const char *eq = memchr(s, '=', n);
        size_t klen = eq ? (size_t)(eq - s) : n;
        char *key = pct_decode(req->arena, s, klen, 1);
        if (key && strcmp(key, name) == 0)
            return eq ? pct_decode(req->arena, eq + 1, n - klen - 1, 1) : "";
        s += n;
        if (*s == '&')
            s++;
    }
    return NULL;
}

static int method_of(enum evhttp_cmd_type t)
{
    switch (t) {
    case EVHTTP_REQ_GET: return HTTP_GET;
    case EVHTTP_REQ_POST: return HTTP_POST;
    case EVHTTP_REQ_PUT: return HTTP_PUT;
    case EVHTTP_REQ_DELETE: return HTTP_DELETE;
    case EVHTTP_REQ_PATCH: return HTTP_PATCH;
    case EVHTTP_REQ_HEAD: return HTTP_HEAD;
    case EVHTTP_REQ_OPTIONS: return HTTP_OPTIONS;
    default: return 0;
    }
}

static const char *request_id_of(arena *a, const char *given)
{
    if (given) {
        size_t n = strspn(given, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-");
        if (n >= 1 && n <= 64 && given[n] == '\0')
            return arena_strdup(a, given);
    }
    unsigned char r[8];
    if (getrandom(r, sizeof r, 0) != (ssize_t)sizeof r)
        memset(r, 0, sizeof r);
    static const char hex[] = "0123456789abcdef";
    char *id = arena_alloc(a, 17);
    for (int i = 0; i < 8; i++) {
        id[2 * i] = hex[r[i] >> 4];
        id[2 * i + 1] = hex[r[i] & 15];
    }
    return id;
}

/* "en" when the first language listed is English, else "id". */
static const char *lang_of(const char *al)
{
    if (!al)
        return "id";
    while (*al == ' ' || *al == '\t')
        al++;
    size_t n = strcspn(al, ",; \t");
    if ((n == 2 || (n > 2 && al[2] == '-')) && strncasecmp(al, "en", 2) == 0)
        return "en";
    return "id";
}

static double seconds_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static void job_free(struct job *j)
{
    buf_free(&j->req.out);
    arena_free(j->req.arena);
    free(j);
}

/* Sends the job's reply on its loop, records it and frees the job. */
static void send_reply(struct job *j)
{
    struct http_req *req = &j->req;
    struct evkeyvalq *h = evhttp_request_get_output_headers(j->evreq);
    char num[32];
    if (req->status < 100 || req->status > 599)
        api_problem_status(req, 500, "internal", NULL);
    evhttp_add_header(h, "Content-Type", req->content_type ? req->content_type : "application/json");
    evhttp_add_header(h, "X-Request-Id", req->request_id);
    evhttp_add_header(h, "X-Content-Type-Options", "nosniff");
    if (req->retry_after > 0) {
        snprintf(num, sizeof num, "%d", req->retry_after);
        evhttp_add_header(h, "Retry-After", num);
    }
    if (req->allow)
        evhttp_add_header(h, "Allow", req->allow);
    if (req->location)
        evhttp_add_header(h, "Location", req->location);
    if (j->cache_immutable)
        evhttp_add_header(h, "Cache-Control", "public, max-age=31536000, immutable");
    struct evbuffer *body = NULL;
    if (req->method == HTTP_HEAD) {
        snprintf(num, sizeof num, "%zu", req->out.len);
        evhttp_add_header(h, "Content-Length", num);
    } else if (req->status != 204 && req->status != 304) {
        body = evbuffer_new();
        if (body && req->out.len)
            evbuffer_add(body, req->out.data, req->out.len);
    }
    evhttp_send_reply(j->evreq, req->status, NULL, body);
    if (body)
        evbuffer_free(body);

    double secs = seconds_since(&j->start);
    http_metrics_observe(req->route, req->method, req->status, secs);
    char status[16], ms[32];
    snprintf(status, sizeof status, "%d", req->status);
    snprintf(ms, sizeof ms, "%.3f", secs * 1000.0);
    log_kv(LOG_INFO, "http.request", "method", http_method_name(req->method), "route",
           req->route ? req->route : "-", "status", status, "ms", ms, "request_id",
           req->request_id, NULL);
    job_free(j);
}

static void reply_cb(evutil_socket_t fd, short what, void *arg)
{
    struct loop *l = arg;
    pthread_mutex_lock(&l->lock);
    struct job *j = l->head;
    l->head = l->tail = NULL;
    pthread_mutex_unlock(&l->lock);
    while (j) {
        struct job *next = j->next;
        send_reply(j);
        j = next;
    }
}

static void post_reply(struct job *j)
{
    struct loop *l = j->loop;
    j->next = NULL;
    pthread_mutex_lock(&l->lock);
    if (l->tail)
        l->tail->next = j;
    else
        l->head = j;
    l->tail = j;
    pthread_mutex_unlock(&l->lock);
    event_active(l->reply_ev, EV_TIMEOUT, 0);
}

/* Queues j for a worker; 0, or -1 when the queue is full or stopping. */
static int enqueue(struct server *s, struct job *j)
{
    int rc = -1;
    pthread_mutex_lock(&s->qlock);
    if (!s->stopping && s->qlen < s->cfg.queue_max) {
        j->next = NULL;
        if (s->qtail)
            s->qtail->next = j;
        else
            s->qhead = j;
        s->qtail = j;
        s->qlen++;
        pthread_cond_signal(&s->qcond);
        rc = 0;
    }
    pthread_mutex_unlock(&s->qlock);
    return rc;
}

static void *worker_main(void *arg)
{
    struct server *s = arg;
    db *d = NULL;
    if (s->cfg.db_addr) {
        char err[256] = "";
        if (db_open(s->cfg.db_addr, &d, err, sizeof err) != DB_OK) {
            log_kv(LOG_ERROR, "http.worker_db_open", "error", err, NULL);
            d = NULL;
        }
    }
    for (;;) {
        pthread_mutex_lock(&s->qlock);
        while (!s->qhead && !s->stopping)
            pthread_cond_wait(&s->qcond, &s->qlock);
        struct job *j = s->qhead;
        if (j) {
            s->qhead = j->next;
            if (!s->qhead)
                s->qtail = NULL;
            s->qlen--;
        }
        pthread_mutex_unlock(&s->qlock);
        if (!j)
            break;
        j->req.db = d;
        j->req.app = s->cfg.app;
        if (j->is_static)
            http_static_serve(s->cfg.static_root, &j->req, &j->cache_immutable);
        else
            j->handler(&j->req);
        post_reply(j);
    }
    db_close(d);
    return NULL;
}

/* Copies the evhttp request into j->req; on bad input it has already set a
 * problem reply and returns -1. */
static int read_request(struct server *s, struct job *j, struct evhttp_request *evreq)
{
    struct http_req *req = &j->req;
    struct evkeyvalq *in = evhttp_request_get_input_headers(evreq);
    struct evkeyval *kv;
    int too_many = 0;
    TAILQ_FOREACH(kv, in, next) {
        if (req->nheaders >= HTTP_MAX_HEADERS) {
            too_many = 1;
            break;
        }
        req->headers[req->nheaders].name = arena_strdup(req->arena, kv->key);
        req->headers[req->nheaders].value = arena_strdup(req->arena, kv->value);
        req->nheaders++;
    }
    req->request_id = request_id_of(req->arena, http_header(req, "X-Request-Id"));
    req->lang = lang_of(http_header(req, "Accept-Language"));
    req->query = "";
    req->path = "/";
    if (too_many) {
        api_problem_status(req, 400, "bad_request", "too many header fields");
        return -1;
    }
    if (!req->method) {
        req->allow = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS";
        api_problem(req, "method_not_allowed", NULL);
        return -1;
    }
    const struct evhttp_uri *uri = evhttp_request_get_evhttp_uri(evreq);
    const char *raw = uri ? evhttp_uri_get_path(uri) : NULL;
    if (raw && *raw) {
        char *p = pct_decode(req->arena, raw, strlen(raw), 0);
        if (!p || p[0] != '/') {
            api_problem_status(req, 400, "bad_request", "invalid path");
            return -1;
        }
        req->path = p;
    }
    const char *q = uri ? evhttp_uri_get_query(uri) : NULL;
    if (q)
        req->query = arena_strdup(req->arena, q);

    const char *cl = http_header(req, "Content-Length");
    struct evbuffer *inbuf = evhttp_request_get_input_buffer(evreq);
    size_t len = evbuffer_get_length(inbuf);
    if (len > s->cfg.body_max || (cl && strtoull(cl, NULL, 10) > s->cfg.body_max)) {
        api_problem(req, "payload_too_large", NULL);
        return -1;
    }
    char *body = arena_alloc(req->arena, len + 1);
    if (len)
        evbuffer_copyout(inbuf, body, len);
    body[len] = '\0';
    req->body = body;
    req->body_len = len;
    return 0;
}

static void request_cb(struct evhttp_request *evreq, void *arg)
{
    struct loop *l = arg;
    struct server *s = l->srv;
    struct job *j = calloc(1, sizeof *j);
    if (!j) {
        evhttp_send_error(evreq, 503, NULL);
        return;
    }
    clock_gettime(CLOCK_MONOTONIC, &j->start);
    j->loop = l;
    j->evreq = evreq;
    struct http_req *req = &j->req;
    req->arena = arena_new(0);
    buf_init(&req->out, REPLY_MAX);
    req->method = method_of(evhttp_request_get_command(evreq));
    if (read_request(s, j, evreq) < 0) {
        send_reply(j);
        return;
    }
    char allow[96];
    int r = http_route_match(s->cfg.routes, req, s->cfg.static_root != NULL, &j->handler,
                             allow, sizeof allow);
    if (r == HTTP_ROUTE_NOT_FOUND) {
        api_problem(req, "not_found", NULL);
        send_reply(j);
        return;
    }
    if (r == HTTP_ROUTE_BAD_METHOD) {
        req->allow = arena_strdup(req->arena, allow);
        api_problem(req, "method_not_allowed", NULL);
        send_reply(j);
        return;
    }
    j->is_static = r == HTTP_ROUTE_STATIC;
    if (enqueue(s, j) < 0) {
        req->retry_after = 1;
        api_problem_status(req, 503, "overloaded", NULL);
        send_reply(j);
    }
}

/* A listening socket on addr:port with SO_REUSEPORT; -1 on failure (logged). */
static int listen_on(const char *addr, int port, int *bound_port)
{
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
                             .ai_flags = AI_PASSIVE | AI_NUMERICSERV}, *res = NULL;
    char portstr[16];
    snprintf(portstr, sizeof portstr, "%d", port);
    int rc = getaddrinfo(addr, portstr, &hints, &res);
    if (rc != 0) {
        log_kv(LOG_ERROR, "http.bind_failed", "addr", addr, "error", gai_strerror(rc), NULL);
        return -1;
    }
    int fd = socket(res->ai_family, res->ai_socktype | SOCK_CLOEXEC, res->ai_protocol);
    int one = 1;
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0 ||
        setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one) < 0 ||
        bind(fd, res->ai_addr, res->ai_addrlen) < 0 || listen(fd, 1024) < 0 ||
        evutil_make_socket_nonblocking(fd) < 0) {
        char p[16];
        snprintf(p, sizeof p, "%d", port);
        log_kv(LOG_ERROR, "http.bind_failed", "addr", addr, "port", p, "error", strerror(errno),
               NULL);
        if (fd >= 0)
            close(fd);
        freeaddrinfo(res);
        return -1;
    }
    freeaddrinfo(res);
    struct sockaddr_storage ss;
    socklen_t sl = sizeof ss;
    if (getsockname(fd, (struct sockaddr *)&ss, &sl) == 0)
        *bound_port = ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
                                                     : ((struct sockaddr_in *)&ss)->sin_port);
    return fd;
}

static void *loop_main(void *arg)
{
    struct loop *l = arg;
    event_base_loop(l->base, EVLOOP_NO_EXIT_ON_EMPTY);
    return NULL;
}

static void unlisten_cb(evutil_socket_t fd, short what, void *arg)
{
    struct loop *l = arg;
    if (l->bound) {
        evhttp_del_accept_socket(l->http, l->bound);
        l->bound = NULL;
    }
}

static int loop_init(struct server *s, struct loop *l, int fd)
{
    l->srv = s;
    pthread_mutex_init(&l->lock, NULL);
    l->base = event_base_new();
    if (!l->base)
        return -1;
    l->http = evhttp_new(l->base);
    l->reply_ev = event_new(l->base, -1, 0, reply_cb, l);
    if (!l->http || !l->reply_ev)
        return -1;
    size_t hard = s->cfg.body_max * 4;
    if (hard < HARD_BODY_MIN)
        hard = HARD_BODY_MIN;
    evhttp_set_max_body_size(l->http, (ev_ssize_t)hard);
    evhttp_set_max_headers_size(l->http, (ev_ssize_t)s->cfg.header_max);
    evhttp_set_timeout(l->http, s->cfg.idle_timeout);
    evhttp_set_flags(l->http, EVHTTP_SERVER_LINGERING_CLOSE);
    evhttp_set_allowed_methods(l->http, EVHTTP_REQ_GET | EVHTTP_REQ_POST | EVHTTP_REQ_PUT |
                                            EVHTTP_REQ_DELETE | EVHTTP_REQ_PATCH |
                                            EVHTTP_REQ_HEAD | EVHTTP_REQ_OPTIONS);
    evhttp_set_gencb(l->http, request_cb, l);
    l->bound = evhttp_accept_socket_with_handle(l->http, fd);
    if (!l->bound) {
        close(fd);
        return -1;
    }
    return 0;
}

static void loop_free(struct loop *l)
{
    if (l->http)
        evhttp_free(l->http);
    if (l->reply_ev)
        event_free(l->reply_ev);
    if (l->base)
        event_base_free(l->base);
    pthread_mutex_destroy(&l->lock);
}

static void use_pthreads(void)
{
    evthread_use_pthreads();
}

static int ncores(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 && n < 1024 ? (int)n : 1;
}

int http_serve(const struct http_config *cfg)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, use_pthreads);
    struct server s;
    memset(&s, 0, sizeof s);
    s.cfg = *cfg;
    if (!s.cfg.bind)
        s.cfg.bind = "127.0.0.1";
    if (s.cfg.loops <= 0)
        s.cfg.loops = ncores();
    if (s.cfg.workers <= 0)
        s.cfg.workers = 2 * ncores();
    if (s.cfg.queue_max <= 0)
        s.cfg.queue_max = 1024;
    if (!s.cfg.body_max)
        s.cfg.body_max = 64 * 1024;
    if (!s.cfg.header_max)
        s.cfg.header_max = 8 * 1024;
    if (s.cfg.idle_timeout <= 0)
        s.cfg.idle_timeout = 30;
    if (s.cfg.port < 0 || s.cfg.port > 65535 || s.cfg.loops > 256 || s.cfg.workers > 1024) {
        log_kv(LOG_ERROR, "http.bad_config", NULL);
        return -1;
    }
    pthread_mutex_init(&s.qlock, NULL);
    pthread_cond_init(&s.qcond, NULL);

    sigset_t stopset, oldset;
    sigemptyset(&stopset);
    sigaddset(&stopset, SIGINT);
    sigaddset(&stopset, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stopset, &oldset);
    signal(SIGPIPE, SIG_IGN);

    int rc = -1, port = s.cfg.port;
    s.loops = calloc((size_t)s.cfg.loops, sizeof *s.loops);
    s.workers = calloc((size_t)s.cfg.workers, sizeof *s.workers);
    if (!s.loops || !s.workers)
        goto out;
    for (int i = 0; i < s.cfg.loops; i++) {
        int fd = listen_on(s.cfg.bind, port, &port);
        if (fd < 0)
            goto out;
        s.nloops++;
        if (loop_init(&s, &s.loops[i], fd) < 0) {
            log_kv(LOG_ERROR, "http.loop_failed", NULL);
            goto out;
        }
    }
    for (int i = 0; i < s.cfg.workers; i++) {
        if (pthread_create(&s.workers[i], NULL, worker_main, &s) != 0)
            goto out;
        s.nworkers++;
    }
    for (int i = 0; i < s.nloops; i++) {
        if (pthread_create(&s.loops[i].thread, NULL, loop_main, &s.loops[i]) != 0)
            goto out;
        s.loops[i].started = 1;
    }
    char portstr[16], nl[16], nw[16];
    snprintf(portstr, sizeof portstr, "%d", port);
    snprintf(nl, sizeof nl, "%d", s.nloops);
    snprintf(nw, sizeof nw, "%d", s.nworkers);
    log_kv(LOG_INFO, "http.listening", "addr", s.cfg.bind, "port", portstr, "loops", nl,
           "workers", nw, NULL);
    int sig = 0;
    while (sigwait(&stopset, &sig) != 0)
        ;
    log_kv(LOG_INFO, "http.stopping", "signal", sig == SIGINT ? "SIGINT" : "SIGTERM", NULL);
    rc = 0;
out:
    for (int i = 0; i < s.nloops; i++)
        if (s.loops[i].started)
            event_base_once(s.loops[i].base, -1, EV_TIMEOUT, unlisten_cb, &s.loops[i], NULL);
    pthread_mutex_lock(&s.qlock);
    s.stopping = 1;
    pthread_cond_broadcast(&s.qcond);
    pthread_mutex_unlock(&s.qlock);
    for (int i = 0; i < s.nworkers; i++)
        pthread_join(s.workers[i], NULL);
    struct timeval flush = {0, 200000};
    for (int i = 0; i < s.nloops; i++)
        if (s.loops[i].started)
            event_base_loopexit(s.loops[i].base, &flush);
    for (int i = 0; i < s.nloops; i++)
        if (s.loops[i].started)
            pthread_join(s.loops[i].thread, NULL);
    for (int i = 0; i < s.nloops; i++)
        loop_free(&s.loops[i]);
    free(s.loops);
    free(s.workers);
    pthread_mutex_destroy(&s.qlock);
    pthread_cond_destroy(&s.qcond);
    pthread_sigmask(SIG_SETMASK, &oldset, NULL);
    if (rc == 0)
        log_kv(LOG_INFO, "http.stopped", NULL);
    return rc;
}
