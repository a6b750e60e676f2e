/*
 * Tests of the OpenAPI document (docs/openapi.json, served by src/api/openapi.c)
 * against the server that really runs and the route table it really has: this
 * executable links api_routes (src/api/routes.c) and fetches the document from a
 * server started by the harness.
 *   - GET /api/v1/openapi.json answers 200 application/json with exactly the bytes
 *     of docs/openapi.json, which parse as OpenAPI "3.1.0";
 *   - every path and method of the document is a row of api_routes, and every
 *     /api/v1/partner/ row of api_routes is in the document: the two cannot drift;
 *   - every partner operation declares the signature scheme (all four headers) or
 *     the staff bearer token, its path parameters, a success reply and the 401
 *     of the signature checks;
 *   - every error code the document names is in the error table
 *     (src/core/errors.c) with the HTTP status it is documented under;
 *   - every /api/v1/partner/ route of the server refuses an unsigned request with
 *     401 partner.unsigned: each handler authenticates before anything else.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "harness.h"
#include "api/app.h"
#include "core/errors.h"

static struct harness H;

static void start(void)
{
    cr_assert_eq(harness_start(&H, NULL), 0, "server did not start");
}

static void stop(void)
{
    harness_stop(&H);
}

TestSuite(openapi, .init = start, .fini = stop, .timeout = 100);

#define PARTNER_PREFIX "/api/v1/partner/"

static const char *const methods[] = {"get", "post", "put", "delete", "patch", NULL};
static const int method_bits[] = {HTTP_GET, HTTP_POST, HTTP_PUT, HTTP_DELETE, HTTP_PATCH};

/* The served document, parsed (the caller decrefs). */
static json_t *fetch(void)
{
    struct harness_reply r;
    json_error_t e;
    json_t *doc;

    cr_assert_eq(harness_request(&H, "GET", "/api/v1/openapi.json", NULL, NULL, 0, NULL, &r), 0);
    cr_assert_eq(r.status, 200);
    doc = json_loadb(r.body, r.body_len, 0, &e);
    cr_assert_not_null(doc, "the document does not parse: line %d: %s", e.line, e.text);
    harness_reply_free(&r);
    return doc;
}

/* "/api/v1/partner/courses/{course_id}/submit" -> "/api/v1/partner/courses/{}/submit" */
static void normalise(const char *path, char *out, size_t n)
{
    size_t o = 0;

    for (const char *p = path; *p && o + 3 < n; p++) {
        if (*p == '{') {
            const char *end = strchr(p, '}');
            cr_assert_not_null(end, "unclosed { in %s", path);
            out[o++] = '{';
            out[o++] = '}';
            p = end;
        } else {
            out[o++] = *p;
        }
    }
    out[o] = '\0';
}

static const struct http_route *route_of(const char *pattern, int method)
{
    for (const struct http_route *r = api_routes; r->pattern; r++)
        if (r->method == method && strcmp(r->pattern, pattern) == 0)
            return r;
    return NULL;
}

/* The object a "$ref": "#/a/b/c" points at, or o itself. */
static json_t *deref(json_t *doc, json_t *o)
{
    json_t *ref = json_object_get(o, "$ref");
    char refbuf[256], *save = NULL, *tok;

    if (!json_is_string(ref))
        return o;
    cr_assert_eq(strncmp(json_string_value(ref), "#/", 2), 0, "%s", json_string_value(ref));
    snprintf(refbuf, sizeof refbuf, "%s", json_string_value(ref) + 2);
    for (tok = strtok_r(refbuf, "/", &save); tok; tok = strtok_r(NULL, "/", &save)) {
        doc = json_object_get(doc, tok);
        cr_assert_not_null(doc, "dangling $ref %s", json_string_value(ref));
    }
    return doc;
}

Test(openapi, served_as_the_checked_in_file)
{
    char path[1024], ctype[128];
    struct harness_reply r;
    FILE *f;
    char *file;
    long n;

    snprintf(path, sizeof path, "%s/docs/openapi.json", PRAKERJA_SOURCE_ROOT);
    f = fopen(path, "rb");
    cr_assert_not_null(f, "%s", path);
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    rewind(f);
    file = malloc((size_t)n + 1);
    cr_assert_eq(fread(file, 1, (size_t)n, f), (size_t)n);
    fclose(f);

    cr_assert_eq(harness_request(&H, "GET", "/api/v1/openapi.json", NULL, NULL, 0, NULL, &r), 0);
    cr_assert_eq(r.status, 200);
    cr_assert_not_null(harness_header(&r, "Content-Type", ctype, sizeof ctype));
    cr_assert_eq(strncmp(ctype, "application/json", 16), 0, "%s", ctype);
    cr_assert_eq(r.body_len, (size_t)n, "served %zu bytes, the file has %ld", r.body_len, n);
    cr_assert_eq(memcmp(r.body, file, (size_t)n), 0, "the served document is not the file");
    harness_reply_free(&r);
    free(file);

    json_t *doc = fetch();
    cr_assert_str_eq(json_string_value(json_object_get(doc, "openapi")), "3.1.0");
    cr_assert(json_is_string(json_object_get(json_object_get(doc, "info"), "title")));
    cr_assert(json_is_object(json_object_get(doc, "paths")));
    json_decref(doc);
}

Test(openapi, paths_and_methods_match_the_route_table)
{
    json_t *doc = fetch(), *paths = json_object_get(doc, "paths"), *item;
    const char *path;
    char norm[256];
    int partner_ops = 0;

    /* every operation of the document is served */
    json_object_foreach(paths, path, item)
    {
        normalise(path, norm, sizeof norm);
        for (int m = 0; methods[m]; m++) {
            if (!json_object_get(item, methods[m]))
                continue;
            cr_assert_not_null(route_of(norm, method_bits[m]),
                               "the document has %s %s, the server has no such route", methods[m],
                               path);
            partner_ops += strncmp(path, PARTNER_PREFIX, strlen(PARTNER_PREFIX)) == 0;
        }
        /* and it lists no method the server lacks under another name */
        const char *key;
        json_t *v;
        json_object_foreach(item, key, v)
        {
            int known = strcmp(key, "parameters") == 0 || strcmp(key, "summary") == 0 ||
                        strcmp(key, "description") == 0;
            for (int m = 0; methods[m]; m++)
                known |= strcmp(key, methods[m]) == 0;
            cr_assert(known, "%s: unexpected key %s", path, key);
        }
    }

    /* every partner route of the server is documented */
    int partner_routes = 0;
    for (const struct http_route *r = api_routes; r->pattern; r++) {
        if (strncmp(r->pattern, PARTNER_PREFIX, strlen(PARTNER_PREFIX)) != 0)
            continue;
        partner_routes++;
        int found = 0;
        json_object_foreach(paths, path, item)
        {
            normalise(path, norm, sizeof norm);
            if (strcmp(norm, r->pattern) != 0)
                continue;
            for (int m = 0; methods[m]; m++)
                if (method_bits[m] == r->method && json_object_get(item, methods[m]))
                    found = 1;
        }
        cr_assert(found, "route %d %s is not in docs/openapi.json", r->method, r->pattern);
    }
    cr_assert_eq(partner_ops, partner_routes, "document %d partner operations, server %d",
                 partner_ops, partner_routes);
    cr_assert_geq(partner_routes, 12);
    json_decref(doc);
}

Test(openapi, partner_operations_declare_security_parameters_and_replies)
{
    json_t *doc = fetch(), *paths = json_object_get(doc, "paths"), *item, *o;
    json_t *schemes = json_object_get(json_object_get(doc, "components"), "securitySchemes");
    const char *path;

    cr_assert_str_eq(
        json_string_value(json_object_get(json_object_get(schemes, "partnerKey"), "name")),
        "X-Prakerja-Key");
    cr_assert_str_eq(
        json_string_value(json_object_get(json_object_get(schemes, "partnerSignature"), "name")),
        "X-Prakerja-Signature");
    cr_assert_str_eq(
        json_string_value(json_object_get(json_object_get(schemes, "staffBearer"), "scheme")),
        "bearer");
    json_object_foreach(paths, path, item)
    {
        if (strncmp(path, PARTNER_PREFIX, strlen(PARTNER_PREFIX)) != 0)
            continue;
        for (int m = 0; methods[m]; m++) {
            if (!(o = json_object_get(item, methods[m])))
                continue;
            /* security: the four signature headers together, or the bearer token */
            json_t *sec = json_object_get(o, "security");
            cr_assert_eq(json_array_size(sec), 2, "%s %s security", methods[m], path);
            json_t *sig = json_array_get(sec, 0);
            const char *need[] = {"partnerKey", "partnerTimestamp", "partnerNonce",
                                  "partnerSignature"};
            for (int i = 0; i < 4; i++)
                cr_assert_not_null(json_object_get(sig, need[i]), "%s %s: no %s", methods[m], path,
                                   need[i]);
            cr_assert_not_null(json_object_get(json_array_get(sec, 1), "staffBearer"));
            const char *kind = json_string_value(json_object_get(o, "x-partner-kind"));
            cr_assert(kind && (!strcmp(kind, "platform") || !strcmp(kind, "provider") ||
                               !strcmp(kind, "payment") || !strcmp(kind, "any")),
                      "%s %s: x-partner-kind", methods[m], path);

            /* each {param} of the path is declared */
            for (const char *p = strchr(path, '{'); p; p = strchr(p + 1, '{')) {
                char name[64];
                size_t len = strcspn(p + 1, "}");
                int declared = 0;
                size_t i;
                json_t *param;
                snprintf(name, sizeof name, "%.*s", (int)len, p + 1);
                json_array_foreach(json_object_get(o, "parameters"), i, param)
                {
                    param = deref(doc, param);
                    declared |=
                        strcmp(json_string_value(json_object_get(param, "name")), name) == 0 &&
                        strcmp(json_string_value(json_object_get(param, "in")), "path") == 0;
                }
                cr_assert(declared, "%s %s: path parameter %s", methods[m], path, name);
            }

            /* a 2xx reply with a JSON schema, and the 401 of the signature checks */
            json_t *resp = json_object_get(o, "responses"), *r;
            const char *status;
            int ok = 0;
            json_object_foreach(resp, status, r)
            {
                if (status[0] == '2') {
                    r = deref(doc, r);
                    ok = json_object_get(
                             json_object_get(json_object_get(r, "content"), "application/json"),
                             "schema") != NULL;
                }
            }
            cr_assert(ok, "%s %s: no 2xx JSON reply", methods[m], path);
            cr_assert_not_null(json_object_get(resp, "401"), "%s %s: no 401", methods[m], path);
            cr_assert_not_null(json_object_get(resp, "403"), "%s %s: no 403", methods[m], path);
        }
    }
    json_decref(doc);
}

/* Checks the problem codes of one response object documented under status. */
static int check_codes(json_t *doc, const char *where, const char *status, json_t *resp)
{
    json_t *schema, *codes, *c;
    size_t i;
    int n = 0;

    resp = deref(doc, resp);
    schema = json_object_get(
        json_object_get(json_object_get(resp, "content"), "application/problem+json"), "schema");
    if (!schema)
        return 0;
    codes = json_object_get(
        json_object_get(
            json_object_get(json_array_get(json_object_get(schema, "allOf"), 1), "properties"),
            "code"),
        "enum");
    cr_assert(json_array_size(codes) > 0, "%s %s: a problem without its codes", where, status);
    json_array_foreach(codes, i, c)
    {
        const char *code = json_string_value(c);
        const struct err_def *e = err_lookup(code);
        cr_assert_not_null(e, "%s documents %s under %s; src/core/errors.c has no such code", where,
                           code, status);
        cr_assert_eq(e->status, atoi(status), "%s documents %s under %s; its status is %d", where,
                     code, status, e->status);
        n++;
    }
    return n;
}

Test(openapi, every_documented_code_is_in_the_error_table_with_its_status)
{
    json_t *doc = fetch(), *paths = json_object_get(doc, "paths"), *item, *o, *r;
    const char *path, *status;
    char where[300];
    int n = 0;

    json_object_foreach(paths, path, item)
    {
        for (int m = 0; methods[m]; m++) {
            if (!(o = json_object_get(item, methods[m])))
                continue;
            snprintf(where, sizeof where, "%s %s", methods[m], path);
            json_object_foreach(json_object_get(o, "responses"), status, r) n +=
                check_codes(doc, where, status, r);
        }
    }
    cr_assert_gt(n, 50, "only %d codes checked", n);
    json_decref(doc);
}

Test(openapi, every_partner_route_refuses_an_unsigned_request)
{
    for (const struct http_route *r = api_routes; r->pattern; r++) {
        char path[256];
        const char *method = r->method == HTTP_GET      ? "GET"
                             : r->method == HTTP_POST   ? "POST"
                             : r->method == HTTP_PUT    ? "PUT"
                             : r->method == HTTP_DELETE ? "DELETE"
                                                        : "PATCH";
        struct harness_reply rep;
        size_t o = 0;

        if (strncmp(r->pattern, PARTNER_PREFIX, strlen(PARTNER_PREFIX)) != 0)
            continue;
        for (const char *p = r->pattern; *p && o + 32 < sizeof path; p++) {
            if (p[0] == '{' && p[1] == '}') {
                memcpy(path + o, "abcdefghijklmnopqrstuvwxyz", 26);
                o += 26;
                p++;
            } else {
                path[o++] = *p;
            }
        }
        path[o] = '\0';
        int body = r->method != HTTP_GET && r->method != HTTP_DELETE;
        cr_assert_eq(harness_request(&H, method, path, body ? "application/json" : NULL,
                                     body ? "{}" : NULL, body ? 2 : 0, NULL, &rep),
                     0);
        json_t *j = json_loadb(rep.body, rep.body_len, 0, NULL);
        const char *code = json_string_value(json_object_get(j, "code"));
        cr_assert(rep.status == 401 && code && strcmp(code, "partner.unsigned") == 0,
                  "%s %s unsigned: %ld %s", method, path, rep.status, rep.body);
        json_decref(j);
        harness_reply_free(&rep);
    }
}
