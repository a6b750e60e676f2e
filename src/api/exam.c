/*
 * exam (API): the basic test (tes kemampuan dasar).
 *
 * POST /api/v1/test/attempts starts an attempt for a participant under the
 * scheme named in the optional body, else the default scheme (the open wave's
 * with the lowest number, else the newest; store/schemes.h). It draws the
 * scheme's number of questions from the active bank with core/exam.c, balanced
 * over the categories, from libsodium random bytes, loads their texts, and only
 * then inserts the attempt, so a failure before the insert costs the participant
 * nothing. The deadline is the server's: started_at + test_minutes * 60. The
 * reply carries the questions and their options in both languages and never the
 * answer key. One attempt a WIB day: the table's unique (account, day) makes a
 * second start, racing or not, 409 test.once_a_day.
 *
 * POST /api/v1/test/attempts/{id}/submit scores the answers server-side. An
 * attempt of another person is 404 like an unknown one. A submit after the
 * deadline plus EXAM_GRACE_SECONDS is recorded as submitted with score 0 and
 * answered 409 test.deadline_passed; a second submit is 409
 * test.already_submitted, decided by the conditional UPDATE of the store so that
 * two concurrent submits cannot both be scored.
 *
 * GET /api/v1/me/test reads the caller's attempts (newest first, the newest
 * ME_TEST_MAX), whether any passed and whether one can start today, in one
 * read snapshot.
 */
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "api/app.h"
#include "api/auth.h"
#include "api/reply.h"
#include "core/exam.h"
#include "store/exam.h"
#include "store/schemes.h"
#include "util/log.h"

#define ME_TEST_MAX 100
#define SUBMIT_ERRS 16

/* 1 when the request has a body other than white space. */
static int has_body(const struct http_req *req)
{
    for (size_t i = 0; i < req->body_len; i++)
        if (!strchr(" \t\r\n", req->body[i]))
            return 1;
    return 0;
}

static json_t *time_json(int64_t t)
{
    char iso[21];

    if (t == 0)
        return json_null();
    api_time_iso(t, iso);
    return json_string(iso);
}

/* The choices of options text as a JSON array; NULL when the text is malformed. */
static json_t *options_json(const char *text, int *count)
{
    struct exam_span sp[EXAM_MAX_OPTIONS];
    int n = exam_options_split(text, sp, EXAM_MAX_OPTIONS);
    json_t *arr;

    if (n < 2)
        return NULL;
    arr = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(arr, json_stringn(sp[i].s, sp[i].len));
    *count = n;
    return arr;
}

/* A question as the client sees it: no answer key. NULL (logged) when the stored
 * question is malformed: options missing, counts differing between languages, or
 * the key outside them. */
static json_t *question_json(const struct exam_question *q)
{
    int nid = 0, nen = 0;
    json_t *oid = options_json(q->options_id, &nid), *oen = options_json(q->options_en, &nen);
    const char *cat = exam_category_name(q->category);

    if (!oid || !oen || nid != nen || q->answer < 0 || q->answer >= nid || !cat) {
        json_decref(oid);
        json_decref(oen);
        log_kv(LOG_ERROR, "test.bad_question", "code", q->code, NULL);
        return NULL;
    }
    return json_pack("{s:I, s:s, s:{s:s, s:s}, s:{s:o, s:o}}", "id", (json_int_t)q->id,
                     "category", cat, "text", "id", q->text_id, "en", q->text_en, "options",
                     "id", oid, "en", oen);
}

struct start_ctx {
    struct exam_attempt *a;
};

static int start_txn(db *d, void *vctx)
{
    struct start_ctx *c = vctx;
    return exam_attempt_insert(d, c->a);
}

/* Reads the optional {"scheme": code} body; 0 and *code (NULL when not named), or
 * -1 after replying. */
static int read_start_body(struct http_req *req, const char **code)
{
    struct field_error errs[2];
    json_t *body;
    int n = 0, rc;

    *code = NULL;
    if (!has_body(req))
        return 0;
    if (!(body = api_body_object(req)))
        return -1;
    rc = api_field_str(req, body, "scheme", 256, code, errs, &n, 2);
    json_decref(body);
    if (rc == 0 && !**code)
        errs[n++] = (struct field_error){"scheme", "field.required"};
    if (n > 0) {
        api_problem_fields(req, errs, n);
        return -1;
    }
    return 0;
}

void api_test_start(struct http_req *req)
{
    struct auth_ctx auth;
    struct scheme s;
    struct exam_item *pool;
    struct exam_question *qs;
    struct exam_attempt *a;
    struct start_ctx c;
    const char *code;
    char day[11];
    unsigned char *rnd;
    int64_t ids[EXAM_MAX_QUESTIONS], now = (int64_t)time(NULL);
    int npool = 0, n, found = 0, rc;
    json_t *questions;

    if (api_auth(req, &auth) != 0)
        return;
    if (!api_role_in(&auth, "participant", NULL)) {
        api_problem(req, "auth.forbidden", NULL);
        return;
    }
    if (read_start_body(req, &code) != 0)
        return;
    if (code) {
        rc = schemes_by_code(req->db, code, &s);
        if (rc == DB_ENOTFOUND) {
            struct field_error e = {"scheme", "scheme.unknown"};
            api_problem_fields(req, &e, 1);
            return;
        }
    } else {
        rc = schemes_default(req->db, now, &s);
        if (rc == DB_ENOTFOUND) {
            api_problem(req, "test.unavailable", "there is no scheme");
            return;
        }
    }
    if (rc != DB_OK) {
        api_store_error(req, rc);
        return;
    }
    /* a cheap early answer; the unique (account, day) decides at the insert */
    exam_day_wib(now, day);
    rc = exam_attempt_on_day(req->db, auth.account_id, day, &found);
    if (rc != DB_OK) {
        api_store_error(req, rc);
        return;
    }
    if (found) {
        api_problem(req, "test.once_a_day", NULL);
        return;
    }

    pool = arena_alloc(req->arena, sizeof *pool * EXAM_POOL_MAX);
    rc = exam_pool(req->db, pool, EXAM_POOL_MAX, &npool);
    if (rc != DB_OK) {
        api_store_error(req, rc);
        return;
    }
    rnd = arena_alloc(req->arena, EXAM_RANDOM_BYTES(npool) + 1);
    randombytes_buf(rnd, EXAM_RANDOM_BYTES(npool));
    n = exam_pick(pool, npool, s.test_questions, rnd, EXAM_RANDOM_BYTES(npool), ids);
    if (n <= 0) {
        api_problem(req, "test.unavailable", "the question bank is empty");
        return;
    }
    qs = arena_alloc(req->arena, sizeof *qs * (size_t)n);
    rc = exam_questions_get(req->db, ids, n, qs);
    if (rc != DB_OK) {
        api_store_error(req, rc == DB_ENOTFOUND ? DB_ERR : rc);
        return;
    }
    questions = json_array();
    for (int i = 0; i < n; i++) {
        json_t *q = question_json(&qs[i]);
        if (!q) {
            json_decref(questions);
            api_problem(req, "internal", NULL);
            return;
        }
        json_array_append_new(questions, q);
    }

    a = arena_alloc(req->arena, sizeof *a);
    a->account_id = auth.account_id;
    a->scheme_id = s.id;
    a->total = n;
    a->started_at = now;
    a->deadline_at = now + (int64_t)s.test_minutes * 60;
    if (exam_list_format(ids, n, a->question_ids, sizeof a->question_ids) != 0) {
        json_decref(questions);
        api_problem(req, "internal", NULL);
        return;
    }
    c.a = a;
    rc = db_txn(req->db, start_txn, &c);
    if (rc == DB_ECONSTRAINT) {
        json_decref(questions);
        api_problem(req, "test.once_a_day", NULL);
        return;
    }
    if (rc != DB_OK) {
        json_decref(questions);
        api_store_error(req, rc);
        return;
    }
    req->location = "/api/v1/me/test";
    api_json(req, 201, json_pack("{s:s, s:s, s:o, s:o, s:o}", "attempt_id", a->public_id,
                                 "scheme", s.code, "started_at", time_json(a->started_at),
                                 "deadline_at", time_json(a->deadline_at), "questions",
                                 questions));
}

struct submit_ctx {
    int64_t id, now;
    const char *answers;         /* NULL for a late submit */
    struct exam_result r;
    int updated;
};

static int submit_txn(db *d, void *vctx)
{
    struct submit_ctx *c = vctx;
    return exam_attempt_submit(d, c->id, c->now, c->answers, c->r.correct, c->r.score,
                               c->r.passed, &c->updated);
}

/* Checks the answers array of body against the questions (nopts choices each)
 * into answers; 0, or -1 after a 400. */
static int read_answers(struct http_req *req, json_t *body, const int *nopts, int total,
                        int64_t *answers)
{
    struct field_error errs[SUBMIT_ERRS];
    json_t *arr = json_object_get(body, "answers"), *v;
    size_t i;
    int n = 0;

    if (!arr || json_is_null(arr)) {
        errs[n++] = (struct field_error){"answers", "field.required"};
    } else if (!json_is_array(arr)) {
        errs[n++] = (struct field_error){"answers", "field.wrong_type"};
    } else if (json_array_size(arr) != (size_t)total) {
        errs[n++] = (struct field_error){"answers", "test.answer_count"};
    } else {
        json_array_foreach(arr, i, v) {
            const char *code = NULL;
            if (json_is_null(v)) {
                answers[i] = -1;
                continue;
            }
            if (!json_is_integer(v))
                code = "field.wrong_type";
            else if (json_integer_value(v) < 0 || json_integer_value(v) >= nopts[i])
                code = "test.choice_invalid";
            else
                answers[i] = json_integer_value(v);
            if (code && n < SUBMIT_ERRS)
                errs[n++] = (struct field_error){
                    arena_printf(req->arena, "answers[%zu]", i), code};
        }
    }
    if (n > 0) {
        api_problem_fields(req, errs, n);
        return -1;
    }
    return 0;
}

void api_test_submit(struct http_req *req)
{
    struct auth_ctx auth;
    struct exam_attempt *a;
    struct exam_question *qs;
    struct scheme s;
    struct submit_ctx c;
    int64_t ids[EXAM_MAX_QUESTIONS], answers[EXAM_MAX_QUESTIONS];
    int key[EXAM_MAX_QUESTIONS], given[EXAM_MAX_QUESTIONS], nopts[EXAM_MAX_QUESTIONS];
    char *text;
    json_t *body;
    int n, rc;

    if (api_auth(req, &auth) != 0)
        return;
    if (!accounts_public_id_valid(req->params[0])) {
        api_problem(req, "test.not_found", NULL);
        return;
    }
    a = arena_alloc(req->arena, sizeof *a);
    rc = exam_attempt_get(req->db, req->params[0], a);
    if (rc == DB_ENOTFOUND || (rc == DB_OK && a->account_id != auth.account_id)) {
        api_problem(req, "test.not_found", NULL);
        return;
    }
    if (rc != DB_OK) {
        api_store_error(req, rc);
        return;
    }
    if (a->submitted_at) {
        api_problem(req, "test.already_submitted", NULL);
        return;
    }
    memset(&c, 0, sizeof c);
    c.id = a->id;
    c.now = (int64_t)time(NULL);
    if (!exam_in_time(c.now, a->deadline_at)) {
        /* recorded as submitted with score 0, whatever the body holds */
        c.r = (struct exam_result){0, a->total, 0, 0};
        rc = db_txn(req->db, submit_txn, &c);
        if (rc != DB_OK)
            api_store_error(req, rc);
        else
            api_problem(req, c.updated ? "test.deadline_passed" : "test.already_submitted",
                        NULL);
        return;
    }

    n = exam_list_parse(a->question_ids, ids, EXAM_MAX_QUESTIONS);
    if (n < 0 || n != a->total) {
        log_kv(LOG_ERROR, "test.bad_attempt", "attempt", a->public_id, NULL);
        api_problem(req, "internal", NULL);
        return;
    }
    qs = arena_alloc(req->arena, sizeof *qs * (size_t)(n ? n : 1));
    rc = exam_questions_get(req->db, ids, n, qs);
    if (rc == DB_OK)
        rc = schemes_by_id(req->db, a->scheme_id, &s);
    if (rc != DB_OK) {
        api_store_error(req, rc == DB_ENOTFOUND ? DB_ERR : rc);
        return;
    }
    for (int i = 0; i < n; i++) {
        struct exam_span sp[EXAM_MAX_OPTIONS];
        nopts[i] = exam_options_split(qs[i].options_id, sp, EXAM_MAX_OPTIONS);
        key[i] = qs[i].answer;
    }

    if (!(body = api_body_object(req)))
        return;
    rc = read_answers(req, body, nopts, n, answers);
    json_decref(body);
    if (rc != 0)
        return;
    for (int i = 0; i < n; i++)
        given[i] = (int)answers[i];
    c.r = exam_score(key, given, n, s.test_pass_mark);
    text = arena_alloc(req->arena, EXAM_LIST_MAX);
    if (exam_list_format(answers, n, text, EXAM_LIST_MAX) != 0) {
        api_problem(req, "internal", NULL);
        return;
    }
    c.answers = text;
    rc = db_txn(req->db, submit_txn, &c);
    if (rc != DB_OK) {
        api_store_error(req, rc);
        return;
    }
    if (!c.updated) {
        api_problem(req, "test.already_submitted", NULL);
        return;
    }
    api_json(req, 200, json_pack("{s:i, s:i, s:i, s:i, s:b}", "correct", c.r.correct, "total",
                                 c.r.total, "score", c.r.score, "pass_mark", s.test_pass_mark,
                                 "passed", c.r.passed));
}

struct me_ctx {
    int64_t account_id;
    const char *day;
    struct exam_attempt *list;
    int n, passed, today;
};

static int me_read(db *d, void *vctx)
{
    struct me_ctx *c = vctx;
    int rc = exam_attempts_list(d, c->account_id, c->list, ME_TEST_MAX, &c->n);

    if (rc == DB_OK)
        rc = exam_ever_passed(d, c->account_id, &c->passed);
    if (rc == DB_OK)
        rc = exam_attempt_on_day(d, c->account_id, c->day, &c->today);
    return rc;
}

void api_me_test(struct http_req *req)
{
    struct auth_ctx auth;
    struct me_ctx c;
    char day[11];
    json_t *items;
    int rc;

    if (api_auth(req, &auth) != 0)
        return;
    exam_day_wib((int64_t)time(NULL), day);
    memset(&c, 0, sizeof c);
    c.account_id = auth.account_id;
    c.day = day;
    c.list = arena_alloc(req->arena, sizeof *c.list * ME_TEST_MAX);
    rc = db_read(req->db, me_read, &c);
    if (rc != DB_OK) {
        api_store_error(req, rc);
        return;
    }
    items = json_array();
    for (int i = 0; i < c.n; i++) {
        const struct exam_attempt *a = &c.list[i];
        int done = a->submitted_at != 0;
        json_array_append_new(
            items, json_pack("{s:s, s:s, s:o, s:o, s:o, s:o, s:o}", "attempt_id", a->public_id,
                             "scheme", a->scheme_code, "started_at", time_json(a->started_at),
                             "deadline_at", time_json(a->deadline_at), "submitted_at",
                             time_json(a->submitted_at), "score",
                             done && a->score >= 0 ? json_integer(a->score) : json_null(),
                             "passed",
                             done && a->passed >= 0 ? json_boolean(a->passed) : json_null()));
    }
    api_json(req, 200, json_pack("{s:b, s:b, s:o}", "passed", c.passed, "can_start",
                                 !c.today && api_role_in(&auth, "participant", NULL),
                                 "attempts", items));
}
