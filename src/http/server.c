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
 * connections (struct worker_db), then appends the job to its loop's reply list;
 * the loop sends the reply with evhttp_send_reply, records metrics, logs one line
 * and keeps the job (arena and reply buffer emptied) for a later request.
 * Handlers never touch libevent.
 *
 * Every hand-off between threads costs a wake-up, and on a machine of few cores
 * the wake-ups cost more than the work, so they are spared where the consumer is
 * awake anyway (measured on 2 cores for GET /api/v1/regions/35.09, with the
 * handler's own savings in api/: 75-80 -> about 50 us of CPU per request):
 *   - a reply wakes its loop only when it finds the loop's reply list empty (a
 *     non-empty list has a wake-up pending that sends it too, and one wake-up
 *     sends every reply ready by then), by writing the loop's own eventfd:
 *     event_active would take the event base's lock, which the loop holds
 *     whenever it is not polling;
 *   - sleeping workers wait on their own semaphores in a stack, the latest on
 *     top (its cache is the warmest). Jobs queued during one pass of a loop
 *     wake workers once, after the pass's other callbacks (wake_ev): waking at
 *     the first job had the worker take it, find the queue empty before the
 *     loop parsed the next request, sleep and be woken again (1.4 context
 *     switches per request for a short handler; now 0.2). A worker is
 *     woken only when the queue holds more jobs than there are workers awake,
 *     and at most `active` (the number of cores) are woken for queue length
 *     alone: an awake worker looks at the queue before it sleeps. The other
 *     workers are spares for slow handlers (password hashing): when every awake
 *     worker has been inside one handler for WORKER_STUCK_NS, queued jobs wake a
 *     spare, at the end of a pass or from the loop's spare timer, which looks
 *     again after WORKER_STUCK_NS while jobs wait. Semaphores are posted after
 *     qlock is released, so a woken worker does not block on it at once;
 *   - each loop's event base batches its epoll changes (EPOLL_USE_CHANGELIST), so
 *     a connection's read and write interest set in one pass is one epoll_ctl;
 *   - the per-request log line goes to the loop's log buffer (util/log.h), written
 *     within LOG_FLUSH_MS, when it fills, and when the loop stops;
 *   - Date and Content-Length are added here (the date formatted once a second),
 *     so evhttp skips its own snprintf-based ones; request ids come from a
 *     per-thread generator instead of a getrandom call each; jobs, with their
 *     arenas and reply buffers, are kept per loop and reused.
 *
 * evhttp's own body limit is set above body_max (to a hard cap) so bodies between
 * the two are read and answered with a 413 problem here; evhttp answers bodies
 * past the hard cap with its own 413 page and drops the connection.
 *
 * SIGINT and SIGTERM are blocked in every thread and taken by sigwait() in the
 * calling thread. Stopping closes the listeners, lets the workers finish the queue,
 * gives the loops a moment to flush replies and log lines, then frees everything.
 */
#include "http/internal.h"

#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stddef.h>
#include <pthread.h>
#include <semaphore.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/queue.h>
#include <sys/eventfd.h>
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
#define JOB_ARENA_BLOCK 4096       /* most requests fit in one block */
#define JOB_POOL_MAX 128           /* idle jobs a loop keeps for reuse */
#define JOB_OUT_KEEP (64u << 10)   /* reply buffers larger than this are not kept */
#define LOG_FLUSH_MS 100           /* buffered log lines wait at most this long */
#define WORKER_DB_RETRY_NS 1000000000LL /* a worker retries a connection it lacks this often */
#define WORKER_STUCK_NS 1000000    /* a handler this long lets a spare worker wake */
#define WAKE_MAX 16                /* workers one pass may wake */

struct loop;

struct job {
    struct job *next;
    struct loop *loop;
    struct evhttp_request *evreq;
    http_handler handler;
    unsigned route_flags;           /* HTTP_ROUTE_* of the matched route */
    int is_static;
    int cache_immutable;
    struct timespec start;
    struct http_req req;
};

struct loop {
    struct server *srv;
    int index;
    struct event_base *base;
    struct evhttp *http;
    struct evhttp_bound_socket *bound;
    int wake_fd;                    /* eventfd: workers posted replies */
    struct event *reply_ev;         /* reads wake_fd */
    struct event *flush_ev;         /* writes buffered log lines */
    int flush_armed;
    struct event *spare_ev;         /* looks again at jobs left waiting */
    int spare_armed;
    struct event *wake_ev;          /* runs wake_workers after this pass's callbacks */
    int wake_pending;               /* wake_ev is active; loop thread only */
    pthread_mutex_t lock;           /* guards head and tail */
    struct job *head, *tail;        /* replies ready to send */
    struct job *pool;               /* idle jobs; loop thread only */
    int npool;
    time_t date_sec;                /* the second whose Date header is in date */
    char date[40];
    pthread_t thread;
    int started;
};

struct worker {
    struct server *srv;
    pthread_t thread;
    struct worker *next_idle;       /* in the idle stack; under qlock */
    int waiting;                    /* in the idle stack; under qlock */
    sem_t wake;                     /* posted once it is taken off the stack */
    _Atomic int64_t busy_since;     /* now_ns() when its handler began; 0 = none */
};

struct server {
    struct http_config cfg;
    struct loop *loops;
    int nloops;
    struct worker *workers;
    int nworkers;
    int active;                     /* workers woken for queue length alone */
    pthread_mutex_t qlock;
    struct job *qhead, *qtail;
    int qlen;
    struct worker *idle;            /* sleeping workers, the latest first */
    int nidle;
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

/* splitmix64: a per-thread generator for request ids, seeded from getrandom. The
 * ids only tell requests apart in logs; they guard nothing. */
static uint64_t next_random(void)
{
    static _Thread_local uint64_t state;
    static _Thread_local int seeded;
    if (!seeded) {
        if (getrandom(&state, sizeof state, 0) != (ssize_t)sizeof state) {
            struct timespec ts;
            clock_gettime(CLOCK_REALTIME, &ts);
            state = (uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 20) ^ (uint64_t)pthread_self();
        }
        seeded = 1;
    }
    uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static const char *request_id_of(arena *a, const char *given)
{
    if (given) {
        size_t n = strspn(given, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-");
        if (n >= 1 && n <= 64 && given[n] == '\0')
            return arena_strdup(a, given);
    }
    static const char hex[] = "0123456789abcdef";
    uint64_t r = next_random();
    char *id = arena_alloc(a, 17);
    for (int i = 15; i >= 0; i--, r >>= 4)
        id[i] = hex[r & 15];
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

/* A job from the loop's pool, or a new one; its arena and reply buffer are empty. */
static struct job *job_get(struct loop *l)
{
    struct job *j = l->pool;
    if (j) {
        l->pool = j->next;
        l->npool--;
        /* Zeroed but for the header array (only req.nheaders of it is read), a
         * kilobyte that memset would spend a tenth of the request's parsing on. */
        arena *a = j->req.arena;
        buf out = j->req.out;
        memset(j, 0, offsetof(struct job, req));
        memset(&j->req, 0, offsetof(struct http_req, headers));
        memset((char *)&j->req + offsetof(struct http_req, status), 0,
               sizeof j->req - offsetof(struct http_req, status));
        j->req.arena = a;
        j->req.out = out;
    } else {
        j = calloc(1, sizeof *j);
        if (!j)
            return NULL;
        j->req.arena = arena_new(JOB_ARENA_BLOCK);
        buf_init(&j->req.out, REPLY_MAX);
    }
    j->loop = l;
    return j;
}

static void job_free(struct job *j)
{
    buf_free(&j->req.out);
    arena_free(j->req.arena);
    free(j);
}

/* Returns a finished job to its loop's pool, or frees it when the pool is full. */
static void job_put(struct job *j)
{
    struct loop *l = j->loop;
    if (l->npool >= JOB_POOL_MAX) {
        job_free(j);
        return;
    }
    arena_reset(j->req.arena);
    if (j->req.out.cap > JOB_OUT_KEEP)
        buf_free(&j->req.out);
    buf_reset(&j->req.out);
    j->next = l->pool;
    l->pool = j;
    l->npool++;
}

/* Decimal text of v into p (room for 21 bytes); returns the length. */
static size_t fmt_u64(char *p, uint64_t v)
{
    char tmp[21];
    size_t n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    for (size_t i = 0; i < n; i++)
        p[i] = tmp[n - 1 - i];
    p[n] = '\0';
    return n;
}

/* Milliseconds with three decimals, like "%.3f" of secs * 1000. */
static void fmt_ms(char *p, double secs)
{
    uint64_t us = secs > 0 ? (uint64_t)(secs * 1e6 + 0.5) : 0;
    size_t n = fmt_u64(p, us / 1000);
    p[n++] = '.';
    p[n++] = (char)('0' + us / 100 % 10);
    p[n++] = (char)('0' + us / 10 % 10);
    p[n++] = (char)('0' + us % 10);
    p[n] = '\0';
}

/* The Date header for now, as evhttp would write it ("Sun, 06 Nov 1994 08:49:37
 * GMT"), formatted once a second per loop instead of once a reply. */
static const char *http_date(struct loop *l)
{
    static const char days[][4] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char months[][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    time_t now = time(NULL);
    if (now != l->date_sec) {
        struct tm tm;
        gmtime_r(&now, &tm);
        snprintf(l->date, sizeof l->date, "%s, %02d %s %04d %02d:%02d:%02d GMT",
                 days[tm.tm_wday % 7], tm.tm_mday, months[tm.tm_mon % 12], tm.tm_year + 1900,
                 tm.tm_hour, tm.tm_min, tm.tm_sec);
        l->date_sec = now;
    }
    return l->date;
}

static void flush_cb(evutil_socket_t fd, short what, void *arg)
{
    struct loop *l = arg;
    l->flush_armed = 0;
    log_flush();
}

static void spare_cb(evutil_socket_t fd, short what, void *arg);

static void arm_spare(struct loop *l)
{
    if (!l->spare_armed) {
        struct timeval tv = {0, WORKER_STUCK_NS / 1000};
        evtimer_add(l->spare_ev, &tv);
        l->spare_armed = 1;
    }
}

/* Sends the job's reply on its loop, records it, logs it and recycles the job. */
static void send_reply(struct job *j)
{
    struct http_req *req = &j->req;
    struct loop *l = j->loop;
    struct evkeyvalq *h = evhttp_request_get_output_headers(j->evreq);
    char num[32];
    if (req->status < 100 || req->status > 599)
        api_problem_status(req, 500, "internal", NULL);
    evhttp_add_header(h, "Content-Type", req->content_type ? req->content_type : "application/json");
    evhttp_add_header(h, "X-Request-Id", req->request_id);
    evhttp_add_header(h, "X-Content-Type-Options", "nosniff");
    if (req->retry_after > 0) {
        fmt_u64(num, (uint64_t)req->retry_after);
        evhttp_add_header(h, "Retry-After", num);
    }
    if (req->allow)
        evhttp_add_header(h, "Allow", req->allow);
    if (req->location)
        evhttp_add_header(h, "Location", req->location);
    if (req->disposition)
        evhttp_add_header(h, "Content-Disposition", req->disposition);
    if (j->cache_immutable)
        evhttp_add_header(h, "Cache-Control", "public, max-age=31536000, immutable");
    /* Date and Content-Length are added here, where they cost less than in
     * evhttp (which adds neither when it finds them), in the order it uses. */
    evhttp_add_header(h, "Date", http_date(l));
    if (req->method == HTTP_HEAD || (req->status != 204 && req->status != 304)) {
        fmt_u64(num, req->out.len);
        evhttp_add_header(h, "Content-Length", num);
    }
    if (req->method != HTTP_HEAD && req->status != 204 && req->status != 304 && req->out.len)
        evbuffer_add(evhttp_request_get_output_buffer(j->evreq), req->out.data, req->out.len);
    evhttp_send_reply(j->evreq, req->status, NULL, NULL);

    double secs = seconds_since(&j->start);
    http_metrics_observe(req->route, req->method, req->status, secs);
    char status[24], ms[32];
    fmt_u64(status, (uint64_t)req->status);
    fmt_ms(ms, secs);
    log_kv(LOG_INFO, "http.request", "method", http_method_name(req->method), "route",
           req->route ? req->route : "-", "status", status, "ms", ms, "request_id",
           req->request_id, NULL);
    if (!l->flush_armed && log_pending()) {
        struct timeval tv = {0, LOG_FLUSH_MS * 1000};
        evtimer_add(l->flush_ev, &tv);
        l->flush_armed = 1;
    }
    job_put(j);
}

/* Sends every reply the workers have posted since the last wake-up. The eventfd
 * is read before the list is taken: a reply posted after the read writes it again
 * and comes with the next wake-up, one posted before it is in the list. */
static void reply_cb(evutil_socket_t fd, short what, void *arg)
{
    struct loop *l = arg;
    uint64_t n;
    if (read(l->wake_fd, &n, sizeof n) < 0 && errno != EAGAIN)
        log_kv(LOG_ERROR, "http.wake_read", "error", strerror(errno), NULL);
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

/* Hands a finished job to its loop. Only the reply that finds the list empty
 * wakes the loop: a non-empty list has a wake-up pending that will send it too.
 * The wake-up is a write to the loop's own eventfd: event_active would take the
 * event base's lock, which the loop holds whenever it is not polling, and wake
 * the loop into waiting for that lock. */
static void post_reply(struct job *j)
{
    struct loop *l = j->loop;
    j->next = NULL;
    pthread_mutex_lock(&l->lock);
    int wake = l->head == NULL;
    if (l->tail)
        l->tail->next = j;
    else
        l->head = j;
    l->tail = j;
    pthread_mutex_unlock(&l->lock);
    if (wake) {
        uint64_t one = 1;
        if (write(l->wake_fd, &one, sizeof one) < 0 && errno != EAGAIN)
            log_kv(LOG_ERROR, "http.wake_write", "error", strerror(errno), NULL);
    }
}

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Under qlock: 1 when every worker that is awake has been inside one handler for
 * at least WORKER_STUCK_NS (a password hash, a slow query), so a queued job would
 * wait behind them. */
static int workers_stuck(struct server *s)
{
    int64_t now = now_ns();
    for (int i = 0; i < s->nworkers; i++) {
        struct worker *w = &s->workers[i];
        if (w->waiting)
            continue;
        int64_t t = atomic_load_explicit(&w->busy_since, memory_order_relaxed);
        if (t == 0 || now - t < WORKER_STUCK_NS)
            return 0;
    }
    return 1;
}

/* Under qlock: takes the worker that slept last off the idle stack (its cache is
 * the warmest); the caller posts its semaphore after unlocking. */
static struct worker *pop_idle(struct server *s)
{
    struct worker *w = s->idle;
    if (w) {
        s->idle = w->next_idle;
        s->nidle--;
        w->waiting = 0;
    }
    return w;
}

/* Under qlock, with jobs queued: the worker to wake now (the awake ones are too
 * few, or stuck), or NULL with *later set when jobs wait behind busy workers that
 * may yet get stuck. The caller posts the worker's semaphore after unlocking, so
 * the woken worker does not block on qlock at once. */
static struct worker *maybe_wake(struct server *s, int *later)
{
    *later = 0;
    if (!s->idle)
        return NULL;                /* every worker is awake */
    int awake = s->nworkers - s->nidle;
    if ((s->qlen > awake && awake < s->active) || workers_stuck(s))
        return pop_idle(s);
    *later = 1;
    return NULL;
}

/* Wakes the workers that the jobs queued since the last call need. It runs as the
 * callback of wake_ev, made active by the first job queued in a pass of the loop,
 * so after the callbacks already active in that pass: a pass that reads several
 * requests wakes a worker once for all of them, instead of waking it for the
 * first and again for each that it finds missing when it looks, goes to sleep,
 * and is woken again. */
static void wake_workers(struct loop *l)
{
    struct server *s = l->srv;
    struct worker *wake[WAKE_MAX];
    int n = 0, later = 0;

    if (!l->wake_pending)
        return;
    l->wake_pending = 0;
    pthread_mutex_lock(&s->qlock);
    while (n < WAKE_MAX && s->qlen > 0 && !s->stopping) {
        struct worker *w = maybe_wake(s, &later);
        if (!w)
            break;
        wake[n++] = w;
    }
    pthread_mutex_unlock(&s->qlock);
    for (int i = 0; i < n; i++)
        sem_post(&wake[i]->wake);
    if (later)
        arm_spare(l);
}

/* A second look at the queue, WORKER_STUCK_NS after a job was left waiting behind
 * busy workers: wake_workers wakes a spare if they are still in the same handlers. */
static void spare_cb(evutil_socket_t fd, short what, void *arg)
{
    struct loop *l = arg;
    l->spare_armed = 0;
    l->wake_pending = 1;
    wake_workers(l);
}

static void wake_cb(evutil_socket_t fd, short what, void *arg)
{
    wake_workers(arg);
}

/* Queues j for a worker (woken by wake_workers at the end of this pass); 0, or -1
 * when the queue is full or stopping. */
static int enqueue(struct loop *l, struct job *j)
{
    struct server *s = l->srv;
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
        rc = 0;
    }
    pthread_mutex_unlock(&s->qlock);
    if (rc == 0 && !l->wake_pending) {
        l->wake_pending = 1;
        event_active(l->wake_ev, EV_TIMEOUT, 0);
    }
    return rc;
}

/* One of a worker's database connections. It is opened when the worker starts
 * and, while that fails, again at most once every WORKER_DB_RETRY_NS, so a
 * server that was away at start (or a connection limit that was reached) heals
 * by itself without a storm of attempts: the primary before a request (which
 * needs it), the read connection after a reply, so that a standby that does not
 * answer (an attempt may wait for the connect timeout) delays no request. The
 * first failure in a row is logged, and the recovery. A connection that breaks
 * later stays open: the driver reconnects it (store/pg.c). */
struct worker_db {
    const char *addr;               /* NULL: not configured */
    const char *name;               /* "primary" or "read", for the log */
    db *d;
    int64_t next_try;               /* no attempt before this now_ns() */
    int failing;                    /* the last attempt failed (and was logged) */
};

static db *worker_db_get(struct worker_db *c)
{
    char err[256] = "", shown[512];
    int64_t now;

    if (c->d || !c->addr)
        return c->d;
    now = now_ns();
    if (now < c->next_try)
        return NULL;
    if (db_open(c->addr, &c->d, err, sizeof err) != DB_OK) {
        c->d = NULL;
        c->next_try = now + WORKER_DB_RETRY_NS;
        if (!c->failing)
            log_kv(LOG_ERROR, "http.worker_db_open", "db", c->name, "addr",
                   db_addr_redact(c->addr, shown, sizeof shown), "error", err,
                   "retry", "every second", NULL);
        c->failing = 1;
        return NULL;
    }
    if (c->failing)
        log_kv(LOG_INFO, "http.worker_db_opened", "db", c->name, NULL);
    c->failing = 0;
    return c->d;
}

static void *worker_main(void *arg)
{
    struct worker *w = arg;
    struct server *s = w->srv;
    struct worker_db primary = {.addr = s->cfg.db_addr, .name = "primary"};
    struct worker_db reader = {.addr = s->cfg.db_read_addr, .name = "read"};
    worker_db_get(&primary);
    worker_db_get(&reader);
    for (;;) {
        pthread_mutex_lock(&s->qlock);
        while (!s->qhead && !s->stopping) {
            w->next_idle = s->idle;
            s->idle = w;
            s->nidle++;
            w->waiting = 1;
            pthread_mutex_unlock(&s->qlock);
            while (sem_wait(&w->wake) < 0 && errno == EINTR)
                ;
            pthread_mutex_lock(&s->qlock);
        }
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
        atomic_store_explicit(&w->busy_since, now_ns(), memory_order_relaxed);
        j->req.db = primary.d;
        j->req.db_read = primary.d;
        j->req.app = s->cfg.app;
        if (j->is_static) {
            http_static_serve(s->cfg.static_root, &j->req, &j->cache_immutable);
        } else {
            j->req.db = worker_db_get(&primary);
            j->req.db_read = reader.addr ? reader.d : j->req.db;
            if (!j->req.db && primary.addr && !(j->route_flags & HTTP_ROUTE_NO_DB)) {
                http_count_db_error();
                j->req.retry_after = 1;
                api_problem(&j->req, "store.unavailable", NULL);
            } else {
                j->handler(&j->req);
            }
        }
        atomic_store_explicit(&w->busy_since, 0, memory_order_relaxed);
        post_reply(j);
        if (reader.addr && !reader.d) {
            /* counted as busy, so queued jobs may wake a spare worker meanwhile */
            atomic_store_explicit(&w->busy_since, now_ns(), memory_order_relaxed);
            worker_db_get(&reader);
            atomic_store_explicit(&w->busy_since, 0, memory_order_relaxed);
        }
    }
    db_close(reader.d);
    db_close(primary.d);
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
    struct job *j = job_get(l);
    if (!j) {
        evhttp_send_error(evreq, 503, NULL);
        return;
    }
    clock_gettime(CLOCK_MONOTONIC, &j->start);
    j->evreq = evreq;
    struct http_req *req = &j->req;
    req->method = method_of(evhttp_request_get_command(evreq));
    if (read_request(s, j, evreq) < 0) {
        send_reply(j);
        return;
    }
    char allow[96];
    int r = http_route_match(s->cfg.routes, req, s->cfg.static_root != NULL, &j->handler,
                             &j->route_flags, allow, sizeof allow);
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
    if (enqueue(l, j) < 0) {
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
    char name[32];
    snprintf(name, sizeof name, "pk-loop%d", l->index);
    pthread_setname_np(pthread_self(), name);
    log_buffer_thread(1);
    event_base_loop(l->base, EVLOOP_NO_EXIT_ON_EMPTY);
    log_buffer_thread(0);
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
    l->wake_fd = -1;
    pthread_mutex_init(&l->lock, NULL);
    struct event_config *ec = event_config_new();
    if (!ec)
        return -1;
    event_config_set_flag(ec, EVENT_BASE_FLAG_EPOLL_USE_CHANGELIST);
    l->base = event_base_new_with_config(ec);
    event_config_free(ec);
    if (!l->base)
        return -1;
    l->http = evhttp_new(l->base);
    l->wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (l->wake_fd < 0)
        return -1;
    l->reply_ev = event_new(l->base, l->wake_fd, EV_READ | EV_PERSIST, reply_cb, l);
    l->flush_ev = evtimer_new(l->base, flush_cb, l);
    l->spare_ev = evtimer_new(l->base, spare_cb, l);
    l->wake_ev = event_new(l->base, -1, 0, wake_cb, l);
    if (!l->http || !l->reply_ev || !l->flush_ev || !l->spare_ev || !l->wake_ev ||
        event_add(l->reply_ev, NULL) < 0)
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
    if (l->wake_fd >= 0)
        close(l->wake_fd);
    if (l->flush_ev)
        event_free(l->flush_ev);
    if (l->spare_ev)
        event_free(l->spare_ev);
    if (l->wake_ev)
        event_free(l->wake_ev);
    while (l->pool) {
        struct job *j = l->pool;
        l->pool = j->next;
        job_free(j);
    }
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
    s.active = ncores() < s.cfg.workers ? ncores() : s.cfg.workers;
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

    sigset_t stopset, oldset;
    sigemptyset(&stopset);
    sigaddset(&stopset, SIGINT);
    sigaddset(&stopset, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stopset, &oldset);
    signal(SIGPIPE, SIG_IGN);

    int rc = -1, port = s.cfg.port, nsems = 0;
    char name[32];
    s.loops = calloc((size_t)s.cfg.loops, sizeof *s.loops);
    s.workers = calloc((size_t)s.cfg.workers, sizeof *s.workers);
    if (!s.loops || !s.workers)
        goto out;
    for (; nsems < s.cfg.workers; nsems++)
        if (sem_init(&s.workers[nsems].wake, 0, 0) != 0)
            goto out;
    for (int i = 0; i < s.cfg.loops; i++) {
        int fd = listen_on(s.cfg.bind, port, &port);
        if (fd < 0)
            goto out;
        s.nloops++;
        s.loops[i].index = i;
        if (loop_init(&s, &s.loops[i], fd) < 0) {
            log_kv(LOG_ERROR, "http.loop_failed", NULL);
            goto out;
        }
    }
    for (int i = 0; i < s.cfg.workers; i++) {
        s.workers[i].srv = &s;
        if (pthread_create(&s.workers[i].thread, NULL, worker_main, &s.workers[i]) != 0)
            goto out;
        snprintf(name, sizeof name, "pk-worker%d", i);
        pthread_setname_np(s.workers[i].thread, name);
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
    for (struct worker *w; (w = pop_idle(&s)) != NULL;)
        sem_post(&w->wake);
    pthread_mutex_unlock(&s.qlock);
    for (int i = 0; i < s.nworkers; i++)
        pthread_join(s.workers[i].thread, NULL);
    struct timeval flush = {0, 200000};
    for (int i = 0; i < s.nloops; i++)
        if (s.loops[i].started)
            event_base_loopexit(s.loops[i].base, &flush);
    for (int i = 0; i < s.nloops; i++)
        if (s.loops[i].started)
            pthread_join(s.loops[i].thread, NULL);
    for (int i = 0; i < s.nloops; i++)
        loop_free(&s.loops[i]);
    for (int i = 0; i < nsems; i++)
        sem_destroy(&s.workers[i].wake);
    free(s.loops);
    free(s.workers);
    pthread_mutex_destroy(&s.qlock);
    pthread_sigmask(SIG_SETMASK, &oldset, NULL);
    if (rc == 0)
        log_kv(LOG_INFO, "http.stopped", NULL);
    return rc;
}
