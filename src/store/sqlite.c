/*
 * sqlite: the SQLite driver behind db.h (see db_driver.h for the seam).
 *
 * A connection is opened in WAL mode with foreign keys on, a 5 s busy timeout and
 * synchronous=FULL, so a committed transaction survives power loss. Statements are
 * prepared once and kept in a per-connection cache keyed by their SQL text: a
 * chained hash table of at most SQ_CACHE_MAX entries; when it is full the least
 * recently used idle statement is finalized. A statement already in use (a query
 * nested inside another with the same text) gets a private, uncached copy.
 *
 * Parameters are written $1..$n in SQL, so the same text runs on PostgreSQL; every
 * parameter passed must appear in the statement and every parameter in the statement
 * must be passed. The names are resolved once, when a statement enters the cache
 * (param_map: $k -> SQLite's index), and each call then binds by position; text is
 * bound without a copy (SQLITE_STATIC) by db_run, whose statement is finished and
 * reset before it returns, and copied for db_query, whose rows outlive the call.
 *
 * db_copy is one cached INSERT, held from db_copy_begin to db_copy_end and run
 * once per row, between SAVEPOINT db_copy and its RELEASE (or ROLLBACK TO, which
 * discards the copy and keeps the enclosing transaction).
 *
 * Errors map onto db.h: SQLITE_CONSTRAINT* -> DB_ECONSTRAINT, SQLITE_BUSY/LOCKED* ->
 * DB_EBUSY (db_txn retries those), everything else -> DB_ERR with SQLite's message.
 */
#include "store/db_driver.h"

#include <limits.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SQ_BUCKETS 256
#define SQ_CACHE_MAX 128
#define SQ_BUSY_TIMEOUT_MS 5000
#define SQ_SQL_MAX (1024 * 1024)

struct sq_entry {
    char *sql;
    size_t len;
    uint64_t hash;
    sqlite3_stmt *st;
    int *pmap;                     /* pmap[k-1]: SQLite's index of "$k" */
    int npmap;
    int in_use;
    uint64_t last_used;
    struct sq_entry *next;
};

struct sq_db {
    struct db base;
    sqlite3 *h;
    struct sq_entry *buckets[SQ_BUCKETS];
    int count;
    uint64_t tick;
};

struct sq_rows {
    struct db_rows base;
    sqlite3_stmt *st;
    struct sq_entry *e;            /* NULL: private statement, finalized on free */
    int done;
};

static int map_rc(int rc)
{
    switch (rc & 0xff) {
    case SQLITE_OK:
        return DB_OK;
    case SQLITE_CONSTRAINT:
        return DB_ECONSTRAINT;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return DB_EBUSY;
    default:
        return DB_ERR;
    }
}

static int sq_error(struct sq_db *s, int rc)
{
    return db_fail(&s->base, map_rc(rc), "sqlite: %s", sqlite3_errmsg(s->h));
}

/* FNV-1a over 8-byte words, then the tail bytes: the statement cache key, computed
 * on every call, so it costs a few nanoseconds even for a long INSERT. */
static uint64_t sql_hash(const char *s, size_t len)
{
    uint64_t h = 1469598103934665603ULL, w;
    size_t i = 0;

    for (; i + 8 <= len; i += 8) {
        memcpy(&w, s + i, 8);
        h = (h ^ w) * 1099511628211ULL;
        h ^= h >> 29;
    }
    for (; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
    return h;
}

/* Resolves $1..$n of st to SQLite's parameter indexes (malloc'd into *map). */
static int param_map(struct sq_db *s, sqlite3_stmt *st, int **map, int *n)
{
    int count = sqlite3_bind_parameter_count(st), i;
    int *m = count ? calloc((size_t)count, sizeof *m) : NULL;

    *map = NULL;
    *n = 0;
    if (count && !m)
        return db_fail(&s->base, DB_ERR, "out of memory");
    for (i = 0; i < count; i++) {
        char name[16];
        snprintf(name, sizeof name, "$%d", i + 1);
        m[i] = sqlite3_bind_parameter_index(st, name);
        if (m[i] == 0) {
            free(m);
            return db_fail(&s->base, DB_ERR, "sqlite: parameter %s is not in the statement",
                           name);
        }
    }
    *map = m;
    *n = count;
    return DB_OK;
}

static void cache_evict_lru(struct sq_db *s)
{
    struct sq_entry **victim = NULL, **pp;
    int b;

    for (b = 0; b < SQ_BUCKETS; b++)
        for (pp = &s->buckets[b]; *pp; pp = &(*pp)->next)
            if (!(*pp)->in_use && (!victim || (*pp)->last_used < (*victim)->last_used))
                victim = pp;
    if (victim) {
        struct sq_entry *e = *victim;
        *victim = e->next;
        sqlite3_finalize(e->st);
        free(e->pmap);
        free(e->sql);
        free(e);
        s->count--;
    }
}

/* Prepares sql, requiring exactly one statement. */
static int prepare(struct sq_db *s, const char *sql, unsigned flags, sqlite3_stmt **st)
{
    const char *tail = NULL;
    size_t len = strlen(sql);
    int rc;

    *st = NULL;
    if (len > SQ_SQL_MAX)
        return db_fail(&s->base, DB_ERR, "sqlite: statement text too long");
    rc = sqlite3_prepare_v3(s->h, sql, (int)len + 1, flags, st, &tail);
    if (rc != SQLITE_OK)
        return sq_error(s, rc);
    if (!*st)
        return db_fail(&s->base, DB_ERR, "sqlite: empty statement");
    while (tail && (*tail == ' ' || *tail == '\n' || *tail == '\t' || *tail == '\r' || *tail == ';'))
        tail++;
    if (tail && *tail) {
        sqlite3_finalize(*st);
        *st = NULL;
        return db_fail(&s->base, DB_ERR, "sqlite: more than one statement; use db_exec");
    }
    return DB_OK;
}

/* Finds or prepares the statement for sql; *e is NULL when it is a private copy. */
static int acquire(struct sq_db *s, const char *sql, sqlite3_stmt **st, struct sq_entry **e)
{
    size_t len = strlen(sql);
    uint64_t h = sql_hash(sql, len);
    struct sq_entry *it, *ne;
    int rc;

    *e = NULL;
    for (it = s->buckets[h % SQ_BUCKETS]; it; it = it->next) {
        if (it->hash == h && it->len == len && memcmp(it->sql, sql, len) == 0) {
            if (it->in_use)
                return prepare(s, sql, 0, st);
            it->in_use = 1;
            it->last_used = ++s->tick;
            *st = it->st;
            *e = it;
            return DB_OK;
        }
    }
    if (s->count >= SQ_CACHE_MAX)
        cache_evict_lru(s);
    if (s->count >= SQ_CACHE_MAX)
        return prepare(s, sql, 0, st);
    rc = prepare(s, sql, SQLITE_PREPARE_PERSISTENT, st);
    if (rc != DB_OK)
        return rc;
    ne = calloc(1, sizeof *ne);
    if (ne)
        ne->sql = strdup(sql);
    if (!ne || !ne->sql) {
        free(ne);
        return DB_OK;              /* run it uncached */
    }
    if (param_map(s, *st, &ne->pmap, &ne->npmap) != DB_OK) {
        free(ne->sql);
        free(ne);
        sqlite3_finalize(*st);
        *st = NULL;
        return DB_ERR;
    }
    ne->len = len;
    ne->hash = h;
    ne->st = *st;
    ne->in_use = 1;
    ne->last_used = ++s->tick;
    ne->next = s->buckets[h % SQ_BUCKETS];
    s->buckets[h % SQ_BUCKETS] = ne;
    s->count++;
    *e = ne;
    return DB_OK;
}

static void release(sqlite3_stmt *st, struct sq_entry *e)
{
    if (!st)
        return;
    if (e) {
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
        e->in_use = 0;
    } else {
        sqlite3_finalize(st);
    }
}

/* Binds params to st by position, through e's map (or, for an uncached statement,
 * one made now). keep: the caller's text outlives the statement's use. */
static int bind_all(struct sq_db *s, sqlite3_stmt *st, struct sq_entry *e, const db_val *params,
                    int nparams, int keep)
{
    void (*dtor)(void *) = keep ? SQLITE_STATIC : SQLITE_TRANSIENT;
    int i, rc, *map = NULL, n = 0;

    if (e) {
        map = e->pmap;
        n = e->npmap;
    } else if ((rc = param_map(s, st, &map, &n)) != DB_OK) {
        return rc;
    }
    if (n != nparams) {
        rc = db_fail(&s->base, DB_ERR, "sqlite: statement has %d parameters, %d given", n,
                     nparams);
        goto out;
    }
    for (i = 0; i < nparams; i++) {
        int idx = map[i];

        switch (params[i].type) {
        case DB_T_NULL:
            rc = sqlite3_bind_null(st, idx);
            break;
        case DB_T_INT:
            rc = sqlite3_bind_int64(st, idx, params[i].i);
            break;
        case DB_T_TEXT:
            if (!params[i].s) {
                rc = sqlite3_bind_null(st, idx);
            } else if (params[i].n == (size_t)-1) {
                rc = sqlite3_bind_text(st, idx, params[i].s, -1, dtor);
            } else if (params[i].n > INT_MAX) {
                rc = db_fail(&s->base, DB_ERR, "sqlite: parameter $%d too long", i + 1);
                goto out;
            } else {
                rc = sqlite3_bind_text(st, idx, params[i].s, (int)params[i].n, dtor);
            }
            break;
        default:
            rc = db_fail(&s->base, DB_ERR, "sqlite: parameter $%d has a bad type", i + 1);
            goto out;
        }
        if (rc != SQLITE_OK) {
            rc = sq_error(s, rc);
            goto out;
        }
    }
    rc = DB_OK;
out:
    if (!e)
        free(map);
    return rc;
}

static int sq_query(db *d, const char *sql, const db_val *params, int nparams, db_rows **out)
{
    struct sq_db *s = (struct sq_db *)d;
    struct sq_rows *r;
    sqlite3_stmt *st;
    struct sq_entry *e;
    int rc;

    rc = acquire(s, sql, &st, &e);
    if (rc != DB_OK)
        return rc;
    rc = bind_all(s, st, e, params, nparams, 0);
    if (rc != DB_OK)
        goto fail;
    r = calloc(1, sizeof *r);
    if (!r) {
        rc = db_fail(d, DB_ERR, "out of memory");
        goto fail;
    }
    r->base.d = d;
    r->st = st;
    r->e = e;
    *out = &r->base;
    return DB_OK;
fail:
    release(st, e);
    return rc;
}

static int sq_step(db_rows *rows)
{
    struct sq_rows *r = (struct sq_rows *)rows;
    int rc;

    if (r->done)
        return DB_DONE;
    rc = sqlite3_step(r->st);
    if (rc == SQLITE_ROW)
        return DB_ROW;
    r->done = 1;
    if (rc == SQLITE_DONE)
        return DB_DONE;
    return sq_error((struct sq_db *)r->base.d, rc);
}

static int col_ok(struct sq_rows *r, int col)
{
    return !r->done && col >= 0 && col < sqlite3_data_count(r->st);
}

static int sq_isnull(db_rows *rows, int col)
{
    struct sq_rows *r = (struct sq_rows *)rows;

    return !col_ok(r, col) || sqlite3_column_type(r->st, col) == SQLITE_NULL;
}

static int64_t sq_int(db_rows *rows, int col)
{
    struct sq_rows *r = (struct sq_rows *)rows;

    return col_ok(r, col) ? sqlite3_column_int64(r->st, col) : 0;
}

static const char *sq_text(db_rows *rows, int col)
{
    struct sq_rows *r = (struct sq_rows *)rows;
    const unsigned char *t;

    if (!col_ok(r, col))
        return "";
    t = sqlite3_column_text(r->st, col);
    return t ? (const char *)t : "";
}

static size_t sq_len(db_rows *rows, int col)
{
    struct sq_rows *r = (struct sq_rows *)rows;

    if (!col_ok(r, col))
        return 0;
    sqlite3_column_text(r->st, col);
    return (size_t)sqlite3_column_bytes(r->st, col);
}

static void sq_rows_free(db_rows *rows)
{
    struct sq_rows *r = (struct sq_rows *)rows;

    release(r->st, r->e);
    free(r);
}

static int sq_run(db *d, const char *sql, const db_val *params, int nparams, int64_t *changes)
{
    struct sq_db *s = (struct sq_db *)d;
    sqlite3_stmt *st;
    struct sq_entry *e;
    int rc;

    rc = acquire(s, sql, &st, &e);
    if (rc != DB_OK)
        return rc;
    rc = bind_all(s, st, e, params, nparams, 1);
    if (rc != DB_OK)
        goto out;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        ;
    if (rc != SQLITE_DONE) {
        rc = sq_error(s, rc);
        goto out;
    }
    rc = DB_OK;
    if (changes)
        *changes = sqlite3_changes64(s->h);
out:
    release(st, e);
    return rc;
}

static int sq_exec(db *d, const char *sql)
{
    struct sq_db *s = (struct sq_db *)d;
    char *msg = NULL;
    int rc = sqlite3_exec(s->h, sql, NULL, NULL, &msg);

    if (rc == SQLITE_OK)
        return DB_OK;
    rc = db_fail(d, map_rc(sqlite3_extended_errcode(s->h)), "sqlite: %s",
                 msg ? msg : sqlite3_errstr(rc));
    sqlite3_free(msg);
    return rc;
}

/* Through the statement cache: a read transaction per request is on the hot path. */
static int sq_begin(db *d, int read_only)
{
    return sq_run(d, read_only ? "BEGIN" : "BEGIN IMMEDIATE", NULL, 0, NULL);
}

static int sq_commit(db *d)
{
    return sq_run(d, "COMMIT", NULL, 0, NULL);
}

static int sq_rollback(db *d)
{
    struct sq_db *s = (struct sq_db *)d;

    if (sqlite3_get_autocommit(s->h))
        return DB_OK;
    return sq_exec(d, "ROLLBACK");
}

struct sq_copy {
    struct db_copy base;
    char *sql;
    sqlite3_stmt *st;              /* the INSERT, held from begin to end */
    struct sq_entry *e;            /* its cache entry (NULL: private statement) */
    int64_t rows;
};

static int sq_copy_begin(db *d, const char *table, const char *collist, int ncols,
                         db_copy **out)
{
    struct sq_copy *c = calloc(1, sizeof *c);
    size_t cap = strlen(table) + strlen(collist) + 32 + (size_t)ncols * 6;
    size_t len;
    int i, rc;

    if (!c || !(c->sql = malloc(cap))) {
        free(c);
        return db_fail(d, DB_ERR, "out of memory");
    }
    len = (size_t)snprintf(c->sql, cap, "INSERT INTO %s (%s) VALUES (", table, collist);
    for (i = 0; i < ncols; i++)
        len += (size_t)snprintf(c->sql + len, cap - len, "%s$%d", i ? ", " : "", i + 1);
    snprintf(c->sql + len, cap - len, ")");
    /* prepared now, so a missing table or column fails here as on PostgreSQL */
    rc = acquire((struct sq_db *)d, c->sql, &c->st, &c->e);
    if (rc == DB_OK) {
        rc = sq_exec(d, "SAVEPOINT db_copy");
        if (rc != DB_OK)
            release(c->st, c->e);
    }
    if (rc != DB_OK) {
        free(c->sql);
        free(c);
        return rc;
    }
    *out = &c->base;
    return DB_OK;
}

/* One row through the held INSERT: bound by position without copies (the
 * values are stepped before this returns), stepped, reset. */
static int sq_copy_row(db_copy *cp, const db_val *vals)
{
    struct sq_copy *c = (struct sq_copy *)cp;
    struct sq_db *s = (struct sq_db *)cp->d;
    int rc = bind_all(s, c->st, c->e, vals, cp->ncols, 1);

    if (rc != DB_OK)
        return rc;
    rc = sqlite3_step(c->st);
    if (rc == SQLITE_DONE) {
        rc = DB_OK;
        c->rows++;
    } else {
        rc = sq_error(s, rc);
    }
    sqlite3_reset(c->st);
    return rc;
}

static int sq_copy_end(db_copy *cp, int commit, int64_t *rows_out)
{
    struct sq_copy *c = (struct sq_copy *)cp;
    db *d = cp->d;
    int rc;

    release(c->st, c->e);
    if (commit && !cp->failed) {
        rc = sq_exec(d, "RELEASE db_copy");
        if (rc == DB_OK && rows_out)
            *rows_out = c->rows;
    } else {
        rc = sq_exec(d, "ROLLBACK TO db_copy; RELEASE db_copy");
    }
    free(c->sql);
    free(c);
    return rc;
}

static void sq_close(db *d)
{
    struct sq_db *s = (struct sq_db *)d;
    int b;

    for (b = 0; b < SQ_BUCKETS; b++) {
        struct sq_entry *e = s->buckets[b], *next;
        for (; e; e = next) {
            next = e->next;
            sqlite3_finalize(e->st);
            free(e->pmap);
            free(e->sql);
            free(e);
        }
    }
    sqlite3_close_v2(s->h);
    free(s);
}

static int sq_open(const char *addr, db **out, char *err, size_t errlen)
{
    struct sq_db *s;
    char mode[16] = "";
    int64_t fk = 0;
    int rc;

    s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, errlen, "out of memory");
        return DB_ERR;
    }
    s->base.drv = &db_sqlite_driver;
    rc = sqlite3_open_v2(addr, &s->h,
                         SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        snprintf(err, errlen, "sqlite: cannot open %s: %s", addr,
                 s->h ? sqlite3_errmsg(s->h) : sqlite3_errstr(rc));
        rc = DB_ERR;
        goto fail;
    }
    sqlite3_extended_result_codes(s->h, 1);
    sqlite3_busy_timeout(s->h, SQ_BUSY_TIMEOUT_MS);
    rc = db_one_text(&s->base, "PRAGMA journal_mode=WAL", NULL, 0, mode, sizeof mode);
    if (rc == DB_OK && strcmp(mode, "wal") != 0 && strcmp(mode, "memory") != 0)
        rc = db_fail(&s->base, DB_ERR, "sqlite: cannot use WAL (journal mode is %s)", mode);
    if (rc == DB_OK)
        rc = sq_exec(&s->base, "PRAGMA foreign_keys=ON; PRAGMA synchronous=FULL");
    if (rc == DB_OK)
        rc = db_one_int(&s->base, "PRAGMA foreign_keys", NULL, 0, &fk);
    if (rc == DB_OK && fk != 1)
        rc = db_fail(&s->base, DB_ERR, "sqlite: foreign keys are not supported");
    if (rc != DB_OK) {
        snprintf(err, errlen, "%s: %s", addr, s->base.errmsg);
        goto fail;
    }
    *out = &s->base;
    return DB_OK;
fail:
    sq_close(&s->base);
    return rc;
}

const struct db_driver db_sqlite_driver = {
    .engine = DB_SQLITE,
    .id_type = "INTEGER PRIMARY KEY",
    .table_exists_sql = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = $1",
    .open = sq_open,
    .close = sq_close,
    .exec = sq_exec,
    .query = sq_query,
    .step = sq_step,
    .isnull = sq_isnull,
    .get_int = sq_int,
    .get_text = sq_text,
    .get_len = sq_len,
    .rows_free = sq_rows_free,
    .run = sq_run,
    .begin = sq_begin,
    .commit = sq_commit,
    .rollback = sq_rollback,
    .copy_begin = sq_copy_begin,
    .copy_row = sq_copy_row,
    .copy_end = sq_copy_end,
};
