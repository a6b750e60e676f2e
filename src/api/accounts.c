/*
 * accounts (API): registration and contact verification.
 *
 * POST /api/v1/accounts reads each field under a byte bound, lets core/account.c
 * judge them all at once (district and village checks are bsearches in the app's
 * code arrays), and answers 400 with every bad field. Only then does it hash the
 * password, under the app-wide bound on argon2id hashes running at once. One
 * transaction then checks that NIK (by blind index), email and phone are free,
 * inserts the account with NIK and KK encrypted, stores one email and one phone
 * code (6 digits, kept as a keyed hash), queues them in the outbox and appends an
 * audit entry. A unique-constraint race with a concurrent registration ends as
 * the same 409 as the explicit check.
 *
 * POST /api/v1/accounts/verify checks a code against the newest pending one:
 * wrong codes count towards verify_max_attempts, expired and used codes fail.
 * POST /api/v1/accounts/verify/resend replaces the pending code at most once a
 * minute per channel and always answers 202 so it reveals no account.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "api/app.h"
#include "api/auth.h"
#include "api/reply.h"
#include "core/account.h"
#include "store/accounts.h"
#include "store/audit.h"
#include "store/outbox.h"

#define MAX_ERRS 32
#define CODE_MAX 16
#define RESEND_GAP 60

static const char email_subject[] = "Kode verifikasi Prakerja";

struct reg_ctx {
    const struct app *app;
    struct account_new acc;
    char email_code_hash[65], phone_code_hash[65];
    const char *email_body, *sms_body;
    int64_t now;
    int64_t id;
    char public_id[ACCOUNTS_PUBLIC_ID_LEN + 1];
    const char *taken;
};

enum { TXN_TAKEN = 1 };

static void code_new(char code[7])
{
    snprintf(code, 7, "%06u", (unsigned)randombytes_uniform(1000000));
}

static void code_hash(const struct app *a, const char *code, char out[65])
{
    unsigned char h[32];
    crypto_generichash(h, sizeof h, (const unsigned char *)code, strlen(code), a->keys.idx,
                       sizeof a->keys.idx);
    sodium_bin2hex(out, 65, h, sizeof h);
}

static void lower(char *s)
{
    for (; *s; s++)
        *s = (char)tolower((unsigned char)*s);
}

static const char *email_body(struct http_req *req, const char *code)
{
    return arena_printf(req->arena,
                        "Kode verifikasi Anda: %s\n\nKode ini berlaku %d menit. Jangan berikan "
                        "kode ini kepada siapa pun, termasuk petugas Prakerja.\n",
                        code, (req->app->verify_ttl + 59) / 60);
}

static const char *sms_body(struct http_req *req, const char *code)
{
    return arena_printf(req->arena,
                        "Prakerja: Kode verifikasi Anda: %s. Berlaku %d menit. Jangan berikan "
                        "kepada siapa pun.", code, (req->app->verify_ttl + 59) / 60);
}

static int register_txn(db *d, void *vctx)
{
    struct reg_ctx *c = vctx;
    char actor[ACCOUNTS_PUBLIC_ID_LEN + 16];
    int64_t expires = c->now + c->app->verify_ttl;
    int rc;

    c->taken = NULL;
    rc = accounts_find_taken(d, c->acc.nik_bidx, c->acc.email, c->acc.phone, &c->taken);
    if (rc != DB_OK)
        return rc;
    if (c->taken)
        return TXN_TAKEN;
    rc = accounts_insert(d, &c->acc, &c->id, c->public_id);
    if (rc == DB_OK)
        rc = accounts_code_add(d, c->id, "email", c->email_code_hash, c->now, expires);
    if (rc == DB_OK)
        rc = accounts_code_add(d, c->id, "phone", c->phone_code_hash, c->now, expires);
    if (rc == DB_OK)
        rc = outbox_enqueue(d, "email", c->acc.email, email_subject, c->email_body, c->now,
                            NULL);
    if (rc == DB_OK)
        rc = outbox_enqueue(d, "sms", c->acc.phone, NULL, c->sms_body, c->now, NULL);
    if (rc == DB_OK) {
        snprintf(actor, sizeof actor, "account:%s", c->public_id);
        rc = audit_append(d, c->now, actor, "account.register", c->public_id,
                          "role=participant");
    }
    return rc;
}

static void reply_taken(struct http_req *req, const char *taken)
{
    if (strcmp(taken, "nik") == 0)
        api_problem(req, "account.nik_taken", NULL);
    else if (strcmp(taken, "email") == 0)
        api_problem(req, "account.email_taken", NULL);
    else
        api_problem(req, "account.phone_taken", NULL);
}

static int has_field(const struct field_error *errs, int n, const char *field)
{
    for (int i = 0; i < n; i++)
        if (strcmp(errs[i].field, field) == 0)
            return 1;
    return 0;
}

void api_accounts_create(struct http_req *req)
{
    struct app *app = req->app;
    struct field_error errs[MAX_ERRS], cerrs[ACCOUNT_FIELDS];
    struct account_input in = {0};
    struct account_clean clean;
    struct account_checks chk = {app_district_exists, app_village_exists, app, 1};
    struct reg_ctx c;
    char pwhash[crypto_pwhash_STRBYTES], nik_enc[PII_CT_MAX], kk_enc[PII_CT_MAX];
    char nik_bidx[PII_BIDX_LEN + 1], kk_bidx[PII_BIDX_LEN + 1], birth[16];
    char ecode[7], pcode[7];
    int n = 0, nc, rc;
    int64_t now = (int64_t)time(NULL);
    json_t *body = api_body_object(req);

    if (!body)
        return;
    api_field_str(req, body, "email", 254, &in.email, errs, &n, MAX_ERRS);
    api_field_str(req, body, "password", 1024, &in.password, errs, &n, MAX_ERRS);
    api_field_str(req, body, "full_name", 1024, &in.full_name, errs, &n, MAX_ERRS);
    api_field_str(req, body, "nik", 64, &in.nik, errs, &n, MAX_ERRS);
    api_field_str(req, body, "kk", 64, &in.kk, errs, &n, MAX_ERRS);
    api_field_str(req, body, "birth_date", 32, &in.birth_date, errs, &n, MAX_ERRS);
    api_field_str(req, body, "sex", 16, &in.sex, errs, &n, MAX_ERRS);
    api_field_str(req, body, "phone", 64, &in.phone, errs, &n, MAX_ERRS);
    api_field_str(req, body, "village_code", 32, &in.village_code, errs, &n, MAX_ERRS);
    api_field_str(req, body, "education", 32, &in.education, errs, &n, MAX_ERRS);
    api_field_str(req, body, "occupation", 32, &in.occupation, errs, &n, MAX_ERRS);
    json_decref(body);

    nc = account_validate(&in, nik_date_wib(now), &chk, &clean, cerrs, ACCOUNT_FIELDS);
    for (int i = 0; i < nc && n < MAX_ERRS; i++)
        if (!has_field(errs, n, cerrs[i].field))
            errs[n++] = cerrs[i];
    if (n > 0) {
        api_problem_fields(req, errs, n);
        return;
    }

    if (api_pwhash_acquire(req) != 0)
        return;
    rc = crypto_pwhash_str(pwhash, in.password, strlen(in.password),
                           crypto_pwhash_OPSLIMIT_INTERACTIVE,
                           crypto_pwhash_MEMLIMIT_INTERACTIVE);
    api_pwhash_release(req);
    if (rc != 0) {
        req->retry_after = 1;
        api_problem(req, "overloaded", NULL);
        return;
    }
    if (pii_encrypt(&app->keys, in.nik, nik_enc) != 0 ||
        pii_encrypt(&app->keys, in.kk, kk_enc) != 0) {
        api_problem(req, "internal", NULL);
        return;
    }
    pii_blind_index(&app->keys, "nik", in.nik, nik_bidx);
    pii_blind_index(&app->keys, "kk", in.kk, kk_bidx);
    lower(clean.email);
    snprintf(birth, sizeof birth, "%04d-%02d-%02d", clean.birth.year % 10000,
             clean.birth.month % 100, clean.birth.day % 100);
    code_new(ecode);
    code_new(pcode);

    memset(&c, 0, sizeof c);
    c.app = app;
    c.now = now;
    c.acc = (struct account_new){
        .role = "participant", .email = clean.email, .phone = clean.phone,
        .password_hash = pwhash, .full_name = in.full_name, .nik_enc = nik_enc,
        .nik_bidx = nik_bidx, .kk_enc = kk_enc, .kk_bidx = kk_bidx, .birth_date = birth,
        .sex = clean.sex, .village_code = in.village_code, .regency_code = clean.regency_code,
        .education = in.education, .occupation = in.occupation, .created_at = now,
    };
    code_hash(app, ecode, c.email_code_hash);
    code_hash(app, pcode, c.phone_code_hash);
    c.email_body = email_body(req, ecode);
    c.sms_body = sms_body(req, pcode);
    sodium_memzero(ecode, sizeof ecode);
    sodium_memzero(pcode, sizeof pcode);

    rc = db_txn(req->db, register_txn, &c);
    sodium_memzero(pwhash, sizeof pwhash);
    if (rc == TXN_TAKEN) {
        reply_taken(req, c.taken);
        return;
    }
    if (rc == DB_ECONSTRAINT) {
        const char *taken = NULL;
        if (accounts_find_taken(req->db, nik_bidx, clean.email, clean.phone, &taken) == DB_OK &&
            taken) {
            reply_taken(req, taken);
            return;
        }
    }
    if (rc != DB_OK) {
        api_store_error(req, rc);
        return;
    }
    req->location = arena_printf(req->arena, "/api/v1/me");
    api_json(req, 201, json_pack("{s:s, s:s, s:s}", "id", c.public_id, "email_verification",
                                 "sent", "phone_verification", "sent"));
}

/* Reads {"email", "channel"[, "code"]} of verify and resend; 0, or -1 after a 400. */
static int read_contact(struct http_req *req, int want_code, char email[256],
                        const char **channel, const char **code)
{
    struct field_error errs[8];
    const char *e = NULL;
    int n = 0;
    json_t *body = api_body_object(req);

    if (!body)
        return -1;
    *channel = NULL;
    if (code)
        *code = NULL;
    if (api_field_str(req, body, "email", 254, &e, errs, &n, 8) == 1)
        errs[n++] = (struct field_error){"email", "field.required"};
    if (api_field_str(req, body, "channel", 16, channel, errs, &n, 8) == 1)
        errs[n++] = (struct field_error){"channel", "field.required"};
    else if (*channel && strcmp(*channel, "email") != 0 && strcmp(*channel, "phone") != 0)
        errs[n++] = (struct field_error){"channel", "channel.invalid"};
    if (want_code && api_field_str(req, body, "code", CODE_MAX, code, errs, &n, 8) == 1)
        errs[n++] = (struct field_error){"code", "field.required"};
    json_decref(body);
    if (e && !*e && !has_field(errs, n, "email"))
        errs[n++] = (struct field_error){"email", "field.required"};
    if (n > 0) {
        api_problem_fields(req, errs, n);
        return -1;
    }
    snprintf(email, 256, "%s", e);
    lower(email);
    return 0;
}

struct verify_ctx {
    const struct app *app;
    const char *email, *channel, *code;
    int64_t now;
    const char *err;
    int email_verified, phone_verified;
};

static int verify_txn(db *d, void *vctx)
{
    struct verify_ctx *c = vctx;
    struct account_row acc;
    struct verify_code vc;
    char want[65], actor[ACCOUNTS_PUBLIC_ID_LEN + 16], detail[32];
    int rc;

    c->err = NULL;
    rc = accounts_by_email(d, c->email, &acc);
    if (rc == DB_OK)
        rc = accounts_code_pending(d, acc.id, c->channel, &vc);
    if (rc == DB_ENOTFOUND) {
        c->err = "verify.not_found";
        return DB_OK;
    }
    if (rc != DB_OK)
        return rc;
    if (vc.attempts >= c->app->verify_max_attempts) {
        c->err = "verify.too_many_attempts";
        return DB_OK;
    }
    if (c->now >= vc.expires_at) {
        c->err = "verify.expired";
        return DB_OK;
    }
    code_hash(c->app, c->code, want);
    if (sodium_memcmp(want, vc.code_hash, 64) != 0) {
        c->err = "verify.bad_code";
        return accounts_code_attempt(d, vc.id);
    }
    rc = accounts_code_use(d, vc.id, c->now);
    if (rc == DB_OK)
        rc = accounts_set_verified(d, acc.id, c->channel, c->now);
    if (rc == DB_OK) {
        snprintf(actor, sizeof actor, "account:%s", acc.public_id);
        snprintf(detail, sizeof detail, "channel=%s", c->channel);
        rc = audit_append(d, c->now, actor, "account.verify", acc.public_id, detail);
    }
    c->email_verified = acc.email_verified_at != 0 || strcmp(c->channel, "email") == 0;
    c->phone_verified = acc.phone_verified_at != 0 || strcmp(c->channel, "phone") == 0;
    return rc;
}

void api_accounts_verify(struct http_req *req)
{
    struct verify_ctx c = {0};
    char email[256];
    int rc;

    if (read_contact(req, 1, email, &c.channel, &c.code) != 0)
        return;
    c.app = req->app;
    c.email = email;
    c.now = (int64_t)time(NULL);
    rc = db_txn(req->db, verify_txn, &c);
    if (rc != DB_OK) {
        api_store_error(req, rc);
        return;
    }
    if (c.err) {
        api_problem(req, c.err, NULL);
        return;
    }
    api_json(req, 200, json_pack("{s:b, s:b}", "email_verified", c.email_verified,
                                 "phone_verified", c.phone_verified));
}

struct resend_ctx {
    struct http_req *req;
    const char *email, *channel;
    int64_t now;
};

static int resend_txn(db *d, void *vctx)
{
    struct resend_ctx *c = vctx;
    const struct app *app = c->req->app;
    struct account_row acc;
    char code[7], hash[65];
    int64_t last = 0;
    int email = strcmp(c->channel, "email") == 0;
    int rc = accounts_by_email(d, c->email, &acc);

    if (rc == DB_ENOTFOUND)
        return DB_OK;
    if (rc != DB_OK)
        return rc;
    if ((email && acc.email_verified_at) || (!email && acc.phone_verified_at))
        return DB_OK;
    rc = accounts_code_last_created(d, acc.id, c->channel, &last);
    if (rc == DB_OK && c->now - last < RESEND_GAP)
        return DB_OK;
    if (rc != DB_OK && rc != DB_ENOTFOUND)
        return rc;
    code_new(code);
    code_hash(app, code, hash);
    rc = accounts_code_add(d, acc.id, c->channel, hash, c->now, c->now + app->verify_ttl);
    if (rc == DB_OK && email)
        rc = outbox_enqueue(d, "email", acc.email, email_subject, email_body(c->req, code),
                            c->now, NULL);
    else if (rc == DB_OK)
        rc = outbox_enqueue(d, "sms", acc.phone, NULL, sms_body(c->req, code), c->now, NULL);
    sodium_memzero(code, sizeof code);
    return rc;
}

void api_accounts_resend(struct http_req *req)
{
    struct resend_ctx c = {0};
    char email[256];
    int rc;

    if (read_contact(req, 0, email, &c.channel, NULL) != 0)
        return;
    c.req = req;
    c.email = email;
    c.now = (int64_t)time(NULL);
    rc = db_txn(req->db, resend_txn, &c);
    if (rc != DB_OK) {
        api_store_error(req, rc);
        return;
    }
    api_json(req, 202, json_pack("{s:s}", "status", "sent"));
}
