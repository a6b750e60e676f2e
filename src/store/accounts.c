/*
 * accounts (store): SQL for the accounts and verification_codes tables. Each
 * lookup runs one prepared statement with the same column list and copies the row
 * into a struct account_row, cutting nothing that the API layer let through
 * (field sizes match the API's input bounds). Public ids come from libsodium's
 * randombytes_buf, written in lowercase RFC 4648 base32 without padding.
 */
#include "store/accounts.h"

#include <string.h>

#include <sodium.h>

#include "util/str.h"

#define COLS "id, public_id, role, email, phone, password_hash, full_name, nik_enc, " \
             "birth_date, sex, village_code, regency_code, education, occupation, "   \
             "scope_code, synthetic, email_verified_at, phone_verified_at, created_at, " \
             "failed_logins, locked_until, last_failed_at"

static const char base32[] = "abcdefghijklmnopqrstuvwxyz234567";

void accounts_random_base32(char *out, size_t nbytes)
{
    unsigned char raw[16];
    unsigned acc = 0;
    int bits = 0;
    size_t o = 0;

    if (nbytes > sizeof raw)
        nbytes = sizeof raw;
    randombytes_buf(raw, nbytes);
    for (size_t i = 0; i < nbytes; i++) {
        acc = (acc << 8) | raw[i];
        bits += 8;
        while (bits >= 5) {
            out[o++] = base32[(acc >> (bits - 5)) & 31];
            bits -= 5;
        }
    }
    if (bits > 0)
        out[o++] = base32[(acc << (5 - bits)) & 31];
    out[o] = '\0';
}

void accounts_new_public_id(char public_id[ACCOUNTS_PUBLIC_ID_LEN + 1])
{
    accounts_random_base32(public_id, 16);
}

int accounts_public_id_valid(const char *s)
{
    size_t n = s ? strnlen(s, ACCOUNTS_PUBLIC_ID_LEN + 1) : 0;

    if (n != ACCOUNTS_PUBLIC_ID_LEN)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '2' && s[i] <= '7')))
            return 0;
    return 1;
}

int accounts_insert(db *d, const struct account_new *in, int64_t *id_out,
                    char public_id[ACCOUNTS_PUBLIC_ID_LEN + 1])
{
    char pid[ACCOUNTS_PUBLIC_ID_LEN + 1];
    char sex[2] = {in->sex, '\0'};
    int64_t id = 0;
    int rc;

    accounts_new_public_id(pid);
    db_val p[] = {
        DB_TEXTN(pid, (size_t)-1), DB_TEXT(in->role ? in->role : "participant"), DB_TEXT(in->email),
        DB_TEXT(in->phone), DB_TEXT(in->password_hash), DB_TEXT(in->full_name),
        DB_TEXT(in->nik_enc), DB_TEXT(in->nik_bidx), DB_TEXT(in->kk_enc), DB_TEXT(in->kk_bidx),
        DB_TEXT(in->birth_date), in->sex ? DB_TEXTN(sex, 1) : DB_NULL, DB_TEXT(in->village_code),
        DB_TEXT(in->regency_code), DB_TEXT(in->education), DB_TEXT(in->occupation),
        DB_INT(in->synthetic), DB_TEXT(in->scope_code), DB_INT(in->created_at),
    };
    rc = db_one_int(d,
        "INSERT INTO accounts (public_id, role, email, phone, password_hash, full_name, "
        "nik_enc, nik_bidx, kk_enc, kk_bidx, birth_date, sex, village_code, regency_code, "
        "education, occupation, synthetic, scope_code, created_at, failed_logins) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, "
        "$17, $18, $19, 0) RETURNING id",
        p, (int)(sizeof p / sizeof p[0]), &id);
    if (rc != DB_OK)
        return rc;
    if (id_out)
        *id_out = id;
    if (public_id)
        memcpy(public_id, pid, sizeof pid);
    return DB_OK;
}

static void read_row(db_rows *r, struct account_row *a)
{
    memset(a, 0, sizeof *a);
    a->id = db_int(r, 0);
    str_copy(a->public_id, sizeof a->public_id, db_text(r, 1));
    str_copy(a->role, sizeof a->role, db_text(r, 2));
    str_copy(a->email, sizeof a->email, db_text(r, 3));
    str_copy(a->phone, sizeof a->phone, db_text(r, 4));
    str_copy(a->password_hash, sizeof a->password_hash, db_text(r, 5));
    str_copy(a->full_name, sizeof a->full_name, db_text(r, 6));
    str_copy(a->nik_enc, sizeof a->nik_enc, db_text(r, 7));
    str_copy(a->birth_date, sizeof a->birth_date, db_text(r, 8));
    a->sex = db_text(r, 9)[0];
    str_copy(a->village_code, sizeof a->village_code, db_text(r, 10));
    str_copy(a->regency_code, sizeof a->regency_code, db_text(r, 11));
    str_copy(a->education, sizeof a->education, db_text(r, 12));
    str_copy(a->occupation, sizeof a->occupation, db_text(r, 13));
    str_copy(a->scope_code, sizeof a->scope_code, db_text(r, 14));
    a->synthetic = (int)db_int(r, 15);
    a->email_verified_at = db_int(r, 16);
    a->phone_verified_at = db_int(r, 17);
    a->created_at = db_int(r, 18);
    a->failed_logins = (int)db_int(r, 19);
    a->locked_until = db_int(r, 20);
    a->last_failed_at = db_int(r, 21);
}

static int one_row(db *d, const char *sql, db_val key, struct account_row *out)
{
    db_rows *r = NULL;
    int rc = db_query(d, sql, &key, 1, &r);
    if (rc != DB_OK)
        goto out;
    rc = db_step(r);
    if (rc == DB_ROW) {
        read_row(r, out);
        rc = DB_OK;
    } else if (rc == DB_DONE) {
        rc = DB_ENOTFOUND;
    }
out:
    db_rows_free(r);
    return rc;
}

int accounts_by_id(db *d, int64_t id, struct account_row *out)
{
    return one_row(d, "SELECT " COLS " FROM accounts WHERE id = $1", DB_INT(id), out);
}

int accounts_by_public_id(db *d, const char *public_id, struct account_row *out)
{
    return one_row(d, "SELECT " COLS " FROM accounts WHERE public_id = $1",
                   DB_TEXT(public_id), out);
}

int accounts_by_email(db *d, const char *email, struct account_row *out)
{
    return one_row(d, "SELECT " COLS " FROM accounts WHERE email = $1", DB_TEXT(email), out);
}

int accounts_by_nik_bidx(db *d, const char *nik_bidx, struct account_row *out)
{
    return one_row(d, "SELECT " COLS " FROM accounts WHERE nik_bidx = $1",
                   DB_TEXT(nik_bidx), out);
}

static int exists(db *d, const char *sql, const char *value, int *found)
{
    int64_t one = 0;
    db_val p = DB_TEXT(value);
    int rc;

    *found = 0;
    if (!value)
        return DB_OK;
    rc = db_one_int(d, sql, &p, 1, &one);
    if (rc == DB_ENOTFOUND)
        return DB_OK;
    if (rc == DB_OK)
        *found = 1;
    return rc;
}

int accounts_find_taken(db *d, const char *nik_bidx, const char *email, const char *phone,
                        const char **taken)
{
    int found = 0, rc;

    *taken = NULL;
    rc = exists(d, "SELECT 1 FROM accounts WHERE nik_bidx = $1", nik_bidx, &found);
    if (rc != DB_OK || found) {
        if (found)
            *taken = "nik";
        return rc;
    }
    rc = exists(d, "SELECT 1 FROM accounts WHERE email = $1", email, &found);
    if (rc != DB_OK || found) {
        if (found)
            *taken = "email";
        return rc;
    }
    rc = exists(d, "SELECT 1 FROM accounts WHERE phone = $1", phone, &found);
    if (found)
        *taken = "phone";
    return rc;
}

int accounts_set_verified(db *d, int64_t id, const char *channel, int64_t at)
{
    db_val p[] = {DB_INT(at), DB_INT(id)};
    if (strcmp(channel, "email") == 0)
        return db_run(d, "UPDATE accounts SET email_verified_at = $1 WHERE id = $2",
                      p, 2, NULL);
    if (strcmp(channel, "phone") == 0)
        return db_run(d, "UPDATE accounts SET phone_verified_at = $1 WHERE id = $2",
                      p, 2, NULL);
    return DB_ERR;
}

int accounts_login_failed(db *d, int64_t id, int64_t now, int64_t window, int lock_after,
                          int64_t lock_for, int *failed_out, int64_t *locked_until_out)
{
    db_val p[] = {DB_INT(id), DB_INT(now), DB_INT(now - window), DB_INT(lock_after),
                  DB_INT(now + lock_for)};
    db_rows *r = NULL;
    int rc = db_query(d,
        "UPDATE accounts SET "
        "failed_logins = CASE WHEN last_failed_at > $3 THEN failed_logins + 1 ELSE 1 END, "
        "locked_until = CASE WHEN (CASE WHEN last_failed_at > $3 THEN failed_logins + 1 "
        "ELSE 1 END) >= $4 THEN $5 ELSE locked_until END, "
        "last_failed_at = $2 WHERE id = $1 RETURNING failed_logins, locked_until",
        p, 5, &r);
    if (rc != DB_OK)
        goto out;
    rc = db_step(r);
    if (rc == DB_ROW) {
        if (failed_out)
            *failed_out = (int)db_int(r, 0);
        if (locked_until_out)
            *locked_until_out = db_int(r, 1);
        rc = DB_OK;
    } else if (rc == DB_DONE) {
        rc = DB_ENOTFOUND;
    }
out:
    db_rows_free(r);
    return rc;
}

int accounts_login_ok(db *d, int64_t id)
{
    db_val p = DB_INT(id);
    return db_run(d, "UPDATE accounts SET failed_logins = 0, last_failed_at = 0, "
                     "locked_until = 0 WHERE id = $1", &p, 1, NULL);
}

int accounts_code_add(db *d, int64_t account_id, const char *channel, const char *code_hash,
                      int64_t now, int64_t expires_at)
{
    db_val u[] = {DB_INT(now), DB_INT(account_id), DB_TEXT(channel)};
    db_val p[] = {DB_INT(account_id), DB_TEXT(channel), DB_TEXT(code_hash), DB_INT(expires_at),
                  DB_INT(now)};
    int rc = db_run(d, "UPDATE verification_codes SET used_at = $1 "
                       "WHERE account_id = $2 AND channel = $3 AND used_at IS NULL",
                    u, 3, NULL);
    if (rc != DB_OK)
        return rc;
    return db_run(d, "INSERT INTO verification_codes (account_id, channel, code_hash, "
                     "expires_at, attempts, created_at) VALUES ($1, $2, $3, $4, 0, $5)",
                  p, 5, NULL);
}

int accounts_code_pending(db *d, int64_t account_id, const char *channel, struct verify_code *out)
{
    db_val p[] = {DB_INT(account_id), DB_TEXT(channel)};
    db_rows *r = NULL;
    int rc = db_query(d, "SELECT id, code_hash, expires_at, attempts, created_at "
                         "FROM verification_codes WHERE account_id = $1 AND channel = $2 "
                         "AND used_at IS NULL ORDER BY id DESC LIMIT 1", p, 2, &r);
    if (rc != DB_OK)
        goto out;
    rc = db_step(r);
    if (rc == DB_ROW) {
        memset(out, 0, sizeof *out);
        out->id = db_int(r, 0);
        str_copy(out->code_hash, sizeof out->code_hash, db_text(r, 1));
        out->expires_at = db_int(r, 2);
        out->attempts = (int)db_int(r, 3);
        out->created_at = db_int(r, 4);
        rc = DB_OK;
    } else if (rc == DB_DONE) {
        rc = DB_ENOTFOUND;
    }
out:
    db_rows_free(r);
    return rc;
}

int accounts_code_last_created(db *d, int64_t account_id, const char *channel, int64_t *at)
{
    db_val p[] = {DB_INT(account_id), DB_TEXT(channel)};
    return db_one_int(d, "SELECT created_at FROM verification_codes WHERE account_id = $1 "
                         "AND channel = $2 ORDER BY id DESC LIMIT 1", p, 2, at);
}

int accounts_code_attempt(db *d, int64_t code_id)
{
    db_val p = DB_INT(code_id);
    return db_run(d, "UPDATE verification_codes SET attempts = attempts + 1 WHERE id = $1",
                  &p, 1, NULL);
}

int accounts_code_use(db *d, int64_t code_id, int64_t at)
{
    db_val p[] = {DB_INT(at), DB_INT(code_id)};
    return db_run(d, "UPDATE verification_codes SET used_at = $1 WHERE id = $2", p, 2, NULL);
}
