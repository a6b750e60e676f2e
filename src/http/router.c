/*
 * router: a linear scan of the static route table. A pattern is split on '/', and
 * each segment must equal the path's segment or be "{}", which captures it. The
 * first row whose pattern and method both match wins; when patterns match but no
 * method does, the methods of the matching rows make the Allow header. Paths that
 * match nothing go to the static files unless they are API or operations paths.
 */
#include "http/internal.h"

#include <string.h>

const char *http_method_name(int method)
{
    switch (method) {
    case HTTP_GET: return "GET";
    case HTTP_POST: return "POST";
    case HTTP_PUT: return "PUT";
    case HTTP_DELETE: return "DELETE";
    case HTTP_PATCH: return "PATCH";
    case HTTP_HEAD: return "HEAD";
    case HTTP_OPTIONS: return "OPTIONS";
    default: return "OTHER";
    }
}

/* 1 when path matches pattern; captures go to caps (up to HTTP_MAX_PARAMS). */
static int pattern_match(const char *pattern, const char *path,
                         const char *caps[HTTP_MAX_PARAMS], size_t caplen[HTTP_MAX_PARAMS])
{
    int ncap = 0;
    const char *p = pattern, *s = path;
    for (;;) {
        if (*p == '\0' || *s == '\0')
            return *p == '\0' && *s == '\0';
        if (p[0] == '{' && p[1] == '}' && (p[2] == '/' || p[2] == '\0')) {
            size_t n = strcspn(s, "/");
            if (n == 0 || ncap >= HTTP_MAX_PARAMS)
                return 0;
            caps[ncap] = s;
            caplen[ncap] = n;
            ncap++;
            s += n;
            p += 2;
            continue;
        }
        if (*p != *s)
            return 0;
        p++;
        s++;
    }
}

static int is_ops_path(const char *path)
{
    return strncmp(path, "/api/", 5) == 0 || strcmp(path, "/api") == 0 ||
           strcmp(path, "/healthz") == 0 || strcmp(path, "/readyz") == 0 ||
           strcmp(path, "/metrics") == 0;
}

static void allow_add(char *allow, size_t allowlen, int *seen, int m)
{
    if (*seen & m)
        return;
    *seen |= m;
    size_t len = strlen(allow);
    const char *name = http_method_name(m);
    if (len + strlen(name) + 3 > allowlen)
        return;
    if (len)
        strcat(allow, ", ");
    strcat(allow, name);
}

int http_route_match(const struct http_route *routes, struct http_req *req, int has_static,
                     http_handler *handler, unsigned *flags, char *allow, size_t allowlen)
{
    int want = req->method == HTTP_HEAD ? HTTP_GET : req->method;
    int seen = 0, path_matched = 0;
    if (allowlen)
        allow[0] = '\0';
    for (const struct http_route *r = routes; r && r->pattern; r++) {
        const char *caps[HTTP_MAX_PARAMS];
        size_t caplen[HTTP_MAX_PARAMS];
        memset(caps, 0, sizeof caps);
        if (!pattern_match(r->pattern, req->path, caps, caplen))
            continue;
        path_matched = 1;
        if (r->method & want) {
            for (int i = 0; i < HTTP_MAX_PARAMS; i++)
                req->params[i] = caps[i] ? arena_strndup(req->arena, caps[i], caplen[i]) : NULL;
            req->route = r->pattern;
            *handler = r->handler;
            *flags = r->flags;
            return HTTP_ROUTE_FOUND;
        }
        static const int order[] = {HTTP_GET, HTTP_HEAD, HTTP_POST, HTTP_PUT, HTTP_PATCH,
                                    HTTP_DELETE, HTTP_OPTIONS};
        for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
            int m = order[i];
            if ((r->method & m) || (m == HTTP_HEAD && (r->method & HTTP_GET)))
                allow_add(allow, allowlen, &seen, m);
        }
    }
    if (path_matched)
        return HTTP_ROUTE_BAD_METHOD;
    if (has_static && !is_ops_path(req->path)) {
        if (want != HTTP_GET) {
            seen = 0;
            if (allowlen)
                allow[0] = '\0';
            allow_add(allow, allowlen, &seen, HTTP_GET);
            allow_add(allow, allowlen, &seen, HTTP_HEAD);
            return HTTP_ROUTE_BAD_METHOD;
        }
        req->route = "static";
        return HTTP_ROUTE_STATIC;
    }
    return HTTP_ROUTE_NOT_FOUND;
}
