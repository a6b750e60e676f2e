/*
 * scheme: checking a scheme row and reading its text-valued rules.
 *
 * The two list rules are kept as short text in the row (migration 0003):
 * excluded_occupations is a comma list of occupation codes, priority_tiers is
 * groups separated by '|', each a comma list. Both are scanned in place, never
 * copied or split into arrays: they are at most SCHEME_LIST_MAX bytes and the
 * occupation codes are a dozen short words. An item matches only as a whole
 * (a comma list "laid_off" does not hold "off").
 *
 * scheme_validate reports one field_error per bad field, named by its column, in
 * the column order of the table, so the API and `prakerja scheme create` show
 * the same errors in the same order.
 */
#include "core/scheme.h"

#include <string.h>

#include "core/account.h"
#include "core/text.h"

#define AMOUNT_MAX 1000000000LL     /* rupiah per person: far above any real scheme */

/* 1 when the n bytes at item equal the NUL-terminated word. */
static int item_is(const char *item, size_t n, const char *word)
{
    return n == strlen(word) && memcmp(item, word, n) == 0;
}

/* 1 when the comma list list[0..n) holds word as a whole item. */
static int comma_list_has(const char *list, size_t n, const char *word)
{
    size_t start = 0;

    for (size_t i = 0; i <= n; i++) {
        if (i == n || list[i] == ',') {
            if (item_is(list + start, i - start, word))
                return 1;
            start = i + 1;
        }
    }
    return 0;
}

/* 1 when list[0..n) is a non-empty comma list of known occupation codes, each at
 * most once, none of them also in the earlier text seen[0..nseen) (a comma/'|'
 * list, or NULL). */
static int occupation_items_ok(const char *list, size_t n, const char *seen, size_t nseen)
{
    char word[32];
    size_t start = 0;

    if (n == 0)
        return 0;
    for (size_t i = 0; i <= n; i++) {
        if (i < n && list[i] != ',')
            continue;
        size_t len = i - start;
        if (len == 0 || len >= sizeof word)
            return 0;
        memcpy(word, list + start, len);
        word[len] = '\0';
        if (!account_occupation_valid(word))
            return 0;
        if (comma_list_has(list, start ? start - 1 : 0, word))
            return 0;               /* twice in this list */
        if (seen) {
            /* earlier groups: '|' separates them, so scan each group */
            size_t g = 0;
            for (size_t j = 0; j <= nseen; j++) {
                if (j == nseen || seen[j] == '|') {
                    if (comma_list_has(seen + g, j - g, word))
                        return 0;
                    g = j + 1;
                }
            }
        }
        start = i + 1;
    }
    return 1;
}

/* 1 for "" or a well-formed comma list of known occupations. */
static int occupations_ok(const char *s)
{
    size_t n = strnlen(s, SCHEME_LIST_MAX + 1);
    if (n > SCHEME_LIST_MAX)
        return 0;
    return n == 0 || occupation_items_ok(s, n, NULL, 0);
}

/* 1 for "" or groups separated by '|', each a well-formed comma list of known
 * occupations, no occupation in two groups. */
static int tiers_ok(const char *s)
{
    size_t n = strnlen(s, SCHEME_LIST_MAX + 1), start = 0;

    if (n > SCHEME_LIST_MAX)
        return 0;
    if (n == 0)
        return 1;
    for (size_t i = 0; i <= n; i++) {
        if (i < n && s[i] != '|')
            continue;
        if (!occupation_items_ok(s + start, i - start, s, start ? start - 1 : 0))
            return 0;
        start = i + 1;
    }
    return 1;
}

static int code_ok(const char *code)
{
    size_t n = strnlen(code, SCHEME_CODE_MAX + 1);

    if (n < 2 || n > SCHEME_CODE_MAX)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = code[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
            return 0;
    }
    return code[0] != '-' && code[n - 1] != '-';
}

/* A name: 1..SCHEME_NAME_MAX bytes of UTF-8 with no control characters and not
 * only spaces. */
static int name_ok(const char *name)
{
    size_t n = strnlen(name, SCHEME_NAME_MAX + 1);
    int visible = 0;

    if (n == 0 || n > SCHEME_NAME_MAX || !text_utf8_valid(name, n))
        return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)name[i];
        if (c < 0x20 || c == 0x7f)
            return 0;
        if (c != ' ')
            visible = 1;
    }
    return visible;
}

static void add(struct field_error *errs, int max, int *n, const char *field, const char *code)
{
    if (*n < max) {
        errs[*n].field = field;
        errs[*n].code = code;
        (*n)++;
    }
}

static int in(long long v, long long lo, long long hi)
{
    return v >= lo && v <= hi;
}

int scheme_validate(const struct scheme *s, struct field_error *errs, int max)
{
    int n = 0;

    if (!s->code[0])
        add(errs, max, &n, "code", "field.required");
    else if (!code_ok(s->code))
        add(errs, max, &n, "code", "scheme.code_invalid");
    if (!s->name[0])
        add(errs, max, &n, "name", "field.required");
    else if (!name_ok(s->name))
        add(errs, max, &n, "name", "scheme.name_invalid");
    if (!in(s->training_balance, 0, AMOUNT_MAX))
        add(errs, max, &n, "training_balance", "scheme.amount_invalid");
    if (!in(s->incentive_amount, 0, AMOUNT_MAX))
        add(errs, max, &n, "incentive_amount", "scheme.amount_invalid");
    if (!in(s->incentive_count, 0, 120))
        add(errs, max, &n, "incentive_count", "scheme.count_invalid");
    if (!in(s->incentive_interval_days, 0, 366))
        add(errs, max, &n, "incentive_interval_days", "scheme.days_invalid");
    else if (in(s->incentive_count, 2, 120) && s->incentive_interval_days == 0)
        add(errs, max, &n, "incentive_interval_days", "scheme.interval_needed");
    if (!in(s->survey_amount, 0, AMOUNT_MAX))
        add(errs, max, &n, "survey_amount", "scheme.amount_invalid");
    if (!in(s->survey_count, 0, 120))
        add(errs, max, &n, "survey_count", "scheme.count_invalid");
    if (!in(s->purchase_deadline_days, 1, 366))
        add(errs, max, &n, "purchase_deadline_days", "scheme.deadline_invalid");
    if (!in(s->age_min, 15, 100))
        add(errs, max, &n, "age_min", "scheme.age_invalid");
    if (!in(s->age_max, 15, 100))
        add(errs, max, &n, "age_max", "scheme.age_invalid");
    else if (in(s->age_min, 15, 100) && s->age_max < s->age_min)
        add(errs, max, &n, "age_max", "scheme.age_order");
    if (!in(s->exclude_aid, 0, 1))
        add(errs, max, &n, "exclude_aid", "scheme.flag_invalid");
    if (!in(s->max_per_kk, 1, 20))
        add(errs, max, &n, "max_per_kk", "scheme.max_per_kk_invalid");
    if (!in(s->min_course_hours, 0, 1000))
        add(errs, max, &n, "min_course_hours", "scheme.hours_invalid");
    if (!occupations_ok(s->excluded_occupations))
        add(errs, max, &n, "excluded_occupations", "scheme.occupations_invalid");
    if (!in(s->exclude_students, 0, 1))
        add(errs, max, &n, "exclude_students", "scheme.flag_invalid");
    if (!tiers_ok(s->priority_tiers))
        add(errs, max, &n, "priority_tiers", "scheme.tiers_invalid");
    if (!in(s->test_questions, 1, 100))
        add(errs, max, &n, "test_questions", "scheme.test_questions_invalid");
    if (!in(s->test_minutes, 1, 240))
        add(errs, max, &n, "test_minutes", "scheme.test_minutes_invalid");
    if (!in(s->test_pass_mark, 0, 100))
        add(errs, max, &n, "test_pass_mark", "scheme.pass_mark_invalid");
    return n;
}

int scheme_occupation_excluded(const struct scheme *s, const char *occupation)
{
    size_t n = strnlen(s->excluded_occupations, sizeof s->excluded_occupations);

    if (!occupation || !*occupation)
        return 0;
    return comma_list_has(s->excluded_occupations, n, occupation);
}

uint32_t scheme_tier(const struct scheme *s, const char *occupation)
{
    const char *t = s->priority_tiers;
    size_t n = strnlen(t, sizeof s->priority_tiers), start = 0;
    uint32_t group = 0;

    if (n == 0)
        return 0;
    for (size_t i = 0; i <= n; i++) {
        if (i < n && t[i] != '|')
            continue;
        if (occupation && *occupation && comma_list_has(t + start, i - start, occupation))
            return group;
        group++;
        start = i + 1;
    }
    return group;
}
