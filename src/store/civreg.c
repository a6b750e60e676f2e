/*
 * civreg: the CSV stand-in for the civil registry (store/civreg.h).
 *
 * The file has a header row naming the columns nik, full_name and birth_date (in
 * any order, case-insensitive, other columns ignored) and one person per line,
 * RFC 4180 quoting, read through store/csvread.h (libcsv, one physical line at a
 * time) so that every record is known by its line number. A row with a NIK that is not 16 digits, an
 * empty or overlong name, a birth date that is not a real YYYY-MM-DD date, or a
 * NIK given twice makes the whole file malformed, and the error names the line.
 *
 * Rows live in an open-addressing hash table keyed by the NIK's blind index (16
 * bytes, already uniform, so its first 8 bytes are the hash); names are kept in
 * normalised form (trimmed, inner whitespace runs made one space, ASCII letters
 * lower-cased, every other byte as it is) in one string pool, birth dates as
 * YYYYMMDD integers. No plaintext NIK is kept.
 *
 * Every worker thread shares one adapter. A mutex guards the table; a check takes
 * it briefly to look a person up. At most once a second a check also stats the
 * file: when it has gone, every check answers CIVREG_UNAVAILABLE until it comes
 * back; when its modification time, size or inode changed, a detached thread
 * reads the new file without holding the mutex and swaps it in, while every check
 * (the one that noticed included) goes on answering from the old table. No check
 * waits for a read, which matters because checks run inside database
 * transactions: a registry of millions of rows takes seconds to read. A new file
 * that is malformed is logged (by line number, never a value) and the old table
 * stays in use. close waits for a reload still running. An agency replacing the
 * file should write a new file and rename it over the old one, so a reader never
 * sees half a file.
 */
#include "store/civreg.h"

#include <errno.h>
#include <pthread.h>
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#include "core/account.h"
#include "core/nik.h"
#include "store/csvread.h"
#include "util/log.h"

#define CIVREG_NAME_MAX 512          /* bytes of a name in the file */
#define CIVREG_RECHECK_NS 1000000000LL
#define CIVREG_BIDX_BYTES (PII_BIDX_LEN / 2)

struct entry {
    unsigned char bidx[CIVREG_BIDX_BYTES];
    int32_t birth;                   /* YYYYMMDD; 0 = empty slot */
    uint32_t name_len;
    size_t name_off;                 /* into table.names */
};

struct table {
    struct entry *slots;
    size_t cap;                      /* power of two */
    size_t count;
    char *names;
    size_t names_len, names_cap;
};

/* What identifies a version of the file. */
struct file_sig {
    int exists;
    dev_t dev;
    ino_t ino;
    off_t size;
    struct timespec mtime;
};

struct csv_civreg {
    struct civreg base;
    pthread_mutex_t mu;
    pthread_cond_t idle;             /* signalled when a reload ends */
    char *path;
    struct pii_keys keys;
    struct table *table;             /* NULL: unavailable */
    struct file_sig sig;             /* of the file table was read from */
    int64_t last_stat_ns;
    int reloading;
};

static int64_t mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void table_free(struct table *t)
{
    if (!t)
        return;
    free(t->slots);
    free(t->names);
    free(t);
}

static uint64_t bidx_hash(const unsigned char *b)
{
    uint64_t h;
    memcpy(&h, b, sizeof h);
    return h;
}

/* The slot of bidx: its entry, or the empty slot where it would go. */
static struct entry *table_slot(const struct table *t, const unsigned char *bidx)
{
    size_t mask = t->cap - 1, i = (size_t)bidx_hash(bidx) & mask;

    for (;;) {
        struct entry *e = &t->slots[i];
        if (e->birth == 0 || memcmp(e->bidx, bidx, CIVREG_BIDX_BYTES) == 0)
            return e;
        i = (i + 1) & mask;
    }
}

static int table_grow(struct table *t)
{
    struct table bigger = *t;
    size_t i;

    bigger.cap = t->cap ? t->cap * 2 : 1024;
    bigger.slots = calloc(bigger.cap, sizeof *bigger.slots);
    if (!bigger.slots)
        return -1;
    for (i = 0; i < t->cap; i++)
        if (t->slots[i].birth != 0)
            *table_slot(&bigger, t->slots[i].bidx) = t->slots[i];
    free(t->slots);
    t->slots = bigger.slots;
    t->cap = bigger.cap;
    return 0;
}

/* Writes the normalised form of s[0..len) into out (at least len bytes) and
 * returns its length: ASCII whitespace trimmed, inner runs made one space, ASCII
 * letters lower-cased, other bytes unchanged. */
static size_t name_normalize(const char *s, size_t len, char *out)
{
    size_t n = 0;
    int space = 0;

    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f') {
            space = n > 0;
            continue;
        }
        if (space) {
            out[n++] = ' ';
            space = 0;
        }
        out[n++] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    }
    return n;
}

/* YYYYMMDD of a real YYYY-MM-DD date, else 0. */
static int32_t birth_code(const char *s)
{
    struct nik_date d;

    if (!s || account_parse_date(s, &d) != 0)
        return 0;
    return (int32_t)(d.year * 10000 + d.month * 100 + d.day);
}

/* ---- reading the file ---- */

enum col { C_NIK, C_NAME, C_BIRTH, C_N };
static const char *const col_names[C_N] = {"nik", "full_name", "birth_date"};
#define CIVREG_MAX_COLS 64

struct reader {
    struct csvread csv;
    const struct pii_keys *keys;
    struct table *t;
    long rec_line;
    int header_done;
    int map[CIVREG_MAX_COLS];        /* file column -> enum col, or -1 */
    int ncols;
    int field;
    char cell[C_N][CIVREG_NAME_MAX + 1];
    size_t cell_len[C_N];
    int too_long[C_N];
};

static void on_field(void *s, size_t len, void *data)
{
    struct reader *r = data;
    int c;

    if (r->csv.failed)
        return;
    if (r->field == 0)
        r->rec_line = r->csv.line;
    if (!r->header_done) {
        const char *h = s;
        if (r->field < CIVREG_MAX_COLS) {
            if (r->field == 0 && len >= 3 && memcmp(h, "\xef\xbb\xbf", 3) == 0) {
                h += 3;
                len -= 3;
            }
            r->map[r->field] = -1;
            for (c = 0; c < C_N; c++)
                if (strlen(col_names[c]) == len && strncasecmp(col_names[c], h, len) == 0)
                    r->map[r->field] = c;
            r->ncols = r->field + 1;
        }
        r->field++;
        return;
    }
    c = r->field < r->ncols ? r->map[r->field] : -1;
    r->field++;
    if (c < 0)
        return;
    if (len > CIVREG_NAME_MAX) {
        r->too_long[c] = 1;
        return;
    }
    memcpy(r->cell[c], s, len);
    r->cell[c][len] = '\0';
    r->cell_len[c] = len;
}

static int add_row(struct reader *r)
{
    struct table *t = r->t;
    char hex[PII_BIDX_LEN + 1], norm[CIVREG_NAME_MAX];
    unsigned char bidx[CIVREG_BIDX_BYTES];
    struct entry *e;
    size_t nlen;
    int32_t birth;

    if (r->too_long[C_NIK] || !nik_shape_ok(r->cell[C_NIK], r->cell_len[C_NIK])) {
        csvread_fail(&r->csv, r->rec_line, "nik is not 16 digits");
        return -1;
    }
    if (r->too_long[C_NAME]) {
        csvread_fail(&r->csv, r->rec_line, "full_name longer than 512 bytes");
        return -1;
    }
    if (memchr(r->cell[C_NAME], '\0', r->cell_len[C_NAME])) {
        csvread_fail(&r->csv, r->rec_line, "full_name holds a NUL byte");
        return -1;
    }
    nlen = name_normalize(r->cell[C_NAME], r->cell_len[C_NAME], norm);
    if (nlen == 0) {
        csvread_fail(&r->csv, r->rec_line, "full_name is empty");
        return -1;
    }
    birth = r->too_long[C_BIRTH] ? 0 : birth_code(r->cell[C_BIRTH]);
    if (birth == 0) {
        csvread_fail(&r->csv, r->rec_line, "birth_date is not a date YYYY-MM-DD");
        return -1;
    }
    pii_blind_index(r->keys, "nik", r->cell[C_NIK], hex);
    sodium_memzero(r->cell[C_NIK], sizeof r->cell[C_NIK]);
    if (sodium_hex2bin(bidx, sizeof bidx, hex, PII_BIDX_LEN, NULL, NULL, NULL) != 0) {
        csvread_fail(&r->csv, r->rec_line, "blind index failed");
        return -1;
    }
    if ((t->count + 1) * 2 > t->cap && table_grow(t) != 0) {
        csvread_fail(&r->csv, 0, "out of memory");
        return -1;
    }
    e = table_slot(t, bidx);
    if (e->birth != 0) {
        csvread_fail(&r->csv, r->rec_line, "this nik is given on an earlier line too");
        return -1;
    }
    if (t->names_len + nlen > t->names_cap) {
        size_t cap = t->names_cap ? t->names_cap * 2 : 65536;
        char *p;
        while (cap < t->names_len + nlen)
            cap *= 2;
        p = realloc(t->names, cap);
        if (!p) {
            csvread_fail(&r->csv, 0, "out of memory");
            return -1;
        }
        t->names = p;
        t->names_cap = cap;
    }
    memcpy(t->names + t->names_len, norm, nlen);
    memcpy(e->bidx, bidx, sizeof bidx);
    e->birth = birth;
    e->name_off = t->names_len;
    e->name_len = (uint32_t)nlen;
    t->names_len += nlen;
    t->count++;
    return 0;
}

static void on_record(int term, void *data)
{
    struct reader *r = data;
    (void)term;

    if (r->csv.failed || r->field == 0)
        return;
    if (!r->header_done) {
        int seen[C_N] = {0};
        r->header_done = 1;
        r->field = 0;
        for (int i = 0; i < r->ncols; i++)
            if (r->map[i] >= 0) {
                if (seen[r->map[i]]) {
                    char why[96];
                    snprintf(why, sizeof why, "column %s appears twice in the header",
                             col_names[r->map[i]]);
                    csvread_fail(&r->csv, r->rec_line, why);
                    return;
                }
                seen[r->map[i]] = 1;
            }
        for (int c = 0; c < C_N; c++)
            if (!seen[c]) {
                char why[128];
                snprintf(why, sizeof why, "no header row naming nik,full_name,birth_date "
                                          "(no column %s)", col_names[c]);
                csvread_fail(&r->csv, r->rec_line, why);
                return;
            }
        return;
    }
    if (r->field < r->ncols) {
        char why[64];
        snprintf(why, sizeof why, "%d columns, want %d", r->field, r->ncols);
        csvread_fail(&r->csv, r->rec_line, why);
    } else {
        add_row(r);
    }
    r->field = 0;
    memset(r->cell_len, 0, sizeof r->cell_len);
    memset(r->too_long, 0, sizeof r->too_long);
    for (int c = 0; c < C_N; c++)
        r->cell[c][0] = '\0';
}

/* Reads the file at path (already opened as f) into a new table; NULL with err
 * filled on failure. */
static struct table *load(FILE *f, const struct pii_keys *keys, char *err, size_t errlen)
{
    struct reader *r = calloc(1, sizeof *r);
    struct table *t = calloc(1, sizeof *t);

    if (!r || !t || table_grow(t) != 0) {
        snprintf(err, errlen, "out of memory");
        goto fail;
    }
    r->csv.err = err;
    r->csv.errlen = errlen;
    r->keys = keys;
    r->t = t;
    if (csvread_file(&r->csv, f, on_field, on_record, r) == 0 && !r->header_done)
        csvread_fail(&r->csv, 0, "the file is empty (no header row nik,full_name,birth_date)");
    if (r->csv.failed)
        goto fail;
    sodium_memzero(r, sizeof *r);
    free(r);
    return t;
fail:
    if (r)
        sodium_memzero(r, sizeof *r);
    free(r);
    table_free(t);
    return NULL;
}

static void sig_of(const struct stat *st, struct file_sig *sig)
{
    sig->exists = 1;
    sig->dev = st->st_dev;
    sig->ino = st->st_ino;
    sig->size = st->st_size;
    sig->mtime = st->st_mtim;
}

/* Stats path into sig; exists = 0 when there is no such file. 0, or -1 when it
 * exists but cannot be used (err filled). */
static int file_stat(const char *path, struct file_sig *sig, char *err, size_t errlen)
{
    struct stat st;

    memset(sig, 0, sizeof *sig);
    if (stat(path, &st) != 0) {
        if (errno == ENOENT || errno == ENOTDIR)
            return 0;
        snprintf(err, errlen, "cannot stat %s: %s", path, strerror(errno));
        return -1;
    }
    if (!S_ISREG(st.st_mode)) {
        snprintf(err, errlen, "%s is not a regular file", path);
        return -1;
    }
    sig_of(&st, sig);
    return 0;
}

static int sig_same(const struct file_sig *a, const struct file_sig *b)
{
    return a->exists == b->exists && a->dev == b->dev && a->ino == b->ino &&
           a->size == b->size && a->mtime.tv_sec == b->mtime.tv_sec &&
           a->mtime.tv_nsec == b->mtime.tv_nsec;
}

/* Opens and reads path. *t_out NULL with rc 0 when the file does not exist;
 * -1 with err filled when it is unreadable or malformed. sig gets the version
 * read (taken from the open file, so a rename in between cannot mix them up). */
static int read_file(const char *path, const struct pii_keys *keys, struct table **t_out,
                     struct file_sig *sig, char *err, size_t errlen)
{
    struct stat st;
    FILE *f;
    char why[320];

    *t_out = NULL;
    memset(sig, 0, sizeof *sig);
    f = fopen(path, "rb");
    if (!f) {
        if (errno == ENOENT || errno == ENOTDIR)
            return 0;
        snprintf(err, errlen, "cannot open %s: %s", path, strerror(errno));
        return -1;
    }
    if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
        snprintf(err, errlen, "%s is not a regular file", path);
        fclose(f);
        return -1;
    }
    sig_of(&st, sig);
    *t_out = load(f, keys, why, sizeof why);
    fclose(f);
    if (!*t_out) {
        snprintf(err, errlen, "civil registry file %s %s", path, why);
        return -1;
    }
    return 0;
}

/* Reads the changed file and swaps it in; runs on a thread of its own (or on
 * the caller's when no thread can be started). Clears reloading when done. */
static void *reload(void *arg)
{
    struct csv_civreg *cr = arg;
    struct table *fresh = NULL, *old = NULL;
    struct file_sig got_sig;
    char err[512] = "";

    if (read_file(cr->path, &cr->keys, &fresh, &got_sig, err, sizeof err) != 0)
        log_kv(LOG_WARN, "civreg.reload_failed", "error", err, NULL);
    if (fresh) {
        char n[32];
        snprintf(n, sizeof n, "%zu", fresh->count);
        log_kv(LOG_INFO, "civreg.loaded", "path", cr->path, "people", n, NULL);
    }
    pthread_mutex_lock(&cr->mu);
    if (fresh) {
        old = cr->table;
        cr->table = fresh;
        cr->sig = got_sig;
    } else if (got_sig.exists) {
        /* malformed: keep the table in use, and do not read this version again */
        cr->sig = got_sig;
    }
    cr->reloading = 0;
    pthread_cond_broadcast(&cr->idle);
    pthread_mutex_unlock(&cr->mu);
    table_free(old);
    return NULL;
}

/* Brings cr up to date with its file when a second has passed since the last
 * look. Called without the mutex held; never waits for a reload. */
static void refresh(struct csv_civreg *cr)
{
    struct file_sig now_sig;
    struct table *old = NULL;
    char err[512] = "";
    int64_t now = mono_ns();
    int start = 0;

    pthread_mutex_lock(&cr->mu);
    if (!cr->reloading && now - cr->last_stat_ns >= CIVREG_RECHECK_NS) {
        cr->last_stat_ns = now;
        if (file_stat(cr->path, &now_sig, err, sizeof err) != 0 || !now_sig.exists) {
            if (cr->table)
                log_kv(LOG_WARN, "civreg.unavailable", "path", cr->path,
                       "error", err[0] ? err : "the file is missing", NULL);
            old = cr->table;             /* gone: unavailable until it comes back */
            cr->table = NULL;
            memset(&cr->sig, 0, sizeof cr->sig);
        } else if (!sig_same(&now_sig, &cr->sig)) {
            cr->reloading = 1;
            start = 1;
        }
    }
    pthread_mutex_unlock(&cr->mu);
    table_free(old);
    if (start) {
        pthread_attr_t attr;
        pthread_t t;
        int ok = pthread_attr_init(&attr) == 0;
        if (ok && (pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED) != 0 ||
                   pthread_create(&t, &attr, reload, cr) != 0))
            ok = 0;
        pthread_attr_destroy(&attr);
        if (!ok)
            reload(cr);
    }
}

static enum civreg_result csv_check(struct civreg *base, const char *nik, const char *full_name,
                                    const char *birth_date)
{
    struct csv_civreg *cr = (struct csv_civreg *)base;
    char hex[PII_BIDX_LEN + 1], norm[CIVREG_NAME_MAX];
    unsigned char bidx[CIVREG_BIDX_BYTES];
    enum civreg_result res;
    const struct entry *e;
    size_t nlen, flen;
    int32_t birth;

    refresh(cr);
    if (!nik || !nik_shape_ok(nik, strnlen(nik, 17)))
        return CIVREG_NOT_FOUND;
    pii_blind_index(&cr->keys, "nik", nik, hex);
    if (sodium_hex2bin(bidx, sizeof bidx, hex, PII_BIDX_LEN, NULL, NULL, NULL) != 0)
        return CIVREG_UNAVAILABLE;
    flen = full_name ? strnlen(full_name, CIVREG_NAME_MAX + 1) : 0;
    nlen = flen <= CIVREG_NAME_MAX ? name_normalize(full_name, flen, norm) : (size_t)-1;
    birth = birth_code(birth_date);

    pthread_mutex_lock(&cr->mu);
    if (!cr->table) {
        res = CIVREG_UNAVAILABLE;
    } else {
        e = table_slot(cr->table, bidx);
        if (e->birth == 0)
            res = CIVREG_NOT_FOUND;
        else if (nlen != e->name_len || memcmp(cr->table->names + e->name_off, norm, nlen) != 0)
            res = CIVREG_NAME_MISMATCH;
        else if (birth != e->birth)
            res = CIVREG_BIRTH_MISMATCH;
        else
            res = CIVREG_MATCH;
    }
    pthread_mutex_unlock(&cr->mu);
    return res;
}

static void csv_close(struct civreg *base)
{
    struct csv_civreg *cr = (struct csv_civreg *)base;

    pthread_mutex_lock(&cr->mu);         /* a reload still running owns cr */
    while (cr->reloading)
        pthread_cond_wait(&cr->idle, &cr->mu);
    pthread_mutex_unlock(&cr->mu);
    pthread_cond_destroy(&cr->idle);
    pthread_mutex_destroy(&cr->mu);
    table_free(cr->table);
    sodium_memzero(&cr->keys, sizeof cr->keys);
    free(cr->path);
    free(cr);
}

int civreg_csv_open(const char *path, const struct pii_keys *keys, struct civreg **out,
                    char *err, size_t errlen)
{
    struct csv_civreg *cr;

    *out = NULL;
    if (errlen > 0)
        err[0] = '\0';
    if (!path || !*path || !keys) {
        snprintf(err, errlen, "no civil registry file given");
        return -1;
    }
    cr = calloc(1, sizeof *cr);
    if (!cr || !(cr->path = strdup(path))) {
        free(cr);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    cr->keys = *keys;
    if (read_file(path, keys, &cr->table, &cr->sig, err, errlen) != 0) {
        sodium_memzero(&cr->keys, sizeof cr->keys);
        free(cr->path);
        free(cr);
        return -1;
    }
    pthread_mutex_init(&cr->mu, NULL);
    pthread_cond_init(&cr->idle, NULL);
    cr->last_stat_ns = mono_ns();
    cr->base.check = csv_check;
    cr->base.close = csv_close;
    *out = &cr->base;
    return 0;
}

int civreg_default_path(const char *db_path, char *out, size_t outlen)
{
    const char *env = getenv("PRAKERJA_CIVREG");
    int n;

    if (env && *env)
        n = snprintf(out, outlen, "%s", env);
    else if (!db_path || !*db_path || strncmp(db_path, "postgres://", 11) == 0 ||
             strncmp(db_path, "postgresql://", 13) == 0)
        return -1;               /* a PostgreSQL URL has no folder: name the file */
    else
        n = snprintf(out, outlen, "%s.civreg.csv", db_path);
    if (n < 0 || (size_t)n >= outlen)
        return -1;
    return 0;
}

enum civreg_result civreg_check(struct civreg *cr, const char *nik, const char *full_name,
                                const char *birth_date)
{
    if (!cr || !cr->check)
        return CIVREG_UNAVAILABLE;
    return cr->check(cr, nik, full_name, birth_date);
}

void civreg_close(struct civreg *cr)
{
    if (cr && cr->close)
        cr->close(cr);
}
