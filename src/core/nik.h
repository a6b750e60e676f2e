/*
 * nik: the Indonesian national identity number (NIK) and family card number (KK).
 *
 * Both are 16 digits. Digits 1-6 are the Kemendagri district code of the place of
 * registration (province, regency, district: "350915" is 35.09.15). In a NIK digits
 * 7-12 are the birth date DDMMYY with 40 added to DD for women, and digits 13-16 a
 * serial that is never 0000. The century is not written down: we take 2000+YY unless
 * that date lies after today, else 1900+YY, so ages come out between 0 and about 100.
 * Whether a district exists is the caller's knowledge, asked through a callback, so
 * this file stays free of I/O. Everything here is pure and allocation-free.
 */
#ifndef PK_CORE_NIK_H
#define PK_CORE_NIK_H
#include <stddef.h>
#include <stdint.h>

struct nik_date { int year, month, day; };

/* 1 if the six-digit district code (e.g. "350915", NUL-terminated) exists, else 0. */
typedef int (*nik_region_fn)(void *ctx, const char code6[7]);

struct nik_info {
    char district[7];          /* "350915" */
    struct nik_date birth;     /* with the century resolved */
    char sex;                  /* 'F' | 'M' */
    int serial;                /* 1..9999 */
};

/* Parses and checks a NIK. Returns NULL when it is valid and fills out; else the stable
   error code of the first failed check, in this order: nik.length, nik.not_digits,
   nik.unknown_region, nik.bad_birth_date, nik.serial_zero (out is then unspecified).
   A NULL nik is nik.length. A NULL exists callback skips the region check. */
const char *nik_parse(const char *nik, struct nik_date today, nik_region_fn exists, void *ctx,
                      struct nik_info *out);

/* Parses and checks a KK. Returns NULL and copies its district into district_out when
   valid, else kk.length, kk.not_digits, kk.unknown_region or kk.serial_zero (digits
   13-16 are 0000). A NULL exists callback skips the region check. */
const char *kk_parse(const char *kk, nik_region_fn exists, void *ctx, char district_out[7]);

/* Writes the display form "3509********0001" into out (always 16 chars + NUL). Input that
   is not 16 digits gives sixteen '*', so nothing of a malformed value leaks. */
void nik_mask(const char *nik, char out[17]);

/* 1 if the len bytes at s are exactly 16 ASCII digits, the shape of a NIK or KK
   (without nik_parse's region, date and serial checks), else 0. */
int nik_shape_ok(const char *s, size_t len);

/* 1 if d is a real Gregorian calendar date in years 1..9999, else 0. */
int nik_date_valid(struct nik_date d);

/* -1, 0 or 1 as a is before, the same day as, or after b. */
int nik_date_cmp(struct nik_date a, struct nik_date b);

/* Age in whole years on the day on; someone born on 29 February becomes a year older on
   1 March in common years. Negative when on is before birth. */
int nik_age_on(struct nik_date birth, struct nik_date on);

/* The calendar date in Jakarta (WIB, UTC+7) at Unix time t: "today" for age and
 * birth-date checks is the participant's day, not UTC's. */
struct nik_date nik_date_wib(int64_t t);

#endif
