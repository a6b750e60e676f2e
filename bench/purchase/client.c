/*
 * bench/purchase client: signed purchases per second through the partner API,
 * and the same writes straight into SQLite, for bench/purchase/run.
 *
 *   client api PORT DB KEY_ID SECRET COURSE_ID N CONNS SECONDS
 *       Reads the funded active cards of the scheme that allows several trainings
 *       at once from DB (SQLite, read only), asks the server for one purchase code
 *       per purchase (POST /partner/cards/{card}/otp, untimed) and reads the codes
 *       from the SMS the server queued in the outbox; then times N purchases
 *       (POST /partner/purchases, each signed with a fresh nonce and its own
 *       Idempotency-Key) over CONNS keep-alive connections: CONNS threads, each
 *       re-using one libcurl easy handle, taking the next purchase from a shared
 *       counter until N are done or SECONDS have passed. Purchase i is for card
 *       i % cards, so concurrent requests mostly touch different cards. Asking for
 *       the codes also stops after SECONDS, and then N becomes the codes got.
 *   client raw DB N
 *       On DB (a copy of the database after the API run), N transactions of the
 *       very writes one purchase makes, as prepared statements with the server's
 *       settings (WAL, synchronous=FULL, foreign keys on) and no checks: the
 *       purchase row, the ledger entry and its two lines, both account balances,
 *       the beneficiary, the seat, the purchase code, the audit row.
 *
 * Each prints "key: value" lines (ok, failed, seconds, per_second, ...).
 */
#include <curl/curl.h>
#include <pthread.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "partner_sign.h"

#define CODE_LEN 6

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void die(const char *what, const char *why)
{
    fprintf(stderr, "bench/purchase: %s: %s\n", what, why);
    exit(1);
}

/* ---- cards and codes ---- */

struct card {
    char number[17];
    char phone[24];
    char (*codes)[CODE_LEN + 1];     /* purchase codes read from the outbox */
    int ncodes, cap;
};

static struct card *cards;
static int ncards;

static void load_cards(sqlite3 *db, int want)
{
    sqlite3_stmt *st;
    int cap = 0;
    if (sqlite3_prepare_v2(db,
            "SELECT b.card_number, a.phone FROM beneficiaries b JOIN accounts a ON a.id = "
            "b.account_id JOIN schemes s ON s.id = b.scheme_id JOIN ledger_accounts l ON l.code = "
            "'card:' || b.card_number AND l.balance = b.balance WHERE b.status = 'active' AND "
            "s.concurrent_trainings = 1 AND b.balance >= 100000 ORDER BY b.id LIMIT ?1",
            -1, &st, NULL) != SQLITE_OK)
        die("cards", sqlite3_errmsg(db));
    sqlite3_bind_int(st, 1, want);
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (ncards == cap) {
            cap = cap ? cap * 2 : 256;
            cards = realloc(cards, (size_t)cap * sizeof *cards);
            if (!cards)
                die("cards", "out of memory");
        }
        memset(&cards[ncards], 0, sizeof cards[0]);
        snprintf(cards[ncards].number, sizeof cards[0].number, "%s",
                 (const char *)sqlite3_column_text(st, 0));
        snprintf(cards[ncards].phone, sizeof cards[0].phone, "%s",
                 (const char *)sqlite3_column_text(st, 1));
        ncards++;
    }
    sqlite3_finalize(st);
}

static int by_phone(const void *a, const void *b)
{
    return strcmp(cards[*(const int *)a].phone, cards[*(const int *)b].phone);
}

/* Every purchase code in the SMS queued after outbox id `after`, to its card. */
static long read_codes(sqlite3 *db, long long after)
{
    sqlite3_stmt *st;
    long n = 0;
    int *order = malloc((size_t)ncards * sizeof *order);
    if (!order)
        die("codes", "out of memory");
    for (int i = 0; i < ncards; i++)
        order[i] = i;
    qsort(order, (size_t)ncards, sizeof *order, by_phone);
    if (sqlite3_prepare_v2(db, "SELECT recipient, body FROM outbox WHERE channel = 'sms' AND "
                               "id > ?1 ORDER BY id", -1, &st, NULL) != SQLITE_OK)
        die("outbox", sqlite3_errmsg(db));
    sqlite3_bind_int64(st, 1, after);
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *body = (const char *)sqlite3_column_text(st, 1);
        const char *to = (const char *)sqlite3_column_text(st, 0);
        struct card *c = NULL;
        int lo = 0, hi = ncards;
        while (to && lo < hi) {              /* binary search of order by phone */
            int mid = (lo + hi) / 2, cmp = strcmp(cards[order[mid]].phone, to);
            if (cmp == 0) {
                c = &cards[order[mid]];
                break;
            }
            if (cmp < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        const char *p = body ? strstr(body, ": ") : NULL;
        /* "...di <platform>: 123456. Berlaku ..." : the six digits after the last ": " */
        for (const char *q = p; q; q = strstr(q + 1, ": "))
            p = q;
        if (!c || !p || strspn(p + 2, "0123456789") != CODE_LEN)
            continue;
        if (c->ncodes == c->cap) {
            c->cap = c->cap ? c->cap * 2 : 8;
            c->codes = realloc(c->codes, (size_t)c->cap * sizeof *c->codes);
            if (!c->codes)
                die("codes", "out of memory");
        }
        memcpy(c->codes[c->ncodes], p + 2, CODE_LEN);
        c->codes[c->ncodes][CODE_LEN] = '\0';
        c->ncodes++;
        n++;
    }
    sqlite3_finalize(st);
    free(order);
    return n;
}

/* ---- HTTP ---- */

struct sink {
    char buf[4096];
    size_t len;
};

static size_t sink_write(char *p, size_t size, size_t n, void *arg)
{
    struct sink *s = arg;
    size_t add = size * n, room = sizeof s->buf - 1 - s->len;
    memcpy(s->buf + s->len, p, add < room ? add : room);
    s->len += add < room ? add : room;
    s->buf[s->len] = '\0';
    return add;
}

static int port;
static const char *key_id, *secret, *course;
static long total;
static double deadline;
static atomic_long next_i, ok, failed, otps_done;
static char first_error[512];
static pthread_mutex_t err_lock = PTHREAD_MUTEX_INITIALIZER;

/* One signed POST on the thread's handle; the status, the body in s. */
static long post(CURL *c, const char *path, const char *body, const char *idem, struct sink *s)
{
    struct partner_sig sig;
    struct curl_slist *h = NULL;
    char url[256], ih[96];
    long status = 0;

    if (partner_sign(&sig, key_id, secret, "POST", path, body, strlen(body), 0, NULL) != 0)
        die("sign", "bad secret");
    for (int i = 0; i < 4; i++)
        h = curl_slist_append(h, sig.headers[i]);
    h = curl_slist_append(h, "Content-Type: application/json");
    h = curl_slist_append(h, "Expect:");
    if (idem) {
        snprintf(ih, sizeof ih, "Idempotency-Key: %s", idem);
        h = curl_slist_append(h, ih);
    }
    snprintf(url, sizeof url, "http://127.0.0.1:%d%s", port, path);
    s->len = 0;
    s->buf[0] = '\0';
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
    if (curl_easy_perform(c) == CURLE_OK)
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(h);
    return status;
}

static CURL *handle(struct sink *s)
{
    CURL *c = curl_easy_init();
    if (!c)
        die("curl", "no handle");
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, sink_write);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, s);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_TCP_KEEPALIVE, 1L);
    return c;
}

static void note_error(long status, const char *body)
{
    pthread_mutex_lock(&err_lock);
    if (!first_error[0])
        snprintf(first_error, sizeof first_error, "%ld %.400s", status, body);
    pthread_mutex_unlock(&err_lock);
}

static void *otp_worker(void *arg)
{
    struct sink s;
    CURL *c = handle(&s);
    char path[96];
    long i;
    (void)arg;
    while (now() < deadline && (i = atomic_fetch_add(&next_i, 1)) < total) {
        snprintf(path, sizeof path, "/api/v1/partner/cards/%s/otp", cards[i % ncards].number);
        long st = post(c, path, "{\"platform_account\":\"bench\"}", NULL, &s);
        if (st == 202)
            atomic_fetch_add(&otps_done, 1);
        else
            note_error(st, s.buf);
    }
    curl_easy_cleanup(c);
    return NULL;
}

static void *buy_worker(void *arg)
{
    struct sink s;
    CURL *c = handle(&s);
    char body[512], key[40];
    long i;
    (void)arg;
    while (now() < deadline && (i = atomic_fetch_add(&next_i, 1)) < total) {
        struct card *cd = &cards[i % ncards];
        long use = i / ncards;
        if (use >= cd->ncodes) {
            atomic_fetch_add(&failed, 1);
            note_error(0, "no purchase code left for a card");
            continue;
        }
        /* one platform account per card: the binding rule */
        snprintf(body, sizeof body, "{\"card_number\":\"%s\",\"course_id\":\"%s\",\"otp\":\"%s\","
                                    "\"platform_account\":\"bench-%s\"}", cd->number, course,
                 cd->codes[use], cd->number);
        snprintf(key, sizeof key, "bench-%08ld", i);
        long st = post(c, "/api/v1/partner/purchases", body, key, &s);
        if (st == 201) {
            atomic_fetch_add(&ok, 1);
        } else {
            atomic_fetch_add(&failed, 1);
            note_error(st, s.buf);
        }
    }
    curl_easy_cleanup(c);
    return NULL;
}

static void run_threads(int conns, void *(*fn)(void *))
{
    pthread_t *th = calloc((size_t)conns, sizeof *th);
    if (!th)
        die("threads", "out of memory");
    atomic_store(&next_i, 0);
    for (int i = 0; i < conns; i++)
        if (pthread_create(&th[i], NULL, fn, NULL) != 0)
            die("threads", "pthread_create");
    for (int i = 0; i < conns; i++)
        pthread_join(th[i], NULL);
    free(th);
}

static int cmd_api(int argc, char **argv)
{
    sqlite3 *db;
    long long last_sms = 0;
    int conns, seconds;
    double t0, t1;

    if (argc != 10)
        die("usage", "client api PORT DB KEY_ID SECRET COURSE_ID N CONNS SECONDS");
    port = atoi(argv[2]);
    key_id = argv[4];
    secret = argv[5];
    course = argv[6];
    total = atol(argv[7]);
    conns = atoi(argv[8]);
    seconds = atoi(argv[9]);
    if (port <= 0 || total <= 0 || conns <= 0 || seconds <= 0)
        die("usage", "bad numbers");
    if (sqlite3_open_v2(argv[3], &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
        die(argv[3], sqlite3_errmsg(db));
    sqlite3_busy_timeout(db, 5000);
    load_cards(db, (int)(total < 2000 ? total : 2000));
    if (ncards == 0)
        die("cards", "no funded card of a scheme with concurrent trainings (run the demo first)");
    {
        sqlite3_stmt *st;
        sqlite3_prepare_v2(db, "SELECT COALESCE(MAX(id), 0) FROM outbox", -1, &st, NULL);
        if (sqlite3_step(st) == SQLITE_ROW)
            last_sms = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
    }

    /* untimed: one purchase code per purchase, read from the outbox; at most SECONDS
     * of it, and then only as many purchases as there are codes */
    deadline = now() + seconds;
    t0 = now();
    run_threads(conns, otp_worker);
    t1 = now();
    printf("otp_requests: %ld\n", (long)atomic_load(&otps_done));
    printf("otp_seconds: %.2f\n", t1 - t0);
    if (first_error[0])
        die("purchase codes", first_error);
    total = atomic_load(&otps_done);
    printf("codes_read: %ld\n", read_codes(db, last_sms));
    sqlite3_close(db);

    /* timed: the purchases */
    deadline = now() + seconds;
    t0 = now();
    run_threads(conns, buy_worker);
    t1 = now();
    printf("cards: %d\n", ncards);
    printf("connections: %d\n", conns);
    printf("ok: %ld\n", (long)atomic_load(&ok));
    printf("failed: %ld\n", (long)atomic_load(&failed));
    printf("seconds: %.3f\n", t1 - t0);
    printf("per_second: %.1f\n", (double)atomic_load(&ok) / (t1 - t0));
    if (first_error[0])
        printf("first_error: %s\n", first_error);
    return atomic_load(&failed) == 0 ? 0 : 1;
}

/* ---- the raw writes ---- */

static sqlite3_stmt *prep(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK)
        die(sql, sqlite3_errmsg(db));
    return st;
}

static void step(sqlite3 *db, sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        die("step", sqlite3_errmsg(db));
    sqlite3_reset(st);
}

static int cmd_raw(int argc, char **argv)
{
    sqlite3 *db;
    sqlite3_stmt *begin, *commit, *ins_p, *ins_e, *ins_l, *upd_a, *upd_b, *upd_s, *upd_o, *ins_a;
    long long bene = 0, course_id = 0, session = 0, platform = 0, card_acct = 0, plat_acct = 0;
    long long otp = 0, id_base;
    long n;
    double t0, t1;
    char *err = NULL;

    if (argc != 4)
        die("usage", "client raw DB N");
    n = atol(argv[3]);
    if (sqlite3_open(argv[2], &db) != SQLITE_OK)
        die(argv[2], sqlite3_errmsg(db));
    if (sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; "
                         "PRAGMA synchronous=FULL", NULL, NULL, &err) != SQLITE_OK)
        die("pragma", err);
    /* the rows a purchase touches, taken from the API run's first purchase */
    {
        sqlite3_stmt *st = prep(db,
            "SELECT p.beneficiary_id, p.course_id, p.session_id, p.platform_id, "
            "(SELECT id FROM ledger_accounts WHERE code = 'card:' || b.card_number), "
            "(SELECT id FROM ledger_accounts WHERE code = 'platform:' || pl.public_id), "
            "(SELECT MAX(id) FROM purchase_otps), (SELECT MAX(id) FROM purchases) "
            "FROM purchases p JOIN beneficiaries b ON b.id = p.beneficiary_id JOIN partners pl "
            "ON pl.id = p.platform_id WHERE p.idempotency_key LIKE 'bench-%' ORDER BY p.id "
            "LIMIT 1");
        if (sqlite3_step(st) != SQLITE_ROW)
            die("raw", "no purchase of the API run to copy");
        bene = sqlite3_column_int64(st, 0);
        course_id = sqlite3_column_int64(st, 1);
        session = sqlite3_column_int64(st, 2);
        platform = sqlite3_column_int64(st, 3);
        card_acct = sqlite3_column_int64(st, 4);
        plat_acct = sqlite3_column_int64(st, 5);
        otp = sqlite3_column_int64(st, 6);
        id_base = sqlite3_column_int64(st, 7);
        sqlite3_finalize(st);
    }
    begin = prep(db, "BEGIN IMMEDIATE");
    commit = prep(db, "COMMIT");
    ins_p = prep(db, "INSERT INTO purchases (public_id, beneficiary_id, platform_id, course_id, "
                     "session_id, price, voucher_code, status, idempotency_key, request_hash, "
                     "created_at) VALUES (?1, ?2, ?3, ?4, ?5, 1, ?6, 'paid', ?7, ?8, ?9)");
    ins_e = prep(db, "INSERT INTO ledger_entries (kind, ref, at) VALUES ('purchase', ?1, ?2) "
                     "RETURNING id");
    ins_l = prep(db, "INSERT INTO ledger_lines (entry_id, account_id, amount) VALUES (?1, ?2, ?3)");
    upd_a = prep(db, "UPDATE ledger_accounts SET balance = balance + ?1 WHERE id = ?2");
    upd_b = prep(db, "UPDATE beneficiaries SET balance = balance - 1, first_purchase_at = "
                     "COALESCE(first_purchase_at, ?2) WHERE id = ?1");
    upd_s = prep(db, "UPDATE course_sessions SET seats_taken = seats_taken + 1 WHERE id = ?1");
    upd_o = prep(db, "UPDATE purchase_otps SET used_at = ?2 WHERE id = ?1");
    ins_a = prep(db, "INSERT INTO audit_log (at, actor, action, subject, detail, prev_hash, hash) "
                     "VALUES (?1, 'partner:bench', 'purchase.create', ?2, 'raw', ?3, ?4)");
    t0 = now();
    for (long i = 0; i < n; i++) {
        char pid[32], voucher[32], key[40], hash[80], ref[48];
        long long at = (long long)time(NULL), entry;
        snprintf(pid, sizeof pid, "raw%023lld", id_base + i);
        snprintf(voucher, sizeof voucher, "RAW-%015lld", id_base + i);
        snprintf(key, sizeof key, "raw-%ld", i);
        snprintf(hash, sizeof hash, "%064ld", i);
        snprintf(ref, sizeof ref, "purchase:%s", pid);
        step(db, begin);
        sqlite3_bind_text(ins_p, 1, pid, -1, SQLITE_STATIC);
        sqlite3_bind_int64(ins_p, 2, bene);
        sqlite3_bind_int64(ins_p, 3, platform);
        sqlite3_bind_int64(ins_p, 4, course_id);
        sqlite3_bind_int64(ins_p, 5, session);
        sqlite3_bind_text(ins_p, 6, voucher, -1, SQLITE_STATIC);
        sqlite3_bind_text(ins_p, 7, key, -1, SQLITE_STATIC);
        sqlite3_bind_text(ins_p, 8, hash, -1, SQLITE_STATIC);
        sqlite3_bind_int64(ins_p, 9, at);
        step(db, ins_p);
        sqlite3_bind_text(ins_e, 1, ref, -1, SQLITE_STATIC);
        sqlite3_bind_int64(ins_e, 2, at);
        if (sqlite3_step(ins_e) != SQLITE_ROW)
            die("entry", sqlite3_errmsg(db));
        entry = sqlite3_column_int64(ins_e, 0);
        sqlite3_reset(ins_e);
        for (int side = 0; side < 2; side++) {
            sqlite3_bind_int64(ins_l, 1, entry);
            sqlite3_bind_int64(ins_l, 2, side ? plat_acct : card_acct);
            sqlite3_bind_int64(ins_l, 3, side ? 1 : -1);
            step(db, ins_l);
            sqlite3_bind_int64(upd_a, 1, side ? 1 : -1);
            sqlite3_bind_int64(upd_a, 2, side ? plat_acct : card_acct);
            step(db, upd_a);
        }
        sqlite3_bind_int64(upd_b, 1, bene);
        sqlite3_bind_int64(upd_b, 2, at);
        step(db, upd_b);
        sqlite3_bind_int64(upd_s, 1, session);
        step(db, upd_s);
        sqlite3_bind_int64(upd_o, 1, otp);
        sqlite3_bind_int64(upd_o, 2, at);
        step(db, upd_o);
        sqlite3_bind_int64(ins_a, 1, at);
        sqlite3_bind_text(ins_a, 2, pid, -1, SQLITE_STATIC);
        sqlite3_bind_text(ins_a, 3, hash, -1, SQLITE_STATIC);
        sqlite3_bind_text(ins_a, 4, hash, -1, SQLITE_STATIC);
        step(db, ins_a);
        step(db, commit);
    }
    t1 = now();
    printf("ok: %ld\n", n);
    printf("seconds: %.3f\n", t1 - t0);
    printf("per_second: %.1f\n", (double)n / (t1 - t0));
    sqlite3_stmt *all[] = {begin, commit, ins_p, ins_e, ins_l, upd_a, upd_b, upd_s, upd_o, ins_a};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        sqlite3_finalize(all[i]);
    sqlite3_close(db);
    return 0;
}

int main(int argc, char **argv)
{
    if (sodium_init() < 0 || curl_global_init(CURL_GLOBAL_ALL) != 0)
        die("init", "libsodium or libcurl");
    if (argc >= 2 && strcmp(argv[1], "api") == 0)
        return cmd_api(argc, argv);
    if (argc >= 2 && strcmp(argv[1], "raw") == 0)
        return cmd_raw(argc, argv);
    die("usage", "client api ... | client raw DB N");
    return 2;
}
