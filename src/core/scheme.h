/*
 * scheme: the rules and amounts of one scheme of the program (semi-bansos
 * 2020-2022, normal 2023+, whatever an agency defines next), as read from the
 * schemes table. Nothing here is a constant of the program: every number comes
 * from the row. The functions are pure: parsing and checking the text-valued
 * rules (occupation lists, priority tiers) and validating a whole scheme before
 * it is stored.
 */
#ifndef PK_CORE_SCHEME_H
#define PK_CORE_SCHEME_H
#include <stdint.h>

#include "core/errors.h"

#define SCHEME_CODE_MAX 40          /* bytes: [a-z0-9-], 2..40 */
#define SCHEME_NAME_MAX 120
#define SCHEME_LIST_MAX 400         /* excluded_occupations, priority_tiers */
#define SCHEME_FIELDS 20            /* errs slots that hold every scheme error */

struct scheme {
    int64_t id;
    char code[SCHEME_CODE_MAX + 1];
    char name[SCHEME_NAME_MAX + 1];
    int64_t training_balance;       /* rupiah */
    int64_t incentive_amount;       /* rupiah per payment */
    int incentive_count;
    int incentive_interval_days;    /* 0 = one payment */
    int64_t survey_amount;          /* rupiah per survey */
    int survey_count;
    int purchase_deadline_days;
    int age_min, age_max;           /* inclusive, in whole years at the wave's close */
    int exclude_aid;                /* 0/1 */
    int max_per_kk;
    int min_course_hours;
    char excluded_occupations[SCHEME_LIST_MAX + 1]; /* "civil_servant,legislator" */
    int exclude_students;           /* 0/1: occupation "student" is ineligible */
    char priority_tiers[SCHEME_LIST_MAX + 1];       /* "laid_off|unemployed" */
    int test_questions;             /* questions per attempt */
    int test_minutes;               /* time allowed per attempt */
    int test_pass_mark;             /* percent */
    int64_t created_at;
};

/* Checks every field of s as `scheme create` and the API take them: code and name
 * present and well formed, amounts >= 0, counts and days in sane ranges
 * (age_min 15..age_max..100, max_per_kk >= 1, test_questions 1..100,
 * test_minutes 1..240, test_pass_mark 0..100), every occupation in the lists a
 * known one (core/account.h). Appends one field_error per bad field (field names
 * are the column names) up to max; returns how many. 0 = valid. */
int scheme_validate(const struct scheme *s, struct field_error *errs, int max);

/* 1 when occupation is in s->excluded_occupations, else 0. */
int scheme_occupation_excluded(const struct scheme *s, const char *occupation);

/* The priority tier of an occupation under s->priority_tiers: the index of the
 * first "|"-separated group whose comma list holds it, else the number of groups
 * (0 when the rule is empty). */
uint32_t scheme_tier(const struct scheme *s, const char *occupation);

#endif
