/*
 * replica (API): `prakerja serve --db PRIMARY --db-read STANDBY` answers region
 * reads from the standby. Proven by pausing the standby's replay
 * (pg_wal_replay_pause()): a region then written on the primary stays unseen
 * through the API until replay resumes and the standby catches up. A read
 * connection that cannot be opened when serve starts is retried by every worker,
 * with 503 store.unavailable meanwhile, and writes and /readyz keep using the
 * primary. These run in the PostgreSQL pass only and make their own primary and
 * standby (scripts/pg-cluster start / standby) in /dev/shm or /tmp.
 *
 * The worker_db suite, on both engines, checks the same retry for the primary
 * connection on the HTTP layer's test server.
 *
 * The pg_addr suite, on both engines, checks what the commands print about a
 * postgres:// address: a PostgreSQL database needs its PII key named (--key or
 * PRAKERJA_KEY; SQLite keeps the database path + ".key" unless PRAKERJA_KEY says
 * otherwise), and no message or log line shows a password from the URL.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "../support.h"
#include "harness.h"
#include "store/db.h"

#define CATCH_UP_LIMIT_S 15.0
#define BAD_URL "postgresql://bob:s3cr3t@127.0.0.1:1/prakerja"

static struct harness H;
static char primary_dir[64], standby_dir[64];
static char primary_url[512], standby_url[512];
static db *P, *S;                     /* the test database on the primary / standby */

static db *open_addr(const char *addr)
{
    char err[256] = "";
    db *d = NULL;

    cr_assert_eq(db_open(addr, &d, err, sizeof err), DB_OK, "db_open %s: %s", addr, err);
    return d;
}

static void sql(db *d, const char *text)
{
    cr_assert_eq(db_exec(d, text), DB_OK, "%s: %s", text, db_errmsg(d));
}

static void cluster(const char *what, const char *dir, const char *arg, char *url, size_t n)
{
    char cmd[512], out[512];

    snprintf(cmd, sizeof cmd, "%s/scripts/pg-cluster %s %s %s 2>/dev/null", PRAKERJA_SOURCE_ROOT,
             what, dir, arg ? arg : "");
    cr_assert_eq(test_run(cmd, url ? url : out, url ? n : sizeof out), 0, "%s failed", cmd);
}

/* A primary and a standby of it; the harness makes its databases on the primary. */
static void pair_start(void)
{
    const char *root = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";

    if (!getenv("PRAKERJA_TEST_PG") || !*getenv("PRAKERJA_TEST_PG"))
        cr_skip_test("PostgreSQL pass only");
    snprintf(primary_dir, sizeof primary_dir, "%s/pk-aprim-XXXXXX", root);
    snprintf(standby_dir, sizeof standby_dir, "%s/pk-astby-XXXXXX", root);
    cr_assert_not_null(mkdtemp(primary_dir));
    cr_assert_not_null(mkdtemp(standby_dir));
    cluster("start", primary_dir, NULL, primary_url, sizeof primary_url);
    cluster("standby", standby_dir, primary_dir, standby_url, sizeof standby_url);
    setenv("PRAKERJA_TEST_PG", primary_url, 1);
}

/* The harness names its first database t_<pid>_1; the standby has it under the
 * same name, as user (the URL's user is postgres). */
static void standby_addr(const char *user, char *out, size_t n)
{
    const char *at = strchr(standby_url, '@');

    snprintf(out, n, "postgresql://%s%s/t_%ld_1", user, at, (long)getpid());
}

/* Connects to the harness's database on the primary and to the standby's
 * maintenance database (replay position and pause are the whole server's). The
 * writer commits with synchronous_commit local: flushed here (so
 * pg_current_wal_lsn() is past the commit) and never waiting for the standby,
 * even while its replay is paused. */
static void connect_both(void)
{
    char addr[600];

    P = open_addr(H.db);
    sql(P, "SET synchronous_commit = local");
    snprintf(addr, sizeof addr, "%s/postgres", standby_url);
    S = open_addr(addr);
}

static void teardown(void)
{
    harness_stop(&H);
    db_close(P);
    db_close(S);
    P = S = NULL;
    if (standby_dir[0])
        cluster("stop", standby_dir, NULL, NULL, 0);
    if (primary_dir[0])
        cluster("stop", primary_dir, NULL, NULL, 0);
    standby_dir[0] = primary_dir[0] = '\0';
}

TestSuite(replica, .fini = teardown, .timeout = 240);
TestSuite(pg_addr, .fini = teardown, .timeout = 120);

/* Waits until the standby has the primary's WAL up to where it is now: replayed
 * (sql is pg_last_wal_replay_lsn() >= $1) or only received (pg_last_wal_receive_lsn). */
static void wait_standby(const char *sql_text)
{
    char lsn[64];
    double start = test_now();
    int64_t done = 0;

    cr_assert_eq(db_one_text(P, "SELECT pg_current_wal_lsn()::text", NULL, 0, lsn, sizeof lsn),
                 DB_OK, "%s", db_errmsg(P));
    for (;;) {
        db_val v[1] = {DB_TEXT(lsn)};
        cr_assert_eq(db_one_int(S, sql_text, v, 1, &done), DB_OK, "%s", db_errmsg(S));
        if (done)
            return;
        cr_assert_lt(test_now() - start, CATCH_UP_LIMIT_S, "the standby did not reach %s: %s", lsn,
                     sql_text);
        usleep(10 * 1000);
    }
}

static void wait_caught_up(void)
{
    wait_standby("SELECT COALESCE(pg_last_wal_replay_lsn() >= $1::pg_lsn, false)");
}

static void wait_received(void)
{
    wait_standby("SELECT COALESCE(pg_last_wal_receive_lsn() >= $1::pg_lsn, false)");
}

/* GET path: the status; the problem code of an error reply into code; the
 * "total" of a list or the "name" of a region into info (may be NULL). */
static long get(const char *path, char code[64], char info[64])
{
    struct harness_reply r;
    json_t *j;
    long st;

    code[0] = '\0';
    if (info)
        info[0] = '\0';
    cr_assert_eq(harness_request(&H, "GET", path, NULL, NULL, 0, NULL, &r), 0, "GET %s", path);
    st = r.status;
    j = json_loadb(r.body, r.body_len, 0, NULL);
    if (st >= 400) {
        const char *c = j ? json_string_value(json_object_get(j, "code")) : NULL;
        snprintf(code, 64, "%s", c ? c : "(no code)");
    } else if (info && j) {
        json_t *v = json_object_get(j, "total");
        if (v)
            snprintf(info, 64, "%lld", (long long)json_integer_value(v));
        else if (json_is_string(json_object_get(j, "name")))
            snprintf(info, 64, "%s", json_string_value(json_object_get(j, "name")));
    }
    json_decref(j);
    harness_reply_free(&r);
    return st;
}

/* Polls until 12 requests in a row answer 200 (every worker can read), within
 * limit seconds; on the way only 503 store.unavailable is allowed. Returns the
 * number of 503s seen. */
static int until_served(const char *path, double limit)
{
    double start = test_now();
    int ok = 0, unavailable = 0;
    char code[64];

    while (ok < 12) {
        long st = get(path, code, NULL);
        if (st == 200) {
            ok++;
            continue;
        }
        ok = 0;
        cr_assert_eq(st, 503, "%s answered %ld %s", path, st, code);
        cr_assert_str_eq(code, "store.unavailable");
        unavailable++;
        cr_assert_lt(test_now() - start, limit, "%s not served within %.0f s", path, limit);
        usleep(50 * 1000);
    }
    return unavailable;
}

static void insert_province(const char *code, const char *name)
{
    db_val v[3] = {DB_TEXT(code), DB_TEXT(name), DB_INT(atoi(code))};

    cr_assert_eq(db_run(P, "INSERT INTO regions (code, level, parent_code, name, digits) "
                           "VALUES ($1, 1, NULL, $2, $3)", v, 3, NULL), DB_OK, "%s",
                 db_errmsg(P));
}

Test(replica, region_reads_are_answered_by_the_standby)
{
    char addr[600], code[64], info[64], want[64];
    const char *args[] = {"--db-read", addr, "--threads", "2", NULL};
    int64_t n = 0;

    pair_start();
    standby_addr("postgres", addr, sizeof addr);
    cr_assert_eq(harness_start(&H, args), 0, "server did not start");
    snprintf(want, sizeof want, "t_%ld_1", (long)getpid());
    cr_assert_str_eq(H.pgname, want, "the harness names its database as expected");
    connect_both();
    wait_caught_up();
    /* serve may have started before the standby had the database: it heals */
    until_served("/api/v1/regions/35.09", CATCH_UP_LIMIT_S);
    cr_assert_eq(get("/api/v1/regions?level=province", code, info), 200);
    cr_assert_str_eq(info, "38");

    /* a region written on the primary is served once the standby has it */
    insert_province("99", "PROVINSI UJI SATU");
    wait_caught_up();
    cr_assert_eq(get("/api/v1/regions/99", code, info), 200, "%s", code);
    cr_assert_str_eq(info, "PROVINSI UJI SATU");

    /* with replay paused, the next one exists on the primary but not for the API */
    sql(S, "SELECT pg_wal_replay_pause()");
    insert_province("98", "PROVINSI UJI DUA");
    cr_assert_eq(harness_sql_int(&H, "SELECT COUNT(*) FROM regions WHERE level = 1", NULL, 0, &n),
                 0);
    cr_assert_eq(n, 40, "the primary has both");
    wait_received();                     /* the standby has the row's WAL, unreplayed */
    for (int i = 0; i < 12; i++) {
        cr_assert_eq(get("/api/v1/regions/98", code, NULL), 404, "request %d", i);
        cr_assert_str_eq(code, "region.not_found");
    }
    cr_assert_eq(get("/api/v1/regions?level=province", code, info), 200);
    cr_assert_str_eq(info, "39", "the list is the standby's too");
    cr_assert_eq(get("/readyz", code, NULL), 200, "the primary connection is fine");

    sql(S, "SELECT pg_wal_replay_resume()");
    wait_caught_up();
    for (int i = 0; i < 12; i++) {
        cr_assert_eq(get("/api/v1/regions/98", code, info), 200, "request %d: %s", i, code);
        cr_assert_str_eq(info, "PROVINSI UJI DUA");
    }
    cr_assert_eq(get("/api/v1/regions?level=province", code, info), 200);
    cr_assert_str_eq(info, "40");
    cr_assert_eq(harness_stop(&H), 0, "the server exits cleanly: status %d", H.exit_status);
}

/* Lines of the server log that contain s. */
static int log_count(const char *s)
{
    FILE *f = fopen(H.log, "r");
    char line[8192];
    int n = 0;

    cr_assert_not_null(f, "%s", H.log);
    while (fgets(line, sizeof line, f))
        n += strstr(line, s) != NULL;
    fclose(f);
    return n;
}

Test(replica, a_read_connection_that_fails_at_start_is_retried_by_every_worker)
{
    char addr[600], code[64], info[64];
    const char *args[] = {"--db-read", addr, "--threads", "2", NULL};
    db *admin;
    int unavailable;

    pair_start();
    /* a role that may not connect yet: every read connection is refused */
    snprintf(addr, sizeof addr, "%s/postgres", primary_url);
    admin = open_addr(addr);
    sql(admin, "CREATE ROLE reader LOGIN CONNECTION LIMIT 0");
    standby_addr("reader", addr, sizeof addr);
    cr_assert_eq(harness_start(&H, args), 0, "serve starts even so");
    connect_both();
    sql(P, "GRANT SELECT ON ALL TABLES IN SCHEMA public TO reader");
    wait_caught_up();

    for (int i = 0; i < 8; i++) {
        cr_assert_eq(get("/api/v1/regions/35.09", code, NULL), 503, "request %d", i);
        cr_assert_str_eq(code, "store.unavailable");
    }
    cr_assert_eq(get("/api/v1/regions?level=province", code, NULL), 503);
    cr_assert_eq(get("/readyz", code, NULL), 200, "the primary connection is fine");
    usleep(1500 * 1000);                 /* a retry or two later */
    cr_assert_eq(get("/api/v1/regions/35.09", code, NULL), 503);
    /* one line per worker, not one per retry */
    cr_assert_geq(log_count("\"http.worker_db_open\""), 1);
    cr_assert_leq(log_count("\"http.worker_db_open\""), 2);
    cr_assert_geq(log_count("too many connections"), 1, "the log says why");

    sql(admin, "ALTER ROLE reader CONNECTION LIMIT -1");
    db_close(admin);
    wait_caught_up();
    unavailable = until_served("/api/v1/regions/35.09", 10);
    cr_assert_eq(get("/api/v1/regions?level=province", code, info), 200);
    cr_assert_str_eq(info, "38");
    cr_log_info("%d requests answered 503 while the workers retried", unavailable);
    cr_assert_eq(harness_stop(&H), 0, "the server exits cleanly: status %d", H.exit_status);
}

/* ---- a worker without its primary connection (both engines) ---- */

static char later_db[64];

static void drop_later(void)
{
    char addr[600], sql_text[128];
    db *a;

    teardown();
    if (!later_db[0])
        return;
    snprintf(addr, sizeof addr, "%s/postgres", getenv("PRAKERJA_TEST_PG"));
    a = open_addr(addr);
    snprintf(sql_text, sizeof sql_text, "DROP DATABASE IF EXISTS %s WITH (FORCE)", later_db);
    db_exec(a, sql_text);
    db_close(a);
    later_db[0] = '\0';
}

TestSuite(worker_db, .fini = drop_later, .timeout = 120);

/* `prakerja serve` will not start without its database, so this runs the HTTP
 * layer's own test server (tests/api/http_test_server.c, beside the binary in the
 * build), which opens nothing before its workers do: given a database that does
 * not exist yet, every worker fails to open it and answers 503 store.unavailable
 * (even on a route that needs no database; /metrics still answers), and once the
 * database is there the workers open it by themselves. */
Test(worker_db, a_worker_that_cannot_open_its_database_answers_503_and_retries)
{
    const char *bin = getenv("PRAKERJA_BIN"), *pg = getenv("PRAKERJA_TEST_PG");
    char server[1024], addr[600], folder[64], code[64], sql_text[128];
    const char *args[] = {"--db", addr, "--workers", "2", NULL};
    int unavailable;

    cr_assert_not_null(bin);
    snprintf(server, sizeof server, "%.*s/tests/api/http_test_server",
             (int)(strrchr(bin, '/') - bin), bin);
    cr_assert_eq(access(server, X_OK), 0, "%s", server);
    setenv("PRAKERJA_BIN", server, 1);
    if (pg && *pg) {
        snprintf(later_db, sizeof later_db, "t_later_%ld", (long)getpid());
        snprintf(addr, sizeof addr, "%s/%s", pg, later_db);
    } else {
        snprintf(folder, sizeof folder, "/tmp/pk-later-XXXXXX");
        cr_assert_not_null(mkdtemp(folder));
        snprintf(addr, sizeof addr, "%s/not-yet/test.db", folder);
    }
    cr_assert_eq(harness_start(&H, args), 0, "server did not start");
    for (int i = 0; i < 6; i++) {
        cr_assert_eq(get("/readyz", code, NULL), 503, "request %d", i);
        cr_assert_str_eq(code, "store.unavailable");
        cr_assert_eq(get("/items/7", code, NULL), 503, "request %d", i);
        cr_assert_str_eq(code, "store.unavailable");
    }
    cr_assert_eq(get("/metrics", code, NULL), 200);
    usleep(1500 * 1000);                 /* a retry or two later */
    cr_assert_eq(get("/items/7", code, NULL), 503);
    cr_assert_geq(log_count("\"http.worker_db_open\""), 1);
    cr_assert_leq(log_count("\"http.worker_db_open\""), 2, "one line per worker");

    if (later_db[0]) {
        db *a;
        snprintf(addr, sizeof addr, "%s/postgres", pg);
        a = open_addr(addr);
        snprintf(sql_text, sizeof sql_text, "CREATE DATABASE %s", later_db);
        sql(a, sql_text);
        db_close(a);
    } else {
        snprintf(addr, sizeof addr, "%s/not-yet", folder);
        cr_assert_eq(mkdir(addr, 0700), 0);
    }
    unavailable = until_served("/readyz", 10);
    until_served("/items/7", 1);
    cr_log_info("%d requests answered 503 until the workers opened it", unavailable);
    cr_assert_eq(harness_stop(&H), 0, "the server exits cleanly: status %d", H.exit_status);
    if (!later_db[0]) {
        char cmd[128], out[16];
        snprintf(cmd, sizeof cmd, "rm -rf %s", folder);
        test_run(cmd, out, sizeof out);
    }
}

/* ---- what the commands print about postgres:// addresses (both engines) ---- */

static char scratch[64];

static void scratch_dir(void)
{
    snprintf(scratch, sizeof scratch, "/tmp/pk-addr-XXXXXX");
    cr_assert_not_null(mkdtemp(scratch));
    unsetenv("PRAKERJA_KEY");
    unsetenv("PRAKERJA_DB_READ");
}

static void scratch_done(void)
{
    char cmd[128], out[16];

    snprintf(cmd, sizeof cmd, "rm -rf %s", scratch);
    test_run(cmd, out, sizeof out);
}

Test(pg_addr, a_postgres_database_needs_its_key_named)
{
    static const char *const cmds[] = {"serve --port 0", "db init"};
    const char *bin = getenv("PRAKERJA_BIN");
    char cmd[1024], out[4096];

    cr_assert_not_null(bin);
    scratch_dir();
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
        snprintf(cmd, sizeof cmd, "cd %s && timeout 30 %s %s --db '%s' 2>&1", scratch, bin,
                 cmds[i], BAD_URL);
        cr_assert_eq(test_run(cmd, out, sizeof out), 2, "`%s` is a usage error: %s", cmds[i], out);
        cr_assert_neq(strstr(out, "--key FILE or PRAKERJA_KEY"), NULL, "`%s` says what to "
                      "give: %s", cmds[i], out);
        cr_assert_null(strstr(out, "s3cr3t"), "%s", out);
    }
    /* with PRAKERJA_KEY the key is found and the next problem is the server */
    snprintf(cmd, sizeof cmd, "cd %s && PRAKERJA_KEY=%s/k.key timeout 30 %s db init --db '%s' "
             "2>&1", scratch, scratch, bin, BAD_URL);
    cr_assert_eq(test_run(cmd, out, sizeof out), 1, "%s", out);
    cr_assert_neq(strstr(out, "cannot connect"), NULL, "%s", out);
    cr_assert_neq(strstr(out, "postgresql://bob:***@127.0.0.1:1/prakerja"), NULL,
                  "the address is shown without its password: %s", out);
    cr_assert_null(strstr(out, "s3cr3t"), "%s", out);
    scratch_done();
}

Test(pg_addr, sqlite_keeps_its_key_beside_the_database_unless_prakerja_key_says)
{
    const char *bin = getenv("PRAKERJA_BIN");
    char cmd[1024], out[4096], p[128];

    scratch_dir();
    snprintf(cmd, sizeof cmd, "%s db init --db %s/a.db 2>&1", bin, scratch);
    cr_assert_eq(test_run(cmd, out, sizeof out), 0, "%s", out);
    snprintf(p, sizeof p, "%s/a.db.key", scratch);
    cr_assert_eq(access(p, F_OK), 0, "the default key file %s", p);
    snprintf(cmd, sizeof cmd, "PRAKERJA_KEY=%s/elsewhere.key %s db init --db %s/b.db 2>&1",
             scratch, bin, scratch);
    cr_assert_eq(test_run(cmd, out, sizeof out), 0, "%s", out);
    snprintf(p, sizeof p, "%s/elsewhere.key", scratch);
    cr_assert_eq(access(p, F_OK), 0, "PRAKERJA_KEY names the key file");
    snprintf(p, sizeof p, "%s/b.db.key", scratch);
    cr_assert_neq(access(p, F_OK), 0, "and none is made beside the database");
    scratch_done();
}

Test(pg_addr, no_message_shows_a_password)
{
    const char *bin = getenv("PRAKERJA_BIN");
    const char *args[] = {"--db-read", BAD_URL, NULL};
    char cmd[1024], out[4096], code[64];

    scratch_dir();
    snprintf(cmd, sizeof cmd, "%s db migrate --db '%s' 2>&1", bin,
             "postgresql://bob@127.0.0.1:1/prakerja?password=s3cr3t");
    cr_assert_eq(test_run(cmd, out, sizeof out), 1, "%s", out);
    cr_assert_neq(strstr(out, "?password=***"), NULL, "%s", out);
    cr_assert_null(strstr(out, "s3cr3t"), "%s", out);
    snprintf(cmd, sizeof cmd, "%s db migrate --db '%s' 2>&1", bin,
             "postgresql://bob:s3cr3t@[::1/prakerja");
    cr_assert_eq(test_run(cmd, out, sizeof out), 1, "%s", out);
    cr_assert_null(strstr(out, "s3cr3t"), "libpq quotes a URL it cannot parse: %s", out);

    /* serve with a read database that is down: it starts, says so, and region
     * reads are 503 until it can be reached */
    cr_assert_eq(harness_start(&H, args), 0, "server did not start");
    cr_assert_eq(get("/api/v1/regions/35.09", code, NULL), 503);
    cr_assert_str_eq(code, "store.unavailable");
    cr_assert_eq(get("/readyz", code, NULL), 200);
    cr_assert_geq(log_count("bob:***@127.0.0.1:1/prakerja"), 1, "the log names the address");
    cr_assert_eq(log_count("s3cr3t"), 0, "never with its password");
    cr_assert_eq(harness_stop(&H), 0);
    scratch_done();
}
