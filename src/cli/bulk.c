/*
 * bulk: the fast path that writes many accounts at once, shared by
 * `prakerja import accounts` and `prakerja demo`.
 *
 * Two threads (the machine has two cores and the work splits in two):
 * - the producer (a callback: the CSV reader or the demo generator) validates
 *   each row with account_validate, checks it against duplicates, encrypts NIK
 *   and KK and computes their blind indexes, and fills batches of rows;
 * - the calling thread owns the database connection and writes each full batch
 *   in one transaction with one prepared INSERT (db.h caches statements by text).
 * Batches circulate between a free list and a full list under one mutex, so at
 * most BULK_NBATCH batches of memory exist whatever the file size.
 *
 * Duplicates are found before any write: at start the NIK blind indexes, emails
 * and phones already stored are loaded into in-memory hash sets (SipHash keys,
 * open addressing), and every accepted row adds its own, so a second row with the
 * same NIK in the file and a row whose NIK is already registered are both caught
 * without a query per row. Each set entry remembers whether it came from the
 * database or from the file, to report account.nik_taken vs row.duplicate_nik.
 * Sets hold 64-bit hashes only; a false match needs a 64-bit collision.
 *
 * If a unique constraint still fires (someone registered through the API in the
 * meantime) the statement alone fails, the transaction goes on, and the row is
 * reported as rejected once the batch commits.
 */
#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "core/account.h"
#include "store/accounts.h"
#include "store/regions.h"
#include "util/progress.h"

#define BULK_BATCH 20000
#define BULK_NBATCH 3
#define BULK_MAX_ERRS 16

struct hset {
    uint64_t *slots;
    size_t cap, n;                   /* cap is a power of two */
};

struct batch {
    struct bulk_row *rows;
    unsigned char *failed;           /* set by the writer: constraint hit */
    int n;
    struct batch *next;
};

struct bulk {
    db *d;
    const struct pii_keys *keys;
    int64_t *codes[5];               /* 1..4: sorted digit codes per level */
    int ncodes[5];
    unsigned char hkey[crypto_shorthash_KEYBYTES];
    struct hset nik, email, phone;
    struct nik_date today;
    int64_t now;

    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct batch *free_list, *full_head, *full_tail;
    struct batch *cur;               /* producer's batch being filled */
    int producer_done, writer_failed;
    struct batch pool[BULK_NBATCH];

    long rejected;                   /* producer side */
    struct progress prog;
    int prog_on;
    long seen;
};

/* ---- hash sets ---- */

static int hset_init(struct hset *s, size_t want)
{
    size_t cap = 1024;
    while (cap < want * 2)
        cap <<= 1;
    s->slots = calloc(cap, sizeof *s->slots);
    s->cap = cap;
    s->n = 0;
    return s->slots ? 0 : -1;
}

static void hset_free(struct hset *s)
{
    free(s->slots);
    s->slots = NULL;
}

static uint64_t hkey_of(const struct bulk *b, const char *v)
{
    unsigned char out[crypto_shorthash_BYTES];
    uint64_t h;
    crypto_shorthash(out, (const unsigned char *)v, strlen(v), b->hkey);
    memcpy(&h, out, sizeof h);
    h &= ~(uint64_t)1;
    return h ? h : 2;
}

/* Returns the stored entry (hash | origin bit) or 0 when absent. */
static uint64_t hset_get(const struct hset *s, uint64_t h)
{
    size_t i = (size_t)(h >> 1) & (s->cap - 1);
    for (;;) {
        uint64_t e = s->slots[i];
        if (!e)
            return 0;
        if ((e & ~(uint64_t)1) == h)
            return e;
        i = (i + 1) & (s->cap - 1);
    }
}

static int hset_put(struct hset *s, uint64_t h, int from_db)
{
    size_t i;
    if ((s->n + 1) * 2 > s->cap) {
        struct hset g;
        if (hset_init(&g, s->cap) < 0)
            return -1;
        for (size_t j = 0; j < s->cap; j++)
            if (s->slots[j]) {
                size_t k = (size_t)(s->slots[j] >> 1) & (g.cap - 1);
                while (g.slots[k])
                    k = (k + 1) & (g.cap - 1);
                g.slots[k] = s->slots[j];
            }
        g.n = s->n;
        free(s->slots);
        *s = g;
    }
    i = (size_t)(h >> 1) & (s->cap - 1);
    while (s->slots[i]) {
        if ((s->slots[i] & ~(uint64_t)1) == h)
            return 0;
        i = (i + 1) & (s->cap - 1);
    }
    s->slots[i] = h | (uint64_t)(from_db ? 1 : 0);
    s->n++;
    return 0;
}

/* ---- region checks for account_validate ---- */

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

static int code_in(const struct bulk *b, int level, int64_t v)
{
    return bsearch(&v, b->codes[level], (size_t)b->ncodes[level], sizeof(int64_t),
                   cmp_i64) != NULL;
}

static int district_exists(void *ctx, const char code6[7])
{
    int64_t v = 0;
    for (int i = 0; i < 6; i++) {
        if (code6[i] < '0' || code6[i] > '9')
            return 0;
        v = v * 10 + (code6[i] - '0');
    }
    return code_in(ctx, 3, v);
}

/* Village codes are accepted as "35.09.15.2001" or "3509152001". */
static int village_digits(const char *code, int64_t *out)
{
    int64_t v = 0;
    int nd = 0;
    if (!code)
        return -1;
    for (const char *p = code; *p; p++) {
        if (*p == '.')
            continue;
        if (*p < '0' || *p > '9' || ++nd > 10)
            return -1;
        v = v * 10 + (*p - '0');
    }
    if (nd != 10)
        return -1;
    *out = v;
    return 0;
}

static int village_exists(void *ctx, const char *code)
{
    int64_t v;
    return village_digits(code, &v) == 0 && code_in(ctx, 4, v);
}

const int64_t *bulk_codes(struct bulk *b, int level, int *n)
{
    if (level < 1 || level > 4) {
        *n = 0;
        return NULL;
    }
    *n = b->ncodes[level];
    return b->codes[level];
}

/* ---- set-up ---- */

void bulk_tune(db *d)
{
    db_exec(d, "PRAGMA cache_size=-1048576");
    db_exec(d, "PRAGMA synchronous=NORMAL");
    db_exec(d, "PRAGMA wal_autocheckpoint=100000");
    db_exec(d, "PRAGMA foreign_keys=OFF");
}

static int load_existing(struct bulk *b)
{
    db_rows *r = NULL;
    int rc;
    int64_t count = 0;

    if (db_one_int(b->d, "SELECT COUNT(*) FROM accounts", NULL, 0, &count) != DB_OK)
        count = 0;
    if (hset_init(&b->nik, (size_t)count + 1024) < 0 || hset_init(&b->email, (size_t)count + 1024) < 0 ||
        hset_init(&b->phone, (size_t)count + 1024) < 0)
        return -1;
    rc = db_query(b->d, "SELECT nik_bidx, email, phone FROM accounts", NULL, 0, &r);
    if (rc != DB_OK)
        goto out;
    while ((rc = db_step(r)) == DB_ROW) {
        if (!db_isnull(r, 0) && hset_put(&b->nik, hkey_of(b, db_text(r, 0)), 1) < 0)
            break;
        if (!db_isnull(r, 1) && hset_put(&b->email, hkey_of(b, db_text(r, 1)), 1) < 0)
            break;
        if (!db_isnull(r, 2) && hset_put(&b->phone, hkey_of(b, db_text(r, 2)), 1) < 0)
            break;
    }
    rc = rc == DB_DONE ? DB_OK : DB_ERR;
out:
    if (rc != DB_OK)
        fprintf(stderr, "prakerja: cannot read existing accounts: %s\n", db_errmsg(b->d));
    db_rows_free(r);
    return rc == DB_OK ? 0 : -1;
}

int bulk_open(struct bulk **out, db *d, const struct pii_keys *keys)
{
    struct bulk *b = calloc(1, sizeof *b);
    time_t t = time(NULL);
    struct tm tm;

    *out = NULL;
    if (!b)
        return -1;
    b->d = d;
    b->keys = keys;
    b->now = (int64_t)t;
    gmtime_r(&t, &tm);
    b->today = (struct nik_date){tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday};
    crypto_shorthash_keygen(b->hkey);
    pthread_mutex_init(&b->mu, NULL);
    pthread_cond_init(&b->cv, NULL);
    for (int level = 1; level <= 4; level++)
        if (regions_codes(d, level, &b->codes[level], &b->ncodes[level]) != 0) {
            fprintf(stderr, "prakerja: cannot read region codes: %s\n", db_errmsg(d));
            goto fail;
        }
    if (b->ncodes[3] == 0) {
        fprintf(stderr, "prakerja: the database has no regions; run `prakerja db init`\n");
        goto fail;
    }
    for (int i = 0; i < BULK_NBATCH; i++) {
        b->pool[i].rows = malloc(sizeof(struct bulk_row) * BULK_BATCH);
        b->pool[i].failed = malloc(BULK_BATCH);
        if (!b->pool[i].rows || !b->pool[i].failed)
            goto fail;
        b->pool[i].next = b->free_list;
        b->free_list = &b->pool[i];
    }
    if (load_existing(b) < 0)
        goto fail;
    *out = b;
    return 0;
fail:
    bulk_close(b);
    return -1;
}

void bulk_close(struct bulk *b)
{
    if (!b)
        return;
    for (int level = 1; level <= 4; level++)
        free(b->codes[level]);
    for (int i = 0; i < BULK_NBATCH; i++) {
        free(b->pool[i].rows);
        free(b->pool[i].failed);
    }
    hset_free(&b->nik);
    hset_free(&b->email);
    hset_free(&b->phone);
    pthread_mutex_destroy(&b->mu);
    pthread_cond_destroy(&b->cv);
    free(b);
}

void bulk_progress(struct bulk *b, const char *what, long total)
{
    progress_start(&b->prog, what, total);
    b->prog_on = 1;
}

/* ---- producer side ---- */

static void report(long line, const struct field_error *errs, int n)
{
    char msg[1024];
    size_t off;
    int w = snprintf(msg, sizeof msg, "line %ld:", line);
    off = w > 0 ? (size_t)w : 0;
    for (int i = 0; i < n && off < sizeof msg; i++) {
        w = snprintf(msg + off, sizeof msg - off, "%s %s %s", i ? "," : "", errs[i].field,
                     errs[i].code);
        if (w < 0)
            break;
        off += (size_t)w;
    }
    if (off >= sizeof msg)
        off = sizeof msg - 1;
    fprintf(stderr, "%.*s\n", (int)off, msg);
}

void bulk_reject(struct bulk *b, long line, const struct field_error *errs, int n)
{
    report(line, errs, n);
    b->rejected++;
}

/* Hands the current batch to the writer; waits for a free one. -1 if the writer failed. */
static int push_batch(struct bulk *b, int final)
{
    int rc = 0;
    pthread_mutex_lock(&b->mu);
    if (b->cur && b->cur->n > 0) {
        b->cur->next = NULL;
        if (b->full_tail)
            b->full_tail->next = b->cur;
        else
            b->full_head = b->cur;
        b->full_tail = b->cur;
        b->cur = NULL;
    } else if (b->cur && final) {
        b->cur->next = b->free_list;
        b->free_list = b->cur;
        b->cur = NULL;
    }
    if (final) {
        b->producer_done = 1;
    } else if (!b->cur) {
        while (!b->free_list && !b->writer_failed)
            pthread_cond_wait(&b->cv, &b->mu);
        if (b->writer_failed) {
            rc = -1;
        } else {
            b->cur = b->free_list;
            b->free_list = b->cur->next;
            b->cur->n = 0;
        }
    }
    pthread_cond_broadcast(&b->cv);
    pthread_mutex_unlock(&b->mu);
    return rc;
}

static void copy_str(char *dst, size_t n, const char *src)
{
    snprintf(dst, n, "%s", src ? src : "");
}

static void public_id(char out[27])
{
    static const char alpha[] = "abcdefghijklmnopqrstuvwxyz234567";
    unsigned char raw[16];
    uint32_t acc = 0;
    int bits = 0, o = 0;
    randombytes_buf(raw, sizeof raw);
    for (int i = 0; i < 16; i++) {
        acc = (acc << 8) | raw[i];
        bits += 8;
        while (bits >= 5) {
            out[o++] = alpha[(acc >> (bits - 5)) & 31];
            bits -= 5;
        }
    }
    if (bits > 0)
        out[o++] = alpha[(acc << (5 - bits)) & 31];
    out[o] = '\0';
}

int bulk_add(struct bulk *b, long line, const struct bulk_input *in, int synthetic, int quiet)
{
    struct account_input ai = {0};
    struct account_checks chk = {0};
    struct account_clean clean;
    struct field_error errs[BULK_MAX_ERRS];
    struct bulk_row *row;
    uint64_t hn, he, hp, e;
    char bidx[PII_BIDX_LEN + 1];
    int n;
    int64_t vd;

    b->seen++;
    if (b->prog_on)
        progress_update(&b->prog, b->seen);

    ai.email = in->email;
    ai.full_name = in->full_name;
    ai.nik = in->nik;
    ai.kk = in->kk;
    ai.birth_date = in->birth_date;
    ai.sex = in->sex;
    ai.phone = in->phone;
    ai.village_code = in->village_code;
    ai.education = in->education;
    ai.occupation = in->occupation;
    chk.district_exists = district_exists;
    chk.village_exists = village_exists;
    chk.ctx = b;
    chk.require_password = 0;
    memset(&clean, 0, sizeof clean);
    n = account_validate(&ai, b->today, &chk, &clean, errs, BULK_MAX_ERRS);
    if (n > BULK_MAX_ERRS)
        n = BULK_MAX_ERRS;
    if (n == 0 && in->full_name && strlen(in->full_name) >= sizeof row->full_name) {
        errs[0] = (struct field_error){"full_name", "field.too_long"};
        n = 1;
    }
    if (n > 0) {
        if (!quiet)
            report(line, errs, n);
        b->rejected++;
        return 0;
    }

    pii_blind_index(b->keys, "nik", in->nik, bidx);
    hn = hkey_of(b, bidx);
    he = hkey_of(b, clean.email);
    hp = hkey_of(b, clean.phone);
    if ((e = hset_get(&b->nik, hn)))
        errs[n++] = (struct field_error){"nik", (e & 1) ? "account.nik_taken" : "row.duplicate_nik"};
    if ((e = hset_get(&b->email, he)))
        errs[n++] = (struct field_error){"email",
                                         (e & 1) ? "account.email_taken" : "row.duplicate_email"};
    if ((e = hset_get(&b->phone, hp)))
        errs[n++] = (struct field_error){"phone",
                                         (e & 1) ? "account.phone_taken" : "row.duplicate_phone"};
    if (n > 0) {
        if (!quiet)
            report(line, errs, n);
        b->rejected++;
        return 0;
    }
    if (hset_put(&b->nik, hn, 0) < 0 || hset_put(&b->email, he, 0) < 0 ||
        hset_put(&b->phone, hp, 0) < 0)
        return -1;

    if (!b->cur || b->cur->n == BULK_BATCH)
        if (push_batch(b, 0) < 0)
            return -1;
    row = &b->cur->rows[b->cur->n];
    row->line = line;
    row->synthetic = synthetic;
    public_id(row->public_id);
    copy_str(row->email, sizeof row->email, clean.email);
    copy_str(row->phone, sizeof row->phone, clean.phone);
    copy_str(row->full_name, sizeof row->full_name, in->full_name);
    memcpy(row->nik_bidx, bidx, sizeof bidx);
    pii_blind_index(b->keys, "kk", in->kk, row->kk_bidx);
    if (pii_encrypt(b->keys, in->nik, row->nik_enc) < 0 ||
        pii_encrypt(b->keys, in->kk, row->kk_enc) < 0)
        return -1;
    snprintf(row->birth_date, sizeof row->birth_date, "%04u-%02u-%02u",
             (unsigned)clean.birth.year % 10000u, (unsigned)clean.birth.month % 100u,
             (unsigned)clean.birth.day % 100u);
    row->sex[0] = clean.sex;
    row->sex[1] = '\0';
    if (village_digits(in->village_code, &vd) < 0)
        return -1;
    snprintf(row->village_code, sizeof row->village_code, "%02d.%02d.%02d.%04d",
             (int)(vd / 100000000 % 100), (int)(vd / 1000000 % 100), (int)(vd / 10000 % 100),
             (int)(vd % 10000));
    copy_str(row->regency_code, sizeof row->regency_code, clean.regency_code);
    copy_str(row->education, sizeof row->education, in->education);
    copy_str(row->occupation, sizeof row->occupation, in->occupation);
    b->cur->n++;
    return 1;
}

/* ---- writer side ---- */

static const char *insert_sql =
    "INSERT INTO accounts (public_id, role, email, phone, password_hash, full_name, nik_enc, "
    "nik_bidx, kk_enc, kk_bidx, birth_date, sex, village_code, regency_code, education, "
    "occupation, synthetic, created_at) VALUES ($1, 'participant', $2, $3, NULL, $4, $5, $6, $7, "
    "$8, $9, $10, $11, $12, $13, $14, $15, $16)";

struct write_ctx {
    struct bulk *b;
    struct batch *bt;
};

static int write_batch(db *d, void *vctx)
{
    struct write_ctx *w = vctx;
    struct batch *bt = w->bt;
    memset(bt->failed, 0, (size_t)bt->n);
    for (int i = 0; i < bt->n; i++) {
        const struct bulk_row *r = &bt->rows[i];
        db_val p[16] = {
            DB_TEXT(r->public_id), DB_TEXT(r->email), DB_TEXT(r->phone), DB_TEXT(r->full_name),
            DB_TEXT(r->nik_enc), DB_TEXT(r->nik_bidx), DB_TEXT(r->kk_enc), DB_TEXT(r->kk_bidx),
            DB_TEXT(r->birth_date), DB_TEXT(r->sex), DB_TEXT(r->village_code),
            DB_TEXT(r->regency_code), DB_TEXT(r->education), DB_TEXT(r->occupation),
            DB_INT(r->synthetic), DB_INT(w->b->now),
        };
        int rc = db_run(d, insert_sql, p, 16, NULL);
        if (rc == DB_ECONSTRAINT)
            bt->failed[i] = 1;
        else if (rc != DB_OK)
            return rc;
    }
    return DB_OK;
}

struct producer_args {
    struct bulk *b;
    bulk_producer_fn fn;
    void *ctx;
    int rc;
};

static void *producer_main(void *arg)
{
    struct producer_args *pa = arg;
    pa->rc = pa->fn(pa->b, pa->ctx);
    push_batch(pa->b, 1);
    return NULL;
}

int bulk_run(struct bulk *b, bulk_producer_fn producer, void *ctx, struct bulk_stats *st)
{
    struct producer_args pa = {b, producer, ctx, 0};
    pthread_t th;
    int failed = 0;

    memset(st, 0, sizeof *st);
    if (pthread_create(&th, NULL, producer_main, &pa) != 0) {
        fprintf(stderr, "prakerja: cannot start a thread\n");
        return -1;
    }
    for (;;) {
        struct batch *bt;
        struct write_ctx w;
        int rc;

        pthread_mutex_lock(&b->mu);
        while (!b->full_head && !b->producer_done)
            pthread_cond_wait(&b->cv, &b->mu);
        bt = b->full_head;
        if (bt) {
            b->full_head = bt->next;
            if (!b->full_head)
                b->full_tail = NULL;
        }
        pthread_mutex_unlock(&b->mu);
        if (!bt)
            break;

        w.b = b;
        w.bt = bt;
        rc = failed ? DB_OK : db_txn(b->d, write_batch, &w);
        if (rc != DB_OK) {
            fprintf(stderr, "prakerja: writing accounts failed: %s\n", db_errmsg(b->d));
            failed = 1;
        } else if (!failed) {
            for (int i = 0; i < bt->n; i++) {
                if (bt->failed[i]) {
                    const char *taken = NULL;
                    const struct bulk_row *r = &bt->rows[i];
                    if (accounts_find_taken(b->d, r->nik_bidx, r->email, r->phone, &taken) !=
                        DB_OK)
                        taken = NULL;
                    if (taken)
                        fprintf(stderr, "line %ld: %s account.%s_taken\n", r->line, taken, taken);
                    else
                        fprintf(stderr, "line %ld: row row.conflict\n", r->line);
                    st->rejected++;
                } else {
                    st->imported++;
                }
            }
        }
        pthread_mutex_lock(&b->mu);
        if (failed)
            b->writer_failed = 1;
        bt->next = b->free_list;
        b->free_list = bt;
        pthread_cond_broadcast(&b->cv);
        pthread_mutex_unlock(&b->mu);
    }
    pthread_join(th, NULL);
    if (b->prog_on)
        progress_finish(&b->prog);
    st->rejected += b->rejected;
    return failed || pa.rc != 0 ? -1 : 0;
}
