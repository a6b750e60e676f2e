/*
 * partner_sign: a partner's side of request signing (src/api/partner_auth.h), for
 * the API tests and the benchmarks: header-only (static inline), libsodium only.
 *
 *   struct partner_sig s;
 *   partner_sign(&s, key_id, secret_hex, "POST", "/api/v1/partner/purchases",
 *                body, body_len, 0, NULL);
 *   harness_request(&H, "POST", path, "application/json", body, body_len, s.headers, &r);
 *
 * s.headers holds the four "Name: value" lines (and room for two more, e.g.
 * Idempotency-Key, at s.headers[4..5]) ended by NULL: what harness_request
 * takes, and what curl_slist_append takes one by one. The signature is lower-case
 * hex HMAC-SHA256, keyed by the 32 bytes of the secret, of
 *   METHOD "\n" PATH_WITH_QUERY "\n" TIMESTAMP "\n" NONCE "\n" hex(SHA-256(body))
 * path_query is the path exactly as sent, with "?query" when there is a query.
 */
#ifndef PK_TEST_PARTNER_SIGN_H
#define PK_TEST_PARTNER_SIGN_H
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

struct partner_sig {
    char key[64];
    char timestamp[48];
    char nonce[160];
    char signature[96];
    const char *headers[7]; /* the four lines above, then NULL */
};

/* The canonical string of a request into out (cut to outlen - 1); returns its
 * length, or -1 when it does not fit. */
static inline int partner_canonical(char *out, size_t outlen, const char *method,
                                    const char *path_query, const char *timestamp,
                                    const char *nonce, const void *body, size_t body_len)
{
    unsigned char h[crypto_hash_sha256_BYTES];
    char hex[crypto_hash_sha256_BYTES * 2 + 1];
    int n;

    crypto_hash_sha256(h, (const unsigned char *)(body ? body : ""), body ? body_len : 0);
    sodium_bin2hex(hex, sizeof hex, h, sizeof h);
    n = snprintf(out, outlen, "%s\n%s\n%s\n%s\n%s", method, path_query, timestamp, nonce, hex);
    return n < 0 || (size_t)n >= outlen ? -1 : n;
}

/* Fills s for one request. ts 0 = now; nonce NULL = 32 fresh random characters.
 * Returns 0, or -1 when secret_hex is not 64 hex digits or the request is too
 * long to sign here (path over ~8 KiB, nonce over 128 characters). */
static inline int partner_sign(struct partner_sig *s, const char *key_id, const char *secret_hex,
                               const char *method, const char *path_query, const void *body,
                               size_t body_len, int64_t ts, const char *nonce)
{
    static const char alnum[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    unsigned char key[crypto_auth_hmacsha256_KEYBYTES], mac[crypto_auth_hmacsha256_BYTES];
    char tsbuf[24], nbuf[33], canon[8448], hex[crypto_auth_hmacsha256_BYTES * 2 + 1];
    size_t keylen = 0;
    int n;

    if (sodium_init() < 0 || strlen(secret_hex) != 64 ||
        sodium_hex2bin(key, sizeof key, secret_hex, 64, NULL, &keylen, NULL) != 0 ||
        keylen != sizeof key)
        return -1;
    snprintf(tsbuf, sizeof tsbuf, "%lld", (long long)(ts ? ts : (int64_t)time(NULL)));
    if (!nonce) {
        for (int i = 0; i < 32; i++)
            nbuf[i] = alnum[randombytes_uniform(sizeof alnum - 1)];
        nbuf[32] = '\0';
        nonce = nbuf;
    }
    if (strlen(nonce) > 128) {
        sodium_memzero(key, sizeof key);
        return -1;
    }
    n = partner_canonical(canon, sizeof canon, method, path_query, tsbuf, nonce, body, body_len);
    if (n < 0) {
        sodium_memzero(key, sizeof key);
        return -1;
    }
    crypto_auth_hmacsha256(mac, (const unsigned char *)canon, (unsigned long long)n, key);
    sodium_memzero(key, sizeof key);
    sodium_bin2hex(hex, sizeof hex, mac, sizeof mac);
    snprintf(s->key, sizeof s->key, "X-Prakerja-Key: %s", key_id);
    snprintf(s->timestamp, sizeof s->timestamp, "X-Prakerja-Timestamp: %s", tsbuf);
    snprintf(s->nonce, sizeof s->nonce, "X-Prakerja-Nonce: %s", nonce);
    snprintf(s->signature, sizeof s->signature, "X-Prakerja-Signature: %s", hex);
    s->headers[0] = s->key;
    s->headers[1] = s->timestamp;
    s->headers[2] = s->nonce;
    s->headers[3] = s->signature;
    s->headers[4] = NULL;
    s->headers[5] = NULL;
    s->headers[6] = NULL;
    return 0;
}

#endif
