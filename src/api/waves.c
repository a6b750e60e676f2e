/* waves: being written (issue 4). */
#include "api/app.h"
#include "api/reply.h"
void api_waves_list(struct http_req *req) { api_problem(req, "not_found", NULL); }
void api_waves_create(struct http_req *req) { api_problem(req, "not_found", NULL); }
void api_waves_get(struct http_req *req) { api_problem(req, "not_found", NULL); }
void api_waves_open(struct http_req *req) { api_problem(req, "not_found", NULL); }
void api_waves_close(struct http_req *req) { api_problem(req, "not_found", NULL); }
void api_waves_draw(struct http_req *req) { api_problem(req, "not_found", NULL); }
void api_waves_draw_file(struct http_req *req) { api_problem(req, "not_found", NULL); }
void api_applications_create(struct http_req *req) { api_problem(req, "not_found", NULL); }
void api_me_applications(struct http_req *req) { api_problem(req, "not_found", NULL); }
void api_applications_carry_over(struct http_req *req) { api_problem(req, "not_found", NULL); }
void api_me_card(struct http_req *req) { api_problem(req, "not_found", NULL); }
