/*
 * http: the request and reply that handlers in api/ see. The code in http/ turns an
 * evhttp request into a `struct http_req` (headers copied, body read under the cap,
 * path split from the query) on the event loop, runs the handler on a worker thread,
 * and posts the reply back to the loop. Handlers never see libevent.
 *
 * Everything a handler allocates for its reply comes from req->arena, freed when
 * the reply has been sent.
 *
 * Each worker thread has its own database connection (req->db) and, when the
 * server is given a read address, a second one to a read-only copy (req->db_read,
 * a streaming-replication standby) for statistics and catalog reads, which may
 * lag the primary by the standby's replay delay. A connection that could not be
 * opened is tried again between requests, at most once a second per worker;
 * meanwhile the server answers 503 store.unavailable instead of running the
 * handler when req->db is missing (http_metrics still runs), and handlers that
 * read through db_read answer it themselves when that is NULL.
 */
#ifndef PK_HTTP_H
#define PK_HTTP_H
#include <stddef.h>
#include <stdint.h>

#include "util/arena.h"
#include "util/buf.h"

struct db;
struct app;

enum http_method { HTTP_GET = 1, HTTP_POST = 2, HTTP_PUT = 4, HTTP_DELETE = 8,
                   HTTP_PATCH = 16, HTTP_HEAD = 32, HTTP_OPTIONS = 64 };

#define HTTP_MAX_PARAMS 4
#define HTTP_MAX_HEADERS 48

struct http_header { const char *name, *value; };

struct http_req {
    arena *arena;
    struct app *app;                 /* process-wide context (api/app.h) */
    struct db *db;                   /* this worker thread's connection */
    struct db *db_read;              /* its read-only one: req->db when no read address
                                        is set; NULL while it cannot be opened */
    int method;
    const char *path;                /* decoded, without the query */
    const char *query;               /* raw query string, or "" */
    const char *body;                /* NUL-terminated copy; body_len excludes the NUL */
    size_t body_len;
    const char *request_id;
    const char *lang;                /* "id" (default) or "en", from Accept-Language */
    const char *route;               /* the route pattern matched, for metrics */
    const char *params[HTTP_MAX_PARAMS]; /* captured "{}" segments of the route */
    int nheaders;
    struct http_header headers[HTTP_MAX_HEADERS]; /* [0..nheaders); the rest is not
                                                     cleared between requests */

    /* the reply, filled by the handler */
    int status;
    const char *content_type;        /* default application/json */
    buf out;                         /* reply body */
    int retry_after;                 /* seconds; 0 = no header */
    const char *allow;               /* Allow header for 405 */
    const char *location;
    const char *disposition;         /* Content-Disposition; NULL = none (issue 4: the
                                        draw audit file is an attachment) */
};

typedef void (*http_handler)(struct http_req *req);

/* One row of the route table. A pattern segment "{}" matches one path segment
 * and is captured into req->params in order. flags: HTTP_ROUTE_NO_DB for handlers
 * that answer without the database (liveness, metrics), which then run even while
 * the worker has no connection. */
#define HTTP_ROUTE_NO_DB 1u
struct http_route {
    int method;
    const char *pattern;
    http_handler handler;
    unsigned flags;
};

/* Case-insensitive header lookup; NULL when absent. */
const char *http_header(const struct http_req *req, const char *name);
/* Value of a query parameter, percent-decoded into the arena; NULL when absent. */
const char *http_query(struct http_req *req, const char *name);

struct http_config {
    const char *bind;                /* default 127.0.0.1 */
    int port;                        /* 0 = any free port; the bound port is logged */
    int loops;                       /* event loops; default the number of cores */
    int workers;                     /* worker threads; default 2 x cores, of which
                                        at most one per core is woken for queue
                                        length, the rest when handlers run long */
    int queue_max;                   /* queued requests before 503; default 1024 */
    size_t body_max;                 /* default 64 KiB, then 413 */
    size_t header_max;               /* default 8 KiB */
    int idle_timeout;                /* seconds; default 30 */
    const char *static_root;         /* web/dist; NULL = no static files */
    const char *db_addr;             /* each worker opens its own connection */
    const char *db_read_addr;        /* and to this one, for req->db_read; NULL = none */
    struct app *app;
    const struct http_route *routes; /* ended by a row with a NULL pattern */
};

/* GET /metrics: Prometheus text of requests by route, method and status, a latency
 * histogram and database errors. Route it like any handler. */
void http_metrics(struct http_req *req);
/* Counts a database error for /metrics (handlers call it when the store fails). */
void http_count_db_error(void);

/* Binds, starts the loops and workers, and serves until SIGINT/SIGTERM.
 * Once listening it logs event "http.listening" with fields "addr" and "port"
 * (the real port when cfg->port is 0); tests read the port from that line.
 * Returns 0 after a clean stop, -1 when it could not start (logged). */
int http_serve(const struct http_config *cfg);

#endif
