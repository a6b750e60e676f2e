/*
 * regions (API): GET /api/v1/regions (one level, or the children of a parent,
 * paginated and ordered by code) and GET /api/v1/regions/{code} with its
 * ancestors. Official names are upper case in the data for provinces and
 * regencies; display_name is their title case for people to read. Codes from
 * the client are checked for shape (digits and dots, bounded) before any query.
 * Replies are written with the api_jw_* writer (api/reply.h), in the key order
 * the jansson objects had: GET /api/v1/regions/35.09 is the busiest read of the
 * API and the tree costs more than the two lookups.
 *
 * Regions are catalog data: they are read through req->db_read, the read-only
 * connection (a standby under `serve --db-read`, else the primary), so a region
 * written a moment ago may show once the standby has replayed it.
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

/* The read connection; NULL, after answering 503 store.unavailable, while the
 * worker cannot open it. */
static struct db *read_db(struct http_req *req)
{
    if (!req->db_read)
        api_store_error(req, DB_EUNAVAILABLE);
    return req->db_read;
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

/* Writes the fields of r shared by every region object, without the closing
 * brace: code, [level,] name, display_name[, parent_code]; full adds the
 * bracketed ones (a region asked for; ancestors carry only the others). */
static void put_region(struct api_jw *w, const struct region *r, int full)
{
    char display[256];

    text_title_case(r->name, display, sizeof display);
    api_jw_raw(w, "{\"code\":");
    api_jw_str(w, r->code);
    if (full) {
        const char *lvl = regions_level_name(r->level);
        api_jw_raw(w, ",\"level\":");
        api_jw_str(w, lvl ? lvl : "");
    }
    api_jw_raw(w, ",\"name\":");
    api_jw_str(w, r->name);
    api_jw_raw(w, ",\"display_name\":");
    api_jw_str(w, display);
    if (full) {
        api_jw_raw(w, ",\"parent_code\":");
        api_jw_str(w, r->parent_code[0] ? r->parent_code : NULL);
    }
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
    struct api_jw w;
    struct db *d = NULL;

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
        if (!(d = read_db(req)))
            return;
        rc = regions_get(d, parent, &p);
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
    if (!d && !(d = read_db(req)))
        return;
    items = arena_alloc(req->arena, sizeof *items * (size_t)per_page);
    rc = regions_list(d, level, parent, (int64_t)(page - 1) * per_page, (int)per_page,
                      items, &n, &total);
    if (rc != DB_OK) {
        api_store_error(req, rc);
        return;
    }
    api_jw_begin(&w, req);
    api_jw_raw(&w, "{\"items\":[");
    for (int i = 0; i < n; i++) {
        if (i)
            api_jw_raw(&w, ",");
        put_region(&w, &items[i], 1);
        api_jw_raw(&w, "}");
    }
    api_jw_raw(&w, "],\"page\":");
    api_jw_int(&w, page);
    api_jw_raw(&w, ",\"per_page\":");
    api_jw_int(&w, per_page);
    api_jw_raw(&w, ",\"total\":");
    api_jw_int(&w, (long long)total);
    api_jw_raw(&w, "}");
    api_jw_end(&w, 200);
}

void api_regions_get(struct http_req *req)
{
    static const char *const keys[] = {NULL, ",\"province\":", ",\"regency\":", ",\"district\":"};
    const char *code = req->params[0];
    struct region path[4];
    struct api_jw w;
    struct db *d;
    int rc, n;

    if (!code_shape_ok(code)) {
        api_problem(req, "region.not_found", NULL);
        return;
    }
    if (!(d = read_db(req)))
        return;
    rc = regions_get_path(d, code, path, &n);
    if (rc == DB_ENOTFOUND) {
        api_problem(req, "region.not_found", NULL);
        return;
    }
    if (rc != DB_OK) {
        api_store_error(req, rc);
        return;
    }
    api_jw_begin(&w, req);
    put_region(&w, &path[0], 1);
    for (int i = 1; i < n; i++) {
        if (path[i].level < REGION_PROVINCE || path[i].level > REGION_DISTRICT)
            continue;
        api_jw_raw(&w, keys[path[i].level]);
        put_region(&w, &path[i], 0);
        api_jw_raw(&w, "}");
    }
    api_jw_raw(&w, "}");
    api_jw_end(&w, 200);
}
