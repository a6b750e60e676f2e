/*
 * bulk: the fast path that writes many accounts at once, shared by
 * `prakerja import accounts` and `prakerja demo`.
 *
 * Two threads (the machine has two cores and the work splits in two):
 * - the producer (a callback: the CSV reader or the demo generator) validates
 *   each row with account_validate, computes the NIK blind index, checks the row
 *   against duplicates, and fills batches of rows;
 * - the calling thread owns the database connection and writes each full batch
 *   with db_copy (COPY on PostgreSQL, one prepared INSERT on SQLite).
 * Batches circulate between a free list and a full list under one mutex, so at
 * most BULK_NBATCH batches of memory exist whatever the file size.
 *
 * What a row needs after the duplicate check (its public id, the KK blind index,
 * the secretboxes of NIK and KK) is finished in chunks of BULK_CHUNK rows by
 * whichever thread would otherwise wait: the writer finishes the rest of a batch
 * before writing it, and a producer that finds no free batch finishes chunks of
 * the queued ones. So neither side idles while the other has work, whether the
 * reader or the database is the slower half. The plaintext NIK and KK are wiped
 * from the row once encrypted.
 *
 * Duplicates are found before any write: the NIK blind indexes, emails and
 * phones already stored are loaded into in-memory hash sets (SipHash keys, open
 * addressing), and every accepted row adds its own, so a second row with the same
 * NIK in the file and a row whose NIK is already registered are both caught
 * without a query per row. Each set entry remembers whether it came from the
 * database or from the file, to report account.nik_taken vs row.duplicate_nik.
 * Sets hold 64-bit hashes only; a false match needs a 64-bit collision.
 *
 * Two ways to write, chosen in bulk_run:
 * - rebuild (SQLite, when the rows to add are at least half as many as the rows
 *   already there): the whole load is one transaction. Inside it the existing
 *   keys are loaded (so the duplicate check is exact: no other writer can commit
 *   meanwhile), every index of accounts is dropped (migration 0005 made the
 *   unique keys named indexes so that they can be), the rows are appended, and
 *   the indexes are built again from their stored SQL, each by one sort instead
 *   of a million random b-tree inserts (measured: 22 s of CPU for six indexes
 *   kept up row by row, 6 s to build them after). A unique index that cannot be
 *   rebuilt, a write error or a fatal producer error rolls everything back, so a
 *   failure leaves nothing half-done; other writers wait for the commit (the
 *   SQLite write lock), which is the price of a load this large. The commit runs
 *   with the connection's synchronous=FULL, so the rows are durable when
 *   bulk_run returns.
 *   If this connection is the only one open on the database, the load runs with
 *   a rollback journal (journal_mode=DELETE) and the database goes back to WAL
 *   after it. In WAL mode every page of the load is written twice, to the WAL at
 *   the commit and to the database at the checkpoint (about 600 MB each for a
 *   million rows); a rollback journal keeps only the original content of the
 *   pages that existed before, and the appended pages go to the database once.
 *   A failure or a crash still rolls back to the database as it was (a crash
 *   leaves a hot journal that the next opener plays back). SQLite refuses to
 *   leave WAL while another connection is open (a server, a reader), so then the
 *   load stays in WAL: readers keep seeing the accounts as they were until the
 *   commit. In rollback mode a process that opens the database during the load
 *   waits (5 s busy timeout) and may fail with "database is locked".
 * - batches (PostgreSQL, or a small load into a big table): each batch is its
 *   own durable transaction with the indexes in place. If a unique constraint
 *   still fires (someone registered through the API meanwhile) the batch's copy is
 *   discarded and its rows are inserted one by one, so only the conflicting rows
 *   are rejected, reported once the batch commits.
 *
 * Randomness: each row takes 56 random bytes (its public id and the nonces of its
 * two secretboxes). libsodium's default source makes one getrandom() call per
 * draw, which cost the producer more than validating the row; so while a bulk
 * run is open, libsodium draws from a per-thread pool refilled from getrandom()
 * 64 KiB at a time (the same kernel generator), and bytes are wiped from the pool
 * as they are handed out.
 */
#include <errno.h>
#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/account.h"
#include "store/accounts.h"
#include "store/regions.h"
#include "util/progress.h"

#define BULK_BATCH 2048
#define BULK_NBATCH 8
#define BULK_CHUNK 256               /* rows finished at a time (see the top) */
#define BULK_VILLAGE_SLOTS (1 << 18) /* hash of village codes, > 3x idn-area-data's */
#define BULK_MAX_ERRS 16
#define BULK_MAX_INDEXES 32
#define BULK_RAND_POOL 65536
#define BULK_CACHE_KIB 2097152       /* page cache of a bulk connection: 2 GiB */
#define BULK_SORT_CACHE_KIB 4096     /* page cache while building indexes (see sorter_tune) */

struct hset {
    uint64_t *slots;
    size_t cap, n;                   /* cap is a power of two */
};

struct batch {
    struct bulk_row *rows;
    unsigned char *failed;           /* set by the writer: constraint hit */
    int n;
    int claimed, done;               /* chunks taken / finished (under mu) */
    int bad;                         /* finishing a row failed (under mu) */
    struct batch *next;
};

struct bulk_index {
    char *name, *sql;                /* as stored in sqlite_master */
};

struct bulk {
    db *d;
    const struct pii_keys *keys;
    int64_t *codes[5];               /* 1..4: sorted digit codes per level */
    int ncodes[5];
    unsigned char *districts;        /* bitmap over the 6-digit district codes */
    int64_t *villages;               /* open-addressing set of 10-digit codes, 0 = empty */
    unsigned char hkey[crypto_shorthash_KEYBYTES];
    struct hset nik, email, phone;
    struct nik_date today;
    int64_t now;
    long expect;                     /* rows the caller expects (progress total) */

    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct batch *free_list, *full_head, *full_tail;
    struct batch *cur;               /* producer's batch being filled */
    int producer_done, writer_failed;
    struct batch pool[BULK_NBATCH];

    /* the producer thread */
    pthread_t th;
    int th_started;
    bulk_producer_fn fn;
    void *fn_ctx;
    int fn_rc;

    /* rebuild mode */
    struct bulk_index idx[BULK_MAX_INDEXES];
    int nidx;
    int txn_entered;

    long rejected;                   /* producer side */
    struct progress prog;
    int prog_on;
    long seen;
};

/* ---- pooled randomness (see the top of the file) ---- */

static __thread unsigned char rand_pool[BULK_RAND_POOL];
static __thread size_t rand_used = BULK_RAND_POOL;

static void rand_fill(unsigned char *out, size_t n)
{
    while (n > 0) {
        ssize_t got = getrandom(out, n, 0);
        if (got < 0) {
            if (errno == EINTR)
                continue;
            randombytes_sysrandom_implementation.buf(out, n);
            return;
        }
        out += got;
        n -= (size_t)got;
    }
}

static void rand_buf(void *const buf, const size_t size)
{
    unsigned char *out = buf;
    size_t left = size;

    if (size > BULK_RAND_POOL / 4) {
        rand_fill(out, size);
        return;
    }
    while (left > 0) {
        size_t k;
        if (rand_used == BULK_RAND_POOL) {
            rand_fill(rand_pool, BULK_RAND_POOL);
            rand_used = 0;
        }
        k = BULK_RAND_POOL - rand_used;
        if (k > left)
            k = left;
        memcpy(out, rand_pool + rand_used, k);
        sodium_memzero(rand_pool + rand_used, k);
        rand_used += k;
        out += k;
        left -= k;
    }
}

static uint32_t rand_u32(void)
{
    uint32_t v;
    rand_buf(&v, sizeof v);
    return v;
}

static const char *rand_name(void)
{
    return "prakerja-bulk-pool";
}

static randombytes_implementation rand_pooled = {
    .implementation_name = rand_name,
    .random = rand_u32,
    .buf = rand_buf,
};

/* ---- memory ---- */

/* Zeroed memory for the big arrays touched at random (hash sets) or by both
 * threads (batches), on 2 MiB pages where the kernel allows: with 4 KiB pages
 * nearly every set lookup also missed the TLB. Freed with free(); NULL if out of
 * memory. */
static void *big_calloc(size_t n, size_t size)
{
    const size_t huge = (size_t)2 << 20;
    size_t len;
    void *p = NULL;

    if (size && n > SIZE_MAX / size)
        return NULL;
    len = n * size;
    if (len < huge)
        return calloc(n, size);
    len = (len + huge - 1) & ~(huge - 1);
    if (posix_memalign(&p, huge, len) != 0)
        return NULL;
    madvise(p, len, MADV_HUGEPAGE);      /* advice only: 4 KiB pages work too */
    memset(p, 0, len);
    return p;
}

/* ---- hash sets ---- */

static int hset_init(struct hset *s, size_t want)
{
    size_t cap = 1024;
    while (cap < want * 2)
        cap <<= 1;
    s->slots = big_calloc(cap, sizeof *s->slots);
    s->cap = cap;
    s->n = 0;
    return s->slots ? 0 : -1;
}

static void hset_free(struct hset *s)
{
    free(s->slots);
    s->slots = NULL;
}

static uint64_t hkey_of(const struct bulk *b, const char *v, size_t n)
{
    unsigned char out[crypto_shorthash_BYTES];
    uint64_t h;
    crypto_shorthash(out, (const unsigned char *)v, n, b->hkey);
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

static void hset_prefetch(const struct hset *s, uint64_t h)
{
    __builtin_prefetch(&s->slots[(size_t)(h >> 1) & (s->cap - 1)]);
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

static int district_exists(void *ctx, const char code6[7])
{
    const struct bulk *b = ctx;
    int v = 0;
    for (int i = 0; i < 6; i++) {
        if (code6[i] < '0' || code6[i] > '9')
            return 0;
        v = v * 10 + (code6[i] - '0');
    }
    return (b->districts[v >> 3] >> (v & 7)) & 1;
}

static size_t village_slot(int64_t v)
{
    return (size_t)(((uint64_t)v * 0x9e3779b97f4a7c15ULL) >> 46) & (BULK_VILLAGE_SLOTS - 1);
}

static int village_has(const struct bulk *b, int64_t v)
{
    for (size_t i = village_slot(v);; i = (i + 1) & (BULK_VILLAGE_SLOTS - 1)) {
        if (b->villages[i] == v)
            return 1;
        if (b->villages[i] == 0)
            return 0;
    }
}

/* Builds the district bitmap and the village set from the sorted code lists. */
static int region_sets(struct bulk *b)
{
    b->districts = calloc(1000000 / 8 + 1, 1);
    b->villages = calloc(BULK_VILLAGE_SLOTS, sizeof *b->villages);
    if (!b->districts || !b->villages || b->ncodes[4] > BULK_VILLAGE_SLOTS / 2)
        return -1;
    for (int i = 0; i < b->ncodes[3]; i++) {
        int64_t v = b->codes[3][i];
        if (v > 0 && v < 1000000)
            b->districts[v >> 3] |= (unsigned char)(1u << (v & 7));
    }
    for (int i = 0; i < b->ncodes[4]; i++) {
        int64_t v = b->codes[4][i];
        size_t j = village_slot(v);
        if (v <= 0)
            continue;
        while (b->villages[j] != 0 && b->villages[j] != v)
            j = (j + 1) & (BULK_VILLAGE_SLOTS - 1);
        b->villages[j] = v;
    }
    return 0;
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
    return village_digits(code, &v) == 0 && village_has(ctx, v);
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
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA cache_size=-%d", BULK_CACHE_KIB);
    db_exec(d, sql);
    db_exec(d, "PRAGMA wal_autocheckpoint=100000");
    db_exec(d, "PRAGMA foreign_keys=OFF");
}

/* Loads the NIK blind indexes, emails and phones already stored into the sets. */
static int load_existing(struct bulk *b)
{
    db_rows *r = NULL;
    int rc;
    int64_t count = 0;

    if (db_one_int(b->d, "SELECT COALESCE(MAX(id), 0) FROM accounts", NULL, 0, &count) != DB_OK)
        count = 0;
    count += b->expect > 0 ? b->expect : 0;
    hset_free(&b->nik);
    hset_free(&b->email);
    hset_free(&b->phone);
    if (hset_init(&b->nik, (size_t)count + 1024) < 0 ||
        hset_init(&b->email, (size_t)count + 1024) < 0 ||
        hset_init(&b->phone, (size_t)count + 1024) < 0) {
        fprintf(stderr, "prakerja: out of memory\n");
        return -1;
    }
    rc = db_query(b->d, "SELECT nik_bidx, email, phone FROM accounts", NULL, 0, &r);
    if (rc != DB_OK)
        goto out;
    while ((rc = db_step(r)) == DB_ROW) {
        if (!db_isnull(r, 0) &&
            hset_put(&b->nik, hkey_of(b, db_text(r, 0), db_len(r, 0)), 1) < 0)
            break;
        if (!db_isnull(r, 1) &&
            hset_put(&b->email, hkey_of(b, db_text(r, 1), db_len(r, 1)), 1) < 0)
            break;
        if (!db_isnull(r, 2) &&
            hset_put(&b->phone, hkey_of(b, db_text(r, 2), db_len(r, 2)), 1) < 0)
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

    *out = NULL;
    if (!b)
        return -1;
    b->d = d;
    b->keys = keys;
    b->now = (int64_t)t;
    b->today = nik_date_wib(b->now);
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
    if (region_sets(b) < 0) {
        fprintf(stderr, "prakerja: out of memory\n");
        goto fail;
    }
    for (int i = 0; i < BULK_NBATCH; i++) {
        b->pool[i].rows = big_calloc(BULK_BATCH, sizeof(struct bulk_row));
        b->pool[i].failed = malloc(BULK_BATCH);
        if (!b->pool[i].rows || !b->pool[i].failed)
            goto fail;
        b->pool[i].next = b->free_list;
        b->free_list = &b->pool[i];
    }
    randombytes_set_implementation(&rand_pooled);
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
    randombytes_set_implementation(&randombytes_sysrandom_implementation);
    sodium_memzero(rand_pool, sizeof rand_pool);
    rand_used = BULK_RAND_POOL;
    for (int level = 1; level <= 4; level++)
        free(b->codes[level]);
    free(b->districts);
    free(b->villages);
    for (int i = 0; i < BULK_NBATCH; i++) {
        if (b->pool[i].rows)
            sodium_memzero(b->pool[i].rows, sizeof(struct bulk_row) * BULK_BATCH);
        free(b->pool[i].rows);
        free(b->pool[i].failed);
    }
    for (int i = 0; i < b->nidx; i++) {
        free(b->idx[i].name);
        free(b->idx[i].sql);
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
    b->expect = total > 0 ? total : 0;
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

/* Finishes rows [from, to) of bt: public id, KK blind index, both secretboxes;
 * wipes the plaintext. Returns 0, or -1 if an encryption failed. */
static int finish_rows(struct bulk *b, struct batch *bt, int from, int to)
{
    int rc = 0;
    for (int i = from; i < to; i++) {
        struct bulk_row *row = &bt->rows[i];
        accounts_new_public_id(row->public_id);
        row->len[BULK_PUBLIC_ID] = ACCOUNTS_PUBLIC_ID_LEN;
        pii_blind_index(b->keys, "kk", row->kk, row->kk_bidx);
        row->len[BULK_KK_BIDX] = PII_BIDX_LEN;
        if (pii_encrypt(b->keys, row->nik, row->nik_enc) < 0 ||
            pii_encrypt(b->keys, row->kk, row->kk_enc) < 0)
            rc = -1;
        row->len[BULK_NIK_ENC] = (unsigned short)strlen(row->nik_enc);
        row->len[BULK_KK_ENC] = (unsigned short)strlen(row->kk_enc);
        sodium_memzero(row->nik, sizeof row->nik);
        sodium_memzero(row->kk, sizeof row->kk);
    }
    return rc;
}

/* With mu held: takes an unfinished chunk of bt, finishes it without the lock,
 * and records it. Returns 1 if it did a chunk, 0 if none was left. */
static int finish_chunk_locked(struct bulk *b, struct batch *bt)
{
    int nchunks = (bt->n + BULK_CHUNK - 1) / BULK_CHUNK, c, bad;
    if (bt->claimed >= nchunks)
        return 0;
    c = bt->claimed++;
    pthread_mutex_unlock(&b->mu);
    bad = finish_rows(b, bt, c * BULK_CHUNK,
                      c * BULK_CHUNK + BULK_CHUNK < bt->n ? c * BULK_CHUNK + BULK_CHUNK : bt->n);
    pthread_mutex_lock(&b->mu);
    bt->done++;
    bt->bad |= bad != 0;
    pthread_cond_broadcast(&b->cv);
    return 1;
}

/* Writer side: finishes what is left of bt and waits for chunks another thread
 * is finishing. Returns 0, or -1 if a row could not be finished. */
static int finish_batch(struct bulk *b, struct batch *bt)
{
    int nchunks = (bt->n + BULK_CHUNK - 1) / BULK_CHUNK, bad;
    pthread_mutex_lock(&b->mu);
    while (finish_chunk_locked(b, bt))
        ;
    while (bt->done < nchunks)
        pthread_cond_wait(&b->cv, &b->mu);
    bad = bt->bad;
    pthread_mutex_unlock(&b->mu);
    return bad ? -1 : 0;
}

/* Hands the current batch to the writer; until a batch is free, finishes chunks
 * of queued ones. -1 if the writer failed. */
static int push_batch(struct bulk *b, int final)
{
    int rc = 0;
    pthread_mutex_lock(&b->mu);
    if (b->cur && b->cur->n > 0) {
        b->cur->next = NULL;
        b->cur->claimed = b->cur->done = b->cur->bad = 0;
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
    pthread_cond_broadcast(&b->cv);
    if (final) {
        b->producer_done = 1;
    } else if (!b->cur) {
        while (!b->free_list && !b->writer_failed) {
            int helped = 0;
            for (struct batch *q = b->full_head; q && !helped; q = q->next)
                helped = finish_chunk_locked(b, q);
            if (!helped)
                pthread_cond_wait(&b->cv, &b->mu);
        }
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

/* Writes n decimal digits of v into out, zero-padded. */
static void put_digits(char *out, unsigned v, int n)
{
    while (n-- > 0) {
        out[n] = (char)('0' + v % 10);
        v /= 10;
    }
}

/* Copies src (NULL as "") into dst of size n, cut to n-1 bytes; returns the length. */
static unsigned short copy_str(char *dst, size_t n, const char *src)
{
    size_t len = src ? strlen(src) : 0;
    if (len > n - 1)
        len = n - 1;
    memcpy(dst, src ? src : "", len);
    dst[len] = '\0';
    return (unsigned short)len;
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
    /* Start the two cache misses of this row now, so validation hides them: the
     * village set slot its check will read, and the lines of the row slot it will
     * be written to (memory last touched a batch ago). */
    if (village_digits(in->village_code, &vd) == 0)
        __builtin_prefetch(&b->villages[village_slot(vd)]);
    if (b->cur && b->cur->n < BULK_BATCH)
        for (size_t off = 0; off < sizeof *row; off += 64)
            __builtin_prefetch((char *)&b->cur->rows[b->cur->n] + off, 1);

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

    /* The three set lookups miss the CPU cache; their slots are prefetched and
     * the row is written meanwhile, then counted only if it is no duplicate. */
    he = hkey_of(b, clean.email, strlen(clean.email));
    hp = hkey_of(b, clean.phone, strlen(clean.phone));
    hset_prefetch(&b->email, he);
    hset_prefetch(&b->phone, hp);
    pii_blind_index(b->keys, "nik", in->nik, bidx);
    hn = hkey_of(b, bidx, PII_BIDX_LEN);
    hset_prefetch(&b->nik, hn);

    if (!b->cur || b->cur->n == BULK_BATCH)
        if (push_batch(b, 0) < 0)
            return -1;
    row = &b->cur->rows[b->cur->n];
    row->line = line;
    row->synthetic = synthetic;
    row->len[BULK_EMAIL] = copy_str(row->email, sizeof row->email, clean.email);
    row->len[BULK_PHONE] = copy_str(row->phone, sizeof row->phone, clean.phone);
    row->len[BULK_FULL_NAME] = copy_str(row->full_name, sizeof row->full_name, in->full_name);
    memcpy(row->nik_bidx, bidx, sizeof bidx);
    row->len[BULK_NIK_BIDX] = PII_BIDX_LEN;
    put_digits(row->birth_date, (unsigned)clean.birth.year % 10000u, 4);
    row->birth_date[4] = '-';
    put_digits(row->birth_date + 5, (unsigned)clean.birth.month % 100u, 2);
    row->birth_date[7] = '-';
    put_digits(row->birth_date + 8, (unsigned)clean.birth.day % 100u, 2);
    row->birth_date[10] = '\0';
    row->len[BULK_BIRTH_DATE] = 10;
    row->sex[0] = clean.sex;
    row->sex[1] = '\0';
    row->len[BULK_SEX] = 1;
    if (village_digits(in->village_code, &vd) < 0)
        return -1;
    put_digits(row->village_code, (unsigned)(vd / 100000000 % 100), 2);
    row->village_code[2] = '.';
    put_digits(row->village_code + 3, (unsigned)(vd / 1000000 % 100), 2);
    row->village_code[5] = '.';
    put_digits(row->village_code + 6, (unsigned)(vd / 10000 % 100), 2);
    row->village_code[8] = '.';
    put_digits(row->village_code + 9, (unsigned)(vd % 10000), 4);
    row->village_code[13] = '\0';
    row->len[BULK_VILLAGE] = 13;
    row->len[BULK_REGENCY] =
        copy_str(row->regency_code, sizeof row->regency_code, clean.regency_code);
    row->len[BULK_EDUCATION] = copy_str(row->education, sizeof row->education, in->education);
    row->len[BULK_OCCUPATION] =
        copy_str(row->occupation, sizeof row->occupation, in->occupation);

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
    copy_str(row->nik, sizeof row->nik, in->nik);      /* 16 digits: nik_parse checked */
    copy_str(row->kk, sizeof row->kk, in->kk);         /* likewise kk_parse */
    b->cur->n++;
    return 1;
}

/* ---- writer side ---- */

static const char *const copy_cols[] = {
    "public_id", "role", "email", "phone", "full_name", "nik_enc", "nik_bidx", "kk_enc",
    "kk_bidx", "birth_date", "sex", "village_code", "regency_code", "education", "occupation",
    "synthetic", "created_at",
};
#define BULK_NCOLS ((int)(sizeof copy_cols / sizeof copy_cols[0]))

static const char *insert_sql =
    "INSERT INTO accounts (public_id, role, email, phone, full_name, nik_enc, nik_bidx, kk_enc, "
    "kk_bidx, birth_date, sex, village_code, regency_code, education, occupation, synthetic, "
    "created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, "
    "$17)";

/* The parameters of one row, in the order of copy_cols / insert_sql. */
static void row_vals(const struct bulk *b, const struct bulk_row *r, db_val p[BULK_NCOLS])
{
    p[0] = DB_TEXTN(r->public_id, r->len[BULK_PUBLIC_ID]);
    p[1] = DB_TEXTN("participant", 11);
    p[2] = DB_TEXTN(r->email, r->len[BULK_EMAIL]);
    p[3] = DB_TEXTN(r->phone, r->len[BULK_PHONE]);
    p[4] = DB_TEXTN(r->full_name, r->len[BULK_FULL_NAME]);
    p[5] = DB_TEXTN(r->nik_enc, r->len[BULK_NIK_ENC]);
    p[6] = DB_TEXTN(r->nik_bidx, r->len[BULK_NIK_BIDX]);
    p[7] = DB_TEXTN(r->kk_enc, r->len[BULK_KK_ENC]);
    p[8] = DB_TEXTN(r->kk_bidx, r->len[BULK_KK_BIDX]);
    p[9] = DB_TEXTN(r->birth_date, r->len[BULK_BIRTH_DATE]);
    p[10] = DB_TEXTN(r->sex, r->len[BULK_SEX]);
    p[11] = DB_TEXTN(r->village_code, r->len[BULK_VILLAGE]);
    p[12] = DB_TEXTN(r->regency_code, r->len[BULK_REGENCY]);
    p[13] = DB_TEXTN(r->education, r->len[BULK_EDUCATION]);
    p[14] = DB_TEXTN(r->occupation, r->len[BULK_OCCUPATION]);
    p[15] = DB_INT(r->synthetic);
    p[16] = DB_INT(b->now);
}

static void *producer_main(void *arg)
{
    struct bulk *b = arg;
    b->fn_rc = b->fn(b, b->fn_ctx);
    push_batch(b, 1);
    return NULL;
}

static int start_producer(struct bulk *b)
{
    if (pthread_create(&b->th, NULL, producer_main, b) != 0) {
        fprintf(stderr, "prakerja: cannot start a thread\n");
        return -1;
    }
    b->th_started = 1;
    return 0;
}

static void join_producer(struct bulk *b)
{
    if (b->th_started) {
        pthread_join(b->th, NULL);
        b->th_started = 0;
    }
}

/* The writer's next full batch; NULL once the producer is done and all are taken. */
static struct batch *next_batch(struct bulk *b)
{
    struct batch *bt;
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
    return bt;
}

/* Gives a batch back to the producer; failed tells it to stop producing. */
static void release_batch(struct bulk *b, struct batch *bt, int failed)
{
    pthread_mutex_lock(&b->mu);
    if (failed)
        b->writer_failed = 1;
    bt->next = b->free_list;
    b->free_list = bt;
    pthread_cond_broadcast(&b->cv);
    pthread_mutex_unlock(&b->mu);
}

/* Waits until no thread is finishing a chunk of bt and lets none start, so bt can
 * be dropped unfinished. */
static void settle_batch(struct bulk *b, struct batch *bt)
{
    int taken;
    pthread_mutex_lock(&b->mu);
    taken = bt->claimed;
    bt->claimed = (bt->n + BULK_CHUNK - 1) / BULK_CHUNK;
    while (bt->done < taken)
        pthread_cond_wait(&b->cv, &b->mu);
    pthread_mutex_unlock(&b->mu);
}

/* Takes every remaining batch and drops it (after a failure). */
static void drain(struct bulk *b)
{
    struct batch *bt;
    while ((bt = next_batch(b))) {
        settle_batch(b, bt);
        release_batch(b, bt, 1);
    }
}

static const char *const finish_error = "prakerja: cannot encrypt a row (libsodium failed)";

/* Copies the rows of bt in one db_copy; DB_OK, or the first failure (the copy is
 * then discarded, so none of bt's rows was written). */
static int copy_batch(struct bulk *b, db_copy *c, const struct batch *bt)
{
    db_val p[BULK_NCOLS];
    for (int i = 0; i < bt->n; i++) {
        int rc;
        /* The rows were written on the other core and are no longer in this one's
         * cache: fetch the next row's lines while this one is written (measured:
         * the first read of each field was a miss, 5% of the writer's time). */
        if (i + 1 < bt->n)
            for (size_t off = 0; off < sizeof bt->rows[0]; off += 64)
                __builtin_prefetch((const char *)&bt->rows[i + 1] + off);
        row_vals(b, &bt->rows[i], p);
        if ((rc = db_copy_row(c, p)) != DB_OK)
            return rc;
    }
    return DB_OK;
}

/* ---- rebuild mode ---- */

/* Reads the droppable indexes of accounts (those with SQL of their own, not the
 * ones behind an inline UNIQUE) into b->idx. */
static int list_indexes(struct bulk *b)
{
    db_rows *r = NULL;
    int rc = db_query(b->d,
                      "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND "
                      "tbl_name = 'accounts' AND sql IS NOT NULL ORDER BY name",
                      NULL, 0, &r);
    if (rc != DB_OK)
        return rc;
    while ((rc = db_step(r)) == DB_ROW) {
        struct bulk_index *x;
        if (b->nidx == BULK_MAX_INDEXES)
            continue;
        x = &b->idx[b->nidx];
        x->name = strdup(db_text(r, 0));
        x->sql = strdup(db_text(r, 1));
        if (!x->name || !x->sql) {
            free(x->name);
            free(x->sql);
            rc = DB_ERR;
            break;
        }
        b->nidx++;
    }
    db_rows_free(r);
    return rc == DB_DONE ? DB_OK : DB_ERR;
}

/* Sets the connection up for CREATE INDEX (on) or back for writing rows (off).
 * SQLite sorts index keys in runs no larger than the page cache and, with
 * PRAGMA threads, sorts and merges runs on helper threads; one run the size of
 * the whole index (what a big cache gives) is sorted by one thread in an order
 * that misses the CPU cache at every step. So while indexes are built the cache
 * is cut to BULK_SORT_CACHE_KIB, which makes runs that fit the CPU cache and
 * keeps the other core busy, and the spill threshold is raised to the bulk cache
 * size, so the loaded pages, all dirty, stay in memory instead of being written
 * to the WAL early and read back for each index (measured on 1M rows: the six
 * builds took 4.6-6.6 s instead of 8.3-10 s). */
static void sorter_tune(db *d, int on)
{
    char sql[64];
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    if (on) {
        snprintf(sql, sizeof sql, "PRAGMA threads=%ld", ncpu > 1 ? (ncpu < 8 ? ncpu : 8) : 0);
        db_exec(d, sql);
        snprintf(sql, sizeof sql, "PRAGMA cache_spill=-%d", BULK_CACHE_KIB);
        db_exec(d, sql);
        snprintf(sql, sizeof sql, "PRAGMA cache_size=-%d", BULK_SORT_CACHE_KIB);
        db_exec(d, sql);
    } else {
        snprintf(sql, sizeof sql, "PRAGMA cache_size=-%d", BULK_CACHE_KIB);
        db_exec(d, sql);
        db_exec(d, "PRAGMA cache_spill=1");
        db_exec(d, "PRAGMA threads=0");
    }
}

struct rebuild_ctx {
    struct bulk *b;
    long written;
    const char *failed_index;        /* a unique index that could not be rebuilt */
};

static int rebuild_txn(db *d, void *vctx)
{
    struct rebuild_ctx *x = vctx;
    struct bulk *b = x->b;
    struct progress ip;
    db_copy *c = NULL;
    struct batch *bt;
    int rc = DB_OK;

    if (b->txn_entered)
        return DB_ERR;               /* db_txn retrying after the producer ran: give up */
    b->txn_entered = 1;
    if (load_existing(b) < 0)
        return DB_ERR;
    if ((rc = list_indexes(b)) != DB_OK) {
        fprintf(stderr, "prakerja: cannot list the indexes of accounts: %s\n", db_errmsg(d));
        return DB_ERR;
    }
    for (int i = 0; i < b->nidx; i++) {
        char sql[160];
        snprintf(sql, sizeof sql, "DROP INDEX \"%s\"", b->idx[i].name);
        if (db_exec(d, sql) != DB_OK) {
            fprintf(stderr, "prakerja: cannot drop index %s: %s\n", b->idx[i].name,
                    db_errmsg(d));
            return DB_ERR;
        }
    }
    if (start_producer(b) < 0)
        return DB_ERR;
    if (db_copy_begin(d, "accounts", copy_cols, BULK_NCOLS, &c) != DB_OK) {
        fprintf(stderr, "prakerja: writing accounts failed: %s\n", db_errmsg(d));
        drain(b);
        join_producer(b);
        return DB_ERR;
    }
    while ((bt = next_batch(b))) {
        if (finish_batch(b, bt) < 0) {
            fprintf(stderr, "%s\n", finish_error);
            rc = DB_ERR;
        } else if ((rc = copy_batch(b, c, bt)) != DB_OK) {
            fprintf(stderr, "prakerja: writing accounts failed: %s\n", db_errmsg(d));
        } else {
            x->written += bt->n;
        }
        release_batch(b, bt, rc != DB_OK);
        if (rc != DB_OK) {
            drain(b);
            break;
        }
    }
    join_producer(b);
    if (b->prog_on) {
        progress_finish(&b->prog);
        b->prog_on = 0;
    }
    if (rc != DB_OK || b->fn_rc != 0) {
        db_copy_end(c, 0, NULL);
        return DB_ERR;
    }
    if (db_copy_end(c, 1, NULL) != DB_OK) {
        fprintf(stderr, "prakerja: writing accounts failed: %s\n", db_errmsg(d));
        return DB_ERR;
    }
    sorter_tune(d, 1);
    progress_start(&ip, "indexes", b->nidx);
    for (int i = 0; i < b->nidx; i++) {
        rc = db_exec(d, b->idx[i].sql);
        if (rc != DB_OK) {
            if (rc == DB_ECONSTRAINT)
                x->failed_index = b->idx[i].name;
            else
                fprintf(stderr, "prakerja: cannot build index %s: %s\n", b->idx[i].name,
                        db_errmsg(d));
            sorter_tune(d, 0);
            return DB_ERR;
        }
        progress_update(&ip, i + 1);
    }
    progress_finish(&ip);
    sorter_tune(d, 0);
    return DB_OK;
}

/* Switches this connection to a rollback journal if it is the only one on the
 * database (see the top). Never waits: the busy timeout is 0 while it tries, and
 * a refusal (another connection is open) keeps WAL. Returns 1 when the journal
 * is now DELETE, else 0. */
static int journal_enter(db *d)
{
    char mode[16] = "", sql[48];
    int64_t timeout = 0;
    int rc;

    if (db_one_int(d, "PRAGMA busy_timeout", NULL, 0, &timeout) != DB_OK)
        return 0;
    if (db_exec(d, "PRAGMA busy_timeout=0") != DB_OK)
        return 0;
    rc = db_one_text(d, "PRAGMA journal_mode=DELETE", NULL, 0, mode, sizeof mode);
    snprintf(sql, sizeof sql, "PRAGMA busy_timeout=%lld", (long long)timeout);
    db_exec(d, sql);
    return rc == DB_OK && strcmp(mode, "delete") == 0;
}

/* Puts the database back in WAL mode after journal_enter. If that fails (another
 * process opened it meanwhile and holds it), the next prakerja connection to open
 * it sets WAL again (every connection asks for it), so this only warns. */
static void journal_leave(db *d)
{
    char mode[16] = "";

    if (db_one_text(d, "PRAGMA journal_mode=WAL", NULL, 0, mode, sizeof mode) != DB_OK ||
        strcmp(mode, "wal") != 0)
        fprintf(stderr, "prakerja: warning: could not put the database back in WAL mode "
                        "(%s); the next connection will\n", db_errmsg(d));
}

static int run_rebuild(struct bulk *b, struct bulk_stats *st)
{
    struct rebuild_ctx x = {b, 0, NULL};
    int rc, rollback_journal;

    rollback_journal = journal_enter(b->d);
    rc = db_txn(b->d, rebuild_txn, &x);
    if (rollback_journal)
        journal_leave(b->d);
    join_producer(b);
    if (x.failed_index)
        fprintf(stderr, "prakerja: index %s could not be rebuilt (a duplicate that the checks "
                        "missed); nothing was imported\n", x.failed_index);
    else if (rc != DB_OK && b->txn_entered && b->fn_rc == 0)
        fprintf(stderr, "prakerja: the import failed and was rolled back: %s\n",
                db_errmsg(b->d));
    if (rc == DB_OK)
        st->imported = x.written;
    else if (!b->txn_entered)
        fprintf(stderr, "prakerja: cannot start the import: %s\n", db_errmsg(b->d));
    return rc == DB_OK && b->fn_rc == 0 ? 0 : -1;
}

/* ---- batch mode ---- */

struct batch_ctx {
    struct bulk *b;
    struct batch *bt;
};

/* One batch in one transaction: a copy of all rows, or, when the copy is refused,
 * the rows one by one so only the conflicting ones fail. */
static int batch_txn(db *d, void *vctx)
{
    struct batch_ctx *w = vctx;
    struct batch *bt = w->bt;
    db_copy *c = NULL;
    db_val p[BULK_NCOLS];
    int rc;

    memset(bt->failed, 0, (size_t)bt->n);
    rc = db_copy_begin(d, "accounts", copy_cols, BULK_NCOLS, &c);
    if (rc != DB_OK)
        return rc;
    rc = copy_batch(w->b, c, bt);
    if (rc == DB_OK)
        rc = db_copy_end(c, 1, NULL);     /* COPY reports a conflict here */
    else
        db_copy_end(c, 0, NULL);
    if (rc != DB_ECONSTRAINT)
        return rc;
    for (int i = 0; i < bt->n; i++) {
        row_vals(w->b, &bt->rows[i], p);
        rc = db_run(d, insert_sql, p, BULK_NCOLS, NULL);
        if (rc == DB_ECONSTRAINT)
            bt->failed[i] = 1;
        else if (rc != DB_OK)
            return rc;
    }
    return DB_OK;
}

static int run_batches(struct bulk *b, struct bulk_stats *st)
{
    struct batch *bt;
    int failed = 0;

    if (load_existing(b) < 0 || start_producer(b) < 0)
        return -1;
    while ((bt = next_batch(b))) {
        struct batch_ctx w = {b, bt};
        int rc = DB_OK;

        if (failed) {
            settle_batch(b, bt);
        } else if (finish_batch(b, bt) < 0) {
            fprintf(stderr, "%s\n", finish_error);
            failed = 1;
        } else {
            rc = db_txn(b->d, batch_txn, &w);
            if (rc != DB_OK) {
                fprintf(stderr, "prakerja: writing accounts failed: %s\n", db_errmsg(b->d));
                failed = 1;
            }
        }
        if (!failed) {
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
        release_batch(b, bt, failed);
    }
    join_producer(b);
    return failed ? -1 : 0;
}

int bulk_run(struct bulk *b, bulk_producer_fn producer, void *ctx, struct bulk_stats *st)
{
    int64_t have = 0;
    int rc;

    memset(st, 0, sizeof *st);
    b->fn = producer;
    b->fn_ctx = ctx;
    if (db_one_int(b->d, "SELECT COALESCE(MAX(id), 0) FROM accounts", NULL, 0, &have) != DB_OK)
        have = 0;
    if (db_engine(b->d) == DB_SQLITE && b->expect > 0 && (int64_t)b->expect * 2 >= have)
        rc = run_rebuild(b, st);
    else
        rc = run_batches(b, st);
    if (b->prog_on) {
        progress_finish(&b->prog);
        b->prog_on = 0;
    }
    /* Copy what this run put in the WAL into the database now, rather than leave
     * it to whichever writer next crosses the autocheckpoint threshold: with a
     * server running that would be a registration request. */
    if (db_engine(b->d) == DB_SQLITE && st->imported > 0)
        db_exec(b->d, "PRAGMA wal_checkpoint(PASSIVE)");
    st->rejected += b->rejected;
    return rc < 0 || b->fn_rc != 0 ? -1 : 0;
}
