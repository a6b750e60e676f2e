/*
 * eligibility: the rules that decide whether an application may enter a wave's
 * draw, in pure C. The caller (store/eligibility.c) gathers the facts about the
 * person and the wave into a struct elig_input; elig_evaluate applies every rule
 * of the scheme and reports each one, pass or fail, with a stable reason code
 * (core/errors.c, "elig.*") that is recorded and shown to the applicant. Every
 * rule is always evaluated, so an applicant sees all their reasons at once.
 *
 * Rules, in this order (the `rule` names are stable, stored and sent to clients):
 *   age           age in whole years on the wave's close date (WIB) within
 *                 [age_min, age_max]                          elig.age_below / elig.age_above
 *   occupation    occupation not in excluded_occupations      elig.occupation_excluded
 *   education     not in formal education (occupation "student") when the scheme
 *                 excludes students                          elig.in_education
 *   test          a basic test passed at the scheme's pass mark  elig.test_not_passed
 *   verified      email and phone both verified               elig.not_verified
 *   kk_limit      beneficiaries of the same KK below max_per_kk   elig.kk_limit
 *   first_time    never a beneficiary before                  elig.already_beneficiary
 *   not_revoked   never revoked                               elig.revoked
 *   exclusion     not on an exclusion list that applies (aid lists when the scheme
 *                 excludes aid; non-aid lists always)        elig.excluded_list
 *   civil_registry  the civil registry knows the NIK with the same name and birth
 *                 date                                       elig.civreg_not_found /
 *                 elig.civreg_name_mismatch / elig.civreg_birth_mismatch /
 *                 elig.civreg_unavailable
 */
#ifndef PK_CORE_ELIGIBILITY_H
#define PK_CORE_ELIGIBILITY_H
#include <stdint.h>

#include "core/nik.h"
#include "core/scheme.h"

#define ELIG_NRULES 10

enum civreg_result {
    CIVREG_MATCH = 0,
    CIVREG_NOT_FOUND = 1,
    CIVREG_NAME_MISMATCH = 2,
    CIVREG_BIRTH_MISMATCH = 3,
    CIVREG_UNAVAILABLE = 4,
};

struct elig_input {
    struct nik_date birth;          /* the account's birth date */
    struct nik_date close_date;     /* the wave's close, as a WIB date */
    const char *occupation;
    int test_passed;                /* 0/1 */
    int email_verified, phone_verified;
    int kk_beneficiaries;           /* beneficiaries (any status) sharing the KK,
                                       not counting this person */
    int ever_beneficiary;           /* 0/1 */
    int ever_revoked;               /* 0/1 */
    int on_aid_list;                /* 0/1: on an exclusion list marked aid */
    int on_other_list;              /* 0/1: on any other exclusion list */
    enum civreg_result civreg;
};

struct elig_result {
    const char *rule;               /* static: "age", ... */
    int passed;
    const char *reason;             /* static elig.* code; NULL when passed */
};

/* Evaluates every rule of s against in into out[0..ELIG_NRULES-1], in the order
 * above. Returns 1 when all passed (eligible), else 0. */
int elig_evaluate(const struct scheme *s, const struct elig_input *in,
                  struct elig_result out[ELIG_NRULES]);

/* The stable name of rule i (0..ELIG_NRULES-1, the order above), or NULL. */
const char *elig_rule_name(int i);
/* The index of the rule called name, or -1. */
int elig_rule_index(const char *name);

/* Whole years between birth and on (birthday on Feb 29 counts from Mar 1 in
 * common years). */
int elig_age(struct nik_date birth, struct nik_date on);

#endif
