/*
 * quota_test: wave quotas (src/core/quota.c). Proportional quotas follow the
 * applicants by the largest-remainder method, sum to exactly the total on random
 * inputs, give remainder ties to the lower regency code, raise small regencies
 * to the floor (again when raising one pushes another below it), give 0 where
 * nobody applied, do not depend on the order of the input, and refuse a floor
 * that cannot be met. The quota CSV reader takes a header, CRLF and blank lines,
 * and names the line of each kind of mistake.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/quota.h"

static uint64_t sum(const uint64_t *q, size_t n)
{
    uint64_t s = 0;
    for (size_t i = 0; i < n; i++)
        s += q[i];
    return s;
}

Test(quota, proportional_exact_shares)
{
    int c[] = {3509, 3510, 3511};
    uint64_t a[] = {600, 300, 100}, q[3];
    cr_assert_eq(quota_proportional(c, a, 3, 10, 0, q), QUOTA_OK);
    cr_assert_eq(q[0], 6);
    cr_assert_eq(q[1], 3);
    cr_assert_eq(q[2], 1);
}

Test(quota, largest_remainder_and_ties_by_code)
{
    /* 7 seats over 1:1:1 -> 2 each and one left; the three remainders tie and
       the lowest code takes it, wherever it is in the input. */
    int c[] = {3511, 3302, 3509};
    uint64_t a[] = {5, 5, 5}, q[3];
    cr_assert_eq(quota_proportional(c, a, 3, 7, 0, q), QUOTA_OK);
    cr_assert_eq(q[0], 2);
    cr_assert_eq(q[1], 3);
    cr_assert_eq(q[2], 2);
    /* 10 seats over 47:33:20 -> 4.7, 3.3, 2.0: base 4+3+2 = 9, the one left goes
       to the largest remainder (0.7), not the largest regency by chance. */
    int c2[] = {1101, 1102, 1103};
    uint64_t a2[] = {47, 33, 20};
    cr_assert_eq(quota_proportional(c2, a2, 3, 10, 0, q), QUOTA_OK);
    cr_assert_eq(q[0], 5);
    cr_assert_eq(q[1], 3);
    cr_assert_eq(q[2], 2);
}

Test(quota, floor_raises_small_regencies_again_and_again)
{
    /* 20 seats, floor 3. Shares 16.0, 2.4, 1.6: both small ones go to 3, 14 left
       for the big one. */
    int c[] = {1, 2, 3, 4};
    uint64_t a[] = {1000, 150, 100, 0}, q[4];
    cr_assert_eq(quota_proportional(c, a, 4, 20, 3, q), QUOTA_OK);
    cr_assert_eq(q[0], 14);
    cr_assert_eq(q[1], 3);
    cr_assert_eq(q[2], 3);
    cr_assert_eq(q[3], 0, "no applicants, no seats");
    /* 12 seats, floor 3, applicants 100:30:26: first pass 7.69, 2.31, 2.0 fixes
       the last two; the first needs no fixing. With 9:6:1 and floor 4 over 16
       seats: 9, 6, 1 -> the last fixed at 4 leaves 12 for 9:6 = 7.2, 4.8: fine.
       With 10:4:2, floor 4, 14 seats: 8.75, 3.5, 1.75 -> both fixed at 4 -> 6. */
    uint64_t b[] = {10, 4, 2, 0};
    cr_assert_eq(quota_proportional(c, b, 4, 14, 4, q), QUOTA_OK);
    cr_assert_eq(q[0], 6);
    cr_assert_eq(q[1], 4);
    cr_assert_eq(q[2], 4);
    /* Raising one pushes another under: 20 seats, floor 5, 60:25:15.
       Pass 1: 12, 5, 3 -> the third fixed at 5; 15 left for 60:25 -> 10.6, 4.4:
       pass 2 fixes the second at 5; the first gets 10. */
    uint64_t d[] = {60, 25, 15, 0};
    cr_assert_eq(quota_proportional(c, d, 4, 20, 5, q), QUOTA_OK);
    cr_assert_eq(q[0], 10);
    cr_assert_eq(q[1], 5);
    cr_assert_eq(q[2], 5);
}

Test(quota, errors)
{
    int c[] = {1, 2, 3};
    uint64_t a[] = {10, 10, 0}, q[3] = {9, 9, 9};
    cr_assert_eq(quota_proportional(c, a, 3, 5, 3, q), QUOTA_EFLOOR);  /* 2 x 3 > 5 */
    cr_assert_eq(quota_proportional(c, a, 3, 6, 3, q), QUOTA_OK);      /* exactly */
    cr_assert_eq(q[0] + q[1], 6);
    uint64_t none[] = {0, 0, 0};
    cr_assert_eq(quota_proportional(c, none, 3, 5, 0, q), QUOTA_ENONE);
    cr_assert_eq(sum(q, 3), 0);
    cr_assert_eq(quota_proportional(c, none, 3, 0, 0, q), QUOTA_OK);
    int dup[] = {1, 2, 1};
    cr_assert_eq(quota_proportional(dup, a, 3, 5, 0, q), QUOTA_EINVAL);
    cr_assert_eq(quota_proportional(c, a, 3, QUOTA_TOTAL_MAX + 1, 0, q), QUOTA_EINVAL);
    uint64_t huge[] = {QUOTA_APPLICANTS_MAX, 1, 0};
    cr_assert_eq(quota_proportional(c, huge, 3, 5, 0, q), QUOTA_EINVAL);
    cr_assert_eq(quota_proportional(NULL, NULL, 0, 0, 0, NULL), QUOTA_OK);
}

static uint64_t rnd_state = 12345;
static uint64_t rnd(void)
{
    rnd_state ^= rnd_state << 13;
    rnd_state ^= rnd_state >> 7;
    rnd_state ^= rnd_state << 17;
    return rnd_state;
}

Test(quota, random_inputs_sum_to_total_and_ignore_order)
{
    enum { N = 514 };
    static int c[N], c2[N];
    static uint64_t a[N], a2[N], q[N], q2[N];
    for (int round = 0; round < 200; round++) {
        size_t n = 1 + rnd() % N, k = 0;
        for (size_t i = 0; i < n; i++) {
            c[i] = (int)(1100 + i * 7);
            a[i] = rnd() % 4 == 0 ? 0 : rnd() % (round % 2 ? 100000 : 50);
            k += a[i] > 0;
        }
        if (k == 0)
            a[0] = k = 1;
        uint64_t total = rnd() % 200000, floor = rnd() % 5;
        if (floor * k > total)
            floor = 0;
        cr_assert_eq(quota_proportional(c, a, n, total, floor, q), QUOTA_OK);
        cr_assert_eq(sum(q, n), total, "round %d", round);
        for (size_t i = 0; i < n; i++) {
            if (a[i] == 0)
                cr_assert_eq(q[i], 0);
            else
                cr_assert_geq(q[i], floor);
        }
        /* reversed input, same seats per code */
        for (size_t i = 0; i < n; i++) {
            c2[i] = c[n - 1 - i];
            a2[i] = a[n - 1 - i];
        }
        cr_assert_eq(quota_proportional(c2, a2, n, total, floor, q2), QUOTA_OK);
        for (size_t i = 0; i < n; i++)
            cr_assert_eq(q2[i], q[n - 1 - i], "round %d code %d", round, c[n - 1 - i]);
    }
}

/* Exists: every code but 99.99. */
static int exists(void *ctx, int code)
{
    (void)ctx;
    return code != 9999;
}

static int parse(const char *text, uint64_t total, struct quota_row *rows, size_t *n, long *line,
                 const char **why)
{
    return quota_csv_parse(text, strlen(text), exists, NULL, total, rows, 10, n, line, why);
}

Test(quota, csv_good)
{
    struct quota_row r[10];
    size_t n;
    long line;
    const char *why;
    cr_assert_eq(parse("regency_code,quota\r\n35.09,120\r\n\r\n 32.01 , 30 \n11.01,0", 150, r,
                       &n, &line, &why), QUOTA_OK);
    cr_assert_eq(n, 3);
    cr_assert_eq(r[0].regency, 3509);
    cr_assert_eq(r[0].quota, 120);
    cr_assert_eq(r[1].regency, 3201);
    cr_assert_eq(r[1].quota, 30);
    cr_assert_eq(r[2].regency, 1101);
    cr_assert_eq(r[2].quota, 0);
    cr_assert_eq(parse("35.09,7\n", 7, r, &n, &line, &why), QUOTA_OK, "no header");
    cr_assert_eq(parse("", 0, r, &n, &line, &why), QUOTA_OK);
    cr_assert_eq(n, 0);
}

Test(quota, csv_mistakes_name_their_line)
{
    struct quota_row r[10];
    size_t n;
    long line;
    const char *why;
    cr_assert_eq(parse("35.09,1\n35.10\n", 1, r, &n, &line, &why), QUOTA_ELINE);
    cr_assert_eq(line, 2);
    cr_assert_eq(parse("35.09,1\n3510,1\n", 2, r, &n, &line, &why), QUOTA_ELINE);
    cr_assert_eq(line, 2);
    cr_assert_eq(parse("35.09,-1\n", 1, r, &n, &line, &why), QUOTA_ELINE);
    cr_assert_eq(parse("35.09,1,2\n", 1, r, &n, &line, &why), QUOTA_ELINE);
    cr_assert_eq(parse("35.09,x\n", 1, r, &n, &line, &why), QUOTA_ELINE);
    cr_assert_eq(parse("35.09,99999999999\n", 1, r, &n, &line, &why), QUOTA_ELINE);
    cr_assert_eq(parse("a,b\n35.09,1\n", 1, r, &n, &line, &why), QUOTA_ELINE, "not a header");
    cr_assert_eq(line, 1);
    cr_assert_eq(parse("35.09,1\nregency_code,quota\n", 1, r, &n, &line, &why), QUOTA_ELINE,
                 "a header only on line 1");
    cr_assert_eq(parse("35.09,1\n\n99.99,1\n", 2, r, &n, &line, &why), QUOTA_EUNKNOWN);
    cr_assert_eq(line, 3);
    cr_assert_eq(parse("35.09,1\n35.09,1\n", 2, r, &n, &line, &why), QUOTA_EDUP);
    cr_assert_eq(line, 2);
    cr_assert_eq(parse("35.09,1\n35.10,1\n", 3, r, &n, &line, &why), QUOTA_ESUM);
    cr_assert_eq(line, 0);
    cr_assert_not_null(why);
    char many[400] = "";
    for (int i = 0; i < 11; i++)
        sprintf(many + strlen(many), "35.%02d,1\n", i + 1);
    cr_assert_eq(parse(many, 11, r, &n, &line, &why), QUOTA_EINVAL, "more rows than room");
    cr_assert_eq(quota_csv_parse("35.09,1\0", 8, NULL, NULL, 1, r, 10, &n, &line, &why),
                 QUOTA_ELINE, "NUL byte");
    cr_assert_eq(quota_regency_code("35.09", 5), 3509);
    cr_assert_eq(quota_regency_code("35-09", 5), -1);
}
