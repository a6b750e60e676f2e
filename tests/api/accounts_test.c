/*
 * API tests of accounts and sessions (src/api/accounts.c, sessions.c, auth.c)
 * against the real server started by the harness: registration and its 409s,
 * every field error code, hostile input on every endpoint, verification (wrong
 * codes, the attempt limit, expiry, resend), log-in with throttling and locking,
 * log-out and /me. Verification codes are read from the outbox table of the
 * server's database (either engine, through the harness), as a mail gateway would.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

static struct harness H;

static void start(void)
{
    cr_assert_eq(harness_start(&H, NULL), 0, "server did not start");
}

static void stop(void)
{
    harness_stop(&H);
}

TestSuite(accounts, .init = start, .fini = stop, .timeout = 120);

static const char *const JSON_CT = "application/json";

static long post(const char *path, const char *body, json_t **out, char *retry, size_t rlen)
{
    struct harness_reply r;
    long status;

    cr_assert_eq(harness_request(&H, "POST", path, JSON_CT, body, strlen(body), NULL, &r), 0);
    status = r.status;
    if (retry && !harness_header(&r, "Retry-After", retry, rlen))
        retry[0] = '\0';
    if (out)
        *out = json_loadb(r.body, r.body_len, 0, NULL);
    harness_reply_free(&r);
    return status;
}

static long postj(const char *path, json_t *body, json_t **out)
{
    char *s = json_dumps(body, JSON_COMPACT);
    long st = post(path, s, out, NULL, 0);
    free(s);
    json_decref(body);
    return st;
}

static long get_auth(const char *path, const char *token, json_t **out)
{
    char hdr[128];
    const char *hs[] = {hdr, NULL};
    struct harness_reply r;
    long st;

    snprintf(hdr, sizeof hdr, "Authorization: Bearer %s", token);
    cr_assert_eq(harness_request(&H, "GET", path, NULL, NULL, 0, token ? hs : NULL, &r), 0);
    st = r.status;
    if (out)
        *out = json_loadb(r.body, r.body_len, 0, NULL);
    harness_reply_free(&r);
    return st;
}

static const char *code_of(json_t *p)
{
    const char *c = json_string_value(json_object_get(p, "code"));
    return c ? c : "(none)";
}

static int has_error(json_t *p, const char *field, const char *code)
{
    size_t i;
    json_t *e;

    json_array_foreach(json_object_get(p, "errors"), i, e) {
        if (strcmp(json_string_value(json_object_get(e, "field")), field) == 0 &&
            strcmp(json_string_value(json_object_get(e, "code")), code) == 0)
            return 1;
    }
    return 0;
}

/* A valid registration (woman born 7 Aug 1995 in 35.09.15) with email/phone by n. */
static json_t *person(int n)
{
    char email[64], phone[32];
    snprintf(email, sizeof email, "siti%d@example.id", n);
    snprintf(phone, sizeof phone, "08123456%04d", n);
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}",
                     "email", email, "password", "rahasia123", "full_name", "Siti Nur'aini",
                     "nik", "3509154708950001", "kk", "3509150101080003", "birth_date",
                     "1995-08-07", "sex", "F", "phone", phone, "village_code", "35.09.15.2001",
                     "education", "sma", "occupation", "unemployed");
}

/* The newest 6-digit code sent on channel ("email"/"sms") to recipient, or "". */
static void outbox_code(const char *channel, const char *recipient, char code[7])
{
    const char *params[2] = {channel, recipient};
    char body[1024];
    const char *p;

    code[0] = '\0';
    cr_assert_eq(harness_sql_text(&H, "SELECT body FROM outbox WHERE channel = $1 AND "
                                      "recipient = $2 ORDER BY id DESC LIMIT 1", params, 2,
                                  body, sizeof body), 0);
    p = strstr(body, "Kode verifikasi Anda: ");
    if (p)
        snprintf(code, 7, "%.6s", p + strlen("Kode verifikasi Anda: "));
}

static int64_t sql_int(const char *sql)
{
    int64_t v = -1;

    cr_assert_eq(harness_sql_int(&H, sql, NULL, 0, &v), 0, "%s", sql);
    return v;
}

static void healthy(void)
{
    struct harness_reply r;
    cr_assert_eq(harness_request(&H, "GET", "/healthz", NULL, NULL, 0, NULL, &r), 0);
    cr_assert_eq(r.status, 200);
    harness_reply_free(&r);
}

Test(accounts, register_then_each_duplicate_is_409_without_the_holder)
{
    json_t *p = NULL, *b;
    const char *id;

    cr_assert_eq(postj("/api/v1/accounts", person(1), &p), 201);
    id = json_string_value(json_object_get(p, "id"));
    cr_assert_not_null(id);
    cr_assert_eq(strlen(id), 26);
    cr_assert_str_eq(json_string_value(json_object_get(p, "email_verification")), "sent");
    char saved[32];
    snprintf(saved, sizeof saved, "%s", id);
    json_decref(p);

    b = person(2); /* same NIK */
    cr_assert_eq(postj("/api/v1/accounts", b, &p), 409);
    cr_assert_str_eq(code_of(p), "account.nik_taken");
    char *dump = json_dumps(p, 0);
    cr_assert_null(strstr(dump, "siti1"));
    cr_assert_null(strstr(dump, saved));
    free(dump);
    json_decref(p);

    b = person(3); /* same email, other NIK (man born 1 Jan 1990) */
    json_object_set_new(b, "email", json_string("SITI1@example.id"));
    json_object_set_new(b, "nik", json_string("3509150101900002"));
    json_object_set_new(b, "birth_date", json_string("1990-01-01"));
    json_object_set_new(b, "sex", json_string("M"));
    cr_assert_eq(postj("/api/v1/accounts", b, &p), 409);
    cr_assert_str_eq(code_of(p), "account.email_taken");
    json_decref(p);

    b = person(4); /* same phone written another way */
    json_object_set_new(b, "phone", json_string("+62 812-3456-0001"));
    json_object_set_new(b, "nik", json_string("3509150101900002"));
    json_object_set_new(b, "birth_date", json_string("1990-01-01"));
    json_object_set_new(b, "sex", json_string("M"));
    cr_assert_eq(postj("/api/v1/accounts", b, &p), 409);
    cr_assert_str_eq(code_of(p), "account.phone_taken");
    json_decref(p);
    cr_assert_eq(sql_int("SELECT count(*) FROM accounts"), 1);
    /* the codes went out: one email, one SMS */
    char code[7];
    outbox_code("email", "siti1@example.id", code);
    cr_assert_eq(strlen(code), 6);
    outbox_code("sms", "+6281234560001", code);
    cr_assert_eq(strlen(code), 6);
}

struct case_ {
    const char *field;
    json_t *value;
    const char *code;
};

Test(accounts, every_field_error_code_is_reachable)
{
    char longpw[200], longmail[300];
    memset(longpw, 'a', sizeof longpw - 1);
    longpw[sizeof longpw - 1] = '\0';
    memset(longmail, 'a', sizeof longmail - 1);
    longmail[sizeof longmail - 1] = '\0';
    struct case_ cases[] = {
        {"email", json_string("not-an-email"), "email.invalid"},
        {"email", json_string(longmail), "field.too_long"},
        {"password", json_string("short"), "password.too_short"},
        {"password", json_string(longpw), "password.too_long"},
        {"password", json_integer(12345678), "field.wrong_type"},
        {"full_name", json_string("12345"), "full_name.invalid"},
        {"full_name", json_stringn("Siti\0Nur", 8), "field.nul_byte"},
        {"nik", json_string("350915470895"), "nik.length"},
        {"nik", json_string("35091547089500a1"), "nik.not_digits"},
        {"nik", json_string("9909154708950001"), "nik.unknown_region"},
        {"nik", json_string("3509159908950001"), "nik.bad_birth_date"},
        {"nik", json_string("3509154708950000"), "nik.serial_zero"},
        {"nik", json_integer(3509154708950001LL), "field.wrong_type"},
        {"kk", json_string("35091501"), "kk.length"},
        {"kk", json_string("35091501010800x3"), "kk.not_digits"},
        {"kk", json_string("9909150101080003"), "kk.unknown_region"},
        {"kk", json_string("3509150101080000"), "kk.serial_zero"},
        {"birth_date", json_string("1995-13-07"), "birth_date.invalid"},
        {"birth_date", json_string("1995-08-08"), "birth_date.nik_mismatch"},
        {"sex", json_string("X"), "sex.invalid"},
        {"sex", json_string("M"), "sex.nik_mismatch"},
        {"phone", json_string("12345"), "phone.invalid"},
        {"village_code", json_string("99.99.99.9999"), "village.unknown"},
        {"village_code", json_string("35.09.15"), "village.unknown"},
        {"education", json_string("phd"), "education.invalid"},
        {"occupation", json_string("astronaut"), "occupation.invalid"},
        {"occupation", json_null(), "field.required"},
        {"education", json_array(), "field.wrong_type"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        json_t *b = person(10), *p = NULL;
        json_object_set_new(b, cases[i].field, cases[i].value);
        cr_assert_eq(postj("/api/v1/accounts", b, &p), 400, "case %zu", i);
        cr_assert_str_eq(code_of(p), "validation");
        cr_assert(has_error(p, cases[i].field, cases[i].code), "case %zu: %s %s missing",
                  i, cases[i].field, cases[i].code);
        cr_assert_eq(json_array_size(json_object_get(p, "errors")), 1, "case %zu", i);
        json_decref(p);
    }
    /* an empty object names every field as required */
    json_t *p = NULL;
    cr_assert_eq(post("/api/v1/accounts", "{}", &p, NULL, 0), 400);
    const char *fields[] = {"email", "password", "full_name", "nik", "kk", "birth_date", "sex",
                            "phone", "village_code", "education", "occupation"};
    for (size_t i = 0; i < 11; i++)
        cr_assert(has_error(p, fields[i], "field.required"), "%s", fields[i]);
    json_decref(p);
    cr_assert_eq(sql_int("SELECT count(*) FROM accounts"), 0);
}

Test(accounts, sql_metacharacters_are_refused_or_stored_verbatim)
{
    static const char evil[] = "'; DROP TABLE accounts; --";
    const char *fields[] = {"email", "password", "full_name", "nik", "kk", "birth_date", "sex",
                            "phone", "village_code", "education", "occupation"};
    json_t *p = NULL;

    for (size_t i = 0; i < 11; i++) {
        json_t *b = person(20 + (int)i);
        char nik[24];
        snprintf(nik, sizeof nik, "350915010190%04d", (int)i + 2);
        json_object_set_new(b, "nik", json_string(nik));
        json_object_set_new(b, "birth_date", json_string("1990-01-01"));
        json_object_set_new(b, "sex", json_string("M"));
        json_object_set_new(b, fields[i], json_string(evil));
        long st = postj("/api/v1/accounts", b, &p);
        if (strcmp(fields[i], "full_name") == 0 || strcmp(fields[i], "password") == 0) {
            cr_assert_eq(st, 201, "%s", fields[i]);
        } else {
            cr_assert_eq(st, 400, "%s", fields[i]);
            cr_assert(json_array_size(json_object_get(p, "errors")) >= 1);
        }
        json_decref(p);
    }
    cr_assert_eq(sql_int("SELECT count(*) FROM accounts"), 2);
    cr_assert_eq(sql_int("SELECT count(*) FROM accounts WHERE full_name = "
                         "'''; DROP TABLE accounts; --'"), 1);
    healthy();
}

Test(accounts, hostile_bodies_on_every_endpoint_get_a_clear_4xx)
{
    const char *paths[] = {"/api/v1/accounts", "/api/v1/accounts/verify",
                           "/api/v1/accounts/verify/resend", "/api/v1/sessions"};
    size_t big = 70 * 1024;
    char *huge = malloc(big + 1);
    memset(huge, ' ', big);
    huge[0] = '{';
    huge[big - 1] = '}';
    huge[big] = '\0';
    for (size_t i = 0; i < 4; i++) {
        json_t *p = NULL;
        struct harness_reply r;

        cr_assert_eq(post(paths[i], huge, NULL, NULL, 0), 413, "%s", paths[i]);
        cr_assert_eq(post(paths[i], "{\"email\": \"a@b.id\", \"pass", &p, NULL, 0), 400);
        cr_assert_str_eq(code_of(p), "json.malformed");
        json_decref(p);
        cr_assert_eq(post(paths[i], "[1,2]", &p, NULL, 0), 400);
        cr_assert_str_eq(code_of(p), "json.not_object");
        json_decref(p);
        cr_assert_eq(post(paths[i], "{\"email\": \"\xff\xfe@b.id\"}", &p, NULL, 0), 400);
        cr_assert_str_eq(code_of(p), "json.invalid_utf8");
        json_decref(p);
        cr_assert_eq(post(paths[i], "{\"email\": 5, \"password\": [], \"channel\": {}, "
                                    "\"code\": true}", &p, NULL, 0), 400, "%s", paths[i]);
        cr_assert_str_eq(code_of(p), "validation");
        cr_assert(has_error(p, "email", "field.wrong_type"), "%s", paths[i]);
        json_decref(p);
        cr_assert_eq(post(paths[i], "{\"email\": \"a\\u0000@b.id\", \"password\": \"x\"}", &p,
                          NULL, 0), 400);
        cr_assert(has_error(p, "email", "field.nul_byte"), "%s", paths[i]);
        json_decref(p);
        const char nul_body[] = "{\"email\"\0: 1}";
        cr_assert_eq(harness_request(&H, "POST", paths[i], JSON_CT, nul_body, sizeof nul_body - 1,
                                     NULL, &r), 0);
        cr_assert_eq(r.status, 400);
        harness_reply_free(&r);
        cr_assert_eq(harness_request(&H, "POST", paths[i], "text/plain", "{}", 2, NULL, &r), 0);
        cr_assert_eq(r.status, 415);
        harness_reply_free(&r);
    }
    free(huge);
    healthy();
}

static void register_ok(int n)
{
    cr_assert_eq(postj("/api/v1/accounts", person(n), NULL), 201);
}

static long verify(const char *email, const char *channel, const char *code, json_t **out)
{
    return postj("/api/v1/accounts/verify",
                 json_pack("{s:s, s:s, s:s}", "email", email, "channel", channel, "code", code),
                 out);
}

Test(accounts, verification_with_attempt_limit_and_resend)
{
    char code[7], again[7];
    json_t *p = NULL;

    register_ok(30);
    outbox_code("email", "siti30@example.id", code);
    cr_assert_eq(strlen(code), 6);
    const char *wrong = strcmp(code, "000000") ? "000000" : "111111";

    cr_assert_eq(verify("nobody@example.id", "email", code, &p), 404);
    cr_assert_str_eq(code_of(p), "verify.not_found");
    json_decref(p);
    for (int i = 0; i < 5; i++) {
        cr_assert_eq(verify("siti30@example.id", "email", wrong, &p), 400);
        cr_assert_str_eq(code_of(p), "verify.bad_code");
        json_decref(p);
    }
    /* the right code no longer helps once the attempts are used up */
    cr_assert_eq(verify("siti30@example.id", "email", code, &p), 429);
    cr_assert_str_eq(code_of(p), "verify.too_many_attempts");
    json_decref(p);

    /* a resend within a minute sends nothing new */
    int64_t before = sql_int("SELECT count(*) FROM outbox");
    cr_assert_eq(postj("/api/v1/accounts/verify/resend",
                       json_pack("{s:s, s:s}", "email", "siti30@example.id", "channel", "email"),
                       &p), 202);
    json_decref(p);
    cr_assert_eq(sql_int("SELECT count(*) FROM outbox"), before);
    /* ... a minute later it does, and replaces the code */
    cr_assert_neq(sql_int("UPDATE verification_codes SET created_at = created_at - 120 "
                          "RETURNING 1"), -1);
    cr_assert_eq(postj("/api/v1/accounts/verify/resend",
                       json_pack("{s:s, s:s}", "email", "siti30@example.id", "channel", "email"),
                       &p), 202);
    cr_assert_str_eq(json_string_value(json_object_get(p, "status")), "sent");
    json_decref(p);
    cr_assert_eq(sql_int("SELECT count(*) FROM outbox"), before + 1);
    outbox_code("email", "siti30@example.id", again);
    cr_assert_eq(verify("siti30@example.id", "email", again, &p), 200);
    cr_assert(json_is_true(json_object_get(p, "email_verified")));
    cr_assert(json_is_false(json_object_get(p, "phone_verified")));
    json_decref(p);
    /* a used code fails */
    cr_assert_eq(verify("siti30@example.id", "email", again, &p), 404);
    json_decref(p);

    outbox_code("sms", "+6281234560030", code);
    cr_assert_eq(verify("siti30@example.id", "phone", code, &p), 200);
    cr_assert(json_is_true(json_object_get(p, "email_verified")));
    cr_assert(json_is_true(json_object_get(p, "phone_verified")));
    json_decref(p);

    /* unknown emails and bad channels */
    cr_assert_eq(postj("/api/v1/accounts/verify/resend",
                       json_pack("{s:s, s:s}", "email", "ghost@example.id", "channel", "phone"),
                       NULL), 202);
    cr_assert_eq(postj("/api/v1/accounts/verify/resend",
                       json_pack("{s:s, s:s}", "email", "ghost@example.id", "channel", "fax"),
                       &p), 400);
    cr_assert(has_error(p, "channel", "channel.invalid"));
    json_decref(p);
}

static long login(const char *email, const char *password, json_t **out, char *retry)
{
    char *s;
    json_t *b = json_pack("{s:s, s:s}", "email", email, "password", password);
    long st;
    s = json_dumps(b, 0);
    st = post("/api/v1/sessions", s, out, retry, 16);
    free(s);
    json_decref(b);
    return st;
}

Test(accounts, login_me_and_logout)
{
    json_t *p = NULL, *me = NULL;
    char token[80], retry[16];

    register_ok(40);
    cr_assert_eq(login("siti40@example.id", "wrongpassword", &p, retry), 401);
    cr_assert_str_eq(code_of(p), "auth.bad_credentials");
    json_decref(p);
    cr_assert_eq(login("ghost@example.id", "rahasia123", &p, retry), 401);
    cr_assert_str_eq(code_of(p), "auth.bad_credentials");
    json_decref(p);

    cr_assert_eq(login("SITI40@example.id", "rahasia123", &p, retry), 201);
    snprintf(token, sizeof token, "%s", json_string_value(json_object_get(p, "token")));
    cr_assert_eq(strlen(token), 64);
    cr_assert_eq(strlen(json_string_value(json_object_get(p, "expires_at"))), 20);
    json_decref(p);

    cr_assert_eq(get_auth("/api/v1/me", token, &me), 200);
    cr_assert_str_eq(json_string_value(json_object_get(me, "email")), "siti40@example.id");
    cr_assert_str_eq(json_string_value(json_object_get(me, "full_name")), "Siti Nur'aini");
    cr_assert_str_eq(json_string_value(json_object_get(me, "phone")), "+6281234560040");
    cr_assert_str_eq(json_string_value(json_object_get(me, "nik_masked")), "3509********0001");
    cr_assert_str_eq(json_string_value(json_object_get(me, "role")), "participant");
    cr_assert_str_eq(json_string_value(json_object_get(me, "sex")), "F");
    cr_assert_str_eq(json_string_value(json_object_get(me, "birth_date")), "1995-08-07");
    cr_assert(json_is_false(json_object_get(me, "email_verified")));
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(me, "regency"),
                                                       "display_name")), "Kabupaten Jember");
    cr_assert_str_eq(json_string_value(json_object_get(json_object_get(me, "province"), "code")),
                     "35");
    char *dump = json_dumps(me, 0);
    cr_assert_null(strstr(dump, "3509154708950001"));
    cr_assert_null(strstr(dump, "3509150101080003"));
    cr_assert_null(strstr(dump, "argon2"));
    free(dump);
    json_decref(me);

    cr_assert_eq(get_auth("/api/v1/me", NULL, &p), 401);
    cr_assert_str_eq(code_of(p), "auth.required");
    json_decref(p);
    cr_assert_eq(get_auth("/api/v1/me", "deadbeef", &p), 401);
    cr_assert_str_eq(code_of(p), "auth.invalid_token");
    json_decref(p);

    char hdr[128];
    snprintf(hdr, sizeof hdr, "Authorization: Bearer %s", token);
    const char *hs[] = {hdr, NULL};
    struct harness_reply r;
    cr_assert_eq(harness_request(&H, "DELETE", "/api/v1/sessions/current", NULL, NULL, 0, hs, &r),
                 0);
    cr_assert_eq(r.status, 204);
    harness_reply_free(&r);
    cr_assert_eq(get_auth("/api/v1/me", token, &p), 401);
    cr_assert_str_eq(code_of(p), "auth.invalid_token");
    json_decref(p);
    cr_assert_eq(sql_int("SELECT count(*) FROM audit_log WHERE action = 'session.logout'"), 1);
    cr_assert_eq(sql_int("SELECT count(*) FROM audit_log WHERE detail LIKE '%3509154708950001%'"
                         " OR detail LIKE '%rahasia%'"), 0);
}

Test(accounts, failed_logins_throttle_then_lock)
{
    json_t *p = NULL;
    char retry[16];
    int last = 0;

    register_ok(50);
    for (int i = 0; i < 5; i++) {
        cr_assert_eq(login("siti50@example.id", "wrongpassword", &p, retry), 401, "try %d", i);
        json_decref(p);
    }
    for (int i = 5; i < 9; i++) {
        cr_assert_eq(login("siti50@example.id", "rahasia123", &p, retry), 429, "try %d", i);
        cr_assert_str_eq(code_of(p), "auth.throttled");
        json_decref(p);
        cr_assert_gt(atoi(retry), last, "Retry-After should grow: %s after %d", retry, last);
        last = atoi(retry);
    }
    cr_assert_eq(login("siti50@example.id", "wrongpassword", &p, retry), 423);
    cr_assert_str_eq(code_of(p), "auth.locked");
    json_decref(p);
    cr_assert_gt(atoi(retry), 800);
    cr_assert_leq(atoi(retry), 900);
    /* locked: even the right password is refused */
    cr_assert_eq(login("siti50@example.id", "rahasia123", &p, retry), 423);
    json_decref(p);
}

TestSuite(accounts_env, .timeout = 120);

Test(accounts_env, a_code_expires)
{
    json_t *p = NULL;
    char code[7];

    setenv("PRAKERJA_VERIFY_TTL", "1", 1);
    start();
    register_ok(60);
    outbox_code("email", "siti60@example.id", code);
    sleep(2);
    cr_assert_eq(verify("siti60@example.id", "email", code, &p), 400);
    cr_assert_str_eq(code_of(p), "verify.expired");
    json_decref(p);
    stop();
}

struct racer {
    int n;
    long status;
    char retry[16];
};

static void *race(void *arg)
{
    struct racer *r = arg;
    json_t *b = person(100 + r->n);
    char nik[24];
    snprintf(nik, sizeof nik, "350915010190%04d", r->n + 1);
    json_object_set_new(b, "nik", json_string(nik));
    json_object_set_new(b, "birth_date", json_string("1990-01-01"));
    json_object_set_new(b, "sex", json_string("M"));
    char *s = json_dumps(b, 0);
    json_decref(b);
    struct harness_reply rep;
    if (harness_request(&H, "POST", "/api/v1/accounts", JSON_CT, s, strlen(s), NULL, &rep) == 0) {
        r->status = rep.status;
        if (!harness_header(&rep, "Retry-After", r->retry, sizeof r->retry))
            r->retry[0] = '\0';
        harness_reply_free(&rep);
    }
    free(s);
    return NULL;
}

Test(accounts_env, password_hashing_is_bounded)
{
    struct racer rs[8];
    pthread_t th[8];
    int ok = 0, busy = 0;

    setenv("PRAKERJA_PWHASH_MAX", "1", 1);
    start();
    for (int i = 0; i < 8; i++) {
        rs[i] = (struct racer){.n = i};
        pthread_create(&th[i], NULL, race, &rs[i]);
    }
    for (int i = 0; i < 8; i++)
        pthread_join(th[i], NULL);
    for (int i = 0; i < 8; i++) {
        if (rs[i].status == 201)
            ok++;
        else if (rs[i].status == 503) {
            busy++;
            cr_assert_str_eq(rs[i].retry, "1");
        } else
            cr_assert_fail("unexpected status %ld", rs[i].status);
    }
    cr_assert_geq(ok, 1);
    cr_assert_geq(busy, 1);
    stop();
}
