/*
 * nik: parsing and checking of NIK and KK numbers (see nik.h for their structure).
 *
 * The input is read at most 17 bytes deep, so an unterminated or huge string costs
 * nothing. Checks run in the documented order and stop at the first failure, so each
 * bad number gets exactly one stable code. Dates are compared as (year, month, day)
 * triples; no time zone or libc time function is involved.
 */
#include "core/nik.h"

#include <string.h>

#include "util/utc.h"

#define NIK_LEN 16

static int all_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

static int two_digits(const char *s)
{
    return (s[0] - '0') * 10 + (s[1] - '0');
}

int nik_date_valid(struct nik_date d)
{
    if (d.year < 1 || d.year > 9999 || d.month < 1 || d.month > 12 || d.day < 1)
        return 0;
    return d.day <= utc_days_in_month(d.year, d.month);
}

int nik_date_cmp(struct nik_date a, struct nik_date b)
{
    if (a.year != b.year)
        return a.year < b.year ? -1 : 1;
    if (a.month != b.month)
        return a.month < b.month ? -1 : 1;
    if (a.day != b.day)
        return a.day < b.day ? -1 : 1;
    return 0;
}

int nik_age_on(struct nik_date birth, struct nik_date on)
{
    int age = on.year - birth.year;
    if (on.month < birth.month || (on.month == birth.month && on.day < birth.day))
        age--;
    return age;
}

/* Common to NIK and KK: length, digits, region. Returns 0, or 1/2/3 for the failure. */
static int check_head(const char *s, nik_region_fn exists, void *ctx, char district[7])
{
    if (s == NULL || strnlen(s, NIK_LEN + 1) != NIK_LEN)
        return 1;
    if (!all_digits(s, NIK_LEN))
        return 2;
    memcpy(district, s, 6);
    district[6] = '\0';
    if (exists != NULL && !exists(ctx, district))
        return 3;
    return 0;
}

/* Resolves DDMMYY (DD already without the 40 for women) against today; 0 or -1. */
static int resolve_birth(int dd, int mm, int yy, struct nik_date today, struct nik_date *out)
{
    struct nik_date d = {2000 + yy, mm, dd};
    if (nik_date_cmp(d, today) > 0)
        d.year = 1900 + yy;
    if (!nik_date_valid(d) || nik_date_cmp(d, today) > 0)
        return -1;
    *out = d;
    return 0;
}

const char *nik_parse(const char *nik, struct nik_date today, nik_region_fn exists, void *ctx,
                      struct nik_info *out)
{
    struct nik_info info;
    memset(&info, 0, sizeof info);

    switch (check_head(nik, exists, ctx, info.district)) {
    case 1: return "nik.length";
    case 2: return "nik.not_digits";
    case 3: return "nik.unknown_region";
    default: break;
    }

    int dd = two_digits(nik + 6);
    info.sex = 'M';
    if (dd > 40) {
        dd -= 40;
        info.sex = 'F';
    }
    if (dd < 1 || dd > 31 ||
        resolve_birth(dd, two_digits(nik + 8), two_digits(nik + 10), today, &info.birth) < 0)
        return "nik.bad_birth_date";

    info.serial = two_digits(nik + 12) * 100 + two_digits(nik + 14);
    if (info.serial == 0)
        return "nik.serial_zero";

    if (out != NULL)
        *out = info;
    return NULL;
}

const char *kk_parse(const char *kk, nik_region_fn exists, void *ctx, char district_out[7])
{
    char district[7] = "";

    switch (check_head(kk, exists, ctx, district)) {
    case 1: return "kk.length";
    case 2: return "kk.not_digits";
    case 3: return "kk.unknown_region";
    default: break;
    }
    if (memcmp(kk + 12, "0000", 4) == 0)
        return "kk.serial_zero";
    if (district_out != NULL)
        memcpy(district_out, district, 7);
    return NULL;
}

void nik_mask(const char *nik, char out[17])
{
    memset(out, '*', NIK_LEN);
    out[NIK_LEN] = '\0';
    if (nik == NULL || !nik_shape_ok(nik, strnlen(nik, NIK_LEN + 1)))
        return;
    memcpy(out, nik, 4);
    memcpy(out + 12, nik + 12, 4);
}

int nik_shape_ok(const char *s, size_t len)
{
    return len == NIK_LEN && all_digits(s, NIK_LEN);
}

struct nik_date nik_date_wib(int64_t t)
{
    struct nik_date d;
    int64_t year;

    utc_civil_from_days(utc_day(t + 7 * 3600), &year, &d.month, &d.day);
    d.year = (int)year;
    return d;
}
