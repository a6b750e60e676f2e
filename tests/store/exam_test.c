/*
 * Tests of the basic test's store (src/store/exam.c) and its question bank
 * (migration 0004) on a migrated database of the engine under test (tmpdb.h):
 * the bank has 15 well-formed questions per category in both languages; the pool
 * and question lookups; one attempt per account per WIB day by the unique
 * constraint; a submit recorded once, also when two connections submit at the
 * same moment; exam_passed at a pass mark; the list newest first.
 */
#include <pthread.h>
#include <criterion/criterion.h>
#include <string.h>

#include "tmpdb.h"
#include "core/exam.h"
#include "core/text.h"
#include "store/accounts.h"
#include "store/db.h"
#include "store/exam.h"
#include "store/schemes.h"

TestSuite(exam, .init = tmpdb_setup, .fini = tmpdb_teardown);

/* 2025-12-05 10:00 WIB */
#define T0 1764903600

static int64_t account(db *d, const char *email)
{
    struct account_new a = {.email = email, .full_name = "Peserta", .created_at = T0};
    int64_t id = 0;

    cr_assert_eq(accounts_insert(d, &a, &id, NULL), DB_OK, "%s", db_errmsg(d));
    return id;
}

static int64_t scheme_id(db *d, const char *code)
{
    struct scheme s;

    cr_assert_eq(schemes_by_code(d, code, &s), DB_OK);
    return s.id;
}

static int insert_txn(db *d, void *ctx)
{
    return exam_attempt_insert(d, ctx);
}

/* Starts an attempt at t with questions "1,2,3"; returns the status. */
static int start(db *d, int64_t acc, int64_t t, struct exam_attempt *a)
{
    memset(a, 0, sizeof *a);
    a->account_id = acc;
    a->scheme_id = scheme_id(d, "normal-2023");
    strcpy(a->question_ids, "1,2,3");
    a->total = 3;
    a->started_at = t;
    a->deadline_at = t + 1800;
    return db_txn(d, insert_txn, a);
}

struct submit {
    const char *addr;
    int64_t id;
    int score, updated, rc;
};

static int submit_txn(db *d, void *ctx)
{
    struct submit *s = ctx;
    return exam_attempt_submit(d, s->id, T0 + 60, "0,1,-1", s->score * 3 / 100, s->score,
                               s->score >= 60, &s->updated);
}

Test(exam, bank_has_fifteen_sound_questions_per_category)
{
    db *d = tmpdb_migrated("e.db");
    struct exam_item pool[EXAM_POOL_MAX];
    struct exam_question q;
    int n = 0, per[EXAM_NCATEGORIES] = {0}, keys[4] = {0};

    cr_assert_eq(exam_pool(d, pool, EXAM_POOL_MAX, &n), DB_OK, "%s", db_errmsg(d));
    cr_assert_geq(n, 45);
    for (int i = 0; i < n; i++) {
        struct exam_span sid[EXAM_MAX_OPTIONS], sen[EXAM_MAX_OPTIONS];
        cr_assert_eq(exam_question_get(d, pool[i].id, &q), DB_OK);
        cr_assert_geq(q.category, 0, "%s: category", q.code);
        cr_assert_eq(q.category, pool[i].category);
        per[q.category]++;
        cr_assert_eq(exam_options_split(q.options_id, sid, EXAM_MAX_OPTIONS), 4, "%s", q.code);
        cr_assert_eq(exam_options_split(q.options_en, sen, EXAM_MAX_OPTIONS), 4, "%s", q.code);
        cr_assert(q.answer >= 0 && q.answer < 4, "%s: answer %d", q.code, q.answer);
        keys[q.answer]++;
        cr_assert_lt(strlen(q.text_id), EXAM_TEXT_MAX - 1, "%s fits", q.code);
        cr_assert_lt(strlen(q.options_id), EXAM_OPTIONS_MAX - 1, "%s fits", q.code);
        cr_assert_lt(strlen(q.options_en), EXAM_OPTIONS_MAX - 1, "%s fits", q.code);
        cr_assert(strlen(q.text_id) > 10 && strlen(q.text_en) > 10, "%s has text", q.code);
        cr_assert(text_utf8_valid(q.text_id, strlen(q.text_id)));
        cr_assert(strcmp(q.text_id, q.text_en) != 0, "%s is translated", q.code);
        for (int a = 0; a < 4; a++)
            for (int b = 0; b < a; b++)
                cr_assert(sid[a].len != sid[b].len || memcmp(sid[a].s, sid[b].s, sid[a].len),
                          "%s: options %d and %d are the same", q.code, a, b);
    }
    for (int c = 0; c < EXAM_NCATEGORIES; c++)
        cr_assert_eq(per[c], 15, "%s: %d questions", exam_category_name(c), per[c]);
    for (int k = 0; k < 4; k++)
        cr_assert_geq(keys[k], 8, "the right answer is spread over the positions (%d at %d)",
                      keys[k], k);
    db_close(d);
}

Test(exam, pool_skips_retired_questions_and_lookups_keep_order)
{
    db *d = tmpdb_migrated("e.db");
    struct exam_item pool[EXAM_POOL_MAX];
    struct exam_question qs[3];
    int64_t ids[3], missing[2];
    int n = 0, m = 0;

    cr_assert_eq(exam_pool(d, pool, EXAM_POOL_MAX, &n), DB_OK);
    cr_assert_eq(db_exec(d, "UPDATE test_questions SET active = 0 WHERE code = 'ver-01'"), DB_OK);
    cr_assert_eq(exam_pool(d, pool, EXAM_POOL_MAX, &m), DB_OK);
    cr_assert_eq(m, n - 1);
    cr_assert_eq(exam_pool(d, pool, 10, &m), DB_ERR, "more than max is an error");

    ids[0] = pool[20].id;
    ids[1] = pool[3].id;
    ids[2] = pool[40].id;
    cr_assert_eq(exam_questions_get(d, ids, 3, qs), DB_OK);
    for (int i = 0; i < 3; i++)
        cr_assert_eq(qs[i].id, ids[i]);
    missing[0] = ids[0];
    missing[1] = 987654;
    cr_assert_eq(exam_questions_get(d, missing, 2, qs), DB_ENOTFOUND);
    db_close(d);
}

Test(exam, one_attempt_per_wib_day)
{
    db *d = tmpdb_migrated("e.db");
    int64_t siti = account(d, "siti@example.id"), budi = account(d, "budi@example.id");
    struct exam_attempt a, b, got;
    int found = 0;

    cr_assert_eq(start(d, siti, T0, &a), DB_OK, "%s", db_errmsg(d));
    cr_assert_gt(a.id, 0);
    cr_assert_eq(strlen(a.public_id), EXAM_PUBLIC_ID_LEN);
    cr_assert_eq(strspn(a.public_id, "abcdefghijklmnopqrstuvwxyz234567"), EXAM_PUBLIC_ID_LEN);
    cr_assert_str_eq(a.day, "2025-12-05");
    /* later the same WIB day (23:59 WIB) is refused; another person is not */
    cr_assert_eq(start(d, siti, T0 + 13 * 3600 + 59 * 60, &b), DB_ECONSTRAINT);
    cr_assert_eq(start(d, budi, T0, &b), DB_OK);
    cr_assert_eq(exam_attempt_on_day(d, siti, "2025-12-05", &found), DB_OK);
    cr_assert_eq(found, 1);
    cr_assert_eq(exam_attempt_on_day(d, siti, "2025-12-06", &found), DB_OK);
    cr_assert_eq(found, 0);
    /* midnight WIB is a new day */
    cr_assert_eq(start(d, siti, T0 + 14 * 3600, &b), DB_OK);
    cr_assert_str_eq(b.day, "2025-12-06");

    cr_assert_eq(exam_attempt_get(d, a.public_id, &got), DB_OK);
    cr_assert_eq(got.id, a.id);
    cr_assert_eq(got.account_id, siti);
    cr_assert_str_eq(got.scheme_code, "normal-2023");
    cr_assert_str_eq(got.question_ids, "1,2,3");
    cr_assert_eq(got.total, 3);
    cr_assert_eq(got.started_at, T0);
    cr_assert_eq(got.deadline_at, T0 + 1800);
    cr_assert_eq(got.submitted_at, 0);
    cr_assert_eq(got.score, -1);
    cr_assert_eq(got.passed, -1);
    cr_assert_str_eq(got.answers, "");
    cr_assert_eq(exam_attempt_get(d, "aaaaaaaaaaaaaaaaaaaaaaaaaa", &got), DB_ENOTFOUND);
    db_close(d);
}

Test(exam, submit_once_then_passed_at_a_pass_mark)
{
    db *d = tmpdb_migrated("e.db");
    int64_t siti = account(d, "siti@example.id");
    struct exam_attempt a, b, got, list[4];
    struct submit s = {.score = 66};
    int passed = -1, n = 0;

    cr_assert_eq(exam_passed(d, siti, 60, &passed), DB_OK);
    cr_assert_eq(passed, 0, "no attempt, no pass");
    cr_assert_eq(start(d, siti, T0, &a), DB_OK);
    cr_assert_eq(exam_passed(d, siti, 0, &passed), DB_OK);
    cr_assert_eq(passed, 0, "an unsubmitted attempt never passes");

    s.id = a.id;
    cr_assert_eq(db_txn(d, submit_txn, &s), DB_OK);
    cr_assert_eq(s.updated, 1);
    s.score = 100;
    cr_assert_eq(db_txn(d, submit_txn, &s), DB_OK);
    cr_assert_eq(s.updated, 0, "a second submit changes nothing");
    cr_assert_eq(exam_attempt_get(d, a.public_id, &got), DB_OK);
    cr_assert_eq(got.submitted_at, T0 + 60);
    cr_assert_str_eq(got.answers, "0,1,-1");
    cr_assert_eq(got.correct, 1);
    cr_assert_eq(got.score, 66);
    cr_assert_eq(got.passed, 1);

    cr_assert_eq(exam_passed(d, siti, 60, &passed), DB_OK);
    cr_assert_eq(passed, 1);
    cr_assert_eq(exam_passed(d, siti, 66, &passed), DB_OK);
    cr_assert_eq(passed, 1);
    cr_assert_eq(exam_passed(d, siti, 67, &passed), DB_OK);
    cr_assert_eq(passed, 0, "a stricter scheme's mark is not met");
    cr_assert_eq(exam_ever_passed(d, siti, &passed), DB_OK);
    cr_assert_eq(passed, 1);

    cr_assert_eq(start(d, siti, T0 + 86400, &b), DB_OK);
    cr_assert_eq(exam_attempts_list(d, siti, list, 4, &n), DB_OK);
    cr_assert_eq(n, 2);
    cr_assert_str_eq(list[0].public_id, b.public_id, "newest first");
    cr_assert_str_eq(list[1].public_id, a.public_id);
    cr_assert_eq(list[1].score, 66);
    cr_assert_eq(exam_attempts_list(d, siti, list, 1, &n), DB_OK);
    cr_assert_eq(n, 1);
    db_close(d);
}

static void *submitter(void *arg)
{
    struct submit *s = arg;
    char err[256];
    db *d = NULL;

    s->rc = db_open(s->addr, &d, err, sizeof err);
    if (s->rc == DB_OK)
        s->rc = db_txn(d, submit_txn, s);
    db_close(d);
    return NULL;
}

Test(exam, concurrent_submits_record_exactly_one, .timeout = 120)
{
    db *d = tmpdb_migrated("e.db");
    int64_t siti = account(d, "siti@example.id");
    struct exam_attempt a, got;
    struct submit s[4];
    pthread_t th[4];
    int updated = 0;

    cr_assert_eq(start(d, siti, T0, &a), DB_OK);
    for (int round = 0; round < 5; round++) {
        cr_assert_eq(db_exec(d, "UPDATE test_attempts SET submitted_at = NULL, answers = NULL, "
                                "correct = NULL, score = NULL, passed = NULL"), DB_OK);
        updated = 0;
        for (int i = 0; i < 4; i++) {
            s[i] = (struct submit){.addr = tmpdb_addr("e.db"), .id = a.id, .score = 25 * i};
            cr_assert_eq(pthread_create(&th[i], NULL, submitter, &s[i]), 0);
        }
        for (int i = 0; i < 4; i++)
            pthread_join(th[i], NULL);
        for (int i = 0; i < 4; i++) {
            cr_assert_eq(s[i].rc, DB_OK, "submitter %d: %d", i, s[i].rc);
            updated += s[i].updated;
        }
        cr_assert_eq(updated, 1, "round %d: %d submits recorded", round, updated);
        cr_assert_eq(exam_attempt_get(d, a.public_id, &got), DB_OK);
        for (int i = 0; i < 4; i++)
            if (s[i].updated)
                cr_assert_eq(got.score, s[i].score, "the recorded score is the winner's");
    }
    db_close(d);
}
