/*
 * Tests for src/core/account.c: a valid registration and its cleaned values, every
 * field code, the NIK cross-checks, phone forms, email shapes, and names that must be
 * accepted exactly as written. Stub regions: districts 350915 and 317101, villages
 * 35.09.15.2001 and 31.71.01.1001.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "core/account.h"

static const struct nik_date today = {2025, 11, 28};

static int district_exists(void *ctx, const char code6[7])
{
    return strcmp(code6, "350915") == 0 || strcmp(code6, "317101") == 0;
}

static int village_exists(void *ctx, const char *code)
{
    return strcmp(code, "35.09.15.2001") == 0 || strcmp(code, "31.71.01.1001") == 0;
}

static const struct account_checks api = {district_exists, village_exists, NULL, 1};
static const struct account_checks bulk = {district_exists, village_exists, NULL, 0};

static struct account_input good(void)
{
    return (struct account_input){
        .email = "Siti.Nur@Example.ID",
        .password = "rahasia123",
        .full_name = "Siti Nur'aini",
        .nik = "3509154708950001",
        .kk = "3509150101080003",
        .birth_date = "1995-08-07",
        .sex = "F",
        .phone = "081234567890",
        .village_code = "35.09.15.2001",
        .education = "sma",
        .occupation = "unemployed",
    };
}

static struct field_error errs[ACCOUNT_FIELDS];
static struct account_clean clean;

static int run(struct account_input in, const struct account_checks *chk)
{
    memset(errs, 0, sizeof errs);
    return account_validate(&in, today, chk, &clean, errs, ACCOUNT_FIELDS);
}

/* Asserts that in has exactly one error, on field with code. */
static void one(struct account_input in, const char *field, const char *code)
{
    int n = run(in, &api);
    cr_assert_eq(n, 1, "want one error %s/%s, got %d (first %s/%s)", field, code, n,
                 n ? errs[0].field : "-", n ? errs[0].code : "-");
    cr_assert_str_eq(errs[0].field, field);
    cr_assert_str_eq(errs[0].code, code);
}

static void ok(struct account_input in)
{
    int n = run(in, &api);
    cr_assert_eq(n, 0, "want valid, got %d errors (first %s/%s)", n, n ? errs[0].field : "-",
                 n ? errs[0].code : "-");
}

Test(account, valid_registration_is_cleaned)
{
    ok(good());
    cr_assert_str_eq(clean.email, "siti.nur@example.id");
    cr_assert_str_eq(clean.phone, "+6281234567890");
    cr_assert_str_eq(clean.nik.district, "350915");
    cr_assert_eq(clean.nik.sex, 'F');
    cr_assert_str_eq(clean.kk_district, "350915");
    cr_assert_eq(clean.birth.year, 1995);
    cr_assert_eq(clean.birth.month, 8);
    cr_assert_eq(clean.birth.day, 7);
    cr_assert_eq(clean.sex, 'F');
    cr_assert_str_eq(clean.regency_code, "35.09");
}

Test(account, domicile_may_differ_from_nik_region)
{
    struct account_input in = good();
    in.village_code = "31.71.01.1001";
    ok(in);
    cr_assert_str_eq(clean.regency_code, "31.71");
}

Test(account, everything_absent_is_required_in_order)
{
    static const char *fields[] = {"email", "password", "full_name", "nik", "kk", "birth_date",
                                   "sex", "phone", "village_code", "education", "occupation"};
    struct account_input none = {0};
    cr_assert_eq(run(none, &api), ACCOUNT_FIELDS);
    for (int i = 0; i < ACCOUNT_FIELDS; i++) {
        cr_assert_str_eq(errs[i].field, fields[i]);
        cr_assert_str_eq(errs[i].code, "field.required");
    }
    struct account_input blank = {"", "", "", "", "", "", "", "", "", "", ""};
    cr_assert_eq(run(blank, &api), ACCOUNT_FIELDS, "empty strings count as absent");
}

Test(account, bulk_import_needs_no_password_but_checks_one_given)
{
    struct account_input in = good();
    in.password = NULL;
    cr_assert_eq(run(in, &bulk), 0);
    cr_assert_eq(run(in, &api), 1);
    cr_assert_str_eq(errs[0].code, "field.required");
    in.password = "short";
    cr_assert_eq(run(in, &bulk), 1);
    cr_assert_str_eq(errs[0].code, "password.too_short");
}

Test(account, errors_keep_field_order_and_max)
{
    struct account_input in = good();
    in.occupation = "pns";
    in.email = "nope";
    in.phone = "021555123";
    cr_assert_eq(run(in, &api), 3);
    cr_assert_str_eq(errs[0].field, "email");
    cr_assert_str_eq(errs[1].field, "phone");
    cr_assert_str_eq(errs[2].field, "occupation");

    struct field_error small[3] = {{"x", "x"}, {"x", "x"}, {"sentinel", "sentinel"}};
    struct account_input none = {0};
    cr_assert_eq(account_validate(&none, today, &api, &clean, small, 2), 2);
    cr_assert_str_eq(small[1].field, "password");
    cr_assert_str_eq(small[2].field, "sentinel", "nothing written past max");
}

Test(account, email)
{
    struct account_input in = good();
    const char *bad[] = {"siti", "siti@", "@example.id", "siti@example", "siti@example.i",
                         "siti@@example.id", "si ti@example.id", "siti@exa mple.id",
                         ".siti@example.id", "siti.@example.id", "si..ti@example.id",
                         "siti@-example.id", "siti@example-.id", "siti@example..id",
                         "siti@.example.id", "siti@example.id.", "siti@example.123",
                         "s\xc3\xadti@example.id", "siti@ex_ample.id", "\"siti\"@example.id"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        in.email = bad[i];
        one(in, "email", "email.invalid");
    }
    const char *fine[] = {"a.b+tag@sub.example.co.id", "o'neil@example.com", "x@ab.cd",
                          "USER_1@Mail-Server.Example.ID"};
    for (size_t i = 0; i < sizeof fine / sizeof fine[0]; i++) {
        in.email = fine[i];
        ok(in);
    }
    cr_assert_str_eq(clean.email, "user_1@mail-server.example.id");
}

Test(account, email_lengths)
{
    char local[80], addr[300];
    memset(local, 'a', 64);
    local[64] = '\0';
    snprintf(addr, sizeof addr, "%s@example.id", local);
    cr_assert(email_valid(addr), "64-byte local part");
    memset(local, 'a', 65);
    local[65] = '\0';
    snprintf(addr, sizeof addr, "%s@example.id", local);
    cr_assert_not(email_valid(addr), "65-byte local part");

    /* 254 bytes: "a@" + labels of 63 joined by dots ending in ".id". */
    char lab[64];
    memset(lab, 'b', 63);
    lab[63] = '\0';
    snprintf(addr, sizeof addr, "a@%s.%s.%s.%.57s.id", lab, lab, lab, lab);
    cr_assert_eq(strlen(addr), 254);
    cr_assert(email_valid(addr));
    snprintf(addr, sizeof addr, "a@%s.%s.%s.%.58s.id", lab, lab, lab, lab);
    cr_assert_eq(strlen(addr), 255);
    cr_assert_not(email_valid(addr));
    memset(lab, 'b', 64);
    snprintf(addr, sizeof addr, "a@%.64s.id", lab);
    cr_assert_not(email_valid(addr), "64-byte label");
    cr_assert_not(email_valid(NULL));
}

Test(account, password)
{
    struct account_input in = good();
    in.password = "1234567";
    one(in, "password", "password.too_short");
    in.password = "12345678";
    ok(in);
    in.password = "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9";
    one(in, "password", "password.too_short");
    in.password = "1234567\xc3\xa9";
    ok(in);
    char p[200];
    memset(p, 'x', 128);
    p[128] = '\0';
    in.password = p;
    ok(in);
    p[128] = 'x';
    p[129] = '\0';
    one(in, "password", "password.too_long");
    in.password = "12345678\xff";
    one(in, "password", "field.invalid_utf8");
}

Test(account, names_kept_as_written)
{
    struct account_input in = good();
    const char *fine[] = {
        "Siti Nur'aini", "Jean-Pierre Ma\xe2\x80\x99ruf", "I Gusti Ngurah Rai", "Andi A.",
        "\xc3\x90\xe1\xba\xb7ng Th\xe1\xbb\x8b Thu",          /* Vietnamese */
        "\xe7\x8e\x8b\xe5\xb0\x8f\xe6\x98\x8e",                /* Chinese */
        "\xd9\x85\xd8\xad\xd9\x85\xd8\xaf",                    /* Arabic */
        " Siti ", "X",
    };
    for (size_t i = 0; i < sizeof fine / sizeof fine[0]; i++) {
        in.full_name = fine[i];
        ok(in);
    }
    char name[200];
    memset(name, 'a', 150);
    name[150] = '\0';
    in.full_name = name;
    ok(in);
}

Test(account, bad_names)
{
    struct account_input in = good();
    const char *bad[] = {"12345", "'-'", "   ", "Siti\tNur", "Siti\nNur", "Siti\x7f",
                         "Siti\xc2\x85", "Siti\xe2\x80\xaeiniaN", "\xf0\x9f\x98\x80",
                         "Siti\xe2\x80\xa8"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        in.full_name = bad[i];
        one(in, "full_name", "full_name.invalid");
    }
    char name[200];
    memset(name, 'a', 151);
    name[151] = '\0';
    in.full_name = name;
    one(in, "full_name", "full_name.invalid");
    in.full_name = "Siti\xc0\xaf";
    one(in, "full_name", "field.invalid_utf8");
}

Test(account, nik_and_kk_codes)
{
    struct account_input in = good();
    struct { const char *nik, *code; } nk[] = {
        {"350915470895000", "nik.length"}, {"35091547089500a1", "nik.not_digits"},
        {"3509994708950001", "nik.unknown_region"}, {"3509154713950001", "nik.bad_birth_date"},
        {"3509154708950000", "nik.serial_zero"},
    };
    for (size_t i = 0; i < sizeof nk / sizeof nk[0]; i++) {
        in.nik = nk[i].nik;
        one(in, "nik", nk[i].code);
    }
    in = good();
    struct { const char *kk, *code; } kk[] = {
        {"35091501010800031", "kk.length"}, {"350915010108000x", "kk.not_digits"},
        {"1111110101080003", "kk.unknown_region"}, {"3509150101080000", "kk.serial_zero"},
    };
    for (size_t i = 0; i < sizeof kk / sizeof kk[0]; i++) {
        in.kk = kk[i].kk;
        one(in, "kk", kk[i].code);
    }
}

Test(account, birth_date)
{
    struct account_input in = good();
    const char *bad[] = {"1995-8-7", "07-08-1995", "1995/08/07", "1995-02-30", "1995-13-01",
                         "1995-08-07T00:00", "2030-01-01", "0000-01-01"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        in.birth_date = bad[i];
        one(in, "birth_date", "birth_date.invalid");
    }
    in.birth_date = "1995-08-08";
    one(in, "birth_date", "birth_date.nik_mismatch");
    in.birth_date = "2095-08-07";
    one(in, "birth_date", "birth_date.invalid");
}

Test(account, mismatches_only_when_nik_parsed)
{
    struct account_input in = good();
    in.sex = "M";
    one(in, "sex", "sex.nik_mismatch");

    in = good();
    in.nik = "3509154708950000";
    in.birth_date = "1990-01-01";
    in.sex = "M";
    one(in, "nik", "nik.serial_zero");

    in = good();
    in.nik = "3509150708950001";     /* a man born 7 Aug 1995 */
    in.sex = "F";
    one(in, "sex", "sex.nik_mismatch");
    in.sex = "M";
    ok(in);
    cr_assert_eq(clean.sex, 'M');
}

Test(account, sex)
{
    struct account_input in = good();
    const char *bad[] = {"f", "X", "FM", "female", "P", "L"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        in.sex = bad[i];
        one(in, "sex", "sex.invalid");
    }
}

Test(account, phone_forms)
{
    const char *same[] = {"081234567890", "6281234567890", "+6281234567890",
                          "+62 812-3456-7890", "0812 3456 7890", "0812.3456.7890",
                          "+62-812-3456-7890"};
    char out[17];
    for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) {
        cr_assert_eq(phone_normalize(same[i], out), 0, "%s", same[i]);
        cr_assert_str_eq(out, "+6281234567890", "%s", same[i]);
    }
    cr_assert_eq(phone_normalize("081234567", out), 0, "8 then 7 digits");
    cr_assert_str_eq(out, "+6281234567");
    cr_assert_eq(phone_normalize("08123456789012", out), 0, "8 then 12 digits");
    cr_assert_str_eq(out, "+628123456789012");
    cr_assert_eq(strlen(out), 16);
}

Test(account, phone_rejects)
{
    const char *bad[] = {"", "08123456", "081234567890123", "0212345678", "+1 812 3456 789",
                         "+081234567890", "620812345678", "62", "+62", "0812--34567890",
                         "0812 3456 7890 ", " 081234567890", "++6281234567890",
                         "0812345678a", "(0812) 3456789", "08123456789012345678901234567890123",
                         "0812\xc2\xa0" "34567890"};
    char out[17] = "junk";
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cr_assert_eq(phone_normalize(bad[i], out), -1, "%s", bad[i]);
        cr_assert_str_eq(out, "");
    }
    cr_assert_eq(phone_normalize(NULL, out), -1);
    struct account_input in = good();
    in.phone = "0212345678";
    one(in, "phone", "phone.invalid");
}

Test(account, village)
{
    struct account_input in = good();
    const char *bad[] = {"35.09.15.9999", "3509152001", "35.09.15.2001x", "35.09.15", "35-09-15-2001",
                         "35.09.15.200a"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        in.village_code = bad[i];
        one(in, "village_code", "village.unknown");
    }
}

Test(account, education_and_occupation_lists)
{
    const char *edu[] = {"none", "sd", "smp", "sma", "smk", "diploma", "s1", "s2", "s3"};
    for (size_t i = 0; i < sizeof edu / sizeof edu[0]; i++)
        cr_assert(account_education_valid(edu[i]), "%s", edu[i]);
    const char *occ[] = {"unemployed", "laid_off", "employee", "entrepreneur", "farmer_fisher",
                         "informal_worker", "student", "homemaker", "civil_servant",
                         "military_police", "village_official", "legislator", "soe_director",
                         "other"};
    for (size_t i = 0; i < sizeof occ / sizeof occ[0]; i++)
        cr_assert(account_occupation_valid(occ[i]), "%s", occ[i]);
    cr_assert_not(account_education_valid("SMA"));
    cr_assert_not(account_education_valid("s4"));
    cr_assert_not(account_occupation_valid("pns"));
    cr_assert_not(account_occupation_valid("other "));

    struct account_input in = good();
    in.education = "SMA";
    one(in, "education", "education.invalid");
    in = good();
    in.occupation = "pns";
    one(in, "occupation", "occupation.invalid");
}

Test(account, every_returned_code_is_in_the_error_table)
{
    struct account_input none = {0};
    run(none, &api);
    for (int i = 0; i < ACCOUNT_FIELDS; i++)
        cr_assert_not_null(err_lookup(errs[i].code), "%s", errs[i].code);
}
