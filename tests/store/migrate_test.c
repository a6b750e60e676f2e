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
