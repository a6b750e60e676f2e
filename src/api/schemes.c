/*
 * schemes (API): GET /api/v1/schemes and GET /api/v1/schemes/{code}, public
 * reads of the schemes table: every amount and rule of a scheme, with the text
 * lists of the row turned into JSON arrays (excluded_occupations a list of
 * codes, priority_tiers a list of lists) and the 0/1 columns into booleans.
 * Schemes are catalog data, read through req->db_read like regions. The code in
 * the path is checked for shape before any query.
 */
#include <string.h>

#include "api/app.h"
#include "api/auth.h"
#include "api/reply.h"
#include "store/schemes.h"

/* Appends the comma list s[0..n) to arr as strings. */
static void comma_items(json_t *arr, const char *s, size_t n)
{
    size_t start = 0;

    if (n == 0)
        return;
    for (size_t i = 0; i <= n; i++) {
        if (i == n || s[i] == ',') {
            json_array_append_new(arr, json_stringn(s + start, i - start));
            start = i + 1;
        }
    }
}

static json_t *tiers_json(const char *s)
{
    json_t *arr = json_array();
    size_t n = strlen(s), start = 0;

    if (n == 0)
        return arr;
    for (size_t i = 0; i <= n; i++) {
        if (i == n || s[i] == '|') {
            json_t *group = json_array();
            comma_items(group, s + start, i - start);
            json_array_append_new(arr, group);
            start = i + 1;
        }
    }
    return arr;
}

static json_t *scheme_json(const struct scheme *s)
{
    json_t *occ = json_array();

    comma_items(occ, s->excluded_occupations, strlen(s->excluded_occupations));
    return json_pack(
        "{s:s, s:s, s:I, s:I, s:i, s:i, s:I, s:i, s:i, s:i, s:i, s:b, s:i, s:i, s:o, s:b, "
        "s:o, s:i, s:i, s:i}",
        "code", s->code, "name", s->name, "training_balance", (json_int_t)s->training_balance,
        "incentive_amount", (json_int_t)s->incentive_amount, "incentive_count",
        s->incentive_count, "incentive_interval_days", s->incentive_interval_days,
        "survey_amount", (json_int_t)s->survey_amount, "survey_count", s->survey_count,
        "purchase_deadline_days", s->purchase_deadline_days, "age_min", s->age_min, "age_max",
        s->age_max, "exclude_aid", s->exclude_aid != 0, "max_per_kk", s->max_per_kk,
        "min_course_hours", s->min_course_hours, "excluded_occupations", occ,
        "exclude_students", s->exclude_students != 0, "priority_tiers",
        tiers_json(s->priority_tiers), "test_questions", s->test_questions, "test_minutes",
        s->test_minutes, "test_pass_mark", s->test_pass_mark);
}

static int code_shape_ok(const char *code)
{
    size_t n = code ? strnlen(code, SCHEME_CODE_MAX + 1) : 0;

    if (n == 0 || n > SCHEME_CODE_MAX)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = code[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
            return 0;
    }
    return 1;
}

static int add_item(const struct scheme *s, void *ctx)
{
    json_array_append_new(ctx, scheme_json(s));
    return 0;
}

void api_schemes_list(struct http_req *req)
{
    json_t *items;
    int rc;

    if (!req->db_read) {
        api_store_error(req, DB_EUNAVAILABLE);
        return;
    }
    items = json_array();
    rc = schemes_each(req->db_read, add_item, items);
    if (rc != DB_OK) {
        json_decref(items);
        api_store_error(req, rc);
        return;
    }
    api_json(req, 200, json_pack("{s:o}", "items", items));
}

void api_schemes_get(struct http_req *req)
{
    const char *code = req->params[0];
    struct scheme s;
    int rc;

    if (!code_shape_ok(code)) {
        api_problem(req, "scheme.not_found", NULL);
        return;
    }
    if (!req->db_read) {
        api_store_error(req, DB_EUNAVAILABLE);
        return;
    }
    rc = schemes_by_code(req->db_read, code, &s);
    if (rc == DB_ENOTFOUND) {
        api_problem(req, "scheme.not_found", NULL);
        return;
    }
    if (rc != DB_OK) {
        api_store_error(req, rc);
        return;
    }
    api_json(req, 200, scheme_json(&s));
}
