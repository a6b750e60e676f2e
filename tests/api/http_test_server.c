/*
 * http_test_server: a small server for testing the HTTP layer alone, with its own
 * route table and an empty app. It takes the same command line as the real binary
 * where the test harness needs it (`db init --db P` does nothing here; `serve
 * --db P --port N --bind A`) plus knobs for the pool: --loops, --workers, --queue,
 * --static. Routes: /healthz, /readyz, /metrics, POST /echo (reads a JSON object
 * with a string "name" of at most 16 bytes and an integer "n"), GET /slow (sleeps
 * 400 ms), GET /items/{} (echoes the segment), GET /query?q= and GET|POST /both.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/app.h"
#include "api/health.h"
#include "api/reply.h"
#include "http/http.h"

static void echo(struct http_req *req)
{
    json_t *o = api_body_object(req);
    if (!o)
        return;
    struct field_error errs[4];
    int n = 0;
    const char *name = NULL;
    long long num = 0;
    int has_num = api_field_int(req, o, "n", &num, errs, &n, 4) == 0;
    api_field_str(req, o, "name", 16, &name, errs, &n, 4);
    json_decref(o);
    if (n) {
        api_problem_fields(req, errs, n);
        return;
    }
    json_t *r = json_object();
    json_object_set_new(r, "name", name ? json_string(name) : json_null());
    json_object_set_new(r, "n", has_num ? json_integer(num) : json_null());
    api_json(req, 200, r);
}

static void slow(struct http_req *req)
{
    struct timespec ts = {0, 400 * 1000 * 1000};
    nanosleep(&ts, NULL);
    api_json(req, 200, json_pack("{s:b}", "slow", 1));
}

static void item(struct http_req *req)
{
    api_json(req, 200, json_pack("{s:s}", "id", req->params[0]));
}

static void query(struct http_req *req)
{
    const char *q = http_query(req, "q");
    api_json(req, 200, json_pack("{s:s?}", "q", q));
}

static void both(struct http_req *req)
{
    api_json(req, req->method == HTTP_POST ? 201 : 200, json_pack("{s:b}", "ok", 1));
}

static const struct http_route routes[] = {
    {HTTP_GET, "/healthz", api_healthz, HTTP_ROUTE_NO_DB},
    {HTTP_GET, "/readyz", api_readyz, 0},
    {HTTP_GET, "/metrics", http_metrics, HTTP_ROUTE_NO_DB},
    {HTTP_POST, "/echo", echo, 0},
    {HTTP_GET, "/slow", slow, 0},
    {HTTP_GET, "/items/{}", item, 0},
    {HTTP_GET, "/query", query, 0},
    {HTTP_GET | HTTP_POST, "/both", both, 0},
    {0, NULL, NULL, 0},
};

int main(int argc, char **argv)
{
    if (argc >= 3 && strcmp(argv[1], "db") == 0 && strcmp(argv[2], "init") == 0)
        return 0;
    if (argc < 2 || strcmp(argv[1], "serve") != 0) {
        fprintf(stderr, "usage: http_test_server serve [--db P] [--port N] [--bind A] "
                        "[--loops N] [--workers N] [--queue N] [--static DIR]\n");
        return 2;
    }
    static struct app app;
    struct http_config cfg = {.app = &app, .routes = routes};
    for (int i = 2; i + 1 < argc; i += 2) {
        const char *k = argv[i], *v = argv[i + 1];
        if (strcmp(k, "--db") == 0)
            cfg.db_addr = v;
        else if (strcmp(k, "--port") == 0)
            cfg.port = atoi(v);
        else if (strcmp(k, "--bind") == 0)
            cfg.bind = v;
        else if (strcmp(k, "--loops") == 0)
            cfg.loops = atoi(v);
        else if (strcmp(k, "--workers") == 0)
            cfg.workers = atoi(v);
        else if (strcmp(k, "--queue") == 0)
            cfg.queue_max = atoi(v);
        else if (strcmp(k, "--static") == 0)
            cfg.static_root = v;
        else {
            fprintf(stderr, "http_test_server: unknown option %s\n", k);
            return 2;
        }
    }
    return http_serve(&cfg) == 0 ? 0 : 1;
}
