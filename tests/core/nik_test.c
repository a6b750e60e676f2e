/*
 * Tests for src/core/nik.c: NIK and KK parsing, the century rule, leap days, every
 * failure code and its order, masking, the bare 16-digit shape, and the date
 * helpers. The region callback is a stub that knows districts 350915 (Jember,
 * Sumbersari) and 317101.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "core/nik.h"

static const struct nik_date today = {2025, 11, 28};

struct stub { int calls; char last[7]; };

static int stub_exists(void *ctx, const char code6[7])
{
    struct stub *s = ctx;
    if (s != NULL) {
        s->calls++;
        memcpy(s->last, code6, 7);
    }
    return strcmp(code6, "350915") == 0 || strcmp(code6, "317101") == 0;
}

static const char *parse(const char *nik, struct nik_date on, struct nik_info *out)
{
    return nik_parse(nik, on, stub_exists, NULL, out);
}

Test(nik, woman_has_40_added_to_day)
{
    struct nik_info i;
    cr_assert_null(parse("3509154708950001", today, &i));
    cr_assert_eq(i.sex, 'F');
    cr_assert_eq(i.birth.year, 1995);
    cr_assert_eq(i.birth.month, 8);
    cr_assert_eq(i.birth.day, 7);
    cr_assert_str_eq(i.district, "350915");
    cr_assert_eq(i.serial, 1);
}

Test(nik, man_day_as_written)
{
    struct nik_info i;
    cr_assert_null(parse("3171012312859876", today, &i));
    cr_assert_eq(i.sex, 'M');
    cr_assert_eq(i.birth.year, 1985);
    cr_assert_eq(i.birth.month, 12);
    cr_assert_eq(i.birth.day, 23);
    cr_assert_str_eq(i.district, "317101");
    cr_assert_eq(i.serial, 9876);
}

Test(nik, day_boundaries_for_both_sexes)
{
    struct nik_info i;
    cr_assert_null(parse("3509150101950001", today, &i));
    cr_assert_eq(i.sex, 'M');
    cr_assert_eq(i.birth.day, 1);
    cr_assert_null(parse("3509153101950001", today, &i));
    cr_assert_eq(i.birth.day, 31);
    cr_assert_null(parse("3509154101950001", today, &i));
    cr_assert_eq(i.sex, 'F');
    cr_assert_eq(i.birth.day, 1);
    cr_assert_null(parse("3509157101950001", today, &i));
    cr_assert_eq(i.sex, 'F');
    cr_assert_eq(i.birth.day, 31);
    const char *bad[] = {"3509150001950001", "3509153201950001", "3509154001950001",
                         "3509157201950001", "3509159901950001"};
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++)
        cr_assert_str_eq(parse(bad[k], today, &i), "nik.bad_birth_date", "%s", bad[k]);
}

Test(nik, month_must_be_real)
{
    struct nik_info i;
    cr_assert_str_eq(parse("3509150100950001", today, &i), "nik.bad_birth_date");
    cr_assert_str_eq(parse("3509150113950001", today, &i), "nik.bad_birth_date");
    cr_assert_str_eq(parse("3509153104950001", today, &i), "nik.bad_birth_date");
    cr_assert_str_eq(parse("3509157104950001", today, &i), "nik.bad_birth_date");
    cr_assert_null(parse("3509153004950001", today, &i));
}

Test(nik, leap_day_2000_is_valid_for_both_sexes)
{
    struct nik_info i;
    cr_assert_null(parse("3509152902000001", today, &i));
    cr_assert_eq(i.birth.year, 2000);
    cr_assert_eq(i.birth.month, 2);
    cr_assert_eq(i.birth.day, 29);
    cr_assert_eq(i.sex, 'M');
    cr_assert_null(parse("3509156902000001", today, &i));
    cr_assert_eq(i.birth.day, 29);
    cr_assert_eq(i.sex, 'F');
}

Test(nik, leap_day_1900_is_not_a_date)
{
    struct nik_info i;
    struct nik_date before_2000 = {1999, 12, 31};
    /* 2000-02-29 lies after that day, so the century is 1900, and 1900 was no leap year. */
    cr_assert_str_eq(parse("3509152902000001", before_2000, &i), "nik.bad_birth_date");
    /* 28 Feb resolves to 1900 fine. */
    cr_assert_null(parse("3509152802000001", before_2000, &i));
    cr_assert_eq(i.birth.year, 1900);
}

Test(nik, non_leap_years_have_no_29_february)
{
    struct nik_info i;
    cr_assert_str_eq(parse("3509152902010001", today, &i), "nik.bad_birth_date");
    cr_assert_str_eq(parse("3509152902230001", today, &i), "nik.bad_birth_date");
    cr_assert_null(parse("3509152902040001", today, &i));
    cr_assert_eq(i.birth.year, 2004);
    cr_assert_null(parse("3509152902960001", today, &i));
    cr_assert_eq(i.birth.year, 1996);
}

Test(nik, century_rule)
{
    struct nik_info i;
    cr_assert_null(parse("3509150101250001", today, &i));
    cr_assert_eq(i.birth.year, 2025, "born this year: age 0");
    cr_assert_null(parse("3509152811250001", today, &i));
    cr_assert_eq(i.birth.year, 2025, "born today");
    cr_assert_null(parse("3509152911250001", today, &i));
    cr_assert_eq(i.birth.year, 1925, "tomorrow in 2025 would be in the future");
    cr_assert_null(parse("3509150101260001", today, &i));
    cr_assert_eq(i.birth.year, 1926);
    cr_assert_null(parse("3509150101000001", today, &i));
    cr_assert_eq(i.birth.year, 2000);
    cr_assert_null(parse("3509150101990001", today, &i));
    cr_assert_eq(i.birth.year, 1999);
    int age = nik_age_on(i.birth, today);
    cr_assert_eq(age, 26);
}

Test(nik, length)
{
    struct nik_info i;
    cr_assert_str_eq(parse(NULL, today, &i), "nik.length");
    cr_assert_str_eq(parse("", today, &i), "nik.length");
    cr_assert_str_eq(parse("350915470895000", today, &i), "nik.length");
    cr_assert_str_eq(parse("35091547089500011", today, &i), "nik.length");
    cr_assert_str_eq(parse("3509 1547 0895 0001", today, &i), "nik.length");
    cr_assert_str_eq(parse("abc", today, &i), "nik.length", "length comes before digits");
}

Test(nik, not_digits)
{
    struct nik_info i;
    cr_assert_str_eq(parse("35091547089500a1", today, &i), "nik.not_digits");
    cr_assert_str_eq(parse("350915470895000 ", today, &i), "nik.not_digits");
    cr_assert_str_eq(parse("-509154708950001", today, &i), "nik.not_digits");
    cr_assert_str_eq(parse("99999999999999x9", today, &i), "nik.not_digits",
                     "digits come before region");
}

Test(nik, unknown_region_asks_the_callback_with_six_digits)
{
    struct nik_info i;
    struct stub s = {0, ""};
    cr_assert_str_eq(nik_parse("3509164708950001", today, stub_exists, &s, &i),
                     "nik.unknown_region");
    cr_assert_eq(s.calls, 1);
    cr_assert_str_eq(s.last, "350916");
    cr_assert_str_eq(parse("9999990000000000", today, &i), "nik.unknown_region",
                     "region comes before date and serial");
}

Test(nik, null_callback_skips_region_check)
{
    struct nik_info i;
    cr_assert_null(nik_parse("9999994708950001", today, NULL, NULL, &i));
    cr_assert_str_eq(i.district, "999999");
}

Test(nik, serial_zero)
{
    struct nik_info i;
    cr_assert_str_eq(parse("3509154708950000", today, &i), "nik.serial_zero");
    cr_assert_str_eq(parse("3509150000950000", today, &i), "nik.bad_birth_date",
                     "date comes before serial");
    cr_assert_null(parse("3509154708950010", today, &i));
    cr_assert_eq(i.serial, 10);
}

Test(nik, failed_parse_leaves_out_untouched)
{
    struct nik_info i;
    memset(&i, 0x5a, sizeof i);
    cr_assert_not_null(parse("3509154708950000", today, &i));
    cr_assert_eq(i.serial, 0x5a5a5a5a);
}

Test(kk, valid_and_district)
{
    char d[7] = "";
    cr_assert_null(kk_parse("3509150101080003", stub_exists, NULL, d));
    cr_assert_str_eq(d, "350915");
    cr_assert_null(kk_parse("3171019999990001", stub_exists, NULL, d),
                   "KK digits 7-12 are not checked");
    cr_assert_str_eq(d, "317101");
}

Test(kk, every_failure_code)
{
    char d[7] = "";
    cr_assert_str_eq(kk_parse(NULL, stub_exists, NULL, d), "kk.length");
    cr_assert_str_eq(kk_parse("350915010108000", stub_exists, NULL, d), "kk.length");
    cr_assert_str_eq(kk_parse("35091501010800031", stub_exists, NULL, d), "kk.length");
    cr_assert_str_eq(kk_parse("35091501010800O3", stub_exists, NULL, d), "kk.not_digits");
    cr_assert_str_eq(kk_parse("1234560101080003", stub_exists, NULL, d), "kk.unknown_region");
    cr_assert_str_eq(kk_parse("3509150101080000", stub_exists, NULL, d), "kk.serial_zero");
    cr_assert_str_eq(kk_parse("1234560101080000", stub_exists, NULL, d), "kk.unknown_region");
}

Test(nik, mask)
{
    char m[17];
    nik_mask("3509154708950001", m);
    cr_assert_str_eq(m, "3509********0001");
    nik_mask("123", m);
    cr_assert_str_eq(m, "****************");
    nik_mask("35091547089500011", m);
    cr_assert_str_eq(m, "****************");
    nik_mask("35091547089500a1", m);
    cr_assert_str_eq(m, "****************");
    nik_mask(NULL, m);
    cr_assert_str_eq(m, "****************");
}

Test(nik, shape_is_sixteen_digits)
{
    cr_assert(nik_shape_ok("3509154708950001", 16));
    cr_assert(nik_shape_ok("0000000000000000", 16), "only the shape: no date or serial check");
    cr_assert(nik_shape_ok("3509154708950001xyz", 16), "the first len bytes");
    cr_assert_not(nik_shape_ok("350915470895000", 15));
    cr_assert_not(nik_shape_ok("35091547089500011", 17));
    cr_assert_not(nik_shape_ok("35091547089500a1", 16));
    cr_assert_not(nik_shape_ok("3509154708950 01", 16));
    cr_assert_not(nik_shape_ok("", 0));
}

Test(nik, date_valid)
{
    cr_assert(nik_date_valid((struct nik_date){2000, 2, 29}));
    cr_assert(nik_date_valid((struct nik_date){2024, 2, 29}));
    cr_assert_not(nik_date_valid((struct nik_date){1900, 2, 29}));
    cr_assert_not(nik_date_valid((struct nik_date){2100, 2, 29}));
    cr_assert_not(nik_date_valid((struct nik_date){2023, 2, 29}));
    cr_assert_not(nik_date_valid((struct nik_date){2023, 4, 31}));
    cr_assert(nik_date_valid((struct nik_date){2023, 12, 31}));
    cr_assert_not(nik_date_valid((struct nik_date){2023, 13, 1}));
    cr_assert_not(nik_date_valid((struct nik_date){2023, 0, 1}));
    cr_assert_not(nik_date_valid((struct nik_date){2023, 1, 0}));
    cr_assert_not(nik_date_valid((struct nik_date){0, 1, 1}));
}

Test(nik, age_in_whole_years)
{
    struct nik_date b = {1995, 8, 7};
    cr_assert_eq(nik_age_on(b, (struct nik_date){2025, 8, 6}), 29);
    cr_assert_eq(nik_age_on(b, (struct nik_date){2025, 8, 7}), 30);
    cr_assert_eq(nik_age_on(b, (struct nik_date){2025, 7, 31}), 29);
    struct nik_date leap = {2000, 2, 29};
    cr_assert_eq(nik_age_on(leap, (struct nik_date){2023, 2, 28}), 22);
    cr_assert_eq(nik_age_on(leap, (struct nik_date){2023, 3, 1}), 23);
    cr_assert_eq(nik_age_on(leap, (struct nik_date){2024, 2, 29}), 24);
    cr_assert_lt(nik_age_on(leap, (struct nik_date){1999, 1, 1}), 0);
}

Test(nik, today_is_the_date_in_jakarta)
{
    /* 2026-11-28 16:59:59 UTC is 23:59:59 WIB; a second later it is the 29th there */
    struct nik_date d = nik_date_wib(1795885199);
    cr_assert_eq(d.year, 2026);
    cr_assert_eq(d.month, 11);
    cr_assert_eq(d.day, 28);
    d = nik_date_wib(1795885200);
    cr_assert_eq(d.day, 29);
    d = nik_date_wib(951782400); /* 2000-02-29 00:00 UTC */
    cr_assert_eq(d.month, 2);
    cr_assert_eq(d.day, 29);
    d = nik_date_wib(-7 * 3600 - 1); /* 1969-12-31 23:59:59 WIB */
    cr_assert_eq(d.year, 1969);
    cr_assert_eq(d.day, 31);
}
