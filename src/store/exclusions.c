/*
 * exclusions (store): see exclusions.h.
 *
 * An import runs in two phases. Reading: the file is fed to libcsv one physical
 * line at a time by store/csvread.h (so each record is known by its line number,
 * and a field is capped at 64 KiB); each `nik` cell, trimmed of
 * surrounding blanks, must be 16 digits, and its blind index is kept as 16 raw
 * bytes in one growing array: a million NIKs take 16 MB. The array is then
 * sorted, which drops duplicates in one pass and hands both engines their keys
 * in index order. Writing: one db_txn upserts the list row, deletes the old
 * entries and bulk-loads the new ones with db_copy (on PostgreSQL through a
 * temporary table, see copy_via_stage), then records the count; any failure rolls all of it back, so the old list stays
 * whole. Nothing is read from the file inside the transaction, so a retried
 * transaction (db_txn on a conflict) writes the same rows again.
 */
#include "store/exclusions.h"

#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "core/nik.h"
#include "core/text.h"
#include "store/csvread.h"
#include "util/str.h"

#define EXCL_BIDX_BYTES (PII_BIDX_LEN / 2)
#define EXCL_CELL_MAX 64                 /* a longer nik cell is simply not a NIK */
#define EXCL_CHUNK (1 << 20)
#define EXCL_MAX_COLS 256
#define EXCL_PROGRESS_EVERY 20000
#define EXCL_PG_BATCH 100000

int exclusions_code_valid(const char *code)
{
    size_t n;

    if (!code)
        return 0;
    n = strlen(code);
    if (n < 2 || n > EXCLUSION_CODE_MAX)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = code[i];
        int alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
        if (!alnum && !(i > 0 && (c == '-' || c == '_')))
            return 0;
    }
    return 1;
}

int exclusions_name_valid(const char *name)
{
    size_t i = 0, n;

    if (!name)
        return 0;
    n = strlen(name);
    if (n < 1 || n > EXCLUSION_NAME_MAX)
        return 0;
    while (i < n) {
        uint32_t cp;
        int k = text_utf8_decode(name + i, n - i, &cp);
        if (k == 0 || cp < 0x20 || (cp >= 0x7f && cp < 0xa0))
            return 0;                   /* not UTF-8, or a C0/C1 control or DEL */
        i += (size_t)k;
    }
    return 1;
}

/* ---- reading ---- */

struct reader {
    struct csvread csv;
    const struct pii_keys *keys;
    const struct exclusions_import_opts *o;
    long rec_line, total_lines;
    int header_done;
    int nik_col;                         /* -1 until the header names it */
    int field;
    char cell[EXCL_CELL_MAX + 1];
    size_t cell_len;
    int cell_seen, cell_too_long;
    long data_lines;
    long rejected;
    unsigned char *keys_buf;             /* n * EXCL_BIDX_BYTES */
    size_t n, cap;
};

static void on_field(void *s, size_t len, void *data)
{
    struct reader *r = data;
    const char *c = s;

    if (r->csv.failed)
        return;
    if (r->field == 0)
        r->rec_line = r->csv.line;
    if (!r->header_done) {
        if (r->field == 0 && len >= 3 && memcmp(c, "\xef\xbb\xbf", 3) == 0) {
            c += 3;
            len -= 3;
        }
        while (len > 0 && (*c == ' ' || *c == '\t')) {
            c++;
            len--;
        }
        while (len > 0 && (c[len - 1] == ' ' || c[len - 1] == '\t'))
            len--;
        if (len == 3 && strncasecmp(c, "nik", 3) == 0) {
            if (r->nik_col >= 0)
                csvread_fail(&r->csv, r->csv.line, "column nik appears twice in the header");
            else if (r->field < EXCL_MAX_COLS)
                r->nik_col = r->field;
        }
        r->field++;
        return;
    }
    if (r->field++ != r->nik_col)
        return;
    r->cell_seen = 1;
    while (len > 0 && (*c == ' ' || *c == '\t')) {
        c++;
        len--;
    }
    while (len > 0 && (c[len - 1] == ' ' || c[len - 1] == '\t'))
        len--;
    if (len > EXCL_CELL_MAX) {
        r->cell_too_long = 1;
        return;
    }
    memcpy(r->cell, c, len);
    r->cell[len] = '\0';
    r->cell_len = len;
}

static void reject(struct reader *r, const char *why)
{
    r->rejected++;
    if (r->o->reject)
        r->o->reject(r->o->ctx, r->rec_line, why);
}

static void take(struct reader *r)
{
    char hex[PII_BIDX_LEN + 1];

    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 4096;
        unsigned char *p = realloc(r->keys_buf, cap * EXCL_BIDX_BYTES);
        if (!p) {
            csvread_fail(&r->csv, 0, "out of memory");
            return;
        }
        r->keys_buf = p;
        r->cap = cap;
    }
    pii_blind_index(r->keys, "nik", r->cell, hex);
    if (sodium_hex2bin(r->keys_buf + r->n * EXCL_BIDX_BYTES, EXCL_BIDX_BYTES, hex,
                       PII_BIDX_LEN, NULL, NULL, NULL) != 0) {
        csvread_fail(&r->csv, 0, "blind index failed");
        return;
    }
    r->n++;
}

static void on_record(int term, void *data)
{
    struct reader *r = data;
    (void)term;

    if (r->csv.failed || r->field == 0)
        return;
    if (!r->header_done) {
        r->header_done = 1;
        r->field = 0;
        if (r->nik_col < 0)
            csvread_fail(&r->csv, r->rec_line, "the header row has no column nik");
        return;
    }
    r->data_lines++;
    if (!r->cell_seen || r->cell_len == 0)
        reject(r, "nik is missing");
    else if (r->cell_too_long || !nik_shape_ok(r->cell, r->cell_len))
        reject(r, "nik is not 16 digits");
    else
        take(r);
    sodium_memzero(r->cell, sizeof r->cell);
    r->cell_len = 0;
    r->cell_seen = 0;
    r->cell_too_long = 0;
    r->field = 0;
    if (r->o->progress && r->data_lines % EXCL_PROGRESS_EVERY == 0)
        r->o->progress(r->o->ctx, "read", r->data_lines, r->total_lines);
}

/* Lines in f (a last line without a newline counts), less the header; f is
 * rewound. -1 when out of memory. */
static long count_lines(FILE *f)
{
    char *chunk = malloc(EXCL_CHUNK);
    long n = 0;
    size_t got;
    int last = '\n';

    if (!chunk)
        return -1;
    while ((got = fread(chunk, 1, EXCL_CHUNK, f)) > 0) {
        for (char *p = chunk, *e = chunk + got; (p = memchr(p, '\n', (size_t)(e - p))); p++)
            n++;
        last = chunk[got - 1];
    }
    if (last != '\n')
        n++;
    free(chunk);
    rewind(f);
    return n > 0 ? n - 1 : 0;
}

static int read_file(struct reader *r, const char *path)
{
    struct stat st;
    FILE *f;

    f = fopen(path, "rb");
    if (!f) {
        snprintf(r->csv.err, r->csv.errlen, "cannot open %s: %s", path, strerror(errno));
        return -1;
    }
    if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
        snprintf(r->csv.err, r->csv.errlen, "%s is not a regular file", path);
        fclose(f);
        return -1;
    }
    r->total_lines = count_lines(f);
    if (r->total_lines < 0)
        csvread_fail(&r->csv, 0, "out of memory");
    else if (csvread_file(&r->csv, f, on_field, on_record, r) == 0 && !r->header_done)
        csvread_fail(&r->csv, 0, "the file is empty (no header row with a nik column)");
    if (!r->csv.failed && r->o->progress)
        r->o->progress(r->o->ctx, "read", r->data_lines, r->total_lines);
    fclose(f);
    return r->csv.failed ? -1 : 0;
}

static int key_cmp(const void *a, const void *b)
{
    return memcmp(a, b, EXCL_BIDX_BYTES);
}

/* Sorts the keys and drops repeats; returns how many were dropped. */
static size_t sort_unique(unsigned char *k, size_t *n)
{
    size_t w = 0;

    if (*n == 0)
        return 0;
    qsort(k, *n, EXCL_BIDX_BYTES, key_cmp);
    for (size_t i = 1; i < *n; i++)
        if (memcmp(k + i * EXCL_BIDX_BYTES, k + w * EXCL_BIDX_BYTES, EXCL_BIDX_BYTES) != 0) {
            w++;
            if (w != i)
                memcpy(k + w * EXCL_BIDX_BYTES, k + i * EXCL_BIDX_BYTES, EXCL_BIDX_BYTES);
        }
    w++;
    {
        size_t dropped = *n - w;
        *n = w;
        return dropped;
    }
}

/* ---- writing ---- */

struct write_ctx {
    const struct exclusions_import_opts *o;
    const char *name;
    const unsigned char *keys;
    size_t n;
    int replaced;
};

static const char *const entry_cols[] = {"list_id", "nik_bidx"};
static const char *const stage_cols[] = {"n", "nik_bidx"};

/* SQLite: the sorted keys straight into exclusion_entries. */
static int copy_direct(db *d, struct write_ctx *w, int64_t list_id)
{
    const struct exclusions_import_opts *o = w->o;
    db_copy *c = NULL;
    int rc = db_copy_begin(d, "exclusion_entries", entry_cols, 2, &c);

    if (rc != DB_OK)
        return rc;
    for (size_t i = 0; i < w->n; i++) {
        char hex[PII_BIDX_LEN + 1];
        db_val v[2];
        sodium_bin2hex(hex, sizeof hex, w->keys + i * EXCL_BIDX_BYTES, EXCL_BIDX_BYTES);
        v[0] = DB_INT(list_id);
        v[1] = DB_TEXTN(hex, PII_BIDX_LEN);
        rc = db_copy_row(c, v);
        if (rc != DB_OK) {
            db_copy_end(c, 0, NULL);
            return rc;
        }
        if (o->progress && (i + 1) % EXCL_PROGRESS_EVERY == 0)
            o->progress(o->ctx, "write", (long)(i + 1), (long)w->n);
    }
    return db_copy_end(c, 1, NULL);
}

/* PostgreSQL: COPY into exclusion_entries checks the foreign key row by row
 * and, in a SERIALIZABLE transaction, costs about 31 s for a million rows; a
 * COPY into a bare temporary table followed by INSERT ... SELECT takes about
 * 19 s (measured on PostgreSQL 15). The INSERT goes in batches of
 * EXCL_PG_BATCH so the progress bar moves. The table is dropped at commit, and
 * with the rest on a rollback. */
static int copy_via_stage(db *d, struct write_ctx *w, int64_t list_id)
{
    const struct exclusions_import_opts *o = w->o;
    db_copy *c = NULL;
    int rc;

    rc = db_exec(d, "CREATE TEMPORARY TABLE exclusion_stage (n BIGINT NOT NULL, "
                    "nik_bidx TEXT NOT NULL) ON COMMIT DROP");
    if (rc != DB_OK)
        return rc;
    rc = db_copy_begin(d, "exclusion_stage", stage_cols, 2, &c);
    if (rc != DB_OK)
        return rc;
    for (size_t i = 0; i < w->n; i++) {
        char hex[PII_BIDX_LEN + 1];
        db_val v[2];
        sodium_bin2hex(hex, sizeof hex, w->keys + i * EXCL_BIDX_BYTES, EXCL_BIDX_BYTES);
        v[0] = DB_INT((int64_t)i);
        v[1] = DB_TEXTN(hex, PII_BIDX_LEN);
        if ((rc = db_copy_row(c, v)) != DB_OK) {
            db_copy_end(c, 0, NULL);
            return rc;
        }
    }
    if ((rc = db_copy_end(c, 1, NULL)) != DB_OK)
        return rc;
    for (size_t lo = 0; lo < w->n; lo += EXCL_PG_BATCH) {
        size_t hi = lo + EXCL_PG_BATCH < w->n ? lo + EXCL_PG_BATCH : w->n;
        db_val p[3] = {DB_INT(list_id), DB_INT((int64_t)lo), DB_INT((int64_t)hi)};
        rc = db_run(d, "INSERT INTO exclusion_entries (list_id, nik_bidx) SELECT $1, nik_bidx "
                       "FROM exclusion_stage WHERE n >= $2 AND n < $3", p, 3, NULL);
        if (rc != DB_OK)
            return rc;
        if (o->progress)
            o->progress(o->ctx, "write", (long)hi, (long)w->n);
    }
    return DB_OK;
}

static int write_txn(db *d, void *vctx)
{
    struct write_ctx *w = vctx;
    const struct exclusions_import_opts *o = w->o;
    int64_t list_id = 0, old = 0;
    int rc;

    {
        db_val p[1] = {DB_TEXT(o->code)};
        rc = db_one_int(d, "SELECT COUNT(*) FROM exclusion_lists WHERE code = $1", p, 1, &old);
        if (rc != DB_OK)
            return rc;
        w->replaced = old > 0;
    }
    {
        db_val p[4] = {DB_TEXT(o->code), DB_TEXT(w->name), DB_INT(o->aid ? 1 : 0),
                       DB_INT(o->now)};
        rc = db_one_int(d, "INSERT INTO exclusion_lists (code, name, aid, entries, imported_at) "
                           "VALUES ($1, $2, $3, 0, $4) ON CONFLICT (code) DO UPDATE SET "
                           "name = excluded.name, aid = excluded.aid, entries = 0, "
                           "imported_at = excluded.imported_at RETURNING id",
                        p, 4, &list_id);
        if (rc != DB_OK)
            return rc;
    }
    if (w->replaced) {
        db_val p[1] = {DB_INT(list_id)};
        rc = db_run(d, "DELETE FROM exclusion_entries WHERE list_id = $1", p, 1, NULL);
        if (rc != DB_OK)
            return rc;
    }
    rc = db_engine(d) == DB_PG ? copy_via_stage(d, w, list_id) : copy_direct(d, w, list_id);
    if (rc != DB_OK)
        return rc;
    if (o->progress)
        o->progress(o->ctx, "write", (long)w->n, (long)w->n);
    {
        db_val p[2] = {DB_INT((int64_t)w->n), DB_INT(list_id)};
        return db_run(d, "UPDATE exclusion_lists SET entries = $1 WHERE id = $2", p, 2, NULL);
    }
}

int exclusions_import(db *d, const struct pii_keys *keys, const char *path,
                      const struct exclusions_import_opts *o,
                      struct exclusions_import_stats *st, char *err, size_t errlen)
{
    struct reader *r;
    struct write_ctx w;
    int rc;

    memset(st, 0, sizeof *st);
    if (errlen > 0)
        err[0] = '\0';
    if (!exclusions_code_valid(o->code)) {
        snprintf(err, errlen, "a list code is 2 to %d characters a-z, 0-9, - and _, "
                              "starting with a letter or digit", EXCLUSION_CODE_MAX);
        st->file_error = 1;
        return DB_ERR;
    }
    if (o->name && !exclusions_name_valid(o->name)) {
        snprintf(err, errlen, "a list name is 1 to %d bytes of UTF-8 text without control "
                              "characters", EXCLUSION_NAME_MAX);
        st->file_error = 1;
        return DB_ERR;
    }
    r = calloc(1, sizeof *r);
    if (!r) {
        snprintf(err, errlen, "out of memory");
        return DB_ERR;
    }
    r->csv.err = err;
    r->csv.errlen = errlen;
    r->keys = keys;
    r->o = o;
    r->nik_col = -1;
    if (read_file(r, path) != 0) {
        st->rejected = r->rejected;
        st->file_error = 1;
        rc = DB_ERR;
        goto out;
    }
    st->rejected = r->rejected;
    if (r->data_lines > 0 && r->n == 0) {
        snprintf(err, errlen, "%s has no valid NIK (all %ld lines rejected); the list is "
                              "unchanged", path, r->data_lines);
        st->file_error = 1;
        rc = DB_ERR;
        goto out;
    }
    st->duplicates = (long)sort_unique(r->keys_buf, &r->n);
    w = (struct write_ctx){.o = o, .name = o->name ? o->name : o->code, .keys = r->keys_buf,
                           .n = r->n};
    rc = db_txn(d, write_txn, &w);
    if (rc != DB_OK) {
        snprintf(err, errlen, "cannot write the list: %s", db_errmsg(d));
        goto out;
    }
    st->taken = (long)r->n;
    st->replaced = w.replaced;
out:
    if (r->keys_buf)
        sodium_memzero(r->keys_buf, r->cap * EXCL_BIDX_BYTES);
    free(r->keys_buf);
    free(r);
    return rc;
}

/* ---- reading lists ---- */

#define LIST_COLS "id, code, name, aid, entries, imported_at"

static void read_list(db_rows *r, struct exclusion_list *out)
{
    out->id = db_int(r, 0);
    str_copyn(out->code, sizeof out->code, db_text(r, 1), db_len(r, 1));
    str_copyn(out->name, sizeof out->name, db_text(r, 2), db_len(r, 2));
    out->aid = db_int(r, 3) != 0;
    out->entries = db_int(r, 4);
    out->imported_at = db_int(r, 5);
}

int exclusions_list(db *d, struct exclusion_list **out, int *n)
{
    struct exclusion_list *v = NULL;
    db_rows *r = NULL;
    int cap = 0, got = 0, rc;

    *out = NULL;
    *n = 0;
    rc = db_query(d, "SELECT " LIST_COLS " FROM exclusion_lists ORDER BY code", NULL, 0, &r);
    if (rc != DB_OK)
        return rc;
    while ((rc = db_step(r)) == DB_ROW) {
        if (got == cap) {
            struct exclusion_list *nv;
            cap = cap ? cap * 2 : 16;
            nv = realloc(v, (size_t)cap * sizeof *v);
            if (!nv) {
                rc = DB_ERR;
                break;
            }
            v = nv;
        }
        read_list(r, &v[got++]);
    }
    db_rows_free(r);
    if (rc != DB_DONE) {
        free(v);
        return rc;
    }
    *out = v;
    *n = got;
    return DB_OK;
}

int exclusions_get(db *d, const char *code, struct exclusion_list *out)
{
    db_val p[1] = {DB_TEXT(code)};
    db_rows *r = NULL;
    int rc;

    memset(out, 0, sizeof *out);
    if (!exclusions_code_valid(code))
        return DB_ENOTFOUND;
    rc = db_query(d, "SELECT " LIST_COLS " FROM exclusion_lists WHERE code = $1", p, 1, &r);
    if (rc != DB_OK)
        return rc;
    rc = db_step(r);
    if (rc == DB_ROW) {
        read_list(r, out);
        rc = DB_OK;
    } else if (rc == DB_DONE) {
        rc = DB_ENOTFOUND;
    }
    db_rows_free(r);
    return rc;
}

int exclusions_lookup(db *d, const char *nik_bidx, int *on_aid, int *on_other)
{
    db_val p[1] = {DB_TEXT(nik_bidx)};
    db_rows *r = NULL;
    int aid = 0, other = 0, rc;

    if (on_aid)
        *on_aid = 0;
    if (on_other)
        *on_other = 0;
    if (!nik_bidx || !*nik_bidx)
        return DB_OK;
    rc = db_query(d, "SELECT DISTINCT l.aid FROM exclusion_entries e "
                     "JOIN exclusion_lists l ON l.id = e.list_id WHERE e.nik_bidx = $1",
                  p, 1, &r);
    if (rc != DB_OK)
        return rc;
    while ((rc = db_step(r)) == DB_ROW) {
        if (db_int(r, 0))
            aid = 1;
        else
            other = 1;
    }
    db_rows_free(r);
    if (rc != DB_DONE)
        return rc;
    if (on_aid)
        *on_aid = aid;
    if (on_other)
        *on_other = other;
    return DB_OK;
}

int exclusions_on_aid_list(db *d, const char *nik_bidx, int *on)
{
    return exclusions_lookup(d, nik_bidx, on, NULL);
}

int exclusions_on_other_list(db *d, const char *nik_bidx, int *on)
{
    return exclusions_lookup(d, nik_bidx, NULL, on);
}
