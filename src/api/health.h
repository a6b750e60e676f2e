/* health: GET /healthz (the process answers) and GET /readyz (the store answers). */
#ifndef PK_API_HEALTH_H
#define PK_API_HEALTH_H
#include "http/http.h"
void api_healthz(struct http_req *req);
void api_readyz(struct http_req *req);
#endif
