/*
 * regions (API): GET /api/v1/regions (one level, or the children of a parent,
 * paginated and ordered by code) and GET /api/v1/regions/{code} with its
 * ancestors. Official names are upper case in the data for provinces and
 * regencies; display_name is their title case for people to read. Codes from
 * the client are checked for shape (digits and dots, bounded) before any query.
 */
#include <stdlib.h>
#include <string.h>

#include "api/app.h"
#include "api/auth.h"
#include "api/reply.h"
#include "core/text.h"
#include "store/regions.h"

#define PER_PAGE_DEFAULT 50
#define PER_PAGE_MAX 500
#define PAGE_MAX 1000000000L

static int code_shape_ok(const char *code)
{
    size_t n = code ? strlen(code) : 0;

    if (n == 0 || n >= sizeof(((struct region *)0)->code))
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!((code[i] >= '0' && code[i] <= '9') || code[i] == '.'))
            return 0;
    return 1;
}

/* Parses a positive decimal in 1..max; -1 for anything else. */
static long parse_pos(const char *s, long max)
{
    long v = 0;

    if (!s || !*s || strlen(s) > 10)
        return -1;
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9')
            return -1;
        v = v * 10 + (*p - '0');
    }
    return v >= 1 && v <= max ? v : -1;
}

static json_t *display(const char *name)
{
    char out[256];
    text_title_case(name, out, sizeof out);
    return json_string(out);
}

static json_t *region_json(const struct region *r)
{
    const char *lvl = regions_level_name(r->level);
    return json_pack("{s:s, s:s, s:s, s:o, s:o}", "code", r->code, "level", lvl ? lvl : "",
                     "name", r->name, "display_name", display(r->name), "parent_code",
                     r->parent_code[0] ? json_string(r->parent_code) : json_null());
}

static json_t *ancestor_json(const struct region *r)
{
    return json_pack("{s:s, s:s, s:o}", "code", r->code, "name", r->name, "display_name",
                     display(r->name));
}

void api_regions_list(struct http_req *req)
{
    const char *level_s = http_query(req, "level");
    const char *parent = http_query(req, "parent");
    const char *page_s = http_query(req, "page");
    const char *per_s = http_query(req, "per_page");
    long page = 1, per_page = PER_PAGE_DEFAULT;
    int level = 0, n = 0, rc;
    int64_t total = 0;
    struct region *items;
    json_t *arr;

    if (level_s) {
        level = regions_level_parse(level_s);
        if (level == 0) {
            api_problem(req, "region.bad_level", NULL);
            return;
        }
    }
    if (page_s && (page = parse_pos(page_s, PAGE_MAX)) < 0) {
        api_problem(req, "page.invalid", NULL);
        return;
    }
    if (per_s && (per_page = parse_pos(per_s, PER_PAGE_MAX)) < 0) {
        api_problem(req, "page.invalid", NULL);
        return;
    }
    if (parent) {
        struct region p;
        if (!code_shape_ok(parent)) {
            api_problem(req, "region.not_found", NULL);
            return;
        }
        rc = regions_get(req->db, parent, &p);
        if (rc == DB_ENOTFOUND) {
            api_problem(req, "region.not_found", NULL);
            return;
        }
        if (rc != DB_OK) {
            api_store_error(req, rc);
            return;
        }
        if (level == 0)
            level = p.level + 1;
        if (level != p.level + 1 || level > REGION_VILLAGE) {
            api_problem(req, "region.bad_level", "the level must be the one below the parent");
            return;
        }
    } else if (level == 0) {
        api_problem(req, "region.bad_level", "give level or parent");
        return;
    }
    items = arena_alloc(req->arena, sizeof *items * (size_t)per_page);
    rc = regions_list(req->db, level, parent, (int64_t)(page - 1) * per_page, (int)per_page,
                      items, &n, &total);
    if (rc != DB_OK) {
        api_store_error(req, rc);
        return;
    }
    arr = json_array();
    for (int i = 0; i < n; i++)
        json_array_append_new(arr, region_json(&items[i]));
    api_json(req, 200, json_pack("{s:o, s:i, s:i, s:I}", "items", arr, "page", (int)page,
                                 "per_page", (int)per_page, "total", (json_int_t)total));
}

void api_regions_get(struct http_req *req)
{
    static const char *const keys[] = {NULL, "province", "regency", "district"};
    const char *code = req->params[0];
    struct region r, up;
    json_t *body;
    int rc;

    if (!code_shape_ok(code)) {
        api_problem(req, "region.not_found", NULL);
        return;
    }
    rc = regions_get(req->db, code, &r);
    if (rc == DB_ENOTFOUND) {
        api_problem(req, "region.not_found", NULL);
        return;
    }
    if (rc != DB_OK) {
        api_store_error(req, rc);
        return;
    }
    body = region_json(&r);
    up = r;
    for (int depth = 0; up.parent_code[0] && depth < 4; depth++) {
        char parent[sizeof up.parent_code];
        memcpy(parent, up.parent_code, sizeof parent);
        rc = regions_get(req->db, parent, &up);
        if (rc != DB_OK) {
            json_decref(body);
            api_store_error(req, rc == DB_ENOTFOUND ? DB_ERR : rc);
            return;
        }
        if (up.level >= REGION_PROVINCE && up.level <= REGION_DISTRICT)
            json_object_set_new(body, keys[up.level], ancestor_json(&up));
    }
    api_json(req, 200, body);
}
