/*
 * auth: bearer-token authentication and the helpers handlers share. A token is
 * taken from "Authorization: Bearer <token>" (scheme case-insensitive), looked up
 * by its hash in the sessions table, and the account's role and scope are read so
 * handlers can check permissions without another query. The password-hash bound
 * is a compare-and-swap on app->pwhash_running so no lock is held while hashing.
 */
#include "api/auth.h"

#include <stdarg.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "api/app.h"
#include "api/reply.h"
#include "store/sessions.h"
#include "util/utc.h"

static const char *const roles[] = {
    "participant", "provider", "platform", "payment_partner", "admin", "analyst",
    "coordinator", NULL,
};

int api_role_valid(const char *role)
{
    if (!role)
        return 0;
    for (int i = 0; roles[i]; i++)
        if (strcmp(role, roles[i]) == 0)
            return 1;
    return 0;
}

int api_role_in(const struct auth_ctx *a, ...)
{
    va_list ap;
    const char *r;
    int found = 0;

    va_start(ap, a);
    while ((r = va_arg(ap, const char *)) != NULL)
        if (strcmp(a->role, r) == 0)
            found = 1;
    va_end(ap);
    return found;
}

void api_store_error(struct http_req *req, int rc)
{
    http_count_db_error();
    if (rc == DB_EUNAVAILABLE || rc == DB_EBUSY)
        api_problem(req, "store.unavailable", NULL);
    else
        api_problem(req, "internal", NULL);
}

void api_time_iso(int64_t t, char out[21])
{
    if (utc_format(t, out, 21) != 0)
        strcpy(out, "1970-01-01T00:00:00Z");
}

int api_pwhash_acquire(struct http_req *req)
{
    struct app *a = req->app;
    int cur = atomic_load(&a->pwhash_running);

    do {
        if (cur >= a->pwhash_max) {
            req->retry_after = 1;
            api_problem(req, "overloaded", NULL);
            return -1;
        }
    } while (!atomic_compare_exchange_weak(&a->pwhash_running, &cur, cur + 1));
    return 0;
}

void api_pwhash_release(struct http_req *req)
{
    atomic_fetch_sub(&req->app->pwhash_running, 1);
}

int api_auth(struct http_req *req, struct auth_ctx *out)
{
    const char *h = http_header(req, "Authorization");
    struct account_row acc;
    int64_t account_id = 0, expires = 0;
    int rc;

    memset(out, 0, sizeof *out);
    if (!h || h[0] == '\0') {
        api_problem(req, "auth.required", NULL);
        return -1;
    }
    if (strncasecmp(h, "Bearer ", 7) != 0) {
        api_problem(req, "auth.invalid_token", NULL);
        return -1;
    }
    h += 7;
    while (*h == ' ')
        h++;
    if (strlen(h) != SESSIONS_TOKEN_HEX) {
        api_problem(req, "auth.invalid_token", NULL);
        return -1;
    }
    rc = sessions_find(req->db, h, (int64_t)time(NULL), &account_id, &expires);
    if (rc == DB_ENOTFOUND) {
        api_problem(req, "auth.invalid_token", NULL);
        return -1;
    }
    if (rc != DB_OK) {
        api_store_error(req, rc);
        return -1;
    }
    rc = accounts_by_id(req->db, account_id, &acc);
    if (rc == DB_ENOTFOUND) {
        api_problem(req, "auth.invalid_token", NULL);
        return -1;
    }
    if (rc != DB_OK) {
        api_store_error(req, rc);
        return -1;
    }
    out->account_id = acc.id;
    memcpy(out->public_id, acc.public_id, sizeof out->public_id);
    memcpy(out->role, acc.role, sizeof out->role);
    memcpy(out->scope_code, acc.scope_code, sizeof out->scope_code);
    out->token = arena_strdup(req->arena, h);
    out->expires_at = expires;
    return 0;
}
