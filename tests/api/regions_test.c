/*
 * API tests of the regions (src/api/regions.c) against the real server with the
 * pinned idn-area-data imported: Jember and its ancestors, counts by level,
 * children of a parent, paging in code order, and the 400s and 404s.
 */
#include <criterion/criterion.h>
#include <jansson.h>
#include <string.h>

#include "harness.h"

static struct harness H;

static void start(void)
{
    cr_assert_eq(harness_start(&H, NULL), 0, "server did not start");
}

static void stop(void)
{
    harness_stop(&H);
}

TestSuite(regions, .init = start, .fini = stop, .timeout = 120);

static long get(const char *path, json_t **out)
{
    struct harness_reply r;
    long st;

    cr_assert_eq(harness_request(&H, "GET", path, NULL, NULL, 0, NULL, &r), 0);
    st = r.status;
    *out = json_loadb(r.body, r.body_len, 0, NULL);
    cr_assert_not_null(*out, "%s: body is not JSON", path);
    harness_reply_free(&r);
    return st;
}

static const char *str(json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "(none)";
}

Test(regions, jember_with_its_province)
{
    json_t *p;

    cr_assert_eq(get("/api/v1/regions/35.09", &p), 200);
    cr_assert_str_eq(str(p, "code"), "35.09");
    cr_assert_str_eq(str(p, "level"), "regency");
    cr_assert_str_eq(str(p, "name"), "KABUPATEN JEMBER");
    cr_assert_str_eq(str(p, "display_name"), "Kabupaten Jember");
    cr_assert_str_eq(str(p, "parent_code"), "35");
    json_t *prov = json_object_get(p, "province");
    cr_assert_str_eq(str(prov, "code"), "35");
    cr_assert_str_eq(str(prov, "name"), "JAWA TIMUR");
    cr_assert_str_eq(str(prov, "display_name"), "Jawa Timur");
    cr_assert_null(json_object_get(p, "regency"));
    cr_assert_null(json_object_get(p, "district"));
    json_decref(p);

    cr_assert_eq(get("/api/v1/regions/35.09.15.2001", &p), 200);
    cr_assert_str_eq(str(p, "level"), "village");
    cr_assert_str_eq(str(json_object_get(p, "district"), "code"), "35.09.15");
    cr_assert_str_eq(str(json_object_get(p, "regency"), "code"), "35.09");
    cr_assert_str_eq(str(json_object_get(p, "province"), "code"), "35");
    json_decref(p);

    cr_assert_eq(get("/api/v1/regions/35", &p), 200);
    cr_assert(json_is_null(json_object_get(p, "parent_code")));
    cr_assert_null(json_object_get(p, "province"));
    json_decref(p);

    const char *missing[] = {"/api/v1/regions/99.99", "/api/v1/regions/35.9",
                             "/api/v1/regions/%27%3B%20DROP%20TABLE%20regions%3B--",
                             "/api/v1/regions/3509090909090909090909"};
    for (size_t i = 0; i < 4; i++) {
        cr_assert_eq(get(missing[i], &p), 404, "%s", missing[i]);
        cr_assert_str_eq(str(p, "code"), "region.not_found");
        json_decref(p);
    }
}

Test(regions, counts_by_level_match_the_pinned_data)
{
    const char *levels[] = {"province", "regency", "district", "village"};
    const long want[] = {38, 514, 7277, 83763};
    char path[128];
    json_t *p;

    for (int i = 0; i < 4; i++) {
        snprintf(path, sizeof path, "/api/v1/regions?level=%s&per_page=1", levels[i]);
        cr_assert_eq(get(path, &p), 200);
        cr_assert_eq(json_integer_value(json_object_get(p, "total")), want[i], "%s", levels[i]);
        cr_assert_eq(json_array_size(json_object_get(p, "items")), 1);
        json_decref(p);
    }
}

Test(regions, children_and_paging_in_code_order)
{
    json_t *a, *b, *p;
    size_t i;
    json_t *it;

    cr_assert_eq(get("/api/v1/regions?parent=35&per_page=500", &p), 200);
    cr_assert_eq(json_integer_value(json_object_get(p, "total")), 38);
    json_array_foreach(json_object_get(p, "items"), i, it) {
        cr_assert_str_eq(str(it, "parent_code"), "35");
        cr_assert_str_eq(str(it, "level"), "regency");
    }
    json_decref(p);

    cr_assert_eq(get("/api/v1/regions?level=province&per_page=10&page=1", &a), 200);
    cr_assert_eq(get("/api/v1/regions?level=province&per_page=10&page=2", &b), 200);
    cr_assert_eq(json_integer_value(json_object_get(b, "page")), 2);
    cr_assert_eq(json_integer_value(json_object_get(b, "per_page")), 10);
    json_t *ia = json_object_get(a, "items"), *ib = json_object_get(b, "items");
    cr_assert_eq(json_array_size(ia), 10);
    cr_assert_eq(json_array_size(ib), 10);
    cr_assert_str_eq(str(json_array_get(ia, 0), "code"), "11");
    for (i = 1; i < 10; i++)
        cr_assert_lt(strcmp(str(json_array_get(ia, i - 1), "code"),
                            str(json_array_get(ia, i), "code")), 0);
    cr_assert_lt(strcmp(str(json_array_get(ia, 9), "code"), str(json_array_get(ib, 0), "code")),
                 0);
    json_decref(a);
    json_decref(b);

    cr_assert_eq(get("/api/v1/regions?level=province&per_page=10&page=5", &p), 200);
    cr_assert_eq(json_array_size(json_object_get(p, "items")), 0);
    cr_assert_eq(json_integer_value(json_object_get(p, "total")), 38);
    json_decref(p);

    cr_assert_eq(get("/api/v1/regions?level=province", &p), 200);
    cr_assert_eq(json_integer_value(json_object_get(p, "per_page")), 50);
    cr_assert_eq(json_array_size(json_object_get(p, "items")), 38);
    json_decref(p);
}

Test(regions, bad_queries_are_400_and_unknown_parents_404)
{
    const char *bad_page[] = {"page=0", "page=-1", "page=abc", "per_page=501", "per_page=0",
                              "page=99999999999999999999", "page=1%27%3B--"};
    char path[160];
    json_t *p;

    for (size_t i = 0; i < sizeof bad_page / sizeof bad_page[0]; i++) {
        snprintf(path, sizeof path, "/api/v1/regions?level=regency&%s", bad_page[i]);
        cr_assert_eq(get(path, &p), 400, "%s", bad_page[i]);
        cr_assert_str_eq(str(p, "code"), "page.invalid");
        json_decref(p);
    }
    const char *bad_level[] = {"/api/v1/regions", "/api/v1/regions?level=planet",
                               "/api/v1/regions?level=village&parent=35",
                               "/api/v1/regions?parent=35.09.15.2001"};
    for (size_t i = 0; i < 4; i++) {
        cr_assert_eq(get(bad_level[i], &p), 400, "%s", bad_level[i]);
        cr_assert_str_eq(str(p, "code"), "region.bad_level");
        json_decref(p);
    }
    cr_assert_eq(get("/api/v1/regions?parent=99", &p), 404);
    cr_assert_str_eq(str(p, "code"), "region.not_found");
    json_decref(p);
}
