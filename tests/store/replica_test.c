/*
 * replica: a streaming-replication standby made by `scripts/pg-cluster standby`
 * serves what the primary wrote, read-only. A row committed on the primary is read
 * on the standby once the standby has replayed the primary's WAL up to the
 * primary's position (pg_last_wal_replay_lsn() >= pg_current_wal_lsn(), waited for
 * with a bound); a write on the standby, as a statement, a transaction or a COPY,
 * fails with DB_ERR and a message saying why, and the connection stays usable.
 *
 * These tests run in the PostgreSQL pass only (PRAKERJA_TEST_PG set) and make
 * their own primary and standby in /dev/shm (or /tmp), removed at the end, so no
 * other test's databases travel through their WAL.
 *
 * The db_addr suite checks db_addr_redact (store/db.c), which needs no server.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "../support.h"
#include "store/db.h"

#define CATCH_UP_LIMIT_S 15.0

static char primary_dir[64], standby_dir[64];
static char primary_url[512], standby_url[512];
static db *P, *S;

static db *open_url(const char *base)
{
    char addr[600], err[256] = "";
    db *d = NULL;

    snprintf(addr, sizeof addr, "%s/postgres", base);
    cr_assert_eq(db_open(addr, &d, err, sizeof err), DB_OK, "db_open %s: %s", addr, err);
    return d;
}

/* Starts a primary, then a standby of it, and connects to both. */
static void pair_start(void)
{
    const char *root = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    char cmd[512];

    if (!getenv("PRAKERJA_TEST_PG") || !*getenv("PRAKERJA_TEST_PG"))
        cr_skip_test("PostgreSQL pass only");
    snprintf(primary_dir, sizeof primary_dir, "%s/pk-prim-XXXXXX", root);
    snprintf(standby_dir, sizeof standby_dir, "%s/pk-stby-XXXXXX", root);
    cr_assert_not_null(mkdtemp(primary_dir));
    cr_assert_not_null(mkdtemp(standby_dir));
    snprintf(cmd, sizeof cmd, "%s/scripts/pg-cluster start %s", PRAKERJA_SOURCE_ROOT,
             primary_dir);
    cr_assert_eq(test_run(cmd, primary_url, sizeof primary_url), 0, "%s failed", cmd);
    snprintf(cmd, sizeof cmd, "%s/scripts/pg-cluster standby %s %s", PRAKERJA_SOURCE_ROOT,
             standby_dir, primary_dir);
    cr_assert_eq(test_run(cmd, standby_url, sizeof standby_url), 0, "%s failed", cmd);
    P = open_url(primary_url);
    S = open_url(standby_url);
    /* The cluster runs with synchronous_commit off; on in this session, a commit
     * has been written when it returns, so pg_current_wal_lsn() is past it. */
    cr_assert_eq(db_exec(P, "SET synchronous_commit = on"), DB_OK, "%s", db_errmsg(P));
}

static void pair_stop(void)
{
    char cmd[512], out[64];

    db_close(S);
    db_close(P);
    S = P = NULL;
    /* the standby first, so it does not keep calling a primary that is gone */
    if (standby_dir[0]) {
        snprintf(cmd, sizeof cmd, "%s/scripts/pg-cluster stop %s", PRAKERJA_SOURCE_ROOT,
                 standby_dir);
        test_run(cmd, out, sizeof out);
        standby_dir[0] = '\0';
    }
    if (primary_dir[0]) {
        snprintf(cmd, sizeof cmd, "%s/scripts/pg-cluster stop %s", PRAKERJA_SOURCE_ROOT,
                 primary_dir);
        test_run(cmd, out, sizeof out);
        primary_dir[0] = '\0';
    }
}

/* Waits until the standby has replayed the primary's WAL up to where it is now;
 * returns the seconds it took. Fails the test past CATCH_UP_LIMIT_S. */
static double wait_caught_up(void)
{
    char lsn[64];
    double start = test_now();
    int64_t done = 0;

    cr_assert_eq(db_one_text(P, "SELECT pg_current_wal_lsn()::text", NULL, 0, lsn, sizeof lsn),
                 DB_OK, "%s", db_errmsg(P));
    for (;;) {
        db_val v[1] = {DB_TEXT(lsn)};
        cr_assert_eq(db_one_int(S, "SELECT COALESCE(pg_last_wal_replay_lsn() >= $1::pg_lsn, "
                                   "false)", v, 1, &done),
                     DB_OK, "%s", db_errmsg(S));
        if (done)
            return test_now() - start;
        cr_assert_lt(test_now() - start, CATCH_UP_LIMIT_S,
                     "the standby did not replay up to %s within %.0f s", lsn, CATCH_UP_LIMIT_S);
        usleep(10 * 1000);
    }
}

TestSuite(replica, .fini = pair_stop, .timeout = 120);

Test(replica, a_write_on_the_primary_is_read_on_the_standby_once_it_has_caught_up)
{
    db_val row[2] = {DB_INT(1), DB_TEXT("halo")};
    db_val id[1] = {DB_INT(1)};
    char body[32];
    int64_t in_recovery = 0;

    pair_start();
    cr_assert_eq(db_one_int(S, "SELECT pg_is_in_recovery()", NULL, 0, &in_recovery), DB_OK);
    cr_assert_eq(in_recovery, 1, "the standby is a standby");
    cr_assert_eq(db_exec(P, "CREATE TABLE notes (id BIGINT PRIMARY KEY, body TEXT NOT NULL)"),
                 DB_OK, "%s", db_errmsg(P));
    cr_assert_eq(db_run(P, "INSERT INTO notes (id, body) VALUES ($1, $2)", row, 2, NULL), DB_OK,
                 "%s", db_errmsg(P));
    wait_caught_up();
    cr_assert_eq(db_one_text(S, "SELECT body FROM notes WHERE id = $1", id, 1, body, sizeof body),
                 DB_OK, "%s", db_errmsg(S));
    cr_assert_str_eq(body, "halo");

    /* a change to a row the standby has already read shows there too */
    cr_assert_eq(db_run(P, "UPDATE notes SET body = 'apa kabar' WHERE id = $1", id, 1, NULL),
                 DB_OK, "%s", db_errmsg(P));
    wait_caught_up();
    cr_assert_eq(db_one_text(S, "SELECT body FROM notes WHERE id = $1", id, 1, body, sizeof body),
                 DB_OK, "%s", db_errmsg(S));
    cr_assert_str_eq(body, "apa kabar");
}

static int insert_two(db *d, void *ctx)
{
    db_val row[2] = {DB_INT(2), DB_TEXT("dua")};

    (void)ctx;
    return db_run(d, "INSERT INTO notes (id, body) VALUES ($1, $2)", row, 2, NULL);
}

Test(replica, a_write_on_the_standby_is_refused_and_the_connection_goes_on)
{
    static const char *const cols[] = {"id", "body"};
    db_val row[2] = {DB_INT(2), DB_TEXT("dua")};
    int64_t n = -1;
    db_copy *c = NULL;
    int rc;

    pair_start();
    cr_assert_eq(db_exec(P, "CREATE TABLE notes (id BIGINT PRIMARY KEY, body TEXT NOT NULL);"
                            "INSERT INTO notes VALUES (1, 'satu')"), DB_OK, "%s", db_errmsg(P));
    wait_caught_up();

    rc = db_run(S, "INSERT INTO notes (id, body) VALUES ($1, $2)", row, 2, NULL);
    cr_assert_eq(rc, DB_ERR, "a plain INSERT on the standby: %d (%s)", rc, db_errmsg(S));
    cr_assert_neq(strstr(db_errmsg(S), "read-only"), NULL, "says why: %s", db_errmsg(S));
    cr_assert_neq(strstr(db_errmsg(S), "25006"), NULL, "%s", db_errmsg(S));

    rc = db_txn(S, insert_two, NULL);
    cr_assert_eq(rc, DB_ERR, "a transaction on the standby: %d (%s)", rc, db_errmsg(S));

    rc = db_copy_begin(S, "notes", cols, 2, &c);
    if (rc == DB_OK)                  /* refused at the latest when it ends */
        rc = db_copy_row(c, row) == DB_OK ? db_copy_end(c, 1, NULL) : db_copy_end(c, 0, NULL);
    cr_assert_eq(rc, DB_ERR, "a COPY on the standby: %d (%s)", rc, db_errmsg(S));

    /* the same connection still reads, and nothing was written */
    cr_assert_eq(db_one_int(S, "SELECT COUNT(*) FROM notes", NULL, 0, &n), DB_OK, "%s",
                 db_errmsg(S));
    cr_assert_eq(n, 1);
    /* the primary takes the same write */
    cr_assert_eq(db_txn(P, insert_two, NULL), DB_OK, "%s", db_errmsg(P));
    wait_caught_up();
    cr_assert_eq(db_one_int(S, "SELECT COUNT(*) FROM notes", NULL, 0, &n), DB_OK);
    cr_assert_eq(n, 2);
}

/* ---- db_addr_redact: no server needed ---- */

static const char *redact(const char *addr)
{
    static char out[512];

    return db_addr_redact(addr, out, sizeof out);
}

Test(db_addr, the_password_of_a_postgres_url_is_masked)
{
    cr_assert_str_eq(redact("postgres://user:secret@db.example:5432/prakerja"),
                     "postgres://user:***@db.example:5432/prakerja");
    cr_assert_str_eq(redact("postgresql://u:p%40ss:w@%2Ftmp%2Fpg:5432/db"),
                     "postgresql://u:***@%2Ftmp%2Fpg:5432/db");
    cr_assert_str_eq(redact("postgresql://:pw@host"), "postgresql://:***@host");
    cr_assert_str_eq(redact("postgresql://u@h/db?sslmode=require&password=x1&application_name=a"),
                     "postgresql://u@h/db?sslmode=require&password=***&application_name=a");
    cr_assert_str_eq(redact("postgres://h?password=x&user=u"), "postgres://h?password=***&user=u");
    cr_assert_str_eq(redact("postgres://u:p?w@h/db?password=p?w"),
                     "postgres://u:***@h/db?password=***");
    cr_assert_str_eq(redact("postgres://u:a@h1:5432,h2:5433/db?password=b"),
                     "postgres://u:***@h1:5432,h2:5433/db?password=***");
}

Test(db_addr, addresses_without_a_password_are_unchanged)
{
    static const char *const same[] = {
        "postgresql://postgres@%2Fdev%2Fshm%2Fpk-pg-1:5432/t_1",
        "postgres://host/db?user=u&passwordless=1",
        "postgres://u:@host/db?password=",
        "postgres://host",
        "data/prakerja.db",
        "/tmp/a:b@c/weird.db",       /* a SQLite path is never a URL */
        "",
    };

    for (size_t i = 0; i < sizeof same / sizeof same[0]; i++)
        cr_assert_str_eq(redact(same[i]), same[i]);
}

Test(db_addr, a_short_buffer_cuts_without_showing_the_password)
{
    char out[20];

    db_addr_redact("postgres://user:secret@host/db", out, sizeof out);
    cr_assert_str_eq(out, "postgres://user:***");
    db_addr_redact("postgres://user:secret@host/db", out, 1);
    cr_assert_str_eq(out, "");
}

Test(db_addr, db_open_does_not_quote_the_password_in_its_errors)
{
    char err[512] = "";
    db *d = NULL;

    /* libpq quotes the whole URL when it cannot parse it */
    cr_assert_neq(db_open("postgresql://bob:s3cr3t@[::1/x", &d, err, sizeof err), DB_OK);
    cr_assert_null(d);
    cr_assert_null(strstr(err, "s3cr3t"), "%s", err);
    cr_assert_neq(strstr(err, "bob:***@"), NULL, "still says which URL: %s", err);
    cr_assert_neq(db_open("postgresql://bob@[::1/x?password=s3cr3t", &d, err, sizeof err), DB_OK);
    cr_assert_null(strstr(err, "s3cr3t"), "%s", err);
}
