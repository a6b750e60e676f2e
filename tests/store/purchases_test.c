/*
 * Tests of buying and what follows it in the store (src/store/purchases.c) on a
 * migrated database of the engine under test (tmpdb.h), with partners, courses,
 * sessions and funded cards written as fixtures:
 *   - a purchase: voucher code, balance and ledger moved together, seat, binding,
 *     OTP used, first_purchase_at, audit entry; ledger_check passes;
 *   - the idempotency key: the same request answers the same purchase without a
 *     second debit (also after a cancel), another request with the key is refused;
 *   - every refusal, each leaving the database as it was (purchases, entries,
 *     bindings, seats, balances), but a wrong OTP, whose attempt is kept: five of
 *     them kill the code; expired, used and other platforms' codes;
 *   - cancel: refund entry, balance, seat and first_purchase_at back, redeem codes
 *     cancelled, once only; refused once a code is used;
 *   - vouchers exchanged for redeem codes (the same on a second exchange) and
 *     every redemption refusal, the live window's edges included;
 *   - completion after redemption only, ratings after completion only, the first
 *     rated purchase as the incentive purchase, the participant's list;
 *   - concurrent buyers on separate connections never overdraw a card.
 */
#include <criterion/criterion.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "tmpdb.h"
#include "core/card.h"
#include "core/voucher.h"
#include "store/audit.h"
#include "store/db.h"
#include "store/ledger.h"
#include "store/purchases.h"

TestSuite(purchases, .init = tmpdb_setup, .fini = tmpdb_teardown, .timeout = 120);

#define T0 1796083200LL               /* 1 Dec 2026 00:00 UTC */
#define HOUR 3600LL
#define DAY 86400LL

static db *D;
static int64_t PLATFORM, PLATFORM2, PROVIDER, PROVIDER2;
static char PLATFORM_PID[27], PLATFORM2_PID[27];
static int card_seq, wave_seq;

static int64_t q_int(const char *sql, const db_val *p, int n)
{
    int64_t v = -1;
    int rc = db_one_int(D, sql, p, n, &v);
    cr_assert(rc == DB_OK || rc == DB_ENOTFOUND, "%s: %s", sql, db_errmsg(D));
    return v;
}

static int64_t q1(const char *sql, int64_t a)
{
    db_val p = DB_INT(a);
    return q_int(sql, &p, 1);
}

static int64_t partner(const char *kind, const char *pid)
{
    db_val p[] = {DB_TEXT(pid), DB_TEXT(kind), DB_TEXT(pid), DB_INT(T0)};
    int64_t id = 0;
    cr_assert_eq(db_one_int(D, "INSERT INTO partners (public_id, kind, name, status, created_at) "
                               "VALUES ($1, $2, $3, 'active', $4) RETURNING id", p, 4, &id),
                 DB_OK, "%s", db_errmsg(D));
    return id;
}

static void setup_db(void)
{
    D = tmpdb_open("p.db");
    cr_assert_eq(db_migrate(D, 0, NULL), DB_OK, "%s", db_errmsg(D));
    snprintf(PLATFORM_PID, sizeof PLATFORM_PID, "platformaaaaaaaaaaaaaaaaaa");
    snprintf(PLATFORM2_PID, sizeof PLATFORM2_PID, "platformbbbbbbbbbbbbbbbbbb");
    PLATFORM = partner("platform", PLATFORM_PID);
    PLATFORM2 = partner("platform", PLATFORM2_PID);
    PROVIDER = partner("provider", "provideraaaaaaaaaaaaaaaaaa");
    PROVIDER2 = partner("provider", "providerbbbbbbbbbbbbbbbbbb");
    card_seq = 0;
    wave_seq = 0;
}

struct course_fx {
    int64_t id;
    char pid[27];
    char session[4][27];
    int64_t session_id[4];
};

/* A course of provider with nsessions sessions (starts_at[i], 0 = self-paced). */
static void course(struct course_fx *c, int64_t provider, const char *mode, int64_t price,
                   const char *status, int nsessions, const int64_t *starts, int capacity)
{
    static int seq;
    memset(c, 0, sizeof *c);
    snprintf(c->pid, sizeof c->pid, "course%020d", ++seq);
    db_val p[] = {DB_TEXT(c->pid), DB_INT(provider), DB_TEXT(mode), DB_INT(price),
                  DB_TEXT(status), DB_INT(T0)};
    cr_assert_eq(db_one_int(D, "INSERT INTO courses (public_id, provider_id, title, description, "
                               "category, level, purpose, mode, hours, price, status, created_at, "
                               "updated_at) VALUES ($1, $2, 'Kursus', 'Deskripsi kursus', "
                               "'digital_tech', 'basic', 'upskilling', $3, 20, $4, $5, $6, $6) "
                               "RETURNING id", p, 6, &c->id), DB_OK, "%s", db_errmsg(D));
    for (int i = 0; i < nsessions; i++) {
        snprintf(c->session[i], sizeof c->session[i], "session%019d", seq * 10 + i);
        db_val s[] = {DB_TEXT(c->session[i]), DB_INT(c->id),
                      starts[i] ? DB_INT(starts[i]) : DB_NULL, DB_INT(capacity), DB_INT(T0)};
        cr_assert_eq(db_one_int(D, "INSERT INTO course_sessions (public_id, course_id, starts_at, "
                                   "capacity, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
                                s, 5, &c->session_id[i]), DB_OK, "%s", db_errmsg(D));
    }
}

static void self_paced(struct course_fx *c, int64_t provider, int64_t price, int capacity)
{
    int64_t none = 0;
    course(c, provider, "self_paced", price, "approved", 1, &none, capacity);
}

struct card_fx {
    int64_t id, account_id;
    char number[CARD_LEN + 1];
};

/* A beneficiary of scheme with a funded card of balance; deadline relative to T0. */
static void card(struct card_fx *c, const char *scheme, int64_t balance, int64_t deadline)
{
    char body[24], pid[32], email[64], phone[24], ref[40];
    int64_t wave = 0, app = 0;
    struct ledger_entry e;

    memset(c, 0, sizeof *c);
    card_seq++;
    snprintf(body, sizeof body, "936000000%06d", card_seq % 1000000);
    cr_assert_eq(card_make(body, c->number), 0);
    snprintf(pid, sizeof pid, "account%019d", card_seq);
    snprintf(email, sizeof email, "p%d@example.id", card_seq);
    snprintf(phone, sizeof phone, "+62812000%05d", card_seq);
    {
        db_val p[] = {DB_TEXT(pid), DB_TEXT(email), DB_TEXT(phone), DB_INT(T0)};
        cr_assert_eq(db_one_int(D, "INSERT INTO accounts (public_id, email, phone, full_name, "
                                   "created_at) VALUES ($1, $2, $3, 'Peserta', $4) RETURNING id",
                                p, 4, &c->account_id), DB_OK, "%s", db_errmsg(D));
    }
    {
        db_val p[] = {DB_INT(++wave_seq), DB_TEXT(scheme), DB_INT(T0)};
        cr_assert_eq(db_one_int(D, "INSERT INTO waves (number, scheme_id, opens_at, closes_at, "
                                   "total_quota, quota_mode, spill_rule, seed_commitment, status, "
                                   "created_at) SELECT $1, id, $3, $3, 1, 'proportional', 'regency', "
                                   "'x', 'drawn', $3 FROM schemes WHERE code = $2 RETURNING id",
                                p, 3, &wave), DB_OK, "%s", db_errmsg(D));
    }
    {
        db_val p[] = {DB_TEXT(pid), DB_INT(wave), DB_INT(c->account_id), DB_INT(T0)};
        cr_assert_eq(db_one_int(D, "INSERT INTO applications (public_id, wave_id, account_id, "
                                   "regency_code, status, is_open, created_at) VALUES ($1, $2, $3, "
                                   "'35.09', 'selected', 0, $4) RETURNING id", p, 4, &app),
                     DB_OK, "%s", db_errmsg(D));
    }
    {
        db_val p[] = {DB_TEXT(c->number), DB_INT(c->account_id), DB_INT(app), DB_INT(wave),
                      DB_TEXT(scheme), DB_INT(T0 + deadline), DB_INT(T0)};
        cr_assert_eq(db_one_int(D, "INSERT INTO beneficiaries (card_number, account_id, "
                                   "application_id, wave_id, scheme_id, regency_code, balance, "
                                   "purchase_deadline, status, created_at) SELECT $1, $2, $3, $4, "
                                   "id, '35.09', 0, $6, 'active', $7 FROM schemes WHERE code = $5 "
                                   "RETURNING id", p, 7, &c->id), DB_OK, "%s", db_errmsg(D));
    }
    cr_assert_eq(ledger_transfer(&e, "fund", LEDGER_FUNDING, LEDGER_BUDGET, balance), LEDGER_OK);
    cr_assert_eq(ledger_post(D, &e, "test", T0, NULL), DB_OK, "%s", db_errmsg(D));
    snprintf(ref, sizeof ref, "beneficiary:%s", c->number);
    cr_assert_eq(ledger_card_credit(D, c->number, LEDGER_BUDGET, balance, "credit", ref, T0,
                                    NULL), DB_OK, "%s", db_errmsg(D));
}

static const char *hash_of(const char *code)
{
    static char out[4][PURCHASES_OTP_HASH_LEN + 1];
    static int slot;
    struct pii_keys k;
    char *h = out[slot++ % 4];
    memset(&k, 7, sizeof k);
    purchases_otp_hash(&k, code, h);
    return h;
}

static void otp(int64_t platform, const char *card_number, const char *code, int64_t now)
{
    int64_t exp = 0;
    cr_assert_eq(purchases_otp_issue(D, platform, card_number, "user", hash_of(code), "Kode: xxxxxx",
                                     "partner:test", now, &exp), DB_OK, "%s", db_errmsg(D));
    cr_assert_eq(exp, now + PURCHASES_OTP_TTL);
}

static struct purchase_req req(const struct card_fx *c, const struct course_fx *co,
                               const char *session, const char *code, const char *key,
                               int64_t now)
{
    return (struct purchase_req){
        .platform_id = PLATFORM, .platform_public_id = PLATFORM_PID,
        .card_number = c->number, .course_public_id = co->pid, .session_public_id = session,
        .otp_hash = hash_of(code), .platform_account = c->number + 10, .idempotency_key = key,
        .request_hash = key, .actor = "partner:test", .now = now};
}

static int buy(const struct purchase_req *r, struct purchase *p)
{
    int replayed = 0;
    int rc = purchases_buy(D, r, p, &replayed);
    cr_assert(rc >= 0, "purchases_buy: %d %s", rc, db_errmsg(D));
    return rc;
}

static int64_t balance_of(const struct card_fx *c)
{
    char acct[LEDGER_CODE_MAX + 1];
    int64_t ledger = -1, b = q1("SELECT balance FROM beneficiaries WHERE id = $1", c->id);
    ledger_card_account(c->number, acct);
    cr_assert_eq(ledger_balance(D, acct, &ledger), DB_OK);
    cr_assert_eq(ledger, b, "ledger %lld, beneficiary %lld", (long long)ledger, (long long)b);
    return b;
}

static void books_ok(void)
{
    int ok = 0;
    char why[256] = "";
    cr_assert_eq(ledger_check(D, &ok, why, sizeof why), DB_OK, "%s", db_errmsg(D));
    cr_assert(ok, "ledger check: %s", why);
}

/* What a refusal must leave unchanged. */
struct state {
    int64_t purchases, entries, bindings, seats, balances, otps_used, audit;
};

static struct state state(void)
{
    struct state s;
    s.purchases = q_int("SELECT COUNT(*) FROM purchases", NULL, 0);
    s.entries = q_int("SELECT COUNT(*) FROM ledger_entries", NULL, 0);
    s.bindings = q_int("SELECT COUNT(*) FROM platform_bindings", NULL, 0);
    s.seats = q_int("SELECT COALESCE(SUM(seats_taken), 0) FROM course_sessions", NULL, 0);
    s.balances = q_int("SELECT COALESCE(SUM(balance), 0) FROM beneficiaries", NULL, 0);
    s.otps_used = q_int("SELECT COUNT(*) FROM purchase_otps WHERE used_at IS NOT NULL", NULL, 0);
    s.audit = q_int("SELECT COUNT(*) FROM audit_log", NULL, 0);
    return s;
}

static void same_state(struct state a, const char *what)
{
    struct state b = state();
    cr_assert_eq(memcmp(&a, &b, sizeof a), 0,
                 "%s changed the database: purchases %lld/%lld entries %lld/%lld bindings "
                 "%lld/%lld seats %lld/%lld balances %lld/%lld otps %lld/%lld audit %lld/%lld",
                 what, (long long)a.purchases, (long long)b.purchases, (long long)a.entries,
                 (long long)b.entries, (long long)a.bindings, (long long)b.bindings,
                 (long long)a.seats, (long long)b.seats, (long long)a.balances,
                 (long long)b.balances, (long long)a.otps_used, (long long)b.otps_used,
                 (long long)a.audit, (long long)b.audit);
}

static void refused(const struct purchase_req *r, int want, const char *what)
{
    struct purchase p;
    struct state before = state();
    int rc = buy(r, &p);
    cr_assert_eq(rc, want, "%s: %d (%s), wanted %s", what, rc,
                 purchases_code(rc) ? purchases_code(rc) : "ok", purchases_code(want));
    same_state(before, what);
}

Test(purchases, a_purchase_moves_money_seat_binding_and_otp_together)
{
    struct card_fx c;
    struct course_fx co;
    struct purchase p, g;
    char acct[LEDGER_CODE_MAX + 1];
    int64_t plat = 0, bad = 0;

    setup_db();
    card(&c, "normal-2023", 3500000, 15 * DAY);
    self_paced(&co, PROVIDER, 750000, 10);
    otp(PLATFORM, c.number, "123456", T0);
    struct purchase_req r = req(&c, &co, NULL, "123456", "key-00000001", T0 + 60);
    cr_assert_eq(buy(&r, &p), DB_OK);
    cr_assert_eq(strlen(p.public_id), PURCHASES_PUBLIC_ID_LEN);
    cr_assert_eq(voucher_check(VOUCHER_KIND_VOUCHER, p.voucher_code, NULL), VOUCHER_OK, "%s",
                 p.voucher_code);
    cr_assert_str_eq(p.status, "paid");
    cr_assert_eq(p.price, 750000);
    cr_assert_eq(p.balance_after, 2750000);
    cr_assert_str_eq(p.session_public_id, co.session[0]);
    cr_assert_eq(balance_of(&c), 2750000);
    ledger_platform_account(PLATFORM_PID, acct);
    cr_assert_eq(ledger_balance(D, acct, &plat), DB_OK);
    cr_assert_eq(plat, 750000);
    cr_assert_eq(q1("SELECT seats_taken FROM course_sessions WHERE id = $1", co.session_id[0]), 1);
    cr_assert_eq(q1("SELECT first_purchase_at FROM beneficiaries WHERE id = $1", c.id), T0 + 60);
    cr_assert_eq(q1("SELECT COUNT(*) FROM platform_bindings WHERE beneficiary_id = $1", c.id), 1);
    cr_assert_eq(q1("SELECT COUNT(*) FROM purchase_otps WHERE beneficiary_id = $1 AND used_at "
                    "IS NOT NULL", c.id), 1);
    cr_assert_eq(q_int("SELECT COUNT(*) FROM audit_log WHERE action = 'purchase.create'", NULL, 0),
                 1);
    cr_assert_eq(audit_verify(D, &bad), DB_OK);
    cr_assert_eq(bad, 0);
    cr_assert_eq(purchases_get(D, p.public_id, &g), DB_OK);
    cr_assert_str_eq(g.voucher_code, p.voucher_code);
    cr_assert_eq(g.balance_after, 2750000);
    cr_assert_str_eq(g.card_number, c.number);
    cr_assert_eq(g.provider_id, PROVIDER);
    cr_assert_eq(purchases_get(D, "nosuchpurchaseaaaaaaaaaaaa", &g), DB_ENOTFOUND);
    books_ok();
    db_close(D);
}

Test(purchases, a_retried_key_answers_the_first_purchase_and_debits_once)
{
    struct card_fx c;
    struct course_fx co, co2;
    struct purchase p, again;
    int replayed = 0;

    setup_db();
    card(&c, "semi-bansos-2020", 1000000, 30 * DAY);
    self_paced(&co, PROVIDER, 300000, 10);
    self_paced(&co2, PROVIDER, 200000, 10);
    otp(PLATFORM, c.number, "111111", T0);
    otp(PLATFORM, c.number, "222222", T0);
    struct purchase_req r = req(&c, &co, NULL, "111111", "retry-key-1", T0 + 10);
    cr_assert_eq(buy(&r, &p), DB_OK);
    struct state before = state();
    r.now = T0 + 20;
    cr_assert_eq(purchases_buy(D, &r, &again, &replayed), DB_OK);
    cr_assert_eq(replayed, 1);
    same_state(before, "a retry");
    cr_assert_str_eq(again.public_id, p.public_id);
    cr_assert_str_eq(again.voucher_code, p.voucher_code);
    cr_assert_eq(again.balance_after, 700000);
    cr_assert_eq(again.created_at, T0 + 10);
    /* the same key for another request */
    struct purchase_req other = req(&c, &co2, NULL, "222222", "retry-key-1", T0 + 30);
    other.request_hash = "another-request";
    refused(&other, PURCHASES_IDEMPOTENCY_CONFLICT, "a reused key");
    /* a second purchase moves on from the first; the retry of the first still
     * answers as it was, even after the second and after a cancel */
    struct purchase_req r2 = req(&c, &co2, NULL, "222222", "retry-key-2", T0 + 40);
    cr_assert_eq(buy(&r2, &again), DB_OK);
    cr_assert_eq(again.balance_after, 500000);
    cr_assert_eq(purchases_cancel(D, PLATFORM, p.public_id, "partner:test", T0 + 50, &again),
                 DB_OK);
    cr_assert_eq(purchases_buy(D, &r, &again, &replayed), DB_OK);
    cr_assert_eq(replayed, 1);
    cr_assert_str_eq(again.status, "paid");
    cr_assert_eq(again.balance_after, 700000);
    cr_assert_eq(balance_of(&c), 800000);
    /* keys are per platform: another platform may use the same key */
    otp(PLATFORM2, c.number, "333333", T0);
    struct purchase_req r3 = req(&c, &co2, NULL, "333333", "retry-key-1", T0 + 60);
    r3.platform_id = PLATFORM2;
    r3.platform_public_id = PLATFORM2_PID;
    cr_assert_eq(buy(&r3, &again), DB_OK);
    cr_assert_eq(replayed, 1);
    books_ok();
    db_close(D);
}

Test(purchases, every_refusal_writes_nothing)
{
    struct card_fx c, poor, late, revoked, other;
    struct course_fx ok, draft, two, full, webinar;
    struct purchase p;
    int64_t starts[2] = {T0 + 10 * DAY, T0 + 11 * DAY};

    setup_db();
    card(&c, "normal-2023", 3500000, 15 * DAY);
    card(&poor, "normal-2023", 100000, 15 * DAY);
    card(&late, "normal-2023", 3500000, -DAY);
    card(&revoked, "normal-2023", 3500000, 15 * DAY);
    card(&other, "semi-bansos-2020", 2000000, 30 * DAY);
    cr_assert_eq(q1("UPDATE beneficiaries SET status = 'revoked' WHERE id = $1 RETURNING 1",
                    revoked.id), 1);
    self_paced(&ok, PROVIDER, 500000, 10);
    course(&draft, PROVIDER, "self_paced", 500000, "pending", 1, (int64_t[]){0}, 10);
    course(&two, PROVIDER, "webinar", 500000, "approved", 2, starts, 10);
    self_paced(&full, PROVIDER, 500000, 1);
    course(&webinar, PROVIDER, "webinar", 500000, "approved", 1, (int64_t[]){T0 - 2 * HOUR}, 10);
    cr_assert_eq(q1("UPDATE course_sessions SET seats_taken = 1 WHERE id = $1 RETURNING 1",
                    full.session_id[0]), 1);
    for (int i = 0; i < 6; i++) {
        otp(PLATFORM, c.number, "424242", T0);
        otp(PLATFORM, poor.number, "424242", T0);
        otp(PLATFORM, late.number, "424242", T0);
        otp(PLATFORM, other.number, "424242", T0);
    }

    struct purchase_req r = req(&c, &ok, NULL, "424242", "k-card", T0 + 5);
    r.card_number = "9360000009999999";
    refused(&r, PURCHASES_CARD_NOT_FOUND, "an unknown card");
    r = req(&revoked, &ok, NULL, "424242", "k-revoked", T0 + 5);
    refused(&r, PURCHASES_CARD_NOT_ACTIVE, "a revoked card");
    r = req(&late, &ok, NULL, "424242", "k-late", T0 + 5);
    refused(&r, PURCHASES_DEADLINE_PASSED, "a first purchase after the deadline");
    r = req(&poor, &ok, NULL, "424242", "k-poor", T0 + 5);
    refused(&r, PURCHASES_INSUFFICIENT_BALANCE, "a short balance");
    r = req(&c, &ok, NULL, "424242", "k-course", T0 + 5);
    r.course_public_id = "nosuchcourseaaaaaaaaaaaaaa";
    refused(&r, PURCHASES_COURSE_NOT_FOUND, "an unknown course");
    r = req(&c, &draft, NULL, "424242", "k-draft", T0 + 5);
    refused(&r, PURCHASES_NOT_ON_SALE, "a course not approved");
    r = req(&c, &webinar, NULL, "424242", "k-over", T0 + 5);
    refused(&r, PURCHASES_NOT_ON_SALE, "a webinar whose redeem window has closed");
    r = req(&c, &two, NULL, "424242", "k-two", T0 + 5);
    refused(&r, PURCHASES_SESSION_REQUIRED, "no session for a course with two");
    r = req(&c, &two, ok.session[0], "424242", "k-sess", T0 + 5);
    refused(&r, PURCHASES_SESSION_NOT_FOUND, "another course's session");
    r = req(&c, &full, NULL, "424242", "k-full", T0 + 5);
    refused(&r, PURCHASES_SOLD_OUT, "a full session");

    /* binding: the platform account of `other` is bound to it once it buys */
    r = req(&other, &ok, NULL, "424242", "k-bind-1", T0 + 5);
    cr_assert_eq(buy(&r, &p), DB_OK);
    r = req(&c, &ok, NULL, "424242", "k-bind-2", T0 + 6);
    r.platform_account = other.number + 10;
    refused(&r, PURCHASES_BINDING_CONFLICT, "an account bound to another card");
    r = req(&other, &ok, NULL, "424242", "k-bind-3", T0 + 7);
    r.platform_account = "another-account";
    refused(&r, PURCHASES_BINDING_CONFLICT, "a card bound to another account");
    /* the same card and account on another platform is a binding of its own */
    otp(PLATFORM2, other.number, "515151", T0);
    r = req(&other, &two, two.session[1], "515151", "k-bind-4", T0 + 8);
    r.platform_id = PLATFORM2;
    r.platform_public_id = PLATFORM2_PID;
    cr_assert_eq(buy(&r, &p), DB_OK, "another platform binds on its own");

    /* the scheme's rule: normal-2023 must finish the first training first */
    r = req(&c, &ok, NULL, "424242", "k-first", T0 + 9);
    cr_assert_eq(buy(&r, &p), DB_OK);
    r = req(&c, &two, two.session[0], "424242", "k-second", T0 + 10);
    refused(&r, PURCHASES_UNFINISHED_TRAINING, "a second unfinished training");
    /* ...while semi-bansos-2020 allows several at once (the purchases above) */
    cr_assert_eq(q1("SELECT COUNT(*) FROM purchases WHERE beneficiary_id = $1 AND status = "
                    "'paid'", other.id), 2);
    /* after the deadline, a card that has bought may buy again */
    r = req(&other, &ok, NULL, "424242", "k-after", T0 + 40 * DAY - 100);
    otp(PLATFORM, other.number, "616161", T0 + 40 * DAY - 200);
    r.otp_hash = hash_of("616161");
    cr_assert_eq(buy(&r, &p), DB_OK, "not a first purchase: the deadline does not apply");
    books_ok();
    db_close(D);
}

Test(purchases, otp_rule_single_use_attempts_expiry_platform)
{
    struct card_fx c, gone;
    struct course_fx co;
    struct purchase p;
    int64_t exp = 0;

    setup_db();
    card(&c, "semi-bansos-2020", 1000000, 30 * DAY);
    card(&gone, "semi-bansos-2020", 1000000, 30 * DAY);
    self_paced(&co, PROVIDER, 100000, 100);

    /* asking for a code: the card must exist and be active; the SMS is queued */
    cr_assert_eq(purchases_otp_issue(D, PLATFORM, "9360000009999999", "user", hash_of("1"), "x",
                                     "partner:test", T0, &exp), PURCHASES_CARD_NOT_FOUND);
    cr_assert_eq(q1("UPDATE beneficiaries SET status = 'revoked' WHERE id = $1 RETURNING 1",
                    gone.id), 1);
    cr_assert_eq(purchases_otp_issue(D, PLATFORM, gone.number, "user", hash_of("1"), "x",
                                     "partner:test", T0, &exp), PURCHASES_CARD_INACTIVE_OTP);
    cr_assert_eq(q_int("SELECT COUNT(*) FROM outbox", NULL, 0), 0);
    otp(PLATFORM, c.number, "123456", T0);
    {
        char phone[32] = "";
        cr_assert_eq(db_one_text(D, "SELECT recipient FROM outbox WHERE channel = 'sms'", NULL,
                                 0, phone, sizeof phone), DB_OK);
        cr_assert_str_eq(phone, "+6281200000001");
    }

    /* a wrong code counts an attempt, kept although the purchase is refused */
    struct purchase_req r = req(&c, &co, NULL, "654321", "otp-1", T0 + 10);
    refused(&r, PURCHASES_OTP_INVALID, "a wrong code");
    cr_assert_eq(q1("SELECT attempts FROM purchase_otps WHERE beneficiary_id = $1", c.id), 1);
    for (int i = 2; i <= PURCHASES_OTP_MAX_ATTEMPTS; i++)
        refused(&r, PURCHASES_OTP_INVALID, "a wrong code");
    cr_assert_eq(q1("SELECT attempts FROM purchase_otps WHERE beneficiary_id = $1", c.id),
                 PURCHASES_OTP_MAX_ATTEMPTS);
    /* five wrong attempts kill the code: the right one no longer works */
    r = req(&c, &co, NULL, "123456", "otp-2", T0 + 20);
    refused(&r, PURCHASES_OTP_INVALID, "a dead code");

    /* a code lives PURCHASES_OTP_TTL seconds */
    otp(PLATFORM, c.number, "222222", T0 + 100);
    r = req(&c, &co, NULL, "222222", "otp-3", T0 + 100 + PURCHASES_OTP_TTL);
    refused(&r, PURCHASES_OTP_EXPIRED, "an expired code");
    r.now = T0 + 100 + PURCHASES_OTP_TTL - 1;
    cr_assert_eq(buy(&r, &p), DB_OK, "a code in its last second");
    /* a code authorises one purchase only */
    r = req(&c, &co, NULL, "222222", "otp-4", T0 + 200);
    refused(&r, PURCHASES_OTP_INVALID, "a used code");

    /* a code is for the platform that asked for it */
    otp(PLATFORM2, c.number, "333333", T0 + 300);
    r = req(&c, &co, NULL, "333333", "otp-5", T0 + 310);
    refused(&r, PURCHASES_OTP_INVALID, "another platform's code");

    /* several live codes: each authorises its own purchase */
    otp(PLATFORM, c.number, "444444", T0 + 400);
    otp(PLATFORM, c.number, "555555", T0 + 401);
    r = req(&c, &co, NULL, "555555", "otp-6", T0 + 410);
    cr_assert_eq(buy(&r, &p), DB_OK);
    r = req(&c, &co, NULL, "444444", "otp-7", T0 + 411);
    cr_assert_eq(buy(&r, &p), DB_OK);
    cr_assert_eq(balance_of(&c), 700000);
    books_ok();
    db_close(D);
}

Test(purchases, cancel_refunds_releases_and_cancels_codes_once)
{
    struct card_fx c;
    struct course_fx co, co2;
    struct purchase p, x;
    struct redeem_code codes[PURCHASES_MAX_CODES], used;
    int n = 0;
    char refund_ref[64];

    setup_db();
    card(&c, "semi-bansos-2020", 1000000, 30 * DAY);
    self_paced(&co, PROVIDER, 400000, 5);
    self_paced(&co2, PROVIDER, 100000, 5);
    otp(PLATFORM, c.number, "100001", T0);
    otp(PLATFORM, c.number, "100002", T0);
    struct purchase_req r = req(&c, &co, NULL, "100001", "cancel-1", T0 + 10);
    cr_assert_eq(buy(&r, &p), DB_OK);
    cr_assert_eq(purchases_exchange(D, PROVIDER, p.voucher_code, "partner:prov", T0 + 20, &x,
                                    codes, &n), DB_OK);
    cr_assert_eq(n, 1);
    cr_assert_eq(balance_of(&c), 600000);

    cr_assert_eq(purchases_cancel(D, PLATFORM2, p.public_id, "partner:other", T0 + 30, &x),
                 PURCHASES_NOT_FOUND, "another platform's sale");
    cr_assert_eq(purchases_cancel(D, PLATFORM, "nosuchpurchaseaaaaaaaaaaaa", "partner:test",
                                  T0 + 30, &x), PURCHASES_NOT_FOUND);
    cr_assert_eq(purchases_cancel(D, PLATFORM, p.public_id, "partner:test", T0 + 30, &x), DB_OK);
    cr_assert_str_eq(x.status, "cancelled");
    cr_assert_eq(x.cancelled_at, T0 + 30);
    cr_assert_eq(x.balance_after, 600000, "balance_after stays the purchase's");
    cr_assert_eq(balance_of(&c), 1000000);
    cr_assert_eq(q1("SELECT seats_taken FROM course_sessions WHERE id = $1", co.session_id[0]), 0);
    cr_assert_eq(q1("SELECT COUNT(*) FROM redeem_codes WHERE purchase_id = $1 AND status = "
                    "'cancelled'", p.id), 1);
    cr_assert_eq(q1("SELECT COUNT(*) FROM beneficiaries WHERE id = $1 AND first_purchase_at IS "
                    "NULL", c.id), 1, "no purchase left: the deadline applies again");
    snprintf(refund_ref, sizeof refund_ref, "purchase:%s", p.public_id);
    {
        db_val k = DB_TEXT(refund_ref);
        cr_assert_eq(q_int("SELECT COUNT(*) FROM ledger_entries WHERE ref = $1 AND kind = "
                           "'refund'", &k, 1), 1);
    }
    /* a second cancel changes nothing */
    struct state before = state();
    cr_assert_eq(purchases_cancel(D, PLATFORM, p.public_id, "partner:test", T0 + 40, &x), DB_OK);
    cr_assert_str_eq(x.status, "cancelled");
    cr_assert_eq(x.cancelled_at, T0 + 30);
    same_state(before, "a second cancel");
    books_ok();

    /* once a redeem code is used, no cancel */
    r = req(&c, &co2, NULL, "100002", "cancel-2", T0 + 50);
    cr_assert_eq(buy(&r, &p), DB_OK);
    cr_assert_eq(purchases_exchange(D, PROVIDER, p.voucher_code, "partner:prov", T0 + 60, &x,
                                    codes, &n), DB_OK);
    cr_assert_eq(purchases_redeem(D, PROVIDER, codes[0].code, "self_paced", "partner:prov",
                                  T0 + 70, &x, &used), DB_OK);
    before = state();
    cr_assert_eq(purchases_cancel(D, PLATFORM, p.public_id, "partner:test", T0 + 80, &x),
                 PURCHASES_NOT_CANCELLABLE);
    same_state(before, "a refused cancel");
    books_ok();
    db_close(D);
}

Test(purchases, vouchers_exchange_and_every_redemption_refusal)
{
    struct card_fx c;
    struct course_fx self, web, off;
    struct purchase ps, pw, po, pc, x;
    struct redeem_code codes[PURCHASES_MAX_CODES], again[PURCHASES_MAX_CODES], used;
    char sc[VOUCHER_LEN + 1], wc[VOUCHER_LEN + 1], oc[VOUCHER_LEN + 1], cc[VOUCHER_LEN + 1];
    int64_t start = T0 + 5 * DAY;
    int n = 0, m = 0;

    setup_db();
    card(&c, "semi-bansos-2020", 1000000, 30 * DAY);
    self_paced(&self, PROVIDER, 100000, 5);
    course(&web, PROVIDER, "webinar", 100000, "approved", 1, &start, 5);
    course(&off, PROVIDER, "offline", 100000, "approved", 1, &start, 5);
    for (int i = 0; i < 4; i++)
        otp(PLATFORM, c.number, "777777", T0);
    struct purchase_req r = req(&c, &self, NULL, "777777", "redeem-1", T0 + 1);
    cr_assert_eq(buy(&r, &ps), DB_OK);
    r = req(&c, &web, NULL, "777777", "redeem-2", T0 + 2);
    cr_assert_eq(buy(&r, &pw), DB_OK);
    r = req(&c, &off, NULL, "777777", "redeem-3", T0 + 3);
    cr_assert_eq(buy(&r, &po), DB_OK);
    r = req(&c, &self, NULL, "777777", "redeem-4", T0 + 4);
    cr_assert_eq(buy(&r, &pc), DB_OK);

    /* exchange: not found, another provider, then the code, the same twice */
    cr_assert_eq(purchases_exchange(D, PROVIDER, "2222-2222-2222-2222", "p", T0, &x, codes, &n),
                 PURCHASES_REDEEM_NOT_FOUND);
    cr_assert_eq(purchases_exchange(D, PROVIDER2, ps.voucher_code, "p", T0, &x, codes, &n),
                 PURCHASES_REDEEM_OTHER_PROVIDER);
    cr_assert_eq(purchases_exchange(D, PROVIDER, ps.voucher_code, "p", T0 + 10, &x, codes, &n),
                 DB_OK);
    cr_assert_eq(n, 1);
    cr_assert_str_eq(x.public_id, ps.public_id);
    cr_assert_eq(voucher_check(VOUCHER_KIND_REDEEM, codes[0].code, NULL), VOUCHER_OK);
    cr_assert_str_eq(codes[0].status, "issued");
    cr_assert_str_eq(codes[0].session_public_id, self.session[0]);
    cr_assert_eq(purchases_exchange(D, PROVIDER, ps.voucher_code, "p", T0 + 11, &x, again, &m),
                 DB_OK);
    cr_assert_eq(m, 1);
    cr_assert_str_eq(again[0].code, codes[0].code, "a second exchange gives the same code");
    snprintf(sc, sizeof sc, "%s", codes[0].code);
    cr_assert_eq(purchases_exchange(D, PROVIDER, pw.voucher_code, "p", T0, &x, codes, &n), DB_OK);
    snprintf(wc, sizeof wc, "%s", codes[0].code);
    cr_assert_eq(codes[0].starts_at, start);
    cr_assert_eq(purchases_exchange(D, PROVIDER, po.voucher_code, "p", T0, &x, codes, &n), DB_OK);
    snprintf(oc, sizeof oc, "%s", codes[0].code);
    cr_assert_eq(purchases_exchange(D, PROVIDER, pc.voucher_code, "p", T0, &x, codes, &n), DB_OK);
    snprintf(cc, sizeof cc, "%s", codes[0].code);
    cr_assert_eq(purchases_cancel(D, PLATFORM, pc.public_id, "partner:test", T0 + 20, &x), DB_OK);
    cr_assert_eq(purchases_exchange(D, PROVIDER, pc.voucher_code, "p", T0, &x, codes, &n),
                 PURCHASES_REDEEM_CANCELLED_TRANSACTION);

    /* redemption refusals, each with its own outcome */
    struct state before = state();
    cr_assert_eq(purchases_redeem(D, PROVIDER, "2222-2222-2222-2222", "self_paced", "p", T0, &x,
                                  &used), PURCHASES_REDEEM_NOT_FOUND);
    cr_assert_eq(purchases_redeem(D, PROVIDER, ps.voucher_code, "self_paced", "p", T0, &x,
                                  &used), PURCHASES_REDEEM_NOT_FOUND, "a voucher is no redeem code");
    cr_assert_eq(purchases_redeem(D, PROVIDER2, sc, "self_paced", "p", T0, &x, &used),
                 PURCHASES_REDEEM_OTHER_PROVIDER);
    cr_assert_eq(purchases_redeem(D, PROVIDER, sc, "webinar", "p", T0, &x, &used),
                 PURCHASES_REDEEM_WRONG_TYPE);
    cr_assert_eq(purchases_redeem(D, PROVIDER, cc, "self_paced", "p", T0, &x, &used),
                 PURCHASES_REDEEM_CANCELLED_TRANSACTION);
    cr_assert_eq(purchases_redeem(D, PROVIDER, wc, "webinar", "p", start - HOUR - 1, &x, &used),
                 PURCHASES_REDEEM_OUTSIDE_WINDOW, "an hour and a second early");
    cr_assert_eq(purchases_redeem(D, PROVIDER, oc, "offline", "p", start + HOUR + 1, &x, &used),
                 PURCHASES_REDEEM_OUTSIDE_WINDOW, "an hour and a second late");
    same_state(before, "refused redemptions");
    /* a code cancelled by itself (an operator's correction), the transaction standing */
    {
        db_val k = DB_TEXT(oc);
        cr_assert_eq(q_int("UPDATE redeem_codes SET status = 'cancelled' WHERE code = $1 "
                           "RETURNING 1", &k, 1), 1);
        cr_assert_eq(purchases_redeem(D, PROVIDER, oc, "offline", "p", start, &x, &used),
                     PURCHASES_REDEEM_CANCELLED_CODE);
        cr_assert_eq(q_int("UPDATE redeem_codes SET status = 'issued' WHERE code = $1 "
                           "RETURNING 1", &k, 1), 1);
    }
    /* the window's edges are inside it; self-paced has no window */
    cr_assert_eq(purchases_redeem(D, PROVIDER, wc, "webinar", "p", start - HOUR, &x, &used),
                 DB_OK);
    cr_assert_str_eq(used.status, "used");
    cr_assert_eq(used.used_at, start - HOUR);
    cr_assert_str_eq(x.public_id, pw.public_id);
    cr_assert_eq(purchases_redeem(D, PROVIDER, oc, "offline", "p", start + HOUR, &x, &used),
                 DB_OK);
    cr_assert_eq(purchases_redeem(D, PROVIDER, " ", "self_paced", "p", T0, &x, &used),
                 PURCHASES_REDEEM_NOT_FOUND);
    cr_assert_eq(purchases_redeem(D, PROVIDER, sc, "self_paced", "p", T0 + 100 * DAY, &x, &used),
                 DB_OK);
    cr_assert_eq(purchases_redeem(D, PROVIDER, sc, "self_paced", "p", T0 + 100 * DAY, &x, &used),
                 PURCHASES_REDEEM_ALREADY_USED);
    cr_assert_eq(q_int("SELECT COUNT(*) FROM audit_log WHERE action = 'redeem.use'", NULL, 0), 3);
    books_ok();
    db_close(D);
}

/* What the list test reads of a training (its strings die after the call). */
struct seen {
    int n;
    struct {
        char purchase[PURCHASES_PUBLIC_ID_LEN + 1], certificate[16], review[32];
        int completed, rated, stars, score, incentive, ncodes;
    } t[8];
};

static int collect(const struct training *t, void *ctx)
{
    struct seen *s = ctx;
    if (s->n == 8)
        return 1;
    snprintf(s->t[s->n].purchase, sizeof s->t[0].purchase, "%s", t->p->public_id);
    snprintf(s->t[s->n].certificate, sizeof s->t[0].certificate, "%s",
             t->completed ? t->certificate_no : "");
    snprintf(s->t[s->n].review, sizeof s->t[0].review, "%s", t->rated ? t->review : "");
    s->t[s->n].completed = t->completed;
    s->t[s->n].rated = t->rated;
    s->t[s->n].stars = t->stars;
    s->t[s->n].score = t->score;
    s->t[s->n].incentive = t->incentive_eligible;
    s->t[s->n].ncodes = t->ncodes;
    s->n++;
    return 0;
}

Test(purchases, completion_rating_incentive_and_the_list)
{
    struct card_fx c, someone;
    struct course_fx a, b;
    struct purchase pa, pb, x;
    struct redeem_code codes[PURCHASES_MAX_CODES], used;
    struct completion_in done = {87, "CERT-001", "2026-12-02"};
    struct seen list;
    int n = 0, inc = -1;

    setup_db();
    card(&c, "semi-bansos-2020", 1000000, 30 * DAY);
    card(&someone, "semi-bansos-2020", 1000000, 30 * DAY);
    self_paced(&a, PROVIDER, 100000, 5);
    self_paced(&b, PROVIDER, 100000, 5);
    otp(PLATFORM, c.number, "909090", T0);
    otp(PLATFORM, c.number, "919191", T0);
    struct purchase_req r = req(&c, &a, NULL, "909090", "done-1", T0 + 1);
    cr_assert_eq(buy(&r, &pa), DB_OK);
    r = req(&c, &b, NULL, "919191", "done-2", T0 + 2);
    cr_assert_eq(buy(&r, &pb), DB_OK);

    /* completion: only by the course's provider, only after a redemption, once */
    cr_assert_eq(purchases_complete(D, PROVIDER, pa.public_id, &done, "p", T0 + 3, &x),
                 PURCHASES_COMPLETION_NOT_REDEEMED);
    cr_assert_eq(purchases_rate(D, c.account_id, pa.public_id, 5, "Bagus sekali", T0 + 3, &inc),
                 PURCHASES_RATING_NOT_COMPLETED);
    for (int i = 0; i < 2; i++) {
        struct purchase *p = i ? &pb : &pa;
        cr_assert_eq(purchases_exchange(D, PROVIDER, p->voucher_code, "p", T0 + 4, &x, codes,
                                        &n), DB_OK);
        cr_assert_eq(purchases_redeem(D, PROVIDER, codes[0].code, "self_paced", "p", T0 + 5, &x,
                                      &used), DB_OK);
    }
    cr_assert_eq(purchases_complete(D, PROVIDER2, pa.public_id, &done, "p", T0 + 6, &x),
                 PURCHASES_NOT_FOUND);
    cr_assert_eq(purchases_complete(D, PROVIDER, pa.public_id, &done, "p", T0 + 6, &x), DB_OK);
    cr_assert_str_eq(x.status, "completed");
    cr_assert_eq(purchases_complete(D, PROVIDER, pa.public_id, &done, "p", T0 + 7, &x),
                 PURCHASES_COMPLETION_ALREADY);
    cr_assert_eq(purchases_complete(D, PROVIDER, pb.public_id, &done, "p", T0 + 8, &x), DB_OK);

    /* ratings: the owner only, once; the first rated purchase is the incentive's */
    cr_assert_eq(purchases_rate(D, someone.account_id, pb.public_id, 4, "Cukup bagus", T0 + 9,
                                &inc), PURCHASES_NOT_FOUND);
    cr_assert_eq(purchases_rate(D, c.account_id, pb.public_id, 4, "Cukup bagus", T0 + 9, &inc),
                 DB_OK);
    cr_assert_eq(inc, 1);
    cr_assert_eq(q1("SELECT incentive_purchase_id FROM beneficiaries WHERE id = $1", c.id), pb.id);
    cr_assert_eq(purchases_rate(D, c.account_id, pb.public_id, 5, "Sekali lagi", T0 + 10, &inc),
                 PURCHASES_RATING_ALREADY);
    cr_assert_eq(purchases_rate(D, c.account_id, pa.public_id, 5, "Bagus sekali", T0 + 11, &inc),
                 DB_OK);
    cr_assert_eq(inc, 0, "only the first");
    cr_assert_eq(q1("SELECT incentive_purchase_id FROM beneficiaries WHERE id = $1", c.id), pb.id);
    cr_assert_eq(q1("SELECT rating_sum * 10 + rating_count FROM courses WHERE id = $1", a.id), 51);
    cr_assert_eq(purchases_cancel(D, PLATFORM, pa.public_id, "partner:test", T0 + 12, &x),
                 PURCHASES_NOT_CANCELLABLE, "a completed training");

    /* the participant's list, newest first */
    memset(&list, 0, sizeof list);
    cr_assert_eq(purchases_of_account(D, c.account_id, collect, &list), DB_OK);
    cr_assert_eq(list.n, 2);
    cr_assert_str_eq(list.t[0].purchase, pb.public_id);
    cr_assert(list.t[0].completed && list.t[0].rated && list.t[0].stars == 4 &&
              list.t[0].incentive && list.t[0].ncodes == 1 && list.t[0].score == 87);
    cr_assert_str_eq(list.t[0].certificate, "CERT-001");
    cr_assert_str_eq(list.t[0].review, "Cukup bagus");
    cr_assert_str_eq(list.t[1].purchase, pa.public_id);
    cr_assert(list.t[1].completed && list.t[1].rated && list.t[1].stars == 5 &&
              !list.t[1].incentive);
    memset(&list, 0, sizeof list);
    cr_assert_eq(purchases_of_account(D, someone.account_id, collect, &list), DB_OK);
    cr_assert_eq(list.n, 0);
    books_ok();
    db_close(D);
}

/* ---- concurrency: buyers on their own connections ---- */

struct racer {
    const char *addr;
    const struct card_fx *c;
    const struct course_fx *co;
    int index, ok, broke, other;
};

static void *race(void *arg)
{
    struct racer *t = arg;
    char err[256], key[32];
    db *d = NULL;

    if (db_open(t->addr, &d, err, sizeof err) != DB_OK) {
        t->other = -1;
        return NULL;
    }
    for (int i = 0; i < 10; i++) {
        struct purchase p;
        snprintf(key, sizeof key, "race-%d-%d", t->index, i);
        struct purchase_req r = req(t->c, t->co, NULL, "246810", key, T0 + 100);
        int rc = purchases_buy(d, &r, &p, NULL);
        if (rc == DB_OK)
            t->ok++;
        else if (rc == PURCHASES_INSUFFICIENT_BALANCE)
            t->broke++;
        else
            t->other++;
    }
    db_close(d);
    return NULL;
}

Test(purchases, concurrent_buyers_never_overdraw_a_card)
{
    enum { THREADS = 8 };
    struct card_fx c;
    struct course_fx co;
    struct racer t[THREADS];
    pthread_t th[THREADS];
    int ok = 0, broke = 0, other = 0;

    setup_db();
    card(&c, "semi-bansos-2020", 1000000, 30 * DAY);
    self_paced(&co, PROVIDER, 300000, 1000);
    for (int i = 0; i < THREADS * 10; i++)
        otp(PLATFORM, c.number, "246810", T0 + 50);
    for (int i = 0; i < THREADS; i++) {
        t[i] = (struct racer){tmpdb_addr("p.db"), &c, &co, i, 0, 0, 0};
        cr_assert_eq(pthread_create(&th[i], NULL, race, &t[i]), 0);
    }
    for (int i = 0; i < THREADS; i++) {
        pthread_join(th[i], NULL);
        ok += t[i].ok;
        broke += t[i].broke;
        other += t[i].other;
    }
    cr_assert_eq(ok, 3, "exactly three purchases fit the balance (%d ok, %d short, %d other)", ok,
                 broke, other);
    cr_assert_eq(broke, THREADS * 10 - 3);
    cr_assert_eq(balance_of(&c), 100000);
    cr_assert_eq(q1("SELECT seats_taken FROM course_sessions WHERE id = $1", co.session_id[0]), 3);
    books_ok();
    db_close(D);
}
