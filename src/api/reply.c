/*
 * reply: JSON answers and application/problem+json errors for handlers, and the
 * readers that turn a request body into a checked JSON object and typed fields.
 * Bodies are serialised with json_dumpb into a stack buffer and copied into
 * req->out at once (json_dump_callback, token by token, for the rare reply that
 * does not fit); the api_jw_* writer appends to req->out directly. Titles and
 * field messages come from the error table in the request's language. Field
 * errors point at the caller's field name (a string literal) and the table's code.
 */
#include "api/reply.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "core/text.h"

#define DUMP_STACK 4096

static int dump_cb(const char *p, size_t n, void *data)
{
    return buf_append(data, p, n);
}

/* Serialises body into req->out: through a stack buffer in one copy when it fits
 * (most replies), else token by token through dump_cb. */
static int dump_body(struct http_req *req, json_t *body)
{
    char tmp[DUMP_STACK];
    size_t n = json_dumpb(body, tmp, sizeof tmp, JSON_COMPACT);
    if (n == 0)
        return -1;
    if (n <= sizeof tmp)
        return buf_append(&req->out, tmp, n);
    return json_dump_callback(body, dump_cb, &req->out, JSON_COMPACT);
}

static void put_json(struct http_req *req, int status, json_t *body, const char *ctype)
{
    buf_reset(&req->out);
    req->status = status;
    req->content_type = ctype;
    if (body && dump_body(req, body) < 0) {
        buf_reset(&req->out);
        req->status = 500;
        req->content_type = "application/problem+json";
        buf_puts(&req->out, "{\"type\":\"about:blank\",\"title\":\"Internal error\","
                            "\"status\":500,\"code\":\"internal\"}");
    }
}

void api_json(struct http_req *req, int status, json_t *body)
{
    put_json(req, status, body, "application/json");
    json_decref(body);
}

void api_jw_begin(struct api_jw *w, struct http_req *req)
{
    w->req = req;
    w->failed = 0;
    buf_reset(&req->out);
}

void api_jw_raw(struct api_jw *w, const char *json)
{
    if (buf_puts(&w->req->out, json) < 0)
        w->failed = 1;
}

void api_jw_str(struct api_jw *w, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    buf *out = &w->req->out;
    if (!s) {
        api_jw_raw(w, "null");
        return;
    }
    size_t n = strlen(s);
    if (!text_utf8_valid(s, n)) {
        w->failed = 1;
        return;
    }
    int rc = buf_append(out, "\"", 1);
    const char *run = s;
    for (const char *p = s; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        rc |= buf_append(out, run, (size_t)(p - run));
        char esc[7] = {'\\', (char)c, 0};
        size_t elen = 2;
        switch (c) {
        case '"': case '\\': break;
        case '\b': esc[1] = 'b'; break;
        case '\f': esc[1] = 'f'; break;
        case '\n': esc[1] = 'n'; break;
        case '\r': esc[1] = 'r'; break;
        case '\t': esc[1] = 't'; break;
        default:
            memcpy(esc + 1, "u00", 3);
            esc[4] = hex[c >> 4];
            esc[5] = hex[c & 15];
            elen = 6;
        }
        rc |= buf_append(out, esc, elen);
        run = p + 1;
    }
    rc |= buf_append(out, run, strlen(run));
    rc |= buf_append(out, "\"", 1);
    if (rc)
        w->failed = 1;
}

void api_jw_int(struct api_jw *w, long long v)
{
    if (buf_printf(&w->req->out, "%lld", v) < 0)
        w->failed = 1;
}

void api_jw_end(struct api_jw *w, int status)
{
    if (w->failed) {
        api_problem_status(w->req, 500, "internal", NULL);
        return;
    }
    w->req->status = status;
    w->req->content_type = "application/json";
}

static json_t *problem_object(struct http_req *req, int status, const char *code,
                              const char *detail)
{
    return json_pack("{s:s, s:s, s:i, s:s, s:s?, s:s?}", "type", "about:blank", "title",
                     err_text(code, req->lang), "status", status, "code", code, "detail", detail,
                     "request_id", req->request_id);
}

void api_problem_status(struct http_req *req, int status, const char *code, const char *detail)
{
    json_t *o = problem_object(req, status, code, detail);
    put_json(req, status, o, "application/problem+json");
    json_decref(o);
}

void api_problem(struct http_req *req, const char *code, const char *detail)
{
    const struct err_def *d = err_lookup(code);
    api_problem_status(req, d && d->status >= 100 ? d->status : 500, code, detail);
}

void api_problem_fields(struct http_req *req, const struct field_error *errs, int n)
{
    json_t *o = problem_object(req, 400, "validation", NULL);
    json_t *arr = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(arr, json_pack("{s:s, s:s, s:s}", "field", errs[i].field, "code",
                                             errs[i].code, "message",
                                             err_text(errs[i].code, req->lang)));
    if (o)
        json_object_set_new(o, "errors", arr);
    else
        json_decref(arr);
    put_json(req, 400, o, "application/problem+json");
    json_decref(o);
}

/* 1 when the Content-Type's media type is application/json. */
static int is_json_type(const char *ct)
{
    if (!ct)
        return 0;
    while (*ct == ' ' || *ct == '\t')
        ct++;
    static const char want[] = "application/json";
    size_t n = sizeof want - 1;
    if (strncasecmp(ct, want, n) != 0)
        return 0;
    ct += n;
    while (*ct == ' ' || *ct == '\t')
        ct++;
    return *ct == '\0' || *ct == ';';
}

json_t *api_body_object(struct http_req *req)
{
    if (!is_json_type(http_header(req, "Content-Type"))) {
        api_problem_status(req, 415, "unsupported_media_type", NULL);
        return NULL;
    }
    json_error_t err;
    json_t *v = json_loadb(req->body ? req->body : "", req->body_len,
                           JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &err);
    if (!v) {
        if (json_error_code(&err) == json_error_invalid_utf8) {
            api_problem_status(req, 400, "json.invalid_utf8", NULL);
        } else {
            char *detail = arena_printf(req->arena, "line %d, column %d: %s", err.line,
                                        err.column, err.text);
            api_problem_status(req, 400, "json.malformed", detail);
        }
        return NULL;
    }
    if (!json_is_object(v)) {
        json_decref(v);
        api_problem_status(req, 400, "json.not_object", NULL);
        return NULL;
    }
    return v;
}

static void field_error(const char *field, const char *code, struct field_error *errs, int *n,
                        int max)
{
    if (*n < max) {
        errs[*n].field = field;
        errs[*n].code = code;
        (*n)++;
    }
}

/* 1 when s[0..n) is well-formed UTF-8 (no overlongs, surrogates or values past U+10FFFF). */
static int utf8_valid(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned char c = s[i];
        size_t len;
        unsigned cp;
        if (c < 0x80) {
            i++;
            continue;
        } else if ((c & 0xe0) == 0xc0) {
            len = 2;
            cp = c & 0x1f;
        } else if ((c & 0xf0) == 0xe0) {
            len = 3;
            cp = c & 0x0f;
        } else if ((c & 0xf8) == 0xf0) {
            len = 4;
            cp = c & 0x07;
        } else {
            return 0;
        }
        if (i + len > n)
            return 0;
        for (size_t k = 1; k < len; k++) {
            if ((s[i + k] & 0xc0) != 0x80)
                return 0;
            cp = (cp << 6) | (s[i + k] & 0x3f);
        }
        if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
            cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
            return 0;
        i += len;
    }
    return 1;
}

int api_field_str(struct http_req *req, json_t *obj, const char *field, size_t maxlen,
                  const char **out, struct field_error *errs, int *n, int max)
{
    json_t *v = json_object_get(obj, field);
    if (!v || json_is_null(v)) {
        *out = NULL;
        return 1;
    }
    if (!json_is_string(v)) {
        field_error(field, "field.wrong_type", errs, n, max);
        return -1;
    }
    const char *s = json_string_value(v);
    size_t len = json_string_length(v);
    if (memchr(s, '\0', len)) {
        field_error(field, "field.nul_byte", errs, n, max);
        return -1;
    }
    if (!utf8_valid((const unsigned char *)s, len)) {
        field_error(field, "field.invalid_utf8", errs, n, max);
        return -1;
    }
    if (len > maxlen) {
        field_error(field, "field.too_long", errs, n, max);
        return -1;
    }
    *out = arena_strndup(req->arena, s, len);
    return 0;
}

int api_field_int(struct http_req *req, json_t *obj, const char *field, long long *out,
                  struct field_error *errs, int *n, int max)
{
    json_t *v = json_object_get(obj, field);
    if (!v || json_is_null(v))
        return 1;
    if (!json_is_integer(v)) {
        field_error(field, "field.wrong_type", errs, n, max);
        return -1;
    }
    *out = (long long)json_integer_value(v);
    return 0;
}
