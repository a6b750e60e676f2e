/*
 * partner_auth: who a partner request comes from. Machines sign each request
 * (DESIGN.md): headers
 *   X-Prakerja-Key:        the key id ("pk_" + 24 base32 characters)
 *   X-Prakerja-Timestamp:  Unix seconds; refused outside now +- 300 s
 *   X-Prakerja-Nonce:      16..64 of [A-Za-z0-9_-]; accepted once per key
 *   X-Prakerja-Signature:  lower-case hex HMAC-SHA256, keyed by the key's secret, of
 *       METHOD "\n" PATH_WITH_QUERY "\n" TIMESTAMP "\n" NONCE "\n" hex(SHA-256(body))
 * People working for a partner (an account whose partner_id is set and whose role
 * is the partner kind's: provider, platform, payment_partner) may instead send
 * their bearer token, so the web app's provider pages use the same endpoints.
 *
 * On failure it has already answered and the handler just returns: 401
 * partner.unsigned (no signature and no token), partner.unknown_key,
 * partner.bad_signature, partner.stale_timestamp, partner.replayed_nonce; 403
 * partner.suspended, partner.wrong_kind; 503/500 when the store fails.
 */
#ifndef PK_API_PARTNER_AUTH_H
#define PK_API_PARTNER_AUTH_H
#include <stdint.h>

#include "http/http.h"

#define PARTNER_SIG_WINDOW 300

struct partner_ctx {
    int64_t partner_id;
    char public_id[27];
    char kind[16];                /* platform | provider | payment */
    char name[128];
    char key_id[40];              /* "" when a staff bearer token was used */
    int64_t account_id;           /* the staff account, 0 for a signed request */
};

/* kind: the partner kind the route is for ("platform", "provider", "payment"), or
 * NULL for any. 0 and *out filled, or -1 after replying. */
int api_partner_auth(struct http_req *req, const char *kind, struct partner_ctx *out);

#endif
