/*
 * eligibility: the rules of core/eligibility.h applied to the facts the store
 * gathered. Each rule is a small function of (scheme, input) that answers NULL
 * (passed) or its elig.* reason code; elig_evaluate runs all of them in the
 * header's order and never stops at the first failure, so the applicant sees
 * every reason at once. Everything here is pure: the scheme's numbers and lists
 * come from its row (core/scheme.h), nothing is a constant of the program.
 *
 * A birth date that is not a real calendar date (an account without one) fails
 * the age rule as elig.age_below: the age cannot be shown to be in range.
 */
#include "core/eligibility.h"

#include <string.h>

typedef const char *(*rule_fn)(const struct scheme *s, const struct elig_input *in);

static const char *rule_age(const struct scheme *s, const struct elig_input *in)
{
    int age;

    if (!nik_date_valid(in->birth) || !nik_date_valid(in->close_date))
        return "elig.age_below";
    age = elig_age(in->birth, in->close_date);
    if (age < s->age_min)
        return "elig.age_below";
    if (age > s->age_max)
        return "elig.age_above";
    return NULL;
}

static const char *rule_occupation(const struct scheme *s, const struct elig_input *in)
{
    if (in->occupation && scheme_occupation_excluded(s, in->occupation))
        return "elig.occupation_excluded";
    return NULL;
}

static const char *rule_education(const struct scheme *s, const struct elig_input *in)
{
    if (s->exclude_students && in->occupation && strcmp(in->occupation, "student") == 0)
        return "elig.in_education";
    return NULL;
}

static const char *rule_test(const struct scheme *s, const struct elig_input *in)
{
    (void)s;
    return in->test_passed ? NULL : "elig.test_not_passed";
}

static const char *rule_verified(const struct scheme *s, const struct elig_input *in)
{
    (void)s;
    return in->email_verified && in->phone_verified ? NULL : "elig.not_verified";
}

static const char *rule_kk_limit(const struct scheme *s, const struct elig_input *in)
{
    return in->kk_beneficiaries < s->max_per_kk ? NULL : "elig.kk_limit";
}

static const char *rule_first_time(const struct scheme *s, const struct elig_input *in)
{
    (void)s;
    return in->ever_beneficiary ? "elig.already_beneficiary" : NULL;
}

static const char *rule_not_revoked(const struct scheme *s, const struct elig_input *in)
{
    (void)s;
    return in->ever_revoked ? "elig.revoked" : NULL;
}

static const char *rule_exclusion(const struct scheme *s, const struct elig_input *in)
{
    if (in->on_other_list || (s->exclude_aid && in->on_aid_list))
        return "elig.excluded_list";
    return NULL;
}

static const char *rule_civil_registry(const struct scheme *s, const struct elig_input *in)
{
    (void)s;
    switch (in->civreg) {
    case CIVREG_MATCH:
        return NULL;
    case CIVREG_NOT_FOUND:
        return "elig.civreg_not_found";
    case CIVREG_NAME_MISMATCH:
        return "elig.civreg_name_mismatch";
    case CIVREG_BIRTH_MISMATCH:
        return "elig.civreg_birth_mismatch";
    case CIVREG_UNAVAILABLE:
    default:
        return "elig.civreg_unavailable";
    }
}

static const struct {
    const char *name;
    rule_fn fn;
} rules[ELIG_NRULES] = {
    {"age", rule_age},
    {"occupation", rule_occupation},
    {"education", rule_education},
    {"test", rule_test},
    {"verified", rule_verified},
    {"kk_limit", rule_kk_limit},
    {"first_time", rule_first_time},
    {"not_revoked", rule_not_revoked},
    {"exclusion", rule_exclusion},
    {"civil_registry", rule_civil_registry},
};

int elig_evaluate(const struct scheme *s, const struct elig_input *in,
                  struct elig_result out[ELIG_NRULES])
{
    int all = 1;

    for (int i = 0; i < ELIG_NRULES; i++) {
        const char *reason = rules[i].fn(s, in);
        out[i].rule = rules[i].name;
        out[i].passed = reason == NULL;
        out[i].reason = reason;
        if (reason)
            all = 0;
    }
    return all;
}

int elig_age(struct nik_date birth, struct nik_date on)
{
    return nik_age_on(birth, on);
}

const char *elig_rule_name(int i)
{
    return i >= 0 && i < ELIG_NRULES ? rules[i].name : NULL;
}

int elig_rule_index(const char *name)
{
    if (!name)
        return -1;
    for (int i = 0; i < ELIG_NRULES; i++)
        if (strcmp(rules[i].name, name) == 0)
            return i;
    return -1;
}
