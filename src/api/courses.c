/*
 * courses (API): the course catalog (docs/api.md, "Catalog"): the public
 * search and course pages, the category list, providers' own courses and
 * sessions (partner API: a signed request of a provider, or its staff's bearer
 * token, api/partner_auth.h), and curation by admins.
 *
 * Handlers check the caller and every input, then hand one unit of work to
 * store/courses.c, whose outcomes (course.not_editable, course.bad_state, ...)
 * map onto problems through courses_code(). Course bodies are judged whole by
 * core/catalog.c, so a provider sees every bad field at once; the smallest
 * min_course_hours of all schemes is read per request (a course is sold under
 * any scheme). Every write is audited by the store in its transaction, with the
 * actor "account:<public id>" for admins and "partner:<public id>:<key id>" or
 * "partner:<public id>:account:<row id>" for a provider's key or staff.
 *
 * The public catalog (search, course pages of anonymous callers, categories)
 * is read through req->db_read, the read-only connection; anything a provider
 * or an admin reads about the courses they manage comes from the primary, so a
 * change shows at once. Replies are written with the api_jw_* writer: the
 * search is the catalog's busiest read. List cursors are opaque strings: the
 * public search's is "<price>.<course id>" (its keyset), the others' the last
 * course id of the page.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/app.h"
#include "api/auth.h"
#include "api/partner_auth.h"
#include "api/reply.h"
#include "core/catalog.h"
#include "core/terms.h"
#include "core/text.h"
#include "store/courses.h"
#include "store/partners.h"
#include "util/utc.h"

#define LIMIT_DEFAULT 20
#define QUERY_MAX 200                    /* bytes of ?q= */
#define MAX_ERRS 24

static int64_t now_s(void)
{
    return (int64_t)time(NULL);
}

/* The read connection; NULL, after answering 503, while it cannot be opened. */
static struct db *read_db(struct http_req *req)
{
    if (!req->db_read)
        api_store_error(req, DB_EUNAVAILABLE);
    return req->db_read;
}

/* Answers a failed store call: a COURSES_* outcome (or not found) as its
 * problem, else 503/500. */
static void reply_store(struct http_req *req, int rc)
{
    const char *code = courses_code(rc);
    if (code)
        api_problem(req, code, NULL);
    else
        api_store_error(req, rc);
}

/* A decimal of 1..18 digits into *out; -1 otherwise. */
static int parse_digits(const char *s, int64_t *out)
{
    int64_t v = 0;
    size_t n = s ? strlen(s) : 0;
    if (n == 0 || n > 18)
        return -1;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

/* ?limit= (1..COURSES_PAGE_MAX, default 20) into *limit; -1 after replying. */
static int parse_limit(struct http_req *req, int *limit)
{
    const char *s = http_query(req, "limit");
    int64_t v = LIMIT_DEFAULT;
    if (s && (parse_digits(s, &v) != 0 || v < 1 || v > COURSES_PAGE_MAX)) {
        api_problem(req, "page.invalid", "limit must be 1 to 100");
        return -1;
    }
    *limit = (int)v;
    return 0;
}

/* ?after= of the id-ordered lists: a course id; -1 after replying. */
static int parse_after_id(struct http_req *req, const char **after)
{
    *after = http_query(req, "after");
    if (*after && !accounts_public_id_valid(*after)) {
        api_problem(req, "course.cursor_invalid", NULL);
        return -1;
    }
    return 0;
}

static const char *partner_actor(struct http_req *req, const struct partner_ctx *p)
{
    if (p->key_id[0])
        return arena_printf(req->arena, "partner:%s:%s", p->public_id, p->key_id);
    return arena_printf(req->arena, "partner:%s:account:%lld", p->public_id,
                        (long long)p->account_id);
}

/* Authenticates an admin; -1 after replying. */
static int require_admin(struct http_req *req, struct auth_ctx *a)
{
    if (api_auth(req, a) != 0)
        return -1;
    if (!api_role_in(a, "admin", NULL)) {
        api_problem(req, "auth.forbidden", NULL);
        return -1;
    }
    return 0;
}

/* catalog_course_check's regency test over the app's sorted district codes: a
 * regency "DD.dd" exists when some district code DDddxx has it as prefix. */
static int regency_exists(void *ctx, const char *code)
{
    const struct app *a = ctx;
    int64_t key = ((code[0] - '0') * 1000 + (code[1] - '0') * 100 + (code[3] - '0') * 10 +
                   (code[4] - '0')) * 100LL;
    int lo = 0, hi = a->ndistrict_codes;
    while (lo < hi) {
        int m = lo + (hi - lo) / 2;
        if (a->district_codes[m] < key)
            lo = m + 1;
        else
            hi = m;
    }
    return lo < a->ndistrict_codes && a->district_codes[lo] / 100 == key / 100;
}

/* ---- writing courses ---- */

/* The average of the stars with one decimal ("4.5"), or null. */
static void put_rating(struct api_jw *w, const struct course *c)
{
    char num[32];
    api_jw_raw(w, ",\"rating\":{\"average\":");
    if (c->rating_count > 0) {
        long long tenths = (long long)((c->rating_sum * 20 + c->rating_count) /
                                       (2 * c->rating_count));
        snprintf(num, sizeof num, "%lld.%lld", tenths / 10, tenths % 10);
        api_jw_raw(w, num);
    } else {
        api_jw_raw(w, "null");
    }
    api_jw_raw(w, ",\"count\":");
    api_jw_int(w, (long long)c->rating_count);
    api_jw_raw(w, "}");
}

/* COURSE_SUMMARY without its closing brace. */
static void put_summary(struct api_jw *w, const struct course *c)
{
    api_jw_raw(w, "{\"course_id\":");
    api_jw_str(w, c->public_id);
    api_jw_raw(w, ",\"title\":");
    api_jw_str(w, c->title);
    api_jw_raw(w, ",\"provider\":{\"id\":");
    api_jw_str(w, c->provider_public_id);
    api_jw_raw(w, ",\"name\":");
    api_jw_str(w, c->provider_name);
    api_jw_raw(w, "},\"category\":");
    api_jw_str(w, c->category);
    api_jw_raw(w, ",\"level\":");
    api_jw_str(w, c->level);
    api_jw_raw(w, ",\"purpose\":");
    api_jw_str(w, c->purpose);
    api_jw_raw(w, ",\"mode\":");
    api_jw_str(w, c->mode);
    api_jw_raw(w, ",\"hours\":");
    api_jw_int(w, c->hours);
    api_jw_raw(w, ",\"price\":");
    api_jw_int(w, (long long)c->price);
    api_jw_raw(w, ",\"regency_code\":");
    api_jw_str(w, c->regency_code[0] ? c->regency_code : NULL);
    put_rating(w, c);
}

static void put_session(struct api_jw *w, const struct course_session *s)
{
    char iso[21];
    api_jw_raw(w, "{\"session_id\":");
    api_jw_str(w, s->public_id);
    api_jw_raw(w, ",\"starts_at\":");
    if (s->starts_at) {
        api_time_iso(s->starts_at, iso);
        api_jw_str(w, iso);
    } else {
        api_jw_raw(w, "null");
    }
    api_jw_raw(w, ",\"capacity\":");
    api_jw_int(w, s->capacity);
    api_jw_raw(w, ",\"seats_left\":");
    api_jw_int(w, s->capacity > s->seats_taken ? s->capacity - s->seats_taken : 0);
    api_jw_raw(w, "}");
}

struct detail_ctx {
    const char *public_id;
    struct course c;
    struct course_text *t;
    struct course_session *s;
    int ns;
};

static int read_detail(db *d, void *vctx)
{
    struct detail_ctx *x = vctx;
    int rc = x->public_id ? courses_by_public_id(d, x->public_id, &x->c) : DB_OK;
    if (rc == DB_OK)
        rc = courses_text(d, x->c.id, x->t);
    if (rc == DB_OK)
        rc = courses_sessions(d, x->c.id, x->s, CATALOG_SESSIONS_MAX, &x->ns);
    return rc;
}

/* Answers COURSE for x->c with its text and sessions (read here when
 * x->t is NULL), under status. */
static void reply_course(struct http_req *req, db *d, int status, struct detail_ctx *x)
{
    struct api_jw w;
    int rc;

    if (!x->t) {
        x->t = arena_alloc(req->arena, sizeof *x->t);
        x->s = arena_alloc(req->arena, sizeof *x->s * CATALOG_SESSIONS_MAX);
        x->public_id = NULL;
        rc = db_read(d, read_detail, x);
        if (rc != DB_OK) {
            reply_store(req, rc);
            return;
        }
    }
    api_jw_begin(&w, req);
    put_summary(&w, &x->c);
    api_jw_raw(&w, ",\"description\":");
    api_jw_str(&w, x->t->description);
    api_jw_raw(&w, ",\"address\":");
    api_jw_str(&w, x->t->address[0] ? x->t->address : NULL);
    api_jw_raw(&w, ",\"status\":");
    api_jw_str(&w, x->c.status);
    api_jw_raw(&w, ",\"reject_reason\":");
    api_jw_str(&w, x->t->reject_reason[0] ? x->t->reject_reason : NULL);
    api_jw_raw(&w, ",\"sessions\":[");
    for (int i = 0; i < x->ns; i++) {
        if (i)
            api_jw_raw(&w, ",");
        put_session(&w, &x->s[i]);
    }
    api_jw_raw(&w, "]}");
    if (status == 201)
        req->location = arena_printf(req->arena, "/api/v1/courses/%s", x->c.public_id);
    api_jw_end(&w, status);
}

static void reply_one(struct http_req *req, int status, const struct course *c)
{
    struct detail_ctx x = {.c = *c};
    reply_course(req, req->db, status, &x);
}

/* {"items":[summaries, with status when with_status],"next":...}. */
static void reply_list(struct http_req *req, const struct course *items, int n, int more,
                       int with_status, int price_cursor)
{
    struct api_jw w;
    char cursor[64];

    api_jw_begin(&w, req);
    api_jw_raw(&w, "{\"items\":[");
    for (int i = 0; i < n; i++) {
        if (i)
            api_jw_raw(&w, ",");
        put_summary(&w, &items[i]);
        if (with_status) {
            api_jw_raw(&w, ",\"status\":");
            api_jw_str(&w, items[i].status);
        }
        api_jw_raw(&w, "}");
    }
    api_jw_raw(&w, "],\"next\":");
    if (more && n > 0) {
        if (price_cursor)
            snprintf(cursor, sizeof cursor, "%lld.%s", (long long)items[n - 1].price,
                     items[n - 1].public_id);
        else
            snprintf(cursor, sizeof cursor, "%s", items[n - 1].public_id);
        api_jw_str(&w, cursor);
    } else {
        api_jw_raw(&w, "null");
    }
    api_jw_raw(&w, "}");
    api_jw_end(&w, 200);
}

/* ---- GET /api/v1/course-categories ---- */

void api_course_categories(struct http_req *req)
{
    struct api_jw w;
    int n = 0;
    const struct catalog_category *c = catalog_categories(&n);

    api_jw_begin(&w, req);
    api_jw_raw(&w, "{\"items\":[");
    for (int i = 0; i < n; i++) {
        api_jw_raw(&w, i ? ",{\"code\":" : "{\"code\":");
        api_jw_str(&w, c[i].code);
        api_jw_raw(&w, ",\"name\":{\"id\":");
        api_jw_str(&w, c[i].id);
        api_jw_raw(&w, ",\"en\":");
        api_jw_str(&w, c[i].en);
        api_jw_raw(&w, "}}");
    }
    api_jw_raw(&w, "]}");
    api_jw_end(&w, 200);
}

/* ---- GET /api/v1/courses ---- */

/* An optional filter that must be one of valid's values; -1 after replying. */
static int enum_filter(struct http_req *req, const char *name, int (*valid)(const char *),
                       const char *code, const char **out)
{
    *out = http_query(req, name);
    if (*out && !valid(*out)) {
        api_problem(req, code, NULL);
        return -1;
    }
    return 0;
}

static int price_filter(struct http_req *req, const char *name, int64_t *out)
{
    const char *s = http_query(req, name);
    *out = -1;
    if (s && parse_digits(s, out) != 0) {
        api_problem(req, "course.filter_invalid",
                    arena_printf(req->arena, "%s must be a whole number of rupiah", name));
        return -1;
    }
    return 0;
}

/* "<price>.<course id>" into q; -1 after replying. */
static int parse_price_cursor(struct http_req *req, struct courses_query *q)
{
    const char *s = http_query(req, "after");
    const char *dot;
    char digits[24];

    if (!s)
        return 0;
    dot = strchr(s, '.');
    if (!dot || dot == s || (size_t)(dot - s) >= sizeof digits || !accounts_public_id_valid(dot + 1)) {
        api_problem(req, "course.cursor_invalid", NULL);
        return -1;
    }
    memcpy(digits, s, (size_t)(dot - s));
    digits[dot - s] = '\0';
    if (parse_digits(digits, &q->after_price) != 0) {
        api_problem(req, "course.cursor_invalid", NULL);
        return -1;
    }
    q->after_public_id = dot + 1;
    return 0;
}

void api_courses_list(struct http_req *req)
{
    struct courses_query q = {.min_price = -1, .max_price = -1};
    terms_word *words = arena_alloc(req->arena, sizeof *words * (COURSES_QUERY_WORDS + 1));
    const char *text = http_query(req, "q");
    struct course *items;
    int n = 0, more = 0, rc, full = 0;
    db *d;

    if (text) {
        size_t len = strlen(text);
        if (len > QUERY_MAX || !text_utf8_valid(text, len)) {
            api_problem(req, "course.query_invalid", NULL);
            return;
        }
        q.nwords = terms_split(text, len, words, COURSES_QUERY_WORDS, &full);
        if (full) {
            api_problem(req, "course.query_invalid", NULL);
            return;
        }
        q.words = (const terms_word *)words;
    }
    if (enum_filter(req, "category", catalog_category_valid, "course.category_invalid",
                    &q.category) ||
        enum_filter(req, "mode", catalog_mode_valid, "course.mode_invalid", &q.mode) ||
        enum_filter(req, "level", catalog_level_valid, "course.level_invalid", &q.level) ||
        enum_filter(req, "regency", catalog_regency_shape, "course.regency_unknown",
                    &q.regency_code) ||
        price_filter(req, "min_price", &q.min_price) ||
        price_filter(req, "max_price", &q.max_price) || parse_limit(req, &q.limit) ||
        parse_price_cursor(req, &q))
        return;
    if (!(d = read_db(req)))
        return;
    items = arena_alloc(req->arena, sizeof *items * (size_t)q.limit);
    rc = courses_search(d, &q, items, &n, &more);
    if (rc == DB_ENOTFOUND) {
        api_problem(req, "course.cursor_invalid", NULL);
        return;
    }
    if (rc != DB_OK) {
        api_store_error(req, rc);
        return;
    }
    reply_list(req, items, n, more, 0, 1);
}

/* ---- GET /api/v1/courses/{id} ---- */

/* Who is asking, for a course that is not approved: *admin = 1 for admins,
 * *provider_id = the partner a provider's key or staff works for. 0, or -1
 * after replying (a bad token or signature is refused even here). */
static int viewer(struct http_req *req, int *admin, int64_t *provider_id)
{
    *admin = 0;
    *provider_id = 0;
    if (http_header(req, "X-Prakerja-Key")) {
        struct partner_ctx p;
        if (api_partner_auth(req, NULL, &p) != 0)
            return -1;
        if (strcmp(p.kind, "provider") == 0)
            *provider_id = p.partner_id;
        return 0;
    }
    if (http_header(req, "Authorization")) {
        struct auth_ctx a;
        struct partner partner;
        int rc;
        if (api_auth(req, &a) != 0)
            return -1;
        if (api_role_in(&a, "admin", NULL)) {
            *admin = 1;
            return 0;
        }
        if (!api_role_in(&a, "provider", NULL))
            return 0;
        rc = partners_of_account(req->db, a.account_id, &partner);
        if (rc == DB_OK && strcmp(partner.kind, "provider") == 0)
            *provider_id = partner.id;
        else if (rc != DB_OK && rc != DB_ENOTFOUND) {
            api_store_error(req, rc);
            return -1;
        }
    }
    return 0;
}

void api_courses_get(struct http_req *req)
{
    struct detail_ctx x = {.public_id = req->params[0]};
    int admin = 0, authed, rc;
    int64_t provider_id = 0;
    db *d;

    if (!accounts_public_id_valid(x.public_id)) {
        api_problem(req, "course.not_found", NULL);
        return;
    }
    authed = http_header(req, "X-Prakerja-Key") || http_header(req, "Authorization");
    if (viewer(req, &admin, &provider_id) != 0)
        return;
    d = authed ? req->db : read_db(req);
    if (!d)
        return;
    x.t = arena_alloc(req->arena, sizeof *x.t);
    x.s = arena_alloc(req->arena, sizeof *x.s * CATALOG_SESSIONS_MAX);
    rc = db_read(d, read_detail, &x);
    if (rc == DB_OK && strcmp(x.c.status, "approved") != 0 && !admin &&
        (provider_id == 0 || provider_id != x.c.provider_id))
        rc = DB_ENOTFOUND;
    if (rc != DB_OK) {
        reply_store(req, rc);
        return;
    }
    reply_course(req, d, 200, &x);
}

/* ---- the provider's courses ---- */

/* Reads a course body into f; replies 400 with every bad field and returns -1,
 * or returns 0. */
static int course_body(struct http_req *req, struct course_fields *f)
{
    struct field_error errs[MAX_ERRS], cerrs[CATALOG_FIELDS];
    struct catalog_course_in in;
    int n = 0, nc, min_hours = 0, rc;
    json_t *body;

    if (!(body = api_body_object(req)))
        return -1;
    memset(&in, 0, sizeof in);
    api_field_str(req, body, "title", CATALOG_TITLE_MAX, &in.title, errs, &n, MAX_ERRS);
    api_field_str(req, body, "description", CATALOG_DESCRIPTION_MAX, &in.description, errs, &n,
                  MAX_ERRS);
    api_field_str(req, body, "category", 40, &in.category, errs, &n, MAX_ERRS);
    api_field_str(req, body, "level", 16, &in.level, errs, &n, MAX_ERRS);
    api_field_str(req, body, "purpose", 16, &in.purpose, errs, &n, MAX_ERRS);
    api_field_str(req, body, "mode", 16, &in.mode, errs, &n, MAX_ERRS);
    in.has_hours = api_field_int(req, body, "hours", &in.hours, errs, &n, MAX_ERRS) == 0;
    in.has_price = api_field_int(req, body, "price", &in.price, errs, &n, MAX_ERRS) == 0;
    api_field_str(req, body, "regency_code", 16, &in.regency_code, errs, &n, MAX_ERRS);
    api_field_str(req, body, "address", CATALOG_ADDRESS_MAX, &in.address, errs, &n, MAX_ERRS);
    json_decref(body);
    rc = courses_min_hours(req->db, &min_hours);
    if (rc != DB_OK) {
        api_store_error(req, rc);
        return -1;
    }
    nc = catalog_course_check(&in, min_hours, regency_exists, req->app, cerrs,
                              CATALOG_FIELDS);
    /* A field already refused while reading it is not reported again as missing. */
    for (int i = 0; i < nc; i++) {
        int seen = 0;
        for (int j = 0; j < n && !seen; j++)
            seen = strcmp(errs[j].field, cerrs[i].field) == 0;
        if (!seen && n < MAX_ERRS)
            errs[n++] = cerrs[i];
    }
    if (n > 0) {
        api_problem_fields(req, errs, n);
        return -1;
    }
    *f = (struct course_fields){in.title, in.description, in.category, in.level, in.purpose,
                                in.mode, in.regency_code, in.address, (int)in.hours,
                                (int64_t)in.price};
    return 0;
}

void api_partner_courses_list(struct http_req *req)
{
    struct partner_ctx p;
    const char *status = http_query(req, "status"), *after;
    struct course *items;
    int limit, n = 0, more = 0, rc;

    if (api_partner_auth(req, "provider", &p) != 0)
        return;
    if (status && !catalog_status_valid(status)) {
        api_problem(req, "course.status_invalid", NULL);
        return;
    }
    if (parse_limit(req, &limit) || parse_after_id(req, &after))
        return;
    items = arena_alloc(req->arena, sizeof *items * (size_t)limit);
    rc = courses_list(req->db, p.partner_id, status, after, limit, items, &n, &more);
    if (rc == DB_ENOTFOUND) {
        api_problem(req, "course.cursor_invalid", NULL);
        return;
    }
    if (rc != DB_OK) {
        api_store_error(req, rc);
        return;
    }
    reply_list(req, items, n, more, 1, 0);
}

void api_partner_courses_create(struct http_req *req)
{
    struct partner_ctx p;
    struct course_fields f;
    struct course c;
    int rc;

    if (api_partner_auth(req, "provider", &p) != 0)
        return;
    if (course_body(req, &f) != 0)
        return;
    rc = courses_create(req->db, p.partner_id, &f, now_s(), partner_actor(req, &p), &c);
    if (rc != DB_OK) {
        reply_store(req, rc);
        return;
    }
    reply_one(req, 201, &c);
}

void api_partner_courses_update(struct http_req *req)
{
    struct partner_ctx p;
    struct course_fields f;
    struct course c;
    int rc;

    if (api_partner_auth(req, "provider", &p) != 0)
        return;
    if (!accounts_public_id_valid(req->params[0])) {
        api_problem(req, "course.not_found", NULL);
        return;
    }
    if (course_body(req, &f) != 0)
        return;
    rc = courses_update(req->db, p.partner_id, req->params[0], &f, now_s(),
                        partner_actor(req, &p), &c);
    if (rc != DB_OK) {
        reply_store(req, rc);
        return;
    }
    reply_one(req, 200, &c);
}

void api_partner_courses_submit(struct http_req *req)
{
    struct partner_ctx p;
    struct course c;
    int rc;

    if (api_partner_auth(req, "provider", &p) != 0)
        return;
    if (!accounts_public_id_valid(req->params[0])) {
        api_problem(req, "course.not_found", NULL);
        return;
    }
    rc = courses_submit(req->db, p.partner_id, req->params[0], now_s(), partner_actor(req, &p),
                        &c);
    if (rc != DB_OK) {
        reply_store(req, rc);
        return;
    }
    reply_one(req, 200, &c);
}

void api_partner_sessions_create(struct http_req *req)
{
    struct partner_ctx p;
    struct field_error errs[4], err;
    struct course_session s;
    struct api_jw w;
    const char *starts = NULL;
    long long capacity = 0;
    int64_t starts_at = 0;
    int n = 0, has_cap, rc;
    json_t *body;

    if (api_partner_auth(req, "provider", &p) != 0)
        return;
    if (!accounts_public_id_valid(req->params[0])) {
        api_problem(req, "course.not_found", NULL);
        return;
    }
    if (!(body = api_body_object(req)))
        return;
    if (api_field_str(req, body, "starts_at", 40, &starts, errs, &n, 4) == 0 &&
        utc_parse(starts, &starts_at) != 0)
        errs[n++] = (struct field_error){"starts_at", "session.starts_at_invalid"};
    has_cap = api_field_int(req, body, "capacity", &capacity, errs, &n, 4);
    if (has_cap == 1)
        errs[n++] = (struct field_error){"capacity", "field.required"};
    else if (has_cap == 0 && (capacity < 1 || capacity > CATALOG_CAPACITY_MAX))
        errs[n++] = (struct field_error){"capacity", "session.capacity_invalid"};
    json_decref(body);
    if (n > 0) {
        api_problem_fields(req, errs, n);
        return;
    }
    rc = courses_session_add(req->db, p.partner_id, req->params[0], starts != NULL, starts_at,
                             (int)capacity, now_s(), partner_actor(req, &p), &err, &s);
    if (rc == COURSES_INVALID) {
        api_problem_fields(req, &err, 1);
        return;
    }
    if (rc != DB_OK) {
        reply_store(req, rc);
        return;
    }
    api_jw_begin(&w, req);
    put_session(&w, &s);
    api_jw_end(&w, 201);
}

/* ---- curation ---- */

void api_admin_courses_list(struct http_req *req)
{
    struct auth_ctx a;
    const char *status = http_query(req, "status"), *after;
    struct course *items;
    int limit, n = 0, more = 0, rc;

    if (require_admin(req, &a) != 0)
        return;
    if (status && !catalog_status_valid(status)) {
        api_problem(req, "course.status_invalid", NULL);
        return;
    }
    if (parse_limit(req, &limit) || parse_after_id(req, &after))
        return;
    items = arena_alloc(req->arena, sizeof *items * (size_t)limit);
    rc = courses_list(req->db, 0, status, after, limit, items, &n, &more);
    if (rc == DB_ENOTFOUND) {
        api_problem(req, "course.cursor_invalid", NULL);
        return;
    }
    if (rc != DB_OK) {
        api_store_error(req, rc);
        return;
    }
    reply_list(req, items, n, more, 1, 0);
}

static void review(struct http_req *req, int approve)
{
    struct auth_ctx a;
    struct course c;
    const char *reason = NULL;
    int rc;

    if (require_admin(req, &a) != 0)
        return;
    if (!accounts_public_id_valid(req->params[0])) {
        api_problem(req, "course.not_found", NULL);
        return;
    }
    if (!approve) {
        struct field_error errs[2];
        int n = 0;
        json_t *body = api_body_object(req);
        if (!body)
            return;
        if (api_field_str(req, body, "reason", COURSES_REASON_MAX, &reason, errs, &n, 2) == 1)
            errs[n++] = (struct field_error){"reason", "field.required"};
        else if (n == 0 && !catalog_reason_valid(reason))
            errs[n++] = (struct field_error){"reason", "course.reason_invalid"};
        json_decref(body);
        if (n > 0) {
            api_problem_fields(req, errs, n);
            return;
        }
    }
    rc = courses_review(req->db, req->params[0], approve, reason, a.account_id, now_s(),
                        arena_printf(req->arena, "account:%s", a.public_id), &c);
    if (rc != DB_OK) {
        reply_store(req, rc);
        return;
    }
    reply_one(req, 200, &c);
}

void api_admin_courses_approve(struct http_req *req)
{
    review(req, 1);
}

void api_admin_courses_reject(struct http_req *req)
{
    review(req, 0);
}
