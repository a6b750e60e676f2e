/* schemes: being written (issue 4). */
#include "api/app.h"
#include "api/reply.h"
void api_schemes_list(struct http_req *req) { api_problem(req, "not_found", NULL); }
void api_schemes_get(struct http_req *req) { api_problem(req, "not_found", NULL); }
