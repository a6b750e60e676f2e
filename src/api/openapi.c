/*
 * openapi: GET /api/v1/openapi.json, the OpenAPI 3.1 document of the partner
 * API. The document is docs/openapi.json, written by hand and checked in; the
 * build embeds it byte for byte (src/api/embed_json.py, a custom_target in
 * src/api/meson.build, which refuses a file that is not JSON), so what partners
 * download is exactly the reviewed file. tests/api/openapi_test.c fetches it from
 * a running server and checks its paths and methods against api_routes, so the
 * document and the server cannot drift apart.
 */
#include "api/app.h"
#include "api/reply.h"

extern const char api_openapi_json[];
extern const size_t api_openapi_json_len;

void api_openapi(struct http_req *req)
{
    buf_reset(&req->out);
    if (buf_append(&req->out, api_openapi_json, api_openapi_json_len) < 0) {
        api_problem(req, "internal", NULL);
        return;
    }
    req->status = 200;
    req->content_type = "application/json";
}
