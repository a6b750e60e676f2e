/*
 * health: liveness and readiness for load balancers and orchestrators. /healthz
 * answers as long as the process serves; /readyz asks this worker's database
 * connection for `SELECT 1` and answers 503 store.unavailable when it cannot.
 */
#include "api/health.h"

#include "api/reply.h"
#include "store/db.h"

void api_healthz(struct http_req *req)
{
    api_json(req, 200, json_pack("{s:s}", "status", "ok"));
}

void api_readyz(struct http_req *req)
{
    int64_t one = 0;
    if (!req->db || db_one_int(req->db, "SELECT 1", NULL, 0, &one) != DB_OK || one != 1) {
        http_count_db_error();
        api_problem_status(req, 503, "store.unavailable", NULL);
        return;
    }
    api_json(req, 200, json_pack("{s:s}", "status", "ready"));
}
