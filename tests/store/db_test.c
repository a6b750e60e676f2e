/*
 * Tests of the query API (src/store/db.c, src/store/sqlite.c) on a SQLite file:
 * parameters of every type, rows, db_one_*, constraint mapping, db_txn commit,
 * rollback, nesting and its retry under real contention between two connections.
 */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdint.h>

#include "tmpdb.h"
#include "store/db.h"

TestSuite(db, .init = tmpdb_setup, .fini = tmpdb_teardown);

static db *open_with_table(void)
{
    db *d = tmpdb_open("t.db");

    cr_assert_eq(db_exec(d, "CREATE TABLE t (id INTEGER PRIMARY KEY, n BIGINT, s TEXT UNIQUE);"
                            "CREATE TABLE kv (k TEXT PRIMARY KEY, v BIGINT NOT NULL)"),
                 DB_OK, "%s", db_errmsg(d));
    return d;
}

Test(db, open_sets_wal_foreign_keys_and_engine)
{
    db *d = tmpdb_open("t.db");
    char mode[16];
    int64_t v = 0;

    cr_assert_eq(db_engine(d), DB_SQLITE);
    cr_assert_eq(db_one_text(d, "PRAGMA journal_mode", NULL, 0, mode, sizeof mode), DB_OK);
    cr_assert_str_eq(mode, "wal");
    cr_assert_eq(db_one_int(d, "PRAGMA foreign_keys", NULL, 0, &v), DB_OK);
    cr_assert_eq(v, 1);
    cr_assert_eq(db_one_int(d, "PRAGMA synchronous", NULL, 0, &v), DB_OK);
    cr_assert_eq(v, 2, "synchronous should be FULL (2), is %lld", (long long)v);
    cr_assert_eq(db_one_int(d, "PRAGMA busy_timeout", NULL, 0, &v), DB_OK);
    cr_assert_eq(v, 5000);
    db_close(d);
}

Test(db, postgres_address_is_refused_with_a_message)
{
    char err[128] = "";
    db *d = (db *)1;

    cr_assert_lt(db_open("postgres://localhost/prakerja", &d, err, sizeof err), 0);
    cr_assert_null(d);
    cr_assert_str_eq(err, "PostgreSQL support is not built yet");
    cr_assert_lt(db_open("postgresql://x", &d, err, sizeof err), 0);
}

Test(db, params_of_every_type_round_trip)
{
    db *d = open_with_table();
    const char bytes[] = "ab\0cd";
    db_val p[3] = {DB_INT(INT64_MIN), DB_TEXT("Siti Nur'aini — Jember"), DB_NULL};
    db_rows *r;

    cr_assert_eq(db_run(d, "INSERT INTO t(n, s) VALUES ($1, $2)", p, 2, NULL), DB_OK,
                 "%s", db_errmsg(d));
    p[0] = DB_INT(INT64_MAX);
    p[1] = DB_TEXTN("xyz-ignored", 3);
    cr_assert_eq(db_run(d, "INSERT INTO t(n, s) VALUES ($1, $2)", p, 2, NULL), DB_OK);
    p[0] = DB_NULL;
    p[1] = DB_TEXT(NULL);
    cr_assert_eq(db_run(d, "INSERT INTO t(n, s) VALUES ($1, $2)", p, 2, NULL), DB_OK);
    p[1] = DB_TEXTN(bytes, 5);
    cr_assert_eq(db_run(d, "INSERT INTO t(n, s) VALUES (7, $1)", &p[1], 1, NULL), DB_OK);

    cr_assert_eq(db_query(d, "SELECT n, s FROM t ORDER BY id", NULL, 0, &r), DB_OK);
    cr_assert_eq(db_step(r), DB_ROW);
    cr_assert_eq(db_int(r, 0), INT64_MIN);
    cr_assert_str_eq(db_text(r, 1), "Siti Nur'aini — Jember");
    cr_assert_eq(db_step(r), DB_ROW);
    cr_assert_eq(db_int(r, 0), INT64_MAX);
    cr_assert_str_eq(db_text(r, 1), "xyz");
    cr_assert_eq(db_len(r, 1), 3);
    cr_assert_eq(db_step(r), DB_ROW);
    cr_assert(db_isnull(r, 0));
    cr_assert(db_isnull(r, 1));
    cr_assert_str_eq(db_text(r, 1), "");
    cr_assert_eq(db_step(r), DB_ROW);
    cr_assert_eq(db_len(r, 1), 5);
    cr_assert_eq(memcmp(db_text(r, 1), bytes, 5), 0);
    cr_assert(db_isnull(r, 9), "a column past the end reads as NULL");
    cr_assert_eq(db_step(r), DB_DONE);
    cr_assert_eq(db_step(r), DB_DONE, "stepping past the end must not rerun the query");
    db_rows_free(r);
    db_close(d);
}

Test(db, dollar_params_bind_by_number_not_position)
{
    db *d = open_with_table();
    db_val p[2] = {DB_INT(5), DB_TEXT("five")};
    char s[16];

    cr_assert_eq(db_run(d, "INSERT INTO t(s, n) VALUES ($2, $1)", p, 2, NULL), DB_OK);
    cr_assert_eq(db_one_text(d, "SELECT s FROM t WHERE n = $1 AND n = $1", p, 1, s, sizeof s),
                 DB_OK, "%s", db_errmsg(d));
    cr_assert_str_eq(s, "five");
    cr_assert_eq(db_run(d, "INSERT INTO t(n) VALUES ($1)", p, 2, NULL), DB_ERR,
                 "an unused parameter is an error");
    cr_assert_eq(db_run(d, "INSERT INTO t(n, s) VALUES ($1, $2)", p, 1, NULL), DB_ERR,
                 "a missing parameter is an error");
    cr_assert_eq(db_run(d, "INSERT INTO t(n) VALUES (?)", p, 1, NULL), DB_ERR);
    cr_assert_eq(db_run(d, "INSERT INTO t(n) VALUES (1); INSERT INTO t(n) VALUES (2)",
                        NULL, 0, NULL), DB_ERR, "db_run takes one statement");
    db_close(d);
}

Test(db, one_int_one_text_and_not_found)
{
    db *d = open_with_table();
    db_val p[1] = {DB_TEXT("Kabupaten Jember")};
    int64_t v = -1, changes = 0;
    char small[5];

    cr_assert_eq(db_run(d, "INSERT INTO t(n, s) VALUES (42, $1)", p, 1, &changes), DB_OK);
    cr_assert_eq(changes, 1);
    cr_assert_eq(db_one_int(d, "SELECT n FROM t WHERE s = $1", p, 1, &v), DB_OK);
    cr_assert_eq(v, 42);
    cr_assert_eq(db_one_text(d, "SELECT s FROM t", NULL, 0, small, sizeof small), DB_OK);
    cr_assert_str_eq(small, "Kabu", "cut to outlen-1 and terminated");
    v = -1;
    cr_assert_eq(db_one_int(d, "SELECT n FROM t WHERE s = 'nobody'", NULL, 0, &v), DB_ENOTFOUND);
    cr_assert_eq(v, -1);
    cr_assert_eq(db_run(d, "UPDATE t SET n = n + 1", NULL, 0, &changes), DB_OK);
    cr_assert_eq(changes, 1);
    cr_assert_eq(db_run(d, "DELETE FROM t WHERE n < 0", NULL, 0, &changes), DB_OK);
    cr_assert_eq(changes, 0);
    db_close(d);
}

Test(db, constraint_violations_map_to_econstraint)
{
    db *d = open_with_table();
    db_val p[1] = {DB_TEXT("dup")};

    cr_assert_eq(db_exec(d, "CREATE TABLE child (p TEXT NOT NULL REFERENCES t(s))"), DB_OK);
    cr_assert_eq(db_run(d, "INSERT INTO t(s) VALUES ($1)", p, 1, NULL), DB_OK);
    cr_assert_eq(db_run(d, "INSERT INTO t(s) VALUES ($1)", p, 1, NULL), DB_ECONSTRAINT);
    cr_assert_neq(strstr(db_errmsg(d), "UNIQUE"), NULL, "message: %s", db_errmsg(d));
    cr_assert_eq(db_run(d, "INSERT INTO child(p) VALUES ('missing')", NULL, 0, NULL),
                 DB_ECONSTRAINT, "foreign keys are enforced");
    cr_assert_eq(db_run(d, "INSERT INTO child(p) VALUES (NULL)", NULL, 0, NULL), DB_ECONSTRAINT);
    cr_assert_eq(db_exec(d, "INSERT INTO t(s) VALUES ('dup')"), DB_ECONSTRAINT);
    cr_assert_eq(db_run(d, "SELEC nonsense", NULL, 0, NULL), DB_ERR);
    db_close(d);
}

static int insert_then(db *d, void *ctx)
{
    int want = *(int *)ctx;
    int rc = db_run(d, "INSERT INTO kv(k, v) VALUES ('a', 1)", NULL, 0, NULL);

    return rc != DB_OK ? rc : want;
}

Test(db, txn_commits_on_zero_and_rolls_back_on_fn_status)
{
    db *d = open_with_table();
    int64_t n = -1;
    int status = 0;

    cr_assert_eq(db_txn(d, insert_then, &status), DB_OK, "%s", db_errmsg(d));
    cr_assert_eq(db_one_int(d, "SELECT COUNT(*) FROM kv", NULL, 0, &n), DB_OK);
    cr_assert_eq(n, 1);
    cr_assert_eq(db_exec(d, "DELETE FROM kv"), DB_OK);

    status = -77;
    cr_assert_eq(db_txn(d, insert_then, &status), -77, "fn's own status comes back unchanged");
    cr_assert_eq(db_one_int(d, "SELECT COUNT(*) FROM kv", NULL, 0, &n), DB_OK);
    cr_assert_eq(n, 0, "rolled back");
    status = 5;
    cr_assert_eq(db_txn(d, insert_then, &status), 5);
    cr_assert_eq(db_one_int(d, "SELECT COUNT(*) FROM kv", NULL, 0, &n), DB_OK);
    cr_assert_eq(n, 0);
    db_close(d);
}

static int outer_fn(db *d, void *ctx)
{
    int status = 0, rc;

    rc = db_txn(d, insert_then, &status);
    if (rc != DB_OK)
        return rc;
    return db_run(d, "INSERT INTO kv(k, v) VALUES ('b', 2)", NULL, 0, NULL) == DB_OK
               ? *(int *)ctx : DB_ERR;
}

Test(db, nested_txn_runs_inside_the_outer_one)
{
    db *d = open_with_table();
    int64_t n = -1;
    int status = 0;

    cr_assert_eq(db_txn(d, outer_fn, &status), DB_OK, "%s", db_errmsg(d));
    cr_assert_eq(db_one_int(d, "SELECT COUNT(*) FROM kv", NULL, 0, &n), DB_OK);
    cr_assert_eq(n, 2);
    cr_assert_eq(db_exec(d, "DELETE FROM kv"), DB_OK);
    status = -9;
    cr_assert_eq(db_txn(d, outer_fn, &status), -9);
    cr_assert_eq(db_one_int(d, "SELECT COUNT(*) FROM kv", NULL, 0, &n), DB_OK);
    cr_assert_eq(n, 0, "the inner insert went with the outer rollback");
    db_close(d);
}

Test(db, nested_queries_with_the_same_text)
{
    db *d = open_with_table();
    db_rows *a, *b;
    int rows = 0;

    cr_assert_eq(db_exec(d, "INSERT INTO t(n) VALUES (1), (2), (3)"), DB_OK);
    cr_assert_eq(db_query(d, "SELECT n FROM t ORDER BY n", NULL, 0, &a), DB_OK);
    while (db_step(a) == DB_ROW) {
        cr_assert_eq(db_query(d, "SELECT n FROM t ORDER BY n", NULL, 0, &b), DB_OK);
        cr_assert_eq(db_step(b), DB_ROW);
        cr_assert_eq(db_int(b, 0), 1);
        db_rows_free(b);
        rows++;
    }
    db_rows_free(a);
    cr_assert_eq(rows, 3);
    db_close(d);
}

Test(db, statement_cache_stays_bounded_and_correct)
{
    db *d = open_with_table();
    char sql[128];
    int64_t v;
    int i, round;

    for (round = 0; round < 2; round++)
        for (i = 0; i < 300; i++) {
            snprintf(sql, sizeof sql, "SELECT %d + $1", i);
            db_val p[1] = {DB_INT(round)};
            cr_assert_eq(db_one_int(d, sql, p, 1, &v), DB_OK);
            cr_assert_eq(v, i + round);
        }
    db_close(d);
}

struct counter_ctx {
    const char *path;
    int done;
    int rc;
};

static int increment(db *d, void *ctx)
{
    int64_t v;
    int rc = db_one_int(d, "SELECT v FROM kv WHERE k = 'counter'", NULL, 0, &v);

    (void)ctx;
    if (rc != DB_OK)
        return rc;
    db_val p[1] = {DB_INT(v + 1)};
    return db_run(d, "UPDATE kv SET v = $1 WHERE k = 'counter'", p, 1, NULL);
}

static void *counter_thread(void *arg)
{
    struct counter_ctx *c = arg;
    char err[256];
    db *d = NULL;
    int i;

    c->rc = db_open(c->path, &d, err, sizeof err);
    for (i = 0; i < 200 && c->rc == DB_OK; i++) {
        c->rc = db_txn(d, increment, NULL);
        if (c->rc == DB_OK)
            c->done++;
    }
    db_close(d);
    return NULL;
}

Test(db, two_connections_incrementing_in_txns_lose_nothing, .timeout = 60)
{
    db *d = open_with_table();
    struct counter_ctx c[2] = {{tmpdb_path("t.db"), 0, 0}, {tmpdb_path("t.db"), 0, 0}};
    pthread_t th[2];
    int64_t v = 0;
    int i;

    cr_assert_eq(db_exec(d, "INSERT INTO kv(k, v) VALUES ('counter', 0)"), DB_OK);
    for (i = 0; i < 2; i++)
        cr_assert_eq(pthread_create(&th[i], NULL, counter_thread, &c[i]), 0);
    for (i = 0; i < 2; i++)
        pthread_join(th[i], NULL);
    for (i = 0; i < 2; i++) {
        cr_assert_eq(c[i].rc, DB_OK, "thread %d failed with %d", i, c[i].rc);
        cr_assert_eq(c[i].done, 200);
    }
    cr_assert_eq(db_one_int(d, "SELECT v FROM kv WHERE k = 'counter'", NULL, 0, &v), DB_OK);
    cr_assert_eq(v, 400);
    db_close(d);
}

struct blocked_ctx {
    const char *path;
    int rc;
};

static void *blocked_thread(void *arg)
{
    struct blocked_ctx *c = arg;
    char err[256];
    db *d = NULL;

    c->rc = db_open(c->path, &d, err, sizeof err);
    if (c->rc == DB_OK)
        c->rc = db_exec(d, "PRAGMA busy_timeout = 0");
    if (c->rc == DB_OK)
        c->rc = db_txn(d, increment, NULL);
    db_close(d);
    return NULL;
}

Test(db, txn_retries_busy_until_the_other_writer_is_done, .timeout = 30)
{
    db *d = open_with_table();
    struct blocked_ctx c = {tmpdb_path("t.db"), 1};
    pthread_t th;
    int64_t v = 0;

    cr_assert_eq(db_exec(d, "INSERT INTO kv(k, v) VALUES ('counter', 0)"), DB_OK);
    cr_assert_eq(db_exec(d, "BEGIN IMMEDIATE"), DB_OK);
    cr_assert_eq(pthread_create(&th, NULL, blocked_thread, &c), 0);
    usleep(60 * 1000);
    cr_assert_eq(db_exec(d, "COMMIT"), DB_OK);
    pthread_join(th, NULL);
    cr_assert_eq(c.rc, DB_OK, "without a busy timeout db_txn must retry, got %d", c.rc);
    cr_assert_eq(db_one_int(d, "SELECT v FROM kv WHERE k = 'counter'", NULL, 0, &v), DB_OK);
    cr_assert_eq(v, 1);
    db_close(d);
}

Test(db, txn_gives_up_with_ebusy_after_the_retries, .timeout = 30)
{
    db *d = open_with_table();
    struct blocked_ctx c = {tmpdb_path("t.db"), 1};
    int64_t v = -1;

    cr_assert_eq(db_exec(d, "INSERT INTO kv(k, v) VALUES ('counter', 0)"), DB_OK);
    cr_assert_eq(db_exec(d, "BEGIN IMMEDIATE"), DB_OK);
    blocked_thread(&c);
    cr_assert_eq(c.rc, DB_EBUSY);
    cr_assert_eq(db_exec(d, "COMMIT"), DB_OK);
    cr_assert_eq(db_one_int(d, "SELECT v FROM kv WHERE k = 'counter'", NULL, 0, &v), DB_OK);
    cr_assert_eq(v, 0);
    db_close(d);
}
