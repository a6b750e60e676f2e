/*
 * catalog: the rules of a course and its sessions, as plain C (no I/O): the
 * fixed list of course categories with their names in Indonesian and English,
 * the allowed levels, purposes and modes, and the validation every writer of a
 * course applies (the partner API today; store/courses.c trusts what passed).
 *
 * Categories are data in this file, not in the database: they change only with
 * a release, and the API, the web app and the demo read the same list through
 * catalog_categories(). A course sold under any scheme must last at least the
 * smallest min_course_hours of all schemes; the caller reads that number from
 * the schemes table and passes it in.
 */
#ifndef PK_CORE_CATALOG_H
#define PK_CORE_CATALOG_H
#include <stdint.h>

#include "core/errors.h"

#define CATALOG_TITLE_MIN 3             /* bytes */
#define CATALOG_TITLE_MAX 200
#define CATALOG_DESCRIPTION_MIN 10
#define CATALOG_DESCRIPTION_MAX 5000
#define CATALOG_ADDRESS_MIN 5
#define CATALOG_ADDRESS_MAX 300
#define CATALOG_HOURS_MAX 1000
#define CATALOG_PRICE_MAX 100000000LL   /* rupiah */
#define CATALOG_CAPACITY_MAX 100000
#define CATALOG_SESSIONS_MAX 100        /* sessions of one course */
#define CATALOG_REASON_MIN 5            /* characters (code points) */
#define CATALOG_REASON_MAX 500
#define CATALOG_FIELDS 12               /* errs slots catalog_course_check may fill */

struct catalog_category {
    const char *code;                   /* "digital_tech" */
    const char *id;                     /* "Digital dan Teknologi" */
    const char *en;                     /* "Digital and Technology" */
};

/* The categories in display order; *n gets how many. */
const struct catalog_category *catalog_categories(int *n);

/* 1 when s is one of the allowed values, else 0 (NULL gives 0). */
int catalog_category_valid(const char *s);
int catalog_level_valid(const char *s);     /* basic | high_skill */
int catalog_purpose_valid(const char *s);   /* reskilling | upskilling | new_skill */
int catalog_mode_valid(const char *s);      /* self_paced | webinar | offline | hybrid */
int catalog_status_valid(const char *s);    /* draft | pending | approved | rejected | withdrawn */
/* 1 for the modes held at a place (offline, hybrid): they carry a regency and an
 * address. */
int catalog_mode_located(const char *mode);
/* 1 for the modes whose sessions start at a time (webinar, offline, hybrid). */
int catalog_mode_live(const char *mode);

/* A course as a provider sends it. NULL strings are absent; has_hours and
 * has_price say whether the numbers were given. */
struct catalog_course_in {
    const char *title, *description, *category, *level, *purpose, *mode;
    const char *regency_code, *address;
    int has_hours, has_price;
    long long hours, price;
};

/* Checks in: every field present and in range, hours at least min_hours
 * (course.too_short), a regency and an address for offline and hybrid courses
 * and none for the others. regency_exists(ctx, "35.09") says whether a regency
 * code names a real regency (called only for a well-formed code). Writes up to
 * max field errors (CATALOG_FIELDS is enough for all) and returns how many. */
int catalog_course_check(const struct catalog_course_in *in, int min_hours,
                         int (*regency_exists)(void *ctx, const char *code), void *ctx,
                         struct field_error *errs, int max);

/* Checks a new session of a course of that mode at time now: live modes need
 * has_starts_at with starts_at later than now, self-paced ones must not have it;
 * capacity 1..CATALOG_CAPACITY_MAX. Same error reporting. */
int catalog_session_check(const char *mode, int has_starts_at, int64_t starts_at,
                          long long capacity, int64_t now, struct field_error *errs, int max);

/* Checks an admin's rejection reason: CATALOG_REASON_MIN..MAX characters of
 * valid UTF-8, not only spaces. 1 ok, 0 not. */
int catalog_reason_valid(const char *reason);

/* 1 when code has the shape of a regency code, "DD.DD" (e.g. "35.09"). */
int catalog_regency_shape(const char *code);

#endif
