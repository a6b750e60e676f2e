/*
 * partners (store): SQL for partners, partner_keys and partner_nonces
 * (src/store/partners.h), and the validation of a new partner.
 *
 * Ids: a partner's public id is 16 random bytes in lower-case base32 (like
 * accounts); a key id is "pk_" + 15 random bytes in base32 (24 characters, 120
 * bits), so ids say nothing about how many partners or keys exist. The secret is
 * 32 bytes from randombytes_buf; it is stored as pii_encrypt of its base64 (43
 * characters: the hex form would not fit PII_CT_MAX) and handed out as hex.
 * Every buffer that held a secret in clear is wiped with sodium_memzero.
 *
 * A replayed nonce is found by the primary key (key_id, nonce): the INSERT fails
 * with a unique violation, which inside db_txn fails alone on both engines, and
 * that is the answer. Two requests racing with one nonce serialise on the key,
 * so exactly one of them gets in.
 */
#include "store/partners.h"

#include <sodium.h>
#include <string.h>

#include "core/account.h"
#include "core/text.h"
#include "store/accounts.h"
#include "util/str.h"

#define B64 sodium_base64_VARIANT_ORIGINAL_NO_PADDING

int partners_kind_valid(const char *kind)
{
    return partners_kind_role(kind) != NULL;
}

const char *partners_kind_role(const char *kind)
{
    if (!kind)
        return NULL;
    if (strcmp(kind, "platform") == 0)
        return "platform";
    if (strcmp(kind, "provider") == 0)
        return "provider";
    if (strcmp(kind, "payment") == 0)
        return "payment_partner";
    return NULL;
}

int partners_key_id_valid(const char *key_id)
{
    if (!key_id || strncmp(key_id, "pk_", 3) != 0 || strlen(key_id) != PARTNERS_KEY_ID_LEN)
        return 0;
    for (const char *c = key_id + 3; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= '2' && *c <= '7')))
            return 0;
    return 1;
}

/* ---- validation ---- */

static int absent(const char *s)
{
    return s == NULL || *s == '\0';
}

/* 1 when s is 1..max bytes of UTF-8 without control characters and not only
 * blanks. */
static int text_ok(const char *s, size_t max)
{
    size_t n = strnlen(s, max + 1);
    int visible = 0;

    if (n == 0 || n > max || !text_utf8_valid(s, n))
        return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7f)
            return 0;
        if (c != ' ')
            visible = 1;
    }
    return visible;
}

/* NPWP: 15 (old) or 16 (NIK-based, 2024) digits; dots, hyphens and spaces as
 * printed on the card are dropped. */
static int tax_id_clean(const char *in, char out[17])
{
    size_t n = 0;

    for (const char *c = in; *c; c++) {
        if (*c >= '0' && *c <= '9') {
            if (n == 16)
                return -1;
            out[n++] = *c;
        } else if (*c != '.' && *c != '-' && *c != ' ') {
            return -1;
        }
    }
    out[n] = '\0';
    return n == 15 || n == 16 ? 0 : -1;
}

/* An Indonesian number, landline or mobile: 0, 62 or +62, then 7..12 digits not
 * starting with 0; spaces, hyphens, dots and parentheses are dropped. */
static int phone_clean(const char *in, char out[20])
{
    char digits[24];
    size_t n = 0;
    const char *s = in, *rest;

    if (*s == '+')
        s++;
    for (; *s; s++) {
        if (*s >= '0' && *s <= '9') {
            if (n == sizeof digits - 1)
                return -1;
            digits[n++] = *s;
        } else if (!strchr(" -.()", *s)) {
            return -1;
        }
    }
    digits[n] = '\0';
    if (in[0] == '+' || strncmp(digits, "62", 2) == 0) {
        if (strncmp(digits, "62", 2) != 0)
            return -1;
        rest = digits + 2;
    } else if (digits[0] == '0') {
        rest = digits + 1;
    } else {
        return -1;
    }
    n = strlen(rest);
    if (n < 7 || n > 12 || rest[0] == '0')
        return -1;
    memcpy(out, "+62", 3);
    memcpy(out + 3, rest, n + 1);
    return 0;
}

int partners_validate(const struct partner_new *in, struct partner_clean *out,
                      struct field_error *errs, int max)
{
    int n = 0;

#define ADD(f, c)                                                                                  \
    do {                                                                                           \
        if (n < max)                                                                               \
            errs[n++] = (struct field_error){f, c};                                                \
    } while (0)

    memset(out, 0, sizeof *out);
    if (absent(in->kind))
        ADD("kind", "field.required");
    else if (!partners_kind_valid(in->kind))
        ADD("kind", "partner.kind_invalid");
    else
        str_copy(out->kind, sizeof out->kind, in->kind);

    if (absent(in->name))
        ADD("name", "field.required");
    else if (!text_ok(in->name, PARTNERS_NAME_MAX))
        ADD("name", "partner.name_invalid");
    else
        str_copy(out->name, sizeof out->name, in->name);

    if (absent(in->legal_name)) {
        if (strcmp(out->kind, "provider") == 0)
            ADD("legal_name", "partner.legal_name_required");
    } else if (!text_ok(in->legal_name, PARTNERS_LEGAL_NAME_MAX)) {
        ADD("legal_name", "partner.legal_name_invalid");
    } else {
        str_copy(out->legal_name, sizeof out->legal_name, in->legal_name);
    }

    if (absent(in->tax_id)) {
        if (strcmp(out->kind, "provider") == 0)
            ADD("tax_id", "partner.tax_id_required");
    } else if (strnlen(in->tax_id, 65) > 64 || tax_id_clean(in->tax_id, out->tax_id) < 0) {
        out->tax_id[0] = '\0';
        ADD("tax_id", "partner.tax_id_invalid");
    }

    if (!absent(in->email)) {
        if (!email_valid(in->email) || strlen(in->email) >= sizeof out->email) {
            ADD("email", "email.invalid");
        } else {
            for (size_t i = 0; in->email[i]; i++) {
                char c = in->email[i];
                out->email[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
            }
        }
    }

    if (!absent(in->phone)) {
        if (strnlen(in->phone, 33) > 32 || phone_clean(in->phone, out->phone) < 0) {
            out->phone[0] = '\0';
            ADD("phone", "partner.phone_invalid");
        }
    }
#undef ADD
    return n;
}

/* ---- partners ---- */

#define PCOLS                                                                                      \
    "id, public_id, kind, name, legal_name, tax_id, contact_email, contact_phone, "                \
    "status, created_at"

static void read_partner(db_rows *r, struct partner *p)
{
    memset(p, 0, sizeof *p);
    p->id = db_int(r, 0);
    str_copy(p->public_id, sizeof p->public_id, db_text(r, 1));
    str_copy(p->kind, sizeof p->kind, db_text(r, 2));
    str_copy(p->name, sizeof p->name, db_text(r, 3));
    str_copy(p->legal_name, sizeof p->legal_name, db_text(r, 4));
    str_copy(p->tax_id, sizeof p->tax_id, db_text(r, 5));
    str_copy(p->contact_email, sizeof p->contact_email, db_text(r, 6));
    str_copy(p->contact_phone, sizeof p->contact_phone, db_text(r, 7));
    str_copy(p->status, sizeof p->status, db_text(r, 8));
    p->created_at = db_int(r, 9);
}

/* Runs a query expected to return at most one partner row (PCOLS first). */
static int one_partner(db *d, const char *sql, const db_val *params, int n, struct partner *out)
{
    db_rows *r = NULL;
    int rc = db_query(d, sql, params, n, &r);

    if (rc == DB_OK) {
        rc = db_step(r);
        if (rc == DB_ROW) {
            read_partner(r, out);
            rc = DB_OK;
        } else if (rc == DB_DONE) {
            rc = DB_ENOTFOUND;
        }
    }
    db_rows_free(r);
    return rc;
}

static const char *or_null(const char *s)
{
    return s && *s ? s : NULL;
}

int partners_insert(db *d, const struct partner_clean *in, int64_t now, struct partner *out)
{
    char pid[PARTNERS_PUBLIC_ID_LEN + 1];
    int64_t id = 0;
    int rc;

    accounts_new_public_id(pid);
    db_val p[] = {
        DB_TEXT(pid),
        DB_TEXT(in->kind),
        DB_TEXT(in->name),
        DB_TEXT(or_null(in->legal_name)),
        DB_TEXT(or_null(in->tax_id)),
        DB_TEXT(or_null(in->email)),
        DB_TEXT(or_null(in->phone)),
        DB_INT(now),
    };
    rc = db_one_int(d,
                    "INSERT INTO partners (public_id, kind, name, legal_name, tax_id, "
                    "contact_email, contact_phone, status, created_at) "
                    "VALUES ($1, $2, $3, $4, $5, $6, $7, 'active', $8) RETURNING id",
                    p, (int)(sizeof p / sizeof p[0]), &id);
    if (rc != DB_OK || !out)
        return rc;
    memset(out, 0, sizeof *out);
    out->id = id;
    memcpy(out->public_id, pid, sizeof pid);
    str_copy(out->kind, sizeof out->kind, in->kind);
    str_copy(out->name, sizeof out->name, in->name);
    str_copy(out->legal_name, sizeof out->legal_name, in->legal_name);
    str_copy(out->tax_id, sizeof out->tax_id, in->tax_id);
    str_copy(out->contact_email, sizeof out->contact_email, in->email);
    str_copy(out->contact_phone, sizeof out->contact_phone, in->phone);
    strcpy(out->status, "active");
    out->created_at = now;
    return DB_OK;
}

int partners_by_public_id(db *d, const char *public_id, struct partner *out)
{
    db_val p[] = {DB_TEXT(public_id)};

    if (!public_id || strlen(public_id) != PARTNERS_PUBLIC_ID_LEN)
        return DB_ENOTFOUND;
    return one_partner(d, "SELECT " PCOLS " FROM partners WHERE public_id = $1", p, 1, out);
}

int partners_by_id(db *d, int64_t id, struct partner *out)
{
    db_val p[] = {DB_INT(id)};
    return one_partner(d, "SELECT " PCOLS " FROM partners WHERE id = $1", p, 1, out);
}

int partners_set_status(db *d, int64_t id, const char *status, int *changed)
{
    db_val p[] = {DB_INT(id), DB_TEXT(status)};
    int64_t n = 0;
    int rc;

    if (strcmp(status, "active") != 0 && strcmp(status, "suspended") != 0)
        return DB_ERR;
    rc = db_run(d, "UPDATE partners SET status = $2 WHERE id = $1 AND status <> $2", p, 2, &n);
    if (rc == DB_OK && changed)
        *changed = n > 0;
    return rc;
}

int partners_each(db *d, int (*fn)(const struct partner *p, void *ctx), void *ctx)
{
    db_rows *r = NULL;
    struct partner p;
    int rc = db_query(d,
                      "SELECT " PCOLS ", (SELECT COUNT(*) FROM partner_keys k WHERE "
                      "k.partner_id = partners.id AND k.revoked_at IS NULL) "
                      "FROM partners ORDER BY created_at, id",
                      NULL, 0, &r);

    while (rc == DB_OK && (rc = db_step(r)) == DB_ROW) {
        read_partner(r, &p);
        p.active_keys = (int)db_int(r, 10);
        rc = fn(&p, ctx);
    }
    if (rc == DB_DONE)
        rc = DB_OK;
    db_rows_free(r);
    return rc;
}

/* ---- keys ---- */

int partners_key_create(db *d, const struct pii_keys *keys, int64_t partner_id, int64_t now,
                        char key_id[PARTNERS_KEY_ID_LEN + 1],
                        char secret_hex[PARTNERS_SECRET_HEX + 1])
{
    unsigned char secret[PARTNERS_SECRET_BYTES];
    char b64[sodium_base64_ENCODED_LEN(PARTNERS_SECRET_BYTES, B64)], enc[PII_CT_MAX];
    char kid[PARTNERS_KEY_ID_LEN + 1];
    int rc = DB_ERR;

    memcpy(kid, "pk_", 3);
    accounts_random_base32(kid + 3, 15);
    randombytes_buf(secret, sizeof secret);
    sodium_bin2base64(b64, sizeof b64, secret, sizeof secret, B64);
    if (pii_encrypt(keys, b64, enc) == 0) {
        db_val p[] = {DB_TEXT(kid), DB_INT(partner_id), DB_TEXT(enc), DB_INT(now)};
        rc = db_run(d,
                    "INSERT INTO partner_keys (key_id, partner_id, secret_enc, created_at) "
                    "VALUES ($1, $2, $3, $4)",
                    p, 4, NULL);
    }
    if (rc == DB_OK) {
        memcpy(key_id, kid, sizeof kid);
        sodium_bin2hex(secret_hex, PARTNERS_SECRET_HEX + 1, secret, sizeof secret);
    }
    sodium_memzero(secret, sizeof secret);
    sodium_memzero(b64, sizeof b64);
    return rc;
}

int partners_key_revoke(db *d, const char *key_id, int64_t now, int *already,
                        int64_t *revoked_at_out)
{
    db_val q[] = {DB_TEXT(key_id)};
    db_val p[] = {DB_TEXT(key_id), DB_INT(now)};
    db_rows *r = NULL;
    int64_t at = 0;
    int rc;

    *already = 0;
    if (!partners_key_id_valid(key_id))
        return DB_ENOTFOUND;
    rc = db_query(d, "SELECT revoked_at FROM partner_keys WHERE key_id = $1", q, 1, &r);
    if (rc == DB_OK) {
        rc = db_step(r);
        if (rc == DB_ROW) {
            *already = !db_isnull(r, 0);
            at = *already ? db_int(r, 0) : now;
            rc = DB_OK;
        } else if (rc == DB_DONE) {
            rc = DB_ENOTFOUND;
        }
    }
    db_rows_free(r);
    if (rc == DB_OK && !*already)
        rc = db_run(d, "UPDATE partner_keys SET revoked_at = $2 WHERE key_id = $1", p, 2, NULL);
    if (rc == DB_OK && revoked_at_out)
        *revoked_at_out = at;
    return rc;
}

int partners_key_find(db *d, const struct pii_keys *keys, const char *key_id, struct partner_key *k,
                      struct partner *p)
{
    char b64[PII_CT_MAX];
    size_t len = 0;
    const char *end = NULL;
    db_val q[] = {DB_TEXT(key_id)};
    db_rows *r = NULL;
    int rc;

    memset(k, 0, sizeof *k);
    if (!partners_key_id_valid(key_id))
        return DB_ENOTFOUND;
    rc = db_query(d,
                  "SELECT p.id, p.public_id, p.kind, p.name, p.legal_name, p.tax_id, "
                  "p.contact_email, p.contact_phone, p.status, p.created_at, "
                  "k.key_id, k.created_at, k.revoked_at, k.secret_enc "
                  "FROM partner_keys k JOIN partners p ON p.id = k.partner_id "
                  "WHERE k.key_id = $1",
                  q, 1, &r);
    if (rc == DB_OK) {
        rc = db_step(r);
        if (rc == DB_ROW) {
            read_partner(r, p);
            str_copy(k->key_id, sizeof k->key_id, db_text(r, 10));
            k->partner_id = p->id;
            k->created_at = db_int(r, 11);
            k->revoked_at = db_isnull(r, 12) ? 0 : db_int(r, 12);
            rc = DB_OK;
            if (pii_decrypt(keys, db_text(r, 13), b64, sizeof b64) != 0 ||
                sodium_base642bin(k->secret, sizeof k->secret, b64, strlen(b64), NULL, &len, &end,
                                  B64) != 0 ||
                len != sizeof k->secret || *end != '\0') {
                sodium_memzero(k->secret, sizeof k->secret);
                rc = DB_ERR;
            }
        } else if (rc == DB_DONE) {
            rc = DB_ENOTFOUND;
        }
    }
    db_rows_free(r);
    sodium_memzero(b64, sizeof b64);
    return rc;
}

int partners_keys_each(db *d, int64_t partner_id, int (*fn)(const struct partner_key *k, void *ctx),
                       void *ctx)
{
    db_val p[] = {DB_INT(partner_id)};
    struct partner_key k;
    db_rows *r = NULL;
    int rc = db_query(d,
                      "SELECT key_id, created_at, revoked_at FROM partner_keys "
                      "WHERE partner_id = $1 ORDER BY created_at, key_id",
                      p, 1, &r);

    while (rc == DB_OK && (rc = db_step(r)) == DB_ROW) {
        memset(&k, 0, sizeof k);
        str_copy(k.key_id, sizeof k.key_id, db_text(r, 0));
        k.partner_id = partner_id;
        k.created_at = db_int(r, 1);
        k.revoked_at = db_isnull(r, 2) ? 0 : db_int(r, 2);
        rc = fn(&k, ctx);
    }
    if (rc == DB_DONE)
        rc = DB_OK;
    db_rows_free(r);
    return rc;
}

/* ---- nonces ---- */

int partners_nonce_remember(db *d, const char *key_id, const char *nonce, int64_t now,
                            int *replayed)
{
    db_val p[] = {DB_TEXT(key_id), DB_TEXT(nonce), DB_INT(now)};
    int rc = db_run(d, "INSERT INTO partner_nonces (key_id, nonce, seen_at) VALUES ($1, $2, $3)", p,
                    3, NULL);

    *replayed = rc == DB_ECONSTRAINT;
    return rc == DB_ECONSTRAINT ? DB_OK : rc;
}

int partners_nonce_prune(db *d, int64_t before, int64_t *removed)
{
    db_val p[] = {DB_INT(before)};
    return db_run(d, "DELETE FROM partner_nonces WHERE seen_at < $1", p, 1, removed);
}

/* ---- staff ---- */

int partners_of_account(db *d, int64_t account_id, struct partner *out)
{
    db_val p[] = {DB_INT(account_id)};
    return one_partner(d,
                       "SELECT p.id, p.public_id, p.kind, p.name, p.legal_name, p.tax_id, "
                       "p.contact_email, p.contact_phone, p.status, p.created_at "
                       "FROM accounts a JOIN partners p ON p.id = a.partner_id WHERE a.id = $1",
                       p, 1, out);
}

int partners_attach_account(db *d, int64_t account_id, int64_t partner_id)
{
    db_val p[] = {DB_INT(account_id), DB_INT(partner_id)};
    int64_t n = 0;
    int rc = db_run(d, "UPDATE accounts SET partner_id = $2 WHERE id = $1", p, 2, &n);

    return rc == DB_OK && n == 0 ? DB_ENOTFOUND : rc;
}
