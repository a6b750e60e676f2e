/*
 * API tests of the course catalog (src/api/courses.c) against the real server
 * started by the harness. Providers are made with `prakerja partner create` and
 * their staff with `prakerja admin create --partner`, the admin with `prakerja
 * admin create`, all on the server's database; people then log in through the
 * API. Covered:
 *   - the category list;
 *   - a provider's course from draft to sale: every validation code of the body
 *     (course.too_short against the smallest scheme minimum, a place for
 *     offline courses only, price bounds, unknown values), edits while draft,
 *     sessions (future start for live modes, none for self-paced, one
 *     self-paced session), submit, edits refused once pending, approval only
 *     with a session, rejection with its reason shown to the provider, and what
 *     each kind of caller may see of a course that is not approved;
 *   - who may call: no credentials, a participant, another provider, a platform
 *     key, a provider's signed request (audited with its key);
 *   - the public search over 150 courses: text folded for case and accents with
 *     every word required, each filter, price bounds, pages followed by cursor
 *     with no duplicate and no gap in (price) order, and every bad parameter
 *     answered with its own code.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "harness.h"
#include "partner_sign.h"
#include "../support.h"

static struct harness H;

static void start(void)
{
    cr_assert_eq(harness_start(&H, NULL), 0, "server did not start");
}

static void stop(void)
{
    harness_stop(&H);
}

TestSuite(courses, .init = start, .fini = stop, .timeout = 150);

/* ---- requests ---- */

struct reply {
    long status;
    json_t *json;
    char *raw;
    char location[160];
};

static void reply_free(struct reply *r)
{
    json_decref(r->json);
    free(r->raw);
    memset(r, 0, sizeof *r);
}

/* Sends a request with a bearer token (may be NULL), extra headers (NULL-ended,
 * may be NULL) and a JSON body (may be NULL). */
static struct reply send_req(const char *method, const char *path, const char *token,
                             const char *const *extra, const char *body)
{
    char auth[128];
    const char *hs[12];
    int nh = 0;
    struct harness_reply r;
    struct reply out;

    memset(&out, 0, sizeof out);
    if (token) {
        snprintf(auth, sizeof auth, "Authorization: Bearer %s", token);
        hs[nh++] = auth;
    }
    for (int i = 0; extra && extra[i] && nh < 11; i++)
        hs[nh++] = extra[i];
    hs[nh] = NULL;
    cr_assert_eq(harness_request(&H, method, path, body ? "application/json" : NULL, body,
                                 body ? strlen(body) : 0, hs, &r), 0);
    out.status = r.status;
    out.raw = strdup(r.body ? r.body : "");
    out.json = json_loadb(r.body ? r.body : "", r.body_len, 0, NULL);
    if (!harness_header(&r, "Location", out.location, sizeof out.location))
        out.location[0] = '\0';
    harness_reply_free(&r);
    return out;
}

static struct reply get(const char *path, const char *token)
{
    return send_req("GET", path, token, NULL, NULL);
}

static struct reply post(const char *path, const char *token, const char *body)
{
    return send_req("POST", path, token, NULL, body ? body : "{}");
}

static struct reply put(const char *path, const char *token, const char *body)
{
    return send_req("PUT", path, token, NULL, body);
}

static const char *str(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "(none)";
}

static const char *code_of(const struct reply *r)
{
    return str(r->json, "code");
}

static int has_error(const struct reply *r, const char *field, const char *code)
{
    size_t i;
    json_t *e;
    json_array_foreach(json_object_get(r->json, "errors"), i, e) {
        if (strcmp(str(e, "field"), field) == 0 && strcmp(str(e, "code"), code) == 0)
            return 1;
    }
    return 0;
}

static void expect_problem(struct reply r, long status, const char *code, const char *what)
{
    cr_assert_eq(r.status, status, "%s: %ld %s", what, r.status, r.raw);
    cr_assert_str_eq(code_of(&r), code, "%s: %s", what, r.raw);
    reply_free(&r);
}

static int64_t sql_int(const char *sql, const char *param)
{
    const char *p[1] = {param};
    int64_t v = -1;
    cr_assert_eq(harness_sql_int(&H, sql, param ? p : NULL, param ? 1 : 0, &v), 0, "%s", sql);
    return v;
}

static void sql_text(const char *sql, const char *param, char *out, size_t n)
{
    const char *p[1] = {param};
    cr_assert_eq(harness_sql_text(&H, sql, param ? p : NULL, param ? 1 : 0, out, n), 0, "%s",
                 sql);
}

/* ---- people and partners ---- */

struct cred {
    char partner_id[32];
    char key_id[40];
    char secret[72];
};

static void field(const char *out, const char *name, char *dst, size_t n)
{
    size_t len = strlen(name);
    for (const char *line = out; line && *line;) {
        if (strncmp(line, name, len) == 0 && line[len] == ' ') {
            const char *v = line + len;
            while (*v == ' ')
                v++;
            size_t m = strcspn(v, "\n");
            cr_assert_lt(m, n);
            memcpy(dst, v, m);
            dst[m] = '\0';
            return;
        }
        line = strchr(line, '\n');
        if (line)
            line++;
    }
    cr_assert_fail("no %s in:\n%s", name, out);
}

static struct cred partner(const char *kind, const char *name)
{
    char cmd[1024], out[2048];
    struct cred c;
    snprintf(cmd, sizeof cmd,
             "'%s' partner create --kind %s --name '%s'%s --db '%s' --key '%s' 2>/dev/null",
             getenv("PRAKERJA_BIN"), kind, name,
             strcmp(kind, "provider") == 0
                 ? " --legal-name 'PT Contoh Pelatihan' --tax-id 0123456789012345"
                 : "",
             H.db, H.key);
    cr_assert_eq(test_run(cmd, out, sizeof out), 0, "partner create: %s", out);
    field(out, "partner_id", c.partner_id, sizeof c.partner_id);
    field(out, "key_id", c.key_id, sizeof c.key_id);
    field(out, "secret", c.secret, sizeof c.secret);
    return c;
}

static void login(const char *email, char token[65])
{
    char body[256];
    snprintf(body, sizeof body, "{\"email\":\"%s\",\"password\":\"rahasia123\"}", email);
    struct reply r = post("/api/v1/sessions", NULL, body);
    cr_assert_eq(r.status, 201, "login %s: %s", email, r.raw);
    snprintf(token, 65, "%s", str(r.json, "token"));
    reply_free(&r);
}

/* A staff account (role) of partner_id (NULL: an admin), logged in. */
static void staff(const char *email, const char *role, const char *partner_id, char token[65])
{
    char cmd[1024], out[512];
    snprintf(cmd, sizeof cmd,
             "echo rahasia123 | '%s' admin create --email %s --name 'Staf Uji' %s%s%s%s "
             "--password-stdin --db '%s' 2>&1",
             getenv("PRAKERJA_BIN"), email, role ? "--role " : "", role ? role : "",
             partner_id ? " --partner " : "", partner_id ? partner_id : "", H.db);
    cr_assert_eq(test_run(cmd, out, sizeof out), 0, "admin create: %s", out);
    login(email, token);
}

/* A participant account written straight into the database, logged in. */
static void participant(char token[65])
{
    char body[1024];
    snprintf(body, sizeof body,
             "{\"email\":\"peserta@example.id\",\"password\":\"rahasia123\","
             "\"full_name\":\"Peserta Satu\",\"nik\":\"3509154708950001\","
             "\"kk\":\"3509150101080001\",\"birth_date\":\"1995-08-07\",\"sex\":\"F\","
             "\"phone\":\"081234560001\",\"village_code\":\"35.09.15.2001\","
             "\"education\":\"sma\",\"occupation\":\"unemployed\"}");
    struct reply r = post("/api/v1/accounts", NULL, body);
    cr_assert_eq(r.status, 201, "register: %s", r.raw);
    reply_free(&r);
    login("peserta@example.id", token);
}

/* ---- bodies ---- */

static char *course_body(const char *title, const char *mode, const char *extra)
{
    char *s;
    int located = strcmp(mode, "offline") == 0 || strcmp(mode, "hybrid") == 0;
    cr_assert_neq(asprintf(&s,
                           "{\"title\":\"%s\",\"description\":\"Belajar menyeduh kopi manual "
                           "untuk kedai.\",\"category\":\"food_beverage\",\"level\":\"basic\","
                           "\"purpose\":\"new_skill\",\"mode\":\"%s\",\"hours\":16,"
                           "\"price\":750000%s%s}",
                           title, mode,
                           located ? ",\"regency_code\":\"35.09\",\"address\":\"Jl. Kalimantan "
                                     "37, Jember\""
                                   : "",
                           extra ? extra : ""),
                  -1);
    return s;
}

/* POSTs a course body with one field replaced by value (JSON text, NULL removes
 * it) and expects 400 with code on field. */
static void bad_course(const char *token, const char *mode, const char *key, const char *value,
                       const char *fieldname, const char *code)
{
    char *b = course_body("Barista Pemula", mode, NULL);
    json_t *o = json_loads(b, 0, NULL);
    free(b);
    cr_assert_not_null(o);
    if (value)
        json_object_set_new(o, key, json_loads(value, JSON_DECODE_ANY, NULL));
    else
        json_object_del(o, key);
    b = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    struct reply r = post("/api/v1/partner/courses", token, b);
    free(b);
    cr_assert_eq(r.status, 400, "%s=%s: %s", key, value ? value : "(none)", r.raw);
    cr_assert(has_error(&r, fieldname, code), "%s=%s: want %s on %s: %s", key,
              value ? value : "(none)", code, fieldname, r.raw);
    reply_free(&r);
}

static void iso(int64_t t, char out[32])
{
    struct tm tm;
    time_t tt = (time_t)t;
    gmtime_r(&tt, &tm);
    strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Creates a course through the API and returns its id (static buffer per slot). */
static const char *create_course(const char *token, const char *title, const char *mode)
{
    static char ids[4][32];
    static int slot;
    char *b = course_body(title, mode, NULL);
    struct reply r = post("/api/v1/partner/courses", token, b);
    free(b);
    cr_assert_eq(r.status, 201, "create %s: %s", title, r.raw);
    char *id = ids[slot++ % 4];
    snprintf(id, 32, "%s", str(r.json, "course_id"));
    reply_free(&r);
    return id;
}

static void add_session(const char *token, const char *course, int64_t in_seconds)
{
    char path[128], body[128], when[32];
    if (in_seconds) {
        iso((int64_t)time(NULL) + in_seconds, when);
        snprintf(body, sizeof body, "{\"starts_at\":\"%s\",\"capacity\":30}", when);
    } else {
        snprintf(body, sizeof body, "{\"starts_at\":null,\"capacity\":30}");
    }
    snprintf(path, sizeof path, "/api/v1/partner/courses/%s/sessions", course);
    struct reply r = post(path, token, body);
    cr_assert_eq(r.status, 201, "session: %s", r.raw);
    reply_free(&r);
}

/* ---- tests ---- */

Test(courses, categories)
{
    struct reply r = get("/api/v1/course-categories", NULL);
    json_t *items, *it;
    size_t i;
    int found = 0;

    cr_assert_eq(r.status, 200, "%s", r.raw);
    items = json_object_get(r.json, "items");
    cr_assert_eq(json_array_size(items), 15);
    json_array_foreach(items, i, it) {
        json_t *name = json_object_get(it, "name");
        cr_assert(json_is_string(json_object_get(name, "id")) &&
                  json_is_string(json_object_get(name, "en")));
        if (strcmp(str(it, "code"), "digital_tech") == 0) {
            found = 1;
            cr_assert_str_eq(str(name, "en"), "Digital and Technology");
        }
    }
    cr_assert(found);
    reply_free(&r);
}

Test(courses, from_draft_to_sale)
{
    char prov[65], other[65], admin[65], path[160], path2[160], when[32];
    struct cred p = partner("provider", "Lembaga Kopi Nusantara");
    struct cred q = partner("provider", "Lembaga Lain");
    struct reply r;
    const char *id;
    char *b;

    staff("staf@kopi.id", "provider", p.partner_id, prov);
    staff("staf@lain.id", "provider", q.partner_id, other);
    staff("admin@prakerja.id", NULL, NULL, admin);

    /* Validation: each field, the minimum hours of the schemes, the place. */
    bad_course(prov, "webinar", "title", NULL, "title", "field.required");
    bad_course(prov, "webinar", "title", "\"ab\"", "title", "course.title_invalid");
    bad_course(prov, "webinar", "title", "17", "title", "field.wrong_type");
    bad_course(prov, "webinar", "description", "\"pendek\"", "description",
               "course.description_invalid");
    bad_course(prov, "webinar", "category", "\"cooking\"", "category", "course.category_invalid");
    bad_course(prov, "webinar", "level", "\"expert\"", "level", "course.level_invalid");
    bad_course(prov, "webinar", "purpose", "\"fun\"", "purpose", "course.purpose_invalid");
    bad_course(prov, "webinar", "mode", "\"online\"", "mode", "course.mode_invalid");
    bad_course(prov, "webinar", "hours", "14", "hours", "course.too_short");
    bad_course(prov, "webinar", "hours", "\"16\"", "hours", "field.wrong_type");
    bad_course(prov, "webinar", "hours", "1001", "hours", "course.hours_invalid");
    bad_course(prov, "webinar", "price", "-1", "price", "course.price_invalid");
    bad_course(prov, "webinar", "price", "100000001", "price", "course.price_invalid");
    bad_course(prov, "webinar", "price", NULL, "price", "field.required");
    bad_course(prov, "offline", "regency_code", NULL, "regency_code", "course.regency_required");
    bad_course(prov, "offline", "regency_code", "\"99.99\"", "regency_code",
               "course.regency_unknown");
    bad_course(prov, "hybrid", "address", NULL, "address", "course.address_required");
    bad_course(prov, "webinar", "address", "\"Jl. Kopi 1\"", "address", "course.location_online");
    cr_assert_eq(sql_int("SELECT COUNT(*) FROM courses", NULL), 0, "nothing written");

    /* Draft: created with 15 hours (the smaller scheme minimum), shown to its
     * provider and admins only. */
    b = course_body("Barista Pemula", "offline", NULL);
    memcpy(strstr(b, "\"hours\":16"), "\"hours\":15", 10);
    r = post("/api/v1/partner/courses", prov, b);
    free(b);
    cr_assert_eq(r.status, 201, "%s", r.raw);
    id = strdup(str(r.json, "course_id"));
    cr_assert_str_eq(str(r.json, "status"), "draft");
    cr_assert_str_eq(str(r.json, "regency_code"), "35.09");
    cr_assert_str_eq(str(r.json, "address"), "Jl. Kalimantan 37, Jember");
    cr_assert_str_eq(str(json_object_get(r.json, "provider"), "id"), p.partner_id);
    cr_assert_str_eq(str(json_object_get(r.json, "provider"), "name"), "Lembaga Kopi Nusantara");
    cr_assert(json_is_null(json_object_get(json_object_get(r.json, "rating"), "average")));
    cr_assert_eq(json_array_size(json_object_get(r.json, "sessions")), 0);
    snprintf(path, sizeof path, "/api/v1/courses/%s", id);
    cr_assert_str_eq(r.location, path);
    reply_free(&r);
    expect_problem(get(path, NULL), 404, "course.not_found", "a draft is not public");
    expect_problem(get(path, other), 404, "course.not_found", "nor another provider's");
    r = get(path, prov);
    cr_assert_eq(r.status, 200, "own draft: %s", r.raw);
    reply_free(&r);
    r = get(path, admin);
    cr_assert_eq(r.status, 200, "admin: %s", r.raw);
    reply_free(&r);
    expect_problem(get("/api/v1/courses/not-an-id", NULL), 404, "course.not_found", "bad id");

    /* Edits while draft; another provider cannot. */
    snprintf(path2, sizeof path2, "/api/v1/partner/courses/%s", id);
    b = course_body("Barista Pemula Kopi Manual", "webinar", NULL);
    expect_problem(put(path2, other, b), 404, "course.not_found", "another provider's edit");
    r = put(path2, prov, b);
    free(b);
    cr_assert_eq(r.status, 200, "%s", r.raw);
    cr_assert_str_eq(str(r.json, "title"), "Barista Pemula Kopi Manual");
    cr_assert(json_is_null(json_object_get(r.json, "regency_code")));
    cr_assert(json_is_null(json_object_get(r.json, "address")));
    reply_free(&r);

    /* Sessions of a webinar: a start time in the future. */
    snprintf(path2, sizeof path2, "/api/v1/partner/courses/%s/sessions", id);
    r = post(path2, prov, "{\"capacity\":30}");
    cr_assert_eq(r.status, 400, "%s", r.raw);
    cr_assert(has_error(&r, "starts_at", "session.starts_at_required"), "%s", r.raw);
    reply_free(&r);
    iso((int64_t)time(NULL) - 60, when);
    b = NULL;
    cr_assert_neq(asprintf(&b, "{\"starts_at\":\"%s\",\"capacity\":30}", when), -1);
    r = post(path2, prov, b);
    free(b);
    cr_assert(r.status == 400 && has_error(&r, "starts_at", "session.starts_at_past"), "%s",
              r.raw);
    reply_free(&r);
    r = post(path2, prov, "{\"starts_at\":\"tomorrow\",\"capacity\":30}");
    cr_assert(r.status == 400 && has_error(&r, "starts_at", "session.starts_at_invalid"), "%s",
              r.raw);
    reply_free(&r);
    r = post(path2, prov, "{\"starts_at\":\"2030-01-01T09:00:00+07:00\",\"capacity\":0}");
    cr_assert(r.status == 400 && has_error(&r, "capacity", "session.capacity_invalid"), "%s",
              r.raw);
    reply_free(&r);
    expect_problem(post(path2, other, "{\"starts_at\":\"2030-01-01T09:00:00+07:00\","
                                      "\"capacity\":5}"),
                   404, "course.not_found", "another provider's session");

    /* Submit; no edits while pending; approval needs a session. */
    snprintf(path2, sizeof path2, "/api/v1/partner/courses/%s/submit", id);
    r = post(path2, prov, NULL);
    cr_assert_eq(r.status, 200, "%s", r.raw);
    cr_assert_str_eq(str(r.json, "status"), "pending");
    reply_free(&r);
    expect_problem(post(path2, prov, NULL), 409, "course.bad_state", "submitted twice");
    snprintf(path2, sizeof path2, "/api/v1/partner/courses/%s", id);
    b = course_body("Barista Lanjutan", "webinar", NULL);
    expect_problem(put(path2, prov, b), 409, "course.not_editable", "pending edit");
    free(b);
    r = get("/api/v1/admin/courses?status=pending", admin);
    cr_assert_eq(r.status, 200, "%s", r.raw);
    cr_assert_eq(json_array_size(json_object_get(r.json, "items")), 1);
    cr_assert_str_eq(str(json_array_get(json_object_get(r.json, "items"), 0), "course_id"), id);
    cr_assert_str_eq(str(json_array_get(json_object_get(r.json, "items"), 0), "status"),
                     "pending");
    reply_free(&r);
    snprintf(path2, sizeof path2, "/api/v1/admin/courses/%s/approve", id);
    expect_problem(post(path2, admin, NULL), 409, "course.no_sessions", "no session");
    expect_problem(post(path2, prov, NULL), 403, "auth.forbidden", "a provider approving");
    add_session(prov, id, 7 * 86400);
    add_session(prov, id, 86400);
    r = post(path2, admin, NULL);
    cr_assert_eq(r.status, 200, "%s", r.raw);
    cr_assert_str_eq(str(r.json, "status"), "approved");
    reply_free(&r);
    expect_problem(post(path2, admin, NULL), 409, "course.bad_state", "approved twice");
    cr_assert_eq(sql_int("SELECT COUNT(*) FROM audit_log WHERE action = 'course.approve' AND "
                         "subject = $1", id), 1);

    /* On sale: public, sessions in start order, no edits. */
    r = get(path, NULL);
    cr_assert_eq(r.status, 200, "%s", r.raw);
    cr_assert_str_eq(str(r.json, "status"), "approved");
    {
        json_t *ss = json_object_get(r.json, "sessions");
        cr_assert_eq(json_array_size(ss), 2);
        cr_assert_lt(strcmp(str(json_array_get(ss, 0), "starts_at"),
                            str(json_array_get(ss, 1), "starts_at")), 0);
        cr_assert_eq(json_integer_value(json_object_get(json_array_get(ss, 0), "seats_left")),
                     30);
    }
    reply_free(&r);
    snprintf(path2, sizeof path2, "/api/v1/partner/courses/%s", id);
    b = course_body("Barista Lanjutan", "webinar", NULL);
    expect_problem(put(path2, prov, b), 409, "course.not_editable", "approved edit");
    free(b);
    r = get("/api/v1/courses?q=barista", NULL);
    cr_assert_eq(r.status, 200, "%s", r.raw);
    cr_assert_eq(json_array_size(json_object_get(r.json, "items")), 1);
    reply_free(&r);

    /* Rejection: a reason of 5..500 characters, shown to the provider, who may
     * edit and submit again. */
    const char *id2 = strdup(create_course(prov, "Latte Art", "self_paced"));
    snprintf(path2, sizeof path2, "/api/v1/partner/courses/%s/sessions", id2);
    r = post(path2, prov, "{\"starts_at\":\"2030-01-01T09:00:00Z\",\"capacity\":30}");
    cr_assert(r.status == 400 && has_error(&r, "starts_at", "session.starts_at_self_paced"),
              "%s", r.raw);
    reply_free(&r);
    add_session(prov, id2, 0);
    expect_problem(post(path2, prov, "{\"capacity\":30}"), 409, "session.self_paced_single",
                   "a second self-paced session");
    snprintf(path2, sizeof path2, "/api/v1/admin/courses/%s/reject", id2);
    expect_problem(post(path2, admin, "{\"reason\":\"Silabus kurang jelas\"}"), 409,
                   "course.bad_state", "rejecting a draft");
    snprintf(path2, sizeof path2, "/api/v1/partner/courses/%s/submit", id2);
    r = post(path2, prov, NULL);
    reply_free(&r);
    snprintf(path2, sizeof path2, "/api/v1/admin/courses/%s/reject", id2);
    r = post(path2, admin, "{}");
    cr_assert(r.status == 400 && has_error(&r, "reason", "field.required"), "%s", r.raw);
    reply_free(&r);
    r = post(path2, admin, "{\"reason\":\"abc\"}");
    cr_assert(r.status == 400 && has_error(&r, "reason", "course.reason_invalid"), "%s", r.raw);
    reply_free(&r);
    r = post(path2, admin, "{\"reason\":\"Silabus kurang jelas\"}");
    cr_assert_eq(r.status, 200, "%s", r.raw);
    cr_assert_str_eq(str(r.json, "status"), "rejected");
    cr_assert_str_eq(str(r.json, "reject_reason"), "Silabus kurang jelas");
    reply_free(&r);
    snprintf(path2, sizeof path2, "/api/v1/courses/%s", id2);
    r = get(path2, prov);
    cr_assert_str_eq(str(r.json, "reject_reason"), "Silabus kurang jelas");
    reply_free(&r);
    snprintf(path2, sizeof path2, "/api/v1/admin/courses/%s/approve", id2);
    expect_problem(post(path2, admin, NULL), 409, "course.bad_state", "approving a rejected one");
    snprintf(path2, sizeof path2, "/api/v1/partner/courses/%s", id2);
    b = course_body("Latte Art untuk Pemula", "self_paced", NULL);
    r = put(path2, prov, b);
    free(b);
    cr_assert_eq(r.status, 200, "%s", r.raw);
    cr_assert_str_eq(str(r.json, "status"), "draft");
    cr_assert(json_is_null(json_object_get(r.json, "reject_reason")));
    reply_free(&r);

    /* The provider's own list: both courses, any status; the other's is empty. */
    r = get("/api/v1/partner/courses", prov);
    cr_assert_eq(r.status, 200, "%s", r.raw);
    cr_assert_eq(json_array_size(json_object_get(r.json, "items")), 2);
    cr_assert(json_is_null(json_object_get(r.json, "next")));
    reply_free(&r);
    r = get("/api/v1/partner/courses?limit=1", prov);
    cr_assert_eq(json_array_size(json_object_get(r.json, "items")), 1);
    cr_assert_str_eq(str(r.json, "next"), id);
    reply_free(&r);
    r = get("/api/v1/partner/courses?status=approved", other);
    cr_assert_eq(json_array_size(json_object_get(r.json, "items")), 0);
    reply_free(&r);
    expect_problem(get("/api/v1/partner/courses?status=gone", prov), 400, "course.status_invalid",
                   "bad status");
    free((void *)id);
    free((void *)id2);
}

Test(courses, who_may_call)
{
    char prov[65], person[65], when[32];
    struct cred p = partner("provider", "Lembaga Tanda Tangan");
    struct cred plat = partner("platform", "Platform Uji");
    struct partner_sig sig;
    struct reply r;
    char *b;
    char path[160];
    const char *hs[6];

    staff("staf@ttd.id", "provider", p.partner_id, prov);
    participant(person);
    b = course_body("Desain Grafis Canva", "webinar", NULL);

    expect_problem(post("/api/v1/partner/courses", NULL, b), 401, "partner.unsigned",
                   "no credentials");
    r = post("/api/v1/partner/courses", person, b);
    cr_assert(r.status == 403 || r.status == 401, "a participant: %s", r.raw);
    reply_free(&r);
    expect_problem(get("/api/v1/admin/courses", prov), 403, "auth.forbidden", "admin list");
    expect_problem(get("/api/v1/admin/courses", NULL), 401, "auth.required", "admin list");

    /* A platform's signed request is refused; a provider's is served and audited. */
    cr_assert_eq(partner_sign(&sig, plat.key_id, plat.secret, "POST", "/api/v1/partner/courses",
                              b, strlen(b), 0, NULL), 0);
    expect_problem(send_req("POST", "/api/v1/partner/courses", NULL, sig.headers, b), 403,
                   "partner.wrong_kind", "a platform key");
    cr_assert_eq(partner_sign(&sig, p.key_id, p.secret, "POST", "/api/v1/partner/courses", b,
                              strlen(b), 0, NULL), 0);
    r = send_req("POST", "/api/v1/partner/courses", NULL, sig.headers, b);
    cr_assert_eq(r.status, 201, "signed: %s", r.raw);
    char id[32], actor[128];
    snprintf(id, sizeof id, "%s", str(r.json, "course_id"));
    reply_free(&r);
    sql_text("SELECT actor FROM audit_log WHERE action = 'course.create' AND subject = $1", id,
             actor, sizeof actor);
    char want[128];
    snprintf(want, sizeof want, "partner:%s:%s", p.partner_id, p.key_id);
    cr_assert_str_eq(actor, want);

    /* The signed provider sees its draft on the public course page too. */
    snprintf(path, sizeof path, "/api/v1/courses/%s", id);
    cr_assert_eq(partner_sign(&sig, p.key_id, p.secret, "GET", path, NULL, 0, 0, NULL), 0);
    r = send_req("GET", path, NULL, sig.headers, NULL);
    cr_assert_eq(r.status, 200, "%s", r.raw);
    cr_assert_str_eq(str(r.json, "status"), "draft");
    reply_free(&r);
    /* A bad token on the public page is refused, not ignored. */
    expect_problem(get(path, "00000000000000000000000000000000000000000000000000000000000000"
                             "00"),
                   401, "auth.invalid_token", "a bad token");

    /* Sessions through a signed request. */
    snprintf(path, sizeof path, "/api/v1/partner/courses/%s/sessions", id);
    iso((int64_t)time(NULL) + 3600, when);
    free(b);
    cr_assert_neq(asprintf(&b, "{\"starts_at\":\"%s\",\"capacity\":12}", when), -1);
    cr_assert_eq(partner_sign(&sig, p.key_id, p.secret, "POST", path, b, strlen(b), 0, NULL), 0);
    for (int i = 0; i < 5; i++)
        hs[i] = sig.headers[i];
    r = send_req("POST", path, NULL, hs, b);
    cr_assert_eq(r.status, 201, "%s", r.raw);
    cr_assert_str_eq(str(r.json, "starts_at"), when);
    cr_assert_eq(json_integer_value(json_object_get(r.json, "capacity")), 12);
    cr_assert_eq(strlen(str(r.json, "session_id")), 26);
    reply_free(&r);
    free(b);

    /* English problems with Accept-Language: en. */
    const char *en[] = {"Accept-Language: en", NULL};
    r = send_req("GET", "/api/v1/courses/aaaaaaaaaaaaaaaaaaaaaaaaaa", NULL, en, NULL);
    cr_assert_eq(r.status, 404);
    cr_assert_str_eq(str(r.json, "title"), "No course has this id.");
    reply_free(&r);
}

/* ---- search ---- */

#define NSEARCH 150

static const char *const titles[] = {"Barista Kopi Susu", "Desain Grafis dengan Canva",
                                     "Pemasaran Digital lewat Instagram"};
static const char *const modes[] = {"webinar", "offline", "self_paced"};
static const char *const cats[] = {"food_beverage", "creative_arts", "sales_marketing"};

struct spec {
    int title, mode, cat;
    int64_t price;
};

static struct spec spec_of(int i)
{
    struct spec s = {i % 3, (i / 3) % 3, (i / 9) % 3, (int64_t)((i * 7) % 10) * 100000};
    return s;
}

/* The courses of spec that a filter admits; -1 fields admit all. */
static int count_specs(int title, int mode, int cat, int64_t min, int64_t max)
{
    int n = 0;
    for (int i = 0; i < NSEARCH; i++) {
        struct spec s = spec_of(i);
        if ((title < 0 || s.title == title) && (mode < 0 || s.mode == mode) &&
            (cat < 0 || s.cat == cat) && (min < 0 || s.price >= min) &&
            (max < 0 || s.price <= max))
            n++;
    }
    return n;
}

/* Follows every page of query (a path with "?...") with limit; checks the order
 * and that no course repeats; returns how many courses. */
static int walk(const char *query, int limit)
{
    char path[512], seen[NSEARCH + 10][32];
    const char *next = NULL;
    char cursor[80] = "";
    int n = 0;
    int64_t last = -1;

    for (int pages = 0; pages < 200; pages++) {
        snprintf(path, sizeof path, "%s&limit=%d%s%s", query, limit, cursor[0] ? "&after=" : "",
                 cursor);
        struct reply r = get(path, NULL);
        cr_assert_eq(r.status, 200, "%s: %s", path, r.raw);
        json_t *items = json_object_get(r.json, "items"), *it;
        size_t i;
        cr_assert_leq(json_array_size(items), (size_t)limit);
        json_array_foreach(items, i, it) {
            int64_t price = json_integer_value(json_object_get(it, "price"));
            cr_assert_geq(price, last, "%s: price order", path);
            last = price;
            for (int k = 0; k < n; k++)
                cr_assert_str_neq(seen[k], str(it, "course_id"), "%s: repeated", path);
            cr_assert_lt(n, NSEARCH + 10);
            snprintf(seen[n++], 32, "%s", str(it, "course_id"));
        }
        next = json_string_value(json_object_get(r.json, "next"));
        if (!next) {
            reply_free(&r);
            return n;
        }
        cr_assert_eq(json_array_size(items), (size_t)limit, "%s: a short page before the end",
                     path);
        snprintf(cursor, sizeof cursor, "%s", next);
        reply_free(&r);
    }
    cr_assert_fail("%s: too many pages", query);
    return -1;
}

Test(courses, search_filters_and_pages)
{
    char prov[65], body[1024];
    struct cred p = partner("provider", "Lembaga Cari");
    struct reply r;

    staff("staf@cari.id", "provider", p.partner_id, prov);
    for (int i = 0; i < NSEARCH; i++) {
        struct spec s = spec_of(i);
        const char *mode = modes[s.mode];
        snprintf(body, sizeof body,
                 "{\"title\":\"%s %d\",\"description\":\"Pelatihan praktis nomor %d untuk "
                 "UMKM.\",\"category\":\"%s\",\"level\":\"%s\",\"purpose\":\"upskilling\","
                 "\"mode\":\"%s\",\"hours\":20,\"price\":%lld%s}",
                 titles[s.title], i, i, cats[s.cat], i % 2 ? "basic" : "high_skill", mode,
                 (long long)s.price,
                 strcmp(mode, "offline") == 0
                     ? ",\"regency_code\":\"35.09\",\"address\":\"Jl. Mastrip 1, Jember\""
                     : "");
        r = post("/api/v1/partner/courses", prov, body);
        cr_assert_eq(r.status, 201, "%s", r.raw);
        reply_free(&r);
    }
    /* One course left a draft: never in the catalog. */
    create_course(prov, "Barista Kopi Rahasia", "webinar");
    cr_assert_eq(sql_int("UPDATE courses SET status = 'approved' WHERE title NOT LIKE "
                         "'%Rahasia%' RETURNING 1", NULL), 1);
    cr_assert_eq(sql_int("SELECT COUNT(*) FROM courses WHERE status = 'approved'", NULL),
                 NSEARCH);

    cr_assert_eq(walk("/api/v1/courses?x=1", 17), NSEARCH);
    cr_assert_eq(walk("/api/v1/courses?x=1", 100), NSEARCH);
    cr_assert_eq(walk("/api/v1/courses?q=kopi", 7), count_specs(0, -1, -1, -1, -1));
    cr_assert_eq(walk("/api/v1/courses?q=K%C3%B3P%C3%8D", 7), count_specs(0, -1, -1, -1, -1),
                 "accents and case folded (KóPÍ)");
    cr_assert_eq(walk("/api/v1/courses?q=bar+sus", 9), count_specs(0, -1, -1, -1, -1),
                 "word prefixes");
    cr_assert_eq(walk("/api/v1/courses?q=kopi+canva", 9), 0, "every word must match");
    cr_assert_eq(walk("/api/v1/courses?q=umkm+instagram", 9), count_specs(2, -1, -1, -1, -1),
                 "title and description words");
    cr_assert_eq(walk("/api/v1/courses?mode=offline&regency=35.09", 8),
                 count_specs(-1, 1, -1, -1, -1));
    cr_assert_eq(walk("/api/v1/courses?regency=35.10", 8), 0);
    cr_assert_eq(walk("/api/v1/courses?category=creative_arts&mode=webinar", 5),
                 count_specs(-1, 0, 1, -1, -1));
    cr_assert_eq(walk("/api/v1/courses?min_price=300000&max_price=600000", 11),
                 count_specs(-1, -1, -1, 300000, 600000));
    cr_assert_eq(walk("/api/v1/courses?max_price=0&q=desain", 3), count_specs(1, -1, -1, 0, 0));
    {
        int basic = walk("/api/v1/courses?level=basic", 50);
        int high = walk("/api/v1/courses?level=high_skill", 50);
        cr_assert_eq(basic + high, NSEARCH);
        cr_assert_eq(basic, NSEARCH / 2);
    }
    /* q with only one-letter words filters nothing. */
    cr_assert_eq(walk("/api/v1/courses?q=a+b", 100), NSEARCH);

    /* One item's shape. */
    r = get("/api/v1/courses?q=kopi&limit=1", NULL);
    {
        json_t *it = json_array_get(json_object_get(r.json, "items"), 0);
        static const char *const keys[] = {"course_id", "title",  "provider", "category",
                                           "level",     "purpose", "mode",    "hours",
                                           "price",     "regency_code", "rating"};
        cr_assert_not_null(it, "%s", r.raw);
        cr_assert_eq(json_object_size(it), 11, "%s", r.raw);
        for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++)
            cr_assert_not_null(json_object_get(it, keys[k]), "%s missing", keys[k]);
        cr_assert_eq(json_integer_value(json_object_get(it, "price")), 0, "cheapest first");
    }
    reply_free(&r);

    /* Ratings appear as an average with one decimal. */
    cr_assert_eq(sql_int("UPDATE courses SET rating_sum = 9, rating_count = 2 WHERE title = "
                         "'Barista Kopi Susu 0' RETURNING 1", NULL), 1);
    r = get("/api/v1/courses?q=kopi&limit=1", NULL);
    {
        json_t *rating = json_object_get(json_array_get(json_object_get(r.json, "items"), 0),
                                         "rating");
        cr_assert(json_is_real(json_object_get(rating, "average")), "%s", r.raw);
        cr_assert_float_eq(json_real_value(json_object_get(rating, "average")), 4.5, 1e-9);
        cr_assert_eq(json_integer_value(json_object_get(rating, "count")), 2);
    }
    reply_free(&r);

    /* Every bad parameter has its code. */
    expect_problem(get("/api/v1/courses?limit=0", NULL), 400, "page.invalid", "limit 0");
    expect_problem(get("/api/v1/courses?limit=101", NULL), 400, "page.invalid", "limit 101");
    expect_problem(get("/api/v1/courses?category=cooking", NULL), 400, "course.category_invalid",
                   "category");
    expect_problem(get("/api/v1/courses?mode=online", NULL), 400, "course.mode_invalid", "mode");
    expect_problem(get("/api/v1/courses?level=expert", NULL), 400, "course.level_invalid",
                   "level");
    expect_problem(get("/api/v1/courses?regency=jember", NULL), 400, "course.regency_unknown",
                   "regency");
    expect_problem(get("/api/v1/courses?min_price=-5", NULL), 400, "course.filter_invalid",
                   "min_price");
    expect_problem(get("/api/v1/courses?max_price=abc", NULL), 400, "course.filter_invalid",
                   "max_price");
    expect_problem(get("/api/v1/courses?q=satu+dua+tiga+empat+lima+enam+tujuh+delapan+sembilan",
                       NULL),
                   400, "course.query_invalid", "nine words");
    {
        char path[400] = "/api/v1/courses?q=";
        size_t n = strlen(path);
        memset(path + n, 'k', 201);
        path[n + 201] = '\0';
        expect_problem(get(path, NULL), 400, "course.query_invalid", "q over 200 bytes");
    }
    expect_problem(get("/api/v1/courses?q=%FF%FE", NULL), 400, "course.query_invalid",
                   "q not UTF-8");
    expect_problem(get("/api/v1/courses?after=garbage", NULL), 400, "course.cursor_invalid",
                   "cursor shape");
    expect_problem(get("/api/v1/courses?after=100.aaaaaaaaaaaaaaaaaaaaaaaaaa", NULL), 400,
                   "course.cursor_invalid", "unknown cursor course");
    expect_problem(get("/api/v1/partner/courses?after=zz", prov), 400, "course.cursor_invalid",
                   "partner cursor");
}
