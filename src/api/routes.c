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
    {0, NULL, NULL},
};
