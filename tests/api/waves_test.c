/*
 * API tests of waves, applications, the draw and the card (src/api/waves.c)
 * against the real server started by the harness with a civil-registry file
 * (--civreg) and a one-second background tick (PRAKERJA_TICK_SECONDS=1):
 *   - creating waves: admins only (not participants, not scoped admins), every
 *     field's validation, the quota CSV's line in the problem's detail, the seed
 *     turned into its commitment and not kept, 409 for a taken number, reads;
 *   - applying: eligibility checked at once and reported rule by rule in the
 *     request's language, one open application per person (also when two
 *     requests race), staff refused, closed and scheduled waves refused;
 *   - open/close by the admin and by the clock (the background tick closes a
 *     wave whose time ran out and checks its applications again);
 *   - the draw: a wrong or malformed seed, the numbers it reports, the audit
 *     file downloaded and verified by `prakerja draw verify` (exit 0; 1 with a
 *     flipped flag or a wrong seed), the card of the selected, carry-over of the
 *     others to the next wave.
 * People are registered through the API; their verification and a passed test
 * are written into the server's database (either engine) to keep the test short.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "../support.h"
#include "util/utc.h"

static struct harness H;
static char civreg_dir[64], civreg_path[128];

#define SEED "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"
#define WRONG "ff112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"
#define COMMIT_UP "ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789"
#define COMMIT_LO "abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789"

/* The registry knows participants 1..20 as participant() registers them, but
 * number 13, whom it knows under another name. */
static void write_registry(void)
{
    FILE *f = fopen(civreg_path, "w");
    cr_assert_not_null(f);
    fprintf(f, "nik,full_name,birth_date\n");
    for (int n = 1; n <= 20; n++)
        fprintf(f, "350915470895%04d,%s %d,1995-08-07\n", n, n == 13 ? "Orang Lain" : "Peserta",
                n);
    fclose(f);
}

static void start(void)
{
    const char *args[] = {"--civreg", civreg_path, NULL};
    strcpy(civreg_dir, "/tmp/pkwaves-XXXXXX");
    cr_assert_not_null(mkdtemp(civreg_dir));
    snprintf(civreg_path, sizeof civreg_path, "%s/civreg.csv", civreg_dir);
    write_registry();
    setenv("PRAKERJA_TICK_SECONDS", "1", 1);
    cr_assert_eq(harness_start(&H, args), 0, "server did not start");
}

static void stop(void)
{
    char p[160];
    harness_stop(&H);
    unlink(civreg_path);
    snprintf(p, sizeof p, "%s/draw.csv", civreg_dir);   /* left by a failed assertion */
    unlink(p);
    snprintf(p, sizeof p, "%s/flipped.csv", civreg_dir);
    unlink(p);
    rmdir(civreg_dir);
}

TestSuite(waves, .init = start, .fini = stop, .timeout = 150);

static struct harness_json post(const char *path, const char *token, const char *body)
{
    return harness_call(&H, "POST", path, token, NULL, NULL, body);
}

static struct harness_json get(const char *path, const char *token)
{
    return harness_call(&H, "GET", path, token, NULL, NULL, NULL);
}

static int64_t sql_int(const char *sql, const char *param)
{
    return harness_sql_value(&H, sql, param);
}

/* Registers participant n (a woman born 7 Aug 1995 in 35.09.15, NIK and KK
 * serial n) and logs in. ready: verified and a passed basic test. */
static void participant(int n, int ready, char token[65])
{
    char body[1024], email[64];
    struct harness_json r;

    snprintf(email, sizeof email, "peserta%d@example.id", n);
    snprintf(body, sizeof body,
             "{\"email\":\"%s\",\"password\":\"rahasia123\",\"full_name\":\"Peserta %d\","
             "\"nik\":\"350915470895%04d\",\"kk\":\"350915010108%04d\","
             "\"birth_date\":\"1995-08-07\",\"sex\":\"F\",\"phone\":\"08123456%04d\","
             "\"village_code\":\"35.09.15.2001\",\"education\":\"sma\","
             "\"occupation\":\"%s\"}",
             email, n, n, n, n, n % 2 ? "laid_off" : "unemployed");
    r = post("/api/v1/accounts", NULL, body);
    cr_assert_eq(r.status, 201, "register %d: %s", n, r.raw);
    harness_json_free(&r);
    snprintf(body, sizeof body, "{\"email\":\"%s\",\"password\":\"rahasia123\"}", email);
    r = post("/api/v1/sessions", NULL, body);
    cr_assert_eq(r.status, 201, "login %d: %s", n, r.raw);
    snprintf(token, 65, "%s", harness_str(r.json, "token"));
    harness_json_free(&r);
    if (!ready)
        return;
    cr_assert_eq(sql_int("UPDATE accounts SET email_verified_at = 1, phone_verified_at = 1 "
                         "WHERE email = $1 RETURNING 1", email), 1);
    cr_assert_eq(sql_int("INSERT INTO test_attempts (public_id, account_id, scheme_id, day, "
                         "question_ids, started_at, deadline_at, submitted_at, answers, correct, "
                         "total, score, passed) SELECT 'ta-' || public_id, id, (SELECT id FROM "
                         "schemes WHERE code = 'normal-2023'), '2026-01-01', '1', 1, 2, 2, '0', "
                         "18, 20, 90, 1 FROM accounts WHERE email = $1 RETURNING 1", email), 1);
}

/* An admin (a participant made admin in the database, as `prakerja admin create`
 * would make one), optionally scoped. */
static void admin(int n, const char *scope, char token[65])
{
    char sql[256], email[64];
    participant(n, 0, token);
    snprintf(email, sizeof email, "peserta%d@example.id", n);
    snprintf(sql, sizeof sql, "UPDATE accounts SET role = 'admin', scope_code = %s%s%s WHERE "
                              "email = $1 RETURNING 1", scope ? "'" : "", scope ? scope : "NULL",
             scope ? "'" : "");
    cr_assert_eq(sql_int(sql, email), 1);
}

/* A wave body: number, opening and closing times relative to now. */
static char *wave_body(int number, long open_in, long close_in, const char *extra)
{
    char o[32], c[32], *s;
    int64_t now = (int64_t)time(NULL);
    utc_format(now + open_in, o, sizeof o);
    utc_format(now + close_in, c, sizeof c);
    cr_assert_neq(asprintf(&s, "{\"number\":%d,\"scheme\":\"normal-2023\",\"opens_at\":\"%s\","
                               "\"closes_at\":\"%s\",\"total_quota\":2,\"quota_mode\":\"csv\","
                               "\"quotas_csv\":\"regency_code,quota\\n35.09,2\\n\","
                               "\"seed\":\"" SEED "\"%s}",
                          number, o, c, extra ? extra : ""), -1);
    return s;
}

static void create_wave(const char *token, int number, long open_in, long close_in)
{
    char *b = wave_body(number, open_in, close_in, NULL);
    struct harness_json r = post("/api/v1/waves", token, b);
    cr_assert_eq(r.status, 201, "create %d: %s", number, r.raw);
    harness_json_free(&r);
    free(b);
}

/* POSTs body with one field replaced (a JSON value) and expects 400 with code
 * on field. */
static void bad_field(const char *token, const char *key, const char *value, const char *field,
                      const char *code)
{
    char *b = wave_body(3, 60, 3600, NULL);
    json_t *o = json_loads(b, 0, NULL), *v = value ? json_loads(value, JSON_DECODE_ANY, NULL)
                                                   : NULL;
    free(b);
    cr_assert_not_null(o);
    if (v)
        json_object_set_new(o, key, v);
    else
        json_object_del(o, key);
    b = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    struct harness_json r = post("/api/v1/waves", token, b);
    cr_assert_eq(r.status, 400, "%s=%s: %ld %s", key, value, r.status, r.raw);
    cr_assert(harness_has_error(&r, field, code), "%s=%s: want %s %s in %s", key, value, field,
              code, r.raw);
    harness_json_free(&r);
    free(b);
}

Test(waves, create_is_for_admins_and_checks_every_field)
{
    char adm[65], scoped[65], part[65], *b;
    struct harness_json r;

    admin(1, NULL, adm);
    admin(2, "35", scoped);
    participant(3, 1, part);
    b = wave_body(1, 60, 3600, NULL);
    r = post("/api/v1/waves", NULL, b);
    cr_assert_eq(r.status, 401);
    harness_json_free(&r);
    r = post("/api/v1/waves", part, b);
    cr_assert_eq(r.status, 403);
    cr_assert_str_eq(harness_code(&r), "auth.forbidden");
    harness_json_free(&r);
    r = post("/api/v1/waves", scoped, b);
    cr_assert_eq(r.status, 403, "a wave is national: a provincial admin cannot make one");
    harness_json_free(&r);

    bad_field(adm, "number", NULL, "number", "field.required");
    bad_field(adm, "number", "0", "number", "wave.number_invalid");
    bad_field(adm, "number", "\"1\"", "number", "field.wrong_type");
    bad_field(adm, "scheme", "\"no-such\"", "scheme", "scheme.unknown");
    bad_field(adm, "scheme", NULL, "scheme", "field.required");
    bad_field(adm, "opens_at", "\"2026-12-01\"", "opens_at", "wave.time_invalid");
    bad_field(adm, "closes_at", "\"2001-01-01T00:00:00Z\"", "closes_at",
              "wave.closes_before_opens");
    bad_field(adm, "total_quota", "-1", "total_quota", "wave.quota_invalid");
    bad_field(adm, "total_quota", "1.5", "total_quota", "field.wrong_type");
    bad_field(adm, "quota_mode", "\"lottery\"", "quota_mode", "wave.quota_mode_invalid");
    bad_field(adm, "quota_floor", "3", "quota_floor", "wave.floor_invalid");
    bad_field(adm, "spill_rule", "\"province\"", "spill_rule", "wave.spill_rule_invalid");
    bad_field(adm, "seed", "\"abcd\"", "seed", "wave.seed_invalid");
    bad_field(adm, "seed", NULL, "seed_commitment", "field.required");
    bad_field(adm, "seed_commitment", "\"" WRONG "\"", "seed_commitment",
              "wave.seed_or_commitment");
    bad_field(adm, "refill", "\"yes\"", "refill", "field.wrong_type");
    bad_field(adm, "quotas_csv", NULL, "quotas_csv", "field.required");
    bad_field(adm, "quotas_csv", "\"35.09,1\\n35.09,1\\n\"", "quotas_csv",
              "wave.quotas_duplicate");
    bad_field(adm, "quotas_csv", "\"35.09,1\\n\"", "quotas_csv", "wave.quotas_sum");
    bad_field(adm, "quotas_csv", "\"35.09,1\\n35.x,1\\n\"", "quotas_csv", "wave.quotas_line");
    bad_field(adm, "quota_mode", "\"proportional\"", "quotas_csv", "wave.quotas_not_csv");
    /* the line of a bad CSV is named in the detail */
    {
        char *bb = wave_body(3, 60, 3600, NULL);
        json_t *o = json_loads(bb, 0, NULL);
        json_object_set_new(o, "quotas_csv", json_string("regency_code,quota\n35.09,1\n99.99,1\n"));
        free(bb);
        bb = json_dumps(o, JSON_COMPACT);
        json_decref(o);
        r = harness_call(&H, "POST", "/api/v1/waves", adm, "en", NULL, bb);
        cr_assert_eq(r.status, 400);
        cr_assert(harness_has_error(&r, "quotas_csv", "wave.quotas_unknown_regency"), "%s", r.raw);
        cr_assert_not_null(strstr(harness_str(r.json, "detail"), "line 3"), "%s", r.raw);
        cr_assert_str_eq(r.ctype, "application/problem+json");
        harness_json_free(&r);
        free(bb);
    }
    cr_assert_eq(sql_int("SELECT COUNT(*) FROM waves", NULL), 0, "nothing written by bad input");

    r = post("/api/v1/waves", adm, b);
    cr_assert_eq(r.status, 201, "%s", r.raw);
    cr_assert_str_eq(r.location, "/api/v1/waves/1");
    cr_assert_eq(json_integer_value(json_object_get(r.json, "number")), 1);
    cr_assert_str_eq(harness_str(r.json, "status"), "scheduled");
    cr_assert_str_eq(harness_str(r.json, "quota_mode"), "csv");
    cr_assert_str_eq(harness_str(r.json, "spill_rule"), "regency_province_nation");
    cr_assert_null(json_object_get(r.json, "seed"), "the seed is not shown before the draw");
    {
        unsigned char raw[32], h[32];
        char hex[65];
        sodium_hex2bin(raw, 32, SEED, 64, NULL, NULL, NULL);
        crypto_hash_sha256(h, raw, 32);
        sodium_bin2hex(hex, sizeof hex, h, 32);
        cr_assert_str_eq(harness_str(r.json, "seed_commitment"), hex);
    }
    cr_assert_eq(json_integer_value(json_object_get(json_object_get(r.json, "counts"),
                                                    "applications")), 0);
    harness_json_free(&r);
    cr_assert_eq(sql_int("SELECT COUNT(*) FROM waves WHERE seed IS NOT NULL", NULL), 0,
                 "the server does not keep the seed");
    r = post("/api/v1/waves", adm, b);
    cr_assert_eq(r.status, 409);
    cr_assert_str_eq(harness_code(&r), "wave.number_taken");
    harness_json_free(&r);
    free(b);
    /* a commitment instead of a seed, upper-case hex accepted and stored lower */
    b = wave_body(2, 60, 3600, NULL);
    {
        json_t *o = json_loads(b, 0, NULL);
        json_object_del(o, "seed");
        json_object_set_new(o, "seed_commitment", json_string(COMMIT_UP));
        free(b);
        b = json_dumps(o, JSON_COMPACT);
        json_decref(o);
    }
    r = post("/api/v1/waves", adm, b);
    cr_assert_eq(r.status, 201, "%s", r.raw);
    cr_assert_str_eq(harness_str(r.json, "seed_commitment"), COMMIT_LO);
    harness_json_free(&r);
    free(b);

    r = get("/api/v1/waves", NULL);
    cr_assert_eq(r.status, 200);
    json_t *items = json_object_get(r.json, "items");
    cr_assert_eq(json_array_size(items), 2);
    cr_assert_eq(json_integer_value(json_object_get(json_array_get(items, 0), "number")), 2,
                 "newest number first");
    harness_json_free(&r);
    r = get("/api/v1/waves/1", NULL);
    cr_assert_eq(r.status, 200);
    cr_assert_str_eq(harness_str(r.json, "opens_at"), harness_str(r.json, "opens_at"));
    cr_assert_eq(strlen(harness_str(r.json, "opens_at")), 20);
    harness_json_free(&r);
    const char *missing[] = {"/api/v1/waves/9", "/api/v1/waves/abc", "/api/v1/waves/0",
                             "/api/v1/waves/99999999999"};
    for (int i = 0; i < 4; i++) {
        r = get(missing[i], NULL);
        cr_assert_eq(r.status, 404, "%s", missing[i]);
        cr_assert_str_eq(harness_code(&r), "wave.not_found");
        harness_json_free(&r);
    }
}

static int rule_failed(json_t *app, const char *rule, const char *reason)
{
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(app, "eligibility"), i, e) {
        if (strcmp(harness_str(e, "rule"), rule) == 0)
            return json_is_false(json_object_get(e, "passed")) &&
                   strcmp(harness_str(e, "reason"), reason) == 0;
    }
    return 0;
}

struct race {
    const char *token;
    const char *path;
    long status;
};

static void *apply_thread(void *arg)
{
    struct race *c = arg;
    struct harness_json r = post(c->path, c->token, NULL);
    c->status = r.status;
    harness_json_free(&r);
    return NULL;
}

static int run_verify(const char *file, const char *seed)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "'%s' draw verify '%s' --seed %s 2>/dev/null", getenv("PRAKERJA_BIN"),
             file, seed);
    return test_run(cmd, NULL, 0);
}

Test(waves, apply_draw_audit_file_card_and_carry_over)
{
    char adm[65], p[6][65], staff[65], path[128];
    struct harness_json r;

    admin(1, NULL, adm);
    for (int i = 2; i <= 5; i++)
        participant(10 + i, i != 5, p[i]);  /* 15 has no test; 13 mismatches the registry */
    admin(6, "35", staff);
    create_wave(adm, 1, -60, 3600);
    create_wave(adm, 2, -60, 3600);
    create_wave(adm, 3, 86400, 2 * 86400);

    /* participant 12: eligible, laid off -> tier 0 */
    r = post("/api/v1/waves/1/applications", p[2], NULL);
    cr_assert_eq(r.status, 201, "%s", r.raw);
    cr_assert_str_eq(harness_str(r.json, "status"), "eligible");
    cr_assert_eq(json_integer_value(json_object_get(r.json, "wave")), 1);
    cr_assert_str_eq(harness_str(r.json, "regency_code"), "35.09");
    cr_assert_eq(json_array_size(json_object_get(r.json, "eligibility")), 10);
    cr_assert_eq(strlen(harness_str(r.json, "application_id")), 26);
    cr_assert_eq(strlen(harness_str(r.json, "checked_at")), 20);
    cr_assert_null(json_object_get(r.json, "stage"));
    harness_json_free(&r);
    r = post("/api/v1/waves/2/applications", p[2], "{}");
    cr_assert_eq(r.status, 409, "one open application, in any wave");
    cr_assert_str_eq(harness_code(&r), "application.already_open");
    harness_json_free(&r);

    /* 13: the registry knows another name -> ineligible, the reason in English */
    r = harness_call(&H, "POST", "/api/v1/waves/1/applications", p[3], "en", NULL, NULL);
    cr_assert_eq(r.status, 201, "%s", r.raw);
    cr_assert_str_eq(harness_str(r.json, "status"), "ineligible");
    cr_assert(rule_failed(r.json, "civil_registry", "elig.civreg_name_mismatch"), "%s", r.raw);
    {
        size_t i;
        json_t *e;
        json_array_foreach(json_object_get(r.json, "eligibility"), i, e) {
            if (strcmp(harness_str(e, "rule"), "civil_registry") == 0)
                cr_assert_str_eq(harness_str(e, "message"),
                                 "Your name does not match the civil registry.");
            else
                cr_assert(json_is_null(json_object_get(e, "message")));
        }
    }
    harness_json_free(&r);
    /* 15: no test, Indonesian by default */
    r = post("/api/v1/waves/1/applications", p[5], NULL);
    cr_assert_eq(r.status, 201);
    cr_assert(rule_failed(r.json, "test", "elig.test_not_passed"));
    cr_assert(rule_failed(r.json, "verified", "elig.not_verified"));
    harness_json_free(&r);

    /* 14 races itself into two waves: exactly one wins */
    struct race ra = {p[4], "/api/v1/waves/1/applications", 0},
                rb = {p[4], "/api/v1/waves/2/applications", 0};
    pthread_t ta, tb;
    pthread_create(&ta, NULL, apply_thread, &ra);
    pthread_create(&tb, NULL, apply_thread, &rb);
    pthread_join(ta, NULL);
    pthread_join(tb, NULL);
    cr_assert((ra.status == 201 && rb.status == 409) || (ra.status == 409 && rb.status == 201),
              "%ld %ld", ra.status, rb.status);
    cr_assert_eq(sql_int("SELECT COUNT(*) FROM applications WHERE account_id = (SELECT id FROM "
                         "accounts WHERE email = 'peserta14@example.id')", NULL), 1);
    if (rb.status == 201) {  /* keep the scenario: 14 in wave 1 */
        cr_assert_eq(sql_int("UPDATE applications SET wave_id = (SELECT id FROM waves WHERE "
                             "number = 1) WHERE account_id = (SELECT id FROM accounts WHERE "
                             "email = 'peserta14@example.id') RETURNING 1", NULL), 1);
    }

    /* refusals */
    r = post("/api/v1/waves/1/applications", staff, NULL);
    cr_assert_eq(r.status, 403);
    harness_json_free(&r);
    r = post("/api/v1/waves/3/applications", adm, NULL);
    cr_assert_eq(r.status, 403, "staff cannot apply");
    harness_json_free(&r);
    r = post("/api/v1/waves/1/applications", NULL, NULL);
    cr_assert_eq(r.status, 401);
    harness_json_free(&r);
    r = post("/api/v1/waves/9/applications", p[2], NULL);
    cr_assert_eq(r.status, 404);
    cr_assert_str_eq(harness_code(&r), "wave.not_found");
    harness_json_free(&r);
    r = post("/api/v1/waves/1/applications", p[2], "[1]");
    cr_assert_eq(r.status, 400, "a body must be an object");
    harness_json_free(&r);
    {
        char t16[65];
        participant(16, 1, t16);
        r = post("/api/v1/waves/3/applications", t16, NULL);
        cr_assert_eq(r.status, 409);
        cr_assert_str_eq(harness_code(&r), "wave.not_open");
        harness_json_free(&r);
    }

    r = get("/api/v1/me/applications", p[3]);
    cr_assert_eq(r.status, 200);
    cr_assert_eq(json_array_size(json_object_get(r.json, "items")), 1);
    harness_json_free(&r);
    r = get("/api/v1/waves/1", NULL);
    json_t *counts = json_object_get(r.json, "counts");
    cr_assert_eq(json_integer_value(json_object_get(counts, "applications")), 4);
    cr_assert_eq(json_integer_value(json_object_get(counts, "eligible")), 2);
    cr_assert_eq(json_integer_value(json_object_get(counts, "ineligible")), 2);
    harness_json_free(&r);

    /* the draw */
    r = get("/api/v1/waves/1/draw", NULL);
    cr_assert_eq(r.status, 409);
    cr_assert_str_eq(harness_code(&r), "wave.not_drawn");
    harness_json_free(&r);
    r = post("/api/v1/waves/1/draw", p[2], "{\"seed\":\"" SEED "\"}");
    cr_assert_eq(r.status, 403);
    harness_json_free(&r);
    r = post("/api/v1/waves/1/draw", adm, "{\"seed\":\"zz\"}");
    cr_assert_eq(r.status, 400);
    cr_assert(harness_has_error(&r, "seed", "wave.seed_invalid"));
    harness_json_free(&r);
    r = post("/api/v1/waves/1/draw", adm, "{}");
    cr_assert_eq(r.status, 400);
    cr_assert(harness_has_error(&r, "seed", "field.required"));
    harness_json_free(&r);
    r = post("/api/v1/waves/1/draw", adm, "{\"seed\":\"" WRONG "\"}");
    cr_assert_eq(r.status, 400);
    cr_assert_str_eq(harness_code(&r), "wave.seed_mismatch");
    harness_json_free(&r);
    r = post("/api/v1/waves/3/draw", adm, "{\"seed\":\"" SEED "\"}");
    cr_assert_eq(r.status, 409, "a scheduled wave cannot be drawn");
    cr_assert_str_eq(harness_code(&r), "wave.bad_state");
    harness_json_free(&r);
    r = get("/api/v1/waves/1", NULL);
    cr_assert_str_eq(harness_str(r.json, "status"), "open");
    harness_json_free(&r);

    r = post("/api/v1/waves/1/draw", adm, "{\"seed\":\"" SEED "\"}");
    cr_assert_eq(r.status, 200, "%s", r.raw);
    cr_assert_str_eq(harness_str(r.json, "status"), "drawn");
    cr_assert_str_eq(harness_str(r.json, "seed"), SEED);
    json_t *dr = json_object_get(r.json, "draw");
    cr_assert_eq(json_integer_value(json_object_get(dr, "eligible")), 2);
    cr_assert_eq(json_integer_value(json_object_get(dr, "seats")), 2);
    cr_assert_eq(json_integer_value(json_object_get(dr, "selected")), 2);
    cr_assert_eq(json_integer_value(json_object_get(dr, "selected_regency")), 2);
    cr_assert_eq(json_integer_value(json_object_get(dr, "unfilled")), 0);
    harness_json_free(&r);
    r = post("/api/v1/waves/1/draw", adm, "{\"seed\":\"" SEED "\"}");
    cr_assert_eq(r.status, 409);
    cr_assert_str_eq(harness_code(&r), "wave.already_drawn");
    harness_json_free(&r);
    r = post("/api/v1/waves/1/close", adm, NULL);
    cr_assert_eq(r.status, 409);
    cr_assert_str_eq(harness_code(&r), "wave.bad_state");
    harness_json_free(&r);

    /* the audit file, verified by the CLI */
    r = get("/api/v1/waves/1/draw", NULL);
    cr_assert_eq(r.status, 200);
    cr_assert_str_eq(r.ctype, "text/csv; charset=utf-8");
    cr_assert_str_eq(r.disp, "attachment; filename=\"wave-1-draw.csv\"");
    cr_assert_not_null(strstr(r.raw, "#end,2\n"));
    char file[300], flipped[300];
    snprintf(file, sizeof file, "%s/draw.csv", civreg_dir);
    snprintf(flipped, sizeof flipped, "%s/flipped.csv", civreg_dir);
    FILE *f = fopen(file, "w");
    fwrite(r.raw, 1, r.len, f);
    fclose(f);
    char *sel = strstr(r.raw, ",1,regency\n");
    cr_assert_not_null(sel);
    f = fopen(flipped, "w");
    fwrite(r.raw, 1, (size_t)(sel - r.raw), f);
    fputs(",0,none\n", f);
    fputs(sel + strlen(",1,regency\n"), f);
    fclose(f);
    harness_json_free(&r);
    cr_assert_eq(run_verify(file, SEED), 0, "draw verify accepts the published file");
    cr_assert_eq(run_verify(flipped, SEED), 1, "a flipped flag is caught");
    cr_assert_eq(run_verify(file, WRONG), 1, "a wrong seed is caught");
    unlink(file);
    unlink(flipped);

    /* cards: 12 and 14 were the eligible ones and both got a seat */
    r = get("/api/v1/me/card", p[2]);
    cr_assert_eq(r.status, 200, "%s", r.raw);
    const char *card = harness_str(r.json, "card_number");
    cr_assert_eq(strlen(card), 16);
    cr_assert_eq(strncmp(card, "9360", 4), 0);
    cr_assert_str_eq(harness_str(r.json, "status"), "active");
    cr_assert_eq(json_integer_value(json_object_get(r.json, "balance")), 3500000);
    cr_assert_eq(json_integer_value(json_object_get(r.json, "training_balance")), 3500000);
    cr_assert_eq(json_integer_value(json_object_get(r.json, "wave")), 1);
    cr_assert_str_eq(harness_str(r.json, "scheme"), "normal-2023");
    cr_assert_eq(strlen(harness_str(r.json, "purchase_deadline")), 20);
    cr_assert_null(json_object_get(r.json, "revoked_at"));
    harness_json_free(&r);
    r = get("/api/v1/me/card", p[3]);
    cr_assert_eq(r.status, 404);
    cr_assert_str_eq(harness_code(&r), "card.not_found");
    harness_json_free(&r);
    r = get("/api/v1/me/applications", p[2]);
    json_t *mine = json_array_get(json_object_get(r.json, "items"), 0);
    cr_assert_str_eq(harness_str(mine, "status"), "selected");
    cr_assert_str_eq(harness_str(mine, "stage"), "regency");
    char won[32];
    snprintf(won, sizeof won, "%s", harness_str(mine, "application_id"));
    harness_json_free(&r);
    cr_assert_eq(sql_int("UPDATE beneficiaries SET status = 'revoked', revoked_at = 5, "
                         "returned_balance = balance, balance = 0 WHERE account_id = (SELECT id "
                         "FROM accounts WHERE email = 'peserta14@example.id') RETURNING 1", NULL),
                 1);
    r = get("/api/v1/me/card", p[4]);
    cr_assert_eq(r.status, 200);
    cr_assert_str_eq(harness_str(r.json, "status"), "revoked");
    cr_assert_str_eq(harness_str(r.json, "revoked_at"), "1970-01-01T00:00:05Z");
    cr_assert_eq(json_integer_value(json_object_get(r.json, "balance")), 0);
    harness_json_free(&r);

    /* carry-over: nobody is not_selected here, so make 13's a loser by hand */
    cr_assert_eq(sql_int("UPDATE applications SET status = 'not_selected' WHERE account_id = "
                         "(SELECT id FROM accounts WHERE email = 'peserta13@example.id') "
                         "RETURNING 1", NULL), 1);
    r = get("/api/v1/me/applications", p[3]);
    char lost[32];
    snprintf(lost, sizeof lost, "%s",
             harness_str(json_array_get(json_object_get(r.json, "items"), 0), "application_id"));
    harness_json_free(&r);
    snprintf(path, sizeof path, "/api/v1/me/applications/%s/carry-over", won);
    r = post(path, p[2], NULL);
    cr_assert_eq(r.status, 409);
    cr_assert_str_eq(harness_code(&r), "application.not_carryable");
    harness_json_free(&r);
    snprintf(path, sizeof path, "/api/v1/me/applications/%s/carry-over", lost);
    r = post(path, p[2], NULL);
    cr_assert_eq(r.status, 404, "another person's application");
    cr_assert_str_eq(harness_code(&r), "application.not_found");
    harness_json_free(&r);
    r = post("/api/v1/me/applications/abc/carry-over", p[3], NULL);
    cr_assert_eq(r.status, 404);
    harness_json_free(&r);
    r = post(path, p[3], NULL);
    cr_assert_eq(r.status, 201, "%s", r.raw);
    cr_assert_eq(json_integer_value(json_object_get(r.json, "wave")), 2,
                 "the lowest later wave that is open or scheduled");
    harness_json_free(&r);
    r = post(path, p[3], NULL);
    cr_assert_eq(r.status, 409);
    cr_assert_str_eq(harness_code(&r), "application.not_carryable");
    harness_json_free(&r);
    r = get("/api/v1/me/applications", p[3]);
    json_t *items = json_object_get(r.json, "items");
    cr_assert_eq(json_array_size(items), 2);
    cr_assert_eq(json_integer_value(json_object_get(json_array_get(items, 0), "wave")), 2);
    cr_assert_str_eq(harness_str(json_array_get(items, 1), "status"), "carried_over");
    harness_json_free(&r);
}

Test(waves, open_close_by_admin_and_by_the_clock)
{
    char adm[65], part[65];
    struct harness_json r;

    admin(1, NULL, adm);
    participant(12, 1, part);
    create_wave(adm, 1, 86400, 2 * 86400);
    r = post("/api/v1/waves/1/close", adm, NULL);
    cr_assert_eq(r.status, 409, "a scheduled wave cannot close");
    harness_json_free(&r);
    r = post("/api/v1/waves/1/open", part, NULL);
    cr_assert_eq(r.status, 403);
    harness_json_free(&r);
    r = post("/api/v1/waves/1/open", adm, NULL);
    cr_assert_eq(r.status, 200, "%s", r.raw);
    cr_assert_str_eq(harness_str(r.json, "status"), "open");
    harness_json_free(&r);
    r = post("/api/v1/waves/1/open", adm, NULL);
    cr_assert_eq(r.status, 409);
    cr_assert_str_eq(harness_code(&r), "wave.bad_state");
    harness_json_free(&r);
    r = post("/api/v1/waves/1/applications", part, NULL);
    cr_assert_eq(r.status, 201);
    harness_json_free(&r);
    r = post("/api/v1/waves/1/close", adm, NULL);
    cr_assert_eq(r.status, 200);
    cr_assert_str_eq(harness_str(r.json, "status"), "closed");
    harness_json_free(&r);
    r = post("/api/v1/waves/9/open", adm, NULL);
    cr_assert_eq(r.status, 404);
    harness_json_free(&r);

    /* the clock: a wave that closes in 2 s is closed by the background tick, and
       its applications are checked again (checked_at moves) */
    char t2[65];
    participant(14, 1, t2);
    create_wave(adm, 2, -60, 2);
    r = post("/api/v1/waves/2/applications", t2, NULL);
    cr_assert_eq(r.status, 201, "%s", r.raw);
    harness_json_free(&r);
    int64_t first = sql_int("SELECT checked_at FROM applications WHERE wave_id = (SELECT id "
                            "FROM waves WHERE number = 2)", NULL);
    int64_t stored = 0;
    for (int i = 0; i < 100 && stored != 1; i++) {
        usleep(100000);
        stored = sql_int("SELECT COUNT(*) FROM waves WHERE number = 2 AND status = 'closed'",
                         NULL);
    }
    cr_assert_eq(stored, 1, "the tick closed the wave");
    cr_assert_geq(sql_int("SELECT checked_at FROM applications WHERE wave_id = (SELECT id FROM "
                          "waves WHERE number = 2)", NULL), first);
    cr_assert_eq(sql_int("SELECT COUNT(*) FROM audit_log WHERE action = 'wave.close' AND "
                         "actor = 'system'", NULL), 1);
    r = get("/api/v1/waves/2", NULL);
    cr_assert_str_eq(harness_str(r.json, "status"), "closed");
    harness_json_free(&r);
}
