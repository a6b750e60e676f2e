/*
 * tmpdb: a scratch folder under /tmp for one store test, removed with everything
 * in it when the test ends (Criterion runs each test in its own process), and the
 * test's databases on the engine under test.
 *
 * The engine comes from the environment: PRAKERJA_TEST_PG unset or empty means
 * SQLite, and a database is a file in the scratch folder; PRAKERJA_TEST_PG set to
 * a PostgreSQL base URL (scripts/pg-cluster prints one) means every name is a fresh
 * database "t_<pid>_<name>" on that server, made on first use and dropped at the
 * end of the test. Tests ask for tmpdb_addr(name) where they need an address and
 * tmpdb_path(name) where they need a file (key files, CSV files); tmpdb_migrated
 * opens a database with the schema in place and tmpdb_keys makes a PII key file.
 */
#ifndef PK_TEST_TMPDB_H
#define PK_TEST_TMPDB_H
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "store/db.h"
#include "store/pii.h"

#define TMPDB_MAX_DBS 8

static char tmpdb_dir[64];
static char tmpdb_dbs[TMPDB_MAX_DBS][64];    /* PostgreSQL databases made by this test */
static int tmpdb_ndbs;

/* The PostgreSQL base URL under test, or NULL for SQLite. */
__attribute__((unused)) static const char *tmpdb_pg(void)
{
    const char *b = getenv("PRAKERJA_TEST_PG");
    return b && *b ? b : NULL;
}

__attribute__((unused)) static enum db_engine tmpdb_engine(void)
{
    return tmpdb_pg() ? DB_PG : DB_SQLITE;
}

/* A connection to the server's maintenance database "postgres". */
__attribute__((unused)) static db *tmpdb_admin(void)
{
    char addr[512], err[256] = "";
    db *d = NULL;

    snprintf(addr, sizeof addr, "%s/postgres", tmpdb_pg());
    cr_assert_eq(db_open(addr, &d, err, sizeof err), DB_OK, "db_open %s: %s", addr, err);
    return d;
}

__attribute__((unused)) static void tmpdb_setup(void)
{
    strcpy(tmpdb_dir, "/tmp/pkstore-XXXXXX");
    cr_assert_not_null(mkdtemp(tmpdb_dir));
    tmpdb_ndbs = 0;
}

__attribute__((unused)) static void tmpdb_teardown(void)
{
    DIR *dir = opendir(tmpdb_dir);
    struct dirent *e;
    char p[512];
    int i;

    if (tmpdb_pg() && tmpdb_ndbs > 0) {
        char err[256], sql[128];
        db *a = NULL;
        snprintf(p, sizeof p, "%s/postgres", tmpdb_pg());
        if (db_open(p, &a, err, sizeof err) == DB_OK) {
            for (i = 0; i < tmpdb_ndbs; i++) {
                snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %.63s WITH (FORCE)",
                         tmpdb_dbs[i]);
                db_exec(a, sql);
            }
            db_close(a);
        }
        tmpdb_ndbs = 0;
    }
    if (!dir)
        return;
    while ((e = readdir(dir)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(p, sizeof p, "%s/%s", tmpdb_dir, e->d_name);
        unlink(p);
    }
    closedir(dir);
    rmdir(tmpdb_dir);
}

/* Path of a file in the scratch folder; returns a static buffer per call slot. */
__attribute__((unused)) static const char *tmpdb_path(const char *name)
{
    static char bufs[4][512];
    static int slot;
    char *b = bufs[slot++ % 4];

    snprintf(b, 512, "%s/%s", tmpdb_dir, name);
    return b;
}

/* Address of the test database called name (created empty on first use on
 * PostgreSQL); a static buffer per call slot. */
__attribute__((unused)) static const char *tmpdb_addr(const char *name)
{
    static char bufs[4][640];
    static int slot;
    char dbname[64], sql[160], *b;
    size_t n;
    int i;

    if (!tmpdb_pg())
        return tmpdb_path(name);
    n = (size_t)snprintf(dbname, sizeof dbname, "t_%ld_", (long)getpid());
    for (; *name && n < 40; name++)
        dbname[n++] = (*name >= 'a' && *name <= 'z') || (*name >= '0' && *name <= '9')
                          ? *name : '_';
    dbname[n] = '\0';
    for (i = 0; i < tmpdb_ndbs && strcmp(tmpdb_dbs[i], dbname) != 0; i++)
        ;
    if (i == tmpdb_ndbs) {
        db *a = tmpdb_admin();
        cr_assert_lt(tmpdb_ndbs, TMPDB_MAX_DBS);
        snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", dbname);
        cr_assert_eq(db_exec(a, sql), DB_OK, "%s", db_errmsg(a));
        snprintf(sql, sizeof sql, "CREATE DATABASE %s TEMPLATE template0", dbname);
        cr_assert_eq(db_exec(a, sql), DB_OK, "%s", db_errmsg(a));
        db_close(a);
        snprintf(tmpdb_dbs[tmpdb_ndbs++], sizeof tmpdb_dbs[0], "%s", dbname);
    }
    b = bufs[slot++ % 4];
    snprintf(b, 640, "%s/%s", tmpdb_pg(), dbname);
    return b;
}

__attribute__((unused)) static db *tmpdb_open(const char *name)
{
    char err[256] = "";
    const char *addr = tmpdb_addr(name);
    db *d = NULL;
    int rc = db_open(addr, &d, err, sizeof err);

    cr_assert_eq(rc, DB_OK, "db_open: %s", err);
    return d;
}

/* tmpdb_open(name) with every migration applied. */
__attribute__((unused)) static db *tmpdb_migrated(const char *name)
{
    db *d = tmpdb_open(name);

    cr_assert_eq(db_migrate(d, 0, NULL), DB_OK, "%s", db_errmsg(d));
    return d;
}

/* A new PII key file, pii.key in the scratch folder, loaded into keys. */
__attribute__((unused)) static void tmpdb_keys(struct pii_keys *keys)
{
    char err[256] = "";

    cr_assert_eq(pii_key_create(tmpdb_path("pii.key")), 0);
    cr_assert_eq(pii_key_load(tmpdb_path("pii.key"), keys, err, sizeof err), 0, "%s", err);
}

#endif
