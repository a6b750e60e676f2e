/*
 * routes: the one static route table of the server. http/ matches the method and
 * pattern ("{}" captures one path segment into req->params) and answers 404 or
 * 405 with Allow for anything not listed here.
 */
#include "api/app.h"
#include "api/health.h"

const struct http_route api_routes[] = {
    {HTTP_GET, "/healthz", api_healthz},
    {HTTP_GET, "/readyz", api_readyz},
    {HTTP_GET, "/metrics", http_metrics},
    {HTTP_GET, "/api/v1/regions", api_regions_list},
    {HTTP_GET, "/api/v1/regions/{}", api_regions_get},
    {HTTP_POST, "/api/v1/accounts", api_accounts_create},
    {HTTP_POST, "/api/v1/accounts/verify", api_accounts_verify},
    {HTTP_POST, "/api/v1/accounts/verify/resend", api_accounts_resend},
    {HTTP_POST, "/api/v1/sessions", api_sessions_create},
    {HTTP_DELETE, "/api/v1/sessions/current", api_sessions_delete},
    {HTTP_GET, "/api/v1/me", api_me},
    {HTTP_GET, "/api/v1/schemes", api_schemes_list},
    {HTTP_GET, "/api/v1/schemes/{}", api_schemes_get},
    {HTTP_POST, "/api/v1/test/attempts", api_test_start},
    {HTTP_POST, "/api/v1/test/attempts/{}/submit", api_test_submit},
    {HTTP_GET, "/api/v1/me/test", api_me_test},
    {HTTP_GET, "/api/v1/waves", api_waves_list},
    {HTTP_POST, "/api/v1/waves", api_waves_create},
    {HTTP_GET, "/api/v1/waves/{}", api_waves_get},
    {HTTP_POST, "/api/v1/waves/{}/open", api_waves_open},
    {HTTP_POST, "/api/v1/waves/{}/close", api_waves_close},
    {HTTP_POST, "/api/v1/waves/{}/draw", api_waves_draw},
    {HTTP_GET, "/api/v1/waves/{}/draw", api_waves_draw_file},
    {HTTP_POST, "/api/v1/waves/{}/applications", api_applications_create},
    {HTTP_GET, "/api/v1/me/applications", api_me_applications},
    {HTTP_POST, "/api/v1/me/applications/{}/carry-over", api_applications_carry_over},
    {HTTP_GET, "/api/v1/me/card", api_me_card},
    {0, NULL, NULL},
};
