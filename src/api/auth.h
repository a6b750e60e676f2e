/*
 * auth: who is calling. api_auth reads "Authorization: Bearer <64 hex>", finds
 * the unexpired session and its account, and fills an auth_ctx; on failure it
 * has already answered 401 (auth.required without a token, auth.invalid_token for
 * an unknown, malformed or expired one) and the handler just returns. It also
 * holds the small helpers every handler shares: the password-hash bound, store
 * error replies and time formatting.
 */
#ifndef PK_API_AUTH_H
#define PK_API_AUTH_H
#include <stdint.h>

#include "http/http.h"
#include "store/accounts.h"

struct auth_ctx {
    int64_t account_id;
    char public_id[ACCOUNTS_PUBLIC_ID_LEN + 1];
    char role[24];
    char scope_code[16];
    const char *token;           /* the bearer token, in the request's arena */
    int64_t expires_at;
};

/* 0 and *out filled, or -1 after replying 401 (or 503/500 when the store fails). */
int api_auth(struct http_req *req, struct auth_ctx *out);

/* 1 when role is one of participant, provider, platform, payment_partner, admin,
 * analyst, coordinator. */
int api_role_valid(const char *role);
/* 1 when the caller's role is one of the roles listed (NULL-terminated). */
int api_role_in(const struct auth_ctx *a, ...) __attribute__((sentinel));

/* Takes a slot for one argon2id hash (bounded by app->pwhash_max): 0, or -1 after
 * replying 503 overloaded with Retry-After: 1. Every 0 is paired with release. */
int api_pwhash_acquire(struct http_req *req);
void api_pwhash_release(struct http_req *req);

/* Answers a failed store call: 503 store.unavailable or 500 internal (counted
 * for /metrics). */
void api_store_error(struct http_req *req, int rc);

/* Writes t (Unix seconds) as "2026-12-05T10:00:00Z" (utc_format of util/utc.h;
 * "1970-01-01T00:00:00Z" for a time past year 9999). */
void api_time_iso(int64_t t, char out[21]);

#endif
