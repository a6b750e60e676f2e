/*
 * Tests for src/util/utc.c: day numbers and dates convert both ways for every day
 * from 1600 to 2400 and at known dates, leap years by the Gregorian rule, the
 * day of a time rounds down before 1970, ISO 8601 text comes out as gmtime_r and
 * strftime would write it (checked against them over a spread of times) and is
 * read back with Z or an offset, and malformed or impossible times are refused.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "util/utc.h"

Test(utc, leap_years_and_month_lengths)
{
    cr_assert(utc_is_leap(2024));
    cr_assert(utc_is_leap(2000));
    cr_assert_not(utc_is_leap(1900));
    cr_assert_not(utc_is_leap(2023));
    cr_assert_eq(utc_days_in_month(2024, 2), 29);
    cr_assert_eq(utc_days_in_month(2100, 2), 28);
    cr_assert_eq(utc_days_in_month(2026, 4), 30);
    cr_assert_eq(utc_days_in_month(2026, 12), 31);
}

Test(utc, days_and_dates_both_ways)
{
    int64_t y;
    int m, d;

    cr_assert_eq(utc_days_from_civil(1970, 1, 1), 0);
    cr_assert_eq(utc_days_from_civil(1969, 12, 31), -1);
    cr_assert_eq(utc_days_from_civil(2000, 3, 1), 11017);
    cr_assert_eq(utc_days_from_civil(2026, 12, 1), 1796083200 / 86400);
    utc_civil_from_days(-719468, &y, &m, &d);           /* 0000-03-01, the algorithm's origin */
    cr_assert(y == 0 && m == 3 && d == 1);
    /* every day from 1600-01-01 to 2400-12-31, in order, with no gap */
    int64_t first = utc_days_from_civil(1600, 1, 1), last = utc_days_from_civil(2400, 12, 31);
    int64_t py = 1599;
    int pm = 12, pd = 31;
    for (int64_t z = first; z <= last; z++) {
        utc_civil_from_days(z, &y, &m, &d);
        cr_assert_eq(utc_days_from_civil(y, m, d), z);
        if (d > 1)
            cr_assert(y == py && m == pm && d == pd + 1);
        else if (m > 1)
            cr_assert(y == py && m == pm + 1 && pd == utc_days_in_month(py, pm));
        else
            cr_assert(y == py + 1 && pm == 12 && pd == 31);
        py = y;
        pm = m;
        pd = d;
    }
}

Test(utc, the_day_of_a_time_rounds_down)
{
    cr_assert_eq(utc_day(0), 0);
    cr_assert_eq(utc_day(86399), 0);
    cr_assert_eq(utc_day(86400), 1);
    cr_assert_eq(utc_day(-1), -1);
    cr_assert_eq(utc_day(-86400), -1);
    cr_assert_eq(utc_day(-86401), -2);
}

Test(utc, format_writes_what_strftime_writes)
{
    char out[40], want[40];
    uint64_t r = 88172645463325252ULL;

    cr_assert_eq(utc_format(0, out, 21), 0);
    cr_assert_str_eq(out, "1970-01-01T00:00:00Z");
    cr_assert_eq(utc_format(-1, out, 21), 0);
    cr_assert_str_eq(out, "1969-12-31T23:59:59Z");
    cr_assert_eq(utc_format(1796405400, out, 21), 0);
    cr_assert_str_eq(out, "2026-12-04T17:30:00Z");
    cr_assert_eq(utc_format(253402300799LL, out, 21), 0);
    cr_assert_str_eq(out, "9999-12-31T23:59:59Z");
    cr_assert_eq(utc_format(253402300800LL, out, 21), -1, "year 10000 does not fit 21 bytes");
    cr_assert_str_eq(out, "");
    cr_assert_eq(utc_format(253402300800LL, out, 32), 0);
    cr_assert_str_eq(out, "10000-01-01T00:00:00Z");
    cr_assert_eq(utc_format(INT64_MAX, out, sizeof out), -1, "past struct tm's years");
    cr_assert_eq(utc_format(INT64_MIN, out, sizeof out), -1);
    /* the same text as gmtime_r + strftime, or the same failure, for a spread of times */
    for (int i = 0; i < 200000; i++) {
        r ^= r << 13;
        r ^= r >> 7;
        r ^= r << 17;
        int64_t t = i % 2 ? (int64_t)(r % 600000000000ULL) - 300000000000LL
                          : (int64_t)(r % 4000000000ULL);
        size_t len = i % 3 ? 21 : 32;
        struct tm tm;
        time_t tt = (time_t)t;
        int ok = gmtime_r(&tt, &tm) && strftime(want, len, "%Y-%m-%dT%H:%M:%SZ", &tm) != 0;
        cr_assert_eq(utc_format(t, out, len) == 0, ok, "t=%lld", (long long)t);
        if (ok)
            cr_assert_str_eq(out, want, "t=%lld", (long long)t);
    }
}

Test(utc, parse_takes_a_zone)
{
    int64_t t = 0;

    cr_assert_eq(utc_parse("2026-12-01T07:00:00+07:00", &t), 0);
    cr_assert_eq(t, 1796083200);
    cr_assert_eq(utc_parse("2026-12-01T00:00:00Z", &t), 0);
    cr_assert_eq(t, 1796083200);
    cr_assert_eq(utc_parse("2026-11-30t21:00:00-0300", &t), 0);
    cr_assert_eq(t, 1796083200);
    cr_assert_eq(utc_parse("2026-12-01t00:00:00z", &t), 0);
    cr_assert_eq(t, 1796083200);
    cr_assert_eq(utc_parse("2024-02-29T00:00:00Z", &t), 0);
    cr_assert_eq(t, 1709164800);
    cr_assert_eq(utc_parse("1970-01-01T00:00:00Z", &t), 0);
    cr_assert_eq(t, 0);
    cr_assert_eq(utc_parse("9999-12-31T23:59:59Z", &t), 0);
    cr_assert_eq(t, 253402300799LL);
}

Test(utc, parse_refuses_what_is_not_a_time)
{
    static const char *const bad[] = {
        "2023-02-29T00:00:00Z",        /* not a leap year */
        "2026-04-31T00:00:00Z",
        "2026-13-01T00:00:00Z",
        "2026-00-01T00:00:00Z",
        "2026-12-00T00:00:00Z",
        "2026-12-01T00:00:00",         /* a zone is required */
        "2026-12-01 00:00:00Z",
        "2026-12-01T24:00:00Z",
        "2026-12-01T23:60:00Z",
        "2026-12-01T23:59:60Z",
        "2026-12-01T00:00:00.5Z",      /* no fractions */
        "2026-12-01T00:00:00+24:00",
        "2026-12-01T00:00:00+07:60",
        "2026-12-01T00:00:00+7:00",
        "2026-12-01T00:00:00+07:000",
        "2026-12-01T00:00:00Zjunk",
        "1969-12-31T23:59:59Z",        /* before 1970 */
        "26-12-01T00:00:00Z",
        "",
    };
    int64_t t = 42;

    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        cr_assert_eq(utc_parse(bad[i], &t), -1, "%s", bad[i]);
    cr_assert_eq(utc_parse(NULL, &t), -1);
    cr_assert_eq(t, 42, "*out is untouched on failure");
}

Test(utc, what_format_writes_parse_reads)
{
    char out[21];
    int64_t back;

    for (int64_t t = 0; t < 253402300800LL; t += 9876543211LL / 7) {
        cr_assert_eq(utc_format(t, out, sizeof out), 0);
        cr_assert_eq(utc_parse(out, &back), 0, "%s", out);
        cr_assert_eq(back, t, "%s", out);
    }
}
