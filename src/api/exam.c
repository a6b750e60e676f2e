/* exam: being written (issue 4). */
#include "api/app.h"
#include "api/reply.h"
void api_test_start(struct http_req *req) { api_problem(req, "not_found", NULL); }
void api_test_submit(struct http_req *req) { api_problem(req, "not_found", NULL); }
void api_me_test(struct http_req *req) { api_problem(req, "not_found", NULL); }
