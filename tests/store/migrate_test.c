/*
 * Tests of the migration runner (src/store/db.c) and the embedded migrations:
 * a database made by migration 1 alone, holding data, is brought to the latest
 * version without loss; running again applies nothing; a failing migration
 * leaves the previous version and none of its own changes. On the engine under test
 * (tests/store/tmpdb.h), so the embedded migrations are proven on both.
 */
#include <criterion/criterion.h>
#include <time.h>

#include "tmpdb.h"
#include "store/db.h"
#include "store/db_driver.h"

TestSuite(migrate, .init = tmpdb_setup, .fini = tmpdb_teardown);

static int64_t count(db *d, const char *sql)
{
    int64_t n = -1;

    cr_assert_eq(db_one_int(d, sql, NULL, 0, &n), DB_OK, "%s: %s", sql, db_errmsg(d));
    return n;
}

Test(migrate, fresh_database_is_version_zero_then_latest)
{
    db *d = tmpdb_open("m.db");
    int v = -1, applied = -1;

    cr_assert_eq(db_schema_version(d, &v), DB_OK);
    cr_assert_eq(v, 0);
    cr_assert_geq(db_latest_version(), 2);
    cr_assert_eq(db_migrate(d, 0, &applied), DB_OK, "%s", db_errmsg(d));
    cr_assert_eq(applied, db_latest_version());
    cr_assert_eq(db_schema_version(d, &v), DB_OK);
    cr_assert_eq(v, db_latest_version());
    cr_assert_eq(count(d, "SELECT COUNT(*) FROM sessions"), 0);
    cr_assert_eq(count(d, "SELECT COUNT(*) FROM audit_log"), 0);
    db_close(d);
}

Test(migrate, version_one_database_with_data_migrates_without_loss)
{
    db *d = tmpdb_open("m.db");
    int v = -1, applied = -1;
    int64_t now = (int64_t)time(NULL), id;
    char name[64];
    db_rows *r;

    cr_assert_eq(db_migrate(d, 1, &applied), DB_OK, "%s", db_errmsg(d));
    cr_assert_eq(applied, 1);
    cr_assert_eq(db_schema_version(d, &v), DB_OK);
    cr_assert_eq(v, 1);
    cr_assert_eq(db_exec(d, "SELECT failed_logins FROM accounts"), DB_ERR,
                 "version 1 has no auth columns yet");

    cr_assert_eq(db_exec(d,
        "INSERT INTO regions(code, level, parent_code, name, digits) VALUES "
        "('35', 1, NULL, 'JAWA TIMUR', 35), ('35.09', 2, '35', 'KABUPATEN JEMBER', 3509),"
        "('35.09.15', 3, '35.09', 'Kaliwates', 350915),"
        "('35.09.15.1001', 4, '35.09.15', 'Kaliwates', 3509151001)"), DB_OK, "%s", db_errmsg(d));
    {
        db_val p[2] = {DB_TEXT("Siti Nur'aini"), DB_INT(now)};
        cr_assert_eq(db_run(d,
            "INSERT INTO accounts(public_id, email, full_name, village_code, regency_code, "
            "created_at) VALUES ('acc_1', 'siti@example.id', $1, '35.09.15.1001', '35.09', $2)",
            p, 2, NULL), DB_OK, "%s", db_errmsg(d));
    }
    cr_assert_eq(db_run(d, "INSERT INTO accounts(public_id, full_name, village_code, created_at) "
                           "VALUES ('acc_2', 'x', '99.99.99.9999', 1)", NULL, 0, NULL),
                 DB_ECONSTRAINT, "village_code references regions");

    cr_assert_eq(db_migrate(d, 0, &applied), DB_OK, "%s", db_errmsg(d));
    cr_assert_eq(applied, db_latest_version() - 1);
    cr_assert_eq(db_schema_version(d, &v), DB_OK);
    cr_assert_eq(v, db_latest_version());

    cr_assert_eq(count(d, "SELECT COUNT(*) FROM regions"), 4);
    cr_assert_eq(db_query(d, "SELECT id, full_name, role, synthetic, failed_logins, "
                             "locked_until, last_failed_at, created_at FROM accounts",
                          NULL, 0, &r), DB_OK, "%s", db_errmsg(d));
    cr_assert_eq(db_step(r), DB_ROW);
    id = db_int(r, 0);
    cr_assert_gt(id, 0);
    cr_assert_str_eq(db_text(r, 1), "Siti Nur'aini");
    cr_assert_str_eq(db_text(r, 2), "participant");
    cr_assert_eq(db_int(r, 3), 0);
    cr_assert(!db_isnull(r, 4) && db_int(r, 4) == 0);
    cr_assert(!db_isnull(r, 5) && db_int(r, 5) == 0);
    cr_assert(!db_isnull(r, 6) && db_int(r, 6) == 0);
    cr_assert_eq(db_int(r, 7), now);
    cr_assert_eq(db_step(r), DB_DONE);
    db_rows_free(r);

    {
        db_val p[1] = {DB_INT(id)};
        cr_assert_eq(db_run(d, "INSERT INTO sessions(token_hash, account_id, created_at, "
                               "expires_at) VALUES ('h1', $1, 1, 2)", p, 1, NULL), DB_OK);
    }
    cr_assert_eq(db_run(d, "INSERT INTO sessions(token_hash, account_id, created_at, expires_at) "
                           "VALUES ('h2', 999, 1, 2)", NULL, 0, NULL), DB_ECONSTRAINT);
    cr_assert_eq(db_run(d, "INSERT INTO outbox(channel, recipient, subject, body, created_at) "
                           "VALUES ('email', 'a@b.id', 's', 'b', 1)", NULL, 0, NULL), DB_OK);
    cr_assert_eq(count(d, "SELECT id FROM outbox"), 1, "@ID@ became an auto-numbered key");

    cr_assert_eq(db_one_text(d, "SELECT name FROM schema_migrations WHERE version = 1",
                             NULL, 0, name, sizeof name), DB_OK);
    cr_assert_str_eq(name, "init");
    cr_assert_eq(db_one_text(d, "SELECT name FROM schema_migrations WHERE version = 2",
                             NULL, 0, name, sizeof name), DB_OK);
    cr_assert_str_eq(name, "auth");
    cr_assert_eq(count(d, "SELECT COUNT(*) FROM schema_migrations"), db_latest_version());
    cr_assert_eq(count(d, "SELECT COUNT(*) FROM schema_migrations WHERE applied_at < 1700000000"),
                 0, "applied_at is a real Unix time");
    db_close(d);
}

Test(migrate, running_again_applies_nothing)
{
    db *d = tmpdb_open("m.db");
    int applied = -1, v = -1;

    cr_assert_eq(db_migrate(d, 0, &applied), DB_OK);
    cr_assert_eq(db_migrate(d, 0, &applied), DB_OK, "%s", db_errmsg(d));
    cr_assert_eq(applied, 0);
    db_close(d);
    d = tmpdb_open("m.db");
    cr_assert_eq(db_migrate(d, 0, &applied), DB_OK);
    cr_assert_eq(applied, 0);
    cr_assert_eq(db_migrate(d, 1, &applied), DB_OK, "asking for an older version is a no-op");
    cr_assert_eq(applied, 0);
    cr_assert_eq(db_schema_version(d, &v), DB_OK);
    cr_assert_eq(v, db_latest_version());
    cr_assert_eq(count(d, "SELECT COUNT(*) FROM schema_migrations"), db_latest_version());
    db_close(d);
}

Test(migrate, failing_migration_leaves_the_previous_version)
{
    static const struct db_migration list[] = {
        {1, "one", "CREATE TABLE a (id @ID@, x TEXT);"},
        {2, "two", "CREATE TABLE b (id @ID@);\nINSERT INTO a(x) VALUES ('y');\nNOT SQL AT ALL;"},
        {3, "three", "CREATE TABLE c (id @ID@);"},
    };
    db *d = tmpdb_open("m.db");
    int applied = -1, v = -1;

    cr_assert_eq(db_migrate_list(d, list, 3, 0, &applied), DB_ERR);
    cr_assert_eq(applied, 1);
    cr_assert_neq(strstr(db_errmsg(d), "0002_two"), NULL, "message names it: %s", db_errmsg(d));
    cr_assert_eq(db_schema_version(d, &v), DB_OK);
    cr_assert_eq(v, 1);
    cr_assert_eq(count(d, "SELECT COUNT(*) FROM a"), 0, "migration 2's insert rolled back");
    cr_assert_eq(db_exec(d, "SELECT * FROM b"), DB_ERR, "migration 2's table rolled back");
    cr_assert_eq(db_exec(d, "SELECT * FROM c"), DB_ERR, "nothing after the failure ran");
    cr_assert_eq(db_run(d, "INSERT INTO a(x) VALUES ('z')", NULL, 0, NULL), DB_OK);
    if (db_engine(d) == DB_SQLITE)
        cr_assert_eq(count(d, "SELECT id FROM a"), 1, "@ID@ is INTEGER PRIMARY KEY on SQLite");
    else                 /* a sequence does not roll back: the failed insert used 1 */
        cr_assert_gt(count(d, "SELECT id FROM a"), 0, "@ID@ is an identity column");
    db_close(d);
}

/* Migration 0005: the unique keys of accounts become named unique indexes (so bulk
 * import can drop and rebuild them). A database holding accounts and rows that
 * reference them comes through with every id and value kept, the references
 * intact, foreign keys enforced again and every unique key still unique. */
Test(migrate, accounts_unique_keys_become_named_indexes_without_loss)
{
    static const char *const uniq[] = {"accounts_public_id", "accounts_email", "accounts_phone",
                                       "accounts_nik"};
    db *d = tmpdb_open("m.db");
    int applied = -1;
    int64_t fk = 0;
    char sql[256];

    cr_assert_eq(db_migrate(d, 4, &applied), DB_OK, "%s", db_errmsg(d));
    cr_assert_eq(db_exec(d,
        "INSERT INTO regions(code, level, parent_code, name, digits) VALUES "
        "('35', 1, NULL, 'JAWA TIMUR', 35), ('35.09', 2, '35', 'KABUPATEN JEMBER', 3509),"
        "('35.09.15', 3, '35.09', 'Kaliwates', 350915),"
        "('35.09.15.1001', 4, '35.09.15', 'Kaliwates', 3509151001)"), DB_OK, "%s", db_errmsg(d));
    cr_assert_eq(db_exec(d,
        "INSERT INTO accounts(id, public_id, email, phone, full_name, nik_bidx, village_code, "
        "created_at) VALUES (7, 'pub7', 'siti@example.id', '+6281234567890', 'Siti', 'bidx7', "
        "'35.09.15.1001', 100), (9, 'pub9', NULL, NULL, 'Budi', NULL, NULL, 101), "
        "(12, 'pub12', NULL, NULL, 'Ani', NULL, NULL, 102)"), DB_OK, "%s", db_errmsg(d));
    cr_assert_eq(db_exec(d, "INSERT INTO sessions(token_hash, account_id, created_at, expires_at) "
                            "VALUES ('h7', 7, 1, 2)"), DB_OK, "%s", db_errmsg(d));
    cr_assert_eq(db_exec(d, "INSERT INTO verification_codes(account_id, channel, code_hash, "
                            "expires_at, created_at) VALUES (9, 'email', 'c', 2, 1)"),
                 DB_OK, "%s", db_errmsg(d));

    cr_assert_eq(db_migrate(d, 5, &applied), DB_OK, "%s", db_errmsg(d));
    cr_assert_eq(applied, 1);
    cr_assert_eq(count(d, "SELECT COUNT(*) FROM accounts"), 3);
    cr_assert_eq(count(d, "SELECT id FROM accounts WHERE public_id = 'pub12'"), 12, "ids kept");
    cr_assert_eq(count(d, "SELECT COUNT(*) FROM accounts WHERE id = 7 AND email = "
                          "'siti@example.id' AND phone = '+6281234567890' AND nik_bidx = 'bidx7' "
                          "AND village_code = '35.09.15.1001' AND created_at = 100"), 1);
    cr_assert_eq(count(d, "SELECT COUNT(*) FROM sessions s JOIN accounts a ON a.id = "
                          "s.account_id WHERE a.public_id = 'pub7'"), 1, "sessions still join");
    cr_assert_eq(count(d, "SELECT account_id FROM verification_codes"), 9);

    for (size_t i = 0; i < sizeof uniq / sizeof uniq[0]; i++) {
        if (db_engine(d) == DB_SQLITE)
            snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' "
                                      "AND tbl_name = 'accounts' AND name = '%s' AND sql LIKE "
                                      "'CREATE UNIQUE INDEX%%'", uniq[i]);
        else
            snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM pg_indexes WHERE tablename = "
                                      "'accounts' AND indexname = '%s' AND indexdef LIKE "
                                      "'CREATE UNIQUE INDEX%%'", uniq[i]);
        cr_assert_eq(count(d, sql), 1, "%s is a named unique index", uniq[i]);
    }
    if (db_engine(d) == DB_SQLITE) {
        cr_assert_eq(count(d, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND "
                              "tbl_name = 'accounts' AND sql IS NULL"), 0,
                     "no inline UNIQUE index is left (bulk import can drop them all)");
        cr_assert_eq(db_one_int(d, "PRAGMA foreign_keys", NULL, 0, &fk), DB_OK);
        cr_assert_eq(fk, 1, "foreign keys are enforced again after migrating");
    }

    cr_assert_eq(db_exec(d, "INSERT INTO sessions(token_hash, account_id, created_at, "
                            "expires_at) VALUES ('hx', 999, 1, 2)"), DB_ECONSTRAINT,
                 "sessions.account_id still references accounts");
    cr_assert_eq(db_exec(d, "INSERT INTO accounts(public_id, email, full_name, created_at) "
                            "VALUES ('pubx', 'siti@example.id', 'X', 1)"), DB_ECONSTRAINT);
    cr_assert_eq(db_exec(d, "INSERT INTO accounts(public_id, phone, full_name, created_at) "
                            "VALUES ('pubx', '+6281234567890', 'X', 1)"), DB_ECONSTRAINT);
    cr_assert_eq(db_exec(d, "INSERT INTO accounts(public_id, nik_bidx, full_name, created_at) "
                            "VALUES ('pubx', 'bidx7', 'X', 1)"), DB_ECONSTRAINT);
    cr_assert_eq(db_exec(d, "INSERT INTO accounts(public_id, full_name, created_at) "
                            "VALUES ('pub9', 'X', 1)"), DB_ECONSTRAINT);
    cr_assert_eq(db_exec(d, "INSERT INTO accounts(public_id, full_name, village_code, "
                            "created_at) VALUES ('pubx', 'X', '99.99.99.9999', 1)"),
                 DB_ECONSTRAINT, "village_code still references regions");
    cr_assert_eq(db_exec(d, "INSERT INTO accounts(public_id, full_name, created_at) "
                            "VALUES ('pubx', 'X', 1)"), DB_OK,
                 "NULL emails, phones and NIKs may repeat: %s", db_errmsg(d));
    db_close(d);
}

/* A migration that leaves a row pointing at a missing row fails and is rolled back
 * on both engines (SQLite runs migrations with foreign keys off and checks them
 * before commit), and SQLite enforces foreign keys again afterwards. */
Test(migrate, migration_leaving_a_dangling_reference_fails)
{
    static const struct db_migration list[] = {
        {1, "one", "CREATE TABLE p (id @ID@);\n"
                   "CREATE TABLE c (id @ID@, p_id BIGINT REFERENCES p(id));"},
        {2, "two", "INSERT INTO p(id) VALUES (1);\nINSERT INTO c(p_id) VALUES (42);"},
    };
    db *d = tmpdb_open("m.db");
    int applied = -1, v = -1;

    cr_assert_neq(db_migrate_list(d, list, 2, 0, &applied), DB_OK);
    cr_assert_eq(applied, 1);
    cr_assert_neq(strstr(db_errmsg(d), "0002_two"), NULL, "message names it: %s", db_errmsg(d));
    cr_assert_eq(db_schema_version(d, &v), DB_OK);
    cr_assert_eq(v, 1);
    cr_assert_eq(count(d, "SELECT COUNT(*) FROM p"), 0, "migration 2 rolled back");
    cr_assert_eq(count(d, "SELECT COUNT(*) FROM c"), 0);
    cr_assert_eq(db_exec(d, "INSERT INTO c(p_id) VALUES (42)"), DB_ECONSTRAINT,
                 "foreign keys are enforced again");
    db_close(d);
}
