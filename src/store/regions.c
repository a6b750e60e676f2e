/*
 * regions: the region reference table (src/store/regions.h).
 *
 * The import streams each CSV file through libcsv one line at a time, so every
 * row is known by its line number, and checks each row before it is written: the
 * column count of the file, a code of the level's exact shape (NN, NN.NN,
 * NN.NN.NN, NN.NN.NN.NNNN), a parent equal to the code's prefix, a name of
 * printable bytes that fits struct region. Checked rows are bulk-loaded with
 * db_copy (COPY on PostgreSQL): straight into an empty regions table, or else into
 * a temporary staging table that is then upserted into regions with one INSERT ...
 * SELECT ... ON CONFLICT; all inside one db_txn: a bad row anywhere leaves the
 * table as it was, a code given twice is refused, and a second import of the same
 * files changes nothing (rows that accounts refer to are updated in place, never
 * deleted).
 */
#include "store/regions.h"

#include <csv.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/str.h"

#define REGIONS_FILE_MAX (256L * 1024 * 1024)
#define REGIONS_PROGRESS_EVERY 5000
#define REGIONS_COLS_MAX 3

static const char *const level_names[] = {NULL, "province", "regency", "district", "village"};
static const char *const level_files[] = {NULL, "provinces.csv", "regencies.csv",
                                          "districts.csv", "villages.csv"};

int regions_level_parse(const char *s)
{
    int l;

    if (!s)
        return 0;
    for (l = REGION_PROVINCE; l <= REGION_VILLAGE; l++)
        if (strcmp(s, level_names[l]) == 0)
            return l;
    return 0;
}

const char *regions_level_name(int level)
{
    return level >= REGION_PROVINCE && level <= REGION_VILLAGE ? level_names[level] : NULL;
}

/* The level a code's shape belongs to, or 0; *digits gets the code without dots. */
static int code_shape(const char *code, int64_t *digits)
{
    static const int groups[] = {2, 2, 2, 4};
    const char *p = code;
    int64_t v = 0;
    int g, i;

    for (g = 0; g < 4; g++) {
        if (g > 0) {
            if (*p == '\0')
                break;
            if (*p++ != '.')
                return 0;
        }
        for (i = 0; i < groups[g]; i++, p++) {
            if (*p < '0' || *p > '9')
                return 0;
            v = v * 10 + (*p - '0');
        }
    }
    if (*p != '\0')
        return 0;
    if (digits)
        *digits = v;
    return g;
}

struct import {
    db *d;
    const char *dir;
    regions_progress_fn progress;
    void *pctx;
    long *counts;
    char *err;
    size_t errlen;
    /* the file being read */
    int level;
    int ncols;
    long line;
    long total;
    int nfields;
    int failed;                    /* a DB_E* or DB_ERR once a row is refused */
    db_copy *copy;                 /* into regions_stage */
    char field[REGIONS_COLS_MAX][128];
};

static void import_fail(struct import *im, int status, const char *why)
{
    if (im->failed)
        return;
    im->failed = status;
    snprintf(im->err, im->errlen, "%s line %ld: %s", level_files[im->level], im->line, why);
}

static void on_field(void *s, size_t len, void *data)
{
    struct import *im = data;

    if (im->failed)
        return;
    if (im->nfields >= im->ncols) {
        im->nfields++;
        return;
    }
    if (len >= sizeof im->field[0]) {
        import_fail(im, DB_ERR, "field too long");
        return;
    }
    memcpy(im->field[im->nfields], s, len);
    im->field[im->nfields][len] = '\0';
    im->nfields++;
}

static int printable(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            return 0;
    return 1;
}

static void on_row(int c, void *data)
{
    struct import *im = data;
    const char *code, *parent, *name;
    char want_parent[16];
    int64_t digits = 0;
    int nf = im->nfields, rc;

    im->nfields = 0;
    if (im->failed)
        return;
    if (nf != im->ncols) {
        char why[64];
        snprintf(why, sizeof why, "%d columns, want %d", nf, im->ncols);
        import_fail(im, DB_ERR, why);
        return;
    }
    code = im->field[0];
    if (im->line == 1) {
        if (strcmp(code, "code") != 0)
            import_fail(im, DB_ERR, "no header row (want code,...)");
        return;
    }
    parent = im->ncols == 3 ? im->field[1] : NULL;
    name = im->field[im->ncols - 1];
    if (code_shape(code, &digits) != im->level) {
        import_fail(im, DB_ERR, "malformed code");
        return;
    }
    if (parent) {
        size_t plen = (size_t)(strrchr(code, '.') - code);
        memcpy(want_parent, code, plen);
        want_parent[plen] = '\0';
        if (strcmp(parent, want_parent) != 0) {
            import_fail(im, DB_ERR, "parent code does not match the code");
            return;
        }
    }
    if (!*name || !printable(name)) {
        import_fail(im, DB_ERR, "empty or unprintable name");
        return;
    }
    {
        db_val p[5] = {DB_TEXT(code), DB_INT(im->level), DB_TEXT(parent), DB_TEXT(name),
                       DB_INT(digits)};
        rc = db_copy_row(im->copy, p);
    }
    if (rc == DB_ECONSTRAINT) {          /* SQLite checks the key row by row */
        char why[200];
        snprintf(why, sizeof why, "region code %s is given more than once", code);
        import_fail(im, rc, why);
        return;
    }
    if (rc != DB_OK) {
        import_fail(im, rc, db_errmsg(im->d));
        return;
    }
    im->counts[im->level - 1]++;
    if (im->progress && im->counts[im->level - 1] % REGIONS_PROGRESS_EVERY == 0)
        im->progress(im->pctx, level_files[im->level], im->counts[im->level - 1], im->total);
}

/* Counts data lines (all lines but the header) for progress reports. */
static long count_lines(FILE *f)
{
    char buf[65536];
    size_t n, i;
    long lines = 0;
    int last = '\n';

    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        for (i = 0; i < n; i++) {
            if (buf[i] == '\n')
                lines++;
            last = buf[i];
        }
    if (last != '\n')
        lines++;
    rewind(f);
    return lines > 0 ? lines - 1 : 0;
}

static int import_file(struct import *im, int level)
{
    struct csv_parser p;
    char path[4096], buf[65536];
    struct stat st;
    FILE *f = NULL;
    size_t n, carry = 0;
    int rc = DB_ERR, parser = 0;

    im->level = level;
    im->ncols = level == REGION_PROVINCE ? 2 : 3;
    im->line = 0;
    im->nfields = 0;
    if ((size_t)snprintf(path, sizeof path, "%s/%s", im->dir, level_files[level]) >= sizeof path) {
        snprintf(im->err, im->errlen, "region folder path too long");
        goto out;
    }
    f = fopen(path, "rb");
    if (!f) {
        snprintf(im->err, im->errlen, "cannot open %s: %s", path, strerror(errno));
        goto out;
    }
    if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > REGIONS_FILE_MAX) {
        snprintf(im->err, im->errlen, "%s is not a regular file of at most %ld bytes",
                 path, REGIONS_FILE_MAX);
        goto out;
    }
    im->total = count_lines(f);
    if (csv_init(&p, CSV_APPEND_NULL) != 0) {
        snprintf(im->err, im->errlen, "out of memory");
        goto out;
    }
    parser = 1;
    /* Feed whole lines so the callbacks know the line number; a partial last line
     * is carried to the front of the buffer. */
    while ((n = fread(buf + carry, 1, sizeof buf - carry, f)) > 0 || carry > 0) {
        size_t len = carry + n, start = 0, i;
        int eof = n == 0;

        for (i = 0; i < len && !im->failed; i++) {
            if (buf[i] != '\n')
                continue;
            im->line++;
            if (csv_parse(&p, buf + start, i + 1 - start, on_field, on_row, im) != i + 1 - start)
                import_fail(im, DB_ERR, csv_strerror(csv_error(&p)));
            start = i + 1;
        }
        if (im->failed)
            break;
        carry = len - start;
        if (eof || carry == sizeof buf) {
            im->line++;
            if (csv_parse(&p, buf + start, carry, on_field, on_row, im) != carry)
                import_fail(im, DB_ERR, csv_strerror(csv_error(&p)));
            carry = 0;
            if (eof)
                break;
            im->line--;
            continue;
        }
        memmove(buf, buf + start, carry);
    }
    if (ferror(f)) {
        snprintf(im->err, im->errlen, "cannot read %s", path);
        goto out;
    }
    if (!im->failed && csv_fini(&p, on_field, on_row, im) != 0)
        import_fail(im, DB_ERR, csv_strerror(csv_error(&p)));
    if (im->failed) {
        rc = im->failed;
        goto out;
    }
    if (im->line < 1) {
        snprintf(im->err, im->errlen, "%s is empty", path);
        goto out;
    }
    if (im->progress)
        im->progress(im->pctx, level_files[level], im->counts[level - 1], im->total);
    rc = DB_OK;
out:
    if (parser)
        csv_free(&p);
    if (f)
        fclose(f);
    return rc;
}

static const char *const stage_cols[] = {"code", "level", "parent_code", "name", "digits"};

static int import_txn(db *d, void *vctx)
{
    struct import *im = vctx;
    const char *target = "regions";
    char code[32];
    int64_t existing = 0;
    int level, rc;

    for (level = REGION_PROVINCE; level <= REGION_VILLAGE; level++) {
        im->counts[level - 1] = 0;
        im->failed = 0;
    }
    im->err[0] = '\0';
    rc = db_one_int(d, "SELECT COUNT(*) FROM regions", NULL, 0, &existing);
    if (rc != DB_OK)
        return rc;
    if (existing > 0) {
        target = "regions_stage";
        rc = db_exec(d, "CREATE TEMPORARY TABLE regions_stage (code TEXT NOT NULL, "
                        "level INTEGER NOT NULL, parent_code TEXT, name TEXT NOT NULL, "
                        "digits BIGINT NOT NULL)");
        if (rc != DB_OK)
            return rc;
    }
    for (level = REGION_PROVINCE; level <= REGION_VILLAGE; level++) {
        rc = db_copy_begin(d, target, stage_cols, 5, &im->copy);
        if (rc != DB_OK)
            return rc;
        rc = import_file(im, level);
        {
            int end = db_copy_end(im->copy, rc == DB_OK, NULL);
            im->copy = NULL;
            if (rc == DB_OK && end == DB_ECONSTRAINT && existing == 0) {
                snprintf(im->err, im->errlen, "%s: a region code is given more than once "
                         "(%s)", level_files[level], db_errmsg(d));
                rc = DB_ERR;
            } else if (rc == DB_OK && end != DB_OK) {
                snprintf(im->err, im->errlen, "%s: %s", level_files[level], db_errmsg(d));
                rc = end;
            }
        }
        if (rc != DB_OK)
            return rc;
    }
    if (existing == 0)
        return DB_OK;
    rc = db_one_text(d, "SELECT code FROM regions_stage GROUP BY code HAVING COUNT(*) > 1 "
                        "ORDER BY code LIMIT 1", NULL, 0, code, sizeof code);
    if (rc == DB_OK) {
        snprintf(im->err, im->errlen, "region code %s is given more than once", code);
        return DB_ERR;
    }
    if (rc != DB_ENOTFOUND)
        return rc;
    /* Only new or changed rows are written, so a reimport of the same files touches
     * nothing. The WHERE also lets SQLite read ON CONFLICT after INSERT ... SELECT. */
    rc = db_run(d, "INSERT INTO regions(code, level, parent_code, name, digits) "
                   "SELECT s.code, s.level, s.parent_code, s.name, s.digits "
                   "FROM regions_stage s LEFT JOIN regions r ON r.code = s.code "
                   "WHERE r.code IS NULL OR r.level <> s.level OR r.name <> s.name "
                   "OR r.digits <> s.digits "
                   "OR COALESCE(r.parent_code, '') <> COALESCE(s.parent_code, '') "
                   "ON CONFLICT (code) DO UPDATE SET level = excluded.level, "
                   "parent_code = excluded.parent_code, name = excluded.name, "
                   "digits = excluded.digits", NULL, 0, NULL);
    if (rc == DB_OK)
        rc = db_exec(d, "DROP TABLE regions_stage");
    return rc;
}

int regions_import(db *d, const char *dir, regions_progress_fn progress, void *ctx,
                   long counts[4], char *err, size_t errlen)
{
    struct import im = {.d = d, .dir = dir, .progress = progress, .pctx = ctx,
                        .counts = counts, .err = err, .errlen = errlen};
    int rc;

    if (errlen > 0)
        err[0] = '\0';
    if (!dir || !*dir) {
        snprintf(err, errlen, "no region folder given");
        return DB_ERR;
    }
    rc = db_txn(d, import_txn, &im);
    if (rc != DB_OK && errlen > 0 && err[0] == '\0')
        snprintf(err, errlen, "%s", db_errmsg(d));
    return rc;
}

static void read_region(db_rows *r, struct region *out)
{
    str_copyn(out->code, sizeof out->code, db_text(r, 0), db_len(r, 0));
    out->level = (int)db_int(r, 1);
    str_copyn(out->parent_code, sizeof out->parent_code, db_text(r, 2), db_len(r, 2));
    str_copyn(out->name, sizeof out->name, db_text(r, 3), db_len(r, 3));
}

int regions_get(db *d, const char *code, struct region *out)
{
    db_val p[1] = {DB_TEXT(code)};
    db_rows *r = NULL;
    int rc;

    memset(out, 0, sizeof *out);
    if (!code || code_shape(code, NULL) == 0)
        return DB_ENOTFOUND;
    rc = db_query(d, "SELECT code, level, parent_code, name FROM regions WHERE code = $1",
                  p, 1, &r);
    if (rc != DB_OK)
        return rc;
    rc = db_step(r);
    if (rc == DB_ROW) {
        read_region(r, out);
        rc = DB_OK;
    } else if (rc == DB_DONE) {
        rc = DB_ENOTFOUND;
    }
    db_rows_free(r);
    return rc;
}

struct path_ctx {
    const char *code;
    struct region *out;
    int n;
};

static int path_read(db *d, void *vctx)
{
    struct path_ctx *c = vctx;
    int rc = regions_get(d, c->code, &c->out[0]);

    c->n = rc == DB_OK;
    while (rc == DB_OK && c->out[c->n - 1].parent_code[0] && c->n < 4) {
        rc = regions_get(d, c->out[c->n - 1].parent_code, &c->out[c->n]);
        if (rc == DB_ENOTFOUND)
            rc = DB_ERR; /* a dangling parent: the import refuses those */
        if (rc == DB_OK)
            c->n++;
    }
    return rc;
}

int regions_get_path(db *d, const char *code, struct region out[4], int *n)
{
    struct path_ctx c = {code, out, 0};
    int rc = db_read(d, path_read, &c);

    *n = c.n;
    return rc;
}

int regions_list(db *d, int level, const char *parent, int64_t offset, int limit,
                 struct region *items, int *n, int64_t *total)
{
    db_val p[4] = {DB_INT(level), DB_TEXT(parent), DB_INT(limit), DB_INT(offset)};
    db_rows *r = NULL;
    int rc, got = 0;

    *n = 0;
    *total = 0;
    if (!regions_level_name(level) || offset < 0 || limit < 0 || (limit > 0 && !items))
        return DB_ERR;
    if (parent) {
        rc = db_one_int(d, "SELECT COUNT(*) FROM regions WHERE level = $1 AND parent_code = $2",
                        p, 2, total);
        if (rc == DB_OK && limit > 0)
            rc = db_query(d, "SELECT code, level, parent_code, name FROM regions "
                             "WHERE level = $1 AND parent_code = $2 ORDER BY code "
                             "LIMIT $3 OFFSET $4", p, 4, &r);
    } else {
        db_val q[3] = {p[0], p[2], p[3]};
        rc = db_one_int(d, "SELECT COUNT(*) FROM regions WHERE level = $1", q, 1, total);
        if (rc == DB_OK && limit > 0)
            rc = db_query(d, "SELECT code, level, parent_code, name FROM regions "
                             "WHERE level = $1 ORDER BY code LIMIT $2 OFFSET $3", q, 3, &r);
    }
    if (rc != DB_OK || !r)
        return rc;
    while (got < limit && (rc = db_step(r)) == DB_ROW)
        read_region(r, &items[got++]);
    db_rows_free(r);
    if (rc != DB_ROW && rc != DB_DONE)
        return rc;
    *n = got;
    return DB_OK;
}

int regions_codes(db *d, int level, int64_t **codes, int *n)
{
    db_val p[1] = {DB_INT(level)};
    db_rows *r = NULL;
    int64_t *v = NULL;
    int cap = 0, got = 0, rc;

    *codes = NULL;
    *n = 0;
    if (!regions_level_name(level))
        return DB_ERR;
    rc = db_query(d, "SELECT digits FROM regions WHERE level = $1 ORDER BY digits", p, 1, &r);
    if (rc != DB_OK)
        return rc;
    while ((rc = db_step(r)) == DB_ROW) {
        if (got == cap) {
            int64_t *nv;
            if (cap > (1 << 24)) {
                rc = DB_ERR;
                goto out;
            }
            cap = cap ? cap * 2 : 1024;
            nv = realloc(v, (size_t)cap * sizeof *v);
            if (!nv) {
                rc = DB_ERR;
                goto out;
            }
            v = nv;
        }
        v[got++] = db_int(r, 0);
    }
    if (rc != DB_DONE)
        goto out;
    rc = DB_OK;
    *codes = v;
    *n = got;
    v = NULL;
out:
    db_rows_free(r);
    free(v);
    return rc;
}
