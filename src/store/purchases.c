/*
 * purchases (store): SQL for buying, cancelling, exchanging vouchers, redeeming,
 * completion and ratings (see purchases.h for the rules and the OTP design).
 *
 * Every [txn] function runs a context struct through db_txn. A refusal that must
 * write nothing returns its positive outcome from the transaction function, so
 * db_txn rolls back; the one refusal that must write (a wrong OTP counts an
 * attempt) returns DB_OK with the outcome kept in the context, so the attempt
 * commits while nothing of the purchase was written yet (the OTP is the last
 * check before the first write). Conditional UPDATEs (balance >= price, a free
 * seat, an unused OTP, an issued code) repeat the checks where they write, so
 * the rows can never disagree with what was checked on either engine.
 *
 * A purchase is read with one join (purchases, beneficiaries, partners, courses,
 * course_sessions) into struct purchase; balance_after is the card account's
 * ledger sum up to the purchase's entry (purchases.h says why that is exact).
 */
#include "store/purchases.h"

#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "store/accounts.h"
#include "store/audit.h"
#include "store/courses.h"
#include "store/ledger.h"
#include "store/outbox.h"
#include "util/str.h"

#define P_COLS "p.id, p.public_id, p.beneficiary_id, b.account_id, b.card_number, " \
               "p.platform_id, pl.public_id, p.course_id, c.public_id, c.provider_id, c.mode, " \
               "p.session_id, s.public_id, s.starts_at, p.price, p.voucher_code, p.status, " \
               "p.created_at, p.cancelled_at, p.request_hash"
#define P_FROM " FROM purchases p JOIN beneficiaries b ON b.id = p.beneficiary_id " \
               "JOIN partners pl ON pl.id = p.platform_id JOIN courses c ON c.id = p.course_id " \
               "JOIN course_sessions s ON s.id = p.session_id "
#define VOUCHER_TRIES 4

static const struct { int outcome; const char *code; } outcome_codes[] = {
    {PURCHASES_CARD_NOT_FOUND, "card.not_found"},
    {PURCHASES_CARD_INACTIVE_OTP, "card.not_active"},
    {PURCHASES_CARD_NOT_ACTIVE, "purchase.card_not_active"},
    {PURCHASES_DEADLINE_PASSED, "purchase.deadline_passed"},
    {PURCHASES_INSUFFICIENT_BALANCE, "purchase.insufficient_balance"},
    {PURCHASES_COURSE_NOT_FOUND, "purchase.course_not_found"},
    {PURCHASES_SESSION_NOT_FOUND, "purchase.session_not_found"},
    {PURCHASES_SESSION_REQUIRED, "purchase.session_required"},
    {PURCHASES_NOT_ON_SALE, "purchase.not_on_sale"},
    {PURCHASES_SOLD_OUT, "purchase.sold_out"},
    {PURCHASES_UNFINISHED_TRAINING, "purchase.unfinished_training"},
    {PURCHASES_BINDING_CONFLICT, "purchase.binding_conflict"},
    {PURCHASES_OTP_INVALID, "purchase.otp_invalid"},
    {PURCHASES_OTP_EXPIRED, "purchase.otp_expired"},
    {PURCHASES_IDEMPOTENCY_CONFLICT, "purchase.idempotency_conflict"},
    {PURCHASES_NOT_FOUND, "purchase.not_found"},
    {PURCHASES_NOT_CANCELLABLE, "purchase.not_cancellable"},
    {PURCHASES_REDEEM_NOT_FOUND, "redeem.not_found"},
    {PURCHASES_REDEEM_WRONG_TYPE, "redeem.wrong_type"},
    {PURCHASES_REDEEM_OTHER_PROVIDER, "redeem.other_provider"},
    {PURCHASES_REDEEM_CANCELLED_CODE, "redeem.cancelled_code"},
    {PURCHASES_REDEEM_CANCELLED_TRANSACTION, "redeem.cancelled_transaction"},
    {PURCHASES_REDEEM_ALREADY_USED, "redeem.already_used"},
    {PURCHASES_REDEEM_OUTSIDE_WINDOW, "redeem.outside_window"},
    {PURCHASES_COMPLETION_ALREADY, "completion.already"},
    {PURCHASES_COMPLETION_NOT_REDEEMED, "completion.not_redeemed"},
    {PURCHASES_RATING_NOT_COMPLETED, "rating.not_completed"},
    {PURCHASES_RATING_ALREADY, "rating.already"},
};

const char *purchases_code(int outcome)
{
    for (size_t i = 0; i < sizeof outcome_codes / sizeof outcome_codes[0]; i++)
        if (outcome_codes[i].outcome == outcome)
            return outcome_codes[i].code;
    return NULL;
}

void purchases_otp_hash(const struct pii_keys *k, const char *code,
                        char out[PURCHASES_OTP_HASH_LEN + 1])
{
    pii_blind_index(k, "purchase-otp", code, out);
}

static int is_live_mode(const char *mode)
{
    return strcmp(mode, "webinar") == 0 || strcmp(mode, "offline") == 0 ||
           strcmp(mode, "hybrid") == 0;
}

/* ---- reading purchases ---- */

static void read_purchase(db_rows *r, struct purchase *p, char *request_hash, size_t rhlen)
{
    memset(p, 0, sizeof *p);
    p->id = db_int(r, 0);
    str_copy(p->public_id, sizeof p->public_id, db_text(r, 1));
    p->beneficiary_id = db_int(r, 2);
    p->account_id = db_int(r, 3);
    str_copy(p->card_number, sizeof p->card_number, db_text(r, 4));
    p->platform_id = db_int(r, 5);
    str_copy(p->platform_public_id, sizeof p->platform_public_id, db_text(r, 6));
    p->course_id = db_int(r, 7);
    str_copy(p->course_public_id, sizeof p->course_public_id, db_text(r, 8));
    p->provider_id = db_int(r, 9);
    str_copy(p->mode, sizeof p->mode, db_text(r, 10));
    p->session_id = db_int(r, 11);
    str_copy(p->session_public_id, sizeof p->session_public_id, db_text(r, 12));
    p->starts_at = db_isnull(r, 13) ? 0 : db_int(r, 13);
    p->price = db_int(r, 14);
    str_copy(p->voucher_code, sizeof p->voucher_code, db_text(r, 15));
    str_copy(p->status, sizeof p->status, db_text(r, 16));
    p->created_at = db_int(r, 17);
    p->cancelled_at = db_isnull(r, 18) ? 0 : db_int(r, 18);
    if (request_hash)
        str_copy(request_hash, rhlen, db_text(r, 19));
}

/* One purchase by sql (P_COLS P_FROM WHERE ...) with params; DB_ENOTFOUND. */
static int one_purchase(db *d, const char *sql, const db_val *params, int n,
                        struct purchase *out, char *request_hash, size_t rhlen)
{
    db_rows *r = NULL;
    int rc = db_query(d, sql, params, n, &r);
    if (rc == DB_OK) {
        rc = db_step(r);
        if (rc == DB_ROW) {
            read_purchase(r, out, request_hash, rhlen);
            rc = DB_OK;
        } else if (rc == DB_DONE) {
            rc = DB_ENOTFOUND;
        }
    }
    db_rows_free(r);
    return rc;
}

/* The card's balance right after purchase p: the card account's sum up to the
 * purchase's ledger entry (none for a price of 0: then every entry up to its
 * second). */
static int balance_after(db *d, struct purchase *p)
{
    char acct[LEDGER_CODE_MAX + 1], ref[64];

    ledger_card_account(p->card_number, acct);
    snprintf(ref, sizeof ref, "purchase:%s", p->public_id);
    db_val a[] = {DB_TEXT(acct), DB_TEXT(ref)};
    db_val b[] = {DB_TEXT(acct), DB_INT(p->created_at)};
    if (p->price > 0)
        return db_one_int(d, "SELECT COALESCE(SUM(l.amount), 0) FROM ledger_lines l JOIN "
                             "ledger_accounts a ON a.id = l.account_id WHERE a.code = $1 AND "
                             "l.entry_id <= (SELECT MAX(e.id) FROM ledger_entries e WHERE "
                             "e.ref = $2 AND e.kind = 'purchase')", a, 2, &p->balance_after);
    return db_one_int(d, "SELECT COALESCE(SUM(l.amount), 0) FROM ledger_lines l JOIN "
                         "ledger_accounts a ON a.id = l.account_id JOIN ledger_entries e ON "
                         "e.id = l.entry_id WHERE a.code = $1 AND e.at <= $2", b, 2,
                      &p->balance_after);
}

int purchases_get(db *d, const char *public_id, struct purchase *out)
{
    db_val k = DB_TEXT(public_id);
    int rc = one_purchase(d, "SELECT " P_COLS P_FROM "WHERE p.public_id = $1", &k, 1, out,
                          NULL, 0);
    if (rc == DB_OK)
        rc = balance_after(d, out);
    return rc;
}

/* ---- the card ---- */

struct card {
    int64_t id, account_id, balance, deadline, first_purchase_at;
    int active, concurrent;
    char number[CARD_LEN + 1];
    char phone[24];
};

static int card_by_number(db *d, const char *number, struct card *c)
{
    db_val k = DB_TEXT(number);
    db_rows *r = NULL;
    int rc = db_query(d, "SELECT b.id, b.account_id, b.balance, b.purchase_deadline, "
                         "b.first_purchase_at, b.status, s.concurrent_trainings, a.phone, "
                         "b.card_number FROM beneficiaries b JOIN schemes s ON s.id = "
                         "b.scheme_id JOIN accounts a ON a.id = b.account_id "
                         "WHERE b.card_number = $1", &k, 1, &r);
    if (rc == DB_OK) {
        rc = db_step(r);
        if (rc == DB_ROW) {
            memset(c, 0, sizeof *c);
            c->id = db_int(r, 0);
            c->account_id = db_int(r, 1);
            c->balance = db_int(r, 2);
            c->deadline = db_int(r, 3);
            c->first_purchase_at = db_isnull(r, 4) ? 0 : db_int(r, 4);
            c->active = strcmp(db_text(r, 5), "active") == 0;
            c->concurrent = (int)db_int(r, 6);
            str_copy(c->phone, sizeof c->phone, db_text(r, 7));
            str_copy(c->number, sizeof c->number, db_text(r, 8));
            rc = DB_OK;
        } else if (rc == DB_DONE) {
            rc = DB_ENOTFOUND;
        }
    }
    db_rows_free(r);
    return rc;
}

/* ---- OTPs ---- */

struct otp_ctx {
    int64_t platform_id, now, expires_at;
    const char *card_number, *account, *code_hash, *sms_body, *actor;
};

static int otp_txn(db *d, void *vctx)
{
    struct otp_ctx *c = vctx;
    struct card card;
    char subject[CARD_LEN + 8], detail[PURCHASES_ACCOUNT_MAX + 16];
    int rc = card_by_number(d, c->card_number, &card);

    if (rc == DB_ENOTFOUND)
        return PURCHASES_CARD_NOT_FOUND;
    if (rc != DB_OK)
        return rc;
    if (!card.active)
        return PURCHASES_CARD_INACTIVE_OTP;
    c->expires_at = c->now + PURCHASES_OTP_TTL;
    {
        db_val p[] = {DB_INT(card.id), DB_INT(c->platform_id), DB_TEXT(c->code_hash),
                      DB_INT(c->expires_at), DB_INT(c->now)};
        rc = db_run(d, "INSERT INTO purchase_otps (beneficiary_id, platform_id, code_hash, "
                       "expires_at, created_at) VALUES ($1, $2, $3, $4, $5)", p, 5, NULL);
    }
    if (rc == DB_OK)
        rc = outbox_enqueue(d, "sms", card.phone, NULL, c->sms_body, c->now, NULL);
    if (rc == DB_OK) {
        snprintf(subject, sizeof subject, "card:%s", card.number);
        snprintf(detail, sizeof detail, "account=%.64s", c->account ? c->account : "");
        rc = audit_append(d, c->now, c->actor, "purchase.otp", subject, detail);
    }
    return rc;
}

int purchases_otp_issue(db *d, int64_t platform_id, const char *card_number,
                        const char *platform_account, const char *code_hash,
                        const char *sms_body, const char *actor, int64_t now,
                        int64_t *expires_at)
{
    struct otp_ctx c = {platform_id, now, 0, card_number, platform_account, code_hash, sms_body,
                        actor};
    int rc = db_txn(d, otp_txn, &c);
    if (rc == DB_OK && expires_at)
        *expires_at = c.expires_at;
    return rc;
}

/* Checks the code of a purchase. DB_OK with *otp_id the code to use; a
 * PURCHASES_OTP_* outcome; *count_attempt = 1 when it was a wrong code whose
 * attempt was counted (and must commit). */
static int otp_check(db *d, int64_t beneficiary_id, int64_t platform_id, const char *hash,
                     int64_t now, int64_t *otp_id, int *count_attempt)
{
    db_val p[] = {DB_INT(beneficiary_id), DB_INT(platform_id), DB_TEXT(hash), DB_INT(now),
                  DB_INT(PURCHASES_OTP_MAX_ATTEMPTS)};
    db_rows *r = NULL;
    int rc, found = 0;
    int64_t expires = 0, attempts = 0, used = 0;

    *count_attempt = 0;
    rc = db_query(d, "SELECT id, expires_at, attempts, used_at FROM purchase_otps WHERE "
                     "beneficiary_id = $1 AND platform_id = $2 AND code_hash = $3 ORDER BY "
                     "CASE WHEN used_at IS NULL AND attempts < $5 AND expires_at > $4 THEN 0 "
                     "ELSE 1 END, id DESC LIMIT 1", p, 5, &r);
    if (rc == DB_OK && (rc = db_step(r)) == DB_ROW) {
        found = 1;
        *otp_id = db_int(r, 0);
        expires = db_int(r, 1);
        attempts = db_int(r, 2);
        used = !db_isnull(r, 3);
        rc = DB_OK;
    } else if (rc == DB_DONE) {
        rc = DB_OK;
    }
    db_rows_free(r);
    if (rc != DB_OK)
        return rc;
    if (!found) {
        db_val q[] = {DB_INT(beneficiary_id), DB_INT(platform_id), DB_INT(now),
                      DB_INT(PURCHASES_OTP_MAX_ATTEMPTS)};
        rc = db_run(d, "UPDATE purchase_otps SET attempts = attempts + 1 WHERE beneficiary_id "
                       "= $1 AND platform_id = $2 AND used_at IS NULL AND expires_at > $3 AND "
                       "attempts < $4", q, 4, NULL);
        if (rc != DB_OK)
            return rc;
        *count_attempt = 1;
        return PURCHASES_OTP_INVALID;
    }
    if (used || attempts >= PURCHASES_OTP_MAX_ATTEMPTS)
        return PURCHASES_OTP_INVALID;
    if (now >= expires)
        return PURCHASES_OTP_EXPIRED;
    return DB_OK;
}

/* ---- buying ---- */

struct buy_ctx {
    const struct purchase_req *in;
    struct purchase *out;
    int replayed;
    int outcome;                 /* a refusal that committed (a wrong OTP) */
};

/* The binding of (platform, account) and (platform, card): DB_OK with *exists 1
 * when this very pair is bound, 0 when neither is; PURCHASES_BINDING_CONFLICT. */
static int binding_check(db *d, int64_t platform_id, const char *account, int64_t bid,
                         int *exists)
{
    db_val a[] = {DB_INT(platform_id), DB_TEXT(account)};
    db_val b[] = {DB_INT(platform_id), DB_INT(bid)};
    char other[PURCHASES_ACCOUNT_MAX + 1];
    int64_t holder = 0;
    int rc;

    *exists = 0;
    rc = db_one_int(d, "SELECT beneficiary_id FROM platform_bindings WHERE platform_id = $1 "
                       "AND platform_account = $2", a, 2, &holder);
    if (rc == DB_OK) {
        if (holder != bid)
            return PURCHASES_BINDING_CONFLICT;
        *exists = 1;
        return DB_OK;
    }
    if (rc != DB_ENOTFOUND)
        return rc;
    rc = db_one_text(d, "SELECT platform_account FROM platform_bindings WHERE platform_id = $1 "
                        "AND beneficiary_id = $2", b, 2, other, sizeof other);
    if (rc == DB_OK)
        return PURCHASES_BINDING_CONFLICT;       /* the card is bound to another account */
    return rc == DB_ENOTFOUND ? DB_OK : rc;
}

static int insert_purchase(db *d, const struct purchase_req *in, const struct card *card,
                           const struct course *co, const struct course_session *s,
                           struct purchase *out)
{
    int rc = DB_ECONSTRAINT;

    for (int i = 0; i < VOUCHER_TRIES && rc == DB_ECONSTRAINT; i++) {
        unsigned char rnd[VOUCHER_RANDOM_BYTES];
        char pid[PURCHASES_PUBLIC_ID_LEN + 1], code[VOUCHER_LEN + 1];
        do {
            randombytes_buf(rnd, sizeof rnd);
        } while (voucher_make(VOUCHER_KIND_VOUCHER, rnd, code) != VOUCHER_OK);
        accounts_new_public_id(pid);
        db_val p[] = {DB_TEXT(pid), DB_INT(card->id), DB_INT(in->platform_id), DB_INT(co->id),
                      DB_INT(s->id), DB_INT(co->price), DB_TEXT(code),
                      DB_TEXT(in->idempotency_key), DB_TEXT(in->request_hash), DB_INT(in->now)};
        int64_t id = 0;
        rc = db_one_int(d, "INSERT INTO purchases (public_id, beneficiary_id, platform_id, "
                           "course_id, session_id, price, voucher_code, status, idempotency_key, "
                           "request_hash, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 'paid', "
                           "$8, $9, $10) RETURNING id", p, 10, &id);
        if (rc == DB_OK) {
            memset(out, 0, sizeof *out);
            out->id = id;
            str_copy(out->public_id, sizeof out->public_id, pid);
            str_copy(out->voucher_code, sizeof out->voucher_code, code);
        }
    }
    return rc;
}

static int buy_txn(db *d, void *vctx)
{
    struct buy_ctx *c = vctx;
    const struct purchase_req *in = c->in;
    struct purchase *out = c->out;
    struct card card;
    struct course co;
    struct course_session s;
    char rh[80], to[LEDGER_CODE_MAX + 1], detail[160];
    int64_t otp_id = 0, changes = 0;
    int rc, bound = 0, counted = 0, taken = 0;

    c->replayed = 0;
    c->outcome = 0;
    /* the idempotency key */
    {
        db_val k[] = {DB_INT(in->platform_id), DB_TEXT(in->idempotency_key)};
        rc = one_purchase(d, "SELECT " P_COLS P_FROM "WHERE p.platform_id = $1 AND "
                             "p.idempotency_key = $2", k, 2, out, rh, sizeof rh);
        if (rc == DB_OK) {
            if (strcmp(rh, in->request_hash) != 0)
                return PURCHASES_IDEMPOTENCY_CONFLICT;
            c->replayed = 1;
            snprintf(out->status, sizeof out->status, "paid");   /* as first answered */
            out->cancelled_at = 0;
            return balance_after(d, out);
        }
        if (rc != DB_ENOTFOUND)
            return rc;
    }
    /* the card */
    rc = card_by_number(d, in->card_number, &card);
    if (rc == DB_ENOTFOUND)
        return PURCHASES_CARD_NOT_FOUND;
    if (rc != DB_OK)
        return rc;
    if (!card.active)
        return PURCHASES_CARD_NOT_ACTIVE;
    if (card.first_purchase_at == 0 && in->now > card.deadline)
        return PURCHASES_DEADLINE_PASSED;
    /* the course and session */
    rc = courses_by_public_id(d, in->course_public_id, &co);
    if (rc == DB_ENOTFOUND)
        return PURCHASES_COURSE_NOT_FOUND;
    if (rc != DB_OK)
        return rc;
    if (in->session_public_id) {
        rc = courses_session_by_public_id(d, in->session_public_id, &s);
        if (rc == DB_OK && s.course_id != co.id)
            rc = DB_ENOTFOUND;
        if (rc == DB_ENOTFOUND)
            return PURCHASES_SESSION_NOT_FOUND;
    } else {
        rc = courses_single_session(d, co.id, &s);
        if (rc == DB_ENOTFOUND)
            return strcmp(co.status, "approved") == 0 ? PURCHASES_SESSION_REQUIRED
                                                      : PURCHASES_NOT_ON_SALE;
    }
    if (rc != DB_OK)
        return rc;
    if (card.balance < co.price)
        return PURCHASES_INSUFFICIENT_BALANCE;
    if (strcmp(co.status, "approved") != 0 ||
        (is_live_mode(co.mode) && s.starts_at > 0 &&
         in->now > s.starts_at + PURCHASES_LIVE_WINDOW))
        return PURCHASES_NOT_ON_SALE;
    if (s.seats_taken >= s.capacity)
        return PURCHASES_SOLD_OUT;
    if (card.concurrent == 0) {
        db_val k = DB_INT(card.id);
        int64_t one = 0;
        rc = db_one_int(d, "SELECT 1 FROM purchases WHERE beneficiary_id = $1 AND status = "
                           "'paid' LIMIT 1", &k, 1, &one);
        if (rc == DB_OK)
            return PURCHASES_UNFINISHED_TRAINING;
        if (rc != DB_ENOTFOUND)
            return rc;
    }
    rc = binding_check(d, in->platform_id, in->platform_account, card.id, &bound);
    if (rc != DB_OK)
        return rc;
    rc = otp_check(d, card.id, in->platform_id, in->otp_hash, in->now, &otp_id, &counted);
    if (counted) {                    /* nothing of the purchase is written yet: commit */
        c->outcome = rc;
        return DB_OK;
    }
    if (rc != DB_OK)
        return rc;

    /* The writes, the beneficiary's row first: concurrent buyers of one card queue
     * there (on PostgreSQL the later one fails and is run again) before more work. */
    {
        db_val p[] = {DB_INT(in->now), DB_INT(card.id)};
        rc = db_run(d, "UPDATE beneficiaries SET first_purchase_at = COALESCE(first_purchase_at, "
                       "$1) WHERE id = $2 AND status = 'active'", p, 2, &changes);
        if (rc == DB_OK && changes != 1)
            return PURCHASES_CARD_NOT_ACTIVE;
    }
    if (rc == DB_OK)
        rc = courses_take_seat(d, s.id, &taken);
    if (rc == DB_OK && !taken)
        return PURCHASES_SOLD_OUT;
    if (rc == DB_OK && !bound) {
        db_val p[] = {DB_INT(in->platform_id), DB_TEXT(in->platform_account), DB_INT(card.id),
                      DB_INT(in->now)};
        rc = db_run(d, "INSERT INTO platform_bindings (platform_id, platform_account, "
                       "beneficiary_id, created_at) VALUES ($1, $2, $3, $4)", p, 4, NULL);
        if (rc == DB_ECONSTRAINT)
            return PURCHASES_BINDING_CONFLICT;
    }
    if (rc == DB_OK) {
        db_val p[] = {DB_INT(in->now), DB_INT(otp_id)};
        rc = db_run(d, "UPDATE purchase_otps SET used_at = $1 WHERE id = $2 AND used_at IS NULL",
                    p, 2, &changes);
        if (rc == DB_OK && changes != 1)
            return PURCHASES_OTP_INVALID;
    }
    if (rc == DB_OK)
        rc = insert_purchase(d, in, &card, &co, &s, out);
    if (rc == DB_OK && co.price > 0) {
        /* the entry card:X -> platform:P and beneficiaries.balance, together */
        char ref[64];
        ledger_platform_account(in->platform_public_id, to);
        snprintf(ref, sizeof ref, "purchase:%s", out->public_id);
        rc = ledger_card_debit(d, card.number, to, co.price, "purchase", ref, in->now, NULL);
        /* The balance was checked above: a short card account means the books disagree
         * with beneficiaries.balance, which is an error, not a refusal. */
        if (rc == LEDGER_ENEGATIVE)
            rc = DB_ERR;
    }
    if (rc == DB_OK) {
        snprintf(detail, sizeof detail, "course=%s session=%s price=%lld", co.public_id,
                 s.public_id, (long long)co.price);
        rc = audit_append(d, in->now, in->actor, "purchase.create", out->public_id, detail);
    }
    if (rc != DB_OK)
        return rc < 0 ? rc : DB_ERR;
    out->beneficiary_id = card.id;
    out->account_id = card.account_id;
    str_copy(out->card_number, sizeof out->card_number, card.number);
    out->platform_id = in->platform_id;
    str_copy(out->platform_public_id, sizeof out->platform_public_id, in->platform_public_id);
    out->course_id = co.id;
    str_copy(out->course_public_id, sizeof out->course_public_id, co.public_id);
    out->provider_id = co.provider_id;
    str_copy(out->mode, sizeof out->mode, co.mode);
    out->session_id = s.id;
    str_copy(out->session_public_id, sizeof out->session_public_id, s.public_id);
    out->starts_at = s.starts_at;
    out->price = co.price;
    snprintf(out->status, sizeof out->status, "paid");
    out->balance_after = card.balance - co.price;
    out->created_at = in->now;
    return DB_OK;
}

int purchases_buy(db *d, const struct purchase_req *in, struct purchase *out, int *replayed)
{
    struct buy_ctx c = {in, out, 0, 0};
    int rc = db_txn(d, buy_txn, &c);
    /* A concurrent request with the same key won the insert: this run answers it. */
    if (rc == DB_ECONSTRAINT)
        rc = db_txn(d, buy_txn, &c);
    if (replayed)
        *replayed = rc == DB_OK && c.replayed;
    if (rc == DB_OK && c.outcome)
        return c.outcome;
    return rc;
}

/* ---- cancelling ---- */

struct cancel_ctx {
    int64_t platform_id, now;
    const char *public_id, *actor;
    struct purchase *out;
};

static int cancel_txn(db *d, void *vctx)
{
    struct cancel_ctx *c = vctx;
    struct purchase *p = c->out;
    db_val k = DB_TEXT(c->public_id);
    int64_t used = 0;
    int rc = one_purchase(d, "SELECT " P_COLS P_FROM "WHERE p.public_id = $1", &k, 1, p, NULL, 0);

    if (rc == DB_ENOTFOUND || (rc == DB_OK && p->platform_id != c->platform_id))
        return PURCHASES_NOT_FOUND;
    if (rc != DB_OK)
        return rc;
    if (strcmp(p->status, "cancelled") == 0)
        return balance_after(d, p);
    if (strcmp(p->status, "paid") != 0)
        return PURCHASES_NOT_CANCELLABLE;
    {
        db_val q = DB_INT(p->id);
        rc = db_one_int(d, "SELECT COUNT(*) FROM redeem_codes WHERE purchase_id = $1 AND "
                           "status = 'used'", &q, 1, &used);
        if (rc != DB_OK)
            return rc;
        if (used > 0)
            return PURCHASES_NOT_CANCELLABLE;
    }
    if (p->price > 0) {
        /* the refund entry platform:P -> card:X and beneficiaries.balance, together */
        char from[LEDGER_CODE_MAX + 1], ref[64];
        ledger_platform_account(p->platform_public_id, from);
        snprintf(ref, sizeof ref, "purchase:%s", p->public_id);
        rc = ledger_card_credit(d, p->card_number, from, p->price, "refund", ref, c->now, NULL);
        if (rc == LEDGER_ENEGATIVE)
            rc = DB_ERR;                   /* the platform's account cannot be short of a sale */
    }
    if (rc == DB_OK) {
        db_val q[] = {DB_INT(p->beneficiary_id), DB_INT(p->id)};
        rc = db_run(d, "UPDATE beneficiaries SET first_purchase_at = (SELECT MIN(x.created_at) "
                       "FROM purchases x WHERE x.beneficiary_id = $1 AND x.status <> 'cancelled' "
                       "AND x.id <> $2) WHERE id = $1", q, 2, NULL);
    }
    if (rc == DB_OK)
        rc = courses_release_seat(d, p->session_id);
    if (rc == DB_OK) {
        db_val q = DB_INT(p->id);
        rc = db_run(d, "UPDATE redeem_codes SET status = 'cancelled' WHERE purchase_id = $1 AND "
                       "status = 'issued'", &q, 1, NULL);
    }
    if (rc == DB_OK) {
        db_val q[] = {DB_INT(c->now), DB_INT(p->id)};
        rc = db_run(d, "UPDATE purchases SET status = 'cancelled', cancelled_at = $1 WHERE id = "
                       "$2", q, 2, NULL);
    }
    if (rc == DB_OK) {
        char detail[64];
        snprintf(detail, sizeof detail, "refund=%lld", (long long)p->price);
        rc = audit_append(d, c->now, c->actor, "purchase.cancel", p->public_id, detail);
    }
    if (rc != DB_OK)
        return rc < 0 ? rc : DB_ERR;
    snprintf(p->status, sizeof p->status, "cancelled");
    p->cancelled_at = c->now;
    return balance_after(d, p);
}

int purchases_cancel(db *d, int64_t platform_id, const char *public_id, const char *actor,
                     int64_t now, struct purchase *out)
{
    struct cancel_ctx c = {platform_id, now, public_id, actor, out};
    return db_txn(d, cancel_txn, &c);
}

/* ---- redeem codes ---- */

#define RC_COLS "r.code, s.public_id, s.starts_at, r.status, r.used_at"

static void read_code(db_rows *r, int col, struct redeem_code *c)
{
    memset(c, 0, sizeof *c);
    str_copy(c->code, sizeof c->code, db_text(r, col));
    str_copy(c->session_public_id, sizeof c->session_public_id, db_text(r, col + 1));
    c->starts_at = db_isnull(r, col + 2) ? 0 : db_int(r, col + 2);
    str_copy(c->status, sizeof c->status, db_text(r, col + 3));
    c->used_at = db_isnull(r, col + 4) ? 0 : db_int(r, col + 4);
}

static int codes_of(db *d, int64_t purchase_id, struct redeem_code *codes, int max, int *n)
{
    db_val k = DB_INT(purchase_id);
    db_rows *r = NULL;
    int rc = db_query(d, "SELECT " RC_COLS " FROM redeem_codes r JOIN course_sessions s ON "
                         "s.id = r.session_id WHERE r.purchase_id = $1 ORDER BY s.starts_at, r.id",
                      &k, 1, &r);
    *n = 0;
    while (rc == DB_OK && (rc = db_step(r)) == DB_ROW) {
        rc = DB_OK;
        if (*n < max)
            read_code(r, 0, &codes[(*n)++]);
    }
    db_rows_free(r);
    return rc == DB_DONE ? DB_OK : rc;
}

struct exchange_ctx {
    int64_t provider_id, now;
    const char *voucher, *actor;
    struct purchase *out;
    struct redeem_code *codes;
    int ncodes;
};

static int exchange_txn(db *d, void *vctx)
{
    struct exchange_ctx *c = vctx;
    struct purchase *p = c->out;
    db_val k = DB_TEXT(c->voucher);
    int64_t have = 0;
    int rc = one_purchase(d, "SELECT " P_COLS P_FROM "WHERE p.voucher_code = $1", &k, 1, p,
                          NULL, 0);

    if (rc == DB_ENOTFOUND)
        return PURCHASES_REDEEM_NOT_FOUND;
    if (rc != DB_OK)
        return rc;
    if (p->provider_id != c->provider_id)
        return PURCHASES_REDEEM_OTHER_PROVIDER;
    if (strcmp(p->status, "cancelled") == 0)
        return PURCHASES_REDEEM_CANCELLED_TRANSACTION;
    {
        db_val q[] = {DB_INT(p->id), DB_INT(p->session_id)};
        rc = db_one_int(d, "SELECT COUNT(*) FROM redeem_codes WHERE purchase_id = $1 AND "
                           "session_id = $2", q, 2, &have);
    }
    if (rc == DB_OK && have == 0) {
        rc = DB_ECONSTRAINT;
        for (int i = 0; i < VOUCHER_TRIES && rc == DB_ECONSTRAINT; i++) {
            unsigned char rnd[VOUCHER_RANDOM_BYTES];
            char code[VOUCHER_LEN + 1];
            do {
                randombytes_buf(rnd, sizeof rnd);
            } while (voucher_make(VOUCHER_KIND_REDEEM, rnd, code) != VOUCHER_OK);
            db_val q[] = {DB_TEXT(code), DB_INT(p->id), DB_INT(p->session_id), DB_INT(c->now)};
            rc = db_run(d, "INSERT INTO redeem_codes (code, purchase_id, session_id, status, "
                           "issued_at) VALUES ($1, $2, $3, 'issued', $4)", q, 4, NULL);
        }
        if (rc == DB_OK)
            rc = audit_append(d, c->now, c->actor, "voucher.exchange", p->public_id, NULL);
    }
    if (rc == DB_OK)
        rc = codes_of(d, p->id, c->codes, PURCHASES_MAX_CODES, &c->ncodes);
    return rc;
}

int purchases_exchange(db *d, int64_t provider_id, const char *voucher_code,
                       const char *actor, int64_t now, struct purchase *out,
                       struct redeem_code codes[PURCHASES_MAX_CODES], int *ncodes)
{
    struct exchange_ctx c = {provider_id, now, voucher_code, actor, out, codes, 0};
    int rc = db_txn(d, exchange_txn, &c);
    *ncodes = rc == DB_OK ? c.ncodes : 0;
    return rc;
}

struct redeem_ctx {
    int64_t provider_id, now;
    const char *code, *type, *actor;
    struct purchase *out;
    struct redeem_code *rcode;
};

static int redeem_txn(db *d, void *vctx)
{
    struct redeem_ctx *c = vctx;
    struct purchase *p = c->out;
    db_val k = DB_TEXT(c->code);
    db_rows *r = NULL;
    int64_t purchase_id = 0, code_id = 0, changes = 0;
    int rc = db_query(d, "SELECT r.id, r.purchase_id, " RC_COLS " FROM redeem_codes r JOIN "
                         "course_sessions s ON s.id = r.session_id WHERE r.code = $1", &k, 1, &r);

    if (rc == DB_OK && (rc = db_step(r)) == DB_ROW) {
        code_id = db_int(r, 0);
        purchase_id = db_int(r, 1);
        read_code(r, 2, c->rcode);
        rc = DB_OK;
    } else if (rc == DB_DONE) {
        rc = PURCHASES_REDEEM_NOT_FOUND;
    }
    db_rows_free(r);
    if (rc != DB_OK)
        return rc;
    {
        db_val q = DB_INT(purchase_id);
        rc = one_purchase(d, "SELECT " P_COLS P_FROM "WHERE p.id = $1", &q, 1, p, NULL, 0);
        if (rc != DB_OK)
            return rc == DB_ENOTFOUND ? DB_ERR : rc;
    }
    if (p->provider_id != c->provider_id)
        return PURCHASES_REDEEM_OTHER_PROVIDER;
    if (strcmp(p->mode, c->type) != 0)
        return PURCHASES_REDEEM_WRONG_TYPE;
    if (strcmp(p->status, "cancelled") == 0)
        return PURCHASES_REDEEM_CANCELLED_TRANSACTION;
    if (strcmp(c->rcode->status, "cancelled") == 0)
        return PURCHASES_REDEEM_CANCELLED_CODE;
    if (strcmp(c->rcode->status, "used") == 0)
        return PURCHASES_REDEEM_ALREADY_USED;
    if (is_live_mode(p->mode) && c->rcode->starts_at > 0 &&
        (c->now < c->rcode->starts_at - PURCHASES_LIVE_WINDOW ||
         c->now > c->rcode->starts_at + PURCHASES_LIVE_WINDOW))
        return PURCHASES_REDEEM_OUTSIDE_WINDOW;
    {
        db_val q[] = {DB_INT(c->now), DB_INT(code_id)};
        rc = db_run(d, "UPDATE redeem_codes SET status = 'used', used_at = $1 WHERE id = $2 AND "
                       "status = 'issued'", q, 2, &changes);
        if (rc == DB_OK && changes != 1)
            return PURCHASES_REDEEM_ALREADY_USED;
    }
    if (rc == DB_OK) {
        char detail[64];
        snprintf(detail, sizeof detail, "session=%s", c->rcode->session_public_id);
        rc = audit_append(d, c->now, c->actor, "redeem.use", p->public_id, detail);
    }
    if (rc == DB_OK) {
        snprintf(c->rcode->status, sizeof c->rcode->status, "used");
        c->rcode->used_at = c->now;
    }
    return rc;
}

int purchases_redeem(db *d, int64_t provider_id, const char *redeem_code,
                     const char *training_type, const char *actor, int64_t now,
                     struct purchase *out, struct redeem_code *code)
{
    struct redeem_ctx c = {provider_id, now, redeem_code, training_type, actor, out, code};
    return db_txn(d, redeem_txn, &c);
}

/* ---- completion and rating ---- */

struct complete_ctx {
    int64_t provider_id, now;
    const char *public_id, *actor;
    const struct completion_in *in;
    struct purchase *out;
};

static int complete_txn(db *d, void *vctx)
{
    struct complete_ctx *c = vctx;
    struct purchase *p = c->out;
    db_val k = DB_TEXT(c->public_id);
    int64_t n = 0;
    int rc = one_purchase(d, "SELECT " P_COLS P_FROM "WHERE p.public_id = $1", &k, 1, p, NULL, 0);

    if (rc == DB_ENOTFOUND || (rc == DB_OK && p->provider_id != c->provider_id))
        return PURCHASES_NOT_FOUND;
    if (rc != DB_OK)
        return rc;
    if (strcmp(p->status, "completed") == 0)
        return PURCHASES_COMPLETION_ALREADY;
    {
        db_val q = DB_INT(p->id);
        rc = db_one_int(d, "SELECT COUNT(*) FROM redeem_codes WHERE purchase_id = $1 AND "
                           "status = 'used'", &q, 1, &n);
        if (rc != DB_OK)
            return rc;
        if (n == 0)
            return PURCHASES_COMPLETION_NOT_REDEEMED;
    }
    {
        db_val q[] = {DB_INT(p->id), DB_INT(c->in->score), DB_TEXT(c->in->certificate_no),
                      DB_TEXT(c->in->completed_on), DB_INT(c->now)};
        rc = db_run(d, "INSERT INTO completions (purchase_id, score, certificate_no, "
                       "completed_on, reported_at) VALUES ($1, $2, $3, $4, $5)", q, 5, NULL);
        if (rc == DB_ECONSTRAINT)
            return PURCHASES_COMPLETION_ALREADY;
    }
    if (rc == DB_OK) {
        db_val q = DB_INT(p->id);
        rc = db_run(d, "UPDATE purchases SET status = 'completed' WHERE id = $1", &q, 1, NULL);
    }
    if (rc == DB_OK) {
        char detail[32];
        snprintf(detail, sizeof detail, "score=%d", c->in->score);
        rc = audit_append(d, c->now, c->actor, "completion.report", p->public_id, detail);
    }
    if (rc == DB_OK)
        snprintf(p->status, sizeof p->status, "completed");
    return rc;
}

int purchases_complete(db *d, int64_t provider_id, const char *public_id,
                       const struct completion_in *in, const char *actor, int64_t now,
                       struct purchase *out)
{
    struct complete_ctx c = {provider_id, now, public_id, actor, in, out};
    return db_txn(d, complete_txn, &c);
}

struct rate_ctx {
    int64_t account_id, now;
    const char *public_id, *review;
    int stars, incentive;
};

static int rate_txn(db *d, void *vctx)
{
    struct rate_ctx *c = vctx;
    struct purchase p;
    char actor[ACCOUNTS_PUBLIC_ID_LEN + 16], pub[ACCOUNTS_PUBLIC_ID_LEN + 1], detail[32];
    db_val k = DB_TEXT(c->public_id);
    int64_t changes = 0;
    int rc = one_purchase(d, "SELECT " P_COLS P_FROM "WHERE p.public_id = $1", &k, 1, &p, NULL,
                          0);

    c->incentive = 0;
    if (rc == DB_ENOTFOUND || (rc == DB_OK && p.account_id != c->account_id))
        return PURCHASES_NOT_FOUND;
    if (rc != DB_OK)
        return rc;
    if (strcmp(p.status, "completed") != 0)
        return PURCHASES_RATING_NOT_COMPLETED;
    {
        db_val q[] = {DB_INT(p.id), DB_INT(c->stars), DB_TEXT(c->review), DB_INT(c->now)};
        rc = db_run(d, "INSERT INTO ratings (purchase_id, stars, review, rated_at) VALUES ($1, "
                       "$2, $3, $4)", q, 4, NULL);
        if (rc == DB_ECONSTRAINT)
            return PURCHASES_RATING_ALREADY;
    }
    if (rc == DB_OK)
        rc = courses_add_rating(d, p.course_id, c->stars);
    if (rc == DB_OK) {
        db_val q[] = {DB_INT(p.id), DB_INT(p.beneficiary_id)};
        rc = db_run(d, "UPDATE beneficiaries SET incentive_purchase_id = $1 WHERE id = $2 AND "
                       "incentive_purchase_id IS NULL", q, 2, &changes);
        c->incentive = rc == DB_OK && changes == 1;
    }
    if (rc == DB_OK) {
        db_val q = DB_INT(c->account_id);
        rc = db_one_text(d, "SELECT public_id FROM accounts WHERE id = $1", &q, 1, pub,
                         sizeof pub);
    }
    if (rc == DB_OK) {
        snprintf(actor, sizeof actor, "account:%s", pub);
        snprintf(detail, sizeof detail, "stars=%d%s", c->stars, c->incentive ? " incentive" : "");
        rc = audit_append(d, c->now, actor, "rating.create", p.public_id, detail);
    }
    return rc;
}

int purchases_rate(db *d, int64_t account_id, const char *public_id, int stars,
                   const char *review, int64_t now, int *incentive)
{
    struct rate_ctx c = {account_id, now, public_id, review, stars, 0};
    int rc;

    if (stars < 1 || stars > 5)
        return DB_ERR;
    rc = db_txn(d, rate_txn, &c);
    if (incentive)
        *incentive = rc == DB_OK && c.incentive;
    return rc;
}

/* ---- the participant's trainings ---- */

struct list_ctx {
    int64_t account_id;
    int (*fn)(const struct training *t, void *ctx);
    void *ctx;
    int stopped;
};

static int list_txn(db *d, void *vctx)
{
    struct list_ctx *c = vctx;
    db_val k[] = {DB_INT(c->account_id), DB_INT(PURCHASES_LIST_MAX)};
    db_rows *r = NULL;
    int rc;

    c->stopped = 0;
    rc = db_query(d, "SELECT " P_COLS ", c.title, pr.name, c.category, c.level, c.purpose, "
                     "c.hours, c.price, c.regency_code, c.rating_sum, c.rating_count, "
                     "cp.score, cp.certificate_no, cp.completed_on, rt.stars, rt.review, "
                     "CASE WHEN b.incentive_purchase_id = p.id THEN 1 ELSE 0 END, "
                     "cp.purchase_id, rt.purchase_id, pr.public_id" P_FROM
                     "JOIN partners pr ON pr.id = c.provider_id "
                     "LEFT JOIN completions cp ON cp.purchase_id = p.id "
                     "LEFT JOIN ratings rt ON rt.purchase_id = p.id "
                     "WHERE b.account_id = $1 ORDER BY p.created_at DESC, p.id DESC LIMIT $2",
                  k, 2, &r);
    while (rc == DB_OK && (rc = db_step(r)) == DB_ROW) {
        struct purchase p;
        struct training t;
        struct redeem_code codes[PURCHASES_MAX_CODES];
        int n = 0;

        read_purchase(r, &p, NULL, 0);
        memset(&t, 0, sizeof t);
        t.p = &p;
        t.title = db_text(r, 20);
        t.provider_name = db_text(r, 21);
        t.category = db_text(r, 22);
        t.level = db_text(r, 23);
        t.purpose = db_text(r, 24);
        t.hours = (int)db_int(r, 25);
        t.course_price = db_int(r, 26);
        t.regency_code = db_isnull(r, 27) ? NULL : db_text(r, 27);
        t.rating_sum = db_int(r, 28);
        t.rating_count = db_int(r, 29);
        t.completed = !db_isnull(r, 36);
        t.score = (int)db_int(r, 30);
        t.certificate_no = db_text(r, 31);
        t.completed_on = db_text(r, 32);
        t.rated = !db_isnull(r, 37);
        t.stars = (int)db_int(r, 33);
        t.review = db_text(r, 34);
        t.incentive_eligible = db_int(r, 35) != 0;
        /* a nested query on the same connection: fine on both engines (db.h) */
        rc = codes_of(d, p.id, codes, PURCHASES_MAX_CODES, &n);
        if (rc != DB_OK)
            break;
        t.codes = codes;
        t.ncodes = n;
        t.provider_public_id = db_text(r, 38);
        rc = c->fn(&t, c->ctx);
        if (rc != 0) {
            c->stopped = rc;
            rc = DB_OK;
            break;
        }
    }
    db_rows_free(r);
    return rc == DB_DONE ? DB_OK : rc;
}

int purchases_of_account(db *d, int64_t account_id,
                         int (*fn)(const struct training *t, void *ctx), void *ctx)
{
    struct list_ctx c = {account_id, fn, ctx, 0};
    int rc = db_read(d, list_txn, &c);
    return rc == DB_OK && c.stopped ? c.stopped : rc;
}
