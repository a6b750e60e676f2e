/*
 * utc: see utc.h. Day numbers and dates convert through 400-year eras of 146097
 * days (Howard Hinnant, "chrono-Compatible Low-Level Date Algorithms"), so every
 * day number in range converts exactly, before 1970 as well as after, with no
 * loop and no table but the month lengths.
 */
#include "util/utc.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

int utc_is_leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int utc_days_in_month(int64_t y, int m)
{
    static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && utc_is_leap(y) ? 29 : dim[m - 1];
}

int64_t utc_days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void utc_civil_from_days(int64_t days, int64_t *y, int *m, int *d)
{
    int64_t z = days + 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;

    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

int64_t utc_day(int64_t t)
{
    int64_t z = t / 86400;
    if (t % 86400 < 0)
        z--;
    return z;
}

int utc_format(int64_t t, char *out, size_t outlen)
{
    int64_t y, secs = t % 86400;
    int m, d, n;

    if (secs < 0)
        secs += 86400;
    utc_civil_from_days(utc_day(t), &y, &m, &d);
    if (y - 1900 < INT_MIN || y - 1900 > INT_MAX)
        goto fail;
    n = snprintf(out, outlen, "%lld-%02d-%02dT%02d:%02d:%02dZ", (long long)y, m, d,
                 (int)(secs / 3600), (int)(secs / 60 % 60), (int)(secs % 60));
    if (n < 0 || (size_t)n >= outlen)
        goto fail;
    return 0;
fail:
    if (outlen > 0)
        out[0] = '\0';
    return -1;
}

/* The n decimal digits at s into *out; -1 when one is not a digit. */
static int digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

int utc_parse(const char *s, int64_t *out)
{
    int y, mo, d, h, mi, se, oh = 0, om = 0, sign = 0;
    size_t n = s ? strlen(s) : 0;
    const char *z;

    if (n < 20 || digits(s, 4, &y) || s[4] != '-' || digits(s + 5, 2, &mo) || s[7] != '-' ||
        digits(s + 8, 2, &d) || (s[10] != 'T' && s[10] != 't') || digits(s + 11, 2, &h) ||
        s[13] != ':' || digits(s + 14, 2, &mi) || s[16] != ':' || digits(s + 17, 2, &se))
        return -1;
    z = s + 19;
    if ((z[0] == 'Z' || z[0] == 'z') && z[1] == '\0') {
        sign = 0;
    } else if ((z[0] == '+' || z[0] == '-') &&
               ((strlen(z) == 6 && z[3] == ':' && !digits(z + 1, 2, &oh) &&
                 !digits(z + 4, 2, &om)) ||
                (strlen(z) == 5 && !digits(z + 1, 2, &oh) && !digits(z + 3, 2, &om)))) {
        sign = z[0] == '+' ? 1 : -1;
        if (oh > 23 || om > 59)
            return -1;
    } else {
        return -1;
    }
    if (y < 1970 || y > 9999 || mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || se > 59)
        return -1;
    if (d > utc_days_in_month(y, mo))
        return -1;
    *out = utc_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se -
           sign * (oh * 3600 + om * 60);
    return 0;
}
