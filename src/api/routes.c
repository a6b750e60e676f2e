/*
 * routes: the one static route table of the server. http/ matches the method and
 * pattern ("{}" captures one path segment into req->params) and answers 404 or
 * 405 with Allow for anything not listed here.
 */
#include "api/app.h"
#include "api/health.h"

const struct http_route api_routes[] = {
    {HTTP_GET, "/healthz", api_healthz, HTTP_ROUTE_NO_DB},
    {HTTP_GET, "/readyz", api_readyz, 0},
    {HTTP_GET, "/metrics", http_metrics, HTTP_ROUTE_NO_DB},
    {HTTP_GET, "/api/v1/regions", api_regions_list, 0},
    {HTTP_GET, "/api/v1/regions/{}", api_regions_get, 0},
    {HTTP_POST, "/api/v1/accounts", api_accounts_create, 0},
    {HTTP_POST, "/api/v1/accounts/verify", api_accounts_verify, 0},
    {HTTP_POST, "/api/v1/accounts/verify/resend", api_accounts_resend, 0},
    {HTTP_POST, "/api/v1/sessions", api_sessions_create, 0},
    {HTTP_DELETE, "/api/v1/sessions/current", api_sessions_delete, 0},
    {HTTP_GET, "/api/v1/me", api_me, 0},
    {HTTP_GET, "/api/v1/schemes", api_schemes_list, 0},
    {HTTP_GET, "/api/v1/schemes/{}", api_schemes_get, 0},
    {HTTP_POST, "/api/v1/test/attempts", api_test_start, 0},
    {HTTP_POST, "/api/v1/test/attempts/{}/submit", api_test_submit, 0},
    {HTTP_GET, "/api/v1/me/test", api_me_test, 0},
    {HTTP_GET, "/api/v1/waves", api_waves_list, 0},
    {HTTP_POST, "/api/v1/waves", api_waves_create, 0},
    {HTTP_GET, "/api/v1/waves/{}", api_waves_get, 0},
    {HTTP_POST, "/api/v1/waves/{}/open", api_waves_open, 0},
    {HTTP_POST, "/api/v1/waves/{}/close", api_waves_close, 0},
    {HTTP_POST, "/api/v1/waves/{}/draw", api_waves_draw, 0},
    {HTTP_GET, "/api/v1/waves/{}/draw", api_waves_draw_file, 0},
    {HTTP_POST, "/api/v1/waves/{}/applications", api_applications_create, 0},
    {HTTP_GET, "/api/v1/me/applications", api_me_applications, 0},
    {HTTP_POST, "/api/v1/me/applications/{}/carry-over", api_applications_carry_over, 0},
    {HTTP_GET, "/api/v1/me/card", api_me_card, 0},
    {0, NULL, NULL, 0},
};
