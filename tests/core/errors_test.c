/*
 * Tests for src/core/errors.c: the code table has every code docs/api.md names, each
 * once, each with English and Indonesian text and a sane status; lookups and language
 * choice behave as errors.h says.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "core/errors.h"

static const struct { const char *code; int status; } documented[] = {
    {"not_found", 404}, {"method_not_allowed", 405}, {"payload_too_large", 413},
    {"unsupported_media_type", 415}, {"json.malformed", 400}, {"json.not_object", 400},
    {"json.invalid_utf8", 400}, {"validation", 400}, {"overloaded", 503},
    {"store.unavailable", 503}, {"internal", 500}, {"request.timeout", 408},
    {"auth.required", 401}, {"auth.invalid_token", 401}, {"auth.bad_credentials", 401},
    {"auth.throttled", 429}, {"auth.locked", 423}, {"auth.forbidden", 403},
    {"region.not_found", 404}, {"region.bad_level", 400}, {"page.invalid", 400},
    {"account.nik_taken", 409}, {"account.email_taken", 409}, {"account.phone_taken", 409},
    {"verify.bad_code", 400}, {"verify.expired", 400}, {"verify.too_many_attempts", 429},
    {"verify.not_found", 404},
    {"field.required", 400}, {"field.wrong_type", 400}, {"field.too_long", 400},
    {"field.nul_byte", 400}, {"field.invalid_utf8", 400}, {"email.invalid", 400},
    {"password.too_short", 400}, {"password.too_long", 400}, {"full_name.invalid", 400},
    {"nik.length", 400}, {"nik.not_digits", 400}, {"nik.unknown_region", 400},
    {"nik.bad_birth_date", 400}, {"nik.serial_zero", 400}, {"kk.length", 400},
    {"kk.not_digits", 400}, {"kk.unknown_region", 400}, {"kk.serial_zero", 400},
    {"birth_date.invalid", 400}, {"birth_date.nik_mismatch", 400}, {"sex.invalid", 400},
    {"sex.nik_mismatch", 400}, {"phone.invalid", 400}, {"village.unknown", 400},
    {"education.invalid", 400}, {"occupation.invalid", 400},
};

Test(errors, every_documented_code_with_its_status)
{
    for (size_t i = 0; i < sizeof documented / sizeof documented[0]; i++) {
        const struct err_def *e = err_lookup(documented[i].code);
        cr_assert_not_null(e, "missing %s", documented[i].code);
        cr_assert_eq(e->status, documented[i].status, "%s", documented[i].code);
    }
}

Test(errors, every_row_has_texts_and_a_sane_status)
{
    int n = 0;
    const struct err_def *t = err_table(&n);
    cr_assert_geq(n, (int)(sizeof documented / sizeof documented[0]));
    for (int i = 0; i < n; i++) {
        cr_assert(t[i].code != NULL && t[i].code[0] != '\0');
        cr_assert(t[i].en != NULL && strlen(t[i].en) > 3, "%s en", t[i].code);
        cr_assert(t[i].id != NULL && strlen(t[i].id) > 3, "%s id", t[i].code);
        cr_assert_str_neq(t[i].en, t[i].id, "%s is not translated", t[i].code);
        /* eligibility reasons are recorded results (200), never a reply's own code */
        if (strncmp(t[i].code, "elig.", 5) == 0)
            cr_assert_eq(t[i].status, 200, "%s", t[i].code);
        else
            cr_assert(t[i].status >= 400 && t[i].status <= 599, "%s", t[i].code);
        for (const char *c = t[i].code; *c; c++)
            cr_assert((*c >= 'a' && *c <= 'z') || *c == '_' || *c == '.' ||
                      (*c >= '0' && *c <= '9'), "%s", t[i].code);
    }
}

Test(errors, no_duplicate_codes)
{
    int n = 0;
    const struct err_def *t = err_table(&n);
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++)
            cr_assert_str_neq(t[i].code, t[j].code, "duplicate %s", t[i].code);
}

Test(errors, lookup_and_language)
{
    const struct err_def *e = err_lookup("nik.bad_birth_date");
    cr_assert_not_null(e);
    cr_assert_str_eq(err_text("nik.bad_birth_date", "en"), e->en);
    cr_assert_str_eq(err_text("nik.bad_birth_date", "id"), e->id);
    cr_assert_str_eq(err_text("nik.bad_birth_date", "fr"), e->id, "Indonesian by default");
    cr_assert_str_eq(err_text("nik.bad_birth_date", NULL), e->id);
    cr_assert_str_eq(err_text("validation", "id"), "Data tidak valid");
    cr_assert_null(err_lookup("no.such_code"));
    cr_assert_null(err_lookup(NULL));
    cr_assert_str_eq(err_text("no.such_code", "en"), "no.such_code");
}
