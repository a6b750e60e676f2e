/*
 * sessions (store): bearer tokens kept as hashes. sessions_create draws 32 bytes
 * from randombytes_buf, hands the hex to the caller and stores the hex of their
 * unkeyed BLAKE2b-256 hash; sessions_find hashes what the client sent and looks
 * that up, so tokens never sit in the database in a usable form.
 */
#include "store/sessions.h"

#include <string.h>

#include <sodium.h>

static int token_hash(const char *token, char out[65])
{
    unsigned char h[32];
    size_t len = strlen(token);

    if (len != SESSIONS_TOKEN_HEX)
        return -1;
    for (size_t i = 0; i < len; i++) {
        char c = token[i];
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            return -1;
    }
    crypto_generichash(h, sizeof h, (const unsigned char *)token, len, NULL, 0);
    sodium_bin2hex(out, 65, h, sizeof h);
    return 0;
}

int sessions_create(db *d, int64_t account_id, int64_t now, int64_t ttl,
                    char token[SESSIONS_TOKEN_HEX + 1], int64_t *expires_at)
{
    unsigned char raw[32];
    char hash[65];
    int rc;

    randombytes_buf(raw, sizeof raw);
    sodium_bin2hex(token, SESSIONS_TOKEN_HEX + 1, raw, sizeof raw);
    sodium_memzero(raw, sizeof raw);
    token_hash(token, hash);
    db_val p[] = {DB_TEXTN(hash, (size_t)-1), DB_INT(account_id), DB_INT(now), DB_INT(now + ttl)};
    rc = db_run(d, "INSERT INTO sessions (token_hash, account_id, created_at, expires_at) "
                   "VALUES ($1, $2, $3, $4)", p, 4, NULL);
    if (rc == DB_OK && expires_at)
        *expires_at = now + ttl;
    return rc;
}

int sessions_find(db *d, const char *token, int64_t now, int64_t *account_id,
                  int64_t *expires_at)
{
    char hash[65];
    db_rows *r = NULL;
    int rc;

    if (!token || token_hash(token, hash) != 0)
        return DB_ENOTFOUND;
    db_val p[] = {DB_TEXTN(hash, (size_t)-1), DB_INT(now)};
    rc = db_query(d, "SELECT account_id, expires_at FROM sessions "
                     "WHERE token_hash = $1 AND expires_at > $2", p, 2, &r);
    if (rc != DB_OK)
        goto out;
    rc = db_step(r);
    if (rc == DB_ROW) {
        *account_id = db_int(r, 0);
        if (expires_at)
            *expires_at = db_int(r, 1);
        rc = DB_OK;
    } else if (rc == DB_DONE) {
        rc = DB_ENOTFOUND;
    }
out:
    db_rows_free(r);
    return rc;
}

int sessions_delete(db *d, const char *token)
{
    char hash[65];

    if (!token || token_hash(token, hash) != 0)
        return DB_OK;
    db_val p = DB_TEXTN(hash, (size_t)-1);
    return db_run(d, "DELETE FROM sessions WHERE token_hash = $1", &p, 1, NULL);
}

int sessions_purge(db *d, int64_t now, int64_t *removed)
{
    db_val p = DB_INT(now);
    return db_run(d, "DELETE FROM sessions WHERE expires_at <= $1", &p, 1, removed);
}
