/*
 * quota: see quota.h for the definition. Proportional shares are kept exact as
 * integer fractions (T' * a_r over A'): the bounds in quota.h keep every
 * product below 2^63, so no floating point decides a seat. The fixing loop runs
 * at most once per regency; the remainder ranking is one qsort of the free
 * regencies. The CSV reader walks the text once, line by line, and remembers the
 * codes seen in a 10,000-bit table (codes are DDdd, below 10,000).
 */
#include "core/quota.h"

#include <stdlib.h>
#include <string.h>

struct rank {
    uint64_t rem;
    int code;
    size_t idx;
};

static int rank_cmp(const void *a, const void *b)
{
    const struct rank *x = a, *y = b;
    if (x->rem != y->rem)
        return x->rem > y->rem ? -1 : 1;
    return (x->code > y->code) - (x->code < y->code);
}

static int code_cmp(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

/* 1 when some code appears twice among the n codes. */
static int has_duplicate(const int *codes, size_t n, int *err)
{
    int *c = malloc((n ? n : 1) * sizeof *c);
    int dup = 0;
    if (!c) {
        *err = QUOTA_ENOMEM;
        return 1;
    }
    memcpy(c, codes, n * sizeof *c);
    qsort(c, n, sizeof *c, code_cmp);
    for (size_t i = 1; i < n; i++)
        if (c[i] == c[i - 1])
            dup = 1;
    free(c);
    *err = QUOTA_EINVAL;
    return dup;
}

int quota_proportional(const int *codes, const uint64_t *applicants, size_t n, uint64_t total,
                       uint64_t floor, uint64_t *out)
{
    uint64_t sum = 0, k = 0;
    unsigned char *fixed = NULL;
    struct rank *rk = NULL;
    int err;

    if ((n && (!codes || !applicants || !out)) || total > QUOTA_TOTAL_MAX)
        return QUOTA_EINVAL;
    for (size_t i = 0; i < n; i++) {
        out[i] = 0;
        if (applicants[i] > QUOTA_APPLICANTS_MAX || (sum += applicants[i]) > QUOTA_APPLICANTS_MAX)
            return QUOTA_EINVAL;
        k += applicants[i] > 0;
    }
    if (n && has_duplicate(codes, n, &err))
        return err;
    if (k == 0)
        return total > 0 ? QUOTA_ENONE : QUOTA_OK;
    if (floor > total || floor * k > total)
        return QUOTA_EFLOOR;
    fixed = calloc(n, 1);
    rk = malloc(n * sizeof *rk);
    if (!fixed || !rk) {
        free(fixed);
        free(rk);
        return QUOTA_ENOMEM;
    }
    uint64_t nfixed = 0, rest, asum;
    for (;;) {
        int changed = 0;
        rest = total - floor * nfixed;
        asum = 0;
        for (size_t i = 0; i < n; i++)
            if (applicants[i] && !fixed[i])
                asum += applicants[i];
        if (asum == 0)
            break;
        for (size_t i = 0; i < n; i++)
            if (applicants[i] && !fixed[i] && rest * applicants[i] < floor * asum) {
                fixed[i] = 1;
                nfixed++;
                changed = 1;
            }
        if (!changed)
            break;
    }
    /* Not every regency can end fixed: that would need rest < floor x the free
       ones at the last step, i.e. total < floor * k, refused above. So asum > 0. */
    size_t nr = 0;
    uint64_t given = 0;
    for (size_t i = 0; i < n; i++) {
        if (!applicants[i])
            continue;
        if (fixed[i]) {
            out[i] = floor;
            continue;
        }
        out[i] = rest * applicants[i] / asum;
        given += out[i];
        rk[nr++] = (struct rank){rest * applicants[i] % asum, codes[i], i};
    }
    qsort(rk, nr, sizeof *rk, rank_cmp);
    for (size_t j = 0; given < rest && j < nr; j++, given++)
        out[rk[j].idx]++;
    free(fixed);
    free(rk);
    return QUOTA_OK;
}

int quota_regency_code(const char *s, size_t len)
{
    if (len != 5 || s[2] != '.')
        return -1;
    for (int i = 0; i < 5; i++)
        if (i != 2 && (s[i] < '0' || s[i] > '9'))
            return -1;
    return (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[3] - '0') * 10 + (s[4] - '0');
}

static void trim(const char **s, size_t *len)
{
    while (*len && (**s == ' ' || **s == '\t')) {
        (*s)++;
        (*len)--;
    }
    while (*len && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t'))
        (*len)--;
}

/* A decimal 0..QUOTA_TOTAL_MAX; -1 otherwise. */
static int parse_seats(const char *s, size_t len, uint64_t *out)
{
    uint64_t v = 0;
    if (len == 0 || len > 10)
        return -1;
    for (size_t i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (uint64_t)(s[i] - '0');
    }
    if (v > QUOTA_TOTAL_MAX)
        return -1;
    *out = v;
    return 0;
}

#define FAIL(st, msg)                                                                        \
    do {                                                                                     \
        *why = (msg);                                                                        \
        return (st);                                                                         \
    } while (0)

int quota_csv_parse(const char *text, size_t len, quota_regency_exists_fn exists, void *ctx,
                    uint64_t total, struct quota_row *rows, size_t max, size_t *n, long *line,
                    const char **why)
{
    unsigned char seen[10000 / 8];
    uint64_t sum = 0;
    size_t pos = 0;

    *n = 0;
    *line = 0;
    *why = NULL;
    if (len > QUOTA_CSV_MAX)
        FAIL(QUOTA_EINVAL, "the quota CSV is too long");
    memset(seen, 0, sizeof seen);
    while (pos < len) {
        const char *l = text + pos, *nl = memchr(l, '\n', len - pos);
        size_t ll = nl ? (size_t)(nl - l) : len - pos;
        pos += ll + (nl ? 1 : 0);
        ++*line;
        if (ll && l[ll - 1] == '\r')
            ll--;
        trim(&l, &ll);
        if (ll == 0)
            continue;
        if (memchr(l, '\0', ll))
            FAIL(QUOTA_ELINE, "a NUL byte");
        const char *comma = memchr(l, ',', ll);
        if (!comma)
            FAIL(QUOTA_ELINE, "a line must be regency_code,quota");
        const char *f1 = l, *f2 = comma + 1;
        size_t l1 = (size_t)(comma - l), l2 = ll - l1 - 1;
        trim(&f1, &l1);
        trim(&f2, &l2);
        if (*line == 1 && l1 == 12 && memcmp(f1, "regency_code", 12) == 0 && l2 == 5 &&
            memcmp(f2, "quota", 5) == 0)
            continue;
        if (memchr(f2, ',', l2))
            FAIL(QUOTA_ELINE, "a line must be regency_code,quota");
        int code = quota_regency_code(f1, l1);
        uint64_t q;
        if (code < 0)
            FAIL(QUOTA_ELINE, "a regency code is DD.DD, like 35.09");
        if (parse_seats(f2, l2, &q) < 0)
            FAIL(QUOTA_ELINE, "a quota is a whole number of seats, 0 to 100000000");
        if (exists && !exists(ctx, code))
            FAIL(QUOTA_EUNKNOWN, "no regency has this code");
        if (seen[code / 8] & (1u << (code % 8)))
            FAIL(QUOTA_EDUP, "this regency is given twice");
        seen[code / 8] |= (unsigned char)(1u << (code % 8));
        if (*n >= max)
            FAIL(QUOTA_EINVAL, "too many lines");
        rows[*n].regency = code;
        rows[*n].quota = q;
        ++*n;
        sum += q;
        if (sum > QUOTA_TOTAL_MAX)
            FAIL(QUOTA_ESUM, "the quotas add up to more than 100000000");
    }
    if (sum != total) {
        *line = 0;
        FAIL(QUOTA_ESUM, "the quotas do not add up to the total quota");
    }
    return QUOTA_OK;
}
