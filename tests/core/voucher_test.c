/*
 * voucher_test: voucher and redeem codes (src/core/voucher.c): made codes have
 * the grouped shape over the unambiguous alphabet and pass their own check; every
 * single-character error, every swap of two different characters (neighbours or
 * not) and every two-character error of a code is caught; a voucher code is not a
 * redeem code; input is normalised (case, spaces, hyphens) and anything else is
 * refused; random bytes map evenly onto the alphabet and too few usable bytes are
 * reported; a hundred thousand codes from random bytes are all distinct.
 */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/voucher.h"

static uint64_t mix(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static void fill(uint64_t *s, unsigned char r[VOUCHER_RANDOM_BYTES])
{
    for (int i = 0; i < VOUCHER_RANDOM_BYTES; i++)
        r[i] = (unsigned char)(mix(s) >> 56);
}

static void make(uint64_t *s, int kind, char out[VOUCHER_LEN + 1])
{
    unsigned char r[VOUCHER_RANDOM_BYTES];
    int rc;
    do {
        fill(s, r);
    } while ((rc = voucher_make(kind, r, out)) == VOUCHER_ERANDOM);
    cr_assert_eq(rc, VOUCHER_OK);
}

/* Index in the 16 code characters -> index in the grouped string. */
static int at(int i)
{
    return i + i / 4;
}

Test(voucher, shape_alphabet_and_own_check)
{
    uint64_t s = 1;
    char code[VOUCHER_LEN + 1], again[VOUCHER_LEN + 1];

    cr_assert_eq(strlen(VOUCHER_ALPHABET), 31);
    {
        double space = 1;
        for (int i = 0; i < VOUCHER_RANDOM_CHARS; i++)
            space *= 31;
        cr_assert_geq(space, 1152921504606846976.0, "at least 2^60 codes");
    }
    for (int n = 0; n < 1000; n++) {
        make(&s, n % 2 ? VOUCHER_KIND_VOUCHER : VOUCHER_KIND_REDEEM, code);
        cr_assert_eq(strlen(code), VOUCHER_LEN);
        for (int i = 0; i < VOUCHER_LEN; i++) {
            if (i % 5 == 4) {
                cr_assert_eq(code[i], '-', "%s", code);
                continue;
            }
            cr_assert_not_null(strchr(VOUCHER_ALPHABET, code[i]), "%s", code);
            cr_assert_eq(strchr("0O1I", code[i]), NULL, "%s", code);
        }
        cr_assert_eq(voucher_check(n % 2 ? VOUCHER_KIND_VOUCHER : VOUCHER_KIND_REDEEM, code,
                                   again), VOUCHER_OK, "%s", code);
        cr_assert_str_eq(again, code);
    }
}

Test(voucher, every_single_character_error_is_caught)
{
    uint64_t s = 7;
    char good[VOUCHER_LEN + 1], bad[VOUCHER_LEN + 1];

    for (int n = 0; n < 50; n++) {
        make(&s, VOUCHER_KIND_VOUCHER, good);
        for (int i = 0; i < VOUCHER_CHARS; i++)
            for (const char *c = VOUCHER_ALPHABET; *c; c++) {
                if (*c == good[at(i)])
                    continue;
                memcpy(bad, good, sizeof bad);
                bad[at(i)] = *c;
                cr_assert_eq(voucher_check(VOUCHER_KIND_VOUCHER, bad, NULL), VOUCHER_ECHECK,
                             "%s passes for %s", bad, good);
            }
    }
}

Test(voucher, every_swap_of_two_different_characters_is_caught)
{
    uint64_t s = 11;
    char good[VOUCHER_LEN + 1], bad[VOUCHER_LEN + 1];
    int neighbours = 0;

    for (int n = 0; n < 200; n++) {
        make(&s, VOUCHER_KIND_REDEEM, good);
        for (int i = 0; i < VOUCHER_CHARS; i++)
            for (int j = i + 1; j < VOUCHER_CHARS; j++) {
                if (good[at(i)] == good[at(j)])
                    continue;
                memcpy(bad, good, sizeof bad);
                bad[at(i)] = good[at(j)];
                bad[at(j)] = good[at(i)];
                cr_assert_eq(voucher_check(VOUCHER_KIND_REDEEM, bad, NULL), VOUCHER_ECHECK,
                             "%s passes for %s", bad, good);
                neighbours += j == i + 1;
            }
    }
    cr_assert_gt(neighbours, 2500, "neighbour swaps were tried");
}

Test(voucher, every_two_character_error_is_caught)
{
    uint64_t s = 3;
    char good[VOUCHER_LEN + 1], bad[VOUCHER_LEN + 1];

    make(&s, VOUCHER_KIND_VOUCHER, good);
    for (int i = 0; i < VOUCHER_CHARS; i++)
        for (int j = i + 1; j < VOUCHER_CHARS; j++)
            for (const char *a = VOUCHER_ALPHABET; *a; a++)
                for (const char *b = VOUCHER_ALPHABET; *b; b++) {
                    if (*a == good[at(i)] || *b == good[at(j)])
                        continue;
                    memcpy(bad, good, sizeof bad);
                    bad[at(i)] = *a;
                    bad[at(j)] = *b;
                    cr_assert_eq(voucher_check(VOUCHER_KIND_VOUCHER, bad, NULL),
                                 VOUCHER_ECHECK, "%s passes for %s", bad, good);
                }
}

Test(voucher, kinds_do_not_mix)
{
    uint64_t s = 5;
    char v[VOUCHER_LEN + 1], r[VOUCHER_LEN + 1];
    unsigned char bytes[VOUCHER_RANDOM_BYTES] = {0};

    for (int n = 0; n < 500; n++) {
        make(&s, VOUCHER_KIND_VOUCHER, v);
        make(&s, VOUCHER_KIND_REDEEM, r);
        cr_assert_eq(voucher_check(VOUCHER_KIND_REDEEM, v, NULL), VOUCHER_ECHECK, "%s", v);
        cr_assert_eq(voucher_check(VOUCHER_KIND_VOUCHER, r, NULL), VOUCHER_ECHECK, "%s", r);
    }
    cr_assert_eq(voucher_make(0, bytes, v), VOUCHER_EKIND);
    cr_assert_eq(voucher_make(3, bytes, v), VOUCHER_EKIND);
    cr_assert_eq(voucher_check(9, "2222-2222-2222-2222", NULL), VOUCHER_EKIND);
}

Test(voucher, input_is_normalised)
{
    uint64_t s = 13;
    char code[VOUCHER_LEN + 1], in[64], out[VOUCHER_LEN + 1];
    int w = 0;

    make(&s, VOUCHER_KIND_VOUCHER, code);
    /* lower case, no hyphens, spaces between pairs */
    for (int i = 0; i < VOUCHER_CHARS; i++) {
        char ch = code[at(i)];
        in[w++] = (char)(ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch);
        if (i % 2 == 1 && i + 1 < VOUCHER_CHARS)
            in[w++] = ' ';
    }
    in[w] = '\0';
    cr_assert_eq(voucher_check(VOUCHER_KIND_VOUCHER, in, out), VOUCHER_OK, "%s", in);
    cr_assert_str_eq(out, code);
    snprintf(in, sizeof in, " -%s- ", code);
    cr_assert_eq(voucher_normalise(in, out), VOUCHER_OK);
    cr_assert_str_eq(out, code);
    /* all in one block */
    w = 0;
    for (int i = 0; i < VOUCHER_CHARS; i++)
        in[w++] = code[at(i)];
    in[w] = '\0';
    cr_assert_eq(voucher_check(VOUCHER_KIND_VOUCHER, in, out), VOUCHER_OK);
    cr_assert_str_eq(out, code);
}

Test(voucher, malformed_input_is_refused)
{
    char out[VOUCHER_LEN + 1];
    static const char *const bad[] = {
        "",                                   /* empty */
        "2222-2222-2222-222",                 /* 15 characters */
        "2222-2222-2222-22222",               /* 17 */
        "0222-2222-2222-2222",                /* 0 */
        "O222-2222-2222-2222",                /* O */
        "1222-2222-2222-2222",                /* 1 */
        "I222-2222-2222-2222",                /* I */
        "L222-2222-2222-2222",                /* L */
        "2222_2222_2222_2222",                /* another separator */
        "2222-2222-2222-222\xc3\xa9",         /* non-ASCII */
        "2222-2222-2222-2222                                                    x",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cr_assert_eq(voucher_normalise(bad[i], out), VOUCHER_EFORMAT, "%s", bad[i]);
        cr_assert_eq(voucher_check(VOUCHER_KIND_VOUCHER, bad[i], out), VOUCHER_EFORMAT, "%s",
                     bad[i]);
    }
    cr_assert_eq(voucher_normalise(NULL, out), VOUCHER_EFORMAT);
    cr_assert_eq(voucher_check(VOUCHER_KIND_VOUCHER, NULL, out), VOUCHER_EFORMAT);
}

Test(voucher, random_bytes_map_evenly_and_running_out_is_reported)
{
    unsigned char r[VOUCHER_RANDOM_BYTES];
    char code[VOUCHER_LEN + 1];
    int count[31] = {0};

    /* Bytes 248..255 are skipped: the code starts at the first usable byte. */
    memset(r, 255, sizeof r);
    for (int i = 0; i < VOUCHER_RANDOM_CHARS; i++)
        r[18 + i] = (unsigned char)(i + 31 * (i % 8));   /* letter i, as byte % 31 */
    cr_assert_eq(voucher_make(VOUCHER_KIND_VOUCHER, r, code), VOUCHER_OK);
    for (int i = 0; i < VOUCHER_RANDOM_CHARS; i++)
        cr_assert_eq(code[at(i)], VOUCHER_ALPHABET[i], "%s", code);
    /* 13 usable bytes are not enough */
    r[18] = 250;
    cr_assert_eq(voucher_make(VOUCHER_KIND_VOUCHER, r, code), VOUCHER_ERANDOM);
    /* Every byte value below 248 hits each letter exactly 8 times. */
    for (int b = 0; b < 248; b++) {
        memset(r, (unsigned char)b, sizeof r);
        cr_assert_eq(voucher_make(VOUCHER_KIND_VOUCHER, r, code), VOUCHER_OK);
        count[strchr(VOUCHER_ALPHABET, code[0]) - VOUCHER_ALPHABET]++;
    }
    for (int i = 0; i < 31; i++)
        cr_assert_eq(count[i], 8, "letter %c: %d", VOUCHER_ALPHABET[i], count[i]);
}

static int cmp(const void *a, const void *b)
{
    return memcmp(a, b, VOUCHER_LEN + 1);
}

Test(voucher, codes_from_random_bytes_are_distinct)
{
    enum { N = 100000 };
    char (*codes)[VOUCHER_LEN + 1] = malloc(N * sizeof *codes);
    uint64_t s = 99;

    cr_assert_not_null(codes);
    for (int i = 0; i < N; i++)
        make(&s, VOUCHER_KIND_VOUCHER, codes[i]);
    qsort(codes, N, sizeof *codes, cmp);
    for (int i = 1; i < N; i++)
        cr_assert_neq(memcmp(codes[i - 1], codes[i], VOUCHER_LEN + 1), 0, "%s twice", codes[i]);
    free(codes);
}
