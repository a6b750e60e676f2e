/*
 * sessions (API): log in, log out, and the caller's own account.
 *
 * POST /api/v1/sessions checks the password with argon2id under the same bound
 * as registration. An unknown email still runs one verification against a fixed
 * dummy hash so the answer takes as long as for a real account. Failed log-ins
 * are counted per account in a 15-minute window: from the 5th on, attempts made
 * before a delay that doubles with each failure (2, 4, 8 ... seconds) are refused
 * with 429 and still counted, without looking at the password; at 10 the account
 * is locked for 15 minutes (423). A successful log-in clears the count.
 *
 * DELETE /api/v1/sessions/current ends the caller's session; GET /api/v1/me
 * shows the account with the NIK masked and its regions by name.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "api/app.h"
#include "api/auth.h"
#include "api/reply.h"
#include "core/nik.h"
#include "core/text.h"
#include "store/accounts.h"
#include "store/audit.h"
#include "store/regions.h"
#include "store/sessions.h"

#define FAIL_WINDOW (15 * 60)
#define THROTTLE_AFTER 5
#define LOCK_AFTER 10
#define LOCK_FOR (15 * 60)

static const char dummy_hash[crypto_pwhash_STRBYTES] =
    "$argon2id$v=19$m=65536,t=2,p=1$QbZbuKzP2ltDdFZ4//3M6w$"
    "OPnEzJStVAHJ/4jdhxw8g0kHXpTXXrPkrAqSj71iORQ";

/* Seconds to wait after the last failure once failures have reached THROTTLE_AFTER. */
static int64_t throttle_delay(int failures)
{
    int shift = failures - THROTTLE_AFTER + 1;
    if (shift < 1)
        return 0;
    if (shift > 9)
        shift = 9;
    return (int64_t)1 << shift;
}

struct login_ctx {
    const struct account_row *acc;
    int64_t now, ttl;
    int ok;
    char token[SESSIONS_TOKEN_HEX + 1];
    int64_t expires_at;
    int failures;
    int64_t locked_until;
};

static int login_txn(db *d, void *vctx)
{
    struct login_ctx *c = vctx;
    char actor[ACCOUNTS_PUBLIC_ID_LEN + 16];
    int rc;

    snprintf(actor, sizeof actor, "account:%s", c->acc->public_id);
    if (!c->ok) {
        rc = accounts_login_failed(d, c->acc->id, c->now, FAIL_WINDOW, LOCK_AFTER, LOCK_FOR,
                                   &c->failures, &c->locked_until);
        if (rc == DB_OK)
            rc = audit_append(d, c->now, actor, "session.login_failed", c->acc->public_id,
                              c->locked_until > c->now ? "locked" : NULL);
        return rc;
    }
    rc = accounts_login_ok(d, c->acc->id);
    if (rc == DB_OK)
        rc = sessions_create(d, c->acc->id, c->now, c->ttl, c->token, &c->expires_at);
    if (rc == DB_OK)
        rc = audit_append(d, c->now, actor, "session.login", c->acc->public_id, NULL);
    return rc;
}

static int check_password(struct http_req *req, const char *hash, const char *password,
                          int *ok)
{
    if (api_pwhash_acquire(req) != 0)
        return -1;
    *ok = crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
    api_pwhash_release(req);
    return 0;
}

void api_sessions_create(struct http_req *req)
{
    struct field_error errs[4];
    const char *email_in = NULL, *password = NULL;
    char email[256], iso[21];
    struct account_row acc;
    struct login_ctx c;
    int n = 0, rc, ok = 0, throttled = 0;
    int64_t now = (int64_t)time(NULL);
    json_t *body = api_body_object(req);

    if (!body)
        return;
    if (api_field_str(req, body, "email", 254, &email_in, errs, &n, 4) == 1 ||
        (email_in && !*email_in))
        errs[n++] = (struct field_error){"email", "field.required"};
    if (api_field_str(req, body, "password", 1024, &password, errs, &n, 4) == 1 ||
        (password && !*password))
        errs[n++] = (struct field_error){"password", "field.required"};
    json_decref(body);
    if (n > 0) {
        api_problem_fields(req, errs, n);
        return;
    }
    snprintf(email, sizeof email, "%s", email_in);
    for (char *p = email; *p; p++)
        *p = (char)tolower((unsigned char)*p);

    rc = accounts_by_email(req->db, email, &acc);
    if (rc != DB_OK && rc != DB_ENOTFOUND) {
        api_store_error(req, rc);
        return;
    }
    if (rc == DB_ENOTFOUND || acc.password_hash[0] == '\0') {
        if (check_password(req, dummy_hash, password, &ok) == 0)
            api_problem(req, "auth.bad_credentials", NULL);
        return;
    }
    if (acc.locked_until > now) {
        req->retry_after = (int)(acc.locked_until - now);
        api_problem(req, "auth.locked", NULL);
        return;
    }
    if (acc.last_failed_at > now - FAIL_WINDOW && acc.failed_logins >= THROTTLE_AFTER &&
        now < acc.last_failed_at + throttle_delay(acc.failed_logins))
        throttled = 1;
    if (!throttled && check_password(req, acc.password_hash, password, &ok) != 0)
        return;

    memset(&c, 0, sizeof c);
    c.acc = &acc;
    c.now = now;
    c.ttl = req->app->session_ttl;
    c.ok = ok && !throttled;
    rc = db_txn(req->db, login_txn, &c);
    if (rc != DB_OK) {
        api_store_error(req, rc);
        return;
    }
    if (!c.ok) {
        if (c.locked_until > now) {
            req->retry_after = (int)(c.locked_until - now);
            api_problem(req, "auth.locked", NULL);
        } else if (throttled) {
            req->retry_after = (int)throttle_delay(c.failures);
            api_problem(req, "auth.throttled", NULL);
        } else {
            api_problem(req, "auth.bad_credentials", NULL);
        }
        return;
    }
    api_time_iso(c.expires_at, iso);
    api_json(req, 201, json_pack("{s:s, s:s}", "token", c.token, "expires_at", iso));
    sodium_memzero(c.token, sizeof c.token);
}

struct logout_ctx {
    const struct auth_ctx *auth;
    int64_t now;
};

static int logout_txn(db *d, void *vctx)
{
    struct logout_ctx *c = vctx;
    char actor[ACCOUNTS_PUBLIC_ID_LEN + 16];
    int rc = sessions_delete(d, c->auth->token);

    snprintf(actor, sizeof actor, "account:%s", c->auth->public_id);
    if (rc == DB_OK)
        rc = audit_append(d, c->now, actor, "session.logout", c->auth->public_id, NULL);
    return rc;
}

void api_sessions_delete(struct http_req *req)
{
    struct auth_ctx auth;
    struct logout_ctx c;
    int rc;

    if (api_auth(req, &auth) != 0)
        return;
    c.auth = &auth;
    c.now = (int64_t)time(NULL);
    rc = db_txn(req->db, logout_txn, &c);
    if (rc != DB_OK) {
        api_store_error(req, rc);
        return;
    }
    api_json(req, 204, NULL);
}

static json_t *str_or_null(const char *s)
{
    return s && *s ? json_string(s) : json_null();
}

/* {code, name, display_name} of a region, null when code is empty or unknown. */
static json_t *region_brief(struct http_req *req, const char *code)
{
    struct region r;
    char disp[256];

    if (!code || !*code || regions_get(req->db, code, &r) != DB_OK)
        return json_null();
    text_title_case(r.name, disp, sizeof disp);
    return json_pack("{s:s, s:s, s:s}", "code", r.code, "name", r.name, "display_name", disp);
}

void api_me(struct http_req *req)
{
    struct auth_ctx auth;
    struct account_row acc;
    char nik[32], masked[17], created[21], sex[2], province[3] = "";
    int rc;

    if (api_auth(req, &auth) != 0)
        return;
    rc = accounts_by_id(req->db, auth.account_id, &acc);
    if (rc != DB_OK) {
        api_store_error(req, rc == DB_ENOTFOUND ? DB_ERR : rc);
        return;
    }
    if (acc.nik_enc[0] && pii_decrypt(&req->app->keys, acc.nik_enc, nik, sizeof nik) == 0)
        nik_mask(nik, masked);
    else
        masked[0] = '\0';
    sodium_memzero(nik, sizeof nik);
    if (strlen(acc.regency_code) >= 2)
        memcpy(province, acc.regency_code, 2);
    sex[0] = acc.sex;
    sex[1] = '\0';
    api_time_iso(acc.created_at, created);
    api_json(req, 200, json_pack(
        "{s:s, s:o, s:s, s:o, s:o, s:o, s:s, s:o, s:o, s:b, s:b, s:o, s:o, s:o, s:o, s:s}",
        "id", acc.public_id, "email", str_or_null(acc.email), "full_name", acc.full_name,
        "phone", str_or_null(acc.phone), "sex", str_or_null(sex),
        "birth_date", str_or_null(acc.birth_date), "role", acc.role,
        "education", str_or_null(acc.education), "occupation", str_or_null(acc.occupation),
        "email_verified", acc.email_verified_at != 0, "phone_verified",
        acc.phone_verified_at != 0, "nik_masked", str_or_null(masked),
        "village", region_brief(req, acc.village_code),
        "regency", region_brief(req, acc.regency_code),
        "province", region_brief(req, province), "created_at", created));
}
