/*
 * pg: the PostgreSQL driver behind db.h, on libpq (see db_driver.h for the seam).
 *
 * Connections. db_open takes a postgres:// or postgresql:// URL as libpq reads it
 * (a Unix socket folder is a percent-encoded host: postgresql://u@%2Ftmp%2Fpg:5432/db)
 * and adds client_encoding=UTF8, application_name=prakerja and a 10 s connect
 * timeout unless the URL says otherwise. A connection found broken (a statement
 * failed with the connection gone, or, before a call outside a transaction, the
 * server is seen to have closed it while it sat idle) makes that call fail with
 * DB_EUNAVAILABLE; the next call tries PQreset once, and then again at most once a
 * second while the server stays away, so a restarted server heals every
 * connection by itself without a storm of connection attempts.
 *
 * Statements are prepared once per connection (PQprepare with server-inferred
 * parameter types, then PQdescribePrepared for the parameter count, which is
 * checked on every call as SQLite's driver does) and cached by SQL text in a hash
 * table of at most PG_CACHE_MAX entries; past that the least recently used one is
 * deallocated. The cache is emptied when the connection is reset, since prepared
 * statements live in the server session. Parameters travel in text format
 * (integers as decimal), results come back whole as text (db_int parses them; a
 * boolean reads as 1 or 0), so nested queries on one connection just work.
 *
 * Transactions are BEGIN ISOLATION LEVEL SERIALIZABLE. Why not READ COMMITTED with
 * SELECT ... FOR UPDATE where needed: every db_txn function in the tree is written
 * and tested first against SQLite, whose writers are serialized, and several read
 * then write on what they read (verification attempts, resend limits, the audit
 * chain that appends after the last row, where FOR UPDATE cannot help because the
 * conflicting row does not exist yet). SERIALIZABLE keeps exactly that guarantee
 * on PostgreSQL without auditing every function, present and future, for missing
 * locks; the price is that conflicts surface as SQLSTATE 40001, which db_txn
 * already retries with jittered backoff (the way GNU Taler's exchange works).
 *
 * Inside a transaction each writing statement runs between SAVEPOINT and RELEASE
 * sent in one pipeline (one round trip), so a failing INSERT fails alone as on
 * SQLite, instead of aborting the whole transaction. Reads run bare; should one
 * fail, the transaction is aborted, later statements report the first error and
 * COMMIT refuses.
 *
 * db_copy is COPY table (cols) FROM STDIN in text format, rows escaped here and
 * sent in 64 KiB chunks; inside a transaction it sits in a savepoint so that a
 * refused copy leaves the transaction usable.
 *
 * Errors map onto db.h by SQLSTATE: class 23 (unique, foreign key, check, not
 * null) -> DB_ECONSTRAINT; 40001, 40P01 and 55P03 (lock timeout) -> DB_EBUSY;
 * class 08, 57P01-57P03, 53300 or a broken connection -> DB_EUNAVAILABLE; anything
 * else -> DB_ERR with the server's message.
 */
#include "store/db_driver.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define PG_BUCKETS 256
#define PG_CACHE_MAX 256
#define PG_SQL_MAX (1024 * 1024)
#define PG_PARAMS_MAX 1000
#define PG_COPY_CHUNK (64 * 1024)
#define PG_RESET_EVERY_MS 1000
#define PG_MIN_VERSION 130000

struct pg_stmt {
    char *sql;
    uint64_t hash;
    char name[24];
    int nparams;
    uint64_t last_used;
    struct pg_stmt *next;
};

struct pg_db {
    struct db base;
    PGconn *c;
    struct pg_stmt *buckets[PG_BUCKETS];
    int count;
    uint64_t tick, serial;
    int in_txn;                    /* BEGIN sent, no COMMIT/ROLLBACK yet */
    int txn_err;                   /* first unrecovered failure in the transaction */
    char txn_msg[DB_ERRMSG_MAX];
    int64_t next_reset_ms;         /* no reset attempt before this (monotonic ms) */
    char *scratch;                 /* parameter text */
    size_t scratch_cap;
};

struct pg_rows {
    struct db_rows base;
    PGresult *res;
    int nrows, ncols, cur;
};

struct pg_copy {
    struct db_copy base;
    int savepoint;
    char *buf;
    size_t len;
};

static int64_t now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The first line of a libpq message, without the "ERROR:  " the server adds. */
static void first_line(char *out, size_t outlen, const char *msg)
{
    size_t n;

    if (!msg || !*msg)
        msg = "unknown error";
    n = strcspn(msg, "\n");
    if (n >= outlen)
        n = outlen - 1;
    memcpy(out, msg, n);
    out[n] = '\0';
}

static int state_status(const char *st)
{
    if (!st)
        return DB_ERR;
    if (strcmp(st, "40001") == 0 || strcmp(st, "40P01") == 0 || strcmp(st, "55P03") == 0)
        return DB_EBUSY;
    if (strncmp(st, "23", 2) == 0)
        return DB_ECONSTRAINT;
    if (strncmp(st, "08", 2) == 0 || strcmp(st, "57P01") == 0 || strcmp(st, "57P02") == 0 ||
        strcmp(st, "57P03") == 0 || strcmp(st, "53300") == 0)
        return DB_EUNAVAILABLE;
    return DB_ERR;
}

/* Sets errmsg from res (may be NULL: the connection's message) and returns the
 * status; a failure inside a transaction that was not undone by a savepoint is
 * remembered, and 25P02 (aborted transaction) reports that first failure. */
static int pg_fail(struct pg_db *p, PGresult *res, int recovered)
{
    const char *st = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    const char *msg = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    char line[DB_ERRMSG_MAX - 32];
    int status;

    if (!msg)
        msg = res && *PQresultErrorMessage(res) ? PQresultErrorMessage(res)
                                                : PQerrorMessage(p->c);
    first_line(line, sizeof line, msg);
    if (PQstatus(p->c) != CONNECTION_OK)
        status = DB_EUNAVAILABLE;
    else
        status = state_status(st);
    if (p->in_txn && st && strcmp(st, "25P02") == 0 && p->txn_err)
        return db_fail(&p->base, p->txn_err, "postgres: transaction aborted by an earlier "
                       "error: %s", p->txn_msg);
    if (st)
        db_fail(&p->base, status, "postgres: %s (SQLSTATE %s)", line, st);
    else
        db_fail(&p->base, status, "postgres: %s", line);
    if (p->in_txn && !recovered && !p->txn_err) {
        p->txn_err = status;
        snprintf(p->txn_msg, sizeof p->txn_msg, "%s", line);
    }
    return status;
}

/* ---- statement cache ---- */

static uint64_t fnv1a(const char *s)
{
    uint64_t h = 1469598103934665603ULL;

    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ULL;
    }
    return h;
}

static void stmt_free(struct pg_stmt *s)
{
    free(s->sql);
    free(s);
}

/* Forgets every cached statement (the session that held them is gone). */
static void cache_clear(struct pg_db *p)
{
    int b;

    for (b = 0; b < PG_BUCKETS; b++) {
        struct pg_stmt *s = p->buckets[b], *next;
        for (; s; s = next) {
            next = s->next;
            stmt_free(s);
        }
        p->buckets[b] = NULL;
    }
    p->count = 0;
}

static void cache_evict_lru(struct pg_db *p)
{
    struct pg_stmt **victim = NULL, **pp, *s;
    char sql[48];
    int b;

    for (b = 0; b < PG_BUCKETS; b++)
        for (pp = &p->buckets[b]; *pp; pp = &(*pp)->next)
            if (!victim || (*pp)->last_used < (*victim)->last_used)
                victim = pp;
    if (!victim)
        return;
    s = *victim;
    *victim = s->next;
    p->count--;
    /* Not transactional; in an aborted transaction it fails and the statement simply
     * stays in the session under a name that is never used again. */
    snprintf(sql, sizeof sql, "DEALLOCATE %s", s->name);
    PQclear(PQexec(p->c, sql));
    stmt_free(s);
}

/* Finds or prepares the statement for sql. */
static int stmt_get(struct pg_db *p, const char *sql, struct pg_stmt **out)
{
    uint64_t h = fnv1a(sql);
    struct pg_stmt *s;
    PGresult *res;
    int rc;

    *out = NULL;
    for (s = p->buckets[h % PG_BUCKETS]; s; s = s->next)
        if (s->hash == h && strcmp(s->sql, sql) == 0) {
            s->last_used = ++p->tick;
            *out = s;
            return DB_OK;
        }
    if (strlen(sql) > PG_SQL_MAX)
        return db_fail(&p->base, DB_ERR, "postgres: statement text too long");
    if (p->count >= PG_CACHE_MAX)
        cache_evict_lru(p);
    s = calloc(1, sizeof *s);
    if (!s || !(s->sql = strdup(sql))) {
        free(s);
        return db_fail(&p->base, DB_ERR, "out of memory");
    }
    snprintf(s->name, sizeof s->name, "pk%llu", (unsigned long long)++p->serial);
    res = PQprepare(p->c, s->name, sql, 0, NULL);
    if (PQresultStatus(res) != PGRES_COMMAND_OK) {
        rc = pg_fail(p, res, 0);
        PQclear(res);
        stmt_free(s);
        return rc;
    }
    PQclear(res);
    res = PQdescribePrepared(p->c, s->name);
    if (PQresultStatus(res) != PGRES_COMMAND_OK) {
        rc = pg_fail(p, res, 0);
        PQclear(res);
        stmt_free(s);
        return rc;
    }
    s->nparams = PQnparams(res);
    PQclear(res);
    s->hash = h;
    s->last_used = ++p->tick;
    s->next = p->buckets[h % PG_BUCKETS];
    p->buckets[h % PG_BUCKETS] = s;
    p->count++;
    *out = s;
    return DB_OK;
}

/* ---- connection health ---- */

static int check_server(struct pg_db *p, char *err, size_t errlen)
{
    if (PQserverVersion(p->c) < PG_MIN_VERSION) {
        snprintf(err, errlen, "postgres: server version %d is too old (need 13 or newer)",
                 PQserverVersion(p->c));
        return DB_ERR;
    }
    return DB_OK;
}

/* Makes sure the connection is usable before a call: notices a connection the
 * server closed while it was idle, and resets a broken one (at most once a second).
 * Inside a transaction a broken connection cannot be healed: the call fails. */
static int ensure(struct pg_db *p)
{
    char err[DB_ERRMSG_MAX - 64];

    if (PQstatus(p->c) == CONNECTION_OK && !p->in_txn &&
        PQtransactionStatus(p->c) == PQTRANS_IDLE)
        PQconsumeInput(p->c);
    if (PQstatus(p->c) == CONNECTION_OK)
        return DB_OK;
    if (p->in_txn)
        return db_fail(&p->base, DB_EUNAVAILABLE,
                       "postgres: connection lost inside a transaction");
    if (now_ms() < p->next_reset_ms)
        return db_fail(&p->base, DB_EUNAVAILABLE, "postgres: server unavailable (will retry)");
    cache_clear(p);
    PQreset(p->c);
    if (PQstatus(p->c) != CONNECTION_OK) {
        p->next_reset_ms = now_ms() + PG_RESET_EVERY_MS;
        first_line(err, sizeof err, PQerrorMessage(p->c));
        return db_fail(&p->base, DB_EUNAVAILABLE, "postgres: reconnect failed: %s", err);
    }
    p->next_reset_ms = 0;
    if (check_server(p, err, sizeof err) != DB_OK)
        return db_fail(&p->base, DB_ERR, "%s", err);
    return DB_OK;
}

/* A statement that changes data (anything but a plain SELECT or VALUES). */
static int is_write(const char *sql)
{
    while (*sql == ' ' || *sql == '\n' || *sql == '\t' || *sql == '\r' || *sql == '(')
        sql++;
    return strncasecmp(sql, "SELECT", 6) != 0 && strncasecmp(sql, "VALUES", 6) != 0;
}

/* ---- parameters ---- */

static int params_text(struct pg_db *p, const db_val *params, int nparams,
                       const char **vals)
{
    size_t need = 0, off = 0;
    int i;

    for (i = 0; i < nparams; i++) {
        if (params[i].type == DB_T_INT)
            need += 24;
        else if (params[i].type == DB_T_TEXT && params[i].s && params[i].n != (size_t)-1)
            need += params[i].n + 1;
    }
    if (need > p->scratch_cap) {
        char *n = realloc(p->scratch, need);
        if (!n)
            return db_fail(&p->base, DB_ERR, "out of memory");
        p->scratch = n;
        p->scratch_cap = need;
    }
    for (i = 0; i < nparams; i++) {
        const db_val *v = &params[i];

        if (v->type == DB_T_INT) {
            vals[i] = p->scratch + off;
            off += (size_t)snprintf(p->scratch + off, 24, "%lld", (long long)v->i) + 1;
        } else if (v->type != DB_T_TEXT || !v->s) {
            vals[i] = NULL;
        } else if (v->n == (size_t)-1) {
            vals[i] = v->s;
        } else {
            vals[i] = p->scratch + off;
            memcpy(p->scratch + off, v->s, v->n);
            p->scratch[off + v->n] = '\0';
            off += v->n + 1;
        }
    }
    return DB_OK;
}

static int result_ok(const PGresult *r)
{
    ExecStatusType st = PQresultStatus(r);

    return r && (st == PGRES_TUPLES_OK || st == PGRES_COMMAND_OK);
}

/* Runs a prepared statement inside SAVEPOINT/RELEASE in one pipeline (one round
 * trip); when any of the three fails, rolls back to the savepoint so the
 * transaction goes on without the statement. Returns the statement's result, or
 * the first error (NULL when the connection failed). */
static PGresult *exec_in_savepoint(struct pg_db *p, const struct pg_stmt *s, int n,
                                   const char *const *vals)
{
    PGresult *got[3] = {NULL, NULL, NULL}, *res = NULL, *r;
    int q, failed = 0;

    if (!PQenterPipelineMode(p->c))
        return NULL;
    if (!PQsendQueryParams(p->c, "SAVEPOINT pk_stmt", 0, NULL, NULL, NULL, NULL, 0) ||
        !PQsendQueryPrepared(p->c, s->name, n, vals, NULL, NULL, 0) ||
        !PQsendQueryParams(p->c, "RELEASE SAVEPOINT pk_stmt", 0, NULL, NULL, NULL, NULL, 0) ||
        !PQpipelineSync(p->c)) {
        PQexitPipelineMode(p->c);
        return NULL;
    }
    for (q = 0; q < 3 && PQstatus(p->c) == CONNECTION_OK; q++)
        while ((r = PQgetResult(p->c)) != NULL) {
            if (!got[q])
                got[q] = r;
            else
                PQclear(r);
            if (PQstatus(p->c) != CONNECTION_OK)
                break;
        }
    for (q = 0; q < 3; q++)
        if (!result_ok(got[q]))
            failed = 1;
    /* the statement's result, or the first real error (later ones were skipped) */
    for (q = 0; q < 3 && !res; q++)
        if (!failed ? q == 1 : (got[q] && PQresultStatus(got[q]) == PGRES_FATAL_ERROR))
            res = got[q];
    for (q = 0; q < 3; q++)
        if (got[q] != res)
            PQclear(got[q]);
    if (PQstatus(p->c) == CONNECTION_OK) {
        PQclear(PQgetResult(p->c));      /* the PGRES_PIPELINE_SYNC */
        PQexitPipelineMode(p->c);
        if (failed)
            PQclear(PQexec(p->c, "ROLLBACK TO SAVEPOINT pk_stmt; RELEASE SAVEPOINT pk_stmt"));
    }
    return res;
}

/* Prepares (or finds) sql, binds params and runs it; *out is the successful result. */
static int run_stmt(struct pg_db *p, const char *sql, const db_val *params, int nparams,
                    PGresult **out)
{
    const char *vals[PG_PARAMS_MAX];
    struct pg_stmt *s;
    PGresult *res;
    int rc, protect;

    *out = NULL;
    if (nparams > PG_PARAMS_MAX)
        return db_fail(&p->base, DB_ERR, "postgres: too many parameters");
    if ((rc = ensure(p)) != DB_OK)
        return rc;
    if ((rc = stmt_get(p, sql, &s)) != DB_OK)
        return rc;
    if (s->nparams != nparams)
        return db_fail(&p->base, DB_ERR, "postgres: statement has %d parameters, %d given",
                       s->nparams, nparams);
    if ((rc = params_text(p, params, nparams, vals)) != DB_OK)
        return rc;
    protect = p->in_txn && !p->txn_err && is_write(sql);
    if (protect)
        res = exec_in_savepoint(p, s, nparams, vals);
    else
        res = PQexecPrepared(p->c, s->name, nparams, vals, NULL, NULL, 0);
    if (result_ok(res)) {
        *out = res;
        return DB_OK;
    }
    rc = pg_fail(p, res, protect && PQstatus(p->c) == CONNECTION_OK);
    PQclear(res);
    return rc;
}

/* ---- the driver ---- */

static int pg_query(db *d, const char *sql, const db_val *params, int nparams, db_rows **out)
{
    struct pg_db *p = (struct pg_db *)d;
    struct pg_rows *r;
    PGresult *res;
    int rc = run_stmt(p, sql, params, nparams, &res);

    if (rc != DB_OK)
        return rc;
    r = calloc(1, sizeof *r);
    if (!r) {
        PQclear(res);
        return db_fail(d, DB_ERR, "out of memory");
    }
    r->base.d = d;
    r->res = res;
    r->nrows = PQntuples(res);
    r->ncols = PQnfields(res);
    r->cur = -1;
    *out = &r->base;
    return DB_OK;
}

static int pg_step(db_rows *rows)
{
    struct pg_rows *r = (struct pg_rows *)rows;

    if (r->cur < r->nrows)
        r->cur++;
    return r->cur < r->nrows ? DB_ROW : DB_DONE;
}

static int col_ok(struct pg_rows *r, int col)
{
    return r->cur >= 0 && r->cur < r->nrows && col >= 0 && col < r->ncols;
}

static int pg_isnull(db_rows *rows, int col)
{
    struct pg_rows *r = (struct pg_rows *)rows;

    return !col_ok(r, col) || PQgetisnull(r->res, r->cur, col);
}

static int64_t pg_int(db_rows *rows, int col)
{
    struct pg_rows *r = (struct pg_rows *)rows;
    const char *v;

    if (pg_isnull(rows, col))
        return 0;
    v = PQgetvalue(r->res, r->cur, col);
    if (v[0] == 't' && v[1] == '\0')
        return 1;
    if (v[0] == 'f' && v[1] == '\0')
        return 0;
    return strtoll(v, NULL, 10);
}

static const char *pg_text(db_rows *rows, int col)
{
    struct pg_rows *r = (struct pg_rows *)rows;

    return col_ok(r, col) ? PQgetvalue(r->res, r->cur, col) : "";
}

static size_t pg_len(db_rows *rows, int col)
{
    struct pg_rows *r = (struct pg_rows *)rows;

    return col_ok(r, col) ? (size_t)PQgetlength(r->res, r->cur, col) : 0;
}

static void pg_rows_free(db_rows *rows)
{
    struct pg_rows *r = (struct pg_rows *)rows;

    PQclear(r->res);
    free(r);
}

static int pg_run(db *d, const char *sql, const db_val *params, int nparams, int64_t *changes)
{
    struct pg_db *p = (struct pg_db *)d;
    PGresult *res;
    int rc = run_stmt(p, sql, params, nparams, &res);

    if (rc != DB_OK)
        return rc;
    if (changes) {
        const char *n = PQcmdTuples(res);
        *changes = *n ? strtoll(n, NULL, 10) : 0;
    }
    PQclear(res);
    return DB_OK;
}

static int pg_exec(db *d, const char *sql)
{
    struct pg_db *p = (struct pg_db *)d;
    PGresult *res;
    ExecStatusType st;
    int rc;

    if ((rc = ensure(p)) != DB_OK)
        return rc;
    res = PQexec(p->c, sql);
    st = PQresultStatus(res);
    if (res && (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK || st == PGRES_EMPTY_QUERY)) {
        PQclear(res);
        return DB_OK;
    }
    rc = pg_fail(p, res, 0);
    PQclear(res);
    return rc;
}

static int pg_begin(db *d, int read_only)
{
    struct pg_db *p = (struct pg_db *)d;
    int rc;

    if ((rc = ensure(p)) != DB_OK)
        return rc;
    p->txn_err = 0;
    p->txn_msg[0] = '\0';
    rc = pg_exec(d, read_only ? "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
                              : "BEGIN ISOLATION LEVEL SERIALIZABLE");
    if (rc == DB_OK)
        p->in_txn = 1;
    return rc;
}

static int pg_commit(db *d)
{
    struct pg_db *p = (struct pg_db *)d;
    PGresult *res;
    int rc;

    if (p->txn_err)
        return db_fail(d, p->txn_err, "postgres: transaction aborted by an earlier error: %s",
                       p->txn_msg);
    res = PQexec(p->c, "COMMIT");
    if (PQresultStatus(res) != PGRES_COMMAND_OK) {
        rc = pg_fail(p, res, 1);
        PQclear(res);
        return rc;                   /* db.c rolls back */
    }
    if (strcmp(PQcmdStatus(res), "COMMIT") != 0) {
        PQclear(res);
        p->in_txn = 0;
        return db_fail(d, DB_ERR, "postgres: the server rolled the transaction back");
    }
    PQclear(res);
    p->in_txn = 0;
    return DB_OK;
}

static int pg_rollback(db *d)
{
    struct pg_db *p = (struct pg_db *)d;
    int rc = DB_OK;

    p->in_txn = 0;
    p->txn_err = 0;
    if (PQstatus(p->c) == CONNECTION_OK && PQtransactionStatus(p->c) != PQTRANS_IDLE)
        rc = pg_exec(d, "ROLLBACK");
    return rc;
}

/* ---- COPY ---- */

static int copy_flush(struct pg_copy *c)
{
    struct pg_db *p = (struct pg_db *)c->base.d;

    if (c->len == 0)
        return DB_OK;
    if (PQputCopyData(p->c, c->buf, (int)c->len) != 1)
        return pg_fail(p, NULL, 0);
    c->len = 0;
    return DB_OK;
}

/* Appends n raw bytes (at most 2) to the buffer, flushing it when full. */
static int copy_raw(struct pg_copy *c, const char *s, size_t n)
{
    int rc;

    if (c->len + n > PG_COPY_CHUNK && (rc = copy_flush(c)) != DB_OK)
        return rc;
    memcpy(c->buf + c->len, s, n);
    c->len += n;
    return DB_OK;
}

/* Appends s[0..n) escaped for COPY text format. */
static int copy_text(struct pg_copy *c, const char *s, size_t n)
{
    size_t i;
    int rc = DB_OK;

    for (i = 0; i < n && rc == DB_OK; i++) {
        switch (s[i]) {
        case '\\': rc = copy_raw(c, "\\\\", 2); break;
        case '\n': rc = copy_raw(c, "\\n", 2); break;
        case '\r': rc = copy_raw(c, "\\r", 2); break;
        case '\t': rc = copy_raw(c, "\\t", 2); break;
        default: rc = copy_raw(c, &s[i], 1); break;
        }
    }
    return rc;
}

static int pg_copy_begin(db *d, const char *table, const char *collist, int ncols,
                         db_copy **out)
{
    struct pg_db *p = (struct pg_db *)d;
    struct pg_copy *c;
    char sql[DB_ERRMSG_MAX * 10];
    PGresult *res;
    int rc;

    if ((rc = ensure(p)) != DB_OK)
        return rc;
    if (p->in_txn && p->txn_err)
        return db_fail(d, p->txn_err, "postgres: transaction aborted by an earlier error: %s",
                       p->txn_msg);
    c = calloc(1, sizeof *c);
    if (!c || !(c->buf = malloc(PG_COPY_CHUNK))) {
        free(c);
        return db_fail(d, DB_ERR, "out of memory");
    }
    if (p->in_txn) {
        if ((rc = pg_exec(d, "SAVEPOINT pk_copy")) != DB_OK)
            goto fail;
        c->savepoint = 1;
    }
    snprintf(sql, sizeof sql, "COPY %s (%s) FROM STDIN", table, collist);
    res = PQexec(p->c, sql);
    if (PQresultStatus(res) != PGRES_COPY_IN) {
        rc = pg_fail(p, res, c->savepoint);
        PQclear(res);
        if (c->savepoint && PQstatus(p->c) == CONNECTION_OK)
            PQclear(PQexec(p->c, "ROLLBACK TO SAVEPOINT pk_copy; RELEASE SAVEPOINT pk_copy"));
        goto fail;
    }
    PQclear(res);
    *out = &c->base;
    return DB_OK;
fail:
    free(c->buf);
    free(c);
    return rc;
}

static int pg_copy_row(db_copy *cp, const db_val *vals)
{
    struct pg_copy *c = (struct pg_copy *)cp;
    int i, rc = DB_OK;

    for (i = 0; i < cp->ncols && rc == DB_OK; i++) {
        const db_val *v = &vals[i];
        char num[24];

        if (i > 0 && (rc = copy_raw(c, "\t", 1)) != DB_OK)
            break;
        if (v->type == DB_T_INT) {
            int n = snprintf(num, sizeof num, "%lld", (long long)v->i);
            rc = copy_text(c, num, (size_t)n);
        } else if (v->type == DB_T_TEXT && v->s) {
            rc = copy_text(c, v->s, v->n == (size_t)-1 ? strlen(v->s) : v->n);
        } else {
            rc = copy_raw(c, "\\N", 2);
        }
    }
    if (rc == DB_OK)
        rc = copy_raw(c, "\n", 1);
    return rc;
}

static int pg_copy_end(db_copy *cp, int commit, int64_t *rows_out)
{
    struct pg_copy *c = (struct pg_copy *)cp;
    struct pg_db *p = (struct pg_db *)cp->d;
    int keep = commit && !cp->failed, rc = DB_OK, ok = 0;
    PGresult *res;

    if (keep)
        rc = copy_flush(c);
    if (PQstatus(p->c) == CONNECTION_OK &&
        PQputCopyEnd(p->c, keep && rc == DB_OK ? NULL : "copy discarded by the caller") == 1) {
        while ((res = PQgetResult(p->c)) != NULL) {
            if (PQresultStatus(res) == PGRES_COMMAND_OK) {
                ok = 1;
                if (rows_out)
                    *rows_out = strtoll(PQcmdTuples(res), NULL, 10);
            } else if (keep && rc == DB_OK) {
                rc = pg_fail(p, res, c->savepoint);
            }
            PQclear(res);
        }
    } else if (rc == DB_OK) {
        rc = pg_fail(p, NULL, 0);
    }
    if (keep && rc == DB_OK && !ok)
        rc = db_fail(cp->d, DB_ERR, "postgres: COPY did not complete");
    if (!keep && rows_out)
        *rows_out = 0;
    if (c->savepoint && PQstatus(p->c) == CONNECTION_OK) {
        if (keep && rc == DB_OK) {
            res = PQexec(p->c, "RELEASE SAVEPOINT pk_copy");
            if (PQresultStatus(res) != PGRES_COMMAND_OK)
                rc = pg_fail(p, res, 0);
            PQclear(res);
        } else {
            PQclear(PQexec(p->c, "ROLLBACK TO SAVEPOINT pk_copy; RELEASE SAVEPOINT pk_copy"));
        }
    }
    free(c->buf);
    free(c);
    return rc;
}

/* ---- open / close ---- */

/* Server notices ("relation already exists, skipping") are not errors: dropped. */
static void ignore_notice(void *arg, const char *msg)
{
    (void)arg;
    (void)msg;
}

static void pg_close(db *d)
{
    struct pg_db *p = (struct pg_db *)d;

    cache_clear(p);
    PQfinish(p->c);
    free(p->scratch);
    free(p);
}

static int pg_open(const char *addr, db **out, char *err, size_t errlen)
{
    /* Earlier keywords are defaults: the URL (expanded from dbname) overrides them. */
    const char *keys[] = {"connect_timeout", "application_name", "dbname", "client_encoding",
                          NULL};
    const char *vals[] = {"10", "prakerja", addr, "UTF8", NULL};
    struct pg_db *p;
    char line[400];

    p = calloc(1, sizeof *p);
    if (!p) {
        snprintf(err, errlen, "out of memory");
        return DB_ERR;
    }
    p->base.drv = &db_pg_driver;
    p->c = PQconnectdbParams(keys, vals, 1);
    if (!p->c) {
        free(p);
        snprintf(err, errlen, "postgres: out of memory");
        return DB_ERR;
    }
    if (PQstatus(p->c) != CONNECTION_OK) {
        first_line(line, sizeof line, PQerrorMessage(p->c));
        snprintf(err, errlen, "postgres: cannot connect: %s", line);
        pg_close(&p->base);
        return DB_EUNAVAILABLE;
    }
    if (check_server(p, err, errlen) != DB_OK) {
        pg_close(&p->base);
        return DB_ERR;
    }
    PQsetNoticeProcessor(p->c, ignore_notice, NULL);
    *out = &p->base;
    return DB_OK;
}

const struct db_driver db_pg_driver = {
    .engine = DB_PG,
    .id_type = "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
    .table_exists_sql = "SELECT COUNT(*) FROM pg_catalog.pg_tables "
                        "WHERE schemaname = current_schema() AND tablename = $1",
    .open = pg_open,
    .close = pg_close,
    .exec = pg_exec,
    .query = pg_query,
    .step = pg_step,
    .isnull = pg_isnull,
    .get_int = pg_int,
    .get_text = pg_text,
    .get_len = pg_len,
    .rows_free = pg_rows_free,
    .run = pg_run,
    .begin = pg_begin,
    .commit = pg_commit,
    .rollback = pg_rollback,
    .copy_begin = pg_copy_begin,
    .copy_row = pg_copy_row,
    .copy_end = pg_copy_end,
};
