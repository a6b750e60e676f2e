/*
 * catalog: the category table and the checks of catalog.h. The category list
 * follows the fields the real marketplace groups its courses in; codes are the
 * stable part (stored with each course, matched by clients), names are for
 * display. Each check adds field errors in the order of the fields in the
 * request body, so a provider sees every problem of a form at once.
 */
#include "core/catalog.h"

#include <string.h>

#include "core/text.h"

static const struct catalog_category categories[] = {
    {"sales_marketing", "Penjualan dan Pemasaran", "Sales and Marketing"},
    {"digital_tech", "Digital dan Teknologi", "Digital and Technology"},
    {"food_beverage", "Makanan dan Minuman", "Food and Beverage"},
    {"hospitality_tourism", "Perhotelan dan Pariwisata", "Hospitality and Tourism"},
    {"office_admin", "Perkantoran dan Administrasi", "Office and Administration"},
    {"finance", "Keuangan", "Finance"},
    {"creative_arts", "Seni dan Industri Kreatif", "Creative Arts"},
    {"agriculture_fishery", "Pertanian dan Perikanan", "Agriculture and Fishery"},
    {"manufacturing_engineering", "Manufaktur dan Teknik", "Manufacturing and Engineering"},
    {"health_beauty", "Kesehatan dan Kecantikan", "Health and Beauty"},
    {"language", "Bahasa", "Languages"},
    {"entrepreneurship", "Kewirausahaan", "Entrepreneurship"},
    {"education_training", "Pendidikan dan Pelatihan", "Education and Training"},
    {"logistics_transport", "Logistik dan Transportasi", "Logistics and Transport"},
    {"other", "Lainnya", "Other"},
};

#define NCATEGORIES ((int)(sizeof categories / sizeof categories[0]))

const struct catalog_category *catalog_categories(int *n)
{
    if (n)
        *n = NCATEGORIES;
    return categories;
}

static int one_of(const char *s, const char *const *list)
{
    if (!s)
        return 0;
    for (; *list; list++)
        if (strcmp(s, *list) == 0)
            return 1;
    return 0;
}

int catalog_category_valid(const char *s)
{
    for (int i = 0; s && i < NCATEGORIES; i++)
        if (strcmp(s, categories[i].code) == 0)
            return 1;
    return 0;
}

int catalog_level_valid(const char *s)
{
    static const char *const v[] = {"basic", "high_skill", NULL};
    return one_of(s, v);
}

int catalog_purpose_valid(const char *s)
{
    static const char *const v[] = {"reskilling", "upskilling", "new_skill", NULL};
    return one_of(s, v);
}

int catalog_mode_valid(const char *s)
{
    static const char *const v[] = {"self_paced", "webinar", "offline", "hybrid", NULL};
    return one_of(s, v);
}

int catalog_status_valid(const char *s)
{
    static const char *const v[] = {"draft", "pending", "approved", "rejected", "withdrawn",
                                    NULL};
    return one_of(s, v);
}

int catalog_mode_located(const char *mode)
{
    static const char *const v[] = {"offline", "hybrid", NULL};
    return one_of(mode, v);
}

int catalog_mode_live(const char *mode)
{
    static const char *const v[] = {"webinar", "offline", "hybrid", NULL};
    return one_of(mode, v);
}

int catalog_regency_shape(const char *c)
{
    return c && strlen(c) == 5 && c[0] >= '0' && c[0] <= '9' && c[1] >= '0' && c[1] <= '9' &&
           c[2] == '.' && c[3] >= '0' && c[3] <= '9' && c[4] >= '0' && c[4] <= '9';
}

/* 1 when s holds a byte other than ASCII white space. */
static int has_content(const char *s)
{
    for (; *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
            return 1;
    return 0;
}

static void add(struct field_error *errs, int max, int *n, const char *field, const char *code)
{
    if (*n < max)
        errs[(*n)++] = (struct field_error){field, code};
}

/* A required text of min..max bytes with something besides spaces. */
static void text_field(const char *s, size_t min, size_t max, const char *field,
                       const char *code, struct field_error *errs, int emax, int *n)
{
    size_t len;

    if (!s) {
        add(errs, emax, n, field, "field.required");
        return;
    }
    len = strlen(s);
    if (len < min || len > max || !has_content(s) || !text_utf8_valid(s, len))
        add(errs, emax, n, field, code);
}

static void enum_field(const char *s, int (*valid)(const char *), const char *field,
                       const char *code, struct field_error *errs, int emax, int *n)
{
    if (!s)
        add(errs, emax, n, field, "field.required");
    else if (!valid(s))
        add(errs, emax, n, field, code);
}

int catalog_course_check(const struct catalog_course_in *in, int min_hours,
                         int (*regency_exists)(void *ctx, const char *code), void *ctx,
                         struct field_error *errs, int max)
{
    int n = 0;

    text_field(in->title, CATALOG_TITLE_MIN, CATALOG_TITLE_MAX, "title", "course.title_invalid",
               errs, max, &n);
    text_field(in->description, CATALOG_DESCRIPTION_MIN, CATALOG_DESCRIPTION_MAX, "description",
               "course.description_invalid", errs, max, &n);
    enum_field(in->category, catalog_category_valid, "category", "course.category_invalid", errs,
               max, &n);
    enum_field(in->level, catalog_level_valid, "level", "course.level_invalid", errs, max, &n);
    enum_field(in->purpose, catalog_purpose_valid, "purpose", "course.purpose_invalid", errs,
               max, &n);
    enum_field(in->mode, catalog_mode_valid, "mode", "course.mode_invalid", errs, max, &n);
    if (!in->has_hours)
        add(errs, max, &n, "hours", "field.required");
    else if (in->hours < 1 || in->hours > CATALOG_HOURS_MAX)
        add(errs, max, &n, "hours", "course.hours_invalid");
    else if (in->hours < min_hours)
        add(errs, max, &n, "hours", "course.too_short");
    if (!in->has_price)
        add(errs, max, &n, "price", "field.required");
    else if (in->price < 0 || in->price > CATALOG_PRICE_MAX)
        add(errs, max, &n, "price", "course.price_invalid");
    if (in->mode && catalog_mode_valid(in->mode)) {
        if (catalog_mode_located(in->mode)) {
            if (!in->regency_code)
                add(errs, max, &n, "regency_code", "course.regency_required");
            else if (!catalog_regency_shape(in->regency_code) ||
                     (regency_exists && !regency_exists(ctx, in->regency_code)))
                add(errs, max, &n, "regency_code", "course.regency_unknown");
            if (!in->address)
                add(errs, max, &n, "address", "course.address_required");
            else
                text_field(in->address, CATALOG_ADDRESS_MIN, CATALOG_ADDRESS_MAX, "address",
                           "course.address_invalid", errs, max, &n);
        } else {
            if (in->regency_code)
                add(errs, max, &n, "regency_code", "course.location_online");
            if (in->address)
                add(errs, max, &n, "address", "course.location_online");
        }
    }
    return n;
}

int catalog_session_check(const char *mode, int has_starts_at, int64_t starts_at,
                          long long capacity, int64_t now, struct field_error *errs, int max)
{
    int n = 0;

    if (catalog_mode_live(mode)) {
        if (!has_starts_at)
            add(errs, max, &n, "starts_at", "session.starts_at_required");
        else if (starts_at <= now)
            add(errs, max, &n, "starts_at", "session.starts_at_past");
    } else if (has_starts_at) {
        add(errs, max, &n, "starts_at", "session.starts_at_self_paced");
    }
    if (capacity < 1 || capacity > CATALOG_CAPACITY_MAX)
        add(errs, max, &n, "capacity", "session.capacity_invalid");
    return n;
}

int catalog_reason_valid(const char *reason)
{
    size_t len, chars;

    if (!reason)
        return 0;
    len = strlen(reason);
    if (!text_utf8_valid(reason, len) || !has_content(reason))
        return 0;
    chars = text_utf8_count(reason);
    return chars >= CATALOG_REASON_MIN && chars <= CATALOG_REASON_MAX;
}
