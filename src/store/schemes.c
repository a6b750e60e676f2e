/*
 * schemes (store): SQL for the schemes table (migration 0003). Every lookup runs
 * one prepared statement with the same column list and copies the row into a
 * struct scheme; text columns are cut to the struct's bounds, which are the
 * bounds scheme_validate enforces before a row is written, so nothing stored
 * through schemes_insert is ever cut. The two "0/1" columns are read as ints.
 */
#include "store/schemes.h"

#include <string.h>

#include "util/str.h"

#define COLS "id, code, name, training_balance, incentive_amount, incentive_count, "      \
             "incentive_interval_days, survey_amount, survey_count, purchase_deadline_days, " \
             "age_min, age_max, exclude_aid, max_per_kk, min_course_hours, "                  \
             "excluded_occupations, exclude_students, priority_tiers, test_questions, "      \
             "test_minutes, test_pass_mark, created_at"

static void read_row(db_rows *r, struct scheme *s)
{
    memset(s, 0, sizeof *s);
    s->id = db_int(r, 0);
    str_copy(s->code, sizeof s->code, db_text(r, 1));
    str_copy(s->name, sizeof s->name, db_text(r, 2));
    s->training_balance = db_int(r, 3);
    s->incentive_amount = db_int(r, 4);
    s->incentive_count = (int)db_int(r, 5);
    s->incentive_interval_days = (int)db_int(r, 6);
    s->survey_amount = db_int(r, 7);
    s->survey_count = (int)db_int(r, 8);
    s->purchase_deadline_days = (int)db_int(r, 9);
    s->age_min = (int)db_int(r, 10);
    s->age_max = (int)db_int(r, 11);
    s->exclude_aid = (int)db_int(r, 12);
    s->max_per_kk = (int)db_int(r, 13);
    s->min_course_hours = (int)db_int(r, 14);
    str_copy(s->excluded_occupations, sizeof s->excluded_occupations, db_text(r, 15));
    s->exclude_students = (int)db_int(r, 16);
    str_copy(s->priority_tiers, sizeof s->priority_tiers, db_text(r, 17));
    s->test_questions = (int)db_int(r, 18);
    s->test_minutes = (int)db_int(r, 19);
    s->test_pass_mark = (int)db_int(r, 20);
    s->created_at = db_int(r, 21);
}

static int one_row(db *d, const char *sql, const db_val *p, int np, struct scheme *out)
{
    db_rows *r = NULL;
    int rc = db_query(d, sql, p, np, &r);

    if (rc != DB_OK)
        goto out;
    rc = db_step(r);
    if (rc == DB_ROW) {
        read_row(r, out);
        rc = DB_OK;
    } else if (rc == DB_DONE) {
        rc = DB_ENOTFOUND;
    }
out:
    db_rows_free(r);
    return rc;
}

int schemes_by_id(db *d, int64_t id, struct scheme *out)
{
    db_val p = DB_INT(id);
    return one_row(d, "SELECT " COLS " FROM schemes WHERE id = $1", &p, 1, out);
}

int schemes_by_code(db *d, const char *code, struct scheme *out)
{
    db_val p = DB_TEXT(code);
    return one_row(d, "SELECT " COLS " FROM schemes WHERE code = $1", &p, 1, out);
}

int schemes_default(db *d, int64_t now, struct scheme *out)
{
    db_val p = DB_INT(now);
    int rc = one_row(d,
        "SELECT " COLS " FROM schemes WHERE id = (SELECT scheme_id FROM waves "
        "WHERE closes_at > $1 AND (status = 'open' OR (status = 'scheduled' AND "
        "opens_at <= $1)) ORDER BY number LIMIT 1)", &p, 1, out);

    if (rc != DB_ENOTFOUND)
        return rc;
    return one_row(d, "SELECT " COLS " FROM schemes ORDER BY created_at DESC, id DESC LIMIT 1",
                   NULL, 0, out);
}

int schemes_insert(db *d, struct scheme *s)
{
    int64_t id = 0;
    int rc;
    db_val p[] = {
        DB_TEXT(s->code), DB_TEXT(s->name), DB_INT(s->training_balance),
        DB_INT(s->incentive_amount), DB_INT(s->incentive_count),
        DB_INT(s->incentive_interval_days), DB_INT(s->survey_amount), DB_INT(s->survey_count),
        DB_INT(s->purchase_deadline_days), DB_INT(s->age_min), DB_INT(s->age_max),
        DB_INT(s->exclude_aid), DB_INT(s->max_per_kk), DB_INT(s->min_course_hours),
        DB_TEXT(s->excluded_occupations), DB_INT(s->exclude_students),
        DB_TEXT(s->priority_tiers), DB_INT(s->test_questions), DB_INT(s->test_minutes),
        DB_INT(s->test_pass_mark), DB_INT(s->created_at),
    };

    rc = db_one_int(d,
        "INSERT INTO schemes (code, name, training_balance, incentive_amount, incentive_count, "
        "incentive_interval_days, survey_amount, survey_count, purchase_deadline_days, age_min, "
        "age_max, exclude_aid, max_per_kk, min_course_hours, excluded_occupations, "
        "exclude_students, priority_tiers, test_questions, test_minutes, test_pass_mark, "
        "created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, "
        "$16, $17, $18, $19, $20, $21) RETURNING id",
        p, (int)(sizeof p / sizeof p[0]), &id);
    if (rc == DB_OK)
        s->id = id;
    return rc;
}

int schemes_each(db *d, int (*fn)(const struct scheme *s, void *ctx), void *ctx)
{
    struct scheme s;
    db_rows *r = NULL;
    int rc = db_query(d, "SELECT " COLS " FROM schemes ORDER BY id", NULL, 0, &r);

    if (rc != DB_OK)
        goto out;
    while ((rc = db_step(r)) == DB_ROW) {
        read_row(r, &s);
        if ((rc = fn(&s, ctx)) != 0)
            goto out;
    }
    if (rc == DB_DONE)
        rc = DB_OK;
out:
    db_rows_free(r);
    return rc;
}
