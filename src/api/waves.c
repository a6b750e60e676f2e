/*
 * waves (API): waves, applications, the draw and its audit file, the card
 * (docs/api.md, "Waves"). Handlers check the caller and every input, then hand
 * one unit of work to store/waves.c or store/beneficiaries.c, whose outcomes
 * (wave.not_open, application.already_open, ...) map onto problems through
 * waves_code(). Managing waves (create, open, close, draw) takes an admin
 * without a regional scope: a wave is national. Applying takes a participant;
 * eligibility is checked in the same transaction as the insert, with the
 * server's civil-registry adapter (app->civreg), and every rule comes back with
 * its message in the request's language.
 *
 * Waves are read through the primary connection, not the read copy: the status
 * moves with the clock and with admins, and a participant who just applied
 * expects to see it. The audit file is built in req->out (bounded by the reply
 * cap, 32 MiB: about 290,000 applications).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "api/app.h"
#include "api/auth.h"
#include "api/reply.h"
#include "core/draw.h"
#include "core/quota.h"
#include "store/beneficiaries.h"
#include "store/drawkey.h"
#include "store/waves.h"
#include "util/utc.h"

#define MAX_ERRS 16
#define MY_APPS_MAX 100

static int64_t now_s(void)
{
    return (int64_t)time(NULL);
}

/* The wave number in the path: 1..WAVES_NUMBER_MAX, digits only; -1 otherwise. */
static int path_number(const char *s)
{
    long v = 0;
    size_t n = s ? strlen(s) : 0;

    if (n == 0 || n > 7)
        return -1;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v >= 1 && v <= WAVES_NUMBER_MAX ? (int)v : -1;
}

static json_t *iso(int64_t t)
{
    char text[21];
    api_time_iso(t, text);
    return json_string(text);
}

static json_t *iso_or_null(int64_t t)
{
    return t ? iso(t) : json_null();
}

static struct elig_env env_of(struct http_req *req)
{
    struct elig_env e = {&req->app->keys, req->app->civreg};
    return e;
}

/* Answers a failed store call: a WAVES_* outcome as its problem, else 503/500. */
static void reply_store(struct http_req *req, int rc)
{
    const char *code = waves_code(rc);
    if (code)
        api_problem(req, code, NULL);
    else
        api_store_error(req, rc);
}

/* WAVE: the wave with its counts (read here). NULL after replying on failure. */
static json_t *wave_json(struct http_req *req, const struct wave *w)
{
    struct wave_counts c;
    int rc = waves_counts(req->db, w->id, &c);
    if (rc != DB_OK) {
        api_store_error(req, rc);
        return NULL;
    }
    json_t *o = json_pack(
        "{s:i, s:s, s:o, s:o, s:s, s:I, s:s, s:I, s:s, s:s, s:I, s:{s:I, s:I, s:I, s:I}}",
        "number", w->number, "scheme", w->scheme, "opens_at", iso(w->opens_at), "closes_at",
        iso(w->closes_at), "status", w->status, "total_quota", (json_int_t)w->total_quota,
        "quota_mode", w->quota_mode, "quota_floor", (json_int_t)w->quota_floor, "spill_rule",
        w->spill_rule, "seed_commitment", w->seed_commitment, "refill_seats",
        (json_int_t)w->refill_seats, "counts", "applications", (json_int_t)c.applications,
        "eligible", (json_int_t)c.eligible, "ineligible", (json_int_t)c.ineligible,
        "selected", (json_int_t)c.selected);
    if (!o) {
        api_problem(req, "internal", NULL);
        return NULL;
    }
    if (strcmp(w->stored_status, "drawn") == 0) {
        json_object_set_new(o, "seed", json_string(w->seed));
        json_object_set_new(o, "drawn_at", iso(w->drawn_at));
    }
    return o;
}

static void reply_wave(struct http_req *req, int status, const struct wave *w)
{
    json_t *o = wave_json(req, w);
    if (o)
        api_json(req, status, o);
}

/* Authenticates an admin without a regional scope; -1 after replying. */
static int require_admin(struct http_req *req, struct auth_ctx *a)
{
    if (api_auth(req, a) != 0)
        return -1;
    if (!api_role_in(a, "admin", NULL) || a->scope_code[0]) {
        api_problem(req, "auth.forbidden", NULL);
        return -1;
    }
    return 0;
}

static const char *actor_of(struct http_req *req, const struct auth_ctx *a)
{
    return arena_printf(req->arena, "account:%s", a->public_id);
}

/* ---- GET /api/v1/waves, GET /api/v1/waves/{n} ---- */

struct list_ctx {
    struct http_req *req;
    json_t *items;
};

static int list_one(const struct wave *w, void *vctx)
{
    struct list_ctx *c = vctx;
    json_t *o = wave_json(c->req, w);
    if (!o)
        return 1;                        /* replied */
    json_array_append_new(c->items, o);
    return 0;
}

void api_waves_list(struct http_req *req)
{
    struct list_ctx c = {req, json_array()};
    int rc = waves_each(req->db, now_s(), list_one, &c);
    if (rc == 1) {
        json_decref(c.items);
        return;
    }
    if (rc != DB_OK) {
        json_decref(c.items);
        api_store_error(req, rc);
        return;
    }
    api_json(req, 200, json_pack("{s:o}", "items", c.items));
}

void api_waves_get(struct http_req *req)
{
    struct wave w;
    int n = path_number(req->params[0]);
    int rc = n < 0 ? DB_ENOTFOUND : waves_get(req->db, n, now_s(), &w);
    if (rc == DB_ENOTFOUND) {
        api_problem(req, "wave.not_found", NULL);
        return;
    }
    if (rc != DB_OK) {
        api_store_error(req, rc);
        return;
    }
    reply_wave(req, 200, &w);
}

/* ---- POST /api/v1/waves ---- */

/* quota_regency_exists_fn over the app's sorted district codes: a regency exists
   when some district code DDddxx has it as prefix. */
static int regency_exists(void *ctx, int code)
{
    const struct app *a = ctx;
    int lo = 0, hi = a->ndistrict_codes;
    int64_t key = (int64_t)code * 100;
    while (lo < hi) {
        int m = (lo + hi) / 2;
        if (a->district_codes[m] < key)
            lo = m + 1;
        else
            hi = m;
    }
    return lo < a->ndistrict_codes && a->district_codes[lo] / 100 == code;
}

/* A 400 validation problem with a detail (the quota CSV's line). */
static void problem_fields_detail(struct http_req *req, const struct field_error *errs, int n,
                                  const char *detail)
{
    json_t *arr = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(arr, json_pack("{s:s, s:s, s:s}", "field", errs[i].field, "code",
                                             errs[i].code, "message",
                                             err_text(errs[i].code, req->lang)));
    json_t *o = json_pack("{s:s, s:s, s:i, s:s, s:s?, s:s?, s:o}", "type", "about:blank",
                          "title", err_text("validation", req->lang), "status", 400, "code",
                          "validation", "detail", detail, "request_id", req->request_id,
                          "errors", arr);
    api_json(req, 400, o);
    req->content_type = "application/problem+json";
}

static const char *csv_code(int qr)
{
    switch (qr) {
    case QUOTA_EUNKNOWN: return "wave.quotas_unknown_regency";
    case QUOTA_EDUP: return "wave.quotas_duplicate";
    case QUOTA_ESUM: return "wave.quotas_sum";
    default: return "wave.quotas_line";
    }
}

void api_waves_create(struct http_req *req)
{
    struct auth_ctx auth;
    struct field_error errs[MAX_ERRS];
    struct wave_new in;
    struct wave w;
    struct quota_row *rows = NULL;
    const char *scheme = NULL, *opens = NULL, *closes = NULL, *mode = NULL, *csv = NULL,
               *rule = NULL, *commit = NULL, *seed = NULL, *detail = NULL;
    long long number = 0, total = 0, floor = 0;
    int n = 0, has_number, has_total;
    size_t nrows = 0;
    json_t *body;

    if (require_admin(req, &auth) != 0)
        return;
    if (!(body = api_body_object(req)))
        return;
    memset(&in, 0, sizeof in);
    has_number = api_field_int(req, body, "number", &number, errs, &n, MAX_ERRS);
    if (has_number == 1)
        errs[n++] = (struct field_error){"number", "field.required"};
    else if (has_number == 0 && (number < 1 || number > WAVES_NUMBER_MAX))
        errs[n++] = (struct field_error){"number", "wave.number_invalid"};
    if (api_field_str(req, body, "scheme", SCHEME_CODE_MAX + 8, &scheme, errs, &n, MAX_ERRS) ==
        1)
        errs[n++] = (struct field_error){"scheme", "field.required"};
    int opens_ok = 0;
    if (api_field_str(req, body, "opens_at", 40, &opens, errs, &n, MAX_ERRS) == 1)
        errs[n++] = (struct field_error){"opens_at", "field.required"};
    else if (opens && utc_parse(opens, &in.opens_at) < 0)
        errs[n++] = (struct field_error){"opens_at", "wave.time_invalid"};
    else if (opens)
        opens_ok = 1;
    if (api_field_str(req, body, "closes_at", 40, &closes, errs, &n, MAX_ERRS) == 1)
        errs[n++] = (struct field_error){"closes_at", "field.required"};
    else if (closes && utc_parse(closes, &in.closes_at) < 0)
        errs[n++] = (struct field_error){"closes_at", "wave.time_invalid"};
    else if (closes && opens_ok && in.closes_at <= in.opens_at)
        errs[n++] = (struct field_error){"closes_at", "wave.closes_before_opens"};
    has_total = api_field_int(req, body, "total_quota", &total, errs, &n, MAX_ERRS);
    if (has_total == 1)
        errs[n++] = (struct field_error){"total_quota", "field.required"};
    else if (has_total == 0 && (total < 0 || total > (long long)QUOTA_TOTAL_MAX))
        errs[n++] = (struct field_error){"total_quota", "wave.quota_invalid"};
    if (api_field_str(req, body, "quota_mode", 16, &mode, errs, &n, MAX_ERRS) == 1)
        errs[n++] = (struct field_error){"quota_mode", "field.required"};
    else if (mode && strcmp(mode, "csv") != 0 && strcmp(mode, "proportional") != 0)
        errs[n++] = (struct field_error){"quota_mode", "wave.quota_mode_invalid"};
    if (api_field_int(req, body, "quota_floor", &floor, errs, &n, MAX_ERRS) == 0 &&
        (floor < 0 || floor > (has_total == 0 ? total : (long long)QUOTA_TOTAL_MAX)) &&
        n < MAX_ERRS)
        errs[n++] = (struct field_error){"quota_floor", "wave.floor_invalid"};
    api_field_str(req, body, "quotas_csv", QUOTA_CSV_MAX, &csv, errs, &n, MAX_ERRS);
    if (api_field_str(req, body, "spill_rule", 32, &rule, errs, &n, MAX_ERRS) == 0) {
        enum draw_rule r;
        if (draw_rule_parse(rule, &r) < 0 && n < MAX_ERRS)
            errs[n++] = (struct field_error){"spill_rule", "wave.spill_rule_invalid"};
    }
    api_field_str(req, body, "seed_commitment", 64, &commit, errs, &n, MAX_ERRS);
    api_field_str(req, body, "seed", 64, &seed, errs, &n, MAX_ERRS);
    {
        json_t *rf = json_object_get(body, "refill");
        if (rf && !json_is_boolean(rf) && n < MAX_ERRS)
            errs[n++] = (struct field_error){"refill", "field.wrong_type"};
        in.refill = rf && json_is_true(rf);
    }
    json_decref(body);
    if (commit && seed && n < MAX_ERRS)
        errs[n++] = (struct field_error){"seed_commitment", "wave.seed_or_commitment"};
    else if (!commit && !seed && n < MAX_ERRS)
        errs[n++] = (struct field_error){"seed_commitment", "field.required"};
    else if (commit && !drawkey_hex_ok(commit, 64) && n < MAX_ERRS)
        errs[n++] = (struct field_error){"seed_commitment", "wave.commitment_invalid"};
    else if (seed && !drawkey_hex_ok(seed, 64) && n < MAX_ERRS)
        errs[n++] = (struct field_error){"seed", "wave.seed_invalid"};
    if (mode && strcmp(mode, "csv") == 0 && !csv && n < MAX_ERRS)
        errs[n++] = (struct field_error){"quotas_csv", "field.required"};
    else if (mode && strcmp(mode, "proportional") == 0 && csv && n < MAX_ERRS)
        errs[n++] = (struct field_error){"quotas_csv", "wave.quotas_not_csv"};
    else if (mode && strcmp(mode, "csv") == 0 && csv && has_total == 0 && n == 0) {
        long line;
        const char *why;
        rows = arena_alloc(req->arena, sizeof *rows * 10000);
        int qr = quota_csv_parse(csv, strlen(csv), regency_exists, req->app, (uint64_t)total,
                                 rows, 10000, &nrows, &line, &why);
        if (qr != QUOTA_OK) {
            errs[n++] = (struct field_error){"quotas_csv", csv_code(qr)};
            detail = line > 0 ? arena_printf(req->arena, "quotas_csv line %ld: %s", line, why)
                              : arena_printf(req->arena, "quotas_csv: %s", why);
        }
    }
    if (n > 0) {
        problem_fields_detail(req, errs, n, detail);
        return;
    }
    in.number = (int)number;
    in.scheme = scheme;
    in.total_quota = total;
    in.quota_mode = mode;
    in.quota_floor = floor;
    in.spill_rule = rule ? rule : "regency_province_nation";
    drawkey_commitment_hex(seed, commit, in.seed_commitment);
    in.quotas = rows;
    in.nquotas = nrows;
    in.created_by = auth.account_id;
    in.actor = actor_of(req, &auth);
    int rc = waves_create(req->db, &in, now_s(), &w);
    if (rc == WAVES_SCHEME_NOT_FOUND || rc == WAVES_QUOTA_REGENCY) {
        struct field_error e = rc == WAVES_SCHEME_NOT_FOUND
                                   ? (struct field_error){"scheme", "scheme.unknown"}
                                   : (struct field_error){"quotas_csv",
                                                          "wave.quotas_unknown_regency"};
        api_problem_fields(req, &e, 1);
        return;
    }
    if (rc != DB_OK) {
        reply_store(req, rc);
        return;
    }
    req->location = arena_printf(req->arena, "/api/v1/waves/%d", w.number);
    reply_wave(req, 201, &w);
}

/* ---- open, close, draw ---- */

static void open_or_close(struct http_req *req, int close)
{
    struct auth_ctx auth;
    struct wave w;
    struct elig_env env = env_of(req);
    int n, rc;

    if (require_admin(req, &auth) != 0)
        return;
    if ((n = path_number(req->params[0])) < 0) {
        api_problem(req, "wave.not_found", NULL);
        return;
    }
    rc = close ? waves_close(req->db, &env, n, now_s(), actor_of(req, &auth), &w)
               : waves_open(req->db, n, now_s(), actor_of(req, &auth), &w);
    if (rc != DB_OK) {
        reply_store(req, rc);
        return;
    }
    reply_wave(req, 200, &w);
}

void api_waves_open(struct http_req *req)
{
    open_or_close(req, 0);
}

void api_waves_close(struct http_req *req)
{
    open_or_close(req, 1);
}

void api_waves_draw(struct http_req *req)
{
    struct auth_ctx auth;
    struct field_error errs[4];
    struct waves_draw_stats st;
    struct wave w;
    struct elig_env env = env_of(req);
    const char *hex = NULL;
    unsigned char seed[DRAWKEY_SEED_MAX];
    size_t len = 0;
    int n = 0, num, rc;
    json_t *body;

    if (require_admin(req, &auth) != 0)
        return;
    if ((num = path_number(req->params[0])) < 0) {
        api_problem(req, "wave.not_found", NULL);
        return;
    }
    if (!(body = api_body_object(req)))
        return;
    if (api_field_str(req, body, "seed", 2 * DRAWKEY_SEED_MAX, &hex, errs, &n, 4) == 1)
        errs[n++] = (struct field_error){"seed", "field.required"};
    json_decref(body);
    if (n == 0 && drawkey_seed_parse(hex, seed, &len) != 0)
        errs[n++] = (struct field_error){"seed", "wave.seed_invalid"};
    if (n > 0) {
        api_problem_fields(req, errs, n);
        return;
    }
    rc = waves_draw(req->db, &env, num, seed, len, now_s(), actor_of(req, &auth), NULL, NULL,
                    &st, &w);
    sodium_memzero(seed, sizeof seed);
    if (rc != DB_OK) {
        reply_store(req, rc);
        return;
    }
    json_t *o = wave_json(req, &w);
    if (!o)
        return;
    json_object_set_new(
        o, "draw",
        json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "eligible", (json_int_t)st.eligible,
                  "seats", (json_int_t)st.seats, "selected", (json_int_t)st.selected,
                  "selected_regency", (json_int_t)st.by_stage[DRAW_STAGE_REGENCY],
                  "selected_province", (json_int_t)st.by_stage[DRAW_STAGE_PROVINCE],
                  "selected_nation", (json_int_t)st.by_stage[DRAW_STAGE_NATION], "unfilled",
                  (json_int_t)st.unfilled));
    api_json(req, 200, o);
}

static int write_out(void *ctx, const char *p, size_t len)
{
    return buf_append(ctx, p, len);
}

void api_waves_draw_file(struct http_req *req)
{
    int n = path_number(req->params[0]), rc;

    if (n < 0) {
        api_problem(req, "wave.not_found", NULL);
        return;
    }
    buf_reset(&req->out);
    rc = waves_audit_file(req->db, n, write_out, &req->out);
    if (rc != DB_OK) {
        buf_reset(&req->out);
        reply_store(req, rc);
        return;
    }
    req->status = 200;
    req->content_type = "text/csv; charset=utf-8";
    req->disposition =
        arena_printf(req->arena, "attachment; filename=\"wave-%d-draw.csv\"", n);
}

/* ---- applications ---- */

/* APPLICATION, with its eligibility results; NULL after replying on failure. */
static json_t *app_json(struct http_req *req, const struct application *a)
{
    struct waves_elig el[ELIG_NRULES];
    int ne = 0, rc = waves_eligibility_of(req->db, a->id, el, &ne);
    if (rc != DB_OK) {
        api_store_error(req, rc);
        return NULL;
    }
    json_t *arr = json_array();
    for (int i = 0; i < ne; i++) {
        const char *reason = el[i].reason[0] ? el[i].reason : NULL;
        json_array_append_new(arr, json_pack("{s:s, s:b, s:s?, s:s?}", "rule", el[i].rule,
                                             "passed", el[i].passed, "reason", reason,
                                             "message",
                                             reason ? err_text(reason, req->lang) : NULL));
    }
    json_t *o = json_pack("{s:s, s:i, s:s, s:s, s:i, s:o, s:o, s:o}", "application_id",
                          a->public_id, "wave", a->wave, "status", a->status, "regency_code",
                          a->regency_code, "tier", (int)a->tier, "created_at",
                          iso(a->created_at), "checked_at", iso_or_null(a->checked_at),
                          "eligibility", arr);
    if (!o) {
        api_problem(req, "internal", NULL);
        return NULL;
    }
    if (a->stage > DRAW_NOT_SELECTED && strcmp(a->status, "selected") == 0)
        json_object_set_new(o, "stage", json_string(draw_stage_name(a->stage)));
    return o;
}

static void reply_app(struct http_req *req, int status, const struct application *a)
{
    json_t *o = app_json(req, a);
    if (o)
        api_json(req, status, o);
}

/* Authenticates a participant; -1 after replying (403 for staff). */
static int require_participant(struct http_req *req, struct auth_ctx *a)
{
    if (api_auth(req, a) != 0)
        return -1;
    if (!api_role_in(a, "participant", NULL)) {
        api_problem(req, "auth.forbidden", NULL);
        return -1;
    }
    return 0;
}

/* Accepts no body or a JSON object (whose fields are ignored); -1 after replying. */
static int empty_body_ok(struct http_req *req)
{
    if (req->body_len == 0)
        return 0;
    json_t *b = api_body_object(req);
    if (!b)
        return -1;
    json_decref(b);
    return 0;
}

void api_applications_create(struct http_req *req)
{
    struct auth_ctx auth;
    struct application a;
    struct elig_env env = env_of(req);
    int n, rc;

    if (require_participant(req, &auth) != 0)
        return;
    if ((n = path_number(req->params[0])) < 0) {
        api_problem(req, "wave.not_found", NULL);
        return;
    }
    if (empty_body_ok(req) != 0)
        return;
    rc = waves_apply(req->db, &env, n, auth.account_id, now_s(), &a);
    if (rc != DB_OK) {
        reply_store(req, rc);
        return;
    }
    reply_app(req, 201, &a);
}

void api_me_applications(struct http_req *req)
{
    struct auth_ctx auth;
    struct application *apps;
    int n = 0, rc;

    if (api_auth(req, &auth) != 0)
        return;
    apps = arena_alloc(req->arena, sizeof *apps * MY_APPS_MAX);
    rc = waves_applications_of(req->db, auth.account_id, apps, MY_APPS_MAX, &n);
    if (rc != DB_OK) {
        api_store_error(req, rc);
        return;
    }
    json_t *items = json_array();
    for (int i = 0; i < n; i++) {
        json_t *o = app_json(req, &apps[i]);
        if (!o) {
            json_decref(items);
            return;
        }
        json_array_append_new(items, o);
    }
    api_json(req, 200, json_pack("{s:o}", "items", items));
}

void api_applications_carry_over(struct http_req *req)
{
    struct auth_ctx auth;
    struct application a;
    struct elig_env env = env_of(req);
    const char *id = req->params[0];
    int rc;

    if (require_participant(req, &auth) != 0)
        return;
    if (!accounts_public_id_valid(id)) {
        api_problem(req, "application.not_found", NULL);
        return;
    }
    if (empty_body_ok(req) != 0)
        return;
    rc = waves_carry_over(req->db, &env, id, auth.account_id, now_s(), &a);
    if (rc != DB_OK) {
        reply_store(req, rc);
        return;
    }
    reply_app(req, 201, &a);
}

/* ---- the card ---- */

void api_me_card(struct http_req *req)
{
    struct auth_ctx auth;
    struct beneficiary b;
    int rc;

    if (api_auth(req, &auth) != 0)
        return;
    rc = beneficiaries_by_account(req->db, auth.account_id, &b);
    if (rc == DB_ENOTFOUND) {
        api_problem(req, "card.not_found", NULL);
        return;
    }
    if (rc != DB_OK) {
        api_store_error(req, rc);
        return;
    }
    json_t *o = json_pack("{s:s, s:s, s:I, s:I, s:o, s:i, s:s}", "card_number", b.card_number,
                          "status", b.status, "balance", (json_int_t)b.balance,
                          "training_balance", (json_int_t)b.training_balance,
                          "purchase_deadline", iso(b.purchase_deadline), "wave", b.wave,
                          "scheme", b.scheme);
    if (o && b.revoked_at)
        json_object_set_new(o, "revoked_at", iso(b.revoked_at));
    api_json(req, 200, o);
}
