/*
 * db: the engine-neutral half of the query API (src/store/db.h).
 *
 * db_open picks a driver from the address: "postgres://" or "postgresql://" is
 * PostgreSQL, anything else is a SQLite file path. A URL may hold a password, so
 * db_addr_redact gives the form to print, and db_open masks the password in its
 * own error messages (libpq quotes a URL it cannot parse). Every other call dispatches
 * through the driver's vtable (db_driver.h), except what is the same on every
 * engine and so lives here: db_one_*, db_txn with its retry loop, the migration
 * runner, and the checks both drivers rely on (parameter lists, text that is valid
 * UTF-8 without NUL bytes, copy identifiers, no call while a copy is open).
 *
 * db_txn keeps a nesting depth on the connection: only the outermost call begins
 * and commits; an inner call runs fn inside the outer transaction. On DB_EBUSY
 * from begin, fn or commit the transaction is rolled back and run again, up to
 * DB_TXN_RETRIES times, sleeping a jittered, growing delay between attempts.
 *
 * Migrations are applied in version order, each in its own db_txn together with
 * its schema_migrations row, after replacing the per-engine tokens (@ID@) and
 * keeping only this engine's sections (lines from "-- @sqlite" or "-- @pg" up to
 * "-- @end"); so a failing migration leaves the database at the previous version.
 * On SQLite, foreign key enforcement is off while migrations run and
 * PRAGMA foreign_key_check must find nothing before each one commits: SQLite's
 * own procedure for a schema change ALTER TABLE cannot make (build the new table,
 * copy, drop the old one, rename), which would otherwise fail at the DROP as soon
 * as another table references the old one.
 */
#include "store/db_driver.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define DB_TXN_RETRIES 10
#define DB_BACKOFF_BASE_US 2000L
#define DB_BACKOFF_CAP_US 200000L

int db_fail(db *d, int status, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(d->errmsg, sizeof d->errmsg, fmt, ap);
    va_end(ap);
    return status;
}

static int starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

static int is_pg_url(const char *addr)
{
    return starts_with(addr, "postgres://") || starts_with(addr, "postgresql://");
}

/* Appends n bytes of s to out[*len], as far as outlen allows (always NUL-terminated). */
static void put(char *out, size_t outlen, size_t *len, const char *s, size_t n)
{
    if (*len + 1 >= outlen)
        return;
    if (n > outlen - 1 - *len)
        n = outlen - 1 - *len;
    memcpy(out + *len, s, n);
    *len += n;
    out[*len] = '\0';
}

/* Splits a postgres:// URL into consecutive spans and calls fn(text, n, secret,
 * ctx) for each, in order, so that the spans put together give the URL back.
 * Secret spans are its passwords: the one in the user info, found the way libpq
 * finds it (the authority runs to the first '@' or '/'; a ':' before the '@'
 * starts the password), and the value of a password= parameter. */
typedef void (*span_fn)(const char *text, size_t n, int secret, void *ctx);

static void url_parts(const char *addr, span_fn fn, void *ctx)
{
    const char *p = strstr(addr, "://") + 3, *e, *colon, *q;

    for (e = p; *e && *e != '@' && *e != '/'; e++)
        ;
    if (*e == '@') {
        colon = memchr(p, ':', (size_t)(e - p));
        if (colon) {
            fn(addr, (size_t)(colon + 1 - addr), 0, ctx);
            fn(colon + 1, (size_t)(e - colon - 1), 1, ctx);
            addr = e;
        }
        p = e;
    }
    q = strchr(p, '?');
    if (!q) {
        fn(addr, strlen(addr), 0, ctx);
        return;
    }
    fn(addr, (size_t)(q + 1 - addr), 0, ctx);
    for (p = q + 1; *p;) {
        size_t n = strcspn(p, "&");
        const char *eq = memchr(p, '=', n);

        if (eq && eq - p == 8 && strncmp(p, "password", 8) == 0) {
            fn(p, 9, 0, ctx);
            fn(eq + 1, n - 9, 1, ctx);
        } else {
            fn(p, n, 0, ctx);
        }
        p += n;
        if (*p == '&') {
            fn(p, 1, 0, ctx);
            p++;
        }
    }
}

struct redact_ctx {
    char *out;
    size_t outlen, len;
};

static void redact_part(const char *text, size_t n, int secret, void *vctx)
{
    struct redact_ctx *c = vctx;

    if (secret && n > 0)
        put(c->out, c->outlen, &c->len, "***", 3);
    else
        put(c->out, c->outlen, &c->len, text, n);
}

const char *db_addr_redact(const char *addr, char *out, size_t outlen)
{
    struct redact_ctx c = {out, outlen, 0};

    if (outlen == 0)
        return out;
    out[0] = '\0';
    if (!addr)
        return out;
    if (!is_pg_url(addr))
        put(out, outlen, &c.len, addr, strlen(addr));
    else
        url_parts(addr, redact_part, &c);
    return out;
}

struct scrub_ctx {
    char *err;
    size_t errlen;
};

/* Replaces every occurrence of a secret span in the error message by "***". */
static void scrub_part(const char *text, size_t n, int secret, void *vctx)
{
    struct scrub_ctx *c = vctx;
    char copy[1024];
    const char *s, *hit;
    size_t len = 0;

    if (!secret || n == 0)
        return;
    snprintf(copy, sizeof copy, "%s", c->err);
    c->err[0] = '\0';
    for (s = copy; (hit = memmem(s, strlen(s), text, n)) != NULL; s = hit + n) {
        put(c->err, c->errlen, &len, s, (size_t)(hit - s));
        put(c->err, c->errlen, &len, "***", 3);
    }
    put(c->err, c->errlen, &len, s, strlen(s));
}

int db_open(const char *addr, db **out, char *err, size_t errlen)
{
    int rc;

    *out = NULL;
    if (!addr || !*addr) {
        snprintf(err, errlen, "no database address given");
        return DB_ERR;
    }
    if (!is_pg_url(addr))
        return db_sqlite_driver.open(addr, out, err, errlen);
    rc = db_pg_driver.open(addr, out, err, errlen);
    if (rc != DB_OK && errlen > 0) {
        /* libpq quotes a URL it cannot parse whole, password included */
        struct scrub_ctx c = {err, errlen};
        url_parts(addr, scrub_part, &c);
    }
    return rc;
}

void db_close(db *d)
{
    if (d)
        d->drv->close(d);
}

enum db_engine db_engine(const db *d)
{
    return d->drv->engine;
}

const char *db_errmsg(const db *d)
{
    return d->errmsg;
}

/* 1 when s[0..n) is well-formed UTF-8 (no overlong forms, surrogates or code
 * points past U+10FFFF: what PostgreSQL accepts) without NUL bytes. */
static int utf8_ok(const unsigned char *s, size_t n)
{
    size_t i = 0;

    while (i < n) {
        unsigned c;
        size_t len, k;
        unsigned lo = 0x80, hi = 0xbf;
        uint64_t w;

        /* eight bytes at a time while they are ASCII without a NUL */
        while (n - i >= 8) {
            memcpy(&w, s + i, 8);
            if ((w & 0x8080808080808080ULL) ||
                ((w - 0x0101010101010101ULL) & ~w & 0x8080808080808080ULL))
                break;
            i += 8;
        }
        if (i >= n)
            break;
        c = s[i];
        if (c == 0)
            return 0;
        if (c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0xc2 && c <= 0xdf)
            len = 2;
        else if (c >= 0xe0 && c <= 0xef)
            len = 3;
        else if (c >= 0xf0 && c <= 0xf4)
            len = 4;
        else
            return 0;
        if (c == 0xe0)
            lo = 0xa0;
        else if (c == 0xed)
            hi = 0x9f;
        else if (c == 0xf0)
            lo = 0x90;
        else if (c == 0xf4)
            hi = 0x8f;
        if (n - i < len || s[i + 1] < lo || s[i + 1] > hi)
            return 0;
        for (k = 2; k < len; k++)
            if ((s[i + k] & 0xc0) != 0x80)
                return 0;
        i += len;
    }
    return 1;
}

/* Checks a parameter list before a driver sees it. */
static int check_params(db *d, const db_val *params, int nparams)
{
    int i;

    if (d->copy_open)
        return db_fail(d, DB_ERR, "a db_copy is open on this connection");
    if (nparams < 0 || (nparams > 0 && !params))
        return db_fail(d, DB_ERR, "bad parameter list");
    for (i = 0; i < nparams; i++) {
        const db_val *v = &params[i];
        size_t n;

        if (v->type == DB_T_NULL || v->type == DB_T_INT)
            continue;
        if (v->type != DB_T_TEXT)
            return db_fail(d, DB_ERR, "parameter $%d has a bad type", i + 1);
        if (!v->s)
            continue;
        n = v->n == (size_t)-1 ? strlen(v->s) : v->n;
        if (!utf8_ok((const unsigned char *)v->s, n))
            return db_fail(d, DB_ERR, "parameter $%d is not UTF-8 text without NUL bytes",
                           i + 1);
    }
    return DB_OK;
}

int db_exec(db *d, const char *sql)
{
    if (d->copy_open)
        return db_fail(d, DB_ERR, "a db_copy is open on this connection");
    return d->drv->exec(d, sql);
}

int db_query(db *d, const char *sql, const db_val *params, int nparams, db_rows **out)
{
    int rc;

    *out = NULL;
    if ((rc = check_params(d, params, nparams)) != DB_OK)
        return rc;
    return d->drv->query(d, sql, params, nparams, out);
}

int db_step(db_rows *r)
{
    return r->d->drv->step(r);
}

int db_isnull(db_rows *r, int col)
{
    return r->d->drv->isnull(r, col);
}

int64_t db_int(db_rows *r, int col)
{
    return r->d->drv->get_int(r, col);
}

const char *db_text(db_rows *r, int col)
{
    return r->d->drv->get_text(r, col);
}

size_t db_len(db_rows *r, int col)
{
    return r->d->drv->get_len(r, col);
}

void db_rows_free(db_rows *r)
{
    if (r)
        r->d->drv->rows_free(r);
}

int db_run(db *d, const char *sql, const db_val *params, int nparams, int64_t *changes)
{
    int rc;

    if (changes)
        *changes = 0;
    if ((rc = check_params(d, params, nparams)) != DB_OK)
        return rc;
    return d->drv->run(d, sql, params, nparams, changes);
}

#define DB_COPY_COLS_MAX 64

static int ident_ok(const char *s)
{
    const char *p;

    if (!s || !((*s >= 'a' && *s <= 'z') || *s == '_') || strlen(s) > 63)
        return 0;
    for (p = s; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_'))
            return 0;
    return 1;
}

int db_copy_begin(db *d, const char *table, const char *const *cols, int ncols, db_copy **out)
{
    char collist[DB_COPY_COLS_MAX * 66];
    size_t len = 0;
    int i, rc;

    *out = NULL;
    if (d->copy_open)
        return db_fail(d, DB_ERR, "a db_copy is open on this connection");
    if (!ident_ok(table) || ncols < 1 || ncols > DB_COPY_COLS_MAX || !cols)
        return db_fail(d, DB_ERR, "db_copy: bad table or column list");
    for (i = 0; i < ncols; i++) {
        if (!ident_ok(cols[i]))
            return db_fail(d, DB_ERR, "db_copy: bad column name");
        len += (size_t)snprintf(collist + len, sizeof collist - len, "%s%s", i ? ", " : "",
                                cols[i]);
    }
    rc = d->drv->copy_begin(d, table, collist, ncols, out);
    if (rc == DB_OK) {
        (*out)->d = d;
        (*out)->ncols = ncols;
        (*out)->failed = 0;
        d->copy_open = 1;
    }
    return rc;
}

int db_copy_row(db_copy *c, const db_val *vals)
{
    db *d = c->d;
    int rc;

    if (c->failed)
        return db_fail(d, c->failed, "db_copy: an earlier row failed");
    d->copy_open = 0;
    rc = check_params(d, vals, c->ncols);
    d->copy_open = 1;
    if (rc == DB_OK)
        rc = d->drv->copy_row(c, vals);
    if (rc != DB_OK)
        c->failed = rc;
    return rc;
}

int db_copy_end(db_copy *c, int commit, int64_t *rows_out)
{
    db *d;
    int rc;

    if (rows_out)
        *rows_out = 0;
    if (!c)
        return DB_ERR;
    d = c->d;
    d->copy_open = 0;
    {
        int failed = c->failed;
        char keep[DB_ERRMSG_MAX];

        memcpy(keep, d->errmsg, sizeof keep);
        rc = d->drv->copy_end(c, commit, rows_out);
        if (failed) {
            memcpy(d->errmsg, keep, sizeof keep);
            return failed;
        }
    }
    return rc;
}

/* Runs the query and leaves rows positioned on the first row; DB_ENOTFOUND if none. */
static int one_row(db *d, const char *sql, const db_val *params, int nparams, db_rows **r)
{
    int rc = db_query(d, sql, params, nparams, r);

    if (rc != DB_OK)
        return rc;
    rc = db_step(*r);
    if (rc == DB_ROW)
        return DB_OK;
    db_rows_free(*r);
    *r = NULL;
    if (rc == DB_DONE)
        return db_fail(d, DB_ENOTFOUND, "no row");
    return rc;
}

int db_one_int(db *d, const char *sql, const db_val *params, int nparams, int64_t *out)
{
    db_rows *r;
    int rc = one_row(d, sql, params, nparams, &r);

    if (rc != DB_OK)
        return rc;
    *out = db_int(r, 0);
    db_rows_free(r);
    return DB_OK;
}

int db_one_text(db *d, const char *sql, const db_val *params, int nparams,
                char *out, size_t outlen)
{
    db_rows *r;
    size_t n;
    int rc;

    if (outlen == 0)
        return db_fail(d, DB_ERR, "db_one_text: empty output buffer");
    rc = one_row(d, sql, params, nparams, &r);
    if (rc != DB_OK)
        return rc;
    n = db_len(r, 0);
    if (n > outlen - 1)
        n = outlen - 1;
    memcpy(out, db_text(r, 0), n);
    out[n] = '\0';
    db_rows_free(r);
    return DB_OK;
}

/* A per-thread xorshift for backoff jitter; not for anything secret. */
static unsigned long jitter_next(void)
{
    static __thread unsigned long state;

    if (state == 0) {
        struct timespec ts;
        clock_gettime(CLOCK_MONOTONIC, &ts);
        state = ((unsigned long)ts.tv_nsec ^ (unsigned long)(uintptr_t)&ts
                 ^ (unsigned long)pthread_self()) | 1UL;
    }
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
}

static void backoff(int attempt)
{
    long cap = DB_BACKOFF_BASE_US << (attempt < 7 ? attempt : 7);
    long us;
    struct timespec ts;

    if (cap > DB_BACKOFF_CAP_US)
        cap = DB_BACKOFF_CAP_US;
    us = cap / 2 + (long)(jitter_next() % (unsigned long)(cap / 2 + 1));
    ts.tv_sec = us / 1000000L;
    ts.tv_nsec = (us % 1000000L) * 1000L;
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

static int txn_run(db *d, db_txn_fn fn, void *ctx, int read_only)
{
    int rc = DB_EBUSY;
    int attempt;

    if (d->txn_depth > 0) {
        d->txn_depth++;
        rc = fn(d, ctx);
        d->txn_depth--;
        return rc;
    }
    for (attempt = 0; attempt <= DB_TXN_RETRIES; attempt++) {
        if (attempt > 0)
            backoff(attempt);
        rc = d->drv->begin(d, read_only);
        if (rc == DB_EBUSY)
            continue;
        if (rc != DB_OK)
            return rc;
        d->txn_depth = 1;
        rc = fn(d, ctx);
        d->txn_depth = 0;
        if (rc == DB_OK) {
            rc = d->drv->commit(d);
            if (rc == DB_OK)
                return DB_OK;
        }
        {
            char keep[DB_ERRMSG_MAX];
            memcpy(keep, d->errmsg, sizeof keep);
            d->drv->rollback(d);
            memcpy(d->errmsg, keep, sizeof keep);
        }
        if (rc != DB_EBUSY)
            return rc;
    }
    return db_fail(d, DB_EBUSY, "database busy: gave up after %d retries", DB_TXN_RETRIES);
}

int db_txn(db *d, db_txn_fn fn, void *ctx)
{
    return txn_run(d, fn, ctx, 0);
}

int db_read(db *d, db_txn_fn fn, void *ctx)
{
    return txn_run(d, fn, ctx, 1);
}

/* Returns sql with every "@ID@" replaced by id_type, malloc'd; NULL when out of memory. */
static char *replace_tokens(const char *sql, const char *id_type)
{
    static const char token[] = "@ID@";
    size_t tlen = sizeof token - 1, rlen = strlen(id_type), count = 0, len;
    const char *p;
    char *out, *w;

    for (p = sql; (p = strstr(p, token)) != NULL; p += tlen)
        count++;
    len = strlen(sql) + count * rlen + 1;
    out = malloc(len);
    if (!out)
        return NULL;
    w = out;
    for (p = sql;;) {
        const char *hit = strstr(p, token);
        size_t n = hit ? (size_t)(hit - p) : strlen(p);
        memcpy(w, p, n);
        w += n;
        if (!hit)
            break;
        memcpy(w, id_type, rlen);
        w += rlen;
        p = hit + tlen;
    }
    *w = '\0';
    return out;
}

/* Blanks, in place, the lines of sections meant for another engine: a section
 * runs from a line "-- @sqlite" or "-- @pg" to a line "-- @end". */
static void keep_engine_sections(char *sql, enum db_engine engine)
{
    int skip = 0;
    char *line = sql;

    while (*line) {
        char *nl = strchr(line, '\n');
        size_t len = nl ? (size_t)(nl - line) : strlen(line);
        int marker = 1;

        if (len >= 10 && strncmp(line, "-- @sqlite", 10) == 0)
            skip = engine != DB_SQLITE;
        else if (len >= 6 && strncmp(line, "-- @pg", 6) == 0)
            skip = engine != DB_PG;
        else if (len >= 7 && strncmp(line, "-- @end", 7) == 0)
            skip = 0;
        else
            marker = 0;
        if (skip || marker)
            memset(line, ' ', len);
        line += len + (nl ? 1 : 0);
    }
}

static int table_exists(db *d, const char *name, int *exists)
{
    int64_t n = 0;
    db_val p[1] = {DB_TEXT(name)};
    int rc = db_one_int(d, d->drv->table_exists_sql, p, 1, &n);

    *exists = rc == DB_OK && n > 0;
    return rc;
}

int db_schema_version(db *d, int *version_out)
{
    int64_t v = 0;
    int exists, rc;

    *version_out = 0;
    rc = table_exists(d, "schema_migrations", &exists);
    if (rc != DB_OK || !exists)
        return rc;
    rc = db_one_int(d, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations", NULL, 0, &v);
    if (rc == DB_OK)
        *version_out = (int)v;
    return rc;
}

int db_latest_version(void)
{
    return db_migrations[db_migrations_count - 1].version;
}

struct migrate_ctx {
    const struct db_migration *m;
    const char *sql;
    int applied;
};

/* SQLite: fails naming the first table whose rows reference a missing row (foreign
 * keys are not enforced while migrations run; see the top of the file). */
static int fk_check(db *d, const struct db_migration *m)
{
    db_rows *r = NULL;
    int rc = db_query(d, "PRAGMA foreign_key_check", NULL, 0, &r);

    if (rc != DB_OK)
        return rc;
    rc = db_step(r);
    if (rc == DB_ROW)
        rc = db_fail(d, DB_ECONSTRAINT,
                     "migration %04d_%s: a row of %s references a missing row of %s",
                     m->version, m->name, db_text(r, 0), db_text(r, 2));
    else if (rc == DB_DONE)
        rc = DB_OK;
    db_rows_free(r);
    return rc;
}

static int migrate_one(db *d, void *vctx)
{
    struct migrate_ctx *c = vctx;
    int64_t n = 0;
    db_val p[3] = {DB_INT(c->m->version), DB_TEXT(c->m->name), DB_INT(time(NULL))};
    int rc;

    c->applied = 0;
    rc = db_one_int(d, "SELECT COUNT(*) FROM schema_migrations WHERE version = $1", p, 1, &n);
    if (rc != DB_OK || n > 0)
        return rc;
    rc = db_exec(d, c->sql);
    if (rc != DB_OK) {
        char keep[DB_ERRMSG_MAX];
        snprintf(keep, sizeof keep, "%s", d->errmsg);
        return db_fail(d, rc, "migration %04d_%s: %s", c->m->version, c->m->name, keep);
    }
    if (d->drv->engine == DB_SQLITE && (rc = fk_check(d, c->m)) != DB_OK)
        return rc;
    rc = db_run(d, "INSERT INTO schema_migrations(version, name, applied_at) VALUES ($1, $2, $3)",
                p, 3, NULL);
    if (rc == DB_OK)
        c->applied = 1;
    return rc;
}

int db_migrate_list(db *d, const struct db_migration *list, int n, int up_to_version,
                    int *applied_out)
{
    int current, i, rc, applied = 0, sqlite_fk;

    if (applied_out)
        *applied_out = 0;
    if (up_to_version < 0)
        return db_fail(d, DB_ERR, "bad migration target %d", up_to_version);
    rc = db_exec(d, "CREATE TABLE IF NOT EXISTS schema_migrations ("
                    "version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
                    "applied_at BIGINT NOT NULL)");
    if (rc != DB_OK)
        return rc;
    rc = db_schema_version(d, &current);
    if (rc != DB_OK)
        return rc;
    sqlite_fk = d->drv->engine == DB_SQLITE && d->txn_depth == 0;
    if (sqlite_fk && (rc = db_exec(d, "PRAGMA foreign_keys=OFF")) != DB_OK)
        return rc;
    for (i = 0; i < n; i++) {
        struct migrate_ctx c = {.m = &list[i]};
        char *sql;

        if (list[i].version <= current)
            continue;
        if (up_to_version > 0 && list[i].version > up_to_version)
            break;
        sql = replace_tokens(list[i].sql, d->drv->id_type);
        if (!sql) {
            rc = db_fail(d, DB_ERR, "out of memory");
            break;
        }
        keep_engine_sections(sql, d->drv->engine);
        c.sql = sql;
        rc = db_txn(d, migrate_one, &c);
        free(sql);
        if (rc != DB_OK)
            break;
        applied += c.applied;
    }
    if (sqlite_fk) {
        char keep[DB_ERRMSG_MAX];
        memcpy(keep, d->errmsg, sizeof keep);
        if (db_exec(d, "PRAGMA foreign_keys=ON") != DB_OK && rc == DB_OK)
            rc = DB_ERR;
        else
            memcpy(d->errmsg, keep, sizeof keep);
    }
    if (applied_out)
        *applied_out = applied;
    return rc;
}

int db_migrate(db *d, int up_to_version, int *applied_out)
{
    return db_migrate_list(d, db_migrations, db_migrations_count, up_to_version, applied_out);
}
