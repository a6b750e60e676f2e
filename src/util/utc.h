/*
 * utc: Unix seconds UTC and dates of the proleptic Gregorian calendar, by plain
 * arithmetic (no time zone, no libc time function, no allocation): day numbers to
 * and from (year, month, day) with Howard Hinnant's days_from_civil and
 * civil_from_days, and the ISO 8601 text used at the program's edges, written
 * ("2026-12-05T10:00:00Z") and read (with "Z" or an offset such as "+07:00").
 * Times inside the program are int64 Unix seconds UTC; the WIB calendar day
 * (core/nik.h's nik_date_wib) is built on these functions.
 */
#ifndef PK_UTIL_UTC_H
#define PK_UTIL_UTC_H
#include <stddef.h>
#include <stdint.h>

/* 1 when y is a Gregorian leap year, else 0. */
int utc_is_leap(int64_t y);

/* Days in month m (1..12, not checked) of year y. */
int utc_days_in_month(int64_t y, int m);

/* The day number (days since 1970-01-01, negative before it) of the date y-m-d.
 * m and d are not checked: a day past the end of its month runs into the next. */
int64_t utc_days_from_civil(int64_t y, int m, int d);

/* The date of day number days: the inverse of utc_days_from_civil. */
void utc_civil_from_days(int64_t days, int64_t *y, int *m, int *d);

/* The day number of Unix time t, rounded down (-1 is on 1969-12-31). */
int64_t utc_day(int64_t t);

/* Writes t as "YYYY-MM-DDTHH:MM:SSZ" and a NUL into out (outlen bytes: 21 hold any
 * time in the years 1000..9999), with the year in as many digits as it takes, as
 * strftime's %Y writes it from gmtime_r. Returns 0, or -1 with out "" (when outlen
 * > 0) when the text does not fit or year - 1900 does not fit an int (where
 * gmtime_r fails). */
int utc_format(int64_t t, char *out, size_t outlen);

/* Parses an ISO 8601 time with its zone: YYYY-MM-DDTHH:MM:SS then Z, or an offset
 * +HH:MM or +HHMM (or -), with T and Z in either case. The year must be
 * 1970..9999, the date real, the time 00:00:00..23:59:59 and the offset at most
 * 23:59. Returns 0 with the Unix time in *out, or -1 (*out untouched). */
int utc_parse(const char *s, int64_t *out);

#endif
