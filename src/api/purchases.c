/*
 * purchases (API): the "Buying" part of the partner API and the participant's
 * trainings (docs/api.md, "Buying"):
 *   POST /api/v1/partner/cards/{card}/otp          platform: a purchase code by SMS
 *   POST /api/v1/partner/purchases                 platform: buy (Idempotency-Key)
 *   GET  /api/v1/partner/purchases/{id}            platform: its own sale
 *   POST /api/v1/partner/purchases/{id}/cancel     platform: cancel before redemption
 *   POST /api/v1/partner/vouchers/exchange         provider: voucher -> redeem codes
 *   POST /api/v1/partner/redemptions               provider: use a redeem code
 *   POST /api/v1/partner/completions               provider: report completion
 *   GET  /api/v1/me/trainings                      participant: trainings, codes, certificates
 *   POST /api/v1/me/trainings/{id}/rating          participant: stars and a review
 *
 * Handlers check who calls (api_partner_auth for partners, api_auth for people)
 * and every field, then make one store call (store/purchases.h), which runs the
 * whole unit of work in one transaction and answers a PURCHASES_* outcome for
 * each refusal; purchases_code() names its stable error code.
 *
 * A purchase is identified for idempotency by a BLAKE2b hash of its canonical
 * content (card, course, session, OTP, platform account, each length-prefixed),
 * so a retry with the same key and the same body (whatever its key order or
 * spacing) gets the first reply, and any other body under the key a 422. The
 * reply of a retry is rebuilt from the purchase row and the ledger, identical to
 * the first one (status 201, status "paid", the same balance_after).
 *
 * Voucher and redeem codes are normalised (case, spaces, hyphens) and their check
 * characters verified before any database work: a mistyped code is a 400 naming
 * the field, a well-formed unknown code the contract's 404 redeem.not_found.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "api/app.h"
#include "api/auth.h"
#include "api/partner_auth.h"
#include "api/reply.h"
#include "core/nik.h"
#include "core/text.h"
#include "core/voucher.h"
#include "store/purchases.h"
#include "util/utc.h"

#define MAX_ERRS 8
#define KEY_MIN 8
#define KEY_MAX 64
#define OTP_DIGITS 6

/* ---- shared helpers ---- */

static json_t *iso(int64_t t)
{
    char text[21];
    if (t <= 0)
        return json_null();
    api_time_iso(t, text);
    return json_string(text);
}

/* Answers a store result that is not DB_OK: a PURCHASES_* outcome as its problem,
 * anything else as a store error. */
static void reply_outcome(struct http_req *req, int rc)
{
    const char *code = purchases_code(rc);
    if (code)
        api_problem(req, code, NULL);
    else
        api_store_error(req, rc);
}

/* The audit actor, as the catalog writes it: partner:<id>:<key id> for a signed
 * request, partner:<id>:account:<row> for a partner's staff. */
static const char *partner_actor(struct http_req *req, const struct partner_ctx *p)
{
    if (p->key_id[0])
        return arena_printf(req->arena, "partner:%s:%s", p->public_id, p->key_id);
    return arena_printf(req->arena, "partner:%s:account:%lld", p->public_id,
                        (long long)p->account_id);
}

/* 1 when s is 1..max bytes of [A-Za-z0-9._@+-]. */
static int account_ok(const char *s, size_t max)
{
    size_t n = strlen(s);
    if (n == 0 || n > max)
        return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!isalnum(c) && !strchr("._@+-", c))
            return 0;
    }
    return 1;
}

/* Reads a required string field; records field.required when absent or empty. */
static void need_str(struct http_req *req, json_t *body, const char *field, size_t max,
                     const char **out, struct field_error *errs, int *n)
{
    int rc = api_field_str(req, body, field, max, out, errs, n, MAX_ERRS);
    if (rc == 1 || (rc == 0 && (*out)[0] == '\0')) {
        *out = NULL;
        if (*n < MAX_ERRS)
            errs[(*n)++] = (struct field_error){field, "field.required"};
    }
}

/* Checks a voucher or redeem code field into canon; records a field error. */
static void code_field(const char *field, int kind, const char *in,
                       char canon[VOUCHER_LEN + 1], struct field_error *errs, int *n)
{
    int rc;
    if (!in)
        return;
    rc = voucher_check(kind, in, canon);
    if (rc == VOUCHER_EFORMAT && *n < MAX_ERRS)
        errs[(*n)++] = (struct field_error){field, "voucher.format"};
    else if (rc != VOUCHER_OK && *n < MAX_ERRS)
        errs[(*n)++] = (struct field_error){field, "voucher.mistyped"};
}

static json_t *purchase_json(const struct purchase *p)
{
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:s, s:o}", "purchase_id",
                     p->public_id, "voucher_code", p->voucher_code, "card_number",
                     p->card_number, "course_id", p->course_public_id, "session_id",
                     p->session_public_id, "price", (json_int_t)p->price, "balance_after",
                     (json_int_t)p->balance_after, "status", p->status, "created_at",
                     iso(p->created_at));
}

static json_t *codes_json(const struct redeem_code *c, int n)
{
    json_t *a = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(a, json_pack("{s:s, s:o, s:s, s:s, s:o}", "session_id",
                                           c[i].session_public_id, "starts_at",
                                           iso(c[i].starts_at), "code", c[i].code, "status",
                                           c[i].status, "used_at", iso(c[i].used_at)));
    return a;
}

/* ---- POST /api/v1/partner/cards/{card}/otp ---- */

void api_partner_card_otp(struct http_req *req)
{
    struct partner_ctx p;
    struct field_error errs[MAX_ERRS];
    const char *account = NULL, *card = req->params[0];
    char code[OTP_DIGITS + 1], hash[PURCHASES_OTP_HASH_LEN + 1];
    const char *sms;
    int64_t now = (int64_t)time(NULL), expires = 0;
    int n = 0, rc;
    json_t *body;

    if (api_partner_auth(req, "platform", &p) != 0)
        return;
    if (!(body = api_body_object(req)))
        return;
    need_str(req, body, "platform_account", PURCHASES_ACCOUNT_MAX * 4, &account, errs, &n);
    json_decref(body);
    if (account && !account_ok(account, PURCHASES_ACCOUNT_MAX) && n < MAX_ERRS)
        errs[n++] = (struct field_error){"platform_account", "purchase.platform_account_invalid"};
    if (n > 0) {
        api_problem_fields(req, errs, n);
        return;
    }
    if (strlen(card) != CARD_LEN) {
        api_problem(req, "card.not_found", "No card has this number.");
        return;
    }
    snprintf(code, sizeof code, "%06u", (unsigned)randombytes_uniform(1000000));
    purchases_otp_hash(&req->app->keys, code, hash);
    sms = arena_printf(req->arena,
                       "Prakerja: Kode pembelian pelatihan Anda di %s: %s. Berlaku %d menit. "
                       "Jangan berikan kepada siapa pun selain untuk pembelian ini.",
                       p.name, code, PURCHASES_OTP_TTL / 60);
    sodium_memzero(code, sizeof code);
    rc = purchases_otp_issue(req->db, p.partner_id, card, account, hash, sms,
                             partner_actor(req, &p), now, &expires);
    if (rc == PURCHASES_CARD_NOT_FOUND) {
        api_problem(req, "card.not_found", "No card has this number.");
        return;
    }
    if (rc != DB_OK) {
        reply_outcome(req, rc);
        return;
    }
    api_json(req, 202, json_pack("{s:o}", "expires_at", iso(expires)));
}

/* ---- POST /api/v1/partner/purchases ---- */

static int key_ok(const char *k)
{
    size_t n = k ? strlen(k) : 0;
    if (n < KEY_MIN || n > KEY_MAX)
        return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)k[i];
        if (!isalnum(c) && c != '_' && c != '-')
            return 0;
    }
    return 1;
}

/* The request's identity: BLAKE2b-256 over its fields, each length-prefixed. */
static void request_hash(const char *const *f, int nf, char out[65])
{
    crypto_generichash_state st;
    unsigned char h[32];

    crypto_generichash_init(&st, (const unsigned char *)"prakerja-purchase-v1", 20, sizeof h);
    for (int i = 0; i < nf; i++) {
        const char *s = f[i] ? f[i] : "";
        uint64_t len = f[i] ? (uint64_t)strlen(s) : UINT64_MAX;
        unsigned char lb[8];
        for (int b = 0; b < 8; b++)
            lb[b] = (unsigned char)(len >> (8 * b));
        crypto_generichash_update(&st, lb, sizeof lb);
        crypto_generichash_update(&st, (const unsigned char *)s, strlen(s));
    }
    crypto_generichash_final(&st, h, sizeof h);
    sodium_bin2hex(out, 65, h, sizeof h);
}

static int otp_format_ok(const char *s)
{
    if (strlen(s) != OTP_DIGITS)
        return 0;
    for (int i = 0; i < OTP_DIGITS; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

void api_partner_purchases_create(struct http_req *req)
{
    struct partner_ctx p;
    struct field_error errs[MAX_ERRS];
    struct purchase out;
    struct purchase_req in;
    const char *card = NULL, *course = NULL, *session = NULL, *otp = NULL, *account = NULL;
    const char *key = http_header(req, "Idempotency-Key");
    char hash[PURCHASES_OTP_HASH_LEN + 1], rhash[65];
    int n = 0, rc, replayed = 0;
    json_t *body;

    if (api_partner_auth(req, "platform", &p) != 0)
        return;
    if (!key_ok(key)) {
        api_problem(req, "purchase.idempotency_key", NULL);
        return;
    }
    if (!(body = api_body_object(req)))
        return;
    need_str(req, body, "card_number", 64, &card, errs, &n);
    need_str(req, body, "course_id", 64, &course, errs, &n);
    if (api_field_str(req, body, "session_id", 64, &session, errs, &n, MAX_ERRS) == 0 &&
        session[0] == '\0')
        session = NULL;
    need_str(req, body, "otp", 32, &otp, errs, &n);
    need_str(req, body, "platform_account", PURCHASES_ACCOUNT_MAX * 4, &account, errs, &n);
    json_decref(body);
    if (otp && !otp_format_ok(otp) && n < MAX_ERRS)
        errs[n++] = (struct field_error){"otp", "purchase.otp_format"};
    if (account && !account_ok(account, PURCHASES_ACCOUNT_MAX) && n < MAX_ERRS)
        errs[n++] = (struct field_error){"platform_account", "purchase.platform_account_invalid"};
    if (n > 0) {
        api_problem_fields(req, errs, n);
        return;
    }
    {
        const char *fields[] = {card, course, session, otp, account};
        request_hash(fields, 5, rhash);
    }
    purchases_otp_hash(&req->app->keys, otp, hash);
    in = (struct purchase_req){
        .platform_id = p.partner_id, .platform_public_id = p.public_id, .card_number = card,
        .course_public_id = course, .session_public_id = session, .otp_hash = hash,
        .platform_account = account, .idempotency_key = key, .request_hash = rhash,
        .actor = partner_actor(req, &p), .now = (int64_t)time(NULL)};
    rc = purchases_buy(req->db, &in, &out, &replayed);
    if (rc == PURCHASES_CARD_NOT_FOUND) {
        api_problem(req, "card.not_found", "No card has this number.");
        return;
    }
    if (rc != DB_OK) {
        reply_outcome(req, rc);
        return;
    }
    req->location = arena_printf(req->arena, "/api/v1/partner/purchases/%s", out.public_id);
    api_json(req, 201, purchase_json(&out));
}

/* ---- GET /api/v1/partner/purchases/{id}, POST .../cancel ---- */

void api_partner_purchases_get(struct http_req *req)
{
    struct partner_ctx p;
    struct purchase out;
    int rc;

    if (api_partner_auth(req, "platform", &p) != 0)
        return;
    if (!accounts_public_id_valid(req->params[0])) {
        api_problem(req, "purchase.not_found", NULL);
        return;
    }
    rc = purchases_get(req->db, req->params[0], &out);
    if (rc == DB_ENOTFOUND || (rc == DB_OK && out.platform_id != p.partner_id)) {
        api_problem(req, "purchase.not_found", NULL);
        return;
    }
    if (rc != DB_OK) {
        api_store_error(req, rc);
        return;
    }
    api_json(req, 200, purchase_json(&out));
}

void api_partner_purchases_cancel(struct http_req *req)
{
    struct partner_ctx p;
    struct purchase out;
    int rc;

    if (api_partner_auth(req, "platform", &p) != 0)
        return;
    if (!accounts_public_id_valid(req->params[0])) {
        api_problem(req, "purchase.not_found", NULL);
        return;
    }
    rc = purchases_cancel(req->db, p.partner_id, req->params[0], partner_actor(req, &p),
                          (int64_t)time(NULL), &out);
    if (rc != DB_OK) {
        reply_outcome(req, rc);
        return;
    }
    api_json(req, 200, purchase_json(&out));
}

/* ---- providers: exchange, redemption, completion ---- */

void api_partner_vouchers_exchange(struct http_req *req)
{
    struct partner_ctx p;
    struct field_error errs[MAX_ERRS];
    struct purchase out;
    struct redeem_code codes[PURCHASES_MAX_CODES];
    const char *voucher = NULL;
    char canon[VOUCHER_LEN + 1];
    int n = 0, ncodes = 0, rc;
    json_t *body;

    if (api_partner_auth(req, "provider", &p) != 0)
        return;
    if (!(body = api_body_object(req)))
        return;
    need_str(req, body, "voucher_code", VOUCHER_INPUT_MAX, &voucher, errs, &n);
    json_decref(body);
    code_field("voucher_code", VOUCHER_KIND_VOUCHER, voucher, canon, errs, &n);
    if (n > 0) {
        api_problem_fields(req, errs, n);
        return;
    }
    rc = purchases_exchange(req->db, p.partner_id, canon, partner_actor(req, &p),
                            (int64_t)time(NULL), &out, codes, &ncodes);
    if (rc != DB_OK) {
        reply_outcome(req, rc);
        return;
    }
    api_json(req, 201, json_pack("{s:s, s:s, s:o}", "purchase_id", out.public_id, "course_id",
                                 out.course_public_id, "redeem_codes",
                                 codes_json(codes, ncodes)));
}

static int mode_ok(const char *m)
{
    return strcmp(m, "self_paced") == 0 || strcmp(m, "webinar") == 0 ||
           strcmp(m, "offline") == 0 || strcmp(m, "hybrid") == 0;
}

void api_partner_redemptions(struct http_req *req)
{
    struct partner_ctx p;
    struct field_error errs[MAX_ERRS];
    struct purchase out;
    struct redeem_code used;
    const char *code = NULL, *type = NULL;
    char canon[VOUCHER_LEN + 1];
    int n = 0, rc;
    json_t *body;

    if (api_partner_auth(req, "provider", &p) != 0)
        return;
    if (!(body = api_body_object(req)))
        return;
    need_str(req, body, "redeem_code", VOUCHER_INPUT_MAX, &code, errs, &n);
    need_str(req, body, "training_type", 32, &type, errs, &n);
    json_decref(body);
    code_field("redeem_code", VOUCHER_KIND_REDEEM, code, canon, errs, &n);
    if (type && !mode_ok(type) && n < MAX_ERRS)
        errs[n++] = (struct field_error){"training_type", "course.mode_invalid"};
    if (n > 0) {
        api_problem_fields(req, errs, n);
        return;
    }
    rc = purchases_redeem(req->db, p.partner_id, canon, type, partner_actor(req, &p),
                          (int64_t)time(NULL), &out, &used);
    if (rc != DB_OK) {
        reply_outcome(req, rc);
        return;
    }
    api_json(req, 200, json_pack("{s:s, s:s, s:o}", "purchase_id", out.public_id, "session_id",
                                 used.session_public_id, "used_at", iso(used.used_at)));
}

/* 1 when s is 1..PURCHASES_CERT_MAX bytes without control characters. */
static int cert_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > PURCHASES_CERT_MAX)
        return 0;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
            return 0;
    return 1;
}

/* 1 when s is a real date YYYY-MM-DD from 2020-01-01 up to today (WIB). */
static int completed_on_ok(const char *s, int64_t now)
{
    struct nik_date today = nik_date_wib(now);
    int64_t y;
    int m, d;

    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return 0;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && !isdigit((unsigned char)s[i]))
            return 0;
    y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    m = (s[5] - '0') * 10 + (s[6] - '0');
    d = (s[8] - '0') * 10 + (s[9] - '0');
    if (y < 2020 || m < 1 || m > 12 || d < 1 || d > utc_days_in_month(y, m))
        return 0;
    return utc_days_from_civil(y, m, d) <= utc_days_from_civil(today.year, today.month,
                                                               today.day);
}

void api_partner_completions(struct http_req *req)
{
    struct partner_ctx p;
    struct field_error errs[MAX_ERRS];
    struct purchase out;
    struct completion_in in;
    const char *purchase = NULL, *cert = NULL, *on = NULL;
    long long score = -1;
    int64_t now = (int64_t)time(NULL);
    int n = 0, rc;
    json_t *body;

    if (api_partner_auth(req, "provider", &p) != 0)
        return;
    if (!(body = api_body_object(req)))
        return;
    need_str(req, body, "purchase_id", 64, &purchase, errs, &n);
    rc = api_field_int(req, body, "score", &score, errs, &n, MAX_ERRS);
    if (rc == 1 && n < MAX_ERRS)
        errs[n++] = (struct field_error){"score", "field.required"};
    else if (rc == 0 && (score < 0 || score > 100) && n < MAX_ERRS)
        errs[n++] = (struct field_error){"score", "completion.score_invalid"};
    need_str(req, body, "certificate_no", PURCHASES_CERT_MAX * 4, &cert, errs, &n);
    need_str(req, body, "completed_on", 32, &on, errs, &n);
    json_decref(body);
    if (cert && !cert_ok(cert) && n < MAX_ERRS)
        errs[n++] = (struct field_error){"certificate_no", "completion.certificate_invalid"};
    if (on && !completed_on_ok(on, now) && n < MAX_ERRS)
        errs[n++] = (struct field_error){"completed_on", "completion.date_invalid"};
    if (n > 0) {
        api_problem_fields(req, errs, n);
        return;
    }
    if (!accounts_public_id_valid(purchase)) {
        api_problem(req, "purchase.not_found", NULL);
        return;
    }
    in = (struct completion_in){(int)score, cert, on};
    rc = purchases_complete(req->db, p.partner_id, purchase, &in, partner_actor(req, &p), now,
                            &out);
    if (rc != DB_OK) {
        reply_outcome(req, rc);
        return;
    }
    api_json(req, 201, json_pack("{s:s, s:s}", "purchase_id", out.public_id, "status",
                                 out.status));
}

/* ---- the participant ---- */

static int participant(struct http_req *req, struct auth_ctx *a)
{
    if (api_auth(req, a) != 0)
        return -1;
    if (!api_role_in(a, "participant", (const char *)NULL)) {
        api_problem(req, "auth.forbidden", NULL);
        return -1;
    }
    return 0;
}

/* Writes t (Unix seconds) as an ISO string, or null for 0. */
static void jw_time(struct api_jw *w, int64_t t)
{
    char text[21];
    if (t <= 0) {
        api_jw_raw(w, "null");
        return;
    }
    api_time_iso(t, text);
    api_jw_str(w, text);
}

/* One training of GET /me/trainings, written by hand (the rating average is a decimal
 * with one digit, as the catalog writes it). */
struct trainings_out {
    struct api_jw w;
    int n;
};

static int training_item(const struct training *t, void *ctx)
{
    struct trainings_out *o = ctx;
    struct api_jw *w = &o->w;
    const struct purchase *p = t->p;
    char num[32];

    api_jw_raw(w, o->n++ ? ",{\"purchase_id\":" : "{\"purchase_id\":");
    api_jw_str(w, p->public_id);
    api_jw_raw(w, ",\"course\":{\"course_id\":");
    api_jw_str(w, p->course_public_id);
    api_jw_raw(w, ",\"title\":");
    api_jw_str(w, t->title);
    api_jw_raw(w, ",\"provider\":{\"id\":");
    api_jw_str(w, t->provider_public_id);
    api_jw_raw(w, ",\"name\":");
    api_jw_str(w, t->provider_name);
    api_jw_raw(w, "},\"category\":");
    api_jw_str(w, t->category);
    api_jw_raw(w, ",\"level\":");
    api_jw_str(w, t->level);
    api_jw_raw(w, ",\"purpose\":");
    api_jw_str(w, t->purpose);
    api_jw_raw(w, ",\"mode\":");
    api_jw_str(w, p->mode);
    api_jw_raw(w, ",\"hours\":");
    api_jw_int(w, t->hours);
    api_jw_raw(w, ",\"price\":");
    api_jw_int(w, t->course_price);
    api_jw_raw(w, ",\"regency_code\":");
    api_jw_str(w, t->regency_code && *t->regency_code ? t->regency_code : NULL);
    api_jw_raw(w, ",\"rating\":{\"average\":");
    if (t->rating_count > 0) {
        long long tenths = (long long)((t->rating_sum * 20 + t->rating_count) /
                                       (2 * t->rating_count));
        snprintf(num, sizeof num, "%lld.%lld", tenths / 10, tenths % 10);
        api_jw_raw(w, num);
    } else {
        api_jw_raw(w, "null");
    }
    api_jw_raw(w, ",\"count\":");
    api_jw_int(w, t->rating_count);
    api_jw_raw(w, "}},\"price\":");
    api_jw_int(w, p->price);
    api_jw_raw(w, ",\"status\":");
    api_jw_str(w, p->status);
    api_jw_raw(w, ",\"voucher_code\":");
    api_jw_str(w, p->voucher_code);
    api_jw_raw(w, ",\"created_at\":");
    jw_time(w, p->created_at);
    api_jw_raw(w, ",\"redeem_codes\":[");
    for (int i = 0; i < t->ncodes; i++) {
        api_jw_raw(w, i ? ",{\"session_id\":" : "{\"session_id\":");
        api_jw_str(w, t->codes[i].session_public_id);
        api_jw_raw(w, ",\"starts_at\":");
        jw_time(w, t->codes[i].starts_at);
        api_jw_raw(w, ",\"code\":");
        api_jw_str(w, t->codes[i].code);
        api_jw_raw(w, ",\"status\":");
        api_jw_str(w, t->codes[i].status);
        api_jw_raw(w, ",\"used_at\":");
        jw_time(w, t->codes[i].used_at);
        api_jw_raw(w, "}");
    }
    api_jw_raw(w, "],\"certificate\":");
    if (t->completed) {
        api_jw_raw(w, "{\"certificate_no\":");
        api_jw_str(w, t->certificate_no);
        api_jw_raw(w, ",\"score\":");
        api_jw_int(w, t->score);
        api_jw_raw(w, ",\"completed_on\":");
        api_jw_str(w, t->completed_on);
        api_jw_raw(w, "}");
    } else {
        api_jw_raw(w, "null");
    }
    api_jw_raw(w, ",\"rating\":");
    if (t->rated) {
        api_jw_raw(w, "{\"stars\":");
        api_jw_int(w, t->stars);
        api_jw_raw(w, ",\"review\":");
        api_jw_str(w, t->review);
        api_jw_raw(w, "}");
    } else {
        api_jw_raw(w, "null");
    }
    api_jw_raw(w, t->incentive_eligible ? ",\"incentive_eligible\":true}"
                                       : ",\"incentive_eligible\":false}");
    return w->failed ? DB_ERR : 0;
}

void api_me_trainings(struct http_req *req)
{
    struct auth_ctx a;
    struct trainings_out o = {.n = 0};
    int rc;

    if (participant(req, &a) != 0)
        return;
    api_jw_begin(&o.w, req);
    api_jw_raw(&o.w, "{\"items\":[");
    rc = purchases_of_account(req->db, a.account_id, training_item, &o);
    if (rc != DB_OK && !o.w.failed) {
        buf_reset(&req->out);
        api_store_error(req, rc);
        return;
    }
    api_jw_raw(&o.w, "]}");
    api_jw_end(&o.w, 200);
}

void api_me_trainings_rate(struct http_req *req)
{
    struct auth_ctx a;
    struct field_error errs[MAX_ERRS];
    const char *review = NULL;
    long long stars = 0;
    int n = 0, rc, incentive = 0;
    size_t chars;
    json_t *body;

    if (participant(req, &a) != 0)
        return;
    if (!(body = api_body_object(req)))
        return;
    rc = api_field_int(req, body, "stars", &stars, errs, &n, MAX_ERRS);
    if (rc == 1 && n < MAX_ERRS)
        errs[n++] = (struct field_error){"stars", "field.required"};
    else if (rc == 0 && (stars < 1 || stars > 5) && n < MAX_ERRS)
        errs[n++] = (struct field_error){"stars", "rating.stars_invalid"};
    need_str(req, body, "review", PURCHASES_REVIEW_MAX * 4, &review, errs, &n);
    json_decref(body);
    if (review) {
        chars = text_utf8_count(review);
        if ((chars < PURCHASES_REVIEW_MIN || chars > PURCHASES_REVIEW_MAX) && n < MAX_ERRS)
            errs[n++] = (struct field_error){"review", "rating.review_invalid"};
    }
    if (n > 0) {
        api_problem_fields(req, errs, n);
        return;
    }
    if (!accounts_public_id_valid(req->params[0])) {
        api_problem(req, "purchase.not_found", NULL);
        return;
    }
    rc = purchases_rate(req->db, a.account_id, req->params[0], (int)stars, review,
                        (int64_t)time(NULL), &incentive);
    if (rc != DB_OK) {
        reply_outcome(req, rc);
        return;
    }
    api_json(req, 201, json_pack("{s:s, s:i, s:s, s:b}", "purchase_id", req->params[0], "stars",
                                 (int)stars, "review", review, "incentive_eligible", incentive));
}
