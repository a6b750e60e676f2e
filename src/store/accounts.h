/*
 * accounts (store): the accounts table and the verification codes that belong to
 * it. Rows are read into a fixed-size struct account_row so callers need no
 * allocation; NIK and KK stay encrypted here (callers use pii.h). Public ids are
 * 16 random bytes written as 26 lowercase base32 characters, so ids reveal
 * neither the count nor the order of registrations.
 *
 * Every function returns DB_OK or a negative DB_E* (db.h); lookups answer
 * DB_ENOTFOUND when there is no row and DB_ECONSTRAINT on a unique violation.
 */
#ifndef PK_STORE_ACCOUNTS_H
#define PK_STORE_ACCOUNTS_H
#include <stdint.h>

#include "store/db.h"
#include "store/pii.h"

#define ACCOUNTS_PUBLIC_ID_LEN 26

struct account_row {
    int64_t id;
    char public_id[ACCOUNTS_PUBLIC_ID_LEN + 1];
    char role[24];
    char email[256];
    char phone[17];
    char password_hash[128];       /* crypto_pwhash_STRBYTES; "" for imported accounts */
    char full_name[512];
    char nik_enc[PII_CT_MAX];
    char birth_date[11];           /* YYYY-MM-DD */
    char sex;                      /* 'F' or 'M' */
    char village_code[16];
    char regency_code[8];
    char education[16];
    char occupation[24];
    char scope_code[16];
    int synthetic;
    int64_t email_verified_at;     /* 0 = not verified */
    int64_t phone_verified_at;
    int64_t created_at;
    int failed_logins;
    int64_t locked_until;
    int64_t last_failed_at;
};

/* What a new account is made of; NULL strings are stored as NULL. */
struct account_new {
    const char *role;              /* NULL = "participant" */
    const char *email, *phone, *password_hash, *full_name;
    const char *nik_enc, *nik_bidx, *kk_enc, *kk_bidx;
    const char *birth_date;
    char sex;
    const char *village_code, *regency_code, *education, *occupation, *scope_code;
    int synthetic;
    int64_t created_at;
};

/* Writes public_id (27 bytes) with a fresh random id. Every public id of the
 * project (accounts, applications, attempts, courses, purchases, partners) is made
 * this way. */
void accounts_new_public_id(char public_id[ACCOUNTS_PUBLIC_ID_LEN + 1]);
/* nbytes (<= 16) random bytes as lower-case base32 without padding into out
 * (ceil(8 * nbytes / 5) characters and a NUL). */
void accounts_random_base32(char *out, size_t nbytes);
/* 1 when s has the shape of a public id (ACCOUNTS_PUBLIC_ID_LEN of [a-z2-7]), else 0:
 * handlers refuse anything else as not found before asking the store. */
int accounts_public_id_valid(const char *s);

/* Inserts; id_out and public_id (may be NULL) receive the new row's ids. */
int accounts_insert(db *d, const struct account_new *in, int64_t *id_out,
                    char public_id[ACCOUNTS_PUBLIC_ID_LEN + 1]);

int accounts_by_id(db *d, int64_t id, struct account_row *out);
int accounts_by_public_id(db *d, const char *public_id, struct account_row *out);
int accounts_by_email(db *d, const char *email, struct account_row *out);
int accounts_by_nik_bidx(db *d, const char *nik_bidx, struct account_row *out);

/* Which of nik_bidx, email, phone (each may be NULL) an account already holds, checked
 * in that order: *taken gets "nik", "email", "phone" or NULL. */
int accounts_find_taken(db *d, const char *nik_bidx, const char *email, const char *phone,
                        const char **taken);

/* channel "email" or "phone": sets <channel>_verified_at = at. */
int accounts_set_verified(db *d, int64_t id, const char *channel, int64_t at);

/* Login bookkeeping, each one atomic statement. accounts_login_failed counts one
 * more failure (starting again from 1 when the last one is older than window
 * seconds) and, when the count reaches lock_after, sets locked_until = now +
 * lock_for; failed_out and locked_until_out (may be NULL) get the new values.
 * accounts_login_ok clears the count and the lock. */
int accounts_login_failed(db *d, int64_t id, int64_t now, int64_t window, int lock_after,
                          int64_t lock_for, int *failed_out, int64_t *locked_until_out);
int accounts_login_ok(db *d, int64_t id);

/* Verification codes. code_hash is the keyed hash of the code (hex); at most one
 * pending code per account and channel ("email" or "phone"): adding one marks the
 * previous pending code used. */
struct verify_code {
    int64_t id;
    char code_hash[65];
    int64_t expires_at;
    int attempts;
    int64_t created_at;
};
int accounts_code_add(db *d, int64_t account_id, const char *channel, const char *code_hash,
                      int64_t now, int64_t expires_at);
/* The newest unused code of that account and channel; DB_ENOTFOUND when none. */
int accounts_code_pending(db *d, int64_t account_id, const char *channel, struct verify_code *out);
/* Creation time of the newest code of that channel, used or not (rate limit); DB_ENOTFOUND. */
int accounts_code_last_created(db *d, int64_t account_id, const char *channel, int64_t *at);
int accounts_code_attempt(db *d, int64_t code_id);               /* attempts += 1 */
int accounts_code_use(db *d, int64_t code_id, int64_t at);       /* used_at = at */

#endif
