/*
 * partners (store): partner organisations (digital platforms, training
 * providers, payment partners), their API keys and the nonces of signed
 * requests (migration 0006).
 *
 * A key is a public id, "pk_" followed by 24 lower-case base32 characters (15
 * random bytes), and a secret of 32 random bytes that the partner receives once
 * as 64 hex digits and signs with (HMAC-SHA256, api/partner_auth.h). The server
 * must recompute signatures, so the secret cannot be stored hashed: it is
 * encrypted with the PII key (pii_encrypt, as NIKs are) and decrypted only when a
 * request names its key. Nonces are remembered per key, so a captured request
 * cannot be sent again while its timestamp is still inside the window.
 *
 * Validation of a new partner is here too (partners_validate) so that every
 * writer (the CLI today, an admin API later) applies the same rules. Functions
 * return DB_OK or a negative DB_E*; lookups DB_ENOTFOUND when there is no row.
 * Writers run inside the caller's db_txn.
 */
#ifndef PK_STORE_PARTNERS_H
#define PK_STORE_PARTNERS_H
#include <stdint.h>

#include "core/errors.h"
#include "store/db.h"
#include "store/pii.h"

#define PARTNERS_PUBLIC_ID_LEN 26
#define PARTNERS_KEY_ID_LEN 27 /* "pk_" + 24 */
#define PARTNERS_SECRET_BYTES 32
#define PARTNERS_SECRET_HEX 64
#define PARTNERS_NAME_MAX 120       /* bytes */
#define PARTNERS_LEGAL_NAME_MAX 200 /* bytes */
#define PARTNERS_FIELDS 6           /* errs slots partners_validate may fill */

struct partner {
    int64_t id;
    char public_id[PARTNERS_PUBLIC_ID_LEN + 1];
    char kind[16]; /* platform | provider | payment */
    char name[PARTNERS_NAME_MAX + 1];
    char legal_name[PARTNERS_LEGAL_NAME_MAX + 1]; /* "" when none */
    char tax_id[17];                              /* NPWP digits, "" when none */
    char contact_email[256];
    char contact_phone[20];
    char status[12]; /* active | suspended */
    int64_t created_at;
    int active_keys; /* filled by partners_each only */
};

struct partner_key {
    char key_id[PARTNERS_KEY_ID_LEN + 1];
    int64_t partner_id;
    int64_t created_at;
    int64_t revoked_at;                          /* 0 = in use */
    unsigned char secret[PARTNERS_SECRET_BYTES]; /* partners_key_find only; wipe after use */
};

/* What a new partner is made of: NUL-terminated strings, NULL or "" = absent.
 * partners_validate cleans it into struct partner_clean. */
struct partner_new {
    const char *kind, *name, *legal_name, *tax_id, *email, *phone;
};
struct partner_clean {
    char kind[16];
    char name[PARTNERS_NAME_MAX + 1];
    char legal_name[PARTNERS_LEGAL_NAME_MAX + 1];
    char tax_id[17]; /* digits only */
    char email[256]; /* lower-cased */
    char phone[20];  /* "+62..." */
};

/* 1 for platform, provider, payment. */
int partners_kind_valid(const char *kind);
/* The account role of a kind's staff: "platform", "provider", "payment_partner";
 * NULL for an unknown kind. */
const char *partners_kind_role(const char *kind);

/* Checks in and fills out; appends one field_error per bad field (at most max,
 * PARTNERS_FIELDS is enough for all), in the order kind, name, legal_name,
 * tax_id, email, phone, and returns how many. Rules: kind one of the three; name
 * 1..120 bytes of UTF-8 without control characters; legal_name up to 200 such
 * bytes; tax_id (NPWP) 15 or 16 digits once dots, hyphens and spaces are taken
 * out; providers need both legal_name and tax_id; email a valid address; phone
 * an Indonesian number of 8..13 digits after 0, 62 or +62, written "+62...". */
int partners_validate(const struct partner_new *in, struct partner_clean *out,
                      struct field_error *errs, int max);

/* Inserts a validated partner with status active; out (may be NULL) receives the
 * row as stored. */
int partners_insert(db *d, const struct partner_clean *in, int64_t now, struct partner *out);
int partners_by_public_id(db *d, const char *public_id, struct partner *out);
int partners_by_id(db *d, int64_t id, struct partner *out);
/* status "active" or "suspended"; *changed = 0 when it already had it. */
int partners_set_status(db *d, int64_t id, const char *status, int *changed);
/* Calls fn for each partner in creation order (then id), with active_keys set; a
 * non-zero return from fn stops the walk and is returned. */
int partners_each(db *d, int (*fn)(const struct partner *p, void *ctx), void *ctx);

/* Makes a key for partner_id: fresh random key id and secret, the secret
 * encrypted under keys. key_id receives the id, secret_hex the secret as 64
 * lower-case hex digits (the only time it exists in clear outside a request):
 * show it once and wipe it. */
int partners_key_create(db *d, const struct pii_keys *keys, int64_t partner_id, int64_t now,
                        char key_id[PARTNERS_KEY_ID_LEN + 1],
                        char secret_hex[PARTNERS_SECRET_HEX + 1]);
/* Sets revoked_at = now. DB_ENOTFOUND for an unknown key; *already = 1 (and
 * revoked_at_out its time) when it was revoked before. */
int partners_key_revoke(db *d, const char *key_id, int64_t now, int *already,
                        int64_t *revoked_at_out);
/* The key (revoked or not) with its decrypted secret and its partner. DB_ENOTFOUND
 * for an unknown or malformed key id; DB_ERR when the secret does not decrypt
 * (another PII key). The caller wipes k->secret after use. */
int partners_key_find(db *d, const struct pii_keys *keys, const char *key_id, struct partner_key *k,
                      struct partner *p);
/* Calls fn for each key of partner_id in creation order (secret not filled). */
int partners_keys_each(db *d, int64_t partner_id, int (*fn)(const struct partner_key *k, void *ctx),
                       void *ctx);
/* 1 for a well-formed key id ("pk_" + 24 of a-z2-7). */
int partners_key_id_valid(const char *key_id);

/* Remembers nonce for key_id at now: *replayed = 1 (and nothing written) when
 * that key already used it. Inside the caller's db_txn. */
int partners_nonce_remember(db *d, const char *key_id, const char *nonce, int64_t now,
                            int *replayed);
/* Forgets nonces seen before `before`; removed (may be NULL) gets how many. */
int partners_nonce_prune(db *d, int64_t before, int64_t *removed);

/* The partner a staff account works for: DB_ENOTFOUND when the account has none. */
int partners_of_account(db *d, int64_t account_id, struct partner *out);
/* Makes account_id staff of partner_id. */
int partners_attach_account(db *d, int64_t account_id, int64_t partner_id);

#endif
