/*
 * Tests for src/core/eligibility.c: every rule passing and failing with its
 * reason code, all rules reported at once and in the stable order, the age on
 * the close date (birthday on the close date, the day before, 29 February in
 * common and leap years, both ends of the range), and the two schemes of the
 * program as the migration stores them (semi-bansos 2020 bars aid recipients,
 * normal 2023 does not).
 */
#include <criterion/criterion.h>
#include <string.h>

#include "core/eligibility.h"

/* The rows of migration 0003, field by field. */
static struct scheme scheme_2023(void)
{
    struct scheme s;
    memset(&s, 0, sizeof s);
    strcpy(s.code, "normal-2023");
    strcpy(s.name, "Normal 2023+");
    s.training_balance = 3500000;
    s.incentive_amount = 600000;
    s.incentive_count = 1;
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
    return s;
}

static struct scheme scheme_2020(void)
{
    struct scheme s = scheme_2023();
    strcpy(s.code, "semi-bansos-2020");
    s.training_balance = 1000000;
    s.incentive_count = 4;
    s.incentive_interval_days = 30;
    s.survey_count = 3;
    s.purchase_deadline_days = 30;
    s.exclude_aid = 1;
    strcpy(s.priority_tiers, "laid_off|unemployed,informal_worker");
    return s;
}

/* Someone who passes everything for a wave closing on 2026-12-05. */
static struct elig_input good(void)
{
    struct elig_input in;
    memset(&in, 0, sizeof in);
    in.birth = (struct nik_date){1995, 8, 7};
    in.close_date = (struct nik_date){2026, 12, 5};
    in.occupation = "unemployed";
    in.test_passed = 1;
    in.email_verified = 1;
    in.phone_verified = 1;
    in.civreg = CIVREG_MATCH;
    return in;
}

static const char *const rule_order[ELIG_NRULES] = {
    "age", "occupation", "education", "test", "verified", "kk_limit", "first_time",
    "not_revoked", "exclusion", "civil_registry",
};

/* Evaluates in under s; asserts that exactly the rule named `failing` (NULL: none)
 * failed, with reason `why`. */
static void expect(const struct scheme *s, const struct elig_input *in, const char *failing,
                   const char *why)
{
    struct elig_result r[ELIG_NRULES];
    int all = elig_evaluate(s, in, r);

    cr_assert_eq(all, failing == NULL, "eligible=%d, expected failing %s", all,
                 failing ? failing : "(none)");
    for (int i = 0; i < ELIG_NRULES; i++) {
        cr_assert_str_eq(r[i].rule, rule_order[i]);
        if (failing && strcmp(r[i].rule, failing) == 0) {
            cr_assert_eq(r[i].passed, 0, "%s should fail", failing);
            cr_assert_str_eq(r[i].reason, why);
        } else {
            cr_assert_eq(r[i].passed, 1, "%s should pass (reason %s)", r[i].rule,
                         r[i].reason ? r[i].reason : "-");
            cr_assert_null(r[i].reason);
        }
    }
}

Test(eligibility, everyone_good_is_eligible_under_both_schemes)
{
    struct scheme a = scheme_2023(), b = scheme_2020();
    struct elig_input in = good();
    expect(&a, &in, NULL, NULL);
    expect(&b, &in, NULL, NULL);
}

Test(eligibility, rule_names_and_indexes_are_stable)
{
    for (int i = 0; i < ELIG_NRULES; i++) {
        cr_assert_str_eq(elig_rule_name(i), rule_order[i]);
        cr_assert_eq(elig_rule_index(rule_order[i]), i);
    }
    cr_assert_null(elig_rule_name(ELIG_NRULES));
    cr_assert_null(elig_rule_name(-1));
    cr_assert_eq(elig_rule_index("nope"), -1);
    cr_assert_eq(elig_rule_index(NULL), -1);
}

Test(eligibility, age_below_and_above)
{
    struct scheme s = scheme_2023();
    struct elig_input in = good();

    in.birth = (struct nik_date){2009, 1, 1};        /* 17 on 2026-12-05 */
    expect(&s, &in, "age", "elig.age_below");
    in.birth = (struct nik_date){1962, 1, 1};        /* 64: still in */
    expect(&s, &in, NULL, NULL);
    in.birth = (struct nik_date){1961, 12, 5};       /* 65 on the close date */
    expect(&s, &in, "age", "elig.age_above");
    in.birth = (struct nik_date){1961, 12, 6};       /* 65 a day after: still 64 */
    expect(&s, &in, NULL, NULL);
}

Test(eligibility, eighteenth_birthday_on_the_close_date_counts)
{
    struct scheme s = scheme_2023();
    struct elig_input in = good();

    in.birth = (struct nik_date){2008, 12, 5};
    expect(&s, &in, NULL, NULL);
    in.birth = (struct nik_date){2008, 12, 6};       /* turns 18 the day after the close */
    expect(&s, &in, "age", "elig.age_below");
}

Test(eligibility, the_scheme_row_sets_the_age_range)
{
    struct scheme s = scheme_2023();
    struct elig_input in = good();                   /* 31 on the close date */

    s.age_max = 30;
    expect(&s, &in, "age", "elig.age_above");
    s.age_max = 64;
    s.age_min = 32;
    expect(&s, &in, "age", "elig.age_below");
}

Test(eligibility, leap_day_birthdays)
{
    /* born 29 February: a year older on 1 March in common years */
    cr_assert_eq(elig_age((struct nik_date){2008, 2, 29}, (struct nik_date){2026, 2, 28}), 17);
    cr_assert_eq(elig_age((struct nik_date){2008, 2, 29}, (struct nik_date){2026, 3, 1}), 18);
    /* and on 29 February itself in leap years */
    cr_assert_eq(elig_age((struct nik_date){2008, 2, 29}, (struct nik_date){2028, 2, 28}), 19);
    cr_assert_eq(elig_age((struct nik_date){2008, 2, 29}, (struct nik_date){2028, 2, 29}), 20);
    cr_assert_eq(elig_age((struct nik_date){1995, 8, 7}, (struct nik_date){1995, 8, 7}), 0);
    cr_assert_lt(elig_age((struct nik_date){1995, 8, 7}, (struct nik_date){1995, 8, 6}), 0);

    struct scheme s = scheme_2023();
    struct elig_input in = good();
    in.birth = (struct nik_date){2008, 2, 29};
    in.close_date = (struct nik_date){2026, 2, 28};
    expect(&s, &in, "age", "elig.age_below");
    in.close_date = (struct nik_date){2026, 3, 1};
    expect(&s, &in, NULL, NULL);
}

Test(eligibility, a_missing_birth_date_fails_the_age_rule)
{
    struct scheme s = scheme_2023();
    struct elig_input in = good();

    memset(&in.birth, 0, sizeof in.birth);
    expect(&s, &in, "age", "elig.age_below");
    in.birth = (struct nik_date){1995, 2, 30};
    expect(&s, &in, "age", "elig.age_below");
}

Test(eligibility, excluded_occupations)
{
    static const char *const barred[] = {"civil_servant", "military_police",
                                         "village_official", "legislator", "soe_director"};
    struct scheme s = scheme_2023();
    struct elig_input in = good();

    for (size_t i = 0; i < sizeof barred / sizeof barred[0]; i++) {
        in.occupation = barred[i];
        expect(&s, &in, "occupation", "elig.occupation_excluded");
    }
    in.occupation = "employee";
    expect(&s, &in, NULL, NULL);
    /* the list is data: an agency that drops a code lets it in */
    strcpy(s.excluded_occupations, "military_police");
    in.occupation = "civil_servant";
    expect(&s, &in, NULL, NULL);
}

Test(eligibility, students_only_when_the_scheme_excludes_them)
{
    struct scheme s = scheme_2023();
    struct elig_input in = good();

    in.occupation = "student";
    expect(&s, &in, "education", "elig.in_education");
    s.exclude_students = 0;
    expect(&s, &in, NULL, NULL);
}

Test(eligibility, basic_test)
{
    struct scheme s = scheme_2023();
    struct elig_input in = good();

    in.test_passed = 0;
    expect(&s, &in, "test", "elig.test_not_passed");
}

Test(eligibility, email_and_phone_must_both_be_verified)
{
    struct scheme s = scheme_2023();
    struct elig_input in = good();

    in.phone_verified = 0;
    expect(&s, &in, "verified", "elig.not_verified");
    in.phone_verified = 1;
    in.email_verified = 0;
    expect(&s, &in, "verified", "elig.not_verified");
}

Test(eligibility, kk_limit_counts_other_beneficiaries_of_the_kk)
{
    struct scheme s = scheme_2023();
    struct elig_input in = good();

    in.kk_beneficiaries = 1;
    expect(&s, &in, NULL, NULL);
    in.kk_beneficiaries = 2;
    expect(&s, &in, "kk_limit", "elig.kk_limit");
    s.max_per_kk = 3;
    expect(&s, &in, NULL, NULL);
    s.max_per_kk = 1;
    in.kk_beneficiaries = 1;
    expect(&s, &in, "kk_limit", "elig.kk_limit");
}

Test(eligibility, once_a_beneficiary_never_again)
{
    struct scheme s = scheme_2023();
    struct elig_input in = good();

    in.ever_beneficiary = 1;
    expect(&s, &in, "first_time", "elig.already_beneficiary");
    in.ever_beneficiary = 0;
    in.ever_revoked = 1;
    expect(&s, &in, "not_revoked", "elig.revoked");
}

Test(eligibility, aid_lists_bar_only_under_exclude_aid)
{
    struct scheme a = scheme_2023(), b = scheme_2020();
    struct elig_input in = good();

    in.on_aid_list = 1;
    expect(&a, &in, NULL, NULL);                      /* normal 2023: aid is fine */
    expect(&b, &in, "exclusion", "elig.excluded_list"); /* semi-bansos: barred */
    in.on_aid_list = 0;
    in.on_other_list = 1;                             /* other lists bar everywhere */
    expect(&a, &in, "exclusion", "elig.excluded_list");
    expect(&b, &in, "exclusion", "elig.excluded_list");
}

Test(eligibility, civil_registry_outcomes)
{
    struct scheme s = scheme_2023();
    struct elig_input in = good();

    in.civreg = CIVREG_NOT_FOUND;
    expect(&s, &in, "civil_registry", "elig.civreg_not_found");
    in.civreg = CIVREG_NAME_MISMATCH;
    expect(&s, &in, "civil_registry", "elig.civreg_name_mismatch");
    in.civreg = CIVREG_BIRTH_MISMATCH;
    expect(&s, &in, "civil_registry", "elig.civreg_birth_mismatch");
    in.civreg = CIVREG_UNAVAILABLE;
    expect(&s, &in, "civil_registry", "elig.civreg_unavailable");
}

Test(eligibility, every_failing_rule_is_reported_at_once)
{
    struct scheme s = scheme_2020();
    struct elig_input in;
    struct elig_result r[ELIG_NRULES];
    static const char *const why[ELIG_NRULES] = {
        "elig.age_above", "elig.occupation_excluded", NULL, "elig.test_not_passed",
        "elig.not_verified", "elig.kk_limit", "elig.already_beneficiary", "elig.revoked",
        "elig.excluded_list", "elig.civreg_name_mismatch",
    };

    memset(&in, 0, sizeof in);
    in.birth = (struct nik_date){1950, 1, 1};
    in.close_date = (struct nik_date){2026, 12, 5};
    in.occupation = "legislator";
    in.kk_beneficiaries = 5;
    in.ever_beneficiary = 1;
    in.ever_revoked = 1;
    in.on_aid_list = 1;
    in.civreg = CIVREG_NAME_MISMATCH;
    cr_assert_eq(elig_evaluate(&s, &in, r), 0);
    for (int i = 0; i < ELIG_NRULES; i++) {
        cr_assert_str_eq(r[i].rule, rule_order[i]);
        if (why[i]) {
            cr_assert_eq(r[i].passed, 0, "%s", r[i].rule);
            cr_assert_str_eq(r[i].reason, why[i]);
        } else {
            cr_assert_eq(r[i].passed, 1, "%s", r[i].rule);
        }
    }
}
