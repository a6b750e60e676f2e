/*
 * Tests of the account aggregate in the store (src/store/accounts.c, sessions.c,
 * outbox.c, audit.c) on a migrated database of the engine under test (tmpdb.h):
 * lookups by blind index, NIK and KK never stored in clear, uniqueness,
 * login-failure bookkeeping, verification codes, sessions stored only as hashes,
 * the outbox, and the audit chain that verifies, points at a tampered or deleted
 * row, and stays one chain when four connections append at once.
 */
#include <pthread.h>
#include <criterion/criterion.h>
#include <string.h>
#include <sys/stat.h>

#include "tmpdb.h"
#include "store/accounts.h"
#include "store/audit.h"
#include "store/db.h"
#include "store/outbox.h"
#include "store/pii.h"
#include "store/sessions.h"

TestSuite(accounts, .init = tmpdb_setup, .fini = tmpdb_teardown);

#define NIK "3509154708950001"
#define KK "3509150101080003"

static struct pii_keys keys;

static db *open_migrated(void)
{
    db *d = tmpdb_migrated("a.db");

    cr_assert_eq(db_exec(d, "INSERT INTO regions (code, level, parent_code, name, digits) VALUES "
                            "('35', 1, NULL, 'JAWA TIMUR', 35),"
                            "('35.09', 2, '35', 'KABUPATEN JEMBER', 3509),"
                            "('35.09.15', 3, '35.09', 'Sumbersari', 350915),"
                            "('35.09.15.2001', 4, '35.09.15', 'Sumbersari', 3509152001)"),
                 DB_OK, "%s", db_errmsg(d));
    tmpdb_keys(&keys);
    return d;
}

/* Inserts an account with that NIK, email and phone; returns the status. */
static int add(db *d, const char *nik, const char *email, const char *phone, int64_t *id,
               char pid[ACCOUNTS_PUBLIC_ID_LEN + 1])
{
    char nik_enc[PII_CT_MAX], kk_enc[PII_CT_MAX], nb[PII_BIDX_LEN + 1], kb[PII_BIDX_LEN + 1];

    cr_assert_eq(pii_encrypt(&keys, nik, nik_enc), 0);
    cr_assert_eq(pii_encrypt(&keys, KK, kk_enc), 0);
    pii_blind_index(&keys, "nik", nik, nb);
    pii_blind_index(&keys, "kk", KK, kb);
    struct account_new a = {
        .email = email, .phone = phone, .password_hash = "$argon2id$stub",
        .full_name = "Siti Nur'aini", .nik_enc = nik_enc, .nik_bidx = nb, .kk_enc = kk_enc,
        .kk_bidx = kb, .birth_date = "1995-08-07", .sex = 'F', .village_code = "35.09.15.2001",
        .regency_code = "35.09", .education = "sma", .occupation = "unemployed",
        .created_at = 1700000000,
    };
    return accounts_insert(d, &a, id, pid);
}

Test(accounts, insert_then_find_by_blind_index_email_and_ids)
{
    db *d = open_migrated();
    char pid[ACCOUNTS_PUBLIC_ID_LEN + 1], bidx[PII_BIDX_LEN + 1], plain[32];
    struct account_row r;
    int64_t id = 0;

    cr_assert_eq(add(d, NIK, "siti@example.id", "+6281234567890", &id, pid), DB_OK,
                 "%s", db_errmsg(d));
    cr_assert_gt(id, 0);
    cr_assert_eq(strlen(pid), 26);
    cr_assert_eq(strspn(pid, "abcdefghijklmnopqrstuvwxyz234567"), 26, "public id %s", pid);

    pii_blind_index(&keys, "nik", NIK, bidx);
    cr_assert_eq(accounts_by_nik_bidx(d, bidx, &r), DB_OK);
    cr_assert_eq(r.id, id);
    cr_assert_str_eq(r.public_id, pid);
    cr_assert_str_eq(r.email, "siti@example.id");
    cr_assert_str_eq(r.full_name, "Siti Nur'aini");
    cr_assert_str_eq(r.role, "participant");
    cr_assert_eq(r.sex, 'F');
    cr_assert_eq(r.email_verified_at, 0);
    cr_assert_eq(pii_decrypt(&keys, r.nik_enc, plain, sizeof plain), 0);
    cr_assert_str_eq(plain, NIK);

    cr_assert_eq(accounts_by_email(d, "siti@example.id", &r), DB_OK);
    cr_assert_eq(r.id, id);
    cr_assert_eq(accounts_by_public_id(d, pid, &r), DB_OK);
    cr_assert_eq(r.id, id);
    cr_assert_eq(accounts_by_id(d, id, &r), DB_OK);
    cr_assert_str_eq(r.phone, "+6281234567890");
    cr_assert_eq(accounts_by_email(d, "nobody@example.id", &r), DB_ENOTFOUND);
    pii_blind_index(&keys, "nik", "3509154708950002", bidx);
    cr_assert_eq(accounts_by_nik_bidx(d, bidx, &r), DB_ENOTFOUND);
    db_close(d);
}

static int file_has(const char *path, const char *needle)
{
    FILE *f = fopen(path, "rb");
    static char data[8 << 20];
    size_t n;

    if (!f)
        return 0;
    n = fread(data, 1, sizeof data, f);
    fclose(f);
    return memmem(data, n, needle, strlen(needle)) != NULL;
}

Test(accounts, nik_and_kk_never_reach_the_file_in_clear)
{
    db *d = open_migrated();
    int64_t id;

    cr_assert_eq(add(d, NIK, "siti@example.id", "+6281234567890", &id, NULL), DB_OK);
    if (db_engine(d) == DB_PG) {
        /* every column of every row as text: the server's files are not ours to read */
        char sql[128];
        int64_t n = -1;
        snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM accounts a WHERE a::text LIKE '%%%s%%'",
                 "siti@example.id");
        cr_assert_eq(db_one_int(d, sql, NULL, 0, &n), DB_OK, "%s", db_errmsg(d));
        cr_assert_eq(n, 1, "the e-mail is stored in clear, so the scan works");
        snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM accounts a WHERE a::text LIKE '%%%s%%' "
                                  "OR a::text LIKE '%%%s%%'", NIK, KK);
        cr_assert_eq(db_one_int(d, sql, NULL, 0, &n), DB_OK);
        cr_assert_eq(n, 0);
        db_close(d);
        return;
    }
    db_close(d);
    /* the e-mail is stored in clear, so the scan itself is shown to work */
    cr_assert(file_has(tmpdb_path("a.db"), "siti@example.id") ||
              file_has(tmpdb_path("a.db-wal"), "siti@example.id"));
    cr_assert_not(file_has(tmpdb_path("a.db"), NIK));
    cr_assert_not(file_has(tmpdb_path("a.db-wal"), NIK));
    cr_assert_not(file_has(tmpdb_path("a.db"), KK));
    cr_assert_not(file_has(tmpdb_path("a.db-wal"), KK));
}

Test(accounts, a_nik_email_or_phone_can_be_registered_once)
{
    db *d = open_migrated();
    const char *taken = "x";
    char bidx[PII_BIDX_LEN + 1];
    int64_t id;

    cr_assert_eq(add(d, NIK, "siti@example.id", "+6281234567890", &id, NULL), DB_OK);
    cr_assert_eq(add(d, NIK, "other@example.id", "+6281111111111", &id, NULL), DB_ECONSTRAINT);
    cr_assert_eq(add(d, "3509150101900001", "siti@example.id", "+6281111111111", &id, NULL),
                 DB_ECONSTRAINT);
    cr_assert_eq(add(d, "3509150101900001", "x@example.id", "+6281234567890", &id, NULL),
                 DB_ECONSTRAINT);

    pii_blind_index(&keys, "nik", NIK, bidx);
    cr_assert_eq(accounts_find_taken(d, bidx, "new@example.id", "+628999", &taken), DB_OK);
    cr_assert_str_eq(taken, "nik");
    cr_assert_eq(accounts_find_taken(d, NULL, "siti@example.id", NULL, &taken), DB_OK);
    cr_assert_str_eq(taken, "email");
    cr_assert_eq(accounts_find_taken(d, NULL, "new@example.id", "+6281234567890", &taken), DB_OK);
    cr_assert_str_eq(taken, "phone");
    cr_assert_eq(accounts_find_taken(d, NULL, "new@example.id", "+628999", &taken), DB_OK);
    cr_assert_null(taken);
    db_close(d);
}

Test(accounts, failed_logins_count_in_a_window_and_lock_at_the_limit)
{
    db *d = open_migrated();
    struct account_row r;
    int64_t id, locked = -1;
    int failed = 0;

    cr_assert_eq(add(d, NIK, "siti@example.id", "+6281234567890", &id, NULL), DB_OK);
    for (int i = 1; i <= 3; i++) {
        cr_assert_eq(accounts_login_failed(d, id, 1000 + i, 900, 10, 900, &failed, &locked),
                     DB_OK, "%s", db_errmsg(d));
        cr_assert_eq(failed, i);
        cr_assert_eq(locked, 0);
    }
    /* a failure long after the last one starts the count again */
    cr_assert_eq(accounts_login_failed(d, id, 5000, 900, 10, 900, &failed, &locked), DB_OK);
    cr_assert_eq(failed, 1);
    for (int i = 2; i <= 10; i++)
        cr_assert_eq(accounts_login_failed(d, id, 5000 + i, 900, 10, 900, &failed, &locked),
                     DB_OK);
    cr_assert_eq(failed, 10);
    cr_assert_eq(locked, 5010 + 900);
    cr_assert_eq(accounts_by_id(d, id, &r), DB_OK);
    cr_assert_eq(r.locked_until, 5910);
    cr_assert_eq(r.last_failed_at, 5010);
    cr_assert_eq(accounts_login_ok(d, id), DB_OK);
    cr_assert_eq(accounts_by_id(d, id, &r), DB_OK);
    cr_assert_eq(r.failed_logins, 0);
    cr_assert_eq(r.locked_until, 0);
    db_close(d);
}

Test(accounts, a_new_code_replaces_the_pending_one_and_verification_is_recorded)
{
    db *d = open_migrated();
    struct verify_code v;
    struct account_row r;
    int64_t id, last = 0;

    cr_assert_eq(add(d, NIK, "siti@example.id", "+6281234567890", &id, NULL), DB_OK);
    cr_assert_eq(accounts_code_pending(d, id, "email", &v), DB_ENOTFOUND);
    cr_assert_eq(accounts_code_add(d, id, "email", "aa", 100, 1000), DB_OK);
    cr_assert_eq(accounts_code_add(d, id, "phone", "pp", 100, 1000), DB_OK);
    cr_assert_eq(accounts_code_add(d, id, "email", "bb", 200, 1100), DB_OK);
    cr_assert_eq(accounts_code_pending(d, id, "email", &v), DB_OK);
    cr_assert_str_eq(v.code_hash, "bb");
    cr_assert_eq(v.expires_at, 1100);
    cr_assert_eq(accounts_code_attempt(d, v.id), DB_OK);
    cr_assert_eq(accounts_code_attempt(d, v.id), DB_OK);
    cr_assert_eq(accounts_code_pending(d, id, "email", &v), DB_OK);
    cr_assert_eq(v.attempts, 2);
    cr_assert_eq(accounts_code_last_created(d, id, "email", &last), DB_OK);
    cr_assert_eq(last, 200);
    cr_assert_eq(accounts_code_use(d, v.id, 300), DB_OK);
    cr_assert_eq(accounts_code_pending(d, id, "email", &v), DB_ENOTFOUND);
    cr_assert_eq(accounts_code_pending(d, id, "phone", &v), DB_OK);
    cr_assert_str_eq(v.code_hash, "pp");

    cr_assert_eq(accounts_set_verified(d, id, "email", 300), DB_OK);
    cr_assert_eq(accounts_by_id(d, id, &r), DB_OK);
    cr_assert_eq(r.email_verified_at, 300);
    cr_assert_eq(r.phone_verified_at, 0);
    cr_assert_eq(accounts_set_verified(d, id, "fax", 300), DB_ERR);
    db_close(d);
}

Test(accounts, sessions_are_stored_hashed_and_expire)
{
    db *d = open_migrated();
    char token[SESSIONS_TOKEN_HEX + 1], stored[128];
    int64_t id, acc = 0, exp = 0, n = 0;

    cr_assert_eq(add(d, NIK, "siti@example.id", "+6281234567890", &id, NULL), DB_OK);
    cr_assert_eq(sessions_create(d, id, 1000, 60, token, &exp), DB_OK, "%s", db_errmsg(d));
    cr_assert_eq(strlen(token), 64);
    cr_assert_eq(exp, 1060);
    cr_assert_eq(db_one_text(d, "SELECT token_hash FROM sessions", NULL, 0, stored, sizeof stored),
                 DB_OK);
    cr_assert_str_neq(stored, token);
    cr_assert_eq(sessions_find(d, token, 1059, &acc, &exp), DB_OK);
    cr_assert_eq(acc, id);
    cr_assert_eq(sessions_find(d, token, 1060, &acc, &exp), DB_ENOTFOUND);
    cr_assert_eq(sessions_find(d, stored, 1000, &acc, &exp), DB_ENOTFOUND);
    cr_assert_eq(sessions_find(d, "abc", 1000, &acc, &exp), DB_ENOTFOUND);
    cr_assert_eq(sessions_delete(d, token), DB_OK);
    cr_assert_eq(sessions_find(d, token, 1000, &acc, &exp), DB_ENOTFOUND);
    cr_assert_eq(sessions_create(d, id, 1000, 60, token, &exp), DB_OK);
    cr_assert_eq(sessions_purge(d, 2000, &n), DB_OK);
    cr_assert_eq(n, 1);
    db_close(d);
}

struct seen {
    int n;
    char recipients[4][64];
    int64_t ids[4];
};

static int collect(void *ctx, const struct outbox_msg *m)
{
    struct seen *s = ctx;
    if (s->n < 4) {
        snprintf(s->recipients[s->n], 64, "%s", m->recipient);
        s->ids[s->n] = m->id;
    }
    s->n++;
    return 0;
}

Test(accounts, outbox_lists_pending_messages_oldest_first)
{
    db *d = open_migrated();
    struct seen s = {0};

    cr_assert_eq(outbox_enqueue(d, "email", "a@example.id", "Kode", "Kode: 1", 10, NULL), DB_OK);
    cr_assert_eq(outbox_enqueue(d, "sms", "+628123", NULL, "Kode: 2", 11, NULL), DB_OK);
    cr_assert_eq(outbox_enqueue(d, "fax", "x", NULL, "y", 12, NULL), DB_ERR);
    cr_assert_eq(outbox_pending(d, 0, collect, &s), DB_OK);
    cr_assert_eq(s.n, 2);
    cr_assert_str_eq(s.recipients[0], "a@example.id");
    cr_assert_str_eq(s.recipients[1], "+628123");
    cr_assert_eq(outbox_mark_sent(d, s.ids[0], 20), DB_OK);
    memset(&s, 0, sizeof s);
    cr_assert_eq(outbox_pending(d, 0, collect, &s), DB_OK);
    cr_assert_eq(s.n, 1);
    cr_assert_str_eq(s.recipients[0], "+628123");
    db_close(d);
}

Test(accounts, audit_chain_verifies_and_shows_tampering)
{
    db *d = open_migrated();
    char first_prev[80];
    int64_t bad = -1;

    cr_assert_eq(audit_verify(d, &bad), DB_OK);
    cr_assert_eq(bad, 0);
    cr_assert_eq(audit_append(d, 100, "account:a", "account.register", "a", "role=participant"),
                 DB_OK, "%s", db_errmsg(d));
    cr_assert_eq(audit_append(d, 101, "account:a", "session.login", "a", NULL), DB_OK);
    cr_assert_eq(audit_append(d, 102, "account:a", "session.logout", "a", NULL), DB_OK);
    cr_assert_eq(audit_verify(d, &bad), DB_OK);
    cr_assert_eq(bad, 0);
    cr_assert_eq(db_one_text(d, "SELECT prev_hash FROM audit_log ORDER BY id LIMIT 1", NULL, 0,
                             first_prev, sizeof first_prev), DB_OK);
    cr_assert_eq(strspn(first_prev, "0"), 64);

    cr_assert_eq(db_exec(d, "UPDATE audit_log SET detail = 'role=admin' WHERE at = 100"), DB_OK);
    cr_assert_eq(audit_verify(d, &bad), 1);
    cr_assert_eq(bad, 1);
    db_close(d);
}

Test(accounts, audit_chain_shows_a_deleted_entry)
{
    db *d = open_migrated();
    int64_t bad = 0;

    for (int i = 0; i < 4; i++)
        cr_assert_eq(audit_append(d, 100 + i, "admin:x", "thing.change", "s", NULL), DB_OK);
    cr_assert_eq(db_exec(d, "DELETE FROM audit_log WHERE at = 102"), DB_OK);
    cr_assert_eq(audit_verify(d, &bad), 1);
    cr_assert_eq(bad, 4);
    db_close(d);
}

struct appender {
    const char *addr;
    int id, done, rc;
};

static int append_one(db *d, void *vctx)
{
    struct appender *a = vctx;
    char actor[32];

    snprintf(actor, sizeof actor, "admin:%d", a->id);
    return audit_append(d, 1700000000 + a->done, actor, "thing.change", "s", NULL);
}

static void *appender_thread(void *arg)
{
    struct appender *a = arg;
    char err[256];
    db *d = NULL;

    a->rc = db_open(a->addr, &d, err, sizeof err);
    for (; a->rc == DB_OK && a->done < 25; a->done++)
        a->rc = db_txn(d, append_one, a);
    db_close(d);
    return NULL;
}

Test(accounts, audit_chain_stays_one_chain_under_concurrent_appends, .timeout = 120)
{
    db *d = open_migrated();
    struct appender a[4];
    pthread_t th[4];
    int64_t bad = -1, n = -1, heads = -1;
    int i;

    for (i = 0; i < 4; i++) {
        a[i] = (struct appender){.addr = tmpdb_addr("a.db"), .id = i};
        cr_assert_eq(pthread_create(&th[i], NULL, appender_thread, &a[i]), 0);
    }
    for (i = 0; i < 4; i++)
        pthread_join(th[i], NULL);
    for (i = 0; i < 4; i++)
        cr_assert_eq(a[i].rc, DB_OK, "appender %d: %d", i, a[i].rc);
    cr_assert_eq(db_one_int(d, "SELECT COUNT(*) FROM audit_log", NULL, 0, &n), DB_OK);
    cr_assert_eq(n, 100);
    cr_assert_eq(db_one_int(d, "SELECT COUNT(DISTINCT prev_hash) FROM audit_log", NULL, 0,
                            &heads), DB_OK);
    cr_assert_eq(heads, 100, "no two entries follow the same one: the chain did not fork");
    cr_assert_eq(audit_verify(d, &bad), DB_OK);
    cr_assert_eq(bad, 0);
    db_close(d);
}
