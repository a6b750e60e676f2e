/*
 * API tests of buying and what follows it (src/api/purchases.c) against the real
 * server started by the harness, with requests signed as a partner signs them
 * (partner_sign.h). Partners, keys, courses and funded cards are written into the
 * server's database through the store (either engine), as an operator's tools
 * would; the purchase codes are read from the SMS the server queued in the outbox.
 *   - the whole road: a code by SMS, a purchase (201, Location, the voucher), the
 *     sale read back (only by its platform), a retry with the same key and body
 *     (the same 201 and bytes, keys reordered or not, one debit), the key reused
 *     for another body (422), a missing or malformed key (400); the voucher
 *     exchanged for a redeem code (twice the same), redeemed, completion reported,
 *     the participant's trainings with the certificate, the rating and the
 *     incentive mark, the card's balance;
 *   - every refusal of buying with its code, and validation errors;
 *   - every redemption refusal with its code, and mistyped codes;
 *   - cancel: refund, balance back, codes cancelled, refused after redemption;
 *   - 200 concurrent purchases against one card whose balance pays for exactly 3:
 *     exactly 3 succeed, the rest are 409 purchase.insufficient_balance, the
 *     balance ends at the remainder, `prakerja ledger check` passes.
 */
#include <criterion/criterion.h>
#include <curl/curl.h>
#include <jansson.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness.h"
#include "partner_sign.h"
#include "../support.h"
#include "core/card.h"
#include "core/errors.h"
#include "core/voucher.h"
#include "store/db.h"
#include "store/ledger.h"
#include "store/partners.h"
#include "store/pii.h"

#define HOUR 3600LL
#define DAY 86400LL

static struct harness H;
static db *D;                        /* the test's own connection to the server's database */
static struct pii_keys K;
static int64_t NOW;

static void start(void)
{
    char err[256] = "";
    curl_global_init(CURL_GLOBAL_ALL);
    cr_assert_eq(sodium_init() >= 0, 1);
    cr_assert_eq(harness_start(&H, NULL), 0, "server did not start");
    cr_assert_eq(db_open(H.db, &D, err, sizeof err), DB_OK, "%s", err);
    cr_assert_eq(pii_key_load(H.key, &K, err, sizeof err), 0, "%s", err);
    NOW = (int64_t)time(NULL);
}

static void stop(void)
{
    db_close(D);
    D = NULL;
    harness_stop(&H);
}

TestSuite(purchases, .init = start, .fini = stop, .timeout = 240);

/* ---- fixtures ---- */

struct partner_fx {
    int64_t id;
    char pid[PARTNERS_PUBLIC_ID_LEN + 1];
    char key[PARTNERS_KEY_ID_LEN + 1];
    char secret[PARTNERS_SECRET_HEX + 1];
};

struct mk_partner {
    struct partner_clean c;
    struct partner_fx *out;
};

static int mk_partner_txn(db *d, void *vctx)
{
    struct mk_partner *m = vctx;
    struct partner p;
    int rc = partners_insert(d, &m->c, NOW, &p);
    if (rc == DB_OK)
        rc = partners_key_create(d, &K, p.id, NOW, m->out->key, m->out->secret);
    m->out->id = p.id;
    snprintf(m->out->pid, sizeof m->out->pid, "%s", p.public_id);
    return rc;
}

static void partner(struct partner_fx *out, const char *kind, const char *name)
{
    struct partner_new in = {kind, name, "PT Contoh Pelatihan Indonesia", "01.234.567.8-901.000",
                             "mitra@example.id", "0215551234"};
    struct field_error errs[PARTNERS_FIELDS];
    struct mk_partner m = {.out = out};
    cr_assert_eq(partners_validate(&in, &m.c, errs, PARTNERS_FIELDS), 0);
    cr_assert_eq(db_txn(D, mk_partner_txn, &m), DB_OK, "%s", db_errmsg(D));
}

struct course_fx {
    int64_t id;
    char pid[27];
    char session[2][27];
};

static void course(struct course_fx *c, const struct partner_fx *provider, const char *mode,
                   int64_t price, int nsessions, const int64_t *starts, int capacity)
{
    static int seq;
    char sql[64];
    memset(c, 0, sizeof *c);
    snprintf(c->pid, sizeof c->pid, "course%020d", ++seq);
    db_val p[] = {DB_TEXT(c->pid), DB_INT(provider->id), DB_TEXT(mode), DB_INT(price),
                  DB_INT(NOW)};
    cr_assert_eq(db_one_int(D, "INSERT INTO courses (public_id, provider_id, title, description, "
                               "category, level, purpose, mode, hours, price, status, created_at, "
                               "updated_at) VALUES ($1, $2, 'Pemasaran Digital untuk UMKM', "
                               "'Belajar pemasaran digital', 'sales_marketing', 'basic', "
                               "'upskilling', $3, 20, $4, 'approved', $5, $5) RETURNING id",
                            p, 5, &c->id), DB_OK, "%s", db_errmsg(D));
    for (int i = 0; i < nsessions; i++) {
        int64_t sid = 0;
        snprintf(c->session[i], sizeof c->session[i], "session%019d", seq * 10 + i);
        db_val s[] = {DB_TEXT(c->session[i]), DB_INT(c->id),
                      starts[i] ? DB_INT(starts[i]) : DB_NULL, DB_INT(capacity), DB_INT(NOW)};
        cr_assert_eq(db_one_int(D, "INSERT INTO course_sessions (public_id, course_id, starts_at, "
                                   "capacity, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
                                s, 5, &sid), DB_OK, "%s", db_errmsg(D));
    }
    (void)sql;
}

static void self_paced(struct course_fx *c, const struct partner_fx *provider, int64_t price,
                       int capacity)
{
    int64_t none = 0;
    course(c, provider, "self_paced", price, 1, &none, capacity);
}

struct card_fx {
    int64_t id, account_id;
    char number[CARD_LEN + 1];
    char phone[24];
    char token[65];                  /* a participant's bearer token; "" when not logged in */
};

/* A participant (n) who registers and logs in through the API when login, and
 * becomes a beneficiary of scheme with a funded card and the deadline (from now). */
static void card(struct card_fx *c, int n, int login, const char *scheme, int64_t balance,
                 int64_t deadline)
{
    char body[1024], email[64], body15[24], pid[32], ref[48];
    int64_t wave = 0, app = 0;
    struct ledger_entry e;

    memset(c, 0, sizeof *c);
    snprintf(email, sizeof email, "peserta%d@example.id", n);
    snprintf(c->phone, sizeof c->phone, "08123456%04d", n);
    if (login) {
        struct harness_json r;
        snprintf(body, sizeof body,
                 "{\"email\":\"%s\",\"password\":\"rahasia123\",\"full_name\":\"Peserta %d\","
                 "\"nik\":\"350915470895%04d\",\"kk\":\"350915010108%04d\","
                 "\"birth_date\":\"1995-08-07\",\"sex\":\"F\",\"phone\":\"%s\","
                 "\"village_code\":\"35.09.15.2001\",\"education\":\"sma\","
                 "\"occupation\":\"unemployed\"}", email, n, n, n, c->phone);
        r = harness_call(&H, "POST", "/api/v1/accounts", NULL, NULL, NULL, body);
        cr_assert_eq(r.status, 201, "register: %s", r.raw);
        harness_json_free(&r);
        snprintf(body, sizeof body, "{\"email\":\"%s\",\"password\":\"rahasia123\"}", email);
        r = harness_call(&H, "POST", "/api/v1/sessions", NULL, NULL, NULL, body);
        cr_assert_eq(r.status, 201, "login: %s", r.raw);
        snprintf(c->token, sizeof c->token, "%s", harness_str(r.json, "token"));
        harness_json_free(&r);
        db_val k = DB_TEXT(email);
        cr_assert_eq(db_one_int(D, "SELECT id FROM accounts WHERE email = $1", &k, 1,
                                &c->account_id), DB_OK);
        cr_assert_eq(db_one_text(D, "SELECT phone FROM accounts WHERE email = $1", &k, 1,
                                 c->phone, sizeof c->phone), DB_OK);
    } else {
        snprintf(pid, sizeof pid, "account%019d", n);
        snprintf(c->phone, sizeof c->phone, "+628123456%04d", n);
        db_val p[] = {DB_TEXT(pid), DB_TEXT(email), DB_TEXT(c->phone), DB_INT(NOW)};
        cr_assert_eq(db_one_int(D, "INSERT INTO accounts (public_id, email, phone, full_name, "
                                   "created_at) VALUES ($1, $2, $3, 'Peserta', $4) RETURNING id",
                                p, 4, &c->account_id), DB_OK, "%s", db_errmsg(D));
    }
    snprintf(body15, sizeof body15, "936000001%06d", n % 1000000);
    cr_assert_eq(card_make(body15, c->number), 0);
    {
        db_val p[] = {DB_INT(100 + n), DB_TEXT(scheme), DB_INT(NOW)};
        cr_assert_eq(db_one_int(D, "INSERT INTO waves (number, scheme_id, opens_at, closes_at, "
                                   "total_quota, quota_mode, spill_rule, seed_commitment, status, "
                                   "created_at) SELECT $1, id, $3, $3, 1, 'proportional', 'regency', "
                                   "'x', 'drawn', $3 FROM schemes WHERE code = $2 RETURNING id",
                                p, 3, &wave), DB_OK, "%s", db_errmsg(D));
    }
    {
        snprintf(pid, sizeof pid, "application%015d", n);
        db_val p[] = {DB_TEXT(pid), DB_INT(wave), DB_INT(c->account_id), DB_INT(NOW)};
        cr_assert_eq(db_one_int(D, "INSERT INTO applications (public_id, wave_id, account_id, "
                                   "regency_code, status, is_open, created_at) VALUES ($1, $2, $3, "
                                   "'35.09', 'selected', 0, $4) RETURNING id", p, 4, &app),
                     DB_OK, "%s", db_errmsg(D));
    }
    {
        db_val p[] = {DB_TEXT(c->number), DB_INT(c->account_id), DB_INT(app), DB_INT(wave),
                      DB_TEXT(scheme), DB_INT(NOW + deadline), DB_INT(NOW)};
        cr_assert_eq(db_one_int(D, "INSERT INTO beneficiaries (card_number, account_id, "
                                   "application_id, wave_id, scheme_id, regency_code, balance, "
                                   "purchase_deadline, status, created_at) SELECT $1, $2, $3, $4, "
                                   "id, '35.09', 0, $6, 'active', $7 FROM schemes WHERE code = $5 "
                                   "RETURNING id", p, 7, &c->id), DB_OK, "%s", db_errmsg(D));
    }
    cr_assert_eq(ledger_transfer(&e, "fund", LEDGER_FUNDING, LEDGER_BUDGET, balance), LEDGER_OK);
    cr_assert_eq(ledger_post(D, &e, "test", NOW, NULL), DB_OK, "%s", db_errmsg(D));
    snprintf(ref, sizeof ref, "beneficiary:%s", c->number);
    cr_assert_eq(ledger_card_credit(D, c->number, LEDGER_BUDGET, balance, "credit", ref, NOW,
                                    NULL), DB_OK, "%s", db_errmsg(D));
}

static int64_t q1(const char *sql, int64_t a)
{
    db_val p = DB_INT(a);
    int64_t v = -1;
    int rc = db_one_int(D, sql, &p, 1, &v);
    cr_assert(rc == DB_OK || rc == DB_ENOTFOUND, "%s: %s", sql, db_errmsg(D));
    return v;
}

/* ---- requests ---- */

static struct harness_json to_json(struct harness_reply *r)
{
    struct harness_json out;
    memset(&out, 0, sizeof out);
    out.status = r->status;
    out.len = r->body_len;
    out.raw = malloc(r->body_len + 1);
    cr_assert_not_null(out.raw);
    memcpy(out.raw, r->body, r->body_len);
    out.raw[r->body_len] = '\0';
    out.json = json_loadb(r->body, r->body_len, 0, NULL);
    if (!harness_header(r, "Location", out.location, sizeof out.location))
        out.location[0] = '\0';
    harness_reply_free(r);
    return out;
}

/* A request signed as partner p; idem (may be NULL) is the Idempotency-Key. */
static struct harness_json pcall(const struct partner_fx *p, const char *method,
                                 const char *path, const char *body, const char *idem)
{
    struct partner_sig s;
    struct harness_reply r;
    char ih[128];
    size_t len = body ? strlen(body) : 0;

    cr_assert_eq(partner_sign(&s, p->key, p->secret, method, path, body, len, 0, NULL), 0);
    if (idem) {
        snprintf(ih, sizeof ih, "Idempotency-Key: %s", idem);
        s.headers[4] = ih;
    }
    cr_assert_eq(harness_request(&H, method, path, body ? "application/json" : NULL, body, len,
                                 s.headers, &r), 0);
    return to_json(&r);
}

static void expect(struct harness_json *r, long status, const char *code, const char *what)
{
    cr_assert_eq(r->status, status, "%s: %ld %s", what, r->status, r->raw);
    if (code)
        cr_assert_str_eq(harness_code(r), code, "%s: %s", what, r->raw);
    harness_json_free(r);
}

/* Asks for a code for card c as platform p and reads it from the SMS queued. */
static void otp(const struct partner_fx *p, const struct card_fx *c, char code[7])
{
    char path[128], sms[512] = "";
    struct harness_json r;
    snprintf(path, sizeof path, "/api/v1/partner/cards/%s/otp", c->number);
    r = pcall(p, "POST", path, "{\"platform_account\":\"user-1\"}", NULL);
    cr_assert_eq(r.status, 202, "otp: %s", r.raw);
    cr_assert_str_neq(harness_str(r.json, "expires_at"), "");
    harness_json_free(&r);
    db_val k = DB_TEXT(c->phone);
    cr_assert_eq(db_one_text(D, "SELECT body FROM outbox WHERE channel = 'sms' AND recipient = "
                                "$1 ORDER BY id DESC LIMIT 1", &k, 1, sms, sizeof sms), DB_OK);
    const char *s = sms;
    for (; *s; s++) {
        int run = 0;
        while (s[run] >= '0' && s[run] <= '9')
            run++;
        if (run == 6)
            break;
        if (run)
            s += run - 1;
    }
    cr_assert_neq(*s, '\0', "no code in the SMS: %s", sms);
    memcpy(code, s, 6);
    code[6] = '\0';
}

static char *buy_body(const struct card_fx *c, const struct course_fx *co, const char *session,
                      const char *code, const char *account)
{
    static char b[4][512];
    static int slot;
    char *out = b[slot++ % 4], sess[64] = "";
    if (session)
        snprintf(sess, sizeof sess, "\"session_id\":\"%s\",", session);
    snprintf(out, 512, "{\"card_number\":\"%s\",\"course_id\":\"%s\",%s\"otp\":\"%s\","
                       "\"platform_account\":\"%s\"}", c->number, co->pid, sess, code,
             account ? account : "user-1");
    return out;
}

static int64_t card_balance(const struct card_fx *c)
{
    char acct[LEDGER_CODE_MAX + 1];
    int64_t ledger = -1, b = q1("SELECT balance FROM beneficiaries WHERE id = $1", c->id);
    ledger_card_account(c->number, acct);
    cr_assert_eq(ledger_balance(D, acct, &ledger), DB_OK);
    cr_assert_eq(ledger, b);
    return b;
}

static void ledger_check_cli(void)
{
    char cmd[1200], out[512];
    snprintf(cmd, sizeof cmd, "'%s' ledger check --db '%s' 2>&1", getenv("PRAKERJA_BIN"), H.db);
    cr_assert_eq(test_run(cmd, out, sizeof out), 0, "ledger check: %s", out);
}

/* ---- the whole road ---- */

Test(purchases, buy_retry_exchange_redeem_complete_rate)
{
    struct partner_fx shop, other, prov;
    struct course_fx co;
    struct card_fx c;
    struct harness_json r, again;
    char code[7], path[160], pid[32], voucher[32], redeem[32], body[512];

    partner(&shop, "platform", "Toko Belajar");
    partner(&other, "platform", "Pasar Kursus");
    partner(&prov, "provider", "Lembaga Maju");
    self_paced(&co, &prov, 750000, 10);
    card(&c, 1, 1, "normal-2023", 3500000, 15 * DAY);

    /* a code by SMS; an unknown and a revoked card are refused */
    otp(&shop, &c, code);
    r = pcall(&shop, "POST", "/api/v1/partner/cards/9360000009999999/otp",
              "{\"platform_account\":\"user-1\"}", NULL);
    expect(&r, 404, "card.not_found", "an unknown card");
    snprintf(path, sizeof path, "/api/v1/partner/cards/%s/otp", c.number);
    r = pcall(&shop, "POST", path, "{}", NULL);
    cr_assert_eq(r.status, 400, "%s", r.raw);
    cr_assert(harness_has_error(&r, "platform_account", "field.required"));
    harness_json_free(&r);
    r = pcall(&prov, "POST", path, "{\"platform_account\":\"user-1\"}", NULL);
    expect(&r, 403, "partner.wrong_kind", "a provider asking for a code");

    /* the Idempotency-Key is required and well-formed */
    const char *b = buy_body(&c, &co, NULL, code, NULL);
    r = pcall(&shop, "POST", "/api/v1/partner/purchases", b, NULL);
    expect(&r, 400, "purchase.idempotency_key", "no key");
    r = pcall(&shop, "POST", "/api/v1/partner/purchases", b, "short");
    expect(&r, 400, "purchase.idempotency_key", "a short key");
    r = pcall(&shop, "POST", "/api/v1/partner/purchases", b, "bad key with spaces");
    expect(&r, 400, "purchase.idempotency_key", "a key with spaces");

    /* the purchase */
    r = pcall(&shop, "POST", "/api/v1/partner/purchases", b, "order-0001");
    cr_assert_eq(r.status, 201, "%s", r.raw);
    snprintf(pid, sizeof pid, "%s", harness_str(r.json, "purchase_id"));
    snprintf(voucher, sizeof voucher, "%s", harness_str(r.json, "voucher_code"));
    cr_assert_eq(voucher_check(VOUCHER_KIND_VOUCHER, voucher, NULL), VOUCHER_OK, "%s", voucher);
    cr_assert_str_eq(harness_str(r.json, "card_number"), c.number);
    cr_assert_str_eq(harness_str(r.json, "course_id"), co.pid);
    cr_assert_str_eq(harness_str(r.json, "session_id"), co.session[0]);
    cr_assert_str_eq(harness_str(r.json, "status"), "paid");
    cr_assert_eq(json_integer_value(json_object_get(r.json, "price")), 750000);
    cr_assert_eq(json_integer_value(json_object_get(r.json, "balance_after")), 2750000);
    snprintf(path, sizeof path, "/api/v1/partner/purchases/%s", pid);
    cr_assert_str_eq(r.location, path);
    cr_assert_eq(card_balance(&c), 2750000);

    /* a retry: the same reply, byte for byte, and no second debit */
    again = pcall(&shop, "POST", "/api/v1/partner/purchases", b, "order-0001");
    cr_assert_eq(again.status, 201);
    cr_assert_str_eq(again.raw, r.raw);
    harness_json_free(&again);
    snprintf(body, sizeof body, "{\"platform_account\":\"user-1\",\"otp\":\"%s\",\"course_id\":"
                                "\"%s\", \"card_number\":\"%s\"}", code, co.pid, c.number);
    again = pcall(&shop, "POST", "/api/v1/partner/purchases", body, "order-0001");
    cr_assert_eq(again.status, 201, "the same request with its keys in another order: %s",
                 again.raw);
    cr_assert_str_eq(again.raw, r.raw);
    harness_json_free(&again);
    cr_assert_eq(card_balance(&c), 2750000);
    cr_assert_eq(q1("SELECT COUNT(*) FROM purchases WHERE beneficiary_id = $1", c.id), 1);
    /* the key for another request */
    again = pcall(&shop, "POST", "/api/v1/partner/purchases",
                  buy_body(&c, &co, NULL, "000000", NULL), "order-0001");
    expect(&again, 422, "purchase.idempotency_conflict", "a key reused for another body");
    harness_json_free(&r);

    /* the sale read back, by its platform only */
    r = pcall(&shop, "GET", path, NULL, NULL);
    cr_assert_eq(r.status, 200, "%s", r.raw);
    cr_assert_str_eq(harness_str(r.json, "voucher_code"), voucher);
    harness_json_free(&r);
    r = pcall(&other, "GET", path, NULL, NULL);
    expect(&r, 404, "purchase.not_found", "another platform's sale");

    /* exchange at the provider: the same code twice; lower case and spaces are fine */
    for (int i = 0; i < 2; i++) {
        char lower[40];
        int w = 0;
        for (const char *v = voucher; *v; v++)
            lower[w++] = *v == '-' ? ' ' : (char)(*v >= 'A' && *v <= 'Z' ? *v - 'A' + 'a' : *v);
        lower[w] = '\0';
        snprintf(body, sizeof body, "{\"voucher_code\":\"%s\"}", i ? lower : voucher);
        r = pcall(&prov, "POST", "/api/v1/partner/vouchers/exchange", body, NULL);
        cr_assert_eq(r.status, 201, "%s", r.raw);
        cr_assert_str_eq(harness_str(r.json, "purchase_id"), pid);
        json_t *codes = json_object_get(r.json, "redeem_codes");
        cr_assert_eq(json_array_size(codes), 1);
        const char *rc0 = harness_str(json_array_get(codes, 0), "code");
        if (i == 0)
            snprintf(redeem, sizeof redeem, "%s", rc0);
        else
            cr_assert_str_eq(rc0, redeem, "a second exchange gives the same code");
        cr_assert_str_eq(harness_str(json_array_get(codes, 0), "status"), "issued");
        harness_json_free(&r);
    }

    /* completion is refused before a redemption */
    snprintf(body, sizeof body, "{\"purchase_id\":\"%s\",\"score\":88,\"certificate_no\":"
                                "\"LM/2026/0001\",\"completed_on\":\"2026-01-05\"}", pid);
    r = pcall(&prov, "POST", "/api/v1/partner/completions", body, NULL);
    expect(&r, 409, "completion.not_redeemed", "completion before redemption");
    snprintf(body, sizeof body, "{\"redeem_code\":\"%s\",\"training_type\":\"self_paced\"}",
             redeem);
    r = pcall(&prov, "POST", "/api/v1/partner/redemptions", body, NULL);
    cr_assert_eq(r.status, 200, "%s", r.raw);
    cr_assert_str_eq(harness_str(r.json, "purchase_id"), pid);
    cr_assert_str_eq(harness_str(r.json, "session_id"), co.session[0]);
    cr_assert_str_neq(harness_str(r.json, "used_at"), "");
    harness_json_free(&r);

    /* the participant cannot rate yet */
    snprintf(path, sizeof path, "/api/v1/me/trainings/%s/rating", pid);
    r = harness_call(&H, "POST", path, c.token, NULL, NULL,
                     "{\"stars\":5,\"review\":\"Materinya sangat bermanfaat.\"}");
    expect(&r, 409, "rating.not_completed", "a rating before completion");

    /* completion: fields checked, then reported once */
    r = pcall(&prov, "POST", "/api/v1/partner/completions",
              "{\"purchase_id\":\"x\",\"score\":101,\"certificate_no\":\"\","
              "\"completed_on\":\"2999-01-01\"}", NULL);
    cr_assert_eq(r.status, 400, "%s", r.raw);
    cr_assert(harness_has_error(&r, "score", "completion.score_invalid"));
    cr_assert(harness_has_error(&r, "certificate_no", "field.required"));
    cr_assert(harness_has_error(&r, "completed_on", "completion.date_invalid"));
    harness_json_free(&r);
    snprintf(body, sizeof body, "{\"purchase_id\":\"%s\",\"score\":88,\"certificate_no\":"
                                "\"LM/2026/0001\",\"completed_on\":\"2026-01-05\"}", pid);
    r = pcall(&prov, "POST", "/api/v1/partner/completions", body, NULL);
    cr_assert_eq(r.status, 201, "%s", r.raw);
    cr_assert_str_eq(harness_str(r.json, "status"), "completed");
    harness_json_free(&r);
    r = pcall(&prov, "POST", "/api/v1/partner/completions", body, NULL);
    expect(&r, 409, "completion.already", "a second completion");

    /* the rating: checked, then kept once; it is the incentive's training */
    r = harness_call(&H, "POST", path, c.token, NULL, NULL, "{\"stars\":6,\"review\":\"pendek\"}");
    cr_assert_eq(r.status, 400, "%s", r.raw);
    cr_assert(harness_has_error(&r, "stars", "rating.stars_invalid"));
    cr_assert(harness_has_error(&r, "review", "rating.review_invalid"));
    harness_json_free(&r);
    r = harness_call(&H, "POST", path, c.token, NULL, NULL,
                     "{\"stars\":5,\"review\":\"Materinya sangat bermanfaat.\"}");
    cr_assert_eq(r.status, 201, "%s", r.raw);
    cr_assert(json_is_true(json_object_get(r.json, "incentive_eligible")));
    harness_json_free(&r);
    r = harness_call(&H, "POST", path, c.token, NULL, NULL,
                     "{\"stars\":4,\"review\":\"Sekali lagi menilai.\"}");
    expect(&r, 409, "rating.already", "a second rating");

    /* the participant's trainings */
    r = harness_call(&H, "GET", "/api/v1/me/trainings", c.token, NULL, NULL, NULL);
    cr_assert_eq(r.status, 200, "%s", r.raw);
    json_t *items = json_object_get(r.json, "items");
    cr_assert_eq(json_array_size(items), 1);
    json_t *t = json_array_get(items, 0);
    cr_assert_str_eq(harness_str(t, "purchase_id"), pid);
    cr_assert_str_eq(harness_str(t, "status"), "completed");
    cr_assert_str_eq(harness_str(t, "voucher_code"), voucher);
    cr_assert_str_eq(harness_str(json_object_get(t, "course"), "title"),
                     "Pemasaran Digital untuk UMKM");
    cr_assert_str_eq(harness_str(json_object_get(json_object_get(t, "course"), "provider"),
                                 "name"), "Lembaga Maju");
    cr_assert_str_eq(harness_str(json_object_get(t, "certificate"), "certificate_no"),
                     "LM/2026/0001");
    cr_assert_eq(json_integer_value(json_object_get(json_object_get(t, "rating"), "stars")), 5);
    cr_assert(json_is_true(json_object_get(t, "incentive_eligible")));
    cr_assert_str_eq(harness_str(json_array_get(json_object_get(t, "redeem_codes"), 0),
                                 "status"), "used");
    cr_assert_not_null(strstr(r.raw, "\"rating\":{\"average\":5.0,\"count\":1}"),
                       "the course's stars, one decimal: %s", r.raw);
    cr_assert_eq(json_integer_value(json_object_get(t, "price")), 750000);
    harness_json_free(&r);
    cr_assert_eq(q1("SELECT incentive_purchase_id FROM beneficiaries WHERE id = $1", c.id),
                 q1("SELECT MAX(id) FROM purchases WHERE beneficiary_id = $1", c.id));
    r = harness_call(&H, "GET", "/api/v1/me/card", c.token, NULL, NULL, NULL);
    cr_assert_eq(r.status, 200, "%s", r.raw);
    cr_assert_eq(json_integer_value(json_object_get(r.json, "balance")), 2750000);
    harness_json_free(&r);
    /* a platform's key is no participant */
    r = harness_call(&H, "GET", "/api/v1/me/trainings", NULL, NULL, NULL, NULL);
    expect(&r, 401, "auth.required", "no token");
    ledger_check_cli();
}

/* ---- refusals of buying ---- */

Test(purchases, every_refusal_of_buying_has_its_code)
{
    struct partner_fx shop, prov;
    struct course_fx ok, full, two, cheap;
    struct card_fx c, poor, late, gone, other;
    struct harness_json r;
    char code[7], path[128], bb[512];
    int64_t starts[2] = {NOW + 5 * DAY, NOW + 6 * DAY};

    partner(&shop, "platform", "Toko Belajar");
    partner(&prov, "provider", "Lembaga Maju");
    self_paced(&ok, &prov, 500000, 10);
    self_paced(&full, &prov, 500000, 1);
    self_paced(&cheap, &prov, 100000, 10);
    course(&two, &prov, "webinar", 500000, 2, starts, 10);
    card(&c, 1, 0, "normal-2023", 3500000, 15 * DAY);
    card(&poor, 2, 0, "normal-2023", 100000, 15 * DAY);
    card(&late, 3, 0, "normal-2023", 3500000, -DAY);
    card(&gone, 4, 0, "normal-2023", 3500000, 15 * DAY);
    card(&other, 5, 0, "semi-bansos-2020", 1000000, 30 * DAY);
    otp(&shop, &gone, code);
    cr_assert_eq(q1("UPDATE beneficiaries SET status = 'revoked' WHERE id = $1 RETURNING 1",
                    gone.id), 1);
    snprintf(path, sizeof path, "/api/v1/partner/cards/%s/otp", gone.number);
    r = pcall(&shop, "POST", path, "{\"platform_account\":\"user-1\"}", NULL);
    expect(&r, 409, "card.not_active", "a code for a revoked card");

    r = pcall(&shop, "POST", "/api/v1/partner/purchases",
              "{\"card_number\":\"9360000009999999\",\"course_id\":\"x\",\"otp\":\"123456\","
              "\"platform_account\":\"u\"}", "refuse-01");
    expect(&r, 404, "card.not_found", "an unknown card");
    r = pcall(&shop, "POST", "/api/v1/partner/purchases",
              buy_body(&gone, &ok, NULL, code, NULL), "refuse-02");
    expect(&r, 409, "purchase.card_not_active", "a revoked card");
    otp(&shop, &late, code);
    r = pcall(&shop, "POST", "/api/v1/partner/purchases",
              buy_body(&late, &ok, NULL, code, NULL), "refuse-03");
    expect(&r, 409, "purchase.deadline_passed", "after the deadline");
    otp(&shop, &poor, code);
    r = pcall(&shop, "POST", "/api/v1/partner/purchases",
              buy_body(&poor, &ok, NULL, code, NULL), "refuse-04");
    expect(&r, 409, "purchase.insufficient_balance", "a short balance");
    otp(&shop, &c, code);
    r = pcall(&shop, "POST", "/api/v1/partner/purchases",
              "{\"card_number\":\"x\",\"course_id\":\"\",\"otp\":\"12a\"}", "refuse-05");
    cr_assert_eq(r.status, 400, "%s", r.raw);
    cr_assert(harness_has_error(&r, "course_id", "field.required"));
    cr_assert(harness_has_error(&r, "otp", "purchase.otp_format"));
    cr_assert(harness_has_error(&r, "platform_account", "field.required"));
    harness_json_free(&r);
    cr_assert_eq(q1("UPDATE courses SET status = 'withdrawn' WHERE id = $1 RETURNING 1",
                    cheap.id), 1);
    r = pcall(&shop, "POST", "/api/v1/partner/purchases",
              buy_body(&c, &cheap, NULL, code, NULL), "refuse-06");
    expect(&r, 409, "purchase.not_on_sale", "a withdrawn course");
    r = pcall(&shop, "POST", "/api/v1/partner/purchases",
              buy_body(&c, &two, NULL, code, NULL), "refuse-07");
    expect(&r, 400, "purchase.session_required", "no session for a course with two");
    r = pcall(&shop, "POST", "/api/v1/partner/purchases",
              buy_body(&c, &two, ok.session[0], code, NULL), "refuse-08");
    expect(&r, 404, "purchase.session_not_found", "another course's session");
    cr_assert_eq(q1("UPDATE course_sessions SET seats_taken = 1 WHERE course_id = $1 RETURNING 1",
                    full.id), 1);
    r = pcall(&shop, "POST", "/api/v1/partner/purchases",
              buy_body(&c, &full, NULL, code, NULL), "refuse-09");
    expect(&r, 409, "purchase.sold_out", "a full session");
    /* a wrong code, then the right one */
    r = pcall(&shop, "POST", "/api/v1/partner/purchases",
              buy_body(&c, &ok, NULL, "000000", NULL), "refuse-10");
    expect(&r, 400, "purchase.otp_invalid", "a wrong code");
    cr_assert_eq(q1("SELECT MAX(attempts) FROM purchase_otps WHERE beneficiary_id = $1", c.id), 1,
                 "the wrong attempt is kept");
    r = pcall(&shop, "POST", "/api/v1/partner/purchases",
              buy_body(&c, &ok, NULL, code, NULL), "refuse-11");
    cr_assert_eq(r.status, 201, "%s", r.raw);
    harness_json_free(&r);
    /* the code is spent */
    r = pcall(&shop, "POST", "/api/v1/partner/purchases",
              buy_body(&c, &two, two.session[0], code, NULL), "refuse-12");
    expect(&r, 409, "purchase.unfinished_training", "normal-2023: finish the first one first");
    /* binding: the account user-1 holds card c on this platform */
    otp(&shop, &other, code);
    r = pcall(&shop, "POST", "/api/v1/partner/purchases",
              buy_body(&other, &ok, NULL, code, "user-1"), "refuse-13");
    expect(&r, 409, "purchase.binding_conflict", "an account bound to another card");
    r = pcall(&shop, "POST", "/api/v1/partner/purchases",
              buy_body(&other, &ok, NULL, code, "user-2"), "refuse-14");
    cr_assert_eq(r.status, 201, "%s", r.raw);
    harness_json_free(&r);
    otp(&shop, &other, code);
    r = pcall(&shop, "POST", "/api/v1/partner/purchases",
              buy_body(&other, &ok, NULL, code, "user-3"), "refuse-15");
    expect(&r, 409, "purchase.binding_conflict", "a card bound to another account");
    /* an expired code */
    cr_assert_eq(q1("UPDATE purchase_otps SET expires_at = $1 WHERE used_at IS NULL RETURNING 1",
                    NOW - 1), 1);
    r = pcall(&shop, "POST", "/api/v1/partner/purchases",
              buy_body(&other, &ok, NULL, code, "user-2"), "refuse-16");
    expect(&r, 409, "purchase.otp_expired", "an expired code");
    /* an unknown course, answered in Indonesian */
    {
        struct partner_sig s;
        struct harness_reply rr;
        const char *hs[7];
        snprintf(bb, sizeof bb, "{\"card_number\":\"%s\",\"course_id\":\"nosuch\",\"otp\":"
                                "\"123456\",\"platform_account\":\"user-1\"}", c.number);
        cr_assert_eq(partner_sign(&s, shop.key, shop.secret, "POST", "/api/v1/partner/purchases",
                                  bb, strlen(bb), 0, NULL), 0);
        memcpy(hs, s.headers, sizeof hs);
        hs[4] = "Idempotency-Key: refuse-17";
        hs[5] = "Accept-Language: id";
        cr_assert_eq(harness_request(&H, "POST", "/api/v1/partner/purchases", "application/json",
                                     bb, strlen(bb), hs, &rr), 0);
        r = to_json(&rr);
        cr_assert_eq(r.status, 404, "%s", r.raw);
        cr_assert_str_eq(harness_code(&r), "purchase.course_not_found");
        cr_assert_str_eq(harness_str(r.json, "title"),
                         err_text("purchase.course_not_found", "id"));
        harness_json_free(&r);
    }
    cr_assert_eq(q1("SELECT COUNT(*) FROM purchases WHERE id > $1", 0), 2);
    ledger_check_cli();
}

/* ---- redemption refusals ---- */

/* Buys course co for card c as shop and exchanges the voucher at prov: the
 * purchase id into pid and the redeem code into redeem. */
static void bought_and_exchanged(const struct partner_fx *shop, const struct partner_fx *prov,
                                 const struct card_fx *c, const struct course_fx *co,
                                 const char *key, char pid[32], char redeem[32])
{
    struct harness_json r;
    char code[7], body[128];
    otp(shop, c, code);
    r = pcall(shop, "POST", "/api/v1/partner/purchases", buy_body(c, co, NULL, code, NULL), key);
    cr_assert_eq(r.status, 201, "%s", r.raw);
    snprintf(pid, 32, "%s", harness_str(r.json, "purchase_id"));
    snprintf(body, sizeof body, "{\"voucher_code\":\"%s\"}", harness_str(r.json, "voucher_code"));
    harness_json_free(&r);
    r = pcall(prov, "POST", "/api/v1/partner/vouchers/exchange", body, NULL);
    cr_assert_eq(r.status, 201, "%s", r.raw);
    snprintf(redeem, 32, "%s",
             harness_str(json_array_get(json_object_get(r.json, "redeem_codes"), 0), "code"));
    harness_json_free(&r);
}

static struct harness_json redeem_as(const struct partner_fx *prov, const char *code,
                                     const char *type)
{
    char body[160];
    snprintf(body, sizeof body, "{\"redeem_code\":\"%s\",\"training_type\":\"%s\"}", code, type);
    return pcall(prov, "POST", "/api/v1/partner/redemptions", body, NULL);
}

Test(purchases, every_redemption_refusal_has_its_code)
{
    struct partner_fx shop, prov, prov2;
    struct course_fx self, now_web, later_off, cancelled;
    struct card_fx c;
    struct harness_json r;
    char pid[32], sc[32], wc[32], oc[32], cc[32], cancelled_pid[32], path[128], voucher[32];
    int64_t soon = NOW + 30 * 60, later = NOW + 3 * HOUR;

    partner(&shop, "platform", "Toko Belajar");
    partner(&prov, "provider", "Lembaga Maju");
    partner(&prov2, "provider", "Lembaga Lain");
    self_paced(&self, &prov, 100000, 10);
    self_paced(&cancelled, &prov, 100000, 10);
    course(&now_web, &prov, "webinar", 100000, 1, &soon, 10);
    course(&later_off, &prov, "offline", 100000, 1, &later, 10);
    card(&c, 1, 0, "semi-bansos-2020", 1000000, 30 * DAY);
    bought_and_exchanged(&shop, &prov, &c, &self, "redeem-0001", pid, sc);
    bought_and_exchanged(&shop, &prov, &c, &now_web, "redeem-0002", pid, wc);
    bought_and_exchanged(&shop, &prov, &c, &later_off, "redeem-0003", pid, oc);
    bought_and_exchanged(&shop, &prov, &c, &cancelled, "redeem-0004", cancelled_pid, cc);
    snprintf(path, sizeof path, "/api/v1/partner/purchases/%s/cancel", cancelled_pid);
    r = pcall(&shop, "POST", path, NULL, NULL);
    cr_assert_eq(r.status, 200, "%s", r.raw);
    snprintf(voucher, sizeof voucher, "%s", harness_str(r.json, "voucher_code"));
    harness_json_free(&r);

    /* malformed and mistyped codes are 400s naming the field */
    r = redeem_as(&prov, "ABC", "self_paced");
    cr_assert_eq(r.status, 400, "%s", r.raw);
    cr_assert(harness_has_error(&r, "redeem_code", "voucher.format"));
    harness_json_free(&r);
    {
        char typo[32];
        snprintf(typo, sizeof typo, "%s", sc);
        typo[0] = typo[0] == '2' ? '3' : '2';
        r = redeem_as(&prov, typo, "self_paced");
        cr_assert_eq(r.status, 400, "%s", r.raw);
        cr_assert(harness_has_error(&r, "redeem_code", "voucher.mistyped"));
        harness_json_free(&r);
    }
    r = redeem_as(&prov, sc, "classroom");
    cr_assert_eq(r.status, 400, "%s", r.raw);
    cr_assert(harness_has_error(&r, "training_type", "course.mode_invalid"));
    harness_json_free(&r);

    /* not found: a well-formed redeem code nobody was given */
    {
        char made[VOUCHER_LEN + 1];
        unsigned char rnd[VOUCHER_RANDOM_BYTES];
        do {
            randombytes_buf(rnd, sizeof rnd);
        } while (voucher_make(VOUCHER_KIND_REDEEM, rnd, made) != VOUCHER_OK);
        r = redeem_as(&prov, made, "self_paced");
        expect(&r, 404, "redeem.not_found", "an unknown code");
        r = pcall(&prov, "POST", "/api/v1/partner/vouchers/exchange",
                  "{\"voucher_code\":\"2222-2222-2222-2222\"}", NULL);
        cr_assert_eq(r.status, 400, "%s", r.raw);
        cr_assert(harness_has_error(&r, "voucher_code", "voucher.mistyped"));
        harness_json_free(&r);
    }
    r = redeem_as(&prov, sc, "webinar");
    expect(&r, 409, "redeem.wrong_type", "the wrong training type");
    r = redeem_as(&prov2, sc, "self_paced");
    expect(&r, 403, "redeem.other_provider", "another provider's code");
    r = redeem_as(&prov, cc, "self_paced");
    expect(&r, 409, "redeem.cancelled_transaction", "a cancelled purchase's code");
    {
        char body[64];
        snprintf(body, sizeof body, "{\"voucher_code\":\"%s\"}", voucher);
        r = pcall(&prov, "POST", "/api/v1/partner/vouchers/exchange", body, NULL);
        expect(&r, 409, "redeem.cancelled_transaction", "exchanging a cancelled voucher");
        r = pcall(&prov2, "POST", "/api/v1/partner/vouchers/exchange", body, NULL);
        expect(&r, 403, "redeem.other_provider", "exchanging another provider's voucher");
    }
    r = redeem_as(&prov, oc, "offline");
    expect(&r, 409, "redeem.outside_window", "three hours before an offline session");
    {
        db_val k = DB_TEXT(oc);
        int64_t one = 0;
        cr_assert_eq(db_one_int(D, "UPDATE redeem_codes SET status = 'cancelled' WHERE code = $1 "
                                   "RETURNING 1", &k, 1, &one), DB_OK);
        r = redeem_as(&prov, oc, "offline");
        expect(&r, 409, "redeem.cancelled_code", "a cancelled code");
    }
    /* the webinar starts in half an hour: inside its window */
    r = redeem_as(&prov, wc, "webinar");
    cr_assert_eq(r.status, 200, "%s", r.raw);
    harness_json_free(&r);
    r = redeem_as(&prov, wc, "webinar");
    expect(&r, 409, "redeem.already_used", "a used code");
    r = redeem_as(&prov, sc, "self_paced");
    cr_assert_eq(r.status, 200, "%s", r.raw);
    harness_json_free(&r);
    ledger_check_cli();
}

/* ---- cancel ---- */

Test(purchases, cancel_refunds_and_is_refused_after_redemption)
{
    struct partner_fx shop, other, prov;
    struct course_fx co;
    struct card_fx c;
    struct harness_json r;
    char pid[32], rc1[32], pid2[32], rc2[32], path[128];

    partner(&shop, "platform", "Toko Belajar");
    partner(&other, "platform", "Pasar Kursus");
    partner(&prov, "provider", "Lembaga Maju");
    self_paced(&co, &prov, 400000, 10);
    card(&c, 1, 1, "semi-bansos-2020", 1000000, 30 * DAY);
    bought_and_exchanged(&shop, &prov, &c, &co, "cancel-0001", pid, rc1);
    cr_assert_eq(card_balance(&c), 600000);
    cr_assert_eq(q1("SELECT seats_taken FROM course_sessions WHERE course_id = $1", co.id), 1);

    snprintf(path, sizeof path, "/api/v1/partner/purchases/%s/cancel", pid);
    r = pcall(&other, "POST", path, NULL, NULL);
    expect(&r, 404, "purchase.not_found", "another platform's cancel");
    r = pcall(&shop, "POST", path, NULL, NULL);
    cr_assert_eq(r.status, 200, "%s", r.raw);
    cr_assert_str_eq(harness_str(r.json, "status"), "cancelled");
    cr_assert_eq(json_integer_value(json_object_get(r.json, "balance_after")), 600000);
    harness_json_free(&r);
    cr_assert_eq(card_balance(&c), 1000000, "refunded");
    cr_assert_eq(q1("SELECT seats_taken FROM course_sessions WHERE course_id = $1", co.id), 0);
    r = redeem_as(&prov, rc1, "self_paced");
    expect(&r, 409, "redeem.cancelled_transaction", "the cancelled purchase's code");
    r = pcall(&shop, "POST", path, NULL, NULL);
    cr_assert_eq(r.status, 200, "a second cancel answers the same: %s", r.raw);
    harness_json_free(&r);
    cr_assert_eq(card_balance(&c), 1000000, "refunded once");

    /* redeemed: no cancel */
    bought_and_exchanged(&shop, &prov, &c, &co, "cancel-0002", pid2, rc2);
    r = redeem_as(&prov, rc2, "self_paced");
    cr_assert_eq(r.status, 200, "%s", r.raw);
    harness_json_free(&r);
    snprintf(path, sizeof path, "/api/v1/partner/purchases/%s/cancel", pid2);
    r = pcall(&shop, "POST", path, NULL, NULL);
    expect(&r, 409, "purchase.not_cancellable", "a redeemed purchase");
    cr_assert_eq(card_balance(&c), 600000);

    /* the participant sees both, newest first */
    r = harness_call(&H, "GET", "/api/v1/me/trainings", c.token, NULL, NULL, NULL);
    cr_assert_eq(r.status, 200, "%s", r.raw);
    json_t *items = json_object_get(r.json, "items");
    cr_assert_eq(json_array_size(items), 2);
    cr_assert_str_eq(harness_str(json_array_get(items, 0), "status"), "paid");
    cr_assert_str_eq(harness_str(json_array_get(items, 1), "status"), "cancelled");
    cr_assert_str_eq(harness_str(json_array_get(json_object_get(json_array_get(items, 1),
                                                                "redeem_codes"), 0), "status"),
                     "cancelled");
    harness_json_free(&r);
    ledger_check_cli();
}

/* ---- 200 concurrent purchases on one card ---- */

#define RACERS 200

struct racer {
    const struct partner_fx *shop;
    char body[512];
    char key[32];
    pthread_barrier_t *go;
    long status;
    char code[64];
};

static void *race(void *arg)
{
    struct racer *t = arg;
    struct partner_sig s;
    struct harness_reply r;
    char ih[64];

    pthread_barrier_wait(t->go);
    if (partner_sign(&s, t->shop->key, t->shop->secret, "POST", "/api/v1/partner/purchases",
                     t->body, strlen(t->body), 0, NULL) != 0)
        return NULL;
    snprintf(ih, sizeof ih, "Idempotency-Key: %s", t->key);
    s.headers[4] = ih;
    if (harness_request(&H, "POST", "/api/v1/partner/purchases", "application/json", t->body,
                        strlen(t->body), s.headers, &r) != 0)
        return NULL;
    t->status = r.status;
    json_t *j = json_loadb(r.body, r.body_len, 0, NULL);
    const char *c = json_string_value(json_object_get(j, "code"));
    snprintf(t->code, sizeof t->code, "%s", c ? c : "");
    json_decref(j);
    harness_reply_free(&r);
    return NULL;
}

Test(purchases, two_hundred_concurrent_purchases_on_a_card_that_pays_for_three)
{
    static struct racer t[RACERS];
    pthread_t th[RACERS];
    pthread_barrier_t go;
    struct partner_fx shop, prov;
    struct course_fx co;
    struct card_fx c;
    int ok = 0, short_ = 0, other = 0;
    char first_other[160] = "";

    partner(&shop, "platform", "Toko Belajar");
    partner(&prov, "provider", "Lembaga Maju");
    /* 3 x 300,000 fit in 1,000,000, a fourth does not; seats are plenty */
    self_paced(&co, &prov, 300000, 1000);
    card(&c, 1, 0, "semi-bansos-2020", 1000000, 30 * DAY);
    /* each purchase carries its own code (single use) and its own key */
    for (int i = 0; i < RACERS; i++) {
        char code[7];
        otp(&shop, &c, code);
        t[i].shop = &shop;
        snprintf(t[i].body, sizeof t[i].body, "%s", buy_body(&c, &co, NULL, code, NULL));
        snprintf(t[i].key, sizeof t[i].key, "race-%04d", i);
    }
    pthread_barrier_init(&go, NULL, RACERS);
    for (int i = 0; i < RACERS; i++) {
        t[i].go = &go;
        cr_assert_eq(pthread_create(&th[i], NULL, race, &t[i]), 0);
    }
    for (int i = 0; i < RACERS; i++)
        pthread_join(th[i], NULL);
    pthread_barrier_destroy(&go);
    for (int i = 0; i < RACERS; i++) {
        if (t[i].status == 201)
            ok++;
        else if (t[i].status == 409 && strcmp(t[i].code, "purchase.insufficient_balance") == 0)
            short_++;
        else if (other++ == 0)
            snprintf(first_other, sizeof first_other, "%ld %s", t[i].status, t[i].code);
    }
    cr_assert_eq(ok, 3, "exactly 3 succeed (%d ok, %d short, %d other: %s)", ok, short_, other,
                 first_other);
    cr_assert_eq(short_, RACERS - 3, "the rest are insufficient_balance (%d other: %s)", other,
                 first_other);
    cr_assert_eq(card_balance(&c), 100000);
    cr_assert_eq(q1("SELECT COUNT(*) FROM purchases WHERE beneficiary_id = $1", c.id), 3);
    cr_assert_eq(q1("SELECT COUNT(*) FROM ledger_accounts WHERE balance < $1 AND code <> "
                    "'state:funding'", 0), 0, "no account below zero but the funding source");
    cr_assert_eq(q1("SELECT COUNT(*) FROM purchase_otps WHERE used_at IS NOT NULL AND "
                    "beneficiary_id = $1", c.id), 3);
    ledger_check_cli();
}
