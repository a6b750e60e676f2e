/*
 * reply: how handlers answer. JSON bodies are built with jansson and serialised
 * into req->out; errors are application/problem+json with a stable `code` whose
 * title comes from the code table (core/errors.h) in the request's language.
 * Replies of a fixed shape on hot read paths may instead be written straight into
 * req->out with the api_jw_* writer below: building and dumping a jansson tree
 * costs about 30,000 instructions for a 200-byte object, the writer a tenth.
 *
 *   {"type":"about:blank","title":"...","status":400,"code":"validation",
 *    "detail":"...","request_id":"...",
 *    "errors":[{"field":"nik","code":"nik.bad_birth_date","message":"..."}]}
 */
#ifndef PK_API_REPLY_H
#define PK_API_REPLY_H
#include <jansson.h>

#include "core/errors.h"
#include "http/http.h"

/* Serialises body (a reference is stolen, NULL gives no body) with the status. */
void api_json(struct http_req *req, int status, json_t *body);
/* A problem with the code's own status and title; detail may be NULL. */
void api_problem(struct http_req *req, const char *code, const char *detail);
/* Same with an explicit status (for codes used under several statuses). */
void api_problem_status(struct http_req *req, int status, const char *code, const char *detail);
/* 400 "validation" listing each field error in order. */
void api_problem_fields(struct http_req *req, const struct field_error *errs, int n);

/* A JSON reply written by hand: the caller writes keys and punctuation with
 * api_jw_raw (literal JSON text, never input) and values with api_jw_str/api_jw_int;
 * strings are escaped as jansson's compact dump escapes them. api_jw_end sends it
 * as application/json with the status, or a 500 problem when a string was not
 * valid UTF-8 or the reply outgrew req->out's cap. */
struct api_jw {
    struct http_req *req;
    int failed;
};
void api_jw_begin(struct api_jw *w, struct http_req *req);
void api_jw_raw(struct api_jw *w, const char *json);
void api_jw_str(struct api_jw *w, const char *s);      /* NULL writes null */
void api_jw_int(struct api_jw *w, long long v);
void api_jw_end(struct api_jw *w, int status);

/* Reads the body as a JSON object. On failure it has already replied (415 for a
 * Content-Type other than application/json, 400 json.malformed with line and
 * column, 400 json.invalid_utf8, 400 json.not_object) and returns NULL; on
 * success the caller owns the reference. */
json_t *api_body_object(struct http_req *req);

/* Field readers for a body object. Each returns 0 and sets *out (arena copy for
 * strings) when the field is present and well-typed; when absent sets *out NULL /
 * leaves it and returns 1; otherwise records a field error (field.wrong_type,
 * field.nul_byte, field.too_long) in errs/n (up to max) and returns -1.
 * Strings are checked for valid UTF-8 and NUL bytes and limited to maxlen bytes. */
int api_field_str(struct http_req *req, json_t *obj, const char *field, size_t maxlen,
                  const char **out, struct field_error *errs, int *n, int max);
int api_field_int(struct http_req *req, json_t *obj, const char *field, long long *out,
                  struct field_error *errs, int *n, int max);

#endif
