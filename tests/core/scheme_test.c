/*
 * Tests for src/core/scheme.c: the two schemes of migration 0003 are valid, every
 * field's own error code under its column name (and only that one), the bounds
 * named in scheme.h, the occupation and tier list grammar, and the tier and
 * exclusion lookups that eligibility relies on.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "core/errors.h"
#include "core/scheme.h"

/* normal-2023 as migration 0003 inserts it */
static struct scheme normal(void)
{
    struct scheme s;

    memset(&s, 0, sizeof s);
    strcpy(s.code, "normal-2023");
    strcpy(s.name, "Normal 2023+");
    s.training_balance = 3500000;
    s.incentive_amount = 600000;
    s.incentive_count = 1;
    s.incentive_interval_days = 0;
    s.survey_amount = 50000;
    s.survey_count = 2;
    s.purchase_deadline_days = 15;
    s.age_min = 18;
    s.age_max = 64;
    s.exclude_aid = 0;
    s.max_per_kk = 2;
    s.min_course_hours = 15;
    strcpy(s.excluded_occupations,
           "civil_servant,military_police,village_official,legislator,soe_director");
    s.exclude_students = 1;
    strcpy(s.priority_tiers, "laid_off|unemployed");
    s.test_questions = 20;
    s.test_minutes = 30;
    s.test_pass_mark = 60;
    s.created_at = 1672531200;
    return s;
}

static struct field_error errs[SCHEME_FIELDS];

static int run(const struct scheme *s)
{
    memset(errs, 0, sizeof errs);
    return scheme_validate(s, errs, SCHEME_FIELDS);
}

/* Asserts s has exactly one error, on field with code, and that the code has text
 * in both languages. */
static void one(const struct scheme *s, const char *field, const char *code)
{
    int n = run(s);
    cr_assert_eq(n, 1, "want %s/%s, got %d errors (first %s/%s)", field, code, n,
                 n ? errs[0].field : "-", n ? errs[0].code : "-");
    cr_assert_str_eq(errs[0].field, field);
    cr_assert_str_eq(errs[0].code, code);
    cr_assert_not_null(err_lookup(code), "%s is not in the error table", code);
    cr_assert_eq(err_lookup(code)->status, 400);
}

Test(scheme, both_shipped_schemes_are_valid)
{
    struct scheme s = normal();
    cr_assert_eq(run(&s), 0, "%s %s", errs[0].field, errs[0].code);

    strcpy(s.code, "semi-bansos-2020");
    strcpy(s.name, "Semi-bansos 2020-2022");
    s.training_balance = 1000000;
    s.incentive_count = 4;
    s.incentive_interval_days = 30;
    s.survey_count = 3;
    s.purchase_deadline_days = 30;
    s.exclude_aid = 1;
    strcpy(s.priority_tiers, "laid_off|unemployed,informal_worker");
    cr_assert_eq(run(&s), 0, "%s %s", errs[0].field, errs[0].code);
}

Test(scheme, code_and_name)
{
    struct scheme s = normal();
    const char *bad[] = {"a", "Normal-2023", "normal_2023", "-normal", "normal-", "nor mal",
                         "normal/2023"};

    s.code[0] = '\0';
    one(&s, "code", "field.required");
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        s = normal();
        snprintf(s.code, sizeof s.code, "%s", bad[i]);
        one(&s, "code", "scheme.code_invalid");
    }
    s = normal();
    strcpy(s.code, "k2");
    cr_assert_eq(run(&s), 0);
    memset(s.code, 'a', SCHEME_CODE_MAX);
    s.code[SCHEME_CODE_MAX] = '\0';
    cr_assert_eq(run(&s), 0, "40 bytes is allowed");

    s = normal();
    s.name[0] = '\0';
    one(&s, "name", "field.required");
    strcpy(s.name, "   ");
    one(&s, "name", "scheme.name_invalid");
    strcpy(s.name, "Tab\there");
    one(&s, "name", "scheme.name_invalid");
    strcpy(s.name, "bad \xc3\x28 utf8");
    one(&s, "name", "scheme.name_invalid");
    strcpy(s.name, "Skema Khusus Pekerja Terdampak \xe2\x80\x93 2026");
    cr_assert_eq(run(&s), 0);
}

Test(scheme, amounts_counts_and_days)
{
    struct scheme s = normal();

    s.training_balance = -1;
    one(&s, "training_balance", "scheme.amount_invalid");
    s = normal();
    s.training_balance = 1000000001;
    one(&s, "training_balance", "scheme.amount_invalid");
    s = normal();
    s.training_balance = 0;
    cr_assert_eq(run(&s), 0, "a zero balance is a scheme an agency may define");
    s = normal();
    s.incentive_amount = -600000;
    one(&s, "incentive_amount", "scheme.amount_invalid");
    s = normal();
    s.survey_amount = -1;
    one(&s, "survey_amount", "scheme.amount_invalid");
    s = normal();
    s.incentive_count = 121;
    one(&s, "incentive_count", "scheme.count_invalid");
    s = normal();
    s.survey_count = -1;
    one(&s, "survey_count", "scheme.count_invalid");
    s = normal();
    s.incentive_interval_days = 367;
    one(&s, "incentive_interval_days", "scheme.days_invalid");
    s = normal();
    s.incentive_count = 4;
    s.incentive_interval_days = 0;
    one(&s, "incentive_interval_days", "scheme.interval_needed");
    s = normal();
    s.purchase_deadline_days = 0;
    one(&s, "purchase_deadline_days", "scheme.deadline_invalid");
    s.purchase_deadline_days = 366;
    cr_assert_eq(run(&s), 0);
    s = normal();
    s.max_per_kk = 0;
    one(&s, "max_per_kk", "scheme.max_per_kk_invalid");
    s = normal();
    s.min_course_hours = 1001;
    one(&s, "min_course_hours", "scheme.hours_invalid");
}

Test(scheme, ages_flags_and_test_settings)
{
    struct scheme s = normal();

    s.age_min = 14;
    one(&s, "age_min", "scheme.age_invalid");
    s = normal();
    s.age_max = 101;
    one(&s, "age_max", "scheme.age_invalid");
    s = normal();
    s.age_min = 40;
    s.age_max = 39;
    one(&s, "age_max", "scheme.age_order");
    s.age_max = 40;
    cr_assert_eq(run(&s), 0, "a single age is a range");
    s = normal();
    s.exclude_aid = 2;
    one(&s, "exclude_aid", "scheme.flag_invalid");
    s = normal();
    s.exclude_students = -1;
    one(&s, "exclude_students", "scheme.flag_invalid");
    s = normal();
    s.test_questions = 0;
    one(&s, "test_questions", "scheme.test_questions_invalid");
    s.test_questions = 101;
    one(&s, "test_questions", "scheme.test_questions_invalid");
    s = normal();
    s.test_minutes = 241;
    one(&s, "test_minutes", "scheme.test_minutes_invalid");
    s = normal();
    s.test_pass_mark = 101;
    one(&s, "test_pass_mark", "scheme.pass_mark_invalid");
    s.test_pass_mark = 0;
    cr_assert_eq(run(&s), 0);
}

Test(scheme, every_bad_field_reported_in_column_order)
{
    struct scheme s;
    static const char *const want[] = {
        "code", "name", "training_balance", "incentive_amount", "incentive_count",
        "incentive_interval_days", "survey_amount", "survey_count", "purchase_deadline_days",
        "age_min", "age_max", "exclude_aid", "max_per_kk", "min_course_hours",
        "excluded_occupations", "exclude_students", "priority_tiers", "test_questions",
        "test_minutes", "test_pass_mark"};

    memset(&s, 0, sizeof s);
    s.training_balance = s.incentive_amount = s.survey_amount = -1;
    s.incentive_count = s.survey_count = s.incentive_interval_days = -1;
    s.exclude_aid = s.exclude_students = 5;
    s.min_course_hours = -1;
    s.age_max = 5;
    s.test_pass_mark = -1;
    strcpy(s.excluded_occupations, "pilot");
    strcpy(s.priority_tiers, "|");
    cr_assert_eq(run(&s), SCHEME_FIELDS);
    for (int i = 0; i < SCHEME_FIELDS; i++)
        cr_assert_str_eq(errs[i].field, want[i]);
    /* max bounds the output */
    cr_assert_eq(scheme_validate(&s, errs, 3), 3);
}

Test(scheme, occupation_lists)
{
    struct scheme s = normal();
    const char *bad[] = {"pilot", "civil_servant,", ",civil_servant", "civil_servant,,legislator",
                         "civil_servant, legislator", "civil_servant,civil_servant",
                         "Civil_servant"};

    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        s = normal();
        strcpy(s.excluded_occupations, bad[i]);
        one(&s, "excluded_occupations", "scheme.occupations_invalid");
    }
    s = normal();
    s.excluded_occupations[0] = '\0';
    cr_assert_eq(run(&s), 0, "no exclusions is allowed");
}

Test(scheme, tier_lists)
{
    struct scheme s;
    const char *bad[] = {"|", "laid_off|", "|laid_off", "laid_off||unemployed",
                         "laid_off|laid_off", "laid_off,unemployed|unemployed",
                         "laid_off,pilot", "laid_off;unemployed"};
    const char *good[] = {"", "laid_off", "laid_off|unemployed,informal_worker",
                          "laid_off,unemployed|informal_worker|homemaker,other"};

    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        s = normal();
        strcpy(s.priority_tiers, bad[i]);
        one(&s, "priority_tiers", "scheme.tiers_invalid");
    }
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        s = normal();
        strcpy(s.priority_tiers, good[i]);
        cr_assert_eq(run(&s), 0, "%s", good[i]);
    }
}

Test(scheme, excluded_occupation_lookup_matches_whole_items)
{
    struct scheme s = normal();

    cr_assert(scheme_occupation_excluded(&s, "civil_servant"));
    cr_assert(scheme_occupation_excluded(&s, "soe_director"));
    cr_assert(scheme_occupation_excluded(&s, "military_police"));
    cr_assert_not(scheme_occupation_excluded(&s, "unemployed"));
    cr_assert_not(scheme_occupation_excluded(&s, "civil"));
    cr_assert_not(scheme_occupation_excluded(&s, "servant"));
    cr_assert_not(scheme_occupation_excluded(&s, ""));
    cr_assert_not(scheme_occupation_excluded(&s, NULL));
    s.excluded_occupations[0] = '\0';
    cr_assert_not(scheme_occupation_excluded(&s, "civil_servant"));
}

Test(scheme, tiers_by_first_group_else_group_count)
{
    struct scheme s = normal();

    cr_assert_eq(scheme_tier(&s, "laid_off"), 0);
    cr_assert_eq(scheme_tier(&s, "unemployed"), 1);
    cr_assert_eq(scheme_tier(&s, "employee"), 2);
    cr_assert_eq(scheme_tier(&s, "laid"), 2);
    cr_assert_eq(scheme_tier(&s, NULL), 2);

    strcpy(s.priority_tiers, "laid_off|unemployed,informal_worker");
    cr_assert_eq(scheme_tier(&s, "laid_off"), 0);
    cr_assert_eq(scheme_tier(&s, "unemployed"), 1);
    cr_assert_eq(scheme_tier(&s, "informal_worker"), 1);
    cr_assert_eq(scheme_tier(&s, "homemaker"), 2);

    strcpy(s.priority_tiers, "unemployed");
    cr_assert_eq(scheme_tier(&s, "unemployed"), 0);
    cr_assert_eq(scheme_tier(&s, "laid_off"), 1);

    s.priority_tiers[0] = '\0';
    cr_assert_eq(scheme_tier(&s, "laid_off"), 0, "no rule: everyone in tier 0");
    cr_assert_eq(scheme_tier(&s, "employee"), 0);
}
