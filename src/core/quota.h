/*
 * quota: the seats of a wave per regency, in pure C (libc only, no I/O).
 *
 * Two ways to get them, as the wave's quota_mode says:
 *   csv           the program office gives every regency's seats as a text of
 *                 "regency_code,quota" lines; quota_csv_parse checks it (known
 *                 codes, no duplicates, the seats sum to the wave's total).
 *   proportional  quota_proportional derives them at the draw from the eligible
 *                 applicants per regency, every regency with applicants getting
 *                 at least `floor` seats, by the largest-remainder method.
 *
 * Proportional, exactly (this is what an auditor recomputes): let R be the
 * regencies with at least one applicant, a_r their applicants, T the total and
 * F the floor. Start with every r of R "free". Repeat: T' = T - F * |fixed|,
 * A' = sum of a_r over the free regencies; every free r whose exact share
 * T' * a_r / A' is below F becomes fixed at F; until no free regency changes.
 * Each free r then gets floor(T' * a_r / A') and the T' - sum of those seats
 * left over go one each to the free regencies with the largest remainders
 * (T' * a_r mod A'), ties broken by the lower regency code. Regencies without
 * applicants get 0. The result is a function of the (code, applicants) pairs
 * only, never of their order, and sums to exactly T.
 */
#ifndef PK_CORE_QUOTA_H
#define PK_CORE_QUOTA_H
#include <stddef.h>
#include <stdint.h>

#define QUOTA_TOTAL_MAX 100000000ULL   /* seats in one wave */
#define QUOTA_APPLICANTS_MAX 4000000000ULL /* applicants in one wave, all regencies */
#define QUOTA_CSV_MAX (1u << 20)       /* bytes of a quota CSV */

enum quota_status {
    QUOTA_OK = 0,
    QUOTA_EFLOOR = -1,       /* floor x regencies with applicants > total */
    QUOTA_ENONE = -2,        /* total > 0 but no regency has an applicant */
    QUOTA_EINVAL = -3,       /* total or applicants beyond the bounds above, a
                                regency code repeated, n == 0 with codes NULL */
    QUOTA_ENOMEM = -4,
    QUOTA_ELINE = -5,        /* csv: a malformed line */
    QUOTA_EUNKNOWN = -6,     /* csv: a regency code that does not exist */
    QUOTA_EDUP = -7,         /* csv: a regency given twice */
    QUOTA_ESUM = -8,         /* csv: the quotas do not sum to the total */
};

/* Regency code as an integer: "35.09" -> 3509. */
typedef int (*quota_regency_exists_fn)(void *ctx, int code);

/* Fills out[i] with the seats of the regency codes[i] that has applicants[i]
 * eligible applicants (i < n), as described above. codes are regency codes as
 * integers (3509), each at most once. Returns QUOTA_OK, or QUOTA_EFLOOR,
 * QUOTA_ENONE (out is then all zero), QUOTA_EINVAL, QUOTA_ENOMEM. */
int quota_proportional(const int *codes, const uint64_t *applicants, size_t n, uint64_t total,
                       uint64_t floor, uint64_t *out);

struct quota_row {
    int regency;             /* 3509 */
    uint64_t quota;
};

/* Parses a quota CSV: lines "regency_code,quota" ("35.09,120"), "\n" or "\r\n"
 * ends, an optional first header line "regency_code,quota", blank lines and a
 * missing final newline tolerated, spaces around fields tolerated. Every code
 * must exist (exists may be NULL: then any well-formed code does), appear once,
 * and the quotas must sum to total. Rows go to rows[0..*n) (at most max; more is
 * QUOTA_EINVAL). On failure *line (1-based; 0 for the sum) and *why (a static
 * English reason) say what was wrong. */
int quota_csv_parse(const char *text, size_t len, quota_regency_exists_fn exists, void *ctx,
                    uint64_t total, struct quota_row *rows, size_t max, size_t *n, long *line,
                    const char **why);

/* "35.09" -> 3509; -1 unless exactly two digits, a dot, two digits. */
int quota_regency_code(const char *s, size_t len);

#endif
