/*
 * audit (store): the hash-chained audit_log. audit_append reads the last entry's
 * hash, hashes the new entry over it and inserts both; run inside a db_txn the
 * write lock keeps two appends from taking the same predecessor. audit_verify
 * walks the log in id order, recomputing every hash and checking every link.
 */
#include "store/audit.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

static const char zero_hash[AUDIT_HASH_HEX + 1] =
    "0000000000000000000000000000000000000000000000000000000000000000";

static void entry_hash(const char *prev, int64_t at, const char *actor, const char *action,
                       const char *subject, const char *detail, char out[AUDIT_HASH_HEX + 1])
{
    crypto_generichash_state st;
    unsigned char h[32];
    char num[24];
    const char *parts[6];

    snprintf(num, sizeof num, "%" PRId64, at);
    parts[0] = prev;
    parts[1] = num;
    parts[2] = actor ? actor : "";
    parts[3] = action ? action : "";
    parts[4] = subject ? subject : "";
    parts[5] = detail ? detail : "";
    crypto_generichash_init(&st, NULL, 0, sizeof h);
    for (int i = 0; i < 6; i++) {
        if (i > 0)
            crypto_generichash_update(&st, (const unsigned char *)"|", 1);
        crypto_generichash_update(&st, (const unsigned char *)parts[i], strlen(parts[i]));
    }
    crypto_generichash_final(&st, h, sizeof h);
    sodium_bin2hex(out, AUDIT_HASH_HEX + 1, h, sizeof h);
}

int audit_append(db *d, int64_t at, const char *actor, const char *action,
                 const char *subject, const char *detail)
{
    char prev[AUDIT_HASH_HEX + 1], hash[AUDIT_HASH_HEX + 1];
    int rc = db_one_text(d, "SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1", NULL, 0,
                         prev, sizeof prev);
    if (rc == DB_ENOTFOUND)
        memcpy(prev, zero_hash, sizeof prev);
    else if (rc != DB_OK)
        return rc;
    entry_hash(prev, at, actor, action, subject, detail, hash);
    db_val p[] = {DB_INT(at), DB_TEXT(actor ? actor : ""), DB_TEXT(action ? action : ""),
                  DB_TEXT(subject), DB_TEXT(detail), DB_TEXTN(prev, (size_t)-1), DB_TEXTN(hash, (size_t)-1)};
    return db_run(d, "INSERT INTO audit_log (at, actor, action, subject, detail, prev_hash, hash) "
                     "VALUES ($1, $2, $3, $4, $5, $6, $7)", p, 7, NULL);
}

int audit_verify(db *d, int64_t *bad_id)
{
    char prev[AUDIT_HASH_HEX + 1], want[AUDIT_HASH_HEX + 1];
    db_rows *r = NULL;
    int rc;

    *bad_id = 0;
    memcpy(prev, zero_hash, sizeof prev);
    rc = db_query(d, "SELECT id, at, actor, action, subject, detail, prev_hash, hash "
                     "FROM audit_log ORDER BY id", NULL, 0, &r);
    if (rc != DB_OK)
        goto out;
    while ((rc = db_step(r)) == DB_ROW) {
        int64_t id = db_int(r, 0);
        entry_hash(prev, db_int(r, 1), db_text(r, 2), db_text(r, 3), db_text(r, 4),
                   db_text(r, 5), want);
        if (strcmp(db_text(r, 6), prev) != 0 || strcmp(db_text(r, 7), want) != 0) {
            *bad_id = id;
            rc = 1;
            goto out;
        }
        memcpy(prev, want, sizeof prev);
    }
    if (rc == DB_DONE)
        rc = DB_OK;
out:
    db_rows_free(r);
    return rc;
}
