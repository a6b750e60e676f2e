/*
 * text: UTF-8 validation and region-name title casing.
 *
 * The decoder follows the well-formed byte table of Unicode 15 section 3.9 (table 3-7):
 * the allowed range of the second byte depends on the first, which rules out overlong
 * forms, surrogates and code points past U+10FFFF without decoding first and checking
 * after. Title casing walks the input word by word; a word is the run of ASCII letters
 * (and any non-ASCII bytes) between separators, so each word can be looked at whole
 * before its case is decided.
 */
#include "core/text.h"

#include <string.h>

int text_utf8_decode(const char *s, size_t n, uint32_t *cp)
{
    const unsigned char *p = (const unsigned char *)s;
    unsigned char lo = 0x80, hi = 0xBF;
    int len;
    uint32_t c;

    if (n == 0)
        return 0;
    if (p[0] < 0x80) {
        *cp = p[0];
        return 1;
    }
    if (p[0] >= 0xC2 && p[0] <= 0xDF) {
        len = 2;
        c = p[0] & 0x1F;
    } else if (p[0] >= 0xE0 && p[0] <= 0xEF) {
        len = 3;
        c = p[0] & 0x0F;
        if (p[0] == 0xE0)
            lo = 0xA0;
        else if (p[0] == 0xED)
            hi = 0x9F;
    } else if (p[0] >= 0xF0 && p[0] <= 0xF4) {
        len = 4;
        c = p[0] & 0x07;
        if (p[0] == 0xF0)
            lo = 0x90;
        else if (p[0] == 0xF4)
            hi = 0x8F;
    } else {
        return 0;
    }
    if ((size_t)len > n)
        return 0;
    if (p[1] < lo || p[1] > hi)
        return 0;
    c = (c << 6) | (p[1] & 0x3F);
    for (int i = 2; i < len; i++) {
        if (p[i] < 0x80 || p[i] > 0xBF)
            return 0;
        c = (c << 6) | (p[i] & 0x3F);
    }
    *cp = c;
    return len;
}

int text_utf8_valid(const char *s, size_t n)
{
    size_t i = 0;
    uint32_t cp;

    if (s == NULL)
        return n == 0;
    while (i < n) {
        if ((unsigned char)s[i] < 0x80) {
            i++;
            continue;
        }
        int k = text_utf8_decode(s + i, n - i, &cp);
        if (k == 0)
            return 0;
        i += (size_t)k;
    }
    return 1;
}

size_t text_utf8_count(const char *s)
{
    size_t n = 0;

    if (s == NULL)
        return 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            n++;
    return n;
}

static int is_upper(char c) { return c >= 'A' && c <= 'Z'; }
static int is_lower(char c) { return c >= 'a' && c <= 'z'; }
static char to_upper(char c) { return is_lower(c) ? (char)(c - 'a' + 'A') : c; }
static char to_lower(char c) { return is_upper(c) ? (char)(c - 'A' + 'a') : c; }

static int is_separator(char c)
{
    return c == ' ' || c == '-' || c == '(' || c == ')' || c == '/' || c == '.' || c == ',' ||
           c == '\t';
}

/* Case-insensitive: does the word w of length n equal the upper-case ASCII word u? */
static int word_is(const char *w, size_t n, const char *u)
{
    if (strlen(u) != n)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (to_upper(w[i]) != u[i])
            return 0;
    return 1;
}

/* A Roman numeral of two or more letters, 2..39: X{0,3}(IX|IV|V?I{0,3}). */
static int is_roman(const char *w, size_t n)
{
    size_t i = 0;

    if (n < 2)
        return 0;
    while (i < n && i < 3 && to_upper(w[i]) == 'X')
        i++;
    if (i + 2 == n && to_upper(w[i]) == 'I' &&
        (to_upper(w[i + 1]) == 'X' || to_upper(w[i + 1]) == 'V'))
        return 1;
    if (i < n && to_upper(w[i]) == 'V')
        i++;
    size_t ones = 0;
    while (i < n && to_upper(w[i]) == 'I' && ones < 3) {
        i++;
        ones++;
    }
    return i == n;
}

void text_title_case(const char *in, char *out, size_t outlen)
{
    size_t o = 0, i = 0;
    int first_word = 1;

    if (out == NULL || outlen == 0)
        return;
    if (in == NULL) {
        out[0] = '\0';
        return;
    }
    while (in[i] != '\0') {
        if (is_separator(in[i])) {
            if (o + 1 >= outlen)
                break;
            out[o++] = in[i++];
            continue;
        }
        size_t start = i;
        while (in[i] != '\0' && !is_separator(in[i]))
            i++;
        size_t n = i - start;
        const char *w = in + start;
        int keep_upper = word_is(w, n, "DKI") || word_is(w, n, "DI") || is_roman(w, n);
        int all_lower = !first_word && word_is(w, n, "DAN");
        first_word = 0;

        size_t room = outlen - 1 - o;
        size_t take = n;
        if (take > room) {
            take = room;
            while (take > 0 && ((unsigned char)w[take] & 0xC0) == 0x80)
                take--;
        }
        for (size_t k = 0; k < take; k++) {
            char c = w[k];
            if (keep_upper)
                c = to_upper(c);
            else if (k == 0 && !all_lower)
                c = to_upper(c);
            else
                c = to_lower(c);
            out[o++] = c;
        }
        if (take < n)
            break;
    }
    out[o] = '\0';
}
