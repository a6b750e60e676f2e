/*
 * http internals: what server.c, router.c, static.c and metrics.c share and nothing
 * outside src/http/ sees. The router resolves a decoded path and method against the
 * route table; static.c fills a reply from a file under the static root; metrics.c
 * records each finished request.
 */
#ifndef PK_HTTP_INTERNAL_H
#define PK_HTTP_INTERNAL_H
#include "http/http.h"

enum http_route_result {
    HTTP_ROUTE_FOUND = 0,
    HTTP_ROUTE_NOT_FOUND = -1,     /* no pattern matches the path */
    HTTP_ROUTE_BAD_METHOD = -2,    /* a pattern matches, not with this method */
    HTTP_ROUTE_STATIC = -3,        /* not an API path: serve it from the static root */
};

/* Matches req->path and req->method (HEAD matches GET routes) against routes.
 * On HTTP_ROUTE_FOUND sets *handler, *flags, req->route and req->params (arena copies).
 * On HTTP_ROUTE_BAD_METHOD writes the Allow list ("GET, HEAD, POST") into allow.
 * has_static says whether a static root is configured. */
int http_route_match(const struct http_route *routes, struct http_req *req, int has_static,
                     http_handler *handler, unsigned *flags, char *allow, size_t allowlen);

/* Serves req->path from root: regular files under root only, index.html for paths
 * whose last segment has no dot (a single-page app), 404 otherwise. Fills status,
 * content_type and out. *cache_immutable is set for /assets/ files. */
void http_static_serve(const char *root, struct http_req *req, int *cache_immutable);

/* Records one finished request for /metrics. route may be NULL (unmatched). */
void http_metrics_observe(const char *route, int method, int status, double seconds);

/* "GET", "POST", ...; "OTHER" for anything else. */
const char *http_method_name(int method);

#endif
