/*
 * beneficiaries (store): SQL for the beneficiaries table. Issuing cards after a
 * draw is set-based, so that 10^5 selections cost a handful of statements: the
 * new card numbers are drawn in memory (libsodium randombytes_uniform), made
 * unique among themselves by sorting, bulk-loaded (db_copy) into a temporary
 * table of the connection, checked against the stored numbers with one join
 * (clashes drawn again, one by one: with 10^11 numbers per prefix they are rare),
 * and inserted with one INSERT ... SELECT joining the applications and accounts.
 *
 * The money moves in the same transaction, through the ledger's set-based stage
 * (store/ledger.h): at issue the wave's total funds the budget and each new card
 * is credited with its balance; at revocation each revoked card's balance goes
 * back to the state before beneficiaries.balance is set to 0, so that a card's
 * balance and its ledger account never differ.
 */
#include "store/beneficiaries.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "store/audit.h"
#include "store/db_driver.h"
#include "store/ledger.h"
#include "util/str.h"

#define COLS "b.id, b.card_number, b.account_id, b.application_id, b.wave_id, w.number, " \
             "s.code, s.training_balance, b.regency_code, b.balance, b.purchase_deadline, " \
             "b.first_purchase_at, b.status, b.revoked_at, b.returned_balance, b.created_at"
#define BODY_SPACE 100000000000ULL       /* 11 random digits */
#define CLASH_ROUNDS 20

int beneficiaries_by_account(db *d, int64_t account_id, struct beneficiary *out)
{
    db_val p = DB_INT(account_id);
    db_rows *r = NULL;
    int rc = db_query(d, "SELECT " COLS " FROM beneficiaries b JOIN waves w ON w.id = b.wave_id "
                         "JOIN schemes s ON s.id = b.scheme_id WHERE b.account_id = $1",
                      &p, 1, &r);
    if (rc != DB_OK)
        goto out;
    rc = db_step(r);
    if (rc == DB_DONE) {
        rc = DB_ENOTFOUND;
    } else if (rc == DB_ROW) {
        memset(out, 0, sizeof *out);
        out->id = db_int(r, 0);
        str_copy(out->card_number, sizeof out->card_number, db_text(r, 1));
        out->account_id = db_int(r, 2);
        out->application_id = db_int(r, 3);
        out->wave_id = db_int(r, 4);
        out->wave = (int)db_int(r, 5);
        str_copy(out->scheme, sizeof out->scheme, db_text(r, 6));
        out->training_balance = db_int(r, 7);
        str_copy(out->regency_code, sizeof out->regency_code, db_text(r, 8));
        out->balance = db_int(r, 9);
        out->purchase_deadline = db_int(r, 10);
        out->first_purchase_at = db_int(r, 11);
        str_copy(out->status, sizeof out->status, db_text(r, 12));
        out->revoked_at = db_int(r, 13);
        out->returned_balance = db_int(r, 14);
        out->created_at = db_int(r, 15);
        rc = DB_OK;
    }
out:
    db_rows_free(r);
    return rc;
}

/* A random card body number below BODY_SPACE. */
static uint64_t random_body(void)
{
    return (uint64_t)randombytes_uniform(100000) * 1000000u + randombytes_uniform(1000000);
}

static void card_of(uint64_t body, char out[CARD_LEN + 1])
{
    char b[32];
    snprintf(b, sizeof b, "%s%011llu", BENEFICIARIES_CARD_PREFIX,
             (unsigned long long)(body % BODY_SPACE));
    card_make(b, out);
}

struct newcard {
    uint64_t body;
    int64_t application_id;
};

static int body_cmp(const void *a, const void *b)
{
    uint64_t x = ((const struct newcard *)a)->body, y = ((const struct newcard *)b)->body;
    return (x > y) - (x < y);
}

/* Sorts c by body and draws again every body equal to its predecessor until all
 * differ. */
static void make_unique(struct newcard *c, size_t n)
{
    for (;;) {
        int again = 0;
        qsort(c, n, sizeof *c, body_cmp);
        for (size_t i = 1; i < n; i++)
            if (c[i].body == c[i - 1].body) {
                c[i].body = random_body();
                again = 1;
            }
        if (!again)
            return;
    }
}

static int in_batch(const struct newcard *c, size_t n, uint64_t body)
{
    struct newcard key = {body, 0};
    return bsearch(&key, c, n, sizeof *c, body_cmp) != NULL;
}

/* The ledger side of an issue: the cards of beneficiaries_new, as stored, each
 * credited with its balance after one fund entry of the total (ref "wave:N"). */
static int credit_new_cards(db *d, int64_t wave_id, int64_t at)
{
    db_val w = DB_INT(wave_id);
    int64_t number = 0;
    char ref[32];
    int rc = db_one_int(d, "SELECT number FROM waves WHERE id = $1", &w, 1, &number);

    if (rc == DB_OK)
        rc = ledger_stage_begin(d);
    if (rc == DB_OK)
        rc = db_run(d, "INSERT INTO ledger_stage (card_number, amount) SELECT b.card_number, "
                       "b.balance FROM beneficiaries_new n JOIN beneficiaries b ON "
                       "b.card_number = n.card_number WHERE b.balance > 0", NULL, 0, NULL);
    snprintf(ref, sizeof ref, "wave:%lld", (long long)number);
    if (rc == DB_OK)
        rc = ledger_stage_credit(d, ref, at, NULL, NULL);
    return rc;
}

int beneficiaries_issue(db *d, int64_t wave_id, const struct scheme *s, int64_t drawn_at,
                        int64_t *issued)
{
    static const char *const cols[] = {"application_id", "card_number"};
    struct newcard *c = NULL;
    size_t n = 0, cap = 0;
    db_rows *r = NULL;
    db_copy *cp = NULL;
    int64_t changes = 0;
    int rc;
    db_val w = DB_INT(wave_id);

    if (issued)
        *issued = 0;
    rc = db_exec(d, "CREATE TEMP TABLE IF NOT EXISTS beneficiaries_new "
                    "(application_id BIGINT PRIMARY KEY, card_number TEXT NOT NULL)");
    if (rc == DB_OK)
        rc = db_run(d, "DELETE FROM beneficiaries_new", NULL, 0, NULL);
    if (rc == DB_OK)
        rc = db_query(d, "SELECT a.id FROM applications a WHERE a.wave_id = $1 AND "
                         "a.status = 'selected' AND NOT EXISTS (SELECT 1 FROM beneficiaries b "
                         "WHERE b.application_id = a.id)", &w, 1, &r);
    if (rc != DB_OK)
        goto out;
    while ((rc = db_step(r)) == DB_ROW) {
        if (n == cap) {
            size_t nc = cap ? cap * 2 : 1024;
            struct newcard *g = realloc(c, nc * sizeof *c);
            if (!g) {
                rc = db_fail(d, DB_ERR, "beneficiaries: out of memory");
                goto out;
            }
            c = g;
            cap = nc;
        }
        c[n].application_id = db_int(r, 0);
        c[n++].body = random_body();
    }
    db_rows_free(r);
    r = NULL;
    if (rc != DB_DONE)
        goto out;
    rc = DB_OK;
    if (n == 0)
        goto out;
    make_unique(c, n);
    if ((rc = db_copy_begin(d, "beneficiaries_new", cols, 2, &cp)) != DB_OK)
        goto out;
    for (size_t i = 0; i < n && rc == DB_OK; i++) {
        char card[CARD_LEN + 1];
        card_of(c[i].body, card);
        db_val v[] = {DB_INT(c[i].application_id), DB_TEXT(card)};
        rc = db_copy_row(cp, v);
    }
    {
        int erc = db_copy_end(cp, rc == DB_OK, NULL);
        cp = NULL;
        if (rc == DB_OK)
            rc = erc;
    }
    if (rc != DB_OK)
        goto out;
    /* Clashes with cards issued before: draw those again until none is left. */
    for (int round = 0;; round++) {
        int64_t ids[64];
        int nid = 0;
        rc = db_query(d, "SELECT n.application_id FROM beneficiaries_new n JOIN beneficiaries b "
                         "ON b.card_number = n.card_number", NULL, 0, &r);
        if (rc != DB_OK)
            goto out;
        while ((rc = db_step(r)) == DB_ROW)
            if (nid < 64)
                ids[nid++] = db_int(r, 0);
        db_rows_free(r);
        r = NULL;
        if (rc != DB_DONE)
            goto out;
        rc = DB_OK;
        if (nid == 0)
            break;
        if (round == CLASH_ROUNDS) {
            rc = db_fail(d, DB_ERR, "beneficiaries: card numbers keep clashing");
            goto out;
        }
        for (int i = 0; i < nid && rc == DB_OK; i++) {
            uint64_t b;
            char card[CARD_LEN + 1];
            do
                b = random_body();
            while (in_batch(c, n, b));
            card_of(b, card);
            db_val p[] = {DB_TEXT(card), DB_INT(ids[i])};
            rc = db_run(d, "UPDATE beneficiaries_new SET card_number = $1 "
                           "WHERE application_id = $2", p, 2, NULL);
        }
        if (rc != DB_OK)
            goto out;
    }
    {
        db_val p[] = {DB_INT(s->id), DB_INT(s->training_balance),
                      DB_INT(drawn_at + (int64_t)s->purchase_deadline_days * 86400),
                      DB_INT(drawn_at)};
        rc = db_run(d,
            "INSERT INTO beneficiaries (card_number, account_id, application_id, wave_id, "
            "scheme_id, kk_bidx, regency_code, balance, purchase_deadline, status, "
            "returned_balance, created_at) "
            "SELECT n.card_number, a.account_id, a.id, a.wave_id, $1, acc.kk_bidx, "
            "a.regency_code, $2, $3, 'active', 0, $4 FROM beneficiaries_new n "
            "JOIN applications a ON a.id = n.application_id "
            "JOIN accounts acc ON acc.id = a.account_id", p, 4, &changes);
    }
    if (rc == DB_OK && changes > 0)
        rc = credit_new_cards(d, wave_id, drawn_at);
    if (rc == DB_OK)
        rc = db_run(d, "DELETE FROM beneficiaries_new", NULL, 0, NULL);
    if (rc == DB_OK && issued)
        *issued = changes;
out:
    if (cp)
        db_copy_end(cp, 0, NULL);
    db_rows_free(r);
    free(c);
    return rc;
}

#define DUE "status = 'active' AND first_purchase_at IS NULL AND purchase_deadline < $1"

struct revoke_ctx {
    int64_t now;
    const char *actor;
    int64_t count, returned;
};

static int revoke_txn(db *d, void *vctx)
{
    struct revoke_ctx *c = vctx;
    db_val p = DB_INT(c->now);
    db_rows *r = NULL;
    char detail[64];
    int rc = db_query(d, "SELECT COUNT(*), COALESCE(SUM(balance), 0) FROM beneficiaries WHERE "
                      DUE, &p, 1, &r);
    if (rc != DB_OK)
        goto out;
    if ((rc = db_step(r)) != DB_ROW) {
        rc = rc == DB_DONE ? DB_ERR : rc;
        goto out;
    }
    c->count = db_int(r, 0);
    c->returned = db_int(r, 1);
    db_rows_free(r);
    r = NULL;
    rc = DB_OK;
    /* the balances go back to the state in the ledger first, card by card */
    if (c->count > 0)
        rc = ledger_stage_begin(d);
    if (rc == DB_OK && c->count > 0)
        rc = db_run(d, "INSERT INTO ledger_stage (card_number, amount) SELECT card_number, "
                       "balance FROM beneficiaries WHERE " DUE " AND balance > 0", &p, 1, NULL);
    if (rc == DB_OK && c->count > 0)
        rc = ledger_stage_return(d, "revocation", c->now, NULL, NULL);
    if (rc == DB_OK && c->count > 0)
        rc = db_run(d, "UPDATE beneficiaries SET status = 'revoked', revoked_at = $1, "
                       "returned_balance = balance, balance = 0 WHERE " DUE, &p, 1, NULL);
    if (rc == DB_OK) {
        snprintf(detail, sizeof detail, "count=%lld returned=%lld", (long long)c->count,
                 (long long)c->returned);
        rc = audit_append(d, c->now, c->actor, "beneficiary.revoke_expired", NULL, detail);
    }
out:
    db_rows_free(r);
    return rc;
}

int beneficiaries_revoke_expired(db *d, int64_t now, const char *actor, int64_t *count,
                                 int64_t *returned)
{
    struct revoke_ctx c = {now, actor ? actor : "system", 0, 0};
    int rc = db_txn(d, revoke_txn, &c);
    if (count)
        *count = rc == DB_OK ? c.count : 0;
    if (returned)
        *returned = rc == DB_OK ? c.returned : 0;
    return rc;
}

#define EXPIRING "wave_id = $1 AND status = 'active' AND balance > 0"

struct expire_ctx {
    int64_t wave_id, now;
    const char *actor;
    int64_t count, returned;
};

static int expire_txn(db *d, void *vctx)
{
    struct expire_ctx *c = vctx;
    db_val p[] = {DB_INT(c->wave_id), DB_INT(c->now)};
    char detail[64], subject[32];
    int rc = ledger_stage_begin(d);

    if (rc == DB_OK)
        rc = db_run(d, "INSERT INTO ledger_stage (card_number, amount) SELECT card_number, "
                       "balance FROM beneficiaries WHERE " EXPIRING, p, 1, NULL);
    if (rc == DB_OK)
        rc = ledger_stage_return(d, "expiry", c->now, &c->count, &c->returned);
    if (rc == DB_OK)
        rc = db_run(d, "UPDATE beneficiaries SET returned_balance = returned_balance + balance, "
                       "balance = 0 WHERE " EXPIRING, p, 1, NULL);
    if (rc == DB_OK) {
        snprintf(subject, sizeof subject, "wave_id:%lld", (long long)c->wave_id);
        snprintf(detail, sizeof detail, "count=%lld returned=%lld", (long long)c->count,
                 (long long)c->returned);
        rc = audit_append(d, c->now, c->actor, "beneficiary.expire", subject, detail);
    }
    return rc;
}

int beneficiaries_expire_wave(db *d, int64_t wave_id, int64_t now, const char *actor,
                              int64_t *count, int64_t *returned)
{
    struct expire_ctx c = {wave_id, now, actor ? actor : "system", 0, 0};
    int rc = db_txn(d, expire_txn, &c);
    if (count)
        *count = rc == DB_OK ? c.count : 0;
    if (returned)
        *returned = rc == DB_OK ? c.returned : 0;
    return rc;
}

int beneficiaries_refill_pending(db *d, int64_t *count)
{
    return db_one_int(d, "SELECT COUNT(*) FROM beneficiaries WHERE status = 'revoked' AND "
                         "refilled_by IS NULL", NULL, 0, count);
}

int beneficiaries_refill_take(db *d, int64_t wave_id, int64_t *count)
{
    db_val p = DB_INT(wave_id);
    return db_run(d, "UPDATE beneficiaries SET refilled_by = $1 WHERE status = 'revoked' AND "
                     "refilled_by IS NULL", &p, 1, count);
}
