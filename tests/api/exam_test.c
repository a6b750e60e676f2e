/*
 * API tests of schemes and the basic test (src/api/schemes.c, src/api/exam.c)
 * against the real server started by the harness: the scheme reads; starting an
 * attempt (balanced questions in both languages, the answer key never sent, the
 * server's deadline, the default and a named scheme, staff refused); scoring on
 * the server; one attempt per day; a late submit recorded with score 0; double
 * and concurrent submits; another person's attempt; bad bodies that change
 * nothing; /me/test; English and Indonesian messages. Answer keys and deadlines
 * are read and moved through the server's database (either engine) as an
 * operator could, never through the API.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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

TestSuite(exam, .init = start, .fini = stop, .timeout = 120);

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

/* Registers participant n (a woman born 7 Aug 1995 in 35.09.15, NIK serial n)
 * and logs in; the token goes into token[65]. */
static void participant(int n, char token[65])
{
    char body[1024];
    struct harness_json r;

    snprintf(body, sizeof body,
             "{\"email\":\"peserta%d@example.id\",\"password\":\"rahasia123\","
             "\"full_name\":\"Peserta %d\",\"nik\":\"350915470895%04d\","
             "\"kk\":\"3509150101080003\",\"birth_date\":\"1995-08-07\",\"sex\":\"F\","
             "\"phone\":\"08123456%04d\",\"village_code\":\"35.09.15.2001\","
             "\"education\":\"sma\",\"occupation\":\"unemployed\"}",
             n, n, n, n);
    r = post("/api/v1/accounts", NULL, body);
    cr_assert_eq(r.status, 201, "register %d: %s", n, r.raw);
    harness_json_free(&r);
    snprintf(body, sizeof body, "{\"email\":\"peserta%d@example.id\",\"password\":\"rahasia123\"}",
             n);
    r = post("/api/v1/sessions", NULL, body);
    cr_assert_eq(r.status, 201, "login %d: %s", n, r.raw);
    snprintf(token, 65, "%s", harness_str(r.json, "token"));
    harness_json_free(&r);
}

/* Starts an attempt (body may be NULL); asserts 201 and returns the reply. */
static struct harness_json start_attempt(const char *token, const char *body)
{
    struct harness_json r = post("/api/v1/test/attempts", token, body);
    cr_assert_eq(r.status, 201, "start: %ld %s", r.status, r.raw);
    return r;
}

/* Answers for the attempt in r with exactly `right` correct answers (the rest
 * wrong, the last one null when any are wrong), as a JSON body. */
static char *answers_body(json_t *attempt, int right)
{
    json_t *qs = json_object_get(attempt, "questions"), *q, *arr = json_array(), *b;
    size_t i;
    char sql[128], *s;

    json_array_foreach(qs, i, q) {
        int64_t key;
        snprintf(sql, sizeof sql, "SELECT answer FROM test_questions WHERE id = %lld",
                 (long long)json_integer_value(json_object_get(q, "id")));
        key = sql_int(sql, NULL);
        cr_assert(key >= 0 && key < 4);
        if ((int)i < right)
            json_array_append_new(arr, json_integer(key));
        else if (i + 1 == json_array_size(qs))
            json_array_append_new(arr, json_null());
        else
            json_array_append_new(arr, json_integer((key + 1) % 4));
    }
    b = json_pack("{s:o}", "answers", arr);
    s = json_dumps(b, JSON_COMPACT);
    json_decref(b);
    return s;
}

static struct harness_json submit(const char *token, const char *attempt_id, const char *body)
{
    char path[128];

    snprintf(path, sizeof path, "/api/v1/test/attempts/%s/submit", attempt_id);
    return post(path, token, body);
}

Test(exam, schemes_list_and_get)
{
    struct harness_json r = get("/api/v1/schemes", NULL);
    json_t *items, *s, *tiers;

    cr_assert_eq(r.status, 200, "%s", r.raw);
    items = json_object_get(r.json, "items");
    cr_assert_eq(json_array_size(items), 2);
    cr_assert_str_eq(harness_str(json_array_get(items, 0), "code"), "semi-bansos-2020");
    cr_assert_str_eq(harness_str(json_array_get(items, 1), "code"), "normal-2023");
    harness_json_free(&r);

    r = get("/api/v1/schemes/normal-2023", NULL);
    cr_assert_eq(r.status, 200);
    s = r.json;
    cr_assert_str_eq(harness_str(s, "name"), "Normal 2023+");
    cr_assert_eq(json_integer_value(json_object_get(s, "training_balance")), 3500000);
    cr_assert_eq(json_integer_value(json_object_get(s, "incentive_amount")), 600000);
    cr_assert_eq(json_integer_value(json_object_get(s, "incentive_count")), 1);
    cr_assert_eq(json_integer_value(json_object_get(s, "survey_amount")), 50000);
    cr_assert_eq(json_integer_value(json_object_get(s, "survey_count")), 2);
    cr_assert_eq(json_integer_value(json_object_get(s, "purchase_deadline_days")), 15);
    cr_assert_eq(json_integer_value(json_object_get(s, "age_min")), 18);
    cr_assert_eq(json_integer_value(json_object_get(s, "age_max")), 64);
    cr_assert(json_is_false(json_object_get(s, "exclude_aid")));
    cr_assert(json_is_true(json_object_get(s, "exclude_students")));
    cr_assert_eq(json_integer_value(json_object_get(s, "max_per_kk")), 2);
    cr_assert_eq(json_integer_value(json_object_get(s, "min_course_hours")), 15);
    cr_assert_eq(json_array_size(json_object_get(s, "excluded_occupations")), 5);
    cr_assert_str_eq(json_string_value(json_array_get(json_object_get(s, "excluded_occupations"),
                                                      0)), "civil_servant");
    tiers = json_object_get(s, "priority_tiers");
    cr_assert_eq(json_array_size(tiers), 2);
    cr_assert_str_eq(json_string_value(json_array_get(json_array_get(tiers, 0), 0)), "laid_off");
    cr_assert_str_eq(json_string_value(json_array_get(json_array_get(tiers, 1), 0)),
                     "unemployed");
    cr_assert_eq(json_integer_value(json_object_get(s, "test_questions")), 20);
    cr_assert_eq(json_integer_value(json_object_get(s, "test_minutes")), 30);
    cr_assert_eq(json_integer_value(json_object_get(s, "test_pass_mark")), 60);
    cr_assert_null(json_object_get(s, "id"), "the row id stays inside");
    harness_json_free(&r);

    r = get("/api/v1/schemes/semi-bansos-2020", NULL);
    tiers = json_object_get(r.json, "priority_tiers");
    cr_assert_eq(json_array_size(json_array_get(tiers, 1)), 2, "unemployed,informal_worker");
    cr_assert(json_is_true(json_object_get(r.json, "exclude_aid")));
    harness_json_free(&r);

    r = harness_call(&H, "GET", "/api/v1/schemes/nope", NULL, "en", NULL, NULL);
    cr_assert_eq(r.status, 404);
    cr_assert_str_eq(harness_code(&r), "scheme.not_found");
    cr_assert_str_eq(harness_str(r.json, "title"), "No scheme has this code.");
    harness_json_free(&r);
    r = harness_call(&H, "GET", "/api/v1/schemes/NORMAL%27--", NULL, "id", NULL, NULL);
    cr_assert_eq(r.status, 404);
    cr_assert_str_eq(harness_str(r.json, "title"), "Tidak ada skema dengan kode ini.");
    harness_json_free(&r);
}

Test(exam, start_hides_the_key_and_submit_scores_on_the_server)
{
    char token[65], id[32];
    struct harness_json r, s;
    json_t *qs, *q;
    size_t i;
    int per[3] = {0};
    char *body;
    time_t before = time(NULL);

    participant(1, token);
    r = start_attempt(token, NULL);
    cr_assert_str_eq(harness_str(r.json, "scheme"), "normal-2023",
                     "no open wave: the newest scheme");
    snprintf(id, sizeof id, "%s", harness_str(r.json, "attempt_id"));
    cr_assert_eq(strlen(id), 26);
    cr_assert_null(strstr(r.raw, "\"answer"), "the answer key never reaches the client");
    cr_assert_null(strstr(r.raw, "\"key\""));
    qs = json_object_get(r.json, "questions");
    cr_assert_eq(json_array_size(qs), 20);
    json_array_foreach(qs, i, q) {
        const char *cat = harness_str(q, "category");
        json_t *oid = json_object_get(json_object_get(q, "options"), "id");
        json_t *oen = json_object_get(json_object_get(q, "options"), "en");
        cr_assert(json_is_integer(json_object_get(q, "id")));
        cr_assert_eq(json_object_size(q), 4, "id, category, text, options only");
        per[strcmp(cat, "motivation") == 0 ? 0 : strcmp(cat, "verbal") == 0 ? 1 : 2]++;
        cr_assert(strcmp(cat, "motivation") == 0 || strcmp(cat, "verbal") == 0 ||
                  strcmp(cat, "quantitative") == 0, "%s", cat);
        cr_assert_gt(strlen(harness_str(json_object_get(q, "text"), "id")), 5);
        cr_assert_gt(strlen(harness_str(json_object_get(q, "text"), "en")), 5);
        cr_assert_eq(json_array_size(oid), 4);
        cr_assert_eq(json_array_size(oen), 4);
        for (size_t j = 0; j < i; j++)
            cr_assert_neq(json_integer_value(json_object_get(json_array_get(qs, j), "id")),
                          json_integer_value(json_object_get(q, "id")), "a repeated question");
    }
    cr_assert_eq(per[0], 7);
    cr_assert_eq(per[1], 7);
    cr_assert_eq(per[2], 6);
    /* the deadline is the server's: started_at + 30 minutes */
    cr_assert_eq(sql_int("SELECT deadline_at - started_at FROM test_attempts WHERE public_id = $1",
                         id), 1800);
    cr_assert_geq(sql_int("SELECT started_at FROM test_attempts WHERE public_id = $1", id),
                  (int64_t)before);
    cr_assert_eq(strlen(harness_str(r.json, "deadline_at")), 20);

    body = answers_body(r.json, 12);
    s = submit(token, id, body);
    cr_assert_eq(s.status, 200, "%s", s.raw);
    cr_assert_eq(json_integer_value(json_object_get(s.json, "correct")), 12);
    cr_assert_eq(json_integer_value(json_object_get(s.json, "total")), 20);
    cr_assert_eq(json_integer_value(json_object_get(s.json, "score")), 60);
    cr_assert_eq(json_integer_value(json_object_get(s.json, "pass_mark")), 60);
    cr_assert(json_is_true(json_object_get(s.json, "passed")));
    harness_json_free(&s);
    cr_assert_eq(sql_int("SELECT score FROM test_attempts WHERE public_id = $1", id), 60);

    s = submit(token, id, body);
    cr_assert_eq(s.status, 409);
    cr_assert_str_eq(harness_code(&s), "test.already_submitted");
    harness_json_free(&s);
    free(body);

    s = get("/api/v1/me/test", token);
    cr_assert_eq(s.status, 200);
    cr_assert(json_is_true(json_object_get(s.json, "passed")));
    cr_assert(json_is_false(json_object_get(s.json, "can_start")), "one attempt a day");
    q = json_array_get(json_object_get(s.json, "attempts"), 0);
    cr_assert_str_eq(harness_str(q, "attempt_id"), id);
    cr_assert_str_eq(harness_str(q, "scheme"), "normal-2023");
    cr_assert_eq(json_integer_value(json_object_get(q, "score")), 60);
    cr_assert(json_is_true(json_object_get(q, "passed")));
    cr_assert_eq(strlen(harness_str(q, "submitted_at")), 20);
    harness_json_free(&s);
    harness_json_free(&r);
}

Test(exam, one_attempt_a_day_in_both_languages)
{
    char token[65];
    struct harness_json r;

    participant(2, token);
    r = get("/api/v1/me/test", token);
    cr_assert(json_is_true(json_object_get(r.json, "can_start")));
    cr_assert(json_is_false(json_object_get(r.json, "passed")));
    cr_assert_eq(json_array_size(json_object_get(r.json, "attempts")), 0);
    harness_json_free(&r);

    r = start_attempt(token, NULL);
    harness_json_free(&r);
    r = harness_call(&H, "POST", "/api/v1/test/attempts", token, "en", NULL, "{}");
    cr_assert_eq(r.status, 409);
    cr_assert_str_eq(harness_code(&r), "test.once_a_day");
    cr_assert_str_eq(harness_str(r.json, "title"),
                     "You have already started the basic test today. Try again tomorrow.");
    harness_json_free(&r);
    r = harness_call(&H, "POST", "/api/v1/test/attempts", token, "id", "application/json",
            "{\"scheme\":\"semi-bansos-2020\"}");
    cr_assert_eq(r.status, 409);
    cr_assert_str_eq(harness_str(r.json, "title"),
                     "Anda sudah memulai tes kemampuan dasar hari ini. Silakan coba lagi besok.");
    harness_json_free(&r);
    cr_assert_eq(sql_int("SELECT COUNT(*) FROM test_attempts", NULL), 1);

    /* an attempt started yesterday (WIB) no longer blocks today */
    cr_assert_neq(sql_int("UPDATE test_attempts SET day = '2000-01-01' RETURNING 1", NULL), -1);
    r = get("/api/v1/me/test", token);
    cr_assert(json_is_true(json_object_get(r.json, "can_start")));
    harness_json_free(&r);
    r = start_attempt(token, NULL);
    harness_json_free(&r);
    r = get("/api/v1/me/test", token);
    cr_assert_eq(json_array_size(json_object_get(r.json, "attempts")), 2);
    cr_assert(json_is_null(json_object_get(json_array_get(json_object_get(r.json, "attempts"),
                                                          0), "score")));
    harness_json_free(&r);
}

Test(exam, named_scheme_open_wave_default_and_bad_start_bodies)
{
    char a[65], b[65], c[65], d[65];
    char sql[512];
    struct harness_json r;
    int64_t now = (int64_t)time(NULL);

    participant(3, a);
    r = post("/api/v1/test/attempts", a, "{\"scheme\":\"nope\"}");
    cr_assert_eq(r.status, 400);
    cr_assert(harness_has_error(&r, "scheme", "scheme.unknown"), "%s", r.raw);
    harness_json_free(&r);
    r = post("/api/v1/test/attempts", a, "{\"scheme\":5}");
    cr_assert_eq(r.status, 400);
    cr_assert(harness_has_error(&r, "scheme", "field.wrong_type"));
    harness_json_free(&r);
    r = post("/api/v1/test/attempts", a, "{\"scheme\":\"\"}");
    cr_assert_eq(r.status, 400);
    cr_assert(harness_has_error(&r, "scheme", "field.required"));
    harness_json_free(&r);
    r = post("/api/v1/test/attempts", a, "{\"scheme\":");
    cr_assert_eq(r.status, 400);
    cr_assert_str_eq(harness_code(&r), "json.malformed");
    harness_json_free(&r);
    r = post("/api/v1/test/attempts", a, "[1]");
    cr_assert_eq(r.status, 400);
    cr_assert_str_eq(harness_code(&r), "json.not_object");
    harness_json_free(&r);
    r = harness_call(&H, "POST", "/api/v1/test/attempts", a, NULL, "text/plain", "scheme=x");
    cr_assert_eq(r.status, 415);
    harness_json_free(&r);
    r = post("/api/v1/test/attempts", NULL, NULL);
    cr_assert_eq(r.status, 401);
    harness_json_free(&r);
    cr_assert_eq(sql_int("SELECT COUNT(*) FROM test_attempts", NULL), 0, "nothing written");

    r = start_attempt(a, "{\"scheme\":\"semi-bansos-2020\"}");
    cr_assert_str_eq(harness_str(r.json, "scheme"), "semi-bansos-2020");
    harness_json_free(&r);

    /* an open wave of semi-bansos (wave 2) is the default over a later one */
    snprintf(sql, sizeof sql,
             "INSERT INTO waves (number, scheme_id, opens_at, closes_at, total_quota, "
             "quota_mode, spill_rule, seed_commitment, status, created_at) SELECT %d, id, "
             "%lld, %lld, 100, 'proportional', 'regency_province_nation', 'x', 'open', 0 "
             "FROM schemes WHERE code = '%s' RETURNING 1",
             5, (long long)now - 60, (long long)now + 3600, "normal-2023");
    cr_assert_eq(sql_int(sql, NULL), 1);
    snprintf(sql, sizeof sql,
             "INSERT INTO waves (number, scheme_id, opens_at, closes_at, total_quota, "
             "quota_mode, spill_rule, seed_commitment, status, created_at) SELECT %d, id, "
             "%lld, %lld, 100, 'proportional', 'regency_province_nation', 'x', 'open', 0 "
             "FROM schemes WHERE code = '%s' RETURNING 1",
             2, (long long)now - 60, (long long)now + 3600, "semi-bansos-2020");
    cr_assert_eq(sql_int(sql, NULL), 1);
    participant(4, b);
    r = start_attempt(b, NULL);
    cr_assert_str_eq(harness_str(r.json, "scheme"), "semi-bansos-2020");
    harness_json_free(&r);

    /* staff cannot take the test */
    participant(5, c);
    cr_assert_neq(sql_int("UPDATE accounts SET role = 'admin' WHERE email = "
                          "'peserta5@example.id' RETURNING 1", NULL), -1);
    r = post("/api/v1/test/attempts", c, NULL);
    cr_assert_eq(r.status, 403);
    cr_assert_str_eq(harness_code(&r), "auth.forbidden");
    harness_json_free(&r);
    r = get("/api/v1/me/test", c);
    cr_assert_eq(r.status, 200);
    cr_assert(json_is_false(json_object_get(r.json, "can_start")));
    harness_json_free(&r);

    /* an empty bank is 503 test.unavailable, not a crash */
    cr_assert_neq(sql_int("UPDATE test_questions SET active = 0 RETURNING 1", NULL), -1);
    participant(6, d);
    r = post("/api/v1/test/attempts", d, NULL);
    cr_assert_eq(r.status, 503);
    cr_assert_str_eq(harness_code(&r), "test.unavailable");
    harness_json_free(&r);
}

Test(exam, late_submit_is_recorded_with_score_zero)
{
    char token[65], id[32];
    struct harness_json r, s;
    char *body;

    participant(7, token);
    r = start_attempt(token, NULL);
    snprintf(id, sizeof id, "%s", harness_str(r.json, "attempt_id"));
    body = answers_body(r.json, 20);
    /* 31 s and more past the deadline: beyond the 30 s grace */
    cr_assert_eq(sql_int("UPDATE test_attempts SET deadline_at = started_at - 31 "
                         "WHERE public_id = $1 RETURNING 1", id), 1);
    {
        char path[128];
        snprintf(path, sizeof path, "/api/v1/test/attempts/%s/submit", id);
        s = harness_call(&H, "POST", path, token, "en", "application/json", body);
    }
    cr_assert_eq(s.status, 409, "%s", s.raw);
    cr_assert_str_eq(harness_code(&s), "test.deadline_passed");
    cr_assert_str_eq(harness_str(s.json, "title"),
                     "The time for this test attempt is over; it was recorded with a score of 0.");
    harness_json_free(&s);
    cr_assert_eq(sql_int("SELECT score FROM test_attempts WHERE public_id = $1", id), 0);
    cr_assert_eq(sql_int("SELECT passed FROM test_attempts WHERE public_id = $1", id), 0);
    cr_assert_eq(sql_int("SELECT COUNT(*) FROM test_attempts WHERE public_id = $1 AND "
                         "submitted_at IS NOT NULL", id), 1);
    s = submit(token, id, body);
    cr_assert_eq(s.status, 409);
    cr_assert_str_eq(harness_code(&s), "test.already_submitted");
    harness_json_free(&s);
    s = get("/api/v1/me/test", token);
    cr_assert(json_is_false(json_object_get(s.json, "passed")));
    cr_assert_eq(json_integer_value(json_object_get(
                     json_array_get(json_object_get(s.json, "attempts"), 0), "score")), 0);
    harness_json_free(&s);
    free(body);
    harness_json_free(&r);
}

Test(exam, someone_elses_or_unknown_attempt_is_404)
{
    char siti[65], budi[65], id[32];
    struct harness_json r, s;
    char *body;

    participant(8, siti);
    participant(9, budi);
    r = start_attempt(siti, NULL);
    snprintf(id, sizeof id, "%s", harness_str(r.json, "attempt_id"));
    body = answers_body(r.json, 20);
    s = submit(budi, id, body);
    cr_assert_eq(s.status, 404);
    cr_assert_str_eq(harness_code(&s), "test.not_found");
    harness_json_free(&s);
    s = submit(budi, "aaaaaaaaaaaaaaaaaaaaaaaaaa", body);
    cr_assert_eq(s.status, 404);
    harness_json_free(&s);
    s = submit(budi, "not-an-id", body);
    cr_assert_eq(s.status, 404);
    harness_json_free(&s);
    s = submit(NULL, id, body);
    cr_assert_eq(s.status, 401);
    harness_json_free(&s);
    /* nothing was recorded; the owner still scores full marks */
    s = submit(siti, id, body);
    cr_assert_eq(s.status, 200, "%s", s.raw);
    cr_assert_eq(json_integer_value(json_object_get(s.json, "score")), 100);
    harness_json_free(&s);
    s = get("/api/v1/me/test", budi);
    cr_assert_eq(json_array_size(json_object_get(s.json, "attempts")), 0);
    harness_json_free(&s);
    free(body);
    harness_json_free(&r);
}

Test(exam, bad_answer_bodies_are_400_and_change_nothing)
{
    char token[65], id[32];
    struct harness_json r, s;
    char *good;
    const char *twenty_with_bad =
        "{\"answers\":[0,1,2,3,0,1,2,3,0,1,2,3,0,1,2,3,4,-1,\"1\",1.5]}";

    participant(10, token);
    r = start_attempt(token, NULL);
    snprintf(id, sizeof id, "%s", harness_str(r.json, "attempt_id"));

    s = submit(token, id, "{\"answers\":[0,1]}");
    cr_assert_eq(s.status, 400);
    cr_assert(harness_has_error(&s, "answers", "test.answer_count"), "%s", s.raw);
    harness_json_free(&s);
    s = submit(token, id, "{}");
    cr_assert_eq(s.status, 400);
    cr_assert(harness_has_error(&s, "answers", "field.required"));
    harness_json_free(&s);
    s = submit(token, id, "{\"answers\":\"0,1,2\"}");
    cr_assert_eq(s.status, 400);
    cr_assert(harness_has_error(&s, "answers", "field.wrong_type"));
    harness_json_free(&s);
    s = submit(token, id, twenty_with_bad);
    cr_assert_eq(s.status, 400);
    cr_assert(harness_has_error(&s, "answers[16]", "test.choice_invalid"), "%s", s.raw);
    cr_assert(harness_has_error(&s, "answers[17]", "test.choice_invalid"));
    cr_assert(harness_has_error(&s, "answers[18]", "field.wrong_type"));
    cr_assert(harness_has_error(&s, "answers[19]", "field.wrong_type"));
    cr_assert_eq(json_array_size(json_object_get(s.json, "errors")), 4);
    harness_json_free(&s);
    s = submit(token, id, "[]");
    cr_assert_eq(s.status, 400);
    harness_json_free(&s);
    s = harness_call(&H, "POST", "/api/v1/test/attempts/x/submit", token, "id", NULL, "{}");
    cr_assert_eq(s.status, 404);
    cr_assert_str_eq(harness_str(s.json, "title"), "Percobaan tes ini tidak ditemukan.");
    harness_json_free(&s);
    cr_assert_eq(sql_int("SELECT COUNT(*) FROM test_attempts WHERE submitted_at IS NULL", NULL), 1,
                 "the bad bodies recorded nothing");

    /* all unanswered is a valid submit scoring 0 */
    s = submit(token, id, "{\"answers\":[null,null,null,null,null,null,null,null,null,null,"
                          "null,null,null,null,null,null,null,null,null,null]}");
    cr_assert_eq(s.status, 200, "%s", s.raw);
    cr_assert_eq(json_integer_value(json_object_get(s.json, "correct")), 0);
    cr_assert(json_is_false(json_object_get(s.json, "passed")));
    harness_json_free(&s);
    good = answers_body(r.json, 20);
    s = submit(token, id, good);
    cr_assert_eq(s.status, 409, "the first valid submit counts");
    harness_json_free(&s);
    free(good);
    harness_json_free(&r);
}

struct racer {
    const char *token, *id, *body;
    long status;
};

static void *race(void *arg)
{
    struct racer *x = arg;
    char path[128], auth[128];
    const char *hs[] = {auth, NULL};
    struct harness_reply r;

    snprintf(path, sizeof path, "/api/v1/test/attempts/%s/submit", x->id);
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", x->token);
    if (harness_request(&H, "POST", path, "application/json", x->body, strlen(x->body), hs,
                        &r) == 0) {
        x->status = r.status;
        harness_reply_free(&r);
    }
    return NULL;
}

Test(exam, concurrent_submits_score_once)
{
    char token[65], id[32];
    struct harness_json r;
    struct racer x[6];
    pthread_t th[6];
    char *body;
    int ok = 0, conflict = 0;

    participant(11, token);
    r = start_attempt(token, NULL);
    snprintf(id, sizeof id, "%s", harness_str(r.json, "attempt_id"));
    body = answers_body(r.json, 15);
    for (int i = 0; i < 6; i++) {
        x[i] = (struct racer){token, id, body, 0};
        cr_assert_eq(pthread_create(&th[i], NULL, race, &x[i]), 0);
    }
    for (int i = 0; i < 6; i++)
        pthread_join(th[i], NULL);
    for (int i = 0; i < 6; i++) {
        ok += x[i].status == 200;
        conflict += x[i].status == 409;
    }
    cr_assert_eq(ok, 1, "exactly one submit is scored (%d)", ok);
    cr_assert_eq(conflict, 5);
    cr_assert_eq(sql_int("SELECT score FROM test_attempts WHERE public_id = $1", id), 75);
    free(body);
    harness_json_free(&r);
}
