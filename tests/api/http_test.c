/*
 * http_test: the HTTP layer against http_test_server (PRAKERJA_BIN points at it):
 * generic problems (404, 405 with Allow, 413, 415, malformed JSON, bad UTF-8, NUL
 * bytes), request ids, languages, health, metrics, keep-alive concurrency, the
 * worker queue's 503, static files and a clean stop on SIGTERM.
 */
#include <criterion/criterion.h>
#include <curl/curl.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "harness.h"

static struct harness H;

static void stop_server(void)
{
    harness_stop(&H);
}

TestSuite(http, .fini = stop_server, .timeout = 60);

static void start(const char *const *extra)
{
    cr_assert_eq(harness_start(&H, extra), 0, "server did not start");
}

static struct harness_reply req(const char *method, const char *path, const char *ctype,
                                const char *body, size_t len, const char *const *headers)
{
    struct harness_reply r;
    cr_assert_eq(harness_request(&H, method, path, ctype, body, len, headers, &r), 0,
                 "%s %s: no reply", method, path);
    return r;
}

static json_t *body_json(const struct harness_reply *r)
{
    json_error_t e;
    json_t *v = json_loadb(r->body, r->body_len, 0, &e);
    cr_assert_not_null(v, "reply is not JSON: %s", r->body);
    return v;
}

static const char *jstr(json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "";
}

/* Asserts r is a problem+json with the status and code; returns the parsed body. */
static json_t *expect_problem(const struct harness_reply *r, long status, const char *code)
{
    char ct[128];
    cr_assert_eq(r->status, status, "status %ld, want %ld: %s", r->status, status, r->body);
    cr_assert_not_null(harness_header(r, "Content-Type", ct, sizeof ct));
    cr_assert_str_eq(ct, "application/problem+json");
    json_t *o = body_json(r);
    cr_assert_str_eq(jstr(o, "code"), code);
    cr_assert_eq(json_integer_value(json_object_get(o, "status")), status);
    cr_assert_gt(strlen(jstr(o, "title")), 0);
    return o;
}

static const char JSON[] = "application/json";

Test(http, unknown_route_is_404_problem)
{
    start(NULL);
    struct harness_reply r = req("GET", "/no/such/route", NULL, NULL, 0, NULL);
    json_t *o = expect_problem(&r, 404, "not_found");
    char id[128], nosniff[32];
    cr_assert_not_null(harness_header(&r, "X-Request-Id", id, sizeof id));
    cr_assert_str_eq(jstr(o, "request_id"), id);
    cr_assert_not_null(harness_header(&r, "X-Content-Type-Options", nosniff, sizeof nosniff));
    cr_assert_str_eq(nosniff, "nosniff");
    json_decref(o);
    harness_reply_free(&r);
    r = req("GET", "/api/v1/nothing", NULL, NULL, 0, NULL);
    json_decref(expect_problem(&r, 404, "not_found"));
    harness_reply_free(&r);
}

Test(http, wrong_method_is_405_with_allow)
{
    start(NULL);
    char allow[128];
    struct harness_reply r = req("GET", "/echo", NULL, NULL, 0, NULL);
    json_decref(expect_problem(&r, 405, "method_not_allowed"));
    cr_assert_not_null(harness_header(&r, "Allow", allow, sizeof allow));
    cr_assert_str_eq(allow, "POST");
    harness_reply_free(&r);
    r = req("DELETE", "/both", NULL, NULL, 0, NULL);
    json_decref(expect_problem(&r, 405, "method_not_allowed"));
    cr_assert_not_null(harness_header(&r, "Allow", allow, sizeof allow));
    cr_assert_str_eq(allow, "GET, HEAD, POST");
    harness_reply_free(&r);
    r = req("POST", "/both", NULL, NULL, 0, NULL);
    cr_assert_eq(r.status, 201);
    harness_reply_free(&r);
}

Test(http, oversize_body_is_413_and_server_keeps_serving)
{
    start(NULL);
    size_t n = 64 * 1024 + 1;
    char *big = malloc(n);
    memset(big, ' ', n);
    big[0] = '{';
    big[n - 1] = '}';
    struct harness_reply r = req("POST", "/echo", JSON, big, n, NULL);
    json_decref(expect_problem(&r, 413, "payload_too_large"));
    harness_reply_free(&r);
    r = req("POST", "/echo", JSON, big, n - 1, NULL);
    cr_assert_eq(r.status, 400, "64 KiB exactly is allowed, then parsed: %ld", r.status);
    harness_reply_free(&r);
    free(big);

    size_t huge = 4u << 20;
    char *h = calloc(1, huge);
    memset(h, 'x', huge);
    struct harness_reply r2;
    if (harness_request(&H, "POST", "/echo", JSON, h, huge, NULL, &r2) == 0)
        cr_assert_eq(r2.status, 413, "4 MiB body: %ld", r2.status);
    harness_reply_free(&r2);
    free(h);

    r = req("GET", "/healthz", NULL, NULL, 0, NULL);
    cr_assert_eq(r.status, 200);
    harness_reply_free(&r);
}

Test(http, wrong_content_type_is_415)
{
    start(NULL);
    const char *b = "{\"name\":\"a\"}";
    struct harness_reply r = req("POST", "/echo", "text/plain", b, strlen(b), NULL);
    json_decref(expect_problem(&r, 415, "unsupported_media_type"));
    harness_reply_free(&r);
    r = req("POST", "/echo", NULL, b, strlen(b), NULL);
    json_decref(expect_problem(&r, 415, "unsupported_media_type"));
    harness_reply_free(&r);
    r = req("POST", "/echo", "application/jsonx", b, strlen(b), NULL);
    json_decref(expect_problem(&r, 415, "unsupported_media_type"));
    harness_reply_free(&r);
    r = req("POST", "/echo", "Application/JSON; charset=utf-8", b, strlen(b), NULL);
    cr_assert_eq(r.status, 200, "%s", r.body);
    json_t *o = body_json(&r);
    cr_assert_str_eq(jstr(o, "name"), "a");
    json_decref(o);
    harness_reply_free(&r);
}

Test(http, truncated_json_says_where)
{
    start(NULL);
    const char *b = "{\"name\":\n \"a\"";
    struct harness_reply r = req("POST", "/echo", JSON, b, strlen(b), NULL);
    json_t *o = expect_problem(&r, 400, "json.malformed");
    cr_assert(strstr(jstr(o, "detail"), "line 2, column") != NULL, "detail: %s",
              jstr(o, "detail"));
    json_decref(o);
    harness_reply_free(&r);
    const char *dup = "{\"name\":\"a\",\"name\":\"b\"}";
    r = req("POST", "/echo", JSON, dup, strlen(dup), NULL);
    json_decref(expect_problem(&r, 400, "json.malformed"));
    harness_reply_free(&r);
    r = req("POST", "/echo", JSON, "[1,2]", 5, NULL);
    json_decref(expect_problem(&r, 400, "json.not_object"));
    harness_reply_free(&r);
}

Test(http, invalid_utf8_body_is_400)
{
    start(NULL);
    const char b[] = "{\"name\":\"\xff\xfe\"}";
    struct harness_reply r = req("POST", "/echo", JSON, b, sizeof b - 1, NULL);
    json_decref(expect_problem(&r, 400, "json.invalid_utf8"));
    harness_reply_free(&r);
}

Test(http, field_errors_nul_type_length)
{
    start(NULL);
    const char *b = "{\"name\":\"a\\u0000b\",\"n\":\"seven\"}";
    struct harness_reply r = req("POST", "/echo", JSON, b, strlen(b), NULL);
    json_t *o = expect_problem(&r, 400, "validation");
    json_t *errs = json_object_get(o, "errors");
    cr_assert_eq(json_array_size(errs), 2, "%s", r.body);
    cr_assert_str_eq(jstr(json_array_get(errs, 0), "field"), "n");
    cr_assert_str_eq(jstr(json_array_get(errs, 0), "code"), "field.wrong_type");
    cr_assert_str_eq(jstr(json_array_get(errs, 1), "field"), "name");
    cr_assert_str_eq(jstr(json_array_get(errs, 1), "code"), "field.nul_byte");
    cr_assert_gt(strlen(jstr(json_array_get(errs, 1), "message")), 0);
    json_decref(o);
    harness_reply_free(&r);
    const char *l = "{\"name\":\"abcdefghijklmnopq\",\"n\":7}";
    r = req("POST", "/echo", JSON, l, strlen(l), NULL);
    o = expect_problem(&r, 400, "validation");
    cr_assert_str_eq(jstr(json_array_get(json_object_get(o, "errors"), 0), "code"),
                     "field.too_long");
    json_decref(o);
    harness_reply_free(&r);
    const char *ok = "{\"name\":\"Nur'aini \xc3\xa9\",\"n\":7}";
    r = req("POST", "/echo", JSON, ok, strlen(ok), NULL);
    cr_assert_eq(r.status, 200, "%s", r.body);
    o = body_json(&r);
    cr_assert_str_eq(jstr(o, "name"), "Nur'aini \xc3\xa9");
    cr_assert_eq(json_integer_value(json_object_get(o, "n")), 7);
    json_decref(o);
    harness_reply_free(&r);
}

static int is_hex16(const char *s)
{
    return strlen(s) == 16 && strspn(s, "0123456789abcdef") == 16;
}

Test(http, request_id_echoed_or_generated)
{
    start(NULL);
    char id[128];
    const char *mine[] = {"X-Request-Id: abc-123-XYZ", NULL};
    struct harness_reply r = req("GET", "/healthz", NULL, NULL, 0, mine);
    cr_assert_not_null(harness_header(&r, "X-Request-Id", id, sizeof id));
    cr_assert_str_eq(id, "abc-123-XYZ");
    harness_reply_free(&r);
    const char *bad[] = {"X-Request-Id: no spaces;allowed", NULL};
    r = req("GET", "/healthz", NULL, NULL, 0, bad);
    cr_assert_not_null(harness_header(&r, "X-Request-Id", id, sizeof id));
    cr_assert(is_hex16(id), "generated id: %s", id);
    harness_reply_free(&r);
    r = req("GET", "/healthz", NULL, NULL, 0, NULL);
    cr_assert_not_null(harness_header(&r, "X-Request-Id", id, sizeof id));
    cr_assert(is_hex16(id), "generated id: %s", id);
    char id2[128];
    harness_reply_free(&r);
    r = req("GET", "/healthz", NULL, NULL, 0, NULL);
    cr_assert_not_null(harness_header(&r, "X-Request-Id", id2, sizeof id2));
    cr_assert_str_neq(id, id2);
    harness_reply_free(&r);
}

Test(http, accept_language_picks_title)
{
    start(NULL);
    const char *en[] = {"Accept-Language: en-US,en;q=0.9,id;q=0.8", NULL};
    const char *id[] = {"Accept-Language: id-ID,id;q=0.9,en;q=0.8", NULL};
    struct harness_reply r = req("GET", "/nope", NULL, NULL, 0, en);
    json_t *a = expect_problem(&r, 404, "not_found");
    harness_reply_free(&r);
    r = req("GET", "/nope", NULL, NULL, 0, id);
    json_t *b = expect_problem(&r, 404, "not_found");
    harness_reply_free(&r);
    r = req("GET", "/nope", NULL, NULL, 0, NULL);
    json_t *c = expect_problem(&r, 404, "not_found");
    harness_reply_free(&r);
    cr_assert_str_neq(jstr(a, "title"), jstr(b, "title"));
    cr_assert_str_eq(jstr(b, "title"), jstr(c, "title"), "Indonesian is the default");
    json_decref(a);
    json_decref(b);
    json_decref(c);
}

Test(http, health_and_head)
{
    start(NULL);
    struct harness_reply r = req("GET", "/healthz", NULL, NULL, 0, NULL);
    cr_assert_eq(r.status, 200);
    json_t *o = body_json(&r);
    cr_assert_str_eq(jstr(o, "status"), "ok");
    json_decref(o);
    harness_reply_free(&r);
    r = req("GET", "/readyz", NULL, NULL, 0, NULL);
    cr_assert_eq(r.status, 200, "%s", r.body);
    o = body_json(&r);
    cr_assert_str_eq(jstr(o, "status"), "ready");
    json_decref(o);
    harness_reply_free(&r);
    r = req("HEAD", "/healthz", NULL, NULL, 0, NULL);
    cr_assert_eq(r.status, 200);
    cr_assert_eq(r.body_len, 0);
    harness_reply_free(&r);
}

/* A worker without a database connection (here: one that can never be opened)
   answers 503 store.unavailable for routes that need it, but liveness and metrics
   still answer: a load balancer must not kill a process that is only waiting for
   its database. */
Test(http, health_and_metrics_answer_without_a_database)
{
    const char *const extra[] = {"--db", "postgres://prakerja@127.0.0.1:1/none", NULL};
    start(extra);
    struct harness_reply r = req("GET", "/healthz", NULL, NULL, 0, NULL);
    cr_assert_eq(r.status, 200, "%s", r.body);
    harness_reply_free(&r);
    r = req("GET", "/metrics", NULL, NULL, 0, NULL);
    cr_assert_eq(r.status, 200);
    harness_reply_free(&r);
    r = req("GET", "/readyz", NULL, NULL, 0, NULL);
    json_decref(expect_problem(&r, 503, "store.unavailable"));
    harness_reply_free(&r);
    r = req("GET", "/items/x", NULL, NULL, 0, NULL);
    json_decref(expect_problem(&r, 503, "store.unavailable"));
    harness_reply_free(&r);
}

Test(http, params_query_and_bad_paths)
{
    start(NULL);
    struct harness_reply r = req("GET", "/items/a%20b", NULL, NULL, 0, NULL);
    cr_assert_eq(r.status, 200);
    json_t *o = body_json(&r);
    cr_assert_str_eq(jstr(o, "id"), "a b");
    json_decref(o);
    harness_reply_free(&r);
    r = req("GET", "/query?x=1&q=a%2Bb+c", NULL, NULL, 0, NULL);
    o = body_json(&r);
    cr_assert_str_eq(jstr(o, "q"), "a+b c");
    json_decref(o);
    harness_reply_free(&r);
    r = req("GET", "/items/%zz", NULL, NULL, 0, NULL);
    cr_assert_eq(r.status, 400, "bad escape: %ld", r.status);
    harness_reply_free(&r);
    r = req("GET", "/items/a%00b", NULL, NULL, 0, NULL);
    cr_assert_eq(r.status, 400, "escaped NUL: %ld", r.status);
    harness_reply_free(&r);
    r = req("GET", "/items/a/b", NULL, NULL, 0, NULL);
    cr_assert_eq(r.status, 404);
    harness_reply_free(&r);
}

Test(http, metrics_count_requests)
{
    start(NULL);
    for (int i = 0; i < 3; i++) {
        struct harness_reply r = req("GET", "/items/x", NULL, NULL, 0, NULL);
        harness_reply_free(&r);
    }
    struct harness_reply r = req("GET", "/nope", NULL, NULL, 0, NULL);
    harness_reply_free(&r);
    r = req("GET", "/metrics", NULL, NULL, 0, NULL);
    cr_assert_eq(r.status, 200);
    char ct[128];
    harness_header(&r, "Content-Type", ct, sizeof ct);
    cr_assert_str_eq(ct, "text/plain; version=0.0.4");
    cr_assert(strstr(r.body, "http_requests_total{route=\"/items/{}\",method=\"GET\","
                             "status=\"200\"} 3\n") != NULL, "%s", r.body);
    cr_assert(strstr(r.body, "status=\"404\"} 1\n") != NULL, "%s", r.body);
    cr_assert(strstr(r.body, "http_request_duration_seconds_count 4\n") != NULL, "%s", r.body);
    cr_assert(strstr(r.body, "db_errors_total 0\n") != NULL, "%s", r.body);
    harness_reply_free(&r);
}

static size_t discard(char *p, size_t s, size_t n, void *u)
{
    return s * n;
}

/* Runs n GETs of path at once over at most conns connections; counts statuses. */
static void run_parallel(const char *path, int n, long conns, int *ok, int *busy, int *retry1,
                         long *connects)
{
    CURLM *m = curl_multi_init();
    curl_multi_setopt(m, CURLMOPT_MAX_HOST_CONNECTIONS, conns);
    char url[256];
    snprintf(url, sizeof url, "http://127.0.0.1:%d%s", H.port, path);
    CURL **e = calloc((size_t)n, sizeof *e);
    char (*hdr)[4096] = calloc((size_t)n, sizeof *hdr);
    for (int i = 0; i < n; i++) {
        e[i] = curl_easy_init();
        curl_easy_setopt(e[i], CURLOPT_URL, url);
        curl_easy_setopt(e[i], CURLOPT_WRITEFUNCTION, discard);
        curl_easy_setopt(e[i], CURLOPT_TIMEOUT, 30L);
        curl_easy_setopt(e[i], CURLOPT_NOSIGNAL, 1L);
        curl_multi_add_handle(m, e[i]);
    }
    int running = 1;
    while (running) {
        curl_multi_perform(m, &running);
        if (running)
            curl_multi_poll(m, NULL, 0, 100, NULL);
    }
    *ok = *busy = *retry1 = 0;
    *connects = 0;
    for (int i = 0; i < n; i++) {
        long st = 0, nc = 0;
        curl_easy_getinfo(e[i], CURLINFO_RESPONSE_CODE, &st);
        curl_easy_getinfo(e[i], CURLINFO_NUM_CONNECTS, &nc);
        *connects += nc;
        if (st == 200)
            (*ok)++;
        if (st == 503) {
            (*busy)++;
            struct curl_header *h;
            if (curl_easy_header(e[i], "Retry-After", 0, CURLH_HEADER, -1, &h) == CURLHE_OK &&
                strcmp(h->value, "1") == 0)
                (*retry1)++;
        }
        curl_multi_remove_handle(m, e[i]);
        curl_easy_cleanup(e[i]);
    }
    free(e);
    free(hdr);
    curl_multi_cleanup(m);
}

Test(http, hundred_concurrent_keepalive_requests)
{
    start(NULL);
    int ok, busy, retry1;
    long connects;
    run_parallel("/items/k", 100, 10, &ok, &busy, &retry1, &connects);
    cr_assert_eq(ok, 100, "answered 200: %d (503: %d)", ok, busy);
    cr_assert_leq(connects, 10, "connections opened: %ld", connects);
}

Test(http, full_queue_is_503_with_retry_after)
{
    const char *extra[] = {"--workers", "1", "--queue", "1", NULL};
    start(extra);
    int ok, busy, retry1;
    long connects;
    run_parallel("/slow", 6, 6, &ok, &busy, &retry1, &connects);
    cr_assert_geq(ok, 1, "some slow requests served: %d", ok);
    cr_assert_geq(busy, 1, "some requests refused: %d", busy);
    cr_assert_eq(ok + busy, 6);
    cr_assert_eq(retry1, busy, "every 503 has Retry-After: 1");
    struct harness_reply r = req("GET", "/slow", NULL, NULL, 0, NULL);
    cr_assert_eq(r.status, 200, "serves again once the queue drains");
    harness_reply_free(&r);
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f, "%s", path);
    fputs(text, f);
    fclose(f);
}

Test(http, static_files_and_spa_fallback)
{
    char root[] = "/tmp/pk-static-XXXXXX", p[512];
    cr_assert_not_null(mkdtemp(root));
    snprintf(p, sizeof p, "%s/index.html", root);
    write_file(p, "<!doctype html><title>prakerja</title>");
    snprintf(p, sizeof p, "%s/assets", root);
    mkdir(p, 0700);
    snprintf(p, sizeof p, "%s/assets/app.js", root);
    write_file(p, "console.log(1)");
    snprintf(p, sizeof p, "%s/secret.txt", root);
    write_file(p, "outside?");
    const char *extra[] = {"--static", root, NULL};
    start(extra);
    char v[256];
    struct harness_reply r = req("GET", "/", NULL, NULL, 0, NULL);
    cr_assert_eq(r.status, 200);
    cr_assert(strstr(r.body, "<title>prakerja</title>") != NULL);
    harness_header(&r, "Content-Type", v, sizeof v);
    cr_assert_str_eq(v, "text/html; charset=utf-8");
    harness_reply_free(&r);
    r = req("GET", "/assets/app.js", NULL, NULL, 0, NULL);
    cr_assert_eq(r.status, 200);
    cr_assert_str_eq(r.body, "console.log(1)");
    cr_assert_not_null(harness_header(&r, "Cache-Control", v, sizeof v));
    cr_assert_str_eq(v, "public, max-age=31536000, immutable");
    harness_reply_free(&r);
    r = req("GET", "/register/step2", NULL, NULL, 0, NULL);
    cr_assert_eq(r.status, 200);
    cr_assert(strstr(r.body, "<title>prakerja</title>") != NULL, "SPA route gives index.html");
    harness_reply_free(&r);
    r = req("GET", "/assets/missing.js", NULL, NULL, 0, NULL);
    cr_assert_eq(r.status, 404);
    harness_reply_free(&r);
    r = req("GET", "/assets/%2e%2e/secret.txt", NULL, NULL, 0, NULL);
    cr_assert_eq(r.status, 404, "dot-dot refused: %ld %s", r.status, r.body);
    harness_reply_free(&r);
    r = req("GET", "/api/v1/unknown", NULL, NULL, 0, NULL);
    json_decref(expect_problem(&r, 404, "not_found"));
    harness_reply_free(&r);
    r = req("POST", "/index.html", NULL, NULL, 0, NULL);
    cr_assert_eq(r.status, 405);
    harness_reply_free(&r);
    harness_stop(&H);
    snprintf(p, sizeof p, "rm -rf '%s'", root);
    cr_assert_eq(system(p), 0);
}

Test(http, sigterm_stops_cleanly)
{
    start(NULL);
    struct harness_reply r = req("GET", "/healthz", NULL, NULL, 0, NULL);
    cr_assert_eq(r.status, 200);
    harness_reply_free(&r);
    cr_assert_eq(harness_stop(&H), 0, "exit status %d", H.exit_status);
}
