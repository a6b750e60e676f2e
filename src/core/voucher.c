/*
 * voucher: making, normalising and checking voucher and redeem codes (see
 * voucher.h for the shape and why the checks catch what they catch).
 *
 * Arithmetic is in GF(31), the field of the alphabet's size. With the random
 * part's sums S1 = 17k + sum x v and S2 = 17^2 k + sum x^2 v (x = 1..14), the
 * check characters c15, c16 solve
 *   15 c15 + 16 c16 = -S1,   8 c15 + 8 c16 = -S2      (15^2 = 16^2 = 8 mod 31)
 * so c15 + c16 = T = -4 S2 (4 is 8's inverse) and c15 = S1 + 16 T, c16 = T - c15.
 */
#include "core/voucher.h"

#include <string.h>

#define Q 31
#define KIND_X 17              /* the kind sits at a virtual 17th position */

static const char alphabet[] = VOUCHER_ALPHABET;

/* The digit of an upper- or lower-case character, or -1. */
static int digit_of(char ch)
{
    if (ch >= 'a' && ch <= 'z')
        ch = (char)(ch - 'a' + 'A');
    for (int i = 0; i < Q; i++)
        if (alphabet[i] == ch)
            return i;
    return -1;
}

static int kind_ok(int kind)
{
    return kind == VOUCHER_KIND_VOUCHER || kind == VOUCHER_KIND_REDEEM;
}

/* The two check sums over the first n digits, the kind included. */
static void sums(int kind, const int *v, int n, int *s1, int *s2)
{
    int a = kind * KIND_X % Q, b = kind * (KIND_X * KIND_X % Q) % Q;
    for (int i = 0; i < n; i++) {
        int x = i + 1;
        a = (a + x * v[i]) % Q;
        b = (b + (x * x % Q) * v[i]) % Q;
    }
    *s1 = a;
    *s2 = b;
}

static void grouped(const int *v, char out[VOUCHER_LEN + 1])
{
    int w = 0;
    for (int i = 0; i < VOUCHER_CHARS; i++) {
        if (i > 0 && i % 4 == 0)
            out[w++] = '-';
        out[w++] = alphabet[v[i]];
    }
    out[w] = '\0';
}

int voucher_make(int kind, const unsigned char random[VOUCHER_RANDOM_BYTES],
                 char out[VOUCHER_LEN + 1])
{
    int v[VOUCHER_CHARS], n = 0, s1, s2, t;

    if (!kind_ok(kind))
        return VOUCHER_EKIND;
    for (int i = 0; i < VOUCHER_RANDOM_BYTES && n < VOUCHER_RANDOM_CHARS; i++)
        if (random[i] < 248)               /* 248 = 8 * 31: keeps every digit equally likely */
            v[n++] = random[i] % Q;
    if (n < VOUCHER_RANDOM_CHARS)
        return VOUCHER_ERANDOM;
    sums(kind, v, VOUCHER_RANDOM_CHARS, &s1, &s2);
    t = (Q - 4 * s2 % Q) % Q;
    v[14] = (s1 + 16 * t) % Q;
    v[15] = (t - v[14] + Q) % Q;
    grouped(v, out);
    return VOUCHER_OK;
}

/* Digits of in into v; VOUCHER_OK or VOUCHER_EFORMAT. */
static int parse(const char *in, int v[VOUCHER_CHARS])
{
    int n = 0;
    size_t len;

    if (!in)
        return VOUCHER_EFORMAT;
    len = strnlen(in, VOUCHER_INPUT_MAX + 1);
    if (len > VOUCHER_INPUT_MAX)
        return VOUCHER_EFORMAT;
    for (size_t i = 0; i < len; i++) {
        int d;
        if (in[i] == ' ' || in[i] == '-')
            continue;
        d = digit_of(in[i]);
        if (d < 0 || n == VOUCHER_CHARS)
            return VOUCHER_EFORMAT;
        v[n++] = d;
    }
    return n == VOUCHER_CHARS ? VOUCHER_OK : VOUCHER_EFORMAT;
}

int voucher_normalise(const char *in, char out[VOUCHER_LEN + 1])
{
    int v[VOUCHER_CHARS];
    int rc = parse(in, v);

    if (rc == VOUCHER_OK)
        grouped(v, out);
    return rc;
}

int voucher_check(int kind, const char *in, char out[VOUCHER_LEN + 1])
{
    int v[VOUCHER_CHARS], s1, s2;
    int rc;

    if (!kind_ok(kind))
        return VOUCHER_EKIND;
    rc = parse(in, v);
    if (rc != VOUCHER_OK)
        return rc;
    sums(kind, v, VOUCHER_CHARS, &s1, &s2);
    if (s1 != 0 || s2 != 0)
        return VOUCHER_ECHECK;
    if (out)
        grouped(v, out);
    return VOUCHER_OK;
}
