/*
 * db_driver: the seam between db.c (engine-neutral: dispatch, transactions with
 * retry, migrations, db_one_*, argument checks) and one engine driver (sqlite.c,
 * pg.c).
 *
 * A driver allocates its own connection and rows structs whose first member is
 * the common `struct db` / `struct db_rows` below, so db.c can reach the vtable
 * from any handle. Drivers set d->errmsg on every failure and map their native
 * codes onto DB_E*. Only src/store/ includes this header.
 */
#ifndef PK_DB_DRIVER_H
#define PK_DB_DRIVER_H
#include "store/db.h"

#define DB_ERRMSG_MAX 512

struct db_driver;

struct db {
    const struct db_driver *drv;
    int txn_depth;                 /* db_txn nesting; only the outermost begins */
    int copy_open;                 /* a db_copy is between begin and end */
    char errmsg[DB_ERRMSG_MAX];
};

struct db_rows {
    db *d;
};

struct db_copy {
    db *d;
    int ncols;
    int failed;                    /* a row failed: end discards the copy */
};

struct db_driver {
    enum db_engine engine;
    const char *id_type;           /* what @ID@ becomes in migrations */
    const char *table_exists_sql;  /* $1 = table name; one row, one count column */
    int (*open)(const char *addr, db **out, char *err, size_t errlen);
    void (*close)(db *d);
    int (*exec)(db *d, const char *sql);
    int (*query)(db *d, const char *sql, const db_val *params, int nparams, db_rows **out);
    int (*step)(db_rows *r);
    int (*isnull)(db_rows *r, int col);
    int64_t (*get_int)(db_rows *r, int col);
    const char *(*get_text)(db_rows *r, int col);
    size_t (*get_len)(db_rows *r, int col);
    void (*rows_free)(db_rows *r);
    int (*run)(db *d, const char *sql, const db_val *params, int nparams, int64_t *changes);
    int (*begin)(db *d, int read_only); /* a write, or a read-only snapshot */
    int (*commit)(db *d);
    int (*rollback)(db *d);        /* must be safe when no transaction is open */
    /* table and cols were checked by db.c; collist is "a, b, c". */
    int (*copy_begin)(db *d, const char *table, const char *collist, int ncols,
                      db_copy **out);
    int (*copy_row)(db_copy *c, const db_val *vals);
    /* commit 0 or c->failed: discard; frees c. */
    int (*copy_end)(db_copy *c, int commit, int64_t *rows_out);
};

extern const struct db_driver db_sqlite_driver;
extern const struct db_driver db_pg_driver;

/* Sets d->errmsg printf-style; returns status so callers can `return db_fail(...)`. */
int db_fail(db *d, int status, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* One embedded migration, generated at build time from migrations/NNNN_name.sql. */
struct db_migration {
    int version;
    const char *name;
    const char *sql;
};
extern const struct db_migration db_migrations[];
extern const int db_migrations_count;

/* db_migrate over an explicit list (sorted by version); for tests. */
int db_migrate_list(db *d, const struct db_migration *list, int n, int up_to_version,
                    int *applied_out);

#endif
