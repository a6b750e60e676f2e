/*
 * exam (store): SQL for test_questions and test_attempts (exam.h). Rows are
 * copied into fixed-size structs, so callers allocate nothing per row; text
 * longer than a struct's bound is cut, which the bank's own test (every question
 * fits) rules out for shipped questions. Booleans and unset numbers are read with
 * db_isnull so NULL stays distinguishable from 0.
 */
#include "store/exam.h"

#include <string.h>

#include "store/accounts.h"
#include "util/str.h"

#define QCOLS "id, code, category, text_id, text_en, options_id, options_en, answer, active"
#define ACOLS "a.id, a.public_id, a.account_id, a.scheme_id, s.code, a.day, a.question_ids, " \
              "a.total, a.started_at, a.deadline_at, a.submitted_at, a.answers, a.correct, "   \
              "a.score, a.passed"

int exam_passed(db *d, int64_t account_id, int pass_mark, int *passed_out)
{
    db_val p[] = {DB_INT(account_id), DB_INT(pass_mark)};
    int64_t one = 0;
    int rc = db_one_int(d,
        "SELECT 1 FROM test_attempts WHERE account_id = $1 AND submitted_at IS NOT NULL "
        "AND score >= $2 LIMIT 1", p, 2, &one);

    *passed_out = rc == DB_OK;
    return rc == DB_ENOTFOUND ? DB_OK : rc;
}

int exam_ever_passed(db *d, int64_t account_id, int *passed_out)
{
    db_val p = DB_INT(account_id);
    int64_t one = 0;
    int rc = db_one_int(d,
        "SELECT 1 FROM test_attempts WHERE account_id = $1 AND submitted_at IS NOT NULL "
        "AND passed = 1 LIMIT 1", &p, 1, &one);

    *passed_out = rc == DB_OK;
    return rc == DB_ENOTFOUND ? DB_OK : rc;
}

int exam_pool(db *d, struct exam_item *out, int max, int *n)
{
    db_rows *r = NULL;
    int rc = db_query(d, "SELECT id, category FROM test_questions WHERE active = 1 ORDER BY id",
                      NULL, 0, &r);

    *n = 0;
    if (rc != DB_OK)
        goto out;
    while ((rc = db_step(r)) == DB_ROW) {
        if (*n >= max) {
            rc = DB_ERR;
            goto out;
        }
        out[*n].id = db_int(r, 0);
        out[*n].category = exam_category_parse(db_text(r, 1));
        (*n)++;
    }
    if (rc == DB_DONE)
        rc = DB_OK;
out:
    db_rows_free(r);
    return rc;
}

int exam_question_get(db *d, int64_t id, struct exam_question *out)
{
    db_val p = DB_INT(id);
    db_rows *r = NULL;
    int rc = db_query(d, "SELECT " QCOLS " FROM test_questions WHERE id = $1", &p, 1, &r);

    if (rc != DB_OK)
        goto out;
    rc = db_step(r);
    if (rc == DB_DONE) {
        rc = DB_ENOTFOUND;
    } else if (rc == DB_ROW) {
        memset(out, 0, sizeof *out);
        out->id = db_int(r, 0);
        str_copy(out->code, sizeof out->code, db_text(r, 1));
        out->category = exam_category_parse(db_text(r, 2));
        str_copy(out->text_id, sizeof out->text_id, db_text(r, 3));
        str_copy(out->text_en, sizeof out->text_en, db_text(r, 4));
        str_copy(out->options_id, sizeof out->options_id, db_text(r, 5));
        str_copy(out->options_en, sizeof out->options_en, db_text(r, 6));
        out->answer = (int)db_int(r, 7);
        out->active = (int)db_int(r, 8);
        rc = DB_OK;
    }
out:
    db_rows_free(r);
    return rc;
}

int exam_questions_get(db *d, const int64_t *ids, int n, struct exam_question *out)
{
    for (int i = 0; i < n; i++) {
        int rc = exam_question_get(d, ids[i], &out[i]);
        if (rc != DB_OK)
            return rc;
    }
    return DB_OK;
}

int exam_attempt_insert(db *d, struct exam_attempt *a)
{
    int64_t id = 0;
    int rc;

    accounts_new_public_id(a->public_id);
    exam_day_wib(a->started_at, a->day);
    db_val p[] = {
        DB_TEXT(a->public_id), DB_INT(a->account_id), DB_INT(a->scheme_id), DB_TEXT(a->day),
        DB_TEXT(a->question_ids), DB_INT(a->started_at), DB_INT(a->deadline_at),
        DB_INT(a->total),
    };
    rc = db_one_int(d,
        "INSERT INTO test_attempts (public_id, account_id, scheme_id, day, question_ids, "
        "started_at, deadline_at, total) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        p, (int)(sizeof p / sizeof p[0]), &id);
    if (rc != DB_OK)
        return rc;
    a->id = id;
    a->submitted_at = 0;
    a->answers[0] = '\0';
    a->correct = a->score = a->passed = -1;
    return DB_OK;
}

static void read_attempt(db_rows *r, struct exam_attempt *a)
{
    memset(a, 0, sizeof *a);
    a->id = db_int(r, 0);
    str_copy(a->public_id, sizeof a->public_id, db_text(r, 1));
    a->account_id = db_int(r, 2);
    a->scheme_id = db_int(r, 3);
    str_copy(a->scheme_code, sizeof a->scheme_code, db_text(r, 4));
    str_copy(a->day, sizeof a->day, db_text(r, 5));
    str_copy(a->question_ids, sizeof a->question_ids, db_text(r, 6));
    a->total = (int)db_int(r, 7);
    a->started_at = db_int(r, 8);
    a->deadline_at = db_int(r, 9);
    a->submitted_at = db_isnull(r, 10) ? 0 : db_int(r, 10);
    str_copy(a->answers, sizeof a->answers, db_text(r, 11));
    a->correct = db_isnull(r, 12) ? -1 : (int)db_int(r, 12);
    a->score = db_isnull(r, 13) ? -1 : (int)db_int(r, 13);
    a->passed = db_isnull(r, 14) ? -1 : (int)db_int(r, 14);
}

int exam_attempt_get(db *d, const char *public_id, struct exam_attempt *out)
{
    db_val p = DB_TEXT(public_id);
    db_rows *r = NULL;
    int rc = db_query(d,
        "SELECT " ACOLS " FROM test_attempts a JOIN schemes s ON s.id = a.scheme_id "
        "WHERE a.public_id = $1", &p, 1, &r);

    if (rc != DB_OK)
        goto out;
    rc = db_step(r);
    if (rc == DB_ROW) {
        read_attempt(r, out);
        rc = DB_OK;
    } else if (rc == DB_DONE) {
        rc = DB_ENOTFOUND;
    }
out:
    db_rows_free(r);
    return rc;
}

int exam_attempt_submit(db *d, int64_t id, int64_t now, const char *answers, int correct,
                        int score, int passed, int *updated)
{
    int64_t changes = 0;
    db_val p[] = {DB_INT(now), DB_TEXT(answers), DB_INT(correct), DB_INT(score),
                  DB_INT(passed ? 1 : 0), DB_INT(id)};
    int rc = db_run(d,
        "UPDATE test_attempts SET submitted_at = $1, answers = $2, correct = $3, score = $4, "
        "passed = $5 WHERE id = $6 AND submitted_at IS NULL", p, 6, &changes);

    *updated = rc == DB_OK && changes > 0;
    return rc;
}

int exam_attempts_list(db *d, int64_t account_id, struct exam_attempt *out, int max, int *n)
{
    db_val p[] = {DB_INT(account_id), DB_INT(max)};
    db_rows *r = NULL;
    int rc = db_query(d,
        "SELECT " ACOLS " FROM test_attempts a JOIN schemes s ON s.id = a.scheme_id "
        "WHERE a.account_id = $1 ORDER BY a.started_at DESC, a.id DESC LIMIT $2", p, 2, &r);

    *n = 0;
    if (rc != DB_OK)
        goto out;
    while (*n < max && (rc = db_step(r)) == DB_ROW)
        read_attempt(r, &out[(*n)++]);
    if (rc == DB_DONE || rc == DB_ROW)
        rc = DB_OK;
out:
    db_rows_free(r);
    return rc;
}

int exam_attempt_on_day(db *d, int64_t account_id, const char *day, int *found)
{
    db_val p[] = {DB_INT(account_id), DB_TEXT(day)};
    int64_t one = 0;
    int rc = db_one_int(d, "SELECT 1 FROM test_attempts WHERE account_id = $1 AND day = $2",
                        p, 2, &one);

    *found = rc == DB_OK;
    return rc == DB_ENOTFOUND ? DB_OK : rc;
}
