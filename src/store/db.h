/*
 * db: the one query API of prakerja, over SQLite (sqlite.c) and PostgreSQL (pg.c).
 *
 * A `db` is one connection and is used by one thread at a time; the server opens
 * one per worker thread. SQL is written once for both engines: `$1..$n`
 * placeholders, INSERT ... RETURNING, ON CONFLICT, integers for booleans and
 * timestamps (Unix seconds UTC), TEXT for everything else (binary values such as
 * ciphertexts are stored as hex or base64 text so the DDL stays portable).
 *
 * Statements are prepared once per connection and cached by their SQL text, so
 * callers pass string literals and never build SQL from input.
 *
 * Every unit of work that writes goes through db_txn(), which begins a write
 * transaction, calls fn, commits when fn returns 0 and rolls back otherwise;
 * when the engine reports a conflict (SQLITE_BUSY/LOCKED, SQLSTATE 40001/40P01)
 * it rolls back and calls fn again, a bounded number of times with backoff.
 * fn must therefore have no effects outside the database. On PostgreSQL the
 * transaction is SERIALIZABLE, so fn sees the same single-writer world it sees on
 * SQLite (see pg.c for why).
 *
 * A statement that fails inside db_txn fails alone on both engines: the
 * transaction goes on and fn decides (PostgreSQL wraps each writing statement of a
 * transaction in a savepoint). Text parameters must be valid UTF-8 without NUL
 * bytes on both engines (PostgreSQL cannot store anything else); others are refused
 * with DB_ERR before they reach the engine.
 *
 * Bulk loads use db_copy_*: COPY ... FROM STDIN on PostgreSQL, one prepared INSERT
 * on SQLite.
 *
 * Status codes: DB_OK (0) or a negative DB_E*; db_errmsg() describes the last one.
 */
#ifndef PK_DB_H
#define PK_DB_H
#include <stddef.h>
#include <stdint.h>

enum {
    DB_OK = 0,
    DB_ROW = 1,             /* db_step: a row is ready */
    DB_DONE = 2,            /* db_step: no more rows */
    DB_ERR = -1,            /* anything else; see db_errmsg */
    DB_EBUSY = -2,          /* conflict; db_txn retries it */
    DB_ECONSTRAINT = -3,    /* unique / foreign key / check violated */
    DB_ENOTFOUND = -4,      /* db_one_*: no row */
    DB_EUNAVAILABLE = -5,   /* connection lost or server down */
};

enum db_engine { DB_SQLITE = 1, DB_PG = 2 };

enum db_type { DB_T_NULL = 0, DB_T_INT, DB_T_TEXT };

typedef struct {
    enum db_type type;
    int64_t i;
    const char *s;
    size_t n;       /* length of s; (size_t)-1 = NUL-terminated */
} db_val;

#define DB_INT(x)  ((db_val){.type = DB_T_INT, .i = (int64_t)(x)})
#define DB_TEXT(x) db_text_val(x)
#define DB_TEXTN(x, len) ((db_val){.type = DB_T_TEXT, .s = (x), .n = (len)})
#define DB_NULL    ((db_val){.type = DB_T_NULL})

/* A NUL-terminated text parameter; NULL binds SQL NULL. */
static inline db_val db_text_val(const char *s)
{
    return (db_val){.type = s ? DB_T_TEXT : DB_T_NULL, .s = s, .n = (size_t)-1};
}

typedef struct db db;
typedef struct db_rows db_rows;

/* Opens a database by address: a file path (SQLite; created if missing) or a
 * postgres:// URL. On failure returns a DB_E* and writes a message to err. */
int db_open(const char *addr, db **out, char *err, size_t errlen);
void db_close(db *d);                         /* NULL is fine */
/* The address for messages and logs: addr copied into out (cut to outlen-1,
 * NUL-terminated) with the password of a postgres:// URL, in its user info
 * (read as libpq reads it) or as a password= parameter, replaced by "***":
 * postgres://user:***@host/db. Other addresses are copied unchanged. Returns out.
 * db_open's own error messages never contain the password. */
const char *db_addr_redact(const char *addr, char *out, size_t outlen);
enum db_engine db_engine(const db *d);
const char *db_errmsg(const db *d);

/* Runs SQL text of one or more statements with no parameters (DDL, PRAGMA). */
int db_exec(db *d, const char *sql);

/* Runs one statement. Rows are read with db_step and the accessors below, then
 * released with db_rows_free (required even after an error from db_step). Column
 * values stay valid until the next db_step or db_rows_free. */
int db_query(db *d, const char *sql, const db_val *params, int nparams, db_rows **out);
int db_step(db_rows *r);                      /* DB_ROW, DB_DONE or DB_E* */
int db_isnull(db_rows *r, int col);
int64_t db_int(db_rows *r, int col);
const char *db_text(db_rows *r, int col);     /* "" for NULL */
size_t db_len(db_rows *r, int col);
void db_rows_free(db_rows *r);

/* Runs one statement that returns no rows (or whose rows are ignored);
 * *changes (may be NULL) receives the number of rows changed. */
int db_run(db *d, const char *sql, const db_val *params, int nparams, int64_t *changes);

/* First column of the first row: DB_ENOTFOUND when there is none.
 * db_one_text copies into out (cut to outlen-1, NUL-terminated). */
int db_one_int(db *d, const char *sql, const db_val *params, int nparams, int64_t *out);
int db_one_text(db *d, const char *sql, const db_val *params, int nparams,
                char *out, size_t outlen);

typedef int (*db_txn_fn)(db *d, void *ctx);
/* Returns fn's own non-zero status unchanged (after rolling back), DB_OK after a
 * commit, or a DB_E* when the engine failed or conflicts outlasted the retries. */
int db_txn(db *d, db_txn_fn fn, void *ctx);
/* Runs fn in one read-only transaction: every query in it sees the same snapshot,
 * and SQLite takes its file locks once instead of once per statement. Same
 * retries and statuses as db_txn; fn must not write. */
int db_read(db *d, db_txn_fn fn, void *ctx);

/* Bulk load: rows into table(cols) as fast as the engine allows (PostgreSQL: COPY
 * FROM STDIN in text format; SQLite: one cached INSERT per row). Inside db_txn the
 * rows belong to the transaction; db_copy_end(c, 0) (or a failed row or end)
 * discards this copy's rows and the transaction goes on; outside db_txn the copy
 * is its own transaction. table and cols are identifiers [a-z_][a-z0-9_]* written
 * by the caller, never input. vals has ncols entries. No other call may use the
 * connection between begin and end. db_copy_end frees c whatever it returns and
 * reports a failure of any row (constraints are checked by then at the latest). */
typedef struct db_copy db_copy;
int db_copy_begin(db *d, const char *table, const char *const *cols, int ncols,
                  db_copy **out);
int db_copy_row(db_copy *c, const db_val *vals);
int db_copy_end(db_copy *c, int commit, int64_t *rows_out);

/* Schema. Migrations live in src/store/migrations/NNNN_name.sql and are applied
 * in order, each in its own transaction, and recorded in schema_migrations.
 * db_migrate(d, 0) applies all; db_migrate(d, v) stops after version v. */
int db_migrate(db *d, int up_to_version, int *applied_out);
int db_schema_version(db *d, int *version_out);
int db_latest_version(void);

#endif
