/*
 * Tests for src/core/catalog.c: the category list, the allowed values, and the
 * checks of a course (every field, the minimum hours, a place for offline and
 * hybrid courses only), of a session (start time by mode, capacity) and of a
 * rejection reason.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "core/catalog.h"
#include "core/errors.h"

static int regency_exists(void *ctx, const char *code)
{
    (void)ctx;
    return strcmp(code, "35.09") == 0;
}

static struct catalog_course_in good(const char *mode)
{
    int located = catalog_mode_located(mode);
    struct catalog_course_in in = {
        .title = "Barista Pemula", .description = "Belajar menyeduh kopi manual.",
        .category = "food_beverage", .level = "basic", .purpose = "new_skill", .mode = mode,
        .regency_code = located ? "35.09" : NULL, .address = located ? "Jl. Kopi 1" : NULL,
        .has_hours = 1, .hours = 16, .has_price = 1, .price = 750000};
    return in;
}

static struct field_error errs[CATALOG_FIELDS];

static int check(const struct catalog_course_in *in)
{
    return catalog_course_check(in, 15, regency_exists, NULL, errs, CATALOG_FIELDS);
}

/* 1 when the last check reported code on field. */
static int has(int n, const char *field, const char *code)
{
    for (int i = 0; i < n; i++)
        if (strcmp(errs[i].field, field) == 0 && strcmp(errs[i].code, code) == 0)
            return 1;
    return 0;
}

Test(catalog, categories_are_unique_with_both_names)
{
    int n = 0;
    const struct catalog_category *c = catalog_categories(&n);
    cr_assert_eq(n, 15);
    for (int i = 0; i < n; i++) {
        cr_assert(c[i].code && c[i].id && c[i].en && *c[i].id && *c[i].en);
        cr_assert(catalog_category_valid(c[i].code));
        for (int j = 0; j < i; j++)
            cr_assert_str_neq(c[i].code, c[j].code);
    }
    cr_assert(catalog_category_valid("digital_tech"));
    cr_assert_not(catalog_category_valid("Digital_tech"));
    cr_assert_not(catalog_category_valid(NULL));
}

Test(catalog, enumerations)
{
    cr_assert(catalog_level_valid("basic") && catalog_level_valid("high_skill"));
    cr_assert_not(catalog_level_valid("advanced"));
    cr_assert(catalog_purpose_valid("reskilling") && catalog_purpose_valid("new_skill"));
    cr_assert_not(catalog_purpose_valid("fun"));
    cr_assert(catalog_mode_valid("self_paced") && catalog_mode_valid("hybrid"));
    cr_assert_not(catalog_mode_valid("online"));
    cr_assert(catalog_status_valid("withdrawn"));
    cr_assert_not(catalog_status_valid("deleted"));
    cr_assert(catalog_mode_live("webinar") && catalog_mode_live("offline"));
    cr_assert_not(catalog_mode_live("self_paced"));
    cr_assert(catalog_mode_located("offline") && catalog_mode_located("hybrid"));
    cr_assert_not(catalog_mode_located("webinar"));
    cr_assert(catalog_regency_shape("35.09"));
    cr_assert_not(catalog_regency_shape("3509"));
    cr_assert_not(catalog_regency_shape("35.09.15"));
}

Test(catalog, a_good_course_passes_in_every_mode)
{
    static const char *const modes[] = {"self_paced", "webinar", "offline", "hybrid"};
    for (int i = 0; i < 4; i++) {
        struct catalog_course_in in = good(modes[i]);
        int n = check(&in);
        cr_assert_eq(n, 0, "%s: %s %s", modes[i], n ? errs[0].field : "", n ? errs[0].code : "");
    }
}

Test(catalog, missing_fields_are_all_reported)
{
    struct catalog_course_in in = {0};
    int n = check(&in);
    static const char *const fields[] = {"title", "description", "category", "level",
                                         "purpose", "mode", "hours", "price"};
    cr_assert_eq(n, 8);
    for (int i = 0; i < 8; i++) {
        cr_assert_str_eq(errs[i].field, fields[i]);
        cr_assert_str_eq(errs[i].code, "field.required");
    }
}

Test(catalog, bad_values)
{
    struct catalog_course_in in = good("webinar");
    in.title = "ab";
    in.description = "          ";
    in.category = "cooking";
    in.level = "expert";
    in.purpose = "fun";
    in.mode = "online";
    in.hours = 0;
    in.price = -1;
    int n = check(&in);
    cr_assert(has(n, "title", "course.title_invalid"));
    cr_assert(has(n, "description", "course.description_invalid"));
    cr_assert(has(n, "category", "course.category_invalid"));
    cr_assert(has(n, "level", "course.level_invalid"));
    cr_assert(has(n, "purpose", "course.purpose_invalid"));
    cr_assert(has(n, "mode", "course.mode_invalid"));
    cr_assert(has(n, "hours", "course.hours_invalid"));
    cr_assert(has(n, "price", "course.price_invalid"));
    cr_assert_eq(n, 8);

    in = good("webinar");
    in.hours = 14;
    n = check(&in);
    cr_assert_eq(n, 1);
    cr_assert(has(n, "hours", "course.too_short"), "below the smallest scheme minimum");
    in.hours = 15;
    cr_assert_eq(check(&in), 0);
    in.hours = CATALOG_HOURS_MAX + 1;
    cr_assert(has(check(&in), "hours", "course.hours_invalid"));

    in = good("webinar");
    in.price = CATALOG_PRICE_MAX;
    cr_assert_eq(check(&in), 0);
    in.price = CATALOG_PRICE_MAX + 1;
    cr_assert(has(check(&in), "price", "course.price_invalid"));
    in.price = 0;
    cr_assert_eq(check(&in), 0, "a free course is allowed");

    char title[CATALOG_TITLE_MAX + 2];
    memset(title, 'a', sizeof title - 1);
    title[sizeof title - 1] = '\0';
    in.title = title;
    cr_assert(has(check(&in), "title", "course.title_invalid"));
    title[CATALOG_TITLE_MAX] = '\0';
    cr_assert_eq(check(&in), 0);
    in.title = "ab\xff";
    cr_assert(has(check(&in), "title", "course.title_invalid"), "not UTF-8");
}

Test(catalog, place_only_for_offline_and_hybrid)
{
    struct catalog_course_in in = good("offline");
    in.regency_code = NULL;
    in.address = NULL;
    int n = check(&in);
    cr_assert(has(n, "regency_code", "course.regency_required"));
    cr_assert(has(n, "address", "course.address_required"));
    in.regency_code = "35.10";
    in.address = "Jl";
    n = check(&in);
    cr_assert(has(n, "regency_code", "course.regency_unknown"));
    cr_assert(has(n, "address", "course.address_invalid"));
    in.regency_code = "3509";
    cr_assert(has(check(&in), "regency_code", "course.regency_unknown"), "bad shape");

    in = good("self_paced");
    in.regency_code = "35.09";
    in.address = "Jl. Kopi 1";
    n = check(&in);
    cr_assert(has(n, "regency_code", "course.location_online"));
    cr_assert(has(n, "address", "course.location_online"));
}

Test(catalog, sessions)
{
    struct field_error e[2];
    cr_assert_eq(catalog_session_check("webinar", 1, 1001, 30, 1000, e, 2), 0);
    cr_assert_eq(catalog_session_check("webinar", 1, 1000, 30, 1000, e, 2), 1);
    cr_assert_str_eq(e[0].code, "session.starts_at_past");
    cr_assert_eq(catalog_session_check("offline", 0, 0, 30, 1000, e, 2), 1);
    cr_assert_str_eq(e[0].code, "session.starts_at_required");
    cr_assert_eq(catalog_session_check("self_paced", 0, 0, 100000, 1000, e, 2), 0);
    cr_assert_eq(catalog_session_check("self_paced", 1, 5000, 10, 1000, e, 2), 1);
    cr_assert_str_eq(e[0].code, "session.starts_at_self_paced");
    cr_assert_eq(catalog_session_check("hybrid", 1, 5000, 0, 1000, e, 2), 1);
    cr_assert_str_eq(e[0].field, "capacity");
    cr_assert_str_eq(e[0].code, "session.capacity_invalid");
    cr_assert_eq(catalog_session_check("hybrid", 1, 5000, 100001, 1000, e, 2), 1);
}

Test(catalog, rejection_reason)
{
    char big[CATALOG_REASON_MAX * 2 + 4];
    cr_assert(catalog_reason_valid("Silabus kurang jelas"));
    cr_assert(catalog_reason_valid("abcde"));
    cr_assert_not(catalog_reason_valid("abcd"));
    cr_assert_not(catalog_reason_valid("      "));
    cr_assert_not(catalog_reason_valid(NULL));
    cr_assert_not(catalog_reason_valid("abc\xff\xfe"));
    /* 500 characters of two bytes each pass; 501 do not. */
    for (int i = 0; i < CATALOG_REASON_MAX; i++)
        memcpy(big + 2 * i, "\xc3\xa9", 2);
    big[2 * CATALOG_REASON_MAX] = '\0';
    cr_assert(catalog_reason_valid(big));
    memcpy(big + 2 * CATALOG_REASON_MAX, "\xc3\xa9", 3);
    cr_assert_not(catalog_reason_valid(big));
}
