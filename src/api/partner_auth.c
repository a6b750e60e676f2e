/*
 * partner_auth: who a partner request comes from (src/api/partner_auth.h), and
 * GET /api/v1/partner/whoami[?kind=K], which answers just that so a partner can
 * check its signing (and, with ?kind, that its key is of kind K: 403
 * partner.wrong_kind otherwise).
 *
 * A signed request is checked cheapest first, so that junk costs no database
 * work: the four headers present and well-formed, the timestamp inside the
 * window; then the key is read (one query joining its partner) and its secret
 * decrypted; the HMAC-SHA256 of the canonical string
 *     METHOD \n PATH[?QUERY] \n TIMESTAMP \n NONCE \n hex(SHA-256(body))
 * is compared in constant time (crypto_auth_hmacsha256_verify); the partner's
 * status and kind are checked; last the nonce is remembered in its own short
 * write transaction, so only authentic requests that will be served use one up.
 * PATH is the request path as the server decoded it and QUERY the raw query
 * string, joined by "?" only when the query is not empty; TIMESTAMP and NONCE are
 * the header values as sent; the body hash is over the raw bytes received.
 *
 * Nonces are kept for twice the window: a request is accepted only while its
 * signed timestamp is within PARTNER_SIG_WINDOW of the clock, so a nonce seen at
 * time t can come back signed at most until t + 2 * window. Older rows are deleted
 * by whichever request first finds a minute has passed since the last clean-up
 * (a process-wide atomic), inside the same transaction as its own nonce.
 *
 * Staff of a partner send their bearer token instead: api_auth finds the
 * account, accounts.partner_id its partner, and the account's role must be the
 * one that goes with the partner's kind.
 *
 * A bad signature is answered with the canonical string the server computed in
 * the problem's detail: it holds nothing the caller did not send, and it is the
 * quickest way for a partner's developer to find a mismatch.
 */
#include "api/partner_auth.h"

#include <sodium.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>

#include "api/app.h"
#include "api/auth.h"
#include "api/reply.h"
#include "store/partners.h"
#include "util/str.h"

#define NONCE_MIN 16
#define NONCE_MAX 64
#define PRUNE_EVERY 60

static _Atomic int64_t last_prune;

static const char *method_name(int m)
{
    switch (m) {
    case HTTP_GET:
        return "GET";
    case HTTP_POST:
        return "POST";
    case HTTP_PUT:
        return "PUT";
    case HTTP_DELETE:
        return "DELETE";
    case HTTP_PATCH:
        return "PATCH";
    case HTTP_HEAD:
        return "HEAD";
    case HTTP_OPTIONS:
        return "OPTIONS";
    default:
        return "";
    }
}

static int nonce_ok(const char *s)
{
    size_t n = strlen(s);

    if (n < NONCE_MIN || n > NONCE_MAX)
        return 0;
    for (; *s; s++)
        if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
              *s == '_' || *s == '-'))
            return 0;
    return 1;
}

/* Unix seconds as 1..12 decimal digits; -1 otherwise. */
static int64_t parse_ts(const char *s)
{
    int64_t v = 0;
    size_t n = strlen(s);

    if (n == 0 || n > 12)
        return -1;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return -1;
        v = v * 10 + (*s - '0');
    }
    return v;
}

/* The canonical string of req, in the arena. */
static const char *canonical(struct http_req *req, const char *ts, const char *nonce)
{
    unsigned char h[crypto_hash_sha256_BYTES];
    char hex[crypto_hash_sha256_BYTES * 2 + 1];

    crypto_hash_sha256(h, (const unsigned char *)req->body, req->body_len);
    sodium_bin2hex(hex, sizeof hex, h, sizeof h);
    return arena_printf(req->arena, "%s\n%s%s%s\n%s\n%s\n%s", method_name(req->method), req->path,
                        req->query && *req->query ? "?" : "", req->query ? req->query : "", ts,
                        nonce, hex);
}

static int kind_matches(const char *want, const char *have)
{
    return want == NULL || strcmp(want, have) == 0;
}

static void fill(struct partner_ctx *out, const struct partner *p, const char *key_id,
                 int64_t account_id)
{
    out->partner_id = p->id;
    str_copy(out->public_id, sizeof out->public_id, p->public_id);
    str_copy(out->kind, sizeof out->kind, p->kind);
    str_copy(out->name, sizeof out->name, p->name);
    str_copy(out->key_id, sizeof out->key_id, key_id ? key_id : "");
    out->account_id = account_id;
}

/* The staff path: a bearer token of an account working for a partner. */
static int staff(struct http_req *req, const char *kind, struct partner_ctx *out)
{
    struct auth_ctx a;
    struct partner p;
    const char *role;
    int rc;

    if (api_auth(req, &a) < 0)
        return -1;
    rc = partners_of_account(req->db, a.account_id, &p);
    if (rc == DB_ENOTFOUND) {
        api_problem(req, "auth.forbidden", "This account does not work for a partner.");
        return -1;
    }
    if (rc != DB_OK) {
        api_store_error(req, rc);
        return -1;
    }
    role = partners_kind_role(p.kind);
    if (!role || strcmp(role, a.role) != 0) {
        api_problem(req, "auth.forbidden", NULL);
        return -1;
    }
    if (strcmp(p.status, "active") != 0) {
        api_problem(req, "partner.suspended", NULL);
        return -1;
    }
    if (!kind_matches(kind, p.kind)) {
        api_problem(req, "partner.wrong_kind", NULL);
        return -1;
    }
    fill(out, &p, NULL, a.account_id);
    return 0;
}

struct nonce_ctx {
    const char *key_id, *nonce;
    int64_t now;
    int prune;
    int replayed;
};

static int nonce_txn(db *d, void *arg)
{
    struct nonce_ctx *c = arg;
    int rc;

    if (c->prune && (rc = partners_nonce_prune(d, c->now - 2 * PARTNER_SIG_WINDOW, NULL)) != DB_OK)
        return rc;
    return partners_nonce_remember(d, c->key_id, c->nonce, c->now, &c->replayed);
}

int api_partner_auth(struct http_req *req, const char *kind, struct partner_ctx *out)
{
    const char *key = http_header(req, "X-Prakerja-Key");
    const char *ts = http_header(req, "X-Prakerja-Timestamp");
    const char *nonce = http_header(req, "X-Prakerja-Nonce");
    const char *sig = http_header(req, "X-Prakerja-Signature");
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    struct partner_key k;
    struct partner p;
    const char *canon, *auth;
    size_t maclen = 0;
    const char *end = NULL;
    int64_t t, now = (int64_t)time(NULL), last;
    struct nonce_ctx nc;
    int rc, good;

    memset(out, 0, sizeof *out);
    if (!key && !ts && !nonce && !sig) {
        auth = http_header(req, "Authorization");
        if (auth && *auth)
            return staff(req, kind, out);
        api_problem(req, "partner.unsigned", NULL);
        return -1;
    }
    if (!key || !ts || !nonce || !sig) {
        api_problem(req, "partner.unsigned",
                    arena_printf(req->arena, "Missing header %s.",
                                 !key     ? "X-Prakerja-Key"
                                 : !ts    ? "X-Prakerja-Timestamp"
                                 : !nonce ? "X-Prakerja-Nonce"
                                          : "X-Prakerja-Signature"));
        return -1;
    }
    t = parse_ts(ts);
    if (t < 0 || t < now - PARTNER_SIG_WINDOW || t > now + PARTNER_SIG_WINDOW) {
        api_problem(req, "partner.stale_timestamp",
                    arena_printf(req->arena, "The server's time is %lld.", (long long)now));
        return -1;
    }
    if (!nonce_ok(nonce)) {
        api_problem(req, "partner.bad_nonce", NULL);
        return -1;
    }
    if (strlen(sig) != crypto_auth_hmacsha256_BYTES * 2 ||
        sodium_hex2bin(mac, sizeof mac, sig, strlen(sig), NULL, &maclen, &end) != 0 ||
        maclen != sizeof mac || *end != '\0') {
        api_problem(req, "partner.bad_signature",
                    "X-Prakerja-Signature must be 64 hexadecimal digits.");
        return -1;
    }
    rc = partners_key_find(req->db, &req->app->keys, key, &k, &p);
    if (rc == DB_ENOTFOUND) {
        api_problem(req, "partner.unknown_key", NULL);
        return -1;
    }
    if (rc != DB_OK) {
        api_store_error(req, rc);
        return -1;
    }
    if (k.revoked_at) {
        sodium_memzero(k.secret, sizeof k.secret);
        api_problem(req, "partner.revoked_key", NULL);
        return -1;
    }
    canon = canonical(req, ts, nonce);
    good = crypto_auth_hmacsha256_verify(mac, (const unsigned char *)canon, strlen(canon),
                                         k.secret) == 0;
    sodium_memzero(k.secret, sizeof k.secret);
    if (!good) {
        api_problem(req, "partner.bad_signature",
                    arena_printf(req->arena, "The server's canonical string was:\n%s", canon));
        return -1;
    }
    if (strcmp(p.status, "active") != 0) {
        api_problem(req, "partner.suspended", NULL);
        return -1;
    }
    if (!kind_matches(kind, p.kind)) {
        api_problem(req, "partner.wrong_kind", NULL);
        return -1;
    }
    nc = (struct nonce_ctx){.key_id = k.key_id, .nonce = nonce, .now = now};
    last = atomic_load(&last_prune);
    nc.prune = now - last >= PRUNE_EVERY && atomic_compare_exchange_strong(&last_prune, &last, now);
    rc = db_txn(req->db, nonce_txn, &nc);
    if (rc != DB_OK) {
        api_store_error(req, rc);
        return -1;
    }
    if (nc.replayed) {
        api_problem(req, "partner.replayed_nonce", NULL);
        return -1;
    }
    fill(out, &p, k.key_id, 0);
    return 0;
}

void api_partner_whoami(struct http_req *req)
{
    const char *kind = http_query(req, "kind");
    struct partner_ctx p;
    struct api_jw w;

    if (kind && !partners_kind_valid(kind)) {
        struct field_error e = {"kind", "partner.kind_invalid"};
        api_problem_fields(req, &e, 1);
        return;
    }
    if (api_partner_auth(req, kind, &p) < 0)
        return;
    api_jw_begin(&w, req);
    api_jw_raw(&w, "{\"partner_id\":");
    api_jw_str(&w, p.public_id);
    api_jw_raw(&w, ",\"kind\":");
    api_jw_str(&w, p.kind);
    api_jw_raw(&w, ",\"name\":");
    api_jw_str(&w, p.name);
    api_jw_raw(&w, ",\"key_id\":");
    api_jw_str(&w, p.key_id[0] ? p.key_id : NULL);
    api_jw_raw(&w, "}");
    api_jw_end(&w, 200);
}
